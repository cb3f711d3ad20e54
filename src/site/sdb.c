/*
 * site/sdb.c - the small SQLite databases of sites and profile stores (see
 * sdb.h): opening, schema steps, errors and transactions.
 */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "site/sdb.h"
#include "store/db.h"

#define SDB_BUSY_TIMEOUT_MS 10000

/* As a store's errors (fm_db_map_result), but a damaged directory is
 * MAPI_E_CORRUPT_DATA (it is not a message store) and a broken uniqueness
 * rule is a name collision. */
static HRESULT map_result(int rc, int sys_errno)
{
    if ((rc & 0xFF) == SQLITE_CONSTRAINT)
        return MAPI_E_COLLISION;
    HRESULT hr = fm_db_map_result(rc, sys_errno);
    return hr == MAPI_E_CORRUPT_STORE ? MAPI_E_CORRUPT_DATA : hr;
}

HRESULT fm_sdb_error(fm_sdb *db, int rc, const char *what)
{
    int sys = db && db->conn ? sqlite3_system_errno(db->conn) : 0;
    HRESULT hr = map_result(rc, sys);
    const char *msg = db && db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc);
    const char *kind = db && db->schema ? db->schema->kind : "database";
    return fm_error_set(hr, "%s: %s (%s %s)", what, msg, kind, db && db->path ? db->path : "");
}

HRESULT fm_sdb_prepare(fm_sdb *db, const char *sql, sqlite3_stmt **out)
{
    int rc = sqlite3_prepare_v2(db->conn, sql, -1, out, NULL);
    if (rc != SQLITE_OK) {
        *out = NULL;
        return fm_sdb_error(db, rc, "preparing a query");
    }
    return S_OK;
}

HRESULT fm_sdb_run(fm_sdb *db, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    HRESULT hr = (rc == SQLITE_DONE || rc == SQLITE_ROW) ? S_OK : fm_sdb_error(db, rc, what);
    sqlite3_finalize(st);
    return hr;
}

HRESULT fm_sdb_exec(fm_sdb *db, const char *sql, const char *what)
{
    int rc = sqlite3_exec(db->conn, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? S_OK : fm_sdb_error(db, rc, what);
}

HRESULT fm_sdb_begin(fm_sdb *db)
{
    if (db->txn_depth > 0) {
        db->txn_depth++;
        return S_OK;
    }
    HRESULT hr = fm_sdb_exec(db, "BEGIN IMMEDIATE", "starting a transaction");
    if (hr == S_OK)
        db->txn_depth = 1;
    return hr;
}

HRESULT fm_sdb_commit(fm_sdb *db)
{
    if (db->txn_depth > 1) {
        db->txn_depth--;
        return S_OK;
    }
    HRESULT hr = fm_sdb_exec(db, "COMMIT", "committing");
    if (hr != S_OK) {
        fm_sdb_rollback(db);
        return hr;
    }
    db->txn_depth = 0;
    return S_OK;
}

void fm_sdb_rollback(fm_sdb *db)
{
    if (db->txn_depth == 0)
        return;
    db->txn_depth = 0;
    if (!sqlite3_get_autocommit(db->conn))
        sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

HRESULT fm_sdb_end(fm_sdb *db, HRESULT hr)
{
    if (hr == S_OK)
        return fm_sdb_commit(db);
    fm_sdb_rollback(db);
    return hr;
}

/* SQLITE_STATIC: a copy could fail for memory, and the failed bind would
 * leave NULL in the column (a constraint error, not an out-of-memory one).
 * Every caller steps the statement while the value is alive. */
int fm_sdb_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

int fm_sdb_bind_blob(sqlite3_stmt *st, int i, const void *p, size_t n)
{
    return sqlite3_bind_blob(st, i, n ? p : "", (int)n, SQLITE_STATIC);
}

char *fm_sdb_column_dup(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return fm_strdup(s ? s : "");
}

/* ---- schema ------------------------------------------------------------------ */

static HRESULT pragma_int(fm_sdb *db, const char *sql, int *out)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_sdb_prepare(db, sql, &st);
    if (hr != S_OK)
        return hr;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    else
        hr = fm_sdb_error(db, rc, "reading the schema version");
    sqlite3_finalize(st);
    return hr;
}

static HRESULT set_version(fm_sdb *db, const char *name, int value)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA %s = %d", name, value);
    return fm_sdb_exec(db, sql, "writing the schema version");
}

/* Brings the schema to the current version inside one write transaction,
 * so two processes creating the same file at once cannot both do it. */
static HRESULT migrate(fm_sdb *db)
{
    const fm_sdb_schema *s = db->schema;
    int app0 = 0, version0 = 0;
    /* The common case, a current file, needs no write lock. */
    if (pragma_int(db, "PRAGMA application_id", &app0) == S_OK &&
        pragma_int(db, "PRAGMA user_version", &version0) == S_OK &&
        app0 == s->application_id && version0 == s->nsteps)
        return S_OK;
    HRESULT hr = fm_sdb_begin(db);
    if (hr != S_OK)
        return hr;
    int app = 0, version = 0;
    hr = pragma_int(db, "PRAGMA application_id", &app);
    if (hr == S_OK)
        hr = pragma_int(db, "PRAGMA user_version", &version);
    if (hr == S_OK && version == 0 && app == 0) {
        int tables = 0;
        hr = pragma_int(db, "SELECT count(*) FROM sqlite_schema", &tables);
        if (hr == S_OK && tables > 0)
            hr = fm_error_set(MAPI_E_CORRUPT_DATA, "%s is not a freemapi %s", db->path, s->kind);
    } else if (hr == S_OK && app != s->application_id) {
        hr = fm_error_set(MAPI_E_CORRUPT_DATA, "%s is not a freemapi %s", db->path, s->kind);
    } else if (hr == S_OK && version > s->nsteps) {
        hr = fm_error_set(MAPI_E_VERSION, "%s was written by a newer freemapi (%s version %d)",
                          db->path, s->kind, version);
    }
    for (int v = version; hr == S_OK && v < s->nsteps; v++)
        hr = fm_sdb_exec(db, s->steps[v], "creating the schema");
    if (hr == S_OK && version < s->nsteps) {
        hr = set_version(db, "application_id", s->application_id);
        if (hr == S_OK)
            hr = set_version(db, "user_version", s->nsteps);
    }
    return fm_sdb_end(db, hr);
}

/* Creates the file with mode 0600 before SQLite opens it: the directory
 * and profile databases hold password hashes and remembered passwords. */
static HRESULT make_private_file(const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return fm_error_set(errno == ENOENT ? MAPI_E_NOT_FOUND : MAPI_E_NO_ACCESS,
                            "cannot create %s: %s", path, strerror(errno));
    close(fd);
    return S_OK;
}

HRESULT fm_sdb_open(const char *path, bool create, const fm_sdb_schema *schema, fm_sdb **out)
{
    *out = NULL;
    (void)fm_db_memory_is_accounted(); /* SQLite allocates through freemapi */
    if (access(path, F_OK) != 0) {
        if (!create)
            return fm_error_set(MAPI_E_NOT_FOUND, "no %s at %s", schema->kind, path);
        HRESULT hr = make_private_file(path);
        if (hr != S_OK)
            return hr;
    }
    fm_sdb *db = fm_calloc(1, sizeof *db);
    if (db == NULL || (db->path = fm_strdup(path)) == NULL) {
        fm_free(db);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening %s", path);
    }
    db->schema = schema;
    int rc = sqlite3_open_v2(path, &db->conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX,
                             NULL);
    HRESULT hr = S_OK;
    if (rc != SQLITE_OK)
        hr = fm_sdb_error(db, rc, "opening");
    if (hr == S_OK) {
        sqlite3_extended_result_codes(db->conn, 1);
        sqlite3_busy_timeout(db->conn, SDB_BUSY_TIMEOUT_MS);
        /* Sessions open and close these files at every logon: closing
         * without a checkpoint keeps the -wal and -shm files, which the
         * next open would otherwise create again (file creation dominated
         * a logon cycle). SQLite still checkpoints as the WAL grows. */
        sqlite3_db_config(db->conn, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
        /* A bound on each connection's page cache: connections stay open
         * in the session caches, and a directory of many thousands of
         * users must not grow them with every user looked up. */
        (void)sqlite3_exec(db->conn, "PRAGMA cache_size = -256", NULL, NULL, NULL);
        hr = fm_sdb_exec(db, "PRAGMA journal_mode=WAL", "opening");
    }
    if (hr == S_OK)
        hr = fm_sdb_exec(db, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON", "opening");
    if (hr == S_OK)
        hr = migrate(db);
    if (hr != S_OK) {
        fm_sdb_close(db);
        return hr;
    }
    *out = db;
    return S_OK;
}

void fm_sdb_close(fm_sdb *db)
{
    if (db == NULL)
        return;
    if (db->conn != NULL)
        sqlite3_close_v2(db->conn);
    fm_free(db->path);
    fm_free(db);
}
