/*
 * notify/feed.c - feeds: one per store file per process, shared by every
 * store object opened on the file here. Following other processes' commits,
 * recording this process's own, and delivering both in commit order (the
 * protocol is in feed.h).
 *
 * Locks: feeds_lock guards the table of feeds; a feed's follow_lock orders
 * Advise/Unadvise with starting and stopping to follow; its lock orders
 * deliveries (every delivery, local or read from the log, happens under it
 * and moves `last`). A feed's lock is taken before the log pool's and the
 * engine's, never after.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "notify/engine.h"
#include "notify/feed.h"
#include "notify/feed_file.h"
#include "notify/feed_log.h"

/* A writer prunes the log when the sequence it writes is a multiple of this. */
#define PRUNE_EVERY 64
/* Re-reading while a writer is between its two header writes: 2, 4, ... ms. */
#define BACKOFF_FIRST_MS 2
#define BACKOFF_MAX_MS 1000

struct fm_feed {
    struct fm_feed *next; /* feeds table chain */
    _Atomic unsigned refs;
    dev_t dev;
    ino_t ino;
    char *path;  /* the store file */
    char *npath; /* its rendezvous file */
    int wfd;     /* the writer's descriptor: its test, the header, pruning */
    bool created; /* opening wfd made the rendezvous file */
    void *wmap;  /* its header, mapped at its first recorded commit */
    bool wmap_tried;
    int sfd;     /* following: the presence lock and the slot; -1 */
    void *smap;  /* following: its header, mapped read-only */
    int64_t slot;
    uint64_t published; /* the position last written to the slot */
    int wd; /* the watcher's descriptor for it, -1 */
    pthread_mutex_t follow_lock;
    pthread_mutex_t lock;
    uint64_t last; /* the last sequence delivered here */
    bool following;
    unsigned backoff;
    fm_notify_source src;
    fm_feed_deliver_fn deliver;
    void *ctx;
};

static pthread_mutex_t feeds_lock = PTHREAD_MUTEX_INITIALIZER;
static fm_feed **feeds;
static size_t nfeeds, nbuckets;
static _Atomic uint64_t following_count;
static pthread_once_t feeds_once = PTHREAD_ONCE_INIT;

static size_t feed_bucket(dev_t dev, ino_t ino)
{
    uint64_t x = (uint64_t)ino * 0x9E3779B97F4A7C15ULL ^ (uint64_t)dev;
    return (size_t)((x ^ (x >> 31)) & (nbuckets - 1));
}

/* In a forked child: the parent's feeds are not ours. Their descriptors are
 * closed so that this process, should it outlive its parent, does not keep
 * the parent's locks alive (OFD locks belong to the shared description). */
static void feeds_after_fork(void)
{
    pthread_mutex_init(&feeds_lock, NULL);
    for (size_t i = 0; i < nbuckets; i++) {
        for (fm_feed *f = feeds[i]; f != NULL; f = f->next) {
            if (f->wfd >= 0)
                close(f->wfd);
            if (f->sfd >= 0)
                close(f->sfd);
            f->wfd = f->sfd = -1;
            f->wmap = f->smap = NULL; /* the mappings stay in this process: harmless */
            f->wmap_tried = true;
            f->wd = -1;
            f->following = false;
            pthread_mutex_init(&f->lock, NULL);
            pthread_mutex_init(&f->follow_lock, NULL);
        }
    }
    feeds = NULL;
    nfeeds = nbuckets = 0;
    atomic_store(&following_count, 0);
    fm_feed_log_after_fork();
    fm_watch_after_fork();
}

static void feeds_setup(void)
{
    fm_engine_init(); /* its fork handler runs before ours in the child */
    pthread_atfork(NULL, NULL, feeds_after_fork);
}

uint64_t fm_feed_subscribed_count(void)
{
    return atomic_load(&following_count);
}

/* ---- opening -------------------------------------------------------------------- */

static bool feeds_grow(void)
{
    if (nbuckets != 0 && nfeeds < nbuckets)
        return true;
    size_t n = nbuckets ? nbuckets * 2 : 16;
    fm_feed **b = fm_calloc(n, sizeof *b);
    if (b == NULL)
        return nbuckets != 0; /* longer chains, still correct */
    fm_feed **old = feeds;
    size_t nold = nbuckets;
    feeds = b;
    nbuckets = n;
    for (size_t i = 0; i < nold; i++) {
        for (fm_feed *f = old[i], *next; f != NULL; f = next) {
            next = f->next;
            size_t at = feed_bucket(f->dev, f->ino);
            f->next = b[at];
            b[at] = f;
        }
    }
    fm_free(old);
    return true;
}

/* discard: the open that made the feed failed; a rendezvous file it made
 * goes too, unless someone else has it open by now. */
static void feed_free(fm_feed *f, bool discard)
{
    fm_notify_source_clear(&f->src);
    fm_ffile_unmap_header(f->wmap);
    if (f->wfd >= 0 && discard && f->created)
        fm_ffile_discard(f->wfd, f->npath);
    else if (f->wfd >= 0)
        close(f->wfd);
    fm_feed_log_forget(f->path);
    pthread_mutex_destroy(&f->lock);
    pthread_mutex_destroy(&f->follow_lock);
    fm_free(f->path);
    fm_free(f->npath);
    fm_free(f->ctx);
    fm_free(f);
}

static HRESULT feed_new(const char *path, const struct stat *st, fm_feed **out)
{
    fm_feed *f = fm_calloc(1, sizeof *f);
    size_t len = strlen(path);
    if (f == NULL || (f->path = fm_strdup(path)) == NULL ||
        (f->npath = fm_malloc(len + sizeof "-notify")) == NULL) {
        if (f != NULL)
            fm_free(f->path);
        fm_free(f);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory for notifications of %s",
                            path);
    }
    memcpy(f->npath, path, len);
    memcpy(f->npath + len, "-notify", sizeof "-notify");
    HRESULT hr;
    f->wfd = fm_ffile_open(f->npath, &f->created, &hr);
    if (f->wfd < 0) {
        fm_free(f->path);
        fm_free(f->npath);
        fm_free(f);
        return hr;
    }
    atomic_init(&f->refs, 1);
    f->dev = st->st_dev;
    f->ino = st->st_ino;
    f->sfd = -1;
    f->slot = -1;
    f->wd = -1;
    pthread_mutex_init(&f->lock, NULL);
    pthread_mutex_init(&f->follow_lock, NULL);
    fm_notify_source_init(&f->src, FM_NOTIFY_OBJECTS);
    *out = f;
    return S_OK;
}

HRESULT fm_feed_open(const char *path, fm_feed_deliver_fn deliver, const void *ctx,
                     size_t ctx_size, fm_feed **out)
{
    *out = NULL;
    pthread_once(&feeds_once, feeds_setup);
    struct stat st;
    if (stat(path, &st) != 0)
        return fm_error_set(errno == ENOENT ? MAPI_E_NOT_FOUND : MAPI_E_NO_ACCESS,
                            "cannot follow %s: %s", path, strerror(errno));
    pthread_mutex_lock(&feeds_lock);
    if (nbuckets != 0) {
        for (fm_feed *f = feeds[feed_bucket(st.st_dev, st.st_ino)]; f; f = f->next) {
            if (f->dev == st.st_dev && f->ino == st.st_ino) {
                atomic_fetch_add(&f->refs, 1);
                pthread_mutex_unlock(&feeds_lock);
                *out = f;
                return S_OK;
            }
        }
    }
    fm_feed *f = NULL;
    HRESULT hr = feeds_grow() ? feed_new(path, &st, &f)
                              : fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY,
                                             "out of memory for notifications of %s", path);
    if (hr == S_OK && ctx_size > 0) {
        f->ctx = fm_malloc(ctx_size);
        if (f->ctx == NULL) {
            feed_free(f, true);
            f = NULL;
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory for notifications of %s",
                              path);
        } else {
            memcpy(f->ctx, ctx, ctx_size);
        }
    }
    if (hr == S_OK) {
        f->deliver = deliver;
        size_t at = feed_bucket(f->dev, f->ino);
        f->next = feeds[at];
        feeds[at] = f;
        nfeeds++;
        *out = f;
    } else if (nfeeds == 0) {
        fm_free(feeds);
        feeds = NULL;
        nbuckets = 0;
    }
    pthread_mutex_unlock(&feeds_lock);
    return hr;
}

void fm_feed_addref(fm_feed *f)
{
    atomic_fetch_add(&f->refs, 1);
}

static void release(fm_feed *f, bool discard)
{
    pthread_mutex_lock(&feeds_lock);
    if (atomic_fetch_sub(&f->refs, 1) != 1) {
        pthread_mutex_unlock(&feeds_lock);
        return;
    }
    if (nbuckets != 0) {
        for (fm_feed **p = &feeds[feed_bucket(f->dev, f->ino)]; *p; p = &(*p)->next) {
            if (*p == f) {
                *p = f->next;
                nfeeds--;
                break;
            }
        }
    }
    if (nfeeds == 0) { /* no feed: no table either */
        fm_free(feeds);
        feeds = NULL;
        nbuckets = 0;
    }
    pthread_mutex_unlock(&feeds_lock);
    feed_free(f, discard);
}

void fm_feed_release(fm_feed *f)
{
    if (f != NULL)
        release(f, false);
}

void fm_feed_release_failed(fm_feed *f)
{
    if (f != NULL)
        release(f, true);
}

fm_notify_source *fm_feed_source(fm_feed *f)
{
    return &f->src;
}

const char *fm_feed_path(const fm_feed *f)
{
    return f->npath;
}

int fm_feed_get_wd(const fm_feed *f)
{
    return f->wd;
}

void fm_feed_set_wd(fm_feed *f, int wd)
{
    f->wd = wd;
}

/* ---- delivering (f->lock held) -------------------------------------------------- */

static void deliver_batch(fm_feed *f, uint64_t seq, const void *batch, size_t n)
{
    fm_notify_reader rd;
    fm_notify_record r;
    HRESULT hr = fm_notify_reader_init(&rd, batch, n);
    while (hr == S_OK && (hr = fm_notify_reader_next(&rd, &r)) == S_OK) {
        if (f->deliver != NULL)
            f->deliver(f, f->ctx, seq, &r);
    }
    if (FAILED(hr))
        fm_notify_post_lost_all(&f->src); /* a damaged row: say so, keep going */
}

static void row_read(void *ctx, uint64_t seq, const void *batch, size_t n)
{
    fm_feed *f = ctx;
    if (seq <= f->last)
        return;
    if (seq != f->last + 1)
        fm_notify_post_lost_all(&f->src); /* rows pruned before we read them */
    deliver_batch(f, seq, batch, n);
    f->last = seq;
}

/* Positions are published every PUBLISH_EVERY sequences: a position only
 * lets writers prune, and one a little behind keeps a few more rows. */
#define PUBLISH_EVERY 16

static void publish(fm_feed *f)
{
    if (f->last - f->published >= PUBLISH_EVERY) {
        fm_ffile_set_position(f->sfd, f->slot, f->last);
        f->published = f->last;
    }
}

/* Reads and delivers the log after f->last. */
static HRESULT read_log(fm_feed *f)
{
    uint64_t last;
    HRESULT hr = fm_feed_log_read(f->path, f->last, row_read, f, &last);
    publish(f);
    return hr;
}

bool fm_feed_stranded(fm_feed *f)
{
    pthread_mutex_lock(&f->lock);
    bool stranded = false;
    if (f->following && f->smap != NULL) {
        uint64_t begin, end;
        fm_ffile_mapped_stamps(f->smap, &begin, &end);
        stranded = begin > end && begin > f->last;
    }
    pthread_mutex_unlock(&f->lock);
    return stranded;
}

unsigned fm_feed_poll(fm_feed *f)
{
    pthread_mutex_lock(&f->lock);
    if (!f->following) {
        pthread_mutex_unlock(&f->lock);
        return 0;
    }
    uint64_t begin, end;
    fm_ffile_stamps(f->sfd, &begin, &end);
    unsigned delay = 0;
    /* Look again, later and later, while a writer is between its COMMIT and
     * its end stamp (or died there), or while the log cannot be read (the
     * store is being recovered, or has gone). */
    if (read_log(f) != S_OK || (begin > end && begin > f->last)) {
        f->backoff = f->backoff ? f->backoff * 2 : BACKOFF_FIRST_MS;
        if (f->backoff > BACKOFF_MAX_MS)
            f->backoff = BACKOFF_MAX_MS;
        delay = f->backoff;
    } else {
        f->backoff = 0;
    }
    pthread_mutex_unlock(&f->lock);
    return delay;
}

/* A commit made in this process: delivered from memory when it is the next
 * in commit order, else after reading the ones other processes made before. */
static void deliver_local(fm_feed *f, uint64_t seq, const void *batch, size_t n)
{
    pthread_mutex_lock(&f->lock);
    if (f->following && seq > f->last) {
        if (seq == f->last + 1) {
            deliver_batch(f, seq, batch, n);
            f->last = seq;
            publish(f);
        } else {
            read_log(f); /* on failure the watcher delivers it after the end stamp */
        }
    }
    pthread_mutex_unlock(&f->lock);
}

/* ---- following ------------------------------------------------------------------- */

static HRESULT follow(fm_feed *f)
{
    HRESULT hr;
    int fd = fm_ffile_open(f->npath, NULL, &hr);
    if (fd < 0)
        return hr;
    int64_t slot = fm_ffile_claim_slot(fd);
    uint64_t head = 0;
    hr = fm_ffile_listen(fd);
    if (hr == S_OK)
        hr = fm_feed_log_start(f->path, &head);
    if (hr != S_OK) {
        close(fd);
        return hr;
    }
    void *map = fm_ffile_map_header(fd, false);
    pthread_mutex_lock(&f->lock);
    f->sfd = fd;
    f->smap = map;
    f->slot = slot;
    f->last = head;
    f->published = head;
    f->backoff = 0;
    f->following = true;
    pthread_mutex_unlock(&f->lock);
    fm_ffile_set_position(fd, slot, head);
    fm_feed_addref(f); /* following holds the feed */
    atomic_fetch_add(&following_count, 1);
    hr = fm_watch_add(f);
    if (hr == S_OK) {
        fm_feed_poll(f); /* what was committed while this was set up */
        return S_OK;
    }
    pthread_mutex_lock(&f->lock);
    f->following = false;
    f->sfd = -1;
    f->smap = NULL;
    pthread_mutex_unlock(&f->lock);
    fm_ffile_unmap_header(map);
    close(fd);
    atomic_fetch_sub(&following_count, 1);
    atomic_fetch_sub(&f->refs, 1); /* the opener's reference keeps it */
    return hr;
}

/* Stops following; the caller then drops the reference following held. */
static void unfollow(fm_feed *f)
{
    fm_watch_remove(f);
    pthread_mutex_lock(&f->lock);
    f->following = false;
    int fd = f->sfd;
    void *map = f->smap;
    f->sfd = -1;
    f->smap = NULL;
    f->slot = -1;
    pthread_mutex_unlock(&f->lock);
    fm_ffile_unmap_header(map);
    if (fd >= 0)
        close(fd); /* drops the presence lock and the slot */
    atomic_fetch_sub(&following_count, 1);
}

HRESULT fm_feed_advise(fm_feed *f, uint64_t key, ULONG mask, IMAPIAdviseSink *sink,
                       const char *what, ULONG_PTR *conn)
{
    pthread_mutex_lock(&f->follow_lock);
    HRESULT hr = fm_notify_advise(&f->src, key, mask, sink, what, conn);
    if (hr == S_OK && !f->following) {
        hr = follow(f);
        if (hr != S_OK) {
            fm_notify_unadvise(&f->src, *conn, what);
            *conn = 0;
        }
    }
    pthread_mutex_unlock(&f->follow_lock);
    return hr;
}

HRESULT fm_feed_unadvise(fm_feed *f, ULONG_PTR conn, const char *what)
{
    pthread_mutex_lock(&f->follow_lock);
    HRESULT hr = fm_notify_unadvise(&f->src, conn, what);
    bool stop = hr == S_OK && f->following && fm_notify_source_count(&f->src) == 0;
    if (stop)
        unfollow(f);
    pthread_mutex_unlock(&f->follow_lock);
    if (stop)
        fm_feed_release(f);
    return hr;
}

/* ---- the writer's side ------------------------------------------------------------- */

bool fm_feed_txn_wanted(fm_feed_txn *t, fm_feed *f)
{
    if (t->state == FM_FEED_UNKNOWN) {
        t->feed = f;
        bool on = f != NULL && f->wfd >= 0 && fm_notify_enabled();
        t->state = on && fm_ffile_followed(f->wfd) ? FM_FEED_LISTENED : FM_FEED_NOBODY;
    }
    return t->state == FM_FEED_LISTENED;
}

HRESULT fm_feed_txn_record(fm_feed_txn *t, const fm_notify_record *r)
{
    if (t->state != FM_FEED_LISTENED)
        return S_OK;
    return fm_notify_batch_add(&t->batch, r);
}

HRESULT fm_feed_txn_flush(fm_feed_txn *t, const fm_feed_sql *sql)
{
    size_t n;
    const void *bytes = fm_notify_batch_bytes(&t->batch, &n);
    if (t->state != FM_FEED_LISTENED || bytes == NULL)
        return S_OK;
    HRESULT hr = fm_feed_log_append(sql, bytes, n, &t->seq);
    if (hr != S_OK)
        return hr;
    fm_feed *f = t->feed;
    if (!f->wmap_tried) {
        f->wmap = fm_ffile_map_header(f->wfd, true);
        f->wmap_tried = true;
    }
    fm_ffile_set_begin(f->wfd, f->wmap, t->seq);
    uint64_t min;
    if (t->seq % PRUNE_EVERY == 0 && fm_ffile_min_position(f->wfd, &min) && min > 0)
        hr = fm_feed_log_prune(sql, min);
    return hr;
}

void fm_feed_txn_end(fm_feed_txn *t, bool committed)
{
    fm_feed *f = t->feed;
    if (t->state == FM_FEED_LISTENED && t->seq != 0 && committed) {
        /* After a rollback the end stamp stays behind the begin stamp, so
         * followers look again until the next commit: the safe side. */
        fm_ffile_set_end(f->wfd, t->seq);
        size_t n;
        const void *bytes = fm_notify_batch_bytes(&t->batch, &n);
        deliver_local(f, t->seq, bytes, n);
    }
    fm_notify_batch_clear(&t->batch, true);
    memset(t, 0, sizeof *t);
}
