/*
 * core/regex.c - the PCRE2 wrapper behind RELOP_RE (see regex.h).
 *
 * PCRE2 is given general contexts whose malloc/free are freemapi's, so its
 * memory is counted by the allocator and fails under failure injection like
 * everything else.
 */
#define PCRE2_CODE_UNIT_WIDTH 0
#include <pcre2.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/regex.h"
#include "mapicode.h"

struct fm_regex {
    pcre2_general_context_8 *g8;
    pcre2_code_8 *code8;
    pcre2_match_data_8 *md8;
    pcre2_match_context_8 *mc8;
    pcre2_general_context_16 *g16;
    pcre2_code_16 *code16;
    pcre2_match_data_16 *md16;
    pcre2_match_context_16 *mc16;
};

#define FM_REGEX_OPTIONS (PCRE2_UTF | PCRE2_UCP)

static void *re_malloc(PCRE2_SIZE size, void *data)
{
    (void)data;
    return fm_malloc(size);
}

static void re_free(void *p, void *data)
{
    (void)data;
    fm_free(p);
}

void fm_regex_free(fm_regex *re)
{
    if (re == NULL)
        return;
    pcre2_match_data_free_8(re->md8);
    pcre2_match_context_free_8(re->mc8);
    pcre2_code_free_8(re->code8);
    pcre2_general_context_free_8(re->g8);
    pcre2_match_data_free_16(re->md16);
    pcre2_match_context_free_16(re->mc16);
    pcre2_code_free_16(re->code16);
    pcre2_general_context_free_16(re->g16);
    fm_free(re);
}

static HRESULT compile_error(int code, PCRE2_SIZE offset)
{
    if (code == PCRE2_ERROR_NOMEMORY || code == PCRE2_ERROR_HEAP_FAILED)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory compiling a RELOP_RE pattern");
    PCRE2_UCHAR8 msg[160];
    if (pcre2_get_error_message_8(code, msg, sizeof msg) < 0)
        msg[0] = '\0';
    return fm_error_set(MAPI_E_INVALID_PARAMETER, "RELOP_RE pattern is invalid at offset %zu: %s",
                        (size_t)offset, (const char *)msg);
}

static HRESULT oom(void)
{
    return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory compiling a RELOP_RE pattern");
}

static HRESULT compile8(fm_regex *re, const char *p, size_t n)
{
    re->g8 = pcre2_general_context_create_8(re_malloc, re_free, NULL);
    if (re->g8 == NULL)
        return oom();
    pcre2_compile_context_8 *cc = pcre2_compile_context_create_8(re->g8);
    if (cc == NULL)
        return oom();
    int err = 0;
    PCRE2_SIZE off = 0;
    re->code8 = pcre2_compile_8((PCRE2_SPTR8)p, n, FM_REGEX_OPTIONS, &err, &off, cc);
    pcre2_compile_context_free_8(cc);
    if (re->code8 == NULL)
        return compile_error(err, off);
    re->md8 = pcre2_match_data_create_from_pattern_8(re->code8, re->g8);
    re->mc8 = pcre2_match_context_create_8(re->g8);
    return (re->md8 && re->mc8) ? S_OK : oom();
}

static HRESULT compile16(fm_regex *re, const WCHAR *p, size_t n)
{
    re->g16 = pcre2_general_context_create_16(re_malloc, re_free, NULL);
    if (re->g16 == NULL)
        return oom();
    pcre2_compile_context_16 *cc = pcre2_compile_context_create_16(re->g16);
    if (cc == NULL)
        return oom();
    int err = 0;
    PCRE2_SIZE off = 0;
    re->code16 = pcre2_compile_16((PCRE2_SPTR16)p, n, FM_REGEX_OPTIONS, &err, &off, cc);
    pcre2_compile_context_free_16(cc);
    if (re->code16 == NULL)
        return compile_error(err, off);
    re->md16 = pcre2_match_data_create_from_pattern_16(re->code16, re->g16);
    re->mc16 = pcre2_match_context_create_16(re->g16);
    return (re->md16 && re->mc16) ? S_OK : oom();
}

/* Compiles the other width from a UTF-8 pattern. */
static HRESULT compile_from_utf8(fm_regex *re, const char *p, size_t n)
{
    HRESULT hr = compile8(re, p, n);
    if (hr != S_OK)
        return hr;
    WCHAR *w = fm_malloc((n + 1) * sizeof(WCHAR));
    if (w == NULL)
        return oom();
    size_t wn = fm_utf8_to_utf16_into(p, n, w, n + 1);
    hr = compile16(re, w, wn);
    fm_free(w);
    return hr;
}

static HRESULT compile_from_utf16(fm_regex *re, const fm_text *pattern)
{
    HRESULT hr = compile16(re, pattern->data, pattern->len);
    if (hr != S_OK)
        return hr;
    fm_folded u8;
    hr = fm_text_fold(pattern, 0, &u8);
    if (hr == S_OK)
        hr = compile8(re, u8.s, u8.len);
    fm_folded_release(&u8);
    return hr;
}

HRESULT fm_regex_compile(const fm_text *pattern, fm_regex **out)
{
    *out = NULL;
    bool valid = pattern->wide ? fm_utf16_valid(pattern->data, pattern->len)
                               : fm_utf8_valid(pattern->data, pattern->len);
    if (!valid)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "RELOP_RE pattern is not valid %s", pattern->wide ? "UTF-16" : "UTF-8");
    fm_regex *re = fm_calloc(1, sizeof *re);
    if (re == NULL)
        return oom();
    HRESULT hr = pattern->wide ? compile_from_utf16(re, pattern)
                               : compile_from_utf8(re, pattern->data, pattern->len);
    if (hr != S_OK) {
        fm_regex_free(re);
        return hr;
    }
    *out = re;
    return S_OK;
}

static HRESULT match_result(int rc, bool *match)
{
    *match = rc >= 0;
    if (rc == PCRE2_ERROR_NOMEMORY)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory matching a RELOP_RE pattern");
    return S_OK; /* no match, invalid UTF subject, or a match or heap limit */
}

HRESULT fm_regex_match(fm_regex *re, const fm_text *subject, bool *match)
{
    int rc;
    if (subject->wide)
        rc = pcre2_match_16(re->code16, (PCRE2_SPTR16)subject->data, subject->len, 0, 0,
                            re->md16, re->mc16);
    else
        rc = pcre2_match_8(re->code8, (PCRE2_SPTR8)subject->data, subject->len, 0, 0,
                           re->md8, re->mc8);
    return match_result(rc, match);
}
