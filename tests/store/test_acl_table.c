/*
 * tests/store/test_acl_table.c - a folder's ACL table (PR_ACL_TABLE through
 * IExchangeModifyTable, freemapi_acl.h): the Default and Anonymous rows,
 * ROW_ADD / ROW_MODIFY / ROW_REMOVE / ROWLIST_REPLACE, one transaction per
 * ModifyTable, the free/busy bits only with ACLTABLE_FREEBUSY, bad input
 * refused with text, and out-of-memory sweeps over ModifyTable and over a
 * delegate's access check.
 */
#include "freemapi_acl.h"
#include "site/identity.h"
#include "store/folder_acl.h"
#include "store/object.h"
#include "store_fixture.h"

static LPEXCHANGEMODIFYTABLE acl_of(LPMAPIFOLDER f)
{
    LPEXCHANGEMODIFYTABLE t = NULL;
    assert_int_equal(IMAPIFolder_OpenProperty(f, PR_ACL_TABLE, &IID_IExchangeModifyTable, 0, 0,
                                              (LPUNKNOWN *)&t),
                     S_OK);
    return t;
}

/* The rights of member in the table (flags for GetTable), or -1 if absent. */
static LONG rights_in(LPEXCHANGEMODIFYTABLE acl, ULONG flags, LONGLONG member, ULONG *nrows,
                      char *name, size_t cap)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IExchangeModifyTable_GetTable(acl, flags, &t), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 100, 0, &rows), S_OK);
    LONG found = -1;
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPSPropValue id = PpropFindProp(rows->aRow[i].lpProps, rows->aRow[i].cValues,
                                        PR_MEMBER_ID);
        LPSPropValue r = PpropFindProp(rows->aRow[i].lpProps, rows->aRow[i].cValues,
                                       PR_MEMBER_RIGHTS);
        LPSPropValue n = PpropFindProp(rows->aRow[i].lpProps, rows->aRow[i].cValues,
                                       PR_MEMBER_NAME_A);
        assert_non_null(id);
        assert_non_null(r);
        assert_non_null(n);
        if (id->Value.li.QuadPart == member) {
            found = r->Value.l;
            if (name != NULL)
                snprintf(name, cap, "%s", n->Value.lpszA);
        }
    }
    if (nrows != NULL)
        *nrows = rows->cRows;
    FreeProws(rows);
    IMAPITable_Release(t);
    return found;
}

static void member_eid(int64_t member, BYTE eid[FM_ACL_MEMBER_EID_SIZE])
{
    fm_acl_member_entryid(member, eid);
}

/* ROW_ADD of member by entry ID with rights and a name. */
static HRESULT add(LPEXCHANGEMODIFYTABLE acl, ULONG flags, int64_t member, ULONG rights,
                   const char *name)
{
    BYTE eid[FM_ACL_MEMBER_EID_SIZE];
    member_eid(member, eid);
    SPropValue v[3];
    v[0].ulPropTag = PR_MEMBER_ENTRYID;
    v[0].Value.bin.cb = sizeof eid;
    v[0].Value.bin.lpb = eid;
    v[1].ulPropTag = PR_MEMBER_RIGHTS;
    v[1].Value.l = (LONG)rights;
    v[2].ulPropTag = PR_MEMBER_NAME_A;
    v[2].Value.lpszA = (LPSTR)name;
    ROWLIST list = { 1, { { ROW_ADD, 3, v } } };
    return IExchangeModifyTable_ModifyTable(acl, flags, &list);
}

/* ROW_MODIFY or ROW_REMOVE of member by member ID. */
static HRESULT by_id(LPEXCHANGEMODIFYTABLE acl, ULONG row_flags, ULONG flags, LONGLONG member,
                     ULONG rights)
{
    SPropValue v[2];
    v[0].ulPropTag = PR_MEMBER_ID;
    v[0].Value.li.QuadPart = member;
    v[1].ulPropTag = PR_MEMBER_RIGHTS;
    v[1].Value.l = (LONG)rights;
    ROWLIST list = { 1, { { row_flags, 2, v } } };
    return IExchangeModifyTable_ModifyTable(acl, flags, &list);
}

static void a_new_folder_lists_default_and_anonymous_without_rights(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("acl_default");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPEXCHANGEMODIFYTABLE acl = acl_of(inbox);
    ULONG n = 0;
    char name[64] = "";
    assert_int_equal(rights_in(acl, 0, FMAPI_ACL_MEMBER_DEFAULT, &n, name, sizeof name), 0);
    assert_int_equal(n, 2);
    assert_string_equal(name, "Default");
    assert_int_equal(rights_in(acl, 0, FMAPI_ACL_MEMBER_ANONYMOUS, NULL, name, sizeof name), 0);
    assert_string_equal(name, "Anonymous");
    /* The owner's PR_RIGHTS: everything. */
    LPSPropValue r = fx_get(inbox, PR_RIGHTS);
    assert_int_equal(r->Value.l, FMAPI_ROLE_OWNER);
    MAPIFreeBuffer(r);
    /* Other interfaces are refused with text. */
    LPUNKNOWN unk = NULL;
    assert_int_equal(IMAPIFolder_OpenProperty(inbox, PR_ACL_TABLE, &IID_IMAPITable, 0, 0, &unk),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_non_null(strstr(fmapi_last_error(), "IExchangeModifyTable"));
    IExchangeModifyTable_Release(acl);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void rows_are_added_modified_and_removed(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("acl_rows");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPEXCHANGEMODIFYTABLE acl = acl_of(inbox);
    assert_int_equal(add(acl, 0, 7, FMAPI_ROLE_REVIEWER, "Bob"), S_OK);
    char name[64] = "";
    ULONG n = 0;
    assert_int_equal(rights_in(acl, 0, 7, &n, name, sizeof name), FMAPI_ROLE_REVIEWER);
    assert_int_equal(n, 3);
    assert_string_equal(name, "Bob");
    assert_int_equal(by_id(acl, ROW_MODIFY, 0, 7, FMAPI_ROLE_EDITOR), S_OK);
    assert_int_equal(rights_in(acl, 0, 7, NULL, NULL, 0), FMAPI_ROLE_EDITOR);
    assert_int_equal(by_id(acl, ROW_MODIFY, 0, FMAPI_ACL_MEMBER_DEFAULT, FMAPI_ROLE_REVIEWER),
                     S_OK);
    assert_int_equal(rights_in(acl, 0, FMAPI_ACL_MEMBER_DEFAULT, NULL, NULL, 0),
                     FMAPI_ROLE_REVIEWER);
    /* Another folder's table is its own. */
    LPMAPIFOLDER drafts = fx_open_folder_by_prop(mdb, inbox, PR_IPM_DRAFTS_ENTRYID);
    LPEXCHANGEMODIFYTABLE other = acl_of(drafts);
    assert_int_equal(rights_in(other, 0, 7, NULL, NULL, 0), -1);
    IExchangeModifyTable_Release(other);
    IMAPIFolder_Release(drafts);
    /* ROW_REMOVE: the row goes; Default stays, with no rights. */
    assert_int_equal(by_id(acl, ROW_REMOVE, 0, 7, 0), S_OK);
    assert_int_equal(rights_in(acl, 0, 7, &n, NULL, 0), -1);
    assert_int_equal(n, 2);
    assert_int_equal(by_id(acl, ROW_REMOVE, 0, FMAPI_ACL_MEMBER_DEFAULT, 0), S_OK);
    assert_int_equal(rights_in(acl, 0, FMAPI_ACL_MEMBER_DEFAULT, &n, NULL, 0), 0);
    assert_int_equal(n, 2);
    /* A member not in the table. */
    assert_int_equal(by_id(acl, ROW_MODIFY, 0, 99, FMAPI_ROLE_EDITOR), MAPI_E_NOT_FOUND);
    assert_non_null(strstr(fmapi_last_error(), "not in the folder's ACL table"));
    IExchangeModifyTable_Release(acl);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void replace_sets_every_row_and_a_bad_row_changes_nothing(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("acl_replace");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPEXCHANGEMODIFYTABLE acl = acl_of(inbox);
    assert_int_equal(add(acl, 0, 7, FMAPI_ROLE_REVIEWER, "Bob"), S_OK);
    assert_int_equal(add(acl, 0, 8, FMAPI_ROLE_AUTHOR, "Carol"), S_OK);
    /* Replace: only member 9 (and Default, Anonymous) remain. */
    BYTE eid[FM_ACL_MEMBER_EID_SIZE];
    member_eid(9, eid);
    SPropValue v[2] = { { .ulPropTag = PR_MEMBER_ENTRYID }, { .ulPropTag = PR_MEMBER_RIGHTS } };
    v[0].Value.bin.cb = sizeof eid;
    v[0].Value.bin.lpb = eid;
    v[1].Value.l = FMAPI_ROLE_EDITOR;
    ROWLIST one = { 1, { { ROW_ADD, 2, v } } };
    assert_int_equal(IExchangeModifyTable_ModifyTable(acl, ROWLIST_REPLACE, &one), S_OK);
    ULONG n = 0;
    assert_int_equal(rights_in(acl, 0, 9, &n, NULL, 0), FMAPI_ROLE_EDITOR);
    assert_int_equal(n, 3);
    assert_int_equal(rights_in(acl, 0, 7, NULL, NULL, 0), -1);
    /* A list whose second row is bad: refused whole (one transaction). */
    SPropValue bad[2] = { { .ulPropTag = PR_MEMBER_ID }, { .ulPropTag = PR_MEMBER_RIGHTS } };
    bad[0].Value.li.QuadPart = 42; /* not in the table */
    bad[1].Value.l = FMAPI_ROLE_REVIEWER;
    struct {
        ULONG cEntries;
        ROWENTRY aEntries[2];
    } two = { 2, { { ROW_REMOVE, 2, v }, { ROW_MODIFY, 2, bad } } };
    SPropValue rm = { .ulPropTag = PR_MEMBER_ID };
    rm.Value.li.QuadPart = 9;
    two.aEntries[0].cValues = 1;
    two.aEntries[0].rgPropVals = &rm;
    assert_int_equal(IExchangeModifyTable_ModifyTable(acl, 0, (LPROWLIST)&two), MAPI_E_NOT_FOUND);
    assert_int_equal(rights_in(acl, 0, 9, NULL, NULL, 0), FMAPI_ROLE_EDITOR); /* still there */
    IExchangeModifyTable_Release(acl);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void free_busy_bits_need_aclfreebusy(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("acl_freebusy");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPEXCHANGEMODIFYTABLE acl = acl_of(inbox);
    assert_int_equal(add(acl, ACLTABLE_FREEBUSY, 7, FMAPI_ROLE_REVIEWER | frightsFreeBusyDetailed,
                         "Bob"),
                     S_OK);
    /* Without the flag the bits are neither shown nor changed. */
    assert_int_equal(rights_in(acl, 0, 7, NULL, NULL, 0), FMAPI_ROLE_REVIEWER);
    assert_int_equal(rights_in(acl, ACLTABLE_FREEBUSY, 7, NULL, NULL, 0),
                     FMAPI_ROLE_REVIEWER | frightsFreeBusyDetailed);
    assert_int_equal(by_id(acl, ROW_MODIFY, 0, 7, FMAPI_ROLE_AUTHOR), S_OK);
    assert_int_equal(rights_in(acl, ACLTABLE_FREEBUSY, 7, NULL, NULL, 0),
                     FMAPI_ROLE_AUTHOR | frightsFreeBusyDetailed);
    assert_int_equal(by_id(acl, ROW_MODIFY, ACLTABLE_FREEBUSY, 7, FMAPI_ROLE_AUTHOR), S_OK);
    assert_int_equal(rights_in(acl, ACLTABLE_FREEBUSY, 7, NULL, NULL, 0), FMAPI_ROLE_AUTHOR);
    IExchangeModifyTable_Release(acl);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void bad_input_is_refused_with_text(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("acl_bad");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPEXCHANGEMODIFYTABLE acl = acl_of(inbox);
    assert_int_equal(IExchangeModifyTable_ModifyTable(acl, 0x80, NULL), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IExchangeModifyTable_ModifyTable(acl, 0, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(add(acl, 0, 7, 0x00010000, "Bob"), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "unknown rights"));
    /* An entry ID that is no site user's. */
    SPropValue v[2] = { { .ulPropTag = PR_MEMBER_ENTRYID }, { .ulPropTag = PR_MEMBER_RIGHTS } };
    BYTE junk[10] = { 1, 2, 3 };
    v[0].Value.bin.cb = sizeof junk;
    v[0].Value.bin.lpb = junk;
    v[1].Value.l = FMAPI_ROLE_REVIEWER;
    ROWLIST one = { 1, { { ROW_ADD, 2, v } } };
    assert_int_equal(IExchangeModifyTable_ModifyTable(acl, 0, &one), MAPI_E_INVALID_ENTRYID);
    assert_non_null(strstr(fmapi_last_error(), "PR_MEMBER_ENTRYID"));
    one.aEntries[0].ulRowFlags = 0x40;
    assert_int_equal(IExchangeModifyTable_ModifyTable(acl, 0, &one), MAPI_E_INVALID_PARAMETER);
    one.aEntries[0].ulRowFlags = ROW_ADD;
    one.aEntries[0].cValues = 1; /* no rights */
    assert_int_equal(IExchangeModifyTable_ModifyTable(acl, 0, &one), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "PR_MEMBER_RIGHTS"));
    LPMAPIERROR err = NULL;
    assert_int_equal(IExchangeModifyTable_GetLastError(acl, MAPI_E_INVALID_PARAMETER, 0, &err),
                     S_OK);
    assert_non_null(err);
    MAPIFreeBuffer(err);
    LPMAPITABLE t = NULL;
    assert_int_equal(IExchangeModifyTable_GetTable(acl, 0x1000, &t), MAPI_E_UNKNOWN_FLAGS);
    IExchangeModifyTable_Release(acl);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void the_member_entryid_layout_is_the_directorys(void **state)
{
    (void)state;
    BYTE eid[FM_ACL_MEMBER_EID_SIZE];
    fm_acl_member_entryid(12345, eid);
    assert_memory_equal(eid + 4, FM_SITE_DIRECTORY_UID.ab, 16);
    int64_t m = 0;
    assert_int_equal(fm_acl_member_of_entryid(sizeof eid, eid, &m), S_OK);
    assert_int_equal(m, 12345);
    ULONG cb = 0;
    LPENTRYID site_eid = NULL;
    assert_int_equal(fm_site_user_entryid(12345, &cb, &site_eid), S_OK);
    assert_int_equal(cb, sizeof eid);
    assert_memory_equal(site_eid, eid, sizeof eid);
    MAPIFreeBuffer(site_eid);
}

/* ---- out of memory ---------------------------------------------------------- */

typedef struct sweep_ctx {
    LPMAPIFOLDER folder;
    LPMDB mdb;
    int round;
} sweep_ctx;

static HRESULT modify_once(void *p)
{
    sweep_ctx *c = p;
    LPEXCHANGEMODIFYTABLE acl = NULL;
    HRESULT hr = IMAPIFolder_OpenProperty(c->folder, PR_ACL_TABLE, &IID_IExchangeModifyTable, 0,
                                          0, (LPUNKNOWN *)&acl);
    if (hr != S_OK)
        return hr;
    hr = add(acl, 0, 7, (c->round++ & 1) ? FMAPI_ROLE_AUTHOR : FMAPI_ROLE_REVIEWER, "Bob");
    LPMAPITABLE t = NULL;
    if (hr == S_OK)
        hr = IExchangeModifyTable_GetTable(acl, 0, &t);
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = IMAPITable_QueryRows(t, 10, 0, &rows);
    if (rows != NULL)
        FreeProws(rows);
    if (t != NULL)
        IMAPITable_Release(t);
    IExchangeModifyTable_Release(acl);
    return hr;
}

static void modify_table_survives_every_allocation_failure(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("acl_oom");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    sweep_ctx c = { inbox, mdb, 0 };
    assert_true(fm_test_oom_sweep(modify_once, &c) > 0);
    LPEXCHANGEMODIFYTABLE acl = acl_of(inbox);
    assert_true(rights_in(acl, 0, 7, NULL, NULL, 0) > 0);
    IExchangeModifyTable_Release(acl);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

/* A delegate's check: open the Inbox, read its contents table. */
static HRESULT delegate_reads(void *p)
{
    sweep_ctx *c = p;
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0;
    HRESULT hr = IMsgStore_GetReceiveFolder(c->mdb, (LPTSTR) "IPM.Note", 0, &cb, &eid, NULL);
    LPMAPIFOLDER f = NULL;
    if (hr == S_OK)
        hr = IMsgStore_OpenEntry(c->mdb, cb, eid, NULL, 0, &type, (LPUNKNOWN *)&f);
    MAPIFreeBuffer(eid);
    LPMAPITABLE t = NULL;
    if (hr == S_OK)
        hr = IMAPIFolder_GetContentsTable(f, 0, &t);
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = IMAPITable_QueryRows(t, 10, 0, &rows);
    if (rows != NULL)
        FreeProws(rows);
    if (t != NULL)
        IMAPITable_Release(t);
    if (f != NULL)
        IMAPIFolder_Release(f);
    return hr;
}

static void a_delegates_access_check_survives_every_allocation_failure(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("acl_check_oom");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPEXCHANGEMODIFYTABLE acl = acl_of(inbox);
    assert_int_equal(add(acl, 0, 7, FMAPI_ROLE_REVIEWER, "Bob"), S_OK);
    IExchangeModifyTable_Release(acl);
    /* From here on member 7 acts through this store, as a delegate. */
    fm_store_set_principal(fm_object_of(mdb)->store, 7, true, NULL, NULL);
    sweep_ctx c = { inbox, mdb, 0 };
    assert_true(fm_test_oom_sweep(delegate_reads, &c) > 0);
    /* ...and what the Reviewer role lacks is refused. */
    LPMESSAGE m = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &m), MAPI_E_NO_ACCESS);
    assert_non_null(strstr(fmapi_last_error(), "create items"));
    assert_null(m);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_new_folder_lists_default_and_anonymous_without_rights),
        cmocka_unit_test(rows_are_added_modified_and_removed),
        cmocka_unit_test(replace_sets_every_row_and_a_bad_row_changes_nothing),
        cmocka_unit_test(free_busy_bits_need_aclfreebusy),
        cmocka_unit_test(bad_input_is_refused_with_text),
        cmocka_unit_test(the_member_entryid_layout_is_the_directorys),
        cmocka_unit_test(modify_table_survives_every_allocation_failure),
        cmocka_unit_test(a_delegates_access_check_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
