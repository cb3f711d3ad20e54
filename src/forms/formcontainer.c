/*
 * forms/formcontainer.c - IMAPIFormContainer: a form library holding no
 * forms (MAPIOpenLocalFormContainer, IMAPIFormMgr::OpenFormContainer).
 *
 * A form is installed from a configuration file naming a Windows form
 * server, which freemapi cannot run, so InstallForm answers
 * MAPI_E_NO_SUPPORT; the library stays empty and every lookup answers as
 * the reference says a library without the form answers.
 */
#include <stdatomic.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "forms/forms.h"
#include "mapiguid.h"

typedef struct form_container {
    const IMAPIFormContainerVtbl *lpVtbl;
    _Atomic ULONG refs;
    HFRMREG reg;
    fm_forms_error err;
} form_container;

static form_container *self(IMAPIFormContainer *p)
{
    return (form_container *)p;
}

static HRESULT fail(IMAPIFormContainer *This, HRESULT hr)
{
    return fm_forms_fail(&self(This)->err, hr);
}

static STDMETHODIMP formcontainer_QueryInterface(IMAPIFormContainer *This, REFIID riid, LPVOID *ppv)
{
    if (riid == NULL || ppv == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: NULL argument");
    *ppv = NULL;
    if (!IsEqualIID(riid, &IID_IMAPIFormContainer) && !IsEqualIID(riid, &IID_IUnknown))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "IMAPIFormContainer: unsupported "
                                                            "interface");
    atomic_fetch_add(&self(This)->refs, 1);
    *ppv = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) formcontainer_AddRef(IMAPIFormContainer *This)
{
    return atomic_fetch_add(&self(This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) formcontainer_Release(IMAPIFormContainer *This)
{
    ULONG left = atomic_fetch_sub(&self(This)->refs, 1) - 1;
    if (left == 0)
        fm_free(self(This));
    return left;
}

static STDMETHODIMP formcontainer_InstallForm(IMAPIFormContainer *This, ULONG_PTR ulUIParam, ULONG ulFlags,
                                   LPCTSTR szCfgPathName)
{
    return fail(This, fm_error_set(MAPI_E_NO_SUPPORT, "InstallForm: a form's configuration "
                                                      "names a Windows form server, which "
                                                      "freemapi cannot run"));
}

static STDMETHODIMP formcontainer_RemoveForm(IMAPIFormContainer *This, LPCSTR szMessageClass)
{
    if (szMessageClass == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "RemoveForm: NULL class"));
    return fail(This, fm_error_set(MAPI_E_NOT_FOUND, "RemoveForm: no form is installed for %s",
                                   szMessageClass));
}

static STDMETHODIMP formcontainer_ResolveMessageClass(IMAPIFormContainer *This, LPCSTR szMessageClass,
                                           ULONG ulFlags, LPMAPIFORMINFO *pforminfo)
{
    if (pforminfo)
        *pforminfo = NULL;
    if (szMessageClass == NULL || pforminfo == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "ResolveMessageClass: NULL "
                                                                 "argument"));
    return fail(This, fm_error_set(MAPI_E_NOT_FOUND, "ResolveMessageClass: no form in this "
                                                     "library handles %s", szMessageClass));
}

static STDMETHODIMP formcontainer_ResolveMultipleMessageClasses(IMAPIFormContainer *This,
                                                     LPSMESSAGECLASSARRAY pMsgClassArray,
                                                     ULONG ulFlags,
                                                     LPSMAPIFORMINFOARRAY *ppfrminfoarray)
{
    return fail(This, fm_forms_resolve_none(pMsgClassArray, ppfrminfoarray));
}

static STDMETHODIMP formcontainer_CalcFormPropSet(IMAPIFormContainer *This, ULONG ulFlags,
                                       LPMAPIFORMPROPARRAY *ppResults)
{
    return fail(This, fm_forms_no_props(ppResults));
}

static const char *display_name(HFRMREG reg)
{
    switch (reg) {
    case HFRMREG_LOCAL: return "Local Forms";
    case HFRMREG_PERSONAL: return "Personal Forms";
    case HFRMREG_FOLDER: return "Folder Forms";
    default: return "Organization Forms";
    }
}

static STDMETHODIMP formcontainer_GetDisplay(IMAPIFormContainer *This, ULONG ulFlags, LPTSTR *pszDisplayName)
{
    if (pszDisplayName == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "GetDisplay: NULL argument"));
    *pszDisplayName = NULL;
    if (ulFlags & ~MAPI_UNICODE)
        return fail(This, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetDisplay: unknown flags"));
    const char *name = display_name(self(This)->reg);
    HRESULT hr;
    if (ulFlags & MAPI_UNICODE) {
        hr = fm_utf8_to_utf16_mapi(name, NULL, (LPWSTR *)pszDisplayName);
    } else {
        hr = MAPIAllocateBuffer((ULONG)strlen(name) + 1, (void **)pszDisplayName);
        if (hr == S_OK)
            memcpy(*pszDisplayName, name, strlen(name) + 1);
        else
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "GetDisplay: out of memory");
    }
    return fail(This, hr);
}

static STDMETHODIMP formcontainer_GetLastError(IMAPIFormContainer *This, HRESULT hResult, ULONG ulFlags,
                                    LPMAPIERROR *lppMAPIError)
{
    return fm_forms_get_last_error(&self(This)->err, "IMAPIFormContainer", hResult, ulFlags,
                                   lppMAPIError);
}

static const IMAPIFormContainerVtbl FORM_CONTAINER_VTBL = {
    .QueryInterface = formcontainer_QueryInterface,
    .AddRef = formcontainer_AddRef,
    .Release = formcontainer_Release,
    .InstallForm = formcontainer_InstallForm,
    .RemoveForm = formcontainer_RemoveForm,
    .ResolveMessageClass = formcontainer_ResolveMessageClass,
    .ResolveMultipleMessageClasses = formcontainer_ResolveMultipleMessageClasses,
    .CalcFormPropSet = formcontainer_CalcFormPropSet,
    .GetDisplay = formcontainer_GetDisplay,
    .GetLastError = formcontainer_GetLastError,
};

HRESULT fm_form_container_new(HFRMREG hfrmreg, LPMAPIFORMCONTAINER *out)
{
    *out = NULL;
    if (hfrmreg > HFRMREG_FOLDER)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "no form library %lu",
                            (unsigned long)hfrmreg);
    form_container *c = fm_calloc(1, sizeof *c);
    if (c == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a form library");
    c->lpVtbl = &FORM_CONTAINER_VTBL;
    atomic_init(&c->refs, 1);
    c->reg = hfrmreg;
    *out = (LPMAPIFORMCONTAINER)c;
    return S_OK;
}

STDAPI MAPIOpenLocalFormContainer(LPMAPIFORMCONTAINER *ppfcnt)
{
    if (ppfcnt == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIOpenLocalFormContainer: NULL "
                                                      "argument");
    return fm_form_container_new(HFRMREG_LOCAL, ppfcnt);
}
