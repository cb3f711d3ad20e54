/*
 * ab/gal_oab_source.c - the offline address book of a site: a record
 * source (freemapi_oab.h) over the site directory's paging reader, and
 * fmapi_site_generate_oab (freemapi_ab.h).
 *
 * Each page asked for is read from the directory as one bounded query
 * (fm_site_page) and turned into property sets (props.c, with the members
 * of lists as DNs); the previous page is freed first, so what the
 * generation holds is one page whatever the size of the directory.
 * The site connection is used by one thread at a time: the caller does
 * not use site elsewhere while this runs.
 */
#include <stdio.h>
#include <string.h>

#include "ab/ab.h"
#include "core/alloc.h"
#include "site/site_reader.h"

#define OAB_PAGE_MAX 512u

typedef struct gal_source {
    fmapi_site *site;
    const char *site_name;
    int64_t after;
    bool done;
    fmapi_oab_entry entries[OAB_PAGE_MAX];
    LPSPropValue roots[OAB_PAGE_MAX];
    ULONG n;
} gal_source;

static void page_clear(gal_source *g)
{
    for (ULONG i = 0; i < g->n; i++)
        MAPIFreeBuffer(g->roots[i]);
    g->n = 0;
}

static HRESULT next_page(void *ctx, ULONG cMax, ULONG *lpc, const fmapi_oab_entry **out)
{
    gal_source *g = ctx;
    page_clear(g);
    *lpc = 0;
    *out = g->entries;
    if (g->done)
        return S_OK;
    size_t want = cMax < OAB_PAGE_MAX ? cMax : OAB_PAGE_MAX;
    fm_site_entry *rows = NULL;
    size_t n = 0;
    HRESULT hr = fm_site_page(g->site, g->after, want, &rows, &n);
    if (hr != S_OK)
        return hr;
    for (size_t i = 0; i < n && hr == S_OK; i++) {
        ULONG c = 0;
        hr = fm_ab_entry_props(g->site, &rows[i], g->site_name, FM_AB_PROPS_MEMBERS, NULL, &c,
                               &g->roots[g->n]);
        if (hr == S_OK) {
            g->entries[g->n].cValues = c;
            g->entries[g->n].lpProps = g->roots[g->n];
            g->n++;
        }
    }
    if (n > 0)
        g->after = rows[n - 1].id;
    g->done = n < want;
    fm_site_page_free(rows, n);
    if (hr != S_OK) {
        page_clear(g);
        return hr;
    }
    *lpc = g->n;
    return S_OK;
}

HRESULT fmapi_site_generate_oab(fmapi_site *site, const char *dir,
                                const fmapi_oab_options *options, fmapi_oab_result *lpResult)
{
    if (site == NULL || dir == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_site_generate_oab: NULL %s",
                            site ? "dir" : "site");
    char *site_name = fm_ab_site_name(site->dir);
    gal_source *g = fm_calloc(1, sizeof *g);
    char *dn = site_name ? fm_malloc(strlen(site_name) + 64) : NULL;
    if (site_name == NULL || g == NULL || dn == NULL) {
        fm_free(site_name);
        fm_free(g);
        fm_free(dn);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory generating the OAB");
    }
    sprintf(dn, "/o=freemapi/ou=%s/cn=addrlists/cn=oabs/cn=Default", site_name);
    fmapi_oab_options o = { 0 };
    if (options)
        o = *options;
    if (o.ulSequence == 0)
        o.ulSequence = 1;
    if (o.name == NULL)
        o.name = "\\Global Address List";
    if (o.dn == NULL)
        o.dn = dn;
    if (o.guid == NULL)
        o.guid = "6672ee4c-0c0f-4d8a-9a5e-6d6170692e01";
    g->site = site;
    g->site_name = site_name;
    fmapi_oab_source src = { g, next_page };
    HRESULT hr = fmapi_oab_generate(&src, dir, &o, lpResult);
    page_clear(g);
    fm_free(g);
    fm_free(dn);
    fm_free(site_name);
    return hr;
}
