/*
 * db/db_busy.c - waiting for another connection's lock, with back-off and
 * a bound.
 *
 * Why a custom busy handler: SQLite's built-in busy timeout sleeps in fixed
 * steps. Several processes working on one mailbox ("never hang") want quick
 * retries first and longer sleeps later, and a hard bound after which the
 * caller gets MAPI_E_BUSY instead of waiting forever.
 */
#include <stdlib.h>
#include <time.h>

#include "db/db_internal.h"

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Called by SQLite while another connection holds a lock: sleeps 1, 2, 4 ...
 * up to 32 ms between tries, and gives up once busy_timeout_ms has passed
 * since the first try of this wait. */
int fm_db_busy_handler(void *arg, int count)
{
    static _Thread_local uint64_t started;
    fm_db *db = arg;
    if (count == 0)
        started = now_ms();
    if (now_ms() - started >= db->busy_timeout_ms)
        return 0;
    unsigned step = count < 5 ? (1u << count) : 32u;
    struct timespec ts = { 0, (long)step * 1000000L };
    nanosleep(&ts, NULL);
    return 1;
}

void fm_db_set_busy_timeout(fm_db *db, unsigned ms)
{
    db->busy_timeout_ms = ms;
}

unsigned fm_db_busy_timeout_from_env(void)
{
    const char *v = getenv("FREEMAPI_BUSY_TIMEOUT_MS");
    if (v == NULL || *v == '\0')
        return FM_DB_DEFAULT_BUSY_TIMEOUT_MS;
    char *end;
    unsigned long ms = strtoul(v, &end, 10);
    return (*end == '\0' && ms <= 3600000ul) ? (unsigned)ms : FM_DB_DEFAULT_BUSY_TIMEOUT_MS;
}
