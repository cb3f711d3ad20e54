/*
 * ab/container.c - IABContainer (the root container, the global address
 * list and the contacts), and the container methods it shares with
 * IDistList (distlist.c): contents and hierarchy tables, OpenEntry,
 * ResolveNames. The directory is administered with fmapi_site_*, so the
 * methods that would change it answer MAPI_E_NO_ACCESS.
 */
#include <string.h>

#include "ab/ab.h"
#include "core/alloc.h"
#include "mapiguid.h"

HRESULT fm_abcont_GetContentsTable(fm_abobj *o, ULONG ulFlags, LPMAPITABLE *lppTable)
{
    if (lppTable == NULL)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER, "GetContentsTable: "
                                                                       "NULL lppTable"));
    *lppTable = NULL;
    ULONG known = MAPI_UNICODE | MAPI_DEFERRED_ERRORS;
    if (o->kind == FM_AB_KIND_LIST)
        known |= FMAPI_AB_EXPAND_LISTS;
    if (ulFlags & ~known)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetContentsTable: unknown "
                                                                   "flags 0x%08lX",
                                             (unsigned long)ulFlags));
    HRESULT hr;
    if (o->kind == FM_AB_KIND_LIST)
        hr = fm_ab_members_table(o->ab, o->id, ulFlags, lppTable);
    else if (o->id == FM_AB_GAL)
        hr = fm_ab_gal_table(o->ab, ulFlags, lppTable);
    else if (o->id == FM_AB_CONTACTS)
        hr = fm_ab_contacts_table(o->ab, ulFlags, lppTable);
    else
        hr = fm_error_set(MAPI_E_NO_SUPPORT, "GetContentsTable: the root container holds "
                                             "containers, not recipients (use "
                                             "GetHierarchyTable)");
    return fm_abobj_fail(o, hr);
}

HRESULT fm_abcont_GetHierarchyTable(fm_abobj *o, ULONG ulFlags, LPMAPITABLE *lppTable)
{
    if (lppTable == NULL)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER, "GetHierarchyTable: "
                                                                       "NULL lppTable"));
    *lppTable = NULL;
    if (ulFlags & ~(MAPI_UNICODE | MAPI_DEFERRED_ERRORS | CONVENIENT_DEPTH))
        return fm_abobj_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetHierarchyTable: "
                                                                   "unknown flags 0x%08lX",
                                             (unsigned long)ulFlags));
    if (o->kind == FM_AB_KIND_LIST)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_NO_SUPPORT, "GetHierarchyTable: a "
                                                                "distribution list has no "
                                                                "child containers"));
    return fm_abobj_fail(o, fm_ab_hierarchy_table(o->ab, o->id, ulFlags, lppTable));
}

HRESULT fm_abcont_OpenEntry(fm_abobj *o, ULONG cbEntryID, LPENTRYID lpEntryID,
                            LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                            LPUNKNOWN *lppUnk)
{
    return fm_abobj_fail(o, fm_ab_open_entry(o->ab, cbEntryID, lpEntryID, lpInterface, ulFlags,
                                             lpulObjType, lppUnk));
}

HRESULT fm_abcont_ResolveNames(fm_abobj *o, LPSPropTagArray lpPropTagArray, ULONG ulFlags,
                               LPADRLIST lpAdrList, LPFlagList lpFlagList)
{
    LPADRLIST list = lpAdrList;
    LPFlagList fl = lpFlagList;
    if (list == NULL || fl == NULL || fl->cFlags != list->cEntries)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                             "ResolveNames: NULL list, or a flag list whose "
                                             "size differs from the address list's"));
    if (ulFlags & ~MAPI_UNICODE)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ResolveNames: unknown "
                                                                   "flags 0x%08lX",
                                             (unsigned long)ulFlags));
    if (o->kind != FM_AB_KIND_CONTAINER || o->id == FM_AB_ROOT)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_NO_SUPPORT, "ResolveNames: only the "
                                                                "global address list and the "
                                                                "contacts resolve names"));
    int64_t only = o->id;
    HRESULT hr = S_OK;
    for (ULONG i = 0; i < list->cEntries && hr == S_OK; i++) {
        if (fl->ulFlag[i] != MAPI_UNRESOLVED)
            continue;
        char name[1024];
        if (fm_ab_adrentry_name(&list->aEntries[i], name, sizeof name) != S_OK)
            continue;
        int outcome = FM_AB_UNRESOLVED;
        ULONG c = 0;
        LPSPropValue props = NULL;
        hr = fm_ab_resolve_one(o->ab, name, &only, 1, false, &outcome, &c, &props);
        if (hr == S_OK && outcome == FM_AB_RESOLVED)
            hr = fm_ab_adrentry_replace(&list->aEntries[i], c, props, ulFlags);
        MAPIFreeBuffer(props);
        if (hr == S_OK && outcome != FM_AB_UNRESOLVED)
            fl->ulFlag[i] = outcome == FM_AB_RESOLVED ? MAPI_RESOLVED : MAPI_AMBIGUOUS;
    }
    return fm_abobj_fail(o, hr);
}

static HRESULT no_search(fm_abobj *o, const char *fn)
{
    return fm_abobj_fail(o, fm_error_set(MAPI_E_NO_SUPPORT, "%s: address book containers "
                                                            "are not search folders (restrict "
                                                            "the contents table instead)",
                                         fn));
}

HRESULT fm_abcont_SetSearchCriteria(fm_abobj *o, LPSRestriction lpRestriction,
                                    LPENTRYLIST lpContainerList, ULONG ulSearchFlags)
{
    return no_search(o, "SetSearchCriteria");
}

HRESULT fm_abcont_GetSearchCriteria(fm_abobj *o, ULONG ulFlags, LPSRestriction *lppRestriction,
                                    LPENTRYLIST *lppContainerList, ULONG *lpulSearchState)
{
    return no_search(o, "GetSearchCriteria");
}

HRESULT fm_abcont_CreateEntry(fm_abobj *o, ULONG cbEntryID, LPENTRYID lpEntryID,
                              ULONG ulCreateFlags, LPMAPIPROP *lppMAPIPropEntry)
{
    if (lppMAPIPropEntry != NULL)
        *lppMAPIPropEntry = NULL;
    return fm_abobj_read_only(o, "CreateEntry");
}

HRESULT fm_abcont_CopyEntries(fm_abobj *o, LPENTRYLIST lpEntries, ULONG_PTR ulUIParam,
                              LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    return fm_abobj_read_only(o, "CopyEntries");
}

HRESULT fm_abcont_DeleteEntries(fm_abobj *o, LPENTRYLIST lpEntries, ULONG ulFlags)
{
    return fm_abobj_read_only(o, "DeleteEntries");
}

/* ---- IABContainer --------------------------------------------------------------- */

static const IID *const CONTAINER_IIDS[] = { &IID_IABContainer, &IID_IMAPIContainer,
                                             &IID_IMAPIProp, &IID_IUnknown, NULL };

static STDMETHODIMP container_QueryInterface(IABContainer *This, REFIID riid, LPVOID *ppvObj)
{
    return fm_abobj_QueryInterface(fm_abobj_of(This), CONTAINER_IIDS, riid, ppvObj);
}

static STDMETHODIMP_(ULONG) container_AddRef(IABContainer *This)
{
    return fm_abobj_AddRef(fm_abobj_of(This));
}

static STDMETHODIMP_(ULONG) container_Release(IABContainer *This)
{
    return fm_abobj_Release(fm_abobj_of(This));
}

static STDMETHODIMP container_GetLastError(IABContainer *This, HRESULT hResult, ULONG ulFlags,
                                           LPMAPIERROR *lppMAPIError)
{
    return fm_abobj_GetLastError(fm_abobj_of(This), hResult, ulFlags, lppMAPIError);
}

static STDMETHODIMP container_SaveChanges(IABContainer *This, ULONG ulFlags)
{
    return fm_abobj_SaveChanges(fm_abobj_of(This), ulFlags);
}

static STDMETHODIMP container_GetProps(IABContainer *This, LPSPropTagArray lpPropTagArray,
                                       ULONG ulFlags, ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    return fm_abobj_GetProps(fm_abobj_of(This), lpPropTagArray, ulFlags, lpcValues, lppPropArray);
}

static STDMETHODIMP container_GetPropList(IABContainer *This, ULONG ulFlags,
                                          LPSPropTagArray *lppPropTagArray)
{
    return fm_abobj_GetPropList(fm_abobj_of(This), ulFlags, lppPropTagArray);
}

static STDMETHODIMP container_OpenProperty(IABContainer *This, ULONG ulPropTag, LPCIID lpiid,
                                           ULONG ulInterfaceOptions, ULONG ulFlags,
                                           LPUNKNOWN *lppUnk)
{
    return fm_abobj_OpenProperty(fm_abobj_of(This), ulPropTag, lpiid, ulInterfaceOptions, ulFlags,
                                 lppUnk);
}

static STDMETHODIMP container_SetProps(IABContainer *This, ULONG cValues, LPSPropValue lpPropArray,
                                       LPSPropProblemArray *lppProblems)
{
    return fm_abobj_SetProps(fm_abobj_of(This), cValues, lpPropArray, lppProblems);
}

static STDMETHODIMP container_DeleteProps(IABContainer *This, LPSPropTagArray lpPropTagArray,
                                          LPSPropProblemArray *lppProblems)
{
    return fm_abobj_DeleteProps(fm_abobj_of(This), lpPropTagArray, lppProblems);
}

static STDMETHODIMP container_CopyTo(IABContainer *This, ULONG ciidExclude, LPCIID rgiidExclude,
                                     LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                                     LPMAPIPROGRESS lpProgress, LPCIID lpInterface,
                                     LPVOID lpDestObj, ULONG ulFlags,
                                     LPSPropProblemArray *lppProblems)
{
    return fm_abobj_CopyTo(fm_abobj_of(This), ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam,
                           lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP container_CopyProps(IABContainer *This, LPSPropTagArray lpIncludeProps,
                                        ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                        LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
                                        LPSPropProblemArray *lppProblems)
{
    return fm_abobj_CopyProps(fm_abobj_of(This), lpIncludeProps, ulUIParam, lpProgress,
                              lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP container_GetNamesFromIDs(IABContainer *This, LPSPropTagArray *lppPropTags,
                                              LPGUID lpPropSetGuid, ULONG ulFlags,
                                              ULONG *lpcPropNames, LPMAPINAMEID **lpppPropNames)
{
    return fm_abobj_GetNamesFromIDs(fm_abobj_of(This), lppPropTags, lpPropSetGuid, ulFlags,
                                    lpcPropNames, lpppPropNames);
}

static STDMETHODIMP container_GetIDsFromNames(IABContainer *This, ULONG cPropNames,
                                              LPMAPINAMEID *lppPropNames, ULONG ulFlags,
                                              LPSPropTagArray *lppPropTags)
{
    return fm_abobj_GetIDsFromNames(fm_abobj_of(This), cPropNames, lppPropNames, ulFlags,
                                    lppPropTags);
}

static STDMETHODIMP container_GetContentsTable(IABContainer *This, ULONG ulFlags,
                                               LPMAPITABLE *lppTable)
{
    return fm_abcont_GetContentsTable(fm_abobj_of(This), ulFlags, lppTable);
}

static STDMETHODIMP container_GetHierarchyTable(IABContainer *This, ULONG ulFlags,
                                                LPMAPITABLE *lppTable)
{
    return fm_abcont_GetHierarchyTable(fm_abobj_of(This), ulFlags, lppTable);
}

static STDMETHODIMP container_OpenEntry(IABContainer *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                                        LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                                        LPUNKNOWN *lppUnk)
{
    return fm_abcont_OpenEntry(fm_abobj_of(This), cbEntryID, lpEntryID, lpInterface, ulFlags,
                               lpulObjType, lppUnk);
}

static STDMETHODIMP container_SetSearchCriteria(IABContainer *This, LPSRestriction lpRestriction,
                                                LPENTRYLIST lpContainerList, ULONG ulSearchFlags)
{
    return fm_abcont_SetSearchCriteria(fm_abobj_of(This), lpRestriction, lpContainerList,
                                       ulSearchFlags);
}

static STDMETHODIMP container_GetSearchCriteria(IABContainer *This, ULONG ulFlags,
                                                LPSRestriction *lppRestriction,
                                                LPENTRYLIST *lppContainerList,
                                                ULONG *lpulSearchState)
{
    return fm_abcont_GetSearchCriteria(fm_abobj_of(This), ulFlags, lppRestriction,
                                       lppContainerList, lpulSearchState);
}

static STDMETHODIMP container_CreateEntry(IABContainer *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                                          ULONG ulCreateFlags, LPMAPIPROP *lppMAPIPropEntry)
{
    return fm_abcont_CreateEntry(fm_abobj_of(This), cbEntryID, lpEntryID, ulCreateFlags,
                                 lppMAPIPropEntry);
}

static STDMETHODIMP container_CopyEntries(IABContainer *This, LPENTRYLIST lpEntries,
                                          ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                          ULONG ulFlags)
{
    return fm_abcont_CopyEntries(fm_abobj_of(This), lpEntries, ulUIParam, lpProgress, ulFlags);
}

static STDMETHODIMP container_DeleteEntries(IABContainer *This, LPENTRYLIST lpEntries,
                                            ULONG ulFlags)
{
    return fm_abcont_DeleteEntries(fm_abobj_of(This), lpEntries, ulFlags);
}

static STDMETHODIMP container_ResolveNames(IABContainer *This, LPSPropTagArray lpPropTagArray,
                                           ULONG ulFlags, LPADRLIST lpAdrList,
                                           LPFlagList lpFlagList)
{
    return fm_abcont_ResolveNames(fm_abobj_of(This), lpPropTagArray, ulFlags, lpAdrList,
                                  lpFlagList);
}

static const IABContainerVtbl CONTAINER_VTBL = {
    .QueryInterface = container_QueryInterface,
    .AddRef = container_AddRef,
    .Release = container_Release,
    .GetLastError = container_GetLastError,
    .SaveChanges = container_SaveChanges,
    .GetProps = container_GetProps,
    .GetPropList = container_GetPropList,
    .OpenProperty = container_OpenProperty,
    .SetProps = container_SetProps,
    .DeleteProps = container_DeleteProps,
    .CopyTo = container_CopyTo,
    .CopyProps = container_CopyProps,
    .GetNamesFromIDs = container_GetNamesFromIDs,
    .GetIDsFromNames = container_GetIDsFromNames,
    .GetContentsTable = container_GetContentsTable,
    .GetHierarchyTable = container_GetHierarchyTable,
    .OpenEntry = container_OpenEntry,
    .SetSearchCriteria = container_SetSearchCriteria,
    .GetSearchCriteria = container_GetSearchCriteria,
    .CreateEntry = container_CreateEntry,
    .CopyEntries = container_CopyEntries,
    .DeleteEntries = container_DeleteEntries,
    .ResolveNames = container_ResolveNames,
};

HRESULT fm_container_new(fm_ab *ab, int64_t id, LPUNKNOWN *out)
{
    ULONG c = 0;
    LPSPropValue props = NULL;
    *out = NULL;
    HRESULT hr = fm_ab_container_props(id, NULL, &c, &props);
    if (hr != S_OK)
        return hr;
    fm_abobj *o = NULL;
    hr = fm_abobj_new(ab, &CONTAINER_VTBL, "IABContainer", FM_AB_KIND_CONTAINER, id, c, props,
                      &o);
    *out = (LPUNKNOWN)o;
    return hr;
}
