/*
 * props/names.c - FEqualNames: two MAPINAMEID structures name the same
 * property when their property sets (GUIDs), kinds and either numeric
 * identifiers or names (compared exactly, case-sensitively) are equal.
 */
#include "core/text.h"
#include "mapiguid.h"
#include "mapiutil.h"

static int guids_equal(const GUID *a, const GUID *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return IsEqualGUID(a, b);
}

static int wide_equal(const WCHAR *a, const WCHAR *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    while (*a != 0 && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

STDAPI_(BOOL) FEqualNames(LPMAPINAMEID lpName1, LPMAPINAMEID lpName2)
{
    if (lpName1 == NULL || lpName2 == NULL)
        return lpName1 == lpName2;
    if (lpName1->ulKind != lpName2->ulKind || !guids_equal(lpName1->lpguid, lpName2->lpguid))
        return FALSE;
    if (lpName1->ulKind == MNID_ID)
        return lpName1->Kind.lID == lpName2->Kind.lID;
    if (lpName1->ulKind == MNID_STRING)
        return wide_equal(lpName1->Kind.lpwstrName, lpName2->Kind.lpwstrName);
    return FALSE;
}
