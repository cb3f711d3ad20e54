/*
 * pst/ltp_write_heap.c - the heap-on-node ([MS-PST] 2.3.1) and the
 * B-tree-on-heap (2.3.2) of the writer, and the node they live in.
 *
 * A heap is the node's data, one page per data block, each page ending in
 * its page map (the offsets of its allocations). Pages are written as they
 * fill, except page 0: its header names the heap's root (known at the end)
 * and the fill levels of the pages after it, so it stays in memory and is
 * written last into the slot the data stream keeps for it. Fill levels of
 * the pages an HNBITMAPHDR covers are not known when that page is written
 * (later pages come after it), so they are recorded as full: a reader
 * never needs them, and a writer taking over the file only allocates new
 * pages instead of filling old ones.
 *
 * A BTH receives its records in key order. Leaf records fill one heap
 * allocation at a time (up to 3,580 bytes); each full one leaves its first
 * key and HID in the index level above, and the levels are closed at the
 * end, so a B-tree of a million rows keeps a few kilobytes in memory.
 */
#include "pst/ndb_write.h"

/* ---- the node ------------------------------------------------------------------ */
HRESULT fm_pst_node_init(fm_pst_node *n, fm_pst_writer *w)
{
    memset(n, 0, sizeof *n);
    n->w = w;
    return fm_pst_stream_init(&n->data, w);
}

void fm_pst_node_clear(fm_pst_node *n)
{
    fm_pst_stream_clear(&n->data);
    fm_pst_subnodes_clear(&n->subs);
}

HRESULT fm_pst_node_finish(fm_pst_node *n, uint64_t *bid_data, uint64_t *bid_sub)
{
    HRESULT hr = fm_pst_stream_finish(&n->data, bid_data);
    if (hr == S_OK)
        hr = fm_pst_subnodes_write(n->w, &n->subs, bid_sub);
    return hr;
}

/* ---- heap pages ----------------------------------------------------------------- */
#define HN_MAX_PER_PAGE 2047u

static uint16_t page_header_size(uint32_t page)
{
    if (page == 0)
        return 12;
    return (page % 128 == 8) ? 66 : 2;
}

static HRESULT page_new(fm_pst_heap_page *p, uint32_t index, unsigned cap)
{
    if (p->buf == NULL) {
        p->buf = fm_pst_alloc(cap);
        p->offs = fm_pst_alloc(sizeof(uint16_t) * (HN_MAX_PER_PAGE + 1));
        if (p->buf == NULL || p->offs == NULL)
            return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    }
    p->index = index;
    p->n = 0;
    p->end = page_header_size(index);
    memset(p->buf, 0, p->end);
    return S_OK;
}

static bool page_fits(const fm_pst_heap_page *p, size_t n, unsigned cap)
{
    size_t map = 4 + 2 * ((size_t)p->n + 2);
    size_t start = p->end;
    return p->n < HN_MAX_PER_PAGE && start + n + 1 + map <= cap;
}

/* Closes a page: its map after the last allocation (2-byte aligned);
 * returns the page's length. */
static uint32_t page_close(fm_pst_heap_page *p, uint8_t client, uint32_t user_root)
{
    uint32_t ib = (p->end + 1) & ~1u;
    if (ib > p->end)
        p->buf[p->end] = 0;
    fm_put16(p->buf, (uint16_t)ib);
    if (p->index == 0) {
        p->buf[2] = HN_SIG;
        p->buf[3] = client;
        fm_put32(p->buf + 4, user_root);
    } else if (p->index % 128 == 8) {
        memset(p->buf + 2, 0xFF, 64);
    }
    uint8_t *m = p->buf + ib;
    fm_put16(m, p->n);
    fm_put16(m + 2, 0);
    for (unsigned i = 0; i < p->n; i++)
        fm_put16(m + 4 + 2 * i, p->offs[i]);
    fm_put16(m + 4 + 2 * p->n, (uint16_t)p->end);
    return ib + 4 + 2 * (p->n + 1);
}

/* [MS-PST] 2.3.1.5 fill levels by free bytes. */
static uint8_t fill_level(uint32_t free_bytes)
{
    static const uint32_t floor_of[15] = { 3584, 2560, 2048, 1792, 1536, 1280, 1024, 768,
                                           512,  256,  128,  64,   32,   16,   8 };
    for (uint8_t i = 0; i < 15; i++)
        if (free_bytes >= floor_of[i])
            return i;
    return 15;
}

HRESULT fm_pst_heap_init(fm_pst_heap *h, fm_pst_node *node, uint8_t client)
{
    memset(h, 0, sizeof *h);
    h->node = node;
    h->client = client;
    h->cap = node->w->f.block_data;
    fm_pst_stream_reserve_first(&node->data);
    return page_new(&h->p0, 0, h->cap);
}

void fm_pst_heap_clear(fm_pst_heap *h)
{
    fm_pst_free(h->p0.buf);
    fm_pst_free(h->p0.offs);
    fm_pst_free(h->cur.buf);
    fm_pst_free(h->cur.offs);
    memset(h, 0, sizeof *h);
}

static HRESULT heap_emit_cur(fm_pst_heap *h)
{
    uint32_t len = page_close(&h->cur, h->client, 0);
    if (h->cur.index < 8)
        h->fill0[h->cur.index] = fill_level(h->cap - len);
    HRESULT hr = fm_pst_stream_write(&h->node->data, h->cur.buf, len);
    if (hr == S_OK)
        hr = fm_pst_stream_cut(&h->node->data);
    return hr;
}

static HRESULT take(fm_pst_heap_page *p, size_t n, uint32_t *hid, uint8_t **ptr)
{
    p->offs[p->n] = (uint16_t)p->end;
    p->n++;
    *hid = HID_MAKE(p->index, p->n);
    *ptr = p->buf + p->end;
    memset(*ptr, 0, n);
    p->end += (uint32_t)n;
    return S_OK;
}

HRESULT fm_pst_heap_alloc(fm_pst_heap *h, size_t n, uint32_t *hid, uint8_t **ptr)
{
    *hid = 0;
    *ptr = NULL;
    if (n > HN_MAX_ALLOC)
        return fm_pst_fail(MAPI_E_CALL_FAILED, "PST: heap allocation of %zu bytes", n);
    if (!h->has_cur) {
        if (page_fits(&h->p0, n, h->cap))
            return take(&h->p0, n, hid, ptr);
        HRESULT hr = page_new(&h->cur, 1, h->cap);
        if (hr != S_OK)
            return hr;
        h->has_cur = true;
    }
    if (!page_fits(&h->cur, n, h->cap)) {
        if (h->cur.index == 0xFFFF)
            return fm_pst_fail(MAPI_E_TOO_BIG, "PST: a heap of more than 65,535 pages");
        HRESULT hr = heap_emit_cur(h);
        if (hr == S_OK)
            hr = page_new(&h->cur, h->cur.index + 1, h->cap);
        if (hr != S_OK)
            return hr;
    }
    return take(&h->cur, n, hid, ptr);
}

HRESULT fm_pst_heap_alloc0(fm_pst_heap *h, size_t n, uint32_t *hid, uint8_t **ptr)
{
    if (!page_fits(&h->p0, n, h->cap))
        return fm_pst_fail(MAPI_E_CALL_FAILED, "PST: heap page 0 is full");
    return take(&h->p0, n, hid, ptr);
}

uint8_t *fm_pst_heap_ptr0(fm_pst_heap *h, uint32_t hid)
{
    unsigned i = HID_INDEX(hid);
    if (HID_PAGE(hid) != 0 || i == 0 || i > h->p0.n)
        return NULL;
    return h->p0.buf + h->p0.offs[i - 1];
}

HRESULT fm_pst_heap_finish(fm_pst_heap *h)
{
    HRESULT hr = S_OK;
    if (h->has_cur)
        hr = heap_emit_cur(h);
    if (hr != S_OK)
        return hr;
    uint32_t len = page_close(&h->p0, h->client, h->user_root);
    h->fill0[0] = fill_level(h->cap - len);
    for (unsigned i = 0; i < 4; i++)
        h->p0.buf[8 + i] = (uint8_t)(h->fill0[2 * i] | (h->fill0[2 * i + 1] << 4));
    return fm_pst_stream_set_first(&h->node->data, h->p0.buf, len);
}

/* ---- B-tree-on-heap ---------------------------------------------------------------- */
HRESULT fm_pst_bth_init(fm_pst_bth *b, fm_pst_heap *heap, uint8_t cb_key, uint8_t cb_ent)
{
    memset(b, 0, sizeof *b);
    b->heap = heap;
    b->cb_key = cb_key;
    b->cb_ent = cb_ent;
    b->leaf = fm_pst_alloc(HN_MAX_ALLOC);
    if (b->leaf == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    uint8_t *p = NULL;
    HRESULT hr = fm_pst_heap_alloc0(heap, 8, &b->hid_header, &p);
    if (hr == S_OK) {
        p[0] = HN_CLIENT_BTH;
        p[1] = cb_key;
        p[2] = cb_ent;
    }
    return hr;
}

void fm_pst_bth_clear(fm_pst_bth *b)
{
    fm_pst_free(b->leaf);
    for (unsigned i = 0; i < 8; i++)
        fm_pst_free(b->up[i]);
    memset(b, 0, sizeof *b);
}

static HRESULT up_add(fm_pst_bth *b, unsigned level, const uint8_t *key, uint32_t hid)
{
    size_t rs = (size_t)b->cb_key + 4;
    HRESULT hr = fm_pst_grow((void **)&b->up[level], &b->capup[level], (b->nup[level] + 1) * rs, 1);
    if (hr != S_OK)
        return hr;
    uint8_t *r = b->up[level] + b->nup[level] * rs;
    memcpy(r, key, b->cb_key);
    fm_put32(r + b->cb_key, hid);
    b->nup[level]++;
    return S_OK;
}

static HRESULT leaf_flush(fm_pst_bth *b)
{
    size_t rs = (size_t)b->cb_key + b->cb_ent;
    uint32_t hid;
    uint8_t *p = NULL;
    HRESULT hr = fm_pst_heap_alloc(b->heap, b->nleaf * rs, &hid, &p);
    if (hr != S_OK)
        return hr;
    memcpy(p, b->leaf, b->nleaf * rs);
    hr = up_add(b, 0, b->leaf, hid);
    b->nleaf = 0;
    return hr;
}

HRESULT fm_pst_bth_add(fm_pst_bth *b, const uint8_t *record)
{
    size_t rs = (size_t)b->cb_key + b->cb_ent;
    if ((b->nleaf + 1) * rs > HN_MAX_ALLOC) {
        HRESULT hr = leaf_flush(b);
        if (hr != S_OK)
            return hr;
    }
    memcpy(b->leaf + b->nleaf * rs, record, rs);
    b->nleaf++;
    b->count++;
    return S_OK;
}

HRESULT fm_pst_bth_finish(fm_pst_bth *b)
{
    HRESULT hr = S_OK;
    if (b->nleaf > 0)
        hr = leaf_flush(b);
    uint32_t root = 0;
    unsigned levels = 0;
    size_t rs = (size_t)b->cb_key + 4;
    size_t per = HN_MAX_ALLOC / rs;
    /* up[L] holds the entries that point at level L's allocations; while
     * there is more than one, they form the next index level. */
    for (unsigned L = 0; hr == S_OK && b->nup[L] > 0; L++) {
        if (b->nup[L] == 1) {
            root = fm_le32(b->up[L] + b->cb_key);
            levels = L;
            break;
        }
        if (L + 1 >= 8) {
            hr = fm_pst_fail(MAPI_E_TOO_BIG, "PST: BTH too deep");
            break;
        }
        for (size_t i = 0; hr == S_OK && i < b->nup[L]; i += per) {
            size_t cnt = b->nup[L] - i < per ? b->nup[L] - i : per;
            uint32_t hid;
            uint8_t *p = NULL;
            hr = fm_pst_heap_alloc(b->heap, cnt * rs, &hid, &p);
            if (hr == S_OK) {
                memcpy(p, b->up[L] + i * rs, cnt * rs);
                hr = up_add(b, L + 1, b->up[L] + i * rs, hid);
            }
        }
    }
    if (hr != S_OK)
        return hr;
    uint8_t *hdr = fm_pst_heap_ptr0(b->heap, b->hid_header);
    hdr[3] = (uint8_t)levels;
    fm_put32(hdr + 4, root);
    return S_OK;
}
