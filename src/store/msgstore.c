/*
 * store/msgstore.c - IMsgStore: the message store object of an open store.
 *
 * Its own properties (PR_DISPLAY_NAME, ...) are kept in store_meta and take
 * effect at once; the identifying ones (entry ID, record key, the standard
 * folders' entry IDs, the support mask) are computed. Advise registers on
 * the store file's notifications (store_notify.h); Release cancels what was
 * not Unadvised. AbortSubmit takes a message out of the outgoing queue
 * (store/submit_queue.c). What needs the table layer (GetOutgoingQueue)
 * and the spooler's own methods (SetLockState, FinishedMsg, NotifyNewMail)
 * answers MAPI_E_NO_SUPPORT with text saying so, as MAPI allows a store to.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/text.h"
#include "mapiguid.h"
#include "edkmdb.h"
#include "mapitags.h"
#include "store/contents_table.h"
#include "store/entryid.h"
#include "store/message_submit.h"
#include "store/msgstore.h"
#include "store/object.h"
#include "store/receive.h"
#include "store/store_entry.h"
#include "notify/notify.h"
#include "store/store_notify.h"
#include "store/store_quota.h"
#include "store/stream.h"
#include "store/values.h"

typedef struct fm_msgstore {
    const IMsgStoreVtbl *lpVtbl;
    fm_object base;
    /* Interfaces a session adds (store/msgstore.h); NULL when opened
     * without one. */
    const fm_msgstore_ext *ext;
    void *ext_ctx;
    fm_store_conns conns; /* Advise connections, cancelled at Release */
    char *display_name; /* the opener's name for the store, or NULL */
} fm_msgstore;

static const ULONG MSGSTORE_COMPUTED[] = {
    PR_ENTRYID,
    PR_RECORD_KEY,
    PR_STORE_ENTRYID,
    PR_STORE_RECORD_KEY,
    PR_MDB_PROVIDER,
    PR_OBJECT_TYPE,
    PR_STORE_SUPPORT_MASK,
    PR_STORE_STATE,
    PR_VALID_FOLDER_MASK,
    PR_ACCESS_LEVEL,
    PR_IPM_SUBTREE_ENTRYID,
    PR_IPM_OUTBOX_ENTRYID,
    PR_IPM_WASTEBASKET_ENTRYID,
    PR_IPM_SENTMAIL_ENTRYID,
    PR_FINDER_ENTRYID,
    PR_PROHIBIT_RECEIVE_QUOTA, /* an administrator's, store_quota.c */
    PR_PROHIBIT_SEND_QUOTA,
    PR_STORAGE_QUOTA_LIMIT,
    PR_MESSAGE_SIZE_EXTENDED, /* the mailbox's size, as quotas measure it */
};

/* The provider UID freemapi's store reports in PR_MDB_PROVIDER. */
const BYTE fm_msgstore_provider[16] = { 'f', 'r', 'e', 'e', 'm', 'a', 'p', 'i',
                                                  '.', 's', 't', 'o', 'r', 'e', 0, 1 };

/* What this store really does: only what is implemented is advertised. */
ULONG fm_msgstore_support_mask(const fm_store *s)
{
    ULONG m = STORE_ENTRYID_UNIQUE | STORE_ATTACH_OK | STORE_MV_PROPS_OK | STORE_UNICODE_OK |
              STORE_ANSI_OK | STORE_HTML_OK | STORE_RTF_OK;
    if (s->readonly)
        m |= STORE_READONLY;
    else
        m |= STORE_MODIFY_OK | STORE_CREATE_OK;
    if (s->feed != NULL && fm_notify_enabled())
        m |= STORE_NOTIFY_OK;
    return m;
}

static HRESULT msgstore_computed(fm_object *o, ULONG tag, void *parent, SPropValue *out)
{
    fm_store *s = o->store;
    switch (tag) {
    case PR_ENTRYID:
    case PR_STORE_ENTRYID: return fm_value_entryid(out, tag, s, FM_EID_STORE, 0, parent);
    case PR_RECORD_KEY:
    case PR_STORE_RECORD_KEY: return fm_value_binary(out, tag, s->uid.ab, 16, parent);
    case PR_MDB_PROVIDER:
        return fm_value_binary(out, tag, fm_msgstore_provider, 16, parent);
    case PR_OBJECT_TYPE: return fm_value_long(out, tag, MAPI_STORE);
    case PR_STORE_SUPPORT_MASK: return fm_value_long(out, tag, (LONG)fm_msgstore_support_mask(s));
    case PR_STORE_STATE: return fm_value_long(out, tag, 0);
    case PR_VALID_FOLDER_MASK:
        return fm_value_long(out, tag, FOLDER_IPM_SUBTREE_VALID | FOLDER_IPM_INBOX_VALID |
                                           FOLDER_IPM_OUTBOX_VALID |
                                           FOLDER_IPM_WASTEBASKET_VALID |
                                           FOLDER_IPM_SENTMAIL_VALID | FOLDER_FINDER_VALID);
    case PR_ACCESS_LEVEL: return fm_value_long(out, tag, s->readonly ? 0 : MAPI_MODIFY);
    case PR_IPM_SUBTREE_ENTRYID:
        return fm_value_entryid(out, tag, s, FM_EID_FOLDER, s->std_fid[FM_FOLDER_IPM_SUBTREE],
                                parent);
    case PR_IPM_OUTBOX_ENTRYID:
        return fm_value_entryid(out, tag, s, FM_EID_FOLDER, s->std_fid[FM_FOLDER_OUTBOX], parent);
    case PR_IPM_WASTEBASKET_ENTRYID:
        return fm_value_entryid(out, tag, s, FM_EID_FOLDER, s->std_fid[FM_FOLDER_DELETED],
                                parent);
    case PR_IPM_SENTMAIL_ENTRYID:
        return fm_value_entryid(out, tag, s, FM_EID_FOLDER, s->std_fid[FM_FOLDER_SENT], parent);
    case PR_FINDER_ENTRYID:
        return fm_value_entryid(out, tag, s, FM_EID_FOLDER, s->std_fid[FM_FOLDER_SEARCH_ROOT],
                                parent);
    case PR_PROHIBIT_RECEIVE_QUOTA:
    case PR_PROHIBIT_SEND_QUOTA:
    case PR_STORAGE_QUOTA_LIMIT: {
        LONG kb = 0;
        HRESULT hr = fm_store_quota_get(s, tag, &kb);
        return hr == S_OK ? fm_value_long(out, tag, kb) : hr;
    }
    case PR_MESSAGE_SIZE_EXTENDED: {
        uint64_t bytes = 0;
        HRESULT hr = fm_store_mailbox_size(s, &bytes);
        out->ulPropTag = tag;
        out->Value.li.QuadPart = (LONGLONG)bytes;
        return hr;
    }
    default: return MAPI_E_NOT_FOUND;
    }
}

/* The store's own properties live in store_meta under "props". */
static HRESULT msgstore_save(fm_object *o, ULONG flags)
{
    void *blob = NULL;
    size_t len = 0;
    HRESULT hr = fm_object_encode_bag(o, &blob, &len);
    if (hr != S_OK)
        return hr;
    fm_store_lock(o->store);
    fm_db *db = o->store->db;
    hr = fm_db_begin(db);
    if (hr == S_OK) {
        sqlite3_stmt *st = NULL;
        hr = fm_db_prepare(db, "INSERT OR REPLACE INTO store_meta VALUES ('props', ?1)", &st);
        if (hr == S_OK) {
            sqlite3_bind_blob(st, 1, blob ? blob : "", (int)len, SQLITE_STATIC);
            int rc = sqlite3_step(st);
            if (rc != SQLITE_DONE)
                hr = fm_db_error(db, rc, "saving the store's properties");
            fm_db_finish(st);
        }
        if (hr == S_OK) /* streams committed through OpenProperty become the store's */
            hr = fm_object_save_streams(o);
        if (hr == S_OK)
            hr = o->changed != NULL
                     ? fm_store_notify_props(o->store, MAPI_STORE, 0, 0, o->nchanged, o->changed)
                     : fm_store_notify_object(o->store, fnevObjectModified, MAPI_STORE, 0, 0, 0, 0);
        if (hr == S_OK)
            hr = fm_db_commit(db);
        else
            fm_db_rollback(db);
    }
    fm_store_unlock(o->store);
    fm_free(blob);
    if (hr == S_OK)
        fm_object_forget_pending(o);
    return hr;
}

static HRESULT load_store_props(fm_object *o)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(o->store->db, "SELECT value FROM store_meta WHERE key = 'props'",
                               &st);
    if (hr != S_OK)
        return hr;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        hr = fm_object_load_blob(o, sqlite3_column_blob(st, 0),
                                 (size_t)sqlite3_column_bytes(st, 0));
    else if (rc != SQLITE_DONE)
        hr = fm_db_error(o->store->db, rc, "reading the store's properties");
    fm_db_finish(st);
    return hr;
}

static bool msgstore_has_interface(REFIID riid)
{
    return IsEqualIID(riid, &IID_IMsgStore);
}

static fm_msgstore *msgstore_of(fm_object *o)
{
    return (fm_msgstore *)(void *)fm_object_iface(o);
}

static void msgstore_destroy(fm_object *o)
{
    fm_msgstore *ms = msgstore_of(o);
    fm_store_conns_clear(&ms->conns, o->store);
    if (ms->ext != NULL)
        ms->ext->release(ms->ext_ctx);
    fm_free(ms->display_name);
}

HRESULT fm_msgstore_set_display_name(IMsgStore *store, const char *name)
{
    fm_msgstore *ms = (fm_msgstore *)store;
    char *copy = fm_strdup(name);
    if (copy == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory naming a store");
    fm_free(ms->display_name);
    ms->display_name = copy;
    return S_OK;
}

/* PR_DISPLAY_NAME asked for and missing: the opener's name, in the type
 * asked for (PT_UNSPECIFIED by MAPI_UNICODE), onto the result. */
static HRESULT fill_display_name(const fm_msgstore *ms, ULONG asked, ULONG flags, void *parent,
                                 SPropValue *v)
{
    ULONG type = PROP_TYPE(asked);
    if (type == PT_UNSPECIFIED)
        type = (flags & MAPI_UNICODE) ? PT_UNICODE : PT_STRING8;
    if (type == PT_UNICODE) {
        LPWSTR w = NULL;
        HRESULT hr = fm_utf8_to_utf16_mapi(ms->display_name, parent, &w);
        if (hr != S_OK)
            return hr;
        v->ulPropTag = PR_DISPLAY_NAME_W;
        v->Value.lpszW = w;
        return S_OK;
    }
    if (type != PT_STRING8)
        return S_OK; /* a type the name is not: left as the error */
    size_t n = strlen(ms->display_name) + 1;
    LPSTR a = NULL;
    if (MAPIAllocateMore((ULONG)n, parent, (LPVOID *)&a) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a store's name");
    memcpy(a, ms->display_name, n);
    v->ulPropTag = PR_DISPLAY_NAME_A;
    v->Value.lpszA = a;
    return S_OK;
}

/* Whether any value in vals is still an error (MAPI_W_ERRORS_RETURNED). */
static bool any_error(const SPropValue *vals, ULONG n)
{
    for (ULONG i = 0; i < n; i++) {
        if (PROP_TYPE(vals[i].ulPropTag) == PT_ERROR)
            return true;
    }
    return false;
}

void fm_msgstore_set_ext(IMsgStore *store, const fm_msgstore_ext *ext, void *ctx)
{
    fm_msgstore *ms = (fm_msgstore *)store;
    if (ms->ext != NULL)
        ms->ext->release(ms->ext_ctx);
    ms->ext = ext;
    ms->ext_ctx = ctx;
}

static const fm_object_class MSGSTORE_CLASS = {
    .name = "IMsgStore",
    .obj_type = MAPI_STORE,
    .stream_owner = FM_STREAM_OWNER_STORE,
    .computed_tags = MSGSTORE_COMPUTED,
    .n_computed = sizeof MSGSTORE_COMPUTED / sizeof MSGSTORE_COMPUTED[0],
    .computed = msgstore_computed,
    .autosave = true,
    .save = msgstore_save,
    .has_interface = msgstore_has_interface,
    .destroy = msgstore_destroy,
};

static fm_object *obj(IMsgStore *This)
{
    return fm_object_of(This);
}

static HRESULT no_support(IMsgStore *This, const char *what)
{
    return fm_object_fail(obj(This), fm_error_set(MAPI_E_NO_SUPPORT, "%s", what));
}

/* ---- IMsgStore methods ------------------------------------------------------ */

/* The store's own interfaces, then those its session's extension adds. */
static STDMETHODIMP msgstore_QueryInterface(IMsgStore *This, REFIID riid, LPVOID *ppvObj)
{
    HRESULT hr = fm_object_QueryInterface(obj(This), riid, ppvObj);
    fm_msgstore *ms = (fm_msgstore *)This;
    if (hr != MAPI_E_INTERFACE_NOT_SUPPORTED || ms->ext == NULL)
        return hr;
    return ms->ext->query(ms->ext_ctx, This, riid, ppvObj);
}

/* The registration key of an Advise entry ID (store_notify.h): none is the
 * whole store; else a folder, a message or the store itself of this store. */
static HRESULT advise_key(fm_store *s, ULONG cbEntryID, LPENTRYID lpEntryID, uint64_t *key)
{
    *key = 0;
    if (cbEntryID == 0 || lpEntryID == NULL)
        return S_OK;
    MAPIUID uid;
    int kind;
    uint64_t id;
    HRESULT hr = fm_entryid_parse(cbEntryID, lpEntryID, &uid, &kind, &id);
    if (hr != S_OK)
        return hr;
    if (memcmp(&uid, &s->uid, sizeof uid) != 0)
        return fm_error_set(MAPI_E_INVALID_ENTRYID,
                            "Advise: the entry ID belongs to another store");
    ULONG type = kind == FM_EID_MESSAGE ? MAPI_MESSAGE
                 : kind == FM_EID_FOLDER ? MAPI_FOLDER
                                         : MAPI_STORE;
    *key = fm_store_notify_key(type, (int64_t)id);
    return S_OK;
}

/* Registers for the store's events (store_notify.h says which are raised);
 * they arrive on a notification thread, whichever process made the change. */
static STDMETHODIMP msgstore_Advise(IMsgStore *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                                    ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink,
                                    ULONG_PTR *lpulConnection)
{
    fm_object *o = obj(This);
    if (lpAdviseSink == NULL || lpulConnection == NULL || ulEventMask == 0 ||
        (cbEntryID != 0 && lpEntryID == NULL))
        return fm_object_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                              "Advise: a sink, a connection and an event "
                                              "mask are required"));
    *lpulConnection = 0;
    uint64_t key;
    HRESULT hr = advise_key(o->store, cbEntryID, lpEntryID, &key);
    if (hr == S_OK)
        hr = fm_store_conns_advise(&((fm_msgstore *)This)->conns, o->store, key, ulEventMask,
                                   lpAdviseSink, lpulConnection);
    return fm_object_fail(o, hr);
}

static STDMETHODIMP msgstore_Unadvise(IMsgStore *This, ULONG_PTR ulConnection)
{
    fm_object *o = obj(This);
    return fm_object_fail(o, fm_store_conns_unadvise(&((fm_msgstore *)This)->conns, o->store,
                                                     ulConnection));
}

static STDMETHODIMP msgstore_CompareEntryIDs(IMsgStore *This, ULONG cb1, LPENTRYID e1, ULONG cb2,
                                             LPENTRYID e2, ULONG ulFlags, ULONG *lpulResult)
{
    fm_object *o = obj(This);
    return fm_object_fail(o, fm_store_compare_entryids(o->store, cb1, e1, cb2, e2, ulFlags,
                                                       lpulResult));
}

static STDMETHODIMP msgstore_OpenEntry(IMsgStore *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                                       LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                                       LPUNKNOWN *lppUnk)
{
    fm_object *o = obj(This);
    return fm_object_fail(o, fm_store_open_entry(o->store, cbEntryID, lpEntryID, lpInterface,
                                                 ulFlags, lpulObjType, lppUnk, This));
}

static STDMETHODIMP msgstore_SetReceiveFolder(IMsgStore *This, LPTSTR lpszMessageClass,
                                              ULONG ulFlags, ULONG cbEntryID, LPENTRYID lpEntryID)
{
    fm_object *o = obj(This);
    return fm_object_fail(o, fm_receive_set(o->store, lpszMessageClass, ulFlags, cbEntryID,
                                            lpEntryID));
}

static STDMETHODIMP msgstore_GetReceiveFolder(IMsgStore *This, LPTSTR lpszMessageClass,
                                              ULONG ulFlags, ULONG *lpcbEntryID,
                                              LPENTRYID *lppEntryID, LPTSTR *lppszExplicitClass)
{
    fm_object *o = obj(This);
    return fm_object_fail(o, fm_receive_get(o->store, lpszMessageClass, ulFlags, lpcbEntryID,
                                            lppEntryID, lppszExplicitClass));
}

static STDMETHODIMP msgstore_GetReceiveFolderTable(IMsgStore *This, ULONG ulFlags,
                                                   LPMAPITABLE *lppTable)
{
    fm_object *o = fm_object_of(This);
    if (ulFlags & ~(ULONG)(MAPI_UNICODE | MAPI_DEFERRED_ERRORS))
        return fm_object_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS,
                                              "GetReceiveFolderTable: unknown flags 0x%08lX",
                                              (unsigned long)ulFlags));
    if (lppTable == NULL)
        return fm_object_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                              "GetReceiveFolderTable: lppTable is NULL"));
    return fm_object_fail(o, fm_receive_table_open(o->store, ulFlags & MAPI_UNICODE, lppTable));
}

static STDMETHODIMP msgstore_StoreLogoff(IMsgStore *This, ULONG *lpulFlags)
{
    const ULONG known = LOGOFF_NO_WAIT | LOGOFF_ORDERLY | LOGOFF_PURGE | LOGOFF_ABORT |
                        LOGOFF_QUIET;
    if (lpulFlags == NULL)
        return fm_object_fail(obj(This), fm_error_set(MAPI_E_INVALID_PARAMETER,
                                                      "StoreLogoff: lpulFlags is NULL"));
    if (*lpulFlags & ~known)
        return fm_object_fail(obj(This),
                              fm_error_set(MAPI_E_UNKNOWN_FLAGS, "StoreLogoff: unknown flags"));
    /* Nothing is queued for sending in this store: the logoff completes at
     * once, and the store closes when its last object is released. */
    *lpulFlags = LOGOFF_COMPLETE;
    return S_OK;
}

static STDMETHODIMP msgstore_AbortSubmit(IMsgStore *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                                         ULONG ulFlags)
{
    fm_object *o = obj(This);
    return fm_object_fail(o, fm_msgstore_abort_submit(o->store, cbEntryID, lpEntryID, ulFlags));
}

static STDMETHODIMP msgstore_GetOutgoingQueue(IMsgStore *This, ULONG ulFlags,
                                              LPMAPITABLE *lppTable)
{
    return no_support(This, "GetOutgoingQueue: this store has no outgoing queue yet");
}

static STDMETHODIMP msgstore_SetLockState(IMsgStore *This, LPMESSAGE lpMessage,
                                          ULONG ulLockState)
{
    return no_support(This, "SetLockState: only the MAPI spooler calls this");
}

static STDMETHODIMP msgstore_FinishedMsg(IMsgStore *This, ULONG ulFlags, ULONG cbEntryID,
                                         LPENTRYID lpEntryID)
{
    return no_support(This, "FinishedMsg: only the MAPI spooler calls this");
}

static STDMETHODIMP msgstore_NotifyNewMail(IMsgStore *This, LPNOTIFICATION lpNotification)
{
    return no_support(This, "NotifyNewMail: only the MAPI spooler calls this");
}

/* ---- IUnknown and IMAPIProp: every store object's (store/object.h) ---------- */

static STDMETHODIMP_(ULONG) msgstore_AddRef(IMsgStore *This)
{
    return fm_object_AddRef(fm_object_of(This));
}

static STDMETHODIMP_(ULONG) msgstore_Release(IMsgStore *This)
{
    return fm_object_Release(fm_object_of(This));
}

static STDMETHODIMP msgstore_GetLastError(IMsgStore *This, HRESULT hResult, ULONG ulFlags,
                                          LPMAPIERROR *lppMAPIError)
{
    return fm_object_GetLastError(fm_object_of(This), hResult, ulFlags, lppMAPIError);
}

static STDMETHODIMP msgstore_SaveChanges(IMsgStore *This, ULONG ulFlags)
{
    return fm_object_SaveChanges(fm_object_of(This), ulFlags);
}

static STDMETHODIMP msgstore_GetProps(IMsgStore *This, LPSPropTagArray lpPropTagArray,
                                      ULONG ulFlags, ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    HRESULT hr = fm_object_GetProps(fm_object_of(This), lpPropTagArray, ulFlags, lpcValues,
                                    lppPropArray);
    const fm_msgstore *ms = (const fm_msgstore *)This;
    if (hr != MAPI_W_ERRORS_RETURNED || ms->display_name == NULL || lpPropTagArray == NULL)
        return hr;
    SPropValue *vals = *lppPropArray;
    for (ULONG i = 0; i < *lpcValues; i++) {
        ULONG asked = lpPropTagArray->aulPropTag[i];
        if (PROP_ID(asked) != PROP_ID(PR_DISPLAY_NAME) || PROP_TYPE(vals[i].ulPropTag) != PT_ERROR)
            continue;
        HRESULT fill = fill_display_name(ms, asked, ulFlags, vals, &vals[i]);
        if (fill != S_OK) {
            MAPIFreeBuffer(vals);
            *lppPropArray = NULL;
            *lpcValues = 0;
            return fm_object_fail(fm_object_of(This), fill);
        }
    }
    return any_error(vals, *lpcValues) ? MAPI_W_ERRORS_RETURNED : S_OK;
}

static STDMETHODIMP msgstore_GetPropList(IMsgStore *This, ULONG ulFlags,
                                         LPSPropTagArray *lppPropTagArray)
{
    return fm_object_GetPropList(fm_object_of(This), ulFlags, lppPropTagArray);
}

static STDMETHODIMP msgstore_OpenProperty(IMsgStore *This, ULONG ulPropTag, LPCIID lpiid,
                                          ULONG ulInterfaceOptions, ULONG ulFlags,
                                          LPUNKNOWN *lppUnk)
{
    return fm_object_OpenProperty(fm_object_of(This), ulPropTag, lpiid, ulInterfaceOptions,
                                  ulFlags, lppUnk);
}

static STDMETHODIMP msgstore_SetProps(IMsgStore *This, ULONG cValues, LPSPropValue lpPropArray,
                                      LPSPropProblemArray *lppProblems)
{
    return fm_object_SetProps(fm_object_of(This), cValues, lpPropArray, lppProblems);
}

static STDMETHODIMP msgstore_DeleteProps(IMsgStore *This, LPSPropTagArray lpPropTagArray,
                                         LPSPropProblemArray *lppProblems)
{
    return fm_object_DeleteProps(fm_object_of(This), lpPropTagArray, lppProblems);
}

static STDMETHODIMP msgstore_CopyTo(IMsgStore *This, ULONG ciidExclude, LPCIID rgiidExclude,
                                    LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                                    LPMAPIPROGRESS lpProgress, LPCIID lpInterface,
                                    LPVOID lpDestObj, ULONG ulFlags,
                                    LPSPropProblemArray *lppProblems)
{
    return fm_object_CopyTo(fm_object_of(This), ciidExclude, rgiidExclude, lpExcludeProps,
                            ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP msgstore_CopyProps(IMsgStore *This, LPSPropTagArray lpIncludeProps,
                                       ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                       LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
                                       LPSPropProblemArray *lppProblems)
{
    return fm_object_CopyProps(fm_object_of(This), lpIncludeProps, ulUIParam, lpProgress,
                               lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP msgstore_GetNamesFromIDs(IMsgStore *This, LPSPropTagArray *lppPropTags,
                                             LPGUID lpPropSetGuid, ULONG ulFlags,
                                             ULONG *lpcPropNames, LPMAPINAMEID **lpppPropNames)
{
    return fm_object_GetNamesFromIDs(fm_object_of(This), lppPropTags, lpPropSetGuid, ulFlags,
                                     lpcPropNames, lpppPropNames);
}

static STDMETHODIMP msgstore_GetIDsFromNames(IMsgStore *This, ULONG cPropNames,
                                             LPMAPINAMEID *lppPropNames, ULONG ulFlags,
                                             LPSPropTagArray *lppPropTags)
{
    return fm_object_GetIDsFromNames(fm_object_of(This), cPropNames, lppPropNames, ulFlags,
                                     lppPropTags);
}

static const IMsgStoreVtbl MSGSTORE_VTBL = {
    .QueryInterface = msgstore_QueryInterface,
    .AddRef = msgstore_AddRef,
    .Release = msgstore_Release,
    .GetLastError = msgstore_GetLastError,
    .SaveChanges = msgstore_SaveChanges,
    .GetProps = msgstore_GetProps,
    .GetPropList = msgstore_GetPropList,
    .OpenProperty = msgstore_OpenProperty,
    .SetProps = msgstore_SetProps,
    .DeleteProps = msgstore_DeleteProps,
    .CopyTo = msgstore_CopyTo,
    .CopyProps = msgstore_CopyProps,
    .GetNamesFromIDs = msgstore_GetNamesFromIDs,
    .GetIDsFromNames = msgstore_GetIDsFromNames,
    .Advise = msgstore_Advise,
    .Unadvise = msgstore_Unadvise,
    .CompareEntryIDs = msgstore_CompareEntryIDs,
    .OpenEntry = msgstore_OpenEntry,
    .SetReceiveFolder = msgstore_SetReceiveFolder,
    .GetReceiveFolder = msgstore_GetReceiveFolder,
    .GetReceiveFolderTable = msgstore_GetReceiveFolderTable,
    .StoreLogoff = msgstore_StoreLogoff,
    .AbortSubmit = msgstore_AbortSubmit,
    .GetOutgoingQueue = msgstore_GetOutgoingQueue,
    .SetLockState = msgstore_SetLockState,
    .FinishedMsg = msgstore_FinishedMsg,
    .NotifyNewMail = msgstore_NotifyNewMail,
};

HRESULT fm_msgstore_new(fm_store *s, IMsgStore **out)
{
    *out = NULL;
    fm_msgstore *ms = fm_calloc(1, sizeof *ms);
    if (ms == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening the store");
    ms->lpVtbl = &MSGSTORE_VTBL;
    fm_store_conns_init(&ms->conns);
    HRESULT hr = fm_object_init(&ms->base, &MSGSTORE_CLASS, s, 0, !s->readonly);
    if (hr != S_OK) {
        fm_free(ms);
        return hr;
    }
    hr = load_store_props(&ms->base);
    if (hr != S_OK) {
        fm_object_Release(&ms->base);
        return hr;
    }
    *out = (IMsgStore *)ms;
    return S_OK;
}
