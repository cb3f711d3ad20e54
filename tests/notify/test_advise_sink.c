/*
 * tests/notify/test_advise_sink.c - HrAllocAdviseSink: OnNotify calls the
 * callback with the context and the notifications and returns its result;
 * the object is an ordinary reference-counted IMAPIAdviseSink.
 */
#include "notify_fixture.h"

typedef struct seen {
    void *ctx;
    ULONG c;
    LPNOTIFICATION n;
} seen;

static LONG STDAPICALLTYPE remember(LPVOID ctx, ULONG c, LPNOTIFICATION n)
{
    seen *s = ctx;
    s->ctx = ctx;
    s->c = c;
    s->n = n;
    return 0x1234;
}

static void on_notify_calls_the_callback_with_its_context(void **state)
{
    seen s = { 0 };
    IMAPIAdviseSink *sink = NULL;
    assert_int_equal(HrAllocAdviseSink(remember, &s, &sink), S_OK);
    NOTIFICATION n[NX_TYPES];
    SPropValue row[FX_COUNT];
    nx_all_types(n, row);
    assert_int_equal(IMAPIAdviseSink_OnNotify(sink, NX_TYPES, n), 0x1234);
    assert_ptr_equal(s.ctx, &s);
    assert_int_equal(s.c, NX_TYPES);
    assert_ptr_equal(s.n, n);
    assert_int_equal(IMAPIAdviseSink_Release(sink), 0);
}

static void it_answers_iunknown_and_imapiadvisesink_only(void **state)
{
    seen s = { 0 };
    IMAPIAdviseSink *sink = NULL;
    assert_int_equal(HrAllocAdviseSink(remember, &s, &sink), S_OK);
    void *p = NULL;
    assert_int_equal(IMAPIAdviseSink_QueryInterface(sink, &IID_IMAPIAdviseSink, &p), S_OK);
    assert_ptr_equal(p, sink);
    assert_int_equal(IMAPIAdviseSink_QueryInterface(sink, &IID_IUnknown, &p), S_OK);
    assert_int_equal(IMAPIAdviseSink_QueryInterface(sink, &IID_IMAPIProp, &p),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_null(p);
    assert_int_equal(IMAPIAdviseSink_Release(sink), 2);
    assert_int_equal(IMAPIAdviseSink_Release(sink), 1);
    assert_int_equal(IMAPIAdviseSink_Release(sink), 0);
}

static void bad_arguments_are_refused(void **state)
{
    IMAPIAdviseSink *sink = (IMAPIAdviseSink *)&sink;
    assert_int_equal(HrAllocAdviseSink(NULL, NULL, &sink), MAPI_E_INVALID_PARAMETER);
    assert_null(sink);
    assert_int_equal(HrAllocAdviseSink(remember, NULL, NULL), MAPI_E_INVALID_PARAMETER);
}

static HRESULT alloc_and_release(void *ctx)
{
    IMAPIAdviseSink *sink = NULL;
    HRESULT hr = HrAllocAdviseSink(remember, ctx, &sink);
    if (hr == S_OK)
        IMAPIAdviseSink_Release(sink);
    else
        assert_null(sink);
    return hr;
}

static void out_of_memory_is_a_clean_failure(void **state)
{
    seen s;
    assert_int_equal(fm_test_oom_sweep(alloc_and_release, &s), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(on_notify_calls_the_callback_with_its_context),
        cmocka_unit_test(it_answers_iunknown_and_imapiadvisesink_only),
        cmocka_unit_test(bad_arguments_are_refused),
        cmocka_unit_test(out_of_memory_is_a_clean_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
