/*
 * tests/mime/test_export.c - MAPI -> MIME (fmapi_mime_export*): the MIME
 * structure written for each kind of content, headers from properties or
 * kept verbatim, the flags, round trips (MIME -> MAPI -> MIME -> MAPI keeps
 * every converted property), argument checks and out-of-memory sweeps.
 */
#include "mime_fixture.h"

/* ---- describing a message, to compare two of them --------------------------- */
static void describe_prop(GString *out, void *obj, ULONG tag)
{
    LPSPropValue v = NULL;
    if (PROP_TYPE(tag) == PT_UNICODE)
        tag = CHANGE_PROP_TYPE(tag, PT_STRING8);
    HRESULT hr = HrGetOneProp((LPMAPIPROP)obj, tag, &v);
    g_string_append_printf(out, "%08lX=", (unsigned long)tag);
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY) {
        size_t len = 0;
        char *s = fx_read_stream(obj, PROP_TYPE(tag) == PT_STRING8 ? CHANGE_PROP_TYPE(tag, PT_UNICODE)
                                                                  : tag, &len);
        unsigned hash = 5381;
        for (size_t i = 0; i < len; i++)
            hash = hash * 33 + (unsigned char)s[i];
        g_string_append_printf(out, "<stream %zu bytes, hash %u>", len, hash);
        free(s);
    } else if (hr != S_OK) {
        g_string_append(out, "(none)");
    } else if (PROP_TYPE(tag) == PT_STRING8) {
        g_string_append_printf(out, "\"%s\"", v->Value.lpszA);
    } else if (PROP_TYPE(tag) == PT_BINARY) {
        for (ULONG i = 0; i < v->Value.bin.cb; i++)
            g_string_append_printf(out, "%02X", v->Value.bin.lpb[i]);
    } else if (PROP_TYPE(tag) == PT_SYSTIME) {
        g_string_append_printf(out, "%lld", fm_test_unix(v->Value.ft));
    } else {
        g_string_append_printf(out, "%ld", (long)v->Value.l);
    }
    g_string_append_c(out, '\n');
    MAPIFreeBuffer(v);
}

/* The header block without the MIME structure headers, which describe the
 * body as written each time (boundaries differ). */
static void describe_headers(GString *out, void *obj, bool bcc)
{
    char *h = fx_str(obj, PR_TRANSPORT_MESSAGE_HEADERS);
    g_string_append(out, "headers:\n");
    if (h == NULL)
        return;
    bool skip = false;
    for (char *line = strtok(h, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        if (line[0] != ' ' && line[0] != '\t')
            skip = g_ascii_strncasecmp(line, "Content-", 8) == 0 ||
                   g_ascii_strncasecmp(line, "MIME-Version", 12) == 0 ||
                   (!bcc && g_ascii_strncasecmp(line, "Bcc:", 4) == 0);
        if (!skip)
            g_string_append_printf(out, "  %s\n", line);
    }
    free(h);
}

static const ULONG MESSAGE_TAGS[] = {
    PR_MESSAGE_CLASS_W, PR_SUBJECT_W, PR_SUBJECT_PREFIX_W, PR_NORMALIZED_SUBJECT_W,
    PR_SENDER_NAME_W, PR_SENDER_EMAIL_ADDRESS_W, PR_SENDER_ADDRTYPE_W, PR_SENDER_SEARCH_KEY,
    PR_SENT_REPRESENTING_NAME_W, PR_SENT_REPRESENTING_EMAIL_ADDRESS_W,
    PR_SENT_REPRESENTING_ADDRTYPE_W, PR_SENT_REPRESENTING_SEARCH_KEY, PR_CLIENT_SUBMIT_TIME,
    PR_MESSAGE_DELIVERY_TIME, PR_INTERNET_MESSAGE_ID_W, PR_IN_REPLY_TO_ID_W,
    PR_INTERNET_REFERENCES_W, PR_IMPORTANCE, PR_PRIORITY, PR_BODY_W, PR_HTML,
    PR_DISPLAY_TO_W, PR_DISPLAY_CC_W, PR_DISPLAY_BCC_W,
};
static const ULONG ATTACH_TAGS[] = {
    PR_ATTACH_METHOD, PR_ATTACH_LONG_FILENAME_W, PR_ATTACH_FILENAME_W, PR_DISPLAY_NAME_W,
    PR_ATTACH_EXTENSION_W, PR_ATTACH_MIME_TAG_W, PR_ATTACH_CONTENT_ID_W, PR_ATTACH_FLAGS,
    PR_ATTACHMENT_HIDDEN, PR_ATTACH_DATA_BIN,
};

static void describe(GString *out, LPMESSAGE m, int depth, bool bcc);

static void describe_recipients(GString *out, LPMESSAGE m)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMessage_GetRecipientTable(m, 0, &t), S_OK);
    SizedSPropTagArray(6, cols) = { 6, { PR_DISPLAY_NAME_A, PR_EMAIL_ADDRESS_A, PR_ADDRTYPE_A,
                                         PR_RECIPIENT_TYPE, PR_SMTP_ADDRESS_A, PR_SEARCH_KEY } };
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows), S_OK);
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPSPropValue v = rows->aRow[i].lpProps;
        g_string_append_printf(out, "recipient %s|%s|%s|%ld|%s|%lu\n", v[0].Value.lpszA,
                               v[1].Value.lpszA, v[2].Value.lpszA, (long)v[3].Value.l,
                               PROP_TYPE(v[4].ulPropTag) == PT_STRING8 ? v[4].Value.lpszA : "-",
                               (unsigned long)(PROP_TYPE(v[5].ulPropTag) == PT_BINARY
                                                   ? v[5].Value.bin.cb : 0));
    }
    FreeProws(rows);
    IMAPITable_Release(t);
}

static void describe(GString *out, LPMESSAGE m, int depth, bool bcc)
{
    for (size_t i = 0; i < sizeof MESSAGE_TAGS / sizeof *MESSAGE_TAGS; i++)
        describe_prop(out, m, MESSAGE_TAGS[i]);
    describe_headers(out, m, bcc);
    describe_recipients(out, m);
    ULONG n = fx_attach_count(m);
    for (ULONG i = 0; i < n; i++) {
        g_string_append_printf(out, "attachment %lu (depth %d)\n", (unsigned long)i, depth);
        LPATTACH a = fx_attach(m, i);
        for (size_t k = 0; k < sizeof ATTACH_TAGS / sizeof *ATTACH_TAGS; k++)
            describe_prop(out, a, ATTACH_TAGS[k]);
        if (fx_long(a, PR_ATTACH_METHOD) == ATTACH_EMBEDDED_MSG) {
            LPMESSAGE e = fx_embedded(a);
            describe(out, e, depth + 1, bcc);
            IMessage_Release(e);
        }
        IAttach_Release(a);
    }
}

/* MIME -> MAPI -> MIME -> MAPI: both MAPI messages describe the same. */
static void assert_round_trip(const char *text, ULONG flags)
{
    LPMESSAGE m1 = fx_import(text, flags);
    assert_int_equal(IMessage_SaveChanges(m1, KEEP_OPEN_READWRITE), S_OK);
    char *mime = fx_export(m1, flags);
    LPMESSAGE m2 = fx_import(mime, flags);
    assert_int_equal(IMessage_SaveChanges(m2, KEEP_OPEN_READWRITE), S_OK);
    GString *d1 = g_string_new(NULL), *d2 = g_string_new(NULL);
    /* Without CCSF_INCLUDE_BCC the Bcc header is not written, by design. */
    bool bcc = (flags & CCSF_INCLUDE_BCC) != 0;
    describe(d1, m1, 0, bcc);
    describe(d2, m2, 0, bcc);
    if (strcmp(d1->str, d2->str) != 0) {
        fprintf(stderr, "---- first\n%s---- second\n%s---- exported\n%s\n", d1->str, d2->str, mime);
        fail_msg("the round trip changed the message");
    }
    g_string_free(d1, TRUE);
    g_string_free(d2, TRUE);
    free(mime);
    IMessage_Release(m1);
    IMessage_Release(m2);
}

static void round_trips_keep_every_converted_property(void **state)
{
    const char *files[] = { "plain.eml", "alternative.eml", "related.eml" };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *text = fx_data(files[i], NULL);
        assert_round_trip(text, 0);
        assert_round_trip(text, CCSF_INCLUDE_BCC);
        free(text);
    }
}

/* ---- the structure written ------------------------------------------------------ */
static GMimeMessage *parse(const char *text)
{
    GMimeStream *s = g_mime_stream_mem_new_with_buffer(text, strlen(text));
    GMimeParser *p = g_mime_parser_new_with_stream(s);
    GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);
    g_object_unref(p);
    g_object_unref(s);
    assert_non_null(msg);
    return msg;
}

static void set_w(void *obj, ULONG tag, const char *utf8)
{
    SPropValue v = { .ulPropTag = CHANGE_PROP_TYPE(tag, PT_STRING8), .Value.lpszA = (LPSTR)utf8 };
    assert_int_equal(HrSetOneProp((LPMAPIPROP)obj, &v), S_OK);
}

/* A message composed in MAPI: no transport headers. */
static LPMESSAGE composed(void)
{
    LPMESSAGE m = fx_new();
    set_w(m, PR_SUBJECT, "Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln");
    set_w(m, PR_SENT_REPRESENTING_NAME, "J\xC3\xBCrgen");
    set_w(m, PR_SENT_REPRESENTING_EMAIL_ADDRESS, "juergen@example.de");
    set_w(m, PR_BODY, "Hallo,\r\nsch\xC3\xB6ne Gr\xC3\xBC\xC3\x9F" "e.\r\n");
    set_w(m, PR_INTERNET_MESSAGE_ID, "<composed@example.de>");
    SPropValue imp = { .ulPropTag = PR_IMPORTANCE, .Value.l = IMPORTANCE_HIGH };
    assert_int_equal(HrSetOneProp((LPMAPIPROP)m, &imp), S_OK);
    SPropValue t = { .ulPropTag = PR_CLIENT_SUBMIT_TIME };
    t.Value.ft.dwHighDateTime = 0x01D91F6C; /* some time in 2023 */
    assert_int_equal(HrSetOneProp((LPMAPIPROP)m, &t), S_OK);
    SPropValue r[3][3] = {
        { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "Zo\xC3\xAB" },
          { .ulPropTag = PR_EMAIL_ADDRESS_A, .Value.lpszA = "zoe@example.de" },
          { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO } },
        { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "cc@example.de" },
          { .ulPropTag = PR_EMAIL_ADDRESS_A, .Value.lpszA = "cc@example.de" },
          { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_CC } },
        { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "Secret" },
          { .ulPropTag = PR_EMAIL_ADDRESS_A, .Value.lpszA = "bcc@example.de" },
          { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_BCC } },
    };
    SizedADRLIST(3, al) = { 3, { { 0, 3, r[0] }, { 0, 3, r[1] }, { 0, 3, r[2] } } };
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_ADD, (LPADRLIST)&al), S_OK);
    return m;
}

static void composed_message_gets_headers_from_its_properties(void **state)
{
    LPMESSAGE m = composed();
    char *mime = fx_export(m, CCSF_SMTP);
    /* Non-ASCII header text is RFC 2047-encoded, the body quoted-printable. */
    for (const unsigned char *p = (const unsigned char *)mime; *p; p++)
        assert_true(*p < 0x80);
    assert_non_null(strstr(mime, "\r\nMIME-Version: 1.0\r\n"));
    assert_non_null(strstr(mime, "Message-ID: <composed@example.de>\r\n"));
    assert_non_null(strstr(mime, "Importance: high\r\n"));
    assert_non_null(strstr(mime, "X-Priority: 1\r\n"));
    assert_null(strstr(mime, "bcc@example.de"));
    assert_true(strstr(mime, "Content-Transfer-Encoding: quoted-printable") != NULL ||
                strstr(mime, "Content-Transfer-Encoding: base64") != NULL);
    GMimeMessage *msg = parse(mime);
    assert_string_equal(g_mime_message_get_subject(msg), "Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln");
    InternetAddressList *to = g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_TO);
    assert_int_equal(internet_address_list_length(to), 1);
    assert_string_equal(internet_address_get_name(internet_address_list_get_address(to, 0)),
                        "Zo\xC3\xAB");
    GMimeObject *body = g_mime_message_get_mime_part(msg);
    assert_true(GMIME_IS_TEXT_PART(body));
    char *text = g_mime_text_part_get_text((GMimeTextPart *)body);
    assert_string_equal(text, "Hallo,\r\nsch\xC3\xB6ne Gr\xC3\xBC\xC3\x9F" "e.\r\n");
    g_free(text);
    g_object_unref(msg);
    free(mime);
    /* The flags: Bcc included, no Message-ID, 8-bit headers accepted. */
    mime = fx_export(m, CCSF_INCLUDE_BCC | CCSF_NO_MSGID | CCSF_8BITHEADERS);
    assert_non_null(strstr(mime, "bcc@example.de"));
    assert_null(strstr(mime, "Message-ID"));
    free(mime);
    /* Import of the export gives the same envelope. */
    mime = fx_export(m, CCSF_INCLUDE_BCC);
    LPMESSAGE back = fx_import(mime, CCSF_INCLUDE_BCC);
    fx_assert_str(back, PR_SUBJECT, "Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln");
    fx_assert_str(back, PR_SENT_REPRESENTING_NAME, "J\xC3\xBCrgen");
    fx_assert_str(back, PR_DISPLAY_TO, "Zo\xC3\xAB");
    fx_assert_str(back, PR_DISPLAY_BCC, "Secret");
    fx_assert_str(back, PR_BODY, "Hallo,\r\nsch\xC3\xB6ne Gr\xC3\xBC\xC3\x9F" "e.\r\n");
    assert_int_equal(fx_long(back, PR_IMPORTANCE), IMPORTANCE_HIGH);
    LPSPropValue t1 = NULL, t2 = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_CLIENT_SUBMIT_TIME, &t1), S_OK);
    assert_int_equal(HrGetOneProp((LPMAPIPROP)back, PR_CLIENT_SUBMIT_TIME, &t2), S_OK);
    assert_int_equal(fm_test_unix(t1->Value.ft), fm_test_unix(t2->Value.ft));
    MAPIFreeBuffer(t1);
    MAPIFreeBuffer(t2);
    IMessage_Release(back);
    free(mime);
    IMessage_Release(m);
}

static void structure_follows_the_content(void **state)
{
    char *text = fx_data("related.eml", NULL);
    LPMESSAGE m = fx_import(text, 0);
    char *mime = fx_export(m, 0);
    GMimeMessage *msg = parse(mime);
    GMimeObject *top = g_mime_message_get_mime_part(msg);
    assert_true(g_mime_content_type_is_type(g_mime_object_get_content_type(top), "multipart",
                                            "mixed"));
    GMimeMultipart *mixed = (GMimeMultipart *)top;
    assert_int_equal(g_mime_multipart_get_count(mixed), 3);
    GMimeObject *alt = g_mime_multipart_get_part(mixed, 0);
    assert_true(g_mime_content_type_is_type(g_mime_object_get_content_type(alt), "multipart",
                                            "alternative"));
    GMimeObject *rel = g_mime_multipart_get_part((GMimeMultipart *)alt, 1);
    assert_true(g_mime_content_type_is_type(g_mime_object_get_content_type(rel), "multipart",
                                            "related"));
    GMimeObject *img = g_mime_multipart_get_part((GMimeMultipart *)rel, 1);
    assert_string_equal(g_mime_object_get_content_id(img), "img1@example.org");
    assert_int_equal(g_mime_part_get_content_encoding((GMimePart *)img),
                     GMIME_CONTENT_ENCODING_BASE64);
    assert_true(GMIME_IS_MESSAGE_PART(g_mime_multipart_get_part(mixed, 2)));
    g_object_unref(msg);
    free(mime);
    /* Plain text only: one text/plain part plus the attachments. */
    mime = fx_export(m, CCSF_PLAIN_TEXT_ONLY);
    assert_null(strstr(mime, "text/html"));
    assert_null(strstr(mime, "multipart/alternative"));
    free(mime);
    IMessage_Release(m);
    free(text);
}

static HRESULT failing_writer(void *ctx, const void *data, size_t len)
{
    return MAPI_E_DISK_ERROR;
}

static void export_checks_its_arguments_and_reports_writer_errors(void **state)
{
    LPMESSAGE m = composed();
    fx_buf b = { 0 };
    assert_int_equal(fmapi_mime_export(NULL, 0, fx_buf_write, &b), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_mime_export(m, 0, NULL, &b), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_mime_export(m, 0x80000000u, fx_buf_write, &b), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(fmapi_mime_export(m, CCSF_USE_RTF, fx_buf_write, &b), MAPI_E_NO_SUPPORT);
    assert_int_equal(fmapi_mime_export_fd(m, 0, -1), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_mime_export_message(m, 0, NULL), MAPI_E_INVALID_PARAMETER);
    assert_null(b.data);
    assert_int_equal(fmapi_mime_export(m, 0, failing_writer, NULL), MAPI_E_DISK_ERROR);
    assert_non_null(strstr(fmapi_mime_last_error(), "writer"));
    IMessage_Release(m);
}

static void export_writes_to_a_descriptor_and_a_gmime_message(void **state)
{
    LPMESSAGE m = composed();
    char path[600];
    snprintf(path, sizeof path, "%s/out.eml", fm_test_tmpdir());
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    assert_int_equal(fmapi_mime_export_fd(m, 0, fd), S_OK);
    close(fd);
    char *want = fx_export(m, 0);
    FILE *f = fopen(path, "rb");
    char got[8192];
    size_t n = fread(got, 1, sizeof got - 1, f);
    fclose(f);
    got[n] = '\0';
    assert_string_equal(got, want);
    free(want);
    struct _GMimeMessage *msg = NULL;
    assert_int_equal(fmapi_mime_export_message(m, 0, &msg), S_OK);
    assert_string_equal(g_mime_message_get_subject((GMimeMessage *)msg),
                        "Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln");
    g_object_unref(msg);
    IMessage_Release(m);
}

static void large_bodies_and_attachments_export_from_their_streams(void **state)
{
    GString *s = g_string_new("From: a@b\r\nSubject: big\r\nMIME-Version: 1.0\r\n"
                              "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
                              "Content-Type: text/plain; charset=utf-8\r\n\r\n");
    for (int i = 0; i < 10000; i++)
        g_string_append(s, "a long body line \xE2\x82\xAC\r\n");
    g_string_append(s, "--B\r\nContent-Type: application/octet-stream\r\n"
                       "Content-Transfer-Encoding: base64\r\n\r\n");
    for (int i = 0; i < 40000; i++)
        g_string_append(s, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v\r\n");
    g_string_append(s, "--B--\r\n");
    assert_round_trip(s->str, 0);
    g_string_free(s, TRUE);
}

static void flags_for_headers_and_unsent_messages(void **state)
{
    char *text = fx_data("plain.eml", NULL);
    LPMESSAGE m = fx_import(text, 0);
    /* Kept headers by default; CCSF_NOHEADERS builds them from properties. */
    char *mime = fx_export(m, 0);
    assert_non_null(strstr(mime, "Received: from client by mx.example.org"));
    free(mime);
    mime = fx_export(m, CCSF_NOHEADERS);
    assert_null(strstr(mime, "Received:"));
    assert_non_null(strstr(mime, "Subject: RE: The analytical engine"));
    assert_non_null(strstr(mime, "Message-ID: <msg1@example.org>"));
    free(mime);
    mime = fx_export(m, CCSF_NO_MSGID);
    assert_null(strstr(mime, "Message-ID"));
    free(mime);
    IMessage_Release(m);
    free(text);
    /* X-Unsent: written and read back with CCSF_EMBEDDED_MESSAGE only. */
    m = composed();
    SPropValue f = { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = MSGFLAG_UNSENT };
    assert_int_equal(HrSetOneProp((LPMAPIPROP)m, &f), S_OK);
    mime = fx_export(m, CCSF_EMBEDDED_MESSAGE);
    assert_non_null(strstr(mime, "X-Unsent: 1\r\n"));
    /* Imported with the flag: read, and a draft only when X-Unsent says 1
     * (MIMEToMAPI's documented behaviour); without it X-Unsent is ignored
     * and the message is what the store makes a new one: unsent. */
    LPMESSAGE back = fx_import(mime, CCSF_EMBEDDED_MESSAGE);
    assert_int_equal(fx_long(back, PR_MESSAGE_FLAGS) & (MSGFLAG_UNSENT | MSGFLAG_READ),
                     MSGFLAG_UNSENT | MSGFLAG_READ);
    IMessage_Release(back);
    free(mime);
    back = fx_import("Subject: sent\r\nX-Unsent: 0\r\n\r\nbody\r\n", CCSF_EMBEDDED_MESSAGE);
    assert_int_equal(fx_long(back, PR_MESSAGE_FLAGS) & (MSGFLAG_UNSENT | MSGFLAG_READ),
                     MSGFLAG_READ);
    IMessage_Release(back);
    back = fx_import("Subject: sent\r\n\r\nbody\r\n", CCSF_EMBEDDED_MESSAGE);
    assert_int_equal(fx_long(back, PR_MESSAGE_FLAGS) & MSGFLAG_UNSENT, 0);
    IMessage_Release(back);
    back = fx_import("Subject: draft\r\nX-Unsent: 10\r\n\r\nbody\r\n", CCSF_EMBEDDED_MESSAGE);
    assert_int_equal(fx_long(back, PR_MESSAGE_FLAGS) & MSGFLAG_UNSENT, 0);
    IMessage_Release(back);
    back = fx_import("Subject: draft\r\nX-Unsent: 1\r\n\r\nbody\r\n", 0);
    assert_int_equal(fx_long(back, PR_MESSAGE_FLAGS) & MSGFLAG_UNSENT, MSGFLAG_UNSENT);
    IMessage_Release(back);
    mime = fx_export(m, 0);
    assert_null(strstr(mime, "X-Unsent"));
    free(mime);
    IMessage_Release(m);
}

static void gmime_streams_and_messages_are_accepted(void **state)
{
    char *text = fx_data("alternative.eml", NULL);
    GMimeStream *s = g_mime_stream_mem_new_with_buffer(text, strlen(text));
    LPMESSAGE m = fx_new();
    assert_int_equal(fmapi_mime_import_stream((struct _GMimeStream *)s, m, 0), S_OK);
    fx_assert_str(m, PR_SUBJECT, "Caf\xC3\xA9 cr\xC3\xA8me");
    IMessage_Release(m);
    g_object_unref(s);
    GMimeMessage *msg = parse(text);
    m = fx_new();
    assert_int_equal(fmapi_mime_import_message((struct _GMimeMessage *)msg, m, 0), S_OK);
    assert_true(fx_has(m, PR_HTML));
    g_object_unref(msg);
    struct _GMimeMessage *out = NULL;
    assert_int_equal(fmapi_mime_export_message(m, 0, &out), S_OK);
    GMimeObject *top = g_mime_message_get_mime_part((GMimeMessage *)out);
    assert_true(g_mime_content_type_is_type(g_mime_object_get_content_type(top), "multipart",
                                            "alternative"));
    g_object_unref(out);
    IMessage_Release(m);
    free(text);
}

/* ---- leaks and out-of-memory ----------------------------------------------- */
static LPMESSAGE sweep_message;

static HRESULT discard(void *ctx, const void *data, size_t len)
{
    return S_OK;
}

static HRESULT export_once(void *ctx)
{
    return fmapi_mime_export(sweep_message, 0, discard, NULL);
}

static void export_leaks_nothing_and_survives_every_allocation_failure(void **state)
{
    char *text = fx_data("related.eml", NULL);
    sweep_message = fx_import(text, 0);
    assert_int_equal(IMessage_SaveChanges(sweep_message, KEEP_OPEN_READWRITE), S_OK);
    assert_int_equal(export_once(NULL), S_OK);
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    assert_int_equal(export_once(NULL), S_OK);
    fm_test_assert_no_leak(&b);
    unsigned points = fm_test_oom_sweep(export_once, NULL);
    assert_true(points > 10);
    IMessage_Release(sweep_message);
    free(text);
}

/* ---- the GMime entry point -------------------------------------------------- */
/* The same message written the way GMime writes a GMimeMessage. */
static char *export_through_gmime(LPMESSAGE m, ULONG flags)
{
    struct _GMimeMessage *msg = NULL;
    assert_int_equal(fmapi_mime_export_message(m, flags, &msg), S_OK);
    GMimeFormatOptions *o = g_mime_format_options_new();
    g_mime_format_options_set_newline_format(o, GMIME_NEWLINE_FORMAT_DOS);
    GMimeStream *s = g_mime_stream_mem_new();
    assert_true(g_mime_object_write_to_stream((GMimeObject *)msg, o, s) >= 0);
    GByteArray *bytes = g_mime_stream_mem_get_byte_array((GMimeStreamMem *)s);
    char *out = g_strndup((const char *)bytes->data, bytes->len);
    g_object_unref(s);
    g_mime_format_options_free(o);
    g_object_unref(msg);
    return out;
}

/* What importing text gives, described. */
static char *imported(const char *text, ULONG flags)
{
    LPMESSAGE m = fx_import(text, flags);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    GString *d = g_string_new(NULL);
    describe(d, m, 0, (flags & CCSF_INCLUDE_BCC) != 0);
    IMessage_Release(m);
    return g_string_free(d, FALSE);
}

static unsigned compare_directory(const char *sub)
{
    char dir[1024];
    const char *slash = strrchr(__FILE__, '/');
    snprintf(dir, sizeof dir, "%.*s/%s", slash ? (int)(slash - __FILE__) : 1,
             slash ? __FILE__ : ".", sub);
    GDir *d = g_dir_open(dir, 0, NULL);
    assert_non_null(d);
    unsigned n = 0;
    const char *name;
    static const ULONG flag_sets[] = { 0, CCSF_INCLUDE_BCC | CCSF_NO_MSGID,
                                       CCSF_EMBEDDED_MESSAGE | CCSF_NOHEADERS };
    while ((name = g_dir_read_name(d)) != NULL) {
        if (!g_str_has_suffix(name, ".eml"))
            continue;
        char *path = g_build_filename(dir, name, NULL);
        gchar *text = NULL;
        gsize len = 0;
        assert_true(g_file_get_contents(path, &text, &len, NULL));
        LPMESSAGE m = fx_new();
        /* A malformed message kept as it came is GMime's to write as it
         * can: only messages GMime reads as they are are compared. */
        if (fmapi_mime_import_buffer(text, len, m, 0) == S_OK &&
            fmapi_mime_last_warnings()[0] == '\0' &&
            IMessage_SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK) {
            for (size_t k = 0; k < sizeof flag_sets / sizeof *flag_sets; k++) {
                char *fast = fx_export(m, flag_sets[k]);
                char *slow = export_through_gmime(m, flag_sets[k]);
                ULONG in = flag_sets[k] & (CCSF_INCLUDE_BCC | CCSF_EMBEDDED_MESSAGE);
                char *a = imported(fast, in), *b = imported(slow, in);
                if (strcmp(a, b) != 0)
                    fail_msg("%s (flags 0x%lX): the GMime message differs from the export:\n"
                             "--- export ---\n%s\n--- GMime ---\n%s", name,
                             (unsigned long)flag_sets[k], a, b);
                g_free(a);
                g_free(b);
                free(fast);
                g_free(slow);
            }
            n++;
        }
        IMessage_Release(m);
        g_free(text);
        g_free(path);
    }
    g_dir_close(d);
    return n;
}

/* fmapi_mime_export_message gives the message the other export functions
 * write: GMime writing it gives what imports as the same message, over
 * every test message and the fuzzing seeds. */
static void the_gmime_message_is_the_message_written(void **state)
{
    unsigned n = compare_directory("data") + compare_directory("data/corpus") +
                 compare_directory("../../fuzz/corpus/mime");
    assert_true(n >= 50);
}

/* A header block another program stored: fields are kept verbatim with
 * CRLF line ends; lines that are not fields, and anything after an empty
 * line, are dropped; the structure headers, Bcc and Message-ID follow the
 * flags. */
static void a_stored_header_block_is_cleaned_as_it_is_written(void **state)
{
    LPMESSAGE m = fx_new();
    set_w(m, PR_TRANSPORT_MESSAGE_HEADERS,
          " orphan continuation\n"
          "Received: from a\n\tby b; Mon, 1 Jan 2024 00:00:00 +0000\n"
          "not a header line\n"
          "From: Ada <ada@example.org>\r\n"
          "Subject : obsolete spacing\n"
          "Bcc: hidden@example.org\n"
          "Message-ID: <stored@example.org>\n"
          "Content-Type: image/gif\n"
          "MIME-Version: 9.9\n"
          "X-Last: no line end");
    set_w(m, PR_BODY, "text\r\n");
    char *out = fx_export(m, 0);
    const char *want = "Received: from a\r\n\tby b; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
                       "From: Ada <ada@example.org>\r\n"
                       "Subject : obsolete spacing\r\n"
                       "Message-ID: <stored@example.org>\r\n"
                       "X-Last: no line end\r\n"
                       "MIME-Version: 1.0\r\n"
                       "Content-Type: text/plain";
    if (strncmp(out, want, strlen(want)) != 0)
        fail_msg("got:\n%s", out);
    assert_null(strstr(out, "orphan"));
    assert_null(strstr(out, "not a header"));
    assert_null(strstr(out, "image/gif"));
    free(out);
    out = fx_export(m, CCSF_INCLUDE_BCC | CCSF_NO_MSGID);
    assert_non_null(strstr(out, "\r\nBcc: hidden@example.org\r\n"));
    assert_null(strstr(out, "stored@example.org"));
    free(out);
    /* A kept X-Unsent is the state at import: with CCSF_EMBEDDED_MESSAGE the
     * message's flags say it instead (this one was saved as sent). */
    set_w(m, PR_TRANSPORT_MESSAGE_HEADERS, "X-Unsent: 1\r\nX-Other: 2\r\n");
    SPropValue sent = { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = MSGFLAG_READ };
    assert_int_equal(HrSetOneProp((LPMAPIPROP)m, &sent), S_OK);
    out = fx_export(m, CCSF_EMBEDDED_MESSAGE);
    assert_null(strstr(out, "X-Unsent"));
    assert_non_null(strstr(out, "X-Other: 2\r\n"));
    free(out);
    out = fx_export(m, 0);
    assert_non_null(strstr(out, "X-Unsent: 1\r\n"));
    free(out);
    /* An empty line ends the block. */
    set_w(m, PR_TRANSPORT_MESSAGE_HEADERS, "X-One: 1\r\n\r\nX-Two: 2\r\n");
    out = fx_export(m, 0);
    assert_non_null(strstr(out, "X-One: 1\r\n"));
    assert_null(strstr(out, "X-Two"));
    free(out);
    IMessage_Release(m);
}

static int setup(void **state)
{
    fx_open_store("export");
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
        cmocka_unit_test(round_trips_keep_every_converted_property),
        cmocka_unit_test(composed_message_gets_headers_from_its_properties),
        cmocka_unit_test(structure_follows_the_content),
        cmocka_unit_test(export_checks_its_arguments_and_reports_writer_errors),
        cmocka_unit_test(export_writes_to_a_descriptor_and_a_gmime_message),
        cmocka_unit_test(large_bodies_and_attachments_export_from_their_streams),
        cmocka_unit_test(flags_for_headers_and_unsent_messages),
        cmocka_unit_test(gmime_streams_and_messages_are_accepted),
        cmocka_unit_test(export_leaks_nothing_and_survives_every_allocation_failure),
        cmocka_unit_test(the_gmime_message_is_the_message_written),
        cmocka_unit_test(a_stored_header_block_is_cleaned_as_it_is_written),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
