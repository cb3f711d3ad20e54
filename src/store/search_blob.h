/*
 * store/search_blob.h - a search folder's restriction as bytes: the
 * restriction column of search_criteria (store/search_folder.c).
 *
 * The store keeps what SetSearchCriteria was given so that
 * GetSearchCriteria returns it and the search survives closing the store.
 * Property values inside the restriction are encoded as store/propblob.h
 * encodes them (strings as UTF-8); decoding gives them back in the width the
 * caller asks for. Decoding never trusts the bytes: a truncated or
 * inconsistent blob is MAPI_E_CORRUPT_STORE with text.
 */
#ifndef FREEMAPI_STORE_SEARCH_BLOB_H
#define FREEMAPI_STORE_SEARCH_BLOB_H

#include <stdbool.h>
#include <stddef.h>

#include "mapidefs.h"

/* Nesting accepted, as the restriction engine accepts it. */
#define FM_SEARCH_BLOB_MAX_DEPTH 256

/* res as a new fm_malloc'd blob. MAPI_E_INVALID_PARAMETER (an unknown rt, a
 * value propblob refuses), MAPI_E_TOO_COMPLEX (too deep),
 * MAPI_E_NOT_ENOUGH_MEMORY. */
HRESULT fm_search_blob_encode(const SRestriction *res, void **blob, size_t *len);

/* The restriction of a blob as one MAPI buffer (*out; MAPIFreeBuffer), its
 * string values and their tags PT_UNICODE when wide, else PT_STRING8
 * (UTF-8). MAPI_E_CORRUPT_STORE, MAPI_E_NOT_ENOUGH_MEMORY. */
HRESULT fm_search_blob_decode(const void *blob, size_t len, bool wide, LPSRestriction *out);

#endif /* FREEMAPI_STORE_SEARCH_BLOB_H */
