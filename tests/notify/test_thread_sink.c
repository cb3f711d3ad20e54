/*
 * tests/notify/test_thread_sink.c - HrThisThreadAdviseSink and
 * HrDispatchNotifications: notifications for a wrapped sink wait until the
 * thread that wrapped it dispatches, and then run on that thread; the
 * thread's descriptor tells an event loop when to dispatch; a copy that
 * cannot be made arrives as a loss notice; a thread that ended takes its
 * queue with it.
 */
#include <poll.h>

#include "notify_fixture.h"

static fm_notify_source src;

static int setup(void **state)
{
    fm_notify_source_init(&src, FM_NOTIFY_OBJECTS);
    return 0;
}

static void post(int64_t id)
{
    int64_t parent = 1;
    NOTIFICATION n = nx_object(fnevObjectCreated, &id, &parent);
    fm_notify_event *e;
    assert_int_equal(fm_notify_event_new(&n, &e), S_OK);
    uint64_t key = 1;
    fm_notify_post(&src, &key, 1, e);
    fm_notify_event_release(e);
}

static void notifications_run_on_the_wrapping_thread_when_it_dispatches(void **state)
{
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *inner = nx_recorder_sink(&r), *wrapped = NULL;
    assert_int_equal(HrThisThreadAdviseSink(inner, &wrapped), S_OK);
    IMAPIAdviseSink_Release(inner); /* the wrapper keeps it */
    ULONG_PTR c;
    assert_int_equal(fm_notify_advise(&src, 1, fnevObjectCreated, wrapped, "A", &c), S_OK);
    for (int64_t i = 1; i <= 3; i++)
        post(i);
    assert_int_equal(fm_notify_wait_idle(60000), S_OK); /* a notification thread took them */
    assert_int_equal(r.n, 0);
    assert_int_equal(fmapi_notify_thread_wait(60000), S_OK);
    assert_int_equal(HrDispatchNotifications(0), S_OK);
    assert_int_equal(r.n, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_true(pthread_equal(r.thread[i], pthread_self()));
        assert_int_equal(nx_id(r.seen[i]), (int64_t)i + 1);
    }
    assert_int_equal(HrDispatchNotifications(0), S_OK); /* nothing more */
    assert_int_equal(r.n, 3);
    assert_int_equal(fmapi_notify_thread_wait(0), MAPI_E_TIMEOUT);
    fm_notify_unadvise(&src, c, "U");
    IMAPIAdviseSink_Release(wrapped);
    nx_recorder_clear(&r);
}

static void the_thread_descriptor_is_readable_while_something_waits(void **state)
{
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *inner = nx_recorder_sink(&r), *wrapped = NULL;
    assert_int_equal(HrThisThreadAdviseSink(inner, &wrapped), S_OK);
    int fd = fmapi_notify_thread_fd();
    assert_true(fd >= 0);
    assert_int_equal(fmapi_notify_thread_fd(), fd);
    struct pollfd p = { fd, POLLIN, 0 };
    assert_int_equal(poll(&p, 1, 0), 0);
    NOTIFICATION n[NX_TYPES];
    SPropValue row[FX_COUNT];
    nx_all_types(n, row);
    /* Called directly, as any notification thread would. */
    assert_int_equal(IMAPIAdviseSink_OnNotify(wrapped, NX_TYPES, n), 0);
    assert_int_equal(poll(&p, 1, 60000), 1);
    assert_int_equal(HrDispatchNotifications(0), S_OK);
    assert_int_equal(poll(&p, 1, 0), 0);
    assert_int_equal(r.n, NX_TYPES);
    for (int i = 0; i < NX_TYPES; i++)
        assert_true(nx_equal(r.seen[i], &n[i]));
    IMAPIAdviseSink_Release(inner);
    IMAPIAdviseSink_Release(wrapped);
    nx_recorder_clear(&r);
}

typedef struct other_thread {
    IMAPIAdviseSink *wrapped;
    HRESULT dispatched;
} other_thread;

static void *dispatch_elsewhere(void *p)
{
    other_thread *o = p;
    o->dispatched = HrDispatchNotifications(0);
    return NULL;
}

static void another_thread_cannot_dispatch_them(void **state)
{
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *inner = nx_recorder_sink(&r), *wrapped = NULL;
    assert_int_equal(HrThisThreadAdviseSink(inner, &wrapped), S_OK);
    int64_t id = 5;
    NOTIFICATION n = nx_object(fnevObjectModified, &id, NULL);
    IMAPIAdviseSink_OnNotify(wrapped, 1, &n);
    other_thread o = { wrapped, E_FAIL };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, dispatch_elsewhere, &o), 0);
    pthread_join(t, NULL);
    assert_int_equal(o.dispatched, S_OK);
    assert_int_equal(r.n, 0);
    assert_int_equal(HrDispatchNotifications(0), S_OK);
    assert_int_equal(r.n, 1);
    IMAPIAdviseSink_Release(inner);
    IMAPIAdviseSink_Release(wrapped);
    nx_recorder_clear(&r);
}

static void *wrap_and_end(void *p)
{
    other_thread *o = p;
    IMAPIAdviseSink *inner = p == NULL ? NULL : ((other_thread *)p)->wrapped;
    o->dispatched = HrThisThreadAdviseSink(inner, &o->wrapped);
    return NULL;
}

static void a_wrapper_outliving_its_thread_discards_without_leaking(void **state)
{
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *inner = nx_recorder_sink(&r);
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    other_thread o = { inner, E_FAIL };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, wrap_and_end, &o), 0);
    pthread_join(t, NULL);
    assert_int_equal(o.dispatched, S_OK);
    int64_t id = 6;
    NOTIFICATION n = nx_object(fnevObjectModified, &id, NULL);
    assert_int_equal(IMAPIAdviseSink_OnNotify(o.wrapped, 1, &n), 0);
    assert_int_equal(HrDispatchNotifications(0), S_OK);
    assert_int_equal(r.n, 0);
    IMAPIAdviseSink_Release(o.wrapped);
    fm_test_assert_no_leak(&base);
    IMAPIAdviseSink_Release(inner);
}

static void copies_that_cannot_be_made_arrive_as_a_loss_notice(void **state)
{
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *inner = nx_recorder_sink(&r), *wrapped = NULL;
    assert_int_equal(HrThisThreadAdviseSink(inner, &wrapped), S_OK);
    int64_t id = 7;
    NOTIFICATION obj = nx_object(fnevObjectCreated, &id, NULL);
    NOTIFICATION tab;
    memset(&tab, 0, sizeof tab);
    tab.ulEventType = fnevTableModified;
    tab.info.tab.ulTableEvent = TABLE_CHANGED;
    tab.info.tab.propIndex.ulPropTag = PR_NULL;
    tab.info.tab.propPrior.ulPropTag = PR_NULL;
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    fmapi_alloc_fail_from(1);
    IMAPIAdviseSink_OnNotify(wrapped, 1, &obj);
    IMAPIAdviseSink_OnNotify(wrapped, 1, &obj); /* a second loss: one notice */
    fmapi_alloc_fail_off();
    assert_int_equal(HrDispatchNotifications(0), S_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.seen[0]->ulEventType, fnevCriticalError);
    assert_int_equal(r.seen[0]->info.err.scode, MAPI_E_NOT_ENOUGH_MEMORY);
    fmapi_alloc_fail_from(1);
    IMAPIAdviseSink_OnNotify(wrapped, 1, &tab);
    fmapi_alloc_fail_off();
    IMAPIAdviseSink_OnNotify(wrapped, 1, &obj); /* and one that works, after it */
    assert_int_equal(HrDispatchNotifications(0), S_OK);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.seen[1]->ulEventType, fnevTableModified);
    assert_int_equal(r.seen[1]->info.tab.ulTableEvent, TABLE_ERROR);
    assert_int_equal(r.seen[2]->ulEventType, fnevObjectCreated);
    fm_test_assert_no_leak(&base);
    IMAPIAdviseSink_Release(inner);
    IMAPIAdviseSink_Release(wrapped);
    nx_recorder_clear(&r);
}

static void bad_arguments_are_refused(void **state)
{
    IMAPIAdviseSink *out = (IMAPIAdviseSink *)&out;
    assert_int_equal(HrThisThreadAdviseSink(NULL, &out), MAPI_E_INVALID_PARAMETER);
    assert_null(out);
    assert_int_equal(HrDispatchNotifications(1), MAPI_E_UNKNOWN_FLAGS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(notifications_run_on_the_wrapping_thread_when_it_dispatches),
        cmocka_unit_test(the_thread_descriptor_is_readable_while_something_waits),
        cmocka_unit_test(another_thread_cannot_dispatch_them),
        cmocka_unit_test(a_wrapper_outliving_its_thread_discards_without_leaking),
        cmocka_unit_test(copies_that_cannot_be_made_arrive_as_a_loss_notice),
        cmocka_unit_test(bad_arguments_are_refused),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
