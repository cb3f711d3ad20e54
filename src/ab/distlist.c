/*
 * ab/distlist.c - IDistList: a distribution list of the site directory,
 * its members the contents table; the container methods are container.c's.
 */
#include "ab/ab.h"
#include "mapiguid.h"

static const IID *const DISTLIST_IIDS[] = { &IID_IDistList, &IID_IMAPIContainer, &IID_IMAPIProp,
                                            &IID_IUnknown, NULL };

static STDMETHODIMP distlist_QueryInterface(IDistList *This, REFIID riid, LPVOID *ppvObj)
{
    return fm_abobj_QueryInterface(fm_abobj_of(This), DISTLIST_IIDS, riid, ppvObj);
}

static STDMETHODIMP_(ULONG) distlist_AddRef(IDistList *This)
{
    return fm_abobj_AddRef(fm_abobj_of(This));
}

static STDMETHODIMP_(ULONG) distlist_Release(IDistList *This)
{
    return fm_abobj_Release(fm_abobj_of(This));
}

static STDMETHODIMP distlist_GetLastError(IDistList *This, HRESULT hResult, ULONG ulFlags,
                                          LPMAPIERROR *lppMAPIError)
{
    return fm_abobj_GetLastError(fm_abobj_of(This), hResult, ulFlags, lppMAPIError);
}

static STDMETHODIMP distlist_SaveChanges(IDistList *This, ULONG ulFlags)
{
    return fm_abobj_SaveChanges(fm_abobj_of(This), ulFlags);
}

static STDMETHODIMP distlist_GetProps(IDistList *This, LPSPropTagArray lpPropTagArray,
                                      ULONG ulFlags, ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    return fm_abobj_GetProps(fm_abobj_of(This), lpPropTagArray, ulFlags, lpcValues, lppPropArray);
}

static STDMETHODIMP distlist_GetPropList(IDistList *This, ULONG ulFlags,
                                         LPSPropTagArray *lppPropTagArray)
{
    return fm_abobj_GetPropList(fm_abobj_of(This), ulFlags, lppPropTagArray);
}

static STDMETHODIMP distlist_OpenProperty(IDistList *This, ULONG ulPropTag, LPCIID lpiid,
                                          ULONG ulInterfaceOptions, ULONG ulFlags,
                                          LPUNKNOWN *lppUnk)
{
    return fm_abobj_OpenProperty(fm_abobj_of(This), ulPropTag, lpiid, ulInterfaceOptions, ulFlags,
                                 lppUnk);
}

static STDMETHODIMP distlist_SetProps(IDistList *This, ULONG cValues, LPSPropValue lpPropArray,
                                      LPSPropProblemArray *lppProblems)
{
    return fm_abobj_SetProps(fm_abobj_of(This), cValues, lpPropArray, lppProblems);
}

static STDMETHODIMP distlist_DeleteProps(IDistList *This, LPSPropTagArray lpPropTagArray,
                                         LPSPropProblemArray *lppProblems)
{
    return fm_abobj_DeleteProps(fm_abobj_of(This), lpPropTagArray, lppProblems);
}

static STDMETHODIMP distlist_CopyTo(IDistList *This, ULONG ciidExclude, LPCIID rgiidExclude,
                                    LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                                    LPMAPIPROGRESS lpProgress, LPCIID lpInterface,
                                    LPVOID lpDestObj, ULONG ulFlags,
                                    LPSPropProblemArray *lppProblems)
{
    return fm_abobj_CopyTo(fm_abobj_of(This), ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam,
                           lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP distlist_CopyProps(IDistList *This, LPSPropTagArray lpIncludeProps,
                                       ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                       LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
                                       LPSPropProblemArray *lppProblems)
{
    return fm_abobj_CopyProps(fm_abobj_of(This), lpIncludeProps, ulUIParam, lpProgress,
                              lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP distlist_GetNamesFromIDs(IDistList *This, LPSPropTagArray *lppPropTags,
                                             LPGUID lpPropSetGuid, ULONG ulFlags,
                                             ULONG *lpcPropNames, LPMAPINAMEID **lpppPropNames)
{
    return fm_abobj_GetNamesFromIDs(fm_abobj_of(This), lppPropTags, lpPropSetGuid, ulFlags,
                                    lpcPropNames, lpppPropNames);
}

static STDMETHODIMP distlist_GetIDsFromNames(IDistList *This, ULONG cPropNames,
                                             LPMAPINAMEID *lppPropNames, ULONG ulFlags,
                                             LPSPropTagArray *lppPropTags)
{
    return fm_abobj_GetIDsFromNames(fm_abobj_of(This), cPropNames, lppPropNames, ulFlags,
                                    lppPropTags);
}

static STDMETHODIMP distlist_GetContentsTable(IDistList *This, ULONG ulFlags,
                                              LPMAPITABLE *lppTable)
{
    return fm_abcont_GetContentsTable(fm_abobj_of(This), ulFlags, lppTable);
}

static STDMETHODIMP distlist_GetHierarchyTable(IDistList *This, ULONG ulFlags,
                                               LPMAPITABLE *lppTable)
{
    return fm_abcont_GetHierarchyTable(fm_abobj_of(This), ulFlags, lppTable);
}

static STDMETHODIMP distlist_OpenEntry(IDistList *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                                       LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                                       LPUNKNOWN *lppUnk)
{
    return fm_abcont_OpenEntry(fm_abobj_of(This), cbEntryID, lpEntryID, lpInterface, ulFlags,
                               lpulObjType, lppUnk);
}

static STDMETHODIMP distlist_SetSearchCriteria(IDistList *This, LPSRestriction lpRestriction,
                                               LPENTRYLIST lpContainerList, ULONG ulSearchFlags)
{
    return fm_abcont_SetSearchCriteria(fm_abobj_of(This), lpRestriction, lpContainerList,
                                       ulSearchFlags);
}

static STDMETHODIMP distlist_GetSearchCriteria(IDistList *This, ULONG ulFlags,
                                               LPSRestriction *lppRestriction,
                                               LPENTRYLIST *lppContainerList,
                                               ULONG *lpulSearchState)
{
    return fm_abcont_GetSearchCriteria(fm_abobj_of(This), ulFlags, lppRestriction,
                                       lppContainerList, lpulSearchState);
}

static STDMETHODIMP distlist_CreateEntry(IDistList *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                                         ULONG ulCreateFlags, LPMAPIPROP *lppMAPIPropEntry)
{
    return fm_abcont_CreateEntry(fm_abobj_of(This), cbEntryID, lpEntryID, ulCreateFlags,
                                 lppMAPIPropEntry);
}

static STDMETHODIMP distlist_CopyEntries(IDistList *This, LPENTRYLIST lpEntries,
                                         ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                         ULONG ulFlags)
{
    return fm_abcont_CopyEntries(fm_abobj_of(This), lpEntries, ulUIParam, lpProgress, ulFlags);
}

static STDMETHODIMP distlist_DeleteEntries(IDistList *This, LPENTRYLIST lpEntries, ULONG ulFlags)
{
    return fm_abcont_DeleteEntries(fm_abobj_of(This), lpEntries, ulFlags);
}

static STDMETHODIMP distlist_ResolveNames(IDistList *This, LPSPropTagArray lpPropTagArray,
                                          ULONG ulFlags, LPADRLIST lpAdrList,
                                          LPFlagList lpFlagList)
{
    return fm_abcont_ResolveNames(fm_abobj_of(This), lpPropTagArray, ulFlags, lpAdrList,
                                  lpFlagList);
}

static const IDistListVtbl DISTLIST_VTBL = {
    .QueryInterface = distlist_QueryInterface,
    .AddRef = distlist_AddRef,
    .Release = distlist_Release,
    .GetLastError = distlist_GetLastError,
    .SaveChanges = distlist_SaveChanges,
    .GetProps = distlist_GetProps,
    .GetPropList = distlist_GetPropList,
    .OpenProperty = distlist_OpenProperty,
    .SetProps = distlist_SetProps,
    .DeleteProps = distlist_DeleteProps,
    .CopyTo = distlist_CopyTo,
    .CopyProps = distlist_CopyProps,
    .GetNamesFromIDs = distlist_GetNamesFromIDs,
    .GetIDsFromNames = distlist_GetIDsFromNames,
    .GetContentsTable = distlist_GetContentsTable,
    .GetHierarchyTable = distlist_GetHierarchyTable,
    .OpenEntry = distlist_OpenEntry,
    .SetSearchCriteria = distlist_SetSearchCriteria,
    .GetSearchCriteria = distlist_GetSearchCriteria,
    .CreateEntry = distlist_CreateEntry,
    .CopyEntries = distlist_CopyEntries,
    .DeleteEntries = distlist_DeleteEntries,
    .ResolveNames = distlist_ResolveNames,
};

HRESULT fm_distlist_new(fm_ab *ab, int64_t id, ULONG c, LPSPropValue props, LPUNKNOWN *out)
{
    fm_abobj *o = NULL;
    HRESULT hr = fm_abobj_new(ab, &DISTLIST_VTBL, "IDistList", FM_AB_KIND_LIST, id, c, props, &o);
    *out = (LPUNKNOWN)o;
    return hr;
}
