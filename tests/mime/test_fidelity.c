/*
 * tests/mime/test_fidelity.c - Internet mail loses nothing in and out
 * (issue 20): broken multiparts keep their text, mislabelled text keeps
 * its characters and its bytes, unpadded base64 keeps its last bytes,
 * unreadable Content-Types and header blocks are read as readers read
 * them, every part keeps its header fields and place, and parts that must
 * stay 7bit are never re-encoded. Each case is a message of
 * tests/mime/data/corpus; the corpus as a whole is also checked against
 * Python's email package (test_roundtrip.c).
 */
#include "mime_fixture.h"

#define FLAGS (CCSF_SMTP | CCSF_INCLUDE_BCC)

static LPMESSAGE import_file(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "corpus/%s", name);
    size_t len = 0;
    char *text = fx_data(path, &len);
    LPMESSAGE m = fx_new();
    HRESULT hr = fmapi_mime_import_buffer(text, len, m, FLAGS);
    if (hr != S_OK)
        fail_msg("%s: import failed: %s", name, fmapi_mime_last_error());
    free(text);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    return m;
}

static bool warned(const char *what)
{
    return strstr(fmapi_mime_last_warnings(), what) != NULL;
}

/* The body of an exported message: what follows its first empty line. */
static const char *body_of(const char *mime)
{
    const char *p = strstr(mime, "\r\n\r\n");
    assert_non_null(p);
    return p + 4;
}

/* The index of the hidden attachment holding a part as it came, -1 if none. */
static int original_attachment(LPMESSAGE m)
{
    ULONG n = fx_attach_count(m);
    for (ULONG i = 0; i < n; i++) {
        LPATTACH a = fx_attach(m, i);
        char *name = fx_str(a, PR_ATTACH_LONG_FILENAME);
        bool hidden = fx_has(a, PR_ATTACHMENT_HIDDEN) && fx_long(a, PR_ATTACHMENT_HIDDEN);
        bool orig = name != NULL && strcmp(name, "original part.eml") == 0 && hidden;
        free(name);
        IAttach_Release(a);
        if (orig)
            return (int)i;
    }
    return -1;
}

/* ---- 1: a missing or wrong boundary ------------------------------------------- */
static void a_multipart_without_a_boundary_keeps_its_text_and_warns(void **state)
{
    LPMESSAGE m = import_file("bad-no-boundary.eml");
    fx_assert_str(m, PR_BODY, "The only text of this message.\r\n");
    assert_true(warned("boundary"));
    assert_true(original_attachment(m) >= 0);
    char *mime = fx_export(m, FLAGS);
    /* Written back as it came: the same header and the same body bytes. */
    assert_non_null(strstr(mime, "Content-Type: multipart/alternative;\r\n\r\n"
                                 "The only text of this message.\r\n"));
    free(mime);
    IMessage_Release(m);
}

static void a_bounce_with_a_truncated_boundary_keeps_its_body(void **state)
{
    LPMESSAGE m = import_file("bad-truncated-boundary-bounce.eml");
    char *body = fx_str(m, PR_BODY);
    assert_non_null(body);
    assert_non_null(strstr(body, "Line 000 of the bounce"));
    assert_non_null(strstr(body, "Line 059 of the bounce"));
    assert_true(strlen(body) > 4000);
    free(body);
    assert_true(warned("boundary"));
    char *mime = fx_export(m, FLAGS);
    assert_non_null(strstr(mime, "Line 059 of the bounce explains"));
    assert_non_null(strstr(mime, "boundary=\"4E9F2A\r\n"));
    free(mime);
    IMessage_Release(m);
}

/* ---- 2: text in no charset or the wrong one ------------------------------------- */
static void undeclared_latin1_text_is_detected_and_its_bytes_kept(void **state)
{
    LPMESSAGE m = import_file("bad-latin1-no-charset.eml");
    fx_assert_str(m, PR_BODY, "Caf\xC3\xA9 cr\xC3\xA8me, s'il vous pla\xC3\xAEt.\r\n");
    assert_true(warned("not valid"));
    int orig = original_attachment(m);
    assert_true(orig >= 0);
    LPATTACH a = fx_attach(m, (ULONG)orig);
    size_t len = 0;
    char *data = fx_read_stream(a, PR_ATTACH_DATA_BIN, &len);
    assert_non_null(g_strstr_len(data, (gssize)len, "Caf\xE9 cr\xE8me"));
    free(data);
    IAttach_Release(a);
    char *mime = fx_export(m, FLAGS);
    assert_string_equal(body_of(mime), "Caf\xE9 cr\xE8me, s'il vous pla\xEEt.\r\n");
    free(mime);
    IMessage_Release(m);
}

static void text_mislabelled_us_ascii_keeps_its_characters(void **state)
{
    LPMESSAGE m = import_file("bad-latin1-as-ascii.eml");
    fx_assert_str(m, PR_BODY, "Caf\xC3\xA9 cr\xC3\xA8me br\xC3\xBBl\xC3\xA9" "e.\r\n");
    assert_true(warned("us-ascii"));
    char *mime = fx_export(m, FLAGS);
    assert_string_equal(body_of(mime), "Caf\xE9 cr\xE8me br\xFBl\xE9" "e.\r\n");
    free(mime);
    IMessage_Release(m);
    m = import_file("bad-mixed-utf8-latin1.eml");
    fx_assert_str(m, PR_BODY, "UTF-8 caf\xC3\xA9 and Latin-1 caf\xC3\xA9 in one text.\r\n");
    IMessage_Release(m);
}

static void a_part_declared_base64_but_plain_is_read_as_it_is(void **state)
{
    LPMESSAGE m = import_file("bad-base64-not-encoded.eml");
    fx_assert_str(m, PR_BODY, "This text was never base64-encoded, whatever the header says.\r\n");
    assert_true(warned("not base64"));
    char *mime = fx_export(m, FLAGS);
    assert_non_null(strstr(mime, "Content-Transfer-Encoding: base64\r\n\r\nThis text was never"));
    free(mime);
    IMessage_Release(m);
}

static void raw_8bit_headers_are_read_and_written_back_as_they_came(void **state)
{
    LPMESSAGE m = import_file("bad-8bit-latin1-headers.eml");
    fx_assert_str(m, PR_SUBJECT, "R\xC3\xA9sum\xC3\xA9 des d\xC3\xA9" "cisions");
    fx_assert_str(m, PR_SENT_REPRESENTING_NAME, "Ren\xC3\xA9 Dupont");
    assert_true(warned("8-bit header"));
    char *mime = fx_export(m, FLAGS);
    assert_non_null(strstr(mime, "Subject: R\xE9sum\xE9 des d\xE9" "cisions\r\n"));
    assert_non_null(strstr(mime, "From: Ren\xE9 Dupont <rene@example.fr>\r\n"));
    free(mime);
    IMessage_Release(m);
}

/* ---- 4: the last base64 quantum --------------------------------------------- */
static void an_unpadded_base64_end_keeps_its_last_bytes(void **state)
{
    LPMESSAGE m = import_file("ok-unpadded-base64.eml");
    assert_int_equal(fx_attach_count(m), 1);
    LPATTACH a = fx_attach(m, 0);
    size_t len = 0;
    char *data = fx_read_stream(a, PR_ATTACH_DATA_BIN, &len);
    assert_int_equal(len, 5);
    assert_memory_equal(data, "ABCDE", 5);
    free(data);
    IAttach_Release(a);
    IMessage_Release(m);
}

/* ---- 5: an unreadable Content-Type ------------------------------------------- */
static void an_unreadable_content_type_is_text_plain(void **state)
{
    const char *files[] = { "bad-content-type-text.eml", "bad-content-type-html-tag.eml" };
    const char *bodies[] = { "A body whose Content-Type names no subtype.\r\n",
                             "A body whose Content-Type is an HTML tag.\r\n" };
    for (int i = 0; i < 2; i++) {
        LPMESSAGE m = import_file(files[i]);
        fx_assert_str(m, PR_BODY, bodies[i]);
        assert_true(warned("cannot be read"));
        /* No nameless application/octet-stream attachment; only the
         * hidden original. */
        ULONG n = fx_attach_count(m);
        for (ULONG k = 0; k < n; k++) {
            LPATTACH a = fx_attach(m, k);
            assert_true(fx_has(a, PR_ATTACHMENT_HIDDEN));
            IAttach_Release(a);
        }
        IMessage_Release(m);
    }
}

/* ---- 6: header blocks ---------------------------------------------------------- */
static void a_line_that_is_not_a_header_starts_the_body(void **state)
{
    LPMESSAGE m = import_file("bad-non-header-line.eml");
    fx_assert_str(m, PR_SUBJECT, "A line that is not a header");
    fx_assert_str(m, PR_BODY, "this line is the only body line\r\n");
    assert_true(warned("not a field"));
    IMessage_Release(m);
    m = import_file("bad-multipart-no-blank.eml");
    fx_assert_str(m, PR_BODY, "Plain.");
    LPSPropValue h = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_HTML, &h), S_OK);
    assert_int_equal(h->Value.bin.cb, strlen("<p>HTML.</p>"));
    assert_memory_equal(h->Value.bin.lpb, "<p>HTML.</p>", h->Value.bin.cb);
    MAPIFreeBuffer(h);
    IMessage_Release(m);
}

static void a_leading_blank_or_no_header_at_all_still_gives_a_message(void **state)
{
    LPMESSAGE m = import_file("bad-leading-space.eml");
    fx_assert_str(m, PR_SUBJECT, "Leading space");
    fx_assert_str(m, PR_SENT_REPRESENTING_EMAIL_ADDRESS, "a@example.org");
    fx_assert_str(m, PR_BODY, "The first header line starts with a space.\r\n");
    assert_true(warned("blank"));
    IMessage_Release(m);
    m = import_file("bad-no-header.eml");
    fx_assert_str(m, PR_BODY, "This message has no header at all.\r\nEvery reader shows it as a "
                              "body.\r\n");
    assert_true(warned("no header"));
    char *mime = fx_export(m, FLAGS);
    assert_non_null(strstr(mime, "\r\n\r\nThis message has no header at all.\r\n"));
    free(mime);
    IMessage_Release(m);
}

/* ---- 7: text parts other than the body -------------------------------------------- */
static void a_text_attachment_keeps_charset_description_and_disposition(void **state)
{
    LPMESSAGE m = import_file("ok-windows-1251-attachment.eml");
    assert_int_equal(fx_attach_count(m), 1);
    char *mime = fx_export(m, FLAGS);
    assert_non_null(strstr(mime, "Content-Type: text/plain; charset=windows-1251; "
                                 "name=\"report.txt\"\r\n"));
    assert_non_null(strstr(mime, "Content-Description: Quarterly report, Cyrillic text\r\n"));
    assert_non_null(strstr(mime, "Content-Disposition: inline; filename=\"report.txt\"\r\n"));
    free(mime);
    IMessage_Release(m);
}

/* ---- 8: alternatives ------------------------------------------------------------ */
static void every_alternative_keeps_its_place_and_parameters(void **state)
{
    LPMESSAGE m = import_file("ok-alternative-watch-html.eml");
    fx_assert_str(m, PR_BODY, "Plain text version.");
    assert_true(fx_has(m, PR_HTML));
    char *mime = fx_export(m, FLAGS);
    const char *plain = strstr(mime, "Content-Type: text/plain");
    const char *watch = strstr(mime, "Content-Type: text/watch-html");
    const char *html = strstr(mime, "Content-Type: text/html");
    assert_non_null(plain);
    assert_non_null(watch);
    assert_non_null(html);
    assert_true(plain < watch && watch < html);
    assert_null(strstr(mime, "multipart/mixed"));
    free(mime);
    IMessage_Release(m);
    m = import_file("ok-flowed.eml");
    mime = fx_export(m, FLAGS);
    assert_non_null(strstr(mime, "Content-Type: text/plain; charset=utf-8; format=flowed; "
                                 "delsp=yes\r\n"));
    free(mime);
    IMessage_Release(m);
}

/* ---- 11: parts that stay 7bit, inline text with a name -------------------------- */
static void message_parts_stay_7bit_with_their_parameters(void **state)
{
    LPMESSAGE m = import_file("ok-external-body.eml");
    char *mime = fx_export(m, FLAGS);
    const char *ext = strstr(mime, "message/external-body");
    assert_non_null(ext);
    assert_non_null(strstr(ext, "access-type=anon-ftp"));
    assert_non_null(strstr(ext, "site=\"ftp.example.org\""));
    assert_null(strstr(ext, "base64"));
    assert_non_null(strstr(ext, "\r\n\r\nContent-Type: application/octet-stream\r\n"
                                "Content-ID: <id42@example.org>\r\n"));
    free(mime);
    IMessage_Release(m);
    m = import_file("ok-dsn.eml");
    mime = fx_export(m, FLAGS);
    const char *ds = strstr(mime, "message/delivery-status");
    assert_non_null(ds);
    assert_non_null(strstr(ds, "\r\n\r\nReporting-MTA: dns; cs.utk.edu\r\n"));
    const char *next = strstr(ds, "\r\n--");
    assert_non_null(next);
    assert_null(g_strstr_len(ds, next - ds, "base64"));
    free(mime);
    IMessage_Release(m);
    /* A 7bit the report declares stays 7bit, the status fields in clear. */
    static const char *const report =
        "From: MAILER-DAEMON@example.org\r\nTo: a@example.org\r\nSubject: failed\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=R\r\n\r\n"
        "--R\r\nContent-Type: text/plain\r\n\r\nNot delivered.\r\n"
        "--R\r\nContent-Type: message/delivery-status\r\nContent-Transfer-Encoding: 7bit\r\n"
        "\r\nReporting-MTA: dns; mx.example.org\r\n\r\n"
        "Final-Recipient: rfc822; b@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "--R--\r\n";
    m = fx_import(report, FLAGS);
    mime = fx_export(m, FLAGS);
    ds = strstr(mime, "Content-Type: message/delivery-status");
    assert_non_null(ds);
    next = strstr(ds, "\r\n\r\n");
    assert_non_null(next);
    if (g_strstr_len(ds, next - ds, "Content-Transfer-Encoding: 7bit") == NULL)
        fail_msg("delivery-status not 7bit:\n%s", mime);
    assert_non_null(strstr(ds, "\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n"
                               "Final-Recipient: rfc822; b@example.org\r\n"));
    free(mime);
    IMessage_Release(m);
}

static void an_inline_text_part_with_a_name_is_the_body(void **state)
{
    LPMESSAGE m = import_file("ok-inline-text-filename.eml");
    fx_assert_str(m, PR_BODY, "These notes are meant to be shown, not saved.\r\n");
    assert_int_equal(fx_attach_count(m), 0);
    char *mime = fx_export(m, FLAGS);
    assert_non_null(strstr(mime, "Content-Disposition: inline; filename=\"notes.txt\"\r\n"));
    free(mime);
    IMessage_Release(m);
}

/* ---- 12: the smaller losses ----------------------------------------------------- */
static void html_keeps_a_true_charset_declaration(void **state)
{
    /* Stored in its charset, with that charset's code page: the <meta>
     * stays true. */
    LPMESSAGE m = import_file("ok-html-meta-latin1.eml");
    assert_int_equal(fx_long(m, PR_INTERNET_CPID), 28591);
    LPSPropValue h = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_HTML, &h), S_OK);
    assert_non_null(g_strstr_len((const char *)h->Value.bin.lpb, (gssize)h->Value.bin.cb,
                                 "Caf\xE9 cr\xE8me"));
    MAPIFreeBuffer(h);
    IMessage_Release(m);
    /* Re-encoded to UTF-8 (its charset had to be guessed): the <meta> says
     * so. */
    const char *text = "Subject: guessed\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n"
                       "<html><head><meta charset=\"iso-8859-1\"></head>"
                       "<body>Caf\xE9</body></html>\r\n";
    m = fx_import(text, FLAGS);
    assert_int_equal(fx_long(m, PR_INTERNET_CPID), 65001);
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_HTML, &h), S_OK);
    const char *html = (const char *)h->Value.bin.lpb;
    assert_non_null(g_strstr_len(html, (gssize)h->Value.bin.cb, "<meta charset=\"utf-8\">"));
    assert_null(g_strstr_len(html, (gssize)h->Value.bin.cb, "iso-8859-1"));
    assert_non_null(g_strstr_len(html, (gssize)h->Value.bin.cb, "Caf\xC3\xA9"));
    MAPIFreeBuffer(h);
    IMessage_Release(m);
}

static void a_message_attachment_keeps_its_file_name(void **state)
{
    LPMESSAGE m = import_file("ok-rfc822-filename.eml");
    assert_int_equal(fx_attach_count(m), 1);
    LPATTACH a = fx_attach(m, 0);
    assert_int_equal(fx_long(a, PR_ATTACH_METHOD), ATTACH_EMBEDDED_MSG);
    fx_assert_str(a, PR_ATTACH_LONG_FILENAME, "forwarded.eml");
    IAttach_Release(a);
    char *mime = fx_export(m, FLAGS);
    assert_non_null(strstr(mime, "Content-Disposition: attachment; filename=\"forwarded.eml\""));
    assert_non_null(strstr(mime, "Content-Description: The message I got"));
    free(mime);
    IMessage_Release(m);
}

static void a_partial_message_keeps_id_number_and_total(void **state)
{
    LPMESSAGE m = import_file("ok-partial.eml");
    char *mime = fx_export(m, FLAGS);
    assert_non_null(strstr(mime, "Content-Type: message/partial; id=\"ABC@example.org\"; "
                                 "number=2; total=3\r\n"));
    assert_null(strstr(mime, "base64"));
    assert_non_null(strstr(mime, "the second third of a message"));
    free(mime);
    IMessage_Release(m);
}

/* ---- the warnings ---------------------------------------------------------------- */
static void a_sound_message_gives_no_warning_and_the_next_import_forgets_them(void **state)
{
    LPMESSAGE m = import_file("bad-no-boundary.eml");
    assert_true(fmapi_mime_last_warnings()[0] != '\0');
    IMessage_Release(m);
    m = import_file("ok-rfc5322-a1-1.eml");
    assert_string_equal(fmapi_mime_last_warnings(), "");
    IMessage_Release(m);
}

static int setup(void **state)
{
    fx_open_store("fidelity");
    return 0;
}

static int teardown(void **state)
{
    fx_close_store();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_multipart_without_a_boundary_keeps_its_text_and_warns),
        cmocka_unit_test(a_bounce_with_a_truncated_boundary_keeps_its_body),
        cmocka_unit_test(undeclared_latin1_text_is_detected_and_its_bytes_kept),
        cmocka_unit_test(text_mislabelled_us_ascii_keeps_its_characters),
        cmocka_unit_test(a_part_declared_base64_but_plain_is_read_as_it_is),
        cmocka_unit_test(raw_8bit_headers_are_read_and_written_back_as_they_came),
        cmocka_unit_test(an_unpadded_base64_end_keeps_its_last_bytes),
        cmocka_unit_test(an_unreadable_content_type_is_text_plain),
        cmocka_unit_test(a_line_that_is_not_a_header_starts_the_body),
        cmocka_unit_test(a_leading_blank_or_no_header_at_all_still_gives_a_message),
        cmocka_unit_test(a_text_attachment_keeps_charset_description_and_disposition),
        cmocka_unit_test(every_alternative_keeps_its_place_and_parameters),
        cmocka_unit_test(message_parts_stay_7bit_with_their_parameters),
        cmocka_unit_test(an_inline_text_part_with_a_name_is_the_body),
        cmocka_unit_test(html_keeps_a_true_charset_declaration),
        cmocka_unit_test(a_message_attachment_keeps_its_file_name),
        cmocka_unit_test(a_partial_message_keeps_id_number_and_total),
        cmocka_unit_test(a_sound_message_gives_no_warning_and_the_next_import_forgets_them),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
