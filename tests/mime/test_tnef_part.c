/*
 * tests/mime/test_tnef_part.c - winmail.dat (issue 20 item 13): a message
 * exported with CCSF_USE_TNEF carries its properties, recipients and
 * attachments in an application/ms-tnef part that Python's email package,
 * tnef and ytnef read; an imported winmail.dat fills the message as
 * Exchange does (an RTF-only body too), is kept, and exports once, as it
 * came; a damaged one is kept as an attachment with a warning.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include "mime_fixture.h"
#include "mapiutil.h"

static const char PDF[] = "%PDF-1.4 not really\n\x01\x02\x03\xff\xfe tail";
#define PDF_LEN (sizeof PDF - 1)
/* PR_RTF_COMPRESSED as it is stored: an uncompressed ("MELA") block. */
static const BYTE RTF[] = { 30, 0, 0, 0, 18, 0, 0, 0, 'M', 'E', 'L', 'A', 0, 0, 0, 0,
                            '{', '\\', 'r', 't', 'f', '1', ' ', 'R', 'i', 'c', 'h', ' ',
                            't', 'e', 'x', 't', '}', 0 };

/* A message composed in MAPI: subject, class, an RTF-only body, a
 * recipient and one file. */
static LPMESSAGE composed(void)
{
    LPMESSAGE m = fx_new();
    SPropValue v[] = {
        { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "Quarterly figures" },
        { .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = "IPM.Note.Figures" },
        { .ulPropTag = PR_RTF_COMPRESSED, .Value.bin = { sizeof RTF, (LPBYTE)RTF } },
        { .ulPropTag = PR_SENDER_NAME_A, .Value.lpszA = "Ann Sender" },
        { .ulPropTag = PR_SENDER_EMAIL_ADDRESS_A, .Value.lpszA = "ann@example.org" },
        { .ulPropTag = PR_SENDER_ADDRTYPE_A, .Value.lpszA = "SMTP" },
    };
    assert_int_equal(IMessage_SetProps(m, 6, v, NULL), S_OK);
    SizedADRLIST(1, al);
    SPropValue rv[3] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "Bob" },
                         { .ulPropTag = PR_EMAIL_ADDRESS_A, .Value.lpszA = "bob@example.org" },
                         { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO } };
    SPropValue *rp = NULL;
    assert_int_equal(MAPIAllocateBuffer(sizeof rv, (void **)&rp), S_OK);
    memcpy(rp, rv, sizeof rv);
    al.cEntries = 1;
    al.aEntries[0].cValues = 3;
    al.aEntries[0].rgPropVals = rp;
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_ADD, (LPADRLIST)&al), S_OK);
    MAPIFreeBuffer(rp);
    LPATTACH a = NULL;
    ULONG num = 0;
    assert_int_equal(IMessage_CreateAttach(m, NULL, 0, &num, &a), S_OK);
    SPropValue av[] = {
        { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_BY_VALUE },
        { .ulPropTag = PR_ATTACH_LONG_FILENAME_A, .Value.lpszA = "figures.pdf" },
        { .ulPropTag = PR_ATTACH_FILENAME_A, .Value.lpszA = "figures.pdf" },
        { .ulPropTag = PR_ATTACH_DATA_BIN, .Value.bin = { PDF_LEN, (LPBYTE)PDF } },
    };
    assert_int_equal(IAttach_SetProps(a, 4, av, NULL), S_OK);
    assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
    IAttach_Release(a);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    return m;
}

static char *write_file(const char *name, const void *p, size_t n)
{
    char *path = g_strdup_printf("%s/%s", fm_test_tmpdir(), name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    fclose(f);
    return path;
}

/* Runs cmd; its output (caller g_frees); the test fails unless it exits 0. */
static char *run(const char *cmd)
{
    char *out = NULL, *err = NULL;
    int status = 0;
    GError *e = NULL;
    if (!g_spawn_command_line_sync(cmd, &out, &err, &status, &e))
        fail_msg("%s: %s", cmd, e->message);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("%s: exit %d\n%s%s", cmd, WEXITSTATUS(status), out, err);
    g_free(err);
    return out;
}

/* Python's email package (policy.default) lists the parts of a message
 * file, one line each: type, file name, decoded size; and writes the
 * payload of the first application/ms-tnef part to tnef_out. */
static const char *LIST_PY =
    "import sys, email, email.policy\n"
    "m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)\n"
    "done = False\n"
    "for p in m.walk():\n"
    "    if p.is_multipart(): continue\n"
    "    b = p.get_payload(decode=True) or b''\n"
    "    print(p.get_content_type(), p.get_filename(), len(b))\n"
    "    if p.get_content_type() == 'application/ms-tnef' and not done:\n"
    "        open(sys.argv[2], 'wb').write(b); done = True\n";

static char *python_parts(const char *mime, const char *eml_name, char **tnef_path)
{
    char *eml = write_file(eml_name, mime, strlen(mime));
    char *py = write_file("list.py", LIST_PY, strlen(LIST_PY));
    *tnef_path = g_strdup_printf("%s/%s.dat", fm_test_tmpdir(), eml_name);
    char *cmd = g_strdup_printf("python3 '%s' '%s' '%s'", py, eml, *tnef_path);
    char *out = run(cmd);
    g_free(cmd);
    g_free(py);
    g_free(eml);
    return out;
}

static GByteArray *file_bytes(const char *path)
{
    gchar *data = NULL;
    gsize n = 0;
    assert_true(g_file_get_contents(path, &data, &n, NULL));
    GByteArray *a = g_byte_array_new_take((guint8 *)data, n);
    return a;
}

static void an_export_with_tnef_is_read_by_python_tnef_and_ytnef(void **state)
{
    LPMESSAGE m = composed();
    char *mime = fx_export(m, CCSF_USE_TNEF);
    char *tnef_path = NULL;
    char *parts = python_parts(mime, "with-tnef.eml", &tnef_path);
    /* the text body and winmail.dat, and the file only inside it */
    assert_non_null(strstr(parts, "text/plain None"));
    assert_non_null(strstr(parts, "application/ms-tnef winmail.dat"));
    assert_null(strstr(parts, "figures.pdf"));
    /* tnef checks every checksum and extracts the file */
    char *dir = g_strdup_printf("%s/tnef-x", fm_test_tmpdir());
    mkdir(dir, 0700);
    char *cmd = g_strdup_printf("tnef --overwrite -C '%s' -f '%s'", dir, tnef_path);
    g_free(run(cmd));
    g_free(cmd);
    char *pdf = g_strdup_printf("%s/figures.pdf", dir);
    GByteArray *got = file_bytes(pdf);
    assert_int_equal(got->len, PDF_LEN);
    assert_memory_equal(got->data, PDF, PDF_LEN);
    g_byte_array_unref(got);
    /* ytnef reads the subject, the class and the file */
    cmd = g_strdup_printf("ytnefprint '%s'", tnef_path);
    char *y = run(cmd);
    assert_non_null(strstr(y, "Subject: Quarterly figures"));
    assert_non_null(strstr(y, "IPM.Note.Figures"));
    assert_non_null(strstr(y, "figures.pdf"));
    g_free(y);
    g_free(cmd);
    g_free(pdf);
    g_free(dir);
    g_free(parts);
    g_free(tnef_path);
    free(mime);
    IMessage_Release(m);
}


/* The attPriority attribute's value in a TNEF stream, or -1: level 1
 * (message), id 0x800D of type atpShort (0x0004), length 2. */
static int att_priority(const GByteArray *t)
{
    static const guint8 head[] = { 0x01, 0x0D, 0x80, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00 };
    for (guint i = 6; i + sizeof head + 2 <= t->len; i++) {
        if (memcmp(t->data + i, head, sizeof head) == 0)
            return t->data[i + sizeof head] | t->data[i + sizeof head + 1] << 8;
    }
    return -1;
}

/* PR_IMPORTANCE goes into winmail.dat as the down-level attPriority with
 * the values of [MS-OXTNEF] and Microsoft's tnef.h (prioHigh 1, prioNorm 2,
 * prioLow 3; the spec's sample message carries 0x0002 for normal), and
 * comes back as it went. ytnef reads attPriority the other way round (3 as
 * "high", 1 as "low"), Outlook's own streams too: that is ytnef's
 * convention, not a fault of what we write, and it is pinned here so that a
 * change on either side shows. */
static void importance_is_written_as_att_priority_and_read_back(void **state)
{
    static const struct {
        LONG importance;
        int att;
        const char *ytnef;
    } cases[] = {
        { IMPORTANCE_HIGH, 1 /* prioHigh */, "Message Priority: low" },
        { IMPORTANCE_NORMAL, 2 /* prioNorm */, "Message Priority: normal" },
        { IMPORTANCE_LOW, 3 /* prioLow */, "Message Priority: high" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        LPMESSAGE m = composed();
        SPropValue v = { .ulPropTag = PR_IMPORTANCE, .Value.l = cases[i].importance };
        assert_int_equal(HrSetOneProp((LPMAPIPROP)m, &v), S_OK);
        char *mime = fx_export(m, CCSF_USE_TNEF);
        char *tnef_path = NULL;
        g_free(python_parts(mime, "importance.eml", &tnef_path));
        GByteArray *t = file_bytes(tnef_path);
        assert_int_equal(att_priority(t), cases[i].att);
        g_byte_array_unref(t);
        char *cmd = g_strdup_printf("ytnefprint '%s'", tnef_path);
        char *y = run(cmd);
        if (strstr(y, cases[i].ytnef) == NULL)
            fail_msg("ytnefprint for importance %ld:\n%s", (long)cases[i].importance, y);
        g_free(y);
        g_free(cmd);
        /* and back: the import reads the importance the export wrote */
        LPMESSAGE back = fx_import(mime, 0);
        assert_int_equal(fx_long(back, PR_IMPORTANCE), cases[i].importance);
        IMessage_Release(back);
        g_free(tnef_path);
        free(mime);
        IMessage_Release(m);
    }
}

/* An Internet message carrying the TNEF of composed() as Outlook sends it. */
static char *outlook_mail(GByteArray **tnef_out)
{
    LPMESSAGE m = composed();
    char *mime = fx_export(m, CCSF_USE_TNEF);
    char *tnef_path = NULL;
    g_free(python_parts(mime, "source.eml", &tnef_path));
    GByteArray *tnef = file_bytes(tnef_path);
    char *b64 = g_base64_encode(tnef->data, tnef->len);
    GString *lines = g_string_new(NULL);
    for (size_t i = 0, n = strlen(b64); i < n; i += 76)
        g_string_append_printf(lines, "%.*s\r\n", (int)(n - i < 76 ? n - i : 76), b64 + i);
    char *mail = g_strdup_printf(
        "From: Ann Sender <ann@example.org>\r\nTo: Bob <bob@example.org>\r\n"
        "Subject: Quarterly figures\r\nDate: Mon, 16 Oct 2023 07:12:06 +0000\r\n"
        "Message-ID: <tnef-1@example.org>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
        "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nRich text\r\n"
        "--b1\r\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment; filename=\"winmail.dat\"\r\n\r\n%s"
        "--b1--\r\n",
        lines->str);
    g_string_free(lines, TRUE);
    g_free(b64);
    g_free(tnef_path);
    free(mime);
    IMessage_Release(m);
    *tnef_out = tnef;
    return mail;
}

/* The visible attachments' file names, one per line (caller g_frees), and
 * the number of hidden ones. */
static char *visible_attachments(LPMESSAGE m, ULONG *hidden)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMessage_GetAttachmentTable(m, 0, &t), S_OK);
    SizedSPropTagArray(2, cols) = { 2, { PR_ATTACH_LONG_FILENAME_A, PR_ATTACHMENT_HIDDEN } };
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows), S_OK);
    IMAPITable_Release(t);
    GString *s = g_string_new(NULL);
    *hidden = 0;
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPSPropValue v = rows->aRow[i].lpProps;
        if (PROP_TYPE(v[1].ulPropTag) == PT_BOOLEAN && v[1].Value.b) {
            (*hidden)++;
            continue;
        }
        g_string_append_printf(s, "%s\n", PROP_TYPE(v[0].ulPropTag) == PT_STRING8
                                              ? v[0].Value.lpszA
                                              : "?");
    }
    FreeProws(rows);
    return g_string_free(s, FALSE);
}

static void winmail_dat_fills_the_message_as_exchange_does(void **state)
{
    GByteArray *tnef = NULL;
    char *mail = outlook_mail(&tnef);
    LPMESSAGE m = fx_import(mail, CCSF_SMTP);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    fx_assert_str(m, PR_MESSAGE_CLASS, "IPM.Note.Figures");
    fx_assert_str(m, PR_SUBJECT, "Quarterly figures");
    /* the RTF-only body, byte for byte */
    size_t n = 0;
    char *rtf = fx_read_stream(m, PR_RTF_COMPRESSED, &n);
    assert_int_equal(n, sizeof RTF);
    assert_memory_equal(rtf, RTF, sizeof RTF);
    free(rtf);
    /* the file out of winmail.dat, and winmail.dat itself kept, hidden */
    ULONG hidden = 0;
    char *names = visible_attachments(m, &hidden);
    assert_string_equal(names, "figures.pdf\n");
    assert_int_equal(hidden, 1);
    g_free(names);
    /* the headers' recipient, not twice */
    assert_int_equal(fx_recip_count(m), 1);
    IMessage_Release(m);
    g_free(mail);
    g_byte_array_unref(tnef);
}

static void an_imported_winmail_dat_exports_once_as_it_came(void **state)
{
    GByteArray *tnef = NULL;
    char *mail = outlook_mail(&tnef);
    LPMESSAGE m = fx_import(mail, CCSF_SMTP);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    char *out = fx_export(m, 0);
    char *tnef_path = NULL;
    char *parts = python_parts(out, "again.eml", &tnef_path);
    /* winmail.dat once, byte for byte, and its file not beside it */
    char *want = g_strdup_printf("application/ms-tnef winmail.dat %u", tnef->len);
    assert_non_null(strstr(parts, want));
    assert_null(strstr(parts, "figures.pdf"));
    GByteArray *got = file_bytes(tnef_path);
    assert_int_equal(got->len, tnef->len);
    assert_memory_equal(got->data, tnef->data, tnef->len);
    g_byte_array_unref(got);
    g_free(want);
    g_free(parts);
    g_free(tnef_path);
    free(out);
    IMessage_Release(m);
    g_free(mail);
    g_byte_array_unref(tnef);
}

/* The number of the first attachment that is not hidden. */
static ULONG first_visible(LPMESSAGE m)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMessage_GetAttachmentTable(m, 0, &t), S_OK);
    SizedSPropTagArray(2, cols) = { 2, { PR_ATTACH_NUM, PR_ATTACHMENT_HIDDEN } };
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows), S_OK);
    IMAPITable_Release(t);
    ULONG num = ~0u;
    for (ULONG i = 0; i < rows->cRows && num == ~0u; i++) {
        LPSPropValue v = rows->aRow[i].lpProps;
        if (!(PROP_TYPE(v[1].ulPropTag) == PT_BOOLEAN && v[1].Value.b))
            num = (ULONG)v[0].Value.l;
    }
    FreeProws(rows);
    assert_true(num != ~0u);
    return num;
}

/* Imports the Outlook mail, lets change() alter the saved message, exports
 * it plainly and gives Python's listing of the parts. */
static char *export_after(void (*change)(LPMESSAGE m), char **mime)
{
    GByteArray *tnef = NULL;
    char *mail = outlook_mail(&tnef);
    LPMESSAGE m = fx_import(mail, CCSF_SMTP);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    change(m);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    *mime = fx_export(m, 0);
    char *tnef_path = NULL;
    char *parts = python_parts(*mime, "changed.eml", &tnef_path);
    g_free(tnef_path);
    IMessage_Release(m);
    g_free(mail);
    g_byte_array_unref(tnef);
    return parts;
}

static void new_subject(LPMESSAGE m)
{
    SPropValue v = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "Figures, revised" };
    assert_int_equal(IMessage_SetProps(m, 1, &v, NULL), S_OK);
}

static void drop_the_file(LPMESSAGE m)
{
    assert_int_equal(IMessage_DeleteAttach(m, first_visible(m), 0, NULL, 0), S_OK);
}

static void mark_read(LPMESSAGE m)
{
    assert_int_equal(IMessage_SetReadFlag(m, 0), S_OK);
}

static void a_changed_message_is_exported_as_it_is_not_as_its_stale_winmail_dat(void **state)
{
    char *mime = NULL;
    char *parts = export_after(new_subject, &mime);
    assert_null(strstr(parts, "application/ms-tnef"));
    assert_non_null(strstr(parts, "figures.pdf"));
    g_free(parts);
    free(mime);
}

static void a_file_deleted_from_the_message_is_not_exported_inside_winmail_dat(void **state)
{
    char *mime = NULL;
    char *parts = export_after(drop_the_file, &mime);
    assert_null(strstr(parts, "application/ms-tnef"));
    assert_null(strstr(parts, "figures.pdf"));
    g_free(parts);
    free(mime);
}

static void reading_the_message_keeps_winmail_dat_as_it_came(void **state)
{
    char *mime = NULL;
    char *parts = export_after(mark_read, &mime);
    assert_non_null(strstr(parts, "application/ms-tnef winmail.dat"));
    assert_null(strstr(parts, "figures.pdf"));
    g_free(parts);
    free(mime);
}

/* The entries of dir, but "." and "..". */
static int entries(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    assert_non_null(d);
    int n = 0;
    while (g_dir_read_name(d) != NULL)
        n++;
    g_dir_close(d);
    return n;
}

static void winmail_dat_is_built_in_a_temporary_file_that_goes_with_the_export(void **state)
{
    char *tmp = g_strdup_printf("%s/tnef-tmp", fm_test_tmpdir());
    mkdir(tmp, 0700);
    const char *old = getenv("TMPDIR");
    char *saved = old ? g_strdup(old) : NULL;
    setenv("TMPDIR", tmp, 1);
    LPMESSAGE m = composed();
    char *mime = fx_export(m, CCSF_USE_TNEF);
    assert_non_null(strstr(mime, "application/ms-tnef"));
    assert_int_equal(entries(tmp), 0); /* nothing left behind */
    free(mime);
    /* no temporary file to be had: a clear error, and the next export works */
    char *missing = g_strdup_printf("%s/missing", tmp);
    setenv("TMPDIR", missing, 1);
    fx_buf b = { 0 };
    HRESULT hr = fmapi_mime_export(m, CCSF_USE_TNEF, fx_buf_write, &b);
    free(b.data);
    g_free(missing);
    assert_true(FAILED(hr));
    assert_non_null(strstr(fmapi_last_error(), "winmail.dat"));
    setenv("TMPDIR", tmp, 1);
    mime = fx_export(m, CCSF_USE_TNEF);
    assert_non_null(strstr(mime, "application/ms-tnef"));
    free(mime);
    if (saved != NULL)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    g_free(saved);
    IMessage_Release(m);
    assert_int_equal(entries(tmp), 0);
    g_free(tmp);
}

static const char DAMAGED[] =
    "From: a@example.org\r\nTo: b@example.org\r\nSubject: broken\r\nMIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
    "--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n"
    "--b\r\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\n"
    "eJ8+IjQSAQaQCAAEAAAAAAABAAEAAQeQBgAIAAAA5AQAAAAAAADo\r\n" /* cut short */
    "--b--\r\n";

static void a_damaged_winmail_dat_is_kept_as_an_attachment_with_a_warning(void **state)
{
    LPMESSAGE m = fx_import(DAMAGED, CCSF_SMTP);
    assert_non_null(strstr(fmapi_mime_last_warnings(), "winmail.dat"));
    ULONG hidden = 0;
    char *names = visible_attachments(m, &hidden);
    assert_string_equal(names, "winmail.dat\n");
    assert_int_equal(hidden, 0);
    g_free(names);
    fx_assert_str(m, PR_SUBJECT, "broken");
    IMessage_Release(m);
}

static char *oom_mail;
static LPMESSAGE oom_source;

static HRESULT import_once(void *ctx)
{
    LPMESSAGE m = NULL;
    HRESULT hr = IMAPIFolder_CreateMessage(fx_folder, NULL, 0, &m);
    if (hr != S_OK)
        return hr;
    hr = fmapi_mime_import_buffer(oom_mail, strlen(oom_mail), m, CCSF_SMTP);
    IMessage_Release(m);
    return hr;
}

static HRESULT export_once(void *ctx)
{
    fx_buf b = { 0 };
    HRESULT hr = fmapi_mime_export(oom_source, CCSF_USE_TNEF, fx_buf_write, &b);
    free(b.data);
    return hr;
}

static void tnef_parts_leak_nothing_and_survive_every_allocation_failure(void **state)
{
    GByteArray *tnef = NULL;
    oom_mail = outlook_mail(&tnef);
    oom_source = composed();
    assert_int_equal(import_once(NULL), S_OK);
    assert_int_equal(export_once(NULL), S_OK);
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    assert_int_equal(import_once(NULL), S_OK);
    assert_int_equal(export_once(NULL), S_OK);
    fm_test_assert_no_leak(&b);
    assert_true(fm_test_oom_sweep(import_once, NULL) > 20);
    assert_true(fm_test_oom_sweep(export_once, NULL) > 20);
    IMessage_Release(oom_source);
    g_free(oom_mail);
    g_byte_array_unref(tnef);
}

static int setup(void **state)
{
    fx_open_store("tnef_part");
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
        cmocka_unit_test(importance_is_written_as_att_priority_and_read_back),
        cmocka_unit_test(an_export_with_tnef_is_read_by_python_tnef_and_ytnef),
        cmocka_unit_test(winmail_dat_fills_the_message_as_exchange_does),
        cmocka_unit_test(an_imported_winmail_dat_exports_once_as_it_came),
        cmocka_unit_test(a_changed_message_is_exported_as_it_is_not_as_its_stale_winmail_dat),
        cmocka_unit_test(a_file_deleted_from_the_message_is_not_exported_inside_winmail_dat),
        cmocka_unit_test(reading_the_message_keeps_winmail_dat_as_it_came),
        cmocka_unit_test(winmail_dat_is_built_in_a_temporary_file_that_goes_with_the_export),
        cmocka_unit_test(a_damaged_winmail_dat_is_kept_as_an_attachment_with_a_warning),
        cmocka_unit_test(tnef_parts_leak_nothing_and_survive_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
