/*
 * ab/mailuser.c - IMailUser: a site user, a contact or a one-off recipient,
 * its properties read when it was opened (props.c).
 */
#include "ab/ab.h"
#include "mapiguid.h"

static const IID *const MAILUSER_IIDS[] = { &IID_IMailUser, &IID_IMAPIProp, &IID_IUnknown, NULL };

static STDMETHODIMP mailuser_QueryInterface(IMailUser *This, REFIID riid, LPVOID *ppvObj)
{
    return fm_abobj_QueryInterface(fm_abobj_of(This), MAILUSER_IIDS, riid, ppvObj);
}

static STDMETHODIMP_(ULONG) mailuser_AddRef(IMailUser *This)
{
    return fm_abobj_AddRef(fm_abobj_of(This));
}

static STDMETHODIMP_(ULONG) mailuser_Release(IMailUser *This)
{
    return fm_abobj_Release(fm_abobj_of(This));
}

static STDMETHODIMP mailuser_GetLastError(IMailUser *This, HRESULT hResult, ULONG ulFlags,
                                          LPMAPIERROR *lppMAPIError)
{
    return fm_abobj_GetLastError(fm_abobj_of(This), hResult, ulFlags, lppMAPIError);
}

static STDMETHODIMP mailuser_SaveChanges(IMailUser *This, ULONG ulFlags)
{
    return fm_abobj_SaveChanges(fm_abobj_of(This), ulFlags);
}

static STDMETHODIMP mailuser_GetProps(IMailUser *This, LPSPropTagArray lpPropTagArray,
                                      ULONG ulFlags, ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    return fm_abobj_GetProps(fm_abobj_of(This), lpPropTagArray, ulFlags, lpcValues, lppPropArray);
}

static STDMETHODIMP mailuser_GetPropList(IMailUser *This, ULONG ulFlags,
                                         LPSPropTagArray *lppPropTagArray)
{
    return fm_abobj_GetPropList(fm_abobj_of(This), ulFlags, lppPropTagArray);
}

static STDMETHODIMP mailuser_OpenProperty(IMailUser *This, ULONG ulPropTag, LPCIID lpiid,
                                          ULONG ulInterfaceOptions, ULONG ulFlags,
                                          LPUNKNOWN *lppUnk)
{
    return fm_abobj_OpenProperty(fm_abobj_of(This), ulPropTag, lpiid, ulInterfaceOptions, ulFlags,
                                 lppUnk);
}

static STDMETHODIMP mailuser_SetProps(IMailUser *This, ULONG cValues, LPSPropValue lpPropArray,
                                      LPSPropProblemArray *lppProblems)
{
    return fm_abobj_SetProps(fm_abobj_of(This), cValues, lpPropArray, lppProblems);
}

static STDMETHODIMP mailuser_DeleteProps(IMailUser *This, LPSPropTagArray lpPropTagArray,
                                         LPSPropProblemArray *lppProblems)
{
    return fm_abobj_DeleteProps(fm_abobj_of(This), lpPropTagArray, lppProblems);
}

static STDMETHODIMP mailuser_CopyTo(IMailUser *This, ULONG ciidExclude, LPCIID rgiidExclude,
                                    LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                                    LPMAPIPROGRESS lpProgress, LPCIID lpInterface,
                                    LPVOID lpDestObj, ULONG ulFlags,
                                    LPSPropProblemArray *lppProblems)
{
    return fm_abobj_CopyTo(fm_abobj_of(This), ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam,
                           lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP mailuser_CopyProps(IMailUser *This, LPSPropTagArray lpIncludeProps,
                                       ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                       LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
                                       LPSPropProblemArray *lppProblems)
{
    return fm_abobj_CopyProps(fm_abobj_of(This), lpIncludeProps, ulUIParam, lpProgress,
                              lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP mailuser_GetNamesFromIDs(IMailUser *This, LPSPropTagArray *lppPropTags,
                                             LPGUID lpPropSetGuid, ULONG ulFlags,
                                             ULONG *lpcPropNames, LPMAPINAMEID **lpppPropNames)
{
    return fm_abobj_GetNamesFromIDs(fm_abobj_of(This), lppPropTags, lpPropSetGuid, ulFlags,
                                    lpcPropNames, lpppPropNames);
}

static STDMETHODIMP mailuser_GetIDsFromNames(IMailUser *This, ULONG cPropNames,
                                             LPMAPINAMEID *lppPropNames, ULONG ulFlags,
                                             LPSPropTagArray *lppPropTags)
{
    return fm_abobj_GetIDsFromNames(fm_abobj_of(This), cPropNames, lppPropNames, ulFlags,
                                    lppPropTags);
}

static const IMailUserVtbl MAILUSER_VTBL = {
    .QueryInterface = mailuser_QueryInterface,
    .AddRef = mailuser_AddRef,
    .Release = mailuser_Release,
    .GetLastError = mailuser_GetLastError,
    .SaveChanges = mailuser_SaveChanges,
    .GetProps = mailuser_GetProps,
    .GetPropList = mailuser_GetPropList,
    .OpenProperty = mailuser_OpenProperty,
    .SetProps = mailuser_SetProps,
    .DeleteProps = mailuser_DeleteProps,
    .CopyTo = mailuser_CopyTo,
    .CopyProps = mailuser_CopyProps,
    .GetNamesFromIDs = mailuser_GetNamesFromIDs,
    .GetIDsFromNames = mailuser_GetIDsFromNames,
};

HRESULT fm_mailuser_new(fm_ab *ab, int64_t id, ULONG c, LPSPropValue props, LPUNKNOWN *out)
{
    fm_abobj *o = NULL;
    HRESULT hr = fm_abobj_new(ab, &MAILUSER_VTBL, "IMailUser", FM_AB_KIND_USER, id, c, props, &o);
    *out = (LPUNKNOWN)o;
    return hr;
}
