/*
 * tests/session/test_session_utilities.c - the mapiutil.h and mapiform.h
 * functions that need a logged-on session: compound entry IDs
 * (HrComposeEID, HrDecomposeEID and their text forms), HrValidateIPMSubtree
 * on the default store, and the form manager and form libraries.
 */
#include "mapiform.h"
#include "session_fixture.h"

static LPMAPISESSION session;
static LPMDB mdb;

static int setup(void **state)
{
    fx_profile_env();
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    fx_make_site_profile("utilities", "alice", "alice-pw");
    session = fx_logon("utilities");
    mdb = fx_open_default(session);
    return 0;
}

static int teardown(void **state)
{
    IMsgStore_Release(mdb);
    IMAPISession_Logoff(session, 0, 0, 0);
    IMAPISession_Release(session);
    MAPIUninitialize();
    return 0;
}

static LPSPropValue an_inbox_message_eid(void)
{
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0;
    assert_int_equal(IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL), S_OK);
    LPMAPIFOLDER inbox = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type,
                                         (LPUNKNOWN *)&inbox),
                     S_OK);
    MAPIFreeBuffer(eid);
    LPMESSAGE m = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &m), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READONLY), S_OK);
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_ENTRYID, &v), S_OK);
    IMessage_Release(m);
    IMAPIFolder_Release(inbox);
    return v;
}

static void compound_ids_name_the_store_and_the_message(void **state)
{
    LPSPropValue msg = an_inbox_message_eid();
    LPSPropValue key = NULL, store = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)mdb, PR_RECORD_KEY, &key), S_OK);
    assert_int_equal(HrGetOneProp((LPMAPIPROP)mdb, PR_ENTRYID, &store), S_OK);
    ULONG cb = 0;
    LPENTRYID compound = NULL;
    assert_int_equal(HrComposeEID(session, key->Value.bin.cb, key->Value.bin.lpb,
                                  msg->Value.bin.cb, (LPENTRYID)msg->Value.bin.lpb, &cb,
                                  &compound),
                     S_OK);
    ULONG cbs = 0, cbm = 0;
    LPENTRYID s = NULL, m = NULL;
    assert_int_equal(HrDecomposeEID(session, cb, compound, &cbs, &s, &cbm, &m), S_OK);
    /* compound was released by the call, as documented */
    ULONG same = 0;
    assert_int_equal(IMAPISession_CompareEntryIDs(session, cbs, s, store->Value.bin.cb,
                                                  (LPENTRYID)store->Value.bin.lpb, 0, &same),
                     S_OK);
    assert_true(same);
    assert_int_equal(cbm, msg->Value.bin.cb);
    assert_memory_equal(m, msg->Value.bin.lpb, cbm);
    MAPIFreeBuffer(s);
    MAPIFreeBuffer(m);
    /* The text form, and a plain entry ID, which is copied. */
    LPSTR text = NULL;
    assert_int_equal(HrComposeMsgID(session, key->Value.bin.cb, key->Value.bin.lpb,
                                    msg->Value.bin.cb, (LPENTRYID)msg->Value.bin.lpb, &text),
                     S_OK);
    assert_int_equal(HrDecomposeMsgID(session, text, &cbs, &s, &cbm, &m), S_OK);
    assert_int_equal(cbm, msg->Value.bin.cb);
    MAPIFreeBuffer(s);
    MAPIFreeBuffer(m);
    MAPIFreeBuffer(text);
    assert_int_equal(HrComposeEID(session, 0, NULL, msg->Value.bin.cb,
                                  (LPENTRYID)msg->Value.bin.lpb, &cb, &compound),
                     S_OK);
    assert_int_equal(cb, msg->Value.bin.cb);
    assert_int_equal(HrDecomposeEID(session, cb, compound, &cbs, &s, &cbm, &m), S_OK);
    assert_int_equal(cbs, 0);
    assert_null(s);
    MAPIFreeBuffer(m);
    /* A record key no store of the session has. */
    BYTE nokey[16] = { 0 };
    assert_int_equal(HrComposeEID(session, sizeof nokey, nokey, msg->Value.bin.cb,
                                  (LPENTRYID)msg->Value.bin.lpb, &cb, &compound),
                     S_OK);
    assert_int_equal(HrDecomposeEID(session, cb, compound, &cbs, &s, &cbm, &m), MAPI_E_NOT_FOUND);
    MAPIFreeBuffer(compound); /* kept on failure */
    MAPIFreeBuffer(key);
    MAPIFreeBuffer(store);
    MAPIFreeBuffer(msg);
}

static const SPropValue *find(ULONG n, const SPropValue *v, ULONG tag)
{
    return PpropFindProp((LPSPropValue)v, n, tag);
}

static void the_ipm_subtree_of_a_store_is_valid_and_completed(void **state)
{
    ULONG n = 0;
    LPSPropValue v = NULL;
    LPMAPIERROR err = (LPMAPIERROR)1;
    assert_int_equal(HrValidateIPMSubtree(mdb, 0, &n, &v, &err), S_OK);
    assert_null(err);
    const SPropValue *mask = find(n, v, PR_VALID_FOLDER_MASK);
    assert_non_null(mask);
    assert_true(mask->Value.l & FOLDER_IPM_SUBTREE_VALID);
    assert_true(mask->Value.l & FOLDER_FINDER_VALID);
    assert_true(mask->Value.l & FOLDER_IPM_WASTEBASKET_VALID);
    assert_null(find(n, v, PR_VIEWS_ENTRYID)); /* not asked for */
    MAPIFreeBuffer(v);
    /* The full tree adds the views folders, which freemapi's stores lack. */
    assert_int_equal(HrValidateIPMSubtree(mdb, MAPI_FULL_IPM_TREE | MAPI_FORCE_CREATE, &n, &v,
                                          &err),
                     S_OK);
    mask = find(n, v, PR_VALID_FOLDER_MASK);
    assert_true(mask->Value.l & FOLDER_VIEWS_VALID);
    assert_true(mask->Value.l & FOLDER_COMMON_VIEWS_VALID);
    assert_true(mask->Value.l & FOLDER_IPM_INBOX_VALID);
    assert_non_null(find(n, v, PROP_TAG(PT_BINARY, PROP_ID_NULL))); /* the Inbox */
    const SPropValue *views = find(n, v, PR_VIEWS_ENTRYID);
    assert_non_null(views);
    ULONG type = 0;
    LPUNKNOWN f = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, views->Value.bin.cb, (LPENTRYID)views->Value.bin.lpb,
                                         NULL, 0, &type, &f),
                     S_OK);
    assert_int_equal(type, MAPI_FOLDER);
    f->lpVtbl->Release(f);
    MAPIFreeBuffer(v);
    /* Again: nothing new is made, the same folders are named. */
    assert_int_equal(HrValidateIPMSubtree(mdb, MAPI_FULL_IPM_TREE, &n, &v, &err), S_OK);
    assert_non_null(find(n, v, PR_VIEWS_ENTRYID));
    MAPIFreeBuffer(v);
    assert_int_equal(HrValidateIPMSubtree(mdb, 0x100, &n, &v, &err), MAPI_E_UNKNOWN_FLAGS);
}

static void the_form_manager_has_no_forms_and_says_why(void **state)
{
    LPMAPIFORMMGR mgr = NULL;
    assert_int_equal(MAPIOpenFormMgr(session, &mgr), S_OK);
    LPMAPIFORMINFO info = (LPMAPIFORMINFO)1;
    HRESULT hr = mgr->lpVtbl->ResolveMessageClass(mgr, "IPM.Note", 0, NULL, &info);
    assert_int_equal(hr, MAPI_E_NOT_FOUND);
    assert_null(info);
    LPMAPIERROR err = NULL;
    assert_int_equal(mgr->lpVtbl->GetLastError(mgr, hr, 0, &err), S_OK);
    assert_non_null(strstr((char *)err->lpszError, "IPM.Note"));
    MAPIFreeBuffer(err);
    LPCSTR classes[2] = { "IPM.Note", "IPM.Contact" };
    struct {
        ULONG c;
        LPCSTR a[2];
    } arr = { 2, { classes[0], classes[1] } };
    LPSMAPIFORMINFOARRAY found = NULL;
    assert_int_equal(mgr->lpVtbl->ResolveMultipleMessageClasses(mgr, (LPSMESSAGECLASSARRAY)&arr,
                                                                0, NULL, &found),
                     S_OK);
    assert_int_equal(found->cForms, 2);
    assert_null(found->aFormInfo[0]);
    assert_null(found->aFormInfo[1]);
    MAPIFreeBuffer(found);
    LPMAPIFORMPROPARRAY props = NULL;
    assert_int_equal(mgr->lpVtbl->CalcFormPropSet(mgr, NULL, FORMPROPSET_UNION, &props), S_OK);
    assert_int_equal(props->cProps, 0);
    MAPIFreeBuffer(props);
    LPVOID form = NULL;
    assert_int_equal(mgr->lpVtbl->LoadForm(mgr, 0, 0, "IPM.Note", 0, 0, NULL, NULL, NULL, NULL,
                                           &IID_IMAPIForm, &form),
                     MAPI_E_NO_SUPPORT);
    assert_non_null(strstr(fmapi_last_error(), "form servers"));
    assert_int_equal(mgr->lpVtbl->SelectForm(mgr, 0, 0, NULL, NULL, &info), MAPI_E_NO_SUPPORT);
    assert_non_null(strstr(fmapi_last_error(), "dialogs"));
    LPMAPIFORMCONTAINER personal = NULL;
    assert_int_equal(mgr->lpVtbl->OpenFormContainer(mgr, HFRMREG_PERSONAL, NULL, &personal),
                     S_OK);
    LPTSTR name = NULL;
    assert_int_equal(personal->lpVtbl->GetDisplay(personal, 0, &name), S_OK);
    assert_string_equal((char *)name, "Personal Forms");
    MAPIFreeBuffer(name);
    personal->lpVtbl->Release(personal);
    assert_int_equal(mgr->lpVtbl->Release(mgr), 0);
    assert_int_equal(MAPIOpenFormMgr((LPMAPISESSION)mdb, &mgr), MAPI_E_INVALID_PARAMETER);
}

static void the_local_form_library_is_empty_and_installs_nothing(void **state)
{
    LPMAPIFORMCONTAINER local = NULL;
    assert_int_equal(MAPIOpenLocalFormContainer(&local), S_OK);
    LPWSTR wname = NULL;
    assert_int_equal(local->lpVtbl->GetDisplay(local, MAPI_UNICODE, (LPTSTR *)&wname), S_OK);
    assert_memory_equal(wname, u"Local Forms", 12 * sizeof(WCHAR));
    MAPIFreeBuffer(wname);
    assert_int_equal(local->lpVtbl->InstallForm(local, 0, 0, (LPCTSTR) "form.cfg"),
                     MAPI_E_NO_SUPPORT);
    assert_int_equal(local->lpVtbl->RemoveForm(local, "IPM.Note.Custom"), MAPI_E_NOT_FOUND);
    LPMAPIFORMINFO info = NULL;
    assert_int_equal(local->lpVtbl->ResolveMessageClass(local, "IPM.Note", 0, &info),
                     MAPI_E_NOT_FOUND);
    assert_int_equal(local->lpVtbl->Release(local), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compound_ids_name_the_store_and_the_message),
        cmocka_unit_test(the_ipm_subtree_of_a_store_is_valid_and_completed),
        cmocka_unit_test(the_form_manager_has_no_forms_and_says_why),
        cmocka_unit_test(the_local_form_library_is_empty_and_installs_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
