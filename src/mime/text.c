/*
 * mime/text.c - UTF-8 <-> UTF-16 for property values, whole or in chunks.
 *
 * Bodies are converted while they stream, so a chunk may end inside a
 * UTF-8 sequence or between the halves of a surrogate pair; the decoders
 * carry the incomplete end over. Invalid input never fails: it becomes
 * U+FFFD, as a mail reader would show it.
 */
#include <string.h>

#include "mime/mime.h"

#define REPLACEMENT 0xFFFDu

/* Length of the sequence a lead byte starts, 0 if it cannot lead. */
static size_t seq_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF)
        return 3;
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    return 0;
}

/* Decodes one complete sequence of len bytes; 0xFFFFFFFF when invalid. */
static uint32_t decode(const unsigned char *s, size_t len)
{
    uint32_t cp;
    if (len == 1)
        return s[0];
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0xFFFFFFFFu;
    }
    if (len == 2)
        return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    if (len == 3) {
        cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) ? 0xFFFFFFFFu : cp;
    }
    cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
         ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    return (cp < 0x10000 || cp > 0x10FFFF) ? 0xFFFFFFFFu : cp;
}

static size_t put16(WCHAR *out, uint32_t cp)
{
    if (cp < 0x10000) {
        out[0] = (WCHAR)cp;
        return 1;
    }
    cp -= 0x10000;
    out[0] = (WCHAR)(0xD800 + (cp >> 10));
    out[1] = (WCHAR)(0xDC00 + (cp & 0x3FF));
    return 2;
}

/* How many bytes of s (n available) the sequence at s takes, validating
 * continuation bytes as far as they go; 0 when it needs more input. */
static size_t take(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len = seq_len(s[0]);
    if (len == 0) {
        *cp = REPLACEMENT;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if (i >= n)
            return 0;
        if ((s[i] & 0xC0) != 0x80) {
            *cp = REPLACEMENT;
            return i; /* resynchronise at the byte that broke the sequence */
        }
    }
    *cp = decode(s, len);
    if (*cp == 0xFFFFFFFFu)
        *cp = REPLACEMENT;
    return len;
}

size_t fm_mime_utf8_feed(fm_utf8_decoder *d, const char *in, size_t n, WCHAR *out, bool last)
{
    size_t w = 0;
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0;
    uint32_t cp;
    while (d->npend > 0 && i < n) {
        /* Complete the sequence left over from the last chunk. */
        d->pend[d->npend++] = s[i++];
        size_t used = take(d->pend, d->npend, &cp);
        if (used == 0 && d->npend < 4)
            continue;
        if (used == 0)
            used = d->npend, cp = REPLACEMENT;
        w += put16(out + w, cp);
        /* Bytes of the pending buffer not used go back to the input. */
        size_t back = d->npend - used;
        i -= back;
        d->npend = 0;
    }
    while (i < n) {
        if (s[i] < 0x80) { /* ASCII, most of most mail: one unit, no decoding */
            out[w++] = (WCHAR)s[i++];
            continue;
        }
        size_t used = take(s + i, n - i, &cp);
        if (used == 0) {
            memcpy(d->pend, s + i, n - i);
            d->npend = n - i;
            break;
        }
        w += put16(out + w, cp);
        i += used;
    }
    if (last && d->npend > 0) {
        out[w++] = (WCHAR)REPLACEMENT;
        d->npend = 0;
    }
    return w;
}

HRESULT fm_mime_utf16(const char *s, size_t n, void *parent, WCHAR **out)
{
    void *p = NULL;
    SCODE sc = parent ? MAPIAllocateMore((ULONG)((n + 1) * sizeof(WCHAR)), parent, &p)
                      : MAPIAllocateBuffer((ULONG)((n + 1) * sizeof(WCHAR)), &p);
    if (sc != S_OK)
        return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory converting text");
    fm_utf8_decoder d = { { 0 }, 0 };
    WCHAR *w = p;
    size_t len = fm_mime_utf8_feed(&d, s, n, w, true);
    w[len] = 0;
    *out = w;
    return S_OK;
}

static size_t put8(char *out, uint32_t cp)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t fm_mime_utf16_feed(fm_utf16_encoder *e, const WCHAR *in, size_t n, char *out, bool last)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t u = in[i];
        if (e->high != 0) {
            if (u >= 0xDC00 && u <= 0xDFFF) {
                w += put8(out + w, 0x10000 + (((uint32_t)e->high - 0xD800) << 10) + (u - 0xDC00));
                e->high = 0;
                continue;
            }
            w += put8(out + w, REPLACEMENT);
            e->high = 0;
        }
        if (u >= 0xD800 && u <= 0xDBFF)
            e->high = (WCHAR)u;
        else if (u >= 0xDC00 && u <= 0xDFFF)
            w += put8(out + w, REPLACEMENT);
        else
            w += put8(out + w, u);
    }
    if (last && e->high != 0) {
        w += put8(out + w, REPLACEMENT);
        e->high = 0;
    }
    return w;
}

void fm_mime_utf8_scrub(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        uint32_t cp;
        size_t n = strnlen((const char *)p, 4);
        size_t used = take(p, n, &cp);
        if (used == 0 || cp == REPLACEMENT) {
            /* Keep a real U+FFFD; replace a broken sequence's first byte. */
            if (used == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] == 0xBD) {
                p += 3;
                continue;
            }
            *p++ = '?';
            continue;
        }
        p += used;
    }
}

const void *fm_mime_memmem(const void *hay, size_t n, const void *needle, size_t k)
{
    if (k == 0)
        return hay;
    const unsigned char *h = hay, *end = h + n;
    while (n >= k) {
        const unsigned char *p = memchr(h, *(const unsigned char *)needle, n - k + 1);
        if (p == NULL)
            return NULL;
        if (memcmp(p, needle, k) == 0)
            return p;
        h = p + 1;
        n = (size_t)(end - h);
    }
    return NULL;
}
