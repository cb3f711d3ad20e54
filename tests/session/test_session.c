/*
 * tests/session/test_session.c - MAPILogonEx's flags and errors and every
 * IMAPISession method: stores and status tables, OpenMsgStore, OpenEntry
 * and CompareEntryIDs routed by store, QueryIdentity, SetDefaultStore,
 * OpenProfileSection, AdminServices, Logoff, GetLastError, the methods
 * later layers bring (MAPI_E_NO_SUPPORT), and an out-of-memory sweep over
 * logon, open and logoff.
 */
#include "session_fixture.h"
#include "store/entryid.h"

static LPMAPISESSION logon_flags(const char *name, const char *pw, ULONG flags, HRESULT expect)
{
    LPMAPISESSION s = NULL;
    assert_int_equal(MAPILogonEx(0, (LPTSTR)name, (LPTSTR)pw, flags, &s), expect);
    if (expect != S_OK)
        assert_null(s);
    return s;
}

static void bye(LPMAPISESSION s)
{
    assert_int_equal(IMAPISession_Logoff(s, 0, 0, 0), S_OK);
    IMAPISession_Release(s);
}

static void logon_errors(void **state)
{
    (void)state;
    fx_make_site_profile("errs", "alice", "alice-pw");
    logon_flags("nope", NULL, MAPI_EXTENDED, MAPI_E_NOT_FOUND);
    logon_flags("errs", NULL, 0x40000000, MAPI_E_UNKNOWN_FLAGS);
    char long_name[80];
    memset(long_name, 'x', 70);
    long_name[70] = '\0';
    logon_flags(long_name, NULL, MAPI_EXTENDED, MAPI_E_INVALID_PARAMETER);
    /* No name, no MAPI_USE_DEFAULT and no default profile: no UI to ask. */
    logon_flags(NULL, NULL, MAPI_EXTENDED | MAPI_LOGON_UI, MAPI_E_LOGON_FAILED);
    assert_int_equal(MAPILogonEx(0, (LPTSTR) "errs", NULL, 0, NULL), MAPI_E_INVALID_PARAMETER);
    MAPIUninitialize();
    logon_flags("errs", NULL, MAPI_EXTENDED, MAPI_E_NOT_INITIALIZED);
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    MAPIINIT_0 bad = { 7, 0 };
    assert_int_equal(MAPIInitialize(&bad), MAPI_E_VERSION);
    MAPIINIT_0 badflags = { MAPI_INIT_VERSION, 0x100 };
    assert_int_equal(MAPIInitialize(&badflags), MAPI_E_UNKNOWN_FLAGS);
    MAPIINIT_0 good = { MAPI_INIT_VERSION, MAPI_MULTITHREAD_NOTIFICATIONS | MAPI_NO_COINIT |
                                               MAPI_NT_SERVICE };
    assert_int_equal(MAPIInitialize(&good), S_OK); /* counted: two now */
    MAPIUninitialize();
}

static void wrong_password_and_unconfigured_service(void **state)
{
    (void)state;
    /* No remembered password: lpszPassword is the site password. */
    fx_make_site_profile("askpw", "bob", NULL);
    logon_flags("askpw", "bad", MAPI_EXTENDED | MAPI_NEW_SESSION, MAPI_E_LOGON_FAILED);
    bye(logon_flags("askpw", "bob-pw", MAPI_EXTENDED | MAPI_NEW_SESSION, S_OK));
    static const WCHAR wname[] = u"askpw", wpw[] = u"bob-pw";
    LPMAPISESSION s = NULL;
    assert_int_equal(MAPILogonEx(0, (LPTSTR)wname, (LPTSTR)wpw,
                                 MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_UNICODE, &s),
                     S_OK);
    bye(s);

    LPPROFADMIN pa = NULL;
    assert_int_equal(MAPIAdminProfiles(0, &pa), S_OK);
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "bare", NULL, 0, 0), S_OK);
    LPSERVICEADMIN sa = NULL;
    assert_int_equal(IProfAdmin_AdminServices(pa, (LPTSTR) "bare", NULL, 0, 0, &sa), S_OK);
    /* An empty profile logs on, with no stores. */
    s = logon_flags("bare", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, S_OK);
    LPMAPITABLE t = NULL;
    ULONG n = 9;
    assert_int_equal(IMAPISession_GetMsgStoresTable(s, 0, &t), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), S_OK);
    assert_int_equal(n, 0);
    IMAPITable_Release(t);
    bye(s);
    assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_STORE, NULL, 0,
                                                       0),
                     S_OK);
    logon_flags("bare", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, MAPI_E_UNCONFIGURED);
    /* A profile with its own password. */
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "locked", (LPTSTR) "ppw", 0, 0),
                     S_OK);
    logon_flags("locked", "bad", MAPI_EXTENDED | MAPI_NEW_SESSION, MAPI_E_LOGON_FAILED);
    bye(logon_flags("locked", "ppw", MAPI_EXTENDED | MAPI_NEW_SESSION, S_OK));
    IMsgServiceAdmin_Release(sa);
    IProfAdmin_Release(pa);
}

static void default_profile_and_shared_sessions(void **state)
{
    (void)state;
    fx_make_site_profile("dflt", "alice", "alice-pw");
    LPPROFADMIN pa = NULL;
    assert_int_equal(MAPIAdminProfiles(0, &pa), S_OK);
    assert_int_equal(IProfAdmin_SetDefaultProfile(pa, NULL, 0), S_OK);
    logon_flags(NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION,
                MAPI_E_NOT_FOUND);
    assert_int_equal(IProfAdmin_SetDefaultProfile(pa, (LPTSTR) "dflt", 0), S_OK);
    IProfAdmin_Release(pa);
    LPMAPISESSION s = logon_flags(NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT |
                                                  MAPI_NEW_SESSION | MAPI_ALLOW_OTHERS,
                                  S_OK);
    /* MAPI_EXPLICIT_PROFILE forbids falling back on the default. */
    logon_flags(NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_EXPLICIT_PROFILE |
                                MAPI_NEW_SESSION,
                MAPI_E_LOGON_FAILED);
    /* Without MAPI_NEW_SESSION the shared session is returned. */
    LPMAPISESSION again = logon_flags("anything", NULL, MAPI_EXTENDED, S_OK);
    assert_ptr_equal(again, s);
    IMAPISession_Release(again);
    LPMAPISESSION fresh = logon_flags("dflt", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION |
                                                        MAPI_FORCE_DOWNLOAD | MAPI_TIMEOUT_SHORT |
                                                        MAPI_BG_SESSION | MAPI_NT_SERVICE,
                                      S_OK);
    assert_ptr_not_equal(fresh, s);
    bye(fresh);
    assert_int_equal(IMAPISession_Logoff(s, 0, MAPI_LOGOFF_SHARED, 0), S_OK);
    IMAPISession_Release(s);
    /* Logged off: no longer shared. */
    logon_flags("nope", NULL, MAPI_EXTENDED, MAPI_E_NOT_FOUND);
}

/* MAPILogonEx's documented defaults: MAPI_USE_DEFAULT substitutes the
 * default profile for whatever name is passed, and MAPI_LOGON_UI with no
 * name logs on to the default profile (the one Windows' chooser preselects;
 * freemapi shows no chooser), saying so when there is none. */
static void logon_ui_and_use_default_take_the_default_profile(void **state)
{
    (void)state;
    fx_make_site_profile("uidef", "alice", "alice-pw");
    LPPROFADMIN pa = NULL;
    assert_int_equal(MAPIAdminProfiles(0, &pa), S_OK);
    assert_int_equal(IProfAdmin_SetDefaultProfile(pa, NULL, 0), S_OK);
    logon_flags(NULL, NULL, MAPI_EXTENDED | MAPI_LOGON_UI | MAPI_NEW_SESSION,
                MAPI_E_LOGON_FAILED);
    assert_non_null(strstr(fmapi_last_error(), "no default profile"));
    assert_int_equal(IProfAdmin_SetDefaultProfile(pa, (LPTSTR) "uidef", 0), S_OK);
    bye(logon_flags(NULL, NULL, MAPI_EXTENDED | MAPI_LOGON_UI | MAPI_NEW_SESSION, S_OK));
    bye(logon_flags("no such profile", NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION,
                    S_OK));
    /* MAPI_EXPLICIT_PROFILE with no name: the user must name one. */
    logon_flags(NULL, NULL, MAPI_EXTENDED | MAPI_LOGON_UI | MAPI_EXPLICIT_PROFILE |
                                MAPI_NEW_SESSION,
                MAPI_E_LOGON_FAILED);
    assert_int_equal(IProfAdmin_SetDefaultProfile(pa, NULL, 0), S_OK);
    IProfAdmin_Release(pa);
}

static void tables_identity_and_default_store(void **state)
{
    (void)state;
    fx_make_site_profile("tables", "alice", "alice-pw");
    /* Add a store-file service as a second store. */
    LPMAPISESSION s = fx_logon("tables");
    LPSERVICEADMIN sa = NULL;
    assert_int_equal(IMAPISession_AdminServices(s, 0, &sa), S_OK);
    assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_STORE,
                                                       (LPTSTR) "Archive", 0, 0),
                     S_OK);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMsgServiceAdmin_GetMsgServiceTable(sa, 0, &t), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 10, 0, &rows), S_OK);
    MAPIUID uid;
    memcpy(uid.ab, PpropFindProp(rows->aRow[1].lpProps, rows->aRow[1].cValues,
                                 PR_SERVICE_UID)->Value.bin.lpb, 16);
    FreeProws(rows);
    IMAPITable_Release(t);
    char path[700];
    snprintf(path, sizeof path, "%s/archive.fmdb", fm_test_tmpdir());
    SPropValue cfg = { .ulPropTag = PR_PST_PATH_A };
    cfg.Value.lpszA = path;
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, 0, 1, &cfg), S_OK);
    IMsgServiceAdmin_Release(sa);
    bye(s);

    s = fx_logon("tables");
    assert_int_equal(IMAPISession_GetMsgStoresTable(s, MAPI_UNICODE, &t), S_OK);
    assert_int_equal(IMAPITable_QueryRows(t, 10, 0, &rows), S_OK);
    IMAPITable_Release(t);
    assert_int_equal(rows->cRows, 2);
    LPSPropValue name = PpropFindProp(rows->aRow[1].lpProps, rows->aRow[1].cValues,
                                      PR_DISPLAY_NAME_W);
    assert_non_null(name);
    assert_memory_equal(name->Value.lpszW, u"Archive", 16);
    assert_true(PpropFindProp(rows->aRow[0].lpProps, rows->aRow[0].cValues,
                              PR_DEFAULT_STORE)->Value.b);
    assert_false(PpropFindProp(rows->aRow[1].lpProps, rows->aRow[1].cValues,
                               PR_DEFAULT_STORE)->Value.b);
    assert_memory_equal(PpropFindProp(rows->aRow[0].lpProps, rows->aRow[0].cValues,
                                      PR_MDB_PROVIDER)->Value.bin.lpb,
                        "freemapi.store", 14);
    LPSPropValue archive = PpropFindProp(rows->aRow[1].lpProps, rows->aRow[1].cValues,
                                         PR_ENTRYID);
    assert_int_equal(IMAPISession_SetDefaultStore(s, MAPI_DEFAULT_STORE, archive->Value.bin.cb,
                                                  (LPENTRYID)archive->Value.bin.lpb),
                     S_OK);
    assert_int_equal(IMAPISession_SetDefaultStore(s, 0x77, archive->Value.bin.cb,
                                                  (LPENTRYID)archive->Value.bin.lpb),
                     MAPI_E_UNKNOWN_FLAGS);
    LPSPropValue eid = fx_default_store_eid(s);
    assert_memory_equal(eid->Value.bin.lpb, archive->Value.bin.lpb, archive->Value.bin.cb);
    MAPIFreeBuffer(eid);
    BYTE foreign[FM_EID_SIZE];
    MAPIUID other = { { 0x55 } };
    fm_entryid_write(&other, FM_EID_STORE, 0, foreign);
    assert_int_equal(IMAPISession_SetDefaultStore(s, MAPI_DEFAULT_STORE, FM_EID_SIZE,
                                                  (LPENTRYID)foreign),
                     MAPI_E_NOT_FOUND);
    FreeProws(rows);

    /* Status table: the subsystem, one row per store provider, then the
     * spooler, the address book and its provider (session_status.c). */
    assert_int_equal(IMAPISession_GetStatusTable(s, 0, &t), S_OK);
    assert_int_equal(IMAPITable_QueryRows(t, 10, 0, &rows), S_OK);
    IMAPITable_Release(t);
    assert_int_equal(rows->cRows, 6);
    assert_int_equal(PpropFindProp(rows->aRow[0].lpProps, rows->aRow[0].cValues,
                                   PR_RESOURCE_TYPE)->Value.l,
                     MAPI_SUBSYSTEM);
    assert_string_equal(PpropFindProp(rows->aRow[0].lpProps, rows->aRow[0].cValues,
                                      PR_IDENTITY_DISPLAY_A)->Value.lpszA,
                        "Alice Liddell");
    assert_true(PpropFindProp(rows->aRow[1].lpProps, rows->aRow[1].cValues,
                              PR_RESOURCE_FLAGS)->Value.l & STATUS_PRIMARY_IDENTITY);
    assert_true(PpropFindProp(rows->aRow[2].lpProps, rows->aRow[2].cValues,
                              PR_RESOURCE_FLAGS)->Value.l & STATUS_DEFAULT_STORE);
    FreeProws(rows);
    assert_int_equal(IMAPISession_GetStatusTable(s, 0x1, &t), MAPI_E_UNKNOWN_FLAGS);

    ULONG cb = 0;
    LPENTRYID id = NULL;
    assert_int_equal(IMAPISession_QueryIdentity(s, &cb, &id), S_OK);
    assert_int_equal(cb, 32);
    assert_memory_equal((BYTE *)id + 4, "freemapi.sitedir", 16);
    MAPIFreeBuffer(id);
    assert_int_equal(IMAPISession_QueryIdentity(s, NULL, &id), MAPI_E_INVALID_PARAMETER);
    bye(s);

    /* Without a site service there is no identity: MAPI_W_NO_SERVICE. */
    LPPROFADMIN pa = NULL;
    assert_int_equal(MAPIAdminProfiles(0, &pa), S_OK);
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "noid", NULL, 0, 0), S_OK);
    IProfAdmin_Release(pa);
    s = fx_logon("noid");
    assert_int_equal(IMAPISession_QueryIdentity(s, &cb, &id), MAPI_W_NO_SERVICE);
    assert_non_null(id);
    MAPIFreeBuffer(id);
    bye(s);
}

static void open_entry_is_routed_by_the_store_in_the_entry_id(void **state)
{
    (void)state;
    fx_make_site_profile("route", "alice", "alice-pw");
    LPMAPISESSION s = fx_logon("route");
    LPMDB mdb = fx_open_default(s);
    LPSPropValue inbox_eid = NULL;
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0;
    assert_int_equal(IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL), S_OK);
    LPMAPIFOLDER f = NULL;
    assert_int_equal(IMAPISession_OpenEntry(s, cb, eid, NULL, MAPI_BEST_ACCESS, &type,
                                            (LPUNKNOWN *)&f),
                     S_OK);
    assert_int_equal(type, MAPI_FOLDER);
    assert_int_equal(HrGetOneProp((LPMAPIPROP)f, PR_ENTRYID, &inbox_eid), S_OK);
    ULONG same = 0;
    assert_int_equal(IMAPISession_CompareEntryIDs(s, cb, eid, inbox_eid->Value.bin.cb,
                                                  (LPENTRYID)inbox_eid->Value.bin.lpb, 0, &same),
                     S_OK);
    assert_true(same);
    LPSPropValue store_eid = fx_default_store_eid(s);
    assert_int_equal(IMAPISession_CompareEntryIDs(s, cb, eid, store_eid->Value.bin.cb,
                                                  (LPENTRYID)store_eid->Value.bin.lpb, 0, &same),
                     S_OK);
    assert_false(same);
    LPUNKNOWN store = NULL;
    assert_int_equal(IMAPISession_OpenEntry(s, store_eid->Value.bin.cb,
                                            (LPENTRYID)store_eid->Value.bin.lpb, NULL, 0, &type,
                                            &store),
                     S_OK);
    assert_int_equal(type, MAPI_STORE);
    IUnknown_Release(store);
    /* Another store's entry ID (bob's: no rights) and a malformed one. */
    BYTE junk[5] = { 1, 2, 3, 4, 5 };
    assert_int_equal(IMAPISession_OpenEntry(s, 5, (LPENTRYID)junk, NULL, 0, &type, &store),
                     MAPI_E_INVALID_ENTRYID);
    assert_int_equal(IMAPISession_CompareEntryIDs(s, 5, (LPENTRYID)junk, cb, eid, 0, &same),
                     MAPI_E_UNKNOWN_ENTRYID);
    assert_int_equal(IMAPISession_CompareEntryIDs(s, cb, eid, cb, eid, 1, &same),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IMAPISession_OpenEntry(s, 0, NULL, NULL, 0, &type, &store),
                     MAPI_E_INVALID_ENTRYID);
    LPMAPIERROR err = NULL;
    assert_int_equal(IMAPISession_GetLastError(s, MAPI_E_INVALID_ENTRYID, 0, &err), S_OK);
    assert_string_equal((char *)err->lpszComponent, "IMAPISession");
    MAPIFreeBuffer(err);
    MAPIFreeBuffer(store_eid);
    MAPIFreeBuffer(inbox_eid);
    MAPIFreeBuffer(eid);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
    bye(s);
}

static void open_msg_store_arguments(void **state)
{
    (void)state;
    fx_make_site_profile("openargs", "alice", "alice-pw");
    LPMAPISESSION s = fx_logon("openargs");
    LPSPropValue eid = fx_default_store_eid(s);
    ULONG cb = eid->Value.bin.cb;
    LPENTRYID e = (LPENTRYID)eid->Value.bin.lpb;
    LPMDB mdb = NULL;
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, cb, e, NULL, 0x4000000, &mdb),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, cb, e, &IID_IMessage, 0, &mdb),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, 0, NULL, NULL, 0, &mdb),
                     MAPI_E_INVALID_ENTRYID);
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, cb, e, NULL, 0, NULL),
                     MAPI_E_INVALID_PARAMETER);
    /* Without MDB_WRITE or MAPI_BEST_ACCESS the store is read-only. */
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, cb, e, &IID_IMsgStore,
                                               MDB_NO_DIALOG | MDB_NO_MAIL | MDB_TEMPORARY, &mdb),
                     S_OK);
    LPSPropValue mask = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)mdb, PR_STORE_SUPPORT_MASK, &mask), S_OK);
    assert_true(mask->Value.l & STORE_READONLY);
    MAPIFreeBuffer(mask);
    IMsgStore_Release(mdb);
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, cb, e, NULL, MAPI_BEST_ACCESS |
                                                                     MAPI_DEFERRED_ERRORS |
                                                                     MDB_ONLINE,
                                               &mdb),
                     S_OK);
    assert_int_equal(HrGetOneProp((LPMAPIPROP)mdb, PR_STORE_SUPPORT_MASK, &mask), S_OK);
    assert_false(mask->Value.l & STORE_READONLY);
    MAPIFreeBuffer(mask);
    IMsgStore_Release(mdb);
    MAPIFreeBuffer(eid);
    bye(s);
}

/* Programs read PR_DISPLAY_NAME from the store object unchecked: it is the
 * name the message store table shows until the store is given its own. */
static void the_store_object_is_named_as_in_the_store_table(void **state)
{
    (void)state;
    fx_make_site_profile("storename", "alice", "alice-pw");
    LPMAPISESSION s = fx_logon("storename");
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPISession_GetMsgStoresTable(s, 0, &t), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 1, 0, &rows), S_OK);
    LPSPropValue row_name = PpropFindProp(rows->aRow[0].lpProps, rows->aRow[0].cValues,
                                          PR_DISPLAY_NAME_A);
    assert_non_null(row_name);
    LPMDB mdb = fx_open_default(s);
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)mdb, PR_DISPLAY_NAME_A, &v), S_OK);
    assert_string_equal(v->Value.lpszA, row_name->Value.lpszA);
    MAPIFreeBuffer(v);
    SizedSPropTagArray(2, both) = {2, {CHANGE_PROP_TYPE(PR_DISPLAY_NAME_A, PT_UNSPECIFIED), PR_RECORD_KEY}};
    ULONG n = 0;
    assert_int_equal(IMsgStore_GetProps(mdb, (LPSPropTagArray)&both, MAPI_UNICODE, &n, &v), S_OK);
    assert_int_equal(v[0].ulPropTag, PR_DISPLAY_NAME_W);
    assert_int_equal(v[0].Value.lpszW[0], (WCHAR)row_name->Value.lpszA[0]);
    MAPIFreeBuffer(v);
    /* A name of the store's own wins. */
    SPropValue own = { .ulPropTag = PR_DISPLAY_NAME_A };
    own.Value.lpszA = (LPSTR) "Alice's archive";
    assert_int_equal(HrSetOneProp((LPMAPIPROP)mdb, &own), S_OK);
    assert_int_equal(HrGetOneProp((LPMAPIPROP)mdb, PR_DISPLAY_NAME_A, &v), S_OK);
    assert_string_equal(v->Value.lpszA, "Alice's archive");
    MAPIFreeBuffer(v);
    IMsgStore_Release(mdb);
    FreeProws(rows);
    IMAPITable_Release(t);
    bye(s);
}

static LONG long_prop(LPVOID obj, ULONG tag)
{
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)obj, tag, &v), S_OK);
    LONG l = v->Value.l;
    MAPIFreeBuffer(v);
    return l;
}

/* Programs read PR_STORE_SUPPORT_MASK, PR_STORE_ENTRYID and
 * PR_STORE_RECORD_KEY from folders, messages and contents table rows
 * without checking, as Exchange and PST stores give them everywhere. */
static void folders_messages_and_rows_carry_the_store_properties(void **state)
{
    (void)state;
    fx_make_site_profile("storeprops", "alice", "alice-pw");
    LPMAPISESSION s = fx_logon("storeprops");
    LPMDB mdb = fx_open_default(s);
    LONG mask = long_prop(mdb, PR_STORE_SUPPORT_MASK);
    ULONG cb = 0, type = 0;
    LPENTRYID eid = NULL;
    assert_int_equal(IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL), S_OK);
    LPMAPIFOLDER inbox = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type,
                                         (LPUNKNOWN *)&inbox),
                     S_OK);
    MAPIFreeBuffer(eid);
    assert_int_equal(long_prop(inbox, PR_STORE_SUPPORT_MASK), mask);
    LPMESSAGE msg = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &msg), S_OK);
    assert_int_equal(long_prop(msg, PR_STORE_SUPPORT_MASK), mask);
    assert_int_equal(IMessage_SaveChanges(msg, 0), S_OK);
    IMessage_Release(msg);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(inbox, 0, &t), S_OK);
    SizedSPropTagArray(3, cols) = {3, {PR_STORE_SUPPORT_MASK, PR_STORE_ENTRYID,
                                       PR_STORE_RECORD_KEY}};
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    assert_int_equal(rows->aRow[0].lpProps[0].ulPropTag, PR_STORE_SUPPORT_MASK);
    assert_int_equal(rows->aRow[0].lpProps[0].Value.l, mask);
    assert_int_equal(rows->aRow[0].lpProps[1].ulPropTag, PR_STORE_ENTRYID);
    assert_int_equal(rows->aRow[0].lpProps[2].ulPropTag, PR_STORE_RECORD_KEY);
    FreeProws(rows);
    IMAPITable_Release(t);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    bye(s);
}

static void after_logoff_only_release_works(void **state)
{
    (void)state;
    fx_make_site_profile("after", "alice", "alice-pw");
    LPMAPISESSION s = fx_logon("after");
    LPMDB mdb = fx_open_default(s); /* stays usable after Logoff: the caller owns it */
    LPSPropValue eid = fx_default_store_eid(s);
    assert_int_equal(IMAPISession_Logoff(s, 0, 0x10, 0), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IMAPISession_Logoff(s, 0, 0, 1), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPISession_Logoff(s, 0, MAPI_LOGOFF_UI, 0), S_OK);
    assert_int_equal(IMAPISession_Logoff(s, 0, 0, 0), S_OK); /* twice is harmless */
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPISession_GetMsgStoresTable(s, 0, &t), MAPI_E_END_OF_SESSION);
    LPMDB again = NULL;
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, eid->Value.bin.cb,
                                               (LPENTRYID)eid->Value.bin.lpb, NULL, 0, &again),
                     MAPI_E_END_OF_SESSION);
    LPSERVICEADMIN sa = NULL;
    assert_int_equal(IMAPISession_AdminServices(s, 0, &sa), MAPI_E_END_OF_SESSION);
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)mdb, PR_DISPLAY_NAME_A, &v) == S_OK ||
                         HrGetOneProp((LPMAPIPROP)mdb, PR_ENTRYID, &v) == S_OK,
                     1);
    MAPIFreeBuffer(v);
    IMsgStore_Release(mdb);
    MAPIFreeBuffer(eid);
    IMAPISession_Release(s);
}

static void the_address_book_opens_and_later_layers_answer_no_support(void **state)
{
    (void)state;
    fx_make_site_profile("later", "alice", "alice-pw");
    LPMAPISESSION s = fx_logon("later");
    /* the address book opens through the session (tests/ab/ test it fully) */
    LPADRBOOK ab = (LPADRBOOK)1;
    assert_int_equal(IMAPISession_OpenAddressBook(s, 0, &IID_IMAPITable, 0, &ab),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_null(ab);
    assert_int_equal(IMAPISession_OpenAddressBook(s, 0, NULL, 0, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPISession_OpenAddressBook(s, 0, NULL, AB_NO_DIALOG, &ab), S_OK);
    assert_non_null(ab);
    IAddrBook_Release(ab);
    ULONG_PTR conn = 0;
    /* Advise exists (test_session_advise.c); here only its refusals. */
    assert_int_equal(IMAPISession_Advise(s, 0, NULL, fnevNewMail, NULL, &conn),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPISession_Unadvise(s, 1), MAPI_E_NOT_FOUND);
    assert_int_equal(IMAPISession_MessageOptions(s, 0, 0, (LPTSTR) "SMTP", NULL),
                     MAPI_E_NO_SUPPORT);
    ULONG c = 0;
    LPSPropValue opts = NULL;
    assert_int_equal(IMAPISession_QueryDefaultMessageOpt(s, (LPTSTR) "SMTP", 0, &c, &opts),
                     MAPI_E_NO_SUPPORT);
    LPTSTR *types = NULL;
    assert_int_equal(IMAPISession_EnumAdrTypes(s, 0, &c, &types), MAPI_E_NO_SUPPORT);
    ULONG token = 0;
    assert_int_equal(IMAPISession_PrepareForm(s, NULL, NULL, &token), MAPI_E_NO_SUPPORT);
    assert_int_equal(IMAPISession_ShowForm(s, 0, NULL, NULL, NULL, 0, NULL, 0, 0, 0, 0, "IPM"),
                     MAPI_E_NO_SUPPORT);
    LPUNKNOWN unk = NULL;
    assert_int_equal(IMAPISession_QueryInterface(s, &IID_IMAPISession, (void **)&unk), S_OK);
    IUnknown_Release(unk);
    assert_int_equal(IMAPISession_QueryInterface(s, &IID_IMsgStore, (void **)&unk),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    MAPIUID sect_uid = { { 42 } };
    LPPROFSECT sect = NULL;
    assert_int_equal(IMAPISession_OpenProfileSection(s, &sect_uid, NULL, MAPI_MODIFY, &sect),
                     S_OK);
    SPropValue v = { .ulPropTag = PR_COMMENT_A };
    v.Value.lpszA = "kept";
    assert_int_equal(IProfSect_SetProps(sect, 1, &v, NULL), S_OK);
    IProfSect_Release(sect);
    assert_int_equal(IMAPISession_OpenProfileSection(s, NULL, NULL, 0, &sect),
                     MAPI_E_INVALID_PARAMETER);
    bye(s);
}

/* ---- out of memory ------------------------------------------------------------ */

static HRESULT oom_cycle(void *ctx)
{
    (void)ctx;
    LPMAPISESSION s = NULL;
    HRESULT hr = MAPILogonEx(0, (LPTSTR) "oom", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &s);
    if (hr != S_OK)
        return hr;
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    hr = IMAPISession_GetMsgStoresTable(s, 0, &t);
    if (hr == S_OK) {
        hr = IMAPITable_QueryRows(t, 1, 0, &rows);
        IMAPITable_Release(t);
    }
    LPMDB mdb = NULL;
    if (hr == S_OK) {
        LPSPropValue eid = PpropFindProp(rows->aRow[0].lpProps, rows->aRow[0].cValues,
                                         PR_ENTRYID);
        hr = IMAPISession_OpenMsgStore(s, 0, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                       NULL, MDB_WRITE, &mdb);
        FreeProws(rows);
    }
    if (hr == S_OK)
        hr = IMAPISession_GetStatusTable(s, 0, &t);
    if (hr == S_OK)
        IMAPITable_Release(t);
    if (mdb != NULL)
        IMsgStore_Release(mdb);
    HRESULT hr2 = IMAPISession_Logoff(s, 0, 0, 0);
    IMAPISession_Release(s);
    return hr == S_OK ? hr2 : hr;
}

static void out_of_memory_sweep_over_logon_open_logoff(void **state)
{
    (void)state;
    fx_make_site_profile("oom", "alice", "alice-pw");
    assert_int_equal(oom_cycle(NULL), S_OK);
    assert_true(fm_test_oom_sweep(oom_cycle, NULL) > 50);
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
        cmocka_unit_test(logon_errors),
        cmocka_unit_test(wrong_password_and_unconfigured_service),
        cmocka_unit_test(default_profile_and_shared_sessions),
        cmocka_unit_test(logon_ui_and_use_default_take_the_default_profile),
        cmocka_unit_test(tables_identity_and_default_store),
        cmocka_unit_test(open_entry_is_routed_by_the_store_in_the_entry_id),
        cmocka_unit_test(open_msg_store_arguments),
        cmocka_unit_test(the_store_object_is_named_as_in_the_store_table),
        cmocka_unit_test(folders_messages_and_rows_carry_the_store_properties),
        cmocka_unit_test(after_logoff_only_release_works),
        cmocka_unit_test(the_address_book_opens_and_later_layers_answer_no_support),
        cmocka_unit_test(out_of_memory_sweep_over_logon_open_logoff),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
