/*
 * tests/store/test_store_notify.c - IMsgStore::Advise: each store event
 * with the entry IDs and fields MAPI documents for it (OBJECT_NOTIFICATION,
 * NEWMAIL_NOTIFICATION), in the order the changes were committed; a folder
 * registration sees its folder and what is in it, nothing else; Unadvise and Release leave
 * no registration and no memory behind; Advise, delivery and Unadvise
 * survive every allocation failure. Another process's changes:
 * test_store_notify_process.c.
 */
#include <sys/stat.h>

#include "store_notify_fixture.h"

static void wait_idle(void)
{
    assert_int_equal(fm_notify_wait_idle(30000), S_OK);
}

static ENTRYLIST one_entry(eid *e, SBinary *bin)
{
    bin->cb = e->cb;
    bin->lpb = e->b;
    return (ENTRYLIST){ 1, bin };
}

/* ---- in this process ------------------------------------------------------------------- */

static void a_new_message_in_the_inbox_is_created_then_new_mail(void **state)
{
    (void)state;
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPMDB mdb = fx_new_store("notify-newmail");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    eid inbox_id = eid_of(inbox);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 0;
    assert_int_equal(IMsgStore_Advise(mdb, 0, NULL, fnevNewMail | fnevObjectCreated, sink, &conn),
                     S_OK);
    assert_true(conn != 0);

    eid msg = save_new(inbox, "hello", MSGFLAG_READ);
    assert_int_equal(nx_recorder_wait(&r, 2), 2);
    expect_object(&r, 0, fnevObjectCreated, MAPI_MESSAGE, &msg, &inbox_id, NULL, NULL);
    const NEWMAIL_NOTIFICATION *nm = &r.seen[1]->info.newmail;
    assert_int_equal(r.seen[1]->ulEventType, fnevNewMail);
    assert_true(same_eid(nm->cbEntryID, nm->lpEntryID, &msg));
    assert_true(same_eid(nm->cbParentID, nm->lpParentID, &inbox_id));
    assert_int_equal(nm->ulFlags, 0); /* an 8-bit class */
    assert_string_equal((const char *)nm->lpszMessageClass, "IPM.Note");
    assert_true(nm->ulMessageFlags & MSGFLAG_READ);

    /* A draft composed in the Inbox (MSGFLAG_UNSENT) is created, not new mail. */
    eid draft = save_new(inbox, "draft", MSGFLAG_UNSENT);
    wait_idle();
    assert_int_equal(r.n, 3);
    expect_object(&r, 2, fnevObjectCreated, MAPI_MESSAGE, &draft, &inbox_id, NULL, NULL);

    assert_int_equal(IMsgStore_Unadvise(mdb, conn), S_OK);
    assert_int_equal(IMsgStore_Unadvise(mdb, conn), MAPI_E_NOT_FOUND);
    save_new(inbox, "unheard", 0);
    wait_idle();
    assert_int_equal(r.n, 3);
    IMAPIAdviseSink_Release(sink);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    nx_recorder_clear(&r);
    fm_test_assert_no_leak_all(&b);
}

static void modifying_moving_copying_and_deleting_are_reported_in_order(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("notify-object");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMAPIFOLDER deleted = fx_open_folder_by_prop(mdb, mdb, PR_IPM_WASTEBASKET_ENTRYID);
    eid inbox_id = eid_of(inbox), deleted_id = eid_of(deleted);
    eid msg = save_new(inbox, "first", 0);

    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 0;
    ULONG all = fnevObjectCreated | fnevObjectDeleted | fnevObjectModified | fnevObjectMoved |
                fnevObjectCopied;
    assert_int_equal(IMsgStore_Advise(mdb, 0, NULL, all, sink, &conn), S_OK);

    /* Modified: a second save of the same message. */
    SPropValue eidv = { .ulPropTag = PR_ENTRYID, .Value.bin = { msg.cb, msg.b } };
    LPMESSAGE m = fx_reopen(mdb, &eidv, MAPI_MODIFY);
    fx_set_string(m, PR_SUBJECT_A, "changed");
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
    /* Copied to Deleted Items: a new message there, the old one named. */
    SBinary bin;
    ENTRYLIST list = one_entry(&msg, &bin);
    assert_int_equal(IMAPIFolder_CopyMessages(inbox, &list, NULL, deleted, 0, NULL, 0), S_OK);
    /* Moved there: the same message, its old folder named. */
    assert_int_equal(
        IMAPIFolder_CopyMessages(inbox, &list, NULL, deleted, 0, NULL, MESSAGE_MOVE), S_OK);
    /* Deleted from there. */
    assert_int_equal(IMAPIFolder_DeleteMessages(deleted, &list, 0, NULL, 0), S_OK);

    /* Each change of a folder's counts follows its transaction's message
     * events: the folder Modified, with PR_CONTENT_COUNT and (an unread
     * message) PR_CONTENT_UNREAD, its parent the IPM subtree. */
    LPMAPIFOLDER subtree = fx_open_folder_by_prop(mdb, mdb, PR_IPM_SUBTREE_ENTRYID);
    eid subtree_id = eid_of(subtree);
    IMAPIFolder_Release(subtree);
    assert_int_equal(nx_recorder_wait(&r, 8), 8);
    wait_idle();
    assert_int_equal(r.n, 8);
    expect_object(&r, 0, fnevObjectModified, MAPI_MESSAGE, &msg, &inbox_id, NULL, NULL);
    assert_null(r.seen[0]->info.obj.lpPropTagArray); /* a save's tags are not recorded */
    assert_int_equal(r.seen[1]->ulEventType, fnevObjectCopied);
    const OBJECT_NOTIFICATION *c = &r.seen[1]->info.obj;
    assert_false(same_eid(c->cbEntryID, c->lpEntryID, &msg)); /* the copy is a new message */
    expect_object(&r, 1, fnevObjectCopied, MAPI_MESSAGE, &ANY, &deleted_id, &msg, &inbox_id);
    expect_object(&r, 2, fnevObjectModified, MAPI_FOLDER, &deleted_id, &subtree_id, NULL, NULL);
    expect_object(&r, 3, fnevObjectMoved, MAPI_MESSAGE, &msg, &deleted_id, &msg, &inbox_id);
    expect_object(&r, 4, fnevObjectModified, MAPI_FOLDER, &inbox_id, &subtree_id, NULL, NULL);
    expect_object(&r, 5, fnevObjectModified, MAPI_FOLDER, &deleted_id, &subtree_id, NULL, NULL);
    expect_object(&r, 6, fnevObjectDeleted, MAPI_MESSAGE, &msg, &deleted_id, NULL, NULL);
    expect_object(&r, 7, fnevObjectModified, MAPI_FOLDER, &deleted_id, &subtree_id, NULL, NULL);
    static const size_t FOLDER_EVENTS[] = { 2, 4, 5, 7 };
    for (size_t k = 0; k < 4; k++) {
        const SPropTagArray *t = r.seen[FOLDER_EVENTS[k]]->info.obj.lpPropTagArray;
        assert_non_null(t);
        assert_int_equal(t->cValues, 2);
        assert_int_equal(t->aulPropTag[0], PR_CONTENT_COUNT);
        assert_int_equal(t->aulPropTag[1], PR_CONTENT_UNREAD);
    }

    IMsgStore_Unadvise(mdb, conn);
    IMAPIAdviseSink_Release(sink);
    IMAPIFolder_Release(deleted);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    nx_recorder_clear(&r);
}

/* Notification i of r carries exactly the tags given. */
static void expect_tags(nx_recorder *r, size_t i, ULONG n, const ULONG *tags)
{
    const SPropTagArray *t = r->seen[i]->info.obj.lpPropTagArray;
    assert_non_null(t);
    assert_int_equal(t->cValues, n);
    for (ULONG k = 0; k < n; k++)
        assert_int_equal(t->aulPropTag[k], tags[k]);
}

static void folder_and_store_properties_and_counts_are_modified_with_their_tags(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("notify-props");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMAPIFOLDER subtree = fx_open_folder_by_prop(mdb, mdb, PR_IPM_SUBTREE_ENTRYID);
    eid inbox_id = eid_of(inbox), subtree_id = eid_of(subtree), store_id = eid_of(mdb);
    IMAPIFolder_Release(subtree);
    eid unread = save_new(inbox, "unread", 0);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 0;
    assert_int_equal(IMsgStore_Advise(mdb, 0, NULL, fnevObjectModified, sink, &conn), S_OK);
    /* A folder's SetProps and DeleteProps: the tags set or deleted (a
     * computed one refused is not among them). */
    SPropValue v[2] = { { .ulPropTag = PR_COMMENT_A, .Value.lpszA = (LPSTR) "note" },
                        { .ulPropTag = PR_CONTENT_COUNT, .Value.l = 5 } };
    LPSPropProblemArray probs = NULL;
    assert_int_equal(IMAPIFolder_SetProps(inbox, 2, v, &probs), S_OK);
    MAPIFreeBuffer(probs);
    SizedSPropTagArray(2, del) = { 2, { PR_COMMENT_A, PR_CONTENT_UNREAD } };
    probs = NULL;
    assert_int_equal(IMAPIFolder_DeleteProps(inbox, (LPSPropTagArray)&del, &probs), S_OK);
    MAPIFreeBuffer(probs);
    /* The store's SetProps. */
    SPropValue sv = { .ulPropTag = PR_COMMENT_A, .Value.lpszA = (LPSTR) "store note" };
    assert_int_equal(IMsgStore_SetProps(mdb, 1, &sv, NULL), S_OK);
    /* Counts: a new unread message, a new read one, one marked read. */
    save_new(inbox, "another unread", 0);
    save_new(inbox, "already read", MSGFLAG_READ);
    SPropValue eidv = { .ulPropTag = PR_ENTRYID, .Value.bin = { unread.cb, unread.b } };
    LPMESSAGE m = fx_reopen(mdb, &eidv, MAPI_MODIFY);
    assert_int_equal(IMessage_SetReadFlag(m, 0), S_OK);
    IMessage_Release(m);

    assert_int_equal(nx_recorder_wait(&r, 7), 7);
    wait_idle();
    assert_int_equal(r.n, 7);
    static const ULONG COMMENT[] = { PR_COMMENT_A };
    static const ULONG BOTH[] = { PR_CONTENT_COUNT, PR_CONTENT_UNREAD };
    static const ULONG UNREAD[] = { PR_CONTENT_UNREAD };
    static const ULONG FLAGS[] = { PR_MESSAGE_FLAGS };
    expect_object(&r, 0, fnevObjectModified, MAPI_FOLDER, &inbox_id, &subtree_id, NULL, NULL);
    expect_tags(&r, 0, 1, COMMENT);
    expect_object(&r, 1, fnevObjectModified, MAPI_FOLDER, &inbox_id, &subtree_id, NULL, NULL);
    expect_tags(&r, 1, 1, COMMENT);
    expect_object(&r, 2, fnevObjectModified, MAPI_STORE, &store_id, NULL, NULL, NULL);
    expect_tags(&r, 2, 1, COMMENT);
    expect_object(&r, 3, fnevObjectModified, MAPI_FOLDER, &inbox_id, &subtree_id, NULL, NULL);
    expect_tags(&r, 3, 2, BOTH);
    expect_object(&r, 4, fnevObjectModified, MAPI_FOLDER, &inbox_id, &subtree_id, NULL, NULL);
    expect_tags(&r, 4, 1, BOTH); /* PR_CONTENT_COUNT alone */
    expect_object(&r, 5, fnevObjectModified, MAPI_MESSAGE, &unread, &inbox_id, NULL, NULL);
    expect_tags(&r, 5, 1, FLAGS);
    expect_object(&r, 6, fnevObjectModified, MAPI_FOLDER, &inbox_id, &subtree_id, NULL, NULL);
    expect_tags(&r, 6, 1, UNREAD);
    IMsgStore_Unadvise(mdb, conn);
    IMAPIAdviseSink_Release(sink);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    nx_recorder_clear(&r);
}

static void a_folder_registration_sees_the_folder_and_what_is_in_it_only(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("notify-folder");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMAPIFOLDER drafts = fx_open_folder_by_prop(mdb, inbox, PR_PARENT_ENTRYID);
    IMAPIFolder_Release(drafts); /* the IPM subtree: where new folders go */
    LPMAPIFOLDER subtree = fx_open_folder_by_prop(mdb, mdb, PR_IPM_SUBTREE_ENTRYID);
    eid inbox_id = eid_of(inbox), subtree_id = eid_of(subtree);

    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 0;
    assert_int_equal(IMsgStore_Advise(mdb, inbox_id.cb, (LPENTRYID)inbox_id.b,
                                      fnevObjectCreated | fnevObjectDeleted, sink, &conn),
                     S_OK);
    /* Not in the Inbox: unheard. */
    LPMAPIFOLDER other = NULL;
    assert_int_equal(IMAPIFolder_CreateFolder(subtree, FOLDER_GENERIC, (LPTSTR) "Other", NULL,
                                              NULL, 0, &other),
                     S_OK);
    eid other_id = eid_of(other);
    save_new(other, "elsewhere", 0);
    /* In the Inbox: a folder created under it, a message saved in it. */
    LPMAPIFOLDER sub = NULL;
    assert_int_equal(IMAPIFolder_CreateFolder(inbox, FOLDER_GENERIC, (LPTSTR) "Sub", NULL, NULL,
                                              0, &sub),
                     S_OK);
    eid sub_id = eid_of(sub);
    eid msg = save_new(inbox, "here", 0);
    /* The other folder deleted: unheard; the sub folder deleted: heard. */
    assert_int_equal(IMAPIFolder_DeleteFolder(subtree, other_id.cb, (LPENTRYID)other_id.b, 0,
                                              NULL, DEL_MESSAGES),
                     S_OK);
    assert_int_equal(
        IMAPIFolder_DeleteFolder(inbox, sub_id.cb, (LPENTRYID)sub_id.b, 0, NULL, DEL_MESSAGES),
        S_OK);
    assert_int_equal(nx_recorder_wait(&r, 3), 3);
    wait_idle();
    assert_int_equal(r.n, 3);
    expect_object(&r, 0, fnevObjectCreated, MAPI_FOLDER, &sub_id, &inbox_id, NULL, NULL);
    expect_object(&r, 1, fnevObjectCreated, MAPI_MESSAGE, &msg, &inbox_id, NULL, NULL);
    expect_object(&r, 2, fnevObjectDeleted, MAPI_FOLDER, &sub_id, &inbox_id, NULL, NULL);
    (void)subtree_id;

    IMsgStore_Unadvise(mdb, conn);
    IMAPIAdviseSink_Release(sink);
    IMAPIFolder_Release(sub);
    IMAPIFolder_Release(other);
    IMAPIFolder_Release(subtree);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    nx_recorder_clear(&r);
}

static void bad_arguments_are_refused_with_documented_errors(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("notify-bad");
    LPMDB other = NULL;
    assert_int_equal(
        fmapi_store_open(fx_store_path("notify-bad-other"), FMAPI_STORE_CREATE, &other), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(other);
    eid foreign = eid_of(inbox);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 7;
    assert_int_equal(IMsgStore_Advise(mdb, 0, NULL, fnevNewMail, NULL, &conn),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMsgStore_Advise(mdb, 0, NULL, fnevNewMail, sink, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMsgStore_Advise(mdb, 0, NULL, 0, sink, &conn), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMsgStore_Advise(mdb, foreign.cb, (LPENTRYID)foreign.b, fnevNewMail, sink,
                                      &conn),
                     MAPI_E_INVALID_ENTRYID);
    BYTE junk[5] = { 1, 2, 3, 4, 5 };
    assert_int_equal(IMsgStore_Advise(mdb, sizeof junk, (LPENTRYID)junk, fnevNewMail, sink, &conn),
                     MAPI_E_INVALID_ENTRYID);
    assert_int_equal(IMsgStore_Unadvise(mdb, 12345), MAPI_E_NOT_FOUND);
    /* Another store object's connection is not this one's to cancel. */
    assert_int_equal(IMsgStore_Advise(other, 0, NULL, fnevNewMail, sink, &conn), S_OK);
    assert_int_equal(IMsgStore_Unadvise(mdb, conn), MAPI_E_NOT_FOUND);
    LPMAPIERROR err = NULL;
    assert_int_equal(IMsgStore_GetLastError(mdb, MAPI_E_NOT_FOUND, 0, &err), S_OK);
    assert_non_null(err);
    assert_non_null(err->lpszError);
    MAPIFreeBuffer(err);
    assert_int_equal(IMsgStore_Unadvise(other, conn), S_OK);
    LPSPropValue mask = fx_get(mdb, PR_STORE_SUPPORT_MASK);
    assert_true(mask->Value.l & STORE_NOTIFY_OK);
    MAPIFreeBuffer(mask);
    IMAPIAdviseSink_Release(sink);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(other);
    IMsgStore_Release(mdb);
    nx_recorder_clear(&r);
}

/* Release without Unadvise: the store object's registrations go with it,
 * and the process stops following the file. */
static void releasing_the_store_cancels_its_registrations(void **state)
{
    (void)state;
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    char path[600];
    snprintf(path, sizeof path, "%s", fx_store_path("notify-release"));
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(IMsgStore_Advise(mdb, 0, NULL, fnevObjectCreated, sink, &conn[i]), S_OK);
    fmapi_notify_stats st;
    fmapi_notify_get_stats(&st);
    assert_int_equal(st.registrations, 3);
    assert_int_equal(st.subscribed_stores, 1);
    IMsgStore_Release(mdb);
    fmapi_notify_get_stats(&st);
    assert_int_equal(st.registrations, 0);
    assert_int_equal(st.subscribed_stores, 0);
    assert_int_equal(st.sinks, 0);
    /* A writer now finds nobody following: nothing is recorded. */
    assert_int_equal(fmapi_store_open(path, 0, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    save_new(inbox, "nobody listens", 0);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM fm_events"), 0);
    IMAPIAdviseSink_Release(sink);
    nx_recorder_clear(&r);
    fm_test_assert_no_leak_all(&b);
}

/* ---- out of memory ------------------------------------------------------------------------- */

static LPMDB oom_store;
static LPMAPIFOLDER oom_inbox;
static nx_recorder oom_rec;

/* Advise, a save that is notified, delivery, Unadvise: all in this thread. */
static HRESULT advise_save_deliver_unadvise(void *ctx)
{
    (void)ctx;
    IMAPIAdviseSink *sink = NULL;
    HRESULT hr = HrAllocAdviseSink(nx_record, &oom_rec, &sink);
    if (hr != S_OK)
        return hr;
    ULONG_PTR conn = 0;
    hr = IMsgStore_Advise(oom_store, 0, NULL, fnevObjectCreated | fnevNewMail, sink, &conn);
    LPMESSAGE m = NULL;
    if (hr == S_OK)
        hr = IMAPIFolder_CreateMessage(oom_inbox, NULL, 0, &m);
    if (hr == S_OK)
        hr = IMessage_SaveChanges(m, 0);
    if (m != NULL)
        IMessage_Release(m);
    fm_notify_run_pending();
    if (conn != 0) {
        HRESULT hu = IMsgStore_Unadvise(oom_store, conn);
        if (hr == S_OK)
            hr = hu;
    }
    IMAPIAdviseSink_Release(sink);
    return hr;
}

static void advise_delivery_and_unadvise_survive_every_allocation_failure(void **state)
{
    (void)state;
    oom_store = fx_new_store("notify-oom");
    oom_inbox = fx_inbox(oom_store);
    nx_recorder_init(&oom_rec);
    fm_notify_set_manual(true);
    assert_int_equal(advise_save_deliver_unadvise(NULL), S_OK); /* warm: the log table, caches */
    assert_true(fm_test_oom_sweep(advise_save_deliver_unadvise, NULL) > 10);
    fm_notify_set_manual(false);
    fmapi_notify_stats st;
    fmapi_notify_get_stats(&st);
    assert_int_equal(st.registrations, 0);
    IMAPIFolder_Release(oom_inbox);
    IMsgStore_Release(oom_store);
    nx_recorder_clear(&oom_rec);
}

/* An open that fails after it made `<store>-notify` (out of memory at any
 * allocation after the feed is opened) removes the file again: a failed
 * open leaves nothing beside the store. A successful open keeps it. */
static void a_failed_open_leaves_no_notify_file_behind(void **state)
{
    (void)state;
    char path[600], npath[700];
    snprintf(path, sizeof path, "%s", fx_store_path("notify-failed-open"));
    snprintf(npath, sizeof npath, "%s-notify", path);
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    IMsgStore_Release(mdb);
    const char *env = getenv("FM_TEST_OOM_STRIDE");
    unsigned stride = env && atoi(env) > 1 ? (unsigned)atoi(env) : 1;
    for (unsigned k = 1; k < 100000; k += stride) {
        unlink(npath);
        mdb = NULL;
        fmapi_alloc_fail_nth(k);
        HRESULT hr = fmapi_store_open(path, 0, &mdb);
        uint64_t fired = fmapi_alloc_injected_failures();
        fmapi_alloc_fail_off();
        struct stat st;
        bool left = lstat(npath, &st) == 0;
        if (hr == S_OK) {
            assert_true(left); /* an open store keeps its rendezvous file */
            IMsgStore_Release(mdb);
        } else {
            assert_int_equal(hr, MAPI_E_NOT_ENOUGH_MEMORY);
            assert_false(left);
        }
        if (!fired)
            break;
    }
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_new_message_in_the_inbox_is_created_then_new_mail),
        cmocka_unit_test(modifying_moving_copying_and_deleting_are_reported_in_order),
        cmocka_unit_test(folder_and_store_properties_and_counts_are_modified_with_their_tags),
        cmocka_unit_test(a_folder_registration_sees_the_folder_and_what_is_in_it_only),
        cmocka_unit_test(bad_arguments_are_refused_with_documented_errors),
        cmocka_unit_test(releasing_the_store_cancels_its_registrations),
        cmocka_unit_test(advise_delivery_and_unadvise_survive_every_allocation_failure),
        cmocka_unit_test(a_failed_open_leaves_no_notify_file_behind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
