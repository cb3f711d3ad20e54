/*
 * mime/skeleton.h - the MIME skeleton of an imported message: its structure,
 * every part's header block, and the content that no MAPI property holds,
 * kept in PidTagMimeSkeleton ([MS-OXCMSG] 2.2.1.28, used as [MS-OXCMAIL]
 * 2.1.3.5 describes) so that an export writes the message as it came.
 *
 * The tree mirrors the MIME tree. A leaf says where its content went: the
 * text or HTML body (with a hash of the body as stored, so an export can
 * tell whether a client changed it since), an attachment (found by the
 * part number the import gave it, FM_SKEL_PART_NAME), an embedded message,
 * or nowhere (kept inline in the skeleton). An "original" leaf names an
 * attachment holding the part's bytes as they came (a signed entity, or a
 * part the import had to repair): while what was made of it is unchanged,
 * those bytes are written back verbatim.
 *
 * The encoding is a versioned byte string of length-prefixed fields,
 * little-endian; decoding checks every length and bounds the depth and the
 * number of nodes, so a damaged property is refused (the export then
 * writes the message from its properties), never trusted.
 */
#ifndef FREEMAPI_MIME_SKELETON_H
#define FREEMAPI_MIME_SKELETON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "mapidefs.h"

/* PidTagMimeSkeleton. */
#define FM_PR_MIME_SKELETON PROP_TAG(PT_BINARY, 0x64F0)

/* The named property (PS_PUBLIC_STRINGS, PT_LONG) holding an attachment's
 * part number: the link from a skeleton leaf to the attachment. A named
 * property survives copies between stores (which match names, not IDs)
 * and is invisible to every other reader. */
#define FM_SKEL_PART_NAME L"x-freemapi-mime-part"

typedef enum fm_skel_kind {
    FM_SK_MULTIPART = 1,
    FM_SK_BODY = 2,     /* text: PR_BODY, or HTML: PR_HTML (FM_SKF_HTML) */
    FM_SK_ATTACH = 3,   /* an attachment by value */
    FM_SK_EMBED = 4,    /* a message/rfc822 part: an embedded message */
    FM_SK_ORIGINAL = 5, /* an attachment holding the part's bytes as they came */
    FM_SK_INLINE = 6,   /* content kept here, written as it came */
    FM_SK_CALENDAR = 7, /* a text/calendar part made from the meeting's properties
                           (hash: of those properties, calendar.c) */
    FM_SK_FINGERPRINT = 8, /* writes nothing: under a winmail.dat node, the hash of
                              the message properties, recipients and attachment
                              count as the import left them (tnef_part.c), so an
                              export knows when the kept winmail.dat is stale */
} fm_skel_kind;

/* Node flags. */
#define FM_SKF_HTML 0x01   /* FM_SK_BODY: the HTML body, not the text */
#define FM_SKF_HIDDEN 0x02 /* the attachment was made hidden by the import */
#define FM_SKF_HASHED 0x04 /* FM_SK_ATTACH: hash holds the hash of its data */
#define FM_SKF_ALWAYS 0x08 /* FM_SK_ORIGINAL: written verbatim whatever changed
                              (a signed entity: nothing else can verify) */
#define FM_SKF_SUPERSEDED 0x10 /* FM_SK_ORIGINAL: once what was made of it changed,
                                  it is out of date and not written at all (a
                                  calendar part whose meeting was moved) */

/* At most this many envelope hashes are kept (more in a value is damage). */
#define FM_SKEL_ENVELOPE_MAX 16

typedef struct fm_skel_bytes {
    const char *p;
    size_t n;
} fm_skel_bytes;

/*
 * One part. An original node's children are what the import made of the
 * part (a repaired body, the parts of a signed entity): while they are
 * unchanged the original bytes are written, and otherwise the children.
 */
typedef struct fm_skel_node {
    uint8_t kind;  /* fm_skel_kind */
    uint8_t flags; /* FM_SKF_* */
    fm_skel_bytes headers;  /* the part's header fields, CRLF lines, no blank line */
    fm_skel_bytes prologue, epilogue; /* FM_SK_MULTIPART: text around the parts */
    uint32_t part;          /* ATTACH, EMBED, ORIGINAL: the attachment's part number */
    uint64_t hash;          /* BODY, ATTACH with FM_SKF_HASHED: of the content as stored */
    fm_skel_bytes data;     /* INLINE: the content as it came (encoded) */
    uint32_t nchildren;
    struct fm_skel_node *children;
} fm_skel_node;

typedef struct fm_skel {
    fm_skel_node *root;
    /* The message's header block as it came, when the text kept in
     * PR_TRANSPORT_MESSAGE_HEADERS cannot give its bytes back (8-bit bytes
     * that are not UTF-8, a repaired first line), with the hash of that
     * text: the bytes are written while it is unchanged. */
    fm_skel_bytes raw_headers;
    uint64_t headers_hash;
    /* The hash of each group of properties the message's header fields
     * map to (envelope.c), as the import left them: nenvelope is 0 in a
     * skeleton written before they were recorded (nothing is then known
     * to have changed). */
    uint32_t nenvelope;
    uint64_t envelope[FM_SKEL_ENVELOPE_MAX];
    void *arena; /* one MAPI buffer holding every node */
} fm_skel;

/* A hash of content as stored (not cryptographic: it tells an export
 * whether a client has changed a body since the import). */
typedef struct fm_hash {
    uint64_t h;
    uint64_t tail;   /* bytes waiting for a full word */
    unsigned ntail;
    uint64_t len;
} fm_hash;

void fm_hash_init(fm_hash *h);
void fm_hash_feed(fm_hash *h, const void *data, size_t n);
uint64_t fm_hash_final(const fm_hash *h);
uint64_t fm_hash_bytes(const void *data, size_t n);

/* ---- building (import) --------------------------------------------------- */
/* A node under construction; children are added in order. */
typedef struct fm_skel_build fm_skel_build;

fm_skel_build *fm_skel_build_new(void);
void fm_skel_build_free(fm_skel_build *b);
/* Starts a node (the root first) under the node open now; returns its
 * index, which later calls name. headers: n bytes of header fields. */
int fm_skel_build_open(fm_skel_build *b, fm_skel_kind kind, const char *headers, size_t n);
/* Ends the node opened last. */
void fm_skel_build_close(fm_skel_build *b);
fm_skel_node *fm_skel_build_node(fm_skel_build *b, int index);
/* Puts a new node of kind in the place of the last child of the open node,
 * with that child under it; returns its index (-1: no child). */
int fm_skel_build_wrap_last(fm_skel_build *b, fm_skel_kind kind);
/* Copies bytes the builder keeps (prologue, epilogue, inline data). */
fm_skel_bytes fm_skel_build_keep(fm_skel_build *b, const char *p, size_t n);
void fm_skel_build_set_raw_headers(fm_skel_build *b, const char *p, size_t n, uint64_t hash);
/* Records the envelope hashes (n <= FM_SKEL_ENVELOPE_MAX). */
void fm_skel_build_set_envelope(fm_skel_build *b, const uint64_t *h, uint32_t n);
/* The encoded skeleton, or NULL when the builder ran out of memory. */
GByteArray *fm_skel_build_encode(fm_skel_build *b);

/* ---- reading (export) ----------------------------------------------------- */
/* Decodes p (n bytes): S_OK, MAPI_E_CORRUPT_DATA (not a skeleton this code
 * wrote), MAPI_E_NOT_ENOUGH_MEMORY. fm_skel_clear frees what it made. */
HRESULT fm_skel_decode(const void *p, size_t n, fm_skel *out);
void fm_skel_clear(fm_skel *s);

#endif /* FREEMAPI_MIME_SKELETON_H */
