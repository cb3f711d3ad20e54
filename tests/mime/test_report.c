/*
 * tests/mime/test_report.c - delivery and read reports (issue 20 item 9):
 * multipart/report messages become the report classes of [MS-OXOMSG] with
 * their report properties ([MS-OXCMAIL] 2.2.3.7), are written back as they
 * came, and a report composed in MAPI is written as multipart/report
 * (2.1.3.6) that imports again as the same report.
 */
#include "mime_fixture.h"

#define FLAGS (CCSF_SMTP | CCSF_INCLUDE_BCC)
#define PR_REPORTING_MTA PROP_TAG(PT_STRING8, 0x6820)
#define PR_ORIGINAL_MESSAGE_ID PROP_TAG(PT_STRING8, 0x1046)

static LPMESSAGE import_file(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "corpus/%s", name);
    size_t len = 0;
    char *text = fx_data(path, &len);
    LPMESSAGE m = fx_new();
    if (fmapi_mime_import_buffer(text, len, m, FLAGS) != S_OK)
        fail_msg("%s: %s", name, fmapi_mime_last_error());
    free(text);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    return m;
}

/* The rows of m's recipient table with cols (caller frees). */
static LPSRowSet recipients(LPMESSAGE m, LPSPropTagArray cols)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMessage_GetRecipientTable(m, 0, &t), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, cols, NULL, NULL, 0, &rows), S_OK);
    IMAPITable_Release(t);
    return rows;
}

static void a_delivery_failure_becomes_an_ndr_with_its_report_properties(void **state)
{
    LPMESSAGE m = import_file("ok-dsn.eml");
    fx_assert_str(m, PR_MESSAGE_CLASS, "REPORT.IPM.Note.NDR");
    fx_assert_str(m, PR_REPORTING_MTA, "dns; cs.utk.edu");
    fx_assert_str(m, PR_ORIGINAL_SUBJECT, "Re: MIME question");
    SizedSPropTagArray(6, cols) = { 6, { PR_SMTP_ADDRESS_A, PR_NDR_STATUS_CODE,
                                         PR_SUPPLEMENTARY_INFO_A, PR_REPORT_TIME,
                                         PR_DELIVER_TIME, PR_RECIPIENT_TYPE } };
    LPSRowSet rows = recipients(m, (LPSPropTagArray)&cols);
    /* The To of the report, then the recipient it reports on. */
    bool found = false;
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPSPropValue v = rows->aRow[i].lpProps;
        if (PROP_TYPE(v[1].ulPropTag) != PT_LONG)
            continue;
        found = true;
        assert_string_equal(v[0].Value.lpszA, "louisl@larry.slip.umd.edu");
        assert_int_equal(v[1].Value.l, 400);
        assert_string_equal(v[2].Value.lpszA, "<#4.0.0 smtp; 426 connection timed out>");
        assert_int_equal(PROP_TYPE(v[3].ulPropTag), PT_SYSTIME);
        assert_int_equal(fm_test_unix(v[3].Value.ft), 773615765); /* the report's Date */
        assert_int_equal(PROP_TYPE(v[4].ulPropTag), PT_ERROR); /* failed: not delivered */
    }
    assert_true(found);
    FreeProws(rows);
    /* Written back as it came. */
    char *mime = fx_export(m, FLAGS);
    assert_non_null(strstr(mime, "Content-Type: multipart/report; report-type=delivery-status;"));
    assert_non_null(strstr(mime, "Action: failed\r\nStatus: 4.0.0\r\n"));
    free(mime);
    IMessage_Release(m);
}

static void a_read_report_becomes_ipnrn_with_its_disposition(void **state)
{
    LPMESSAGE m = import_file("ok-mdn.eml");
    fx_assert_str(m, PR_MESSAGE_CLASS, "REPORT.IPM.Note.IPNRN");
    fx_assert_str(m, PR_REPORT_DISPOSITION, "displayed");
    fx_assert_str(m, PR_REPORT_DISPOSITION_MODE, "manual-action/MDN-sent-manually");
    fx_assert_str(m, PR_ORIGINAL_MESSAGE_ID, "<199509192301.23456@example.org>");
    fx_assert_str(m, PR_ORIGINAL_SUBJECT, "First draft of report");
    IMessage_Release(m);
    /* Anything but displayed is a not-read report. */
    const char *deleted =
        "From: a@example.org\r\nTo: b@example.org\r\nSubject: Not read\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/report; report-type=disposition-notification; boundary=R\r\n"
        "\r\n--R\r\nContent-Type: text/plain\r\n\r\nDeleted unread.\r\n"
        "--R\r\nContent-Type: message/disposition-notification\r\n\r\n"
        "Final-Recipient: rfc822; a@example.org\r\n"
        "Disposition: manual-action/MDN-sent-manually; deleted\r\n--R--\r\n";
    m = fx_import(deleted, FLAGS);
    fx_assert_str(m, PR_MESSAGE_CLASS, "REPORT.IPM.Note.IPNNRN");
    fx_assert_str(m, PR_REPORT_DISPOSITION, "deleted");
    IMessage_Release(m);
}

static void a_delivery_receipt_is_dr_and_keeps_the_delivery_time(void **state)
{
    const char *dr =
        "From: postmaster@example.org\r\nTo: a@example.org\r\nSubject: Delivered\r\n"
        "Date: Mon, 2 Jan 2023 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=D\r\n"
        "\r\n--D\r\nContent-Type: text/plain\r\n\r\nDelivered.\r\n"
        "--D\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n"
        "\r\nFinal-Recipient: rfc822; b@example.org\r\nAction: delivered\r\nStatus: 2.0.0\r\n"
        "Remote-MTA: dns; mail.example.org\r\n--D--\r\n";
    LPMESSAGE m = fx_import(dr, FLAGS);
    fx_assert_str(m, PR_MESSAGE_CLASS, "REPORT.IPM.Note.DR");
    SizedSPropTagArray(3, cols) = { 3, { PR_DSN_REMOTE_MTA_A, PR_DELIVER_TIME,
                                         PR_NDR_STATUS_CODE } };
    LPSRowSet rows = recipients(m, (LPSPropTagArray)&cols);
    bool found = false;
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPSPropValue v = rows->aRow[i].lpProps;
        if (PROP_TYPE(v[2].ulPropTag) != PT_LONG)
            continue;
        found = true;
        assert_string_equal(v[0].Value.lpszA, "mail.example.org");
        assert_int_equal(fm_test_unix(v[1].Value.ft), 1672653600);
        assert_int_equal(v[2].Value.l, 200);
    }
    assert_true(found);
    FreeProws(rows);
    IMessage_Release(m);
}

static void a_report_composed_in_mapi_is_written_as_multipart_report(void **state)
{
    LPMESSAGE m = fx_new();
    SPropValue p[4] = {
        { .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = "REPORT.IPM.Note.NDR" },
        { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "Undeliverable: budget" },
        { .ulPropTag = PR_BODY_A, .Value.lpszA = "Your message could not be delivered.\r\n" },
        { .ulPropTag = PR_REPORTING_MTA, .Value.lpszA = "mx.example.org" },
    };
    assert_int_equal(IMessage_SetProps(m, 4, p, NULL), S_OK);
    SPropValue r[5] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "Bob" },
                        { .ulPropTag = PR_EMAIL_ADDRESS_A, .Value.lpszA = "bob@example.net" },
                        { .ulPropTag = PR_ADDRTYPE_A, .Value.lpszA = "SMTP" },
                        { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO },
                        { .ulPropTag = PR_NDR_STATUS_CODE, .Value.l = 511 } };
    SizedADRLIST(1, al) = { 1, { { 0, 5, r } } };
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_ADD, (LPADRLIST)&al), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    char *mime = fx_export(m, FLAGS);
    assert_non_null(strstr(mime, "multipart/report; report-type=delivery-status"));
    assert_non_null(strstr(mime, "Content-Type: message/delivery-status\r\n\r\n"
                                 "Reporting-MTA: dns; mx.example.org\r\n\r\n"
                                 "Final-Recipient: rfc822; bob@example.net\r\n"
                                 "Action: failed\r\nStatus: 5.1.1\r\n"
                                 "X-Display-Name: Bob\r\n"));
    LPMESSAGE back = fx_import(mime, FLAGS);
    fx_assert_str(back, PR_MESSAGE_CLASS, "REPORT.IPM.Note.NDR");
    fx_assert_str(back, PR_REPORTING_MTA, "dns; mx.example.org");
    fx_assert_str(back, PR_BODY, "Your message could not be delivered.\r\n");
    IMessage_Release(back);
    free(mime);
    IMessage_Release(m);
    /* A read receipt. */
    m = fx_new();
    SPropValue q[3] = { { .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = "REPORT.IPM.Note.IPNRN" },
                        { .ulPropTag = PR_SENDER_EMAIL_ADDRESS_A, .Value.lpszA = "bob@example.net" },
                        { .ulPropTag = PR_ORIGINAL_MESSAGE_ID, .Value.lpszA = "<orig@example.org>" } };
    assert_int_equal(IMessage_SetProps(m, 3, q, NULL), S_OK);
    mime = fx_export(m, FLAGS);
    assert_non_null(strstr(mime, "report-type=disposition-notification"));
    assert_non_null(strstr(mime, "Final-Recipient: rfc822; bob@example.net\r\n"
                                 "Disposition: manual-action/MDN-sent-manually; displayed\r\n"));
    assert_non_null(strstr(mime, "Original-Message-ID: <orig@example.org>\r\n"));
    back = fx_import(mime, FLAGS);
    fx_assert_str(back, PR_MESSAGE_CLASS, "REPORT.IPM.Note.IPNRN");
    fx_assert_str(back, PR_ORIGINAL_MESSAGE_ID, "<orig@example.org>");
    IMessage_Release(back);
    free(mime);
    IMessage_Release(m);
}

static int setup(void **state)
{
    fx_open_store("report");
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
        cmocka_unit_test(a_delivery_failure_becomes_an_ndr_with_its_report_properties),
        cmocka_unit_test(a_read_report_becomes_ipnrn_with_its_disposition),
        cmocka_unit_test(a_delivery_receipt_is_dr_and_keeps_the_delivery_time),
        cmocka_unit_test(a_report_composed_in_mapi_is_written_as_multipart_report),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
