/*
 * props/propcopy.c - PropCopyMore: a deep copy of one property value whose
 * data is allocated with the caller's MAPIAllocateMore onto lpvObject, so
 * it lives and dies with the caller's buffer.
 */
#include "core/error.h"
#include "mapicode.h"
#include "mapiutil.h"
#include "props/propvalue.h"

STDAPI_(SCODE)
PropCopyMore(LPSPropValue lpSPropValueDest, LPSPropValue lpSPropValueSrc,
             ALLOCATEMORE *lpfAllocMore, LPVOID lpvObject)
{
    if (lpSPropValueDest == NULL || lpSPropValueSrc == NULL || lpfAllocMore == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "PropCopyMore: destination, source and lpfAllocMore must not be NULL");
    ULONG type = fm_props_value_type(lpSPropValueSrc->ulPropTag);
    /* The documented code for a type PropCopyMore does not know. */
    if (!fm_props_type_known(type))
        return fm_error_set(MAPI_E_NO_SUPPORT, "PropCopyMore: unknown property type 0x%04lX",
                            (unsigned long)type);
    /* The tag keeps its MVI bit; copy_as is asked for the stored type. */
    return fm_props_copy_as(lpSPropValueDest, lpSPropValueSrc, type, lpfAllocMore, lpvObject);
}
