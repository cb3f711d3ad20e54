/*
 * omapix.h - the additions of Outlook's MAPI to mapix.h that the MAPI
 * reference puts in this header: MAPIReallocateBuffer.
 */
#ifndef FREEMAPI_OMAPIX_H
#define FREEMAPI_OMAPIX_H

#include "mapix.h"

FREEMAPI_BEGIN_DECLS

/* Resizes a buffer of MAPIAllocateBuffer: *lppv is a block of ulSize
 * bytes holding the buffer's bytes (up to the smaller size), and the
 * buffer's MAPIAllocateMore blocks stay linked to it; lpv is no longer
 * valid unless the call failed. Pointers inside the buffer are not
 * adjusted. lpv NULL allocates a new buffer. */
STDAPI_(SCODE) MAPIReallocateBuffer(LPVOID lpv, ULONG ulSize, LPVOID *lppv);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_OMAPIX_H */
