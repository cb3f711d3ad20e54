/*
 * store/store_api.c - fmapi_store_open: the extension that opens a store
 * file without a session (freemapi_store.h).
 */
#include "freemapi_store.h"
#include "store/msgstore.h"
#include "store/store_notify.h"

FREEMAPI_PUBLIC HRESULT fmapi_store_open(const char *path, ULONG ulFlags, LPMDB *lppMDB)
{
    if (lppMDB == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_store_open: lppMDB is NULL");
    *lppMDB = NULL;
    if (path == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_store_open: path is NULL");
    if (ulFlags & ~(FMAPI_STORE_CREATE | FMAPI_STORE_READONLY))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "fmapi_store_open: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~(FMAPI_STORE_CREATE | FMAPI_STORE_READONLY)));
    unsigned flags = 0;
    if (ulFlags & FMAPI_STORE_CREATE)
        flags |= FM_DB_CREATE;
    if (ulFlags & FMAPI_STORE_READONLY)
        flags |= FM_DB_READONLY;
    fm_store *s = NULL;
    HRESULT hr = fm_store_open(path, flags, &s);
    if (hr != S_OK)
        return hr;
    hr = fm_msgstore_new(s, lppMDB);
    if (hr != S_OK)
        fm_store_notify_abandon(s); /* no rendezvous file left by a failed open */
    fm_store_release(s); /* the IMsgStore holds its own reference */
    return hr;
}
