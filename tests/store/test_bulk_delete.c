/*
 * tests/store/test_bulk_delete.c - IMAPIFolder::DeleteMessages: soft deletes
 * that stay recoverable and show with SHOW_SOFT_DELETES, hard deletes that
 * free every row, skipped entries reported, progress reported exactly as
 * IMAPIProgress describes (top level and nested), cancel at every batch
 * boundary with the rest untouched, and a re-run that finishes the job.
 */
#include "test_bulk_fixture.h"

#define BATCH 10

static char path[600];

static long live_in(int64_t fid)
{
    return bx_sql(path, "SELECT count(*) FROM messages WHERE fid = %lld AND deleted_at IS NULL",
                  (long long)fid);
}

static long soft_in(int64_t fid)
{
    return bx_sql(path, "SELECT count(*) FROM messages WHERE fid = %lld AND deleted_at IS NOT "
                        "NULL", (long long)fid);
}

static void soft_delete_keeps_messages_recoverable_and_visible_with_show_soft_deletes(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bdsoft", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb), f = bx_subfolder(inbox, "work");
    bx_fill(f, 0, 12);
    int64_t fid = bx_id_of(f);
    LPENTRYLIST l = bx_list(f, 0, 0, 2);
    assert_int_equal(l->cValues, 6);
    assert_int_equal(IMAPIFolder_DeleteMessages(f, l, 0, NULL, 0), S_OK);
    assert_int_equal(bx_count(f, 0), 6);
    assert_int_equal(bx_count(f, SHOW_SOFT_DELETES), 6);
    assert_int_equal(live_in(fid), 6);
    assert_int_equal(soft_in(fid), 6);
    LPSPropValue count = fx_get(f, PR_CONTENT_COUNT);
    assert_int_equal(count->Value.l, 6);
    MAPIFreeBuffer(count);
    /* Their attachments and recipients are kept: the delete is recoverable. */
    assert_int_equal(fx_count(path, "SELECT count(*) FROM recipients r JOIN messages m ON"
                                    " m.mid = r.mid WHERE m.deleted_at IS NOT NULL"), 6);
    /* A deleted message no longer opens. */
    ULONG type = 0;
    LPUNKNOWN u = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, l->lpbin[0].cb, (LPENTRYID)l->lpbin[0].lpb, NULL, 0,
                                         &type, &u), MAPI_E_NOT_FOUND);
    /* The soft-deleted rows carry their properties and PR_DELETED_ON. */
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(f, SHOW_SOFT_DELETES, &t), S_OK);
    SizedSPropTagArray(4, cols) = { 4, { PR_SUBJECT_A, PR_IMPORTANCE, PR_DELETED_ON,
                                         PR_ENTRYID } };
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 100, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 6);
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPSPropValue p = rows->aRow[i].lpProps;
        long n = atol(p[0].Value.lpszA + 4);
        assert_int_equal(n % 2, 0);
        assert_int_equal(p[1].ulPropTag, PR_IMPORTANCE);
        assert_int_equal(p[1].Value.l, n % 3);
        assert_int_equal(p[2].ulPropTag, PR_DELETED_ON);
        assert_true(p[2].Value.ft.dwHighDateTime != 0);
    }
    FreeProws(rows);
    /* A restriction on a property of the blob is evaluated on these rows. */
    SPropValue two = { .ulPropTag = PR_IMPORTANCE, .Value.l = 2 };
    SRestriction r = { .rt = RES_PROPERTY };
    r.res.resProperty.relop = RELOP_EQ;
    r.res.resProperty.ulPropTag = PR_IMPORTANCE;
    r.res.resProperty.lpProp = &two;
    assert_int_equal(IMAPITable_Restrict(t, &r, 0), S_OK);
    ULONG n = 0;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), S_OK);
    assert_int_equal(n, 2); /* msg 2 and msg 8 */
    IMAPITable_Release(t);
    MAPIFreeBuffer(l);
    IMAPIFolder_Release(f);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void hard_delete_frees_rows_attachments_recipients_and_streams(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bdhard", path);
    LPMAPIFOLDER f = fx_inbox(mdb);
    bx_fill(f, 0, 9);
    bx_put(f, 0, 100, 200000); /* attachment data in chunk rows */
    LPENTRYLIST all = bx_list(f, 0, 0, 1);
    LPENTRYLIST some = bx_list(f, 0, 0, 3);
    /* Soft first, then hard: DELETE_HARD_DELETE takes soft-deleted ones too. */
    assert_int_equal(IMAPIFolder_DeleteMessages(f, some, 0, NULL, 0), S_OK);
    assert_int_equal(IMAPIFolder_DeleteMessages(f, all, 0, NULL, DELETE_HARD_DELETE), S_OK);
    const char *tables[] = { "messages", "attachments", "recipients", "streams",
                             "stream_chunks" };
    char sql[128];
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
        assert_int_equal(fx_count(path, sql), 0);
    }
    /* Deleting them again: nothing is found, which is reported. */
    assert_int_equal(IMAPIFolder_DeleteMessages(f, all, 0, NULL, DELETE_HARD_DELETE),
                     MAPI_W_PARTIAL_COMPLETION);
    MAPIFreeBuffer(all);
    MAPIFreeBuffer(some);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

/* An ENTRYLIST of n entries copied from the given SBinary values. */
static LPENTRYLIST list_of(ULONG n, const SBinary *b)
{
    LPENTRYLIST l = NULL;
    assert_int_equal(MAPIAllocateBuffer(sizeof *l, (void **)&l), S_OK);
    assert_int_equal(MAPIAllocateMore(n * (ULONG)sizeof(SBinary), l, (void **)&l->lpbin), S_OK);
    l->cValues = n;
    memcpy(l->lpbin, b, n * sizeof(SBinary));
    return l;
}

static void entries_that_cannot_be_deleted_are_skipped_and_reported(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bdpartial", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb), other = bx_subfolder(inbox, "other");
    bx_fill(inbox, 0, 2);
    bx_fill(other, 10, 1);
    /* A submitted message cannot be deleted. */
    LPMESSAGE m = fx_new_message(inbox);
    SPropValue fl = { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = MSGFLAG_SUBMIT };
    assert_int_equal(IMessage_SetProps(m, 1, &fl, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue submitted = fx_get(m, PR_ENTRYID);
    IMessage_Release(m);
    LPENTRYLIST mine = bx_list(inbox, 0, 0, 1), theirs = bx_list(other, 0, 0, 1);
    LPSPropValue folder = fx_get(other, PR_ENTRYID);
    BYTE junk[5] = { 1, 2, 3, 4, 5 };
    SBinary b[] = { mine->lpbin[0], theirs->lpbin[0], folder->Value.bin, { 5, junk },
                    submitted->Value.bin };
    LPENTRYLIST l = list_of(5, b);
    assert_int_equal(IMAPIFolder_DeleteMessages(inbox, l, 0, NULL, 0), MAPI_W_PARTIAL_COMPLETION);
    assert_int_equal(bx_count(inbox, 0), 2); /* the submitted one and the second */
    assert_int_equal(bx_count(other, 0), 1);
    assert_int_equal(IMAPIFolder_DeleteMessages(inbox, l, 0, NULL, DELETE_HARD_DELETE),
                     MAPI_W_PARTIAL_COMPLETION);
    assert_int_equal(bx_count(inbox, 0), 2);
    MAPIFreeBuffer(l);
    MAPIFreeBuffer(folder);
    MAPIFreeBuffer(submitted);
    MAPIFreeBuffer(mine);
    MAPIFreeBuffer(theirs);
    IMAPIFolder_Release(other);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void bad_arguments_are_refused(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bdargs", path);
    LPMAPIFOLDER f = fx_inbox(mdb);
    bx_fill(f, 0, 1);
    LPENTRYLIST l = bx_list(f, 0, 0, 1);
    assert_int_equal(IMAPIFolder_DeleteMessages(f, NULL, 0, NULL, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPIFolder_DeleteMessages(f, l, 0, NULL, 0x4000), MAPI_E_UNKNOWN_FLAGS);
    ENTRYLIST broken = { 1, NULL };
    assert_int_equal(IMAPIFolder_DeleteMessages(f, &broken, 0, NULL, 0),
                     MAPI_E_INVALID_PARAMETER);
    ENTRYLIST empty = { 0, NULL };
    assert_int_equal(IMAPIFolder_DeleteMessages(f, &empty, 0, NULL, 0), S_OK);
    /* A folder opened for reading only deletes nothing. */
    LPSPropValue eid = fx_get(f, PR_ENTRYID);
    ULONG type = 0;
    LPMAPIFOLDER ro = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         NULL, 0, &type, (LPUNKNOWN *)&ro), S_OK);
    assert_int_equal(IMAPIFolder_DeleteMessages(ro, l, 0, NULL, 0), MAPI_E_NO_ACCESS);
    assert_int_equal(bx_count(f, 0), 1);
    IMAPIFolder_Release(ro);
    MAPIFreeBuffer(eid);
    MAPIFreeBuffer(l);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

static void assert_call(const bx_progress *p, int i, char kind, ULONG a, ULONG b, ULONG c)
{
    assert_true(i < p->ncalls);
    assert_int_equal(p->calls[i].kind, kind);
    assert_int_equal(p->calls[i].a, a);
    assert_int_equal(p->calls[i].b, b);
    assert_int_equal(p->calls[i].c, c);
}

static void top_level_progress_counts_messages_after_every_batch(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bdprog", path);
    LPMAPIFOLDER f = fx_inbox(mdb);
    bx_fill(f, 0, 35);
    LPENTRYLIST l = bx_list(f, 0, 0, 1);
    bx_progress p;
    bx_progress_init(&p, 0);
    fm_bulk_set_batch_limits(BATCH, 60000);
    assert_int_equal(IMAPIFolder_DeleteMessages(f, l, 0, (LPMAPIPROGRESS)&p, MESSAGE_DIALOG), S_OK);
    assert_int_equal(p.ncalls, 7);
    assert_call(&p, 0, 'F', MAPI_TOP_LEVEL, 0, 0);
    assert_call(&p, 1, 'L', 0, 35, MAPI_TOP_LEVEL);
    assert_call(&p, 2, 'P', 0, 0, 35);
    assert_call(&p, 3, 'P', 10, 10, 35);
    assert_call(&p, 4, 'P', 20, 20, 35);
    assert_call(&p, 5, 'P', 30, 30, 35);
    assert_call(&p, 6, 'P', 35, 35, 35);
    /* Without MESSAGE_DIALOG the progress object is ignored, as documented. */
    bx_fill(f, 100, 3);
    MAPIFreeBuffer(l);
    l = bx_list(f, 0, 0, 1);
    bx_progress_init(&p, 1);
    assert_int_equal(IMAPIFolder_DeleteMessages(f, l, 0, (LPMAPIPROGRESS)&p, 0), S_OK);
    assert_int_equal(p.ncalls, 0);
    assert_int_equal(bx_count(f, 0), 0);
    fm_bulk_set_batch_limits(0, 0);
    MAPIFreeBuffer(l);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

static void nested_progress_moves_within_the_callers_range(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bdnested", path);
    LPMAPIFOLDER f = fx_inbox(mdb);
    bx_fill(f, 0, 25);
    LPENTRYLIST l = bx_list(f, 0, 0, 1);
    bx_progress p;
    bx_progress_init(&p, 0);
    p.flags = 0;
    p.min = 100;
    p.max = 200;
    fm_bulk_set_batch_limits(BATCH, 60000);
    assert_int_equal(IMAPIFolder_DeleteMessages(f, l, 0, (LPMAPIPROGRESS)&p, MESSAGE_DIALOG), S_OK);
    fm_bulk_set_batch_limits(0, 0);
    assert_int_equal(p.ncalls, 7);
    assert_call(&p, 0, 'F', 0, 0, 0);
    assert_call(&p, 1, 'n', 100, 0, 0);
    assert_call(&p, 2, 'x', 200, 0, 0);
    assert_call(&p, 3, 'P', 100, 0, 0);
    assert_call(&p, 4, 'P', 140, 0, 0);
    assert_call(&p, 5, 'P', 180, 0, 0);
    assert_call(&p, 6, 'P', 200, 0, 0);
    MAPIFreeBuffer(l);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

static void cancel_at_every_batch_boundary_keeps_done_work_and_a_rerun_finishes(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bdcancel", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    fm_bulk_set_batch_limits(BATCH, 60000);
    /* 35 messages: reports before the first batch and after each of 4. */
    for (int k = 1; k <= 5; k++) {
        for (int hard = 0; hard < 2; hard++) {
            char name[32];
            snprintf(name, sizeof name, "c%d%d", k, hard);
            LPMAPIFOLDER f = bx_subfolder(inbox, name);
            bx_fill(f, 0, 35);
            int64_t fid = bx_id_of(f);
            LPENTRYLIST l = bx_list(f, 0, 0, 1);
            bx_progress p;
            bx_progress_init(&p, k);
            p.cancel_with = k % 2 ? MAPI_E_USER_CANCEL : E_FAIL; /* any failure stops */
            ULONG flags = MESSAGE_DIALOG | (hard ? DELETE_HARD_DELETE : 0);
            assert_int_equal(IMAPIFolder_DeleteMessages(f, l, 0, (LPMAPIPROGRESS)&p, flags),
                             MAPI_E_USER_CANCEL);
            long deleted = (k - 1) * BATCH > 35 ? 35 : (k - 1) * BATCH;
            assert_int_equal(live_in(fid), 35 - deleted);
            assert_int_equal(soft_in(fid), hard ? 0 : deleted);
            assert_int_equal(p.nprogress, k);
            /* The same call again finishes the job. */
            assert_int_equal(IMAPIFolder_DeleteMessages(f, l, 0, NULL, flags),
                             deleted ? MAPI_W_PARTIAL_COMPLETION : S_OK);
            assert_int_equal(live_in(fid), 0);
            assert_int_equal(soft_in(fid), hard ? 0 : 35);
            MAPIFreeBuffer(l);
            IMAPIFolder_Release(f);
        }
    }
    assert_true(bx_integrity_ok(path));
    fm_bulk_set_batch_limits(0, 0);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void a_message_deleted_under_its_writer_cannot_be_saved(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bdopen", path);
    LPMAPIFOLDER f = fx_inbox(mdb);
    bx_fill(f, 0, 1);
    LPENTRYLIST l = bx_list(f, 0, 0, 1);
    SPropValue eid = { .ulPropTag = PR_ENTRYID, .Value.bin = l->lpbin[0] };
    LPMESSAGE m = fx_reopen(mdb, &eid, MAPI_MODIFY);
    assert_int_equal(IMAPIFolder_DeleteMessages(f, l, 0, NULL, 0), S_OK);
    fx_set_string(m, PR_SUBJECT, "changed");
    assert_int_equal(IMessage_SaveChanges(m, 0), MAPI_E_OBJECT_DELETED);
    IMessage_Release(m);
    MAPIFreeBuffer(l);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

/* ---- out of memory ---------------------------------------------------------------------- */

typedef struct oom_ctx {
    LPMAPIFOLDER f;
    ULONG flags;
} oom_ctx;

static HRESULT put_two_and_delete(void *p)
{
    oom_ctx *c = p;
    HRESULT hr = S_OK;
    for (int i = 0; i < 2 && hr == S_OK; i++) {
        LPMESSAGE m = NULL;
        hr = IMAPIFolder_CreateMessage(c->f, NULL, 0, &m);
        SPropValue v = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "oom" };
        if (hr == S_OK)
            hr = IMessage_SetProps(m, 1, &v, NULL);
        if (hr == S_OK)
            hr = IMessage_SaveChanges(m, 0);
        if (m != NULL)
            IMessage_Release(m);
    }
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = IMAPIFolder_GetContentsTable(c->f, 0, &t);
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    if (hr == S_OK)
        hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    if (hr == S_OK)
        hr = IMAPITable_QueryRows(t, 100, 0, &rows);
    if (t != NULL)
        IMAPITable_Release(t);
    if (hr != S_OK)
        return hr;
    SBinary b[100];
    ENTRYLIST l = { rows->cRows, b };
    for (ULONG i = 0; i < rows->cRows; i++)
        b[i] = rows->aRow[i].lpProps[0].Value.bin;
    hr = IMAPIFolder_DeleteMessages(c->f, &l, 0, NULL, c->flags);
    FreeProws(rows);
    return hr;
}

static void deleting_survives_every_allocation_failure(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bdoom", path);
    oom_ctx c = { fx_inbox(mdb), 0 };
    assert_true(fm_test_oom_sweep(put_two_and_delete, &c) > 20);
    c.flags = DELETE_HARD_DELETE;
    assert_true(fm_test_oom_sweep(put_two_and_delete, &c) > 20);
    IMAPIFolder_Release(c.f);
    IMsgStore_Release(mdb);
}

static HRESULT read_soft_rows(void *p)
{
    oom_ctx *c = p;
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    SizedSPropTagArray(3, cols) = { 3, { PR_ENTRYID, PR_IMPORTANCE, PR_DELETED_ON } };
    HRESULT hr = IMAPIFolder_GetContentsTable(c->f, SHOW_SOFT_DELETES, &t);
    if (hr == S_OK)
        hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    if (hr == S_OK)
        hr = IMAPITable_QueryRows(t, 10, 0, &rows);
    if (hr == S_OK && rows->cRows == 0)
        hr = MAPI_E_CALL_FAILED; /* the soft-deleted rows must be there */
    if (rows != NULL)
        FreeProws(rows);
    if (t != NULL)
        IMAPITable_Release(t);
    return hr;
}

static void reading_soft_deleted_rows_survives_every_allocation_failure(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bdsoftoom", path);
    oom_ctx c = { fx_inbox(mdb), 0 };
    bx_fill(c.f, 0, 3);
    LPENTRYLIST l = bx_list(c.f, 0, 0, 1);
    assert_int_equal(IMAPIFolder_DeleteMessages(c.f, l, 0, NULL, 0), S_OK);
    assert_true(fm_test_oom_sweep(read_soft_rows, &c) > 20);
    MAPIFreeBuffer(l);
    IMAPIFolder_Release(c.f);
    IMsgStore_Release(mdb);
}

static void deleting_leaks_nothing(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bdleak", path);
    oom_ctx c = { fx_inbox(mdb), 0 };
    assert_int_equal(put_two_and_delete(&c), S_OK); /* warms the statement cache */
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    assert_int_equal(put_two_and_delete(&c), S_OK);
    c.flags = DELETE_HARD_DELETE;
    assert_int_equal(put_two_and_delete(&c), S_OK);
    fm_test_assert_no_leak(&b);
    IMAPIFolder_Release(c.f);
    IMsgStore_Release(mdb);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(soft_delete_keeps_messages_recoverable_and_visible_with_show_soft_deletes),
        cmocka_unit_test(hard_delete_frees_rows_attachments_recipients_and_streams),
        cmocka_unit_test(entries_that_cannot_be_deleted_are_skipped_and_reported),
        cmocka_unit_test(bad_arguments_are_refused),
        cmocka_unit_test(top_level_progress_counts_messages_after_every_batch),
        cmocka_unit_test(nested_progress_moves_within_the_callers_range),
        cmocka_unit_test(cancel_at_every_batch_boundary_keeps_done_work_and_a_rerun_finishes),
        cmocka_unit_test(a_message_deleted_under_its_writer_cannot_be_saved),
        cmocka_unit_test(deleting_survives_every_allocation_failure),
        cmocka_unit_test(reading_soft_deleted_rows_survives_every_allocation_failure),
        cmocka_unit_test(deleting_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
