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

static void compress_block(uint32_t h[5], const BYTE *p)
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 80; i++)
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5A827999u;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ED9EBA1u;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8F1BBCDCu;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6u;
        }
        uint32_t t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol(b, 30);
        b = a;
        a = t;
    }
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

void fm_oab_sha1_update(fm_oab_sha1 *s, const void *data, size_t n)
{
    const BYTE *p = data;
    s->total += n;
    while (n > 0) {
        size_t take = 64 - s->used < n ? 64 - s->used : n;
        memcpy(s->block + s->used, p, take);
        s->used += take;
        p += take;
        n -= take;
        if (s->used == 64) {
            compress_block(s->h, s->block);
            s->used = 0;
        }
    }
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
