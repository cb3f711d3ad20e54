/*
 * mime/report.c - delivery and read reports: multipart/report with a
 * message/delivery-status part (RFC 3464) or a
 * message/disposition-notification part (RFC 8098), read into the report
 * classes and properties of [MS-OXOMSG] as [MS-OXCMAIL] 2.2.3.7 says, and
 * written back from them (2.1.3.6) for a report composed in MAPI.
 *
 * Reading (the parts themselves are kept in the skeleton, so an imported
 * report is written back as it came):
 *  - delivery status: the most severe Action of the recipients gives the
 *    class (delivered .DR, expanded .Expanded.DR, relayed .Relayed.DR,
 *    delayed .Delayed.DR, failed .NDR, after "REPORT." and the class the
 *    message had); Reporting-MTA goes to PidTagReportingMessageTransferAgent;
 *    each recipient with that Action becomes a recipient row with its
 *    remote MTA, supplementary information (X-Supplementary-Info, or made
 *    as 2.2.3.7.1.2 says), report and delivery times, and the status,
 *    diagnostic and reason codes of 2.2.3.7.1.3.
 *  - disposition: "displayed" gives .IPNRN, anything else .IPNNRN; the
 *    disposition type and mode go to PidTagReportDisposition and
 *    PidTagReportDispositionMode, Original-Message-ID to
 *    PidTagOriginalMessageId, X-MSExch-Correlation-Key to PidTagParentKey.
 *  - the returned message (message/rfc822 or text/rfc822-headers) gives
 *    PidTagOriginalSubject, PidTagOriginalSubmitTime, PidTagOriginalDisplayTo.
 */
#include <string.h>
#include <unistd.h>

#include "mime/mime.h"

#define PR_REPORTING_MTA_W PROP_TAG(PT_UNICODE, 0x6820) /* PidTagReportingMessageTransferAgent */
#define PR_ORIGINAL_MESSAGE_ID_W PROP_TAG(PT_UNICODE, 0x1046) /* PidTagOriginalMessageId */

/* ---- the fields of a status part ---------------------------------------------- */
typedef struct field {
    char *name;  /* lower case */
    char *value; /* unfolded, trimmed */
} field;

/* The groups of fields (separated by empty lines) of a status part. */
static GPtrArray *parse_groups(const char *p, size_t n)
{
    GPtrArray *groups = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
    GArray *cur = NULL;
    const char *end = p + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        size_t len = (size_t)(eol - p);
        if (len > 0 && p[len - 1] == '\r')
            len--;
        if (len == 0) {
            cur = NULL; /* a group ends */
        } else if ((p[0] == ' ' || p[0] == '\t') && cur != NULL && cur->len > 0) {
            field *f = &g_array_index(cur, field, cur->len - 1);
            char *more = g_strndup(p, len);
            char *joined = g_strconcat(f->value, " ", g_strstrip(more), NULL);
            g_free(more);
            g_free(f->value);
            f->value = joined;
        } else {
            const char *colon = memchr(p, ':', len);
            if (colon != NULL) {
                if (cur == NULL) {
                    cur = g_array_new(FALSE, TRUE, sizeof(field));
                    g_array_set_clear_func(cur, NULL);
                    g_ptr_array_add(groups, cur);
                }
                field f = { g_ascii_strdown(p, colon - p), g_strndup(colon + 1, p + len - colon - 1) };
                g_strstrip(f.name);
                g_strstrip(f.value);
                g_array_append_val(cur, f);
            }
        }
        p = nl ? nl + 1 : end;
    }
    return groups;
}

static void free_groups(GPtrArray *groups)
{
    for (guint i = 0; i < groups->len; i++) {
        GArray *g = groups->pdata[i];
        for (guint k = 0; k < g->len; k++) {
            g_free(g_array_index(g, field, k).name);
            g_free(g_array_index(g, field, k).value);
        }
    }
    g_ptr_array_unref(groups);
}

static const char *get(GArray *g, const char *name)
{
    for (guint k = 0; g != NULL && k < g->len; k++) {
        if (strcmp(g_array_index(g, field, k).name, name) == 0)
            return g_array_index(g, field, k).value;
    }
    return NULL;
}

/* The part after "type;" of an address or MTA field ("rfc822; a@b"). */
static char *after_type(const char *v)
{
    const char *semi = v ? strchr(v, ';') : NULL;
    char *s = g_strdup(semi ? semi + 1 : (v ? v : ""));
    return g_strstrip(s);
}

/* ---- delivery status ([MS-OXCMAIL] 2.2.3.7.1) ------------------------------------ */
static int severity(const char *action)
{
    static const char *const order[] = { "delivered", "expanded", "relayed", "delayed",
                                         "failed" };
    for (int i = 0; action != NULL && i < 5; i++) {
        if (g_ascii_strncasecmp(action, order[i], strlen(order[i])) == 0)
            return i;
    }
    return -1;
}

static const char *const SUFFIX[] = { ".DR", ".Expanded.DR", ".Relayed.DR", ".Delayed.DR",
                                      ".NDR" };

/* 2.2.3.7.1.3: the status, diagnostic and reason codes of a Status field.
 * The table of diagnostic codes is followed as far as its rows for the
 * address subjects (x.1.y) and the mailbox subjects (x.2.y); other
 * statuses keep the initial values the section gives (-1 and 0). */
static void status_codes(const char *status, LONG *code, LONG *diag, LONG *reason)
{
    int kind = 0, subject = 0, detail = 0;
    if (status != NULL)
        sscanf(status, "%d.%d.%d", &kind, &subject, &detail);
    if (subject < 0 || subject > 9)
        subject = 0;
    if (detail < 0 || detail > 9)
        detail = 0;
    *code = kind * 100 + subject * 10 + detail;
    *diag = -1;
    *reason = 0;
    if (subject == 1) {
        static const LONG d[] = { 0, 35, 48, 32, 1, 0, 40 };
        *diag = detail < 7 ? d[detail] : 0;
        if (detail == 1)
            *reason = 1;
    } else if (subject == 2) {
        static const LONG d[] = { -1, 38, 13, 13, 30 };
        if (detail >= 1 && detail <= 4)
            *diag = d[detail];
    }
}

static HRESULT set_w(LPMAPIPROP obj, ULONG tag, const char *utf8)
{
    return utf8 != NULL ? fm_mime_set_string(obj, tag, utf8) : S_OK;
}

/* The message's Date, or -1. */
static int64_t sent_time(fm_import *im)
{
    GDateTime *dt = g_mime_message_get_date(im->msg);
    return dt ? g_date_time_to_unix(dt) : -1;
}

#define REPORT_RECIP_PROPS 14

static HRESULT recipient_row(fm_import *im, GArray *g, bool failed, ADRENTRY *row)
{
    SPropValue *v = NULL;
    if (MAPIAllocateBuffer(REPORT_RECIP_PROPS * sizeof *v, (void **)&v) != S_OK)
        return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory for a report recipient");
    row->rgPropVals = v;
    char *addr = after_type(get(g, "final-recipient"));
    const char *display = get(g, "x-display-name");
    char *mta = get(g, "remote-mta") ? after_type(get(g, "remote-mta")) : NULL;
    char *status = after_type(get(g, "status"));
    char *supp = NULL;
    if (get(g, "x-supplementary-info") != NULL) {
        supp = g_strdup(get(g, "x-supplementary-info"));
    } else {
        /* 2.2.3.7.1.2: "<" remote-mta SP "#" status SP diagnostic-code ">" */
        const char *diag = get(g, "diagnostic-code");
        supp = g_strdup_printf("<%s%s#%s%s%s>", mta && *mta ? mta : "", mta && *mta ? " " : "",
                               status, diag && *diag ? " " : "", diag ? diag : "");
    }
    LONG code = 0, dcode = 0, rcode = 0;
    status_codes(status, &code, &dcode, &rcode);
    int64_t t = sent_time(im);
    ULONG n = 0;
    HRESULT hr = S_OK;
    struct {
        ULONG tag;
        const char *s;
    } strings[] = { { PR_DISPLAY_NAME_W, display && *display ? display : addr },
                    { PR_EMAIL_ADDRESS_W, addr },
                    { PR_SMTP_ADDRESS_W, addr },
                    { PR_ADDRTYPE_W, "SMTP" },
                    { PR_SUPPLEMENTARY_INFO_W, supp },
                    { PR_DSN_REMOTE_MTA_W, mta } };
    for (size_t i = 0; i < G_N_ELEMENTS(strings) && hr == S_OK; i++) {
        if (strings[i].s == NULL)
            continue;
        v[n].ulPropTag = strings[i].tag;
        hr = fm_mime_utf16(strings[i].s, strlen(strings[i].s), v, &v[n].Value.lpszW);
        n++;
    }
    v[n].ulPropTag = PR_RECIPIENT_TYPE, v[n++].Value.l = MAPI_TO;
    v[n].ulPropTag = PR_NDR_STATUS_CODE, v[n++].Value.l = code;
    v[n].ulPropTag = PR_NDR_DIAG_CODE, v[n++].Value.l = dcode;
    v[n].ulPropTag = PR_NDR_REASON_CODE, v[n++].Value.l = rcode;
    if (t >= 0) {
        v[n].ulPropTag = PR_REPORT_TIME, v[n++].Value.ft = fm_mime_filetime(t);
        if (!failed)
            v[n].ulPropTag = PR_DELIVER_TIME, v[n++].Value.ft = fm_mime_filetime(t);
    }
    row->cValues = n;
    g_free(addr);
    g_free(mta);
    g_free(status);
    g_free(supp);
    return hr;
}

static HRESULT set_class(fm_import *im, const char *suffix)
{
    LPSPropValue v = NULL;
    HRESULT hr = HrGetOneProp((LPMAPIPROP)im->m, PR_MESSAGE_CLASS_A, &v);
    const char *base = hr == S_OK ? v->Value.lpszA : "IPM.Note";
    char *cls = g_strdup_printf("REPORT.%s%s", base, suffix);
    MAPIFreeBuffer(v);
    hr = fm_mime_set_string((LPMAPIPROP)im->m, PR_MESSAGE_CLASS_W, cls);
    g_free(cls);
    return hr;
}

static HRESULT delivery_status(fm_import *im, GPtrArray *groups)
{
    int worst = -1;
    for (guint i = 1; i < groups->len; i++) {
        int s = severity(get(groups->pdata[i], "action"));
        if (s > worst)
            worst = s;
    }
    if (worst < 0)
        return S_OK; /* no recipient says what happened: not a report MAPI knows */
    HRESULT hr = set_class(im, SUFFIX[worst]);
    if (hr == S_OK && groups->len > 0)
        hr = set_w((LPMAPIPROP)im->m, PR_REPORTING_MTA_W, get(groups->pdata[0], "reporting-mta"));
    ULONG n = 0;
    for (guint i = 1; i < groups->len; i++)
        n += severity(get(groups->pdata[i], "action")) == worst;
    ADRLIST *al = NULL;
    if (hr == S_OK && MAPIAllocateBuffer(CbNewADRLIST(n), (void **)&al) != S_OK)
        hr = fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory for report recipients");
    if (al != NULL)
        memset(al, 0, CbNewADRLIST(n));
    for (guint i = 1; hr == S_OK && i < groups->len; i++) {
        if (severity(get(groups->pdata[i], "action")) == worst)
            hr = recipient_row(im, groups->pdata[i], worst == 4, &al->aEntries[al->cEntries++]);
    }
    if (hr == S_OK && n > 0) {
        hr = IMessage_ModifyRecipients(im->m, MODRECIP_ADD, al);
        if (hr != S_OK)
            hr = fm_mime_fail_mapi(hr, "adding the report's recipients");
    }
    for (ULONG i = 0; al != NULL && i < al->cEntries; i++)
        MAPIFreeBuffer(al->aEntries[i].rgPropVals);
    MAPIFreeBuffer(al);
    return hr;
}

/* ---- disposition notification ------------------------------------------------------ */
static HRESULT disposition(fm_import *im, GPtrArray *groups)
{
    GArray *g = groups->len > 0 ? groups->pdata[0] : NULL;
    const char *d = get(g, "disposition");
    if (d == NULL)
        return S_OK;
    /* "action-mode/sending-mode; type[/modifier]" */
    const char *semi = strchr(d, ';');
    char *mode = g_strstrip(g_strndup(d, semi ? (gsize)(semi - d) : strlen(d)));
    char *type = g_strstrip(g_strdup(semi ? semi + 1 : ""));
    char *slash = strchr(type, '/');
    if (slash != NULL)
        *slash = '\0';
    g_strstrip(type);
    bool displayed = g_ascii_strcasecmp(type, "displayed") == 0;
    HRESULT hr = set_class(im, displayed ? ".IPNRN" : ".IPNNRN");
    LPMAPIPROP obj = (LPMAPIPROP)im->m;
    if (hr == S_OK)
        hr = set_w(obj, PR_REPORT_DISPOSITION_W, type);
    if (hr == S_OK)
        hr = set_w(obj, PR_REPORT_DISPOSITION_MODE_W, mode);
    if (hr == S_OK)
        hr = set_w(obj, PR_ORIGINAL_MESSAGE_ID_W, get(g, "original-message-id"));
    const char *key = get(g, "x-msexch-correlation-key");
    if (hr == S_OK && key != NULL) {
        gsize len = 0;
        guchar *bin = g_base64_decode(key, &len);
        SPropValue v = { .ulPropTag = PR_PARENT_KEY, .Value.bin = { (ULONG)len, bin } };
        hr = fm_mime_set(obj, &v);
        g_free(bin);
    }
    g_free(mode);
    g_free(type);
    return hr;
}

/* ---- the returned message ------------------------------------------------------------ */
static HRESULT original_message(fm_import *im, GMimeMultipart *mp)
{
    int n = g_mime_multipart_get_count(mp);
    for (int i = 0; i < n; i++) {
        GMimeObject *part = g_mime_multipart_get_part(mp, i);
        if (!GMIME_IS_MESSAGE_PART(part))
            continue;
        GMimeMessage *orig = g_mime_message_part_get_message((GMimeMessagePart *)part);
        if (orig == NULL)
            return S_OK;
        LPMAPIPROP obj = (LPMAPIPROP)im->m;
        HRESULT hr = set_w(obj, PR_ORIGINAL_SUBJECT_W, g_mime_message_get_subject(orig));
        GDateTime *dt = g_mime_message_get_date(orig);
        if (hr == S_OK && dt != NULL) {
            SPropValue v = { .ulPropTag = PR_ORIGINAL_SUBMIT_TIME };
            v.Value.ft = fm_mime_filetime(g_date_time_to_unix(dt));
            hr = fm_mime_set(obj, &v);
        }
        InternetAddressList *to = g_mime_message_get_addresses(orig, GMIME_ADDRESS_TYPE_TO);
        if (hr == S_OK && to != NULL && internet_address_list_length(to) > 0) {
            char *s = internet_address_list_to_string(to, NULL, FALSE);
            hr = set_w(obj, PR_ORIGINAL_DISPLAY_TO_W, s);
            g_free(s);
        }
        return hr;
    }
    return S_OK;
}

HRESULT fm_mime_import_report(fm_import *im, GMimeMultipart *mp)
{
    if (im->report_status == NULL || !GMIME_IS_PART(im->report_status))
        return S_OK;
    const char *rt = g_mime_object_get_content_type_parameter((GMimeObject *)mp, "report-type");
    GMimeContentType *ct = g_mime_object_get_content_type(im->report_status);
    bool dsn = g_mime_content_type_is_type(ct, "message", "delivery-status") ||
               g_mime_content_type_is_type(ct, "message", "global-delivery-status");
    if (rt != NULL && g_ascii_strcasecmp(rt, dsn ? "delivery-status" : "disposition-notification") &&
        g_ascii_strcasecmp(rt, dsn ? "global-delivery-status" : "global-disposition-notification"))
        return S_OK; /* the part is not the report its multipart names */
    GMimeStream *s = fm_mime_decoded_stream((GMimePart *)im->report_status,
                                            g_mime_part_get_content_encoding(
                                                (GMimePart *)im->report_status),
                                            NULL);
    if (s == NULL)
        return S_OK;
    GMimeStream *mem = g_mime_stream_mem_new();
    g_mime_stream_write_to_stream(s, mem);
    g_object_unref(s);
    GByteArray *bytes = g_mime_stream_mem_get_byte_array((GMimeStreamMem *)mem);
    GPtrArray *groups = parse_groups((const char *)bytes->data, bytes->len);
    g_object_unref(mem);
    HRESULT hr = dsn ? delivery_status(im, groups) : disposition(im, groups);
    free_groups(groups);
    if (hr == S_OK)
        hr = original_message(im, mp);
    return hr;
}

/* ---- writing a report composed in MAPI ([MS-OXCMAIL] 2.1.3.6) --------------------- */
static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && g_ascii_strcasecmp(s + n - k, suffix) == 0;
}

/* The report kind of a class: 0..4 a delivery status (SUFFIX), 5 read,
 * 6 not read, -1 none. */
static int report_kind(const char *cls)
{
    if (cls == NULL || g_ascii_strncasecmp(cls, "REPORT.", 7) != 0)
        return -1;
    if (ends_with(cls, ".IPNRN"))
        return 5;
    if (ends_with(cls, ".IPNNRN"))
        return 6;
    for (int i = 4; i >= 0; i--) {
        if (ends_with(cls, SUFFIX[i]) && (i != 0 || !ends_with(cls, ".Expanded.DR")))
            return i;
    }
    return -1;
}

static const char *const ACTION[] = { "delivered", "expanded", "relayed", "delayed", "failed" };

static void status_of(const SPropValue *code, int kind, char *out, size_t cap)
{
    if (PROP_TYPE(code->ulPropTag) == PT_LONG && code->Value.l >= 100 && code->Value.l < 1000) {
        LONG c = code->Value.l;
        snprintf(out, cap, "%ld.%ld.%ld", (long)(c / 100), (long)(c / 10 % 10), (long)(c % 10));
    } else {
        snprintf(out, cap, "%s", kind == 4 ? "5.0.0" : kind == 3 ? "4.0.0" : "2.0.0");
    }
}

static const char *rstr(const SPropValue *v)
{
    return PROP_TYPE(v->ulPropTag) == PT_STRING8 && v->Value.lpszA[0] ? v->Value.lpszA : NULL;
}

/* The message/delivery-status fields (2.1.3.6.1). */
static HRESULT dsn_fields(fm_export *ex, int kind, GString *out)
{
    char *mta = fm_mime_get_string_prop((LPMAPIPROP)ex->m, CHANGE_PROP_TYPE(PR_REPORTING_MTA_W,
                                                                           PT_STRING8));
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    if (mta != NULL && strchr(mta, ';') != NULL)
        g_string_append_printf(out, "Reporting-MTA: %s\r\n", mta);
    else
        g_string_append_printf(out, "Reporting-MTA: dns; %s\r\n", mta ? mta : host);
    g_free(mta);
    static const SizedSPropTagArray(6, cols) = {
        6, { PR_SMTP_ADDRESS_A, PR_EMAIL_ADDRESS_A, PR_DISPLAY_NAME_A, PR_NDR_STATUS_CODE,
             PR_DSN_REMOTE_MTA_A, PR_SUPPLEMENTARY_INFO_A }
    };
    LPMAPITABLE t = NULL;
    HRESULT hr = IMessage_GetRecipientTable(ex->m, 0, &t);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "reading the report's recipients");
    LPSRowSet rows = NULL;
    hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    IMAPITable_Release(t);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "reading the report's recipients");
    for (ULONG i = 0; i < rows->cRows; i++) {
        const SPropValue *v = rows->aRow[i].lpProps;
        const char *addr = rstr(&v[0]) ? rstr(&v[0]) : rstr(&v[1]) ? rstr(&v[1]) : "";
        char status[16];
        status_of(&v[3], kind, status, sizeof status);
        g_string_append_printf(out, "\r\nFinal-Recipient: rfc822; %s\r\nAction: %s\r\n"
                                    "Status: %s\r\n", addr, ACTION[kind], status);
        if (rstr(&v[4]))
            g_string_append_printf(out, "Remote-MTA: dns; %s\r\n", rstr(&v[4]));
        if (rstr(&v[5]))
            g_string_append_printf(out, "X-Supplementary-Info: %s\r\n", rstr(&v[5]));
        if (rstr(&v[2]) && strcmp(rstr(&v[2]), addr) != 0)
            g_string_append_printf(out, "X-Display-Name: %s\r\n", rstr(&v[2]));
    }
    FreeProws(rows);
    return S_OK;
}

/* The message/disposition-notification fields (2.1.3.6.2). */
static void mdn_fields(fm_export *ex, int kind, GString *out)
{
    const char *who = fm_export_str(ex, FM_EP_SENDER_EMAIL) ? fm_export_str(ex, FM_EP_SENDER_EMAIL)
                                                           : fm_export_str(ex, FM_EP_FROM_EMAIL);
    g_string_append_printf(out, "Final-Recipient: rfc822; %s\r\n", who ? who : "");
    char *mode = fm_mime_get_string_prop((LPMAPIPROP)ex->m, PR_REPORT_DISPOSITION_MODE_A);
    g_string_append_printf(out, "Disposition: %s; %s\r\n",
                           mode ? mode : "manual-action/MDN-sent-manually",
                           kind == 5 ? "displayed" : "deleted");
    g_free(mode);
    LPSPropValue key = NULL;
    if (HrGetOneProp((LPMAPIPROP)ex->m, PR_PARENT_KEY, &key) == S_OK && key->Value.bin.cb > 0) {
        gchar *b64 = g_base64_encode(key->Value.bin.lpb, key->Value.bin.cb);
        g_string_append_printf(out, "X-MSExch-Correlation-Key: %s\r\n", b64);
        g_free(b64);
    }
    MAPIFreeBuffer(key);
    char *orig = fm_mime_get_string_prop((LPMAPIPROP)ex->m,
                                         CHANGE_PROP_TYPE(PR_ORIGINAL_MESSAGE_ID_W, PT_STRING8));
    if (orig != NULL)
        g_string_append_printf(out, "Original-Message-ID: %s\r\n", orig);
    g_free(orig);
    const char *name = fm_export_str(ex, FM_EP_SENDER_NAME);
    if (name != NULL && who != NULL && strcmp(name, who) != 0)
        g_string_append_printf(out, "X-Display-Name: %s\r\n", name);
}

HRESULT fm_mime_build_report(fm_export *ex, fm_out_node **out)
{
    int kind = report_kind(fm_export_str(ex, FM_EP_CLASS));
    if (kind < 0)
        return S_FALSE;
    fm_out_node *report = fm_out_node_new(FM_OUT_MULTIPART);
    report->boundary = fm_out_boundary();
    char *type = g_strdup_printf("multipart/report; report-type=%s; boundary=\"%s\"",
                                 kind < 5 ? "delivery-status" : "disposition-notification",
                                 report->boundary);
    fm_out_header(report, "Content-Type", type);
    g_free(type);
    GString *empty = g_string_new(NULL);
    fm_out_add(report, fm_mime_text_node("plain", ex->body ? ex->body : empty, "utf-8", NULL));
    g_string_free(empty, TRUE);
    GString *fields = g_string_new(NULL);
    HRESULT hr = S_OK;
    if (kind < 5)
        hr = dsn_fields(ex, kind, fields);
    else
        mdn_fields(ex, kind, fields);
    if (hr == S_OK) {
        fm_out_node *status = fm_out_node_new(FM_OUT_LEAF);
        fm_out_header(status, "Content-Type", kind < 5 ? "message/delivery-status"
                                                      : "message/disposition-notification");
        GByteArray *b = g_byte_array_sized_new((guint)fields->len);
        g_byte_array_append(b, (const guint8 *)fields->str, (guint)fields->len);
        status->content = g_mime_stream_mem_new_with_byte_array(b);
        status->enc = GMIME_CONTENT_ENCODING_7BIT;
        fm_out_add(report, status);
        /* The returned message, when the report holds one. */
        hr = fm_export_attachments(ex);
        for (guint i = 0; hr == S_OK && i < ex->atts->len; i++) {
            fm_export_att *a = &g_array_index(ex->atts, fm_export_att, i);
            fm_out_node *n = NULL;
            hr = fm_mime_attach_node(ex, a->num, NULL, false, &n);
            a->used = true;
            if (n != NULL)
                fm_out_add(report, n);
        }
    }
    g_string_free(fields, TRUE);
    if (hr != S_OK) {
        fm_out_node_free(report);
        return hr;
    }
    *out = report;
    return S_OK;
}
