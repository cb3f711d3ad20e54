/*
 * store/db.c - opening store files, SQLite error mapping, busy back-off and
 * short write transactions (see db.h).
 *
 * Why a custom busy handler: SQLite's built-in busy timeout sleeps in fixed
 * steps. Several processes working on one mailbox (issue 5's "never hang")
 * want quick retries first and longer sleeps later, and a hard bound after
 * which the caller gets MAPI_E_BUSY instead of waiting forever.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "freemapi_alloc.h"
#include "mapicode.h"
#include "store/db.h"
#include "store/schema.h"

/* ---- SQLite's memory through freemapi's allocator ------------------------- */

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
static uint64_t sqlite_started_blocks;     /* SQLite's own blocks once initialized */

static uint64_t sqlite_live_blocks(void)
{
    fmapi_alloc_stats st;
    fmapi_alloc_get_stats(&st);
    return st.live_sqlite_blocks;
}

static void sqlite_configure(void)
{
    static const sqlite3_mem_methods methods = {
        sqlite_mem_malloc, sqlite_mem_free,  sqlite_mem_realloc,  sqlite_mem_size,
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

bool fm_db_memory_is_accounted(void)
{
    pthread_once(&sqlite_once, sqlite_configure);
    return sqlite_accounted;
}

/* ---- errors ----------------------------------------------------------------- */

HRESULT fm_db_map_result(int rc, int sys_errno)
{
    switch (rc & 0xFF) {
    case SQLITE_NOMEM: return MAPI_E_NOT_ENOUGH_MEMORY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT: return MAPI_E_CORRUPT_STORE;
    case SQLITE_FULL: return MAPI_E_NOT_ENOUGH_DISK;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH: return MAPI_E_NO_ACCESS;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return MAPI_E_BUSY;
    case SQLITE_CANTOPEN:
        return sys_errno == ENOENT ? MAPI_E_NOT_FOUND : MAPI_E_NO_ACCESS;
    case SQLITE_IOERR:
        if (rc == SQLITE_IOERR_NOMEM)
            return MAPI_E_NOT_ENOUGH_MEMORY;
        if (sys_errno == ENOSPC || sys_errno == EDQUOT || sys_errno == EFBIG)
            return MAPI_E_NOT_ENOUGH_DISK;
        if (rc == SQLITE_IOERR_SHORT_READ)
            return MAPI_E_CORRUPT_STORE;
        return MAPI_E_DISK_ERROR;
    default: return MAPI_E_CALL_FAILED;
    }
}

HRESULT fm_db_error(fm_db *db, int rc, const char *what)
{
    int sys = db && db->conn ? sqlite3_system_errno(db->conn) : 0;
    HRESULT hr = fm_db_map_result(rc, sys);
    const char *msg = db && db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc);
    if (hr == MAPI_E_NOT_ENOUGH_DISK)
        msg = "the disk is full";
    return fm_error_set(hr, "%s: %s (%s)", what, msg, db && db->path ? db->path : "store");
}

/* ---- busy back-off ------------------------------------------------------------ */

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Called by SQLite while another connection holds a lock: sleeps 1, 2, 4 ...
 * up to 32 ms between tries, and gives up once busy_timeout_ms has passed
 * since the first try of this wait. */
static int busy_handler(void *arg, int count)
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

static unsigned busy_timeout_from_env(void)
{
    const char *v = getenv("FREEMAPI_BUSY_TIMEOUT_MS");
    if (v == NULL || *v == '\0')
        return FM_DB_DEFAULT_BUSY_TIMEOUT_MS;
    char *end;
    unsigned long ms = strtoul(v, &end, 10);
    return (*end == '\0' && ms <= 3600000ul) ? (unsigned)ms : FM_DB_DEFAULT_BUSY_TIMEOUT_MS;
}

/* ---- statements and transactions ----------------------------------------------- */

/* Open connections, so fm_db_finish can find a statement's cache. */
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static fm_db *open_dbs;

static void registry_add(fm_db *db)
{
    pthread_mutex_lock(&open_lock);
    db->next_open = open_dbs;
    open_dbs = db;
    pthread_mutex_unlock(&open_lock);
}

static void registry_remove(fm_db *db)
{
    pthread_mutex_lock(&open_lock);
    for (fm_db **p = &open_dbs; *p != NULL; p = &(*p)->next_open) {
        if (*p == db) {
            *p = db->next_open;
            break;
        }
    }
    pthread_mutex_unlock(&open_lock);
}

static fm_db *registry_find(sqlite3 *conn)
{
    pthread_mutex_lock(&open_lock);
    fm_db *db = open_dbs;
    while (db != NULL && db->conn != conn)
        db = db->next_open;
    pthread_mutex_unlock(&open_lock);
    return db;
}

HRESULT fm_db_prepare(fm_db *db, const char *sql, sqlite3_stmt **out)
{
    pthread_mutex_lock(&db->cache_lock);
    for (unsigned i = 0; i < db->ncache; i++) {
        fm_db_cached *c = &db->cache[i];
        if (!c->busy && strcmp(sqlite3_sql(c->st), sql) == 0) {
            c->busy = true;
            *out = c->st;
            pthread_mutex_unlock(&db->cache_lock);
            return S_OK;
        }
    }
    pthread_mutex_unlock(&db->cache_lock);
    int rc = sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
    if (rc != SQLITE_OK) {
        *out = NULL;
        return fm_db_error(db, rc, "preparing a store query");
    }
    pthread_mutex_lock(&db->cache_lock);
    if (db->ncache < FM_DB_STMT_CACHE)
        db->cache[db->ncache++] = (fm_db_cached){ *out, true };
    pthread_mutex_unlock(&db->cache_lock);
    return S_OK;
}

void fm_db_finish(sqlite3_stmt *st)
{
    if (st == NULL)
        return;
    fm_db *db = registry_find(sqlite3_db_handle(st));
    if (db != NULL) {
        pthread_mutex_lock(&db->cache_lock);
        for (unsigned i = 0; i < db->ncache; i++) {
            if (db->cache[i].st == st) {
                sqlite3_reset(st);
                sqlite3_clear_bindings(st);
                db->cache[i].busy = false;
                pthread_mutex_unlock(&db->cache_lock);
                return;
            }
        }
        pthread_mutex_unlock(&db->cache_lock);
    }
    sqlite3_finalize(st);
}

/* Runs one cached statement with no parameters (BEGIN, COMMIT, ...). */
static int run_cached(fm_db *db, const char *sql)
{
    sqlite3_stmt *st;
    if (fm_db_prepare(db, sql, &st) != S_OK)
        return sqlite3_errcode(db->conn) != SQLITE_OK ? sqlite3_errcode(db->conn) : SQLITE_ERROR;
    int rc = sqlite3_step(st);
    fm_db_finish(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

HRESULT fm_db_exec(fm_db *db, const char *sql)
{
    int rc = sqlite3_exec(db->conn, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? S_OK : fm_db_error(db, rc, "updating the store");
}

HRESULT fm_db_exec_id(fm_db *db, const char *sql, int64_t param, const char *what)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(db, sql, &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, param);
    int rc = sqlite3_step(st);
    fm_db_finish(st);
    return rc == SQLITE_DONE ? S_OK : fm_db_error(db, rc, what);
}

HRESULT fm_db_select_int(fm_db *db, const char *sql, const int64_t *param, int64_t missing,
                         int64_t *out, const char *what)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(db, sql, &st);
    if (hr != S_OK)
        return hr;
    if (param != NULL)
        sqlite3_bind_int64(st, 1, *param);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        *out = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        *out = missing;
    else
        hr = fm_db_error(db, rc, what);
    fm_db_finish(st);
    return hr;
}

HRESULT fm_db_select_ids(fm_db *db, const char *sql, int64_t param, int64_t **out, size_t *n,
                         const char *what)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(db, sql, &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, param);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            int64_t *a = fm_realloc(*out, cap * sizeof *a);
            if (a == NULL) {
                hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory %s", what);
                break;
            }
            *out = a;
        }
        (*out)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    if (hr == S_OK && rc != SQLITE_DONE)
        hr = fm_db_error(db, rc, what);
    fm_db_finish(st);
    if (hr != S_OK) {
        fm_free(*out);
        *out = NULL;
        *n = 0;
    }
    return hr;
}

HRESULT fm_db_begin(fm_db *db)
{
    pthread_mutex_lock(&db->txn_lock);
    if (db->txn_depth > 0 && !sqlite3_get_autocommit(db->conn)) {
        db->txn_depth++;
        return S_OK;
    }
    db->txn_depth = 0; /* an outer transaction SQLite rolled back is gone */
    int rc = run_cached(db, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) {
        HRESULT hr = fm_db_error(db, rc, "starting a store transaction");
        pthread_mutex_unlock(&db->txn_lock);
        return hr;
    }
    db->txn_depth = 1;
    return S_OK;
}

/* Ends one fm_db_begin: the outermost one commits. */
static HRESULT commit_level(fm_db *db)
{
    if (sqlite3_get_autocommit(db->conn)) {
        /* SQLite rolled the transaction back itself (out of memory, I/O
         * error): nothing of it was saved. */
        db->txn_depth = 0;
        return fm_error_set(MAPI_E_CALL_FAILED, "the store transaction was rolled back");
    }
    if (--db->txn_depth > 0)
        return S_OK;
    int rc = run_cached(db, "COMMIT");
    if (rc == SQLITE_OK)
        return S_OK;
    HRESULT hr = fm_db_error(db, rc, "committing to the store");
    if (!sqlite3_get_autocommit(db->conn))
        sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
    return hr;
}

HRESULT fm_db_commit(fm_db *db)
{
    if (db->txn_depth == 0 && sqlite3_get_autocommit(db->conn)) {
        /* Either no fm_db_begin (a caller's bug), or an inner level already
         * abandoned the transaction: in that case this call still ends its
         * own level, and the lock it holds. */
        if (pthread_mutex_unlock(&db->txn_lock) != 0)
            return fm_error_set(MAPI_E_CALL_FAILED, "commit without a transaction");
        return fm_error_set(MAPI_E_CALL_FAILED, "the store transaction was rolled back");
    }
    HRESULT hr = commit_level(db);
    pthread_mutex_unlock(&db->txn_lock);
    return hr;
}

void fm_db_rollback(fm_db *db)
{
    if (db->txn_depth > 0) {
        db->txn_depth = 0;
        if (!sqlite3_get_autocommit(db->conn))
            sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
    }
    pthread_mutex_unlock(&db->txn_lock); /* fails harmlessly without a begin */
}

/* ---- open and close ------------------------------------------------------------- */

static HRESULT check_access(const char *path, unsigned flags, bool *exists)
{
    *exists = access(path, F_OK) == 0;
    if (!*exists) {
        if (flags & FM_DB_CREATE)
            return S_OK;
        return fm_error_set(MAPI_E_NOT_FOUND, "no store file at %s", path);
    }
    if (access(path, R_OK) != 0)
        return fm_error_set(MAPI_E_NO_ACCESS, "store file %s is not readable", path);
    if (!(flags & FM_DB_READONLY) && access(path, W_OK) != 0)
        return fm_error_set(MAPI_E_NO_ACCESS, "store file %s is read-only", path);
    return S_OK;
}

static HRESULT configure_connection(fm_db *db, unsigned flags)
{
    sqlite3_extended_result_codes(db->conn, 1);
    sqlite3_busy_handler(db->conn, busy_handler, db);
    if (flags & FM_DB_READONLY)
        return S_OK;
    /* WAL: readers never block the writer and a killed writer leaves the
     * last committed state. synchronous=NORMAL is durable against process
     * crashes; a power loss may lose the last transactions, never corrupt. */
    HRESULT hr = fm_db_exec(db, "PRAGMA journal_mode=WAL");
    if (hr == S_OK)
        hr = fm_db_exec(db, "PRAGMA synchronous=NORMAL");
    return hr;
}

/* Removes a store file and its WAL companions. */
static void remove_store_files(const char *path)
{
    static const char *const suffixes[] = { "-wal", "-shm", "-journal" };
    char side[4096];
    unlink(path);
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        if (snprintf(side, sizeof side, "%s%s", path, suffixes[i]) < (int)sizeof side)
            unlink(side);
    }
}

HRESULT fm_db_open(const char *path, unsigned flags, fm_db **out)
{
    *out = NULL;
    if (path == NULL || path[0] == '\0')
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "store path is empty");
    if (flags & ~(FM_DB_CREATE | FM_DB_READONLY))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "unknown store open flags 0x%x", flags);
    pthread_once(&sqlite_once, sqlite_configure);

    bool exists;
    HRESULT hr = check_access(path, flags, &exists);
    if (hr != S_OK)
        return hr;
    fm_db *db = fm_calloc(1, sizeof *db);
    if (db == NULL || (db->path = fm_strdup(path)) == NULL) {
        fm_free(db);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening %s", path);
    }
    db->busy_timeout_ms = busy_timeout_from_env();
    pthread_mutex_init(&db->cache_lock, NULL);
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&db->txn_lock, &attr);
    pthread_mutexattr_destroy(&attr);
    int oflags = (flags & FM_DB_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (flags & FM_DB_CREATE)
        oflags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &db->conn, oflags | SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc != SQLITE_OK) {
        hr = fm_db_error(db, rc, "opening the store");
        goto fail;
    }
    registry_add(db);
    hr = configure_connection(db, flags);
    if (hr == S_OK)
        hr = exists ? fm_schema_check_and_migrate(db) : fm_schema_create(db);
    if (hr != S_OK)
        goto fail;
    *out = db;
    return S_OK;
fail:
    fm_db_close(db);
    if (!exists && (flags & FM_DB_CREATE))
        remove_store_files(path); /* never leave a half-created store behind */
    return hr;
}

void fm_db_close(fm_db *db)
{
    if (db == NULL)
        return;
    registry_remove(db);
    for (unsigned i = 0; i < db->ncache; i++)
        sqlite3_finalize(db->cache[i].st);
    db->ncache = 0;
    pthread_mutex_destroy(&db->cache_lock);
    pthread_mutex_destroy(&db->txn_lock);
    if (db->conn != NULL)
        sqlite3_close_v2(db->conn);
    fm_free(db->path);
    fm_free(db);
}
