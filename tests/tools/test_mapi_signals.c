/*
 * tests/tools/test_mapi_signals.c - SIGINT and SIGTERM stop the `mapi`
 * binary wherever it waits: an import whose FIFO has no writer yet, an
 * import reading a FIFO whose writer went quiet (what it read is kept), an
 * export into a FIFO nobody reads, a password read from a pipe that never
 * comes. Each exits 130 (issue 14, item 19: with SA_RESTART a blocked
 * read went on after the signal, 611 s under `timeout 60`).
 *
 * The tool is signalled once it has its store (or site) open, which it does
 * only after its handlers are set. How long it takes to stop is printed,
 * not asserted: a unit test has no time limit. A stop that never comes is
 * caught by a bound far above any run.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tool_fixture.h"

static char store_path[600];

static const char *tmp(const char *name)
{
    static char buf[4][700];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", fm_test_tmpdir(), name);
    return b;
}

static const char *fresh_fifo(const char *name)
{
    const char *fifo = tmp(name);
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    return fifo;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sends sig and returns the exit code, printing how long the stop took. */
static int stop_with(pid_t pid, int sig, const char *what)
{
    double t0 = now();
    kill(pid, sig);
    int code = tool_wait_exit(pid);
    print_message("%s: stopped %.0f ms after %s\n", what, (now() - t0) * 1000,
                  sig == SIGINT ? "SIGINT" : "SIGTERM");
    return code;
}

static void write_messages(FILE *f, int first, int last)
{
    for (int i = first; i < last; i++)
        fprintf(f, "From x Mon Jan  6 09:00:00 2025\nSubject: m%d\n\nbody %d\n\n", i, i);
}

static int make_store(void **state)
{
    signal(SIGPIPE, SIG_IGN);
    /* nothing here uses a profile; HOME points into the test's directory
     * all the same */
    char home[700];
    snprintf(home, sizeof home, "%s/signals-home", fm_test_tmpdir());
    mkdir(home, 0700);
    setenv("HOME", home, 1);
    unsetenv("XDG_DATA_HOME");
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("MAPI_STORE");
    snprintf(store_path, sizeof store_path, "%s", fx_store_path("signals"));
    const char *mbox = tmp("signals.mbox");
    FILE *f = fopen(mbox, "w");
    assert_non_null(f);
    for (int i = 0; i < 300; i++)
        fprintf(f, "From x Mon Jan  6 09:00:00 2025\nSubject: s%d\n\n%0*d\n\n", i, 2000, i);
    fclose(f);
    tool_run r;
    TOOL(&r, "--store", store_path, "import", mbox);
    assert_exit(&r, 0);
    return 0;
}

static void an_import_waiting_for_a_fifo_writer_stops_at_a_signal(void **state)
{
    const int sigs[] = { SIGINT, SIGTERM };
    for (int i = 0; i < 2; i++) {
        const char *fifo = fresh_fifo("nobody-writes.fifo");
        const char *const args[] = { "--store", store_path, "import", "--format", "mbox", fifo,
                                     NULL };
        pid_t pid = tool_spawn(-1, args);
        assert_true(tool_wait_open(pid, ".fmstore"));
        assert_int_equal(stop_with(pid, sigs[i], "import from a FIFO without writer"), 130);
        unlink(fifo);
    }
}

static void an_import_reading_an_idle_fifo_stops_at_a_signal_keeping_what_it_read(void **state)
{
    const char *fifo = fresh_fifo("idle-writer.fifo");
    const char *const args[] = { "--store", store_path, "import", "-f", "Drafts", "--format",
                                 "mbox", fifo, NULL };
    pid_t pid = tool_spawn(-1, args);
    FILE *w = fopen(fifo, "w"); /* returns once the tool has it open */
    assert_non_null(w);
    write_messages(w, 0, 30);
    fflush(w);
    /* the writer stays open and writes nothing more; the 30th message is
     * never finished (no line follows it) */
    usleep(200000); /* let the tool read what was written (a stop sooner is fine too) */
    assert_int_equal(stop_with(pid, SIGTERM, "import from an idle FIFO"), 130);
    fclose(w);
    tool_run r;
    TOOL(&r, "--store", store_path, "--json", "folders");
    assert_contains(r.out, "\"path\":\"Drafts\"");
    long saved = tool_count(store_path, "SELECT count(*) FROM messages WHERE subject LIKE 'm%'");
    assert_true(saved >= 0 && saved < 30);
    print_message("%ld of the 29 whole messages were read before the signal and kept\n", saved);
    unlink(fifo);
}

static void an_export_into_a_fifo_nobody_reads_stops_at_a_signal(void **state)
{
    const int sigs[] = { SIGINT, SIGTERM };
    for (int i = 0; i < 2; i++) {
        const char *fifo = fresh_fifo("nobody-reads.fifo");
        /* the first time no reader at all; then one that never reads, so
         * the pipe fills */
        int reader = i == 0 ? -1 : open(fifo, O_RDONLY | O_NONBLOCK);
        const char *const args[] = { "--store", store_path, "export", fifo, NULL };
        pid_t pid = tool_spawn(-1, args);
        assert_true(tool_wait_open(pid, ".fmstore"));
        if (i == 1)
            usleep(100000); /* some of it written, most of it waiting */
        assert_int_equal(stop_with(pid, sigs[i], "export into a FIFO"), 130);
        if (reader >= 0)
            close(reader);
        unlink(fifo);
    }
}

static void a_password_from_a_pipe_that_never_comes_stops_at_a_signal(void **state)
{
    char site[700];
    snprintf(site, sizeof site, "%s/signals-site", fm_test_tmpdir());
    tool_run r;
    TOOL(&r, "site", "init", site);
    assert_exit(&r, 0);
    TOOL(&r, "--site", site, "user", "add", "waiting", "--password", "old-pw");
    assert_exit(&r, 0);
    int p[2];
    assert_int_equal(pipe(p), 0);
    const char *const args[] = { "--site", site, "user", "passwd", "waiting",
                                 "--password-stdin", NULL };
    pid_t pid = tool_spawn(p[0], args);
    close(p[0]);
    assert_true(tool_wait_open(pid, "directory.db"));
    assert_int_equal(stop_with(pid, SIGINT, "a password read from a pipe"), 130);
    close(p[1]);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_import_waiting_for_a_fifo_writer_stops_at_a_signal),
        cmocka_unit_test(an_import_reading_an_idle_fifo_stops_at_a_signal_keeping_what_it_read),
        cmocka_unit_test(an_export_into_a_fifo_nobody_reads_stops_at_a_signal),
        cmocka_unit_test(a_password_from_a_pipe_that_never_comes_stops_at_a_signal),
    };
    return cmocka_run_group_tests(tests, make_store, NULL);
}
