/*
 * mime/export_raw.c - the header block a message kept from the Internet
 * (PR_TRANSPORT_MESSAGE_HEADERS), written back as bytes.
 *
 * Why not through GMime: appending each kept header to a GMimeMessage makes
 * GMime parse every address header into an address list and format it
 * again (with IDN lookups), only for the raw value to be put back over the
 * result. Exporting a folder spent about a third of its conversion time
 * there. The fields are copied verbatim instead, in their order, with the
 * same choices the GMime path makes: the MIME structure headers are left
 * out (they describe the body as it is written now), Bcc without
 * CCSF_INCLUDE_BCC, Message-ID with CCSF_NO_MSGID, and X-Unsent with
 * CCSF_EMBEDDED_MESSAGE (which writes it from the message's flags). For an
 * mbox, the Status and X-Status fields (whether the message was read when
 * it was imported) make way for its state now. Lines end in CRLF, as the
 * rest of the output does.
 *
 * A field is a line starting with a name (printable ASCII but ':', then
 * optional blanks, then ':') and the continuation lines after it (starting
 * with a space or a tab). Anything else, which a header block written by
 * another program might hold, is dropped rather than written out as a
 * broken header; an empty line ends the block.
 *
 * The fields that map to properties a client changed since the import
 * (envelope.c) are the exception: they are written from the properties,
 * where the kept ones stood.
 */
#include <string.h>

#include "mime/mime.h"

/* Bytes from p to the end of the field starting there: its line and any
 * continuation lines. */
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

/* The length of the field name at p (before blanks and ':'), 0 when the
 * line does not start a field. */
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

static bool name_is(const char *name, size_t n, const char *want)
{
    return strlen(want) == n && g_ascii_strncasecmp(name, want, n) == 0;
}

bool fm_mime_header_kept(const char *name, size_t n, ULONG flags, bool mbox)
{
    if (n >= 8 && g_ascii_strncasecmp(name, "Content-", 8) == 0)
        return false;
    if (name_is(name, n, "MIME-Version"))
        return false;
    if (name_is(name, n, "Bcc") && !(flags & CCSF_INCLUDE_BCC))
        return false;
    if (name_is(name, n, "Message-ID") && (flags & CCSF_NO_MSGID))
        return false;
    if (name_is(name, n, "X-Unsent") && (flags & CCSF_EMBEDDED_MESSAGE))
        return false; /* written from the message's state instead */
    if (mbox && (name_is(name, n, "Status") || name_is(name, n, "X-Status")))
        return false;
    return true;
}

/* Appends field f (n bytes) with every line ending in CRLF. */
static void append_crlf(GString *out, const char *f, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (f[i] != '\n')
            continue;
        size_t stop = i > start && f[i - 1] == '\r' ? i - 1 : i;
        g_string_append_len(out, f + start, (gssize)(stop - start));
        g_string_append_len(out, "\r\n", 2);
        start = i + 1;
    }
    if (start < n) {
        g_string_append_len(out, f + start, (gssize)(n - start));
        g_string_append_len(out, "\r\n", 2);
    }
}

void fm_mime_raw_headers_edit(GString *out, const char *block, size_t len, ULONG flags,
                              bool mbox, uint32_t changed, GString *const *repl)
{
    uint32_t written = 0;
    const char *p = block, *end = block + len;
    while (p < end) {
        if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n'))
            break; /* an empty line: the end of the header block */
        size_t n = field_len(p, end);
        size_t name = name_len(p, n);
        int g = changed != 0 && name > 0 ? fm_env_group_of(p, name) : -1;
        if (g >= 0 && (changed & (1u << g))) {
            if (!(written & (1u << g)) && repl[g] != NULL)
                g_string_append_len(out, repl[g]->str, (gssize)repl[g]->len);
            written |= 1u << g;
        } else if (name > 0 && fm_mime_header_kept(p, name, flags, mbox)) {
            append_crlf(out, p, n);
        }
        p += n;
    }
    for (int g = 0; g < FM_EG_COUNT; g++) {
        if ((changed & ~written & (1u << g)) && repl[g] != NULL)
            g_string_append_len(out, repl[g]->str, (gssize)repl[g]->len);
    }
}

void fm_mime_raw_headers(GString *out, const char *block, size_t len, ULONG flags, bool mbox)
{
    fm_mime_raw_headers_edit(out, block, len, flags, mbox, 0, NULL);
}
