/*
 * ab/anr_table.c - an IMAPITable that passes every call to the table
 * engine's table, rewriting PR_ANR in Restrict and FindRow first (anr.c):
 * the engine knows no PR_ANR, the address book's tables do.
 */
#include "ab/ab.h"
#include "core/alloc.h"
#include "mapiguid.h"

typedef struct anr_table {
    const IMAPITableVtbl *lpVtbl;
    _Atomic ULONG refs;
    IMAPITable *inner;
} anr_table;

static anr_table *self(IMAPITable *This)
{
    return (anr_table *)This;
}

static IMAPITable *inner_of(IMAPITable *This)
{
    return self(This)->inner;
}

static STDMETHODIMP anr_table_QueryInterface(IMAPITable *This, REFIID riid, LPVOID *ppvObj)
{
    if (riid == NULL || ppvObj == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: NULL argument");
    *ppvObj = NULL;
    if (!IsEqualIID(riid, &IID_IMAPITable) && !IsEqualIID(riid, &IID_IUnknown))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "IMAPITable: unsupported "
                                                            "interface");
    atomic_fetch_add(&self(This)->refs, 1);
    *ppvObj = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) anr_table_AddRef(IMAPITable *This)
{
    return atomic_fetch_add(&self(This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) anr_table_Release(IMAPITable *This)
{
    anr_table *t = self(This);
    ULONG left = atomic_fetch_sub(&t->refs, 1) - 1;
    if (left == 0) {
        IMAPITable_Release(t->inner);
        fm_free(t);
    }
    return left;
}

static STDMETHODIMP anr_table_GetLastError(IMAPITable *This, HRESULT hResult, ULONG ulFlags,
                                           LPMAPIERROR *lppMAPIError)
{
    return IMAPITable_GetLastError(inner_of(This), hResult, ulFlags, lppMAPIError);
}

static STDMETHODIMP anr_table_Advise(IMAPITable *This, ULONG ulEventMask,
                                     LPMAPIADVISESINK lpAdviseSink, ULONG_PTR *lpulConnection)
{
    return IMAPITable_Advise(inner_of(This), ulEventMask, lpAdviseSink, lpulConnection);
}

static STDMETHODIMP anr_table_Unadvise(IMAPITable *This, ULONG_PTR ulConnection)
{
    return IMAPITable_Unadvise(inner_of(This), ulConnection);
}

static STDMETHODIMP anr_table_GetStatus(IMAPITable *This, ULONG *lpulTableStatus,
                                        ULONG *lpulTableType)
{
    return IMAPITable_GetStatus(inner_of(This), lpulTableStatus, lpulTableType);
}

static STDMETHODIMP anr_table_SetColumns(IMAPITable *This, LPSPropTagArray lpPropTagArray,
                                         ULONG ulFlags)
{
    return IMAPITable_SetColumns(inner_of(This), lpPropTagArray, ulFlags);
}

static STDMETHODIMP anr_table_QueryColumns(IMAPITable *This, ULONG ulFlags,
                                           LPSPropTagArray *lpPropTagArray)
{
    return IMAPITable_QueryColumns(inner_of(This), ulFlags, lpPropTagArray);
}

static STDMETHODIMP anr_table_GetRowCount(IMAPITable *This, ULONG ulFlags, ULONG *lpulCount)
{
    return IMAPITable_GetRowCount(inner_of(This), ulFlags, lpulCount);
}

static STDMETHODIMP anr_table_SeekRow(IMAPITable *This, BOOKMARK bkOrigin, LONG lRowCount,
                                      LONG *lplRowsSought)
{
    return IMAPITable_SeekRow(inner_of(This), bkOrigin, lRowCount, lplRowsSought);
}

static STDMETHODIMP anr_table_SeekRowApprox(IMAPITable *This, ULONG ulNumerator,
                                            ULONG ulDenominator)
{
    return IMAPITable_SeekRowApprox(inner_of(This), ulNumerator, ulDenominator);
}

static STDMETHODIMP anr_table_QueryPosition(IMAPITable *This, ULONG *lpulRow, ULONG *lpulNumerator,
                                            ULONG *lpulDenominator)
{
    return IMAPITable_QueryPosition(inner_of(This), lpulRow, lpulNumerator, lpulDenominator);
}

static STDMETHODIMP anr_table_FindRow(IMAPITable *This, LPSRestriction lpRestriction,
                                      BOOKMARK bkOrigin, ULONG ulFlags)
{
    LPSRestriction anr = NULL;
    HRESULT hr = fm_ab_anr_rewrite(lpRestriction, &anr);
    if (hr != S_OK)
        return hr;
    hr = IMAPITable_FindRow(inner_of(This), anr ? anr : lpRestriction, bkOrigin, ulFlags);
    MAPIFreeBuffer(anr);
    return hr;
}

static STDMETHODIMP anr_table_Restrict(IMAPITable *This, LPSRestriction lpRestriction,
                                       ULONG ulFlags)
{
    LPSRestriction anr = NULL;
    HRESULT hr = fm_ab_anr_rewrite(lpRestriction, &anr);
    if (hr != S_OK)
        return hr;
    hr = IMAPITable_Restrict(inner_of(This), anr ? anr : lpRestriction, ulFlags);
    MAPIFreeBuffer(anr);
    return hr;
}

static STDMETHODIMP anr_table_CreateBookmark(IMAPITable *This, BOOKMARK *lpbkPosition)
{
    return IMAPITable_CreateBookmark(inner_of(This), lpbkPosition);
}

static STDMETHODIMP anr_table_FreeBookmark(IMAPITable *This, BOOKMARK bkPosition)
{
    return IMAPITable_FreeBookmark(inner_of(This), bkPosition);
}

static STDMETHODIMP anr_table_SortTable(IMAPITable *This, LPSSortOrderSet lpSortCriteria,
                                        ULONG ulFlags)
{
    return IMAPITable_SortTable(inner_of(This), lpSortCriteria, ulFlags);
}

static STDMETHODIMP anr_table_QuerySortOrder(IMAPITable *This, LPSSortOrderSet *lppSortCriteria)
{
    return IMAPITable_QuerySortOrder(inner_of(This), lppSortCriteria);
}

static STDMETHODIMP anr_table_QueryRows(IMAPITable *This, LONG lRowCount, ULONG ulFlags,
                                        LPSRowSet *lppRows)
{
    return IMAPITable_QueryRows(inner_of(This), lRowCount, ulFlags, lppRows);
}

static STDMETHODIMP anr_table_Abort(IMAPITable *This)
{
    return IMAPITable_Abort(inner_of(This));
}

static STDMETHODIMP anr_table_ExpandRow(IMAPITable *This, ULONG cbInstanceKey,
                                        LPBYTE pbInstanceKey, ULONG ulRowCount, ULONG ulFlags,
                                        LPSRowSet *lppRows, ULONG *lpulMoreRows)
{
    return IMAPITable_ExpandRow(inner_of(This), cbInstanceKey, pbInstanceKey, ulRowCount, ulFlags,
                                lppRows, lpulMoreRows);
}

static STDMETHODIMP anr_table_CollapseRow(IMAPITable *This, ULONG cbInstanceKey,
                                          LPBYTE pbInstanceKey, ULONG ulFlags, ULONG *lpulRowCount)
{
    return IMAPITable_CollapseRow(inner_of(This), cbInstanceKey, pbInstanceKey, ulFlags,
                                  lpulRowCount);
}

static STDMETHODIMP anr_table_WaitForCompletion(IMAPITable *This, ULONG ulFlags, ULONG ulTimeout,
                                                ULONG *lpulTableStatus)
{
    return IMAPITable_WaitForCompletion(inner_of(This), ulFlags, ulTimeout, lpulTableStatus);
}

static STDMETHODIMP anr_table_GetCollapseState(IMAPITable *This, ULONG ulFlags,
                                               ULONG cbInstanceKey, LPBYTE lpbInstanceKey,
                                               ULONG *lpcbCollapseState, LPBYTE *lppbCollapseState)
{
    return IMAPITable_GetCollapseState(inner_of(This), ulFlags, cbInstanceKey, lpbInstanceKey,
                                       lpcbCollapseState, lppbCollapseState);
}

static STDMETHODIMP anr_table_SetCollapseState(IMAPITable *This, ULONG ulFlags,
                                               ULONG cbCollapseState, LPBYTE pbCollapseState,
                                               BOOKMARK *lpbkLocation)
{
    return IMAPITable_SetCollapseState(inner_of(This), ulFlags, cbCollapseState, pbCollapseState,
                                       lpbkLocation);
}

static const IMAPITableVtbl ANR_TABLE_VTBL = {
    .QueryInterface = anr_table_QueryInterface,
    .AddRef = anr_table_AddRef,
    .Release = anr_table_Release,
    .GetLastError = anr_table_GetLastError,
    .Advise = anr_table_Advise,
    .Unadvise = anr_table_Unadvise,
    .GetStatus = anr_table_GetStatus,
    .SetColumns = anr_table_SetColumns,
    .QueryColumns = anr_table_QueryColumns,
    .GetRowCount = anr_table_GetRowCount,
    .SeekRow = anr_table_SeekRow,
    .SeekRowApprox = anr_table_SeekRowApprox,
    .QueryPosition = anr_table_QueryPosition,
    .FindRow = anr_table_FindRow,
    .Restrict = anr_table_Restrict,
    .CreateBookmark = anr_table_CreateBookmark,
    .FreeBookmark = anr_table_FreeBookmark,
    .SortTable = anr_table_SortTable,
    .QuerySortOrder = anr_table_QuerySortOrder,
    .QueryRows = anr_table_QueryRows,
    .Abort = anr_table_Abort,
    .ExpandRow = anr_table_ExpandRow,
    .CollapseRow = anr_table_CollapseRow,
    .WaitForCompletion = anr_table_WaitForCompletion,
    .GetCollapseState = anr_table_GetCollapseState,
    .SetCollapseState = anr_table_SetCollapseState,
};

HRESULT fm_ab_anr_table(IMAPITable *inner, IMAPITable **out)
{
    *out = NULL;
    anr_table *t = fm_calloc(1, sizeof *t);
    if (t == NULL) {
        IMAPITable_Release(inner);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a table");
    }
    t->lpVtbl = &ANR_TABLE_VTBL;
    atomic_init(&t->refs, 1);
    t->inner = inner;
    *out = (IMAPITable *)t;
    return S_OK;
}
