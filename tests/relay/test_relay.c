/*
 * tests/relay/test_relay.c - outside recipients sent through the site's
 * relay: the setting kept private, the message arriving at a real SMTP
 * server (aiosmtpd, over STARTTLS with AUTH) as MIME that Python's email
 * package parses, a refused recipient reported back with the relay's reply
 * and the right codes, a temporary refusal retried and delivered once, and
 * a process without the relay client (or with a wrong password) keeping
 * the submission queued instead of reporting it.
 */
#include <sys/stat.h>

#include "relay_fixture.h"

#include "freemapi_queue.h"

static char site_dir[600];
static rl_sink sink;

static const char *alice_path(void)
{
    return sp_mailbox_path(site_dir, "alice");
}

static int setup(void **state)
{
    (void)state;
    char dir[700];
    snprintf(site_dir, sizeof site_dir, "%s/relay-site", fm_test_tmpdir());
    ab_make_site(site_dir);
    snprintf(dir, sizeof dir, "%s/relay-sink", fm_test_tmpdir());
    rl_sink_start(&sink, dir);
    rl_set_relay(site_dir, &sink, RL_PASSWORD);
    assert_int_equal(fmapi_relay_register(), S_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rl_sink_stop(&sink);
    return 0;
}

static HRESULT submit(const char *subject, const sp_recip *r, ULONG n)
{
    LPMDB alice = sp_open_mailbox(site_dir, "alice");
    HRESULT hr = sp_submit(alice, subject, r, n, NULL, 0);
    IMsgStore_Release(alice);
    return hr;
}

static long long queued(void)
{
    return rl_sql_int(alice_path(), "SELECT count(*) FROM submit_queue");
}

/* The reports in alice's Inbox whose subject names `subject`. */
static LPMESSAGE open_report(LPMDB mdb, const char *subject)
{
    LPMAPIFOLDER in = sp_inbox(mdb);
    SizedSPropTagArray(3, tags) = { 3, { PR_ENTRYID, PR_MESSAGE_CLASS_A, PR_SUBJECT_A } };
    LPSRowSet rows = sp_rows(in, (LPSPropTagArray)&tags);
    char want[200];
    snprintf(want, sizeof want, "Undeliverable: %s", subject);
    LPMESSAGE ndr = NULL;
    for (ULONG i = 0; i < rows->cRows && ndr == NULL; i++) {
        LPSPropValue v = rows->aRow[i].lpProps;
        if (v[2].ulPropTag != PR_SUBJECT_A || strcmp(v[2].Value.lpszA, want) != 0)
            continue;
        assert_string_equal(v[1].Value.lpszA, "REPORT.IPM.Note.NDR");
        ULONG type = 0;
        assert_int_equal(IMsgStore_OpenEntry(mdb, v[0].Value.bin.cb,
                                             (LPENTRYID)v[0].Value.bin.lpb, NULL, 0, &type,
                                             (LPUNKNOWN *)&ndr),
                         S_OK);
    }
    FreeProws(rows);
    IMAPIFolder_Release(in);
    return ndr;
}

static void the_relay_setting_is_private_and_read_back(void **state)
{
    (void)state;
    char dir[700];
    snprintf(dir, sizeof dir, "%s/setting-site", fm_test_tmpdir());
    char cmd[800];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    rl_run(cmd);
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(dir, FMAPI_SITE_CREATE | FMAPI_SITE_WEAK_HASHES, &site),
                     S_OK);
    fmapi_relay_config *got = NULL;
    assert_int_equal(fmapi_site_get_relay(site, &got), MAPI_E_NOT_FOUND);
    mode_t old = umask(0);
    fmapi_relay_config cfg = { .host = "smtp.example.net", .port = 587,
                               .tls = FMAPI_RELAY_TLS_OPTIONAL, .user = "u",
                               .password = "p w", .cafile = NULL };
    assert_int_equal(fmapi_site_set_relay(site, &cfg), S_OK);
    umask(old);
    char path[800];
    snprintf(path, sizeof path, "%s/relay.conf", dir);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(fmapi_site_get_relay(site, &got), S_OK);
    assert_string_equal(got->host, "smtp.example.net");
    assert_int_equal(got->port, 587);
    assert_int_equal(got->tls, FMAPI_RELAY_TLS_OPTIONAL);
    assert_string_equal(got->user, "u");
    assert_string_equal(got->password, "p w");
    assert_null(got->cafile);
    MAPIFreeBuffer(got);
    /* A line break would smuggle a second setting in: refused. */
    fmapi_relay_config bad = cfg;
    bad.password = "x\nhost evil.test";
    assert_int_equal(fmapi_site_set_relay(site, &bad), MAPI_E_INVALID_PARAMETER);
    bad = cfg;
    bad.port = 70000;
    assert_int_equal(fmapi_site_set_relay(site, &bad), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_site_set_relay(site, NULL), S_OK);
    assert_int_equal(fmapi_site_get_relay(site, &got), MAPI_E_NOT_FOUND);
    fmapi_site_close(site);
}

static void outside_recipients_reach_the_relay_as_mime_over_tls_with_auth(void **state)
{
    (void)state;
    static const sp_recip R[] = {
        { "Bob", "SMTP", "bob@example.org" },
        { "Out", "SMTP", "out1@elsewhere.test" },
        { "Out2", "SMTP", "out2@elsewhere.test" },
    };
    assert_int_equal(submit("to the world", R, 3), S_OK);
    fm_spool_stats st;
    assert_int_equal(sp_run(site_dir, "alice", &st), S_OK);
    assert_int_equal(st.submissions, 1);
    assert_int_equal(st.relayed, 2);
    assert_int_equal(st.reports, 0);
    assert_int_equal(queued(), 0);
    /* One SMTP transaction for both, from alice, parsed clean by Python's email. */
    assert_int_equal(rl_sink_count(&sink, "\"subject\": \"to the world\"", NULL, NULL), 1);
    assert_int_equal(
        rl_sink_count(&sink, "\"from\": \"alice@example.org\", "
                             "\"rcpts\": [\"out1@elsewhere.test\", \"out2@elsewhere.test\"]",
                      "\"subject\": \"to the world\"", "\"body\": \"hello\""),
        1);
    assert_int_equal(rl_sink_count(&sink, "\"subject\": \"to the world\"", "\"defects\": 0",
                                   "\"tls\": true, \"auth\": true"),
                     1);
    /* The To header names every recipient, local and outside. */
    assert_int_equal(rl_sink_count(&sink, "\"subject\": \"to the world\"",
                                   "Out <out1@elsewhere.test>", "Bob <bob@example.org>"),
                     1);
    /* Bob, local, got his copy in his mailbox, not through the relay. */
    assert_int_equal(rl_sink_count(&sink, "\"rcpts\": [\"bob@example.org\"", NULL, NULL), 0);
    LPMDB bob = sp_open_mailbox(site_dir, "bob");
    LPMAPIFOLDER in = sp_inbox(bob);
    assert_true(sp_count(in) >= 1);
    IMAPIFolder_Release(in);
    IMsgStore_Release(bob);
}

static void a_refused_recipient_is_reported_with_the_relays_reply(void **state)
{
    (void)state;
    static const sp_recip R[] = {
        { "Fine", "SMTP", "fine@elsewhere.test" },
        { "Nobody", "SMTP", "reject-nobody@elsewhere.test" },
    };
    assert_int_equal(submit("half refused", R, 2), S_OK);
    fm_spool_stats st;
    assert_int_equal(sp_run(site_dir, "alice", &st), S_OK);
    assert_int_equal(st.submissions, 1);
    assert_int_equal(st.reports, 1);
    assert_int_equal(queued(), 0);
    assert_int_equal(rl_sink_count(&sink, "\"rcpts\": [\"fine@elsewhere.test\"]",
                                   "\"subject\": \"half refused\"", NULL),
                     1);
    assert_int_equal(rl_sink_count(&sink, "\"reject-nobody@", NULL, NULL), 0);

    LPMDB alice = sp_open_mailbox(site_dir, "alice");
    LPMESSAGE ndr = open_report(alice, "half refused");
    assert_non_null(ndr);
    LPMAPITABLE rt = NULL;
    assert_int_equal(IMessage_GetRecipientTable(ndr, 0, &rt), S_OK);
    SizedSPropTagArray(4, tags) = { 4, { PR_EMAIL_ADDRESS_A, PR_NDR_REASON_CODE,
                                         PR_NDR_DIAG_CODE, PR_REPORT_TEXT_A } };
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(rt, (LPSPropTagArray)&tags, NULL, NULL, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1); /* only the refused one */
    LPSPropValue v = rows->aRow[0].lpProps;
    assert_string_equal(v[0].Value.lpszA, "reject-nobody@elsewhere.test");
    /* 5.1.1, read as [MS-OXCMAIL] 2.2.3.7.1.3 reads a DSN's status */
    assert_int_equal(v[1].Value.l, MAPI_REASON_TRANSFER_IMPOSSIBLE);
    assert_int_equal(v[2].Value.l, MAPI_DIAG_MAIL_RECIPIENT_UNKNOWN);
    assert_int_equal(v[3].ulPropTag, PR_REPORT_TEXT_A);
    assert_non_null(strstr(v[3].Value.lpszA, "550 5.1.1"));
    assert_non_null(strstr(v[3].Value.lpszA, "User unknown"));
    FreeProws(rows);
    IMAPITable_Release(rt);
    IMessage_Release(ndr);
    IMsgStore_Release(alice);
}

static void an_unknown_address_in_a_local_domain_is_reported_not_relayed(void **state)
{
    (void)state;
    static const sp_recip R[] = {
        { "Nobody", "SMTP", "nobody-here@EXAMPLE.org" }, /* the site's domain, any case */
        { "Far", "SMTP", "far-local@elsewhere.test" },
    };
    assert_int_equal(submit("local unknown", R, 2), S_OK);
    fm_spool_stats st;
    assert_int_equal(sp_run(site_dir, "alice", &st), S_OK);
    assert_int_equal(st.reports, 1);
    assert_int_equal(rl_sink_count(&sink, "\"rcpts\": [\"far-local@elsewhere.test\"]",
                                   "\"subject\": \"local unknown\"", NULL),
                     1);
    /* The relay was given far-local@ alone (nobody-here@ is in the To: header only). */
    assert_int_equal(rl_sink_count(&sink, "\"subject\": \"local unknown\"", NULL, NULL), 1);
    assert_int_equal(rl_sink_count(&sink, "\"nobody-here@EXAMPLE.org\"]", NULL, NULL), 0);
    assert_int_equal(rl_sink_count(&sink, "\"nobody-here@EXAMPLE.org\", ", NULL, NULL), 0);
    LPMDB alice = sp_open_mailbox(site_dir, "alice");
    LPMESSAGE ndr = open_report(alice, "local unknown");
    assert_non_null(ndr);
    LPMAPITABLE rt = NULL;
    assert_int_equal(IMessage_GetRecipientTable(ndr, 0, &rt), S_OK);
    SizedSPropTagArray(4, tags) = { 4, { PR_EMAIL_ADDRESS_A, PR_NDR_REASON_CODE,
                                         PR_NDR_DIAG_CODE, PR_REPORT_TEXT_A } };
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(rt, (LPSPropTagArray)&tags, NULL, NULL, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    LPSPropValue v = rows->aRow[0].lpProps;
    assert_string_equal(v[0].Value.lpszA, "nobody-here@EXAMPLE.org");
    assert_int_equal(v[1].Value.l, MAPI_REASON_TRANSFER_IMPOSSIBLE);
    assert_int_equal(v[2].Value.l, MAPI_DIAG_MAIL_RECIPIENT_UNKNOWN);
    assert_non_null(strstr(v[3].Value.lpszA, "5.1.1"));
    FreeProws(rows);
    IMAPITable_Release(rt);
    IMessage_Release(ndr);
    IMsgStore_Release(alice);
}

static void a_temporary_refusal_is_retried_and_each_recipient_served_once(void **state)
{
    (void)state;
    static const sp_recip R[] = {
        { "Now", "SMTP", "now@elsewhere.test" },
        { "Later", "SMTP", "later-busy@elsewhere.test" },
    };
    assert_int_equal(submit("busy one", R, 2), S_OK);
    fm_spool_stats st;
    assert_int_equal(sp_run(site_dir, "alice", &st), S_OK);
    assert_int_equal(st.deferred, 1);
    assert_int_equal(st.relayed, 1);
    assert_int_equal(queued(), 1);
    assert_int_equal(rl_sink_count(&sink, "\"subject\": \"busy one\"", NULL, NULL), 1);
    /* Not due yet: back-off. */
    assert_int_equal(sp_run(site_dir, "alice", &st), S_OK);
    assert_int_equal(st.submissions + st.deferred, 0);
    rl_sql(alice_path(), "UPDATE submit_queue SET next_attempt = 0");
    assert_int_equal(sp_run(site_dir, "alice", &st), S_OK);
    assert_int_equal(st.submissions, 1);
    assert_int_equal(st.reports, 0);
    assert_int_equal(st.relayed, 1);
    assert_int_equal(queued(), 0);
    /* now@ once (the retry skipped it), later-busy@ once, no report. */
    assert_int_equal(rl_sink_count(&sink, "\"subject\": \"busy one\"", NULL, NULL), 2);
    assert_int_equal(rl_sink_count(&sink, "\"rcpts\": [\"now@elsewhere.test\"]", NULL, NULL), 1);
    assert_int_equal(
        rl_sink_count(&sink, "\"rcpts\": [\"later-busy@elsewhere.test\"]", NULL, NULL), 1);
    LPMDB alice = sp_open_mailbox(site_dir, "alice");
    assert_null(open_report(alice, "busy one"));
    IMsgStore_Release(alice);
}

static void without_the_relay_client_or_its_password_mail_waits_in_the_queue(void **state)
{
    (void)state;
    static const sp_recip R[] = { { "Wait", "SMTP", "wait@elsewhere.test" } };
    assert_int_equal(submit("waiting", R, 1), S_OK);
    fm_spool_stats st;
    /* No transport in this process: kept, not reported. */
    assert_int_equal(fmapi_outbound_register(NULL, NULL), S_OK);
    assert_int_equal(sp_run(site_dir, "alice", &st), S_OK);
    assert_int_equal(st.deferred, 1);
    assert_int_equal(st.reports, 0);
    /* A wrong AUTH password: the relay refuses the logon, mail waits too. */
    assert_int_equal(fmapi_relay_register(), S_OK);
    rl_set_relay(site_dir, &sink, "wrong");
    rl_sql(alice_path(), "UPDATE submit_queue SET next_attempt = 0");
    assert_int_equal(sp_run(site_dir, "alice", &st), S_OK);
    assert_int_equal(st.deferred, 1);
    assert_int_equal(st.reports, 0);
    assert_int_equal(rl_sink_count(&sink, "\"subject\": \"waiting\"", NULL, NULL), 0);
    rl_set_relay(site_dir, &sink, RL_PASSWORD);
    rl_sql(alice_path(), "UPDATE submit_queue SET next_attempt = 0");
    assert_int_equal(sp_run(site_dir, "alice", &st), S_OK);
    assert_int_equal(st.submissions, 1);
    assert_int_equal(st.relayed, 1);
    assert_int_equal(queued(), 0);
    assert_int_equal(rl_sink_count(&sink, "\"subject\": \"waiting\"", NULL, NULL), 1);
}

static void without_a_relay_setting_outside_addresses_are_reported(void **state)
{
    (void)state;
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(site_dir, 0, &site), S_OK);
    assert_int_equal(fmapi_site_set_relay(site, NULL), S_OK);
    fmapi_site_close(site);
    static const sp_recip R[] = { { "Far", "SMTP", "far@elsewhere.test" } };
    assert_int_equal(submit("no relay", R, 1), S_OK);
    fm_spool_stats st;
    assert_int_equal(sp_run(site_dir, "alice", &st), S_OK);
    assert_int_equal(st.reports, 1);
    assert_int_equal(rl_sink_count(&sink, "\"subject\": \"no relay\"", NULL, NULL), 0);
    rl_set_relay(site_dir, &sink, RL_PASSWORD);
}

static HRESULT set_and_get_relay(void *ctx)
{
    fmapi_site *site = ctx;
    fmapi_relay_config cfg = { .host = "relay.example.net", .port = 25,
                               .tls = FMAPI_RELAY_TLS_NONE, .user = "u", .password = "p" };
    HRESULT hr = fmapi_site_set_relay(site, &cfg);
    fmapi_relay_config *got = NULL;
    if (hr == S_OK)
        hr = fmapi_site_get_relay(site, &got);
    if (hr == S_OK && (strcmp(got->host, "relay.example.net") != 0 || got->port != 25))
        hr = MAPI_E_CALL_FAILED;
    MAPIFreeBuffer(got);
    return hr;
}

static HRESULT count_entry(void *ctx, const fmapi_queue_entry *e)
{
    *(ULONG *)ctx += e->cRecipients;
    return S_OK;
}

static HRESULT list_queue(void *ctx)
{
    LPMDB mdb = ctx;
    ULONG n = 0;
    HRESULT hr = fmapi_queue_list(mdb, count_entry, &n);
    return hr == S_OK && n != 2 ? MAPI_E_CALL_FAILED : hr;
}

static void the_setting_and_the_queue_listing_survive_every_failed_allocation(void **state)
{
    (void)state;
    char dir[700];
    snprintf(dir, sizeof dir, "%s/oom-site", fm_test_tmpdir());
    ab_make_site(dir);
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(dir, 0, &site), S_OK);
    assert_true(fm_test_oom_sweep(set_and_get_relay, site) > 0);
    fmapi_site_close(site);

    static const sp_recip R[] = { { "A", "SMTP", "a@elsewhere.test" },
                                  { "Bob", "SMTP", "bob@example.org" } };
    LPMDB alice = sp_open_mailbox(dir, "alice");
    assert_int_equal(sp_submit(alice, "listed", R, 2, NULL, 0), S_OK);
    assert_true(fm_test_oom_sweep(list_queue, alice) > 0);
    IMsgStore_Release(alice);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_relay_setting_is_private_and_read_back),
        cmocka_unit_test(outside_recipients_reach_the_relay_as_mime_over_tls_with_auth),
        cmocka_unit_test(a_refused_recipient_is_reported_with_the_relays_reply),
        cmocka_unit_test(an_unknown_address_in_a_local_domain_is_reported_not_relayed),
        cmocka_unit_test(a_temporary_refusal_is_retried_and_each_recipient_served_once),
        cmocka_unit_test(without_the_relay_client_or_its_password_mail_waits_in_the_queue),
        cmocka_unit_test(without_a_relay_setting_outside_addresses_are_reported),
        cmocka_unit_test(the_setting_and_the_queue_listing_survive_every_failed_allocation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
