/*
 * store/bulk_soft_rows.h - the row of a soft-deleted message, for contents
 * tables opened with SHOW_SOFT_DELETES.
 *
 * A soft-deleted message can no longer be opened (it has left its folder),
 * so its row is built from its database row: the columns the messages table
 * keeps, its property blob, its entry IDs and PR_DELETED_ON.
 */
#ifndef FREEMAPI_STORE_BULK_SOFT_ROWS_H
#define FREEMAPI_STORE_BULK_SOFT_ROWS_H

#include "freemapi_restriction.h"
#include "store/store.h"

/* The properties of soft-deleted message mid in one MAPI buffer (*vals);
 * MAPI_E_NOT_FOUND when it is not (or no longer) soft-deleted. With res,
 * *match says whether they match it (sub-object restrictions see no rows). */
HRESULT fm_soft_row_props(fm_store *s, int64_t mid, fmapi_restriction *res, ULONG *cvals,
                          LPSPropValue *vals, BOOL *match);

#endif /* FREEMAPI_STORE_BULK_SOFT_ROWS_H */
