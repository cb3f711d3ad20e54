/*
 * tests/restrict/test_bitmask.c - RES_BITMASK: BMR_EQZ and BMR_NEZ on
 * PT_LONG, missing properties, and the types it refuses.
 */
#include "rtest.h"

#define PR_FLAGS_ID 0x0E07

static void eqz_and_nez_test_the_masked_bits(void **state)
{
    SPropValue row[] = { pv_long(PR_FLAGS_ID, 0x0A) }; /* bits 1 and 3 */
    ULONG tag = TAG(PT_LONG, PR_FLAGS_ID);
    SRestriction r = r_bitmask(BMR_NEZ, tag, 0x02);
    assert_true(rt_eval(&r, 1, row));
    r = r_bitmask(BMR_EQZ, tag, 0x02);
    assert_false(rt_eval(&r, 1, row));
    r = r_bitmask(BMR_EQZ, tag, 0x05);
    assert_true(rt_eval(&r, 1, row));
    r = r_bitmask(BMR_NEZ, tag, 0x05);
    assert_false(rt_eval(&r, 1, row));
    r = r_bitmask(BMR_EQZ, tag, 0);
    assert_true(rt_eval(&r, 1, row));
    row[0] = pv_long(PR_FLAGS_ID, (LONG)0x80000000u);
    r = r_bitmask(BMR_NEZ, tag, 0x80000000u);
    assert_true(rt_eval(&r, 1, row));
}

static void missing_property_is_false_for_both_relations(void **state)
{
    SPropValue row[] = { pv_long(1, -1) };
    SRestriction r = r_bitmask(BMR_EQZ, TAG(PT_LONG, PR_FLAGS_ID), 1);
    assert_false(rt_eval(&r, 1, row));
    r = r_bitmask(BMR_NEZ, TAG(PT_LONG, PR_FLAGS_ID), 1);
    assert_false(rt_eval(&r, 1, row));
    SRestriction n = r_not(&r);
    assert_true(rt_eval(&n, 1, row));
}

static void non_long_types_and_unknown_relations_are_refused(void **state)
{
    SRestriction r = r_bitmask(BMR_EQZ, TAG(PT_I2, 1), 1);
    assert_non_null(strstr(rt_compile_fails(&r, MAPI_E_TOO_COMPLEX), "PT_LONG"));
    r = r_bitmask(BMR_EQZ, TAG(PT_MV_LONG, 1), 1);
    rt_compile_fails(&r, MAPI_E_TOO_COMPLEX);
    r = r_bitmask(2, TAG(PT_LONG, 1), 1);
    assert_non_null(strstr(rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER), "relBMR"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(eqz_and_nez_test_the_masked_bits),
        cmocka_unit_test(missing_property_is_false_for_both_relations),
        cmocka_unit_test(non_long_types_and_unknown_relations_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
