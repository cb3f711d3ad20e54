/*
 * tests/store/test_bulk_copy.c - IMAPIFolder::CopyMessages: copies within a
 * store are whole new messages (recipients, attachments and their data),
 * moves keep the message's entry ID and leave it in exactly one folder,
 * copies and moves across stores go through the public interfaces; entries
 * that are not messages of the folder are skipped and reported; progress,
 * cancel at every batch boundary and a re-run that finishes.
 */
#include "test_bulk_fixture.h"

#define BATCH 10

static char path[600], path2[600];

/* Checks that message row i of f is a whole copy of message number n. */
static void assert_whole(LPMAPIFOLDER f, LPMDB mdb)
{
    LPSRowSet rows = bx_rows(f, 0);
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPMESSAGE m = fx_reopen(mdb, &rows->aRow[i].lpProps[0], 0);
        LPSPropValue subj = fx_get(m, PR_SUBJECT_A), imp = fx_get(m, PR_IMPORTANCE);
        long n = atol(subj->Value.lpszA + 4);
        assert_int_equal(imp->Value.l, n % 3);
        LPMAPITABLE t = NULL;
        ULONG count = 0;
        assert_int_equal(IMessage_GetRecipientTable(m, 0, &t), S_OK);
        assert_int_equal(IMAPITable_GetRowCount(t, 0, &count), S_OK);
        assert_int_equal(count, 1);
        IMAPITable_Release(t);
        assert_int_equal(IMessage_GetAttachmentTable(m, 0, &t), S_OK);
        assert_int_equal(IMAPITable_GetRowCount(t, 0, &count), S_OK);
        assert_int_equal(count, n % 3 == 0 ? 1 : 0);
        IMAPITable_Release(t);
        if (n % 3 == 0) {
            LPATTACH a = NULL;
            assert_int_equal(IMessage_OpenAttach(m, 0, NULL, 0, &a), S_OK);
            LPSPropValue data = fx_get(a, PR_ATTACH_DATA_BIN);
            assert_int_equal(data->Value.bin.cb, 300);
            assert_int_equal(data->Value.bin.lpb[299], (BYTE)(n & 0xFF));
            MAPIFreeBuffer(data);
            IAttach_Release(a);
        }
        MAPIFreeBuffer(subj);
        MAPIFreeBuffer(imp);
        IMessage_Release(m);
    }
    FreeProws(rows);
}

static void copies_within_a_store_are_whole_new_messages(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bccopy", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb), dest = bx_subfolder(inbox, "dest");
    bx_fill(inbox, 0, 6);
    bx_put(inbox, MAPI_ASSOCIATED, 9, 0);
    LPENTRYLIST l = bx_list(inbox, 0, 0, 1);
    assert_int_equal(IMAPIFolder_CopyMessages(inbox, l, NULL, dest, 0, NULL, 0), S_OK);
    assert_int_equal(bx_count(inbox, 0), 6);
    assert_int_equal(bx_count(dest, 0), 6);
    assert_whole(dest, mdb);
    LPENTRYLIST copies = bx_list(dest, 0, 0, 1);
    for (ULONG i = 0; i < copies->cValues; i++)
        for (ULONG j = 0; j < l->cValues; j++)
            assert_false(copies->lpbin[i].cb == l->lpbin[j].cb &&
                         memcmp(copies->lpbin[i].lpb, l->lpbin[j].lpb, l->lpbin[j].cb) == 0);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM attachments"), 4);
    /* Associated messages are copied as associated ones. */
    LPENTRYLIST fai = bx_list(inbox, MAPI_ASSOCIATED, 0, 1);
    assert_int_equal(IMAPIFolder_CopyMessages(inbox, fai, &IID_IMAPIFolder, dest, 0, NULL, 0),
                     S_OK);
    assert_int_equal(bx_count(dest, MAPI_ASSOCIATED), 1);
    assert_int_equal(bx_count(dest, 0), 6);
    MAPIFreeBuffer(fai);
    MAPIFreeBuffer(copies);
    MAPIFreeBuffer(l);
    IMAPIFolder_Release(dest);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void moves_within_a_store_keep_the_entry_id_and_one_place(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bcmove", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb), dest = bx_subfolder(inbox, "dest");
    bx_fill(inbox, 0, 6);
    LPENTRYLIST l = bx_list(inbox, 0, 0, 2);
    assert_int_equal(IMAPIFolder_CopyMessages(inbox, l, NULL, dest, 0, NULL, MESSAGE_MOVE), S_OK);
    assert_int_equal(bx_count(inbox, 0), 3);
    assert_int_equal(bx_count(dest, 0), 3);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 6);
    LPSPropValue dest_eid = fx_get(dest, PR_ENTRYID);
    for (ULONG i = 0; i < l->cValues; i++) {
        SPropValue eid = { .ulPropTag = PR_ENTRYID, .Value.bin = l->lpbin[i] };
        LPMESSAGE m = fx_reopen(mdb, &eid, 0);
        LPSPropValue parent = fx_get(m, PR_PARENT_ENTRYID);
        assert_int_equal(parent->Value.bin.cb, dest_eid->Value.bin.cb);
        assert_memory_equal(parent->Value.bin.lpb, dest_eid->Value.bin.lpb,
                            dest_eid->Value.bin.cb);
        MAPIFreeBuffer(parent);
        IMessage_Release(m);
    }
    assert_whole(dest, mdb);
    /* Moving again from where they no longer are: nothing found. */
    assert_int_equal(IMAPIFolder_CopyMessages(inbox, l, NULL, dest, 0, NULL, MESSAGE_MOVE),
                     MAPI_W_PARTIAL_COMPLETION);
    /* Onto their own folder: they stay where they are. */
    assert_int_equal(IMAPIFolder_CopyMessages(dest, l, NULL, dest, 0, NULL, MESSAGE_MOVE), S_OK);
    assert_int_equal(bx_count(dest, 0), 3);
    MAPIFreeBuffer(dest_eid);
    MAPIFreeBuffer(l);
    IMAPIFolder_Release(dest);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void copies_and_moves_across_stores_bring_the_whole_message(void **st)
{
    (void)st;
    LPMDB a = bx_new_store("bcxa", path), b = bx_new_store("bcxb", path2);
    LPMAPIFOLDER src = fx_inbox(a), dst = fx_inbox(b);
    bx_fill(src, 0, 6);
    LPENTRYLIST l = bx_list(src, 0, 0, 1);
    assert_int_equal(IMAPIFolder_CopyMessages(src, l, NULL, dst, 0, NULL, 0), S_OK);
    assert_int_equal(bx_count(src, 0), 6);
    assert_int_equal(bx_count(dst, 0), 6);
    assert_whole(dst, b);
    assert_int_equal(IMAPIFolder_CopyMessages(src, l, NULL, dst, 0, NULL, MESSAGE_MOVE), S_OK);
    assert_int_equal(bx_count(src, 0), 0);
    assert_int_equal(bx_count(dst, 0), 12);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 0);
    assert_int_equal(fx_count(path2, "SELECT count(*) FROM messages"), 12);
    MAPIFreeBuffer(l);
    IMAPIFolder_Release(src);
    IMAPIFolder_Release(dst);
    IMsgStore_Release(a);
    IMsgStore_Release(b);
}

static void bad_arguments_and_foreign_entries_are_refused_or_reported(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bcargs", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb), dest = bx_subfolder(inbox, "dest");
    bx_fill(inbox, 0, 2);
    bx_fill(dest, 10, 1);
    LPENTRYLIST l = bx_list(inbox, 0, 0, 1), theirs = bx_list(dest, 0, 0, 1);
    assert_int_equal(IMAPIFolder_CopyMessages(inbox, NULL, NULL, dest, 0, NULL, 0),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPIFolder_CopyMessages(inbox, l, NULL, NULL, 0, NULL, 0),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPIFolder_CopyMessages(inbox, l, &IID_IMessage, dest, 0, NULL, 0),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_int_equal(IMAPIFolder_CopyMessages(inbox, l, NULL, dest, 0, NULL, 0x100),
                     MAPI_E_UNKNOWN_FLAGS);
    LPSPropValue eid = fx_get(inbox, PR_ENTRYID), deid = fx_get(dest, PR_ENTRYID);
    ULONG type = 0;
    LPMAPIFOLDER ro = NULL, rodest = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         NULL, 0, &type, (LPUNKNOWN *)&ro), S_OK);
    assert_int_equal(IMsgStore_OpenEntry(mdb, deid->Value.bin.cb,
                                         (LPENTRYID)deid->Value.bin.lpb, NULL, 0, &type,
                                         (LPUNKNOWN *)&rodest), S_OK);
    assert_int_equal(IMAPIFolder_CopyMessages(ro, l, NULL, dest, 0, NULL, MESSAGE_MOVE),
                     MAPI_E_NO_ACCESS);
    assert_int_equal(IMAPIFolder_CopyMessages(inbox, l, NULL, rodest, 0, NULL, 0),
                     MAPI_E_NO_ACCESS);
    /* Copying out of a read-only folder is allowed. */
    assert_int_equal(IMAPIFolder_CopyMessages(ro, l, NULL, dest, 0, NULL, 0), S_OK);
    assert_int_equal(bx_count(dest, 0), 3);
    BYTE junk[3] = { 9, 9, 9 };
    SBinary b[] = { l->lpbin[0], theirs->lpbin[0], { 3, junk } };
    ENTRYLIST mixed = { 3, b };
    assert_int_equal(IMAPIFolder_CopyMessages(inbox, &mixed, NULL, dest, 0, NULL, MESSAGE_MOVE),
                     MAPI_W_PARTIAL_COMPLETION);
    assert_int_equal(bx_count(inbox, 0), 1);
    assert_int_equal(bx_count(dest, 0), 4);
    IMAPIFolder_Release(ro);
    IMAPIFolder_Release(rodest);
    MAPIFreeBuffer(eid);
    MAPIFreeBuffer(deid);
    MAPIFreeBuffer(l);
    MAPIFreeBuffer(theirs);
    IMAPIFolder_Release(dest);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

/* Moves 35 messages from a new folder, cancelling at Progress call k; the
 * moved and the unmoved add up, and the same call again finishes. */
static void cancel_then_rerun(LPMAPIFOLDER parent, LPMAPIFOLDER dest, int k, const char *tag)
{
    char name[32];
    snprintf(name, sizeof name, "%s%d", tag, k);
    LPMAPIFOLDER f = bx_subfolder(parent, name);
    bx_fill(f, 0, 35);
    ULONG before = bx_count(dest, 0);
    LPENTRYLIST l = bx_list(f, 0, 0, 1);
    bx_progress p;
    bx_progress_init(&p, k);
    assert_int_equal(IMAPIFolder_CopyMessages(f, l, NULL, dest, 0, (LPMAPIPROGRESS)&p,
                                              MESSAGE_MOVE | MESSAGE_DIALOG),
                     MAPI_E_USER_CANCEL);
    ULONG moved = (ULONG)((k - 1) * BATCH > 35 ? 35 : (k - 1) * BATCH);
    assert_int_equal(bx_count(dest, 0) - before, moved);
    assert_int_equal(bx_count(f, 0), 35 - moved);
    assert_int_equal(IMAPIFolder_CopyMessages(f, l, NULL, dest, 0, NULL, MESSAGE_MOVE),
                     moved ? MAPI_W_PARTIAL_COMPLETION : S_OK);
    assert_int_equal(bx_count(dest, 0) - before, 35);
    assert_int_equal(bx_count(f, 0), 0);
    MAPIFreeBuffer(l);
    IMAPIFolder_Release(f);
}

static void cancel_at_every_batch_boundary_then_a_rerun_finishes_the_move(void **st)
{
    (void)st;
    LPMDB a = bx_new_store("bccancel", path), b = bx_new_store("bccancel2", path2);
    LPMAPIFOLDER inbox = fx_inbox(a), dest = bx_subfolder(inbox, "dest"), remote = fx_inbox(b);
    fm_bulk_set_batch_limits(BATCH, 60000);
    for (int k = 1; k <= 5; k++) {
        cancel_then_rerun(inbox, dest, k, "local");
        cancel_then_rerun(inbox, remote, k, "remote");
    }
    /* The progress of a copy counts the list's entries. */
    LPENTRYLIST l = bx_list(dest, 0, 0, 7);
    bx_progress p;
    bx_progress_init(&p, 0);
    assert_int_equal(IMAPIFolder_CopyMessages(dest, l, NULL, inbox, 0, (LPMAPIPROGRESS)&p,
                                              MESSAGE_DIALOG), S_OK);
    assert_int_equal(p.calls[1].kind, 'L');
    assert_int_equal(p.calls[1].b, l->cValues);
    assert_int_equal(p.calls[p.ncalls - 1].a, l->cValues);
    assert_int_equal(p.calls[p.ncalls - 1].b, l->cValues);
    fm_bulk_set_batch_limits(0, 0);
    assert_true(bx_integrity_ok(path));
    assert_true(bx_integrity_ok(path2));
    MAPIFreeBuffer(l);
    IMAPIFolder_Release(remote);
    IMAPIFolder_Release(dest);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(a);
    IMsgStore_Release(b);
}

typedef struct oom_ctx {
    LPMAPIFOLDER src, dest;
    ULONG flags;
} oom_ctx;

static HRESULT copy_first(void *p)
{
    oom_ctx *c = p;
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    HRESULT hr = IMAPIFolder_GetContentsTable(c->src, 0, &t);
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    if (hr == S_OK)
        hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    if (hr == S_OK)
        hr = IMAPITable_QueryRows(t, 1, 0, &rows);
    if (t != NULL)
        IMAPITable_Release(t);
    if (hr != S_OK)
        return hr;
    ENTRYLIST l = { rows->cRows, rows->cRows ? &rows->aRow[0].lpProps[0].Value.bin : NULL };
    hr = IMAPIFolder_CopyMessages(c->src, &l, NULL, c->dest, 0, NULL, c->flags);
    FreeProws(rows);
    return hr;
}

static void copying_survives_every_allocation_failure(void **st)
{
    (void)st;
    LPMDB a = bx_new_store("bcoom", path), b = bx_new_store("bcoom2", path2);
    LPMAPIFOLDER inbox = fx_inbox(a);
    oom_ctx c = { inbox, bx_subfolder(inbox, "dest"), 0 };
    bx_put(inbox, 0, 3, 300);
    assert_true(fm_test_oom_sweep(copy_first, &c) > 20);
    LPMAPIFOLDER remote = fx_inbox(b);
    IMAPIFolder_Release(c.dest);
    c.dest = remote;
    assert_true(fm_test_oom_sweep(copy_first, &c) > 20);
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    assert_int_equal(copy_first(&c), S_OK);
    fm_test_assert_no_leak(&base);
    IMAPIFolder_Release(remote);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(a);
    IMsgStore_Release(b);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(copies_within_a_store_are_whole_new_messages),
        cmocka_unit_test(moves_within_a_store_keep_the_entry_id_and_one_place),
        cmocka_unit_test(copies_and_moves_across_stores_bring_the_whole_message),
        cmocka_unit_test(bad_arguments_and_foreign_entries_are_refused_or_reported),
        cmocka_unit_test(cancel_at_every_batch_boundary_then_a_rerun_finishes_the_move),
        cmocka_unit_test(copying_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
