/*
 * oab/lzx.c - an LZX DELTA (LZXD, [MS-PATCH]) compressor for the blocks of
 * the OAB container ([MS-OXOAB]: LZX_BLK.ulFlags 1). Each container block
 * is one independent LZXD stream, as the reader expects: the window is the
 * smallest power of two from 2^17 to 2^25 that holds the block, and
 * nothing is referenced from before the block.
 *
 * The stream: every 32 KiB chunk of output is preceded by its compressed
 * size (16 bits, little-endian, byte-aligned), and after each chunk the
 * bitstream is padded to a 16-bit boundary. Bits go most significant
 * first into 16-bit little-endian words. The first chunk starts with the
 * E8-translation bit (0: off), then one verbatim block (type 1, 24-bit
 * size) for the whole container block: the main tree (256 literals and 8
 * length headers per position slot) and the length tree, each sent as
 * code lengths through a 20-symbol pretree (deltas mod 17 from zero, runs
 * of zeros as codes 17 and 18), then the literals and matches.
 *
 * Matches come from a greedy hash-chain search (3-byte minimum, 256
 * maximum: in LZXD a length of 257 announces an extended length, which
 * is not used; never across a chunk boundary, which the format forbids);
 * offsets are sent as "formatted offsets" (offset + 2) through position
 * slots with raw footer bits; the repeated-offset slots are not used.
 * When the result would not be smaller than the input, the caller stores
 * the block instead.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "oab/oab.h"

#define CHUNK 32768u
#define MIN_MATCH 3u
#define MAX_MATCH 256u /* 257 announces LZXD's extended match length: not used */
#define HASH_BITS 15
#define CHAIN_DEPTH 12
#define MAX_SLOTS 50
#define MAIN_MAX (256 + MAX_SLOTS * 8)
#define LEN_SYMS 249
#define PRE_SYMS 20
#define MATCH_FLAG 0x80000000u

struct fm_oab_lzx {
    size_t block_max;
    int32_t head[1 << HASH_BITS];
    int32_t *prev;    /* block_max */
    uint32_t *tokens; /* block_max */
    size_t ntokens;
    uint32_t main_freq[MAIN_MAX], len_freq[LEN_SYMS];
    BYTE main_len[MAIN_MAX], len_len[LEN_SYMS];
    uint16_t main_code[MAIN_MAX], len_code[LEN_SYMS];
};

static const uint16_t slots_for_bits[] = {30, 32, 34, 36, 38, 42, 50, 66, 98, 162, 290};
static uint32_t position_base[MAX_SLOTS + 1];
static BYTE extra_bits[MAX_SLOTS + 1];
static int tables_ready;

static void build_tables(void)
{
    for (int i = 0, j = 0; i <= MAX_SLOTS; i += 2) {
        extra_bits[i] = (BYTE)j;
        if (i + 1 <= MAX_SLOTS)
            extra_bits[i + 1] = (BYTE)j;
        if (i != 0 && j < 17)
            j++;
    }
    uint32_t base = 0;
    for (int i = 0; i <= MAX_SLOTS; i++) {
        position_base[i] = base;
        base += 1u << extra_bits[i];
    }
    __atomic_store_n(&tables_ready, 1, __ATOMIC_RELEASE);
}

HRESULT fm_oab_lzx_new(size_t block_max, fm_oab_lzx **out)
{
    if (!__atomic_load_n(&tables_ready, __ATOMIC_ACQUIRE))
        build_tables();
    fm_oab_lzx *z = fm_calloc(1, sizeof *z);
    if (z) {
        z->block_max = block_max;
        z->prev = fm_malloc(block_max * sizeof *z->prev);
        z->tokens = fm_malloc(block_max * sizeof *z->tokens);
    }
    if (!z || !z->prev || !z->tokens) {
        fm_oab_lzx_free(z);
        *out = NULL;
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "offline address book: no memory for the compressor");
    }
    *out = z;
    return S_OK;
}

void fm_oab_lzx_free(fm_oab_lzx *z)
{
    if (!z)
        return;
    fm_free(z->prev);
    fm_free(z->tokens);
    fm_free(z);
}

/* ---- the LZ77 parse ------------------------------------------------------- */

static uint32_t hash3(const BYTE *p)
{
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

static unsigned slot_of(uint32_t formatted)
{
    unsigned lo = 0, hi = MAX_SLOTS;
    while (lo + 1 < hi) { /* the last slot whose base <= formatted */
        unsigned mid = (lo + hi) / 2;
        if (position_base[mid] <= formatted)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static void insert(fm_oab_lzx *z, const BYTE *in, size_t pos)
{
    uint32_t h = hash3(in + pos);
    z->prev[pos] = z->head[h];
    z->head[h] = (int32_t)pos;
}

static size_t longest(const fm_oab_lzx *z, const BYTE *in, size_t pos, size_t limit,
                      size_t max_off, size_t *best_off)
{
    size_t best = 0;
    int32_t cand = z->head[hash3(in + pos)];
    for (int depth = 0; cand >= 0 && depth < CHAIN_DEPTH; depth++, cand = z->prev[cand]) {
        size_t off = pos - (size_t)cand;
        if (off > max_off)
            break;
        const BYTE *a = in + cand, *b = in + pos;
        if (a[best] != b[best] || a[0] != b[0])
            continue;
        size_t n = 0;
        while (n < limit && a[n] == b[n])
            n++;
        if (n > best) {
            best = n;
            *best_off = off;
            if (n == limit)
                break;
        }
    }
    return best;
}

static void count_match(fm_oab_lzx *z, size_t len, size_t off)
{
    unsigned slot = slot_of((uint32_t)off + 2);
    unsigned lh = len - 2 < 7 ? (unsigned)(len - 2) : 7;
    z->main_freq[256 + slot * 8 + lh]++;
    if (lh == 7)
        z->len_freq[len - 9]++;
}

static void parse(fm_oab_lzx *z, const BYTE *in, size_t n, size_t max_off)
{
    memset(z->head, 0xFF, sizeof z->head);
    memset(z->main_freq, 0, sizeof z->main_freq);
    memset(z->len_freq, 0, sizeof z->len_freq);
    z->ntokens = 0;
    for (size_t pos = 0; pos < n;) {
        size_t to_chunk = CHUNK - pos % CHUNK, limit = n - pos;
        if (limit > to_chunk)
            limit = to_chunk;
        if (limit > MAX_MATCH)
            limit = MAX_MATCH;
        size_t off = 0, len = 0;
        if (limit >= MIN_MATCH && n - pos >= 3) {
            len = longest(z, in, pos, limit, max_off, &off);
            insert(z, in, pos);
        }
        if (len >= MIN_MATCH) {
            z->tokens[z->ntokens++] = MATCH_FLAG | (uint32_t)(len - 2) << 21 | (uint32_t)off;
            count_match(z, len, off);
            for (size_t k = 1; k < len && pos + k + 3 <= n; k++)
                insert(z, in, pos + k);
            pos += len;
        } else {
            z->tokens[z->ntokens++] = in[pos];
            z->main_freq[in[pos]]++;
            pos++;
        }
    }
}

/* ---- Huffman code lengths, limited, and canonical codes --------------------- */

typedef struct hnode {
    uint32_t freq;
    int16_t left, right; /* children, or -1 and the symbol in right for leaves */
} hnode;

static void depths(const hnode *t, int node, int d, BYTE *lens, int *maxd)
{
    if (t[node].left < 0) {
        lens[t[node].right] = (BYTE)(d ? d : 1);
        if (d > *maxd)
            *maxd = d;
        return;
    }
    depths(t, t[node].left, d + 1, lens, maxd);
    depths(t, t[node].right, d + 1, lens, maxd);
}

/* Pops the lowest-frequency node among the live ones (n is small). */
static int pop_min(const hnode *t, int *live, int *nlive)
{
    int best = 0;
    for (int i = 1; i < *nlive; i++)
        if (t[live[i]].freq < t[live[best]].freq)
            best = i;
    int node = live[best];
    live[best] = live[--*nlive];
    return node;
}

/* Huffman lengths for n symbols, none longer than limit; a code with one
 * used symbol gets a second, so that every code is complete. */
static void huffman_lengths(const uint32_t *freq, int n, int limit, BYTE *lens)
{
    static _Thread_local hnode t[2 * MAIN_MAX];
    static _Thread_local int live[MAIN_MAX];
    uint32_t f[MAIN_MAX];
    int used = 0;
    for (int i = 0; i < n; i++)
        used += (f[i] = freq[i]) != 0;
    memset(lens, 0, (size_t)n);
    if (used == 0)
        return;
    if (used == 1)
        f[f[0] ? 1 : 0] = 1;
    for (;;) {
        int nn = 0, nlive = 0;
        for (int i = 0; i < n; i++)
            if (f[i]) {
                t[nn] = (hnode){f[i], -1, (int16_t)i};
                live[nlive++] = nn++;
            }
        while (nlive > 1) {
            int a = pop_min(t, live, &nlive), b = pop_min(t, live, &nlive);
            t[nn] = (hnode){t[a].freq + t[b].freq, (int16_t)a, (int16_t)b};
            live[nlive++] = nn++;
        }
        int maxd = 0;
        depths(t, live[0], 0, lens, &maxd);
        if (maxd <= limit)
            return;
        for (int i = 0; i < n; i++)
            if (f[i])
                f[i] = (f[i] >> 1) | 1;
        memset(lens, 0, (size_t)n);
    }
}

static void canonical_codes(const BYTE *lens, int n, uint16_t *codes)
{
    uint32_t code = 0;
    for (int bits = 1; bits <= 16; bits++, code <<= 1)
        for (int i = 0; i < n; i++)
            if (lens[i] == bits)
                codes[i] = (uint16_t)code++;
}

/* ---- the bitstream ----------------------------------------------------------- */

typedef struct bitw {
    BYTE *out;
    size_t len, cap;
    uint64_t acc;
    int nbits;
    bool full;
} bitw;

static void put_word(bitw *w, uint16_t v)
{
    if (w->len + 2 > w->cap) {
        w->full = true;
        return;
    }
    w->out[w->len++] = (BYTE)v;
    w->out[w->len++] = (BYTE)(v >> 8);
}

static void put_bits(bitw *w, uint32_t v, int n)
{
    if (n == 0)
        return;
    w->acc = (w->acc << n) | (v & ((1u << n) - 1u));
    w->nbits += n;
    while (w->nbits >= 16) {
        w->nbits -= 16;
        put_word(w, (uint16_t)(w->acc >> w->nbits));
    }
}

static void align16(bitw *w)
{
    if (w->nbits > 0)
        put_bits(w, 0, 16 - w->nbits);
}

/* ---- the trees ---------------------------------------------------------------- */

/* Pretree symbols (and their extra bits) for lens[0..n), deltas from zero. */
static size_t pretree_symbols(const BYTE *lens, int n, BYTE *sym, BYTE *extra)
{
    size_t k = 0;
    for (int i = 0; i < n;) {
        int run = 0;
        while (i + run < n && lens[i + run] == 0 && run < 51)
            run++;
        if (run >= 20) {
            sym[k] = 18, extra[k++] = (BYTE)(run - 20);
            i += run;
        } else if (run >= 4) {
            sym[k] = 17, extra[k++] = (BYTE)(run - 4);
            i += run;
        } else {
            sym[k] = (BYTE)((17 - lens[i]) % 17), extra[k++] = 0;
            i++;
        }
    }
    return k;
}

static void put_lengths(bitw *w, const BYTE *lens, int n)
{
    static _Thread_local BYTE sym[MAIN_MAX], extra[MAIN_MAX];
    size_t k = pretree_symbols(lens, n, sym, extra);
    uint32_t freq[PRE_SYMS] = {0};
    for (size_t i = 0; i < k; i++)
        freq[sym[i]]++;
    BYTE plen[PRE_SYMS];
    uint16_t pcode[PRE_SYMS];
    huffman_lengths(freq, PRE_SYMS, 15, plen);
    canonical_codes(plen, PRE_SYMS, pcode);
    for (int i = 0; i < PRE_SYMS; i++)
        put_bits(w, plen[i], 4);
    for (size_t i = 0; i < k; i++) {
        put_bits(w, pcode[sym[i]], plen[sym[i]]);
        if (sym[i] == 17)
            put_bits(w, extra[i], 4);
        else if (sym[i] == 18)
            put_bits(w, extra[i], 5);
    }
}

/* ---- the stream ---------------------------------------------------------------- */

static void put_token(fm_oab_lzx *z, bitw *w, uint32_t t)
{
    if (!(t & MATCH_FLAG)) {
        put_bits(w, z->main_code[t], z->main_len[t]);
        return;
    }
    size_t len = ((t >> 21) & 0xFFu) + 2, off = t & 0x1FFFFFu;
    uint32_t formatted = (uint32_t)off + 2;
    unsigned slot = slot_of(formatted), lh = len - 2 < 7 ? (unsigned)(len - 2) : 7;
    unsigned sym = 256 + slot * 8 + lh;
    put_bits(w, z->main_code[sym], z->main_len[sym]);
    if (lh == 7)
        put_bits(w, z->len_code[len - 9], z->len_len[len - 9]);
    put_bits(w, formatted - position_base[slot], extra_bits[slot]);
}

static void end_chunk(bitw *w, size_t at)
{
    align16(w);
    if (!w->full) {
        size_t size = w->len - at - 2;
        w->out[at] = (BYTE)size;
        w->out[at + 1] = (BYTE)(size >> 8);
    }
}

static size_t start_chunk(bitw *w)
{
    size_t at = w->len;
    put_word(w, 0);
    return at;
}

size_t fm_oab_lzx_compress(fm_oab_lzx *z, const BYTE *in, size_t n, BYTE *out, size_t cap)
{
    if (n == 0 || n > z->block_max || n > 0xFFFFFFu)
        return 0;
    int bits = 17;
    while (bits < 25 && (1u << bits) < n)
        bits++;
    unsigned slots = slots_for_bits[bits - 15];
    if (slots > MAX_SLOTS)
        return 0;
    parse(z, in, n, ((size_t)1 << bits) - 3);
    int nmain = 256 + (int)slots * 8;
    huffman_lengths(z->main_freq, nmain, 16, z->main_len);
    huffman_lengths(z->len_freq, LEN_SYMS, 16, z->len_len);
    canonical_codes(z->main_len, nmain, z->main_code);
    canonical_codes(z->len_len, LEN_SYMS, z->len_code);

    bitw w = {out, 0, cap, 0, 0, false};
    size_t chunk_at = start_chunk(&w);
    put_bits(&w, 0, 1);          /* no E8 translation */
    put_bits(&w, 1, 3);          /* verbatim block */
    put_bits(&w, (uint32_t)n >> 8, 16);
    put_bits(&w, (uint32_t)n & 0xFFu, 8);
    put_lengths(&w, z->main_len, 256);
    put_lengths(&w, z->main_len + 256, nmain - 256);
    put_lengths(&w, z->len_len, LEN_SYMS);
    size_t pos = 0;
    for (size_t i = 0; i < z->ntokens && !w.full; i++) {
        uint32_t t = z->tokens[i];
        put_token(z, &w, t);
        pos += (t & MATCH_FLAG) ? ((t >> 21) & 0xFFu) + 2 : 1;
        if (pos % CHUNK == 0 && pos < n) {
            end_chunk(&w, chunk_at);
            chunk_at = start_chunk(&w);
        }
    }
    /* Decoders read up to two words past the last symbol (a Huffman
     * look-ahead, then the realignment after the chunk); libmspack makes
     * up only one, so the last chunk carries two words of zeros. */
    align16(&w);
    put_word(&w, 0);
    put_word(&w, 0);
    end_chunk(&w, chunk_at);
    return w.full || w.len >= n ? 0 : w.len;
}
