/*
 * tests/props/test_propdata_copy.c - IPropData's CopyTo and CopyProps into a
 * second IPropData (and a scripted IMAPIProp): every type, exclusions,
 * MAPI_NOREPLACE, MAPI_MOVE, named properties, problems, and OOM sweeps.
 */
#include <pthread.h>

#include "props_fixture.h"
#include "stub_prop.h"

static GUID ps_other = {0x11112222, 3, 4, {5, 6, 7, 8, 9, 10, 11, 12}};

static LPSPropValue get_all(LPPROPDATA pd, ULONG *n)
{
    LPSPropValue v = NULL;
    HRESULT hr = IPropData_GetProps(pd, NULL, MAPI_UNICODE, n, &v);
    assert_true(hr == S_OK || hr == MAPI_W_ERRORS_RETURNED);
    return v;
}

static void copy_to_copies_every_type_deeply(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    SPropValue v[FX_COUNT];
    LPPROPDATA src = fx_full_propdata(v), dst = fx_new_propdata();
    LPSPropProblemArray probs = (LPSPropProblemArray)&v;
    assert_int_equal(
        IPropData_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMAPIPropData, dst, 0, &probs), S_OK);
    assert_null(probs);
    ULONG ns, nd;
    LPSPropValue a = get_all(src, &ns), c = get_all(dst, &nd);
    assert_int_equal(ns, nd);
    fx_assert_values_equal(c, a, ns);
    MAPIFreeBuffer(a);
    MAPIFreeBuffer(c);
    IPropData_Release(src);
    IPropData_Release(dst);
    fm_test_assert_no_leak(&b);
}

static void excluded_properties_and_interfaces_are_not_copied(void **state)
{
    SPropValue v[FX_COUNT];
    LPPROPDATA src = fx_full_propdata(v), dst = fx_new_propdata();
    SizedSPropTagArray(2, ex) = {2, {PROP_TAG(PT_UNSPECIFIED, FX_ID_BASE + 0), v[23].ulPropTag}};
    assert_int_equal(
        IPropData_CopyTo(src, 0, NULL, (LPSPropTagArray)&ex, 0, NULL, &IID_IMAPIProp, dst, 0, NULL),
        S_OK);
    assert_false(FPropExists((LPMAPIPROP)dst, v[0].ulPropTag));
    assert_false(FPropExists((LPMAPIPROP)dst, v[23].ulPropTag));
    assert_true(FPropExists((LPMAPIPROP)dst, v[1].ulPropTag));
    IPropData_Release(dst);
    dst = fx_new_propdata();
    IID skip[] = {IID_IMAPIProp};
    assert_int_equal(IPropData_CopyTo(src, 1, skip, NULL, 0, NULL, &IID_IMAPIProp, dst, 0, NULL),
                     S_OK);
    assert_false(FPropExists((LPMAPIPROP)dst, v[1].ulPropTag));
    IPropData_Release(src);
    IPropData_Release(dst);
}

static void noreplace_keeps_what_the_destination_has(void **state)
{
    LPPROPDATA src = fx_new_propdata(), dst = fx_new_propdata();
    SPropValue s[2] = {{PROP_TAG(PT_LONG, 0x3001), 0, {.l = 1}},
                       {PROP_TAG(PT_LONG, 0x3002), 0, {.l = 2}}};
    SPropValue d = {PROP_TAG(PT_LONG, 0x3001), 0, {.l = 99}};
    assert_int_equal(IPropData_SetProps(src, 2, s, NULL), S_OK);
    assert_int_equal(IPropData_SetProps(dst, 1, &d, NULL), S_OK);
    assert_int_equal(IPropData_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMAPIPropData, dst,
                                      MAPI_NOREPLACE, NULL),
                     S_OK);
    LPSPropValue got;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)dst, s[0].ulPropTag, &got), S_OK);
    assert_int_equal(got->Value.l, 99);
    MAPIFreeBuffer(got);
    assert_int_equal(HrGetOneProp((LPMAPIPROP)dst, s[1].ulPropTag, &got), S_OK);
    assert_int_equal(got->Value.l, 2);
    MAPIFreeBuffer(got);
    /* Without the flag the value is replaced. */
    assert_int_equal(IPropData_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMAPIPropData, dst,
                                      MAPI_DECLINE_OK, NULL),
                     S_OK);
    assert_int_equal(HrGetOneProp((LPMAPIPROP)dst, s[0].ulPropTag, &got), S_OK);
    assert_int_equal(got->Value.l, 1);
    MAPIFreeBuffer(got);
    IPropData_Release(src);
    IPropData_Release(dst);
}

static void move_deletes_from_the_source_what_arrived(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA src = fx_new_propdata(), dst = fx_new_propdata();
    SPropValue s[2] = {{PROP_TAG(PT_LONG, 0x3001), 0, {.l = 1}},
                       {PROP_TAG(PT_STRING8, 0x3002), 0, {.lpszA = (char *)"moved"}}};
    assert_int_equal(IPropData_SetProps(src, 2, s, NULL), S_OK);
    /* A read-only property at the destination refuses the first value. */
    assert_int_equal(IPropData_SetProps(dst, 1, &s[0], NULL), S_OK);
    SizedSPropTagArray(1, t) = {1, {s[0].ulPropTag}};
    ULONG ro = IPROP_READONLY;
    assert_int_equal(IPropData_HrSetPropAccess(dst, (LPSPropTagArray)&t, &ro), S_OK);
    LPSPropProblemArray probs = NULL;
    assert_int_equal(
        IPropData_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMAPIPropData, dst, MAPI_MOVE, &probs),
        S_OK);
    assert_int_equal(probs->cProblem, 1);
    assert_int_equal(probs->aProblem[0].ulIndex, 0);
    assert_int_equal(probs->aProblem[0].scode, MAPI_E_NO_ACCESS);
    MAPIFreeBuffer(probs);
    assert_true(FPropExists((LPMAPIPROP)src, s[0].ulPropTag));  /* not moved */
    assert_false(FPropExists((LPMAPIPROP)src, s[1].ulPropTag)); /* moved */
    assert_true(FPropExists((LPMAPIPROP)dst, s[1].ulPropTag));
    IPropData_Release(src);
    IPropData_Release(dst);
    fm_test_assert_no_leak(&b);
}

static void named_properties_get_the_destinations_identifiers(void **state)
{
    LPPROPDATA src = fx_new_propdata(), dst = fx_new_propdata();
    WCHAR a_name[] = u"first", b_name[] = u"second";
    MAPINAMEID na = {&ps_other, MNID_STRING, {.lpwstrName = a_name}};
    MAPINAMEID nb = {&ps_other, MNID_STRING, {.lpwstrName = b_name}};
    LPMAPINAMEID only_b[] = {&nb}, both[] = {&na, &nb};
    LPSPropTagArray tags;
    /* The destination knows "second" already, under 0x8000. */
    assert_int_equal(IPropData_GetIDsFromNames(dst, 1, only_b, MAPI_CREATE, &tags), S_OK);
    MAPIFreeBuffer(tags);
    assert_int_equal(IPropData_GetIDsFromNames(src, 2, both, MAPI_CREATE, &tags), S_OK);
    SPropValue v = {PROP_TAG(PT_LONG, PROP_ID(tags->aulPropTag[1])), 0, {.l = 42}};
    assert_int_equal(PROP_ID(v.ulPropTag), 0x8001);
    MAPIFreeBuffer(tags);
    assert_int_equal(IPropData_SetProps(src, 1, &v, NULL), S_OK);
    assert_int_equal(
        IPropData_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMAPIPropData, dst, 0, NULL), S_OK);
    LPSPropValue got;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)dst, PROP_TAG(PT_LONG, 0x8000), &got), S_OK);
    assert_int_equal(got->Value.l, 42);
    MAPIFreeBuffer(got);
    assert_false(FPropExists((LPMAPIPROP)dst, PROP_TAG(PT_LONG, 0x8001)));
    IPropData_Release(src);
    IPropData_Release(dst);
}

static void copy_props_copies_the_included_and_reports_the_rest(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    SPropValue v[FX_COUNT];
    LPPROPDATA src = fx_full_propdata(v), dst = fx_new_propdata();
    SizedSPropTagArray(1, o) = {1, {PROP_TAG(PT_OBJECT, 0x3F00)}};
    assert_int_equal(IPropData_HrAddObjProps(src, (LPSPropTagArray)&o, NULL), S_OK);
    SizedSPropTagArray(4, inc) = {
        4,
        {v[10].ulPropTag, PROP_TAG(PT_LONG, 0x7777), PROP_TAG(PT_OBJECT, 0x3F00), v[26].ulPropTag}};
    LPSPropProblemArray probs;
    assert_int_equal(IPropData_CopyProps(src, (LPSPropTagArray)&inc, 0, NULL, &IID_IMAPIPropData,
                                         dst, 0, &probs),
                     S_OK);
    assert_int_equal(probs->cProblem, 2);
    assert_int_equal(probs->aProblem[0].ulIndex, 1);
    assert_int_equal(probs->aProblem[0].scode, MAPI_E_NOT_FOUND);
    assert_int_equal(probs->aProblem[1].ulIndex, 2);
    assert_int_equal(probs->aProblem[1].scode, MAPI_E_NO_SUPPORT);
    MAPIFreeBuffer(probs);
    LPSPropTagArray list;
    assert_int_equal(IPropData_GetPropList(dst, 0, &list), S_OK);
    assert_int_equal(list->cValues, 2);
    MAPIFreeBuffer(list);
    LPSPropValue got;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)dst, v[26].ulPropTag, &got), S_OK);
    assert_true(fx_values_equal(got, &v[26]));
    MAPIFreeBuffer(got);
    IPropData_Release(src);
    IPropData_Release(dst);
    fm_test_assert_no_leak(&b);
}

static void bad_arguments_are_refused_with_text(void **state)
{
    LPPROPDATA src = fx_new_propdata(), dst = fx_new_propdata();
    SPropValue v = {PROP_TAG(PT_LONG, 0x3001), 0, {.l = 1}};
    assert_int_equal(IPropData_SetProps(src, 1, &v, NULL), S_OK);
    assert_int_equal(
        IPropData_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMAPIPropData, src, 0, NULL),
        MAPI_E_NO_ACCESS);
    assert_non_null(strstr(fmapi_last_error(), "source"));
    assert_int_equal(IPropData_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IUnknown, dst, 0, NULL),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_int_equal(IPropData_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMessage, dst, 0, NULL),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_int_equal(IPropData_CopyTo(src, 0, NULL, NULL, 0, NULL, NULL, dst, 0, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMAPIProp, NULL, 0, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_CopyTo(src, 1, NULL, NULL, 0, NULL, &IID_IMAPIProp, dst, 0, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(
        IPropData_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMAPIProp, dst, 0x100, NULL),
        MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IPropData_CopyProps(src, NULL, 0, NULL, &IID_IMAPIProp, dst, 0, NULL),
                     MAPI_E_INVALID_PARAMETER);
    SizedSPropTagArray(1, with_null) = {1, {PR_NULL}};
    assert_int_equal(IPropData_CopyProps(src, (LPSPropTagArray)&with_null, 0, NULL, &IID_IMAPIProp,
                                         dst, 0, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_HrSetObjAccess(src, IPROP_READONLY), S_OK);
    assert_int_equal(
        IPropData_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMAPIProp, dst, MAPI_MOVE, NULL),
        MAPI_E_NO_ACCESS);
    assert_int_equal(IPropData_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMAPIProp, dst, 0, NULL),
                     S_OK);
    assert_false(FPropExists((LPMAPIPROP)dst, 0));
    assert_true(FPropExists((LPMAPIPROP)dst, v.ulPropTag));
    IPropData_Release(src);
    IPropData_Release(dst);
}

static void failures_of_the_destination_are_passed_up(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    SPropValue v[FX_COUNT];
    LPPROPDATA src = fx_full_propdata(v);
    stub_prop s = stub_make();
    s.set_hr = MAPI_E_CALL_FAILED;
    assert_int_equal(
        IPropData_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMAPIProp, &s.iface, 0, NULL),
        MAPI_E_CALL_FAILED);
    s.set_hr = S_OK;
    s.set_problem = MAPI_E_COMPUTED;
    LPSPropProblemArray probs;
    assert_int_equal(
        IPropData_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMAPIProp, &s.iface, 0, &probs), S_OK);
    assert_int_equal(probs->cProblem, 1);
    assert_int_equal(probs->aProblem[0].scode, MAPI_E_COMPUTED);
    MAPIFreeBuffer(probs);
    assert_int_equal(s.refs, 1); /* the destination was released again */
    IPropData_Release(src);
    fm_test_assert_no_leak(&b);
}

typedef struct copy_ctx {
    LPPROPDATA src, dst;
    ULONG flags;
} copy_ctx;

static HRESULT copy_once(void *ctx)
{
    copy_ctx *c = ctx;
    LPSPropProblemArray probs = NULL;
    HRESULT hr = IPropData_CopyTo(c->src, 0, NULL, NULL, 0, NULL, &IID_IMAPIPropData, c->dst,
                                  c->flags, &probs);
    MAPIFreeBuffer(probs);
    return hr;
}

static void copy_out_of_memory_fails_cleanly(void **state)
{
    SPropValue v[FX_COUNT];
    copy_ctx c = {fx_full_propdata(v), fx_new_propdata(), 0};
    WCHAR name[] = u"named";
    MAPINAMEID n = {&ps_other, MNID_STRING, {.lpwstrName = name}};
    LPMAPINAMEID names[] = {&n};
    LPSPropTagArray tags;
    assert_int_equal(IPropData_GetIDsFromNames(c.src, 1, names, MAPI_CREATE, &tags), S_OK);
    SPropValue named = {PROP_TAG(PT_LONG, PROP_ID(tags->aulPropTag[0])), 0, {.l = 5}};
    MAPIFreeBuffer(tags);
    assert_int_equal(IPropData_SetProps(c.src, 1, &named, NULL), S_OK);
    SizedSPropTagArray(1, o) = {1, {PROP_TAG(PT_OBJECT, 0x3F00)}}; /* gives a problem */
    assert_int_equal(IPropData_HrAddObjProps(c.src, (LPSPropTagArray)&o, NULL), S_OK);
    assert_int_equal(copy_once(&c), S_OK); /* the destination holds it all from here */
    assert_true(fm_test_oom_sweep(copy_once, &c) > FX_COUNT);
    c.flags = MAPI_NOREPLACE;
    assert_true(fm_test_oom_sweep(copy_once, &c) > FX_COUNT);
    IPropData_Release(c.src);
    IPropData_Release(c.dst);
}

static HRESULT move_once(void *ctx)
{
    copy_ctx *c = ctx;
    SPropValue v[FX_COUNT];
    fx_all_types(v);
    HRESULT hr = IPropData_SetProps(c->src, 3, &v[23], NULL);
    if (hr != S_OK)
        return hr;
    hr = IPropData_CopyTo(c->src, 0, NULL, NULL, 0, NULL, &IID_IMAPIPropData, c->dst, MAPI_MOVE,
                          NULL);
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY) {
        /* A failed move must have left all three in the source: delete
         * them, and any one missing is a problem (and a failed test). */
        SizedSPropTagArray(3, t) = {3, {v[23].ulPropTag, v[24].ulPropTag, v[25].ulPropTag}};
        LPSPropProblemArray probs = NULL;
        if (IPropData_DeleteProps(c->src, (LPSPropTagArray)&t, &probs) != S_OK || probs != NULL) {
            MAPIFreeBuffer(probs);
            return E_FAIL;
        }
    }
    return hr;
}

static void move_out_of_memory_fails_cleanly(void **state)
{
    copy_ctx c = {fx_new_propdata(), fx_new_propdata(), 0};
    assert_int_equal(move_once(&c), S_OK);
    assert_true(fm_test_oom_sweep(move_once, &c) > 3);
    IPropData_Release(c.src);
    IPropData_Release(c.dst);
}

typedef struct cross {
    LPPROPDATA from, to;
} cross;

static void *cross_body(void *arg)
{
    cross *x = arg;
    for (int i = 0; i < 500; i++)
        if (IPropData_CopyTo(x->from, 0, NULL, NULL, 0, NULL, &IID_IMAPIPropData, x->to, 0,
                             NULL) != S_OK)
            return (void *)1;
    return NULL;
}

static void two_objects_copying_into_each_other_do_not_deadlock(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    SPropValue v[FX_COUNT];
    LPPROPDATA p = fx_full_propdata(v), q = fx_full_propdata(v);
    cross xs[2] = { { p, q }, { q, p } };
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, cross_body, &xs[i]), 0);
    for (int i = 0; i < 2; i++) {
        void *rv;
        pthread_join(t[i], &rv);
        assert_null(rv);
    }
    IPropData_Release(p);
    IPropData_Release(q);
    fm_test_assert_no_leak(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(copy_to_copies_every_type_deeply),
        cmocka_unit_test(excluded_properties_and_interfaces_are_not_copied),
        cmocka_unit_test(noreplace_keeps_what_the_destination_has),
        cmocka_unit_test(move_deletes_from_the_source_what_arrived),
        cmocka_unit_test(named_properties_get_the_destinations_identifiers),
        cmocka_unit_test(copy_props_copies_the_included_and_reports_the_rest),
        cmocka_unit_test(bad_arguments_are_refused_with_text),
        cmocka_unit_test(failures_of_the_destination_are_passed_up),
        cmocka_unit_test(copy_out_of_memory_fails_cleanly),
        cmocka_unit_test(move_out_of_memory_fails_cleanly),
        cmocka_unit_test(two_objects_copying_into_each_other_do_not_deadlock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
