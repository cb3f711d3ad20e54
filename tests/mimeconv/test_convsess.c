/*
 * tests/mimeconv/test_convsess.c - IConverterSession made by
 * CoCreateInstance, on messages of a real store: MIMEToMAPI from an IStream,
 * MAPIToMIMEStm into one, the options (SetEncoding on the outermost body,
 * SetTextWrapping, SetSaveFormat(SAVE_RFC822) with uuencoded attachments),
 * the documented refusals (E_INVALIDARG), and the COM entry points of
 * objbase.h.
 */
#include <gmime/gmime.h>

#include "../store/store_fixture.h"
#include "freemapi_error.h"
#include "iconvertersession.h"
#include "objbase.h"

static LPMDB mdb;
static LPMAPIFOLDER inbox;
static IConverterSession *cs;

static const char EML[] =
    "From: Ann Example <ann@example.org>\r\n"
    "To: Bob Example <bob@example.org>\r\n"
    "Subject: converter\r\n"
    "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
    "Message-ID: <conv-1@example.org>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n"
    "--b1\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "The quick brown fox jumps over the lazy dog and then it runs far away \xc3\xa9t\xc3\xa9.\r\n"
    "Short line.\r\n"
    "--b1\r\n"
    "Content-Type: application/octet-stream; name=\"data.bin\"\r\n"
    "Content-Disposition: attachment; filename=\"data.bin\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\r\n"
    "OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3Bx\r\n"
    "--b1--\r\n";

static int setup(void **state)
{
    g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
    mdb = fx_new_store("convsess");
    inbox = fx_inbox(mdb);
    assert_int_equal(CoInitialize(NULL), S_OK);
    assert_int_equal(CoCreateInstance(&CLSID_IConverterSession, NULL, CLSCTX_INPROC_SERVER,
                                      &IID_IConverterSession, (LPVOID *)&cs),
                     S_OK);
    return 0;
}

static int teardown(void **state)
{
    cs->lpVtbl->Release(cs);
    CoUninitialize();
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    return 0;
}

static LPSTREAM temp_stream(void)
{
    LPSTREAM s = NULL;
    assert_int_equal(OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer,
                                      STGM_CREATE | STGM_READWRITE | SOF_UNIQUEFILENAME |
                                          STGM_DELETEONRELEASE,
                                      (LPSTR)fm_test_tmpdir(), (LPSTR) "cs", &s),
                     S_OK);
    return s;
}

static void rewind_stream(LPSTREAM s)
{
    LARGE_INTEGER zero = { 0 };
    assert_int_equal(IStream_Seek(s, zero, STREAM_SEEK_SET, NULL), S_OK);
}

static LPSTREAM stream_of(const char *text)
{
    LPSTREAM s = temp_stream();
    ULONG put = 0;
    assert_int_equal(IStream_Write(s, text, (ULONG)strlen(text), &put), S_OK);
    rewind_stream(s);
    return s;
}

/* The whole stream from its start (NUL-terminated; g_free). */
static char *stream_text(LPSTREAM s)
{
    rewind_stream(s);
    GString *out = g_string_new(NULL);
    char buf[4096];
    ULONG got = 0;
    while (IStream_Read(s, buf, sizeof buf, &got) == S_OK && got > 0)
        g_string_append_len(out, buf, got);
    return g_string_free(out, FALSE);
}

static LPMESSAGE imported(void)
{
    LPMESSAGE m = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &m), S_OK);
    LPSTREAM s = stream_of(EML);
    assert_int_equal(cs->lpVtbl->MIMEToMAPI(cs, s, m, NULL, CCSF_SMTP), S_OK);
    IStream_Release(s);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    return m;
}

static char *exported(LPMESSAGE m, ULONG flags)
{
    LPSTREAM out = temp_stream();
    HRESULT hr = cs->lpVtbl->MAPIToMIMEStm(cs, m, out, flags);
    if (hr != S_OK)
        fail_msg("MAPIToMIMEStm: %08lx %s", (unsigned long)hr, fmapi_last_error());
    char *text = stream_text(out);
    IStream_Release(out);
    return text;
}

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

/* The first part of the given type, depth first. */
static GMimeObject *find_part(GMimeObject *o, const char *type, const char *subtype)
{
    if (GMIME_IS_MULTIPART(o)) {
        int n = g_mime_multipart_get_count((GMimeMultipart *)o);
        for (int i = 0; i < n; i++) {
            GMimeObject *f = find_part(g_mime_multipart_get_part((GMimeMultipart *)o, i), type,
                                       subtype);
            if (f != NULL)
                return f;
        }
        return NULL;
    }
    return g_mime_content_type_is_type(g_mime_object_get_content_type(o), type, subtype) ? o
                                                                                        : NULL;
}

static char *part_text(GMimeObject *o)
{
    GByteArray *b = g_byte_array_new();
    GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(b);
    g_mime_stream_mem_set_owner((GMimeStreamMem *)mem, FALSE);
    g_mime_data_wrapper_write_to_stream(g_mime_part_get_content((GMimePart *)o), mem);
    g_object_unref(mem);
    g_byte_array_append(b, (const guint8 *)"", 1);
    return (char *)g_byte_array_free(b, FALSE);
}

/* ---- making the object -------------------------------------------------------- */
static void test_create(void **state)
{
    LPVOID p = (LPVOID)1;
    assert_int_equal(CoCreateInstance(&IID_IMAPITable, NULL, CLSCTX_INPROC_SERVER,
                                      &IID_IConverterSession, &p),
                     REGDB_E_CLASSNOTREG);
    assert_null(p);
    assert_int_equal(CoCreateInstance(&CLSID_IConverterSession, NULL, CLSCTX_LOCAL_SERVER,
                                      &IID_IConverterSession, &p),
                     REGDB_E_CLASSNOTREG);
    assert_int_equal(CoCreateInstance(&CLSID_IConverterSession, (LPUNKNOWN)cs, CLSCTX_ALL,
                                      &IID_IConverterSession, &p),
                     CLASS_E_NOAGGREGATION);
    assert_int_equal(CoCreateInstance(&CLSID_IConverterSession, NULL, CLSCTX_ALL,
                                      &IID_IMAPIProp, &p),
                     E_NOINTERFACE);
    assert_null(p);
    LPUNKNOWN unk = NULL;
    assert_int_equal(CoCreateInstance(&CLSID_IConverterSession, NULL, CLSCTX_INPROC,
                                      &IID_IUnknown, (LPVOID *)&unk),
                     S_OK);
    IConverterSession *again = NULL;
    assert_int_equal(unk->lpVtbl->QueryInterface(unk, &IID_IConverterSession, (LPVOID *)&again),
                     S_OK);
    assert_ptr_equal(again, unk);
    assert_int_equal(again->lpVtbl->PlaceHolder1(again), E_NOTIMPL);
    assert_int_equal(again->lpVtbl->PlaceHolder5(again), E_NOTIMPL);
    assert_int_equal(again->lpVtbl->Release(again), 1);
    assert_int_equal(unk->lpVtbl->Release(unk), 0);
}

static void test_com(void **state)
{
    /* setup initialised this thread once already */
    assert_int_equal(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_FALSE);
    CoUninitialize();
    assert_int_equal(CoInitializeEx((LPVOID)1, COINIT_MULTITHREADED), E_INVALIDARG);
    char *p = CoTaskMemAlloc(10);
    assert_non_null(p);
    memcpy(p, "123456789", 10);
    p = CoTaskMemRealloc(p, 100000);
    assert_non_null(p);
    assert_string_equal(p, "123456789");
    CoTaskMemFree(p);
    CoTaskMemFree(NULL);
}

/* ---- conversions --------------------------------------------------------------- */
static void test_round_trip(void **state)
{
    LPMESSAGE m = imported();
    LPSPropValue subject = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_SUBJECT_A, &subject), S_OK);
    assert_string_equal(subject->Value.lpszA, "converter");
    MAPIFreeBuffer(subject);
    char *text = exported(m, CCSF_SMTP);
    assert_non_null(strstr(text, "Subject: converter\r\n"));
    assert_non_null(strstr(text, "data.bin"));
    GMimeMessage *msg = parse(text);
    GMimeObject *body = find_part(g_mime_message_get_mime_part(msg), "text", "plain");
    assert_non_null(body);
    char *t = part_text(body);
    assert_non_null(strstr(t, "lazy dog and then it runs far away \xc3\xa9t\xc3\xa9."));
    g_free(t);
    g_object_unref(msg);
    g_free(text);
    IMessage_Release(m);
}

static void test_refusals(void **state)
{
    LPMESSAGE m = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &m), S_OK);
    LPSTREAM s = stream_of(EML);
    assert_int_equal(cs->lpVtbl->MIMEToMAPI(cs, NULL, m, NULL, 0), E_INVALIDARG);
    assert_int_equal(cs->lpVtbl->MIMEToMAPI(cs, s, NULL, NULL, 0), E_INVALIDARG);
    assert_int_equal(cs->lpVtbl->MIMEToMAPI(cs, s, m, "server", 0), E_INVALIDARG);
    assert_int_equal(cs->lpVtbl->MIMEToMAPI(cs, s, m, NULL, 0x1), E_INVALIDARG);
    assert_int_equal(cs->lpVtbl->MIMEToMAPI(cs, s, m, NULL, CCSF_NO_MSGID), E_INVALIDARG);
    assert_int_equal(cs->lpVtbl->MAPIToMIMEStm(cs, NULL, s, CCSF_SMTP), E_INVALIDARG);
    assert_int_equal(cs->lpVtbl->MAPIToMIMEStm(cs, m, NULL, CCSF_SMTP), E_INVALIDARG);
    assert_int_equal(cs->lpVtbl->MAPIToMIMEStm(cs, m, s, 0x80000000u), E_INVALIDARG);
    assert_int_equal(cs->lpVtbl->SetEncoding(cs, IET_BINARY), E_INVALIDARG);
    assert_int_equal(cs->lpVtbl->SetEncoding(cs, IET_UNICODE), E_INVALIDARG);
    assert_int_equal(cs->lpVtbl->SetSaveFormat(cs, (MIMESAVETYPE)7), E_INVALIDARG);
    assert_int_equal(cs->lpVtbl->SetCharSet(cs, FALSE, NULL, CSET_APPLY_ALL), S_OK);
    assert_int_equal(cs->lpVtbl->SetCharSet(cs, TRUE, (HCHARSET)s, CSET_APPLY_ALL),
                     MAPI_E_NO_SUPPORT);
    assert_int_equal(cs->lpVtbl->SetAdrBook(cs, NULL), S_OK);
    /* global (RFC 6530) and preserve-source are accepted */
    assert_int_equal(cs->lpVtbl->MIMEToMAPI(cs, s, m, NULL,
                                            CCSF_SMTP | CCSF_GLOBAL_MESSAGE |
                                                CCSF_PRESERVE_SOURCE),
                     S_OK);
    IStream_Release(s);
    IMessage_Release(m);
}

static void test_encoding(void **state)
{
    LPMESSAGE m = imported();
    assert_int_equal(cs->lpVtbl->SetEncoding(cs, IET_BASE64), S_OK);
    char *text = exported(m, CCSF_SMTP);
    GMimeMessage *msg = parse(text);
    GMimeObject *top = g_mime_message_get_mime_part(msg);
    GMimeObject *body = find_part(top, "text", "plain");
    assert_int_equal(g_mime_part_get_content_encoding((GMimePart *)body),
                     GMIME_CONTENT_ENCODING_BASE64);
    char *t = part_text(body);
    assert_non_null(strstr(t, "far away \xc3\xa9t\xc3\xa9."));
    g_free(t);
    g_object_unref(msg);
    g_free(text);

    /* 7bit cannot carry the accented letters: quoted-printable */
    assert_int_equal(cs->lpVtbl->SetEncoding(cs, IET_7BIT), S_OK);
    text = exported(m, CCSF_SMTP);
    msg = parse(text);
    body = find_part(g_mime_message_get_mime_part(msg), "text", "plain");
    assert_int_equal(g_mime_part_get_content_encoding((GMimePart *)body),
                     GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
    g_object_unref(msg);
    g_free(text);

    assert_int_equal(cs->lpVtbl->SetEncoding(cs, IET_8BIT), S_OK);
    text = exported(m, CCSF_SMTP);
    msg = parse(text);
    body = find_part(g_mime_message_get_mime_part(msg), "text", "plain");
    assert_int_equal(g_mime_part_get_content_encoding((GMimePart *)body),
                     GMIME_CONTENT_ENCODING_8BIT);
    /* the attachment keeps the converter's choice */
    GMimeObject *att = find_part(g_mime_message_get_mime_part(msg), "application", "*");
    assert_int_equal(g_mime_part_get_content_encoding((GMimePart *)att),
                     GMIME_CONTENT_ENCODING_BASE64);
    assert_non_null(strstr(text, "\r\n"));
    assert_null(strstr(text, "\r\r"));
    g_object_unref(msg);
    g_free(text);
    IMessage_Release(m);

    /* back to the converter's own choice for the tests after */
    IConverterSession *fresh = NULL;
    assert_int_equal(CoCreateInstance(&CLSID_IConverterSession, NULL, CLSCTX_INPROC_SERVER,
                                      &IID_IConverterSession, (LPVOID *)&fresh),
                     S_OK);
    cs->lpVtbl->Release(cs);
    cs = fresh;
}

static void test_wrapping(void **state)
{
    LPMESSAGE m = imported();
    assert_int_equal(cs->lpVtbl->SetTextWrapping(cs, TRUE, 20), S_OK);
    char *text = exported(m, CCSF_SMTP);
    GMimeMessage *msg = parse(text);
    GMimeObject *body = find_part(g_mime_message_get_mime_part(msg), "text", "plain");
    char *t = part_text(body);
    /* every line at most 20 characters, the words all there */
    gchar **lines = g_strsplit(t, "\n", -1);
    GString *joined = g_string_new(NULL);
    for (int i = 0; lines[i] != NULL; i++) {
        g_strchomp(lines[i]);
        assert_true(g_utf8_strlen(lines[i], -1) <= 20);
        if (lines[i][0] != '\0') {
            if (joined->len > 0)
                g_string_append_c(joined, ' ');
            g_string_append(joined, lines[i]);
        }
    }
    assert_string_equal(joined->str, "The quick brown fox jumps over the lazy dog and then it "
                                     "runs far away \xc3\xa9t\xc3\xa9. Short line.");
    g_string_free(joined, TRUE);
    g_strfreev(lines);
    g_free(t);
    g_object_unref(msg);
    g_free(text);
    assert_int_equal(cs->lpVtbl->SetTextWrapping(cs, FALSE, 0), S_OK);
    IMessage_Release(m);
}

/* Decodes the uuencoded block that follows "begin 644 name". */
static GByteArray *uudecode(const char *text, const char *name)
{
    char begin[128];
    snprintf(begin, sizeof begin, "begin 644 %s\r\n", name);
    const char *p = strstr(text, begin);
    assert_non_null(p);
    p += strlen(begin);
    GByteArray *out = g_byte_array_new();
    for (;;) {
        const char *eol = strstr(p, "\r\n");
        assert_non_null(eol);
        int n = (p[0] - 32) & 63;
        if (n == 0)
            break;
        for (int i = 0; i < n; i += 3) {
            const char *q = p + 1 + (i / 3) * 4;
            unsigned v[4];
            for (int k = 0; k < 4; k++)
                v[k] = (unsigned)(q[k] - 32) & 63;
            guint8 b[3] = { (guint8)(v[0] << 2 | v[1] >> 4), (guint8)(v[1] << 4 | v[2] >> 2),
                            (guint8)(v[2] << 6 | v[3]) };
            g_byte_array_append(out, b, (guint)(n - i < 3 ? n - i : 3));
        }
        p = eol + 2;
    }
    assert_int_equal(strncmp(strstr(p, "\r\n") + 2, "end\r\n", 5), 0);
    return out;
}

static void test_rfc822(void **state)
{
    LPMESSAGE m = imported();
    assert_int_equal(cs->lpVtbl->SetSaveFormat(cs, SAVE_RFC822), S_OK);
    char *text = exported(m, CCSF_SMTP);
    assert_null(strstr(text, "MIME-Version"));
    assert_null(strstr(text, "Content-Type"));
    assert_non_null(strstr(text, "Subject: converter\r\n"));
    assert_non_null(strstr(text, "\r\n\r\nThe quick brown fox"));
    assert_non_null(strstr(text, "Short line.\r\n\r\nbegin 644 data.bin\r\n"));
    GByteArray *data = uudecode(text, "data.bin");
    assert_int_equal(data->len, 114);
    for (guint i = 0; i < data->len; i++)
        assert_int_equal(data->data[i], i);
    g_byte_array_unref(data);
    g_free(text);
    assert_int_equal(cs->lpVtbl->SetSaveFormat(cs, SAVE_RFC1521), S_OK);
    text = exported(m, CCSF_SMTP);
    assert_non_null(strstr(text, "MIME-Version: 1.0"));
    g_free(text);
    IMessage_Release(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create),   cmocka_unit_test(test_com),
        cmocka_unit_test(test_round_trip), cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_encoding), cmocka_unit_test(test_wrapping),
        cmocka_unit_test(test_rfc822),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
