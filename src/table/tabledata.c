/*
 * table/tabledata.c - CreateTable and ITableData: rows kept in memory,
 * identified by an index column, shown through views that are the one
 * IMAPITable implementation (table.h) over a source reading these rows.
 *
 * Every change bumps a generation number, so each view notices it at its
 * next call and rebuilds, keeping its cursor and bookmarks on their rows:
 * rows carry a serial number that is their id in every view and never
 * changes while the row exists. Views hold a reference on the table data;
 * when the last reference to a view goes, the CALLERRELEASE given to
 * HrGetView is called with the view's pointer, as documented.
 *
 * Notifications: a view's IMAPITable::Advise watches the table data
 * (table_advise.c), registering its watcher with the table data's own
 * notification source. Each change posts a cue there, on which every
 * advised view compares what its client sees and sends the TABLE_ROW_*
 * events, as for store tables; HrDeleteRows(TAD_ALL_ROWS) cues a single
 * TABLE_RELOAD instead, as documented. HrNotify is a change of the row
 * for the views, which send its TABLE_ROW_MODIFIED only if what the client
 * sees of it differs.
 *
 * Values are validated as IMAPIProp::SetProps validates them (FBadRow);
 * rows returned by HrQueryRow and HrEnumRow are one buffer from the
 * allocator given to CreateTable (the SRow and its values), freed with
 * one call of the matching free function.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapiguid.h"
#include "mapiutil.h"
#include "mapival.h"
#include "notify/notify.h"
#include "table/table.h"

typedef struct tabledata_row {
    uint64_t serial;
    ULONG cValues;
    LPSPropValue props; /* a MAPI buffer of its own */
} tabledata_row;

typedef struct tabledata {
    const ITableDataVtbl *lpVtbl;
    _Atomic ULONG refs;
    pthread_mutex_t lock;
    ULONG index_tag, table_type;
    ULONG *columns;
    ULONG ncolumns;
    tabledata_row *rows;
    size_t nrows, caprows;
    uint64_t next_serial;
    _Atomic uint64_t generation;
    ALLOCATEBUFFER *alloc;
    ALLOCATEMORE *more;
    FREEBUFFER *freebuf;
    fm_notify_source watchers; /* the advised views' watchers (key 0) */
} tabledata;

static const ITableDataVtbl TABLEDATA_VTBL;

static tabledata *self(ITableData *p)
{
    return (tabledata *)p;
}

/* ---- rows ------------------------------------------------------------------------ */
static const SPropValue *find_prop(ULONG c, const SPropValue *v, ULONG tag)
{
    for (ULONG i = 0; i < c; i++)
        if (v[i].ulPropTag == tag)
            return &v[i];
    return NULL;
}

static int same_value(const SPropValue *a, const SPropValue *b)
{
    if (a->ulPropTag != b->ulPropTag)
        return 0;
    if (PROP_TYPE(a->ulPropTag) == PT_BINARY)
        return a->Value.bin.cb == b->Value.bin.cb &&
               (a->Value.bin.cb == 0 || memcmp(a->Value.bin.lpb, b->Value.bin.lpb, a->Value.bin.cb) == 0);
    return LPropCompareProp((LPSPropValue)a, (LPSPropValue)b) == 0;
}

/* The row whose index column equals key, or -1. Under the lock. */
static long find_row(tabledata *t, const SPropValue *key)
{
    for (size_t i = 0; i < t->nrows; i++) {
        const SPropValue *v = find_prop(t->rows[i].cValues, t->rows[i].props, t->index_tag);
        if (v && same_value(v, key))
            return (long)i;
    }
    return -1;
}

static HRESULT check_row(tabledata *t, const SRow *row, const char *fn)
{
    if (row == NULL || (row->cValues && row->lpProps == NULL))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ITableData::%s: NULL row", fn);
    if (FBadRow((LPSRow)row)) {
        char why[FM_ERROR_TEXT_MAX];
        snprintf(why, sizeof why, "%s", fm_error_text());
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ITableData::%s: the row is malformed "
                                                      "(%s)", fn, why);
    }
    if (find_prop(row->cValues, row->lpProps, t->index_tag) == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ITableData::%s: the row has no index "
                                                      "column %08lX", fn,
                            (unsigned long)t->index_tag);
    return S_OK;
}

static HRESULT copy_props(const SRow *row, LPSPropValue *out)
{
    *out = NULL;
    SCODE sc = ScDupPropset((int)row->cValues, row->lpProps, MAPIAllocateBuffer, out);
    return sc == S_OK ? S_OK : fm_error_set(sc, "ITableData: out of memory copying a row");
}

static HRESULT grow(tabledata *t, size_t more)
{
    if (t->nrows + more <= t->caprows)
        return S_OK;
    size_t cap = t->caprows ? t->caprows : 16;
    while (cap < t->nrows + more)
        cap *= 2;
    tabledata_row *r = fm_realloc(t->rows, cap * sizeof *r);
    if (r == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "ITableData: out of memory adding rows");
    t->rows = r;
    t->caprows = cap;
    return S_OK;
}

/* Puts a copy of row at position at (or in place of the row with its
 * index value, which keeps its position and serial). Under the lock. */
static HRESULT put_row(tabledata *t, const SRow *row, size_t at, int replace)
{
    LPSPropValue props = NULL;
    HRESULT hr = copy_props(row, &props);
    if (hr != S_OK)
        return hr;
    long old = replace ? find_row(t, find_prop(row->cValues, row->lpProps, t->index_tag)) : -1;
    if (old >= 0) {
        MAPIFreeBuffer(t->rows[old].props);
        t->rows[old].props = props;
        t->rows[old].cValues = row->cValues;
        return S_OK;
    }
    hr = grow(t, 1);
    if (hr != S_OK) {
        MAPIFreeBuffer(props);
        return hr;
    }
    if (at > t->nrows)
        at = t->nrows;
    memmove(&t->rows[at + 1], &t->rows[at], (t->nrows - at) * sizeof *t->rows);
    t->rows[at] = (tabledata_row){ ++t->next_serial, row->cValues, props };
    t->nrows++;
    return S_OK;
}

static void delete_at(tabledata *t, size_t i)
{
    MAPIFreeBuffer(t->rows[i].props);
    memmove(&t->rows[i], &t->rows[i + 1], (t->nrows - i - 1) * sizeof *t->rows);
    t->nrows--;
}

/* Views notice a change by the generation; advised ones are cued too:
 * event is TABLE_CHANGED (compare and send rows) or TABLE_RELOAD. */
static void changed_with(tabledata *t, ULONG event)
{
    atomic_fetch_add(&t->generation, 1);
    if (fm_notify_source_count(&t->watchers) == 0)
        return;
    static const uint64_t key = 0;
    NOTIFICATION n;
    memset(&n, 0, sizeof n);
    n.ulEventType = fnevTableModified;
    n.info.tab.ulTableEvent = event;
    n.info.tab.propIndex.ulPropTag = PR_NULL;
    n.info.tab.propPrior.ulPropTag = PR_NULL;
    fm_notify_event *e = NULL;
    if (fm_notify_event_new(&n, &e) != S_OK) {
        fm_notify_post_lost(&t->watchers, &key, 1, fnevTableModified);
        return;
    }
    fm_notify_post(&t->watchers, &key, 1, e);
    fm_notify_event_release(e);
}

static void changed(tabledata *t)
{
    changed_with(t, TABLE_CHANGED);
}

/* A row for the caller: the SRow and its values in one buffer of the
 * CreateTable allocator. */
static HRESULT row_out(tabledata *t, const tabledata_row *r, LPSRow *out)
{
    *out = NULL;
    ULONG cb = 0;
    SCODE sc = ScCountProps((int)r->cValues, r->props, &cb);
    LPSRow row = NULL;
    if (sc == S_OK)
        sc = t->alloc(sizeof(SRow) + cb, (void **)&row);
    if (sc != S_OK)
        return fm_error_set(sc == MAPI_E_NOT_ENOUGH_MEMORY ? sc : MAPI_E_NOT_ENOUGH_MEMORY,
                            "ITableData: out of memory returning a row");
    row->ulAdrEntryPad = 0;
    row->cValues = r->cValues;
    row->lpProps = (LPSPropValue)(row + 1);
    sc = ScCopyProps((int)r->cValues, r->props, row->lpProps, NULL);
    if (sc != S_OK) {
        t->freebuf(row);
        return sc;
    }
    *out = row;
    return S_OK;
}

/* ---- the source behind each view --------------------------------------------------- */
typedef struct tabledata_source {
    fm_table_source base;
    fm_table_source_ops ops;
    tabledata *td;
    CALLERRELEASE *caller_release;
    ULONG_PTR caller_data;
    LPMAPITABLE view;
} tabledata_source;

static HRESULT tabledata_columns(fm_table_source *src, ULONG flags, LPSPropTagArray *out)
{
    tabledata *t = ((tabledata_source *)src)->td;
    pthread_mutex_lock(&t->lock);
    ULONG max = t->ncolumns + 1;
    if (flags & TBL_ALL_COLUMNS)
        for (size_t i = 0; i < t->nrows; i++)
            max += t->rows[i].cValues;
    HRESULT hr = MAPIAllocateBuffer(CbNewSPropTagArray(max), (void **)out) == S_OK
                     ? S_OK
                     : fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "ITableData: out of memory");
    if (hr == S_OK) {
        LPSPropTagArray a = *out;
        a->cValues = 0;
        for (ULONG i = 0; i < t->ncolumns; i++)
            a->aulPropTag[a->cValues++] = t->columns[i];
        for (size_t r = 0; (flags & TBL_ALL_COLUMNS) && r < t->nrows; r++)
            for (ULONG i = 0; i < t->rows[r].cValues; i++) {
                ULONG tag = t->rows[r].props[i].ulPropTag, k = 0;
                while (k < a->cValues && a->aulPropTag[k] != tag)
                    k++;
                if (k == a->cValues)
                    a->aulPropTag[a->cValues++] = tag;
            }
    }
    pthread_mutex_unlock(&t->lock);
    return hr;
}

static HRESULT tabledata_generation(fm_table_source *src, uint64_t *out)
{
    *out = atomic_load(&((tabledata_source *)src)->td->generation);
    return S_OK;
}

static HRESULT tabledata_load(fm_table_source *src, const fm_table_query *q, bool ordered,
                       const fm_table_row *after, ULONG max, fm_table_rows *out, bool *done)
{
    tabledata *t = ((tabledata_source *)src)->td;
    HRESULT hr = S_OK;
    pthread_mutex_lock(&t->lock);
    for (size_t i = 0; hr == S_OK && i < t->nrows; i++) {
        const tabledata_row *r = &t->rows[i];
        BOOL match = TRUE;
        if (q->res)
            hr = fmapi_restriction_eval(q->res, r->cValues, r->props, NULL, &match);
        if (hr != S_OK || !match)
            continue;
        LPSPropValue copy = NULL;
        SCODE sc = ScDupPropset((int)r->cValues, r->props, MAPIAllocateBuffer, &copy);
        if (sc != S_OK) {
            hr = fm_error_set(sc, "ITableData: out of memory reading rows");
            break;
        }
        hr = fm_table_rows_own(out, copy);
        fm_table_row row = { .id = (int64_t)r->serial, .type = TBL_LEAF_ROW, .full = true,
                             .cvals = r->cValues, .vals = copy };
        if (hr == S_OK)
            hr = fm_table_rows_push(out, &row);
    }
    pthread_mutex_unlock(&t->lock);
    *done = true;
    return hr;
}

static HRESULT tabledata_watch(fm_table_source *src, IMAPIAdviseSink *sink, ULONG_PTR *conn)
{
    tabledata *t = ((tabledata_source *)src)->td;
    return fm_notify_advise(&t->watchers, 0, fnevTableModified, sink, "IMAPITable::Advise", conn);
}

static void tabledata_unwatch(fm_table_source *src, ULONG_PTR conn)
{
    tabledata *t = ((tabledata_source *)src)->td;
    fm_notify_unadvise(&t->watchers, conn, "IMAPITable::Unadvise");
}

static void tabledata_release(fm_table_source *src)
{
    tabledata_source *s = (tabledata_source *)src;
    if (s->caller_release)
        s->caller_release(s->caller_data, (LPTABLEDATA)s->td, s->view);
    ITableData_Release((LPTABLEDATA)s->td);
    fm_free(s);
}

/* ---- IUnknown ------------------------------------------------------------------------ */
static STDMETHODIMP tabledata_QueryInterface(ITableData *This, REFIID riid, LPVOID *ppv)
{
    if (riid == NULL || ppv == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: NULL argument");
    *ppv = NULL;
    if (!IsEqualIID(riid, &IID_IMAPITableData) && !IsEqualIID(riid, &IID_IUnknown))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "ITableData: unsupported interface");
    atomic_fetch_add(&self(This)->refs, 1);
    *ppv = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) tabledata_AddRef(ITableData *This)
{
    return atomic_fetch_add(&self(This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) tabledata_Release(ITableData *This)
{
    tabledata *t = self(This);
    ULONG left = atomic_fetch_sub(&t->refs, 1) - 1;
    if (left == 0) {
        for (size_t i = 0; i < t->nrows; i++)
            MAPIFreeBuffer(t->rows[i].props);
        fm_free(t->rows);
        fm_free(t->columns);
        fm_notify_source_clear(&t->watchers); /* empty: views hold references */
        pthread_mutex_destroy(&t->lock);
        fm_free(t);
    }
    return left;
}

/* ---- ITableData ------------------------------------------------------------------------ */
static STDMETHODIMP tabledata_HrGetView(ITableData *This, LPSSortOrderSet lpSSortOrderSet,
                                 CALLERRELEASE *lpfCallerRelease, ULONG_PTR ulCallerData,
                                 LPMAPITABLE *lppMAPITable)
{
    if (lppMAPITable == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ITableData::HrGetView: NULL argument");
    *lppMAPITable = NULL;
    tabledata_source *s = fm_calloc(1, sizeof *s);
    if (s == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "ITableData::HrGetView: out of memory");
    s->ops = (fm_table_source_ops){ .name = "table data",
                                    .columns = tabledata_columns,
                                    .generation = tabledata_generation,
                                    .load = tabledata_load,
                                    .watch = tabledata_watch,
                                    .unwatch = tabledata_unwatch,
                                    .release = tabledata_release };
    s->base.ops = &s->ops;
    tabledata_AddRef(This);
    s->td = self(This);
    LPMAPITABLE view = NULL;
    HRESULT hr = fm_table_new(&s->base, 0, &view); /* takes s, even on failure */
    if (hr == S_OK && lpSSortOrderSet != NULL && lpSSortOrderSet->cSorts > 0)
        hr = view->lpVtbl->SortTable(view, lpSSortOrderSet, 0);
    if (hr != S_OK) {
        if (view)
            view->lpVtbl->Release(view); /* before the caller's release is armed */
        return hr;
    }
    s->view = view;
    s->caller_release = lpfCallerRelease;
    s->caller_data = ulCallerData;
    *lppMAPITable = view;
    return S_OK;
}

static STDMETHODIMP tabledata_HrModifyRow(ITableData *This, LPSRow lpSRow)
{
    tabledata *t = self(This);
    HRESULT hr = check_row(t, lpSRow, "HrModifyRow");
    if (hr != S_OK)
        return hr;
    pthread_mutex_lock(&t->lock);
    hr = put_row(t, lpSRow, t->nrows, 1);
    pthread_mutex_unlock(&t->lock);
    if (hr == S_OK)
        changed(t);
    return hr;
}

static STDMETHODIMP tabledata_HrModifyRows(ITableData *This, ULONG ulFlags, LPSRowSet lpSRowSet)
{
    tabledata *t = self(This);
    if (lpSRowSet == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ITableData::HrModifyRows: NULL rows");
    if (ulFlags != 0)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ITableData::HrModifyRows: ulFlags must be 0");
    /* As documented: if any row lacks the index column, none changes. */
    for (ULONG i = 0; i < lpSRowSet->cRows; i++) {
        HRESULT hr = check_row(t, &lpSRowSet->aRow[i], "HrModifyRows");
        if (hr != S_OK)
            return hr;
    }
    pthread_mutex_lock(&t->lock);
    HRESULT hr = grow(t, lpSRowSet->cRows);
    for (ULONG i = 0; hr == S_OK && i < lpSRowSet->cRows; i++)
        hr = put_row(t, &lpSRowSet->aRow[i], t->nrows, 1);
    pthread_mutex_unlock(&t->lock);
    changed(t);
    return hr;
}

static STDMETHODIMP tabledata_HrDeleteRow(ITableData *This, LPSPropValue lpSPropValue)
{
    tabledata *t = self(This);
    if (lpSPropValue == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ITableData::HrDeleteRow: NULL index");
    pthread_mutex_lock(&t->lock);
    long i = lpSPropValue->ulPropTag == t->index_tag ? find_row(t, lpSPropValue) : -1;
    if (i >= 0)
        delete_at(t, (size_t)i);
    pthread_mutex_unlock(&t->lock);
    if (i < 0)
        return fm_error_set(MAPI_E_NOT_FOUND, "ITableData::HrDeleteRow: no row has that index "
                                              "value");
    changed(t);
    return S_OK;
}

static STDMETHODIMP tabledata_HrDeleteRows(ITableData *This, ULONG ulFlags, LPSRowSet lprowsetToDelete,
                                    ULONG *cRowsDeleted)
{
    tabledata *t = self(This);
    if (ulFlags & ~TAD_ALL_ROWS)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ITableData::HrDeleteRows: unknown flags");
    if (!(ulFlags & TAD_ALL_ROWS) && lprowsetToDelete == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ITableData::HrDeleteRows: NULL rows");
    ULONG n = 0;
    pthread_mutex_lock(&t->lock);
    if (ulFlags & TAD_ALL_ROWS) {
        while (t->nrows > 0) {
            delete_at(t, t->nrows - 1);
            n++;
        }
    } else {
        for (ULONG r = 0; r < lprowsetToDelete->cRows; r++) {
            const SRow *row = &lprowsetToDelete->aRow[r];
            const SPropValue *key = row->lpProps ? find_prop(row->cValues, row->lpProps,
                                                             t->index_tag)
                                                 : NULL;
            long i = key ? find_row(t, key) : -1;
            if (i >= 0) {
                delete_at(t, (size_t)i);
                n++;
            }
        }
    }
    pthread_mutex_unlock(&t->lock);
    if (cRowsDeleted)
        *cRowsDeleted = n;
    if (ulFlags & TAD_ALL_ROWS)
        changed_with(t, TABLE_RELOAD); /* "a single TABLE_RELOAD notification" */
    else if (n)
        changed(t);
    return S_OK;
}

static STDMETHODIMP tabledata_HrQueryRow(ITableData *This, LPSPropValue lpsPropValue, LPSRow *lppSRow,
                                  ULONG *lpuliRow)
{
    tabledata *t = self(This);
    if (lpsPropValue == NULL || lppSRow == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ITableData::HrQueryRow: NULL argument");
    *lppSRow = NULL;
    pthread_mutex_lock(&t->lock);
    long i = lpsPropValue->ulPropTag == t->index_tag ? find_row(t, lpsPropValue) : -1;
    HRESULT hr = i < 0 ? fm_error_set(MAPI_E_NOT_FOUND, "ITableData::HrQueryRow: no row has "
                                                        "that index value")
                       : row_out(t, &t->rows[i], lppSRow);
    pthread_mutex_unlock(&t->lock);
    if (hr == S_OK && lpuliRow)
        *lpuliRow = (ULONG)i;
    return hr;
}

static STDMETHODIMP tabledata_HrEnumRow(ITableData *This, ULONG ulRowNumber, LPSRow *lppSRow)
{
    tabledata *t = self(This);
    if (lppSRow == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ITableData::HrEnumRow: NULL argument");
    *lppSRow = NULL;
    pthread_mutex_lock(&t->lock);
    /* Past the last row: S_OK and no row, as documented. */
    HRESULT hr = ulRowNumber < t->nrows ? row_out(t, &t->rows[ulRowNumber], lppSRow) : S_OK;
    pthread_mutex_unlock(&t->lock);
    return hr;
}

static STDMETHODIMP tabledata_HrNotify(ITableData *This, ULONG ulFlags, ULONG cValues,
                                LPSPropValue lpSPropValue)
{
    tabledata *t = self(This);
    if (ulFlags != 0)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ITableData::HrNotify: ulFlags must be 0");
    const SPropValue *key = lpSPropValue ? find_prop(cValues, lpSPropValue, t->index_tag) : NULL;
    if (key == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ITableData::HrNotify: no index column");
    pthread_mutex_lock(&t->lock);
    long i = find_row(t, key);
    pthread_mutex_unlock(&t->lock);
    if (i < 0)
        return fm_error_set(MAPI_E_NOT_FOUND, "ITableData::HrNotify: no row has that index value");
    changed(t); /* views read the row again */
    return S_OK;
}

static STDMETHODIMP tabledata_HrInsertRow(ITableData *This, ULONG uliRow, LPSRow lpSRow)
{
    tabledata *t = self(This);
    HRESULT hr = check_row(t, lpSRow, "HrInsertRow");
    if (hr != S_OK)
        return hr;
    pthread_mutex_lock(&t->lock);
    if (find_row(t, find_prop(lpSRow->cValues, lpSRow->lpProps, t->index_tag)) >= 0)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "ITableData::HrInsertRow: a row with that "
                                                    "index value exists");
    else if (uliRow > t->nrows)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "ITableData::HrInsertRow: position %lu is "
                                                    "past the %zu rows", (unsigned long)uliRow,
                          t->nrows);
    else
        hr = put_row(t, lpSRow, uliRow, 0);
    pthread_mutex_unlock(&t->lock);
    if (hr == S_OK)
        changed(t);
    return hr;
}

static const ITableDataVtbl TABLEDATA_VTBL = {
    .QueryInterface = tabledata_QueryInterface,
    .AddRef = tabledata_AddRef,
    .Release = tabledata_Release,
    .HrGetView = tabledata_HrGetView,
    .HrModifyRow = tabledata_HrModifyRow,
    .HrDeleteRow = tabledata_HrDeleteRow,
    .HrQueryRow = tabledata_HrQueryRow,
    .HrEnumRow = tabledata_HrEnumRow,
    .HrNotify = tabledata_HrNotify,
    .HrInsertRow = tabledata_HrInsertRow,
    .HrModifyRows = tabledata_HrModifyRows,
    .HrDeleteRows = tabledata_HrDeleteRows,
};

STDAPI_(SCODE) CreateTable(LPCIID lpInterface, ALLOCATEBUFFER *lpAllocateBuffer,
                           ALLOCATEMORE *lpAllocateMore, FREEBUFFER *lpFreeBuffer,
                           LPVOID lpvReserved, ULONG ulTableType, ULONG ulPropTagIndexColumn,
                           LPSPropTagArray lpSPropTagArrayColumns, LPTABLEDATA *lppTableData)
{
    if (lppTableData == NULL || lpAllocateBuffer == NULL || lpAllocateMore == NULL ||
        lpFreeBuffer == NULL || lpSPropTagArrayColumns == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateTable: NULL argument");
    *lppTableData = NULL;
    if (lpInterface && !IsEqualIID(lpInterface, &IID_IMAPITableData))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "CreateTable: the interface must be "
                                                            "IID_IMAPITableData");
    if (ulTableType > TBLTYPE_DYNAMIC)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateTable: unknown table type %lu",
                            (unsigned long)ulTableType);
    if ((PROP_TYPE(ulPropTagIndexColumn) & MV_FLAG) || PROP_TYPE(ulPropTagIndexColumn) == PT_ERROR ||
        PROP_TYPE(ulPropTagIndexColumn) == PT_UNSPECIFIED || FBadColumnSet(lpSPropTagArrayColumns))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateTable: the index column must be "
                                                      "single-valued and the columns valid");
    tabledata *t = fm_calloc(1, sizeof *t);
    ULONG n = lpSPropTagArrayColumns->cValues;
    ULONG *cols = fm_malloc((n ? n : 1) * sizeof *cols);
    if (t == NULL || cols == NULL) {
        fm_free(t);
        fm_free(cols);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "CreateTable: out of memory");
    }
    memcpy(cols, lpSPropTagArrayColumns->aulPropTag, n * sizeof *cols);
    t->lpVtbl = &TABLEDATA_VTBL;
    atomic_init(&t->refs, 1);
    pthread_mutex_init(&t->lock, NULL);
    t->index_tag = ulPropTagIndexColumn;
    t->table_type = ulTableType;
    t->columns = cols;
    t->ncolumns = n;
    t->alloc = lpAllocateBuffer;
    t->more = lpAllocateMore;
    t->freebuf = lpFreeBuffer;
    fm_notify_source_init(&t->watchers, FM_NOTIFY_TABLE);
    *lppTableData = (LPTABLEDATA)t;
    return S_OK;
}
