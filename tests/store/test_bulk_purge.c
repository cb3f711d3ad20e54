/*
 * tests/store/test_bulk_purge.c - fmapi_store_purge: soft-deleted messages
 * (and deleted folders left empty) are freed with everything under them
 * once old enough; younger ones and live ones stay; progress and cancel
 * work as for the other bulk operations; bad arguments are refused.
 */
#include <dirent.h>

#include "store/stream_file.h"
#include "test_bulk_fixture.h"

static char path[600];

static void purge_frees_soft_deleted_messages_and_folders_and_keeps_live_ones(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bpall", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb), keep = bx_subfolder(inbox, "keep");
    LPMAPIFOLDER gone = bx_subfolder(inbox, "gone");
    bx_fill(inbox, 0, 12);
    bx_put(inbox, 0, 50, FM_STREAM_FILE_MIN + 1);
    bx_fill(keep, 100, 5);
    bx_fill(gone, 200, 4);
    LPSPropValue gone_eid = fx_get(gone, PR_ENTRYID);
    IMAPIFolder_Release(gone);
    /* Every message and both subfolders are soft-deleted; then a live one. */
    assert_int_equal(IMAPIFolder_EmptyFolder(inbox, 0, NULL, 0), S_OK);
    LPMAPIFOLDER live = bx_subfolder(inbox, "live");
    bx_fill(live, 300, 6);
    long deleted = fx_count(path, "SELECT count(*) FROM messages WHERE deleted_at IS NOT NULL");
    assert_int_equal(deleted, 13 + 5 + 4);
    assert_int_equal(bx_stream_files(path), 1);
    ULONG n = 0;
    assert_int_equal(fmapi_store_purge(mdb, 0, NULL, 0, &n), S_OK);
    assert_int_equal(n, 13 + 5 + 4);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages WHERE deleted_at IS NOT NULL"),
                     0);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 6);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM recipients"), 6);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM attachments"), 2);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM attachments a WHERE NOT EXISTS"
                                    " (SELECT 1 FROM messages m WHERE m.mid = a.mid)"), 0);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM streams s WHERE NOT EXISTS (SELECT 1"
                                    " FROM attachments a WHERE a.aid = s.owner_id)"), 0);
    assert_int_equal(bx_stream_files(path), 0);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM folders WHERE deleted_at IS NOT NULL"),
                     0);
    ULONG type = 0;
    LPUNKNOWN u = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, gone_eid->Value.bin.cb,
                                         (LPENTRYID)gone_eid->Value.bin.lpb, NULL, 0, &type, &u),
                     MAPI_E_NOT_FOUND);
    assert_int_equal(bx_count(live, 0), 6);
    /* Nothing left: a second purge frees nothing. */
    assert_int_equal(fmapi_store_purge(mdb, 0, NULL, 0, &n), S_OK);
    assert_int_equal(n, 0);
    assert_true(bx_integrity_ok(path));
    MAPIFreeBuffer(gone_eid);
    IMAPIFolder_Release(live);
    IMAPIFolder_Release(keep);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void purge_by_age_leaves_younger_deletions(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bpage", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    bx_fill(inbox, 0, 8);
    assert_int_equal(IMAPIFolder_EmptyFolder(inbox, 0, NULL, 0), S_OK);
    /* Two of them were deleted two days ago. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE messages SET deleted_at = deleted_at - "
                                      "2 * 86400 * 10000000 WHERE mid IN (SELECT mid FROM "
                                      "messages ORDER BY mid LIMIT 2)", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    ULONG n = 99;
    assert_int_equal(fmapi_store_purge(mdb, 3 * 86400, NULL, 0, &n), S_OK);
    assert_int_equal(n, 0);
    assert_int_equal(fmapi_store_purge(mdb, 86400, NULL, 0, &n), S_OK);
    assert_int_equal(n, 2);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 6);
    assert_int_equal(fmapi_store_purge(mdb, 0, NULL, 0, NULL), S_OK);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 0);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void purge_reports_progress_and_stops_when_asked(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bpprog", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    bx_fill(inbox, 0, 25);
    assert_int_equal(IMAPIFolder_EmptyFolder(inbox, 0, NULL, 0), S_OK);
    fm_bulk_set_batch_limits(10, 60000);
    bx_progress p;
    bx_progress_init(&p, 2);
    ULONG n = 0;
    assert_int_equal(fmapi_store_purge(mdb, 0, (LPMAPIPROGRESS)&p, 0, &n), MAPI_E_USER_CANCEL);
    assert_int_equal(n, 10);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 15);
    assert_int_equal(p.calls[0].kind, 'F');
    assert_int_equal(p.calls[1].kind, 'L');
    assert_int_equal(p.calls[1].b, 25);
    assert_int_equal(p.calls[2].kind, 'P');
    assert_int_equal(p.calls[3].a, 10);
    assert_int_equal(p.calls[3].b, 10);
    assert_int_equal(p.calls[3].c, 25);
    bx_progress_init(&p, 0);
    assert_int_equal(fmapi_store_purge(mdb, 0, (LPMAPIPROGRESS)&p, 0, &n), S_OK);
    assert_int_equal(n, 15);
    assert_int_equal(p.calls[p.ncalls - 1].a, 15);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 0);
    fm_bulk_set_batch_limits(0, 0);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void bad_arguments_are_refused(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bpargs", path);
    ULONG n = 7;
    assert_int_equal(fmapi_store_purge(NULL, 0, NULL, 0, &n), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(n, 0);
    assert_int_equal(fmapi_store_purge(mdb, 0, NULL, 1, &n), MAPI_E_UNKNOWN_FLAGS);
    IMsgStore_Release(mdb);
    LPMDB ro = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_READONLY, &ro), S_OK);
    assert_int_equal(fmapi_store_purge(ro, 0, NULL, 0, &n), MAPI_E_NO_ACCESS);
    IMsgStore_Release(ro);
}

typedef struct oom_ctx {
    LPMDB mdb;
    LPMAPIFOLDER f;
} oom_ctx;

static HRESULT delete_and_purge(void *p)
{
    oom_ctx *c = p;
    LPMESSAGE m = NULL;
    HRESULT hr = IMAPIFolder_CreateMessage(c->f, NULL, 0, &m);
    SPropValue v = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "oom" };
    if (hr == S_OK)
        hr = IMessage_SetProps(m, 1, &v, NULL);
    if (hr == S_OK)
        hr = IMessage_SaveChanges(m, 0);
    if (m != NULL)
        IMessage_Release(m);
    if (hr == S_OK)
        hr = IMAPIFolder_EmptyFolder(c->f, 0, NULL, 0);
    ULONG n = 0;
    if (hr == S_OK)
        hr = fmapi_store_purge(c->mdb, 0, NULL, 0, &n);
    return hr;
}

static void purging_survives_every_allocation_failure(void **st)
{
    (void)st;
    oom_ctx c = { bx_new_store("bpoom", path), NULL };
    c.f = fx_inbox(c.mdb);
    assert_true(fm_test_oom_sweep(delete_and_purge, &c) > 20);
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    assert_int_equal(delete_and_purge(&c), S_OK);
    fm_test_assert_no_leak(&b);
    IMAPIFolder_Release(c.f);
    IMsgStore_Release(c.mdb);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(purge_frees_soft_deleted_messages_and_folders_and_keeps_live_ones),
        cmocka_unit_test(purge_by_age_leaves_younger_deletions),
        cmocka_unit_test(purge_reports_progress_and_stops_when_asked),
        cmocka_unit_test(bad_arguments_are_refused),
        cmocka_unit_test(purging_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
