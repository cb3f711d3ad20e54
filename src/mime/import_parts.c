/*
 * mime/import_parts.c - the body tree of an Internet message as MAPI bodies
 * and attachments, and its skeleton (skeleton.h), so that nothing of it is
 * lost: every part's headers, the structure, and the content no property
 * holds go into PidTagMimeSkeleton.
 *
 * Bodies ([MS-OXCMAIL] 2.2.3.1): the first text/plain or text/html part
 * that is not an attachment is the body (a part marked inline is shown
 * even when it has a file name, RFC 2183 section 2.1); in
 * multipart/alternative the text/plain member gives PR_BODY and the
 * text/html one (or a multipart/related rooted in it) PR_HTML, while other
 * members stay with the message as hidden attachments. In
 * multipart/related the parts after the root are the HTML's inline images:
 * hidden attachments with their Content-ID (ATT_MHTML_REF). message/rfc822
 * parts become embedded messages, to any depth up to FMAPI_MIME_MAX_DEPTH;
 * a deeper subtree is kept as one attachment holding its MIME text. Every
 * other part is an attachment holding its decoded content.
 *
 * Broken MIME is read as mail readers read it, the original kept: a
 * Content-Type that cannot be read is text/plain (RFC 2045 section 5.2); a
 * multipart without a usable boundary is read with the boundary its body
 * uses, or else as text; content declared base64 that is not base64 is
 * read as it is; text in no charset or in the wrong one is read in the one
 * uchardet finds. Each such part is also kept as it came, in a hidden
 * attachment the skeleton names, which an export writes back verbatim
 * while what was made of it is unchanged; and each is a warning.
 */
#include <string.h>

#include "mapiguid.h"
#include "mime/mime.h"

/* Where a part is met, which decides whether it may be a body. */
typedef enum place {
    PLACE_MAIN,    /* in the message's main line (mixed, or the top) */
    PLACE_ALT,     /* a member of multipart/alternative */
    PLACE_RELATED, /* a part of multipart/related after its root */
} place;

static HRESULT walk(fm_import *im, GMimeObject *obj, int level, place where, fm_region *r,
                    bool top);

/* ---- the skeleton ------------------------------------------------------------ */
static int skel_open(fm_import *im, fm_skel_kind kind, GMimeObject *obj, const GString *headers)
{
    if (im->skel == NULL)
        return -1;
    if (headers != NULL)
        return fm_skel_build_open(im->skel, kind, headers->str, headers->len);
    GString *h = g_string_new(NULL);
    fm_mime_header_block(obj, h);
    int index = fm_skel_build_open(im->skel, kind, h->str, h->len);
    g_string_free(h, TRUE);
    return index;
}

static void skel_close(fm_import *im)
{
    if (im->skel != NULL)
        fm_skel_build_close(im->skel);
}

static fm_skel_node *skel_node(fm_import *im, int index)
{
    return im->skel != NULL ? fm_skel_build_node(im->skel, index) : NULL;
}

/* ---- part types ----------------------------------------------------------------- */
/* The raw value of obj's Content-Type, or NULL. */
static const char *raw_content_type(GMimeObject *obj)
{
    GMimeHeaderList *list = g_mime_object_get_header_list(obj);
    GMimeHeader *h = list ? g_mime_header_list_get_header(list, "Content-Type") : NULL;
    return h ? g_mime_header_get_raw_value(h) : NULL;
}

/* Whether a Content-Type value starts with a type/subtype pair of tokens
 * (RFC 2045 section 5.1). */
static bool type_readable(const char *v)
{
    static const char tspecials[] = "()<>@,;:\\\"/[]?=";
    while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
        v++;
    size_t a = 0;
    while (v[a] > 32 && v[a] < 127 && strchr(tspecials, v[a]) == NULL)
        a++;
    if (a == 0 || v[a] != '/')
        return false;
    size_t b = 0;
    v += a + 1;
    while (v[b] > 32 && v[b] < 127 && strchr(tspecials, v[b]) == NULL)
        b++;
    return b > 0;
}

/* Whether content declared base64 is base64 at all. Base64 lines hold no
 * blanks inside them, text nearly always does: content whose first 1 KB
 * has words separated by blanks on most of its lines, or is more than
 * half characters outside the alphabet, is text that was never encoded
 * (damaged base64, stray characters here and there, is still base64). */
static bool looks_base64(GMimePart *part)
{
    GMimeDataWrapper *w = g_mime_part_get_content(part);
    GMimeStream *s = w ? g_mime_data_wrapper_get_stream(w) : NULL;
    if (s == NULL)
        return true;
    char buf[1024];
    g_mime_stream_reset(s);
    ssize_t n = g_mime_stream_read(s, buf, sizeof buf);
    g_mime_stream_reset(s);
    size_t bad = 0, used = 0, lines = 0, spaced = 0;
    bool in_line = false, blank_inside = false, pending_blank = false;
    for (ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c == '\n' || c == '\r') {
            if (in_line) {
                lines++;
                spaced += blank_inside;
            }
            in_line = blank_inside = pending_blank = false;
            continue;
        }
        if (c == ' ' || c == '\t') {
            pending_blank = in_line;
            continue;
        }
        if (pending_blank)
            blank_inside = true;
        pending_blank = false;
        in_line = true;
        used++;
        if (!(g_ascii_isalnum(c) || c == '+' || c == '/' || c == '='))
            bad++;
    }
    if (in_line) {
        lines++;
        spaced += blank_inside;
    }
    if (used == 0)
        return true;
    return !(spaced * 2 > lines || bad * 2 > used);
}

/* Whether quoted-printable content has an '=' that is neither an escape
 * (two hex digits) nor a soft line break: readers decode such text each
 * their own way, so the part is kept as it came. The first 1 MB is looked
 * at. */
static bool qp_damaged(GMimePart *part)
{
    GMimeDataWrapper *w = g_mime_part_get_content(part);
    GMimeStream *s = w ? g_mime_data_wrapper_get_stream(w) : NULL;
    if (s == NULL)
        return false;
    GByteArray *a = g_byte_array_new();
    char buf[16384];
    ssize_t n;
    g_mime_stream_reset(s);
    while (a->len < 1024 * 1024 && (n = g_mime_stream_read(s, buf, sizeof buf)) > 0)
        g_byte_array_append(a, (const guint8 *)buf, (guint)n);
    g_mime_stream_reset(s);
    bool bad = false;
    const unsigned char *p = a->data;
    for (size_t i = 0; i < a->len && !bad; i++) {
        if (p[i] != '=')
            continue;
        if (i + 2 < a->len && g_ascii_isxdigit(p[i + 1]) && g_ascii_isxdigit(p[i + 2]))
            continue;
        size_t k = i + 1;
        while (k < a->len && (p[k] == ' ' || p[k] == '\t'))
            k++;
        bad = !(k == a->len || p[k] == '\n' || (p[k] == '\r' && k + 1 < a->len && p[k + 1] == '\n'));
    }
    g_byte_array_unref(a);
    return bad;
}

static void part_info(GMimeObject *obj, fm_part_info *pi)
{
    memset(pi, 0, sizeof *pi);
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    const char *raw = raw_content_type(obj);
    if (raw != NULL && !type_readable(raw)) {
        /* RFC 2045 section 5.2: a Content-Type that cannot be read is
         * text/plain; charset=us-ascii. */
        g_strlcpy(pi->type, "text/plain", sizeof pi->type);
        pi->type_invalid = true;
        char *shown = g_strstrip(g_strndup(raw, 40));
        fm_mime_warn("Content-Type \"%.40s\" cannot be read: the part is text/plain", shown);
        g_free(shown);
    } else if (ct != NULL) {
        char *t = g_mime_content_type_get_mime_type(ct);
        g_strlcpy(pi->type, t, sizeof pi->type);
        g_free(t);
        for (char *c = pi->type; *c; c++)
            *c = g_ascii_tolower(*c);
    } else {
        g_strlcpy(pi->type, "text/plain", sizeof pi->type);
    }
    if (!pi->type_invalid) {
        pi->charset = g_mime_object_get_content_type_parameter(obj, "charset");
        if (pi->charset != NULL && pi->charset[0] == '\0')
            pi->charset = NULL;
    }
    pi->disposition = g_mime_object_get_disposition(obj);
    if (!GMIME_IS_PART(obj)) {
        /* A message/rfc822 part's name, as GMime gives a leaf's. */
        pi->filename = g_mime_object_get_content_disposition_parameter(obj, "filename");
        if (pi->filename == NULL)
            pi->filename = g_mime_object_get_content_type_parameter(obj, "name");
    }
    if (GMIME_IS_PART(obj)) {
        GMimePart *part = (GMimePart *)obj;
        pi->filename = g_mime_part_get_filename(part);
        if (pi->filename != NULL && pi->filename[0] == '\0')
            pi->filename = NULL;
        pi->enc = g_mime_part_get_content_encoding(part);
        if (pi->enc == GMIME_CONTENT_ENCODING_BASE64 && !looks_base64(part)) {
            pi->enc = GMIME_CONTENT_ENCODING_8BIT;
            pi->enc_repaired = true;
            fm_mime_warn("a %s part declared base64 is not base64: read as it is, the "
                         "original kept", pi->type);
        } else if (pi->enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE && qp_damaged(part)) {
            pi->enc_repaired = true; /* decoded as GMime does, kept as it came */
            fm_mime_warn("a %s part's quoted-printable has broken escapes: decoded as far as "
                         "it goes, the original kept", pi->type);
        }
    }
}

static bool type_is(const fm_part_info *pi, const char *t)
{
    return strcmp(pi->type, t) == 0;
}

static bool is_attachment(const fm_part_info *pi)
{
    return pi->disposition != NULL && g_ascii_strcasecmp(pi->disposition, "attachment") == 0;
}

static bool is_inline(const fm_part_info *pi)
{
    return pi->disposition != NULL && g_ascii_strcasecmp(pi->disposition, "inline") == 0;
}

/* ---- decoded content ----------------------------------------------------------- */
GMimeStream *fm_mime_decoded_stream(GMimePart *part, GMimeContentEncoding enc,
                                    unsigned *defects)
{
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    GMimeStream *raw = content ? g_mime_data_wrapper_get_stream(content) : NULL;
    if (raw == NULL)
        return NULL;
    g_mime_stream_reset(raw);
    GMimeStream *f = g_mime_stream_filter_new(raw);
    GMimeFilter *dec = NULL;
    if (enc == GMIME_CONTENT_ENCODING_BASE64)
        dec = fm_mime_filter_b64_new(defects);
    else if (enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
             enc == GMIME_CONTENT_ENCODING_UUENCODE)
        dec = g_mime_filter_basic_new(enc, FALSE);
    if (dec != NULL) {
        g_mime_stream_filter_add((GMimeStreamFilter *)f, dec);
        g_object_unref(dec);
    }
    return f;
}

/* ---- attachments ------------------------------------------------------------------- */
static HRESULT set_long(LPMAPIPROP obj, ULONG tag, LONG value)
{
    SPropValue v = { .ulPropTag = tag, .Value.l = value };
    return fm_mime_set(obj, &v);
}

/* The tag of FM_SKEL_PART_NAME, looked up on the first attachment; 0 when
 * the message cannot name properties (the link is then left out). */
static ULONG part_tag(fm_import *im)
{
    if (!im->part_tag_done) {
        im->part_tag_done = true;
        im->part_tag = fm_mime_part_tag((LPMAPIPROP)im->m, true);
    }
    return im->part_tag;
}

HRESULT fm_mime_new_attach(fm_import *im, LPATTACH *att, uint32_t *part)
{
    ULONG num = 0;
    HRESULT hr = IMessage_CreateAttach(im->m, NULL, 0, &num, att);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "creating an attachment");
    *part = ++im->next_part;
    ULONG tag = part_tag(im);
    if (tag != 0)
        hr = set_long((LPMAPIPROP)*att, tag, (LONG)*part);
    if (hr == S_OK)
        hr = set_long((LPMAPIPROP)*att, PR_RENDERING_POSITION, -1);
    if (hr != S_OK) {
        IAttach_Release(*att);
        *att = NULL;
    }
    return hr;
}

HRESULT fm_mime_save_attach(LPATTACH att, HRESULT hr)
{
    if (hr == S_OK) {
        hr = IAttach_SaveChanges(att, 0);
        if (hr != S_OK)
            hr = fm_mime_fail_mapi(hr, "saving an attachment");
    }
    IAttach_Release(att);
    return hr;
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

HRESULT fm_mime_set_names(LPATTACH att, const char *name)
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

static HRESULT hide(LPATTACH att, bool mhtml)
{
    SPropValue hidden = { .ulPropTag = PR_ATTACHMENT_HIDDEN, .Value.b = TRUE };
    HRESULT hr = fm_mime_set((LPMAPIPROP)att, &hidden);
    if (hr == S_OK && mhtml)
        hr = set_long((LPMAPIPROP)att, PR_ATTACH_FLAGS, (LONG)ATT_MHTML_REF);
    return hr;
}

/* The properties every MIME-part attachment has ([MS-OXCMAIL] 2.2.3.4):
 * MIME tag, names, content ID, location and base. */
static HRESULT set_part_props(LPATTACH att, GMimeObject *obj, const fm_part_info *pi)
{
    LPMAPIPROP p = (LPMAPIPROP)att;
    HRESULT hr = set_long(p, PR_ATTACH_METHOD, ATTACH_BY_VALUE);
    if (hr == S_OK)
        hr = fm_mime_set_string(p, PR_ATTACH_MIME_TAG_W, pi->type);
    if (hr == S_OK && pi->filename != NULL)
        hr = fm_mime_set_names(att, pi->filename);
    const char *cid = g_mime_object_get_content_id(obj);
    if (hr == S_OK && cid != NULL)
        hr = fm_mime_set_string(p, PR_ATTACH_CONTENT_ID_W, cid);
    const char *loc = g_mime_object_get_header(obj, "Content-Location");
    if (hr == S_OK && loc != NULL)
        hr = fm_mime_set_string(p, PR_ATTACH_CONTENT_LOCATION_W, g_strchug((char *)loc));
    const char *base = g_mime_object_get_header(obj, "Content-Base");
    if (hr == S_OK && base != NULL)
        hr = fm_mime_set_string(p, PR_ATTACH_CONTENT_BASE_W, g_strchug((char *)base));
    return hr;
}

/* Copies bytes (a stream) into a new hidden attachment holding a part as
 * it came; *part gets its part number. */
static HRESULT keep_original(fm_import *im, GMimeStream *bytes, const char *what,
                             uint32_t *part)
{
    LPATTACH att = NULL;
    HRESULT hr = fm_mime_new_attach(im, &att, part);
    if (hr != S_OK)
        return hr;
    LPMAPIPROP p = (LPMAPIPROP)att;
    hr = set_long(p, PR_ATTACH_METHOD, ATTACH_BY_VALUE);
    if (hr == S_OK)
        hr = fm_mime_set_string(p, PR_ATTACH_MIME_TAG_W, "message/rfc822");
    if (hr == S_OK)
        hr = fm_mime_set_names(att, what);
    if (hr == S_OK)
        hr = hide(att, false);
    if (hr == S_OK) {
        g_mime_stream_reset(bytes);
        hr = fm_mime_stream_to_prop(bytes, p, PR_ATTACH_DATA_BIN, false, NULL);
    }
    return fm_mime_save_attach(att, hr);
}

/* Opens an original node for obj: its bytes go to a hidden attachment the
 * node names; the caller walks what it makes of the part inside the node.
 * *index: the node, -1 when the bytes could not be had (nothing is kept
 * then, and the part is only converted). */
static HRESULT open_original(fm_import *im, GMimeObject *obj, fm_region *r, bool top,
                             const char *what, uint8_t flags, int *index)
{
    *index = -1;
    if (im->skel == NULL)
        return S_OK;
    GMimeStream *bytes = fm_mime_entity_stream(im->src, obj, r, top ? im->top_blank : -1);
    if (bytes == NULL)
        return S_OK;
    uint32_t part = 0;
    HRESULT hr = keep_original(im, bytes, what, &part);
    g_object_unref(bytes);
    if (hr != S_OK)
        return hr;
    *index = skel_open(im, FM_SK_ORIGINAL, obj, NULL);
    fm_skel_node *n = skel_node(im, *index);
    n->part = part;
    n->flags = flags;
    return S_OK;
}

HRESULT fm_mime_keep_made(fm_import *im, GMimeObject *obj, fm_region *r, bool top,
                          fm_skel_kind made, uint64_t hash, bool superseded)
{
    int orig = -1;
    HRESULT hr = open_original(im, obj, r, top, "original part.eml",
                               superseded ? FM_SKF_SUPERSEDED : 0, &orig);
    if (hr != S_OK || orig < 0)
        return hr;
    int index = skel_open(im, made, obj, NULL);
    fm_skel_node *n = skel_node(im, index);
    if (n != NULL)
        n->hash = hash;
    skel_close(im);
    skel_close(im);
    return S_OK;
}

/* ---- leaves ---------------------------------------------------------------------- */
/* A part's content as an attachment. */
static HRESULT import_file(fm_import *im, GMimePart *part, const fm_part_info *pi, place where,
                           bool hidden, const GString *headers)
{
    LPATTACH att = NULL;
    uint32_t num = 0;
    HRESULT hr = fm_mime_new_attach(im, &att, &num);
    if (hr != S_OK)
        return hr;
    GMimeObject *obj = (GMimeObject *)part;
    hr = set_part_props(att, obj, pi);
    const char *cid = g_mime_object_get_content_id(obj);
    /* Images of multipart/related, and inline parts the HTML names by
     * Content-ID, are shown in the HTML, not as attachments. */
    bool related = where == PLACE_RELATED || (is_inline(pi) && cid != NULL);
    if (hr == S_OK && (related || hidden))
        hr = hide(att, related);
    unsigned defects = 0;
    fm_hash h;
    fm_hash_init(&h);
    GMimeStream *s = hr == S_OK ? fm_mime_decoded_stream(part, pi->enc, &defects) : NULL;
    if (s != NULL) {
        hr = fm_mime_stream_to_prop(s, (LPMAPIPROP)att, PR_ATTACH_DATA_BIN, false, &h);
        g_object_unref(s);
    } else if (hr == S_OK) {
        SPropValue v = { .ulPropTag = PR_ATTACH_DATA_BIN, .Value.bin = { 0, (LPBYTE) "" } };
        fm_hash_feed(&h, "", 0);
        hr = fm_mime_set((LPMAPIPROP)att, &v);
    }
    hr = fm_mime_save_attach(att, hr);
    int index = skel_open(im, FM_SK_ATTACH, obj, headers);
    fm_skel_node *n = skel_node(im, index);
    if (n != NULL) {
        n->part = num;
        n->hash = fm_hash_final(&h);
        n->flags |= FM_SKF_HASHED | ((related || hidden) ? FM_SKF_HIDDEN : 0);
    }
    skel_close(im);
    if (hr == S_OK && defects > 0)
        fm_mime_warn("a %s part has %u characters that are not base64: decoded without "
                     "them, the original kept", pi->type, defects);
    im->last_defects = defects;
    return hr;
}

/* The header block of a repaired part as the node under its original keeps
 * it: what is written when the repair is written instead of the original. */
static GString *repaired_headers(GMimeObject *obj, const fm_part_info *pi, const char *charset)
{
    GString *h = g_string_new(NULL);
    GMimeHeaderList *list = g_mime_object_get_header_list(obj);
    int n = list ? g_mime_header_list_get_count(list) : 0;
    for (int i = 0; i < n; i++) {
        GMimeHeader *hd = g_mime_header_list_get_header_at(list, i);
        const char *name = g_mime_header_get_name(hd);
        if (g_ascii_strcasecmp(name, "Content-Transfer-Encoding") == 0 ||
            (g_ascii_strcasecmp(name, "Content-Type") == 0 && (pi->type_invalid || charset)))
            continue;
        const char *raw = g_mime_header_get_raw_value(hd);
        g_string_append_printf(h, "%s:%s", name, raw ? raw : "\r\n");
    }
    if (pi->type_invalid || charset != NULL) {
        GMimeContentType *ct = g_mime_content_type_parse(fm_mime_parser_options(), pi->type);
        if (!pi->type_invalid) {
            GMimeContentType *old = g_mime_object_get_content_type(obj);
            GMimeParamList *ps = old ? g_mime_content_type_get_parameters(old) : NULL;
            for (int i = 0; ps != NULL && i < g_mime_param_list_length(ps); i++) {
                GMimeParam *prm = g_mime_param_list_get_parameter_at(ps, i);
                g_mime_content_type_set_parameter(ct, g_mime_param_get_name(prm),
                                                  g_mime_param_get_value(prm));
            }
        }
        if (charset != NULL)
            g_mime_content_type_set_parameter(ct, "charset", charset);
        char *v = g_mime_content_type_encode(ct, fm_mime_format_options());
        g_string_append_printf(h, "Content-Type:%s", v);
        g_free(v);
        g_object_unref(ct);
    }
    return h;
}

static HRESULT import_body(fm_import *im, GMimePart *part, const fm_part_info *pi, bool html,
                           fm_region *r, bool top)
{
    /* The part is checked in memory first: only then is it known whether
     * it needs keeping as it came. */
    fm_text_result res;
    HRESULT hr = fm_mime_import_text(im, part, pi, html, &res);
    if (hr != S_OK)
        return hr;
    if (html)
        im->have_html = true;
    else
        im->have_body = true;
    if (!html)
        g_strlcpy(im->body_charset, res.charset, sizeof im->body_charset);
    int orig = -1;
    GString *headers = NULL;
    if (res.repaired || pi->type_invalid) {
        hr = open_original(im, (GMimeObject *)part, r, top, "original part.eml", 0, &orig);
        if (hr != S_OK)
            return hr;
        if (orig >= 0)
            headers = repaired_headers((GMimeObject *)part, pi, res.repaired ? res.charset : NULL);
    }
    int index = skel_open(im, FM_SK_BODY, (GMimeObject *)part, headers);
    fm_skel_node *n = skel_node(im, index);
    if (n != NULL) {
        n->hash = res.hash;
        n->flags |= html ? FM_SKF_HTML : 0;
    }
    skel_close(im);
    if (orig >= 0)
        skel_close(im);
    if (headers != NULL)
        g_string_free(headers, TRUE);
    return S_OK;
}

/* An attachment whose content had to be repaired is kept as it came too. */
static HRESULT import_repaired_file(fm_import *im, GMimePart *part, const fm_part_info *pi,
                                    place where, bool hidden, fm_region *r, bool top)
{
    bool repair = pi->type_invalid || pi->enc_repaired;
    int orig = -1;
    HRESULT hr = S_OK;
    if (repair)
        hr = open_original(im, (GMimeObject *)part, r, top, "original part.eml", 0, &orig);
    if (hr != S_OK)
        return hr;
    GString *headers = orig >= 0 ? repaired_headers((GMimeObject *)part, pi, NULL) : NULL;
    hr = import_file(im, part, pi, where, hidden, headers);
    if (headers != NULL)
        g_string_free(headers, TRUE);
    if (orig >= 0) {
        skel_close(im);
    } else if (hr == S_OK && im->last_defects > 0 && im->skel != NULL) {
        /* Base64 defects show only once the content is decoded: the
         * original is kept then, around the attachment just made. */
        GMimeStream *bytes = fm_mime_entity_stream(im->src, (GMimeObject *)part, r,
                                                   top ? im->top_blank : -1);
        uint32_t num = 0;
        if (bytes != NULL) {
            hr = keep_original(im, bytes, "original part.eml", &num);
            g_object_unref(bytes);
            int index = hr == S_OK ? fm_skel_build_wrap_last(im->skel, FM_SK_ORIGINAL) : -1;
            fm_skel_node *n = skel_node(im, index);
            if (n != NULL)
                n->part = num;
        }
    }
    return hr;
}

static bool may_be_body(fm_import *im, const fm_part_info *pi, place where)
{
    if (is_attachment(pi) || where == PLACE_RELATED)
        return false;
    /* A file name makes a part an attachment unless it is marked inline. */
    if (pi->filename != NULL && !is_inline(pi))
        return false;
    if (where == PLACE_ALT)
        return true;
    return !im->body_done;
}

static HRESULT walk_leaf(fm_import *im, GMimePart *part, place where, fm_region *r, bool top)
{
    fm_part_info pi;
    part_info((GMimeObject *)part, &pi);
    bool plain = type_is(&pi, "text/plain"), html = type_is(&pi, "text/html");
    if ((plain || html) && may_be_body(im, &pi, where) &&
        !(plain ? im->have_body : im->have_html)) {
        HRESULT hr = import_body(im, part, &pi, html, r, top);
        if (where == PLACE_MAIN)
            im->body_done = true;
        return hr;
    }
    if (im->promote_only)
        return S_OK;
    HRESULT hr = fm_mime_import_special(im, part, &pi, where == PLACE_ALT, r, top);
    if (hr != S_FALSE)
        return hr;
    /* Alternatives the body does not use stay with the message, unseen. */
    bool hidden = where == PLACE_ALT;
    return import_repaired_file(im, part, &pi, where, hidden, r, top);
}

/* ---- embedded messages and deep subtrees ----------------------------------------- */
/* A subtree too deep to convert: one attachment holding its MIME text,
 * written back verbatim. */
static HRESULT import_flattened(fm_import *im, GMimeObject *obj, fm_region *r, bool top)
{
    LPATTACH att = NULL;
    uint32_t num = 0;
    HRESULT hr = fm_mime_new_attach(im, &att, &num);
    if (hr != S_OK)
        return hr;
    hr = set_long((LPMAPIPROP)att, PR_ATTACH_METHOD, ATTACH_BY_VALUE);
    if (hr == S_OK)
        hr = fm_mime_set_string((LPMAPIPROP)att, PR_ATTACH_MIME_TAG_W, "message/rfc822");
    if (hr == S_OK)
        hr = fm_mime_set_names(att, "nested.eml");
    if (hr == S_OK) {
        GMimeStream *bytes = fm_mime_entity_stream(im->src, obj, r, top ? im->top_blank : -1);
        if (bytes == NULL) {
            bytes = g_mime_stream_mem_new();
            g_mime_object_write_to_stream(obj, fm_mime_format_options(), bytes);
        }
        g_mime_stream_reset(bytes);
        hr = fm_mime_stream_to_prop(bytes, (LPMAPIPROP)att, PR_ATTACH_DATA_BIN, false, NULL);
        g_object_unref(bytes);
    }
    hr = fm_mime_save_attach(att, hr);
    int index = skel_open(im, FM_SK_ORIGINAL, obj, NULL);
    fm_skel_node *n = skel_node(im, index);
    if (n != NULL) {
        n->part = num;
        n->flags |= FM_SKF_ALWAYS;
    }
    skel_close(im);
    if (hr == S_OK)
        fm_mime_warn("MIME nested deeper than %d levels kept as one attachment",
                     FMAPI_MIME_MAX_DEPTH);
    return hr;
}

static HRESULT import_embedded(fm_import *im, GMimeMessagePart *mp, fm_region *r, bool top)
{
    GMimeMessage *inner = g_mime_message_part_get_message(mp);
    if (inner == NULL || im->depth + 1 >= FMAPI_MIME_MAX_DEPTH)
        return import_flattened(im, (GMimeObject *)mp, r, top);
    fm_part_info pi;
    part_info((GMimeObject *)mp, &pi);
    LPATTACH att = NULL;
    uint32_t num = 0;
    HRESULT hr = fm_mime_new_attach(im, &att, &num);
    if (hr != S_OK)
        return hr;
    LPMAPIPROP p = (LPMAPIPROP)att;
    hr = set_long(p, PR_ATTACH_METHOD, ATTACH_EMBEDDED_MSG);
    if (hr == S_OK)
        hr = fm_mime_set_string(p, PR_ATTACH_MIME_TAG_W, "message/rfc822");
    const char *subject = g_mime_message_get_subject(inner);
    if (hr == S_OK && pi.filename != NULL) {
        hr = fm_mime_set_string(p, PR_ATTACH_LONG_FILENAME_W, pi.filename);
        if (hr == S_OK)
            hr = fm_mime_set_string(p, PR_DISPLAY_NAME_W, pi.filename);
    } else if (hr == S_OK) {
        hr = fm_mime_set_string(p, PR_DISPLAY_NAME_W, subject ? subject : "");
    }
    const char *cid = g_mime_object_get_content_id((GMimeObject *)mp);
    if (hr == S_OK && cid != NULL)
        hr = fm_mime_set_string(p, PR_ATTACH_CONTENT_ID_W, cid);
    LPMESSAGE e = NULL;
    if (hr == S_OK) {
        hr = IAttach_OpenProperty(att, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
                                  MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&e);
        if (hr != S_OK)
            hr = fm_mime_fail_mapi(hr, "creating an embedded message");
    }
    if (hr == S_OK) {
        /* The inner message's bytes end where the part does. */
        fm_region inner_r = { r, NULL, -1, -1 };
        fm_import_source src = *im->src;
        hr = fm_mime_import_embedded(inner, e, im->flags & ~CCSF_EMBEDDED_MESSAGE,
                                     im->depth + 1, &src, &inner_r);
        if (hr == S_OK) {
            hr = IMessage_SaveChanges(e, 0);
            if (hr != S_OK)
                hr = fm_mime_fail_mapi(hr, "saving an embedded message");
        }
        IMessage_Release(e);
    }
    hr = fm_mime_save_attach(att, hr);
    int index = skel_open(im, FM_SK_EMBED, (GMimeObject *)mp, NULL);
    fm_skel_node *n = skel_node(im, index);
    if (n != NULL)
        n->part = num;
    skel_close(im);
    return hr;
}

/* ---- multiparts ------------------------------------------------------------------- */
static void multipart_text(fm_import *im, int index, GMimeMultipart *mp)
{
    fm_skel_node *n = skel_node(im, index);
    if (n == NULL)
        return;
    const char *pro = g_mime_multipart_get_prologue(mp);
    const char *epi = g_mime_multipart_get_epilogue(mp);
    if (pro != NULL)
        n->prologue = fm_skel_build_keep(im->skel, pro, strlen(pro));
    if (epi != NULL)
        n->epilogue = fm_skel_build_keep(im->skel, epi, strlen(epi));
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

static HRESULT walk_children(fm_import *im, GMimeMultipart *mp, int level, place where,
                             fm_region *r)
{
    GMimeContentType *ct = g_mime_object_get_content_type((GMimeObject *)mp);
    bool related = g_mime_content_type_is_type(ct, "multipart", "related");
    bool alternative = g_mime_content_type_is_type(ct, "multipart", "alternative");
    const char *boundary = g_mime_multipart_get_boundary(mp);
    int n = g_mime_multipart_get_count(mp);
    int root = related ? related_root(mp) : -1;
    HRESULT hr = S_OK;
    bool body_was_done = im->body_done;
    for (int i = 0; i < n && hr == S_OK; i++) {
        GMimeObject *child = g_mime_multipart_get_part(mp, i);
        fm_region cr = { r, boundary, fm_mime_object_start(child), -1 };
        place p = where;
        if (alternative && !body_was_done && where != PLACE_RELATED)
            p = PLACE_ALT;
        else if (alternative)
            p = where == PLACE_ALT ? PLACE_ALT : PLACE_MAIN;
        if (related && i != root)
            p = PLACE_RELATED;
        hr = walk(im, child, level + 1, p, &cr, false);
    }
    if (alternative && where == PLACE_MAIN && !body_was_done)
        im->body_done = true;
    return hr;
}

/* A multipart whose parts could not be found (no boundary parameter, or a
 * boundary its body never uses, as when the parameter was cut short): the
 * boundary its body does use, else its body read as text. */
static HRESULT walk_broken(fm_import *im, GMimeMultipart *mp, int level, place where,
                           fm_region *r, bool top)
{
    GMimeObject *obj = (GMimeObject *)mp;
    int orig = -1;
    HRESULT hr = open_original(im, obj, r, top, "original part.eml", 0, &orig);
    if (hr != S_OK)
        return hr;
    GMimeStream *bytes = NULL;
    GMimeObject *fixed =
        fm_mime_reparse_multipart(im->src, mp, r, top ? im->top_blank : -1, &bytes);
    if (fixed != NULL) {
        fm_mime_warn("a multipart's boundary is missing or wrong: read with the boundary its "
                     "body uses, the original kept");
        /* The parts are in the repaired bytes now, not in the message's. */
        fm_import_source local = { bytes, -1, g_mime_stream_length(bytes), false };
        const fm_import_source *saved = im->src;
        im->src = &local;
        hr = walk(im, fixed, level, where, NULL, false);
        im->src = saved;
        GMimeContentType *ct = g_mime_object_get_content_type(fixed);
        if (hr == S_OK && top && g_mime_content_type_is_type(ct, "multipart", "report"))
            hr = fm_mime_import_report(im, (GMimeMultipart *)fixed);
        g_object_unref(fixed);
        g_object_unref(bytes);
    } else {
        fm_mime_warn("a multipart's boundary is missing or never used, and its body names "
                     "none: the body is read as text, the original kept");
        hr = fm_mime_import_prologue_as_text(im, mp, r, top);
        if (where == PLACE_MAIN)
            im->body_done = true;
    }
    if (orig >= 0)
        skel_close(im);
    return hr;
}

static HRESULT walk_multipart(fm_import *im, GMimeMultipart *mp, int level, place where,
                              fm_region *r, bool top)
{
    GMimeObject *obj = (GMimeObject *)mp;
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    if (g_mime_content_type_is_type(ct, "multipart", "signed"))
        return fm_mime_import_signed(im, mp, level, r, top);
    if (g_mime_multipart_get_count(mp) == 0 && !im->promote_only)
        return walk_broken(im, mp, level, where, r, top);
    if (g_mime_content_type_is_type(ct, "multipart", "encrypted") && !im->promote_only)
        return fm_mime_import_encrypted(im, mp, r, top);
    int index = skel_open(im, FM_SK_MULTIPART, obj, NULL);
    multipart_text(im, index, mp);
    HRESULT hr = walk_children(im, mp, level, where, r);
    skel_close(im);
    if (hr == S_OK && top && g_mime_content_type_is_type(ct, "multipart", "report"))
        hr = fm_mime_import_report(im, mp);
    return hr;
}

static HRESULT walk(fm_import *im, GMimeObject *obj, int level, place where, fm_region *r,
                    bool top)
{
    if (im->depth + level >= FMAPI_MIME_MAX_DEPTH)
        return im->promote_only ? S_OK : import_flattened(im, obj, r, top);
    if (GMIME_IS_MULTIPART(obj))
        return walk_multipart(im, (GMimeMultipart *)obj, level, where, r, top);
    if (GMIME_IS_MESSAGE_PART(obj))
        return im->promote_only ? S_OK : import_embedded(im, (GMimeMessagePart *)obj, r, top);
    if (GMIME_IS_PART(obj))
        return walk_leaf(im, (GMimePart *)obj, where, r, top);
    return S_OK;
}

HRESULT fm_mime_walk(fm_import *im, GMimeObject *obj, int level, bool alternative,
                     fm_region *r, bool top)
{
    return walk(im, obj, level, alternative ? PLACE_ALT : PLACE_MAIN, r, top);
}

/* ---- the whole body ------------------------------------------------------------------ */
static HRESULT store_skeleton(fm_import *im)
{
    if (im->tnef_fingerprint > 0) {
        fm_skel_node *n = fm_skel_build_node(im->skel, im->tnef_fingerprint - 1);
        HRESULT hr = n != NULL ? fm_mime_tnef_fingerprint(im->m, &n->hash) : S_OK;
        if (hr != S_OK)
            return hr;
    }
    /* what the header fields became, to tell at export which a client changed */
    uint64_t env[FM_EG_COUNT];
    HRESULT got = fm_env_hashes(im->m, env);
    if (got != S_OK)
        return got;
    fm_skel_build_set_envelope(im->skel, env, FM_EG_COUNT);
    GByteArray *a = fm_skel_build_encode(im->skel);
    if (a == NULL)
        return S_OK;
    GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(a); /* takes a */
    HRESULT hr = fm_mime_stream_to_prop(mem, (LPMAPIPROP)im->m, FM_PR_MIME_SKELETON, false, NULL);
    g_object_unref(mem);
    return hr;
}

static HRESULT set_cpid(fm_import *im)
{
    ULONG cpid = im->have_html ? im->html_cpid : fm_mime_charset_cpid(im->body_charset);
    if (cpid == 0)
        return S_OK;
    SPropValue v = { .ulPropTag = PR_INTERNET_CPID, .Value.l = (LONG)cpid };
    return fm_mime_set((LPMAPIPROP)im->m, &v);
}

HRESULT fm_mime_import_parts(fm_import *im, GMimeObject *top)
{
    im->skel = fm_skel_build_new();
    if (im->raw_headers != NULL)
        fm_skel_build_set_raw_headers(im->skel, (const char *)im->raw_headers->data,
                                      im->raw_headers->len, im->headers_hash);
    fm_region r = { im->region, NULL, -1, -1 };
    HRESULT hr = walk(im, top, 0, PLACE_MAIN, &r, true);
    if (hr == S_OK)
        hr = fm_mime_import_finish_special(im);
    if (hr == S_OK)
        hr = set_cpid(im);
    if (hr == S_OK)
        hr = store_skeleton(im);
    fm_skel_build_free(im->skel);
    im->skel = NULL;
    return hr;
}
