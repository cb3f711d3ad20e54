/*
 * tests/relay/relay_fixture.h - a real relay for the relay tests: a
 * throwaway certificate made by openssl, the aiosmtpd sink of smtp_sink.py
 * (STARTTLS required, AUTH) on a loopback port, the site's relay setting
 * pointing at it, and the sink's log of what it took, read back.
 */
#ifndef FREEMAPI_TESTS_RELAY_FIXTURE_H
#define FREEMAPI_TESTS_RELAY_FIXTURE_H

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>

#include "../spool/spool_fixture.h"
#include "freemapi_relay.h"

#define RL_USER "relayuser"
#define RL_PASSWORD "relay secret"

typedef struct rl_sink {
    pid_t pid;
    unsigned port;
    char dir[600], log[640], cert[640];
} rl_sink;

/* /usr/bin/python3: Debian's, which has python3-aiosmtpd (a pyenv python3
 * on PATH would not). */
#define RL_PYTHON "/usr/bin/python3"

static inline void rl_run(const char *cmd)
{
    int rc = system(cmd);
    if (rc != 0)
        fail_msg("%s: exit %d", cmd, rc);
}

/* Starts the sink in a fresh directory dir (certificate, key, log, port). */
static inline void rl_sink_start(rl_sink *k, const char *dir) /* dir: under 600 bytes */
{
    memset(k, 0, sizeof *k);
    assert_true(strlen(dir) < 500);
    snprintf(k->dir, sizeof k->dir, "%.500s", dir);
    dir = k->dir;
    char cmd[3000];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    rl_run(cmd);
    snprintf(k->cert, sizeof k->cert, "%.500s/cert.pem", dir);
    snprintf(k->log, sizeof k->log, "%.500s/sink.log", dir);
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
             " -addext subjectAltName=IP:127.0.0.1,DNS:localhost"
             " -keyout '%s/key.pem' -out '%s' 2>/dev/null",
             dir, k->cert);
    rl_run(cmd);
    char port_file[640], key[640], script[700];
    snprintf(port_file, sizeof port_file, "%.500s/port", dir);
    snprintf(key, sizeof key, "%.500s/key.pem", dir);
    snprintf(script, sizeof script, "%s/smtp_sink.py", FM_RELAY_TEST_DIR);
    k->pid = fork();
    assert_true(k->pid >= 0);
    if (k->pid == 0) {
        execl(RL_PYTHON, RL_PYTHON, script, "--port-file", port_file, "--log", k->log, "--cert",
              k->cert, "--key", key, "--user", RL_USER, "--password", RL_PASSWORD,
              "--lifetime", "600", (char *)NULL);
        _exit(127);
    }
    /* Up to 20 s for the interpreter to start under load. */
    for (int i = 0; i < 400 && k->port == 0; i++) {
        FILE *f = fopen(port_file, "r");
        if (f != NULL) {
            if (fscanf(f, "%u", &k->port) != 1)
                k->port = 0;
            fclose(f);
        }
        if (k->port == 0) {
            int status;
            if (waitpid(k->pid, &status, WNOHANG) == k->pid)
                fail_msg("the SMTP sink exited before it listened (status %d)", status);
            struct timespec ts = { 0, 50 * 1000 * 1000 };
            nanosleep(&ts, NULL);
        }
    }
    assert_true(k->port > 0);
}

static inline void rl_sink_stop(rl_sink *k)
{
    if (k->pid <= 0)
        return;
    kill(k->pid, SIGTERM);
    int status = 0;
    assert_int_equal(waitpid(k->pid, &status, 0), k->pid);
    k->pid = 0;
}

/* Points the site in site_dir at the sink (tls required, AUTH). */
static inline void rl_set_relay(const char *site_dir, const rl_sink *k, const char *password)
{
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(site_dir, 0, &site), S_OK);
    fmapi_relay_config cfg = { .host = "127.0.0.1", .port = k->port,
                               .tls = FMAPI_RELAY_TLS_REQUIRED, .user = RL_USER,
                               .password = (char *)password, .cafile = (char *)k->cert };
    assert_int_equal(fmapi_site_set_relay(site, &cfg), S_OK);
    fmapi_site_close(site);
}

/* Lines of the sink's log holding every one of the (up to 3) strings. */
static inline int rl_sink_count(const rl_sink *k, const char *a, const char *b, const char *c)
{
    FILE *f = fopen(k->log, "r");
    if (f == NULL)
        return 0;
    char line[16384];
    int n = 0;
    while (fgets(line, sizeof line, f) != NULL)
        n += (a == NULL || strstr(line, a) != NULL) && (b == NULL || strstr(line, b) != NULL) &&
             (c == NULL || strstr(line, c) != NULL);
    fclose(f);
    return n;
}

/* SQL run on a store file by the test's own connection. */
static inline void rl_sql(const char *file, const char *stmt)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    char *err = NULL;
    if (sqlite3_exec(db, stmt, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", stmt, err);
    sqlite3_close(db);
}

static inline long long rl_sql_int(const char *file, const char *query)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long v = -1;
    assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    assert_int_equal(sqlite3_prepare_v2(db, query, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

#endif /* FREEMAPI_TESTS_RELAY_FIXTURE_H */
