/*
 * tests/store/test_table_notify.c - IMAPITable::Advise on a store's tables:
 * a contents table sends TABLE_ROW_ADDED, TABLE_ROW_MODIFIED (a changed
 * row, a row that moved in the sort) and TABLE_ROW_DELETED with the row in
 * the table's columns and propPrior the instance key of the row before
 * (PR_NULL for the first), in exactly that sequence; rows outside the
 * restriction are not announced; a message added under a collapsed heading
 * is its heading's TABLE_ROW_MODIFIED and nothing else; TBL_ASYNC calls end
 * with their *_DONE event; the hierarchy table announces a new folder; a
 * change committed by another process arrives; tables without a change feed
 * answer MAPI_E_NO_SUPPORT; Unadvise and Release leave nothing behind.
 */
#include <sys/wait.h>

#include "store_notify_fixture.h"

static void wait_idle(void)
{
    assert_int_equal(fm_notify_wait_idle(30000), S_OK);
}

static SizedSPropTagArray(2, cols) = { 2, { PR_INSTANCE_KEY, PR_SUBJECT_A } };

/* A contents table of f with columns (instance key, subject) sorted by
 * subject, and r registered on it. */
static LPMAPITABLE advised_table(LPMAPIFOLDER f, nx_recorder *r, IMAPIAdviseSink **sink,
                                 ULONG_PTR *conn)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(f, 0, &t), S_OK);
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), S_OK);
    SizedSSortOrderSet(1, by_subject) = { 1, 0, 0, { { PR_SUBJECT_A, TABLE_SORT_ASCEND } } };
    assert_int_equal(IMAPITable_SortTable(t, (LPSSortOrderSet)&by_subject, 0), S_OK);
    nx_recorder_init(r);
    *sink = nx_recorder_sink(r);
    assert_int_equal(IMAPITable_Advise(t, fnevTableModified, *sink, conn), S_OK);
    assert_true(*conn != 0);
    return t;
}

/* The instance key of the row whose subject is s (12 bytes). */
typedef struct ikey {
    BYTE b[12];
} ikey;

static ikey key_of(LPMAPITABLE t, const char *s)
{
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    assert_int_equal(IMAPITable_QueryRows(t, 100, 0, &rows), S_OK);
    ikey k;
    memset(&k, 0, sizeof k);
    bool found = false;
    for (ULONG i = 0; i < rows->cRows; i++) {
        const SPropValue *v = rows->aRow[i].lpProps;
        if (PROP_TYPE(v[1].ulPropTag) == PT_STRING8 && strcmp(v[1].Value.lpszA, s) == 0) {
            assert_int_equal(v[0].Value.bin.cb, sizeof k.b);
            memcpy(k.b, v[0].Value.bin.lpb, sizeof k.b);
            found = true;
        }
    }
    FreeProws(rows);
    assert_true(found);
    return k;
}

static bool is_key(const SPropValue *v, const ikey *k)
{
    if (k == NULL)
        return v->ulPropTag == PR_NULL;
    return v->ulPropTag == PR_INSTANCE_KEY && v->Value.bin.cb == sizeof k->b &&
           memcmp(v->Value.bin.lpb, k->b, sizeof k->b) == 0;
}

/* Notification i is table event `event` about row k (NULL: any) after
 * prior (NULL: the first row), with subject (NULL: no row). */
static void expect_row(nx_recorder *r, size_t i, ULONG event, const ikey *k, const ikey *prior,
                       const char *subject)
{
    assert_true(i < r->n);
    const NOTIFICATION *n = r->seen[i];
    assert_int_equal(n->ulEventType, fnevTableModified);
    const TABLE_NOTIFICATION *tn = &n->info.tab;
    assert_int_equal(tn->ulTableEvent, event);
    if (k != NULL)
        assert_true(is_key(&tn->propIndex, k));
    else
        assert_int_equal(tn->propIndex.ulPropTag, PR_INSTANCE_KEY);
    assert_true(is_key(&tn->propPrior, prior));
    if (subject == NULL) {
        assert_int_equal(tn->row.cValues, 0);
        return;
    }
    assert_int_equal(tn->row.cValues, 2);
    assert_int_equal(tn->row.lpProps[0].ulPropTag, PR_INSTANCE_KEY);
    assert_true(is_key(&tn->row.lpProps[0], k ? k : (const ikey *)tn->propIndex.Value.bin.lpb));
    assert_int_equal(tn->row.lpProps[1].ulPropTag, PR_SUBJECT_A);
    assert_string_equal(tn->row.lpProps[1].Value.lpszA, subject);
}

static void set_subject(LPMDB mdb, const eid *e, const char *s)
{
    SPropValue v = { .ulPropTag = PR_ENTRYID, .Value.bin = { e->cb, (LPBYTE)e->b } };
    LPMESSAGE m = fx_reopen(mdb, &v, MAPI_MODIFY);
    fx_set_string(m, PR_SUBJECT_A, s);
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
}

static void delete_message(LPMAPIFOLDER f, eid *e)
{
    SBinary bin = { e->cb, e->b };
    ENTRYLIST list = { 1, &bin };
    assert_int_equal(IMAPIFolder_DeleteMessages(f, &list, 0, NULL, 0), S_OK);
}

static void rows_added_modified_moved_and_deleted_arrive_in_order(void **state)
{
    (void)state;
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPMDB mdb = fx_new_store("table-notify-rows");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    nx_recorder r;
    IMAPIAdviseSink *sink = NULL;
    ULONG_PTR conn = 0;
    LPMAPITABLE t = advised_table(inbox, &r, &sink, &conn);

    eid b_id = save_new(inbox, "b", 0);
    wait_idle();
    assert_int_equal(r.n, 1);
    ikey kb = key_of(t, "b");
    expect_row(&r, 0, TABLE_ROW_ADDED, &kb, NULL, "b"); /* the first row: PR_NULL */

    eid a_id = save_new(inbox, "a", 0); /* sorts before b: the first row now */
    save_new(inbox, "c", 0);            /* after b */
    wait_idle();
    assert_int_equal(r.n, 3);
    ikey ka = key_of(t, "a"), kc = key_of(t, "c");
    expect_row(&r, 1, TABLE_ROW_ADDED, &ka, NULL, "a");
    expect_row(&r, 2, TABLE_ROW_ADDED, &kc, &kb, "c");

    set_subject(mdb, &b_id, "bb"); /* changed in place */
    wait_idle();
    assert_int_equal(r.n, 4);
    expect_row(&r, 3, TABLE_ROW_MODIFIED, &kb, &ka, "bb");

    set_subject(mdb, &a_id, "d"); /* moves to the end: after c */
    wait_idle();
    assert_int_equal(r.n, 5);
    expect_row(&r, 4, TABLE_ROW_MODIFIED, &ka, &kc, "d");

    delete_message(inbox, &b_id);
    wait_idle();
    assert_int_equal(r.n, 6);
    expect_row(&r, 5, TABLE_ROW_DELETED, &kb, NULL, NULL);

    /* After Unadvise nothing more arrives, and a second Unadvise is refused. */
    assert_int_equal(IMAPITable_Unadvise(t, conn), S_OK);
    assert_int_equal(IMAPITable_Unadvise(t, conn), MAPI_E_NOT_FOUND);
    save_new(inbox, "e", 0);
    wait_idle();
    assert_int_equal(r.n, 6);

    IMAPITable_Release(t);
    IMAPIAdviseSink_Release(sink);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    nx_recorder_clear(&r);
    fmapi_notify_stats st;
    fmapi_notify_get_stats(&st);
    assert_int_equal(st.registrations, 0);
    fm_test_assert_no_leak_all(&b);
}

static void rows_outside_the_restriction_are_not_announced(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("table-notify-restrict");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    nx_recorder r;
    IMAPIAdviseSink *sink = NULL;
    ULONG_PTR conn = 0;
    LPMAPITABLE t = advised_table(inbox, &r, &sink, &conn);
    SPropValue want = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = (LPSTR) "keep" };
    SRestriction res = { .rt = RES_PROPERTY,
                         .res.resProperty = { RELOP_EQ, PR_SUBJECT_A, &want } };
    assert_int_equal(IMAPITable_Restrict(t, &res, TBL_ASYNC), S_OK);
    wait_idle();
    assert_int_equal(r.n, 1);
    assert_int_equal(r.seen[0]->info.tab.ulTableEvent, TABLE_RESTRICT_DONE);

    eid other = save_new(inbox, "other", 0);
    save_new(inbox, "keep", 0);
    set_subject(mdb, &other, "still other");
    wait_idle();
    assert_int_equal(r.n, 2);
    ikey k = key_of(t, "keep");
    expect_row(&r, 1, TABLE_ROW_ADDED, &k, NULL, "keep");

    /* A message that comes into the restriction is added, one that leaves deleted. */
    set_subject(mdb, &other, "keep");
    wait_idle();
    assert_int_equal(r.n, 3);
    assert_int_equal(r.seen[2]->info.tab.ulTableEvent, TABLE_ROW_ADDED);
    set_subject(mdb, &other, "gone");
    wait_idle();
    assert_int_equal(r.n, 4);
    assert_int_equal(r.seen[3]->info.tab.ulTableEvent, TABLE_ROW_DELETED);

    IMAPITable_Unadvise(t, conn);
    IMAPITable_Release(t);
    IMAPIAdviseSink_Release(sink);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    nx_recorder_clear(&r);
}

/* Categorized by PR_CONVERSATION_TOPIC, every category collapsed: a new
 * message of an existing category changes its heading's counts only. */
static void a_new_row_in_a_collapsed_category_modifies_the_heading(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("table-notify-categories");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    save_new(inbox, "topic", 0);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(inbox, 0, &t), S_OK);
    SizedSPropTagArray(3, ccols) = { 3, { PR_INSTANCE_KEY, PR_SUBJECT_A, PR_CONTENT_COUNT } };
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&ccols, 0), S_OK);
    SizedSSortOrderSet(1, categ) = { 1, 1, 0, { { PR_SUBJECT_A, TABLE_SORT_ASCEND } } };
    assert_int_equal(IMAPITable_SortTable(t, (LPSSortOrderSet)&categ, TBL_ASYNC), S_OK);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 0;
    assert_int_equal(IMAPITable_Advise(t, fnevTableModified, sink, &conn), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1); /* the heading, collapsed (cExpanded 0) */
    ikey head;
    memcpy(head.b, rows->aRow[0].lpProps[0].Value.bin.lpb, sizeof head.b);
    FreeProws(rows);

    save_new(inbox, "topic", 0);
    wait_idle();
    assert_int_equal(r.n, 1);
    const TABLE_NOTIFICATION *tn = &r.seen[0]->info.tab;
    assert_int_equal(tn->ulTableEvent, TABLE_ROW_MODIFIED);
    assert_true(is_key(&tn->propIndex, &head));
    assert_true(is_key(&tn->propPrior, NULL));
    assert_int_equal(tn->row.lpProps[2].ulPropTag, PR_CONTENT_COUNT);
    assert_int_equal(tn->row.lpProps[2].Value.l, 2);

    /* A new category is a new heading row, after the first. */
    save_new(inbox, "zebra", 0);
    wait_idle();
    assert_int_equal(r.n, 2);
    tn = &r.seen[1]->info.tab;
    assert_int_equal(tn->ulTableEvent, TABLE_ROW_ADDED);
    assert_true(is_key(&tn->propPrior, &head));
    assert_int_equal(tn->row.lpProps[2].Value.l, 1);

    IMAPITable_Unadvise(t, conn);
    IMAPITable_Release(t);
    IMAPIAdviseSink_Release(sink);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    nx_recorder_clear(&r);
}

static void asynchronous_calls_end_with_their_done_event(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("table-notify-done");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    nx_recorder r;
    IMAPIAdviseSink *sink = NULL;
    ULONG_PTR conn = 0;
    LPMAPITABLE t = advised_table(inbox, &r, &sink, &conn);
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, TBL_ASYNC), S_OK);
    SizedSSortOrderSet(1, desc) = { 1, 0, 0, { { PR_SUBJECT_A, TABLE_SORT_DESCEND } } };
    assert_int_equal(IMAPITable_SortTable(t, (LPSSortOrderSet)&desc, TBL_ASYNC), S_OK);
    assert_int_equal(IMAPITable_Restrict(t, NULL, TBL_ASYNC), S_OK);
    assert_int_equal(IMAPITable_Restrict(t, NULL, 0), S_OK); /* synchronous: no event */
    wait_idle();
    assert_int_equal(r.n, 3);
    assert_int_equal(r.seen[0]->info.tab.ulTableEvent, TABLE_SETCOL_DONE);
    assert_int_equal(r.seen[1]->info.tab.ulTableEvent, TABLE_SORT_DONE);
    assert_int_equal(r.seen[2]->info.tab.ulTableEvent, TABLE_RESTRICT_DONE);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(r.seen[i]->info.tab.hResult, S_OK);
        assert_int_equal(r.seen[i]->info.tab.propIndex.ulPropTag, PR_NULL);
    }
    /* Bad arguments. */
    ULONG_PTR c2 = 1;
    assert_int_equal(IMAPITable_Advise(t, fnevNewMail, sink, &c2), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(c2, 0);
    assert_int_equal(IMAPITable_Advise(t, fnevTableModified, NULL, &c2), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPITable_Unadvise(t, conn + 1000), MAPI_E_NOT_FOUND);

    /* Releasing the table with a registration left cancels it. */
    IMAPITable_Release(t);
    IMAPIAdviseSink_Release(sink);
    fmapi_notify_stats st;
    fmapi_notify_get_stats(&st);
    assert_int_equal(st.registrations, 0);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    nx_recorder_clear(&r);
}

static void the_hierarchy_table_announces_a_new_folder(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("table-notify-hierarchy");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetHierarchyTable(inbox, 0, &t), S_OK);
    SizedSPropTagArray(2, hcols) = { 2, { PR_INSTANCE_KEY, PR_DISPLAY_NAME_A } };
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&hcols, 0), S_OK);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 0;
    assert_int_equal(IMAPITable_Advise(t, fnevTableModified, sink, &conn), S_OK);
    LPMAPIFOLDER sub = NULL;
    assert_int_equal(
        IMAPIFolder_CreateFolder(inbox, FOLDER_GENERIC, (LPTSTR) "Projects", NULL, NULL, 0, &sub),
        S_OK);
    wait_idle();
    assert_int_equal(r.n, 1);
    const TABLE_NOTIFICATION *tn = &r.seen[0]->info.tab;
    assert_int_equal(tn->ulTableEvent, TABLE_ROW_ADDED);
    assert_true(is_key(&tn->propPrior, NULL));
    assert_int_equal(tn->row.lpProps[1].ulPropTag, PR_DISPLAY_NAME_A);
    assert_string_equal(tn->row.lpProps[1].Value.lpszA, "Projects");
    IMAPIFolder_Release(sub);
    IMAPITable_Unadvise(t, conn);
    IMAPITable_Release(t);
    IMAPIAdviseSink_Release(sink);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    nx_recorder_clear(&r);
}

/* IMessage::SetReadFlag is one transaction with its fnevObjectModified:
 * the message's row changes (PR_MESSAGE_FLAGS), in place. */
static void marking_a_message_read_modifies_its_row(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("table-notify-read");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    eid e = save_new(inbox, "unread", 0);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(inbox, 0, &t), S_OK);
    SizedSPropTagArray(2, fcols) = { 2, { PR_INSTANCE_KEY, PR_MESSAGE_FLAGS } };
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&fcols, 0), S_OK);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 0;
    assert_int_equal(IMAPITable_Advise(t, fnevTableModified, sink, &conn), S_OK);
    SPropValue v = { .ulPropTag = PR_ENTRYID, .Value.bin = { e.cb, e.b } };
    LPMESSAGE m = fx_reopen(mdb, &v, 0);
    assert_int_equal(IMessage_SetReadFlag(m, 0), S_OK);
    wait_idle();
    assert_int_equal(r.n, 1);
    const TABLE_NOTIFICATION *tn = &r.seen[0]->info.tab;
    assert_int_equal(tn->ulTableEvent, TABLE_ROW_MODIFIED);
    assert_true(is_key(&tn->propPrior, NULL));
    assert_int_equal(tn->row.lpProps[1].ulPropTag, PR_MESSAGE_FLAGS);
    assert_true(tn->row.lpProps[1].Value.l & MSGFLAG_READ);
    /* Marking it read again changes nothing: no event. */
    assert_int_equal(IMessage_SetReadFlag(m, 0), S_OK);
    wait_idle();
    assert_int_equal(r.n, 1);
    /* The folder's SetReadFlags: each message it changes is modified. */
    SBinary bin = { e.cb, e.b };
    ENTRYLIST list = { 1, &bin };
    assert_int_equal(IMAPIFolder_SetReadFlags(inbox, &list, 0, 0, CLEAR_READ_FLAG), S_OK);
    wait_idle();
    assert_int_equal(r.n, 2);
    tn = &r.seen[1]->info.tab;
    assert_int_equal(tn->ulTableEvent, TABLE_ROW_MODIFIED);
    assert_false(tn->row.lpProps[1].Value.l & MSGFLAG_READ);
    IMessage_Release(m);
    IMAPITable_Unadvise(t, conn);
    IMAPITable_Release(t);
    IMAPIAdviseSink_Release(sink);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    nx_recorder_clear(&r);
}

static void tables_without_a_change_feed_answer_no_support(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("table-notify-nosupport");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMessage_GetRecipientTable(m, 0, &t), S_OK);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 7;
    assert_int_equal(IMAPITable_Advise(t, fnevTableModified, sink, &conn), MAPI_E_NO_SUPPORT);
    assert_int_equal(conn, 0);
    assert_int_equal(IMAPITable_Unadvise(t, 1), MAPI_E_NOT_FOUND);
    IMAPITable_Release(t);
    IMAPIAdviseSink_Release(sink);
    IMessage_Release(m);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    nx_recorder_clear(&r);
}

/* ---- from another process ------------------------------------------------------------ */

static int child_saves(const char *path)
{
    LPMDB mdb = NULL;
    if (fmapi_store_open(path, 0, &mdb) != S_OK)
        return 10;
    LPENTRYID e = NULL;
    ULONG cb = 0, type = 0;
    LPMAPIFOLDER inbox = NULL;
    if (IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &e, NULL) != S_OK ||
        IMsgStore_OpenEntry(mdb, cb, e, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&inbox) != S_OK)
        return 11;
    LPMESSAGE m = NULL;
    SPropValue v = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = (LPSTR) "from afar" };
    if (IMAPIFolder_CreateMessage(inbox, NULL, 0, &m) != S_OK ||
        IMessage_SetProps(m, 1, &v, NULL) != S_OK || IMessage_SaveChanges(m, 0) != S_OK)
        return 12;
    return 0;
}

static void a_row_another_process_saves_is_added_here(void **state)
{
    (void)state;
    char path[600];
    snprintf(path, sizeof path, "%s", fx_store_path("table-notify-two"));
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    save_new(inbox, "here", 0);
    nx_recorder r;
    IMAPIAdviseSink *sink = NULL;
    ULONG_PTR conn = 0;
    LPMAPITABLE t = advised_table(inbox, &r, &sink, &conn);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        fm_test_child_exit(child_saves(path));
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(nx_recorder_wait(&r, 1), 1);
    wait_idle();
    assert_int_equal(r.n, 1);
    ikey k = key_of(t, "from afar"), before = key_of(t, "here");
    /* "from afar" sorts before "here": the first row. */
    expect_row(&r, 0, TABLE_ROW_ADDED, &k, NULL, "from afar");
    (void)before;
    IMAPITable_Unadvise(t, conn);
    IMAPITable_Release(t);
    IMAPIAdviseSink_Release(sink);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    nx_recorder_clear(&r);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_added_modified_moved_and_deleted_arrive_in_order),
        cmocka_unit_test(rows_outside_the_restriction_are_not_announced),
        cmocka_unit_test(a_new_row_in_a_collapsed_category_modifies_the_heading),
        cmocka_unit_test(asynchronous_calls_end_with_their_done_event),
        cmocka_unit_test(the_hierarchy_table_announces_a_new_folder),
        cmocka_unit_test(marking_a_message_read_modifies_its_row),
        cmocka_unit_test(tables_without_a_change_feed_answer_no_support),
        cmocka_unit_test(a_row_another_process_saves_is_added_here),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
