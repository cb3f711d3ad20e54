/*
 * table/table_window.c - the rows of an ordered view, in bounded memory.
 *
 * An ordered view (keyset paging, table_view.c) reads its rows from the
 * source FM_TABLE_CHUNK at a time, each load continuing after the last row
 * met. Keeping every row met would make a table paged to the end of a large
 * folder hold the whole folder (about 450 bytes a row). So each load is a
 * segment that remembers the row before it (its anchor), and only the
 * FM_VIEW_SEGMENTS_HELD most recently used segments keep their rows: a
 * dropped segment is read again after its anchor when a position goes back
 * to it. Within one generation of the source the same rows come back (the
 * view is rebuilt when the generation moves), so indexes stay right.
 */
#include <string.h>

#include "core/alloc.h"
#include "mapicode.h"
#include "mapiutil.h"
#include "mapix.h"
#include "table/table_internal.h"

void fm_view_query(const fm_table *t, fm_table_query *q)
{
    q->sort = t->leaf_sort;
    q->res = t->res;
    q->tags = t->need;
    q->ntags = t->nneed;
}

/* A copy of r whose values are a MAPI buffer of their own. */
static HRESULT copy_row(const fm_table_row *r, fm_table_row *out)
{
    *out = *r;
    out->vals = NULL;
    if (r->cvals == 0)
        return S_OK;
    if (ScDupPropset((int)r->cvals, r->vals, MAPIAllocateBuffer, &out->vals) != S_OK) {
        out->cvals = 0;
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory keeping a table row's key");
    }
    return S_OK;
}

static HRESULT load(fm_table *t, const fm_table_row *after, ULONG max, fm_table_rows *out,
                    bool *done)
{
    fm_table_query q;
    fm_view_query(t, &q);
    *done = false;
    return t->src->ops->load(t->src, &q, true, after, max, out, done);
}

static bool has_position(const fm_table *t, const fm_view_segment *s)
{
    if (t->cursor >= s->start && t->cursor - s->start < s->n)
        return true;
    for (size_t i = 0; i < t->nbm; i++)
        if (t->bm[i].used && t->bm[i].index >= s->start && t->bm[i].index - s->start < s->n)
            return true;
    return false;
}

/* Drops the rows of held segments beyond the limit, least recently used
 * first, segments holding no position before those that do; never keep. */
static void drop_extra(fm_table *t, size_t keep)
{
    fm_table_view *v = &t->view;
    while (v->held > FM_VIEW_SEGMENTS_HELD) {
        size_t victim = SIZE_MAX;
        bool victim_pos = true;
        for (size_t i = 0; i < v->nsegs; i++) {
            fm_view_segment *s = &v->segs[i];
            if (i == keep || s->rows.n == 0)
                continue;
            bool pos = has_position(t, s);
            if (victim == SIZE_MAX || (victim_pos && !pos) ||
                (pos == victim_pos && s->used < v->segs[victim].used)) {
                victim = i;
                victim_pos = pos;
            }
        }
        if (victim == SIZE_MAX)
            return;
        fm_table_rows_clear(&v->segs[victim].rows);
        v->held--;
    }
}

HRESULT fm_window_extend(fm_table *t)
{
    fm_table_view *v = &t->view;
    if (v->nsegs == v->capsegs) {
        size_t cap = v->capsegs ? v->capsegs * 2 : 16;
        fm_view_segment *g = fm_realloc(v->segs, cap * sizeof *g);
        if (g == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory growing a table view");
        v->segs = g;
        v->capsegs = cap;
    }
    fm_table_rows rows = { 0 };
    bool done = false;
    HRESULT hr = load(t, v->known ? &v->tail : NULL, FM_TABLE_CHUNK, &rows, &done);
    fm_table_row tail = { 0 };
    if (hr == S_OK && rows.n > 0)
        hr = copy_row(&rows.rows[rows.n - 1], &tail);
    if (hr != S_OK || rows.n == 0) {
        fm_table_rows_clear(&rows);
        if (hr == S_OK)
            v->done = true;
        return hr;
    }
    fm_view_segment *s = &v->segs[v->nsegs];
    memset(s, 0, sizeof *s);
    s->start = v->known;
    s->n = rows.n;
    if (v->known) /* the old tail is the new segment's anchor */
        s->anchor = v->tail;
    s->rows = rows;
    s->used = ++v->tick;
    v->tail = tail;
    v->known += rows.n;
    v->held++;
    v->nsegs++;
    if (done)
        v->done = true;
    drop_extra(t, v->nsegs - 1);
    return S_OK;
}

static size_t segment_of(const fm_table_view *v, size_t index)
{
    size_t lo = 0, hi = v->nsegs;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->segs[mid].start <= index)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Reads segment i's rows again (the same ones: the generation is the same). */
static HRESULT reload(fm_table *t, size_t i)
{
    fm_table_view *v = &t->view;
    fm_view_segment *s = &v->segs[i];
    fm_table_rows rows = { 0 };
    bool done = false;
    HRESULT hr = load(t, i ? &s->anchor : NULL, (ULONG)s->n, &rows, &done);
    if (hr == S_OK && rows.n != s->n)
        hr = fm_error_set(MAPI_E_CALL_FAILED,
                          "table rows changed while the table was read; read it again");
    if (hr != S_OK) {
        fm_table_rows_clear(&rows);
        return hr;
    }
    s->rows = rows;
    v->held++;
    drop_extra(t, i);
    return S_OK;
}

fm_table_row *fm_window_held(fm_table *t, size_t index)
{
    fm_table_view *v = &t->view;
    if (index >= v->known)
        return NULL;
    fm_view_segment *s = &v->segs[segment_of(v, index)];
    if (s->rows.n == 0)
        return NULL;
    s->used = ++v->tick;
    return &s->rows.rows[index - s->start];
}

HRESULT fm_view_at(fm_table *t, size_t index, fm_table_row **row)
{
    *row = NULL;
    if (!t->view.ordered) {
        *row = fm_view_row(t, index);
        return *row ? S_OK : fm_error_set(MAPI_E_CALL_FAILED, "table row %zu is past the end",
                                          index);
    }
    fm_table_view *v = &t->view;
    if (index >= v->known)
        return fm_error_set(MAPI_E_CALL_FAILED, "table row %zu is past the end", index);
    size_t i = segment_of(v, index);
    if (v->segs[i].rows.n == 0) {
        HRESULT hr = reload(t, i);
        if (hr != S_OK)
            return hr;
    }
    *row = fm_window_held(t, index);
    return S_OK;
}

HRESULT fm_window_locate(fm_table *t, const fm_table_row *probe, size_t *index,
                         fm_table_row **found)
{
    *found = NULL;
    for (size_t i = 0;;) {
        fm_table_view *v = &t->view;
        if (i == v->nsegs) {
            if (v->done) {
                *index = v->known;
                return S_OK;
            }
            HRESULT hr = fm_window_extend(t);
            if (hr != S_OK)
                return hr;
            continue;
        }
        /* The segment's last row: the next one's anchor, or the tail. */
        const fm_table_row *last = i + 1 < v->nsegs ? &v->segs[i + 1].anchor : &v->tail;
        if (fm_view_compare_leaves(t, last, probe) < 0) {
            i++;
            continue;
        }
        fm_table_row *first = NULL;
        HRESULT hr = fm_view_at(t, v->segs[i].start, &first);
        if (hr != S_OK)
            return hr;
        fm_view_segment *s = &t->view.segs[i];
        size_t lo = 0, hi = s->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (fm_view_compare_leaves(t, &s->rows.rows[mid], probe) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        *index = s->start + lo;
        *found = &s->rows.rows[lo]; /* lo < n: the last row is not before probe */
        return S_OK;
    }
}

HRESULT fm_window_anchor_key(fm_table *t, size_t index, fm_table_key *k)
{
    fm_table_view *v = &t->view;
    const fm_view_segment *s = &v->segs[segment_of(v, index)];
    memset(k, 0, sizeof *k);
    k->by_anchor = true;
    k->offset = index - s->start;
    if (s->start == 0) {
        k->at_begin = true;
        return S_OK;
    }
    fm_table_row copy;
    HRESULT hr = copy_row(&s->anchor, &copy);
    if (hr != S_OK)
        return hr;
    k->id = copy.id;
    k->inst = copy.inst;
    k->type = copy.type;
    k->hash = copy.hash;
    k->cvals = copy.cvals;
    k->vals = copy.vals;
    return S_OK;
}

void fm_window_clear(fm_table_view *v)
{
    for (size_t i = 0; i < v->nsegs; i++) {
        fm_table_rows_clear(&v->segs[i].rows);
        MAPIFreeBuffer(v->segs[i].anchor.vals);
    }
    fm_free(v->segs);
    if (v->known)
        MAPIFreeBuffer(v->tail.vals);
    v->segs = NULL;
    v->nsegs = v->capsegs = v->known = v->held = 0;
}
