/*
 * tests/session/test_session_advise.c - IMAPISession::Advise as MAPI
 * documents it: a store object's entry ID registers with that store (the
 * session keeps it open for the registration), so a message saved through
 * any store object on the mailbox is notified; a NULL entry ID registers on
 * the session itself; an entry ID of no provider is MAPI_E_UNKNOWN_ENTRYID;
 * Unadvise and Logoff end registrations and leave nothing behind.
 */
#include "../notify/notify_fixture.h"
#include "session_fixture.h"

#define PROFILE "advise-alice"

static IMAPIFolder *open_inbox(LPMDB mdb)
{
    LPENTRYID e = NULL;
    ULONG cb = 0, type = 0;
    assert_int_equal(IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &e, NULL), S_OK);
    IMAPIFolder *f = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, cb, e, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&f),
                     S_OK);
    MAPIFreeBuffer(e);
    return f;
}

static void deliver(IMAPIFolder *f)
{
    LPMESSAGE m = NULL;
    SPropValue v = { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = 0 };
    assert_int_equal(IMAPIFolder_CreateMessage(f, NULL, 0, &m), S_OK);
    assert_int_equal(IMessage_SetProps(m, 1, &v, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
}

static void a_folder_entry_id_registers_with_its_store(void **state)
{
    (void)state;
    LPMAPISESSION s = fx_logon(PROFILE);
    LPMDB mdb = fx_open_default(s);
    IMAPIFolder *inbox = open_inbox(mdb);
    LPSPropValue eid = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)inbox, PR_ENTRYID, &eid), S_OK);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 0;
    /* Once before the baseline: what following the file caches (the log's
     * reader connection) lives as long as the caller's store object. */
    assert_int_equal(IMAPISession_Advise(s, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         fnevNewMail, sink, &conn),
                     S_OK);
    assert_int_equal(IMAPISession_Unadvise(s, conn), S_OK);
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    assert_int_equal(IMAPISession_Advise(s, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         fnevNewMail, sink, &conn),
                     S_OK);
    deliver(inbox); /* through the caller's own store object */
    assert_int_equal(nx_recorder_wait(&r, 1), 1);
    assert_int_equal(fm_notify_wait_idle(30000), S_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.seen[0]->ulEventType, fnevNewMail);
    const NEWMAIL_NOTIFICATION *nm = &r.seen[0]->info.newmail;
    assert_int_equal(nm->cbParentID, eid->Value.bin.cb);
    assert_memory_equal(nm->lpParentID, eid->Value.bin.lpb, eid->Value.bin.cb);

    assert_int_equal(IMAPISession_Unadvise(s, conn), S_OK);
    assert_int_equal(IMAPISession_Unadvise(s, conn), MAPI_E_NOT_FOUND);
    deliver(inbox);
    assert_int_equal(fm_notify_wait_idle(30000), S_OK);
    assert_int_equal(r.n, 1);
    nx_recorder_clear(&r);
    fm_test_assert_no_leak(&b);
    IMAPIAdviseSink_Release(sink);
    MAPIFreeBuffer(eid);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    IMAPISession_Logoff(s, 0, 0, 0);
    IMAPISession_Release(s);
}

static void the_session_itself_and_unknown_entry_ids(void **state)
{
    (void)state;
    LPMAPISESSION s = fx_logon(PROFILE);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 0;
    /* NULL: the session's own events (critical errors are always included). */
    assert_int_equal(IMAPISession_Advise(s, 0, NULL, fnevExtended, sink, &conn), S_OK);
    assert_true(conn != 0);
    assert_int_equal(IMAPISession_Unadvise(s, conn), S_OK);
    BYTE junk[24] = { 0, 0, 0, 0, 9, 9, 9 };
    assert_int_equal(IMAPISession_Advise(s, sizeof junk, (LPENTRYID)junk, fnevNewMail, sink,
                                         &conn),
                     MAPI_E_UNKNOWN_ENTRYID);
    assert_int_equal(IMAPISession_Advise(s, 0, NULL, fnevNewMail, NULL, &conn),
                     MAPI_E_INVALID_PARAMETER);
    IMAPISession_Release(s);
    IMAPIAdviseSink_Release(sink);
    nx_recorder_clear(&r);
}

/* Logoff (here: the last Release) ends what was not Unadvised: the store
 * the session kept open for it is released, the file no longer followed. */
static void logoff_ends_every_registration(void **state)
{
    (void)state;
    LPMAPISESSION s = fx_logon(PROFILE);
    LPSPropValue eid = fx_default_store_eid(s);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR c1 = 0, c2 = 0;
    assert_int_equal(IMAPISession_Advise(s, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         fnevObjectCreated, sink, &c1),
                     S_OK);
    assert_int_equal(IMAPISession_Advise(s, 0, NULL, fnevCriticalError, sink, &c2), S_OK);
    fmapi_notify_stats st;
    fmapi_notify_get_stats(&st);
    assert_int_equal(st.registrations, 2);
    assert_int_equal(st.subscribed_stores, 1);
    IMAPISession_Release(s);
    fmapi_notify_get_stats(&st);
    assert_int_equal(st.registrations, 0);
    assert_int_equal(st.subscribed_stores, 0);
    assert_int_equal(st.sinks, 0);
    MAPIFreeBuffer(eid);
    IMAPIAdviseSink_Release(sink);
    nx_recorder_clear(&r);
}

static int setup(void **state)
{
    (void)state;
    fx_profile_env();
    fx_site_dir();
    if (MAPIInitialize(NULL) != S_OK)
        return -1;
    fx_make_site_profile(PROFILE, "alice", "alice-pw");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    MAPIUninitialize();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_folder_entry_id_registers_with_its_store),
        cmocka_unit_test(the_session_itself_and_unknown_entry_ids),
        cmocka_unit_test(logoff_ends_every_registration),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
