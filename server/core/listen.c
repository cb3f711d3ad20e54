/*
 * server/core/listen.c - binds the Unix and TCP listening sockets
 * (listen.h).
 */
#include "server/core/listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/error.h"

#define LISTEN_BACKLOG 128

/* The socket's directory: a real directory (not a link), ours, 0700. */
static HRESULT check_parent(const char *path)
{
    char copy[sizeof(((struct sockaddr_un *)0)->sun_path)];
    struct stat st;
    snprintf(copy, sizeof copy, "%s", path);
    const char *dir = dirname(copy);
    if (lstat(dir, &st) != 0)
        return fm_error_set(MAPI_E_NOT_FOUND, "socket directory %s: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return fm_error_set(MAPI_E_NO_ACCESS, "socket directory %s is not a directory (a link?)",
                            dir);
    if (st.st_uid != geteuid() || (st.st_mode & 077) != 0)
        return fm_error_set(MAPI_E_NO_ACCESS,
                            "socket directory %s must be this user's and mode 0700", dir);
    return S_OK;
}

/* Whatever is at path already: nothing, or a stale socket (removed). */
static HRESULT clear_path(const char *path, const struct sockaddr_un *sa)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? S_OK
                               : fm_error_set(MAPI_E_NO_ACCESS, "%s: %s", path, strerror(errno));
    if (!S_ISSOCK(st.st_mode))
        return fm_error_set(MAPI_E_NO_ACCESS, "%s exists and is not a socket (a link?)", path);
    int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe < 0)
        return fm_error_set(MAPI_E_CALL_FAILED, "socket: %s", strerror(errno));
    int live = connect(probe, (const struct sockaddr *)sa, sizeof *sa) == 0;
    close(probe);
    if (live)
        return fm_error_set(MAPI_E_COLLISION, "a server listens on %s already", path);
    if (unlink(path) != 0)
        return fm_error_set(MAPI_E_NO_ACCESS, "cannot remove stale %s: %s", path,
                            strerror(errno));
    return S_OK;
}

HRESULT fm_srv_listen_unix(const char *path, int *fd)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    HRESULT hr;
    *fd = -1;
    if (strlen(path) >= sizeof sa.sun_path)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "socket path too long: %s", path);
    memcpy(sa.sun_path, path, strlen(path) + 1);
    if ((hr = check_parent(path)) != S_OK || (hr = clear_path(path, &sa)) != S_OK)
        return hr;
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return fm_error_set(MAPI_E_CALL_FAILED, "socket: %s", strerror(errno));
    /* The socket file is created 0600 whatever the umask: bind under 077,
     * then set the mode (the 0700 directory covers the moment between). */
    mode_t old = umask(077);
    int rc = bind(s, (const struct sockaddr *)&sa, sizeof sa);
    umask(old);
    if (rc != 0 || chmod(path, 0600) != 0 || listen(s, LISTEN_BACKLOG) != 0) {
        hr = fm_error_set(MAPI_E_CALL_FAILED, "cannot listen on %s: %s", path, strerror(errno));
        close(s);
        return hr;
    }
    *fd = s;
    return S_OK;
}

/* Splits "HOST:PORT" / "[V6]:PORT" into host[] and port[]. */
static HRESULT split_addr(const char *addr, char *host, size_t hsize, const char **port)
{
    const char *colon = strrchr(addr, ':');
    if (colon == NULL || colon[1] == '\0')
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "listen_tcp %s: expected HOST:PORT", addr);
    const char *h = addr;
    size_t n = (size_t)(colon - addr);
    if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
        h++;
        n -= 2;
    }
    if (n == 0 || n >= hsize)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "listen_tcp %s: bad host", addr);
    memcpy(host, h, n);
    host[n] = '\0';
    *port = colon + 1;
    return S_OK;
}

static void describe_bound(int s, char *bound, size_t size)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char host[INET6_ADDRSTRLEN + 2] = "?", port[16] = "?";
    if (getsockname(s, (struct sockaddr *)&ss, &len) == 0)
        getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV);
    snprintf(bound, size, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, port);
}

HRESULT fm_srv_listen_tcp(const char *addr, int *fd, char *bound, size_t bound_size)
{
    char host[256];
    const char *port = NULL;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV}, *ai = NULL;
    HRESULT hr = split_addr(addr, host, sizeof host, &port);
    *fd = -1;
    if (hr != S_OK)
        return hr;
    int gai = getaddrinfo(host, port, &hints, &ai);
    if (gai != 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "listen_tcp %s: %s", addr,
                            gai_strerror(gai));
    int s = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(s, ai->ai_addr, ai->ai_addrlen) != 0 || listen(s, LISTEN_BACKLOG) != 0) {
        hr = fm_error_set(MAPI_E_CALL_FAILED, "cannot listen on %s: %s", addr, strerror(errno));
        if (s >= 0)
            close(s);
    } else {
        describe_bound(s, bound, bound_size);
        *fd = s;
    }
    freeaddrinfo(ai);
    return hr;
}
