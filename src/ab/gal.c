/*
 * ab/gal.c - reading the site directory for the address book (ab.h): one
 * entry by id, a scan of every entry a page at a time, and the expanded
 * membership of a list.
 *
 * The site connection is shared by everything of the session's identity
 * and used under its lock, which is held for one bounded page query and
 * never while a caller's callback runs (callbacks read entries too).
 */
#include <stdlib.h>
#include <string.h>

#include "ab/ab.h"
#include "core/alloc.h"
#include "site/site_reader.h"

#define SCAN_PAGE 128

static HRESULT no_gal(void)
{
    return fm_error_set(MAPI_E_NOT_FOUND, "the profile has no site directory (no global "
                                          "address list)");
}

/* Up to max entries after `after`, under the identity's lock. */
static HRESULT page(fm_ab *ab, int64_t after, size_t max, fm_site_entry **rows, size_t *n)
{
    pthread_mutex_lock(&ab->id->lock);
    HRESULT hr = fm_site_page(ab->id->site, after, max, rows, n);
    pthread_mutex_unlock(&ab->id->lock);
    return hr;
}

HRESULT fm_ab_gal_get(fm_ab *ab, int64_t id, fm_site_entry *out)
{
    memset(out, 0, sizeof *out);
    if (ab->id == NULL)
        return no_gal();
    if (id <= 0)
        return fm_error_set(MAPI_E_NOT_FOUND, "no directory entry %lld", (long long)id);
    fm_site_entry *rows = NULL;
    size_t n = 0;
    HRESULT hr = page(ab, id - 1, 1, &rows, &n);
    if (hr != S_OK)
        return hr;
    if (n == 1 && rows[0].id == id) {
        *out = rows[0];
        memset(&rows[0], 0, sizeof rows[0]);
    } else {
        hr = fm_error_set(MAPI_E_NOT_FOUND, "no directory entry %lld (removed?)", (long long)id);
    }
    fm_site_page_free(rows, n);
    return hr;
}

/* Offers one entry to fn when it matches res. */
static HRESULT visit(fm_ab *ab, const fm_site_entry *e, fmapi_restriction *res,
                     fm_ab_visit_fn fn, void *ctx)
{
    ULONG c = 0;
    LPSPropValue props = NULL;
    HRESULT hr = fm_ab_entry_props(ab->id->site, e, ab->site_name, FM_AB_PROPS_ANR, NULL, &c,
                                   &props);
    if (hr != S_OK)
        return hr;
    BOOL match = TRUE;
    if (res)
        hr = fmapi_restriction_eval(res, c, props, NULL, &match);
    if (hr == S_OK && match)
        hr = fn(ctx, e, c, props);
    MAPIFreeBuffer(props);
    return hr;
}

HRESULT fm_ab_gal_scan(fm_ab *ab, fmapi_restriction *res, fm_ab_visit_fn fn, void *ctx)
{
    if (ab->id == NULL)
        return S_OK;
    if (res)
        fmapi_restriction_reset(res);
    int64_t after = 0;
    for (;;) {
        fm_site_entry *rows = NULL;
        size_t n = 0;
        HRESULT hr = page(ab, after, SCAN_PAGE, &rows, &n);
        if (hr != S_OK)
            return hr;
        for (size_t i = 0; i < n && hr == S_OK; i++)
            hr = visit(ab, &rows[i], res, fn, ctx);
        if (n > 0)
            after = rows[n - 1].id;
        fm_site_page_free(rows, n);
        if (hr == S_FALSE)
            return S_OK;
        if (hr != S_OK || n < SCAN_PAGE)
            return hr;
    }
}

/* ---- expanding a list -------------------------------------------------------------- */

typedef struct idset {
    int64_t *v;
    size_t n, cap;
} idset;

static bool idset_has(const idset *s, int64_t id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i] == id)
            return true;
    return false;
}

static HRESULT idset_add(idset *s, int64_t id)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        int64_t *v = fm_realloc(s->v, cap * sizeof *v);
        if (v == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory expanding a list");
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = id;
    return S_OK;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Adds list's members: users to users, unseen lists to lists (the queue). */
static HRESULT expand_one(fm_ab *ab, int64_t list, idset *lists, idset *users)
{
    int64_t *ids = NULL;
    size_t n = 0;
    pthread_mutex_lock(&ab->id->lock);
    HRESULT hr = fm_site_members(ab->id->site, list, &ids, &n);
    pthread_mutex_unlock(&ab->id->lock);
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        if (idset_has(lists, ids[i]) || idset_has(users, ids[i]))
            continue; /* a loop, or a member reached twice */
        fm_site_entry e;
        hr = fm_ab_gal_get(ab, ids[i], &e);
        if (hr == MAPI_E_NOT_FOUND) {
            hr = S_OK; /* removed meanwhile */
            continue;
        }
        if (hr == S_OK)
            hr = idset_add(e.kind == FM_SITE_KIND_LIST ? lists : users, ids[i]);
        fm_site_entry_clear(&e);
    }
    fm_free(ids);
    return hr;
}

HRESULT fm_ab_list_expand(fm_ab *ab, int64_t list, int64_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    if (ab->id == NULL)
        return no_gal();
    idset lists = { 0 }, users = { 0 };
    HRESULT hr = idset_add(&lists, list);
    for (size_t next = 0; hr == S_OK && next < lists.n; next++)
        hr = expand_one(ab, lists.v[next], &lists, &users);
    fm_free(lists.v);
    if (hr != S_OK) {
        fm_free(users.v);
        return hr;
    }
    if (users.n)
        qsort(users.v, users.n, sizeof *users.v, cmp_id);
    *ids = users.v;
    *n = users.n;
    return S_OK;
}
