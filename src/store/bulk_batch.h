/*
 * store/bulk_batch.h - the loop every bulk operation runs in: short write
 * transactions bounded by count and by time, progress reported and cancel
 * heard between them.
 *
 * Why: a client once hung while emptying a large Deleted Items folder (KB
 * Q314259). Here no write transaction of a bulk operation holds the
 * mailbox for more than FM_BULK_BATCH_MS (one item's work past it at most),
 * so other processes keep reading and writing, and a cancel or a crash loses
 * at most the batch in flight, which SQLite rolls back as a whole.
 */
#ifndef FREEMAPI_STORE_BULK_BATCH_H
#define FREEMAPI_STORE_BULK_BATCH_H

#include <stdint.h>
#include "store/progress.h"
#include "store/store.h"

/* A batch ends after this many items or this many milliseconds. */
#define FM_BULK_BATCH_ROWS 500
#define FM_BULK_BATCH_MS 20

/* One item of work, inside the batch's transaction with the store locked:
 * does the next item and counts it, or sets *more false when none is left. */
typedef HRESULT (*fm_bulk_step_fn)(void *ctx, bool *more);

typedef struct fm_bulk_loop {
    fm_store *s;
    fm_bulk_step_fn step;
    void *ctx;
    fm_progress *pr;   /* reported after every batch; may be NULL */
    const ULONG *done; /* the items counter the step advances */
} fm_bulk_loop;

/*
 * Runs l->step in batches until it has no more. Before the first batch and
 * after every committed batch the progress is reported; a request to stop
 * ends the loop with MAPI_E_USER_CANCEL, the committed batches kept. After a
 * batch that dropped streams kept in files, their files are removed.
 */
HRESULT fm_bulk_run(const fm_bulk_loop *l);

/* Milliseconds of a monotonic clock. */
double fm_bulk_now_ms(void);

/* Sets the batch bounds (0: the defaults): tests use small batches to cancel
 * at every boundary of a modest folder. Process-wide. */
void fm_bulk_set_batch_limits(unsigned rows, unsigned ms);

/* The batch bounds in force. */
void fm_bulk_batch_limits(unsigned *rows, unsigned *ms);

/* What the batches of this process did: their number, the longest one's
 * duration (write transaction, begin to commit) and the sum of durations. */
typedef struct fm_bulk_stats {
    uint64_t batches;
    double max_ms;
    double total_ms;
    double max_work_ms;   /* the longest span from begin to the start of commit */
    double max_commit_ms; /* the longest commit (a WAL checkpoint may run in it) */
} fm_bulk_stats;
void fm_bulk_stats_get(fm_bulk_stats *out);
void fm_bulk_stats_reset(void);

#endif /* FREEMAPI_STORE_BULK_BATCH_H */
