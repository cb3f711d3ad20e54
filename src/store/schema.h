/*
 * store/schema.h - creating and migrating the tables of a store file.
 */
#ifndef FREEMAPI_STORE_SCHEMA_H
#define FREEMAPI_STORE_SCHEMA_H

#include "store/db.h"

/*
 * The mid of a new message, as an SQL expression for INSERT statements:
 * above every live mid and every deleted one (see schema.c). Both lookups
 * are a descent of one b-tree, and nothing is written.
 */
#define FM_SCHEMA_NEXT_MID                                                                   \
    "(SELECT max(ifnull((SELECT max(mid) FROM messages), 0),"                              \
    " ifnull((SELECT value FROM store_meta WHERE key = 'mid_floor'), 0)) + 1)"

/* The SQL that moves a file from to_version - 1 to to_version, or NULL:
 * tests build files of old versions with it. */
const char *fm_schema_migration_sql(int to_version);

/* Creates the current schema in an empty database (inside a transaction). */
HRESULT fm_schema_create(fm_db *db);

/*
 * Checks the file's application_id and user_version: MAPI_E_CORRUPT_STORE
 * when it is not a freemapi store, MAPI_E_VERSION when it is newer than
 * FM_STORE_SCHEMA_VERSION; older versions are migrated forward in one
 * transaction (a failure leaves the file at its old version).
 */
HRESULT fm_schema_check_and_migrate(fm_db *db);

#endif /* FREEMAPI_STORE_SCHEMA_H */
