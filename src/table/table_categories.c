/*
 * table/table_categories.c - categorized views: parsing a categorized sort
 * order, building heading rows, and ExpandRow, CollapseRow,
 * GetCollapseState, SetCollapseState.
 *
 * From Microsoft's SSortOrder/SSortOrderSet pages and "Sorting and
 * Categorization", with freemapi's reading where they leave room:
 *   - the first cCategories sort keys are category columns, one level each,
 *     except that a TABLE_SORT_COMBINE key joins the level before it (the
 *     category is the pair of values); TABLE_SORT_COMBINE sorts ascending;
 *   - a TABLE_SORT_CATEG_MAX/MIN key is not a column of its own: it orders
 *     the categories of the level before it by the largest (newest first)
 *     or smallest (ascending) value of its column among their rows;
 *     categories without any value come last;
 *   - the first cExpanded levels start expanded, the others collapsed;
 *   - a heading row has the category values of its level and the levels
 *     above it, PR_INSTANCE_KEY, PR_ROW_TYPE, PR_DEPTH (0 for the top
 *     level), PR_CONTENT_COUNT and PR_CONTENT_UNREAD (its leaf rows, and
 *     those of them without MSGFLAG_READ); every other column is PT_ERROR.
 * A heading is identified by a hash of its category values, so its
 * expanded or collapsed state survives rebuilds of the view.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/stable_sort.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapix.h"
#include "props/compare.h"
#include "table/table_internal.h"
#include "table/table_methods.h"

/* ---- the sort order ---------------------------------------------------------- */

static bool is_aggregate(ULONG order)
{
    return order == TABLE_SORT_CATEG_MAX || order == TABLE_SORT_CATEG_MIN;
}

HRESULT fm_categories_parse(fm_table *t)
{
    MAPIFreeBuffer(t->leaf_sort);
    t->leaf_sort = NULL;
    t->nlevels = 0;
    t->expanded = 0;
    const SSortOrderSet *s = t->sort;
    if (s == NULL || s->cSorts == 0)
        return S_OK;
    if (MAPIAllocateBuffer(CbNewSSortOrderSet(s->cSorts), (void **)&t->leaf_sort) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory setting a sort order");
    SSortOrderSet *ls = t->leaf_sort;
    ULONG k = 0, cats_left = s->cCategories;
    for (ULONG i = 0; i < s->cSorts; i++) {
        SSortOrder e = s->aSort[i];
        if (is_aggregate(e.ulOrder)) {
            if (t->nlevels) {
                t->levels[t->nlevels - 1].agg_tag = e.ulPropTag;
                t->levels[t->nlevels - 1].agg_order = e.ulOrder;
            }
            continue;
        }
        if (e.ulOrder == TABLE_SORT_COMBINE)
            e.ulOrder = TABLE_SORT_ASCEND;
        ls->aSort[k] = e;
        if (cats_left > 0) {
            cats_left--;
            if (s->aSort[i].ulOrder == TABLE_SORT_COMBINE && t->nlevels) {
                t->levels[t->nlevels - 1].nkeys++;
            } else {
                if (t->nlevels == FM_TABLE_MAX_CATEGORIES)
                    return fm_error_set(MAPI_E_TOO_COMPLEX,
                                        "SortTable: more than %d category levels",
                                        FM_TABLE_MAX_CATEGORIES);
                t->levels[t->nlevels++] = (fm_table_level){.first = k, .nkeys = 1};
            }
        }
        k++;
    }
    ls->cSorts = k;
    ls->cCategories = 0;
    ls->cExpanded = 0;
    t->expanded = s->cExpanded < t->nlevels ? s->cExpanded : t->nlevels;
    return S_OK;
}

bool fm_categories_shows(const fm_table *t, ULONG depth, ULONG tag)
{
    for (ULONG l = 0; l <= depth && l < t->nlevels; l++) {
        const fm_table_level *lv = &t->levels[l];
        for (ULONG k = lv->first; k < lv->first + lv->nkeys; k++)
            if (PROP_ID(t->leaf_sort->aSort[k].ulPropTag) == PROP_ID(tag))
                return true;
    }
    return false;
}

bool fm_categories_expanded(const fm_table *t, uint64_t hash, ULONG depth)
{
    bool state = depth < t->expanded;
    for (size_t i = 0; i < t->ntoggled; i++)
        if (t->toggled[i] == hash)
            return !state;
    return state;
}

static HRESULT toggle(fm_table *t, uint64_t hash)
{
    for (size_t i = 0; i < t->ntoggled; i++) {
        if (t->toggled[i] == hash) {
            t->toggled[i] = t->toggled[--t->ntoggled];
            return S_OK;
        }
    }
    uint64_t *p = fm_realloc(t->toggled, (t->ntoggled + 1) * sizeof *p);
    if (p == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory changing a category");
    t->toggled = p;
    t->toggled[t->ntoggled++] = hash;
    return S_OK;
}

/* ---- grouping ------------------------------------------------------------------ */

/* Compares one sort key of two leaves: 0 only for the same value. */
static int key_compare(const fm_table *t, ULONG k, const fm_table_row *a, const fm_table_row *b)
{
    SizedSSortOrderSet(1, one) = {1, 0, 0, {t->leaf_sort->aSort[k]}};
    return fmapi_sort_compare_rows((const SSortOrderSet *)&one, a->cvals, a->vals, b->cvals,
                                   b->vals);
}

static bool same_level(const fm_table *t, ULONG level, const fm_table_row *a, const fm_table_row *b)
{
    const fm_table_level *l = &t->levels[level];
    for (ULONG k = l->first; k < l->first + l->nkeys; k++)
        if (key_compare(t, k, a, b) != 0)
            return false;
    return true;
}

typedef struct group {
    size_t begin, end;
    const SPropValue *agg; /* the group's max or min, NULL when none */
} group;

static int compare_groups(const void *pa, const void *pb, void *ctx)
{
    const group *a = pa, *b = pb;
    ULONG order = *(const ULONG *)ctx;
    if (a->agg == NULL || b->agg == NULL)
        return (a->agg == NULL) - (b->agg == NULL);
    int c = fm_prop_compare_values(a->agg, b->agg, FM_PROP_CMP_NOCASE);
    return order == TABLE_SORT_CATEG_MAX ? -c : c;
}

static HRESULT reorder_range(fm_table *t, size_t begin, size_t end, ULONG level);

/* Orders the groups of one level inside [begin, end) by their aggregate. */
static HRESULT order_groups(fm_table *t, group *g, size_t ng, size_t begin, size_t end,
                            const fm_table_level *l)
{
    fm_table_row *rows = t->view.leaves.rows;
    for (size_t i = 0; i < ng; i++) {
        g[i].agg = NULL;
        for (size_t r = g[i].begin; r < g[i].end; r++) {
            const SPropValue *v = fm_view_value(&rows[r], l->agg_tag);
            if (v == NULL)
                continue;
            int c = g[i].agg ? fm_prop_compare_values(v, g[i].agg, FM_PROP_CMP_NOCASE) : 1;
            if (g[i].agg == NULL || (l->agg_order == TABLE_SORT_CATEG_MAX ? c > 0 : c < 0))
                g[i].agg = v;
        }
    }
    ULONG order = l->agg_order;
    HRESULT hr = fm_stable_sort(g, ng, sizeof *g, compare_groups, &order);
    fm_table_row *tmp = hr == S_OK ? fm_malloc((end - begin) * sizeof *tmp) : NULL;
    if (hr == S_OK && tmp == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory ordering categories");
    if (hr != S_OK)
        return hr;
    size_t k = 0;
    for (size_t i = 0; i < ng; i++) {
        size_t n = g[i].end - g[i].begin;
        memcpy(tmp + k, rows + g[i].begin, n * sizeof *tmp);
        g[i].begin = begin + k;
        g[i].end = begin + k + n;
        k += n;
    }
    memcpy(rows + begin, tmp, (end - begin) * sizeof *tmp);
    fm_free(tmp);
    return S_OK;
}

static HRESULT reorder_range(fm_table *t, size_t begin, size_t end, ULONG level)
{
    if (level >= t->nlevels || end - begin < 2)
        return S_OK;
    fm_table_row *rows = t->view.leaves.rows;
    size_t ng = 0;
    for (size_t r = begin; r < end; r++)
        if (r == begin || !same_level(t, level, &rows[r - 1], &rows[r]))
            ng++;
    group *g = fm_malloc(ng * sizeof *g);
    if (g == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory grouping categories");
    size_t i = 0;
    for (size_t r = begin; r < end; r++) {
        if (r == begin || !same_level(t, level, &rows[r - 1], &rows[r])) {
            if (i)
                g[i - 1].end = r;
            g[i++].begin = r;
        }
    }
    g[ng - 1].end = end;
    HRESULT hr = S_OK;
    if (t->levels[level].agg_tag)
        hr = order_groups(t, g, ng, begin, end, &t->levels[level]);
    for (size_t j = 0; j < ng && hr == S_OK; j++)
        hr = reorder_range(t, g[j].begin, g[j].end, level + 1);
    fm_free(g);
    return hr;
}

/* ---- headings -------------------------------------------------------------------- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001B3ull;
    }
    return h;
}

static uint64_t hash_value(uint64_t h, const SPropValue *v)
{
    if (v == NULL)
        return fnv(h, "\xFF", 1);
    /* An instance value (MVI_FLAG) is one value of the base type: hashing
     * its MV type would hash the pointer it holds. */
    ULONG type = PROP_TYPE(v->ulPropTag);
    if ((type & MVI_FLAG) == MVI_FLAG)
        type &= ~(ULONG)MVI_FLAG;
    h = fnv(h, &type, sizeof type);
    switch (type) {
    case PT_STRING8:
    case PT_UNICODE: {
        fm_text tx = fm_prop_text(v);
        return fnv(h, tx.data, tx.len * (tx.wide ? 2 : 1));
    }
    case PT_BINARY:
        return fnv(h, v->Value.bin.lpb, v->Value.bin.cb);
    case PT_CLSID:
        return v->Value.lpguid ? fnv(h, v->Value.lpguid, sizeof(GUID)) : h;
    case PT_I2:
    case PT_BOOLEAN:
        return fnv(h, &v->Value.i, sizeof v->Value.i);
    case PT_LONG:
    case PT_ERROR:
    case PT_R4:
        return fnv(h, &v->Value.l, sizeof v->Value.l);
    default:
        return fnv(h, &v->Value.li, sizeof v->Value.li);
    }
}

static uint64_t heading_hash(const fm_table *t, const fm_table_row *leaf, ULONG level)
{
    uint64_t h = 0xCBF29CE484222325ull;
    h = fnv(h, &level, sizeof level);
    for (ULONG l = 0; l <= level; l++) {
        const fm_table_level *lv = &t->levels[l];
        for (ULONG k = lv->first; k < lv->first + lv->nkeys; k++) {
            h = hash_value(h, fm_view_value(leaf, t->leaf_sort->aSort[k].ulPropTag));
        }
    }
    return h | FM_HEADING_BIT;
}

static bool leaf_unread(const fm_table_row *leaf)
{
    const SPropValue *f = fm_view_value(leaf, PR_MESSAGE_FLAGS);
    return f && !(f->Value.l & MSGFLAG_READ);
}

/* First level at which leaf i starts new categories (nlevels: none). */
static ULONG new_level(const fm_table *t, size_t i)
{
    if (i == 0)
        return 0;
    const fm_table_row *rows = t->view.leaves.rows;
    for (ULONG l = 0; l < t->nlevels; l++)
        if (!same_level(t, l, &rows[i - 1], &rows[i]))
            return l;
    return t->nlevels;
}

HRESULT fm_view_categorize(fm_table *t)
{
    fm_table_view *v = &t->view;
    HRESULT hr = reorder_range(t, 0, v->leaves.n, 0);
    if (hr != S_OK)
        return hr;
    size_t nheads = 0;
    for (size_t i = 0; i < v->leaves.n; i++)
        nheads += t->nlevels - new_level(t, i);
    v->heads = fm_calloc(nheads ? nheads : 1, sizeof *v->heads);
    v->order = fm_malloc((nheads + v->leaves.n + 1) * sizeof *v->order);
    v->vis = fm_malloc((nheads + v->leaves.n + 1) * sizeof *v->vis);
    if (v->heads == NULL || v->order == NULL || v->vis == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory categorizing a table");
    fm_table_row *open[FM_TABLE_MAX_CATEGORIES] = {0};
    for (size_t i = 0; i < v->leaves.n; i++) {
        fm_table_row *leaf = &v->leaves.rows[i];
        for (ULONG l = new_level(t, i); l < t->nlevels; l++) {
            fm_table_row *h = &v->heads[v->nheads++];
            h->type = TBL_COLLAPSED_CATEGORY;
            h->depth = l;
            h->hash = heading_hash(t, leaf, l);
            h->cvals = leaf->cvals;
            h->vals = leaf->vals;
            h->pre = v->norder;
            v->order[v->norder++] = h;
            open[l] = h;
        }
        bool unread = leaf_unread(leaf);
        for (ULONG l = 0; l < t->nlevels; l++) {
            open[l]->count++;
            open[l]->unread += unread;
        }
        leaf->type = TBL_LEAF_ROW;
        leaf->depth = t->nlevels;
        leaf->pre = v->norder;
        v->order[v->norder++] = leaf;
    }
    return fm_view_revisible(t);
}

/* The visible index a row's position maps to: its own, or the row after
 * the collapsed heading hiding it. */
static size_t visible_index_of(const fm_table *t, const fm_table_row *r)
{
    if (r->vis != SIZE_MAX)
        return r->vis;
    for (size_t p = r->pre; p-- > 0;) {
        const fm_table_row *up = t->view.order[p];
        if (up->vis != SIZE_MAX && up->depth < r->depth)
            return up->vis + 1;
    }
    return 0;
}

HRESULT fm_view_revisible(fm_table *t)
{
    fm_table_view *v = &t->view;
    /* Positions as rows (NULL: the end) before the visible list changes. */
    fm_table_row *cur = fm_view_row(t, t->cursor);
    fm_table_row **marks = NULL;
    if (t->nbm) {
        marks = fm_calloc(t->nbm, sizeof *marks);
        if (marks == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory changing a category");
        for (size_t i = 0; i < t->nbm; i++)
            marks[i] = t->bm[i].used ? fm_view_row(t, t->bm[i].index) : NULL;
    }
    bool had_rows = v->nvis > 0;
    v->nvis = 0;
    ULONG hidden_below = FM_ULONG_MAX;
    for (size_t p = 0; p < v->norder; p++) {
        fm_table_row *r = v->order[p];
        if (r->type != TBL_LEAF_ROW)
            r->type = fm_categories_expanded(t, r->hash, r->depth) ? TBL_EXPANDED_CATEGORY
                                                                   : TBL_COLLAPSED_CATEGORY;
        if (r->depth > hidden_below) {
            r->vis = SIZE_MAX;
            continue;
        }
        hidden_below = r->type == TBL_COLLAPSED_CATEGORY ? r->depth : FM_ULONG_MAX;
        r->vis = v->nvis;
        v->vis[v->nvis++] = r;
    }
    if (had_rows || cur) {
        t->cursor = cur ? visible_index_of(t, cur) : (t->cursor ? v->nvis : 0);
        for (size_t i = 0; i < t->nbm; i++)
            if (t->bm[i].used)
                t->bm[i].index = marks[i] ? visible_index_of(t, marks[i]) : v->nvis;
    }
    fm_free(marks);
    return S_OK;
}

/* ---- methods ----------------------------------------------------------------------- */

static HRESULT find_heading(fm_table *t, ULONG cb, const BYTE *key, fm_table_row **out)
{
    if (key == NULL || cb != FM_INSTANCE_KEY_SIZE)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "the instance key must be the %d-byte PR_INSTANCE_KEY of a row",
                            FM_INSTANCE_KEY_SIZE);
    uint64_t hash = 0;
    for (int i = 7; i >= 0; i--)
        hash = (hash << 8) | key[i];
    for (size_t i = 0; i < t->view.nheads; i++) {
        if (t->view.heads[i].hash == hash) {
            *out = &t->view.heads[i];
            return S_OK;
        }
    }
    return fm_error_set(MAPI_E_NOT_FOUND, "no category heading row has that instance key");
}

static HRESULT need_categories(fm_table *t, const char *what)
{
    if (t->nlevels == 0)
        return fm_error_set(MAPI_E_NOT_FOUND, "%s: the table is not categorized", what);
    return fm_view_refresh(t);
}

STDMETHODIMP fm_table_ExpandRow(IMAPITable *This, ULONG cbInstanceKey, LPBYTE pbInstanceKey,
                                ULONG ulRowCount, ULONG ulFlags, LPSRowSet *lppRows,
                                ULONG *lpulMoreRows)
{
    fm_table *t = (fm_table *)This;
    if (ulFlags)
        return fm_table_fail(t, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ExpandRow: ulFlags must be 0"));
    if (lpulMoreRows == NULL || (ulRowCount && lppRows == NULL))
        return fm_table_fail(
            t, fm_error_set(MAPI_E_INVALID_PARAMETER, "ExpandRow: NULL output pointer"));
    if (lppRows)
        *lppRows = NULL;
    pthread_mutex_lock(&t->lock);
    fm_table_row *h = NULL;
    HRESULT hr = need_categories(t, "ExpandRow");
    if (hr == S_OK)
        hr = find_heading(t, cbInstanceKey, pbInstanceKey, &h);
    if (hr == S_OK && h->type == TBL_COLLAPSED_CATEGORY) {
        size_t before = t->view.nvis;
        hr = toggle(t, h->hash);
        if (hr == S_OK)
            hr = fm_view_revisible(t);
        if (hr == S_OK) {
            *lpulMoreRows = (ULONG)(t->view.nvis - before);
            if (h->vis != SIZE_MAX) /* a heading hidden under a collapsed one: no move */
                t->cursor = h->vis + 1;
            if (lppRows) {
                ULONG n = ulRowCount < *lpulMoreRows ? ulRowCount : *lpulMoreRows;
                hr = fm_rows_query(t, n ? (LONG)n : 0, 0, lppRows);
            }
        }
    } else if (hr == S_OK) {
        *lpulMoreRows = 0;
        if (h->vis != SIZE_MAX) /* a heading hidden under a collapsed one: no move */
            t->cursor = h->vis + 1;
        if (lppRows)
            hr = fm_rows_query(t, 0, 0, lppRows);
    }
    if (hr == S_OK)
        fm_table_advise_view_changed(t, 0);
    pthread_mutex_unlock(&t->lock);
    return fm_table_fail(t, hr);
}

STDMETHODIMP fm_table_CollapseRow(IMAPITable *This, ULONG cbInstanceKey, LPBYTE pbInstanceKey,
                                  ULONG ulFlags, ULONG *lpulRowCount)
{
    fm_table *t = (fm_table *)This;
    if (ulFlags)
        return fm_table_fail(t,
                             fm_error_set(MAPI_E_UNKNOWN_FLAGS, "CollapseRow: ulFlags must be 0"));
    if (lpulRowCount == NULL)
        return fm_table_fail(
            t, fm_error_set(MAPI_E_INVALID_PARAMETER, "CollapseRow: lpulRowCount is NULL"));
    pthread_mutex_lock(&t->lock);
    fm_table_row *h = NULL;
    HRESULT hr = need_categories(t, "CollapseRow");
    if (hr == S_OK)
        hr = find_heading(t, cbInstanceKey, pbInstanceKey, &h);
    if (hr == S_OK) {
        size_t before = t->view.nvis;
        if (h->type == TBL_EXPANDED_CATEGORY) {
            hr = toggle(t, h->hash);
            if (hr == S_OK)
                hr = fm_view_revisible(t);
        }
        if (hr == S_OK)
            *lpulRowCount = (ULONG)(before - t->view.nvis);
    }
    if (hr == S_OK)
        fm_table_advise_view_changed(t, 0);
    pthread_mutex_unlock(&t->lock);
    return fm_table_fail(t, hr);
}

/* Collapse state: "FMCS", a version byte, 3 zero bytes, the 12-byte instance
 * key of the row to return to, the sort order's signature, and the toggled
 * headings (8 bytes each), all little-endian. */
#define STATE_HEAD (4 + 4 + FM_INSTANCE_KEY_SIZE + 8 + 4)

static uint64_t sort_signature(const fm_table *t)
{
    uint64_t h = 0xCBF29CE484222325ull;
    const SSortOrderSet *s = t->sort;
    if (s)
        h = fnv(h, s, CbSSortOrderSet(s));
    return h;
}

static void put64(BYTE *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (BYTE)(v >> (8 * i));
}

static uint64_t get64(const BYTE *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

STDMETHODIMP fm_table_GetCollapseState(IMAPITable *This, ULONG ulFlags, ULONG cbInstanceKey,
                                       LPBYTE lpbInstanceKey, ULONG *lpcbCollapseState,
                                       LPBYTE *lppbCollapseState)
{
    fm_table *t = (fm_table *)This;
    if (ulFlags)
        return fm_table_fail(
            t, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetCollapseState: ulFlags must be 0"));
    if (lpcbCollapseState == NULL || lppbCollapseState == NULL ||
        (cbInstanceKey && lpbInstanceKey == NULL))
        return fm_table_fail(
            t, fm_error_set(MAPI_E_INVALID_PARAMETER, "GetCollapseState: NULL pointer"));
    if (cbInstanceKey != 0 && cbInstanceKey != FM_INSTANCE_KEY_SIZE)
        return fm_table_fail(t, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                             "GetCollapseState: an instance key has %d bytes, "
                                             "not %lu",
                                             FM_INSTANCE_KEY_SIZE, (unsigned long)cbInstanceKey));
    pthread_mutex_lock(&t->lock);
    HRESULT hr = need_categories(t, "GetCollapseState");
    BYTE *blob = NULL;
    size_t size = STATE_HEAD + t->ntoggled * 8;
    if (hr == S_OK && MAPIAllocateBuffer((ULONG)size, (void **)&blob) != S_OK)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory saving the collapse state");
    if (hr == S_OK) {
        memset(blob, 0, size);
        memcpy(blob, "FMCS\1", 5);
        if (cbInstanceKey)
            memcpy(blob + 8, lpbInstanceKey, FM_INSTANCE_KEY_SIZE);
        put64(blob + 8 + FM_INSTANCE_KEY_SIZE, sort_signature(t));
        ULONG n = (ULONG)t->ntoggled;
        memcpy(blob + 8 + FM_INSTANCE_KEY_SIZE + 8, &n, 4);
        for (size_t i = 0; i < t->ntoggled; i++)
            put64(blob + STATE_HEAD + 8 * i, t->toggled[i]);
        *lpcbCollapseState = (ULONG)size;
        *lppbCollapseState = blob;
    }
    pthread_mutex_unlock(&t->lock);
    return fm_table_fail(t, hr);
}

static HRESULT parse_state(const fm_table *t, ULONG cb, const BYTE *p, ULONG *n)
{
    if (p == NULL || cb < STATE_HEAD || memcmp(p, "FMCS\1", 5) != 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "SetCollapseState: not a collapse state from GetCollapseState");
    memcpy(n, p + 8 + FM_INSTANCE_KEY_SIZE + 8, 4);
    if ((size_t)cb != STATE_HEAD + (size_t)*n * 8)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "SetCollapseState: truncated state");
    if (get64(p + 8 + FM_INSTANCE_KEY_SIZE) != sort_signature(t))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "SetCollapseState: the state was saved under another sort order");
    return S_OK;
}

STDMETHODIMP fm_table_SetCollapseState(IMAPITable *This, ULONG ulFlags, ULONG cbCollapseState,
                                       LPBYTE pbCollapseState, BOOKMARK *lpbkLocation)
{
    fm_table *t = (fm_table *)This;
    if (ulFlags)
        return fm_table_fail(
            t, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "SetCollapseState: ulFlags must be 0"));
    if (lpbkLocation == NULL)
        return fm_table_fail(
            t, fm_error_set(MAPI_E_INVALID_PARAMETER, "SetCollapseState: lpbkLocation is NULL"));
    pthread_mutex_lock(&t->lock);
    ULONG n = 0;
    HRESULT hr = need_categories(t, "SetCollapseState");
    if (hr == S_OK)
        hr = parse_state(t, cbCollapseState, pbCollapseState, &n);
    uint64_t *list = NULL;
    if (hr == S_OK && n && (list = fm_malloc(n * sizeof *list)) == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory restoring a collapse state");
    if (hr == S_OK) {
        for (ULONG i = 0; i < n; i++)
            list[i] = get64(pbCollapseState + STATE_HEAD + 8 * i);
        fm_free(t->toggled);
        t->toggled = list;
        t->ntoggled = n;
        hr = fm_view_revisible(t);
    }
    if (hr == S_OK) {
        /* The bookmark goes to the saved row when it is visible. */
        t->cursor = 0;
        const BYTE *key = pbCollapseState + 8;
        for (size_t i = 0; i < t->view.nvis; i++) {
            BYTE k[FM_INSTANCE_KEY_SIZE];
            fm_rows_instance_key(t->view.vis[i], k);
            if (memcmp(k, key, sizeof k) == 0) {
                t->cursor = i;
                break;
            }
        }
        hr = fm_seek_bookmark_here(t, lpbkLocation);
    }
    if (hr == S_OK)
        fm_table_advise_view_changed(t, 0);
    pthread_mutex_unlock(&t->lock);
    return fm_table_fail(t, hr);
}
