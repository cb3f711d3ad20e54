/*
 * store/stream_file.c - reading and writing the companion files of large
 * streams (see stream_file.h): plain POSIX I/O with errno mapped to MAPI
 * codes and a line of text, the same way db/db_error.c maps SQLite's codes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/io.h"
#include "mapicode.h"
#include "store/stream_file.h"

static HRESULT io_error(int err, const char *what)
{
    if (err == ENOSPC || err == EDQUOT || err == EFBIG)
        return fm_error_set(MAPI_E_NOT_ENOUGH_DISK, "%s: the disk is full", what);
    if (err == EACCES || err == EPERM || err == EROFS)
        return fm_error_set(MAPI_E_NO_ACCESS, "%s: %s", what, strerror(err));
    if (err == ENOMEM)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "%s: %s", what, strerror(err));
    return fm_error_set(MAPI_E_DISK_ERROR, "%s: %s", what, strerror(err));
}

bool fm_stream_file_path(const fm_db *db, int64_t sid, char *buf, size_t cap)
{
    int n = snprintf(buf, cap, "%s-streams/%lld", db->path, (long long)sid);
    return n > 0 && (size_t)n < cap;
}

/* Whether the directory open at dfd may hold this store's streams: ours, a
 * real directory, and closed to everyone else (a wider one of ours is
 * tightened). A directory another user made, perhaps holding symlinks to
 * files of ours, is refused: nothing is ever created or opened in it. */
static HRESULT check_stream_dir(int dfd, const char *dir)
{
    struct stat st;
    if (fstat(dfd, &st) != 0)
        return io_error(errno, "checking the store's stream directory");
    if (!S_ISDIR(st.st_mode))
        return fm_error_set(MAPI_E_NO_ACCESS, "%s is not a directory", dir);
    if (st.st_uid != geteuid())
        return fm_error_set(MAPI_E_NO_ACCESS,
                            "the stream directory %s belongs to another user (uid %u): "
                            "refusing to use it", dir, (unsigned)st.st_uid);
    if ((st.st_mode & 07777) != 0700 && fchmod(dfd, 0700) != 0)
        return io_error(errno, "restricting the store's stream directory to its owner");
    return S_OK;
}

/* The store's stream directory, opened without following a symlink; with
 * create, made (0700, whatever the umask) when missing, and its parent
 * synced so that the directory outlives a power loss. */
static HRESULT open_stream_dir(const fm_db *db, bool create, int *dfd)
{
    char dir[4200];
    *dfd = -1;
    int n = snprintf(dir, sizeof dir, "%s-streams", db->path);
    if (n <= 0 || (size_t)n >= sizeof dir)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "the store path is too long");
    const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    *dfd = fm_io_openat(AT_FDCWD, dir, flags, 0);
    if (*dfd < 0 && errno == ENOENT && create) {
        if (fm_io_mkdirat(AT_FDCWD, dir, 0700) != 0 && errno != EEXIST)
            return io_error(errno, "creating the store's stream directory");
        *dfd = fm_io_openat(AT_FDCWD, dir, flags, 0);
        if (*dfd >= 0)
            fm_stream_file_sync_parent(dir);
    }
    if (*dfd < 0) {
        if (errno == ENOENT)
            return fm_error_set(MAPI_E_CORRUPT_STORE, "the stream directory %s is missing",
                                dir);
        if (errno == ELOOP || errno == ENOTDIR)
            return fm_error_set(MAPI_E_NO_ACCESS, "%s is a symbolic link or not a directory: "
                                "refusing to follow it", dir);
        return io_error(errno, "opening the store's stream directory");
    }
    HRESULT hr = check_stream_dir(*dfd, dir);
    if (hr != S_OK) {
        fm_io_close(*dfd);
        *dfd = -1;
    }
    return hr;
}

void fm_stream_file_sync_parent(const char *path)
{
    char dir[4200];
    const char *slash = strrchr(path, '/');
    size_t n = slash == NULL ? 1 : (size_t)(slash - path);
    if (n == 0)
        n = 1; /* "/x": the root */
    if (n >= sizeof dir)
        return;
    memcpy(dir, slash == NULL ? "." : path, n);
    dir[n] = '\0';
    int dfd = fm_io_openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (dfd >= 0) {
        (void)fm_io_fsync(dfd);
        fm_io_close(dfd);
    }
}

/* Creates the file of sid: O_EXCL and O_NOFOLLOW inside the checked
 * directory, 0600 whatever the umask, and the directory synced so that the
 * name is durable before any row names it. A file left by a transaction that
 * never committed (its sid can be handed out again) is replaced. */
static HRESULT create_stream_file(int dfd, const char *name, int *fd)
{
    const int flags = O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    *fd = fm_io_openat(dfd, name, flags, 0600);
    if (*fd < 0 && errno == EEXIST) {
        if (fm_io_unlinkat(dfd, name, 0) != 0 && errno != ENOENT)
            return io_error(errno, "removing a stale stream file");
        *fd = fm_io_openat(dfd, name, flags, 0600);
    }
    if (*fd < 0)
        return io_error(errno, "creating a stream file");
    if (fchmod(*fd, 0600) != 0 || fm_io_fsync(dfd) != 0) {
        HRESULT hr = io_error(errno, "creating a stream file");
        fm_io_close(*fd);
        *fd = -1;
        (void)fm_io_unlinkat(dfd, name, 0);
        return hr;
    }
    return S_OK;
}

HRESULT fm_stream_file_open(fm_db *db, int64_t sid, int mode, int *fd)
{
    char name[32];
    *fd = -1;
    snprintf(name, sizeof name, "%lld", (long long)sid);
    int dfd;
    HRESULT hr = open_stream_dir(db, mode == FM_STREAM_FILE_CREATE, &dfd);
    if (hr != S_OK)
        return hr;
    if (mode == FM_STREAM_FILE_CREATE) {
        hr = create_stream_file(dfd, name, fd);
        fm_io_close(dfd);
        return hr;
    }
    int flags = O_CLOEXEC | O_NOFOLLOW | (mode == FM_STREAM_FILE_READ ? O_RDONLY : O_RDWR);
    *fd = fm_io_openat(dfd, name, flags, 0);
    int err = errno;
    fm_io_close(dfd);
    if (*fd >= 0)
        return S_OK;
    if (err == ENOENT)
        return fm_error_set(MAPI_E_CORRUPT_STORE, "the file of stream %lld is missing (%s-streams/%s)",
                            (long long)sid, db->path, name);
    if (err == ELOOP)
        return fm_error_set(MAPI_E_NO_ACCESS, "the file of stream %lld is a symbolic link: "
                            "refusing to follow it", (long long)sid);
    return io_error(err, "opening a stream file");
}

HRESULT fm_stream_file_write(int fd, const void *buf, size_t n, uint64_t off)
{
    if (fm_io_pwrite_all(fd, buf, n, off) != 0)
        return io_error(errno, "writing a stream file");
    return S_OK;
}

HRESULT fm_stream_file_read(int fd, int64_t sid, void *buf, size_t n, uint64_t off)
{
    ssize_t r = fm_io_pread_full(fd, buf, n, off);
    if (r < 0)
        return io_error(errno, "reading a stream file");
    if ((size_t)r < n)
        return fm_error_set(MAPI_E_CORRUPT_STORE,
                            "the file of stream %lld is shorter than the stream",
                            (long long)sid);
    return S_OK;
}

HRESULT fm_stream_file_sync(int fd)
{
    return fm_io_fdatasync(fd) == 0 ? S_OK : io_error(errno, "writing a stream file to disk");
}

HRESULT fm_stream_file_truncate(int fd, uint64_t size)
{
    return fm_io_ftruncate(fd, size) == 0 ? S_OK : io_error(errno, "resizing a stream file");
}

HRESULT fm_stream_file_copy(int from, int to, int64_t sid, uint64_t size)
{
    char buf[16384];
    HRESULT hr = S_OK;
    for (uint64_t at = 0; hr == S_OK && at < size; at += sizeof buf) {
        size_t n = size - at < sizeof buf ? (size_t)(size - at) : sizeof buf;
        hr = fm_stream_file_read(from, sid, buf, n, at);
        if (hr == S_OK)
            hr = fm_stream_file_write(to, buf, n, at);
    }
    return hr;
}

void fm_stream_file_remove(const fm_db *db, int64_t sid)
{
    char path[4200];
    if (fm_stream_file_path(db, sid, path, sizeof path))
        (void)fm_io_unlinkat(AT_FDCWD, path, 0);
}
