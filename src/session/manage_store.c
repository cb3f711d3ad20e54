/*
 * session/manage_store.c - IExchangeManageStore on the stores a session
 * opens: CreateStoreEntryID builds the entry ID of another user's mailbox
 * when the session's user holds owner, full access or impersonation rights
 * on it (checked here, and again by OpenMsgStore, since an entry ID can be
 * forged); GetRights reads a user's folder permissions (freemapi_acl.h).
 * Public folders, source keys and the mailbox table are not part of a site
 * yet: MAPI_E_NO_SUPPORT with text.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/text.h"
#include "edkmdb.h"
#include "freemapi_acl.h"
#include "mapiguid.h"
#include "site/identity.h"
#include "session/session.h"
#include "store/entryid.h"
#include "store/folder_acl.h"
#include "store/folder_row.h"
#include "store/msgstore.h"
#include "store/object.h"
#include "store/store_notify.h"

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

/* A delegate (no mailbox right on e) gets the entry ID of e's mailbox when
 * some folder's permissions there give them a right (freemapi_acl.h);
 * OpenMsgStore checks again. e is cleared on refusal. */
static HRESULT delegate_may_open(fm_identity *id, fm_site_entry *e)
{
    char *path = fm_site_store_path(id->site, e->id);
    fm_store *st = NULL;
    HRESULT hr = path ? fm_store_open(path, FM_DB_READONLY, &st)
                      : fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory in "
                                                               "CreateStoreEntryID");
    bool any = false;
    if (hr == S_OK)
        hr = fm_acl_any_rights(st, id->user.id, &any);
    if (hr == S_OK && !any)
        hr = fm_error_set(MAPI_E_NO_ACCESS, "%s holds no full access or impersonation right on "
                                            "the mailbox of %s, nor a permission on any of its "
                                            "folders", id->user.alias, e->alias);
    if (st != NULL)
        fm_store_notify_abandon(st);
    fm_store_release(st);
    fm_free(path);
    if (hr != S_OK)
        fm_site_entry_clear(e);
    return hr;
}

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
    bool delegate = false;
    HRESULT hr = fm_identity_mailbox_by_name(m->id, lpszMailboxDN, &e, &delegate);
    if (hr == S_OK && delegate)
        hr = delegate_may_open(m->id, &e);
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

/* The folder of st an entry ID names, for GetRights. */
static HRESULT rights_folder(fm_store *st, ULONG cb, LPENTRYID eid, int64_t *fid)
{
    MAPIUID uid;
    int kind = 0;
    uint64_t id = 0;
    HRESULT hr = fm_entryid_parse(cb, eid, &uid, &kind, &id);
    if (hr == S_OK && kind != FM_EID_FOLDER)
        hr = fm_error_set(MAPI_E_INVALID_ENTRYID, "GetRights: the entry ID names no folder");
    if (hr == S_OK && memcmp(uid.ab, st->uid.ab, 16) != 0)
        hr = fm_error_set(MAPI_E_UNKNOWN_ENTRYID, "GetRights: the folder is in another store");
    if (hr == S_OK)
        hr = fm_folder_exists(st, (int64_t)id);
    *fid = (int64_t)id;
    return hr;
}

/* Whether member holds a mailbox right (owner, full access, impersonation)
 * on the mailbox whose store is st, or is its owner: then every folder
 * right is theirs. */
static HRESULT holds_mailbox(fm_identity *id, fm_store *st, int64_t member, bool *out)
{
    *out = false;
    fm_site_entry box;
    pthread_mutex_lock(&id->lock);
    HRESULT hr = fm_site_find_store(id->site, &st->uid, &box);
    ULONG r = 0;
    if (hr == S_OK) {
        hr = fm_site_rights_of(id->site, member, box.id, &r);
        fm_site_entry_clear(&box);
    } else if (hr == MAPI_E_NOT_FOUND) { /* not a site mailbox: the ACLs alone */
        fm_error_clear();
        hr = S_OK;
    }
    pthread_mutex_unlock(&id->lock);
    *out = (r & (FMAPI_RIGHT_OWNER | FMAPI_RIGHT_FULL_ACCESS | FMAPI_RIGHT_IMPERSONATION)) != 0;
    return hr;
}

/* The folder permissions of the user lpUserEntryID (a directory entry ID)
 * on the folder lpEntryID of this store (folder_acl.h). */
static STDMETHODIMP manage_GetRights(IExchangeManageStore *This, ULONG cbUserEntryID,
                                     LPENTRYID lpUserEntryID, ULONG cbEntryID, LPENTRYID lpEntryID,
                                     ULONG *lpulRights)
{
    fm_manage *m = self(This);
    if (lpulRights == NULL || lpUserEntryID == NULL || lpEntryID == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "GetRights: NULL argument");
    *lpulRights = 0;
    if (m->id == NULL)
        return fm_error_set(MAPI_E_NO_SUPPORT, "GetRights: the session did not log on to a "
                                               "site");
    fm_store *st = fm_object_of(m->store)->store;
    int64_t member = 0, fid = 0;
    HRESULT hr = fm_acl_member_of_entryid(cbUserEntryID, (const BYTE *)lpUserEntryID, &member);
    if (hr == S_OK)
        hr = rights_folder(st, cbEntryID, lpEntryID, &fid);
    if (hr == S_OK)
        hr = fm_store_check_access(st);
    if (hr == S_OK)
        hr = fm_acl_require(st, fid, frightsVisible, "GetRights");
    bool all = false;
    if (hr == S_OK)
        hr = holds_mailbox(m->id, st, member, &all);
    if (hr == S_OK && all)
        *lpulRights = FMAPI_ROLE_OWNER;
    else if (hr == S_OK)
        hr = fm_acl_member_rights(st, fid, member, lpulRights);
    return hr;
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
