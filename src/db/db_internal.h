/*
 * db/db_internal.h - what the files of db/ share among themselves and
 * nobody else calls.
 */
#ifndef FREEMAPI_DB_DB_INTERNAL_H
#define FREEMAPI_DB_DB_INTERNAL_H

#include "db/db.h"

/* sqlite_mem.c: installs freemapi's allocator in SQLite and initializes
 * SQLite, once per process (every open calls it). */
void fm_db_sqlite_setup(void);

/* db_busy.c: SQLite's busy handler for db (bounded back-off), and the
 * bound FREEMAPI_BUSY_TIMEOUT_MS asks for. */
int fm_db_busy_handler(void *db, int count);
unsigned fm_db_busy_timeout_from_env(void);

/* db_stmt.c: the open connections, where fm_db_finish finds a statement's
 * cache; and emptying a connection's cache before it closes. */
void fm_db_registry_add(fm_db *db);
void fm_db_registry_remove(fm_db *db);
void fm_db_cache_clear(fm_db *db);

/* db_schema.c: brings the file to the schema's current version (created:
 * this open made the file). */
HRESULT fm_db_schema_migrate(fm_db *db, bool created);

#endif /* FREEMAPI_DB_DB_INTERNAL_H */
