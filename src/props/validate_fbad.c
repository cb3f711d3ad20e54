/*
 * props/validate_fbad.c - the documented FBad* functions of mapival.h.
 *
 * Each is a thin answer over the matching fm_validate_* function: TRUE when
 * the argument is bad, with the reason left in fmapi_last_error().
 */
#include "mapival.h"
#include "props/validate.h"

static ULONG bad(HRESULT hr)
{
    return hr != S_OK ? TRUE : FALSE;
}

STDAPI_(BOOL) FBadRglpszA(LPSTR FAR *lppszA, ULONG cStrings)
{
    return (BOOL)bad(fm_validate_strings_a(lppszA, cStrings, "FBadRglpszA"));
}

STDAPI_(BOOL) FBadRglpszW(LPWSTR FAR *lppszW, ULONG cStrings)
{
    return (BOOL)bad(fm_validate_strings_w(lppszW, cStrings, "FBadRglpszW"));
}

STDAPI_(BOOL) FBadRowSet(LPSRowSet lpRowSet)
{
    return (BOOL)bad(fm_validate_row_set(lpRowSet, "FBadRowSet"));
}

STDAPI_(ULONG) FBadRow(LPSRow lprow)
{
    return bad(fm_validate_row(lprow, "FBadRow"));
}

STDAPI_(ULONG) FBadProp(LPSPropValue lpprop)
{
    return bad(fm_validate_prop(lpprop, "FBadProp"));
}

STDAPI_(ULONG) FBadPropTag(ULONG ulPropTag)
{
    return bad(fm_validate_prop_tag(ulPropTag, "FBadPropTag"));
}

STDAPI_(ULONG) FBadColumnSet(LPSPropTagArray lpptaCols)
{
    return bad(fm_validate_column_set(lpptaCols, "FBadColumnSet"));
}

STDAPI_(ULONG) FBadRestriction(LPSRestriction lpres)
{
    return bad(fm_validate_restriction(lpres, "FBadRestriction"));
}

STDAPI_(ULONG) FBadSortOrderSet(LPSSortOrderSet lpsos)
{
    return bad(fm_validate_sort_order_set(lpsos, "FBadSortOrderSet"));
}

STDAPI_(BOOL) FBadEntryList(LPENTRYLIST lpEntryList)
{
    return (BOOL)bad(fm_validate_entry_list(lpEntryList, "FBadEntryList"));
}

STDAPI_(BOOL) FBadRglpNameID(LPMAPINAMEID FAR *lppNameId, ULONG cNames)
{
    return (BOOL)bad(fm_validate_name_ids(lppNameId, cNames, "FBadRglpNameID"));
}
