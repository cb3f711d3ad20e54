/*
 * props/propfind.c - finding a property: PpropFindProp and LpValFindProp in
 * an SPropValue array, FPropExists on an IMAPIProp object.
 *
 * PpropFindProp and FPropExists match the whole tag, or only the identifier
 * when the tag's type is PT_UNSPECIFIED; LpValFindProp always matches the
 * identifier only, as documented.
 */
#include "core/error.h"
#include "mapicode.h"
#include "mapiutil.h"

static int tag_matches(ULONG want, ULONG have)
{
    if (PROP_TYPE(want) == PT_UNSPECIFIED)
        return PROP_ID(want) == PROP_ID(have);
    return want == have;
}

STDAPI_(LPSPropValue) PpropFindProp(LPSPropValue lpPropArray, ULONG cValues, ULONG ulPropTag)
{
    if (lpPropArray == NULL)
        return NULL;
    for (ULONG i = 0; i < cValues; i++)
        if (tag_matches(ulPropTag, lpPropArray[i].ulPropTag))
            return &lpPropArray[i];
    return NULL;
}

STDAPI_(LPSPropValue) LpValFindProp(ULONG ulPropTag, ULONG cValues, LPSPropValue lpPropArray)
{
    if (lpPropArray == NULL)
        return NULL;
    for (ULONG i = 0; i < cValues; i++)
        if (PROP_ID(lpPropArray[i].ulPropTag) == PROP_ID(ulPropTag))
            return &lpPropArray[i];
    return NULL;
}

STDAPI_(BOOL) FPropExists(LPMAPIPROP lpMapiProp, ULONG ulPropTag)
{
    if (lpMapiProp == NULL) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "FPropExists: lpMapiProp is NULL");
        return FALSE;
    }
    /* Ask for the list in the string width the tag names. */
    ULONG type = PROP_TYPE(ulPropTag);
    ULONG flags = (type == PT_UNICODE || type == PT_MV_UNICODE) ? MAPI_UNICODE : 0;
    LPSPropTagArray tags = NULL;
    HRESULT hr = IMAPIProp_GetPropList(lpMapiProp, flags, &tags);
    if (FAILED(hr) || tags == NULL)
        return FALSE;
    BOOL found = FALSE;
    for (ULONG i = 0; i < tags->cValues && !found; i++)
        found = tag_matches(ulPropTag, tags->aulPropTag[i]);
    MAPIFreeBuffer(tags);
    return found;
}
