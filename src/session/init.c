/*
 * session/init.c - MAPIInitialize and MAPIUninitialize: a process-wide,
 * thread-safe reference count.
 *
 * What initialization owns: the connection caches of the profile store and
 * of sites (profile/profstore.c, site/site_cache.c), which spare each logon
 * re-creating the files' shared-memory index. The last MAPIUninitialize
 * closes them; sessions, admin objects and stores own everything else and
 * free it when released, so once the caller has released them nothing of
 * freemapi stays allocated. (SQLite's own one-time setup stays until the
 * process ends or the library is unloaded.)
 */
#include <pthread.h>

#include "core/error.h"
#include "mapix.h"
#include "session/init.h"
#include "profile/profstore.h"
#include "site/pwhash.h"
#include "site/site_cache.h"

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long init_count;

bool fm_init_active(void)
{
    pthread_mutex_lock(&init_lock);
    bool active = init_count > 0;
    pthread_mutex_unlock(&init_lock);
    return active;
}

HRESULT fm_init_check(const char *fn)
{
    pthread_mutex_lock(&init_lock);
    unsigned long n = init_count;
    pthread_mutex_unlock(&init_lock);
    if (n == 0)
        return fm_error_set(MAPI_E_NOT_INITIALIZED, "%s: MAPIInitialize has not been called",
                            fn);
    return S_OK;
}

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
    pthread_mutex_lock(&init_lock);
    init_count++;
    pthread_mutex_unlock(&init_lock);
    return S_OK;
}

STDAPI_(void) MAPIUninitialize(void)
{
    pthread_mutex_lock(&init_lock);
    bool last = init_count == 1;
    if (init_count > 0) /* an unmatched call is ignored, not an underflow */
        init_count--;
    pthread_mutex_unlock(&init_lock);
    if (last) {
        /* The connection caches belong to initialization. */
        fm_profstore_cache_clear();
        fm_site_cache_clear();
    }
}
