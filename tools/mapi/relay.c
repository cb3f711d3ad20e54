/*
 * tools/mapi/relay.c - inputs and outputs that can block forever (FIFOs,
 * pipes, sockets, terminals) pass through a thread of the tool, so that
 * Ctrl-C and SIGTERM stop a command waiting on one.
 *
 * libfreemapi-mime reads and writes the files it is given and, as it
 * should, retries a read or write that a signal interrupts: a command
 * blocked on a FIFO inside it would never see the signal. So such a file
 * is not given to it. The library gets one end of a pipe of the tool's own
 * (/proc/self/fd/N), and the relay thread moves the bytes between that
 * pipe and the FIFO with poll(), which also watches the tool's interrupt
 * pipe (progress.c). On a signal the relay stops: an input's pipe ends (the
 * library reads an end of file and the command stops at its next safe
 * point, keeping what it finished); an output's bytes are drained and
 * dropped so the library's writes never wait.
 *
 * An output relay also tells the command when everything written so far
 * has reached the FIFO (cli_relay_sync), so that a message is counted as
 * exported only once it was delivered.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define RELAY_CHUNK 65536

struct cli_relay {
    pthread_t thread;
    bool output;
    char path[4096];
    int ext;       /* the FIFO (or pipe, socket, terminal) */
    int rd, wr;    /* the pipe between the library and the relay */
    int stop[2];   /* cli_relay_close asks the thread to end */
    pthread_mutex_t lock;
    pthread_cond_t moved; /* a chunk was delivered, or the relay ended */
    bool busy;     /* holds bytes read from the pipe, not yet delivered */
    bool ended;
    int err;       /* errno of the relay's failure, 0: none */
};

int cli_pipe(int p[2], bool nonblock)
{
    if (pipe(p) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(p[i], F_SETFD, FD_CLOEXEC);
        if (nonblock)
            fcntl(p[i], F_SETFL, O_NONBLOCK);
    }
    return 0;
}

bool cli_relay_needed(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return false; /* a file to be made: a regular one */
    return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
           (S_ISCHR(st.st_mode) && strncmp(path, "/dev/null", 10) != 0);
}

/* Waits until fd is ready for events, or the relay is to stop; false then. */
static bool wait_for(cli_relay *r, int fd, short events)
{
    for (;;) {
        struct pollfd p[3] = { { fd, events, 0 },
                               { cli_interrupt_fd(), POLLIN, 0 },
                               { r->stop[0], POLLIN, 0 } };
        int n = poll(p, 3, -1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || (p[1].revents | p[2].revents) != 0)
            return false;
        if (p[0].revents != 0)
            return true;
    }
}

static void fail(cli_relay *r, int err)
{
    pthread_mutex_lock(&r->lock);
    if (r->err == 0)
        r->err = err;
    pthread_mutex_unlock(&r->lock);
}

/* Writes buf whole to a non-blocking fd; false on failure or stop. */
static bool put_all(cli_relay *r, int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
        } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
            fail(r, errno);
            return false;
        } else if (!wait_for(r, fd, POLLOUT)) {
            return false;
        }
    }
    return true;
}

static void set_busy(cli_relay *r, bool busy)
{
    pthread_mutex_lock(&r->lock);
    r->busy = busy;
    pthread_cond_broadcast(&r->moved);
    pthread_mutex_unlock(&r->lock);
}

/* FIFO -> pipe, until the FIFO's end, a failure or a stop. */
static void run_input(cli_relay *r, char *buf)
{
    while (wait_for(r, r->ext, POLLIN)) {
        ssize_t n = read(r->ext, buf, RELAY_CHUNK);
        if (n == 0)
            break;
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n < 0) {
            fail(r, errno);
            break;
        }
        if (!put_all(r, r->wr, buf, (size_t)n))
            break;
    }
    close(r->wr); /* the library reads an end of file */
    r->wr = -1;
}

/* Opens the output FIFO once a reader has it open (ENXIO until then). */
static bool open_output(cli_relay *r)
{
    for (;;) {
        r->ext = open(r->path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (r->ext >= 0)
            return true;
        if (errno != ENXIO) {
            fail(r, errno);
            return false;
        }
        struct pollfd p[2] = { { cli_interrupt_fd(), POLLIN, 0 }, { r->stop[0], POLLIN, 0 } };
        if (poll(p, 2, 50) > 0) /* retried every 50 ms until a Ctrl-C */
            return false;
    }
}

/* pipe -> FIFO; after a failure or a stop the pipe is drained (and the
 * bytes dropped) until the library closes its end. */
static void run_output(cli_relay *r, char *buf)
{
    bool deliver = open_output(r);
    for (;;) {
        struct pollfd p = { r->rd, POLLIN, 0 };
        if (deliver) {
            deliver = wait_for(r, r->rd, POLLIN);
        } else if (poll(&p, 1, -1) < 0 && errno == EINTR) {
            continue;
        }
        set_busy(r, true);
        ssize_t n = read(r->rd, buf, RELAY_CHUNK);
        if (n == 0)
            break;
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            set_busy(r, false);
            continue;
        }
        if (n < 0) {
            fail(r, errno);
            break;
        }
        if (deliver)
            deliver = put_all(r, r->ext, buf, (size_t)n);
        set_busy(r, false);
    }
}

static void *relay_main(void *arg)
{
    cli_relay *r = arg;
    char *buf = malloc(RELAY_CHUNK);
    if (buf == NULL)
        fail(r, ENOMEM);
    else if (r->output)
        run_output(r, buf);
    else
        run_input(r, buf);
    free(buf);
    pthread_mutex_lock(&r->lock);
    r->ended = true;
    r->busy = false;
    pthread_cond_broadcast(&r->moved);
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

static void relay_free(cli_relay *r)
{
    int fds[] = { r->ext, r->rd, r->wr, r->stop[0], r->stop[1] };
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
    }
    pthread_mutex_destroy(&r->lock);
    pthread_cond_destroy(&r->moved);
    free(r);
}

HRESULT cli_relay_open(const char *path, bool output, cli_relay **out, char *lib_path,
                       size_t cap)
{
    *out = NULL;
    cli_relay *r = calloc(1, sizeof *r);
    if (r == NULL)
        return cli_set_error(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory");
    r->output = output;
    r->ext = r->rd = r->wr = r->stop[0] = r->stop[1] = -1;
    snprintf(r->path, sizeof r->path, "%s", path);
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->moved, NULL);
    int p[2];
    HRESULT hr = S_OK;
    /* an input FIFO opens at once without O_NONBLOCK's wait for a writer;
     * poll() then waits for one (no end of file before the first writer) */
    if (!output && (r->ext = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
        hr = cli_set_error(cli_errno_hr(errno), "cannot open %s: %s", path, strerror(errno));
    if (hr == S_OK && (cli_pipe(p, false) != 0 || cli_pipe(r->stop, true) != 0))
        hr = cli_set_error(cli_errno_hr(errno), "cannot make a pipe: %s", strerror(errno));
    if (hr == S_OK) {
        r->rd = p[0];
        r->wr = p[1];
        fcntl(output ? r->rd : r->wr, F_SETFL, O_NONBLOCK); /* the relay's own end */
        snprintf(lib_path, cap, "/proc/self/fd/%d", output ? r->wr : r->rd);
    }
    /* the thread takes no signal: they go to the command's thread, whose
     * own blocking calls (a password read from standard input) they end */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    if (hr == S_OK && pthread_create(&r->thread, NULL, relay_main, r) != 0)
        hr = cli_set_error(MAPI_E_NOT_ENOUGH_RESOURCES, "cannot start a thread");
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (hr != S_OK) {
        relay_free(r);
        return hr;
    }
    *out = r;
    return S_OK;
}

/* The relay's failure as a MAPI code with text, S_OK when none. */
static HRESULT relay_status(cli_relay *r)
{
    pthread_mutex_lock(&r->lock);
    int err = r->err;
    pthread_mutex_unlock(&r->lock);
    if (err == 0)
        return S_OK;
    return cli_set_error(cli_errno_hr(err), "%s %s: %s", r->output ? "writing" : "reading",
                         r->path, strerror(err));
}

HRESULT cli_relay_sync(cli_relay *r)
{
    if (r == NULL || !r->output)
        return S_OK;
    pthread_mutex_lock(&r->lock);
    for (;;) {
        int queued = 0;
        if (r->err != 0 || r->ended || cli_cancelled())
            break;
        if (!r->busy && ioctl(r->rd, FIONREAD, &queued) == 0 && queued == 0)
            break;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 20000000; /* wakes up to see a Ctrl-C */
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&r->moved, &r->lock, &until);
    }
    pthread_mutex_unlock(&r->lock);
    if (cli_cancelled())
        return MAPI_E_USER_CANCEL;
    return relay_status(r);
}

HRESULT cli_relay_close(cli_relay *r)
{
    if (r == NULL)
        return S_OK;
    if (r->output && r->wr >= 0) {
        close(r->wr); /* with the library's end closed, the relay drains to the end */
        r->wr = -1;
    } else if (!r->output) {
        ssize_t n = write(r->stop[1], "x", 1);
        (void)n;
    }
    pthread_join(r->thread, NULL);
    HRESULT hr = relay_status(r);
    relay_free(r);
    return hr;
}
