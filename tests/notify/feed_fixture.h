/*
 * tests/notify/feed_fixture.h - a stand-in store for the cross-process feed
 * tests: a plain SQLite file with a `changes` table and the notification
 * log, written the way the message store writes (the change and its event
 * in one transaction), and a deliver function that turns records into
 * object notifications keyed by folder (as the store does, with 8-byte
 * "entry IDs" holding the id). Child processes run the same test binary
 * with a role argument (so they start clean, as other programs would).
 */
#ifndef FREEMAPI_TESTS_NOTIFY_FEED_FIXTURE_H
#define FREEMAPI_TESTS_NOTIFY_FEED_FIXTURE_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "notify/feed.h"
#include "notify_fixture.h"
#include "db/db.h"

/* ---- the stand-in store ------------------------------------------------------------ */

typedef struct fxs {
    sqlite3 *db;
    fm_feed *feed;
    char path[1024];
} fxs;

static inline void fxs_deliver(fm_feed *f, void *ctx, uint64_t seq, const fm_notify_record *r)
{
    int64_t id = r->id, parent = r->parent;
    NOTIFICATION n = nx_object(r->event, &id, &parent);
    uint64_t keys[] = { 0, (uint64_t)r->parent };
    fm_notify_source *src = fm_feed_source(f);
    fm_notify_event *e;
    if (fm_notify_event_new(&n, &e) != S_OK) {
        fm_notify_post_lost(src, keys, 2, r->event);
        return;
    }
    fm_notify_post(src, keys, 2, e);
    fm_notify_event_release(e);
}

static inline void fxs_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", fm_test_tmpdir(), name);
}

static inline HRESULT fxs_hr(int rc)
{
    return rc == SQLITE_OK      ? S_OK
           : rc == SQLITE_NOMEM ? MAPI_E_NOT_ENOUGH_MEMORY
           : rc == SQLITE_BUSY  ? MAPI_E_BUSY
                                : MAPI_E_CALL_FAILED;
}

static inline HRESULT fxs_open(fxs *s, const char *path)
{
    memset(s, 0, sizeof *s);
    fm_db_memory_is_accounted(); /* SQLite on freemapi's allocator, as the store has it */
    snprintf(s->path, sizeof s->path, "%s", path);
    HRESULT hr = fxs_hr(
        sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL));
    if (hr != S_OK)
        return hr;
    sqlite3_busy_timeout(s->db, 30000);
    hr = fxs_hr(sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", NULL,
                             NULL, NULL));
    if (hr == S_OK)
        hr = fxs_hr(sqlite3_exec(s->db,
                                 "CREATE TABLE IF NOT EXISTS changes(seq INTEGER PRIMARY KEY "
                                 "AUTOINCREMENT, id INTEGER, folder INTEGER)",
                                 NULL, NULL, NULL));
    if (hr == S_OK)
        hr = fm_feed_log_create(s->db);
    if (hr == S_OK)
        hr = fm_feed_open(path, fxs_deliver, NULL, 0, &s->feed);
    return hr;
}

static inline void fxs_close(fxs *s)
{
    fm_feed_release(s->feed);
    sqlite3_close_v2(s->db);
    s->db = NULL;
    s->feed = NULL;
}

/* How far a change gets before the writer stops (the kill tests). */
enum { FXS_ALL, FXS_DIE_BEFORE_COMMIT, FXS_DIE_AFTER_COMMIT, FXS_ROLLBACK };

/* One change: a row of `changes` and its ObjectCreated event, in one
 * transaction, as the message store writes it. */
static inline HRESULT fxs_change_as(fxs *s, int64_t id, int64_t folder, int how)
{
    HRESULT hr = fxs_hr(sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL));
    if (hr != S_OK)
        return hr;
    char sql[128];
    snprintf(sql, sizeof sql, "INSERT INTO changes(id, folder) VALUES(%lld, %lld)",
             (long long)id, (long long)folder);
    hr = fxs_hr(sqlite3_exec(s->db, sql, NULL, NULL, NULL));
    fm_feed_txn t = { 0 };
    fm_notify_record r = { .event = fnevObjectCreated, .obj_type = MAPI_MESSAGE, .id = id,
                           .parent = folder };
    if (hr == S_OK && fm_feed_txn_wanted(&t, s->feed))
        hr = fm_feed_txn_record(&t, &r);
    fm_feed_sql q = { .conn = s->db };
    if (hr == S_OK)
        hr = fm_feed_txn_flush(&t, &q);
    if (how == FXS_DIE_BEFORE_COMMIT)
        raise(SIGKILL);
    bool committed = false;
    if (hr == S_OK && how != FXS_ROLLBACK) {
        hr = fxs_hr(sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL));
        committed = hr == S_OK;
    }
    if (!committed)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    if (how == FXS_DIE_AFTER_COMMIT)
        raise(SIGKILL);
    fm_feed_txn_end(&t, committed);
    return hr;
}

static inline HRESULT fxs_change(fxs *s, int64_t id, int64_t folder)
{
    return fxs_change_as(s, id, folder, FXS_ALL);
}

static inline int64_t fxs_count(fxs *s, const char *sql)
{
    sqlite3_stmt *st;
    int64_t n = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The ids of `changes` in commit order (malloc'd, *n of them). */
static inline int64_t *fxs_commit_order(fxs *s, size_t *n)
{
    *n = 0;
    size_t cap = 1024;
    int64_t *ids = malloc(cap * sizeof *ids);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT id FROM changes ORDER BY seq", -1, &st,
                                        NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap)
            ids = realloc(ids, (cap *= 2) * sizeof *ids);
        ids[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return ids;
}

/* ---- processes and files ----------------------------------------------------------- */

static inline void fx_sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static inline bool fx_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

static inline void fx_touch(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT, 0600);
    if (fd >= 0)
        close(fd);
}

/* Waits (bounded: 60 s) for a file to appear; false if it never did. */
static inline bool fx_wait_file(const char *path)
{
    for (int i = 0; i < 6000 && !fx_exists(path); i++)
        fx_sleep_ms(10);
    return fx_exists(path);
}

/* Runs this test binary again with a role and its arguments. */
static inline pid_t fx_spawn(const char *const *args)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char self[4096];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n <= 0)
            _exit(127);
        self[n] = '\0';
        char *argv[16];
        int i = 0;
        argv[i++] = self;
        for (; args[i - 1] != NULL && i < 15; i++)
            argv[i] = (char *)args[i - 1];
        argv[i] = NULL;
        execv(self, argv);
        _exit(127);
    }
    return pid;
}

static inline int fx_wait_exit(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Writes ids to path, one per line (a child's report). */
static inline void fx_write_ids(const char *path, NOTIFICATION *const *seen, size_t n)
{
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (f == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%lld\n", (long long)nx_id(seen[i]));
    fclose(f);
    rename(tmp, path);
}

static inline int64_t *fx_read_ids(const char *path, size_t *n)
{
    *n = 0;
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    size_t cap = 1024;
    int64_t *ids = malloc(cap * sizeof *ids);
    long long v;
    while (fscanf(f, "%lld", &v) == 1) {
        if (*n == cap)
            ids = realloc(ids, (cap *= 2) * sizeof *ids);
        ids[(*n)++] = v;
    }
    fclose(f);
    return ids;
}

#endif /* FREEMAPI_TESTS_NOTIFY_FEED_FIXTURE_H */
