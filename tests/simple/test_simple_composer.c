/*
 * tests/simple/test_simple_composer.c - MAPISendMail with MAPI_DIALOG and
 * MAPISendDocuments hand the message to the desktop's mail composer through
 * the real xdg-email (xdg-utils), which opens what $MAILER names: here a
 * script that writes down the mailto: URI it is given. Recipients by
 * class, subject, body and files arrive there; nothing is submitted by the
 * library; no xdg-email, or a composer that fails, is said so.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "mapi.h"

#include "../spool/spool_fixture.h"

#define PROFILE "composer"

static char out_path[700], mailer[700], file_a[700], file_b[700];

static const char *site_dir(void)
{
    static char dir[600];
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "%s/composersite", fm_test_tmpdir());
        ab_make_site(dir);
    }
    return dir;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(chmod(path, mode), 0);
}

/* What the composer was given (a static buffer), "" when it was not run. */
static const char *composed(void)
{
    static char buf[4096];
    buf[0] = '\0';
    FILE *f = fopen(out_path, "r");
    if (f != NULL) {
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
        unlink(out_path);
    }
    return buf;
}

static ULONG sent_count(void)
{
    LPMDB mdb = sp_open_mailbox(site_dir(), "alice");
    LPMAPIFOLDER f = sp_folder(mdb, PR_IPM_SENTMAIL_ENTRYID);
    ULONG n = sp_count(f);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
    return n;
}

static void dialog_hands_the_message_to_the_composer(void **state)
{
    (void)state;
    LHANDLE h = 0;
    assert_int_equal(MAPILogon(0, PROFILE, NULL, 0, 0, &h), SUCCESS_SUCCESS);
    ULONG before = sent_count();
    MapiRecipDesc r[3] = {
        { .ulRecipClass = MAPI_TO, .lpszName = "Bob", .lpszAddress = "SMTP:bob@example.org" },
        { .ulRecipClass = MAPI_CC, .lpszName = "zoe@example.org" },
        { .ulRecipClass = MAPI_BCC, .lpszName = "Eve", .lpszAddress = "eve@example.net" },
    };
    MapiFileDesc f = { .nPosition = (ULONG)-1, .lpszPathName = file_a };
    MapiMessage m = { .lpszSubject = "Hi there", .lpszNoteText = "Line one",
                      .nRecipCount = 3, .lpRecips = r, .nFileCount = 1, .lpFiles = &f };
    assert_int_equal(MAPISendMail(h, 0, &m, MAPI_DIALOG, 0), SUCCESS_SUCCESS);
    char want[2048];
    snprintf(want, sizeof want,
             "mailto:bob@example.org?cc=zoe@example.org&bcc=eve@example.net"
             "&subject=Hi%%20there&body=Line%%20one&attach=%s", file_a);
    assert_string_equal(composed(), want);
    /* With no recipient at all: the user picks them in the composer. */
    MapiMessage bare = { .lpszSubject = "x" };
    assert_int_equal(MAPISendMail(h, 0, &bare, MAPI_DIALOG_MODELESS, 0), SUCCESS_SUCCESS);
    assert_string_equal(composed(), "mailto:?subject=x");
    /* Without a session too; a bad one is still refused. */
    assert_int_equal(MAPISendMail(0, 0, &bare, MAPI_DIALOG, 0), SUCCESS_SUCCESS);
    assert_string_equal(composed(), "mailto:?subject=x");
    assert_int_equal(MAPISendMail((LHANDLE)0x42, 0, &bare, MAPI_DIALOG, 0),
                     MAPI_E_INVALID_SESSION);
    assert_string_equal(composed(), "");
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
    assert_int_equal(sent_count(), before); /* the composer sends, not the library */
}

static void send_documents_attaches_every_file(void **state)
{
    (void)state;
    char paths[1500];
    snprintf(paths, sizeof paths, "%s;%s", file_a, file_b);
    assert_int_equal(MAPISendDocuments(0, ";", paths, "a.txt;b.txt", 0), SUCCESS_SUCCESS);
    char want[2048];
    snprintf(want, sizeof want, "mailto:?attach=%s&attach=%s", file_a, file_b);
    assert_string_equal(composed(), want);
    snprintf(paths, sizeof paths, "%s;/nonexistent/file", file_a);
    assert_int_equal(MAPISendDocuments(0, ";", paths, NULL, 0), MAPI_E_ATTACHMENT_NOT_FOUND);
    assert_string_equal(composed(), "");
}

static void a_missing_or_failing_composer_is_said_so(void **state)
{
    (void)state;
    MapiMessage m = { .lpszSubject = "x" };
    char path[4096];
    snprintf(path, sizeof path, "%s", getenv("PATH"));
    char empty[700];
    snprintf(empty, sizeof empty, "%s/emptybin", fm_test_tmpdir());
    mkdir(empty, 0700);
    setenv("PATH", empty, 1);
    assert_int_equal(MAPISendMail(0, 0, &m, MAPI_DIALOG, 0), MAPI_E_NOT_SUPPORTED);
    assert_non_null(strstr(fmapi_last_error(), "xdg-email"));
    assert_int_equal(MAPISendDocuments(0, ";", file_a, NULL, 0), MAPI_E_NOT_SUPPORTED);
    setenv("PATH", path, 1);
    setenv("MAILER", "false", 1);
    assert_int_equal(MAPISendMail(0, 0, &m, MAPI_DIALOG, 0), MAPI_E_FAILURE);
    assert_non_null(strstr(fmapi_last_error(), "composer failed"));
    setenv("MAILER", mailer, 1);
}

static int setup(void **state)
{
    (void)state;
    char dir[600];
    snprintf(dir, sizeof dir, "%s/profiles", fm_test_tmpdir());
    setenv("FREEMAPI_PROFILE_DIR", dir, 1);
    if (MAPIInitialize(NULL) != S_OK)
        return -1;
    ab_make_profile(PROFILE, site_dir(), "alice");
    LPPROFADMIN pa = NULL;
    if (MAPIAdminProfiles(0, &pa) != S_OK)
        return -1;
    HRESULT hr = IProfAdmin_SetDefaultProfile(pa, (LPTSTR)PROFILE, 0);
    IProfAdmin_Release(pa);
    snprintf(out_path, sizeof out_path, "%s/composed.txt", fm_test_tmpdir());
    snprintf(mailer, sizeof mailer, "%s/mailer.sh", fm_test_tmpdir());
    snprintf(file_a, sizeof file_a, "%s/a.txt", fm_test_tmpdir());
    snprintf(file_b, sizeof file_b, "%s/b.txt", fm_test_tmpdir());
    char script[1600];
    snprintf(script, sizeof script, "#!/bin/sh\nprintf '%%s' \"$1\" > '%s'\n", out_path);
    write_file(mailer, script, 0700);
    write_file(file_a, "a", 0600);
    write_file(file_b, "b", 0600);
    /* xdg-email opens what $MAILER names, whatever the desktop. */
    setenv("MAILER", mailer, 1);
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
        cmocka_unit_test(dialog_hands_the_message_to_the_composer),
        cmocka_unit_test(send_documents_attaches_every_file),
        cmocka_unit_test(a_missing_or_failing_composer_is_said_so),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
