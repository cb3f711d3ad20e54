/*
 * table/table_seek.c - moving the cursor: SeekRow, SeekRowApprox,
 * QueryPosition, FindRow, and bookmarks (CreateBookmark, FreeBookmark).
 *
 * MAPI's rules, from the IMAPITable reference pages:
 *   - the cursor is the next row to be read; BOOKMARK_BEGINNING is row 0
 *     and BOOKMARK_END the position after the last row;
 *   - SeekRow moves by a signed count from a bookmark and stops at either
 *     end, reporting the rows actually moved (negative backward);
 *   - FindRow searches forward from the bookmark's row, or backward from
 *     the row before it, and moves the cursor to the first match;
 *   - a bookmark whose row went away moves to the row that followed it,
 *     and the next call that uses it returns MAPI_W_POSITION_CHANGED;
 *   - SeekRowApprox(n, d) goes to row floor(count * n / d); n == d is the end.
 * Bookmark handles are 3 + a slot number, so they never equal the three
 * predefined values.
 */
#include <string.h>

#include "core/alloc.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapix.h"
#include "table/table_methods.h"

#define FIRST_HANDLE 3

HRESULT fm_seek_origin(fm_table *t, BOOKMARK bk, size_t *index, bool *moved)
{
    *moved = false;
    switch (bk) {
    case BOOKMARK_BEGINNING:
        *index = 0;
        return S_OK;
    case BOOKMARK_CURRENT:
        *index = t->cursor;
        return S_OK;
    case BOOKMARK_END: {
        HRESULT hr = fm_view_complete(t);
        *index = fm_view_size(t);
        return hr;
    }
    default:
        break;
    }
    size_t slot = (size_t)(bk - FIRST_HANDLE);
    if (bk < FIRST_HANDLE || slot >= t->nbm || !t->bm[slot].used)
        return fm_error_set(MAPI_E_INVALID_BOOKMARK, "bookmark %lu is not one of this table's",
                            (unsigned long)bk);
    *index = t->bm[slot].index;
    *moved = t->bm[slot].moved;
    t->bm[slot].moved = false;
    size_t size = fm_view_size(t);
    if (*index > size && t->view.done)
        *index = size;
    return S_OK;
}

HRESULT fm_seek_bookmark_here(fm_table *t, BOOKMARK *out)
{
    size_t slot = 0;
    while (slot < t->nbm && t->bm[slot].used)
        slot++;
    if (slot == t->nbm) {
        if (t->nbm == FM_TABLE_MAX_BOOKMARKS)
            return fm_error_set(MAPI_E_UNABLE_TO_COMPLETE,
                                "CreateBookmark: this table already holds %d bookmarks; "
                                "free some with FreeBookmark",
                                FM_TABLE_MAX_BOOKMARKS);
        fm_table_bookmark *b = fm_realloc(t->bm, (t->nbm + 1) * sizeof *b);
        if (b == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory creating a bookmark");
        t->bm = b;
        t->nbm++;
    }
    memset(&t->bm[slot], 0, sizeof t->bm[slot]);
    t->bm[slot].used = true;
    t->bm[slot].index = t->cursor;
    *out = (BOOKMARK)(slot + FIRST_HANDLE);
    return S_OK;
}

static HRESULT lock_refresh(fm_table *t)
{
    pthread_mutex_lock(&t->lock);
    return fm_view_refresh(t);
}

static HRESULT unlock(fm_table *t, HRESULT hr)
{
    pthread_mutex_unlock(&t->lock);
    return fm_table_fail(t, hr);
}

STDMETHODIMP fm_table_SeekRow(IMAPITable *This, BOOKMARK bkOrigin, LONG lRowCount,
                              LONG *lplRowsSought)
{
    fm_table *t = (fm_table *)This;
    size_t origin = 0;
    bool moved = false;
    HRESULT hr = lock_refresh(t);
    if (hr == S_OK)
        hr = fm_seek_origin(t, bkOrigin, &origin, &moved);
    if (hr == S_OK && lRowCount > 0)
        hr = fm_view_ensure(t, origin + (size_t)lRowCount);
    if (hr == S_OK) {
        size_t size = fm_view_size(t), target;
        if (origin > size)
            origin = size;
        if (lRowCount >= 0) {
            target = size - origin < (size_t)lRowCount ? size : origin + (size_t)lRowCount;
        } else {
            size_t back = (size_t)(-(int64_t)lRowCount);
            target = origin > back ? origin - back : 0;
        }
        t->cursor = target;
        if (lplRowsSought)
            *lplRowsSought = (LONG)((int64_t)target - (int64_t)origin);
        if (moved)
            hr = MAPI_W_POSITION_CHANGED;
    }
    return unlock(t, hr);
}

/* Rows in the view, counting through the source when it can. */
static HRESULT total_rows(fm_table *t, size_t *out)
{
    if (!t->view.done && t->src->ops->count) {
        fm_table_query q = {
            .sort = t->leaf_sort, .res = t->res, .tags = t->need, .ntags = t->nneed};
        ULONG n = 0;
        HRESULT hr = t->src->ops->count(t->src, &q, &n);
        *out = n;
        return hr;
    }
    HRESULT hr = fm_view_complete(t);
    *out = fm_view_size(t);
    return hr;
}

STDMETHODIMP fm_table_SeekRowApprox(IMAPITable *This, ULONG ulNumerator, ULONG ulDenominator)
{
    fm_table *t = (fm_table *)This;
    if (ulDenominator == 0 || ulNumerator > ulDenominator)
        return fm_table_fail(t, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                             "SeekRowApprox: %lu/%lu is not a fraction "
                                             "between 0 and 1",
                                             (unsigned long)ulNumerator,
                                             (unsigned long)ulDenominator));
    size_t total = 0;
    HRESULT hr = lock_refresh(t);
    if (hr == S_OK)
        hr = total_rows(t, &total);
    if (hr == S_OK) {
        size_t target = (size_t)((uint64_t)total * ulNumerator / ulDenominator);
        hr = ulNumerator == ulDenominator ? fm_view_complete(t) : fm_view_ensure(t, target + 1);
        size_t size = fm_view_size(t);
        t->cursor = ulNumerator == ulDenominator ? size : (target < size ? target : size);
    }
    return unlock(t, hr);
}

STDMETHODIMP fm_table_QueryPosition(IMAPITable *This, ULONG *lpulRow, ULONG *lpulNumerator,
                                    ULONG *lpulDenominator)
{
    fm_table *t = (fm_table *)This;
    if (lpulRow == NULL || lpulNumerator == NULL || lpulDenominator == NULL)
        return fm_table_fail(
            t, fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryPosition: NULL output pointer"));
    size_t total = 0;
    HRESULT hr = lock_refresh(t);
    if (hr == S_OK)
        hr = total_rows(t, &total);
    if (hr == S_OK) {
        if (total < t->cursor)
            total = t->cursor;
        *lpulRow = (ULONG)t->cursor;
        *lpulNumerator = (ULONG)t->cursor;
        *lpulDenominator = total ? (ULONG)total : 1;
    }
    return unlock(t, hr);
}

/* Whether view row i matches r: the row's values plus the table's own. */
static HRESULT row_matches(fm_table *t, const fm_table_row *row, fmapi_restriction *r, BOOL *match)
{
    ULONG cfull = 0;
    LPSPropValue full = NULL;
    HRESULT hr = fm_rows_full(t, row, NULL, &cfull, &full);
    if (hr == MAPI_E_NOT_FOUND) {
        *match = FALSE;
        return S_OK;
    }
    if (hr != S_OK)
        return hr;
    static const ULONG engine_tags[] = {PR_INSTANCE_KEY, PR_ROW_TYPE, PR_DEPTH, PR_CONTENT_COUNT,
                                        PR_CONTENT_UNREAD};
    const ULONG nengine = sizeof engine_tags / sizeof engine_tags[0];
    SPropValue *all = fm_malloc((cfull + nengine + 1) * sizeof *all);
    BYTE key[FM_INSTANCE_KEY_SIZE];
    if (all == NULL) {
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory searching a table");
    } else {
        ULONG n = 0;
        for (ULONG i = 0; i < nengine; i++)
            if (fm_rows_engine_value(t, row, engine_tags[i], key, &all[n]))
                n++;
        const SPropValue *inst = t->view.expand_tag ? fm_view_value(row, t->view.expand_tag) : NULL;
        if (inst && (PROP_TYPE(inst->ulPropTag) & MV_INSTANCE))
            all[n++] = *inst;
        for (ULONG i = 0; i < cfull; i++)
            if (row->type == TBL_LEAF_ROW || fm_categories_shows(t, row->depth, full[i].ulPropTag))
                all[n++] = full[i];
        hr = fmapi_restriction_eval(r, n, all, NULL, match);
        fm_free(all);
    }
    if (full != row->vals)
        MAPIFreeBuffer(full);
    return hr;
}

static HRESULT find_from(fm_table *t, fmapi_restriction *r, size_t origin, bool backward,
                         size_t *found)
{
    HRESULT hr = S_OK;
    for (size_t i = origin;;) {
        if (backward) {
            if (i == 0)
                return fm_error_set(MAPI_E_NOT_FOUND, "FindRow: no row before the origin matches");
            i--;
        } else {
            hr = fm_view_ensure(t, i + 1);
            if (hr != S_OK)
                return hr;
            if (i >= fm_view_size(t))
                return fm_error_set(MAPI_E_NOT_FOUND, "FindRow: no row after the origin matches");
        }
        BOOL match = FALSE;
        fm_table_row *row = NULL;
        hr = fm_view_at(t, i, &row);
        if (hr == S_OK)
            hr = row_matches(t, row, r, &match);
        if (hr != S_OK)
            return hr;
        if (match) {
            *found = i;
            return S_OK;
        }
        if (!backward)
            i++;
    }
}

STDMETHODIMP fm_table_FindRow(IMAPITable *This, LPSRestriction lpRestriction, BOOKMARK bkOrigin,
                              ULONG ulFlags)
{
    fm_table *t = (fm_table *)This;
    if (ulFlags & ~(ULONG)DIR_BACKWARD)
        return fm_table_fail(t, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "FindRow: unknown flags 0x%08lX",
                                             (unsigned long)(ulFlags & ~(ULONG)DIR_BACKWARD)));
    if (lpRestriction == NULL)
        return fm_table_fail(
            t, fm_error_set(MAPI_E_INVALID_PARAMETER, "FindRow: lpRestriction is NULL"));
    fmapi_restriction *r = NULL;
    HRESULT hr = fmapi_restriction_compile(lpRestriction, 0, &r);
    if (hr != S_OK)
        return fm_table_fail(t, hr);
    size_t origin = 0, found = 0;
    bool moved = false;
    hr = lock_refresh(t);
    if (hr == S_OK)
        hr = fm_seek_origin(t, bkOrigin, &origin, &moved);
    if (hr == S_OK)
        hr = find_from(t, r, origin, (ulFlags & DIR_BACKWARD) != 0, &found);
    if (hr == S_OK) {
        t->cursor = found;
        if (moved)
            hr = MAPI_W_POSITION_CHANGED;
    }
    fmapi_restriction_free(r);
    return unlock(t, hr);
}

STDMETHODIMP fm_table_CreateBookmark(IMAPITable *This, BOOKMARK *lpbkPosition)
{
    fm_table *t = (fm_table *)This;
    if (lpbkPosition == NULL)
        return fm_table_fail(
            t, fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateBookmark: lpbkPosition is NULL"));
    HRESULT hr = lock_refresh(t);
    if (hr == S_OK)
        hr = fm_seek_bookmark_here(t, lpbkPosition);
    return unlock(t, hr);
}

STDMETHODIMP fm_table_FreeBookmark(IMAPITable *This, BOOKMARK bkPosition)
{
    fm_table *t = (fm_table *)This;
    if (bkPosition <= BOOKMARK_END)
        return S_OK;
    pthread_mutex_lock(&t->lock);
    size_t slot = (size_t)(bkPosition - FIRST_HANDLE);
    HRESULT hr = S_OK;
    if (slot >= t->nbm || !t->bm[slot].used)
        hr = fm_error_set(MAPI_E_INVALID_BOOKMARK,
                          "FreeBookmark: bookmark %lu is not one of "
                          "this table's",
                          (unsigned long)bkPosition);
    else
        memset(&t->bm[slot], 0, sizeof t->bm[slot]);
    return unlock(t, hr);
}
