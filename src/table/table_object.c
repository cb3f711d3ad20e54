/*
 * table/table_object.c - the IMAPITable object: creation and release,
 * IUnknown, GetLastError, the view definition (SetColumns, QueryColumns,
 * Restrict, SortTable, QuerySortOrder) and the status methods.
 *
 * Work is never deferred: TBL_ASYNC and TBL_BATCH are accepted, every
 * operation completes before the call returns, GetStatus always reports
 * TBLSTAT_COMPLETE and Abort has nothing to stop. Restrict and SortTable
 * put the cursor back at the beginning, as MAPI documents; SetColumns
 * leaves it where it is unless the new columns change how rows expand on
 * an MV_INSTANCE column.
 *
 * Advise/Unadvise are in table_advise.c; the calls here that change what
 * the client sees tell it (fm_table_advise_view_changed), and with TBL_ASYNC
 * the registrations receive TABLE_SETCOL_DONE, TABLE_RESTRICT_DONE or
 * TABLE_SORT_DONE when the call returns.
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"
#include "props/validate.h"
#include "table/table_methods.h"

HRESULT fm_table_fail(fm_table *t, HRESULT hr)
{
    return fm_lasterr_record(&t->err, hr);
}

static HRESULT fail(fm_table *t, HRESULT hr, const char *text)
{
    return fm_table_fail(t, fm_error_set(hr, "%s", text));
}

/* ---- IUnknown -------------------------------------------------------------------- */

static void destroy(fm_table *t)
{
    fm_table_advise_clear(t);
    fm_seek_free_keys(t);
    fm_view_reset(t);
    fmapi_restriction_free(t->res);
    MAPIFreeBuffer(t->cols);
    MAPIFreeBuffer(t->sort);
    MAPIFreeBuffer(t->leaf_sort);
    fm_free(t->need);
    fm_free(t->bm);
    fm_free(t->toggled);
    t->src->ops->release(t->src);
    fm_lasterr_clear(&t->err);
    pthread_mutex_destroy(&t->lock);
    pthread_mutex_destroy(&t->advise_lock);
    fm_free(t);
}

static STDMETHODIMP table_QueryInterface(IMAPITable *This, REFIID riid, LPVOID *ppv)
{
    if (ppv == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: ppvObj is NULL");
    *ppv = NULL;
    if (riid == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: riid is NULL");
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMAPITable))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED,
                            "a table answers only IID_IMAPITable and IID_IUnknown");
    This->lpVtbl->AddRef(This);
    *ppv = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) table_AddRef(IMAPITable *This)
{
    return atomic_fetch_add(&((fm_table *)This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) table_Release(IMAPITable *This)
{
    fm_table *t = (fm_table *)This;
    ULONG left = atomic_fetch_sub(&t->refs, 1) - 1;
    if (left == 0)
        destroy(t);
    return left;
}

static STDMETHODIMP table_GetLastError(IMAPITable *This, HRESULT hResult, ULONG ulFlags,
                                       LPMAPIERROR *lppMAPIError)
{
    fm_table *t = (fm_table *)This;
    return fm_lasterr_get(&t->err, "IMAPITable", hResult, ulFlags, lppMAPIError);
}

static STDMETHODIMP table_GetStatus(IMAPITable *This, ULONG *lpulTableStatus, ULONG *lpulTableType)
{
    if (lpulTableStatus == NULL || lpulTableType == NULL)
        return fail((fm_table *)This, MAPI_E_INVALID_PARAMETER, "GetStatus: NULL output pointer");
    *lpulTableStatus = TBLSTAT_COMPLETE;
    *lpulTableType = TBLTYPE_DYNAMIC;
    return S_OK;
}

static STDMETHODIMP table_Abort(IMAPITable *This)
{
    (void)This;
    return S_OK;
}

static STDMETHODIMP table_WaitForCompletion(IMAPITable *This, ULONG ulFlags, ULONG ulTimeout,
                                            ULONG *lpulTableStatus)
{
    (void)ulTimeout;
    if (ulFlags)
        return fail((fm_table *)This, MAPI_E_UNKNOWN_FLAGS, "WaitForCompletion: ulFlags must be 0");
    if (lpulTableStatus)
        *lpulTableStatus = TBLSTAT_COMPLETE;
    return S_OK;
}

/* ---- the view definition ------------------------------------------------------------- */

static void add_need(ULONG *need, ULONG *n, ULONG tag)
{
    tag = PROP_TAG(PROP_TYPE(tag) & ~(ULONG)MV_INSTANCE, PROP_ID(tag));
    for (ULONG i = 0; i < *n; i++)
        if (need[i] == tag)
            return;
    need[(*n)++] = tag;
}

/* The properties loaded rows must carry: sort and category keys, the
 * aggregated columns, the expanded MV column, and PR_MESSAGE_FLAGS for
 * unread counts. */
static HRESULT compute_need(fm_table *t)
{
    const SSortOrderSet *s = t->sort;
    ULONG max = (s ? s->cSorts : 0) + 2;
    ULONG *need = fm_malloc(max * sizeof *need), n = 0;
    if (need == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory setting up a table");
    for (ULONG i = 0; s && i < s->cSorts; i++)
        add_need(need, &n, s->aSort[i].ulPropTag);
    if (t->nlevels)
        add_need(need, &n, PR_MESSAGE_FLAGS);
    for (ULONG i = 0; t->cols && i < t->cols->cValues; i++)
        if (PROP_TYPE(t->cols->aulPropTag[i]) & MV_INSTANCE) {
            add_need(need, &n, t->cols->aulPropTag[i]);
            break;
        }
    fm_free(t->need);
    t->need = need;
    t->nneed = n;
    return S_OK;
}

/* Notes tag in *seen when it is an MV_INSTANCE one; a second, different
 * MV_INSTANCE property is refused. */
static HRESULT one_instance(ULONG tag, ULONG *seen)
{
    if (!(PROP_TYPE(tag) & MV_INSTANCE))
        return S_OK;
    if (*seen && PROP_ID(*seen) != PROP_ID(tag))
        return fm_error_set(MAPI_E_TOO_COMPLEX,
                            "rows can be expanded on one multivalued property only "
                            "(0x%08lX and 0x%08lX)",
                            (unsigned long)*seen, (unsigned long)tag);
    *seen = tag;
    return S_OK;
}

/* At most one MV_INSTANCE property across the sort keys and columns. */
static HRESULT check_instances(const SSortOrderSet *s, const SPropTagArray *cols)
{
    ULONG seen = 0;
    HRESULT hr = S_OK;
    for (ULONG i = 0; s && i < s->cSorts && hr == S_OK; i++)
        hr = one_instance(s->aSort[i].ulPropTag, &seen);
    for (ULONG i = 0; cols && i < cols->cValues && hr == S_OK; i++)
        hr = one_instance(cols->aulPropTag[i], &seen);
    return hr;
}

static ULONG instance_tag(const SPropTagArray *cols)
{
    for (ULONG i = 0; cols && i < cols->cValues; i++)
        if (PROP_TYPE(cols->aulPropTag[i]) & MV_INSTANCE)
            return cols->aulPropTag[i];
    return 0;
}

static HRESULT copy_tags(const SPropTagArray *in, LPSPropTagArray *out)
{
    ULONG size = CbNewSPropTagArray(in->cValues);
    if (MAPIAllocateBuffer(size, (void **)out) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory copying columns");
    memcpy(*out, in, size);
    return S_OK;
}

static STDMETHODIMP table_SetColumns(IMAPITable *This, LPSPropTagArray lpPropTagArray,
                                     ULONG ulFlags)
{
    fm_table *t = (fm_table *)This;
    if (ulFlags & ~(ULONG)(TBL_ASYNC | TBL_BATCH))
        return fail(t, MAPI_E_UNKNOWN_FLAGS, "SetColumns: unknown flags");
    HRESULT hr = fm_validate_column_set(lpPropTagArray, "SetColumns");
    if (hr != S_OK)
        return fm_table_fail(t, hr);
    pthread_mutex_lock(&t->lock);
    hr = check_instances(t->sort, lpPropTagArray);
    LPSPropTagArray cols = NULL;
    if (hr == S_OK)
        hr = copy_tags(lpPropTagArray, &cols);
    if (hr == S_OK) {
        bool reexpand = instance_tag(cols) != instance_tag(t->cols);
        MAPIFreeBuffer(t->cols);
        t->cols = cols;
        hr = compute_need(t);
        if (reexpand)
            fm_view_reset(t);
    }
    if (hr == S_OK)
        fm_table_advise_view_changed(t, ulFlags & TBL_ASYNC ? TABLE_SETCOL_DONE : 0);
    pthread_mutex_unlock(&t->lock);
    return fm_table_fail(t, hr);
}

static STDMETHODIMP table_QueryColumns(IMAPITable *This, ULONG ulFlags,
                                       LPSPropTagArray *lpPropTagArray)
{
    fm_table *t = (fm_table *)This;
    if (ulFlags & ~(ULONG)TBL_ALL_COLUMNS)
        return fail(t, MAPI_E_UNKNOWN_FLAGS, "QueryColumns: unknown flags");
    if (lpPropTagArray == NULL)
        return fail(t, MAPI_E_INVALID_PARAMETER, "QueryColumns: lpPropTagArray is NULL");
    *lpPropTagArray = NULL;
    pthread_mutex_lock(&t->lock);
    HRESULT hr = (ulFlags & TBL_ALL_COLUMNS)
                     ? t->src->ops->columns(t->src, TBL_ALL_COLUMNS, lpPropTagArray)
                     : copy_tags(t->cols, lpPropTagArray);
    pthread_mutex_unlock(&t->lock);
    return fm_table_fail(t, hr);
}

static STDMETHODIMP table_Restrict(IMAPITable *This, LPSRestriction lpRestriction, ULONG ulFlags)
{
    fm_table *t = (fm_table *)This;
    if (ulFlags & ~(ULONG)(TBL_ASYNC | TBL_BATCH))
        return fail(t, MAPI_E_UNKNOWN_FLAGS, "Restrict: unknown flags");
    fmapi_restriction *r = NULL;
    if (lpRestriction) {
        HRESULT hr = fmapi_restriction_compile(lpRestriction, 0, &r);
        if (hr != S_OK)
            return fm_table_fail(t, hr);
    }
    pthread_mutex_lock(&t->lock);
    fmapi_restriction_free(t->res);
    t->res = r;
    fm_view_reset(t);
    fm_table_advise_view_changed(t, ulFlags & TBL_ASYNC ? TABLE_RESTRICT_DONE : 0);
    pthread_mutex_unlock(&t->lock);
    return S_OK;
}

static STDMETHODIMP table_SortTable(IMAPITable *This, LPSSortOrderSet lpSortCriteria, ULONG ulFlags)
{
    fm_table *t = (fm_table *)This;
    if (ulFlags & ~(ULONG)(TBL_ASYNC | TBL_BATCH))
        return fail(t, MAPI_E_UNKNOWN_FLAGS, "SortTable: unknown flags");
    HRESULT hr = fm_validate_sort_order_set(lpSortCriteria, "SortTable");
    if (hr != S_OK)
        return fm_table_fail(t, hr);
    LPSSortOrderSet copy = NULL;
    if (MAPIAllocateBuffer(CbSSortOrderSet(lpSortCriteria), (void **)&copy) != S_OK)
        return fail(t, MAPI_E_NOT_ENOUGH_MEMORY, "SortTable: out of memory");
    memcpy(copy, lpSortCriteria, CbSSortOrderSet(lpSortCriteria));
    pthread_mutex_lock(&t->lock);
    hr = check_instances(copy, t->cols);
    LPSSortOrderSet old = t->sort;
    if (hr == S_OK) {
        t->sort = copy;
        hr = fm_categories_parse(t);
        if (hr == S_OK)
            hr = compute_need(t);
        if (hr != S_OK) {
            t->sort = old;
            fm_categories_parse(t);
            compute_need(t);
        }
    }
    if (hr == S_OK) {
        MAPIFreeBuffer(old);
        fm_free(t->toggled);
        t->toggled = NULL;
        t->ntoggled = 0;
        fm_view_reset(t);
        fm_table_advise_view_changed(t, ulFlags & TBL_ASYNC ? TABLE_SORT_DONE : 0);
    } else {
        MAPIFreeBuffer(copy);
    }
    pthread_mutex_unlock(&t->lock);
    return fm_table_fail(t, hr);
}

static STDMETHODIMP table_QuerySortOrder(IMAPITable *This, LPSSortOrderSet *lppSortCriteria)
{
    fm_table *t = (fm_table *)This;
    if (lppSortCriteria == NULL)
        return fail(t, MAPI_E_INVALID_PARAMETER, "QuerySortOrder: lppSortCriteria is NULL");
    pthread_mutex_lock(&t->lock);
    static const SSortOrderSet none = {0, 0, 0, {{0, 0}}};
    const SSortOrderSet *s = t->sort ? t->sort : &none;
    ULONG size = CbSSortOrderSet(s);
    HRESULT hr = S_OK;
    if (MAPIAllocateBuffer(size < sizeof none ? (ULONG)sizeof none : size,
                           (void **)lppSortCriteria) != S_OK)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "QuerySortOrder: out of memory");
    else
        memcpy(*lppSortCriteria, s, size);
    pthread_mutex_unlock(&t->lock);
    return fm_table_fail(t, hr);
}

static const IMAPITableVtbl TABLE_VTBL = {
    .QueryInterface = table_QueryInterface,
    .AddRef = table_AddRef,
    .Release = table_Release,
    .GetLastError = table_GetLastError,
    .Advise = fm_table_Advise,
    .Unadvise = fm_table_Unadvise,
    .GetStatus = table_GetStatus,
    .SetColumns = table_SetColumns,
    .QueryColumns = table_QueryColumns,
    .GetRowCount = fm_table_GetRowCount,
    .SeekRow = fm_table_SeekRow,
    .SeekRowApprox = fm_table_SeekRowApprox,
    .QueryPosition = fm_table_QueryPosition,
    .FindRow = fm_table_FindRow,
    .Restrict = table_Restrict,
    .CreateBookmark = fm_table_CreateBookmark,
    .FreeBookmark = fm_table_FreeBookmark,
    .SortTable = table_SortTable,
    .QuerySortOrder = table_QuerySortOrder,
    .QueryRows = fm_table_QueryRows,
    .Abort = table_Abort,
    .ExpandRow = fm_table_ExpandRow,
    .CollapseRow = fm_table_CollapseRow,
    .WaitForCompletion = table_WaitForCompletion,
    .GetCollapseState = fm_table_GetCollapseState,
    .SetCollapseState = fm_table_SetCollapseState,
};

HRESULT fm_table_new(fm_table_source *src, ULONG flags, IMAPITable **out)
{
    *out = NULL;
    fm_table *t = fm_calloc(1, sizeof *t);
    if (t == NULL) {
        src->ops->release(src);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a table");
    }
    t->lpVtbl = &TABLE_VTBL;
    atomic_init(&t->refs, 1);
    pthread_mutex_init(&t->lock, NULL);
    pthread_mutex_init(&t->advise_lock, NULL);
    fm_lasterr_init(&t->err);
    t->src = src;
    t->flags = flags & MAPI_UNICODE;
    HRESULT hr = src->ops->columns(src, 0, &t->cols);
    if (hr == S_OK && t->flags & MAPI_UNICODE) /* default string columns in the width asked */
        for (ULONG i = 0; i < t->cols->cValues; i++)
            if (PROP_TYPE(t->cols->aulPropTag[i]) == PT_STRING8)
                t->cols->aulPropTag[i] = CHANGE_PROP_TYPE(t->cols->aulPropTag[i], PT_UNICODE);
    if (hr == S_OK)
        hr = compute_need(t);
    if (hr != S_OK) {
        destroy(t);
        return hr;
    }
    *out = (IMAPITable *)t;
    return S_OK;
}
