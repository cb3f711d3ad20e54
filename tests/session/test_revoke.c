/*
 * tests/session/test_revoke.c - a revoked right reaches a mailbox already
 * open (issue 14 item 17): another process revokes bob's full access to
 * alice's mailbox while bob's session holds it open, and bob's next
 * GetProps, SaveChanges, OpenEntry and contents-table QueryRows get
 * MAPI_E_NO_ACCESS with text; bob's own mailbox and a grant left alone
 * (svc's impersonation) keep working, and a new grant opens the door again.
 */
#include <sys/wait.h>
#include <unistd.h>

#include "session_fixture.h"

static LPEXCHANGEMANAGESTORE manage(LPMDB mdb)
{
    LPEXCHANGEMANAGESTORE ems = NULL;
    assert_int_equal(IMsgStore_QueryInterface(mdb, &IID_IExchangeManageStore, (void **)&ems),
                     S_OK);
    return ems;
}

static LPMDB open_other(LPMAPISESSION s, LPMDB own, const char *who)
{
    LPEXCHANGEMANAGESTORE ems = manage(own);
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    assert_int_equal(IExchangeManageStore_CreateStoreEntryID(ems, NULL, (LPSTR)who, 0, &cb, &eid),
                     S_OK);
    LPMDB mdb = NULL;
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, cb, eid, NULL, MDB_WRITE, &mdb), S_OK);
    MAPIFreeBuffer(eid);
    IExchangeManageStore_Release(ems);
    return mdb;
}

/* Another process changes bob's rights on alice (grant or revoke). */
static void in_another_process(bool grant, ULONG rights)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        fmapi_site *site = NULL;
        HRESULT hr = fmapi_site_open(fx_site_dir(), 0, &site);
        if (hr == S_OK)
            hr = grant ? fmapi_site_grant(site, "bob", "alice", rights)
                       : fmapi_site_revoke(site, "bob", "alice", rights);
        fmapi_site_close(site);
        fm_test_child_exit(hr == S_OK ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static LPMAPIFOLDER inbox_of(LPMDB mdb)
{
    ULONG cb = 0, type = 0;
    LPENTRYID eid = NULL;
    assert_int_equal(IMsgStore_GetReceiveFolder(mdb, (LPTSTR) "IPM.Note", 0, &cb, &eid, NULL),
                     S_OK);
    LPMAPIFOLDER f = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&f),
                     S_OK);
    MAPIFreeBuffer(eid);
    return f;
}

static HRESULT subject_of(void *obj)
{
    LPSPropValue v = NULL;
    HRESULT hr = HrGetOneProp(obj, PR_SUBJECT_A, &v);
    MAPIFreeBuffer(v);
    return hr;
}

static HRESULT query_rows(LPMAPITABLE t)
{
    LPSRowSet rows = NULL;
    HRESULT hr = IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, 0, NULL);
    if (hr == S_OK)
        hr = IMAPITable_QueryRows(t, 10, 0, &rows);
    FreeProws(rows);
    return hr;
}

static void refused(HRESULT hr)
{
    assert_int_equal(hr, MAPI_E_NO_ACCESS);
    assert_non_null(strstr(fmapi_last_error(), "no longer holds"));
}

static void a_right_revoked_elsewhere_stops_the_open_mailbox_at_its_next_call(void **state)
{
    (void)state;
    fx_make_site_profile("aide", "bob", "bob-pw");
    in_another_process(true, FMAPI_RIGHT_FULL_ACCESS);
    LPMAPISESSION s = fx_logon("aide");
    LPMDB own = fx_open_default(s);
    LPMDB alice = open_other(s, own, "alice");
    LPMAPIFOLDER inbox = inbox_of(alice);
    LPMESSAGE m = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &m), S_OK);
    SPropValue subj = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "kept" };
    assert_int_equal(HrSetOneProp((LPMAPIPROP)m, &subj), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(inbox, 0, &t), S_OK);
    assert_int_equal(query_rows(t), S_OK);
    LPSPropValue eid = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_ENTRYID, &eid), S_OK);

    in_another_process(false, FMAPI_RIGHT_FULL_ACCESS);
    refused(subject_of(m));
    refused(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE));
    refused(HrSetOneProp((LPMAPIPROP)m, &subj));
    ULONG type = 0;
    LPUNKNOWN unk = NULL;
    refused(IMsgStore_OpenEntry(alice, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb, NULL, 0,
                                &type, &unk));
    refused(query_rows(t));
    refused(subject_of(inbox));

    /* bob's own mailbox is his, whatever he was granted */
    LPMAPIFOLDER own_inbox = inbox_of(own);
    LPMAPITABLE own_t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(own_inbox, 0, &own_t), S_OK);
    assert_int_equal(query_rows(own_t), S_OK);
    IMAPITable_Release(own_t);
    IMAPIFolder_Release(own_inbox);

    /* granted again: the same open objects work again */
    in_another_process(true, FMAPI_RIGHT_OWNER);
    assert_int_equal(subject_of(m), S_OK);
    assert_int_equal(query_rows(t), S_OK);
    in_another_process(false, FMAPI_RIGHTS_ALL);

    MAPIFreeBuffer(eid);
    IMAPITable_Release(t);
    IMessage_Release(m);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(alice);
    IMsgStore_Release(own);
    assert_int_equal(IMAPISession_Logoff(s, 0, 0, 0), S_OK);
    IMAPISession_Release(s);
}

static void a_grant_left_alone_keeps_its_open_mailbox(void **state)
{
    (void)state;
    fx_make_site_profile("service", "svc", "svc-pw");
    LPMAPISESSION s = fx_logon("service");
    LPMDB own = fx_open_default(s);
    LPMDB alice = open_other(s, own, "alice");
    LPMAPIFOLDER inbox = inbox_of(alice);
    /* bob's rights change elsewhere: the directory moved, svc's stays */
    in_another_process(true, FMAPI_RIGHT_FULL_ACCESS);
    in_another_process(false, FMAPI_RIGHTS_ALL);
    assert_int_equal(subject_of(inbox), MAPI_E_NOT_FOUND);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(inbox, 0, &t), S_OK);
    assert_int_equal(query_rows(t), S_OK);
    IMAPITable_Release(t);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(alice);
    IMsgStore_Release(own);
    assert_int_equal(IMAPISession_Logoff(s, 0, 0, 0), S_OK);
    IMAPISession_Release(s);
}

static int setup(void **state)
{
    (void)state;
    fx_profile_env();
    fx_site_dir();
    return MAPIInitialize(NULL) == S_OK ? 0 : -1;
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
        cmocka_unit_test(a_right_revoked_elsewhere_stops_the_open_mailbox_at_its_next_call),
        cmocka_unit_test(a_grant_left_alone_keeps_its_open_mailbox),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
