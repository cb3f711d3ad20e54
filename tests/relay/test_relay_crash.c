/*
 * tests/relay/test_relay_crash.c - nothing lost, and twice only inside the
 * documented window: spoolers sending through the relay (aiosmtpd over
 * STARTTLS with AUTH) are SIGKILLed at random moments. Afterwards every
 * outside recipient of every acknowledged submission was received at the
 * sink at least once, the local recipient exactly once, and the copies the
 * sink got twice are no more than the spoolers killed: a kill can repeat
 * only the one SMTP transaction the relay answered 250 and the spooler had
 * not recorded yet (freemapi_relay.h).
 */
#include "relay_fixture.h"

#define MESSAGES 16
#define KILL_ROUNDS 8
#define OUTSIDE 3

static const sp_recip RECIPS[] = {
    { "Bob", "SMTP", "bob@example.org" },
    { "A", "SMTP", "a@elsewhere.test" },
    { "B", "SMTP", "b@elsewhere.test" },
    { "C", "SMTP", "c@elsewhere.test" },
};

/* Spools alice's queue until it is empty, saying on fd that it started. */
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
    for (int i = 0; i < 100; i++) {
        fm_spool_stats st;
        if (fm_spool_run(site, s, &st) != S_OK)
            fm_test_child_exit(5);
        if (st.submissions == 0 && st.deferred == 0)
            fm_test_child_exit(0);
    }
    fm_test_child_exit(6);
}

/* A spooler killed up to max_us after it started; true when killed at work. */
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
    assert_true(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0));
    return WIFSIGNALED(status);
}

static void every_recipient_gets_it_and_repeats_stay_inside_the_window(void **state)
{
    (void)state;
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    print_message("seed %u\n", seed);
    srand(seed);
    char dir[600], sink_dir[600];
    snprintf(dir, sizeof dir, "%s/relay-crash-site", fm_test_tmpdir());
    snprintf(sink_dir, sizeof sink_dir, "%s/relay-crash-sink", fm_test_tmpdir());
    ab_make_site(dir);
    rl_sink sink;
    rl_sink_start(&sink, sink_dir);
    rl_set_relay(dir, &sink, RL_PASSWORD);
    assert_int_equal(fmapi_relay_register(), S_OK);

    /* Each round queues two more messages and kills a spooler sending them. */
    int killed = 0;
    for (int round = 0; round < KILL_ROUNDS; round++) {
        LPMDB alice = sp_open_mailbox(dir, "alice");
        for (int i = round * MESSAGES / KILL_ROUNDS; i < (round + 1) * MESSAGES / KILL_ROUNDS;
             i++) {
            char subject[16];
            snprintf(subject, sizeof subject, "rk%d", i);
            assert_int_equal(sp_submit(alice, subject, RECIPS, 1 + OUTSIDE, NULL, 0), S_OK);
        }
        IMsgStore_Release(alice);
        killed += run_killed(dir, 60000);
    }
    print_message("%d of %d spoolers killed at work\n", killed, KILL_ROUNDS);
    fm_spool_stats st;
    int runs = 0;
    do {
        assert_int_equal(sp_run(dir, "alice", &st), S_OK);
        assert_int_equal(st.deferred, 0);
        assert_true(++runs < 20);
    } while (st.submissions > 0);
    assert_int_equal(rl_sql_int(sp_mailbox_path(dir, "alice"), "SELECT count(*) FROM submit_queue"),
                     0);
    rl_sink_stop(&sink);

    int repeats = 0;
    for (int i = 0; i < MESSAGES; i++) {
        char subject[40];
        snprintf(subject, sizeof subject, "\"subject\": \"rk%d\"", i);
        for (int r = 1; r <= OUTSIDE; r++) {
            char rcpt[60];
            snprintf(rcpt, sizeof rcpt, "\"%s\"", RECIPS[r].address);
            int got = rl_sink_count(&sink, subject, rcpt, NULL);
            assert_true(got >= 1); /* nothing lost */
            repeats += got - 1;
        }
        /* No copy went to the local recipient through the relay. */
        assert_int_equal(rl_sink_count(&sink, subject, "\"bob@example.org\"]", NULL), 0);
    }
    print_message("%d repeated deliveries at the sink\n", repeats);
    /* Each kill repeats at most one transaction of OUTSIDE recipients. */
    assert_true(repeats <= killed * OUTSIDE);
    LPMDB bob = sp_open_mailbox(dir, "bob");
    LPMAPIFOLDER in = sp_inbox(bob);
    assert_int_equal(sp_count(in), MESSAGES); /* local: exactly once */
    IMAPIFolder_Release(in);
    IMsgStore_Release(bob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_recipient_gets_it_and_repeats_stay_inside_the_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
