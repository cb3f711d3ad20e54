/*
 * tests/props/test_propfind.c - PpropFindProp, LpValFindProp, FPropExists.
 */
#include "props_fixture.h"
#include "stub_prop.h"

static void pprop_find_prop_matches_whole_tag_or_id_when_unspecified(void **state)
{
    SPropValue v[FX_COUNT];
    fx_all_types(v);
    assert_ptr_equal(PpropFindProp(v, FX_COUNT, v[10].ulPropTag), &v[10]);
    assert_ptr_equal(PpropFindProp(v, FX_COUNT, PROP_TAG(PT_UNSPECIFIED, FX_ID_BASE + 10)), &v[10]);
    assert_null(PpropFindProp(v, FX_COUNT, PROP_TAG(PT_LONG, FX_ID_BASE + 10)));
    assert_null(PpropFindProp(v, FX_COUNT, PROP_TAG(PT_LONG, 0x0001)));
    assert_null(PpropFindProp(NULL, 3, v[0].ulPropTag));
    assert_null(PpropFindProp(v, 0, v[0].ulPropTag));
}

static void lp_val_find_prop_matches_the_identifier_only(void **state)
{
    SPropValue v[FX_COUNT];
    fx_all_types(v);
    assert_ptr_equal(LpValFindProp(PROP_TAG(PT_LONG, FX_ID_BASE + 11), FX_COUNT, v), &v[11]);
    assert_null(LpValFindProp(PROP_TAG(PT_LONG, 0x0001), FX_COUNT, v));
    assert_null(LpValFindProp(v[0].ulPropTag, FX_COUNT, NULL));
}

static void fprop_exists_looks_at_the_objects_property_list(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA pd;
    assert_int_equal(CreateIProp(&IID_IMAPIPropData, MAPIAllocateBuffer, MAPIAllocateMore,
                                 MAPIFreeBuffer, NULL, &pd),
                     S_OK);
    SPropValue v[2] = {{PROP_TAG(PT_STRING8, 0x3001), 0, {.lpszA = (char *)"s"}},
                       {PROP_TAG(PT_LONG, 0x3002), 0, {.l = 5}}};
    assert_int_equal(IPropData_SetProps(pd, 2, v, NULL), S_OK);
    LPMAPIPROP mp = (LPMAPIPROP)pd;
    assert_true(FPropExists(mp, PROP_TAG(PT_LONG, 0x3002)));
    assert_true(FPropExists(mp, PROP_TAG(PT_UNSPECIFIED, 0x3002)));
    assert_true(FPropExists(mp, PROP_TAG(PT_STRING8, 0x3001)));
    assert_true(FPropExists(mp, PROP_TAG(PT_UNICODE, 0x3001)));
    assert_false(FPropExists(mp, PROP_TAG(PT_BINARY, 0x3002)));
    assert_false(FPropExists(mp, PROP_TAG(PT_LONG, 0x3003)));
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

static void fprop_exists_is_false_for_null_or_a_failing_object(void **state)
{
    assert_false(FPropExists(NULL, PROP_TAG(PT_LONG, 1)));
    assert_non_null(strstr(fmapi_last_error(), "NULL"));
    stub_prop s = stub_make();
    s.get_hr = MAPI_E_CALL_FAILED;
    assert_false(FPropExists(&s.iface, PROP_TAG(PT_LONG, 1)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pprop_find_prop_matches_whole_tag_or_id_when_unspecified),
        cmocka_unit_test(lp_val_find_prop_matches_the_identifier_only),
        cmocka_unit_test(fprop_exists_looks_at_the_objects_property_list),
        cmocka_unit_test(fprop_exists_is_false_for_null_or_a_failing_object),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
