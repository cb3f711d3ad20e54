/*
 * tests/props/test_propsize.c - UlPropSize for every property type.
 */
#include "props_fixture.h"

static void sizes_of_every_type(void **state)
{
    SPropValue v[FX_COUNT];
    fx_all_types(v);
    const ULONG expect[FX_COUNT] = {
        2,
        4,
        4,
        8,
        8,
        8,
        4,
        2,
        4,
        8,
        sizeof fx_s1, /* "héllo": 6 bytes + NUL */
        sizeof fx_w1, /* UTF-16 units + NUL, in bytes */
        8,
        16,
        5,
        4,
        3 * 2,
        2 * 4,
        2 * 4,
        3 * 8,
        2 * 8,
        1 * 8,
        2 * 8,
        sizeof fx_s1 + sizeof fx_s2 + sizeof fx_s3,
        5 + 0 + 1,
        sizeof fx_w1 + sizeof fx_w2,
        2 * 16,
        2 * 8,
    };
    for (int i = 0; i < FX_COUNT; i++)
        if (UlPropSize(&v[i]) != expect[i])
            fail_msg("type 0x%04lX: size %lu, expected %lu",
                     (unsigned long)PROP_TYPE(v[i].ulPropTag), (unsigned long)UlPropSize(&v[i]),
                     (unsigned long)expect[i]);
}

static void null_unknown_and_missing_data_give_zero(void **state)
{
    assert_int_equal(UlPropSize(NULL), 0);
    SPropValue v = {PROP_TAG(0x0777, 1), 0, {.l = 5}};
    assert_int_equal(UlPropSize(&v), 0);
    v.ulPropTag = PROP_TAG(PT_STRING8, 1);
    v.Value.lpszA = NULL;
    assert_int_equal(UlPropSize(&v), 0);
    v.ulPropTag = PROP_TAG(PT_MV_LONG, 1);
    v.Value.MVl = (SLongArray){3, NULL};
    assert_int_equal(UlPropSize(&v), 0);
}

static void multi_value_instance_tags_measure_one_value(void **state)
{
    SPropValue v = {MVI_PROP(PROP_TAG(PT_LONG, 1)), 0, {.l = 5}};
    assert_int_equal(UlPropSize(&v), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sizes_of_every_type),
        cmocka_unit_test(null_unknown_and_missing_data_give_zero),
        cmocka_unit_test(multi_value_instance_tags_measure_one_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
