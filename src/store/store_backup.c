/*
 * store/store_backup.c - fmapi_store_backup and fmapi_store_restore: a safe
 * copy of a store while it is in use, and putting one back
 * (include/freemapi_store.h).
 *
 * A store is its file, the file's -wal (committed mail may live there until
 * a checkpoint) and its `<store>-streams/` directory, so copying the .fmdb
 * alone loses mail. The copy is made through SQLite's online backup API
 * from a connection of its own, which reads one snapshot however the store
 * changes meanwhile; the stream files that snapshot names are then copied.
 * A committed stream file is never changed (writes go to a new scratch
 * stream), so a copy of it is the file as the snapshot knew it; one that
 * vanished meanwhile (purged by another process) means the snapshot is
 * stale, and the copy starts again from a new one.
 *
 * Nothing half-made is ever at the target: the copy is built under a
 * private temporary name in the target's directory, synced, its streams
 * directory renamed into place and the file linked last, so a target either
 * does not exist or is a whole store. An existing target is never
 * overwritten.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/io.h"
#include "db/db.h"
#include "freemapi_store.h"
#include "mapicode.h"
#include "store/object.h"
#include "store/schema.h"
#include "store/store.h"

#define BACKUP_TRIES 5
#define PATH_CAP 4200

/* Stream files of the snapshot (chunk -1 marks one, store/stream_chunks.c). */
static const char FILE_SIDS_SQL[] =
    "SELECT sid FROM streams st WHERE EXISTS "
    "(SELECT 1 FROM stream_chunks c WHERE c.sid = st.sid AND c.seq = -1)";

static HRESULT io_error(int err, const char *what, const char *path)
{
    HRESULT hr = MAPI_E_DISK_ERROR;
    if (err == ENOSPC || err == EDQUOT || err == EFBIG)
        hr = MAPI_E_NOT_ENOUGH_DISK;
    else if (err == EACCES || err == EPERM || err == EROFS)
        hr = MAPI_E_NO_ACCESS;
    else if (err == ENOENT || err == ENOTDIR)
        hr = MAPI_E_NOT_FOUND;
    else if (err == ENOMEM)
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    return fm_error_set(hr, "%s %s: %s", what, path, strerror(err));
}

static bool exists_at(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Copies the file src to dst (created 0600, never through a link), synced. */
static HRESULT copy_file(const char *src, const char *dst)
{
    int in = fm_io_openat(AT_FDCWD, src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
    if (in < 0)
        return io_error(errno, "reading", src);
    int out = fm_io_openat(AT_FDCWD, dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                           0600);
    if (out < 0) {
        HRESULT hr = io_error(errno, "creating", dst);
        fm_io_close(in);
        return hr;
    }
    HRESULT hr = S_OK;
    BYTE buf[65536];
    for (uint64_t off = 0;;) {
        ssize_t n = fm_io_pread_full(in, buf, sizeof buf, off);
        if (n < 0) {
            hr = io_error(errno, "reading", src);
            break;
        }
        if (n == 0)
            break;
        if (fm_io_write_all(out, buf, (size_t)n) != 0) {
            hr = io_error(errno, "writing", dst);
            break;
        }
        off += (uint64_t)n;
    }
    if (hr == S_OK && fm_io_fsync(out) != 0)
        hr = io_error(errno, "writing to disk", dst);
    fm_io_close(out);
    fm_io_close(in);
    return hr;
}

static void sync_dir(const char *dir)
{
    int fd = fm_io_openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd >= 0) {
        (void)fm_io_fsync(fd);
        fm_io_close(fd);
    }
}

static void dir_of(const char *path, char *dir, size_t cap)
{
    snprintf(dir, cap, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash != NULL)
        *slash = '\0';
    else
        snprintf(dir, cap, ".");
}

/* Removes a copy under construction: its streams, its file, its WAL. */
static void remove_copy(const char *tmp)
{
    char p[PATH_CAP + 64];
    snprintf(p, sizeof p, "%s-streams", tmp);
    DIR *d = opendir(p);
    if (d != NULL) {
        for (struct dirent *e; (e = readdir(d)) != NULL;) {
            if (e->d_name[0] != '.')
                (void)unlinkat(dirfd(d), e->d_name, 0);
        }
        closedir(d);
        (void)rmdir(p);
    }
    static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(p, sizeof p, "%s%s", tmp, suffixes[i]);
        (void)unlink(p);
    }
}

/* The stream files the copy names, read through its connection dst. */
static HRESULT list_files(sqlite3 *dst, const char *tmp, int64_t **sids, size_t *n)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = sqlite3_prepare_v2(dst, FILE_SIDS_SQL, -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            int64_t *grown = fm_realloc(*sids, cap * sizeof **sids);
            if (grown == NULL) {
                rc = SQLITE_NOMEM;
                break;
            }
            *sids = grown;
        }
        (*sids)[(*n)++] = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE || rc == SQLITE_OK)
        return S_OK;
    return fm_error_set(rc == SQLITE_NOMEM ? MAPI_E_NOT_ENOUGH_MEMORY : MAPI_E_DISK_ERROR,
                        "reading the copy %s: %s", tmp,
                        rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(dst));
}

/* Copies every page of src's current snapshot into the new file tmp, and
 * lists the stream files that snapshot names (*sids, fm_free'd by the
 * caller, also on failure). */
static HRESULT copy_pages(fm_db *src, const char *tmp, int64_t **sids, size_t *nsids)
{
    int fd = fm_io_openat(AT_FDCWD, tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return io_error(errno, "creating", tmp);
    fchmod(fd, 0600); /* whatever the umask: it holds mail */
    sqlite3 *dst = NULL;
    HRESULT hr = S_OK;
    int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL);
    sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(dst, "main", src->conn, "main")
                                        : NULL;
    if (b == NULL) {
        if (rc == SQLITE_OK)
            rc = sqlite3_errcode(dst); /* why sqlite3_backup_init failed */
        hr = fm_error_set(dst == NULL ? MAPI_E_NOT_ENOUGH_MEMORY
                                      : fm_db_map_result(rc, sqlite3_system_errno(dst)),
                          "copying the store into %s: %s", tmp,
                          dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
    } else {
        do {
            rc = sqlite3_backup_step(b, -1); /* one step: one snapshot */
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                sqlite3_sleep(20);
        } while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
        int frc = sqlite3_backup_finish(b);
        if (rc == SQLITE_DONE)
            rc = frc;
        if (rc != SQLITE_OK && rc != SQLITE_DONE) {
            HRESULT code = fm_db_map_result(rc, sqlite3_system_errno(dst));
            hr = fm_error_set(code, "copying the store into %s: %s", tmp,
                              code == MAPI_E_NOT_ENOUGH_DISK ? "the disk is full"
                                                             : sqlite3_errmsg(dst));
        }
    }
    if (hr == S_OK)
        hr = list_files(dst, tmp, sids, nsids);
    /* the copy is a WAL store like every other; closing checkpoints it */
    if (hr == S_OK && (rc = sqlite3_exec(dst, "PRAGMA journal_mode=WAL", NULL, NULL, NULL)) !=
                          SQLITE_OK)
        hr = fm_error_set(fm_db_map_result(rc, sqlite3_system_errno(dst)),
                          "copying the store into %s: %s", tmp, sqlite3_errmsg(dst));
    /* all of it into the file, which is then used without its -wal */
    if (hr == S_OK && (rc = sqlite3_wal_checkpoint_v2(dst, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL,
                                                      NULL)) != SQLITE_OK)
        hr = fm_error_set(fm_db_map_result(rc, sqlite3_system_errno(dst)),
                          "copying the store into %s: %s", tmp, sqlite3_errmsg(dst));
    sqlite3_close_v2(dst);
    char wal[PATH_CAP + 8];
    struct stat wst;
    snprintf(wal, sizeof wal, "%s-wal", tmp);
    if (hr == S_OK && stat(wal, &wst) == 0 && wst.st_size > 0)
        hr = fm_error_set(MAPI_E_DISK_ERROR, "copying the store into %s: the copy could not be "
                                             "written into its file", tmp);
    if (hr == S_OK && fm_io_fsync(fd) != 0)
        hr = io_error(errno, "writing to disk", tmp);
    fm_io_close(fd);
    return hr;
}

/* Copies the stream files sids from src's directory into tmp's.
 * *stale: one is gone, so the snapshot is older than the files. */
static HRESULT copy_streams(const char *src_path, const char *tmp, const int64_t *sids,
                            size_t n, bool *stale)
{
    *stale = false;
    char dir[PATH_CAP + 64], from[PATH_CAP + 96], to[PATH_CAP + 96];
    snprintf(dir, sizeof dir, "%s-streams", tmp);
    if (fm_io_mkdirat(AT_FDCWD, dir, 0700) != 0)
        return io_error(errno, "creating", dir);
    HRESULT hr = S_OK;
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        snprintf(from, sizeof from, "%s-streams/%lld", src_path, (long long)sids[i]);
        snprintf(to, sizeof to, "%s/%lld", dir, (long long)sids[i]);
        hr = copy_file(from, to);
        if (hr == MAPI_E_NOT_FOUND && !exists_at(from))
            *stale = true;
    }
    if (hr == S_OK)
        sync_dir(dir);
    return hr;
}

/* Puts the finished copy at tmp in place at dst: streams first, the file
 * last, so a store at dst is always whole. */
static HRESULT put_in_place(const char *tmp, const char *dst)
{
    char from[PATH_CAP + 64], to[PATH_CAP + 64], dir[PATH_CAP];
    snprintf(from, sizeof from, "%s-streams", tmp);
    snprintf(to, sizeof to, "%s-streams", dst);
    if (fm_io_renameat(AT_FDCWD, from, AT_FDCWD, to) != 0)
        return io_error(errno, "creating", to);
    if (link(tmp, dst) != 0) {
        HRESULT hr = errno == EEXIST
                         ? fm_error_set(MAPI_E_COLLISION, "%s appeared while it was made", dst)
                         : io_error(errno, "creating", dst);
        (void)fm_io_renameat(AT_FDCWD, to, AT_FDCWD, from);
        return hr;
    }
    remove_copy(tmp); /* its name, and an empty -wal a failed close may leave */
    dir_of(dst, dir, sizeof dir);
    sync_dir(dir);
    return S_OK;
}

/* Copies the store file src_path (open as src) to the new store dst. */
static HRESULT copy_store(fm_db *src, const char *src_path, const char *dst)
{
    char streams[PATH_CAP + 64], tmp[PATH_CAP];
    snprintf(streams, sizeof streams, "%s-streams", dst);
    if (exists_at(dst) || exists_at(streams))
        return fm_error_set(MAPI_E_COLLISION, "%s exists: a copy never replaces a file "
                                              "(remove or move it first)", exists_at(dst) ? dst
                                                                                    : streams);
    static unsigned counter;
    int n = snprintf(tmp, sizeof tmp, "%s.fm-new-%ld-%u", dst, (long)getpid(),
                     __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
    if (n <= 0 || (size_t)n >= sizeof tmp)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "the path %s is too long", dst);
    HRESULT hr = MAPI_E_BUSY;
    for (int tries = 0; tries < BACKUP_TRIES; tries++) {
        bool stale = false;
        int64_t *sids = NULL;
        size_t nsids = 0;
        hr = copy_pages(src, tmp, &sids, &nsids);
        if (hr == S_OK)
            hr = copy_streams(src_path, tmp, sids, nsids, &stale);
        fm_free(sids);
        if (hr == S_OK)
            hr = put_in_place(tmp, dst);
        if (hr != S_OK)
            remove_copy(tmp);
        if (!stale)
            return hr;
    }
    return fm_error_set(MAPI_E_BUSY, "the store %s changed under every copy of it (%d tries): "
                                     "try again", src_path, BACKUP_TRIES);
}

/* The connection copies read from: a snapshot of their own, so a copy
 * never waits for, and never sees half of, the caller's transactions. */
static HRESULT open_source(const char *path, fm_db **out)
{
    return fm_db_open(path, FM_DB_READONLY, &FM_STORE_SCHEMA, out);
}

FREEMAPI_PUBLIC HRESULT fmapi_store_backup(LPMDB lpMDB, const char *lpszPath, ULONG ulFlags)
{
    if (lpMDB == NULL || lpszPath == NULL || lpszPath[0] == '\0')
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_store_backup: %s",
                            lpMDB == NULL ? "lpMDB is NULL" : "the backup path is empty");
    if (ulFlags != 0)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "fmapi_store_backup: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    fm_object *o = fm_object_of(lpMDB);
    if (o->cls->obj_type != MAPI_STORE)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_store_backup: not a message store");
    fm_db *src = NULL;
    HRESULT hr = open_source(o->store->db->path, &src);
    if (hr == S_OK)
        hr = copy_store(src, o->store->db->path, lpszPath);
    fm_db_close(src);
    return hr;
}

FREEMAPI_PUBLIC HRESULT fmapi_store_restore(const char *lpszBackup, const char *lpszPath,
                                           ULONG ulFlags)
{
    if (lpszBackup == NULL || lpszPath == NULL || lpszBackup[0] == '\0' || lpszPath[0] == '\0')
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_store_restore: a path is empty");
    if (ulFlags != 0)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "fmapi_store_restore: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    fm_db *src = NULL;
    HRESULT hr = open_source(lpszBackup, &src); /* refuses what is not a store */
    if (hr == S_OK)
        hr = copy_store(src, lpszBackup, lpszPath);
    fm_db_close(src);
    return hr;
}
