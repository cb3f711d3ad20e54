/*
 * notify/table_diff.h - the TABLE_NOTIFICATION events that turn what a
 * client saw of a table into what the table shows now.
 *
 * A view is the list of its visible rows, each with its PR_INSTANCE_KEY and
 * its values in the table's columns. The events come in an order a client
 * can apply one after the other (MAPI's rule for batches): first every
 * TABLE_ROW_DELETED, then, walking the new view from the top,
 * TABLE_ROW_ADDED for a new row and TABLE_ROW_MODIFIED for a row whose
 * values changed or whose place did, each with propPrior the instance key
 * of the row now before it (PR_NULL for the first row). Applied in order to
 * the old view they give exactly the new one (the tests replay them).
 * Categories need nothing special: heading rows are rows, so a leaf added
 * under a collapsed heading shows as that heading's TABLE_ROW_MODIFIED (its
 * count changed) and nothing else, as MAPI says for hidden rows.
 */
#ifndef FREEMAPI_NOTIFY_TABLE_DIFF_H
#define FREEMAPI_NOTIFY_TABLE_DIFF_H

#include <stddef.h>

#include "mapidefs.h"

typedef struct fm_table_diff_row {
    SBinary key;    /* PR_INSTANCE_KEY */
    const SRow *row; /* its values in the table's columns */
    uint64_t extra;  /* compared too (a heading's counts): a change modifies the row */
} fm_table_diff_row;

/* Receives one event; the notification and what it points to are valid
 * during the call only (fm_notify_event_new copies it). */
typedef HRESULT (*fm_table_diff_fn)(void *ctx, const NOTIFICATION *n);

/*
 * Calls emit for each event turning old[0..nold) into now[0..nnew), as
 * described above; nothing when the views are the same. When more than max
 * events would be needed, emits nothing and returns S_FALSE: the caller
 * sends TABLE_CHANGED instead (one event rather than thousands). Instance
 * keys must be unique within each view. MAPI_E_NOT_ENOUGH_MEMORY, or what
 * emit returned (the walk stops there).
 */
HRESULT fm_table_diff(const fm_table_diff_row *old, size_t nold, const fm_table_diff_row *now,
                      size_t nnew, size_t max, fm_table_diff_fn emit, void *ctx);

#endif /* FREEMAPI_NOTIFY_TABLE_DIFF_H */
