/*
 * props/onepropt.c - HrGetOneProp and HrSetOneProp: one property through
 * IMAPIProp::GetProps / SetProps, turning the per-property error those
 * report into the function's own result.
 */
#include "core/error.h"
#include "mapicode.h"
#include "mapiutil.h"

STDAPI HrGetOneProp(LPMAPIPROP lpMapiProp, ULONG ulPropTag, LPSPropValue *lppProp)
{
    if (lppProp == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "HrGetOneProp: lppProp is NULL");
    *lppProp = NULL;
    if (lpMapiProp == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "HrGetOneProp: lpMapiProp is NULL");
    SizedSPropTagArray(1, one) = {1, {ulPropTag}};
    ULONG count = 0;
    LPSPropValue values = NULL;
    HRESULT hr = IMAPIProp_GetProps(lpMapiProp, (LPSPropTagArray)&one, 0, &count, &values);
    if (FAILED(hr)) {
        MAPIFreeBuffer(values);
        return hr;
    }
    if (values == NULL || count != 1) {
        MAPIFreeBuffer(values);
        return fm_error_set(MAPI_E_NOT_FOUND, "HrGetOneProp: property 0x%08lX not returned",
                            (unsigned long)ulPropTag);
    }
    if (PROP_TYPE(values->ulPropTag) == PT_ERROR) {
        /* Running out of memory is not "not found"; every other error is. */
        SCODE sc = values->Value.err == MAPI_E_NOT_ENOUGH_MEMORY ? MAPI_E_NOT_ENOUGH_MEMORY
                                                                 : MAPI_E_NOT_FOUND;
        SCODE got = values->Value.err;
        MAPIFreeBuffer(values);
        return fm_error_set(sc, "HrGetOneProp: property 0x%08lX not available (0x%08lX)",
                            (unsigned long)ulPropTag, (unsigned long)(ULONG)got);
    }
    *lppProp = values;
    return S_OK;
}

STDAPI HrSetOneProp(LPMAPIPROP lpMapiProp, LPSPropValue lpProp)
{
    if (lpMapiProp == NULL || lpProp == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "HrSetOneProp: lpMapiProp and lpProp must not be NULL");
    LPSPropProblemArray problems = NULL;
    HRESULT hr = IMAPIProp_SetProps(lpMapiProp, 1, lpProp, &problems);
    if (SUCCEEDED(hr) && problems != NULL && problems->cProblem > 0) {
        hr = fm_error_set(problems->aProblem[0].scode,
                          "HrSetOneProp: property 0x%08lX could not be set (0x%08lX)",
                          (unsigned long)lpProp->ulPropTag,
                          (unsigned long)(ULONG)problems->aProblem[0].scode);
    }
    MAPIFreeBuffer(problems);
    return hr;
}
