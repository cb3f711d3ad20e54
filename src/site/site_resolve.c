/*
 * site/site_resolve.c - fmapi_site_resolve: the users a delivery address
 * reaches (freemapi_site.h), for the deliverers (LMTP, `mapi deliver`).
 *
 * The name is looked up as an alias or SMTP address; failing that, an
 * address with a "+tag" in its local part (user+tag@domain, or alias+tag)
 * is looked up without the tag. A list reaches its members, lists inside
 * it breadth first, each list and each user once (a list that contains
 * itself ends).
 */
#include <string.h>

#include "core/alloc.h"
#include "site/site.h"
#include "site/site_reader.h"

typedef struct ids {
    int64_t *v;
    size_t n, cap;
} ids;

static bool ids_has(const ids *a, int64_t id)
{
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i] == id)
            return true;
    return false;
}

static HRESULT ids_add(ids *a, int64_t id)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 8;
        int64_t *v = fm_realloc(a->v, cap * sizeof *v);
        if (v == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory resolving a recipient");
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = id;
    return S_OK;
}

static HRESULT entry_by_id(fmapi_site *site, int64_t id, fm_site_entry *out)
{
    fm_site_entry *page = NULL;
    size_t n = 0;
    HRESULT hr = fm_site_page(site, id - 1, 1, &page, &n);
    if (hr != S_OK)
        return hr;
    if (n == 1 && page[0].id == id) {
        *out = page[0];
        memset(&page[0], 0, sizeof page[0]); /* taken over */
    } else {
        hr = MAPI_E_NOT_FOUND;
    }
    fm_site_page_free(page, n);
    return hr;
}

/* The entry named name, or name without its "+tag". */
static HRESULT find_plus(fmapi_site *site, const char *name, fm_site_entry *out)
{
    HRESULT hr = fm_site_find(site, name, out);
    const char *plus = strchr(name, '+'), *at = strrchr(name, '@');
    if (hr != MAPI_E_NOT_FOUND || plus == NULL || plus == name || (at != NULL && at < plus))
        return hr;
    size_t keep = (size_t)(plus - name), len = strlen(name);
    char *bare = fm_malloc(len + 1);
    if (bare == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory resolving a recipient");
    memcpy(bare, name, keep);
    strcpy(bare + keep, at != NULL ? at : "");
    hr = fm_site_find(site, bare, out);
    fm_free(bare);
    return hr;
}

/* Every user the list with id list reaches, into users. */
static HRESULT expand(fmapi_site *site, int64_t list, ids *users)
{
    ids lists = { 0 };
    HRESULT hr = ids_add(&lists, list);
    for (size_t next = 0; hr == S_OK && next < lists.n; next++) {
        int64_t *members = NULL;
        size_t n = 0;
        hr = fm_site_members(site, lists.v[next], &members, &n);
        for (size_t i = 0; hr == S_OK && i < n; i++) {
            fm_site_entry e = { 0 };
            hr = entry_by_id(site, members[i], &e);
            if (hr == MAPI_E_NOT_FOUND) { /* removed meanwhile */
                hr = S_OK;
                continue;
            }
            ids *into = e.kind == FM_SITE_KIND_LIST ? &lists : users;
            if (hr == S_OK && !ids_has(into, e.id))
                hr = ids_add(into, e.id);
            fm_site_entry_clear(&e);
        }
        fm_free(members);
    }
    fm_free(lists.v);
    return hr;
}

static HRESULT call_for(fmapi_site *site, int64_t id, fmapi_site_list_fn fn, void *ctx)
{
    fm_site_entry e = { 0 };
    HRESULT hr = entry_by_id(site, id, &e);
    if (hr == MAPI_E_NOT_FOUND)
        return S_OK; /* removed meanwhile */
    if (hr == S_OK) {
        fmapi_site_entry pub = { FMAPI_SITE_USER_ENTRY, e.alias, e.display, e.smtp };
        hr = fn(ctx, &pub);
    }
    fm_site_entry_clear(&e);
    return hr;
}

FREEMAPI_PUBLIC HRESULT fmapi_site_resolve(fmapi_site *site, const char *name,
                                           fmapi_site_list_fn fn, void *ctx)
{
    if (site == NULL || name == NULL || fn == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_site_resolve: NULL argument");
    fm_site_entry e = { 0 };
    HRESULT hr = find_plus(site, name, &e);
    if (hr == MAPI_E_NOT_FOUND)
        return fm_error_set(MAPI_E_NOT_FOUND, "%s is not a user or list of this site", name);
    ids users = { 0 };
    if (hr == S_OK)
        hr = e.kind == FM_SITE_KIND_LIST ? expand(site, e.id, &users) : ids_add(&users, e.id);
    fm_site_entry_clear(&e);
    if (hr == S_OK && users.n == 0)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "the list %s has no members", name);
    for (size_t i = 0; hr == S_OK && i < users.n; i++)
        hr = call_for(site, users.v[i], fn, ctx);
    fm_free(users.v);
    return hr;
}
