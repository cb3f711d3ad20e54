/*
 * tests/props/test_contains.c - FPropContainsProp: FL_FULLSTRING, FL_PREFIX
 * and FL_SUBSTRING with FL_IGNORECASE, FL_IGNORENONSPACE and FL_LOOSE over
 * PT_STRING8, PT_UNICODE (mixed too) and PT_BINARY.
 */
#include <string.h>

#include "../restrict/rtest.h"
#include "props/compare.h"

static BOOL contains(SPropValue hay, SPropValue needle, ULONG fuzzy)
{
    return FPropContainsProp(&hay, &needle, fuzzy);
}

static void fullstring_prefix_and_substring_match_as_documented(void **state)
{
    SPropValue hay = pv_str8(1, "Quarterly report");
    assert_true(contains(hay, pv_str8(2, "Quarterly report"), FL_FULLSTRING));
    assert_false(contains(hay, pv_str8(2, "Quarterly"), FL_FULLSTRING));
    assert_true(contains(hay, pv_str8(2, "Quarterly"), FL_PREFIX));
    assert_false(contains(hay, pv_str8(2, "report"), FL_PREFIX));
    assert_true(contains(hay, pv_str8(2, "report"), FL_SUBSTRING));
    assert_true(contains(hay, pv_str8(2, "rly rep"), FL_SUBSTRING));
    assert_false(contains(hay, pv_str8(2, "reports"), FL_SUBSTRING));
    assert_true(contains(hay, pv_str8(2, ""), FL_SUBSTRING));
    assert_true(contains(hay, pv_str8(2, ""), FL_PREFIX));
    assert_false(contains(hay, pv_str8(2, ""), FL_FULLSTRING));
    assert_false(contains(pv_str8(1, "ab"), pv_str8(2, "abc"), FL_PREFIX));
}

static void matching_is_case_sensitive_unless_ignorecase(void **state)
{
    SPropValue hay = pv_str8(1, "Quarterly Report");
    assert_false(contains(hay, pv_str8(2, "report"), FL_SUBSTRING));
    assert_true(contains(hay, pv_str8(2, "report"), FL_SUBSTRING | FL_IGNORECASE));
    assert_true(contains(hay, pv_str8(2, "QUARTERLY REPORT"), FL_FULLSTRING | FL_IGNORECASE));
    assert_true(contains(hay, pv_str8(2, "qUaR"), FL_PREFIX | FL_IGNORECASE));
}

static void ignorecase_uses_full_unicode_case_folding(void **state)
{
    assert_true(contains(pv_str8(1, "STRASSE"), pv_str8(2, "stra\xC3\x9F" "e"),
                         FL_FULLSTRING | FL_IGNORECASE));
    assert_true(contains(pv_str8(1, "Gro\xC3\x9F" "e Stra\xC3\x9F" "e"), pv_str8(2, "STRASSE"),
                         FL_SUBSTRING | FL_IGNORECASE));
    assert_false(contains(pv_str8(1, "STRASSE"), pv_str8(2, "stra\xC3\x9F" "e"), FL_FULLSTRING));
    assert_true(contains(pv_wstr(1, u"\u0394\u0395\u039B\u03A4\u0391"), pv_str8(2, "\xCE\xB4\xCE\xB5"),
                         FL_PREFIX | FL_IGNORECASE)); /* ΔΕΛΤΑ starts with δε */
}

static void ignorenonspace_drops_accents(void **state)
{
    SPropValue elan = pv_str8(1, "\xC3\x89lan vital"); /* Élan vital */
    assert_false(contains(elan, pv_str8(2, "Elan"), FL_PREFIX));
    assert_true(contains(elan, pv_str8(2, "Elan"), FL_PREFIX | FL_IGNORENONSPACE));
    assert_false(contains(elan, pv_str8(2, "elan"), FL_PREFIX | FL_IGNORENONSPACE));
    assert_true(contains(elan, pv_str8(2, "elan"), FL_PREFIX | FL_IGNORENONSPACE | FL_IGNORECASE));
    assert_true(contains(elan, pv_str8(2, "ELAN VITAL"), FL_FULLSTRING | FL_LOOSE));
    /* decomposed input: E + combining acute */
    assert_true(contains(pv_wstr(1, u"E\u0301lan"), pv_str8(2, "Elan"),
                         FL_FULLSTRING | FL_IGNORENONSPACE));
}

static void string8_and_unicode_match_each_other(void **state)
{
    assert_true(contains(pv_wstr(1, u"na\u00EFve caf\u00E9"), pv_str8(2, "caf\xC3\xA9"),
                         FL_SUBSTRING));
    assert_true(contains(pv_str8(1, "na\xC3\xAFve"), pv_wstr(2, u"NA\u00CFVE"),
                         FL_FULLSTRING | FL_IGNORECASE));
    assert_true(contains(pv_wstr(1, u"Hello"), pv_wstr(2, u"ell"), FL_SUBSTRING));
    assert_false(contains(pv_wstr(1, u"Hello"), pv_wstr(2, u"ELL"), FL_SUBSTRING));
}

static void binary_values_match_bytes_exactly(void **state)
{
    const BYTE hay[] = { 0x00, 0x41, 0x42, 0x00, 0xFF };
    const BYTE mid[] = { 0x42, 0x00 }, head[] = { 0x00, 0x41 }, low[] = { 0x61 };
    assert_true(contains(pv_bin(1, hay, 5), pv_bin(2, mid, 2), FL_SUBSTRING));
    assert_false(contains(pv_bin(1, hay, 5), pv_bin(2, mid, 2), FL_PREFIX));
    assert_true(contains(pv_bin(1, hay, 5), pv_bin(2, head, 2), FL_PREFIX));
    assert_true(contains(pv_bin(1, hay, 5), pv_bin(2, hay, 5), FL_FULLSTRING));
    assert_false(contains(pv_bin(1, hay, 5), pv_bin(2, hay, 4), FL_FULLSTRING));
    /* case flags apply to strings only */
    assert_false(contains(pv_bin(1, "A", 1), pv_bin(2, low, 1), FL_FULLSTRING | FL_IGNORECASE));
    assert_true(contains(pv_bin(1, NULL, 0), pv_bin(2, NULL, 0), FL_FULLSTRING));
}

static void differing_or_unsupported_types_give_false(void **state)
{
    assert_false(contains(pv_str8(1, "abc"), pv_bin(2, "abc", 3), FL_SUBSTRING));
    assert_false(contains(pv_bin(1, "abc", 3), pv_str8(2, "abc"), FL_SUBSTRING));
    assert_false(contains(pv_long(1, 5), pv_long(2, 5), FL_FULLSTRING));
    char *mv[] = { "abc" };
    assert_false(contains(pv_mvstr8(1, mv, 1), pv_str8(2, "abc"), FL_FULLSTRING));
    assert_false(contains(pv_str8(1, "abc"), pv_str8(2, "abc"), 3)); /* no such mode */
    SPropValue s = pv_str8(1, "x");
    assert_false(FPropContainsProp(NULL, &s, FL_SUBSTRING));
    assert_false(FPropContainsProp(&s, NULL, FL_SUBSTRING));
}

static void invalid_utf8_is_matched_by_bytes_folding_only_ascii(void **state)
{
    SPropValue bad = pv_str8(1, "ab\xFF" "CD\xC3\x89");
    assert_true(contains(bad, pv_str8(2, "CD"), FL_SUBSTRING));
    assert_false(contains(bad, pv_str8(2, "cd"), FL_SUBSTRING));
    assert_true(contains(bad, pv_str8(2, "cd"), FL_SUBSTRING | FL_IGNORECASE));
    /* an invalid search string never matches */
    assert_false(contains(bad, pv_str8(2, "\xFF" "C"), FL_SUBSTRING));
    /* É is not folded in a string that cannot be decoded */
    assert_false(contains(bad, pv_str8(2, "\xC3\xA9"), FL_SUBSTRING | FL_IGNORECASE));
    assert_false(contains(bad, pv_str8(2, "CDE"), FL_SUBSTRING | FL_IGNORENONSPACE));
    assert_true(contains(bad, pv_str8(2, "ab"), FL_PREFIX | FL_LOOSE));
    WCHAR lone[] = { 'a', 0xD800, 'b', 0 };
    assert_false(contains(pv_wstr(1, lone), pv_str8(2, "a"), FL_PREFIX));
}

static void long_strings_are_folded_beyond_the_inline_buffer(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    char hay[2000], needle[700];
    for (size_t i = 0; i < sizeof hay - 1; i++)
        hay[i] = (char)('A' + i % 26);
    hay[sizeof hay - 1] = '\0';
    memcpy(needle, hay + 1000, sizeof needle - 1);
    needle[sizeof needle - 1] = '\0';
    for (size_t i = 0; i < sizeof needle - 1; i++)
        needle[i] = (char)(needle[i] + ('a' - 'A'));
    assert_true(contains(pv_str8(1, hay), pv_str8(2, needle), FL_SUBSTRING | FL_IGNORECASE));
    assert_false(contains(pv_str8(1, hay), pv_str8(2, needle), FL_SUBSTRING));
    fm_test_assert_no_leak(&b);
}

typedef struct contains_case {
    const char *hay, *needle;
} contains_case;

static HRESULT contains_long_body(void *ctx)
{
    const contains_case *c = ctx;
    SPropValue h = pv_str8(1, c->hay), n = pv_str8(2, c->needle);
    BOOL r = FPropContainsProp(&h, &n, FL_SUBSTRING | FL_IGNORECASE);
    /* FALSE under injected failure is the documented degradation */
    (void)r;
    return S_OK;
}

static void containment_leaks_nothing_under_allocation_failure(void **state)
{
    char hay[600], needle[400];
    memset(hay, 'x', sizeof hay - 1);
    hay[sizeof hay - 1] = '\0';
    memset(needle, 'X', sizeof needle - 1);
    needle[sizeof needle - 1] = '\0';
    contains_case c = { hay, needle };
    assert_true(fm_test_oom_sweep(contains_long_body, &c) >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fullstring_prefix_and_substring_match_as_documented),
        cmocka_unit_test(matching_is_case_sensitive_unless_ignorecase),
        cmocka_unit_test(ignorecase_uses_full_unicode_case_folding),
        cmocka_unit_test(ignorenonspace_drops_accents),
        cmocka_unit_test(string8_and_unicode_match_each_other),
        cmocka_unit_test(binary_values_match_bytes_exactly),
        cmocka_unit_test(differing_or_unsupported_types_give_false),
        cmocka_unit_test(invalid_utf8_is_matched_by_bytes_folding_only_ascii),
        cmocka_unit_test(long_strings_are_folded_beyond_the_inline_buffer),
        cmocka_unit_test(containment_leaks_nothing_under_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
