/*
 * tests/store/test_bulk_empty.c - IMAPIFolder::EmptyFolder: every message
 * and subfolder goes (soft by default, DELETE_HARD_DELETE frees them, with
 * their stream files), associated messages only with DEL_ASSOCIATED;
 * progress counts messages and subfolders, subfolder trees as nested work;
 * a cancel at any batch boundary keeps what was done and a re-run finishes.
 */
#include <dirent.h>

#include "store/stream_file.h"
#include "test_bulk_fixture.h"

#define BATCH 10

static char path[600];

static long live_in(int64_t fid, int assoc)
{
    return bx_sql(path, "SELECT count(*) FROM messages WHERE fid = %lld AND assoc = %d AND"
                        " deleted_at IS NULL", (long long)fid, assoc);
}

static long rows_in(int64_t fid)
{
    return bx_sql(path, "SELECT count(*) FROM messages WHERE fid = %lld", (long long)fid);
}

static ULONG hierarchy_rows(LPMAPIFOLDER f, ULONG flags)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetHierarchyTable(f, flags, &t), S_OK);
    ULONG n = 0;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), S_OK);
    IMAPITable_Release(t);
    return n;
}

/* A folder with 20 messages, 3 associated ones and two subfolders (one with
 * a subfolder of its own), each with messages. */
static LPMAPIFOLDER populated(LPMAPIFOLDER parent, const char *name)
{
    LPMAPIFOLDER f = bx_subfolder(parent, name);
    bx_fill(f, 0, 20);
    for (int i = 0; i < 3; i++)
        bx_put(f, MAPI_ASSOCIATED, 100 + i, 0);
    LPMAPIFOLDER a = bx_subfolder(f, "a"), b = bx_subfolder(f, "b"), c = bx_subfolder(a, "c");
    bx_fill(a, 200, 4);
    bx_fill(b, 300, 2);
    bx_fill(c, 400, 3);
    IMAPIFolder_Release(a);
    IMAPIFolder_Release(b);
    IMAPIFolder_Release(c);
    return f;
}

static void soft_empty_keeps_associated_messages_and_soft_deletes_subfolders(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("besoft", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb), f = populated(inbox, "full");
    int64_t fid = bx_id_of(f);
    assert_int_equal(IMAPIFolder_EmptyFolder(f, 0, NULL, 0), S_OK);
    assert_int_equal(live_in(fid, 0), 0);
    assert_int_equal(live_in(fid, 1), 3);
    assert_int_equal(bx_count(f, 0), 0);
    assert_int_equal(bx_count(f, SHOW_SOFT_DELETES), 20);
    assert_int_equal(hierarchy_rows(f, 0), 0);
    assert_int_equal(hierarchy_rows(f, SHOW_SOFT_DELETES), 2);
    assert_int_equal(hierarchy_rows(f, SHOW_SOFT_DELETES | CONVENIENT_DEPTH), 3);
    /* Nothing was freed: every message of the tree is still a row. */
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages WHERE deleted_at IS NOT NULL"),
                     20 + 4 + 2 + 3);
    LPSPropValue sub = fx_get(f, PR_SUBFOLDERS);
    assert_false(sub->Value.b);
    MAPIFreeBuffer(sub);
    /* DEL_ASSOCIATED takes the associated ones too. */
    assert_int_equal(IMAPIFolder_EmptyFolder(f, 0, NULL, DEL_ASSOCIATED), S_OK);
    assert_int_equal(live_in(fid, 1), 0);
    assert_int_equal(bx_count(f, MAPI_ASSOCIATED | SHOW_SOFT_DELETES), 3);
    IMAPIFolder_Release(f);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void hard_empty_frees_everything_and_its_stream_files(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("behard", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb), f = populated(inbox, "full");
    bx_put(f, 0, 999, FM_STREAM_FILE_MIN + 10); /* data in a companion file */
    assert_int_equal(bx_stream_files(path), 1);
    int64_t fid = bx_id_of(f);
    LPENTRYLIST some = bx_list(f, 0, 0, 4);
    assert_int_equal(IMAPIFolder_DeleteMessages(f, some, 0, NULL, 0), S_OK);
    assert_int_equal(IMAPIFolder_EmptyFolder(f, 0, NULL, DELETE_HARD_DELETE | DEL_ASSOCIATED),
                     S_OK);
    assert_int_equal(rows_in(fid), 0);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 0);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM attachments"), 0);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM recipients"), 0);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM streams"), 0);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM stream_chunks"), 0);
    assert_int_equal(bx_sql(path, "SELECT count(*) FROM folders WHERE parent_fid = %lld",
                            (long long)fid), 0);
    assert_int_equal(bx_stream_files(path), 0);
    assert_int_equal(hierarchy_rows(f, SHOW_SOFT_DELETES), 0);
    assert_true(bx_integrity_ok(path));
    MAPIFreeBuffer(some);
    IMAPIFolder_Release(f);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void bad_arguments_are_refused_and_submitted_messages_stay(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("beargs", path);
    LPMAPIFOLDER f = fx_inbox(mdb);
    bx_fill(f, 0, 1);
    assert_int_equal(IMAPIFolder_EmptyFolder(f, 0, NULL, 0x1000), MAPI_E_UNKNOWN_FLAGS);
    LPSPropValue eid = fx_get(f, PR_ENTRYID);
    ULONG type = 0;
    LPMAPIFOLDER ro = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         NULL, 0, &type, (LPUNKNOWN *)&ro), S_OK);
    assert_int_equal(IMAPIFolder_EmptyFolder(ro, 0, NULL, 0), MAPI_E_NO_ACCESS);
    assert_int_equal(bx_count(f, 0), 1);
    /* A submitted message stays, and says so. */
    LPMESSAGE m = fx_new_message(f);
    SPropValue fl = { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = MSGFLAG_SUBMIT };
    assert_int_equal(IMessage_SetProps(m, 1, &fl, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
    assert_int_equal(IMAPIFolder_EmptyFolder(f, 0, NULL, 0), MAPI_W_PARTIAL_COMPLETION);
    assert_int_equal(bx_count(f, 0), 1);
    assert_int_equal(IMAPIFolder_EmptyFolder(f, 0, NULL, DELETE_HARD_DELETE),
                     MAPI_W_PARTIAL_COMPLETION);
    assert_int_equal(bx_count(f, 0), 1);
    assert_int_equal(bx_count(f, SHOW_SOFT_DELETES), 0);
    IMAPIFolder_Release(ro);
    MAPIFreeBuffer(eid);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

static void progress_counts_messages_then_subfolders_with_their_trees_nested(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("beprog", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb), f = bx_subfolder(inbox, "p");
    bx_fill(f, 0, 25);
    fm_bulk_set_batch_limits(BATCH, 60000);
    bx_progress p;
    bx_progress_init(&p, 0);
    assert_int_equal(IMAPIFolder_EmptyFolder(f, 0, (LPMAPIPROGRESS)&p, FOLDER_DIALOG), S_OK);
    assert_int_equal(p.ncalls, 6);
    const bx_call want[] = { { 'F', MAPI_TOP_LEVEL, 0, 0 }, { 'L', 0, 25, MAPI_TOP_LEVEL },
                             { 'P', 0, 0, 25 },           { 'P', 10, 10, 25 },
                             { 'P', 20, 20, 25 },         { 'P', 25, 25, 25 } };
    for (int i = 0; i < 6; i++) {
        assert_int_equal(p.calls[i].kind, want[i].kind);
        assert_int_equal(p.calls[i].a, want[i].a);
        assert_int_equal(p.calls[i].b, want[i].b);
        assert_int_equal(p.calls[i].c, want[i].c);
    }
    /* Five messages and one subfolder holding five: six top-level items. */
    bx_fill(f, 100, 5);
    LPMAPIFOLDER kid = bx_subfolder(f, "kid");
    bx_fill(kid, 200, 5);
    IMAPIFolder_Release(kid);
    bx_progress_init(&p, 0);
    assert_int_equal(IMAPIFolder_EmptyFolder(f, 0, (LPMAPIPROGRESS)&p, FOLDER_DIALOG), S_OK);
    ULONG top[8][2];
    int ntop = 0;
    for (int i = 0; i < p.ncalls; i++) {
        const bx_call *c = &p.calls[i];
        if (c->kind == 'P' && c->c != 0) {
            assert_true(ntop < 8);
            assert_int_equal(c->c, 6);
            assert_int_equal(c->a, c->b);
            top[ntop][0] = c->a;
            top[ntop++][1] = c->b;
        } else if (c->kind == 'P') {
            /* Nested work: within the subfolder's share (5..6), no counts. */
            assert_int_equal(c->b, 0);
            assert_true(c->a >= 5 && c->a <= 6);
        } else if (c->kind == 'L' && c->c == 0) {
            assert_true(i + 1 < p.ncalls);
        }
    }
    assert_int_equal(ntop, 3);
    assert_int_equal(top[0][0], 0);
    assert_int_equal(top[1][0], 5);
    assert_int_equal(top[2][0], 6);
    assert_int_equal(p.calls[p.ncalls - 1].kind, 'P');
    assert_int_equal(p.calls[p.ncalls - 1].a, 6);
    /* The last SetLimits restores the top level. */
    for (int i = p.ncalls - 1; i >= 0; i--) {
        if (p.calls[i].kind == 'L') {
            assert_int_equal(p.calls[i].c, MAPI_TOP_LEVEL);
            assert_int_equal(p.calls[i].a, 0);
            assert_int_equal(p.calls[i].b, 6);
            break;
        }
    }
    fm_bulk_set_batch_limits(0, 0);
    IMAPIFolder_Release(f);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void cancel_at_every_batch_boundary_then_a_rerun_empties_the_folder(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("becancel", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    fm_bulk_set_batch_limits(BATCH, 60000);
    for (int k = 1; k <= 5; k++) {
        for (int hard = 0; hard < 2; hard++) {
            char name[32];
            snprintf(name, sizeof name, "c%d%d", k, hard);
            LPMAPIFOLDER f = bx_subfolder(inbox, name);
            bx_fill(f, 0, 35);
            int64_t fid = bx_id_of(f);
            bx_progress p;
            bx_progress_init(&p, k);
            ULONG flags = FOLDER_DIALOG | (hard ? DELETE_HARD_DELETE : 0);
            assert_int_equal(IMAPIFolder_EmptyFolder(f, 0, (LPMAPIPROGRESS)&p, flags),
                             MAPI_E_USER_CANCEL);
            /* the progress object's answer as a 32-bit code, not sign-extended */
            assert_non_null(strstr(fmapi_last_error(), "(0x80040113)"));
            long deleted = (k - 1) * BATCH > 35 ? 35 : (k - 1) * BATCH;
            assert_int_equal(live_in(fid, 0), 35 - deleted);
            assert_int_equal(rows_in(fid), hard ? 35 - deleted : 35);
            assert_int_equal(IMAPIFolder_EmptyFolder(f, 0, NULL, flags), S_OK);
            assert_int_equal(live_in(fid, 0), 0);
            assert_int_equal(rows_in(fid), hard ? 0 : 35);
            IMAPIFolder_Release(f);
        }
    }
    fm_bulk_set_batch_limits(0, 0);
    assert_true(bx_integrity_ok(path));
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

/* ---- out of memory ------------------------------------------------------------------ */

typedef struct oom_ctx {
    LPMAPIFOLDER f;
    ULONG flags;
} oom_ctx;

static HRESULT put_one(LPMAPIFOLDER f)
{
    LPMESSAGE m = NULL;
    HRESULT hr = IMAPIFolder_CreateMessage(f, NULL, 0, &m);
    SPropValue v = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "oom" };
    if (hr == S_OK)
        hr = IMessage_SetProps(m, 1, &v, NULL);
    if (hr == S_OK)
        hr = IMessage_SaveChanges(m, 0);
    if (m != NULL)
        IMessage_Release(m);
    return hr;
}

static HRESULT fill_and_empty(void *p)
{
    oom_ctx *c = p;
    LPMAPIFOLDER kid = NULL;
    HRESULT hr = IMAPIFolder_CreateFolder(c->f, FOLDER_GENERIC, (LPTSTR) "kid", NULL, NULL,
                                          OPEN_IF_EXISTS, &kid);
    if (hr == S_OK)
        hr = put_one(kid);
    if (kid != NULL)
        IMAPIFolder_Release(kid);
    if (hr == S_OK)
        hr = put_one(c->f);
    if (hr == S_OK)
        hr = IMAPIFolder_EmptyFolder(c->f, 0, NULL, c->flags);
    return hr;
}

static void emptying_survives_every_allocation_failure(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("beoom", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    oom_ctx c = { bx_subfolder(inbox, "o"), 0 };
    assert_true(fm_test_oom_sweep(fill_and_empty, &c) > 20);
    c.flags = DELETE_HARD_DELETE | DEL_ASSOCIATED;
    assert_true(fm_test_oom_sweep(fill_and_empty, &c) > 20);
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    assert_int_equal(fill_and_empty(&c), S_OK);
    fm_test_assert_no_leak(&b);
    IMAPIFolder_Release(c.f);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(soft_empty_keeps_associated_messages_and_soft_deletes_subfolders),
        cmocka_unit_test(hard_empty_frees_everything_and_its_stream_files),
        cmocka_unit_test(bad_arguments_are_refused_and_submitted_messages_stay),
        cmocka_unit_test(progress_counts_messages_then_subfolders_with_their_trees_nested),
        cmocka_unit_test(cancel_at_every_batch_boundary_then_a_rerun_empties_the_folder),
        cmocka_unit_test(emptying_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
