/*
 * tests/simple/test_simple.c - Simple MAPI (mapi.h) on a site mailbox:
 * logging on and off, MAPISendMail and MAPISendMailW delivering through
 * the spooler (recipients by name, address and entry ID, files attached),
 * their documented errors leaving nothing behind, MAPIResolveName, and the
 * address-book dialogs answering that there is no dialog (the composer's
 * are in test_simple_composer.c).
 */
#include "mapi.h"

#include "../spool/spool_fixture.h"

#define PROFILE "simple"

static const char *site_dir(void)
{
    static char dir[600];
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "%s/simplesite", fm_test_tmpdir());
        ab_make_site(dir);
    }
    return dir;
}

/* Subjects in alias's Inbox equal to subject. */
static ULONG inbox_count(const char *alias, const char *subject)
{
    LPMDB mdb = sp_open_mailbox(site_dir(), alias);
    LPMAPIFOLDER in = sp_inbox(mdb);
    SizedSPropTagArray(1, tags) = { 1, { PR_SUBJECT_A } };
    LPSRowSet rows = sp_rows(in, (LPSPropTagArray)&tags);
    ULONG n = 0;
    for (ULONG i = 0; i < rows->cRows; i++)
        n += rows->aRow[i].lpProps[0].ulPropTag == PR_SUBJECT_A &&
             strcmp(rows->aRow[i].lpProps[0].Value.lpszA, subject) == 0;
    FreeProws(rows);
    IMAPIFolder_Release(in);
    IMsgStore_Release(mdb);
    return n;
}

static ULONG outbox_count(void)
{
    LPMDB mdb = sp_open_mailbox(site_dir(), "alice");
    LPMAPIFOLDER f = sp_folder(mdb, PR_IPM_OUTBOX_ENTRYID);
    ULONG n = sp_count(f);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
    return n;
}

static LHANDLE logon(void)
{
    LHANDLE h = 0;
    assert_int_equal(MAPILogon(0, PROFILE, NULL, 0, 0, &h), SUCCESS_SUCCESS);
    assert_true(h != 0);
    return h;
}

static void logon_and_logoff_give_documented_errors(void **state)
{
    (void)state;
    LHANDLE h = 0;
    assert_int_equal(MAPILogon(0, "no such profile", NULL, 0, 0, &h), MAPI_E_LOGON_FAILURE);
    assert_int_equal(h, 0);
    assert_int_equal(MAPILogon(0, PROFILE, NULL, 0, 0, NULL), MAPI_E_FAILURE);
    h = logon();
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
    assert_int_equal(MAPILogoff(h, 0, 0, 0), MAPI_E_INVALID_SESSION);
    assert_int_equal(MAPILogoff((LHANDLE)0x1234, 0, 0, 0), MAPI_E_INVALID_SESSION);
    MapiRecipDesc bob = { .ulRecipClass = MAPI_TO, .lpszName = "Bob Builder" };
    MapiMessage m = { .nRecipCount = 1, .lpRecips = &bob };
    assert_int_equal(MAPISendMail((LHANDLE)0x1234, 0, &m, 0, 0), MAPI_E_INVALID_SESSION);
    /* No profile name: the default profile. */
    assert_int_equal(MAPILogon(0, NULL, NULL, 0, 0, &h), SUCCESS_SUCCESS);
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
}

static void send_mail_delivers_to_names_addresses_and_files(void **state)
{
    (void)state;
    char path[700];
    snprintf(path, sizeof path, "%s/report.txt", fm_test_tmpdir());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("attached bytes", f);
    fclose(f);
    LHANDLE h = logon();
    LPMDB mdb = NULL;
    MapiRecipDesc r[3] = {
        { .ulRecipClass = MAPI_TO, .lpszName = "Bob Builder" },
        { .ulRecipClass = MAPI_CC, .lpszName = "Zoe", .lpszAddress = "SMTP:zoe@example.org" },
        { .ulRecipClass = MAPI_ORIG, .lpszName = "Alice" }, /* the sender: not a recipient */
    };
    MapiFileDesc file = { .nPosition = (ULONG)-1, .lpszPathName = path,
                          .lpszFileName = "Report.txt" };
    MapiMessage m = { .lpszSubject = "simple one", .lpszNoteText = "body text",
                      .nRecipCount = 3, .lpRecips = r, .nFileCount = 1, .lpFiles = &file };
    assert_int_equal(MAPISendMail(h, 0, &m, 0, 0), SUCCESS_SUCCESS);
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
    assert_int_equal(inbox_count("bob", "simple one"), 1);
    assert_int_equal(inbox_count("zoe", "simple one"), 1);
    assert_int_equal(inbox_count("alice", "simple one"), 0);

    /* Bob's copy has the body and the file. */
    mdb = sp_open_mailbox(site_dir(), "bob");
    LPMAPIFOLDER in = sp_inbox(mdb);
    SizedSPropTagArray(1, tags) = { 1, { PR_ENTRYID } };
    LPSRowSet rows = sp_rows(in, (LPSPropTagArray)&tags);
    assert_int_equal(rows->cRows, 1);
    ULONG type = 0;
    LPMESSAGE msg = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, rows->aRow[0].lpProps[0].Value.bin.cb,
                                         (LPENTRYID)rows->aRow[0].lpProps[0].Value.bin.lpb,
                                         NULL, 0, &type, (LPUNKNOWN *)&msg),
                     S_OK);
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)msg, PR_BODY_A, &v), S_OK);
    assert_string_equal(v->Value.lpszA, "body text");
    MAPIFreeBuffer(v);
    LPATTACH att = NULL;
    assert_int_equal(IMessage_OpenAttach(msg, 0, NULL, 0, &att), S_OK);
    assert_int_equal(HrGetOneProp((LPMAPIPROP)att, PR_ATTACH_LONG_FILENAME_A, &v), S_OK);
    assert_string_equal(v->Value.lpszA, "Report.txt");
    MAPIFreeBuffer(v);
    assert_int_equal(HrGetOneProp((LPMAPIPROP)att, PR_ATTACH_DATA_BIN, &v), S_OK);
    assert_int_equal(v->Value.bin.cb, strlen("attached bytes"));
    assert_memory_equal(v->Value.bin.lpb, "attached bytes", v->Value.bin.cb);
    MAPIFreeBuffer(v);
    IAttach_Release(att);
    IMessage_Release(msg);
    FreeProws(rows);
    IMAPIFolder_Release(in);
    IMsgStore_Release(mdb);
}

static void send_mail_errors_leave_nothing_behind(void **state)
{
    (void)state;
    LHANDLE h = logon();
    ULONG before = outbox_count();
    MapiRecipDesc unknown = { .ulRecipClass = MAPI_TO, .lpszName = "Nobody Whatsoever" };
    MapiRecipDesc ambiguous = { .ulRecipClass = MAPI_TO, .lpszName = "Bo" };
    MapiRecipDesc badclass = { .ulRecipClass = 7, .lpszName = "Bob Builder" };
    MapiRecipDesc bob = { .ulRecipClass = MAPI_TO, .lpszName = "Bob Builder" };
    MapiFileDesc missing = { .nPosition = (ULONG)-1, .lpszPathName = "/nonexistent/file" };
    MapiMessage m = { .lpszSubject = "never sent", .nRecipCount = 1, .lpRecips = &unknown };
    assert_int_equal(MAPISendMail(h, 0, &m, 0, 0), MAPI_E_UNKNOWN_RECIPIENT);
    m.lpRecips = &ambiguous;
    assert_int_equal(MAPISendMail(h, 0, &m, 0, 0), MAPI_E_AMBIGUOUS_RECIPIENT);
    m.lpRecips = &badclass;
    assert_int_equal(MAPISendMail(h, 0, &m, 0, 0), MAPI_E_BAD_RECIPTYPE);
    m.lpRecips = &bob;
    m.nFileCount = 1;
    m.lpFiles = &missing;
    assert_int_equal(MAPISendMail(h, 0, &m, 0, 0), MAPI_E_ATTACHMENT_NOT_FOUND);
    m.nFileCount = 0;
    m.lpFiles = NULL;
    m.nRecipCount = 0;
    m.lpRecips = NULL;
    assert_int_equal(MAPISendMail(h, 0, &m, 0, 0), MAPI_E_UNKNOWN_RECIPIENT);
    assert_int_equal(MAPISendMail(h, 0, NULL, 0, 0), MAPI_E_FAILURE);
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
    assert_int_equal(outbox_count(), before);
    assert_int_equal(inbox_count("bob", "never sent"), 0);
}

static void send_mail_without_a_session_uses_the_default_profile(void **state)
{
    (void)state;
    MapiRecipDesc bob = { .ulRecipClass = MAPI_TO, .lpszName = "bob" };
    MapiMessage m = { .lpszSubject = "no session", .nRecipCount = 1, .lpRecips = &bob };
    assert_int_equal(MAPISendMail(0, 0, &m, 0, 0), SUCCESS_SUCCESS);
    assert_int_equal(inbox_count("bob", "no session"), 1);
}

static void send_mail_w_sends_utf16_text(void **state)
{
    (void)state;
    LHANDLE h = logon();
    WCHAR subject[] = { 'G', 0xFC, 'n', 't', 'e', 'r', 0 };
    WCHAR name[] = { 'z', 'o', 'e', 0 };
    MapiRecipDescW r = { .ulRecipClass = MAPI_TO, .lpszName = name };
    MapiMessageW m = { .lpszSubject = subject, .nRecipCount = 1, .lpRecips = &r };
    assert_int_equal(MAPISendMailW(h, 0, &m, 0, 0), SUCCESS_SUCCESS);
    assert_int_equal(MAPISendMailW(h, 0, NULL, 0, 0), MAPI_E_FAILURE);
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
    assert_int_equal(inbox_count("zoe", "G\xC3\xBCnter"), 1);
}

static void resolve_name_gives_one_recipient_or_says_why_not(void **state)
{
    (void)state;
    LHANDLE h = logon();
    lpMapiRecipDesc r = NULL;
    assert_int_equal(MAPIResolveName(h, 0, "Bob Builder", 0, 0, &r), SUCCESS_SUCCESS);
    assert_string_equal(r->lpszName, "Bob Builder");
    assert_string_equal(r->lpszAddress, "SMTP:bob@example.org");
    assert_int_equal(r->ulRecipClass, MAPI_TO);
    assert_true(r->ulEIDSize > 0);
    /* Its entry ID sends to the same user. */
    MapiMessage m = { .lpszSubject = "by entry ID", .nRecipCount = 1, .lpRecips = r };
    assert_int_equal(MAPISendMail(h, 0, &m, 0, 0), SUCCESS_SUCCESS);
    assert_int_equal(MAPIFreeBuffer(r), 0);
    assert_int_equal(inbox_count("bob", "by entry ID"), 1);
    r = NULL;
    assert_int_equal(MAPIResolveName(h, 0, "Bo", 0, 0, &r), MAPI_E_AMBIGUOUS_RECIPIENT);
    assert_int_equal(MAPIResolveName(h, 0, "Bo", MAPI_DIALOG, 0, &r), MAPI_E_AMBIGUOUS_RECIPIENT);
    assert_int_equal(MAPIResolveName(h, 0, "Nobody Whatsoever", 0, 0, &r),
                     MAPI_E_UNKNOWN_RECIPIENT);
    assert_null(r);
    assert_int_equal(MAPIResolveName(h, 0, NULL, 0, 0, &r), MAPI_E_FAILURE);
    assert_int_equal(MAPIResolveName((LHANDLE)0x99, 0, "bob", 0, 0, &r), MAPI_E_INVALID_SESSION);
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
}

static void dialog_functions_answer_that_there_is_no_dialog(void **state)
{
    (void)state;
    LHANDLE h = logon();
    ULONG n = 9;
    lpMapiRecipDesc out = (lpMapiRecipDesc)1;
    assert_int_equal(MAPIAddress(h, 0, "To", 1, NULL, 0, NULL, 0, 0, &n, &out),
                     MAPI_E_NOT_SUPPORTED);
    assert_int_equal(n, 0);
    assert_null(out);
    assert_int_equal(MAPIAddress(h, 0, "To", 5, NULL, 0, NULL, 0, 0, &n, &out),
                     MAPI_E_INVALID_EDITFIELDS);
    assert_int_equal(MAPIAddress((LHANDLE)0x77, 0, "To", 1, NULL, 0, NULL, 0, 0, &n, &out),
                     MAPI_E_INVALID_SESSION);
    MapiRecipDesc noeid = { .ulRecipClass = MAPI_TO, .lpszName = "Bob" };
    assert_int_equal(MAPIDetails(h, 0, &noeid, 0, 0), MAPI_E_AMBIGUOUS_RECIPIENT);
    lpMapiRecipDesc bob = NULL;
    assert_int_equal(MAPIResolveName(h, 0, "Bob Builder", 0, 0, &bob), SUCCESS_SUCCESS);
    assert_int_equal(MAPIDetails(h, 0, bob, MAPI_AB_NOMODIFY, 0), MAPI_E_NOT_SUPPORTED);
    MAPIFreeBuffer(bob);
    assert_int_equal(MAPISendDocuments(0, NULL, "/etc/hostname", NULL, 0), MAPI_E_FAILURE);
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
}

static void a_logon_send_logoff_cycle_leaks_nothing(void **state)
{
    (void)state;
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LHANDLE h = logon();
    MapiRecipDesc bob = { .ulRecipClass = MAPI_TO, .lpszName = "Bob Builder" };
    MapiMessage m = { .lpszSubject = "leak?", .nRecipCount = 1, .lpRecips = &bob };
    assert_int_equal(MAPISendMail(h, 0, &m, 0, 0), SUCCESS_SUCCESS);
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
    fm_test_assert_no_leak(&b);
}

static int setup(void **state)
{
    (void)state;
    char dir[600];
    snprintf(dir, sizeof dir, "%s/profiles", fm_test_tmpdir());
    setenv("FREEMAPI_PROFILE_DIR", dir, 1);
    /* Held for the whole run: each MAPILogon adds its own. */
    if (MAPIInitialize(NULL) != S_OK)
        return -1;
    ab_make_profile(PROFILE, site_dir(), "alice");
    LPPROFADMIN pa = NULL;
    if (MAPIAdminProfiles(0, &pa) != S_OK)
        return -1;
    HRESULT hr = IProfAdmin_SetDefaultProfile(pa, (LPTSTR)PROFILE, 0);
    IProfAdmin_Release(pa);
    return hr == S_OK ? 0 : -1;
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
        cmocka_unit_test(logon_and_logoff_give_documented_errors),
        cmocka_unit_test(send_mail_delivers_to_names_addresses_and_files),
        cmocka_unit_test(send_mail_errors_leave_nothing_behind),
        cmocka_unit_test(send_mail_without_a_session_uses_the_default_profile),
        cmocka_unit_test(send_mail_w_sends_utf16_text),
        cmocka_unit_test(resolve_name_gives_one_recipient_or_says_why_not),
        cmocka_unit_test(dialog_functions_answer_that_there_is_no_dialog),
        cmocka_unit_test(a_logon_send_logoff_cycle_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
