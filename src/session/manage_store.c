/*
 * session/manage_store.c - IExchangeManageStore on the stores a session
 * opens: CreateStoreEntryID builds the entry ID of another user's mailbox
 * when the session's user holds owner, full access or impersonation rights
 * on it (checked here, and again by OpenMsgStore, since an entry ID can be
 * forged). Public folders, source keys, folder rights and the mailbox table
 * are not part of a site yet: MAPI_E_NO_SUPPORT with text.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/text.h"
#include "edkmdb.h"
#include "mapiguid.h"
#include "site/identity.h"
#include "session/session.h"
#include "store/entryid.h"
#include "store/msgstore.h"

typedef struct fm_manage {
    const IExchangeManageStoreVtbl *lpVtbl;
    _Atomic ULONG refs;
    IMsgStore *store; /* the store it was obtained from (a reference) */
    fm_identity *id;  /* NULL: the session has no site identity */
} fm_manage;

static fm_manage *self(IExchangeManageStore *p)
{
    return (fm_manage *)p;
}

static STDMETHODIMP manage_QueryInterface(IExchangeManageStore *This, REFIID riid, LPVOID *ppvObj)
{
    if (riid == NULL || ppvObj == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: NULL argument");
    *ppvObj = NULL;
    if (IsEqualIID(riid, &IID_IExchangeManageStore) || IsEqualIID(riid, &IID_IUnknown)) {
        atomic_fetch_add(&self(This)->refs, 1);
        *ppvObj = This;
        return S_OK;
    }
    /* Back to the store's other interfaces. */
    return IMsgStore_QueryInterface(self(This)->store, riid, ppvObj);
}

static STDMETHODIMP_(ULONG) manage_AddRef(IExchangeManageStore *This)
{
    return atomic_fetch_add(&self(This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) manage_Release(IExchangeManageStore *This)
{
    fm_manage *m = self(This);
    ULONG left = atomic_fetch_sub(&m->refs, 1) - 1;
    if (left == 0) {
        IMsgStore_Release(m->store);
        fm_identity_release(m->id);
        fm_free(m);
    }
    return left;
}

#define KNOWN_OPENSTORE                                                                   \
    (OPENSTORE_USE_ADMIN_PRIVILEGE | OPENSTORE_PUBLIC | OPENSTORE_HOME_LOGON |             \
     OPENSTORE_TAKE_OWNERSHIP | OPENSTORE_OVERRIDE_HOME_MDB | OPENSTORE_TRANSPORT |       \
     OPENSTORE_REMOTE_TRANSPORT | OPENSTORE_INTERNET_ANONYMOUS | OPENSTORE_ALTERNATE_SERVER | \
     OPENSTORE_IGNORE_HOME_MDB | OPENSTORE_NO_MAIL | OPENSTORE_OVERRIDE_LAST_MODIFIER |    \
     OPENSTORE_CALLBACK_LOGON | OPENSTORE_LOCAL | OPENSTORE_FAIL_IF_NO_MAILBOX |          \
     OPENSTORE_CACHE_EXCHANGE | OPENSTORE_CLI_WITH_NAMEDPROP_FIX |                        \
     OPENSTORE_ENABLE_LAZY_LOGGING | OPENSTORE_CLI_WITH_REPLID_GUID_MAPPING_FIX |         \
     OPENSTORE_NO_LOCALIZATION | OPENSTORE_RESTORE_DATABASE | OPENSTORE_XFOREST_MOVE)

static STDMETHODIMP manage_CreateStoreEntryID(IExchangeManageStore *This, LPSTR lpszMsgStoreDN,
                                              LPSTR lpszMailboxDN, ULONG ulFlags,
                                              ULONG *lpcbEntryID, LPENTRYID *lppEntryID)
{
    fm_manage *m = self(This);
    if (lpcbEntryID == NULL || lppEntryID == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateStoreEntryID: NULL out pointer");
    *lpcbEntryID = 0;
    *lppEntryID = NULL;
    if (ulFlags & ~(ULONG)KNOWN_OPENSTORE)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "CreateStoreEntryID: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~(ULONG)KNOWN_OPENSTORE));
    if (ulFlags & OPENSTORE_PUBLIC)
        return fm_error_set(MAPI_E_NO_SUPPORT, "CreateStoreEntryID: a site has no public "
                                               "folders yet");
    if (lpszMailboxDN == NULL || lpszMailboxDN[0] == '\0')
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateStoreEntryID: no mailbox DN");
    if (!fm_utf8_valid(lpszMailboxDN, strlen(lpszMailboxDN)))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateStoreEntryID: the mailbox DN is "
                                                      "not valid UTF-8");
    if (m->id == NULL)
        return fm_error_set(MAPI_E_NO_SUPPORT, "CreateStoreEntryID: the session did not log on "
                                               "to a site");
    fm_site_entry e;
    HRESULT hr = fm_identity_mailbox_by_name(m->id, lpszMailboxDN, &e);
    if (hr != S_OK)
        return hr;
    hr = fm_entryid_make(&e.store_uid, FM_EID_STORE, 0, NULL, lpcbEntryID, lppEntryID);
    fm_site_entry_clear(&e);
    return hr;
}

static STDMETHODIMP manage_EntryIDFromSourceKey(IExchangeManageStore *This, ULONG cFolderKeySize,
                                                BYTE *lpFolderSourceKey, ULONG cMessageKeySize,
                                                BYTE *lpMessageSourceKey, ULONG *lpcbEntryID,
                                                LPENTRYID *lppEntryID)
{
    return fm_error_set(MAPI_E_NO_SUPPORT, "EntryIDFromSourceKey is not implemented yet");
}

static STDMETHODIMP manage_GetRights(IExchangeManageStore *This, ULONG cbUserEntryID,
                                     LPENTRYID lpUserEntryID, ULONG cbEntryID, LPENTRYID lpEntryID,
                                     ULONG *lpulRights)
{
    return fm_error_set(MAPI_E_NO_SUPPORT, "GetRights: folder permissions are not implemented "
                                           "yet");
}

static STDMETHODIMP manage_GetMailboxTable(IExchangeManageStore *This, LPSTR lpszServerName,
                                           LPMAPITABLE *lppTable, ULONG ulFlags)
{
    return fm_error_set(MAPI_E_NO_SUPPORT, "GetMailboxTable is not implemented yet");
}

static STDMETHODIMP manage_GetPublicFolderTable(IExchangeManageStore *This, LPSTR lpszServerName,
                                                LPMAPITABLE *lppTable, ULONG ulFlags)
{
    return fm_error_set(MAPI_E_NO_SUPPORT, "a site has no public folders yet");
}

static const IExchangeManageStoreVtbl MANAGE_VTBL = {
    .QueryInterface = manage_QueryInterface,
    .AddRef = manage_AddRef,
    .Release = manage_Release,
    .CreateStoreEntryID = manage_CreateStoreEntryID,
    .EntryIDFromSourceKey = manage_EntryIDFromSourceKey,
    .GetRights = manage_GetRights,
    .GetMailboxTable = manage_GetMailboxTable,
    .GetPublicFolderTable = manage_GetPublicFolderTable,
};

/* ---- the store extension -------------------------------------------------------- */

static HRESULT ext_query(void *ctx, IMsgStore *store, REFIID riid, void **out)
{
    if (!IsEqualIID(riid, &IID_IExchangeManageStore))
        return MAPI_E_INTERFACE_NOT_SUPPORTED; /* the store has set the text */
    fm_manage *m = fm_calloc(1, sizeof *m);
    if (m == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory in QueryInterface");
    m->lpVtbl = &MANAGE_VTBL;
    atomic_init(&m->refs, 1);
    IMsgStore_AddRef(store);
    m->store = store;
    m->id = ctx;
    if (m->id != NULL)
        fm_identity_addref(m->id);
    *out = m;
    return S_OK;
}

static void ext_release(void *ctx)
{
    fm_identity_release(ctx);
}

static const fm_msgstore_ext MANAGE_EXT = { ext_query, ext_release };

void fm_session_attach_manage(IMsgStore *store, fm_identity *id)
{
    if (id != NULL)
        fm_identity_addref(id);
    fm_msgstore_set_ext(store, &MANAGE_EXT, id);
}
