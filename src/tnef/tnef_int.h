/*
 * tnef/tnef_int.h - the TNEF codec's shared internals ([MS-OXTNEF]).
 *
 * The codec is written on the public MAPI API only (IMessage, IAttach,
 * IMAPITable, IStream), so ITnef works on any provider's messages; from the
 * library it takes the allocator and the error text.
 *
 *   tnef.c         the ITnef object: OpenTnefStream(Ex), AddProps, SetProps,
 *                  EncodeRecips, problems, GetTnefStreamCodepage
 *   tnef_io.c      the byte level: a buffered reader with nested limits and
 *                  attribute checksums, a buffered writer, the spool stream
 *   tnef_text.c    code pages (iconv), UTF-16, down-level dates, hex keys
 *   tnef_props.c   attMAPIProps, attAttachment and attRecipTable values
 *   tnef_decode.c  ExtractProps: a stream into a message
 *   tnef_encode.c  Finish and FinishComponent: a message into a stream
 *   tnef_body.c    OpenTaggedBody
 *
 * Memory: a reader and a writer each hold one 64 KB buffer; a property value
 * larger than TN_SMALL moves between the stream and the message's property
 * stream in chunks, and an embedded message's TNEF is spooled (memory, then
 * an unlinked temporary file), so a stream of any size is read and written
 * in bounded memory.
 */
#ifndef FREEMAPI_TNEF_INT_H
#define FREEMAPI_TNEF_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "mapidefs.h"
#include "mapix.h"
#include "tnef.h"

/* PR_IMPORTANCE values (as freemapi_mime.h spells them). */
#ifndef IMPORTANCE_LOW
#define IMPORTANCE_LOW ((LONG)0)
#define IMPORTANCE_NORMAL ((LONG)1)
#define IMPORTANCE_HIGH ((LONG)2)
#endif

#define TN_BUF (64 * 1024)
/* A value up to this size is held in memory; a larger one is streamed. */
#define TN_SMALL (256 * 1024)
/* Embedded messages nest at most this deep. */
#define TN_MAX_DEPTH 16
/* A down-level attribute other than the body and the attachment data is
 * read whole: at most this large. */
#define TN_MAX_HELD (16 * 1024 * 1024)

/* ---- problems ------------------------------------------------------------- */
typedef struct tn_problems {
    STnefProblem *v;
    ULONG n, cap;
} tn_problems;
void tn_problem(tn_problems *p, ULONG component, ULONG attribute, ULONG tag, SCODE sc);
/* The problems as a MAPI buffer (NULL when there are none); cleared. */
HRESULT tn_problems_take(tn_problems *p, LPSTnefProblemArray *out);
void tn_problems_clear(tn_problems *p);

/* ---- what goes into a stream (AddProps, SetProps) -------------------------- */
typedef struct tn_rule {
    ULONG flags;
    ULONG elem;
    ULONG n;
    ULONG *tags;
} tn_rule;

typedef struct tn_override {
    bool attach; /* TNEF_PROP_CONTAINED: attachment elem, else the message */
    ULONG elem;
    LPSPropValue vals; /* a MAPI buffer */
    ULONG n;
} tn_override;

/* ---- the ITnef object ------------------------------------------------------ */
typedef struct fm_tnef {
    ITnef base;
    atomic_ulong refs;
    IStream *stream;
    IMessage *msg;
    IAddrBook *ab;
    ULONG flags;
    WORD key;
    char name[256]; /* the stream's name ("winmail.dat"), for tagged bodies */
    tn_rule *rules;
    ULONG nrules;
    tn_override *over;
    ULONG nover;
    bool recips;         /* EncodeRecips was called */
    LPMAPITABLE rtable;  /* its table, or NULL for the message's */
    bool started;        /* component encoding: the header is written */
    bool done;           /* Finish was called */
    tn_problems problems;
} fm_tnef;

/* ---- reading ------------------------------------------------------------------ */
typedef struct tn_reader {
    IStream *s;
    BYTE *buf;
    size_t have, at;
    uint64_t pos;  /* bytes consumed */
    uint64_t sum;  /* sum of every byte consumed (checksums are differences) */
    uint64_t end;  /* no read past this position (UINT64_MAX: the stream's end) */
    bool eof;
} tn_reader;

/* A stream's failure as MAPI says it: a stream out of memory
 * (STG_E_INSUFFICIENTMEMORY, E_OUTOFMEMORY) is MAPI_E_NOT_ENOUGH_MEMORY. */
HRESULT tn_io_status(HRESULT hr);

HRESULT tn_reader_init(tn_reader *r, IStream *s);
void tn_reader_clear(tn_reader *r);
/* Exactly n bytes, or MAPI_E_CORRUPT_DATA (the stream or the region ends). */
HRESULT tn_read(tn_reader *r, void *dst, size_t n);
HRESULT tn_skip(tn_reader *r, uint64_t n);
/* Whether the stream (not a region) has more bytes. */
bool tn_more(tn_reader *r);
HRESULT tn_u8(tn_reader *r, BYTE *v);
HRESULT tn_u16(tn_reader *r, uint16_t *v);
HRESULT tn_u32(tn_reader *r, uint32_t *v);
/* Copies n bytes into dst (an IStream) in chunks. */
HRESULT tn_copy_out(tn_reader *r, uint64_t n, IStream *dst);
/* Nested regions: the previous end is returned, to be given back. */
uint64_t tn_limit(tn_reader *r, uint64_t n);
void tn_unlimit(tn_reader *r, uint64_t old);

/* ---- writing ------------------------------------------------------------------ */
typedef struct tn_writer {
    IStream *s;    /* NULL: only counting */
    BYTE *buf;
    size_t have;
    uint64_t count; /* bytes written */
    uint32_t sum;   /* checksum of the attribute being written */
    HRESULT status;
} tn_writer;

HRESULT tn_writer_init(tn_writer *w, IStream *s);
/* Flushes what is buffered; the writer's first failure. */
HRESULT tn_writer_flush(tn_writer *w);
void tn_writer_clear(tn_writer *w);
void tn_put(tn_writer *w, const void *p, size_t n);
void tn_put_u8(tn_writer *w, BYTE v);
void tn_put_u16(tn_writer *w, uint16_t v);
void tn_put_u32(tn_writer *w, uint32_t v);
void tn_put_u64(tn_writer *w, uint64_t v);
void tn_put_zeros(tn_writer *w, size_t n);
/* Copies a whole stream (from its start) into the writer. */
void tn_put_stream(tn_writer *w, IStream *s);
/* An attribute: its level, ID and length, then (after its data) the
 * checksum of the data. */
void tn_att_begin(tn_writer *w, BYTE level, ULONG id, uint32_t len);
void tn_att_end(tn_writer *w);

/* ---- the spool: an IStream in memory that moves to a temporary file --------- */
HRESULT tn_spool_new(IStream **out);
uint64_t tn_stream_size(IStream *s);
HRESULT tn_stream_rewind(IStream *s);

/* ---- text ------------------------------------------------------------------- */
/* Bytes in code page cp as UTF-16 (fm_free), without trailing NULs; *units
 * set. Undecodable bytes become U+FFFD. NULL only when out of memory. */
WCHAR *tn_cp_to_utf16(ULONG cp, const void *s, size_t n, size_t *units);
/* UTF-16 in code page cp, NUL-terminated (fm_free); *n is the length with
 * the NUL; *lossy set when a character had no equivalent ('?' written). */
char *tn_utf16_to_cp(ULONG cp, const WCHAR *s, size_t units, size_t *n, bool *lossy);
/* A code page decoded a chunk at a time: a character cut by a chunk's end
 * waits for the next (last: nothing follows). out has room for cap units
 * (n + 8 is always enough); the units written are returned. */
typedef struct tn_cpconv {
    void *cd;
    BYTE carry[8];
    size_t ncarry;
} tn_cpconv;
HRESULT tn_cpconv_open(tn_cpconv *c, ULONG cp);
size_t tn_cpconv_feed(tn_cpconv *c, const BYTE *in, size_t n, WCHAR *out, size_t cap, bool last);
void tn_cpconv_close(tn_cpconv *c);
/* The code page of a message's 8-bit text: PR_MESSAGE_CODEPAGE or
 * PR_INTERNET_CPID when iconv knows it, else Windows-1252. */
ULONG tn_message_cp(IMessage *m);
/* Whether iconv knows code page cp. */
bool tn_cp_known(ULONG cp);
size_t tn_wlen(const WCHAR *s);
/* FILETIME <-> DTR (7 little-endian WORDs); *lossy when the time has
 * fractions of a second. */
void tn_dtr_from_filetime(FILETIME ft, BYTE out[14], bool *lossy);
bool tn_dtr_to_filetime(const BYTE in[14], FILETIME *ft);
/* Binary as upper-case hex (NUL-terminated, fm_free) and back. */
char *tn_hex(const BYTE *p, size_t n);
BYTE *tn_unhex(const char *s, size_t n, size_t *out_len);

/* ---- property values (tnef_props.c) ---------------------------------------- */
/* What a property value's data looks like in a stream. */
bool tn_type_fixed(ULONG type, size_t *size);
bool tn_type_known(ULONG type);

/* A set of property IDs. */
typedef struct tn_idset {
    ULONG *ids;
    ULONG n, cap;
} tn_idset;

/* A decoder's state for one message (nested for embedded messages). */
typedef struct tn_decoder {
    fm_tnef *t;
    tn_reader *r;
    IMessage *m;
    ULONG cp;
    int depth;
    const ULONG *filter; /* tags (NULL: none) */
    ULONG nfilter;
    bool include;        /* filter lists what to take, else what to leave */
    bool want_attach, want_recips;
    ULONG component;     /* attachment number being filled, or 0 */
    IAttach *att;
    /* the property IDs attMAPIProps (attAttachment) set on the message (the
     * attachment): they win over the down-level attributes */
    tn_idset msg_ids, att_ids;
} tn_decoder;

/* Whether tag is to be set on obj: the filter is the message's (an
 * attachment or an embedded message is read whole). */
bool tn_dec_wanted(const tn_decoder *d, LPMAPIPROP obj, ULONG tag);
bool tn_dec_from_props(const tn_decoder *d, LPMAPIPROP obj, ULONG tag);
void tn_dec_clear(tn_decoder *d);
/* Sets props on obj (a message or an attachment), filtered; by_props marks
 * them as coming from attMAPIProps. */
HRESULT tn_dec_set(tn_decoder *d, LPMAPIPROP obj, ULONG n, LPSPropValue v, bool by_props);
/* attMAPIProps / attAttachment of len bytes into obj. */
HRESULT tn_dec_props(tn_decoder *d, LPMAPIPROP obj, uint32_t len, ULONG att_id);
/* attRecipTable of len bytes into the message's recipients. */
HRESULT tn_dec_recips(tn_decoder *d, uint32_t len);
/* A whole stream (signature, key, attributes) from the reader into d->m. */
HRESULT tn_decode_message(tn_decoder *d);

/* One property to encode: a value held, or a large one read from its stream. */
typedef struct tn_prop {
    ULONG tag;
    LPSPropValue v;     /* in the set's buffer, or NULL for a streamed value */
    MAPINAMEID *name;   /* named properties */
    IStream *embedded;  /* a streamed value: a large one's property stream, or
                         * (PT_OBJECT) the embedded message's TNEF spool */
    uint64_t large;     /* a streamed value's size in bytes */
} tn_prop;

typedef struct tn_propset {
    LPMAPIPROP obj;
    tn_prop *p;
    ULONG n;
    LPSPropValue vals;  /* GetProps result */
    LPMAPINAMEID *names;
    LPSPropValue extra; /* values made for overrides (a MAPI buffer) */
} tn_propset;

typedef struct tn_encoder {
    fm_tnef *t;
    IMessage *m;     /* the message being encoded (names come from it) */
    ULONG mode;      /* TNEF_PURE, TNEF_COMPATIBILITY or TNEF_BEST_DATA */
    ULONG cp;
    int depth;
    tn_problems *problems;
} tn_encoder;

/* Reads obj's properties: tags (NULL: all of GetPropList) minus skip. */
HRESULT tn_propset_load(tn_encoder *e, LPMAPIPROP obj, const ULONG *tags, ULONG ntags,
                        bool (*keep)(void *ctx, ULONG tag), void *ctx, tn_propset *out);
void tn_propset_clear(tn_propset *ps);
const tn_prop *tn_propset_find(const tn_propset *ps, ULONG id);
/* Replaces or adds values (SetProps overrides, FinishComponent's custom
 * properties); the values stay owned by the caller. */
HRESULT tn_propset_override(tn_propset *ps, ULONG n, const SPropValue *v);
/* The bytes of the listed props in attMAPIProps form; selected by use[]. */
uint64_t tn_props_size(tn_encoder *e, const tn_propset *ps, const bool *use);
void tn_props_write(tn_encoder *e, tn_writer *w, const tn_propset *ps, const bool *use);
/* A message (its stream from the signature on) into s. */
HRESULT tn_encode_embedded(tn_encoder *e, IMessage *m, IStream *s);

/* ---- encoding a whole stream (tnef_encode.c) -------------------------------- */
HRESULT tn_finish(fm_tnef *t);
HRESULT tn_finish_component(fm_tnef *t, ULONG flags, ULONG id, LPSPropTagArray custom_list,
                            LPSPropValue custom, LPSPropTagArray list);
/* ExtractProps (tnef_decode.c). */
HRESULT tn_extract(fm_tnef *t, ULONG flags, LPSPropTagArray list);
/* OpenTaggedBody (tnef_body.c). */
HRESULT tn_open_tagged_body(fm_tnef *t, LPMESSAGE m, ULONG flags, LPSTREAM *out);

/* The message class a down-level name stands for, and back ([MS-OXTNEF]
 * 2.3.3.4 and 2.2.3.4). */
const char *tn_class_from_legacy(const char *s);
const char *tn_class_to_legacy(const char *cls);

#endif /* FREEMAPI_TNEF_INT_H */
