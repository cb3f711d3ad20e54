/*
 * tests/store/test_store_notify_stress.c - twenty processes on one store:
 * ten writers save messages into the Inbox at once while ten subscriber
 * processes (and this one) follow the store; every subscriber counts
 * exactly every message created, each once. Smaller under valgrind
 * (FM_TEST_OOM_STRIDE set) and ASan.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store_notify_fixture.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#else
#define SANITIZED 0
#endif

static int writers = 10, subscribers = 10, per_writer = 20;

/* What a subscriber child counts (on its notification threads). */
static nx_recorder child_rec;

/* A subscriber: follows the store, says it is ready, then reports how many
 * ObjectCreated (all distinct) it saw once it has want of them. */
static int subscriber(const char *path, int ready, int report, size_t want)
{
    LPMDB mdb = NULL;
    nx_recorder_init(&child_rec);
    IMAPIAdviseSink *sink = NULL;
    ULONG_PTR conn = 0;
    if (fmapi_store_open(path, 0, &mdb) != S_OK ||
        HrAllocAdviseSink(nx_record, &child_rec, &sink) != S_OK ||
        IMsgStore_Advise(mdb, 0, NULL, fnevObjectCreated, sink, &conn) != S_OK)
        return 10;
    if (write(ready, "r", 1) != 1)
        return 11;
    size_t got = nx_recorder_wait(&child_rec, want);
    if (fm_notify_wait_idle(30000) != S_OK)
        return 12;
    got = child_rec.n;
    for (size_t i = 0; i < got; i++)
        for (size_t j = 0; j < i; j++)
            if (child_rec.seen[i]->info.obj.cbEntryID == child_rec.seen[j]->info.obj.cbEntryID &&
                memcmp(child_rec.seen[i]->info.obj.lpEntryID,
                       child_rec.seen[j]->info.obj.lpEntryID,
                       child_rec.seen[i]->info.obj.cbEntryID) == 0)
                return 13; /* twice */
    uint32_t n = (uint32_t)got;
    return write(report, &n, sizeof n) == (ssize_t)sizeof n ? 0 : 14;
}

static int writer(const char *path, int n)
{
    LPMDB mdb = NULL;
    if (fmapi_store_open(path, 0, &mdb) != S_OK)
        return 10;
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    for (int i = 0; i < n; i++) {
        LPMESSAGE m = NULL;
        if (IMAPIFolder_CreateMessage(inbox, NULL, 0, &m) != S_OK ||
            IMessage_SaveChanges(m, 0) != S_OK)
            return 11;
        IMessage_Release(m);
    }
    return 0;
}

static void wait_ok(pid_t pid)
{
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void twenty_processes_see_every_message_exactly_once(void **state)
{
    (void)state;
    if (SANITIZED || getenv("FM_TEST_OOM_STRIDE") != NULL) {
        writers = subscribers = 4;
        per_writer = 5;
    }
    size_t total = (size_t)writers * (size_t)per_writer;
    char path[600];
    snprintf(path, sizeof path, "%s", fx_store_path("notify-stress"));
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 0;
    assert_int_equal(IMsgStore_Advise(mdb, 0, NULL, fnevObjectCreated, sink, &conn), S_OK);
    int ready[2], report[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(report), 0);
    pid_t pids[40];
    int np = 0;
    for (int i = 0; i < subscribers; i++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            fm_test_child_exit(subscriber(path, ready[1], report[1], total));
        pids[np++] = pid;
    }
    char c;
    for (int i = 0; i < subscribers; i++)
        assert_int_equal(read(ready[0], &c, 1), 1);
    for (int i = 0; i < writers; i++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            fm_test_child_exit(writer(path, per_writer));
        pids[np++] = pid;
    }
    for (int i = 0; i < np; i++)
        wait_ok(pids[i]);
    for (int i = 0; i < subscribers; i++) {
        uint32_t n = 0;
        assert_int_equal(read(report[0], &n, sizeof n), (ssize_t)sizeof n);
        assert_int_equal(n, total);
    }
    assert_int_equal(nx_recorder_wait(&r, total), total);
    assert_int_equal(fm_notify_wait_idle(30000), S_OK);
    assert_int_equal(r.n, total);
    for (int i = 0; i < 2; i++) {
        close(ready[i]);
        close(report[i]);
    }
    assert_int_equal(IMsgStore_Unadvise(mdb, conn), S_OK);
    IMAPIAdviseSink_Release(sink);
    IMsgStore_Release(mdb);
    nx_recorder_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(twenty_processes_see_every_message_exactly_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
