/*
 * props/contains.c - FPropContainsProp and the matching behind RES_CONTENT:
 * does one string (or byte array) equal, start with, or contain another,
 * optionally ignoring case and non-spacing marks.
 *
 * Strings are matched on their canonical UTF-8 form (core/text.h). The
 * search string is folded once by the caller (the restriction engine does it
 * at compile time); the searched value is folded per call, without copying
 * when it is ASCII and on the stack when it is short.
 */
#include <string.h>

#include "core/error.h"
#include "mapicode.h"
#include "mapiutil.h"
#include "props/compare.h"

#define FL_MODE_MASK 0x0000FFFFu

unsigned fm_prop_fuzzy_fold(ULONG ulFuzzyLevel)
{
    unsigned how = 0;
    if (ulFuzzyLevel & (FL_IGNORECASE | FL_LOOSE))
        how |= FM_FOLD_CASE;
    if (ulFuzzyLevel & (FL_IGNORENONSPACE | FL_LOOSE))
        how |= FM_FOLD_NONSPACE;
    return how;
}

static unsigned char ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Equality of n bytes, hay lower-cased first when lower is set. */
static bool equal_at(const unsigned char *hay, const unsigned char *needle, size_t n, bool lower)
{
    if (!lower)
        return memcmp(hay, needle, n) == 0;
    for (size_t i = 0; i < n; i++)
        if (ascii_lower(hay[i]) != needle[i])
            return false;
    return true;
}

static bool find_bytes(const unsigned char *hay, size_t hn, const unsigned char *needle,
                       size_t nn, bool lower)
{
    if (nn == 0)
        return true;
    if (nn > hn)
        return false;
    unsigned char first = needle[0];
    for (size_t i = 0; i + nn <= hn; i++) {
        unsigned char c = lower ? ascii_lower(hay[i]) : hay[i];
        if (c == first && equal_at(hay + i + 1, needle + 1, nn - 1, lower))
            return true;
    }
    return false;
}

/* mode is FL_FULLSTRING, FL_SUBSTRING or FL_PREFIX. */
static bool match_mode(const void *hay, size_t hn, const void *needle, size_t nn, ULONG mode,
                       bool lower)
{
    switch (mode) {
    case FL_FULLSTRING: return hn == nn && equal_at(hay, needle, nn, lower);
    case FL_PREFIX: return hn >= nn && equal_at(hay, needle, nn, lower);
    case FL_SUBSTRING: return find_bytes(hay, hn, needle, nn, lower);
    default: return false;
    }
}

bool fm_prop_bytes_contains(const BYTE *hay, size_t hn, const BYTE *needle, size_t nn,
                            ULONG mode)
{
    if ((hay == NULL && hn > 0) || (needle == NULL && nn > 0))
        return false;
    static const BYTE none[1] = { 0 };
    return match_mode(hay ? hay : none, hn, needle ? needle : none, nn, mode, false);
}

static bool is_ascii(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] >= 0x80)
            return false;
    return true;
}

HRESULT fm_prop_text_contains(const fm_text *hay, const char *needle, size_t nlen,
                              unsigned how, ULONG mode, bool *match)
{
    *match = false;
    if (!hay->wide) {
        /* Exact matching of valid UTF-8 is byte matching. ASCII folds by
         * lower-casing in place; invalid UTF-8 cannot be folded and is
         * matched by its bytes with only ASCII letters folded. */
        if (how == 0 || is_ascii(hay->data, hay->len) ||
            !fm_utf8_valid(hay->data, hay->len)) {
            bool lower = (how & FM_FOLD_CASE) != 0;
            *match = match_mode(hay->data, hay->len, needle, nlen, mode, lower);
            return S_OK;
        }
    } else if (!fm_utf16_valid(hay->data, hay->len)) {
        return S_OK;
    }
    fm_folded f;
    HRESULT hr = fm_text_fold(hay, how, &f);
    if (hr == S_OK)
        *match = match_mode(f.s, f.len, needle, nlen, mode, false);
    fm_folded_release(&f);
    return hr == MAPI_E_NOT_ENOUGH_MEMORY ? hr : S_OK;
}

static bool is_string_value(const SPropValue *v)
{
    return fm_prop_is_string_type(PROP_TYPE(v->ulPropTag));
}

static BOOL contains_text(const SPropValue *dst, const SPropValue *src, ULONG fuzzy)
{
    unsigned how = fm_prop_fuzzy_fold(fuzzy);
    fm_text needle = fm_prop_text(src), hay = fm_prop_text(dst);
    fm_folded fn;
    HRESULT hr = fm_text_fold(&needle, how, &fn);
    bool match = false;
    if (hr == S_OK)
        hr = fm_prop_text_contains(&hay, fn.s, fn.len, how, fuzzy & FL_MODE_MASK, &match);
    fm_folded_release(&fn);
    return hr == S_OK && match;
}

STDAPI_(BOOL) FPropContainsProp(LPSPropValue lpSPropValueDst, LPSPropValue lpSPropValueSrc,
                                ULONG ulFuzzyLevel)
{
    if (lpSPropValueDst == NULL || lpSPropValueSrc == NULL)
        return FALSE;
    ULONG mode = ulFuzzyLevel & FL_MODE_MASK;
    if (mode > FL_PREFIX)
        return FALSE;
    if (is_string_value(lpSPropValueDst) && is_string_value(lpSPropValueSrc))
        return contains_text(lpSPropValueDst, lpSPropValueSrc, ulFuzzyLevel);
    if (PROP_TYPE(lpSPropValueDst->ulPropTag) == PT_BINARY &&
        PROP_TYPE(lpSPropValueSrc->ulPropTag) == PT_BINARY) {
        const SBinary *h = &lpSPropValueDst->Value.bin, *n = &lpSPropValueSrc->Value.bin;
        return fm_prop_bytes_contains(h->lpb, h->cb, n->lpb, n->cb, mode) ? TRUE : FALSE;
    }
    return FALSE;
}
