/*
 * tests/mime/test_import.c - MIME -> MAPI (fmapi_mime_import_*): envelope
 * properties, recipients, bodies in every charset, attachments, inline
 * images, embedded messages, the entry points' argument checks, and
 * out-of-memory sweeps.
 */
#include <sys/wait.h>

#include "mime_fixture.h"

static void plain_message_gives_the_envelope_properties(void **state)
{
    char *text = fx_data("plain.eml", NULL);
    LPMESSAGE m = fx_import(text, CCSF_SMTP);
    fx_assert_str(m, PR_MESSAGE_CLASS, "IPM.Note");
    fx_assert_str(m, PR_SUBJECT, "RE: The analytical engine");
    fx_assert_str(m, PR_SUBJECT_PREFIX, "RE: ");
    fx_assert_str(m, PR_NORMALIZED_SUBJECT, "The analytical engine");
    fx_assert_str(m, PR_SENT_REPRESENTING_NAME, "Ada Lovelace");
    fx_assert_str(m, PR_SENT_REPRESENTING_EMAIL_ADDRESS, "ada@example.org");
    fx_assert_str(m, PR_SENT_REPRESENTING_ADDRTYPE, "SMTP");
    fx_assert_str(m, PR_SENDER_NAME, "Secretary");
    fx_assert_str(m, PR_SENDER_EMAIL_ADDRESS, "sec@example.org");
    LPSPropValue key = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_SENDER_SEARCH_KEY, &key), S_OK);
    assert_int_equal(key->Value.bin.cb, sizeof "SMTP:SEC@EXAMPLE.ORG");
    assert_memory_equal(key->Value.bin.lpb, "SMTP:SEC@EXAMPLE.ORG", key->Value.bin.cb);
    MAPIFreeBuffer(key);
    fx_assert_str(m, PR_INTERNET_MESSAGE_ID, "<msg1@example.org>");
    fx_assert_str(m, PR_IN_REPLY_TO_ID, "<msg0@example.com>");
    fx_assert_str(m, PR_INTERNET_REFERENCES, "<first@example.com> <msg0@example.com>");
    assert_int_equal(fx_long(m, PR_IMPORTANCE), IMPORTANCE_HIGH);
    assert_int_equal(fx_long(m, PR_PRIORITY), PRIO_URGENT);
    LPSPropValue t = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_CLIENT_SUBMIT_TIME, &t), S_OK);
    assert_int_equal(fm_test_unix(t->Value.ft), 1672740000); /* 2023-01-03 10:00 UTC */
    MAPIFreeBuffer(t);
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_MESSAGE_DELIVERY_TIME, &t), S_OK);
    assert_int_equal(fm_test_unix(t->Value.ft), 1672740300); /* the newest Received */
    MAPIFreeBuffer(t);
    fx_assert_str(m, PR_BODY, "Dear Charles,\r\n\r\nthe engine works.\r\n");
    char *headers = fx_str(m, PR_TRANSPORT_MESSAGE_HEADERS);
    assert_non_null(headers);
    assert_non_null(strstr(headers, "Received: from mx.example.org by mail.example.com; "
                                    "Tue, 3 Jan 2023 10:05:00 +0000\r\nReceived: from client"));
    assert_non_null(strstr(headers, "Bcc: hidden@example.com\r\n"));
    assert_non_null(strstr(headers, "Content-Type: text/plain; charset=us-ascii\r\n"));
    free(headers);
    /* To, To, Cc; Bcc only when asked for. */
    assert_int_equal(fx_recip_count(m), 3);
    fx_assert_str(m, PR_DISPLAY_TO, "Charles Babbage; bob@example.com");
    fx_assert_str(m, PR_DISPLAY_CC, "Group Leader");
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
    m = fx_import(text, CCSF_SMTP | CCSF_INCLUDE_BCC);
    assert_int_equal(fx_recip_count(m), 4);
    fx_assert_str(m, PR_DISPLAY_BCC, "hidden@example.com");
    IMessage_Release(m);
    free(text);
}

static void recipients_rows_carry_address_type_and_smtp_address(void **state)
{
    char *text = fx_data("plain.eml", NULL);
    LPMESSAGE m = fx_import(text, CCSF_INCLUDE_BCC);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMessage_GetRecipientTable(m, 0, &t), S_OK);
    SizedSPropTagArray(5, cols) = { 5, { PR_DISPLAY_NAME_A, PR_EMAIL_ADDRESS_A, PR_ADDRTYPE_A,
                                         PR_RECIPIENT_TYPE, PR_SMTP_ADDRESS_A } };
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 4);
    const char *want[4][2] = { { "Charles Babbage", "charles@example.com" },
                               { "bob@example.com", "bob@example.com" },
                               { "Group Leader", "lead@example.com" },
                               { "hidden@example.com", "hidden@example.com" } };
    LONG types[4] = { MAPI_TO, MAPI_TO, MAPI_CC, MAPI_BCC };
    for (ULONG i = 0; i < 4; i++) {
        LPSPropValue v = rows->aRow[i].lpProps;
        assert_string_equal(v[0].Value.lpszA, want[i][0]);
        assert_string_equal(v[1].Value.lpszA, want[i][1]);
        assert_string_equal(v[2].Value.lpszA, "SMTP");
        assert_int_equal(v[3].Value.l, types[i]);
        assert_string_equal(v[4].Value.lpszA, want[i][1]);
    }
    FreeProws(rows);
    IMAPITable_Release(t);
    IMessage_Release(m);
    free(text);
}

static void charsets_and_encoded_words_become_unicode(void **state)
{
    char *text = fx_data("alternative.eml", NULL);
    LPMESSAGE m = fx_import(text, 0);
    fx_assert_str(m, PR_SUBJECT, "Caf\xC3\xA9 cr\xC3\xA8me");
    fx_assert_str(m, PR_SUBJECT_PREFIX, "");
    fx_assert_str(m, PR_SENT_REPRESENTING_NAME, "Ren\xC3\xA9");
    fx_assert_str(m, PR_DISPLAY_TO, "\xC3\x89lodie");
    fx_assert_str(m, PR_BODY, "Un caf\xC3\xA9, s'il vous pla\xC3\xAEt.");
    /* PR_BODY is stored as Unicode. */
    LPSPropValue w = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_BODY_W, &w), S_OK);
    assert_int_equal(w->Value.lpszW[6], 0xE9);
    MAPIFreeBuffer(w);
    /* The HTML keeps its bytes in its charset, whose code page
     * PR_INTERNET_CPID names ([MS-OXCMAIL]): windows-1252. */
    LPSPropValue h = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_HTML, &h), S_OK);
    const char *want = "<html><body>Caf\xE9 \x80</body></html>";
    assert_int_equal(h->Value.bin.cb, strlen(want));
    assert_memory_equal(h->Value.bin.lpb, want, strlen(want));
    MAPIFreeBuffer(h);
    assert_int_equal(fx_long(m, PR_INTERNET_CPID), 1252);
    assert_int_equal(fx_long(m, PR_IMPORTANCE), IMPORTANCE_LOW);
    assert_int_equal(fx_long(m, PR_PRIORITY), PRIO_NONURGENT);
    assert_int_equal(fx_attach_count(m), 0);
    IMessage_Release(m);
    free(text);
}

static void related_images_attachments_and_embedded_messages(void **state)
{
    char *text = fx_data("related.eml", NULL);
    LPMESSAGE m = fx_import(text, 0);
    fx_assert_str(m, PR_BODY, "See the picture.");
    assert_true(fx_has(m, PR_HTML));
    assert_int_equal(fx_attach_count(m), 3);
    /* 0: the inline image of multipart/related. */
    LPATTACH a = fx_attach(m, 0);
    fx_assert_str(a, PR_ATTACH_CONTENT_ID, "img1@example.org");
    fx_assert_str(a, PR_ATTACH_MIME_TAG, "image/png");
    fx_assert_str(a, PR_ATTACH_LONG_FILENAME, "dot.png");
    assert_int_equal(fx_long(a, PR_ATTACH_FLAGS), ATT_MHTML_REF);
    assert_int_equal(fx_long(a, PR_ATTACHMENT_HIDDEN) & 0xFF, 1);
    assert_int_equal(fx_long(a, PR_ATTACH_METHOD), ATTACH_BY_VALUE);
    size_t len = 0;
    char *png = fx_read_stream(a, PR_ATTACH_DATA_BIN, &len);
    assert_int_equal(len, 70);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    free(png);
    IAttach_Release(a);
    /* 1: a file. */
    a = fx_attach(m, 1);
    fx_assert_str(a, PR_ATTACH_LONG_FILENAME, "quarterly report 2023.pdf");
    fx_assert_str(a, PR_ATTACH_FILENAME, "quarterl.pdf");
    fx_assert_str(a, PR_ATTACH_EXTENSION, ".pdf");
    fx_assert_str(a, PR_DISPLAY_NAME, "quarterly report 2023.pdf");
    fx_assert_str(a, PR_ATTACH_MIME_TAG, "application/pdf");
    assert_false(fx_has(a, PR_ATTACHMENT_HIDDEN));
    char *pdf = fx_read_stream(a, PR_ATTACH_DATA_BIN, &len);
    assert_true(len > 8);
    assert_memory_equal(pdf, "%PDF-1.4", 8);
    free(pdf);
    IAttach_Release(a);
    /* 2: an embedded message holding another. */
    a = fx_attach(m, 2);
    assert_int_equal(fx_long(a, PR_ATTACH_METHOD), ATTACH_EMBEDDED_MSG);
    fx_assert_str(a, PR_DISPLAY_NAME, "The forwarded one");
    LPMESSAGE e = fx_embedded(a);
    fx_assert_str(e, PR_SUBJECT, "The forwarded one");
    fx_assert_str(e, PR_BODY, "Inner body.");
    fx_assert_str(e, PR_DISPLAY_TO, "ada@example.org");
    assert_int_equal(fx_attach_count(e), 1);
    LPATTACH a2 = fx_attach(e, 0);
    LPMESSAGE e2 = fx_embedded(a2);
    fx_assert_str(e2, PR_SUBJECT, "Deepest");
    fx_assert_str(e2, PR_BODY, "Deepest body.");
    IMessage_Release(e2);
    IAttach_Release(a2);
    IMessage_Release(e);
    IAttach_Release(a);
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
    free(text);
}

static void import_checks_its_arguments(void **state)
{
    LPMESSAGE m = fx_new();
    assert_int_equal(fmapi_mime_import_buffer(NULL, 0, m, 0), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_mime_last_error(), "NULL"));
    /* the same text as any freemapi failure */
    assert_string_equal(fmapi_last_error(), fmapi_mime_last_error());
    assert_int_equal(fmapi_last_error_code(), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_mime_import_buffer("x", 1, NULL, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_mime_import_buffer("x", 1, m, 0x80000000u), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(fmapi_mime_import_buffer("x", 1, m, CCSF_USE_RTF), MAPI_E_NO_SUPPORT);
    assert_int_equal(fmapi_mime_import_buffer("x", 1, m, CCSF_USE_TNEF), MAPI_E_NO_SUPPORT);
    assert_int_equal(fmapi_mime_import_fd(-1, m, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_mime_import_stream(NULL, m, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_mime_import_message(NULL, m, 0), MAPI_E_INVALID_PARAMETER);
    IMessage_Release(m);
}

static void import_reads_a_file_descriptor(void **state)
{
    char path[600];
    snprintf(path, sizeof path, "%s/fd.eml", fm_test_tmpdir());
    char *text = fx_data("related.eml", NULL);
    FILE *f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    LPMESSAGE m = fx_new();
    assert_int_equal(fmapi_mime_import_fd(fd, m, 0), S_OK);
    close(fd);
    fx_assert_str(m, PR_SUBJECT, "Picture");
    assert_int_equal(fx_attach_count(m), 3);
    IMessage_Release(m);
    /* A pipe cannot seek: GMime keeps what it reads. */
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], text, strlen(text)), (ssize_t)strlen(text));
    close(p[1]);
    m = fx_new();
    assert_int_equal(fmapi_mime_import_fd(p[0], m, 0), S_OK);
    close(p[0]);
    fx_assert_str(m, PR_SUBJECT, "Picture");
    assert_int_equal(fx_attach_count(m), 3);
    LPATTACH a = fx_attach(m, 1);
    fx_assert_str(a, PR_ATTACH_LONG_FILENAME, "quarterly report 2023.pdf");
    IAttach_Release(a);
    IMessage_Release(m);
    free(text);
}

/* Property tag of a and b holds the same len bytes. */
static void same_stream(void *a, void *b, ULONG tag, size_t len)
{
    size_t na = 0, nb = 0;
    char *x = fx_read_stream(a, tag, &na), *y = fx_read_stream(b, tag, &nb);
    assert_int_equal(na, len);
    assert_int_equal(nb, len);
    assert_memory_equal(x, y, len);
    free(x);
    free(y);
}

/* Parts large enough to be streamed into the store read to their end from
 * a file as from memory: a 228 KB text body, a 200 KB HTML body and a
 * 300 KB attachment, in a regular file and through a pipe. */
static void large_parts_import_from_a_file_descriptor(void **state)
{
    GString *s = g_string_new("From: a@b\r\nSubject: big file\r\nMIME-Version: 1.0\r\n"
                              "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
                              "Content-Type: multipart/alternative; boundary=A\r\n\r\n--A\r\n"
                              "Content-Type: text/plain; charset=utf-8\r\n\r\n");
    for (int i = 0; i < 12000; i++)
        g_string_append(s, "plain line \xE2\x82\xAC 0123\r\n");
    g_string_append(s, "--A\r\nContent-Type: text/html; charset=utf-8\r\n"
                       "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
    for (int i = 0; i < 10000; i++)
        g_string_append(s, "<p>html =E2=82=AC line</p>\r\n");
    g_string_append(s, "--A--\r\n--B\r\nContent-Type: application/octet-stream; name=x.bin\r\n"
                       "Content-Transfer-Encoding: base64\r\n\r\n");
    for (int i = 0; i < 6000; i++)
        g_string_append(s, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v\r\n");
    g_string_append(s, "--B--\r\n");
    LPMESSAGE ref = fx_new();
    assert_int_equal(fmapi_mime_import_buffer(s->str, s->len, ref, 0), S_OK);
    char path[600];
    snprintf(path, sizeof path, "%s/big-fd.eml", fm_test_tmpdir());
    FILE *f = fopen(path, "wb");
    assert_int_equal(fwrite(s->str, 1, s->len, f), s->len);
    fclose(f);
    for (int pass = 0; pass < 2; pass++) {
        int fd = -1;
        pid_t child = -1;
        if (pass == 0) {
            fd = open(path, O_RDONLY);
        } else {
            int p[2];
            assert_int_equal(pipe(p), 0);
            child = fork();
            if (child == 0) {
                close(p[0]);
                size_t off = 0;
                while (off < s->len) {
                    ssize_t n = write(p[1], s->str + off, s->len - off);
                    if (n <= 0)
                        _exit(1);
                    off += (size_t)n;
                }
                _exit(0);
            }
            close(p[1]);
            fd = p[0];
        }
        assert_true(fd >= 0);
        LPMESSAGE m = fx_new();
        HRESULT hr = fmapi_mime_import_fd(fd, m, 0);
        if (hr != S_OK)
            fail_msg("pass %d: %s", pass, fmapi_mime_last_error());
        close(fd);
        if (child > 0)
            assert_int_equal(waitpid(child, NULL, 0), child);
        /* The same as from memory, and whole: every line but the last one's
         * line end, which belongs to the boundary after it. */
        same_stream(m, ref, PR_BODY_W, (12000 * 19 - 2) * sizeof(WCHAR));
        same_stream(m, ref, PR_HTML, 10000 * strlen("<p>html \xE2\x82\xAC line</p>\r\n") - 2);
        assert_int_equal(fx_attach_count(m), 1);
        LPATTACH a = fx_attach(m, 0), b = fx_attach(ref, 0);
        same_stream(a, b, PR_ATTACH_DATA_BIN, 6000 * 48);
        IAttach_Release(a);
        IAttach_Release(b);
        IMessage_Release(m);
    }
    IMessage_Release(ref);
    g_string_free(s, TRUE);
}

static void a_large_attachment_streams_into_the_store(void **state)
{
    /* 3 MB of binary data, base64: more than any single SetProps. */
    size_t n = 3 * 1024 * 1024;
    unsigned char *bin = malloc(n);
    for (size_t i = 0; i < n; i++)
        bin[i] = (unsigned char)(i * 2654435761u >> 24);
    GString *s = g_string_new("From: a@b\r\nSubject: big\r\nMIME-Version: 1.0\r\n"
                              "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
                              "Content-Type: text/plain\r\n\r\nbody\r\n--B\r\n"
                              "Content-Type: application/octet-stream\r\n"
                              "Content-Transfer-Encoding: base64\r\n"
                              "Content-Disposition: attachment; filename=big.bin\r\n\r\n");
    gchar *b64 = g_base64_encode(bin, n);
    size_t b64len = strlen(b64);
    for (size_t i = 0; i < b64len; i += 76) {
        g_string_append_len(s, b64 + i, (gssize)MIN(76, b64len - i));
        g_string_append(s, "\r\n");
    }
    g_string_append(s, "--B--\r\n");
    LPMESSAGE m = fx_import(s->str, 0);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPATTACH a = fx_attach(m, 0);
    size_t len = 0;
    char *data = fx_read_stream(a, PR_ATTACH_DATA_BIN, &len);
    assert_int_equal(len, n);
    assert_memory_equal(data, bin, n);
    free(data);
    IAttach_Release(a);
    IMessage_Release(m);
    g_free(b64);
    g_string_free(s, TRUE);
    free(bin);
}

static void a_large_body_streams_into_the_store(void **state)
{
    GString *s = g_string_new("From: a@b\r\nSubject: long\r\n"
                              "Content-Type: text/plain; charset=utf-8\r\n\r\n");
    for (int i = 0; i < 20000; i++)
        g_string_append(s, "line \xC3\xA9t\xC3\xA9 with accents\r\n");
    LPMESSAGE m = fx_import(s->str, 0);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    size_t len = 0;
    char *w = fx_read_stream(m, PR_BODY_W, &len);
    assert_int_equal(len, 20000 * strlen("line \xC3\xA9t\xC3\xA9 with accents\r\n") * 2 -
                              20000 * 2 * 2);
    assert_int_equal(((WCHAR *)(void *)w)[5], 0xE9);
    free(w);
    IMessage_Release(m);
    g_string_free(s, TRUE);
}

/* ---- leaks and out-of-memory ----------------------------------------------- */
static char *small_multipart;

static HRESULT import_once(void *ctx)
{
    LPMESSAGE m = NULL;
    HRESULT hr = IMAPIFolder_CreateMessage(fx_folder, NULL, 0, &m);
    if (hr != S_OK)
        return hr;
    hr = fmapi_mime_import_buffer(small_multipart, strlen(small_multipart), m, 0);
    IMessage_Release(m);
    return hr;
}

static void import_leaks_nothing_and_survives_every_allocation_failure(void **state)
{
    small_multipart = fx_data("related.eml", NULL);
    assert_int_equal(import_once(NULL), S_OK); /* warm GMime and the store up */
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    assert_int_equal(import_once(NULL), S_OK);
    fm_test_assert_no_leak(&b);
    unsigned points = fm_test_oom_sweep(import_once, NULL);
    assert_true(points > 20);
    free(small_multipart);
}

static int setup(void **state)
{
    fx_open_store("import");
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
        cmocka_unit_test(plain_message_gives_the_envelope_properties),
        cmocka_unit_test(recipients_rows_carry_address_type_and_smtp_address),
        cmocka_unit_test(charsets_and_encoded_words_become_unicode),
        cmocka_unit_test(related_images_attachments_and_embedded_messages),
        cmocka_unit_test(import_checks_its_arguments),
        cmocka_unit_test(import_reads_a_file_descriptor),
        cmocka_unit_test(large_parts_import_from_a_file_descriptor),
        cmocka_unit_test(a_large_attachment_streams_into_the_store),
        cmocka_unit_test(a_large_body_streams_into_the_store),
        cmocka_unit_test(import_leaks_nothing_and_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
