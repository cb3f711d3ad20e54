/*
 * tests/store/test_message_submit.c - IMessage::SubmitMessage and
 * IMsgStore::AbortSubmit on a store without a transport: the documented
 * errors, the properties a submission sets, the queue it leaves in the file,
 * and the lock on a queued message.
 */
#include "store_fixture.h"

#include <time.h>

/* The path of a store fx_new_store made, left as it is. */
static const char *fx_store_path_keep(const char *name)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s.fmstore", fm_test_tmpdir(), name);
    return path;
}

static void add_recipient(LPMESSAGE m, const char *name)
{
    SPropValue r[] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = (LPSTR)name },
                       { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO } };
    SizedADRLIST(1, list) = { 1, { { 0, 2, r } } };
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_ADD, (LPADRLIST)&list), S_OK);
}

static LPMAPIFOLDER outbox(LPMDB mdb)
{
    return fx_open_folder_by_prop(mdb, mdb, PR_IPM_OUTBOX_ENTRYID);
}

/* A saved message with one recipient, submitted; *eid its entry ID. */
static void submit_one(LPMDB mdb, LPMAPIFOLDER f, const char *subject, LPSPropValue *eid)
{
    LPMESSAGE m = fx_new_message(f);
    fx_set_string(m, PR_SUBJECT, subject);
    add_recipient(m, "Ada");
    /* As documented, the entry ID is read before SubmitMessage. */
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    *eid = fx_get(m, PR_ENTRYID);
    assert_int_equal(IMessage_SubmitMessage(m, 0), S_OK);
    IMessage_Release(m);
}

static LONG flags_of(LPMDB mdb, LPSPropValue eid)
{
    LPMESSAGE m = fx_reopen(mdb, eid, 0);
    LPSPropValue v = fx_get(m, PR_MESSAGE_FLAGS);
    LONG f = v->Value.l;
    MAPIFreeBuffer(v);
    IMessage_Release(m);
    return f;
}

static void an_empty_recipient_table_is_no_recipients_and_the_message_stays_open(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("submit_empty");
    LPMAPIFOLDER f = outbox(mdb);
    LPMESSAGE m = fx_new_message(f);
    fx_set_string(m, PR_SUBJECT, "nobody");
    assert_int_equal(IMessage_SubmitMessage(m, 0), MAPI_E_NO_RECIPIENTS);
    /* The pointer stays valid: the caller adds a recipient and submits. */
    add_recipient(m, "Ada");
    LPSPropValue v = NULL;
    assert_int_equal(fx_try_get(m, PR_SUBMIT_FLAGS, &v), MAPI_E_NOT_FOUND);
    MAPIFreeBuffer(v);
    assert_int_equal(IMessage_SubmitMessage(m, 0x10), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IMessage_SubmitMessage(m, FORCE_SUBMIT), S_OK);
    IMessage_Release(m);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

static void submitting_saves_marks_and_queues_the_message(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("submit_marks");
    LPMAPIFOLDER f = outbox(mdb);
    LPMESSAGE m = fx_new_message(f);
    fx_set_string(m, PR_SUBJECT, "queued");
    add_recipient(m, "Ada");
    int64_t t0 = ((int64_t)time(NULL) + 11644473600LL) * 10000000LL; /* FILETIME now */
    /* A new message, never saved: SubmitMessage saves it. */
    assert_int_equal(IMessage_SubmitMessage(m, 0), S_OK);
    /* Afterwards the pointer serves only to Release. */
    assert_int_equal(IMessage_SaveChanges(m, 0), MAPI_E_NO_ACCESS);
    assert_int_equal(IMessage_SubmitMessage(m, 0), MAPI_E_NO_ACCESS);
    IMessage_Release(m);

    /* Found in the folder with the marks of a submission. */
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(f, 0, &t), S_OK);
    SizedSPropTagArray(4, cols) = { 4, { PR_ENTRYID, PR_MESSAGE_FLAGS, PR_CLIENT_SUBMIT_TIME,
                                         PR_SUBMIT_FLAGS } };
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    LPSPropValue p = rows->aRow[0].lpProps;
    assert_int_equal(p[1].ulPropTag, PR_MESSAGE_FLAGS);
    assert_true(p[1].Value.l & MSGFLAG_SUBMIT);
    assert_true(p[1].Value.l & MSGFLAG_UNSENT);
    assert_int_equal(p[2].ulPropTag, PR_CLIENT_SUBMIT_TIME);
    int64_t ft = (int64_t)(((uint64_t)p[2].Value.ft.dwHighDateTime << 32) |
                           p[2].Value.ft.dwLowDateTime);
    assert_true(ft >= t0 - 10000000LL && ft <= t0 + 600 * 10000000LL);
    LPMESSAGE again = fx_reopen(mdb, &p[0], 0);
    LPSPropValue sf = fx_get(again, PR_SUBMIT_FLAGS);
    assert_int_equal(sf->Value.l, 0); /* queued, not locked by a spooler */
    MAPIFreeBuffer(sf);
    IMessage_Release(again);
    FreeProws(rows);
    IMAPITable_Release(t);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
    /* The queue is in the file, for whichever spooler runs next. */
    assert_int_equal(fx_count(fx_store_path_keep("submit_marks"),
                              "SELECT count(*) FROM submit_queue"),
                     1);
}

static void a_queued_message_is_locked_against_saving_and_deleting(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("submit_lock");
    LPMAPIFOLDER f = outbox(mdb);
    LPSPropValue eid = NULL;
    submit_one(mdb, f, "locked", &eid);
    LPMESSAGE m = fx_reopen(mdb, eid, MAPI_MODIFY);
    fx_set_string(m, PR_SUBJECT, "changed");
    assert_int_equal(IMessage_SaveChanges(m, 0), MAPI_E_SUBMITTED);
    IMessage_Release(m);
    SBinary b = eid->Value.bin;
    ENTRYLIST list = { 1, &b };
    assert_int_equal(IMAPIFolder_DeleteMessages(f, &list, 0, NULL, 0), MAPI_W_PARTIAL_COMPLETION);
    m = fx_reopen(mdb, eid, 0);
    fx_assert_string(m, PR_SUBJECT, "locked");
    IMessage_Release(m);
    MAPIFreeBuffer(eid);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

static void abort_submit_takes_a_queued_message_back(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("submit_abort");
    LPMAPIFOLDER f = outbox(mdb);
    LPSPropValue eid = NULL;
    submit_one(mdb, f, "taken back", &eid);
    ULONG cb = eid->Value.bin.cb;
    LPENTRYID id = (LPENTRYID)eid->Value.bin.lpb;
    assert_int_equal(IMsgStore_AbortSubmit(mdb, cb, id, 1), MAPI_E_UNKNOWN_FLAGS);
    BYTE junk[5] = { 0 };
    assert_int_equal(IMsgStore_AbortSubmit(mdb, sizeof junk, (LPENTRYID)junk, 0),
                     MAPI_E_INVALID_ENTRYID);
    assert_int_equal(IMsgStore_AbortSubmit(mdb, cb, id, 0), S_OK);
    assert_false(flags_of(mdb, eid) & MSGFLAG_SUBMIT);
    assert_int_equal(IMsgStore_AbortSubmit(mdb, cb, id, 0), MAPI_E_NOT_IN_QUEUE);
    /* No longer locked: it can be changed and sent again. */
    LPMESSAGE m = fx_reopen(mdb, eid, MAPI_MODIFY);
    LPSPropValue v = NULL;
    assert_int_equal(fx_try_get(m, PR_SUBMIT_FLAGS, &v), MAPI_E_NOT_FOUND);
    MAPIFreeBuffer(v);
    fx_set_string(m, PR_SUBJECT, "edited");
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    assert_int_equal(IMessage_SubmitMessage(m, 0), S_OK);
    IMessage_Release(m);
    assert_true(flags_of(mdb, eid) & MSGFLAG_SUBMIT);
    MAPIFreeBuffer(eid);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
    assert_int_equal(fx_count(fx_store_path_keep("submit_abort"),
                              "SELECT count(*) FROM submit_queue"),
                     1);
}

static void a_message_a_spooler_took_cannot_be_aborted(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("submit_taken");
    LPMAPIFOLDER f = outbox(mdb);
    LPSPropValue eid = NULL;
    submit_one(mdb, f, "in flight", &eid);
    /* What a spooler's lock leaves in the file. */
    assert_int_equal(fx_count(fx_store_path_keep("submit_taken"),
                              "UPDATE submit_queue SET state = 1 RETURNING 1"),
                     1);
    assert_int_equal(IMsgStore_AbortSubmit(mdb, eid->Value.bin.cb,
                                           (LPENTRYID)eid->Value.bin.lpb, 0),
                     MAPI_E_UNABLE_TO_ABORT);
    LPMESSAGE m = fx_reopen(mdb, eid, 0);
    LPSPropValue sf = fx_get(m, PR_SUBMIT_FLAGS);
    assert_int_equal(sf->Value.l, SUBMITFLAG_LOCKED);
    MAPIFreeBuffer(sf);
    IMessage_Release(m);
    MAPIFreeBuffer(eid);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

typedef struct {
    LPMAPIFOLDER f;
} sweep_ctx;

static HRESULT submit_body(void *ctx)
{
    sweep_ctx *c = ctx;
    LPMESSAGE m = NULL;
    HRESULT hr = IMAPIFolder_CreateMessage(c->f, NULL, 0, &m);
    if (hr != S_OK)
        return hr;
    SPropValue r[] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "Ada" },
                       { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO } };
    SizedADRLIST(1, list) = { 1, { { 0, 2, r } } };
    hr = IMessage_ModifyRecipients(m, MODRECIP_ADD, (LPADRLIST)&list);
    if (hr == S_OK)
        hr = IMessage_SubmitMessage(m, 0);
    IMessage_Release(m);
    return hr;
}

static void submitting_survives_every_allocation_failure(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("submit_oom");
    sweep_ctx c = { outbox(mdb) };
    assert_true(fm_test_oom_sweep(submit_body, &c) > 0);
    IMAPIFolder_Release(c.f);
    IMsgStore_Release(mdb);
    /* Every run that said S_OK left exactly one queued message. */
    const char *p = fx_store_path_keep("submit_oom");
    assert_int_equal(fx_count(p, "SELECT count(*) FROM submit_queue"),
                     fx_count(p, "SELECT count(*) FROM messages WHERE flags & 4"));
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_empty_recipient_table_is_no_recipients_and_the_message_stays_open),
        cmocka_unit_test(submitting_saves_marks_and_queues_the_message),
        cmocka_unit_test(a_queued_message_is_locked_against_saving_and_deleting),
        cmocka_unit_test(abort_submit_takes_a_queued_message_back),
        cmocka_unit_test(a_message_a_spooler_took_cannot_be_aborted),
        cmocka_unit_test(submitting_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
