/*
 * tests/mime/test_hostile.c - bad input never crashes and never loses what
 * was already imported: missing boundaries, bad base64 and
 * quoted-printable, unknown and lying charsets, 8-bit and enormous headers,
 * nesting thousands deep, truncated messages and files, NUL bytes, and a
 * message that fails to import among good ones.
 */
#include "mime_fixture.h"

/* Imports text (len bytes) into a new message and saves it: the import
 * must succeed. */
static LPMESSAGE import_len(const char *text, size_t len)
{
    LPMESSAGE m = fx_new();
    HRESULT hr = fmapi_mime_import_buffer(text, len, m, 0);
    if (hr != S_OK)
        fail_msg("import failed: %s", fmapi_mime_last_error());
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    return m;
}

static LPMESSAGE import_str(const char *text)
{
    return import_len(text, strlen(text));
}

static void a_multipart_without_its_boundary_still_gives_the_text(void **state)
{
    LPMESSAGE m = import_str("Subject: no boundary parameter\r\n"
                             "Content-Type: multipart/mixed\r\n\r\njust some text\r\n");
    fx_assert_str(m, PR_SUBJECT, "no boundary parameter");
    IMessage_Release(m);
    m = import_str("Subject: boundary never seen\r\n"
                   "Content-Type: multipart/mixed; boundary=XYZ\r\n\r\n"
                   "--ABC\r\nContent-Type: text/plain\r\n\r\nlost?\r\n");
    fx_assert_str(m, PR_SUBJECT, "boundary never seen");
    IMessage_Release(m);
    m = import_str("Subject: never closed\r\n"
                   "Content-Type: multipart/mixed; boundary=B\r\n\r\n"
                   "--B\r\nContent-Type: text/plain\r\n\r\nfirst\r\n"
                   "--B\r\nContent-Type: text/plain\r\nContent-Disposition: attachment\r\n\r\n"
                   "second, unterminated");
    fx_assert_str(m, PR_BODY, "first");
    assert_int_equal(fx_attach_count(m), 1);
    IMessage_Release(m);
}

/* The attachment of m whose MIME tag is mime (caller releases), or NULL. */
static LPATTACH attachment_of_type(LPMESSAGE m, const char *mime)
{
    ULONG n = fx_attach_count(m);
    for (ULONG i = 0; i < n; i++) {
        LPATTACH a = fx_attach(m, i);
        char *t = fx_str(a, PR_ATTACH_MIME_TAG);
        bool hit = t != NULL && strcmp(t, mime) == 0;
        free(t);
        if (hit)
            return a;
        IAttach_Release(a);
    }
    return NULL;
}

static void bad_base64_and_quoted_printable_decode_what_they_can(void **state)
{
    LPMESSAGE m = import_str("Subject: bad encodings\r\n"
                             "Content-Type: multipart/mixed; boundary=B\r\n\r\n"
                             "--B\r\nContent-Type: text/plain\r\n"
                             "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                             "a=ZZb=\r\nc=4\r\n"
                             "--B\r\nContent-Type: application/octet-stream\r\n"
                             "Content-Transfer-Encoding: base64\r\n\r\n"
                             "!!!!QUJD$$$REVG====garbage***\r\n"
                             "--B--\r\n");
    char *body = fx_str(m, PR_BODY);
    assert_non_null(body);
    assert_non_null(strchr(body, 'a'));
    assert_non_null(strchr(body, 'c'));
    free(body);
    LPATTACH a = attachment_of_type(m, "application/octet-stream");
    assert_non_null(a);
    size_t len = 0;
    char *data = fx_read_stream(a, PR_ATTACH_DATA_BIN, &len);
    assert_true(len >= 3);
    assert_memory_equal(data, "ABC", 3);
    free(data);
    IAttach_Release(a);
    /* Both parts are kept as they came too, and each is a warning. */
    assert_int_equal(fx_attach_count(m), 3);
    assert_non_null(strstr(fmapi_mime_last_warnings(), "quoted-printable"));
    assert_non_null(strstr(fmapi_mime_last_warnings(), "not base64"));
    IMessage_Release(m);
}

static void unknown_and_lying_charsets_fall_back_without_failing(void **state)
{
    /* Unknown charset, UTF-8 and Latin-1 mixed: each read as what it is. */
    LPMESSAGE m = import_str("Subject: unknown\r\n"
                             "Content-Type: text/plain; charset=x-no-such-charset\r\n\r\n"
                             "caf\xC3\xA9 and caf\xE9");
    fx_assert_str(m, PR_BODY, "caf\xC3\xA9 and caf\xC3\xA9");
    IMessage_Release(m);
    /* A lie: UTF-8 declared, Latin-1 sent: read as Latin-1, not U+FFFD. */
    m = import_str("Subject: lying\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                   "na\xEFve \xFF\xFE end");
    char *body = fx_str(m, PR_BODY);
    assert_non_null(body);
    assert_null(strstr(body, "\xEF\xBF\xBD"));
    assert_non_null(strstr(body, "na\xC3\xAFve"));
    free(body);
    assert_non_null(strstr(fmapi_mime_last_warnings(), "utf-8"));
    IMessage_Release(m);
    /* A broken ISO-2022-JP escape sequence and an empty charset name. */
    m = import_str("Subject: =?iso-2022-jp?b?GyRCJUYlOSVIGyhC?= \r\n"
                   "Content-Type: text/plain; charset=iso-2022-jp\r\n\r\n"
                   "\x1b$B%F%9\x1b(Zbroken\x1b");
    assert_true(fx_has(m, PR_BODY_W));
    fx_assert_str(m, PR_SUBJECT, "\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88");
    IMessage_Release(m);
    m = import_str("Subject: empty charset\r\nContent-Type: text/plain; charset=\"\"\r\n\r\nok");
    fx_assert_str(m, PR_BODY, "ok");
    IMessage_Release(m);
}

static void eight_bit_and_enormous_headers(void **state)
{
    LPMESSAGE m = import_str("Subject: caf\xE9 latin-1\r\nFrom: J\xC3\xBCrgen <j@example.de>\r\n"
                             "X-Raw: \xFF\xFE\r\n\r\nbody");
    fx_assert_str(m, PR_SUBJECT, "caf\xC3\xA9 latin-1");
    fx_assert_str(m, PR_SENT_REPRESENTING_NAME, "J\xC3\xBCrgen");
    char *h = fx_str(m, PR_TRANSPORT_MESSAGE_HEADERS);
    assert_non_null(strstr(h, "X-Raw: \xC3\xBF\xC3\xBE\r\n")); /* not UTF-8: read as Latin-1 */
    free(h);
    IMessage_Release(m);
    /* A 2 MB subject and 50,000 header lines. */
    GString *s = g_string_new("Subject: ");
    for (int i = 0; i < 200000; i++)
        g_string_append(s, "0123456789");
    g_string_append(s, "\r\n");
    for (int i = 0; i < 50000; i++)
        g_string_append_printf(s, "X-Header-%d: value %d\r\n", i, i);
    g_string_append(s, "\r\nbody\r\n");
    m = import_len(s->str, s->len);
    size_t len = 0;
    char *subject = fx_read_stream(m, PR_SUBJECT_W, &len);
    assert_int_equal(len, 2000000 * 2);
    free(subject);
    fx_assert_str(m, PR_BODY, "body\r\n");
    /* And it still exports. */
    char *mime = fx_export(m, 0);
    assert_non_null(strstr(mime, "X-Header-49999: value 49999"));
    free(mime);
    IMessage_Release(m);
    g_string_free(s, TRUE);
}

/* Depth of embedded messages under m through first attachments. */
static int embedded_depth(LPMESSAGE m)
{
    int depth = 0;
    LPMESSAGE cur = m;
    IMessage_AddRef(cur);
    for (;;) {
        if (fx_attach_count(cur) == 0)
            break;
        LPATTACH a = fx_attach(cur, 0);
        if (fx_long(a, PR_ATTACH_METHOD) != ATTACH_EMBEDDED_MSG) {
            IAttach_Release(a);
            break;
        }
        LPMESSAGE next = fx_embedded(a);
        IAttach_Release(a);
        IMessage_Release(cur);
        cur = next;
        depth++;
    }
    IMessage_Release(cur);
    return depth;
}

static void nesting_thousands_deep_is_flattened_not_recursed(void **state)
{
    GString *s = g_string_new("Subject: deep multiparts\r\n");
    for (int i = 0; i < 5000; i++)
        g_string_append_printf(s, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n",
                               i, i);
    g_string_append(s, "Content-Type: text/plain\r\n\r\nat the bottom\r\n");
    LPMESSAGE m = import_len(s->str, s->len);
    fx_assert_str(m, PR_SUBJECT, "deep multiparts");
    assert_int_equal(fx_attach_count(m), 1); /* the subtree below the limit */
    LPATTACH a = fx_attach(m, 0);
    fx_assert_str(a, PR_ATTACH_LONG_FILENAME, "nested.eml");
    size_t len = 0;
    char *data = fx_read_stream(a, PR_ATTACH_DATA_BIN, &len);
    assert_true(len > 1000);
    free(data);
    IAttach_Release(a);
    char *mime = fx_export(m, 0);
    free(mime);
    IMessage_Release(m);
    g_string_free(s, TRUE);

    s = g_string_new("");
    for (int i = 0; i < 5000; i++)
        g_string_append_printf(s, "Subject: level %d\r\nContent-Type: message/rfc822\r\n\r\n", i);
    g_string_append(s, "Subject: bottom\r\n\r\nbottom\r\n");
    m = import_len(s->str, s->len);
    fx_assert_str(m, PR_SUBJECT, "level 0");
    int depth = embedded_depth(m);
    assert_true(depth >= FMAPI_MIME_MAX_DEPTH - 2);
    assert_true(depth < FMAPI_MIME_MAX_DEPTH);
    mime = fx_export(m, 0);
    assert_non_null(strstr(mime, "level 20"));
    free(mime);
    IMessage_Release(m);
    g_string_free(s, TRUE);
}

static void truncated_messages_import_what_is_there(void **state)
{
    char *text = fx_data("related.eml", NULL);
    size_t full = strlen(text);
    /* Every cut point of the first 600 bytes, then every 37th. */
    for (size_t cut = 0; cut < full; cut += cut < 600 ? 1 : 37) {
        LPMESSAGE m = fx_new();
        HRESULT hr = fmapi_mime_import_buffer(text, cut, m, 0);
        if (hr != S_OK) {
            assert_int_equal(hr, MAPI_E_CORRUPT_DATA);
            assert_true(fmapi_mime_last_error()[0] != '\0');
        } else {
            assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
        }
        IMessage_Release(m);
    }
    free(text);
}

static void nul_bytes_and_empty_input(void **state)
{
    const char nul[] = "Subject: a\0b\r\nContent-Type: text/plain\r\n\r\nx\0y\r\n";
    LPMESSAGE m = import_len(nul, sizeof nul - 1);
    assert_true(fx_has(m, PR_BODY_W));
    IMessage_Release(m);
    m = fx_new();
    HRESULT hr = fmapi_mime_import_buffer("", 0, m, 0);
    assert_true(hr == S_OK || hr == MAPI_E_CORRUPT_DATA);
    IMessage_Release(m);
    m = import_str("\r\n\r\n\r\n");
    IMessage_Release(m);
}

/* A message that cannot be imported (its target refuses the properties)
 * fails with text, and the next ones still import. */
static void a_failing_message_does_not_stop_the_ones_after_it(void **state)
{
    char *text = fx_data("plain.eml", NULL);
    LPMESSAGE saved = import_str(text);
    LPSPropValue eid = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)saved, PR_ENTRYID, &eid), S_OK);
    IMessage_Release(saved);
    ULONG type = 0;
    LPMESSAGE ro = NULL;
    assert_int_equal(IMsgStore_OpenEntry(fx_mdb, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         NULL, 0, &type, (LPUNKNOWN *)&ro), S_OK);
    MAPIFreeBuffer(eid);
    HRESULT hr = fmapi_mime_import_buffer(text, strlen(text), ro, 0);
    assert_int_equal(hr, MAPI_E_NO_ACCESS);
    assert_non_null(strstr(fmapi_mime_last_error(), "setting property"));
    IMessage_Release(ro);
    LPMESSAGE next = import_str(text);
    fx_assert_str(next, PR_SUBJECT, "RE: The analytical engine");
    IMessage_Release(next);
    free(text);
}

static int setup(void **state)
{
    fx_open_store("hostile");
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
        cmocka_unit_test(a_multipart_without_its_boundary_still_gives_the_text),
        cmocka_unit_test(bad_base64_and_quoted_printable_decode_what_they_can),
        cmocka_unit_test(unknown_and_lying_charsets_fall_back_without_failing),
        cmocka_unit_test(eight_bit_and_enormous_headers),
        cmocka_unit_test(nesting_thousands_deep_is_flattened_not_recursed),
        cmocka_unit_test(truncated_messages_import_what_is_there),
        cmocka_unit_test(nul_bytes_and_empty_input),
        cmocka_unit_test(a_failing_message_does_not_stop_the_ones_after_it),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
