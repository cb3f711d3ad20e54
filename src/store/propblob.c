/*
 * store/propblob.c - the byte format of the props column (see propblob.h).
 *
 * Format, version 1. All integers little-endian; no padding anywhere.
 *
 *   blob    = version:u8 (= 1)  count:u32  entry * count
 *   entry   = tag:u32  value
 *   value   = fixed                          single-valued fixed-size types
 *           | len:u32  byte * len            PT_STRING8 (UTF-8, no NUL), PT_BINARY
 *           | n:u32  element * n             PT_MV_*: elements as the single form
 *   fixed   = PT_I2 2 bytes; PT_LONG, PT_R4 (IEEE bits), PT_BOOLEAN (0 or 1) 4;
 *             PT_DOUBLE, PT_APPTIME (IEEE bits), PT_CURRENCY, PT_I8, PT_SYSTIME
 *             (dwLow | dwHigh << 32) 8; PT_CLSID 16 (Data1 u32, Data2 u16,
 *             Data3 u16, Data4[8]).
 *
 * Strings of either width are stored once, as UTF-8 under the PT_STRING8 /
 * PT_MV_STRING8 tag, so the blob has one spelling of each property and the
 * object layer converts on the way out. An empty blob (0 bytes) means no
 * properties; the encoder writes the 5-byte header even for none, so that
 * a written blob always says its version.
 *
 * Duplicates: a property ID appears at most once. The encoder refuses an
 * array that repeats one (MAPI_E_INVALID_PARAMETER: the caller must merge),
 * decoding reports a repeat as corruption, and find, which stops at the
 * first match, does not look further.
 *
 * Every length is checked against the bytes that remain before it is used,
 * and counts against the least each entry or element can take, so a
 * corrupt count cannot make the decoder loop or allocate beyond what the
 * blob could hold. Decoding measures and validates in one pass, then
 * allocates one MAPI block (the SPropValue array, then every value's data in
 * pieces rounded to 8 bytes, as ScCopyProps lays them out) and fills it in a
 * second pass that no longer needs to check. Empty binaries and empty
 * multi-valued arrays come back with NULL pointers.
 */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/limits.h"
#include "core/text.h"
#include "mapicode.h"
#include "props/propvalue.h"
#include "store/propblob.h"

#define BLOB_VERSION 1u
#define HEADER_BYTES 5u
#define MIN_ENTRY_BYTES 6u /* a tag and a PT_I2 */
#define LEN_BYTES 4u
#define ID_WORDS (0x10000u / 64u)

/* ---- little-endian bytes ---------------------------------------------------- */

static unsigned char *put_u16(unsigned char *o, uint16_t v)
{
    o[0] = (unsigned char)v;
    o[1] = (unsigned char)(v >> 8);
    return o + 2;
}

static unsigned char *put_u32(unsigned char *o, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        o[i] = (unsigned char)(v >> (8 * i));
    return o + 4;
}

static unsigned char *put_u64(unsigned char *o, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        o[i] = (unsigned char)(v >> (8 * i));
    return o + 8;
}

static uint16_t get_u16(const unsigned char *b)
{
    return (uint16_t)(b[0] | (b[1] << 8));
}

static uint32_t get_u32(const unsigned char *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint64_t get_u64(const unsigned char *b)
{
    return (uint64_t)get_u32(b) | (uint64_t)get_u32(b + 4) << 32;
}

/* ---- the types a blob holds ------------------------------------------------- */

/* Bytes of one fixed-size element of base type t in a blob; 0 for the
 * variable-size types (strings, binaries) and for types a blob never holds. */
static size_t fixed_bytes(ULONG t)
{
    switch (t) {
    case PT_I2: return 2;
    case PT_LONG:
    case PT_R4:
    case PT_BOOLEAN: return 4;
    case PT_DOUBLE:
    case PT_APPTIME:
    case PT_CURRENCY:
    case PT_I8:
    case PT_SYSTIME: return 8;
    case PT_CLSID: return 16;
    default: return 0;
    }
}

/* True for a type as it appears in a blob (strings only as PT_STRING8). */
static int stored_type_ok(ULONG type)
{
    if (type == PT_MV_UNICODE || type == PT_UNICODE)
        return 0;
    if (type & MV_FLAG)
        return fm_props_mv_elem_size(type) != 0;
    return fixed_bytes(type) != 0 || type == PT_STRING8 || type == PT_BINARY;
}

/* Writes one native element of base type t (at elem) as blob bytes. */
static unsigned char *put_fixed(unsigned char *o, ULONG t, const void *elem)
{
    uint32_t u32;
    uint64_t u64;
    switch (t) {
    case PT_I2: return put_u16(o, (uint16_t)*(const short int *)elem);
    case PT_LONG: return put_u32(o, (uint32_t)*(const LONG *)elem);
    case PT_BOOLEAN: return put_u32(o, *(const unsigned short int *)elem != 0);
    case PT_R4:
        memcpy(&u32, elem, 4);
        return put_u32(o, u32);
    case PT_DOUBLE:
    case PT_APPTIME:
        memcpy(&u64, elem, 8);
        return put_u64(o, u64);
    case PT_CURRENCY: return put_u64(o, (uint64_t)((const CURRENCY *)elem)->int64);
    case PT_I8: return put_u64(o, (uint64_t)((const LARGE_INTEGER *)elem)->QuadPart);
    case PT_SYSTIME: {
        const FILETIME *ft = elem;
        return put_u64(o, (uint64_t)ft->dwHighDateTime << 32 | ft->dwLowDateTime);
    }
    default: { /* PT_CLSID */
        const GUID *g = elem;
        o = put_u32(o, g->Data1);
        o = put_u16(o, g->Data2);
        o = put_u16(o, g->Data3);
        memcpy(o, g->Data4, 8);
        return o + 8;
    }
    }
}

/* Reads one element of base type t from blob bytes b into native elem. */
static void get_fixed(const unsigned char *b, ULONG t, void *elem)
{
    uint32_t u32;
    uint64_t u64;
    switch (t) {
    case PT_I2: *(short int *)elem = (short int)get_u16(b); break;
    case PT_LONG: *(LONG *)elem = (LONG)get_u32(b); break;
    case PT_BOOLEAN: *(unsigned short int *)elem = (unsigned short int)get_u32(b); break;
    case PT_R4:
        u32 = get_u32(b);
        memcpy(elem, &u32, 4);
        break;
    case PT_DOUBLE:
    case PT_APPTIME:
        u64 = get_u64(b);
        memcpy(elem, &u64, 8);
        break;
    case PT_CURRENCY: ((CURRENCY *)elem)->int64 = (LONGLONG)get_u64(b); break;
    case PT_I8: ((LARGE_INTEGER *)elem)->QuadPart = (LONGLONG)get_u64(b); break;
    case PT_SYSTIME:
        ((FILETIME *)elem)->dwLowDateTime = get_u32(b);
        ((FILETIME *)elem)->dwHighDateTime = get_u32(b + 4);
        break;
    default: { /* PT_CLSID */
        GUID *g = elem;
        g->Data1 = get_u32(b);
        g->Data2 = get_u16(b + 4);
        g->Data3 = get_u16(b + 6);
        memcpy(g->Data4, b + 8, 8);
        break;
    }
    }
}

/* ---- encoding: measure ------------------------------------------------------ */

static HRESULT bad_value(ULONG tag, const char *why)
{
    return fm_error_set(MAPI_E_INVALID_PARAMETER, "property 0x%08lX: %s", (unsigned long)tag,
                        why);
}

/* UTF-8 bytes of n units of valid UTF-16 (pairs make 4 bytes). */
static uint64_t utf16_utf8_bytes(const WCHAR *s, size_t n)
{
    uint64_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (c < 0x80)
            bytes += 1;
        else if (c < 0x800)
            bytes += 2;
        else if (c >= 0xD800 && c <= 0xDBFF) {
            bytes += 4;
            i++;
        } else
            bytes += 3;
    }
    return bytes;
}

/* Blob bytes of one string or binary element of base type t. */
static HRESULT measure_piece(ULONG tag, ULONG t, const void *elem, uint64_t *bytes)
{
    uint64_t n;
    if (t == PT_BINARY) {
        const SBinary *b = elem;
        if (b->cb != 0 && b->lpb == NULL)
            return bad_value(tag, "binary value with cb > 0 and lpb NULL");
        n = b->cb;
    } else if (t == PT_STRING8) {
        const char *s = *(const LPSTR *)elem;
        if (s == NULL)
            return bad_value(tag, "NULL string");
        n = strlen(s);
        if (!fm_utf8_valid(s, n))
            return bad_value(tag, "PT_STRING8 value is not valid UTF-8");
    } else {
        const WCHAR *w = *(const LPWSTR *)elem;
        if (w == NULL)
            return bad_value(tag, "NULL string");
        size_t units = fm_utf16_len(w);
        if (!fm_utf16_valid(w, units))
            return bad_value(tag, "PT_UNICODE value is not valid UTF-16");
        n = utf16_utf8_bytes(w, units);
    }
    if (n > UINT32_MAX)
        return bad_value(tag, "value longer than 4 GiB");
    *bytes += LEN_BYTES + n;
    return S_OK;
}

/* The native array of a multi-valued value: every S*Array is laid out as
 * { ULONG cValues; T *p; }, so the SLongArray view reads any of them. */
static const char *mv_array(const SPropValue *v)
{
    return (const char *)v->Value.MVl.lpl;
}

static HRESULT measure_mv(const SPropValue *v, ULONG type, uint64_t *bytes)
{
    ULONG t = type & ~(ULONG)MV_FLAG;
    ULONG n = v->Value.MVl.cValues;
    size_t native = fm_props_mv_elem_size(type);
    if (n > FM_MV_MAX_VALUES)
        return bad_value(v->ulPropTag, "more values than FM_MV_MAX_VALUES");
    if (n > 0 && mv_array(v) == NULL)
        return bad_value(v->ulPropTag, "multi-valued property with a NULL array");
    *bytes += LEN_BYTES;
    if (fixed_bytes(t) != 0) {
        *bytes += (uint64_t)n * fixed_bytes(t);
        return S_OK;
    }
    for (ULONG i = 0; i < n; i++) {
        HRESULT hr = measure_piece(v->ulPropTag, t, mv_array(v) + (size_t)i * native, bytes);
        if (hr != S_OK)
            return hr;
    }
    return S_OK;
}

/* The value's type as the encoder accepts it, or an error. */
static HRESULT encodable_type(ULONG tag, ULONG *type)
{
    *type = PROP_TYPE(tag);
    switch (*type) {
    case PT_ERROR: return bad_value(tag, "PT_ERROR values are not stored");
    case PT_NULL: return bad_value(tag, "PT_NULL values are not stored");
    case PT_OBJECT: return bad_value(tag, "PT_OBJECT values are not stored in a blob");
    case PT_UNICODE:
    case PT_MV_UNICODE: return S_OK;
    default:
        if (!stored_type_ok(*type))
            return bad_value(tag, "type cannot be stored");
        return S_OK;
    }
}

/* Blob bytes of one entry (tag and value), after validating the value. */
static HRESULT measure_entry(const SPropValue *v, uint64_t *bytes)
{
    ULONG type;
    HRESULT hr = encodable_type(v->ulPropTag, &type);
    if (hr != S_OK)
        return hr;
    *bytes += 4;
    if (type & MV_FLAG)
        return measure_mv(v, type, bytes);
    if (type == PT_CLSID && v->Value.lpguid == NULL)
        return bad_value(v->ulPropTag, "PT_CLSID value is NULL");
    if (fixed_bytes(type) != 0) {
        *bytes += fixed_bytes(type);
        return S_OK;
    }
    return measure_piece(v->ulPropTag, type, &v->Value, bytes);
}

static int id_seen(uint64_t *seen, ULONG id)
{
    uint64_t bit = (uint64_t)1 << (id % 64);
    int was = (seen[id / 64] & bit) != 0;
    seen[id / 64] |= bit;
    return was;
}

static HRESULT measure_all(ULONG cValues, const SPropValue *lpProps, uint64_t *bytes)
{
    uint64_t seen[ID_WORDS] = { 0 };
    *bytes = HEADER_BYTES;
    for (ULONG i = 0; i < cValues; i++) {
        HRESULT hr = measure_entry(&lpProps[i], bytes);
        if (hr != S_OK)
            return hr;
        if (id_seen(seen, PROP_ID(lpProps[i].ulPropTag)))
            return bad_value(lpProps[i].ulPropTag, "property ID appears twice");
        /* Each entry adds at most about 2^56 bytes, so this cannot wrap. */
        if (*bytes > (uint64_t)SIZE_MAX - 1)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "property blob too large");
    }
    return S_OK;
}

/* ---- encoding: write -------------------------------------------------------- */

static unsigned char *put_piece(unsigned char *o, ULONG t, const void *elem)
{
    if (t == PT_BINARY) {
        const SBinary *b = elem;
        o = put_u32(o, b->cb);
        if (b->cb != 0)
            memcpy(o, b->lpb, b->cb);
        return o + b->cb;
    }
    if (t == PT_STRING8) {
        const char *s = *(const LPSTR *)elem;
        size_t n = strlen(s);
        o = put_u32(o, (uint32_t)n);
        memcpy(o, s, n);
        return o + n;
    }
    /* UTF-16: the converter writes exactly the UTF-8 bytes that
     * utf16_utf8_bytes counted and then a NUL, which lands on the next
     * entry's first byte or on the one byte of slack after the blob. */
    const WCHAR *w = *(const LPWSTR *)elem;
    size_t n = fm_utf16_to_utf8_into(w, fm_utf16_len(w), (char *)o + LEN_BYTES);
    put_u32(o, (uint32_t)n);
    return o + LEN_BYTES + n;
}

static unsigned char *put_entry(unsigned char *o, const SPropValue *v)
{
    ULONG type = PROP_TYPE(v->ulPropTag);
    ULONG t = type & ~(ULONG)MV_FLAG;
    ULONG stored = type == PT_UNICODE ? PT_STRING8 : type == PT_MV_UNICODE ? PT_MV_STRING8 : type;
    o = put_u32(o, PROP_TAG(stored, PROP_ID(v->ulPropTag)));
    if (!(type & MV_FLAG)) {
        if (t == PT_CLSID)
            return put_fixed(o, t, v->Value.lpguid);
        if (fixed_bytes(t) != 0)
            return put_fixed(o, t, &v->Value);
        return put_piece(o, t, &v->Value);
    }
    ULONG n = v->Value.MVl.cValues;
    size_t native = fm_props_mv_elem_size(type);
    o = put_u32(o, n);
    for (ULONG i = 0; i < n; i++) {
        const char *elem = mv_array(v) + (size_t)i * native;
        o = fixed_bytes(t) != 0 ? put_fixed(o, t, elem) : put_piece(o, t, elem);
    }
    return o;
}

HRESULT fm_propblob_encode(ULONG cValues, const SPropValue *lpProps, void **lppBlob,
                           size_t *lpcbBlob)
{
    if (lppBlob == NULL || lpcbBlob == NULL || (cValues > 0 && lpProps == NULL))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_propblob_encode: NULL argument");
    *lppBlob = NULL;
    *lpcbBlob = 0;
    uint64_t size;
    HRESULT hr = measure_all(cValues, lpProps, &size);
    if (hr != S_OK)
        return hr;
    /* One byte of slack for the NUL the UTF-16 converter writes. */
    unsigned char *blob = fm_malloc((size_t)size + 1);
    if (blob == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "no memory for a %llu-byte property blob",
                            (unsigned long long)size);
    unsigned char *o = blob;
    *o++ = BLOB_VERSION;
    o = put_u32(o, cValues);
    for (ULONG i = 0; i < cValues; i++)
        o = put_entry(o, &lpProps[i]);
    *lppBlob = blob;
    *lpcbBlob = (size_t)size;
    return S_OK;
}

/* ---- decoding: read and validate -------------------------------------------- */

typedef struct reader {
    const unsigned char *start;
    const unsigned char *p;
    const unsigned char *end;
} reader;

static HRESULT corrupt(const reader *r, const char *why)
{
    return fm_error_set(MAPI_E_CORRUPT_STORE, "corrupt property blob at byte %zu of %zu: %s",
                        (size_t)(r->p - r->start), (size_t)(r->end - r->start), why);
}

static size_t remaining(const reader *r)
{
    return (size_t)(r->end - r->p);
}

/* Takes n bytes, or fails without moving. */
static const unsigned char *take(reader *r, size_t n)
{
    if (remaining(r) < n)
        return NULL;
    const unsigned char *b = r->p;
    r->p += n;
    return b;
}

static HRESULT take_u32(reader *r, uint32_t *v, const char *what)
{
    const unsigned char *b = take(r, 4);
    if (b == NULL)
        return corrupt(r, what);
    *v = get_u32(b);
    return S_OK;
}

/* Skips one string or binary element; with check, also validates its bytes.
 * *need grows by the decoded data it takes. */
static HRESULT scan_piece(reader *r, ULONG t, int check, uint64_t *need)
{
    uint32_t len = 0;
    HRESULT hr = take_u32(r, &len, "truncated length");
    if (hr != S_OK)
        return hr;
    const unsigned char *b = take(r, len);
    if (b == NULL)
        return corrupt(r, "length runs past the end");
    if (t == PT_STRING8 && check) {
        if (memchr(b, 0, len) != NULL)
            return corrupt(r, "string contains a NUL");
        if (!fm_utf8_valid((const char *)b, len))
            return corrupt(r, "string is not valid UTF-8");
    }
    *need += FM_PROPS_ALIGN((uint64_t)len + (t == PT_STRING8));
    return S_OK;
}

static HRESULT scan_fixed(reader *r, ULONG t, uint32_t n, int check)
{
    const unsigned char *b = take(r, (size_t)n * fixed_bytes(t));
    if (b == NULL)
        return corrupt(r, "values run past the end");
    if (t == PT_BOOLEAN && check && get_u32(b) > 1)
        return corrupt(r, "boolean is neither 0 nor 1");
    return S_OK;
}

static HRESULT scan_mv(reader *r, ULONG type, int check, uint64_t *need)
{
    ULONG t = type & ~(ULONG)MV_FLAG;
    uint32_t n = 0;
    HRESULT hr = take_u32(r, &n, "truncated value count");
    if (hr != S_OK)
        return hr;
    size_t least = fixed_bytes(t) != 0 ? fixed_bytes(t) : LEN_BYTES;
    if (n > FM_MV_MAX_VALUES || n > remaining(r) / least)
        return corrupt(r, "value count larger than the blob can hold");
    *need += FM_PROPS_ALIGN((uint64_t)n * fm_props_mv_elem_size(type));
    if (fixed_bytes(t) != 0)
        return scan_fixed(r, t, n, check);
    for (uint32_t i = 0; i < n && hr == S_OK; i++)
        hr = scan_piece(r, t, check, need);
    return hr;
}

/* Skips one value of the given stored type (structure only, or everything
 * with check), adding its decoded data bytes to *need. */
static HRESULT scan_value(reader *r, ULONG type, int check, uint64_t *need)
{
    if (type & MV_FLAG)
        return scan_mv(r, type, check, need);
    if (type == PT_CLSID)
        *need += FM_PROPS_ALIGN(sizeof(GUID));
    if (fixed_bytes(type) != 0)
        return scan_fixed(r, type, 1, check);
    return scan_piece(r, type, check, need);
}

static HRESULT read_tag(reader *r, ULONG *tag)
{
    uint32_t v = 0;
    HRESULT hr = take_u32(r, &v, "truncated property tag");
    if (hr != S_OK)
        return hr;
    if (!stored_type_ok(PROP_TYPE(v))) {
        r->p -= 4;
        return corrupt(r, "unknown property type");
    }
    *tag = v;
    return S_OK;
}

static HRESULT read_header(reader *r, const void *blob, size_t cb, uint32_t *count)
{
    r->start = r->p = blob;
    r->end = r->p + cb;
    const unsigned char *b = take(r, HEADER_BYTES);
    if (b == NULL)
        return corrupt(r, "truncated header");
    if (b[0] != BLOB_VERSION) {
        r->p = r->start;
        return corrupt(r, "unknown format version");
    }
    *count = get_u32(b + 1);
    if (*count > remaining(r) / MIN_ENTRY_BYTES)
        return corrupt(r, "property count larger than the blob can hold");
    return S_OK;
}

/* Validates every entry and the blob's end; *need is the decoded data. */
static HRESULT scan_all(reader *r, uint32_t count, uint64_t *need)
{
    uint64_t seen[ID_WORDS] = { 0 };
    *need = 0;
    for (uint32_t i = 0; i < count; i++) {
        ULONG tag = 0;
        HRESULT hr = read_tag(r, &tag);
        if (hr != S_OK)
            return hr;
        if (id_seen(seen, PROP_ID(tag))) {
            r->p -= 4;
            return corrupt(r, "property ID appears twice");
        }
        hr = scan_value(r, PROP_TYPE(tag), 1, need);
        if (hr != S_OK)
            return hr;
    }
    if (r->p != r->end)
        return corrupt(r, "bytes after the last property");
    return S_OK;
}

/* ---- decoding: place -------------------------------------------------------- */

/* Moves the data cursor, which is NULL while find has nothing to place. */
static void advance(char **cursor, uint64_t n)
{
    if (n != 0)
        *cursor += n;
}

/* Reads one validated string or binary element into elem (an LPSTR or an
 * SBinary), its bytes at *cursor. */
static void place_piece(reader *r, ULONG t, void *elem, char **cursor)
{
    uint32_t len = get_u32(take(r, 4));
    const unsigned char *b = take(r, len);
    char *d = *cursor;
    if (len != 0)
        memcpy(d, b, len);
    if (t == PT_STRING8) {
        d[len] = '\0';
        *(LPSTR *)elem = d;
        advance(cursor, FM_PROPS_ALIGN((uint64_t)len + 1));
    } else {
        SBinary *bin = elem;
        bin->cb = len;
        bin->lpb = len != 0 ? (LPBYTE)d : NULL;
        advance(cursor, FM_PROPS_ALIGN(len));
    }
}

static void place_mv(reader *r, ULONG type, SPropValue *dst, char **cursor)
{
    ULONG t = type & ~(ULONG)MV_FLAG;
    uint32_t n = get_u32(take(r, 4));
    size_t native = fm_props_mv_elem_size(type);
    char *array = n != 0 ? *cursor : NULL;
    dst->Value.MVl.cValues = n;
    dst->Value.MVl.lpl = (LONG *)array;
    advance(cursor, FM_PROPS_ALIGN((uint64_t)n * native));
    for (uint32_t i = 0; i < n; i++) {
        char *elem = array + (size_t)i * native;
        if (fixed_bytes(t) != 0)
            get_fixed(take(r, fixed_bytes(t)), t, elem);
        else
            place_piece(r, t, elem, cursor);
    }
}

/* Reads one validated entry into dst, its data at *cursor. */
static void place_entry(reader *r, SPropValue *dst, char **cursor)
{
    ULONG tag = get_u32(take(r, 4));
    ULONG type = PROP_TYPE(tag);
    dst->ulPropTag = tag;
    dst->dwAlignPad = 0;
    memset(&dst->Value, 0, sizeof dst->Value);
    if (type & MV_FLAG)
        place_mv(r, type, dst, cursor);
    else if (type == PT_CLSID) {
        get_fixed(take(r, 16), type, *cursor);
        dst->Value.lpguid = (LPGUID)*cursor;
        advance(cursor, FM_PROPS_ALIGN(sizeof(GUID)));
    } else if (fixed_bytes(type) != 0)
        get_fixed(take(r, fixed_bytes(type)), type, &dst->Value);
    else
        place_piece(r, type, &dst->Value, cursor);
}

HRESULT fm_propblob_decode(const void *lpBlob, size_t cbBlob, void *parent, ULONG *lpcValues,
                           LPSPropValue *lppProps)
{
    if (lpcValues == NULL || lppProps == NULL || (lpBlob == NULL && cbBlob != 0))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_propblob_decode: NULL argument");
    *lpcValues = 0;
    *lppProps = NULL;
    if (cbBlob == 0)
        return S_OK;
    reader r;
    uint32_t count;
    uint64_t need;
    HRESULT hr = read_header(&r, lpBlob, cbBlob, &count);
    if (hr == S_OK)
        hr = scan_all(&r, count, &need);
    if (hr != S_OK || count == 0)
        return hr;
    uint64_t head = FM_PROPS_ALIGN((uint64_t)count * sizeof(SPropValue));
    if (head + need > SIZE_MAX)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "decoded property blob too large");
    SPropValue *props;
    SCODE sc = fm_alloc_mapi((size_t)(head + need), parent, (void **)&props);
    if (sc != S_OK)
        return sc;
    char *cursor = (char *)props + head;
    r.p = r.start + HEADER_BYTES;
    for (uint32_t i = 0; i < count; i++)
        place_entry(&r, &props[i], &cursor);
    *lpcValues = count;
    *lppProps = props;
    return S_OK;
}

/* ---- find ------------------------------------------------------------------- */

/* Validates and decodes the entry whose tag r has just read. */
static HRESULT find_decode(reader *r, ULONG tag, void *parent, SPropValue *lpProp)
{
    reader check = *r;
    uint64_t need = 0;
    HRESULT hr = scan_value(&check, PROP_TYPE(tag), 1, &need);
    if (hr != S_OK)
        return hr;
    char *data = NULL;
    if (need != 0) {
        SCODE sc = fm_alloc_mapi((size_t)need, parent, (void **)&data);
        if (sc != S_OK)
            return sc;
    }
    r->p -= 4;
    place_entry(r, lpProp, &data);
    return S_OK;
}

static HRESULT find_entry(const void *lpBlob, size_t cbBlob, ULONG ulPropId, void *parent,
                          SPropValue *lpProp)
{
    if (cbBlob == 0)
        return fm_error_set(MAPI_E_NOT_FOUND, "property ID 0x%04lX not in the (empty) blob",
                            (unsigned long)ulPropId);
    reader r;
    uint32_t count;
    HRESULT hr = read_header(&r, lpBlob, cbBlob, &count);
    for (uint32_t i = 0; hr == S_OK && i < count; i++) {
        ULONG tag = 0;
        uint64_t need = 0;
        hr = read_tag(&r, &tag);
        if (hr == S_OK && PROP_ID(tag) == ulPropId)
            return find_decode(&r, tag, parent, lpProp);
        if (hr == S_OK)
            hr = scan_value(&r, PROP_TYPE(tag), 0, &need);
    }
    if (hr != S_OK)
        return hr;
    if (r.p != r.end)
        return corrupt(&r, "bytes after the last property");
    return fm_error_set(MAPI_E_NOT_FOUND, "property ID 0x%04lX not in the blob",
                        (unsigned long)ulPropId);
}

/* On failure *lpProp reads as GetProps would report it: PT_ERROR, the code. */
HRESULT fm_propblob_find(const void *lpBlob, size_t cbBlob, ULONG ulPropId, void *parent,
                         SPropValue *lpProp)
{
    if (lpProp == NULL || parent == NULL || (lpBlob == NULL && cbBlob != 0))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_propblob_find: NULL argument");
    HRESULT hr = MAPI_E_INVALID_PARAMETER;
    if (ulPropId > 0xFFFF)
        fm_error_set(hr, "fm_propblob_find: 0x%08lX is not a property ID",
                     (unsigned long)ulPropId);
    else
        hr = find_entry(lpBlob, cbBlob, ulPropId, parent, lpProp);
    if (hr != S_OK) {
        lpProp->ulPropTag = PROP_TAG(PT_ERROR, ulPropId & 0xFFFF);
        lpProp->dwAlignPad = 0;
        lpProp->Value.err = hr;
    }
    return hr;
}
