/*
 * cfb/cfb_commit.c - writing the tree as a new compound file ([MS-CFB]).
 *
 * Layout, in sector order: every stream of 4096 bytes or more, each one
 * contiguous; the mini stream (streams under 4096 bytes, each in whole
 * 64-byte mini sectors); the mini FAT; the directory; the FAT; the DIFAT
 * sectors beyond the header's 109 entries. The FAT is therefore arithmetic
 * on a short list of chains and is generated while it is written, and the
 * whole file goes out in one sequential pass through a 64 KiB buffer:
 * memory is the chain list and the directory order, whatever the sizes.
 *
 * Version 3 (512-byte sectors) unless the file would reach the range lock
 * sector at 0x7FFFFF00 (2 GB), or the file was version 4: then version 4
 * (4096-byte sectors), where the range lock sector is skipped and marked
 * ENDOFCHAIN as 2.2 requires.
 *
 * Each storage's children become a red-black tree by taking the middle of
 * the sorted array as the root, recursively: every level but the last is
 * full, so colouring the last level red (when it is not full) and the rest
 * black meets 2.6.4's rules.
 */
#include <string.h>
#include <unistd.h>

#include "cfb/cfb.h"
#include "core/alloc.h"
#include "core/error.h"

#define OUT_BUF (64u * 1024u)
#define RANGE_LOCK_OFFSET 0x7FFFFF00ull

typedef struct chain {
    uint32_t start[2], count[2]; /* at most two pieces: around the range lock */
} chain;

typedef struct layout {
    uint32_t ss, epf;
    uint16_t version;
    uint32_t hole;      /* the range lock sector, CFB_FREESECT when none */
    uint32_t next;      /* next free sector */
    fm_cfb_node **nodes;   /* in directory order */
    uint32_t nnodes;
    chain *chains;      /* streams, then mini stream, mini FAT, directory */
    uint32_t nchains;
    uint64_t mini_bytes; /* the mini stream's size */
    uint32_t nmini;      /* mini sectors */
    chain ministream, minifat, dir, fat, difat;
    uint32_t nfat, ndifat, total;
} layout;

typedef struct out {
    int fd;
    unsigned char *buf;
    size_t n;
    uint64_t off;       /* bytes written before buf */
    uint64_t sect_base; /* byte offset of sector 0 */
    uint32_t ss, hole;
} out;

/* ---- output ----------------------------------------------------------------------- */

static HRESULT out_flush(out *o)
{
    fm_cfb_backing b = { .kind = CFB_BACK_FD, .fd = o->fd };
    HRESULT hr = o->n > 0 ? fm_cfb_backing_write(&b, o->off, o->buf, o->n) : S_OK;
    o->off += o->n;
    o->n = 0;
    return hr;
}

static HRESULT out_raw(out *o, const void *data, size_t len)
{
    const unsigned char *p = data;
    while (len > 0) {
        size_t take = OUT_BUF - o->n < len ? OUT_BUF - o->n : len;
        if (p != NULL) {
            memcpy(o->buf + o->n, p, take);
            p += take;
        } else {
            memset(o->buf + o->n, 0, take);
        }
        o->n += take;
        len -= take;
        if (o->n == OUT_BUF) {
            HRESULT hr = out_flush(o);
            if (hr != S_OK)
                return hr;
        }
    }
    return S_OK;
}

/* Sector data: when the next byte would start the range lock sector, that
 * sector goes out as zeros first. data NULL writes zeros. */
static HRESULT out_data(out *o, const void *data, size_t len)
{
    const unsigned char *p = data;
    while (len > 0) {
        uint64_t pos = o->off + o->n - o->sect_base;
        if (o->hole != CFB_FREESECT && pos == (uint64_t)o->hole * o->ss) {
            HRESULT hr = out_raw(o, NULL, o->ss);
            if (hr != S_OK)
                return hr;
            continue;
        }
        size_t take = len;
        if (o->hole != CFB_FREESECT && pos < (uint64_t)o->hole * o->ss &&
            (uint64_t)o->hole * o->ss - pos < take)
            take = (size_t)((uint64_t)o->hole * o->ss - pos);
        HRESULT hr = out_raw(o, p, take);
        if (hr != S_OK)
            return hr;
        if (p != NULL)
            p += take;
        len -= take;
    }
    return S_OK;
}

static HRESULT out_u32(out *o, uint32_t v)
{
    unsigned char b[4];
    fm_cfb_put32(b, v);
    return out_data(o, b, 4);
}

/* Pads to the end of the current sector with bytes of value fill (0 or 0xFF). */
static HRESULT out_pad(out *o, unsigned char fill)
{
    uint64_t pos = o->off + o->n - o->sect_base;
    uint32_t rem = (uint32_t)((o->ss - pos % o->ss) % o->ss);
    unsigned char b[64];
    memset(b, fill, sizeof b);
    while (rem > 0) {
        uint32_t take = rem < sizeof b ? rem : (uint32_t)sizeof b;
        HRESULT hr = out_data(o, b, take);
        if (hr != S_OK)
            return hr;
        rem -= take;
    }
    return S_OK;
}

/* ---- layout ----------------------------------------------------------------------- */

static void alloc_chain(layout *l, uint32_t count, chain *c)
{
    memset(c, 0, sizeof *c);
    c->start[0] = count ? l->next : CFB_ENDOFCHAIN;
    c->count[0] = count;
    if (count > 0 && l->hole != CFB_FREESECT && l->next <= l->hole && l->hole < l->next + count) {
        c->count[0] = l->hole - l->next;
        c->start[1] = l->hole + 1;
        c->count[1] = count - c->count[0];
        if (c->count[0] == 0) {
            c->start[0] = c->start[1];
            c->count[0] = c->count[1];
            c->start[1] = 0;
            c->count[1] = 0;
        }
        l->next += count + 1;
        return;
    }
    l->next += count;
}

static uint32_t chain_at(const chain *c, uint32_t pos)
{
    return pos < c->count[0] ? c->start[0] + pos : c->start[1] + (pos - c->count[0]);
}

static HRESULT collect_nodes(fm_cfb_file *f, layout *l)
{
    size_t cap = 64, n = 0, stack_n = 0, stack_cap = 64;
    fm_cfb_node **nodes = fm_malloc(cap * sizeof *nodes);
    fm_cfb_node **stack = fm_malloc(stack_cap * sizeof *stack);
    HRESULT hr = nodes && stack ? S_OK
                                : fm_error_set(E_OUTOFMEMORY, "compound file: out of memory "
                                                              "committing");
    if (hr == S_OK)
        stack[stack_n++] = f->root;
    while (hr == S_OK && stack_n > 0) {
        fm_cfb_node *x = stack[--stack_n];
        if (n == cap || stack_n + x->nkids > stack_cap) {
            size_t nc = n == cap ? cap * 2 : cap;
            size_t sc = stack_cap;
            while (stack_n + x->nkids > sc)
                sc *= 2;
            fm_cfb_node **a = fm_realloc(nodes, nc * sizeof *a);
            if (a != NULL)
                nodes = a;
            fm_cfb_node **b = a ? fm_realloc(stack, sc * sizeof *b) : NULL;
            if (b != NULL)
                stack = b;
            if (a == NULL || b == NULL) {
                hr = fm_error_set(E_OUTOFMEMORY, "compound file: out of memory committing");
                break;
            }
            cap = nc;
            stack_cap = sc;
        }
        if (n >= CFB_NOSTREAM - 1) {
            hr = fm_error_set(STG_E_DOCFILETOOLARGE, "compound file: too many elements");
            break;
        }
        x->id = (uint32_t)n;
        nodes[n++] = x;
        for (size_t i = x->nkids; i-- > 0;)
            stack[stack_n++] = x->kids[i];
    }
    fm_free(stack);
    if (hr != S_OK) {
        fm_free(nodes);
        return hr;
    }
    l->nodes = nodes;
    l->nnodes = (uint32_t)n;
    return S_OK;
}

/* Gives kids [lo, hi) of a storage their sibling links; returns the root id. */
static uint32_t link_tree(fm_cfb_node **kids, size_t lo, size_t hi, unsigned depth, unsigned full)
{
    if (lo >= hi)
        return CFB_NOSTREAM;
    size_t mid = lo + (hi - lo) / 2;
    fm_cfb_node *m = kids[mid];
    m->left = link_tree(kids, lo, mid, depth + 1, full);
    m->right = link_tree(kids, mid + 1, hi, depth + 1, full);
    m->red = depth >= full;
    return m->id;
}

static void link_storages(layout *l)
{
    for (uint32_t i = 0; i < l->nnodes; i++) {
        fm_cfb_node *x = l->nodes[i];
        x->left = x->right = x->child = CFB_NOSTREAM;
        x->red = 0;
    }
    for (uint32_t i = 0; i < l->nnodes; i++) {
        fm_cfb_node *x = l->nodes[i];
        if (x->type == CFB_TYPE_STREAM)
            continue;
        unsigned full = 0; /* levels that are full: floor(log2(n + 1)) */
        while (((size_t)2 << full) - 1 <= x->nkids)
            full++;
        x->child = link_tree(x->kids, 0, x->nkids, 0, full);
    }
}

static HRESULT plan(fm_cfb_file *f, layout *l, uint16_t version)
{
    l->version = version;
    l->ss = version == 4 ? 4096u : 512u;
    l->epf = l->ss / 4;
    l->next = 0;
    l->hole = CFB_FREESECT;
    l->nmini = 0;
    for (uint32_t i = 0; i < l->nnodes; i++) {
        fm_cfb_node *x = l->nodes[i];
        if (x->type != CFB_TYPE_STREAM)
            continue;
        x->out_mini = x->size > 0 && x->size < CFB_MINI_CUTOFF;
        if (x->out_mini) {
            x->out_start = l->nmini;
            l->nmini += (uint32_t)((x->size + CFB_MINI_SECTOR - 1) / CFB_MINI_SECTOR);
        }
    }
    l->mini_bytes = (uint64_t)l->nmini * CFB_MINI_SECTOR;
    /* Sizing the FAT changes the total it must cover: iterate to a fixed point,
     * with the range lock sector in place when the file reaches it. */
    uint64_t data = 0;
    for (uint32_t i = 0; i < l->nnodes; i++) {
        fm_cfb_node *x = l->nodes[i];
        if (x->type == CFB_TYPE_STREAM && !x->out_mini)
            data += (x->size + l->ss - 1) / l->ss;
    }
    data += (l->mini_bytes + l->ss - 1) / l->ss;
    data += ((uint64_t)l->nmini * 4 + l->ss - 1) / l->ss;
    data += ((uint64_t)l->nnodes * CFB_ENTRY_BYTES + l->ss - 1) / l->ss;
    uint64_t nfat = 1, ndifat = 0, total = 0;
    for (;;) {
        ndifat = nfat > CFB_DIFAT_IN_HEADER
                     ? (nfat - CFB_DIFAT_IN_HEADER + (l->epf - 1) - 1) / (l->epf - 1)
                     : 0;
        total = data + nfat + ndifat;
        if (version == 4 && (total + 1) * l->ss > RANGE_LOCK_OFFSET)
            total++;
        uint64_t need = (total + l->epf - 1) / l->epf;
        if (need <= nfat)
            break;
        nfat = need;
    }
    if (version == 3 && (total + 1) * l->ss > RANGE_LOCK_OFFSET)
        return S_FALSE; /* does not fit version 3 */
    if (total > CFB_MAXREGSECT)
        return fm_error_set(STG_E_DOCFILETOOLARGE, "compound file: %llu sectors is more than "
                            "a compound file can address", (unsigned long long)total);
    if (version == 4 && (total + 1) * l->ss > RANGE_LOCK_OFFSET)
        l->hole = (uint32_t)(RANGE_LOCK_OFFSET / l->ss - 1);
    l->nfat = (uint32_t)nfat;
    l->ndifat = (uint32_t)ndifat;
    l->total = (uint32_t)total;
    return S_OK;
}

static HRESULT place(layout *l)
{
    l->nchains = 0;
    for (uint32_t i = 0; i < l->nnodes; i++) {
        fm_cfb_node *x = l->nodes[i];
        if (x->type == CFB_TYPE_STREAM && x->size > 0 && !x->out_mini) {
            chain *c = &l->chains[l->nchains++];
            alloc_chain(l, (uint32_t)((x->size + l->ss - 1) / l->ss), c);
            x->out_start = c->start[0];
        } else if (x->type == CFB_TYPE_STREAM && x->size == 0) {
            x->out_start = CFB_ENDOFCHAIN;
        }
    }
    alloc_chain(l, (uint32_t)((l->mini_bytes + l->ss - 1) / l->ss), &l->ministream);
    alloc_chain(l, (uint32_t)(((uint64_t)l->nmini * 4 + l->ss - 1) / l->ss), &l->minifat);
    alloc_chain(l, (uint32_t)(((uint64_t)l->nnodes * CFB_ENTRY_BYTES + l->ss - 1) / l->ss),
                &l->dir);
    alloc_chain(l, l->nfat, &l->fat);
    alloc_chain(l, l->ndifat, &l->difat);
    l->chains[l->nchains++] = l->ministream;
    l->chains[l->nchains++] = l->minifat;
    l->chains[l->nchains++] = l->dir;
    return S_OK;
}

/* ---- writing ----------------------------------------------------------------------- */

static HRESULT write_header(out *o, const layout *l)
{
    static const unsigned char sig[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
    unsigned char h[CFB_HEADER_BYTES];
    memset(h, 0, sizeof h);
    memcpy(h, sig, sizeof sig);
    fm_cfb_put16(h + 24, 0x003E);
    fm_cfb_put16(h + 26, l->version);
    fm_cfb_put16(h + 28, 0xFFFE);
    fm_cfb_put16(h + 30, l->version == 4 ? 12 : 9);
    fm_cfb_put16(h + 32, 6);
    fm_cfb_put32(h + 40, l->version == 4 ? l->dir.count[0] + l->dir.count[1] : 0);
    fm_cfb_put32(h + 44, l->nfat);
    fm_cfb_put32(h + 48, l->dir.start[0]);
    fm_cfb_put32(h + 52, 0); /* no file transactions in the sense of 2.2 */
    fm_cfb_put32(h + 56, CFB_MINI_CUTOFF);
    fm_cfb_put32(h + 60, l->nmini > 0 ? l->minifat.start[0] : CFB_ENDOFCHAIN);
    fm_cfb_put32(h + 64, l->minifat.count[0] + l->minifat.count[1]);
    fm_cfb_put32(h + 68, l->ndifat > 0 ? l->difat.start[0] : CFB_ENDOFCHAIN);
    fm_cfb_put32(h + 72, l->ndifat);
    for (uint32_t i = 0; i < CFB_DIFAT_IN_HEADER; i++)
        fm_cfb_put32(h + 76 + 4 * i, i < l->nfat ? chain_at(&l->fat, i) : CFB_FREESECT);
    HRESULT hr = out_raw(o, h, sizeof h);
    if (hr == S_OK && l->ss > CFB_HEADER_BYTES)
        hr = out_raw(o, NULL, l->ss - CFB_HEADER_BYTES);
    return hr;
}

static HRESULT write_stream(out *o, fm_cfb_file *f, fm_cfb_node *x, unsigned char *buf, uint32_t pad)
{
    HRESULT hr = S_OK;
    for (uint64_t at = 0; hr == S_OK && at < x->size; at += OUT_BUF) {
        size_t take = x->size - at < OUT_BUF ? (size_t)(x->size - at) : OUT_BUF;
        hr = fm_cfb_data_read(f, x, at, buf, take);
        if (hr == S_OK)
            hr = out_data(o, buf, take);
    }
    uint32_t rem = (uint32_t)((pad - x->size % pad) % pad);
    if (hr == S_OK && rem > 0)
        hr = out_data(o, NULL, rem);
    return hr;
}

static HRESULT write_minifat(out *o, const layout *l)
{
    HRESULT hr = S_OK;
    for (uint32_t i = 0; hr == S_OK && i < l->nnodes; i++) {
        const fm_cfb_node *x = l->nodes[i];
        if (x->type != CFB_TYPE_STREAM || !x->out_mini)
            continue;
        uint32_t n = (uint32_t)((x->size + CFB_MINI_SECTOR - 1) / CFB_MINI_SECTOR);
        for (uint32_t k = 0; hr == S_OK && k < n; k++)
            hr = out_u32(o, k + 1 < n ? x->out_start + k + 1 : CFB_ENDOFCHAIN);
    }
    return hr == S_OK && l->nmini > 0 ? out_pad(o, 0xFF) : hr;
}

static void entry_bytes(const layout *l, const fm_cfb_node *x, unsigned char *e)
{
    memset(e, 0, CFB_ENTRY_BYTES);
    for (size_t i = 0; i < x->nlen; i++)
        fm_cfb_put16(e + 2 * i, x->name[i]);
    fm_cfb_put16(e + 64, (uint16_t)((x->nlen + 1) * 2));
    e[66] = x->type;
    e[67] = x->red ? 0 : 1;
    fm_cfb_put32(e + 68, x->left);
    fm_cfb_put32(e + 72, x->right);
    fm_cfb_put32(e + 76, x->child);
    if (x->type != CFB_TYPE_STREAM) {
        memcpy(e + 80, &x->clsid, 16);
        fm_cfb_put32(e + 96, x->state_bits);
    }
    if (x->type == CFB_TYPE_STORAGE)
        fm_cfb_put64(e + 100, x->ctime);
    if (x->type != CFB_TYPE_STREAM)
        fm_cfb_put64(e + 108, x->mtime);
    if (x->type == CFB_TYPE_ROOT) {
        fm_cfb_put32(e + 116, l->nmini > 0 ? l->ministream.start[0] : CFB_ENDOFCHAIN);
        fm_cfb_put64(e + 120, l->mini_bytes);
    } else if (x->type == CFB_TYPE_STREAM) {
        fm_cfb_put32(e + 116, x->out_start);
        fm_cfb_put64(e + 120, x->size);
    }
}

static HRESULT write_directory(out *o, const layout *l)
{
    unsigned char e[CFB_ENTRY_BYTES];
    HRESULT hr = S_OK;
    for (uint32_t i = 0; hr == S_OK && i < l->nnodes; i++) {
        entry_bytes(l, l->nodes[i], e);
        hr = out_data(o, e, sizeof e);
    }
    /* The rest of the last sector: unused entries with no links. */
    uint32_t per = l->ss / CFB_ENTRY_BYTES;
    for (uint32_t i = l->nnodes; hr == S_OK && i % per != 0; i++) {
        memset(e, 0, sizeof e);
        fm_cfb_put32(e + 68, CFB_NOSTREAM);
        fm_cfb_put32(e + 72, CFB_NOSTREAM);
        fm_cfb_put32(e + 76, CFB_NOSTREAM);
        hr = out_data(o, e, sizeof e);
    }
    return hr;
}

static bool in_chain(const chain *c, uint32_t s, uint32_t *pos)
{
    for (int k = 0; k < 2; k++) {
        if (c->count[k] > 0 && s >= c->start[k] && s - c->start[k] < c->count[k]) {
            *pos = (k ? c->count[0] : 0) + (s - c->start[k]);
            return true;
        }
    }
    return false;
}

/* The FAT entry of sector s; *ci walks the chain list in step with s. */
static uint32_t fat_entry(const layout *l, uint32_t s, uint32_t *ci)
{
    uint32_t pos = 0;
    if (s >= l->total)
        return CFB_FREESECT;
    if (s == l->hole)
        return CFB_ENDOFCHAIN;
    if (in_chain(&l->fat, s, &pos))
        return CFB_FATSECT;
    if (in_chain(&l->difat, s, &pos))
        return CFB_DIFSECT;
    while (*ci < l->nchains) {
        const chain *c = &l->chains[*ci];
        uint32_t n = c->count[0] + c->count[1];
        if (n > 0 && in_chain(c, s, &pos))
            return pos + 1 < n ? chain_at(c, pos + 1) : CFB_ENDOFCHAIN;
        (*ci)++;
    }
    return CFB_FREESECT;
}

static HRESULT write_fat(out *o, const layout *l)
{
    uint32_t ci = 0;
    HRESULT hr = S_OK;
    for (uint64_t s = 0; hr == S_OK && s < (uint64_t)l->nfat * l->epf; s++)
        hr = out_u32(o, fat_entry(l, (uint32_t)s, &ci));
    return hr;
}

static HRESULT write_difat(out *o, const layout *l)
{
    HRESULT hr = S_OK;
    uint32_t idx = CFB_DIFAT_IN_HEADER;
    for (uint32_t d = 0; hr == S_OK && d < l->ndifat; d++) {
        for (uint32_t k = 0; hr == S_OK && k < l->epf - 1; k++, idx++)
            hr = out_u32(o, idx < l->nfat ? chain_at(&l->fat, idx) : CFB_FREESECT);
        if (hr == S_OK)
            hr = out_u32(o, d + 1 < l->ndifat ? chain_at(&l->difat, d + 1) : CFB_ENDOFCHAIN);
    }
    return hr;
}

static HRESULT write_all(out *o, fm_cfb_file *f, layout *l)
{
    unsigned char *buf = fm_malloc(OUT_BUF);
    if (buf == NULL)
        return fm_error_set(E_OUTOFMEMORY, "compound file: out of memory committing");
    HRESULT hr = write_header(o, l);
    o->sect_base = l->ss;
    for (uint32_t i = 0; hr == S_OK && i < l->nnodes; i++) {
        fm_cfb_node *x = l->nodes[i];
        if (x->type == CFB_TYPE_STREAM && x->size > 0 && !x->out_mini)
            hr = write_stream(o, f, x, buf, l->ss);
    }
    for (uint32_t i = 0; hr == S_OK && i < l->nnodes; i++) {
        fm_cfb_node *x = l->nodes[i];
        if (x->type == CFB_TYPE_STREAM && x->out_mini)
            hr = write_stream(o, f, x, buf, CFB_MINI_SECTOR);
    }
    if (hr == S_OK)
        hr = out_pad(o, 0);
    if (hr == S_OK)
        hr = write_minifat(o, l);
    if (hr == S_OK)
        hr = write_directory(o, l);
    if (hr == S_OK)
        hr = write_fat(o, l);
    if (hr == S_OK)
        hr = write_difat(o, l);
    if (hr == S_OK)
        hr = out_flush(o);
    fm_free(buf);
    return hr;
}

HRESULT fm_cfb_commit_write(fm_cfb_file *f, int fd, uint64_t *size_out)
{
    layout l = { 0 };
    out o = { .fd = fd };
    HRESULT hr = collect_nodes(f, &l);
    if (hr == S_OK)
        hr = plan(f, &l, f->out_version == 4 ? 4 : 3);
    if (hr == S_FALSE)
        hr = plan(f, &l, 4);
    if (hr == S_OK && (l.chains = fm_malloc(((size_t)l.nnodes + 3) * sizeof *l.chains)) == NULL)
        hr = fm_error_set(E_OUTOFMEMORY, "compound file: out of memory committing");
    if (hr == S_OK && (o.buf = fm_malloc(OUT_BUF)) == NULL)
        hr = fm_error_set(E_OUTOFMEMORY, "compound file: out of memory committing");
    if (hr == S_OK) {
        place(&l);
        link_storages(&l);
        o.ss = l.ss;
        o.hole = l.hole;
        hr = write_all(&o, f, &l);
    }
    if (hr == S_OK) {
        *size_out = o.off;
        f->out_version = l.version;
        f->src_next_mini_start = l.nmini > 0 ? l.ministream.start[0] : CFB_ENDOFCHAIN;
        f->src_next_mini_size = l.mini_bytes;
    }
    fm_free(o.buf);
    fm_free(l.chains);
    fm_free(l.nodes);
    return hr;
}

/* After the new file became the source: every node of the tree reads from it. */
static void adopt_node(fm_cfb_node *x)
{
    if (x->type != CFB_TYPE_STREAM)
        return;
    fm_cfb_node_drop_data(x);
    x->data = CFB_DATA_SOURCE;
    x->start = x->out_start;
    x->mini = x->out_mini;
}

void fm_cfb_commit_adopt(fm_cfb_file *f)
{
    /* Depth first without a stack: kids arrays and parent links. */
    fm_cfb_node *cur = f->root;
    size_t idx = 0;
    /* Each node's kids in order, climbing back through parent links and
     * finding the place to continue by name (kids arrays are sorted). */
    while (cur != NULL) {
        if (idx < cur->nkids) {
            fm_cfb_node *k = cur->kids[idx];
            adopt_node(k);
            if (k->nkids > 0) {
                cur = k;
                idx = 0;
                continue;
            }
            idx++;
            continue;
        }
        fm_cfb_node *up = cur == f->root ? NULL : cur->parent;
        if (up != NULL) {
            size_t pos = 0;
            fm_cfb_node_find(up, cur->name, cur->nlen, &pos);
            idx = pos + 1;
        }
        cur = up;
    }
    f->src.ministream_start = f->src_next_mini_start;
    f->src.ministream_size = f->src_next_mini_size;
    f->src.ministream_mapped = false;
    fm_cfb_map_clear(&f->src.ministream);
}
