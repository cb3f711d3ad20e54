/*
 * core/text.h - the two string widths of MAPI, and comparing them.
 *
 * PT_STRING8 values are UTF-8 in freemapi; PT_UNICODE values are UTF-16
 * (WCHAR). An fm_text is a borrowed view of either. Comparison and matching
 * work on a canonical form: UTF-8, optionally case-folded (full Unicode case
 * folding, so "STRASSE" matches "straße") and optionally stripped of
 * non-spacing marks ("é" matches "e"), using libunistring.
 *
 * Folding writes into a caller-provided fm_folded whose inline buffer holds
 * short strings, so the common case allocates nothing.
 */
#ifndef FREEMAPI_CORE_TEXT_H
#define FREEMAPI_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include "mapidefs.h"

typedef struct fm_text {
    const void *data; /* char * (UTF-8) or WCHAR * (UTF-16) */
    size_t len;       /* in code units, without a terminating NUL */
    bool wide;        /* true: UTF-16 */
} fm_text;

/* Views of NUL-terminated strings. */
fm_text fm_text_utf8(const char *s);
fm_text fm_text_utf16(const WCHAR *s);

/* Folding options. */
#define FM_FOLD_CASE 0x1u     /* full Unicode case folding */
#define FM_FOLD_NONSPACE 0x2u /* decompose and drop non-spacing marks */

#define FM_FOLDED_INLINE 256

typedef struct fm_folded {
    char *s;     /* UTF-8, not NUL-terminated; points into buf or the heap */
    size_t len;  /* bytes */
    int heap;    /* 0: inline, 1: fm_malloc, 2: libunistring's malloc */
    char buf[FM_FOLDED_INLINE];
} fm_folded;

/*
 * Puts the canonical UTF-8 form of in (folded as how says) in *out.
 * S_OK; MAPI_E_INVALID_PARAMETER when in is not valid UTF-8/UTF-16 (*out is
 * then the raw bytes, unfolded, so callers may still compare exactly);
 * MAPI_E_NOT_ENOUGH_MEMORY. Always release *out with fm_folded_release.
 */
HRESULT fm_text_fold(const fm_text *in, unsigned how, fm_folded *out);
void fm_folded_release(fm_folded *f);

/*
 * Orders a and b by code point after folding as how says: <0, 0 or >0.
 * Invalid or unfoldable input compares by its raw bytes, never fails.
 */
int fm_text_compare(const fm_text *a, const fm_text *b, unsigned how);

/* Validity. n is in code units. */
bool fm_utf8_valid(const char *s, size_t n);
bool fm_utf16_valid(const WCHAR *s, size_t n);
size_t fm_utf16_len(const WCHAR *s);

/*
 * Converts n bytes of UTF-8 into dst (cap units, cap >= 1), replacing invalid
 * sequences with U+FFFD and truncating to fit; always NUL-terminates.
 * Returns units written, NUL excluded. cap >= n + 1 always suffices.
 */
size_t fm_utf8_to_utf16_into(const char *s, size_t n, WCHAR *dst, size_t cap);

/*
 * Converts n UTF-16 units into dst, which must hold 3 * n + 1 bytes; lone
 * surrogates become U+FFFD. NUL-terminates; returns bytes written, NUL
 * excluded.
 */
size_t fm_utf16_to_utf8_into(const WCHAR *s, size_t n, char *dst);

/*
 * A string argument of a MAPI method (LPTSTR: UTF-16 when wide, else UTF-8)
 * as validated UTF-8 in buf (cap bytes). NULL gives "". Errors, with text
 * naming `what`: MAPI_E_INVALID_PARAMETER (invalid encoding, too long).
 */
HRESULT fm_text_arg_utf8(const void *s, bool wide, char *buf, size_t cap, const char *what);

/*
 * Checks a name people give things (an alias, a profile name): 1 to
 * max_chars characters of valid UTF-8, no control characters. Errors:
 * MAPI_E_INVALID_PARAMETER with text naming `what` ("the alias is longer
 * than 64 characters").
 */
HRESULT fm_text_check_name(const char *name, const char *what, size_t max_chars);

/*
 * Converts a NUL-terminated string to the other width in a MAPI buffer
 * (linked to parent, or a new root when parent is NULL). S_OK,
 * MAPI_E_INVALID_PARAMETER (invalid encoding), MAPI_E_NOT_ENOUGH_MEMORY.
 */
HRESULT fm_utf8_to_utf16_mapi(const char *s, void *parent, LPWSTR *out);
HRESULT fm_utf16_to_utf8_mapi(const WCHAR *s, void *parent, LPSTR *out);

#endif /* FREEMAPI_CORE_TEXT_H */
