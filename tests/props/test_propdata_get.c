/*
 * tests/props/test_propdata_get.c - IPropData::GetProps and GetPropList:
 * every type back as stored, missing and unreadable properties, string
 * widths chosen by MAPI_UNICODE or by the requested type, and OOM sweeps.
 */
#include "props_fixture.h"

static void null_tag_list_returns_every_property_as_stored(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    SPropValue v[FX_COUNT];
    LPPROPDATA pd = fx_full_propdata(v);
    ULONG n;
    LPSPropValue got;
    assert_int_equal(IPropData_GetProps(pd, NULL, 0, &n, &got), S_OK);
    assert_int_equal(n, FX_SETTABLE);
    for (int i = 0, k = 0; i < FX_COUNT; i++) {
        ULONG type = PROP_TYPE(v[i].ulPropTag);
        if (!fx_settable(type))
            continue;
        if (type == PT_UNICODE || type == PT_MV_UNICODE) {
            /* Without MAPI_UNICODE strings come back 8-bit. */
            assert_int_equal(PROP_TYPE(got[k].ulPropTag),
                             type == PT_UNICODE ? PT_STRING8 : PT_MV_STRING8);
        } else {
            assert_true(fx_values_equal(&got[k], &v[i]));
        }
        k++;
    }
    MAPIFreeBuffer(got);
    assert_int_equal(IPropData_GetProps(pd, NULL, MAPI_UNICODE, &n, &got), S_OK);
    LPSPropValue s8 = PpropFindProp(got, n, PROP_TAG(PT_UNICODE, FX_ID_BASE + 10));
    assert_non_null(s8);
    assert_true(fx_wcs_equal(s8->Value.lpszW, u"h\u00E9llo"));
    MAPIFreeBuffer(got);
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

static void requested_tags_come_back_in_request_order(void **state)
{
    SPropValue v[FX_COUNT];
    LPPROPDATA pd = fx_full_propdata(v);
    SizedSPropTagArray(3, t) = {3, {v[24].ulPropTag, v[0].ulPropTag, v[13].ulPropTag}};
    ULONG n;
    LPSPropValue got;
    assert_int_equal(IPropData_GetProps(pd, (LPSPropTagArray)&t, 0, &n, &got), S_OK);
    assert_int_equal(n, 3);
    assert_true(fx_values_equal(&got[0], &v[24]));
    assert_true(fx_values_equal(&got[1], &v[0]));
    assert_true(fx_values_equal(&got[2], &v[13]));
    MAPIFreeBuffer(got);
    IPropData_Release(pd);
}

static void unspecified_type_returns_the_stored_type(void **state)
{
    SPropValue v[FX_COUNT];
    LPPROPDATA pd = fx_full_propdata(v);
    SizedSPropTagArray(2, t) = {
        2, {PROP_TAG(PT_UNSPECIFIED, FX_ID_BASE + 9), PROP_TAG(PT_UNSPECIFIED, FX_ID_BASE + 25)}};
    ULONG n;
    LPSPropValue got;
    assert_int_equal(IPropData_GetProps(pd, (LPSPropTagArray)&t, MAPI_UNICODE, &n, &got), S_OK);
    assert_true(fx_values_equal(&got[0], &v[9]));
    assert_true(fx_values_equal(&got[1], &v[25]));
    MAPIFreeBuffer(got);
    assert_int_equal(IPropData_GetProps(pd, (LPSPropTagArray)&t, 0, &n, &got), S_OK);
    assert_int_equal(got[1].ulPropTag, PROP_TAG(PT_MV_STRING8, FX_ID_BASE + 25));
    assert_string_equal(got[1].Value.MVszA.lppszA[0], "wide \xC3\xA9 \xF0\x9F\x98\x80");
    MAPIFreeBuffer(got);
    IPropData_Release(pd);
}

static void strings_convert_to_the_requested_width(void **state)
{
    SPropValue v[FX_COUNT];
    LPPROPDATA pd = fx_full_propdata(v);
    SizedSPropTagArray(4, t) = {
        4,
        {PROP_TAG(PT_UNICODE, FX_ID_BASE + 10), PROP_TAG(PT_STRING8, FX_ID_BASE + 11),
         PROP_TAG(PT_MV_UNICODE, FX_ID_BASE + 23), PROP_TAG(PT_MV_STRING8, FX_ID_BASE + 25)}};
    ULONG n;
    LPSPropValue got;
    assert_int_equal(IPropData_GetProps(pd, (LPSPropTagArray)&t, 0, &n, &got), S_OK);
    assert_true(fx_wcs_equal(got[0].Value.lpszW, u"h\u00E9llo"));
    assert_string_equal(got[1].Value.lpszA, "wide \xC3\xA9 \xF0\x9F\x98\x80");
    assert_int_equal(got[2].Value.MVszW.cValues, 3);
    assert_true(fx_wcs_equal(got[2].Value.MVszW.lppszW[2], u"third string"));
    assert_string_equal(got[3].Value.MVszA.lppszA[1], "x");
    MAPIFreeBuffer(got);
    IPropData_Release(pd);
}

static void unavailable_properties_are_pt_error_entries_with_a_warning(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA pd = fx_new_propdata();
    SPropValue l = {PROP_TAG(PT_LONG, 0x3001), 0, {.l = 9}};
    assert_int_equal(IPropData_SetProps(pd, 1, &l, NULL), S_OK);
    SizedSPropTagArray(1, obj) = {1, {PROP_TAG(PT_OBJECT, 0x3002)}};
    assert_int_equal(IPropData_HrAddObjProps(pd, (LPSPropTagArray)&obj, NULL), S_OK);
    SizedSPropTagArray(5, t) = {5,
                                {PROP_TAG(PT_LONG, 0x3009),    /* missing */
                                 PROP_TAG(PT_STRING8, 0x3001), /* other type */
                                 PROP_TAG(0x0777, 0x3001),     /* no such type */
                                 PROP_TAG(PT_OBJECT, 0x3002),  /* object: no value */
                                 PROP_TAG(PT_LONG, 0x3001)}};
    ULONG n;
    LPSPropValue got;
    assert_int_equal(IPropData_GetProps(pd, (LPSPropTagArray)&t, 0, &n, &got),
                     MAPI_W_ERRORS_RETURNED);
    assert_int_equal(n, 5);
    const SCODE expect[4] = {MAPI_E_NOT_FOUND, MAPI_E_NOT_FOUND, MAPI_E_INVALID_TYPE,
                             MAPI_E_NO_SUPPORT};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(got[i].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(t.aulPropTag[i])));
        assert_int_equal(got[i].Value.err, expect[i]);
    }
    assert_int_equal(got[4].Value.l, 9);
    MAPIFreeBuffer(got);
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

static void empty_object_returns_no_values(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    ULONG n = 5;
    LPSPropValue got = (LPSPropValue)&n;
    assert_int_equal(IPropData_GetProps(pd, NULL, 0, &n, &got), S_OK);
    assert_int_equal(n, 0);
    assert_null(got);
    LPSPropTagArray list;
    assert_int_equal(IPropData_GetPropList(pd, 0, &list), S_OK);
    assert_int_equal(list->cValues, 0);
    MAPIFreeBuffer(list);
    IPropData_Release(pd);
}

static void bad_arguments_are_refused_with_text(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    ULONG n;
    LPSPropValue got;
    assert_int_equal(IPropData_GetProps(pd, NULL, 0x2, &n, &got), MAPI_E_UNKNOWN_FLAGS);
    assert_non_null(strstr(fmapi_last_error(), "flags"));
    assert_int_equal(IPropData_GetProps(pd, NULL, 0, NULL, &got), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_GetProps(pd, NULL, 0, &n, NULL), MAPI_E_INVALID_PARAMETER);
    SizedSPropTagArray(1, empty) = {0, {0}};
    assert_int_equal(IPropData_GetProps(pd, (LPSPropTagArray)&empty, 0, &n, &got),
                     MAPI_E_INVALID_PARAMETER);
    LPSPropTagArray list;
    assert_int_equal(IPropData_GetPropList(pd, 0x1, &list), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IPropData_GetPropList(pd, 0, NULL), MAPI_E_INVALID_PARAMETER);
    IPropData_Release(pd);
}

static void prop_list_reports_string_width_by_flag_and_object_props(void **state)
{
    SPropValue v[FX_COUNT];
    LPPROPDATA pd = fx_full_propdata(v);
    SizedSPropTagArray(1, obj) = {1, {PROP_TAG(PT_OBJECT, 0x3F00)}};
    assert_int_equal(IPropData_HrAddObjProps(pd, (LPSPropTagArray)&obj, NULL), S_OK);
    LPSPropTagArray a, w;
    assert_int_equal(IPropData_GetPropList(pd, 0, &a), S_OK);
    assert_int_equal(IPropData_GetPropList(pd, MAPI_UNICODE, &w), S_OK);
    assert_int_equal(a->cValues, FX_SETTABLE + 1);
    assert_int_equal(w->cValues, FX_SETTABLE + 1);
    for (ULONG i = 0; i < a->cValues; i++) {
        ULONG ta = PROP_TYPE(a->aulPropTag[i]), tw = PROP_TYPE(w->aulPropTag[i]);
        assert_true(ta != PT_UNICODE && ta != PT_MV_UNICODE);
        assert_true(tw != PT_STRING8 && tw != PT_MV_STRING8);
    }
    assert_int_equal(a->aulPropTag[a->cValues - 1], PROP_TAG(PT_OBJECT, 0x3F00));
    MAPIFreeBuffer(a);
    MAPIFreeBuffer(w);
    IPropData_Release(pd);
}

static HRESULT get_all_once(void *ctx)
{
    ULONG n;
    LPSPropValue got = NULL;
    HRESULT hr = IPropData_GetProps((LPPROPDATA)ctx, NULL, MAPI_UNICODE, &n, &got);
    MAPIFreeBuffer(got);
    return hr;
}

static HRESULT get_list_once(void *ctx)
{
    LPSPropTagArray list = NULL;
    HRESULT hr = IPropData_GetPropList((LPPROPDATA)ctx, 0, &list);
    MAPIFreeBuffer(list);
    return hr;
}

static void out_of_memory_fails_cleanly(void **state)
{
    SPropValue v[FX_COUNT];
    LPPROPDATA pd = fx_full_propdata(v);
    assert_true(fm_test_oom_sweep(get_all_once, pd) > FX_COUNT / 2);
    assert_int_equal(fm_test_oom_sweep(get_list_once, pd), 1);
    IPropData_Release(pd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_tag_list_returns_every_property_as_stored),
        cmocka_unit_test(requested_tags_come_back_in_request_order),
        cmocka_unit_test(unspecified_type_returns_the_stored_type),
        cmocka_unit_test(strings_convert_to_the_requested_width),
        cmocka_unit_test(unavailable_properties_are_pt_error_entries_with_a_warning),
        cmocka_unit_test(empty_object_returns_no_values),
        cmocka_unit_test(bad_arguments_are_refused_with_text),
        cmocka_unit_test(prop_list_reports_string_width_by_flag_and_object_props),
        cmocka_unit_test(out_of_memory_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
