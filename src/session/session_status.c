/*
 * session/session_status.c - IMAPISession::GetStatusTable and the
 * IMAPIStatus objects its rows open (IMAPISession::OpenEntry on a row's
 * PR_ENTRYID).
 *
 * Rows, as Windows MAPI shows them: the MAPI subsystem, one per store
 * provider, the MAPI spooler, the address book and its provider. Each row
 * has the columns Microsoft lists for status tables (PR_ENTRYID,
 * PR_RESOURCE_TYPE, PR_DISPLAY_NAME, PR_PROVIDER_DISPLAY, PR_STATUS_CODE,
 * PR_RESOURCE_FLAGS, PR_RESOURCE_METHODS, PR_OBJECT_TYPE, PR_ROWID, ...).
 * A row's entry ID is freemapi's: abFlags[4] = 0, FM_STATUS_UID, BYTE
 * version 1, BYTE[3] 0, ULONG LE the row's index.
 *
 * The status object answers IMAPIProp with the row's values (read-only)
 * and the IMAPIStatus methods its PR_RESOURCE_METHODS names; the others
 * are MAPI_E_NO_SUPPORT with text. The spooler's FlushQueues runs the
 * spooler now over the session's site mailbox (FLUSH_UPLOAD; FLUSH_FORCE
 * makes every queued submission due first); FLUSH_DOWNLOAD has nothing to
 * fetch (mail is delivered into the mailboxes, not pulled); FLUSH_NO_UI
 * and FLUSH_ASYNC_OK are accepted, and the flush is done before the call
 * returns, which FLUSH_ASYNC_OK allows. ValidateState re-reads nothing
 * (the spooler reads the site's relay setting at every run) and answers
 * S_OK; SettingsDialog has no dialog in freemapi; ChangePassword is a
 * transport's, and the spooler has none.
 */
#include <string.h>

#include "core/alloc.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "session/session.h"
#include "spool/spool.h"
#include "store/submit_queue.h"
#include "table/rowtable.h"

#define STATUS_EID_SIZE 28
static const MAPIUID FM_STATUS_UID = { { 'f', 'r', 'e', 'e', 'm', 'a', 'p', 'i', '.', 's', 't',
                                          'a', 't', 'u', 's', '1' } };

static const ULONG STATUS_COLUMNS[] = {
    PR_INSTANCE_KEY,   PR_RESOURCE_TYPE,    PR_DISPLAY_NAME_A,     PR_PROVIDER_DISPLAY_A,
    PR_STATUS_CODE,    PR_RESOURCE_FLAGS,   PR_RESOURCE_METHODS,   PR_OBJECT_TYPE,
    PR_IDENTITY_DISPLAY_A, PR_ENTRYID,      PR_ROWID,
};
#define NSTATUS_COLS (sizeof STATUS_COLUMNS / sizeof STATUS_COLUMNS[0])
#define EXTRA_ROWS 3 /* spooler, address book, address book provider */

typedef struct status_row {
    SPropValue v[NSTATUS_COLS];
    BYTE eid[STATUS_EID_SIZE];
    BYTE key[16];
} status_row;

static SPropValue bin(ULONG tag, const void *p, ULONG cb)
{
    SPropValue v = { .ulPropTag = tag };
    v.Value.bin.cb = cb;
    v.Value.bin.lpb = (LPBYTE)p;
    return v;
}

static SPropValue lng(ULONG tag, ULONG l)
{
    SPropValue v = { .ulPropTag = tag };
    v.Value.l = (LONG)l;
    return v;
}

static SPropValue str(ULONG tag, const char *s)
{
    SPropValue v = { .ulPropTag = tag };
    v.Value.lpszA = (LPSTR)s;
    return v;
}

static size_t row_count(const fm_session *s)
{
    return 1 + s->nstores + EXTRA_ROWS;
}

/* Row i's kind: the subsystem, a store, or one of the extra rows. */
enum { ROW_SUBSYSTEM, ROW_STORE, ROW_SPOOLER, ROW_AB, ROW_AB_PROVIDER };

static int row_kind(const fm_session *s, size_t i)
{
    if (i == 0)
        return ROW_SUBSYSTEM;
    if (i <= s->nstores)
        return ROW_STORE;
    return ROW_SPOOLER + (int)(i - 1 - s->nstores);
}

static void fill_common(status_row *r, size_t i, ULONG type, const char *display,
                        const char *provider, ULONG code, ULONG flags, ULONG methods,
                        const char *identity)
{
    memset(r->eid, 0, sizeof r->eid);
    memcpy(r->eid + 4, FM_STATUS_UID.ab, 16);
    r->eid[20] = 1;
    for (int b = 0; b < 4; b++)
        r->eid[24 + b] = (BYTE)(i >> (8 * b));
    memcpy(r->key, r->eid + 12, 16); /* unique per row: the UID's tail and the index */
    r->v[0] = bin(PR_INSTANCE_KEY, r->key, 16);
    r->v[1] = lng(PR_RESOURCE_TYPE, type);
    r->v[2] = str(PR_DISPLAY_NAME_A, display);
    r->v[3] = str(PR_PROVIDER_DISPLAY_A, provider);
    r->v[4] = lng(PR_STATUS_CODE, code);
    r->v[5] = lng(PR_RESOURCE_FLAGS, flags);
    r->v[6] = lng(PR_RESOURCE_METHODS, methods);
    r->v[7] = lng(PR_OBJECT_TYPE, MAPI_STATUS);
    r->v[8] = str(PR_IDENTITY_DISPLAY_A, identity);
    r->v[9] = bin(PR_ENTRYID, r->eid, STATUS_EID_SIZE);
    r->v[10] = lng(PR_ROWID, (ULONG)i);
}

/* Row i of s's status table (pointing into s and r). */
static void make_row(const fm_session *s, size_t i, status_row *r)
{
    const char *who = s->id ? s->id->user.display : "";
    switch (row_kind(s, i)) {
    case ROW_SUBSYSTEM:
        fill_common(r, i, MAPI_SUBSYSTEM, "MAPI Subsystem", "freemapi", STATUS_AVAILABLE, 0, 0,
                    who);
        break;
    case ROW_STORE: {
        const fm_session_store *st = &s->stores[i - 1];
        ULONG rflags = (i - 1 == s->default_store ? STATUS_DEFAULT_STORE : 0) |
                       (i - 1 == s->identity_store ? STATUS_PRIMARY_IDENTITY : 0);
        fill_common(r, i, MAPI_STORE_PROVIDER, st->display, "freemapi message store",
                    STATUS_AVAILABLE, rflags, 0, i - 1 == s->identity_store ? who : "");
        break;
    }
    case ROW_SPOOLER:
        fill_common(r, i, MAPI_SPOOLER, "MAPI Spooler", "freemapi spooler",
                    STATUS_AVAILABLE | STATUS_OUTBOUND_ENABLED,
                    0, STATUS_VALIDATE_STATE | STATUS_FLUSH_QUEUES, "");
        break;
    case ROW_AB:
        fill_common(r, i, MAPI_AB, "MAPI Address Book", "freemapi", STATUS_AVAILABLE, 0, 0, "");
        break;
    default:
        fill_common(r, i, MAPI_AB_PROVIDER, "Global Address List", "freemapi address book",
                    STATUS_AVAILABLE, 0, 0, "");
        break;
    }
}

static HRESULT status_table(fm_session *s, ULONG flags, LPMAPITABLE *out)
{
    size_t n = row_count(s);
    status_row *rows = fm_calloc(n, sizeof *rows);
    SPropValue *vals = fm_calloc(n * NSTATUS_COLS, sizeof *vals);
    HRESULT hr = S_OK;
    if (rows == NULL || vals == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory making a table");
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        make_row(s, i, &rows[i]);
        memcpy(vals + i * NSTATUS_COLS, rows[i].v, sizeof rows[i].v);
    }
    if (hr == S_OK) /* the row table copies the values */
        hr = fm_rowtable_open("GetStatusTable", n, NSTATUS_COLS, vals, STATUS_COLUMNS,
                              NSTATUS_COLS, flags, out);
    fm_free(vals);
    fm_free(rows);
    return hr;
}

STDMETHODIMP fm_session_GetStatusTable(IMAPISession *This, ULONG ulFlags, LPMAPITABLE *lppTable)
{
    fm_session *s = (fm_session *)This;
    pthread_mutex_lock(&s->lock);
    HRESULT hr = s->logged_off ? fm_error_set(MAPI_E_END_OF_SESSION,
                                              "GetStatusTable: the session has logged off")
                               : status_table(s, ulFlags, lppTable);
    pthread_mutex_unlock(&s->lock);
    return fm_lasterr_record(&s->err, hr);
}

bool fm_session_is_status_entryid(ULONG cb, LPENTRYID eid)
{
    return cb == STATUS_EID_SIZE && eid != NULL &&
           memcmp((BYTE *)eid + 4, FM_STATUS_UID.ab, 16) == 0;
}

/* ---- the status object ---------------------------------------------------------- */

typedef struct fm_status {
    const IMAPIStatusVtbl *lpVtbl;
    _Atomic ULONG refs;
    fm_lasterr err;
    IMAPISession *session; /* a reference */
    LPPROPDATA props;      /* the row's values */
    int kind;
    ULONG methods;
} fm_status;

static fm_status *st_self(IMAPIStatus *p)
{
    return (fm_status *)p;
}

static HRESULT st_fail(IMAPIStatus *This, HRESULT hr)
{
    return fm_lasterr_record(&st_self(This)->err, hr);
}

static STDMETHODIMP st_QueryInterface(IMAPIStatus *This, REFIID riid, void **ppv)
{
    if (ppv == NULL)
        return E_INVALIDARG;
    *ppv = NULL;
    if (riid == NULL)
        return E_INVALIDARG;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMAPIProp) &&
        !IsEqualIID(riid, &IID_IMAPIStatus))
        return E_NOINTERFACE;
    IMAPIStatus_AddRef(This);
    *ppv = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) st_AddRef(IMAPIStatus *This)
{
    return ++st_self(This)->refs;
}

static STDMETHODIMP_(ULONG) st_Release(IMAPIStatus *This)
{
    fm_status *st = st_self(This);
    ULONG n = --st->refs;
    if (n == 0) {
        IPropData_Release(st->props);
        IMAPISession_Release(st->session);
        fm_lasterr_clear(&st->err);
        fm_free(st);
    }
    return n;
}

static STDMETHODIMP st_GetLastError(IMAPIStatus *This, HRESULT hResult, ULONG ulFlags,
                                    LPMAPIERROR *lppMAPIError)
{
    return fm_lasterr_get(&st_self(This)->err, "freemapi status", hResult, ulFlags,
                          lppMAPIError);
}

static HRESULT read_only(IMAPIStatus *This, const char *fn)
{
    return st_fail(This, fm_error_set(MAPI_E_NO_ACCESS, "IMAPIStatus::%s: a status object's "
                                                        "properties are read-only", fn));
}

static STDMETHODIMP st_SaveChanges(IMAPIStatus *This, ULONG ulFlags)
{
    (void)ulFlags;
    return read_only(This, "SaveChanges");
}

static STDMETHODIMP st_GetProps(IMAPIStatus *This, LPSPropTagArray lpPropTagArray, ULONG ulFlags,
                                ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    return IPropData_GetProps(st_self(This)->props, lpPropTagArray, ulFlags, lpcValues,
                              lppPropArray);
}

static STDMETHODIMP st_GetPropList(IMAPIStatus *This, ULONG ulFlags,
                                   LPSPropTagArray *lppPropTagArray)
{
    return IPropData_GetPropList(st_self(This)->props, ulFlags, lppPropTagArray);
}

static STDMETHODIMP st_OpenProperty(IMAPIStatus *This, ULONG ulPropTag, LPCIID lpiid,
                                    ULONG ulInterfaceOptions, ULONG ulFlags, LPUNKNOWN *lppUnk)
{
    if (ulFlags & (MAPI_MODIFY | MAPI_CREATE))
        return read_only(This, "OpenProperty");
    return IPropData_OpenProperty(st_self(This)->props, ulPropTag, lpiid, ulInterfaceOptions,
                                  ulFlags, lppUnk);
}

static STDMETHODIMP st_SetProps(IMAPIStatus *This, ULONG cValues, LPSPropValue lpPropArray,
                                LPSPropProblemArray *lppProblems)
{
    (void)cValues;
    (void)lpPropArray;
    if (lppProblems != NULL)
        *lppProblems = NULL;
    return read_only(This, "SetProps");
}

static STDMETHODIMP st_DeleteProps(IMAPIStatus *This, LPSPropTagArray lpPropTagArray,
                                   LPSPropProblemArray *lppProblems)
{
    (void)lpPropTagArray;
    if (lppProblems != NULL)
        *lppProblems = NULL;
    return read_only(This, "DeleteProps");
}

static STDMETHODIMP st_CopyTo(IMAPIStatus *This, ULONG ciidExclude, LPCIID rgiidExclude,
                              LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                              LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                              ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    return IPropData_CopyTo(st_self(This)->props, ciidExclude, rgiidExclude, lpExcludeProps,
                            ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP st_CopyProps(IMAPIStatus *This, LPSPropTagArray lpIncludeProps,
                                 ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                 LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
                                 LPSPropProblemArray *lppProblems)
{
    return IPropData_CopyProps(st_self(This)->props, lpIncludeProps, ulUIParam, lpProgress,
                               lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP st_GetNamesFromIDs(IMAPIStatus *This, LPSPropTagArray *lppPropTags,
                                       LPGUID lpPropSetGuid, ULONG ulFlags, ULONG *lpcPropNames,
                                       LPMAPINAMEID **lpppPropNames)
{
    return IPropData_GetNamesFromIDs(st_self(This)->props, lppPropTags, lpPropSetGuid, ulFlags,
                                     lpcPropNames, lpppPropNames);
}

static STDMETHODIMP st_GetIDsFromNames(IMAPIStatus *This, ULONG cPropNames,
                                       LPMAPINAMEID *lppPropNames, ULONG ulFlags,
                                       LPSPropTagArray *lppPropTags)
{
    return IPropData_GetIDsFromNames(st_self(This)->props, cPropNames, lppPropNames, ulFlags,
                                     lppPropTags);
}

static HRESULT unsupported(IMAPIStatus *This, const char *fn, const char *why)
{
    return st_fail(This, fm_error_set(MAPI_E_NO_SUPPORT, "IMAPIStatus::%s: %s", fn, why));
}

static STDMETHODIMP st_ValidateState(IMAPIStatus *This, ULONG_PTR ulUIParam, ULONG ulFlags)
{
    (void)ulUIParam;
    const ULONG known = SUPPRESS_UI | REFRESH_XP_HEADER_CACHE | PROCESS_XP_HEADER_CACHE |
                        FORCE_XP_CONNECT | FORCE_XP_DISCONNECT | CONFIG_CHANGED |
                        ABORT_XP_HEADER_OPERATION | SHOW_XP_SESSION_UI;
    if (ulFlags & ~known)
        return st_fail(This, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ValidateState: unknown flags "
                                                                "0x%08lX",
                                          (unsigned long)(ulFlags & ~known)));
    if (!(st_self(This)->methods & STATUS_VALIDATE_STATE))
        return unsupported(This, "ValidateState", "this status object has no state to check");
    return S_OK; /* the spooler reads its configuration at every run */
}

static STDMETHODIMP st_SettingsDialog(IMAPIStatus *This, ULONG_PTR ulUIParam, ULONG ulFlags)
{
    (void)ulUIParam;
    if (ulFlags & ~UI_READONLY)
        return st_fail(This, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "SettingsDialog: unknown flags "
                                                                "0x%08lX",
                                          (unsigned long)(ulFlags & ~UI_READONLY)));
    return unsupported(This, "SettingsDialog",
                       "freemapi has no settings dialogs; the relay is set with "
                       "`mapi site relay`");
}

static STDMETHODIMP st_ChangePassword(IMAPIStatus *This, LPTSTR lpOldPass, LPTSTR lpNewPass,
                                      ULONG ulFlags)
{
    (void)lpOldPass;
    (void)lpNewPass;
    if (ulFlags & ~(ULONG)MAPI_UNICODE)
        return st_fail(This, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ChangePassword: unknown flags "
                                                                "0x%08lX",
                                          (unsigned long)ulFlags));
    return unsupported(This, "ChangePassword",
                       "no password belongs to this status object (a site password is "
                       "changed with `mapi user passwd`)");
}

/* The spooler over the session's site mailbox: every submission due now
 * (all of them with force) gets its attempt. */
static HRESULT flush_upload(fm_status *st, bool force)
{
    fm_session *s = (fm_session *)st->session;
    pthread_mutex_lock(&s->lock);
    fm_identity *id = s->id;
    char *path = NULL;
    if (id != NULL && s->identity_store < s->nstores)
        path = fm_strdup(s->stores[s->identity_store].path);
    if (id != NULL)
        fm_identity_addref(id);
    pthread_mutex_unlock(&s->lock);
    if (id == NULL)
        return S_OK; /* no site mailbox: no queue a spooler serves */
    HRESULT hr = path != NULL ? S_OK
                              : fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory flushing");
    fm_store *store = NULL;
    if (hr == S_OK)
        hr = fm_store_open(path, 0, &store);
    if (hr == S_OK && force) {
        fm_store_lock(store);
        hr = fm_db_exec_ints(store->db, "UPDATE submit_queue SET next_attempt = 0", NULL, 0,
                             "FlushQueues");
        fm_store_unlock(store);
    }
    if (hr == S_OK) {
        pthread_mutex_lock(&id->lock); /* the site connection: one call at a time */
        hr = fm_spool_run(id->site, store, NULL);
        pthread_mutex_unlock(&id->lock);
    }
    fm_store_release(store);
    fm_free(path);
    fm_identity_release(id);
    return hr;
}

static STDMETHODIMP st_FlushQueues(IMAPIStatus *This, ULONG_PTR ulUIParam,
                                   ULONG cbTargetTransport, LPENTRYID lpTargetTransport,
                                   ULONG ulFlags)
{
    (void)ulUIParam;
    const ULONG known = FLUSH_UPLOAD | FLUSH_DOWNLOAD | FLUSH_FORCE | FLUSH_NO_UI | FLUSH_ASYNC_OK;
    if (ulFlags & ~known)
        return st_fail(This, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "FlushQueues: unknown flags "
                                                                "0x%08lX",
                                          (unsigned long)(ulFlags & ~known)));
    fm_status *st = st_self(This);
    if (!(st->methods & STATUS_FLUSH_QUEUES))
        return unsupported(This, "FlushQueues", "only the spooler's status object flushes");
    if (cbTargetTransport != 0 || lpTargetTransport != NULL)
        return st_fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                          "FlushQueues: the spooler takes no target transport "
                                          "(cbTargetTransport 0, lpTargetTransport NULL)"));
    HRESULT hr = S_OK;
    if (ulFlags & FLUSH_UPLOAD || !(ulFlags & FLUSH_DOWNLOAD)) /* neither: both */
        hr = flush_upload(st, (ulFlags & FLUSH_FORCE) != 0);
    return st_fail(This, hr);
}

static const IMAPIStatusVtbl STATUS_VTBL = {
    .QueryInterface = st_QueryInterface,
    .AddRef = st_AddRef,
    .Release = st_Release,
    .GetLastError = st_GetLastError,
    .SaveChanges = st_SaveChanges,
    .GetProps = st_GetProps,
    .GetPropList = st_GetPropList,
    .OpenProperty = st_OpenProperty,
    .SetProps = st_SetProps,
    .DeleteProps = st_DeleteProps,
    .CopyTo = st_CopyTo,
    .CopyProps = st_CopyProps,
    .GetNamesFromIDs = st_GetNamesFromIDs,
    .GetIDsFromNames = st_GetIDsFromNames,
    .ValidateState = st_ValidateState,
    .SettingsDialog = st_SettingsDialog,
    .ChangePassword = st_ChangePassword,
    .FlushQueues = st_FlushQueues,
};

HRESULT fm_session_open_status(IMAPISession *session, ULONG cb, LPENTRYID eid,
                               LPCIID lpInterface, ULONG *lpulObjType, LPUNKNOWN *lppUnk)
{
    fm_session *s = (fm_session *)session;
    if (lpInterface != NULL && !IsEqualIID(lpInterface, &IID_IMAPIStatus) &&
        !IsEqualIID(lpInterface, &IID_IMAPIProp) && !IsEqualIID(lpInterface, &IID_IUnknown))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED,
                            "OpenEntry: a status object is an IMAPIStatus");
    const BYTE *b = (const BYTE *)eid;
    size_t i = (size_t)b[24] | (size_t)b[25] << 8 | (size_t)b[26] << 16 | (size_t)b[27] << 24;
    status_row row;
    pthread_mutex_lock(&s->lock);
    HRESULT hr = S_OK;
    if (b[20] != 1 || i >= row_count(s))
        hr = fm_error_set(MAPI_E_NOT_FOUND, "OpenEntry: no such row in the status table");
    else
        make_row(s, i, &row);
    int kind = hr == S_OK ? row_kind(s, i) : 0;
    pthread_mutex_unlock(&s->lock);
    if (hr != S_OK)
        return hr;
    fm_status *st = fm_calloc(1, sizeof *st);
    if (st == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a status object");
    hr = CreateIProp(&IID_IMAPIPropData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                     NULL, &st->props);
    if (hr == S_OK)
        hr = IPropData_SetProps(st->props, NSTATUS_COLS, row.v, NULL);
    if (hr != S_OK) {
        if (st->props != NULL)
            IPropData_Release(st->props);
        fm_free(st);
        return hr;
    }
    st->lpVtbl = &STATUS_VTBL;
    st->refs = 1;
    fm_lasterr_init(&st->err);
    st->kind = kind;
    st->methods = (ULONG)row.v[6].Value.l;
    IMAPISession_AddRef(session);
    st->session = session;
    *lpulObjType = MAPI_STATUS;
    *lppUnk = (LPUNKNOWN)st;
    return S_OK;
}
