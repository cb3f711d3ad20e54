/*
 * rop/rop_props.c - PropertyValue, TaggedPropertyValue, TypedPropertyValue,
 * FlaggedPropertyValue and PropertyRow encodings of [MS-OXCDATA] 2.8-2.11
 * (rop_props.h).
 */
#include <string.h>

#include "mapicode.h"
#include "mapix.h"
#include "rop/rop_props.h"

/* The fixed width of a scalar type on the wire, or 0 for a variable one. */
static size_t type_width(ULONG type)
{
    switch (type) {
    case PT_I2: return 2;
    case PT_LONG: case PT_R4: case PT_ERROR: return 4;
    case PT_DOUBLE: case PT_CURRENCY: case PT_APPTIME: case PT_I8: case PT_SYSTIME: return 8;
    case PT_BOOLEAN: return 1;
    case PT_CLSID: return 16;
    default: return 0;
    }
}

bool fm_rop_type_known(ULONG type)
{
    ULONG base = type & ~(ULONG)MV_FLAG;

    if (type & MV_FLAG)
        return base == PT_I2 || base == PT_LONG || base == PT_R4 || base == PT_DOUBLE ||
               base == PT_CURRENCY || base == PT_APPTIME || base == PT_I8 ||
               base == PT_SYSTIME || base == PT_CLSID || base == PT_STRING8 ||
               base == PT_UNICODE || base == PT_BINARY;
    return type_width(type) || type == PT_STRING8 || type == PT_UNICODE || type == PT_BINARY ||
           type == PT_NULL;
}

/* ---- encoding ----------------------------------------------------------------- */
static void put_scalar(fm_rop_writer *w, ULONG type, const void *p)
{
    uint64_t q;
    uint32_t d;

    switch (type) {
    case PT_I2: fm_rop_put_u16(w, (uint16_t)*(const short *)p); break;
    case PT_LONG: case PT_ERROR: fm_rop_put_u32(w, *(const uint32_t *)p); break;
    case PT_R4: memcpy(&d, p, 4); fm_rop_put_u32(w, d); break;
    case PT_DOUBLE: case PT_APPTIME: case PT_CURRENCY: case PT_I8:
        memcpy(&q, p, 8);
        fm_rop_put_u64(w, q);
        break;
    case PT_SYSTIME: {
        const FILETIME *ft = p;
        fm_rop_put_u32(w, ft->dwLowDateTime);
        fm_rop_put_u32(w, ft->dwHighDateTime);
        break;
    }
    case PT_BOOLEAN: fm_rop_put_u8(w, *(const unsigned short *)p ? 1 : 0); break;
    case PT_CLSID: {
        const GUID *g = p;
        fm_rop_put_u32(w, g->Data1);
        fm_rop_put_u16(w, g->Data2);
        fm_rop_put_u16(w, g->Data3);
        fm_rop_put_bytes(w, g->Data4, 8);
        break;
    }
    }
}

static void put_string8(fm_rop_writer *w, const char *s)
{
    fm_rop_put_bytes(w, s ? s : "", (s ? strlen(s) : 0) + 1);
}

static void put_unicode(fm_rop_writer *w, const WCHAR *s)
{
    for (; s && *s; s++)
        fm_rop_put_u16(w, (uint16_t)*s);
    fm_rop_put_u16(w, 0);
}

static void put_binary(fm_rop_writer *w, const SBinary *b)
{
    /* 16-bit count in ROP buffers: a longer value cannot be carried here
     * (the client reads it through a stream); the writer is marked full. */
    if (b->cb > 0xFFFF) {
        w->oom = true;
        return;
    }
    fm_rop_put_u16(w, (uint16_t)b->cb);
    fm_rop_put_bytes(w, b->lpb, b->cb);
}

void fm_rop_put_value(fm_rop_writer *w, ULONG tag, const SPropValue *v)
{
    ULONG type = PROP_TYPE(tag), base = type & ~(ULONG)MV_FLAG, i, n;
    const __UPV *pv = &v->Value;

    if (!(type & MV_FLAG)) {
        if (type == PT_STRING8)
            put_string8(w, pv->lpszA);
        else if (type == PT_UNICODE)
            put_unicode(w, pv->lpszW);
        else if (type == PT_BINARY)
            put_binary(w, &pv->bin);
        else if (type == PT_CLSID)
            put_scalar(w, type, pv->lpguid);
        else if (type != PT_NULL)
            put_scalar(w, type, pv);
        return;
    }
    n = pv->MVl.cValues; /* every MV array starts with its count */
    fm_rop_put_u32(w, n);
    for (i = 0; i < n; i++) {
        switch (base) {
        case PT_I2: put_scalar(w, base, &pv->MVi.lpi[i]); break;
        case PT_LONG: put_scalar(w, base, &pv->MVl.lpl[i]); break;
        case PT_R4: put_scalar(w, base, &pv->MVflt.lpflt[i]); break;
        case PT_DOUBLE: put_scalar(w, base, &pv->MVdbl.lpdbl[i]); break;
        case PT_CURRENCY: put_scalar(w, base, &pv->MVcur.lpcur[i]); break;
        case PT_APPTIME: put_scalar(w, base, &pv->MVat.lpat[i]); break;
        case PT_I8: put_scalar(w, base, &pv->MVli.lpli[i]); break;
        case PT_SYSTIME: put_scalar(w, base, &pv->MVft.lpft[i]); break;
        case PT_CLSID: put_scalar(w, base, &pv->MVguid.lpguid[i]); break;
        case PT_STRING8: put_string8(w, pv->MVszA.lppszA[i]); break;
        case PT_UNICODE: put_unicode(w, pv->MVszW.lppszW[i]); break;
        case PT_BINARY: put_binary(w, &pv->MVbin.lpbin[i]); break;
        }
    }
}

void fm_rop_put_row(fm_rop_writer *w, const SPropTagArray *cols, const SPropValue *vals)
{
    bool flagged = false;
    ULONG i;

    for (i = 0; i < cols->cValues; i++) {
        ULONG want = PROP_TYPE(cols->aulPropTag[i]);
        if (PROP_TYPE(vals[i].ulPropTag) == PT_ERROR && want != PT_ERROR)
            flagged = true;
    }
    fm_rop_put_u8(w, flagged ? 0x01 : 0x00);
    for (i = 0; i < cols->cValues; i++) {
        ULONG want = PROP_TYPE(cols->aulPropTag[i]), got = PROP_TYPE(vals[i].ulPropTag);

        if (flagged) {
            if (got == PT_ERROR && want != PT_ERROR) {
                bool missing = vals[i].Value.err == MAPI_E_NOT_FOUND;
                fm_rop_put_u8(w, missing ? 0x01 : 0x0A);
                if (!missing)
                    fm_rop_put_u32(w, (uint32_t)vals[i].Value.err);
                continue;
            }
            fm_rop_put_u8(w, 0x00);
        }
        if (want == PT_UNSPECIFIED) { /* TypedPropertyValue: the type first */
            fm_rop_put_u16(w, (uint16_t)got);
            fm_rop_put_value(w, vals[i].ulPropTag, &vals[i]);
        } else {
            fm_rop_put_value(w, vals[i].ulPropTag, &vals[i]);
        }
    }
}

/* ---- decoding ----------------------------------------------------------------- */
static HRESULT more(void *parent, size_t n, void **out)
{
    if (n > 0xFFFFFFFFu)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    return MAPIAllocateMore((ULONG)(n ? n : 1), parent, out);
}

static void get_scalar(fm_rop_reader *r, ULONG type, void *p)
{
    uint64_t q;
    uint32_t d;

    switch (type) {
    case PT_I2: *(short *)p = (short)fm_rop_get_u16(r); break;
    case PT_LONG: case PT_ERROR: *(uint32_t *)p = fm_rop_get_u32(r); break;
    case PT_R4: d = fm_rop_get_u32(r); memcpy(p, &d, 4); break;
    case PT_DOUBLE: case PT_APPTIME: case PT_CURRENCY: case PT_I8:
        q = fm_rop_get_u64(r);
        memcpy(p, &q, 8);
        break;
    case PT_SYSTIME: {
        FILETIME *ft = p;
        ft->dwLowDateTime = fm_rop_get_u32(r);
        ft->dwHighDateTime = fm_rop_get_u32(r);
        break;
    }
    case PT_BOOLEAN: *(unsigned short *)p = fm_rop_get_u8(r) ? 1 : 0; break;
    case PT_CLSID: {
        GUID *g = p;
        const uint8_t *b;
        g->Data1 = fm_rop_get_u32(r);
        g->Data2 = fm_rop_get_u16(r);
        g->Data3 = fm_rop_get_u16(r);
        b = fm_rop_get_bytes(r, 8);
        if (b)
            memcpy(g->Data4, b, 8);
        break;
    }
    }
}

static HRESULT get_string8(fm_rop_reader *r, void *parent, LPSTR *out)
{
    size_t n = 0, left = fm_rop_reader_left(r);
    const uint8_t *p = r->p + r->pos;
    HRESULT hr;

    while (n < left && p[n])
        n++;
    if (n == left) {
        r->bad = true;
        return S_OK;
    }
    hr = more(parent, n + 1, (void **)out);
    if (FAILED(hr))
        return hr;
    memcpy(*out, fm_rop_get_bytes(r, n + 1), n + 1);
    return S_OK;
}

static HRESULT get_unicode(fm_rop_reader *r, void *parent, LPWSTR *out)
{
    size_t n = 0, left = fm_rop_reader_left(r) / 2, i;
    const uint8_t *p = r->p + r->pos;
    HRESULT hr;

    while (n < left && (p[2 * n] | p[2 * n + 1]))
        n++;
    if (n == left) {
        r->bad = true;
        return S_OK;
    }
    hr = more(parent, (n + 1) * sizeof(WCHAR), (void **)out);
    if (FAILED(hr))
        return hr;
    for (i = 0; i <= n; i++)
        (*out)[i] = (WCHAR)fm_rop_get_u16(r);
    return S_OK;
}

static HRESULT get_binary(fm_rop_reader *r, void *parent, SBinary *b)
{
    uint16_t n = fm_rop_get_u16(r);
    const uint8_t *p = fm_rop_get_bytes(r, n);
    HRESULT hr;

    if (!p)
        return S_OK;
    hr = more(parent, n, (void **)&b->lpb);
    if (FAILED(hr))
        return hr;
    memcpy(b->lpb, p, n);
    b->cb = n;
    return S_OK;
}

/* The element size of an MV array's values in memory. */
static size_t mv_elem(ULONG base)
{
    switch (base) {
    case PT_I2: return sizeof(short);
    case PT_LONG: return sizeof(LONG);
    case PT_R4: return sizeof(float);
    case PT_DOUBLE: case PT_APPTIME: return sizeof(double);
    case PT_CURRENCY: return sizeof(CURRENCY);
    case PT_I8: return sizeof(LARGE_INTEGER);
    case PT_SYSTIME: return sizeof(FILETIME);
    case PT_CLSID: return sizeof(GUID);
    case PT_STRING8: return sizeof(LPSTR);
    case PT_UNICODE: return sizeof(LPWSTR);
    case PT_BINARY: return sizeof(SBinary);
    default: return 0;
    }
}

static HRESULT get_mv(fm_rop_reader *r, ULONG base, void *parent, SPropValue *v)
{
    uint32_t n = fm_rop_get_u32(r), i;
    size_t elem = mv_elem(base), width = type_width(base);
    uint8_t *arr;
    HRESULT hr;

    /* Each value takes at least one byte (two for strings and binaries),
     * so a count beyond what is left is malformed before anything is
     * allocated. */
    if (r->bad || n > fm_rop_reader_left(r) / (width ? width : (base == PT_STRING8 ? 1 : 2))) {
        r->bad = true;
        return S_OK;
    }
    hr = more(parent, (size_t)n * elem, (void **)&arr);
    if (FAILED(hr))
        return hr;
    memset(arr, 0, (size_t)n * elem);
    for (i = 0; i < n && !r->bad; i++) {
        void *at = arr + (size_t)i * elem;
        if (base == PT_STRING8)
            hr = get_string8(r, parent, (LPSTR *)at);
        else if (base == PT_UNICODE)
            hr = get_unicode(r, parent, (LPWSTR *)at);
        else if (base == PT_BINARY)
            hr = get_binary(r, parent, (SBinary *)at);
        else
            get_scalar(r, base, at);
        if (FAILED(hr))
            return hr;
    }
    v->Value.MVl.cValues = n;
    v->Value.MVl.lpl = (LONG *)(void *)arr;
    return S_OK;
}

HRESULT fm_rop_get_value(fm_rop_reader *r, ULONG tag, void *parent, SPropValue *v)
{
    ULONG type = PROP_TYPE(tag);

    memset(v, 0, sizeof(*v));
    v->ulPropTag = tag;
    if (!fm_rop_type_known(type)) {
        r->bad = true;
        return S_OK;
    }
    if (type & MV_FLAG)
        return get_mv(r, type & ~(ULONG)MV_FLAG, parent, v);
    if (type == PT_STRING8)
        return get_string8(r, parent, &v->Value.lpszA);
    if (type == PT_UNICODE)
        return get_unicode(r, parent, &v->Value.lpszW);
    if (type == PT_BINARY)
        return get_binary(r, parent, &v->Value.bin);
    if (type == PT_CLSID) {
        HRESULT hr = more(parent, sizeof(GUID), (void **)&v->Value.lpguid);
        if (FAILED(hr))
            return hr;
        get_scalar(r, type, v->Value.lpguid);
        return S_OK;
    }
    if (type != PT_NULL)
        get_scalar(r, type, &v->Value);
    return S_OK;
}

HRESULT fm_rop_get_tagged(fm_rop_reader *r, void *parent, SPropValue *v)
{
    ULONG tag = fm_rop_get_u32(r); /* PropertyTag (2.9): type in the low word */

    if (r->bad)
        return S_OK;
    return fm_rop_get_value(r, tag, parent, v);
}

HRESULT fm_rop_get_row(fm_rop_reader *r, const ULONG *tags, ULONG n, void *parent,
                       SPropValue *vals)
{
    uint8_t flag = fm_rop_get_u8(r);
    ULONG i;

    if (flag > 0x01)
        r->bad = true;
    for (i = 0; i < n && !r->bad; i++) {
        ULONG tag = tags[i];
        HRESULT hr;

        if (flag) {
            uint8_t f = fm_rop_get_u8(r);
            if (f == 0x01 || f == 0x0A) { /* not found / a PtypErrorCode */
                vals[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tag));
                vals[i].Value.err = f == 0x01 ? MAPI_E_NOT_FOUND : (SCODE)fm_rop_get_u32(r);
                continue;
            }
            if (f != 0x00) {
                r->bad = true;
                break;
            }
        }
        if (PROP_TYPE(tag) == PT_UNSPECIFIED) /* TypedPropertyValue: the type first */
            tag = PROP_TAG(fm_rop_get_u16(r), PROP_ID(tag));
        hr = fm_rop_get_value(r, tag, parent, &vals[i]);
        if (FAILED(hr))
            return hr;
    }
    return S_OK;
}
