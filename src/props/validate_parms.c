/*
 * props/validate_parms.c - what ValidateParms (mapival.h) checks: the
 * arguments it can reach portably, which are the method number and, from
 * C, the object pointer and its vtable (see mapival.h for why no more).
 */
#include "core/error.h"
#include "mapival.h"

static HRESULT check_method(METHODS eMethod, const char *fn)
{
    if ((int)eMethod < 0 || eMethod >= FREEMAPI_METHODS_END)
        return fm_error_set(MAPI_E_CALL_FAILED, "%s: unknown method number %d", fn,
                            (int)eMethod);
    return S_OK;
}

STDAPI HrValidateParameters(METHODS eMethod, LPVOID *ppFirstArg)
{
    HRESULT hr = check_method(eMethod, "ValidateParms");
    if (hr != S_OK)
        return hr;
    if (ppFirstArg == NULL || *ppFirstArg == NULL)
        return fm_error_set(MAPI_E_CALL_FAILED, "ValidateParms: the object pointer is NULL");
    if (*(void **)*ppFirstArg == NULL)
        return fm_error_set(MAPI_E_CALL_FAILED, "ValidateParms: the object has no vtable");
    return S_OK;
}

STDAPI HrValidateParametersCPP(METHODS eMethod, LPVOID pFirstArg)
{
    return check_method(eMethod, "ValidateParms");
}
