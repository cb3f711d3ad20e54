/*
 * ab/addrbook.c - IAddrBook: the address book a session opens
 * (fm_addrbook_open, addrbook.h). Its containers are a root and the
 * global address list (the site directory). What MAPI would show a dialog
 * for (Address, Details, NewEntry, RecipOptions) answers MAPI_E_NO_SUPPORT:
 * freemapi has no user interface.
 *
 * The address book owns what it allocates: a reference to the session's
 * identity (site connection), its site name and search path; every object
 * and table it hands out holds a reference to it (fm_ab), so the last
 * Release of any of them frees everything. Nothing is shared between
 * sessions and nothing grows with use.
 */
#include <string.h>
#include <strings.h>

#include "ab/ab.h"
#include "ab/addrbook.h"
#include "core/alloc.h"
#include "core/text.h"
#include "mapiguid.h"

void fm_ab_addref(fm_ab *ab)
{
    atomic_fetch_add(&ab->refs, 1);
}

void fm_ab_release(fm_ab *ab)
{
    if (ab == NULL || atomic_fetch_sub(&ab->refs, 1) != 1)
        return;
    fm_ab_advise_clear(ab);
    fm_identity_release(ab->id);
    fm_free(ab->site_name);
    pthread_mutex_destroy(&ab->lock);
    fm_free(ab);
}

static fm_ab *ab_of(IAddrBook *This)
{
    return fm_abobj_of(This)->ab;
}

static HRESULT fail(IAddrBook *This, HRESULT hr)
{
    return fm_abobj_fail(fm_abobj_of(This), hr);
}

/* ---- IUnknown and IMAPIProp (abobj.c) ------------------------------------------ */

static const IID *const ADDRBOOK_IIDS[] = { &IID_IAddrBook, &IID_IMAPIProp, &IID_IUnknown,
                                            NULL };

static STDMETHODIMP addrbook_QueryInterface(IAddrBook *This, REFIID riid, LPVOID *ppvObj)
{
    return fm_abobj_QueryInterface(fm_abobj_of(This), ADDRBOOK_IIDS, riid, ppvObj);
}

static STDMETHODIMP_(ULONG) addrbook_AddRef(IAddrBook *This)
{
    return fm_abobj_AddRef(fm_abobj_of(This));
}

static STDMETHODIMP_(ULONG) addrbook_Release(IAddrBook *This)
{
    return fm_abobj_Release(fm_abobj_of(This));
}

static STDMETHODIMP addrbook_GetLastError(IAddrBook *This, HRESULT hResult, ULONG ulFlags,
                                          LPMAPIERROR *lppMAPIError)
{
    return fm_abobj_GetLastError(fm_abobj_of(This), hResult, ulFlags, lppMAPIError);
}

static STDMETHODIMP addrbook_SaveChanges(IAddrBook *This, ULONG ulFlags)
{
    return fm_abobj_SaveChanges(fm_abobj_of(This), ulFlags);
}

static STDMETHODIMP addrbook_GetProps(IAddrBook *This, LPSPropTagArray lpPropTagArray,
                                      ULONG ulFlags, ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    return fm_abobj_GetProps(fm_abobj_of(This), lpPropTagArray, ulFlags, lpcValues, lppPropArray);
}

static STDMETHODIMP addrbook_GetPropList(IAddrBook *This, ULONG ulFlags,
                                         LPSPropTagArray *lppPropTagArray)
{
    return fm_abobj_GetPropList(fm_abobj_of(This), ulFlags, lppPropTagArray);
}

static STDMETHODIMP addrbook_OpenProperty(IAddrBook *This, ULONG ulPropTag, LPCIID lpiid,
                                          ULONG ulInterfaceOptions, ULONG ulFlags,
                                          LPUNKNOWN *lppUnk)
{
    return fm_abobj_OpenProperty(fm_abobj_of(This), ulPropTag, lpiid, ulInterfaceOptions, ulFlags,
                                 lppUnk);
}

static STDMETHODIMP addrbook_SetProps(IAddrBook *This, ULONG cValues, LPSPropValue lpPropArray,
                                      LPSPropProblemArray *lppProblems)
{
    return fm_abobj_SetProps(fm_abobj_of(This), cValues, lpPropArray, lppProblems);
}

static STDMETHODIMP addrbook_DeleteProps(IAddrBook *This, LPSPropTagArray lpPropTagArray,
                                         LPSPropProblemArray *lppProblems)
{
    return fm_abobj_DeleteProps(fm_abobj_of(This), lpPropTagArray, lppProblems);
}

static STDMETHODIMP addrbook_CopyTo(IAddrBook *This, ULONG ciidExclude, LPCIID rgiidExclude,
                                    LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                                    LPMAPIPROGRESS lpProgress, LPCIID lpInterface,
                                    LPVOID lpDestObj, ULONG ulFlags,
                                    LPSPropProblemArray *lppProblems)
{
    return fm_abobj_CopyTo(fm_abobj_of(This), ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam,
                           lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP addrbook_CopyProps(IAddrBook *This, LPSPropTagArray lpIncludeProps,
                                       ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                       LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
                                       LPSPropProblemArray *lppProblems)
{
    return fm_abobj_CopyProps(fm_abobj_of(This), lpIncludeProps, ulUIParam, lpProgress,
                              lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP addrbook_GetNamesFromIDs(IAddrBook *This, LPSPropTagArray *lppPropTags,
                                             LPGUID lpPropSetGuid, ULONG ulFlags,
                                             ULONG *lpcPropNames, LPMAPINAMEID **lpppPropNames)
{
    return fm_abobj_GetNamesFromIDs(fm_abobj_of(This), lppPropTags, lpPropSetGuid, ulFlags,
                                    lpcPropNames, lpppPropNames);
}

static STDMETHODIMP addrbook_GetIDsFromNames(IAddrBook *This, ULONG cPropNames,
                                             LPMAPINAMEID *lppPropNames, ULONG ulFlags,
                                             LPSPropTagArray *lppPropTags)
{
    return fm_abobj_GetIDsFromNames(fm_abobj_of(This), cPropNames, lppPropNames, ulFlags,
                                    lppPropTags);
}

/* ---- IAddrBook ------------------------------------------------------------------ */

static STDMETHODIMP addrbook_OpenEntry(IAddrBook *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                                       LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                                       LPUNKNOWN *lppUnk)
{
    return fail(This, fm_ab_open_entry(ab_of(This), cbEntryID, lpEntryID, lpInterface, ulFlags,
                                       lpulObjType, lppUnk));
}

static STDMETHODIMP addrbook_CompareEntryIDs(IAddrBook *This, ULONG cbEntryID1,
                                             LPENTRYID lpEntryID1, ULONG cbEntryID2,
                                             LPENTRYID lpEntryID2, ULONG ulFlags,
                                             ULONG *lpulResult)
{
    if (lpulResult == NULL || lpEntryID1 == NULL || lpEntryID2 == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "CompareEntryIDs: NULL "
                                                                 "argument"));
    *lpulResult = FALSE;
    if (ulFlags != 0)
        return fail(This, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "CompareEntryIDs: unknown flags "
                                                             "0x%08lX",
                                       (unsigned long)ulFlags));
    return fail(This, fm_addrbook_compare_entryids(cbEntryID1, lpEntryID1, cbEntryID2, lpEntryID2,
                                                   lpulResult));
}

static STDMETHODIMP addrbook_Advise(IAddrBook *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                                    ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink,
                                    ULONG_PTR *lpulConnection)
{
    return fail(This, fm_ab_advise(ab_of(This), cbEntryID, lpEntryID, ulEventMask, lpAdviseSink,
                                   lpulConnection));
}

static STDMETHODIMP addrbook_Unadvise(IAddrBook *This, ULONG_PTR ulConnection)
{
    return fail(This, fm_ab_unadvise(ab_of(This), ulConnection));
}

static HRESULT create_oneoff(LPTSTR name, LPTSTR type, LPTSTR address, ULONG flags, ULONG *cb,
                             LPENTRYID *out)
{
    if (cb == NULL || out == NULL || type == NULL || address == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateOneOff: NULL %s",
                            type == NULL ? "address type" : address == NULL ? "address"
                                                                            : "out pointer");
    *cb = 0;
    *out = NULL;
    if (flags & ~(MAPI_UNICODE | MAPI_SEND_NO_RICH_INFO))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "CreateOneOff: unknown flags 0x%08lX",
                            (unsigned long)flags);
    bool wide = (flags & MAPI_UNICODE) != 0;
    char n8[1024], t8[256], a8[1024];
    HRESULT hr = fm_text_arg_utf8(name, wide, n8, sizeof n8, "the display name");
    if (hr == S_OK)
        hr = fm_text_arg_utf8(type, wide, t8, sizeof t8, "the address type");
    if (hr == S_OK)
        hr = fm_text_arg_utf8(address, wide, a8, sizeof a8, "the address");
    if (hr != S_OK)
        return hr;
    if (t8[0] == '\0' || a8[0] == '\0')
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateOneOff: empty address %s",
                            t8[0] ? "" : "type");
    unsigned of = wide ? MAPI_ONE_OFF_UNICODE : 0;
    /* An Internet address never gets TNEF (CreateOneOff's documentation). */
    if ((flags & MAPI_SEND_NO_RICH_INFO) || strcasecmp(t8, "SMTP") == 0)
        of |= MAPI_ONE_OFF_NO_RICH_INFO;
    return fm_ab_oneoff_make(n8, t8, a8, of, NULL, cb, out);
}

static STDMETHODIMP addrbook_CreateOneOff(IAddrBook *This, LPTSTR lpszName, LPTSTR lpszAdrType,
                                          LPTSTR lpszAddress, ULONG ulFlags, ULONG *lpcbEntryID,
                                          LPENTRYID *lppEntryID)
{
    return fail(This, create_oneoff(lpszName, lpszAdrType, lpszAddress, ulFlags, lpcbEntryID,
                                    lppEntryID));
}

static HRESULT no_ui(IAddrBook *This, const char *fn)
{
    return fail(This, fm_error_set(MAPI_E_NO_SUPPORT, "%s: freemapi has no address book user "
                                                      "interface (use the containers' tables "
                                                      "and ResolveName)",
                                   fn));
}

static STDMETHODIMP addrbook_NewEntry(IAddrBook *This, ULONG_PTR ulUIParam, ULONG ulFlags,
                                      ULONG cbEIDContainer, LPENTRYID lpEIDContainer,
                                      ULONG cbEIDNewEntryTpl, LPENTRYID lpEIDNewEntryTpl,
                                      ULONG *lpcbEIDNewEntry, LPENTRYID *lppEIDNewEntry)
{
    if (lpcbEIDNewEntry != NULL)
        *lpcbEIDNewEntry = 0;
    if (lppEIDNewEntry != NULL)
        *lppEIDNewEntry = NULL;
    return no_ui(This, "NewEntry");
}

static STDMETHODIMP addrbook_ResolveName(IAddrBook *This, ULONG_PTR ulUIParam, ULONG ulFlags,
                                         LPTSTR lpszNewEntryTitle, LPADRLIST lpAdrList)
{
    return fail(This, fm_addrbook_resolve_name(ab_of(This), ulFlags, lpAdrList));
}

static STDMETHODIMP addrbook_Address(IAddrBook *This, ULONG_PTR *lpulUIParam, LPADRPARM lpAdrParms,
                                     LPADRLIST *lppAdrList)
{
    return no_ui(This, "Address");
}

static STDMETHODIMP addrbook_Details(IAddrBook *This, ULONG_PTR *lpulUIParam,
                                     LPFNDISMISS lpfnDismiss, LPVOID lpvDismissContext,
                                     ULONG cbEntryID, LPENTRYID lpEntryID,
                                     LPFNBUTTON lpfButtonCallback, LPVOID lpvButtonContext,
                                     LPTSTR lpszButtonText, ULONG ulFlags)
{
    return no_ui(This, "Details");
}

static STDMETHODIMP addrbook_RecipOptions(IAddrBook *This, ULONG_PTR ulUIParam, ULONG ulFlags,
                                          LPADRENTRY lpRecip)
{
    return no_ui(This, "RecipOptions");
}

static STDMETHODIMP addrbook_QueryDefaultRecipOpt(IAddrBook *This, LPTSTR lpszAdrType,
                                                  ULONG ulFlags, ULONG *lpcValues,
                                                  LPSPropValue *lppOptions)
{
    return fail(This, fm_addrbook_default_recip_opt(lpszAdrType, ulFlags, lpcValues,
                                                    lppOptions));
}

static STDMETHODIMP addrbook_GetPAB(IAddrBook *This, ULONG *lpcbEntryID, LPENTRYID *lppEntryID)
{
    return fail(This, fm_addrbook_get_pab(ab_of(This), lpcbEntryID, lppEntryID));
}

static STDMETHODIMP addrbook_SetPAB(IAddrBook *This, ULONG cbEntryID, LPENTRYID lpEntryID)
{
    return fail(This, fm_addrbook_set_pab(ab_of(This), cbEntryID, lpEntryID));
}

static STDMETHODIMP addrbook_GetDefaultDir(IAddrBook *This, ULONG *lpcbEntryID,
                                           LPENTRYID *lppEntryID)
{
    return fail(This, fm_addrbook_get_default_dir(ab_of(This), lpcbEntryID, lppEntryID));
}

static STDMETHODIMP addrbook_SetDefaultDir(IAddrBook *This, ULONG cbEntryID, LPENTRYID lpEntryID)
{
    return fail(This, fm_addrbook_set_default_dir(ab_of(This), cbEntryID, lpEntryID));
}

static STDMETHODIMP addrbook_GetSearchPath(IAddrBook *This, ULONG ulFlags,
                                           LPSRowSet *lppSearchPath)
{
    return fail(This, fm_addrbook_get_search_path(ab_of(This), ulFlags, lppSearchPath));
}

static STDMETHODIMP addrbook_SetSearchPath(IAddrBook *This, ULONG ulFlags, LPSRowSet lpSearchPath)
{
    return fail(This, fm_addrbook_set_search_path(ab_of(This), ulFlags, lpSearchPath));
}

static STDMETHODIMP addrbook_PrepareRecips(IAddrBook *This, ULONG ulFlags,
                                           LPSPropTagArray lpPropTagArray, LPADRLIST lpRecipList)
{
    return fail(This,
                fm_addrbook_prepare_recips(ab_of(This), ulFlags, lpPropTagArray, lpRecipList));
}

static const IAddrBookVtbl ADDRBOOK_VTBL = {
    .QueryInterface = addrbook_QueryInterface,
    .AddRef = addrbook_AddRef,
    .Release = addrbook_Release,
    .GetLastError = addrbook_GetLastError,
    .SaveChanges = addrbook_SaveChanges,
    .GetProps = addrbook_GetProps,
    .GetPropList = addrbook_GetPropList,
    .OpenProperty = addrbook_OpenProperty,
    .SetProps = addrbook_SetProps,
    .DeleteProps = addrbook_DeleteProps,
    .CopyTo = addrbook_CopyTo,
    .CopyProps = addrbook_CopyProps,
    .GetNamesFromIDs = addrbook_GetNamesFromIDs,
    .GetIDsFromNames = addrbook_GetIDsFromNames,
    .OpenEntry = addrbook_OpenEntry,
    .CompareEntryIDs = addrbook_CompareEntryIDs,
    .Advise = addrbook_Advise,
    .Unadvise = addrbook_Unadvise,
    .CreateOneOff = addrbook_CreateOneOff,
    .NewEntry = addrbook_NewEntry,
    .ResolveName = addrbook_ResolveName,
    .Address = addrbook_Address,
    .Details = addrbook_Details,
    .RecipOptions = addrbook_RecipOptions,
    .QueryDefaultRecipOpt = addrbook_QueryDefaultRecipOpt,
    .GetPAB = addrbook_GetPAB,
    .SetPAB = addrbook_SetPAB,
    .GetDefaultDir = addrbook_GetDefaultDir,
    .SetDefaultDir = addrbook_SetDefaultDir,
    .GetSearchPath = addrbook_GetSearchPath,
    .SetSearchPath = addrbook_SetSearchPath,
    .PrepareRecips = addrbook_PrepareRecips,
};

static HRESULT ab_new(fm_identity *id, fm_ab **out)
{
    fm_ab *ab = fm_calloc(1, sizeof *ab);
    char *name = id ? fm_ab_site_name(id->site->dir) : NULL;
    if (ab == NULL || (id && name == NULL)) {
        fm_free(ab);
        fm_free(name);
        fm_identity_release(id);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening the address "
                                                      "book");
    }
    atomic_init(&ab->refs, 1);
    ab->id = id;
    ab->site_name = name;
    pthread_mutex_init(&ab->lock, NULL);
    if (id) {
        ab->path[ab->npath++] = FM_AB_GAL;
        if (fm_ab_has_contacts(ab))
            ab->path[ab->npath++] = FM_AB_CONTACTS;
    }
    ab->default_dir = id ? FM_AB_GAL : FM_AB_ROOT;
    *out = ab;
    return S_OK;
}

HRESULT fm_addrbook_open(fm_identity *id, ULONG ulFlags, LPADRBOOK *out)
{
    if (out == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenAddressBook: NULL lppAdrBook");
    *out = NULL;
    if (ulFlags & ~(AB_NO_DIALOG | MAPI_UNICODE))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "OpenAddressBook: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    if (id != NULL)
        fm_identity_addref(id); /* the address book's own reference */
    fm_ab *ab = NULL;
    HRESULT hr = ab_new(id, &ab);
    if (hr != S_OK)
        return hr;
    SPropValue *props = NULL;
    if (MAPIAllocateBuffer(sizeof *props, (void **)&props) != S_OK) {
        fm_ab_release(ab);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening the address "
                                                      "book");
    }
    props[0].ulPropTag = PR_OBJECT_TYPE;
    props[0].Value.l = MAPI_ADDRBOOK;
    fm_abobj *o = NULL;
    hr = fm_abobj_new(ab, &ADDRBOOK_VTBL, "IAddrBook", 0, 0, 1, props, &o);
    fm_ab_release(ab); /* the object holds its own reference */
    if (hr != S_OK)
        return hr;
    *out = (LPADRBOOK)o;
    return S_OK;
}
