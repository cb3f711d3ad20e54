/*
 * server/lmtp/lmtp_session.h - one LMTP connection (RFC 2033), from the
 * greeting to QUIT, on the thread the server gives it (lmtp_server.c).
 */
#ifndef FREEMAPI_SERVER_LMTP_SESSION_H
#define FREEMAPI_SERVER_LMTP_SESSION_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

/* The most recipients one transaction takes (RFC 5321 4.5.3.1.8 asks for
 * at least 100); more are answered 452 4.5.3 and the MTA sends them again
 * in another transaction. */
#define FM_LMTP_MAX_RECIPIENTS 1000

typedef struct fm_lmtp_settings {
    const char *site_dir;   /* each connection opens its own fmapi_site */
    const char *hostname;   /* in the greeting and the LHLO reply */
    size_t max_message;     /* bytes, announced as SIZE */
    unsigned timeout_ms;    /* the longest wait for a client's next line */
    const atomic_bool *stopping; /* set when the daemon stops */
} fm_lmtp_settings;

/* Serves the connection on fd until QUIT, the client's end, a timeout or
 * the daemon's stop; closes fd. */
void fm_lmtp_session_run(int fd, const fm_lmtp_settings *set);

#endif /* FREEMAPI_SERVER_LMTP_SESSION_H */
