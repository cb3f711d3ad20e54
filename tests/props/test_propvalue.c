/*
 * tests/props/test_propvalue.c - the shared type table and block layout
 * (props/propvalue.c): known types, element sizes, string widths, the
 * multi-valued-instance rule, and alignment of placed data.
 */
#include "core/limits.h"
#include "props/propvalue.h"
#include "props_fixture.h"

static void every_fixture_type_is_known_and_unspecified_is_not(void **state)
{
    SPropValue v[FX_COUNT];
    fx_all_types(v);
    for (int i = 0; i < FX_COUNT; i++)
        assert_true(fm_props_type_known(PROP_TYPE(v[i].ulPropTag)));
    assert_false(fm_props_type_known(PT_UNSPECIFIED));
    assert_false(fm_props_type_known(0x0099));
    assert_false(fm_props_type_known(MV_FLAG | PT_BOOLEAN));
    assert_false(fm_props_type_known(MV_FLAG | PT_OBJECT));
}

static void element_sizes_and_string_widths(void **state)
{
    assert_int_equal(fm_props_mv_elem_size(PT_MV_I2), 2);
    assert_int_equal(fm_props_mv_elem_size(PT_MV_CLSID), 16);
    assert_int_equal(fm_props_mv_elem_size(PT_MV_BINARY), sizeof(SBinary));
    assert_int_equal(fm_props_mv_elem_size(PT_LONG), 0);
    assert_int_equal(fm_props_string_width(PT_STRING8), 1);
    assert_int_equal(fm_props_string_width(PT_MV_UNICODE), 2);
    assert_int_equal(fm_props_string_width(PT_BINARY), 0);
}

static void multi_value_instance_reads_as_single_value(void **state)
{
    assert_int_equal(fm_props_value_type(MVI_PROP(PROP_TAG(PT_STRING8, 7))), PT_STRING8);
    assert_int_equal(fm_props_value_type(PROP_TAG(PT_MV_STRING8, 7)), PT_MV_STRING8);
}

static void placed_data_fills_exactly_the_counted_bytes(void **state)
{
    SPropValue v[FX_COUNT];
    fx_all_types(v);
    for (int i = 0; i < FX_COUNT; i++) {
        uint64_t extra;
        assert_int_equal(fm_props_value_extra(&v[i], 1, &extra), S_OK);
        assert_int_equal(extra % 8, 0);
        char buf[512] __attribute__((aligned(16)));
        char *cursor = buf;
        SPropValue out;
        fm_props_value_place(&out, &v[i], &cursor);
        assert_int_equal((uint64_t)(cursor - buf), extra);
        assert_true(fx_values_equal(&out, &v[i]));
    }
}

static void empty_multi_value_is_only_refused_when_strict(void **state)
{
    SPropValue v = {PROP_TAG(PT_MV_I8, 1), 0, {.MVli = {0, NULL}}};
    uint64_t extra = 99;
    assert_int_equal(fm_props_value_extra(&v, 0, &extra), S_OK);
    assert_int_equal(extra, 0);
    assert_int_equal(fm_props_value_extra(&v, 1, &extra), MAPI_E_INVALID_PARAMETER);
    v.Value.MVli.cValues = FM_MV_MAX_VALUES + 1;
    v.Value.MVli.lpli = (LARGE_INTEGER *)&v;
    assert_int_equal(fm_props_value_extra(&v, 0, &extra), MAPI_E_INVALID_PARAMETER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_fixture_type_is_known_and_unspecified_is_not),
        cmocka_unit_test(element_sizes_and_string_widths),
        cmocka_unit_test(multi_value_instance_reads_as_single_value),
        cmocka_unit_test(placed_data_fills_exactly_the_counted_bytes),
        cmocka_unit_test(empty_multi_value_is_only_refused_when_strict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
