/*
 * oab/fileio.c - the file writing the OAB job needs: complete writes that
 * survive EINTR and short writes, directory fsync, little-endian fields,
 * and one mapping of errno to MAPI codes so that a full disk reads
 * MAPI_E_NOT_ENOUGH_DISK wherever it happens.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "mapicode.h"
#include "oab/oab.h"

HRESULT fm_oab_io_error(int err, const char *what, const char *path)
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
    return fm_error_set(hr, "offline address book: %s %s: %s", what, path ? path : "",
                        strerror(err));
}

HRESULT fm_oab_write_all(int fd, const void *data, size_t n, const char *path)
{
    const BYTE *p = data;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return fm_oab_io_error(w < 0 ? errno : ENOSPC, "writing", path);
        p += w;
        n -= (size_t)w;
    }
    return S_OK;
}

HRESULT fm_oab_pwrite_all(int fd, const void *data, size_t n, uint64_t off, const char *path)
{
    const BYTE *p = data;
    while (n > 0) {
        ssize_t w = pwrite(fd, p, n, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return fm_oab_io_error(w < 0 ? errno : ENOSPC, "writing", path);
        p += w;
        n -= (size_t)w;
        off += (uint64_t)w;
    }
    return S_OK;
}

HRESULT fm_oab_fsync_dir(int dirfd, const char *dir)
{
    if (fsync(dirfd) != 0 && errno != EINVAL)
        return fm_oab_io_error(errno, "flushing the directory", dir);
    return S_OK;
}

void fm_oab_put32(BYTE *p, uint32_t v)
{
    p[0] = (BYTE)v;
    p[1] = (BYTE)(v >> 8);
    p[2] = (BYTE)(v >> 16);
    p[3] = (BYTE)(v >> 24);
}

uint32_t fm_oab_get32(const BYTE *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
