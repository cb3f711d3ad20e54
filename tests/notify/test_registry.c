/*
 * tests/notify/test_registry.c - the in-process engine: Advise/Unadvise on a
 * source, events reaching exactly the registrations on their keys once each
 * in posting order, notification threads (a blocked sink delays only
 * itself), losses reported instead of dropped, out-of-memory sweeps over
 * Advise, Unadvise and delivery, and the memory one registration costs.
 */
#include <sys/wait.h>
#include <unistd.h>

#include "notify_fixture.h"

static fm_notify_source src, other;

static int setup(void **state)
{
    fm_notify_source_init(&src, FM_NOTIFY_OBJECTS);
    fm_notify_source_init(&other, FM_NOTIFY_OBJECTS);
    fm_notify_set_manual(true);
    return 0;
}

static int teardown(void **state)
{
    fm_notify_set_manual(false);
    return 0;
}

/* What a store does for one change: build the event, post it, and report a
 * loss when the event itself cannot be built. */
static HRESULT post_object(fm_notify_source *s, uint64_t key, int64_t id)
{
    int64_t parent = (int64_t)key;
    NOTIFICATION n = nx_object(fnevObjectCreated, &id, &parent);
    uint64_t keys[] = { 0, key };
    fm_notify_event *e;
    HRESULT hr = fm_notify_event_new(&n, &e);
    if (hr != S_OK) {
        fm_notify_post_lost(s, keys, 2, fnevObjectCreated);
        return hr;
    }
    fm_notify_post(s, keys, 2, e);
    fm_notify_event_release(e);
    return S_OK;
}

static ULONG refs_of(IMAPIAdviseSink *sink)
{
    IMAPIAdviseSink_AddRef(sink);
    return IMAPIAdviseSink_Release(sink);
}

static void connections_are_nonzero_distinct_and_end_with_unadvise(void **state)
{
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR c1 = 0, c2 = 0;
    assert_int_equal(fm_notify_advise(&src, 7, fnevObjectCreated, sink, "Advise", &c1), S_OK);
    assert_int_equal(fm_notify_advise(&src, 7, fnevObjectCreated, sink, "Advise", &c2), S_OK);
    assert_true(c1 != 0 && c2 != 0 && c1 != c2);
    assert_int_equal(fm_notify_source_count(&src), 2);
    assert_int_equal(refs_of(sink), 2); /* ours and the registrations' one */
    assert_int_equal(fm_notify_unadvise(&src, c1, "Unadvise"), S_OK);
    assert_int_equal(fm_notify_unadvise(&src, c1, "Unadvise"), MAPI_E_NOT_FOUND);
    assert_int_equal(fm_notify_unadvise(&other, c2, "Unadvise"), MAPI_E_NOT_FOUND);
    assert_int_equal(fm_notify_unadvise(&src, 0, "Unadvise"), MAPI_E_NOT_FOUND);
    assert_int_equal(fm_notify_unadvise(&src, (ULONG_PTR)0x123456789ULL, "Unadvise"),
                     MAPI_E_NOT_FOUND);
    assert_int_equal(fm_notify_unadvise(&src, c2, "Unadvise"), S_OK);
    assert_int_equal(fm_notify_source_count(&src), 0);
    assert_int_equal(refs_of(sink), 1); /* released with the last registration */
    IMAPIAdviseSink_Release(sink);
}

static void bad_arguments_are_refused(void **state)
{
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR c = 99;
    assert_int_equal(fm_notify_advise(&src, 0, 0, sink, "Advise", &c), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(c, 0);
    assert_int_equal(fm_notify_advise(&src, 0, fnevNewMail, NULL, "Advise", &c),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_notify_advise(&src, 0, fnevNewMail, sink, "Advise", NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(refs_of(sink), 1);
    IMAPIAdviseSink_Release(sink);
}

static void events_reach_each_registration_on_their_keys_once(void **state)
{
    nx_recorder ra, rb, rc, rd, re;
    nx_recorder_init(&ra);
    nx_recorder_init(&rb);
    nx_recorder_init(&rc);
    nx_recorder_init(&rd);
    nx_recorder_init(&re);
    IMAPIAdviseSink *a = nx_recorder_sink(&ra), *b = nx_recorder_sink(&rb),
                    *c = nx_recorder_sink(&rc), *d = nx_recorder_sink(&rd),
                    *e = nx_recorder_sink(&re);
    ULONG_PTR ca, cb, cc, cd, ce;
    assert_int_equal(fm_notify_advise(&src, 1, fnevObjectCreated, a, "A", &ca), S_OK);
    assert_int_equal(fm_notify_advise(&src, 2, fnevObjectCreated, b, "A", &cb), S_OK);
    assert_int_equal(fm_notify_advise(&src, 0, fnevObjectCreated | fnevNewMail, c, "A", &cc),
                     S_OK);
    assert_int_equal(fm_notify_advise(&src, 1, fnevObjectDeleted, d, "A", &cd), S_OK);
    assert_int_equal(fm_notify_advise(&other, 1, fnevObjectCreated, e, "A", &ce), S_OK);

    /* Key 1 named twice: still once per registration. */
    int64_t id = 42, parent = 1;
    NOTIFICATION n = nx_object(fnevObjectCreated, &id, &parent);
    fm_notify_event *ev;
    assert_int_equal(fm_notify_event_new(&n, &ev), S_OK);
    uint64_t keys[] = { 1, 0, 1 };
    assert_true(fm_notify_wants(&src, keys, 3, fnevObjectCreated));
    assert_false(fm_notify_wants(&src, keys + 1, 1, fnevObjectDeleted));
    assert_int_equal(fm_notify_post(&src, keys, 3, ev), 2);
    fm_notify_event_release(ev);
    assert_int_equal(fm_notify_run_pending(), 2);
    assert_int_equal(ra.n, 1);
    assert_int_equal(rb.n, 0);
    assert_int_equal(rc.n, 1);
    assert_int_equal(rd.n, 0);
    assert_int_equal(re.n, 0);
    assert_true(nx_equal(ra.seen[0], &n));
    assert_int_equal(nx_id(rc.seen[0]), 42);

    fm_notify_unadvise(&src, ca, "U");
    fm_notify_unadvise(&src, cb, "U");
    fm_notify_unadvise(&src, cc, "U");
    fm_notify_unadvise(&src, cd, "U");
    fm_notify_unadvise(&other, ce, "U");
    IMAPIAdviseSink *all[] = { a, b, c, d, e };
    nx_recorder *recs[] = { &ra, &rb, &rc, &rd, &re };
    for (int i = 0; i < 5; i++) {
        IMAPIAdviseSink_Release(all[i]);
        nx_recorder_clear(recs[i]);
    }
}

static void one_sink_registered_twice_gets_the_event_twice(void **state)
{
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR c1, c2;
    assert_int_equal(fm_notify_advise(&src, 5, fnevObjectCreated, sink, "A", &c1), S_OK);
    assert_int_equal(fm_notify_advise(&src, 0, fnevObjectCreated, sink, "A", &c2), S_OK);
    assert_int_equal(post_object(&src, 5, 1), S_OK);
    assert_int_equal(fm_notify_run_pending(), 2);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.calls, 1); /* one OnNotify with both */
    fm_notify_unadvise(&src, c1, "U");
    fm_notify_unadvise(&src, c2, "U");
    IMAPIAdviseSink_Release(sink);
    nx_recorder_clear(&r);
}

static void deliveries_keep_posting_order_in_batches(void **state)
{
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR c;
    assert_int_equal(fm_notify_advise(&src, 3, fnevObjectCreated, sink, "A", &c), S_OK);
    for (int64_t i = 1; i <= 1000; i++)
        assert_int_equal(post_object(&src, 3, i), S_OK);
    assert_int_equal(fm_notify_run_pending(), 1000);
    assert_int_equal(r.n, 1000);
    assert_int_equal(r.calls, (1000 + FM_NOTIFY_BATCH - 1) / FM_NOTIFY_BATCH);
    for (size_t i = 0; i < 1000; i++)
        assert_int_equal(nx_id(r.seen[i]), (int64_t)i + 1);
    fm_notify_unadvise(&src, c, "U");
    IMAPIAdviseSink_Release(sink);
    nx_recorder_clear(&r);
}

static void unadvise_drops_what_was_still_queued(void **state)
{
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR c;
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    assert_int_equal(fm_notify_advise(&src, 3, fnevObjectCreated, sink, "A", &c), S_OK);
    assert_int_equal(post_object(&src, 3, 1), S_OK);
    assert_int_equal(fm_notify_unadvise(&src, c, "U"), S_OK);
    assert_int_equal(fm_notify_run_pending(), 0);
    assert_int_equal(r.n, 0);
    fm_test_assert_no_leak(&base);
    assert_int_equal(refs_of(sink), 1);
    IMAPIAdviseSink_Release(sink);
}

static void clearing_a_source_releases_its_registrations(void **state)
{
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    ULONG_PTR c[600], keep;
    for (int i = 0; i < 600; i++)
        assert_int_equal(fm_notify_advise(&src, (uint64_t)i, fnevObjectCreated, sink, "A", &c[i]),
                         S_OK);
    assert_int_equal(fm_notify_advise(&other, 1, fnevObjectCreated, sink, "A", &keep), S_OK);
    fm_notify_source_clear(&src);
    assert_int_equal(fm_notify_source_count(&src), 0);
    assert_int_equal(fm_notify_unadvise(&src, c[10], "U"), MAPI_E_NOT_FOUND);
    assert_int_equal(post_object(&other, 1, 9), S_OK);
    assert_int_equal(fm_notify_run_pending(), 1); /* the other source's still works */
    assert_int_equal(fm_notify_unadvise(&other, keep, "U"), S_OK);
    fm_test_assert_no_leak(&base);
    IMAPIAdviseSink_Release(sink);
    nx_recorder_clear(&r);
}

static void a_blocked_sink_delays_only_its_own_queue(void **state)
{
    fm_notify_set_manual(false);
    nx_recorder slow, fast;
    nx_recorder_init(&slow);
    nx_recorder_init(&fast);
    IMAPIAdviseSink *s = nx_recorder_sink(&slow), *f = nx_recorder_sink(&fast);
    ULONG_PTR cs, cf;
    assert_int_equal(fm_notify_advise(&src, 1, fnevObjectCreated, s, "A", &cs), S_OK);
    assert_int_equal(fm_notify_advise(&src, 2, fnevObjectCreated, f, "A", &cf), S_OK);
    nx_recorder_block(&slow, 1);
    assert_int_equal(post_object(&src, 1, 1), S_OK);
    nx_recorder_wait_blocked(&slow); /* a notification thread sits in its OnNotify */
    for (int64_t i = 1; i <= 50; i++) {
        assert_int_equal(post_object(&src, 1, 100 + i), S_OK);
        assert_int_equal(post_object(&src, 2, i), S_OK);
    }
    assert_int_equal(nx_recorder_wait(&fast, 50), 50);
    assert_int_equal(slow.n, 0);
    for (size_t i = 0; i < 50; i++)
        assert_int_equal(nx_id(fast.seen[i]), (int64_t)i + 1);
    assert_false(pthread_equal(fast.thread[0], pthread_self()));
    nx_recorder_block(&slow, 0);
    assert_int_equal(nx_recorder_wait(&slow, 51), 51);
    assert_int_equal(nx_id(slow.seen[0]), 1);
    for (size_t i = 1; i <= 50; i++)
        assert_int_equal(nx_id(slow.seen[i]), 100 + (int64_t)i);
    assert_int_equal(fm_notify_wait_idle(60000), S_OK);
    fm_notify_unadvise(&src, cs, "U");
    fm_notify_unadvise(&src, cf, "U");
    IMAPIAdviseSink_Release(s);
    IMAPIAdviseSink_Release(f);
    nx_recorder_clear(&slow);
    nx_recorder_clear(&fast);
    fm_notify_set_manual(true);
}

static void many_blocked_sinks_each_keep_only_their_thread(void **state)
{
    enum { N = 8 };
    fm_notify_set_manual(false);
    nx_recorder r[N + 1];
    IMAPIAdviseSink *s[N + 1];
    ULONG_PTR c[N + 1];
    for (int i = 0; i <= N; i++) {
        nx_recorder_init(&r[i]);
        s[i] = nx_recorder_sink(&r[i]);
        assert_int_equal(fm_notify_advise(&src, (uint64_t)i + 1, fnevObjectCreated, s[i], "A",
                                          &c[i]), S_OK);
    }
    for (int i = 0; i < N; i++) {
        nx_recorder_block(&r[i], 1);
        assert_int_equal(post_object(&src, (uint64_t)i + 1, 1), S_OK);
        nx_recorder_wait_blocked(&r[i]);
    }
    assert_int_equal(post_object(&src, N + 1, 7), S_OK);
    assert_int_equal(nx_recorder_wait(&r[N], 1), 1);
    fmapi_notify_stats st;
    fmapi_notify_get_stats(&st);
    assert_true(st.threads >= N + 1);
    for (int i = 0; i < N; i++)
        nx_recorder_block(&r[i], 0);
    assert_int_equal(fm_notify_wait_idle(60000), S_OK);
    for (int i = 0; i <= N; i++) {
        assert_int_equal(r[i].n, 1);
        fm_notify_unadvise(&src, c[i], "U");
        IMAPIAdviseSink_Release(s[i]);
        nx_recorder_clear(&r[i]);
    }
    fm_notify_set_manual(true);
}

static void a_sink_may_unadvise_itself_while_notified(void **state);

/* ---- losses and out of memory ------------------------------------------------------ */

typedef struct sweep_ctx {
    nx_recorder r;
    IMAPIAdviseSink *sink;
    fm_notify_source *s;
    uint64_t key;
} sweep_ctx;

static HRESULT advise_and_unadvise(void *p)
{
    sweep_ctx *x = p;
    ULONG_PTR c1, c2;
    HRESULT hr = fm_notify_advise(x->s, x->key, fnevObjectCreated, x->sink, "Advise", &c1);
    if (hr != S_OK)
        return hr;
    hr = fm_notify_advise(x->s, x->key + 1, fnevObjectCreated, x->sink, "Advise", &c2);
    if (hr == S_OK)
        assert_int_equal(fm_notify_unadvise(x->s, c2, "Unadvise"), S_OK);
    assert_int_equal(fm_notify_unadvise(x->s, c1, "Unadvise"), S_OK);
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
        assert_non_null(strstr(fmapi_last_error(), "out of memory"));
    return hr;
}

static void out_of_memory_in_advise_fails_only_that_advise(void **state)
{
    sweep_ctx x = { .s = &src, .key = 10 };
    nx_recorder_init(&x.r);
    x.sink = nx_recorder_sink(&x.r);
    assert_true(fm_test_oom_sweep(advise_and_unadvise, &x) > 3);
    assert_int_equal(refs_of(x.sink), 1);
    assert_int_equal(fm_notify_source_count(&src), 0);
    IMAPIAdviseSink_Release(x.sink);
}

/* One registration made outside the sweep; the sweep posts and delivers. */
static HRESULT post_and_deliver(void *p)
{
    sweep_ctx *x = p;
    nx_recorder_clear(&x->r);
    HRESULT hr = post_object(x->s, x->key, 77);
    fm_notify_run_pending();
    /* Exactly one notification: the event, or the report of its loss. */
    assert_int_equal(x->r.n, 1);
    const NOTIFICATION *got = x->r.seen[0];
    if (got->ulEventType == fnevCriticalError) {
        assert_int_equal(got->info.err.scode, MAPI_E_NOT_ENOUGH_MEMORY);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    assert_int_equal(got->ulEventType, fnevObjectCreated);
    assert_int_equal(nx_id(got), 77);
    return hr;
}

static void out_of_memory_in_delivery_is_reported_never_dropped(void **state)
{
    sweep_ctx x = { .s = &src, .key = 20 };
    nx_recorder_init(&x.r);
    x.sink = nx_recorder_sink(&x.r);
    ULONG_PTR c;
    assert_int_equal(fm_notify_advise(&src, 20, fnevObjectCreated | fnevCriticalError, x.sink,
                                      "A", &c), S_OK);
    assert_true(fm_test_oom_sweep(post_and_deliver, &x) >= 2);
    fmapi_notify_stats st;
    fmapi_notify_get_stats(&st);
    assert_true(st.lost >= 2);
    fm_notify_unadvise(&src, c, "U");
    IMAPIAdviseSink_Release(x.sink);
    nx_recorder_clear(&x.r);
}

static void table_registrations_learn_of_losses_as_table_error(void **state)
{
    fm_notify_source table;
    fm_notify_source_init(&table, FM_NOTIFY_TABLE);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR c;
    assert_int_equal(fm_notify_advise(&table, 0, fnevTableModified, sink, "A", &c), S_OK);
    uint64_t key = 0;
    fm_notify_post_lost(&table, &key, 1, fnevTableModified);
    assert_int_equal(fm_notify_run_pending(), 1);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.seen[0]->ulEventType, fnevTableModified);
    assert_int_equal(r.seen[0]->info.tab.ulTableEvent, TABLE_ERROR);
    assert_int_equal(r.seen[0]->info.tab.hResult, MAPI_E_NOT_ENOUGH_MEMORY);
    assert_int_equal(r.seen[0]->info.tab.propPrior.ulPropTag, PR_NULL);
    fm_notify_unadvise(&table, c, "U");
    IMAPIAdviseSink_Release(sink);
    nx_recorder_clear(&r);
}

/* ---- scale ---------------------------------------------------------------------- */

static void one_registration_costs_under_64_bytes(void **state)
{
    enum { N = 100000 };
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR *c = malloc(N * sizeof *c);
    fmapi_alloc_stats before, after;
    fmapi_alloc_get_stats(&before);
    for (uint64_t i = 0; i < N; i++)
        assert_int_equal(fm_notify_advise(&src, (i + 1) * 3, fnevObjectCreated, sink, "A", &c[i]), S_OK);
    fmapi_alloc_get_stats(&after);
    fmapi_notify_stats st;
    fmapi_notify_get_stats(&st);
    assert_int_equal(st.registrations, N);
    double per = (double)(after.live_bytes - before.live_bytes) / N;
    print_message("%.1f bytes per registration (allocator), %.1f (registry's count)\n", per,
                  (double)st.registry_bytes / N);
    assert_true(per < 64.0);
    assert_true((double)st.registry_bytes / N < 64.0);
    /* Each still gets what is posted on its key. */
    assert_int_equal(post_object(&src, 3 * 777, 5), S_OK);
    assert_int_equal(fm_notify_run_pending(), 1);
    for (uint64_t i = 0; i < N; i++)
        assert_int_equal(fm_notify_unadvise(&src, c[i], "U"), S_OK);
    fmapi_alloc_get_stats(&after);
    assert_int_equal(after.live_bytes, before.live_bytes);
    free(c);
    IMAPIAdviseSink_Release(sink);
    nx_recorder_clear(&r);
}

/* ---- fork -------------------------------------------------------------------------- */

static void a_forked_child_inherits_no_registrations(void **state)
{
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR c;
    assert_int_equal(fm_notify_advise(&src, 1, fnevObjectCreated, sink, "A", &c), S_OK);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int bad = fm_notify_source_count(&src) != 0;
        bad |= fm_notify_unadvise(&src, c, "U") != MAPI_E_NOT_FOUND;
        bad |= post_object(&src, 1, 3) != S_OK;
        bad |= fm_notify_run_pending() != 0;
        fm_test_child_exit(bad ? 1 : 0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(fm_notify_source_count(&src), 1);
    assert_int_equal(fm_notify_unadvise(&src, c, "U"), S_OK);
    IMAPIAdviseSink_Release(sink);
}

/* ---- re-entrance ------------------------------------------------------------------- */

typedef struct self_ctx {
    fm_notify_source *s;
    ULONG_PTR conn;
    int calls;
} self_ctx;

static LONG STDAPICALLTYPE unadvise_self(LPVOID p, ULONG c, LPNOTIFICATION n)
{
    self_ctx *x = p;
    x->calls++;
    return fm_notify_unadvise(x->s, x->conn, "Unadvise") == S_OK ? 0 : 1;
}

static void a_sink_may_unadvise_itself_while_notified(void **state)
{
    self_ctx x = { .s = &src };
    IMAPIAdviseSink *sink = NULL;
    assert_int_equal(HrAllocAdviseSink(unadvise_self, &x, &sink), S_OK);
    assert_int_equal(fm_notify_advise(&src, 4, fnevObjectCreated, sink, "A", &x.conn), S_OK);
    IMAPIAdviseSink_Release(sink); /* the registration keeps it alive */
    assert_int_equal(post_object(&src, 4, 1), S_OK);
    assert_int_equal(post_object(&src, 4, 2), S_OK);
    fm_notify_run_pending();
    assert_int_equal(x.calls, 1); /* both in one call; then it is gone */
    assert_int_equal(fm_notify_source_count(&src), 0);
    assert_int_equal(post_object(&src, 4, 3), S_OK);
    assert_int_equal(fm_notify_run_pending(), 0);
}

/* The process's last registration cleared with its source: the registry's
 * tables go with it (a defect: the clear read the freed table). */
static void clearing_the_last_registration_of_the_process_frees_the_registry(void **state)
{
    (void)state;
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    ULONG_PTR c;
    assert_int_equal(fm_notify_advise(&src, 3, fnevObjectCreated, sink, "A", &c), S_OK);
    fm_notify_source_clear(&src);
    assert_int_equal(fm_notify_source_count(&src), 0);
    fmapi_notify_stats st;
    fmapi_notify_get_stats(&st);
    assert_int_equal(st.registrations, 0);
    fm_test_assert_no_leak(&base);
    assert_int_equal(fm_notify_advise(&src, 3, fnevObjectCreated, sink, "A", &c), S_OK);
    assert_int_equal(fm_notify_unadvise(&src, c, "U"), S_OK);
    IMAPIAdviseSink_Release(sink);
    nx_recorder_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(connections_are_nonzero_distinct_and_end_with_unadvise),
        cmocka_unit_test(bad_arguments_are_refused),
        cmocka_unit_test(events_reach_each_registration_on_their_keys_once),
        cmocka_unit_test(one_sink_registered_twice_gets_the_event_twice),
        cmocka_unit_test(deliveries_keep_posting_order_in_batches),
        cmocka_unit_test(unadvise_drops_what_was_still_queued),
        cmocka_unit_test(clearing_a_source_releases_its_registrations),
        cmocka_unit_test(clearing_the_last_registration_of_the_process_frees_the_registry),
        cmocka_unit_test(a_blocked_sink_delays_only_its_own_queue),
        cmocka_unit_test(many_blocked_sinks_each_keep_only_their_thread),
        cmocka_unit_test(a_sink_may_unadvise_itself_while_notified),
        cmocka_unit_test(out_of_memory_in_advise_fails_only_that_advise),
        cmocka_unit_test(out_of_memory_in_delivery_is_reported_never_dropped),
        cmocka_unit_test(table_registrations_learn_of_losses_as_table_error),
        cmocka_unit_test(one_registration_costs_under_64_bytes),
        cmocka_unit_test(a_forked_child_inherits_no_registrations),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
