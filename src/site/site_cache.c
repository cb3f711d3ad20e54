/*
 * site/site_cache.c - the sites sessions keep open (site_cache.h).
 */
#include <pthread.h>
#include <string.h>

#include "core/init.h"
#include "site/site_cache.h"

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static fmapi_site *cache[FM_SITE_CACHE_SIZE]; /* most recently used first */

static fmapi_site *take(const char *dir)
{
    pthread_mutex_lock(&cache_lock);
    fmapi_site *found = NULL;
    for (size_t i = 0; i < FM_SITE_CACHE_SIZE && cache[i] != NULL; i++) {
        if (strcmp(cache[i]->dir, dir) == 0) {
            found = cache[i];
            memmove(&cache[1], &cache[0], i * sizeof cache[0]);
            cache[0] = found;
            atomic_fetch_add(&found->refs, 1);
            break;
        }
    }
    pthread_mutex_unlock(&cache_lock);
    return found;
}

/* Closes every cached site (the last MAPIUninitialize). */
static void cache_clear(void)
{
    fmapi_site *old[FM_SITE_CACHE_SIZE];
    pthread_mutex_lock(&cache_lock);
    memcpy(old, cache, sizeof old);
    memset(cache, 0, sizeof cache);
    pthread_mutex_unlock(&cache_lock);
    for (size_t i = 0; i < FM_SITE_CACHE_SIZE; i++)
        fmapi_site_close(old[i]);
}

static fm_init_cache init_cache = { .clear = cache_clear };

static void put(fmapi_site *site)
{
    if (!fm_init_active())
        return;
    fm_init_register(&init_cache);
    atomic_fetch_add(&site->refs, 1);
    pthread_mutex_lock(&cache_lock);
    fmapi_site *evicted = cache[FM_SITE_CACHE_SIZE - 1];
    memmove(&cache[1], &cache[0], (FM_SITE_CACHE_SIZE - 1) * sizeof cache[0]);
    cache[0] = site;
    pthread_mutex_unlock(&cache_lock);
    fmapi_site_close(evicted);
}

HRESULT fm_site_shared_open(const char *dir, fmapi_site **out)
{
    *out = take(dir);
    if (*out != NULL)
        return S_OK;
    HRESULT hr = fmapi_site_open(dir, 0, out);
    if (hr == S_OK)
        put(*out);
    return hr;
}
