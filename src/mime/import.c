/*
 * mime/import.c - MIME -> MAPI entry points (IConverterSession::MIMEToMAPI):
 * reading from a buffer, a descriptor or a GMime stream, repairing the
 * header block of the message where GMime would lose text, then the
 * envelope (import_headers.c) and the body tree (import_parts.c).
 *
 * The message is parsed from a seekable stream, so the parts keep their
 * places in it: content is read from there as it is converted (a part of
 * any size takes constant memory), and a part kept as it came (a signed
 * entity, a repaired part) is copied from there byte for byte. Input that
 * cannot seek (a pipe) is first spooled to an unlinked temporary file.
 *
 * The header block is read the way every mail reader reads it: it ends at
 * its empty line or at the first line that is neither a field nor a
 * continuation (that line starts the body: GMime would drop it, or read a
 * multipart's first boundary as a header); a message whose first line is
 * not a field has no header at all and is all body; and a first field
 * written after a blank is read as that field. Each repair is a warning.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mime/mime.h"

#define IMPORT_FLAGS (CCSF_SMTP | CCSF_INCLUDE_BCC | CCSF_EMBEDDED_MESSAGE)
/* A header block is looked at for repairs up to this size; a larger one is
 * parsed as it is. */
#define HEAD_SCAN_MAX (8 * 1024 * 1024)

static HRESULT check_args(const void *in, LPMESSAGE m, ULONG flags)
{
    fm_mime_clear_error();
    fm_mime_clear_warnings();
    if (in == NULL || m == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "MIME import: NULL argument");
    if (flags & (CCSF_USE_RTF | CCSF_USE_TNEF))
        return fm_mime_fail(MAPI_E_NO_SUPPORT, "MIME import: RTF and TNEF are not supported");
    if (flags & ~IMPORT_FLAGS)
        return fm_mime_fail(MAPI_E_UNKNOWN_FLAGS, "MIME import: unknown flags 0x%08lX",
                            (unsigned long)(flags & ~IMPORT_FLAGS));
    return S_OK;
}

/* ---- the header block ------------------------------------------------------ */
/* Length of the field name at p (printable ASCII but ':', then optional
 * blanks, then ':'), 0 when the line does not start a field. */
static size_t field_name(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && (unsigned char)p[i] > 32 && (unsigned char)p[i] < 127 && p[i] != ':')
        i++;
    size_t name = i;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    return name > 0 && i < n && p[i] == ':' ? name : 0;
}

static bool blank_line(const char *p, size_t n)
{
    return n == 0 || (n == 1 && p[0] == '\r');
}

typedef struct head_repair {
    size_t drop;     /* leading blanks taken off the first line */
    size_t insert;   /* where an empty line goes (SIZE_MAX: none) */
    bool repaired;
    bool nul;        /* a NUL byte in the block */
} head_repair;

/* Looks at the header block in head (n bytes read from the start). */
static void find_repairs(const char *head, size_t n, head_repair *r)
{
    r->drop = 0;
    r->insert = SIZE_MAX;
    r->repaired = false;
    r->nul = false;
    size_t pos = 0;
    bool first = true;
    while (pos < n) {
        const char *nl = memchr(head + pos, '\n', n - pos);
        if (nl == NULL)
            return; /* the block goes on past what was read: leave it */
        size_t len = (size_t)(nl - (head + pos));
        const char *line = head + pos;
        if (blank_line(line, len))
            return; /* the block ends as it should */
        if (memchr(line, '\0', len) != NULL)
            r->nul = true;
        if (first && len >= 5 && memcmp(line, "From ", 5) == 0) {
            pos += len + 1; /* an mbox separator left in: skipped, as readers do */
            continue;
        }
        if (first && (line[0] == ' ' || line[0] == '\t')) {
            size_t skip = strspn(line, " \t");
            if (skip < len && field_name(line + skip, len - skip) > 0) {
                r->drop = skip;
                r->repaired = true;
                fm_mime_warn("the first header line starts with a blank: read as a field");
            } else {
                r->insert = 0;
                r->repaired = true;
                fm_mime_warn("the message has no header block: read as a body");
                return;
            }
        } else if (!first && (line[0] == ' ' || line[0] == '\t')) {
            /* a continuation line */
        } else if (field_name(line, len) == 0) {
            r->insert = pos;
            r->repaired = true;
            if (first)
                fm_mime_warn("the message has no header block: read as a body");
            else
                fm_mime_warn("a line in the header block is not a field: the body starts there");
            return;
        }
        first = false;
        pos += len + 1;
    }
}

/* Reads up to cap bytes from s (from its position), leaving the position
 * where it was. */
static GByteArray *peek(GMimeStream *s, size_t cap)
{
    gint64 at = g_mime_stream_tell(s);
    GByteArray *a = g_byte_array_sized_new(4096);
    char buf[4096];
    bool seen_end = false;
    while (a->len < cap && !seen_end) {
        ssize_t n = g_mime_stream_read(s, buf, sizeof buf);
        if (n <= 0)
            break;
        g_byte_array_append(a, (const guint8 *)buf, (guint)n);
        /* Enough once an empty line has been read. */
        const char *p = (const char *)a->data;
        seen_end = a->len >= 2 && (fm_mime_memmem(p, a->len, "\n\n", 2) != NULL ||
                                   fm_mime_memmem(p, a->len, "\n\r\n", 3) != NULL);
    }
    g_mime_stream_seek(s, at, GMIME_STREAM_SEEK_SET);
    return a;
}

/* The stream to parse: s itself, or, when the header block needs a repair,
 * the repaired first part followed by the rest of s. (The repaired block is
 * the one an export writes: a field read after a leading blank is kept as
 * the field it was read as.) */
static GMimeStream *repaired_input(GMimeStream *s, bool *nul)
{
    GByteArray *head = peek(s, HEAD_SCAN_MAX);
    head_repair r;
    find_repairs((const char *)head->data, head->len, &r);
    *nul = r.nul;
    if (r.nul)
        fm_mime_warn("the header block holds NUL bytes: kept as they came");
    if (!r.repaired) {
        g_byte_array_unref(head);
        return g_object_ref(s);
    }
    gint64 start = g_mime_stream_tell(s);
    size_t keep = r.insert == SIZE_MAX ? head->len : r.insert;
    GMimeStream *cat = g_mime_stream_cat_new();
    GByteArray *fixed = g_byte_array_new();
    g_byte_array_append(fixed, head->data + r.drop, (guint)(keep - r.drop));
    if (r.insert != SIZE_MAX)
        g_byte_array_append(fixed, (const guint8 *)"\r\n", 2);
    GMimeStream *first = g_mime_stream_mem_new_with_byte_array(fixed);
    g_mime_stream_cat_add_source((GMimeStreamCat *)cat, first);
    g_object_unref(first);
    GMimeStream *rest = g_mime_stream_substream(s, start + (gint64)keep, s->bound_end);
    g_mime_stream_cat_add_source((GMimeStreamCat *)cat, rest);
    g_object_unref(rest);
    g_byte_array_unref(head);
    return cat;
}

/* ---- parsing ------------------------------------------------------------------ */
HRESULT fmapi_mime_import_message(struct _GMimeMessage *message, LPMESSAGE lpMessage,
                                  ULONG ulFlags)
{
    HRESULT hr = check_args(message, lpMessage, ulFlags);
    if (hr != S_OK)
        return hr;
    fm_mime_init();
    /* Parsed by the caller: no bytes to go back to, so parts kept as they
     * came are written out by GMime. */
    fm_import_source src = { NULL, -1, -1, false };
    return fm_mime_import(message, lpMessage, ulFlags, 0, &src);
}

/* Parses the seekable stream s from its position to its end. */
static HRESULT import_seekable(GMimeStream *s, LPMESSAGE m, ULONG flags)
{
    bool nul = false;
    GMimeStream *in = repaired_input(s, &nul);
    GMimeParser *parser = g_mime_parser_new_with_stream(in);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, fm_mime_parser_options());
    gint64 where = g_mime_parser_tell(parser);
    fm_import_source src = { in, g_mime_parser_get_headers_end(parser), -1, nul };
    g_object_unref(parser);
    HRESULT hr;
    if (msg == NULL) {
        hr = fm_mime_fail(MAPI_E_CORRUPT_DATA,
                          "MIME import: no message could be parsed (stopped at byte %lld)",
                          (long long)where);
    } else {
        src.end = g_mime_stream_length(in) >= 0 ? in->bound_start + g_mime_stream_length(in)
                                                  : -1;
        hr = fm_mime_import(msg, m, flags, 0, &src);
        g_object_unref(msg);
    }
    g_object_unref(in);
    return hr;
}

/* A stream that cannot seek is copied to an unlinked file first, so its
 * parts are read from there, not held in memory. */
static HRESULT spool(GMimeStream *s, GMimeStream **out)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/freemapi-mime-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path); /* 0600 */
    if (fd >= 0)
        unlink(path); /* gone when closed */
    if (fd < 0)
        return fm_mime_fail(MAPI_E_DISK_ERROR, "MIME import: no temporary file to read a pipe "
                                               "into: %s", strerror(errno));
    GMimeStream *f = g_mime_stream_fs_new(fd);
    if (g_mime_stream_write_to_stream(s, f) < 0) {
        g_object_unref(f);
        return fm_mime_fail(MAPI_E_DISK_ERROR, "MIME import: copying a pipe failed: %s",
                            strerror(errno));
    }
    g_mime_stream_reset(f);
    *out = f;
    return S_OK;
}

static bool seekable(GMimeStream *s)
{
    gint64 at = g_mime_stream_tell(s);
    return at >= 0 && g_mime_stream_seek(s, at, GMIME_STREAM_SEEK_SET) == at &&
           g_mime_stream_length(s) >= 0;
}

HRESULT fmapi_mime_import_stream(struct _GMimeStream *stream, LPMESSAGE lpMessage, ULONG ulFlags)
{
    HRESULT hr = check_args(stream, lpMessage, ulFlags);
    if (hr != S_OK)
        return hr;
    fm_mime_init();
    GMimeStream *s = (GMimeStream *)stream;
    if (seekable(s)) {
        /* Parsed through a bounded view, so that positions start where the
         * caller's stream stands and the caller's stream is left alone. */
        gint64 at = g_mime_stream_tell(s);
        GMimeStream *view = g_mime_stream_substream(s, at, s->bound_end);
        hr = import_seekable(view, lpMessage, ulFlags);
        g_object_unref(view);
        return hr;
    }
    GMimeStream *file = NULL;
    hr = spool(s, &file);
    if (hr == S_OK) {
        hr = import_seekable(file, lpMessage, ulFlags);
        g_object_unref(file);
    }
    return hr;
}

HRESULT fmapi_mime_import_buffer(const void *data, size_t len, LPMESSAGE lpMessage,
                                 ULONG ulFlags)
{
    HRESULT hr = check_args(data, lpMessage, ulFlags);
    if (hr != S_OK)
        return hr;
    fm_mime_init();
    GMimeStream *s = g_mime_stream_mem_new_with_buffer(data, len);
    hr = import_seekable(s, lpMessage, ulFlags);
    g_object_unref(s);
    return hr;
}

HRESULT fmapi_mime_import_fd(int fd, LPMESSAGE lpMessage, ULONG ulFlags)
{
    HRESULT hr = check_args(fd >= 0 ? "" : NULL, lpMessage, ulFlags);
    if (hr != S_OK)
        return hr;
    fm_mime_init();
    int own = dup(fd);
    if (own < 0)
        return fm_mime_fail(MAPI_E_DISK_ERROR, "MIME import: cannot use descriptor %d", fd);
    off_t start = lseek(own, 0, SEEK_CUR);
    if (start >= 0) {
        GMimeStream *s = g_mime_stream_fs_new_with_bounds(own, start, -1);
        hr = import_seekable(s, lpMessage, ulFlags);
        g_object_unref(s); /* closes own */
        return hr;
    }
    /* A pipe or socket: spooled to a file, which is then parsed. */
    GMimeStream *pipe = g_mime_stream_pipe_new(own);
    g_mime_stream_pipe_set_owner((GMimeStreamPipe *)pipe, TRUE);
    GMimeStream *file = NULL;
    hr = spool(pipe, &file);
    g_object_unref(pipe);
    if (hr == S_OK) {
        hr = import_seekable(file, lpMessage, ulFlags);
        g_object_unref(file);
    }
    return hr;
}
