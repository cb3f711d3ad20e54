/*
 * cfb/stg_api.c - the functions that make and open compound files:
 * StgCreateDocfile, StgOpenStorage, StgIsStorageFile, the ILockBytes forms
 * (objidl.h) and HrIStorageFromStream (mapiutil.h).
 *
 * Files: names are UTF-16 paths, used as UTF-8. A file opened for writing
 * holds an exclusive flock, one opened for reading a shared one unless
 * STGM_SHARE_DENY_NONE, so two writers (or a writer and a reader that
 * denies writing) of the same file in different processes exclude each
 * other (STG_E_SHAREVIOLATION). New files are 0600; without STGM_CREATE
 * the name is claimed with O_EXCL first, so an existing file is never
 * replaced.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfb/cfb.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "mapiutil.h"

#define SHARE_MASK 0x70u

/* A UTF-16 file name as a UTF-8 path (fm_malloc'd). */
static HRESULT path_of(const OLECHAR *name, const char *fn, char **out)
{
    if (name == NULL)
        return fm_error_set(STG_E_INVALIDNAME, "%s: the file name is NULL", fn);
    size_t n = 0;
    while (name[n] != 0)
        n++;
    if (n == 0 || n > 4096)
        return fm_error_set(STG_E_INVALIDNAME, "%s: the file name is empty or too long", fn);
    if (!fm_utf16_valid(name, n))
        return fm_error_set(STG_E_INVALIDNAME, "%s: the file name is not valid UTF-16", fn);
    char *p = fm_malloc(3 * n + 1);
    if (p == NULL)
        return fm_error_set(E_OUTOFMEMORY, "%s: out of memory", fn);
    fm_utf16_to_utf8_into(name, n, p);
    *out = p;
    return S_OK;
}

static HRESULT keep_name(IStorage *stg, const OLECHAR *name)
{
    fm_cfb_storage *st = (fm_cfb_storage *)stg;
    size_t n = 0;
    while (name[n] != 0)
        n++;
    WCHAR *w = fm_malloc((n + 1) * sizeof *w);
    if (w == NULL)
        return fm_error_set(E_OUTOFMEMORY, "compound file: out of memory");
    memcpy(w, name, (n + 1) * sizeof *w);
    st->f->wpath = w;
    return S_OK;
}

static HRESULT lock_file(int fd, DWORD mode, const char *path)
{
    int op = 0;
    if (fm_cfb_mode_can_write(mode))
        op = LOCK_EX;
    else if ((mode & SHARE_MASK) != STGM_SHARE_DENY_NONE)
        op = LOCK_SH;
    if (op != 0 && flock(fd, op | LOCK_NB) != 0)
        return fm_error_set(errno == EWOULDBLOCK ? STG_E_SHAREVIOLATION : STG_E_LOCKVIOLATION,
                            "compound file: %s is open in another process", path);
    return S_OK;
}

static HRESULT temp_path(char **out)
{
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == 0)
        dir = "/tmp";
    size_t n = strlen(dir) + 32;
    char *p = fm_malloc(n);
    if (p == NULL)
        return fm_error_set(E_OUTOFMEMORY, "StgCreateDocfile: out of memory");
    snprintf(p, n, "%s/fm-docfile-XXXXXX", dir);
    int fd = fm_cfb_mkstemp(p);
    if (fd < 0) {
        HRESULT hr = fm_error_set(fm_cfb_errno_hr(errno, STG_E_WRITEFAULT),
                                  "StgCreateDocfile: cannot make a temporary file: %s",
                                  strerror(errno));
        fm_free(p);
        return hr;
    }
    close(fd);
    *out = p;
    return S_OK;
}

STDAPI StgCreateDocfile(const OLECHAR *pwcsName, DWORD grfMode, DWORD reserved,
                        IStorage **ppstgOpen)
{
    if (ppstgOpen == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "StgCreateDocfile: ppstgOpen is NULL");
    *ppstgOpen = NULL;
    if (reserved != 0)
        return fm_error_set(STG_E_INVALIDPARAMETER, "StgCreateDocfile: reserved is not 0");
    HRESULT hr = fm_cfb_mode_check(grfMode, "StgCreateDocfile");
    if (hr == S_OK && !fm_cfb_mode_can_write(grfMode))
        hr = fm_error_set(STG_E_INVALIDFLAG, "StgCreateDocfile: a new file needs STGM_WRITE or "
                                             "STGM_READWRITE");
    if (hr == S_OK && (grfMode & STGM_CONVERT))
        hr = fm_error_set(STG_E_INVALIDFLAG, "StgCreateDocfile: STGM_CONVERT is not supported");
    if (hr != S_OK)
        return hr;
    char *path = NULL;
    bool claimed = false;
    if (pwcsName == NULL) {
        hr = temp_path(&path);
        grfMode |= STGM_DELETEONRELEASE;
        claimed = true;
    } else {
        hr = path_of(pwcsName, "StgCreateDocfile", &path);
    }
    if (hr == S_OK && pwcsName != NULL && !(grfMode & STGM_CREATE)) {
        int fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
            hr = errno == EEXIST ? fm_error_set(STG_E_FILEALREADYEXISTS, "StgCreateDocfile: %s "
                                                "exists (pass STGM_CREATE to replace it)", path)
                                 : fm_error_set(fm_cfb_errno_hr(errno, STG_E_ACCESSDENIED),
                                                "StgCreateDocfile: cannot create %s: %s", path,
                                                strerror(errno));
        else
            close(fd);
        claimed = fd >= 0;
    }
    fm_cfb_backing none = { .kind = CFB_BACK_NONE, .fd = -1 };
    if (hr == S_OK)
        hr = fm_cfb_file_open(&none, grfMode, true, path, NULL, ppstgOpen);
    if (hr == S_OK && pwcsName != NULL && keep_name(*ppstgOpen, pwcsName) != S_OK) {
        /* Stat would have no name; the storage itself is fine. */
        fm_error_clear();
    }
    if (hr != S_OK && claimed && path != NULL)
        unlink(path);
    fm_free(path);
    return hr;
}

STDAPI StgOpenStorage(const OLECHAR *pwcsName, IStorage *pstgPriority, DWORD grfMode,
                      SNB snbExclude, DWORD reserved, IStorage **ppstgOpen)
{
    if (ppstgOpen == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "StgOpenStorage: ppstgOpen is NULL");
    *ppstgOpen = NULL;
    if (pstgPriority != NULL || reserved != 0)
        return fm_error_set(STG_E_INVALIDPARAMETER, "StgOpenStorage: pstgPriority must be NULL "
                                                    "and reserved 0");
    HRESULT hr = fm_cfb_mode_check(grfMode, "StgOpenStorage");
    if (hr == S_OK && (grfMode & (STGM_CREATE | STGM_CONVERT)))
        hr = fm_error_set(STG_E_INVALIDFLAG, "StgOpenStorage: STGM_CREATE and STGM_CONVERT are "
                                             "for StgCreateDocfile");
    if (hr == S_OK && snbExclude != NULL && !(grfMode & STGM_TRANSACTED))
        hr = fm_error_set(STG_E_INVALIDFUNCTION, "StgOpenStorage: snbExclude needs "
                                                 "STGM_TRANSACTED");
    char *path = NULL;
    if (hr == S_OK)
        hr = path_of(pwcsName, "StgOpenStorage", &path);
    int fd = -1;
    if (hr == S_OK) {
        fd = open(path, (fm_cfb_mode_can_write(grfMode) ? O_RDWR : O_RDONLY) | O_CLOEXEC);
        if (fd < 0)
            hr = fm_error_set(fm_cfb_errno_hr(errno, STG_E_FILENOTFOUND),
                              "StgOpenStorage: cannot open %s: %s", path, strerror(errno));
    }
    struct stat sb;
    if (hr == S_OK && (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)))
        hr = fm_error_set(STG_E_FILENOTFOUND, "StgOpenStorage: %s is not a regular file", path);
    if (hr == S_OK)
        hr = lock_file(fd, grfMode, path);
    if (hr == S_OK) {
        fm_cfb_backing b = { .kind = CFB_BACK_FD, .fd = fd };
        fd = -1; /* fm_cfb_file_open owns it now */
        hr = fm_cfb_file_open(&b, grfMode, false, path, snbExclude, ppstgOpen);
    }
    if (hr == S_OK && keep_name(*ppstgOpen, pwcsName) != S_OK)
        fm_error_clear();
    if (fd >= 0)
        close(fd);
    fm_free(path);
    return hr;
}

STDAPI StgIsStorageFile(const OLECHAR *pwcsName)
{
    static const unsigned char sig[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
    char *path = NULL;
    HRESULT hr = path_of(pwcsName, "StgIsStorageFile", &path);
    if (hr != S_OK)
        return hr;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        hr = fm_error_set(fm_cfb_errno_hr(errno, STG_E_FILENOTFOUND),
                          "StgIsStorageFile: cannot open %s: %s", path, strerror(errno));
    } else {
        unsigned char b[8];
        fm_cfb_backing back = { .kind = CFB_BACK_FD, .fd = fd };
        size_t got = 0;
        hr = fm_cfb_backing_read(&back, 0, b, sizeof b, &got);
        if (hr == S_OK)
            hr = got == sizeof b && memcmp(b, sig, sizeof sig) == 0 ? S_OK : S_FALSE;
        close(fd);
    }
    fm_free(path);
    return hr;
}

static HRESULT on_lockbytes(ILockBytes *l, DWORD mode, bool create, SNB exclude, const char *fn,
                            IStorage **out)
{
    if (out == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "%s: ppstgOpen is NULL", fn);
    *out = NULL;
    if (l == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "%s: plkbyt is NULL", fn);
    HRESULT hr = fm_cfb_mode_check(mode, fn);
    if (hr == S_OK && create && !fm_cfb_mode_can_write(mode))
        hr = fm_error_set(STG_E_INVALIDFLAG, "%s: a new file needs write access", fn);
    if (hr != S_OK)
        return hr;
    ILockBytes_AddRef(l);
    fm_cfb_backing b = { .kind = CFB_BACK_LOCKBYTES, .fd = -1, .lkb = l };
    return fm_cfb_file_open(&b, mode & ~(DWORD)STGM_DELETEONRELEASE, create, NULL, exclude, out);
}

STDAPI StgCreateDocfileOnILockBytes(ILockBytes *plkbyt, DWORD grfMode, DWORD reserved,
                                    IStorage **ppstgOpen)
{
    if (reserved != 0)
        return fm_error_set(STG_E_INVALIDPARAMETER, "StgCreateDocfileOnILockBytes: reserved "
                                                    "is not 0");
    return on_lockbytes(plkbyt, grfMode, true, NULL, "StgCreateDocfileOnILockBytes", ppstgOpen);
}

STDAPI StgOpenStorageOnILockBytes(ILockBytes *plkbyt, IStorage *pstgPriority, DWORD grfMode,
                                  SNB snbExclude, DWORD reserved, IStorage **ppstgOpen)
{
    if (pstgPriority != NULL || reserved != 0)
        return fm_error_set(STG_E_INVALIDPARAMETER, "StgOpenStorageOnILockBytes: pstgPriority "
                                                    "must be NULL and reserved 0");
    return on_lockbytes(plkbyt, grfMode, false, snbExclude, "StgOpenStorageOnILockBytes",
                        ppstgOpen);
}

/* ---- HrIStorageFromStream (mapiutil.h) ------------------------------------------------ */

STDAPI HrIStorageFromStream(LPUNKNOWN lpUnkIn, LPCIID lpInterface, ULONG ulFlags,
                            LPSTORAGE *lppStorageOut)
{
    const ULONG known = STGSTRM_CURRENT | STGSTRM_MODIFY | STGSTRM_CREATE;
    if (lppStorageOut == NULL || lpUnkIn == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "HrIStorageFromStream: a pointer is NULL");
    *lppStorageOut = NULL;
    if (ulFlags & ~known)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "HrIStorageFromStream: unknown flags "
                            "0x%08lX", (unsigned long)(ulFlags & ~known));
    bool lockbytes = lpInterface != NULL && IsEqualIID(lpInterface, &IID_ILockBytes);
    if (lpInterface != NULL && !lockbytes && !IsEqualIID(lpInterface, &IID_IStream))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "HrIStorageFromStream: lpInterface "
                            "must be NULL, IID_IStream or IID_ILockBytes");
    DWORD mode = STGM_SHARE_EXCLUSIVE |
                 ((ulFlags & (STGSTRM_MODIFY | STGSTRM_CREATE)) ? STGM_READWRITE : STGM_READ);
    bool create = (ulFlags & STGSTRM_CREATE) != 0;
    fm_cfb_backing b = { .kind = CFB_BACK_NONE, .fd = -1 };
    HRESULT hr;
    if (lockbytes) {
        ILockBytes *l = NULL;
        hr = lpUnkIn->lpVtbl->QueryInterface(lpUnkIn, &IID_ILockBytes, (void **)&l);
        if (hr != S_OK)
            return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "HrIStorageFromStream: the "
                                "object is not an ILockBytes");
        b.kind = CFB_BACK_LOCKBYTES;
        b.lkb = l;
    } else {
        IStream *s = NULL;
        hr = lpUnkIn->lpVtbl->QueryInterface(lpUnkIn, &IID_IStream, (void **)&s);
        if (hr != S_OK)
            return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "HrIStorageFromStream: the "
                                "object is not an IStream");
        b.kind = CFB_BACK_STREAM;
        b.stm = s;
        if (ulFlags & STGSTRM_CURRENT) {
            LARGE_INTEGER zero = { .QuadPart = 0 };
            ULARGE_INTEGER at = { .QuadPart = 0 };
            hr = IStream_Seek(s, zero, STREAM_SEEK_CUR, &at);
            if (FAILED(hr)) {
                IStream_Release(s);
                return fm_error_set(hr, "HrIStorageFromStream: the stream cannot tell its "
                                        "position");
            }
            b.base = at.QuadPart;
        }
    }
    return fm_cfb_file_open(&b, mode, create, NULL, NULL, lppStorageOut);
}
