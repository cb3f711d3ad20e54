/*
 * tests/props/test_propdata.c - CreateIProp and IPropData's IUnknown,
 * GetLastError, SaveChanges and OpenProperty, the allocators it is given,
 * and threads hammering one object.
 */
#include <pthread.h>

#include "props_fixture.h"

static void create_accepts_the_documented_interfaces(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPCIID ok[] = {NULL, &IID_IMAPIPropData, &IID_IMAPIProp};
    for (int i = 0; i < 3; i++) {
        LPPROPDATA pd = NULL;
        assert_int_equal(
            CreateIProp(ok[i], MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL, &pd),
            S_OK);
        assert_non_null(pd);
        assert_int_equal(IPropData_Release(pd), 0);
    }
    fm_test_assert_no_leak(&b);
}

static void create_refuses_bad_arguments_with_text(void **state)
{
    LPPROPDATA pd = (LPPROPDATA)&pd;
    assert_int_equal(
        CreateIProp(&IID_IMessage, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL, &pd),
        MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_null(pd);
    assert_int_equal(CreateIProp(NULL, NULL, MAPIAllocateMore, MAPIFreeBuffer, NULL, &pd),
                     MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "allocator"));
    assert_int_equal(CreateIProp(NULL, MAPIAllocateBuffer, NULL, MAPIFreeBuffer, NULL, &pd),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(CreateIProp(NULL, MAPIAllocateBuffer, MAPIAllocateMore, NULL, NULL, &pd),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(
        CreateIProp(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, &pd, &pd),
        MAPI_E_INVALID_PARAMETER);
    assert_int_equal(
        CreateIProp(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL, NULL),
        MAPI_E_INVALID_PARAMETER);
}

static void query_interface_gives_the_three_interfaces_only(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA pd = fx_new_propdata();
    LPCIID ok[] = {&IID_IUnknown, &IID_IMAPIProp, &IID_IMAPIPropData};
    for (int i = 0; i < 3; i++) {
        void *p = NULL;
        assert_int_equal(IPropData_QueryInterface(pd, ok[i], &p), S_OK);
        assert_ptr_equal(p, pd);
        assert_int_equal(IPropData_Release(pd), 1);
    }
    void *p = pd;
    assert_int_equal(IPropData_QueryInterface(pd, &IID_IMessage, &p),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_null(p);
    assert_int_equal(IPropData_QueryInterface(pd, &IID_IUnknown, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_AddRef(pd), 2);
    assert_int_equal(IPropData_Release(pd), 1);
    assert_int_equal(IPropData_Release(pd), 0);
    fm_test_assert_no_leak(&b);
}

static void last_error_explains_the_objects_last_failure(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA pd = fx_new_propdata();
    HRESULT hr = IPropData_GetProps(pd, NULL, 0x40, NULL, NULL);
    assert_int_equal(hr, MAPI_E_INVALID_PARAMETER);
    LPMAPIERROR err = NULL;
    assert_int_equal(IPropData_GetLastError(pd, hr, 0, &err), S_OK);
    assert_non_null(strstr((char *)err->lpszError, "GetProps"));
    assert_string_equal((char *)err->lpszComponent, "IPropData");
    assert_int_equal(err->ulContext, (ULONG)hr);
    MAPIFreeBuffer(err);
    /* Another code than the remembered one: only its name is known. */
    assert_int_equal(IPropData_GetLastError(pd, MAPI_E_NOT_ENOUGH_MEMORY, MAPI_UNICODE, &err),
                     S_OK);
    assert_true(fx_wcs_equal((WCHAR *)err->lpszError, u"MAPI_E_NOT_ENOUGH_MEMORY"));
    MAPIFreeBuffer(err);
    assert_int_equal(IPropData_GetLastError(pd, hr, 0x1, &err), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IPropData_GetLastError(pd, hr, 0, NULL), MAPI_E_INVALID_PARAMETER);
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

static void save_changes_succeeds_and_keeps_everything(void **state)
{
    SPropValue v[FX_COUNT];
    LPPROPDATA pd = fx_full_propdata(v);
    assert_int_equal(IPropData_SaveChanges(pd, KEEP_OPEN_READWRITE), S_OK);
    assert_int_equal(IPropData_SaveChanges(pd, 0), S_OK);
    assert_int_equal(IPropData_SaveChanges(pd, 0x100), MAPI_E_UNKNOWN_FLAGS);
    LPSPropTagArray list;
    assert_int_equal(IPropData_GetPropList(pd, 0, &list), S_OK);
    assert_int_equal(list->cValues, FX_SETTABLE);
    MAPIFreeBuffer(list);
    IPropData_Release(pd);
}

static void open_property_is_not_supported(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    LPUNKNOWN unk = (LPUNKNOWN)pd;
    assert_int_equal(
        IPropData_OpenProperty(pd, PROP_TAG(PT_OBJECT, 0x3000), &IID_IMAPIProp, 0, 0, &unk),
        MAPI_E_NO_SUPPORT);
    assert_null(unk);
    assert_non_null(strstr(fmapi_last_error(), "OpenProperty"));
    assert_int_equal(
        IPropData_OpenProperty(pd, PROP_TAG(PT_OBJECT, 0x3000), &IID_IMAPIProp, 0, 0, NULL),
        MAPI_E_INVALID_PARAMETER);
    IPropData_Release(pd);
}

/* Allocators that count, to see the object use the ones it was given. */
static int given_allocs;
static SCODE STDMETHODCALLTYPE counting_alloc(ULONG cb, LPVOID *pp)
{
    given_allocs++;
    return MAPIAllocateBuffer(cb, pp);
}
static SCODE STDMETHODCALLTYPE counting_more(ULONG cb, LPVOID obj, LPVOID *pp)
{
    given_allocs++;
    return MAPIAllocateMore(cb, obj, pp);
}

static void returned_memory_comes_from_the_given_allocators(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA pd;
    assert_int_equal(CreateIProp(NULL, counting_alloc, counting_more, MAPIFreeBuffer, NULL, &pd),
                     S_OK);
    SPropValue v = {PROP_TAG(PT_STRING8, 0x3000), 0, {.lpszA = (char *)"text"}};
    assert_int_equal(IPropData_SetProps(pd, 1, &v, NULL), S_OK);
    assert_int_equal(given_allocs, 0); /* storage is internal */
    ULONG n;
    LPSPropValue got;
    assert_int_equal(IPropData_GetProps(pd, NULL, 0, &n, &got), S_OK);
    assert_int_equal(given_allocs, 2); /* the array, then the string onto it */
    MAPIFreeBuffer(got);
    IPropData_Release(pd);
    fm_test_assert_no_leak(&b);
}

static HRESULT create_once(void *ctx)
{
    LPPROPDATA pd = NULL;
    HRESULT hr = CreateIProp(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL, &pd);
    if (pd)
        IPropData_Release(pd);
    return hr;
}

static void create_out_of_memory_fails_cleanly(void **state)
{
    assert_int_equal(fm_test_oom_sweep(create_once, NULL), 1);
}

static HRESULT last_error_once(void *ctx)
{
    LPMAPIERROR err = NULL;
    HRESULT hr =
        IPropData_GetLastError((LPPROPDATA)ctx, MAPI_E_INVALID_PARAMETER, MAPI_UNICODE, &err);
    MAPIFreeBuffer(err);
    return hr;
}

static void last_error_out_of_memory_fails_cleanly(void **state)
{
    LPPROPDATA pd = fx_new_propdata();
    IPropData_GetProps(pd, NULL, 0, NULL, NULL);
    assert_int_equal(fm_test_oom_sweep(last_error_once, pd), 1);
    IPropData_Release(pd);
}

/* ---- threads ---------------------------------------------------------- */

#define HAMMER_THREADS 4
#define HAMMER_ROUNDS 2000

typedef struct hammer {
    LPPROPDATA pd;
    int index;
} hammer;

static void *hammer_body(void *arg)
{
    hammer *h = arg;
    SPropValue v[FX_COUNT];
    fx_all_types(v);
    for (int r = 0; r < HAMMER_ROUNDS; r++) {
        /* Each thread owns one identifier and also touches a shared one. */
        SPropValue mine = v[23];
        mine.ulPropTag = PROP_TAG(PT_MV_STRING8, 0x4000 + h->index);
        SPropValue shared = v[(r + h->index) % 2 ? 10 : 11];
        shared.ulPropTag = CHANGE_PROP_TYPE(PROP_TAG(0, 0x4100), PROP_TYPE(shared.ulPropTag));
        if (IPropData_SetProps(h->pd, 1, &mine, NULL) != S_OK ||
            IPropData_SetProps(h->pd, 1, &shared, NULL) != S_OK)
            return (void *)1;
        IPropData_AddRef(h->pd);
        ULONG n;
        LPSPropValue got;
        SizedSPropTagArray(2, t) = {2, {mine.ulPropTag, PROP_TAG(PT_UNICODE, 0x4100)}};
        if (IPropData_GetProps(h->pd, (LPSPropTagArray)&t, 0, &n, &got) != S_OK || n != 2 ||
            !fx_values_equal(&got[0], &mine) || PROP_TYPE(got[1].ulPropTag) != PT_UNICODE)
            return (void *)2;
        MAPIFreeBuffer(got);
        SizedSPropTagArray(1, d) = {1, {mine.ulPropTag}};
        if (r % 3 == 0 && IPropData_DeleteProps(h->pd, (LPSPropTagArray)&d, NULL) != S_OK)
            return (void *)3;
        LPSPropTagArray list;
        if (IPropData_GetPropList(h->pd, MAPI_UNICODE, &list) != S_OK)
            return (void *)4;
        MAPIFreeBuffer(list);
        IPropData_Release(h->pd);
    }
    return NULL;
}

static void threads_hammering_one_object_see_consistent_values(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA pd = fx_new_propdata();
    pthread_t t[HAMMER_THREADS];
    hammer h[HAMMER_THREADS];
    for (int i = 0; i < HAMMER_THREADS; i++) {
        h[i] = (hammer){pd, i};
        assert_int_equal(pthread_create(&t[i], NULL, hammer_body, &h[i]), 0);
    }
    for (int i = 0; i < HAMMER_THREADS; i++) {
        void *rv;
        pthread_join(t[i], &rv);
        assert_null(rv);
    }
    assert_int_equal(IPropData_Release(pd), 0);
    fm_test_assert_no_leak(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_accepts_the_documented_interfaces),
        cmocka_unit_test(create_refuses_bad_arguments_with_text),
        cmocka_unit_test(query_interface_gives_the_three_interfaces_only),
        cmocka_unit_test(last_error_explains_the_objects_last_failure),
        cmocka_unit_test(save_changes_succeeds_and_keeps_everything),
        cmocka_unit_test(open_property_is_not_supported),
        cmocka_unit_test(returned_memory_comes_from_the_given_allocators),
        cmocka_unit_test(create_out_of_memory_fails_cleanly),
        cmocka_unit_test(last_error_out_of_memory_fails_cleanly),
        cmocka_unit_test(threads_hammering_one_object_see_consistent_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
