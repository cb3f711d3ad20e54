/*
 * tests/store/test_crash.c - a writer killed at any moment leaves the store
 * consistent: after each SIGKILL the file passes PRAGMA integrity_check,
 * the next open collects the dead writer's scratch streams, and every
 * message is either whole (all its properties, recipients and attachment
 * data consistent with each other) or absent. Every fourth message has an
 * attachment large enough to be kept in a companion file: after the
 * collection, every such file belongs to a saved stream.
 */
#include <dirent.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>

#include "store/entryid.h"
#include "store/stream_file.h"
#include "store_fixture.h"

#define ROUNDS 25
#define DATA_LEN 20000 /* a few chunks' worth would be slow; this spans pages */
#define FILE_LEN (FM_STREAM_FILE_MIN + 4321)

static size_t data_len(long n)
{
    return n % 4 == 0 ? FILE_LEN : DATA_LEN;
}

static BYTE pattern(long n, size_t i)
{
    return (BYTE)(n * 31 + i * 7);
}

/* The child: writes numbered messages until it is killed. */
static _Noreturn void writer(const char *path, long first)
{
    LPMDB mdb = NULL;
    if (fmapi_store_open(path, 0, &mdb) != S_OK)
        fm_test_child_exit(10);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    static BYTE data[FILE_LEN];
    for (long n = first;; n++) {
        LPMESSAGE m = NULL;
        if (IMAPIFolder_CreateMessage(inbox, NULL, 0, &m) != S_OK)
            fm_test_child_exit(11);
        char subject[64];
        snprintf(subject, sizeof subject, "msg %ld", n);
        SPropValue p[] = { { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = subject },
                           { .ulPropTag = PR_IMPORTANCE, .Value.l = (LONG)(n % 3) },
                           { .ulPropTag = PROP_TAG(PT_LONG, 0x6100), .Value.l = (LONG)n } };
        IMessage_SetProps(m, 3, p, NULL);
        SPropValue r[] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = subject },
                           { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO } };
        SizedADRLIST(1, list) = { 1, { { 0, 2, r } } };
        IMessage_ModifyRecipients(m, MODRECIP_ADD, (LPADRLIST)&list);
        ULONG num;
        LPATTACH a = NULL;
        if (IMessage_CreateAttach(m, NULL, 0, &num, &a) != S_OK)
            fm_test_child_exit(12);
        LPSTREAM s = NULL;
        IAttach_OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0, MAPI_CREATE | MAPI_MODIFY,
                             (LPUNKNOWN *)&s);
        for (size_t i = 0; i < data_len(n); i++)
            data[i] = pattern(n, i);
        ULONG w;
        IStream_Write(s, data, (ULONG)data_len(n), &w);
        IStream_Commit(s, 0);
        IStream_Release(s);
        IAttach_SaveChanges(a, 0);
        IAttach_Release(a);
        if (IMessage_SaveChanges(m, 0) != S_OK)
            fm_test_child_exit(13);
        IMessage_Release(m);
    }
}

static void integrity_ok(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* Every companion file is the data of an owned stream kept in a file. */
static void files_belong_to_streams(sqlite3 *db, const char *path)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s-streams", path);
    DIR *d = opendir(dir);
    if (d == NULL)
        return; /* no large stream was ever written */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM streams s JOIN stream_chunks c"
                                            " ON c.sid = s.sid AND c.seq = -1 WHERE s.sid = ?1"
                                            " AND s.owner_kind IS NOT NULL", -1, &st, NULL),
                     SQLITE_OK);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        sqlite3_bind_int64(st, 1, strtoll(e->d_name, NULL, 10));
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        if (sqlite3_column_int(st, 0) != 1)
            fail_msg("stream file %s belongs to no saved stream", e->d_name);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    closedir(d);
}

/* Every message there is whole; returns how many there are. */
static long check_messages(const char *path)
{
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, 0, &mdb), S_OK); /* collects scratch */
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    /* No stream may be left without an owner after the collection. */
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM streams WHERE owner_kind "
                                            "IS NULL OR owner_kind = 0", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT mid FROM messages", -1, &st, NULL), SQLITE_OK);
    long count = 0;
    static BYTE data[FILE_LEN + 16];
    MAPIUID uid;
    LPSPropValue rk = fx_get(mdb, PR_STORE_RECORD_KEY);
    memcpy(uid.ab, rk->Value.bin.lpb, sizeof uid.ab);
    MAPIFreeBuffer(rk);
    while (sqlite3_step(st) == SQLITE_ROW) {
        BYTE eid[FM_EID_SIZE];
        fm_entryid_write(&uid, FM_EID_MESSAGE, (uint64_t)sqlite3_column_int64(st, 0), eid);
        ULONG type;
        LPMESSAGE m = NULL;
        assert_int_equal(IMsgStore_OpenEntry(mdb, sizeof eid, (LPENTRYID)eid, NULL, 0, &type,
                                             (LPUNKNOWN *)&m), S_OK);
        LPSPropValue nv = fx_get(m, PROP_TAG(PT_LONG, 0x6100));
        long n = nv->Value.l;
        MAPIFreeBuffer(nv);
        char subject[64];
        snprintf(subject, sizeof subject, "msg %ld", n);
        fx_assert_string(m, PR_SUBJECT, subject);
        fx_assert_string(m, PR_DISPLAY_TO, subject);
        LPATTACH a = NULL;
        assert_int_equal(IMessage_OpenAttach(m, 0, NULL, 0, &a), S_OK);
        LPSTREAM s = NULL;
        assert_int_equal(IAttach_OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0,
                                              (LPUNKNOWN *)&s), S_OK);
        ULONG got = 0, total = 0;
        do {
            assert_int_equal(IStream_Read(s, data + total, sizeof data - total, &got), S_OK);
            total += got;
        } while (got > 0 && total < sizeof data);
        assert_int_equal(total, data_len(n));
        for (size_t i = 0; i < data_len(n); i++)
            assert_int_equal(data[i], pattern(n, i));
        IStream_Release(s);
        IAttach_Release(a);
        IMessage_Release(m);
        count++;
    }
    sqlite3_finalize(st);
    files_belong_to_streams(db, path);
    sqlite3_close(db);
    IMsgStore_Release(mdb);
    return count;
}

static void a_writer_killed_at_any_moment_leaves_whole_messages(void **state)
{
    const char *path = fx_store_path("crash");
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    IMsgStore_Release(mdb);
    unsigned seed = (unsigned)time(NULL);
    const char *env = getenv("FREEMAPI_TEST_SEED");
    if (env != NULL)
        seed = (unsigned)strtoul(env, NULL, 10);
    print_message("seed %u (FREEMAPI_TEST_SEED replays it)\n", seed);
    srand(seed);
    long before = 0;
    for (int round = 0; round < ROUNDS; round++) {
        pid_t child = fork();
        assert_true(child >= 0);
        if (child == 0)
            writer(path, 1000L * round);
        struct timespec ts = { 0, (long)(rand() % 60 + 5) * 1000000L };
        nanosleep(&ts, NULL);
        kill(child, SIGKILL);
        int status;
        waitpid(child, &status, 0);
        assert_true(WIFSIGNALED(status)); /* it was still writing: killed mid-work */
        integrity_ok(path);
        long now = check_messages(path);
        assert_true(now >= before); /* saved messages never disappear */
        before = now;
    }
    print_message("%ld whole messages after %d kills\n", before, ROUNDS);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_writer_killed_at_any_moment_leaves_whole_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
