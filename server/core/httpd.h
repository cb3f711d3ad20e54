/*
 * server/core/httpd.h - the shared HTTP front-end: libmicrohttpd daemons on
 * the listening sockets (listen.h), TLS on TCP, authentication of every
 * request (auth.h), and dispatch by path to the protocol modules
 * registered here (MAPI/HTTP today; later protocols that speak HTTP plug in
 * as one more fm_srv_module, and line protocols such as LMTP or IMAP get
 * their own listener type over the same listen, auth and session code).
 *
 * libmicrohttpd (GNU, packaged in Debian, maintained) does HTTP/1.1 with
 * keep-alive and chunked bodies and TLS through GnuTLS, so no HTTP parser
 * is written here. A module sees one complete, authenticated request.
 */
#ifndef FREEMAPI_SERVER_CORE_HTTPD_H
#define FREEMAPI_SERVER_CORE_HTTPD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

#include "site/site.h"

/* One request as a module sees it. */
typedef struct fm_srv_request {
    struct MHD_Connection *conn;
    const char *method, *url;
    const uint8_t *body; /* NULL when too_large */
    size_t body_len;
    bool too_large; /* the body passed max_request_size: it was not kept */
    bool tls;
    const fm_site_entry *user; /* authenticated */
} fm_srv_request;

typedef struct fm_srv_module {
    const char *name;
    const char *prefix; /* URL path prefix the module serves */
    /* Queues the response for req (MHD_queue_response); MHD_NO drops the
     * connection. */
    enum MHD_Result (*handle)(void *ctx, fm_srv_request *req);
    void *ctx;
} fm_srv_module;

#define FM_SRV_MAX_MODULES 8

/* What the daemons share: the site, the limits (changed by a reload) and
 * the modules. */
typedef struct fm_srv_httpd {
    fmapi_site *site;
    _Atomic size_t max_request_size;
    fm_srv_module modules[FM_SRV_MAX_MODULES];
    unsigned n_modules;
} fm_srv_httpd;

/* One listening socket and the daemon serving it (httpd.c). */
typedef struct fm_srv_instance fm_srv_instance;
typedef struct fm_srv_listener {
    fm_srv_httpd *httpd;
    fm_srv_instance *inst;
    int fd;
    bool tls;
    unsigned threads;
} fm_srv_listener;

void fm_srv_httpd_add_module(fm_srv_httpd *h, const fm_srv_module *m);
/* Starts serving fd (a listening socket) with threads workers; with cert
 * and key (PEM text), TLS. */
HRESULT fm_srv_listener_start(fm_srv_listener *l, fm_srv_httpd *h, int fd, unsigned threads,
                              const char *cert_pem, const char *key_pem);
/* Stops accepting new connections (a stop then waits for what is in
 * flight); lets a daemon stop all its listeners before waiting on any. */
void fm_srv_listener_quiesce(fm_srv_listener *l);
/* Stops accepting, waits (up to wait_ms) for the requests in flight, stops
 * the daemon. The listening socket stays open (restart) unless close_fd. */
void fm_srv_listener_stop(fm_srv_listener *l, unsigned wait_ms, bool close_fd);
/* A new TLS daemon with a new certificate on the same socket, then the old
 * one stopped after its requests (SIGHUP). */
HRESULT fm_srv_listener_retls(fm_srv_listener *l, const char *cert_pem, const char *key_pem);

/* Helpers for modules and the core's own answers. */
enum MHD_Result fm_srv_respond(struct MHD_Connection *c, unsigned status, const char *type,
                               const void *body, size_t len);

#endif /* FREEMAPI_SERVER_CORE_HTTPD_H */
