/*
 * table/table_rows.c - QueryRows and GetRowCount: turning view rows into
 * the rows a caller receives, with the current column set.
 *
 * Each returned row's lpProps is its own MAPI buffer (the values allocated
 * with MAPIAllocateMore on it), as FreeProws expects. A column the row has
 * no value for comes back as PT_ERROR with MAPI_E_NOT_FOUND. Strings come
 * back in the width the column names; a PT_UNSPECIFIED column takes the
 * value's type, with strings as PT_UNICODE when the table was opened with
 * MAPI_UNICODE and PT_STRING8 otherwise. An MV_INSTANCE column holds one
 * value per row, tagged with the column's tag.
 *
 * The table adds its own columns to every row: PR_INSTANCE_KEY (12 bytes,
 * unique per row of the table), and in categorized views PR_ROW_TYPE,
 * PR_DEPTH and, on headings, PR_CONTENT_COUNT and PR_CONTENT_UNREAD.
 */
#include <string.h>

#include "core/alloc.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"
#include "props/compare.h"
#include "props/propvalue.h"
#include "table/table_methods.h"

void fm_rows_instance_key(const fm_table_row *row, BYTE out[FM_INSTANCE_KEY_SIZE])
{
    uint64_t id = row->type == TBL_LEAF_ROW ? (uint64_t)row->id : row->hash;
    ULONG n = row->type == TBL_LEAF_ROW ? row->inst : row->depth;
    for (int i = 0; i < 8; i++)
        out[i] = (BYTE)(id >> (8 * i));
    for (int i = 0; i < 4; i++)
        out[8 + i] = (BYTE)(n >> (8 * i));
}

static void set_long(SPropValue *out, ULONG tag, LONG v)
{
    out->ulPropTag = tag;
    out->dwAlignPad = 0;
    out->Value.l = v;
}

bool fm_rows_engine_value(const fm_table *t, const fm_table_row *row, ULONG tag, BYTE *keybuf,
                          SPropValue *out)
{
    bool heading = row->type != TBL_LEAF_ROW;
    switch (tag) {
    case PR_INSTANCE_KEY:
        fm_rows_instance_key(row, keybuf);
        out->ulPropTag = PR_INSTANCE_KEY;
        out->dwAlignPad = 0;
        out->Value.bin.cb = FM_INSTANCE_KEY_SIZE;
        out->Value.bin.lpb = keybuf;
        return true;
    case PR_ROW_TYPE:
        if (!t->nlevels)
            return false;
        set_long(out, tag, (LONG)row->type);
        return true;
    case PR_DEPTH:
        if (!t->nlevels)
            return false;
        set_long(out, tag, (LONG)row->depth);
        return true;
    case PR_CONTENT_COUNT:
    case PR_CONTENT_UNREAD:
        if (!heading)
            return false;
        set_long(out, tag, (LONG)(tag == PR_CONTENT_COUNT ? row->count : row->unread));
        return true;
    default:
        return false;
    }
}

HRESULT fm_rows_full(fm_table *t, const fm_table_row *row, const SPropTagArray *want,
                     ULONG *cvals, LPSPropValue *vals)
{
    if (row->full || row->type != TBL_LEAF_ROW || t->src->ops->read_row == NULL) {
        *cvals = row->cvals;
        *vals = row->vals;
        return S_OK;
    }
    return t->src->ops->read_row(t->src, row, want, cvals, vals);
}

/* The value for column col: an MV_INSTANCE column finds a row's instance
 * value, any other column the row's own value (an expanded row holds both). */
static const SPropValue *find_value(ULONG c, const SPropValue *v, ULONG col)
{
    ULONG id = PROP_ID(col), want = PROP_TYPE(col) & ~(ULONG)MV_INSTANCE;
    bool instance = (PROP_TYPE(col) & MV_INSTANCE) != 0;
    const SPropValue *error = NULL;
    for (ULONG i = 0; i < c; i++) {
        if (PROP_ID(v[i].ulPropTag) != id)
            continue;
        ULONG have = PROP_TYPE(v[i].ulPropTag) & ~(ULONG)MV_INSTANCE;
        if (have != PT_ERROR && instance != ((PROP_TYPE(v[i].ulPropTag) & MV_INSTANCE) != 0))
            continue;
        if (have == PT_ERROR) {
            error = &v[i];
            continue;
        }
        if (want == PT_UNSPECIFIED || have == want)
            return &v[i];
        ULONG wb = want & ~(ULONG)MV_FLAG, hb = have & ~(ULONG)MV_FLAG;
        if ((want & MV_FLAG) == (have & MV_FLAG) && fm_prop_is_string_type(wb) &&
            fm_prop_is_string_type(hb))
            return &v[i];
    }
    return error;
}

/* The type a value is returned as for column col. */
static ULONG output_type(const fm_table *t, ULONG col, ULONG have)
{
    ULONG want = PROP_TYPE(col);
    if (want != PT_UNSPECIFIED)
        return want;
    ULONG base = have & ~(ULONG)MV_FLAG;
    if (fm_prop_is_string_type(base))
        return (have & MV_FLAG) | ((t->flags & MAPI_UNICODE) ? PT_UNICODE : PT_STRING8);
    return have;
}

static HRESULT put_column(const fm_table *t, const fm_table_row *row, ULONG col, ULONG cfull,
                          const SPropValue *full, void *root, SPropValue *out)
{
    BYTE key[FM_INSTANCE_KEY_SIZE];
    SPropValue engine;
    if (fm_rows_engine_value(t, row, col, key, &engine))
        return PropCopyMore(out, &engine, MAPIAllocateMore, root) == S_OK
                   ? S_OK
                   : fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading rows");
    const SPropValue *v = NULL;
    if (row->type != TBL_LEAF_ROW) {
        if (fm_categories_shows(t, row->depth, col))
            v = find_value(row->cvals, row->vals, col);
    } else if (PROP_TYPE(col) & MV_INSTANCE) {
        v = fm_view_value(row, col);
        if (v && !(PROP_TYPE(v->ulPropTag) & MV_INSTANCE))
            v = NULL; /* the row was not expanded on this column */
    } else {
        v = find_value(cfull, full, col);
    }
    if (v == NULL || PROP_TYPE(v->ulPropTag) == PT_ERROR) {
        out->ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(col));
        out->dwAlignPad = 0;
        out->Value.err = v ? v->Value.err : MAPI_E_NOT_FOUND;
        return S_OK;
    }
    if (PROP_TYPE(col) & MV_INSTANCE) {
        SPropValue one = *v;
        one.ulPropTag = PROP_TAG(PROP_TYPE(v->ulPropTag) & ~(ULONG)MVI_FLAG, PROP_ID(col));
        HRESULT hr =
            fm_props_copy_as(out, &one, PROP_TYPE(col) & ~(ULONG)MVI_FLAG, MAPIAllocateMore, root);
        out->ulPropTag = col;
        return hr;
    }
    ULONG type = output_type(t, col, PROP_TYPE(v->ulPropTag));
    return fm_props_copy_as(out, v, type, MAPIAllocateMore, root);
}

HRESULT fm_rows_project(fm_table *t, const fm_table_row *row, const SPropValue *full, ULONG cfull,
                        SRow *out)
{
    ULONG n = t->cols->cValues;
    LPSPropValue props = NULL;
    if (MAPIAllocateBuffer((ULONG)(n * sizeof *props), (void **)&props) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading rows");
    HRESULT hr = S_OK;
    for (ULONG i = 0; i < n && hr == S_OK; i++)
        hr = put_column(t, row, t->cols->aulPropTag[i], cfull, full, props, &props[i]);
    if (hr != S_OK) {
        MAPIFreeBuffer(props);
        return hr == MAPI_E_NOT_ENOUGH_MEMORY
                   ? hr
                   : fm_error_set(hr, "reading a table row: a value could not be converted");
    }
    out->ulAdrEntryPad = 0;
    out->cValues = n;
    out->lpProps = props;
    return S_OK;
}

/* Appends view row `row` to set; a leaf that vanished from the source
 * since the view was built is skipped. */
static HRESULT add_row(fm_table *t, const fm_table_row *row, SRowSet *set)
{
    ULONG cfull = 0;
    LPSPropValue full = NULL;
    HRESULT hr = fm_rows_full(t, row, t->cols, &cfull, &full);
    if (hr == MAPI_E_NOT_FOUND)
        return S_OK;
    if (hr != S_OK)
        return hr;
    hr = fm_rows_project(t, row, full, cfull, &set->aRow[set->cRows]);
    if (hr == S_OK)
        set->cRows++;
    if (full != row->vals)
        MAPIFreeBuffer(full);
    return hr;
}

HRESULT fm_rows_query(fm_table *t, LONG count, ULONG flags, LPSRowSet *out)
{
    size_t start, end;
    HRESULT hr = S_OK;
    if (count >= 0) {
        start = t->cursor;
        hr = fm_view_ensure(t, start + (size_t)count);
        size_t size = fm_view_size(t);
        if (start > size)
            start = size;
        end = size - start < (size_t)count ? size : start + (size_t)count;
    } else {
        size_t back = (size_t)(-(int64_t)count);
        end = t->cursor;
        start = end > back ? end - back : 0;
    }
    if (hr != S_OK)
        return hr;
    LPSRowSet set = NULL;
    if (MAPIAllocateBuffer(CbNewSRowSet(end - start), (void **)&set) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading %zu rows",
                            end - start);
    set->cRows = 0;
    for (size_t i = start; i < end && hr == S_OK; i++) {
        fm_table_row *row = NULL;
        hr = fm_view_at(t, i, &row);
        if (hr == S_OK)
            hr = add_row(t, row, set);
    }
    if (hr != S_OK) {
        FreeProws(set);
        return hr;
    }
    if (flags & TBL_NOADVANCE)
        t->cursor = start;
    else
        t->cursor = end;
    *out = set;
    return S_OK;
}

STDMETHODIMP fm_table_QueryRows(IMAPITable *This, LONG lRowCount, ULONG ulFlags, LPSRowSet *lppRows)
{
    fm_table *t = (fm_table *)This;
    if (lppRows == NULL)
        return fm_table_fail(t,
                             fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryRows: lppRows is NULL"));
    *lppRows = NULL;
    if (ulFlags & ~(ULONG)TBL_NOADVANCE)
        return fm_table_fail(t,
                             fm_error_set(MAPI_E_UNKNOWN_FLAGS, "QueryRows: unknown flags 0x%08lX",
                                          (unsigned long)(ulFlags & ~(ULONG)TBL_NOADVANCE)));
    if (lRowCount == 0)
        return fm_table_fail(t,
                             fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryRows: lRowCount is 0"));
    pthread_mutex_lock(&t->lock);
    HRESULT hr = fm_view_refresh(t);
    if (hr == S_OK)
        hr = fm_rows_query(t, lRowCount, ulFlags, lppRows);
    pthread_mutex_unlock(&t->lock);
    return fm_table_fail(t, hr);
}

STDMETHODIMP fm_table_GetRowCount(IMAPITable *This, ULONG ulFlags, ULONG *lpulCount)
{
    fm_table *t = (fm_table *)This;
    if (ulFlags)
        return fm_table_fail(t,
                             fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetRowCount: ulFlags must be 0"));
    if (lpulCount == NULL)
        return fm_table_fail(
            t, fm_error_set(MAPI_E_INVALID_PARAMETER, "GetRowCount: lpulCount is NULL"));
    pthread_mutex_lock(&t->lock);
    HRESULT hr = fm_view_refresh(t);
    if (hr == S_OK && !t->view.done && t->src->ops->count) {
        fm_table_query q = {
            .sort = t->leaf_sort, .res = t->res, .tags = t->need, .ntags = t->nneed};
        hr = t->src->ops->count(t->src, &q, lpulCount);
    } else if (hr == S_OK) {
        hr = fm_view_complete(t);
        if (hr == S_OK)
            *lpulCount = (ULONG)fm_view_size(t);
    }
    pthread_mutex_unlock(&t->lock);
    return fm_table_fail(t, hr);
}
