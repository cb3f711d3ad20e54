/*
 * notify/record.c - encoding and decoding batches of store change records
 * (the format is in record.h).
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "mapicode.h"
#include "notify/record.h"

#define MAGIC 'F'
#define VERSION 1
#define HEADER 6 /* magic, version, count */

enum field_no {
    F_EVENT = 1,
    F_OBJ_TYPE,
    F_ID,
    F_PARENT,
    F_OLD_ID,
    F_OLD_PARENT,
    F_MSG_FLAGS,
    F_SCODE,
    F_EXT_EVENT,
    F_CLASS,
    F_TAGS,
    F_EXT,
    F_TOTAL,
    F_UNREAD,
};

#define INT_TAG(f) ((uint64_t)(f) << 1)
#define BYTES_TAG(f) (((uint64_t)(f) << 1) | 1u)

/* ---- writing --------------------------------------------------------------------- */

/* Worst case of one varint. */
#define VARINT_MAX 10

static size_t put_varint(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

static uint64_t zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t v)
{
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* The fields of r, in order, for both sizing and writing. */
typedef struct field {
    uint64_t tag;
    int64_t value;
    const void *bytes;
    size_t len;
} field_val;

typedef struct field_list {
    size_t n;
    field_val f[16];
} field_list;

static void add_int(field_list *l, enum field_no f, int64_t v, bool always)
{
    if (v != 0 || always)
        l->f[l->n++] = (field_val){ INT_TAG(f), v, NULL, 0 };
}

static void add_bytes(field_list *l, enum field_no f, const void *p, size_t len)
{
    l->f[l->n++] = (field_val){ BYTES_TAG(f), 0, p, len };
}

static HRESULT fields_of(const fm_notify_record *r, field_list *l, uint8_t *tagbuf)
{
    l->n = 0;
    add_int(l, F_EVENT, r->event, true);
    add_int(l, F_OBJ_TYPE, r->obj_type, false);
    add_int(l, F_ID, r->id, false);
    add_int(l, F_PARENT, r->parent, false);
    add_int(l, F_OLD_ID, r->old_id, false);
    add_int(l, F_OLD_PARENT, r->old_parent, false);
    add_int(l, F_MSG_FLAGS, r->msg_flags, false);
    add_int(l, F_SCODE, r->scode, false);
    add_int(l, F_EXT_EVENT, r->ext_event, false);
    if (r->msg_class != NULL) {
        size_t len = strlen(r->msg_class);
        if (len > FM_NOTIFY_MAX_CLASS)
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "a message class of %zu bytes is "
                                "longer than a notification carries", len);
        add_bytes(l, F_CLASS, r->msg_class, len);
    }
    if (r->tags != NULL && r->ntags <= FM_NOTIFY_MAX_TAGS) {
        for (ULONG i = 0; i < r->ntags; i++) {
            for (int b = 0; b < 4; b++)
                tagbuf[4 * i + b] = (uint8_t)(r->tags[i] >> (8 * b));
        }
        add_bytes(l, F_TAGS, tagbuf, 4u * r->ntags);
    }
    if (r->cbext != 0) {
        if (r->ext == NULL)
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "extended parameters without bytes");
        add_bytes(l, F_EXT, r->ext, r->cbext);
    }
    if (r->has_counts) {
        add_int(l, F_TOTAL, r->total, true);
        add_int(l, F_UNREAD, r->unread, true);
    }
    return S_OK;
}

static bool reserve(fm_notify_batch *b, size_t more)
{
    if (b->len + more <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more)
        cap *= 2;
    uint8_t *p = fm_realloc(b->buf, cap);
    if (p == NULL)
        return false;
    b->buf = p;
    b->cap = cap;
    return true;
}

HRESULT fm_notify_batch_add(fm_notify_batch *b, const fm_notify_record *r)
{
    static _Thread_local uint8_t tagbuf[4 * FM_NOTIFY_MAX_TAGS];
    field_list l;
    HRESULT hr = fields_of(r, &l, tagbuf);
    if (hr != S_OK)
        return hr;
    size_t need = VARINT_MAX + (b->len == 0 ? HEADER : 0);
    for (size_t i = 0; i < l.n; i++)
        need += 2 * VARINT_MAX + l.f[i].len;
    if (!reserve(b, need))
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory recording a change "
                            "notification");
    if (b->len == 0) {
        b->buf[0] = MAGIC;
        b->buf[1] = VERSION;
        b->len = HEADER;
    }
    uint8_t *p = b->buf + b->len;
    p += put_varint(p, l.n);
    for (size_t i = 0; i < l.n; i++) {
        p += put_varint(p, l.f[i].tag);
        if (l.f[i].tag & 1) {
            p += put_varint(p, l.f[i].len);
            memcpy(p, l.f[i].bytes, l.f[i].len);
            p += l.f[i].len;
        } else {
            p += put_varint(p, zigzag(l.f[i].value));
        }
    }
    b->len = (size_t)(p - b->buf);
    b->count++;
    for (int i = 0; i < 4; i++)
        b->buf[2 + i] = (uint8_t)(b->count >> (8 * i));
    return S_OK;
}

const void *fm_notify_batch_bytes(fm_notify_batch *b, size_t *n)
{
    *n = b->count ? b->len : 0;
    return b->count ? b->buf : NULL;
}

void fm_notify_batch_clear(fm_notify_batch *b, bool release)
{
    if (release) {
        fm_free(b->buf);
        b->buf = NULL;
        b->cap = 0;
    }
    b->len = 0;
    b->count = 0;
}

/* ---- reading ------------------------------------------------------------------------ */

static HRESULT corrupt(const char *what)
{
    return fm_error_set(MAPI_E_CORRUPT_DATA, "change notification record: %s", what);
}

static bool get_varint(fm_notify_reader *rd, uint64_t *v)
{
    *v = 0;
    for (int shift = 0; shift < 64 && rd->p < rd->end; shift += 7) {
        uint8_t byte = *rd->p++;
        *v |= (uint64_t)(byte & 0x7F) << shift;
        if (!(byte & 0x80))
            return shift < 63 || byte <= 1;
    }
    return false;
}

HRESULT fm_notify_reader_init(fm_notify_reader *rd, const void *batch, size_t n)
{
    const uint8_t *p = batch;
    if (batch == NULL || n < HEADER || p[0] != MAGIC)
        return corrupt("not a batch");
    if (p[1] != VERSION)
        return corrupt("a batch of an unknown version");
    rd->p = p + HEADER;
    rd->end = p + n;
    rd->left = (uint32_t)p[2] | (uint32_t)p[3] << 8 | (uint32_t)p[4] << 16 | (uint32_t)p[5] << 24;
    return S_OK;
}

static HRESULT read_bytes_field(fm_notify_reader *rd, uint64_t field, fm_notify_record *r)
{
    uint64_t len;
    if (!get_varint(rd, &len) || len > (uint64_t)(rd->end - rd->p))
        return corrupt("a field runs past the batch");
    const uint8_t *at = rd->p;
    rd->p += len;
    switch (field) {
    case F_CLASS:
        if (len > FM_NOTIFY_MAX_CLASS || memchr(at, 0, len) != NULL ||
            !fm_utf8_valid((const char *)at, len))
            return corrupt("a message class that is not UTF-8 text");
        memcpy(rd->msg_class, at, len);
        rd->msg_class[len] = '\0';
        r->msg_class = rd->msg_class;
        return S_OK;
    case F_TAGS:
        if (len % 4 != 0 || len / 4 > FM_NOTIFY_MAX_TAGS)
            return corrupt("a property tag list of the wrong size");
        r->ntags = (ULONG)(len / 4);
        for (ULONG i = 0; i < r->ntags; i++)
            rd->tags[i] = (ULONG)at[4 * i] | (ULONG)at[4 * i + 1] << 8 |
                          (ULONG)at[4 * i + 2] << 16 | (ULONG)at[4 * i + 3] << 24;
        r->tags = rd->tags;
        return S_OK;
    case F_EXT:
        if (len > UINT32_MAX)
            return corrupt("extended parameters too long");
        r->cbext = (ULONG)len;
        r->ext = at;
        return S_OK;
    default: return S_OK; /* a newer writer's field */
    }
}

static void set_int_field(uint64_t field, int64_t v, fm_notify_record *r)
{
    switch (field) {
    case F_EVENT: r->event = (ULONG)v; break;
    case F_OBJ_TYPE: r->obj_type = (ULONG)v; break;
    case F_ID: r->id = v; break;
    case F_PARENT: r->parent = v; break;
    case F_OLD_ID: r->old_id = v; break;
    case F_OLD_PARENT: r->old_parent = v; break;
    case F_MSG_FLAGS: r->msg_flags = (ULONG)v; break;
    case F_SCODE: r->scode = (SCODE)v; break;
    case F_EXT_EVENT: r->ext_event = (ULONG)v; break;
    case F_TOTAL: r->total = (ULONG)v; r->has_counts = true; break;
    case F_UNREAD: r->unread = (ULONG)v; r->has_counts = true; break;
    default: break;
    }
}

/* The one-bit events a record may carry. */
static bool record_event(ULONG e)
{
    return e == fnevCriticalError || e == fnevNewMail || e == fnevObjectCreated ||
           e == fnevObjectDeleted || e == fnevObjectModified || e == fnevObjectMoved ||
           e == fnevObjectCopied || e == fnevSearchComplete || e == fnevExtended;
}

HRESULT fm_notify_reader_next(fm_notify_reader *rd, fm_notify_record *r)
{
    memset(r, 0, sizeof *r);
    if (rd->left == 0)
        return rd->p == rd->end ? S_FALSE : corrupt("bytes after the last record");
    rd->left--;
    uint64_t nfields;
    if (!get_varint(rd, &nfields) || nfields > (uint64_t)(rd->end - rd->p))
        return corrupt("a record runs past the batch");
    for (uint64_t i = 0; i < nfields; i++) {
        uint64_t tag, v;
        if (!get_varint(rd, &tag))
            return corrupt("a field tag runs past the batch");
        if (tag & 1) {
            HRESULT hr = read_bytes_field(rd, tag >> 1, r);
            if (hr != S_OK)
                return hr;
        } else if (!get_varint(rd, &v)) {
            return corrupt("a field value runs past the batch");
        } else {
            set_int_field(tag >> 1, unzigzag(v), r);
        }
    }
    if (!record_event(r->event))
        return corrupt("a record without one known event");
    return S_OK;
}
