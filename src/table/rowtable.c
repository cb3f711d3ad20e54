/*
 * table/rowtable.c - fixed tables over rows built by the caller
 * (rowtable.h).
 */
#include "core/error.h"
#include "mapicode.h"
#include "mapiutil.h"
#include "table/rowtable.h"
#include "table/table.h"

HRESULT fm_rowtable_open(const char *fn, size_t nrows, ULONG ncols, const SPropValue *vals,
                         const ULONG *columns, ULONG ncolumns, ULONG flags, LPMAPITABLE *out)
{
    if (out == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: lppTable is NULL", fn);
    *out = NULL;
    if (flags & ~(ULONG)MAPI_UNICODE)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "%s: unknown flags 0x%08lX", fn,
                            (unsigned long)flags);
    LPSRowSet rows = NULL;
    HRESULT hr = fm_rowset_new(nrows, &rows);
    for (size_t r = 0; hr == S_OK && r < nrows; r++) {
        hr = fm_row_from_props(&rows->aRow[r], ncols, vals + r * ncols, 0, NULL);
        if (hr == S_OK)
            rows->cRows++;
    }
    if (hr == S_OK)
        hr = fm_table_from_rows(rows, columns, ncolumns, flags, out);
    if (rows != NULL)
        FreeProws(rows);
    return hr;
}
