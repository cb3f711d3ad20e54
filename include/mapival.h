/*
 * mapival.h - MAPI's parameter validation functions.
 *
 * Written from the MAPI reference pages of each function on Microsoft Learn.
 * Every function answers "is this argument bad?": TRUE (nonzero) when it is,
 * FALSE when it is well formed. Some are documented as returning BOOL and
 * some as ULONG; the declarations below keep the documented types.
 *
 * In freemapi a bad argument also leaves one line of text saying what was
 * wrong in the calling thread (fmapi_last_error in freemapi.h). None of
 * these functions allocates memory.
 *
 * FBadRglpszA is the 8-bit counterpart of the documented FBadRglpszW (its
 * strings are UTF-8 in freemapi); FBadRglpsz follows UNICODE as the other
 * generic names do.
 */
#ifndef FREEMAPI_MAPIVAL_H
#define FREEMAPI_MAPIVAL_H

#include "mapidefs.h"

FREEMAPI_BEGIN_DECLS

/* Strings: NULL array with cStrings > 0, NULL strings, invalid encoding. */
STDAPI_(BOOL) FBadRglpszA(LPSTR FAR *lppszA, ULONG cStrings);
STDAPI_(BOOL) FBadRglpszW(LPWSTR FAR *lppszW, ULONG cStrings);
#ifdef UNICODE
#define FBadRglpsz FBadRglpszW
#else
#define FBadRglpsz FBadRglpszA
#endif

/* Rows of a table (SRowSet, SRow) and single property values. */
STDAPI_(BOOL) FBadRowSet(LPSRowSet lpRowSet);
STDAPI_(ULONG) FBadRow(LPSRow lprow);
STDAPI_(ULONG) FBadProp(LPSPropValue lpprop);
STDAPI_(ULONG) FBadPropTag(ULONG ulPropTag);

/* Arguments of IMAPITable: column sets, restrictions, sort orders. */
STDAPI_(ULONG) FBadColumnSet(LPSPropTagArray lpptaCols);
STDAPI_(ULONG) FBadRestriction(LPSRestriction lpres);
STDAPI_(ULONG) FBadSortOrderSet(LPSSortOrderSet lpsos);

/* Lists of entry identifiers and arrays of property names. */
STDAPI_(BOOL) FBadEntryList(LPENTRYLIST lpEntryList);
STDAPI_(BOOL) FBadRglpNameID(LPMAPINAMEID FAR *lppNameId, ULONG cNames);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_MAPIVAL_H */
