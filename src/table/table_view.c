/*
 * table/table_view.c - building a table's view from its source and keeping
 * it live (see table.h for the design).
 *
 * Two ways to hold a view:
 *   - ordered: the source returns rows in the view's order after a given
 *     row (an index does the work), so rows are loaded only as far as
 *     the cursor has reached, FM_TABLE_CHUNK at a time, and only the last
 *     few loads used are kept (table_window.c);
 *   - complete: every matching row is loaded once, expanded on an
 *     MV_INSTANCE column, sorted here and, for a categorized sort,
 *     grouped under heading rows (table_categories.c).
 * Either way positions are indexes into the visible rows, and a rebuild
 * (the source's generation moved) turns them into keys and back.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/stable_sort.h"
#include "mapicode.h"
#include "mapiutil.h"
#include "mapix.h"
#include "props/compare.h"
#include "table/table_internal.h"

/* ---- order ------------------------------------------------------------------ */

static bool last_key_descends(const SSortOrderSet *s)
{
    return s && s->cSorts && (s->aSort[s->cSorts - 1].ulOrder & TABLE_SORT_DESCEND);
}

int fm_view_compare_leaves(const fm_table *t, const fm_table_row *a, const fm_table_row *b)
{
    const SSortOrderSet *s = t->leaf_sort;
    if (s && s->cSorts) {
        int c = fmapi_sort_compare_rows(s, a->cvals, a->vals, b->cvals, b->vals);
        if (c != 0)
            return c;
    }
    if (a->id != b->id) {
        int c = a->id < b->id ? -1 : 1;
        return last_key_descends(s) ? -c : c;
    }
    return (a->inst > b->inst) - (a->inst < b->inst);
}

static int compare_for_sort(const void *a, const void *b, void *ctx)
{
    return fm_view_compare_leaves(ctx, a, b);
}

const SPropValue *fm_view_value(const fm_table_row *row, ULONG tag)
{
    ULONG id = PROP_ID(tag);
    ULONG want = PROP_TYPE(tag) & ~(ULONG)MV_INSTANCE;
    for (ULONG i = 0; i < row->cvals; i++) {
        const SPropValue *v = &row->vals[i];
        if (PROP_ID(v->ulPropTag) != id || PROP_TYPE(v->ulPropTag) == PT_ERROR)
            continue;
        ULONG have = PROP_TYPE(v->ulPropTag) & ~(ULONG)MV_INSTANCE;
        if (want == PT_UNSPECIFIED || have == want || (PROP_TYPE(v->ulPropTag) & MV_INSTANCE) ||
            (fm_prop_is_string_type(want & ~(ULONG)MV_FLAG) &&
             fm_prop_is_string_type(have & ~(ULONG)MV_FLAG) &&
             (want & MV_FLAG) == (have & MV_FLAG)))
            return v;
    }
    return NULL;
}

/* ---- sizes and access --------------------------------------------------------- */

size_t fm_view_size(const fm_table *t)
{
    if (t->view.ordered)
        return t->view.known;
    return t->nlevels ? t->view.nvis : t->view.leaves.n;
}

fm_table_row *fm_view_row(fm_table *t, size_t index)
{
    if (t->view.ordered)
        return fm_window_held(t, index);
    if (index >= fm_view_size(t))
        return NULL;
    return t->nlevels ? t->view.vis[index] : &t->view.leaves.rows[index];
}

/* ---- MV_INSTANCE expansion -------------------------------------------------- */

/* One row per value of the expanded column: each copy of the row's value
 * array has that column replaced by one value tagged with its own MV type
 * and MV_INSTANCE, which the comparator, the restriction engine and the
 * projection all read as an instance (its own type, not the column's: the
 * column may name the other string width). The whole multivalued value
 * follows in the spare last slot, for a plain MV column of the same
 * property. A row without values stays one row, the column as PT_ERROR. */
static HRESULT expand_one(fm_table_rows *out, const fm_table_row *row, ULONG mvi)
{
    int at = -1;
    for (ULONG i = 0; i < row->cvals; i++)
        if (PROP_ID(row->vals[i].ulPropTag) == PROP_ID(mvi) &&
            (PROP_TYPE(row->vals[i].ulPropTag) & MV_FLAG))
            at = (int)i;
    ULONG k = at < 0 ? 0 : fm_prop_value_count(&row->vals[at]);
    ULONG copies = k ? k : 1;
    LPSPropValue buf = NULL;
    if (MAPIAllocateBuffer((ULONG)(copies * (row->cvals + 1) * sizeof(SPropValue)),
                           (void **)&buf) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory expanding a table row");
    HRESULT hr = fm_table_rows_own(out, buf);
    for (ULONG c = 0; c < copies && hr == S_OK; c++) {
        LPSPropValue v = buf + c * (row->cvals + 1);
        memcpy(v, row->vals, row->cvals * sizeof *v);
        fm_table_row r = *row;
        r.vals = v;
        r.inst = k ? c + 1 : 0;
        if (at >= 0 && k) {
            fm_prop_value_at(&row->vals[at], c, &v[at]);
            v[at].ulPropTag = row->vals[at].ulPropTag | MV_INSTANCE;
            v[row->cvals] = row->vals[at];
            r.cvals = row->cvals + 1;
        } else if (at >= 0) {
            v[at].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(mvi));
            v[at].Value.err = MAPI_E_NOT_FOUND;
        }
        hr = fm_table_rows_push(out, &r);
    }
    return hr;
}

static HRESULT expand_rows(fm_table *t)
{
    fm_table_rows in = t->view.leaves, out = {0};
    HRESULT hr = S_OK;
    for (size_t i = 0; i < in.n && hr == S_OK; i++)
        hr = expand_one(&out, &in.rows[i], t->view.expand_tag);
    /* out borrows values from in's buffers: hand them over. */
    for (size_t i = 0; i < in.nroots && hr == S_OK; i++) {
        hr = fm_table_rows_own(&out, in.roots[i]);
        in.roots[i] = NULL;
    }
    if (hr != S_OK) {
        for (size_t i = 0; i < in.nroots; i++)
            if (in.roots[i])
                MAPIFreeBuffer(in.roots[i]);
        in.nroots = 0;
        fm_table_rows_clear(&in);
        t->view.leaves = out;
        return hr;
    }
    in.nroots = 0;
    fm_table_rows_clear(&in);
    t->view.leaves = out;
    return S_OK;
}

/* ---- building ------------------------------------------------------------ */

static void free_view_rows(fm_table_view *v)
{
    fm_window_clear(v);
    fm_table_rows_clear(&v->leaves);
    fm_free(v->heads);
    fm_free(v->order);
    fm_free(v->vis);
    memset(v, 0, sizeof *v);
}

static void free_view(fm_table *t)
{
    free_view_rows(&t->view);
}

static ULONG find_expand_tag(const fm_table *t)
{
    const SSortOrderSet *s = t->sort;
    for (ULONG i = 0; s && i < s->cSorts; i++)
        if (PROP_TYPE(s->aSort[i].ulPropTag) & MV_INSTANCE)
            return s->aSort[i].ulPropTag;
    for (ULONG i = 0; t->cols && i < t->cols->cValues; i++)
        if (PROP_TYPE(t->cols->aulPropTag[i]) & MV_INSTANCE)
            return t->cols->aulPropTag[i];
    return 0;
}

static HRESULT build_complete(fm_table *t)
{
    fm_table_query q;
    fm_view_query(t, &q);
    bool done = false;
    HRESULT hr = t->src->ops->load(t->src, &q, false, NULL, 0, &t->view.leaves, &done);
    if (hr == S_OK && t->view.expand_tag)
        hr = expand_rows(t);
    if (hr == S_OK && t->leaf_sort && t->leaf_sort->cSorts)
        hr = fm_stable_sort(t->view.leaves.rows, t->view.leaves.n, sizeof(fm_table_row),
                            compare_for_sort, t);
    if (hr == S_OK && t->nlevels)
        hr = fm_view_categorize(t);
    t->view.done = true;
    return hr;
}

HRESULT fm_view_ensure(fm_table *t, size_t want)
{
    while (t->view.ordered && !t->view.done && fm_view_size(t) < want) {
        HRESULT hr = fm_window_extend(t);
        if (hr != S_OK)
            return hr;
    }
    return S_OK;
}

HRESULT fm_view_complete(fm_table *t)
{
    while (t->view.ordered && !t->view.done) {
        HRESULT hr = fm_window_extend(t);
        if (hr != S_OK)
            return hr;
    }
    return S_OK;
}

static HRESULT build(fm_table *t, uint64_t generation)
{
    free_view(t);
    t->view.generation = generation;
    t->view.expand_tag = find_expand_tag(t);
    fm_table_query q;
    fm_view_query(t, &q);
    t->view.ordered = t->nlevels == 0 && t->view.expand_tag == 0 && t->src->ops->can_order &&
                      t->src->ops->can_order(t->src, &q);
    HRESULT hr = t->view.ordered ? S_OK : build_complete(t);
    if (hr != S_OK) {
        free_view(t);
        return hr;
    }
    t->view.built = true;
    return S_OK;
}

/* ---- keeping positions across a rebuild --------------------------------------- */

static void key_free(fm_table_key *k)
{
    MAPIFreeBuffer(k->vals);
    memset(k, 0, sizeof *k);
}

/* The key of the position at index: the row there, or "after" the last
 * row when the position is past it (rows added later at the end then come
 * after the cursor, as they do after a row), or the beginning of an empty
 * view. */
static HRESULT key_take(fm_table *t, size_t index, fm_table_key *k, bool *after)
{
    memset(k, 0, sizeof *k);
    *after = false;
    size_t n = fm_view_size(t);
    if (n == 0) {
        k->at_begin = true;
        return S_OK;
    }
    if (index >= n) {
        index = n - 1;
        *after = true;
    }
    const fm_table_row *r = fm_view_row(t, index);
    if (r == NULL) /* an ordered view's row not held now */
        return fm_window_anchor_key(t, index, k);
    k->id = r->id;
    k->inst = r->inst;
    k->type = r->type;
    k->hash = r->hash;
    if (r->cvals == 0)
        return S_OK;
    SCODE sc = ScDupPropset((int)r->cvals, r->vals, MAPIAllocateBuffer, &k->vals);
    if (sc != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory keeping a table position");
    k->cvals = r->cvals;
    return S_OK;
}

static bool same_identity(const fm_table_row *r, ULONG type, int64_t id, ULONG inst, uint64_t hash)
{
    if (r->type != type && !(r->type != TBL_LEAF_ROW && type != TBL_LEAF_ROW))
        return false;
    if (r->type == TBL_LEAF_ROW)
        return r->id == id && r->inst == inst;
    return r->hash == hash;
}

static bool same_row(const fm_table_row *r, const fm_table_key *k)
{
    return same_identity(r, k->type, k->id, k->inst, k->hash);
}

/* Visible row i of view v (the table's view or the one it replaces). */
static const fm_table_row *row_of(const fm_table *t, const fm_table_view *v, size_t i)
{
    size_t n = t->nlevels ? v->nvis : v->leaves.n;
    if (i >= n)
        return NULL;
    return t->nlevels ? v->vis[i] : &v->leaves.rows[i];
}

static bool find_identity(fm_table *t, const fm_table_row *r, size_t *index)
{
    size_t n = fm_view_size(t);
    for (size_t i = 0; i < n; i++) {
        if (same_identity(fm_view_row(t, i), r->type, r->id, r->inst, r->hash)) {
            *index = i;
            return true;
        }
    }
    return false;
}

static fm_table_row probe_of(const fm_table_key *k)
{
    return (fm_table_row){
        .id = k->id, .inst = k->inst, .type = TBL_LEAF_ROW, .cvals = k->cvals, .vals = k->vals};
}

/* Finds key in a sorted or ordered view: the first row not before it. */
static HRESULT locate_sorted(fm_table *t, const fm_table_key *k, size_t *index, bool *exact)
{
    fm_table_row probe = probe_of(k);
    if (t->view.ordered) {
        fm_table_row *found = NULL;
        HRESULT hr = fm_window_locate(t, &probe, index, &found);
        *exact = hr == S_OK && found != NULL && same_row(found, k);
        return hr;
    }
    size_t lo = 0, hi = t->view.leaves.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (fm_view_compare_leaves(t, &t->view.leaves.rows[mid], &probe) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *index = lo;
    *exact = lo < t->view.leaves.n && same_row(&t->view.leaves.rows[lo], k);
    return S_OK;
}

/* A key taken from a segment's anchor (its row was not held): the row
 * offset places after the anchor's place. Rows changed inside that stretch
 * since can shift it: the position is then reported as moved. */
static HRESULT locate_by_anchor(fm_table *t, const fm_table_key *k, bool after, size_t *index,
                                bool *exact)
{
    size_t base = 0;
    *exact = true;
    if (!k->at_begin) {
        HRESULT hr = locate_sorted(t, k, &base, exact);
        if (hr != S_OK)
            return hr;
        if (*exact)
            base++;
    }
    size_t target = base + k->offset + (after ? 1 : 0);
    HRESULT hr = fm_view_ensure(t, target);
    if (hr == S_OK && target > fm_view_size(t))
        target = fm_view_size(t);
    *index = target;
    return hr;
}

/* Unsorted complete views (a source's own order) and categorized ones: the
 * row by identity; when it went away, the first of the rows that followed
 * it in the old view (at index `hint`) that is still there, else the end. */
static void locate_scan(fm_table *t, const fm_table_key *k, const fm_table_view *old, size_t hint,
                        size_t *index, bool *exact)
{
    size_t n = fm_view_size(t);
    for (size_t i = 0; i < n; i++) {
        if (same_row(fm_view_row(t, i), k)) {
            *index = i;
            *exact = true;
            return;
        }
    }
    *exact = false;
    *index = n;
    for (const fm_table_row *r; (r = row_of(t, old, ++hint)) != NULL;)
        if (find_identity(t, r, index))
            return;
}

static HRESULT locate(fm_table *t, const fm_table_key *k, bool after, const fm_table_view *old,
                      size_t hint, size_t *index, bool *exact)
{
    HRESULT hr = S_OK;
    if (k->by_anchor && t->nlevels == 0 &&
        (t->view.ordered || (t->leaf_sort && t->leaf_sort->cSorts)))
        return locate_by_anchor(t, k, after, index, exact);
    if (k->at_begin) {
        *index = 0;
        *exact = true;
        return S_OK;
    }
    if (t->nlevels == 0 && (t->view.ordered || (t->leaf_sort && t->leaf_sort->cSorts)))
        hr = locate_sorted(t, k, index, exact);
    else
        locate_scan(t, k, old, hint, index, exact);
    if (hr == S_OK && after && *exact)
        (*index)++;
    return hr;
}

HRESULT fm_view_refresh(fm_table *t)
{
    uint64_t gen = 0;
    HRESULT hr = t->src->ops->generation(t->src, &gen);
    if (hr != S_OK)
        return hr;
    if (t->view.built && gen == t->view.generation)
        return S_OK;
    if (!t->view.built)
        return build(t, gen);

    bool cursor_after = false, *bm_after = NULL;
    hr = key_take(t, t->cursor, &t->cursor_key, &cursor_after);
    if (hr == S_OK && t->nbm) {
        bm_after = fm_calloc(t->nbm, sizeof *bm_after);
        if (bm_after == NULL)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory refreshing a table");
    }
    for (size_t i = 0; i < t->nbm && hr == S_OK; i++)
        if (t->bm[i].used)
            hr = key_take(t, t->bm[i].index, &t->bm[i].key, &bm_after[i]);
    /* The old view stays until positions are found again: a row that went
     * away is replaced by the first of its old successors still there. */
    fm_table_view old = t->view;
    memset(&t->view, 0, sizeof t->view);
    if (hr == S_OK)
        hr = build(t, gen);
    if (hr == S_OK) {
        bool exact;
        hr = locate(t, &t->cursor_key, cursor_after, &old, t->cursor, &t->cursor, &exact);
        for (size_t i = 0; i < t->nbm && hr == S_OK; i++) {
            if (!t->bm[i].used)
                continue;
            hr = locate(t, &t->bm[i].key, bm_after[i], &old, t->bm[i].index, &t->bm[i].index,
                        &exact);
            if (!exact)
                t->bm[i].moved = true;
        }
    }
    free_view_rows(&old);
    if (hr != S_OK)
        fm_view_reset(t);
    fm_free(bm_after);
    fm_seek_free_keys(t);
    return hr;
}

void fm_view_reset(fm_table *t)
{
    free_view(t);
    t->cursor = 0;
    for (size_t i = 0; i < t->nbm; i++)
        t->bm[i].index = 0;
}

void fm_seek_free_keys(fm_table *t)
{
    key_free(&t->cursor_key);
    for (size_t i = 0; i < t->nbm; i++)
        key_free(&t->bm[i].key);
}
