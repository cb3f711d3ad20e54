/*
 * simple/simple_logon.c - MAPILogon and MAPILogoff, and the registry of
 * Simple MAPI session handles.
 *
 * MAPILogon initializes MAPI (MAPILogoff uninitializes it), logs on with
 * MAPILogonEx to the named profile or, with no name, the default one, and
 * opens the profile's default store and its address book. freemapi has no
 * dialogs: MAPI_LOGON_UI and MAPI_PASSWORD_UI are accepted and show
 * nothing, so a logon that would need one fails with MAPI_E_LOGIN_FAILURE.
 */
#include <pthread.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "simple/simple.h"

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static fm_simple *registry;

ULONG fm_simple_code(HRESULT hr)
{
    switch (hr) {
    case S_OK: return SUCCESS_SUCCESS;
    case MAPI_E_NOT_ENOUGH_MEMORY: return MAPI_E_INSUFFICIENT_MEMORY;
    case MAPI_E_NOT_ENOUGH_DISK: return MAPI_E_DISK_FULL;
    case MAPI_E_LOGON_FAILED:
    case MAPI_E_NOT_FOUND: return MAPI_E_LOGON_FAILURE;
    case MAPI_E_NO_ACCESS: return MAPI_E_ACCESS_DENIED;
    case MAPI_E_AMBIGUOUS_RECIP: return MAPI_E_AMBIGUOUS_RECIPIENT;
    case MAPI_E_USER_CANCEL: return MAPI_E_USER_ABORT;
    case MAPI_E_NO_SUPPORT: return MAPI_E_NOT_SUPPORTED;
    default: return MAPI_E_FAILURE;
    }
}

static HRESULT default_store(IMAPISession *ses, LPMDB *out)
{
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    SizedSPropTagArray(2, cols) = { 2, { PR_ENTRYID, PR_DEFAULT_STORE } };
    HRESULT hr = IMAPISession_GetMsgStoresTable(ses, 0, &t);
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    const SPropValue *eid = NULL;
    for (ULONG i = 0; hr == S_OK && i < rows->cRows && eid == NULL; i++) {
        LPSPropValue p = rows->aRow[i].lpProps;
        if (p[1].ulPropTag == PR_DEFAULT_STORE && p[1].Value.b && p[0].ulPropTag == PR_ENTRYID)
            eid = &p[0];
    }
    if (hr == S_OK && eid == NULL)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "MAPILogon: the profile has no default store");
    if (hr == S_OK)
        hr = IMAPISession_OpenMsgStore(ses, 0, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                       NULL, MDB_WRITE | MDB_NO_DIALOG, out);
    FreeProws(rows);
    if (t != NULL)
        IMAPITable_Release(t);
    return hr;
}

static void simple_free(fm_simple *s)
{
    if (s->ab != NULL)
        IAddrBook_Release(s->ab);
    if (s->store != NULL)
        IMsgStore_Release(s->store);
    if (s->session != NULL) {
        IMAPISession_Logoff(s->session, 0, 0, 0);
        IMAPISession_Release(s->session);
    }
    fm_free(s);
    MAPIUninitialize();
}

/* A new logged-on session (MAPI initialized for it). */
static ULONG simple_new(LPSTR profile, LPSTR password, FLAGS flFlags, fm_simple **out)
{
    *out = NULL;
    HRESULT hr = MAPIInitialize(NULL);
    if (hr != S_OK)
        return fm_simple_code(hr);
    fm_simple *s = fm_calloc(1, sizeof *s);
    if (s == NULL) {
        MAPIUninitialize();
        return MAPI_E_INSUFFICIENT_MEMORY;
    }
    bool named = profile != NULL && profile[0] != '\0';
    ULONG ex = MAPI_EXTENDED | MAPI_NO_MAIL | (named ? 0 : MAPI_USE_DEFAULT) |
               ((flFlags & MAPI_NEW_SESSION) ? MAPI_NEW_SESSION : 0);
    hr = MAPILogonEx(0, named ? (LPTSTR)profile : NULL, (LPTSTR)password, ex, &s->session);
    if (hr == S_OK)
        hr = default_store(s->session, &s->store);
    if (hr == S_OK)
        hr = IMAPISession_OpenAddressBook(s->session, 0, NULL, AB_NO_DIALOG, &s->ab);
    if (hr != S_OK) {
        ULONG code = hr == MAPI_E_NOT_ENOUGH_MEMORY ? MAPI_E_INSUFFICIENT_MEMORY
                                                    : MAPI_E_LOGON_FAILURE;
        simple_free(s);
        return code;
    }
    *out = s;
    return SUCCESS_SUCCESS;
}

FREEMAPI_PUBLIC ULONG MAPILogon(ULONG_PTR ulUIParam, LPSTR lpszProfileName, LPSTR lpszPassword,
                                FLAGS flFlags, ULONG ulReserved, LPLHANDLE lplhSession)
{
    (void)ulUIParam;
    if (lplhSession == NULL || ulReserved != 0) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPILogon: lplhSession NULL or ulReserved set");
        return MAPI_E_FAILURE;
    }
    *lplhSession = 0;
    fm_simple *s = NULL;
    ULONG code = simple_new(lpszProfileName, lpszPassword, flFlags, &s);
    if (code != SUCCESS_SUCCESS)
        return code;
    pthread_mutex_lock(&registry_lock);
    s->next = registry;
    registry = s;
    pthread_mutex_unlock(&registry_lock);
    *lplhSession = (LHANDLE)(ULONG_PTR)s;
    return SUCCESS_SUCCESS;
}

/* Takes handle h out of the registry when take, else checks it is there. */
static fm_simple *lookup(LHANDLE h, bool take)
{
    pthread_mutex_lock(&registry_lock);
    fm_simple **p = &registry;
    while (*p != NULL && (LHANDLE)(ULONG_PTR)*p != h)
        p = &(*p)->next;
    fm_simple *s = *p;
    if (s != NULL && take)
        *p = s->next;
    pthread_mutex_unlock(&registry_lock);
    return s;
}

FREEMAPI_PUBLIC ULONG MAPILogoff(LHANDLE lhSession, ULONG_PTR ulUIParam, FLAGS flFlags,
                                 ULONG ulReserved)
{
    (void)ulUIParam;
    (void)flFlags;
    (void)ulReserved;
    fm_simple *s = lhSession != 0 ? lookup(lhSession, true) : NULL;
    if (s == NULL) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPILogoff: not a Simple MAPI session");
        return MAPI_E_INVALID_SESSION;
    }
    simple_free(s);
    return SUCCESS_SUCCESS;
}

ULONG fm_simple_get(LHANDLE lhSession, fm_simple **out, bool *temp)
{
    *temp = lhSession == 0;
    if (*temp)
        return simple_new(NULL, NULL, 0, out);
    /* A session stays registered while a call uses it: the caller must not
     * log it off from another thread meanwhile, as with any MAPI object. */
    *out = lookup(lhSession, false);
    if (*out == NULL) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "not a Simple MAPI session handle");
        return MAPI_E_INVALID_SESSION;
    }
    return SUCCESS_SUCCESS;
}

void fm_simple_put(fm_simple *s, bool temp)
{
    if (temp && s != NULL)
        simple_free(s);
}
