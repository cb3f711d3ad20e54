/*
 * server/core/daemon.c - --daemon and --pid-file (daemon.h).
 */
#include "server/core/daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"

static int ready_fd = -1; /* the write end of the pipe to the waiting parent */

HRESULT fm_srv_daemonize(int *parent_status)
{
    int p[2];
    if (pipe(p) != 0)
        return fm_error_set(MAPI_E_CALL_FAILED, "pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0)
        return fm_error_set(MAPI_E_CALL_FAILED, "fork: %s", strerror(errno));
    if (pid > 0) { /* the parent: wait for a byte (ready) or EOF (failed) */
        char c;
        close(p[1]);
        ssize_t n;
        do
            n = read(p[0], &c, 1);
        while (n < 0 && errno == EINTR);
        close(p[0]);
        *parent_status = n == 1 ? 0 : 1;
        return S_FALSE;
    }
    close(p[0]);
    ready_fd = p[1];
    setsid();
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        if (null > STDERR_FILENO)
            close(null);
    }
    return S_OK;
}

void fm_srv_daemon_ready(void)
{
    if (ready_fd < 0)
        return;
    ssize_t n = write(ready_fd, "r", 1);
    (void)n;
    close(ready_fd);
    ready_fd = -1;
}

HRESULT fm_srv_pidfile_write(const char *path)
{
    char text[32];
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return fm_error_set(MAPI_E_NO_ACCESS, "pid file %s: %s", path, strerror(errno));
    int n = snprintf(text, sizeof text, "%ld\n", (long)getpid());
    HRESULT hr = S_OK;
    if (fchmod(fd, 0600) != 0 || write(fd, text, (size_t)n) != n)
        hr = fm_error_set(MAPI_E_DISK_ERROR, "pid file %s: %s", path, strerror(errno));
    close(fd);
    return hr;
}

void fm_srv_pidfile_remove(const char *path)
{
    if (path)
        unlink(path);
}
