/*
 * pst/ndb_write_stream.c - a node's data and subnodes as the NDB layer
 * stores them: data blocks under XBLOCKs and an XXBLOCK ([MS-PST]
 * 2.2.2.8.3.2), and the subnode B-tree of SLBLOCKs under an SIBLOCK
 * (2.2.2.8.3.3).
 *
 * Data are written as they come: a full block goes out at once, and so does
 * a full XBLOCK (1,021 block IDs in Unicode), so a stream of any length
 * holds two blocks of memory. One exception serves heaps, whose first page
 * holds the heap's header and is written last: fm_pst_stream_reserve_first
 * keeps the first XBLOCK back until fm_pst_stream_set_first fills its slot.
 */
#include <stdlib.h>

#include "pst/ndb_write.h"

HRESULT fm_pst_stream_init(fm_pst_stream_writer *s, fm_pst_writer *w)
{
    memset(s, 0, sizeof *s);
    s->w = w;
    const fm_pst_format *f = &w->f;
    s->buf = fm_pst_alloc(f->block_data);
    s->leaf = fm_pst_alloc(sizeof(uint64_t) * f->xblock_ids);
    if (s->buf == NULL || s->leaf == NULL) {
        fm_pst_stream_clear(s);
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    }
    return S_OK;
}

void fm_pst_stream_clear(fm_pst_stream_writer *s)
{
    fm_pst_free(s->buf);
    fm_pst_free(s->leaf);
    fm_pst_free(s->mid);
    fm_pst_free(s->held);
    memset(s, 0, sizeof *s);
}

void fm_pst_stream_reserve_first(fm_pst_stream_writer *s)
{
    s->reserve_first = true;
    s->nleaf = 1; /* slot 0 waits for the first page */
    s->leaf[0] = 0;
}

static HRESULT write_xblock(fm_pst_writer *w, unsigned level, const uint64_t *ids, uint32_t n,
                            uint64_t total, uint64_t *bid)
{
    const fm_pst_format *f = &w->f;
    if (total > 0xFFFFFFFFu)
        return fm_pst_fail(MAPI_E_TOO_BIG, "PST: a value over 4 GB under one XBLOCK");
    uint8_t *b = w->blockbuf2;
    b[0] = 0x01;
    b[1] = (uint8_t)level;
    fm_put16(b + 2, (uint16_t)n);
    fm_put32(b + 4, (uint32_t)total);
    for (uint32_t i = 0; i < n; i++) {
        if (f->ansi)
            fm_put32(b + 8 + 4 * i, (uint32_t)ids[i]);
        else
            fm_put64(b + 8 + 8 * i, ids[i]);
    }
    return fm_pst_write_block(w, b, 8 + n * f->id_size, true, bid);
}

static HRESULT push_mid(fm_pst_stream_writer *s, uint64_t bid)
{
    if (s->nmid == s->w->f.xblock_ids)
        return fm_pst_fail(MAPI_E_TOO_BIG, "PST: a value too large for one node (over 8 GB)");
    if (s->mid == NULL) {
        s->mid = fm_pst_alloc(sizeof(uint64_t) * s->w->f.xblock_ids);
        if (s->mid == NULL)
            return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    }
    s->mid[s->nmid++] = bid;
    return S_OK;
}

/* The XBLOCK being filled is full (or the stream ends): out it goes, unless
 * it is the first and its slot 0 is still waiting. */
static HRESULT flush_leaves(fm_pst_stream_writer *s)
{
    HRESULT hr;
    if (s->reserve_first && !s->first_is_set && s->nmid == 0 && s->held == NULL) {
        size_t n = sizeof(uint64_t) * s->nleaf;
        s->held = fm_pst_alloc(n);
        if (s->held == NULL)
            return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
        memcpy(s->held, s->leaf, n);
        s->nheld = s->nleaf;
        s->held_total = s->leaf_total;
        hr = push_mid(s, 0);
    } else {
        uint64_t bid;
        hr = write_xblock(s->w, 1, s->leaf, s->nleaf, s->leaf_total, &bid);
        if (hr == S_OK)
            hr = push_mid(s, bid);
    }
    s->nleaf = 0;
    s->leaf_total = 0;
    return hr;
}

static HRESULT emit_leaf(fm_pst_stream_writer *s)
{
    uint64_t bid;
    HRESULT hr = fm_pst_write_block(s->w, s->buf, s->used, false, &bid);
    if (hr != S_OK)
        return hr;
    if (s->nleaf == s->w->f.xblock_ids && (hr = flush_leaves(s)) != S_OK)
        return hr;
    s->leaf[s->nleaf++] = bid;
    s->leaf_total += s->used;
    s->nblocks++;
    s->used = 0;
    return S_OK;
}

HRESULT fm_pst_stream_write(fm_pst_stream_writer *s, const void *data, size_t n)
{
    const uint8_t *p = data;
    uint32_t cap = s->w->f.block_data;
    while (n > 0) {
        if (s->used == cap) {
            HRESULT hr = emit_leaf(s);
            if (hr != S_OK)
                return hr;
        }
        size_t k = cap - s->used < n ? cap - s->used : n;
        memcpy(s->buf + s->used, p, k);
        s->used += (uint32_t)k;
        s->total += k;
        p += k;
        n -= k;
    }
    return S_OK;
}

HRESULT fm_pst_stream_cut(fm_pst_stream_writer *s)
{
    return s->used > 0 ? emit_leaf(s) : S_OK;
}

HRESULT fm_pst_stream_set_first(fm_pst_stream_writer *s, const void *data, uint32_t cb)
{
    uint64_t bid;
    HRESULT hr = fm_pst_write_block(s->w, data, cb, false, &bid);
    if (hr != S_OK)
        return hr;
    s->first_is_set = true;
    s->first_bid = bid;
    s->total += cb;
    s->nblocks++;
    if (s->held != NULL) {
        s->held[0] = bid;
        s->held_total += cb;
        hr = write_xblock(s->w, 1, s->held, s->nheld, s->held_total, &s->mid[0]);
    } else {
        s->leaf[0] = bid;
        s->leaf_total += cb;
    }
    return hr;
}

HRESULT fm_pst_stream_finish(fm_pst_stream_writer *s, uint64_t *bid)
{
    HRESULT hr = fm_pst_stream_cut(s);
    *bid = 0;
    if (hr != S_OK)
        return hr;
    if (s->reserve_first && !s->first_is_set)
        return fm_pst_fail(MAPI_E_CALL_FAILED, "PST: a heap without its first page");
    if (s->nmid == 0) {
        if (s->nleaf == 1)
            *bid = s->leaf[0];
        else if (s->nleaf > 1)
            hr = write_xblock(s->w, 1, s->leaf, s->nleaf, s->leaf_total, bid);
        return hr;
    }
    if (s->nleaf > 0 && (hr = flush_leaves(s)) != S_OK)
        return hr;
    return write_xblock(s->w, 2, s->mid, s->nmid, s->total, bid);
}

/* ---- subnodes ----------------------------------------------------------------------- */
HRESULT fm_pst_subnodes_add(fm_pst_subnodes *l, uint32_t nid, uint64_t bid_data, uint64_t bid_sub)
{
    HRESULT hr = fm_pst_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
    if (hr != S_OK)
        return hr;
    l->v[l->n].nid = nid;
    l->v[l->n].bid_data = bid_data;
    l->v[l->n].bid_sub = bid_sub;
    l->n++;
    return S_OK;
}

uint32_t fm_pst_subnodes_new_nid(fm_pst_subnodes *l, unsigned type)
{
    if (l->next_index == 0)
        l->next_index = 1;
    return MAKE_NID(type, l->next_index++);
}

void fm_pst_subnodes_clear(fm_pst_subnodes *l)
{
    fm_pst_free(l->v);
    memset(l, 0, sizeof *l);
}

static int subnode_cmp(const void *a, const void *b)
{
    uint32_t x = ((const fm_pst_subnode *)a)->nid, y = ((const fm_pst_subnode *)b)->nid;
    return x < y ? -1 : x > y;
}

static HRESULT write_sl(fm_pst_writer *w, const fm_pst_subnode *v, size_t n, uint64_t *bid)
{
    const fm_pst_format *f = &w->f;
    uint8_t *b = w->blockbuf2;
    memset(b, 0, f->sl_header);
    b[0] = 0x02;
    b[1] = 0;
    fm_put16(b + 2, (uint16_t)n);
    for (size_t i = 0; i < n; i++) {
        uint8_t *e = b + f->sl_header + i * f->sl_entry;
        if (f->ansi) {
            fm_put32(e, v[i].nid);
            fm_put32(e + 4, (uint32_t)v[i].bid_data);
            fm_put32(e + 8, (uint32_t)v[i].bid_sub);
        } else {
            fm_put64(e, v[i].nid);
            fm_put64(e + 8, v[i].bid_data);
            fm_put64(e + 16, v[i].bid_sub);
        }
    }
    return fm_pst_write_block(w, b, (uint32_t)(f->sl_header + n * f->sl_entry), true, bid);
}

HRESULT fm_pst_subnodes_write(fm_pst_writer *w, fm_pst_subnodes *l, uint64_t *bid)
{
    const fm_pst_format *f = &w->f;
    *bid = 0;
    if (l->n == 0)
        return S_OK;
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, subnode_cmp);
    size_t per = (f->block_data - f->sl_header) / f->sl_entry;
    if (l->n <= per)
        return write_sl(w, l->v, l->n, bid);
    size_t nsl = (l->n + per - 1) / per;
    size_t per_si = (f->block_data - f->sl_header) / f->si_entry;
    if (nsl > per_si)
        return fm_pst_fail(MAPI_E_TOO_BIG, "PST: too many subnodes in one node");
    uint64_t *sl = fm_pst_alloc(sizeof(uint64_t) * nsl);
    if (sl == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    HRESULT hr = S_OK;
    for (size_t i = 0; hr == S_OK && i < nsl; i++) {
        size_t first = i * per, cnt = l->n - first < per ? l->n - first : per;
        hr = write_sl(w, l->v + first, cnt, &sl[i]);
    }
    if (hr == S_OK) {
        uint8_t *b = w->blockbuf2;
        memset(b, 0, f->sl_header);
        b[0] = 0x02;
        b[1] = 1;
        fm_put16(b + 2, (uint16_t)nsl);
        for (size_t i = 0; i < nsl; i++) {
            uint8_t *e = b + f->sl_header + i * f->si_entry;
            if (f->ansi) {
                fm_put32(e, l->v[i * per].nid);
                fm_put32(e + 4, (uint32_t)sl[i]);
            } else {
                fm_put64(e, l->v[i * per].nid);
                fm_put64(e + 8, sl[i]);
            }
        }
        hr = fm_pst_write_block(w, b, (uint32_t)(f->sl_header + nsl * f->si_entry), true, bid);
    }
    fm_pst_free(sl);
    return hr;
}
