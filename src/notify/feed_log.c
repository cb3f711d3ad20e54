/*
 * notify/feed_log.c - the log table fm_events of a store (see feed.h): its
 * creation, the writer's row and pruning, and the followers' reads through a
 * small pool of read-only connections.
 *
 * Followers read with connections of their own, opened read-only by path,
 * so following a store needs no open store object (a service following
 * 10,000 mailboxes keeps one descriptor per mailbox, not a connection). The
 * pool keeps FEED_POOL connections, least recently used goes; each has a
 * 64 KiB page cache. SQLite must have been configured by the store layer
 * before (feeds are opened by stores, after their own connection).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "notify/feed.h"
#include "notify/feed_log.h"

#define FEED_POOL 8

HRESULT fm_feed_log_create(sqlite3 *conn)
{
    int rc = sqlite3_exec(conn,
                          "CREATE TABLE IF NOT EXISTS fm_events("
                          "seq INTEGER PRIMARY KEY AUTOINCREMENT, batch BLOB NOT NULL)",
                          NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return S_OK;
    return fm_error_set(rc == SQLITE_NOMEM ? MAPI_E_NOT_ENOUGH_MEMORY : MAPI_E_CALL_FAILED,
                        "creating the notification log: %s", sqlite3_errmsg(conn));
}

/* ---- the writer's connection ----------------------------------------------------- */

static HRESULT prepare(const fm_feed_sql *sql, const char *text, sqlite3_stmt **st)
{
    if (sql->prepare != NULL)
        return sql->prepare(sql->ctx, text, st);
    int rc = sqlite3_prepare_v2(sql->conn, text, -1, st, NULL);
    if (rc == SQLITE_OK)
        return S_OK;
    *st = NULL;
    return fm_error_set(rc == SQLITE_NOMEM ? MAPI_E_NOT_ENOUGH_MEMORY : MAPI_E_CALL_FAILED,
                        "preparing a notification log statement: %s",
                        sqlite3_errmsg(sql->conn));
}

static void finish(const fm_feed_sql *sql, sqlite3_stmt *st)
{
    if (sql->finish != NULL)
        sql->finish(sql->ctx, st);
    else
        sqlite3_finalize(st);
}

static HRESULT step_done(const fm_feed_sql *sql, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return S_OK;
    return fm_error_set(rc == SQLITE_NOMEM ? MAPI_E_NOT_ENOUGH_MEMORY
                        : rc == SQLITE_FULL ? MAPI_E_NOT_ENOUGH_DISK
                                            : MAPI_E_CALL_FAILED,
                        "%s: %s", what, sqlite3_errmsg(sql->conn));
}

HRESULT fm_feed_log_append(const fm_feed_sql *sql, const void *batch, size_t n, uint64_t *seq)
{
    sqlite3_stmt *st;
    HRESULT hr = prepare(sql, "INSERT INTO fm_events(batch) VALUES(?1)", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_blob(st, 1, batch, (int)n, SQLITE_STATIC);
    hr = step_done(sql, st, "recording change notifications");
    finish(sql, st);
    if (hr == S_OK)
        *seq = (uint64_t)sqlite3_last_insert_rowid(sql->conn);
    return hr;
}

HRESULT fm_feed_log_prune(const fm_feed_sql *sql, uint64_t upto)
{
    sqlite3_stmt *st;
    HRESULT hr = prepare(sql, "DELETE FROM fm_events WHERE seq <= ?1", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)upto);
    hr = step_done(sql, st, "pruning change notifications");
    finish(sql, st);
    return hr;
}

HRESULT fm_feed_log_reset(const fm_feed_sql *sql)
{
    return fm_feed_log_prune(sql, INT64_MAX);
}

/* ---- the followers' pool -------------------------------------------------------- */

typedef struct pooled {
    char *path; /* NULL: free */
    sqlite3 *db;
    sqlite3_stmt *rows;
    uint64_t used;
} pooled;

static struct {
    pthread_mutex_t lock;
    pooled e[FEED_POOL];
    uint64_t tick;
} pool = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void pooled_close(pooled *p)
{
    sqlite3_finalize(p->rows);
    sqlite3_close_v2(p->db);
    fm_free(p->path);
    memset(p, 0, sizeof *p);
}

static HRESULT read_error(sqlite3 *db, int rc, const char *path)
{
    HRESULT hr = rc == SQLITE_NOMEM   ? MAPI_E_NOT_ENOUGH_MEMORY
                 : rc == SQLITE_BUSY  ? MAPI_E_BUSY
                                      : MAPI_E_CALL_FAILED;
    return fm_error_set(hr, "reading the notification log of %s: %s", path,
                        db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

/* A pooled connection to path (pool lock held). */
static HRESULT pooled_get(const char *path, pooled **out)
{
    pooled *victim = &pool.e[0];
    for (size_t i = 0; i < FEED_POOL; i++) {
        pooled *p = &pool.e[i];
        if (p->path != NULL && strcmp(p->path, path) == 0) {
            p->used = ++pool.tick;
            *out = p;
            return S_OK;
        }
        if (p->path == NULL || (victim->path != NULL && p->used < victim->used))
            victim = p;
    }
    if (victim->path != NULL)
        pooled_close(victim);
    pooled p = { 0 };
    int rc = sqlite3_open_v2(path, &p.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(p.db, "PRAGMA cache_size=-64", NULL, NULL, NULL);
    HRESULT hr = rc == SQLITE_OK ? S_OK : read_error(p.db, rc, path);
    if (hr == S_OK && (p.path = fm_strdup(path)) == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory following %s", path);
    if (hr != S_OK) {
        sqlite3_close_v2(p.db);
        return hr;
    }
    sqlite3_busy_timeout(p.db, 50);
    p.used = ++pool.tick;
    *victim = p;
    *out = victim;
    return S_OK;
}

/* Prepares *st on p once; false when the log does not exist (yet). */
static HRESULT pooled_stmt(pooled *p, const char *path, const char *sql, sqlite3_stmt **st,
                           bool *missing)
{
    *missing = false;
    if (*st != NULL)
        return S_OK;
    int rc = sqlite3_prepare_v3(p->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    if (rc == SQLITE_OK)
        return S_OK;
    *st = NULL;
    if (rc == SQLITE_ERROR) { /* no such table: a store without notifications yet */
        *missing = true;
        return S_OK;
    }
    return read_error(p->db, rc, path);
}

static unsigned busy_timeout_ms(void)
{
    const char *v = getenv("FREEMAPI_BUSY_TIMEOUT_MS");
    long ms = v != NULL && *v ? strtol(v, NULL, 10) : 10000;
    return ms >= 0 && ms <= 3600000 ? (unsigned)ms : 10000;
}

HRESULT fm_feed_log_start(const char *path, uint64_t *seq)
{
    *seq = 0;
    sqlite3 *db = NULL;
    bool writable = true;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN || rc == SQLITE_PERM) {
        sqlite3_close_v2(db);
        writable = false; /* cannot wait out writers: see feed.h */
        rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_busy_timeout(db, (int)busy_timeout_ms());
    /* BEGIN IMMEDIATE waits for any write transaction to end; nothing is
     * written, and the ROLLBACK lets the next writer in. */
    if (rc == SQLITE_OK && writable)
        rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK) {
        rc = sqlite3_prepare_v2(db, "SELECT seq FROM sqlite_sequence WHERE name = 'fm_events'",
                                -1, &st, NULL);
        if (rc == SQLITE_ERROR)
            rc = SQLITE_OK; /* no log yet: the head is 0 */
    }
    if (rc == SQLITE_OK && st != NULL) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *seq = (uint64_t)sqlite3_column_int64(st, 0);
        rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? SQLITE_OK : rc;
    }
    HRESULT hr = rc == SQLITE_OK ? S_OK : read_error(db, rc, path);
    sqlite3_finalize(st);
    if (db != NULL && !sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close_v2(db);
    return hr;
}

HRESULT fm_feed_log_read(const char *path, uint64_t after, fm_feed_row_fn fn, void *ctx,
                         uint64_t *last)
{
    *last = after;
    pthread_mutex_lock(&pool.lock);
    pooled *p;
    bool missing;
    HRESULT hr = pooled_get(path, &p);
    if (hr == S_OK)
        hr = pooled_stmt(p, path,
                         "SELECT seq, batch FROM fm_events WHERE seq > ?1 ORDER BY seq",
                         &p->rows, &missing);
    if (hr == S_OK && !missing) {
        sqlite3_bind_int64(p->rows, 1, (sqlite3_int64)after);
        int rc;
        while ((rc = sqlite3_step(p->rows)) == SQLITE_ROW) {
            uint64_t seq = (uint64_t)sqlite3_column_int64(p->rows, 0);
            const void *b = sqlite3_column_blob(p->rows, 1);
            size_t n = (size_t)sqlite3_column_bytes(p->rows, 1);
            fn(ctx, seq, b, n);
            *last = seq;
        }
        if (rc != SQLITE_DONE)
            hr = read_error(p->db, rc, path);
        sqlite3_reset(p->rows);
    }
    pthread_mutex_unlock(&pool.lock);
    return hr;
}

void fm_feed_log_forget(const char *path)
{
    pthread_mutex_lock(&pool.lock);
    for (size_t i = 0; i < FEED_POOL; i++) {
        if (pool.e[i].path != NULL && (path == NULL || strcmp(pool.e[i].path, path) == 0))
            pooled_close(&pool.e[i]);
    }
    pthread_mutex_unlock(&pool.lock);
}

void fm_feed_log_after_fork(void)
{
    pthread_mutex_init(&pool.lock, NULL);
    memset(pool.e, 0, sizeof pool.e); /* the parent's connections: not ours to use */
}
