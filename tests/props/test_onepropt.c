/*
 * tests/props/test_onepropt.c - HrGetOneProp and HrSetOneProp on an
 * IPropData and on a scripted IMAPIProp, with out-of-memory sweeps.
 */
#include "props_fixture.h"
#include "stub_prop.h"

static LPPROPDATA new_propdata(void)
{
    LPPROPDATA pd = NULL;
    assert_int_equal(
        CreateIProp(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL, &pd), S_OK);
    return pd;
}

static void set_then_get_every_settable_type(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA pd = new_propdata();
    SPropValue v[FX_COUNT];
    fx_all_types(v);
    for (int i = 0; i < FX_COUNT; i++) {
        ULONG type = PROP_TYPE(v[i].ulPropTag);
        if (!fx_settable(type))
            continue;
        assert_int_equal(HrSetOneProp((LPMAPIPROP)pd, &v[i]), S_OK);
        LPSPropValue got = NULL;
        assert_int_equal(HrGetOneProp((LPMAPIPROP)pd, v[i].ulPropTag, &got), S_OK);
        assert_true(fx_values_equal(got, &v[i]));
        MAPIFreeBuffer(got);
    }
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

static void missing_property_is_not_found_and_frees_what_getprops_gave(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA pd = new_propdata();
    LPSPropValue got = (LPSPropValue)&b;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)pd, PROP_TAG(PT_LONG, 0x3000), &got),
                     MAPI_E_NOT_FOUND);
    assert_null(got);
    assert_non_null(strstr(fmapi_last_error(), "not available"));
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

static void any_pt_error_from_getprops_is_not_found(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    stub_prop s = stub_make();
    s.get_error = MAPI_E_NO_ACCESS;
    LPSPropValue got;
    assert_int_equal(HrGetOneProp(&s.iface, PROP_TAG(PT_LONG, 1), &got), MAPI_E_NOT_FOUND);
    s.get_error = 0;
    s.get_hr = MAPI_E_CALL_FAILED;
    assert_int_equal(HrGetOneProp(&s.iface, PROP_TAG(PT_LONG, 1), &got), MAPI_E_CALL_FAILED);
    fm_test_assert_no_leak(&b);
}

static void set_one_prop_returns_the_problems_scode(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA pd = new_propdata();
    SPropValue v = {PROP_TAG(PT_LONG, 0x3000), 0, {.l = 1}};
    assert_int_equal(HrSetOneProp((LPMAPIPROP)pd, &v), S_OK);
    SizedSPropTagArray(1, t) = {1, {v.ulPropTag}};
    ULONG ro = IPROP_READONLY;
    assert_int_equal(IPropData_HrSetPropAccess(pd, (LPSPropTagArray)&t, &ro), S_OK);
    assert_int_equal(HrSetOneProp((LPMAPIPROP)pd, &v), MAPI_E_NO_ACCESS);
    stub_prop s = stub_make();
    s.set_problem = MAPI_E_COMPUTED;
    assert_int_equal(HrSetOneProp(&s.iface, &v), MAPI_E_COMPUTED);
    s.set_hr = MAPI_E_CALL_FAILED;
    assert_int_equal(HrSetOneProp(&s.iface, &v), MAPI_E_CALL_FAILED);
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

static void null_arguments_are_invalid(void **state)
{
    SPropValue v = {PROP_TAG(PT_LONG, 0x3000), 0, {.l = 1}};
    LPSPropValue got = &v;
    assert_int_equal(HrGetOneProp(NULL, v.ulPropTag, &got), MAPI_E_INVALID_PARAMETER);
    assert_null(got);
    stub_prop s = stub_make();
    assert_int_equal(HrGetOneProp(&s.iface, v.ulPropTag, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(HrSetOneProp(NULL, &v), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(HrSetOneProp(&s.iface, NULL), MAPI_E_INVALID_PARAMETER);
}

static HRESULT get_one_once(void *ctx)
{
    LPSPropValue got = NULL;
    HRESULT hr = HrGetOneProp(ctx, PROP_TAG(PT_MV_UNICODE, FX_ID_BASE + 25), &got);
    MAPIFreeBuffer(got);
    return hr;
}

static HRESULT set_one_once(void *ctx)
{
    SPropValue v[FX_COUNT];
    fx_all_types(v);
    return HrSetOneProp(ctx, &v[23]);
}

static void out_of_memory_fails_cleanly(void **state)
{
    LPPROPDATA pd = new_propdata();
    SPropValue v[FX_COUNT];
    fx_all_types(v);
    assert_int_equal(HrSetOneProp((LPMAPIPROP)pd, &v[25]), S_OK);
    /* Replacing a property keeps the object's size, so sweeps see no growth. */
    assert_int_equal(HrSetOneProp((LPMAPIPROP)pd, &v[23]), S_OK);
    assert_true(fm_test_oom_sweep(get_one_once, pd) >= 2);
    assert_true(fm_test_oom_sweep(set_one_once, pd) >= 1);
    IPropData_Release(pd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(set_then_get_every_settable_type),
        cmocka_unit_test(missing_property_is_not_found_and_frees_what_getprops_gave),
        cmocka_unit_test(any_pt_error_from_getprops_is_not_found),
        cmocka_unit_test(set_one_prop_returns_the_problems_scode),
        cmocka_unit_test(null_arguments_are_invalid),
        cmocka_unit_test(out_of_memory_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
