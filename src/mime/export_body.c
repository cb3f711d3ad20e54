/*
 * mime/export_body.c - the body tree of a MAPI message as MIME:
 *
 *   multipart/mixed                 when there are attachments
 *     multipart/alternative         when there are both text and HTML
 *       text/plain                  PR_BODY
 *       multipart/related           when the HTML has inline images
 *         text/html                 PR_HTML
 *         image/...                 hidden attachments with a Content-ID
 *     application/... , message/rfc822 (embedded messages)
 *
 * Bodies are read whole (they are text a reader shows); attachment data is
 * read from the store's stream while the message is written, so an
 * attachment of any size takes constant memory.
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

/* CRLF to LF: GMime writes line ends as the format options say. */
static void to_lf(GString *s)
{
    size_t w = 0;
    for (size_t r = 0; r < s->len; r++) {
        if (s->str[r] == '\r' && r + 1 < s->len && s->str[r + 1] == '\n')
            continue;
        s->str[w++] = s->str[r];
    }
    g_string_truncate(s, w);
}

static void set_text_content(GMimePart *part, GString *text)
{
    GMimeStream *mem = g_mime_stream_mem_new_with_buffer(text->str, text->len);
    GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(mem, GMIME_CONTENT_ENCODING_DEFAULT);
    g_mime_part_set_content(part, w);
    g_object_unref(w);
    g_object_unref(mem);
}

/* A text part. Quoted-printable and 7/8-bit text is handed over with LF
 * line ends (GMime writes them as CRLF); base64 encodes the CRLF text as
 * it is, the canonical form RFC 2046 asks for. */
static GMimeObject *text_part(const char *subtype, GString *text, const char *charset)
{
    GMimeTextPart *tp = g_mime_text_part_new_with_subtype(subtype);
    GMimePart *part = (GMimePart *)tp;
    GString *lf = g_string_new_len(text->str, (gssize)text->len);
    to_lf(lf);
    set_text_content(part, lf);
    bool ascii = true;
    for (size_t i = 0; i < text->len && ascii; i++)
        ascii = (unsigned char)text->str[i] < 0x80;
    g_mime_text_part_set_charset(tp, ascii ? "us-ascii" : charset);
    GMimeContentEncoding enc =
        g_mime_part_get_best_content_encoding(part, GMIME_ENCODING_CONSTRAINT_7BIT);
    if (enc == GMIME_CONTENT_ENCODING_BASE64)
        set_text_content(part, text);
    g_mime_part_set_content_encoding(part, enc);
    g_string_free(lf, TRUE);
    return (GMimeObject *)tp;
}

static const char *cpid_charset(LONG cpid)
{
    switch (cpid) {
    case 1252: return "windows-1252";
    case 28591: return "iso-8859-1";
    case 28605: return "iso-8859-15";
    case 20127: return "us-ascii";
    case 1251: return "windows-1251";
    case 932: return "shift_jis";
    case 936: return "gb2312";
    case 50220: return "iso-2022-jp";
    default: return "utf-8";
    }
}

/* ---- attachments ----------------------------------------------------------- */
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

typedef struct parts {
    GPtrArray *files;  /* GMimeObject *: attachments of multipart/mixed */
    GPtrArray *inline_; /* GMimeObject *: images of multipart/related */
} parts;

static void release_attach(gpointer p)
{
    IAttach_Release((LPATTACH)p);
}

static HRESULT file_part(LPATTACH att, const SPropValue *v, bool related, GMimeObject **out)
{
    /* Small data comes with GetProps (one call, no stream); large data,
     * which GetProps refuses, is read from the stream as it is written. */
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
    const char *mime = astr(v, A_MIME) ? astr(v, A_MIME) : "application/octet-stream";
    GMimeContentType *ct = g_mime_content_type_parse(fm_mime_parser_options(), mime);
    bool message = g_mime_content_type_is_type(ct, "message", "rfc822");
    GMimePart *part = g_mime_part_new_with_type(g_mime_content_type_get_media_type(ct),
                                                g_mime_content_type_get_media_subtype(ct));
    g_object_unref(ct);
    GMimeStream *content;
    if (s != NULL) {
        content = fm_mime_stream_istream_new(s);
        IStream_Release(s);
    } else if (small != NULL) {
        content = small->Value.bin.cb > 0
                      ? g_mime_stream_mem_new_with_buffer((const char *)small->Value.bin.lpb,
                                                          small->Value.bin.cb)
                      : g_mime_stream_mem_new();
        MAPIFreeBuffer(small);
    } else {
        content = g_mime_stream_mem_new();
    }
    GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(content, GMIME_CONTENT_ENCODING_DEFAULT);
    g_mime_part_set_content(part, w);
    g_object_unref(w);
    g_object_unref(content);
    /* message/rfc822 may not be base64 (RFC 2046); it is kept as it is. */
    g_mime_part_set_content_encoding(part, message ? GMIME_CONTENT_ENCODING_8BIT
                                                   : GMIME_CONTENT_ENCODING_BASE64);
    const char *name = astr(v, A_LONGNAME) ? astr(v, A_LONGNAME)
                       : astr(v, A_NAME)   ? astr(v, A_NAME)
                                           : astr(v, A_DISPLAY);
    g_mime_object_set_disposition((GMimeObject *)part, related ? "inline" : "attachment");
    if (name != NULL)
        g_mime_part_set_filename(part, name);
    if (astr(v, A_CID) != NULL)
        g_mime_object_set_content_id((GMimeObject *)part, astr(v, A_CID));
    if (astr(v, A_LOCATION) != NULL)
        g_mime_object_set_header((GMimeObject *)part, "Content-Location", astr(v, A_LOCATION),
                                 NULL);
    /* The attachment stays open while the part can still be written. */
    IAttach_AddRef(att);
    g_object_set_data_full(G_OBJECT(part), "fm-attach", att, release_attach);
    *out = (GMimeObject *)part;
    return S_OK;
}

/* Whether obj is a single text part, not base64, whose text does not end
 * with a line break. */
static bool leaf_without_newline(GMimeObject *obj)
{
    if (!GMIME_IS_PART(obj) ||
        g_mime_part_get_content_encoding((GMimePart *)obj) == GMIME_CONTENT_ENCODING_BASE64)
        return false;
    GMimeDataWrapper *w = g_mime_part_get_content((GMimePart *)obj);
    GMimeStream *s = w ? g_mime_data_wrapper_get_stream(w) : NULL;
    if (s == NULL || !GMIME_IS_STREAM_MEM(s))
        return false;
    GByteArray *bytes = g_mime_stream_mem_get_byte_array((GMimeStreamMem *)s);
    return bytes->len == 0 || bytes->data[bytes->len - 1] != '\n';
}

static HRESULT embedded_part(LPATTACH att, ULONG flags, int depth, GMimeObject **out)
{
    if (depth + 1 >= FMAPI_MIME_MAX_DEPTH)
        return fm_mime_fail(MAPI_E_TOO_COMPLEX,
                            "MIME export: embedded messages nested deeper than %d",
                            FMAPI_MIME_MAX_DEPTH);
    LPMESSAGE e = NULL;
    HRESULT hr = IAttach_OpenProperty(att, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
                                      (LPUNKNOWN *)&e);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "opening an embedded message");
    GMimeMessage *inner = NULL;
    hr = fm_mime_build(e, flags & ~(CCSF_NO_MSGID | CCSF_EMBEDDED_MESSAGE), depth + 1, &inner);
    if (hr == S_OK) {
        /* Written out here, as the bytes of a message/rfc822 part: GMime
         * ends a leaf's text with a line break when it has none, and inside
         * a multipart the parser keeps that break as content, which would
         * grow the embedded body by a line at every round trip. */
        bool strip = leaf_without_newline(g_mime_message_get_mime_part(inner));
        GMimeStream *mem = g_mime_stream_mem_new();
        HRESULT status = S_OK;
        fm_mime_stream_error();
        ssize_t n = g_mime_object_write_to_stream((GMimeObject *)inner, fm_mime_format_options(),
                                                  mem);
        g_object_unref(inner);
        if (n < 0) {
            HRESULT read = fm_mime_stream_error();
            status = read != S_OK ? read : MAPI_E_CALL_FAILED;
            hr = fm_mime_fail(status, "MIME export: an embedded message could not be read");
        } else {
            GByteArray *bytes = g_mime_stream_mem_get_byte_array((GMimeStreamMem *)mem);
            if (strip && bytes->len >= 2 && bytes->data[bytes->len - 1] == '\n' &&
                bytes->data[bytes->len - 2] == '\r')
                g_byte_array_set_size(bytes, bytes->len - 2);
            GMimePart *part = g_mime_part_new_with_type("message", "rfc822");
            g_mime_stream_reset(mem);
            GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(mem, GMIME_CONTENT_ENCODING_DEFAULT);
            g_mime_part_set_content(part, w);
            g_object_unref(w);
            g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_8BIT);
            *out = (GMimeObject *)part;
        }
        g_object_unref(mem);
    }
    IMessage_Release(e);
    return hr;
}

static HRESULT one_attachment(LPMESSAGE m, ULONG num, ULONG flags, int depth, bool have_html,
                              parts *p)
{
    LPATTACH att = NULL;
    HRESULT hr = IMessage_OpenAttach(m, num, NULL, 0, &att);
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
    bool hidden = PROP_TYPE(v[A_HIDDEN].ulPropTag) == PT_BOOLEAN && v[A_HIDDEN].Value.b;
    bool mhtml = PROP_TYPE(v[A_FLAGS].ulPropTag) == PT_LONG &&
                 (v[A_FLAGS].Value.l & (LONG)ATT_MHTML_REF);
    bool related = have_html && astr(v, A_CID) != NULL && (hidden || mhtml) &&
                   !(flags & CCSF_PLAIN_TEXT_ONLY);
    GMimeObject *obj = NULL;
    hr = S_OK;
    if (method == ATTACH_EMBEDDED_MSG)
        hr = embedded_part(att, flags, depth, &obj);
    else if (method == ATTACH_BY_VALUE)
        hr = file_part(att, v, related, &obj);
    /* Other methods (by reference, OLE) have no MIME form: left out. */
    if (obj != NULL)
        g_ptr_array_add(related && method == ATTACH_BY_VALUE ? p->inline_ : p->files, obj);
    MAPIFreeBuffer(v);
    IAttach_Release(att);
    return hr;
}

static HRESULT collect_attachments(LPMESSAGE m, ULONG flags, int depth, bool have_html, parts *p)
{
    static const SizedSPropTagArray(1, cols) = { 1, { PR_ATTACH_NUM } };
    LPMAPITABLE table = NULL;
    HRESULT hr = IMessage_GetAttachmentTable(m, 0, &table);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "reading the attachment table");
    LPSRowSet rows = NULL;
    hr = HrQueryAllRows(table, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    IMAPITable_Release(table);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "reading the attachment table");
    for (ULONG i = 0; i < rows->cRows && hr == S_OK; i++) {
        const SPropValue *v = rows->aRow[i].lpProps;
        if (PROP_TYPE(v[0].ulPropTag) == PT_LONG)
            hr = one_attachment(m, (ULONG)v[0].Value.l, flags, depth, have_html, p);
    }
    FreeProws(rows);
    return hr;
}

/* ---- assembling ------------------------------------------------------------ */
static GMimeObject *multipart(const char *subtype, GMimeObject *first, GPtrArray *rest)
{
    GMimeMultipart *mp = g_mime_multipart_new_with_subtype(subtype);
    if (first != NULL) {
        g_mime_multipart_add(mp, first);
        g_object_unref(first);
    }
    for (guint i = 0; rest != NULL && i < rest->len; i++)
        g_mime_multipart_add(mp, rest->pdata[i]);
    return (GMimeObject *)mp;
}

static HRESULT bodies(LPMESSAGE m, ULONG flags, const fm_mime_body_props *bp,
                      GMimeObject **text, GMimeObject **html)
{
    GString *body = NULL, *hbody = NULL;
    *text = *html = NULL;
    HRESULT hr = body_text(m, bp->body, PR_BODY_W, PR_BODY_A, &body);
    if (hr == S_OK && !(flags & CCSF_PLAIN_TEXT_ONLY))
        hr = body_text(m, bp->html, PR_HTML, PR_BODY_HTML_W, &hbody);
    if (hr == S_OK && hbody != NULL) {
        LONG cpid = PROP_TYPE(bp->cpid->ulPropTag) == PT_LONG ? bp->cpid->Value.l : 65001;
        /* A string-typed HTML body comes as UTF-8 whatever its code page. */
        if (PROP_TYPE(bp->html->ulPropTag) == PT_STRING8)
            cpid = 65001;
        *html = text_part("html", hbody, cpid_charset(cpid));
    }
    if (hr == S_OK && (body != NULL || *html == NULL)) {
        if (body == NULL)
            body = g_string_new(NULL);
        *text = text_part("plain", body, "utf-8");
    }
    if (body != NULL)
        g_string_free(body, TRUE);
    if (hbody != NULL)
        g_string_free(hbody, TRUE);
    if (hr != S_OK) {
        if (*html != NULL)
            g_object_unref(*html);
        *html = NULL;
    }
    return hr;
}

HRESULT fm_mime_build_body(LPMESSAGE m, ULONG flags, int depth, bool attachments,
                           const fm_mime_body_props *bp, GMimeObject **out)
{
    GMimeObject *text = NULL, *html = NULL;
    HRESULT hr = bodies(m, flags, bp, &text, &html);
    if (hr != S_OK)
        return hr;
    parts p = { g_ptr_array_new_with_free_func(g_object_unref),
                g_ptr_array_new_with_free_func(g_object_unref) };
    if (attachments)
        hr = collect_attachments(m, flags, depth, html != NULL, &p);
    if (hr == S_OK) {
        if (html != NULL && p.inline_->len > 0)
            html = multipart("related", html, p.inline_);
        GMimeObject *body = text;
        if (text != NULL && html != NULL) {
            body = multipart("alternative", text, NULL);
            g_mime_multipart_add((GMimeMultipart *)body, html);
            g_object_unref(html);
        } else if (html != NULL) {
            body = html;
        }
        text = html = NULL;
        *out = p.files->len > 0 ? multipart("mixed", body, p.files) : body;
    }
    if (text != NULL)
        g_object_unref(text);
    if (html != NULL)
        g_object_unref(html);
    g_ptr_array_unref(p.files);
    g_ptr_array_unref(p.inline_);
    return hr;
}
