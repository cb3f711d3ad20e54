/*
 * notify/dispatch.c - sink queues and the notification threads that empty
 * them (see notify.h for the rules).
 *
 * A queue is idle (nothing to deliver), ready (on the ready list) or
 * running (a thread is in its sink's OnNotify). A thread takes the oldest
 * ready queue, takes up to FM_NOTIFY_BATCH of its deliveries, calls OnNotify
 * once without the engine lock, and puts the queue back at the end of the
 * ready list if more came meanwhile, so busy sinks take turns. When a queue
 * becomes ready and there are more ready queues than idle threads, one more
 * thread starts (up to the limit): a sink that blocks keeps its thread and
 * no one else's. Threads stay until the library is unloaded (or the process
 * ends); they sleep on a condition variable when there is nothing to do.
 *
 * After fork() the child has none of the parent's threads and must not call
 * the parent's sinks: a fork handler resets the engine in the child to empty
 * (the parent's registrations and queues are forgotten there, not freed,
 * since other threads of the parent may have been using them) and moves the
 * epoch, so sources made before the fork read as having no registrations.
 */
#define _GNU_SOURCE /* pthread_timedjoin_np */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/error.h"
#include "freemapi_notify.h"
#include "mapicode.h"
#include "notify/engine.h"

fm_notify_engine fm_engine = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .work = PTHREAD_COND_INITIALIZER,
    .quiet = PTHREAD_COND_INITIALIZER,
};

static pthread_once_t engine_once = PTHREAD_ONCE_INIT;

/* Thread handles: a fixed array, so starting the engine allocates nothing
 * (and owes nothing to a leak baseline). */
#define MAX_THREADS 4096
static pthread_t threads[MAX_THREADS];

static void child_after_fork(void)
{
    pthread_mutex_init(&fm_engine.lock, NULL);
    pthread_cond_init(&fm_engine.work, NULL);
    pthread_cond_init(&fm_engine.quiet, NULL);
    fm_engine.qbuckets = NULL;
    fm_engine.nqbuckets = fm_engine.nqueues = 0;
    fm_engine.ready_head = fm_engine.ready_tail = NULL;
    fm_engine.nready = fm_engine.running = 0;
    fm_engine.nthreads = fm_engine.idle = 0;
    fm_engine.stopping = false;
    fm_engine.queued = fm_engine.delivered = fm_engine.lost = 0;
    fm_engine.epoch++;
    fm_notify_reg_forget();
}

static void engine_setup(void)
{
    const char *v = getenv("FREEMAPI_NOTIFY_THREADS");
    long n = v != NULL ? strtol(v, NULL, 10) : 0;
    fm_engine.maxthreads = (n >= 1 && n <= MAX_THREADS) ? (size_t)n : FM_NOTIFY_DEFAULT_THREADS;
    fm_engine.threads = threads;
    fm_engine.epoch = 1;
    pthread_atfork(NULL, NULL, child_after_fork);
}

void fm_engine_init(void)
{
    pthread_once(&engine_once, engine_setup);
}

/* ---- queues --------------------------------------------------------------------- */

static size_t qbucket(const IMAPIAdviseSink *sink)
{
    uint64_t x = (uint64_t)(uintptr_t)sink;
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ULL;
    return (size_t)((x ^ (x >> 32)) & (fm_engine.nqbuckets - 1));
}

static void qbuckets_grow(void)
{
    if (fm_engine.nqbuckets != 0 && fm_engine.nqueues < fm_engine.nqbuckets)
        return;
    size_t n = fm_engine.nqbuckets ? fm_engine.nqbuckets * 2 : 16;
    fm_notify_queue **b = fm_calloc(n, sizeof *b);
    if (b == NULL)
        return;
    fm_notify_queue **old = fm_engine.qbuckets;
    size_t nold = fm_engine.nqbuckets;
    fm_engine.qbuckets = b;
    fm_engine.nqbuckets = n;
    for (size_t i = 0; i < nold; i++) {
        for (fm_notify_queue *q = old[i], *next; q != NULL; q = next) {
            next = q->next_hash;
            size_t at = qbucket(q->sink);
            q->next_hash = b[at];
            b[at] = q;
        }
    }
    fm_free(old);
}

fm_notify_queue *fm_queue_get(IMAPIAdviseSink *sink, bool *created)
{
    *created = false;
    if (fm_engine.nqbuckets != 0) {
        for (fm_notify_queue *q = fm_engine.qbuckets[qbucket(sink)]; q; q = q->next_hash) {
            if (q->sink == sink)
                return q;
        }
    }
    qbuckets_grow();
    if (fm_engine.nqbuckets == 0)
        return NULL;
    fm_notify_queue *q = fm_calloc(1, sizeof *q);
    if (q == NULL) {
        if (fm_engine.nqueues == 0) {
            fm_free(fm_engine.qbuckets);
            fm_engine.qbuckets = NULL;
            fm_engine.nqbuckets = 0;
        }
        return NULL;
    }
    q->sink = sink;
    size_t at = qbucket(sink);
    q->next_hash = fm_engine.qbuckets[at];
    fm_engine.qbuckets[at] = q;
    fm_engine.nqueues++;
    *created = true;
    return q;
}

static void unlink_queue(fm_notify_queue *q)
{
    for (fm_notify_queue **p = &fm_engine.qbuckets[qbucket(q->sink)]; *p; p = &(*p)->next_hash) {
        if (*p == q) {
            *p = q->next_hash;
            break;
        }
    }
    fm_engine.nqueues--;
    q->next_ready = NULL;
    if (fm_engine.nqueues == 0) { /* nothing registered: hold no memory */
        fm_free(fm_engine.qbuckets);
        fm_engine.qbuckets = NULL;
        fm_engine.nqbuckets = 0;
    }
}

fm_notify_queue *fm_queue_unref(fm_notify_queue *q)
{
    q->nregs--;
    if (q->nregs > 0 || q->state != FM_QUEUE_IDLE)
        return NULL; /* the thread running or about to run it frees it */
    unlink_queue(q);
    return q;
}

static void *thread_main(void *arg);

/* Starts one more thread when more queues are ready than threads idle. */
static void wake(void)
{
    if (fm_engine.manual || fm_engine.stopping)
        return;
    if (fm_engine.nready > fm_engine.idle && fm_engine.nthreads < fm_engine.maxthreads) {
        if (pthread_create(&fm_engine.threads[fm_engine.nthreads], NULL, thread_main, NULL) == 0)
            fm_engine.nthreads++;
        /* Without a new thread the queue waits for the next free one (or, with
         * no thread at all, for the next post to try again). */
    }
    pthread_cond_signal(&fm_engine.work);
}

static void make_ready(fm_notify_queue *q)
{
    if (q->state != FM_QUEUE_IDLE)
        return;
    q->state = FM_QUEUE_READY;
    q->next_ready = NULL;
    if (fm_engine.ready_tail != NULL)
        fm_engine.ready_tail->next_ready = q;
    else
        fm_engine.ready_head = q;
    fm_engine.ready_tail = q;
    fm_engine.nready++;
    wake();
}

void fm_queue_push(fm_notify_queue *q, fm_notify_item *it)
{
    if (q->tail != NULL)
        q->tail->next = it;
    else
        q->head = it;
    q->tail = it;
    q->nitems++;
    fm_engine.queued++;
    make_ready(q);
}

void fm_queue_lose(fm_notify_queue *q, unsigned what)
{
    q->lost |= what;
    make_ready(q);
}

uint64_t fm_queue_bytes(void)
{
    return (uint64_t)fm_engine.nqbuckets * sizeof(fm_notify_queue *) +
           (uint64_t)fm_engine.nqueues * sizeof(fm_notify_queue);
}

/* ---- delivering -------------------------------------------------------------------- */

static fm_notify_queue *pop_ready(void)
{
    fm_notify_queue *q = fm_engine.ready_head;
    if (q == NULL)
        return NULL;
    fm_engine.ready_head = q->next_ready;
    if (fm_engine.ready_head == NULL)
        fm_engine.ready_tail = NULL;
    fm_engine.nready--;
    q->next_ready = NULL;
    return q;
}

/* The notifications standing for what q's sink lost. */
static ULONG lost_notices(unsigned lost, NOTIFICATION *out)
{
    ULONG n = 0;
    if (lost & FM_LOST_CRITICAL) {
        memset(&out[n], 0, sizeof out[n]);
        out[n].ulEventType = fnevCriticalError;
        out[n].info.err.scode = MAPI_E_NOT_ENOUGH_MEMORY;
        n++;
    }
    if (lost & FM_LOST_TABLE) {
        memset(&out[n], 0, sizeof out[n]);
        out[n].ulEventType = fnevTableModified;
        out[n].info.tab.ulTableEvent = TABLE_ERROR;
        out[n].info.tab.hResult = MAPI_E_NOT_ENOUGH_MEMORY;
        out[n].info.tab.propIndex.ulPropTag = PR_NULL;
        out[n].info.tab.propPrior.ulPropTag = PR_NULL;
        n++;
    }
    return n;
}

/* Delivers one batch of q (engine lock held on entry and on return; released
 * while the sink runs). Returns the notifications delivered. */
static size_t run_queue(fm_notify_queue *q)
{
    NOTIFICATION batch[FM_NOTIFY_BATCH + 2];
    fm_notify_event *events[FM_NOTIFY_BATCH];
    size_t nev = 0;
    q->state = FM_QUEUE_RUNNING;
    fm_engine.running++;
    ULONG n = lost_notices(q->lost, batch);
    q->lost = 0;
    fm_notify_item *dead = NULL;
    while (q->head != NULL && nev < FM_NOTIFY_BATCH) {
        fm_notify_item *it = q->head;
        q->head = it->next;
        q->nitems--;
        fm_engine.queued--;
        if (fm_notify_conn_live(it->conn)) {
            batch[n++] = it->ev->n;
            events[nev++] = it->ev;
        } else {
            fm_notify_event_release(it->ev);
        }
        it->next = dead;
        dead = it;
    }
    if (q->head == NULL)
        q->tail = NULL;
    IMAPIAdviseSink *sink = q->sink;
    pthread_mutex_unlock(&fm_engine.lock);
    for (fm_notify_item *it = dead, *next; it != NULL; it = next) {
        next = it->next;
        fm_free(it);
    }
    if (n > 0)
        IMAPIAdviseSink_OnNotify(sink, n, batch);
    for (size_t i = 0; i < nev; i++)
        fm_notify_event_release(events[i]);
    pthread_mutex_lock(&fm_engine.lock);
    fm_engine.delivered += n;
    fm_engine.running--;
    q->state = FM_QUEUE_IDLE;
    if (q->head != NULL || q->lost != 0) {
        make_ready(q);
    } else if (q->nregs == 0) {
        unlink_queue(q);
        pthread_mutex_unlock(&fm_engine.lock);
        IMAPIAdviseSink_Release(q->sink);
        fm_free(q);
        pthread_mutex_lock(&fm_engine.lock);
    }
    pthread_cond_broadcast(&fm_engine.quiet);
    return n;
}

static void *thread_main(void *arg)
{
    pthread_mutex_lock(&fm_engine.lock);
    while (!fm_engine.stopping) {
        fm_notify_queue *q = fm_engine.manual ? NULL : pop_ready();
        if (q != NULL) {
            run_queue(q);
            continue;
        }
        fm_engine.idle++;
        pthread_cond_wait(&fm_engine.work, &fm_engine.lock);
        fm_engine.idle--;
    }
    pthread_mutex_unlock(&fm_engine.lock);
    return NULL;
}

/* ---- control ------------------------------------------------------------------------ */

void fm_notify_set_manual(bool manual)
{
    fm_engine_init();
    pthread_mutex_lock(&fm_engine.lock);
    fm_engine.manual = manual;
    if (!manual && fm_engine.nready > 0)
        wake();
    pthread_mutex_unlock(&fm_engine.lock);
}

size_t fm_notify_run_pending(void)
{
    fm_engine_init();
    size_t n = 0;
    pthread_mutex_lock(&fm_engine.lock);
    fm_notify_queue *q;
    while ((q = pop_ready()) != NULL)
        n += run_queue(q);
    pthread_mutex_unlock(&fm_engine.lock);
    return n;
}

HRESULT fm_notify_wait_idle(unsigned timeout_ms)
{
    fm_engine_init();
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    HRESULT hr = S_OK;
    pthread_mutex_lock(&fm_engine.lock);
    while (fm_engine.nready > 0 || fm_engine.running > 0) {
        if (pthread_cond_timedwait(&fm_engine.quiet, &fm_engine.lock, &until) == ETIMEDOUT) {
            hr = fm_error_set(MAPI_E_TIMEOUT, "notifications still queued after %u ms",
                              timeout_ms);
            break;
        }
    }
    pthread_mutex_unlock(&fm_engine.lock);
    return hr;
}

void fm_notify_shutdown(void)
{
    pthread_mutex_lock(&fm_engine.lock);
    fm_engine.stopping = true;
    pthread_cond_broadcast(&fm_engine.work);
    size_t n = fm_engine.nthreads;
    pthread_mutex_unlock(&fm_engine.lock);
    for (size_t i = 0; i < n; i++) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        if (pthread_timedjoin_np(fm_engine.threads[i], NULL, &until) != 0)
            pthread_detach(fm_engine.threads[i]); /* a sink that never returns */
    }
    pthread_mutex_lock(&fm_engine.lock);
    fm_engine.nthreads = 0;
    pthread_mutex_unlock(&fm_engine.lock);
}

__attribute__((destructor)) static void engine_unload(void)
{
    if (fm_engine.nthreads > 0)
        fm_notify_shutdown();
}

static _Atomic int enabled = -1;

bool fm_notify_enabled(void)
{
    int on = atomic_load(&enabled);
    if (on < 0) {
        const char *v = getenv("FREEMAPI_NO_NOTIFY");
        on = !(v != NULL && strcmp(v, "1") == 0);
        atomic_store(&enabled, on);
    }
    return on != 0;
}

void fm_notify_set_enabled(bool on)
{
    atomic_store(&enabled, on ? 1 : 0);
}

FREEMAPI_PUBLIC void fmapi_notify_get_stats(fmapi_notify_stats *out)
{
    if (out == NULL)
        return;
    fm_engine_init();
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&fm_engine.lock);
    out->registrations = fm_notify_reg_count();
    out->registry_bytes = fm_notify_reg_bytes() + fm_queue_bytes();
    out->sinks = fm_engine.nqueues;
    out->queued = fm_engine.queued;
    out->delivered = fm_engine.delivered;
    out->lost = fm_engine.lost;
    out->threads = fm_engine.nthreads;
    pthread_mutex_unlock(&fm_engine.lock);
    out->subscribed_stores = fm_feed_subscribed_count();
}
