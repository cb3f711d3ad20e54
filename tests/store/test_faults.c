/*
 * tests/store/test_faults.c - faults below the store: a full disk while
 * saving, a truncated store file, and writers in separate processes started
 * with fork and exec.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "store/object.h"
#include "store_fixture.h"

static char self_path[4096];

/* The database connection behind an open store (tests reach inside). */
static fm_db *db_of(LPMDB mdb)
{
    return fm_object_of(mdb)->store->db;
}

static long page_count(fm_db *db)
{
    sqlite3_stmt *st;
    long n = -1;
    if (fm_db_prepare(db, "PRAGMA page_count", &st) == S_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        fm_db_finish(st);
    }
    return n;
}

static void a_full_disk_fails_the_save_and_keeps_the_store(void **state)
{
    const char *path = fx_store_path("full");
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &m), S_OK);
    fx_set_string(m, PR_SUBJECT, "fits");
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);

    /* The disk is full: the database may not grow by more than a few pages. */
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %ld", page_count(db_of(mdb)) + 2);
    assert_int_equal(fm_db_exec(db_of(mdb), sql), S_OK);
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &m), S_OK);
    char *big = malloc(12000);
    memset(big, 'x', 11999);
    big[11999] = '\0';
    SPropValue v[40];
    for (int i = 0; i < 40; i++) {
        v[i].ulPropTag = PROP_TAG(PT_STRING8, 0x6200 + i);
        v[i].Value.lpszA = big; /* 40 values of 12 KB: far more than two pages */
    }
    assert_int_equal(IMessage_SetProps(m, 40, v, NULL), S_OK);
    HRESULT hr = IMessage_SaveChanges(m, KEEP_OPEN_READWRITE);
    assert_int_equal(hr, MAPI_E_NOT_ENOUGH_DISK);
    LPMAPIERROR err = NULL;
    assert_int_equal(IMessage_GetLastError(m, hr, 0, &err), S_OK);
    assert_non_null(strstr((char *)err->lpszError, "full"));
    MAPIFreeBuffer(err);
    LPSPropValue count = fx_get(inbox, PR_CONTENT_COUNT);
    assert_int_equal(count->Value.l, 1); /* nothing half-saved */
    MAPIFreeBuffer(count);

    /* A large value fills the disk while it is moved to a stream: the same
     * MAPI code, not the stream's own. */
    LPMESSAGE big_one = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &big_one), S_OK);
    char *huge = malloc(300000);
    memset(huge, 'y', 299999);
    huge[299999] = '\0';
    fx_set_string(big_one, PR_BODY, huge);
    free(huge);
    assert_int_equal(IMessage_SaveChanges(big_one, 0), MAPI_E_NOT_ENOUGH_DISK);
    IMessage_Release(big_one);

    /* Space again: the same open message saves. */
    assert_int_equal(fm_db_exec(db_of(mdb), "PRAGMA max_page_count = 1073741823"), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
    count = fx_get(inbox, PR_CONTENT_COUNT);
    assert_int_equal(count->Value.l, 2);
    MAPIFreeBuffer(count);
    free(big);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void a_truncated_store_file_is_a_corrupt_store_not_a_crash(void **state)
{
    const char *path = fx_store_path("truncated");
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    for (int i = 0; i < 50; i++) {
        LPMESSAGE m = NULL;
        assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &m), S_OK);
        fx_set_string(m, PR_BODY, "a body long enough to fill some pages of the store file ...");
        assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
        IMessage_Release(m);
    }
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb); /* the last close checkpoints the WAL into the file */
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_true(sb.st_size > 8192);
    assert_int_equal(truncate(path, sb.st_size / 3), 0);
    HRESULT hr = fmapi_store_open(path, 0, &mdb);
    if (hr == S_OK) {
        /* The first pages survived: the damage shows when the rest is read. */
        inbox = NULL;
        ULONG cb = 0, type = 0;
        LPENTRYID eid = NULL;
        hr = IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL);
        if (hr == S_OK)
            hr = IMsgStore_OpenEntry(mdb, cb, eid, NULL, 0, &type, (LPUNKNOWN *)&inbox);
        MAPIFreeBuffer(eid);
        LPSPropValue v = NULL;
        if (hr == S_OK)
            hr = HrGetOneProp((LPMAPIPROP)inbox, PR_CONTENT_COUNT, &v);
        MAPIFreeBuffer(v);
        if (inbox != NULL)
            IMAPIFolder_Release(inbox);
        IMsgStore_Release(mdb);
    }
    assert_int_equal(hr, MAPI_E_CORRUPT_STORE);
    assert_true(strlen(fmapi_last_error()) > 0);
}

/* The exec'd writer: argv = self --writer PATH COUNT TAG */
static int run_writer(const char *path, int count, const char *tag)
{
    LPMDB mdb = NULL;
    if (fmapi_store_open(path, 0, &mdb) != S_OK)
        return 10;
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0;
    LPMAPIFOLDER inbox = NULL;
    if (IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL) != S_OK ||
        IMsgStore_OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&inbox) != S_OK)
        return 11;
    MAPIFreeBuffer(eid);
    for (int i = 0; i < count; i++) {
        LPMESSAGE m = NULL;
        char subject[64];
        snprintf(subject, sizeof subject, "%s %d", tag, i);
        SPropValue v = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = subject };
        if (IMAPIFolder_CreateMessage(inbox, NULL, 0, &m) != S_OK ||
            IMessage_SetProps(m, 1, &v, NULL) != S_OK || IMessage_SaveChanges(m, 0) != S_OK)
            return 12;
        IMessage_Release(m);
    }
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    return 0;
}

static void writers_in_separate_programs_share_one_store(void **state)
{
    const char *path = fx_store_path("exec");
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    const int writers = 4, each = 150;
    pid_t pids[4];
    for (int w = 0; w < writers; w++) {
        char tag[16], count[16];
        snprintf(tag, sizeof tag, "w%d", w);
        snprintf(count, sizeof count, "%d", each);
        pids[w] = fork();
        assert_true(pids[w] >= 0);
        if (pids[w] == 0) {
            execl(self_path, self_path, "--writer", path, count, tag, (char *)NULL);
            fm_test_child_exit(20);
        }
    }
    /* Meanwhile this process reads the folder as it fills. */
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    for (int i = 0; i < 20; i++) {
        LPSPropValue c = fx_get(inbox, PR_CONTENT_COUNT);
        assert_true(c->Value.l >= 0 && c->Value.l <= writers * each);
        MAPIFreeBuffer(c);
    }
    for (int w = 0; w < writers; w++) {
        int status;
        waitpid(pids[w], &status, 0);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    LPSPropValue c = fx_get(inbox, PR_CONTENT_COUNT);
    assert_int_equal(c->Value.l, writers * each); /* nothing lost, nothing twice */
    MAPIFreeBuffer(c);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

typedef struct thread_job {
    LPMAPIFOLDER inbox;
    int count;
    int failures;
} thread_job;

/* Each message has an attachment whose data goes through its own short
 * stream transactions, interleaving with the other thread's saves. */
static void *thread_writer(void *p)
{
    thread_job *job = p;
    for (int i = 0; i < job->count; i++) {
        LPMESSAGE m = NULL;
        LPATTACH a = NULL;
        LPSTREAM s = NULL;
        ULONG num, w;
        HRESULT hr = IMAPIFolder_CreateMessage(job->inbox, NULL, 0, &m);
        if (hr == S_OK)
            hr = IMessage_CreateAttach(m, NULL, 0, &num, &a);
        if (hr == S_OK)
            hr = IAttach_OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0,
                                      MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&s);
        if (hr == S_OK)
            hr = IStream_Write(s, "0123456789", 10, &w);
        if (hr == S_OK)
            hr = IStream_Commit(s, 0);
        if (s != NULL)
            IStream_Release(s);
        if (hr == S_OK)
            hr = IAttach_SaveChanges(a, 0);
        if (a != NULL)
            IAttach_Release(a);
        if (hr == S_OK)
            hr = IMessage_SaveChanges(m, 0);
        if (m != NULL)
            IMessage_Release(m);
        job->failures += hr != S_OK;
    }
    return NULL;
}

static void threads_sharing_one_store_do_not_mix_their_transactions(void **state)
{
    const char *path = fx_store_path("threads");
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    thread_job jobs[3] = { { inbox, 150, 0 }, { inbox, 150, 0 }, { inbox, 150, 0 } };
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&t[i], NULL, thread_writer, &jobs[i]), 0);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 3; i++)
        assert_int_equal(jobs[i].failures, 0);
    LPSPropValue c = fx_get(inbox, PR_CONTENT_COUNT);
    assert_int_equal(c->Value.l, 450);
    MAPIFreeBuffer(c);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM attachments),"
                                            " (SELECT count(*) FROM streams WHERE owner_kind = 3)",
                                        -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 450);
    assert_int_equal(sqlite3_column_int(st, 1), 450);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--writer") == 0)
        return run_writer(argv[2], atoi(argv[3]), argv[4]);
    if (realpath(argv[0], self_path) == NULL)
        snprintf(self_path, sizeof self_path, "%s", argv[0]);
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_full_disk_fails_the_save_and_keeps_the_store),
        cmocka_unit_test(a_truncated_store_file_is_a_corrupt_store_not_a_crash),
        cmocka_unit_test(writers_in_separate_programs_share_one_store),
        cmocka_unit_test(threads_sharing_one_store_do_not_mix_their_transactions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
