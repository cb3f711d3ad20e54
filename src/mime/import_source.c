/*
 * mime/import_source.c - where a part's bytes are in the message the import
 * reads: the start of a part (its first header), the end of a region (the
 * line break before the enclosing multipart's next delimiter line, RFC 2046
 * section 5.1.1), and the bytes of a whole entity as they came, which the
 * import keeps for signed entities and repaired parts.
 *
 * GMime gives the place of every header and of every leaf's content but not
 * where a multipart ends; that end is found, when it is needed, by looking
 * for the delimiter in the source, a chunk at a time (constant memory, and
 * only for the few parts that are kept whole).
 */
#include <string.h>

#include "mime/mime.h"

#define SCAN_CHUNK (64 * 1024)

gint64 fm_mime_object_start(GMimeObject *obj)
{
    GMimeHeaderList *list = g_mime_object_get_header_list(obj);
    int n = list ? g_mime_header_list_get_count(list) : 0;
    gint64 start = -1;
    for (int i = 0; i < n; i++) {
        gint64 at = g_mime_header_get_offset(g_mime_header_list_get_header_at(list, i));
        if (at >= 0 && (start < 0 || at < start))
            start = at;
    }
    if (start < 0 && GMIME_IS_PART(obj)) {
        GMimeDataWrapper *w = g_mime_part_get_content((GMimePart *)obj);
        GMimeStream *s = w ? g_mime_data_wrapper_get_stream(w) : NULL;
        if (s != NULL)
            start = s->bound_start;
    }
    return start;
}

/* Whether line (n bytes from a delimiter's "--") closes or separates parts
 * of boundary b: "--b" then "--", or blanks up to the line end. */
static bool is_delimiter(const char *line, size_t n, const char *b, size_t blen, bool at_end)
{
    if (n < 2 + blen)
        return at_end && n == 2 + blen && memcmp(line + 2, b, blen) == 0;
    if (memcmp(line + 2, b, blen) != 0)
        return false;
    size_t i = 2 + blen;
    if (i + 1 < n && line[i] == '-' && line[i + 1] == '-')
        return true;
    while (i < n && (line[i] == ' ' || line[i] == '\t'))
        i++;
    return i == n || line[i] == '\r' || line[i] == '\n';
}

/* The offset of the line break before the first delimiter line of b at or
 * after from, before limit; limit when there is none. */
static gint64 find_delimiter(GMimeStream *src, const char *b, gint64 from, gint64 limit)
{
    size_t blen = strlen(b);
    size_t keep = blen + 8; /* a delimiter may straddle two chunks */
    char *buf = g_malloc(SCAN_CHUNK + keep + 1);
    gint64 base = from; /* offset of buf[0] */
    size_t have = 0;
    gint64 found = limit;
    g_mime_stream_seek(src, from, GMIME_STREAM_SEEK_SET);
    for (;;) {
        ssize_t n = g_mime_stream_read(src, buf + have, SCAN_CHUNK);
        if (n > 0)
            have += (size_t)n;
        /* Nothing more to read: a delimiter at the very end is decided now. */
        bool end = n <= 0 || base + (gint64)have >= limit;
        for (size_t i = 0; i + 1 < have; i++) {
            if (buf[i] != '\n' || buf[i + 1] != '-')
                continue;
            size_t avail = have - (i + 1);
            if (avail < keep && !end)
                break; /* read more before deciding */
            if (avail >= 2 && buf[i + 2] == '-' &&
                is_delimiter(buf + i + 1, avail, b, blen, end)) {
                gint64 at = base + (gint64)i;
                if (i > 0 && buf[i - 1] == '\r')
                    at--;
                found = at < limit ? at : limit;
                goto done;
            }
        }
        if (end)
            break;
        /* Keep the tail, where a delimiter may begin. */
        size_t tail = have > keep + 1 ? keep + 1 : have;
        memmove(buf, buf + have - tail, tail);
        base += (gint64)(have - tail);
        have = tail;
    }
done:
    g_free(buf);
    return found;
}

gint64 fm_mime_region_end(const fm_import_source *src, fm_region *r)
{
    if (r == NULL)
        return src->end;
    if (r->end >= 0)
        return r->end;
    gint64 limit = fm_mime_region_end(src, r->outer);
    if (r->boundary == NULL || src->stream == NULL || r->start < 0 || limit < 0)
        r->end = limit;
    else
        r->end = find_delimiter(src->stream, r->boundary, r->start, limit);
    return r->end;
}

gint64 fm_mime_body_start(GMimeStream *src, gint64 from, gint64 *blank)
{
    /* From the start of the last header field: past its continuation lines
     * to the empty line, which the body follows. */
    char buf[4096];
    gint64 pos = from;
    bool at_line_start = false;
    g_mime_stream_seek(src, from, GMIME_STREAM_SEEK_SET);
    for (;;) {
        ssize_t n = g_mime_stream_read(src, buf, sizeof buf);
        if (n <= 0)
            return -1;
        for (ssize_t i = 0; i < n; i++, pos++) {
            if (at_line_start) {
                if (buf[i] == '\n') {
                    *blank = pos;
                    return pos + 1;
                }
                if (buf[i] == '\r' && i + 1 < n && buf[i + 1] == '\n') {
                    *blank = pos;
                    return pos + 2;
                }
                at_line_start = false;
            }
            if (buf[i] == '\n')
                at_line_start = true;
        }
    }
}

/* The header fields of obj as they came (GMime keeps each raw value). */
void fm_mime_header_block(GMimeObject *obj, GString *out)
{
    GMimeHeaderList *list = g_mime_object_get_header_list(obj);
    int n = list ? g_mime_header_list_get_count(list) : 0;
    for (int i = 0; i < n; i++) {
        GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
        const char *raw = g_mime_header_get_raw_value(h);
        g_string_append(out, g_mime_header_get_name(h));
        g_string_append_c(out, ':');
        g_string_append(out, raw ? raw : "\r\n");
        if (out->len == 0 || out->str[out->len - 1] != '\n')
            g_string_append(out, "\r\n");
    }
}

GMimeStream *fm_mime_entity_stream(const fm_import_source *src, GMimeObject *obj, fm_region *r,
                                   gint64 top_blank)
{
    if (src->stream == NULL) {
        /* Parsed by the caller: GMime writes the part (its raw headers and
         * content), as near to the original as can be had. */
        GMimeStream *mem = g_mime_stream_mem_new();
        g_mime_object_write_to_stream(obj, fm_mime_format_options(), mem);
        g_mime_stream_reset(mem);
        return mem;
    }
    gint64 end = fm_mime_region_end(src, r);
    if (top_blank >= 0) {
        /* The top part of a message: its fields sit among the message's, so
         * they are written from their raw values, then the body as it came
         * (from the empty line on). */
        if (end < top_blank)
            return NULL;
        GString *h = g_string_new(NULL);
        fm_mime_header_block(obj, h);
        GMimeStream *cat = g_mime_stream_cat_new();
        GMimeStream *head = g_mime_stream_mem_new_with_buffer(h->str, h->len);
        g_string_free(h, TRUE);
        GMimeStream *body = g_mime_stream_substream(src->stream, top_blank, end);
        g_mime_stream_cat_add_source((GMimeStreamCat *)cat, head);
        g_mime_stream_cat_add_source((GMimeStreamCat *)cat, body);
        g_object_unref(head);
        g_object_unref(body);
        return cat;
    }
    gint64 start = fm_mime_object_start(obj);
    if (start < 0 || end < start)
        return NULL;
    return g_mime_stream_substream(src->stream, start, end);
}
