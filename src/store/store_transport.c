/*
 * store/store_transport.c - the hook through which a spooler learns that a
 * message of a store was submitted (see store.h).
 */
#include "store/store.h"

void fm_store_set_transport(fm_store *s, const fm_store_transport *t, void *ctx)
{
    fm_store_lock(s);
    const fm_store_transport *old = s->transport;
    void *old_ctx = s->transport_ctx;
    s->transport = t;
    s->transport_ctx = ctx;
    fm_store_unlock(s);
    if (old != NULL && old->release != NULL)
        old->release(old_ctx);
}

HRESULT fm_store_transport_prepare(fm_store *s, IMessage *msg)
{
    fm_store_lock(s);
    const fm_store_transport *t = s->transport;
    void *ctx = s->transport_ctx;
    fm_store_unlock(s);
    return t != NULL && t->prepare != NULL ? t->prepare(ctx, s, msg) : S_OK;
}

void fm_store_transport_kick(fm_store *s)
{
    fm_store_lock(s);
    const fm_store_transport *t = s->transport;
    void *ctx = s->transport_ctx;
    fm_store_unlock(s);
    /* Outside the store's lock: the spooler opens and locks stores itself. */
    if (t != NULL && t->submitted != NULL)
        t->submitted(ctx, s);
}
