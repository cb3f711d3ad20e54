/*
 * tests/store/test_stream_file.c - large streams kept in companion files
 * (src/store/stream_file.c and the file paths of stream.c and
 * stream_chunks.c): moving past FM_STREAM_FILE_MIN, reading back, writing
 * over a stored file stream, Revert, SetSize, copies into chunk rows, drops
 * that wait for their transaction, collection after a killed writer, a full
 * disk, damaged files, leaks and out-of-memory.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fm_test.h"
#include "mapicode.h"
#include "mapix.h"
#include "store/stream.h"
#include "store/stream_file.h"

#define TAG_DATA PROP_TAG(PT_BINARY, 0x3701)
#define KIND FM_STREAM_OWNER_ATTACHMENT
#define BIG (FM_STREAM_FILE_MIN + 3 * FM_STREAM_CHUNK + 17)

#define STREAM_FIXTURE_PREFIX "sfile"
#include "stream_fixture.h"

static HRESULT take_sid(void *ctx, ULONG tag, int64_t sid, uint64_t size)
{
    *(int64_t *)ctx = sid;
    return S_OK;
}

static BYTE pattern(uint64_t i, unsigned seed)
{
    return (BYTE)(i * 131u + i / 7919u + seed);
}

static int64_t count(const char *sql, int64_t param)
{
    int64_t n = -1;
    assert_int_equal(fm_db_select_int(db, sql, FM_DB_INTS(param), -1, &n, "counting"), S_OK);
    return n;
}

static bool file_exists(int64_t sid, off_t *size)
{
    char p[4200];
    struct stat sb;
    assert_true(fm_stream_file_path(db, sid, p, sizeof p));
    if (stat(p, &sb) != 0)
        return false;
    if (size != NULL)
        *size = sb.st_size;
    return true;
}

static bool in_file(int64_t sid)
{
    return count("SELECT count(*) FROM stream_chunks WHERE sid = ?1 AND seq = -1", sid) == 1;
}

static IStream *open_writer(fm_db *d, int64_t sid, unsigned mode, int64_t *committed)
{
    fm_stream_owner w = { committed, take_sid, NULL, NULL };
    IStream *s = NULL;
    assert_int_equal(fm_stream_open(d, sid, TAG_DATA, FM_STREAM_WRITE | mode, &w, &s), S_OK);
    return s;
}

static void write_pattern(IStream *s, uint64_t from, uint64_t size, unsigned seed)
{
    static BYTE buf[65536];
    for (uint64_t at = from; at < size; at += sizeof buf) {
        ULONG n = size - at < sizeof buf ? (ULONG)(size - at) : (ULONG)sizeof buf, w = 0;
        for (ULONG i = 0; i < n; i++)
            buf[i] = pattern(at + i, seed);
        assert_int_equal(IStream_Write(s, buf, n, &w), S_OK);
        assert_int_equal(w, n);
    }
}

/* Reads the stream from its start; byte i must be pattern(i, seed) below
 * `until` and zero from there to size. */
static void check(int64_t sid, uint64_t size, uint64_t until, unsigned seed)
{
    IStream *s = NULL;
    assert_int_equal(fm_stream_open(db, sid, TAG_DATA, FM_STREAM_READ, NULL, &s), S_OK);
    static BYTE buf[100000]; /* not a multiple of the chunk */
    uint64_t at = 0;
    ULONG got;
    do {
        assert_int_equal(IStream_Read(s, buf, sizeof buf, &got), S_OK);
        for (ULONG i = 0; i < got; i++)
            if (buf[i] != (at + i < until ? pattern(at + i, seed) : 0))
                fail_msg("byte %llu differs", (unsigned long long)(at + i));
        at += got;
    } while (got > 0);
    assert_int_equal(at, size);
    IStream_Release(s);
}

/* A file stream adopted by attachment 1. */
static int64_t stored(uint64_t size, unsigned seed)
{
    int64_t sid = 0;
    IStream *s = open_writer(db, 0, FM_STREAM_CREATE, &sid);
    write_pattern(s, 0, size, seed);
    assert_int_equal(IStream_Commit(s, STGC_DEFAULT), S_OK);
    IStream_Release(s);
    assert_int_equal(fm_stream_adopt(db, sid, KIND, 1, TAG_DATA), S_OK);
    return sid;
}

static void a_large_stream_moves_to_a_file_and_reads_back(void **state)
{
    int64_t small = stored(FM_STREAM_FILE_MIN, 1);
    assert_false(in_file(small)); /* at the limit: still rows */
    assert_false(file_exists(small, NULL));
    int64_t sid = stored(BIG, 2); /* replaces the small one */
    assert_true(in_file(sid));
    assert_int_equal(count("SELECT count(*) FROM stream_chunks WHERE sid = ?1", sid), 1);
    assert_int_equal(count("SELECT size FROM streams WHERE sid = ?1", sid), BIG);
    off_t fsize = 0;
    assert_true(file_exists(sid, &fsize));
    assert_int_equal(fsize, BIG);
    check(sid, BIG, BIG, 2);
    BYTE *all = NULL;
    ULONG cb = 0;
    assert_int_equal(fm_stream_read_all(db, sid, BIG, NULL, &all, &cb), S_OK);
    assert_int_equal(cb, BIG);
    assert_int_equal(all[BIG - 1], pattern(BIG - 1, 2));
    MAPIFreeBuffer(all);
    uint64_t size = 0;
    int64_t found = 0;
    assert_int_equal(fm_stream_find(db, KIND, 1, TAG_DATA, &found, &size), S_OK);
    assert_int_equal(found, sid);
    assert_int_equal(size, BIG);
}

static void writing_over_a_file_stream_works_on_a_copy_until_commit(void **state)
{
    int64_t sid = stored(BIG, 3);
    int64_t committed = 0;
    IStream *s = open_writer(db, sid, 0, &committed);
    LARGE_INTEGER at = { .QuadPart = 5 };
    assert_int_equal(IStream_Seek(s, at, STREAM_SEEK_SET, NULL), S_OK);
    assert_int_equal(IStream_Write(s, "XYZ", 3, NULL), S_OK);
    check(sid, BIG, BIG, 3); /* the stored value is untouched */
    assert_int_equal(IStream_Revert(s), S_OK);
    BYTE b[8];
    ULONG got;
    assert_int_equal(IStream_Seek(s, at, STREAM_SEEK_SET, NULL), S_OK);
    assert_int_equal(IStream_Read(s, b, 3, &got), S_OK);
    assert_int_equal(b[0], pattern(5, 3)); /* back to the stored file */
    assert_int_equal(IStream_Seek(s, at, STREAM_SEEK_SET, NULL), S_OK);
    assert_int_equal(IStream_Write(s, "XYZ", 3, NULL), S_OK);
    assert_int_equal(IStream_Commit(s, STGC_DEFAULT), S_OK);
    IStream_Release(s);
    assert_int_not_equal(committed, sid);
    assert_true(in_file(committed));
    assert_int_equal(fm_stream_adopt(db, committed, KIND, 1, TAG_DATA), S_OK);
    /* adopting outside a transaction removed the replaced value and its file */
    assert_int_equal(count("SELECT count(*) FROM streams WHERE sid = ?1", sid), 0);
    assert_false(file_exists(sid, NULL));
    IStream *r = NULL;
    assert_int_equal(fm_stream_open(db, committed, TAG_DATA, FM_STREAM_READ, NULL, &r), S_OK);
    assert_int_equal(IStream_Seek(r, at, STREAM_SEEK_SET, NULL), S_OK);
    assert_int_equal(IStream_Read(r, b, 4, &got), S_OK);
    assert_memory_equal(b, "XYZ", 3);
    assert_int_equal(b[3], pattern(8, 3));
    IStream_Release(r);
}

static void set_size_cuts_and_zero_extends_the_file(void **state)
{
    int64_t committed = 0;
    IStream *s = open_writer(db, 0, FM_STREAM_CREATE, &committed);
    write_pattern(s, 0, BIG, 4);
    ULARGE_INTEGER n = { .QuadPart = FM_STREAM_FILE_MIN + 10 };
    assert_int_equal(IStream_SetSize(s, n), S_OK);
    n.QuadPart = BIG + 5;
    assert_int_equal(IStream_SetSize(s, n), S_OK);
    assert_int_equal(IStream_Commit(s, STGC_DEFAULT), S_OK);
    IStream_Release(s);
    assert_true(in_file(committed));
    check(committed, BIG + 5, FM_STREAM_FILE_MIN + 10, 4);
    assert_int_equal(fm_stream_delete(db, committed), S_OK);
    assert_false(file_exists(committed, NULL));
    assert_int_equal(count("SELECT count(*) FROM stream_chunks WHERE sid = ?1", committed), 0);
}

static void a_drop_inside_a_transaction_keeps_the_file_until_it_commits(void **state)
{
    int64_t sid = stored(BIG, 5);
    assert_int_equal(fm_db_begin(db), S_OK);
    assert_int_equal(fm_stream_delete_owned(db, KIND, 1), S_OK);
    assert_int_equal(fm_stream_delete(db, sid), S_OK); /* nested: dropped, not removed */
    assert_true(file_exists(sid, NULL));
    fm_db_rollback(db);
    check(sid, BIG, BIG, 5); /* the rollback brought the value back, file and all */

    assert_int_equal(fm_db_begin(db), S_OK);
    assert_int_equal(fm_stream_delete_owned(db, KIND, 1), S_OK);
    assert_int_equal(fm_db_commit(db), S_OK);
    assert_true(file_exists(sid, NULL)); /* dropped, collected later */
    assert_int_equal(count("SELECT count(*) FROM streams WHERE owner_id = ?1", 0), 1);
    int64_t next = 0;
    IStream *s = open_writer(db, 0, FM_STREAM_CREATE, &next); /* a new stream collects */
    IStream_Release(s);
    assert_false(file_exists(sid, NULL));
    assert_int_equal(count("SELECT count(*) FROM streams WHERE sid = ?1", sid), 0);
    assert_int_equal(count("SELECT count(*) FROM stream_chunks WHERE sid = ?1", sid), 0);

    /* the same through the collection at open */
    sid = stored(BIG, 6);
    assert_int_equal(fm_db_begin(db), S_OK);
    assert_int_equal(fm_stream_delete_owned(db, KIND, 1), S_OK);
    assert_int_equal(fm_db_commit(db), S_OK);
    assert_int_equal(fm_stream_collect_garbage(db), S_OK);
    assert_false(file_exists(sid, NULL));
    assert_int_equal(count("SELECT count(*) FROM streams WHERE sid > ?1", 0), 0);
}

static void a_copy_inside_a_transaction_becomes_chunk_rows(void **state)
{
    int64_t sid = stored(BIG, 7), copy = 0;
    assert_int_equal(fm_db_begin(db), S_OK);
    assert_int_equal(fm_stream_copy(db, sid, KIND, 2, TAG_DATA, &copy), S_OK);
    assert_int_equal(fm_db_commit(db), S_OK);
    assert_false(in_file(copy));
    assert_false(file_exists(copy, NULL));
    assert_int_equal(count("SELECT count(*) FROM stream_chunks WHERE sid = ?1", copy),
                     (BIG + FM_STREAM_CHUNK - 1) / FM_STREAM_CHUNK);
    check(copy, BIG, BIG, 7);
    /* writing over the copy moves it to a file again */
    int64_t committed = 0;
    IStream *s = open_writer(db, copy, 0, &committed);
    assert_int_equal(IStream_Write(s, "a", 1, NULL), S_OK);
    assert_int_equal(IStream_Commit(s, STGC_DEFAULT), S_OK);
    IStream_Release(s);
    assert_true(in_file(committed));
    assert_int_equal(fm_stream_delete(db, committed), S_OK);
}

static void a_damaged_or_missing_file_is_a_corrupt_store(void **state)
{
    int64_t sid = stored(BIG, 8);
    char p[4200];
    assert_true(fm_stream_file_path(db, sid, p, sizeof p));
    assert_int_equal(truncate(p, FM_STREAM_CHUNK + 5), 0);
    IStream *s = NULL;
    assert_int_equal(fm_stream_open(db, sid, TAG_DATA, FM_STREAM_READ, NULL, &s), S_OK);
    static BYTE buf[4 * FM_STREAM_CHUNK];
    ULONG got = 0;
    assert_int_equal(IStream_Read(s, buf, sizeof buf, &got), MAPI_E_CORRUPT_STORE);
    assert_int_equal(got, FM_STREAM_CHUNK); /* what was there was read */
    IStream_Release(s);
    BYTE *all = NULL;
    ULONG cb = 0;
    assert_int_equal(fm_stream_read_all(db, sid, BIG, NULL, &all, &cb), MAPI_E_CORRUPT_STORE);
    int64_t committed = 0;
    fm_stream_owner w = { &committed, take_sid, NULL, NULL };
    assert_int_equal(fm_stream_open(db, sid, TAG_DATA, FM_STREAM_WRITE, &w, &s),
                     MAPI_E_CORRUPT_STORE);
    assert_int_equal(unlink(p), 0);
    assert_int_equal(fm_stream_open(db, sid, TAG_DATA, FM_STREAM_READ, NULL, &s), S_OK);
    assert_int_equal(IStream_Read(s, buf, 10, &got), MAPI_E_CORRUPT_STORE);
    assert_non_null(strstr(fmapi_last_error(), "missing"));
    IStream_Release(s);
}

/* Forked children: a writer killed while writing a file stream, and one
 * whose files may not grow past a limit (a full disk). */
static _Noreturn void child_write(int limit_mb)
{
    fm_db *mine;
    if (fm_db_open(store_path(store_number), 0, &FM_STORE_SCHEMA, &mine) != S_OK)
        fm_test_child_exit(2);
    int64_t committed = 0;
    fm_stream_owner w = { &committed, take_sid, NULL, NULL };
    IStream *s;
    if (fm_stream_open(mine, 0, TAG_DATA, FM_STREAM_WRITE, &w, &s) != S_OK)
        fm_test_child_exit(3);
    if (limit_mb > 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = { (rlim_t)limit_mb << 20, (rlim_t)limit_mb << 20 };
        setrlimit(RLIMIT_FSIZE, &rl);
    }
    static BYTE buf[65536];
    HRESULT hr = S_OK;
    for (int i = 0; i < 64 && hr == S_OK; i++) /* 4 MiB */
        hr = IStream_Write(s, buf, sizeof buf, NULL);
    if (hr == S_OK)
        hr = IStream_Commit(s, STGC_DEFAULT);
    if (limit_mb > 0)
    {
        if (hr != STG_E_MEDIUMFULL || strstr(fmapi_last_error(), "full") == NULL)
            fprintf(stderr, "child: 0x%08lx %s\n", (unsigned long)hr, fmapi_last_error());
        fm_test_child_exit(hr == STG_E_MEDIUMFULL && strstr(fmapi_last_error(), "full") ? 0 : 4);
    }
    kill(getpid(), SIGKILL);
    fm_test_child_exit(5);
}

static void a_killed_writers_file_is_collected(void **state)
{
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0)
        child_write(0);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    int64_t sid = count("SELECT max(sid) FROM streams WHERE owner_id > ?1", 0);
    assert_true(sid > 0);
    assert_true(file_exists(sid, NULL));
    assert_int_equal(fm_stream_collect_garbage(db), S_OK);
    assert_false(file_exists(sid, NULL));
    assert_int_equal(count("SELECT count(*) FROM streams WHERE sid > ?1", 0), 0);
    assert_int_equal(count("SELECT count(*) FROM stream_chunks WHERE sid > ?1", 0), 0);
}

static void a_full_disk_while_writing_a_file_is_medium_full(void **state)
{
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0)
        child_write(3); /* the rows part (1 MiB) fits, the file does not */
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- nobody let in: the directory and files are the owner's alone ---------------- */

static void streams_dir(char *buf, size_t cap)
{
    snprintf(buf, cap, "%s-streams", db->path);
}

static int64_t next_sid(void)
{
    return count("SELECT coalesce(max(sid), 0) + ?1 FROM streams", 1);
}

static void a_planted_symlink_in_the_stream_directory_is_never_followed(void **state)
{
    char dir[4200], victim[4300], link_path[4300];
    streams_dir(dir, sizeof dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(chmod(dir, 0777), 0); /* as another user could leave it */
    snprintf(victim, sizeof victim, "%s.victim", db->path);
    FILE *f = fopen(victim, "w");
    assert_non_null(f);
    fputs("secret", f);
    fclose(f);
    int64_t first = next_sid();
    for (int64_t sid = first; sid < first + 8; sid++) {
        snprintf(link_path, sizeof link_path, "%s/%lld", dir, (long long)sid);
        assert_int_equal(symlink(victim, link_path), 0);
    }
    int64_t sid = stored(BIG, 9);
    assert_true(in_file(sid));
    check(sid, BIG, BIG, 9);

    struct stat st;
    assert_int_equal(stat(victim, &st), 0);
    assert_int_equal(st.st_size, 6); /* untouched */
    snprintf(link_path, sizeof link_path, "%s/%lld", dir, (long long)sid);
    assert_int_equal(lstat(link_path, &st), 0);
    assert_true(S_ISREG(st.st_mode)); /* the link was replaced, not followed */
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700); /* tightened */
    unlink(victim);
}

static void stream_files_are_private_whatever_the_umask(void **state)
{
    mode_t old = umask(0);
    int64_t sid = stored(BIG, 4);
    umask(old);
    char dir[4200], p[4200];
    streams_dir(dir, sizeof dir);
    assert_true(fm_stream_file_path(db, sid, p, sizeof p));
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    /* And a umask that would leave the owner nothing changes nothing. */
    old = umask(0777);
    int64_t sid2 = stored(BIG, 5);
    umask(old);
    assert_true(fm_stream_file_path(db, sid2, p, sizeof p));
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    check(sid2, BIG, BIG, 5);
}

/* Writing past the file threshold into a directory that may not be used. */
static HRESULT write_big(void)
{
    int64_t committed = 0;
    IStream *s = open_writer(db, 0, FM_STREAM_CREATE, &committed);
    static BYTE buf[FM_STREAM_FILE_MIN + 100];
    memset(buf, 'z', sizeof buf);
    HRESULT hr = IStream_Write(s, buf, sizeof buf, NULL);
    if (hr == S_OK)
        hr = IStream_Commit(s, STGC_DEFAULT);
    IStream_Release(s);
    return hr;
}

static void a_stream_directory_that_is_a_symlink_is_refused(void **state)
{
    char dir[4200], elsewhere[4300];
    streams_dir(dir, sizeof dir);
    snprintf(elsewhere, sizeof elsewhere, "%s.elsewhere", db->path);
    assert_int_equal(mkdir(elsewhere, 0700), 0);
    assert_int_equal(symlink(elsewhere, dir), 0);
    assert_int_equal(write_big(), STG_E_ACCESSDENIED);
    assert_non_null(strstr(fmapi_last_error(), "symbolic link"));
    assert_int_equal(rmdir(elsewhere), 0); /* nothing was created in it */
}

static void a_stream_directory_of_another_user_is_refused(void **state)
{
    if (geteuid() != 0)
        skip(); /* only root can make a directory that belongs to someone else */
    char dir[4200];
    streams_dir(dir, sizeof dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(chown(dir, 65534, 65534), 0);
    assert_int_equal(write_big(), STG_E_ACCESSDENIED);
    assert_non_null(strstr(fmapi_last_error(), "another user"));
    assert_int_equal(rmdir(dir), 0); /* still empty */
}

static HRESULT write_big_commit_read(void *ctx)
{
    fm_db *d;
    HRESULT hr = fm_db_open(store_path(store_number), 0, &FM_STORE_SCHEMA, &d);
    if (hr != S_OK)
        return hr;
    int64_t committed = 0;
    fm_stream_owner w = { &committed, take_sid, NULL, NULL };
    IStream *s = NULL;
    static BYTE buf[FM_STREAM_FILE_MIN + 100];
    memset(buf, 'q', sizeof buf);
    ULONG got = 0;
    hr = fm_stream_open(d, 0, TAG_DATA, FM_STREAM_WRITE, &w, &s);
    if (hr == S_OK)
        hr = IStream_Write(s, buf, sizeof buf, NULL);
    if (hr == S_OK)
        hr = IStream_Commit(s, STGC_DEFAULT);
    if (s != NULL)
        IStream_Release(s);
    s = NULL;
    if (hr == S_OK)
        hr = fm_stream_open(d, committed, TAG_DATA, FM_STREAM_READ, NULL, &s);
    if (hr == S_OK)
        hr = IStream_Read(s, buf, sizeof buf, &got);
    if (hr == S_OK && (got != sizeof buf || buf[sizeof buf - 1] != 'q'))
        hr = MAPI_E_CALL_FAILED;
    if (s != NULL)
        IStream_Release(s);
    if (committed != 0) {
        HRESULT d_hr = fm_stream_delete(d, committed);
        if (hr == S_OK)
            hr = d_hr;
    }
    fm_db_close(d);
    return fm_stream_mapi_code(hr);
}

static void a_file_stream_survives_every_allocation_failure(void **state)
{
    fm_db_close(db); /* the sweep's body must be the only connection */
    unsigned points = fm_test_oom_sweep(write_big_commit_read, NULL);
    assert_true(points > 10);
    assert_int_equal(fm_db_open(store_path(store_number), 0, &FM_STORE_SCHEMA, &db), S_OK);
    /* Runs whose clean-up failed left scratch or dropped rows: collected
     * here (this process's own scratch only after it ends). */
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE streams SET owner_id = 0 WHERE owner_kind IS NULL");
    assert_int_equal(fm_db_exec(db, sql), S_OK);
    assert_int_equal(fm_stream_collect_garbage(db), S_OK);
    assert_int_equal(count("SELECT count(*) FROM streams WHERE sid > ?1", 0), 0);
    char dir[4200];
    snprintf(dir, sizeof dir, "%s-streams", store_path(store_number));
    assert_int_equal(rmdir(dir), 0); /* empty: no file outlived its stream */
}

int main(void)
{
    fm_db *warm;
    if (fm_db_open(store_path(0), FM_DB_CREATE, &FM_STORE_SCHEMA, &warm) == S_OK)
        fm_db_close(warm);
#define T(f) cmocka_unit_test_setup_teardown(f, open_store, close_store)
    const struct CMUnitTest tests[] = {
        T(a_large_stream_moves_to_a_file_and_reads_back),
        T(writing_over_a_file_stream_works_on_a_copy_until_commit),
        T(set_size_cuts_and_zero_extends_the_file),
        T(a_drop_inside_a_transaction_keeps_the_file_until_it_commits),
        T(a_copy_inside_a_transaction_becomes_chunk_rows),
        T(a_damaged_or_missing_file_is_a_corrupt_store),
        T(a_killed_writers_file_is_collected),
        T(a_full_disk_while_writing_a_file_is_medium_full),
        T(a_file_stream_survives_every_allocation_failure),
        T(a_planted_symlink_in_the_stream_directory_is_never_followed),
        T(stream_files_are_private_whatever_the_umask),
        T(a_stream_directory_that_is_a_symlink_is_refused),
        T(a_stream_directory_of_another_user_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
