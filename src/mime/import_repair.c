/*
 * mime/import_repair.c - reading a multipart whose parts GMime could not
 * find: no boundary parameter (multipart/alternative; and nothing else), or
 * one the body never uses (a parameter cut short in transit: boundary="abc
 * where the body says --abcdef). As mail readers do, the boundary the body
 * uses is looked for (a "--token" line that comes back, or closes as
 * "--token--"), and the part is parsed again with it; when the body uses
 * none, it is read as text/plain. The caller keeps the original bytes.
 *
 * The part is read into memory for this (GMime already holds its body as
 * the multipart's prologue); a part larger than REPAIR_MAX is only read as
 * text.
 */
#include <string.h>

#include "mime/mime.h"

#define REPAIR_MAX (32 * 1024 * 1024)
#define BOUNDARY_MAX 70 /* RFC 2046 section 5.1.1 */

/* The bytes of mp as they came, whole, or NULL. */
static GByteArray *entity_bytes(const fm_import_source *src, GMimeMultipart *mp, fm_region *r,
                                gint64 top_blank)
{
    GMimeStream *s = fm_mime_entity_stream(src, (GMimeObject *)mp, r, top_blank);
    if (s == NULL)
        return NULL;
    GByteArray *a = g_byte_array_new();
    char buf[16384];
    ssize_t n;
    g_mime_stream_reset(s);
    while ((n = g_mime_stream_read(s, buf, sizeof buf)) > 0 && a->len <= REPAIR_MAX)
        g_byte_array_append(a, (const guint8 *)buf, (guint)n);
    g_object_unref(s);
    if (a->len > REPAIR_MAX) {
        g_byte_array_unref(a);
        return NULL;
    }
    return a;
}

/* Where the body starts in an entity's bytes (after its empty line). */
static size_t body_offset(const GByteArray *a)
{
    const char *p = (const char *)a->data;
    for (size_t i = 0; i + 1 < a->len; i++) {
        if (p[i] != '\n')
            continue;
        if (p[i + 1] == '\n')
            return i + 2;
        if (i + 2 < a->len && p[i + 1] == '\r' && p[i + 2] == '\n')
            return i + 3;
    }
    return a->len;
}

static bool bchar(unsigned char c)
{
    return g_ascii_isalnum(c) || strchr("'()+_,-./:=? ", c) != NULL;
}

/* The length of the token after "--" at line (n bytes up to the line end),
 * 0 when it cannot be a boundary. */
static size_t token_len(const char *line, size_t n)
{
    if (n < 3 || line[0] != '-' || line[1] != '-')
        return 0;
    size_t k = 0;
    while (2 + k < n && k <= BOUNDARY_MAX && bchar((unsigned char)line[2 + k]))
        k++;
    while (k > 0 && line[1 + k] == ' ')
        k--;
    /* "--token--" closes: the token is without the trailing dashes. */
    if (k >= 2 && line[k] == '-' && line[k + 1] == '-')
        k -= 2;
    return k > 0 && k <= BOUNDARY_MAX ? k : 0;
}

/* The first "--token" line of the body whose token comes back later. */
static char *find_boundary(const char *p, size_t n)
{
    size_t pos = 0;
    while (pos < n) {
        const char *nl = memchr(p + pos, '\n', n - pos);
        size_t len = (nl ? (size_t)(nl - (p + pos)) : n - pos);
        size_t line_len = len > 0 && p[pos + len - 1] == '\r' ? len - 1 : len;
        size_t k = token_len(p + pos, line_len);
        if (k > 0) {
            char *tok = g_strndup(p + pos + 2, k);
            char *again = g_strconcat("\n--", tok, NULL);
            if (fm_mime_memmem(p + pos + 2 + k, n - pos - 2 - k, again, strlen(again)) != NULL) {
                g_free(again);
                return tok;
            }
            g_free(again);
            g_free(tok);
        }
        if (nl == NULL)
            break;
        pos += len + 1;
    }
    return NULL;
}

GMimeObject *fm_mime_reparse_multipart(const fm_import_source *src, GMimeMultipart *mp,
                                       fm_region *r, gint64 top_blank, GMimeStream **bytes)
{
    *bytes = NULL;
    GByteArray *a = entity_bytes(src, mp, r, top_blank);
    if (a == NULL)
        return NULL;
    size_t body = body_offset(a);
    char *b = find_boundary((const char *)a->data + body, a->len - body);
    GMimeObject *out = NULL;
    if (b != NULL) {
        GMimeContentType *ct = g_mime_object_get_content_type((GMimeObject *)mp);
        char *type = g_mime_content_type_get_mime_type(ct);
        GByteArray *fixed = g_byte_array_new();
        char *head = g_strdup_printf("Content-Type: %s; boundary=\"%s\"\r\n\r\n", type, b);
        g_byte_array_append(fixed, (const guint8 *)head, (guint)strlen(head));
        g_byte_array_append(fixed, a->data + body, a->len - (guint)body);
        g_free(head);
        g_free(type);
        GMimeStream *s = g_mime_stream_mem_new_with_byte_array(fixed);
        GMimeParser *parser = g_mime_parser_new_with_stream(s);
        out = g_mime_parser_construct_part(parser, fm_mime_parser_options());
        g_object_unref(parser);
        if (out != NULL && (!GMIME_IS_MULTIPART(out) ||
                            g_mime_multipart_get_count((GMimeMultipart *)out) == 0)) {
            g_object_unref(out);
            out = NULL;
        }
        if (out != NULL)
            *bytes = s;
        else
            g_object_unref(s);
    }
    g_free(b);
    g_byte_array_unref(a);
    return out;
}

HRESULT fm_mime_import_prologue_as_text(fm_import *im, GMimeMultipart *mp, fm_region *r,
                                        bool top)
{
    /* The body as it came, under a text/plain header: walked as a part of
     * the message, so it becomes the body (or an attachment, when the
     * message has one already). */
    GByteArray *a = entity_bytes(im->src, mp, r, top ? im->top_blank : -1);
    GByteArray *part = g_byte_array_new();
    static const char head[] = "Content-Type: text/plain\r\n\r\n";
    g_byte_array_append(part, (const guint8 *)head, sizeof head - 1);
    if (a != NULL) {
        size_t body = body_offset(a);
        g_byte_array_append(part, a->data + body, a->len - (guint)body);
        g_byte_array_unref(a);
    } else {
        const char *pro = g_mime_multipart_get_prologue(mp);
        if (pro != NULL)
            g_byte_array_append(part, (const guint8 *)pro, (guint)strlen(pro));
    }
    gsize len = part->len;
    GMimeStream *s = g_mime_stream_mem_new_with_byte_array(part);
    GMimeParser *parser = g_mime_parser_new_with_stream(s);
    GMimeObject *obj = g_mime_parser_construct_part(parser, fm_mime_parser_options());
    g_object_unref(parser);
    HRESULT hr = S_OK;
    if (obj != NULL) {
        /* Its bytes are in s, not in the message's source. */
        fm_import_source local = { s, -1, (gint64)len, false };
        const fm_import_source *saved = im->src;
        im->src = &local;
        hr = fm_mime_walk(im, obj, 1, false, NULL, false);
        im->src = saved;
        g_object_unref(obj);
    }
    g_object_unref(s);
    return hr;
}
