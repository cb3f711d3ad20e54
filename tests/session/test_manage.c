/*
 * tests/session/test_manage.c - other users' mailboxes: IExchangeManageStore
 * from a session's store, CreateStoreEntryID and OpenMsgStore with and
 * without rights, forged entry IDs, rights revoked while logged on, and an
 * out-of-memory sweep.
 */
#include "session_fixture.h"
#include "site/site.h"
#include "store/entryid.h"

static LPEXCHANGEMANAGESTORE manage(LPMDB mdb)
{
    LPEXCHANGEMANAGESTORE ems = NULL;
    assert_int_equal(IMsgStore_QueryInterface(mdb, &IID_IExchangeManageStore, (void **)&ems),
                     S_OK);
    return ems;
}

static void service_account_opens_a_mailbox_it_may_impersonate(void **state)
{
    (void)state;
    fx_make_site_profile("svc", "svc", "svc-pw");
    LPMAPISESSION s = fx_logon("svc");
    LPMDB own = fx_open_default(s);
    LPEXCHANGEMANAGESTORE ems = manage(own);
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    assert_int_equal(IExchangeManageStore_CreateStoreEntryID(ems, "/o=site", "alice@example.org",
                                                             OPENSTORE_USE_ADMIN_PRIVILEGE |
                                                                 OPENSTORE_TAKE_OWNERSHIP,
                                                             &cb, &eid),
                     S_OK);
    LPMDB alice = NULL;
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, cb, eid, NULL, MDB_WRITE, &alice), S_OK);
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)alice, PR_STORE_ENTRYID, &v), S_OK);
    assert_int_equal(v->Value.bin.cb, cb);
    assert_memory_equal(v->Value.bin.lpb, eid, cb);
    MAPIFreeBuffer(v);
    /* OpenEntry through the session reaches it too (routed by its UID). */
    ULONG type = 0;
    LPUNKNOWN obj = NULL;
    assert_int_equal(IMAPISession_OpenEntry(s, cb, eid, NULL, 0, &type, &obj), S_OK);
    assert_int_equal(type, MAPI_STORE);
    IUnknown_Release(obj);
    /* QueryInterface back from the manage interface. */
    LPMDB back = NULL;
    assert_int_equal(IExchangeManageStore_QueryInterface(ems, &IID_IMsgStore, (void **)&back),
                     S_OK);
    assert_ptr_equal(back, own);
    IMsgStore_Release(back);
    IMsgStore_Release(alice);
    MAPIFreeBuffer(eid);

    /* Bob's mailbox: no right. */
    assert_int_equal(IExchangeManageStore_CreateStoreEntryID(ems, NULL, "bob", 0, &cb, &eid),
                     MAPI_E_NO_ACCESS);
    assert_null(eid);
    assert_int_equal(IExchangeManageStore_CreateStoreEntryID(ems, NULL, "nobody", 0, &cb, &eid),
                     MAPI_E_NOT_FOUND);
    assert_int_equal(IExchangeManageStore_CreateStoreEntryID(ems, NULL, NULL, 0, &cb, &eid),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IExchangeManageStore_CreateStoreEntryID(ems, NULL, "bob", 0x80000000, &cb,
                                                             &eid),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IExchangeManageStore_CreateStoreEntryID(ems, NULL, "bob", OPENSTORE_PUBLIC,
                                                             &cb, &eid),
                     MAPI_E_NO_SUPPORT);
    LPMAPITABLE t = NULL;
    assert_int_equal(IExchangeManageStore_GetMailboxTable(ems, NULL, &t, 0), MAPI_E_NO_SUPPORT);
    assert_int_equal(IExchangeManageStore_GetPublicFolderTable(ems, NULL, &t, 0),
                     MAPI_E_NO_SUPPORT);
    IExchangeManageStore_Release(ems);
    IMsgStore_Release(own);
    assert_int_equal(IMAPISession_Logoff(s, 0, 0, 0), S_OK);
    IMAPISession_Release(s);
}

static void a_forged_entry_id_is_still_checked(void **state)
{
    (void)state;
    fx_make_site_profile("forger", "alice", "alice-pw");
    /* Alice builds bob's store entry ID by hand from the directory. */
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(fx_site_dir(), 0, &site), S_OK);
    fm_site_entry bob;
    assert_int_equal(fm_site_find(site, "bob", &bob), S_OK);
    BYTE eid[FM_EID_SIZE];
    fm_entryid_write(&bob.store_uid, FM_EID_STORE, 0, eid);
    fm_site_entry_clear(&bob);
    fmapi_site_close(site);
    LPMAPISESSION s = fx_logon("forger");
    LPMDB mdb = NULL;
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, FM_EID_SIZE, (LPENTRYID)eid, NULL, 0, &mdb),
                     MAPI_E_NO_ACCESS);
    ULONG type = 0;
    LPUNKNOWN obj = NULL;
    assert_int_equal(IMAPISession_OpenEntry(s, FM_EID_SIZE, (LPENTRYID)eid, NULL, 0, &type, &obj),
                     MAPI_E_NO_ACCESS);
    MAPIUID unknown = { { 0x77 } };
    fm_entryid_write(&unknown, FM_EID_STORE, 0, eid);
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, FM_EID_SIZE, (LPENTRYID)eid, NULL, 0, &mdb),
                     MAPI_E_NOT_FOUND);
    assert_int_equal(IMAPISession_Logoff(s, 0, 0, 0), S_OK);
    IMAPISession_Release(s);
}

static void rights_are_checked_at_every_open(void **state)
{
    (void)state;
    fx_make_site_profile("aide", "bob", "bob-pw");
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(fx_site_dir(), 0, &site), S_OK);
    assert_int_equal(fmapi_site_grant(site, "bob", "alice", FMAPI_RIGHT_FULL_ACCESS), S_OK);
    LPMAPISESSION s = fx_logon("aide");
    LPMDB own = fx_open_default(s);
    LPEXCHANGEMANAGESTORE ems = manage(own);
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    assert_int_equal(IExchangeManageStore_CreateStoreEntryID(ems, NULL, "alice", 0, &cb, &eid),
                     S_OK);
    LPMDB alice = NULL;
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, cb, eid, NULL, 0, &alice), S_OK);
    IMsgStore_Release(alice);
    /* Send-as alone does not open a mailbox; revoking full access closes it
     * to the next open, in the same session. */
    assert_int_equal(fmapi_site_grant(site, "bob", "alice", FMAPI_RIGHT_SEND_AS), S_OK);
    assert_int_equal(fmapi_site_revoke(site, "bob", "alice", FMAPI_RIGHT_FULL_ACCESS), S_OK);
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, cb, eid, NULL, 0, &alice),
                     MAPI_E_NO_ACCESS);
    assert_int_equal(fmapi_site_grant(site, "bob", "alice", FMAPI_RIGHT_OWNER), S_OK);
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, cb, eid, NULL, 0, &alice), S_OK);
    IMsgStore_Release(alice);
    assert_int_equal(fmapi_site_revoke(site, "bob", "alice", FMAPI_RIGHTS_ALL), S_OK);
    MAPIFreeBuffer(eid);
    IExchangeManageStore_Release(ems);
    IMsgStore_Release(own);
    assert_int_equal(IMAPISession_Logoff(s, 0, 0, 0), S_OK);
    IMAPISession_Release(s);
    fmapi_site_close(site);
}

static void a_store_file_profile_has_no_site_identity(void **state)
{
    (void)state;
    LPPROFADMIN pa = NULL;
    assert_int_equal(MAPIAdminProfiles(0, &pa), S_OK);
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "plain", NULL, 0, 0), S_OK);
    LPSERVICEADMIN sa = NULL;
    assert_int_equal(IProfAdmin_AdminServices(pa, (LPTSTR) "plain", NULL, 0, 0, &sa), S_OK);
    assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_STORE, NULL, 0,
                                                       0),
                     S_OK);
    MAPIUID uid = fx_first_service(sa);
    char path[700];
    snprintf(path, sizeof path, "%s/plain.fmdb", fm_test_tmpdir());
    SPropValue cfg = { .ulPropTag = PR_PST_PATH_A };
    cfg.Value.lpszA = path;
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, 0, 1, &cfg), S_OK);
    IMsgServiceAdmin_Release(sa);
    IProfAdmin_Release(pa);
    LPMAPISESSION s = fx_logon("plain");
    LPMDB mdb = fx_open_default(s);
    LPEXCHANGEMANAGESTORE ems = manage(mdb);
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    assert_int_equal(IExchangeManageStore_CreateStoreEntryID(ems, NULL, "alice", 0, &cb, &eid),
                     MAPI_E_NO_SUPPORT);
    IExchangeManageStore_Release(ems);
    IMsgStore_Release(mdb);
    assert_int_equal(IMAPISession_Logoff(s, 0, 0, 0), S_OK);
    IMAPISession_Release(s);
    /* A store opened without a session has no IExchangeManageStore. */
    LPMDB direct = NULL;
    assert_int_equal(fmapi_store_open(path, 0, &direct), S_OK);
    assert_int_equal(IMsgStore_QueryInterface(direct, &IID_IExchangeManageStore, (void **)&ems),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    IMsgStore_Release(direct);
}

/* ---- out of memory -------------------------------------------------------------- */

static HRESULT oom_other_mailbox(void *ctx)
{
    LPMAPISESSION s = ctx;
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    HRESULT hr = IMAPISession_GetMsgStoresTable(s, 0, &t);
    if (hr == S_OK) {
        hr = IMAPITable_QueryRows(t, 1, 0, &rows);
        IMAPITable_Release(t);
    }
    LPMDB own = NULL, other = NULL;
    if (hr == S_OK) {
        LPSPropValue e = PpropFindProp(rows->aRow[0].lpProps, rows->aRow[0].cValues,
                                       PR_ENTRYID);
        hr = IMAPISession_OpenMsgStore(s, 0, e->Value.bin.cb, (LPENTRYID)e->Value.bin.lpb, NULL,
                                       0, &own);
        FreeProws(rows);
    }
    LPEXCHANGEMANAGESTORE ems = NULL;
    if (hr == S_OK)
        hr = IMsgStore_QueryInterface(own, &IID_IExchangeManageStore, (void **)&ems);
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    if (hr == S_OK)
        hr = IExchangeManageStore_CreateStoreEntryID(ems, NULL, "alice", 0, &cb, &eid);
    if (hr == S_OK)
        hr = IMAPISession_OpenMsgStore(s, 0, cb, eid, NULL, 0, &other);
    if (other)
        IMsgStore_Release(other);
    MAPIFreeBuffer(eid);
    if (ems)
        IExchangeManageStore_Release(ems);
    if (own)
        IMsgStore_Release(own);
    return hr;
}

static void out_of_memory_sweep(void **state)
{
    (void)state;
    fx_make_site_profile("oomsvc", "svc", "svc-pw");
    LPMAPISESSION s = fx_logon("oomsvc");
    assert_int_equal(oom_other_mailbox(s), S_OK);
    assert_true(fm_test_oom_sweep(oom_other_mailbox, s) > 20);
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
        cmocka_unit_test(service_account_opens_a_mailbox_it_may_impersonate),
        cmocka_unit_test(a_forged_entry_id_is_still_checked),
        cmocka_unit_test(rights_are_checked_at_every_open),
        cmocka_unit_test(a_store_file_profile_has_no_site_identity),
        cmocka_unit_test(out_of_memory_sweep),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
