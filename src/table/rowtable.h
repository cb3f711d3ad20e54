/*
 * table/rowtable.h - a table over a fixed set of rows the caller builds as
 * property arrays (the profile, message service, provider, message store
 * and status tables of profiles and sessions), shown through the one table
 * engine.
 */
#ifndef FREEMAPI_TABLE_ROWTABLE_H
#define FREEMAPI_TABLE_ROWTABLE_H

#include "mapidefs.h"

/*
 * A table of nrows rows of ncols values each (vals[r * ncols + c], copied),
 * with the given default columns. flags: MAPI_UNICODE (string columns in
 * UTF-16), anything else MAPI_E_UNKNOWN_FLAGS (named after fn).
 */
HRESULT fm_rowtable_open(const char *fn, size_t nrows, ULONG ncols, const SPropValue *vals,
                         const ULONG *columns, ULONG ncolumns, ULONG flags, LPMAPITABLE *out);

#endif /* FREEMAPI_TABLE_ROWTABLE_H */
