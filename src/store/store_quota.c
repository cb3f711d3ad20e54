/*
 * store/store_quota.c - a mailbox's quotas ([MS-OXCSTOR] 2.2.2.1.1):
 * PR_PROHIBIT_RECEIVE_QUOTA (no more mail delivered above it),
 * PR_PROHIBIT_SEND_QUOTA (no more submissions above it) and
 * PR_STORAGE_QUOTA_LIMIT (a warning level: reported, not enforced), all in
 * KB, unset or -1 meaning no limit.
 *
 * They live in store_meta rather than among the store's own properties:
 * those a client may change with SetProps, and a user must not lift their
 * own limit. Here only fmapi_store_set_quota writes them (an administrator
 * with the file, `mapi site quota`); clients read them as computed
 * properties of the store object (msgstore.c).
 */
#include <stdio.h>

#include "core/error.h"
#include "freemapi_store.h"
#include "edkmdb.h"
#include "mapitags.h"
#include "store/object.h"
#include "store/store_quota.h"

static const char *quota_key(ULONG tag)
{
    switch (tag) {
    case PR_PROHIBIT_RECEIVE_QUOTA: return "quota_receive_kb";
    case PR_PROHIBIT_SEND_QUOTA: return "quota_send_kb";
    case PR_STORAGE_QUOTA_LIMIT: return "quota_warning_kb";
    default: return NULL;
    }
}

HRESULT fm_store_quota_get(fm_store *s, ULONG tag, LONG *kb)
{
    const char *key = quota_key(tag);
    if (key == NULL)
        return MAPI_E_NOT_FOUND;
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT value FROM store_meta WHERE key = '%s'", key);
    int64_t v = -1;
    fm_store_lock(s);
    HRESULT hr = fm_db_select_int(s->db, sql, FM_DB_NO_INTS, -1, &v, "reading the quotas");
    fm_store_unlock(s);
    if (hr == S_OK && (v < 0 || v > INT32_MAX))
        hr = MAPI_E_NOT_FOUND;
    if (hr == S_OK)
        *kb = (LONG)v;
    return hr;
}

HRESULT fm_store_mailbox_size(fm_store *s, uint64_t *bytes)
{
    int64_t v = 0;
    fm_store_lock(s);
    HRESULT hr = fm_db_select_int(s->db,
                                  "SELECT CAST(total(size) AS INTEGER) FROM messages"
                                  " WHERE parent_attach IS NULL",
                                  FM_DB_NO_INTS, 0, &v, "measuring the mailbox");
    fm_store_unlock(s);
    *bytes = hr == S_OK && v > 0 ? (uint64_t)v : 0;
    return hr;
}

/* Whether the mailbox has reached the limit tag names: "the maximum size a
 * user is allowed to accumulate before" ([MS-OXCSTOR]), so a mailbox below
 * its limit still takes one more message, whatever its size. */
static HRESULT check_quota(fm_store *s, ULONG tag, const char *what)
{
    LONG kb = 0;
    uint64_t size = 0;
    HRESULT hr = fm_store_quota_get(s, tag, &kb);
    if (hr == MAPI_E_NOT_FOUND)
        return S_OK;
    if (hr == S_OK)
        hr = fm_store_mailbox_size(s, &size);
    if (hr == S_OK && size / 1024 >= (uint64_t)kb)
        hr = fm_error_set(MAPI_E_STORE_FULL, "the mailbox holds %llu KB, at or above its %s "
                                             "quota of %ld KB",
                          (unsigned long long)(size / 1024), what, (long)kb);
    return hr;
}

HRESULT fm_store_check_send_quota(fm_store *s)
{
    return check_quota(s, PR_PROHIBIT_SEND_QUOTA, "send");
}

HRESULT fm_store_check_receive_quota(fm_store *s)
{
    return check_quota(s, PR_PROHIBIT_RECEIVE_QUOTA, "receive");
}

FREEMAPI_PUBLIC HRESULT fmapi_store_set_quota(LPMDB lpMDB, ULONG ulPropTag, LONG lKB)
{
    if (lpMDB == NULL || fm_object_of(lpMDB)->cls->obj_type != MAPI_STORE)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_store_set_quota: not a store");
    const char *key = quota_key(ulPropTag);
    if (key == NULL || lKB < -1)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "fmapi_store_set_quota: 0x%08lX %ld is not a quota (a quota tag, "
                            "and KB or -1)", (unsigned long)ulPropTag, (long)lKB);
    fm_store *s = fm_object_of(lpMDB)->store;
    if (s->readonly)
        return fm_error_set(MAPI_E_NO_ACCESS, "fmapi_store_set_quota: the store is read-only");
    char sql[96];
    if (lKB < 0)
        snprintf(sql, sizeof sql, "DELETE FROM store_meta WHERE key = '%s' AND ?1 < 0", key);
    else
        snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO store_meta VALUES ('%s', ?1)", key);
    fm_store_lock(s);
    HRESULT hr = fm_db_exec_ints(s->db, sql, FM_DB_INTS(lKB), "setting a quota");
    fm_store_unlock(s);
    return hr;
}
