/*
 * site/site_mailbox.c - fmapi_site_open_mailbox: a user's mailbox store
 * opened through the site directory, for programs that administer the
 * site or deliver into it (an MTA's `mapi deliver`), which hold the site's
 * files and so every mailbox (see freemapi_site.h).
 */
#include "core/alloc.h"
#include "freemapi_store.h"
#include "site/site.h"

FREEMAPI_PUBLIC HRESULT fmapi_site_open_mailbox(fmapi_site *site, const char *name,
                                                ULONG ulFlags, LPMDB *lppMDB)
{
    if (site == NULL || name == NULL || lppMDB == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_site_open_mailbox: NULL argument");
    *lppMDB = NULL;
    if (ulFlags & ~FMAPI_STORE_READONLY)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "fmapi_site_open_mailbox: unknown flags "
                                                  "0x%08lX", (unsigned long)ulFlags);
    fm_site_entry e = { 0 };
    HRESULT hr = fm_site_find(site, name, &e);
    if (hr == S_OK && e.kind != FM_SITE_KIND_USER)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "%s is a list, which has no mailbox", name);
    char *path = hr == S_OK ? fm_site_store_path(site, e.id) : NULL;
    if (hr == S_OK && path == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a mailbox");
    if (hr == S_OK)
        hr = fmapi_store_open(path, ulFlags & FMAPI_STORE_READONLY, lppMDB);
    fm_free(path);
    fm_site_entry_clear(&e);
    return hr;
}
