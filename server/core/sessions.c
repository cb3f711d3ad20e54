/*
 * server/core/sessions.c - the session-context registry (sessions.h): a
 * list under one mutex; each session has its own lock for its requests and
 * a reference count, so a session ended while another request waits on it
 * is freed by the last one out.
 */
#include "server/core/sessions.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/error.h"

struct fm_srv_session {
    char cookie[FM_SRV_COOKIE_LEN + 1];
    int64_t owner;
    void *state;
    fm_srv_state_free state_free;
    pthread_mutex_t lock; /* one request at a time */
    unsigned refs;        /* under the registry's lock */
    int ended;
    int64_t last_used; /* monotonic ms, under the registry's lock */
    fm_srv_session *next;
};

struct fm_srv_sessions {
    pthread_mutex_t lock;
    fm_srv_session *head;
    unsigned count, max;
    int64_t idle_ms;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

HRESULT fm_srv_sessions_new(unsigned max, int64_t idle_ms, fm_srv_sessions **out)
{
    fm_srv_sessions *reg = fm_calloc(1, sizeof *reg);
    if (reg == NULL)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    pthread_mutex_init(&reg->lock, NULL);
    reg->max = max;
    reg->idle_ms = idle_ms;
    *out = reg;
    return S_OK;
}

static void session_free(fm_srv_session *s)
{
    if (s->state_free)
        s->state_free(s->state);
    pthread_mutex_destroy(&s->lock);
    sodium_memzero(s->cookie, sizeof s->cookie);
    fm_free(s);
}

void fm_srv_sessions_free(fm_srv_sessions *reg)
{
    if (reg == NULL)
        return;
    for (fm_srv_session *s = reg->head, *next; s; s = next) {
        next = s->next;
        session_free(s);
    }
    pthread_mutex_destroy(&reg->lock);
    fm_free(reg);
}

void fm_srv_sessions_set_limits(fm_srv_sessions *reg, unsigned max, int64_t idle_ms)
{
    pthread_mutex_lock(&reg->lock);
    reg->max = max;
    reg->idle_ms = idle_ms;
    pthread_mutex_unlock(&reg->lock);
}

/* Takes the sessions idle for longer than idle_ms (and in no request) out
 * of the list (registry lock held) into *expired, to be freed unlocked. */
static void collect_idle(fm_srv_sessions *reg, fm_srv_session **expired)
{
    int64_t now = now_ms();
    for (fm_srv_session **pp = &reg->head; *pp;) {
        fm_srv_session *s = *pp;
        if (s->refs == 0 && now - s->last_used > reg->idle_ms) {
            *pp = s->next;
            reg->count--;
            s->ended = 1;
            s->next = *expired;
            *expired = s;
        } else {
            pp = &s->next;
        }
    }
}

unsigned fm_srv_sessions_count(fm_srv_sessions *reg)
{
    pthread_mutex_lock(&reg->lock);
    unsigned n = reg->count;
    pthread_mutex_unlock(&reg->lock);
    return n;
}

HRESULT fm_srv_session_create(fm_srv_sessions *reg, int64_t owner, void *state,
                              fm_srv_state_free state_free, char cookie[FM_SRV_COOKIE_LEN + 1])
{
    unsigned char raw[FM_SRV_COOKIE_LEN / 2];
    fm_srv_session *s = fm_calloc(1, sizeof *s);
    if (s == NULL) {
        if (state_free)
            state_free(state);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(s->cookie, sizeof s->cookie, raw, sizeof raw);
    s->owner = owner;
    s->state = state;
    s->state_free = state_free;
    pthread_mutex_init(&s->lock, NULL);
    fm_srv_session *expired = NULL;
    pthread_mutex_lock(&reg->lock);
    collect_idle(reg, &expired);
    s->last_used = now_ms();
    int full = reg->count >= reg->max;
    if (!full) {
        s->next = reg->head;
        reg->head = s;
        reg->count++;
    }
    pthread_mutex_unlock(&reg->lock);
    for (fm_srv_session *e = expired, *next; e; e = next) {
        next = e->next;
        session_free(e);
    }
    if (full) {
        session_free(s);
        return fm_error_set(MAPI_E_NOT_ENOUGH_RESOURCES, "%u session contexts open already",
                            reg->max);
    }
    memcpy(cookie, s->cookie, sizeof s->cookie);
    return S_OK;
}

static int cookie_form_ok(const char *cookie)
{
    if (strlen(cookie) != FM_SRV_COOKIE_LEN)
        return 0;
    for (const char *p = cookie; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

HRESULT fm_srv_session_acquire(fm_srv_sessions *reg, const char *cookie, int64_t owner,
                               fm_srv_session **out)
{
    fm_srv_session *s;
    *out = NULL;
    if (!cookie_form_ok(cookie))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "not a session context cookie");
    pthread_mutex_lock(&reg->lock);
    for (s = reg->head; s; s = s->next)
        if (sodium_memcmp(s->cookie, cookie, FM_SRV_COOKIE_LEN) == 0)
            break;
    if (s && s->owner == owner)
        s->refs++;
    pthread_mutex_unlock(&reg->lock);
    if (s == NULL)
        return fm_error_set(MAPI_E_NOT_FOUND, "no such session context");
    if (s->owner != owner)
        return fm_error_set(MAPI_E_NO_ACCESS, "the session context is another user's");
    pthread_mutex_lock(&s->lock);
    if (s->ended) { /* ended while this request waited */
        fm_srv_session_release(reg, s, 0);
        return fm_error_set(MAPI_E_NOT_FOUND, "no such session context");
    }
    *out = s;
    return S_OK;
}

void *fm_srv_session_state(fm_srv_session *s)
{
    return s->state;
}

/* Takes s out of the list (registry lock held). */
static void unlink_session(fm_srv_sessions *reg, fm_srv_session *s)
{
    for (fm_srv_session **pp = &reg->head; *pp; pp = &(*pp)->next)
        if (*pp == s) {
            *pp = s->next;
            reg->count--;
            return;
        }
}

void fm_srv_session_release(fm_srv_sessions *reg, fm_srv_session *s, int end)
{
    pthread_mutex_lock(&reg->lock);
    if (end && !s->ended) {
        s->ended = 1;
        unlink_session(reg, s);
    }
    s->last_used = now_ms();
    int last = --s->refs == 0 && s->ended;
    pthread_mutex_unlock(&reg->lock);
    pthread_mutex_unlock(&s->lock);
    if (last)
        session_free(s);
}
