/*
 * mime/skeleton.c - encoding and decoding the MIME skeleton (see
 * skeleton.h), and the content hash it records.
 *
 * Layout, all integers little-endian:
 *
 *   "FMSK" u8 version(2)
 *   blob raw_headers, u64 headers_hash
 *   u32 count, count u64 envelope hashes   (not in version 1)
 *   node
 *   node:      u8 kind, u8 flags, blob headers, blob prologue, blob epilogue,
 *              u32 part, u64 hash, blob data, u32 count, count nodes
 *   blob:      u32 length, length bytes
 */
#include <string.h>

#include "mime/mime.h"
#include "mime/skeleton.h"

#define MAGIC "FMSK"
#define VERSION 2
#define VERSION_NO_ENVELOPE 1 /* still read: skeletons of stores made before */
/* Deeper than any tree the import makes (it flattens below
 * FMAPI_MIME_MAX_DEPTH), and a bound on the work a damaged value costs. */
#define MAX_DEPTH (FMAPI_MIME_MAX_DEPTH + 4)
#define MAX_NODES 100000

/* ---- hash ------------------------------------------------------------------ */
/* Words of 8 bytes, each mixed in with a multiply and a shift: a few
 * instructions per word, so hashing a body costs little next to storing it. */
#define HASH_K 0x9E3779B97F4A7C15ULL

static uint64_t mix(uint64_t h, uint64_t w)
{
    h ^= w;
    h *= HASH_K;
    return h ^ (h >> 29);
}

static uint64_t load_le(const unsigned char *p, unsigned n)
{
    uint64_t w = 0;
    for (unsigned i = 0; i < n; i++)
        w |= (uint64_t)p[i] << (8 * i);
    return w;
}

void fm_hash_init(fm_hash *h)
{
    memset(h, 0, sizeof *h);
    h->h = 0x6A09E667F3BCC908ULL;
}

void fm_hash_feed(fm_hash *h, const void *data, size_t n)
{
    const unsigned char *p = data;
    h->len += n;
    while (n > 0 && h->ntail > 0) {
        h->tail |= (uint64_t)*p++ << (8 * h->ntail);
        n--;
        if (++h->ntail == 8) {
            h->h = mix(h->h, h->tail);
            h->tail = 0;
            h->ntail = 0;
        }
    }
    for (; n >= 8; p += 8, n -= 8)
        h->h = mix(h->h, load_le(p, 8));
    if (n > 0) {
        h->tail = load_le(p, (unsigned)n);
        h->ntail = (unsigned)n;
    }
}

uint64_t fm_hash_final(const fm_hash *h)
{
    uint64_t x = h->ntail > 0 ? mix(h->h, h->tail) : h->h;
    return mix(x, h->len);
}

uint64_t fm_hash_bytes(const void *data, size_t n)
{
    fm_hash h;
    fm_hash_init(&h);
    fm_hash_feed(&h, data, n);
    return fm_hash_final(&h);
}

/* ---- building ---------------------------------------------------------------- */
typedef struct bnode {
    fm_skel_node n;
    int parent, first, last, next; /* indices, -1 for none */
} bnode;

struct fm_skel_build {
    GArray *nodes;     /* bnode */
    GPtrArray *kept;   /* GByteArray *: bytes the nodes point into */
    int open;          /* the node children are added to, -1 before the root */
    int root;          /* the top node, -1 before the first */
    fm_skel_bytes raw_headers;
    uint64_t headers_hash;
    uint32_t nenvelope;
    uint64_t envelope[FM_SKEL_ENVELOPE_MAX];
};

fm_skel_build *fm_skel_build_new(void)
{
    fm_skel_build *b = g_new0(fm_skel_build, 1);
    b->nodes = g_array_new(FALSE, TRUE, sizeof(bnode));
    b->kept = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
    b->open = -1;
    b->root = -1;
    return b;
}

void fm_skel_build_free(fm_skel_build *b)
{
    if (b == NULL)
        return;
    g_array_unref(b->nodes);
    g_ptr_array_unref(b->kept);
    g_free(b);
}

fm_skel_bytes fm_skel_build_keep(fm_skel_build *b, const char *p, size_t n)
{
    fm_skel_bytes out = { "", 0 };
    if (p == NULL || n == 0)
        return out;
    GByteArray *a = g_byte_array_sized_new((guint)n);
    g_byte_array_append(a, (const guint8 *)p, (guint)n);
    g_ptr_array_add(b->kept, a);
    out.p = (const char *)a->data;
    out.n = n;
    return out;
}

int fm_skel_build_open(fm_skel_build *b, fm_skel_kind kind, const char *headers, size_t n)
{
    bnode node;
    memset(&node, 0, sizeof node);
    node.n.kind = (uint8_t)kind;
    node.n.headers = fm_skel_build_keep(b, headers, n);
    node.parent = b->open;
    node.first = node.last = node.next = -1;
    int index = (int)b->nodes->len;
    g_array_append_val(b->nodes, node);
    if (b->root < 0)
        b->root = index;
    if (b->open >= 0) {
        bnode *parent = &g_array_index(b->nodes, bnode, b->open);
        if (parent->last >= 0)
            g_array_index(b->nodes, bnode, parent->last).next = index;
        else
            parent->first = index;
        parent->last = index;
        parent->n.nchildren++;
    }
    b->open = index;
    return index;
}

void fm_skel_build_close(fm_skel_build *b)
{
    if (b->open >= 0)
        b->open = g_array_index(b->nodes, bnode, b->open).parent;
}

int fm_skel_build_wrap_last(fm_skel_build *b, fm_skel_kind kind)
{
    int parent = b->open;
    /* With no node open, the last node closed is the root. */
    int last = parent >= 0 ? g_array_index(b->nodes, bnode, parent).last : b->root;
    if (last < 0)
        return -1;
    /* The wrapper takes the last child's headers (it stands for the same
     * part) and its place among its siblings. */
    fm_skel_bytes headers = g_array_index(b->nodes, bnode, last).n.headers;
    bnode node;
    memset(&node, 0, sizeof node);
    node.n.kind = (uint8_t)kind;
    node.n.headers = headers;
    node.n.nchildren = 1;
    node.parent = parent;
    node.first = node.last = last;
    node.next = -1;
    int index = (int)b->nodes->len;
    g_array_append_val(b->nodes, node);
    g_array_index(b->nodes, bnode, last).parent = index;
    g_array_index(b->nodes, bnode, last).next = -1;
    if (parent < 0) {
        b->root = index;
        return index;
    }
    bnode *p = &g_array_index(b->nodes, bnode, parent);
    if (p->first == last) {
        p->first = index;
    } else {
        int c = p->first;
        while (g_array_index(b->nodes, bnode, c).next != last)
            c = g_array_index(b->nodes, bnode, c).next;
        g_array_index(b->nodes, bnode, c).next = index;
    }
    p->last = index;
    return index;
}

fm_skel_node *fm_skel_build_node(fm_skel_build *b, int index)
{
    if (index < 0 || (guint)index >= b->nodes->len)
        return NULL;
    return &g_array_index(b->nodes, bnode, index).n;
}

void fm_skel_build_set_raw_headers(fm_skel_build *b, const char *p, size_t n, uint64_t hash)
{
    b->raw_headers = fm_skel_build_keep(b, p, n);
    b->headers_hash = hash;
}

void fm_skel_build_set_envelope(fm_skel_build *b, const uint64_t *h, uint32_t n)
{
    if (n > FM_SKEL_ENVELOPE_MAX)
        n = FM_SKEL_ENVELOPE_MAX;
    memcpy(b->envelope, h, n * sizeof *h);
    b->nenvelope = n;
}

static void put_u8(GByteArray *a, uint8_t v)
{
    g_byte_array_append(a, &v, 1);
}

static void put_u32(GByteArray *a, uint32_t v)
{
    guint8 b[4] = { (guint8)v, (guint8)(v >> 8), (guint8)(v >> 16), (guint8)(v >> 24) };
    g_byte_array_append(a, b, 4);
}

static void put_u64(GByteArray *a, uint64_t v)
{
    put_u32(a, (uint32_t)v);
    put_u32(a, (uint32_t)(v >> 32));
}

static void put_blob(GByteArray *a, fm_skel_bytes s)
{
    put_u32(a, (uint32_t)s.n);
    if (s.n > 0)
        g_byte_array_append(a, (const guint8 *)s.p, (guint)s.n);
}

static void encode_node(const fm_skel_build *b, int index, GByteArray *a)
{
    const bnode *bn = &g_array_index(b->nodes, bnode, index);
    const fm_skel_node *n = &bn->n;
    put_u8(a, n->kind);
    put_u8(a, n->flags);
    put_blob(a, n->headers);
    put_blob(a, n->prologue);
    put_blob(a, n->epilogue);
    put_u32(a, n->part);
    put_u64(a, n->hash);
    put_blob(a, n->data);
    put_u32(a, n->nchildren);
    for (int c = bn->first; c >= 0; c = g_array_index(b->nodes, bnode, c).next)
        encode_node(b, c, a);
}

GByteArray *fm_skel_build_encode(fm_skel_build *b)
{
    if (b->root < 0)
        return NULL;
    GByteArray *a = g_byte_array_sized_new(256);
    g_byte_array_append(a, (const guint8 *)MAGIC, 4);
    put_u8(a, VERSION);
    put_blob(a, b->raw_headers);
    put_u64(a, b->headers_hash);
    put_u32(a, b->nenvelope);
    for (uint32_t i = 0; i < b->nenvelope; i++)
        put_u64(a, b->envelope[i]);
    encode_node(b, b->root, a);
    return a;
}

/* ---- reading ------------------------------------------------------------------ */
typedef struct reader {
    const unsigned char *p, *end;
    bool bad;
    void *arena;
    unsigned nodes;
} reader;

static uint32_t get_u32(reader *r)
{
    if (r->bad || r->end - r->p < 4) {
        r->bad = true;
        return 0;
    }
    uint32_t v = (uint32_t)load_le(r->p, 4);
    r->p += 4;
    return v;
}

static uint8_t get_u8(reader *r)
{
    if (r->bad || r->p >= r->end) {
        r->bad = true;
        return 0;
    }
    return *r->p++;
}

static uint64_t get_u64(reader *r)
{
    uint64_t lo = get_u32(r);
    return lo | ((uint64_t)get_u32(r) << 32);
}

static fm_skel_bytes get_blob(reader *r)
{
    fm_skel_bytes s = { "", 0 };
    uint32_t n = get_u32(r);
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        return s;
    }
    s.p = (const char *)r->p;
    s.n = n;
    r->p += n;
    return s;
}

/* The smallest encoded node: two bytes, four empty blobs, part, hash and
 * count. */
#define NODE_MIN (2 + 4 * 4 + 4 + 8 + 4)

static HRESULT read_node(reader *r, fm_skel_node *n, int depth)
{
    if (depth > MAX_DEPTH || ++r->nodes > MAX_NODES)
        return MAPI_E_CORRUPT_DATA;
    memset(n, 0, sizeof *n);
    n->kind = get_u8(r);
    n->flags = get_u8(r);
    n->headers = get_blob(r);
    n->prologue = get_blob(r);
    n->epilogue = get_blob(r);
    n->part = get_u32(r);
    n->hash = get_u64(r);
    n->data = get_blob(r);
    uint32_t count = get_u32(r);
    if (r->bad || n->kind < FM_SK_MULTIPART || n->kind > FM_SK_FINGERPRINT)
        return MAPI_E_CORRUPT_DATA;
    /* A count the rest of the value cannot hold is damage, not a reason to
     * allocate. */
    if (count > (size_t)(r->end - r->p) / NODE_MIN)
        return MAPI_E_CORRUPT_DATA;
    if (count > 0 && MAPIAllocateMore((ULONG)(count * sizeof *n->children), r->arena,
                                      (void **)&n->children) != S_OK)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    n->nchildren = count;
    for (uint32_t i = 0; i < count; i++) {
        HRESULT hr = read_node(r, &n->children[i], depth + 1);
        if (hr != S_OK)
            return hr;
    }
    return S_OK;
}

HRESULT fm_skel_decode(const void *p, size_t n, fm_skel *out)
{
    memset(out, 0, sizeof *out);
    reader r = { p, (const unsigned char *)p + n, false, NULL, 0 };
    unsigned version = n >= 5 ? ((const unsigned char *)p)[4] : 0;
    if (n < 5 || memcmp(p, MAGIC, 4) != 0 ||
        (version != VERSION && version != VERSION_NO_ENVELOPE))
        return MAPI_E_CORRUPT_DATA;
    r.p += 5;
    if (MAPIAllocateBuffer(sizeof *out->root, &r.arena) != S_OK)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    out->raw_headers = get_blob(&r);
    out->headers_hash = get_u64(&r);
    if (version == VERSION) {
        out->nenvelope = get_u32(&r);
        if (out->nenvelope > FM_SKEL_ENVELOPE_MAX)
            r.bad = true;
        for (uint32_t i = 0; !r.bad && i < out->nenvelope; i++)
            out->envelope[i] = get_u64(&r);
    }
    out->root = r.arena;
    HRESULT hr = r.bad ? MAPI_E_CORRUPT_DATA : read_node(&r, out->root, 0);
    if (hr == S_OK && r.p != r.end)
        hr = MAPI_E_CORRUPT_DATA;
    if (hr != S_OK) {
        MAPIFreeBuffer(r.arena);
        memset(out, 0, sizeof *out);
        return hr;
    }
    out->arena = r.arena;
    return S_OK;
}

void fm_skel_clear(fm_skel *s)
{
    if (s->arena != NULL)
        MAPIFreeBuffer(s->arena);
    memset(s, 0, sizeof *s);
}
