/*
 * tests/ab/test_addrbook.c - the address book of a session: IAddrBook's
 * methods and errors, the root and GAL containers, PR_ANR over accented
 * and mixed-case names, mail users' and lists' properties, a list loop,
 * ResolveName (unique, exact-beats-prefix, ambiguous, unknown, one-off),
 * entry IDs that open again (from a message's recipient table too), OOM
 * sweeps and leak baselines.
 */
#include "ab/ab.h"
#include "ab_fixture.h"
#include "core/text.h"
#include "session/session.h"

#define PROFILE "ab-alice"
#define EMPTY_PROFILE "ab-empty"

static LPADRBOOK open_ab(LPMAPISESSION s)
{
    LPADRBOOK ab = NULL;
    assert_int_equal(fm_session_open_addrbook(s, AB_NO_DIALOG, &ab), S_OK);
    assert_non_null(ab);
    return ab;
}

static LPSPropValue find(LPSPropValue v, ULONG c, ULONG tag)
{
    return PpropFindProp(v, c, tag);
}

static IABContainer *open_gal(LPADRBOOK ab)
{
    ULONG cb = 0, type = 0;
    LPENTRYID eid = NULL;
    assert_int_equal(IAddrBook_GetDefaultDir(ab, &cb, &eid), S_OK);
    IABContainer *gal = NULL;
    assert_int_equal(IAddrBook_OpenEntry(ab, cb, eid, NULL, 0, &type, (LPUNKNOWN *)&gal), S_OK);
    assert_int_equal(type, MAPI_ABCONT);
    MAPIFreeBuffer(eid);
    return gal;
}

/* The rows of a table (all of them), restricted to res when not NULL. */
static LPSRowSet rows_of(LPMAPITABLE t, LPSRestriction res)
{
    if (res)
        assert_int_equal(IMAPITable_Restrict(t, res, 0), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 100, 0, &rows), S_OK);
    return rows;
}

/* Whether rows hold a row whose PR_ACCOUNT is alias. */
static bool has_alias(LPSRowSet rows, const char *alias)
{
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPSPropValue v = find(rows->aRow[i].lpProps, rows->aRow[i].cValues, PR_ACCOUNT_A);
        if (v && strcmp(v->Value.lpszA, alias) == 0)
            return true;
    }
    return false;
}

/* The GAL rows PR_ANR value (UTF-8) finds. */
static LPSRowSet anr_rows(IABContainer *gal, const char *value)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IABContainer_GetContentsTable(gal, 0, &t), S_OK);
    SPropValue v;
    v.ulPropTag = PR_ANR_A;
    v.Value.lpszA = (LPSTR)value;
    SRestriction r;
    r.rt = RES_PROPERTY;
    r.res.resProperty.relop = RELOP_EQ;
    r.res.resProperty.ulPropTag = PR_ANR_A;
    r.res.resProperty.lpProp = &v;
    LPSRowSet rows = rows_of(t, &r);
    IMAPITable_Release(t);
    return rows;
}

/* An entry ID of the GAL entry with alias (MAPIFreeBuffer it). */
static LPSPropValue eid_of(IABContainer *gal, const char *alias)
{
    LPSRowSet rows = anr_rows(gal, alias);
    LPSPropValue out = NULL;
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPSPropValue a = find(rows->aRow[i].lpProps, rows->aRow[i].cValues, PR_ACCOUNT_A);
        if (a && strcmp(a->Value.lpszA, alias) == 0)
            assert_int_equal(ScDupPropset(1, find(rows->aRow[i].lpProps, rows->aRow[i].cValues,
                                                  PR_ENTRYID),
                                          MAPIAllocateBuffer, &out),
                             S_OK);
    }
    FreeProws(rows);
    assert_non_null(out);
    return out;
}

/* An ADRLIST of names (PR_DISPLAY_NAME and PR_RECIPIENT_TYPE each). */
static LPADRLIST adrlist_of(const char *const *names, ULONG n)
{
    LPADRLIST l = NULL;
    assert_int_equal(MAPIAllocateBuffer(CbNewADRLIST(n), (void **)&l), S_OK);
    l->cEntries = n;
    for (ULONG i = 0; i < n; i++) {
        LPSPropValue v = NULL;
        assert_int_equal(MAPIAllocateBuffer(2 * sizeof *v + strlen(names[i]) + 1, (void **)&v),
                         S_OK);
        char *s = (char *)(v + 2);
        strcpy(s, names[i]);
        v[0].ulPropTag = PR_DISPLAY_NAME_A;
        v[0].Value.lpszA = s;
        v[1].ulPropTag = PR_RECIPIENT_TYPE;
        v[1].Value.l = MAPI_TO;
        l->aEntries[i].ulReserved1 = 0;
        l->aEntries[i].cValues = 2;
        l->aEntries[i].rgPropVals = v;
    }
    return l;
}

/* ---- opening ------------------------------------------------------------------------ */

static void open_address_book_gives_an_iaddrbook_of_the_session(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    LPADRBOOK again = NULL;
    assert_int_equal(IAddrBook_QueryInterface(ab, &IID_IAddrBook, (void **)&again), S_OK);
    assert_ptr_equal(again, ab);
    IAddrBook_Release(again);
    assert_int_equal(IAddrBook_QueryInterface(ab, &IID_IMAPITable, (void **)&again),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    SPropTagArray tags = { 1, { PR_OBJECT_TYPE } };
    ULONG c = 0;
    LPSPropValue v = NULL;
    assert_int_equal(IAddrBook_GetProps(ab, &tags, 0, &c, &v), S_OK);
    assert_int_equal(v[0].Value.l, MAPI_ADDRBOOK);
    assert_int_equal(IAddrBook_SetProps(ab, 1, v, NULL), MAPI_E_NO_ACCESS);
    MAPIFreeBuffer(v);
    /* The session's identity is a directory entry ID the address book opens. */
    ULONG cb = 0, type = 0;
    LPENTRYID me = NULL;
    assert_int_equal(IMAPISession_QueryIdentity(s, &cb, &me), S_OK);
    LPMAILUSER mu = NULL;
    assert_int_equal(IAddrBook_OpenEntry(ab, cb, me, NULL, 0, &type, (LPUNKNOWN *)&mu), S_OK);
    assert_int_equal(type, MAPI_MAILUSER);
    SPropTagArray acct = { 1, { PR_ACCOUNT_A } };
    assert_int_equal(IMailUser_GetProps(mu, &acct, 0, &c, &v), S_OK);
    assert_string_equal(v[0].Value.lpszA, "alice");
    MAPIFreeBuffer(v);
    IMailUser_Release(mu);
    MAPIFreeBuffer(me);
    IAddrBook_Release(ab);
    LPADRBOOK none = NULL;
    assert_int_equal(fm_session_open_addrbook(s, 0x40000000, &none), MAPI_E_UNKNOWN_FLAGS);
    assert_non_null(strstr(fmapi_last_error(), "unknown flags"));
    assert_int_equal(fm_session_open_addrbook(s, 0, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_session_open_addrbook(NULL, 0, &none), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPISession_Logoff(s, 0, 0, 0), S_OK);
    assert_int_equal(fm_session_open_addrbook(s, 0, &none), MAPI_E_END_OF_SESSION);
    assert_null(none);
    IMAPISession_Release(s);
}

static void the_address_book_outlives_its_session(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    IMAPISession_Logoff(s, 0, 0, 0);
    IMAPISession_Release(s);
    IABContainer *gal = open_gal(ab);
    LPSRowSet rows = anr_rows(gal, "alice");
    assert_int_equal(rows->cRows, 1);
    FreeProws(rows);
    IABContainer_Release(gal);
    IAddrBook_Release(ab);
}

/* ---- containers -------------------------------------------------------------------------- */

static void the_root_holds_the_global_address_list(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    ULONG type = 0;
    IABContainer *root = NULL;
    assert_int_equal(IAddrBook_OpenEntry(ab, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root), S_OK);
    assert_int_equal(type, MAPI_ABCONT);
    LPMAPITABLE t = NULL;
    assert_int_equal(IABContainer_GetContentsTable(root, 0, &t), MAPI_E_NO_SUPPORT);
    assert_int_equal(IABContainer_GetHierarchyTable(root, 0x1000, &t), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IABContainer_GetHierarchyTable(root, CONVENIENT_DEPTH, &t), S_OK);
    LPSRowSet rows = rows_of(t, NULL);
    assert_int_equal(rows->cRows, 2); /* the GAL and the user's contacts */
    LPSPropValue name = find(rows->aRow[0].lpProps, rows->aRow[0].cValues, PR_DISPLAY_NAME_A);
    assert_string_equal(name->Value.lpszA, "Global Address List");
    name = find(rows->aRow[1].lpProps, rows->aRow[1].cValues, PR_DISPLAY_NAME_A);
    assert_string_equal(name->Value.lpszA, "Contacts");
    LPSPropValue dt = find(rows->aRow[0].lpProps, rows->aRow[0].cValues, PR_DISPLAY_TYPE);
    assert_int_equal(dt->Value.l, DT_GLOBAL);
    LPSPropValue eid = find(rows->aRow[0].lpProps, rows->aRow[0].cValues, PR_ENTRYID);
    IABContainer *gal = NULL;
    assert_int_equal(IAddrBook_OpenEntry(ab, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         &IID_IABContainer, 0, &type, (LPUNKNOWN *)&gal),
                     S_OK);
    LPMAPITABLE h = NULL;
    assert_int_equal(IABContainer_GetHierarchyTable(gal, 0, &h), S_OK);
    LPSRowSet none = rows_of(h, NULL);
    assert_int_equal(none->cRows, 0);
    FreeProws(none);
    IMAPITable_Release(h);
    SPropTagArray flags = { 1, { PR_CONTAINER_FLAGS } };
    ULONG c = 0;
    LPSPropValue v = NULL;
    assert_int_equal(IABContainer_GetProps(gal, &flags, 0, &c, &v), S_OK);
    assert_int_equal(v[0].Value.l, AB_RECIPIENTS | AB_UNMODIFIABLE);
    MAPIFreeBuffer(v);
    assert_int_equal(IABContainer_CreateEntry(gal, 0, NULL, 0, NULL), MAPI_E_NO_ACCESS);
    assert_int_equal(IABContainer_DeleteEntries(gal, NULL, 0), MAPI_E_NO_ACCESS);
    assert_int_equal(IABContainer_SetSearchCriteria(gal, NULL, NULL, 0), MAPI_E_NO_SUPPORT);
    FreeProws(rows);
    IMAPITable_Release(t);
    IABContainer_Release(gal);
    IABContainer_Release(root);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
}

static void the_gal_lists_every_user_and_list(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    IABContainer *gal = open_gal(ab);
    LPMAPITABLE t = NULL;
    assert_int_equal(IABContainer_GetContentsTable(gal, 0x4, &t), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IABContainer_GetContentsTable(gal, 0, &t), S_OK);
    ULONG count = 0;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &count), S_OK);
    assert_int_equal(count, AB_NUSERS + 3);
    LPSRowSet rows = rows_of(t, NULL);
    for (size_t i = 0; i < AB_NUSERS; i++)
        assert_true(has_alias(rows, AB_USERS[i][0]));
    assert_true(has_alias(rows, "staff"));
    FreeProws(rows);
    /* Sorted by display name, wide strings with MAPI_UNICODE. */
    IMAPITable_Release(t);
    assert_int_equal(IABContainer_GetContentsTable(gal, MAPI_UNICODE, &t), S_OK);
    SSortOrderSet sort = { 1, 0, 0, { { PR_DISPLAY_NAME_W, TABLE_SORT_DESCEND } } };
    assert_int_equal(IMAPITable_SortTable(t, &sort, 0), S_OK);
    SPropTagArray cols = { 1, { PR_DISPLAY_NAME_W } };
    assert_int_equal(IMAPITable_SetColumns(t, &cols, 0), S_OK);
    rows = rows_of(t, NULL);
    assert_int_equal(rows->cRows, AB_NUSERS + 3);
    char first[64];
    fm_utf16_to_utf8_into(rows->aRow[0].lpProps[0].Value.lpszW,
                          fm_utf16_len(rows->aRow[0].lpProps[0].Value.lpszW), first);
    assert_string_equal(first, "Éloïse Dupré"); /* case-insensitive order puts É last */
    FreeProws(rows);
    IMAPITable_Release(t);
    IABContainer_Release(gal);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
}

static void anr_ignores_case_and_accents_and_matches_word_prefixes(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    IABContainer *gal = open_gal(ab);
    static const struct {
        const char *anr;
        unsigned n;
        const char *alias;
    } cases[] = {
        { "elo", 1, "eloise" },       { "ÉLOÏSE", 1, "eloise" },   { "dupre", 1, "eloise" },
        { "mül", 1, "jmuller" },      { "MULLER", 1, "jmuller" },  { "jürgen", 1, "jmuller" },
        { "ang", 1, "zoe" },          { "zoe", 1, "zoe" },         { "bob", 2, "bobby" },
        { "Tables", 1, "bobby" },     { "juergen.m", 1, "jmuller" }, { "alice@ex", 1, "alice" },
        { "team", 1, "team" },        { "nobody", 0, NULL },       { "lice", 0, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        LPSRowSet rows = anr_rows(gal, cases[i].anr);
        if (rows->cRows != cases[i].n)
            fail_msg("PR_ANR \"%s\": %lu rows, expected %u", cases[i].anr,
                     (unsigned long)rows->cRows, cases[i].n);
        if (cases[i].alias)
            assert_true(has_alias(rows, cases[i].alias));
        FreeProws(rows);
    }
    /* PR_ANR_W, nested under RES_AND with another condition, and FindRow. */
    LPMAPITABLE t = NULL;
    assert_int_equal(IABContainer_GetContentsTable(gal, 0, &t), S_OK);
    WCHAR wide[8];
    fm_utf8_to_utf16_into("BOB", 3, wide, 8);
    SPropValue v = { .ulPropTag = PR_ANR_W };
    v.Value.lpszW = wide;
    SPropValue dt = { .ulPropTag = PR_ACCOUNT_A };
    dt.Value.lpszA = (LPSTR) "bob";
    SRestriction kids[2];
    kids[0].rt = RES_PROPERTY;
    kids[0].res.resProperty.relop = RELOP_EQ;
    kids[0].res.resProperty.ulPropTag = PR_ANR_W;
    kids[0].res.resProperty.lpProp = &v;
    kids[1].rt = RES_PROPERTY;
    kids[1].res.resProperty.relop = RELOP_NE;
    kids[1].res.resProperty.ulPropTag = PR_ACCOUNT_A;
    kids[1].res.resProperty.lpProp = &dt;
    SRestriction and = { .rt = RES_AND };
    and.res.resAnd.cRes = 2;
    and.res.resAnd.lpRes = kids;
    LPSRowSet rows = rows_of(t, &and);
    assert_int_equal(rows->cRows, 1);
    assert_true(has_alias(rows, "bobby"));
    FreeProws(rows);
    assert_int_equal(IMAPITable_Restrict(t, NULL, 0), S_OK);
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    assert_int_equal(IMAPITable_FindRow(t, &kids[0], BOOKMARK_BEGINNING, 0), S_OK);
    IMAPITable_Release(t);
    IABContainer_Release(gal);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
}


static void methods_that_would_change_or_copy_say_why_not(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    IABContainer *gal = open_gal(ab);
    LPSPropProblemArray probs = NULL;
    SPropTagArray one = { 1, { PR_DISPLAY_NAME_A } };
    assert_int_equal(IAddrBook_DeleteProps(ab, &one, &probs), MAPI_E_NO_ACCESS);
    assert_int_equal(IAddrBook_CopyTo(ab, 0, NULL, NULL, 0, NULL, &IID_IMAPIProp, gal, 0, &probs),
                     MAPI_E_NO_SUPPORT);
    assert_int_equal(IABContainer_CopyProps(gal, &one, 0, NULL, &IID_IMAPIProp, ab, 0, &probs),
                     MAPI_E_NO_SUPPORT);
    assert_non_null(strstr(fmapi_last_error(), "GetProps"));
    ULONG c = 0;
    LPMAPINAMEID *names = NULL;
    LPSPropTagArray tags = NULL;
    assert_int_equal(IABContainer_GetNamesFromIDs(gal, &tags, NULL, 0, &c, &names),
                     MAPI_E_NO_SUPPORT);
    assert_int_equal(IABContainer_GetIDsFromNames(gal, 0, NULL, 0, &tags), MAPI_E_NO_SUPPORT);
    LPSRestriction res = NULL;
    LPENTRYLIST list = NULL;
    ULONG st = 0;
    assert_int_equal(IABContainer_GetSearchCriteria(gal, 0, &res, &list, &st), MAPI_E_NO_SUPPORT);
    assert_int_equal(IABContainer_CopyEntries(gal, NULL, 0, NULL, 0), MAPI_E_NO_ACCESS);
    assert_int_equal(IABContainer_SaveChanges(gal, 0), MAPI_E_NO_ACCESS);
    LPSPropTagArray props = NULL;
    assert_int_equal(IAddrBook_GetPropList(ab, 0, &props), S_OK);
    assert_int_equal(props->cValues, 1);
    assert_int_equal(props->aulPropTag[0], PR_OBJECT_TYPE);
    MAPIFreeBuffer(props);
    assert_int_equal(IAddrBook_GetPropList(ab, 0x1, &props), MAPI_E_UNKNOWN_FLAGS);
    /* Restrictions: PR_ANR under RES_NOT and RES_OR; an invalid value. */
    LPMAPITABLE t = NULL;
    assert_int_equal(IABContainer_GetContentsTable(gal, 0, &t), S_OK);
    SPropValue v = { .ulPropTag = PR_ANR_A };
    v.Value.lpszA = (LPSTR) "bob";
    SRestriction anr = { .rt = RES_PROPERTY };
    anr.res.resProperty.relop = RELOP_EQ;
    anr.res.resProperty.ulPropTag = PR_ANR_A;
    anr.res.resProperty.lpProp = &v;
    SRestriction or = { .rt = RES_OR };
    or.res.resOr.cRes = 1;
    or.res.resOr.lpRes = &anr;
    SRestriction not = { .rt = RES_NOT };
    not.res.resNot.lpRes = &or;
    LPSRowSet rows = rows_of(t, &not);
    assert_int_equal(rows->cRows, AB_NUSERS + 3 - 2);
    assert_false(has_alias(rows, "bob"));
    FreeProws(rows);
    v.Value.lpszA = (LPSTR) "\xC3";
    assert_int_equal(IMAPITable_Restrict(t, &anr, 0), MAPI_E_INVALID_PARAMETER);
    IMAPITable_Release(t);
    IABContainer_Release(gal);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
}

/* ---- entries ------------------------------------------------------------------------------ */

static void a_mail_user_has_the_documented_properties(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    IABContainer *gal = open_gal(ab);
    LPSPropValue eid = eid_of(gal, "alice");
    ULONG type = 0;
    LPMAILUSER mu = NULL;
    assert_int_equal(IAddrBook_OpenEntry(ab, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         &IID_IMailUser, 0, &type, (LPUNKNOWN *)&mu),
                     S_OK);
    assert_int_equal(type, MAPI_MAILUSER);
    SizedSPropTagArray(14, tags) = {
        14,
        { PR_DISPLAY_NAME_A, PR_ACCOUNT_A, PR_SMTP_ADDRESS_A, PR_EMAIL_ADDRESS_A, PR_ADDRTYPE_A,
          PR_DISPLAY_TYPE, PR_OBJECT_TYPE, PR_TITLE_A, PR_COMPANY_NAME_A, PR_DEPARTMENT_NAME_A,
          PR_OFFICE_LOCATION_A, PR_BUSINESS_TELEPHONE_NUMBER_A, PR_ENTRYID, PR_GIVEN_NAME_A }
    };
    ULONG c = 0;
    LPSPropValue v = NULL;
    assert_int_equal(IMailUser_GetProps(mu, (LPSPropTagArray)&tags, 0, &c, &v), S_OK);
    assert_string_equal(v[0].Value.lpszA, "Alice Liddell");
    assert_string_equal(v[1].Value.lpszA, "alice");
    assert_string_equal(v[2].Value.lpszA, "alice@example.org");
    assert_string_equal(v[3].Value.lpszA, "/o=freemapi/ou=absite/cn=Recipients/cn=alice");
    assert_string_equal(v[4].Value.lpszA, "EX");
    assert_int_equal(v[5].Value.l, DT_MAILUSER);
    assert_int_equal(v[6].Value.l, MAPI_MAILUSER);
    assert_string_equal(v[7].Value.lpszA, "Explorer");
    assert_string_equal(v[8].Value.lpszA, "Wonderland");
    assert_string_equal(v[9].Value.lpszA, "Tea");
    assert_string_equal(v[10].Value.lpszA, "Hole 1");
    assert_string_equal(v[11].Value.lpszA, "+1 555 0100");
    assert_memory_equal(v[12].Value.bin.lpb, eid->Value.bin.lpb, eid->Value.bin.cb);
    assert_string_equal(v[13].Value.lpszA, "Alice");
    MAPIFreeBuffer(v);
    /* Wide strings, a missing property, and no writing. */
    SizedSPropTagArray(2, wtags) = { 2, { PR_DISPLAY_NAME, PR_MOBILE_TELEPHONE_NUMBER_A } };
    wtags.aulPropTag[0] = PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_DISPLAY_NAME));
    assert_int_equal(IMailUser_GetProps(mu, (LPSPropTagArray)&wtags, MAPI_UNICODE, &c, &v),
                     MAPI_W_ERRORS_RETURNED);
    assert_int_equal(v[0].ulPropTag, PR_DISPLAY_NAME_W);
    assert_int_equal(v[1].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_MOBILE_TELEPHONE_NUMBER)));
    MAPIFreeBuffer(v);
    assert_int_equal(IMailUser_GetProps(mu, NULL, 0x1, &c, &v), MAPI_E_UNKNOWN_FLAGS);
    LPSPropTagArray list = NULL;
    assert_int_equal(IMailUser_GetPropList(mu, MAPI_UNICODE, &list), S_OK);
    assert_true(list->cValues >= 14);
    MAPIFreeBuffer(list);
    assert_int_equal(IMailUser_SaveChanges(mu, 0), MAPI_E_NO_ACCESS);
    LPMAPIERROR err = NULL;
    assert_int_equal(IMailUser_GetLastError(mu, MAPI_E_NO_ACCESS, 0, &err), S_OK);
    assert_non_null(strstr((char *)err->lpszError, "read-only"));
    MAPIFreeBuffer(err);
    LPUNKNOWN u = NULL;
    assert_int_equal(IMailUser_OpenProperty(mu, PR_ENTRYID, &IID_IUnknown, 0, 0, &u),
                     MAPI_E_NO_SUPPORT);
    IMailUser_Release(mu);
    /* Asking for the wrong interface, or to modify. */
    assert_int_equal(IAddrBook_OpenEntry(ab, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         &IID_IDistList, 0, &type, (LPUNKNOWN *)&mu),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_int_equal(IAddrBook_OpenEntry(ab, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&mu),
                     MAPI_E_NO_ACCESS);
    MAPIFreeBuffer(eid);
    IABContainer_Release(gal);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
}

static LPSRowSet members(LPADRBOOK ab, IABContainer *gal, const char *list, ULONG flags)
{
    LPSPropValue eid = eid_of(gal, list);
    ULONG type = 0;
    LPDISTLIST dl = NULL;
    assert_int_equal(IAddrBook_OpenEntry(ab, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         NULL, 0, &type, (LPUNKNOWN *)&dl),
                     S_OK);
    assert_int_equal(type, MAPI_DISTLIST);
    MAPIFreeBuffer(eid);
    LPMAPITABLE t = NULL;
    assert_int_equal(IDistList_GetContentsTable(dl, flags, &t), S_OK);
    LPSRowSet rows = rows_of(t, NULL);
    IMAPITable_Release(t);
    IDistList_Release(dl);
    return rows;
}

static void lists_show_members_and_expand_nested_lists_through_a_loop(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    IABContainer *gal = open_gal(ab);
    LPSRowSet rows = members(ab, gal, "staff", 0);
    assert_int_equal(rows->cRows, 3);
    assert_true(has_alias(rows, "alice") && has_alias(rows, "bob") && has_alias(rows, "team"));
    FreeProws(rows);
    /* staff -> team -> staff: each user once, the loop cut. */
    rows = members(ab, gal, "staff", FMAPI_AB_EXPAND_LISTS);
    assert_int_equal(rows->cRows, 4);
    assert_true(has_alias(rows, "alice") && has_alias(rows, "bob") &&
                has_alias(rows, "eloise") && has_alias(rows, "zoe"));
    assert_false(has_alias(rows, "team"));
    FreeProws(rows);
    rows = members(ab, gal, "team", FMAPI_AB_EXPAND_LISTS);
    assert_int_equal(rows->cRows, 4);
    FreeProws(rows);
    /* The list's own properties, and what a list does not do. */
    LPSPropValue eid = eid_of(gal, "solo");
    ULONG type = 0;
    LPDISTLIST dl = NULL;
    assert_int_equal(IABContainer_OpenEntry(gal, eid->Value.bin.cb,
                                            (LPENTRYID)eid->Value.bin.lpb, &IID_IDistList, 0,
                                            &type, (LPUNKNOWN *)&dl),
                     S_OK);
    SizedSPropTagArray(2, t2) = { 2, { PR_DISPLAY_TYPE, PR_OBJECT_TYPE } };
    ULONG c = 0;
    LPSPropValue v = NULL;
    assert_int_equal(IDistList_GetProps(dl, (LPSPropTagArray)&t2, 0, &c, &v), S_OK);
    assert_int_equal(v[0].Value.l, DT_DISTLIST);
    assert_int_equal(v[1].Value.l, MAPI_DISTLIST);
    MAPIFreeBuffer(v);
    LPMAPITABLE t = NULL;
    assert_int_equal(IDistList_GetHierarchyTable(dl, 0, &t), MAPI_E_NO_SUPPORT);
    assert_int_equal(IDistList_GetContentsTable(dl, 0x1, &t), MAPI_E_UNKNOWN_FLAGS);
    SPropTagArray none = { 0, { 0 } };
    assert_int_equal(IDistList_ResolveNames(dl, &none, 0, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    IDistList_Release(dl);
    MAPIFreeBuffer(eid);
    IABContainer_Release(gal);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
}

/* ---- entry IDs ------------------------------------------------------------------------------ */

static void create_one_off_writes_the_documented_entry_id(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    static const BYTE uid[16] = { 0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
                                  0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02 };
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    assert_int_equal(IAddrBook_CreateOneOff(ab, (LPTSTR) "Fax Me", (LPTSTR) "FAX",
                                            (LPTSTR) "+1 555", 0, &cb, &eid),
                     S_OK);
    static const BYTE ansi[] = "Fax Me\0FAX\0+1 555";
    assert_int_equal(cb, 24 + sizeof ansi);
    BYTE *p = (BYTE *)eid;
    assert_memory_equal(p, "\0\0\0\0", 4);
    assert_memory_equal(p + 4, uid, 16);
    assert_int_equal(p[20] | p[21] << 8, 0);         /* version */
    assert_int_equal(p[22] | p[23] << 8, 0);         /* no flags */
    assert_memory_equal(p + 24, ansi, sizeof ansi);
    MAPIFreeBuffer(eid);
    /* MAPI_SEND_NO_RICH_INFO, and an SMTP address, set MAPI_ONE_OFF_NO_RICH_INFO. */
    assert_int_equal(IAddrBook_CreateOneOff(ab, NULL, (LPTSTR) "FAX", (LPTSTR) "1",
                                            MAPI_SEND_NO_RICH_INFO, &cb, &eid),
                     S_OK);
    assert_int_equal(((BYTE *)eid)[22] | ((BYTE *)eid)[23] << 8, MAPI_ONE_OFF_NO_RICH_INFO);
    MAPIFreeBuffer(eid);
    /* Unicode: MAPI_ONE_OFF_UNICODE and UTF-16LE strings. */
    WCHAR name[16], type[8], addr[32];
    fm_utf8_to_utf16_into("Zoë", strlen("Zoë"), name, 16);
    fm_utf8_to_utf16_into("SMTP", 4, type, 8);
    fm_utf8_to_utf16_into("z@x.org", 7, addr, 32);
    assert_int_equal(IAddrBook_CreateOneOff(ab, (LPTSTR)name, (LPTSTR)type, (LPTSTR)addr,
                                            MAPI_UNICODE, &cb, &eid),
                     S_OK);
    p = (BYTE *)eid;
    assert_int_equal(p[22] | p[23] << 8, MAPI_ONE_OFF_UNICODE | MAPI_ONE_OFF_NO_RICH_INFO);
    assert_int_equal(cb, 24 + 2 * (4 + 5 + 8));
    assert_int_equal(p[24], 'Z');
    assert_int_equal(p[25], 0);
    assert_int_equal(p[28] | p[29] << 8, 0xEB); /* ë */
    /* It opens as a mail user with the one-off's properties. */
    ULONG otype = 0;
    LPMAILUSER mu = NULL;
    assert_int_equal(IAddrBook_OpenEntry(ab, cb, eid, NULL, 0, &otype, (LPUNKNOWN *)&mu), S_OK);
    assert_int_equal(otype, MAPI_MAILUSER);
    SizedSPropTagArray(4, tags) = { 4, { PR_DISPLAY_NAME_A, PR_ADDRTYPE_A, PR_EMAIL_ADDRESS_A,
                                         PR_SEND_RICH_INFO } };
    ULONG c = 0;
    LPSPropValue v = NULL;
    assert_int_equal(IMailUser_GetProps(mu, (LPSPropTagArray)&tags, 0, &c, &v), S_OK);
    assert_string_equal(v[0].Value.lpszA, "Zoë");
    assert_string_equal(v[1].Value.lpszA, "SMTP");
    assert_string_equal(v[2].Value.lpszA, "z@x.org");
    assert_false(v[3].Value.b);
    MAPIFreeBuffer(v);
    IMailUser_Release(mu);
    MAPIFreeBuffer(eid);
    /* Errors. */
    assert_int_equal(IAddrBook_CreateOneOff(ab, NULL, NULL, (LPTSTR) "a", 0, &cb, &eid),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IAddrBook_CreateOneOff(ab, NULL, (LPTSTR) "SMTP", NULL, 0, &cb, &eid),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IAddrBook_CreateOneOff(ab, NULL, (LPTSTR) "", (LPTSTR) "a", 0, &cb, &eid),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IAddrBook_CreateOneOff(ab, NULL, (LPTSTR) "SMTP", (LPTSTR) "a", 0x2, &cb,
                                            &eid),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IAddrBook_CreateOneOff(ab, NULL, (LPTSTR) "SMTP", (LPTSTR) "\xff", 0, &cb,
                                            &eid),
                     MAPI_E_INVALID_PARAMETER);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
}

static void entry_ids_compare_and_bad_ones_are_refused(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    IABContainer *gal = open_gal(ab);
    LPSPropValue a1 = eid_of(gal, "alice"), a2 = eid_of(gal, "alice"), b = eid_of(gal, "bob");
    ULONG same = 9;
    assert_int_equal(IAddrBook_CompareEntryIDs(ab, a1->Value.bin.cb,
                                               (LPENTRYID)a1->Value.bin.lpb, a2->Value.bin.cb,
                                               (LPENTRYID)a2->Value.bin.lpb, 0, &same),
                     S_OK);
    assert_true(same);
    assert_int_equal(IAddrBook_CompareEntryIDs(ab, a1->Value.bin.cb,
                                               (LPENTRYID)a1->Value.bin.lpb, b->Value.bin.cb,
                                               (LPENTRYID)b->Value.bin.lpb, 0, &same),
                     S_OK);
    assert_false(same);
    assert_int_equal(IAddrBook_CompareEntryIDs(ab, a1->Value.bin.cb,
                                               (LPENTRYID)a1->Value.bin.lpb, b->Value.bin.cb,
                                               (LPENTRYID)b->Value.bin.lpb, 1, &same),
                     MAPI_E_UNKNOWN_FLAGS);
    /* One-offs compare by address type and address, case-insensitively. */
    ULONG c1 = 0, c2 = 0;
    LPENTRYID o1 = NULL, o2 = NULL;
    assert_int_equal(IAddrBook_CreateOneOff(ab, (LPTSTR) "X", (LPTSTR) "SMTP",
                                            (LPTSTR) "Carol@Example.com", 0, &c1, &o1),
                     S_OK);
    WCHAR w[32], t[8];
    fm_utf8_to_utf16_into("carol@example.com", 17, w, 32);
    fm_utf8_to_utf16_into("smtp", 4, t, 8);
    assert_int_equal(IAddrBook_CreateOneOff(ab, NULL, (LPTSTR)t, (LPTSTR)w, MAPI_UNICODE, &c2,
                                            &o2),
                     S_OK);
    assert_int_equal(IAddrBook_CompareEntryIDs(ab, c1, o1, c2, o2, 0, &same), S_OK);
    assert_true(same);
    assert_int_equal(IAddrBook_CompareEntryIDs(ab, c1, o1, a1->Value.bin.cb,
                                               (LPENTRYID)a1->Value.bin.lpb, 0, &same),
                     S_OK);
    assert_false(same);
    /* Another provider's entry ID, and damaged ones of ours. */
    BYTE foreign[32];
    memset(foreign, 0x5A, sizeof foreign);
    memset(foreign, 0, 4);
    ULONG type = 0;
    LPUNKNOWN u = NULL;
    assert_int_equal(IAddrBook_CompareEntryIDs(ab, 32, (LPENTRYID)foreign, c1, o1, 0, &same),
                     MAPI_E_UNKNOWN_ENTRYID);
    assert_int_equal(IAddrBook_OpenEntry(ab, 32, (LPENTRYID)foreign, NULL, 0, &type, &u),
                     MAPI_E_UNKNOWN_ENTRYID);
    BYTE bad[32];
    memcpy(bad, a1->Value.bin.lpb, 32);
    bad[20] = 9; /* version */
    assert_int_equal(IAddrBook_OpenEntry(ab, 32, (LPENTRYID)bad, NULL, 0, &type, &u),
                     MAPI_E_INVALID_ENTRYID);
    assert_int_equal(IAddrBook_OpenEntry(ab, 31, (LPENTRYID)a1->Value.bin.lpb, NULL, 0, &type,
                                         &u),
                     MAPI_E_INVALID_ENTRYID);
    memcpy(bad, a1->Value.bin.lpb, 32);
    bad[24] = 0x77; /* an id the directory never gave */
    bad[30] = 0x01;
    assert_int_equal(IAddrBook_OpenEntry(ab, 32, (LPENTRYID)bad, NULL, 0, &type, &u),
                     MAPI_E_NOT_FOUND);
    BYTE *o1b = (BYTE *)o1;
    o1b[c1 - 1] = 'x'; /* the address no longer terminated */
    assert_int_equal(IAddrBook_OpenEntry(ab, c1, o1, NULL, 0, &type, &u), MAPI_E_INVALID_ENTRYID);
    assert_int_equal(IAddrBook_OpenEntry(ab, 8, NULL, NULL, 0, &type, &u),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IAddrBook_OpenEntry(ab, 0, NULL, NULL, 0x80000000, &type, &u),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IAddrBook_CompareEntryIDs(ab, 0, NULL, 0, NULL, 0, &same),
                     MAPI_E_INVALID_PARAMETER);
    MAPIFreeBuffer(o1);
    MAPIFreeBuffer(o2);
    MAPIFreeBuffer(a1);
    MAPIFreeBuffer(a2);
    MAPIFreeBuffer(b);
    IABContainer_Release(gal);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
}

/* ---- ResolveName ------------------------------------------------------------------------------- */

static const char *name_of(const ADRENTRY *e)
{
    LPSPropValue v = PpropFindProp(e->rgPropVals, e->cValues, PR_DISPLAY_NAME_A);
    return v ? v->Value.lpszA : "";
}

static void resolve_name_resolves_what_it_can_and_says_what_it_could_not(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    /* Unique prefix, exact alias among prefixes, a GAL address, an SMTP
     * one-off in angle brackets. */
    static const char *const ok[] = { "alice", "bob", "ZOE@example.org",
                                      "Carol C <carol@example.com>", "ÉLOÏSE" };
    LPADRLIST l = adrlist_of(ok, 5);
    assert_int_equal(IAddrBook_ResolveName(ab, 0, 0, NULL, l), S_OK);
    assert_string_equal(name_of(&l->aEntries[0]), "Alice Liddell");
    assert_string_equal(name_of(&l->aEntries[1]), "Bob Builder");
    assert_string_equal(name_of(&l->aEntries[2]), "Zoë Ångström");
    assert_string_equal(name_of(&l->aEntries[3]), "Carol C");
    assert_string_equal(name_of(&l->aEntries[4]), "Éloïse Dupré");
    LPSPropValue at = PpropFindProp(l->aEntries[3].rgPropVals, l->aEntries[3].cValues,
                                    PR_ADDRTYPE_A);
    assert_string_equal(at->Value.lpszA, "SMTP");
    for (ULONG i = 0; i < l->cEntries; i++) {
        LPSPropValue rt = PpropFindProp(l->aEntries[i].rgPropVals, l->aEntries[i].cValues,
                                        PR_RECIPIENT_TYPE);
        assert_non_null(rt); /* kept */
        assert_int_equal(rt->Value.l, MAPI_TO);
        /* The entry ID opens again and is the GAL's. */
        LPSPropValue eid = PpropFindProp(l->aEntries[i].rgPropVals, l->aEntries[i].cValues,
                                         PR_ENTRYID);
        assert_non_null(eid);
        ULONG type = 0;
        LPMAILUSER mu = NULL;
        assert_int_equal(IAddrBook_OpenEntry(ab, eid->Value.bin.cb,
                                             (LPENTRYID)eid->Value.bin.lpb, NULL, 0, &type,
                                             (LPUNKNOWN *)&mu),
                         S_OK);
        IMailUser_Release(mu);
    }
    /* Resolving again leaves resolved entries alone. */
    assert_int_equal(IAddrBook_ResolveName(ab, 0, 0, NULL, l), S_OK);
    FreePadrlist(l);
    /* Ambiguous beats unknown; the others are still resolved. */
    static const char *const mixed[] = { "bo", "nobody here", "alice" };
    l = adrlist_of(mixed, 3);
    assert_int_equal(IAddrBook_ResolveName(ab, 0, 0, NULL, l), MAPI_E_AMBIGUOUS_RECIP);
    assert_non_null(strstr(fmapi_last_error(), "more than one"));
    assert_null(PpropFindProp(l->aEntries[0].rgPropVals, l->aEntries[0].cValues, PR_ENTRYID));
    assert_non_null(PpropFindProp(l->aEntries[2].rgPropVals, l->aEntries[2].cValues,
                                  PR_ENTRYID));
    FreePadrlist(l);
    static const char *const unknown[] = { "nobody here" };
    l = adrlist_of(unknown, 1);
    assert_int_equal(IAddrBook_ResolveName(ab, 0, MAPI_DIALOG, NULL, l), MAPI_E_NOT_FOUND);
    assert_int_equal(IAddrBook_ResolveName(ab, 0, 0x2, NULL, l), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IAddrBook_ResolveName(ab, 0, 0, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    FreePadrlist(l);
    /* MAPI_UNICODE: wide names in, wide strings out. */
    l = adrlist_of(ok, 1);
    WCHAR *w = NULL;
    assert_int_equal(MAPIAllocateMore(32, l->aEntries[0].rgPropVals, (void **)&w), S_OK);
    fm_utf8_to_utf16_into("Alice", 5, w, 16);
    l->aEntries[0].rgPropVals[0].ulPropTag = PR_DISPLAY_NAME_W;
    l->aEntries[0].rgPropVals[0].Value.lpszW = w;
    assert_int_equal(IAddrBook_ResolveName(ab, 0, MAPI_UNICODE, NULL, l), S_OK);
    assert_non_null(PpropFindProp(l->aEntries[0].rgPropVals, l->aEntries[0].cValues,
                                  PR_SMTP_ADDRESS_W));
    FreePadrlist(l);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
}

static void the_gal_container_resolves_names_with_flags(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    IABContainer *gal = open_gal(ab);
    static const char *const names[] = { "Jürgen", "bo", "x@y.org", "zoe" };
    LPADRLIST l = adrlist_of(names, 4);
    LPFlagList fl = NULL;
    assert_int_equal(MAPIAllocateBuffer(CbNewFlagList(4), (void **)&fl), S_OK);
    fl->cFlags = 4;
    fl->ulFlag[0] = fl->ulFlag[1] = fl->ulFlag[2] = MAPI_UNRESOLVED;
    fl->ulFlag[3] = MAPI_RESOLVED; /* left alone */
    assert_int_equal(IABContainer_ResolveNames(gal, NULL, 0, l, fl), S_OK);
    assert_int_equal(fl->ulFlag[0], MAPI_RESOLVED);
    assert_int_equal(fl->ulFlag[1], MAPI_AMBIGUOUS);
    assert_int_equal(fl->ulFlag[2], MAPI_UNRESOLVED); /* a container makes no one-offs */
    assert_null(PpropFindProp(l->aEntries[3].rgPropVals, l->aEntries[3].cValues, PR_ENTRYID));
    fl->cFlags = 3;
    assert_int_equal(IABContainer_ResolveNames(gal, NULL, 0, l, fl), MAPI_E_INVALID_PARAMETER);
    fl->cFlags = 4;
    assert_int_equal(IABContainer_ResolveNames(gal, NULL, 0x8, l, fl), MAPI_E_UNKNOWN_FLAGS);
    MAPIFreeBuffer(fl);
    FreePadrlist(l);
    IABContainer_Release(gal);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
}

/* ---- the search path and the rest of IAddrBook ------------------------------------------------- */

static void the_search_path_decides_what_resolve_name_searches(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    LPSRowSet path = NULL;
    assert_int_equal(IAddrBook_GetSearchPath(ab, MAPI_UNICODE, &path), S_OK);
    assert_int_equal(path->cRows, 2);
    assert_non_null(PpropFindProp(path->aRow[0].lpProps, path->aRow[0].cValues,
                                  PR_DISPLAY_NAME_W));
    SRowSet empty = { 0, { { 0, 0, NULL } } };
    assert_int_equal(IAddrBook_SetSearchPath(ab, 0, &empty), S_OK);
    static const char *const names[] = { "alice" };
    LPADRLIST l = adrlist_of(names, 1);
    assert_int_equal(IAddrBook_ResolveName(ab, 0, 0, NULL, l), MAPI_E_NOT_FOUND);
    FreePadrlist(l);
    static const char *const addr[] = { "alice@example.org" };
    l = adrlist_of(addr, 1); /* a one-off now */
    assert_int_equal(IAddrBook_ResolveName(ab, 0, 0, NULL, l), S_OK);
    LPSPropValue at = PpropFindProp(l->aEntries[0].rgPropVals, l->aEntries[0].cValues,
                                    PR_ADDRTYPE_A);
    assert_string_equal(at->Value.lpszA, "SMTP");
    FreePadrlist(l);
    assert_int_equal(IAddrBook_SetSearchPath(ab, 0, path), S_OK);
    l = adrlist_of(names, 1);
    assert_int_equal(IAddrBook_ResolveName(ab, 0, 0, NULL, l), S_OK);
    FreePadrlist(l);
    assert_int_equal(IAddrBook_SetSearchPath(ab, 1, path), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IAddrBook_SetSearchPath(ab, 0, NULL), MAPI_E_INVALID_PARAMETER);
    /* A user is no container. */
    IABContainer *gal = open_gal(ab);
    LPSPropValue user = eid_of(gal, "bob");
    SRowSet one = { 1, { { 0, 1, user } } };
    assert_int_equal(IAddrBook_SetSearchPath(ab, 0, &one), MAPI_E_UNKNOWN_ENTRYID);
    assert_int_equal(IAddrBook_SetDefaultDir(ab, user->Value.bin.cb,
                                             (LPENTRYID)user->Value.bin.lpb),
                     MAPI_E_UNKNOWN_ENTRYID);
    /* Default directory: the GAL, then the root. */
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    assert_int_equal(IAddrBook_GetDefaultDir(ab, &cb, &eid), S_OK);
    LPSPropValue gal_eid = PpropFindProp(path->aRow[0].lpProps, path->aRow[0].cValues,
                                         PR_ENTRYID);
    assert_int_equal(cb, gal_eid->Value.bin.cb);
    assert_memory_equal(eid, gal_eid->Value.bin.lpb, cb);
    assert_int_equal(IAddrBook_SetPAB(ab, cb, eid), MAPI_E_NO_ACCESS);
    assert_non_null(strstr(fmapi_last_error(), "Contacts"));
    MAPIFreeBuffer(eid);
    assert_int_equal(IAddrBook_SetDefaultDir(ab, 0, NULL), MAPI_E_INVALID_PARAMETER);
    BYTE root[32];
    fm_ab_eid_write(FM_AB_KIND_CONTAINER, FM_AB_ROOT, root);
    assert_int_equal(IAddrBook_SetDefaultDir(ab, 32, (LPENTRYID)root), S_OK);
    assert_int_equal(IAddrBook_GetDefaultDir(ab, &cb, &eid), S_OK);
    assert_memory_equal(eid, root, 32);
    MAPIFreeBuffer(eid);
    /* The personal address book is the contacts folder. */
    assert_int_equal(IAddrBook_GetPAB(ab, &cb, &eid), S_OK);
    assert_int_equal(cb, 32);
    LPSPropValue contacts_eid = PpropFindProp(path->aRow[1].lpProps, path->aRow[1].cValues,
                                              PR_ENTRYID);
    assert_memory_equal(eid, contacts_eid->Value.bin.lpb, 32);
    assert_int_equal(IAddrBook_SetPAB(ab, cb, eid), S_OK);
    MAPIFreeBuffer(eid);
    assert_int_equal(IAddrBook_GetPAB(ab, NULL, &eid), MAPI_E_INVALID_PARAMETER);
    LPSRowSet refused = NULL;
    assert_int_equal(IAddrBook_GetSearchPath(ab, 0x1, &refused), MAPI_E_UNKNOWN_FLAGS);
    assert_null(refused);
    MAPIFreeBuffer(user);
    FreeProws(path);
    IABContainer_Release(gal);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
}

static void prepare_recips_puts_the_asked_properties_first(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    static const char *const names[] = { "alice", "dan@example.net" };
    LPADRLIST l = adrlist_of(names, 2);
    assert_int_equal(IAddrBook_ResolveName(ab, 0, 0, NULL, l), S_OK);
    SizedSPropTagArray(2, tags) = { 2, { PR_SMTP_ADDRESS_A, PR_TITLE_A } };
    assert_int_equal(IAddrBook_PrepareRecips(ab, 0, (LPSPropTagArray)&tags, l), S_OK);
    assert_int_equal(l->aEntries[0].rgPropVals[0].ulPropTag, PR_SMTP_ADDRESS_A);
    assert_string_equal(l->aEntries[0].rgPropVals[0].Value.lpszA, "alice@example.org");
    assert_int_equal(l->aEntries[0].rgPropVals[1].ulPropTag, PR_TITLE_A);
    assert_int_equal(l->aEntries[1].rgPropVals[1].ulPropTag,
                     PROP_TAG(PT_ERROR, PROP_ID(PR_TITLE))); /* a one-off has no title */
    assert_non_null(PpropFindProp(l->aEntries[0].rgPropVals, l->aEntries[0].cValues,
                                  PR_RECIPIENT_TYPE));
    assert_int_equal(IAddrBook_PrepareRecips(ab, 0x1, (LPSPropTagArray)&tags, l),
                     MAPI_E_UNKNOWN_FLAGS);
    FreePadrlist(l);
    static const char *const raw[] = { "not resolved" };
    l = adrlist_of(raw, 1);
    assert_int_equal(IAddrBook_PrepareRecips(ab, 0, (LPSPropTagArray)&tags, l),
                     MAPI_E_INVALID_PARAMETER);
    FreePadrlist(l);
    assert_int_equal(IAddrBook_PrepareRecips(ab, 0, (LPSPropTagArray)&tags, NULL),
                     MAPI_E_INVALID_PARAMETER);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
}

static void recipient_options_and_user_interface_are_answered(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    ULONG c = 9;
    LPSPropValue v = NULL;
    assert_int_equal(IAddrBook_QueryDefaultRecipOpt(ab, (LPTSTR) "SMTP", 0, &c, &v), S_OK);
    assert_int_equal(c, 0);
    assert_null(v);
    assert_int_equal(IAddrBook_QueryDefaultRecipOpt(ab, (LPTSTR) "X400", 0, &c, &v),
                     MAPI_E_NOT_FOUND);
    assert_int_equal(IAddrBook_QueryDefaultRecipOpt(ab, NULL, 0, &c, &v),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IAddrBook_QueryDefaultRecipOpt(ab, (LPTSTR) "EX", 0x1, &c, &v),
                     MAPI_E_UNKNOWN_FLAGS);
    ULONG_PTR ui = 0;
    LPADRLIST l = NULL;
    assert_int_equal(IAddrBook_Address(ab, &ui, NULL, &l), MAPI_E_NO_SUPPORT);
    assert_non_null(strstr(fmapi_last_error(), "no address book user interface"));
    assert_int_equal(IAddrBook_Details(ab, &ui, NULL, NULL, 0, NULL, NULL, NULL, NULL, 0),
                     MAPI_E_NO_SUPPORT);
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    assert_int_equal(IAddrBook_NewEntry(ab, 0, 0, 0, NULL, 0, NULL, &cb, &eid),
                     MAPI_E_NO_SUPPORT);
    assert_int_equal(IAddrBook_RecipOptions(ab, 0, 0, NULL), MAPI_E_NO_SUPPORT);
    ULONG_PTR conn = 0;
    assert_int_equal(IAddrBook_Advise(ab, 0, NULL, 0, NULL, &conn), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IAddrBook_Unadvise(ab, 1), MAPI_E_NOT_FOUND);
    LPMAPIERROR err = NULL;
    assert_int_equal(IAddrBook_GetLastError(ab, MAPI_E_NOT_FOUND, 0, &err), S_OK);
    assert_non_null(strstr((char *)err->lpszError, "not a connection"));
    MAPIFreeBuffer(err);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
}

static void a_profile_without_a_site_has_an_address_book_of_one_offs(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(EMPTY_PROFILE);
    LPADRBOOK ab = open_ab(s);
    LPSRowSet path = NULL;
    assert_int_equal(IAddrBook_GetSearchPath(ab, 0, &path), S_OK);
    assert_int_equal(path->cRows, 0);
    FreeProws(path);
    ULONG cbp = 9;
    LPENTRYID pab = NULL;
    assert_int_equal(IAddrBook_GetPAB(ab, &cbp, &pab), S_OK);
    assert_int_equal(cbp, 0);
    assert_null(pab);
    ULONG type = 0;
    IABContainer *root = NULL;
    assert_int_equal(IAddrBook_OpenEntry(ab, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root), S_OK);
    LPMAPITABLE t = NULL;
    assert_int_equal(IABContainer_GetHierarchyTable(root, 0, &t), S_OK);
    LPSRowSet rows = rows_of(t, NULL);
    assert_int_equal(rows->cRows, 0);
    FreeProws(rows);
    IMAPITable_Release(t);
    IABContainer_Release(root);
    BYTE gal[32];
    fm_ab_eid_write(FM_AB_KIND_CONTAINER, FM_AB_GAL, gal);
    LPUNKNOWN u = NULL;
    assert_int_equal(IAddrBook_OpenEntry(ab, 32, (LPENTRYID)gal, NULL, 0, &type, &u),
                     MAPI_E_UNKNOWN_ENTRYID);
    static const char *const names[] = { "alice", "e@example.com" };
    LPADRLIST l = adrlist_of(names, 2);
    assert_int_equal(IAddrBook_ResolveName(ab, 0, 0, NULL, l), MAPI_E_NOT_FOUND);
    assert_non_null(PpropFindProp(l->aEntries[1].rgPropVals, l->aEntries[1].cValues,
                                  PR_ENTRYID));
    FreePadrlist(l);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
}


/* ---- the contacts ------------------------------------------------------------------------- */

static LPMDB open_default_store(LPMAPISESSION s);

/* Adds a contact to the user's Contacts folder. */
static void add_contact(LPMDB mdb, const char *display, const char *addr)
{
    ULONG type = 0, n = 0;
    LPMAPIFOLDER root = NULL, folder = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root), S_OK);
    SPropTagArray t = { 1, { PR_IPM_CONTACT_ENTRYID } };
    LPSPropValue v = NULL;
    assert_int_equal(IMAPIFolder_GetProps(root, &t, 0, &n, &v), S_OK);
    assert_int_equal(IMsgStore_OpenEntry(mdb, v->Value.bin.cb, (LPENTRYID)v->Value.bin.lpb, NULL,
                                         MAPI_MODIFY, &type, (LPUNKNOWN *)&folder),
                     S_OK);
    MAPIFreeBuffer(v);
    IMAPIFolder_Release(root);
    MAPINAMEID name = { (LPGUID)&PSETID_Address, MNID_ID, { 0x8083 } };
    LPMAPINAMEID pname = &name;
    LPSPropTagArray tags = NULL;
    assert_int_equal(IMsgStore_GetIDsFromNames(mdb, 1, &pname, MAPI_CREATE, &tags), S_OK);
    WCHAR waddr[64];
    fm_utf8_to_utf16_into(addr, strlen(addr), waddr, 64);
    SPropValue p[3];
    p[0].ulPropTag = PR_MESSAGE_CLASS_A;
    p[0].Value.lpszA = (LPSTR) "IPM.Contact";
    p[1].ulPropTag = PR_DISPLAY_NAME_A;
    p[1].Value.lpszA = (LPSTR)display;
    p[2].ulPropTag = PROP_TAG(PT_UNICODE, PROP_ID(tags->aulPropTag[0]));
    p[2].Value.lpszW = waddr;
    MAPIFreeBuffer(tags);
    LPMESSAGE msg = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(folder, NULL, 0, &msg), S_OK);
    assert_int_equal(IMessage_SetProps(msg, 3, p, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(msg, 0), S_OK);
    IMessage_Release(msg);
    IMAPIFolder_Release(folder);
}

static void the_users_contacts_are_a_personal_container(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPMDB mdb = open_default_store(s);
    add_contact(mdb, "Carol Côté", "carol@contoso.com");
    add_contact(mdb, "Bobbie Contact", "bobbie@contoso.com");
    IMsgStore_Release(mdb);
    LPADRBOOK ab = open_ab(s);
    ULONG cb = 0, type = 0;
    LPENTRYID eid = NULL;
    assert_int_equal(IAddrBook_GetPAB(ab, &cb, &eid), S_OK);
    IABContainer *contacts = NULL;
    assert_int_equal(IAddrBook_OpenEntry(ab, cb, eid, NULL, 0, &type, (LPUNKNOWN *)&contacts),
                     S_OK);
    MAPIFreeBuffer(eid);
    LPMAPITABLE t = NULL;
    assert_int_equal(IABContainer_GetContentsTable(contacts, 0, &t), S_OK);
    LPSRowSet rows = rows_of(t, NULL);
    assert_int_equal(rows->cRows, 2);
    FreeProws(rows);
    IMAPITable_Release(t);
    assert_int_equal(IABContainer_GetContentsTable(contacts, 0, &t), S_OK);
    SPropValue v = { .ulPropTag = PR_ANR_A };
    v.Value.lpszA = (LPSTR) "COTE";
    SRestriction r = { .rt = RES_PROPERTY };
    r.res.resProperty.relop = RELOP_EQ;
    r.res.resProperty.ulPropTag = PR_ANR_A;
    r.res.resProperty.lpProp = &v;
    rows = rows_of(t, &r);
    assert_int_equal(rows->cRows, 1);
    LPSPropValue smtp = find(rows->aRow[0].lpProps, rows->aRow[0].cValues, PR_EMAIL_ADDRESS_A);
    assert_string_equal(smtp->Value.lpszA, "carol@contoso.com");
    FreeProws(rows);
    IMAPITable_Release(t);
    /* ResolveName finds a contact the GAL does not have; the GAL comes
     * first for names both match ("bob": the GAL's exact alias). */
    static const char *const names[] = { "carol", "bob" };
    LPADRLIST l = adrlist_of(names, 2);
    assert_int_equal(IAddrBook_ResolveName(ab, 0, 0, NULL, l), S_OK);
    assert_string_equal(name_of(&l->aEntries[0]), "Carol Côté");
    LPSPropValue at = PpropFindProp(l->aEntries[0].rgPropVals, l->aEntries[0].cValues,
                                    PR_ADDRTYPE_A);
    assert_string_equal(at->Value.lpszA, "SMTP");
    assert_string_equal(name_of(&l->aEntries[1]), "Bob Builder");
    LPSPropValue ce = PpropFindProp(l->aEntries[0].rgPropVals, l->aEntries[0].cValues,
                                    PR_ENTRYID);
    LPMAILUSER mu = NULL;
    assert_int_equal(IAddrBook_OpenEntry(ab, ce->Value.bin.cb, (LPENTRYID)ce->Value.bin.lpb,
                                         NULL, 0, &type, (LPUNKNOWN *)&mu),
                     S_OK);
    assert_int_equal(type, MAPI_MAILUSER);
    IMailUser_Release(mu);
    FreePadrlist(l);
    /* The contacts container resolves names too. */
    static const char *const one[] = { "bobbie" };
    l = adrlist_of(one, 1);
    LPFlagList fl = NULL;
    assert_int_equal(MAPIAllocateBuffer(CbNewFlagList(1), (void **)&fl), S_OK);
    fl->cFlags = 1;
    fl->ulFlag[0] = MAPI_UNRESOLVED;
    assert_int_equal(IABContainer_ResolveNames(contacts, NULL, 0, l, fl), S_OK);
    assert_int_equal(fl->ulFlag[0], MAPI_RESOLVED);
    MAPIFreeBuffer(fl);
    FreePadrlist(l);
    IABContainer_Release(contacts);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
}

/* ---- recipients of messages -------------------------------------------------------------------- */

static LPMDB open_default_store(LPMAPISESSION s)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPISession_GetMsgStoresTable(s, 0, &t), S_OK);
    LPSRowSet rows = rows_of(t, NULL);
    LPSPropValue eid = PpropFindProp(rows->aRow[0].lpProps, rows->aRow[0].cValues, PR_ENTRYID);
    LPMDB mdb = NULL;
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, eid->Value.bin.cb,
                                               (LPENTRYID)eid->Value.bin.lpb, NULL,
                                               MDB_WRITE | MDB_NO_DIALOG, &mdb),
                     S_OK);
    FreeProws(rows);
    IMAPITable_Release(t);
    return mdb;
}

static void resolved_recipients_saved_in_a_message_open_again(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    LPMDB mdb = open_default_store(s);
    ULONG cb = 0, type = 0;
    LPENTRYID eid = NULL;
    assert_int_equal(IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL), S_OK);
    LPMAPIFOLDER inbox = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type,
                                         (LPUNKNOWN *)&inbox),
                     S_OK);
    MAPIFreeBuffer(eid);
    LPMESSAGE msg = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &msg), S_OK);
    static const char *const names[] = { "staff", "Zoë", "fred@example.net" };
    LPADRLIST l = adrlist_of(names, 3);
    assert_int_equal(IAddrBook_ResolveName(ab, 0, 0, NULL, l), S_OK);
    assert_int_equal(IMessage_ModifyRecipients(msg, MODRECIP_ADD, l), S_OK);
    FreePadrlist(l);
    assert_int_equal(IMessage_SaveChanges(msg, KEEP_OPEN_READWRITE), S_OK);
    LPMAPITABLE rt = NULL;
    assert_int_equal(IMessage_GetRecipientTable(msg, 0, &rt), S_OK);
    LPSRowSet rows = rows_of(rt, NULL);
    assert_int_equal(rows->cRows, 3);
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPSPropValue e = PpropFindProp(rows->aRow[i].lpProps, rows->aRow[i].cValues, PR_ENTRYID);
        LPSPropValue dt = PpropFindProp(rows->aRow[i].lpProps, rows->aRow[i].cValues,
                                        PR_DISPLAY_TYPE);
        assert_non_null(e);
        LPUNKNOWN u = NULL;
        assert_int_equal(IAddrBook_OpenEntry(ab, e->Value.bin.cb, (LPENTRYID)e->Value.bin.lpb,
                                             NULL, 0, &type, &u),
                         S_OK);
        assert_int_equal(type, dt && dt->Value.l == DT_DISTLIST ? MAPI_DISTLIST : MAPI_MAILUSER);
        u->lpVtbl->Release(u);
    }
    FreeProws(rows);
    IMAPITable_Release(rt);
    IMessage_Release(msg);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
}

/* ---- memory --------------------------------------------------------------------------------- */

typedef struct oom_ctx {
    LPMAPISESSION s;
} oom_ctx;

static HRESULT open_and_resolve(void *ctx)
{
    oom_ctx *c = ctx;
    LPADRBOOK ab = NULL;
    HRESULT hr = fm_session_open_addrbook(c->s, 0, &ab);
    if (hr != S_OK)
        return hr;
    /* "carol" is found in the contacts (the_users_contacts_are_a_personal_
     * container, which runs before, added her). */
    static const char *const names[] = { "Éloïse", "bob", "Pat <pat@example.com>", "carol" };
    LPADRLIST l = NULL;
    hr = MAPIAllocateBuffer(CbNewADRLIST(4), (void **)&l);
    ULONG made = 0;
    for (ULONG i = 0; hr == S_OK && i < 4; i++) {
        LPSPropValue v = NULL;
        hr = MAPIAllocateBuffer(sizeof *v, (void **)&v);
        if (hr != S_OK)
            break;
        v->ulPropTag = PR_DISPLAY_NAME_A;
        v->Value.lpszA = (LPSTR)names[i];
        l->aEntries[i].cValues = 1;
        l->aEntries[i].rgPropVals = v;
        made++;
    }
    if (l) {
        l->cEntries = made;
        if (hr == S_OK)
            hr = IAddrBook_ResolveName(ab, 0, MAPI_UNICODE, NULL, l);
        FreePadrlist(l);
    }
    IAddrBook_Release(ab);
    return hr;
}

static HRESULT query_gal(void *ctx)
{
    oom_ctx *c = ctx;
    LPADRBOOK ab = NULL;
    HRESULT hr = fm_session_open_addrbook(c->s, 0, &ab);
    if (hr != S_OK)
        return hr;
    ULONG cb = 0, type = 0;
    LPENTRYID eid = NULL;
    IABContainer *gal = NULL;
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    hr = IAddrBook_GetDefaultDir(ab, &cb, &eid);
    if (hr == S_OK)
        hr = IAddrBook_OpenEntry(ab, cb, eid, NULL, 0, &type, (LPUNKNOWN *)&gal);
    if (hr == S_OK)
        hr = IABContainer_GetContentsTable(gal, 0, &t);
    SPropValue v = { .ulPropTag = PR_ANR_A };
    v.Value.lpszA = (LPSTR) "bo";
    SRestriction r = { .rt = RES_PROPERTY };
    r.res.resProperty.relop = RELOP_EQ;
    r.res.resProperty.ulPropTag = PR_ANR_A;
    r.res.resProperty.lpProp = &v;
    if (hr == S_OK)
        hr = IMAPITable_Restrict(t, &r, 0);
    if (hr == S_OK)
        hr = IMAPITable_QueryRows(t, 10, 0, &rows);
    if (hr == S_OK && rows->cRows != 2)
        hr = MAPI_E_CALL_FAILED;
    if (rows)
        FreeProws(rows);
    if (t)
        IMAPITable_Release(t);
    if (gal)
        IABContainer_Release(gal);
    MAPIFreeBuffer(eid);
    IAddrBook_Release(ab);
    return hr;
}

static void open_resolve_and_query_survive_every_allocation_failure(void **state)
{
    (void)state;
    oom_ctx c = { ab_logon(PROFILE) };
    assert_int_equal(open_and_resolve(&c), S_OK);
    assert_int_equal(query_gal(&c), S_OK);
    assert_true(fm_test_oom_sweep(open_and_resolve, &c) > 20);
    assert_true(fm_test_oom_sweep(query_gal, &c) > 20);
    IMAPISession_Release(c.s);
}

static void using_the_address_book_leaves_nothing_behind(void **state)
{
    (void)state;
    oom_ctx c = { ab_logon(PROFILE) };
    assert_int_equal(open_and_resolve(&c), S_OK); /* warm up */
    assert_int_equal(query_gal(&c), S_OK);
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(open_and_resolve(&c), S_OK);
        assert_int_equal(query_gal(&c), S_OK);
    }
    fm_test_assert_no_leak(&b);
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
    ab_make_profile(EMPTY_PROFILE, NULL, NULL);
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
        cmocka_unit_test(open_address_book_gives_an_iaddrbook_of_the_session),
        cmocka_unit_test(the_address_book_outlives_its_session),
        cmocka_unit_test(the_root_holds_the_global_address_list),
        cmocka_unit_test(the_gal_lists_every_user_and_list),
        cmocka_unit_test(anr_ignores_case_and_accents_and_matches_word_prefixes),
        cmocka_unit_test(methods_that_would_change_or_copy_say_why_not),
        cmocka_unit_test(a_mail_user_has_the_documented_properties),
        cmocka_unit_test(lists_show_members_and_expand_nested_lists_through_a_loop),
        cmocka_unit_test(create_one_off_writes_the_documented_entry_id),
        cmocka_unit_test(entry_ids_compare_and_bad_ones_are_refused),
        cmocka_unit_test(resolve_name_resolves_what_it_can_and_says_what_it_could_not),
        cmocka_unit_test(the_gal_container_resolves_names_with_flags),
        cmocka_unit_test(the_search_path_decides_what_resolve_name_searches),
        cmocka_unit_test(prepare_recips_puts_the_asked_properties_first),
        cmocka_unit_test(recipient_options_and_user_interface_are_answered),
        cmocka_unit_test(a_profile_without_a_site_has_an_address_book_of_one_offs),
        cmocka_unit_test(the_users_contacts_are_a_personal_container),
        cmocka_unit_test(resolved_recipients_saved_in_a_message_open_again),
        cmocka_unit_test(open_resolve_and_query_survive_every_allocation_failure),
        cmocka_unit_test(using_the_address_book_leaves_nothing_behind),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
