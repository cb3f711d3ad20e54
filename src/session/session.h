/*
 * session/session.h - an IMAPISession: a logged-on profile.
 *
 * A session owns everything it allocates: its profile store connection,
 * its registry entry (profile/registry.h), the list of its profile's
 * stores, and a reference to its identity. Logoff (or the last Release)
 * frees all of it, so a program that logs on and off thousands of times
 * (KB 891509) returns to where it started after every cycle. It keeps no
 * cache of open stores: each OpenMsgStore opens the store for the caller,
 * who owns it.
 */
#ifndef FREEMAPI_SESSION_SESSION_H
#define FREEMAPI_SESSION_SESSION_H

#include <stdbool.h>

#include "core/lasterr.h"
#include "notify/notify.h"
#include "mapix.h"
#include "profile/profstore.h"
#include "profile/registry.h"
#include "site/identity.h"

/* One store of the session's profile. */
typedef struct fm_session_store {
    MAPIUID service_uid, provider_uid, store_uid;
    char *display; /* the service's display name */
    char *path;    /* the store file */
} fm_session_store;

typedef struct fm_session {
    const IMAPISessionVtbl *lpVtbl;
    _Atomic ULONG refs;
    pthread_mutex_t lock;
    fm_lasterr err;
    ULONG flags; /* MAPILogonEx's */
    bool logged_off;
    fm_profstore *ps;
    fm_profile profile;
    fm_registry_entry *reg;
    fm_session_store *stores;
    size_t nstores;
    size_t default_store; /* index; nstores when none */
    fm_identity *id;      /* NULL without a site mailbox service */
    size_t identity_store; /* the store of the identity's service, or nstores */
    /* Advise (session_advise.c): the session's own registrations (a NULL
     * entry ID), and those routed to a store, which stays open for them. */
    fm_notify_source src;
    struct fm_session_route *routes;
    size_t nroutes, caproutes;
    pthread_mutex_t advise_lock;
} fm_session;

/* Makes the IMAPISession (logon.c does the rest). */
HRESULT fm_session_new(fm_session **out);
/* Frees what the session owns (Logoff; idempotent). */
void fm_session_logoff(fm_session *s);

/* OpenAddressBook's work: the session's address book (ab/addrbook.h), its
 * global address list the site of the session's identity.
 * MAPI_E_INVALID_PARAMETER, MAPI_E_UNKNOWN_FLAGS, MAPI_E_END_OF_SESSION,
 * MAPI_E_NOT_ENOUGH_MEMORY. */
/* Status entry IDs (session_status.c): whether eid is one, and the
 * IMAPIStatus of the row it names (MAPI_E_NOT_FOUND). */
bool fm_session_is_status_entryid(ULONG cb, LPENTRYID eid);
HRESULT fm_session_open_status(IMAPISession *session, ULONG cb, LPENTRYID eid,
                               LPCIID lpInterface, ULONG *lpulObjType, LPUNKNOWN *lppUnk);
HRESULT fm_session_open_addrbook(IMAPISession *session, ULONG ulFlags, LPADRBOOK *out);

/* OpenMsgStore's work: the store named by a store entry ID, after the
 * access checks. writable: open for writing. */
HRESULT fm_session_open_store(fm_session *s, ULONG cb, LPENTRYID eid, bool writable,
                              IMsgStore **out);

/* IMAPISession's methods kept in files of their own: the store and status
 * tables and OpenMsgStore (session_stores.c), OpenEntry and CompareEntryIDs
 * (session_entry.c). */
STDMETHODIMP fm_session_GetMsgStoresTable(IMAPISession *This, ULONG ulFlags,
                                          LPMAPITABLE *lppTable);
STDMETHODIMP fm_session_OpenMsgStore(IMAPISession *This, ULONG_PTR ulUIParam, ULONG cbEntryID,
                                     LPENTRYID lpEntryID, LPCIID lpInterface, ULONG ulFlags,
                                     LPMDB *lppMDB);
STDMETHODIMP fm_session_GetStatusTable(IMAPISession *This, ULONG ulFlags, LPMAPITABLE *lppTable);
STDMETHODIMP fm_session_OpenEntry(IMAPISession *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                                  LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                                  LPUNKNOWN *lppUnk);
STDMETHODIMP fm_session_CompareEntryIDs(IMAPISession *This, ULONG cbEntryID1,
                                        LPENTRYID lpEntryID1, ULONG cbEntryID2,
                                        LPENTRYID lpEntryID2, ULONG ulFlags, ULONG *lpulResult);

STDMETHODIMP fm_session_Advise(IMAPISession *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                               ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink,
                               ULONG_PTR *lpulConnection);
STDMETHODIMP fm_session_Unadvise(IMAPISession *This, ULONG_PTR ulConnection);
/* Ends every registration of s (Logoff). */
void fm_session_advise_clear(fm_session *s);

/* Stops s being the process's shared session (logon.c). */
void fm_logon_unshare(fm_session *s);

/* Gives store the session's IExchangeManageStore (manage_store.c). */
void fm_session_attach_manage(IMsgStore *store, fm_identity *id);

#endif /* FREEMAPI_SESSION_SESSION_H */
