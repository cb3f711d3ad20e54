/*
 * core/io.c - the wrapped file system calls of core/io.h.
 *
 * Each wrapper asks the hook first (when one is installed), then makes the
 * call. The hook is read with relaxed atomics: it is installed by a test
 * before the code under test runs, so no ordering with other data matters,
 * but a plain read racing a write would still be a data race.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/io.h"

static _Atomic(fm_io_hook_fn) io_hook;
static void *_Atomic io_hook_ctx;

void fm_io_set_hook(fm_io_hook_fn hook, void *ctx)
{
    atomic_store_explicit(&io_hook_ctx, ctx, memory_order_relaxed);
    atomic_store_explicit(&io_hook, hook, memory_order_relaxed);
}

/* 0 to proceed; else sets errno and returns -1. */
static int ask(fm_io_op op, int dirfd, int fd, const char *path, uint64_t off, size_t len)
{
    fm_io_hook_fn hook = atomic_load_explicit(&io_hook, memory_order_relaxed);
    if (hook == NULL)
        return 0;
    int err = hook(atomic_load_explicit(&io_hook_ctx, memory_order_relaxed), op, dirfd, fd,
                   path, off, len);
    if (err == 0)
        return 0;
    errno = err;
    return -1;
}

static void tell(fm_io_op op, int dirfd, int fd, const char *path)
{
    fm_io_hook_fn hook = atomic_load_explicit(&io_hook, memory_order_relaxed);
    if (hook != NULL)
        (void)hook(atomic_load_explicit(&io_hook_ctx, memory_order_relaxed), op, dirfd, fd,
                   path, 0, 0);
}

int fm_io_openat(int dirfd, const char *path, int flags, mode_t mode)
{
    if (ask(FM_IO_OPEN, dirfd, -1, path, (uint64_t)flags, 0) != 0)
        return -1;
    int fd;
    do
        fd = openat(dirfd, path, flags, mode);
    while (fd < 0 && errno == EINTR);
    if (fd >= 0)
        tell(FM_IO_OPENED, dirfd, fd, path);
    return fd;
}

int fm_io_close(int fd)
{
    if (fd < 0)
        return 0;
    tell(FM_IO_CLOSE, AT_FDCWD, fd, NULL);
    /* Linux releases the descriptor even when close reports EINTR: never
     * retry, another thread may already own the number. */
    return close(fd);
}

int fm_io_mkdirat(int dirfd, const char *path, mode_t mode)
{
    if (ask(FM_IO_MKDIR, dirfd, -1, path, 0, 0) != 0)
        return -1;
    return mkdirat(dirfd, path, mode);
}

int fm_io_renameat(int fromdir, const char *from, int todir, const char *to)
{
    if (ask(FM_IO_RENAME, fromdir, -1, from, 0, 0) != 0)
        return -1;
    return renameat(fromdir, from, todir, to);
}

int fm_io_unlinkat(int dirfd, const char *path, int flags)
{
    if (ask(FM_IO_UNLINK, dirfd, -1, path, 0, 0) != 0)
        return -1;
    return unlinkat(dirfd, path, flags);
}

int fm_io_fsync(int fd)
{
    if (ask(FM_IO_SYNC, AT_FDCWD, fd, NULL, 0, 0) != 0)
        return -1;
    int rc;
    do
        rc = fsync(fd);
    while (rc != 0 && errno == EINTR);
    return rc;
}

int fm_io_fdatasync(int fd)
{
    if (ask(FM_IO_SYNC, AT_FDCWD, fd, NULL, 0, 0) != 0)
        return -1;
    int rc;
    do
        rc = fdatasync(fd);
    while (rc != 0 && errno == EINTR);
    return rc;
}

int fm_io_ftruncate(int fd, uint64_t size)
{
    if (ask(FM_IO_TRUNCATE, AT_FDCWD, fd, NULL, size, 0) != 0)
        return -1;
    int rc;
    do
        rc = ftruncate(fd, (off_t)size);
    while (rc != 0 && errno == EINTR);
    return rc;
}

int fm_io_pwrite_all(int fd, const void *buf, size_t n, uint64_t off)
{
    const char *p = buf;
    while (n > 0) {
        if (ask(FM_IO_WRITE, AT_FDCWD, fd, NULL, off, n) != 0)
            return -1;
        ssize_t w = pwrite(fd, p, n, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC;
            return -1;
        }
        p += w;
        n -= (size_t)w;
        off += (uint64_t)w;
    }
    return 0;
}

int fm_io_write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        if (ask(FM_IO_WRITE, AT_FDCWD, fd, NULL, UINT64_MAX, n) != 0)
            return -1;
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

ssize_t fm_io_pread_full(int fd, void *buf, size_t n, uint64_t off)
{
    char *p = buf;
    size_t got = 0;
    while (got < n) {
        if (ask(FM_IO_READ, AT_FDCWD, fd, NULL, off + got, n - got) != 0)
            return -1;
        ssize_t r = pread(fd, p + got, n - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}
