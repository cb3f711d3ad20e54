/*
 * store/schema.h - creating and migrating the tables of a store file.
 */
#ifndef FREEMAPI_STORE_SCHEMA_H
#define FREEMAPI_STORE_SCHEMA_H

#include "store/db.h"

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
