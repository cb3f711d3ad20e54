/*
 * session/session_stores.c - a session's stores: the message store and
 * status tables, and OpenMsgStore, which finds a store by the store UID
 * every freemapi store entry ID carries (store/entryid.h).
 *
 * A store entry ID opens a store of the profile (its own services) or,
 * for a session logged on to a site, another user's mailbox on which the
 * session's user holds owner, full access or impersonation rights, checked
 * on every open (MAPI_E_NO_ACCESS otherwise).
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "session/session.h"
#include "spool/spool.h"
#include "store/entryid.h"
#include "store/folder_acl.h"
#include "store/msgstore.h"
#include "store/store_notify.h"
#include "table/rowtable.h"

static fm_session *self(IMAPISession *p)
{
    return (fm_session *)p;
}

static HRESULT fail(IMAPISession *This, HRESULT hr)
{
    return fm_lasterr_record(&self(This)->err, hr);
}

static HRESULT live(fm_session *s, const char *fn)
{
    if (s->logged_off)
        return fm_error_set(MAPI_E_END_OF_SESSION, "%s: the session has logged off", fn);
    return S_OK;
}

/* Another user's mailbox opened through granted rights keeps checking
 * them: a revocation stops the open store at its next call. */
static HRESULT grant_check(void *ctx)
{
    return fm_identity_still_allowed(ctx);
}

static void grant_release(void *ctx)
{
    fm_identity_grant_free(ctx);
}

static const fm_store_guard GRANT_GUARD = { .check = grant_check, .release = grant_release };

/* The store asks the site for the names of its ACL members (folder_acl.h). */
static HRESULT directory_member_name(void *ctx, int64_t member, char **name)
{
    fm_identity *id = ctx;
    pthread_mutex_lock(&id->lock);
    HRESULT hr = fm_site_member_name(id->site, member, name);
    pthread_mutex_unlock(&id->lock);
    return hr;
}

static void directory_release(void *ctx)
{
    fm_identity_release(ctx);
}

static const fm_store_directory DIRECTORY = { .member_name = directory_member_name,
                                              .release = directory_release };

/* Tells a site mailbox's store who acts through it. A delegate (no mailbox
 * right) gets in only when some folder's permissions give them a right. */
static HRESULT attach_principal(fm_store *st, fm_identity *ident, const fm_identity_grant *grant)
{
    bool delegate = grant != NULL && grant->delegate;
    fm_identity_addref(ident);
    fm_store_set_principal(st, ident->user.id, delegate, &DIRECTORY, ident);
    bool any = true;
    HRESULT hr = delegate ? fm_acl_any_rights(st, ident->user.id, &any) : S_OK;
    if (hr == S_OK && !any)
        hr = fm_error_set(MAPI_E_NO_ACCESS, "%s holds no full access or impersonation right on "
                                            "the mailbox of %s, nor a permission on any of its "
                                            "folders", ident->user.alias, grant->alias);
    return hr;
}

/* The path of the store with uid the session may open and the name the
 * store object reports when it has none of its own (both fm_malloc'd);
 * *own when it is a store of the session's profile. */
static HRESULT resolve(fm_session *s, const MAPIUID *uid, char **path, char **name, bool *own,
                       fm_identity_grant **grant)
{
    *path = NULL;
    *name = NULL;
    *own = false;
    for (size_t i = 0; i < s->nstores; i++) {
        if (memcmp(s->stores[i].store_uid.ab, uid->ab, 16) == 0) {
            *own = true;
            *path = fm_strdup(s->stores[i].path);
            *name = fm_strdup(s->stores[i].display);
            if (*path == NULL || *name == NULL)
                return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a store");
            return S_OK;
        }
    }
    if (s->id == NULL)
        return fm_error_set(MAPI_E_NOT_FOUND, "the store is not in this session's profile");
    fm_site_entry e;
    bool delegate = false;
    HRESULT hr = fm_identity_mailbox_for_open(s->id, uid, &e, &delegate);
    if (hr == MAPI_E_NOT_FOUND)
        return fm_error_set(MAPI_E_NOT_FOUND, "the store is neither in the profile nor a "
                                              "mailbox of the site");
    if (hr != S_OK)
        return hr;
    hr = fm_identity_grant_new(s->id, &e, grant);
    if (hr != S_OK) {
        fm_site_entry_clear(&e);
        return hr;
    }
    (*grant)->delegate = delegate;
    *path = fm_site_store_path(s->id->site, e.id);
    /* Another user's mailbox is named as Exchange names it. */
    static const char prefix[] = "Mailbox - ";
    const char *who = e.display ? e.display : "";
    size_t n = sizeof prefix + strlen(who);
    if ((*name = fm_malloc(n)) != NULL)
        snprintf(*name, n, "%s%s", prefix, who);
    fm_site_entry_clear(&e);
    if (*path == NULL || *name == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a store");
    return S_OK;
}

HRESULT fm_session_open_store(fm_session *s, ULONG cb, LPENTRYID eid, bool writable,
                              IMsgStore **out)
{
    *out = NULL;
    MAPIUID uid;
    int kind = 0;
    uint64_t id = 0;
    HRESULT hr = fm_entryid_parse(cb, eid, &uid, &kind, &id);
    if (hr != S_OK)
        return hr;
    char *path = NULL, *name = NULL;
    bool own = false;
    fm_identity_grant *grant = NULL;
    pthread_mutex_lock(&s->lock);
    hr = live(s, "OpenMsgStore");
    fm_identity *ident = s->id;
    if (ident != NULL)
        fm_identity_addref(ident);
    if (hr == S_OK)
        hr = resolve(s, &uid, &path, &name, &own, &grant);
    pthread_mutex_unlock(&s->lock);
    /* As for the profile store: the profile's own stores, opened at every
     * logon, keep their -wal and -shm files instead of recreating them each
     * time. Other mailboxes (a service account may visit thousands) close
     * normally and leave no such files behind. */
    unsigned flags = (writable ? 0 : FM_DB_READONLY) | (own ? FM_DB_KEEP_WAL : 0);
    fm_store *st = NULL;
    if (hr == S_OK)
        hr = fm_store_open(path, flags, &st);
    if (hr == S_OK && memcmp(st->uid.ab, uid.ab, 16) != 0)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "the store at %s was replaced by another", path);
    if (hr == S_OK && ident != NULL)
        hr = attach_principal(st, ident, grant);
    if (hr == S_OK && grant != NULL) {
        fm_store_set_guard(st, &GRANT_GUARD, grant); /* the store owns it now */
        grant = NULL;
    }
    if (hr == S_OK)
        hr = fm_msgstore_new(st, out);
    if (hr == S_OK && (hr = fm_msgstore_set_display_name(*out, name)) != S_OK) {
        IMsgStore_Release(*out);
        *out = NULL;
    }
    if (hr == S_OK)
        fm_session_attach_manage(*out, ident);
    if (hr == S_OK && ident != NULL && writable) {
        /* A site mailbox sends through the site's spooler, which first
         * delivers what an earlier process left queued (it may have died
         * between acknowledging a submission and delivering it). */
        fm_spool_attach(st, ident);
        fm_store_transport_kick(st);
    }
    if (hr != S_OK && st != NULL)
        fm_store_notify_abandon(st); /* no rendezvous file left by a failed open */
    fm_store_release(st);
    fm_identity_grant_free(grant);
    fm_identity_release(ident);
    fm_free(path);
    fm_free(name);
    return hr;
}

STDMETHODIMP fm_session_OpenMsgStore(IMAPISession *This, ULONG_PTR ulUIParam, ULONG cbEntryID,
                                     LPENTRYID lpEntryID, LPCIID lpInterface, ULONG ulFlags,
                                     LPMDB *lppMDB)
{
    const ULONG known = MAPI_BEST_ACCESS | MAPI_DEFERRED_ERRORS | MDB_NO_DIALOG | MDB_WRITE |
                        MDB_TEMPORARY | MDB_NO_MAIL | MDB_ONLINE;
    if (lppMDB == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenMsgStore: lppMDB is "
                                                                 "NULL"));
    *lppMDB = NULL;
    if (ulFlags & ~known)
        return fail(This, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "OpenMsgStore: unknown flags "
                                                             "0x%08lX", (unsigned long)ulFlags));
    if (lpInterface != NULL && !IsEqualIID(lpInterface, &IID_IMsgStore) &&
        !IsEqualIID(lpInterface, &IID_IMAPIProp) && !IsEqualIID(lpInterface, &IID_IUnknown))
        return fail(This, fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "OpenMsgStore: a store "
                                                                       "is an IMsgStore"));
    if (cbEntryID == 0 || lpEntryID == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_ENTRYID, "OpenMsgStore: no entry ID"));
    bool writable = (ulFlags & (MDB_WRITE | MAPI_BEST_ACCESS)) != 0;
    return fail(This, fm_session_open_store(self(This), cbEntryID, lpEntryID, writable, lppMDB));
}

/* ---- tables ----------------------------------------------------------------------- */

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

static const ULONG STORE_COLUMNS[] = {
    PR_INSTANCE_KEY, PR_ENTRYID,        PR_RECORD_KEY,      PR_DISPLAY_NAME_A,
    PR_DEFAULT_STORE, PR_RESOURCE_FLAGS, PR_MDB_PROVIDER,   PR_PROVIDER_DISPLAY_A,
    PR_SERVICE_UID,  PR_PROVIDER_UID,   PR_OBJECT_TYPE,
};
#define NSTORE_COLS (sizeof STORE_COLUMNS / sizeof STORE_COLUMNS[0])

static HRESULT stores_table(fm_session *s, ULONG flags, LPMAPITABLE *out)
{
    size_t n = s->nstores;
    SPropValue *vals = n ? fm_calloc(n * NSTORE_COLS, sizeof *vals) : NULL;
    BYTE(*eids)[FM_EID_SIZE] = n ? fm_calloc(n, FM_EID_SIZE) : NULL;
    if (n && (vals == NULL || eids == NULL)) {
        fm_free(vals);
        fm_free(eids);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory making a table");
    }
    for (size_t i = 0; i < n; i++) {
        const fm_session_store *st = &s->stores[i];
        bool def = i == s->default_store;
        ULONG rflags = (def ? STATUS_DEFAULT_STORE : 0) |
                       (i == s->identity_store ? STATUS_PRIMARY_IDENTITY : 0);
        fm_entryid_write(&st->store_uid, FM_EID_STORE, 0, eids[i]);
        SPropValue *r = vals + i * NSTORE_COLS;
        r[0] = bin(PR_INSTANCE_KEY, st->provider_uid.ab, 16);
        r[1] = bin(PR_ENTRYID, eids[i], FM_EID_SIZE);
        r[2] = bin(PR_RECORD_KEY, st->store_uid.ab, 16);
        r[3] = str(PR_DISPLAY_NAME_A, st->display);
        r[4].ulPropTag = PR_DEFAULT_STORE;
        r[4].Value.b = (unsigned short)def;
        r[5] = lng(PR_RESOURCE_FLAGS, rflags);
        r[6] = bin(PR_MDB_PROVIDER, fm_msgstore_provider, 16);
        r[7] = str(PR_PROVIDER_DISPLAY_A, "freemapi message store");
        r[8] = bin(PR_SERVICE_UID, st->service_uid.ab, 16);
        r[9] = bin(PR_PROVIDER_UID, st->provider_uid.ab, 16);
        r[10] = lng(PR_OBJECT_TYPE, MAPI_STORE);
    }
    HRESULT hr = fm_rowtable_open("GetMsgStoresTable", n, NSTORE_COLS, vals, STORE_COLUMNS,
                                  NSTORE_COLS, flags, out);
    fm_free(vals);
    fm_free(eids);
    return hr;
}

STDMETHODIMP fm_session_GetMsgStoresTable(IMAPISession *This, ULONG ulFlags,
                                          LPMAPITABLE *lppTable)
{
    fm_session *s = self(This);
    pthread_mutex_lock(&s->lock);
    HRESULT hr = live(s, "GetMsgStoresTable");
    if (hr == S_OK)
        hr = stores_table(s, ulFlags, lppTable);
    pthread_mutex_unlock(&s->lock);
    return fail(This, hr);
}

