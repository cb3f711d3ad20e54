/*
 * profile/profsect.c - IProfSect over an IPropData, stored in the profile
 * store on every change (profsect.h).
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapiguid.h"
#include "mapiutil.h"
#include "profile/profsect.h"

typedef struct fm_profsect {
    const IProfSectVtbl *lpVtbl;
    _Atomic ULONG refs;
    IPropData *props;
    fm_profstore *ps;
    MAPIUID profile, uid;
    bool writable;
} fm_profsect;

static fm_profsect *self(IProfSect *p)
{
    return (fm_profsect *)p;
}

/* Stores every property the section now has. */
static HRESULT persist(fm_profsect *s)
{
    ULONG c = 0;
    LPSPropValue vals = NULL;
    HRESULT hr = IPropData_GetProps(s->props, NULL, 0, &c, &vals);
    if (hr == S_OK) {
        pthread_mutex_lock(&s->ps->lock);
        hr = fm_section_write(s->ps, &s->profile, &s->uid, c, vals);
        pthread_mutex_unlock(&s->ps->lock);
    }
    MAPIFreeBuffer(vals);
    return hr;
}

static STDMETHODIMP profsect_QueryInterface(IProfSect *This, REFIID riid, LPVOID *ppvObj)
{
    if (riid == NULL || ppvObj == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: NULL argument");
    *ppvObj = NULL;
    if (!IsEqualIID(riid, &IID_IProfSect) && !IsEqualIID(riid, &IID_IMAPIProp) &&
        !IsEqualIID(riid, &IID_IUnknown))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "IProfSect: unsupported interface");
    atomic_fetch_add(&self(This)->refs, 1);
    *ppvObj = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) profsect_AddRef(IProfSect *This)
{
    return atomic_fetch_add(&self(This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) profsect_Release(IProfSect *This)
{
    fm_profsect *s = self(This);
    ULONG left = atomic_fetch_sub(&s->refs, 1) - 1;
    if (left == 0) {
        IPropData_Release(s->props);
        fm_profstore_close(s->ps);
        fm_free(s);
    }
    return left;
}

static STDMETHODIMP profsect_GetLastError(IProfSect *This, HRESULT hResult, ULONG ulFlags,
                                          LPMAPIERROR *lppMAPIError)
{
    return IPropData_GetLastError(self(This)->props, hResult, ulFlags, lppMAPIError);
}

static STDMETHODIMP profsect_SaveChanges(IProfSect *This, ULONG ulFlags)
{
    const ULONG known = KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE | MAPI_DEFERRED_ERRORS;
    if (ulFlags & ~known)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "SaveChanges: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    if (!self(This)->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "SaveChanges: the section was opened read-only");
    return persist(self(This)); /* already stored; storing again is harmless */
}

static STDMETHODIMP profsect_GetProps(IProfSect *This, LPSPropTagArray lpPropTagArray,
                                      ULONG ulFlags, ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    return IPropData_GetProps(self(This)->props, lpPropTagArray, ulFlags, lpcValues, lppPropArray);
}

static STDMETHODIMP profsect_GetPropList(IProfSect *This, ULONG ulFlags,
                                         LPSPropTagArray *lppPropTagArray)
{
    return IPropData_GetPropList(self(This)->props, ulFlags, lppPropTagArray);
}

static STDMETHODIMP profsect_OpenProperty(IProfSect *This, ULONG ulPropTag, LPCIID lpiid,
                                          ULONG ulInterfaceOptions, ULONG ulFlags,
                                          LPUNKNOWN *lppUnk)
{
    return IPropData_OpenProperty(self(This)->props, ulPropTag, lpiid, ulInterfaceOptions, ulFlags,
                                  lppUnk);
}

static STDMETHODIMP profsect_SetProps(IProfSect *This, ULONG cValues, LPSPropValue lpPropArray,
                                      LPSPropProblemArray *lppProblems)
{
    fm_profsect *s = self(This);
    HRESULT hr = IPropData_SetProps(s->props, cValues, lpPropArray, lppProblems);
    if (hr == S_OK)
        hr = persist(s);
    return hr;
}

static STDMETHODIMP profsect_DeleteProps(IProfSect *This, LPSPropTagArray lpPropTagArray,
                                         LPSPropProblemArray *lppProblems)
{
    fm_profsect *s = self(This);
    HRESULT hr = IPropData_DeleteProps(s->props, lpPropTagArray, lppProblems);
    if (hr == S_OK)
        hr = persist(s);
    return hr;
}

static STDMETHODIMP profsect_CopyTo(IProfSect *This, ULONG ciidExclude, LPCIID rgiidExclude,
                                    LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                                    LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                                    ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    return IPropData_CopyTo(self(This)->props, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam,
                            lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP profsect_CopyProps(IProfSect *This, LPSPropTagArray lpIncludeProps,
                                       ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                       LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
                                       LPSPropProblemArray *lppProblems)
{
    return IPropData_CopyProps(self(This)->props, lpIncludeProps, ulUIParam, lpProgress,
                               lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP profsect_GetNamesFromIDs(IProfSect *This, LPSPropTagArray *lppPropTags,
                                             LPGUID lpPropSetGuid, ULONG ulFlags,
                                             ULONG *lpcPropNames, LPMAPINAMEID **lpppPropNames)
{
    return IPropData_GetNamesFromIDs(self(This)->props, lppPropTags, lpPropSetGuid, ulFlags,
                                     lpcPropNames, lpppPropNames);
}

static STDMETHODIMP profsect_GetIDsFromNames(IProfSect *This, ULONG cPropNames,
                                             LPMAPINAMEID *lppPropNames, ULONG ulFlags,
                                             LPSPropTagArray *lppPropTags)
{
    return fm_error_set(MAPI_E_NO_SUPPORT, "profile sections have no named properties");
}

static const IProfSectVtbl PROFSECT_VTBL = {
    .QueryInterface = profsect_QueryInterface,
    .AddRef = profsect_AddRef,
    .Release = profsect_Release,
    .GetLastError = profsect_GetLastError,
    .SaveChanges = profsect_SaveChanges,
    .GetProps = profsect_GetProps,
    .GetPropList = profsect_GetPropList,
    .OpenProperty = profsect_OpenProperty,
    .SetProps = profsect_SetProps,
    .DeleteProps = profsect_DeleteProps,
    .CopyTo = profsect_CopyTo,
    .CopyProps = profsect_CopyProps,
    .GetNamesFromIDs = profsect_GetNamesFromIDs,
    .GetIDsFromNames = profsect_GetIDsFromNames,
};

HRESULT fm_profsect_check_args(const char *fn, LPMAPIUID lpUID, LPCIID lpInterface, ULONG ulFlags,
                               LPPROFSECT *lppProfSect)
{
    if (lppProfSect == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: lppProfSect is NULL", fn);
    *lppProfSect = NULL;
    if (lpUID == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: lpUID is NULL", fn);
    if (ulFlags & ~(ULONG)(MAPI_MODIFY | MAPI_DEFERRED_ERRORS))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "%s: unknown flags 0x%08lX", fn,
                            (unsigned long)ulFlags);
    if (lpInterface != NULL && !IsEqualIID(lpInterface, &IID_IProfSect) &&
        !IsEqualIID(lpInterface, &IID_IMAPIProp) && !IsEqualIID(lpInterface, &IID_IUnknown))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "%s: a profile section is an "
                                                            "IProfSect", fn);
    return S_OK;
}

HRESULT fm_profsect_open(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *uid,
                         LPCIID lpInterface, ULONG ulFlags, LPPROFSECT *out)
{
    *out = NULL;
    fm_profsect *s = fm_calloc(1, sizeof *s);
    if (s == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a profile section");
    s->lpVtbl = &PROFSECT_VTBL;
    atomic_init(&s->refs, 1);
    s->profile = *profile;
    s->uid = *uid;
    s->writable = (ulFlags & MAPI_MODIFY) != 0;
    ULONG c = 0;
    LPSPropValue vals = NULL;
    pthread_mutex_lock(&ps->lock);
    HRESULT hr = fm_section_read(ps, profile, uid, &c, &vals);
    pthread_mutex_unlock(&ps->lock);
    if (hr == S_OK) {
        SCODE sc = CreateIProp(&IID_IMAPIPropData, MAPIAllocateBuffer, MAPIAllocateMore,
                               MAPIFreeBuffer, NULL, &s->props);
        hr = sc == S_OK ? S_OK : fm_error_set(sc, "out of memory opening a profile section");
    }
    if (hr == S_OK && c > 0)
        hr = IPropData_SetProps(s->props, c, vals, NULL);
    if (hr == S_OK && !s->writable)
        hr = IPropData_HrSetObjAccess(s->props, IPROP_READONLY);
    MAPIFreeBuffer(vals);
    if (hr != S_OK) {
        if (s->props != NULL)
            IPropData_Release(s->props);
        fm_free(s);
        return hr;
    }
    fm_profstore_addref(ps);
    s->ps = ps;
    (void)lpInterface;
    *out = (LPPROFSECT)s;
    return S_OK;
}
