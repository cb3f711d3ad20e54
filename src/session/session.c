/*
 * session/session.c - the IMAPISession object: reference counting, Logoff,
 * GetLastError, profile sections, identity, and the methods that belong to
 * later layers (session.h). Store access is in session_stores.c.
 */
#include <string.h>

#include "ab/addrbook.h"
#include "core/alloc.h"
#include "mapiguid.h"
#include "profile/admin.h"
#include "profile/profsect.h"
#include "session/session.h"
#include "store/entryid.h"

static fm_session *self(IMAPISession *p)
{
    return (fm_session *)p;
}

static HRESULT fail(IMAPISession *This, HRESULT hr)
{
    return fm_lasterr_record(&self(This)->err, hr);
}

/* MAPI_E_END_OF_SESSION after Logoff. */
static HRESULT live(IMAPISession *This, const char *fn)
{
    if (self(This)->logged_off)
        return fm_error_set(MAPI_E_END_OF_SESSION, "%s: the session has logged off", fn);
    return S_OK;
}

void fm_session_logoff(fm_session *s)
{
    pthread_mutex_lock(&s->lock);
    if (s->logged_off) {
        pthread_mutex_unlock(&s->lock);
        return;
    }
    s->logged_off = true;
    fm_logon_unshare(s);
    fm_session_advise_clear(s);
    for (size_t i = 0; i < s->nstores; i++) {
        fm_free(s->stores[i].display);
        fm_free(s->stores[i].path);
    }
    fm_free(s->stores);
    s->stores = NULL;
    s->nstores = 0;
    fm_identity_release(s->id);
    s->id = NULL;
    /* Leave the registry, then remove the profile if it was deleted while
     * in use and this was its last session. */
    fm_registry_leave(s->reg);
    s->reg = NULL;
    if (s->ps != NULL) {
        pthread_mutex_lock(&s->ps->lock);
        (void)fm_profile_collect(s->ps);
        pthread_mutex_unlock(&s->ps->lock);
    }
    fm_profstore_close(s->ps);
    s->ps = NULL;
    pthread_mutex_unlock(&s->lock);
}

static STDMETHODIMP session_QueryInterface(IMAPISession *This, REFIID riid, LPVOID *ppvObj)
{
    if (riid == NULL || ppvObj == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: NULL argument");
    *ppvObj = NULL;
    if (!IsEqualIID(riid, &IID_IMAPISession) && !IsEqualIID(riid, &IID_IUnknown))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "IMAPISession: unsupported "
                                                            "interface");
    atomic_fetch_add(&self(This)->refs, 1);
    *ppvObj = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) session_AddRef(IMAPISession *This)
{
    return atomic_fetch_add(&self(This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) session_Release(IMAPISession *This)
{
    fm_session *s = self(This);
    ULONG left = atomic_fetch_sub(&s->refs, 1) - 1;
    if (left == 0) {
        fm_session_logoff(s); /* released without Logoff: log off now */
        fm_lasterr_clear(&s->err);
        pthread_mutex_destroy(&s->lock);
        pthread_mutex_destroy(&s->advise_lock);
        fm_free(s);
    }
    return left;
}

static STDMETHODIMP session_GetLastError(IMAPISession *This, HRESULT hResult, ULONG ulFlags,
                                         LPMAPIERROR *lppMAPIError)
{
    return fm_lasterr_get(&self(This)->err, "IMAPISession", hResult, ulFlags, lppMAPIError);
}

HRESULT fm_session_open_addrbook(IMAPISession *session, ULONG ulFlags, LPADRBOOK *out)
{
    if (session == NULL || out == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenAddressBook: NULL %s",
                            session ? "lppAdrBook" : "session");
    *out = NULL;
    fm_session *s = self(session);
    pthread_mutex_lock(&s->lock);
    HRESULT hr = live(session, "OpenAddressBook");
    fm_identity *id = s->id;
    if (hr == S_OK && id != NULL)
        fm_identity_addref(id); /* Logoff may drop the session's meanwhile */
    pthread_mutex_unlock(&s->lock);
    if (hr == S_OK)
        hr = fm_addrbook_open(id, ulFlags, out);
    fm_identity_release(id);
    return hr;
}

static STDMETHODIMP session_OpenAddressBook(IMAPISession *This, ULONG_PTR ulUIParam,
                                            LPCIID lpInterface, ULONG ulFlags,
                                            LPADRBOOK *lppAdrBook)
{
    if (lppAdrBook == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                       "OpenAddressBook: lppAdrBook is NULL"));
    *lppAdrBook = NULL;
    if (lpInterface != NULL && !IsEqualIID(lpInterface, &IID_IAddrBook))
        return fail(This, fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED,
                                       "OpenAddressBook: only IID_IAddrBook is supported"));
    return fail(This, fm_session_open_addrbook(This, ulFlags, lppAdrBook));
}

static STDMETHODIMP session_OpenProfileSection(IMAPISession *This, LPMAPIUID lpUID,
                                               LPCIID lpInterface, ULONG ulFlags,
                                               LPPROFSECT *lppProfSect)
{
    fm_session *s = self(This);
    HRESULT hr = fm_profsect_check_args("OpenProfileSection", lpUID, lpInterface, ulFlags,
                                        lppProfSect);
    if (hr == S_OK)
        hr = live(This, "OpenProfileSection");
    if (hr == S_OK)
        hr = fm_profsect_open(s->ps, &s->profile.uid, lpUID, lpInterface, ulFlags, lppProfSect);
    return fail(This, hr);
}

static STDMETHODIMP session_MessageOptions(IMAPISession *This, ULONG_PTR ulUIParam, ULONG ulFlags,
                                           LPTSTR lpszAdrType, LPMESSAGE lpMessage)
{
    return fail(This, fm_error_set(MAPI_E_NO_SUPPORT, "MessageOptions: no transport provides "
                                                      "message options"));
}

static STDMETHODIMP session_QueryDefaultMessageOpt(IMAPISession *This, LPTSTR lpszAdrType,
                                                   ULONG ulFlags, ULONG *lpcValues,
                                                   LPSPropValue *lppOptions)
{
    return fail(This, fm_error_set(MAPI_E_NO_SUPPORT, "QueryDefaultMessageOpt: no transport "
                                                      "provides message options"));
}

static STDMETHODIMP session_EnumAdrTypes(IMAPISession *This, ULONG ulFlags, ULONG *lpcAdrTypes,
                                         LPTSTR **lpppszAdrTypes)
{
    return fail(This, fm_error_set(MAPI_E_NO_SUPPORT, "EnumAdrTypes: the profile has no "
                                                      "transport providers"));
}

static STDMETHODIMP session_QueryIdentity(IMAPISession *This, ULONG *lpcbEntryID,
                                          LPENTRYID *lppEntryID)
{
    fm_session *s = self(This);
    if (lpcbEntryID == NULL || lppEntryID == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryIdentity: NULL out "
                                                                 "pointer"));
    *lpcbEntryID = 0;
    *lppEntryID = NULL;
    HRESULT hr = live(This, "QueryIdentity");
    if (hr != S_OK)
        return fail(This, hr);
    if (s->id != NULL)
        return fail(This, fm_identity_entryid(s->id, lpcbEntryID, lppEntryID));
    /* No service supplies an identity: the MAPI subsystem's entry ID (the
     * status table's subsystem row) with MAPI_W_NO_SERVICE, as documented. */
    static const MAPIUID subsystem = { { 0 } };
    hr = fm_entryid_make(&subsystem, FM_EID_STORE, 0, NULL, lpcbEntryID, lppEntryID);
    return hr == S_OK ? MAPI_W_NO_SERVICE : fail(This, hr);
}

static STDMETHODIMP session_Logoff(IMAPISession *This, ULONG_PTR ulUIParam, ULONG ulFlags,
                                   ULONG ulReserved)
{
    const ULONG known = MAPI_LOGOFF_SHARED | MAPI_LOGOFF_UI;
    if (ulFlags & ~known)
        return fail(This, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "Logoff: unknown flags 0x%08lX",
                                       (unsigned long)ulFlags));
    if (ulReserved != 0)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "Logoff: ulReserved must be "
                                                                 "0"));
    fm_session_logoff(self(This));
    return S_OK;
}

static STDMETHODIMP session_SetDefaultStore(IMAPISession *This, ULONG ulFlags, ULONG cbEntryID,
                                            LPENTRYID lpEntryID)
{
    fm_session *s = self(This);
    HRESULT hr = live(This, "SetDefaultStore");
    if (hr == S_OK && ulFlags != MAPI_DEFAULT_STORE && ulFlags != MAPI_SIMPLE_DEFAULT &&
        ulFlags != MAPI_SIMPLE_STORE_TEMPORARY && ulFlags != MAPI_SIMPLE_STORE_PERMANENT &&
        ulFlags != MAPI_PRIMARY_STORE && ulFlags != MAPI_SECONDARY_STORE)
        hr = fm_error_set(MAPI_E_UNKNOWN_FLAGS, "SetDefaultStore: unknown flags 0x%08lX",
                          (unsigned long)ulFlags);
    MAPIUID uid;
    int kind = 0;
    uint64_t id = 0;
    if (hr == S_OK)
        hr = fm_entryid_parse(cbEntryID, lpEntryID, &uid, &kind, &id);
    if (hr == S_OK && kind != FM_EID_STORE)
        hr = fm_error_set(MAPI_E_INVALID_ENTRYID, "SetDefaultStore: not a store entry ID");
    pthread_mutex_lock(&s->lock);
    size_t i = 0;
    while (hr == S_OK && i < s->nstores && memcmp(s->stores[i].store_uid.ab, uid.ab, 16) != 0)
        i++;
    if (hr == S_OK && i == s->nstores)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "SetDefaultStore: the store is not in the profile");
    /* The default is the session's: MAPI_DEFAULT_STORE and the others all
     * make the store the one GetMsgStoresTable marks PR_DEFAULT_STORE. */
    if (hr == S_OK)
        s->default_store = i;
    pthread_mutex_unlock(&s->lock);
    return fail(This, hr);
}

static STDMETHODIMP session_AdminServices(IMAPISession *This, ULONG ulFlags,
                                          LPSERVICEADMIN *lppServiceAdmin)
{
    fm_session *s = self(This);
    HRESULT hr = S_OK;
    if (lppServiceAdmin == NULL)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "AdminServices: lppServiceAdmin is NULL");
    else
        *lppServiceAdmin = NULL;
    if (hr == S_OK && ulFlags != 0)
        hr = fm_error_set(MAPI_E_UNKNOWN_FLAGS, "AdminServices: unknown flags 0x%08lX",
                          (unsigned long)ulFlags);
    if (hr == S_OK)
        hr = live(This, "AdminServices");
    if (hr == S_OK)
        hr = fm_svcadmin_new(s->ps, &s->profile.uid, lppServiceAdmin);
    return fail(This, hr);
}

static STDMETHODIMP session_ShowForm(IMAPISession *This, ULONG_PTR ulUIParam, LPMDB lpMsgStore,
                                     LPMAPIFOLDER lpParentFolder, LPCIID lpInterface,
                                     ULONG ulMessageToken, LPMESSAGE lpMessageSent, ULONG ulFlags,
                                     ULONG ulMessageStatus, ULONG ulMessageFlags, ULONG ulAccess,
                                     LPSTR lpszMessageClass)
{
    return fail(This, fm_error_set(MAPI_E_NO_SUPPORT, "ShowForm: freemapi has no forms UI"));
}

static STDMETHODIMP session_PrepareForm(IMAPISession *This, LPCIID lpInterface, LPMESSAGE lpMessage,
                                        ULONG *lpulMessageToken)
{
    return fail(This, fm_error_set(MAPI_E_NO_SUPPORT, "PrepareForm: freemapi has no forms UI"));
}

static const IMAPISessionVtbl SESSION_VTBL = {
    .QueryInterface = session_QueryInterface,
    .AddRef = session_AddRef,
    .Release = session_Release,
    .GetLastError = session_GetLastError,
    .GetMsgStoresTable = fm_session_GetMsgStoresTable,
    .OpenMsgStore = fm_session_OpenMsgStore,
    .OpenAddressBook = session_OpenAddressBook,
    .OpenProfileSection = session_OpenProfileSection,
    .GetStatusTable = fm_session_GetStatusTable,
    .OpenEntry = fm_session_OpenEntry,
    .CompareEntryIDs = fm_session_CompareEntryIDs,
    .Advise = fm_session_Advise,
    .Unadvise = fm_session_Unadvise,
    .MessageOptions = session_MessageOptions,
    .QueryDefaultMessageOpt = session_QueryDefaultMessageOpt,
    .EnumAdrTypes = session_EnumAdrTypes,
    .QueryIdentity = session_QueryIdentity,
    .Logoff = session_Logoff,
    .SetDefaultStore = session_SetDefaultStore,
    .AdminServices = session_AdminServices,
    .ShowForm = session_ShowForm,
    .PrepareForm = session_PrepareForm,
};

HRESULT fm_session_new(fm_session **out)
{
    *out = NULL;
    fm_session *s = fm_calloc(1, sizeof *s);
    if (s == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory logging on");
    s->lpVtbl = &SESSION_VTBL;
    atomic_init(&s->refs, 1);
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_init(&s->advise_lock, NULL);
    fm_notify_source_init(&s->src, FM_NOTIFY_OBJECTS);
    fm_lasterr_init(&s->err);
    *out = s;
    return S_OK;
}
