/*
 * store/db.h - the SQLite layer under a message store.
 *
 * A mailbox is one SQLite file in WAL mode. This layer opens and creates
 * store files, checks and migrates the schema, maps SQLite's result codes to
 * MAPI's (with text), retries busy conflicts with back-off for a bounded,
 * configurable time, and runs short write transactions. It knows nothing of
 * MAPI objects; the other files of store/ build those on top of it.
 *
 * SQLite's own memory goes through freemapi's allocator (configured once per
 * process before SQLite initializes), so leak checks and out-of-memory
 * sweeps cover it too. If the host program initialized SQLite first, SQLite
 * keeps its own allocator; fm_db_memory_is_accounted() tells which.
 */
#ifndef FREEMAPI_STORE_DB_H
#define FREEMAPI_STORE_DB_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include "core/error.h"
#include "mapicode.h"
#include "mapidefs.h"

/* Version of the store schema this build writes; see store/schema.c. */
#define FM_STORE_SCHEMA_VERSION 3
/* PRAGMA application_id of a freemapi store file: "FMAP". */
#define FM_STORE_APPLICATION_ID 0x464D4150

/* Default bound on waiting for another process's write lock. */
#define FM_DB_DEFAULT_BUSY_TIMEOUT_MS 10000

/* Prepared statements kept per connection: compiling SQL costs more than
 * running it for the short statements the store issues. */
#define FM_DB_STMT_CACHE 64

typedef struct fm_db_cached {
    sqlite3_stmt *st;
    bool busy; /* handed out by fm_db_prepare, not yet finished */
} fm_db_cached;

typedef struct fm_db {
    sqlite3 *conn;
    char *path;
    unsigned busy_timeout_ms; /* bound on retrying SQLITE_BUSY */
    unsigned txn_depth;       /* fm_db_begin nesting */
    /* Held (recursively) from fm_db_begin to its commit or rollback: a
     * transaction belongs to the connection, so another thread must wait for
     * it rather than find itself inside it. */
    pthread_mutex_t txn_lock;
    pthread_mutex_t cache_lock;
    fm_db_cached cache[FM_DB_STMT_CACHE];
    unsigned ncache;
    struct fm_db *next_open; /* the registry fm_db_finish looks connections up in */
} fm_db;

/* Open flags. */
#define FM_DB_CREATE 0x1u   /* create the file (and schema) if missing */
/* Open for reading only. A WAL database can be read without write access to
 * the file, but SQLite needs its -shm file: the directory must be writable,
 * or another process must have the store open. */
#define FM_DB_READONLY 0x2u

/*
 * Opens the store file at path. With FM_DB_CREATE a missing file is created
 * with the current schema. Errors: MAPI_E_NOT_FOUND (no file),
 * MAPI_E_NO_ACCESS (permissions, read-only file opened for writing),
 * MAPI_E_CORRUPT_STORE (not SQLite, not a freemapi store, damaged),
 * MAPI_E_VERSION (written by a newer freemapi), MAPI_E_NOT_ENOUGH_DISK,
 * MAPI_E_NOT_ENOUGH_MEMORY. *out is NULL on failure. Close with fm_db_close.
 */
HRESULT fm_db_open(const char *path, unsigned flags, fm_db **out);
void fm_db_close(fm_db *db);

/* Maps an SQLite result code (and the connection's message) to a MAPI code
 * with text "what: <sqlite message>"; returns the MAPI code. */
/* The MAPI code for an SQLite result code (extended codes too) and the
 * system errno behind it: MAPI_E_CORRUPT_STORE for a damaged file,
 * MAPI_E_NOT_ENOUGH_DISK for a full one, MAPI_E_BUSY, ... Every SQLite
 * database of freemapi (stores, site directories, profile stores) maps
 * through here. */
HRESULT fm_db_map_result(int rc, int sys_errno);

HRESULT fm_db_error(fm_db *db, int rc, const char *what);

/*
 * Short write transactions: fm_db_begin takes the write lock at once
 * (BEGIN IMMEDIATE), waiting with back-off up to busy_timeout_ms, then
 * MAPI_E_BUSY. Nested calls in one thread join the outer transaction; other
 * threads using the same connection wait until it ends. fm_db_commit ends it
 * (the outermost commits); fm_db_rollback abandons the outermost. Every
 * fm_db_begin that succeeded must be matched by exactly one fm_db_commit or
 * fm_db_rollback.
 */
HRESULT fm_db_begin(fm_db *db);
HRESULT fm_db_commit(fm_db *db);
void fm_db_rollback(fm_db *db);

/*
 * Prepares sql, or hands out the connection's cached statement for the same
 * text; errors mapped as above. Give every statement back with
 * fm_db_finish (which resets a cached one and finalizes any other).
 */
HRESULT fm_db_prepare(fm_db *db, const char *sql, sqlite3_stmt **out);
void fm_db_finish(sqlite3_stmt *st);

/* Runs one statement that returns no rows. */
HRESULT fm_db_exec(fm_db *db, const char *sql);

/* Runs one statement with one integer parameter ?1 (param), no rows;
 * `what` words the error ("deleting a message"). */
HRESULT fm_db_exec_id(fm_db *db, const char *sql, int64_t param, const char *what);

/* The integer in the first column of the first row of sql (with ?1 bound
 * to *param unless param is NULL); `missing` when there is no row or it is
 * NULL. */
HRESULT fm_db_select_int(fm_db *db, const char *sql, const int64_t *param, int64_t missing,
                         int64_t *out, const char *what);

/* Every first-column integer of sql with ?1 bound to param, as an fm_malloc'd
 * array (*out NULL when *n is 0). */
HRESULT fm_db_select_ids(fm_db *db, const char *sql, int64_t param, int64_t **out, size_t *n,
                         const char *what);

/* Sets the bound on waiting for a busy store (also FREEMAPI_BUSY_TIMEOUT_MS). */
void fm_db_set_busy_timeout(fm_db *db, unsigned ms);

/* A number that changes whenever the database may have changed: a commit
 * by another connection (PRAGMA data_version) or a change made through this
 * one. Tables compare it to know when to rebuild their views. */
HRESULT fm_db_generation(fm_db *db, uint64_t *out);

/* True when SQLite's allocations go through freemapi's allocator. */
bool fm_db_memory_is_accounted(void);

#endif /* FREEMAPI_STORE_DB_H */
