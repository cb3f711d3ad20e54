/*
 * forms/forms_common.c - what the form manager and form containers share:
 * their last error and the answers of a library that holds no forms.
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "forms/forms.h"

HRESULT fm_forms_fail(fm_forms_error *e, HRESULT hr)
{
    if (FAILED(hr)) {
        e->hr = hr;
        snprintf(e->text, sizeof e->text, "%s", fm_error_text());
    }
    return hr;
}

HRESULT fm_forms_get_last_error(const fm_forms_error *e, const char *component, HRESULT hr,
                                ULONG flags, LPMAPIERROR *out)
{
    return fm_error_make_mapierror(hr, flags, e->hr == hr ? e->text : NULL, component, out);
}

HRESULT fm_forms_resolve_none(LPSMESSAGECLASSARRAY classes, LPSMAPIFORMINFOARRAY *out)
{
    if (classes == NULL || out == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ResolveMultipleMessageClasses: NULL "
                                                      "argument");
    *out = NULL;
    ULONG n = classes->cMessageClass;
    LPSMAPIFORMINFOARRAY a = NULL;
    if (MAPIAllocateBuffer((ULONG)CbMAPIFormInfoArray(n ? n : 1), (void **)&a) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "ResolveMultipleMessageClasses: out of "
                                                      "memory");
    a->cForms = n;
    for (ULONG i = 0; i < n; i++)
        a->aFormInfo[i] = NULL; /* as documented for a class with no form */
    *out = a;
    return S_OK;
}

HRESULT fm_forms_no_props(LPMAPIFORMPROPARRAY *out)
{
    if (out == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CalcFormPropSet: NULL argument");
    if (MAPIAllocateBuffer((ULONG)CbMAPIFormPropArray(1), (void **)out) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "CalcFormPropSet: out of memory");
    (*out)->cProps = 0;
    return S_OK;
}
