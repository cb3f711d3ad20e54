/*
 * session/session_advise.c - IMAPISession::Advise and Unadvise.
 *
 * As MAPI documents: a NULL entry ID registers on the session itself, for
 * critical errors (always added to the mask) and extended events; an entry
 * ID is handed to the provider it belongs to, as MAPI calls the logon
 * object's Advise. A store object's entry ID (a folder, a message, a store)
 * goes to that store of the profile (or a mailbox of the site the session
 * may open), which the session keeps open for as long as the registration
 * lasts; its connection number is the store's, so Unadvise knows where to
 * send it. An address book entry ID goes to the session's address book
 * (IAddrBook::Advise, ab/addrbook_advise.c), kept the same way. Logoff ends
 * every registration.
 */
#include <string.h>

#include "ab/addrbook.h"
#include "core/alloc.h"
#include "session/session.h"

/* A registration routed to a store. */
typedef struct fm_session_route {
    ULONG_PTR conn;
    IMsgStore *store; /* one reference, or NULL for the address book's */
    IAddrBook *ab;    /* one reference, or NULL */
} fm_session_route;

static HRESULT fail(IMAPISession *This, HRESULT hr)
{
    return fm_lasterr_record(&((fm_session *)This)->err, hr);
}

static HRESULT add_route(fm_session *s, IMsgStore *store, ULONG_PTR conn)
{
    if (s->nroutes == s->caproutes) {
        size_t cap = s->caproutes ? s->caproutes * 2 : 4;
        fm_session_route *r = fm_realloc(s->routes, cap * sizeof *r);
        if (r == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "Advise: out of memory");
        s->routes = r;
        s->caproutes = cap;
    }
    s->routes[s->nroutes++] = (fm_session_route){ conn, store, NULL };
    return S_OK;
}

/* Registers on the store the entry ID belongs to. */
static HRESULT advise_store(fm_session *s, ULONG cbEntryID, LPENTRYID lpEntryID, ULONG mask,
                            IMAPIAdviseSink *sink, ULONG_PTR *conn)
{
    IMsgStore *store = NULL;
    HRESULT hr = fm_session_open_store(s, cbEntryID, lpEntryID, false, &store);
    if (hr == MAPI_E_INVALID_ENTRYID)
        return fm_error_set(MAPI_E_UNKNOWN_ENTRYID,
                            "Advise: the entry ID belongs to no provider of this session");
    if (hr != S_OK)
        return hr;
    pthread_mutex_lock(&s->advise_lock);
    /* Room first, so that a registration made is never one left untracked. */
    hr = add_route(s, store, 0);
    if (hr == S_OK) {
        s->nroutes--;
        hr = IMsgStore_Advise(store, cbEntryID, lpEntryID, mask, sink, conn);
    }
    if (hr == S_OK)
        s->routes[s->nroutes++] = (fm_session_route){ *conn, store, NULL };
    pthread_mutex_unlock(&s->advise_lock);
    if (hr != S_OK)
        IMsgStore_Release(store);
    return hr;
}

/* Registers with the session's address book. */
static HRESULT advise_ab(fm_session *s, ULONG cbEntryID, LPENTRYID lpEntryID, ULONG mask,
                         IMAPIAdviseSink *sink, ULONG_PTR *conn)
{
    IAddrBook *ab = NULL;
    HRESULT hr = fm_session_open_addrbook((IMAPISession *)s, AB_NO_DIALOG, &ab);
    if (hr != S_OK)
        return hr;
    pthread_mutex_lock(&s->advise_lock);
    hr = add_route(s, NULL, 0);
    if (hr == S_OK) {
        s->nroutes--;
        hr = IAddrBook_Advise(ab, cbEntryID, lpEntryID, mask, sink, conn);
    }
    if (hr == S_OK)
        s->routes[s->nroutes++] = (fm_session_route){ *conn, NULL, ab };
    pthread_mutex_unlock(&s->advise_lock);
    if (hr != S_OK)
        IAddrBook_Release(ab);
    return hr;
}

STDMETHODIMP fm_session_Advise(IMAPISession *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                               ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink,
                               ULONG_PTR *lpulConnection)
{
    fm_session *s = (fm_session *)This;
    if (lpAdviseSink == NULL || lpulConnection == NULL || (cbEntryID != 0 && lpEntryID == NULL))
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                       "Advise: a sink and a connection are required"));
    *lpulConnection = 0;
    if (s->logged_off)
        return fail(This, fm_error_set(MAPI_E_END_OF_SESSION, "Advise: the session has "
                                                              "logged off"));
    if (!fm_notify_enabled())
        return fail(This, fm_error_set(MAPI_E_NO_SUPPORT, "Advise: notifications are off in "
                                                          "this process (FREEMAPI_NO_NOTIFY)"));
    if (cbEntryID == 0 || lpEntryID == NULL)
        return fail(This, fm_notify_advise(&s->src, 0, ulEventMask | fnevCriticalError,
                                           lpAdviseSink, "IMAPISession::Advise",
                                           lpulConnection));
    if (ulEventMask == 0)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "Advise: no events asked for"));
    if (fm_addrbook_is_entryid(cbEntryID, lpEntryID))
        return fail(This, advise_ab(s, cbEntryID, lpEntryID, ulEventMask, lpAdviseSink,
                                    lpulConnection));
    return fail(This, advise_store(s, cbEntryID, lpEntryID, ulEventMask, lpAdviseSink,
                                   lpulConnection));
}

STDMETHODIMP fm_session_Unadvise(IMAPISession *This, ULONG_PTR ulConnection)
{
    fm_session *s = (fm_session *)This;
    IMsgStore *store = NULL;
    IAddrBook *ab = NULL;
    pthread_mutex_lock(&s->advise_lock);
    for (size_t i = 0; i < s->nroutes; i++) {
        if (s->routes[i].conn == ulConnection && ulConnection != 0) {
            store = s->routes[i].store;
            ab = s->routes[i].ab;
            s->routes[i] = s->routes[--s->nroutes];
            if (s->nroutes == 0) { /* the array is only for registrations */
                fm_free(s->routes);
                s->routes = NULL;
                s->caproutes = 0;
            }
            break;
        }
    }
    pthread_mutex_unlock(&s->advise_lock);
    if (ab != NULL) {
        HRESULT hr = IAddrBook_Unadvise(ab, ulConnection);
        IAddrBook_Release(ab);
        return fail(This, hr);
    }
    if (store == NULL)
        return fail(This, fm_notify_unadvise(&s->src, ulConnection, "IMAPISession::Unadvise"));
    HRESULT hr = IMsgStore_Unadvise(store, ulConnection);
    IMsgStore_Release(store);
    return fail(This, hr);
}

void fm_session_advise_clear(fm_session *s)
{
    pthread_mutex_lock(&s->advise_lock);
    fm_session_route *routes = s->routes;
    size_t n = s->nroutes;
    s->routes = NULL;
    s->nroutes = s->caproutes = 0;
    pthread_mutex_unlock(&s->advise_lock);
    for (size_t i = 0; i < n; i++) {
        if (routes[i].ab != NULL) {
            (void)IAddrBook_Unadvise(routes[i].ab, routes[i].conn);
            IAddrBook_Release(routes[i].ab);
            continue;
        }
        (void)IMsgStore_Unadvise(routes[i].store, routes[i].conn);
        IMsgStore_Release(routes[i].store);
    }
    fm_free(routes);
    fm_notify_source_clear(&s->src);
}
