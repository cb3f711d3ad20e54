/*
 * server/core/config.h - freemapid.conf, the daemon's configuration: a small
 * "key = value" file (comments start with '#'). Keys (docs/freemapid.8):
 *   site = DIR                the site directory the daemon owns
 *   listen_unix = PATH        the Unix socket (its directory must be 0700)
 *   listen_tcp = ADDR:PORT    TCP with TLS (needs tls_cert and tls_key)
 *   tls_cert = FILE, tls_key = FILE   PEM certificate (chain) and key
 *   max_sessions = N          session contexts held at once (default 1000)
 *   max_request_size = BYTES  largest request body (default 1 MiB)
 *   threads = N               worker threads per listener (default 4)
 *   session_idle = SECONDS    a session context unused that long ends
 *                             (default 1800)
 *   notification_wait = SECONDS  how long a NotificationWait is held when
 *                             no event is pending (default 0: answered at
 *                             once). A held wait blocks its worker thread and
 *                             with it the other connections libmicrohttpd
 *                             gave that thread, until it ends: keep 0 until
 *                             the wait suspends its connection instead.
 *   lmtp_listen = PATH | HOST:PORT   the LMTP server (server/lmtp/): a Unix
 *                             socket path (starting with '/') or a loopback
 *                             address; given twice, both
 *   lmtp_max_connections = N  LMTP connections served at once (default 32)
 *   lmtp_max_message_size = BYTES  largest message taken (default 64 MiB)
 *   lmtp_timeout = SECONDS    silence before a connection is closed (300)
 *                             (the lmtp_ keys take effect at a restart only)
 * A reload (SIGHUP) rereads the file: the certificate, the key and the
 * limits change; the site and the listen addresses stay as started.
 */
#ifndef FREEMAPI_SERVER_CORE_CONFIG_H
#define FREEMAPI_SERVER_CORE_CONFIG_H

#include <stddef.h>

#include "mapicode.h"
#include "mapidefs.h"

typedef struct fm_srv_config {
    char *site;
    char *listen_unix;
    char *listen_tcp;
    char *tls_cert, *tls_key;
    unsigned max_sessions;
    size_t max_request_size;
    unsigned threads;
    unsigned session_idle; /* seconds */
    unsigned notification_wait; /* seconds */
    char *lmtp_unix, *lmtp_tcp;
    unsigned lmtp_max_connections;
    size_t lmtp_max_message_size;
    unsigned lmtp_timeout; /* seconds */
} fm_srv_config;

/* The defaults (no listener, no site). */
void fm_srv_config_init(fm_srv_config *cfg);
/* Reads path into cfg (over the defaults). MAPI_E_NOT_FOUND, MAPI_E_NO_ACCESS,
 * MAPI_E_INVALID_PARAMETER for a bad line (the text names the line). */
HRESULT fm_srv_config_load(const char *path, fm_srv_config *cfg);
/* Applies one "key = value" (also used for command-line overrides). */
HRESULT fm_srv_config_set(fm_srv_config *cfg, const char *key, const char *value);
/* Checks that what was read makes a daemon: a site, a listener, TLS files
 * with TCP. */
HRESULT fm_srv_config_check(const fm_srv_config *cfg);
void fm_srv_config_clear(fm_srv_config *cfg);

#endif /* FREEMAPI_SERVER_CORE_CONFIG_H */
