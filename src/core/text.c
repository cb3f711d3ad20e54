/*
 * core/text.c - UTF-8/UTF-16 validity, conversion, folding and comparison.
 *
 * Built on libunistring. Its functions take a caller buffer and fall back to
 * malloc() when the result does not fit; such blocks are released here with
 * free() (fm_folded.heap == 2) and never escape this file. Everything that
 * leaves this file is allocated by freemapi's allocator.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "mapicode.h"

fm_text fm_text_utf8(const char *s)
{
    fm_text t = { s, s ? strlen(s) : 0, false };
    return t;
}

fm_text fm_text_utf16(const WCHAR *s)
{
    fm_text t = { s, s ? fm_utf16_len(s) : 0, true };
    return t;
}

/* Four units a round: bodies of thousands of units are measured several
 * times on their way into a store, and the unrolled loop takes half the
 * time. It reads nothing past the terminating NUL. */
size_t fm_utf16_len(const WCHAR *s)
{
    size_t n = 0;
    for (;; n += 4) {
        if (s[n] == 0)
            return n;
        if (s[n + 1] == 0)
            return n + 1;
        if (s[n + 2] == 0)
            return n + 2;
        if (s[n + 3] == 0)
            return n + 3;
    }
}

bool fm_utf8_valid(const char *s, size_t n)
{
    return u8_check((const uint8_t *)s, n) == NULL;
}

/* Most text has no surrogate at all: a quick pass looks for one (any unit
 * in D800..DFFF), and only text that has one is checked pair by pair. */
bool fm_utf16_valid(const WCHAR *s, size_t n)
{
    const uint16_t *u = (const uint16_t *)s;
    uint16_t any = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        any |= (uint16_t)(((u[i] & 0xF800) == 0xD800) | ((u[i + 1] & 0xF800) == 0xD800) |
                          ((u[i + 2] & 0xF800) == 0xD800) | ((u[i + 3] & 0xF800) == 0xD800));
        if (any)
            break;
    }
    for (; !any && i < n; i++)
        any = (u[i] & 0xF800) == 0xD800;
    return !any || u16_check(u, n) == NULL;
}

size_t fm_utf8_to_utf16_into(const char *s, size_t n, WCHAR *dst, size_t cap)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t out = 0;
    while (n > 0) {
        if (*p < 0x80) { /* ASCII: one unit, without decoding */
            if (out + 2 > cap)
                break;
            dst[out++] = *p++;
            n--;
            continue;
        }
        ucs4_t uc;
        int step = u8_mbtouc(&uc, p, n); /* invalid input yields U+FFFD */
        size_t need = uc >= 0x10000 ? 2 : 1;
        if (out + need + 1 > cap)
            break;
        if (need == 2) {
            dst[out++] = (WCHAR)(0xD800 + ((uc - 0x10000) >> 10));
            dst[out++] = (WCHAR)(0xDC00 + ((uc - 0x10000) & 0x3FF));
        } else {
            dst[out++] = (WCHAR)uc;
        }
        p += step;
        n -= (size_t)step;
    }
    dst[out] = 0;
    return out;
}

static void put_utf8(uint32_t cp, char **out)
{
    unsigned char *o = (unsigned char *)*out;
    if (cp < 0x80) {
        *o++ = (unsigned char)cp;
    } else if (cp < 0x800) {
        *o++ = (unsigned char)(0xC0 | (cp >> 6));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (unsigned char)(0xE0 | (cp >> 12));
        *o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (unsigned char)(0xF0 | (cp >> 18));
        *o++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    }
    *out = (char *)o;
}

size_t fm_utf16_to_utf8_into(const WCHAR *s, size_t n, char *dst)
{
    char *o = dst;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = s[i];
        if (c < 0x80) { /* ASCII: one byte */
            *o++ = (char)c;
            continue;
        }
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (uint32_t)(s[i + 1] - 0xDC00);
            i++;
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            c = 0xFFFD;
        }
        put_utf8(c, &o);
    }
    *o = '\0';
    return (size_t)(o - dst);
}

HRESULT fm_text_arg_utf8(const void *s, bool wide, char *buf, size_t cap, const char *what)
{
    buf[0] = '\0';
    if (s == NULL)
        return S_OK;
    size_t n = wide ? fm_utf16_len(s) : strlen(s);
    if (wide ? !fm_utf16_valid(s, n) : !fm_utf8_valid(s, n))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s is not valid %s", what,
                            wide ? "UTF-16" : "UTF-8");
    if ((wide ? n * 3 : n) + 1 > cap)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s is too long", what);
    if (wide)
        fm_utf16_to_utf8_into(s, n, buf);
    else
        memcpy(buf, s, n + 1);
    return S_OK;
}

HRESULT fm_text_check_name(const char *name, const char *what, size_t max_chars)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s is empty", what);
    if (!fm_utf8_valid(name, n))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s is not valid UTF-8", what);
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s holds a control character", what);
        if ((*p & 0xC0) != 0x80)
            chars++;
    }
    if (chars > max_chars)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s is longer than %zu characters", what,
                            max_chars);
    return S_OK;
}

HRESULT fm_utf8_to_utf16_mapi(const char *s, void *parent, LPWSTR *out)
{
    size_t n = strlen(s);
    *out = NULL;
    if (!fm_utf8_valid(s, n))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "string is not valid UTF-8");
    WCHAR *w;
    SCODE sc = fm_alloc_mapi((n + 1) * sizeof(WCHAR), parent, (void **)&w);
    if (sc != S_OK)
        return sc;
    fm_utf8_to_utf16_into(s, n, w, n + 1);
    *out = w;
    return S_OK;
}

HRESULT fm_utf16_to_utf8_mapi(const WCHAR *s, void *parent, LPSTR *out)
{
    size_t n = fm_utf16_len(s);
    *out = NULL;
    if (!fm_utf16_valid(s, n))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "string is not valid UTF-16");
    /* Each UTF-16 unit becomes at most 3 UTF-8 bytes (a pair becomes 4). */
    char *a;
    SCODE sc = fm_alloc_mapi(n * 3 + 1, parent, (void **)&a);
    if (sc != S_OK)
        return sc;
    fm_utf16_to_utf8_into(s, n, a);
    *out = a;
    return S_OK;
}

/* ---- folding -------------------------------------------------------------- */

static void folded_set_inline(fm_folded *out, size_t len)
{
    out->s = out->buf;
    out->len = len;
    out->heap = 0;
}

static HRESULT folded_copy_raw(fm_folded *out, const char *p, size_t n)
{
    if (n <= sizeof out->buf) {
        memcpy(out->buf, p, n);
        folded_set_inline(out, n);
        return S_OK;
    }
    char *h = fm_malloc(n);
    if (h == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory folding a string");
    memcpy(h, p, n);
    out->s = h;
    out->len = n;
    out->heap = 1;
    return S_OK;
}

/* Adopts a libunistring result, which is either out->buf or malloc'd. */
static void folded_adopt(fm_folded *out, uint8_t *r, size_t len)
{
    out->s = (char *)r;
    out->len = len;
    out->heap = ((char *)r == out->buf) ? 0 : 2;
}

static bool is_ascii(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] >= 0x80)
            return false;
    return true;
}

static HRESULT fold_ascii(const char *p, size_t n, unsigned how, fm_folded *out)
{
    HRESULT hr = folded_copy_raw(out, p, n);
    if (hr == S_OK && (how & FM_FOLD_CASE)) {
        for (size_t i = 0; i < n; i++) {
            char c = out->s[i];
            if (c >= 'A' && c <= 'Z')
                out->s[i] = (char)(c + ('a' - 'A'));
        }
    }
    return hr;
}

/* Drops non-spacing marks (general category Mn) in place. */
static void strip_nonspacing(fm_folded *out)
{
    uint8_t *s = (uint8_t *)out->s;
    size_t r = 0, w = 0;
    while (r < out->len) {
        ucs4_t uc;
        int step = u8_mbtouc(&uc, s + r, out->len - r);
        if (!uc_is_general_category(uc, UC_CATEGORY_Mn)) {
            memmove(s + w, s + r, (size_t)step);
            w += (size_t)step;
        }
        r += (size_t)step;
    }
    out->len = w;
}

static HRESULT fold_utf8(const char *p, size_t n, unsigned how, fm_folded *out)
{
    if (is_ascii(p, n))
        return fold_ascii(p, n, how, out);
    if (!fm_utf8_valid(p, n)) {
        HRESULT hr = folded_copy_raw(out, p, n);
        return hr == S_OK ? fm_error_set(MAPI_E_INVALID_PARAMETER,
                                         "string is not valid UTF-8") : hr;
    }
    if (how == 0)
        return folded_copy_raw(out, p, n);
    size_t len = sizeof out->buf;
    uint8_t *r;
    uninorm_t nf = (how & FM_FOLD_NONSPACE) ? UNINORM_NFD : NULL;
    if (how & FM_FOLD_CASE)
        r = u8_casefold((const uint8_t *)p, n, NULL, nf, (uint8_t *)out->buf, &len);
    else
        r = u8_normalize(UNINORM_NFD, (const uint8_t *)p, n, (uint8_t *)out->buf, &len);
    if (r == NULL)
        return fm_error_set(errno == ENOMEM ? MAPI_E_NOT_ENOUGH_MEMORY : MAPI_E_INVALID_PARAMETER,
                            "cannot fold string: %s", strerror(errno));
    folded_adopt(out, r, len);
    if (how & FM_FOLD_NONSPACE)
        strip_nonspacing(out);
    return S_OK;
}

HRESULT fm_text_fold(const fm_text *in, unsigned how, fm_folded *out)
{
    out->s = out->buf;
    out->len = 0;
    out->heap = 0;
    if (!in->wide)
        return fold_utf8(in->data, in->len, how, out);

    /* UTF-16: convert to UTF-8 first, into a stack buffer when it fits. */
    uint8_t tmp[FM_FOLDED_INLINE * 2];
    size_t len = sizeof tmp;
    const uint16_t *w = in->data;
    if (!fm_utf16_valid(in->data, in->len)) {
        HRESULT hr = folded_copy_raw(out, in->data, in->len * sizeof(WCHAR));
        return hr == S_OK ? fm_error_set(MAPI_E_INVALID_PARAMETER,
                                         "string is not valid UTF-16") : hr;
    }
    uint8_t *u8 = u16_to_u8(w, in->len, tmp, &len);
    if (u8 == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory converting UTF-16");
    HRESULT hr = fold_utf8((const char *)u8, len, how, out);
    if (u8 != tmp)
        free(u8);
    return hr;
}

void fm_folded_release(fm_folded *f)
{
    if (f->heap == 1)
        fm_free(f->s);
    else if (f->heap == 2)
        free(f->s);
    f->s = f->buf;
    f->len = 0;
    f->heap = 0;
}

static int compare_bytes(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    if (c != 0)
        return c < 0 ? -1 : 1;
    return an < bn ? -1 : (an > bn ? 1 : 0);
}

int fm_text_compare(const fm_text *a, const fm_text *b, unsigned how)
{
    if (how == 0 && !a->wide && !b->wide)
        return compare_bytes(a->data, a->len, b->data, b->len);
    fm_folded fa, fb;
    fm_text_fold(a, how, &fa); /* on failure fa holds the raw bytes */
    fm_text_fold(b, how, &fb);
    int c = compare_bytes(fa.s, fa.len, fb.s, fb.len);
    fm_folded_release(&fa);
    fm_folded_release(&fb);
    return c;
}
