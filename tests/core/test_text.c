/*
 * tests/core/test_text.c - UTF-8/UTF-16 validity, conversion, Unicode
 * folding and comparison (src/core/text.c).
 */
#include <string.h>

#include <unistr.h>

#include "core/text.h"
#include "fm_test.h"
#include "mapix.h"

static int fold_equal(const fm_text *a, const fm_text *b, unsigned how)
{
    return fm_text_compare(a, b, how) == 0;
}

static void valid_and_invalid_utf8_are_told_apart(void **state)
{
    assert_true(fm_utf8_valid("plain", 5));
    assert_true(fm_utf8_valid("stra\xc3\x9f" "e", 7));
    assert_false(fm_utf8_valid("\xc3", 1));             /* truncated */
    assert_false(fm_utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
    assert_false(fm_utf8_valid("\xed\xa0\x80", 3));     /* encoded surrogate */
    assert_false(fm_utf8_valid("\xff", 1));
}

static void valid_and_invalid_utf16_are_told_apart(void **state)
{
    const WCHAR good[] = { 'a', 0xD83D, 0xDE00, 0 };
    const WCHAR lone_high[] = { 'a', 0xD83D, 'b', 0 };
    const WCHAR lone_low[] = { 0xDE00, 0 };
    assert_true(fm_utf16_valid(good, 3));
    assert_int_equal(fm_utf16_len(good), 3);
    assert_false(fm_utf16_valid(lone_high, 3));
    assert_false(fm_utf16_valid(lone_low, 1));
}

/* The quick paths (length four units a round, validity by first looking
 * for any surrogate) agree with the plain definitions: every length from 0
 * to 13, with a lone high, a lone low, a pair and a reversed pair at every
 * position. */
static void quick_length_and_validity_agree_with_the_definitions(void **state)
{
    static const WCHAR inserts[4][2] = {
        { 0xD800, 'x' }, { 0xDFFF, 'x' }, { 0xD83D, 0xDE00 }, { 0xDE00, 0xD83D } };
    for (size_t n = 0; n <= 13; n++) {
        WCHAR w[16];
        for (size_t i = 0; i < n; i++)
            w[i] = (WCHAR)('a' + i);
        w[n] = 0;
        assert_int_equal(fm_utf16_len(w), n);
        assert_true(fm_utf16_valid(w, n));
        for (size_t at = 0; at + 1 < n; at++) {
            for (int k = 0; k < 4; k++) {
                WCHAR v[16];
                memcpy(v, w, sizeof w);
                v[at] = inserts[k][0];
                v[at + 1] = inserts[k][1];
                bool want = u16_check((const uint16_t *)v, n) == NULL;
                if (fm_utf16_valid(v, n) != want)
                    fail_msg("n %zu, insert %d at %zu: valid should be %d", n, k, at, want);
                assert_int_equal(fm_utf16_len(v), n);
            }
        }
    }
}

/* Conversion into a buffer of any size stops at a whole character and
 * terminates what it wrote; ASCII, accented letters and a pair mixed. */
static void conversion_into_a_buffer_stops_at_a_whole_character(void **state)
{
    const char *s = "ab\xc3\xa9" "c\xf0\x9f\x98\x80" "d";  /* a b é c 😀 d */
    size_t n = strlen(s);
    WCHAR full[16], part[16];
    size_t all = fm_utf8_to_utf16_into(s, n, full, 16);
    assert_int_equal(all, 7);
    static const size_t whole_at[] = { 0, 1, 2, 3, 4, 6, 7 }; /* unit counts between characters */
    for (size_t cap = 1; cap <= 9; cap++) {
        size_t got = fm_utf8_to_utf16_into(s, n, part, cap);
        assert_true(got + 1 <= cap);
        assert_int_equal(part[got], 0);
        assert_memory_equal(part, full, got * sizeof(WCHAR));
        size_t best = 0;
        for (size_t k = 0; k < sizeof whole_at / sizeof *whole_at; k++)
            if (whole_at[k] + 1 <= cap)
                best = whole_at[k];
        assert_int_equal(got, best);
    }
    char back[32];
    assert_int_equal(fm_utf16_to_utf8_into(full, all, back), n);
    assert_string_equal(back, s);
}

static void conversion_round_trips_through_both_widths(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    const char *s = "Gr\xc3\xbc\xc3\x9f" "e \xf0\x9f\x98\x80";  /* Grüße 😀 */
    LPWSTR w;
    LPSTR back;
    assert_int_equal(fm_utf8_to_utf16_mapi(s, NULL, &w), S_OK);
    assert_int_equal(fm_utf16_len(w), 8); /* G r ü ß e space + surrogate pair */
    assert_int_equal(w[6], 0xD83D);
    assert_int_equal(fm_utf16_to_utf8_mapi(w, w, &back), S_OK);
    assert_string_equal(back, s);
    MAPIFreeBuffer(w);
    fm_test_assert_no_leak(&b);
}

static void conversion_refuses_invalid_input_with_text(void **state)
{
    LPWSTR w = (LPWSTR)1;
    LPSTR a = (LPSTR)1;
    const WCHAR bad[] = { 0xDC00, 0 };
    assert_int_equal(fm_utf8_to_utf16_mapi("\xc3", NULL, &w), MAPI_E_INVALID_PARAMETER);
    assert_null(w);
    assert_non_null(strstr(fmapi_last_error(), "UTF-8"));
    assert_int_equal(fm_utf16_to_utf8_mapi(bad, NULL, &a), MAPI_E_INVALID_PARAMETER);
    assert_null(a);
    assert_non_null(strstr(fmapi_last_error(), "UTF-16"));
}

static void into_buffer_conversion_truncates_and_replaces(void **state)
{
    WCHAR out[4];
    assert_int_equal(fm_utf8_to_utf16_into("abcdef", 6, out, 4), 3);
    assert_int_equal(out[3], 0);
    assert_int_equal(fm_utf8_to_utf16_into("a\xff", 2, out, 4), 2);
    assert_int_equal(out[1], 0xFFFD);
}

static void case_folding_is_full_unicode_folding(void **state)
{
    fm_text a = fm_text_utf8("STRASSE");
    fm_text b = fm_text_utf8("stra\xc3\x9f" "e");
    assert_true(fold_equal(&a, &b, FM_FOLD_CASE));
    assert_false(fold_equal(&a, &b, 0));
    fm_text c = fm_text_utf8("\xce\xa3\xce\x9f\xce\xa6\xce\x99\xce\x91"); /* ΣΟΦΙΑ */
    fm_text d = fm_text_utf8("\xcf\x83\xce\xbf\xcf\x86\xce\xb9\xce\xb1"); /* σοφια */
    assert_true(fold_equal(&c, &d, FM_FOLD_CASE));
}

static void nonspace_folding_strips_accents_only_when_asked(void **state)
{
    fm_text a = fm_text_utf8("\xc3\x89lan");  /* Élan, precomposed */
    fm_text b = fm_text_utf8("elan");
    fm_text c = fm_text_utf8("E\xcc\x81lan"); /* E + combining acute */
    assert_false(fold_equal(&a, &b, FM_FOLD_CASE));
    assert_true(fold_equal(&a, &b, FM_FOLD_CASE | FM_FOLD_NONSPACE));
    assert_true(fold_equal(&a, &c, FM_FOLD_NONSPACE));
    assert_false(fold_equal(&a, &b, FM_FOLD_NONSPACE)); /* case still matters */
}

static void utf8_and_utf16_compare_as_the_same_text(void **state)
{
    const WCHAR w[] = { 'H', 0xE9, 'l', 'l', 'o', 0 };
    fm_text a = fm_text_utf16(w);
    fm_text b = fm_text_utf8("H\xc3\xa9llo");
    fm_text c = fm_text_utf8("h\xc3\x89LLO");
    assert_int_equal(fm_text_compare(&a, &b, 0), 0);
    assert_int_equal(fm_text_compare(&a, &c, FM_FOLD_CASE), 0);
    assert_true(fm_text_compare(&a, &c, 0) != 0);
}

static void comparison_orders_by_code_point(void **state)
{
    fm_text a = fm_text_utf8("abc");
    fm_text b = fm_text_utf8("abd");
    fm_text ab = fm_text_utf8("ab");
    const WCHAR astral[] = { 0xD83D, 0xDE00, 0 }; /* U+1F600 */
    const WCHAR bmp_high[] = { 0xFFFD, 0 };
    fm_text x = fm_text_utf16(astral), y = fm_text_utf16(bmp_high);
    assert_true(fm_text_compare(&a, &b, 0) < 0);
    assert_true(fm_text_compare(&b, &a, 0) > 0);
    assert_true(fm_text_compare(&ab, &a, 0) < 0);
    /* code point order, not UTF-16 unit order: U+1F600 > U+FFFD */
    assert_true(fm_text_compare(&x, &y, 0) > 0);
}

static void invalid_input_compares_by_raw_bytes_without_crashing(void **state)
{
    fm_text bad = { "\xff\xfe", 2, false };
    fm_text same = { "\xff\xfe", 2, false };
    fm_text other = fm_text_utf8("a");
    assert_int_equal(fm_text_compare(&bad, &same, FM_FOLD_CASE), 0);
    assert_true(fm_text_compare(&bad, &other, FM_FOLD_CASE) != 0);
}

static void long_strings_fold_through_the_heap_and_release(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    char big[2000], big2[2000];
    for (size_t i = 0; i < sizeof big - 1; i++) {
        big[i] = (char)('A' + i % 26);
        big2[i] = (char)('a' + i % 26);
    }
    big[sizeof big - 1] = big2[sizeof big2 - 1] = '\0';
    fm_text a = fm_text_utf8(big), c = fm_text_utf8(big2);
    fm_folded f;
    assert_int_equal(fm_text_fold(&a, FM_FOLD_CASE, &f), S_OK);
    assert_int_equal(f.len, sizeof big - 1);
    assert_int_equal(f.heap, 1);
    assert_memory_equal(f.s, big2, f.len);
    fm_folded_release(&f);
    assert_int_equal(fm_text_compare(&a, &c, FM_FOLD_CASE), 0);
    /* non-ASCII long string: libunistring's own buffer, released too */
    char acc[3000];
    size_t n = 0;
    while (n + 2 < sizeof acc - 1) {
        acc[n++] = '\xc3';
        acc[n++] = '\x89';
    }
    acc[n] = '\0';
    fm_text e = fm_text_utf8(acc);
    assert_int_equal(fm_text_fold(&e, FM_FOLD_CASE | FM_FOLD_NONSPACE, &f), S_OK);
    assert_int_equal(f.len, n / 2); /* each É becomes e */
    fm_folded_release(&f);
    fm_test_assert_no_leak(&b);
}

static void method_string_arguments_become_checked_utf8(void **state)
{
    char buf[16];
    assert_int_equal(fm_text_arg_utf8(NULL, false, buf, sizeof buf, "x"), S_OK);
    assert_string_equal(buf, "");
    assert_int_equal(fm_text_arg_utf8("caf\xc3\xa9", false, buf, sizeof buf, "x"), S_OK);
    assert_string_equal(buf, "caf\xc3\xa9");
    assert_int_equal(fm_text_arg_utf8(u"caf\u00E9", true, buf, sizeof buf, "x"), S_OK);
    assert_string_equal(buf, "caf\xc3\xa9");
    const WCHAR lone[] = { 0xD800, 0 };
    assert_int_equal(fm_text_arg_utf8(lone, true, buf, sizeof buf, "the name"),
                     MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "the name is not valid UTF-16"));
    assert_int_equal(fm_text_arg_utf8("\xc3", false, buf, sizeof buf, "x"),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_text_arg_utf8("0123456789abcdef", false, buf, sizeof buf, "x"),
                     MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "too long"));
}

static HRESULT convert_both_ways(void *ctx)
{
    LPWSTR w;
    LPSTR a;
    HRESULT hr = fm_utf8_to_utf16_mapi((const char *)ctx, NULL, &w);
    if (hr != S_OK)
        return hr;
    hr = fm_utf16_to_utf8_mapi(w, w, &a);
    MAPIFreeBuffer(w);
    return hr;
}

static void conversion_survives_every_allocation_failure(void **state)
{
    assert_true(fm_test_oom_sweep(convert_both_ways, "d\xc3\xa9j\xc3\xa0 vu") >= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_and_invalid_utf8_are_told_apart),
        cmocka_unit_test(valid_and_invalid_utf16_are_told_apart),
        cmocka_unit_test(quick_length_and_validity_agree_with_the_definitions),
        cmocka_unit_test(conversion_into_a_buffer_stops_at_a_whole_character),
        cmocka_unit_test(conversion_round_trips_through_both_widths),
        cmocka_unit_test(conversion_refuses_invalid_input_with_text),
        cmocka_unit_test(into_buffer_conversion_truncates_and_replaces),
        cmocka_unit_test(case_folding_is_full_unicode_folding),
        cmocka_unit_test(nonspace_folding_strips_accents_only_when_asked),
        cmocka_unit_test(utf8_and_utf16_compare_as_the_same_text),
        cmocka_unit_test(comparison_orders_by_code_point),
        cmocka_unit_test(invalid_input_compares_by_raw_bytes_without_crashing),
        cmocka_unit_test(long_strings_fold_through_the_heap_and_release),
        cmocka_unit_test(method_string_arguments_become_checked_utf8),
        cmocka_unit_test(conversion_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
