/*
 * store/schema.h - the tables of a store file and how old files move forward
 * (the steps db/db_schema.c runs).
 */
#ifndef FREEMAPI_STORE_SCHEMA_H
#define FREEMAPI_STORE_SCHEMA_H

#include "db/db.h"

/* Version of the store schema this build writes. */
#define FM_STORE_SCHEMA_VERSION 6
/* PRAGMA application_id of a freemapi store file: "FMAP". */
#define FM_STORE_APPLICATION_ID 0x464D4150

/* What a message store file is, for fm_db_open: its migrations, one per
 * version; MAPI_E_CORRUPT_STORE for a damaged or foreign file, and an
 * existing empty file is not a store. */
extern const fm_db_schema FM_STORE_SCHEMA;

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

#endif /* FREEMAPI_STORE_SCHEMA_H */
