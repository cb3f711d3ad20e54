/*
 * mime/export_tree.c - a MIME message to be written, as a tree of nodes,
 * and the writer that serialises it (RFC 2045/2046) into a GMime stream.
 *
 * Why not GMime objects: an export writes many parts whose header fields
 * are kept from the Internet as they came (the skeleton, skeleton.h) and
 * some entities as bytes that must not change at all (a signed entity).
 * Written from nodes, the header bytes and the structure are exactly what
 * the node holds; GMime still does the encodings (base64, quoted-
 * printable, line ends), through its stream filters.
 *
 * Content is read while it is written (an attachment from the store's
 * stream), so a message of any size takes constant memory.
 */
#include <string.h>

#include "mime/mime.h"

fm_out_node *fm_out_node_new(fm_out_kind kind)
{
    fm_out_node *n = g_new0(fm_out_node, 1);
    n->kind = kind;
    n->headers = g_string_new(NULL);
    if (kind == FM_OUT_MULTIPART)
        n->children = g_ptr_array_new_with_free_func((GDestroyNotify)fm_out_node_free);
    return n;
}

void fm_out_node_free(fm_out_node *n)
{
    if (n == NULL)
        return;
    g_string_free(n->headers, TRUE);
    g_free(n->boundary);
    if (n->prologue != NULL)
        g_string_free(n->prologue, TRUE);
    if (n->epilogue != NULL)
        g_string_free(n->epilogue, TRUE);
    if (n->children != NULL)
        g_ptr_array_unref(n->children);
    if (n->content != NULL)
        g_object_unref(n->content);
    if (n->inner != NULL) {
        fm_mime_out_clear(n->inner);
        g_free(n->inner);
    }
    if (n->att != NULL)
        IAttach_Release(n->att);
    g_free(n);
}

void fm_out_add(fm_out_node *parent, fm_out_node *child)
{
    g_ptr_array_add(parent->children, child);
}

/* Appends a header field: name, ':', value as GMime encodes it (a leading
 * blank and folded lines), ending in CRLF. */
void fm_out_header(fm_out_node *n, const char *name, const char *value)
{
    g_string_append(n->headers, name);
    g_string_append_c(n->headers, ':');
    if (value[0] != ' ' && value[0] != '\t')
        g_string_append_c(n->headers, ' ');
    for (const char *p = value; *p; p++) {
        if (*p == '\n' && (p == value || p[-1] != '\r'))
            g_string_append_c(n->headers, '\r');
        g_string_append_c(n->headers, *p);
    }
    if (n->headers->len == 0 || n->headers->str[n->headers->len - 1] != '\n')
        g_string_append(n->headers, "\r\n");
}

/* Appends raw header bytes with every line ending in CRLF. */
void fm_out_raw_headers(GString *out, const char *p, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '\n')
            continue;
        size_t stop = i > start && p[i - 1] == '\r' ? i - 1 : i;
        g_string_append_len(out, p + start, (gssize)(stop - start));
        g_string_append_len(out, "\r\n", 2);
        start = i + 1;
    }
    if (start < n) {
        g_string_append_len(out, p + start, (gssize)(n - start));
        g_string_append_len(out, "\r\n", 2);
    }
}

const char *fm_out_encoding_name(GMimeContentEncoding enc)
{
    switch (enc) {
    case GMIME_CONTENT_ENCODING_BASE64: return "base64";
    case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE: return "quoted-printable";
    case GMIME_CONTENT_ENCODING_8BIT: return "8bit";
    case GMIME_CONTENT_ENCODING_BINARY: return "binary";
    case GMIME_CONTENT_ENCODING_7BIT: return "7bit";
    default: return NULL;
    }
}

/* ---- writing ---------------------------------------------------------------- */
typedef struct writer {
    GMimeStream *out;
    ssize_t total;
    bool failed;
} writer;

static void put(writer *w, const void *p, size_t n)
{
    if (w->failed || n == 0)
        return;
    ssize_t k = g_mime_stream_write(w->out, p, n);
    if (k < 0 || (size_t)k != n)
        w->failed = true;
    else
        w->total += k;
}

static void puts_(writer *w, const char *s)
{
    put(w, s, strlen(s));
}

/* Copies src through the filters an encoding needs. */
static void put_stream(writer *w, GMimeStream *src, GMimeContentEncoding enc, bool text)
{
    g_mime_stream_reset(src);
    GMimeStream *f = g_mime_stream_filter_new(w->out);
    GMimeFilter *filters[3] = { NULL, NULL, NULL };
    int nf = 0;
    switch (enc) {
    case GMIME_CONTENT_ENCODING_BASE64:
        filters[nf++] = g_mime_filter_basic_new(enc, TRUE);
        filters[nf++] = g_mime_filter_unix2dos_new(FALSE);
        break;
    case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
        /* Text line breaks are line breaks, not encoded CR and LF. */
        if (text)
            filters[nf++] = g_mime_filter_dos2unix_new(FALSE);
        filters[nf++] = g_mime_filter_basic_new(enc, TRUE);
        filters[nf++] = g_mime_filter_unix2dos_new(FALSE);
        break;
    case GMIME_CONTENT_ENCODING_BINARY:
        break;
    default: /* 7bit, 8bit: lines end in CRLF */
        filters[nf++] = g_mime_filter_unix2dos_new(FALSE);
        break;
    }
    for (int i = 0; i < nf; i++) {
        g_mime_stream_filter_add((GMimeStreamFilter *)f, filters[i]);
        g_object_unref(filters[i]);
    }
    ssize_t n = g_mime_stream_write_to_stream(src, f);
    if (n < 0 || g_mime_stream_flush(f) < 0)
        w->failed = true;
    else
        w->total += n;
    g_object_unref(f);
}

static void write_node(writer *w, const fm_out_node *n);

static void write_message(writer *w, const fm_mime_out *o)
{
    if (o->head != NULL)
        put(w, o->head->str, o->head->len);
    if (o->root != NULL)
        puts_(w, "MIME-Version: 1.0\r\n");
    if (o->root != NULL)
        write_node(w, o->root);
}

static void write_node(writer *w, const fm_out_node *n)
{
    switch (n->kind) {
    case FM_OUT_MULTIPART:
        put(w, n->headers->str, n->headers->len);
        puts_(w, "\r\n");
        if (n->prologue != NULL && n->prologue->len > 0) {
            put(w, n->prologue->str, n->prologue->len);
            puts_(w, "\r\n");
        }
        for (guint i = 0; i < n->children->len; i++) {
            puts_(w, "--");
            puts_(w, n->boundary);
            puts_(w, "\r\n");
            write_node(w, n->children->pdata[i]);
            puts_(w, "\r\n");
        }
        puts_(w, "--");
        puts_(w, n->boundary);
        puts_(w, "--\r\n");
        if (n->epilogue != NULL && n->epilogue->len > 0)
            put(w, n->epilogue->str, n->epilogue->len);
        break;
    case FM_OUT_LEAF:
        put(w, n->headers->str, n->headers->len);
        puts_(w, "\r\n");
        if (n->content != NULL)
            put_stream(w, n->content, n->enc, n->text);
        break;
    case FM_OUT_RAW:
        if (n->content != NULL)
            put_stream(w, n->content, GMIME_CONTENT_ENCODING_BINARY, false);
        break;
    case FM_OUT_MESSAGE:
        put(w, n->headers->str, n->headers->len);
        puts_(w, "\r\n");
        if (n->inner != NULL)
            write_message(w, n->inner);
        break;
    }
}

ssize_t fm_mime_out_write(const fm_mime_out *o, GMimeStream *s)
{
    writer w = { s, 0, false };
    write_message(&w, o);
    if (!w.failed && g_mime_stream_flush(s) < 0)
        w.failed = true;
    return w.failed ? -1 : w.total;
}

void fm_mime_out_clear(fm_mime_out *o)
{
    if (o->head != NULL)
        g_string_free(o->head, TRUE);
    fm_out_node_free(o->root);
    o->head = NULL;
    o->root = NULL;
}

char *fm_out_boundary(void)
{
    /* As GMime makes them: "=-" and 20 base64 characters of randomness. */
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *b = g_malloc(23);
    b[0] = '=';
    b[1] = '-';
    for (int i = 0; i < 20; i++)
        b[2 + i] = b64[g_random_int_range(0, 64)];
    b[22] = '\0';
    return b;
}

/* ---- choosing an encoding ------------------------------------------------------ */
GMimeContentEncoding fm_out_best_encoding(GMimeStream *content, bool text)
{
    /* GMime's statistics filter reads the content once. */
    g_mime_stream_reset(content);
    GMimeStream *null = g_mime_stream_null_new();
    GMimeStream *f = g_mime_stream_filter_new(null);
    GMimeFilter *best = g_mime_filter_best_new(GMIME_FILTER_BEST_ENCODING);
    g_mime_stream_filter_add((GMimeStreamFilter *)f, best);
    g_mime_stream_write_to_stream(content, f);
    g_mime_stream_flush(f);
    GMimeContentEncoding enc =
        g_mime_filter_best_encoding((GMimeFilterBest *)best, GMIME_ENCODING_CONSTRAINT_7BIT);
    g_object_unref(best);
    g_object_unref(f);
    g_object_unref(null);
    g_mime_stream_reset(content);
    if (!text && enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE)
        enc = GMIME_CONTENT_ENCODING_BASE64;
    return enc;
}

/* Whether content can be written as enc (7bit: no 8-bit byte, no NUL,
 * lines of at most 998 bytes; 8bit: the same but 8-bit bytes; binary,
 * base64 and quoted-printable: anything). */
bool fm_out_encoding_fits(GMimeStream *content, GMimeContentEncoding enc)
{
    if (enc != GMIME_CONTENT_ENCODING_7BIT && enc != GMIME_CONTENT_ENCODING_8BIT &&
        enc != GMIME_CONTENT_ENCODING_DEFAULT)
        return true;
    g_mime_stream_reset(content);
    char buf[16384];
    size_t line = 0;
    bool ok = true;
    ssize_t n;
    while (ok && (n = g_mime_stream_read(content, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n && ok; i++) {
            unsigned char c = (unsigned char)buf[i];
            if (c == '\n') {
                line = 0;
                continue;
            }
            if (c == '\0' || (c >= 0x80 && enc != GMIME_CONTENT_ENCODING_8BIT) || ++line > 998)
                ok = false;
        }
    }
    g_mime_stream_reset(content);
    return ok;
}
