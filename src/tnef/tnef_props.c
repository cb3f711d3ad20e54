/*
 * tnef/tnef_props.c - property values in TNEF ([MS-OXTNEF] 2.1.3.4):
 * attMAPIProps (the message), attAttachment (an attachment) and the rows of
 * attRecipTable all hold a count, then for each property its tag, its name
 * when it is a named property (the set's GUID, then an ID or a UTF-16 name),
 * and its value: a fixed-size value padded to four bytes; a string, binary
 * or object as a count of values, each with its size, its bytes and the
 * padding to four; a multi-valued property as a count and the values.
 *
 * Reading, 8-bit strings (in the stream's code page) become UTF-16;
 * values larger than TN_SMALL go straight into the object's property
 * stream, and an embedded message (PR_ATTACH_DATA_OBJ with IID_IMessage) is
 * a TNEF stream of its own, read into the attachment's message as it comes.
 * Writing, the sizes are known before the bytes are: held values are
 * measured, large ones stat'ed, embedded messages spooled first.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "tnef/tnef_int.h"

#define PAD4(n) (((n) + 3) & ~(uint64_t)3)

bool tn_type_fixed(ULONG type, size_t *size)
{
    switch (type & ~MV_FLAG) {
    case PT_SHORT: *size = 2; return true;
    case PT_BOOLEAN: *size = 2; return true;
    case PT_LONG:
    case PT_FLOAT:
    case PT_ERROR: *size = 4; return true;
    case PT_DOUBLE:
    case PT_CURRENCY:
    case PT_APPTIME:
    case PT_I8:
    case PT_SYSTIME: *size = 8; return true;
    case PT_CLSID: *size = 16; return true;
    default: return false;
    }
}

bool tn_type_known(ULONG type)
{
    size_t size;
    ULONG base = type & ~MV_FLAG;
    if (tn_type_fixed(type, &size))
        return base != PT_ERROR || !(type & MV_FLAG);
    if (base == PT_STRING8 || base == PT_UNICODE || base == PT_BINARY)
        return true;
    return type == PT_OBJECT;
}

/* ---- little-endian values ------------------------------------------------------ */
static uint16_t le16(const BYTE *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const BYTE *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const BYTE *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void read_guid(const BYTE *p, GUID *g)
{
    g->Data1 = le32(p);
    g->Data2 = le16(p + 4);
    g->Data3 = le16(p + 6);
    memcpy(g->Data4, p + 8, 8);
}

static void put_guid(tn_writer *w, const GUID *g)
{
    tn_put_u32(w, g->Data1);
    tn_put_u16(w, g->Data2);
    tn_put_u16(w, g->Data3);
    tn_put(w, g->Data4, 8);
}

/* One fixed-size value from its stream bytes into its place (dst points to
 * the union member or the array element). */
static void fixed_from(ULONG base, const BYTE *p, void *dst)
{
    switch (base) {
    case PT_SHORT: {
        short v = (short)le16(p);
        memcpy(dst, &v, sizeof v);
        break;
    }
    case PT_BOOLEAN: {
        unsigned short v = le16(p) != 0;
        memcpy(dst, &v, sizeof v);
        break;
    }
    case PT_LONG:
    case PT_ERROR:
    case PT_FLOAT: {
        uint32_t v = le32(p);
        memcpy(dst, &v, 4);
        break;
    }
    case PT_DOUBLE:
    case PT_APPTIME:
    case PT_CURRENCY:
    case PT_I8: {
        uint64_t v = le64(p);
        memcpy(dst, &v, 8);
        break;
    }
    case PT_SYSTIME: {
        FILETIME ft = { le32(p), le32(p + 4) };
        memcpy(dst, &ft, sizeof ft);
        break;
    }
    case PT_CLSID: read_guid(p, dst); break;
    default: break;
    }
}

static size_t native_size(ULONG base)
{
    switch (base) {
    case PT_SHORT: return sizeof(short);
    case PT_BOOLEAN: return sizeof(unsigned short);
    case PT_LONG:
    case PT_ERROR:
    case PT_FLOAT: return 4;
    case PT_SYSTIME: return sizeof(FILETIME);
    case PT_CLSID: return sizeof(GUID);
    default: return 8;
    }
}

/* ---- decoding ------------------------------------------------------------------ */
static bool is_msg(const tn_decoder *d, LPMAPIPROP obj)
{
    return obj == (LPMAPIPROP)d->m;
}

bool tn_dec_wanted(const tn_decoder *d, LPMAPIPROP obj, ULONG tag)
{
    if (d->filter == NULL || !is_msg(d, obj))
        return true;
    bool listed = false;
    for (ULONG i = 0; i < d->nfilter && !listed; i++)
        listed = PROP_ID(d->filter[i]) == PROP_ID(tag);
    return d->include ? listed : !listed;
}

bool tn_dec_from_props(const tn_decoder *d, LPMAPIPROP obj, ULONG tag)
{
    const tn_idset *set = is_msg(d, obj) ? &d->msg_ids : &d->att_ids;
    for (ULONG i = 0; i < set->n; i++) {
        if (set->ids[i] == PROP_ID(tag))
            return true;
    }
    return false;
}

static void mark_from_props(tn_decoder *d, LPMAPIPROP obj, ULONG tag)
{
    if (tn_dec_from_props(d, obj, tag))
        return;
    tn_idset *set = is_msg(d, obj) ? &d->msg_ids : &d->att_ids;
    if (set->n == set->cap) {
        ULONG cap = set->cap ? set->cap * 2 : 64;
        ULONG *p = fm_realloc(set->ids, cap * sizeof *p);
        if (p == NULL)
            return; /* the down-level value may then win: no worse */
        set->ids = p;
        set->cap = cap;
    }
    set->ids[set->n++] = PROP_ID(tag);
}

void tn_dec_clear(tn_decoder *d)
{
    fm_free(d->msg_ids.ids);
    fm_free(d->att_ids.ids);
    d->msg_ids = (tn_idset){ 0 };
    d->att_ids = (tn_idset){ 0 };
}

HRESULT tn_dec_set(tn_decoder *d, LPMAPIPROP obj, ULONG n, LPSPropValue v, bool by_props)
{
    ULONG k = 0;
    for (ULONG i = 0; i < n; i++) {
        if (!tn_dec_wanted(d, obj, v[i].ulPropTag))
            continue;
        if (!by_props && tn_dec_from_props(d, obj, v[i].ulPropTag))
            continue; /* attMAPIProps has the property whole */
        v[k++] = v[i];
        if (by_props)
            mark_from_props(d, obj, v[i].ulPropTag);
    }
    if (k == 0)
        return S_OK;
    LPSPropProblemArray problems = NULL;
    HRESULT hr = IMAPIProp_SetProps(obj, k, v, &problems);
    if (FAILED(hr))
        return fm_error_set(tn_io_status(hr), "TNEF: the properties could not be set");
    for (ULONG i = 0; problems != NULL && i < problems->cProblem; i++) {
        /* what the message computes itself (its sizes, times, flags) it keeps */
        if (problems->aProblem[i].scode != MAPI_E_COMPUTED)
            tn_problem(&d->t->problems, d->component, by_props ? attMAPIProps : 0,
                       problems->aProblem[i].ulPropTag, problems->aProblem[i].scode);
    }
    MAPIFreeBuffer(problems);
    return S_OK;
}

/* The decoded values of one attMAPIProps list, set in batches. */
typedef struct batch {
    LPSPropValue v; /* root: cap values; their data linked to it */
    ULONG n, cap;
    size_t bytes;
} batch;
#define BATCH 64

static HRESULT batch_flush(tn_decoder *d, LPMAPIPROP obj, batch *b)
{
    HRESULT hr = S_OK;
    if (b->v != NULL && b->n > 0)
        hr = tn_dec_set(d, obj, b->n, b->v, true);
    MAPIFreeBuffer(b->v);
    b->v = NULL;
    b->n = 0;
    b->bytes = 0;
    return hr;
}

static HRESULT batch_slot(batch *b, LPSPropValue *out)
{
    if (b->cap == 0)
        b->cap = BATCH;
    if (b->v == NULL) {
        SCODE sc = MAPIAllocateBuffer(b->cap * sizeof(SPropValue), (void **)&b->v);
        if (sc != S_OK)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for properties");
        memset(b->v, 0, b->cap * sizeof(SPropValue));
    }
    *out = &b->v[b->n];
    return S_OK;
}

static HRESULT more(batch *b, size_t n, void **out)
{
    SCODE sc = MAPIAllocateMore((ULONG)(n ? n : 1), b->v, out);
    if (sc != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for a value");
    b->bytes += n;
    return S_OK;
}

/* A named property's name, read; its tag resolved on the message (names
 * are the store's, attachments have none of their own). An unknown name
 * leaves the tag with ID 0: read, and left out. */
static HRESULT read_name(tn_decoder *d, ULONG *tag)
{
    BYTE g[16];
    uint32_t kind = 0;
    HRESULT hr = tn_read(d->r, g, 16);
    if (hr == S_OK)
        hr = tn_u32(d->r, &kind);
    if (hr != S_OK)
        return hr;
    GUID guid;
    read_guid(g, &guid);
    MAPINAMEID name = { .lpguid = &guid, .ulKind = kind };
    WCHAR *wname = NULL;
    if (kind == MNID_ID) {
        uint32_t id = 0;
        hr = tn_u32(d->r, &id);
        name.Kind.lID = (LONG)id;
    } else if (kind == MNID_STRING) {
        uint32_t len = 0;
        hr = tn_u32(d->r, &len);
        if (hr == S_OK && len > 65536)
            hr = fm_error_set(MAPI_E_CORRUPT_DATA, "TNEF: a property name of %u bytes", len);
        BYTE *raw = hr == S_OK ? fm_malloc(PAD4(len) + 2) : NULL;
        if (hr == S_OK && raw == NULL)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for a name");
        if (hr == S_OK)
            hr = tn_read(d->r, raw, (size_t)PAD4(len));
        if (hr == S_OK) {
            size_t units = len / 2;
            wname = fm_malloc((units + 1) * sizeof(WCHAR));
            if (wname == NULL)
                hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for a name");
            for (size_t i = 0; wname != NULL && i < units; i++)
                wname[i] = (WCHAR)le16(raw + 2 * i);
            if (wname != NULL)
                wname[units] = 0;
            name.Kind.lpwstrName = wname;
        }
        fm_free(raw);
    } else {
        hr = fm_error_set(MAPI_E_CORRUPT_DATA, "TNEF: a property name of kind %u", kind);
    }
    if (hr != S_OK) {
        fm_free(wname);
        return hr;
    }
    LPMAPINAMEID names[1] = { &name };
    LPSPropTagArray ids = NULL;
    HRESULT got = IMessage_GetIDsFromNames(d->m, 1, names, MAPI_CREATE, &ids);
    fm_free(wname);
    if (FAILED(got) || ids == NULL || PROP_TYPE(ids->aulPropTag[0]) == PT_ERROR) {
        MAPIFreeBuffer(ids);
        *tag = PROP_TAG(PROP_TYPE(*tag), 0);
        return S_OK;
    }
    *tag = PROP_TAG(PROP_TYPE(*tag), PROP_ID(ids->aulPropTag[0]));
    MAPIFreeBuffer(ids);
    return S_OK;
}

/* A large string or binary value straight into obj's property stream. */
static HRESULT stream_value(tn_decoder *d, LPMAPIPROP obj, ULONG tag, uint32_t size)
{
    ULONG type = PROP_TYPE(tag);
    ULONG target = type == PT_STRING8 ? CHANGE_PROP_TYPE(tag, PT_UNICODE) : tag;
    if (!tn_dec_wanted(d, obj, target))
        return tn_skip(d->r, PAD4(size));
    LPSTREAM s = NULL;
    HRESULT hr = IMAPIProp_OpenProperty(obj, target, &IID_IStream, STGM_WRITE,
                                        MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&s);
    if (hr != S_OK) {
        tn_problem(&d->t->problems, d->component, attMAPIProps, target, hr);
        return tn_skip(d->r, PAD4(size));
    }
    if (type == PT_BINARY) {
        hr = tn_copy_out(d->r, size, s);
    } else {
        /* Strings come in chunks; a UTF-16 unit or an 8-bit character cut
         * by a chunk's end waits for the next; the terminating NULs go. */
        enum { CHUNK = 65536 };
        BYTE *chunk = fm_malloc(CHUNK + 2);
        WCHAR *w = fm_malloc((CHUNK + 16) * sizeof(WCHAR));
        tn_cpconv conv;
        tn_cpconv_open(&conv, d->cp);
        if (chunk == NULL || w == NULL)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for text");
        size_t odd = 0;      /* a UTF-16 byte carried */
        uint64_t zeros = 0;  /* NUL units held back: written if text follows */
        uint32_t left = size;
        while (hr == S_OK && left > 0) {
            size_t k = left < CHUNK ? left : CHUNK;
            hr = tn_read(d->r, chunk + odd, k);
            left -= (uint32_t)k;
            if (hr != S_OK)
                break;
            size_t units = 0;
            if (type == PT_UNICODE) {
                size_t n = odd + k;
                units = n / 2;
                for (size_t i = 0; i < units; i++)
                    w[i] = (WCHAR)le16(chunk + 2 * i);
                odd = n % 2;
                if (odd)
                    chunk[0] = chunk[n - 1];
            } else {
                units = tn_cpconv_feed(&conv, chunk, k, w, CHUNK + 16, left == 0);
            }
            /* NULs are written only once something follows them */
            size_t keep = units;
            while (keep > 0 && w[keep - 1] == 0)
                keep--;
            static const WCHAR NUL[64];
            while (keep > 0 && zeros > 0 && hr == S_OK) {
                ULONG z = zeros > 64 ? 64 : (ULONG)zeros, wrote = 0;
                hr = IStream_Write(s, NUL, z * sizeof(WCHAR), &wrote);
                zeros -= z;
            }
            ULONG wrote = 0;
            if (hr == S_OK && keep > 0)
                hr = IStream_Write(s, w, (ULONG)(keep * sizeof(WCHAR)), &wrote);
            zeros += units - keep;
        }
        tn_cpconv_close(&conv);
        fm_free(chunk);
        fm_free(w);
    }
    if (hr == S_OK)
        hr = tn_skip(d->r, PAD4(size) - size);
    if (hr == S_OK)
        hr = IStream_Commit(s, STGC_DEFAULT);
    IStream_Release(s);
    if (hr == S_OK)
        mark_from_props(d, obj, target);
    return hr;
}

/* An embedded message (a nested TNEF stream of size bytes) into the
 * attachment being filled. */
static HRESULT embedded_value(tn_decoder *d, uint32_t size)
{
    if (d->att == NULL || d->depth + 1 >= TN_MAX_DEPTH) {
        if (d->att != NULL && d->depth + 1 >= TN_MAX_DEPTH)
            tn_problem(&d->t->problems, d->component, attAttachment, PR_ATTACH_DATA_OBJ,
                       MAPI_E_TOO_COMPLEX);
        return tn_skip(d->r, PAD4(size));
    }
    IMessage *emb = NULL;
    HRESULT hr = IAttach_OpenProperty(d->att, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
                                      MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&emb);
    if (hr != S_OK) {
        tn_problem(&d->t->problems, d->component, attAttachment, PR_ATTACH_DATA_OBJ, hr);
        return tn_skip(d->r, PAD4(size));
    }
    tn_decoder sub = { .t = d->t, .r = d->r, .m = emb, .cp = d->cp, .depth = d->depth + 1,
                       .want_attach = true, .want_recips = true };
    uint64_t old = tn_limit(d->r, size);
    hr = tn_decode_message(&sub);
    if (hr == S_OK)
        hr = tn_skip(d->r, d->r->end - d->r->pos); /* what the nested stream left */
    tn_unlimit(d->r, old);
    tn_dec_clear(&sub);
    if (hr == S_OK)
        hr = IMessage_SaveChanges(emb, 0);
    IMessage_Release(emb);
    if (hr == S_OK)
        hr = tn_skip(d->r, PAD4(size) - size);
    if (hr == S_OK)
        mark_from_props(d, (LPMAPIPROP)d->att, PR_ATTACH_DATA_OBJ);
    return hr;
}

/* Another object (an OLE storage, a stream): its bytes as PR_ATTACH_DATA_OBJ. */
static HRESULT object_value(tn_decoder *d, LPMAPIPROP obj, ULONG tag, uint32_t size)
{
    if (size < 16)
        return fm_error_set(MAPI_E_CORRUPT_DATA, "TNEF: an object value of %u bytes", size);
    BYTE iid[16];
    HRESULT hr = tn_read(d->r, iid, 16);
    if (hr != S_OK)
        return hr;
    GUID g;
    read_guid(iid, &g);
    /* (16 is a multiple of four: the padding is the rest's) */
    if (IsEqualGUID(&g, &IID_IMessage) && PROP_ID(tag) == PROP_ID(PR_ATTACH_DATA_OBJ))
        return embedded_value(d, size - 16);
    /* an OLE storage or a stream: its bytes, as the attachment's data */
    return stream_value(d, obj, CHANGE_PROP_TYPE(tag, PT_BINARY), size - 16);
}

/* The value of one property into b (or streamed); *skip when it is left
 * out. */
static HRESULT read_value(tn_decoder *d, LPMAPIPROP obj, ULONG *tagp, batch *b, bool *held)
{
    ULONG tag = *tagp;
    ULONG type = PROP_TYPE(tag), base = type & ~MV_FLAG;
    *held = false;
    size_t fsize = 0;
    bool fixed = tn_type_fixed(type, &fsize);
    if (!tn_type_known(type))
        return fm_error_set(MAPI_E_UNEXPECTED_TYPE, "TNEF: property 0x%08X of an unknown type",
                            (unsigned)tag);
    if (fixed && !(type & MV_FLAG)) {
        BYTE v[16];
        HRESULT hr = tn_read(d->r, v, (size_t)PAD4(fsize));
        if (hr != S_OK || base == PT_ERROR || PROP_ID(tag) == 0)
            return hr;
        LPSPropValue p = NULL;
        if ((hr = batch_slot(b, &p)) != S_OK)
            return hr;
        p->ulPropTag = tag;
        if (base == PT_CLSID) {
            if ((hr = more(b, sizeof(GUID), (void **)&p->Value.lpguid)) != S_OK)
                return hr;
            fixed_from(base, v, p->Value.lpguid);
        } else {
            fixed_from(base, v, &p->Value);
        }
        *held = true;
        return S_OK;
    }
    uint32_t count = 0;
    HRESULT hr = tn_u32(d->r, &count);
    if (hr != S_OK)
        return hr;
    uint64_t room = d->r->end - d->r->pos;
    if ((uint64_t)count * 4 > room)
        return fm_error_set(MAPI_E_CORRUPT_DATA, "TNEF: %u values do not fit", count);
    if (!(type & MV_FLAG)) {
        /* one string, binary or object (a count of 1, as writers put it) */
        if (count != 1)
            return fm_error_set(MAPI_E_CORRUPT_DATA, "TNEF: %u values of a single property",
                                count);
        uint32_t size = 0;
        if ((hr = tn_u32(d->r, &size)) != S_OK)
            return hr;
        if (size > room)
            return fm_error_set(MAPI_E_CORRUPT_DATA, "TNEF: a value of %u bytes does not fit",
                                size);
        if (type == PT_OBJECT)
            return object_value(d, obj, tag, size);
        if (PROP_ID(tag) == 0)
            return tn_skip(d->r, PAD4(size));
        if (size > TN_SMALL)
            return stream_value(d, obj, tag, size);
        LPSPropValue p = NULL;
        if ((hr = batch_slot(b, &p)) != S_OK)
            return hr;
        BYTE *raw = NULL;
        if ((hr = more(b, (size_t)PAD4(size), (void **)&raw)) != S_OK)
            return hr;
        if ((hr = tn_read(d->r, raw, (size_t)PAD4(size))) != S_OK)
            return hr;
        if (base == PT_BINARY) {
            p->ulPropTag = tag;
            p->Value.bin.cb = size;
            p->Value.bin.lpb = raw;
        } else {
            size_t units = 0;
            WCHAR *w = NULL;
            if (base == PT_UNICODE) {
                units = size / 2;
                if ((hr = more(b, (units + 1) * sizeof(WCHAR), (void **)&w)) != S_OK)
                    return hr;
                for (size_t i = 0; i < units; i++)
                    w[i] = (WCHAR)le16(raw + 2 * i);
                w[units] = 0;
            } else {
                WCHAR *tmp = tn_cp_to_utf16(d->cp, raw, size, &units);
                if (tmp == NULL)
                    return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for text");
                hr = more(b, (units + 1) * sizeof(WCHAR), (void **)&w);
                if (hr == S_OK)
                    memcpy(w, tmp, (units + 1) * sizeof(WCHAR));
                fm_free(tmp);
                if (hr != S_OK)
                    return hr;
            }
            p->ulPropTag = CHANGE_PROP_TYPE(tag, PT_UNICODE);
            p->Value.lpszW = w;
        }
        *held = true;
        return S_OK;
    }
    /* multi-valued */
    LPSPropValue p = NULL;
    if ((hr = batch_slot(b, &p)) != S_OK)
        return hr;
    p->ulPropTag = tag;
    void *arr = NULL;
    if (fixed) {
        size_t ns = native_size(base);
        if ((hr = more(b, (size_t)count * ns, &arr)) != S_OK)
            return hr;
        for (uint32_t i = 0; i < count && hr == S_OK; i++) {
            BYTE v[16];
            hr = tn_read(d->r, v, (size_t)PAD4(fsize));
            fixed_from(base, v, (BYTE *)arr + i * ns);
        }
        p->Value.MVl.cValues = count;
        p->Value.MVl.lpl = arr;
    } else if (base == PT_BINARY) {
        SBinary *bins = NULL;
        if ((hr = more(b, (size_t)count * sizeof *bins, (void **)&bins)) != S_OK)
            return hr;
        for (uint32_t i = 0; i < count && hr == S_OK; i++) {
            uint32_t size = 0;
            hr = tn_u32(d->r, &size);
            if (hr == S_OK && (size > d->r->end - d->r->pos || b->bytes + size > TN_MAX_HELD))
                hr = fm_error_set(MAPI_E_CORRUPT_DATA, "TNEF: a value of %u bytes", size);
            if (hr == S_OK)
                hr = more(b, (size_t)PAD4(size), (void **)&bins[i].lpb);
            if (hr == S_OK)
                hr = tn_read(d->r, bins[i].lpb, (size_t)PAD4(size));
            bins[i].cb = size;
        }
        p->Value.MVbin.cValues = count;
        p->Value.MVbin.lpbin = bins;
    } else { /* strings */
        LPWSTR *strs = NULL;
        if ((hr = more(b, (size_t)count * sizeof *strs, (void **)&strs)) != S_OK)
            return hr;
        for (uint32_t i = 0; i < count && hr == S_OK; i++) {
            uint32_t size = 0;
            hr = tn_u32(d->r, &size);
            if (hr == S_OK && (size > d->r->end - d->r->pos || b->bytes + size > TN_MAX_HELD))
                hr = fm_error_set(MAPI_E_CORRUPT_DATA, "TNEF: a value of %u bytes", size);
            BYTE *raw = hr == S_OK ? fm_malloc((size_t)PAD4(size) + 1) : NULL;
            if (hr == S_OK && raw == NULL)
                hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for text");
            if (hr == S_OK)
                hr = tn_read(d->r, raw, (size_t)PAD4(size));
            size_t units = 0;
            WCHAR *w = NULL;
            if (hr == S_OK && base == PT_UNICODE) {
                units = size / 2;
                w = fm_malloc((units + 1) * sizeof(WCHAR));
                for (size_t k = 0; w != NULL && k < units; k++)
                    w[k] = (WCHAR)le16(raw + 2 * k);
                if (w != NULL) {
                    w[units] = 0;
                    units = tn_wlen(w);
                }
            } else if (hr == S_OK) {
                w = tn_cp_to_utf16(d->cp, raw, size, &units);
            }
            fm_free(raw);
            if (hr == S_OK && w == NULL)
                hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for text");
            if (hr == S_OK)
                hr = more(b, (units + 1) * sizeof(WCHAR), (void **)&strs[i]);
            if (hr == S_OK)
                memcpy(strs[i], w, (units + 1) * sizeof(WCHAR));
            fm_free(w);
        }
        p->ulPropTag = CHANGE_PROP_TYPE(tag, PT_MV_UNICODE);
        p->Value.MVszW.cValues = count;
        p->Value.MVszW.lppszW = strs;
    }
    if (hr == S_OK)
        *held = true;
    return hr;
}

HRESULT tn_dec_props(tn_decoder *d, LPMAPIPROP obj, uint32_t len, ULONG att_id)
{
    uint64_t old = tn_limit(d->r, len);
    uint32_t count = 0;
    HRESULT hr = tn_u32(d->r, &count);
    batch b = { 0 };
    for (uint32_t i = 0; hr == S_OK && i < count; i++) {
        ULONG tag = 0;
        hr = tn_u32(d->r, &tag);
        if (hr == S_OK && PROP_ID(tag) >= 0x8000)
            hr = read_name(d, &tag);
        bool held = false;
        if (hr == S_OK)
            hr = read_value(d, obj, &tag, &b, &held);
        if (hr == S_OK && held) {
            if (PROP_TYPE(b.v[b.n].ulPropTag) == PT_ERROR || PROP_ID(b.v[b.n].ulPropTag) == 0)
                memset(&b.v[b.n], 0, sizeof b.v[b.n]);
            else
                b.n++;
        }
        if (hr == S_OK && (b.n == BATCH || b.bytes > TN_SMALL))
            hr = batch_flush(d, obj, &b);
    }
    HRESULT flushed = batch_flush(d, obj, &b);
    if (hr == S_OK)
        hr = flushed;
    if (hr != S_OK && hr != MAPI_E_NOT_ENOUGH_MEMORY) {
        /* a list we cannot read to its end: what was read stays, the rest
         * of the attribute is left */
        tn_problem(&d->t->problems, d->component, att_id, 0, hr);
        hr = S_OK;
    }
    if (hr == S_OK)
        hr = tn_skip(d->r, d->r->end - d->r->pos);
    tn_unlimit(d->r, old);
    return hr;
}

/* ---- recipients --------------------------------------------------------------- */
HRESULT tn_dec_recips(tn_decoder *d, uint32_t len)
{
    uint64_t old = tn_limit(d->r, len);
    uint32_t rows = 0;
    HRESULT hr = tn_u32(d->r, &rows);
    if (hr == S_OK && (uint64_t)rows * 4 > d->r->end - d->r->pos)
        hr = fm_error_set(MAPI_E_CORRUPT_DATA, "TNEF: %u recipients do not fit", rows);
    for (uint32_t row = 0; hr == S_OK && row < rows; row++) {
        uint32_t count = 0;
        hr = tn_u32(d->r, &count);
        if (hr == S_OK && (uint64_t)count * 8 > d->r->end - d->r->pos)
            hr = fm_error_set(MAPI_E_CORRUPT_DATA, "TNEF: %u recipient properties", count);
        batch b = { .cap = count ? count : 1 }; /* the row whole, for ModifyRecipients */
        for (uint32_t i = 0; hr == S_OK && i < count; i++) {
            ULONG tag = 0;
            hr = tn_u32(d->r, &tag);
            if (hr == S_OK && PROP_ID(tag) >= 0x8000)
                hr = read_name(d, &tag);
            bool held = false;
            if (hr == S_OK)
                hr = read_value(d, (LPMAPIPROP)d->m, &tag, &b, &held);
            if (hr == S_OK && held) {
                ULONG t = b.v[b.n].ulPropTag;
                if (PROP_TYPE(t) == PT_ERROR || PROP_ID(t) == 0 || PROP_ID(t) == PROP_ID(PR_ROWID))
                    memset(&b.v[b.n], 0, sizeof b.v[b.n]);
                else
                    b.n++;
            }
        }
        if (hr == S_OK && b.n > 0) {
            ADRLIST *list = NULL;
            if (MAPIAllocateBuffer(CbNewADRLIST(1), (void **)&list) != S_OK)
                hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for a recipient");
            if (hr == S_OK) {
                list->cEntries = 1;
                list->aEntries[0].ulReserved1 = 0;
                list->aEntries[0].cValues = b.n;
                list->aEntries[0].rgPropVals = b.v;
                HRESULT added = IMessage_ModifyRecipients(d->m, MODRECIP_ADD, list);
                if (added != S_OK)
                    tn_problem(&d->t->problems, d->component, attRecipTable, 0, added);
                /* ModifyRecipients may have replaced the row's buffer */
                if (list->aEntries[0].rgPropVals == b.v)
                    list->aEntries[0].rgPropVals = NULL;
                else
                    b.v = NULL;
                MAPIFreeBuffer(list->aEntries[0].rgPropVals);
            }
            MAPIFreeBuffer(list);
        }
        MAPIFreeBuffer(b.v);
    }
    if (hr != S_OK && hr != MAPI_E_NOT_ENOUGH_MEMORY) {
        tn_problem(&d->t->problems, d->component, attRecipTable, 0, hr);
        hr = S_OK;
    }
    if (hr == S_OK)
        hr = tn_skip(d->r, d->r->end - d->r->pos);
    tn_unlimit(d->r, old);
    return hr;
}

/* ---- encoding ------------------------------------------------------------------ */
static bool big_endian(void)
{
    const uint16_t one = 1;
    return *(const BYTE *)&one == 0;
}

/* Drops what a stream cannot carry (objects, errors, nulls); strings as
 * UTF-16. */
static ULONG wire_tag(ULONG tag)
{
    ULONG type = PROP_TYPE(tag);
    if (type == PT_STRING8)
        return CHANGE_PROP_TYPE(tag, PT_UNICODE);
    if (type == PT_MV_STRING8)
        return CHANGE_PROP_TYPE(tag, PT_MV_UNICODE);
    return tag;
}

static bool carried(ULONG tag)
{
    ULONG type = PROP_TYPE(tag);
    return type != PT_OBJECT && type != PT_ERROR && type != PT_NULL && type != PT_UNSPECIFIED &&
           tn_type_known(type) && PROP_ID(tag) != 0;
}

HRESULT tn_propset_load(tn_encoder *e, LPMAPIPROP obj, const ULONG *tags, ULONG ntags,
                        bool (*keep)(void *ctx, ULONG tag), void *ctx, tn_propset *out)
{
    memset(out, 0, sizeof *out);
    out->obj = obj;
    LPSPropTagArray list = NULL;
    HRESULT hr = S_OK;
    if (tags == NULL) {
        hr = IMAPIProp_GetPropList(obj, 0, &list);
        if (FAILED(hr))
            return fm_error_set(tn_io_status(hr), "TNEF: the properties could not be listed");
    } else {
        if (MAPIAllocateBuffer(CbNewSPropTagArray(ntags), (void **)&list) != S_OK)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: out of memory");
        list->cValues = ntags;
        memcpy(list->aulPropTag, tags, ntags * sizeof(ULONG));
    }
    ULONG k = 0;
    for (ULONG i = 0; i < list->cValues; i++) {
        ULONG t = wire_tag(list->aulPropTag[i]);
        if (!carried(t) || (keep != NULL && !keep(ctx, t)))
            continue;
        bool dup = false;
        for (ULONG j = 0; j < k && !dup; j++)
            dup = PROP_ID(list->aulPropTag[j]) == PROP_ID(t);
        if (!dup)
            list->aulPropTag[k++] = t;
    }
    list->cValues = k;
    if (k == 0) {
        MAPIFreeBuffer(list);
        return S_OK;
    }
    ULONG n = 0;
    hr = IMAPIProp_GetProps(obj, list, 0, &n, &out->vals);
    if (FAILED(hr)) {
        MAPIFreeBuffer(list);
        return fm_error_set(tn_io_status(hr), "TNEF: the properties could not be read");
    }
    out->p = fm_calloc(n ? n : 1, sizeof *out->p);
    if (out->p == NULL) {
        MAPIFreeBuffer(list);
        tn_propset_clear(out);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: out of memory");
    }
    /* names of the named properties, from the message (names are the store's) */
    ULONG named = 0;
    for (ULONG i = 0; i < n; i++)
        named += PROP_ID(list->aulPropTag[i]) >= 0x8000;
    LPSPropTagArray ntags_arr = NULL;
    ULONG nnames = 0;
    if (named > 0 &&
        MAPIAllocateBuffer(CbNewSPropTagArray(named), (void **)&ntags_arr) == S_OK) {
        ntags_arr->cValues = 0;
        for (ULONG i = 0; i < n; i++) {
            if (PROP_ID(list->aulPropTag[i]) >= 0x8000)
                ntags_arr->aulPropTag[ntags_arr->cValues++] = list->aulPropTag[i];
        }
        HRESULT got = IMessage_GetNamesFromIDs(e->m, &ntags_arr, NULL, 0, &nnames, &out->names);
        if (FAILED(got) || nnames != named) {
            MAPIFreeBuffer(out->names);
            out->names = NULL;
        }
    }
    ULONG ni = 0;
    for (ULONG i = 0; i < n; i++) {
        ULONG tag = list->aulPropTag[i];
        LPSPropValue v = &out->vals[i];
        MAPINAMEID *name = NULL;
        if (PROP_ID(tag) >= 0x8000) {
            name = out->names != NULL ? out->names[ni] : NULL;
            ni++;
            if (name == NULL)
                continue; /* a named property without a name: not carried */
        }
        tn_prop *p = &out->p[out->n];
        memset(p, 0, sizeof *p);
        p->tag = tag;
        p->name = name;
        if (PROP_TYPE(v->ulPropTag) == PT_ERROR) {
            if (v->Value.err != MAPI_E_NOT_ENOUGH_MEMORY)
                continue;
            ULONG type = PROP_TYPE(tag);
            if (type != PT_BINARY && type != PT_UNICODE) {
                tn_problem(e->problems, 0, 0, tag, MAPI_E_NOT_ENOUGH_MEMORY);
                continue;
            }
            LPSTREAM s = NULL;
            HRESULT o = IMAPIProp_OpenProperty(obj, tag, &IID_IStream, 0, 0, (LPUNKNOWN *)&s);
            if (o != S_OK) {
                tn_problem(e->problems, 0, 0, tag, o);
                continue;
            }
            p->embedded = s; /* a large value's stream (not an embedded message) */
            p->large = tn_stream_size(s);
            if (p->large > 0xFFFFFFF0u) {
                tn_problem(e->problems, 0, 0, tag, MAPI_E_TOO_BIG);
                IStream_Release(s);
                continue;
            }
        } else {
            p->v = v;
        }
        out->n++;
    }
    MAPIFreeBuffer(ntags_arr);
    MAPIFreeBuffer(list);
    return S_OK;
}

void tn_propset_clear(tn_propset *ps)
{
    for (ULONG i = 0; ps->p != NULL && i < ps->n; i++) {
        if (ps->p[i].embedded != NULL)
            IStream_Release(ps->p[i].embedded);
    }
    fm_free(ps->p);
    MAPIFreeBuffer(ps->vals);
    MAPIFreeBuffer(ps->names);
    MAPIFreeBuffer(ps->extra);
    memset(ps, 0, sizeof *ps);
}

const tn_prop *tn_propset_find(const tn_propset *ps, ULONG id)
{
    for (ULONG i = 0; i < ps->n; i++) {
        if (PROP_ID(ps->p[i].tag) == PROP_ID(id))
            return &ps->p[i];
    }
    return NULL;
}

HRESULT tn_propset_override(tn_propset *ps, ULONG n, const SPropValue *v)
{
    if (n == 0)
        return S_OK;
    tn_prop *p = fm_realloc(ps->p, (ps->n + n) * sizeof *p);
    if (p == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: out of memory");
    ps->p = p;
    for (ULONG i = 0; i < n; i++) {
        const SPropValue *val = &v[i];
        if (!carried(val->ulPropTag) || PROP_TYPE(val->ulPropTag) == PT_MV_STRING8 ||
            PROP_ID(val->ulPropTag) >= 0x8000)
            continue; /* 8-bit string lists and named properties: not overridden here */
        if (PROP_TYPE(val->ulPropTag) == PT_STRING8) {
            /* an 8-bit (UTF-8) value as the UTF-16 one the stream carries */
            LPSPropValue w = NULL;
            size_t units = 0;
            WCHAR *u = tn_cp_to_utf16(65001, val->Value.lpszA, strlen(val->Value.lpszA),
                                      &units);
            SCODE sc = u == NULL ? MAPI_E_NOT_ENOUGH_MEMORY
                       : ps->extra == NULL
                           ? MAPIAllocateBuffer(sizeof *w, (void **)&w)
                           : MAPIAllocateMore(sizeof *w, ps->extra, (void **)&w);
            if (sc == S_OK && ps->extra == NULL)
                ps->extra = w;
            LPWSTR copy = NULL;
            if (sc == S_OK)
                sc = MAPIAllocateMore((ULONG)((units + 1) * sizeof(WCHAR)), ps->extra,
                                      (void **)&copy);
            if (sc != S_OK) {
                fm_free(u);
                return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: out of memory");
            }
            memcpy(copy, u, (units + 1) * sizeof(WCHAR));
            fm_free(u);
            w->ulPropTag = CHANGE_PROP_TYPE(val->ulPropTag, PT_UNICODE);
            w->Value.lpszW = copy;
            val = w;
        }
        tn_prop *slot = NULL;
        for (ULONG j = 0; j < ps->n && slot == NULL; j++) {
            if (PROP_ID(ps->p[j].tag) == PROP_ID(val->ulPropTag))
                slot = &ps->p[j];
        }
        if (slot == NULL)
            slot = &ps->p[ps->n++];
        else if (slot->embedded != NULL)
            IStream_Release(slot->embedded);
        memset(slot, 0, sizeof *slot);
        slot->tag = val->ulPropTag;
        slot->v = (LPSPropValue)val;
    }
    return S_OK;
}

static uint64_t name_size(const MAPINAMEID *n)
{
    if (n->ulKind == MNID_ID)
        return 16 + 4 + 4;
    size_t units = n->Kind.lpwstrName ? tn_wlen(n->Kind.lpwstrName) : 0;
    return 16 + 4 + 4 + PAD4((units + 1) * 2);
}

static uint64_t var_size(ULONG base, const void *value)
{
    if (base == PT_UNICODE) {
        const WCHAR *w = *(WCHAR *const *)value;
        return ((w ? tn_wlen(w) : 0) + 1) * 2;
    }
    return ((const SBinary *)value)->cb; /* PT_BINARY */
}

static uint64_t prop_size(const tn_prop *p)
{
    uint64_t size = 4 + (p->name != NULL ? name_size(p->name) : 0);
    ULONG type = PROP_TYPE(p->tag), base = type & ~MV_FLAG;
    size_t fsize = 0;
    if (p->v == NULL) { /* large: a count, a size, the bytes */
        uint64_t bytes = p->large + (base == PT_UNICODE ? 2 : 0);
        if (PROP_ID(p->tag) == PROP_ID(PR_ATTACH_DATA_OBJ) && type == PT_OBJECT)
            bytes += 16;
        return size + 8 + PAD4(bytes);
    }
    const SPropValue *v = p->v;
    if (tn_type_fixed(type, &fsize)) {
        if (!(type & MV_FLAG))
            return size + PAD4(fsize);
        return size + 4 + (uint64_t)v->Value.MVl.cValues * PAD4(fsize);
    }
    if (!(type & MV_FLAG))
        return size + 8 + PAD4(var_size(base, &v->Value));
    size += 4;
    for (ULONG i = 0; i < v->Value.MVbin.cValues; i++) {
        const void *elem = base == PT_UNICODE ? (const void *)&v->Value.MVszW.lppszW[i]
                                              : (const void *)&v->Value.MVbin.lpbin[i];
        size += 4 + PAD4(var_size(base, elem));
    }
    return size;
}

static void put_fixed(tn_writer *w, ULONG base, const void *src)
{
    switch (base) {
    case PT_SHORT: {
        short v;
        memcpy(&v, src, sizeof v);
        tn_put_u16(w, (uint16_t)v);
        tn_put_zeros(w, 2);
        break;
    }
    case PT_BOOLEAN: {
        unsigned short v;
        memcpy(&v, src, sizeof v);
        tn_put_u16(w, v != 0);
        tn_put_zeros(w, 2);
        break;
    }
    case PT_LONG:
    case PT_ERROR:
    case PT_FLOAT: {
        uint32_t v;
        memcpy(&v, src, 4);
        tn_put_u32(w, v);
        break;
    }
    case PT_SYSTIME: {
        FILETIME ft;
        memcpy(&ft, src, sizeof ft);
        tn_put_u32(w, ft.dwLowDateTime);
        tn_put_u32(w, ft.dwHighDateTime);
        break;
    }
    case PT_CLSID: put_guid(w, src); break;
    default: {
        uint64_t v;
        memcpy(&v, src, 8);
        tn_put_u64(w, v);
        break;
    }
    }
}

static void put_var(tn_writer *w, ULONG base, const void *value)
{
    uint64_t n = var_size(base, value);
    tn_put_u32(w, (uint32_t)n);
    if (base == PT_UNICODE) {
        const WCHAR *s = *(WCHAR *const *)value;
        for (uint64_t i = 0; i + 1 < n / 2 + 1 && s != NULL && s[i]; i++)
            tn_put_u16(w, s[i]);
        tn_put_u16(w, 0);
    } else {
        const SBinary *b = value;
        tn_put(w, b->lpb, b->cb);
    }
    tn_put_zeros(w, (size_t)(PAD4(n) - n));
}

/* A large value's stream, UTF-16 made little-endian on a big-endian machine. */
static void put_large(tn_writer *w, IStream *s, bool utf16)
{
    if (!utf16 || !big_endian()) {
        tn_put_stream(w, s);
        return;
    }
    tn_stream_rewind(s);
    BYTE chunk[8192];
    ULONG got = 0;
    while (IStream_Read(s, chunk, sizeof chunk, &got) == S_OK && got > 0) {
        for (ULONG i = 0; i + 1 < got; i += 2) {
            BYTE t = chunk[i];
            chunk[i] = chunk[i + 1];
            chunk[i + 1] = t;
        }
        tn_put(w, chunk, got);
    }
}

static void put_prop(tn_writer *w, const tn_prop *p)
{
    tn_put_u32(w, p->tag);
    if (p->name != NULL) {
        put_guid(w, p->name->lpguid);
        tn_put_u32(w, p->name->ulKind);
        if (p->name->ulKind == MNID_ID) {
            tn_put_u32(w, (uint32_t)p->name->Kind.lID);
        } else {
            const WCHAR *s = p->name->Kind.lpwstrName;
            size_t units = s ? tn_wlen(s) : 0;
            tn_put_u32(w, (uint32_t)((units + 1) * 2));
            for (size_t i = 0; i < units; i++)
                tn_put_u16(w, s[i]);
            tn_put_u16(w, 0);
            tn_put_zeros(w, (size_t)(PAD4((units + 1) * 2) - (units + 1) * 2));
        }
    }
    ULONG type = PROP_TYPE(p->tag), base = type & ~MV_FLAG;
    size_t fsize = 0;
    if (p->v == NULL) {
        bool object = type == PT_OBJECT;
        uint64_t bytes = p->large + (base == PT_UNICODE ? 2 : 0) + (object ? 16 : 0);
        tn_put_u32(w, 1);
        tn_put_u32(w, (uint32_t)bytes);
        if (object)
            put_guid(w, &IID_IMessage);
        put_large(w, p->embedded, base == PT_UNICODE);
        if (base == PT_UNICODE)
            tn_put_u16(w, 0);
        tn_put_zeros(w, (size_t)(PAD4(bytes) - bytes));
        return;
    }
    const SPropValue *v = p->v;
    if (tn_type_fixed(type, &fsize)) {
        if (!(type & MV_FLAG)) {
            put_fixed(w, base, base == PT_CLSID ? (const void *)v->Value.lpguid
                                                : (const void *)&v->Value);
            return;
        }
        ULONG count = v->Value.MVl.cValues;
        size_t ns = native_size(base);
        tn_put_u32(w, count);
        for (ULONG i = 0; i < count; i++) /* (SHORT and BOOLEAN padded by put_fixed) */
            put_fixed(w, base, (const BYTE *)v->Value.MVl.lpl + i * ns);
        return;
    }
    if (!(type & MV_FLAG)) {
        tn_put_u32(w, 1);
        put_var(w, base, &v->Value);
        return;
    }
    tn_put_u32(w, v->Value.MVbin.cValues);
    for (ULONG i = 0; i < v->Value.MVbin.cValues; i++)
        put_var(w, base, base == PT_UNICODE ? (const void *)&v->Value.MVszW.lppszW[i]
                                            : (const void *)&v->Value.MVbin.lpbin[i]);
}

uint64_t tn_props_size(tn_encoder *e, const tn_propset *ps, const bool *use)
{
    uint64_t size = 4;
    for (ULONG i = 0; i < ps->n; i++) {
        if (use == NULL || use[i])
            size += prop_size(&ps->p[i]);
    }
    return size;
}

void tn_props_write(tn_encoder *e, tn_writer *w, const tn_propset *ps, const bool *use)
{
    ULONG count = 0;
    for (ULONG i = 0; i < ps->n; i++)
        count += use == NULL || use[i];
    tn_put_u32(w, count);
    for (ULONG i = 0; i < ps->n; i++) {
        if (use == NULL || use[i])
            put_prop(w, &ps->p[i]);
    }
}
