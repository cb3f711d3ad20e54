/*
 * store/namedprops.h - a store's named-property map (GetIDsFromNames and
 * GetNamesFromIDs of every object in the store).
 *
 * Names (a property-set GUID plus a numeric MNID_ID or a string MNID_STRING
 * name) map to property IDs 0x8000..0xFFFE, stable for the life of the
 * store: kept in the named_props table, assigned in one short transaction
 * when MAPI_CREATE asks for a new one. Names in PS_MAPI map to the ID they
 * name (documented: PS_MAPI MNID_ID n is property ID n) and are never
 * stored. A per-store cache avoids a query per lookup; it is bounded
 * (FM_NAMEDPROPS_CACHE_MAX entries) and owned by the store object.
 */
#ifndef FREEMAPI_STORE_NAMEDPROPS_H
#define FREEMAPI_STORE_NAMEDPROPS_H

#include "db/db.h"

#define FM_NAMEDPROP_ID_MIN 0x8000
#define FM_NAMEDPROP_ID_MAX 0xFFFE
#define FM_NAMEDPROPS_CACHE_MAX 4096

typedef struct fm_namedprops fm_namedprops;

/* Creates the map for an open store (the db stays owned by the caller). */
HRESULT fm_namedprops_new(fm_db *db, fm_namedprops **out);
void fm_namedprops_free(fm_namedprops *np);

/*
 * Looks up one name. S_OK with *lpulId set; MAPI_E_NOT_FOUND when unknown and
 * create is 0; with create, assigns the next free ID (MAPI_E_NOT_ENOUGH_RESOURCES
 * when all 32,767 are taken). Invalid names (NULL guid, unknown ulKind, NULL or
 * invalid-UTF-16 string): MAPI_E_INVALID_PARAMETER.
 */
HRESULT fm_namedprops_id_of(fm_namedprops *np, const MAPINAMEID *name, int create, ULONG *lpulId);

/*
 * The name of property ID id (0x8000..0xFFFE): a MAPINAMEID in a MAPI buffer
 * linked to parent (root when NULL), with its GUID and string inside the
 * same chain. IDs below 0x8000 give the PS_MAPI MNID_ID name.
 * MAPI_E_NOT_FOUND when the ID is not assigned.
 */
HRESULT fm_namedprops_name_of(fm_namedprops *np, ULONG id, void *parent, LPMAPINAMEID *out);

/* Calls fn for every assigned name of property set guid (NULL: all). */
HRESULT fm_namedprops_foreach(fm_namedprops *np, const GUID *guid,
                              HRESULT (*fn)(void *ctx, ULONG id), void *ctx);

#endif /* FREEMAPI_STORE_NAMEDPROPS_H */
