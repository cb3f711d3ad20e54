/*
 * store/propblob.h - property arrays as bytes: the props column of folders,
 * messages, recipients and attachments.
 *
 * A blob holds small property values (large ones live in streams, see
 * store/stream.h). Strings are kept once, as UTF-8 under their PT_STRING8
 * tag, whatever width the caller wrote them in: the object layer converts to
 * the width asked for on the way out. Multi-valued strings likewise.
 *
 * Format (little-endian, versioned by its first byte): see propblob.c.
 * Decoding never trusts the bytes: a truncated or inconsistent blob is
 * MAPI_E_CORRUPT_STORE with text, never a crash or an over-read.
 */
#ifndef FREEMAPI_STORE_PROPBLOB_H
#define FREEMAPI_STORE_PROPBLOB_H

#include <stddef.h>
#include "mapidefs.h"

/*
 * Encodes cValues properties into a new blob (fm_malloc'd; free with
 * fm_free). PT_UNICODE and PT_MV_UNICODE values are stored as UTF-8 under
 * the PT_STRING8 / PT_MV_STRING8 tag. PT_ERROR, PT_NULL and PT_OBJECT
 * values are refused (MAPI_E_INVALID_PARAMETER): they are not stored.
 * Errors: MAPI_E_INVALID_PARAMETER (bad value, invalid UTF-16),
 * MAPI_E_NOT_ENOUGH_MEMORY.
 */
HRESULT fm_propblob_encode(ULONG cValues, const SPropValue *lpProps, void **lppBlob,
                           size_t *lpcbBlob);

/*
 * Decodes a blob into one MAPI buffer: an SPropValue array and everything it
 * points to, linked to parent (or a new root when parent is NULL). Strings
 * come back as PT_STRING8 (UTF-8). An empty blob (len 0) decodes to zero
 * properties with *lppProps NULL. Errors: MAPI_E_CORRUPT_STORE,
 * MAPI_E_NOT_ENOUGH_MEMORY.
 */
HRESULT fm_propblob_decode(const void *lpBlob, size_t cbBlob, void *parent, ULONG *lpcValues,
                           LPSPropValue *lppProps);

/*
 * Finds one property by its ID (any type) without decoding the rest, and
 * decodes it into *lpProp, with pointed-to data linked to parent (which
 * must not be NULL). MAPI_E_NOT_FOUND when absent; MAPI_E_CORRUPT_STORE.
 */
HRESULT fm_propblob_find(const void *lpBlob, size_t cbBlob, ULONG ulPropId, void *parent,
                         SPropValue *lpProp);

#endif /* FREEMAPI_STORE_PROPBLOB_H */
