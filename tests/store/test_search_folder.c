/*
 * tests/store/test_search_folder.c - search folders: CreateFolder
 * (FOLDER_SEARCH), SetSearchCriteria and GetSearchCriteria, the contents
 * table of results (exact sets under restrictions and recursion, live as
 * messages are created, changed, moved and deleted, from this process and
 * another), counts, fnevSearchComplete, deleting through and of a search
 * folder, criteria surviving a reopen, and an OOM sweep.
 */
#include <sys/wait.h>

#include "store_notify_fixture.h"

typedef struct world {
    char path[600];
    LPMDB mdb;
    LPMAPIFOLDER inbox, sub, other, finder, search;
} world;

static LPMAPIFOLDER child_folder(LPMAPIFOLDER parent, ULONG type, const char *name)
{
    LPMAPIFOLDER f = NULL;
    assert_int_equal(IMAPIFolder_CreateFolder(parent, type, (LPTSTR)name, NULL, NULL, 0, &f),
                     S_OK);
    return f;
}

/* Saves a message with subject and body into f. */
static eid put(LPMAPIFOLDER f, const char *subject, const char *body, bool read)
{
    LPMESSAGE m = fx_new_message(f);
    SPropValue v[3] = { { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = (LPSTR)subject },
                        { .ulPropTag = PR_BODY_A, .Value.lpszA = (LPSTR)body },
                        { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = read ? MSGFLAG_READ : 0 } };
    assert_int_equal(IMessage_SetProps(m, 3, v, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    eid e = eid_of(m);
    IMessage_Release(m);
    return e;
}

static void world_open(world *w, const char *name)
{
    memset(w, 0, sizeof *w);
    snprintf(w->path, sizeof w->path, "%s", fx_store_path(name));
    assert_int_equal(fmapi_store_open(w->path, FMAPI_STORE_CREATE, &w->mdb), S_OK);
    w->inbox = fx_inbox(w->mdb);
    w->sub = child_folder(w->inbox, FOLDER_GENERIC, "Sub");
    LPMAPIFOLDER root = NULL;
    ULONG type = 0;
    assert_int_equal(IMsgStore_OpenEntry(w->mdb, 0, NULL, NULL, MAPI_MODIFY, &type,
                                         (LPUNKNOWN *)&root), S_OK);
    w->other = child_folder(root, FOLDER_GENERIC, "Other");
    IMAPIFolder_Release(root);
    w->finder = fx_open_folder_by_prop(w->mdb, w->mdb, PR_FINDER_ENTRYID);
    w->search = child_folder(w->finder, FOLDER_SEARCH, "Invoices");
}

static void world_close(world *w)
{
    LPMAPIFOLDER *fs[] = { &w->inbox, &w->sub, &w->other, &w->finder, &w->search };
    for (size_t i = 0; i < sizeof fs / sizeof fs[0]; i++)
        if (*fs[i])
            IMAPIFolder_Release(*fs[i]);
    IMsgStore_Release(w->mdb);
}

/* A restriction: subject contains word (ignoring case). */
typedef struct subject_res {
    SRestriction r;
    SPropValue v;
} subject_res;

static void subject_has(subject_res *s, ULONG tag, const char *word)
{
    memset(s, 0, sizeof *s);
    s->v.ulPropTag = tag;
    s->v.Value.lpszA = (LPSTR)word;
    s->r.rt = RES_CONTENT;
    s->r.res.resContent = (SContentRestriction){ FL_SUBSTRING | FL_IGNORECASE, tag, &s->v };
}

static void set_criteria(LPMAPIFOLDER search, LPSRestriction r, LPMAPIFOLDER *scope, ULONG n,
                         ULONG flags)
{
    eid e[4];
    SBinary b[4];
    for (ULONG i = 0; i < n; i++) {
        e[i] = eid_of(scope[i]);
        b[i] = (SBinary){ e[i].cb, e[i].b };
    }
    ENTRYLIST l = { n, b };
    assert_int_equal(IMAPIFolder_SetSearchCriteria(search, r, n ? &l : NULL, flags), S_OK);
}

/* The subjects of the search folder's contents, sorted by subject, joined
 * by ",". */
static void subjects(LPMAPIFOLDER f, LPSRestriction tres, char *out, size_t cap)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(f, 0, &t), S_OK);
    SizedSPropTagArray(1, cols) = { 1, { PR_SUBJECT_A } };
    SizedSSortOrderSet(1, sort) = { 1, 0, 0, { { PR_SUBJECT_A, TABLE_SORT_ASCEND } } };
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, (LPSPropTagArray)&cols, tres, (LPSSortOrderSet)&sort, 0,
                                    &rows), S_OK);
    out[0] = '\0';
    size_t n = 0;
    for (ULONG i = 0; i < rows->cRows; i++) {
        const SPropValue *v = &rows->aRow[i].lpProps[0];
        assert_int_equal(v->ulPropTag, PR_SUBJECT_A);
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? "," : "", v->Value.lpszA);
    }
    FreeProws(rows);
    IMAPITable_Release(t);
}

static LONG long_prop(void *obj, ULONG tag)
{
    LPSPropValue v = fx_get(obj, tag);
    LONG n = v->Value.l;
    MAPIFreeBuffer(v);
    return n;
}

/* ---- creating ---------------------------------------------------------------------------- */

static void a_search_folder_is_made_in_the_finder_and_holds_no_message_of_its_own(void **state)
{
    (void)state;
    world w;
    world_open(&w, "search-create");
    assert_int_equal(long_prop(w.search, PR_FOLDER_TYPE), FOLDER_SEARCH);
    assert_int_equal(long_prop(w.search, PR_CONTENT_COUNT), 0);
    /* Never given criteria. */
    ULONG st = 0;
    LPSRestriction r = NULL;
    assert_int_equal(IMAPIFolder_GetSearchCriteria(w.search, 0, &r, NULL, &st),
                     MAPI_E_NOT_INITIALIZED);
    assert_null(r);
    /* A generic folder has no criteria to set or get. */
    subject_res s;
    subject_has(&s, PR_SUBJECT_A, "x");
    assert_int_equal(IMAPIFolder_SetSearchCriteria(w.inbox, &s.r, NULL, 0), MAPI_E_NO_SUPPORT);
    /* Messages are created in real folders. */
    LPMESSAGE m = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(w.search, NULL, 0, &m), MAPI_E_NO_SUPPORT);
    assert_null(m);
    /* The first search needs both a restriction and a folder list. */
    assert_int_equal(IMAPIFolder_SetSearchCriteria(w.search, &s.r, NULL, 0),
                     MAPI_E_INVALID_PARAMETER);
    /* A search folder cannot search itself (or another search folder). */
    LPMAPIFOLDER self[1] = { w.search };
    eid e = eid_of(w.search);
    SBinary b = { e.cb, e.b };
    ENTRYLIST l = { 1, &b };
    assert_int_equal(IMAPIFolder_SetSearchCriteria(w.search, &s.r, &l, 0),
                     MAPI_E_INVALID_PARAMETER);
    (void)self;
    /* Exclusive flags. */
    LPMAPIFOLDER in[1] = { w.inbox };
    e = eid_of(w.inbox);
    b = (SBinary){ e.cb, e.b };
    assert_int_equal(IMAPIFolder_SetSearchCriteria(w.search, &s.r, &l,
                                                   RECURSIVE_SEARCH | SHALLOW_SEARCH),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPIFolder_SetSearchCriteria(w.search, &s.r, &l,
                                                   STOP_SEARCH | RESTART_SEARCH),
                     MAPI_E_INVALID_PARAMETER);
    (void)in;
    world_close(&w);
}

/* ---- results ------------------------------------------------------------------------------ */

static void results_are_exactly_the_matching_messages_of_the_searched_folders(void **state)
{
    (void)state;
    world w;
    world_open(&w, "search-results");
    put(w.inbox, "Invoice 1", "pay", false);
    put(w.inbox, "hello", "an invoice inside", true);
    put(w.sub, "invoice 2", "pay", true);
    put(w.other, "INVOICE 3", "pay", false);
    put(w.inbox, "lunch", "no", false);
    subject_res s;
    subject_has(&s, PR_SUBJECT_A, "invoice");
    LPMAPIFOLDER scope[2] = { w.inbox, w.other };
    char got[512];

    /* Shallow: the Inbox and Other themselves. */
    set_criteria(w.search, &s.r, scope, 2, SHALLOW_SEARCH | RESTART_SEARCH);
    subjects(w.search, NULL, got, sizeof got); /* sorted ignoring case */
    assert_string_equal(got, "Invoice 1,INVOICE 3");
    assert_int_equal(long_prop(w.search, PR_CONTENT_COUNT), 2);
    assert_int_equal(long_prop(w.search, PR_CONTENT_UNREAD), 2);

    /* Recursive: the Inbox's subfolder too; NULL restriction keeps it. */
    set_criteria(w.search, NULL, scope, 1, RECURSIVE_SEARCH);
    subjects(w.search, NULL, got, sizeof got);
    assert_string_equal(got, "Invoice 1,invoice 2");
    assert_int_equal(long_prop(w.search, PR_CONTENT_UNREAD), 1);

    /* A restriction on a property not kept in columns (the body), NULL
     * folder list keeping the Inbox: evaluated on the messages. */
    subject_res body;
    subject_has(&body, PR_BODY_A, "invoice");
    assert_int_equal(IMAPIFolder_SetSearchCriteria(w.search, &body.r, NULL, 0), S_OK);
    subjects(w.search, NULL, got, sizeof got);
    assert_string_equal(got, "hello");

    /* The table's own restriction applies on top of the search's. */
    set_criteria(w.search, &s.r, scope, 2, RECURSIVE_SEARCH);
    subjects(w.search, NULL, got, sizeof got);
    assert_string_equal(got, "Invoice 1,invoice 2,INVOICE 3");
    SRestriction unread = { .rt = RES_BITMASK };
    unread.res.resBitMask = (SBitMaskRestriction){ BMR_EQZ, PR_MESSAGE_FLAGS, MSGFLAG_READ };
    subjects(w.search, &unread, got, sizeof got);
    assert_string_equal(got, "Invoice 1,INVOICE 3");
    world_close(&w);
}

static void a_row_opens_the_real_message_in_its_real_folder(void **state)
{
    (void)state;
    world w;
    world_open(&w, "search-rows");
    eid m = put(w.sub, "invoice", "b", false);
    eid sub = eid_of(w.sub);
    subject_res s;
    subject_has(&s, PR_SUBJECT_A, "invoice");
    LPMAPIFOLDER scope[1] = { w.inbox };
    set_criteria(w.search, &s.r, scope, 1, RECURSIVE_SEARCH);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(w.search, 0, &t), S_OK);
    SizedSPropTagArray(2, cols) = { 2, { PR_ENTRYID, PR_PARENT_ENTRYID } };
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    const SPropValue *v = rows->aRow[0].lpProps;
    assert_true(same_eid(v[0].Value.bin.cb, (LPENTRYID)v[0].Value.bin.lpb, &m));
    assert_true(same_eid(v[1].Value.bin.cb, (LPENTRYID)v[1].Value.bin.lpb, &sub));
    ULONG type = 0;
    LPMESSAGE msg = NULL;
    assert_int_equal(IMAPIFolder_OpenEntry(w.search, v[0].Value.bin.cb,
                                           (LPENTRYID)v[0].Value.bin.lpb, NULL, 0, &type,
                                           (LPUNKNOWN *)&msg), S_OK);
    fx_assert_string(msg, PR_SUBJECT_A, "invoice");
    IMessage_Release(msg);
    FreeProws(rows);
    IMAPITable_Release(t);
    world_close(&w);
}

static void results_follow_creates_changes_moves_and_deletes(void **state)
{
    (void)state;
    world w;
    world_open(&w, "search-live");
    subject_res s;
    subject_has(&s, PR_SUBJECT_A, "invoice");
    LPMAPIFOLDER scope[1] = { w.inbox };
    set_criteria(w.search, &s.r, scope, 1, SHALLOW_SEARCH);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(w.search, 0, &t), S_OK);
    ULONG n = 9;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), S_OK);
    assert_int_equal(n, 0);
    eid a = put(w.inbox, "invoice a", "", false);
    eid b = put(w.inbox, "invoice b", "", false);
    put(w.inbox, "other", "", false);
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), S_OK);
    assert_int_equal(n, 2); /* the open table sees the new messages */
    /* Changed so it no longer matches. */
    LPMESSAGE m = fx_reopen(w.mdb, &(SPropValue){ .ulPropTag = PR_ENTRYID,
                                                  .Value.bin = { a.cb, a.b } }, MAPI_MODIFY);
    fx_set_string(m, PR_SUBJECT_A, "paid");
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), S_OK);
    assert_int_equal(n, 1);
    /* Moved out of the scope, and back. */
    SBinary bb = { b.cb, b.b };
    ENTRYLIST l = { 1, &bb };
    assert_int_equal(IMAPIFolder_CopyMessages(w.inbox, &l, NULL, w.other, 0, NULL, MESSAGE_MOVE),
                     S_OK);
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), S_OK);
    assert_int_equal(n, 0);
    assert_int_equal(long_prop(w.search, PR_CONTENT_COUNT), 0);
    eid c = put(w.inbox, "invoice c", "", false);
    assert_int_equal(long_prop(w.search, PR_CONTENT_COUNT), 1);
    /* Deleted where it is. */
    bb = (SBinary){ c.cb, c.b };
    assert_int_equal(IMAPIFolder_DeleteMessages(w.inbox, &l, 0, NULL, 0), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), S_OK);
    assert_int_equal(n, 0);
    IMAPITable_Release(t);
    world_close(&w);
}

/* ---- deleting -------------------------------------------------------------------------------- */

static void deleting_through_a_search_folder_deletes_the_real_message(void **state)
{
    (void)state;
    world w;
    world_open(&w, "search-delete");
    eid a = put(w.inbox, "invoice a", "", false);
    eid b = put(w.inbox, "invoice b", "", false);
    eid x = put(w.inbox, "lunch", "", false);
    subject_res s;
    subject_has(&s, PR_SUBJECT_A, "invoice");
    LPMAPIFOLDER scope[1] = { w.inbox };
    set_criteria(w.search, &s.r, scope, 1, 0);
    SBinary bb[2] = { { a.cb, a.b }, { x.cb, x.b } };
    ENTRYLIST l = { 2, bb };
    /* "lunch" is not a result: it stays, and the call says so. */
    assert_int_equal(IMAPIFolder_DeleteMessages(w.search, &l, 0, NULL, 0),
                     MAPI_W_PARTIAL_COMPLETION);
    assert_int_equal(long_prop(w.inbox, PR_CONTENT_COUNT), 2);
    assert_int_equal(long_prop(w.search, PR_CONTENT_COUNT), 1);
    (void)b;
    /* Deleting the search folder deletes none of its results. */
    eid sf = eid_of(w.search);
    IMAPIFolder_Release(w.search);
    w.search = NULL;
    assert_int_equal(IMAPIFolder_DeleteFolder(w.finder, sf.cb, (LPENTRYID)sf.b, 0, NULL, 0),
                     S_OK);
    assert_int_equal(long_prop(w.inbox, PR_CONTENT_COUNT), 2);
    world_close(&w);
}

/* ---- state and persistence ------------------------------------------------------------------- */

static void criteria_and_state_are_kept_across_a_reopen(void **state)
{
    (void)state;
    world w;
    world_open(&w, "search-persist");
    put(w.inbox, "invoice a", "", false);
    /* An OR of a Unicode content restriction and a bitmask. */
    SPropValue wv = { .ulPropTag = PR_SUBJECT_W, .Value.lpszW = (LPWSTR)u"invoice" };
    SRestriction kids[2];
    memset(kids, 0, sizeof kids);
    kids[0].rt = RES_CONTENT;
    kids[0].res.resContent = (SContentRestriction){ FL_SUBSTRING | FL_IGNORECASE, PR_SUBJECT_W,
                                                    &wv };
    kids[1].rt = RES_BITMASK;
    kids[1].res.resBitMask = (SBitMaskRestriction){ BMR_NEZ, PR_MESSAGE_FLAGS, MSGFLAG_FROMME };
    SRestriction orr = { .rt = RES_OR, .res.resOr = { 2, kids } };
    LPMAPIFOLDER scope[2] = { w.inbox, w.other };
    set_criteria(w.search, &orr, scope, 2, RECURSIVE_SEARCH | FOREGROUND_SEARCH);
    eid sf = eid_of(w.search);
    world_close(&w);

    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(w.path, 0, &mdb), S_OK);
    ULONG type = 0;
    LPMAPIFOLDER f = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, sf.cb, (LPENTRYID)sf.b, NULL, MAPI_MODIFY, &type,
                                         (LPUNKNOWN *)&f), S_OK);
    LPSRestriction r = NULL;
    LPENTRYLIST l = NULL;
    ULONG st = 0;
    assert_int_equal(IMAPIFolder_GetSearchCriteria(f, MAPI_UNICODE, &r, &l, &st), S_OK);
    assert_int_equal(st, SEARCH_RUNNING | SEARCH_RECURSIVE | SEARCH_FOREGROUND | SEARCH_COMPLETE);
    assert_int_equal(r->rt, RES_OR);
    assert_int_equal(r->res.resOr.cRes, 2);
    const SRestriction *k = r->res.resOr.lpRes;
    assert_int_equal(k[0].rt, RES_CONTENT);
    assert_int_equal(k[0].res.resContent.ulPropTag, PR_SUBJECT_W);
    assert_int_equal(k[0].res.resContent.ulFuzzyLevel, FL_SUBSTRING | FL_IGNORECASE);
    assert_true(memcmp(k[0].res.resContent.lpProp->Value.lpszW, u"invoice", 16) == 0);
    assert_int_equal(k[1].rt, RES_BITMASK);
    assert_int_equal(k[1].res.resBitMask.ulMask, MSGFLAG_FROMME);
    assert_int_equal(l->cValues, 2);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    eid in = eid_of(inbox);
    assert_true(same_eid(l->lpbin[0].cb, (LPENTRYID)l->lpbin[0].lpb, &in));
    MAPIFreeBuffer(r);
    MAPIFreeBuffer(l);
    /* ANSI: the string comes back 8-bit. */
    assert_int_equal(IMAPIFolder_GetSearchCriteria(f, 0, &r, NULL, NULL), S_OK);
    assert_int_equal(r->res.resOr.lpRes[0].res.resContent.lpProp->ulPropTag, PR_SUBJECT_A);
    assert_string_equal(r->res.resOr.lpRes[0].res.resContent.lpProp->Value.lpszA, "invoice");
    MAPIFreeBuffer(r);
    char got[256];
    subjects(f, NULL, got, sizeof got);
    assert_string_equal(got, "invoice a");

    /* Stopped: the results are frozen; a deleted one still leaves. */
    assert_int_equal(IMAPIFolder_SetSearchCriteria(f, NULL, NULL, STOP_SEARCH), S_OK);
    assert_int_equal(IMAPIFolder_GetSearchCriteria(f, 0, NULL, NULL, &st), S_OK);
    assert_int_equal(st, SEARCH_RECURSIVE | SEARCH_FOREGROUND | SEARCH_COMPLETE);
    eid b = put(inbox, "invoice b", "", false);
    subjects(f, NULL, got, sizeof got);
    assert_string_equal(got, "invoice a");
    IMAPIFolder_Release(f);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    /* Still stopped after a reopen; RESTART_SEARCH runs it again. */
    assert_int_equal(fmapi_store_open(w.path, 0, &mdb), S_OK);
    assert_int_equal(IMsgStore_OpenEntry(mdb, sf.cb, (LPENTRYID)sf.b, NULL, MAPI_MODIFY, &type,
                                         (LPUNKNOWN *)&f), S_OK);
    subjects(f, NULL, got, sizeof got);
    assert_string_equal(got, "invoice a");
    assert_int_equal(IMAPIFolder_SetSearchCriteria(f, NULL, NULL, RESTART_SEARCH), S_OK);
    subjects(f, NULL, got, sizeof got);
    assert_string_equal(got, "invoice a,invoice b");
    (void)b;
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

/* A crash between a stop's two transactions leaves the search running with
 * SEARCH_REBUILD; the next open freezes it. The crash is made by writing
 * the state the first transaction commits, with another connection. */
static void an_open_finishes_a_stop_a_crash_interrupted(void **state)
{
    (void)state;
    world w;
    world_open(&w, "search-pending");
    put(w.inbox, "invoice a", "", false);
    subject_res s;
    subject_has(&s, PR_SUBJECT_A, "invoice");
    LPMAPIFOLDER scope[1] = { w.inbox };
    set_criteria(w.search, &s.r, scope, 1, STOP_SEARCH);
    eid sf = eid_of(w.search);
    world_close(&w);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(w.path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DELETE FROM search_results; UPDATE search_criteria SET "
                                      "state = 2", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(fx_count(w.path, "SELECT count(*) FROM search_results"), 0);
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(w.path, 0, &mdb), S_OK);
    assert_int_equal(fx_count(w.path, "SELECT count(*) FROM search_results"), 1);
    assert_int_equal(fx_count(w.path, "SELECT state FROM search_criteria"), 0);
    ULONG type = 0;
    LPMAPIFOLDER f = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, sf.cb, (LPENTRYID)sf.b, NULL, MAPI_MODIFY, &type,
                                         (LPUNKNOWN *)&f), S_OK);
    ULONG st = 0;
    assert_int_equal(IMAPIFolder_GetSearchCriteria(f, 0, NULL, NULL, &st), S_OK);
    assert_int_equal(st, SEARCH_COMPLETE);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

/* ---- notifications ------------------------------------------------------------------------- */

static void search_complete_reaches_store_subscribers_and_tables_raise_row_events(void **state)
{
    (void)state;
    world w;
    world_open(&w, "search-notify");
    nx_recorder r, tr;
    nx_recorder_init(&r);
    nx_recorder_init(&tr);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r), *tsink = nx_recorder_sink(&tr);
    ULONG_PTR conn = 0, tconn = 0;
    assert_int_equal(IMsgStore_Advise(w.mdb, 0, NULL, fnevSearchComplete, sink, &conn), S_OK);
    subject_res s;
    subject_has(&s, PR_SUBJECT_A, "invoice");
    LPMAPIFOLDER scope[1] = { w.inbox };
    set_criteria(w.search, &s.r, scope, 1, 0);
    assert_int_equal(nx_recorder_wait(&r, 1), 1);
    eid sf = eid_of(w.search), finder = eid_of(w.finder);
    expect_object(&r, 0, fnevSearchComplete, MAPI_FOLDER, &sf, &finder, NULL, NULL);
    /* A stop is complete once its results are frozen: one more. */
    assert_int_equal(IMAPIFolder_SetSearchCriteria(w.search, NULL, NULL, STOP_SEARCH), S_OK);
    assert_int_equal(nx_recorder_wait(&r, 2), 2);
    expect_object(&r, 1, fnevSearchComplete, MAPI_FOLDER, &sf, &finder, NULL, NULL);
    assert_int_equal(IMAPIFolder_SetSearchCriteria(w.search, NULL, NULL, RESTART_SEARCH), S_OK);
    assert_int_equal(nx_recorder_wait(&r, 3), 3);

    /* The results table: a matching message saved in the Inbox is a row
     * added; one that does not match is no event. */
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(w.search, 0, &t), S_OK);
    SizedSPropTagArray(2, cols) = { 2, { PR_INSTANCE_KEY, PR_SUBJECT_A } };
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), S_OK);
    assert_int_equal(IMAPITable_Advise(t, fnevTableModified, tsink, &tconn), S_OK);
    put(w.inbox, "lunch", "", false);
    put(w.inbox, "invoice 7", "", false);
    assert_int_equal(nx_recorder_wait(&tr, 1), 1);
    assert_int_equal(fm_notify_wait_idle(30000), S_OK);
    assert_int_equal(tr.n, 1);
    const TABLE_NOTIFICATION *tn = &tr.seen[0]->info.tab;
    assert_int_equal(tn->ulTableEvent, TABLE_ROW_ADDED);
    const SPropValue *subj = PpropFindProp(tn->row.lpProps, tn->row.cValues, PR_SUBJECT_A);
    assert_non_null(subj);
    assert_string_equal(subj->Value.lpszA, "invoice 7");
    IMAPITable_Unadvise(t, tconn);
    IMAPITable_Release(t);
    IMsgStore_Unadvise(w.mdb, conn);
    IMAPIAdviseSink_Release(sink);
    IMAPIAdviseSink_Release(tsink);
    nx_recorder_clear(&r);
    nx_recorder_clear(&tr);
    world_close(&w);
}

/* ---- another process ----------------------------------------------------------------------- */

static int child_saves(const char *path, const char *subject)
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
    SPropValue v = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = (LPSTR)subject };
    if (IMAPIFolder_CreateMessage(inbox, NULL, 0, &m) != S_OK ||
        IMessage_SetProps(m, 1, &v, NULL) != S_OK || IMessage_SaveChanges(m, 0) != S_OK)
        return 12;
    return 0;
}

static void a_message_another_process_saves_enters_the_results_and_the_table_says_so(void **state)
{
    (void)state;
    world w;
    world_open(&w, "search-process");
    subject_res s;
    subject_has(&s, PR_SUBJECT_A, "invoice");
    LPMAPIFOLDER scope[1] = { w.inbox };
    set_criteria(w.search, &s.r, scope, 1, RECURSIVE_SEARCH);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(w.search, 0, &t), S_OK);
    nx_recorder tr;
    nx_recorder_init(&tr);
    IMAPIAdviseSink *tsink = nx_recorder_sink(&tr);
    ULONG_PTR tconn = 0;
    assert_int_equal(IMAPITable_Advise(t, fnevTableModified, tsink, &tconn), S_OK);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        fm_test_child_exit(child_saves(w.path, "Invoice from afar"));
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(nx_recorder_wait(&tr, 1), 1);
    assert_int_equal(fm_notify_wait_idle(30000), S_OK);
    assert_int_equal(tr.n, 1);
    assert_int_equal(tr.seen[0]->info.tab.ulTableEvent, TABLE_ROW_ADDED);
    char got[128];
    subjects(w.search, NULL, got, sizeof got);
    assert_string_equal(got, "Invoice from afar");
    IMAPITable_Unadvise(t, tconn);
    IMAPITable_Release(t);
    IMAPIAdviseSink_Release(tsink);
    nx_recorder_clear(&tr);
    world_close(&w);
}

/* ---- out of memory ------------------------------------------------------------------------- */

static world oom_w;
static eid oom_inbox;

static HRESULT set_get_and_read(void *ctx)
{
    (void)ctx;
    subject_res s;
    subject_has(&s, PR_SUBJECT_A, "invoice");
    subject_res body;
    subject_has(&body, PR_BODY_A, "pay");
    SRestriction both[2] = { s.r, body.r };
    SRestriction andr = { .rt = RES_AND, .res.resAnd = { 2, both } };
    SBinary b = { oom_inbox.cb, oom_inbox.b };
    ENTRYLIST l = { 1, &b };
    HRESULT hr = IMAPIFolder_SetSearchCriteria(oom_w.search, &andr, &l,
                                               RECURSIVE_SEARCH | RESTART_SEARCH);
    if (hr == S_OK) /* and a stop: the freeze's transaction */
        hr = IMAPIFolder_SetSearchCriteria(oom_w.search, NULL, NULL, STOP_SEARCH);
    LPSRestriction r = NULL;
    LPENTRYLIST got = NULL;
    ULONG st = 0;
    if (hr == S_OK)
        hr = IMAPIFolder_GetSearchCriteria(oom_w.search, MAPI_UNICODE, &r, &got, &st);
    MAPIFreeBuffer(r);
    MAPIFreeBuffer(got);
    LPMAPITABLE t = NULL;
    ULONG n = 0;
    if (hr == S_OK)
        hr = IMAPIFolder_GetContentsTable(oom_w.search, 0, &t);
    if (hr == S_OK)
        hr = IMAPITable_GetRowCount(t, 0, &n);
    if (t)
        IMAPITable_Release(t);
    if (hr == S_OK && n != 2)
        hr = MAPI_E_CALL_FAILED; /* a wrong answer is not an out-of-memory error */
    return hr;
}

static void set_criteria_and_the_rebuild_survive_every_allocation_failure(void **state)
{
    (void)state;
    world_open(&oom_w, "search-oom");
    put(oom_w.inbox, "invoice 1", "pay", false);
    put(oom_w.sub, "invoice 2", "pay now", false);
    put(oom_w.sub, "invoice 3", "later", false);
    oom_inbox = eid_of(oom_w.inbox);
    assert_int_equal(set_get_and_read(NULL), S_OK); /* warm */
    unsigned points = fm_test_oom_sweep(set_get_and_read, NULL);
    print_message("%u allocation points swept\n", points);
    assert_true(points > 10);
    world_close(&oom_w);
}

int main(void)
{
    setenv("FM_TEST_OOM_STRIDE", "7", 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_search_folder_is_made_in_the_finder_and_holds_no_message_of_its_own),
        cmocka_unit_test(results_are_exactly_the_matching_messages_of_the_searched_folders),
        cmocka_unit_test(a_row_opens_the_real_message_in_its_real_folder),
        cmocka_unit_test(results_follow_creates_changes_moves_and_deletes),
        cmocka_unit_test(deleting_through_a_search_folder_deletes_the_real_message),
        cmocka_unit_test(criteria_and_state_are_kept_across_a_reopen),
        cmocka_unit_test(an_open_finishes_a_stop_a_crash_interrupted),
        cmocka_unit_test(search_complete_reaches_store_subscribers_and_tables_raise_row_events),
        cmocka_unit_test(a_message_another_process_saves_enters_the_results_and_the_table_says_so),
        cmocka_unit_test(set_criteria_and_the_rebuild_survive_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
