/*
 * notify/engine.h - the state registry.c and dispatch.c share: one lock over
 * registrations, sink queues and the notification threads. Not for use
 * outside src/notify/.
 *
 * Lock order: a caller may hold its own locks (a table's, a feed's) when it
 * posts; the engine lock is taken last and never held while a sink runs,
 * nor while a sink is AddRef'd or Released.
 */
#ifndef FREEMAPI_NOTIFY_ENGINE_H
#define FREEMAPI_NOTIFY_ENGINE_H

#include <pthread.h>

#include "notify/notify.h"

/* One queued delivery: an event for one registration. */
typedef struct fm_notify_item {
    struct fm_notify_item *next;
    uint64_t conn; /* skipped when the registration is gone by delivery time */
    fm_notify_event *ev;
} fm_notify_item;

/* What a sink must be told it lost (bits of fm_notify_queue.lost). */
#define FM_LOST_CRITICAL 0x1u
#define FM_LOST_TABLE 0x2u

enum { FM_QUEUE_IDLE, FM_QUEUE_READY, FM_QUEUE_RUNNING };

/* The deliveries of one sink, in posting order. */
typedef struct fm_notify_queue {
    struct fm_notify_queue *next_hash;  /* sink -> queue table chain */
    struct fm_notify_queue *next_ready; /* ready list */
    IMAPIAdviseSink *sink;              /* one reference, released with the queue */
    size_t nregs;                       /* registrations delivering here */
    fm_notify_item *head, *tail;
    size_t nitems;
    unsigned state;
    unsigned lost;
} fm_notify_queue;

struct fm_notify_event {
    _Atomic uint32_t refs;
    uint32_t cb;
    uint64_t pad; /* keeps n 16-byte aligned, as MAPI buffers are */
    NOTIFICATION n; /* with its data after it (ScCopyNotifications layout) */
};

typedef struct fm_notify_engine {
    pthread_mutex_t lock;
    pthread_cond_t work; /* a queue became ready, or stop */
    pthread_cond_t quiet; /* a delivery ended */
    /* sink -> queue */
    fm_notify_queue **qbuckets;
    size_t nqbuckets, nqueues;
    /* ready queues, oldest first */
    fm_notify_queue *ready_head, *ready_tail;
    size_t nready;
    size_t running; /* queues being delivered */
    /* threads */
    pthread_t *threads;
    size_t nthreads, maxthreads, idle;
    bool manual, stopping;
    unsigned epoch;
    /* counters */
    uint64_t queued, delivered, lost;
} fm_notify_engine;

extern fm_notify_engine fm_engine;

/* Sets up the engine once (lock, limits, fork handlers). */
void fm_engine_init(void);

/* ---- dispatch.c (engine lock held) ---- */

/* The queue of sink, made (and the sink AddRef'd by the caller) when new:
 * NULL when it cannot be allocated. *created tells which. */
fm_notify_queue *fm_queue_get(IMAPIAdviseSink *sink, bool *created);
/* A registration of q went. When that was its last and nothing is being
 * delivered, q is detached and returned: the caller Releases q->sink and
 * frees q after unlocking. Else NULL (whoever delivers q frees it). */
fm_notify_queue *fm_queue_unref(fm_notify_queue *q);
/* Appends a delivery and makes the queue ready. */
void fm_queue_push(fm_notify_queue *q, fm_notify_item *it);
/* Records a loss on q and makes it ready to tell its sink. */
void fm_queue_lose(fm_notify_queue *q, unsigned what);
/* Bytes the queues hold (for the counters). */
uint64_t fm_queue_bytes(void);

/* ---- registry.c (engine lock held) ---- */

/* Whether connection conn is still registered (deliveries check it). */
bool fm_notify_conn_live(uint64_t conn);
/* In a forked child: drops every registration without freeing (they are the
 * parent's). */
void fm_notify_reg_forget(void);
uint64_t fm_notify_reg_bytes(void);
uint64_t fm_notify_reg_count(void);

/* ---- feed.c ---- */

/* Store files followed for other processes' changes (the counters). */
uint64_t fm_feed_subscribed_count(void);

#endif /* FREEMAPI_NOTIFY_ENGINE_H */
