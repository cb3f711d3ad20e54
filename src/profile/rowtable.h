/*
 * profile/rowtable.h - the small fixed tables of profiles and sessions
 * (profile, message service, provider, message store and status tables):
 * rows built here as property arrays, shown through the one table engine.
 */
#ifndef FREEMAPI_PROFILE_ROWTABLE_H
#define FREEMAPI_PROFILE_ROWTABLE_H

#include "mapidefs.h"

/*
 * A table of nrows rows of ncols values each (vals[r * ncols + c], copied),
 * with the given default columns. flags: MAPI_UNICODE (string columns in
 * UTF-16), anything else MAPI_E_UNKNOWN_FLAGS (named after fn).
 */
HRESULT fm_rowtable_open(const char *fn, size_t nrows, ULONG ncols, const SPropValue *vals,
                         const ULONG *columns, ULONG ncolumns, ULONG flags, LPMAPITABLE *out);

#endif /* FREEMAPI_PROFILE_ROWTABLE_H */
