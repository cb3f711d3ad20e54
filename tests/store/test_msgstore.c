/*
 * tests/store/test_msgstore.c - IMsgStore: a new store's folder tree and
 * identity, its own properties, OpenEntry and CompareEntryIDs, receive
 * folders, and refusals.
 */
#include "store_fixture.h"

static void a_new_store_has_the_standard_folder_tree(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPMDB mdb = fx_new_store("tree");
    LPMAPIFOLDER ipm = fx_open_folder_by_prop(mdb, mdb, PR_IPM_SUBTREE_ENTRYID);
    fx_assert_string(ipm, PR_DISPLAY_NAME, "Top of Information Store");
    const struct { ULONG tag; const char *name; } special[] = {
        { PR_IPM_OUTBOX_ENTRYID, "Outbox" },
        { PR_IPM_WASTEBASKET_ENTRYID, "Deleted Items" },
        { PR_IPM_SENTMAIL_ENTRYID, "Sent Items" },
        { PR_FINDER_ENTRYID, "Finder" },
    };
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
        LPMAPIFOLDER f = fx_open_folder_by_prop(mdb, mdb, special[i].tag);
        fx_assert_string(f, PR_DISPLAY_NAME, special[i].name);
        IMAPIFolder_Release(f);
    }
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    fx_assert_string(inbox, PR_DISPLAY_NAME, "Inbox");
    fx_assert_string(inbox, PR_CONTAINER_CLASS, "IPF.Note");
    /* Outlook finds Calendar, Contacts, ... through the Inbox's properties. */
    const struct { ULONG tag; const char *name; const char *cls; } ipm_folders[] = {
        { PR_IPM_APPOINTMENT_ENTRYID, "Calendar", "IPF.Appointment" },
        { PR_IPM_CONTACT_ENTRYID, "Contacts", "IPF.Contact" },
        { PR_IPM_JOURNAL_ENTRYID, "Journal", "IPF.Journal" },
        { PR_IPM_NOTE_ENTRYID, "Notes", "IPF.StickyNote" },
        { PR_IPM_TASK_ENTRYID, "Tasks", "IPF.Task" },
        { PR_IPM_DRAFTS_ENTRYID, "Drafts", "IPF.Note" },
    };
    for (size_t i = 0; i < sizeof ipm_folders / sizeof ipm_folders[0]; i++) {
        LPMAPIFOLDER f = fx_open_folder_by_prop(mdb, inbox, ipm_folders[i].tag);
        fx_assert_string(f, PR_DISPLAY_NAME, ipm_folders[i].name);
        fx_assert_string(f, PR_CONTAINER_CLASS, ipm_folders[i].cls);
        LPSPropValue parent = fx_get(f, PR_PARENT_ENTRYID);
        LPSPropValue ipm_eid = fx_get(ipm, PR_ENTRYID);
        assert_int_equal(parent->Value.bin.cb, ipm_eid->Value.bin.cb);
        assert_memory_equal(parent->Value.bin.lpb, ipm_eid->Value.bin.lpb, parent->Value.bin.cb);
        MAPIFreeBuffer(parent);
        MAPIFreeBuffer(ipm_eid);
        IMAPIFolder_Release(f);
    }
    IMAPIFolder_Release(inbox);
    IMAPIFolder_Release(ipm);
    IMsgStore_Release(mdb);
    fm_test_assert_no_leak_all(&b);
}

static void an_empty_entry_id_opens_the_root_folder(void **state)
{
    LPMDB mdb = fx_new_store("root");
    ULONG type = 0;
    LPMAPIFOLDER root = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root), S_OK);
    assert_int_equal(type, MAPI_FOLDER);
    LPSPropValue ft = fx_get(root, PR_FOLDER_TYPE);
    assert_int_equal(ft->Value.l, FOLDER_ROOT);
    MAPIFreeBuffer(ft);
    LPSPropValue sub = fx_get(root, PR_SUBFOLDERS);
    assert_true(sub->Value.b);
    MAPIFreeBuffer(sub);
    IMAPIFolder_Release(root);
    IMsgStore_Release(mdb);
}

static void store_identity_is_computed_and_read_only(void **state)
{
    LPMDB mdb = fx_new_store("identity");
    LPSPropValue mask = fx_get(mdb, PR_STORE_SUPPORT_MASK);
    assert_true(mask->Value.ul & STORE_UNICODE_OK);
    assert_true(mask->Value.ul & STORE_MODIFY_OK);
    assert_true(mask->Value.ul & STORE_NOTIFY_OK); /* Advise works (test_store_notify.c) */
    MAPIFreeBuffer(mask);
    LPSPropValue ot = fx_get(mdb, PR_OBJECT_TYPE);
    assert_int_equal(ot->Value.l, MAPI_STORE);
    MAPIFreeBuffer(ot);
    SPropValue v = { .ulPropTag = PR_STORE_SUPPORT_MASK, .Value.l = 0 };
    LPSPropProblemArray problems = NULL;
    assert_int_equal(IMsgStore_SetProps(mdb, 1, &v, &problems), S_OK);
    assert_non_null(problems);
    assert_int_equal(problems->cProblem, 1);
    assert_int_equal(problems->aProblem[0].scode, MAPI_E_COMPUTED);
    MAPIFreeBuffer(problems);
    IMsgStore_Release(mdb);
}

static void store_properties_persist_across_reopening(void **state)
{
    const char *path = fx_store_path("persist");
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    fx_set_string(mdb, PR_DISPLAY_NAME, "Mailbox - Ada Lovelace");
    LPSPropValue rk1 = fx_get(mdb, PR_RECORD_KEY);
    IMsgStore_Release(mdb);
    assert_int_equal(fmapi_store_open(path, 0, &mdb), S_OK);
    fx_assert_string(mdb, PR_DISPLAY_NAME, "Mailbox - Ada Lovelace");
    LPSPropValue rk2 = fx_get(mdb, PR_RECORD_KEY);
    assert_memory_equal(rk1->Value.bin.lpb, rk2->Value.bin.lpb, 16);
    MAPIFreeBuffer(rk1);
    MAPIFreeBuffer(rk2);
    IMsgStore_Release(mdb);
}

/* Folders and the store save each change when it is made, and a property
 * written through OpenProperty is a change: committed, it is kept without
 * SaveChanges (which MAPI clients do not call on them), small or kept in a
 * companion file. */
static void streamed_properties_of_folders_and_the_store_persist(void **state)
{
    const char *path = fx_store_path("persist-streams");
    char copy[600];
    snprintf(copy, sizeof copy, "%s", path);
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(copy, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    const ULONG small = PROP_TAG(PT_BINARY, 0x6651), big = PROP_TAG(PT_BINARY, 0x6652);
    fx_stream_write_pattern(inbox, small, 3000, 3);
    fx_stream_write_pattern(inbox, big, 1200000, 5); /* past 1 MiB: a companion file */
    fx_stream_write_pattern(mdb, small, 70000, 7);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    assert_int_equal(fmapi_store_open(copy, 0, &mdb), S_OK);
    inbox = fx_inbox(mdb);
    fx_stream_check_pattern(inbox, small, 3000, 3);
    fx_stream_check_pattern(inbox, big, 1200000, 5);
    fx_stream_check_pattern(mdb, small, 70000, 7);
    /* replaced, then read back after reopening again */
    fx_stream_write_pattern(inbox, big, 10, 9);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    assert_int_equal(fmapi_store_open(copy, 0, &mdb), S_OK);
    inbox = fx_inbox(mdb);
    fx_stream_check_pattern(inbox, big, 10, 9);
    assert_int_equal(fx_count(copy, "SELECT count(*) FROM streams WHERE owner_kind IS NULL"), 0);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void receive_folders_match_the_longest_class_prefix(void **state)
{
    LPMDB mdb = fx_new_store("receive");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPSPropValue cal = fx_get(inbox, PR_IPM_APPOINTMENT_ENTRYID);
    LPSPropValue inbox_eid = fx_get(inbox, PR_ENTRYID);
    assert_int_equal(IMsgStore_SetReceiveFolder(mdb, (LPTSTR) "IPM.Note", 0, cal->Value.bin.cb,
                                                (LPENTRYID)cal->Value.bin.lpb), S_OK);
    const struct { const char *cls; bool calendar; const char *explicit_cls; } cases[] = {
        { "IPM.Note", true, "IPM.Note" },
        { "IPM.Note.Secure.Sign", true, "IPM.Note" },
        { "ipm.note.x", true, "IPM.Note" },
        { "IPM.Notes", false, "" },
        { "IPM", false, "" },
        { "", false, "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ULONG cb = 0;
        LPENTRYID eid = NULL;
        LPTSTR explicit_cls = NULL;
        assert_int_equal(IMsgStore_GetReceiveFolder(mdb, (LPTSTR)cases[i].cls, 0, &cb, &eid,
                                                    &explicit_cls), S_OK);
        const SBinary *want = cases[i].calendar ? &cal->Value.bin : &inbox_eid->Value.bin;
        ULONG same = 0;
        assert_int_equal(IMsgStore_CompareEntryIDs(mdb, cb, eid, want->cb, (LPENTRYID)want->lpb,
                                                   0, &same), S_OK);
        assert_true(same);
        assert_string_equal((char *)explicit_cls, cases[i].explicit_cls);
        MAPIFreeBuffer(eid);
        MAPIFreeBuffer(explicit_cls);
    }
    /* The Unicode form, and removing the association. */
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    LPTSTR explicit_cls = NULL;
    assert_int_equal(IMsgStore_GetReceiveFolder(mdb, (LPTSTR)u"IPM.Note.X", MAPI_UNICODE, &cb,
                                                &eid, &explicit_cls), S_OK);
    assert_memory_equal(explicit_cls, u"IPM.Note", sizeof u"IPM.Note");
    MAPIFreeBuffer(eid);
    MAPIFreeBuffer(explicit_cls);
    assert_int_equal(IMsgStore_SetReceiveFolder(mdb, (LPTSTR) "IPM.Note", 0, 0, NULL), S_OK);
    assert_int_equal(IMsgStore_GetReceiveFolder(mdb, (LPTSTR) "IPM.Note", 0, &cb, &eid, NULL),
                     S_OK);
    ULONG same = 0;
    IMsgStore_CompareEntryIDs(mdb, cb, eid, inbox_eid->Value.bin.cb,
                              (LPENTRYID)inbox_eid->Value.bin.lpb, 0, &same);
    assert_true(same);
    MAPIFreeBuffer(eid);
    MAPIFreeBuffer(cal);
    MAPIFreeBuffer(inbox_eid);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void entry_ids_of_another_store_or_malformed_are_refused(void **state)
{
    LPMDB a = fx_new_store("a");
    LPMDB b = fx_new_store("b");
    LPSPropValue eid = fx_get(b, PR_IPM_SUBTREE_ENTRYID);
    ULONG type;
    LPUNKNOWN unk = NULL;
    assert_int_equal(IMsgStore_OpenEntry(a, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         NULL, 0, &type, &unk), MAPI_E_UNKNOWN_ENTRYID);
    BYTE junk[7] = { 0 };
    assert_int_equal(IMsgStore_OpenEntry(a, sizeof junk, (LPENTRYID)junk, NULL, 0, &type, &unk),
                     MAPI_E_INVALID_ENTRYID);
    assert_null(unk);
    LPMAPIERROR err = NULL;
    assert_int_equal(IMsgStore_GetLastError(a, MAPI_E_INVALID_ENTRYID, 0, &err), S_OK);
    assert_true(strlen((char *)err->lpszError) > 0);
    MAPIFreeBuffer(err);
    assert_int_equal(IMsgStore_OpenEntry(a, 0, NULL, NULL, 0x80000000u, &type, &unk),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IMsgStore_OpenEntry(a, 0, NULL, &IID_IMessage, 0, &type, &unk),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    MAPIFreeBuffer(eid);
    IMsgStore_Release(a);
    IMsgStore_Release(b);
}

static void store_logoff_completes_at_once(void **state)
{
    LPMDB mdb = fx_new_store("logoff");
    ULONG flags = LOGOFF_ORDERLY;
    assert_int_equal(IMsgStore_StoreLogoff(mdb, &flags), S_OK);
    assert_true(flags & LOGOFF_COMPLETE);
    flags = 0x40000000;
    assert_int_equal(IMsgStore_StoreLogoff(mdb, &flags), MAPI_E_UNKNOWN_FLAGS);
    IMsgStore_Release(mdb);
}

static void opening_bad_paths_gives_documented_errors(void **state)
{
    LPMDB mdb = (LPMDB)1;
    assert_int_equal(fmapi_store_open(fx_store_path("absent"), 0, &mdb), MAPI_E_NOT_FOUND);
    assert_null(mdb);
    assert_int_equal(fmapi_store_open(NULL, 0, &mdb), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_store_open("x", 0x10, &mdb), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(fmapi_store_open("x", 0, NULL), MAPI_E_INVALID_PARAMETER);
}

static int oom_round;

static HRESULT create_open_read_release(void *ctx)
{
    char name[32];
    snprintf(name, sizeof name, "oom%d", oom_round++);
    LPMDB mdb = NULL;
    HRESULT hr = fmapi_store_open(fx_store_path(name), FMAPI_STORE_CREATE, &mdb);
    if (hr != S_OK)
        return hr;
    ULONG n = 0;
    LPSPropValue all = NULL;
    hr = IMsgStore_GetProps(mdb, NULL, MAPI_UNICODE, &n, &all);
    if (SUCCEEDED(hr))
        hr = S_OK;
    MAPIFreeBuffer(all);
    IMsgStore_Release(mdb);
    return hr;
}

static void creating_a_store_survives_every_allocation_failure(void **state)
{
    assert_true(fm_test_oom_sweep(create_open_read_release, NULL) > 10);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_new_store_has_the_standard_folder_tree),
        cmocka_unit_test(an_empty_entry_id_opens_the_root_folder),
        cmocka_unit_test(store_identity_is_computed_and_read_only),
        cmocka_unit_test(store_properties_persist_across_reopening),
        cmocka_unit_test(streamed_properties_of_folders_and_the_store_persist),
        cmocka_unit_test(receive_folders_match_the_longest_class_prefix),
        cmocka_unit_test(entry_ids_of_another_store_or_malformed_are_refused),
        cmocka_unit_test(store_logoff_completes_at_once),
        cmocka_unit_test(opening_bad_paths_gives_documented_errors),
        cmocka_unit_test(creating_a_store_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
