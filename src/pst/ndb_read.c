/*
 * pst/ndb_read.c - the NDB layer of the PST reader ([MS-PST] 2.2).
 *
 * Nothing read from the file is trusted: page types, entry counts and
 * sizes, CRCs of pages and blocks, a block's trailer against the B-tree
 * entry that led to it, lengths in XBLOCKs, and tree depth (at most 8
 * levels, so a loop in a damaged file cannot recurse without end). Every
 * failure says what and at which file offset. The file is read with pread
 * (or from memory for the fuzzer); B-tree pages go through a small cache,
 * since every block lookup descends the block B-tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pst/ndb_read.h"

#define CACHE_PAGES 256
#define MAX_DEPTH 8

struct fm_pst_file {
    int fd;
    const uint8_t *mem;
    uint64_t size;
    char *name;
    fm_pst_format f;
    uint8_t crypt;
    uint64_t nbt_ib, bbt_ib;
    uint8_t *cache; /* CACHE_PAGES pages */
    uint64_t cache_ib[CACHE_PAGES];
    uint8_t *blockbuf;
};

static HRESULT corrupt(fm_pst_file *f, uint64_t off, const char *what)
{
    return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST %s: %s at offset 0x%llx", f->name, what,
                       (unsigned long long)off);
}

static HRESULT read_at(fm_pst_file *f, void *buf, size_t n, uint64_t off)
{
    if (off > f->size || n > f->size - off)
        return fm_pst_fail(MAPI_E_CORRUPT_DATA,
                           "PST %s: %zu bytes at offset 0x%llx are past the end of the file "
                           "(0x%llx bytes: truncated?)",
                           f->name, n, (unsigned long long)off, (unsigned long long)f->size);
    if (f->mem != NULL) {
        memcpy(buf, f->mem + off, n);
        return S_OK;
    }
    uint8_t *p = buf;
    while (n > 0) {
        ssize_t k = pread(f->fd, p, n, (off_t)off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return fm_pst_fail(MAPI_E_DISK_ERROR, "PST %s: reading at offset 0x%llx: %s", f->name,
                               (unsigned long long)off, k < 0 ? strerror(errno) : "end of file");
        p += k;
        n -= (size_t)k;
        off += (uint64_t)k;
    }
    return S_OK;
}

/* ---- header ------------------------------------------------------------------------- */
static HRESULT parse_header(fm_pst_file *f)
{
    uint8_t h[PST_HEADER_SIZE];
    memset(h, 0, sizeof h);
    if (f->size < 512)
        return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST %s: %llu bytes, too short for a header",
                           f->name, (unsigned long long)f->size);
    HRESULT hr = read_at(f, h, f->size < sizeof h ? 512 : sizeof h, 0);
    if (hr != S_OK)
        return hr;
    if (memcmp(h, "!BDN", 4) != 0)
        return corrupt(f, 0, "not an Outlook data file (no !BDN)");
    if (!(h[8] == 'S' && (h[9] == 'M' || h[9] == 'O')))
        return corrupt(f, 8, "unknown client signature");
    uint16_t ver = fm_le16(h + 10);
    if (ver >= 36)
        return fm_pst_fail(MAPI_E_VERSION,
                           "PST %s: version %u uses 4 KiB pages (an OST of Outlook 2013 or "
                           "later), which this reader does not support",
                           f->name, ver);
    bool ansi = ver == 14 || ver == 15;
    if (!ansi && ver != 23)
        return fm_pst_fail(MAPI_E_VERSION, "PST %s: unknown version %u", f->name, ver);
    fm_pst_format_init(&f->f, ansi);
    if (fm_le32(h + 4) != fm_pst_crc(0, h + 8, 471))
        return corrupt(f, 4, "header CRC mismatch");
    if (ansi) {
        f->nbt_ib = fm_le32(h + 188);
        f->bbt_ib = fm_le32(h + 196);
        f->crypt = h[461];
    } else {
        if (f->size < sizeof h)
            return corrupt(f, 0, "truncated header");
        if (fm_le32(h + 524) != fm_pst_crc(0, h + 8, 516))
            return corrupt(f, 524, "header CRC mismatch");
        f->nbt_ib = fm_le64(h + 224);
        f->bbt_ib = fm_le64(h + 240);
        f->crypt = h[513];
    }
    if (f->crypt > NDB_CRYPT_CYCLIC)
        return corrupt(f, ansi ? 461 : 513, "unknown encoding");
    return S_OK;
}

static HRESULT file_init(fm_pst_file *f, const char *name)
{
    size_t n = strlen(name);
    f->name = fm_pst_alloc(n + 1);
    f->cache = fm_pst_alloc((size_t)CACHE_PAGES * PST_PAGE);
    f->blockbuf = fm_pst_alloc(PST_BLOCK_MAX);
    if (f->name == NULL || f->cache == NULL || f->blockbuf == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    memcpy(f->name, name, n + 1);
    for (unsigned i = 0; i < CACHE_PAGES; i++)
        f->cache_ib[i] = UINT64_MAX;
    return parse_header(f);
}

HRESULT fm_pst_file_open(const char *path, fm_pst_file **out)
{
    *out = NULL;
    fm_pst_file *f = fm_pst_zalloc(sizeof *f);
    if (f == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    f->fd = open(path, O_RDONLY | O_CLOEXEC);
    HRESULT hr;
    struct stat st;
    if (f->fd < 0) {
        int e = errno;
        hr = fm_pst_fail(e == ENOENT ? MAPI_E_NOT_FOUND : MAPI_E_NO_ACCESS, "PST %s: %s", path,
                         strerror(e));
    } else if (fstat(f->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        hr = fm_pst_fail(MAPI_E_INVALID_PARAMETER, "PST %s: not a regular file", path);
    } else {
        f->size = (uint64_t)st.st_size;
        hr = file_init(f, path);
    }
    if (hr != S_OK) {
        fm_pst_file_close(f);
        return hr;
    }
    *out = f;
    return S_OK;
}

HRESULT fm_pst_file_open_mem(const uint8_t *data, size_t n, fm_pst_file **out)
{
    *out = NULL;
    fm_pst_file *f = fm_pst_zalloc(sizeof *f);
    if (f == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    f->fd = -1;
    f->mem = data;
    f->size = n;
    HRESULT hr = file_init(f, "(memory)");
    if (hr != S_OK) {
        fm_pst_file_close(f);
        return hr;
    }
    *out = f;
    return S_OK;
}

void fm_pst_file_close(fm_pst_file *f)
{
    if (f == NULL)
        return;
    if (f->fd >= 0)
        close(f->fd);
    fm_pst_free(f->name);
    fm_pst_free(f->cache);
    fm_pst_free(f->blockbuf);
    fm_pst_free(f);
}

const fm_pst_format *fm_pst_file_format(const fm_pst_file *f)
{
    return &f->f;
}

const char *fm_pst_file_name(const fm_pst_file *f)
{
    return f->name;
}

/* ---- B-tree pages ----------------------------------------------------------------------- */
typedef struct bt_page {
    const uint8_t *p;
    unsigned n, esize, level;
} bt_page;

static HRESULT page_read(fm_pst_file *f, uint64_t ib, uint8_t ptype, bt_page *out)
{
    if (ib % 64 != 0)
        return corrupt(f, ib, "misaligned B-tree page");
    unsigned slot = (unsigned)((ib / PST_PAGE) % CACHE_PAGES);
    uint8_t *p = f->cache + (size_t)slot * PST_PAGE;
    if (f->cache_ib[slot] != ib) {
        f->cache_ib[slot] = UINT64_MAX;
        HRESULT hr = read_at(f, p, PST_PAGE, ib);
        if (hr != S_OK)
            return hr;
        unsigned body = PST_PAGE - f->f.trailer_size;
        const uint8_t *t = p + body;
        if (t[0] != ptype || t[1] != ptype)
            return corrupt(f, ib, ptype == PTYPE_NBT ? "not a node B-tree page"
                                                     : "not a block B-tree page");
        uint32_t crc = f->f.ansi ? fm_le32(t + 8) : fm_le32(t + 4);
        if (crc != fm_pst_crc(0, p, body))
            return corrupt(f, ib, "B-tree page CRC mismatch");
        f->cache_ib[slot] = ib;
    }
    const uint8_t *m = p + f->f.page_entries;
    out->p = p;
    out->n = m[0];
    out->esize = m[2];
    out->level = m[3];
    unsigned want = out->level > 0 ? f->f.bt_entry
                                   : (ptype == PTYPE_NBT ? f->f.nbt_entry : f->f.bbt_entry);
    if (out->esize != want || out->n * out->esize > f->f.page_entries || out->level >= MAX_DEPTH)
        return corrupt(f, ib, "bad B-tree page header");
    return S_OK;
}

static uint64_t get_id(const fm_pst_file *f, const uint8_t *p)
{
    return f->f.ansi ? fm_le32(p) : fm_le64(p);
}

/* Descends to the leaf entry whose key is key; *entry points into the page
 * cache (valid until the next page read). */
static HRESULT bt_find(fm_pst_file *f, uint64_t root, uint8_t ptype, uint64_t key, uint64_t mask,
                       const uint8_t **entry)
{
    uint64_t ib = root;
    int last_level = MAX_DEPTH;
    for (int depth = 0; depth <= MAX_DEPTH; depth++) {
        bt_page pg = { NULL, 0, 0, 0 };
        HRESULT hr = page_read(f, ib, ptype, &pg);
        if (hr != S_OK)
            return hr;
        if ((int)pg.level >= last_level)
            return corrupt(f, ib, "B-tree levels out of order");
        last_level = (int)pg.level;
        if (pg.level == 0) {
            for (unsigned i = 0; i < pg.n; i++) {
                const uint8_t *e = pg.p + i * pg.esize;
                if ((get_id(f, e) & mask) == (key & mask)) {
                    *entry = e;
                    return S_OK;
                }
            }
            return MAPI_E_NOT_FOUND;
        }
        const uint8_t *chosen = NULL;
        for (unsigned i = 0; i < pg.n; i++) {
            const uint8_t *e = pg.p + i * pg.esize;
            if ((get_id(f, e) & mask) <= (key & mask))
                chosen = e;
            else
                break;
        }
        if (chosen == NULL)
            return MAPI_E_NOT_FOUND;
        ib = get_id(f, chosen + 2 * f->f.id_size);
    }
    return corrupt(f, ib, "B-tree too deep");
}

static void node_from_entry(const fm_pst_file *f, const uint8_t *e, fm_pst_node_ref *out)
{
    if (f->f.ansi) {
        out->nid = fm_le32(e);
        out->bid_data = fm_le32(e + 4);
        out->bid_sub = fm_le32(e + 8);
        out->parent = fm_le32(e + 12);
    } else {
        out->nid = (uint32_t)fm_le64(e);
        out->bid_data = fm_le64(e + 8);
        out->bid_sub = fm_le64(e + 16);
        out->parent = fm_le32(e + 24);
    }
}

HRESULT fm_pst_nbt_find(fm_pst_file *f, uint32_t nid, fm_pst_node_ref *out)
{
    const uint8_t *e;
    HRESULT hr = bt_find(f, f->nbt_ib, PTYPE_NBT, nid, f->f.ansi ? 0xFFFFFFFFu : UINT64_MAX, &e);
    if (hr == S_OK)
        node_from_entry(f, e, out);
    return hr;
}

/* Depth-first walk of the node B-tree: each page's entries are copied
 * first (the cache may reuse the page while the children are read). */
static HRESULT walk(fm_pst_file *f, uint64_t ib, int above, fm_pst_node_fn fn,
                    fm_pst_damage_fn damage, void *ctx)
{
    bt_page pg = { NULL, 0, 0, 0 };
    HRESULT hr = page_read(f, ib, PTYPE_NBT, &pg);
    if (hr == S_OK && (int)pg.level >= above)
        hr = corrupt(f, ib, "B-tree levels out of order");
    if (hr != S_OK) {
        if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
            return hr;
        damage(ctx, hr, fmapi_last_error());
        return S_OK;
    }
    uint8_t copy[PST_PAGE];
    unsigned n = pg.n, esize = pg.esize, level = pg.level;
    memcpy(copy, pg.p, (size_t)n * esize);
    for (unsigned i = 0; i < n; i++) {
        const uint8_t *e = copy + i * esize;
        if (level == 0) {
            fm_pst_node_ref node;
            node_from_entry(f, e, &node);
            hr = fn(ctx, &node);
        } else {
            hr = walk(f, get_id(f, e + 2 * f->f.id_size), (int)level, fn, damage, ctx);
        }
        if (hr != S_OK)
            return hr;
    }
    return S_OK;
}

HRESULT fm_pst_nbt_walk(fm_pst_file *f, fm_pst_node_fn fn, fm_pst_damage_fn damage, void *ctx)
{
    return walk(f, f->nbt_ib, MAX_DEPTH, fn, damage, ctx);
}

/* ---- blocks ------------------------------------------------------------------------------ */
/* Reads block bid into f->blockbuf; external blocks are decoded. */
static HRESULT block_read(fm_pst_file *f, uint64_t bid, uint32_t *cb_out)
{
    const uint8_t *e;
    HRESULT hr = bt_find(f, f->bbt_ib, PTYPE_BBT, bid, ~(uint64_t)1, &e);
    if (hr == MAPI_E_NOT_FOUND)
        return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST %s: block 0x%llx is not in the block B-tree",
                           f->name, (unsigned long long)bid);
    if (hr != S_OK)
        return hr;
    uint64_t ib = get_id(f, e + f->f.id_size);
    uint16_t cb = fm_le16(e + 2 * f->f.id_size);
    if (cb > f->f.block_data)
        return corrupt(f, ib, "block larger than 8 KiB");
    uint32_t size = fm_pst_block_size(&f->f, cb);
    hr = read_at(f, f->blockbuf, size, ib);
    if (hr != S_OK)
        return hr;
    const uint8_t *t = f->blockbuf + size - f->f.trailer_size;
    uint64_t tbid = f->f.ansi ? fm_le32(t + 4) : fm_le64(t + 8);
    uint32_t crc = f->f.ansi ? fm_le32(t + 8) : fm_le32(t + 4);
    if (fm_le16(t) != cb || (tbid & ~(uint64_t)1) != (bid & ~(uint64_t)1))
        return corrupt(f, ib, "block trailer does not match its B-tree entry");
    if (crc != fm_pst_crc(0, f->blockbuf, cb))
        return corrupt(f, ib, "block CRC mismatch");
    if (!(bid & BID_INTERNAL))
        fm_pst_decode(f->crypt, bid, f->blockbuf, cb);
    *cb_out = cb;
    return S_OK;
}

HRESULT fm_pst_block_where(fm_pst_file *f, uint64_t bid, uint64_t *ib, uint16_t *cb)
{
    const uint8_t *e;
    HRESULT hr = bt_find(f, f->bbt_ib, PTYPE_BBT, bid, ~(uint64_t)1, &e);
    if (hr == S_OK) {
        *ib = get_id(f, e + f->f.id_size);
        *cb = fm_le16(e + 2 * f->f.id_size);
    }
    return hr;
}

/* Walks the data tree under bid, handing each data block to fn. */
static HRESULT data_walk(fm_pst_file *f, uint64_t bid, int depth, fm_pst_bytes_fn fn, void *ctx)
{
    uint32_t cb = 0;
    HRESULT hr = block_read(f, bid, &cb);
    if (hr != S_OK)
        return hr;
    if (!(bid & BID_INTERNAL))
        return fn(ctx, f->blockbuf, cb);
    if (depth >= 2 || cb < 8 || f->blockbuf[0] != 0x01 || f->blockbuf[1] < 1 ||
        f->blockbuf[1] > 2)
        return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST %s: block 0x%llx is not an XBLOCK",
                           f->name, (unsigned long long)bid);
    unsigned n = fm_le16(f->blockbuf + 2);
    if (8 + (size_t)n * f->f.id_size > cb)
        return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST %s: XBLOCK 0x%llx lists more than it holds",
                           f->name, (unsigned long long)bid);
    uint64_t *ids = fm_pst_alloc(sizeof(uint64_t) * (n ? n : 1));
    if (ids == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    for (unsigned i = 0; i < n; i++)
        ids[i] = get_id(f, f->blockbuf + 8 + (size_t)i * f->f.id_size);
    bool leaf = f->blockbuf[1] == 1;
    for (unsigned i = 0; hr == S_OK && i < n; i++) {
        if (leaf && (ids[i] & BID_INTERNAL))
            hr = fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST %s: XBLOCK 0x%llx points at a tree",
                             f->name, (unsigned long long)bid);
        else
            hr = data_walk(f, ids[i], leaf ? 2 : depth + 1, fn, ctx);
    }
    fm_pst_free(ids);
    return hr;
}

HRESULT fm_pst_data_stream(fm_pst_file *f, uint64_t bid, fm_pst_bytes_fn fn, void *ctx)
{
    if (bid == 0)
        return S_OK;
    return data_walk(f, bid, 0, fn, ctx);
}

HRESULT fm_pst_data_size(fm_pst_file *f, uint64_t bid, uint64_t *size)
{
    *size = 0;
    if (bid == 0)
        return S_OK;
    uint32_t cb = 0;
    HRESULT hr = block_read(f, bid, &cb);
    if (hr != S_OK)
        return hr;
    if (!(bid & BID_INTERNAL))
        *size = cb;
    else if (cb >= 8)
        *size = fm_le32(f->blockbuf + 4);
    return S_OK;
}

typedef struct data_collect {
    fm_pst_data *d;
    uint64_t limit;
    fm_pst_file *f;
} data_collect;

static HRESULT collect(void *ctx, const uint8_t *data, uint32_t n)
{
    data_collect *c = ctx;
    fm_pst_data *d = c->d;
    if (d->total + n > c->limit)
        return fm_pst_fail(MAPI_E_TOO_BIG, "PST %s: a node larger than %llu bytes", c->f->name,
                           (unsigned long long)c->limit);
    if (d->n == d->cap) {
        size_t cap = d->cap;
        HRESULT hr = fm_pst_grow((void **)&d->block, &cap, d->n + 1, sizeof *d->block);
        size_t cap2 = d->cap;
        if (hr == S_OK)
            hr = fm_pst_grow((void **)&d->len, &cap2, d->n + 1, sizeof *d->len);
        if (hr != S_OK)
            return hr;
        d->cap = (uint32_t)cap;
    }
    uint8_t *b = fm_pst_alloc(n ? n : 1);
    if (b == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    memcpy(b, data, n);
    d->block[d->n] = b;
    d->len[d->n] = n;
    d->n++;
    d->total += n;
    return S_OK;
}

HRESULT fm_pst_data_read(fm_pst_file *f, uint64_t bid, uint64_t limit, fm_pst_data *out)
{
    memset(out, 0, sizeof *out);
    data_collect c = { out, limit, f };
    HRESULT hr = fm_pst_data_stream(f, bid, collect, &c);
    if (hr != S_OK)
        fm_pst_data_clear(out);
    return hr;
}

void fm_pst_data_clear(fm_pst_data *d)
{
    for (uint32_t i = 0; i < d->n; i++)
        fm_pst_free(d->block[i]);
    fm_pst_free(d->block);
    fm_pst_free(d->len);
    memset(d, 0, sizeof *d);
}

/* ---- subnodes ---------------------------------------------------------------------------- */
static HRESULT subs_walk(fm_pst_file *f, uint64_t bid, int depth, fm_pst_subnodes *out)
{
    uint32_t cb = 0;
    HRESULT hr = block_read(f, bid, &cb);
    if (hr != S_OK)
        return hr;
    const uint8_t *b = f->blockbuf;
    if (!(bid & BID_INTERNAL) || cb < f->f.sl_header || b[0] != 0x02 || b[1] > 1 || depth > 1)
        return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST %s: block 0x%llx is not a subnode block",
                           f->name, (unsigned long long)bid);
    unsigned n = fm_le16(b + 2);
    unsigned esize = b[1] == 0 ? f->f.sl_entry : f->f.si_entry;
    if (f->f.sl_header + (size_t)n * esize > cb)
        return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST %s: subnode block 0x%llx overflows",
                           f->name, (unsigned long long)bid);
    if (b[1] == 0) {
        for (unsigned i = 0; hr == S_OK && i < n; i++) {
            const uint8_t *e = b + f->f.sl_header + (size_t)i * esize;
            hr = fm_pst_subnodes_add(out, (uint32_t)get_id(f, e), get_id(f, e + f->f.id_size),
                                     get_id(f, e + 2 * f->f.id_size));
        }
        return hr;
    }
    uint64_t *ids = fm_pst_alloc(sizeof(uint64_t) * (n ? n : 1));
    if (ids == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    for (unsigned i = 0; i < n; i++)
        ids[i] = get_id(f, b + f->f.sl_header + (size_t)i * esize + f->f.id_size);
    for (unsigned i = 0; hr == S_OK && i < n; i++)
        hr = subs_walk(f, ids[i], depth + 1, out);
    fm_pst_free(ids);
    return hr;
}

static int sub_cmp(const void *a, const void *b)
{
    uint32_t x = ((const fm_pst_subnode *)a)->nid, y = ((const fm_pst_subnode *)b)->nid;
    return x < y ? -1 : x > y;
}

HRESULT fm_pst_subs_read(fm_pst_file *f, uint64_t bid_sub, fm_pst_subnodes *out)
{
    memset(out, 0, sizeof *out);
    if (bid_sub == 0)
        return S_OK;
    HRESULT hr = subs_walk(f, bid_sub, 0, out);
    if (hr != S_OK) {
        fm_pst_subnodes_clear(out);
        return hr;
    }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, sub_cmp);
    return S_OK;
}

const fm_pst_subnode *fm_pst_subs_find(const fm_pst_subnodes *l, uint32_t nid)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (l->v[mid].nid == nid)
            return &l->v[mid];
        if (l->v[mid].nid < nid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
