/*
 * tests/mime/test_text.c - the converter's UTF-8 <-> UTF-16 code: whole
 * strings, chunked input split at every byte, invalid sequences, lone and
 * split surrogates, and the helpers for times and error text.
 */
#include "mime_fixture.h"
#include "mime/mime.h"

/* Feeds s to the decoder in chunks of size step; returns units. */
static size_t decode_chunked(const char *s, size_t n, size_t step, WCHAR *out)
{
    fm_utf8_decoder d = { { 0 }, 0 };
    size_t w = 0;
    for (size_t i = 0; i < n; i += step) {
        size_t len = n - i < step ? n - i : step;
        w += fm_mime_utf8_feed(&d, s + i, len, out + w, i + len >= n);
    }
    if (n == 0)
        w += fm_mime_utf8_feed(&d, "", 0, out, true);
    return w;
}

static void utf8_decodes_the_same_whatever_the_chunking(void **state)
{
    const char s[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z"; /* a é € 😀 z */
    const WCHAR want[] = { 'a', 0xE9, 0x20AC, 0xD83D, 0xDE00, 'z' };
    size_t n = sizeof s - 1;
    for (size_t step = 1; step <= n; step++) {
        WCHAR out[64];
        size_t w = decode_chunked(s, n, step, out);
        assert_int_equal(w, 6);
        assert_memory_equal(out, want, sizeof want);
    }
}

static void invalid_utf8_becomes_replacement_characters(void **state)
{
    struct {
        const char *in;
        size_t units;
        WCHAR first, second;
    } cases[] = {
        { "\xFF", 1, 0xFFFD, 0 },             /* never a lead byte */
        { "\xC0\x80", 2, 0xFFFD, 0xFFFD },    /* overlong NUL: two bad bytes */
        { "\xE2\x82", 1, 0xFFFD, 0 },         /* truncated at the end */
        { "\xE2(", 2, 0xFFFD, '(' },          /* broken by an ASCII byte */
        { "\xED\xA0\x80", 1, 0xFFFD, 0 },     /* an encoded surrogate */
        { "\xF4\x90\x80\x80", 1, 0xFFFD, 0 }, /* beyond U+10FFFF */
        { "\x80x", 2, 0xFFFD, 'x' },          /* a lone continuation byte */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        for (size_t step = 1; step <= strlen(cases[i].in); step++) {
            WCHAR out[16];
            size_t w = decode_chunked(cases[i].in, strlen(cases[i].in), step, out);
            assert_int_equal(w, cases[i].units);
            assert_int_equal(out[0], cases[i].first);
            if (w > 1)
                assert_int_equal(out[1], cases[i].second);
        }
    }
}

static void utf16_encodes_pairs_split_across_chunks(void **state)
{
    const WCHAR in[] = { 'a', 0xD83D, 0xDE00, 0xDC00, 'b', 0xD800 };
    /* a 😀 (lone low) b (lone high at the end) */
    const char want[] = "a\xF0\x9F\x98\x80\xEF\xBF\xBD" "b\xEF\xBF\xBD";
    for (size_t step = 1; step <= 6; step++) {
        fm_utf16_encoder e = { 0 };
        char out[64];
        size_t w = 0;
        for (size_t i = 0; i < 6; i += step) {
            size_t len = 6 - i < step ? 6 - i : step;
            w += fm_mime_utf16_feed(&e, in + i, len, out + w, i + len >= 6);
        }
        assert_int_equal(w, sizeof want - 1);
        assert_memory_equal(out, want, w);
    }
    /* A high surrogate followed by a non-surrogate. */
    fm_utf16_encoder e = { 0 };
    const WCHAR broken[] = { 0xD800, 'x' };
    char out[16];
    size_t w = fm_mime_utf16_feed(&e, broken, 2, out, true);
    assert_int_equal(w, 4);
    assert_memory_equal(out, "\xEF\xBF\xBDx", 4);
}

static void whole_strings_go_to_mapi_buffers(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    WCHAR *w = NULL;
    assert_int_equal(fm_mime_utf16("h\xC3\xA9", 3, NULL, &w), S_OK);
    assert_int_equal(w[0], 'h');
    assert_int_equal(w[1], 0xE9);
    assert_int_equal(w[2], 0);
    /* Linked to a parent, freed with it. */
    WCHAR *child = NULL;
    assert_int_equal(fm_mime_utf16("x", 1, w, &child), S_OK);
    assert_int_equal(child[0], 'x');
    MAPIFreeBuffer(w);
    fm_test_assert_no_leak(&b);
    fmapi_alloc_fail_nth(1);
    assert_int_equal(fm_mime_utf16("x", 1, NULL, &w), MAPI_E_NOT_ENOUGH_MEMORY);
    fmapi_alloc_fail_off();
    assert_non_null(strstr(fmapi_mime_last_error(), "out of memory"));
    char s[] = "ok \xFF\xC3 \xEF\xBF\xBD end";
    fm_mime_utf8_scrub(s);
    assert_string_equal(s, "ok ?? \xEF\xBF\xBD end");
}

static void memory_helpers_and_times(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    char *p = fm_mime_alloc(10);
    memcpy(p, "123456789", 10);
    p = fm_mime_realloc(p, 10, 100);
    assert_string_equal(p, "123456789");
    char *d = fm_mime_strdup("copy");
    assert_string_equal(d, "copy");
    fm_mime_free(d);
    fm_mime_free(p);
    fm_mime_free(NULL);
    fm_test_assert_no_leak(&b);
    fmapi_alloc_fail_nth(1);
    assert_null(fm_mime_alloc(10));
    fmapi_alloc_fail_off();
    FILETIME ft = fm_mime_filetime(1672740000);
    assert_int_equal(fm_mime_unix_time(ft), 1672740000);
    assert_int_equal(fm_test_unix(ft), 1672740000);
    ft = fm_mime_filetime(0);
    assert_int_equal(((uint64_t)ft.dwHighDateTime << 32 | ft.dwLowDateTime),
                     116444736000000000ULL);
    assert_int_equal(fm_mime_fail(MAPI_E_CALL_FAILED, "text %d", 7), MAPI_E_CALL_FAILED);
    assert_string_equal(fmapi_mime_last_error(), "text 7");
    fm_mime_clear_error();
    assert_string_equal(fmapi_mime_last_error(), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_decodes_the_same_whatever_the_chunking),
        cmocka_unit_test(invalid_utf8_becomes_replacement_characters),
        cmocka_unit_test(utf16_encodes_pairs_split_across_chunks),
        cmocka_unit_test(whole_strings_go_to_mapi_buffers),
        cmocka_unit_test(memory_helpers_and_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
