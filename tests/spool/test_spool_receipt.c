/*
 * tests/spool/test_spool_receipt.c - read reports: a copy delivered with
 * PR_READ_RECEIPT_REQUESTED is pending a report (MSGFLAG_RN_PENDING), and
 * IMessage::SetReadFlag sends it once as REPORT.IPM.Note.IPNRN into the
 * sender's Inbox, or cancels it, as its flags say.
 */
#include "spool_fixture.h"

static const char *new_site(const char *name)
{
    static char dir[600];
    snprintf(dir, sizeof dir, "%s/%s", fm_test_tmpdir(), name);
    ab_make_site(dir);
    return dir;
}

static const sp_recip TO_BOB[] = { { "Bob", "SMTP", "bob@example.org" } };

/* alice sends subject to bob asking for a read report (and a non-read one
 * when nrn), and her spooler delivers it. */
static void send_asking(const char *dir, const char *subject, bool nrn)
{
    SPropValue extra[5] = {
        { .ulPropTag = PR_READ_RECEIPT_REQUESTED, .Value.b = TRUE },
        { .ulPropTag = PR_SENDER_NAME_A, .Value.lpszA = "Alice Liddell" },
        { .ulPropTag = PR_SENDER_ADDRTYPE_A, .Value.lpszA = "SMTP" },
        { .ulPropTag = PR_SENDER_EMAIL_ADDRESS_A, .Value.lpszA = "alice@example.org" },
        { .ulPropTag = PR_NON_RECEIPT_NOTIFICATION_REQUESTED, .Value.b = TRUE },
    };
    LPMDB mdb = sp_open_mailbox(dir, "alice");
    assert_int_equal(sp_submit(mdb, subject, TO_BOB, 1, extra, nrn ? 5 : 4), S_OK);
    IMsgStore_Release(mdb);
    assert_int_equal(sp_run(dir, "alice", NULL), S_OK);
}

/* bob's copy of subject, opened for writing. */
static LPMESSAGE bobs_copy(LPMDB mdb, const char *subject)
{
    LPMAPIFOLDER in = sp_inbox(mdb);
    SizedSPropTagArray(2, tags) = { 2, { PR_ENTRYID, PR_SUBJECT_A } };
    LPSRowSet rows = sp_rows(in, (LPSPropTagArray)&tags);
    LPMESSAGE m = NULL;
    for (ULONG i = 0; i < rows->cRows && m == NULL; i++) {
        LPSPropValue v = rows->aRow[i].lpProps;
        if (v[1].ulPropTag != PR_SUBJECT_A || strcmp(v[1].Value.lpszA, subject) != 0)
            continue;
        ULONG type = 0;
        assert_int_equal(IMAPIFolder_OpenEntry(in, v[0].Value.bin.cb,
                                               (LPENTRYID)v[0].Value.bin.lpb, NULL, MAPI_MODIFY,
                                               &type, (LPUNKNOWN *)&m),
                         S_OK);
    }
    FreeProws(rows);
    IMAPIFolder_Release(in);
    assert_non_null(m);
    return m;
}

static ULONG flags_of(LPMESSAGE m)
{
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_MESSAGE_FLAGS, &v), S_OK);
    ULONG f = (ULONG)v->Value.l;
    MAPIFreeBuffer(v);
    return f;
}

static ULONG outbox_count(LPMDB mdb)
{
    LPMAPIFOLDER out = sp_folder(mdb, PR_IPM_OUTBOX_ENTRYID);
    ULONG n = sp_count(out);
    IMAPIFolder_Release(out);
    return n;
}

/* The reports in alice's Inbox of class cls; the last one's subject and
 * original subject checked against want. */
static ULONG reports_to_alice(const char *dir, const char *cls, const char *orig)
{
    LPMDB mdb = sp_open_mailbox(dir, "alice");
    LPMAPIFOLDER in = sp_inbox(mdb);
    SizedSPropTagArray(5, tags) = { 5, { PR_MESSAGE_CLASS_A, PR_SUBJECT_A, PR_ORIGINAL_SUBJECT_A,
                                         PR_RECEIVED_BY_EMAIL_ADDRESS_A, PR_REPORT_TIME } };
    LPSRowSet rows = sp_rows(in, (LPSPropTagArray)&tags);
    ULONG n = 0;
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPSPropValue v = rows->aRow[i].lpProps;
        if (v[0].ulPropTag != PR_MESSAGE_CLASS_A || strcmp(v[0].Value.lpszA, cls) != 0)
            continue;
        if (v[2].ulPropTag != PR_ORIGINAL_SUBJECT_A || strcmp(v[2].Value.lpszA, orig) != 0)
            continue;
        n++;
        char want[200];
        snprintf(want, sizeof want, "Read: %s", orig);
        assert_int_equal(v[1].ulPropTag, PR_SUBJECT_A);
        assert_string_equal(v[1].Value.lpszA, want);
        assert_int_equal(v[3].ulPropTag, PR_RECEIVED_BY_EMAIL_ADDRESS_A);
        assert_string_equal(v[3].Value.lpszA, "alice@example.org");
        assert_int_equal(v[4].ulPropTag, PR_REPORT_TIME);
    }
    FreeProws(rows);
    IMAPIFolder_Release(in);
    IMsgStore_Release(mdb);
    return n;
}

static void reading_a_copy_sends_its_read_report_once(void **state)
{
    (void)state;
    const char *dir = new_site("receipt_once");
    send_asking(dir, "please confirm", true);
    LPMDB mdb = sp_open_mailbox(dir, "bob");
    LPMESSAGE m = bobs_copy(mdb, "please confirm");
    ULONG f = flags_of(m);
    assert_int_equal(f & (MSGFLAG_READ | MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING),
                     MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING);
    assert_int_equal(IMessage_SetReadFlag(m, 0), S_OK);
    f = flags_of(m);
    assert_int_equal(f & (MSGFLAG_READ | MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING), MSGFLAG_READ);
    assert_int_equal(outbox_count(mdb), 1); /* the report, queued */
    /* Neither a second read nor an explicit request sends another, from
     * this handle or a fresh one. */
    assert_int_equal(IMessage_SetReadFlag(m, GENERATE_RECEIPT_ONLY), S_OK);
    IMessage_Release(m);
    m = bobs_copy(mdb, "please confirm");
    assert_int_equal(IMessage_SetReadFlag(m, CLEAR_READ_FLAG), S_OK);
    assert_int_equal(IMessage_SetReadFlag(m, 0), S_OK);
    IMessage_Release(m);
    assert_int_equal(outbox_count(mdb), 1);
    assert_int_equal(sp_run(dir, "bob", NULL), S_OK);
    assert_int_equal(outbox_count(mdb), 0); /* PR_DELETE_AFTER_SUBMIT */
    IMsgStore_Release(mdb);
    assert_int_equal(reports_to_alice(dir, "REPORT.IPM.Note.IPNRN", "please confirm"), 1);
}

static void a_stale_handle_does_not_send_a_report_already_sent(void **state)
{
    (void)state;
    const char *dir = new_site("receipt_stale");
    send_asking(dir, "two readers", false);
    LPMDB mdb = sp_open_mailbox(dir, "bob");
    LPMESSAGE a = bobs_copy(mdb, "two readers");
    LPMESSAGE b = bobs_copy(mdb, "two readers");
    assert_int_equal(IMessage_SetReadFlag(a, 0), S_OK);
    assert_int_equal(IMessage_SetReadFlag(b, GENERATE_RECEIPT_ONLY), S_OK); /* b still saw it pending */
    assert_int_equal(flags_of(b) & MSGFLAG_RN_PENDING, 0);
    IMessage_Release(a);
    IMessage_Release(b);
    assert_int_equal(outbox_count(mdb), 1);
    IMsgStore_Release(mdb);
    assert_int_equal(sp_run(dir, "bob", NULL), S_OK);
    assert_int_equal(reports_to_alice(dir, "REPORT.IPM.Note.IPNRN", "two readers"), 1);
}

static void suppress_and_clear_flags_send_no_report(void **state)
{
    (void)state;
    const char *dir = new_site("receipt_flags");
    send_asking(dir, "suppressed", false);
    send_asking(dir, "cleared", false);
    send_asking(dir, "generated", false);
    LPMDB mdb = sp_open_mailbox(dir, "bob");
    LPMESSAGE m = bobs_copy(mdb, "suppressed");
    assert_int_equal(IMessage_SetReadFlag(m, CLEAR_READ_FLAG | GENERATE_RECEIPT_ONLY),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMessage_SetReadFlag(m, SUPPRESS_RECEIPT), S_OK);
    assert_int_equal(flags_of(m) & (MSGFLAG_READ | MSGFLAG_RN_PENDING), MSGFLAG_READ);
    IMessage_Release(m);
    m = bobs_copy(mdb, "cleared");
    assert_int_equal(IMessage_SetReadFlag(m, CLEAR_RN_PENDING), S_OK);
    assert_int_equal(flags_of(m) & MSGFLAG_RN_PENDING, 0);
    IMessage_Release(m);
    assert_int_equal(outbox_count(mdb), 0);
    /* GENERATE_RECEIPT_ONLY sends it and leaves the message unread. */
    m = bobs_copy(mdb, "generated");
    assert_int_equal(IMessage_SetReadFlag(m, GENERATE_RECEIPT_ONLY), S_OK);
    assert_int_equal(flags_of(m) & (MSGFLAG_READ | MSGFLAG_RN_PENDING), 0);
    IMessage_Release(m);
    assert_int_equal(outbox_count(mdb), 1);
    IMsgStore_Release(mdb);
    assert_int_equal(sp_run(dir, "bob", NULL), S_OK);
    assert_int_equal(reports_to_alice(dir, "REPORT.IPM.Note.IPNRN", "suppressed"), 0);
    assert_int_equal(reports_to_alice(dir, "REPORT.IPM.Note.IPNRN", "cleared"), 0);
    assert_int_equal(reports_to_alice(dir, "REPORT.IPM.Note.IPNRN", "generated"), 1);
}

static void a_copy_not_asking_for_a_report_sends_none(void **state)
{
    (void)state;
    const char *dir = new_site("receipt_none");
    LPMDB mdb = sp_open_mailbox(dir, "alice");
    assert_int_equal(sp_submit(mdb, "plain", TO_BOB, 1, NULL, 0), S_OK);
    IMsgStore_Release(mdb);
    assert_int_equal(sp_run(dir, "alice", NULL), S_OK);
    mdb = sp_open_mailbox(dir, "bob");
    LPMESSAGE m = bobs_copy(mdb, "plain");
    assert_int_equal(flags_of(m) & (MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING), 0);
    assert_int_equal(IMessage_SetReadFlag(m, 0), S_OK);
    assert_int_equal(IMessage_SetReadFlag(m, GENERATE_RECEIPT_ONLY), S_OK);
    IMessage_Release(m);
    assert_int_equal(outbox_count(mdb), 0);
    IMsgStore_Release(mdb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reading_a_copy_sends_its_read_report_once),
        cmocka_unit_test(a_stale_handle_does_not_send_a_report_already_sent),
        cmocka_unit_test(suppress_and_clear_flags_send_no_report),
        cmocka_unit_test(a_copy_not_asking_for_a_report_sends_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
