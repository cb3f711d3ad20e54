/*
 * notify/registry.c - registrations: Advise and Unadvise on any advise source,
 * matching posted events to registrations, and the events themselves.
 *
 * A registration is a 40-byte slot in a slab of 256. Its connection number
 * is its slot index plus one in the low 32 bits and the slot's generation (24
 * bits) in the high 32, so Unadvise finds it without a table of its own, and a number
 * whose registration is gone (the slot reused or freed) never matches. The
 * key table (source, key) -> chain of registrations is an array of chain
 * heads that doubles when it holds more registrations than heads; a doubling
 * that cannot be allocated leaves the chains longer, never an Advise failed.
 * Slabs that become empty are freed, so memory follows the live count.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapiutil.h"
#include "notify/engine.h"

#define SLAB_BITS 8
#define SLAB_SIZE (1u << SLAB_BITS)
#define MIN_BUCKETS 64

typedef struct reg {
    struct reg *next;      /* key chain; the slab's free list when free */
    fm_notify_source *src; /* NULL when the slot is free */
    fm_notify_queue *q;
    uint64_t key;
    ULONG mask;
    uint32_t tag; /* generation << 8 | slot: the generation moves whenever the
                     slot is freed, the slot finds the slab */
} reg;

typedef struct slab {
    uint32_t used;
    uint32_t index; /* in R.slabs */
    reg *free;
    reg regs[SLAB_SIZE];
} slab;

#define GEN(r) ((r)->tag >> SLAB_BITS)
#define SLOT(r) ((r)->tag & (SLAB_SIZE - 1))

static struct {
    slab **slabs;
    uint8_t *in_avail; /* per slab index: listed in avail */
    size_t nslabs, capslabs, nnull;
    uint32_t *avail; /* slab indexes that may have a free slot */
    size_t navail;
    reg **buckets;
    size_t nbuckets;
    size_t nregs;
} R;

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

static size_t bucket_of(const fm_notify_source *src, uint64_t key)
{
    return (size_t)(mix((uint64_t)(uintptr_t)src ^ (key * 0x9E3779B97F4A7C15ULL)) &
                    (R.nbuckets - 1));
}

static slab *slab_of(const reg *r)
{
    return (slab *)((char *)(r - SLOT(r)) - offsetof(slab, regs));
}

static uint64_t conn_of(const reg *r)
{
    uint64_t index = (uint64_t)slab_of(r)->index * SLAB_SIZE + SLOT(r);
    return ((uint64_t)GEN(r) << 32) | (index + 1);
}

/* The live registration conn names, or NULL. */
static reg *lookup(uint64_t conn)
{
    uint64_t index = (conn & 0xFFFFFFFFu);
    if (index == 0 || (index - 1) / SLAB_SIZE >= R.nslabs)
        return NULL;
    index--;
    slab *s = R.slabs[index / SLAB_SIZE];
    if (s == NULL)
        return NULL;
    reg *r = &s->regs[index % SLAB_SIZE];
    return (r->src != NULL && GEN(r) == (uint32_t)(conn >> 32)) ? r : NULL;
}

bool fm_notify_conn_live(uint64_t conn)
{
    return lookup(conn) != NULL;
}

uint64_t fm_notify_reg_count(void)
{
    return R.nregs;
}

uint64_t fm_notify_reg_bytes(void)
{
    size_t live = R.nslabs - R.nnull;
    return (uint64_t)live * sizeof(slab) +
           (uint64_t)R.capslabs * (sizeof(slab *) + sizeof(uint32_t) + 1) +
           (uint64_t)R.nbuckets * sizeof(reg *);
}

void fm_notify_reg_forget(void)
{
    memset(&R, 0, sizeof R);
}

/* ---- slabs -------------------------------------------------------------------- */

static void avail_push(size_t si)
{
    if (!R.in_avail[si]) {
        R.in_avail[si] = 1;
        R.avail[R.navail++] = (uint32_t)si;
    }
}

/* Room for one more slab index in every per-slab array. */
static bool slabs_reserve(void)
{
    if (R.nslabs < R.capslabs)
        return true;
    size_t cap = R.capslabs ? R.capslabs * 2 : 16;
    slab **s = fm_realloc(R.slabs, cap * sizeof *s);
    if (s == NULL)
        return false;
    R.slabs = s;
    uint8_t *in = fm_realloc(R.in_avail, cap);
    if (in == NULL)
        return false;
    R.in_avail = in;
    uint32_t *av = fm_realloc(R.avail, cap * sizeof *av);
    if (av == NULL)
        return false;
    R.avail = av;
    memset(R.in_avail + R.capslabs, 0, cap - R.capslabs);
    R.capslabs = cap;
    return true;
}

static bool slab_add(void)
{
    slab *s = fm_malloc(sizeof *s);
    if (s == NULL)
        return false;
    size_t si = R.nslabs;
    if (R.nnull > 0) {
        for (si = 0; R.slabs[si] != NULL; si++)
            ;
        R.nnull--;
    } else if (!slabs_reserve()) {
        fm_free(s);
        return false;
    } else {
        R.nslabs++;
    }
    s->used = 0;
    s->index = (uint32_t)si;
    s->free = NULL;
    for (size_t i = SLAB_SIZE; i-- > 0;) {
        s->regs[i] = (reg){ .next = s->free, .tag = (1u << SLAB_BITS) | (uint32_t)i };
        s->free = &s->regs[i];
    }
    R.slabs[si] = s;
    avail_push(si);
    return true;
}

static reg *reg_alloc(void)
{
    for (;;) {
        while (R.navail > 0) {
            size_t si = R.avail[R.navail - 1];
            slab *s = R.slabs[si];
            if (s != NULL && s->free != NULL) {
                reg *r = s->free;
                s->free = r->next;
                if (++s->used == SLAB_SIZE) {
                    R.navail--;
                    R.in_avail[si] = 0;
                }
                return r;
            }
            R.navail--;
            R.in_avail[si] = 0;
        }
        if (!slab_add())
            return NULL;
    }
}

/* An empty registry holds no memory at all. */
static void trim(void)
{
    if (R.nslabs != R.nnull)
        return;
    fm_free(R.slabs);
    fm_free(R.in_avail);
    fm_free(R.avail);
    fm_free(R.buckets);
    memset(&R, 0, sizeof R);
}

/* Frees r. An emptied slab is freed, and with the last registration the
 * tables go too. */
static void reg_free(reg *r)
{
    slab *s = slab_of(r);
    size_t si = s->index;
    uint32_t gen = (GEN(r) + 1) & (UINT32_MAX >> SLAB_BITS);
    r->src = NULL;
    r->q = NULL;
    r->tag = ((gen ? gen : 1) << SLAB_BITS) | SLOT(r);
    r->next = s->free;
    s->free = r;
    if (--s->used > 0) {
        avail_push(si);
        return;
    }
    fm_free(s);
    R.slabs[si] = NULL;
    R.nnull++;
    trim();
}

/* ---- the key table ------------------------------------------------------------- */

/* Doubles the key table when it holds more registrations than chain heads;
 * without memory the chains just grow longer. */
static void buckets_grow(void)
{
    if (R.nbuckets != 0 && R.nregs < R.nbuckets)
        return;
    size_t n = R.nbuckets ? R.nbuckets * 2 : MIN_BUCKETS;
    reg **b = fm_calloc(n, sizeof *b);
    if (b == NULL)
        return;
    reg **old = R.buckets;
    size_t nold = R.nbuckets;
    R.buckets = b;
    R.nbuckets = n;
    for (size_t i = 0; i < nold; i++) {
        for (reg *r = old[i], *next; r != NULL; r = next) {
            next = r->next;
            size_t at = bucket_of(r->src, r->key);
            r->next = b[at];
            b[at] = r;
        }
    }
    fm_free(old);
}

static void unlink_key(reg *r)
{
    for (reg **p = &R.buckets[bucket_of(r->src, r->key)]; *p != NULL; p = &(*p)->next) {
        if (*p == r) {
            *p = r->next;
            return;
        }
    }
}

/* A source made before a fork belongs to the parent: in the child it holds
 * nothing (the engine forgot the parent's registrations). */
static bool source_current(fm_notify_source *src)
{
    if (src->epoch == fm_engine.epoch)
        return true;
    src->epoch = fm_engine.epoch;
    atomic_store(&src->nregs, 0);
    return false;
}

/* ---- Advise / Unadvise ------------------------------------------------------------ */

void fm_notify_source_init(fm_notify_source *src, fm_notify_kind kind)
{
    fm_engine_init();
    atomic_init(&src->nregs, 0);
    src->kind = kind;
    src->epoch = fm_engine.epoch;
}

size_t fm_notify_source_count(const fm_notify_source *src)
{
    return src->epoch == fm_engine.epoch ? atomic_load(&src->nregs) : 0;
}

HRESULT fm_notify_advise(fm_notify_source *src, uint64_t key, ULONG mask, IMAPIAdviseSink *sink,
                         const char *what, ULONG_PTR *conn)
{
    if (conn == NULL || sink == NULL || sink->lpVtbl == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: an advise sink and lpulConnection "
                            "are required", what);
    *conn = 0;
    if (mask == 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: the event mask is empty", what);
    fm_engine_init();
    IMAPIAdviseSink_AddRef(sink);
    pthread_mutex_lock(&fm_engine.lock);
    source_current(src);
    bool created = false;
    R.nregs++;
    buckets_grow();
    R.nregs--;
    reg *r = R.nbuckets != 0 ? reg_alloc() : NULL;
    fm_notify_queue *q = r != NULL ? fm_queue_get(sink, &created) : NULL;
    if (q == NULL) {
        size_t held = R.nregs;
        if (r != NULL)
            reg_free(r);
        trim();
        pthread_mutex_unlock(&fm_engine.lock);
        IMAPIAdviseSink_Release(sink);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY,
                            "%s: out of memory for a new registration (%zu held)", what, held);
    }
    R.nregs++;
    *r = (reg){ .src = src, .q = q, .key = key, .mask = mask, .tag = r->tag };
    size_t at = bucket_of(src, key);
    r->next = R.buckets[at];
    R.buckets[at] = r;
    q->nregs++;
    atomic_fetch_add(&src->nregs, 1);
    *conn = (ULONG_PTR)conn_of(r);
    pthread_mutex_unlock(&fm_engine.lock);
    if (!created)
        IMAPIAdviseSink_Release(sink); /* the queue already holds one */
    return S_OK;
}

/* Removes r; returns its queue when that was the queue's last
 * registration and nothing is left to deliver (detached: the caller
 * Releases its sink and frees it after unlocking). */
static fm_notify_queue *remove_reg(reg *r)
{
    fm_notify_queue *q = r->q;
    unlink_key(r);
    atomic_fetch_sub(&r->src->nregs, 1);
    R.nregs--;
    reg_free(r);
    return fm_queue_unref(q);
}

static void free_detached(fm_notify_queue *q)
{
    while (q != NULL) {
        fm_notify_queue *next = q->next_ready;
        IMAPIAdviseSink_Release(q->sink);
        fm_free(q);
        q = next;
    }
}

HRESULT fm_notify_unadvise(fm_notify_source *src, ULONG_PTR conn, const char *what)
{
    fm_engine_init();
    pthread_mutex_lock(&fm_engine.lock);
    reg *r = source_current(src) ? lookup((uint64_t)conn) : NULL;
    if (r == NULL || r->src != src) {
        pthread_mutex_unlock(&fm_engine.lock);
        return fm_error_set(MAPI_E_NOT_FOUND, "%s: connection %llu is not a registration of "
                            "this object", what, (unsigned long long)conn);
    }
    fm_notify_queue *gone = remove_reg(r);
    pthread_mutex_unlock(&fm_engine.lock);
    free_detached(gone);
    return S_OK;
}

void fm_notify_source_clear(fm_notify_source *src)
{
    if (fm_notify_source_count(src) == 0)
        return;
    fm_notify_queue *gone = NULL;
    pthread_mutex_lock(&fm_engine.lock);
    for (size_t si = 0; si < R.nslabs && atomic_load(&src->nregs) > 0; si++) {
        slab *s = R.slabs[si];
        for (size_t i = 0; s != NULL && i < SLAB_SIZE; i++) {
            if (s->regs[i].src != src)
                continue;
            bool last = s->used == 1;
            fm_notify_queue *q = remove_reg(&s->regs[i]);
            if (q != NULL) {
                q->next_ready = gone;
                gone = q;
            }
            /* The slab went with its last registration, and with the
             * process's last one the whole table (trim). */
            if (last && (si >= R.nslabs || R.slabs[si] == NULL))
                break;
        }
    }
    pthread_mutex_unlock(&fm_engine.lock);
    free_detached(gone);
}

/* ---- events ----------------------------------------------------------------------- */

HRESULT fm_notify_event_new(const NOTIFICATION *n, fm_notify_event **out)
{
    *out = NULL;
    ULONG cb;
    HRESULT hr = ScCountNotifications(1, (LPNOTIFICATION)n, &cb);
    if (hr != S_OK)
        return hr;
    fm_notify_event *e = fm_malloc(offsetof(fm_notify_event, n) + cb);
    if (e == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory for a notification of "
                            "%lu bytes", (unsigned long)cb);
    atomic_init(&e->refs, 1);
    e->cb = cb;
    ScCopyNotifications(1, (LPNOTIFICATION)n, &e->n, NULL);
    *out = e;
    return S_OK;
}

void fm_notify_event_release(fm_notify_event *e)
{
    if (e != NULL && atomic_fetch_sub(&e->refs, 1) == 1)
        fm_free(e);
}

const NOTIFICATION *fm_notify_event_notification(const fm_notify_event *e)
{
    return &e->n;
}

/* ---- posting ------------------------------------------------------------------------ */

static bool seen_before(const uint64_t *keys, size_t i)
{
    for (size_t j = 0; j < i; j++) {
        if (keys[j] == keys[i])
            return true;
    }
    return false;
}

static void lose(reg *r)
{
    fm_engine.lost++;
    unsigned what = r->src->kind == FM_NOTIFY_TABLE ? FM_LOST_TABLE
                    : (r->mask & fnevCriticalError) ? FM_LOST_CRITICAL
                                                     : 0;
    if (what != 0)
        fm_queue_lose(r->q, what);
}

/* Calls fn for every registration on src under keys whose mask has type. */
static size_t each_match(fm_notify_source *src, const uint64_t *keys, size_t nkeys, ULONG type,
                         bool (*fn)(reg *r, void *ctx), void *ctx)
{
    size_t n = 0;
    if (R.nbuckets == 0 || !source_current(src))
        return 0;
    for (size_t i = 0; i < nkeys; i++) {
        if (seen_before(keys, i))
            continue;
        for (reg *r = R.buckets[bucket_of(src, keys[i])]; r != NULL; r = r->next) {
            if (r->src == src && r->key == keys[i] && (r->mask & type) && fn(r, ctx))
                n++;
        }
    }
    return n;
}

static bool match_any(reg *r, void *ctx)
{
    return true;
}

bool fm_notify_wants(fm_notify_source *src, const uint64_t *keys, size_t nkeys, ULONG type)
{
    if (fm_notify_source_count(src) == 0)
        return false;
    pthread_mutex_lock(&fm_engine.lock);
    bool any = each_match(src, keys, nkeys, type, match_any, NULL) > 0;
    pthread_mutex_unlock(&fm_engine.lock);
    return any;
}

static bool queue_one(reg *r, void *ctx)
{
    fm_notify_event *e = ctx;
    fm_notify_item *it = fm_malloc(sizeof *it);
    if (it == NULL) {
        lose(r);
        return false;
    }
    it->next = NULL;
    it->conn = conn_of(r);
    it->ev = e;
    atomic_fetch_add(&e->refs, 1);
    fm_queue_push(r->q, it);
    return true;
}

size_t fm_notify_post(fm_notify_source *src, const uint64_t *keys, size_t nkeys,
                      fm_notify_event *e)
{
    if (e == NULL || fm_notify_source_count(src) == 0)
        return 0;
    pthread_mutex_lock(&fm_engine.lock);
    size_t n = each_match(src, keys, nkeys, e->n.ulEventType, queue_one, e);
    pthread_mutex_unlock(&fm_engine.lock);
    return n;
}

static bool lose_one(reg *r, void *ctx)
{
    lose(r);
    return true;
}

void fm_notify_post_lost(fm_notify_source *src, const uint64_t *keys, size_t nkeys, ULONG type)
{
    if (fm_notify_source_count(src) == 0)
        return;
    pthread_mutex_lock(&fm_engine.lock);
    each_match(src, keys, nkeys, type, lose_one, NULL);
    pthread_mutex_unlock(&fm_engine.lock);
}

void fm_notify_post_lost_all(fm_notify_source *src)
{
    if (fm_notify_source_count(src) == 0)
        return;
    pthread_mutex_lock(&fm_engine.lock);
    for (size_t si = 0; si < R.nslabs; si++) {
        slab *s = R.slabs[si];
        for (size_t i = 0; s != NULL && i < SLAB_SIZE; i++) {
            if (s->regs[i].src == src)
                lose(&s->regs[i]);
        }
    }
    pthread_mutex_unlock(&fm_engine.lock);
}
