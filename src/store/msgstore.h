/*
 * store/msgstore.h - the IMsgStore of an open store (msgstore.c), and the
 * hook through which the layer that opens a store adds interfaces to it.
 *
 * A session adds interfaces beyond IMsgStore that depend on who logged on
 * (IExchangeManageStore, session/manage_store.c), answered through the
 * store's QueryInterface. The store knows only this hook, nothing of
 * sessions.
 */
#ifndef FREEMAPI_STORE_MSGSTORE_H
#define FREEMAPI_STORE_MSGSTORE_H

#include "mapidefs.h"
#include "store/store.h"

/* The IMsgStore of an open store: a new object holding one reference (the
 * caller's) and a reference to the store. */
HRESULT fm_msgstore_new(fm_store *s, IMsgStore **out);

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

/* The name the opener knows the store by (a profile's service name,
 * "Mailbox - <user>"): PR_DISPLAY_NAME when the store has none of its own,
 * as programs read it from the store object without checking. Copies name;
 * call before handing the store out. MAPI_E_NOT_ENOUGH_MEMORY. */
HRESULT fm_msgstore_set_display_name(IMsgStore *store, const char *name);

/* PR_STORE_SUPPORT_MASK of the store s: what it really does. Folders and
 * messages report it too, as programs read it from them unchecked. */
ULONG fm_msgstore_support_mask(const fm_store *s);

/* PR_MDB_PROVIDER of freemapi stores (16 bytes). */
extern const BYTE fm_msgstore_provider[16];

#endif /* FREEMAPI_STORE_MSGSTORE_H */
