/*
 * tests/server/test_freemapid.c - freemapid as a process: SIGTERM lets a
 * request in flight finish, SIGHUP reloads the limits and the certificate,
 * a SIGKILLed server restarts and its old session contexts are gone (the
 * client gets an error and connects again), unsafe socket paths and bad
 * configurations are refused, --daemon detaches after it is ready. Each
 * test starts its own server (fm_server.h) and stops it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fm_test.h"
#include "mh_client.h"

static int setup(void **state)
{
    static fm_server s;
    if (fm_server_setup(&s) != 0)
        return -1;
    *state = &s;
    return 0;
}

/* A daemon the --daemon test started, until it is seen gone: stopped by
 * the teardown even when an assertion ended the test first. */
static pid_t detached;

static int teardown(void **state)
{
    if (detached > 0) {
        kill(detached, SIGKILL);
        detached = 0;
    }
    fm_server_kill(*state);
    return 0;
}

static int unix_connect(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path)
        return -1;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* Reads from fd until text is in buf[] or the peer closes (bounded by a
 * 30 s poll per read). */
static bool read_until(int fd, char *buf, size_t size, const char *text)
{
    size_t len = strlen(buf);
    while (strstr(buf, text) == NULL && len + 1 < size) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 30000) != 1)
            return false;
        ssize_t n = read(fd, buf + len, size - 1 - len);
        if (n <= 0)
            return false;
        len += (size_t)n;
        buf[len] = '\0';
    }
    return strstr(buf, text) != NULL;
}

static void sigterm_lets_a_request_in_flight_finish(void **state)
{
    fm_server *s = *state;
    char buf[8192] = "";
    uint8_t body[256];
    assert_int_equal(fm_server_start(s), 0);
    size_t n = mh_connect_body(body, "/o=freemapi/cn=alice");
    int fd = unix_connect(s->sock);
    assert_true(fd >= 0);
    /* With Expect: 100-continue the server's 100 says it has taken the
     * request: from then on it is in flight. */
    char head[512];
    int hl = snprintf(head, sizeof head,
                      "POST /mapi/emsmdb/ HTTP/1.1\r\nHost: localhost\r\n"
                      "X-RequestType: Connect\r\nX-RequestId: 1\r\n"
                      "Content-Type: application/mapi-http\r\nContent-Length: %zu\r\n"
                      "Expect: 100-continue\r\n\r\n",
                      n);
    assert_int_equal(write(fd, head, (size_t)hl), hl);
    assert_true(read_until(fd, buf, sizeof buf, "100 Continue\r\n\r\n"));
    kill(s->pid, SIGTERM);
    assert_true(fm_server_log_wait(s, "stopping after the requests in flight"));
    assert_int_equal(write(fd, body, n), (ssize_t)n);
    buf[0] = '\0';
    assert_true(read_until(fd, buf, sizeof buf, "X-StartTime:"));
    assert_non_null(strstr(buf, "HTTP/1.1 200"));
    assert_non_null(strstr(buf, "X-ResponseCode: 0\r\n"));
    assert_non_null(strstr(buf, "Set-Cookie: MapiContext="));
    close(fd);
    int status = fm_server_stop(s);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* a stopped server leaves no socket and no pid file */
    assert_int_equal(access(s->sock, F_OK), -1);
    assert_int_equal(access(s->pidfile, F_OK), -1);
}

static int execute_rc(const fm_server *s, const char *cookie, size_t rop_len, const char *ca)
{
    static uint8_t rops[16384], body[16384 + 64];
    memset(rops, 0x5A, sizeof rops);
    mh_resp r;
    mh_req q = {.transport = MH_TLS, .type = "Execute", .userpw = "alice:" FM_SERVER_PW,
                .cookie = cookie, .ca = ca, .body = body};
    q.len = mh_execute_body(body, rops, (uint32_t)rop_len, 0x8000);
    int rc = mh_call(s, &q, &r) == 0 ? r.rc : -1;
    mh_resp_clear(&r);
    return rc;
}

static void sighup_reloads_the_limits_and_the_certificate(void **state)
{
    fm_server *s = *state;
    char cookie[128], cert1[PATH_MAX];
    assert_int_equal(fm_server_start(s), 0);
    assert_int_equal(mh_connect(s, MH_TLS, "alice:" FM_SERVER_PW, cookie), 0);
    /* 10 KB of nonsense ROPs: under the limit, so a body error */
    assert_int_equal(execute_rc(s, cookie, 10000, NULL), 12);
    snprintf(cert1, sizeof cert1, "%s", s->cert);
    snprintf(s->cert, sizeof s->cert, "%s/cert2.pem", s->dir);
    snprintf(s->key, sizeof s->key, "%s/key2.pem", s->dir);
    assert_int_equal(fm_server_make_cert(s->cert, s->key), 0);
    s->max_request_size = 4096;
    assert_int_equal(fm_server_write_conf(s), 0);
    kill(s->pid, SIGHUP);
    assert_true(fm_server_log_wait(s, "reloaded: max_sessions 64, max_request_size 4096"));
    /* now too large, and served with the new certificate only */
    assert_int_equal(execute_rc(s, cookie, 10000, s->cert), 9);
    assert_int_equal(execute_rc(s, cookie, 10000, cert1), -1);
    /* the session context outlived the reload */
    assert_int_equal(execute_rc(s, cookie, 100, s->cert), 12);
    int status = fm_server_stop(s);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void after_sigkill_a_restarted_server_refuses_old_contexts_and_takes_new_ones(void **state)
{
    fm_server *s = *state;
    char cookie[128], cookie2[128];
    uint8_t aux0[8] = {0};
    mh_resp r;
    assert_int_equal(fm_server_start(s), 0);
    assert_int_equal(mh_connect(s, MH_UNIX, NULL, cookie), 0);
    fm_server_kill(s);
    /* no server: the client's call fails at the transport */
    mh_req q = {.transport = MH_UNIX, .type = "NotificationWait", .cookie = cookie,
                .body = aux0, .len = 8};
    assert_int_equal(mh_call(s, &q, &r), -1);
    mh_resp_clear(&r);
    /* restarted over the stale socket: the old context is unknown */
    assert_int_equal(fm_server_start(s), 0);
    assert_int_equal(mh_call(s, &q, &r), 0);
    assert_int_equal(r.rc, 10);
    mh_resp_clear(&r);
    assert_int_equal(mh_connect(s, MH_UNIX, NULL, cookie2), 0);
    q.cookie = cookie2;
    assert_int_equal(mh_call(s, &q, &r), 0);
    assert_int_equal(r.rc, 0);
    mh_resp_clear(&r);
    int status = fm_server_stop(s);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void expect_refused(fm_server *s, const char *why)
{
    assert_int_equal(fm_server_start(s), -1);
    assert_true(fm_server_log_wait(s, why));
}

static void unsafe_socket_paths_are_refused(void **state)
{
    fm_server *s = *state;
    char run[PATH_MAX + 8], target[PATH_MAX + 16];
    snprintf(run, sizeof run, "%s/run", s->dir);
    snprintf(target, sizeof target, "%s/elsewhere", s->dir);
    /* a directory others can enter */
    assert_int_equal(chmod(run, 0755), 0);
    expect_refused(s, "must be this user's and mode 0700");
    assert_int_equal(chmod(run, 0700), 0);
    /* a symbolic link planted at the socket's path */
    assert_int_equal(symlink(target, s->sock), 0);
    expect_refused(s, "is not a socket (a link?)");
    assert_int_equal(access(target, F_OK), -1); /* nothing made through it */
    unlink(s->sock);
    /* a file */
    int fd = open(s->sock, O_WRONLY | O_CREAT, 0600);
    close(fd);
    expect_refused(s, "is not a socket");
    unlink(s->sock);
    /* and the path is fine again */
    assert_int_equal(fm_server_start(s), 0);
    assert_int_equal(fm_server_stop(s), 0);
}

static void a_bad_configuration_is_refused_with_its_line(void **state)
{
    fm_server *s = *state;
    FILE *f = fopen(s->conf, "a");
    assert_non_null(f);
    fprintf(f, "max_sessions = many\n");
    fclose(f);
    expect_refused(s, "freemapid.conf:10: max_sessions: not a number");
    f = fopen(s->conf, "w");
    fprintf(f, "site = %s\nlisten_tcp = 127.0.0.1:0\n", s->site);
    fclose(f);
    expect_refused(s, "listen_tcp needs tls_cert and tls_key");
}

static bool process_gone(pid_t pid)
{
    char path[64], st[512] = "";
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return true;
    size_t n = fread(st, 1, sizeof st - 1, f);
    fclose(f);
    st[n] = '\0';
    const char *paren = strrchr(st, ')');
    return paren && paren[1] == ' ' && paren[2] == 'Z'; /* a zombie has ended */
}

static void daemon_mode_detaches_once_ready_and_writes_its_pid(void **state)
{
    fm_server *s = *state;
    char cmd[4 * PATH_MAX];
    snprintf(cmd, sizeof cmd, "'%s' --daemon --config '%s' --pid-file '%s' 2>>'%s'",
             fm_server_bin(), s->conf, s->pidfile, s->log);
    assert_int_equal(system(cmd), 0); /* returns once the daemon serves */
    FILE *f = fopen(s->pidfile, "r");
    assert_non_null(f);
    long pid = 0;
    assert_int_equal(fscanf(f, "%ld", &pid), 1);
    fclose(f);
    assert_true(pid > 1 && kill((pid_t)pid, 0) == 0);
    detached = (pid_t)pid;
    char cookie[128];
    assert_int_equal(mh_connect(s, MH_UNIX, NULL, cookie), 0);
    kill((pid_t)pid, SIGTERM);
    for (int i = 0; i < 3000 && !process_gone((pid_t)pid); i++)
        usleep(10000);
    assert_true(process_gone((pid_t)pid));
    detached = 0;
}

int main(void)
{
    umask(0);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sigterm_lets_a_request_in_flight_finish, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(sighup_reloads_the_limits_and_the_certificate, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            after_sigkill_a_restarted_server_refuses_old_contexts_and_takes_new_ones, setup,
            teardown),
        cmocka_unit_test_setup_teardown(unsafe_socket_paths_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(a_bad_configuration_is_refused_with_its_line, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(daemon_mode_detaches_once_ready_and_writes_its_pid,
                                        setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
