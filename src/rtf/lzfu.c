/*
 * rtf/lzfu.c - compressed RTF ([MS-OXRTFCP]), both directions (lzfu.h).
 *
 * The data after the header is a sequence of runs: a control byte whose
 * bits, least significant first, say whether each of the next (up to)
 * eight tokens is a literal byte (0) or a dictionary reference (1): two
 * bytes, big-endian, holding a 12-bit dictionary offset and a 4-bit length
 * (2..17 bytes). Every byte produced is also written into the dictionary at
 * the write position, which wraps at 4096; a reference whose offset is the
 * write position ends the data.
 *
 * The encoder finds matches through hash chains on two-byte prefixes over
 * the dictionary (a bounded walk per position), checking every candidate
 * against the dictionary's bytes as the decoder will see them (a match may
 * overlap the bytes it is producing). It never refers to dictionary bytes
 * that were neither preloaded nor written, so its output does not depend on
 * how a decoder fills the rest of the dictionary.
 */
#include <pthread.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "rtf/lzfu.h"

/* [MS-OXRTFCP] 2.1.2.1: the dictionary's initial content. */
static const char PRELOAD[] =
    "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss "
    "\\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier"
    "{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
#define PRELOAD_SIZE (sizeof PRELOAD - 1)
#define DICT_MASK (FM_LZFU_DICT_SIZE - 1)
#define MIN_MATCH 2
#define MAX_MATCH 17
#define CHAIN_LIMIT 48

_Static_assert(PRELOAD_SIZE == 207, "the preloaded dictionary is 207 bytes");

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

uint32_t fm_lzfu_crc(uint32_t crc, const uint8_t *p, size_t n)
{
    pthread_once(&crc_once, crc_init);
    for (size_t i = 0; i < n; i++)
        crc = crc_table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return crc;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void dict_init(uint8_t *dict)
{
    memset(dict, 0, FM_LZFU_DICT_SIZE);
    memcpy(dict, PRELOAD, PRELOAD_SIZE);
}

/* ---- reader ---------------------------------------------------------------- */
HRESULT fm_lzfu_reader_init(fm_lzfu_reader *r, const uint8_t *data, size_t n)
{
    memset(r, 0, sizeof *r);
    if (n < FM_LZFU_HEADER_SIZE)
        return fm_error_set(MAPI_E_CORRUPT_DATA, "compressed RTF: %zu bytes, shorter than its "
                                                 "16-byte header", n);
    uint32_t comp_size = le32(data), crc = le32(data + 12);
    r->raw_size = le32(data + 4);
    r->type = le32(data + 8);
    if (r->type != FM_LZFU_TYPE_COMPRESSED && r->type != FM_LZFU_TYPE_UNCOMPRESSED)
        return fm_error_set(MAPI_E_CORRUPT_DATA, "compressed RTF: unknown type %08lX (neither "
                                                 "LZFu nor MELA)", (unsigned long)r->type);
    /* COMPSIZE counts everything after itself. */
    if (comp_size < FM_LZFU_HEADER_SIZE - 4 || comp_size - (FM_LZFU_HEADER_SIZE - 4) > n - 16)
        return fm_error_set(MAPI_E_CORRUPT_DATA, "compressed RTF: the header says %lu bytes, "
                                                 "%zu are there", (unsigned long)comp_size, n - 4);
    r->in = data + FM_LZFU_HEADER_SIZE;
    r->len = comp_size - (FM_LZFU_HEADER_SIZE - 4);
    if (r->type == FM_LZFU_TYPE_COMPRESSED && fm_lzfu_crc(0, r->in, r->len) != crc)
        return fm_error_set(MAPI_E_CORRUPT_DATA, "compressed RTF: CRC mismatch (the data is "
                                                 "damaged)");
    if (r->type == FM_LZFU_TYPE_UNCOMPRESSED && r->raw_size > r->len)
        return fm_error_set(MAPI_E_CORRUPT_DATA, "uncompressed RTF: %lu bytes declared, %zu "
                                                 "stored", (unsigned long)r->raw_size, r->len);
    dict_init(r->dict);
    r->wpos = PRELOAD_SIZE;
    return S_OK;
}

static void put_byte(fm_lzfu_reader *r, uint8_t b, uint8_t *out, size_t *o)
{
    r->dict[r->wpos] = b;
    r->wpos = (r->wpos + 1) & DICT_MASK;
    out[(*o)++] = b;
}

/* Decodes tokens until out is full or the data ends. */
static HRESULT read_lzfu(fm_lzfu_reader *r, uint8_t *out, size_t cap, size_t *got)
{
    size_t o = 0;
    while (o < cap && !r->done) {
        if (r->copy_left > 0) {
            put_byte(r, r->dict[r->copy_from], out, &o);
            r->copy_from = (r->copy_from + 1) & DICT_MASK;
            r->copy_left--;
            continue;
        }
        if (r->bits == 0) {
            if (r->pos >= r->len) {
                r->done = true; /* ran out without the end marker: what is there is all */
                break;
            }
            r->control = r->in[r->pos++];
            r->bits = 8;
        }
        int ref = r->control & 1;
        r->control >>= 1;
        r->bits--;
        if (!ref) {
            if (r->pos >= r->len) {
                r->done = true;
                break;
            }
            put_byte(r, r->in[r->pos++], out, &o);
            continue;
        }
        if (r->pos + 2 > r->len) {
            r->done = true;
            break;
        }
        uint16_t v = (uint16_t)(r->in[r->pos] << 8 | r->in[r->pos + 1]);
        r->pos += 2;
        uint16_t off = v >> 4;
        if (off == r->wpos) {
            r->done = true;
            break;
        }
        r->copy_from = off;
        r->copy_left = (uint16_t)((v & 0x0F) + MIN_MATCH);
    }
    r->produced += o;
    *got = o;
    if (r->produced > r->raw_size)
        return fm_error_set(MAPI_E_CORRUPT_DATA, "compressed RTF: more data than the %lu bytes "
                                                 "its header declares", (unsigned long)r->raw_size);
    return S_OK;
}

HRESULT fm_lzfu_read(fm_lzfu_reader *r, uint8_t *out, size_t cap, size_t *got)
{
    *got = 0;
    if (r->type == FM_LZFU_TYPE_COMPRESSED)
        return read_lzfu(r, out, cap, got);
    size_t left = r->raw_size - (size_t)r->produced;
    size_t n = left < cap ? left : cap;
    memcpy(out, r->in + r->produced, n);
    r->produced += n;
    *got = n;
    return S_OK;
}

/* ---- writer ------------------------------------------------------------------- */
struct fm_lzfu_writer {
    bool compress, finished;
    fm_lzfu_sink sink;
    void *ctx;
    HRESULT error; /* the sink's first failure: later calls repeat it */
    uint32_t crc;
    uint64_t raw, comp;
    uint8_t dict[FM_LZFU_DICT_SIZE];
    uint16_t wpos;
    uint32_t filled;                 /* dictionary bytes that hold data */
    int16_t prev[FM_LZFU_DICT_SIZE]; /* hash chains, -1 ends */
    int16_t head[65536];
    uint8_t look[MAX_MATCH];         /* input not yet encoded */
    int nlook;
    uint8_t group[1 + 2 * 8];        /* the run being built */
    int ngroup, ntokens;
    uint8_t out[8192];               /* bytes for the sink */
    size_t nout;
};

static HRESULT flush_out(fm_lzfu_writer *w)
{
    if (w->nout == 0 || w->error != S_OK)
        return w->error;
    w->crc = fm_lzfu_crc(w->crc, w->out, w->nout);
    w->comp += w->nout;
    w->error = w->sink(w->ctx, w->out, w->nout);
    w->nout = 0;
    return w->error;
}

static HRESULT emit(fm_lzfu_writer *w, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (w->nout == sizeof w->out && flush_out(w) != S_OK)
            return w->error;
        w->out[w->nout++] = p[i];
    }
    return w->error;
}

static HRESULT end_group(fm_lzfu_writer *w)
{
    if (w->ntokens == 0)
        return S_OK;
    HRESULT hr = emit(w, w->group, (size_t)w->ngroup);
    w->ngroup = w->ntokens = 0;
    return hr;
}

static HRESULT add_token(fm_lzfu_writer *w, int ref, const uint8_t *p, int n)
{
    if (w->ntokens == 0) {
        w->group[0] = 0;
        w->ngroup = 1;
    }
    if (ref)
        w->group[0] |= (uint8_t)(1u << w->ntokens);
    memcpy(w->group + w->ngroup, p, (size_t)n);
    w->ngroup += n;
    return ++w->ntokens == 8 ? end_group(w) : S_OK;
}

static unsigned hash2(uint8_t a, uint8_t b)
{
    return (unsigned)a << 8 | b;
}

/* Position p of the dictionary now starts a two-byte string. */
static void insert(fm_lzfu_writer *w, uint16_t p)
{
    unsigned h = hash2(w->dict[p], w->dict[(p + 1) & DICT_MASK]);
    w->prev[p] = w->head[h];
    w->head[h] = (int16_t)p;
}

static void dict_put(fm_lzfu_writer *w, uint8_t b)
{
    w->dict[w->wpos] = b;
    if (w->filled < FM_LZFU_DICT_SIZE)
        w->filled++;
    insert(w, (uint16_t)((w->wpos - 1) & DICT_MASK));
    w->wpos = (w->wpos + 1) & DICT_MASK;
}

/* Whether dictionary position q holds data (preloaded or written). */
static bool is_filled(const fm_lzfu_writer *w, uint16_t q)
{
    return w->filled >= FM_LZFU_DICT_SIZE || q < w->filled;
}

/* How many bytes of the lookahead a reference from p would reproduce. */
static int match_len(const fm_lzfu_writer *w, uint16_t p)
{
    int n = 0;
    while (n < w->nlook) {
        uint16_t q = (p + n) & DICT_MASK;
        uint16_t d = (q - w->wpos) & DICT_MASK;
        uint8_t b;
        if (d < n)
            b = w->look[d]; /* produced by this reference itself */
        else if (is_filled(w, q))
            b = w->dict[q];
        else
            break;
        if (b != w->look[n])
            break;
        n++;
    }
    return n;
}

static void best_match(const fm_lzfu_writer *w, uint16_t *off, int *len)
{
    *len = 0;
    if (w->nlook < MIN_MATCH)
        return;
    int16_t p = w->head[hash2(w->look[0], w->look[1])];
    for (int steps = 0; p >= 0 && steps < CHAIN_LIMIT && *len < w->nlook; steps++) {
        uint16_t cand = (uint16_t)p;
        p = w->prev[cand];
        if (cand == w->wpos || !is_filled(w, cand))
            continue; /* a reference at the write position would end the data */
        int n = match_len(w, cand);
        /* Ties go to the lower offset, as in [MS-OXRTFCP]'s examples. */
        if (n > *len || (n == *len && n > 0 && cand < *off)) {
            *len = n;
            *off = cand;
        }
    }
}

/* Encodes one token from the lookahead. */
static HRESULT encode_one(fm_lzfu_writer *w)
{
    uint16_t off = 0;
    int len = 0;
    best_match(w, &off, &len);
    HRESULT hr;
    if (len >= MIN_MATCH) {
        uint16_t v = (uint16_t)(off << 4 | (len - MIN_MATCH));
        uint8_t t[2] = { (uint8_t)(v >> 8), (uint8_t)v };
        hr = add_token(w, 1, t, 2);
    } else {
        len = 1;
        hr = add_token(w, 0, w->look, 1);
    }
    for (int i = 0; i < len; i++)
        dict_put(w, w->look[i]);
    memmove(w->look, w->look + len, (size_t)(w->nlook - len));
    w->nlook -= len;
    return hr;
}

HRESULT fm_lzfu_writer_new(bool compress, fm_lzfu_sink sink, void *ctx, fm_lzfu_writer **out)
{
    *out = NULL;
    fm_lzfu_writer *w = fm_calloc(1, sizeof *w);
    if (w == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "compressed RTF: out of memory");
    w->compress = compress;
    w->sink = sink;
    w->ctx = ctx;
    dict_init(w->dict);
    memset(w->head, 0xFF, sizeof w->head);
    memset(w->prev, 0xFF, sizeof w->prev);
    w->filled = PRELOAD_SIZE;
    w->wpos = PRELOAD_SIZE;
    for (uint16_t p = 0; (size_t)p + 1 < PRELOAD_SIZE; p++)
        insert(w, p);
    *out = w;
    return S_OK;
}

HRESULT fm_lzfu_writer_write(fm_lzfu_writer *w, const uint8_t *p, size_t n)
{
    if (w->finished)
        return fm_error_set(MAPI_E_CALL_FAILED, "compressed RTF: written after its end");
    if (n > 0xFFFFFFFFu - w->raw)
        return fm_error_set(MAPI_E_TOO_BIG, "compressed RTF: more than 4 GiB of RTF");
    w->raw += n;
    if (!w->compress)
        return emit(w, p, n);
    HRESULT hr = S_OK;
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        w->look[w->nlook++] = p[i];
        if (w->nlook == (int)MAX_MATCH)
            hr = encode_one(w);
    }
    return hr == S_OK ? w->error : hr;
}

HRESULT fm_lzfu_writer_finish(fm_lzfu_writer *w, uint8_t header[FM_LZFU_HEADER_SIZE])
{
    HRESULT hr = S_OK;
    if (w->compress) {
        while (hr == S_OK && w->nlook > 0)
            hr = encode_one(w);
        uint16_t v = (uint16_t)(w->wpos << 4);
        uint8_t t[2] = { (uint8_t)(v >> 8), (uint8_t)v };
        if (hr == S_OK)
            hr = add_token(w, 1, t, 2);
        if (hr == S_OK)
            hr = end_group(w);
    }
    if (hr == S_OK)
        hr = flush_out(w);
    w->finished = true;
    if (hr != S_OK)
        return hr;
    if (w->comp > 0xFFFFFFFFu - 12)
        return fm_error_set(MAPI_E_TOO_BIG, "compressed RTF: more than 4 GiB compressed");
    put_le32(header, (uint32_t)(w->comp + 12));
    put_le32(header + 4, (uint32_t)w->raw);
    put_le32(header + 8, w->compress ? FM_LZFU_TYPE_COMPRESSED : FM_LZFU_TYPE_UNCOMPRESSED);
    put_le32(header + 12, w->compress ? w->crc : 0);
    return S_OK;
}

void fm_lzfu_writer_free(fm_lzfu_writer *w)
{
    fm_free(w);
}

/* ---- whole buffers -------------------------------------------------------------- */
typedef struct grow_buf {
    uint8_t *p;
    size_t n, cap;
} grow_buf;

static HRESULT grow_sink(void *ctx, const uint8_t *p, size_t n)
{
    grow_buf *b = ctx;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n)
            cap *= 2;
        uint8_t *q = fm_realloc(b->p, cap);
        if (q == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "compressed RTF: out of memory");
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
    return S_OK;
}

HRESULT fm_lzfu_compress(const uint8_t *p, size_t n, bool compress, uint8_t **out,
                         size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    grow_buf b = { NULL, 0, 0 };
    uint8_t header[FM_LZFU_HEADER_SIZE] = { 0 };
    fm_lzfu_writer *w = NULL;
    HRESULT hr = grow_sink(&b, header, sizeof header); /* room for the header */
    if (hr == S_OK)
        hr = fm_lzfu_writer_new(compress, grow_sink, &b, &w);
    if (hr == S_OK)
        hr = fm_lzfu_writer_write(w, p, n);
    if (hr == S_OK)
        hr = fm_lzfu_writer_finish(w, header);
    fm_lzfu_writer_free(w);
    if (hr != S_OK) {
        fm_free(b.p);
        return hr;
    }
    memcpy(b.p, header, sizeof header);
    *out = b.p;
    *outlen = b.n;
    return S_OK;
}

HRESULT fm_lzfu_decompress(const uint8_t *p, size_t n, uint8_t **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    fm_lzfu_reader *r = fm_malloc(sizeof *r);
    if (r == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "compressed RTF: out of memory");
    HRESULT hr = fm_lzfu_reader_init(r, p, n);
    size_t cap = hr == S_OK ? (size_t)r->raw_size + 1 : 0;
    uint8_t *buf = hr == S_OK ? fm_malloc(cap) : NULL;
    if (hr == S_OK && buf == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "compressed RTF: out of memory");
    size_t total = 0;
    while (hr == S_OK) {
        size_t got = 0;
        hr = fm_lzfu_read(r, buf + total, cap - total, &got);
        if (hr != S_OK || got == 0)
            break;
        total += got;
        if (total == cap) /* one byte past the declared size is too many */
            hr = fm_error_set(MAPI_E_CORRUPT_DATA, "compressed RTF: more data than its header "
                                                   "declares");
    }
    fm_free(r);
    if (hr != S_OK) {
        fm_free(buf);
        return hr;
    }
    *out = buf;
    *outlen = total;
    return S_OK;
}
