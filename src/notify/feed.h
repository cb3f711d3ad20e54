/*
 * notify/feed.h - a store file's changes, followed across processes.
 *
 * The design (docs/ARCHITECTURE.md, "Notifications"):
 *
 * - The log. A writer records the events of each transaction as one row of
 *   the store's own table fm_events(seq INTEGER PRIMARY KEY AUTOINCREMENT,
 *   batch BLOB), inside the same SQLite transaction as the change. Commit
 *   order and exactly-once come from SQLite itself, and a crash can never
 *   announce a change that was not committed. AUTOINCREMENT makes seq dense
 *   across commits (a rolled-back transaction gives its number back) and
 *   never reused after rows are pruned.
 *
 * - Only while someone listens. Next to the store is `<store>-notify`
 *   (0600). Every process following the store holds a shared OFD lock on
 *   one byte of it (the presence byte). A writer, at the first change of a
 *   write transaction, asks the kernel whether anyone holds that byte
 *   (F_OFD_GETLK: one system call that takes nothing); if nobody does, it
 *   records nothing: no row, no b-tree page. A process starting to follow
 *   the store takes its lock, then waits out any write transaction running
 *   (BEGIN IMMEDIATE on a connection of its own, then ROLLBACK), then reads
 *   the log's head: a writer that found nobody has committed before that
 *   head, and every later writer sees the lock and records its events.
 *   The kernel drops a dead process's locks: a process killed in any way
 *   stops being a listener at once, and nobody has to clean up.
 * - Waking. Around its COMMIT a writer that recorded events stamps the
 *   sequence it is committing into the file's header: begin before (a store
 *   into a shared mapping, which wakes nobody), end after (a write, which
 *   is an inotify IN_MODIFY for every follower). Followers read the log
 *   after their last sequence when woken. A writer killed between its
 *   COMMIT and the end stamp leaves begin > end: each follower's watcher
 *   looks at its mapped headers twice a second, and reads again after 2,
 *   4, ... up to 1000 ms while that lasts, so a committed change is never
 *   stranded.
 *
 * - Pruning. Each listening process claims a slot (an exclusive OFD lock on
 *   one more byte) and publishes there the last sequence it has read. Now
 *   and then a writer, inside its transaction, deletes the rows every live
 *   slot has read. A dead process's slot lock is gone with it, so it holds
 *   nothing back.
 *
 * - In this process. Registrations of every store object opened on the file
 *   in this process share one feed (found by device and inode). A commit
 *   made here is delivered from memory right after COMMIT, without reading
 *   the log, unless other processes' commits came between (then those are
 *   read first), so delivery is in commit order either way.
 *
 * The server (freemapid) follows stores exactly like any process and turns
 * the records into RopNotify for its clients.
 */
#ifndef FREEMAPI_NOTIFY_FEED_H
#define FREEMAPI_NOTIFY_FEED_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "notify/notify.h"
#include "notify/record.h"

typedef struct fm_feed fm_feed;

/* Turns one record into notifications for f's registrations (the store's
 * part: it knows entry IDs). Called in commit order, on whatever thread
 * delivers, with the feed's lock held: it must only build and post. */
typedef void (*fm_feed_deliver_fn)(fm_feed *f, void *ctx, uint64_t seq,
                                   const fm_notify_record *r);

/*
 * The feed of the store file at path (created 0600 next to it as
 * `<path>-notify` when missing), shared by everyone in this process who
 * opens the same file; one reference. deliver and a copy of the ctx_size
 * bytes at ctx (the feed keeps it, so it outlives the opener) are set by the
 * first opener (later openers' are ignored; they are the same store code).
 * MAPI_E_NO_ACCESS (the file cannot be made or is not a regular file),
 * MAPI_E_NOT_ENOUGH_MEMORY, MAPI_E_NOT_ENOUGH_RESOURCES (no descriptors).
 */
HRESULT fm_feed_open(const char *path, fm_feed_deliver_fn deliver, const void *ctx,
                     size_t ctx_size, fm_feed **out);
void fm_feed_addref(fm_feed *f);
void fm_feed_release(fm_feed *f);
/* fm_feed_release for the open of a store that failed: when that was the
 * last reference and this feed made the rendezvous file, the file is
 * removed too unless someone else has it open. */
void fm_feed_release_failed(fm_feed *f);

/* The registrations of store objects on this file in this process. */
fm_notify_source *fm_feed_source(fm_feed *f);

/*
 * Advise/Unadvise through the feed: the first registration makes this
 * process follow the file (lock, slot, head, inotify watch), the last one
 * ends that. Errors as fm_notify_advise, plus the file's.
 */
HRESULT fm_feed_advise(fm_feed *f, uint64_t key, ULONG mask, IMAPIAdviseSink *sink,
                       const char *what, ULONG_PTR *conn);
HRESULT fm_feed_unadvise(fm_feed *f, ULONG_PTR conn, const char *what);

/* ---- the writer's side -------------------------------------------------------- */

/* Statements on the writer's connection: prepare/finish let the caller use
 * its statement cache (NULL: prepared and finalized each time). */
typedef struct fm_feed_sql {
    sqlite3 *conn;
    HRESULT (*prepare)(void *ctx, const char *sql, sqlite3_stmt **out);
    void (*finish)(void *ctx, sqlite3_stmt *st);
    void *ctx;
} fm_feed_sql;

/* Creates the log table if missing (store schema migrations call it). */
HRESULT fm_feed_log_create(sqlite3 *conn);
/* Empties the log (a store opened for writing with nobody following it). */
HRESULT fm_feed_log_reset(const fm_feed_sql *sql);

/* fm_feed_txn.state: not asked yet; nobody follows (or notifications are
 * off); followed: events are recorded. */
enum { FM_FEED_UNKNOWN, FM_FEED_NOBODY, FM_FEED_LISTENED };

/* One write transaction's events. Zero-initialize; one per transaction. */
typedef struct fm_feed_txn {
    fm_feed *feed;
    int state;
    fm_notify_batch batch;
    uint64_t seq; /* the log row written, 0 when none */
} fm_feed_txn;

/* Inside the write transaction, before its first change is recorded:
 * whether anyone follows the file (the test described above). */
bool fm_feed_txn_wanted(fm_feed_txn *t, fm_feed *f);
/* Records one event when wanted: MAPI_E_NOT_ENOUGH_MEMORY fails the
 * transaction (the change and its events are committed together or not). */
HRESULT fm_feed_txn_record(fm_feed_txn *t, const fm_notify_record *r);
/* Inside the transaction, just before COMMIT: writes the batch as one log
 * row (pruning what every follower has read, now and then). */
HRESULT fm_feed_txn_flush(fm_feed_txn *t, const fm_feed_sql *sql);
/* After COMMIT (committed) or ROLLBACK: tells other processes, delivers to
 * this process's registrations. Clears t. */
void fm_feed_txn_end(fm_feed_txn *t, bool committed);

/* ---- internal to src/notify (feed_*.c) ------------------------------------------- */

/* Reads what other processes committed since the last delivery; returns the
 * delay in ms before it should be looked at again without a wake-up (a
 * writer is between its two header writes, or the log was busy), 0: none. */
unsigned fm_feed_poll(fm_feed *f);
/* Whether a writer stamped a begin with no end after what f has delivered
 * (it is committing, or was killed after its COMMIT): a check of memory. */
bool fm_feed_stranded(fm_feed *f);
/* The rendezvous file's path. */
const char *fm_feed_path(const fm_feed *f);
/* The watcher's descriptor for f (-1: none), kept in the feed for it. */
int fm_feed_get_wd(const fm_feed *f);
void fm_feed_set_wd(fm_feed *f, int wd);

/* The watcher thread (feed_watch.c): follows f (a reference is taken) /
 * stops following it (returns once the thread is not looking at f). */
HRESULT fm_watch_add(fm_feed *f);
void fm_watch_remove(fm_feed *f);
/* In a forked child: forgets the parent's watcher. */
void fm_watch_after_fork(void);

#endif /* FREEMAPI_NOTIFY_FEED_H */
