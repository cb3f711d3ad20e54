/*
 * tests/notify/test_feed.c - a store's changes followed across processes:
 * commits made here and in other processes reach every registration once,
 * in commit order; nothing is recorded while nobody follows; a follower
 * that registers while another process writes misses nothing after its
 * start (Advise waits out a writer that found nobody following); a writer
 * killed after its COMMIT is still announced, one killed
 * before it never is; a killed follower holds nothing back; out of memory
 * fails cleanly.
 */
#include "feed_fixture.h"

static char store[600];

static int setup(void **state)
{
    static int n;
    char name[64];
    snprintf(name, sizeof name, "feed-%d-%d.db", (int)getpid(), ++n);
    fxs_path(store, sizeof store, name);
    return 0;
}

/* ---- roles of child processes ------------------------------------------------------ */

static int role_writer(char **argv)
{
    fxs s;
    if (fxs_open(&s, argv[0]) != S_OK)
        return 10;
    long long first = atoll(argv[1]), count = atoll(argv[2]);
    for (long long i = 0; i < count; i++) {
        if (fxs_change(&s, first + i, 1) != S_OK)
            return 11;
    }
    fxs_close(&s);
    return 0;
}

static int role_writer_die(char **argv)
{
    fxs s;
    if (fxs_open(&s, argv[0]) != S_OK)
        return 10;
    int how = strcmp(argv[2], "before") == 0 ? FXS_DIE_BEFORE_COMMIT : FXS_DIE_AFTER_COMMIT;
    fxs_change_as(&s, atoll(argv[1]), 1, how);
    return 12; /* not reached */
}

/* Opens a write transaction that finds nobody following, says so, waits
 * for the go file, commits; then, told again, writes one more change. */
static int role_writer_hold(char **argv)
{
    fxs s;
    if (fxs_open(&s, argv[0]) != S_OK)
        return 40;
    if (sqlite3_exec(s.db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(s.db, "INSERT INTO changes(id, folder) VALUES(1, 1)", NULL, NULL, NULL) !=
            SQLITE_OK)
        return 41;
    fm_feed_txn t = { 0 };
    if (fm_feed_txn_wanted(&t, s.feed))
        return 42; /* nobody follows yet */
    fx_touch(argv[1]);
    if (!fx_wait_file(argv[2]))
        return 43;
    if (sqlite3_exec(s.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return 44;
    fm_feed_txn_end(&t, true);
    if (!fx_wait_file(argv[3]) || fxs_change(&s, 2, 1) != S_OK)
        return 45;
    fxs_close(&s);
    return 0;
}

/* Follows the store, says so with the ready file, and reports the ids it
 * got once it has `expect` (or after 60 s). */
static int role_follower(char **argv)
{
    fxs s;
    if (fxs_open(&s, argv[0]) != S_OK)
        return 20;
    size_t expect = (size_t)atoll(argv[1]);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR c;
    if (fm_feed_advise(s.feed, 0, fnevObjectCreated, sink, "Advise", &c) != S_OK)
        return 21;
    fx_touch(argv[2]);
    nx_recorder_wait(&r, expect);
    fx_write_ids(argv[3], r.seen, r.n);
    return r.n == expect ? 0 : 22;
}

/* Follows and then waits to be killed. */
static int role_follower_hold(char **argv)
{
    fxs s;
    if (fxs_open(&s, argv[0]) != S_OK)
        return 30;
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR c;
    if (fm_feed_advise(s.feed, 0, fnevObjectCreated, sink, "Advise", &c) != S_OK)
        return 31;
    fx_touch(argv[1]);
    for (;;)
        pause();
}

/* ---- helpers ----------------------------------------------------------------------- */

typedef struct follower {
    fxs s;
    nx_recorder r;
    IMAPIAdviseSink *sink;
    ULONG_PTR conn;
} follower;

static void follow(follower *f, uint64_t key)
{
    assert_int_equal(fxs_open(&f->s, store), S_OK);
    nx_recorder_init(&f->r);
    f->sink = nx_recorder_sink(&f->r);
    assert_int_equal(fm_feed_advise(f->s.feed, key, fnevObjectCreated, f->sink, "Advise",
                                    &f->conn), S_OK);
}

static void unfollow(follower *f)
{
    assert_int_equal(fm_feed_unadvise(f->s.feed, f->conn, "Unadvise"), S_OK);
    assert_int_equal(fm_notify_wait_idle(60000), S_OK);
    IMAPIAdviseSink_Release(f->sink);
    nx_recorder_clear(&f->r);
    fxs_close(&f->s);
}

/* The recorder saw exactly ids[0..n), in that order. */
static void assert_ids(nx_recorder *r, const int64_t *ids, size_t n)
{
    assert_int_equal(r->n, n);
    for (size_t i = 0; i < n; i++) {
        if (nx_id(r->seen[i]) != ids[i])
            fail_msg("notification %zu: id %lld, expected %lld", i,
                     (long long)nx_id(r->seen[i]), (long long)ids[i]);
    }
}

/* Waits until the recorder has seen id (the last commit), however many came
 * before it; returns how many it has seen. */
static size_t wait_for_id(nx_recorder *r, int64_t id)
{
    for (size_t seen = 0;;) {
        size_t n = nx_recorder_wait(r, seen + 1);
        if (n == seen || nx_id(r->seen[n - 1]) == id)
            return n;
        seen = n;
    }
}

static void child_path(char *out, size_t n, const char *what)
{
    snprintf(out, n, "%s.%s", store, what);
}

/* ---- tests -------------------------------------------------------------------------- */

static void a_commit_here_reaches_registrations_here_once_in_order(void **state)
{
    follower f;
    follow(&f, 0);
    fxs w;
    assert_int_equal(fxs_open(&w, store), S_OK); /* another connection, same process */
    for (int64_t i = 1; i <= 100; i++)
        assert_int_equal(fxs_change(i % 2 ? &w : &f.s, i, 1), S_OK);
    assert_int_equal(nx_recorder_wait(&f.r, 100), 100);
    assert_int_equal(fm_notify_wait_idle(60000), S_OK);
    size_t n;
    int64_t *order = fxs_commit_order(&w, &n);
    assert_ids(&f.r, order, n);
    free(order);
    assert_ptr_equal(w.feed, f.s.feed); /* one feed per file per process */
    fxs_close(&w);
    unfollow(&f);
}

static void registrations_on_a_folder_see_only_that_folder(void **state)
{
    follower f;
    follow(&f, 7);
    fxs w;
    assert_int_equal(fxs_open(&w, store), S_OK);
    for (int64_t i = 1; i <= 20; i++)
        assert_int_equal(fxs_change(&w, i, i % 4 == 0 ? 7 : 8), S_OK);
    assert_int_equal(nx_recorder_wait(&f.r, 5), 5);
    assert_int_equal(fm_notify_wait_idle(60000), S_OK);
    const int64_t want[] = { 4, 8, 12, 16, 20 };
    assert_ids(&f.r, want, 5);
    fxs_close(&w);
    unfollow(&f);
}

static void nobody_following_records_nothing(void **state)
{
    fxs w;
    assert_int_equal(fxs_open(&w, store), S_OK);
    for (int64_t i = 1; i <= 10; i++)
        assert_int_equal(fxs_change(&w, i, 1), S_OK);
    assert_int_equal(fxs_count(&w, "SELECT count(*) FROM fm_events"), 0);
    follower f;
    follow(&f, 0);
    assert_int_equal(fxs_change(&w, 11, 1), S_OK);
    assert_int_equal(fxs_count(&w, "SELECT count(*) FROM fm_events"), 1);
    assert_int_equal(nx_recorder_wait(&f.r, 1), 1);
    unfollow(&f);
    fmapi_notify_stats st;
    fmapi_notify_get_stats(&st);
    assert_int_equal(st.subscribed_stores, 0);
    assert_int_equal(fxs_change(&w, 12, 1), S_OK);
    assert_int_equal(fxs_count(&w, "SELECT count(*) FROM fm_events"), 1);
    fxs_close(&w);
}

static void commits_of_another_process_arrive_once_in_commit_order(void **state)
{
    follower f;
    follow(&f, 0);
    const char *args[] = { "writer", store, "1000", "300", NULL };
    pid_t pid = fx_spawn(args);
    /* And this process writes at the same time. */
    for (int64_t i = 1; i <= 100; i++)
        assert_int_equal(fxs_change(&f.s, i, 1), S_OK);
    assert_int_equal(fx_wait_exit(pid), 0);
    assert_int_equal(nx_recorder_wait(&f.r, 400), 400);
    assert_int_equal(fm_notify_wait_idle(60000), S_OK);
    size_t n;
    int64_t *order = fxs_commit_order(&f.s, &n);
    assert_int_equal(n, 400);
    assert_ids(&f.r, order, n);
    free(order);
    unfollow(&f);
}

static void another_process_following_gets_our_commits(void **state)
{
    char ready[700], report[700];
    child_path(ready, sizeof ready, "ready");
    child_path(report, sizeof report, "report");
    fxs w;
    assert_int_equal(fxs_open(&w, store), S_OK);
    const char *args[] = { "follower", store, "250", ready, report, NULL };
    pid_t pid = fx_spawn(args);
    assert_true(fx_wait_file(ready));
    for (int64_t i = 1; i <= 250; i++)
        assert_int_equal(fxs_change(&w, i, 1), S_OK);
    assert_int_equal(fx_wait_exit(pid), 0);
    size_t n;
    int64_t *got = fx_read_ids(report, &n);
    assert_int_equal(n, 250);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(got[i], (int64_t)i + 1);
    free(got);
    fxs_close(&w);
}

static void registering_while_another_process_writes_misses_nothing_after(void **state)
{
    fxs w;
    assert_int_equal(fxs_open(&w, store), S_OK);
    const char *args[] = { "writer", store, "1", "600", NULL };
    pid_t pid = fx_spawn(args);
    while (fxs_count(&w, "SELECT count(*) FROM changes") < 100)
        fx_sleep_ms(1);
    follower f;
    follow(&f, 0);
    int64_t after = fxs_count(&w, "SELECT count(*) FROM changes");
    assert_int_equal(fx_wait_exit(pid), 0);
    size_t n;
    int64_t *order = fxs_commit_order(&w, &n);
    assert_int_equal(n, 600);
    /* What arrives is exactly the commits from some point on: a suffix of
     * the commit order, including everything committed after Advise. */
    size_t want = n - (size_t)after;
    assert_true(wait_for_id(&f.r, order[n - 1]) >= want);
    assert_int_equal(fm_notify_wait_idle(60000), S_OK);
    assert_true(f.r.n >= want && f.r.n <= n);
    assert_ids(&f.r, order + (n - f.r.n), f.r.n);
    free(order);
    unfollow(&f);
    fxs_close(&w);
}

typedef struct advising {
    follower *f;
    volatile int done;
} advising;

static void *advise_thread(void *p)
{
    advising *a = p;
    follow(a->f, 0);
    a->done = 1;
    return NULL;
}

static void advise_waits_out_a_writer_that_found_nobody(void **state)
{
    char in_txn[700], go[700], again[700];
    child_path(in_txn, sizeof in_txn, "in-txn");
    child_path(go, sizeof go, "go");
    child_path(again, sizeof again, "again");
    const char *args[] = { "writer-hold", store, in_txn, go, again, NULL };
    pid_t pid = fx_spawn(args);
    assert_true(fx_wait_file(in_txn));
    follower f;
    advising a = { &f, 0 };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, advise_thread, &a), 0);
    fx_sleep_ms(200);
    assert_false(a.done); /* still waiting for that transaction to end */
    fx_touch(go);
    pthread_join(t, NULL);
    fx_touch(again);
    assert_int_equal(fx_wait_exit(pid), 0);
    /* The change of the transaction that found nobody committed before
     * Advise returned; the one committed after it is announced. */
    assert_int_equal(nx_recorder_wait(&f.r, 1), 1);
    assert_int_equal(fm_notify_wait_idle(60000), S_OK);
    const int64_t want[] = { 2 };
    assert_ids(&f.r, want, 1);
    unfollow(&f);
}

static void a_writer_killed_after_its_commit_is_still_announced(void **state)
{
    follower f;
    follow(&f, 0);
    const char *args[] = { "writer-die", store, "77", "after", NULL };
    assert_int_equal(fx_wait_exit(fx_spawn(args)), 128 + SIGKILL);
    /* No later write wakes anyone: the follower finds it on its own. */
    assert_int_equal(nx_recorder_wait(&f.r, 1), 1);
    assert_int_equal(nx_id(f.r.seen[0]), 77);
    assert_int_equal(fxs_change(&f.s, 78, 1), S_OK);
    assert_int_equal(nx_recorder_wait(&f.r, 2), 2);
    assert_int_equal(fm_notify_wait_idle(60000), S_OK);
    const int64_t want[] = { 77, 78 };
    assert_ids(&f.r, want, 2);
    unfollow(&f);
}

static void a_writer_killed_before_its_commit_announces_nothing(void **state)
{
    follower f;
    follow(&f, 0);
    const char *args[] = { "writer-die", store, "66", "before", NULL };
    assert_int_equal(fx_wait_exit(fx_spawn(args)), 128 + SIGKILL);
    assert_int_equal(fxs_change_as(&f.s, 65, 1, FXS_ROLLBACK), S_OK);
    assert_int_equal(fxs_change(&f.s, 67, 1), S_OK);
    const char *more[] = { "writer", store, "68", "2", NULL };
    assert_int_equal(fx_wait_exit(fx_spawn(more)), 0);
    assert_int_equal(nx_recorder_wait(&f.r, 3), 3);
    assert_int_equal(fm_notify_wait_idle(60000), S_OK);
    const int64_t want[] = { 67, 68, 69 };
    assert_ids(&f.r, want, 3);
    assert_int_equal(fxs_count(&f.s, "SELECT count(*) FROM changes WHERE id IN (65, 66)"), 0);
    unfollow(&f);
}

static void a_killed_follower_holds_nothing_back(void **state)
{
    char ready[700];
    child_path(ready, sizeof ready, "ready");
    follower f;
    follow(&f, 0);
    const char *args[] = { "follower-hold", store, ready, NULL };
    pid_t pid = fx_spawn(args);
    assert_true(fx_wait_file(ready));
    kill(pid, SIGSTOP); /* a follower that reads nothing holds pruning back... */
    for (int64_t i = 1; i <= 200; i++)
        assert_int_equal(fxs_change(&f.s, i, 1), S_OK);
    assert_true(fxs_count(&f.s, "SELECT count(*) FROM fm_events") >= 190);
    kill(pid, SIGKILL); /* ...until it dies: then it holds nothing */
    assert_int_equal(fx_wait_exit(pid), 128 + SIGKILL);
    for (int64_t i = 201; i <= 264; i++)
        assert_int_equal(fxs_change(&f.s, i, 1), S_OK);
    assert_true(fxs_count(&f.s, "SELECT count(*) FROM fm_events") < 64);
    assert_int_equal(nx_recorder_wait(&f.r, 264), 264);
    unfollow(&f);
    /* Nobody follows now: the next write takes the presence byte and records nothing. */
    fxs w;
    assert_int_equal(fxs_open(&w, store), S_OK);
    int64_t rows = fxs_count(&w, "SELECT count(*) FROM fm_events");
    assert_int_equal(fxs_change(&w, 300, 1), S_OK);
    assert_int_equal(fxs_count(&w, "SELECT count(*) FROM fm_events"), rows);
    fxs_close(&w);
}

static void the_log_keeps_only_what_a_follower_has_not_read(void **state)
{
    follower f;
    follow(&f, 0);
    for (int64_t i = 1; i <= 1000; i++)
        assert_int_equal(fxs_change(&f.s, i, 1), S_OK);
    assert_int_equal(nx_recorder_wait(&f.r, 1000), 1000);
    assert_true(fxs_count(&f.s, "SELECT count(*) FROM fm_events") <= 64);
    unfollow(&f);
}

static void the_rendezvous_file_is_private(void **state)
{
    mode_t old = umask(0);
    follower f;
    follow(&f, 0);
    umask(old);
    char npath[700];
    snprintf(npath, sizeof npath, "%s-notify", store);
    struct stat st;
    assert_int_equal(lstat(npath, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0600);
    unfollow(&f);
}

static void a_planted_symlink_is_refused(void **state)
{
    char npath[700], target[700];
    snprintf(npath, sizeof npath, "%s-notify", store);
    snprintf(target, sizeof target, "%s.elsewhere", store);
    assert_int_equal(symlink(target, npath), 0);
    fxs s;
    assert_int_equal(fxs_open(&s, store), MAPI_E_NO_ACCESS);
    assert_false(fx_exists(target));
    sqlite3_close_v2(s.db);
    unlink(npath);
}

/* ---- out of memory ------------------------------------------------------------------ */

typedef struct oom_ctx {
    nx_recorder r;
    IMAPIAdviseSink *sink;
    fxs s; /* the connection, opened once; the feed is opened by each run */
    int64_t next;
} oom_ctx;

static HRESULT follow_write_unfollow(void *p)
{
    oom_ctx *x = p;
    HRESULT hr = fm_feed_open(store, fxs_deliver, NULL, 0, &x->s.feed);
    if (hr != S_OK)
        return hr;
    ULONG_PTR c = 0;
    hr = fm_feed_advise(x->s.feed, 0, fnevObjectCreated | fnevCriticalError, x->sink, "Advise",
                        &c);
    if (hr == S_OK) {
        nx_recorder_clear(&x->r);
        int64_t id = ++x->next;
        HRESULT w = fxs_change(&x->s, id, 1);
        fm_notify_run_pending();
        if (w == S_OK) {
            /* committed: delivered, or its loss reported */
            assert_int_equal(x->r.n, 1);
            if (x->r.seen[0]->ulEventType == fnevCriticalError)
                w = MAPI_E_NOT_ENOUGH_MEMORY;
            else
                assert_int_equal(nx_id(x->r.seen[0]), id);
        } else {
            assert_int_equal(w, MAPI_E_NOT_ENOUGH_MEMORY);
            assert_int_equal(x->r.n, 0);
        }
        assert_int_equal(fm_feed_unadvise(x->s.feed, c, "Unadvise"), S_OK);
        hr = w;
    }
    fm_feed_release(x->s.feed);
    x->s.feed = NULL;
    return hr;
}

static void out_of_memory_while_following_and_writing_fails_cleanly(void **state)
{
    fm_notify_set_manual(true);
    oom_ctx x = { .next = 0 };
    nx_recorder_init(&x.r);
    x.sink = nx_recorder_sink(&x.r);
    assert_int_equal(fxs_open(&x.s, store), S_OK);
    fm_feed_release(x.s.feed);
    x.s.feed = NULL;
    unsigned points = fm_test_oom_sweep(follow_write_unfollow, &x);
    print_message("%u allocation points swept\n", points);
    assert_true(points > 5);
    fxs_close(&x.s);
    IMAPIAdviseSink_Release(x.sink);
    nx_recorder_clear(&x.r);
    fm_notify_set_manual(false);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        if (strcmp(argv[1], "writer") == 0)
            fm_test_child_exit(role_writer(argv + 2)); /* a role ends without a leak check */
        if (strcmp(argv[1], "writer-die") == 0)
            fm_test_child_exit(role_writer_die(argv + 2)); /* a role ends without a leak check */
        if (strcmp(argv[1], "follower") == 0)
            fm_test_child_exit(role_follower(argv + 2)); /* a role ends without a leak check */
        if (strcmp(argv[1], "writer-hold") == 0)
            fm_test_child_exit(role_writer_hold(argv + 2)); /* a role ends without a leak check */
        if (strcmp(argv[1], "follower-hold") == 0)
            fm_test_child_exit(role_follower_hold(argv + 2)); /* a role ends without a leak check */
        return 99;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(a_commit_here_reaches_registrations_here_once_in_order, setup),
        cmocka_unit_test_setup(registrations_on_a_folder_see_only_that_folder, setup),
        cmocka_unit_test_setup(nobody_following_records_nothing, setup),
        cmocka_unit_test_setup(commits_of_another_process_arrive_once_in_commit_order, setup),
        cmocka_unit_test_setup(another_process_following_gets_our_commits, setup),
        cmocka_unit_test_setup(registering_while_another_process_writes_misses_nothing_after,
                               setup),
        cmocka_unit_test_setup(advise_waits_out_a_writer_that_found_nobody, setup),
        cmocka_unit_test_setup(a_writer_killed_after_its_commit_is_still_announced, setup),
        cmocka_unit_test_setup(a_writer_killed_before_its_commit_announces_nothing, setup),
        cmocka_unit_test_setup(a_killed_follower_holds_nothing_back, setup),
        cmocka_unit_test_setup(the_log_keeps_only_what_a_follower_has_not_read, setup),
        cmocka_unit_test_setup(the_rendezvous_file_is_private, setup),
        cmocka_unit_test_setup(a_planted_symlink_is_refused, setup),
        cmocka_unit_test_setup(out_of_memory_while_following_and_writing_fails_cleanly, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
