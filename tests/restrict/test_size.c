/*
 * tests/restrict/test_size.c - RES_SIZE: the value's size as UlPropSize
 * counts it, under every relop, for fixed, string, binary and MV values.
 */
#include "rtest.h"

static BOOL size_is(ULONG relop, ULONG cb, SPropValue v)
{
    SRestriction r = r_size(relop, v.ulPropTag, cb);
    return rt_eval(&r, 1, &v);
}

static void sizes_follow_ulpropsize(void **state)
{
    assert_true(size_is(RELOP_EQ, 6, pv_str8(1, "hello")));          /* NUL counted */
    assert_true(size_is(RELOP_EQ, 12, pv_wstr(1, u"hello")));        /* 2 bytes a unit */
    assert_true(size_is(RELOP_EQ, 3, pv_bin(1, "abc", 3)));
    assert_true(size_is(RELOP_EQ, 4, pv_long(1, 7)));
    assert_true(size_is(RELOP_EQ, 2, pv_i2(1, 7)));
    assert_true(size_is(RELOP_EQ, 8, pv_systime(1, 7)));
    assert_true(size_is(RELOP_EQ, 8, pv_double(1, 7)));
    assert_true(size_is(RELOP_EQ, 2, pv_bool(1, 1)));
    LONG v[] = { 1, 2, 3 };
    assert_true(size_is(RELOP_EQ, 12, pv_mvlong(1, v, 3)));
    char *s[] = { "ab", "" };
    assert_true(size_is(RELOP_EQ, 4, pv_mvstr8(1, s, 2)));
}

static void every_relop_compares_size_to_cb(void **state)
{
    SPropValue v = pv_bin(1, "abcdefghij", 10);
    assert_true(size_is(RELOP_LT, 11, v));
    assert_false(size_is(RELOP_LT, 10, v));
    assert_true(size_is(RELOP_LE, 10, v));
    assert_true(size_is(RELOP_GT, 9, v));
    assert_false(size_is(RELOP_GT, 10, v));
    assert_true(size_is(RELOP_GE, 10, v));
    assert_true(size_is(RELOP_NE, 3, v));
    assert_false(size_is(RELOP_NE, 10, v));
}

static void missing_property_and_unsupported_relops(void **state)
{
    SPropValue row[] = { pv_long(1, 1) };
    SRestriction r = r_size(RELOP_GE, TAG(PT_BINARY, 2), 0);
    assert_false(rt_eval(&r, 1, row));
    r = r_size(RELOP_GE, TAG(PT_UNSPECIFIED, 1), 4); /* any type */
    assert_true(rt_eval(&r, 1, row));
    r = r_size(RELOP_RE, TAG(PT_BINARY, 2), 0);
    rt_compile_fails(&r, MAPI_E_TOO_COMPLEX);
    r = r_size(42, TAG(PT_BINARY, 2), 0);
    rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sizes_follow_ulpropsize),
        cmocka_unit_test(every_relop_compares_size_to_cb),
        cmocka_unit_test(missing_property_and_unsupported_relops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
