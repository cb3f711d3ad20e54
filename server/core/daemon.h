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
 * stays, for the log). The parent waits until the child calls
 * fm_srv_daemon_ready and exits with 0, or with 1 when the child ends
 * first. Returns in the child only. */
HRESULT fm_srv_daemonize(void);
/* Tells the waiting parent (if any) that the daemon serves. */
void fm_srv_daemon_ready(void);

HRESULT fm_srv_pidfile_write(const char *path);
void fm_srv_pidfile_remove(const char *path);

#endif /* FREEMAPI_SERVER_CORE_DAEMON_H */
