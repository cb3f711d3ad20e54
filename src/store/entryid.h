/*
 * store/entryid.h - entry IDs, record keys and source keys of store objects.
 *
 * A freemapi store entry ID is a long-term ENTRYID:
 *
 *     abFlags[4]  = 0 (long-term)
 *     MAPIUID     the store's UID (16 bytes): lets a session route OpenEntry
 *                 to the right store (its provider UID, in MAPI's terms)
 *     BYTE        version (1)
 *     BYTE        kind: FM_EID_STORE, FM_EID_FOLDER or FM_EID_MESSAGE
 *     BYTE[2]     reserved, 0
 *     uint64 LE   the object's id (fid or mid; 0 for the store)
 *
 * 32 bytes in all. Identifiers are never reused (schema.c), so an entry ID
 * names one object forever. PR_SOURCE_KEY is the [MS-OXCFXICS] XID form:
 * the store UID as a GUID (16 bytes) + a 6-byte little-endian counter.
 */
#ifndef FREEMAPI_STORE_ENTRYID_H
#define FREEMAPI_STORE_ENTRYID_H

#include <stdint.h>
#include "mapidefs.h"

#define FM_EID_STORE 1
#define FM_EID_FOLDER 2
#define FM_EID_MESSAGE 3

#define FM_EID_SIZE 32
#define FM_SOURCE_KEY_SIZE 22

/* Builds an entry ID in a MAPI buffer linked to parent (a new root when
 * parent is NULL). MAPI_E_NOT_ENOUGH_MEMORY. */
HRESULT fm_entryid_make(const MAPIUID *store_uid, int kind, uint64_t id, void *parent,
                        ULONG *lpcb, LPENTRYID *lppEntryID);

/* Writes the same bytes into buf (FM_EID_SIZE bytes). */
void fm_entryid_write(const MAPIUID *store_uid, int kind, uint64_t id, BYTE *buf);

/*
 * Parses an entry ID. MAPI_E_INVALID_ENTRYID when it is not a freemapi store
 * entry ID at all (wrong size, version, kind, flags); S_OK otherwise, with
 * the store UID, kind and id (the caller compares the UID with its own
 * store and answers MAPI_E_UNKNOWN_ENTRYID for another store's ID).
 * cb == 0 / lpEntryID NULL is MAPI_E_INVALID_ENTRYID (callers that accept
 * an empty ID, like OpenEntry for the root, check that first).
 */
HRESULT fm_entryid_parse(ULONG cb, const ENTRYID *lpEntryID, MAPIUID *store_uid, int *kind,
                         uint64_t *id);

/* PR_SOURCE_KEY bytes for object id in the store (FM_SOURCE_KEY_SIZE bytes). */
void fm_source_key_write(const MAPIUID *store_uid, uint64_t id, BYTE *buf);

#endif /* FREEMAPI_STORE_ENTRYID_H */
