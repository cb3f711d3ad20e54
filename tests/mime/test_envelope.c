/*
 * tests/mime/test_envelope.c - a message imported from MIME whose envelope
 * properties a client then changes through MAPI (subject, originator,
 * sender, recipients, date, identifiers, importance) exports with header
 * fields written from those properties, in the place of the kept ones,
 * while every other kept field stays byte for byte; an unchanged message
 * (saved, reopened, marked read) exports its header block as it came.
 */
#include "mime_fixture.h"

/* The header fields of the test message; the folded, oddly spaced and
 * 8-bit ones must come back byte for byte. */
static const char *const FIELDS[] = {
    "Received: from relay.example.net by mx.example.org;\r\n\tMon, 1 Jan 2024 10:00:00 +0000\r\n",
    "From: Ada Lovelace <ada@example.org>\r\n",
    "Sender: list-owner@example.org\r\n",
    "To: Bob <bob@example.org>\r\n",
    "Cc: carol@example.org\r\n",
    "Date: Mon, 1 Jan 2024 09:59:00 +0000\r\n",
    "Message-ID: <orig@example.org>\r\n",
    "In-Reply-To: <parent@example.org>\r\n",
    "References: <root@example.org>\r\n <parent@example.org>\r\n",
    "Subject: Original subject\r\n",
    "Importance: low\r\n",
    "X-Priority: 5\r\n",
    "X-Custom:   odd   spacing\t\r\n",
    "X-Latin1: caf\xE9\r\n",
    "X-Folded: one\r\n\ttwo\r\n",
};
#define NFIELDS (sizeof FIELDS / sizeof *FIELDS)

static char *message_text(void)
{
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < NFIELDS; i++)
        g_string_append(s, FIELDS[i]);
    g_string_append(s, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n"
                       "\r\nBody.\r\n");
    return g_string_free(s, FALSE);
}

/* Imports the message, saves it and opens it again from the store. */
static LPMESSAGE imported(void)
{
    char *text = message_text();
    LPMESSAGE m = fx_import(text, CCSF_INCLUDE_BCC);
    g_free(text);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue eid = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_ENTRYID, &eid), S_OK);
    IMessage_Release(m);
    ULONG type = 0;
    LPMESSAGE again = NULL;
    assert_int_equal(IMAPIFolder_OpenEntry(fx_folder, eid->Value.bin.cb,
                                           (LPENTRYID)eid->Value.bin.lpb, NULL, MAPI_MODIFY,
                                           &type, (LPUNKNOWN *)&again), S_OK);
    MAPIFreeBuffer(eid);
    return again;
}

/* The header block of an export (up to the empty line). */
static char *head_of(const char *mime)
{
    const char *end = strstr(mime, "\r\n\r\n");
    assert_non_null(end);
    return g_strndup(mime, (gsize)(end - mime) + 2);
}

static bool starts_with_name(const char *field, const char *const *names)
{
    for (; names != NULL && *names != NULL; names++) {
        size_t n = strlen(*names);
        if (g_ascii_strncasecmp(field, *names, n) == 0 && field[n] == ':')
            return true;
    }
    return false;
}

/* Every field of FIELDS but those named in gone is in head, verbatim and
 * in its order; none of those named in gone is. */
static void assert_kept_but(const char *head, const char *const *gone)
{
    const char *at = head;
    for (size_t i = 0; i < NFIELDS; i++) {
        if (starts_with_name(FIELDS[i], gone)) {
            if (strstr(head, FIELDS[i]) != NULL)
                fail_msg("stale field still written: %s\nin:\n%s", FIELDS[i], head);
            continue;
        }
        const char *found = strstr(at, FIELDS[i]);
        if (found == NULL)
            fail_msg("field not kept byte for byte (or out of order): %s\nin:\n%s", FIELDS[i],
                     head);
        at = found + strlen(FIELDS[i]);
    }
}

static GMimeMessage *parse(const char *mime)
{
    GMimeStream *s = g_mime_stream_mem_new_with_buffer(mime, strlen(mime));
    GMimeParser *p = g_mime_parser_new_with_stream(s);
    GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);
    g_object_unref(p);
    g_object_unref(s);
    assert_non_null(msg);
    return msg;
}

static void set_str(LPMESSAGE m, ULONG tag, const char *utf8)
{
    SPropValue v = { .ulPropTag = CHANGE_PROP_TYPE(tag, PT_STRING8), .Value.lpszA = (LPSTR)utf8 };
    assert_int_equal(HrSetOneProp((LPMAPIPROP)m, &v), S_OK);
}

/* Exports m (Bcc included), saved first so the store's view is exported. */
static char *export_head(LPMESSAGE m)
{
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    char *mime = fx_export(m, CCSF_INCLUDE_BCC);
    char *head = head_of(mime);
    free(mime);
    return head;
}

/* The addresses of one header of an export, as "name <addr>, ..." */
static char *addresses(const char *head, GMimeAddressType type)
{
    GString *whole = g_string_new(head);
    g_string_append(whole, "\r\nx\r\n");
    GMimeMessage *msg = parse(whole->str);
    g_string_free(whole, TRUE);
    char *s = internet_address_list_to_string(g_mime_message_get_addresses(msg, type), NULL,
                                              FALSE);
    g_object_unref(msg);
    return s != NULL ? s : g_strdup(""); /* none */
}

/* ---- unchanged ----------------------------------------------------------------- */
static void an_unchanged_message_exports_its_header_block_as_it_came(void **state)
{
    LPMESSAGE m = imported();
    char *head = export_head(m);
    assert_kept_but(head, NULL);
    g_free(head);
    /* Marking it read changes no header that maps to a property. */
    assert_int_equal(IMessage_SetReadFlag(m, 0), S_OK);
    SPropValue cat = { .ulPropTag = PR_SENSITIVITY, .Value.l = 0 };
    assert_int_equal(HrSetOneProp((LPMAPIPROP)m, &cat), S_OK);
    head = export_head(m);
    assert_kept_but(head, NULL);
    g_free(head);
    IMessage_Release(m);
}

/* ---- each mapped field ---------------------------------------------------------- */
static void a_changed_subject_is_written_from_pr_subject(void **state)
{
    LPMESSAGE m = imported();
    set_str(m, PR_SUBJECT, "New subject \xC3\xBC");
    char *head = export_head(m);
    static const char *const gone[] = { "Subject", NULL };
    assert_kept_but(head, gone);
    GString *whole = g_string_new(head);
    g_string_append(whole, "\r\nx\r\n");
    GMimeMessage *msg = parse(whole->str);
    assert_string_equal(g_mime_message_get_subject(msg), "New subject \xC3\xBC");
    g_object_unref(msg);
    g_string_free(whole, TRUE);
    /* in the place of the old one: after References, before Importance */
    assert_true(strstr(head, "References:") < strstr(head, "Subject:"));
    assert_true(strstr(head, "Subject:") < strstr(head, "Importance:"));
    g_free(head);
    IMessage_Release(m);
}

static void a_changed_originator_is_written_from_pr_sent_representing(void **state)
{
    LPMESSAGE m = imported();
    set_str(m, PR_SENT_REPRESENTING_NAME, "Grace Hopper");
    set_str(m, PR_SENT_REPRESENTING_EMAIL_ADDRESS, "grace@example.org");
    char *head = export_head(m);
    static const char *const gone[] = { "From", NULL };
    assert_kept_but(head, gone);
    char *from = addresses(head, GMIME_ADDRESS_TYPE_FROM);
    assert_string_equal(from, "Grace Hopper <grace@example.org>");
    g_free(from);
    g_free(head);
    IMessage_Release(m);
}

static void a_changed_sender_is_written_from_pr_sender(void **state)
{
    LPMESSAGE m = imported();
    set_str(m, PR_SENDER_NAME, "Delegate");
    set_str(m, PR_SENDER_EMAIL_ADDRESS, "delegate@example.org");
    char *head = export_head(m);
    static const char *const gone[] = { "Sender", NULL };
    assert_kept_but(head, gone);
    char *sender = addresses(head, GMIME_ADDRESS_TYPE_SENDER);
    assert_string_equal(sender, "Delegate <delegate@example.org>");
    g_free(sender);
    g_free(head);
    IMessage_Release(m);
}

/* Adds one recipient of type to m. */
static void add_recipient(LPMESSAGE m, const char *name, const char *addr, ULONG type)
{
    SPropValue r[3] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = (LPSTR)name },
                        { .ulPropTag = PR_EMAIL_ADDRESS_A, .Value.lpszA = (LPSTR)addr },
                        { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = (LONG)type } };
    SizedADRLIST(1, al) = { 1, { { 0, 3, r } } };
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_ADD, (LPADRLIST)&al), S_OK);
}

/* Removes the recipients of type from m. */
static void remove_recipients(LPMESSAGE m, ULONG type)
{
    static const SizedSPropTagArray(2, cols) = { 2, { PR_ROWID, PR_RECIPIENT_TYPE } };
    LPMAPITABLE t = NULL;
    assert_int_equal(IMessage_GetRecipientTable(m, 0, &t), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows), S_OK);
    IMAPITable_Release(t);
    for (ULONG i = 0; i < rows->cRows; i++) {
        if ((ULONG)rows->aRow[i].lpProps[1].Value.l != type)
            continue;
        SizedADRLIST(1, al) = { 1, { { 0, 1, &rows->aRow[i].lpProps[0] } } };
        assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_REMOVE, (LPADRLIST)&al), S_OK);
    }
    FreeProws(rows);
}

static void a_recipient_added_to_to_is_written_from_the_recipient_table(void **state)
{
    LPMESSAGE m = imported();
    add_recipient(m, "Dan", "dan@example.org", MAPI_TO);
    char *head = export_head(m);
    static const char *const gone[] = { "To", NULL };
    assert_kept_but(head, gone);
    char *to = addresses(head, GMIME_ADDRESS_TYPE_TO);
    assert_string_equal(to, "Bob <bob@example.org>, Dan <dan@example.org>");
    g_free(to);
    g_free(head);
    IMessage_Release(m);
}

static void a_removed_cc_recipient_is_no_longer_written(void **state)
{
    LPMESSAGE m = imported();
    remove_recipients(m, MAPI_CC);
    char *head = export_head(m);
    static const char *const gone[] = { "Cc", NULL };
    assert_kept_but(head, gone);
    assert_null(strstr(head, "carol@"));
    g_free(head);
    IMessage_Release(m);
}

static void a_bcc_recipient_added_after_import_is_written(void **state)
{
    LPMESSAGE m = imported();
    add_recipient(m, "Eve", "eve@example.org", MAPI_BCC);
    char *head = export_head(m);
    assert_kept_but(head, NULL); /* there was no Bcc: it comes at the end */
    char *bcc = addresses(head, GMIME_ADDRESS_TYPE_BCC);
    assert_string_equal(bcc, "Eve <eve@example.org>");
    g_free(bcc);
    assert_true(strstr(head, "X-Folded:") < strstr(head, "Bcc:"));
    g_free(head);
    /* without CCSF_INCLUDE_BCC it stays out */
    char *mime = fx_export(m, 0);
    assert_null(strstr(mime, "eve@"));
    free(mime);
    IMessage_Release(m);
}

static void a_changed_submit_time_is_written_as_the_date(void **state)
{
    LPMESSAGE m = imported();
    SPropValue t = { .ulPropTag = PR_CLIENT_SUBMIT_TIME };
    /* 2030-06-15 12:00:00 UTC */
    unsigned long long ft = (1907582400ULL + 11644473600ULL) * 10000000ULL;
    t.Value.ft.dwLowDateTime = (ULONG)ft;
    t.Value.ft.dwHighDateTime = (ULONG)(ft >> 32);
    assert_int_equal(HrSetOneProp((LPMAPIPROP)m, &t), S_OK);
    char *head = export_head(m);
    static const char *const gone[] = { "Date", NULL };
    assert_kept_but(head, gone);
    GString *whole = g_string_new(head);
    g_string_append(whole, "\r\nx\r\n");
    GMimeMessage *msg = parse(whole->str);
    GDateTime *d = g_mime_message_get_date(msg);
    assert_non_null(d);
    assert_int_equal(g_date_time_to_unix(d), 1907582400LL);
    g_object_unref(msg);
    g_string_free(whole, TRUE);
    g_free(head);
    IMessage_Release(m);
}

static void changed_identifiers_are_written_from_their_properties(void **state)
{
    static const struct {
        ULONG tag;
        const char *name, *value;
    } cases[] = {
        { PR_INTERNET_MESSAGE_ID, "Message-ID", "<new@example.org>" },
        { PR_IN_REPLY_TO_ID, "In-Reply-To", "<other-parent@example.org>" },
        { PR_INTERNET_REFERENCES, "References", "<other-root@example.org>" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        LPMESSAGE m = imported();
        set_str(m, cases[i].tag, cases[i].value);
        char *head = export_head(m);
        const char *gone[] = { cases[i].name, NULL };
        assert_kept_but(head, gone);
        char want[128];
        snprintf(want, sizeof want, "%s: %s\r\n", cases[i].name, cases[i].value);
        if (strstr(head, want) == NULL)
            fail_msg("%s not written from its property:\n%s", cases[i].name, head);
        g_free(head);
        IMessage_Release(m);
    }
}

static void a_changed_importance_replaces_importance_and_x_priority(void **state)
{
    LPMESSAGE m = imported();
    SPropValue v[2] = { { .ulPropTag = PR_IMPORTANCE, .Value.l = IMPORTANCE_HIGH },
                        { .ulPropTag = PR_PRIORITY, .Value.l = PRIO_URGENT } };
    LPSPropProblemArray problems = NULL;
    assert_int_equal(IMessage_SetProps(m, 2, v, &problems), S_OK);
    MAPIFreeBuffer(problems);
    char *head = export_head(m);
    static const char *const gone[] = { "Importance", "X-Priority", NULL };
    assert_kept_but(head, gone);
    assert_non_null(strstr(head, "\r\nImportance: high\r\n"));
    assert_non_null(strstr(head, "\r\nX-Priority: 1\r\n"));
    g_free(head);
    /* back to normal: neither field is written */
    v[0].Value.l = IMPORTANCE_NORMAL;
    v[1].Value.l = PRIO_NORMAL;
    assert_int_equal(IMessage_SetProps(m, 2, v, &problems), S_OK);
    MAPIFreeBuffer(problems);
    head = export_head(m);
    assert_null(strstr(head, "Importance:"));
    assert_null(strstr(head, "X-Priority:"));
    g_free(head);
    IMessage_Release(m);
}

/* [MS-OXCMAIL] 2.2.3.2.5: Importance first, else X-Priority, Priority or
 * X-MSMail-Priority. */
static void importance_is_read_from_any_of_its_four_headers(void **state)
{
    static const struct {
        const char *fields;
        LONG importance;
    } cases[] = {
        { "Priority: urgent\r\n", IMPORTANCE_HIGH },
        { "Priority: non-urgent\r\n", IMPORTANCE_LOW },
        { "Priority: normal\r\n", IMPORTANCE_NORMAL },
        { "X-MSMail-Priority: High\r\n", IMPORTANCE_HIGH },
        { "X-MSMail-Priority: Low\r\n", IMPORTANCE_LOW },
        { "X-Priority: 2 (High)\r\n", IMPORTANCE_HIGH },
        { "X-Priority: 5\r\nX-MSMail-Priority: High\r\n", IMPORTANCE_LOW },
        { "X-MSMail-Priority: High\r\nImportance: low\r\n", IMPORTANCE_LOW },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[256];
        snprintf(text, sizeof text, "Subject: s\r\n%s\r\nbody\r\n", cases[i].fields);
        LPMESSAGE m = fx_import(text, 0);
        if (fx_long(m, PR_IMPORTANCE) != cases[i].importance)
            fail_msg("%s: importance %ld, wanted %ld", cases[i].fields,
                     (long)fx_long(m, PR_IMPORTANCE), (long)cases[i].importance);
        IMessage_Release(m);
    }
    LPMESSAGE m = fx_import("Subject: s\r\nPriority: whatever\r\n\r\nbody\r\n", 0);
    assert_false(fx_has(m, PR_IMPORTANCE));
    IMessage_Release(m);
}

/* A reader of the export sees the new values: importing it again gives
 * them back as properties. */
static void the_changed_values_come_back_on_a_second_import(void **state)
{
    LPMESSAGE m = imported();
    set_str(m, PR_SUBJECT, "Second");
    set_str(m, PR_SENT_REPRESENTING_EMAIL_ADDRESS, "grace@example.org");
    set_str(m, PR_SENT_REPRESENTING_NAME, "Grace");
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    char *mime = fx_export(m, 0);
    LPMESSAGE back = fx_import(mime, 0);
    fx_assert_str(back, PR_SUBJECT, "Second");
    fx_assert_str(back, PR_SENT_REPRESENTING_EMAIL_ADDRESS, "grace@example.org");
    fx_assert_str(back, PR_SENDER_EMAIL_ADDRESS, "list-owner@example.org");
    IMessage_Release(back);
    free(mime);
    IMessage_Release(m);
}

static int setup(void **state)
{
    fx_open_store("envelope");
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
        cmocka_unit_test(an_unchanged_message_exports_its_header_block_as_it_came),
        cmocka_unit_test(a_changed_subject_is_written_from_pr_subject),
        cmocka_unit_test(a_changed_originator_is_written_from_pr_sent_representing),
        cmocka_unit_test(a_changed_sender_is_written_from_pr_sender),
        cmocka_unit_test(a_recipient_added_to_to_is_written_from_the_recipient_table),
        cmocka_unit_test(a_removed_cc_recipient_is_no_longer_written),
        cmocka_unit_test(a_bcc_recipient_added_after_import_is_written),
        cmocka_unit_test(a_changed_submit_time_is_written_as_the_date),
        cmocka_unit_test(changed_identifiers_are_written_from_their_properties),
        cmocka_unit_test(a_changed_importance_replaces_importance_and_x_priority),
        cmocka_unit_test(importance_is_read_from_any_of_its_four_headers),
        cmocka_unit_test(the_changed_values_come_back_on_a_second_import),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
