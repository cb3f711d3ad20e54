/*
 * tests/store/test_schema.c - the store schema moves old files forward and
 * never hands out a message number twice.
 *
 * Old files are built the way an older freemapi built them: by running the
 * migrations up to that version on a fresh SQLite file, with the version
 * and application id it wrote.
 */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fm_test.h"
#include "db/db.h"
#include "store/schema.h"

static const char *tmp_path(const char *name)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s/%s", fm_test_tmpdir(), name);
    char side[1100];
    unlink(buf);
    snprintf(side, sizeof side, "%s-wal", buf);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", buf);
    unlink(side);
    return buf;
}

static void exec_ok(sqlite3 *c, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(c, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

static int64_t select_int(fm_db *db, const char *sql)
{
    int64_t v = -1;
    assert_int_equal(fm_db_select_int(db, sql, FM_DB_NO_INTS, -1, &v, "test"), S_OK);
    return v;
}

static bool integrity_ok(fm_db *db)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db->conn, "PRAGMA integrity_check", -1, &st, NULL),
                     SQLITE_OK);
    bool ok = sqlite3_step(st) == SQLITE_ROW &&
              strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
    sqlite3_finalize(st);
    return ok;
}

/* A version-2 file with messages 1..5 in folder 1, of which 5 (the top
 * one) was deleted for good, as version 2 could do. */
static void build_version_2_file(const char *path)
{
    sqlite3 *c;
    assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
    exec_ok(c, "PRAGMA journal_mode=WAL");
    exec_ok(c, "BEGIN");
    exec_ok(c, fm_schema_migration_sql(1));
    exec_ok(c, fm_schema_migration_sql(2));
    char sql[128];
    snprintf(sql, sizeof sql, "PRAGMA user_version = 2; PRAGMA application_id = %d;",
             FM_STORE_APPLICATION_ID);
    exec_ok(c, sql);
    exec_ok(c, "INSERT INTO folders (parent_fid, display_name, folder_type, created, modified)"
               " VALUES (NULL, 'root', 0, 1, 1)");
    for (int i = 1; i <= 5; i++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO messages (fid, created, modified, subject, delivery_time)"
                 " VALUES (1, %d, %d, 'm%d', %d)",
                 i, i, i, i * 10);
        exec_ok(c, sql);
    }
    exec_ok(c, "DELETE FROM messages WHERE mid = 5");
    exec_ok(c, "COMMIT");
    sqlite3_close(c);
}

static void a_version_2_store_is_moved_forward_keeping_its_messages(void **state)
{
    const char *p = tmp_path("v2.fmstore");
    build_version_2_file(p);
    fm_db *db;
    assert_int_equal(fm_db_open(p, 0, &FM_STORE_SCHEMA, &db), S_OK);
    assert_int_equal(select_int(db, "PRAGMA user_version"), FM_STORE_SCHEMA_VERSION);
    assert_int_equal(select_int(db, "SELECT count(*) FROM messages"), 4);
    assert_int_equal(select_int(db, "SELECT count(*) FROM messages WHERE subject = 'm3'"
                                    " AND delivery_time = 30 AND fid = 1"),
                     1);
    /* the number AUTOINCREMENT had reached carries over as the floor */
    assert_int_equal(select_int(db, "SELECT value FROM store_meta WHERE key = 'mid_floor'"), 5);
    assert_int_equal(select_int(db, "SELECT " FM_SCHEMA_NEXT_MID), 6);
    assert_int_equal(select_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                    " AND name IN ('messages_by_delivery',"
                                    " 'messages_soft_deleted', 'messages_by_attach')"),
                     3);
    assert_int_equal(select_int(db, "SELECT count(*) FROM sqlite_master"
                                    " WHERE name = 'messages_by_folder'"),
                     0);
    assert_true(integrity_ok(db));
    fm_db_close(db);
}

static void a_deleted_top_message_number_is_never_given_again(void **state)
{
    const char *p = tmp_path("floor.fmstore");
    fm_db *db;
    assert_int_equal(fm_db_open(p, FM_DB_CREATE, &FM_STORE_SCHEMA, &db), S_OK);
    assert_int_equal(fm_db_begin(db), S_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(fm_db_exec(db, "INSERT INTO messages (mid, fid, created, modified)"
                                        " VALUES (" FM_SCHEMA_NEXT_MID ", 1, 0, 0)"),
                         S_OK);
    assert_int_equal(fm_db_commit(db), S_OK);
    int64_t top = select_int(db, "SELECT max(mid) FROM messages");
    assert_int_equal(
        fm_db_exec_ints(db, "DELETE FROM messages WHERE mid = ?1", FM_DB_INTS(top), "test"), S_OK);
    assert_int_equal(
        fm_db_exec_ints(db, "DELETE FROM messages WHERE mid = ?1", FM_DB_INTS(top - 1), "test"),
        S_OK);
    /* the floor keeps the highest number ever deleted, not the last one */
    assert_int_equal(select_int(db, "SELECT value FROM store_meta WHERE key = 'mid_floor'"), top);
    assert_int_equal(fm_db_exec(db, "INSERT INTO messages (mid, fid, created, modified)"
                                    " VALUES (" FM_SCHEMA_NEXT_MID ", 1, 0, 0)"),
                     S_OK);
    assert_int_equal(select_int(db, "SELECT max(mid) FROM messages"), top + 1);
    fm_db_close(db);
}

static void a_live_message_save_leaves_the_soft_deleted_index_alone(void **state)
{
    const char *p = tmp_path("plan.fmstore");
    fm_db *db;
    assert_int_equal(fm_db_open(p, FM_DB_CREATE, &FM_STORE_SCHEMA, &db), S_OK);
    assert_int_equal(fm_db_exec(db, "INSERT INTO messages (mid, fid, created, modified)"
                                    " VALUES (" FM_SCHEMA_NEXT_MID ", 1, 0, 0)"),
                     S_OK);
    /* partial indexes hold only their rows: the soft-deleted index is
     * empty while every message is live, so saves never write to it */
    assert_int_equal(select_int(db, "SELECT count(*) FROM messages INDEXED BY"
                                    " messages_soft_deleted WHERE deleted_at IS NOT NULL"),
                     0);
    assert_int_equal(fm_db_exec(db, "UPDATE messages SET deleted_at = 7"), S_OK);
    assert_int_equal(select_int(db, "SELECT count(*) FROM messages INDEXED BY"
                                    " messages_soft_deleted WHERE deleted_at IS NOT NULL"),
                     1);
    fm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_version_2_store_is_moved_forward_keeping_its_messages),
        cmocka_unit_test(a_deleted_top_message_number_is_never_given_again),
        cmocka_unit_test(a_live_message_save_leaves_the_soft_deleted_index_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
