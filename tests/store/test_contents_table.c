/*
 * tests/store/test_contents_table.c - a folder's contents table over the
 * SQLite store: columns as GetProps shows them, paging in delivery-time
 * order, restrictions (pushed down or not), live changes from this process
 * and from another one, categories, and the other store tables (hierarchy,
 * recipients, attachments, receive folders).
 */
#include <sys/wait.h>

#include "store_fixture.h"

static FILETIME ft(int64_t v)
{
    FILETIME f = { (DWORD)((uint64_t)v & 0xFFFFFFFF), (DWORD)((uint64_t)v >> 32) };
    return f;
}

/* Saves a message with a subject, sender and (when t >= 0) delivery time. */
static void put_message(LPMAPIFOLDER f, const char *subject, const char *sender, int64_t t,
                        bool read)
{
    LPMESSAGE m = fx_new_message(f);
    SPropValue v[4];
    ULONG n = 0;
    v[n].ulPropTag = PR_SUBJECT_A;
    v[n++].Value.lpszA = (LPSTR)subject;
    v[n].ulPropTag = PR_SENDER_NAME_A;
    v[n++].Value.lpszA = (LPSTR)sender;
    v[n].ulPropTag = PR_MESSAGE_FLAGS;
    v[n++].Value.l = read ? MSGFLAG_READ : 0;
    if (t >= 0) {
        v[n].ulPropTag = PR_MESSAGE_DELIVERY_TIME;
        v[n++].Value.ft = ft(t);
    }
    assert_int_equal(IMessage_SetProps(m, n, v, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
}

/* Adds one MAPI_TO recipient named name to message m. */
static void add_recipient(LPMESSAGE m, const char *name)
{
    LPADRLIST al = NULL;
    assert_int_equal(MAPIAllocateBuffer(CbNewADRLIST(1), (void **)&al), S_OK);
    al->cEntries = 1;
    al->aEntries[0].cValues = 2;
    assert_int_equal(MAPIAllocateBuffer(2 * sizeof(SPropValue),
                                        (void **)&al->aEntries[0].rgPropVals),
                     S_OK);
    al->aEntries[0].rgPropVals[0].ulPropTag = PR_DISPLAY_NAME_A;
    al->aEntries[0].rgPropVals[0].Value.lpszA = (LPSTR)name;
    al->aEntries[0].rgPropVals[1].ulPropTag = PR_RECIPIENT_TYPE;
    al->aEntries[0].rgPropVals[1].Value.l = MAPI_TO;
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_ADD, al), S_OK);
    FreePadrlist(al);
}

static LPMAPITABLE contents(LPMAPIFOLDER f, ULONG flags)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(f, flags, &t), S_OK);
    SizedSPropTagArray(3, cols) = { 3, { PR_SUBJECT_A, PR_MESSAGE_DELIVERY_TIME, PR_ENTRYID } };
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), S_OK);
    return t;
}

static void sort_by_delivery(LPMAPITABLE t, ULONG order)
{
    SizedSSortOrderSet(1, s) = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, order } } };
    assert_int_equal(IMAPITable_SortTable(t, (LPSSortOrderSet)&s, 0), S_OK);
}

/* The subjects of the next n rows, joined by ",". */
static void subjects(LPMAPITABLE t, LONG n, char *out, size_t cap)
{
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, n, 0, &rows), S_OK);
    out[0] = '\0';
    for (ULONG i = 0; i < rows->cRows; i++) {
        const SPropValue *v = &rows->aRow[i].lpProps[0];
        strncat(out, i ? "," : "", cap - strlen(out) - 1);
        strncat(out, PROP_TYPE(v->ulPropTag) == PT_STRING8 ? v->Value.lpszA : "?",
                cap - strlen(out) - 1);
    }
    FreeProws(rows);
}

static void sorted_pages_follow_delivery_time_with_absent_ones_last(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("sorted");
    LPMAPIFOLDER f = fx_inbox(mdb);
    put_message(f, "b", "x", 200, false);
    put_message(f, "none1", "x", -1, false);
    put_message(f, "a", "x", 100, false);
    put_message(f, "c", "x", 300, false);
    put_message(f, "c2", "x", 300, false);
    put_message(f, "none2", "x", -1, false);
    LPMAPITABLE t = contents(f, 0);
    char got[256];
    subjects(t, 100, got, sizeof got);
    assert_string_equal(got, "b,none1,a,c,c2,none2"); /* the folder's own order */
    sort_by_delivery(t, TABLE_SORT_DESCEND);
    subjects(t, 2, got, sizeof got);
    assert_string_equal(got, "c2,c");
    subjects(t, 3, got, sizeof got);
    assert_string_equal(got, "b,a,none2");
    subjects(t, 3, got, sizeof got);
    assert_string_equal(got, "none1");
    sort_by_delivery(t, TABLE_SORT_ASCEND);
    subjects(t, 100, got, sizeof got);
    assert_string_equal(got, "a,b,c,c2,none1,none2");
    ULONG count = 0;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &count), S_OK);
    assert_int_equal(count, 6);
    IMAPITable_Release(t);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

static void rows_carry_what_getprops_shows(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("columns");
    LPMAPIFOLDER f = fx_inbox(mdb);
    put_message(f, "hello", "Ann", 5, true);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(f, MAPI_UNICODE, &t), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    LPSPropValue eid = PpropFindProp(rows->aRow[0].lpProps, rows->aRow[0].cValues, PR_ENTRYID);
    assert_non_null(eid);
    LPMESSAGE m = fx_reopen(mdb, eid, 0);
    LPSPropValue size = fx_get(m, PR_MESSAGE_SIZE);
    LPSPropValue tsize = PpropFindProp(rows->aRow[0].lpProps, rows->aRow[0].cValues,
                                       PR_MESSAGE_SIZE);
    assert_non_null(tsize);
    assert_int_equal(tsize->Value.l, size->Value.l);
    LPSPropValue subj = PpropFindProp(rows->aRow[0].lpProps, rows->aRow[0].cValues,
                                      PR_SUBJECT_W);
    assert_non_null(subj); /* MAPI_UNICODE: PT_UNSPECIFIED-free default columns in UTF-16 */
    assert_int_equal(subj->Value.lpszW[0], u'h');
    LPSPropValue flags = PpropFindProp(rows->aRow[0].lpProps, rows->aRow[0].cValues,
                                       PR_MESSAGE_FLAGS);
    assert_true(flags->Value.l & MSGFLAG_READ);
    LPSPropValue to = PpropFindProp(rows->aRow[0].lpProps, rows->aRow[0].cValues,
                                    PR_DISPLAY_TO_W);
    assert_non_null(to); /* no recipients: an empty string, as GetProps says */
    assert_int_equal(to->Value.lpszW[0], 0);
    MAPIFreeBuffer(size);
    IMessage_Release(m);
    FreeProws(rows);
    IMAPITable_Release(t);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

static void restriction_on_subject_ignores_case(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("restrict");
    LPMAPIFOLDER f = fx_inbox(mdb);
    put_message(f, "Quarterly BUDGET", "x", 1, false);
    put_message(f, "lunch", "x", 2, false);
    put_message(f, "budget review", "y", 3, true);
    LPMAPITABLE t = contents(f, 0);
    SPropValue needle = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "budget" };
    SRestriction r = { .rt = RES_CONTENT };
    r.res.resContent.ulFuzzyLevel = FL_SUBSTRING | FL_IGNORECASE;
    r.res.resContent.ulPropTag = PR_SUBJECT_A;
    r.res.resContent.lpProp = &needle;
    assert_int_equal(IMAPITable_Restrict(t, &r, 0), S_OK);
    ULONG count = 0;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &count), S_OK);
    assert_int_equal(count, 2);
    char got[128];
    subjects(t, 10, got, sizeof got);
    assert_string_equal(got, "Quarterly BUDGET,budget review");
    /* A restriction the columns cannot answer: evaluated on the messages. */
    SRestriction ex = { .rt = RES_EXIST };
    ex.res.resExist.ulPropTag = PR_BODY_A;
    SRestriction nt = { .rt = RES_NOT };
    nt.res.resNot.lpRes = &ex;
    SRestriction both[2] = { r, nt };
    SRestriction a = { .rt = RES_AND };
    a.res.resAnd.cRes = 2;
    a.res.resAnd.lpRes = both;
    assert_int_equal(IMAPITable_Restrict(t, &a, 0), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &count), S_OK);
    assert_int_equal(count, 2);
    IMAPITable_Release(t);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

static void table_sees_changes_made_after_it_was_opened(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("live");
    LPMAPIFOLDER f = fx_inbox(mdb);
    put_message(f, "one", "x", 10, false);
    put_message(f, "two", "x", 20, false);
    LPMAPITABLE t = contents(f, 0);
    sort_by_delivery(t, TABLE_SORT_ASCEND);
    char got[128];
    subjects(t, 1, got, sizeof got);
    assert_string_equal(got, "one");
    put_message(f, "between", "x", 15, false);
    /* The cursor stays on its row, "two"; the new row is before it. */
    subjects(t, 10, got, sizeof got);
    assert_string_equal(got, "two");
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    subjects(t, 10, got, sizeof got);
    assert_string_equal(got, "one,between,two");
    /* Another process adds a message. */
    pid_t pid = fork();
    if (pid == 0) {
        LPMDB other = NULL;
        char p[600];
        snprintf(p, sizeof p, "%s/live.fmstore", fm_test_tmpdir());
        if (fmapi_store_open(p, 0, &other) != S_OK)
            fm_test_child_exit(1);
        LPMAPIFOLDER inbox = fx_inbox(other);
        put_message(inbox, "from another process", "z", 30, false);
        IMAPIFolder_Release(inbox);
        IMsgStore_Release(other);
        fm_test_child_exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    subjects(t, 10, got, sizeof got);
    assert_string_equal(got, "from another process");
    ULONG count = 0;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &count), S_OK);
    assert_int_equal(count, 4);
    IMAPITable_Release(t);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

static void categories_by_sender_count_unread(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("categ");
    LPMAPIFOLDER f = fx_inbox(mdb);
    put_message(f, "1", "bob", 1, false);
    put_message(f, "2", "ann", 2, true);
    put_message(f, "3", "bob", 3, true);
    put_message(f, "4", "ann", 4, false);
    put_message(f, "5", "bob", 5, false);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(f, 0, &t), S_OK);
    SizedSPropTagArray(5, cols) = { 5, { PR_SENDER_NAME_A, PR_ROW_TYPE, PR_CONTENT_COUNT,
                                         PR_CONTENT_UNREAD, PR_SUBJECT_A } };
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), S_OK);
    SizedSSortOrderSet(2, s) = { 2, 1, 0, { { PR_SENDER_NAME_A, TABLE_SORT_ASCEND },
                                            { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    assert_int_equal(IMAPITable_SortTable(t, (LPSSortOrderSet)&s, 0), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 2); /* all collapsed */
    assert_string_equal(rows->aRow[0].lpProps[0].Value.lpszA, "ann");
    assert_int_equal(rows->aRow[0].lpProps[1].Value.l, TBL_COLLAPSED_CATEGORY);
    assert_int_equal(rows->aRow[0].lpProps[2].Value.l, 2);
    assert_int_equal(rows->aRow[0].lpProps[3].Value.l, 1);
    assert_int_equal(rows->aRow[1].lpProps[2].Value.l, 3);
    assert_int_equal(rows->aRow[1].lpProps[3].Value.l, 2);
    assert_int_equal(PROP_TYPE(rows->aRow[1].lpProps[4].ulPropTag), PT_ERROR);
    FreeProws(rows);
    IMAPITable_Release(t);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

static void hierarchy_table_lists_subfolders_with_depth(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("hier");
    LPMAPIFOLDER f = fx_inbox(mdb);
    LPMAPIFOLDER a = NULL, b = NULL;
    assert_int_equal(IMAPIFolder_CreateFolder(f, FOLDER_GENERIC, (LPTSTR) "A", NULL, NULL, 0, &a),
                     S_OK);
    assert_int_equal(IMAPIFolder_CreateFolder(a, FOLDER_GENERIC, (LPTSTR) "B", NULL, NULL, 0, &b),
                     S_OK);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetHierarchyTable(f, CONVENIENT_DEPTH, &t), S_OK);
    SizedSPropTagArray(2, cols) = { 2, { PR_DISPLAY_NAME_A, PR_DEPTH } };
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 2);
    assert_string_equal(rows->aRow[0].lpProps[0].Value.lpszA, "A");
    assert_int_equal(rows->aRow[0].lpProps[1].Value.l, 1);
    assert_string_equal(rows->aRow[1].lpProps[0].Value.lpszA, "B");
    assert_int_equal(rows->aRow[1].lpProps[1].Value.l, 2);
    FreeProws(rows);
    IMAPITable_Release(t);
    assert_int_equal(IMAPIFolder_GetHierarchyTable(f, 0, &t), S_OK);
    ULONG count = 0;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &count), S_OK);
    assert_int_equal(count, 1);
    IMAPITable_Release(t);
    IMAPIFolder_Release(b);
    IMAPIFolder_Release(a);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

static void recipient_and_attachment_tables_show_unsaved_changes(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("subtables");
    LPMAPIFOLDER f = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(f);
    LPMAPITABLE rt = NULL, at = NULL;
    assert_int_equal(IMessage_GetRecipientTable(m, 0, &rt), S_OK);
    assert_int_equal(IMessage_GetAttachmentTable(m, 0, &at), S_OK);
    ULONG count = 99;
    assert_int_equal(IMAPITable_GetRowCount(rt, 0, &count), S_OK);
    assert_int_equal(count, 0);
    add_recipient(m, "Carol");
    assert_int_equal(IMAPITable_GetRowCount(rt, 0, &count), S_OK);
    assert_int_equal(count, 1);
    LPATTACH att = NULL;
    ULONG num = 0;
    assert_int_equal(IMessage_CreateAttach(m, NULL, 0, &num, &att), S_OK);
    SPropValue fn = { .ulPropTag = PR_ATTACH_FILENAME_A, .Value.lpszA = "a.txt" };
    assert_int_equal(IAttach_SetProps(att, 1, &fn, NULL), S_OK);
    assert_int_equal(IAttach_SaveChanges(att, 0), S_OK);
    IAttach_Release(att);
    SizedSPropTagArray(2, acols) = { 2, { PR_ATTACH_NUM, PR_ATTACH_FILENAME_A } };
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(at, (LPSPropTagArray)&acols, NULL, NULL, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    assert_int_equal(rows->aRow[0].lpProps[0].Value.l, (LONG)num);
    assert_string_equal(rows->aRow[0].lpProps[1].Value.lpszA, "a.txt");
    FreeProws(rows);
    IMAPITable_Release(rt);
    IMAPITable_Release(at);
    IMessage_Release(m);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

static void receive_folder_table_lists_classes(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("receive");
    LPMAPITABLE t = NULL;
    assert_int_equal(IMsgStore_GetReceiveFolderTable(mdb, 0, &t), S_OK);
    ULONG before = 0, after = 0;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &before), S_OK);
    LPMAPIFOLDER f = fx_inbox(mdb);
    LPSPropValue eid = fx_get(f, PR_ENTRYID);
    assert_int_equal(IMsgStore_SetReceiveFolder(mdb, (LPTSTR) "IPM.Note.Custom", 0,
                                                eid->Value.bin.cb,
                                                (LPENTRYID)eid->Value.bin.lpb),
                     S_OK);
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &after), S_OK);
    assert_int_equal(after, before + 1);
    MAPIFreeBuffer(eid);
    IMAPIFolder_Release(f);
    IMAPITable_Release(t);
    IMsgStore_Release(mdb);
}

static void tables_leak_nothing(void **state)
{
    (void)state;
    fx_warm_up();
    LPMDB mdb = fx_new_store("leak");
    LPMAPIFOLDER f = fx_inbox(mdb);
    for (int i = 0; i < 20; i++)
        put_message(f, i % 2 ? "odd" : "even", i % 3 ? "a" : "b", i, i % 2);
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    for (int round = 0; round < 3; round++) {
        LPMAPITABLE t = contents(f, 0);
        sort_by_delivery(t, TABLE_SORT_DESCEND);
        char got[512];
        subjects(t, 7, got, sizeof got);
        subjects(t, -3, got, sizeof got);
        IMAPITable_Release(t);
    }
    fm_test_assert_no_leak(&base);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

/* RES_SUBRESTRICTION over recipients: evaluated on each message with its
 * recipient rows (it cannot be pushed down). */
static void subrestriction_finds_messages_by_recipient(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("subres");
    LPMAPIFOLDER f = fx_inbox(mdb);
    for (int i = 0; i < 3; i++) {
        LPMESSAGE m = fx_new_message(f);
        fx_set_string(m, PR_SUBJECT_A, i == 1 ? "to carol" : "to dave");
        add_recipient(m, i == 1 ? "Carol" : "Dave");
        assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
        IMessage_Release(m);
    }
    LPMAPITABLE t = contents(f, 0);
    SPropValue who = { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "carol" };
    SRestriction inner = { .rt = RES_CONTENT };
    inner.res.resContent.ulFuzzyLevel = FL_FULLSTRING | FL_IGNORECASE;
    inner.res.resContent.ulPropTag = PR_DISPLAY_NAME_A;
    inner.res.resContent.lpProp = &who;
    SRestriction sub = { .rt = RES_SUBRESTRICTION };
    sub.res.resSub.ulSubObject = PR_MESSAGE_RECIPIENTS;
    sub.res.resSub.lpRes = &inner;
    assert_int_equal(IMAPITable_Restrict(t, &sub, 0), S_OK);
    char got[128];
    subjects(t, 10, got, sizeof got);
    assert_string_equal(got, "to carol");
    IMAPITable_Release(t);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

typedef struct oom_ctx {
    LPMAPIFOLDER f;
    ULONG categories;
} oom_ctx;

/* Opens a contents table, restricts, sorts (categorized or not) and reads
 * two pages: each step may fail only for memory. */
static HRESULT open_sort_query(void *p)
{
    oom_ctx *c = p;
    LPMAPITABLE t = NULL;
    HRESULT hr = IMAPIFolder_GetContentsTable(c->f, 0, &t);
    if (hr != S_OK)
        return hr;
    SPropValue needle = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "e" };
    SRestriction r = { .rt = RES_CONTENT };
    r.res.resContent.ulFuzzyLevel = FL_SUBSTRING | FL_IGNORECASE;
    r.res.resContent.ulPropTag = PR_SUBJECT_A;
    r.res.resContent.lpProp = &needle;
    SizedSSortOrderSet(2, s) = { 2, c->categories, 0,
                                 { { PR_SENDER_NAME_A, TABLE_SORT_ASCEND },
                                   { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    hr = IMAPITable_Restrict(t, &r, 0);
    if (hr == S_OK)
        hr = IMAPITable_SortTable(t, (LPSSortOrderSet)&s, 0);
    for (int i = 0; i < 2 && hr == S_OK; i++) {
        LPSRowSet rows = NULL;
        hr = IMAPITable_QueryRows(t, 3, 0, &rows);
        if (hr == S_OK)
            FreeProws(rows);
    }
    ULONG n = 0;
    if (hr == S_OK)
        hr = IMAPITable_GetRowCount(t, 0, &n);
    IMAPITable_Release(t);
    return hr;
}

static void out_of_memory_while_reading_a_contents_table_fails_cleanly(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("oomtable");
    LPMAPIFOLDER f = fx_inbox(mdb);
    for (int i = 0; i < 8; i++)
        put_message(f, i % 2 ? "one" : "three", i % 3 ? "ann" : "bob", i, i % 2);
    oom_ctx c = { f, 0 };
    assert_true(fm_test_oom_sweep(open_sort_query, &c) > 20);
    c.categories = 1;
    assert_true(fm_test_oom_sweep(open_sort_query, &c) > 20);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sorted_pages_follow_delivery_time_with_absent_ones_last),
        cmocka_unit_test(rows_carry_what_getprops_shows),
        cmocka_unit_test(restriction_on_subject_ignores_case),
        cmocka_unit_test(table_sees_changes_made_after_it_was_opened),
        cmocka_unit_test(categories_by_sender_count_unread),
        cmocka_unit_test(hierarchy_table_lists_subfolders_with_depth),
        cmocka_unit_test(recipient_and_attachment_tables_show_unsaved_changes),
        cmocka_unit_test(receive_folder_table_lists_classes),
        cmocka_unit_test(tables_leak_nothing),
        cmocka_unit_test(subrestriction_finds_messages_by_recipient),
        cmocka_unit_test(out_of_memory_while_reading_a_contents_table_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
