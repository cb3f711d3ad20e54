/*
 * site/site_list.c - fmapi_site_list: every user and list of a site, for
 * administration tools, read in pages so a large directory is never held
 * in memory at once.
 */
#include "core/error.h"
#include "freemapi_site.h"
#include "site/site.h"
#include "site/site_reader.h"

#define LIST_PAGE 256

FREEMAPI_PUBLIC HRESULT fmapi_site_list(fmapi_site *site, fmapi_site_list_fn fn, void *ctx)
{
    if (site == NULL || fn == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_site_list: NULL %s",
                            site == NULL ? "site" : "callback");
    int64_t after = 0;
    for (;;) {
        fm_site_entry *page = NULL;
        size_t n = 0;
        HRESULT hr = fm_site_page(site, after, LIST_PAGE, &page, &n);
        if (hr != S_OK)
            return hr;
        for (size_t i = 0; i < n && hr == S_OK; i++) {
            fmapi_site_entry e = {
                .kind = page[i].kind == 2 ? FMAPI_SITE_LIST_ENTRY : FMAPI_SITE_USER_ENTRY,
                .alias = page[i].alias,
                .display_name = page[i].display,
                .smtp = page[i].smtp,
            };
            hr = fn(ctx, &e);
            after = page[i].id;
        }
        fm_site_page_free(page, n);
        if (hr != S_OK || n < LIST_PAGE)
            return hr;
    }
}
