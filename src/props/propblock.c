/*
 * props/propblock.c - ScCountProps, ScCopyProps and ScDupPropset: a property
 * array and everything it points to, laid out in one contiguous block.
 *
 * Layout: the SPropValue array first, then each value's data in array
 * order, every piece starting on an 8-byte boundary (see propvalue.h).
 * ScRelocProps (propreloc.c) moves such a block.
 */
#include "core/error.h"
#include "mapicode.h"
#include "mapiutil.h"
#include "props/propvalue.h"

/* Validates the array as ScCountProps documents and totals its block size. */
static HRESULT block_size(const char *fn, int cValues, const SPropValue *lpPropArray,
                          uint64_t *total)
{
    if (cValues < 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: negative count %d", fn, cValues);
    if (cValues > 0 && lpPropArray == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: property array is NULL", fn);
    *total = (uint64_t)cValues * sizeof(SPropValue);
    for (int i = 0; i < cValues; i++) {
        ULONG id = PROP_ID(lpPropArray[i].ulPropTag);
        if (id == PROP_ID_NULL || id == PROP_ID_INVALID)
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "%s: property %d has identifier 0x%04lX (PROP_ID_NULL or "
                                "PROP_ID_INVALID)",
                                fn, i, (unsigned long)id);
        uint64_t extra;
        HRESULT hr = fm_props_value_extra(&lpPropArray[i], 1, &extra);
        if (hr != S_OK)
            return hr;
        *total += extra;
    }
    if (*total > UINT32_MAX)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: block of %llu bytes is too large", fn,
                            (unsigned long long)*total);
    return S_OK;
}

STDAPI_(SCODE) ScCountProps(int cValues, LPSPropValue lpPropArray, ULONG *lpcb)
{
    uint64_t total;
    HRESULT hr = block_size("ScCountProps", cValues, lpPropArray, &total);
    if (hr == S_OK && lpcb != NULL)
        *lpcb = (ULONG)total;
    return hr;
}

/* Lays the array into dst; the array must have passed block_size. */
static void lay_out(int cValues, const SPropValue *src, void *dst)
{
    SPropValue *out = dst;
    char *cursor = (char *)dst + (size_t)cValues * sizeof(SPropValue);
    for (int i = 0; i < cValues; i++)
        fm_props_value_place(&out[i], &src[i], &cursor);
}

STDAPI_(SCODE) ScCopyProps(int cValues, LPSPropValue lpPropArray, LPVOID lpvDst, ULONG *lpcb)
{
    uint64_t total;
    HRESULT hr = block_size("ScCopyProps", cValues, lpPropArray, &total);
    if (hr != S_OK)
        return hr;
    if (lpvDst == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ScCopyProps: lpvDst is NULL");
    lay_out(cValues, lpPropArray, lpvDst);
    if (lpcb != NULL)
        *lpcb = (ULONG)total;
    return S_OK;
}

STDAPI_(SCODE)
ScDupPropset(int cValues, LPSPropValue lpPropArray, LPALLOCATEBUFFER lpAllocateBuffer,
             LPSPropValue *lppPropArray)
{
    if (lppPropArray == NULL || lpAllocateBuffer == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "ScDupPropset: lpAllocateBuffer and lppPropArray must not be NULL");
    *lppPropArray = NULL;
    uint64_t total;
    HRESULT hr = block_size("ScDupPropset", cValues, lpPropArray, &total);
    if (hr != S_OK)
        return hr;
    void *block = NULL;
    SCODE sc = lpAllocateBuffer((ULONG)total, &block);
    if (sc != S_OK)
        return fm_error_set(sc, "ScDupPropset: cannot allocate %llu bytes",
                            (unsigned long long)total);
    lay_out(cValues, lpPropArray, block);
    *lppPropArray = block;
    return S_OK;
}
