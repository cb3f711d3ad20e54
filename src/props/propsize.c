/*
 * props/propsize.c - UlPropSize: the bytes of one property value, not
 * counting the SPropValue around it. Strings count their terminating NUL;
 * multi-valued properties count every value (for strings and binaries the
 * data, not the pointer array). Unknown types and NULL give 0.
 */
#include <string.h>

#include "core/text.h"
#include "mapiutil.h"
#include "props/propvalue.h"

static ULONG scalar_size(ULONG type)
{
    switch (type) {
    case PT_I2: return sizeof(short int);
    case PT_BOOLEAN: return sizeof(unsigned short int);
    case PT_LONG:
    case PT_R4:
    case PT_ERROR: return 4;
    case PT_DOUBLE:
    case PT_CURRENCY:
    case PT_APPTIME:
    case PT_I8:
    case PT_SYSTIME: return 8;
    case PT_CLSID: return sizeof(GUID);
    case PT_NULL:
    case PT_OBJECT: return sizeof(LONG);
    default: return 0;
    }
}

static ULONG mv_size(const SPropValue *v, ULONG type)
{
    ULONG n = v->Value.MVl.cValues;
    uint64_t total = 0;
    if (n != 0 && v->Value.MVl.lpl == NULL)
        return 0;
    for (ULONG i = 0; i < n; i++) {
        if (type == PT_MV_STRING8)
            total += v->Value.MVszA.lppszA[i] ? strlen(v->Value.MVszA.lppszA[i]) + 1 : 0;
        else if (type == PT_MV_UNICODE)
            total += v->Value.MVszW.lppszW[i]
                         ? (fm_utf16_len(v->Value.MVszW.lppszW[i]) + 1) * sizeof(WCHAR)
                         : 0;
        else if (type == PT_MV_BINARY)
            total += v->Value.MVbin.lpbin[i].cb;
        else
            total += fm_props_mv_elem_size(type);
    }
    return total > UINT32_MAX ? UINT32_MAX : (ULONG)total;
}

STDAPI_(ULONG) UlPropSize(LPSPropValue lpSPropValue)
{
    if (lpSPropValue == NULL)
        return 0;
    ULONG type = fm_props_value_type(lpSPropValue->ulPropTag);
    switch (type) {
    case PT_STRING8:
        return lpSPropValue->Value.lpszA ? (ULONG)strlen(lpSPropValue->Value.lpszA) + 1 : 0;
    case PT_UNICODE:
        return lpSPropValue->Value.lpszW
                   ? (ULONG)((fm_utf16_len(lpSPropValue->Value.lpszW) + 1) * sizeof(WCHAR))
                   : 0;
    case PT_BINARY: return lpSPropValue->Value.bin.cb;
    default:
        if (fm_props_mv_elem_size(type) != 0)
            return mv_size(lpSPropValue, type);
        return scalar_size(type);
    }
}
