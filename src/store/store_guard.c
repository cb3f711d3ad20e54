/*
 * store/store_guard.c - the access guard of a store opened through another
 * user's grant (see store.h): asked before each operation that reads or
 * writes the store's content, so a revoked right stops the next call.
 */
#include "store/store.h"

void fm_store_set_guard(fm_store *s, const fm_store_guard *g, void *ctx)
{
    fm_store_lock(s);
    const fm_store_guard *old = s->guard;
    void *old_ctx = s->guard_ctx;
    s->guard = g;
    s->guard_ctx = ctx;
    fm_store_unlock(s);
    if (old != NULL && old->release != NULL)
        old->release(old_ctx);
}

HRESULT fm_store_check_access(fm_store *s)
{
    /* Set before the store is shared and cleared only at its last release:
     * read without the store lock, which the check must not hold (it takes
     * the site's). */
    const fm_store_guard *g = s->guard;
    return g == NULL ? S_OK : g->check(s->guard_ctx);
}
