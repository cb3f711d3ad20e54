/*
 * tests/props/test_refcount.c - UlAddRef and UlRelease on a counting
 * IUnknown and on an IPropData; NULL gives 0.
 */
#include "fm_test.h"
#include "mapiutil.h"

typedef struct counter {
    IUnknown iface;
    ULONG refs;
} counter;

static STDMETHODIMP qi(IUnknown *This, REFIID riid, LPVOID *ppv)
{
    *ppv = NULL;
    return E_NOINTERFACE;
}
static STDMETHODIMP_(ULONG) addref(IUnknown *This)
{
    return ++((counter *)This)->refs;
}
static STDMETHODIMP_(ULONG) release(IUnknown *This)
{
    return --((counter *)This)->refs;
}
static const IUnknownVtbl counter_vtbl = {qi, addref, release};

static void add_ref_and_release_return_the_objects_count(void **state)
{
    counter c = {{&counter_vtbl}, 1};
    assert_int_equal(UlAddRef(&c), 2);
    assert_int_equal(UlAddRef(&c), 3);
    assert_int_equal(UlRelease(&c), 2);
    assert_int_equal(c.refs, 2);
}

static void null_gives_zero(void **state)
{
    assert_int_equal(UlAddRef(NULL), 0);
    assert_int_equal(UlRelease(NULL), 0);
}

static void works_on_an_ipropdata_until_it_is_gone(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPPROPDATA pd;
    assert_int_equal(
        CreateIProp(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL, &pd), S_OK);
    assert_int_equal(UlAddRef(pd), 2);
    assert_int_equal(UlRelease(pd), 1);
    assert_int_equal(UlRelease(pd), 0);
    fm_test_assert_no_leak(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_ref_and_release_return_the_objects_count),
        cmocka_unit_test(null_gives_zero),
        cmocka_unit_test(works_on_an_ipropdata_until_it_is_gone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
