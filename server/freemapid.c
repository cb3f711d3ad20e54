/*
 * server/freemapid.c - freemapid, the daemon that owns one site and serves
 * its mailboxes to MAPI clients over MAPI over HTTP, and takes mail for
 * them from an MTA over LMTP (docs/freemapid.8).
 *
 *   freemapid [--config FILE] [--site DIR] [--daemon] [--pid-file FILE]
 *
 * Startup: read the configuration, open the site, bind the listeners
 * (server/core/listen.h), start the HTTP front-end with the MAPI/HTTP
 * module, log "ready" with the bound addresses, then wait for signals:
 * SIGHUP reloads the certificate and the limits, SIGTERM stops after the
 * requests in flight.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapix.h"
#include "server/core/config.h"
#include "server/core/daemon.h"
#include "server/core/httpd.h"
#include "server/core/listen.h"
#include "server/core/log.h"
#include "server/core/sessions.h"
#include "server/core/signals.h"
#include "server/lmtp/lmtp_server.h"
#include "server/mapihttp/mapihttp.h"
#ifdef FREEMAPI_HAVE_RELAY
#include "freemapi_relay.h"
#endif

#define STOP_WAIT_MS 30000u /* longest wait for requests in flight at a stop */
#define PEM_MAX (1024 * 1024)

typedef struct server {
    const char *config_path, *pid_file;
    fm_srv_config cfg;
    fmapi_site *site;
    fm_srv_sessions *sessions;
    fm_srv_httpd httpd;
    fm_mh_module mapihttp;
    fm_srv_listener unix_l, tcp_l;
    bool unix_on, tcp_on;
    fm_lmtp_server lmtp;
    char hostname[256];
} server;

static void usage(FILE *f)
{
    fprintf(f, "usage: freemapid [--config FILE] [--site DIR] [--daemon] [--pid-file FILE]\n");
}

/* A PEM file's text (fm_malloc'd). */
static char *read_pem(const char *path)
{
    FILE *f = fopen(path, "r");
    char *text = NULL;
    if (f == NULL) {
        fm_error_set(MAPI_E_NOT_FOUND, "cannot open %s", path);
        return NULL;
    }
    if ((text = fm_malloc(PEM_MAX + 1)) != NULL) {
        size_t n = fread(text, 1, PEM_MAX, f);
        text[n] = '\0';
        if (n == PEM_MAX || n == 0) {
            fm_error_set(MAPI_E_INVALID_PARAMETER, "%s is empty or too large", path);
            fm_free(text);
            text = NULL;
        }
    }
    fclose(f);
    return text;
}

static HRESULT start_tcp(server *s)
{
    char bound[128];
    int fd;
    HRESULT hr = fm_srv_listen_tcp(s->cfg.listen_tcp, &fd, bound, sizeof bound);
    if (hr != S_OK)
        return hr;
    char *cert = read_pem(s->cfg.tls_cert), *key = cert ? read_pem(s->cfg.tls_key) : NULL;
    hr = key ? fm_srv_listener_start(&s->tcp_l, &s->httpd, fd, s->cfg.threads, cert, key)
             : MAPI_E_NOT_FOUND;
    if (key)
        sodium_memzero(key, strlen(key));
    fm_free(cert);
    fm_free(key);
    if (hr != S_OK) {
        close(fd);
        return hr;
    }
    s->tcp_on = true;
    fm_srv_log(FM_LOG_INFO, "listening on tcp %s (TLS)", bound);
    fprintf(stderr, "freemapid: ready tcp %s\n", bound);
    return S_OK;
}

static HRESULT start_unix(server *s)
{
    int fd;
    HRESULT hr = fm_srv_listen_unix(s->cfg.listen_unix, &fd);
    if (hr == S_OK)
        hr = fm_srv_listener_start(&s->unix_l, &s->httpd, fd, s->cfg.threads, NULL, NULL);
    if (hr != S_OK)
        return hr;
    s->unix_on = true;
    fm_srv_log(FM_LOG_INFO, "listening on unix %s", s->cfg.listen_unix);
    return S_OK;
}

static HRESULT start_lmtp(server *s)
{
    if (gethostname(s->hostname, sizeof s->hostname - 1) != 0 || s->hostname[0] == '\0')
        snprintf(s->hostname, sizeof s->hostname, "localhost");
    fm_lmtp_settings set = { .site_dir = s->cfg.site,
                             .hostname = s->hostname,
                             .max_message = s->cfg.lmtp_max_message_size,
                             .timeout_ms = s->cfg.lmtp_timeout * 1000u };
    HRESULT hr = fm_lmtp_server_start(&s->lmtp, &set, s->cfg.lmtp_max_connections,
                                      s->cfg.lmtp_unix, s->cfg.lmtp_tcp);
    if (hr != S_OK)
        return hr;
    if (s->cfg.lmtp_unix) {
        fm_srv_log(FM_LOG_INFO, "lmtp on unix %s", s->cfg.lmtp_unix);
        fprintf(stderr, "freemapid: ready lmtp unix %s\n", s->cfg.lmtp_unix);
    }
    if (s->cfg.lmtp_tcp) {
        fm_srv_log(FM_LOG_INFO, "lmtp on tcp %s", s->lmtp.bound);
        fprintf(stderr, "freemapid: ready lmtp tcp %s\n", s->lmtp.bound);
    }
    return S_OK;
}

static HRESULT start(server *s)
{
    HRESULT hr = fmapi_site_open(s->cfg.site, 0, &s->site);
    if (hr != S_OK)
        return hr;
    if ((hr = fm_srv_sessions_new(s->cfg.max_sessions,
                                   (int64_t)s->cfg.session_idle * 1000, &s->sessions)) != S_OK)
        return hr;
    s->httpd.site = s->site;
    atomic_store(&s->httpd.max_request_size, s->cfg.max_request_size);
    s->mapihttp.site = s->site;
    s->mapihttp.sessions = s->sessions;
    atomic_store(&s->mapihttp.notification_wait_ms, s->cfg.notification_wait * 1000u);
    fm_srv_module m;
    fm_mh_module_describe(&s->mapihttp, &m);
    fm_srv_httpd_add_module(&s->httpd, &m);
    if (s->cfg.listen_unix && (hr = start_unix(s)) != S_OK)
        return hr;
    if (s->cfg.listen_tcp && (hr = start_tcp(s)) != S_OK)
        return hr;
    if ((s->cfg.lmtp_unix || s->cfg.lmtp_tcp) && (hr = start_lmtp(s)) != S_OK)
        return hr;
    return S_OK;
}

static void stop(server *s)
{
    bool lmtp_unix = s->lmtp.started && s->cfg.lmtp_unix;
    fm_lmtp_server_stop(&s->lmtp); /* deliveries in progress finish */
    if (lmtp_unix)
        unlink(s->cfg.lmtp_unix);
    if (s->unix_on) /* neither listener takes new connections from here on */
        fm_srv_listener_quiesce(&s->unix_l);
    if (s->tcp_on)
        fm_srv_listener_quiesce(&s->tcp_l);
    if (s->unix_on) {
        fm_srv_listener_stop(&s->unix_l, STOP_WAIT_MS, true);
        unlink(s->cfg.listen_unix);
    }
    if (s->tcp_on)
        fm_srv_listener_stop(&s->tcp_l, STOP_WAIT_MS, true);
    fm_srv_sessions_free(s->sessions);
    if (s->site)
        fmapi_site_close(s->site);
}

/* SIGHUP: the limits and the TLS certificate and key from the file. */
static void reload(server *s)
{
    fm_srv_config cfg;
    fm_srv_config_init(&cfg);
    HRESULT hr = s->config_path ? fm_srv_config_load(s->config_path, &cfg) : S_OK;
    if (hr != S_OK) {
        fm_srv_log(FM_LOG_ERROR, "reload: %s; the configuration stays as it was",
                   fm_error_text());
        fm_srv_config_clear(&cfg);
        return;
    }
    atomic_store(&s->httpd.max_request_size, cfg.max_request_size);
    fm_srv_sessions_set_limits(s->sessions, cfg.max_sessions, (int64_t)cfg.session_idle * 1000);
    s->cfg.max_request_size = cfg.max_request_size;
    s->cfg.max_sessions = cfg.max_sessions;
    atomic_store(&s->mapihttp.notification_wait_ms, cfg.notification_wait * 1000u);
    if (s->tcp_on && cfg.tls_cert && cfg.tls_key) {
        char *cert = read_pem(cfg.tls_cert), *key = cert ? read_pem(cfg.tls_key) : NULL;
        hr = key ? fm_srv_listener_retls(&s->tcp_l, cert, key) : MAPI_E_NOT_FOUND;
        if (hr != S_OK)
            fm_srv_log(FM_LOG_ERROR, "reload: %s; the old certificate stays", fm_error_text());
        if (key)
            sodium_memzero(key, strlen(key));
        fm_free(cert);
        fm_free(key);
    }
    fm_srv_log(FM_LOG_INFO, "reloaded: max_sessions %u, max_request_size %zu",
               cfg.max_sessions, cfg.max_request_size);
    fm_srv_config_clear(&cfg);
}

static int parse_args(server *s, int argc, char **argv, bool *daemonize)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"site", required_argument, NULL, 's'},
                                         {"daemon", no_argument, NULL, 'd'},
                                         {"pid-file", required_argument, NULL, 'p'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *site = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "c:s:dp:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': s->config_path = optarg; break;
        case 's': site = optarg; break;
        case 'd': *daemonize = true; break;
        case 'p': s->pid_file = optarg; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }
    if (s->config_path && fm_srv_config_load(s->config_path, &s->cfg) != S_OK)
        return 1;
    if (site && fm_srv_config_set(&s->cfg, "site", site) != S_OK)
        return 1;
    return fm_srv_config_check(&s->cfg) == S_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    server s = {0};
    bool daemonize = false;
    fm_srv_config_init(&s.cfg);
    int rc = parse_args(&s, argc, argv, &daemonize);
    if (rc != 0) {
        if (fm_error_text()[0])
            fm_srv_log(FM_LOG_ERROR, "%s", fm_error_text());
        fm_srv_config_clear(&s.cfg);
        return rc;
    }
    umask(077); /* whatever the daemon creates is its own */
    if (daemonize) {
        HRESULT hr = fm_srv_daemonize(&rc);
        if (hr != S_OK) { /* the waiting parent (S_FALSE), or no fork */
            if (FAILED(hr)) {
                fm_srv_log(FM_LOG_ERROR, "%s", fm_error_text());
                rc = 1;
            }
            fm_srv_config_clear(&s.cfg);
            return rc;
        }
    }
    fm_srv_signals_block();
    MAPIInitialize(NULL);
#ifdef FREEMAPI_HAVE_RELAY
    /* Mail submitted through this daemon to outside addresses goes out
     * through the site's relay (the spooler runs in the submitting thread). */
    if (fmapi_relay_register() != S_OK)
        fm_srv_log(FM_LOG_ERROR, "the relay client did not start: outside mail stays queued");
#endif
    if (start(&s) != S_OK || (s.pid_file && fm_srv_pidfile_write(s.pid_file) != S_OK)) {
        fm_srv_log(FM_LOG_ERROR, "cannot start: %s", fm_error_text());
        rc = 1;
    } else {
        fm_srv_log(FM_LOG_INFO, "ready: site %s", s.cfg.site);
        fprintf(stderr, "freemapid: ready\n");
        fm_srv_daemon_ready();
        while (fm_srv_signals_wait() == FM_SRV_SIG_RELOAD)
            reload(&s);
        fm_srv_log(FM_LOG_INFO, "stopping after the requests in flight");
    }
    stop(&s);
    fm_srv_pidfile_remove(rc == 0 ? s.pid_file : NULL);
    MAPIUninitialize();
    fm_srv_config_clear(&s.cfg);
    return rc;
}
