/*
 * tests/store/test_io_faults_bulk.c - I/O faults under the bulk operations
 * (Q314259's DeleteMessages, EmptyFolder, moves and copies, CopyFolder,
 * DeleteFolder, SetReadFlags, purge), swept the way SQLite sweeps its own
 * I/O: the k-th write, sync, truncation, open or removal fails, for k
 * sampled over every operation the unfaulted run makes (every k with
 * FM_TEST_IO_SAMPLES=0; see sweep_op).
 *
 * Each run starts from the same mailbox (a folder of messages, one with an
 * attachment large enough for a companion file, and a subfolder), made with
 * the faults off. After the faulted operation the test requires the
 * documented code with text, every message in exactly one place and whole,
 * PRAGMA integrity_check ok, no leak, and that running the operation again
 * finishes the job (what mapi(1) promises for an interrupted command).
 */
#include "fm_fault.h"
#include "freemapi_message.h"
#include "store_fixture.h"

#define NMSG 4
#define BIG_ATTACH (1200u * 1024u) /* past the 1 MiB companion-file threshold */

typedef enum op_kind {
    OP_DELETE_HARD,
    OP_DELETE_SOFT,
    OP_EMPTY_HARD,
    OP_MOVE,
    OP_MOVE_ACROSS,
    OP_COPY,
    OP_FOLDER_MOVE,
    OP_FOLDER_COPY,
    OP_DELETE_FOLDER,
    OP_READ_FLAGS,
    OP_PURGE,
} op_kind;

typedef struct run {
    op_kind op;
    fm_fault_kind kind;
    bool persistent; /* every operation after the k-th fails too */
    char path[600], path2[600];
    LPMDB mdb, mdb2;
    LPMAPIFOLDER root, src, dst, dst2;
    LPENTRYLIST list;
    SBinary src_eid, dst_eid; /* malloc'd copies: the folders by identity */
    fm_test_baseline base;
} run;

static bool integrity_ok(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    bool ok = false;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return ok;
}

static ULONG count_of(LPMAPIFOLDER f, ULONG tag)
{
    LPSPropValue v = fx_get(f, tag);
    ULONG n = (ULONG)v->Value.l;
    MAPIFreeBuffer(v);
    return n;
}

static LPMAPIFOLDER make_folder(LPMAPIFOLDER parent, const char *name)
{
    LPMAPIFOLDER f = NULL;
    assert_int_equal(IMAPIFolder_CreateFolder(parent, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL,
                                              OPEN_IF_EXISTS, &f), S_OK);
    return f;
}

/* The folder with this entry ID, or NULL when it is gone. */
static LPMAPIFOLDER open_by_eid(LPMDB mdb, const SBinary *eid)
{
    ULONG type = 0;
    LPMAPIFOLDER f = NULL;
    HRESULT hr = IMsgStore_OpenEntry(mdb, eid->cb, (LPENTRYID)eid->lpb, NULL, MAPI_MODIFY,
                                     &type, (LPUNKNOWN *)&f);
    if (hr == MAPI_E_NOT_FOUND)
        return NULL;
    assert_int_equal(hr, S_OK);
    return f;
}

static void keep_eid(void *folder, SBinary *out)
{
    LPSPropValue v = fx_get(folder, PR_ENTRYID);
    out->cb = v->Value.bin.cb;
    out->lpb = malloc(out->cb);
    assert_non_null(out->lpb);
    memcpy(out->lpb, v->Value.bin.lpb, out->cb);
    MAPIFreeBuffer(v);
}

static void put_attachment(LPMESSAGE m)
{
    LPATTACH a = NULL;
    ULONG num = 0;
    assert_int_equal(IMessage_CreateAttach(m, NULL, 0, &num, &a), S_OK);
    SPropValue meth = { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_BY_VALUE };
    assert_int_equal(HrSetOneProp((LPMAPIPROP)a, &meth), S_OK);
    fx_stream_write_pattern(a, PR_ATTACH_DATA_BIN, BIG_ATTACH, 7);
    assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
    IAttach_Release(a);
}

/* NMSG messages in f, saved as one group (one sync). */
static void fill(LPMAPIFOLDER f)
{
    LPMESSAGE m[NMSG];
    for (int i = 0; i < NMSG; i++) {
        m[i] = fx_new_message(f);
        char subject[16];
        snprintf(subject, sizeof subject, "m%d", i);
        fx_set_string(m[i], PR_SUBJECT, subject);
        if (i == 0)
            put_attachment(m[i]);
    }
    assert_int_equal(fmapi_message_save_group(NMSG, m, 0), S_OK);
    for (int i = 0; i < NMSG; i++)
        IMessage_Release(m[i]);
}

static LPENTRYLIST entry_list(LPMAPIFOLDER f)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(f, 0, &t), S_OK);
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 100, 0, &rows), S_OK);
    LPENTRYLIST l = NULL;
    assert_int_equal(MAPIAllocateBuffer(sizeof *l, (void **)&l), S_OK);
    l->cValues = rows->cRows;
    assert_int_equal(MAPIAllocateMore(sizeof(SBinary) * (rows->cRows + 1), l, (void **)&l->lpbin),
                     S_OK);
    for (ULONG i = 0; i < rows->cRows; i++) {
        SBinary *b = &rows->aRow[i].lpProps[0].Value.bin;
        assert_int_equal(MAPIAllocateMore(b->cb, l, (void **)&l->lpbin[i].lpb), S_OK);
        memcpy(l->lpbin[i].lpb, b->lpb, b->cb);
        l->lpbin[i].cb = b->cb;
    }
    FreeProws(rows);
    IMAPITable_Release(t);
    return l;
}

static void open_all(run *r)
{
    assert_int_equal(fmapi_store_open(r->path, 0, &r->mdb), S_OK);
    r->src = open_by_eid(r->mdb, &r->src_eid);
    r->dst = open_by_eid(r->mdb, &r->dst_eid);
    assert_non_null(r->dst);
    assert_int_equal(fmapi_store_open(r->path2, 0, &r->mdb2), S_OK);
    r->dst2 = fx_inbox(r->mdb2);
}

static void close_all(run *r)
{
    if (r->src != NULL)
        IMAPIFolder_Release(r->src);
    IMAPIFolder_Release(r->dst);
    IMAPIFolder_Release(r->dst2);
    IMsgStore_Release(r->mdb);
    IMsgStore_Release(r->mdb2);
    r->src = r->dst = r->dst2 = NULL;
    r->mdb = r->mdb2 = NULL;
}

static void setup(run *r, const char *name)
{
    snprintf(r->path, sizeof r->path, "%s", fx_store_path(name));
    char other[64];
    snprintf(other, sizeof other, "%s_other", name);
    snprintf(r->path2, sizeof r->path2, "%s", fx_store_path(other));
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(r->path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMAPIFOLDER src = make_folder(inbox, "src");
    LPMAPIFOLDER dst = make_folder(inbox, "dst");
    fill(src);
    keep_eid(src, &r->src_eid);
    keep_eid(dst, &r->dst_eid);
    LPMAPIFOLDER sub = make_folder(src, "sub");
    fill(sub);
    IMAPIFolder_Release(sub);
    IMAPIFolder_Release(src);
    IMAPIFolder_Release(dst);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    assert_int_equal(fmapi_store_open(r->path2, FMAPI_STORE_CREATE, &mdb), S_OK);
    IMsgStore_Release(mdb);
    fm_test_baseline_take(&r->base);
    open_all(r);
    if (r->op == OP_PURGE) {
        LPENTRYLIST l = entry_list(r->src);
        assert_int_equal(IMAPIFolder_DeleteMessages(r->src, l, 0, NULL, 0), S_OK);
        MAPIFreeBuffer(l);
    }
    if (r->op == OP_READ_FLAGS) /* new messages are read: make the sweep's work unread */
        assert_int_equal(IMAPIFolder_SetReadFlags(r->src, NULL, 0, NULL, CLEAR_READ_FLAG), S_OK);
    r->list = entry_list(r->src);
}

static HRESULT do_op(run *r)
{
    switch (r->op) {
    case OP_DELETE_HARD:
        return IMAPIFolder_DeleteMessages(r->src, r->list, 0, NULL, DELETE_HARD_DELETE);
    case OP_DELETE_SOFT:
        return IMAPIFolder_DeleteMessages(r->src, r->list, 0, NULL, 0);
    case OP_EMPTY_HARD:
        return IMAPIFolder_EmptyFolder(r->src, 0, NULL, DELETE_HARD_DELETE);
    case OP_MOVE:
        return IMAPIFolder_CopyMessages(r->src, r->list, NULL, r->dst, 0, NULL, MESSAGE_MOVE);
    case OP_MOVE_ACROSS:
        return IMAPIFolder_CopyMessages(r->src, r->list, NULL, r->dst2, 0, NULL, MESSAGE_MOVE);
    case OP_COPY:
        return IMAPIFolder_CopyMessages(r->src, r->list, NULL, r->dst, 0, NULL, 0);
    case OP_FOLDER_MOVE:
    case OP_FOLDER_COPY: {
        const SBinary *eid = &r->src_eid;
        LPMAPIFOLDER inbox = fx_inbox(r->mdb);
        HRESULT hr = IMAPIFolder_CopyFolder(inbox, eid->cb, (LPENTRYID)eid->lpb, NULL, r->dst,
                                            NULL, 0, NULL,
                                            COPY_SUBFOLDERS |
                                                (r->op == OP_FOLDER_MOVE ? FOLDER_MOVE : 0));
        IMAPIFolder_Release(inbox);
        return hr;
    }
    case OP_DELETE_FOLDER: {
        const SBinary *eid = &r->src_eid;
        LPMAPIFOLDER inbox = fx_inbox(r->mdb);
        HRESULT hr = IMAPIFolder_DeleteFolder(inbox, eid->cb, (LPENTRYID)eid->lpb, 0, NULL,
                                              DEL_MESSAGES | DEL_FOLDERS | DELETE_HARD_DELETE);
        IMAPIFolder_Release(inbox);
        return hr;
    }
    case OP_READ_FLAGS:
        return IMAPIFolder_SetReadFlags(r->src, NULL, 0, NULL, SUPPRESS_RECEIPT);
    case OP_PURGE: {
        ULONG n = 0;
        return fmapi_store_purge(r->mdb, 0, NULL, 0, &n);
    }
    }
    return E_FAIL;
}

/* How many top-level messages the source and the destinations hold. */
static void counts(run *r, ULONG *src, ULONG *dst, ULONG *dst2)
{
    *src = r->src != NULL ? count_of(r->src, PR_CONTENT_COUNT) : 0;
    *dst = count_of(r->dst, PR_CONTENT_COUNT);
    *dst2 = count_of(r->dst2, PR_CONTENT_COUNT);
}

/* The folder named name directly below parent holds n messages (or does
 * not exist when n is ~0). */
static ULONG child_count(LPMAPIFOLDER parent, const char *name)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetHierarchyTable(parent, 0, &t), S_OK);
    SizedSPropTagArray(2, cols) = { 2, { PR_DISPLAY_NAME_A, PR_CONTENT_COUNT } };
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 100, 0, &rows), S_OK);
    ULONG n = ~0u;
    for (ULONG i = 0; i < rows->cRows; i++)
        if (strcmp(rows->aRow[i].lpProps[0].Value.lpszA, name) == 0)
            n = (ULONG)rows->aRow[i].lpProps[1].Value.l;
    FreeProws(rows);
    IMAPITable_Release(t);
    return n;
}

/* Every message in exactly one place, after a faulted or a finished run. */
static void check_places(run *r, bool finished)
{
    ULONG s, d, d2;
    counts(r, &s, &d, &d2);
    switch (r->op) {
    case OP_DELETE_HARD:
    case OP_DELETE_SOFT:
    case OP_EMPTY_HARD:
        assert_true(s <= NMSG);
        if (finished)
            assert_int_equal(s, 0);
        break;
    case OP_MOVE:
        assert_int_equal(s + d, NMSG);
        if (finished)
            assert_int_equal(d, NMSG);
        break;
    case OP_MOVE_ACROSS:
        /* A disk that stays broken can keep the roll back of one copy
         * from happening: that message is then in both stores until the
         * move is run again, which must finish it, not copy it twice. */
        if (r->persistent && !finished)
            assert_in_range(s + d2, NMSG, NMSG + 1);
        else
            assert_int_equal(s + d2, NMSG);
        if (finished)
            assert_int_equal(d2, NMSG);
        break;
    case OP_COPY:
        assert_int_equal(s, NMSG);
        assert_true(d <= (finished ? 2 * NMSG : NMSG));
        break;
    case OP_READ_FLAGS:
    case OP_PURGE:
        break;
    case OP_FOLDER_MOVE:
    case OP_FOLDER_COPY:
    case OP_DELETE_FOLDER: {
        LPMAPIFOLDER inbox = fx_inbox(r->mdb);
        ULONG here = child_count(inbox, "src"), there = child_count(r->dst, "src");
        IMAPIFolder_Release(inbox);
        if (r->op == OP_FOLDER_MOVE) {
            /* one tree, in one of the two places, whole */
            assert_true((here == ~0u) != (there == ~0u));
            assert_int_equal(here == ~0u ? there : here, NMSG);
            if (finished)
                assert_int_equal(there, NMSG);
        } else if (r->op == OP_FOLDER_COPY) {
            assert_int_equal(here, NMSG);
            if (finished)
                assert_int_equal(there, NMSG);
            else
                assert_true(there == ~0u || there <= NMSG);
        } else {
            assert_true(here == ~0u || here <= NMSG);
            if (finished)
                assert_int_equal(here, ~0u);
        }
        break;
    }
    }
}

static bool src_in_inbox(run *r)
{
    LPMAPIFOLDER inbox = fx_inbox(r->mdb);
    bool there = child_count(inbox, "src") != ~0u;
    IMAPIFolder_Release(inbox);
    return there;
}

static void reopen_and_check(run *r, bool finished)
{
    close_all(r);
    assert_true(integrity_ok(r->path));
    assert_true(integrity_ok(r->path2));
    open_all(r);
    check_places(r, finished);
}

static void check_code(run *r, HRESULT hr)
{
    if (hr == S_OK || hr == MAPI_W_PARTIAL_COMPLETION)
        return;
    bool full = hr == MAPI_E_NOT_ENOUGH_DISK || hr == STG_E_MEDIUMFULL;
    if (r->kind == FM_FAULT_FULL ? !full : hr != MAPI_E_DISK_ERROR)
        fail_msg("op %d: a fault gave 0x%08X (%s)", (int)r->op, (unsigned)hr,
                 fmapi_last_error());
    assert_true(strlen(fmapi_last_error()) > 0);
}

/* Finishes the job after a faulted run: the move or deletion is done by a
 * second call; a folder copy or move that left part behind is done again. */
static void finish(run *r)
{
    MAPIFreeBuffer(r->list);
    r->list = r->src != NULL ? entry_list(r->src) : NULL;
    HRESULT hr = S_OK;
    switch (r->op) {
    case OP_FOLDER_MOVE:
    case OP_FOLDER_COPY:
    case OP_DELETE_FOLDER:
        /* The tree may be gone already (a move or delete that committed). */
        if (!src_in_inbox(r))
            return;
        hr = do_op(r);
        break;
    default:
        hr = do_op(r);
    }
    if (hr != S_OK && hr != MAPI_W_PARTIAL_COMPLETION)
        fail_msg("op %d: the re-run gave 0x%08X (%s)", (int)r->op, (unsigned)hr,
                 fmapi_last_error());
}

static void teardown(run *r)
{
    MAPIFreeBuffer(r->list);
    r->list = NULL;
    close_all(r);
    free(r->src_eid.lpb);
    free(r->dst_eid.lpb);
    fm_test_assert_no_leak_all(&r->base);
}

/* Runs op with the fault armed at k; returns whether it fired. */
static bool persistent_faults;

static bool run_at(op_kind op, fm_fault_kind kind, unsigned ops, uint64_t k, uint64_t *counted)
{
    run r = { .op = op, .kind = kind, .persistent = persistent_faults };
    char name[32];
    snprintf(name, sizeof name, "bulk%d_%d", (int)op, (int)kind);
    setup(&r, name);
    fm_fault_arm(ops, k, kind, r.persistent);
    HRESULT hr = do_op(&r);
    if (counted != NULL)
        *counted = fm_fault_counted();
    bool fired = fm_fault_disarm();
    if (hr != S_OK && hr != MAPI_W_PARTIAL_COMPLETION)
        assert_true(fired);
    check_code(&r, hr);
    reopen_and_check(&r, !fired && hr == S_OK);
    if (fired) {
        finish(&r);
        reopen_and_check(&r, true);
    }
    teardown(&r);
    return fired;
}

/* A full sweep (every k) costs a fresh mailbox per fault point: hundreds of
 * runs per operation. The suite samples: an unfaulted run counts the
 * operations, then faults fall on SAMPLES points spread evenly over them,
 * offset by a per-operation phase so the points differ between operations,
 * plus the last. FM_TEST_IO_SAMPLES overrides the count (0: every point,
 * as when a defect is hunted); the sanitized build takes half, and under
 * valgrind (FM_TEST_OOM_STRIDE) one point and the last. */
#if defined(__SANITIZE_ADDRESS__)
#define SAMPLES 4u
#else
#define SAMPLES 8u
#endif

static unsigned samples_wanted(void)
{
    const char *s = getenv("FM_TEST_IO_SAMPLES");
    unsigned n = s != NULL ? (unsigned)atoi(s) : SAMPLES;
    const char *st = getenv("FM_TEST_OOM_STRIDE");
    if (n > 0 && st != NULL && atoi(st) > 1)
        n = 1;
    return n;
}

static void sweep_op(op_kind op, fm_fault_kind kind, unsigned ops)
{
    fm_fault_install();
    uint64_t total = 0;
    assert_false(run_at(op, kind, ops, UINT64_MAX, &total));
    assert_true(total > 0);
    unsigned n = samples_wanted();
    uint64_t step = n == 0 || total <= n ? 1 : total / n;
    unsigned faulted = 0;
    for (uint64_t k = 1 + (uint64_t)op % step; k <= total; k += step)
        faulted += run_at(op, kind, ops, k, NULL);
    if (step > 1)
        faulted += run_at(op, kind, ops, total, NULL);
    assert_true(faulted > 0);
}

#define IO_OPS (FM_FAULT_WRITE | FM_FAULT_SYNC | FM_FAULT_TRUNCATE | FM_FAULT_RENAME)

static void a_hard_delete_hit_by_io_errors_is_finished_by_a_rerun(void **state)
{
    sweep_op(OP_DELETE_HARD, FM_FAULT_IOERR, IO_OPS);
}

static void a_soft_delete_hit_by_io_errors_is_finished_by_a_rerun(void **state)
{
    sweep_op(OP_DELETE_SOFT, FM_FAULT_IOERR, IO_OPS);
}

static void an_empty_folder_hit_by_a_full_disk_is_finished_by_a_rerun(void **state)
{
    sweep_op(OP_EMPTY_HARD, FM_FAULT_FULL, FM_FAULT_WRITE | FM_FAULT_TRUNCATE);
}

static void a_move_hit_by_io_errors_keeps_every_message_in_one_place(void **state)
{
    sweep_op(OP_MOVE, FM_FAULT_IOERR, IO_OPS);
}

static void a_move_across_stores_hit_by_io_errors_keeps_every_message_in_one_place(void **s)
{
    sweep_op(OP_MOVE_ACROSS, FM_FAULT_IOERR, IO_OPS | FM_FAULT_OPEN);
}

static void a_move_across_stores_cut_off_by_a_dead_disk_is_finished_by_a_rerun(void **s)
{
    persistent_faults = true;
    sweep_op(OP_MOVE_ACROSS, FM_FAULT_IOERR, IO_OPS);
    persistent_faults = false;
}

static void a_copy_hit_by_a_full_disk_copies_whole_messages_or_none(void **state)
{
    sweep_op(OP_COPY, FM_FAULT_FULL, FM_FAULT_WRITE | FM_FAULT_OPEN);
}

static void a_folder_move_hit_by_io_errors_leaves_one_tree(void **state)
{
    sweep_op(OP_FOLDER_MOVE, FM_FAULT_IOERR, IO_OPS);
}

static void a_folder_copy_hit_by_io_errors_leaves_the_source_whole(void **state)
{
    sweep_op(OP_FOLDER_COPY, FM_FAULT_IOERR, IO_OPS | FM_FAULT_OPEN);
}

static void a_folder_deletion_hit_by_io_errors_is_finished_by_a_rerun(void **state)
{
    sweep_op(OP_DELETE_FOLDER, FM_FAULT_IOERR, IO_OPS);
}

static void read_flags_hit_by_io_errors_fail_cleanly(void **state)
{
    sweep_op(OP_READ_FLAGS, FM_FAULT_IOERR, IO_OPS);
}

static void a_purge_hit_by_io_errors_is_finished_by_a_rerun(void **state)
{
    sweep_op(OP_PURGE, FM_FAULT_IOERR, IO_OPS);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        cmocka_set_test_filter(argv[1]); /* one case, for a debugger or a repeat */
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_hard_delete_hit_by_io_errors_is_finished_by_a_rerun),
        cmocka_unit_test(a_soft_delete_hit_by_io_errors_is_finished_by_a_rerun),
        cmocka_unit_test(an_empty_folder_hit_by_a_full_disk_is_finished_by_a_rerun),
        cmocka_unit_test(a_move_hit_by_io_errors_keeps_every_message_in_one_place),
        cmocka_unit_test(a_move_across_stores_hit_by_io_errors_keeps_every_message_in_one_place),
        cmocka_unit_test(a_move_across_stores_cut_off_by_a_dead_disk_is_finished_by_a_rerun),
        cmocka_unit_test(a_copy_hit_by_a_full_disk_copies_whole_messages_or_none),
        cmocka_unit_test(a_folder_move_hit_by_io_errors_leaves_one_tree),
        cmocka_unit_test(a_folder_copy_hit_by_io_errors_leaves_the_source_whole),
        cmocka_unit_test(a_folder_deletion_hit_by_io_errors_is_finished_by_a_rerun),
        cmocka_unit_test(read_flags_hit_by_io_errors_fail_cleanly),
        cmocka_unit_test(a_purge_hit_by_io_errors_is_finished_by_a_rerun),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
