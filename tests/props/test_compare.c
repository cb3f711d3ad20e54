/*
 * tests/props/test_compare.c - LPropCompareProp, FPropCompareProp and the
 * internal value comparator and size function, for every property type.
 */
#include <math.h>
#include <string.h>

#include "../restrict/rtest.h"
#include "props/compare.h"

static LONG cmp(SPropValue a, SPropValue b)
{
    return LPropCompareProp(&a, &b);
}

static void numbers_order_numerically_for_every_numeric_type(void **state)
{
    assert_true(cmp(pv_i2(1, -5), pv_i2(1, 3)) < 0);
    assert_true(cmp(pv_i2(1, 7), pv_i2(1, 7)) == 0);
    assert_true(cmp(pv_long(1, -1), pv_long(1, 1)) < 0);
    assert_true(cmp(pv_long(1, 0x7FFFFFFF), pv_long(1, -0x7FFFFFFF - 1)) > 0);
    SPropValue f1 = { .ulPropTag = TAG(PT_R4, 1) }, f2 = f1;
    f1.Value.flt = 1.5f;
    f2.Value.flt = -2.25f;
    assert_true(cmp(f1, f2) > 0);
    assert_true(cmp(pv_double(1, 0.1), pv_double(1, 0.2)) < 0);
    SPropValue at1 = { .ulPropTag = TAG(PT_APPTIME, 1) }, at2 = at1;
    at1.Value.at = 45000.5;
    at2.Value.at = 45000.25;
    assert_true(cmp(at1, at2) > 0);
    assert_true(cmp(at1, at1) == 0);
}

static void nan_sorts_after_every_number_and_equals_itself(void **state)
{
    assert_true(cmp(pv_double(1, NAN), pv_double(1, INFINITY)) > 0);
    assert_true(cmp(pv_double(1, -INFINITY), pv_double(1, NAN)) < 0);
    assert_true(cmp(pv_double(1, NAN), pv_double(1, NAN)) == 0);
}

static void i8_and_currency_are_signed_systime_is_unsigned(void **state)
{
    assert_true(cmp(pv_i8(1, -1), pv_i8(1, 1)) < 0);
    assert_true(cmp(pv_i8(1, INT64_MIN), pv_i8(1, INT64_MAX)) < 0);
    SPropValue c1 = { .ulPropTag = TAG(PT_CURRENCY, 1) }, c2 = c1;
    c1.Value.cur.int64 = -10000;
    c2.Value.cur.int64 = 5;
    assert_true(cmp(c1, c2) < 0);
    /* High bit set: a later FILETIME, not a negative one. */
    assert_true(cmp(pv_systime(1, 0x8000000000000000ull), pv_systime(1, 1)) > 0);
    assert_true(cmp(pv_systime(1, 0x100000000ull), pv_systime(1, 0xFFFFFFFFull)) > 0);
    assert_true(cmp(pv_systime(1, 42), pv_systime(1, 42)) == 0);
}

static void booleans_order_false_before_true_whatever_the_nonzero_value(void **state)
{
    assert_true(cmp(pv_bool(1, 0), pv_bool(1, 1)) < 0);
    assert_true(cmp(pv_bool(1, 1), pv_bool(1, 0xFF)) == 0);
}

static void binary_orders_by_size_first_then_bytes(void **state)
{
    const BYTE small[] = { 0xFF }, big[] = { 0x00, 0x00 }, big2[] = { 0x00, 0x01 };
    assert_true(cmp(pv_bin(1, small, 1), pv_bin(1, big, 2)) < 0);
    assert_true(cmp(pv_bin(1, big, 2), pv_bin(1, big2, 2)) < 0);
    assert_true(cmp(pv_bin(1, big2, 2), pv_bin(1, big2, 2)) == 0);
    assert_true(cmp(pv_bin(1, NULL, 0), pv_bin(1, small, 0)) == 0);
}

static void clsid_orders_by_its_bytes(void **state)
{
    GUID g1 = { 1, 2, 3, { 0 } }, g2 = g1;
    g2.Data4[7] = 1;
    SPropValue a = { .ulPropTag = TAG(PT_CLSID, 1) }, b = a;
    a.Value.lpguid = &g1;
    b.Value.lpguid = &g2;
    assert_true(cmp(a, b) < 0);
    assert_true(cmp(b, a) > 0);
    b.Value.lpguid = &g1;
    assert_true(cmp(a, b) == 0);
}

static void strings_order_by_code_point_across_widths(void **state)
{
    assert_true(cmp(pv_str8(1, "abc"), pv_str8(1, "abd")) < 0);
    assert_true(cmp(pv_str8(1, "ab"), pv_str8(1, "abc")) < 0);
    assert_true(cmp(pv_str8(1, "Z"), pv_str8(1, "a")) < 0); /* case-sensitive */
    assert_true(cmp(pv_wstr(1, u"abc"), pv_str8(1, "abc")) == 0);
    assert_true(cmp(pv_str8(1, "\xC3\xA9"), pv_wstr(1, u"\u00E9")) == 0); /* é */
    /* U+FFFD < U+1F600 by code point, though UTF-16 units would say otherwise */
    assert_true(cmp(pv_wstr(1, u"\uFFFD"), pv_wstr(1, u"\U0001F600")) < 0);
    assert_true(cmp(pv_str8(1, "\xEF\xBF\xBD"), pv_wstr(1, u"\U0001F600")) < 0);
    assert_true(cmp(pv_str8(1, NULL), pv_str8(1, "")) == 0);
}

static void folded_comparison_ignores_case_and_marks_when_asked(void **state)
{
    SPropValue a = pv_str8(1, "STRASSE"), b = pv_wstr(1, u"stra\u00DFe");
    assert_int_not_equal(fm_prop_compare_values(&a, &b, 0), 0);
    assert_int_equal(fm_prop_compare_values(&a, &b, FM_FOLD_CASE), 0);
    SPropValue c = pv_str8(1, "\xC3\x89lan"), d = pv_str8(1, "elan");
    assert_int_not_equal(fm_prop_compare_values(&c, &d, FM_FOLD_CASE), 0);
    assert_int_equal(fm_prop_compare_values(&c, &d, FM_FOLD_CASE | FM_FOLD_NONSPACE), 0);
    SPropValue e = pv_str8(1, "Hello"), f = pv_wstr(1, u"hELLO");
    int nocase = fm_prop_compare_values(&e, &f, FM_PROP_CMP_NOCASE);
    assert_int_not_equal(nocase, 0); /* equal ignoring case, then ordered exactly */
    assert_int_equal(nocase, -fm_prop_compare_values(&f, &e, FM_PROP_CMP_NOCASE));
    SPropValue g = pv_str8(1, "apple"), h = pv_str8(1, "BANANA");
    assert_true(fm_prop_compare_values(&g, &h, FM_PROP_CMP_NOCASE) < 0);
    assert_true(fm_prop_compare_values(&g, &h, 0) > 0);
}

static void valueless_types_compare_equal_and_errors_by_code(void **state)
{
    SPropValue n1 = { .ulPropTag = TAG(PT_NULL, 1) }, n2 = n1;
    n2.Value.x = 99;
    assert_int_equal(cmp(n1, n2), 0);
    SPropValue o1 = { .ulPropTag = TAG(PT_OBJECT, 1) }, o2 = o1;
    assert_int_equal(cmp(o1, o2), 0);
    assert_int_not_equal(cmp(pv_error(1, MAPI_E_NOT_FOUND), pv_error(1, MAPI_E_CALL_FAILED)), 0);
    assert_int_equal(cmp(pv_error(1, MAPI_E_NOT_FOUND), pv_error(1, MAPI_E_NOT_FOUND)), 0);
}

static void multivalued_values_compare_element_wise_then_by_count(void **state)
{
    LONG a[] = { 1, 2, 3 }, b[] = { 1, 2, 4 }, c[] = { 1, 2 };
    assert_true(cmp(pv_mvlong(1, a, 3), pv_mvlong(1, b, 3)) < 0);
    assert_true(cmp(pv_mvlong(1, c, 2), pv_mvlong(1, a, 3)) < 0);
    assert_true(cmp(pv_mvlong(1, a, 3), pv_mvlong(1, a, 3)) == 0);
    char *s1[] = { "x", "b" }, *s2[] = { "x", "a" };
    assert_true(cmp(pv_mvstr8(1, s1, 2), pv_mvstr8(1, s2, 2)) > 0);
    WCHAR w0[] = u"x", w1[] = u"b";
    LPWSTR ws[] = { w0, w1 };
    SPropValue mw = { .ulPropTag = TAG(PT_MV_UNICODE, 1) };
    mw.Value.MVszW.cValues = 2;
    mw.Value.MVszW.lppszW = ws;
    assert_true(cmp(pv_mvstr8(1, s1, 2), mw) == 0);
}

static void every_mv_type_compares_its_elements(void **state)
{
    short i2[] = { 1, 2 };
    float r4[] = { 1, 2 };
    double r8[] = { 1, 2 };
    CURRENCY cy[2] = { { .int64 = 1 }, { .int64 = 2 } };
    LARGE_INTEGER li[2] = { { .QuadPart = 1 }, { .QuadPart = 2 } };
    FILETIME ft[2] = { { 1, 0 }, { 2, 0 } };
    GUID g[2] = { { 1, 0, 0, { 0 } }, { 2, 0, 0, { 0 } } };
    BYTE by[2] = { 1, 2 };
    SBinary bin[2] = { { 1, &by[0] }, { 1, &by[1] } };
    struct { ULONG type; void *arr; } cases[] = {
        { PT_MV_I2, i2 }, { PT_MV_R4, r4 }, { PT_MV_DOUBLE, r8 }, { PT_MV_APPTIME, r8 },
        { PT_MV_CURRENCY, cy }, { PT_MV_I8, li }, { PT_MV_SYSTIME, ft }, { PT_MV_CLSID, g },
        { PT_MV_BINARY, bin },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        SPropValue lo = { .ulPropTag = TAG(cases[i].type, 1) }, hi = lo;
        lo.Value.MVl.cValues = 1;
        lo.Value.MVl.lpl = cases[i].arr;
        hi.Value.MVl.cValues = 2;
        hi.Value.MVl.lpl = cases[i].arr;
        assert_true(cmp(lo, hi) < 0); /* {1} < {1, 2} */
        SPropValue e0, e1;
        fm_prop_value_at(&hi, 0, &e0);
        fm_prop_value_at(&hi, 1, &e1);
        assert_int_equal(PROP_TYPE(e0.ulPropTag), cases[i].type & ~MV_FLAG);
        assert_true(cmp(e0, e1) < 0);
        assert_int_equal(fm_prop_value_count(&hi), 2);
    }
}

static void different_types_order_consistently_and_nonzero(void **state)
{
    LONG ab = cmp(pv_long(1, 5), pv_i2(1, 5)), ba = cmp(pv_i2(1, 5), pv_long(1, 5));
    assert_int_not_equal(ab, 0);
    assert_true((ab > 0) == (ba < 0));
    assert_false(fm_prop_types_comparable(PT_LONG, PT_I2));
    assert_true(fm_prop_types_comparable(PT_STRING8, PT_UNICODE));
    assert_true(fm_prop_types_comparable(PT_MV_STRING8, PT_MV_UNICODE | MV_INSTANCE));
    assert_false(fm_prop_types_comparable(PT_MV_STRING8, PT_UNICODE));
    assert_true(LPropCompareProp(NULL, NULL) == 0);
}

static void fpropcompareprop_applies_every_relop(void **state)
{
    SPropValue one = pv_long(1, 1), two = pv_long(2, 2);
    const struct { ULONG op; BOOL lt, eq, gt; } t[] = {
        { RELOP_LT, TRUE, FALSE, FALSE }, { RELOP_LE, TRUE, TRUE, FALSE },
        { RELOP_GT, FALSE, FALSE, TRUE }, { RELOP_GE, FALSE, TRUE, TRUE },
        { RELOP_EQ, FALSE, TRUE, FALSE }, { RELOP_NE, TRUE, FALSE, TRUE },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        assert_int_equal(FPropCompareProp(&one, t[i].op, &two), t[i].lt);
        assert_int_equal(FPropCompareProp(&one, t[i].op, &one), t[i].eq);
        assert_int_equal(FPropCompareProp(&two, t[i].op, &one), t[i].gt);
    }
}

static void fpropcompareprop_is_false_for_mismatched_types_and_bad_input(void **state)
{
    SPropValue l = pv_long(1, 1), s = pv_i2(1, 1), str = pv_str8(1, "1");
    assert_false(FPropCompareProp(&l, RELOP_EQ, &s));
    assert_false(FPropCompareProp(&l, RELOP_EQ, &str));
    assert_false(FPropCompareProp(&l, 77, &l));
    assert_false(FPropCompareProp(NULL, RELOP_EQ, &l));
    assert_false(FPropCompareProp(&l, RELOP_EQ, NULL));
    SPropValue a = pv_str8(1, "abc"), w = pv_wstr(2, u"abc");
    assert_true(FPropCompareProp(&a, RELOP_EQ, &w));
}

static void fpropcompareprop_relop_re_matches_a_pattern(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    SPropValue subj = pv_str8(1, "Invoice 2024-113"), pat = pv_str8(2, "^Invoice \\d{4}-\\d+$");
    assert_true(FPropCompareProp(&subj, RELOP_RE, &pat));
    SPropValue wsubj = pv_wstr(1, u"caf\u00E9 au lait"), wpat = pv_wstr(2, u"caf.\\s");
    assert_true(FPropCompareProp(&wsubj, RELOP_RE, &wpat));
    assert_true(FPropCompareProp(&wsubj, RELOP_RE, &pat) == FALSE);
    SPropValue bad = pv_str8(2, "(unclosed");
    assert_false(FPropCompareProp(&subj, RELOP_RE, &bad));
    SPropValue num = pv_long(1, 3);
    assert_false(FPropCompareProp(&num, RELOP_RE, &pat));
    fm_test_assert_no_leak(&b);
}

static void value_size_matches_ulpropsize_rules(void **state)
{
    SPropValue v = pv_str8(1, "abc");
    assert_int_equal(UlPropSize(&v), 4);
    v = pv_wstr(1, u"abc");
    assert_int_equal(UlPropSize(&v), 8);
    v = pv_bin(1, "xyz", 3);
    assert_int_equal(UlPropSize(&v), 3);
    v = pv_long(1, 0);
    assert_int_equal(UlPropSize(&v), 4);
    v = pv_i2(1, 0);
    assert_int_equal(UlPropSize(&v), 2);
    v = pv_i8(1, 0);
    assert_int_equal(UlPropSize(&v), 8);
    v = pv_systime(1, 0);
    assert_int_equal(UlPropSize(&v), 8);
    v = pv_bool(1, 1);
    assert_int_equal(UlPropSize(&v), 2);
    v = pv_double(1, 1);
    assert_int_equal(UlPropSize(&v), 8);
    SPropValue g = { .ulPropTag = TAG(PT_CLSID, 1) };
    assert_int_equal(UlPropSize(&g), 16);
    LONG l[] = { 1, 2, 3 };
    v = pv_mvlong(1, l, 3);
    assert_int_equal(UlPropSize(&v), 12);
    char *s[] = { "a", "bcd" };
    v = pv_mvstr8(1, s, 2);
    assert_int_equal(UlPropSize(&v), 6);
}

static void regex_compare_survives_allocation_failure(void **state)
{
    SPropValue subj = pv_str8(1, "abc"), pat = pv_str8(2, "b");
    for (uint64_t k = 1; k < 40; k++) {
        fm_test_baseline b;
        fm_test_baseline_take(&b);
        fmapi_alloc_fail_nth(k);
        BOOL r = FPropCompareProp(&subj, RELOP_RE, &pat);
        uint64_t injected = fmapi_alloc_injected_failures();
        fmapi_alloc_fail_off();
        fm_test_assert_no_leak(&b);
        if (injected == 0) {
            assert_true(r);
            return;
        }
        assert_false(r);
    }
    fail_msg("RELOP_RE kept allocating");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers_order_numerically_for_every_numeric_type),
        cmocka_unit_test(nan_sorts_after_every_number_and_equals_itself),
        cmocka_unit_test(i8_and_currency_are_signed_systime_is_unsigned),
        cmocka_unit_test(booleans_order_false_before_true_whatever_the_nonzero_value),
        cmocka_unit_test(binary_orders_by_size_first_then_bytes),
        cmocka_unit_test(clsid_orders_by_its_bytes),
        cmocka_unit_test(strings_order_by_code_point_across_widths),
        cmocka_unit_test(folded_comparison_ignores_case_and_marks_when_asked),
        cmocka_unit_test(valueless_types_compare_equal_and_errors_by_code),
        cmocka_unit_test(multivalued_values_compare_element_wise_then_by_count),
        cmocka_unit_test(every_mv_type_compares_its_elements),
        cmocka_unit_test(different_types_order_consistently_and_nonzero),
        cmocka_unit_test(fpropcompareprop_applies_every_relop),
        cmocka_unit_test(fpropcompareprop_is_false_for_mismatched_types_and_bad_input),
        cmocka_unit_test(fpropcompareprop_relop_re_matches_a_pattern),
        cmocka_unit_test(value_size_matches_ulpropsize_rules),
        cmocka_unit_test(regex_compare_survives_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
