/*
 * site/site_rights.c - mailbox rights: which user may open, send as, or act
 * as which other user's mailbox (freemapi_site.h, site.h).
 */
#include "site/site.h"

HRESULT fm_site_rights_of(fmapi_site *site, int64_t grantee, int64_t mailbox, ULONG *out)
{
    *out = 0;
    if (grantee == mailbox) {
        *out = FMAPI_RIGHTS_ALL;
        return S_OK;
    }
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(site->db,
                               "SELECT rights FROM rights WHERE grantee_id = ?1 AND "
                               "mailbox_id = ?2",
                               &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, grantee);
    sqlite3_bind_int64(st, 2, mailbox);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (ULONG)sqlite3_column_int64(st, 0) & FMAPI_RIGHTS_ALL;
    else if (rc != SQLITE_DONE)
        hr = fm_db_error(site->db, rc, "reading mailbox rights");
    fm_db_finish(st);
    return hr;
}

/* The two users' entry ids; both must be users. */
static HRESULT two_users(fmapi_site *site, const char *grantee, const char *mailbox,
                         ULONG rights, int64_t *g, int64_t *m)
{
    if (site == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "mailbox rights: site is NULL");
    if (rights & ~FMAPI_RIGHTS_ALL)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "unknown mailbox rights 0x%08lX",
                            (unsigned long)rights);
    const char *names[2] = { grantee, mailbox };
    int64_t *ids[2] = { g, m };
    for (int i = 0; i < 2; i++) {
        HRESULT hr = fm_site_check_name(names[i], i ? "the mailbox" : "the grantee");
        fm_site_entry e;
        if (hr == S_OK)
            hr = fm_site_find(site, names[i], &e);
        if (hr != S_OK)
            return hr;
        *ids[i] = e.id;
        int kind = e.kind;
        fm_site_entry_clear(&e);
        if (kind != FM_SITE_KIND_USER)
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s is a list, not a user", names[i]);
    }
    return S_OK;
}

static HRESULT change(fmapi_site *site, const char *grantee, const char *mailbox, ULONG rights,
                      bool grant)
{
    int64_t g = 0, m = 0;
    HRESULT hr = two_users(site, grantee, mailbox, rights, &g, &m);
    sqlite3_stmt *st;
    if (hr == S_OK)
        hr = fm_db_begin(site->db);
    if (hr != S_OK)
        return hr;
    hr = fm_db_prepare(site->db,
                       grant ? "INSERT INTO rights VALUES (?1, ?2, ?3) ON CONFLICT DO UPDATE "
                               "SET rights = rights | ?3"
                             : "UPDATE rights SET rights = rights & ~?3 WHERE grantee_id = ?1 "
                               "AND mailbox_id = ?2",
                       &st);
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 1, g);
        sqlite3_bind_int64(st, 2, m);
        sqlite3_bind_int64(st, 3, rights);
        hr = fm_db_run(site->db, st, "changing mailbox rights");
    }
    if (hr == S_OK)
        hr = fm_db_exec_ints(site->db, "DELETE FROM rights WHERE rights = 0", FM_DB_NO_INTS,
                             "changing mailbox rights");
    return fm_db_end(site->db, hr);
}

FREEMAPI_PUBLIC HRESULT fmapi_site_grant(fmapi_site *site, const char *grantee,
                                         const char *mailbox, ULONG rights)
{
    return change(site, grantee, mailbox, rights, true);
}

FREEMAPI_PUBLIC HRESULT fmapi_site_revoke(fmapi_site *site, const char *grantee,
                                          const char *mailbox, ULONG rights)
{
    return change(site, grantee, mailbox, rights, false);
}

FREEMAPI_PUBLIC HRESULT fmapi_site_rights(fmapi_site *site, const char *grantee,
                                          const char *mailbox, ULONG *rights)
{
    if (rights == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_site_rights: rights is NULL");
    *rights = 0;
    int64_t g = 0, m = 0;
    HRESULT hr = two_users(site, grantee, mailbox, 0, &g, &m);
    if (hr == S_OK)
        hr = fm_site_rights_of(site, g, m, rights);
    return hr;
}
