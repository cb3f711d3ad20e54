/*
 * tests/support/fm_server.c - a freemapid for a test (fm_server.h).
 */
#include "fm_server.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fm_test.h"
#include "freemapi_site.h"
#include "mapicode.h"

#define WAIT_MS 30000

static pid_t live_pid; /* the one server this process has running */

static void kill_live(void)
{
    if (live_pid > 0) {
        kill(live_pid, SIGKILL);
        waitpid(live_pid, NULL, 0);
        live_pid = 0;
    }
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int fm_server_make_cert(const char *cert, const char *key)
{
    char cmd[3 * PATH_MAX];
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
             "-keyout '%s' -out '%s' -days 2 -subj /CN=localhost "
             "-addext subjectAltName=DNS:localhost >/dev/null 2>&1",
             key, cert);
    if (system(cmd) != 0)
        return -1;
    return chmod(key, 0600) == 0 && chmod(cert, 0600) == 0 ? 0 : -1;
}

static int make_site(const fm_server *s)
{
    fmapi_site *site = NULL;
    struct passwd *pw = getpwuid(geteuid());
    static const char *const users[] = {"alice", "bob", "carol"};
    if (fmapi_site_open(s->site, FMAPI_SITE_CREATE | FMAPI_SITE_WEAK_HASHES, &site) != S_OK)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < 3 && rc == 0; i++)
        rc = fmapi_site_add_user(site, users[i], users[i], NULL, FM_SERVER_PW) == S_OK ? 0 : -1;
    if (rc == 0 && pw && strcmp(pw->pw_name, "alice") != 0)
        rc = fmapi_site_add_user(site, pw->pw_name, "OS user", NULL, NULL) == S_OK ? 0 : -1;
    fmapi_site_close(site);
    return rc;
}

int fm_server_write_conf(const fm_server *s)
{
    FILE *f = fopen(s->conf, "w");
    if (f == NULL)
        return -1;
    fprintf(f, "# written by tests/support/fm_server.c\nsite = %s\nlisten_unix = %s\n"
               "listen_tcp = 127.0.0.1:%s\ntls_cert = %s\ntls_key = %s\n"
               "max_request_size = %lu\nthreads = 2\nmax_sessions = 64\n",
            s->site, s->sock, s->tcp[0] ? strchr(s->tcp, ':') + 1 : "0", s->cert, s->key,
            s->max_request_size);
    if (s->notification_wait)
        fprintf(f, "notification_wait = %u\n", s->notification_wait);
    return fclose(f) == 0 ? 0 : -1;
}

int fm_server_setup(fm_server *s)
{
    static unsigned n;
    memset(s, 0, sizeof *s);
    snprintf(s->dir, sizeof s->dir, "%s/srv%u", fm_test_tmpdir(), n++);
    if (mkdir(s->dir, 0700) != 0 && errno != EEXIST)
        return -1;
    snprintf(s->site, sizeof s->site, "%s/site", s->dir);
    snprintf(s->sock, sizeof s->sock, "%s/run/freemapid.sock", s->dir);
    snprintf(s->conf, sizeof s->conf, "%s/freemapid.conf", s->dir);
    snprintf(s->cert, sizeof s->cert, "%s/cert.pem", s->dir);
    snprintf(s->key, sizeof s->key, "%s/key.pem", s->dir);
    snprintf(s->pidfile, sizeof s->pidfile, "%s/freemapid.pid", s->dir);
    snprintf(s->log, sizeof s->log, "%s/freemapid.log", s->dir);
    s->max_request_size = 65536;
    char run[PATH_MAX + 8];
    snprintf(run, sizeof run, "%s/run", s->dir);
    if (mkdir(run, 0700) != 0 || make_site(s) != 0 || fm_server_make_cert(s->cert, s->key) != 0)
        return -1;
    return fm_server_write_conf(s);
}

/* The log's text (static buffer; the log is small). */
static const char *read_log(const fm_server *s)
{
    static char text[1 << 16];
    text[0] = '\0';
    FILE *f = fopen(s->log, "r");
    if (f) {
        size_t n = fread(text, 1, sizeof text - 1, f);
        text[n] = '\0';
        fclose(f);
    }
    return text;
}

bool fm_server_log_wait(fm_server *s, const char *text)
{
    for (int waited = 0; waited < WAIT_MS; waited += 10) {
        if (strstr(read_log(s), text))
            return true;
        if (s->pid > 0 && waitpid(s->pid, &s->status, WNOHANG) == s->pid) {
            s->pid = live_pid = 0; /* it ended: reaped here */
            return strstr(read_log(s), text) != NULL;
        }
        sleep_ms(10);
    }
    return false;
}

/* FREEMAPID_BIN (ctest sets it), else <build>/freemapid beside the
 * <build>/tests/ directory of this program (scripts/valgrind.sh). */
const char *fm_server_bin(void)
{
    static char path[PATH_MAX];
    const char *bin = getenv("FREEMAPID_BIN");
    if (bin != NULL && bin[0] != '\0')
        return bin;
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 16);
    if (n <= 0)
        return NULL;
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    if (slash == NULL)
        return NULL;
    *slash = '\0';
    slash = strrchr(path, '/');
    if (slash == NULL)
        return NULL;
    strcpy(slash, "/freemapid");
    return path;
}

static pid_t spawn(const fm_server *s)
{
    const char *bin = fm_server_bin();
    if (bin == NULL)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(s->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0)
            dup2(fd, STDERR_FILENO);
        execl(bin, "freemapid", "--config", s->conf, "--pid-file", s->pidfile, (char *)NULL);
        _exit(127);
    }
    return pid;
}

int fm_server_start(fm_server *s)
{
    static bool registered;
    if (!registered) {
        atexit(kill_live);
        registered = true;
    }
    unlink(s->log);
    s->pid = spawn(s);
    if (s->pid < 0)
        return -1;
    live_pid = s->pid;
    bool ready = fm_server_log_wait(s, "freemapid: ready\n");
    const char *tcp = strstr(read_log(s), "freemapid: ready tcp ");
    if (!ready || tcp == NULL) {
        fprintf(stderr, "freemapid did not start:\n%s\n", read_log(s));
        fm_server_kill(s);
        return -1;
    }
    sscanf(tcp + strlen("freemapid: ready tcp "), "%63s", s->tcp);
    return 0;
}

int fm_server_stop(fm_server *s)
{
    int status = -1;
    if (s->pid <= 0)
        return -1;
    kill(s->pid, SIGTERM);
    for (int waited = 0; waited < WAIT_MS; waited += 10) {
        if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
            s->pid = live_pid = 0;
            return status;
        }
        sleep_ms(10);
    }
    fm_server_kill(s);
    return -1;
}

void fm_server_kill(fm_server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
    }
    s->pid = live_pid = 0;
}
