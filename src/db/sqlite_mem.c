/*
 * db/sqlite_mem.c - SQLite's memory through freemapi's allocator, so leak
 * checks and out-of-memory sweeps see it (counted apart as
 * live_sqlite_blocks), and SQLite's previous allocator given back when
 * libfreemapi is unloaded.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>

#include "core/alloc.h"
#include "db/db_internal.h"
#include "freemapi_alloc.h"

static void *sqlite_mem_malloc(int n)
{
    return fm_sqlite_malloc((size_t)n);
}

static void sqlite_mem_free(void *p)
{
    fm_sqlite_free(p);
}

static void *sqlite_mem_realloc(void *p, int n)
{
    return fm_sqlite_realloc(p, (size_t)n);
}

static int sqlite_mem_size(void *p)
{
    return (int)fm_alloc_size(p);
}

static int sqlite_mem_roundup(int n)
{
    return (n + 7) & ~7;
}

static int sqlite_mem_init(void *unused)
{
    return SQLITE_OK;
}

static void sqlite_mem_shutdown(void *unused)
{
}

static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;
static bool sqlite_accounted;
static sqlite3_mem_methods sqlite_previous; /* SQLite's allocator before ours */
static uint64_t sqlite_started_blocks;      /* SQLite's own blocks once initialized */

static uint64_t sqlite_live_blocks(void)
{
    fmapi_alloc_stats st;
    fmapi_alloc_get_stats(&st);
    return st.live_sqlite_blocks;
}

static void sqlite_configure(void)
{
    static const sqlite3_mem_methods methods = {
        sqlite_mem_malloc,  sqlite_mem_free, sqlite_mem_realloc,  sqlite_mem_size,
        sqlite_mem_roundup, sqlite_mem_init, sqlite_mem_shutdown, NULL,
    };
    sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_previous);
    /* Fails with SQLITE_MISUSE when the host program initialized SQLite
     * first; SQLite then keeps its own allocator, which still works. */
    sqlite_accounted = sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) == SQLITE_OK;
    /* Memory statistics would take a global mutex on every allocation. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_initialize();
    sqlite_started_blocks = sqlite_live_blocks();
}

/*
 * SQLite is process-wide: a host program that links it too shares the
 * allocator installed above. When this library is unloaded (dlclose), that
 * allocator's code goes with it, and the host's next SQLite call would jump
 * into unmapped memory. So on unload SQLite is shut down and given back the
 * allocator it had before, provided nothing SQLite holds came from ours but
 * its start-up state: no connection is open, freemapi's or the host's (the
 * host's would have allocated through ours, and shutting down under it
 * would be worse than keeping it). At process exit this runs too, harmlessly.
 */
__attribute__((destructor)) static void sqlite_unconfigure(void)
{
    if (!sqlite_accounted || sqlite_live_blocks() > sqlite_started_blocks)
        return;
    if (sqlite3_shutdown() != SQLITE_OK)
        return;
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &sqlite_previous) == SQLITE_OK)
        sqlite_accounted = false;
}

void fm_db_sqlite_setup(void)
{
    pthread_once(&sqlite_once, sqlite_configure);
}

bool fm_db_memory_is_accounted(void)
{
    fm_db_sqlite_setup();
    return sqlite_accounted;
}
