/*
 * session/init.c - MAPIInitialize and MAPIUninitialize: a process-wide,
 * thread-safe reference count (core/init.h).
 *
 * What initialization owns: the connection caches of the profile store and
 * of sites (profile/profstore.c, site/site_cache.c, registered with
 * core/init.h), which spare each logon re-creating the files' shared-memory
 * index. The last MAPIUninitialize closes them; sessions, admin objects and
 * stores own everything else and free it when released, so once the caller
 * has released them nothing of freemapi stays allocated. (SQLite's own
 * one-time setup stays until the process ends or the library is unloaded.)
 */
#include "core/error.h"
#include "core/init.h"
#include "mapix.h"
#include "site/pwhash.h"

STDAPI MAPIInitialize(LPVOID lpMapiInit)
{
    const ULONG known = MAPI_MULTITHREAD_NOTIFICATIONS | MAPI_NO_COINIT | MAPI_NT_SERVICE;
    if (lpMapiInit != NULL) {
        const MAPIINIT_0 *init = lpMapiInit;
        if (init->ulVersion != MAPI_INIT_VERSION)
            return fm_error_set(MAPI_E_VERSION, "MAPIInitialize: MAPIINIT_0 version %lu is not "
                                                "%d", (unsigned long)init->ulVersion,
                                MAPI_INIT_VERSION);
        if (init->ulFlags & ~known)
            return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "MAPIInitialize: unknown flags 0x%08lX",
                                (unsigned long)(init->ulFlags & ~known));
    }
    HRESULT hr = fm_pwhash_init();
    if (hr != S_OK)
        return hr;
    fm_init_enter();
    return S_OK;
}

STDAPI_(void) MAPIUninitialize(void)
{
    fm_init_leave();
}
