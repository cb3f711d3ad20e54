/*
 * tests/support/fm_server.h - starts freemapid (FREEMAPID_BIN) for a test,
 * on a temporary site of its own, with a Unix socket in a private 0700
 * directory and a TLS listener on a free loopback port (certificate made
 * by the openssl command line), waits until it says it is ready, and stops
 * it. Every wait is bounded; a server still running when the test process
 * exits is killed (atexit), never left behind.
 *
 * The site has users alice, bob and carol (passwords FM_SERVER_PW) and one
 * named as the OS user running the test (for peer credentials).
 */
#ifndef FREEMAPI_TEST_FM_SERVER_H
#define FREEMAPI_TEST_FM_SERVER_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#define FM_SERVER_PW "s3cret-pw"

typedef struct fm_server {
    pid_t pid;
    int status; /* waitpid's, once it ended on its own */
    char dir[1024];          /* everything lives here (0700) */
    char site[PATH_MAX];     /* the site directory */
    char sock[PATH_MAX];     /* the Unix socket */
    char conf[PATH_MAX];     /* freemapid.conf */
    char cert[PATH_MAX], key[PATH_MAX];
    char pidfile[PATH_MAX];
    char log[PATH_MAX];      /* freemapid's stderr */
    char tcp[64];            /* "127.0.0.1:PORT" as bound */
    unsigned long max_request_size;
    unsigned notification_wait; /* seconds a NotificationWait is held (0: none) */
} fm_server;

/* The freemapid program to run. */
const char *fm_server_bin(void);
/* Makes the directory, site, certificate and configuration (no start). */
int fm_server_setup(fm_server *s);
/* Rewrites freemapid.conf (after changing s->cert, s->key or the limit). */
int fm_server_write_conf(const fm_server *s);
/* Makes a self-signed certificate for localhost at cert/key (0600). */
int fm_server_make_cert(const char *cert, const char *key);
/* Starts freemapid and waits (at most 30 s) for "ready". 0 on success. */
int fm_server_start(fm_server *s);
/* Waits (at most 30 s) until the log has a line containing text. */
bool fm_server_log_wait(fm_server *s, const char *text);
/* SIGTERM, then waits (at most 30 s, then SIGKILL); the exit status as
 * waitpid gives it, or -1. */
int fm_server_stop(fm_server *s);
/* SIGKILL and reap. */
void fm_server_kill(fm_server *s);

#endif /* FREEMAPI_TEST_FM_SERVER_H */
