/*
 * forms/formmgr.c - IMAPIFormMgr and MAPIOpenFormMgr: a session's form
 * manager. Its libraries hold no forms (formcontainer.c): message classes
 * resolve to nothing (MAPI_E_NOT_FOUND, or NULL entries for several),
 * property sets are empty, and what would start a form server (LoadForm,
 * CreateForm, PrepareForm) or show a dialog (SelectForm,
 * SelectMultipleForms, SelectFormContainer) answers MAPI_E_NO_SUPPORT,
 * saying why. The manager holds a reference on its session.
 */
#include <stdatomic.h>

#include "core/alloc.h"
#include "core/error.h"
#include "forms/forms.h"
#include "mapiguid.h"

typedef struct form_mgr {
    const IMAPIFormMgrVtbl *lpVtbl;
    _Atomic ULONG refs;
    LPMAPISESSION session;
    fm_forms_error err;
} form_mgr;

static form_mgr *self(IMAPIFormMgr *p)
{
    return (form_mgr *)p;
}

static HRESULT fail(IMAPIFormMgr *This, HRESULT hr)
{
    return fm_forms_fail(&self(This)->err, hr);
}

static HRESULT no_form_server(IMAPIFormMgr *This, const char *method)
{
    return fail(This, fm_error_set(MAPI_E_NO_SUPPORT, "IMAPIFormMgr::%s: form servers are "
                                                      "Windows programs; freemapi starts none",
                                   method));
}

static HRESULT no_dialog(IMAPIFormMgr *This, const char *method)
{
    return fail(This, fm_error_set(MAPI_E_NO_SUPPORT, "IMAPIFormMgr::%s: freemapi shows no "
                                                      "dialogs", method));
}

static STDMETHODIMP formmgr_QueryInterface(IMAPIFormMgr *This, REFIID riid, LPVOID *ppv)
{
    if (riid == NULL || ppv == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: NULL argument");
    *ppv = NULL;
    if (!IsEqualIID(riid, &IID_IMAPIFormMgr) && !IsEqualIID(riid, &IID_IUnknown))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "IMAPIFormMgr: unsupported "
                                                            "interface");
    atomic_fetch_add(&self(This)->refs, 1);
    *ppv = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) formmgr_AddRef(IMAPIFormMgr *This)
{
    return atomic_fetch_add(&self(This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) formmgr_Release(IMAPIFormMgr *This)
{
    form_mgr *m = self(This);
    ULONG left = atomic_fetch_sub(&m->refs, 1) - 1;
    if (left == 0) {
        m->session->lpVtbl->Release(m->session);
        fm_free(m);
    }
    return left;
}

static STDMETHODIMP formmgr_LoadForm(IMAPIFormMgr *This, ULONG_PTR ulUIParam, ULONG ulFlags,
                                 LPCSTR lpszMessageClass, ULONG ulMessageStatus,
                                 ULONG ulMessageFlags, LPMAPIFOLDER pFolderFocus,
                                 LPMAPIMESSAGESITE pMessageSite, LPMESSAGE pmsg,
                                 LPMAPIVIEWCONTEXT pViewContext, REFIID riid, LPVOID *ppvObj)
{
    if (ppvObj)
        *ppvObj = NULL;
    return no_form_server(This, "LoadForm");
}

static STDMETHODIMP formmgr_ResolveMessageClass(IMAPIFormMgr *This, LPCSTR szMsgClass,
                                            ULONG ulFlags, LPMAPIFOLDER pFolderFocus,
                                            LPMAPIFORMINFO *ppResult)
{
    if (ppResult)
        *ppResult = NULL;
    if (szMsgClass == NULL || ppResult == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "ResolveMessageClass: NULL "
                                                                 "argument"));
    return fail(This, fm_error_set(MAPI_E_NOT_FOUND, "ResolveMessageClass: no form library "
                                                     "holds a form for %s", szMsgClass));
}

static STDMETHODIMP formmgr_ResolveMultipleMessageClasses(IMAPIFormMgr *This,
                                                      LPSMESSAGECLASSARRAY pMsgClasses,
                                                      ULONG ulFlags, LPMAPIFOLDER pFolderFocus,
                                                      LPSMAPIFORMINFOARRAY *pfrminfoarray)
{
    return fail(This, fm_forms_resolve_none(pMsgClasses, pfrminfoarray));
}

static STDMETHODIMP formmgr_CalcFormPropSet(IMAPIFormMgr *This, LPSMAPIFORMINFOARRAY pfrminfoarray,
                                        ULONG ulFlags, LPMAPIFORMPROPARRAY *ppResults)
{
    return fail(This, fm_forms_no_props(ppResults));
}

static STDMETHODIMP formmgr_CreateForm(IMAPIFormMgr *This, ULONG_PTR ulUIParam, ULONG ulFlags,
                                   LPMAPIFORMINFO pfrminfoToActivate, REFIID refiidToAsk,
                                   LPVOID *ppvObj)
{
    if (ppvObj)
        *ppvObj = NULL;
    return no_form_server(This, "CreateForm");
}

static STDMETHODIMP formmgr_SelectForm(IMAPIFormMgr *This, ULONG_PTR ulUIParam, ULONG ulFlags,
                                   LPCTSTR pszTitle, LPMAPIFOLDER pfld,
                                   LPMAPIFORMINFO *ppfrminfoReturned)
{
    if (ppfrminfoReturned)
        *ppfrminfoReturned = NULL;
    return no_dialog(This, "SelectForm");
}

static STDMETHODIMP formmgr_SelectMultipleForms(IMAPIFormMgr *This, ULONG_PTR ulUIParam,
                                            ULONG ulFlags, LPCTSTR pszTitle, LPMAPIFOLDER pfld,
                                            LPSMAPIFORMINFOARRAY pfrminfoarray,
                                            LPSMAPIFORMINFOARRAY *ppfrminfoarray)
{
    if (ppfrminfoarray)
        *ppfrminfoarray = NULL;
    return no_dialog(This, "SelectMultipleForms");
}

static STDMETHODIMP formmgr_SelectFormContainer(IMAPIFormMgr *This, ULONG_PTR ulUIParam,
                                            ULONG ulFlags, LPMAPIFORMCONTAINER *lppfcnt)
{
    if (lppfcnt)
        *lppfcnt = NULL;
    return no_dialog(This, "SelectFormContainer");
}

static STDMETHODIMP formmgr_OpenFormContainer(IMAPIFormMgr *This, HFRMREG hfrmreg, LPUNKNOWN lpunk,
                                          LPMAPIFORMCONTAINER *lppfcnt)
{
    if (lppfcnt == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenFormContainer: NULL "
                                                                 "argument"));
    if (hfrmreg == HFRMREG_FOLDER && lpunk == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenFormContainer: the "
                                                                 "folder library needs its "
                                                                 "folder"));
    return fail(This, fm_form_container_new(hfrmreg, lppfcnt));
}

static STDMETHODIMP formmgr_PrepareForm(IMAPIFormMgr *This, ULONG_PTR ulUIParam, ULONG ulFlags,
                                    LPMAPIFORMINFO pfrminfo)
{
    return no_form_server(This, "PrepareForm");
}

static STDMETHODIMP formmgr_IsInConflict(IMAPIFormMgr *This, ULONG ulMessageFlags,
                                     ULONG ulMessageStatus, LPCSTR szMessageClass,
                                     LPMAPIFOLDER pFolderFocus)
{
    return fail(This, fm_error_set(MAPI_E_NOT_FOUND, "IsInConflict: no form handles %s, so "
                                                     "none handles its conflicts",
                                   szMessageClass ? szMessageClass : "(null)"));
}

static STDMETHODIMP formmgr_GetLastError(IMAPIFormMgr *This, HRESULT hResult, ULONG ulFlags,
                                     LPMAPIERROR *lppMAPIError)
{
    return fm_forms_get_last_error(&self(This)->err, "IMAPIFormMgr", hResult, ulFlags,
                                   lppMAPIError);
}

static const IMAPIFormMgrVtbl FORM_MGR_VTBL = {
    .QueryInterface = formmgr_QueryInterface,
    .AddRef = formmgr_AddRef,
    .Release = formmgr_Release,
    .LoadForm = formmgr_LoadForm,
    .ResolveMessageClass = formmgr_ResolveMessageClass,
    .ResolveMultipleMessageClasses = formmgr_ResolveMultipleMessageClasses,
    .CalcFormPropSet = formmgr_CalcFormPropSet,
    .CreateForm = formmgr_CreateForm,
    .SelectForm = formmgr_SelectForm,
    .SelectMultipleForms = formmgr_SelectMultipleForms,
    .SelectFormContainer = formmgr_SelectFormContainer,
    .OpenFormContainer = formmgr_OpenFormContainer,
    .PrepareForm = formmgr_PrepareForm,
    .IsInConflict = formmgr_IsInConflict,
    .GetLastError = formmgr_GetLastError,
};

STDAPI MAPIOpenFormMgr(LPMAPISESSION pSession, LPMAPIFORMMGR *ppmgr)
{
    if (pSession == NULL || ppmgr == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIOpenFormMgr: NULL argument");
    *ppmgr = NULL;
    LPUNKNOWN check = NULL;
    if (pSession->lpVtbl->QueryInterface(pSession, &IID_IMAPISession, (LPVOID *)&check) != S_OK)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIOpenFormMgr: pSession is not a "
                                                      "session");
    check->lpVtbl->Release(check);
    form_mgr *m = fm_calloc(1, sizeof *m);
    if (m == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "MAPIOpenFormMgr: out of memory");
    m->lpVtbl = &FORM_MGR_VTBL;
    atomic_init(&m->refs, 1);
    pSession->lpVtbl->AddRef(pSession);
    m->session = pSession;
    *ppmgr = (LPMAPIFORMMGR)m;
    return S_OK;
}
