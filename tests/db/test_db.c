/*
 * tests/db/test_db.c - opening and creating database files (a message
 * store's, as the commonest kind), refusing files that are not of their
 * kind, schema versions, busy back-off and transactions (src/db/).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Files a creation left under a temporary name in the test directory. */
static int leftover_temporaries(void)
{
    DIR *d = opendir(fm_test_tmpdir());
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += strstr(e->d_name, ".fm-new-") != NULL;
    closedir(d);
    return n;
}

/* One child of the race below: opens (creating) the store as soon as the
 * parent lets it go, records itself in it, and exits 0 only if both worked. */
static int create_and_record(const char *p, int go)
{
    char c;
    if (read(go, &c, 1) != 1)
        return 2;
    fm_db *db;
    HRESULT hr = fm_db_open(p, FM_DB_CREATE, &FM_STORE_SCHEMA, &db);
    if (hr != S_OK) {
        fprintf(stderr, "creator %ld: 0x%08x %s\n", (long)getpid(), (unsigned)hr,
                fmapi_last_error());
        return 3;
    }
    hr = fm_db_exec(db, "CREATE TABLE IF NOT EXISTS probe (pid INTEGER)");
    if (hr == S_OK) {
        char sql[80];
        snprintf(sql, sizeof sql, "INSERT INTO probe VALUES (%ld)", (long)getpid());
        hr = fm_db_exec(db, sql);
    }
    fm_db_close(db);
    return hr == S_OK ? 0 : 4;
}

/* Issue 14 item 3: of several processes creating one new store at the same
 * moment, every one opens the same file and what each wrote is there (the
 * loser's clean-up used to unlink the winner's store and WAL). */
static void processes_creating_one_store_at_once_all_open_the_same_file(void **state)
{
    enum { ROUNDS = 8, CREATORS = 6 };
    const char *p = tmp_path("race.fmstore");
    char path[600];
    snprintf(path, sizeof path, "%s", p);
    for (int round = 0; round < ROUNDS; round++) {
        remove_store(path);
        int go[2];
        assert_int_equal(pipe(go), 0);
        pid_t kids[CREATORS];
        for (int i = 0; i < CREATORS; i++) {
            kids[i] = fork();
            assert_true(kids[i] >= 0);
            if (kids[i] == 0) {
                close(go[1]);
                _exit(create_and_record(path, go[0]));
            }
        }
        close(go[0]);
        assert_int_equal(write(go[1], "gggggggg", CREATORS), CREATORS);
        close(go[1]);
        for (int i = 0; i < CREATORS; i++) {
            int status;
            assert_int_equal(waitpid(kids[i], &status, 0), kids[i]);
            assert_true(WIFEXITED(status));
            assert_int_equal(WEXITSTATUS(status), 0);
        }
        fm_db *db;
        int64_t rows = -1;
        assert_int_equal(fm_db_open(path, 0, &FM_STORE_SCHEMA, &db), S_OK);
        assert_int_equal(fm_db_select_int(db, "SELECT count(*) FROM probe", FM_DB_NO_INTS, 0,
                                          &rows, "counting"),
                         S_OK);
        fm_db_close(db);
        assert_int_equal(rows, CREATORS);
        assert_int_equal(leftover_temporaries(), 0);
    }
    remove_store(path);
}

/* An empty file where a store should be (what a crash of an older version
 * mid-creation left) is given its schema when the caller creates. */
static void an_empty_file_becomes_a_store_when_created(void **state)
{
    const char *p = tmp_path("empty-create.fmstore");
    remove_store(p);
    write_file(p, "", 0);
    fm_db *db;
    assert_int_equal(fm_db_open(p, FM_DB_CREATE, &FM_STORE_SCHEMA, &db), S_OK);
    fm_db_close(db);
    assert_int_equal(fm_db_open(p, 0, &FM_STORE_SCHEMA, &db), S_OK);
    fm_db_close(db);
    remove_store(p);
}

/* A symbolic link to a missing file is never created through (another
 * user may have planted it) and is left as it was. */
static void a_dangling_symlink_is_not_followed_and_stays(void **state)
{
    char target[600], p[600];
    snprintf(target, sizeof target, "%s/planted-target", fm_test_tmpdir());
    snprintf(p, sizeof p, "%s/planted.fmstore", fm_test_tmpdir());
    unlink(target);
    unlink(p);
    assert_int_equal(symlink(target, p), 0);
    fm_db *db = (fm_db *)1;
    assert_int_equal(fm_db_open(p, FM_DB_CREATE, &FM_STORE_SCHEMA, &db), MAPI_E_NOT_FOUND);
    assert_null(db);
    assert_non_null(strstr(fmapi_last_error(), "symbolic link"));
    struct stat st;
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(access(target, F_OK), -1);
    assert_int_equal(leftover_temporaries(), 0);
    unlink(p);
}

/* Stores hold mail: 0600, whatever the umask. */
static void a_created_store_is_private_whatever_the_umask(void **state)
{
    const char *p = tmp_path("private.fmstore");
    remove_store(p);
    mode_t old = umask(0);
    fm_db *db;
    HRESULT hr = fm_db_open(p, FM_DB_CREATE, &FM_STORE_SCHEMA, &db);
    umask(old);
    assert_int_equal(hr, S_OK);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    fm_db_close(db);
    remove_store(p);
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
        /* a failed create leaves nothing half-made: no temporary file, and
         * at path either nothing or the complete store (linked into place
         * before the open that failed), which opens */
        if (leftover_temporaries() != 0)
            return MAPI_E_CALL_FAILED;
        if (access(p, F_OK) == 0) {
            fmapi_alloc_fail_off();
            HRESULT again = fm_db_open(p, 0, &FM_STORE_SCHEMA, &db);
            if (again != S_OK)
                return MAPI_E_CALL_FAILED;
            fm_db_close(db);
            remove_store(p);
        }
        return hr;
    }
    fm_db_close(db);
    fmapi_alloc_fail_off(); /* the sweep is of creating; this checks what it made */
    hr = fm_db_open(p, 0, &FM_STORE_SCHEMA, &db);
    if (hr == S_OK)
        fm_db_close(db);
    remove_store(p);
    return hr == S_OK ? S_OK : MAPI_E_CALL_FAILED;
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
        cmocka_unit_test(processes_creating_one_store_at_once_all_open_the_same_file),
        cmocka_unit_test(an_empty_file_becomes_a_store_when_created),
        cmocka_unit_test(a_dangling_symlink_is_not_followed_and_stays),
        cmocka_unit_test(a_created_store_is_private_whatever_the_umask),
        cmocka_unit_test(creating_and_opening_survive_every_allocation_failure),
    };
    /* FM_TEST_ONLY=pattern runs the matching tests only (repeating one) */
    if (getenv("FM_TEST_ONLY") != NULL)
        cmocka_set_test_filter(getenv("FM_TEST_ONLY"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
