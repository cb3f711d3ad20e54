/*
 * tests/store/test_store_notify_kill.c - notifications when processes die
 * by SIGKILL: subscribers killed at random moments while a writer commits
 * (the writer goes on, and once the last is dead it records nothing: no
 * stale registration is left to slow it, nobody cleaned up), and a writer
 * killed mid-stream (the subscriber sees every message it committed
 * exactly once, and nothing it did not commit). Bounded in count; the
 * random moments' seed is printed.
 */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store_notify_fixture.h"

#define SUBSCRIBERS 3
#define COMMITS 40
#define WRITER_ROUNDS 3

static unsigned seed;

static void sleep_us(long us)
{
    struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
    nanosleep(&ts, NULL);
}

static LONG STDAPICALLTYPE ignore(LPVOID ctx, ULONG c, LPNOTIFICATION n)
{
    (void)ctx;
    (void)c;
    (void)n;
    return 0;
}

/* A subscriber: follows the whole store, says so on fd, waits to be killed. */
static int subscriber(const char *path, int fd)
{
    LPMDB mdb = NULL;
    IMAPIAdviseSink *sink = NULL;
    ULONG_PTR conn = 0;
    if (fmapi_store_open(path, 0, &mdb) != S_OK || HrAllocAdviseSink(ignore, NULL, &sink) != S_OK ||
        IMsgStore_Advise(mdb, 0, NULL, fnevObjectCreated | fnevNewMail, sink, &conn) != S_OK)
        return 10;
    if (write(fd, "r", 1) != 1)
        return 11;
    for (int i = 0; i < 600; i++) /* bounded: a minute at most */
        sleep_us(100000);
    return 12;
}

static void subscribers_killed_at_random_leave_the_writer_unhindered(void **state)
{
    (void)state;
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    char path[600];
    snprintf(path, sizeof path, "%s", fx_store_path("kill-subscribers"));
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pids[SUBSCRIBERS];
    for (int i = 0; i < SUBSCRIBERS; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            close(fds[0]);
            fm_test_child_exit(subscriber(path, fds[1]));
        }
    }
    close(fds[1]);
    char c;
    for (int i = 0; i < SUBSCRIBERS; i++)
        assert_int_equal(read(fds[0], &c, 1), 1);
    close(fds[0]);
    /* Each subscriber dies after a random commit, some mid-delivery. */
    int kill_at[SUBSCRIBERS];
    for (int i = 0; i < SUBSCRIBERS; i++)
        kill_at[i] = rand_r(&seed) % COMMITS;
    long rows_followed = fx_count(path, "SELECT count(*) FROM fm_events");
    for (int n = 0; n < COMMITS; n++) {
        save_new(inbox, "while they die", 0);
        for (int i = 0; i < SUBSCRIBERS; i++)
            if (kill_at[i] == n)
                assert_int_equal(kill(pids[i], SIGKILL), 0);
    }
    for (int i = 0; i < SUBSCRIBERS; i++) {
        int status = 0;
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    }
    /* Events were recorded while anyone followed ... */
    assert_true(fx_count(path, "SELECT max(seq) FROM fm_events") > 0);
    assert_true(rows_followed >= 0);
    /* ... and with every follower dead, a commit records nothing. */
    long before = fx_count(path, "SELECT count(*) FROM fm_events");
    long seq = fx_count(path, "SELECT seq FROM sqlite_sequence WHERE name = 'fm_events'");
    for (int n = 0; n < 5; n++)
        save_new(inbox, "nobody left", 0);
    assert_true(fx_count(path, "SELECT count(*) FROM fm_events") <= before);
    assert_int_equal(fx_count(path, "SELECT seq FROM sqlite_sequence WHERE name = 'fm_events'"),
                     seq);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    fm_test_assert_no_leak_all(&b); /* nothing held for the dead */
}

/* ---- the writer killed ------------------------------------------------------------------ */

/* The writer: saves messages into the Inbox until killed (bounded). */
static int writer(const char *path, int fd)
{
    LPMDB mdb = NULL;
    if (fmapi_store_open(path, 0, &mdb) != S_OK)
        return 10;
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    if (write(fd, "r", 1) != 1)
        return 11;
    for (int i = 0; i < 5000; i++) {
        LPMESSAGE m = NULL;
        SPropValue v = { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = 0 };
        if (IMAPIFolder_CreateMessage(inbox, NULL, 0, &m) != S_OK ||
            IMessage_SetProps(m, 1, &v, NULL) != S_OK || IMessage_SaveChanges(m, 0) != S_OK)
            return 12;
        IMessage_Release(m);
    }
    return 0;
}

static ULONG inbox_count(LPMAPIFOLDER inbox)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(inbox, 0, &t), S_OK);
    ULONG n = 0;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), S_OK);
    IMAPITable_Release(t);
    return n;
}

static void one_writer_round(LPMDB mdb, LPMAPIFOLDER inbox, const char *path)
{
    eid inbox_id = eid_of(inbox);
    ULONG had = inbox_count(inbox);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 0;
    assert_int_equal(IMsgStore_Advise(mdb, inbox_id.cb, (LPENTRYID)inbox_id.b,
                                      fnevObjectCreated, sink, &conn),
                     S_OK);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        fm_test_child_exit(writer(path, fds[1]));
    }
    close(fds[1]);
    char c;
    assert_int_equal(read(fds[0], &c, 1), 1);
    close(fds[0]);
    sleep_us(2000 + rand_r(&seed) % 60000);
    assert_int_equal(kill(pid, SIGKILL), 0);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    /* What the writer committed is what is in the folder now. */
    ULONG committed = inbox_count(inbox) - had;
    assert_int_equal(nx_recorder_wait(&r, committed), committed);
    assert_int_equal(fm_notify_wait_idle(30000), S_OK);
    sleep_us(600000); /* the watcher's look for a writer killed after its COMMIT */
    assert_int_equal(fm_notify_wait_idle(30000), S_OK);
    assert_int_equal(r.n, committed);
    for (size_t i = 0; i < r.n; i++) {
        const OBJECT_NOTIFICATION *o = &r.seen[i]->info.obj;
        assert_true(same_eid(o->cbParentID, o->lpParentID, &inbox_id));
        for (size_t j = 0; j < i; j++) /* each message once */
            assert_false(o->cbEntryID == r.seen[j]->info.obj.cbEntryID &&
                         memcmp(o->lpEntryID, r.seen[j]->info.obj.lpEntryID, o->cbEntryID) == 0);
        ULONG type = 0;
        LPMESSAGE m = NULL; /* each one committed */
        assert_int_equal(IMsgStore_OpenEntry(mdb, o->cbEntryID, o->lpEntryID, NULL, 0, &type,
                                             (LPUNKNOWN *)&m),
                         S_OK);
        IMessage_Release(m);
    }
    assert_int_equal(IMsgStore_Unadvise(mdb, conn), S_OK);
    IMAPIAdviseSink_Release(sink);
    nx_recorder_clear(&r);
}

static void a_writer_killed_mid_stream_is_notified_exactly_as_committed(void **state)
{
    (void)state;
    char path[600];
    snprintf(path, sizeof path, "%s", fx_store_path("kill-writer"));
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    for (int round = 0; round < WRITER_ROUNDS; round++)
        one_writer_round(mdb, inbox, path);
    /* The store is whole and writable after the kills. */
    save_new(inbox, "after", 0);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

int main(void)
{
    seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    fprintf(stderr, "test_store_notify_kill: seed %u\n", seed);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(subscribers_killed_at_random_leave_the_writer_unhindered),
        cmocka_unit_test(a_writer_killed_mid_stream_is_notified_exactly_as_committed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
