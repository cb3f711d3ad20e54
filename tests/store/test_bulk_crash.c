/*
 * tests/store/test_bulk_crash.c - a process killed (SIGKILL) in the middle of
 * a bulk operation leaves a consistent store: after each kill the file
 * passes PRAGMA integrity_check, every message is in exactly one place after
 * a move within the store (at least one, at most two, after a move across
 * stores: a duplicate, never a loss), a hard EmptyFolder leaves every
 * message whole or gone with nothing orphaned, and running the operation
 * again finishes it. FM_TEST_CRASH_ROUNDS scales the number of kills
 * (default 12 per operation).
 */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "test_bulk_fixture.h"

#define MESSAGES 120

static char path[600], path2[600];
static int ready[2]; /* the child writes a byte here when it starts its work */
static int killed_mid_work;

static void started(void)
{
    char c = 1;
    if (write(ready[1], &c, 1) != 1)
        fm_test_child_exit(11);
}

static int rounds(void)
{
    const char *e = getenv("FM_TEST_CRASH_ROUNDS");
    int n = e ? atoi(e) : 0;
    return n > 0 ? n : 12;
}

/* The children open their own store objects, as other processes would. */
static _Noreturn void child_move(const char *from_path, const char *to_path)
{
    LPMDB a = NULL, b = NULL;
    if (fmapi_store_open(from_path, 0, &a) != S_OK || fmapi_store_open(to_path, 0, &b) != S_OK)
        fm_test_child_exit(10);
    fm_bulk_set_batch_limits(7, 0);
    LPMAPIFOLDER src = fx_inbox(a);
    LPMAPIFOLDER dst = fx_open_folder_by_prop(b, b, PR_IPM_OUTBOX_ENTRYID);
    started();
    for (;;) {
        LPENTRYLIST l = bx_list(src, 0, 0, 1);
        IMAPIFolder_CopyMessages(src, l, NULL, dst, 0, NULL, MESSAGE_MOVE);
        MAPIFreeBuffer(l);
        LPENTRYLIST back = bx_list(dst, 0, 0, 1);
        LPMAPIFOLDER home = fx_inbox(b);
        /* Within one store the messages go back, so the child never idles. */
        if (a == b || strcmp(from_path, to_path) == 0)
            IMAPIFolder_CopyMessages(dst, back, NULL, home, 0, NULL, MESSAGE_MOVE);
        IMAPIFolder_Release(home);
        MAPIFreeBuffer(back);
    }
}

static _Noreturn void child_empty(const char *p, ULONG flags)
{
    LPMDB mdb = NULL;
    if (fmapi_store_open(p, 0, &mdb) != S_OK)
        fm_test_child_exit(10);
    fm_bulk_set_batch_limits(5, 0);
    LPMAPIFOLDER f = fx_inbox(mdb);
    started();
    IMAPIFolder_EmptyFolder(f, 0, NULL, flags);
    fm_test_child_exit(0); /* finished before the kill: still a valid round */
}

/* How many times each message number appears among the messages of a store
 * (deleted ones too when all). */
static void tally(const char *p, int *seen, bool all)
{
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(p, 0, &mdb), S_OK);
    const ULONG folders[] = { PR_IPM_OUTBOX_ENTRYID, 0 };
    for (int i = 0; i < 2; i++) {
        LPMAPIFOLDER f = folders[i] ? fx_open_folder_by_prop(mdb, mdb, folders[i]) : fx_inbox(mdb);
        for (int soft = 0; soft < (all ? 2 : 1); soft++) {
            LPSRowSet rows = bx_rows(f, soft ? SHOW_SOFT_DELETES : 0);
            for (ULONG r = 0; r < rows->cRows; r++) {
                long n = atol(rows->aRow[r].lpProps[1].Value.lpszA + 4);
                assert_true(n >= 0 && n < MESSAGES);
                seen[n]++;
            }
            FreeProws(rows);
        }
        IMAPIFolder_Release(f);
    }
    IMsgStore_Release(mdb);
}

/* Forks a child running fn, waits for it to start, kills it a random 0 to
 * 25 ms later. */
static void run_and_kill(void (*fn)(void *), void *arg)
{
    assert_int_equal(pipe(ready), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0)
        fn(arg);
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    struct timespec ts = { 0, (long)(rand() % 25) * 1000000L + 200000L };
    nanosleep(&ts, NULL);
    kill(child, SIGKILL);
    int status;
    waitpid(child, &status, 0);
    close(ready[0]);
    close(ready[1]);
    assert_true(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0));
    killed_mid_work += WIFSIGNALED(status);
}

static void move_within(void *arg)
{
    (void)arg;
    child_move(path, path);
}

static void move_across(void *arg)
{
    (void)arg;
    child_move(path, path2);
}

static void empty_with(void *arg)
{
    child_empty(path, *(ULONG *)arg);
}

static void seed_rand(void)
{
    unsigned seed = (unsigned)time(NULL);
    const char *env = getenv("FREEMAPI_TEST_SEED");
    if (env != NULL)
        seed = (unsigned)strtoul(env, NULL, 10);
    print_message("seed %u (FREEMAPI_TEST_SEED replays it)\n", seed);
    srand(seed);
}

static void a_move_killed_at_any_moment_leaves_each_message_in_one_place(void **st)
{
    (void)st;
    seed_rand();
    snprintf(path, sizeof path, "%s", fx_store_path("bkmove"));
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    bx_fill(inbox, 0, MESSAGES);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    for (int r = 0; r < rounds(); r++) {
        run_and_kill(move_within, NULL);
        assert_true(bx_integrity_ok(path));
        int seen[MESSAGES] = { 0 };
        tally(path, seen, true);
        for (int n = 0; n < MESSAGES; n++)
            if (seen[n] != 1)
                fail_msg("round %d: message %d is in %d places", r, n, seen[n]);
    }
}

static void a_move_across_stores_killed_duplicates_at_worst_and_loses_nothing(void **st)
{
    (void)st;
    seed_rand();
    snprintf(path, sizeof path, "%s", fx_store_path("bkxa"));
    snprintf(path2, sizeof path2, "%s", fx_store_path("bkxb"));
    LPMDB a = NULL, b = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &a), S_OK);
    assert_int_equal(fmapi_store_open(path2, FMAPI_STORE_CREATE, &b), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(a);
    LPMAPIFOLDER remote = fx_open_folder_by_prop(b, b, PR_IPM_OUTBOX_ENTRYID);
    int moved_rounds = rounds() / 2 > 0 ? rounds() / 2 : 1;
    for (int r = 0; r < moved_rounds; r++) {
        /* Each round starts from every message in the first store. */
        assert_int_equal(IMAPIFolder_EmptyFolder(inbox, 0, NULL, DELETE_HARD_DELETE), S_OK);
        assert_int_equal(IMAPIFolder_EmptyFolder(remote, 0, NULL, DELETE_HARD_DELETE), S_OK);
        bx_fill(inbox, 0, MESSAGES);
        run_and_kill(move_across, NULL);
        assert_true(bx_integrity_ok(path));
        assert_true(bx_integrity_ok(path2));
        int seen[MESSAGES] = { 0 };
        tally(path, seen, false);
        tally(path2, seen, false);
        int twice = 0;
        for (int n = 0; n < MESSAGES; n++) {
            if (seen[n] < 1 || seen[n] > 2)
                fail_msg("round %d: message %d is in %d places", r, n, seen[n]);
            twice += seen[n] == 2;
        }
        /* At most the message in flight when the process died. */
        assert_true(twice <= 1);
    }
    IMAPIFolder_Release(remote);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(a);
    IMsgStore_Release(b);
}

/* Nothing points at a message, attachment or stream that is gone. */
static void nothing_orphaned(const char *p)
{
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(p, 0, &mdb), S_OK); /* collects garbage */
    IMsgStore_Release(mdb);
    assert_int_equal(fx_count(p, "SELECT count(*) FROM recipients r WHERE NOT EXISTS (SELECT 1"
                                 " FROM messages m WHERE m.mid = r.mid)"), 0);
    assert_int_equal(fx_count(p, "SELECT count(*) FROM attachments a WHERE NOT EXISTS (SELECT 1"
                                 " FROM messages m WHERE m.mid = a.mid)"), 0);
    assert_int_equal(fx_count(p, "SELECT count(*) FROM streams s WHERE s.owner_kind = 3 AND NOT"
                                 " EXISTS (SELECT 1 FROM attachments a WHERE a.aid = s.owner_id)"),
                     0);
    assert_int_equal(fx_count(p, "SELECT count(*) FROM streams WHERE owner_kind IS NULL"), 0);
    assert_int_equal(fx_count(p, "SELECT count(*) FROM stream_chunks c WHERE NOT EXISTS (SELECT 1"
                                 " FROM streams s WHERE s.sid = c.sid)"), 0);
    /* Every message left is whole: its recipient is there. */
    assert_int_equal(fx_count(p, "SELECT count(*) FROM messages m WHERE m.fid IS NOT NULL AND"
                                 " NOT EXISTS (SELECT 1 FROM recipients r WHERE r.mid = m.mid)"),
                     0);
}

static void empty_folder_killed_at_any_moment_leaves_a_consistent_store(void **st)
{
    (void)st;
    seed_rand();
    snprintf(path, sizeof path, "%s", fx_store_path("bkempty"));
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    for (int r = 0; r < rounds(); r++) {
        ULONG flags = r % 2 ? DELETE_HARD_DELETE : 0;
        bx_fill(inbox, 1000 * r, MESSAGES / 2);
        long before = fx_count(path, "SELECT count(*) FROM messages");
        run_and_kill(empty_with, &flags);
        assert_true(bx_integrity_ok(path));
        nothing_orphaned(path);
        /* A soft empty loses no row; a hard one only whole messages. */
        if (!flags)
            assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), before);
        assert_int_equal(IMAPIFolder_EmptyFolder(inbox, 0, NULL, flags), S_OK);
        assert_int_equal(bx_count(inbox, 0), 0);
        if (flags)
            assert_int_equal(fx_count(path, "SELECT count(*) FROM messages WHERE deleted_at IS"
                                            " NULL"), 0);
    }
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    print_message("%d of the kills landed while the operation ran\n", killed_mid_work);
    assert_true(killed_mid_work > 0);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_move_killed_at_any_moment_leaves_each_message_in_one_place),
        cmocka_unit_test(a_move_across_stores_killed_duplicates_at_worst_and_loses_nothing),
        cmocka_unit_test(empty_folder_killed_at_any_moment_leaves_a_consistent_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
