/*
 * tests/spool/test_spool.c - the spooler delivering a site's mail: local
 * users and expanded lists into their receive folders, unknown recipients
 * reported back in a non-delivery report, the original moved to Sent Items
 * or deleted, each mailbox served once, and submissions through a session
 * delivered at once.
 */
#include <sqlite3.h>

#include "spool_fixture.h"

#include "store/message.h"
#include "store/object.h"

static const char *new_site(const char *name)
{
    static char dir[600];
    snprintf(dir, sizeof dir, "%s/%s", fm_test_tmpdir(), name);
    ab_make_site(dir);
    return dir;
}

static LPSPropValue find_prop(LPSRow row, ULONG tag)
{
    return PpropFindProp(row->lpProps, row->cValues, tag);
}

static const sp_recip MIXED[] = {
    { "Bob", "SMTP", "bob@example.org" },
    { "Team", "EX", "/o=freemapi/ou=absite/cn=Recipients/cn=team" }, /* eloise, staff, zoe */
    { "Ghost", "SMTP", "ghost@nowhere.test" },
    { "Bobby", "EX", "/o=freemapi/ou=absite/cn=Recipients/cn=%62obby" }, /* %XX undone */
};

static void check_copy(const char *dir, const char *alias, const char *subject)
{
    LPMDB mdb = sp_open_mailbox(dir, alias);
    LPMAPIFOLDER in = sp_inbox(mdb);
    SizedSPropTagArray(5, tags) = { 5, { PR_SUBJECT_A, PR_MESSAGE_FLAGS,
                                         PR_RECEIVED_BY_EMAIL_ADDRESS_A,
                                         PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_CLASS_A } };
    LPSRowSet rows = sp_rows(in, (LPSPropTagArray)&tags);
    ULONG copies = 0;
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPSPropValue cls = find_prop(&rows->aRow[i], PR_MESSAGE_CLASS_A);
        if (cls != NULL && strcmp(cls->Value.lpszA, "REPORT.IPM.Note.NDR") == 0)
            continue;
        copies++;
        LPSPropValue s = find_prop(&rows->aRow[i], PR_SUBJECT_A);
        assert_non_null(s);
        assert_string_equal(s->Value.lpszA, subject);
        LPSPropValue f = find_prop(&rows->aRow[i], PR_MESSAGE_FLAGS);
        assert_non_null(f);
        assert_int_equal(f->Value.l & (MSGFLAG_READ | MSGFLAG_UNSENT | MSGFLAG_SUBMIT), 0);
        assert_non_null(find_prop(&rows->aRow[i], PR_MESSAGE_DELIVERY_TIME));
        LPSPropValue by = find_prop(&rows->aRow[i], PR_RECEIVED_BY_EMAIL_ADDRESS_A);
        assert_non_null(by);
        char want[100];
        snprintf(want, sizeof want, "%s@example.org", strcmp(alias, "jmuller") == 0
                                                          ? "juergen.mueller"
                                                          : alias);
        assert_string_equal(by->Value.lpszA, want);
    }
    assert_int_equal(copies, 1);
    FreeProws(rows);
    IMAPIFolder_Release(in);
    IMsgStore_Release(mdb);
}

static void local_recipients_get_one_copy_and_unknown_ones_a_report(void **state)
{
    (void)state;
    const char *dir = new_site("spool_mixed");
    LPMDB alice = sp_open_mailbox(dir, "alice");
    LPSPropValue sent = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)alice, PR_IPM_SENTMAIL_ENTRYID, &sent), S_OK);
    sent->ulPropTag = PR_SENTMAIL_ENTRYID;
    assert_int_equal(sp_submit(alice, "hi", MIXED, 4, sent, 1), S_OK);
    MAPIFreeBuffer(sent);

    fm_spool_stats st;
    assert_int_equal(sp_run(dir, "alice", &st), S_OK);
    /* bob, bobby, eloise, zoe, and alice herself (staff, through team). */
    assert_int_equal(st.submissions, 1);
    assert_int_equal(st.copies, 5);
    assert_int_equal(st.skipped, 0);
    assert_int_equal(st.reports, 1);
    assert_int_equal(st.deferred, 0);
    const char *reached[] = { "alice", "bob", "bobby", "eloise", "zoe" };
    for (size_t i = 0; i < 5; i++)
        check_copy(dir, reached[i], "hi");
    LPMDB jm = sp_open_mailbox(dir, "jmuller");
    LPMAPIFOLDER jin = sp_inbox(jm);
    assert_int_equal(sp_count(jin), 0);
    IMAPIFolder_Release(jin);
    IMsgStore_Release(jm);

    /* The report, in alice's Inbox, names the one failure and why. */
    LPMAPIFOLDER in = sp_inbox(alice);
    SizedSPropTagArray(3, tags) = { 3, { PR_ENTRYID, PR_MESSAGE_CLASS_A, PR_SUBJECT_A } };
    LPSRowSet rows = sp_rows(in, (LPSPropTagArray)&tags);
    assert_int_equal(rows->cRows, 2);
    LPSPropValue ndr_eid = NULL;
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPSPropValue cls = find_prop(&rows->aRow[i], PR_MESSAGE_CLASS_A);
        if (cls != NULL && strcmp(cls->Value.lpszA, "REPORT.IPM.Note.NDR") == 0) {
            ndr_eid = find_prop(&rows->aRow[i], PR_ENTRYID);
            assert_string_equal(find_prop(&rows->aRow[i], PR_SUBJECT_A)->Value.lpszA,
                                "Undeliverable: hi");
        }
    }
    assert_non_null(ndr_eid);
    ULONG type = 0;
    LPMESSAGE ndr = NULL;
    assert_int_equal(IMsgStore_OpenEntry(alice, ndr_eid->Value.bin.cb,
                                         (LPENTRYID)ndr_eid->Value.bin.lpb, NULL, 0, &type,
                                         (LPUNKNOWN *)&ndr),
                     S_OK);
    LPSPropValue os = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)ndr, PR_ORIGINAL_SUBJECT_A, &os), S_OK);
    assert_string_equal(os->Value.lpszA, "hi");
    MAPIFreeBuffer(os);
    assert_int_equal(HrGetOneProp((LPMAPIPROP)ndr, PR_ORIGINAL_SUBMIT_TIME, &os), S_OK);
    MAPIFreeBuffer(os);
    LPMAPITABLE rt = NULL;
    assert_int_equal(IMessage_GetRecipientTable(ndr, 0, &rt), S_OK);
    SizedSPropTagArray(5, rtags) = { 5, { PR_DISPLAY_NAME_A, PR_EMAIL_ADDRESS_A,
                                          PR_NDR_REASON_CODE, PR_NDR_DIAG_CODE,
                                          PR_REPORT_TEXT_A } };
    LPSRowSet rrows = NULL;
    assert_int_equal(HrQueryAllRows(rt, (LPSPropTagArray)&rtags, NULL, NULL, 0, &rrows), S_OK);
    assert_int_equal(rrows->cRows, 1);
    LPSPropValue p = rrows->aRow[0].lpProps;
    assert_string_equal(p[0].Value.lpszA, "Ghost");
    assert_string_equal(p[1].Value.lpszA, "ghost@nowhere.test");
    assert_int_equal(p[2].ulPropTag, PR_NDR_REASON_CODE);
    assert_int_equal(p[2].Value.l, MAPI_REASON_TRANSFER_FAILED);
    assert_int_equal(p[3].ulPropTag, PR_NDR_DIAG_CODE);
    assert_int_equal(p[3].Value.l, MAPI_DIAG_OR_NAME_UNRECOGNIZED);
    assert_int_equal(p[4].ulPropTag, PR_REPORT_TEXT_A);
    assert_true(strlen(p[4].Value.lpszA) > 10);
    FreeProws(rrows);
    IMAPITable_Release(rt);
    IMessage_Release(ndr);
    FreeProws(rows);
    IMAPIFolder_Release(in);

    /* The original went to Sent Items, sent and read. */
    LPMAPIFOLDER outbox = sp_folder(alice, PR_IPM_OUTBOX_ENTRYID);
    assert_int_equal(sp_count(outbox), 0);
    IMAPIFolder_Release(outbox);
    LPMAPIFOLDER sentf = sp_folder(alice, PR_IPM_SENTMAIL_ENTRYID);
    SizedSPropTagArray(1, ftags) = { 1, { PR_MESSAGE_FLAGS } };
    rows = sp_rows(sentf, (LPSPropTagArray)&ftags);
    assert_int_equal(rows->cRows, 1);
    assert_int_equal(rows->aRow[0].lpProps[0].Value.l & (MSGFLAG_SUBMIT | MSGFLAG_UNSENT), 0);
    assert_true(rows->aRow[0].lpProps[0].Value.l & MSGFLAG_READ);
    FreeProws(rows);
    IMAPIFolder_Release(sentf);
    IMsgStore_Release(alice);

    /* Nothing is left for another run. */
    assert_int_equal(sp_run(dir, "alice", &st), S_OK);
    assert_int_equal(st.submissions + st.copies + st.reports, 0);
}

static ULONG recipient_rows(LPMDB mdb, LPSPropValue eid)
{
    ULONG type = 0;
    LPMESSAGE m = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         NULL, 0, &type, (LPUNKNOWN *)&m),
                     S_OK);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMessage_GetRecipientTable(m, 0, &t), S_OK);
    ULONG n = 0;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), S_OK);
    IMAPITable_Release(t);
    IMessage_Release(m);
    return n;
}

static void copies_do_not_show_bcc_recipients(void **state)
{
    (void)state;
    const char *dir = new_site("spool_bcc");
    LPMDB alice = sp_open_mailbox(dir, "alice");
    LPSPropValue sent = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)alice, PR_IPM_SENTMAIL_ENTRYID, &sent), S_OK);
    sent->ulPropTag = PR_SENTMAIL_ENTRYID;
    sp_recip r[2] = { { "Bob", "SMTP", "bob@example.org" }, { "Zoe", "SMTP", "zoe@example.org" } };
    /* sp_submit makes every row MAPI_TO; make Zoe's Bcc through a second
     * message built by hand. */
    LPMAPIFOLDER outbox = sp_folder(alice, PR_IPM_OUTBOX_ENTRYID);
    LPMESSAGE m = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(outbox, NULL, 0, &m), S_OK);
    SPropValue subj[2] = { { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "blind" }, *sent };
    assert_int_equal(IMessage_SetProps(m, 2, subj, NULL), S_OK);
    SPropValue p0[3] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = (LPSTR)r[0].name },
                         { .ulPropTag = PR_SMTP_ADDRESS_A, .Value.lpszA = (LPSTR)r[0].address },
                         { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO } };
    SPropValue p1[3] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = (LPSTR)r[1].name },
                         { .ulPropTag = PR_SMTP_ADDRESS_A, .Value.lpszA = (LPSTR)r[1].address },
                         { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_BCC } };
    SizedADRLIST(2, list) = { 2, { { 0, 3, p0 }, { 0, 3, p1 } } };
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_ADD, (LPADRLIST)&list), S_OK);
    assert_int_equal(IMessage_SubmitMessage(m, 0), S_OK);
    IMessage_Release(m);
    IMAPIFolder_Release(outbox);
    MAPIFreeBuffer(sent);
    fm_spool_stats st;
    assert_int_equal(sp_run(dir, "alice", &st), S_OK);
    assert_int_equal(st.copies, 2); /* Zoe gets it, unseen by Bob */
    const char *who[2] = { "bob", "zoe" };
    for (int i = 0; i < 2; i++) {
        LPMDB mdb = sp_open_mailbox(dir, who[i]);
        LPMAPIFOLDER in = sp_inbox(mdb);
        SizedSPropTagArray(1, tags) = { 1, { PR_ENTRYID } };
        LPSRowSet rows = sp_rows(in, (LPSPropTagArray)&tags);
        assert_int_equal(rows->cRows, 1);
        assert_int_equal(recipient_rows(mdb, &rows->aRow[0].lpProps[0]), 1);
        FreeProws(rows);
        IMAPIFolder_Release(in);
        IMsgStore_Release(mdb);
    }
    /* The sender's own copy keeps both. */
    LPMAPIFOLDER sf = sp_folder(alice, PR_IPM_SENTMAIL_ENTRYID);
    SizedSPropTagArray(1, tags) = { 1, { PR_ENTRYID } };
    LPSRowSet rows = sp_rows(sf, (LPSPropTagArray)&tags);
    assert_int_equal(rows->cRows, 1);
    assert_int_equal(recipient_rows(alice, &rows->aRow[0].lpProps[0]), 2);
    FreeProws(rows);
    IMAPIFolder_Release(sf);
    IMsgStore_Release(alice);
}

static void delete_after_submit_leaves_no_original(void **state)
{
    (void)state;
    const char *dir = new_site("spool_delete");
    LPMDB alice = sp_open_mailbox(dir, "alice");
    SPropValue del = { .ulPropTag = PR_DELETE_AFTER_SUBMIT, .Value.b = TRUE };
    sp_recip bob = { "Bob", "SMTP", "BOB@example.org" }; /* addresses ignore case */
    assert_int_equal(sp_submit(alice, "gone", &bob, 1, &del, 1), S_OK);
    fm_spool_stats st;
    assert_int_equal(sp_run(dir, "alice", &st), S_OK);
    assert_int_equal(st.copies, 1);
    assert_int_equal(st.reports, 0);
    LPMAPIFOLDER outbox = sp_folder(alice, PR_IPM_OUTBOX_ENTRYID);
    LPMAPIFOLDER sentf = sp_folder(alice, PR_IPM_SENTMAIL_ENTRYID);
    LPMAPIFOLDER in = sp_inbox(alice);
    assert_int_equal(sp_count(outbox) + sp_count(sentf) + sp_count(in), 0);
    IMAPIFolder_Release(outbox);
    IMAPIFolder_Release(sentf);
    IMAPIFolder_Release(in);
    IMsgStore_Release(alice);
    check_copy(dir, "bob", "gone");
}

/* What a spooler killed after saving bob's copy leaves: the copy and its
 * record in bob's store, the submission still queued. The next run must not
 * deliver to bob again. */
static void a_run_after_a_partial_delivery_skips_mailboxes_already_served(void **state)
{
    (void)state;
    const char *dir = new_site("spool_retry");
    LPMDB alice = sp_open_mailbox(dir, "alice");
    sp_recip two[] = { { "Bob", "SMTP", "bob@example.org" },
                       { "Zoe", "SMTP", "zoe@example.org" } };
    assert_int_equal(sp_submit(alice, "twice?", two, 2, NULL, 0), S_OK);
    IMsgStore_Release(alice);

    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(dir, 0, &site), S_OK);
    fm_store *s = NULL;
    assert_int_equal(fm_store_open(sp_mailbox_path(dir, "alice"), 0, &s), S_OK);
    fm_submit_entry e;
    assert_int_equal(fm_submit_next(s, 0, fm_store_now(), &e), S_OK);
    IMessage *src = NULL;
    assert_int_equal(fm_message_open(s, e.mid, false, &src), S_OK);
    fm_site_entry bob = { 0 };
    assert_int_equal(fm_site_find(site, "bob", &bob), S_OK);
    bool skipped = true;
    assert_int_equal(fm_spool_deliver(site, &bob, src, &s->uid, e.qid, &skipped), S_OK);
    assert_false(skipped);
    assert_int_equal(fm_spool_deliver(site, &bob, src, &s->uid, e.qid, &skipped), S_OK);
    assert_true(skipped);
    fm_site_entry_clear(&bob);
    IMessage_Release(src);
    fm_spool_stats st;
    assert_int_equal(fm_spool_run(site, s, &st), S_OK);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(st.copies, 1);
    fm_store_release(s);
    fmapi_site_close(site);
    check_copy(dir, "bob", "twice?");
    check_copy(dir, "zoe", "twice?");
}

/* SQL run on a store file by the test's own connection. */
static void sql(const char *file, const char *stmt)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(db, stmt, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", stmt, err);
    sqlite3_close(db);
}

static long long sql_int(const char *file, const char *query)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long v = -1;
    assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, query, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* The NDR codes of the one recipient of the one report in mdb's Inbox. */
static void report_codes(LPMDB mdb, LONG *reason, LONG *diag)
{
    LPMAPIFOLDER in = sp_inbox(mdb);
    SizedSPropTagArray(2, tags) = { 2, { PR_ENTRYID, PR_MESSAGE_CLASS_A } };
    LPSRowSet rows = sp_rows(in, (LPSPropTagArray)&tags);
    assert_int_equal(rows->cRows, 1);
    assert_string_equal(find_prop(&rows->aRow[0], PR_MESSAGE_CLASS_A)->Value.lpszA,
                        "REPORT.IPM.Note.NDR");
    SBinary *eid = &find_prop(&rows->aRow[0], PR_ENTRYID)->Value.bin;
    ULONG type = 0;
    LPMESSAGE ndr = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, eid->cb, (LPENTRYID)eid->lpb, NULL, 0, &type,
                                         (LPUNKNOWN *)&ndr),
                     S_OK);
    LPMAPITABLE rt = NULL;
    assert_int_equal(IMessage_GetRecipientTable(ndr, 0, &rt), S_OK);
    SizedSPropTagArray(2, rtags) = { 2, { PR_NDR_REASON_CODE, PR_NDR_DIAG_CODE } };
    LPSRowSet rrows = NULL;
    assert_int_equal(HrQueryAllRows(rt, (LPSPropTagArray)&rtags, NULL, NULL, 0, &rrows), S_OK);
    assert_int_equal(rrows->cRows, 1);
    *reason = rrows->aRow[0].lpProps[0].Value.l;
    *diag = rrows->aRow[0].lpProps[1].Value.l;
    FreeProws(rrows);
    IMAPITable_Release(rt);
    IMessage_Release(ndr);
    FreeProws(rows);
    IMAPIFolder_Release(in);
}

/* Two days in FILETIME units, and a second. */
#define TWO_DAYS_AND_A_SECOND "1728010000000"

static void a_submission_undeliverable_for_two_days_is_reported_expired(void **state)
{
    (void)state;
    const char *dir = new_site("spool_expiry");
    LPMDB alice = sp_open_mailbox(dir, "alice");
    sp_recip bob[] = { { "Bob", "SMTP", "bob@example.org" } };
    assert_int_equal(sp_submit(alice, "stuck", bob, 1, NULL, 0), S_OK);
    IMsgStore_Release(alice);
    char alice_file[800], bob_file[800];
    snprintf(alice_file, sizeof alice_file, "%s", sp_mailbox_path(dir, "alice"));
    snprintf(bob_file, sizeof bob_file, "%s", sp_mailbox_path(dir, "bob"));

    /* Bob's mailbox stays locked by another writer. */
    sqlite3 *lock = NULL;
    assert_int_equal(sqlite3_open(bob_file, &lock), SQLITE_OK);
    assert_int_equal(sqlite3_exec(lock, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    setenv("FREEMAPI_BUSY_TIMEOUT_MS", "100", 1);
    fm_spool_stats st;
    assert_int_equal(sp_run(dir, "alice", &st), S_OK);
    assert_int_equal(st.deferred, 1); /* a failure that may pass: tried again later */
    assert_int_equal(st.reports, 0);
    assert_int_equal(sql_int(alice_file, "SELECT count(*) FROM submit_queue"), 1);

    /* The same failure once the submission is two days old ends it. */
    sql(alice_file, "UPDATE submit_queue SET submitted = submitted - " TWO_DAYS_AND_A_SECOND
                    ", next_attempt = 0");
    assert_int_equal(sp_run(dir, "alice", &st), S_OK);
    unsetenv("FREEMAPI_BUSY_TIMEOUT_MS");
    assert_int_equal(sqlite3_exec(lock, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(lock);
    assert_int_equal(st.deferred, 0);
    assert_int_equal(st.submissions, 1);
    assert_int_equal(st.reports, 1);
    assert_int_equal(st.copies, 0);
    assert_int_equal(sql_int(alice_file, "SELECT count(*) FROM submit_queue"), 0);
    alice = sp_open_mailbox(dir, "alice");
    LONG reason = -1, diag = -1;
    report_codes(alice, &reason, &diag);
    assert_int_equal(reason, MAPI_REASON_TRANSFER_FAILED);
    assert_int_equal(diag, MAPI_DIAG_MAXIMUM_TIME_EXPIRED);
    IMsgStore_Release(alice);
    LPMDB b = sp_open_mailbox(dir, "bob");
    LPMAPIFOLDER bin = sp_inbox(b);
    assert_int_equal(sp_count(bin), 0);
    IMAPIFolder_Release(bin);
    IMsgStore_Release(b);
}

/* FILETIME now, days ago, in SQL. */
#define FT_DAYS_AGO(d) "((strftime('%s','now') + 11644473600 - " #d " * 86400) * 10000000)"

static void records_of_received_copies_are_forgotten_after_three_days(void **state)
{
    (void)state;
    const char *dir = new_site("spool_prune");
    LPMDB alice = sp_open_mailbox(dir, "alice");
    sp_recip bob[] = { { "Bob", "SMTP", "bob@example.org" } };
    assert_int_equal(sp_submit(alice, "first", bob, 1, NULL, 0), S_OK);
    fm_spool_stats st;
    assert_int_equal(sp_run(dir, "alice", &st), S_OK);
    char bob_file[800];
    snprintf(bob_file, sizeof bob_file, "%s", sp_mailbox_path(dir, "bob"));
    assert_int_equal(sql_int(bob_file, "SELECT count(*) FROM delivered"), 1);

    /* Records four and two days old, and the last pruning a day and more ago. */
    sql(bob_file, "INSERT INTO delivered VALUES (x'01', 7, 1, NULL, " FT_DAYS_AGO(4) ");"
                  "INSERT INTO delivered VALUES (x'01', 8, 1, NULL, " FT_DAYS_AGO(2) ");"
                  "UPDATE store_meta SET value = " FT_DAYS_AGO(2) " WHERE key = 'delivered_pruned'");
    assert_int_equal(sp_submit(alice, "second", bob, 1, NULL, 0), S_OK);
    assert_int_equal(sp_run(dir, "alice", &st), S_OK);
    assert_int_equal(st.copies, 1);
    /* the four-day-old record is gone; the recent ones stay */
    assert_int_equal(sql_int(bob_file, "SELECT count(*) FROM delivered WHERE qid = 7"), 0);
    assert_int_equal(sql_int(bob_file, "SELECT count(*) FROM delivered WHERE qid = 8"), 1);
    assert_int_equal(sql_int(bob_file, "SELECT count(*) FROM delivered"), 3);

    /* A move's "moved from" key (qid < 0) is kept 30 days, not 3. */
    sql(bob_file, "INSERT INTO delivered VALUES (x'01', -5, 0, NULL, " FT_DAYS_AGO(4) ");"
                  "INSERT INTO delivered VALUES (x'01', -6, 0, NULL, " FT_DAYS_AGO(31) ");"
                  "UPDATE store_meta SET value = " FT_DAYS_AGO(2) " WHERE key = 'delivered_pruned'");
    assert_int_equal(sp_submit(alice, "moved", bob, 1, NULL, 0), S_OK);
    assert_int_equal(sp_run(dir, "alice", &st), S_OK);
    assert_int_equal(sql_int(bob_file, "SELECT count(*) FROM delivered WHERE qid = -5"), 1);
    assert_int_equal(sql_int(bob_file, "SELECT count(*) FROM delivered WHERE qid = -6"), 0);

    /* Within a day of that, nothing is scanned again: an old record stays. */
    sql(bob_file, "INSERT INTO delivered VALUES (x'01', 9, 1, NULL, " FT_DAYS_AGO(5) ")");
    assert_int_equal(sp_submit(alice, "third", bob, 1, NULL, 0), S_OK);
    assert_int_equal(sp_run(dir, "alice", &st), S_OK);
    assert_int_equal(sql_int(bob_file, "SELECT count(*) FROM delivered WHERE qid = 9"), 1);
    IMsgStore_Release(alice);
}

/* Through MAPI: a session's mailbox sends at SubmitMessage, with recipients
 * the address book resolved (directory entry IDs). */
static void a_session_delivers_at_submit_to_resolved_recipients(void **state)
{
    (void)state;
    const char *dir = new_site("spool_session");
    char pdir[600];
    snprintf(pdir, sizeof pdir, "%s/profiles", fm_test_tmpdir());
    setenv("FREEMAPI_PROFILE_DIR", pdir, 1);
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    ab_make_profile("spool", dir, "alice");
    LPMAPISESSION ses = ab_logon("spool");
    LPMDB mdb = fx_open_default(ses);
    LPADRBOOK ab = NULL;
    assert_int_equal(IMAPISession_OpenAddressBook(ses, 0, NULL, AB_NO_DIALOG, &ab), S_OK);
    LPADRLIST list = NULL;
    assert_int_equal(MAPIAllocateBuffer(CbNewADRLIST(2), (void **)&list), S_OK);
    list->cEntries = 2;
    const char *names[2] = { "Bob Builder", "solo" };
    for (ULONG i = 0; i < 2; i++) {
        LPSPropValue p = NULL;
        assert_int_equal(MAPIAllocateBuffer(2 * sizeof *p, (void **)&p), S_OK);
        p[0].ulPropTag = PR_DISPLAY_NAME_A;
        p[0].Value.lpszA = (LPSTR)names[i];
        p[1].ulPropTag = PR_RECIPIENT_TYPE;
        p[1].Value.l = MAPI_TO;
        list->aEntries[i].ulReserved1 = 0;
        list->aEntries[i].cValues = 2;
        list->aEntries[i].rgPropVals = p;
    }
    assert_int_equal(IAddrBook_ResolveName(ab, 0, 0, NULL, list), S_OK);
    LPMAPIFOLDER outbox = sp_folder(mdb, PR_IPM_OUTBOX_ENTRYID);
    LPMESSAGE m = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(outbox, NULL, 0, &m), S_OK);
    SPropValue subj = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "via MAPI" };
    assert_int_equal(IMessage_SetProps(m, 1, &subj, NULL), S_OK);
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_ADD, list), S_OK);
    FreePadrlist(list);
    assert_int_equal(IMessage_SubmitMessage(m, 0), S_OK);
    IMessage_Release(m);
    /* Delivered before SubmitMessage returned: no spooler run here. */
    check_copy(dir, "bob", "via MAPI");
    check_copy(dir, "bobby", "via MAPI");
    /* Without PR_SENTMAIL_ENTRYID or PR_DELETE_AFTER_SUBMIT it stays, sent. */
    SizedSPropTagArray(1, ftags) = { 1, { PR_MESSAGE_FLAGS } };
    LPSRowSet rows = sp_rows(outbox, (LPSPropTagArray)&ftags);
    assert_int_equal(rows->cRows, 1);
    assert_int_equal(rows->aRow[0].lpProps[0].Value.l & (MSGFLAG_SUBMIT | MSGFLAG_UNSENT), 0);
    FreeProws(rows);
    IMAPIFolder_Release(outbox);
    IAddrBook_Release(ab);
    IMsgStore_Release(mdb);
    IMAPISession_Logoff(ses, 0, 0, 0);
    IMAPISession_Release(ses);
    MAPIUninitialize();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(local_recipients_get_one_copy_and_unknown_ones_a_report),
        cmocka_unit_test(copies_do_not_show_bcc_recipients),
        cmocka_unit_test(delete_after_submit_leaves_no_original),
        cmocka_unit_test(a_run_after_a_partial_delivery_skips_mailboxes_already_served),
        cmocka_unit_test(a_submission_undeliverable_for_two_days_is_reported_expired),
        cmocka_unit_test(records_of_received_copies_are_forgotten_after_three_days),
        cmocka_unit_test(a_session_delivers_at_submit_to_resolved_recipients),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
