/*
 * server/lmtp/lmtp_server.h - freemapid's LMTP listener (RFC 2033): a
 * Unix socket (server/core/listen.h: 0600, in the daemon's own 0700
 * directory) and/or a TCP port on a loopback address only (LMTP has no
 * authentication: whoever reaches it delivers mail), one thread per
 * connection up to max_connections (more are told 421 4.3.2 and closed).
 */
#ifndef FREEMAPI_SERVER_LMTP_SERVER_H
#define FREEMAPI_SERVER_LMTP_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "mapicode.h"
#include "mapidefs.h"
#include "server/lmtp/lmtp_session.h"

typedef struct fm_lmtp_server {
    fm_lmtp_settings set;
    unsigned max_connections;
    int fds[2], nfds;
    int wake[2]; /* a pipe: the stop wakes the accepting thread */
    pthread_t acceptor;
    bool started;
    atomic_bool stopping;
    pthread_mutex_t lock;
    pthread_cond_t idle;
    unsigned active;
    char bound[128]; /* the TCP address as bound ("127.0.0.1:PORT"), or "" */
} fm_lmtp_server;

/* Binds unix_path (may be NULL) and tcp_addr (may be NULL; refused with
 * MAPI_E_NO_ACCESS unless it is a loopback address) and starts accepting.
 * set's strings must outlive the server. */
HRESULT fm_lmtp_server_start(fm_lmtp_server *srv, const fm_lmtp_settings *set,
                             unsigned max_connections, const char *unix_path,
                             const char *tcp_addr);
/* Stops accepting, tells waiting sessions to end (421), and waits for the
 * sessions, a delivery in progress finishing first. */
void fm_lmtp_server_stop(fm_lmtp_server *srv);

#endif /* FREEMAPI_SERVER_LMTP_SERVER_H */
