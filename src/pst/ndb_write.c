/*
 * pst/ndb_write.c - the NDB layer of the PST writer ([MS-PST] 2.2): the file,
 * space allocation with its allocation maps, blocks and pages with their
 * trailers, the two B-trees, and the header written last.
 *
 * The writer only appends. Space is taken from a bump pointer that skips
 * the map pages at the start of every 253,952-byte interval and never lets
 * a block cross into the next interval; an interval's AMap is written as
 * soon as the pointer leaves it. So memory does not grow with the file:
 *
 * - Block IDs are handed out in the order blocks are written, so the block
 *   B-tree receives its entries sorted and is built as a stream (one page
 *   per level in memory, ndb_write_tree.c).
 * - Node IDs of messages are allocated in increasing order above every
 *   folder's (PST_FIRST_MESSAGE_INDEX), so the node B-tree is the folders'
 *   and internal nodes' entries (a few per folder, kept and sorted here)
 *   followed by the messages' entries, which are appended to a temporary
 *   file as they come and read back once at the end.
 *
 * The file is written as "<path>.tmp-<pid>" and renamed over path when the
 * header is in place and the data are synced; abort removes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pst/ndb_write.h"

/* ---- file I/O ------------------------------------------------------------------ */
static HRESULT io_error(fm_pst_writer *w, int err, const char *what)
{
    HRESULT hr = (err == ENOSPC || err == EDQUOT || err == EFBIG) ? MAPI_E_NOT_ENOUGH_DISK
                                                                 : MAPI_E_DISK_ERROR;
    w->err = fm_pst_fail(hr, "PST: %s %s: %s", what, w->tmp_path, strerror(err));
    return w->err;
}

HRESULT fm_pst_pwrite(fm_pst_writer *w, const void *data, size_t n, uint64_t off)
{
    const uint8_t *p = data;
    while (n > 0) {
        ssize_t k = pwrite(w->fd, p, n, (off_t)off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return io_error(w, k < 0 ? errno : ENOSPC, "writing");
        p += k;
        n -= (size_t)k;
        off += (uint64_t)k;
    }
    return S_OK;
}

/* ---- allocation maps ------------------------------------------------------------- */
static void amap_mark(fm_pst_writer *w, uint64_t off, uint64_t size)
{
    uint64_t first = (off - fm_pst_amap_offset(w->amap_k)) / 64;
    uint64_t n = size / 64;
    for (uint64_t i = first; i < first + n; i++)
        w->amap[i / 8] |= (uint8_t)(0x80u >> (i % 8));
}

static HRESULT write_map_page(fm_pst_writer *w, uint8_t ptype, uint8_t fillbyte,
                              const uint8_t *bits, uint64_t off)
{
    uint8_t page[PST_PAGE];
    unsigned body = PST_PAGE - w->f.trailer_size;
    if (bits != NULL)
        memcpy(page, bits, body);
    else
        memset(page, fillbyte, body);
    fm_pst_page_trailer(w, page, ptype, 0);
    return fm_pst_pwrite(w, page, PST_PAGE, off);
}

/* The longest run of free 64-byte slots of the current AMap (an FMap byte). */
static uint8_t amap_longest_free(const fm_pst_writer *w, uint32_t *nfree)
{
    uint32_t best = 0, run = 0, free_slots = 0;
    for (uint32_t i = 0; i < 496 * 8; i++) {
        if (w->amap[i / 8] & (0x80u >> (i % 8))) {
            run = 0;
        } else {
            run++;
            free_slots++;
            if (run > best)
                best = run;
        }
    }
    *nfree = free_slots;
    return (uint8_t)(best > 255 ? 255 : best);
}

static HRESULT amap_close(fm_pst_writer *w)
{
    uint32_t nfree = 0;
    uint8_t longest = amap_longest_free(w, &nfree);
    HRESULT hr = fm_pst_grow((void **)&w->fmap, &w->capfmap, w->amap_k + 1, 1);
    if (hr == S_OK)
        hr = fm_pst_grow((void **)&w->freeslots, &w->capfree, w->amap_k + 1, sizeof(uint16_t));
    if (hr != S_OK)
        return hr;
    w->fmap[w->amap_k] = longest;
    w->freeslots[w->amap_k] = (uint16_t)nfree;
    w->amap_free_bytes += (uint64_t)nfree * 64;
    return write_map_page(w, PTYPE_AMAP, 0, w->amap, fm_pst_amap_offset(w->amap_k));
}

/* Starts interval k: its AMap marks its own map pages, whose constant ones
 * (PMap: every page taken, as the density list replaces it; FPMap) are
 * written now; the FMap is written at the end, when its values are known. */
static HRESULT amap_open(fm_pst_writer *w, uint64_t k)
{
    uint64_t pmap, fmap, fpmap;
    unsigned pages = fm_pst_amap_reserved(k, &pmap, &fmap, &fpmap);
    HRESULT hr = S_OK;
    w->amap_k = k;
    memset(w->amap, 0, sizeof w->amap);
    amap_mark(w, fm_pst_amap_offset(k), (uint64_t)pages * PST_PAGE);
    if (pmap != 0)
        hr = write_map_page(w, PTYPE_PMAP, 0xFF, NULL, pmap);
    if (hr == S_OK && fpmap != 0)
        hr = write_map_page(w, PTYPE_FPMAP, 0x00, NULL, fpmap);
    return hr;
}

HRESULT fm_pst_amap_close_last(fm_pst_writer *w)
{
    return amap_close(w);
}

static HRESULT amap_advance(fm_pst_writer *w, uint64_t k)
{
    HRESULT hr = S_OK;
    while (hr == S_OK && w->amap_k < k) {
        hr = amap_close(w);
        if (hr == S_OK)
            hr = amap_open(w, w->amap_k + 1);
    }
    return hr;
}

/* Takes size bytes (a multiple of 64) aligned to align (64 or 512). */
HRESULT fm_pst_alloc_space(fm_pst_writer *w, uint32_t size, uint32_t align, uint64_t *ib)
{
    uint64_t pos = (w->eof + align - 1) & ~(uint64_t)(align - 1);
    for (;;) {
        uint64_t k = (pos - PST_AMAP_START) / PST_AMAP_SPAN;
        uint64_t start = fm_pst_amap_offset(k), p1, p2, p3;
        uint64_t reserved_end = start + (uint64_t)fm_pst_amap_reserved(k, &p1, &p2, &p3) * PST_PAGE;
        if (pos < reserved_end)
            pos = (reserved_end + align - 1) & ~(uint64_t)(align - 1);
        if (pos + size <= start + PST_AMAP_SPAN)
            break;
        pos = start + PST_AMAP_SPAN;
    }
    if (w->f.ansi && pos + size > PST_ANSI_MAX_SIZE)
        return w->err = fm_pst_fail(MAPI_E_TOO_BIG, "PST: an ANSI file cannot pass 2 GB");
    HRESULT hr = amap_advance(w, (pos - PST_AMAP_START) / PST_AMAP_SPAN);
    if (hr != S_OK)
        return hr;
    amap_mark(w, pos, size);
    w->eof = pos + size;
    *ib = pos;
    return S_OK;
}

HRESULT fm_pst_writer_skip_to(fm_pst_writer *w, uint64_t offset)
{
    if (offset > w->eof)
        w->eof = offset;
    return S_OK;
}

/* ---- pages and blocks ------------------------------------------------------------ */
void fm_pst_page_trailer(fm_pst_writer *w, uint8_t *page, uint8_t ptype, uint64_t bid)
{
    unsigned body = PST_PAGE - w->f.trailer_size;
    uint8_t *t = page + body;
    uint32_t crc = fm_pst_crc(0, page, body);
    t[0] = ptype;
    t[1] = ptype;
    fm_put16(t + 2, 0);
    if (w->f.ansi) {
        fm_put32(t + 4, (uint32_t)bid);
        fm_put32(t + 8, crc);
    } else {
        fm_put32(t + 4, crc);
        fm_put64(t + 8, bid);
    }
}

HRESULT fm_pst_write_page(fm_pst_writer *w, uint8_t *page, uint8_t ptype, fm_pst_bref *out)
{
    uint64_t ib;
    HRESULT hr = fm_pst_alloc_space(w, PST_PAGE, PST_PAGE, &ib);
    if (hr != S_OK)
        return hr;
    uint64_t bid = w->next_pid++;
    fm_pst_page_trailer(w, page, ptype, bid);
    fm_put16(page + PST_PAGE - w->f.trailer_size + 2, fm_pst_sig(ib, bid));
    out->bid = bid;
    out->ib = ib;
    return fm_pst_pwrite(w, page, PST_PAGE, ib);
}

HRESULT fm_pst_write_block(fm_pst_writer *w, const void *data, uint32_t cb, bool internal,
                           uint64_t *bid_out)
{
    if (w->err != S_OK)
        return w->err;
    if (cb > w->f.block_data)
        return fm_pst_fail(MAPI_E_CALL_FAILED, "PST: a block of %u bytes", (unsigned)cb);
    uint32_t size = fm_pst_block_size(&w->f, cb);
    uint64_t ib;
    HRESULT hr = fm_pst_alloc_space(w, size, 64, &ib);
    if (hr != S_OK)
        return hr;
    uint64_t bid = w->next_bid | (internal ? BID_INTERNAL : 0);
    w->next_bid += 4;
    uint8_t *b = w->blockbuf;
    memcpy(b, data, cb);
    memset(b + cb, 0, size - cb);
    if (!internal)
        fm_pst_encode(w->crypt, bid, b, cb);
    uint8_t *t = b + size - w->f.trailer_size;
    fm_put16(t, (uint16_t)cb);
    fm_put16(t + 2, fm_pst_sig(ib, bid));
    uint32_t crc = fm_pst_crc(0, b, cb);
    if (w->f.ansi) {
        fm_put32(t + 4, (uint32_t)bid);
        fm_put32(t + 8, crc);
    } else {
        fm_put32(t + 4, crc);
        fm_put64(t + 8, bid);
    }
    hr = fm_pst_pwrite(w, b, size, ib);
    if (hr == S_OK)
        hr = fm_pst_bbt_add(w, bid, ib, (uint16_t)cb);
    if (hr == S_OK)
        *bid_out = bid;
    return hr;
}

/* ---- nodes ------------------------------------------------------------------------- */
uint32_t fm_pst_writer_new_nid(fm_pst_writer *w, unsigned type)
{
    /* Normal and associated messages share one counter, so message NIDs
     * keep increasing whatever their type. */
    unsigned slot = (type == NID_TYPE_ASSOC_MESSAGE) ? NID_TYPE_NORMAL_MESSAGE : type;
    uint32_t index = w->rgnid[slot]++;
    if (slot == NID_TYPE_NORMAL_MESSAGE)
        w->rgnid[NID_TYPE_ASSOC_MESSAGE] = w->rgnid[slot];
    return MAKE_NID(type, index);
}

static void nbt_entry_bytes(const fm_pst_writer *w, uint8_t *e, uint32_t nid, uint64_t bid_data,
                            uint64_t bid_sub, uint32_t parent)
{
    memset(e, 0, w->f.nbt_entry);
    if (w->f.ansi) {
        fm_put32(e, nid);
        fm_put32(e + 4, (uint32_t)bid_data);
        fm_put32(e + 8, (uint32_t)bid_sub);
        fm_put32(e + 12, parent);
    } else {
        fm_put64(e, nid);
        fm_put64(e + 8, bid_data);
        fm_put64(e + 16, bid_sub);
        fm_put32(e + 24, parent);
    }
}

HRESULT fm_pst_writer_add_node(fm_pst_writer *w, uint32_t nid, uint64_t bid_data,
                               uint64_t bid_sub, uint32_t nid_parent)
{
    uint8_t e[32];
    nbt_entry_bytes(w, e, nid, bid_data, bid_sub, nid_parent);
    if (NID_INDEX(nid) >= PST_FIRST_MESSAGE_INDEX) {
        if (nid <= w->last_spilled)
            return fm_pst_fail(MAPI_E_CALL_FAILED, "PST: node 0x%x written out of order",
                               (unsigned)nid);
        w->last_spilled = nid;
        if (fwrite(e, w->f.nbt_entry, 1, w->spill) != 1)
            return io_error(w, errno, "spilling node entries for");
        w->nspilled++;
        return S_OK;
    }
    HRESULT hr = fm_pst_grow((void **)&w->nodes, &w->capnodes, w->nnodes + 1, sizeof(fm_pst_nbt_rec));
    if (hr != S_OK)
        return hr;
    fm_pst_nbt_rec *r = &w->nodes[w->nnodes++];
    r->nid = nid;
    r->bid_data = bid_data;
    r->bid_sub = bid_sub;
    r->parent = nid_parent;
    return S_OK;
}

/* ---- open ---------------------------------------------------------------------------- */
const fm_pst_format *fm_pst_writer_format(const fm_pst_writer *w)
{
    return &w->f;
}

uint64_t fm_pst_writer_size(const fm_pst_writer *w)
{
    return w->eof;
}

HRESULT fm_pst_writer_open(const char *path, bool ansi, uint8_t crypt, fm_pst_writer **out)
{
    *out = NULL;
    fm_pst_writer *w = fm_pst_zalloc(sizeof *w);
    if (w == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    fm_pst_format_init(&w->f, ansi);
    w->fd = -1;
    w->crypt = crypt;
    w->next_bid = 4;
    w->next_pid = 1;
    for (unsigned i = 0; i < 32; i++)
        w->rgnid[i] = PST_FIRST_FOLDER_INDEX;
    w->rgnid[NID_TYPE_NORMAL_MESSAGE] = PST_FIRST_MESSAGE_INDEX;
    w->rgnid[NID_TYPE_ASSOC_MESSAGE] = PST_FIRST_MESSAGE_INDEX;
    HRESULT hr = S_OK;
    size_t n = strlen(path);
    w->path = fm_pst_alloc(n + 1);
    w->tmp_path = fm_pst_alloc(n + 32);
    w->blockbuf = fm_pst_alloc(PST_BLOCK_MAX);
    w->blockbuf2 = fm_pst_alloc(PST_BLOCK_MAX);
    if (w->path == NULL || w->tmp_path == NULL || w->blockbuf == NULL || w->blockbuf2 == NULL) {
        hr = fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
        goto out;
    }
    memcpy(w->path, path, n + 1);
    snprintf(w->tmp_path, n + 32, "%s.tmp-%ld", path, (long)getpid());
    w->fd = open(w->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (w->fd < 0) {
        int e = errno;
        hr = fm_pst_fail(e == ENOENT ? MAPI_E_NOT_FOUND : MAPI_E_NO_ACCESS,
                         "PST: cannot create %s: %s", w->tmp_path, strerror(e));
        goto out;
    }
    (void)fchmod(w->fd, 0600);
    w->spill = tmpfile();
    if (w->spill == NULL) {
        hr = io_error(w, errno, "making a temporary file beside");
        goto out;
    }
    w->eof = PST_AMAP_START;
    hr = amap_open(w, 0);
    if (hr == S_OK)
        hr = fm_pst_tree_init(w);
out:
    if (hr != S_OK) {
        fm_pst_writer_abort(w);
        return hr;
    }
    *out = w;
    return S_OK;
}

void fm_pst_writer_abort(fm_pst_writer *w)
{
    if (w == NULL)
        return;
    if (w->fd >= 0) {
        close(w->fd);
        unlink(w->tmp_path);
    }
    if (w->spill != NULL)
        fclose(w->spill);
    fm_pst_free(w->path);
    fm_pst_free(w->tmp_path);
    fm_pst_free(w->blockbuf);
    fm_pst_free(w->blockbuf2);
    fm_pst_free(w->nodes);
    fm_pst_free(w->fmap);
    fm_pst_free(w->freeslots);
    fm_pst_free(w);
}
