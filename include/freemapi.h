/*
 * freemapi.h - freemapi's own extensions to the MAPI API.
 *
 * Everything MAPI documents lives in the MAPI headers (mapix.h, mapiutil.h,
 * ...). What freemapi adds, and only that, is declared from here: the
 * allocator's counters and failure injection, per-thread error text, names
 * of property tags, the restriction engine, store files and the live
 * sessions, notification counters. Extension names start with fmapi_.
 */
#ifndef FREEMAPI_H
#define FREEMAPI_H

#include "mapidefs.h"
#include "mapicode.h"
#include "freemapi_alloc.h"
#include "freemapi_error.h"
#include "freemapi_notify.h"
#include "freemapi_proptags.h"
#include "freemapi_restriction.h"
#include "freemapi_session.h"
#include "freemapi_store.h"

#define FREEMAPI_VERSION_MAJOR 0
#define FREEMAPI_VERSION_MINOR 1
#define FREEMAPI_VERSION_PATCH 0

FREEMAPI_BEGIN_DECLS

/* The library's version as "major.minor.patch"; a static string. */
FREEMAPI_PUBLIC const char *fmapi_version(void);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_H */
