/*
 * db/db.h - the SQLite layer under message stores, site directories and
 * profile stores.
 *
 * Every database freemapi keeps is one SQLite file in WAL mode, opened
 * through this layer: it creates files private to their owner (0600),
 * checks and migrates a versioned schema (fm_db_schema: the caller's), maps
 * SQLite's result codes to MAPI's (with text), retries busy conflicts with
 * back-off for a bounded, configurable time, keeps prepared statements per
 * connection, and runs short write transactions. It knows nothing of MAPI
 * objects; store/, site/ and profile/ build those on top of it.
 *
 * SQLite's own memory goes through freemapi's allocator (configured once per
 * process before SQLite initializes, sqlite_mem.c), so leak checks and
 * out-of-memory sweeps cover it too. If the host program initialized SQLite
 * first, SQLite keeps its own allocator; fm_db_memory_is_accounted() tells
 * which.
 *
 * Files: db.c (open, close), db_schema.c (versions), db_error.c (codes),
 * db_busy.c (back-off), db_stmt.c (statements), db_txn.c (transactions),
 * db_generation.c (change counter), sqlite_mem.c (allocator).
 */
#ifndef FREEMAPI_DB_DB_H
#define FREEMAPI_DB_DB_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "mapicode.h"
#include "mapidefs.h"

/* Default bound on waiting for another connection's write lock. */
#define FM_DB_DEFAULT_BUSY_TIMEOUT_MS 10000

/* Prepared statements kept per connection: compiling SQL costs more than
 * running it for the short statements freemapi issues. */
#define FM_DB_STMT_CACHE 64

/*
 * What kind of database a file is: its name in error text, its
 * application_id, the SQL steps that build its schema, and how its errors
 * read. steps[i] brings the schema from version i to i + 1; a new file runs
 * every step from version 0, so the path that upgrades an old file is the
 * one every new file takes. PRAGMA user_version holds the version; PRAGMA
 * application_id marks the file, so another program's SQLite file is
 * refused, never altered.
 */
typedef struct fm_db_schema {
    const char *kind;          /* "message store": the subject of error text */
    int application_id;        /* PRAGMA application_id of the files */
    const char *const *steps;  /* steps[i]: version i -> i + 1 */
    int nsteps;                /* the current version */
    HRESULT corrupt;           /* the code for a damaged or foreign file */
    bool constraint_collision; /* a broken uniqueness rule is MAPI_E_COLLISION */
    /* An existing empty file gets the schema (true), or is refused as not
     * being this kind of database (false). */
    bool init_empty;
    const char *pragmas; /* run on every writable connection, or NULL */
} fm_db_schema;

/* The settings of the small databases beside the stores (site directories,
 * profile stores): their connections stay open in the caches sessions use,
 * and a directory of many thousands of users must not grow them with every
 * user looked up, so each page cache is bounded (256 KiB); their rows
 * reference one another (foreign keys). */
#define FM_DB_SMALL_PRAGMAS "PRAGMA cache_size = -256; PRAGMA foreign_keys = ON"

typedef struct fm_db_cached {
    sqlite3_stmt *st;
    bool busy; /* handed out by fm_db_prepare, not yet finished */
} fm_db_cached;

/* What an upper layer does around the outermost commit of a connection's
 * write transactions (fm_db_set_txn_hook): before runs inside the
 * transaction just before COMMIT (a failure rolls it back and is the
 * commit's result); after runs once the transaction has ended, committed or
 * not, still holding the transaction lock. The store records its change
 * notifications this way (store/store_notify.c). */
typedef struct fm_db_txn_hook {
    HRESULT (*before)(void *ctx);
    void (*after)(void *ctx, bool committed);
    void *ctx;
} fm_db_txn_hook;

typedef struct fm_db {
    sqlite3 *conn;
    char *path;
    const fm_db_schema *schema;
    unsigned busy_timeout_ms; /* bound on retrying SQLITE_BUSY */
    unsigned txn_depth;       /* fm_db_begin nesting */
    unsigned flags;           /* the FM_DB_* flags it was opened with */
    fm_db_txn_hook hook;      /* zero: none */
    bool hook_pending;        /* a transaction the hook has not ended yet */
    /* Held (recursively) from fm_db_begin to its commit or rollback: a
     * transaction belongs to the connection, so another thread must wait for
     * it rather than find itself inside it. */
    pthread_mutex_t txn_lock;
    pthread_mutex_t cache_lock;
    fm_db_cached cache[FM_DB_STMT_CACHE];
    unsigned ncache;
    struct fm_db *next_open; /* the registry fm_db_finish looks connections up in */
} fm_db;

/* ---- opening (db.c) --------------------------------------------------------- */

/* Open flags. */
#define FM_DB_CREATE 0x1u /* create the file (0600) and its schema if missing */
/* Open for reading only. A WAL database can be read without write access to
 * the file, but SQLite needs its -shm file: the directory must be writable,
 * or another process must have the file open. */
#define FM_DB_READONLY 0x2u
/* Close keeping the -wal and -shm files: for files opened and closed at
 * every logon, which would otherwise create them again each time. What the
 * WAL holds is still copied into the file at close (a passive checkpoint,
 * which costs nothing when there is nothing new), so the file alone holds
 * every committed change once its last writer has closed it. */
#define FM_DB_KEEP_WAL 0x4u

/*
 * Opens the database file at path, of the kind schema describes. With
 * FM_DB_CREATE a missing file is created with the current schema; a file
 * left at an older version is moved forward. Errors: MAPI_E_NOT_FOUND (no
 * file), MAPI_E_NO_ACCESS (permissions, read-only file opened for writing),
 * schema->corrupt (not SQLite, not this kind of file, damaged),
 * MAPI_E_VERSION (written by a newer freemapi), MAPI_E_NOT_ENOUGH_DISK,
 * MAPI_E_NOT_ENOUGH_MEMORY, MAPI_E_BUSY. *out is NULL on failure.
 * Creation is atomic: the file appears at path complete (built under a
 * temporary name and linked into place), so concurrent creators all open
 * the one file, and a failure leaves no half-made file (at most the
 * complete file, when only the open after creating failed); an empty file (a crash
 * of an older version while creating) is given its schema by FM_DB_CREATE.
 * A symbolic link to a missing file is MAPI_E_NOT_FOUND and stays as it is.
 * Close with fm_db_close.
 */
HRESULT fm_db_open(const char *path, unsigned flags, const fm_db_schema *schema, fm_db **out);
void fm_db_close(fm_db *db);
/* Copies all the WAL holds into the file and empties the WAL (a TRUNCATE
 * checkpoint); `what` words the error. */
HRESULT fm_db_checkpoint_all(fm_db *db, const char *what);

/* Sets the bound on waiting for a busy database (also FREEMAPI_BUSY_TIMEOUT_MS). */
void fm_db_set_busy_timeout(fm_db *db, unsigned ms);

/* True when SQLite's allocations go through freemapi's allocator. */
bool fm_db_memory_is_accounted(void);

/* ---- errors (db_error.c) ------------------------------------------------------ */

/* The MAPI code for an SQLite result code (extended codes too) and the
 * system errno behind it: MAPI_E_CORRUPT_STORE for a damaged file,
 * MAPI_E_NOT_ENOUGH_DISK for a full one, MAPI_E_BUSY, ... */
HRESULT fm_db_map_result(int rc, int sys_errno);

/* Records rc as a MAPI code (as its kind of database words it: see
 * fm_db_schema) with text "what: <sqlite message> (<kind> <path>)";
 * returns the code. db may be NULL. */
HRESULT fm_db_error(fm_db *db, int rc, const char *what);

/* ---- statements (db_stmt.c) ---------------------------------------------------- */

/*
 * Prepares sql, or hands out the connection's cached statement for the same
 * text; errors mapped as above. Give every statement back with
 * fm_db_finish (which resets a cached one and finalizes any other), never
 * with sqlite3_finalize.
 */
HRESULT fm_db_prepare(fm_db *db, const char *sql, sqlite3_stmt **out);
void fm_db_finish(sqlite3_stmt *st);

/* Steps st once (a row or the end are both fine) and finishes it; errors
 * worded with what. */
HRESULT fm_db_run(fm_db *db, sqlite3_stmt *st, const char *what);

/* Runs sql (one or more statements returning no rows). */
HRESULT fm_db_exec(fm_db *db, const char *sql);

/*
 * Small integer statements, the commonest kind: sql with n integer
 * parameters ?1..?n taken from args. FM_DB_INTS(a, b) stands for the two
 * arguments args and n (?1 = a, ?2 = b); FM_DB_NO_INTS for none.
 */
#define FM_DB_INTS(...)                                                                            \
    (const int64_t[]){ __VA_ARGS__ },                                                              \
        (int)(sizeof((const int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t))
#define FM_DB_NO_INTS NULL, 0

/* Runs the statement, which returns no rows; `what` words the error
 * ("deleting a message"). */
HRESULT fm_db_exec_ints(fm_db *db, const char *sql, const int64_t *args, int n, const char *what);

/* The integer in the first column of the statement's first row; `missing`
 * when there is no row or it is NULL. */
HRESULT fm_db_select_int(fm_db *db, const char *sql, const int64_t *args, int n, int64_t missing,
                         int64_t *out, const char *what);

/* Every first-column integer of the statement, as an fm_malloc'd array
 * (*out NULL when *count is 0). */
HRESULT fm_db_select_ids(fm_db *db, const char *sql, const int64_t *args, int n, int64_t **out,
                         size_t *count, const char *what);

/* Binds a UTF-8 string (NULL binds NULL) / a blob, not copied: the value
 * must stay alive until the statement is finished. */
int fm_db_bind_text(sqlite3_stmt *st, int i, const char *s);
int fm_db_bind_blob(sqlite3_stmt *st, int i, const void *p, size_t n);

/* A copy (fm_strdup) of text column i; "" for NULL. NULL when out of memory. */
char *fm_db_column_dup(sqlite3_stmt *st, int i);

/* ---- transactions (db_txn.c) ------------------------------------------------------ */

/*
 * Short write transactions: fm_db_begin takes the write lock at once
 * (BEGIN IMMEDIATE), waiting with back-off up to busy_timeout_ms, then
 * MAPI_E_BUSY. Nested calls in one thread join the outer transaction; other
 * threads using the same connection wait until it ends. fm_db_commit ends it
 * (the outermost commits); fm_db_rollback abandons the outermost. Every
 * fm_db_begin that succeeded must be matched by exactly one fm_db_commit,
 * fm_db_rollback or fm_db_end.
 */
HRESULT fm_db_begin(fm_db *db);
HRESULT fm_db_commit(fm_db *db);
void fm_db_rollback(fm_db *db);
/* Commits when hr is S_OK, else rolls back; returns hr or the commit error. */
HRESULT fm_db_end(fm_db *db, HRESULT hr);
/* Sets the connection's transaction hook (before any transaction runs). */
void fm_db_set_txn_hook(fm_db *db, const fm_db_txn_hook *hook);

/* ---- change counter (db_generation.c) ------------------------------------------------ */

/* A number that changes whenever the database may have changed: a commit
 * by another connection (PRAGMA data_version) or a change made through this
 * one. Tables compare it to know when to rebuild their views. */
HRESULT fm_db_generation(fm_db *db, uint64_t *out);

#endif /* FREEMAPI_DB_DB_H */
