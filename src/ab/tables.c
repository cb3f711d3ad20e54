/*
 * ab/tables.c - the address book's tables (ab.h): the global address
 * list's contents, the hierarchy of containers, and a list's members.
 *
 * The GAL contents table is a table source of its own, so a directory of
 * any size is never held whole: a load reads the directory a page at a
 * time (gal.c), evaluates the view's restriction on each entry's full
 * property set, and keeps for each matching row only the columns the view
 * needs (its sort keys); QueryRows reads the rows it returns again by id.
 * Row ids are directory entry ids (stable, never reused). The generation
 * is fixed: a table shows the directory as of its loads (a restriction or
 * sort reloads it).
 */
#include <string.h>

#include "ab/ab.h"
#include "core/alloc.h"
#include "mapiutil.h"
#include "site/site_reader.h"
#include "table/table.h"

static const ULONG GAL_COLUMNS[] = {
    PR_INSTANCE_KEY, PR_ENTRYID,  PR_DISPLAY_NAME, PR_DISPLAY_TYPE, PR_OBJECT_TYPE,
    PR_ADDRTYPE,     PR_EMAIL_ADDRESS, PR_SMTP_ADDRESS, PR_ACCOUNT,
};
static const ULONG GAL_MORE[] = {
    PR_RECORD_KEY,   PR_SEARCH_KEY,  PR_TRANSMITABLE_DISPLAY_NAME,
    PR_SEND_RICH_INFO, PR_TITLE, PR_COMPANY_NAME, PR_DEPARTMENT_NAME, PR_OFFICE_LOCATION,
    PR_BUSINESS_TELEPHONE_NUMBER, PR_GIVEN_NAME, PR_SURNAME, PR_EMS_AB_PROXY_ADDRESSES,
};

typedef struct gal_source {
    fm_table_source base;
    fm_ab *ab;
} gal_source;

static HRESULT columns_of(const ULONG *a, ULONG na, const ULONG *b, ULONG nb,
                          LPSPropTagArray *out)
{
    if (MAPIAllocateBuffer(CbNewSPropTagArray(na + nb), (void **)out) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory listing columns");
    (*out)->cValues = na + nb;
    memcpy((*out)->aulPropTag, a, na * sizeof *a);
    if (nb)
        memcpy((*out)->aulPropTag + na, b, nb * sizeof *b);
    return S_OK;
}

static HRESULT gal_columns(fm_table_source *src, ULONG flags, LPSPropTagArray *out)
{
    (void)src;
    ULONG nb = (flags & TBL_ALL_COLUMNS) ? sizeof GAL_MORE / sizeof GAL_MORE[0] : 0;
    return columns_of(GAL_COLUMNS, sizeof GAL_COLUMNS / sizeof GAL_COLUMNS[0], GAL_MORE, nb,
                      out);
}

static HRESULT gal_generation(fm_table_source *src, uint64_t *out)
{
    (void)src;
    *out = 1;
    return S_OK;
}

typedef struct load_ctx {
    const fm_table_query *q;
    fm_table_rows *out;
} load_ctx;

/* Keeps the values of q's tags that e has, in one MAPI buffer the rows own. */
static HRESULT keep_row(void *ctx, const fm_site_entry *e, ULONG c, const SPropValue *props)
{
    load_ctx *l = ctx;
    LPSPropValue vals = NULL;
    ULONG n = 0;
    size_t size = (l->q->ntags ? l->q->ntags : 1) * sizeof *vals;
    if (MAPIAllocateBuffer((ULONG)size, (void **)&vals) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading the directory");
    HRESULT hr = fm_table_rows_own(l->out, vals);
    for (ULONG i = 0; hr == S_OK && i < l->q->ntags; i++) {
        LPSPropValue v = PpropFindProp((LPSPropValue)props, c,
                                       PROP_TAG(PT_UNSPECIFIED, PROP_ID(l->q->tags[i])));
        if (v && PropCopyMore(&vals[n], v, MAPIAllocateMore, vals) == S_OK)
            n++;
        else if (v)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading the directory");
    }
    if (hr != S_OK)
        return hr;
    fm_table_row row = { .id = e->id, .type = TBL_LEAF_ROW, .cvals = n, .vals = vals };
    return fm_table_rows_push(l->out, &row);
}

static HRESULT gal_load(fm_table_source *src, const fm_table_query *q, bool ordered,
                        const fm_table_row *after, ULONG max, fm_table_rows *out, bool *done)
{
    (void)ordered, (void)after, (void)max;
    gal_source *g = (gal_source *)src;
    load_ctx l = { q, out };
    *done = true;
    return fm_ab_gal_scan(g->ab, q->res, keep_row, &l);
}

static HRESULT gal_read_row(fm_table_source *src, const fm_table_row *row,
                            const SPropTagArray *want, ULONG *cvals, LPSPropValue *vals)
{
    (void)want;
    gal_source *g = (gal_source *)src;
    fm_site_entry e;
    HRESULT hr = fm_ab_gal_get(g->ab, row->id, &e);
    if (hr != S_OK)
        return hr;
    hr = fm_ab_entry_props(g->ab->id->site, &e, g->ab->site_name, FM_AB_PROPS_ANR, NULL, cvals,
                           vals);
    fm_site_entry_clear(&e);
    return hr;
}

static void gal_release(fm_table_source *src)
{
    gal_source *g = (gal_source *)src;
    fm_ab_release(g->ab);
    fm_free(g);
}

static const fm_table_source_ops GAL_OPS = {
    .name = "global address list",
    .columns = gal_columns,
    .generation = gal_generation,
    .load = gal_load,
    .read_row = gal_read_row,
    .release = gal_release,
};

HRESULT fm_ab_gal_table(fm_ab *ab, ULONG flags, IMAPITable **out)
{
    *out = NULL;
    if (ab->id == NULL)
        return fm_error_set(MAPI_E_NOT_FOUND, "the profile has no site directory");
    gal_source *g = fm_calloc(1, sizeof *g);
    if (g == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening the global "
                                                      "address list");
    g->base.ops = &GAL_OPS;
    fm_ab_addref(ab);
    g->ab = ab;
    IMAPITable *inner = NULL;
    HRESULT hr = fm_table_new(&g->base, flags & MAPI_UNICODE, &inner);
    if (hr != S_OK)
        return hr;
    return fm_ab_anr_table(inner, out);
}

/* ---- hierarchy ------------------------------------------------------------------ */

static const ULONG HIER_COLUMNS[] = { PR_INSTANCE_KEY, PR_ENTRYID,         PR_DISPLAY_NAME,
                                      PR_OBJECT_TYPE,  PR_DISPLAY_TYPE,    PR_CONTAINER_FLAGS,
                                      PR_DEPTH,        PR_AB_PROVIDER_ID };

typedef struct hier_ctx {
    fm_ab *ab;
    int64_t container;
} hier_ctx;

static HRESULT hier_load(void *context, LPSRowSet *out)
{
    hier_ctx *h = context;
    HRESULT hr = fm_rowset_new(2, out);
    static const int64_t kids[2] = { FM_AB_GAL, FM_AB_CONTACTS };
    for (int i = 0; hr == S_OK && h->container == FM_AB_ROOT && i < 2; i++) {
        if (!fm_ab_has_container(h->ab, kids[i]))
            continue;
        ULONG c = 0;
        LPSPropValue props = NULL;
        hr = fm_ab_container_props(kids[i], NULL, &c, &props);
        if (hr == S_OK)
            hr = fm_row_from_props(&(*out)->aRow[(*out)->cRows], c, props, 0, NULL);
        if (hr == S_OK)
            (*out)->cRows++;
        MAPIFreeBuffer(props);
    }
    return fm_rowset_finish(hr, out);
}

static void ctx_release(void *context)
{
    hier_ctx *h = context;
    fm_ab_release(h->ab);
    fm_free(h);
}

HRESULT fm_ab_hierarchy_table(fm_ab *ab, int64_t container, ULONG flags, IMAPITable **out)
{
    *out = NULL;
    hier_ctx *h = fm_calloc(1, sizeof *h);
    if (h == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a hierarchy "
                                                      "table");
    fm_ab_addref(ab);
    h->ab = ab;
    h->container = container;
    fm_memory_source_def def = { .name = "address book hierarchy",
                                 .context = h,
                                 .load = hier_load,
                                 .release = ctx_release,
                                 .default_columns = HIER_COLUMNS,
                                 .ndefault = sizeof HIER_COLUMNS / sizeof HIER_COLUMNS[0] };
    return fm_memory_table_open(&def, flags & MAPI_UNICODE, out);
}

/* ---- a list's members ----------------------------------------------------------------- */

typedef struct members_ctx {
    hier_ctx base; /* ab and the list */
    bool expand;
} members_ctx;

static HRESULT direct_members(fm_ab *ab, int64_t list, int64_t **ids, size_t *n)
{
    pthread_mutex_lock(&ab->id->lock);
    HRESULT hr = fm_site_members(ab->id->site, list, ids, n);
    pthread_mutex_unlock(&ab->id->lock);
    return hr;
}

static HRESULT member_row(fm_ab *ab, int64_t id, SRow *row, bool *added)
{
    fm_site_entry e;
    *added = false;
    HRESULT hr = fm_ab_gal_get(ab, id, &e);
    if (hr == MAPI_E_NOT_FOUND)
        return S_OK; /* removed meanwhile */
    if (hr != S_OK)
        return hr;
    ULONG c = 0;
    LPSPropValue props = NULL;
    hr = fm_ab_entry_props(ab->id->site, &e, ab->site_name, FM_AB_PROPS_ANR, NULL, &c, &props);
    fm_site_entry_clear(&e);
    if (hr != S_OK)
        return hr;
    row->ulAdrEntryPad = 0;
    row->cValues = c;
    row->lpProps = props;
    *added = true;
    return S_OK;
}

static HRESULT members_load(void *context, LPSRowSet *out)
{
    members_ctx *m = context;
    fm_ab *ab = m->base.ab;
    int64_t *ids = NULL;
    size_t n = 0;
    HRESULT hr = m->expand ? fm_ab_list_expand(ab, m->base.container, &ids, &n)
                           : direct_members(ab, m->base.container, &ids, &n);
    if (hr == S_OK)
        hr = fm_rowset_new(n, out);
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        bool added = false;
        hr = member_row(ab, ids[i], &(*out)->aRow[(*out)->cRows], &added);
        if (added)
            (*out)->cRows++;
    }
    fm_free(ids);
    return fm_rowset_finish(hr, out);
}

static void members_release(void *context)
{
    members_ctx *m = context;
    fm_ab_release(m->base.ab);
    fm_free(m);
}

HRESULT fm_ab_members_table(fm_ab *ab, int64_t list, ULONG flags, IMAPITable **out)
{
    *out = NULL;
    members_ctx *m = fm_calloc(1, sizeof *m);
    if (m == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a list");
    fm_ab_addref(ab);
    m->base.ab = ab;
    m->base.container = list;
    m->expand = (flags & FMAPI_AB_EXPAND_LISTS) != 0;
    fm_memory_source_def def = { .name = "distribution list",
                                 .context = m,
                                 .load = members_load,
                                 .release = members_release,
                                 .default_columns = GAL_COLUMNS,
                                 .ndefault = sizeof GAL_COLUMNS / sizeof GAL_COLUMNS[0] };
    IMAPITable *inner = NULL;
    HRESULT hr = fm_memory_table_open(&def, flags & MAPI_UNICODE, &inner);
    if (hr != S_OK)
        return hr;
    return fm_ab_anr_table(inner, out);
}

/* ---- the contacts ------------------------------------------------------------------------ */

typedef struct contacts_rows {
    LPSRowSet set;
    ULONG cap;
} contacts_rows;

static HRESULT add_contact_row(void *ctx, const fm_site_entry *e, ULONG c,
                               const SPropValue *props)
{
    (void)e;
    contacts_rows *r = ctx;
    if (r->set->cRows == r->cap) {
        LPSRowSet bigger = NULL;
        HRESULT hr = fm_rowset_new(r->cap * 2, &bigger);
        if (hr != S_OK)
            return hr;
        memcpy(bigger->aRow, r->set->aRow, r->set->cRows * sizeof *bigger->aRow);
        bigger->cRows = r->set->cRows;
        MAPIFreeBuffer(r->set); /* the rows' buffers moved to bigger */
        r->set = bigger;
        r->cap *= 2;
    }
    HRESULT hr = fm_row_from_props(&r->set->aRow[r->set->cRows], c, props, 0, NULL);
    if (hr == S_OK)
        r->set->cRows++;
    return hr;
}

static HRESULT contacts_load(void *context, LPSRowSet *out)
{
    hier_ctx *h = context;
    contacts_rows r = { NULL, 16 };
    HRESULT hr = fm_rowset_new(r.cap, &r.set);
    if (hr == S_OK)
        hr = fm_ab_contacts_scan(h->ab, NULL, add_contact_row, &r);
    if (hr != S_OK) {
        if (r.set)
            FreeProws(r.set);
        return hr;
    }
    *out = r.set;
    return S_OK;
}

HRESULT fm_ab_contacts_table(fm_ab *ab, ULONG flags, IMAPITable **out)
{
    *out = NULL;
    hier_ctx *h = fm_calloc(1, sizeof *h);
    if (h == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening the contacts");
    fm_ab_addref(ab);
    h->ab = ab;
    h->container = FM_AB_CONTACTS;
    fm_memory_source_def def = { .name = "contacts",
                                 .context = h,
                                 .load = contacts_load,
                                 .release = ctx_release,
                                 .default_columns = GAL_COLUMNS,
                                 .ndefault = sizeof GAL_COLUMNS / sizeof GAL_COLUMNS[0] };
    IMAPITable *inner = NULL;
    HRESULT hr = fm_memory_table_open(&def, flags & MAPI_UNICODE, &inner);
    if (hr != S_OK)
        return hr;
    return fm_ab_anr_table(inner, out);
}
