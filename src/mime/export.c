/*
 * mime/export.c - MAPI -> MIME entry points (IConverterSession::
 * MAPIToMIMEStm) and the message headers.
 *
 * A message that came from the Internet keeps its header block in
 * PR_TRANSPORT_MESSAGE_HEADERS: those headers are written back verbatim
 * (raw, in their order), except the MIME structure headers, which describe
 * the body as it is written now, and Bcc / Message-ID when the flags say so
 * (export_raw.c). When its skeleton holds the header block's bytes as they
 * came (8-bit text that is not UTF-8, a repaired first line) and the text
 * is unchanged, those bytes are written. The fields standing for properties
 * a client changed since the import are written from those properties
 * (envelope.c). A message composed in MAPI gets its headers from its
 * properties.
 *
 * The body is built as a tree of nodes (export_tree.c): from the skeleton
 * when the message has one (export_skel.c), in the form [MS-OXOSMIME] gives
 * signed and encrypted messages, or from the properties (export_body.c).
 * Nothing is written before the whole tree is built, so a failure leaves
 * the output untouched.
 */
#include <string.h>
#include <unistd.h>

#include "mapiguid.h"
#include "mime/mime.h"

#define EXPORT_FLAGS                                                                      \
    (CCSF_SMTP | CCSF_NOHEADERS | CCSF_INCLUDE_BCC | CCSF_8BITHEADERS |                   \
     CCSF_PLAIN_TEXT_ONLY | CCSF_NO_MSGID | CCSF_EMBEDDED_MESSAGE)

static const SizedSPropTagArray(FM_EP_COUNT, ENVELOPE) = {
    FM_EP_COUNT,
    { PR_SUBJECT_A, PR_SENT_REPRESENTING_NAME_A, PR_SENT_REPRESENTING_EMAIL_ADDRESS_A,
      PR_SENDER_NAME_A, PR_SENDER_EMAIL_ADDRESS_A, PR_CLIENT_SUBMIT_TIME,
      PR_INTERNET_MESSAGE_ID_A, PR_IN_REPLY_TO_ID_A, PR_INTERNET_REFERENCES_A, PR_IMPORTANCE,
      PR_TRANSPORT_MESSAGE_HEADERS_A, PR_MESSAGE_FLAGS, PR_HASATTACH, PR_BODY_A,
      PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_HTML)), PR_INTERNET_CPID, PR_MESSAGE_CLASS_A,
      FM_PR_MIME_SKELETON, PR_PRIORITY, PR_DISPLAY_TO_A, PR_DISPLAY_CC_A, PR_DISPLAY_BCC_A }
};

/* A value GetProps could not give for want of memory. Only the headers,
 * the bodies and the skeleton may be too large for GetProps (they are read
 * from streams then); for the small values this is a real shortage,
 * reported as such rather than written out as a missing header. */
static bool short_of_memory(const SPropValue *v, int i)
{
    return PROP_TYPE(v[i].ulPropTag) == PT_ERROR && v[i].Value.err == MAPI_E_NOT_ENOUGH_MEMORY;
}

static HRESULT check_small_values(const SPropValue *v, bool from_props)
{
    static const int always[] = { FM_EP_FLAGS, FM_EP_HASATTACH, FM_EP_CPID, FM_EP_CLASS };
    static const int envelope[] = { FM_EP_SUBJECT, FM_EP_FROM_NAME, FM_EP_FROM_EMAIL,
                                    FM_EP_SENDER_NAME, FM_EP_SENDER_EMAIL, FM_EP_SUBMIT_TIME,
                                    FM_EP_MESSAGE_ID, FM_EP_IN_REPLY_TO, FM_EP_REFERENCES,
                                    FM_EP_IMPORTANCE };
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

const char *fm_export_str(const fm_export *ex, int i)
{
    return PROP_TYPE(ex->v[i].ulPropTag) == PT_STRING8 ? ex->v[i].Value.lpszA : NULL;
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

/* The recipients of the types in want (bits 1 << MAPI_TO, MAPI_CC, MAPI_BCC). */
static HRESULT add_recipients(LPMESSAGE m, GMimeMessage *msg, ULONG flags, unsigned want)
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
        if (type != MAPI_CC && type != MAPI_BCC)
            type = MAPI_TO;
        GMimeAddressType t = type == MAPI_CC    ? GMIME_ADDRESS_TYPE_CC
                             : type == MAPI_BCC ? GMIME_ADDRESS_TYPE_BCC
                                                : GMIME_ADDRESS_TYPE_TO;
        if (!(want & (1u << type)) || (type == MAPI_BCC && !(flags & CCSF_INCLUDE_BCC)))
            continue;
        const char *name = PROP_TYPE(v[0].ulPropTag) == PT_STRING8 ? v[0].Value.lpszA : NULL;
        const char *addr = PROP_TYPE(v[1].ulPropTag) == PT_STRING8 ? v[1].Value.lpszA : name;
        add_mailbox(msg, t, name, addr);
    }
    FreeProws(rows);
    return S_OK;
}

static void add_header(GMimeMessage *msg, const char *name, const char *value)
{
    if (value != NULL && value[0] != '\0')
        g_mime_object_append_header((GMimeObject *)msg, name, value, "utf-8");
}

static void add_date(fm_export *ex, GMimeMessage *msg)
{
    const SPropValue *t = &ex->v[FM_EP_SUBMIT_TIME];
    if (PROP_TYPE(t->ulPropTag) != PT_SYSTIME)
        return;
    GDateTime *dt = g_date_time_new_from_unix_utc(fm_mime_unix_time(t->Value.ft));
    if (dt != NULL) {
        g_mime_message_set_date(msg, dt);
        g_date_time_unref(dt);
    }
}

static void add_importance(fm_export *ex, GMimeMessage *msg)
{
    const SPropValue *imp = &ex->v[FM_EP_IMPORTANCE];
    if (PROP_TYPE(imp->ulPropTag) == PT_LONG && imp->Value.l != IMPORTANCE_NORMAL) {
        bool high = imp->Value.l == IMPORTANCE_HIGH;
        add_header(msg, "Importance", high ? "high" : "low");
        add_header(msg, "X-Priority", high ? "1" : "5");
    }
}

/* Adds the header fields of envelope group g (FM_EG_*, not the recipients)
 * from the properties. */
static HRESULT add_group(fm_export *ex, GMimeMessage *msg, int g)
{
    const char *from = fm_export_str(ex, FM_EP_FROM_EMAIL);
    const char *sender = fm_export_str(ex, FM_EP_SENDER_EMAIL);
    switch (g) {
    case FM_EG_SUBJECT:
        if (fm_export_str(ex, FM_EP_SUBJECT) != NULL)
            g_mime_message_set_subject(msg, fm_export_str(ex, FM_EP_SUBJECT), "utf-8");
        return S_OK;
    case FM_EG_FROM:
        add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM, fm_export_str(ex, FM_EP_FROM_NAME), from);
        return S_OK;
    case FM_EG_SENDER:
        /* Sender: only when someone sent on behalf of the From: mailbox */
        if (sender != NULL && (from == NULL || g_ascii_strcasecmp(sender, from) != 0))
            add_mailbox(msg, GMIME_ADDRESS_TYPE_SENDER, fm_export_str(ex, FM_EP_SENDER_NAME),
                        sender);
        return S_OK;
    case FM_EG_DATE:
        add_date(ex, msg);
        return S_OK;
    case FM_EG_MESSAGE_ID:
        if (!(ex->flags & CCSF_NO_MSGID))
            add_header(msg, "Message-ID", fm_export_str(ex, FM_EP_MESSAGE_ID));
        return S_OK;
    case FM_EG_IN_REPLY_TO:
        add_header(msg, "In-Reply-To", fm_export_str(ex, FM_EP_IN_REPLY_TO));
        return S_OK;
    case FM_EG_REFERENCES:
        add_header(msg, "References", fm_export_str(ex, FM_EP_REFERENCES));
        return S_OK;
    case FM_EG_IMPORTANCE:
        add_importance(ex, msg);
        return S_OK;
    default:
        return S_OK;
    }
}

/* The header fields of the groups in want (bits 1 << FM_EG_*), formatted by
 * GMime, into out as CRLF lines. */
static HRESULT headers_from_props(fm_export *ex, uint32_t want, GString *out)
{
    /* The order a composed message's fields are written in. */
    static const int order[FM_EG_COUNT] = { FM_EG_FROM,       FM_EG_SENDER,     FM_EG_TO,
                                            FM_EG_CC,         FM_EG_BCC,        FM_EG_SUBJECT,
                                            FM_EG_DATE,       FM_EG_MESSAGE_ID, FM_EG_IN_REPLY_TO,
                                            FM_EG_REFERENCES, FM_EG_IMPORTANCE };
    /* To, Cc and Bcc from one read of the recipient table */
    unsigned recips = ((want >> FM_EG_TO) & 1u) << MAPI_TO | ((want >> FM_EG_CC) & 1u) << MAPI_CC |
                      ((want >> FM_EG_BCC) & 1u) << MAPI_BCC;
    GMimeMessage *msg = g_mime_message_new(FALSE);
    HRESULT hr = S_OK;
    for (int i = 0; hr == S_OK && i < FM_EG_COUNT; i++) {
        int g = order[i];
        if (g == FM_EG_TO || g == FM_EG_CC || g == FM_EG_BCC) {
            if (recips != 0)
                hr = add_recipients(ex->m, msg, ex->flags, recips);
            recips = 0;
        } else if (want & (1u << g)) {
            hr = add_group(ex, msg, g);
        }
    }
    if (hr == S_OK) {
        char *text = g_mime_header_list_to_string(
            g_mime_object_get_header_list((GMimeObject *)msg), fm_mime_format_options());
        fm_out_raw_headers(out, text, strlen(text));
        g_free(text);
    }
    g_object_unref(msg);
    return hr;
}

/* ---- the envelope ------------------------------------------------------------- */
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

/* The skeleton, when the message has one this code can read (a damaged
 * one is ignored: the message is then written from its properties). */
static HRESULT read_skeleton(fm_export *ex)
{
    const SPropValue *v = &ex->v[FM_EP_SKELETON];
    const void *p = NULL;
    size_t n = 0;
    if (PROP_TYPE(v->ulPropTag) == PT_BINARY) {
        p = v->Value.bin.lpb;
        n = v->Value.bin.cb;
    } else if (short_of_memory(ex->v, FM_EP_SKELETON)) {
        ex->big_skel = g_string_new(NULL);
        HRESULT hr = fm_mime_read_prop_stream((LPMAPIPROP)ex->m, FM_PR_MIME_SKELETON,
                                              ex->big_skel);
        if (hr != S_OK)
            return fm_mime_fail_mapi(hr, "reading the MIME skeleton");
        p = ex->big_skel->str;
        n = ex->big_skel->len;
    } else {
        return S_OK;
    }
    HRESULT hr = fm_skel_decode(p, n, &ex->skel);
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
        return fm_mime_fail(hr, "out of memory reading the MIME skeleton");
    ex->have_skel = hr == S_OK;
    return S_OK;
}

void fm_export_clear(fm_export *ex)
{
    MAPIFreeBuffer(ex->v);
    if (ex->big_headers != NULL)
        g_string_free(ex->big_headers, TRUE);
    if (ex->big_skel != NULL)
        g_string_free(ex->big_skel, TRUE);
    fm_skel_clear(&ex->skel);
    if (ex->body != NULL)
        g_string_free(ex->body, TRUE);
    if (ex->html != NULL)
        g_string_free(ex->html, TRUE);
    if (ex->atts != NULL)
        g_array_unref(ex->atts);
    memset(ex, 0, sizeof *ex);
}

HRESULT fm_export_read(fm_export *ex, LPMESSAGE m, ULONG flags, int depth)
{
    memset(ex, 0, sizeof *ex);
    ex->m = m;
    ex->flags = flags;
    ex->depth = depth;
    ULONG n = 0;
    HRESULT hr = IMessage_GetProps(m, (LPSPropTagArray)&ENVELOPE, 0, &n, &ex->v);
    if (FAILED(hr))
        return fm_mime_fail_mapi(hr, "reading the message's properties");
    hr = S_OK;
    const char *headers = (flags & CCSF_NOHEADERS) ? NULL : fm_export_str(ex, FM_EP_HEADERS);
    if (!(flags & CCSF_NOHEADERS) && short_of_memory(ex->v, FM_EP_HEADERS)) {
        ex->big_headers = g_string_new(NULL);
        hr = read_big_headers(m, ex->big_headers);
        headers = ex->big_headers->str;
    }
    ex->headers = headers != NULL && headers[0] != '\0' ? headers : NULL;
    if (hr == S_OK)
        hr = check_small_values(ex->v, ex->headers == NULL);
    if (hr == S_OK)
        hr = read_skeleton(ex);
    if (hr == S_OK)
        hr = fm_export_bodies(ex);
    if (hr != S_OK)
        fm_export_clear(ex);
    return hr;
}

static bool unsent(const fm_export *ex)
{
    const SPropValue *f = &ex->v[FM_EP_FLAGS];
    return (ex->flags & CCSF_EMBEDDED_MESSAGE) && PROP_TYPE(f->ulPropTag) == PT_LONG &&
           (f->Value.l & MSGFLAG_UNSENT);
}

/* The kept header block with the fields of the groups a client changed
 * since the import written from the properties. */
static HRESULT kept_head(fm_export *ex, const char *block, size_t len, bool mbox, GString *head)
{
    /* the envelope values, as envelope.c hashes them, from what the export read */
    static const int at[FM_ENV_PROPS] = {
        [FM_ENV_SUBJECT] = FM_EP_SUBJECT,         [FM_ENV_FROM_NAME] = FM_EP_FROM_NAME,
        [FM_ENV_FROM_EMAIL] = FM_EP_FROM_EMAIL,   [FM_ENV_SENDER_NAME] = FM_EP_SENDER_NAME,
        [FM_ENV_SENDER_EMAIL] = FM_EP_SENDER_EMAIL, [FM_ENV_TO] = FM_EP_DISPLAY_TO,
        [FM_ENV_CC] = FM_EP_DISPLAY_CC,           [FM_ENV_BCC] = FM_EP_DISPLAY_BCC,
        [FM_ENV_SUBMIT_TIME] = FM_EP_SUBMIT_TIME, [FM_ENV_MESSAGE_ID] = FM_EP_MESSAGE_ID,
        [FM_ENV_IN_REPLY_TO] = FM_EP_IN_REPLY_TO, [FM_ENV_REFERENCES] = FM_EP_REFERENCES,
        [FM_ENV_IMPORTANCE] = FM_EP_IMPORTANCE,   [FM_ENV_PRIORITY] = FM_EP_PRIORITY,
    };
    const SPropValue *v[FM_ENV_PROPS];
    for (int p = 0; p < FM_ENV_PROPS; p++)
        v[p] = &ex->v[at[p]];
    uint32_t changed = 0;
    HRESULT hr = S_OK;
    if (ex->have_skel)
        hr = fm_env_changed(ex->m, v, ex->skel.envelope, ex->skel.nenvelope, &changed);
    GString *repl[FM_EG_COUNT] = { NULL };
    for (int g = 0; hr == S_OK && g < FM_EG_COUNT; g++) {
        if (changed & (1u << g)) {
            repl[g] = g_string_new(NULL);
            hr = headers_from_props(ex, 1u << g, repl[g]);
        }
    }
    if (hr == S_OK)
        fm_mime_raw_headers_edit(head, block, len, ex->flags, mbox, changed, repl);
    for (int g = 0; g < FM_EG_COUNT; g++) {
        if (repl[g] != NULL)
            g_string_free(repl[g], TRUE);
    }
    return hr;
}

/* The header block: kept (as it came, when the skeleton has its bytes and
 * the text is unchanged; the fields a client changed from the properties),
 * or from the properties. */
static HRESULT build_head(fm_export *ex, const char *mbox_status, GString *head)
{
    HRESULT hr = S_OK;
    bool mbox = mbox_status != NULL;
    if (ex->headers != NULL) {
        const fm_skel_bytes *raw = &ex->skel.raw_headers;
        if (ex->have_skel && raw->n > 0 &&
            fm_hash_bytes(ex->headers, strlen(ex->headers)) == ex->skel.headers_hash)
            hr = kept_head(ex, raw->p, raw->n, mbox, head);
        else
            hr = kept_head(ex, ex->headers, strlen(ex->headers), mbox, head);
    } else {
        GString *h = g_string_new(NULL);
        hr = headers_from_props(ex, (1u << FM_EG_COUNT) - 1, h);
        if (hr == S_OK)
            fm_mime_raw_headers(head, h->str, h->len, ex->flags, mbox);
        g_string_free(h, TRUE);
    }
    if (unsent(ex))
        g_string_append(head, "X-Unsent: 1\r\n");
    if (mbox_status != NULL)
        g_string_append(head, mbox_status); /* "Status: RO\r\n" and X-Status */
    return hr;
}

HRESULT fm_mime_build_out(LPMESSAGE m, ULONG flags, int depth, const char *mbox_status,
                          fm_mime_out *out)
{
    out->head = NULL;
    out->root = NULL;
    fm_export ex;
    HRESULT hr = fm_export_read(&ex, m, flags, depth);
    if (hr != S_OK)
        return hr;
    GString *head = g_string_sized_new(1024);
    hr = build_head(&ex, mbox_status, head);
    fm_out_node *root = NULL;
    if (hr == S_OK)
        hr = fm_mime_build_body(&ex, &root);
    fm_export_clear(&ex);
    if (hr != S_OK) {
        g_string_free(head, TRUE);
        fm_out_node_free(root);
        return hr;
    }
    out->head = head;
    out->root = root;
    return S_OK;
}

HRESULT fm_mime_prepare(LPMESSAGE m, ULONG flags, const char *mbox_status, fm_mime_out *out)
{
    return fm_mime_build_out(m, flags, 0, mbox_status, out);
}

HRESULT fm_mime_export_check(LPMESSAGE m, ULONG flags)
{
    if (m == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "MIME export: NULL message");
    if (flags & CCSF_USE_RTF)
        return fm_mime_fail(MAPI_E_NO_SUPPORT, "MIME export: RTF is not supported");
    if (flags & ~(EXPORT_FLAGS | CCSF_USE_TNEF))
        return fm_mime_fail(MAPI_E_UNKNOWN_FLAGS, "MIME export: unknown flags 0x%08lX",
                            (unsigned long)(flags & ~(EXPORT_FLAGS | CCSF_USE_TNEF)));
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

/* Writes o into memory. */
static HRESULT write_to_memory(const fm_mime_out *o, GMimeStream **out)
{
    GMimeStream *mem = g_mime_stream_mem_new();
    fm_mime_stream_error();
    if (fm_mime_out_write(o, mem) < 0) {
        g_object_unref(mem);
        HRESULT read = fm_mime_stream_error();
        return fm_mime_fail(read != S_OK ? read : MAPI_E_CALL_FAILED,
                            "MIME export: an attachment stream could not be read (%s)",
                            read != S_OK ? fmapi_last_error() : "no detail");
    }
    g_mime_stream_reset(mem);
    *out = mem;
    return S_OK;
}

HRESULT fmapi_mime_export_message(LPMESSAGE lpMessage, ULONG ulFlags,
                                  struct _GMimeMessage **lppMessage)
{
    HRESULT hr = check_args(lpMessage, lppMessage, ulFlags);
    if (hr != S_OK)
        return hr;
    *lppMessage = NULL;
    /* Written, then parsed: the GMime message holds the bytes the other
     * export functions write. */
    fm_mime_out o;
    hr = fm_mime_build_out(lpMessage, ulFlags, 0, NULL, &o);
    GMimeStream *mem = NULL;
    if (hr == S_OK)
        hr = write_to_memory(&o, &mem);
    fm_mime_out_clear(&o);
    if (hr != S_OK)
        return hr;
    GMimeParser *parser = g_mime_parser_new_with_stream(mem);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, fm_mime_parser_options());
    g_object_unref(parser);
    g_object_unref(mem);
    if (msg == NULL)
        return fm_mime_fail(MAPI_E_CALL_FAILED, "MIME export: GMime could not read the export");
    *lppMessage = (struct _GMimeMessage *)msg;
    return S_OK;
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
