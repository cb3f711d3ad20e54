/*
 * mime/export.c - MAPI -> MIME entry points (IConverterSession::
 * MAPIToMIMEStm) and the message headers.
 *
 * A message that came from the Internet keeps its header block in
 * PR_TRANSPORT_MESSAGE_HEADERS: those headers are written back verbatim
 * (raw, in their order), except the MIME structure headers, which describe
 * the body as it is written now, and Bcc / Message-ID when the flags say so.
 * A message composed in MAPI gets its headers from its properties.
 */
#include <string.h>
#include <unistd.h>

#include "mapiguid.h"
#include "mime/mime.h"

#define EXPORT_FLAGS                                                                      \
    (CCSF_SMTP | CCSF_NOHEADERS | CCSF_INCLUDE_BCC | CCSF_8BITHEADERS |                   \
     CCSF_PLAIN_TEXT_ONLY | CCSF_NO_MSGID | CCSF_EMBEDDED_MESSAGE)

enum {
    P_SUBJECT,
    P_FROM_NAME,
    P_FROM_EMAIL,
    P_SENDER_NAME,
    P_SENDER_EMAIL,
    P_SUBMIT_TIME,
    P_MESSAGE_ID,
    P_IN_REPLY_TO,
    P_REFERENCES,
    P_IMPORTANCE,
    P_HEADERS,
    P_FLAGS,
    P_HASATTACH,
    P_BODY,
    P_HTML,
    P_CPID,
    P_COUNT
};

static const SizedSPropTagArray(P_COUNT, ENVELOPE) = {
    P_COUNT,
    { PR_SUBJECT_A, PR_SENT_REPRESENTING_NAME_A, PR_SENT_REPRESENTING_EMAIL_ADDRESS_A,
      PR_SENDER_NAME_A, PR_SENDER_EMAIL_ADDRESS_A, PR_CLIENT_SUBMIT_TIME,
      PR_INTERNET_MESSAGE_ID_A, PR_IN_REPLY_TO_ID_A, PR_INTERNET_REFERENCES_A, PR_IMPORTANCE,
      PR_TRANSPORT_MESSAGE_HEADERS_A, PR_MESSAGE_FLAGS, PR_HASATTACH, PR_BODY_A,
      PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_HTML)), PR_INTERNET_CPID }
};

/* A value GetProps could not give for want of memory. Only the headers and
 * bodies may be too large for GetProps (they are read from streams then);
 * for the small values this is a real shortage, reported as such rather
 * than written out as a missing header. */
static bool short_of_memory(const SPropValue *v, int i)
{
    return PROP_TYPE(v[i].ulPropTag) == PT_ERROR && v[i].Value.err == MAPI_E_NOT_ENOUGH_MEMORY;
}

static HRESULT check_small_values(const SPropValue *v, bool from_props)
{
    static const int always[] = { P_FLAGS, P_HASATTACH, P_CPID };
    static const int envelope[] = { P_SUBJECT,     P_FROM_NAME,  P_FROM_EMAIL,  P_SENDER_NAME,
                                    P_SENDER_EMAIL, P_SUBMIT_TIME, P_MESSAGE_ID, P_IN_REPLY_TO,
                                    P_REFERENCES,  P_IMPORTANCE };
    for (size_t i = 0; i < sizeof always / sizeof *always; i++) {
        if (short_of_memory(v, always[i]))
            return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading the message");
    }
    for (size_t i = 0; from_props && i < sizeof envelope / sizeof *envelope; i++) {
        if (short_of_memory(v, envelope[i]))
            return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY,
                                "a header property could not be read (too large, or out of "
                                "memory)");
    }
    return S_OK;
}

static const char *str(const SPropValue *v, int i)
{
    return PROP_TYPE(v[i].ulPropTag) == PT_STRING8 ? v[i].Value.lpszA : NULL;
}

/* ---- headers from properties ------------------------------------------------ */
static void add_mailbox(GMimeMessage *msg, GMimeAddressType type, const char *name,
                        const char *addr)
{
    if (addr == NULL || addr[0] == '\0')
        return;
    if (name != NULL && strcmp(name, addr) == 0)
        name = NULL;
    InternetAddress *a = internet_address_mailbox_new(name, addr);
    internet_address_list_add(g_mime_message_get_addresses(msg, type), a);
    g_object_unref(a);
}

static HRESULT add_recipients(LPMESSAGE m, GMimeMessage *msg, ULONG flags)
{
    static const SizedSPropTagArray(3, cols) = {
        3, { PR_DISPLAY_NAME_A, PR_EMAIL_ADDRESS_A, PR_RECIPIENT_TYPE }
    };
    LPMAPITABLE table = NULL;
    HRESULT hr = IMessage_GetRecipientTable(m, 0, &table);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "reading the recipients");
    LPSRowSet rows = NULL;
    hr = HrQueryAllRows(table, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    IMAPITable_Release(table);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "reading the recipients");
    for (ULONG i = 0; i < rows->cRows; i++) {
        const SPropValue *v = rows->aRow[i].lpProps;
        if (PROP_TYPE(v[2].ulPropTag) != PT_LONG)
            continue;
        ULONG type = (ULONG)v[2].Value.l & ~MAPI_SUBMITTED;
        GMimeAddressType t = type == MAPI_CC    ? GMIME_ADDRESS_TYPE_CC
                             : type == MAPI_BCC ? GMIME_ADDRESS_TYPE_BCC
                                                : GMIME_ADDRESS_TYPE_TO;
        if (t == GMIME_ADDRESS_TYPE_BCC && !(flags & CCSF_INCLUDE_BCC))
            continue;
        add_mailbox(msg, t, str(v, 0), str(v, 1) ? str(v, 1) : str(v, 0));
    }
    FreeProws(rows);
    return S_OK;
}

static void add_header(GMimeMessage *msg, const char *name, const char *value)
{
    if (value != NULL && value[0] != '\0')
        g_mime_object_append_header((GMimeObject *)msg, name, value, "utf-8");
}

static HRESULT headers_from_props(LPMESSAGE m, GMimeMessage *msg, const SPropValue *v,
                                  ULONG flags)
{
    add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM, str(v, P_FROM_NAME), str(v, P_FROM_EMAIL));
    if (str(v, P_SENDER_EMAIL) != NULL &&
        (str(v, P_FROM_EMAIL) == NULL ||
         g_ascii_strcasecmp(str(v, P_SENDER_EMAIL), str(v, P_FROM_EMAIL)) != 0))
        add_mailbox(msg, GMIME_ADDRESS_TYPE_SENDER, str(v, P_SENDER_NAME),
                    str(v, P_SENDER_EMAIL));
    HRESULT hr = add_recipients(m, msg, flags);
    if (hr != S_OK)
        return hr;
    if (str(v, P_SUBJECT) != NULL)
        g_mime_message_set_subject(msg, str(v, P_SUBJECT), "utf-8");
    if (PROP_TYPE(v[P_SUBMIT_TIME].ulPropTag) == PT_SYSTIME) {
        GDateTime *dt = g_date_time_new_from_unix_utc(fm_mime_unix_time(v[P_SUBMIT_TIME].Value.ft));
        if (dt != NULL) {
            g_mime_message_set_date(msg, dt);
            g_date_time_unref(dt);
        }
    }
    if (!(flags & CCSF_NO_MSGID))
        add_header(msg, "Message-ID", str(v, P_MESSAGE_ID));
    add_header(msg, "In-Reply-To", str(v, P_IN_REPLY_TO));
    add_header(msg, "References", str(v, P_REFERENCES));
    if (PROP_TYPE(v[P_IMPORTANCE].ulPropTag) == PT_LONG &&
        v[P_IMPORTANCE].Value.l != IMPORTANCE_NORMAL) {
        bool high = v[P_IMPORTANCE].Value.l == IMPORTANCE_HIGH;
        add_header(msg, "Importance", high ? "high" : "low");
        add_header(msg, "X-Priority", high ? "1" : "5");
    }
    return S_OK;
}

/* ---- headers kept from the Internet ------------------------------------------- */
/* Reads PR_TRANSPORT_MESSAGE_HEADERS whole when GetProps could not (too
 * large): through its stream, as UTF-8. */
static HRESULT read_big_headers(LPMESSAGE m, GString *out)
{
    /* The import streams a large header block as Unicode; another writer
     * may have stored it as PT_STRING8, and the stream opens only under
     * the stored type. */
    HRESULT hr = fm_mime_read_prop_stream((LPMAPIPROP)m, PR_TRANSPORT_MESSAGE_HEADERS_W, out);
    if (hr == MAPI_E_NO_SUPPORT) {
        g_string_truncate(out, 0);
        hr = fm_mime_read_prop_stream((LPMAPIPROP)m, PR_TRANSPORT_MESSAGE_HEADERS_A, out);
    }
    return hr == S_OK ? S_OK : fm_mime_fail_mapi(hr, "reading the transport headers");
}

static void copy_raw_headers(GMimeMessage *msg, const char *block, ULONG flags)
{
    GString *text = g_string_new(block);
    g_string_append(text, "\r\n");
    GMimeStream *s = g_mime_stream_mem_new_with_buffer(text->str, text->len);
    g_string_free(text, TRUE);
    GMimeParser *parser = g_mime_parser_new_with_stream(s);
    GMimeMessage *old = g_mime_parser_construct_message(parser, fm_mime_parser_options());
    g_object_unref(parser);
    g_object_unref(s);
    if (old == NULL)
        return;
    GMimeHeaderList *from = g_mime_object_get_header_list((GMimeObject *)old);
    GMimeHeaderList *to = g_mime_object_get_header_list((GMimeObject *)msg);
    int n = g_mime_header_list_get_count(from);
    for (int i = 0; i < n; i++) {
        GMimeHeader *h = g_mime_header_list_get_header_at(from, i);
        const char *name = g_mime_header_get_name(h);
        if (!fm_mime_header_kept(name, strlen(name), flags, false))
            continue;
        const char *value = g_mime_header_get_value(h);
        g_mime_object_append_header((GMimeObject *)msg, name, value ? value : "", "utf-8");
        GMimeHeader *added = g_mime_header_list_get_header_at(to, g_mime_header_list_get_count(to) - 1);
        const char *raw = g_mime_header_get_raw_value(h);
        if (added != NULL && raw != NULL)
            g_mime_header_set_raw_value(added, raw);
    }
    g_object_unref(old);
}

/* ---- the message ----------------------------------------------------------- */
/* What one GetProps of the envelope gave, and the header block to copy. */
typedef struct envelope {
    LPSPropValue v;
    GString *big;        /* a header block too large for GetProps */
    const char *headers; /* the block kept from the Internet; NULL: none */
} envelope;

static void envelope_clear(envelope *e)
{
    MAPIFreeBuffer(e->v);
    if (e->big != NULL)
        g_string_free(e->big, TRUE);
    e->v = NULL;
    e->big = NULL;
    e->headers = NULL;
}

static HRESULT envelope_read(LPMESSAGE m, ULONG flags, envelope *e)
{
    memset(e, 0, sizeof *e);
    ULONG n = 0;
    HRESULT hr = IMessage_GetProps(m, (LPSPropTagArray)&ENVELOPE, 0, &n, &e->v);
    if (FAILED(hr))
        return fm_mime_fail_mapi(hr, "reading the message's properties");
    hr = S_OK;
    const char *headers = (flags & CCSF_NOHEADERS) ? NULL : str(e->v, P_HEADERS);
    if (!(flags & CCSF_NOHEADERS) && PROP_TYPE(e->v[P_HEADERS].ulPropTag) == PT_ERROR &&
        e->v[P_HEADERS].Value.err == MAPI_E_NOT_ENOUGH_MEMORY) {
        e->big = g_string_new(NULL);
        hr = read_big_headers(m, e->big);
        headers = e->big->str;
    }
    e->headers = headers != NULL && headers[0] != '\0' ? headers : NULL;
    if (hr == S_OK)
        hr = check_small_values(e->v, e->headers == NULL);
    if (hr != S_OK)
        envelope_clear(e);
    return hr;
}

static bool unsent(const envelope *e, ULONG flags)
{
    const SPropValue *f = &e->v[P_FLAGS];
    return (flags & CCSF_EMBEDDED_MESSAGE) && PROP_TYPE(f->ulPropTag) == PT_LONG &&
           (f->Value.l & MSGFLAG_UNSENT);
}

static HRESULT envelope_body(LPMESSAGE m, ULONG flags, int depth, const envelope *e,
                             GMimeObject **body)
{
    const SPropValue *v = e->v;
    /* Without attachments the attachment table need not be opened. */
    bool attachments = !(PROP_TYPE(v[P_HASATTACH].ulPropTag) == PT_BOOLEAN &&
                         !v[P_HASATTACH].Value.b);
    /* The bodies came with the same GetProps: one call reads the message. */
    fm_mime_body_props bp = { &v[P_BODY], &v[P_HTML], &v[P_CPID] };
    return fm_mime_build_body(m, flags, depth, attachments, &bp, body);
}

static HRESULT build_message(LPMESSAGE m, ULONG flags, int depth, const envelope *e,
                             GMimeMessage **out)
{
    GMimeMessage *msg = g_mime_message_new(FALSE);
    HRESULT hr = S_OK;
    if (e->headers != NULL)
        copy_raw_headers(msg, e->headers, flags);
    else
        hr = headers_from_props(m, msg, e->v, flags);
    if (hr == S_OK && unsent(e, flags))
        g_mime_object_append_header((GMimeObject *)msg, "X-Unsent", "1", NULL);
    GMimeObject *body = NULL;
    if (hr == S_OK)
        hr = envelope_body(m, flags, depth, e, &body);
    if (hr != S_OK) {
        g_object_unref(msg);
        return hr;
    }
    g_mime_object_append_header((GMimeObject *)msg, "MIME-Version", "1.0", NULL);
    g_mime_message_set_mime_part(msg, body);
    g_object_unref(body);
    *out = msg;
    return S_OK;
}

HRESULT fm_mime_build(LPMESSAGE m, ULONG flags, int depth, GMimeMessage **out)
{
    envelope e;
    HRESULT hr = envelope_read(m, flags, &e);
    if (hr != S_OK)
        return hr;
    hr = build_message(m, flags, depth, &e, out);
    envelope_clear(&e);
    return hr;
}

HRESULT fm_mime_prepare(LPMESSAGE m, ULONG flags, const char *mbox_status, fm_mime_out *out)
{
    out->head = NULL;
    out->obj = NULL;
    envelope e;
    HRESULT hr = envelope_read(m, flags, &e);
    if (hr != S_OK)
        return hr;
    if (e.headers == NULL) {
        GMimeMessage *msg = NULL;
        hr = build_message(m, flags, 0, &e, &msg);
        if (hr == S_OK && mbox_status != NULL) {
            g_mime_object_remove_header((GMimeObject *)msg, "Status");
            g_mime_object_remove_header((GMimeObject *)msg, "X-Status");
            g_mime_object_append_header((GMimeObject *)msg, "Status", mbox_status, NULL);
        }
        out->obj = (GMimeObject *)msg;
        envelope_clear(&e);
        return hr;
    }
    GMimeObject *body = NULL;
    hr = envelope_body(m, flags, 0, &e, &body);
    if (hr == S_OK) {
        out->head = g_string_sized_new(strlen(e.headers) + 64);
        fm_mime_raw_headers(out->head, e.headers, flags, mbox_status != NULL);
        if (unsent(&e, flags))
            g_string_append(out->head, "X-Unsent: 1\r\n");
        if (mbox_status != NULL)
            g_string_append_printf(out->head, "Status: %s\r\n", mbox_status);
        /* The body goes into a message without headers, written after
         * head: GMime adds MIME-Version, writes the body's headers, and ends
         * the last line, as it does for the message fm_mime_build makes. */
        GMimeMessage *msg = g_mime_message_new(FALSE);
        g_mime_message_set_mime_part(msg, body);
        g_object_unref(body);
        out->obj = (GMimeObject *)msg;
    }
    envelope_clear(&e);
    return hr;
}

ssize_t fm_mime_out_write(const fm_mime_out *o, GMimeStream *s)
{
    ssize_t head = 0;
    if (o->head != NULL) {
        head = g_mime_stream_write(s, o->head->str, o->head->len);
        if (head < 0)
            return -1;
    }
    ssize_t rest = g_mime_object_write_to_stream(o->obj, fm_mime_format_options(), s);
    return rest < 0 ? -1 : head + rest;
}

void fm_mime_out_clear(fm_mime_out *o)
{
    if (o->head != NULL)
        g_string_free(o->head, TRUE);
    if (o->obj != NULL)
        g_object_unref(o->obj);
    o->head = NULL;
    o->obj = NULL;
}

HRESULT fm_mime_export_check(LPMESSAGE m, ULONG flags)
{
    if (m == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "MIME export: NULL message");
    if (flags & (CCSF_USE_RTF | CCSF_USE_TNEF))
        return fm_mime_fail(MAPI_E_NO_SUPPORT, "MIME export: RTF and TNEF are not supported");
    if (flags & ~EXPORT_FLAGS)
        return fm_mime_fail(MAPI_E_UNKNOWN_FLAGS, "MIME export: unknown flags 0x%08lX",
                            (unsigned long)(flags & ~EXPORT_FLAGS));
    fm_mime_init();
    return S_OK;
}

static HRESULT check_args(LPMESSAGE m, const void *out, ULONG flags)
{
    fm_mime_clear_error();
    if (out == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "MIME export: NULL argument");
    return fm_mime_export_check(m, flags);
}

HRESULT fmapi_mime_export_message(LPMESSAGE lpMessage, ULONG ulFlags,
                                  struct _GMimeMessage **lppMessage)
{
    HRESULT hr = check_args(lpMessage, lppMessage, ulFlags);
    if (hr != S_OK)
        return hr;
    *lppMessage = NULL;
    return fm_mime_build(lpMessage, ulFlags, 0, (GMimeMessage **)lppMessage);
}

HRESULT fmapi_mime_export(LPMESSAGE lpMessage, ULONG ulFlags, fmapi_mime_write_fn write,
                          void *ctx)
{
    HRESULT hr = check_args(lpMessage, (const void *)write, ulFlags);
    if (hr != S_OK)
        return hr;
    fm_mime_out msg;
    hr = fm_mime_prepare(lpMessage, ulFlags, NULL, &msg);
    if (hr != S_OK)
        return hr;
    HRESULT status = S_OK;
    fm_mime_stream_error(); /* forget an earlier call's */
    GMimeStream *out = fm_mime_stream_callback_new(write, ctx, &status);
    ssize_t n = fm_mime_out_write(&msg, out);
    g_object_unref(out);
    fm_mime_out_clear(&msg);
    if (status != S_OK)
        return fm_mime_fail(status, "MIME export: the writer failed (%s)",
                            fmapi_error_name(status));
    if (n < 0) {
        HRESULT read = fm_mime_stream_error();
        return fm_mime_fail(read != S_OK ? read : MAPI_E_CALL_FAILED,
                            "MIME export: an attachment stream could not be read (%s)",
                            read != S_OK ? fmapi_last_error() : "no detail");
    }
    return S_OK;
}

static HRESULT write_fd(void *ctx, const void *data, size_t len)
{
    int fd = *(int *)ctx;
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0)
            return MAPI_E_DISK_ERROR;
        p += n;
        len -= (size_t)n;
    }
    return S_OK;
}

HRESULT fmapi_mime_export_fd(LPMESSAGE lpMessage, ULONG ulFlags, int fd)
{
    if (fd < 0) {
        fm_mime_clear_error();
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "MIME export: bad descriptor %d", fd);
    }
    return fmapi_mime_export(lpMessage, ulFlags, write_fd, &fd);
}
