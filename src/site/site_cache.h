/*
 * site/site_cache.h - sites kept open for sessions while MAPI is
 * initialized: a logon reuses the connection to its site's directory
 * instead of reopening the file (and rebuilding its shared-memory index)
 * each time. Bounded (FM_SITE_CACHE_SIZE sites, least recently used goes);
 * owned by initialization (registered with core/init.h), emptied by the
 * last MAPIUninitialize.
 */
#ifndef FREEMAPI_SITE_SITE_CACHE_H
#define FREEMAPI_SITE_SITE_CACHE_H

#include "site/site.h"

#define FM_SITE_CACHE_SIZE 4

/* The open site in dir, with a reference the caller drops with
 * fmapi_site_close. Errors as fmapi_site_open. */
HRESULT fm_site_shared_open(const char *dir, fmapi_site **out);

#endif /* FREEMAPI_SITE_SITE_CACHE_H */
