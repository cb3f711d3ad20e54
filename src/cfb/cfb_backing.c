/*
 * cfb/cfb_backing.c - where a compound file's bytes are: a file descriptor,
 * a caller's IStream or a caller's ILockBytes, all read and written by
 * offset (see cfb.h).
 *
 * IStream has no positional reads, so a read is a Seek and a Read; the
 * storage engine is the stream's only user while it holds it (the MAPI
 * contract of HrIStorageFromStream), so nothing else moves the position.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfb/cfb.h"
#include "core/error.h"

HRESULT fm_cfb_errno_hr(int err, HRESULT fallback)
{
    switch (err) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG: return STG_E_MEDIUMFULL;
    case EACCES:
    case EPERM: return STG_E_ACCESSDENIED;
    case EROFS: return STG_E_DISKISWRITEPROTECTED;
    case ENOENT: return STG_E_FILENOTFOUND;
    case ENOTDIR: return STG_E_PATHNOTFOUND;
    case EMFILE:
    case ENFILE: return STG_E_TOOMANYOPENFILES;
    case ENOMEM: return E_OUTOFMEMORY;
    default: return fallback;
    }
}

static HRESULT fd_read(int fd, uint64_t off, void *buf, size_t n, size_t *got)
{
    size_t done = 0;
    while (done < n) {
        ssize_t r = pread(fd, (char *)buf + done, n - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return fm_error_set(fm_cfb_errno_hr(errno, STG_E_READFAULT),
                                "compound file: read of %zu bytes at %llu failed: %s", n - done,
                                (unsigned long long)(off + done), strerror(errno));
        if (r == 0)
            break;
        done += (size_t)r;
    }
    *got = done;
    return S_OK;
}

static HRESULT fd_write(int fd, uint64_t off, const void *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t r = pwrite(fd, (const char *)buf + done, n - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return fm_error_set(fm_cfb_errno_hr(r < 0 ? errno : ENOSPC, STG_E_WRITEFAULT),
                                "compound file: write of %zu bytes at %llu failed: %s",
                                n - done, (unsigned long long)(off + done),
                                r < 0 ? strerror(errno) : "nothing written");
        done += (size_t)r;
    }
    return S_OK;
}

static HRESULT stream_seek(IStream *stm, uint64_t off)
{
    LARGE_INTEGER to = { .QuadPart = (LONGLONG)off };
    HRESULT hr = IStream_Seek(stm, to, STREAM_SEEK_SET, NULL);
    if (FAILED(hr))
        return fm_error_set(hr, "compound file: the stream it lives in cannot seek to %llu",
                            (unsigned long long)off);
    return S_OK;
}

static HRESULT stream_read(IStream *stm, uint64_t off, void *buf, size_t n, size_t *got)
{
    HRESULT hr = stream_seek(stm, off);
    size_t done = 0;
    while (hr == S_OK && done < n) {
        ULONG want = n - done > 0x40000000u ? 0x40000000u : (ULONG)(n - done);
        ULONG r = 0;
        hr = IStream_Read(stm, (char *)buf + done, want, &r);
        if (FAILED(hr))
            return fm_error_set(hr, "compound file: reading the stream it lives in failed");
        hr = S_OK;
        if (r == 0)
            break;
        done += r;
    }
    *got = done;
    return hr;
}

static HRESULT stream_write(IStream *stm, uint64_t off, const void *buf, size_t n)
{
    HRESULT hr = stream_seek(stm, off);
    size_t done = 0;
    while (hr == S_OK && done < n) {
        ULONG want = n - done > 0x40000000u ? 0x40000000u : (ULONG)(n - done);
        ULONG w = 0;
        hr = IStream_Write(stm, (const char *)buf + done, want, &w);
        if (FAILED(hr))
            return fm_error_set(hr, "compound file: writing the stream it lives in failed");
        if (w == 0)
            return fm_error_set(STG_E_MEDIUMFULL, "compound file: the stream it lives in "
                                                  "took no more bytes");
        hr = S_OK;
        done += w;
    }
    return hr;
}

static HRESULT lkb_read(ILockBytes *l, uint64_t off, void *buf, size_t n, size_t *got)
{
    size_t done = 0;
    while (done < n) {
        ULONG want = n - done > 0x40000000u ? 0x40000000u : (ULONG)(n - done);
        ULONG r = 0;
        ULARGE_INTEGER at = { .QuadPart = off + done };
        HRESULT hr = ILockBytes_ReadAt(l, at, (char *)buf + done, want, &r);
        if (FAILED(hr))
            return fm_error_set(hr, "compound file: ILockBytes::ReadAt failed at %llu",
                                (unsigned long long)(off + done));
        if (r == 0)
            break;
        done += r;
    }
    *got = done;
    return S_OK;
}

static HRESULT lkb_write(ILockBytes *l, uint64_t off, const void *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ULONG want = n - done > 0x40000000u ? 0x40000000u : (ULONG)(n - done);
        ULONG w = 0;
        ULARGE_INTEGER at = { .QuadPart = off + done };
        HRESULT hr = ILockBytes_WriteAt(l, at, (const char *)buf + done, want, &w);
        if (FAILED(hr))
            return fm_error_set(hr, "compound file: ILockBytes::WriteAt failed at %llu",
                                (unsigned long long)(off + done));
        if (w == 0)
            return fm_error_set(STG_E_MEDIUMFULL, "compound file: ILockBytes took no bytes");
        done += w;
    }
    return S_OK;
}

HRESULT fm_cfb_backing_read(fm_cfb_backing *b, uint64_t off, void *buf, size_t n, size_t *got)
{
    *got = 0;
    switch (b->kind) {
    case CFB_BACK_FD: return fd_read(b->fd, off, buf, n, got);
    case CFB_BACK_STREAM: return stream_read(b->stm, b->base + off, buf, n, got);
    case CFB_BACK_LOCKBYTES: return lkb_read(b->lkb, off, buf, n, got);
    default: return fm_error_set(STG_E_REVERTED, "compound file: the file is closed");
    }
}

HRESULT fm_cfb_backing_write(fm_cfb_backing *b, uint64_t off, const void *buf, size_t n)
{
    switch (b->kind) {
    case CFB_BACK_FD: return fd_write(b->fd, off, buf, n);
    case CFB_BACK_STREAM: return stream_write(b->stm, b->base + off, buf, n);
    case CFB_BACK_LOCKBYTES: return lkb_write(b->lkb, off, buf, n);
    default: return fm_error_set(STG_E_REVERTED, "compound file: the file is closed");
    }
}

HRESULT fm_cfb_backing_size(fm_cfb_backing *b, uint64_t *out)
{
    STATSTG st = { 0 };
    HRESULT hr = S_OK;
    *out = 0;
    switch (b->kind) {
    case CFB_BACK_FD: {
        off_t end = lseek(b->fd, 0, SEEK_END);
        if (end < 0)
            return fm_error_set(STG_E_SEEKERROR, "compound file: cannot find the file's size: %s",
                                strerror(errno));
        *out = (uint64_t)end;
        return S_OK;
    }
    case CFB_BACK_STREAM: hr = IStream_Stat(b->stm, &st, STATFLAG_NONAME); break;
    case CFB_BACK_LOCKBYTES: hr = ILockBytes_Stat(b->lkb, &st, STATFLAG_NONAME); break;
    default: return fm_error_set(STG_E_REVERTED, "compound file: the file is closed");
    }
    if (FAILED(hr))
        return fm_error_set(hr, "compound file: Stat of the object it lives in failed");
    *out = st.cbSize.QuadPart > b->base ? st.cbSize.QuadPart - b->base : 0;
    return S_OK;
}

HRESULT fm_cfb_backing_set_size(fm_cfb_backing *b, uint64_t size)
{
    ULARGE_INTEGER to = { .QuadPart = size };
    HRESULT hr = S_OK;
    switch (b->kind) {
    case CFB_BACK_FD:
        if (ftruncate(b->fd, (off_t)size) != 0)
            return fm_error_set(fm_cfb_errno_hr(errno, STG_E_WRITEFAULT),
                                "compound file: cannot set the file's size: %s", strerror(errno));
        return S_OK;
    case CFB_BACK_STREAM:
        to.QuadPart += b->base;
        hr = IStream_SetSize(b->stm, to);
        break;
    case CFB_BACK_LOCKBYTES: hr = ILockBytes_SetSize(b->lkb, to); break;
    default: return fm_error_set(STG_E_REVERTED, "compound file: the file is closed");
    }
    if (FAILED(hr))
        return fm_error_set(hr, "compound file: SetSize of the object it lives in failed");
    return S_OK;
}

HRESULT fm_cfb_backing_flush(fm_cfb_backing *b)
{
    HRESULT hr = S_OK;
    switch (b->kind) {
    case CFB_BACK_FD:
        if (fdatasync(b->fd) != 0)
            return fm_error_set(fm_cfb_errno_hr(errno, STG_E_WRITEFAULT),
                                "compound file: fdatasync failed: %s", strerror(errno));
        return S_OK;
    case CFB_BACK_STREAM: hr = IStream_Commit(b->stm, STGC_DEFAULT); break;
    case CFB_BACK_LOCKBYTES: hr = ILockBytes_Flush(b->lkb); break;
    default: return S_OK;
    }
    if (FAILED(hr))
        return fm_error_set(hr, "compound file: committing the object it lives in failed");
    return S_OK;
}

void fm_cfb_backing_clear(fm_cfb_backing *b)
{
    switch (b->kind) {
    case CFB_BACK_FD: close(b->fd); break;
    case CFB_BACK_STREAM: IStream_Release(b->stm); break;
    case CFB_BACK_LOCKBYTES: ILockBytes_Release(b->lkb); break;
    default: break;
    }
    b->kind = CFB_BACK_NONE;
    b->fd = -1;
    b->stm = NULL;
    b->lkb = NULL;
}

int fm_cfb_mkstemp(char *tmpl)
{
    int fd = mkstemp(tmpl); /* 0600, O_EXCL */
    if (fd >= 0)
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

HRESULT fm_cfb_tmpfile(int *fd_out)
{
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == 0)
        dir = "/tmp";
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/.fm-cfb-XXXXXX", dir);
    int fd = n > 0 && (size_t)n < sizeof path ? fm_cfb_mkstemp(path) : -1;
    if (fd < 0)
        return fm_error_set(fm_cfb_errno_hr(errno, STG_E_WRITEFAULT),
                            "compound file: cannot make a temporary file in %s: %s", dir,
                            strerror(errno));
    unlink(path);
    *fd_out = fd;
    return S_OK;
}
