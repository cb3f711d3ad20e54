/*
 * profile/svcadmin.c - IMsgServiceAdmin: the message services of one
 * profile (admin.h). Services are configured without UI, from properties;
 * a request that needs UI (SERVICE_UI_ALWAYS) is MAPI_E_NO_SUPPORT.
 */
#include <stddef.h>
#include <string.h>

#include "core/alloc.h"
#include "core/lasterr.h"
#include "core/text.h"
#include "mapiguid.h"
#include "profile/admin.h"
#include "profile/profsect.h"
#include "profile/services.h"

typedef struct fm_svcadmin {
    const IMsgServiceAdminVtbl *lpVtbl;
    const IMsgServiceAdmin2Vtbl *lpVtbl2; /* the IMsgServiceAdmin2 pointer is &lpVtbl2 */
    _Atomic ULONG refs;
    fm_profstore *ps;
    MAPIUID profile;
    fm_lasterr err;
} fm_svcadmin;

static const IMsgServiceAdminVtbl SVCADMIN_VTBL;
static const IMsgServiceAdmin2Vtbl SVCADMIN2_VTBL;

static fm_svcadmin *self(IMsgServiceAdmin *p)
{
    return (fm_svcadmin *)p;
}

static HRESULT fail(IMsgServiceAdmin *This, HRESULT hr)
{
    return fm_lasterr_record(&self(This)->err, hr);
}

static STDMETHODIMP svcadmin_QueryInterface(IMsgServiceAdmin *This, REFIID riid, LPVOID *ppvObj)
{
    if (riid == NULL || ppvObj == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: NULL argument");
    *ppvObj = NULL;
    bool two = IsEqualIID(riid, &IID_IMsgServiceAdmin2);
    if (!two && !IsEqualIID(riid, &IID_IMsgServiceAdmin) && !IsEqualIID(riid, &IID_IUnknown))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "IMsgServiceAdmin: unsupported "
                                                            "interface");
    atomic_fetch_add(&self(This)->refs, 1);
    *ppvObj = two ? (void *)&self(This)->lpVtbl2 : (void *)This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) svcadmin_AddRef(IMsgServiceAdmin *This)
{
    return atomic_fetch_add(&self(This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) svcadmin_Release(IMsgServiceAdmin *This)
{
    fm_svcadmin *s = self(This);
    ULONG left = atomic_fetch_sub(&s->refs, 1) - 1;
    if (left == 0) {
        fm_profstore_close(s->ps);
        fm_lasterr_clear(&s->err);
        fm_free(s);
    }
    return left;
}

static STDMETHODIMP svcadmin_GetLastError(IMsgServiceAdmin *This, HRESULT hResult, ULONG ulFlags,
                                          LPMAPIERROR *lppMAPIError)
{
    return fm_lasterr_get(&self(This)->err, "IMsgServiceAdmin", hResult, ulFlags, lppMAPIError);
}

static STDMETHODIMP svcadmin_GetMsgServiceTable(IMsgServiceAdmin *This, ULONG ulFlags,
                                                LPMAPITABLE *lppTable)
{
    fm_svcadmin *s = self(This);
    return fail(This, fm_service_table(s->ps, &s->profile, ulFlags, lppTable));
}

/* CreateMsgService and CreateMsgServiceEx: the new service's UID into
 * *uid_out when it is not NULL. */
static HRESULT create_service(IMsgServiceAdmin *This, LPTSTR lpszService, LPTSTR lpszDisplayName,
                              ULONG ulFlags, const char *fn, LPMAPIUID uid_out)
{
    fm_svcadmin *s = self(This);
    const ULONG known = SERVICE_UI_ALWAYS | SERVICE_UI_ALLOWED | MAPI_UNICODE |
                        SERVICE_NO_RESTART_WARNING;
    if (ulFlags & ~known)
        return fail(This, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "%s: unknown flags 0x%08lX", fn,
                                       (unsigned long)ulFlags));
    if (lpszService == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: lpszService is NULL", fn));
    char name[256], display[1024];
    HRESULT hr = fm_text_arg_utf8(lpszService, (ulFlags & MAPI_UNICODE) != 0, name, sizeof name,
                                  "the service name");
    if (hr == S_OK)
        hr = fm_text_arg_utf8(lpszDisplayName, (ulFlags & MAPI_UNICODE) != 0, display,
                              sizeof display, "the display name");
    if (hr == S_OK && ulFlags & SERVICE_UI_ALWAYS)
        hr = fm_error_set(MAPI_E_NO_SUPPORT, "%s: freemapi's services have no configuration "
                                             "UI; use ConfigureMsgService", fn);
    MAPIUID uid;
    if (hr == S_OK)
        hr = fm_service_create(s->ps, &s->profile, name, display, &uid);
    if (hr == S_OK && uid_out != NULL)
        *uid_out = uid;
    return fail(This, hr);
}

static STDMETHODIMP svcadmin_CreateMsgService(IMsgServiceAdmin *This, LPTSTR lpszService,
                                              LPTSTR lpszDisplayName, ULONG_PTR ulUIParam,
                                              ULONG ulFlags)
{
    return create_service(This, lpszService, lpszDisplayName, ulFlags, "CreateMsgService", NULL);
}

static HRESULT check_uid(LPMAPIUID lpUID, const char *fn)
{
    if (lpUID == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: lpUID is NULL", fn);
    return S_OK;
}

static STDMETHODIMP svcadmin_DeleteMsgService(IMsgServiceAdmin *This, LPMAPIUID lpUID)
{
    fm_svcadmin *s = self(This);
    HRESULT hr = check_uid(lpUID, "DeleteMsgService");
    if (hr == S_OK)
        hr = fm_service_delete(s->ps, &s->profile, lpUID);
    return fail(This, hr);
}

static STDMETHODIMP svcadmin_CopyMsgService(IMsgServiceAdmin *This, LPMAPIUID lpUID,
                                            LPTSTR lpszDisplayName, LPCIID lpInterfaceToCopy,
                                            LPCIID lpInterfaceDst, LPVOID lpObjectDst,
                                            ULONG_PTR ulUIParam, ULONG ulFlags)
{
    fm_svcadmin *s = self(This);
    HRESULT hr = check_uid(lpUID, "CopyMsgService");
    if (hr == S_OK && (ulFlags & ~(ULONG)(MAPI_UNICODE | SERVICE_UI_ALLOWED)))
        hr = fm_error_set(MAPI_E_UNKNOWN_FLAGS, "CopyMsgService: unknown flags 0x%08lX",
                          (unsigned long)ulFlags);
    if (hr == S_OK && lpObjectDst == NULL)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "CopyMsgService: lpObjectDst is NULL");
    if (hr == S_OK && ((lpInterfaceDst != NULL &&
                        !IsEqualIID(lpInterfaceDst, &IID_IMsgServiceAdmin)) ||
                       ((IMsgServiceAdmin *)lpObjectDst)->lpVtbl != &SVCADMIN_VTBL))
        hr = fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "CopyMsgService: the destination "
                                                          "must be a freemapi IMsgServiceAdmin");
    char display[1024];
    if (hr == S_OK)
        hr = fm_text_arg_utf8(lpszDisplayName, (ulFlags & MAPI_UNICODE) != 0, display,
                              sizeof display, "the display name");
    if (hr == S_OK) {
        fm_svcadmin *dst = self((IMsgServiceAdmin *)lpObjectDst);
        hr = fm_service_copy(s->ps, &s->profile, lpUID, &dst->profile,
                             lpszDisplayName ? display : NULL);
    }
    return fail(This, hr);
}

static STDMETHODIMP svcadmin_RenameMsgService(IMsgServiceAdmin *This, LPMAPIUID lpUID,
                                              ULONG ulFlags, LPTSTR lpszDisplayName)
{
    fm_svcadmin *s = self(This);
    HRESULT hr = check_uid(lpUID, "RenameMsgService");
    if (hr == S_OK && (ulFlags & ~(ULONG)MAPI_UNICODE))
        hr = fm_error_set(MAPI_E_UNKNOWN_FLAGS, "RenameMsgService: unknown flags 0x%08lX",
                          (unsigned long)ulFlags);
    char display[1024];
    if (hr == S_OK && lpszDisplayName == NULL)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "RenameMsgService: no display name");
    if (hr == S_OK)
        hr = fm_text_arg_utf8(lpszDisplayName, (ulFlags & MAPI_UNICODE) != 0, display,
                              sizeof display, "the display name");
    fm_service svc;
    if (hr == S_OK)
        hr = fm_service_get(s->ps, &s->profile, lpUID, &svc);
    sqlite3_stmt *st;
    if (hr == S_OK)
        hr = fm_db_prepare(s->ps->db, "UPDATE services SET display = ?2 WHERE uid = ?1", &st);
    if (hr == S_OK) {
        fm_db_bind_blob(st, 1, svc.uid.ab, 16);
        fm_db_bind_text(st, 2, display);
        hr = fm_db_run(s->ps->db, st, "renaming a message service");
    }
    return fail(This, hr);
}

static STDMETHODIMP svcadmin_ConfigureMsgService(IMsgServiceAdmin *This, LPMAPIUID lpUID,
                                                 ULONG_PTR ulUIParam, ULONG ulFlags, ULONG cValues,
                                                 LPSPropValue lpProps)
{
    fm_svcadmin *s = self(This);
    const ULONG known = SERVICE_UI_ALWAYS | SERVICE_UI_ALLOWED | MSG_SERVICE_UI_READ_ONLY |
                        MAPI_UNICODE;
    HRESULT hr = check_uid(lpUID, "ConfigureMsgService");
    if (hr == S_OK && (ulFlags & ~known))
        hr = fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ConfigureMsgService: unknown flags 0x%08lX",
                          (unsigned long)ulFlags);
    if (hr == S_OK && cValues > 0 && lpProps == NULL)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "ConfigureMsgService: lpProps is NULL");
    if (hr == S_OK && ulFlags & SERVICE_UI_ALWAYS)
        hr = fm_error_set(MAPI_E_NO_SUPPORT, "ConfigureMsgService: freemapi's services have "
                                             "no configuration UI; pass the properties");
    fm_service svc;
    if (hr == S_OK)
        hr = fm_service_get(s->ps, &s->profile, lpUID, &svc);
    if (hr == S_OK && memcmp(svc.uid.ab, lpUID->ab, 16) != 0)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "ConfigureMsgService: that is a provider's UID");
    if (hr == S_OK) {
        pthread_mutex_lock(&s->ps->lock);
        hr = fm_service_configure(s->ps, &s->profile, &svc, cValues, lpProps);
        pthread_mutex_unlock(&s->ps->lock);
    }
    return fail(This, hr);
}

static STDMETHODIMP svcadmin_OpenProfileSection(IMsgServiceAdmin *This, LPMAPIUID lpUID,
                                                LPCIID lpInterface, ULONG ulFlags,
                                                LPPROFSECT *lppProfSect)
{
    fm_svcadmin *s = self(This);
    HRESULT hr = fm_profsect_check_args("OpenProfileSection", lpUID, lpInterface, ulFlags,
                                        lppProfSect);
    if (hr == S_OK)
        hr = fm_profsect_open(s->ps, &s->profile, lpUID, lpInterface, ulFlags, lppProfSect);
    return fail(This, hr);
}

static STDMETHODIMP svcadmin_MsgServiceTransportOrder(IMsgServiceAdmin *This, ULONG cUID,
                                                      LPMAPIUID lpUIDList, ULONG ulFlags)
{
    HRESULT hr = S_OK;
    if (ulFlags != 0)
        hr = fm_error_set(MAPI_E_UNKNOWN_FLAGS, "MsgServiceTransportOrder: unknown flags");
    else if (cUID > 0 && lpUIDList == NULL)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "MsgServiceTransportOrder: no UID list");
    else if (cUID > 0)
        /* The built-in services have store providers only. */
        hr = fm_error_set(MAPI_E_NOT_FOUND, "MsgServiceTransportOrder: the profile has no "
                                            "transport providers");
    return fail(This, hr);
}

static STDMETHODIMP svcadmin_AdminProviders(IMsgServiceAdmin *This, LPMAPIUID lpUID, ULONG ulFlags,
                                            LPPROVIDERADMIN *lppProviderAdmin)
{
    fm_svcadmin *s = self(This);
    HRESULT hr = check_uid(lpUID, "AdminProviders");
    if (hr == S_OK && lppProviderAdmin == NULL)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "AdminProviders: lppProviderAdmin is NULL");
    if (hr == S_OK && (ulFlags & ~(ULONG)MAPI_UNICODE))
        hr = fm_error_set(MAPI_E_UNKNOWN_FLAGS, "AdminProviders: unknown flags 0x%08lX",
                          (unsigned long)ulFlags);
    fm_service svc;
    if (hr == S_OK)
        hr = fm_service_get(s->ps, &s->profile, lpUID, &svc);
    if (hr == S_OK)
        hr = fm_provadmin_new(s->ps, &s->profile, &svc.uid, lppProviderAdmin);
    return fail(This, hr);
}

static STDMETHODIMP svcadmin_SetPrimaryIdentity(IMsgServiceAdmin *This, LPMAPIUID lpUID,
                                                ULONG ulFlags)
{
    fm_svcadmin *s = self(This);
    HRESULT hr = check_uid(lpUID, "SetPrimaryIdentity");
    if (hr == S_OK && ulFlags != 0)
        hr = fm_error_set(MAPI_E_UNKNOWN_FLAGS, "SetPrimaryIdentity: unknown flags 0x%08lX",
                          (unsigned long)ulFlags);
    fm_service svc;
    if (hr == S_OK)
        hr = fm_service_get(s->ps, &s->profile, lpUID, &svc);
    const fm_service_def *def = hr == S_OK ? fm_service_def_find(svc.name) : NULL;
    if (hr == S_OK && (def == NULL || !(def->service_flags & SERVICE_PRIMARY_IDENTITY)))
        hr = fm_error_set(MAPI_E_NO_ACCESS, "SetPrimaryIdentity: service \"%s\" cannot supply "
                                            "the primary identity", svc.display);
    sqlite3_stmt *st;
    if (hr == S_OK)
        hr = fm_db_prepare(
            s->ps->db, "UPDATE services SET primary_identity = (uid = ?2) WHERE profile = ?1", &st);
    if (hr == S_OK) {
        fm_db_bind_blob(st, 1, s->profile.ab, 16);
        fm_db_bind_blob(st, 2, svc.uid.ab, 16);
        hr = fm_db_run(s->ps->db, st, "setting the primary identity");
    }
    return fail(This, hr);
}

static STDMETHODIMP svcadmin_GetProviderTable(IMsgServiceAdmin *This, ULONG ulFlags,
                                              LPMAPITABLE *lppTable)
{
    fm_svcadmin *s = self(This);
    return fail(This, fm_provider_table(s->ps, &s->profile, NULL, ulFlags, lppTable));
}

static const IMsgServiceAdminVtbl SVCADMIN_VTBL = {
    .QueryInterface = svcadmin_QueryInterface,
    .AddRef = svcadmin_AddRef,
    .Release = svcadmin_Release,
    .GetLastError = svcadmin_GetLastError,
    .GetMsgServiceTable = svcadmin_GetMsgServiceTable,
    .CreateMsgService = svcadmin_CreateMsgService,
    .DeleteMsgService = svcadmin_DeleteMsgService,
    .CopyMsgService = svcadmin_CopyMsgService,
    .RenameMsgService = svcadmin_RenameMsgService,
    .ConfigureMsgService = svcadmin_ConfigureMsgService,
    .OpenProfileSection = svcadmin_OpenProfileSection,
    .MsgServiceTransportOrder = svcadmin_MsgServiceTransportOrder,
    .AdminProviders = svcadmin_AdminProviders,
    .SetPrimaryIdentity = svcadmin_SetPrimaryIdentity,
    .GetProviderTable = svcadmin_GetProviderTable,
};

/* ---- IMsgServiceAdmin2: the same methods through the second pointer -------------- */

static IMsgServiceAdmin *one(IMsgServiceAdmin2 *p)
{
    return (IMsgServiceAdmin *)(void *)((char *)p - offsetof(fm_svcadmin, lpVtbl2));
}

static STDMETHODIMP svcadmin2_QueryInterface(IMsgServiceAdmin2 *This, REFIID riid, LPVOID *ppv)
{
    return svcadmin_QueryInterface(one(This), riid, ppv);
}
static STDMETHODIMP_(ULONG) svcadmin2_AddRef(IMsgServiceAdmin2 *This)
{
    return svcadmin_AddRef(one(This));
}
static STDMETHODIMP_(ULONG) svcadmin2_Release(IMsgServiceAdmin2 *This)
{
    return svcadmin_Release(one(This));
}
static STDMETHODIMP svcadmin2_GetLastError(IMsgServiceAdmin2 *This, HRESULT hr, ULONG f,
                                           LPMAPIERROR *e)
{
    return svcadmin_GetLastError(one(This), hr, f, e);
}
static STDMETHODIMP svcadmin2_GetMsgServiceTable(IMsgServiceAdmin2 *This, ULONG f, LPMAPITABLE *t)
{
    return svcadmin_GetMsgServiceTable(one(This), f, t);
}
static STDMETHODIMP svcadmin2_CreateMsgService(IMsgServiceAdmin2 *This, LPTSTR a, LPTSTR b,
                                               ULONG_PTR ui, ULONG f)
{
    return svcadmin_CreateMsgService(one(This), a, b, ui, f);
}
static STDMETHODIMP svcadmin2_DeleteMsgService(IMsgServiceAdmin2 *This, LPMAPIUID u)
{
    return svcadmin_DeleteMsgService(one(This), u);
}
static STDMETHODIMP svcadmin2_CopyMsgService(IMsgServiceAdmin2 *This, LPMAPIUID u, LPTSTR n,
                                             LPCIID a, LPCIID b, LPVOID dst, ULONG_PTR ui,
                                             ULONG f)
{
    return svcadmin_CopyMsgService(one(This), u, n, a, b, dst, ui, f);
}
static STDMETHODIMP svcadmin2_RenameMsgService(IMsgServiceAdmin2 *This, LPMAPIUID u, ULONG f,
                                               LPTSTR n)
{
    return svcadmin_RenameMsgService(one(This), u, f, n);
}
static STDMETHODIMP svcadmin2_ConfigureMsgService(IMsgServiceAdmin2 *This, LPMAPIUID u,
                                                  ULONG_PTR ui, ULONG f, ULONG c,
                                                  LPSPropValue p)
{
    return svcadmin_ConfigureMsgService(one(This), u, ui, f, c, p);
}
static STDMETHODIMP svcadmin2_OpenProfileSection(IMsgServiceAdmin2 *This, LPMAPIUID u, LPCIID i,
                                                 ULONG f, LPPROFSECT *ps)
{
    return svcadmin_OpenProfileSection(one(This), u, i, f, ps);
}
static STDMETHODIMP svcadmin2_MsgServiceTransportOrder(IMsgServiceAdmin2 *This, ULONG c,
                                                       LPMAPIUID l, ULONG f)
{
    return svcadmin_MsgServiceTransportOrder(one(This), c, l, f);
}
static STDMETHODIMP svcadmin2_AdminProviders(IMsgServiceAdmin2 *This, LPMAPIUID u, ULONG f,
                                             LPPROVIDERADMIN *pa)
{
    return svcadmin_AdminProviders(one(This), u, f, pa);
}
static STDMETHODIMP svcadmin2_SetPrimaryIdentity(IMsgServiceAdmin2 *This, LPMAPIUID u, ULONG f)
{
    return svcadmin_SetPrimaryIdentity(one(This), u, f);
}
static STDMETHODIMP svcadmin2_GetProviderTable(IMsgServiceAdmin2 *This, ULONG f, LPMAPITABLE *t)
{
    return svcadmin_GetProviderTable(one(This), f, t);
}
static STDMETHODIMP svcadmin2_CreateMsgServiceEx(IMsgServiceAdmin2 *This, LPTSTR lpszService,
                                                 LPTSTR lpszDisplayName, ULONG_PTR ulUIParam,
                                                 ULONG ulFlags, LPMAPIUID lpuidService)
{
    if (lpuidService == NULL)
        return fail(one(This), fm_error_set(MAPI_E_INVALID_PARAMETER,
                                            "CreateMsgServiceEx: lpuidService is NULL"));
    return create_service(one(This), lpszService, lpszDisplayName, ulFlags,
                          "CreateMsgServiceEx", lpuidService);
}

static const IMsgServiceAdmin2Vtbl SVCADMIN2_VTBL = {
    .QueryInterface = svcadmin2_QueryInterface,
    .AddRef = svcadmin2_AddRef,
    .Release = svcadmin2_Release,
    .GetLastError = svcadmin2_GetLastError,
    .GetMsgServiceTable = svcadmin2_GetMsgServiceTable,
    .CreateMsgService = svcadmin2_CreateMsgService,
    .DeleteMsgService = svcadmin2_DeleteMsgService,
    .CopyMsgService = svcadmin2_CopyMsgService,
    .RenameMsgService = svcadmin2_RenameMsgService,
    .ConfigureMsgService = svcadmin2_ConfigureMsgService,
    .OpenProfileSection = svcadmin2_OpenProfileSection,
    .MsgServiceTransportOrder = svcadmin2_MsgServiceTransportOrder,
    .AdminProviders = svcadmin2_AdminProviders,
    .SetPrimaryIdentity = svcadmin2_SetPrimaryIdentity,
    .GetProviderTable = svcadmin2_GetProviderTable,
    .CreateMsgServiceEx = svcadmin2_CreateMsgServiceEx,
};

HRESULT fm_svcadmin_new(fm_profstore *ps, const MAPIUID *profile, LPSERVICEADMIN *out)
{
    *out = NULL;
    fm_svcadmin *s = fm_calloc(1, sizeof *s);
    if (s == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory administering services");
    s->lpVtbl = &SVCADMIN_VTBL;
    s->lpVtbl2 = &SVCADMIN2_VTBL;
    atomic_init(&s->refs, 1);
    fm_lasterr_init(&s->err);
    fm_profstore_addref(ps);
    s->ps = ps;
    s->profile = *profile;
    *out = (LPSERVICEADMIN)s;
    return S_OK;
}
