/*
 * props/propvalue.c - the type table and block layout shared by every
 * function that measures or copies property values (see propvalue.h).
 */
#include <string.h>

#include "core/error.h"
#include "core/limits.h"
#include "core/text.h"
#include "mapicode.h"
#include "props/propvalue.h"

ULONG fm_props_value_type(ULONG ulPropTag)
{
    ULONG type = PROP_TYPE(ulPropTag);
    if ((type & MVI_FLAG) == MVI_FLAG)
        type &= ~(ULONG)MVI_FLAG;
    return type;
}

size_t fm_props_mv_elem_size(ULONG type)
{
    switch (type) {
    case PT_MV_I2: return sizeof(short int);
    case PT_MV_LONG: return sizeof(LONG);
    case PT_MV_R4: return sizeof(float);
    case PT_MV_DOUBLE: return sizeof(double);
    case PT_MV_CURRENCY: return sizeof(CURRENCY);
    case PT_MV_APPTIME: return sizeof(double);
    case PT_MV_SYSTIME: return sizeof(FILETIME);
    case PT_MV_I8: return sizeof(LARGE_INTEGER);
    case PT_MV_CLSID: return sizeof(GUID);
    case PT_MV_STRING8: return sizeof(LPSTR);
    case PT_MV_UNICODE: return sizeof(LPWSTR);
    case PT_MV_BINARY: return sizeof(SBinary);
    default: return 0;
    }
}

int fm_props_type_known(ULONG type)
{
    switch (type) {
    case PT_NULL:
    case PT_I2:
    case PT_LONG:
    case PT_R4:
    case PT_DOUBLE:
    case PT_CURRENCY:
    case PT_APPTIME:
    case PT_ERROR:
    case PT_BOOLEAN:
    case PT_OBJECT:
    case PT_I8:
    case PT_STRING8:
    case PT_UNICODE:
    case PT_SYSTIME:
    case PT_CLSID:
    case PT_BINARY: return 1;
    default: return fm_props_mv_elem_size(type) != 0;
    }
}

int fm_props_string_width(ULONG type)
{
    switch (type) {
    case PT_STRING8:
    case PT_MV_STRING8: return 1;
    case PT_UNICODE:
    case PT_MV_UNICODE: return 2;
    default: return 0;
    }
}

static HRESULT bad_value(ULONG tag, const char *why)
{
    return fm_error_set(MAPI_E_INVALID_PARAMETER, "property 0x%08lX: %s", (unsigned long)tag, why);
}

/* Bytes of the per-element data of an MV string or binary array. */
static HRESULT mv_pieces(const SPropValue *v, ULONG type, ULONG n, uint64_t *bytes)
{
    for (ULONG i = 0; i < n; i++) {
        if (type == PT_MV_STRING8) {
            const char *s = v->Value.MVszA.lppszA[i];
            if (s == NULL)
                return bad_value(v->ulPropTag, "NULL string in a multi-valued property");
            *bytes += FM_PROPS_ALIGN(strlen(s) + 1);
        } else if (type == PT_MV_UNICODE) {
            const WCHAR *w = v->Value.MVszW.lppszW[i];
            if (w == NULL)
                return bad_value(v->ulPropTag, "NULL string in a multi-valued property");
            *bytes += FM_PROPS_ALIGN((fm_utf16_len(w) + 1) * sizeof(WCHAR));
        } else if (type == PT_MV_BINARY) {
            const SBinary *b = &v->Value.MVbin.lpbin[i];
            if (b->cb != 0 && b->lpb == NULL)
                return bad_value(v->ulPropTag, "binary value with cb > 0 and lpb NULL");
            *bytes += FM_PROPS_ALIGN(b->cb);
        }
    }
    return S_OK;
}

static HRESULT mv_extra(const SPropValue *v, ULONG type, int strict, uint64_t *bytes)
{
    /* Every S*Array starts { ULONG cValues; T *p; }, so MVl reads the count. */
    ULONG n = v->Value.MVl.cValues;
    if (n == 0) {
        if (strict)
            return bad_value(v->ulPropTag, "multi-valued property with no values");
        return S_OK;
    }
    if (n > FM_MV_MAX_VALUES)
        return bad_value(v->ulPropTag, "more values than FM_MV_MAX_VALUES");
    if (v->Value.MVl.lpl == NULL)
        return bad_value(v->ulPropTag, "multi-valued property with a NULL array");
    *bytes += FM_PROPS_ALIGN((uint64_t)n * fm_props_mv_elem_size(type));
    return mv_pieces(v, type, n, bytes);
}

HRESULT fm_props_value_extra(const SPropValue *v, int strict, uint64_t *bytes)
{
    ULONG type = fm_props_value_type(v->ulPropTag);
    *bytes = 0;
    switch (type) {
    case PT_STRING8:
        if (v->Value.lpszA == NULL)
            return bad_value(v->ulPropTag, "PT_STRING8 value is NULL");
        *bytes = FM_PROPS_ALIGN(strlen(v->Value.lpszA) + 1);
        return S_OK;
    case PT_UNICODE:
        if (v->Value.lpszW == NULL)
            return bad_value(v->ulPropTag, "PT_UNICODE value is NULL");
        *bytes = FM_PROPS_ALIGN((fm_utf16_len(v->Value.lpszW) + 1) * sizeof(WCHAR));
        return S_OK;
    case PT_BINARY:
        if (v->Value.bin.cb != 0 && v->Value.bin.lpb == NULL)
            return bad_value(v->ulPropTag, "PT_BINARY with cb > 0 and lpb NULL");
        *bytes = FM_PROPS_ALIGN(v->Value.bin.cb);
        return S_OK;
    case PT_CLSID:
        if (v->Value.lpguid == NULL)
            return bad_value(v->ulPropTag, "PT_CLSID value is NULL");
        *bytes = FM_PROPS_ALIGN(sizeof(GUID));
        return S_OK;
    default:
        if (fm_props_mv_elem_size(type) != 0)
            return mv_extra(v, type, strict, bytes);
        if (fm_props_type_known(type))
            return S_OK;
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "property 0x%08lX: unknown type 0x%04lX",
                            (unsigned long)v->ulPropTag, (unsigned long)type);
    }
}

/* Copies n bytes to *cursor and returns where they went; advances by the
 * aligned size. */
static void *put(char **cursor, const void *src, size_t n)
{
    void *at = *cursor;
    memcpy(at, src, n);
    *cursor += FM_PROPS_ALIGN(n);
    return at;
}

static void place_mv(SPropValue *v, ULONG type, char **cursor)
{
    ULONG n = v->Value.MVl.cValues;
    if (n == 0) {
        v->Value.MVl.lpl = NULL;
        return;
    }
    size_t elem = fm_props_mv_elem_size(type);
    /* The array is copied first; its string/binary pointers still point at
     * the source and are replaced one by one below. */
    void *arr = put(cursor, v->Value.MVl.lpl, (size_t)n * elem);
    v->Value.MVl.lpl = arr;
    for (ULONG i = 0; i < n; i++) {
        if (type == PT_MV_STRING8) {
            LPSTR *a = arr;
            a[i] = put(cursor, a[i], strlen(a[i]) + 1);
        } else if (type == PT_MV_UNICODE) {
            LPWSTR *a = arr;
            a[i] = put(cursor, a[i], (fm_utf16_len(a[i]) + 1) * sizeof(WCHAR));
        } else if (type == PT_MV_BINARY) {
            SBinary *a = arr;
            a[i].lpb = a[i].cb ? put(cursor, a[i].lpb, a[i].cb) : NULL;
        }
    }
}

void fm_props_value_place(SPropValue *dst, const SPropValue *src, char **cursor)
{
    SPropValue v = *src;
    ULONG type = fm_props_value_type(v.ulPropTag);
    switch (type) {
    case PT_STRING8: v.Value.lpszA = put(cursor, v.Value.lpszA, strlen(v.Value.lpszA) + 1); break;
    case PT_UNICODE:
        v.Value.lpszW =
            put(cursor, v.Value.lpszW, (fm_utf16_len(v.Value.lpszW) + 1) * sizeof(WCHAR));
        break;
    case PT_BINARY:
        v.Value.bin.lpb = v.Value.bin.cb ? put(cursor, v.Value.bin.lpb, v.Value.bin.cb) : NULL;
        break;
    case PT_CLSID: v.Value.lpguid = put(cursor, v.Value.lpguid, sizeof(GUID)); break;
    default:
        if (fm_props_mv_elem_size(type) != 0)
            place_mv(&v, type, cursor);
        break;
    }
    *dst = v;
}
