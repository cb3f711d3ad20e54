/*
 * core/idle.c - MAPI's idle engine (mapiutil.h): FtgRegisterIdleRoutine,
 * DeregisterIdleRoutine, EnableIdleRoutine, ChangeIdleRoutine,
 * MAPIInitIdle and MAPIDeinitIdle.
 *
 * Windows runs idle routines from the message pump when the user is idle.
 * A Linux process has no message pump, so the engine is a thread of its
 * own, started by the first MAPIInitIdle and stopped by the matching last
 * MAPIDeinitIdle. It runs one routine at a time: of the enabled routines
 * that are due, the one with the highest priority. A routine is due when
 * csecIdle hundredths of a second have passed since it was registered
 * (FIROWAIT) or since its last call (FIROINTERVAL); a routine with neither
 * flag, or a FIROWAIT one after its first call, is due every
 * FM_IDLE_TICK_MS, the engine's idle tick, so that "as often as necessary"
 * never becomes a busy loop. The obsolete FIROONCEONLY and FIROPERBLOCK are
 * accepted and mean nothing; FIRONOADJUSTMENT is what the monotonic clock
 * does anyway (sleep is not excluded).
 *
 * A function tag (FTG) is the routine's record; calls with a tag the engine
 * does not hold do nothing. DeregisterIdleRoutine waits for a call of the
 * routine in progress on the engine's thread to return, so the caller may
 * free the routine's context afterwards; called from the routine itself,
 * it removes the routine once the call returns.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapiutil.h"

#define FM_IDLE_TICK_MS 100

typedef struct idle_routine {
    struct idle_routine *next;
    PFNIDLE fn;
    LPVOID param;
    short pri;
    ULONG csec;
    USHORT iro;
    bool enabled, called, running, doomed;
    uint64_t due_ms;
} idle_routine;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake; /* the engine: something changed (monotonic clock) */
static pthread_once_t wake_once = PTHREAD_ONCE_INIT;
static pthread_cond_t ended = PTHREAD_COND_INITIALIZER; /* callers: a call returned */
static unsigned init_count;
static bool stopping, thread_running;
static pthread_t engine;
static idle_routine *routines;

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint64_t first_due(USHORT iro, ULONG csec)
{
    return now_ms() + ((iro & (FIROWAIT | FIROINTERVAL)) ? (uint64_t)csec * 10u : 0u);
}

static uint64_t next_due(const idle_routine *r)
{
    uint64_t gap = (r->iro & FIROINTERVAL) ? (uint64_t)r->csec * 10u : FM_IDLE_TICK_MS;
    return now_ms() + (gap ? gap : 1);
}

/* Whether tag is a routine the engine holds. Under the lock. */
static idle_routine *find(FTG tag)
{
    for (idle_routine *r = routines; r; r = r->next)
        if ((FTG)r == tag)
            return r;
    return NULL;
}

static void unlink_routine(idle_routine *r)
{
    for (idle_routine **p = &routines; *p; p = &(*p)->next)
        if (*p == r) {
            *p = r->next;
            return;
        }
}

/* The highest-priority enabled routine due now; *wait_ms until the next
 * one is due when none is. Under the lock. */
static idle_routine *pick(uint64_t *wait_ms)
{
    uint64_t now = now_ms(), soonest = UINT64_MAX;
    idle_routine *best = NULL;
    for (idle_routine *r = routines; r; r = r->next) {
        if (!r->enabled || r->doomed)
            continue;
        if (r->due_ms <= now) {
            if (best == NULL || r->pri > best->pri)
                best = r;
        } else if (r->due_ms < soonest) {
            soonest = r->due_ms;
        }
    }
    *wait_ms = soonest == UINT64_MAX ? 0 : soonest - now;
    return best;
}

static void wait_for(uint64_t ms)
{
    if (ms == 0) {
        pthread_cond_wait(&wake, &lock);
        return;
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += (time_t)(ms / 1000);
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&wake, &lock, &ts);
}

static void *engine_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    while (!stopping) {
        uint64_t wait = 0;
        idle_routine *r = pick(&wait);
        if (r == NULL) {
            wait_for(wait);
            continue;
        }
        r->running = true;
        PFNIDLE fn = r->fn;
        LPVOID param = r->param;
        pthread_mutex_unlock(&lock);
        fn(param);
        pthread_mutex_lock(&lock);
        r->running = false;
        r->called = true;
        r->due_ms = next_due(r);
        if (r->doomed) {
            unlink_routine(r);
            fm_free(r);
        }
        pthread_cond_broadcast(&ended);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void wake_init(void)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&wake, &a);
    pthread_condattr_destroy(&a);
}

STDAPI_(LONG) MAPIInitIdle(LPVOID lpvReserved)
{
    pthread_once(&wake_once, wake_init);
    pthread_mutex_lock(&lock);
    LONG rc = 0;
    if (init_count == 0) {
        stopping = false;
        if (pthread_create(&engine, NULL, engine_main, NULL) != 0) {
            fm_error_set(MAPI_E_NOT_ENOUGH_RESOURCES, "MAPIInitIdle: cannot start the idle "
                                                      "engine's thread");
            rc = 1;
        } else {
            thread_running = true;
        }
    }
    if (rc == 0)
        init_count++;
    pthread_mutex_unlock(&lock);
    return rc;
}

STDAPI_(void) MAPIDeinitIdle(void)
{
    pthread_mutex_lock(&lock);
    if (init_count == 0 || --init_count > 0) {
        pthread_mutex_unlock(&lock);
        return;
    }
    stopping = true;
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
    if (thread_running && !pthread_equal(pthread_self(), engine))
        pthread_join(engine, NULL);
    else if (thread_running)
        pthread_detach(engine); /* deinitialized by an idle routine: it ends by itself */
    pthread_mutex_lock(&lock);
    thread_running = false;
    while (routines) {
        idle_routine *r = routines;
        routines = r->next;
        fm_free(r);
    }
    pthread_mutex_unlock(&lock);
}

STDAPI_(FTG) FtgRegisterIdleRoutine(PFNIDLE lpfnIdle, LPVOID lpvIdleParam, short priIdle,
                                    ULONG csecIdle, USHORT iroIdle)
{
    if (lpfnIdle == NULL) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "FtgRegisterIdleRoutine: no routine");
        return FTGNULL;
    }
    idle_routine *r = fm_calloc(1, sizeof *r);
    if (r == NULL) {
        fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "FtgRegisterIdleRoutine: out of memory");
        return FTGNULL;
    }
    r->fn = lpfnIdle;
    r->param = lpvIdleParam;
    r->pri = priIdle;
    r->csec = csecIdle;
    r->iro = iroIdle;
    r->enabled = !(iroIdle & FIRODISABLED);
    r->due_ms = first_due(iroIdle, csecIdle);
    pthread_mutex_lock(&lock);
    if (init_count == 0) {
        pthread_mutex_unlock(&lock);
        fm_free(r);
        fm_error_set(MAPI_E_NOT_INITIALIZED, "FtgRegisterIdleRoutine: MAPIInitIdle was not "
                                             "called");
        return FTGNULL;
    }
    r->next = routines;
    routines = r;
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
    return (FTG)r;
}

STDAPI_(void) DeregisterIdleRoutine(FTG ftg)
{
    pthread_mutex_lock(&lock);
    idle_routine *r = find(ftg);
    if (r != NULL && r->running && thread_running && pthread_equal(pthread_self(), engine)) {
        r->doomed = true; /* from inside the routine: removed when it returns */
        r = NULL;
    }
    while (r != NULL && r->running) {
        r->doomed = true; /* not picked again while we wait */
        pthread_cond_wait(&ended, &lock);
        r = find(ftg);
    }
    if (r != NULL) {
        unlink_routine(r);
        fm_free(r);
    }
    pthread_mutex_unlock(&lock);
}

STDAPI_(void) EnableIdleRoutine(FTG ftg, BOOL fEnable)
{
    pthread_mutex_lock(&lock);
    idle_routine *r = find(ftg);
    if (r != NULL) {
        r->enabled = fEnable != FALSE;
        pthread_cond_broadcast(&wake);
    }
    pthread_mutex_unlock(&lock);
}

STDAPI_(void) ChangeIdleRoutine(FTG ftg, PFNIDLE lpfnIdle, LPVOID lpvIdleParam, short priIdle,
                                ULONG csecIdle, USHORT iroIdle, USHORT ircIdle)
{
    pthread_mutex_lock(&lock);
    idle_routine *r = find(ftg);
    if (r != NULL) {
        if ((ircIdle & FIRCPFN) && lpfnIdle != NULL)
            r->fn = lpfnIdle;
        if (ircIdle & FIRCPV)
            r->param = lpvIdleParam;
        if (ircIdle & FIRCPRI)
            r->pri = priIdle;
        if (ircIdle & FIRCCSEC)
            r->csec = csecIdle;
        if (ircIdle & FIRCIRO) {
            r->iro = iroIdle;
            r->enabled = !(iroIdle & FIRODISABLED);
        }
        if (ircIdle & (FIRCCSEC | FIRCIRO))
            r->due_ms = r->called ? next_due(r) : first_due(r->iro, r->csec);
        pthread_cond_broadcast(&wake);
    }
    pthread_mutex_unlock(&lock);
}
