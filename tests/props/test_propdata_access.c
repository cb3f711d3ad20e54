/*
 * tests/props/test_propdata_access.c - IPropData's HrSetObjAccess,
 * HrSetPropAccess, HrGetPropAccess and HrAddObjProps.
 */
#include "props_fixture.h"

static ULONG access_of(LPPROPDATA pd, ULONG tag)
{
    SizedSPropTagArray(1, t) = {1, {tag}};
    LPSPropTagArray tags = (LPSPropTagArray)&t;
    ULONG *access = NULL;
    assert_int_equal(IPropData_HrGetPropAccess(pd, &tags, &access), S_OK);
    assert_ptr_equal(tags, &t); /* the caller's list is kept */
    ULONG a = access[0];
    MAPIFreeBuffer(access);
    return a;
}

static void new_properties_are_read_write_and_dirty(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    SPropValue v = {PROP_TAG(PT_LONG, 0x3001), 0, {.l = 1}};
    assert_int_equal(IPropData_SetProps(pd, 1, &v, NULL), S_OK);
    assert_int_equal(access_of(pd, v.ulPropTag), IPROP_READWRITE | IPROP_DIRTY);
    assert_int_equal(access_of(pd, PROP_TAG(PT_LONG, 0x3999)), 0);
    IPropData_Release(pd);
}

static void set_prop_access_changes_level_and_status_and_set_redirties(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    SPropValue v[2] = {{PROP_TAG(PT_LONG, 0x3001), 0, {.l = 1}},
                       {PROP_TAG(PT_LONG, 0x3002), 0, {.l = 2}}};
    assert_int_equal(IPropData_SetProps(pd, 2, v, NULL), S_OK);
    SizedSPropTagArray(2, t) = {2, {v[0].ulPropTag, v[1].ulPropTag}};
    ULONG acc[2] = {IPROP_READWRITE | IPROP_CLEAN, IPROP_READONLY};
    assert_int_equal(IPropData_HrSetPropAccess(pd, (LPSPropTagArray)&t, acc), S_OK);
    assert_int_equal(access_of(pd, v[0].ulPropTag), IPROP_READWRITE | IPROP_CLEAN);
    /* Only a level given: the status stays. */
    assert_int_equal(access_of(pd, v[1].ulPropTag), IPROP_READONLY | IPROP_DIRTY);
    assert_int_equal(IPropData_SetProps(pd, 1, &v[0], NULL), S_OK);
    assert_int_equal(access_of(pd, v[0].ulPropTag), IPROP_READWRITE | IPROP_DIRTY);
    IPropData_Release(pd);
}

static void get_prop_access_with_null_list_covers_every_property(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    SPropValue v[FX_COUNT];
    LPPROPDATA pd = fx_full_propdata(v);
    LPSPropTagArray tags = NULL;
    ULONG *access = NULL;
    assert_int_equal(IPropData_HrGetPropAccess(pd, &tags, &access), S_OK);
    assert_int_equal(tags->cValues, FX_SETTABLE);
    assert_int_equal(tags->aulPropTag[0], v[0].ulPropTag);
    for (ULONG i = 0; i < tags->cValues; i++)
        assert_int_equal(access[i], IPROP_READWRITE | IPROP_DIRTY);
    MAPIFreeBuffer(tags);
    MAPIFreeBuffer(access);
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

static void contradictory_or_unknown_flags_are_refused(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    SPropValue v = {PROP_TAG(PT_LONG, 0x3001), 0, {.l = 1}};
    assert_int_equal(IPropData_SetProps(pd, 1, &v, NULL), S_OK);
    SizedSPropTagArray(1, t) = {1, {v.ulPropTag}};
    ULONG bad[] = {IPROP_READONLY | IPROP_READWRITE, IPROP_CLEAN | IPROP_DIRTY, 0x10};
    const HRESULT expect[] = {MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER,
                              MAPI_E_UNKNOWN_FLAGS};
    for (int i = 0; i < 3; i++)
        assert_int_equal(IPropData_HrSetPropAccess(pd, (LPSPropTagArray)&t, &bad[i]), expect[i]);
    assert_int_equal(access_of(pd, v.ulPropTag), IPROP_READWRITE | IPROP_DIRTY);
    assert_int_equal(IPropData_HrSetPropAccess(pd, NULL, bad), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_HrSetPropAccess(pd, (LPSPropTagArray)&t, NULL),
                     MAPI_E_INVALID_PARAMETER);
    LPSPropTagArray tags = NULL;
    assert_int_equal(IPropData_HrGetPropAccess(pd, &tags, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_HrSetObjAccess(pd, IPROP_READONLY | IPROP_READWRITE),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_HrSetObjAccess(pd, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_HrSetObjAccess(pd, IPROP_DIRTY), MAPI_E_UNKNOWN_FLAGS);
    IPropData_Release(pd);
}

static void read_only_object_refuses_access_changes_and_object_props(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    SPropValue v = {PROP_TAG(PT_LONG, 0x3001), 0, {.l = 1}};
    assert_int_equal(IPropData_SetProps(pd, 1, &v, NULL), S_OK);
    assert_int_equal(IPropData_HrSetObjAccess(pd, IPROP_READONLY), S_OK);
    SizedSPropTagArray(1, t) = {1, {v.ulPropTag}};
    ULONG acc = IPROP_READONLY;
    assert_int_equal(IPropData_HrSetPropAccess(pd, (LPSPropTagArray)&t, &acc), MAPI_E_NO_ACCESS);
    SizedSPropTagArray(1, o) = {1, {PROP_TAG(PT_OBJECT, 0x3002)}};
    assert_int_equal(IPropData_HrAddObjProps(pd, (LPSPropTagArray)&o, NULL), MAPI_E_NO_ACCESS);
    IPropData_Release(pd);
}

static void object_props_appear_in_the_list_and_need_pt_object(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA pd = fx_new_propdata();
    SizedSPropTagArray(2, o) = {2, {PROP_TAG(PT_OBJECT, 0x3002), PROP_TAG(PT_OBJECT, 0x3003)}};
    LPSPropProblemArray probs = (LPSPropProblemArray)&o;
    assert_int_equal(IPropData_HrAddObjProps(pd, (LPSPropTagArray)&o, &probs), S_OK);
    assert_null(probs);
    assert_true(FPropExists((LPMAPIPROP)pd, PROP_TAG(PT_OBJECT, 0x3003)));
    SizedSPropTagArray(1, bad) = {1, {PROP_TAG(PT_LONG, 0x3004)}};
    assert_int_equal(IPropData_HrAddObjProps(pd, (LPSPropTagArray)&bad, NULL), MAPI_E_INVALID_TYPE);
    assert_int_equal(IPropData_HrAddObjProps(pd, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

static void read_only_object_prop_is_partial_completion(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA pd = fx_new_propdata();
    SizedSPropTagArray(1, first) = {1, {PROP_TAG(PT_OBJECT, 0x3002)}};
    assert_int_equal(IPropData_HrAddObjProps(pd, (LPSPropTagArray)&first, NULL), S_OK);
    ULONG ro = IPROP_READONLY;
    assert_int_equal(IPropData_HrSetPropAccess(pd, (LPSPropTagArray)&first, &ro), S_OK);
    SizedSPropTagArray(2, o) = {2, {PROP_TAG(PT_OBJECT, 0x3002), PROP_TAG(PT_OBJECT, 0x3005)}};
    LPSPropProblemArray probs;
    assert_int_equal(IPropData_HrAddObjProps(pd, (LPSPropTagArray)&o, &probs),
                     MAPI_W_PARTIAL_COMPLETION);
    assert_int_equal(probs->cProblem, 1);
    assert_int_equal(probs->aProblem[0].scode, MAPI_E_NO_ACCESS);
    MAPIFreeBuffer(probs);
    assert_true(FPropExists((LPMAPIPROP)pd, PROP_TAG(PT_OBJECT, 0x3005)));
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

static HRESULT get_access_once(void *ctx)
{
    LPSPropTagArray tags = NULL;
    ULONG *access = NULL;
    HRESULT hr = IPropData_HrGetPropAccess((LPPROPDATA)ctx, &tags, &access);
    if (hr == S_OK)
        MAPIFreeBuffer(tags);
    MAPIFreeBuffer(access);
    return hr;
}

static HRESULT add_obj_once(void *ctx)
{
    SizedSPropTagArray(2, o) = {2, {PROP_TAG(PT_OBJECT, 0x3002), PROP_TAG(PT_OBJECT, 0x3005)}};
    LPSPropProblemArray probs = NULL;
    HRESULT hr = IPropData_HrAddObjProps((LPPROPDATA)ctx, (LPSPropTagArray)&o, &probs);
    MAPIFreeBuffer(probs);
    return hr;
}

static void out_of_memory_fails_cleanly(void **state)
{
    SPropValue v[FX_COUNT];
    LPPROPDATA pd = fx_full_propdata(v);
    assert_int_equal(fm_test_oom_sweep(get_access_once, pd), 2);
    SizedSPropTagArray(1, first) = {1, {PROP_TAG(PT_OBJECT, 0x3002)}};
    assert_int_equal(IPropData_HrAddObjProps(pd, (LPSPropTagArray)&first, NULL), S_OK);
    ULONG ro = IPROP_READONLY;
    assert_int_equal(IPropData_HrSetPropAccess(pd, (LPSPropTagArray)&first, &ro), S_OK);
    assert_int_equal(add_obj_once(pd), MAPI_W_PARTIAL_COMPLETION);
    assert_int_equal(fm_test_oom_sweep(add_obj_once, pd), 1);
    IPropData_Release(pd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_properties_are_read_write_and_dirty),
        cmocka_unit_test(set_prop_access_changes_level_and_status_and_set_redirties),
        cmocka_unit_test(get_prop_access_with_null_list_covers_every_property),
        cmocka_unit_test(contradictory_or_unknown_flags_are_refused),
        cmocka_unit_test(read_only_object_refuses_access_changes_and_object_props),
        cmocka_unit_test(object_props_appear_in_the_list_and_need_pt_object),
        cmocka_unit_test(read_only_object_prop_is_partial_completion),
        cmocka_unit_test(out_of_memory_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
