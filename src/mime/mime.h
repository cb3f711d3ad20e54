/*
 * mime/mime.h - what the files of libfreemapi-mime share: GMime set-up,
 * error text, memory, UTF-8/UTF-16 conversion and the GMime streams that
 * bridge to callbacks and MAPI IStreams.
 *
 * This library links libfreemapi's shared object, whose internal fm_*
 * functions are hidden; so it allocates with MAPIAllocateBuffer (the same
 * counted, failure-injectable allocator) and keeps its own error text.
 */
#ifndef FREEMAPI_MIME_INTERNAL_H
#define FREEMAPI_MIME_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <gmime/gmime.h>

#include "freemapi.h"
#include "freemapi_mime.h"
#include "mapicode.h"
#include "mapidefs.h"
#include "mapitags.h"
#include "mapix.h"
#include "mapiutil.h"

#if defined(__GNUC__)
#define FM_MIME_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define FM_MIME_PRINTF(a, b)
#endif

/* Initialises GMime once per process (thread-safe). */
void fm_mime_init(void);

/* Records the text of a failure (fmapi_error_set) and returns hr. */
HRESULT fm_mime_fail(HRESULT hr, const char *fmt, ...) FM_MIME_PRINTF(2, 3);
/* For a failure returned by a MAPI method: the text is "what: <the store's
 * text>" (fmapi_last_error()). */
HRESULT fm_mime_fail_mapi(HRESULT hr, const char *what);
void fm_mime_clear_error(void);

/* Internal memory through MAPI's allocator: NULL when it fails. */
void *fm_mime_alloc(size_t n);
void *fm_mime_realloc(void *p, size_t old, size_t n);
void fm_mime_free(void *p);
char *fm_mime_strdup(const char *s);

/* ---- text ------------------------------------------------------------------ */
/* UTF-8 (any bytes: invalid sequences become U+FFFD) to NUL-terminated UTF-16
 * in a MAPI buffer linked to parent (or a new one). */
HRESULT fm_mime_utf16(const char *s, size_t n, void *parent, WCHAR **out);
/* Incremental UTF-8 -> UTF-16 for streamed bodies: feeds bytes, carrying an
 * incomplete sequence over to the next call. */
typedef struct fm_utf8_decoder {
    unsigned char pend[4];
    size_t npend;
} fm_utf8_decoder;
/* Converts in (n bytes) into out (room for n + 4 units); returns units. */
size_t fm_mime_utf8_feed(fm_utf8_decoder *d, const char *in, size_t n, WCHAR *out, bool last);
/* Incremental UTF-16 -> UTF-8; out has room for 3 * n + 4 bytes. */
typedef struct fm_utf16_encoder {
    WCHAR high; /* a high surrogate waiting for its pair, or 0 */
} fm_utf16_encoder;
size_t fm_mime_utf16_feed(fm_utf16_encoder *e, const WCHAR *in, size_t n, char *out, bool last);
/* Replaces invalid UTF-8 in s (in place, same or shorter length) with '?'. */
void fm_mime_utf8_scrub(char *s);

/* ---- streams --------------------------------------------------------------- */
/* A write-only GMime stream that hands every write to fn. The first error
 * fn returns is kept in *status and later writes fail. */
GMimeStream *fm_mime_stream_callback_new(fmapi_mime_write_fn fn, void *ctx, HRESULT *status);
/* A read-only GMime stream over an IStream (which it holds a reference to). */
GMimeStream *fm_mime_stream_istream_new(LPSTREAM s);
/* The first IStream error an IStream reader met on this thread since the
 * last call (S_OK if none); resets it. */
HRESULT fm_mime_stream_error(void);

/* ---- conversion ------------------------------------------------------------ */
/* FILETIME <-> time_t. */
FILETIME fm_mime_filetime(int64_t unix_seconds);
int64_t fm_mime_unix_time(FILETIME ft);

/* Imports msg into m; depth counts embedded levels above. */
HRESULT fm_mime_import(GMimeMessage *msg, LPMESSAGE m, ULONG flags, int depth);
/* Imports the body tree (from the top part) of a message. */
HRESULT fm_mime_import_parts(GMimeObject *top, LPMESSAGE m, ULONG flags, int depth);
/* Sets the envelope properties and recipients from the headers. */
HRESULT fm_mime_import_headers(GMimeMessage *msg, LPMESSAGE m, ULONG flags);
/* Builds a GMime message from m; depth counts embedded levels above. */
HRESULT fm_mime_build(LPMESSAGE m, ULONG flags, int depth, GMimeMessage **out);

/* A message ready to be written: head (when not NULL) holds its header
 * block as bytes, obj its body part; without head, obj is the whole
 * GMimeMessage. Writing a kept header block as bytes spares GMime parsing
 * and formatting every address header (see export_raw.c). */
typedef struct fm_mime_out {
    GString *head;
    GMimeObject *obj;
} fm_mime_out;

/* Checks the message and flags of an export (MAPI_E_INVALID_PARAMETER,
 * MAPI_E_NO_SUPPORT for RTF/TNEF, MAPI_E_UNKNOWN_FLAGS). */
HRESULT fm_mime_export_check(LPMESSAGE m, ULONG flags);
/* Converts m for writing (flags as fmapi_mime_export); nothing is written,
 * so a failure leaves the output untouched. mbox_status: NULL, or the value
 * of the mbox Status field ("RO", "O") written in place of kept ones. */
HRESULT fm_mime_prepare(LPMESSAGE m, ULONG flags, const char *mbox_status, fm_mime_out *out);
/* Writes o to s; the bytes written or -1. */
ssize_t fm_mime_out_write(const fm_mime_out *o, GMimeStream *s);
void fm_mime_out_clear(fm_mime_out *o);
/* Appends the fields of a kept header block to out as fmapi_mime_export
 * writes them: verbatim, CRLF, without the MIME structure headers (and Bcc,
 * Message-ID as flags say; and Status, X-Status for an mbox). */
void fm_mime_raw_headers(GString *out, const char *block, ULONG flags, bool mbox);
/* Whether a kept header field named name (n bytes) is written back: not the
 * MIME structure headers, nor Bcc, Message-ID, X-Unsent as flags say, nor
 * Status/X-Status for an mbox. Both export paths decide with it. */
bool fm_mime_header_kept(const char *name, size_t n, ULONG flags, bool mbox);
/* The body properties as one GetProps returned them (PR_BODY_A, the HTML
 * body's ID as PT_UNSPECIFIED, PR_INTERNET_CPID): values, PT_ERROR
 * NOT_FOUND, or PT_ERROR NOT_ENOUGH_MEMORY when only a stream can give them. */
typedef struct fm_mime_body_props {
    const SPropValue *body, *html, *cpid;
} fm_mime_body_props;

/* Builds the body tree of m (without the message headers); attachments:
 * false when m is known to have none. */
HRESULT fm_mime_build_body(LPMESSAGE m, ULONG flags, int depth, bool attachments,
                           const fm_mime_body_props *bp, GMimeObject **out);

/* Sets one property on m, recording failures with text. */
HRESULT fm_mime_set(LPMAPIPROP obj, const SPropValue *v);
/* Sets a string property (id) as PT_UNICODE from UTF-8. */
HRESULT fm_mime_set_string(LPMAPIPROP obj, ULONG tag, const char *utf8);

/* Copies a GMime stream (decoded content) into property tag of obj through
 * OpenProperty(IID_IStream). wide: the content is UTF-8 to store as UTF-16.
 * Small contents go through SetProps. *size gets the stored bytes. */
HRESULT fm_mime_stream_to_prop(GMimeStream *src, LPMAPIPROP obj, ULONG tag, bool wide,
                               uint64_t *size);

/* Reads a string or binary property whole through its stream, opened
 * under the type the value is stored as, into out (UTF-16 becomes UTF-8). */
HRESULT fm_mime_read_prop_stream(LPMAPIPROP obj, ULONG tag, GString *out);

/* Parser options shared by import paths (lenient RFC compliance). */
GMimeParserOptions *fm_mime_parser_options(void);
/* Format options for output (CRLF line ends). */
GMimeFormatOptions *fm_mime_format_options(void);

#endif /* FREEMAPI_MIME_INTERNAL_H */
