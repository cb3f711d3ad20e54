/*
 * server/core/sessions.h - the session-context registry shared by the
 * protocol modules. A session context is what a client's cookie names: it
 * belongs to the site user who created it (every request naming it is
 * checked against the request's authenticated user), holds the protocol's
 * state (for MAPI/HTTP the ROP context), and serves one request at a time
 * (acquire locks it, release unlocks it).
 *
 * Cookies are 32 random bytes in hex (libsodium's randombytes), compared in
 * constant time. The registry holds at most max sessions; a session no
 * request has used for idle_ms ends (checked whenever a session is created,
 * so abandoned contexts cannot fill the registry).
 */
#ifndef FREEMAPI_SERVER_CORE_SESSIONS_H
#define FREEMAPI_SERVER_CORE_SESSIONS_H

#include <stdint.h>

#include "mapicode.h"
#include "mapidefs.h"

#define FM_SRV_COOKIE_LEN 64

typedef struct fm_srv_sessions fm_srv_sessions;
typedef struct fm_srv_session fm_srv_session;
typedef void (*fm_srv_state_free)(void *state);

HRESULT fm_srv_sessions_new(unsigned max, int64_t idle_ms, fm_srv_sessions **out);
/* Frees every session's state too. */
void fm_srv_sessions_free(fm_srv_sessions *reg);
void fm_srv_sessions_set_limits(fm_srv_sessions *reg, unsigned max, int64_t idle_ms);
unsigned fm_srv_sessions_count(fm_srv_sessions *reg);

/* A new session of owner (a site entry id) holding state (freed with
 * state_free when the session ends, also on failure here). cookie[]
 * receives its cookie. MAPI_E_NOT_ENOUGH_RESOURCES when the registry is
 * full. */
HRESULT fm_srv_session_create(fm_srv_sessions *reg, int64_t owner, void *state,
                              fm_srv_state_free state_free, char cookie[FM_SRV_COOKIE_LEN + 1]);
/* The session named by cookie, locked for this request. MAPI_E_INVALID_PARAMETER
 * (not a cookie of ours in form), MAPI_E_NOT_FOUND (no such session),
 * MAPI_E_NO_ACCESS (it is another user's). */
HRESULT fm_srv_session_acquire(fm_srv_sessions *reg, const char *cookie, int64_t owner,
                               fm_srv_session **out);
void *fm_srv_session_state(fm_srv_session *s);
/* Unlocks; with end, the session also leaves the registry and its state is
 * freed. */
void fm_srv_session_release(fm_srv_sessions *reg, fm_srv_session *s, int end);

#endif /* FREEMAPI_SERVER_CORE_SESSIONS_H */
