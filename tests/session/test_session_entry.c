/*
 * tests/session/test_session_entry.c - IMAPISession::OpenEntry and
 * CompareEntryIDs route address book entry IDs (the identity, directory
 * users and lists, containers, one-offs) to the session's address book,
 * as they route store entry IDs to stores (src/session/session_entry.c).
 */
#include "../ab/ab_fixture.h"

#define PROFILE "entry-alice"
#define NOSITE "entry-nosite"

/* The property tag of obj, or NULL (the caller frees with MAPIFreeBuffer). */
static LPSPropValue prop_of(LPUNKNOWN obj, ULONG tag)
{
    LPSPropValue v = NULL;
    if (HrGetOneProp((LPMAPIPROP)obj, tag, &v) != S_OK)
        return NULL;
    return v;
}

static void assert_string_prop(LPUNKNOWN obj, ULONG tag, const char *want)
{
    LPSPropValue v = prop_of(obj, tag);
    assert_non_null(v);
    assert_string_equal(v->Value.lpszA, want);
    MAPIFreeBuffer(v);
}

/* The entry ID of the GAL row whose PR_ACCOUNT is alias. */
static LPSPropValue gal_eid(LPMAPISESSION s, const char *alias)
{
    LPADRBOOK ab = NULL;
    assert_int_equal(IMAPISession_OpenAddressBook(s, 0, NULL, 0, &ab), S_OK);
    ULONG cb = 0, type = 0;
    LPENTRYID dir = NULL;
    assert_int_equal(IAddrBook_GetDefaultDir(ab, &cb, &dir), S_OK);
    IABContainer *gal = NULL;
    assert_int_equal(IAddrBook_OpenEntry(ab, cb, dir, NULL, 0, &type, (LPUNKNOWN *)&gal), S_OK);
    LPMAPITABLE t = NULL;
    assert_int_equal(IABContainer_GetContentsTable(gal, 0, &t), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, NULL, NULL, NULL, 0, &rows), S_OK);
    LPSPropValue out = NULL;
    for (ULONG i = 0; i < rows->cRows && out == NULL; i++) {
        LPSPropValue a = PpropFindProp(rows->aRow[i].lpProps, rows->aRow[i].cValues,
                                       PR_ACCOUNT_A);
        if (a != NULL && strcmp(a->Value.lpszA, alias) == 0)
            assert_int_equal(ScDupPropset(1, PpropFindProp(rows->aRow[i].lpProps,
                                                           rows->aRow[i].cValues, PR_ENTRYID),
                                          MAPIAllocateBuffer, &out),
                             S_OK);
    }
    FreeProws(rows);
    IMAPITable_Release(t);
    IABContainer_Release(gal);
    MAPIFreeBuffer(dir);
    IAddrBook_Release(ab);
    assert_non_null(out);
    return out;
}

/* A one-off entry ID made by the session's address book. */
static LPENTRYID one_off(LPMAPISESSION s, const char *address, ULONG *cb)
{
    LPADRBOOK ab = NULL;
    assert_int_equal(IMAPISession_OpenAddressBook(s, 0, NULL, 0, &ab), S_OK);
    LPENTRYID eid = NULL;
    assert_int_equal(IAddrBook_CreateOneOff(ab, (LPTSTR) "Carol", (LPTSTR) "SMTP",
                                            (LPTSTR)address, 0, cb, &eid),
                     S_OK);
    IAddrBook_Release(ab);
    return eid;
}

/* The entry ID of the session's default store. */
static LPSPropValue store_eid(LPMAPISESSION s)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPISession_GetMsgStoresTable(s, 0, &t), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, NULL, NULL, NULL, 0, &rows), S_OK);
    assert_true(rows->cRows > 0);
    LPSPropValue out = NULL;
    assert_int_equal(ScDupPropset(1, PpropFindProp(rows->aRow[0].lpProps,
                                                   rows->aRow[0].cValues, PR_ENTRYID),
                                  MAPIAllocateBuffer, &out),
                     S_OK);
    FreeProws(rows);
    IMAPITable_Release(t);
    return out;
}

static void the_session_opens_its_identity_as_a_mail_user(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    ULONG cb = 0, type = 0;
    LPENTRYID me = NULL;
    assert_int_equal(IMAPISession_QueryIdentity(s, &cb, &me), S_OK);
    LPUNKNOWN obj = NULL;
    assert_int_equal(IMAPISession_OpenEntry(s, cb, me, NULL, 0, &type, &obj), S_OK);
    assert_int_equal(type, MAPI_MAILUSER);
    assert_string_prop(obj, PR_ACCOUNT_A, "alice");
    assert_string_prop(obj, PR_DISPLAY_NAME_A, "Alice Liddell");
    /* The entry outlives the session that opened it. */
    IMAPISession_Release(s);
    assert_string_prop(obj, PR_SMTP_ADDRESS_A, "alice@example.org");
    obj->lpVtbl->Release(obj);
    MAPIFreeBuffer(me);
}

static void the_session_opens_directory_entries_containers_and_one_offs(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    ULONG type = 0;
    LPUNKNOWN obj = NULL;
    LPSPropValue list = gal_eid(s, "staff");
    assert_int_equal(IMAPISession_OpenEntry(s, list->Value.bin.cb,
                                            (LPENTRYID)list->Value.bin.lpb, NULL, 0, &type,
                                            &obj),
                     S_OK);
    assert_int_equal(type, MAPI_DISTLIST);
    assert_string_prop(obj, PR_DISPLAY_NAME_A, "All Staff");
    obj->lpVtbl->Release(obj);

    LPADRBOOK ab = NULL;
    assert_int_equal(IMAPISession_OpenAddressBook(s, 0, NULL, 0, &ab), S_OK);
    ULONG cb = 0;
    LPENTRYID dir = NULL;
    assert_int_equal(IAddrBook_GetDefaultDir(ab, &cb, &dir), S_OK);
    IAddrBook_Release(ab);
    assert_int_equal(IMAPISession_OpenEntry(s, cb, dir, &IID_IABContainer, 0, &type, &obj), S_OK);
    assert_int_equal(type, MAPI_ABCONT);
    obj->lpVtbl->Release(obj);
    MAPIFreeBuffer(dir);

    LPENTRYID oo = one_off(s, "carol@example.com", &cb);
    assert_int_equal(IMAPISession_OpenEntry(s, cb, oo, NULL, 0, &type, &obj), S_OK);
    assert_int_equal(type, MAPI_MAILUSER);
    assert_string_prop(obj, PR_EMAIL_ADDRESS_A, "carol@example.com");
    assert_string_prop(obj, PR_ADDRTYPE_A, "SMTP");
    obj->lpVtbl->Release(obj);
    MAPIFreeBuffer(oo);

    /* What the address book refuses, the session refuses the same way. */
    BYTE bad[32];
    memcpy(bad, list->Value.bin.lpb, 32);
    bad[20] = 9; /* version */
    assert_int_equal(IMAPISession_OpenEntry(s, 32, (LPENTRYID)bad, NULL, 0, &type, &obj),
                     MAPI_E_INVALID_ENTRYID);
    assert_null(obj);
    memcpy(bad, list->Value.bin.lpb, 32);
    bad[24] = 0x77; /* an id the directory never gave */
    bad[30] = 0x01;
    assert_int_equal(IMAPISession_OpenEntry(s, 32, (LPENTRYID)bad, NULL, 0, &type, &obj),
                     MAPI_E_NOT_FOUND);
    LPMAPIERROR err = NULL;
    assert_int_equal(IMAPISession_GetLastError(s, MAPI_E_NOT_FOUND, 0, &err), S_OK);
    assert_true(strlen((const char *)err->lpszError) > 0);
    MAPIFreeBuffer(err);
    MAPIFreeBuffer(list);
    IMAPISession_Release(s);
}

static void the_session_compares_address_book_entry_ids(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    ULONG cb = 0, same = 9;
    LPENTRYID me = NULL;
    assert_int_equal(IMAPISession_QueryIdentity(s, &cb, &me), S_OK);
    LPSPropValue alice = gal_eid(s, "alice"), bob = gal_eid(s, "bob");
    assert_int_equal(IMAPISession_CompareEntryIDs(s, cb, me, alice->Value.bin.cb,
                                                  (LPENTRYID)alice->Value.bin.lpb, 0, &same),
                     S_OK);
    assert_true(same);
    assert_int_equal(IMAPISession_CompareEntryIDs(s, cb, me, bob->Value.bin.cb,
                                                  (LPENTRYID)bob->Value.bin.lpb, 0, &same),
                     S_OK);
    assert_false(same);
    /* One-offs: the same address type and address, whatever the case. */
    ULONG c1 = 0, c2 = 0;
    LPENTRYID o1 = one_off(s, "Carol@Example.com", &c1), o2 = one_off(s, "carol@example.COM", &c2);
    same = 9;
    assert_int_equal(IMAPISession_CompareEntryIDs(s, c1, o1, c2, o2, 0, &same), S_OK);
    assert_true(same);
    assert_int_equal(IMAPISession_CompareEntryIDs(s, c1, o1, cb, me, 0, &same), S_OK);
    assert_false(same);
    /* An address book entry is never a store object. */
    LPSPropValue mdb = store_eid(s);
    same = 9;
    assert_int_equal(IMAPISession_CompareEntryIDs(s, cb, me, mdb->Value.bin.cb,
                                                  (LPENTRYID)mdb->Value.bin.lpb, 0, &same),
                     S_OK);
    assert_false(same);
    same = 9;
    assert_int_equal(IMAPISession_CompareEntryIDs(s, mdb->Value.bin.cb,
                                                  (LPENTRYID)mdb->Value.bin.lpb, c1, o1, 0,
                                                  &same),
                     S_OK);
    assert_false(same);
    assert_int_equal(IMAPISession_CompareEntryIDs(s, mdb->Value.bin.cb,
                                                  (LPENTRYID)mdb->Value.bin.lpb,
                                                  mdb->Value.bin.cb,
                                                  (LPENTRYID)mdb->Value.bin.lpb, 0, &same),
                     S_OK);
    assert_true(same);
    /* Malformed ones of the address book, and nobody's. */
    BYTE bad[32];
    memcpy(bad, me, 32);
    bad[20] = 9;
    assert_int_equal(IMAPISession_CompareEntryIDs(s, 32, (LPENTRYID)bad, cb, me, 0, &same),
                     MAPI_E_INVALID_ENTRYID);
    assert_int_equal(IMAPISession_CompareEntryIDs(s, 32, (LPENTRYID)bad, mdb->Value.bin.cb,
                                                  (LPENTRYID)mdb->Value.bin.lpb, 0, &same),
                     MAPI_E_INVALID_ENTRYID);
    BYTE foreign[32];
    memset(foreign, 0x5A, sizeof foreign);
    memset(foreign, 0, 4);
    assert_int_equal(IMAPISession_CompareEntryIDs(s, 32, (LPENTRYID)foreign, cb, me, 0, &same),
                     MAPI_E_UNKNOWN_ENTRYID);
    assert_int_equal(IMAPISession_CompareEntryIDs(s, cb, me, cb, me, 1, &same),
                     MAPI_E_UNKNOWN_FLAGS);
    MAPIFreeBuffer(mdb);
    MAPIFreeBuffer(o1);
    MAPIFreeBuffer(o2);
    MAPIFreeBuffer(alice);
    MAPIFreeBuffer(bob);
    MAPIFreeBuffer(me);
    IMAPISession_Release(s);
}

static void after_logoff_address_book_entry_ids_end_the_session(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    ULONG cb = 0, type = 0;
    LPENTRYID me = NULL;
    assert_int_equal(IMAPISession_QueryIdentity(s, &cb, &me), S_OK);
    assert_int_equal(IMAPISession_Logoff(s, 0, 0, 0), S_OK);
    LPUNKNOWN obj = NULL;
    assert_int_equal(IMAPISession_OpenEntry(s, cb, me, NULL, 0, &type, &obj),
                     MAPI_E_END_OF_SESSION);
    assert_null(obj);
    MAPIFreeBuffer(me);
    IMAPISession_Release(s);
}

static void a_session_without_a_site_opens_one_offs(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(NOSITE);
    ULONG cb = 0, type = 0;
    LPENTRYID oo = one_off(s, "dave@example.net", &cb);
    LPUNKNOWN obj = NULL;
    assert_int_equal(IMAPISession_OpenEntry(s, cb, oo, NULL, 0, &type, &obj), S_OK);
    assert_int_equal(type, MAPI_MAILUSER);
    assert_string_prop(obj, PR_EMAIL_ADDRESS_A, "dave@example.net");
    obj->lpVtbl->Release(obj);
    MAPIFreeBuffer(oo);
    IMAPISession_Release(s);
}

typedef struct open_ctx {
    LPMAPISESSION s;
    ULONG cb;
    LPENTRYID eid;
} open_ctx;

static HRESULT open_and_read(void *p)
{
    open_ctx *c = p;
    ULONG type = 0;
    LPUNKNOWN obj = NULL;
    HRESULT hr = IMAPISession_OpenEntry(c->s, c->cb, c->eid, NULL, 0, &type, &obj);
    if (hr != S_OK)
        return hr;
    LPSPropValue v = NULL;
    hr = HrGetOneProp((LPMAPIPROP)obj, PR_DISPLAY_NAME_A, &v);
    MAPIFreeBuffer(v);
    obj->lpVtbl->Release(obj);
    return hr;
}

static void opening_entries_survives_every_allocation_failure_and_leaks_nothing(void **state)
{
    (void)state;
    open_ctx c = { .s = ab_logon(PROFILE) };
    assert_int_equal(IMAPISession_QueryIdentity(c.s, &c.cb, &c.eid), S_OK);
    assert_int_equal(open_and_read(&c), S_OK); /* warm up */
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    for (int i = 0; i < 10; i++)
        assert_int_equal(open_and_read(&c), S_OK);
    fm_test_assert_no_leak(&b);
    assert_true(fm_test_oom_sweep(open_and_read, &c) > 10);
    MAPIFreeBuffer(c.eid);
    ULONG cb = 0;
    c.eid = one_off(c.s, "erin@example.org", &cb);
    c.cb = cb;
    assert_true(fm_test_oom_sweep(open_and_read, &c) > 5);
    MAPIFreeBuffer(c.eid);
    IMAPISession_Release(c.s);
}

static int setup(void **state)
{
    (void)state;
    const char *site = ab_site_dir();
    char dir[600];
    snprintf(dir, sizeof dir, "%s/profiles", fm_test_tmpdir());
    setenv("FREEMAPI_PROFILE_DIR", dir, 1);
    if (MAPIInitialize(NULL) != S_OK)
        return -1;
    ab_make_profile(PROFILE, site, "alice");
    ab_make_profile(NOSITE, NULL, NULL);
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
        cmocka_unit_test(the_session_opens_its_identity_as_a_mail_user),
        cmocka_unit_test(the_session_opens_directory_entries_containers_and_one_offs),
        cmocka_unit_test(the_session_compares_address_book_entry_ids),
        cmocka_unit_test(after_logoff_address_book_entry_ids_end_the_session),
        cmocka_unit_test(a_session_without_a_site_opens_one_offs),
        cmocka_unit_test(opening_entries_survives_every_allocation_failure_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
