/*
 * table/addcolumns.c - HrAddColumns and HrAddColumnsEx: put a list of
 * columns at the front of a table's column set. The table's current columns
 * follow in their order, without those already listed; HrAddColumnsEx lets
 * the caller's filter rewrite the current columns first (to change string
 * types, say). Works on any IMAPITable through its interface; the working
 * array comes from the caller's allocator, as documented.
 */
#include <string.h>

#include "core/error.h"
#include "mapiutil.h"

static int listed(const SPropTagArray *a, ULONG tag)
{
    for (ULONG i = 0; i < a->cValues; i++)
        if (a->aulPropTag[i] == tag)
            return 1;
    return 0;
}

STDAPI HrAddColumnsEx(LPMAPITABLE lptbl, LPSPropTagArray lpproptagColumnsNew,
                      LPALLOCATEBUFFER lpAllocateBuffer, LPFREEBUFFER lpFreeBuffer,
                      void(STDAPICALLTYPE *lpfnFilterColumns)(LPSPropTagArray ptaga))
{
    if (lptbl == NULL || lpproptagColumnsNew == NULL || lpAllocateBuffer == NULL ||
        lpFreeBuffer == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "HrAddColumns: NULL argument");
    LPSPropTagArray cur = NULL, merged = NULL;
    HRESULT hr = lptbl->lpVtbl->QueryColumns(lptbl, 0, &cur);
    if (hr != S_OK)
        return hr;
    if (lpfnFilterColumns != NULL)
        lpfnFilterColumns(cur);
    ULONG n = lpproptagColumnsNew->cValues + cur->cValues;
    SCODE sc = lpAllocateBuffer((ULONG)CbNewSPropTagArray(n), (void **)&merged);
    if (sc != S_OK) {
        hr = fm_error_set(sc, "HrAddColumns: out of memory");
        goto cleanup;
    }
    merged->cValues = 0;
    for (ULONG i = 0; i < lpproptagColumnsNew->cValues; i++)
        if (!listed(merged, lpproptagColumnsNew->aulPropTag[i]))
            merged->aulPropTag[merged->cValues++] = lpproptagColumnsNew->aulPropTag[i];
    for (ULONG i = 0; i < cur->cValues; i++)
        if (!listed(merged, cur->aulPropTag[i]))
            merged->aulPropTag[merged->cValues++] = cur->aulPropTag[i];
    hr = lptbl->lpVtbl->SetColumns(lptbl, merged, 0);
cleanup:
    if (merged)
        lpFreeBuffer(merged);
    MAPIFreeBuffer(cur);
    return hr;
}

STDAPI HrAddColumns(LPMAPITABLE lptbl, LPSPropTagArray lpproptagColumnsNew,
                    LPALLOCATEBUFFER lpAllocateBuffer, LPFREEBUFFER lpFreeBuffer)
{
    return HrAddColumnsEx(lptbl, lpproptagColumnsNew, lpAllocateBuffer, lpFreeBuffer, NULL);
}
