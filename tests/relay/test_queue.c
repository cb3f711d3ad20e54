/*
 * tests/relay/test_queue.c - `mapi site relay` and `mapi queue` on a real
 * relay (the aiosmtpd sink): the setting made from the command line with
 * the password on standard input and kept 0600, a submission waiting in the
 * queue listed with each recipient's state and next attempt, `queue retry`
 * sending it through the relay from the tool (4xx recipient still due, the
 * accepted one shown relayed and not sent again), and `queue delete`
 * taking one out.
 */
#include "relay_fixture.h"

#include "../tools/tool_fixture.h"

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void the_tool_sets_the_relay_and_works_the_queue(void **state)
{
    (void)state;
    char dir[600], sink_dir[600], pw[700], port[40], conf[700];
    snprintf(dir, sizeof dir, "%s/queue-site", fm_test_tmpdir());
    snprintf(sink_dir, sizeof sink_dir, "%s/queue-sink", fm_test_tmpdir());
    ab_make_site(dir);
    rl_sink sink;
    rl_sink_start(&sink, sink_dir);
    snprintf(pw, sizeof pw, "%s/pw", sink_dir);
    write_text(pw, RL_PASSWORD "\n");
    snprintf(port, sizeof port, "127.0.0.1:%u", sink.port);

    tool_run r;
    TOOL(&r, "--site", dir, "site", "relay");
    assert_exit(&r, 0);
    assert_contains(r.out, "no relay");
    const char *const set[] = { "--site", dir, "site", "relay", port, "--starttls", "required",
                                "--user", RL_USER, "--password-stdin", "--cafile", sink.cert,
                                NULL };
    tool_run_argv(&r, pw, set);
    assert_exit(&r, 0);
    assert_contains(r.out, "starttls required user " RL_USER);
    assert_not_contains(r.out, RL_PASSWORD);
    snprintf(conf, sizeof conf, "%s/relay.conf", dir);
    struct stat st;
    assert_int_equal(stat(conf, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    TOOL(&r, "--site", dir, "site", "relay", "nohost");
    assert_exit(&r, 2);

    /* Queued by a process without the relay client: waits. */
    static const sp_recip R[] = {
        { "Ok", "SMTP", "ok-q@elsewhere.test" },
        { "Later", "SMTP", "later-q@elsewhere.test" },
    };
    assert_int_equal(fmapi_outbound_register(NULL, NULL), S_OK);
    LPMDB alice = sp_open_mailbox(dir, "alice");
    assert_int_equal(sp_submit(alice, "queued one", R, 2, NULL, 0), S_OK);
    IMsgStore_Release(alice);
    fm_spool_stats sst;
    assert_int_equal(sp_run(dir, "alice", &sst), S_OK);
    assert_int_equal(sst.deferred, 1);

    TOOL(&r, "--site", dir, "queue", "list", "alice");
    assert_exit(&r, 0);
    assert_contains(r.out, "queued one");
    assert_contains(r.out, "taken\t1 attempts\tnext 20");
    assert_contains(r.out, "due\tok-q@elsewhere.test");
    assert_contains(r.out, "due\tlater-q@elsewhere.test");

    /* retry: the tool sends; later-q is refused for now (451), ok-q taken. */
    TOOL(&r, "--site", dir, "queue", "retry", "alice");
    assert_exit(&r, 0);
    assert_contains(r.out, "1 submission left");
    TOOL(&r, "--site", dir, "queue", "list", "alice");
    assert_exit(&r, 0);
    assert_contains(r.out, "relayed\tok-q@elsewhere.test");
    assert_contains(r.out, "due\tlater-q@elsewhere.test");
    TOOL(&r, "--site", dir, "queue", "retry", "alice");
    assert_exit(&r, 0);
    assert_contains(r.out, "0 submissions left");
    TOOL(&r, "--site", dir, "queue", "list", "alice");
    assert_exit(&r, 0);
    assert_string_equal(r.out, "");
    assert_int_equal(rl_sink_count(&sink, "\"rcpts\": [\"ok-q@elsewhere.test\"]", NULL, NULL), 1);
    assert_int_equal(rl_sink_count(&sink, "\"rcpts\": [\"later-q@elsewhere.test\"]", NULL, NULL),
                     1);

    /* delete: out of the queue, nothing sent. */
    alice = sp_open_mailbox(dir, "alice");
    assert_int_equal(sp_submit(alice, "never sent", R, 1, NULL, 0), S_OK);
    IMsgStore_Release(alice);
    long long qid = rl_sql_int(sp_mailbox_path(dir, "alice"), "SELECT max(qid) FROM submit_queue");
    assert_true(qid > 0);
    char id[32];
    snprintf(id, sizeof id, "%lld", qid);
    TOOL(&r, "--site", dir, "queue", "delete", "alice");
    assert_exit(&r, 2);
    TOOL(&r, "--site", dir, "queue", "delete", "alice", "999999");
    assert_exit(&r, 3);
    TOOL(&r, "--site", dir, "queue", "delete", "alice", id);
    assert_exit(&r, 0);
    assert_int_equal(rl_sql_int(sp_mailbox_path(dir, "alice"), "SELECT count(*) FROM submit_queue"),
                     0);
    TOOL(&r, "--site", dir, "queue", "retry", "alice");
    assert_exit(&r, 0);
    assert_int_equal(rl_sink_count(&sink, "never sent", NULL, NULL), 0);
    rl_sink_stop(&sink);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_tool_sets_the_relay_and_works_the_queue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
