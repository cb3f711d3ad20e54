/*
 * site/sdb.h - the small SQLite databases beside the stores: a site's
 * directory and a user's profile store.
 *
 * Unlike a store (store/db.h) these hold little and are read at logon, so
 * this layer is plain: one connection, statements prepared when needed,
 * short immediate write transactions with SQLite's own busy timeout, and a
 * schema versioned like the store's (PRAGMA user_version, migrations run in
 * order from 0 so new and upgraded files take the same path, PRAGMA
 * application_id so another program's file is refused, never altered).
 * SQLite's memory goes through freemapi's allocator as for stores.
 */
#ifndef FREEMAPI_SITE_SDB_H
#define FREEMAPI_SITE_SDB_H

#include <sqlite3.h>
#include <stdbool.h>

#include "core/error.h"
#include "mapicode.h"

typedef struct fm_sdb_schema {
    const char *kind;         /* "site directory": the subject of error text */
    int application_id;       /* PRAGMA application_id of the files */
    const char *const *steps; /* steps[i] brings the schema from version i to i+1 */
    int nsteps;               /* the current version */
} fm_sdb_schema;

typedef struct fm_sdb {
    sqlite3 *conn;
    char *path;
    const fm_sdb_schema *schema;
    unsigned txn_depth;
} fm_sdb;

/*
 * Opens the database file at path; with create, a missing file is made
 * (mode 0600) with the current schema. Errors: MAPI_E_NOT_FOUND,
 * MAPI_E_NO_ACCESS, MAPI_E_CORRUPT_DATA (not this kind of file, damaged),
 * MAPI_E_VERSION (newer schema), MAPI_E_NOT_ENOUGH_MEMORY, MAPI_E_BUSY.
 */
HRESULT fm_sdb_open(const char *path, bool create, const fm_sdb_schema *schema, fm_sdb **out);
void fm_sdb_close(fm_sdb *db);

/* Maps an SQLite result code to a MAPI code with text "what: message". */
HRESULT fm_sdb_error(fm_sdb *db, int rc, const char *what);

HRESULT fm_sdb_prepare(fm_sdb *db, const char *sql, sqlite3_stmt **out);
/* Steps st (expecting no rows), finalizes it; errors worded with what. */
HRESULT fm_sdb_run(fm_sdb *db, sqlite3_stmt *st, const char *what);
HRESULT fm_sdb_exec(fm_sdb *db, const char *sql, const char *what);

/* Nested short write transactions (BEGIN IMMEDIATE at the outermost). */
HRESULT fm_sdb_begin(fm_sdb *db);
HRESULT fm_sdb_commit(fm_sdb *db);
void fm_sdb_rollback(fm_sdb *db);
/* Commits when hr is S_OK, else rolls back; returns hr or the commit error. */
HRESULT fm_sdb_end(fm_sdb *db, HRESULT hr);

/* Binds a UTF-8 string (NULL binds NULL) / a blob, not copied: the value
 * must stay alive until the statement is finalized. */
int fm_sdb_bind_text(sqlite3_stmt *st, int i, const char *s);
int fm_sdb_bind_blob(sqlite3_stmt *st, int i, const void *p, size_t n);

/* A copy (fm_strdup) of text column i; "" for NULL. NULL when out of memory. */
char *fm_sdb_column_dup(sqlite3_stmt *st, int i);

#endif /* FREEMAPI_SITE_SDB_H */
