/*
 * msg/msgfile.c - fmapi_msg_save and fmapi_msg_import (freemapi_msg.h):
 * a message to a .msg file and back, through the public interfaces only
 * (StgCreateDocfile, OpenIMsgOnIStg, the copy walker of msgcopy.c,
 * IMAPIFolder::CreateMessage).
 *
 * Saving writes the file under a temporary name in the same directory
 * (0600), commits it, and only then gives it its name: with link(2), which
 * never replaces a file, or rename(2) with FMAPI_MSG_REPLACE. A failure at
 * any point removes the temporary file, so nothing half-written is ever
 * found at the path. Importing reads the file read-only and saves the new
 * message once, at the end; a failure before that leaves nothing in the
 * folder.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "freemapi.h"
#include "freemapi_msg.h"
#include "imessage.h"
#include "mapiutil.h"
#include "msg/msg.h"

#define STG_NEW (STGM_READWRITE | STGM_SHARE_EXCLUSIVE | STGM_TRANSACTED | STGM_CREATE)
#define STG_IN (STGM_READ | STGM_SHARE_DENY_WRITE | STGM_TRANSACTED)

static HRESULT wide_path(const char *path, const char *fn, WCHAR **out)
{
    if (path == NULL || path[0] == 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: no path", fn);
    size_t n = strlen(path);
    if (!fm_utf8_valid(path, n))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: the path is not valid UTF-8", fn);
    WCHAR *w = fm_malloc((n + 1) * sizeof *w);
    if (w == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "%s: out of memory", fn);
    fm_utf8_to_utf16_into(path, n, w, n + 1);
    *out = w;
    return S_OK;
}

/* A free temporary name beside path (the file is created, empty, 0600). */
static HRESULT temp_name(const char *path, char **out)
{
    size_t n = strlen(path) + 24;
    char *tmp = fm_malloc(n);
    if (tmp == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "fmapi_msg_save: out of memory");
    snprintf(tmp, n, "%s.fm-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        HRESULT hr = fm_error_set(errno == ENOSPC ? MAPI_E_NOT_ENOUGH_DISK : MAPI_E_NO_ACCESS,
                                  "fmapi_msg_save: cannot create a file beside %s: %s", path,
                                  strerror(errno));
        fm_free(tmp);
        return hr;
    }
    close(fd);
    *out = tmp;
    return S_OK;
}

static HRESULT write_msg(LPMESSAGE src, const WCHAR *wtmp)
{
    LPMSGSESS sess = NULL;
    IStorage *stg = NULL;
    LPMESSAGE dst = NULL;
    HRESULT hr = OpenIMsgSession(MAPIGetDefaultMalloc(), 0, &sess);
    if (hr == S_OK) {
        hr = StgCreateDocfile(wtmp, STG_NEW, 0, &stg);
        if (hr != S_OK)
            hr = MapStorageSCode(hr); /* the storage's text stays */
    }
    if (hr == S_OK)
        hr = OpenIMsgOnIStg(sess, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                            MAPIGetDefaultMalloc(), NULL, stg, NULL, 0, MAPI_UNICODE, &dst);
    HRESULT copied = S_OK;
    if (hr == S_OK) {
        copied = fm_msg_copy((IMAPIProp *)src, (IMAPIProp *)dst, NULL, NULL, true, true, 0);
        hr = FAILED(copied) ? copied : S_OK;
    }
    if (hr == S_OK)
        hr = dst->lpVtbl->SaveChanges(dst, 0);
    if (dst != NULL)
        dst->lpVtbl->Release(dst);
    if (stg != NULL)
        IStorage_Release(stg);
    CloseIMsgSession(sess);
    return hr == S_OK ? copied : hr;
}

STDAPI fmapi_msg_save(LPMESSAGE lpMessage, const char *path, ULONG ulFlags)
{
    if (lpMessage == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_msg_save: no message");
    if (ulFlags & ~(ULONG)FMAPI_MSG_REPLACE)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "fmapi_msg_save: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    char *tmp = NULL;
    WCHAR *wtmp = NULL;
    HRESULT hr = path == NULL ? fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_msg_save: no path")
                              : temp_name(path, &tmp);
    if (hr == S_OK)
        hr = wide_path(tmp, "fmapi_msg_save", &wtmp);
    HRESULT saved = S_OK;
    if (hr == S_OK) {
        saved = write_msg(lpMessage, wtmp);
        hr = FAILED(saved) ? saved : S_OK;
    }
    if (hr == S_OK && (ulFlags & FMAPI_MSG_REPLACE) && rename(tmp, path) != 0)
        hr = fm_error_set(errno == ENOSPC ? MAPI_E_NOT_ENOUGH_DISK : MAPI_E_NO_ACCESS,
                          "fmapi_msg_save: cannot replace %s: %s", path, strerror(errno));
    if (hr == S_OK && !(ulFlags & FMAPI_MSG_REPLACE)) {
        if (link(tmp, path) != 0)
            hr = errno == EEXIST ? fm_error_set(MAPI_E_COLLISION, "fmapi_msg_save: %s exists",
                                                path)
                                 : fm_error_set(MAPI_E_NO_ACCESS, "fmapi_msg_save: cannot "
                                                "create %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    if (hr != S_OK && tmp != NULL)
        unlink(tmp);
    fm_free(tmp);
    fm_free(wtmp);
    return hr == S_OK ? saved : hr;
}

STDAPI fmapi_msg_import(LPMAPIFOLDER lpFolder, const char *path, ULONG ulFlags,
                        LPMESSAGE *lppMessage)
{
    if (lppMessage != NULL)
        *lppMessage = NULL;
    if (lpFolder == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_msg_import: no folder");
    if (ulFlags & ~(ULONG)(FMAPI_MSG_ASSOCIATED | FMAPI_MSG_UNSAVED))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "fmapi_msg_import: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    if ((ulFlags & FMAPI_MSG_UNSAVED) && lppMessage == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "fmapi_msg_import: FMAPI_MSG_UNSAVED hands the message over: "
                            "lppMessage is required");
    WCHAR *wpath = NULL;
    LPMSGSESS sess = NULL;
    IStorage *stg = NULL;
    LPMESSAGE src = NULL, dst = NULL;
    HRESULT hr = wide_path(path, "fmapi_msg_import", &wpath);
    if (hr == S_OK)
        hr = OpenIMsgSession(MAPIGetDefaultMalloc(), 0, &sess);
    if (hr == S_OK) {
        hr = StgOpenStorage(wpath, NULL, STG_IN, NULL, 0, &stg);
        if (hr != S_OK) {
            char why[512];
            snprintf(why, sizeof why, "%s", fmapi_last_error());
            hr = fm_error_set(hr == STG_E_FILEALREADYEXISTS ? MAPI_E_CORRUPT_DATA
                                                            : MapStorageSCode(hr),
                              "fmapi_msg_import: %s: %s", path, why);
        }
    }
    if (hr == S_OK)
        hr = OpenIMsgOnIStg(sess, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                            MAPIGetDefaultMalloc(), NULL, stg, NULL, 0, 0, &src);
    if (hr == S_OK)
        hr = lpFolder->lpVtbl->CreateMessage(lpFolder, NULL,
                                             (ulFlags & FMAPI_MSG_ASSOCIATED) ? MAPI_ASSOCIATED : 0,
                                             &dst);
    HRESULT copied = S_OK;
    if (hr == S_OK) {
        copied = fm_msg_copy((IMAPIProp *)src, (IMAPIProp *)dst, NULL, NULL, true, true, 0);
        hr = FAILED(copied) ? copied : S_OK;
    }
    if (hr == S_OK && !(ulFlags & FMAPI_MSG_UNSAVED))
        hr = dst->lpVtbl->SaveChanges(dst, lppMessage != NULL ? KEEP_OPEN_READWRITE : 0);
    if (hr == S_OK && lppMessage != NULL) {
        *lppMessage = dst;
        dst = NULL;
    }
    if (dst != NULL)
        dst->lpVtbl->Release(dst);
    if (src != NULL)
        src->lpVtbl->Release(src);
    if (stg != NULL)
        IStorage_Release(stg);
    CloseIMsgSession(sess);
    fm_free(wpath);
    return hr == S_OK ? copied : hr;
}
