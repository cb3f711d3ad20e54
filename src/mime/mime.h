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
#include "mime/skeleton.h"

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
/* Modified UTF-7 folder names (mutf7.c, RFC 3501 5.1.3); caller g_frees. */
char *fm_mime_mutf7_decode(const char *s);
char *fm_mime_mutf7_encode(const char *utf8);
/* memmem (a GNU extension, not in the project's feature set). */
const void *fm_mime_memmem(const void *hay, size_t n, const void *needle, size_t k);
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

/* ---- warnings (warn.c) ------------------------------------------------- */
/* Records one warning of the import in hand (see fmapi_mime_last_warnings). */
void fm_mime_warn(const char *fmt, ...) FM_MIME_PRINTF(1, 2);
void fm_mime_clear_warnings(void);
unsigned fm_mime_warning_count(void);

/* ---- charsets (charset.c) ------------------------------------------------- */
ULONG fm_mime_charset_cpid(const char *charset);
const char *fm_mime_cpid_charset(ULONG cpid);
bool fm_mime_charset_is_utf8(const char *cs);
bool fm_mime_charset_is_ascii(const char *cs);
bool fm_mime_is_ascii(const char *p, size_t n);
/* Text in charset cs as UTF-8; NULL when cs is unknown or the bytes are not
 * valid in it. */
GString *fm_mime_charset_to_utf8(const char *data, size_t n, const char *cs);
/* The charset uchardet finds for 8-bit text (windows-1252 when it finds
 * none); never NULL. */
const char *fm_mime_charset_guess(const char *data, size_t n, char *buf, size_t cap);
typedef struct fm_text_decoded {
    GString *utf8;  /* the text as UTF-8; NULL: the bytes given are the text */
    char used[64];  /* the charset read */
    bool repaired;  /* not the declared one (or none was declared for 8-bit text) */
} fm_text_decoded;
/* Decodes text (n bytes) declared in charset declared (NULL: none). */
void fm_mime_text_decode(const char *data, size_t n, const char *declared, fm_text_decoded *out);

/* ---- filters (filters.c) -------------------------------------------------- */
/* A base64 decoder that keeps an unpadded last quantum; counts skipped
 * characters in *defects (may be NULL). */
GMimeFilter *fm_mime_filter_b64_new(unsigned *defects);

/* ---- conversion ------------------------------------------------------------ */
/* FILETIME <-> time_t. */
FILETIME fm_mime_filetime(int64_t unix_seconds);
int64_t fm_mime_unix_time(FILETIME ft);

/* The bytes a message is imported from. */
typedef struct fm_import_source {
    GMimeStream *stream;     /* seekable; NULL: the caller parsed the message */
    gint64 headers_end;      /* the top message's empty line after its headers (-1) */
    gint64 end;              /* where the message's bytes end (-1: unknown) */
    bool header_nul;         /* its header block holds NUL bytes (GMime's text stops there) */
} fm_import_source;

/* Where a part's bytes lie (import_source.c): a part ends before the next
 * delimiter of the multipart around it, or where the region around it ends. */
typedef struct fm_region {
    struct fm_region *outer;
    const char *boundary; /* NULL: ends with outer */
    gint64 start;         /* where the part starts (its first header) */
    gint64 end;           /* -1 until found */
} fm_region;

gint64 fm_mime_region_end(const fm_import_source *src, fm_region *r);
gint64 fm_mime_object_start(GMimeObject *obj);
/* The offset after the empty line ending a header block whose last field
 * starts at from; *blank gets the empty line's offset. -1: none. */
gint64 fm_mime_body_start(GMimeStream *src, gint64 from, gint64 *blank);
/* Appends obj's header fields as they came. */
void fm_mime_header_block(GMimeObject *obj, GString *out);
/* The bytes of part obj as they came: from its first header to its end;
 * for the top part of a message (top_blank: the empty line ending the
 * message's header block) its own fields, then the rest from that line on.
 * NULL when they cannot be had. */
GMimeStream *fm_mime_entity_stream(const fm_import_source *src, GMimeObject *obj, fm_region *r,
                                   gint64 top_blank);

typedef struct fm_skel_build fm_skel_build;

/* One message being imported. */
typedef struct fm_import {
    LPMESSAGE m;
    ULONG flags;
    int depth;                 /* embedded levels above */
    const fm_import_source *src;
    fm_region *region;         /* the message's bytes */
    GMimeMessage *msg;
    gint64 top_blank;          /* the empty line after the message's headers, -1 */
    uint64_t headers_hash;     /* of PR_TRANSPORT_MESSAGE_HEADERS as stored */
    GByteArray *raw_headers;   /* the message's header bytes when the text cannot give them */
    char header_cs[64];        /* the charset of its 8-bit header text, once found */
    fm_skel_build *skel;
    ULONG part_tag;
    bool part_tag_done;
    uint32_t next_part;
    bool have_body, have_html, body_done;
    bool promote_only;         /* bodies only, no attachments (signed content) */
    ULONG html_cpid;
    char body_charset[64];
    unsigned last_defects;
    bool meeting;              /* a text/calendar part made the message a meeting item */
    bool tnef;                 /* a TNEF part filled the message */
    int tnef_fingerprint;      /* 1 + its FM_SK_FINGERPRINT node's index, 0: none */
    GMimeObject *report_status;/* the message/delivery-status (or MDN) part */
} fm_import;

/* What the import read of a part. */
typedef struct fm_part_info {
    char type[128];            /* "type/subtype" as read, lower case */
    bool type_invalid;         /* Content-Type unreadable: text/plain */
    const char *charset;       /* declared, or NULL */
    GMimeContentEncoding enc;  /* the transfer encoding to undo */
    bool enc_repaired;         /* declared base64, but not */
    const char *disposition;
    const char *filename;
} fm_part_info;

typedef struct fm_text_result {
    uint64_t hash;             /* of the body as stored */
    char charset[64];          /* the charset read */
    bool repaired;             /* the part is kept as it came too */
} fm_text_result;

/* Imports msg into m (import_headers.c); src: its bytes; r: its region in
 * them (NULL: all of them). */
HRESULT fm_mime_import(GMimeMessage *msg, LPMESSAGE m, ULONG flags, int depth,
                       const fm_import_source *src);
HRESULT fm_mime_import_embedded(GMimeMessage *msg, LPMESSAGE m, ULONG flags, int depth,
                                const fm_import_source *src, fm_region *r);
/* The body tree (import_parts.c). */
HRESULT fm_mime_import_parts(fm_import *im, GMimeObject *top);
/* Walks obj (a part of the message im imports) as the body walk does. */
HRESULT fm_mime_walk(fm_import *im, GMimeObject *obj, int level, bool alternative, fm_region *r,
                     bool top);
/* A stream of part's content with the transfer encoding enc undone. */
GMimeStream *fm_mime_decoded_stream(GMimePart *part, GMimeContentEncoding enc,
                                    unsigned *defects);
/* A text part as PR_BODY (html false) or PR_HTML (import_text.c). */
HRESULT fm_mime_import_text(fm_import *im, GMimePart *part, const fm_part_info *pi, bool html,
                            fm_text_result *res);
/* Keeps obj as it came, in a hidden attachment, with under it in the
 * skeleton a node of kind made carrying hash: while what made stands for
 * is unchanged the export writes obj verbatim, else made (superseded: and
 * then not the original at all). */
HRESULT fm_mime_keep_made(fm_import *im, GMimeObject *obj, fm_region *r, bool top,
                          fm_skel_kind made, uint64_t hash, bool superseded);
/* Attachments: a new one with its part number, saved and released. */
HRESULT fm_mime_new_attach(fm_import *im, LPATTACH *att, uint32_t *part);
HRESULT fm_mime_save_attach(LPATTACH att, HRESULT hr);
HRESULT fm_mime_set_names(LPATTACH att, const char *name);
/* Broken multiparts (import_repair.c): the part parsed again with the
 * boundary its body uses (NULL when none is found); or its body as text. */
GMimeObject *fm_mime_reparse_multipart(const fm_import_source *src, GMimeMultipart *mp,
                                       fm_region *r, gint64 top_blank, GMimeStream **bytes);
HRESULT fm_mime_import_prologue_as_text(fm_import *im, GMimeMultipart *mp, fm_region *r,
                                        bool top);
/* Parts with a meaning of their own (import_special.c): meeting requests,
 * TNEF, report parts, external bodies. S_FALSE: an ordinary part. */
HRESULT fm_mime_import_special(fm_import *im, GMimePart *part, const fm_part_info *pi,
                               bool alternative, fm_region *r, bool top);
HRESULT fm_mime_import_finish_special(fm_import *im);
/* Signed and encrypted entities (smime.c, [MS-OXOSMIME]). */
HRESULT fm_mime_import_signed(fm_import *im, GMimeMultipart *mp, int level, fm_region *r,
                              bool top);
HRESULT fm_mime_import_encrypted(fm_import *im, GMimeMultipart *mp, fm_region *r, bool top);
/* multipart/report (report.c, RFC 3464, RFC 8098, [MS-OXOMSG]). */
HRESULT fm_mime_import_report(fm_import *im, GMimeMultipart *mp);
/* text/calendar (calendar.c, [MS-OXCICAL]); S_FALSE: not a meeting item. */
HRESULT fm_mime_import_calendar(fm_import *im, GMimePart *part, const fm_part_info *pi,
                                bool alternative, fm_region *r, bool top);
/* The hash of a meeting item's properties that its text/calendar part
 * says (start, end, location, sequence, subject, class). */
HRESULT fm_mime_meeting_hash(LPMESSAGE m, uint64_t *hash);
/* application/ms-tnef (tnef_part.c, [MS-OXTNEF]); S_FALSE: not read. */
HRESULT fm_mime_import_tnef(fm_import *im, GMimePart *part, const fm_part_info *pi,
                            fm_region *r, bool top);
/* Sets the envelope properties and recipients from the headers. */
HRESULT fm_mime_import_headers(fm_import *im);

/* ---- the output tree (export_tree.c) --------------------------------------- */
typedef enum fm_out_kind {
    FM_OUT_MULTIPART, /* headers, boundary, prologue, children, epilogue */
    FM_OUT_LEAF,      /* headers, then content written with enc */
    FM_OUT_RAW,       /* content written as it is (an entity kept whole) */
    FM_OUT_MESSAGE,   /* headers, then an inner message (message/rfc822) */
} fm_out_kind;

struct fm_mime_out;

typedef struct fm_out_node {
    fm_out_kind kind;
    GString *headers;          /* header fields, CRLF lines, no empty line */
    char *boundary;            /* MULTIPART */
    GString *prologue, *epilogue;
    GPtrArray *children;       /* fm_out_node * */
    GMimeStream *content;      /* LEAF, RAW: decoded content (LEAF) or bytes (RAW) */
    GMimeContentEncoding enc;  /* LEAF */
    bool text;                 /* LEAF: line breaks are text line breaks */
    struct fm_mime_out *inner; /* MESSAGE */
    LPATTACH att;              /* held while the content may be read */
} fm_out_node;

/* A message ready to be written: head holds its header block as bytes
 * (without MIME-Version, which the writer adds), root its body. */
typedef struct fm_mime_out {
    GString *head;
    fm_out_node *root;
} fm_mime_out;

fm_out_node *fm_out_node_new(fm_out_kind kind);
void fm_out_node_free(fm_out_node *n);
void fm_out_add(fm_out_node *parent, fm_out_node *child);
/* Appends "name: value" (value as GMime encodes header values). */
void fm_out_header(fm_out_node *n, const char *name, const char *value);
/* Appends raw header bytes, every line ending in CRLF. */
void fm_out_raw_headers(GString *out, const char *p, size_t n);
const char *fm_out_encoding_name(GMimeContentEncoding enc);
/* A new multipart boundary (caller frees). */
char *fm_out_boundary(void);
/* The encoding GMime finds best for content (7bit-safe); base64 rather
 * than quoted-printable for what is not text. */
GMimeContentEncoding fm_out_best_encoding(GMimeStream *content, bool text);
bool fm_out_encoding_fits(GMimeStream *content, GMimeContentEncoding enc);

/* Checks the message and flags of an export (MAPI_E_INVALID_PARAMETER,
 * MAPI_E_NO_SUPPORT for RTF/TNEF, MAPI_E_UNKNOWN_FLAGS). */
HRESULT fm_mime_export_check(LPMESSAGE m, ULONG flags);
/* Converts m for writing (flags as fmapi_mime_export); nothing is written,
 * so a failure leaves the output untouched. mbox_status: NULL, or the mbox
 * Status and X-Status fields ("Status: RO\r\n...") written in place of
 * kept ones. */
HRESULT fm_mime_prepare(LPMESSAGE m, ULONG flags, const char *mbox_status, fm_mime_out *out);
/* Writes o to s; the bytes written or -1. */
ssize_t fm_mime_out_write(const fm_mime_out *o, GMimeStream *s);
void fm_mime_out_clear(fm_mime_out *o);
/* Builds the message to write from m (depth: embedded levels above). */
HRESULT fm_mime_build_out(LPMESSAGE m, ULONG flags, int depth, const char *mbox_status,
                          fm_mime_out *out);
/* Appends the fields of a kept header block to out as fmapi_mime_export
 * writes them: verbatim, CRLF, without the MIME structure headers (and Bcc,
 * Message-ID as flags say; and Status, X-Status for an mbox). */
void fm_mime_raw_headers(GString *out, const char *block, size_t len, ULONG flags, bool mbox);
/* Whether a kept header field named name (n bytes) is written back: not the
 * MIME structure headers, nor Bcc, Message-ID, X-Unsent as flags say, nor
 * Status/X-Status for an mbox. Both export paths decide with it. */
bool fm_mime_header_kept(const char *name, size_t n, ULONG flags, bool mbox);
/* ---- the envelope (envelope.c) --------------------------------------------- */
/* The groups of properties that header fields map to. */
enum {
    FM_EG_SUBJECT,
    FM_EG_FROM,
    FM_EG_SENDER,
    FM_EG_TO,
    FM_EG_CC,
    FM_EG_BCC,
    FM_EG_DATE,
    FM_EG_MESSAGE_ID,
    FM_EG_IN_REPLY_TO,
    FM_EG_REFERENCES,
    FM_EG_IMPORTANCE,
    FM_EG_COUNT
};
/* The properties the groups are hashed from, in fm_env_tag's order. */
enum {
    FM_ENV_SUBJECT,
    FM_ENV_FROM_NAME,
    FM_ENV_FROM_EMAIL,
    FM_ENV_SENDER_NAME,
    FM_ENV_SENDER_EMAIL,
    FM_ENV_TO,
    FM_ENV_CC,
    FM_ENV_BCC,
    FM_ENV_SUBMIT_TIME,
    FM_ENV_MESSAGE_ID,
    FM_ENV_IN_REPLY_TO,
    FM_ENV_REFERENCES,
    FM_ENV_IMPORTANCE,
    FM_ENV_PRIORITY,
    FM_ENV_PROPS
};
ULONG fm_env_tag(int p);
/* The group a header field named name (n bytes) stands for, or -1. */
int fm_env_group_of(const char *name, size_t n);
/* The hash of each group from v (FM_ENV_PROPS values, as GetProps gave
 * the tags of fm_env_tag; m reads those too large for it). */
HRESULT fm_env_hash_values(LPMESSAGE m, const SPropValue *const *v, uint64_t out[FM_EG_COUNT]);
/* The same, reading the values from m. */
HRESULT fm_env_hashes(LPMESSAGE m, uint64_t out[FM_EG_COUNT]);
/* The groups (bit 1 << FM_EG_*) whose values v differ from the nkept
 * hashes an import recorded; none when it recorded none. */
HRESULT fm_env_changed(LPMESSAGE m, const SPropValue *const *v, const uint64_t *kept,
                       uint32_t nkept, uint32_t *changed);
/* Like fm_mime_raw_headers, but the fields of the groups in changed are
 * replaced by repl[group] (CRLF lines, written where the group's first kept
 * field was, or at the end when there was none). */
void fm_mime_raw_headers_edit(GString *out, const char *block, size_t len, ULONG flags,
                              bool mbox, uint32_t changed, GString *const *repl);

/* ---- export (export.c, export_body.c, export_skel.c) ---------------------- */
/* The properties one GetProps reads for an export, in this order. */
enum {
    FM_EP_SUBJECT,
    FM_EP_FROM_NAME,
    FM_EP_FROM_EMAIL,
    FM_EP_SENDER_NAME,
    FM_EP_SENDER_EMAIL,
    FM_EP_SUBMIT_TIME,
    FM_EP_MESSAGE_ID,
    FM_EP_IN_REPLY_TO,
    FM_EP_REFERENCES,
    FM_EP_IMPORTANCE,
    FM_EP_HEADERS,
    FM_EP_FLAGS,
    FM_EP_HASATTACH,
    FM_EP_BODY,
    FM_EP_HTML,
    FM_EP_CPID,
    FM_EP_CLASS,
    FM_EP_SKELETON,
    FM_EP_PRIORITY,
    FM_EP_DISPLAY_TO,
    FM_EP_DISPLAY_CC,
    FM_EP_DISPLAY_BCC,
    FM_EP_COUNT
};

/* One attachment of the message being exported. */
typedef struct fm_export_att {
    ULONG num;
    LONG part;   /* its skeleton part number, 0 for none */
    bool used;   /* written already (by the skeleton) */
} fm_export_att;

/* One message being exported. */
typedef struct fm_export {
    LPMESSAGE m;
    ULONG flags;
    int depth;
    LPSPropValue v;        /* FM_EP_* */
    GString *big_headers;  /* a header block too large for GetProps */
    const char *headers;   /* the header block kept from the Internet, or NULL */
    GString *big_skel;
    fm_skel skel;
    bool have_skel;
    GString *body;         /* PR_BODY as UTF-8, or NULL */
    GString *html;         /* PR_HTML's bytes, or NULL */
    ULONG cpid;            /* the code page of the HTML bytes */
    GArray *atts;          /* fm_export_att, read when first needed */
    bool atts_read;
} fm_export;

const char *fm_export_str(const fm_export *ex, int i);
HRESULT fm_export_read(fm_export *ex, LPMESSAGE m, ULONG flags, int depth);
void fm_export_clear(fm_export *ex);
/* Reads the bodies (export_body.c). */
HRESULT fm_export_bodies(fm_export *ex);
/* The attachments, read once. */
HRESULT fm_export_attachments(fm_export *ex);
/* Builds the body tree of the message. */
HRESULT fm_mime_build_body(fm_export *ex, fm_out_node **out);
/* The default tree, from the properties; skip: attachments already used. */
HRESULT fm_mime_build_default(fm_export *ex, fm_out_node **out);
/* The tree from the skeleton (export_skel.c); S_FALSE when it cannot be used. */
HRESULT fm_mime_build_skeleton(fm_export *ex, fm_out_node **out);
/* A leaf for attachment num (headers: kept fields, or NULL to make them;
 * related: an inline image of the HTML). */
HRESULT fm_mime_attach_node(fm_export *ex, ULONG num, const fm_skel_bytes *headers,
                            bool related, fm_out_node **out);
/* Text and HTML leaves: kept: the fields kept (NULL: made). */
fm_out_node *fm_mime_text_node(const char *subtype, const GString *utf8, const char *charset,
                               const fm_skel_bytes *kept);
fm_out_node *fm_mime_html_node(const fm_export *ex, const fm_skel_bytes *kept);
/* Header fields of a kept block without those named (NULL-terminated). */
void fm_mime_part_fields(GString *out, const char *p, size_t n, const char *const *drop);
/* A parameter of a kept block's Content-Type (caller frees), or NULL. */
char *fm_mime_kept_param(const fm_skel_bytes *h, const char *param);
/* The Content-Transfer-Encoding a kept block names (DEFAULT: none). */
GMimeContentEncoding fm_mime_kept_encoding(const fm_skel_bytes *h);

/* Sets one property on m, recording failures with text. */
HRESULT fm_mime_set(LPMAPIPROP obj, const SPropValue *v);
/* Sets a string property (id) as PT_UNICODE from UTF-8. */
HRESULT fm_mime_set_string(LPMAPIPROP obj, ULONG tag, const char *utf8);
/* The same for n bytes of UTF-8 (no NUL among them). */
HRESULT fm_mime_set_string_len(LPMAPIPROP obj, ULONG tag, const char *utf8, size_t n);
/* A named string property (MNID_STRING name in set guid): set from UTF-8
 * (value is freed), and read as UTF-8 (caller frees; NULL when absent). */
HRESULT fm_mime_set_named_string(LPMAPIPROP obj, const GUID *guid, const char *name,
                                 char *value);
char *fm_mime_get_named_string(LPMAPIPROP obj, const GUID *guid, const char *name);
/* A string property as UTF-8 (caller g_frees), NULL when absent or empty. */
char *fm_mime_get_string_prop(LPMAPIPROP obj, ULONG tag);
/* The PT_LONG-less tag of a named property (id kind MNID_ID or name), 0
 * when it cannot be had. */
ULONG fm_mime_named_tag(LPMAPIPROP obj, const GUID *guid, LONG id, const char *name,
                        bool create);

/* Copies a GMime stream (decoded content) into property tag of obj through
 * OpenProperty(IID_IStream). wide: the content is UTF-8 to store as UTF-16.
 * Small contents go through SetProps. hash (may be NULL) is fed the bytes
 * read from src. */
HRESULT fm_mime_stream_to_prop(GMimeStream *src, LPMAPIPROP obj, ULONG tag, bool wide,
                               fm_hash *hash);

/* The tag of the named property FM_SKEL_PART_NAME (PT_LONG) on obj's
 * store; 0 when it has none (and create is false) or cannot name any. */
ULONG fm_mime_part_tag(LPMAPIPROP obj, bool create);
/* An attachment's data as a stream (small: from GetProps; large: read
 * from the store as it is written). */
HRESULT fm_mime_attach_content(LPATTACH att, GMimeStream **out);
/* Trees of their own (export_special.c): messages written with TNEF
 * (CCSF_USE_TNEF), opaque S/MIME, reports and meeting requests composed
 * in MAPI. S_FALSE: not such a message. */
HRESULT fm_mime_build_tnef(fm_export *ex, fm_out_node **out);
HRESULT fm_mime_build_special(fm_export *ex, fm_out_node **out);
HRESULT fm_mime_build_report(fm_export *ex, fm_out_node **out);
HRESULT fm_mime_build_meeting(fm_export *ex, fm_out_node **out);
/* A text/calendar part made from a meeting item's properties (kept: the
 * header fields the part came with, or NULL). */
HRESULT fm_mime_calendar_node(fm_export *ex, const fm_skel_bytes *kept, fm_out_node **out);

/* Reads a string or binary property whole through its stream, opened
 * under the type the value is stored as, into out (UTF-16 becomes UTF-8). */
/* The hash of an attachment's PR_ATTACH_DATA_BIN (0 bytes when it has
 * none), read through once: how a skeleton tells an attachment unchanged. */
HRESULT fm_mime_attach_data_hash(LPATTACH att, uint64_t *out);
/* The fingerprint of what a winmail.dat sets on message m (tnef_part.c). */
HRESULT fm_mime_tnef_fingerprint(LPMESSAGE m, uint64_t *out);
HRESULT fm_mime_read_prop_stream(LPMAPIPROP obj, ULONG tag, GString *out);

/* Parser options shared by import paths (lenient RFC compliance). */
GMimeParserOptions *fm_mime_parser_options(void);
/* Format options for output (CRLF line ends). */
GMimeFormatOptions *fm_mime_format_options(void);

#endif /* FREEMAPI_MIME_INTERNAL_H */
