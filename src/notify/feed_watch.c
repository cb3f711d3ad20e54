/*
 * notify/feed_watch.c - the watcher: one thread per process that wakes when
 * another process commits to a store this process follows, and reads it.
 *
 * It waits in poll() on an inotify descriptor (a watch on each followed
 * store's rendezvous file: a writer's header write is an IN_MODIFY) and on
 * an eventfd that other threads use to wake it. Feeds that asked to be
 * looked at again (a writer between its two header writes) carry a due
 * time, and twice a second the mapped headers of every followed store are
 * looked at for a writer killed after its COMMIT (it woke nobody). If the kernel refuses another watch (fs.inotify.max_user_watches),
 * the feed is polled every POLL_MS instead: slower to notice, never
 * missing anything.
 *
 * The thread starts with the first followed store and runs until the
 * library is unloaded. It never holds its lock while it reads a feed, so
 * adding or removing a feed does not wait for a read, except removing the
 * very feed it is reading (fm_watch_remove waits for that read to end).
 */
#define _GNU_SOURCE /* pthread_timedjoin_np */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "notify/feed.h"

#define POLL_MS 100
/* How often the mapped headers are looked at for a stranded commit. */
#define SCAN_MS 500

typedef struct due {
    fm_feed *f;
    uint64_t at; /* CLOCK_MONOTONIC ms */
} due;

/* The kernel hands out watch descriptors in increasing order (it does not
 * reuse freed ones soon), so they index nothing: pairs sorted by wd. */
typedef struct watch {
    int wd;
    fm_feed *f;
} watch;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t done; /* the thread finished reading `busy` */
    pthread_t thread;
    bool running, stopping;
    int ifd, cfd;
    watch *watches; /* sorted by wd */
    size_t nwatches, capwatches;
    fm_feed **polled; /* feeds without a watch */
    size_t npolled, cappolled;
    due *dues;
    size_t ndues, capdues;
    fm_feed *busy;
} W = { .lock = PTHREAD_MUTEX_INITIALIZER, .done = PTHREAD_COND_INITIALIZER, .ifd = -1,
        .cfd = -1 };

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void wake_thread(void)
{
    uint64_t one = 1;
    ssize_t w = write(W.cfd, &one, sizeof one);
    (void)w;
}

/* ---- watches (lock held) ------------------------------------------------------------ */

static size_t watch_find(int wd)
{
    size_t lo = 0, hi = W.nwatches;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (W.watches[mid].wd < wd)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static fm_feed *watched(int wd)
{
    size_t at = watch_find(wd);
    return at < W.nwatches && W.watches[at].wd == wd ? W.watches[at].f : NULL;
}

static bool watch_insert(int wd, fm_feed *f)
{
    if (W.nwatches == W.capwatches) {
        size_t cap = W.capwatches ? W.capwatches * 2 : 16;
        watch *w = fm_realloc(W.watches, cap * sizeof *w);
        if (w == NULL)
            return false;
        W.watches = w;
        W.capwatches = cap;
    }
    size_t at = watch_find(wd);
    memmove(&W.watches[at + 1], &W.watches[at], (W.nwatches - at) * sizeof *W.watches);
    W.watches[at] = (watch){ wd, f };
    W.nwatches++;
    return true;
}

static void watch_erase(int wd)
{
    size_t at = watch_find(wd);
    if (at < W.nwatches && W.watches[at].wd == wd) {
        memmove(&W.watches[at], &W.watches[at + 1], (W.nwatches - at - 1) * sizeof *W.watches);
        W.nwatches--;
    }
}

/* With nothing followed, the watcher holds no memory (the thread stays). */
static void trim(void)
{
    if (W.nwatches != 0 || W.npolled != 0 || W.ndues != 0 || W.busy != NULL)
        return;
    fm_free(W.watches);
    fm_free(W.polled);
    fm_free(W.dues);
    W.watches = NULL;
    W.polled = NULL;
    W.dues = NULL;
    W.capwatches = W.cappolled = W.capdues = 0;
}

/* ---- due times (lock held) --------------------------------------------------------- */

static void undue(fm_feed *f)
{
    for (size_t i = 0; i < W.ndues; i++) {
        if (W.dues[i].f == f) {
            W.dues[i] = W.dues[--W.ndues];
            return;
        }
    }
}

static void set_due(fm_feed *f, unsigned delay_ms)
{
    undue(f);
    if (delay_ms == 0)
        return;
    if (W.ndues == W.capdues) {
        size_t cap = W.capdues ? W.capdues * 2 : 16;
        due *d = fm_realloc(W.dues, cap * sizeof *d);
        if (d == NULL) {
            /* No room to remember it: read it at the next poll tick instead. */
            return;
        }
        W.dues = d;
        W.capdues = cap;
    }
    W.dues[W.ndues++] = (due){ f, now_ms() + delay_ms };
}

/* When the mapped headers and the polled feeds are due next. */
static uint64_t next_scan, next_poll;

static int timeout_ms(void)
{
    uint64_t now = now_ms(), first = UINT64_MAX;
    if (W.nwatches > 0)
        first = next_scan;
    if (W.npolled > 0 && next_poll < first)
        first = next_poll;
    for (size_t i = 0; i < W.ndues; i++) {
        if (W.dues[i].at < first)
            first = W.dues[i].at;
    }
    if (first == UINT64_MAX)
        return -1;
    return first <= now ? 0 : (int)(first - now);
}

/* ---- the thread ---------------------------------------------------------------------- */

/* Reads f without the lock (the lock is held on entry and on return). */
static void look_at(fm_feed *f)
{
    W.busy = f;
    pthread_mutex_unlock(&W.lock);
    unsigned delay = fm_feed_poll(f);
    pthread_mutex_lock(&W.lock);
    W.busy = NULL;
    pthread_cond_broadcast(&W.done);
    set_due(f, delay);
}

/* Reads the feeds whose watches fired; an overflowed queue reads them all. */
static void read_events(void)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t n = read(W.ifd, buf, sizeof buf);
        if (n <= 0)
            return;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            p += sizeof *ev + ev->len;
            if (ev->mask & IN_Q_OVERFLOW) {
                for (size_t i = 0; i < W.nwatches; i++)
                    look_at(W.watches[i].f); /* the array may change: indexes stay valid */
            } else {
                fm_feed *f = watched(ev->wd);
                if (f != NULL)
                    look_at(f);
            }
        }
    }
}

static void read_due(void)
{
    uint64_t now = now_ms();
    for (size_t i = 0; i < W.ndues;) {
        if (W.dues[i].at <= now) {
            fm_feed *f = W.dues[i].f;
            W.dues[i] = W.dues[--W.ndues];
            look_at(f);
            i = 0; /* the array may have changed meanwhile */
        } else {
            i++;
        }
    }
}

/* A writer killed after its COMMIT woke nobody: find its begin stamp. */
static void scan_stranded(void)
{
    for (size_t i = 0; i < W.nwatches; i++) {
        fm_feed *f = W.watches[i].f;
        if (fm_feed_stranded(f))
            look_at(f); /* the array may change meanwhile: indexes stay valid */
    }
}

static void *watch_main(void *arg)
{
    next_scan = now_ms() + SCAN_MS;
    next_poll = now_ms() + POLL_MS;
    pthread_mutex_lock(&W.lock);
    while (!W.stopping) {
        int t = timeout_ms();
        struct pollfd pfd[2] = { { W.ifd, POLLIN, 0 }, { W.cfd, POLLIN, 0 } };
        pthread_mutex_unlock(&W.lock);
        poll(pfd, 2, t);
        if (pfd[1].revents & POLLIN) {
            uint64_t count;
            ssize_t r = read(W.cfd, &count, sizeof count);
            (void)r;
        }
        pthread_mutex_lock(&W.lock);
        if (W.stopping)
            break;
        read_events();
        read_due();
        if (now_ms() >= next_scan) {
            next_scan = now_ms() + SCAN_MS;
            scan_stranded();
        }
        if (now_ms() >= next_poll) {
            next_poll = now_ms() + POLL_MS;
            for (size_t i = 0; i < W.npolled; i++)
                look_at(W.polled[i]);
        }
    }
    pthread_mutex_unlock(&W.lock);
    return NULL;
}

/* Starts the thread (lock held). */
static HRESULT start(void)
{
    if (W.running)
        return S_OK;
    W.ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    W.cfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (W.ifd < 0 || W.cfd < 0 || pthread_create(&W.thread, NULL, watch_main, NULL) != 0) {
        int e = errno;
        if (W.ifd >= 0)
            close(W.ifd);
        if (W.cfd >= 0)
            close(W.cfd);
        W.ifd = W.cfd = -1;
        return fm_error_set(MAPI_E_NOT_ENOUGH_RESOURCES,
                            "cannot start the notification watcher: %s", strerror(e));
    }
    W.running = true;
    return S_OK;
}

static bool polled_add(fm_feed *f)
{
    if (W.npolled == W.cappolled) {
        size_t cap = W.cappolled ? W.cappolled * 2 : 16;
        fm_feed **p = fm_realloc(W.polled, cap * sizeof *p);
        if (p == NULL)
            return false;
        W.polled = p;
        W.cappolled = cap;
    }
    W.polled[W.npolled++] = f;
    return true;
}

HRESULT fm_watch_add(fm_feed *f)
{
    pthread_mutex_lock(&W.lock);
    HRESULT hr = start();
    if (hr != S_OK) {
        pthread_mutex_unlock(&W.lock);
        return hr;
    }
    int wd = inotify_add_watch(W.ifd, fm_feed_path(f), IN_MODIFY);
    if (wd >= 0 && !watch_insert(wd, f)) {
        inotify_rm_watch(W.ifd, wd);
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory following %s",
                          fm_feed_path(f));
    } else if (wd >= 0) {
        fm_feed_set_wd(f, wd);
    } else if (!polled_add(f)) {
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory following %s",
                          fm_feed_path(f));
    }
    if (hr == S_OK) {
        fm_feed_addref(f);
        wake_thread(); /* its poll timeout changes */
    }
    else
        trim();
    pthread_mutex_unlock(&W.lock);
    return hr;
}

void fm_watch_remove(fm_feed *f)
{
    pthread_mutex_lock(&W.lock);
    while (W.busy == f)
        pthread_cond_wait(&W.done, &W.lock);
    int wd = fm_feed_get_wd(f);
    if (wd >= 0) {
        inotify_rm_watch(W.ifd, wd);
        watch_erase(wd);
        fm_feed_set_wd(f, -1);
    } else {
        for (size_t i = 0; i < W.npolled; i++) {
            if (W.polled[i] == f) {
                W.polled[i] = W.polled[--W.npolled];
                break;
            }
        }
    }
    undue(f);
    trim();
    pthread_mutex_unlock(&W.lock);
    fm_feed_release(f);
}

void fm_watch_after_fork(void)
{
    if (W.ifd >= 0)
        close(W.ifd);
    if (W.cfd >= 0)
        close(W.cfd);
    pthread_mutex_init(&W.lock, NULL);
    pthread_cond_init(&W.done, NULL);
    W.running = W.stopping = false;
    W.ifd = W.cfd = -1;
    W.watches = NULL;
    W.nwatches = W.capwatches = 0;
    W.polled = NULL;
    W.npolled = W.cappolled = 0;
    W.dues = NULL;
    W.ndues = W.capdues = 0;
    W.busy = NULL;
}

__attribute__((destructor)) static void watch_unload(void)
{
    pthread_mutex_lock(&W.lock);
    if (!W.running) {
        pthread_mutex_unlock(&W.lock);
        return;
    }
    W.stopping = true;
    wake_thread();
    pthread_mutex_unlock(&W.lock);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 1;
    if (pthread_timedjoin_np(W.thread, NULL, &until) != 0)
        pthread_detach(W.thread);
    close(W.ifd);
    close(W.cfd);
}
