/*
 * oab/sha1.c - SHA-1 (FIPS 180-4), for the manifest's SHA attribute, which
 * lets a client check the data file it downloaded. Not used for security.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "mapicode.h"
#include "oab/oab.h"

static uint32_t rol(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

/* One round; the schedule is kept in a 16-word ring (w[i & 15]). */
#define SCHED(i) (w[(i) & 15] = rol(w[((i) + 13) & 15] ^ w[((i) + 8) & 15] ^ w[((i) + 2) & 15] ^ w[(i) & 15], 1))
#define ROUND(a, b, c, d, e, f, k, wi)                                                             \
    do {                                                                                           \
        e += rol(a, 5) + (f) + (k) + (wi);                                                         \
        b = rol(b, 30);                                                                            \
    } while (0)
#define F1(b, c, d) (d ^ (b & (c ^ d)))
#define F2(b, c, d) (b ^ c ^ d)
#define F3(b, c, d) ((b & c) | (d & (b | c)))

/* Five rounds with the roles of a..e rotated, so no variable is copied. */
#define FIVE(F, K, i, W)                                                                           \
    do {                                                                                           \
        ROUND(a, b, c, d, e, F(b, c, d), K, W(i));                                                 \
        ROUND(e, a, b, c, d, F(a, b, c), K, W(i + 1));                                             \
        ROUND(d, e, a, b, c, F(e, a, b), K, W(i + 2));                                             \
        ROUND(c, d, e, a, b, F(d, e, a), K, W(i + 3));                                             \
        ROUND(b, c, d, e, a, F(c, d, e), K, W(i + 4));                                             \
    } while (0)
#define WLOAD(i) (w[i])

static void compress_block(uint32_t h[5], const BYTE *p)
{
    uint32_t w[16];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    FIVE(F1, 0x5A827999u, 0, WLOAD);
    FIVE(F1, 0x5A827999u, 5, WLOAD);
    FIVE(F1, 0x5A827999u, 10, WLOAD);
    ROUND(a, b, c, d, e, F1(b, c, d), 0x5A827999u, w[15]);
    ROUND(e, a, b, c, d, F1(a, b, c), 0x5A827999u, SCHED(16));
    ROUND(d, e, a, b, c, F1(e, a, b), 0x5A827999u, SCHED(17));
    ROUND(c, d, e, a, b, F1(d, e, a), 0x5A827999u, SCHED(18));
    ROUND(b, c, d, e, a, F1(c, d, e), 0x5A827999u, SCHED(19));
    for (int i = 20; i < 40; i += 5)
        FIVE(F2, 0x6ED9EBA1u, i, SCHED);
    for (int i = 40; i < 60; i += 5)
        FIVE(F3, 0x8F1BBCDCu, i, SCHED);
    for (int i = 60; i < 80; i += 5)
        FIVE(F2, 0xCA62C1D6u, i, SCHED);
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void fm_oab_sha1_init(fm_oab_sha1 *s)
{
    static const uint32_t init[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u,
                                     0xC3D2E1F0u};
    memcpy(s->h, init, sizeof init);
    s->total = 0;
    s->used = 0;
}

/* Tops up a partial block, hashes whole blocks in place, keeps the rest. */
void fm_oab_sha1_update(fm_oab_sha1 *s, const void *data, size_t n)
{
    const BYTE *p = data;
    s->total += n;
    if (s->used > 0) {
        size_t take = 64 - s->used < n ? 64 - s->used : n;
        memcpy(s->block + s->used, p, take);
        s->used += take;
        p += take;
        n -= take;
        if (s->used < 64)
            return;
        compress_block(s->h, s->block);
        s->used = 0;
    }
    for (; n >= 64; p += 64, n -= 64)
        compress_block(s->h, p);
    memcpy(s->block, p, n);
    s->used = n;
}

void fm_oab_sha1_final(fm_oab_sha1 *s, BYTE digest[20])
{
    uint64_t bits = s->total * 8;
    BYTE pad[72] = {0x80};
    size_t padlen = (s->used < 56 ? 56 : 120) - s->used;
    for (int i = 0; i < 8; i++)
        pad[padlen + i] = (BYTE)(bits >> (56 - 8 * i));
    fm_oab_sha1_update(s, pad, padlen + 8);
    for (int i = 0; i < 20; i++)
        digest[i] = (BYTE)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

HRESULT fm_oab_sha1_fd(int fd, char hex[41])
{
    fm_oab_sha1 s;
    BYTE buf[16384];
    fm_oab_sha1_init(&s);
    for (off_t off = 0;;) {
        ssize_t r = pread(fd, buf, sizeof buf, off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return fm_oab_io_error(errno, "reading back", "the OAB data file");
        if (r == 0)
            break;
        fm_oab_sha1_update(&s, buf, (size_t)r);
        off += r;
    }
    BYTE d[20];
    fm_oab_sha1_final(&s, d);
    for (int i = 0; i < 20; i++) {
        hex[2 * i] = "0123456789abcdef"[d[i] >> 4];
        hex[2 * i + 1] = "0123456789abcdef"[d[i] & 15];
    }
    hex[40] = '\0';
    return S_OK;
}
