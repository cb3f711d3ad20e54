/*
 * tests/mime/test_signed.c - signed and encrypted mail keeps what makes it
 * verifiable ([MS-OXOSMIME]; issue 20 item 3): messages signed by OpenSSL
 * (S/MIME) and GnuPG (PGP/MIME) are imported, saved, reopened and
 * exported, and the export must verify with `openssl smime -verify` and
 * `gpg --verify`, as the original does; a message encrypted by OpenSSL
 * must still decrypt. A changed byte must make verification fail, so the
 * check is known to be able to fail.
 *
 * The keys are made for each run in the test's temporary directory (an
 * RSA key and self-signed certificate for OpenSSL, an Ed25519 key in a
 * GNUPGHOME of its own for GnuPG); nothing outside it is touched.
 */
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "mime_fixture.h"

#define FLAGS (CCSF_SMTP | CCSF_INCLUDE_BCC)

static char dir[700];

/* Runs a shell command in the test directory; its exit status. */
static int run(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *full = g_strdup_printf("cd '%s' && (%s) >>'%s/log' 2>&1", dir, cmd, dir);
    int status = system(full);
    g_free(full);
    g_free(cmd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *path_of(const char *name)
{
    return g_strdup_printf("%s/%s", dir, name);
}

static void write_text(const char *name, const char *text)
{
    char *p = path_of(name);
    assert_true(g_file_set_contents(p, text, -1, NULL));
    g_free(p);
}

static char *read_text(const char *name, gsize *len)
{
    char *p = path_of(name);
    gchar *text = NULL;
    assert_true(g_file_get_contents(p, &text, len, NULL));
    g_free(p);
    return text;
}

/* Imports file name, saves it, reopens it, and exports it to out. */
static void import_export(const char *name, const char *out, LPMESSAGE *kept)
{
    gsize len = 0;
    char *text = read_text(name, &len);
    LPMESSAGE m = fx_new();
    HRESULT hr = fmapi_mime_import_buffer(text, len, m, FLAGS);
    if (hr != S_OK)
        fail_msg("import of %s failed: %s", name, fmapi_mime_last_error());
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    LPSPropValue eid = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_ENTRYID, &eid), S_OK);
    IMessage_Release(m);
    ULONG type = 0;
    assert_int_equal(IMsgStore_OpenEntry(fx_mdb, eid->Value.bin.cb,
                                         (LPENTRYID)eid->Value.bin.lpb, NULL, 0, &type,
                                         (LPUNKNOWN *)&m), S_OK);
    MAPIFreeBuffer(eid);
    char *mime = fx_export(m, FLAGS);
    char *p = path_of(out);
    assert_true(g_file_set_contents(p, mime, -1, NULL));
    g_free(p);
    free(mime);
    g_free(text);
    *kept = m;
}

/* A message signed with the content of a multipart body: text, and a
 * small attachment, with 8-bit text and trailing blanks that a careless
 * converter would change. */
static const char CONTENT[] =
    "Content-Type: multipart/mixed; boundary=\"inner\"\r\n"
    "\r\n"
    "--inner\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Signed text, caf=C3=A9, with a trailing blank =20\r\n"
    "and a second line.\r\n"
    "--inner\r\n"
    "Content-Type: application/octet-stream; name=\"data.bin\"\r\n"
    "Content-Disposition: attachment; filename=\"data.bin\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "AAECAwQFBgcICQoLDA0ODw==\r\n"
    "--inner--\r\n";

static void smime_signed_mail_still_verifies_after_export(void **state)
{
    write_text("content.eml", CONTENT);
    assert_int_equal(run("openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem "
                         "-out cert.pem -subj /CN=freemapi-test -days 2"), 0);
    assert_int_equal(run("openssl smime -sign -in content.eml -signer cert.pem -inkey key.pem "
                         "-from ada@example.org -to bob@example.org -subject 'Signed' "
                         "-out signed.eml"), 0);
    assert_int_equal(run("openssl smime -verify -in signed.eml -CAfile cert.pem "
                         "-out /dev/null"), 0);
    LPMESSAGE m = NULL;
    import_export("signed.eml", "exported.eml", &m);
    /* [MS-OXOSMIME] 2.1.3.1: the class, one attachment holding the
     * entity, the body promoted from the signed content. */
    fx_assert_str(m, PR_MESSAGE_CLASS, "IPM.Note.SMIME.MultipartSigned");
    assert_int_equal(fx_attach_count(m), 1);
    LPATTACH a = fx_attach(m, 0);
    fx_assert_str(a, PR_ATTACH_MIME_TAG, "multipart/signed");
    size_t len = 0;
    char *entity = fx_read_stream(a, PR_ATTACH_DATA_BIN, &len);
    assert_true(len > 9 && g_ascii_strncasecmp(entity, "MIME-Version", 12) != 0);
    assert_non_null(g_strstr_len(entity, (gssize)len, "Content-Type: multipart/signed"));
    free(entity);
    IAttach_Release(a);
    char *body = fx_str(m, PR_BODY);
    assert_non_null(body);
    assert_non_null(strstr(body, "Signed text, caf\xC3\xA9"));
    free(body);
    IMessage_Release(m);
    assert_int_equal(run("openssl smime -verify -in exported.eml -CAfile cert.pem "
                         "-out verified.txt"), 0);
    gsize vlen = 0;
    char *verified = read_text("verified.txt", &vlen);
    assert_non_null(strstr(verified, "caf=C3=A9, with a trailing blank =20"));
    g_free(verified);
    /* The check can fail: one byte of the signed text changed. */
    assert_int_equal(run("sed 's/second line/sec0nd line/' exported.eml > tampered.eml"), 0);
    assert_true(run("openssl smime -verify -in tampered.eml -CAfile cert.pem "
                    "-out /dev/null") != 0);
}

static void smime_encrypted_mail_still_decrypts_after_export(void **state)
{
    write_text("plain.eml", "Content-Type: text/plain\r\n\r\nFor your eyes only.\r\n");
    assert_int_equal(run("openssl smime -encrypt -aes256 -in plain.eml -out encrypted.eml "
                         "-from ada@example.org -to bob@example.org -subject Secret cert.pem"),
                     0);
    LPMESSAGE m = NULL;
    import_export("encrypted.eml", "exported-enc.eml", &m);
    fx_assert_str(m, PR_MESSAGE_CLASS, "IPM.Note.SMIME");
    assert_int_equal(fx_attach_count(m), 1);
    assert_false(fx_has(m, PR_BODY)); /* [MS-OXOSMIME]: no body is set */
    IMessage_Release(m);
    assert_int_equal(run("openssl smime -decrypt -in exported-enc.eml -inkey key.pem "
                         "-recip cert.pem -out decrypted.eml"), 0);
    gsize len = 0;
    char *text = read_text("decrypted.eml", &len);
    assert_non_null(strstr(text, "For your eyes only."));
    g_free(text);
}

/* The bytes between the first two delimiters of boundary b in text: the
 * signed part of a multipart/signed body (RFC 1847), and after the second
 * delimiter the signature part. */
static void split_signed(const char *text, const char *b, GString *signed_part, GString *sig)
{
    char *d1 = g_strdup_printf("--%s\r\n", b);
    char *d2 = g_strdup_printf("\r\n--%s\r\n", b);
    char *end = g_strdup_printf("\r\n--%s--", b);
    const char *p = strstr(text, d1);
    assert_non_null(p);
    p += strlen(d1);
    const char *q = strstr(p, d2);
    assert_non_null(q);
    g_string_append_len(signed_part, p, q - p);
    const char *s = q + strlen(d2);
    const char *blank = strstr(s, "\r\n\r\n");
    const char *e = strstr(s, end);
    assert_non_null(blank);
    assert_non_null(e);
    g_string_append_len(sig, blank + 4, e - (blank + 4));
    g_free(d1);
    g_free(d2);
    g_free(end);
}

static void pgp_signed_mail_still_verifies_after_export(void **state)
{
    const char *gpg = "GNUPGHOME=gnupg gpg --batch --no-tty --pinentry-mode loopback "
                      "--passphrase ''";
    assert_int_equal(run("mkdir -p gnupg && chmod 700 gnupg && %s --quick-generate-key "
                         "'Ada <ada@example.org>' ed25519 sign never", gpg), 0);
    /* RFC 3156: the signature is over the first part, lines ending CRLF. */
    write_text("pgp-content.eml", CONTENT);
    assert_int_equal(run("%s --armor --detach-sign --digest-algo SHA256 -o content.asc "
                         "pgp-content.eml", gpg), 0);
    gsize sig_len = 0;
    char *sig = read_text("content.asc", &sig_len);
    GString *msg = g_string_new("From: Ada <ada@example.org>\r\nTo: bob@example.org\r\n"
                                "Subject: PGP signed\r\nMIME-Version: 1.0\r\n"
                                "Content-Type: multipart/signed; micalg=pgp-sha256;\r\n"
                                " protocol=\"application/pgp-signature\"; boundary=\"pgpB\"\r\n"
                                "\r\nThis is an OpenPGP/MIME signed message (RFC 4880 and 3156)"
                                "\r\n--pgpB\r\n");
    g_string_append(msg, CONTENT);
    g_string_append(msg, "\r\n--pgpB\r\nContent-Type: application/pgp-signature; "
                         "name=\"signature.asc\"\r\n\r\n");
    g_string_append(msg, sig);
    g_string_append(msg, "\r\n--pgpB--\r\n");
    write_text("pgp.eml", msg->str);
    g_string_free(msg, TRUE);
    g_free(sig);
    LPMESSAGE m = NULL;
    import_export("pgp.eml", "pgp-exported.eml", &m);
    fx_assert_str(m, PR_MESSAGE_CLASS, "IPM.Note.SMIME.MultipartSigned");
    IMessage_Release(m);
    gsize len = 0;
    char *exported = read_text("pgp-exported.eml", &len);
    GString *part = g_string_new(NULL), *signature = g_string_new(NULL);
    split_signed(exported, "pgpB", part, signature);
    write_text("pgp-part.eml", part->str);
    write_text("pgp-part.asc", signature->str);
    assert_int_equal(run("%s --verify pgp-part.asc pgp-part.eml", gpg), 0);
    /* The check can fail. */
    char *bad = strstr(part->str, "second line");
    assert_non_null(bad);
    bad[3] = '0';
    write_text("pgp-part.eml", part->str);
    assert_true(run("%s --verify pgp-part.asc pgp-part.eml", gpg) != 0);
    g_string_free(part, TRUE);
    g_string_free(signature, TRUE);
    g_free(exported);
}

static int setup(void **state)
{
    fx_open_store("signed");
    snprintf(dir, sizeof dir, "%s/signed", fm_test_tmpdir());
    char *cmd = g_strdup_printf("rm -rf '%s' && mkdir -p '%s'", dir, dir);
    int rc = system(cmd);
    g_free(cmd);
    return rc == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    fx_close_store();
    char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    int rc = system(cmd);
    g_free(cmd);
    return rc == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(smime_signed_mail_still_verifies_after_export),
        cmocka_unit_test(smime_encrypted_mail_still_decrypts_after_export),
        cmocka_unit_test(pgp_signed_mail_still_verifies_after_export),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
