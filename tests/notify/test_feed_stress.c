/*
 * tests/notify/test_feed_stress.c - twenty processes on one store: ten
 * follow it, ten write to it at once. Every follower gets every commit
 * exactly once, in commit order; then again with writers and followers
 * killed (SIGKILL) at random moments: the survivors still get exactly the
 * commits (the killed writers' included), nothing stalls, and once the
 * followers are gone a writer records nothing more.
 */
#include <time.h>

#include "feed_fixture.h"

enum { FOLLOWERS = 10, WRITERS = 10, PER_WRITER = 100 };
#define SENTINEL ((int64_t)-1)

static char store[600];

static int setup(void **state)
{
    static int n;
    char name[64];
    snprintf(name, sizeof name, "stress-%d-%d.db", (int)getpid(), ++n);
    fxs_path(store, sizeof store, name);
    return 0;
}

/* ---- roles -------------------------------------------------------------------------- */

static int role_writer(char **argv)
{
    fxs s;
    if (fxs_open(&s, argv[0]) != S_OK)
        return 10;
    long long first = atoll(argv[1]);
    for (long long i = 0; i < PER_WRITER; i++) {
        if (fxs_change(&s, first + i, 1) != S_OK)
            return 11;
    }
    fxs_close(&s);
    return 0;
}

/* Follows until the sentinel arrives; reports every id before it. */
static int role_follower(char **argv)
{
    fxs s;
    if (fxs_open(&s, argv[0]) != S_OK)
        return 20;
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR c;
    if (fm_feed_advise(s.feed, 0, fnevObjectCreated, sink, "Advise", &c) != S_OK)
        return 21;
    fx_touch(argv[1]);
    for (size_t seen = 0;;) {
        size_t n = nx_recorder_wait(&r, seen + 1);
        if (n == seen)
            return 22; /* 60 s without anything: stalled */
        seen = n;
        if (nx_id(r.seen[n - 1]) == SENTINEL)
            break;
    }
    fx_write_ids(argv[2], r.seen, r.n - 1);
    return 0;
}

/* ---- the parent ---------------------------------------------------------------------- */

static void ready_path(char *out, size_t n, int i)
{
    snprintf(out, n, "%s.ready%d", store, i);
}

static void report_path(char *out, size_t n, int i)
{
    snprintf(out, n, "%s.report%d", store, i);
}

static pid_t start_follower(int i)
{
    char ready[700], report[700];
    ready_path(ready, sizeof ready, i);
    report_path(report, sizeof report, i);
    const char *args[] = { "follower", store, ready, report, NULL };
    pid_t pid = fx_spawn(args);
    assert_true(fx_wait_file(ready));
    return pid;
}

static pid_t start_writer(int i)
{
    char first[32];
    snprintf(first, sizeof first, "%d", (i + 1) * 1000);
    const char *args[] = { "writer", store, first, NULL };
    return fx_spawn(args);
}

/* A follower's report equals the commit order exactly. */
static void assert_report(int i, const int64_t *order, size_t n)
{
    char report[700];
    report_path(report, sizeof report, i);
    size_t got;
    int64_t *ids = fx_read_ids(report, &got);
    assert_non_null(ids);
    if (got != n)
        fail_msg("follower %d got %zu notifications for %zu commits", i, got, n);
    for (size_t k = 0; k < n; k++) {
        if (ids[k] != order[k])
            fail_msg("follower %d: notification %zu is %lld, commit %lld", i, k,
                     (long long)ids[k], (long long)order[k]);
    }
    free(ids);
}

static void run(bool kills)
{
    fxs s;
    assert_int_equal(fxs_open(&s, store), S_OK);
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    print_message("seed %u\n", seed);
    srand(seed);
    pid_t followers[FOLLOWERS], writers[WRITERS];
    bool killed[FOLLOWERS] = { false };
    for (int i = 0; i < FOLLOWERS; i++)
        followers[i] = start_follower(i);
    for (int i = 0; i < WRITERS; i++)
        writers[i] = start_writer(i);
    if (kills) {
        /* Three writers and three followers die at random moments. */
        for (int k = 0; k < 3; k++) {
            fx_sleep_ms(rand() % 40);
            kill(writers[rand() % WRITERS], SIGKILL);
            fx_sleep_ms(rand() % 40);
            int f = rand() % FOLLOWERS;
            kill(followers[f], SIGKILL);
            killed[f] = true;
        }
    }
    for (int i = 0; i < WRITERS; i++) {
        int rc = fx_wait_exit(writers[i]);
        assert_true(rc == 0 || (kills && rc == 128 + SIGKILL));
    }
    assert_int_equal(fxs_change(&s, SENTINEL, 1), S_OK);
    for (int i = 0; i < FOLLOWERS; i++) {
        int rc = fx_wait_exit(followers[i]);
        if (killed[i])
            assert_true(rc == 0 || rc == 128 + SIGKILL);
        else
            assert_int_equal(rc, 0);
    }
    size_t n;
    int64_t *order = fxs_commit_order(&s, &n);
    assert_true(n >= 1 && order[n - 1] == SENTINEL);
    n--;
    if (!kills)
        assert_int_equal(n, WRITERS * PER_WRITER);
    print_message("%zu commits, each reported by %d followers\n", n, FOLLOWERS);
    for (int i = 0; i < FOLLOWERS; i++) {
        if (!killed[i])
            assert_report(i, order, n);
    }
    free(order);
    /* Every follower has gone: a writer now takes the presence byte and
     * records nothing, however many followers were killed. */
    int64_t rows = fxs_count(&s, "SELECT count(*) FROM fm_events");
    for (int64_t i = 0; i < 100; i++)
        assert_int_equal(fxs_change(&s, 100000 + i, 1), S_OK);
    assert_int_equal(fxs_count(&s, "SELECT count(*) FROM fm_events"), rows);
    fxs_close(&s);
}

static void twenty_processes_each_commit_reaches_each_follower_once_in_order(void **state)
{
    run(false);
}

static void with_random_kills_the_survivors_still_get_exactly_the_commits(void **state)
{
    run(true);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        if (strcmp(argv[1], "writer") == 0)
            fm_test_child_exit(role_writer(argv + 2)); /* a role ends without a leak check */
        if (strcmp(argv[1], "follower") == 0)
            fm_test_child_exit(role_follower(argv + 2)); /* a role ends without a leak check */
        return 99;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(twenty_processes_each_commit_reaches_each_follower_once_in_order,
                               setup),
        cmocka_unit_test_setup(with_random_kills_the_survivors_still_get_exactly_the_commits,
                               setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
