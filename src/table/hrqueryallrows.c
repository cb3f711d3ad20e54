/*
 * table/hrqueryallrows.c - HrQueryAllRows (mapiutil.h): a whole table in one
 * row set.
 *
 * From the MAPI reference: the columns, restriction and sort order are set
 * when given, the rows are read from the beginning, and crowsMax (when not
 * 0) is the most rows the caller accepts: a bigger table gives
 * MAPI_E_TABLE_TOO_BIG and no rows. Rows are read in pages so a table of
 * any size is read without asking for more than one page at a time.
 */
#include <string.h>

#include "core/error.h"
#include "mapicode.h"
#include "mapiutil.h"
#include "mapix.h"

#define PAGE 1024

/* Appends page to *all (a new set holding both); frees page's shell. */
static HRESULT append(LPSRowSet *all, LPSRowSet page)
{
    ULONG have = *all ? (*all)->cRows : 0;
    LPSRowSet both = NULL;
    if (MAPIAllocateBuffer(CbNewSRowSet(have + page->cRows), (void **)&both) != S_OK) {
        FreeProws(page);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "HrQueryAllRows: out of memory");
    }
    both->cRows = have + page->cRows;
    if (have)
        memcpy(both->aRow, (*all)->aRow, have * sizeof(SRow));
    memcpy(both->aRow + have, page->aRow, page->cRows * sizeof(SRow));
    MAPIFreeBuffer(*all);
    MAPIFreeBuffer(page);
    *all = both;
    return S_OK;
}

static HRESULT read_all(LPMAPITABLE t, LONG crowsMax, LPSRowSet *out)
{
    LPSRowSet all = NULL;
    for (;;) {
        LPSRowSet page = NULL;
        HRESULT hr = t->lpVtbl->QueryRows(t, PAGE, 0, &page);
        if (hr != S_OK) {
            if (all)
                FreeProws(all);
            return hr;
        }
        if (page->cRows == 0) {
            if (all == NULL) {
                *out = page;
                return S_OK;
            }
            MAPIFreeBuffer(page);
            *out = all;
            return S_OK;
        }
        hr = append(&all, page);
        if (hr == S_OK && crowsMax > 0 && all->cRows > (ULONG)crowsMax)
            hr = fm_error_set(MAPI_E_TABLE_TOO_BIG,
                              "HrQueryAllRows: the table has more than the %ld rows allowed",
                              (long)crowsMax);
        if (hr != S_OK) {
            if (all)
                FreeProws(all);
            return hr;
        }
    }
}

STDAPI HrQueryAllRows(LPMAPITABLE lpTable, LPSPropTagArray lpPropTags, LPSRestriction lpRestriction,
                      LPSSortOrderSet lpSortOrderSet, LONG crowsMax, LPSRowSet *lppRows)
{
    if (lpTable == NULL || lppRows == NULL || crowsMax < 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "HrQueryAllRows: NULL table or lppRows, or negative crowsMax");
    *lppRows = NULL;
    HRESULT hr = S_OK;
    if (lpPropTags)
        hr = lpTable->lpVtbl->SetColumns(lpTable, lpPropTags, TBL_BATCH);
    if (hr == S_OK && lpRestriction)
        hr = lpTable->lpVtbl->Restrict(lpTable, lpRestriction, TBL_BATCH);
    if (hr == S_OK && lpSortOrderSet)
        hr = lpTable->lpVtbl->SortTable(lpTable, lpSortOrderSet, TBL_BATCH);
    if (hr == S_OK)
        hr = lpTable->lpVtbl->SeekRow(lpTable, BOOKMARK_BEGINNING, 0, NULL);
    if (hr == S_OK)
        hr = read_all(lpTable, crowsMax, lppRows);
    return hr;
}
