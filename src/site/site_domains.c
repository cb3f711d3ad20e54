/*
 * site/site_domains.c - the site's local domains: the domains of its
 * directory entries' SMTP addresses. An address in one of them that no
 * entry has is nobody's here, so the spooler reports it (5.1.1) instead of
 * handing it to the relay, which would send it back to this site or out.
 */
#include <string.h>

#include "core/error.h"
#include "site/site.h"

HRESULT fm_site_is_local_domain(fmapi_site *site, const char *address, bool *out)
{
    *out = false;
    const char *at = address != NULL ? strrchr(address, '@') : NULL;
    if (at == NULL || at[1] == '\0')
        return S_OK;
    sqlite3_stmt *st = NULL;
    HRESULT hr = fm_db_prepare(site->db,
                               "SELECT EXISTS (SELECT 1 FROM entries WHERE instr(smtp, '@') > 0"
                               " AND lower(substr(smtp, instr(smtp, '@') + 1)) = lower(?1))",
                               &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_text(st, 1, at + 1, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0) != 0;
    else
        hr = fm_db_error(site->db, rc, "reading the site's domains");
    fm_db_finish(st);
    return hr;
}
