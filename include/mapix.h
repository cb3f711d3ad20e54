/*
 * mapix.h - Extended MAPI: initialization, memory, sessions and profiles.
 *
 * Written from Microsoft's MAPI reference. The memory functions follow MAPI's
 * documented model: MAPIAllocateBuffer makes a root buffer, MAPIAllocateMore
 * links a buffer to a root, MAPIFreeBuffer on the root frees the root and
 * everything linked to it, and MAPIFreeBuffer(NULL) does nothing. Buffers
 * are 16-byte aligned and may be used from any thread.
 */
#ifndef FREEMAPI_MAPIX_H
#define FREEMAPI_MAPIX_H

#include "mapidefs.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "mapitags.h"

FREEMAPI_BEGIN_DECLS

/* ---- memory ---------------------------------------------------------------
 * MAPIAllocateBuffer: S_OK, MAPI_E_INVALID_PARAMETER (lppBuffer NULL) or
 * MAPI_E_NOT_ENOUGH_MEMORY. MAPIAllocateMore: lpObject must be a buffer from
 * MAPIAllocateBuffer (or one linked to it, which links to the same root);
 * otherwise MAPI_E_INVALID_PARAMETER. MAPIFreeBuffer returns S_OK, or
 * MAPI_E_INVALID_PARAMETER for a pointer that is not a root buffer.
 */
STDAPI_(SCODE) MAPIAllocateBuffer(ULONG cbSize, LPVOID *lppBuffer);
STDAPI_(SCODE) MAPIAllocateMore(ULONG cbSize, LPVOID lpObject, LPVOID *lppBuffer);
STDAPI_(ULONG) MAPIFreeBuffer(LPVOID lpBuffer);

/* FREEMAPI_MAPIX_INTERFACES: sessions, profiles and their interfaces follow. */

FREEMAPI_END_DECLS

#endif /* FREEMAPI_MAPIX_H */
