/*
 * site/site_acl.c - what folder permissions (freemapi_acl.h) ask of the
 * site directory: a user's directory entry ID (the ACL table's
 * PR_MEMBER_ENTRYID) and the display name of a member.
 */
#include <string.h>

#include "core/alloc.h"
#include "freemapi_acl.h"
#include "site/identity.h"

FREEMAPI_PUBLIC HRESULT fmapi_site_member_entryid(fmapi_site *site, const char *name,
                                                  ULONG *lpcb, LPENTRYID *lppEntryID)
{
    if (site == NULL || lpcb == NULL || lppEntryID == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_site_member_entryid: NULL "
                                                      "argument");
    *lpcb = 0;
    *lppEntryID = NULL;
    fm_site_entry e;
    HRESULT hr = fm_site_check_name(name, "the member");
    if (hr == S_OK)
        hr = fm_site_find(site, name, &e);
    if (hr != S_OK)
        return hr;
    if (e.kind != FM_SITE_KIND_USER)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "%s is a list: folder permissions are given to "
                                            "users", name);
    if (hr == S_OK)
        hr = fm_site_user_entryid(e.id, lpcb, lppEntryID);
    fm_site_entry_clear(&e);
    return hr;
}

HRESULT fm_site_member_name(fmapi_site *site, int64_t member, char **name)
{
    *name = NULL;
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(site->db, "SELECT display, alias FROM entries WHERE id = ?1 AND "
                                         "kind = ?2",
                               &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, member);
    sqlite3_bind_int(st, 2, FM_SITE_KIND_USER);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(st, 0);
        if (d == NULL || d[0] == '\0')
            d = (const char *)sqlite3_column_text(st, 1);
        if ((*name = fm_strdup(d ? d : "")) == NULL)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory naming a member");
    } else if (rc == SQLITE_DONE) {
        hr = fm_error_set(MAPI_E_NOT_FOUND, "member %lld is not a user of the site",
                          (long long)member);
    } else {
        hr = fm_db_error(site->db, rc, "reading the site directory");
    }
    fm_db_finish(st);
    return hr;
}
