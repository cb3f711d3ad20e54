/*
 * tests/tools/tool_fixture.h - running the real `mapi` binary from a test:
 * fork, exec, collect stdout and stderr, return the exit code.
 *
 * The binary's path comes from MAPI_BIN (set by tests/CMakeLists.txt).
 * Mailboxes are prepared through the library (store_fixture.h) so that each
 * test knows exactly what the tool should find.
 */
#ifndef FREEMAPI_TESTS_TOOL_FIXTURE_H
#define FREEMAPI_TESTS_TOOL_FIXTURE_H

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../store/store_fixture.h"

typedef struct tool_run {
    int code;
    char out[65536];
    char err[65536];
} tool_run;

/* Reads both pipes until both close, keeping what fits. */
static inline void tool_drain(int out_fd, int err_fd, tool_run *r)
{
    size_t no = 0, ne = 0;
    struct pollfd p[2] = { { out_fd, POLLIN, 0 }, { err_fd, POLLIN, 0 } };
    int open_fds = 2;
    while (open_fds > 0) {
        if (poll(p, 2, -1) < 0)
            break;
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP)))
                continue;
            char buf[4096];
            ssize_t n = read(p[i].fd, buf, sizeof buf);
            if (n <= 0) {
                close(p[i].fd);
                p[i].fd = -1;
                open_fds--;
                continue;
            }
            char *dst = i == 0 ? r->out : r->err;
            size_t *len = i == 0 ? &no : &ne;
            size_t cap = (i == 0 ? sizeof r->out : sizeof r->err) - 1;
            size_t take = (size_t)n < cap - *len ? (size_t)n : cap - *len;
            memcpy(dst + *len, buf, take);
            *len += take;
        }
    }
    r->out[no] = '\0';
    r->err[ne] = '\0';
}

/* MAPI_BIN, or the mapi beside the tests directory of this build (so the
 * test also runs outside ctest, as scripts/valgrind.sh runs it). */
static inline const char *tool_binary(void)
{
    static char path[4096];
    const char *bin = getenv("MAPI_BIN");
    if (bin != NULL && bin[0] != '\0')
        return bin;
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 16);
    assert_true(n > 0);
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    assert_non_null(slash);
    *slash = '\0';
    slash = strrchr(path, '/');
    assert_non_null(slash);
    strcpy(slash, "/mapi");
    return path;
}

/* A resource limit for the next tool_run_argv (resource < 0: none). */
static int tool_limit_resource = -1;
static rlim_t tool_limit_value;

static inline void tool_limit(int resource, rlim_t value)
{
    tool_limit_resource = resource;
    tool_limit_value = value;
}

/* Runs mapi with the arguments (NULL-terminated) and stdin from in_path
 * (or /dev/null). */
static inline void tool_run_argv(tool_run *r, const char *in_path, const char *const *args)
{
    const char *bin = tool_binary();
    int out[2], err[2];
    assert_int_equal(pipe(out), 0);
    assert_int_equal(pipe(err), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int in = open(in_path ? in_path : "/dev/null", O_RDONLY);
        dup2(in, 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(out[0]);
        close(err[0]);
        for (int fd = 3; fd < 1024; fd++) /* the tool starts with 0, 1 and 2 only */
            close(fd);
        if (tool_limit_resource >= 0) {
            /* the soft limit is what the tool meets; the hard one stays, which
             * valgrind (that runs the tests in CI) requires */
            struct rlimit lim;
            if (getrlimit(tool_limit_resource, &lim) != 0)
                _exit(126);
            lim.rlim_cur = tool_limit_value;
            if (lim.rlim_max != RLIM_INFINITY && lim.rlim_cur > lim.rlim_max)
                lim.rlim_cur = lim.rlim_max;
            if (setrlimit(tool_limit_resource, &lim) != 0)
                _exit(126);
        }
        char *argv[64];
        int n = 0;
        argv[n++] = (char *)"mapi";
        for (int i = 0; args[i] != NULL && n < 63; i++)
            argv[n++] = (char *)args[i];
        argv[n] = NULL;
        execv(bin, argv);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    tool_limit_resource = -1; /* for that run only */
    tool_drain(out[0], err[0], r);
    int status = 0;
    waitpid(pid, &status, 0);
    r->code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

#define TOOL(r, ...)                                                \
    do {                                                            \
        const char *const tool_args_[] = { __VA_ARGS__, NULL };     \
        tool_run_argv((r), NULL, tool_args_);                       \
    } while (0)

/* Asserts the exit code, showing what the tool said when it differs. */
#define assert_exit(r, expected)                                                     \
    do {                                                                            \
        if ((r)->code != (expected))                                                \
            fail_msg("exit %d, expected %d; stdout:\n%s\nstderr:\n%s", (r)->code,   \
                     (expected), (r)->out, (r)->err);                               \
    } while (0)

/* Asserts that haystack contains needle, printing both when it does not. */
#define assert_contains(haystack, needle)                                           \
    do {                                                                            \
        if (strstr((haystack), (needle)) == NULL)                                   \
            fail_msg("expected \"%s\" in:\n%s", (needle), (haystack));              \
    } while (0)

#define assert_not_contains(haystack, needle)                                       \
    do {                                                                            \
        if (strstr((haystack), (needle)) != NULL)                                   \
            fail_msg("did not expect \"%s\" in:\n%s", (needle), (haystack));        \
    } while (0)

/* Makes dir unwritable (or writable again) even for root, who ignores
 * modes: the immutable attribute then. */
static inline void tool_set_writable(const char *dir, bool writable)
{
    if (geteuid() != 0) {
        assert_int_equal(chmod(dir, writable ? 0700 : 0500), 0);
        return;
    }
    char cmd[800];
    snprintf(cmd, sizeof cmd, "chattr %ci '%s'", writable ? '-' : '+', dir);
    assert_int_equal(system(cmd), 0);
}

/* fx_count without creating the file: a test polling a store the tool is
 * about to create must not make it first (an empty file is no store).
 * -1 when it cannot be read. */
static inline long tool_count(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st;
    long n = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

/* Starts mapi in the background with stdin from in_fd (-1: /dev/null) and
 * its output thrown away. */
static inline pid_t tool_spawn(int in_fd, const char *const *args)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(in_fd >= 0 ? in_fd : null, 0);
        dup2(null, 1);
        dup2(null, 2);
        char *argv[64];
        int n = 0;
        argv[n++] = (char *)"mapi";
        for (int i = 0; args[i] != NULL && n < 63; i++)
            argv[n++] = (char *)args[i];
        argv[n] = NULL;
        execv(tool_binary(), argv);
        _exit(127);
    }
    return pid;
}

/* Waits until process pid has a file whose path ends with suffix open:
 * the tool got that far (its signal handlers are set before any command
 * opens a file). Polls /proc; the bound keeps a broken tool from hanging
 * the test and says nothing about speed. */
static inline bool tool_wait_open(pid_t pid, const char *suffix)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%ld/fd", (long)pid);
    for (int i = 0; i < 3000; i++) {
        DIR *d = opendir(dir);
        for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;) {
            char link[600], target[4096];
            snprintf(link, sizeof link, "%s/%s", dir, e->d_name);
            ssize_t n = readlink(link, target, sizeof target - 1);
            if (n <= 0)
                continue;
            target[n] = '\0';
            size_t len = strlen(suffix);
            if ((size_t)n >= len && strcmp(target + n - len, suffix) == 0) {
                closedir(d);
                return true;
            }
        }
        if (d != NULL)
            closedir(d);
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid)
            return false;
        usleep(10000);
    }
    return false;
}

/* Waits for pid to end and returns its exit code (128 + signal when a
 * signal ended it); -1 after killing one that did not end within the
 * bound (a hang, not a slowness: the bound is far above any run). */
static inline int tool_wait_exit(pid_t pid)
{
    for (int i = 0; i < 3000; i++) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

/* The number of lines of text. */
static inline int tool_lines(const char *text)
{
    int n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

#endif /* FREEMAPI_TESTS_TOOL_FIXTURE_H */
