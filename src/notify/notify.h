/*
 * notify/notify.h - the in-process notification engine: registrations
 * (Advise/Unadvise) on advise sources, events posted to them, and the
 * notification threads that call the sinks.
 *
 * Every object that hands out Advise (a message store, a table, a session,
 * an address book) embeds an fm_notify_source. A registration is (source,
 * key, event mask, sink): the key says which object of the source it is
 * about (0: the source as a whole; a store uses folder and message ids).
 * Posting an event names the keys it concerns; every registration on one of
 * them whose mask has the event's type gets it once.
 *
 * Memory (no fixed table anywhere): registrations live in slabs of 256 and
 * are found from their connection number by index, so one costs its 40-byte
 * slot plus a pointer in the key table; a failure to allocate fails that
 * Advise with MAPI_E_NOT_ENOUGH_MEMORY and text, nothing else.
 *
 * Delivery: each distinct sink has one queue; its events are delivered in
 * the order posted, by one notification thread at a time, in batches of up
 * to FM_NOTIFY_BATCH per OnNotify call. Threads are started when a queue is
 * ready and none is idle (up to FREEMAPI_NOTIFY_THREADS, default 64), so a
 * sink that blocks in OnNotify holds one thread and delays only its own
 * queue. An event that cannot be queued (out of memory) is never dropped
 * silently: the sink receives, in its place, fnevCriticalError with
 * MAPI_E_NOT_ENOUGH_MEMORY (store, session and address-book registrations
 * that asked for critical errors) or TABLE_ERROR (tables), and the loss is
 * counted in fmapi_notify_get_stats.
 *
 * Events are shared read-only by every delivery: a sink must not change the
 * NOTIFICATION it is given (MAPI's rule too) and must copy what it keeps.
 */
#ifndef FREEMAPI_NOTIFY_NOTIFY_H
#define FREEMAPI_NOTIFY_NOTIFY_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mapidefs.h"

/* Notifications handed to one OnNotify call at most. */
#define FM_NOTIFY_BATCH 64
/* Default bound on notification threads (FREEMAPI_NOTIFY_THREADS). */
#define FM_NOTIFY_DEFAULT_THREADS 64

/* What kind of object a source is: says how a lost event is reported. */
typedef enum fm_notify_kind {
    FM_NOTIFY_OBJECTS, /* stores, sessions, address books: fnevCriticalError */
    FM_NOTIFY_TABLE,   /* tables: TABLE_ERROR */
} fm_notify_kind;

typedef struct fm_notify_source {
    _Atomic size_t nregs; /* live registrations; readable without the lock */
    fm_notify_kind kind;
    unsigned epoch; /* the engine's epoch when initialized (see fork) */
} fm_notify_source;

void fm_notify_source_init(fm_notify_source *src, fm_notify_kind kind);
/* Removes every registration left on src (its owner is going away) and
 * releases their sinks. Queued events for them are not delivered. */
void fm_notify_source_clear(fm_notify_source *src);
/* Registrations on src now (0 when none, or after a fork). */
size_t fm_notify_source_count(const fm_notify_source *src);

/*
 * Registers sink for events of mask on key of src; *conn receives a nonzero
 * connection number. The sink is AddRef'd until its last registration goes.
 * MAPI_E_INVALID_PARAMETER (no sink, no conn, empty mask), or
 * MAPI_E_NOT_ENOUGH_MEMORY with text. `what` names the method for the text.
 */
HRESULT fm_notify_advise(fm_notify_source *src, uint64_t key, ULONG mask, IMAPIAdviseSink *sink,
                         const char *what, ULONG_PTR *conn);
/* Cancels registration conn of src: MAPI_E_NOT_FOUND with text when conn is
 * not one of src's. Never allocates. */
HRESULT fm_notify_unadvise(fm_notify_source *src, ULONG_PTR conn, const char *what);

/* ---- events ------------------------------------------------------------------ */

/* One notification, shared by every delivery of it (reference counted). */
typedef struct fm_notify_event fm_notify_event;

/* A deep copy of *n (ScCopyNotifications layout) holding one reference.
 * MAPI_E_INVALID_PARAMETER for an invalid notification,
 * MAPI_E_NOT_ENOUGH_MEMORY. */
HRESULT fm_notify_event_new(const NOTIFICATION *n, fm_notify_event **out);
void fm_notify_event_release(fm_notify_event *e);
const NOTIFICATION *fm_notify_event_notification(const fm_notify_event *e);

/* Whether any registration on src under one of keys would receive an event
 * of type: lets a poster skip building events nobody in this process wants. */
bool fm_notify_wants(fm_notify_source *src, const uint64_t *keys, size_t nkeys, ULONG type);

/*
 * Queues e for every registration on src under one of keys (duplicates are
 * ignored) whose mask has e's type, each exactly once. Never fails: a
 * delivery that cannot be queued is reported to its sink as lost. Returns
 * the number queued. The caller keeps its own reference to e.
 */
size_t fm_notify_post(fm_notify_source *src, const uint64_t *keys, size_t nkeys,
                      fm_notify_event *e);
/* Reports an event of type that could not be built (out of memory) as lost
 * to every registration that would have received it. */
void fm_notify_post_lost(fm_notify_source *src, const uint64_t *keys, size_t nkeys, ULONG type);
/* Reports a loss to every registration on src (events of unknown reach). */
void fm_notify_post_lost_all(fm_notify_source *src);

/* ---- delivery control (tests, benchmarks, shutdown) --------------------------- */

/* Manual mode: no notification threads; queued events wait for
 * fm_notify_run_pending, which delivers them on the calling thread (so
 * out-of-memory sweeps see every allocation in one thread). */
void fm_notify_set_manual(bool manual);
/* Delivers everything queued, on this thread; returns notifications delivered. */
size_t fm_notify_run_pending(void);
/* Waits until no event is queued or being delivered: S_OK, or MAPI_E_TIMEOUT
 * after timeout_ms. */
HRESULT fm_notify_wait_idle(unsigned timeout_ms);
/* Stops the notification threads (joined; a sink blocked for more than a
 * second is left behind). Called when the library is unloaded. */
void fm_notify_shutdown(void);

/* Whether notifications are on: FREEMAPI_NO_NOTIFY=1 turns them off for the
 * process (stores then record nothing, Advise answers MAPI_E_NO_SUPPORT);
 * benchmarks switch with fm_notify_set_enabled to compare in one run. */
bool fm_notify_enabled(void);
void fm_notify_set_enabled(bool on);

#endif /* FREEMAPI_NOTIFY_NOTIFY_H */
