/*
 * server/lmtp/lmtp_server.c - the LMTP listener and its connection
 * threads (lmtp_server.h).
 */
#define _GNU_SOURCE /* accept4, pipe2: close-on-exec from the start */
#include "server/lmtp/lmtp_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "server/core/listen.h"
#include "server/core/log.h"

typedef struct conn {
    fm_lmtp_server *srv;
    int fd;
} conn;

static bool is_loopback(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return false;
    if (ss.ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (ss.ss_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)&ss)->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
    }
    return false;
}

static void *serve(void *arg)
{
    conn *c = arg;
    fm_lmtp_server *srv = c->srv;
    fm_lmtp_session_run(c->fd, &srv->set);
    fm_free(c);
    pthread_mutex_lock(&srv->lock);
    if (--srv->active == 0)
        pthread_cond_broadcast(&srv->idle);
    pthread_mutex_unlock(&srv->lock);
    return NULL;
}

static void refuse(int fd, const char *text)
{
    (void)!send(fd, text, strlen(text), MSG_NOSIGNAL | MSG_DONTWAIT);
    close(fd);
}

static void start_session(fm_lmtp_server *srv, int fd)
{
    pthread_mutex_lock(&srv->lock);
    bool room = srv->active < srv->max_connections;
    if (room)
        srv->active++;
    pthread_mutex_unlock(&srv->lock);
    if (!room) {
        refuse(fd, "421 4.3.2 Too many connections, try again later\r\n");
        return;
    }
    conn *c = fm_malloc(sizeof *c);
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (c != NULL) {
        c->srv = srv;
        c->fd = fd;
    }
    if (c == NULL || pthread_create(&t, &attr, serve, c) != 0) {
        fm_free(c);
        refuse(fd, "421 4.3.2 Out of resources, try again later\r\n");
        pthread_mutex_lock(&srv->lock);
        if (--srv->active == 0)
            pthread_cond_broadcast(&srv->idle);
        pthread_mutex_unlock(&srv->lock);
    }
    pthread_attr_destroy(&attr);
}

static void *accept_loop(void *arg)
{
    fm_lmtp_server *srv = arg;
    struct pollfd p[3];
    while (!atomic_load(&srv->stopping)) {
        int n = 0;
        for (; n < srv->nfds; n++)
            p[n] = (struct pollfd){ .fd = srv->fds[n], .events = POLLIN };
        p[n++] = (struct pollfd){ .fd = srv->wake[0], .events = POLLIN };
        if (poll(p, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            fm_srv_log(FM_LOG_ERROR, "lmtp: poll: %s", strerror(errno));
            break;
        }
        for (int i = 0; i < srv->nfds && !atomic_load(&srv->stopping); i++) {
            if (!(p[i].revents & POLLIN))
                continue;
            int fd = accept4(srv->fds[i], NULL, NULL, SOCK_CLOEXEC);
            if (fd >= 0)
                start_session(srv, fd);
            else if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED)
                usleep(10000); /* EMFILE and the like: do not spin */
        }
    }
    return NULL;
}

static HRESULT bind_tcp(fm_lmtp_server *srv, const char *addr)
{
    int fd = -1;
    HRESULT hr = fm_srv_listen_tcp(addr, &fd, srv->bound, sizeof srv->bound);
    if (hr != S_OK)
        return hr;
    if (!is_loopback(fd)) {
        close(fd);
        return fm_error_set(MAPI_E_NO_ACCESS, "lmtp_listen %s is not a loopback address: LMTP "
                                              "has no authentication", addr);
    }
    srv->fds[srv->nfds++] = fd;
    return S_OK;
}

static void close_all(fm_lmtp_server *srv)
{
    for (int i = 0; i < srv->nfds; i++)
        close(srv->fds[i]);
    srv->nfds = 0;
    for (int i = 0; i < 2; i++)
        if (srv->wake[i] >= 0)
            close(srv->wake[i]);
    srv->wake[0] = srv->wake[1] = -1;
}

HRESULT fm_lmtp_server_start(fm_lmtp_server *srv, const fm_lmtp_settings *set,
                             unsigned max_connections, const char *unix_path,
                             const char *tcp_addr)
{
    memset(srv, 0, sizeof *srv);
    srv->set = *set;
    srv->set.stopping = &srv->stopping;
    srv->max_connections = max_connections;
    srv->wake[0] = srv->wake[1] = -1;
    atomic_init(&srv->stopping, false);
    pthread_mutex_init(&srv->lock, NULL);
    pthread_cond_init(&srv->idle, NULL);
    HRESULT hr = S_OK;
    int fd = -1;
    if (unix_path != NULL && (hr = fm_srv_listen_unix(unix_path, &fd)) == S_OK)
        srv->fds[srv->nfds++] = fd;
    if (hr == S_OK && tcp_addr != NULL)
        hr = bind_tcp(srv, tcp_addr);
    if (hr == S_OK && pipe2(srv->wake, O_CLOEXEC) != 0)
        hr = fm_error_set(MAPI_E_CALL_FAILED, "lmtp: pipe: %s", strerror(errno));
    if (hr == S_OK && pthread_create(&srv->acceptor, NULL, accept_loop, srv) != 0)
        hr = fm_error_set(MAPI_E_CALL_FAILED, "lmtp: cannot start a thread");
    if (hr != S_OK) {
        close_all(srv);
        pthread_cond_destroy(&srv->idle);
        pthread_mutex_destroy(&srv->lock);
        return hr;
    }
    srv->started = true;
    return S_OK;
}

void fm_lmtp_server_stop(fm_lmtp_server *srv)
{
    if (!srv->started)
        return;
    atomic_store(&srv->stopping, true);
    (void)!write(srv->wake[1], "x", 1);
    pthread_join(srv->acceptor, NULL);
    pthread_mutex_lock(&srv->lock);
    while (srv->active > 0) /* waiting sessions see the stop within a poll slice */
        pthread_cond_wait(&srv->idle, &srv->lock);
    pthread_mutex_unlock(&srv->lock);
    close_all(srv);
    pthread_cond_destroy(&srv->idle);
    pthread_mutex_destroy(&srv->lock);
    srv->started = false;
}
