/*
 * spool/spool_transport.c - the spooler as a store's transport (the hook of
 * store/store.h): a session attaches it to the site mailboxes it opens, so a
 * submission is delivered in the submitting thread right after its commit.
 * The submission is acknowledged before; a run that fails leaves it queued
 * for the next run over the mailbox.
 */
#include "spool/spool.h"

static void submitted(void *ctx, fm_store *s)
{
    fm_identity *id = ctx;
    pthread_mutex_lock(&id->lock); /* the site connection is one call's at a time */
    (void)fm_spool_run(id->site, s, NULL);
    pthread_mutex_unlock(&id->lock);
}

/* Before the submission's save: the session's user is its sender. */
static HRESULT prepare(void *ctx, fm_store *s, IMessage *msg)
{
    (void)s;
    fm_identity *id = ctx;
    return fm_spool_stamp_sender(&id->user, msg);
}

static void release(void *ctx)
{
    fm_identity_release(ctx);
}

static const fm_store_transport SPOOL_TRANSPORT = {
    .prepare = prepare,
    .submitted = submitted,
    .release = release,
};

HRESULT fm_spool_attach(fm_store *s, fm_identity *id)
{
    fm_identity_addref(id);
    fm_store_set_transport(s, &SPOOL_TRANSPORT, id);
    return S_OK;
}
