/*
 * store/schema.c - the tables of a store file, and moving old files forward.
 *
 * A new file is made by running every migration from version 0, so the path
 * that upgrades an old file is the same one every new file takes: there is
 * no second, untested way to reach the current schema (db/db_schema.c runs
 * them, as for every database of freemapi). PRAGMA user_version holds the
 * version; PRAGMA application_id marks the file as a freemapi store, so
 * another program's SQLite file is refused, not altered.
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
 *   submit_queue     submitted messages not yet delivered (version 4)
 *   delivered        copies received from submissions, one per origin (version 4)
 *   search_criteria, search_scope, search_results   search folders (version 6)
 */
#include "core/error.h"
#include "mapicode.h"
#include "store/schema.h"

/* MIGRATIONS[i] moves a file from version i to i + 1. */
static const char *const MIGRATIONS[] = {
    /* Version 1: the layout above. */
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
    "  WITHOUT ROWID;",
    /* Version 2: contents tables page through a folder by delivery time on
     * an index that holds only live messages, so counting and paging never
     * visit the rows of deleted or embedded ones. */
    "DROP INDEX messages_by_delivery;"
    "CREATE INDEX messages_by_delivery ON messages (fid, assoc, delivery_time)"
    "  WHERE deleted_at IS NULL;",
    /* Version 3: a message save writes as few pages as it can. mid loses
     * AUTOINCREMENT (see the top of this file), and live messages are found
     * by folder through messages_by_delivery alone: the index of soft-deleted
     * messages holds only those, so saving a live one never touches it. */
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
    "  BEGIN UPDATE store_meta SET value = old.mid WHERE key = 'mid_floor'; END;",
    /* Version 4: the change log other processes follow for notifications
     * (notify/feed.h): one row per write transaction while anyone listens,
     * pruned once every follower has read it. */
    "CREATE TABLE IF NOT EXISTS fm_events ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT, batch BLOB NOT NULL);",
    /* Version 5: mail flow (store/submit_queue.c). submit_queue holds the
     * messages SubmitMessage acknowledged, until the spooler has delivered
     * them (state 1: the spooler has locked it, AbortSubmit is too late);
     * qid numbers each submission, so a message sent again is a new one.
     * delivered holds one row per copy this store received from a
     * submission (origin store UID, qid, target mailbox), written in the
     * transaction that saved the copy: a spooler retrying after a crash
     * finds it and does not deliver twice. */
    "CREATE TABLE submit_queue ("
    "  qid INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  mid INTEGER NOT NULL UNIQUE,"
    "  submitted INTEGER NOT NULL,"
    "  state INTEGER NOT NULL DEFAULT 0,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE delivered ("
    "  origin BLOB NOT NULL, qid INTEGER NOT NULL, target INTEGER NOT NULL,"
    "  mid INTEGER, at INTEGER NOT NULL,"
    "  PRIMARY KEY (origin, qid, target)) WITHOUT ROWID;",
    /* Version 6: search folders (store/search_folder.c). search_criteria
     * holds a search folder's restriction (search_blob.c's bytes), its
     * SetSearchCriteria flags and state; search_scope the folders it
     * searches; search_results the messages a stopped (static) search
     * froze. A dynamic search has no rows there: its contents are the
     * query itself, so a commit that changes a message changes them. */
    "CREATE TABLE search_criteria ("
    "  fid INTEGER PRIMARY KEY, restriction BLOB NOT NULL,"
    "  flags INTEGER NOT NULL, state INTEGER NOT NULL);"
    "CREATE TABLE search_scope ("
    "  sfid INTEGER NOT NULL, fid INTEGER NOT NULL, pos INTEGER NOT NULL,"
    "  PRIMARY KEY (sfid, fid)) WITHOUT ROWID;"
    "CREATE TABLE search_results ("
    "  sfid INTEGER NOT NULL, mid INTEGER NOT NULL,"
    "  PRIMARY KEY (sfid, mid)) WITHOUT ROWID;"
    "CREATE TRIGGER search_folder_gone AFTER DELETE ON folders BEGIN"
    "  DELETE FROM search_criteria WHERE fid = old.fid;"
    "  DELETE FROM search_scope WHERE sfid = old.fid;"
    "  DELETE FROM search_results WHERE sfid = old.fid; END;",
};
#define MIGRATION_COUNT ((int)(sizeof MIGRATIONS / sizeof MIGRATIONS[0]))

_Static_assert(sizeof MIGRATIONS / sizeof MIGRATIONS[0] == FM_STORE_SCHEMA_VERSION,
               "one migration per schema version");

const fm_db_schema FM_STORE_SCHEMA = {
    .kind = "message store",
    .application_id = FM_STORE_APPLICATION_ID,
    .steps = MIGRATIONS,
    .nsteps = MIGRATION_COUNT,
    .corrupt = MAPI_E_CORRUPT_STORE,
    .init_empty = false,
};

const char *fm_schema_migration_sql(int to_version)
{
    if (to_version < 1 || to_version > MIGRATION_COUNT)
        return NULL;
    return MIGRATIONS[to_version - 1];
}
