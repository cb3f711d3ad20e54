/*
 * tests/restrict/test_compareprops.c - RES_COMPAREPROPS: two properties of
 * one row compared with every relop; missing ones and mixed string widths.
 */
#include "rtest.h"

static void every_relop_compares_the_two_properties(void **state)
{
    SPropValue row[] = { pv_systime(1, 100), pv_systime(2, 200), pv_systime(3, 100) };
    ULONG a = TAG(PT_SYSTIME, 1), b = TAG(PT_SYSTIME, 2), c = TAG(PT_SYSTIME, 3);
    const struct { ULONG op; BOOL ab, ac, ba; } t[] = {
        { RELOP_LT, TRUE, FALSE, FALSE }, { RELOP_LE, TRUE, TRUE, FALSE },
        { RELOP_GT, FALSE, FALSE, TRUE }, { RELOP_GE, FALSE, TRUE, TRUE },
        { RELOP_EQ, FALSE, TRUE, FALSE }, { RELOP_NE, TRUE, FALSE, TRUE },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        SRestriction r = r_cmpprops(t[i].op, a, b);
        assert_int_equal(rt_eval(&r, 3, row), t[i].ab);
        r = r_cmpprops(t[i].op, a, c);
        assert_int_equal(rt_eval(&r, 3, row), t[i].ac);
        r = r_cmpprops(t[i].op, b, a);
        assert_int_equal(rt_eval(&r, 3, row), t[i].ba);
    }
}

static void strings_of_both_widths_compare(void **state)
{
    SPropValue row[] = { pv_str8(0x0C1A, "Ann"), pv_wstr(0x0E04, u"Ann") };
    SRestriction r = r_cmpprops(RELOP_EQ, TAG(PT_STRING8, 0x0C1A), TAG(PT_UNICODE, 0x0E04));
    assert_true(rt_eval(&r, 2, row));
    row[1] = pv_wstr(0x0E04, u"ann");
    assert_false(rt_eval(&r, 2, row));
}

static void missing_property_makes_it_false(void **state)
{
    SPropValue row[] = { pv_long(1, 1) };
    SRestriction r = r_cmpprops(RELOP_EQ, TAG(PT_LONG, 1), TAG(PT_LONG, 2));
    assert_false(rt_eval(&r, 1, row));
    r = r_cmpprops(RELOP_NE, TAG(PT_LONG, 2), TAG(PT_LONG, 1));
    assert_false(rt_eval(&r, 1, row));
    SRestriction n = r_not(&r);
    assert_true(rt_eval(&n, 1, row));
}

static void multivalued_properties_compare_whole(void **state)
{
    LONG x[] = { 1, 2 }, y[] = { 1, 2 }, z[] = { 1, 3 };
    SPropValue row[] = { pv_mvlong(1, x, 2), pv_mvlong(2, y, 2), pv_mvlong(3, z, 2) };
    SRestriction r = r_cmpprops(RELOP_EQ, TAG(PT_MV_LONG, 1), TAG(PT_MV_LONG, 2));
    assert_true(rt_eval(&r, 3, row));
    r = r_cmpprops(RELOP_LT, TAG(PT_MV_LONG, 1), TAG(PT_MV_LONG, 3));
    assert_true(rt_eval(&r, 3, row));
}

static void different_types_or_relop_re_are_too_complex(void **state)
{
    SRestriction r = r_cmpprops(RELOP_EQ, TAG(PT_LONG, 1), TAG(PT_I2, 2));
    assert_non_null(strstr(rt_compile_fails(&r, MAPI_E_TOO_COMPLEX), "different types"));
    r = r_cmpprops(RELOP_RE, TAG(PT_STRING8, 1), TAG(PT_STRING8, 2));
    rt_compile_fails(&r, MAPI_E_TOO_COMPLEX);
    r = r_cmpprops(9, TAG(PT_LONG, 1), TAG(PT_LONG, 2));
    rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER);
    r = r_cmpprops(RELOP_EQ, TAG(PT_OBJECT, 1), TAG(PT_OBJECT, 2));
    rt_compile_fails(&r, MAPI_E_TOO_COMPLEX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_relop_compares_the_two_properties),
        cmocka_unit_test(strings_of_both_widths_compare),
        cmocka_unit_test(missing_property_makes_it_false),
        cmocka_unit_test(multivalued_properties_compare_whole),
        cmocka_unit_test(different_types_or_relop_re_are_too_complex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
