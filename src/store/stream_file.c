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

HRESULT fm_stream_file_open(fm_db *db, int64_t sid, int mode, int *fd)
{
    char path[4200];
    *fd = -1;
    if (!fm_stream_file_path(db, sid, path, sizeof path))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "the store path is too long");
    int flags = O_CLOEXEC | (mode == FM_STREAM_FILE_READ ? O_RDONLY : O_RDWR);
    if (mode == FM_STREAM_FILE_CREATE) {
        /* The directory appears with the store's first large stream. */
        char *slash = strrchr(path, '/');
        *slash = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return io_error(errno, "creating the store's stream directory");
        *slash = '/';
        flags |= O_CREAT | O_TRUNC;
    }
    *fd = open(path, flags, 0666);
    if (*fd >= 0)
        return S_OK;
    if (errno == ENOENT)
        return fm_error_set(MAPI_E_CORRUPT_STORE, "the file of stream %lld is missing (%s)",
                            (long long)sid, path);
    return io_error(errno, "opening a stream file");
}

HRESULT fm_stream_file_write(int fd, const void *buf, size_t n, uint64_t off)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = pwrite(fd, p, n, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return io_error(w < 0 ? errno : ENOSPC, "writing a stream file");
        p += w;
        n -= (size_t)w;
        off += (uint64_t)w;
    }
    return S_OK;
}

HRESULT fm_stream_file_read(int fd, int64_t sid, void *buf, size_t n, uint64_t off)
{
    char *p = buf;
    while (n > 0) {
        ssize_t r = pread(fd, p, n, (off_t)off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return io_error(errno, "reading a stream file");
        if (r == 0)
            return fm_error_set(MAPI_E_CORRUPT_STORE,
                                "the file of stream %lld is shorter than the stream",
                                (long long)sid);
        p += r;
        n -= (size_t)r;
        off += (uint64_t)r;
    }
    return S_OK;
}

HRESULT fm_stream_file_sync(int fd)
{
    return fdatasync(fd) == 0 ? S_OK : io_error(errno, "writing a stream file to disk");
}

HRESULT fm_stream_file_truncate(int fd, uint64_t size)
{
    return ftruncate(fd, (off_t)size) == 0 ? S_OK : io_error(errno, "resizing a stream file");
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
        unlink(path);
}
