/*
 * tests/store/test_store_backup.c - fmapi_store_backup and
 * fmapi_store_restore (include/freemapi_store.h), and that a store's file
 * alone holds its mail once closed (issue 14, item 8).
 *
 * A backup must hold every message saved before it, with the attachment
 * data kept in companion stream files, while the store stays in use; it
 * appears complete or not at all, private whatever the umask, and never
 * replaces a file. Restoring is the same copy from a backup.
 */
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "db/db.h"
#include "fm_fault.h"
#include "store/schema.h"
#include "store_fixture.h"

#define BIG (3u << 20) /* past the 1 MiB at which a stream moves to its own file */

static char backup_buf[700];

static const char *backup_path(const char *name)
{
    snprintf(backup_buf, sizeof backup_buf, "%s/%s.backup", fm_test_tmpdir(), name);
    char cmd[4000];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s-streams' '%s-wal' '%s-shm'", backup_buf, backup_buf,
             backup_buf, backup_buf);
    assert_int_equal(system(cmd), 0);
    return backup_buf;
}

/* Saves a message with the given subject, and with an attachment of n
 * pattern bytes when n > 0. */
static void save_message(LPMAPIFOLDER f, const char *subject, size_t n, unsigned seed)
{
    LPMESSAGE m = fx_new_message(f);
    fx_set_string(m, PR_SUBJECT_A, subject);
    if (n > 0) {
        LPATTACH a = NULL;
        ULONG num = 0;
        assert_int_equal(IMessage_CreateAttach(m, NULL, 0, &num, &a), S_OK);
        SPropValue meth = { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_BY_VALUE };
        assert_int_equal(HrSetOneProp((LPMAPIPROP)a, &meth), S_OK);
        fx_stream_write_pattern(a, PR_ATTACH_DATA_BIN, n, seed);
        assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
        IAttach_Release(a);
    }
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
}

static ULONG inbox_count(LPMDB mdb)
{
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPSPropValue v = fx_get(inbox, PR_CONTENT_COUNT);
    ULONG n = (ULONG)v->Value.l;
    MAPIFreeBuffer(v);
    IMAPIFolder_Release(inbox);
    return n;
}

/* The attachment of the only message with an attachment in the Inbox of
 * the store at path holds n bytes of pattern seed. */
static void check_attachment(const char *path, size_t n, unsigned seed)
{
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, 0, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(inbox, 0, &t), S_OK);
    SizedSPropTagArray(2, cols) = { 2, { PR_ENTRYID, PR_HASATTACH } };
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows), S_OK);
    bool found = false;
    for (ULONG i = 0; i < rows->cRows; i++) {
        if (rows->aRow[i].lpProps[1].ulPropTag != PR_HASATTACH ||
            !rows->aRow[i].lpProps[1].Value.b)
            continue;
        LPMESSAGE m = fx_reopen(mdb, &rows->aRow[i].lpProps[0], 0);
        LPATTACH a = NULL;
        assert_int_equal(IMessage_OpenAttach(m, 0, NULL, 0, &a), S_OK);
        fx_stream_check_pattern(a, PR_ATTACH_DATA_BIN, n, seed);
        IAttach_Release(a);
        IMessage_Release(m);
        found = true;
    }
    assert_true(found);
    FreeProws(rows);
    IMAPITable_Release(t);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static int files_in(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static int temporaries_in(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strstr(e->d_name, ".fm-new-") != NULL) {
            print_message("left behind: %s\n", e->d_name);
            n++;
        }
    }
    closedir(d);
    return n;
}

static void copy_file_alone(const char *from, const char *to)
{
    char cmd[4000];
    snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm' && cp '%s' '%s'", to, to, to, from,
             to);
    assert_int_equal(system(cmd), 0);
}

/* Item 8: a profile's own mailbox was closed keeping its -wal, so the mail
 * lived only there, and a copy of the .fmdb alone showed none of it. */
static void a_closed_store_file_alone_holds_its_mail(void **state)
{
    const char *p = fx_store_path("file-alone");
    char path[600], copy[700];
    snprintf(path, sizeof path, "%s", p);
    snprintf(copy, sizeof copy, "%s.copy", path);
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    IMsgStore_Release(mdb);
    /* what a session does with its own mailbox: kept WAL files */
    fm_db *db = NULL;
    assert_int_equal(fm_db_open(path, FM_DB_KEEP_WAL, &FM_STORE_SCHEMA, &db), S_OK);
    assert_int_equal(fm_db_exec(db, "CREATE TABLE probe (x); INSERT INTO probe VALUES (42)"),
                     S_OK);
    fm_db_close(db);
    char wal[700];
    snprintf(wal, sizeof wal, "%s-wal", path);
    assert_int_equal(access(wal, F_OK), 0); /* kept, as the flag promises */

    copy_file_alone(path, copy);
    assert_int_equal(fx_count(copy, "SELECT x FROM probe"), 42);
}

static void a_backup_holds_every_saved_message_with_its_stream_files(void **state)
{
    LPMDB mdb = fx_new_store("backup-src");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    for (int i = 0; i < 5; i++)
        save_message(inbox, "small", 0, 0);
    save_message(inbox, "big", BIG, 7);
    const char *b = backup_path("full");
    char bpath[700], streams[720];
    snprintf(bpath, sizeof bpath, "%s", b);
    snprintf(streams, sizeof streams, "%s-streams", bpath);

    mode_t old = umask(0);
    HRESULT hr = fmapi_store_backup(mdb, bpath, 0);
    umask(old);
    assert_int_equal(hr, S_OK);
    /* the store goes on working, and the backup is a snapshot */
    save_message(inbox, "after", 0, 0);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);

    struct stat st;
    assert_int_equal(stat(bpath, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(streams, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(files_in(streams), 1);
    assert_int_equal(temporaries_in(fm_test_tmpdir()), 0);

    LPMDB copy = NULL;
    assert_int_equal(fmapi_store_open(bpath, 0, &copy), S_OK);
    assert_int_equal(inbox_count(copy), 6);
    IMsgStore_Release(copy);
    check_attachment(bpath, BIG, 7);
}

static void a_backup_never_replaces_a_file(void **state)
{
    LPMDB mdb = fx_new_store("backup-collide");
    const char *b = backup_path("collide");
    char bpath[700];
    snprintf(bpath, sizeof bpath, "%s", b);
    FILE *f = fopen(bpath, "w");
    assert_non_null(f);
    fputs("precious", f);
    fclose(f);
    assert_int_equal(fmapi_store_backup(mdb, bpath, 0), MAPI_E_COLLISION);
    assert_non_null(strstr(fmapi_last_error(), "exists"));
    f = fopen(bpath, "r");
    char buf[16] = { 0 };
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "precious");

    assert_int_equal(fmapi_store_backup(NULL, bpath, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_store_backup(mdb, "", 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_store_backup(mdb, bpath, 1), MAPI_E_UNKNOWN_FLAGS);
    IMsgStore_Release(mdb);
}

static void a_restore_makes_a_new_store_from_a_backup(void **state)
{
    LPMDB mdb = fx_new_store("restore-src");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    save_message(inbox, "one", 0, 0);
    save_message(inbox, "big", BIG, 3);
    IMAPIFolder_Release(inbox);
    const char *b = backup_path("restore");
    char bpath[700], target[700];
    snprintf(bpath, sizeof bpath, "%s", b);
    assert_int_equal(fmapi_store_backup(mdb, bpath, 0), S_OK);
    IMsgStore_Release(mdb);

    snprintf(target, sizeof target, "%s", backup_path("restored"));
    assert_int_equal(fmapi_store_restore(bpath, target, 0), S_OK);
    LPMDB back = NULL;
    assert_int_equal(fmapi_store_open(target, 0, &back), S_OK);
    assert_int_equal(inbox_count(back), 2);
    IMsgStore_Release(back);
    check_attachment(target, BIG, 3);
    /* never over an existing store, and only from a store */
    assert_int_equal(fmapi_store_restore(bpath, target, 0), MAPI_E_COLLISION);
    char junk[700];
    snprintf(junk, sizeof junk, "%s/junk.backup", fm_test_tmpdir());
    FILE *f = fopen(junk, "w");
    fputs("not a store at all, just some bytes that are long enough to be read", f);
    fclose(f);
    assert_int_equal(fmapi_store_restore(junk, backup_path("from-junk"), 0),
                     MAPI_E_CORRUPT_STORE);
    assert_int_equal(access(backup_buf, F_OK), -1);
}

/* A writer in another process saves messages all through the backup: the
 * backup is one snapshot, a whole store holding some prefix of them. */
static void a_backup_taken_while_another_process_writes_is_one_snapshot(void **state)
{
    const char *p = fx_store_path("backup-busy");
    char path[600];
    snprintf(path, sizeof path, "%s", p);
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    pid_t kid = fork();
    assert_true(kid >= 0);
    if (kid == 0) {
        LPMDB own = NULL;
        if (fmapi_store_open(path, 0, &own) != S_OK)
            fm_test_child_exit(2);
        LPMAPIFOLDER in = fx_inbox(own);
        for (int i = 0; i < 60; i++)
            save_message(in, "busy", 0, 0);
        IMAPIFolder_Release(in);
        IMsgStore_Release(own);
        fm_test_child_exit(0); /* the parent's objects are not the child's to free */
    }
    char bpath[700];
    for (int round = 0; round < 3; round++) {
        char name[32];
        snprintf(name, sizeof name, "busy-%d", round);
        snprintf(bpath, sizeof bpath, "%s", backup_path(name));
        assert_int_equal(fmapi_store_backup(mdb, bpath, 0), S_OK);
        LPMDB copy = NULL;
        assert_int_equal(fmapi_store_open(bpath, 0, &copy), S_OK);
        assert_true(inbox_count(copy) <= 60);
        IMsgStore_Release(copy);
        assert_int_equal(fx_count(bpath, "SELECT count(*) FROM pragma_integrity_check "
                                         "WHERE integrity_check <> 'ok'"), 0);
    }
    int status;
    assert_int_equal(waitpid(kid, &status, 0), kid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    snprintf(bpath, sizeof bpath, "%s", backup_path("busy-last"));
    assert_int_equal(fmapi_store_backup(mdb, bpath, 0), S_OK);
    LPMDB copy = NULL;
    assert_int_equal(fmapi_store_open(bpath, 0, &copy), S_OK);
    assert_int_equal(inbox_count(copy), 60);
    IMsgStore_Release(copy);
    IMsgStore_Release(mdb);
}

/* Every I/O failure during a backup: a clean error, nothing at the target,
 * no temporary left, the store untouched, and the next backup works. */
static void a_backup_hit_by_io_errors_leaves_nothing_and_the_next_one_works(void **state)
{
    LPMDB mdb = fx_new_store("backup-faults");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    save_message(inbox, "one", 0, 0);
    save_message(inbox, "big", BIG, 5);
    IMAPIFolder_Release(inbox);
    fm_fault_install();
    char bpath[700];
    unsigned faulted = 0;
    for (uint64_t k = 1;; k++) {
        snprintf(bpath, sizeof bpath, "%s", backup_path("faults"));
        fm_fault_arm(FM_FAULT_WRITE | FM_FAULT_SYNC | FM_FAULT_OPEN | FM_FAULT_RENAME, k,
                     k % 2 ? FM_FAULT_IOERR : FM_FAULT_FULL, false);
        HRESULT hr = fmapi_store_backup(mdb, bpath, 0);
        bool fired = fm_fault_disarm();
        if (!fired) {
            assert_int_equal(hr, S_OK);
            break;
        }
        faulted++;
        if (hr == S_OK) /* a fault the copy does not depend on (a directory sync) */
            continue;
        assert_true(hr == MAPI_E_DISK_ERROR || hr == MAPI_E_NOT_ENOUGH_DISK ||
                    hr == MAPI_E_NO_ACCESS || hr == MAPI_E_NOT_FOUND);
        assert_true(strlen(fmapi_last_error()) > 0);
        assert_int_equal(access(bpath, F_OK), -1);
        assert_int_equal(temporaries_in(fm_test_tmpdir()), 0);
        assert_true(k < 10000);
    }
    assert_true(faulted > 3);
    assert_int_equal(inbox_count(mdb), 2);
    IMsgStore_Release(mdb);
    check_attachment(bpath, BIG, 5);
}

static HRESULT backup_once(void *ctx)
{
    LPMDB mdb = ctx;
    const char *b = backup_path("oom");
    char bpath[700];
    snprintf(bpath, sizeof bpath, "%s", b);
    HRESULT hr = fmapi_store_backup(mdb, bpath, 0);
    if (hr != S_OK && (access(bpath, F_OK) == 0 || temporaries_in(fm_test_tmpdir()) != 0))
        return MAPI_E_CALL_FAILED;
    return hr;
}

static void a_backup_survives_every_allocation_failure(void **state)
{
    LPMDB mdb = fx_new_store("backup-oom");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    save_message(inbox, "one", 0, 0);
    IMAPIFolder_Release(inbox);
    unsigned points = fm_test_oom_sweep(backup_once, mdb);
    print_message("swept %u allocation points\n", points);
    assert_true(points > 10);
    IMsgStore_Release(mdb);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_closed_store_file_alone_holds_its_mail),
        cmocka_unit_test(a_backup_holds_every_saved_message_with_its_stream_files),
        cmocka_unit_test(a_backup_never_replaces_a_file),
        cmocka_unit_test(a_restore_makes_a_new_store_from_a_backup),
        cmocka_unit_test(a_backup_taken_while_another_process_writes_is_one_snapshot),
        cmocka_unit_test(a_backup_hit_by_io_errors_leaves_nothing_and_the_next_one_works),
        cmocka_unit_test(a_backup_survives_every_allocation_failure),
    };
    if (getenv("FM_TEST_ONLY") != NULL)
        cmocka_set_test_filter(getenv("FM_TEST_ONLY"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
