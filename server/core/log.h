/*
 * server/core/log.h - the daemon's log: one line per event on stderr, with
 * a UTC timestamp and a level (systemd's journal or the shell keeps it).
 */
#ifndef FREEMAPI_SERVER_CORE_LOG_H
#define FREEMAPI_SERVER_CORE_LOG_H

#include "core/error.h"

#define FM_LOG_ERROR 0
#define FM_LOG_WARN 1
#define FM_LOG_INFO 2

void fm_srv_log(int level, const char *fmt, ...) FM_PRINTF(2, 3);

#endif /* FREEMAPI_SERVER_CORE_LOG_H */
