/*
 * server/core/log.c - the daemon's log lines (log.h). One fprintf per line,
 * so lines from worker threads never interleave within a line.
 */
#include "server/core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

void fm_srv_log(int level, const char *fmt, ...)
{
    static const char *const names[] = {"error", "warning", "info"};
    char msg[1024], stamp[32];
    struct timespec ts;
    struct tm tm;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(stderr, "%s.%03ldZ freemapid %s: %s\n", stamp, ts.tv_nsec / 1000000,
            names[level < 0 || level > 2 ? 0 : level], msg);
}
