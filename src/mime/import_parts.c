/*
 * mime/import_parts.c - the body tree of an Internet message as MAPI
 * bodies and attachments.
 *
 * The first text/plain part that is not an attachment becomes PR_BODY
 * (Unicode), the first such text/html PR_HTML (its UTF-8 bytes, with
 * PR_INTERNET_CPID 65001); multipart/alternative offers both. In
 * multipart/related, the parts after the root are the HTML's inline images:
 * hidden attachments with their Content-ID (ATT_MHTML_REF). message/rfc822
 * parts become embedded messages, converted to any depth up to
 * FMAPI_MIME_MAX_DEPTH; a subtree deeper than that is kept as one attachment
 * holding its MIME text, so hostile nesting neither recurses without end
 * nor loses data. Every other part is an attachment.
 *
 * Text is decoded (transfer encoding, then charset to UTF-8, then line ends
 * to CRLF as MAPI bodies have them) by GMime filters while it streams into
 * the property. An unknown charset leaves the bytes as they are; invalid
 * UTF-8 then becomes U+FFFD.
 */
#include <string.h>

#include "mapiguid.h"
#include "mime/mime.h"

typedef struct walk {
    LPMESSAGE m;
    ULONG flags;
    int depth; /* embedded-message levels above this message */
    bool have_body;
    bool have_html;
} walk;

static HRESULT walk_object(walk *w, GMimeObject *obj, int level, bool related_child);

/* ---- decoded content --------------------------------------------------------- */
static bool is_utf8_charset(const char *cs)
{
    return g_ascii_strcasecmp(cs, "utf-8") == 0 || g_ascii_strcasecmp(cs, "utf8") == 0 ||
           g_ascii_strcasecmp(cs, "us-ascii") == 0 || g_ascii_strcasecmp(cs, "ascii") == 0;
}

/* A stream of the part's content with the transfer encoding undone; for
 * text, also converted to UTF-8 and CRLF. NULL when the part has none. */
static GMimeStream *decoded_stream(GMimePart *part, bool text)
{
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    if (content == NULL)
        return NULL;
    GMimeStream *raw = g_mime_data_wrapper_get_stream(content);
    if (raw == NULL)
        return NULL;
    g_mime_stream_reset(raw);
    GMimeStream *f = g_mime_stream_filter_new(raw);
    GMimeContentEncoding enc = g_mime_data_wrapper_get_encoding(content);
    if (enc == GMIME_CONTENT_ENCODING_BASE64 || enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
        enc == GMIME_CONTENT_ENCODING_UUENCODE) {
        GMimeFilter *basic = g_mime_filter_basic_new(enc, FALSE);
        g_mime_stream_filter_add((GMimeStreamFilter *)f, basic);
        g_object_unref(basic);
    }
    if (text) {
        const char *cs = g_mime_object_get_content_type_parameter((GMimeObject *)part, "charset");
        if (cs != NULL && !is_utf8_charset(cs)) {
            GMimeFilter *conv = g_mime_filter_charset_new(cs, "UTF-8");
            if (conv != NULL) { /* NULL: unknown charset, bytes kept */
                g_mime_stream_filter_add((GMimeStreamFilter *)f, conv);
                g_object_unref(conv);
            }
        }
        GMimeFilter *crlf = g_mime_filter_unix2dos_new(FALSE);
        g_mime_stream_filter_add((GMimeStreamFilter *)f, crlf);
        g_object_unref(crlf);
    }
    return f;
}

static HRESULT import_text(walk *w, GMimePart *part, ULONG tag, bool wide)
{
    GMimeStream *s = decoded_stream(part, true);
    HRESULT hr = S_OK;
    if (s != NULL) {
        hr = fm_mime_stream_to_prop(s, (LPMAPIPROP)w->m, tag, wide, NULL);
        g_object_unref(s);
    } else if (wide) {
        hr = fm_mime_set_string((LPMAPIPROP)w->m, tag, "");
    }
    return hr;
}

/* ---- attachments -------------------------------------------------------------- */
static HRESULT new_attach(walk *w, LPATTACH *att)
{
    ULONG num = 0;
    HRESULT hr = IMessage_CreateAttach(w->m, NULL, 0, &num, att);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "creating an attachment");
    return S_OK;
}

static HRESULT save_attach(LPATTACH att, HRESULT hr)
{
    if (hr == S_OK) {
        hr = IAttach_SaveChanges(att, 0);
        if (hr != S_OK)
            hr = fm_mime_fail_mapi(hr, "saving an attachment");
    }
    IAttach_Release(att);
    return hr;
}

static HRESULT set_long(LPATTACH att, ULONG tag, LONG value)
{
    SPropValue v = { .ulPropTag = tag, .Value.l = value };
    return fm_mime_set((LPMAPIPROP)att, &v);
}

/* The 8.3 form of a file name for PR_ATTACH_FILENAME. */
static void short_name(const char *name, char *out)
{
    const char *dot = strrchr(name, '.');
    size_t base = dot ? (size_t)(dot - name) : strlen(name);
    size_t n = 0;
    for (size_t i = 0; i < base && n < 8; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c > 0x20 && c < 0x7F && !strchr("\"*+,/:;<=>?[\\]| .", c))
            out[n++] = (char)c;
    }
    if (n == 0)
        out[n++] = '_';
    if (dot != NULL && dot[1]) {
        out[n++] = '.';
        for (size_t i = 1, k = 0; dot[i] && k < 3; i++) {
            unsigned char c = (unsigned char)dot[i];
            if (c > 0x20 && c < 0x7F && !strchr("\"*+,/:;<=>?[\\]| .", c))
                out[n++] = (char)c, k++;
        }
    }
    out[n] = '\0';
}

static HRESULT set_names(LPATTACH att, const char *name)
{
    LPMAPIPROP p = (LPMAPIPROP)att;
    char shortn[16];
    short_name(name, shortn);
    HRESULT hr = fm_mime_set_string(p, PR_ATTACH_LONG_FILENAME_W, name);
    if (hr == S_OK)
        hr = fm_mime_set_string(p, PR_ATTACH_FILENAME_W, shortn);
    if (hr == S_OK)
        hr = fm_mime_set_string(p, PR_DISPLAY_NAME_W, name);
    const char *dot = strrchr(name, '.');
    if (hr == S_OK && dot != NULL)
        hr = fm_mime_set_string(p, PR_ATTACH_EXTENSION_W, dot);
    return hr;
}

/* The properties every MIME-part attachment has: MIME tag, names, content
 * ID and location, and how it is shown. */
static HRESULT set_part_props(LPATTACH att, GMimeObject *obj, bool related_child)
{
    LPMAPIPROP p = (LPMAPIPROP)att;
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    char *mime_type = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
    HRESULT hr = fm_mime_set_string(p, PR_ATTACH_MIME_TAG_W,
                                    mime_type ? mime_type : "application/octet-stream");
    g_free(mime_type);
    const char *name = NULL;
    if (GMIME_IS_PART(obj))
        name = g_mime_part_get_filename((GMimePart *)obj);
    if (hr == S_OK && name != NULL && name[0] != '\0')
        hr = set_names(att, name);
    const char *cid = g_mime_object_get_content_id(obj);
    if (hr == S_OK && cid != NULL)
        hr = fm_mime_set_string(p, PR_ATTACH_CONTENT_ID_W, cid);
    const char *loc = g_mime_object_get_header(obj, "Content-Location");
    if (hr == S_OK && loc != NULL)
        hr = fm_mime_set_string(p, PR_ATTACH_CONTENT_LOCATION_W, loc);
    const char *disp = g_mime_object_get_disposition(obj);
    bool inline_part = disp != NULL && g_ascii_strcasecmp(disp, "inline") == 0;
    if (hr == S_OK && (related_child || (inline_part && cid != NULL))) {
        SPropValue hidden = { .ulPropTag = PR_ATTACHMENT_HIDDEN, .Value.b = TRUE };
        hr = set_long(att, PR_ATTACH_FLAGS, (LONG)ATT_MHTML_REF);
        if (hr == S_OK)
            hr = fm_mime_set(p, &hidden);
    }
    if (hr == S_OK)
        hr = set_long(att, PR_RENDERING_POSITION, -1);
    return hr;
}

static HRESULT import_file(walk *w, GMimePart *part, bool related_child)
{
    LPATTACH att = NULL;
    HRESULT hr = new_attach(w, &att);
    if (hr != S_OK)
        return hr;
    hr = set_long(att, PR_ATTACH_METHOD, ATTACH_BY_VALUE);
    if (hr == S_OK)
        hr = set_part_props(att, (GMimeObject *)part, related_child);
    GMimeStream *s = hr == S_OK ? decoded_stream(part, false) : NULL;
    if (s != NULL) {
        hr = fm_mime_stream_to_prop(s, (LPMAPIPROP)att, PR_ATTACH_DATA_BIN, false, NULL);
        g_object_unref(s);
    } else if (hr == S_OK) {
        SPropValue v = { .ulPropTag = PR_ATTACH_DATA_BIN, .Value.bin = { 0, (LPBYTE) "" } };
        hr = fm_mime_set((LPMAPIPROP)att, &v);
    }
    return save_attach(att, hr);
}

/* A subtree too deep to convert: one attachment holding its MIME text. */
static HRESULT import_flattened(walk *w, GMimeObject *obj)
{
    LPATTACH att = NULL;
    HRESULT hr = new_attach(w, &att);
    if (hr != S_OK)
        return hr;
    hr = set_long(att, PR_ATTACH_METHOD, ATTACH_BY_VALUE);
    if (hr == S_OK)
        hr = fm_mime_set_string((LPMAPIPROP)att, PR_ATTACH_MIME_TAG_W, "message/rfc822");
    if (hr == S_OK)
        hr = set_names(att, "nested.eml");
    if (hr == S_OK) {
        GMimeStream *mem = g_mime_stream_mem_new();
        g_mime_object_write_to_stream(obj, fm_mime_format_options(), mem);
        g_mime_stream_reset(mem);
        hr = fm_mime_stream_to_prop(mem, (LPMAPIPROP)att, PR_ATTACH_DATA_BIN, false, NULL);
        g_object_unref(mem);
    }
    return save_attach(att, hr);
}

static HRESULT import_embedded(walk *w, GMimeMessagePart *mp)
{
    GMimeMessage *inner = g_mime_message_part_get_message(mp);
    if (inner == NULL || w->depth + 1 >= FMAPI_MIME_MAX_DEPTH)
        return import_flattened(w, (GMimeObject *)mp);
    LPATTACH att = NULL;
    HRESULT hr = new_attach(w, &att);
    if (hr != S_OK)
        return hr;
    hr = set_long(att, PR_ATTACH_METHOD, ATTACH_EMBEDDED_MSG);
    if (hr == S_OK)
        hr = fm_mime_set_string((LPMAPIPROP)att, PR_ATTACH_MIME_TAG_W, "message/rfc822");
    const char *subject = g_mime_message_get_subject(inner);
    if (hr == S_OK)
        hr = fm_mime_set_string((LPMAPIPROP)att, PR_DISPLAY_NAME_W, subject ? subject : "");
    if (hr == S_OK)
        hr = set_long(att, PR_RENDERING_POSITION, -1);
    LPMESSAGE e = NULL;
    if (hr == S_OK) {
        hr = IAttach_OpenProperty(att, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
                                  MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&e);
        if (hr != S_OK)
            hr = fm_mime_fail_mapi(hr, "creating an embedded message");
    }
    if (hr == S_OK) {
        hr = fm_mime_import(inner, e, w->flags & ~CCSF_EMBEDDED_MESSAGE, w->depth + 1);
        if (hr == S_OK) {
            hr = IMessage_SaveChanges(e, 0);
            if (hr != S_OK)
                hr = fm_mime_fail_mapi(hr, "saving an embedded message");
        }
        IMessage_Release(e);
    }
    return save_attach(att, hr);
}

/* ---- the walk ----------------------------------------------------------------- */
static bool is_attachment(GMimeObject *obj)
{
    const char *disp = g_mime_object_get_disposition(obj);
    return disp != NULL && g_ascii_strcasecmp(disp, "attachment") == 0;
}

static HRESULT walk_part(walk *w, GMimePart *part, bool related_child)
{
    GMimeObject *obj = (GMimeObject *)part;
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    bool plain = ct == NULL || g_mime_content_type_is_type(ct, "text", "plain");
    bool html = ct != NULL && g_mime_content_type_is_type(ct, "text", "html");
    if (!related_child && !is_attachment(obj) && g_mime_part_get_filename(part) == NULL) {
        if (plain && !w->have_body) {
            w->have_body = true;
            return import_text(w, part, PR_BODY_W, true);
        }
        if (html && !w->have_html) {
            w->have_html = true;
            SPropValue cpid = { .ulPropTag = PR_INTERNET_CPID, .Value.l = 65001 };
            HRESULT hr = fm_mime_set((LPMAPIPROP)w->m, &cpid);
            return hr == S_OK ? import_text(w, part, PR_HTML, false) : hr;
        }
    }
    return import_file(w, part, related_child);
}

/* The root of multipart/related: the part named by start=, else the first. */
static int related_root(GMimeMultipart *mp)
{
    const char *start = g_mime_object_get_content_type_parameter((GMimeObject *)mp, "start");
    int n = g_mime_multipart_get_count(mp);
    if (start != NULL) {
        for (int i = 0; i < n; i++) {
            const char *cid = g_mime_object_get_content_id(g_mime_multipart_get_part(mp, i));
            if (cid != NULL && strstr(start, cid) != NULL)
                return i;
        }
    }
    return 0;
}

static HRESULT walk_multipart(walk *w, GMimeMultipart *mp, int level)
{
    GMimeContentType *ct = g_mime_object_get_content_type((GMimeObject *)mp);
    bool related = ct != NULL && g_mime_content_type_is_type(ct, "multipart", "related");
    int n = g_mime_multipart_get_count(mp);
    int root = related ? related_root(mp) : -1;
    HRESULT hr = S_OK;
    if (root >= 0 && n > 0)
        hr = walk_object(w, g_mime_multipart_get_part(mp, root), level + 1, false);
    for (int i = 0; i < n && hr == S_OK; i++) {
        if (i != root)
            hr = walk_object(w, g_mime_multipart_get_part(mp, i), level + 1, related);
    }
    return hr;
}

static HRESULT walk_object(walk *w, GMimeObject *obj, int level, bool related_child)
{
    if (w->depth + level >= FMAPI_MIME_MAX_DEPTH)
        return import_flattened(w, obj);
    if (GMIME_IS_MULTIPART(obj))
        return walk_multipart(w, (GMimeMultipart *)obj, level);
    if (GMIME_IS_MESSAGE_PART(obj))
        return import_embedded(w, (GMimeMessagePart *)obj);
    if (GMIME_IS_PART(obj))
        return walk_part(w, (GMimePart *)obj, related_child);
    return S_OK; /* partial messages and other oddities: nothing to convert */
}

HRESULT fm_mime_import_parts(GMimeObject *top, LPMESSAGE m, ULONG flags, int depth)
{
    walk w = { .m = m, .flags = flags, .depth = depth };
    return walk_object(&w, top, 0, false);
}
