/*
 * tests/restrict/test_exist.c - RES_EXIST: presence of a property, with
 * PT_ERROR values counting as absent and string widths interchangeable.
 */
#include "rtest.h"

static void present_property_exists_absent_does_not(void **state)
{
    SPropValue row[] = { pv_long(1, 0), pv_str8(2, ""), pv_error(3, MAPI_E_NOT_FOUND) };
    SRestriction r = r_exist(TAG(PT_LONG, 1));
    assert_true(rt_eval(&r, 3, row));
    r = r_exist(TAG(PT_STRING8, 2));
    assert_true(rt_eval(&r, 3, row));
    r = r_exist(TAG(PT_UNICODE, 2));
    assert_true(rt_eval(&r, 3, row));
    r = r_exist(TAG(PT_LONG, 3));
    assert_false(rt_eval(&r, 3, row));
    r = r_exist(TAG(PT_ERROR, 3));
    assert_false(rt_eval(&r, 3, row));
    r = r_exist(TAG(PT_LONG, 4));
    assert_false(rt_eval(&r, 3, row));
    assert_false(rt_eval(&r, 0, NULL));
}

static void unspecified_type_finds_any_type_but_other_types_do_not(void **state)
{
    SPropValue row[] = { pv_bin(7, "x", 1) };
    SRestriction r = r_exist(TAG(PT_UNSPECIFIED, 7));
    assert_true(rt_eval(&r, 1, row));
    r = r_exist(TAG(PT_LONG, 7));
    assert_false(rt_eval(&r, 1, row));
    r = r_exist(TAG(PT_MV_BINARY, 7)); /* an MV tag finds an instance value */
    assert_true(rt_eval(&r, 1, row));
}

static void not_exist_is_true_for_missing(void **state)
{
    SPropValue row[] = { pv_long(1, 0) };
    SRestriction e = r_exist(TAG(PT_LONG, 9));
    SRestriction n = r_not(&e);
    assert_true(rt_eval(&n, 1, row));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(present_property_exists_absent_does_not),
        cmocka_unit_test(unspecified_type_finds_any_type_but_other_types_do_not),
        cmocka_unit_test(not_exist_is_true_for_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
