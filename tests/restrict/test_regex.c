/*
 * tests/restrict/test_regex.c - RELOP_RE: PCRE2 with UTF on both string
 * widths, multi-valued strings, invalid subjects and invalid patterns.
 */
#include "rtest.h"

static BOOL re(SPropValue rowval, const char *pattern)
{
    SPropValue p = pv_str8(PROP_ID(rowval.ulPropTag), pattern);
    SRestriction r = r_prop(RELOP_RE, rowval.ulPropTag, &p);
    return rt_eval(&r, 1, &rowval);
}

static void patterns_match_anywhere_unless_anchored(void **state)
{
    assert_true(re(pv_str8(0x37, "Invoice #4411 due"), "#\\d+"));
    assert_false(re(pv_str8(0x37, "Invoice #4411 due"), "^#\\d+"));
    assert_true(re(pv_str8(0x37, "Invoice #4411 due"), "^Invoice.*due$"));
    assert_true(re(pv_str8(0x37, "abc"), "(?i)ABC"));
}

static void utf_is_on_for_both_widths(void **state)
{
    assert_true(re(pv_str8(0x37, "caf\xC3\xA9"), "^caf.$"));     /* é is one character */
    assert_true(re(pv_wstr(0x37, u"caf\u00E9"), "^caf.$"));
    assert_true(re(pv_wstr(0x37, u"\U0001F600!"), "^.!$"));       /* a surrogate pair */
    assert_true(re(pv_wstr(0x37, u"\u00C9LAN"), "^\\w+$"));       /* UCP: É is a word char */
    SPropValue wp = pv_wstr(0x37, u"^stra\u00DFe$");
    SPropValue row = pv_str8(0x37, "stra\xC3\x9F" "e");
    SRestriction r = r_prop(RELOP_RE, TAG(PT_STRING8, 0x37), &wp);
    assert_true(rt_eval(&r, 1, &row));
}

static void multivalued_strings_match_when_any_value_does(void **state)
{
    char *v[] = { "alpha", "beta42" };
    SPropValue row = pv_mvstr8(0x8000, v, 2);
    SPropValue p = pv_str8(0x8000, "\\d$");
    SRestriction r = r_prop(RELOP_RE, TAG(PT_MV_STRING8, 0x8000), &p);
    assert_true(rt_eval(&r, 1, &row));
    v[1] = "beta";
    assert_false(rt_eval(&r, 1, &row));
}

static void invalid_utf8_subject_never_matches(void **state)
{
    assert_false(re(pv_str8(0x37, "ab\xFF"), "ab"));
    assert_false(re(pv_str8(0x37, "ab\xFF"), ".*"));
    WCHAR lone[] = { 'a', 0xD800, 0 };
    assert_false(re(pv_wstr(0x37, lone), "a"));
}

static void bad_patterns_and_types_are_refused_with_text(void **state)
{
    SPropValue p = pv_str8(0x37, "([a-z]");
    SRestriction r = r_prop(RELOP_RE, TAG(PT_STRING8, 0x37), &p);
    const char *why = rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(why, "RELOP_RE"));
    assert_non_null(strstr(why, "offset"));
    p = pv_str8(0x37, "\xC3(");
    rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER);
    SPropValue n = pv_long(1, 3);
    r = r_prop(RELOP_RE, TAG(PT_LONG, 1), &n);
    rt_compile_fails(&r, MAPI_E_TOO_COMPLEX);
}

static void pattern_is_compiled_once_and_reused(void **state)
{
    SPropValue p = pv_str8(0x37, "^x+$");
    SRestriction res = r_prop(RELOP_RE, TAG(PT_STRING8, 0x37), &p);
    fmapi_restriction *r;
    assert_int_equal(fmapi_restriction_compile(&res, 0, &r), S_OK);
    SPropValue row = pv_str8(0x37, "xxxx");
    BOOL m;
    assert_int_equal(fmapi_restriction_eval(r, 1, &row, NULL, &m), S_OK); /* warm up */
    fmapi_alloc_stats before, after;
    fmapi_alloc_get_stats(&before);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(fmapi_restriction_eval(r, 1, &row, NULL, &m), S_OK);
        assert_true(m);
    }
    fmapi_alloc_get_stats(&after);
    assert_int_equal(after.total_allocations, before.total_allocations);
    fmapi_restriction_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(patterns_match_anywhere_unless_anchored),
        cmocka_unit_test(utf_is_on_for_both_widths),
        cmocka_unit_test(multivalued_strings_match_when_any_value_does),
        cmocka_unit_test(invalid_utf8_subject_never_matches),
        cmocka_unit_test(bad_patterns_and_types_are_refused_with_text),
        cmocka_unit_test(pattern_is_compiled_once_and_reused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
