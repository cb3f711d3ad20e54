/*
 * tests/store/test_bulk_readflags.c - IMAPIFolder::SetReadFlags: a NULL
 * list means every message of the folder, CLEAR_READ_FLAG clears,
 * SUPPRESS_RECEIPT sets without a receipt, GENERATE_RECEIPT_ONLY changes
 * nothing here, CLEAR_RN_PENDING / CLEAR_NRN_PENDING clear their bits;
 * entries not in the folder are reported; progress and cancel.
 */
#include "test_bulk_fixture.h"

static char path[600];

static long with_bits(int64_t fid, unsigned bits)
{
    return bx_sql(path, "SELECT count(*) FROM messages WHERE fid = %lld AND assoc = 0 AND"
                        " (flags & %u) = %u", (long long)fid, bits, bits);
}

static void null_list_marks_the_whole_folder_and_clear_read_flag_unmarks(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("brall", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb), other = bx_subfolder(inbox, "other");
    bx_fill(inbox, 0, 30);
    bx_put(inbox, MAPI_ASSOCIATED, 99, 0);
    bx_fill(other, 100, 3);
    int64_t fid = bx_id_of(inbox), ofid = bx_id_of(other);
    /* Messages a client makes are saved read: start from unread ones. */
    assert_int_equal(IMAPIFolder_SetReadFlags(other, NULL, 0, NULL, CLEAR_READ_FLAG), S_OK);
    assert_int_equal(IMAPIFolder_SetReadFlags(inbox, NULL, 0, NULL, CLEAR_READ_FLAG), S_OK);
    assert_int_equal(with_bits(fid, MSGFLAG_READ), 0);
    fm_bulk_set_batch_limits(7, 60000);
    assert_int_equal(IMAPIFolder_SetReadFlags(inbox, NULL, 0, NULL, 0), S_OK);
    assert_int_equal(with_bits(fid, MSGFLAG_READ), 30); /* not the associated one */
    assert_int_equal(with_bits(ofid, MSGFLAG_READ), 0);
    LPSPropValue unread = fx_get(inbox, PR_CONTENT_UNREAD);
    assert_int_equal(unread->Value.l, 0);
    MAPIFreeBuffer(unread);
    assert_int_equal(IMAPIFolder_SetReadFlags(inbox, NULL, 0, NULL, CLEAR_READ_FLAG), S_OK);
    assert_int_equal(with_bits(fid, MSGFLAG_READ), 0);
    assert_int_equal(IMAPIFolder_SetReadFlags(inbox, NULL, 0, NULL, SUPPRESS_RECEIPT), S_OK);
    assert_int_equal(with_bits(fid, MSGFLAG_READ), 30);
    fm_bulk_set_batch_limits(0, 0);
    IMAPIFolder_Release(other);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void pending_receipt_bits_clear_only_when_asked(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("brpending", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    for (int i = 0; i < 4; i++) {
        LPMESSAGE m = fx_new_message(inbox);
        SPropValue v = { .ulPropTag = PR_MESSAGE_FLAGS,
                         .Value.l = MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING };
        assert_int_equal(IMessage_SetProps(m, 1, &v, NULL), S_OK);
        assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
        IMessage_Release(m);
    }
    int64_t fid = bx_id_of(inbox);
    LPENTRYLIST l = bx_list(inbox, 0, 0, 2);
    /* GENERATE_RECEIPT_ONLY: this store sends no receipts; nothing changes. */
    assert_int_equal(IMAPIFolder_SetReadFlags(inbox, l, 0, NULL, GENERATE_RECEIPT_ONLY), S_OK);
    assert_int_equal(with_bits(fid, MSGFLAG_READ), 0);
    assert_int_equal(IMAPIFolder_SetReadFlags(inbox, l, 0, NULL, 0), S_OK);
    assert_int_equal(with_bits(fid, MSGFLAG_READ), 2);
    assert_int_equal(with_bits(fid, MSGFLAG_RN_PENDING), 4);
    assert_int_equal(IMAPIFolder_SetReadFlags(inbox, l, 0, NULL, CLEAR_RN_PENDING), S_OK);
    assert_int_equal(with_bits(fid, MSGFLAG_RN_PENDING), 2);
    assert_int_equal(with_bits(fid, MSGFLAG_NRN_PENDING), 4);
    assert_int_equal(IMAPIFolder_SetReadFlags(inbox, NULL, 0, NULL,
                                              CLEAR_READ_FLAG | CLEAR_NRN_PENDING), S_OK);
    assert_int_equal(with_bits(fid, MSGFLAG_NRN_PENDING), 0);
    assert_int_equal(with_bits(fid, MSGFLAG_RN_PENDING), 2);
    assert_int_equal(with_bits(fid, MSGFLAG_READ), 0);
    MAPIFreeBuffer(l);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void bad_arguments_and_foreign_entries(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("brargs", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb), other = bx_subfolder(inbox, "o");
    bx_fill(inbox, 0, 2);
    bx_fill(other, 10, 1);
    LPENTRYLIST mine = bx_list(inbox, 0, 0, 1), theirs = bx_list(other, 0, 0, 1);
    assert_int_equal(IMAPIFolder_SetReadFlags(inbox, mine, 0, NULL, 0x4000),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IMAPIFolder_SetReadFlags(inbox, mine, 0, NULL,
                                              SUPPRESS_RECEIPT | CLEAR_READ_FLAG),
                     MAPI_E_INVALID_PARAMETER);
    ENTRYLIST broken = { 2, NULL };
    assert_int_equal(IMAPIFolder_SetReadFlags(inbox, &broken, 0, NULL, 0),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPIFolder_SetReadFlags(other, NULL, 0, NULL, CLEAR_READ_FLAG), S_OK);
    assert_int_equal(IMAPIFolder_SetReadFlags(inbox, NULL, 0, NULL, CLEAR_READ_FLAG), S_OK);
    SBinary b[] = { mine->lpbin[0], theirs->lpbin[0] };
    ENTRYLIST mixed = { 2, b };
    assert_int_equal(IMAPIFolder_SetReadFlags(inbox, &mixed, 0, NULL, 0),
                     MAPI_W_PARTIAL_COMPLETION);
    assert_int_equal(with_bits(bx_id_of(inbox), MSGFLAG_READ), 1);
    assert_int_equal(with_bits(bx_id_of(other), MSGFLAG_READ), 0);
    LPSPropValue eid = fx_get(inbox, PR_ENTRYID);
    ULONG type = 0;
    LPMAPIFOLDER ro = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         NULL, 0, &type, (LPUNKNOWN *)&ro), S_OK);
    assert_int_equal(IMAPIFolder_SetReadFlags(ro, NULL, 0, NULL, 0), MAPI_E_NO_ACCESS);
    IMAPIFolder_Release(ro);
    MAPIFreeBuffer(eid);
    MAPIFreeBuffer(mine);
    MAPIFreeBuffer(theirs);
    IMAPIFolder_Release(other);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void progress_and_cancel_at_every_batch_boundary(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("brprog", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    bx_fill(inbox, 0, 25);
    int64_t fid = bx_id_of(inbox);
    fm_bulk_set_batch_limits(10, 60000);
    bx_progress p;
    bx_progress_init(&p, 0);
    assert_int_equal(IMAPIFolder_SetReadFlags(inbox, NULL, 0, (LPMAPIPROGRESS)&p, MESSAGE_DIALOG),
                     S_OK);
    const bx_call want[] = { { 'F', MAPI_TOP_LEVEL, 0, 0 }, { 'L', 0, 25, MAPI_TOP_LEVEL },
                             { 'P', 0, 0, 25 },           { 'P', 10, 10, 25 },
                             { 'P', 20, 20, 25 },         { 'P', 25, 25, 25 } };
    assert_int_equal(p.ncalls, 6);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(p.calls[i].kind, want[i].kind);
        assert_int_equal(p.calls[i].a, want[i].a);
        assert_int_equal(p.calls[i].b, want[i].b);
        assert_int_equal(p.calls[i].c, want[i].c);
    }
    for (int k = 1; k <= 4; k++) {
        bx_progress_init(&p, k);
        assert_int_equal(IMAPIFolder_SetReadFlags(inbox, NULL, 0, (LPMAPIPROGRESS)&p,
                                                  CLEAR_READ_FLAG | MESSAGE_DIALOG),
                         MAPI_E_USER_CANCEL);
        long cleared = (k - 1) * 10 > 25 ? 25 : (k - 1) * 10;
        assert_int_equal(with_bits(fid, MSGFLAG_READ), 25 - cleared);
        assert_int_equal(IMAPIFolder_SetReadFlags(inbox, NULL, 0, NULL, CLEAR_READ_FLAG), S_OK);
        assert_int_equal(with_bits(fid, MSGFLAG_READ), 0);
        assert_int_equal(IMAPIFolder_SetReadFlags(inbox, NULL, 0, NULL, 0), S_OK);
    }
    fm_bulk_set_batch_limits(0, 0);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

typedef struct oom_ctx {
    LPMAPIFOLDER f;
    ULONG flags;
} oom_ctx;

static HRESULT mark_all(void *p)
{
    oom_ctx *c = p;
    c->flags ^= CLEAR_READ_FLAG;
    return IMAPIFolder_SetReadFlags(c->f, NULL, 0, NULL, c->flags);
}

static void setting_read_flags_survives_every_allocation_failure(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("broom", path);
    oom_ctx c = { fx_inbox(mdb), 0 };
    bx_fill(c.f, 0, 3);
    assert_true(fm_test_oom_sweep(mark_all, &c) > 5);
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    assert_int_equal(mark_all(&c), S_OK);
    fm_test_assert_no_leak(&b);
    IMAPIFolder_Release(c.f);
    IMsgStore_Release(mdb);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_list_marks_the_whole_folder_and_clear_read_flag_unmarks),
        cmocka_unit_test(pending_receipt_bits_clear_only_when_asked),
        cmocka_unit_test(bad_arguments_and_foreign_entries),
        cmocka_unit_test(progress_and_cancel_at_every_batch_boundary),
        cmocka_unit_test(setting_read_flags_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
