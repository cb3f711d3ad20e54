/*
 * props/filestream.c - OpenStreamOnFile and OpenStreamOnFileW: an IStream
 * over a file (mapiutil.h says what the flags do).
 *
 * The stream reads and writes with pread/pwrite at its own seek position,
 * so a Clone shares the open file (reference counted) but not the
 * position, as COM's Clone does. Commit makes what was written durable
 * (fdatasync): a caller that committed has its data on disk. Files this
 * function creates are 0600 and are never reached through a symbolic link
 * (O_NOFOLLOW, and O_EXCL for SOF_UNIQUEFILENAME), so another user cannot
 * redirect the write. Like property streams, Stat returns no name.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "mapiguid.h"
#include "mapiutil.h"

/* The open file, shared by a stream and its clones. */
typedef struct file_ref {
    _Atomic ULONG refs;
    int fd;
    DWORD mode;          /* STGM_* the file was opened with */
    char *unlink_path;   /* STGM_DELETEONRELEASE: removed with the last stream */
} file_ref;

typedef struct file_stream {
    const IStreamVtbl *lpVtbl;
    _Atomic ULONG refs;
    file_ref *file;
    uint64_t pos;
} file_stream;

static const IStreamVtbl FILE_STREAM_VTBL;

static file_stream *self(IStream *p)
{
    return (file_stream *)p;
}

static void file_unref(file_ref *f)
{
    if (atomic_fetch_sub(&f->refs, 1) != 1)
        return;
    close(f->fd);
    if (f->unlink_path)
        unlink(f->unlink_path);
    fm_free(f->unlink_path);
    fm_free(f);
}

static HRESULT errno_code(const char *what, int e)
{
    switch (e) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG: return fm_error_set(STG_E_MEDIUMFULL, "%s: %s", what, strerror(e));
    case EACCES:
    case EPERM:
    case EROFS: return fm_error_set(STG_E_ACCESSDENIED, "%s: %s", what, strerror(e));
    case ENOMEM: return fm_error_set(STG_E_INSUFFICIENTMEMORY, "%s: %s", what, strerror(e));
    default: return fm_error_set(STG_E_READFAULT, "%s: %s", what, strerror(e));
    }
}

static HRESULT new_stream(file_ref *f, uint64_t pos, IStream **out)
{
    file_stream *s = fm_calloc(1, sizeof *s);
    if (s == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "OpenStreamOnFile: out of memory");
    s->lpVtbl = &FILE_STREAM_VTBL;
    atomic_init(&s->refs, 1);
    atomic_fetch_add(&f->refs, 1);
    s->file = f;
    s->pos = pos;
    *out = (IStream *)s;
    return S_OK;
}

/* ---- IUnknown ------------------------------------------------------------------ */
static STDMETHODIMP filestream_QueryInterface(IStream *This, REFIID riid, LPVOID *ppv)
{
    if (riid == NULL || ppv == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::QueryInterface: NULL argument");
    *ppv = NULL;
    if (!IsEqualIID(riid, &IID_IStream) && !IsEqualIID(riid, &IID_ISequentialStream) &&
        !IsEqualIID(riid, &IID_IUnknown))
        return fm_error_set(E_NOINTERFACE, "file stream: unsupported interface");
    atomic_fetch_add(&self(This)->refs, 1);
    *ppv = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) filestream_AddRef(IStream *This)
{
    return atomic_fetch_add(&self(This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) filestream_Release(IStream *This)
{
    file_stream *s = self(This);
    ULONG left = atomic_fetch_sub(&s->refs, 1) - 1;
    if (left == 0) {
        file_unref(s->file);
        fm_free(s);
    }
    return left;
}

/* ---- ISequentialStream ------------------------------------------------------- */
static STDMETHODIMP filestream_Read(IStream *This, void *pv, ULONG cb, ULONG *pcbRead)
{
    file_stream *s = self(This);
    if (pcbRead)
        *pcbRead = 0;
    if (pv == NULL && cb != 0)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::Read: NULL buffer");
    if ((s->file->mode & 3) == STGM_WRITE)
        return fm_error_set(STG_E_ACCESSDENIED, "IStream::Read: the file is open write-only");
    ULONG done = 0;
    while (done < cb) {
        ssize_t r = pread(s->file->fd, (char *)pv + done, cb - done, (off_t)(s->pos + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return errno_code("IStream::Read", errno);
        if (r == 0)
            break;
        done += (ULONG)r;
    }
    s->pos += done;
    if (pcbRead)
        *pcbRead = done;
    return S_OK;
}

static STDMETHODIMP filestream_Write(IStream *This, const void *pv, ULONG cb, ULONG *pcbWritten)
{
    file_stream *s = self(This);
    if (pcbWritten)
        *pcbWritten = 0;
    if (pv == NULL && cb != 0)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::Write: NULL buffer");
    if ((s->file->mode & 3) == STGM_READ)
        return fm_error_set(STG_E_ACCESSDENIED, "IStream::Write: the file is open read-only");
    ULONG done = 0;
    while (done < cb) {
        ssize_t w = pwrite(s->file->fd, (const char *)pv + done, cb - done,
                           (off_t)(s->pos + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            s->pos += done;
            if (pcbWritten)
                *pcbWritten = done;
            return errno == EBADF ? fm_error_set(STG_E_ACCESSDENIED, "IStream::Write: the "
                                                                     "file is not writable")
                                  : errno_code("IStream::Write", errno);
        }
        done += (ULONG)w;
    }
    s->pos += done;
    if (pcbWritten)
        *pcbWritten = done;
    return S_OK;
}

/* ---- IStream ---------------------------------------------------------------------- */
static HRESULT file_size(file_stream *s, uint64_t *out)
{
    struct stat st;
    if (fstat(s->file->fd, &st) != 0)
        return errno_code("IStream: fstat", errno);
    *out = (uint64_t)st.st_size;
    return S_OK;
}

static STDMETHODIMP filestream_Seek(IStream *This, LARGE_INTEGER dlibMove, DWORD dwOrigin,
                            ULARGE_INTEGER *plibNewPosition)
{
    file_stream *s = self(This);
    int64_t base;
    uint64_t size = 0;
    switch (dwOrigin) {
    case STREAM_SEEK_SET: base = 0; break;
    case STREAM_SEEK_CUR: base = (int64_t)s->pos; break;
    case STREAM_SEEK_END: {
        HRESULT hr = file_size(s, &size);
        if (hr != S_OK)
            return hr;
        base = (int64_t)size;
        break;
    }
    default:
        return fm_error_set(STG_E_INVALIDFUNCTION, "IStream::Seek: unknown origin %lu",
                            (unsigned long)dwOrigin);
    }
    if ((dlibMove.QuadPart < 0 && base + dlibMove.QuadPart < 0) ||
        (dlibMove.QuadPart > 0 && base > INT64_MAX - dlibMove.QuadPart))
        return fm_error_set(STG_E_INVALIDFUNCTION, "IStream::Seek: position out of range");
    s->pos = (uint64_t)(base + dlibMove.QuadPart);
    if (plibNewPosition)
        plibNewPosition->QuadPart = s->pos;
    return S_OK;
}

static STDMETHODIMP filestream_SetSize(IStream *This, ULARGE_INTEGER libNewSize)
{
    file_stream *s = self(This);
    if (libNewSize.QuadPart > (ULONGLONG)INT64_MAX)
        return fm_error_set(STG_E_INVALIDFUNCTION, "IStream::SetSize: size out of range");
    if (ftruncate(s->file->fd, (off_t)libNewSize.QuadPart) != 0)
        return errno_code("IStream::SetSize", errno);
    return S_OK;
}

static STDMETHODIMP filestream_CopyTo(IStream *This, IStream *pstm, ULARGE_INTEGER cb,
                              ULARGE_INTEGER *pcbRead, ULARGE_INTEGER *pcbWritten)
{
    if (pcbRead)
        pcbRead->QuadPart = 0;
    if (pcbWritten)
        pcbWritten->QuadPart = 0;
    if (pstm == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::CopyTo: NULL destination");
    char buf[65536];
    uint64_t left = cb.QuadPart, read_total = 0, written_total = 0;
    HRESULT hr = S_OK;
    while (hr == S_OK && left > 0) {
        ULONG want = left < sizeof buf ? (ULONG)left : (ULONG)sizeof buf, got = 0, put = 0;
        hr = filestream_Read(This, buf, want, &got);
        if (hr != S_OK || got == 0)
            break;
        read_total += got;
        hr = pstm->lpVtbl->Write(pstm, buf, got, &put);
        written_total += put;
        left -= got;
        if (hr == S_OK && put != got)
            hr = fm_error_set(STG_E_MEDIUMFULL, "IStream::CopyTo: short write");
    }
    if (pcbRead)
        pcbRead->QuadPart = read_total;
    if (pcbWritten)
        pcbWritten->QuadPart = written_total;
    return hr;
}

static STDMETHODIMP filestream_Commit(IStream *This, DWORD grfCommitFlags)
{
    file_stream *s = self(This);
    if ((s->file->mode & 3) == STGM_READ)
        return S_OK;
    if (grfCommitFlags & STGC_DANGEROUSLYCOMMITMERELYTODISKCACHE)
        return S_OK;
    if (fdatasync(s->file->fd) != 0)
        return errno_code("IStream::Commit", errno);
    return S_OK;
}

/* Writes go straight to the file (direct mode): there is nothing to revert. */
static STDMETHODIMP filestream_Revert(IStream *This)
{
    return S_OK;
}

static STDMETHODIMP filestream_LockRegion(IStream *This, ULARGE_INTEGER libOffset, ULARGE_INTEGER cb,
                                  DWORD dwLockType)
{
    return fm_error_set(STG_E_INVALIDFUNCTION, "IStream::LockRegion: file streams do not "
                                               "lock ranges");
}

static STDMETHODIMP filestream_UnlockRegion(IStream *This, ULARGE_INTEGER libOffset, ULARGE_INTEGER cb,
                                    DWORD dwLockType)
{
    return fm_error_set(STG_E_INVALIDFUNCTION, "IStream::UnlockRegion: file streams do not "
                                               "lock ranges");
}

static STDMETHODIMP filestream_Stat(IStream *This, STATSTG *pstatstg, DWORD grfStatFlag)
{
    file_stream *s = self(This);
    if (pstatstg == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::Stat: NULL STATSTG");
    if (grfStatFlag & ~(DWORD)(STATFLAG_NONAME | STATFLAG_NOOPEN))
        return fm_error_set(STG_E_INVALIDFLAG, "IStream::Stat: unknown flags 0x%lx",
                            (unsigned long)grfStatFlag);
    struct stat st;
    if (fstat(s->file->fd, &st) != 0)
        return errno_code("IStream::Stat", errno);
    memset(pstatstg, 0, sizeof *pstatstg);
    pstatstg->type = STGTY_STREAM;
    pstatstg->cbSize.QuadPart = (ULONGLONG)st.st_size;
    uint64_t ft = 116444736000000000ULL + (uint64_t)st.st_mtim.tv_sec * 10000000ULL +
                  (uint64_t)st.st_mtim.tv_nsec / 100;
    pstatstg->mtime.dwLowDateTime = (DWORD)ft;
    pstatstg->mtime.dwHighDateTime = (DWORD)(ft >> 32);
    pstatstg->grfMode = s->file->mode;
    return S_OK;
}

static STDMETHODIMP filestream_Clone(IStream *This, IStream **ppstm)
{
    if (ppstm == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::Clone: NULL argument");
    return new_stream(self(This)->file, self(This)->pos, ppstm);
}

static const IStreamVtbl FILE_STREAM_VTBL = {
    .QueryInterface = filestream_QueryInterface,
    .AddRef = filestream_AddRef,
    .Release = filestream_Release,
    .Read = filestream_Read,
    .Write = filestream_Write,
    .Seek = filestream_Seek,
    .SetSize = filestream_SetSize,
    .CopyTo = filestream_CopyTo,
    .Commit = filestream_Commit,
    .Revert = filestream_Revert,
    .LockRegion = filestream_LockRegion,
    .UnlockRegion = filestream_UnlockRegion,
    .Stat = filestream_Stat,
    .Clone = filestream_Clone,
};

/* ---- opening ------------------------------------------------------------------------ */
#define KNOWN_FLAGS                                                                     \
    (SOF_UNIQUEFILENAME | STGM_WRITE | STGM_READWRITE | STGM_CREATE | STGM_DELETEONRELEASE | \
     STGM_SHARE_DENY_NONE | STGM_SHARE_DENY_READ | STGM_SHARE_DENY_WRITE |              \
     STGM_SHARE_EXCLUSIVE | STGM_TRANSACTED | STGM_DIRECT)

static HRESULT open_errno(const char *path, int e)
{
    if (e == ENOENT || e == ENOTDIR)
        return fm_error_set(MAPI_E_NOT_FOUND, "OpenStreamOnFile: %s does not exist", path);
    if (e == EACCES || e == EPERM || e == EROFS || e == ELOOP || e == EISDIR)
        return fm_error_set(MAPI_E_NO_ACCESS, "OpenStreamOnFile: %s may not be opened so: %s",
                            path, strerror(e));
    if (e == ENOMEM)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "OpenStreamOnFile: out of memory");
    return fm_error_set(MAPI_E_DISK_ERROR, "OpenStreamOnFile: %s: %s", path, strerror(e));
}

static int access_flags(ULONG f)
{
    return (f & STGM_READWRITE) ? O_RDWR : (f & STGM_WRITE) ? O_WRONLY : O_RDONLY;
}

/* <dir>/<prefix>HHHH.TMP, new, 0600; *path receives the name. */
static HRESULT open_unique(const char *dir, const char *prefix, ULONG f, int *fd, char **path)
{
    size_t cap = strlen(dir) + strlen(prefix) + 16;
    char *p = fm_malloc(cap);
    if (p == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "OpenStreamOnFile: out of memory");
    for (int attempt = 0; attempt < 256; attempt++) {
        uint16_t r = 0;
        if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
            r = (uint16_t)(attempt * 40503u);
        snprintf(p, cap, "%s/%s%04X.TMP", dir, prefix, (unsigned)r);
        *fd = open(p, access_flags(f) | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (*fd >= 0) {
            *path = p;
            return S_OK;
        }
        if (errno != EEXIST)
            break;
    }
    HRESULT hr = errno == EEXIST ? fm_error_set(MAPI_E_COLLISION, "OpenStreamOnFile: no free "
                                                                  "temporary name in %s", dir)
                                 : open_errno(dir, errno);
    fm_free(p);
    return hr;
}

static HRESULT check_flags(ULONG f, const char *name, const char *prefix)
{
    if (f & ~(ULONG)KNOWN_FLAGS)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "OpenStreamOnFile: unknown flags %08lX",
                            (unsigned long)(f & ~(ULONG)KNOWN_FLAGS));
    if ((f & STGM_CREATE) && !(f & STGM_READWRITE))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenStreamOnFile: STGM_CREATE needs "
                                                      "STGM_READWRITE");
    if (name == NULL && !(f & SOF_UNIQUEFILENAME) &&
        (f & (STGM_CREATE | STGM_DELETEONRELEASE)) != (STGM_CREATE | STGM_DELETEONRELEASE))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenStreamOnFile: without a file name "
                                                      "STGM_CREATE and STGM_DELETEONRELEASE "
                                                      "are needed");
    if ((f & SOF_UNIQUEFILENAME) && prefix != NULL && (strlen(prefix) > 3 || strchr(prefix, '/')))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenStreamOnFile: the prefix is at most "
                                                      "three characters, without '/'");
    return S_OK;
}

static const char *temp_dir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

static HRESULT open_file(ULONG f, const char *name, const char *prefix, IStream **out)
{
    HRESULT hr = check_flags(f, name, prefix);
    if (hr != S_OK)
        return hr;
    int fd = -1;
    char *path = NULL;
    if ((f & SOF_UNIQUEFILENAME) || name == NULL) {
        hr = open_unique(name ? name : temp_dir(), prefix ? prefix : "SOF", f, &fd, &path);
    } else {
        int oflags = access_flags(f) | O_CLOEXEC;
        if (f & STGM_CREATE)
            oflags |= O_CREAT | O_TRUNC | O_NOFOLLOW;
        fd = open(name, oflags, 0600);
        if (fd < 0)
            hr = open_errno(name, errno);
        else if ((f & STGM_DELETEONRELEASE) && (path = fm_strdup(name)) == NULL)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "OpenStreamOnFile: out of memory");
    }
    if (hr == S_OK && !(f & STGM_DELETEONRELEASE)) {
        fm_free(path);
        path = NULL;
    }
    file_ref *ref = hr == S_OK ? fm_calloc(1, sizeof *ref) : NULL;
    if (hr == S_OK && ref == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "OpenStreamOnFile: out of memory");
    if (hr != S_OK) {
        if (fd >= 0) {
            close(fd);
            if (path && ((f & SOF_UNIQUEFILENAME) || name == NULL))
                unlink(path); /* made here: nothing of this call is left */
        }
        fm_free(path);
        return hr;
    }
    atomic_init(&ref->refs, 0);
    ref->fd = fd;
    ref->mode = (DWORD)(f & ~SOF_UNIQUEFILENAME);
    ref->unlink_path = path;
    atomic_fetch_add(&ref->refs, 1); /* held while the first stream is made */
    hr = new_stream(ref, 0, out);
    file_unref(ref);
    return hr;
}

STDAPI OpenStreamOnFile(LPALLOCATEBUFFER lpAllocateBuffer, LPFREEBUFFER lpFreeBuffer,
                        ULONG ulFlags, LPSTR lpszFileName, LPSTR lpszPrefix, LPSTREAM *lppStream)
{
    if (lppStream == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenStreamOnFile: lppStream is NULL");
    *lppStream = NULL;
    if (lpszFileName && !fm_utf8_valid(lpszFileName, strlen(lpszFileName)))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenStreamOnFile: the file name is not "
                                                      "UTF-8");
    return open_file(ulFlags, lpszFileName, lpszPrefix, lppStream);
}

STDAPI OpenStreamOnFileW(LPALLOCATEBUFFER lpAllocateBuffer, LPFREEBUFFER lpFreeBuffer,
                         ULONG ulFlags, LPCWSTR lpszFileName, LPCWSTR lpszPrefix,
                         LPSTREAM *lppStream)
{
    if (lppStream == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenStreamOnFileW: lppStream is NULL");
    *lppStream = NULL;
    char *name = NULL, *prefix = NULL;
    HRESULT hr = S_OK;
    if (lpszFileName)
        hr = fm_utf16_to_utf8_mapi(lpszFileName, NULL, &name);
    if (hr == S_OK && lpszPrefix)
        hr = fm_utf16_to_utf8_mapi(lpszPrefix, NULL, &prefix);
    if (hr == S_OK)
        hr = open_file(ulFlags, name, prefix, lppStream);
    MAPIFreeBuffer(name);
    MAPIFreeBuffer(prefix);
    return hr;
}
