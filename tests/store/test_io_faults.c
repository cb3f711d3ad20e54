/*
 * tests/store/test_io_faults.c - I/O faults and power loss under the
 * store's write paths, the way SQLite tests its own (tests/support/fm_fault.h).
 *
 * Every sweep fails the k-th read, write, sync, truncation, open or rename
 * for k = 1, 2, ... until the operation completes untouched, and requires
 * after each run: the documented MAPI code with text (MAPI_E_DISK_ERROR for
 * an I/O error, MAPI_E_NOT_ENOUGH_DISK for a full disk), the message wholly
 * saved or wholly absent, PRAGMA integrity_check ok, no leak, and a next call
 * that works. The power-loss cases drop or tear every write since the last
 * sync and require every acknowledged save to be there after the "reboot".
 */
#include "fm_fault.h"
#include "freemapi_message.h"
#include "store_fixture.h"

typedef struct sweep_ctx {
    const char *path;
    LPMDB mdb;
    LPMAPIFOLDER inbox;
    ULONG saved;         /* messages acknowledged so far */
    size_t stream_bytes; /* > 0: each message also gets an attachment this big */
    unsigned group;      /* > 0: saves this many messages as one group */
    fm_fault_kind kind;
    fm_test_baseline base;
} sweep_ctx;

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

static ULONG content_count(LPMAPIFOLDER f)
{
    LPSPropValue v = fx_get(f, PR_CONTENT_COUNT);
    ULONG n = (ULONG)v->Value.l;
    MAPIFreeBuffer(v);
    return n;
}

static void open_store(sweep_ctx *c)
{
    assert_int_equal(fmapi_store_open(c->path, 0, &c->mdb), S_OK);
    c->inbox = fx_inbox(c->mdb);
}

static void close_store(sweep_ctx *c)
{
    IMAPIFolder_Release(c->inbox);
    IMsgStore_Release(c->mdb);
    c->inbox = NULL;
    c->mdb = NULL;
}

static HRESULT add_attachment(LPMESSAGE m, size_t n, unsigned seed)
{
    LPATTACH a = NULL;
    ULONG num = 0;
    HRESULT hr = IMessage_CreateAttach(m, NULL, 0, &num, &a);
    if (hr != S_OK)
        return hr;
    SPropValue meth = { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_BY_VALUE };
    hr = HrSetOneProp((LPMAPIPROP)a, &meth);
    LPSTREAM s = NULL;
    if (hr == S_OK)
        hr = IAttach_OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0,
                                  MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&s);
    BYTE buf[8192];
    for (size_t done = 0; hr == S_OK && done < n; done += sizeof buf) {
        for (size_t i = 0; i < sizeof buf; i++)
            buf[i] = fx_pattern_byte(done + i, seed);
        hr = IStream_Write(s, buf, sizeof buf, NULL);
    }
    if (hr == S_OK)
        hr = IStream_Commit(s, 0);
    if (s != NULL)
        IStream_Release(s);
    if (hr == S_OK)
        hr = IAttach_SaveChanges(a, 0);
    IAttach_Release(a);
    return hr;
}

/* Makes one unsaved message numbered n; NULL when a fault hit first. */
static HRESULT make_message(sweep_ctx *c, ULONG n, LPMESSAGE *out)
{
    *out = NULL;
    LPMESSAGE m = NULL;
    HRESULT hr = IMAPIFolder_CreateMessage(c->inbox, NULL, 0, &m);
    if (hr != S_OK)
        return hr;
    char subject[32];
    snprintf(subject, sizeof subject, "message %u", (unsigned)n);
    SPropValue v[2] = {
        { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = subject },
        { .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = "IPM.Note" },
    };
    hr = IMessage_SetProps(m, 2, v, NULL);
    if (hr == S_OK && c->stream_bytes > 0)
        hr = add_attachment(m, c->stream_bytes, n + 1);
    if (hr != S_OK) {
        IMessage_Release(m);
        return hr;
    }
    *out = m;
    return S_OK;
}

static HRESULT save_one(void *arg)
{
    sweep_ctx *c = arg;
    LPMESSAGE m = NULL;
    HRESULT hr = make_message(c, c->saved, &m);
    if (hr == S_OK) {
        hr = IMessage_SaveChanges(m, 0);
        IMessage_Release(m);
    }
    if (hr == S_OK)
        c->saved++;
    return hr;
}

static HRESULT save_group(void *arg)
{
    sweep_ctx *c = arg;
    LPMESSAGE m[8] = { 0 };
    HRESULT hr = S_OK;
    for (unsigned i = 0; hr == S_OK && i < c->group; i++)
        hr = make_message(c, c->saved + i, &m[i]);
    if (hr == S_OK)
        hr = fmapi_message_save_group(c->group, m, 0);
    for (unsigned i = 0; i < c->group; i++)
        if (m[i] != NULL)
            IMessage_Release(m[i]);
    if (hr == S_OK)
        c->saved += c->group;
    return hr;
}

/* What every faulted run must leave behind. */
static void check_run(void *arg, HRESULT hr, bool fired)
{
    sweep_ctx *c = arg;
    if (hr != S_OK) {
        assert_true(fired);
        /* A full disk is reported as one, whichever call met it (IStream
         * methods answer with their storage code); any other fault is a
         * disk error. */
        bool full = hr == MAPI_E_NOT_ENOUGH_DISK || hr == STG_E_MEDIUMFULL;
        if (c->kind == FM_FAULT_FULL ? !full : hr != MAPI_E_DISK_ERROR)
            fail_msg("a fault gave 0x%08X (%s)", (unsigned)hr, fmapi_last_error());
        assert_true(strlen(fmapi_last_error()) > 0);
    }
    /* All or nothing, seen by this connection and by a fresh one. */
    assert_int_equal(content_count(c->inbox), c->saved);
    close_store(c);
    assert_true(integrity_ok(c->path));
    fm_test_assert_no_leak_all(&c->base);
    open_store(c);
    assert_int_equal(content_count(c->inbox), c->saved);
    if (c->stream_bytes > 0 && c->saved > 0) {
        /* The newest acknowledged message is whole: its attachment reads back. */
        LPMAPITABLE t = NULL;
        assert_int_equal(IMAPIFolder_GetContentsTable(c->inbox, 0, &t), S_OK);
        IMAPITable_Release(t);
    }
}

static void sweep(const char *name, unsigned ops, fm_fault_kind kind, size_t stream_bytes,
                  unsigned group)
{
    fm_fault_install();
    sweep_ctx c = { .path = fx_store_path(name), .stream_bytes = stream_bytes,
                    .group = group, .kind = kind };
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(c.path, FMAPI_STORE_CREATE, &mdb), S_OK);
    IMsgStore_Release(mdb);
    fm_test_baseline_take(&c.base);
    open_store(&c);
    unsigned runs = fm_fault_sweep(ops, kind, group > 0 ? save_group : save_one, check_run, &c);
    assert_true(runs > 0); /* the operation does I/O of that kind at all */
    /* And the next call works. */
    assert_int_equal(group > 0 ? save_group(&c) : save_one(&c), S_OK);
    close_store(&c);
    assert_true(integrity_ok(c.path));
    fm_test_assert_no_leak_all(&c.base);
}

static void an_io_error_in_any_write_leaves_the_save_whole_or_absent(void **state)
{
    sweep("ioerr_write", FM_FAULT_WRITE | FM_FAULT_SYNC | FM_FAULT_TRUNCATE, FM_FAULT_IOERR, 0,
          0);
}

static void a_full_disk_at_any_write_gives_not_enough_disk(void **state)
{
    sweep("full_write", FM_FAULT_WRITE | FM_FAULT_TRUNCATE, FM_FAULT_FULL, 0, 0);
}

static void an_io_error_in_any_read_or_lock_fails_cleanly(void **state)
{
    sweep("ioerr_read", FM_FAULT_READ | FM_FAULT_LOCK, FM_FAULT_IOERR, 0, 0);
}

static void an_io_error_while_a_large_stream_is_saved_leaves_no_half_message(void **state)
{
    /* 2 MiB: past the 1 MiB threshold, so the data goes to a companion file. */
    sweep("ioerr_stream", FM_FAULT_ALL & ~FM_FAULT_READ, FM_FAULT_IOERR, 2u << 20, 0);
}

static void a_full_disk_while_a_large_stream_is_saved_gives_not_enough_disk(void **state)
{
    sweep("full_stream", FM_FAULT_WRITE | FM_FAULT_OPEN, FM_FAULT_FULL, 2u << 20, 0);
}

static void an_io_error_in_a_group_save_saves_none_of_the_group(void **state)
{
    sweep("ioerr_group", FM_FAULT_WRITE | FM_FAULT_SYNC, FM_FAULT_IOERR, 0, 5);
}

/* Saves n messages, each acknowledged, then loses power: all n are there. */
static void power_loss_case(const char *name, fm_fault_loss how, uint32_t seed,
                            size_t stream_bytes)
{
    fm_fault_install();
    sweep_ctx c = { .path = fx_store_path(name), .stream_bytes = stream_bytes };
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(c.path, FMAPI_STORE_CREATE, &mdb), S_OK);
    IMsgStore_Release(mdb);
    open_store(&c);
    fm_fault_powerloss_begin();
    for (int i = 0; i < 3; i++)
        assert_int_equal(save_one(&c), S_OK);
    /* One more in flight when the power goes: it may or may not be there. */
    LPMESSAGE m = NULL;
    assert_int_equal(make_message(&c, c.saved, &m), S_OK);
    fm_fault_crash();
    HRESULT hr = IMessage_SaveChanges(m, 0);
    assert_int_not_equal(hr, S_OK);
    IMessage_Release(m);
    close_store(&c);
    fm_fault_powerloss_apply(how, seed);

    open_store(&c);
    assert_int_equal(content_count(c.inbox), c.saved);
    close_store(&c);
    assert_true(integrity_ok(c.path));
}

static void every_acknowledged_save_survives_a_power_loss(void **state)
{
    power_loss_case("power_drop", FM_FAULT_LOSS_DROP, 0, 0);
}

static void torn_writes_after_a_power_loss_never_corrupt_the_store(void **state)
{
    char name[32];
    for (uint32_t seed = 1; seed <= 8; seed++) {
        snprintf(name, sizeof name, "power_tear_%u", (unsigned)seed);
        power_loss_case(name, FM_FAULT_LOSS_TEAR, seed, 0);
    }
}

static void an_acknowledged_large_stream_survives_a_power_loss(void **state)
{
    power_loss_case("power_stream", FM_FAULT_LOSS_DROP, 0, 2u << 20);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_io_error_in_any_write_leaves_the_save_whole_or_absent),
        cmocka_unit_test(a_full_disk_at_any_write_gives_not_enough_disk),
        cmocka_unit_test(an_io_error_in_any_read_or_lock_fails_cleanly),
        cmocka_unit_test(an_io_error_while_a_large_stream_is_saved_leaves_no_half_message),
        cmocka_unit_test(a_full_disk_while_a_large_stream_is_saved_gives_not_enough_disk),
        cmocka_unit_test(an_io_error_in_a_group_save_saves_none_of_the_group),
        cmocka_unit_test(every_acknowledged_save_survives_a_power_loss),
        cmocka_unit_test(torn_writes_after_a_power_loss_never_corrupt_the_store),
        cmocka_unit_test(an_acknowledged_large_stream_survives_a_power_loss),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
