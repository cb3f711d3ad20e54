/*
 * core/init.c - the process-wide, thread-safe count behind MAPIInitialize
 * and MAPIUninitialize, and the caches that belong to initialization
 * (init.h).
 */
#include <pthread.h>

#include "core/error.h"
#include "core/init.h"
#include "mapicode.h"

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long init_count;
static fm_init_cache *caches; /* registered, newest first */

void fm_init_register(fm_init_cache *c)
{
    pthread_mutex_lock(&init_lock);
    if (!c->registered) {
        c->registered = true;
        c->next = caches;
        caches = c;
    }
    pthread_mutex_unlock(&init_lock);
}

void fm_init_enter(void)
{
    pthread_mutex_lock(&init_lock);
    init_count++;
    pthread_mutex_unlock(&init_lock);
}

void fm_init_leave(void)
{
    pthread_mutex_lock(&init_lock);
    bool last = init_count == 1;
    if (init_count > 0) /* an unmatched call is ignored, not an underflow */
        init_count--;
    fm_init_cache *list = caches;
    pthread_mutex_unlock(&init_lock);
    /* Outside the lock: emptying a cache closes connections, and a cache
     * asks fm_init_active while it works. Nodes are never unregistered, so
     * the list stays valid. */
    for (fm_init_cache *c = list; last && c != NULL; c = c->next)
        c->clear();
}

bool fm_init_active(void)
{
    pthread_mutex_lock(&init_lock);
    bool active = init_count > 0;
    pthread_mutex_unlock(&init_lock);
    return active;
}

HRESULT fm_init_check(const char *fn)
{
    if (!fm_init_active())
        return fm_error_set(MAPI_E_NOT_INITIALIZED, "%s: MAPIInitialize has not been called", fn);
    return S_OK;
}
