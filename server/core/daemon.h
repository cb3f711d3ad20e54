/*
 * server/core/daemon.h - leaving the terminal (--daemon) and the pid file
 * (--pid-file): the file is written 0600 whatever the umask, never through
 * a symbolic link, and removed when the daemon stops.
 */
#ifndef FREEMAPI_SERVER_CORE_DAEMON_H
#define FREEMAPI_SERVER_CORE_DAEMON_H

#include "mapicode.h"
#include "mapidefs.h"

/* Forks into the background (new session, stdin on /dev/null; stderr
 * stays, for the log). S_OK in the child. In the parent, which waits until
 * the child calls fm_srv_daemon_ready, S_FALSE with *parent_status 0, or 1
 * when the child ended first: the parent then frees what it holds and
 * exits with that status. */
HRESULT fm_srv_daemonize(int *parent_status);
/* Tells the waiting parent (if any) that the daemon serves. */
void fm_srv_daemon_ready(void);

HRESULT fm_srv_pidfile_write(const char *path);
void fm_srv_pidfile_remove(const char *path);

#endif /* FREEMAPI_SERVER_CORE_DAEMON_H */
