/*
 * tests/props/test_propdata_set.c - IPropData::SetProps and DeleteProps:
 * storing every type, replacing, the documented refusals and problems,
 * read-only objects and properties, and all-or-nothing under OOM.
 */
#include "props_fixture.h"

static ULONG count_props(LPPROPDATA pd)
{
    LPSPropTagArray list;
    assert_int_equal(IPropData_GetPropList(pd, 0, &list), S_OK);
    ULONG n = list->cValues;
    MAPIFreeBuffer(list);
    return n;
}

static void stored_values_are_deep_copies(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    char text[] = "mutable";
    SPropValue v = {PROP_TAG(PT_STRING8, 0x3000), 0, {.lpszA = text}};
    LPPROPDATA pd = fx_new_propdata();
    assert_int_equal(IPropData_SetProps(pd, 1, &v, NULL), S_OK);
    text[0] = 'X'; /* the caller's buffer changes afterwards */
    LPSPropValue got;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)pd, v.ulPropTag, &got), S_OK);
    assert_string_equal(got->Value.lpszA, "mutable");
    MAPIFreeBuffer(got);
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

static void setting_an_identifier_again_replaces_value_and_type(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    SPropValue a = {PROP_TAG(PT_LONG, 0x3000), 0, {.l = 1}};
    SPropValue c = {PROP_TAG(PT_STRING8, 0x3000), 0, {.lpszA = (char *)"now a string"}};
    assert_int_equal(IPropData_SetProps(pd, 1, &a, NULL), S_OK);
    assert_int_equal(IPropData_SetProps(pd, 1, &c, NULL), S_OK);
    assert_int_equal(count_props(pd), 1);
    LPSPropValue got;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)pd, PROP_TAG(PT_UNSPECIFIED, 0x3000), &got), S_OK);
    assert_true(fx_values_equal(got, &c));
    MAPIFreeBuffer(got);
    IPropData_Release(pd);
}

static void pr_null_and_pt_error_values_are_ignored_silently(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    SPropValue v[3] = {{PR_NULL, 0, {.l = 0}},
                       {PROP_TAG(PT_ERROR, 0x3001), 0, {.err = MAPI_E_NOT_FOUND}},
                       {PROP_TAG(PT_LONG, 0x3002), 0, {.l = 2}}};
    LPSPropProblemArray probs = (LPSPropProblemArray)&v;
    assert_int_equal(IPropData_SetProps(pd, 3, v, &probs), S_OK);
    assert_null(probs);
    assert_int_equal(count_props(pd), 1);
    IPropData_Release(pd);
}

/* PT_NULL is a placeholder type: only PR_NULL (identifier 0) is ignored; a
 * PT_NULL value under any other identifier has no value to keep and is an
 * invalid-type problem, never a stored property. */
static void pt_null_values_other_than_pr_null_are_invalid_type_problems(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA pd = fx_new_propdata();
    SPropValue v[3] = {{PR_NULL, 0, {.l = 0}},
                       {PROP_TAG(PT_NULL, 0x3001), 0, {.l = 0}},
                       {PROP_TAG(PT_LONG, 0x3002), 0, {.l = 2}}};
    LPSPropProblemArray probs = NULL;
    assert_int_equal(IPropData_SetProps(pd, 3, v, &probs), S_OK);
    assert_non_null(probs);
    assert_int_equal(probs->cProblem, 1);
    assert_int_equal(probs->aProblem[0].ulIndex, 1);
    assert_int_equal(probs->aProblem[0].ulPropTag, v[1].ulPropTag);
    assert_int_equal(probs->aProblem[0].scode, MAPI_E_INVALID_TYPE);
    MAPIFreeBuffer(probs);
    assert_int_equal(count_props(pd), 1); /* only PT_LONG 0x3002 */
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

static void object_values_and_empty_multi_values_fail_the_call(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    SPropValue v[2] = {{PROP_TAG(PT_LONG, 0x3002), 0, {.l = 2}},
                       {PROP_TAG(PT_OBJECT, 0x3003), 0, {.x = 0}}};
    assert_int_equal(IPropData_SetProps(pd, 2, v, NULL), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "PT_OBJECT"));
    v[1].ulPropTag = PROP_TAG(PT_MV_BINARY, 0x3003);
    v[1].Value.MVbin = (SBinaryArray){0, NULL};
    assert_int_equal(IPropData_SetProps(pd, 2, v, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(count_props(pd), 0); /* the good value was not set either */
    IPropData_Release(pd);
}

static void bad_entries_become_problems_and_the_rest_is_set(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA pd = fx_new_propdata();
    SPropValue v[4] = {{PROP_TAG(0x0777, 0x3001), 0, {.l = 1}},
                       {PROP_TAG(PT_LONG, PROP_ID_INVALID), 0, {.l = 1}},
                       {PROP_TAG(PT_STRING8, 0x3003), 0, {.lpszA = NULL}},
                       {PROP_TAG(PT_LONG, 0x3004), 0, {.l = 4}}};
    LPSPropProblemArray probs = NULL;
    assert_int_equal(IPropData_SetProps(pd, 4, v, &probs), S_OK);
    assert_non_null(probs);
    assert_int_equal(probs->cProblem, 3);
    assert_int_equal(probs->aProblem[0].ulIndex, 0);
    assert_int_equal(probs->aProblem[0].scode, MAPI_E_INVALID_TYPE);
    assert_int_equal(probs->aProblem[1].scode, MAPI_E_INVALID_PARAMETER);
    assert_int_equal(probs->aProblem[2].ulIndex, 2);
    assert_int_equal(probs->aProblem[2].ulPropTag, v[2].ulPropTag);
    MAPIFreeBuffer(probs);
    assert_int_equal(count_props(pd), 1);
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

static void read_only_property_is_a_no_access_problem(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    SPropValue v[2] = {{PROP_TAG(PT_LONG, 0x3001), 0, {.l = 1}},
                       {PROP_TAG(PT_LONG, 0x3002), 0, {.l = 2}}};
    assert_int_equal(IPropData_SetProps(pd, 2, v, NULL), S_OK);
    SizedSPropTagArray(1, t) = {1, {v[0].ulPropTag}};
    ULONG ro = IPROP_READONLY;
    assert_int_equal(IPropData_HrSetPropAccess(pd, (LPSPropTagArray)&t, &ro), S_OK);
    v[0].Value.l = 100;
    v[1].Value.l = 200;
    LPSPropProblemArray probs;
    assert_int_equal(IPropData_SetProps(pd, 2, v, &probs), S_OK);
    assert_int_equal(probs->cProblem, 1);
    assert_int_equal(probs->aProblem[0].scode, MAPI_E_NO_ACCESS);
    MAPIFreeBuffer(probs);
    LPSPropValue got;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)pd, v[0].ulPropTag, &got), S_OK);
    assert_int_equal(got->Value.l, 1);
    MAPIFreeBuffer(got);
    assert_int_equal(HrGetOneProp((LPMAPIPROP)pd, v[1].ulPropTag, &got), S_OK);
    assert_int_equal(got->Value.l, 200);
    MAPIFreeBuffer(got);
    IPropData_Release(pd);
}

static void read_only_object_refuses_changes(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    SPropValue v = {PROP_TAG(PT_LONG, 0x3001), 0, {.l = 1}};
    assert_int_equal(IPropData_SetProps(pd, 1, &v, NULL), S_OK);
    assert_int_equal(IPropData_HrSetObjAccess(pd, IPROP_READONLY), S_OK);
    assert_int_equal(IPropData_SetProps(pd, 1, &v, NULL), MAPI_E_NO_ACCESS);
    assert_non_null(strstr(fmapi_last_error(), "read-only"));
    SizedSPropTagArray(1, t) = {1, {v.ulPropTag}};
    assert_int_equal(IPropData_DeleteProps(pd, (LPSPropTagArray)&t, NULL), MAPI_E_NO_ACCESS);
    assert_int_equal(IPropData_HrSetObjAccess(pd, IPROP_READWRITE), S_OK);
    assert_int_equal(IPropData_DeleteProps(pd, (LPSPropTagArray)&t, NULL), S_OK);
    IPropData_Release(pd);
}

static void set_props_refuses_bad_arguments(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    SPropValue v = {PROP_TAG(PT_LONG, 0x3001), 0, {.l = 1}};
    assert_int_equal(IPropData_SetProps(pd, 0, &v, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_SetProps(pd, 1, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    IPropData_Release(pd);
}

static void delete_removes_and_reports_missing_and_read_only(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    SPropValue v[FX_COUNT];
    LPPROPDATA pd = fx_full_propdata(v);
    SizedSPropTagArray(1, ro_tag) = {1, {v[1].ulPropTag}};
    ULONG ro = IPROP_READONLY;
    assert_int_equal(IPropData_HrSetPropAccess(pd, (LPSPropTagArray)&ro_tag, &ro), S_OK);
    SizedSPropTagArray(4, t) = {4,
                                {v[0].ulPropTag, PROP_TAG(PT_LONG, 0x7000), v[1].ulPropTag,
                                 PROP_TAG(PT_UNSPECIFIED, PROP_ID(v[23].ulPropTag))}};
    LPSPropProblemArray probs;
    assert_int_equal(IPropData_DeleteProps(pd, (LPSPropTagArray)&t, &probs), S_OK);
    assert_int_equal(probs->cProblem, 2);
    assert_int_equal(probs->aProblem[0].ulIndex, 1);
    assert_int_equal(probs->aProblem[0].scode, MAPI_E_NOT_FOUND);
    assert_int_equal(probs->aProblem[1].ulIndex, 2);
    assert_int_equal(probs->aProblem[1].scode, MAPI_E_NO_ACCESS);
    MAPIFreeBuffer(probs);
    assert_int_equal(count_props(pd), FX_SETTABLE - 2);
    assert_false(FPropExists((LPMAPIPROP)pd, v[23].ulPropTag));
    assert_true(FPropExists((LPMAPIPROP)pd, v[1].ulPropTag));
    assert_int_equal(IPropData_DeleteProps(pd, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

typedef struct set_ctx {
    LPPROPDATA pd;
    SPropValue v[FX_COUNT];
} set_ctx;

static HRESULT set_all_once(void *ctx)
{
    set_ctx *c = ctx;
    LPSPropProblemArray probs = NULL;
    HRESULT hr = IPropData_SetProps(c->pd, FX_COUNT - 2, &c->v[2], &probs);
    MAPIFreeBuffer(probs);
    return hr;
}

static void set_out_of_memory_changes_nothing(void **state)
{
    set_ctx c;
    c.pd = fx_new_propdata();
    fx_all_types(c.v);
    c.v[6] = c.v[0]; /* no PT_ERROR or PT_OBJECT in the sweep's range */
    c.v[8] = c.v[1];
    /* A problem entry so the problem array is allocated too. */
    c.v[FX_COUNT - 1].ulPropTag = PROP_TAG(0x0777, 0x3F00);
    assert_int_equal(set_all_once(&c), S_OK); /* sizes the table */
    assert_true(fm_test_oom_sweep(set_all_once, &c) > 10);
    IPropData_Release(c.pd);
}

static HRESULT delete_once(void *ctx)
{
    /* Deletes nothing (one missing, one read-only), so state stays as it was. */
    SizedSPropTagArray(2, t) = {2, {PROP_TAG(PT_LONG, 0x3001), PROP_TAG(PT_LONG, 0x3002)}};
    LPSPropProblemArray probs = NULL;
    HRESULT hr = IPropData_DeleteProps((LPPROPDATA)ctx, (LPSPropTagArray)&t, &probs);
    if (hr == S_OK && (probs == NULL || probs->cProblem != 2))
        hr = E_FAIL;
    MAPIFreeBuffer(probs);
    return hr;
}

static void delete_out_of_memory_fails_cleanly(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    SPropValue v = {PROP_TAG(PT_LONG, 0x3001), 0, {.l = 1}};
    assert_int_equal(IPropData_SetProps(pd, 1, &v, NULL), S_OK);
    SizedSPropTagArray(1, t) = {1, {v.ulPropTag}};
    ULONG ro = IPROP_READONLY;
    assert_int_equal(IPropData_HrSetPropAccess(pd, (LPSPropTagArray)&t, &ro), S_OK);
    assert_int_equal(fm_test_oom_sweep(delete_once, pd), 1);
    IPropData_Release(pd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stored_values_are_deep_copies),
        cmocka_unit_test(setting_an_identifier_again_replaces_value_and_type),
        cmocka_unit_test(pr_null_and_pt_error_values_are_ignored_silently),
        cmocka_unit_test(pt_null_values_other_than_pr_null_are_invalid_type_problems),
        cmocka_unit_test(object_values_and_empty_multi_values_fail_the_call),
        cmocka_unit_test(bad_entries_become_problems_and_the_rest_is_set),
        cmocka_unit_test(read_only_property_is_a_no_access_problem),
        cmocka_unit_test(read_only_object_refuses_changes),
        cmocka_unit_test(set_props_refuses_bad_arguments),
        cmocka_unit_test(delete_removes_and_reports_missing_and_read_only),
        cmocka_unit_test(set_out_of_memory_changes_nothing),
        cmocka_unit_test(delete_out_of_memory_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
