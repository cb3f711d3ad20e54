/*
 * tests/props/test_propdata_names.c - IPropData's GetIDsFromNames and
 * GetNamesFromIDs: creating identifiers, MNID_ID and MNID_STRING names,
 * PS_MAPI, unknown names, filters, and out-of-memory sweeps.
 */
#include "props_fixture.h"

static GUID ps_public = {0x00020329, 0, 0, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};
static GUID ps_mapi = {0x00020328, 0, 0, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};
static GUID ps_other = {0x11112222, 3, 4, {5, 6, 7, 8, 9, 10, 11, 12}};
static WCHAR keywords[] = u"Keywords";

static void create_assigns_identifiers_from_0x8000_and_finds_them_again(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA pd = fx_new_propdata();
    MAPINAMEID n1 = {&ps_public, MNID_STRING, {.lpwstrName = keywords}};
    MAPINAMEID n2 = {&ps_other, MNID_ID, {.lID = 0x8501}};
    LPMAPINAMEID names[] = {&n1, &n2};
    LPSPropTagArray tags;
    assert_int_equal(IPropData_GetIDsFromNames(pd, 2, names, MAPI_CREATE, &tags), S_OK);
    assert_int_equal(tags->aulPropTag[0], PROP_TAG(PT_UNSPECIFIED, 0x8000));
    assert_int_equal(tags->aulPropTag[1], PROP_TAG(PT_UNSPECIFIED, 0x8001));
    MAPIFreeBuffer(tags);
    LPMAPINAMEID again[] = {&n2, &n1};
    assert_int_equal(IPropData_GetIDsFromNames(pd, 2, again, 0, &tags), S_OK);
    assert_int_equal(tags->aulPropTag[0], PROP_TAG(PT_UNSPECIFIED, 0x8001));
    assert_int_equal(tags->aulPropTag[1], PROP_TAG(PT_UNSPECIFIED, 0x8000));
    MAPIFreeBuffer(tags);
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

static void unknown_names_are_pt_error_with_a_warning(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    MAPINAMEID n1 = {&ps_public, MNID_STRING, {.lpwstrName = keywords}};
    MAPINAMEID bad_kind = {&ps_public, 7, {.lID = 1}};
    MAPINAMEID no_guid = {NULL, MNID_ID, {.lID = 1}};
    LPMAPINAMEID names[] = {&n1, &bad_kind, &no_guid, NULL};
    LPSPropTagArray tags;
    assert_int_equal(IPropData_GetIDsFromNames(pd, 4, names, 0, &tags), MAPI_W_ERRORS_RETURNED);
    for (int i = 0; i < 4; i++)
        assert_int_equal(tags->aulPropTag[i], PROP_TAG(PT_ERROR, 0));
    MAPIFreeBuffer(tags);
    IPropData_Release(pd);
}

static void ps_mapi_names_are_the_property_identifiers(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    MAPINAMEID subject = {&ps_mapi, MNID_ID, {.lID = 0x0037}};
    MAPINAMEID str = {&ps_mapi, MNID_STRING, {.lpwstrName = keywords}};
    LPMAPINAMEID names[] = {&subject, &str};
    LPSPropTagArray tags;
    assert_int_equal(IPropData_GetIDsFromNames(pd, 2, names, MAPI_CREATE, &tags),
                     MAPI_W_ERRORS_RETURNED);
    assert_int_equal(tags->aulPropTag[0], PROP_TAG(PT_UNSPECIFIED, 0x0037));
    assert_int_equal(tags->aulPropTag[1], PROP_TAG(PT_ERROR, 0));
    MAPIFreeBuffer(tags);
    SizedSPropTagArray(1, t) = {1, {PROP_TAG(PT_STRING8, 0x0037)}};
    LPSPropTagArray in = (LPSPropTagArray)&t;
    ULONG n;
    LPMAPINAMEID *out;
    assert_int_equal(IPropData_GetNamesFromIDs(pd, &in, NULL, 0, &n, &out), S_OK);
    assert_int_equal(n, 1);
    assert_true(FEqualNames(out[0], &subject));
    MAPIFreeBuffer(out);
    IPropData_Release(pd);
}

static void names_from_ids_returns_copies_and_null_for_unknown(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA pd = fx_new_propdata();
    MAPINAMEID n1 = {&ps_public, MNID_STRING, {.lpwstrName = keywords}};
    MAPINAMEID n2 = {&ps_other, MNID_ID, {.lID = -5}};
    LPMAPINAMEID names[] = {&n1, &n2};
    LPSPropTagArray tags;
    assert_int_equal(IPropData_GetIDsFromNames(pd, 2, names, MAPI_CREATE, &tags), S_OK);
    MAPIFreeBuffer(tags);
    SizedSPropTagArray(3, t) = {
        3, {PROP_TAG(PT_LONG, 0x8001), PROP_TAG(PT_LONG, 0x8000), PROP_TAG(PT_LONG, 0x9999)}};
    LPSPropTagArray in = (LPSPropTagArray)&t;
    ULONG n;
    LPMAPINAMEID *out;
    assert_int_equal(IPropData_GetNamesFromIDs(pd, &in, NULL, 0, &n, &out), MAPI_W_ERRORS_RETURNED);
    assert_int_equal(n, 3);
    assert_true(FEqualNames(out[0], &n2));
    assert_true(FEqualNames(out[1], &n1));
    assert_ptr_not_equal(out[1]->Kind.lpwstrName, keywords);
    assert_null(out[2]);
    MAPIFreeBuffer(out);
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

static void all_names_filtered_by_set_and_kind(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA pd = fx_new_propdata();
    MAPINAMEID n1 = {&ps_public, MNID_STRING, {.lpwstrName = keywords}};
    MAPINAMEID n2 = {&ps_other, MNID_ID, {.lID = 1}};
    MAPINAMEID n3 = {&ps_public, MNID_ID, {.lID = 2}};
    LPMAPINAMEID names[] = {&n1, &n2, &n3};
    LPSPropTagArray tags;
    assert_int_equal(IPropData_GetIDsFromNames(pd, 3, names, MAPI_CREATE, &tags), S_OK);
    MAPIFreeBuffer(tags);
    /* NULL names: every identifier the object has mapped. */
    assert_int_equal(IPropData_GetIDsFromNames(pd, 0, NULL, 0, &tags), S_OK);
    assert_int_equal(tags->cValues, 3);
    MAPIFreeBuffer(tags);
    LPSPropTagArray all = NULL;
    ULONG n;
    LPMAPINAMEID *out;
    assert_int_equal(IPropData_GetNamesFromIDs(pd, &all, &ps_public, 0, &n, &out), S_OK);
    assert_int_equal(n, 2);
    assert_int_equal(all->aulPropTag[0], PROP_TAG(PT_UNSPECIFIED, 0x8000));
    assert_int_equal(all->aulPropTag[1], PROP_TAG(PT_UNSPECIFIED, 0x8002));
    MAPIFreeBuffer(out);
    MAPIFreeBuffer(all);
    all = NULL;
    assert_int_equal(IPropData_GetNamesFromIDs(pd, &all, NULL, MAPI_NO_IDS, &n, &out), S_OK);
    assert_int_equal(n, 1);
    assert_true(FEqualNames(out[0], &n1));
    MAPIFreeBuffer(out);
    MAPIFreeBuffer(all);
    all = NULL;
    assert_int_equal(IPropData_GetNamesFromIDs(pd, &all, NULL, MAPI_NO_STRINGS, &n, &out), S_OK);
    assert_int_equal(n, 2);
    MAPIFreeBuffer(out);
    MAPIFreeBuffer(all);
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

static void bad_arguments_are_refused(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    MAPINAMEID n1 = {&ps_public, MNID_STRING, {.lpwstrName = keywords}};
    LPMAPINAMEID names[] = {&n1};
    LPSPropTagArray tags;
    assert_int_equal(IPropData_GetIDsFromNames(pd, 1, names, 0x10, &tags), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IPropData_GetIDsFromNames(pd, 1, names, 0, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_GetIDsFromNames(pd, 0, NULL, MAPI_CREATE, &tags),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_GetIDsFromNames(pd, 2, NULL, 0, &tags), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_GetIDsFromNames(pd, 0, names, 0, &tags), MAPI_E_INVALID_PARAMETER);
    LPSPropTagArray all = NULL;
    ULONG n;
    LPMAPINAMEID *out;
    assert_int_equal(IPropData_GetNamesFromIDs(pd, &all, NULL, 0x8, &n, &out),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IPropData_GetNamesFromIDs(pd, NULL, NULL, 0, &n, &out),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_GetNamesFromIDs(pd, &all, NULL, 0, NULL, &out),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_GetNamesFromIDs(pd, &all, NULL, 0, &n, NULL),
                     MAPI_E_INVALID_PARAMETER);
    IPropData_Release(pd);
}

static void identifiers_run_out_at_0xfffe(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    ULONG last = 0;
    for (LONG i = 0; i <= 0x7FFF; i++) {
        MAPINAMEID n = {&ps_other, MNID_ID, {.lID = i}};
        LPMAPINAMEID names[] = {&n};
        LPSPropTagArray tags;
        HRESULT hr = IPropData_GetIDsFromNames(pd, 1, names, MAPI_CREATE, &tags);
        if (i < 0x7FFF) {
            assert_int_equal(hr, S_OK);
            last = PROP_ID(tags->aulPropTag[0]);
        } else {
            assert_int_equal(hr, MAPI_W_ERRORS_RETURNED);
            assert_int_equal(tags->aulPropTag[0], PROP_TAG(PT_ERROR, 0));
        }
        MAPIFreeBuffer(tags);
    }
    assert_int_equal(last, 0xFFFE);
    IPropData_Release(pd);
}

static HRESULT ids_once(void *ctx)
{
    MAPINAMEID n1 = {&ps_public, MNID_STRING, {.lpwstrName = keywords}};
    MAPINAMEID n2 = {&ps_other, MNID_ID, {.lID = 77}};
    LPMAPINAMEID names[] = {&n1, &n2};
    LPSPropTagArray tags = NULL;
    HRESULT hr = IPropData_GetIDsFromNames((LPPROPDATA)ctx, 2, names, MAPI_CREATE, &tags);
    MAPIFreeBuffer(tags);
    return hr;
}

static HRESULT names_once(void *ctx)
{
    LPSPropTagArray all = NULL;
    ULONG n;
    LPMAPINAMEID *out = NULL;
    HRESULT hr = IPropData_GetNamesFromIDs((LPPROPDATA)ctx, &all, NULL, 0, &n, &out);
    MAPIFreeBuffer(out);
    MAPIFreeBuffer(all);
    return hr;
}

static void out_of_memory_fails_cleanly(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    assert_int_equal(ids_once(pd), S_OK); /* the names exist from here on */
    assert_int_equal(fm_test_oom_sweep(ids_once, pd), 1);
    assert_int_equal(fm_test_oom_sweep(names_once, pd), 4);
    IPropData_Release(pd);
}

static void creating_names_under_out_of_memory_leaks_nothing(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    for (uint64_t k = 1; k < 8; k++) {
        LPPROPDATA pd = fx_new_propdata();
        fmapi_alloc_fail_nth(k);
        HRESULT hr = ids_once(pd);
        fmapi_alloc_fail_off();
        assert_true(hr == S_OK || hr == MAPI_E_NOT_ENOUGH_MEMORY);
        assert_int_equal(ids_once(pd), S_OK);
        IPropData_Release(pd);
    }
    fm_test_assert_no_leak(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_assigns_identifiers_from_0x8000_and_finds_them_again),
        cmocka_unit_test(unknown_names_are_pt_error_with_a_warning),
        cmocka_unit_test(ps_mapi_names_are_the_property_identifiers),
        cmocka_unit_test(names_from_ids_returns_copies_and_null_for_unknown),
        cmocka_unit_test(all_names_filtered_by_set_and_kind),
        cmocka_unit_test(bad_arguments_are_refused),
        cmocka_unit_test(identifiers_run_out_at_0xfffe),
        cmocka_unit_test(out_of_memory_fails_cleanly),
        cmocka_unit_test(creating_names_under_out_of_memory_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
