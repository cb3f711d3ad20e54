/*
 * store/bulk_cursor.h - walking the live messages of one folder in index
 * order without holding a list of their IDs.
 *
 * Operations that leave each message where it is (copies, read flags) need
 * a position to go on from. The position is the key of the folder's index of
 * live messages (messages_by_delivery: fid, assoc, delivery_time, mid): every
 * step is one descent of that index, so memory stays flat and a step costs
 * the same on the millionth message as on the first. Messages without a
 * delivery time come first (they sort first), then the others.
 */
#ifndef FREEMAPI_STORE_BULK_CURSOR_H
#define FREEMAPI_STORE_BULK_CURSOR_H

#include "store/store.h"

typedef struct fm_bulk_cursor {
    int64_t fid;
    int assoc;
    int seg;          /* 0: no delivery time; 1: by delivery time; 2: done */
    int64_t delivery; /* position in seg 1 */
    int64_t mid;      /* position: the last message returned */
    int64_t max_mid;  /* messages made after the walk began are not visited */
} fm_bulk_cursor;

void fm_bulk_cursor_init(fm_bulk_cursor *c, int64_t fid, int assoc, int64_t max_mid);

/* The next live message (store locked): *mid, or 0 at the end. */
HRESULT fm_bulk_cursor_next(fm_db *db, fm_bulk_cursor *c, int64_t *mid);

#endif /* FREEMAPI_STORE_BULK_CURSOR_H */
