/*
 * notify/feed_log.h - the log table of a store (feed_log.c). Internal to
 * src/notify/.
 */
#ifndef FREEMAPI_NOTIFY_FEED_LOG_H
#define FREEMAPI_NOTIFY_FEED_LOG_H

#include "notify/feed.h"

/* The writer's row (inside its transaction): *seq is its sequence. */
HRESULT fm_feed_log_append(const fm_feed_sql *sql, const void *batch, size_t n, uint64_t *seq);
/* Deletes the rows up to upto. */
HRESULT fm_feed_log_prune(const fm_feed_sql *sql, uint64_t upto);

/* One row read by a follower; batch is valid during the call. */
typedef void (*fm_feed_row_fn)(void *ctx, uint64_t seq, const void *batch, size_t n);

/* The last sequence ever given out (0: none, or no log yet), read after
 * waiting out any write transaction running on the store (on a connection
 * of its own, so that nothing else waits with it). A store this process may
 * not write is read without waiting. MAPI_E_BUSY when a writer holds the
 * store longer than the busy timeout (FREEMAPI_BUSY_TIMEOUT_MS, 10 s). */
HRESULT fm_feed_log_start(const char *path, uint64_t *seq);
/* Calls fn for every row after `after`, in order; *last: the last one read
 * (after when none). MAPI_E_BUSY when the store is being recovered. */
HRESULT fm_feed_log_read(const char *path, uint64_t after, fm_feed_row_fn fn, void *ctx,
                         uint64_t *last);
/* Closes the pooled connection to path (NULL: all). */
void fm_feed_log_forget(const char *path);
/* In a forked child: forgets the parent's connections. */
void fm_feed_log_after_fork(void);

#endif /* FREEMAPI_NOTIFY_FEED_LOG_H */
