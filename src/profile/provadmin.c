/*
 * profile/provadmin.c - IProviderAdmin: the providers of one message
 * service (admin.h). Each built-in service has exactly one provider, its
 * message store provider, made and removed with the service itself.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/lasterr.h"
#include "mapiguid.h"
#include "profile/admin.h"
#include "profile/profsect.h"

typedef struct fm_provadmin {
    const IProviderAdminVtbl *lpVtbl;
    _Atomic ULONG refs;
    fm_profstore *ps;
    MAPIUID profile, service;
    fm_lasterr err;
} fm_provadmin;

static fm_provadmin *self(IProviderAdmin *p)
{
    return (fm_provadmin *)p;
}

static HRESULT fail(IProviderAdmin *This, HRESULT hr)
{
    return fm_lasterr_record(&self(This)->err, hr);
}

static STDMETHODIMP provadmin_QueryInterface(IProviderAdmin *This, REFIID riid, LPVOID *ppvObj)
{
    if (riid == NULL || ppvObj == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: NULL argument");
    *ppvObj = NULL;
    if (!IsEqualIID(riid, &IID_IProviderAdmin) && !IsEqualIID(riid, &IID_IUnknown))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "IProviderAdmin: unsupported "
                                                            "interface");
    atomic_fetch_add(&self(This)->refs, 1);
    *ppvObj = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) provadmin_AddRef(IProviderAdmin *This)
{
    return atomic_fetch_add(&self(This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) provadmin_Release(IProviderAdmin *This)
{
    fm_provadmin *p = self(This);
    ULONG left = atomic_fetch_sub(&p->refs, 1) - 1;
    if (left == 0) {
        fm_profstore_close(p->ps);
        fm_lasterr_clear(&p->err);
        fm_free(p);
    }
    return left;
}

static STDMETHODIMP provadmin_GetLastError(IProviderAdmin *This, HRESULT hResult, ULONG ulFlags,
                                           LPMAPIERROR *lppMAPIError)
{
    return fm_lasterr_get(&self(This)->err, "IProviderAdmin", hResult, ulFlags, lppMAPIError);
}

static STDMETHODIMP provadmin_GetProviderTable(IProviderAdmin *This, ULONG ulFlags,
                                               LPMAPITABLE *lppTable)
{
    fm_provadmin *p = self(This);
    return fail(This, fm_provider_table(p->ps, &p->profile, &p->service, ulFlags, lppTable));
}

static STDMETHODIMP provadmin_CreateProvider(IProviderAdmin *This, LPTSTR lpszProvider,
                                             ULONG cValues, LPSPropValue lpProps,
                                             ULONG_PTR ulUIParam, ULONG ulFlags, MAPIUID *lpUID)
{
    return fail(This, fm_error_set(MAPI_E_NO_SUPPORT, "CreateProvider: freemapi's services "
                                                      "have exactly one provider each"));
}

static STDMETHODIMP provadmin_DeleteProvider(IProviderAdmin *This, LPMAPIUID lpUID)
{
    fm_provadmin *p = self(This);
    if (lpUID == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "DeleteProvider: lpUID is NULL"));
    fm_service svc;
    HRESULT hr = fm_service_get(p->ps, &p->profile, lpUID, &svc);
    if (hr == S_OK && (memcmp(svc.uid.ab, p->service.ab, 16) != 0 ||
                       memcmp(svc.provider_uid.ab, lpUID->ab, 16) != 0))
        hr = fm_error_set(MAPI_E_NOT_FOUND, "DeleteProvider: no such provider in the service");
    if (hr == S_OK)
        hr = fm_error_set(MAPI_E_NO_SUPPORT, "DeleteProvider: the service's only provider goes "
                                             "with the service (DeleteMsgService)");
    return fail(This, hr);
}

static STDMETHODIMP provadmin_OpenProfileSection(IProviderAdmin *This, LPMAPIUID lpUID,
                                                 LPCIID lpInterface, ULONG ulFlags,
                                                 LPPROFSECT *lppProfSect)
{
    fm_provadmin *p = self(This);
    /* NULL opens the service's own section. */
    LPMAPIUID uid = lpUID ? lpUID : &p->service;
    HRESULT hr = fm_profsect_check_args("OpenProfileSection", uid, lpInterface, ulFlags,
                                        lppProfSect);
    if (hr == S_OK)
        hr = fm_profsect_open(p->ps, &p->profile, uid, lpInterface, ulFlags, lppProfSect);
    return fail(This, hr);
}

static const IProviderAdminVtbl PROVADMIN_VTBL = {
    .QueryInterface = provadmin_QueryInterface,
    .AddRef = provadmin_AddRef,
    .Release = provadmin_Release,
    .GetLastError = provadmin_GetLastError,
    .GetProviderTable = provadmin_GetProviderTable,
    .CreateProvider = provadmin_CreateProvider,
    .DeleteProvider = provadmin_DeleteProvider,
    .OpenProfileSection = provadmin_OpenProfileSection,
};

HRESULT fm_provadmin_new(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *svc,
                         LPPROVIDERADMIN *out)
{
    *out = NULL;
    fm_provadmin *p = fm_calloc(1, sizeof *p);
    if (p == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory administering providers");
    p->lpVtbl = &PROVADMIN_VTBL;
    atomic_init(&p->refs, 1);
    fm_lasterr_init(&p->err);
    fm_profstore_addref(ps);
    p->ps = ps;
    p->profile = *profile;
    p->service = *svc;
    *out = (LPPROVIDERADMIN)p;
    return S_OK;
}
