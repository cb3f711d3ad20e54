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

#define INNER(This) (((anr_table *)(This))->inner)

static STDMETHODIMP at_QueryInterface(IMAPITable *This, REFIID riid, LPVOID *ppv)
{
    if (riid == NULL || ppv == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: NULL argument");
    *ppv = NULL;
    if (!IsEqualIID(riid, &IID_IMAPITable) && !IsEqualIID(riid, &IID_IUnknown))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "IMAPITable: unsupported "
                                                            "interface");
    atomic_fetch_add(&((anr_table *)This)->refs, 1);
    *ppv = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) at_AddRef(IMAPITable *This)
{
    return atomic_fetch_add(&((anr_table *)This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) at_Release(IMAPITable *This)
{
    anr_table *t = (anr_table *)This;
    ULONG left = atomic_fetch_sub(&t->refs, 1) - 1;
    if (left == 0) {
        IMAPITable_Release(t->inner);
        fm_free(t);
    }
    return left;
}

static STDMETHODIMP at_GetLastError(IMAPITable *This, HRESULT h, ULONG f, LPMAPIERROR *e)
{
    return IMAPITable_GetLastError(INNER(This), h, f, e);
}

static STDMETHODIMP at_Advise(IMAPITable *This, ULONG m, LPMAPIADVISESINK s, ULONG_PTR *c)
{
    return IMAPITable_Advise(INNER(This), m, s, c);
}

static STDMETHODIMP at_Unadvise(IMAPITable *This, ULONG_PTR c)
{
    return IMAPITable_Unadvise(INNER(This), c);
}

static STDMETHODIMP at_GetStatus(IMAPITable *This, ULONG *s, ULONG *t)
{
    return IMAPITable_GetStatus(INNER(This), s, t);
}

static STDMETHODIMP at_SetColumns(IMAPITable *This, LPSPropTagArray t, ULONG f)
{
    return IMAPITable_SetColumns(INNER(This), t, f);
}

static STDMETHODIMP at_QueryColumns(IMAPITable *This, ULONG f, LPSPropTagArray *t)
{
    return IMAPITable_QueryColumns(INNER(This), f, t);
}

static STDMETHODIMP at_GetRowCount(IMAPITable *This, ULONG f, ULONG *c)
{
    return IMAPITable_GetRowCount(INNER(This), f, c);
}

static STDMETHODIMP at_SeekRow(IMAPITable *This, BOOKMARK b, LONG n, LONG *s)
{
    return IMAPITable_SeekRow(INNER(This), b, n, s);
}

static STDMETHODIMP at_SeekRowApprox(IMAPITable *This, ULONG n, ULONG d)
{
    return IMAPITable_SeekRowApprox(INNER(This), n, d);
}

static STDMETHODIMP at_QueryPosition(IMAPITable *This, ULONG *r, ULONG *n, ULONG *d)
{
    return IMAPITable_QueryPosition(INNER(This), r, n, d);
}

static STDMETHODIMP at_FindRow(IMAPITable *This, LPSRestriction r, BOOKMARK b, ULONG f)
{
    LPSRestriction anr = NULL;
    HRESULT hr = fm_ab_anr_rewrite(r, &anr);
    if (hr != S_OK)
        return hr;
    hr = IMAPITable_FindRow(INNER(This), anr ? anr : r, b, f);
    MAPIFreeBuffer(anr);
    return hr;
}

static STDMETHODIMP at_Restrict(IMAPITable *This, LPSRestriction r, ULONG f)
{
    LPSRestriction anr = NULL;
    HRESULT hr = fm_ab_anr_rewrite(r, &anr);
    if (hr != S_OK)
        return hr;
    hr = IMAPITable_Restrict(INNER(This), anr ? anr : r, f);
    MAPIFreeBuffer(anr);
    return hr;
}

static STDMETHODIMP at_CreateBookmark(IMAPITable *This, BOOKMARK *b)
{
    return IMAPITable_CreateBookmark(INNER(This), b);
}

static STDMETHODIMP at_FreeBookmark(IMAPITable *This, BOOKMARK b)
{
    return IMAPITable_FreeBookmark(INNER(This), b);
}

static STDMETHODIMP at_SortTable(IMAPITable *This, LPSSortOrderSet s, ULONG f)
{
    return IMAPITable_SortTable(INNER(This), s, f);
}

static STDMETHODIMP at_QuerySortOrder(IMAPITable *This, LPSSortOrderSet *s)
{
    return IMAPITable_QuerySortOrder(INNER(This), s);
}

static STDMETHODIMP at_QueryRows(IMAPITable *This, LONG n, ULONG f, LPSRowSet *r)
{
    return IMAPITable_QueryRows(INNER(This), n, f, r);
}

static STDMETHODIMP at_Abort(IMAPITable *This)
{
    return IMAPITable_Abort(INNER(This));
}

static STDMETHODIMP at_ExpandRow(IMAPITable *This, ULONG cb, LPBYTE k, ULONG n, ULONG f,
                                 LPSRowSet *r, ULONG *m)
{
    return IMAPITable_ExpandRow(INNER(This), cb, k, n, f, r, m);
}

static STDMETHODIMP at_CollapseRow(IMAPITable *This, ULONG cb, LPBYTE k, ULONG f, ULONG *n)
{
    return IMAPITable_CollapseRow(INNER(This), cb, k, f, n);
}

static STDMETHODIMP at_WaitForCompletion(IMAPITable *This, ULONG f, ULONG t, ULONG *s)
{
    return IMAPITable_WaitForCompletion(INNER(This), f, t, s);
}

static STDMETHODIMP at_GetCollapseState(IMAPITable *This, ULONG f, ULONG cb, LPBYTE k,
                                        ULONG *cbs, LPBYTE *s)
{
    return IMAPITable_GetCollapseState(INNER(This), f, cb, k, cbs, s);
}

static STDMETHODIMP at_SetCollapseState(IMAPITable *This, ULONG f, ULONG cb, LPBYTE s,
                                        BOOKMARK *b)
{
    return IMAPITable_SetCollapseState(INNER(This), f, cb, s, b);
}

static const IMAPITableVtbl ANR_TABLE_VTBL = {
    .QueryInterface = at_QueryInterface,
    .AddRef = at_AddRef,
    .Release = at_Release,
    .GetLastError = at_GetLastError,
    .Advise = at_Advise,
    .Unadvise = at_Unadvise,
    .GetStatus = at_GetStatus,
    .SetColumns = at_SetColumns,
    .QueryColumns = at_QueryColumns,
    .GetRowCount = at_GetRowCount,
    .SeekRow = at_SeekRow,
    .SeekRowApprox = at_SeekRowApprox,
    .QueryPosition = at_QueryPosition,
    .FindRow = at_FindRow,
    .Restrict = at_Restrict,
    .CreateBookmark = at_CreateBookmark,
    .FreeBookmark = at_FreeBookmark,
    .SortTable = at_SortTable,
    .QuerySortOrder = at_QuerySortOrder,
    .QueryRows = at_QueryRows,
    .Abort = at_Abort,
    .ExpandRow = at_ExpandRow,
    .CollapseRow = at_CollapseRow,
    .WaitForCompletion = at_WaitForCompletion,
    .GetCollapseState = at_GetCollapseState,
    .SetCollapseState = at_SetCollapseState,
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
