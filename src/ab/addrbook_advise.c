/*
 * ab/addrbook_advise.c - IAddrBook::Advise and Unadvise.
 *
 * As Microsoft documents IAddrBook::Advise, the entry ID names a container,
 * a messaging user or a distribution list, and the events are
 * fnevObjectCreated, Deleted, Modified (OBJECT_NOTIFICATION) and
 * fnevCriticalError:
 *
 * - The root and the global address list: every change to the site
 *   directory, from any process (site/site_notify.h: users and lists
 *   added, changed, removed). A user or list: the changes to that entry.
 * - The Contacts container and a contact: the changes to the Contacts
 *   folder of the user's mailbox, relayed from the mailbox's own
 *   IMsgStore::Advise and told as address book changes: a contact saved,
 *   changed or deleted (a contact moved in or out is Created or Deleted),
 *   with the contact's address book entry ID and the Contacts container as
 *   the parent. A contact without an e-mail address is told too (the
 *   notification thread does not open messages to check).
 *
 * One-off entry IDs never change: MAPI_E_NO_SUPPORT. The address book
 * keeps its connections (fm_ab.conns) and ends those left when it goes.
 */
#include <string.h>

#include "ab/ab.h"
#include "core/alloc.h"
#include "mapiguid.h"
#include "site/site_notify.h"
#include "store/entryid.h"

#define WHAT "IAddrBook::Advise"
#define STORE_EVENTS                                                                          \
    (fnevObjectCreated | fnevObjectDeleted | fnevObjectModified | fnevObjectMoved |          \
     fnevObjectCopied | fnevCriticalError)
#define AB_EVENTS (fnevObjectCreated | fnevObjectDeleted | fnevObjectModified | fnevCriticalError)

/* ---- the relay from the Contacts folder --------------------------------------------- */

typedef struct relay {
    const IMAPIAdviseSinkVtbl *lpVtbl;
    _Atomic ULONG refs;
    IMAPIAdviseSink *client; /* one reference */
    ULONG mask;              /* the client's events */
    BYTE folder[FM_EID_SIZE]; /* the Contacts folder's store entry ID */
} relay;

static STDMETHODIMP relay_QueryInterface(IMAPIAdviseSink *This, REFIID riid, LPVOID *ppvObj)
{
    if (ppvObj == NULL || riid == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: NULL argument");
    *ppvObj = NULL;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMAPIAdviseSink))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "IMAPIAdviseSink only");
    IMAPIAdviseSink_AddRef(This);
    *ppvObj = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) relay_AddRef(IMAPIAdviseSink *This)
{
    return atomic_fetch_add(&((relay *)This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) relay_Release(IMAPIAdviseSink *This)
{
    relay *r = (relay *)This;
    ULONG left = atomic_fetch_sub(&r->refs, 1) - 1;
    if (left == 0) {
        IMAPIAdviseSink_Release(r->client);
        fm_free(r);
    }
    return left;
}

/* Whether eid is the Contacts folder's store entry ID. */
static bool is_folder(const relay *r, ULONG cb, const ENTRYID *eid)
{
    return eid != NULL && cb == FM_EID_SIZE && memcmp(eid, r->folder, FM_EID_SIZE) == 0;
}

/* The contact a store message entry ID names, as an address book entry ID. */
static bool contact_eid(ULONG cb, const ENTRYID *eid, BYTE *out)
{
    MAPIUID uid;
    int kind = 0;
    uint64_t mid = 0;
    if (eid == NULL || fm_entryid_parse(cb, eid, &uid, &kind, &mid) != S_OK ||
        kind != FM_EID_MESSAGE)
        return false;
    fm_ab_eid_write(FM_AB_KIND_CONTACT, (int64_t)mid, out);
    return true;
}

/* The address book event a store event in or out of the Contacts folder
 * is (0: none), and which of its entry IDs names the contact. */
static ULONG ab_event(const relay *r, const OBJECT_NOTIFICATION *o, ULONG type, bool *old)
{
    *old = false;
    if (o->ulObjType != MAPI_MESSAGE)
        return 0;
    bool in = is_folder(r, o->cbParentID, o->lpParentID);
    bool was = is_folder(r, o->cbOldParentID, o->lpOldParentID);
    switch (type) {
    case fnevObjectCreated:
    case fnevObjectModified:
        return type;
    case fnevObjectDeleted:
        return fnevObjectDeleted;
    case fnevObjectMoved:
        if (was && !in) {
            *old = true;
            return fnevObjectDeleted;
        }
        return in && !was ? fnevObjectCreated : 0;
    case fnevObjectCopied:
        return in ? fnevObjectCreated : 0;
    default:
        return 0;
    }
}

typedef struct told {
    BYTE eid[FM_AB_EID_SIZE];
} told;

static STDMETHODIMP_(ULONG) relay_OnNotify(IMAPIAdviseSink *This, ULONG cNotif,
                                           LPNOTIFICATION lpNotifications)
{
    relay *r = (relay *)This;
    NOTIFICATION out[FM_NOTIFY_BATCH];
    told eids[FM_NOTIFY_BATCH];
    BYTE parent[FM_AB_EID_SIZE];
    fm_ab_eid_write(FM_AB_KIND_CONTAINER, FM_AB_CONTACTS, parent);
    ULONG n = 0;
    for (ULONG i = 0; i < cNotif; i++) {
        const NOTIFICATION *in = &lpNotifications[i];
        if (n == FM_NOTIFY_BATCH) {
            IMAPIAdviseSink_OnNotify(r->client, n, out);
            n = 0;
        }
        if (in->ulEventType == fnevCriticalError) {
            if (r->mask & fnevCriticalError)
                out[n++] = *in;
            continue;
        }
        bool old = false;
        ULONG ev = ab_event(r, &in->info.obj, in->ulEventType, &old);
        const OBJECT_NOTIFICATION *o = &in->info.obj;
        if (ev == 0 || !(r->mask & ev) ||
            !contact_eid(old ? o->cbOldID : o->cbEntryID, old ? o->lpOldID : o->lpEntryID,
                         eids[n].eid))
            continue;
        memset(&out[n], 0, sizeof out[n]);
        out[n].ulEventType = ev;
        out[n].info.obj.ulObjType = MAPI_MAILUSER;
        out[n].info.obj.cbEntryID = FM_AB_EID_SIZE;
        out[n].info.obj.lpEntryID = (LPENTRYID)eids[n].eid;
        out[n].info.obj.cbParentID = FM_AB_EID_SIZE;
        out[n].info.obj.lpParentID = (LPENTRYID)parent;
        n++;
    }
    if (n > 0)
        IMAPIAdviseSink_OnNotify(r->client, n, out);
    return 0;
}

static const IMAPIAdviseSinkVtbl RELAY_VTBL = {
    relay_QueryInterface,
    relay_AddRef,
    relay_Release,
    relay_OnNotify,
};

/* ---- registrations -------------------------------------------------------------- */

/* Room for one more connection (so a registration made is never untracked). */
static HRESULT conns_reserve(fm_ab *ab)
{
    if (ab->nconns < ab->capconns)
        return S_OK;
    size_t cap = ab->capconns ? ab->capconns * 2 : 4;
    fm_ab_conn *c = fm_realloc(ab->conns, cap * sizeof *c);
    if (c == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, WHAT ": out of memory");
    ab->conns = c;
    ab->capconns = cap;
    return S_OK;
}

/* A registration on the Contacts folder (contact 0) or one contact, through
 * the user's mailbox. */
static HRESULT advise_contacts(fm_ab *ab, int64_t contact, ULONG mask, IMAPIAdviseSink *sink,
                               ULONG_PTR *conn)
{
    if (!fm_ab_has_contacts(ab))
        return fm_error_set(MAPI_E_UNKNOWN_ENTRYID, WHAT ": the profile has no mailbox with "
                                                         "contacts");
    LPMDB mdb = NULL;
    LPSPropValue folder = NULL;
    relay *r = NULL;
    HRESULT hr = fm_ab_contacts_locate(ab, &mdb, &folder);
    if (hr == S_OK && folder->Value.bin.cb != FM_EID_SIZE)
        hr = fm_error_set(MAPI_E_CORRUPT_DATA, WHAT ": the Contacts folder's entry ID is "
                                                    "malformed");
    if (hr == S_OK && (r = fm_calloc(1, sizeof *r)) == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, WHAT ": out of memory");
    if (hr == S_OK) {
        r->lpVtbl = &RELAY_VTBL;
        atomic_init(&r->refs, 1);
        r->client = sink;
        IMAPIAdviseSink_AddRef(sink);
        r->mask = mask;
        memcpy(r->folder, folder->Value.bin.lpb, FM_EID_SIZE);
        BYTE msg[FM_EID_SIZE];
        fm_entryid_write(&ab->id->user.store_uid, FM_EID_MESSAGE, (uint64_t)contact, msg);
        hr = contact != 0 ? IMsgStore_Advise(mdb, sizeof msg, (LPENTRYID)msg, STORE_EVENTS,
                                             (IMAPIAdviseSink *)r, conn)
                          : IMsgStore_Advise(mdb, FM_EID_SIZE, (LPENTRYID)r->folder,
                                             STORE_EVENTS, (IMAPIAdviseSink *)r, conn);
    }
    MAPIFreeBuffer(folder);
    if (hr == S_OK) {
        ab->conns[ab->nconns++] = (fm_ab_conn){ *conn, mdb, (IMAPIAdviseSink *)r };
        return S_OK;
    }
    if (r != NULL)
        relay_Release((IMAPIAdviseSink *)r);
    if (mdb != NULL)
        IMsgStore_Release(mdb);
    return hr;
}

/* A registration on the site directory: key 0 (a container) or an entry. */
static HRESULT advise_site(fm_ab *ab, int kind, int64_t id, ULONG mask, IMAPIAdviseSink *sink,
                           ULONG_PTR *conn)
{
    if (ab->id == NULL)
        return fm_error_set(MAPI_E_NO_SUPPORT, WHAT ": the profile has no site directory; the "
                                                    "root container never changes");
    if (kind != FM_AB_KIND_CONTAINER) {
        fm_site_entry e;
        HRESULT hr = fm_ab_gal_get(ab, id, &e);
        if (hr != S_OK)
            return hr;
        fm_site_entry_clear(&e);
    }
    uint64_t key = kind == FM_AB_KIND_CONTAINER ? 0 : (uint64_t)id;
    HRESULT hr = fm_site_advise(ab->id->site, key, mask, sink, WHAT, conn);
    if (hr == S_OK)
        ab->conns[ab->nconns++] = (fm_ab_conn){ *conn, NULL, NULL };
    return hr;
}

HRESULT fm_ab_advise(fm_ab *ab, ULONG cb, const ENTRYID *eid, ULONG mask,
                     IMAPIAdviseSink *sink, ULONG_PTR *conn)
{
    if (conn != NULL)
        *conn = 0;
    if (sink == NULL || conn == NULL || eid == NULL || cb == 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, WHAT ": an entry ID, a sink and a "
                                                           "connection are required");
    if (mask == 0 || (mask & ~(AB_EVENTS | fnevObjectMoved | fnevObjectCopied)) != 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, WHAT ": event mask 0x%08lX has events "
                                                           "the address book does not raise",
                            (unsigned long)mask);
    if (!fm_notify_enabled())
        return fm_error_set(MAPI_E_NO_SUPPORT, WHAT ": notifications are off in this process "
                                                    "(FREEMAPI_NO_NOTIFY)");
    if (fm_ab_is_oneoff(cb, eid))
        return fm_error_set(MAPI_E_NO_SUPPORT, WHAT ": a one-off entry never changes");
    int kind = 0;
    int64_t id = 0;
    HRESULT hr = fm_ab_eid_parse(cb, eid, &kind, &id);
    if (hr != S_OK)
        return hr;
    pthread_mutex_lock(&ab->lock);
    hr = conns_reserve(ab);
    if (hr == S_OK) {
        if (kind == FM_AB_KIND_CONTACT || (kind == FM_AB_KIND_CONTAINER && id == FM_AB_CONTACTS))
            hr = advise_contacts(ab, kind == FM_AB_KIND_CONTACT ? id : 0, mask, sink, conn);
        else
            hr = advise_site(ab, kind, id, mask, sink, conn);
    }
    pthread_mutex_unlock(&ab->lock);
    return hr;
}

static void conn_end(const fm_ab_conn *c, fm_ab *ab)
{
    if (c->store != NULL) {
        (void)IMsgStore_Unadvise(c->store, c->conn);
        IMsgStore_Release(c->store);
        IMAPIAdviseSink_Release(c->relay);
    } else {
        (void)fm_site_unadvise(ab->id->site, c->conn, "IAddrBook::Unadvise");
    }
}

HRESULT fm_ab_unadvise(fm_ab *ab, ULONG_PTR conn)
{
    pthread_mutex_lock(&ab->lock);
    size_t i = 0;
    while (i < ab->nconns && ab->conns[i].conn != conn)
        i++;
    fm_ab_conn c = { 0, NULL, NULL };
    bool found = conn != 0 && i < ab->nconns;
    if (found) {
        c = ab->conns[i];
        ab->conns[i] = ab->conns[--ab->nconns];
    }
    pthread_mutex_unlock(&ab->lock);
    if (!found)
        return fm_error_set(MAPI_E_NOT_FOUND, "IAddrBook::Unadvise: %lu is not a connection of "
                                              "this address book",
                            (unsigned long)conn);
    conn_end(&c, ab);
    return S_OK;
}

void fm_ab_advise_clear(fm_ab *ab)
{
    for (size_t i = 0; i < ab->nconns; i++)
        conn_end(&ab->conns[i], ab);
    fm_free(ab->conns);
    ab->conns = NULL;
    ab->nconns = ab->capconns = 0;
}
