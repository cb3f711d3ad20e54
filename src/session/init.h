/*
 * session/init.h - whether MAPIInitialize is in effect (init.c), for the
 * entry points that require it (MAPILogonEx, MAPIAdminProfiles).
 */
#ifndef FREEMAPI_SESSION_INIT_H
#define FREEMAPI_SESSION_INIT_H

#include <stdbool.h>

#include "mapidefs.h"

/* Whether MAPIInitialize is in effect (caches are kept only then). */
bool fm_init_active(void);

/* MAPI_E_NOT_INITIALIZED (with text naming fn) unless initialized. */
HRESULT fm_init_check(const char *fn);

#endif /* FREEMAPI_SESSION_INIT_H */
