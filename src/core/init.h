/*
 * core/init.h - whether MAPIInitialize is in effect, and what belongs to
 * initialization (init.c). session/init.c implements the public pair on top
 * of this; the layers below the session ask it, and their caches register
 * with it, without knowing the session.
 *
 * A cache that keeps objects only while MAPI is initialized (the profile
 * store's connection, open sites) registers an fm_init_cache once, before
 * it first keeps anything; the last MAPIUninitialize calls every registered
 * clear, so once the caller has released its objects nothing of freemapi
 * stays allocated.
 */
#ifndef FREEMAPI_CORE_INIT_H
#define FREEMAPI_CORE_INIT_H

#include <stdbool.h>

#include "mapidefs.h"

typedef struct fm_init_cache {
    void (*clear)(void); /* empties the cache */
    bool registered;     /* set by fm_init_register */
    struct fm_init_cache *next;
} fm_init_cache;

/* Registers c (static storage, registered at most once: later calls do
 * nothing). */
void fm_init_register(fm_init_cache *c);

/* MAPIInitialize's count: one more. */
void fm_init_enter(void);
/* MAPIUninitialize's: one less (an unmatched call is ignored); the last
 * empties every registered cache. */
void fm_init_leave(void);

/* Whether MAPIInitialize is in effect (caches keep objects only then). */
bool fm_init_active(void);

/* MAPI_E_NOT_INITIALIZED (with text naming fn) unless initialized. */
HRESULT fm_init_check(const char *fn);

#endif /* FREEMAPI_CORE_INIT_H */
