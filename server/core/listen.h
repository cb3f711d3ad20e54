/*
 * server/core/listen.h - the listening sockets, bound by the daemon itself
 * and handed to the HTTP library (httpd.h), so that their safety does not
 * depend on that library: the Unix socket is 0600 in a directory that must
 * be the daemon user's own and 0700 (no other user can plant a link or
 * reach the socket), an existing symbolic link or non-socket at its path is
 * refused, a stale socket is replaced, a live one (another daemon) refused.
 */
#ifndef FREEMAPI_SERVER_CORE_LISTEN_H
#define FREEMAPI_SERVER_CORE_LISTEN_H

#include <stddef.h>

#include "mapicode.h"
#include "mapidefs.h"

/* A listening Unix stream socket at path. MAPI_E_NO_ACCESS (unsafe
 * directory or path), MAPI_E_COLLISION (a daemon listens there already),
 * MAPI_E_CALL_FAILED. */
HRESULT fm_srv_listen_unix(const char *path, int *fd);
/* A listening TCP socket on "HOST:PORT" or "[V6]:PORT" (port 0: any free
 * port); bound[] receives "HOST:PORT" as bound. */
HRESULT fm_srv_listen_tcp(const char *addr, int *fd, char *bound, size_t bound_size);

#endif /* FREEMAPI_SERVER_CORE_LISTEN_H */
