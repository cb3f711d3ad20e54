/*
 * tests/db/test_db.c - opening and creating database files (a message
 * store's, as the commonest kind), refusing files that are not of their
 * kind, schema versions, busy back-off and transactions (src/db/).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fm_test.h"
#include "db/db.h"
#include "store/schema.h"

static char path_buf[512];

static const char *tmp_path(const char *name)
{
    snprintf(path_buf, sizeof path_buf, "%s/%s", fm_test_tmpdir(), name);
    return path_buf;
}

static void remove_store(const char *path)
{
    char side[700];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void opening_a_missing_store_without_create_is_not_found(void **state)
{
    fm_db *db = (fm_db *)1;
    const char *p = tmp_path("missing.fmstore");
    assert_int_equal(fm_db_open(p, 0, &FM_STORE_SCHEMA, &db), MAPI_E_NOT_FOUND);
    assert_null(db);
    assert_non_null(strstr(fmapi_last_error(), "missing.fmstore"));
    assert_int_equal(access(p, F_OK), -1);
}

static void a_created_store_reopens_with_its_schema(void **state)
{
    const char *p = tmp_path("new.fmstore");
    remove_store(p);
    fm_db *db;
    assert_int_equal(fm_db_open(p, FM_DB_CREATE, &FM_STORE_SCHEMA, &db), S_OK);
    sqlite3_stmt *st;
    assert_int_equal(fm_db_prepare(db, "PRAGMA journal_mode", &st), S_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    fm_db_finish(st);
    fm_db_close(db);

    assert_int_equal(fm_db_open(p, 0, &FM_STORE_SCHEMA, &db), S_OK);
    assert_int_equal(fm_db_prepare(db,
                                   "SELECT count(*) FROM sqlite_master WHERE name IN "
                                   "('folders','messages','attachments','streams')",
                                   &st),
                     S_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 4);
    fm_db_finish(st);
    fm_db_close(db);
}

static void a_file_that_is_not_sqlite_is_a_corrupt_store(void **state)
{
    const char *p = tmp_path("garbage.fmstore");
    char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 7 + 3);
    write_file(p, junk, sizeof junk);
    fm_db *db;
    assert_int_equal(fm_db_open(p, 0, &FM_STORE_SCHEMA, &db), MAPI_E_CORRUPT_STORE);
    assert_null(db);
    assert_true(strlen(fmapi_last_error()) > 0);
    /* nothing was changed */
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    assert_int_equal(sb.st_size, sizeof junk);
}

static void a_store_with_a_destroyed_header_is_a_corrupt_store(void **state)
{
    const char *p = tmp_path("header.fmstore");
    remove_store(p);
    fm_db *db;
    assert_int_equal(fm_db_open(p, FM_DB_CREATE, &FM_STORE_SCHEMA, &db), S_OK);
    fm_db_close(db);
    int fd = open(p, O_WRONLY);
    assert_true(fd >= 0);
    char zeros[100] = { 0 };
    assert_int_equal(pwrite(fd, zeros, sizeof zeros, 0), sizeof zeros);
    close(fd);
    assert_int_equal(fm_db_open(p, 0, &FM_STORE_SCHEMA, &db), MAPI_E_CORRUPT_STORE);
}

static void another_programs_sqlite_file_is_refused_untouched(void **state)
{
    const char *p = tmp_path("other.sqlite");
    remove_store(p);
    sqlite3 *c;
    assert_int_equal(sqlite3_open(p, &c), SQLITE_OK);
    assert_int_equal(sqlite3_exec(c, "CREATE TABLE t(x); INSERT INTO t VALUES(42);", 0, 0, 0),
                     SQLITE_OK);
    sqlite3_close(c);
    fm_db *db;
    assert_int_equal(fm_db_open(p, FM_DB_CREATE, &FM_STORE_SCHEMA, &db), MAPI_E_CORRUPT_STORE);
    assert_non_null(strstr(fmapi_last_error(), "not a freemapi message store"));
    assert_int_equal(sqlite3_open(p, &c), SQLITE_OK);
    assert_int_equal(sqlite3_exec(c, "SELECT x FROM t", 0, 0, 0), SQLITE_OK);
    sqlite3_close(c);
}

static void an_empty_existing_file_is_not_a_store(void **state)
{
    const char *p = tmp_path("empty.fmstore");
    remove_store(p);
    write_file(p, "", 0);
    fm_db *db;
    assert_int_equal(fm_db_open(p, 0, &FM_STORE_SCHEMA, &db), MAPI_E_CORRUPT_STORE);
    assert_non_null(strstr(fmapi_last_error(), "empty"));
}

static void a_store_from_a_newer_freemapi_is_a_version_error(void **state)
{
    const char *p = tmp_path("newer.fmstore");
    remove_store(p);
    fm_db *db;
    assert_int_equal(fm_db_open(p, FM_DB_CREATE, &FM_STORE_SCHEMA, &db), S_OK);
    fm_db_close(db);
    sqlite3 *c;
    assert_int_equal(sqlite3_open(p, &c), SQLITE_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d", FM_STORE_SCHEMA_VERSION + 1);
    assert_int_equal(sqlite3_exec(c, sql, 0, 0, 0), SQLITE_OK);
    sqlite3_close(c);
    assert_int_equal(fm_db_open(p, 0, &FM_STORE_SCHEMA, &db), MAPI_E_VERSION);
    assert_non_null(strstr(fmapi_last_error(), "schema version"));
}

static void an_invalid_schema_version_is_corrupt(void **state)
{
    const char *p = tmp_path("v0.fmstore");
    remove_store(p);
    fm_db *db;
    assert_int_equal(fm_db_open(p, FM_DB_CREATE, &FM_STORE_SCHEMA, &db), S_OK);
    fm_db_close(db);
    sqlite3 *c;
    assert_int_equal(sqlite3_open(p, &c), SQLITE_OK);
    assert_int_equal(sqlite3_exec(c, "PRAGMA user_version=0", 0, 0, 0), SQLITE_OK);
    sqlite3_close(c);
    assert_int_equal(fm_db_open(p, 0, &FM_STORE_SCHEMA, &db), MAPI_E_CORRUPT_STORE);
}

/* As root, permission bits do not stop writes: drop to "nobody" in a child. */
static void a_read_only_store_file_is_no_access(void **state)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/ro", fm_test_tmpdir());
    mkdir(dir, 0755);
    /* the unprivileged child must be able to reach the directory */
    char parent[512];
    snprintf(parent, sizeof parent, "%s", fm_test_tmpdir());
    chmod(parent, 0755);
    *strrchr(parent, '/') = '\0';
    chmod(parent, 0755);
    char p[600];
    snprintf(p, sizeof p, "%s/ro.fmstore", dir);
    remove_store(p);
    fm_db *db;
    assert_int_equal(fm_db_open(p, FM_DB_CREATE, &FM_STORE_SCHEMA, &db), S_OK);
    fm_db_close(db);
    chmod(p, 0444);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            fm_test_child_exit(10);
        fm_db *d = NULL;
        HRESULT hr = fm_db_open(p, 0, &FM_STORE_SCHEMA, &d);
        if (hr != MAPI_E_NO_ACCESS)
            fm_test_child_exit(11);
        if (strstr(fmapi_last_error(), "read-only") == NULL)
            fm_test_child_exit(12);
        fm_test_child_exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void bad_arguments_are_refused(void **state)
{
    fm_db *db;
    assert_int_equal(fm_db_open("", FM_DB_CREATE, &FM_STORE_SCHEMA, &db), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_db_open(NULL, FM_DB_CREATE, &FM_STORE_SCHEMA, &db),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_db_open(tmp_path("x"), 0x80, &FM_STORE_SCHEMA, &db), MAPI_E_UNKNOWN_FLAGS);
}

static void a_held_write_lock_gives_busy_after_the_bounded_wait(void **state)
{
    const char *p = tmp_path("busy.fmstore");
    remove_store(p);
    fm_db *a, *b;
    assert_int_equal(fm_db_open(p, FM_DB_CREATE, &FM_STORE_SCHEMA, &a), S_OK);
    assert_int_equal(fm_db_open(p, 0, &FM_STORE_SCHEMA, &b), S_OK);
    fm_db_set_busy_timeout(b, 150);
    assert_int_equal(fm_db_begin(a), S_OK);
    assert_int_equal(fm_db_begin(b), MAPI_E_BUSY);
    assert_non_null(strstr(fmapi_last_error(), "transaction"));
    /* readers are not blocked by the writer (WAL) */
    sqlite3_stmt *st;
    assert_int_equal(fm_db_prepare(b, "SELECT count(*) FROM folders", &st), S_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    fm_db_finish(st);
    assert_int_equal(fm_db_commit(a), S_OK);
    assert_int_equal(fm_db_begin(b), S_OK);
    assert_int_equal(fm_db_commit(b), S_OK);
    fm_db_close(a);
    fm_db_close(b);
}

static void nested_transactions_commit_once_and_roll_back_whole(void **state)
{
    const char *p = tmp_path("txn.fmstore");
    remove_store(p);
    fm_db *db;
    assert_int_equal(fm_db_open(p, FM_DB_CREATE, &FM_STORE_SCHEMA, &db), S_OK);
    assert_int_equal(fm_db_begin(db), S_OK);
    assert_int_equal(fm_db_begin(db), S_OK);
    assert_int_equal(fm_db_exec(db, "INSERT INTO store_meta VALUES('a', 1)"), S_OK);
    assert_int_equal(fm_db_commit(db), S_OK); /* inner: still open */
    assert_int_equal(sqlite3_get_autocommit(db->conn), 0);
    fm_db_rollback(db);
    assert_int_equal(sqlite3_get_autocommit(db->conn), 1);
    sqlite3_stmt *st;
    assert_int_equal(fm_db_prepare(db, "SELECT count(*) FROM store_meta WHERE key='a'", &st), S_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    fm_db_finish(st);
    assert_int_equal(fm_db_commit(db), MAPI_E_CALL_FAILED);
    fm_db_close(db);
}

static void sqlite_memory_is_accounted_by_freemapi(void **state)
{
    assert_true(fm_db_memory_is_accounted());
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    fm_db *db;
    assert_int_equal(fm_db_open(tmp_path("acct.fmstore"), FM_DB_CREATE, &FM_STORE_SCHEMA, &db),
                     S_OK);
    fmapi_alloc_stats s;
    fmapi_alloc_get_stats(&s);
    assert_true(s.live_blocks > b.stats.live_blocks); /* the connection's memory is seen */
    assert_true(s.live_sqlite_blocks > b.stats.live_sqlite_blocks); /* and known as SQLite's */
    fm_db_close(db);
    fm_test_assert_no_leak_all(&b);
}

static int oom_round;

static HRESULT create_and_reopen(void *ctx)
{
    char p[600];
    snprintf(p, sizeof p, "%s/oom-%d.fmstore", fm_test_tmpdir(), oom_round++);
    remove_store(p);
    fm_db *db;
    HRESULT hr = fm_db_open(p, FM_DB_CREATE, &FM_STORE_SCHEMA, &db);
    if (hr != S_OK) {
        /* a failed create leaves no file behind */
        if (access(p, F_OK) == 0)
            return MAPI_E_CALL_FAILED;
        return hr;
    }
    fm_db_close(db);
    hr = fm_db_open(p, 0, &FM_STORE_SCHEMA, &db);
    if (hr == S_OK)
        fm_db_close(db);
    remove_store(p);
    return hr;
}

static void creating_and_opening_survive_every_allocation_failure(void **state)
{
    unsigned points = fm_test_oom_sweep(create_and_reopen, NULL);
    print_message("swept %u allocation points\n", points);
    assert_true(points > 10);
}

int main(void)
{
    /* SQLite keeps a little process-wide state after first use; warm it up
     * so that leak baselines measure only what each test does. */
    fm_db *warm;
    if (fm_db_open(tmp_path("warm.fmstore"), FM_DB_CREATE, &FM_STORE_SCHEMA, &warm) == S_OK)
        fm_db_close(warm);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(opening_a_missing_store_without_create_is_not_found),
        cmocka_unit_test(a_created_store_reopens_with_its_schema),
        cmocka_unit_test(a_file_that_is_not_sqlite_is_a_corrupt_store),
        cmocka_unit_test(a_store_with_a_destroyed_header_is_a_corrupt_store),
        cmocka_unit_test(another_programs_sqlite_file_is_refused_untouched),
        cmocka_unit_test(an_empty_existing_file_is_not_a_store),
        cmocka_unit_test(a_store_from_a_newer_freemapi_is_a_version_error),
        cmocka_unit_test(an_invalid_schema_version_is_corrupt),
        cmocka_unit_test(a_read_only_store_file_is_no_access),
        cmocka_unit_test(bad_arguments_are_refused),
        cmocka_unit_test(a_held_write_lock_gives_busy_after_the_bounded_wait),
        cmocka_unit_test(nested_transactions_commit_once_and_roll_back_whole),
        cmocka_unit_test(sqlite_memory_is_accounted_by_freemapi),
        cmocka_unit_test(creating_and_opening_survive_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
