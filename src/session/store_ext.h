/*
 * session/store_ext.h - what a session adds to the message stores it opens:
 * interfaces beyond IMsgStore (IExchangeManageStore) that depend on who
 * logged on, answered through the store's QueryInterface.
 *
 * fm_msgstore_set_ext is implemented in store/msgstore.c (the store layer
 * knows only this hook, nothing of sessions).
 */
#ifndef FREEMAPI_SESSION_STORE_EXT_H
#define FREEMAPI_SESSION_STORE_EXT_H

#include "mapidefs.h"

typedef struct fm_msgstore_ext {
    /* QueryInterface for an IID the store does not implement itself:
     * S_OK with *out holding a reference, or MAPI_E_INTERFACE_NOT_SUPPORTED. */
    HRESULT (*query)(void *ctx, IMsgStore *store, REFIID riid, void **out);
    /* Drops ctx when the store goes. */
    void (*release)(void *ctx);
} fm_msgstore_ext;

/* Attaches ext with ctx to store (which then owns ctx). A store has at most
 * one extension; a second replaces (and releases) the first. */
void fm_msgstore_set_ext(IMsgStore *store, const fm_msgstore_ext *ext, void *ctx);

/* PR_MDB_PROVIDER of freemapi stores (16 bytes; store/msgstore.c). */
extern const BYTE fm_msgstore_provider[16];

#endif /* FREEMAPI_SESSION_STORE_EXT_H */
