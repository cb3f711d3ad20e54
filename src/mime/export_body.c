/*
 * mime/export_body.c - the body tree of a MAPI message as MIME, built from
 * its properties when no skeleton says how it came:
 *
 *   multipart/mixed                 when there are attachments
 *     multipart/alternative         when there are both text and HTML
 *       text/plain                  PR_BODY
 *       multipart/related           when the HTML has inline images
 *         text/html                 PR_HTML
 *         image/...                 hidden attachments with a Content-ID
 *     application/... , message/rfc822 (embedded messages)
 *
 * and the parts every tree is made of: text and HTML bodies in their
 * charsets, attachments (from the store's stream while the message is
 * written, so an attachment of any size takes constant memory), embedded
 * messages. Signed and encrypted messages are written as [MS-OXOSMIME]
 * stores them: the attachment holding the signed entity is the body, byte
 * for byte.
 *
 * Transfer encodings: the one a kept header block names when the content
 * fits it, else the one GMime finds best; message parts (delivery
 * status, external bodies, partial messages) are never base64 or
 * quoted-printable (RFC 2046 sections 5.2.2 to 5.2.4), nor are multiparts.
 */
#include <string.h>

#include "mapiguid.h"
#include "mime/mime.h"

/* ---- bodies ---------------------------------------------------------------- */
/* Reads a body too large for GetProps through its stream, under the
 * first of the tags the value turns out to be stored as. */
static HRESULT stream_body(LPMESSAGE m, ULONG first, ULONG second, GString **out)
{
    GString *s = g_string_new(NULL);
    HRESULT hr = fm_mime_read_prop_stream((LPMAPIPROP)m, first, s);
    if (hr == MAPI_E_NO_SUPPORT) {
        g_string_truncate(s, 0);
        hr = fm_mime_read_prop_stream((LPMAPIPROP)m, second, s);
    }
    if (hr != S_OK) {
        g_string_free(s, TRUE);
        /* No stream either: GetProps really ran out of memory. */
        return fm_mime_fail_mapi(hr == MAPI_E_NOT_FOUND ? MAPI_E_NOT_ENOUGH_MEMORY : hr,
                                 "reading a large body");
    }
    *out = s;
    return S_OK;
}

/* The text of a body as GetProps returned it (v), or NULL when the message
 * has none; a value GetProps could not return is read from its stream. */
static HRESULT body_text(LPMESSAGE m, const SPropValue *v, ULONG first, ULONG second,
                         GString **out)
{
    *out = NULL;
    switch (PROP_TYPE(v->ulPropTag)) {
    case PT_STRING8:
        *out = g_string_new(v->Value.lpszA);
        return S_OK;
    case PT_BINARY:
        *out = g_string_new_len((const char *)v->Value.bin.lpb, v->Value.bin.cb);
        return S_OK;
    case PT_ERROR:
        if (v->Value.err == MAPI_E_NOT_FOUND)
            return S_OK;
        if (v->Value.err == MAPI_E_NOT_ENOUGH_MEMORY)
            return stream_body(m, first, second, out);
        return fm_mime_fail(v->Value.err, "reading a body: %s", fmapi_error_name(v->Value.err));
    default:
        return S_OK;
    }
}

/* True when the message was given one body, HTML, and the store derives
 * its plain text (PR_NATIVE_BODY_INFO 3 with PR_RTF_IN_SYNC, which a store
 * keeping bodies in sync reports for one body): the export then writes the
 * HTML alone, as it was given, not a multipart/alternative. */
static bool text_is_derived_from_html(LPMESSAGE m)
{
    SizedSPropTagArray(2, tags) = { 2, { PR_NATIVE_BODY_INFO, PR_RTF_IN_SYNC } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    bool derived = false;
    if (SUCCEEDED(IMessage_GetProps(m, (LPSPropTagArray)&tags, 0, &n, &v)) && n == 2)
        derived = v[0].ulPropTag == PR_NATIVE_BODY_INFO && v[0].Value.l == 3 &&
                  v[1].ulPropTag == PR_RTF_IN_SYNC && v[1].Value.b;
    MAPIFreeBuffer(v);
    return derived;
}

HRESULT fm_export_bodies(fm_export *ex)
{
    HRESULT hr = body_text(ex->m, &ex->v[FM_EP_BODY], PR_BODY_W, PR_BODY_A, &ex->body);
    if (hr == S_OK)
        hr = body_text(ex->m, &ex->v[FM_EP_HTML], PR_HTML, PR_BODY_HTML_W, &ex->html);
    if (hr == S_OK && ex->body != NULL && ex->html != NULL && text_is_derived_from_html(ex->m)) {
        g_string_free(ex->body, TRUE);
        ex->body = NULL;
    }
    const SPropValue *cpid = &ex->v[FM_EP_CPID];
    ex->cpid = PROP_TYPE(cpid->ulPropTag) == PT_LONG ? (ULONG)cpid->Value.l : 65001;
    /* A string-typed HTML body comes as UTF-8 whatever its code page. */
    if (PROP_TYPE(ex->v[FM_EP_HTML].ulPropTag) == PT_STRING8 ||
        fm_mime_cpid_charset(ex->cpid) == NULL)
        ex->cpid = 65001;
    return hr;
}

/* ---- kept header fields --------------------------------------------------------- */
static size_t field_len(const char *p, const char *end)
{
    const char *q = p;
    for (;;) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        if (nl == NULL)
            return (size_t)(end - p);
        q = nl + 1;
        if (q == end || (*q != ' ' && *q != '\t'))
            return (size_t)(q - p);
    }
}

static size_t name_len(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && (unsigned char)p[i] > 32 && (unsigned char)p[i] < 127 && p[i] != ':')
        i++;
    size_t name = i;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    return name > 0 && i < n && p[i] == ':' ? name : 0;
}

static bool named(const char *name, size_t n, const char *const *list)
{
    for (; list != NULL && *list != NULL; list++) {
        if (strlen(*list) == n && g_ascii_strncasecmp(name, *list, n) == 0)
            return true;
    }
    return false;
}

void fm_mime_part_fields(GString *out, const char *p, size_t n, const char *const *drop)
{
    const char *end = p + n;
    while (p < end) {
        size_t len = field_len(p, end);
        size_t name = name_len(p, len);
        if (name > 0 && !named(p, name, drop))
            fm_out_raw_headers(out, p, len);
        p += len;
    }
}

/* The value of the field called name in a kept block (caller frees). */
static char *kept_value(const fm_skel_bytes *h, const char *name)
{
    const char *p = h->p, *end = h->p + h->n;
    while (p < end) {
        size_t len = field_len(p, end);
        size_t nl = name_len(p, len);
        if (nl == strlen(name) && g_ascii_strncasecmp(p, name, nl) == 0) {
            const char *v = memchr(p, ':', len) + 1;
            return g_strndup(v, (gsize)(p + len - v));
        }
        p += len;
    }
    return NULL;
}

static GMimeContentType *kept_type(const fm_skel_bytes *h)
{
    char *v = h != NULL ? kept_value(h, "Content-Type") : NULL;
    if (v == NULL)
        return NULL;
    GMimeContentType *ct = g_mime_content_type_parse(fm_mime_parser_options(), v);
    g_free(v);
    return ct;
}

char *fm_mime_kept_param(const fm_skel_bytes *h, const char *param)
{
    GMimeContentType *ct = kept_type(h);
    const char *v = ct ? g_mime_content_type_get_parameter(ct, param) : NULL;
    char *out = v ? g_strdup(v) : NULL;
    if (ct != NULL)
        g_object_unref(ct);
    return out;
}

GMimeContentEncoding fm_mime_kept_encoding(const fm_skel_bytes *h)
{
    char *v = h != NULL ? kept_value(h, "Content-Transfer-Encoding") : NULL;
    if (v == NULL)
        return GMIME_CONTENT_ENCODING_DEFAULT;
    GMimeContentEncoding e = g_mime_content_encoding_from_string(g_strstrip(v));
    g_free(v);
    return e;
}

/* The encoding to write content in: the kept one when the content fits
 * it, else the best (message parts: 7bit or 8bit, never re-encoded). */
static GMimeContentEncoding pick_encoding(GMimeStream *content, GMimeContentEncoding kept,
                                          bool text, bool message)
{
    if (message) {
        if (kept == GMIME_CONTENT_ENCODING_BINARY ||
            !fm_out_encoding_fits(content, GMIME_CONTENT_ENCODING_8BIT))
            return GMIME_CONTENT_ENCODING_BINARY;
        if (kept == GMIME_CONTENT_ENCODING_8BIT ||
            !fm_out_encoding_fits(content, GMIME_CONTENT_ENCODING_7BIT))
            return GMIME_CONTENT_ENCODING_8BIT;
        return kept == GMIME_CONTENT_ENCODING_7BIT ? kept : GMIME_CONTENT_ENCODING_DEFAULT;
    }
    if (kept == GMIME_CONTENT_ENCODING_BASE64 || kept == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
        kept == GMIME_CONTENT_ENCODING_UUENCODE)
        return kept == GMIME_CONTENT_ENCODING_UUENCODE ? GMIME_CONTENT_ENCODING_BASE64 : kept;
    if ((kept == GMIME_CONTENT_ENCODING_7BIT || kept == GMIME_CONTENT_ENCODING_8BIT ||
         kept == GMIME_CONTENT_ENCODING_BINARY || kept == GMIME_CONTENT_ENCODING_DEFAULT) &&
        fm_out_encoding_fits(content, kept))
        return kept;
    return fm_out_best_encoding(content, text);
}

/* The leaf's header block: kept fields (Content-Type replaced by type when
 * not NULL), then the transfer encoding if it differs from the kept one. */
static void leaf_headers(fm_out_node *n, const fm_skel_bytes *kept, const char *type,
                         GMimeContentEncoding enc)
{
    GMimeContentEncoding was = fm_mime_kept_encoding(kept);
    bool same = was == enc || (was == GMIME_CONTENT_ENCODING_DEFAULT &&
                               enc == GMIME_CONTENT_ENCODING_7BIT);
    const char *drop[3] = { NULL, NULL, NULL };
    int k = 0;
    if (type != NULL)
        drop[k++] = "Content-Type";
    if (!same)
        drop[k++] = "Content-Transfer-Encoding";
    fm_mime_part_fields(n->headers, kept->p, kept->n, drop);
    if (type != NULL)
        fm_out_header(n, "Content-Type", type);
    const char *name = fm_out_encoding_name(enc);
    if (!same && name != NULL && enc != GMIME_CONTENT_ENCODING_7BIT)
        fm_out_header(n, "Content-Transfer-Encoding", name);
}

static char *encode_type(GMimeContentType *ct)
{
    char *v = g_mime_content_type_encode(ct, fm_mime_format_options());
    return g_strstrip(v);
}

/* ---- text and HTML --------------------------------------------------------------- */
/* utf8 in charset cs, or NULL when cs cannot represent it. */
static GString *from_utf8(const GString *utf8, const char *cs)
{
    if (fm_mime_charset_is_utf8(cs))
        return g_string_new_len(utf8->str, (gssize)utf8->len);
    if (fm_mime_charset_is_ascii(cs))
        return fm_mime_is_ascii(utf8->str, utf8->len)
                   ? g_string_new_len(utf8->str, (gssize)utf8->len)
                   : NULL;
    gsize written = 0;
    gchar *c = g_convert(utf8->str, (gssize)utf8->len, cs, "UTF-8", NULL, &written, NULL);
    if (c == NULL)
        return NULL;
    GString *s = g_string_new_len(c, (gssize)written);
    g_free(c);
    return s;
}

static fm_out_node *content_leaf(GString *bytes, bool text, const fm_skel_bytes *kept,
                                 const char *new_type, bool message)
{
    fm_out_node *n = fm_out_node_new(FM_OUT_LEAF);
    n->text = text;
    GByteArray *a = g_byte_array_sized_new((guint)bytes->len);
    g_byte_array_append(a, (const guint8 *)bytes->str, (guint)bytes->len);
    n->content = g_mime_stream_mem_new_with_byte_array(a);
    n->enc = pick_encoding(n->content, fm_mime_kept_encoding(kept), text, message);
    leaf_headers(n, kept, new_type, n->enc);
    return n;
}

fm_out_node *fm_mime_text_node(const char *subtype, const GString *utf8, const char *charset,
                               const fm_skel_bytes *kept)
{
    static const fm_skel_bytes none = { "", 0 };
    char *want = kept ? fm_mime_kept_param(kept, "charset") : NULL;
    /* A kept part naming no charset is us-ascii (RFC 2046 section 4.1.2). */
    const char *cs = want ? want : kept ? "us-ascii" : charset;
    GString *bytes = from_utf8(utf8, cs);
    bool rewrite = kept == NULL || bytes == NULL;
    if (bytes == NULL) {
        cs = fm_mime_is_ascii(utf8->str, utf8->len) ? "us-ascii" : "utf-8";
        bytes = g_string_new_len(utf8->str, (gssize)utf8->len);
    }
    char *type = NULL;
    if (rewrite) {
        GMimeContentType *ct = kept ? kept_type(kept) : NULL;
        if (ct == NULL)
            ct = g_mime_content_type_new("text", subtype);
        g_mime_content_type_set_parameter(ct, "charset", cs);
        type = encode_type(ct);
        g_object_unref(ct);
    }
    fm_out_node *n = content_leaf(bytes, true, kept ? kept : &none, type, false);
    g_free(type);
    g_free(want);
    g_string_free(bytes, TRUE);
    return n;
}

fm_out_node *fm_mime_html_node(const fm_export *ex, const fm_skel_bytes *kept)
{
    static const fm_skel_bytes none = { "", 0 };
    const char *cs = fm_mime_cpid_charset(ex->cpid);
    if (cs == NULL)
        cs = "utf-8";
    if (fm_mime_charset_is_ascii(cs) && !fm_mime_is_ascii(ex->html->str, ex->html->len))
        cs = "utf-8";
    char *was = kept ? fm_mime_kept_param(kept, "charset") : NULL;
    /* Naming no charset, a kept part says us-ascii; an ASCII body fits. */
    bool fits = kept != NULL &&
                (was != NULL ? fm_mime_charset_cpid(was) == fm_mime_charset_cpid(cs)
                             : fm_mime_is_ascii(ex->html->str, ex->html->len));
    char *type = NULL;
    if (!fits) {
        GMimeContentType *ct = kept ? kept_type(kept) : NULL;
        if (ct == NULL)
            ct = g_mime_content_type_new("text", "html");
        /* An ASCII body needs no more than us-ascii, as before. */
        if (kept == NULL && fm_mime_is_ascii(ex->html->str, ex->html->len))
            cs = "us-ascii";
        g_mime_content_type_set_parameter(ct, "charset", cs);
        type = encode_type(ct);
        g_object_unref(ct);
    }
    fm_out_node *n = content_leaf(ex->html, true, kept ? kept : &none, type, false);
    g_free(type);
    g_free(was);
    return n;
}

/* ---- attachments -------------------------------------------------------------- */
enum { A_LONGNAME, A_NAME, A_DISPLAY, A_MIME, A_CID, A_LOCATION, A_HIDDEN, A_FLAGS, A_METHOD,
       A_COUNT };
static const SizedSPropTagArray(A_COUNT, ATTACH_PROPS) = {
    A_COUNT,
    { PR_ATTACH_LONG_FILENAME_A, PR_ATTACH_FILENAME_A, PR_DISPLAY_NAME_A, PR_ATTACH_MIME_TAG_A,
      PR_ATTACH_CONTENT_ID_A, PR_ATTACH_CONTENT_LOCATION_A, PR_ATTACHMENT_HIDDEN,
      PR_ATTACH_FLAGS, PR_ATTACH_METHOD }
};

static const char *astr(const SPropValue *v, int i)
{
    return PROP_TYPE(v[i].ulPropTag) == PT_STRING8 && v[i].Value.lpszA[0] ? v[i].Value.lpszA
                                                                          : NULL;
}

/* The attachment's data as a stream: small data from GetProps (one call,
 * no stream), large data from the store's stream, read as it is written. */
HRESULT fm_mime_attach_content(LPATTACH att, GMimeStream **out)
{
    LPSTREAM s = NULL;
    LPSPropValue small = NULL;
    HRESULT hr = HrGetOneProp((LPMAPIPROP)att, PR_ATTACH_DATA_BIN, &small);
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY) {
        hr = IAttach_OpenProperty(att, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, (LPUNKNOWN *)&s);
        if (hr == MAPI_E_NOT_FOUND)
            hr = MAPI_E_NOT_ENOUGH_MEMORY; /* no stream either: GetProps ran out */
    }
    if (hr != S_OK && hr != MAPI_E_NOT_FOUND)
        return fm_mime_fail_mapi(hr, "reading an attachment");
    if (s != NULL) {
        *out = fm_mime_stream_istream_new(s);
        IStream_Release(s);
    } else if (small != NULL) {
        GByteArray *a = g_byte_array_sized_new(small->Value.bin.cb);
        g_byte_array_append(a, small->Value.bin.lpb, small->Value.bin.cb);
        *out = g_mime_stream_mem_new_with_byte_array(a);
        MAPIFreeBuffer(small);
    } else {
        *out = g_mime_stream_mem_new();
    }
    return S_OK;
}

/* The fields of an attachment part made from its properties. */
static void attach_headers(fm_out_node *n, const SPropValue *v, const char *mime, bool related,
                           bool message)
{
    GMimeContentType *ct = g_mime_content_type_parse(fm_mime_parser_options(), mime);
    const char *name = astr(v, A_LONGNAME) ? astr(v, A_LONGNAME)
                       : astr(v, A_NAME)   ? astr(v, A_NAME)
                                           : message ? NULL : astr(v, A_DISPLAY);
    if (name != NULL)
        g_mime_content_type_set_parameter(ct, "name", name);
    char *type = encode_type(ct);
    fm_out_header(n, "Content-Type", type);
    g_free(type);
    g_object_unref(ct);
    const char *enc = fm_out_encoding_name(n->enc);
    if (enc != NULL && n->enc != GMIME_CONTENT_ENCODING_7BIT)
        fm_out_header(n, "Content-Transfer-Encoding", enc);
    if (!message || name != NULL) {
        GMimeContentDisposition *d = g_mime_content_disposition_new();
        g_mime_content_disposition_set_disposition(d, related ? "inline" : "attachment");
        if (name != NULL)
            g_mime_content_disposition_set_parameter(d, "filename", name);
        char *dv = g_mime_content_disposition_encode(d, fm_mime_format_options());
        fm_out_header(n, "Content-Disposition", g_strstrip(dv));
        g_free(dv);
        g_object_unref(d);
    }
    if (astr(v, A_CID) != NULL) {
        char *cid = g_strdup_printf("<%s>", astr(v, A_CID));
        fm_out_header(n, "Content-Id", cid);
        g_free(cid);
    }
    if (astr(v, A_LOCATION) != NULL)
        fm_out_header(n, "Content-Location", astr(v, A_LOCATION));
}

static HRESULT embedded_node(fm_export *ex, LPATTACH att, const SPropValue *v,
                             const fm_skel_bytes *kept, fm_out_node **out)
{
    if (ex->depth + 1 >= FMAPI_MIME_MAX_DEPTH)
        return fm_mime_fail(MAPI_E_TOO_COMPLEX,
                            "MIME export: embedded messages nested deeper than %d",
                            FMAPI_MIME_MAX_DEPTH);
    LPMESSAGE e = NULL;
    HRESULT hr = IAttach_OpenProperty(att, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
                                      (LPUNKNOWN *)&e);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "opening an embedded message");
    fm_mime_out *inner = g_new0(fm_mime_out, 1);
    hr = fm_mime_build_out(e, ex->flags & ~(CCSF_NO_MSGID | CCSF_EMBEDDED_MESSAGE),
                           ex->depth + 1, NULL, inner);
    IMessage_Release(e);
    if (hr != S_OK) {
        g_free(inner);
        return hr;
    }
    fm_out_node *n = fm_out_node_new(FM_OUT_MESSAGE);
    n->inner = inner;
    if (kept != NULL && kept->n > 0) {
        fm_mime_part_fields(n->headers, kept->p, kept->n, NULL);
    } else {
        n->enc = GMIME_CONTENT_ENCODING_8BIT;
        attach_headers(n, v, "message/rfc822", false, true);
    }
    *out = n;
    return S_OK;
}

static bool is_message_type(const char *mime)
{
    return g_ascii_strncasecmp(mime, "message/", 8) == 0 ||
           g_ascii_strncasecmp(mime, "multipart/", 10) == 0;
}

/* Whether a kept Content-Type names the type the attachment has now. */
static bool kept_type_is(const fm_skel_bytes *kept, const char *mime)
{
    GMimeContentType *ct = kept_type(kept);
    if (ct == NULL)
        return false;
    char *t = g_mime_content_type_get_mime_type(ct);
    bool same = g_ascii_strcasecmp(t, mime) == 0;
    g_free(t);
    g_object_unref(ct);
    return same;
}

HRESULT fm_mime_attach_node(fm_export *ex, ULONG num, const fm_skel_bytes *kept, bool related,
                            fm_out_node **out)
{
    *out = NULL;
    LPATTACH att = NULL;
    HRESULT hr = IMessage_OpenAttach(ex->m, num, NULL, 0, &att);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "opening an attachment");
    ULONG n = 0;
    LPSPropValue v = NULL;
    hr = IAttach_GetProps(att, (LPSPropTagArray)&ATTACH_PROPS, 0, &n, &v);
    if (FAILED(hr)) {
        IAttach_Release(att);
        return fm_mime_fail_mapi(hr, "reading an attachment's properties");
    }
    for (int i = 0; i < A_COUNT; i++) {
        if (PROP_TYPE(v[i].ulPropTag) == PT_ERROR && v[i].Value.err == MAPI_E_NOT_ENOUGH_MEMORY) {
            MAPIFreeBuffer(v);
            IAttach_Release(att);
            return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY,
                                "an attachment property could not be read (too large, or out "
                                "of memory)");
        }
    }
    ULONG method = PROP_TYPE(v[A_METHOD].ulPropTag) == PT_LONG ? (ULONG)v[A_METHOD].Value.l
                                                                : ATTACH_BY_VALUE;
    hr = S_OK;
    if (method == ATTACH_EMBEDDED_MSG) {
        hr = embedded_node(ex, att, v, kept, out);
    } else if (method == ATTACH_BY_VALUE) {
        const char *mime = astr(v, A_MIME) ? astr(v, A_MIME) : "application/octet-stream";
        bool message = is_message_type(mime);
        bool text = g_ascii_strncasecmp(mime, "text/", 5) == 0;
        fm_out_node *leaf = fm_out_node_new(FM_OUT_LEAF);
        hr = fm_mime_attach_content(att, &leaf->content);
        if (hr == S_OK) {
            leaf->text = text;
            bool have_kept = kept != NULL && kept->n > 0;
            GMimeContentEncoding was = have_kept ? fm_mime_kept_encoding(kept)
                                                 : GMIME_CONTENT_ENCODING_BASE64;
            /* A large stream is base64 unless a kept block says otherwise:
             * choosing would mean reading it twice. */
            leaf->enc = !have_kept && !message && !text ? GMIME_CONTENT_ENCODING_BASE64
                                                        : pick_encoding(leaf->content, was, text,
                                                                        message);
            if (have_kept)
                leaf_headers(leaf, kept, kept_type_is(kept, mime) ? NULL : mime, leaf->enc);
            else
                attach_headers(leaf, v, mime, related, message);
            /* The attachment stays open while the content can still be read. */
            IAttach_AddRef(att);
            leaf->att = att;
            *out = leaf;
        } else {
            fm_out_node_free(leaf);
        }
    }
    /* Other methods (by reference, OLE) have no MIME form: left out. */
    MAPIFreeBuffer(v);
    IAttach_Release(att);
    return hr;
}

HRESULT fm_export_attachments(fm_export *ex)
{
    if (ex->atts_read)
        return S_OK;
    ex->atts_read = true;
    ex->atts = g_array_new(FALSE, TRUE, sizeof(fm_export_att));
    const SPropValue *has = &ex->v[FM_EP_HASATTACH];
    if (PROP_TYPE(has->ulPropTag) == PT_BOOLEAN && !has->Value.b)
        return S_OK; /* the attachment table need not be opened */
    ULONG part = fm_mime_part_tag((LPMAPIPROP)ex->m, false);
    SizedSPropTagArray(2, cols) = { 2, { PR_ATTACH_NUM, part ? part : PR_NULL } };
    LPMAPITABLE table = NULL;
    HRESULT hr = IMessage_GetAttachmentTable(ex->m, 0, &table);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "reading the attachment table");
    LPSRowSet rows = NULL;
    hr = HrQueryAllRows(table, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    IMAPITable_Release(table);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "reading the attachment table");
    for (ULONG i = 0; i < rows->cRows; i++) {
        const SPropValue *r = rows->aRow[i].lpProps;
        if (PROP_TYPE(r[0].ulPropTag) != PT_LONG)
            continue;
        fm_export_att a = { (ULONG)r[0].Value.l,
                            PROP_TYPE(r[1].ulPropTag) == PT_LONG ? r[1].Value.l : 0, false };
        g_array_append_val(ex->atts, a);
    }
    FreeProws(rows);
    return S_OK;
}

/* ---- the default tree --------------------------------------------------------- */
static fm_out_node *multipart(const char *subtype)
{
    fm_out_node *n = fm_out_node_new(FM_OUT_MULTIPART);
    n->boundary = fm_out_boundary();
    char *type = g_strdup_printf("multipart/%s; boundary=\"%s\"", subtype, n->boundary);
    fm_out_header(n, "Content-Type", type);
    g_free(type);
    return n;
}

/* Whether the attachment is an inline image of the HTML. */
static HRESULT is_related(fm_export *ex, ULONG num, bool *related)
{
    static const SizedSPropTagArray(3, tags) = {
        3, { PR_ATTACH_CONTENT_ID_A, PR_ATTACHMENT_HIDDEN, PR_ATTACH_FLAGS }
    };
    *related = false;
    LPATTACH att = NULL;
    HRESULT hr = IMessage_OpenAttach(ex->m, num, NULL, 0, &att);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "opening an attachment");
    ULONG n = 0;
    LPSPropValue v = NULL;
    hr = IAttach_GetProps(att, (LPSPropTagArray)&tags, 0, &n, &v);
    IAttach_Release(att);
    if (FAILED(hr))
        return fm_mime_fail_mapi(hr, "reading an attachment's properties");
    bool cid = PROP_TYPE(v[0].ulPropTag) == PT_STRING8 && v[0].Value.lpszA[0];
    bool hidden = PROP_TYPE(v[1].ulPropTag) == PT_BOOLEAN && v[1].Value.b;
    bool mhtml = PROP_TYPE(v[2].ulPropTag) == PT_LONG && (v[2].Value.l & (LONG)ATT_MHTML_REF);
    *related = cid && (hidden || mhtml);
    MAPIFreeBuffer(v);
    return S_OK;
}

HRESULT fm_mime_build_default(fm_export *ex, fm_out_node **out)
{
    *out = NULL;
    bool plain_only = (ex->flags & CCSF_PLAIN_TEXT_ONLY) != 0;
    fm_out_node *html = ex->html != NULL && !plain_only ? fm_mime_html_node(ex, NULL) : NULL;
    fm_out_node *text = NULL;
    if (ex->body != NULL || html == NULL) {
        GString *empty = ex->body ? NULL : g_string_new(NULL);
        const GString *b = ex->body ? ex->body : empty;
        text = fm_mime_text_node("plain", b, fm_mime_is_ascii(b->str, b->len) ? "us-ascii"
                                                                              : "utf-8",
                                 NULL);
        if (empty != NULL)
            g_string_free(empty, TRUE);
    }
    GPtrArray *files = g_ptr_array_new_with_free_func((GDestroyNotify)fm_out_node_free);
    GPtrArray *images = g_ptr_array_new_with_free_func((GDestroyNotify)fm_out_node_free);
    HRESULT hr = fm_export_attachments(ex);
    for (guint i = 0; hr == S_OK && i < ex->atts->len; i++) {
        fm_export_att *a = &g_array_index(ex->atts, fm_export_att, i);
        if (a->used)
            continue;
        bool related = false;
        hr = is_related(ex, a->num, &related);
        related = related && html != NULL;
        fm_out_node *n = NULL;
        if (hr == S_OK)
            hr = fm_mime_attach_node(ex, a->num, NULL, related, &n);
        if (n != NULL) {
            a->used = true;
            g_ptr_array_add(related && n->kind == FM_OUT_LEAF ? images : files, n);
        }
    }
    if (hr == S_OK) {
        if (html != NULL && images->len > 0) {
            fm_out_node *rel = multipart("related");
            fm_out_add(rel, html);
            for (guint i = 0; i < images->len; i++)
                fm_out_add(rel, images->pdata[i]);
            g_ptr_array_set_free_func(images, NULL);
            html = rel;
        }
        fm_out_node *body = text;
        if (text != NULL && html != NULL) {
            body = multipart("alternative");
            fm_out_add(body, text);
            fm_out_add(body, html);
        } else if (html != NULL) {
            body = html;
        }
        text = html = NULL;
        if (files->len > 0) {
            fm_out_node *mixed = multipart("mixed");
            fm_out_add(mixed, body);
            for (guint i = 0; i < files->len; i++)
                fm_out_add(mixed, files->pdata[i]);
            g_ptr_array_set_free_func(files, NULL);
            body = mixed;
        }
        *out = body;
    }
    fm_out_node_free(text);
    fm_out_node_free(html);
    g_ptr_array_unref(files);
    g_ptr_array_unref(images);
    return hr;
}

/* ---- signed and encrypted ([MS-OXOSMIME]) ------------------------------------ */
static bool class_is(const fm_export *ex, const char *suffix)
{
    const char *cls = fm_export_str(ex, FM_EP_CLASS);
    size_t n = cls ? strlen(cls) : 0, k = strlen(suffix);
    return n >= k && g_ascii_strcasecmp(cls + n - k, suffix) == 0;
}

/* The one attachment of a clear-signed message, written as the body byte
 * for byte ([MS-OXOSMIME] 2.1.3.1: it holds the multipart/signed entity,
 * its Content-Type field included). S_FALSE: not such a message. */
static HRESULT signed_body(fm_export *ex, fm_out_node **out)
{
    if (!class_is(ex, ".SMIME.MultipartSigned"))
        return S_FALSE;
    HRESULT hr = fm_export_attachments(ex);
    if (hr != S_OK || ex->atts->len != 1)
        return hr == S_OK ? S_FALSE : hr;
    fm_export_att *a = &g_array_index(ex->atts, fm_export_att, 0);
    LPATTACH att = NULL;
    hr = IMessage_OpenAttach(ex->m, a->num, NULL, 0, &att);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "opening the signed entity");
    fm_out_node *n = fm_out_node_new(FM_OUT_RAW);
    hr = fm_mime_attach_content(att, &n->content);
    n->att = att;
    if (hr != S_OK) {
        fm_out_node_free(n);
        return hr;
    }
    a->used = true;
    *out = n;
    return S_OK;
}

HRESULT fm_mime_build_body(fm_export *ex, fm_out_node **out)
{
    *out = NULL;
    HRESULT hr = S_FALSE;
    if (ex->flags & CCSF_USE_TNEF)
        return fm_mime_build_tnef(ex, out);
    hr = signed_body(ex, out);
    if (hr == S_FALSE)
        hr = fm_mime_build_special(ex, out);
    if (hr == S_FALSE && ex->have_skel && !(ex->flags & CCSF_PLAIN_TEXT_ONLY))
        hr = fm_mime_build_skeleton(ex, out);
    if (hr == S_FALSE)
        hr = fm_mime_build_default(ex, out);
    return hr;
}
