/*
 * store/folder_acl.c - folder permissions kept in the store file: the ACL
 * rows, who made which message, and who acts through a store
 * (folder_acl.h).
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "store/folder_acl.h"

/* site/identity.h's FM_SITE_DIRECTORY_UID (the store is below the site
 * layer; tests/store/test_folder_acl.c checks the two agree). */
static const BYTE DIRECTORY_UID[16] = { 'f', 'r', 'e', 'e', 'm', 'a', 'p', 'i',
                                        '.', 's', 'i', 't', 'e', 'd', 'i', 'r' };

void fm_store_set_principal(fm_store *s, int64_t user, bool delegate,
                            const fm_store_directory *dir, void *ctx)
{
    const fm_store_directory *old = s->acl_dir;
    void *old_ctx = s->acl_dir_ctx;
    s->acl_user = user;
    s->acl_delegate = delegate;
    s->acl_dir = dir;
    s->acl_dir_ctx = ctx;
    if (old != NULL && old->release != NULL)
        old->release(old_ctx);
}

HRESULT fm_acl_member_of_entryid(ULONG cb, const BYTE *eid, int64_t *member)
{
    *member = 0;
    if (cb != FM_ACL_MEMBER_EID_SIZE || eid == NULL || memcmp(eid, "\0\0\0\0", 4) != 0 ||
        memcmp(eid + 4, DIRECTORY_UID, 16) != 0 || eid[20] != 1 || eid[21] != 1)
        return fm_error_set(MAPI_E_INVALID_ENTRYID, "PR_MEMBER_ENTRYID is not the directory "
                                                    "entry ID of a site user");
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | eid[24 + i];
    if (v == 0 || v > INT64_MAX)
        return fm_error_set(MAPI_E_INVALID_ENTRYID, "PR_MEMBER_ENTRYID names no user");
    *member = (int64_t)v;
    return S_OK;
}

void fm_acl_member_entryid(int64_t member, BYTE out[FM_ACL_MEMBER_EID_SIZE])
{
    memset(out, 0, FM_ACL_MEMBER_EID_SIZE);
    memcpy(out + 4, DIRECTORY_UID, 16);
    out[20] = 1;
    out[21] = 1;
    for (int i = 0; i < 8; i++)
        out[24 + i] = (BYTE)((uint64_t)member >> (8 * i));
}

/* Whether the ACL tables exist yet (a file no ACL was ever set in has none). */
static HRESULT have_tables(fm_store *s, bool *out)
{
    int64_t n = 0;
    HRESULT hr = fm_db_select_int(s->db, "SELECT count(*) FROM sqlite_master WHERE type = "
                                         "'table' AND name = 'fm_acl'",
                                  FM_DB_NO_INTS, 0, &n, "reading folder permissions");
    *out = n > 0;
    return hr;
}

HRESULT fm_acl_ensure_tables(fm_store *s)
{
    return fm_db_exec(s->db,
                      "CREATE TABLE IF NOT EXISTS fm_acl ("
                      " fid INTEGER NOT NULL, member INTEGER NOT NULL, entryid BLOB,"
                      " name TEXT NOT NULL DEFAULT '', rights INTEGER NOT NULL,"
                      " PRIMARY KEY (fid, member)) WITHOUT ROWID;"
                      "CREATE INDEX IF NOT EXISTS fm_acl_member ON fm_acl (member);"
                      "CREATE TABLE IF NOT EXISTS fm_acl_creator ("
                      " mid INTEGER PRIMARY KEY, member INTEGER NOT NULL)");
}

HRESULT fm_acl_member_rights(fm_store *s, int64_t fid, int64_t member, ULONG *out)
{
    *out = 0;
    fm_store_lock(s);
    bool have = false;
    HRESULT hr = have_tables(s, &have);
    int64_t r = 0;
    /* The member's own row wins over Default's (ORDER BY: own first). */
    if (hr == S_OK && have)
        hr = fm_db_select_int(s->db,
                              "SELECT rights FROM fm_acl WHERE fid = ?1 AND member IN (?2, 0) "
                              "ORDER BY member = 0 LIMIT 1",
                              FM_DB_INTS(fid, member), 0, &r, "reading folder permissions");
    fm_store_unlock(s);
    *out = (ULONG)r;
    return hr;
}

HRESULT fm_acl_any_rights(fm_store *s, int64_t member, bool *out)
{
    *out = false;
    fm_store_lock(s);
    bool have = false;
    HRESULT hr = have_tables(s, &have);
    int64_t n = 0;
    if (hr == S_OK && have)
        hr = fm_db_select_int(s->db,
                              "SELECT count(*) FROM (SELECT 1 FROM fm_acl WHERE member IN "
                              "(?1, 0) AND rights != 0 LIMIT 1)",
                              FM_DB_INTS(member), 0, &n, "reading folder permissions");
    fm_store_unlock(s);
    *out = n > 0;
    return hr;
}

HRESULT fm_acl_note_creator(fm_store *s, int64_t mid)
{
    if (!s->acl_delegate)
        return S_OK;
    HRESULT hr = fm_acl_ensure_tables(s);
    if (hr == S_OK)
        hr = fm_db_exec_ints(s->db, "INSERT OR REPLACE INTO fm_acl_creator VALUES (?1, ?2)",
                             FM_DB_INTS(mid, s->acl_user), "recording a message's maker");
    return hr;
}

HRESULT fm_acl_made_by_principal(fm_store *s, int64_t mid, bool *out)
{
    *out = false;
    if (mid == 0)
        return S_OK;
    fm_store_lock(s);
    bool have = false;
    HRESULT hr = have_tables(s, &have);
    int64_t who = 0;
    if (hr == S_OK && have)
        hr = fm_db_select_int(s->db, "SELECT member FROM fm_acl_creator WHERE mid = ?1",
                              FM_DB_INTS(mid), 0, &who, "reading a message's maker");
    fm_store_unlock(s);
    *out = who != 0 && who == s->acl_user;
    return hr;
}
