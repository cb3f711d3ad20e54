/*
 * notify/thread_sink.c - HrThisThreadAdviseSink and HrDispatchNotifications:
 * notifications delivered on the thread that asked for them.
 *
 * Each thread that wraps a sink gets a queue. The wrapper's OnNotify (called
 * by a notification thread) copies the notifications into one block
 * (ScCopyNotifications) and appends it to the queue of the thread that made
 * the wrapper; HrDispatchNotifications, called on that thread, hands every
 * queued block to the wrapped sink. Windows MAPI also dispatches these while
 * the thread handles a window message or any MAPI call; Linux has no message
 * loop, and dispatching inside unrelated MAPI calls would re-enter the
 * caller unexpectedly, so freemapi dispatches in HrDispatchNotifications
 * only, and offers a file descriptor (fmapi_notify_thread_fd) that an event
 * loop polls to know when to call it.
 *
 * A block that cannot be allocated is not dropped silently: the wrapper
 * keeps one preallocated entry that, queued instead, makes the wrapped sink
 * receive fnevCriticalError (or TABLE_ERROR for table notifications) with
 * MAPI_E_NOT_ENOUGH_MEMORY. When the thread ends, its queue is emptied and
 * later notifications for its wrappers are discarded: nothing could run them.
 * MAPIInitialize is not required (stores opened with fmapi_store_open notify
 * too), so HrDispatchNotifications never answers MAPI_E_NOT_INITIALIZED.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "freemapi_notify.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "mapiutil.h"

typedef struct thread_sink thread_sink;

typedef struct tq_item {
    struct tq_item *next;
    thread_sink *wrapper; /* referenced while queued */
    ULONG n;              /* 0: the wrapper's loss notice */
    NOTIFICATION *block;
} tq_item;

typedef struct thread_queue {
    _Atomic ULONG refs; /* the thread until it ends, and each wrapper */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    tq_item *head, *tail;
    bool dead;
    int efd; /* eventfd, -1 until fmapi_notify_thread_fd */
} thread_queue;

struct thread_sink {
    const IMAPIAdviseSinkVtbl *lpVtbl;
    _Atomic ULONG refs;
    IMAPIAdviseSink *inner;
    thread_queue *tq;
    tq_item lost;      /* queued when a block cannot be allocated */
    bool lost_queued;  /* under tq->lock: the notice is queued or being delivered */
    bool lost_taken;   /* under tq->lock: the notice is being delivered */
    bool lost_again;   /* under tq->lock: a loss after the notice was taken */
    ULONG lost_type;   /* fnevTableModified or fnevCriticalError */
};

static pthread_key_t tq_key;
static pthread_once_t tq_once = PTHREAD_ONCE_INIT;
static _Thread_local thread_queue *my_tq;

static void tq_unref(thread_queue *tq)
{
    if (atomic_fetch_sub(&tq->refs, 1) != 1)
        return;
    if (tq->efd >= 0)
        close(tq->efd);
    pthread_mutex_destroy(&tq->lock);
    pthread_cond_destroy(&tq->cond);
    fm_free(tq);
}

static ULONG wrapper_release(thread_sink *w);
static void tq_append(thread_queue *tq, tq_item *it);

/* Ends one item taken off tq: frees it (or makes the wrapper's loss notice
 * available again) and drops its reference to the wrapper. */
static void item_done(thread_queue *tq, tq_item *it)
{
    thread_sink *w = it->wrapper;
    if (it == &w->lost) {
        pthread_mutex_lock(&tq->lock);
        w->lost_taken = false;
        if (w->lost_again && !tq->dead) {
            w->lost_again = false;
            atomic_fetch_add(&w->refs, 1);
            tq_append(tq, &w->lost);
        } else {
            w->lost_queued = false;
        }
        pthread_mutex_unlock(&tq->lock);
    } else {
        fm_free(it->block);
        fm_free(it);
    }
    wrapper_release(w);
}

static tq_item *take_all(thread_queue *tq)
{
    pthread_mutex_lock(&tq->lock);
    tq_item *all = tq->head;
    tq->head = tq->tail = NULL;
    for (tq_item *it = all; it != NULL; it = it->next) {
        if (it == &it->wrapper->lost)
            it->wrapper->lost_taken = true;
    }
    pthread_mutex_unlock(&tq->lock);
    return all;
}

/* The thread ended: nothing will dispatch its queue again. */
static void thread_ended(void *p)
{
    thread_queue *tq = p;
    pthread_mutex_lock(&tq->lock);
    tq->dead = true;
    pthread_mutex_unlock(&tq->lock);
    for (tq_item *it = take_all(tq), *next; it != NULL; it = next) {
        next = it->next;
        item_done(tq, it);
    }
    tq_unref(tq);
}

/* The process is exiting: the thread calling exit() never runs its key
 * destructor (POSIX runs those at pthread_exit only), so its queue is ended
 * here, as it would be had the thread ended. */
__attribute__((destructor)) static void exiting_thread_ended(void)
{
    thread_queue *tq = my_tq;
    if (tq == NULL)
        return;
    my_tq = NULL;
    pthread_setspecific(tq_key, NULL);
    thread_ended(tq);
}

static void tq_setup(void)
{
    pthread_key_create(&tq_key, thread_ended);
}

/* This thread's queue, made on first use: NULL without memory. */
static thread_queue *this_thread_queue(void)
{
    if (my_tq != NULL)
        return my_tq;
    pthread_once(&tq_once, tq_setup);
    thread_queue *tq = fm_calloc(1, sizeof *tq);
    if (tq == NULL)
        return NULL;
    atomic_init(&tq->refs, 1);
    pthread_mutex_init(&tq->lock, NULL);
    pthread_cond_init(&tq->cond, NULL);
    tq->efd = -1;
    pthread_setspecific(tq_key, tq);
    my_tq = tq;
    return tq;
}

/* Appends it (lock held); wakes waiters and the eventfd. */
static void tq_append(thread_queue *tq, tq_item *it)
{
    it->next = NULL;
    if (tq->tail != NULL)
        tq->tail->next = it;
    else
        tq->head = it;
    tq->tail = it;
    pthread_cond_broadcast(&tq->cond);
    if (tq->efd >= 0) {
        uint64_t one = 1;
        ssize_t w = write(tq->efd, &one, sizeof one);
        (void)w; /* a full counter is still readable */
    }
}

/* ---- the wrapper ------------------------------------------------------------ */

static STDMETHODIMP ts_QueryInterface(IMAPIAdviseSink *This, REFIID riid, LPVOID *ppvObj)
{
    if (ppvObj == NULL || riid == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: NULL argument");
    *ppvObj = NULL;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMAPIAdviseSink))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED,
                            "the advise sink supports IUnknown and IMAPIAdviseSink only");
    IMAPIAdviseSink_AddRef(This);
    *ppvObj = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) ts_AddRef(IMAPIAdviseSink *This)
{
    return atomic_fetch_add(&((thread_sink *)This)->refs, 1) + 1;
}

static ULONG wrapper_release(thread_sink *w)
{
    ULONG left = atomic_fetch_sub(&w->refs, 1) - 1;
    if (left == 0) {
        IMAPIAdviseSink_Release(w->inner);
        tq_unref(w->tq);
        fm_free(w);
    }
    return left;
}

static STDMETHODIMP_(ULONG) ts_Release(IMAPIAdviseSink *This)
{
    return wrapper_release((thread_sink *)This);
}

/* Copies the notifications into one block: NULL without memory (or for an
 * invalid notification, which then cannot be delivered either). */
static NOTIFICATION *copy_block(ULONG n, LPNOTIFICATION notifs)
{
    ULONG cb;
    if (n > INT32_MAX || ScCountNotifications((int)n, notifs, &cb) != S_OK)
        return NULL;
    NOTIFICATION *block = fm_malloc(cb ? cb : 1);
    if (block != NULL)
        ScCopyNotifications((int)n, notifs, block, NULL);
    return block;
}

static STDMETHODIMP_(ULONG) ts_OnNotify(IMAPIAdviseSink *This, ULONG cNotif,
                                        LPNOTIFICATION lpNotifications)
{
    thread_sink *w = (thread_sink *)This;
    if (cNotif == 0 || lpNotifications == NULL)
        return 0;
    tq_item *it = fm_malloc(sizeof *it);
    NOTIFICATION *block = it != NULL ? copy_block(cNotif, lpNotifications) : NULL;
    thread_queue *tq = w->tq;
    pthread_mutex_lock(&tq->lock);
    if (tq->dead) {
        pthread_mutex_unlock(&tq->lock);
        fm_free(block);
        fm_free(it);
        return 0;
    }
    if (block != NULL) {
        *it = (tq_item){ .wrapper = w, .n = cNotif, .block = block };
        atomic_fetch_add(&w->refs, 1);
        tq_append(tq, it);
    } else {
        fm_free(it);
        bool table = lpNotifications[0].ulEventType == fnevTableModified;
        if (w->lost_queued) {
            if (w->lost_taken)
                w->lost_again = true; /* the notice now told may predate this loss */
        } else {
            w->lost_queued = true;
            w->lost_type = table ? fnevTableModified : fnevCriticalError;
            w->lost = (tq_item){ .wrapper = w };
            atomic_fetch_add(&w->refs, 1);
            tq_append(tq, &w->lost);
        }
    }
    pthread_mutex_unlock(&tq->lock);
    return 0;
}

static const IMAPIAdviseSinkVtbl thread_sink_vtbl = {
    ts_QueryInterface,
    ts_AddRef,
    ts_Release,
    ts_OnNotify,
};

STDAPI HrThisThreadAdviseSink(LPMAPIADVISESINK lpAdviseSink, LPMAPIADVISESINK *lppAdviseSink)
{
    if (lppAdviseSink != NULL)
        *lppAdviseSink = NULL;
    if (lpAdviseSink == NULL || lppAdviseSink == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "HrThisThreadAdviseSink: lpAdviseSink and lppAdviseSink are required");
    thread_queue *tq = this_thread_queue();
    thread_sink *w = tq != NULL ? fm_calloc(1, sizeof *w) : NULL;
    if (w == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "HrThisThreadAdviseSink: out of memory");
    w->lpVtbl = &thread_sink_vtbl;
    atomic_init(&w->refs, 1);
    IMAPIAdviseSink_AddRef(lpAdviseSink);
    w->inner = lpAdviseSink;
    atomic_fetch_add(&tq->refs, 1);
    w->tq = tq;
    *lppAdviseSink = (IMAPIAdviseSink *)w;
    return S_OK;
}

/* ---- dispatching --------------------------------------------------------------- */

static void deliver(tq_item *it)
{
    thread_sink *w = it->wrapper;
    if (it != &w->lost) {
        IMAPIAdviseSink_OnNotify(w->inner, it->n, it->block);
        return;
    }
    NOTIFICATION notice;
    memset(&notice, 0, sizeof notice);
    notice.ulEventType = w->lost_type;
    if (w->lost_type == fnevTableModified) {
        notice.info.tab.ulTableEvent = TABLE_ERROR;
        notice.info.tab.hResult = MAPI_E_NOT_ENOUGH_MEMORY;
        notice.info.tab.propIndex.ulPropTag = PR_NULL;
        notice.info.tab.propPrior.ulPropTag = PR_NULL;
    } else {
        notice.info.err.scode = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    IMAPIAdviseSink_OnNotify(w->inner, 1, &notice);
}

STDAPI HrDispatchNotifications(ULONG ulFlags)
{
    if (ulFlags != 0)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "HrDispatchNotifications: ulFlags must be 0, "
                            "not 0x%08lX", (unsigned long)ulFlags);
    thread_queue *tq = my_tq;
    if (tq == NULL)
        return S_OK;
    if (tq->efd >= 0) {
        uint64_t count;
        ssize_t r = read(tq->efd, &count, sizeof count);
        (void)r; /* EAGAIN: nothing was signalled */
    }
    for (tq_item *it = take_all(tq), *next; it != NULL; it = next) {
        next = it->next;
        deliver(it);
        item_done(tq, it);
    }
    return S_OK;
}

FREEMAPI_PUBLIC int fmapi_notify_thread_fd(void)
{
    thread_queue *tq = this_thread_queue();
    if (tq == NULL) {
        fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "fmapi_notify_thread_fd: out of memory");
        return -1;
    }
    pthread_mutex_lock(&tq->lock);
    if (tq->efd < 0) {
        tq->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (tq->efd < 0) {
            int e = errno;
            pthread_mutex_unlock(&tq->lock);
            fm_error_set(MAPI_E_NOT_ENOUGH_RESOURCES, "fmapi_notify_thread_fd: eventfd: %s",
                         strerror(e));
            return -1;
        }
        if (tq->head != NULL) {
            uint64_t one = 1;
            ssize_t w = write(tq->efd, &one, sizeof one);
            (void)w;
        }
    }
    int fd = tq->efd;
    pthread_mutex_unlock(&tq->lock);
    return fd;
}

FREEMAPI_PUBLIC HRESULT fmapi_notify_thread_wait(int timeout_ms)
{
    thread_queue *tq = this_thread_queue();
    if (tq == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "fmapi_notify_thread_wait: out of memory");
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    if (timeout_ms > 0) {
        until.tv_sec += timeout_ms / 1000;
        until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
    }
    pthread_mutex_lock(&tq->lock);
    while (tq->head == NULL && timeout_ms != 0) {
        int rc = timeout_ms < 0 ? pthread_cond_wait(&tq->cond, &tq->lock)
                                : pthread_cond_timedwait(&tq->cond, &tq->lock, &until);
        if (rc == ETIMEDOUT)
            break;
    }
    bool any = tq->head != NULL;
    pthread_mutex_unlock(&tq->lock);
    return any ? S_OK : fm_error_set(MAPI_E_TIMEOUT, "no notification within %d ms",
                                     timeout_ms);
}
