/*
 * tests/spool/test_spool_crash.c - nothing lost, nothing twice: processes
 * that submit and spool are SIGKILLed at random moments, then every
 * submission SubmitMessage acknowledged must have reached each recipient
 * mailbox exactly once, its report exactly once and Sent Items exactly once;
 * one not acknowledged (killed inside SubmitMessage) at most once each.
 */
#include "spool_fixture.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>

#define MESSAGES 12
#define KILL_ROUNDS 8

/* Per message: bob (SMTP), solo (a list: bobby), and a stranger (a report). */
static const sp_recip RECIPS[] = {
    { "Bob", "SMTP", "bob@example.org" },
    { "Solo", "EX", "/o=freemapi/ou=site/cn=Recipients/cn=solo" },
    { "Stranger", "SMTP", "stranger@elsewhere.test" },
};

_Noreturn static void submit_child(const char *dir, int fd)
{
    LPMDB alice = NULL;
    if (fmapi_store_open(sp_mailbox_path(dir, "alice"), 0, &alice) != S_OK)
        fm_test_child_exit(2);
    LPSPropValue sent = NULL;
    if (HrGetOneProp((LPMAPIPROP)alice, PR_IPM_SENTMAIL_ENTRYID, &sent) != S_OK)
        fm_test_child_exit(2);
    sent->ulPropTag = PR_SENTMAIL_ENTRYID;
    for (unsigned char i = 0; i < MESSAGES; i++) {
        char subject[16];
        snprintf(subject, sizeof subject, "m%u", i);
        if (sp_submit(alice, subject, RECIPS, 3, sent, 1) != S_OK)
            fm_test_child_exit(3);
        if (write(fd, &i, 1) != 1) /* acknowledged */
            fm_test_child_exit(4);
    }
    fm_test_child_exit(0);
}

/* Opens the site and alice's mailbox, says so on fd, and spools until the
 * queue is empty. */
_Noreturn static void spool_child(const char *dir, int fd)
{
    fmapi_site *site = NULL;
    fm_store *s = NULL;
    if (fmapi_site_open(dir, 0, &site) != S_OK ||
        fm_store_open(sp_mailbox_path(dir, "alice"), 0, &s) != S_OK)
        fm_test_child_exit(5);
    char ready = 1;
    if (write(fd, &ready, 1) != 1)
        fm_test_child_exit(4);
    for (;;) {
        fm_spool_stats st;
        if (fm_spool_run(site, s, &st) != S_OK)
            fm_test_child_exit(5);
        if (st.submissions == 0)
            fm_test_child_exit(0);
    }
}

/* Forks a spooler and kills it up to max_us microseconds after it is at
 * work (unless it ended first); true when it was killed. */
static bool run_killed(const char *dir, long max_us)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        spool_child(dir, fds[1]);
    close(fds[1]);
    char ready;
    bool started = read(fds[0], &ready, 1) == 1;
    close(fds[0]);
    if (started) {
        struct timespec ts = { 0, (rand() % (max_us + 1)) * 1000 };
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    /* Either killed, or ended by itself without an error. */
    assert_true(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0));
    return WIFSIGNALED(status);
}

/* counts[i] += copies of subject "<prefix>m<i>" in folder f. */
static void count_subjects(LPMAPIFOLDER f, const char *prefix, int counts[MESSAGES])
{
    SizedSPropTagArray(1, tags) = { 1, { PR_SUBJECT_A } };
    LPSRowSet rows = sp_rows(f, (LPSPropTagArray)&tags);
    size_t plen = strlen(prefix);
    for (ULONG r = 0; r < rows->cRows; r++) {
        LPSPropValue v = rows->aRow[r].lpProps;
        if (v->ulPropTag != PR_SUBJECT_A || strncmp(v->Value.lpszA, prefix, plen) != 0)
            continue;
        const char *num = strrchr(v->Value.lpszA, 'm');
        assert_non_null(num);
        int i = atoi(num + 1);
        assert_true(i >= 0 && i < MESSAGES);
        counts[i]++;
    }
    FreeProws(rows);
}

static void count_inbox(const char *dir, const char *alias, const char *prefix,
                        int counts[MESSAGES])
{
    LPMDB mdb = sp_open_mailbox(dir, alias);
    LPMAPIFOLDER in = sp_inbox(mdb);
    count_subjects(in, prefix, counts);
    IMAPIFolder_Release(in);
    IMsgStore_Release(mdb);
}

static long fx_count_queue(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long n = -1;
    if (sqlite3_open(path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT count(*) FROM submit_queue", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

static void every_acknowledged_submission_is_delivered_exactly_once(void **state)
{
    (void)state;
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    print_message("seed %u\n", seed);
    srand(seed);
    char dir[600];
    snprintf(dir, sizeof dir, "%s/site", fm_test_tmpdir());
    ab_make_site(dir);

    /* Submissions, killed somewhere in the middle. */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        submit_child(dir, fds[1]);
    close(fds[1]);
    bool acked[MESSAGES] = { false };
    unsigned char i;
    /* The first acknowledgement says the child is at work; the kill comes
     * somewhere in the submissions after it. */
    assert_int_equal(read(fds[0], &i, 1), 1);
    acked[i] = true;
    struct timespec ts = { 0, (rand() % 4001) * 1000L };
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    while (read(fds[0], &i, 1) == 1)
        acked[i] = true;
    close(fds[0]);

    /* Spoolers, killed at random moments, then one left to finish. */
    int killed = 0;
    for (int round = 0; round < KILL_ROUNDS; round++)
        killed += run_killed(dir, 60000);
    print_message("%d of %d spoolers killed at work\n", killed, KILL_ROUNDS);
    fm_spool_stats st;
    unsigned left = 0;
    do {
        assert_int_equal(sp_run(dir, "alice", &st), S_OK);
        left += st.submissions;
    } while (st.submissions > 0);
    print_message("%u submissions left for the last spooler\n", left);
    assert_int_equal(st.deferred, 0);

    int bob[MESSAGES] = { 0 }, bobby[MESSAGES] = { 0 }, ndr[MESSAGES] = { 0 },
        sent[MESSAGES] = { 0 }, outbox[MESSAGES] = { 0 };
    count_inbox(dir, "bob", "", bob);
    count_inbox(dir, "bobby", "", bobby);
    count_inbox(dir, "alice", "Undeliverable:", ndr);
    LPMDB alice = sp_open_mailbox(dir, "alice");
    LPMAPIFOLDER sf = sp_folder(alice, PR_IPM_SENTMAIL_ENTRYID);
    count_subjects(sf, "", sent);
    IMAPIFolder_Release(sf);
    LPMAPIFOLDER of = sp_folder(alice, PR_IPM_OUTBOX_ENTRYID);
    count_subjects(of, "", outbox);
    IMAPIFolder_Release(of);
    IMsgStore_Release(alice);
    int nacked = 0;
    for (int k = 0; k < MESSAGES; k++) {
        nacked += acked[k];
        int want_max = 1, want_min = acked[k] ? 1 : 0;
        assert_in_range(bob[k], want_min, want_max);
        assert_in_range(bobby[k], want_min, want_max);
        assert_in_range(ndr[k], want_min, want_max);
        assert_in_range(sent[k], want_min, want_max);
        /* A queued submission is ended whole: all of it, or none and queued. */
        assert_int_equal(bob[k], sent[k]);
        assert_int_equal(bobby[k], sent[k]);
        assert_int_equal(ndr[k], sent[k]);
        assert_int_equal(outbox[k], 0); /* whatever was saved was queued and sent */
    }
    print_message("%d of %d submissions acknowledged before the kill\n", nacked, MESSAGES);
    assert_int_equal(fx_count_queue(sp_mailbox_path(dir, "alice")), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_acknowledged_submission_is_delivered_exactly_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
