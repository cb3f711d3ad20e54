/*
 * pst/ndb_write_tree.c - the end of a PST write: the node and block
 * B-trees ([MS-PST] 2.2.2.7.7), the FMaps and the density list
 * (2.2.2.7.4, 2.2.2.7.6), and the header with its ROOT (2.2.2.5-6).
 *
 * Both B-trees are built by one streaming builder: entries arrive in key
 * order; each level keeps the page it is filling; a full page is written
 * and its first key and BREF become an entry of the level above. At the
 * end the partial pages are written bottom up; the top one is the root.
 */
#include <stdlib.h>
#include <unistd.h>

#include "pst/ndb_write.h"

static void builder_init(const fm_pst_format *f, fm_pst_btree_builder *b, uint8_t ptype)
{
    memset(b, 0, sizeof *b);
    b->ptype = ptype;
    b->leaf_size = ptype == PTYPE_NBT ? f->nbt_entry : f->bbt_entry;
    b->leaf_max = f->page_entries / b->leaf_size;
    b->int_max = f->page_entries / f->bt_entry;
}

static HRESULT builder_add(fm_pst_writer *w, fm_pst_btree_builder *b, unsigned level,
                           uint64_t key, const uint8_t *entry);

/* Writes level's page and passes it up. */
static HRESULT builder_flush(fm_pst_writer *w, fm_pst_btree_builder *b, unsigned level,
                             fm_pst_bref *out)
{
    const fm_pst_format *f = &w->f;
    uint8_t *page = b->page[level];
    unsigned esize = level == 0 ? b->leaf_size : f->bt_entry;
    unsigned max = level == 0 ? b->leaf_max : b->int_max;
    memset(page + b->n[level] * esize, 0, PST_PAGE - b->n[level] * esize);
    uint8_t *meta = page + f->page_entries;
    meta[0] = (uint8_t)b->n[level];
    meta[1] = (uint8_t)max;
    meta[2] = (uint8_t)esize;
    meta[3] = (uint8_t)level;
    fm_pst_bref bref;
    HRESULT hr = fm_pst_write_page(w, page, b->ptype, &bref);
    if (hr != S_OK)
        return hr;
    b->wrote[level] = true;
    uint64_t key = b->first_key[level];
    b->n[level] = 0;
    if (out != NULL) {
        *out = bref;
        return S_OK;
    }
    uint8_t e[24];
    if (f->ansi) {
        fm_put32(e, (uint32_t)key);
        fm_put32(e + 4, (uint32_t)bref.bid);
        fm_put32(e + 8, (uint32_t)bref.ib);
    } else {
        fm_put64(e, key);
        fm_put64(e + 8, bref.bid);
        fm_put64(e + 16, bref.ib);
    }
    return builder_add(w, b, level + 1, key, e);
}

static HRESULT builder_add(fm_pst_writer *w, fm_pst_btree_builder *b, unsigned level,
                           uint64_t key, const uint8_t *entry)
{
    if (level >= PST_BT_LEVELS)
        return fm_pst_fail(MAPI_E_TOO_BIG, "PST: B-tree too deep");
    unsigned esize = level == 0 ? b->leaf_size : w->f.bt_entry;
    unsigned max = level == 0 ? b->leaf_max : b->int_max;
    if (b->n[level] == max) {
        HRESULT hr = builder_flush(w, b, level, NULL);
        if (hr != S_OK)
            return hr;
    }
    if (b->n[level] == 0)
        b->first_key[level] = key;
    memcpy(b->page[level] + b->n[level] * esize, entry, esize);
    b->n[level]++;
    return S_OK;
}

/* The root: the lowest level above which nothing was ever written. */
static HRESULT builder_finish(fm_pst_writer *w, fm_pst_btree_builder *b, fm_pst_bref *root)
{
    for (unsigned level = 0; level < PST_BT_LEVELS; level++) {
        bool above = level + 1 < PST_BT_LEVELS && (b->wrote[level + 1] || b->n[level + 1] > 0);
        if (!above && !b->wrote[level])
            return builder_flush(w, b, level, root);
        if (b->n[level] > 0) {
            HRESULT hr = builder_flush(w, b, level, NULL);
            if (hr != S_OK)
                return hr;
        }
    }
    return fm_pst_fail(MAPI_E_TOO_BIG, "PST: B-tree too deep");
}

HRESULT fm_pst_tree_init(fm_pst_writer *w)
{
    builder_init(&w->f, &w->bbt, PTYPE_BBT);
    return S_OK;
}

HRESULT fm_pst_bbt_add(fm_pst_writer *w, uint64_t bid, uint64_t ib, uint16_t cb)
{
    uint8_t e[24];
    memset(e, 0, sizeof e);
    if (w->f.ansi) {
        fm_put32(e, (uint32_t)bid);
        fm_put32(e + 4, (uint32_t)ib);
        fm_put16(e + 8, cb);
        fm_put16(e + 10, 2);
    } else {
        fm_put64(e, bid);
        fm_put64(e + 8, ib);
        fm_put16(e + 16, cb);
        fm_put16(e + 18, 2); /* cRef: the node's and the B-tree's references */
    }
    return builder_add(w, &w->bbt, 0, bid, e);
}

static int nbt_rec_cmp(const void *a, const void *b)
{
    uint32_t x = ((const fm_pst_nbt_rec *)a)->nid, y = ((const fm_pst_nbt_rec *)b)->nid;
    return x < y ? -1 : x > y;
}

static void nbt_bytes(const fm_pst_format *f, uint8_t *e, const fm_pst_nbt_rec *r)
{
    memset(e, 0, f->nbt_entry);
    if (f->ansi) {
        fm_put32(e, r->nid);
        fm_put32(e + 4, (uint32_t)r->bid_data);
        fm_put32(e + 8, (uint32_t)r->bid_sub);
        fm_put32(e + 12, r->parent);
    } else {
        fm_put64(e, r->nid);
        fm_put64(e + 8, r->bid_data);
        fm_put64(e + 16, r->bid_sub);
        fm_put32(e + 24, r->parent);
    }
}

static HRESULT write_nbt(fm_pst_writer *w, fm_pst_bref *root)
{
    fm_pst_btree_builder *b = fm_pst_alloc(sizeof *b);
    if (b == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    builder_init(&w->f, b, PTYPE_NBT);
    HRESULT hr = S_OK;
    if (w->nnodes > 1)
        qsort(w->nodes, w->nnodes, sizeof *w->nodes, nbt_rec_cmp);
    uint8_t e[32];
    for (size_t i = 0; hr == S_OK && i < w->nnodes; i++) {
        if (i > 0 && w->nodes[i].nid == w->nodes[i - 1].nid) {
            hr = fm_pst_fail(MAPI_E_CALL_FAILED, "PST: node 0x%x twice", (unsigned)w->nodes[i].nid);
            break;
        }
        nbt_bytes(&w->f, e, &w->nodes[i]);
        hr = builder_add(w, b, 0, w->nodes[i].nid, e);
    }
    if (hr == S_OK && (fflush(w->spill) != 0 || fseek(w->spill, 0, SEEK_SET) != 0))
        hr = fm_pst_fail(MAPI_E_DISK_ERROR, "PST: reading the spilled node entries back");
    for (uint64_t i = 0; hr == S_OK && i < w->nspilled; i++) {
        if (fread(e, w->f.nbt_entry, 1, w->spill) != 1) {
            hr = fm_pst_fail(MAPI_E_DISK_ERROR, "PST: reading the spilled node entries back");
            break;
        }
        uint64_t key = w->f.ansi ? fm_le32(e) : fm_le64(e);
        hr = builder_add(w, b, 0, key, e);
    }
    if (hr == S_OK)
        hr = builder_finish(w, b, root);
    fm_pst_free(b);
    return hr;
}

/* FMap pages: one byte per AMap, the longest free run in it. */
static HRESULT write_fmaps(fm_pst_writer *w, uint64_t namaps)
{
    uint8_t body[PST_PAGE];
    unsigned cap = PST_PAGE - w->f.trailer_size;
    for (uint64_t k = PST_FMAP_FIRST; k < namaps; k += PST_FMAP_SPAN) {
        uint64_t pmap, fmap, fpmap;
        fm_pst_amap_reserved(k, &pmap, &fmap, &fpmap);
        memset(body, 0, sizeof body);
        for (unsigned i = 0; i < cap && i < PST_FMAP_SPAN && k + i < namaps; i++)
            body[i] = w->fmap[k + i];
        fm_pst_page_trailer(w, body, PTYPE_FMAP, 0);
        HRESULT hr = fm_pst_pwrite(w, body, PST_PAGE, fmap);
        if (hr != S_OK)
            return hr;
    }
    return S_OK;
}

/* [MS-PST] 2.2.2.7.6: the density list, the AMaps with free space, most
 * free first (Unicode files only): the top entries kept by insertion. */
static HRESULT write_dlist(fm_pst_writer *w, uint64_t namaps)
{
    uint8_t page[PST_PAGE];
    memset(page, 0, sizeof page);
    enum { MAX = (PST_PAGE - 16 - 8) / 4 };
    uint32_t pick[MAX];
    unsigned n = 0;
    for (uint64_t k = 0; k < namaps && k < (1u << 20); k++) {
        uint16_t f = w->freeslots[k];
        if (f == 0 || (n == MAX && f <= w->freeslots[pick[n - 1]]))
            continue;
        unsigned at = n < MAX ? n++ : MAX - 1;
        while (at > 0 && w->freeslots[pick[at - 1]] < f) {
            pick[at] = pick[at - 1];
            at--;
        }
        pick[at] = (uint32_t)k;
    }
    for (unsigned i = 0; i < n; i++)
        fm_put32(page + 8 + 4 * i, pick[i] | ((uint32_t)(w->freeslots[pick[i]] & 0xFFF) << 20));
    page[0] = 0x01; /* DFL_BACKFILL_COMPLETE */
    page[1] = (uint8_t)n;
    fm_put32(page + 4, (uint32_t)(namaps - 1));
    uint64_t bid = w->next_pid++;
    fm_pst_page_trailer(w, page, PTYPE_DL, bid);
    fm_put16(page + PST_PAGE - 16 + 2, fm_pst_sig(PST_DLIST_OFFSET, bid));
    return fm_pst_pwrite(w, page, PST_PAGE, PST_DLIST_OFFSET);
}

static void header_unicode(fm_pst_writer *w, uint8_t *h, const fm_pst_bref *nbt,
                           const fm_pst_bref *bbt, uint64_t eof, uint64_t namaps)
{
    memcpy(h, "!BDN", 4);
    memcpy(h + 8, "SM", 2);
    fm_put16(h + 10, PST_VER_UNICODE);
    fm_put16(h + 12, PST_VER_CLIENT);
    h[14] = 0x01;
    h[15] = 0x01;
    fm_put64(h + 32, w->next_pid);
    fm_put32(h + 40, 1);
    for (unsigned i = 0; i < 32; i++)
        fm_put32(h + 44 + 4 * i, w->rgnid[i]);
    uint8_t *r = h + 180;
    fm_put64(r + 4, eof);
    fm_put64(r + 12, fm_pst_amap_offset(namaps - 1));
    fm_put64(r + 20, w->amap_free_bytes);
    fm_put64(r + 28, 0);
    fm_put64(r + 36, nbt->bid);
    fm_put64(r + 44, nbt->ib);
    fm_put64(r + 52, bbt->bid);
    fm_put64(r + 60, bbt->ib);
    r[68] = 0x02; /* VALID_AMAP2 */
    for (unsigned i = 0; i < 128; i++)
        h[256 + i] = i < namaps ? w->fmap[i] : 0;
    memset(h + 384, 0, 128); /* rgbFP: no PMap has free pages */
    h[512] = 0x80;
    h[513] = w->crypt;
    fm_put64(h + 516, w->next_bid);
    fm_put32(h + 4, fm_pst_crc(0, h + 8, 471));
    fm_put32(h + 524, fm_pst_crc(0, h + 8, 516));
}

static void header_ansi(fm_pst_writer *w, uint8_t *h, const fm_pst_bref *nbt,
                        const fm_pst_bref *bbt, uint64_t eof, uint64_t namaps)
{
    memcpy(h, "!BDN", 4);
    memcpy(h + 8, "SM", 2);
    fm_put16(h + 10, 14);
    fm_put16(h + 12, PST_VER_CLIENT);
    h[14] = 0x01;
    h[15] = 0x01;
    fm_put32(h + 24, (uint32_t)w->next_bid);
    fm_put32(h + 28, (uint32_t)w->next_pid);
    fm_put32(h + 32, 1);
    for (unsigned i = 0; i < 32; i++)
        fm_put32(h + 36 + 4 * i, w->rgnid[i]);
    uint8_t *r = h + 164;
    fm_put32(r + 4, (uint32_t)eof);
    fm_put32(r + 8, (uint32_t)fm_pst_amap_offset(namaps - 1));
    fm_put32(r + 12, (uint32_t)w->amap_free_bytes);
    fm_put32(r + 16, 0);
    fm_put32(r + 20, (uint32_t)nbt->bid);
    fm_put32(r + 24, (uint32_t)nbt->ib);
    fm_put32(r + 28, (uint32_t)bbt->bid);
    fm_put32(r + 32, (uint32_t)bbt->ib);
    r[36] = 0x01; /* VALID_AMAP1 */
    for (unsigned i = 0; i < 128; i++)
        h[204 + i] = i < namaps ? w->fmap[i] : 0;
    h[460] = 0x80;
    h[461] = w->crypt;
    fm_put32(h + 4, fm_pst_crc(0, h + 8, 471));
}

HRESULT fm_pst_writer_finish(fm_pst_writer *w)
{
    fm_pst_bref nbt, bbt;
    HRESULT hr = w->err;
    if (hr == S_OK)
        hr = write_nbt(w, &nbt);
    if (hr == S_OK)
        hr = builder_finish(w, &w->bbt, &bbt);
    /* The file ends with its last interval, whose AMap closes now. */
    uint64_t namaps = w->amap_k + 1;
    uint64_t eof = fm_pst_amap_offset(namaps);
    if (hr == S_OK)
        hr = fm_pst_amap_close_last(w);
    if (hr == S_OK)
        hr = write_fmaps(w, namaps);
    if (hr == S_OK && !w->f.ansi)
        hr = write_dlist(w, namaps);
    if (hr == S_OK) {
        uint8_t h[PST_HEADER_SIZE];
        memset(h, 0, sizeof h);
        if (w->f.ansi)
            header_ansi(w, h, &nbt, &bbt, eof, namaps);
        else
            header_unicode(w, h, &nbt, &bbt, eof, namaps);
        hr = fm_pst_pwrite(w, h, sizeof h, 0);
    }
    if (hr == S_OK && ftruncate(w->fd, (off_t)eof) != 0)
        hr = fm_pst_fail(MAPI_E_NOT_ENOUGH_DISK, "PST: cannot extend %s", w->tmp_path);
    if (hr == S_OK && fdatasync(w->fd) != 0)
        hr = fm_pst_fail(MAPI_E_DISK_ERROR, "PST: cannot sync %s", w->tmp_path);
    if (hr == S_OK && rename(w->tmp_path, w->path) != 0)
        hr = fm_pst_fail(MAPI_E_NO_ACCESS, "PST: cannot rename %s to %s", w->tmp_path, w->path);
    if (hr == S_OK) {
        close(w->fd);
        w->fd = -1;
    }
    fm_pst_writer_abort(w);
    return hr;
}
