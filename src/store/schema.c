/*
 * store/schema.c - the tables of a store file, and moving old files forward.
 *
 * A new file is made by running every migration from version 0, so the path
 * that upgrades an old file is the same one every new file takes: there is
 * no second, untested way to reach the current schema. PRAGMA user_version
 * holds the version; PRAGMA application_id marks the file as a freemapi
 * store, so another program's SQLite file is refused, not altered.
 *
 * Identifiers (fid, mid, aid, sid) are never reused, so an entry ID of a
 * deleted object can never open a different one later. fid, aid and sid are
 * AUTOINCREMENT. mid is not (version 3): AUTOINCREMENT rewrites its counter
 * page on every commit, one page in four of a message save. A new mid is
 * max(mid) + 1, and a trigger keeps store_meta's mid_floor at the highest
 * mid ever deleted, so the rows at the top can go without their numbers
 * coming back (FM_SCHEMA_NEXT_MID).
 *
 * Layout (version 1; versions 2 and 3 change indexes and mid, see MIGRATIONS):
 *   store_meta       key/value: the store's MAPIUID, creation time, counters
 *   folders          the folder tree; small properties in a serialized blob
 *   messages         one row per message (and per embedded message, whose
 *                    parent_attach is set and fid NULL); the columns tables
 *                    sort and filter on most are kept beside the blob
 *   recipients       rows of a message's recipient table, keyed by PR_ROWID
 *   attachments      a message's attachments, keyed by PR_ATTACH_NUM
 *   streams          large property values (attachment data, long bodies),
 *   stream_chunks    stored in chunks so they move with constant memory
 *   named_props      the store's named-property map (IDs 0x8000..0xFFFE)
 *   receive_folders  message-class prefix -> folder
 */
#include "core/error.h"
#include "mapicode.h"
#include "store/schema.h"

#define FM_STR2(x) #x
#define FM_STR(x) FM_STR2(x)

typedef struct migration {
    int to_version;
    const char *sql;
} migration;

static const migration MIGRATIONS[] = {
    { 1,
      "CREATE TABLE store_meta ("
      "  key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;"
      "CREATE TABLE folders ("
      "  fid INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  parent_fid INTEGER,"
      "  display_name TEXT NOT NULL,"
      "  folder_type INTEGER NOT NULL,"
      "  created INTEGER NOT NULL,"
      "  modified INTEGER NOT NULL,"
      "  change_num INTEGER NOT NULL DEFAULT 1,"
      "  deleted_at INTEGER,"
      "  props BLOB NOT NULL DEFAULT x'');"
      "CREATE UNIQUE INDEX folders_by_name ON folders"
      "  (parent_fid, display_name COLLATE NOCASE) WHERE deleted_at IS NULL;"
      "CREATE TABLE messages ("
      "  mid INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  fid INTEGER,"
      "  parent_attach INTEGER,"
      "  assoc INTEGER NOT NULL DEFAULT 0,"
      "  flags INTEGER NOT NULL DEFAULT 0,"
      "  status INTEGER NOT NULL DEFAULT 0,"
      "  size INTEGER NOT NULL DEFAULT 0,"
      "  created INTEGER NOT NULL,"
      "  modified INTEGER NOT NULL,"
      "  change_num INTEGER NOT NULL DEFAULT 1,"
      "  deleted_at INTEGER,"
      "  delivery_time INTEGER,"
      "  subject TEXT,"
      "  sender_name TEXT,"
      "  message_class TEXT,"
      "  props BLOB NOT NULL DEFAULT x'');"
      "CREATE INDEX messages_by_folder ON messages (fid, assoc, deleted_at);"
      "CREATE INDEX messages_by_delivery ON messages (fid, assoc, delivery_time);"
      "CREATE INDEX messages_by_attach ON messages (parent_attach)"
      "  WHERE parent_attach IS NOT NULL;"
      "CREATE TABLE recipients ("
      "  mid INTEGER NOT NULL, row_id INTEGER NOT NULL, props BLOB NOT NULL,"
      "  PRIMARY KEY (mid, row_id)) WITHOUT ROWID;"
      "CREATE TABLE attachments ("
      "  aid INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  mid INTEGER NOT NULL,"
      "  attach_num INTEGER NOT NULL,"
      "  props BLOB NOT NULL DEFAULT x'',"
      "  UNIQUE (mid, attach_num));"
      "CREATE TABLE streams ("
      "  sid INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  owner_kind INTEGER,"
      "  owner_id INTEGER,"
      "  prop_tag INTEGER,"
      "  size INTEGER NOT NULL DEFAULT 0);"
      "CREATE INDEX streams_by_owner ON streams (owner_kind, owner_id, prop_tag);"
      "CREATE TABLE stream_chunks ("
      "  sid INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL,"
      "  PRIMARY KEY (sid, seq)) WITHOUT ROWID;"
      "CREATE TABLE named_props ("
      "  id INTEGER PRIMARY KEY CHECK (id BETWEEN 32768 AND 65534),"
      "  guid BLOB NOT NULL, kind INTEGER NOT NULL, lid INTEGER, name TEXT);"
      "CREATE INDEX named_props_by_name ON named_props (guid, kind, lid, name);"
      /* Unique per kind: NULLs are distinct in SQLite's unique indexes, so
       * one index over both kinds would not stop duplicates. */
      "CREATE UNIQUE INDEX named_props_unique_id ON named_props (guid, lid) WHERE kind = 0;"
      "CREATE UNIQUE INDEX named_props_unique_string ON named_props (guid, name)"
      "  WHERE kind = 1;"
      "CREATE TABLE receive_folders ("
      "  message_class TEXT PRIMARY KEY COLLATE NOCASE, fid INTEGER NOT NULL)"
      "  WITHOUT ROWID;" },
    /* Version 2: contents tables page through a folder by delivery time on
     * an index that holds only live messages, so counting and paging never
     * visit the rows of deleted or embedded ones. */
    { 2,
      "DROP INDEX messages_by_delivery;"
      "CREATE INDEX messages_by_delivery ON messages (fid, assoc, delivery_time)"
      "  WHERE deleted_at IS NULL;" },
    /* Version 3: a message save writes as few pages as it can. mid loses
     * AUTOINCREMENT (see the top of this file), and live messages are found
     * by folder through messages_by_delivery alone: the index of soft-deleted
     * messages holds only those, so saving a live one never touches it. */
    { 3,
      "CREATE TABLE messages_v3 ("
      "  mid INTEGER PRIMARY KEY,"
      "  fid INTEGER,"
      "  parent_attach INTEGER,"
      "  assoc INTEGER NOT NULL DEFAULT 0,"
      "  flags INTEGER NOT NULL DEFAULT 0,"
      "  status INTEGER NOT NULL DEFAULT 0,"
      "  size INTEGER NOT NULL DEFAULT 0,"
      "  created INTEGER NOT NULL,"
      "  modified INTEGER NOT NULL,"
      "  change_num INTEGER NOT NULL DEFAULT 1,"
      "  deleted_at INTEGER,"
      "  delivery_time INTEGER,"
      "  subject TEXT,"
      "  sender_name TEXT,"
      "  message_class TEXT,"
      "  props BLOB NOT NULL DEFAULT x'');"
      "INSERT INTO messages_v3 SELECT * FROM messages;"
      "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('mid_floor',"
      "  ifnull((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0));"
      "DROP TABLE messages;"
      "ALTER TABLE messages_v3 RENAME TO messages;"
      "CREATE INDEX messages_by_delivery ON messages (fid, assoc, delivery_time)"
      "  WHERE deleted_at IS NULL;"
      "CREATE INDEX messages_soft_deleted ON messages (fid, assoc, deleted_at)"
      "  WHERE deleted_at IS NOT NULL;"
      "CREATE INDEX messages_by_attach ON messages (parent_attach)"
      "  WHERE parent_attach IS NOT NULL;"
      "CREATE TRIGGER messages_keep_mid_floor AFTER DELETE ON messages"
      "  WHEN old.mid > (SELECT value FROM store_meta WHERE key = 'mid_floor')"
      "  BEGIN UPDATE store_meta SET value = old.mid WHERE key = 'mid_floor'; END;" },
};
#define MIGRATION_COUNT ((int)(sizeof MIGRATIONS / sizeof MIGRATIONS[0]))

_Static_assert(sizeof MIGRATIONS / sizeof MIGRATIONS[0] == FM_STORE_SCHEMA_VERSION,
               "one migration per schema version");

static HRESULT read_int(fm_db *db, const char *sql, int *out)
{
    int64_t v = 0;
    HRESULT hr = fm_db_select_int(db, sql, NULL, 0, &v, "reading the store's version");
    *out = (int)v;
    return hr;
}

/* Runs the migrations after version `from`, all in one transaction. */
static HRESULT migrate_from(fm_db *db, int from)
{
    HRESULT hr = fm_db_begin(db);
    if (hr != S_OK)
        return hr;
    for (int i = 0; i < MIGRATION_COUNT && hr == S_OK; i++) {
        if (MIGRATIONS[i].to_version > from)
            hr = fm_db_exec(db, MIGRATIONS[i].sql);
    }
    if (hr == S_OK)
        hr = fm_db_exec(db, "PRAGMA user_version = " FM_STR(FM_STORE_SCHEMA_VERSION) ";"
                            "PRAGMA application_id = " FM_STR(FM_STORE_APPLICATION_ID) ";");
    if (hr == S_OK)
        return fm_db_commit(db);
    fm_db_rollback(db);
    return hr;
}

const char *fm_schema_migration_sql(int to_version)
{
    for (int i = 0; i < MIGRATION_COUNT; i++) {
        if (MIGRATIONS[i].to_version == to_version)
            return MIGRATIONS[i].sql;
    }
    return NULL;
}

HRESULT fm_schema_create(fm_db *db)
{
    return migrate_from(db, 0);
}

HRESULT fm_schema_check_and_migrate(fm_db *db)
{
    int app_id = 0, version = 0, tables = 0;
    HRESULT hr = read_int(db, "PRAGMA application_id", &app_id);
    if (hr == S_OK)
        hr = read_int(db, "PRAGMA user_version", &version);
    if (hr == S_OK)
        hr = read_int(db, "SELECT count(*) FROM sqlite_master", &tables);
    if (hr != S_OK)
        return hr;
    if (app_id == 0 && version == 0 && tables == 0)
        return fm_error_set(MAPI_E_CORRUPT_STORE, "%s is empty, not a message store", db->path);
    if (app_id != FM_STORE_APPLICATION_ID)
        return fm_error_set(MAPI_E_CORRUPT_STORE,
                            "%s is an SQLite database but not a freemapi message store",
                            db->path);
    if (version > FM_STORE_SCHEMA_VERSION)
        return fm_error_set(MAPI_E_VERSION,
                            "%s has store schema version %d; this freemapi reads up to %d",
                            db->path, version, FM_STORE_SCHEMA_VERSION);
    if (version < 1)
        return fm_error_set(MAPI_E_CORRUPT_STORE, "%s has an invalid schema version %d",
                            db->path, version);
    if (version == FM_STORE_SCHEMA_VERSION)
        return S_OK;
    return migrate_from(db, version);
}
