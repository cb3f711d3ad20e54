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

/* A DSN the relay sends back later (RFC 3464), as an MTA delivers it. */
static const char DSN[] =
    "From: MAILER-DAEMON@relay.test\r\n"
    "To: alice@example.org\r\n"
    "Subject: Undelivered Mail Returned to Sender\r\n"
    "Date: Mon, 07 Dec 2026 10:00:00 +0000\r\n"
    "Message-ID: <dsn1@relay.test>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n"
    "\r\n"
    "--b1\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "Your message could not be delivered to far@elsewhere.test.\r\n"
    "--b1\r\n"
    "Content-Type: message/delivery-status\r\n"
    "\r\n"
    "Reporting-MTA: dns; relay.test\r\n"
    "\r\n"
    "Final-Recipient: rfc822; far@elsewhere.test\r\n"
    "Action: failed\r\n"
    "Status: 5.1.1\r\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <far@elsewhere.test>: User unknown\r\n"
    "\r\n"
    "--b1\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: Alice <alice@example.org>\r\n"
    "To: far@elsewhere.test\r\n"
    "Subject: sent far away\r\n"
    "Date: Mon, 07 Dec 2026 09:59:00 +0000\r\n"
    "\r\n"
    "hello\r\n"
    "--b1--\r\n";

static void a_dsn_from_the_relay_becomes_an_ndr_of_the_original(void **state)
{
    (void)state;
    char dir[600], dsn[700];
    snprintf(dir, sizeof dir, "%s/dsn-site", fm_test_tmpdir());
    ab_make_site(dir);
    snprintf(dsn, sizeof dsn, "%s/dsn.eml", dir);
    write_text(dsn, DSN);
    tool_run r;
    const char *const args[] = { "--site", dir, "deliver", "alice", NULL };
    tool_run_argv(&r, dsn, args);
    assert_exit(&r, 0);

    LPMDB alice = sp_open_mailbox(dir, "alice");
    LPMAPIFOLDER in = sp_inbox(alice);
    SizedSPropTagArray(2, tags) = { 2, { PR_ENTRYID, PR_MESSAGE_CLASS_A } };
    LPSRowSet rows = sp_rows(in, (LPSPropTagArray)&tags);
    assert_int_equal(rows->cRows, 1);
    LPSPropValue v = rows->aRow[0].lpProps;
    assert_string_equal(v[1].Value.lpszA, "REPORT.IPM.Note.NDR");
    ULONG type = 0;
    LPMESSAGE ndr = NULL;
    assert_int_equal(IMsgStore_OpenEntry(alice, v[0].Value.bin.cb, (LPENTRYID)v[0].Value.bin.lpb,
                                         NULL, 0, &type, (LPUNKNOWN *)&ndr),
                     S_OK);
    LPSPropValue orig = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)ndr, PR_ORIGINAL_SUBJECT_A, &orig), S_OK);
    assert_string_equal(orig->Value.lpszA, "sent far away");
    MAPIFreeBuffer(orig);
    LPMAPITABLE rt = NULL;
    assert_int_equal(IMessage_GetRecipientTable(ndr, 0, &rt), S_OK);
    SizedSPropTagArray(3, rtags) = { 3, { PR_NDR_REASON_CODE, PR_NDR_DIAG_CODE,
                                          PR_EMAIL_ADDRESS_A } };
    LPSRowSet rr = NULL;
    assert_int_equal(HrQueryAllRows(rt, (LPSPropTagArray)&rtags, NULL, NULL, 0, &rr), S_OK);
    /* The failed recipient's row carries the codes the DSN's status means. */
    int failed = 0;
    for (ULONG i = 0; i < rr->cRows; i++) {
        LPSPropValue p = rr->aRow[i].lpProps;
        if (p[2].ulPropTag != PR_EMAIL_ADDRESS_A ||
            strcmp(p[2].Value.lpszA, "far@elsewhere.test") != 0)
            continue;
        failed++;
        assert_int_equal(p[0].ulPropTag, PR_NDR_REASON_CODE);
        assert_int_equal(p[1].ulPropTag, PR_NDR_DIAG_CODE);
        /* the same codes a 5.1.1 refusal at RCPT gets (test_relay.c) */
        assert_int_equal(p[0].Value.l, MAPI_REASON_TRANSFER_IMPOSSIBLE);
        assert_int_equal(p[1].Value.l, MAPI_DIAG_MAIL_RECIPIENT_UNKNOWN);
    }
    assert_int_equal(failed, 1);
    FreeProws(rr);
    IMAPITable_Release(rt);
    IMessage_Release(ndr);
    FreeProws(rows);
    IMAPIFolder_Release(in);
    IMsgStore_Release(alice);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_tool_sets_the_relay_and_works_the_queue),
        cmocka_unit_test(a_dsn_from_the_relay_becomes_an_ndr_of_the_original),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
