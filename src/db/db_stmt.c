/*
 * db/db_stmt.c - statements: the per-connection cache of prepared
 * statements, running them, and the small integer statements most callers
 * issue (db.h).
 */
#include <string.h>

#include "core/alloc.h"
#include "db/db_internal.h"

/* ---- open connections, so fm_db_finish can find a statement's cache ------------ */

static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static fm_db *open_dbs;

void fm_db_registry_add(fm_db *db)
{
    pthread_mutex_lock(&open_lock);
    db->next_open = open_dbs;
    open_dbs = db;
    pthread_mutex_unlock(&open_lock);
}

void fm_db_registry_remove(fm_db *db)
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

/* ---- the statement cache ------------------------------------------------------------ */

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
        return fm_db_error(db, rc, "preparing a query");
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

void fm_db_cache_clear(fm_db *db)
{
    for (unsigned i = 0; i < db->ncache; i++)
        sqlite3_finalize(db->cache[i].st);
    db->ncache = 0;
}

/* ---- running statements --------------------------------------------------------------- */

HRESULT fm_db_run(fm_db *db, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    HRESULT hr = (rc == SQLITE_DONE || rc == SQLITE_ROW) ? S_OK : fm_db_error(db, rc, what);
    fm_db_finish(st);
    return hr;
}

HRESULT fm_db_exec(fm_db *db, const char *sql)
{
    int rc = sqlite3_exec(db->conn, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? S_OK : fm_db_error(db, rc, "updating the database");
}

/* Prepares sql with ?1..?n bound to args. */
static HRESULT prepare_ints(fm_db *db, const char *sql, const int64_t *args, int n,
                            sqlite3_stmt **st)
{
    HRESULT hr = fm_db_prepare(db, sql, st);
    for (int i = 0; hr == S_OK && i < n; i++)
        sqlite3_bind_int64(*st, i + 1, args[i]);
    return hr;
}

HRESULT fm_db_exec_ints(fm_db *db, const char *sql, const int64_t *args, int n, const char *what)
{
    sqlite3_stmt *st;
    HRESULT hr = prepare_ints(db, sql, args, n, &st);
    if (hr != S_OK)
        return hr;
    int rc = sqlite3_step(st);
    fm_db_finish(st);
    return rc == SQLITE_DONE ? S_OK : fm_db_error(db, rc, what);
}

HRESULT fm_db_select_int(fm_db *db, const char *sql, const int64_t *args, int n, int64_t missing,
                         int64_t *out, const char *what)
{
    sqlite3_stmt *st;
    HRESULT hr = prepare_ints(db, sql, args, n, &st);
    if (hr != S_OK)
        return hr;
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

HRESULT fm_db_select_ids(fm_db *db, const char *sql, const int64_t *args, int n, int64_t **out,
                         size_t *count, const char *what)
{
    *out = NULL;
    *count = 0;
    size_t cap = 0;
    sqlite3_stmt *st;
    HRESULT hr = prepare_ints(db, sql, args, n, &st);
    if (hr != S_OK)
        return hr;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 8;
            int64_t *a = fm_realloc(*out, cap * sizeof *a);
            if (a == NULL) {
                hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory %s", what);
                break;
            }
            *out = a;
        }
        (*out)[(*count)++] = sqlite3_column_int64(st, 0);
    }
    if (hr == S_OK && rc != SQLITE_DONE)
        hr = fm_db_error(db, rc, what);
    fm_db_finish(st);
    if (hr != S_OK) {
        fm_free(*out);
        *out = NULL;
        *count = 0;
    }
    return hr;
}

/* ---- values ---------------------------------------------------------------------------- */

/* SQLITE_STATIC: a copy could fail for memory, and the failed bind would
 * leave NULL in the column (a constraint error, not an out-of-memory one).
 * Every caller steps the statement while the value is alive. */
int fm_db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

int fm_db_bind_blob(sqlite3_stmt *st, int i, const void *p, size_t n)
{
    return sqlite3_bind_blob(st, i, n ? p : "", (int)n, SQLITE_STATIC);
}

char *fm_db_column_dup(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return fm_strdup(s ? s : "");
}
