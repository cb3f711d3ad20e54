/*
 * oab/encode.c - the value encodings of [MS-OXOAB] 2.9.5 (OAB_V4_REC data)
 * and the record around them:
 *   PtypInteger32  one byte when <= 0x7F, else 0x80 | n followed by the n
 *                  (1..4) low-order bytes, little-endian;
 *   PtypBoolean    one byte, 0 or 1;
 *   PtypString8, PtypString   the UTF-8 bytes and a terminating NUL;
 *   PtypBinary     the byte count as an integer above, then the bytes;
 *   multi-valued   the value count as an integer above, then each value.
 * A record is cbSize (4 bytes, itself included), the presence bit array
 * (one bit per column, the first column in the most significant bit of the
 * first byte, unused bits 0) and the present values in column order.
 * Every write checks the buffer's fixed capacity: a record that does not
 * fit fails with MAPI_E_TOO_BIG instead of growing memory.
 */
#include <string.h>

#include "core/error.h"
#include "core/text.h"
#include "mapicode.h"
#include "oab/oab.h"

static HRESULT too_big(const fm_oab_buf *b)
{
    return fm_error_set(MAPI_E_TOO_BIG,
                        "offline address book: a record is larger than cbRecordMax (%zu bytes)",
                        b->cap);
}

HRESULT fm_oab_encode_int(fm_oab_buf *b, uint32_t v)
{
    size_t n = v <= 0x7Fu ? 0 : v <= 0xFFu ? 1 : v <= 0xFFFFu ? 2 : v <= 0xFFFFFFu ? 3 : 4;
    BYTE *p = fm_oab_buf_take(b, n + 1);
    if (!p)
        return too_big(b);
    if (n == 0) {
        p[0] = (BYTE)v;
        return S_OK;
    }
    p[0] = (BYTE)(0x80u | n);
    for (size_t i = 0; i < n; i++)
        p[1 + i] = (BYTE)(v >> (8 * i));
    return S_OK;
}

static HRESULT put_bytes(fm_oab_buf *b, const void *data, size_t n)
{
    BYTE *p = fm_oab_buf_take(b, n);
    if (!p)
        return too_big(b);
    if (n)
        memcpy(p, data, n);
    return S_OK;
}

static HRESULT put_utf8(fm_oab_buf *b, const char *s)
{
    if (!s)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "offline address book: a NULL string value");
    size_t n = strlen(s);
    if (!fm_utf8_valid(s, n))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "offline address book: a PT_STRING8 value is not valid UTF-8");
    return put_bytes(b, s, n + 1);
}

/* Converts straight into the record: at most 3 bytes per UTF-16 unit. */
static HRESULT put_utf16(fm_oab_buf *b, const WCHAR *s)
{
    if (!s)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "offline address book: a NULL string value");
    size_t n = fm_utf16_len(s);
    if (!fm_utf16_valid(s, n))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "offline address book: a PT_UNICODE value is not valid UTF-16");
    if (n > (b->cap - b->len) / 3)
        return too_big(b);
    size_t w = fm_utf16_to_utf8_into(s, n, (char *)b->data + b->len);
    b->len += w + 1;
    return S_OK;
}

static HRESULT put_string(fm_oab_buf *b, ULONG vtype, const void *s)
{
    return vtype == PT_UNICODE ? put_utf16(b, s) : put_utf8(b, s);
}

static HRESULT put_binary(fm_oab_buf *b, const SBinary *bin)
{
    if (bin->cb && !bin->lpb)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "offline address book: a binary value has no bytes");
    HRESULT hr = fm_oab_encode_int(b, bin->cb);
    return FAILED(hr) ? hr : put_bytes(b, bin->lpb, bin->cb);
}

static HRESULT put_mv(fm_oab_buf *b, ULONG vtype, const SPropValue *v)
{
    ULONG count = v->Value.MVl.cValues; /* every MV array starts with cValues */
    HRESULT hr = fm_oab_encode_int(b, count);
    for (ULONG i = 0; SUCCEEDED(hr) && i < count; i++) {
        switch (vtype) {
        case PT_MV_LONG:
            hr = fm_oab_encode_int(b, (uint32_t)v->Value.MVl.lpl[i]);
            break;
        case PT_MV_STRING8:
            hr = put_utf8(b, v->Value.MVszA.lppszA[i]);
            break;
        case PT_MV_UNICODE:
            hr = put_utf16(b, v->Value.MVszW.lppszW[i]);
            break;
        default:
            hr = put_binary(b, &v->Value.MVbin.lpbin[i]);
            break;
        }
    }
    return hr;
}

static bool mv_array_missing(const SPropValue *v)
{
    return v->Value.MVl.cValues != 0 && v->Value.MVl.lpl == NULL;
}

HRESULT fm_oab_encode_value(fm_oab_buf *b, ULONG ctype, const SPropValue *v)
{
    ULONG vtype = PROP_TYPE(v->ulPropTag);
    (void)ctype; /* strings of either width are written the same way */
    switch (vtype) {
    case PT_LONG:
        return fm_oab_encode_int(b, (uint32_t)v->Value.l);
    case PT_BOOLEAN: {
        BYTE one = v->Value.b ? 1 : 0;
        return put_bytes(b, &one, 1);
    }
    case PT_STRING8:
    case PT_UNICODE:
        return put_string(b, vtype, vtype == PT_UNICODE ? (const void *)v->Value.lpszW
                                                         : (const void *)v->Value.lpszA);
    case PT_BINARY:
        return put_binary(b, &v->Value.bin);
    default:
        if (mv_array_missing(v))
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "offline address book: a multi-valued value has no array");
        return put_mv(b, vtype, v);
    }
}

HRESULT fm_oab_encode_record(fm_oab_buf *b, const fm_oab_schema *s, const SPropValue *const *vals)
{
    b->len = 0;
    size_t nbits = (s->cProps + 7) / 8;
    BYTE *head = fm_oab_buf_take(b, 4 + nbits);
    if (!head)
        return too_big(b);
    memset(head, 0, 4 + nbits);
    for (ULONG i = 0; i < s->cProps; i++) {
        if (!vals[i])
            continue;
        b->data[4 + i / 8] |= (BYTE)(0x80u >> (i % 8));
        HRESULT hr = fm_oab_encode_value(b, PROP_TYPE(s->props[i].ulPropTag), vals[i]);
        if (FAILED(hr))
            return hr;
    }
    if (b->len > 0xFFFFFFFFu)
        return too_big(b);
    fm_oab_put32(b->data, (uint32_t)b->len);
    return S_OK;
}
