/*
 * tests/mime/test_deliver.c - fmapi_mime_deliver, the delivery of `mapi
 * deliver` and freemapid's LMTP server: a user reached by alias, address
 * (any case) and user+tag with PR_RECEIVED_BY_*, PR_MESSAGE_DELIVERY_TIME
 * and PR_TRANSPORT_MESSAGE_HEADERS set and the message unread; lists
 * expanded (nested, with a cycle) to each member once; unknown names and
 * empty lists MAPI_E_NOT_FOUND with nothing saved; the same bytes twice
 * saved once per user; a mailbox at its receive quota MAPI_E_STORE_FULL;
 * the receive folder of the message's class; fnevNewMail to a client of
 * the mailbox; out-of-memory sweeps.
 */
#include <time.h>

#include "edkmdb.h"
#include "freemapi_message.h"
#include "freemapi_site.h"
#include "mime_fixture.h"
#include "../notify/notify_fixture.h"

static fmapi_site *site;

static int setup(void **state)
{
    (void)state;
    char dir[700];
    snprintf(dir, sizeof dir, "%s/site", fm_test_tmpdir());
    assert_int_equal(fmapi_site_open(dir, FMAPI_SITE_CREATE | FMAPI_SITE_WEAK_HASHES, &site),
                     S_OK);
    assert_int_equal(fmapi_site_add_user(site, "alice", "Alice Able", "alice@example.org", NULL),
                     S_OK);
    assert_int_equal(fmapi_site_add_user(site, "bob", "Bob Baker", "bob@example.org", NULL),
                     S_OK);
    assert_int_equal(fmapi_site_add_list(site, "team", "Team", "team@example.org"), S_OK);
    assert_int_equal(fmapi_site_add_list(site, "core", "Core", NULL), S_OK);
    assert_int_equal(fmapi_site_add_list(site, "empty", "Empty", "empty@example.org"), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "team", "alice"), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "team", "core"), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "core", "bob"), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "core", "alice"), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "core", "team"), S_OK); /* a cycle */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fmapi_site_close(site);
    return 0;
}

static char *eml(const char *subject)
{
    static char buf[4][600];
    static int n;
    char *b = buf[n++ % 4];
    snprintf(b, 600, "From: Dave <dave@elsewhere.test>\r\nTo: someone@example.org\r\n"
                     "Subject: %s\r\nMessage-ID: <%s@elsewhere.test>\r\n\r\nHello.\r\n",
             subject, subject);
    return b;
}

static HRESULT deliver(const char *to, const char *text)
{
    return fmapi_mime_deliver(site, to, text, strlen(text), 0);
}

/* The messages of user's receive folder for class with subject (a restriction). */
static ULONG count_in(const char *user, const char *cls, const char *subject, LPMESSAGE *first)
{
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_site_open_mailbox(site, user, 0, &mdb), S_OK);
    ULONG cb = 0, type = 0;
    LPENTRYID eid = NULL;
    LPMAPIFOLDER f = NULL;
    assert_int_equal(IMsgStore_GetReceiveFolder(mdb, (LPTSTR)cls, 0, &cb, &eid, NULL), S_OK);
    assert_int_equal(IMsgStore_OpenEntry(mdb, cb, eid, NULL, 0, &type, (LPUNKNOWN *)&f), S_OK);
    MAPIFreeBuffer(eid);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(f, 0, &t), S_OK);
    SizedSPropTagArray(2, cols) = { 2, { PR_SUBJECT_A, PR_ENTRYID } };
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows), S_OK);
    ULONG n = 0;
    for (ULONG i = 0; i < rows->cRows; i++) {
        const SPropValue *v = &rows->aRow[i].lpProps[0];
        if (v->ulPropTag != PR_SUBJECT_A || strcmp(v->Value.lpszA, subject) != 0)
            continue;
        if (n++ == 0 && first != NULL) {
            const SBinary *b = &rows->aRow[i].lpProps[1].Value.bin;
            assert_int_equal(IMsgStore_OpenEntry(mdb, b->cb, (LPENTRYID)b->lpb, NULL, 0, &type,
                                                 (LPUNKNOWN *)first), S_OK);
        }
    }
    FreeProws(rows);
    IMAPITable_Release(t);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
    return n;
}

static ULONG count(const char *user, const char *subject)
{
    return count_in(user, "IPM.Note", subject, NULL);
}

static void a_user_is_reached_by_alias_address_and_tag_with_received_properties(void **state)
{
    (void)state;
    time_t before = time(NULL);
    assert_int_equal(deliver("alice", eml("by-alias")), S_OK);
    assert_int_equal(deliver("ALICE@Example.ORG", eml("by-address")), S_OK);
    assert_int_equal(deliver("alice+news@example.org", eml("by-tag")), S_OK);
    assert_int_equal(deliver("alice+x", eml("by-alias-tag")), S_OK);
    assert_int_equal(count("alice", "by-alias"), 1);
    assert_int_equal(count("alice", "by-address"), 1);
    assert_int_equal(count("alice", "by-tag"), 1);
    assert_int_equal(count("alice", "by-alias-tag"), 1);
    assert_int_equal(count("bob", "by-tag"), 0);

    LPMESSAGE m = NULL;
    assert_int_equal(count_in("alice", "IPM.Note", "by-tag", &m), 1);
    SizedSPropTagArray(6, tags) = { 6, { PR_RECEIVED_BY_NAME_A, PR_RECEIVED_BY_EMAIL_ADDRESS_A,
                                         PR_RECEIVED_BY_ADDRTYPE_A, PR_MESSAGE_DELIVERY_TIME,
                                         PR_MESSAGE_FLAGS, PR_TRANSPORT_MESSAGE_HEADERS_A } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    assert_int_equal(IMessage_GetProps(m, (LPSPropTagArray)&tags, 0, &n, &v), S_OK);
    assert_string_equal(v[0].Value.lpszA, "Alice Able");
    assert_string_equal(v[1].Value.lpszA, "alice@example.org");
    assert_string_equal(v[2].Value.lpszA, "SMTP");
    long long at = fm_test_unix(v[3].Value.ft);
    assert_true(at >= (long long)before - 1 && at <= (long long)time(NULL) + 1);
    assert_int_equal(v[4].Value.l & (MSGFLAG_READ | MSGFLAG_UNSENT), 0);
    assert_non_null(strstr(v[5].Value.lpszA, "Subject: by-tag"));
    MAPIFreeBuffer(v);
    IMessage_Release(m);
}

static void a_list_reaches_each_member_once(void **state)
{
    (void)state;
    assert_int_equal(deliver("team@example.org", eml("to-team")), S_OK);
    assert_int_equal(count("alice", "to-team"), 1); /* in team and in core */
    assert_int_equal(count("bob", "to-team"), 1);   /* through core */
    assert_int_equal(deliver("core", eml("to-core")), S_OK);
    assert_int_equal(count("alice", "to-core"), 1);
    assert_int_equal(count("bob", "to-core"), 1);
}

static void unknown_names_and_empty_lists_are_not_found(void **state)
{
    (void)state;
    assert_int_equal(deliver("nobody", eml("lost")), MAPI_E_NOT_FOUND);
    assert_non_null(strstr(fmapi_mime_last_error(), "nobody"));
    assert_int_equal(deliver("nobody+alice@example.org", eml("lost")), MAPI_E_NOT_FOUND);
    assert_int_equal(deliver("+alice", eml("lost")), MAPI_E_NOT_FOUND);
    assert_int_equal(deliver("empty@example.org", eml("lost")), MAPI_E_NOT_FOUND);
    assert_int_equal(count("alice", "lost"), 0);
    assert_int_equal(count("bob", "lost"), 0);
    assert_int_equal(fmapi_mime_deliver(site, "alice", "x", 1, 1), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(fmapi_mime_deliver(NULL, "alice", "x", 1, 0), MAPI_E_INVALID_PARAMETER);
}

static void the_same_message_twice_is_saved_once_per_user(void **state)
{
    (void)state;
    const char *text = eml("retried");
    assert_int_equal(deliver("alice", text), S_OK);
    assert_int_equal(deliver("alice@example.org", text), S_OK); /* the MTA's retry */
    assert_int_equal(count("alice", "retried"), 1);
    assert_int_equal(deliver("team", text), S_OK); /* bob is new, alice has it */
    assert_int_equal(count("alice", "retried"), 1);
    assert_int_equal(count("bob", "retried"), 1);
    char other[700];
    snprintf(other, sizeof other, "%s ", text); /* other bytes: another message */
    assert_int_equal(deliver("alice", other), S_OK);
    assert_int_equal(count("alice", "retried"), 2);
}

static void a_mailbox_at_its_receive_quota_takes_nothing(void **state)
{
    (void)state;
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_site_open_mailbox(site, "bob", 0, &mdb), S_OK);
    assert_int_equal(fmapi_store_set_quota(mdb, PR_PROHIBIT_RECEIVE_QUOTA, 0), S_OK);
    assert_int_equal(deliver("bob", eml("over")), MAPI_E_STORE_FULL);
    assert_non_null(strstr(fmapi_mime_last_error(), "full"));
    /* a list: alice gets it, bob's failure is the answer; the retry after
     * the quota is lifted saves bob's copy and not a second one of alice's */
    assert_int_equal(deliver("core", eml("over-list")), MAPI_E_STORE_FULL);
    assert_int_equal(fmapi_store_set_quota(mdb, PR_PROHIBIT_RECEIVE_QUOTA, -1), S_OK);
    assert_int_equal(deliver("core", eml("over-list")), S_OK);
    assert_int_equal(count("alice", "over-list"), 1);
    assert_int_equal(count("bob", "over-list"), 1);
    assert_int_equal(count("bob", "over"), 0);
    /* a quota above the mailbox's size lets mail in */
    assert_int_equal(fmapi_store_set_quota(mdb, PR_PROHIBIT_RECEIVE_QUOTA, 1000000), S_OK);
    assert_int_equal(deliver("bob", eml("under")), S_OK);
    assert_int_equal(fmapi_store_set_quota(mdb, PR_PROHIBIT_RECEIVE_QUOTA, -1), S_OK);
    IMsgStore_Release(mdb);
}

static void the_receive_folder_follows_the_message_class(void **state)
{
    (void)state;
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_site_open_mailbox(site, "alice", 0, &mdb), S_OK);
    LPSPropValue root = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)mdb, PR_IPM_SUBTREE_ENTRYID, &root), S_OK);
    ULONG type = 0;
    LPMAPIFOLDER top = NULL, invites = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, root->Value.bin.cb, (LPENTRYID)root->Value.bin.lpb,
                                         NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&top), S_OK);
    assert_int_equal(IMAPIFolder_CreateFolder(top, FOLDER_GENERIC, (LPTSTR) "Invites", NULL,
                                              NULL, 0, &invites), S_OK);
    LPSPropValue eid = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)invites, PR_ENTRYID, &eid), S_OK);
    assert_int_equal(IMsgStore_SetReceiveFolder(mdb, (LPTSTR) "IPM.Schedule", 0,
                                                eid->Value.bin.cb,
                                                (LPENTRYID)eid->Value.bin.lpb), S_OK);
    MAPIFreeBuffer(eid);
    MAPIFreeBuffer(root);
    IMAPIFolder_Release(invites);
    IMAPIFolder_Release(top);
    IMsgStore_Release(mdb);
    const char *invite =
        "From: dave@elsewhere.test\r\nTo: alice@example.org\r\nSubject: invite\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/calendar; method=REQUEST; charset=utf-8\r\n\r\n"
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nMETHOD:REQUEST\r\n"
        "BEGIN:VEVENT\r\nUID:u1@elsewhere.test\r\nDTSTAMP:20240101T000000Z\r\n"
        "DTSTART:20240102T100000Z\r\nDTEND:20240102T110000Z\r\nSUMMARY:invite\r\n"
        "ORGANIZER:mailto:dave@elsewhere.test\r\n"
        "ATTENDEE;RSVP=TRUE:mailto:alice@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    assert_int_equal(deliver("alice", invite), S_OK);
    assert_int_equal(count_in("alice", "IPM.Schedule.Meeting.Request", "invite", NULL), 1);
    assert_int_equal(count("alice", "invite"), 0); /* not in the Inbox */
}

static void a_delivery_is_new_mail_to_the_mailbox_s_clients(void **state)
{
    (void)state;
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_site_open_mailbox(site, "bob", 0, &mdb), S_OK);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 0;
    assert_int_equal(IMsgStore_Advise(mdb, 0, NULL, fnevNewMail, sink, &conn), S_OK);
    assert_int_equal(deliver("bob@example.org", eml("ding")), S_OK);
    assert_int_equal(nx_recorder_wait(&r, 1), 1);
    assert_int_equal(r.seen[0]->ulEventType, fnevNewMail);
    assert_string_equal((const char *)r.seen[0]->info.newmail.lpszMessageClass, "IPM.Note");
    assert_int_equal(r.seen[0]->info.newmail.ulMessageFlags & MSGFLAG_READ, 0);
    assert_int_equal(IMsgStore_Unadvise(mdb, conn), S_OK);
    IMAPIAdviseSink_Release(sink);
    IMsgStore_Release(mdb);
    nx_recorder_clear(&r);
}

typedef struct sweep {
    unsigned n;
} sweep;

static HRESULT deliver_new(void *ctx)
{
    sweep *s = ctx;
    char subject[64];
    snprintf(subject, sizeof subject, "sweep-%u", s->n++); /* new bytes every run */
    return deliver("alice", eml(subject));
}

static void out_of_memory_leaves_nothing_half_done(void **state)
{
    (void)state;
    /* Each point costs two committed deliveries (the failed run's retry
     * saves) over thousands of points: every 97th is tried, or a larger
     * stride the environment gives. */
    const char *env = getenv("FM_TEST_OOM_STRIDE");
    char *kept = env != NULL ? strdup(env) : NULL;
    if (env == NULL || atoi(env) < 97)
        setenv("FM_TEST_OOM_STRIDE", "97", 1);
    sweep s = { 0 };
    unsigned points = fm_test_oom_sweep(deliver_new, &s);
    if (kept != NULL)
        setenv("FM_TEST_OOM_STRIDE", kept, 1);
    else
        unsetenv("FM_TEST_OOM_STRIDE");
    free(kept);
    assert_true(points > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_user_is_reached_by_alias_address_and_tag_with_received_properties),
        cmocka_unit_test(a_list_reaches_each_member_once),
        cmocka_unit_test(unknown_names_and_empty_lists_are_not_found),
        cmocka_unit_test(the_same_message_twice_is_saved_once_per_user),
        cmocka_unit_test(a_mailbox_at_its_receive_quota_takes_nothing),
        cmocka_unit_test(the_receive_folder_follows_the_message_class),
        cmocka_unit_test(a_delivery_is_new_mail_to_the_mailbox_s_clients),
        cmocka_unit_test(out_of_memory_leaves_nothing_half_done),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
