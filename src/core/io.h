/*
 * core/io.h - the file system calls freemapi makes outside SQLite.
 *
 * Store companion files (large streams), OAB files and the other files
 * freemapi writes itself go through these thin wrappers instead of calling
 * open/pwrite/fdatasync/rename directly. They behave exactly like the
 * system calls (return value and errno), retry EINTR and short transfers
 * where the caller wants a complete transfer, and give tests one place to
 * inject faults: a hook installed with fm_io_set_hook sees every call before
 * it is made and may refuse it with an errno, the way the allocator's
 * injector refuses an allocation. SQLite's own I/O is faulted the same way
 * through a test VFS (tests/support/fm_fault_vfs.h).
 *
 * With no hook installed (every program but the tests) a wrapper costs one
 * predictable branch.
 */
#ifndef FREEMAPI_CORE_IO_H
#define FREEMAPI_CORE_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef enum fm_io_op {
    FM_IO_OPEN,     /* before open/openat: path, flags in off */
    FM_IO_OPENED,   /* after a successful open: fd and path (cannot fail) */
    FM_IO_READ,     /* before pread/read: fd, offset, length */
    FM_IO_WRITE,    /* before pwrite/write: fd, offset (UINT64_MAX: append), length */
    FM_IO_SYNC,     /* before fsync/fdatasync: fd */
    FM_IO_TRUNCATE, /* before ftruncate: fd, new size in off */
    FM_IO_RENAME,   /* before rename/renameat: from in path */
    FM_IO_UNLINK,   /* before unlink/unlinkat: path */
    FM_IO_MKDIR,    /* before mkdir/mkdirat: path */
    FM_IO_CLOSE     /* before close: fd (cannot fail) */
} fm_io_op;

/*
 * Called before every wrapped call. Returns 0 to let it proceed or an errno
 * value (ENOSPC, EIO, ...) to make it fail with that errno. dirfd is the
 * directory a relative path is resolved against (AT_FDCWD for none).
 */
typedef int (*fm_io_hook_fn)(void *ctx, fm_io_op op, int dirfd, int fd, const char *path,
                             uint64_t off, size_t len);

/* Installs (or with NULL removes) the process's hook. For tests; not
 * thread-safe against calls in flight. */
void fm_io_set_hook(fm_io_hook_fn hook, void *ctx);

int fm_io_openat(int dirfd, const char *path, int flags, mode_t mode);
int fm_io_close(int fd);
int fm_io_mkdirat(int dirfd, const char *path, mode_t mode);
int fm_io_renameat(int fromdir, const char *from, int todir, const char *to);
int fm_io_unlinkat(int dirfd, const char *path, int flags);
int fm_io_fsync(int fd);
int fm_io_fdatasync(int fd);
int fm_io_ftruncate(int fd, uint64_t size);

/* Complete transfers: every byte or -1 with errno (a write that makes no
 * progress is ENOSPC). EINTR is retried. */
int fm_io_pwrite_all(int fd, const void *buf, size_t n, uint64_t off);
int fm_io_write_all(int fd, const void *buf, size_t n);

/* A positioned read that retries EINTR and short reads; returns the bytes
 * read (less than n only at the end of the file) or -1 with errno. */
ssize_t fm_io_pread_full(int fd, void *buf, size_t n, uint64_t off);

#endif /* FREEMAPI_CORE_IO_H */
