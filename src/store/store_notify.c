/*
 * store/store_notify.c - a message store's change notifications (see
 * store_notify.h): recording in the store's write transactions through the
 * database layer's transaction hook, and turning records into NOTIFICATION
 * structures with this store's entry IDs.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapidefs.h"
#include "mapitags.h"
#include "notify/notify.h"
#include "store/entryid.h"
#include "store/store_notify.h"

/* ---- recording (inside the store's write transactions)
 * ------------------------- */

static HRESULT sql_prepare(void *ctx, const char *sql, sqlite3_stmt **out)
{
    return fm_db_prepare(ctx, sql, out);
}

static void sql_finish(void *ctx, sqlite3_stmt *st)
{
    (void)ctx;
    fm_db_finish(st);
}

/* The folder holding fid (0: the root, or a folder gone). */
static HRESULT parent_of(fm_store *s, int64_t fid, int64_t *parent)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(s->db, "SELECT parent_fid FROM folders WHERE fid = ?1", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, fid);
    int rc = sqlite3_step(st);
    *parent = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        hr = fm_db_error(s->db, rc, "reading a folder's parent for its notification");
    fm_db_finish(st);
    return hr;
}

/* The transaction's count changes, one ObjectModified per folder. */
static HRESULT record_counts(fm_store *s)
{
    static const ULONG TOTAL_UNREAD[2] = { PR_CONTENT_COUNT, PR_CONTENT_UNREAD };
    HRESULT hr = S_OK;
    for (size_t i = 0; i < s->ncounts && hr == S_OK; i++) {
        const fm_store_count_mark *m = &s->counts[i];
        int64_t parent = 0;
        hr = parent_of(s, m->fid, &parent);
        bool total = (m->which & FM_COUNT_TOTAL) != 0, unread = (m->which & FM_COUNT_UNREAD) != 0;
        if (hr == S_OK)
            hr = fm_store_notify_props(s, MAPI_FOLDER, m->fid, parent, total + unread,
                                       total ? TOTAL_UNREAD : TOTAL_UNREAD + 1);
    }
    return hr;
}

static HRESULT txn_before(void *ctx)
{
    fm_store *s = ctx;
    HRESULT hr = record_counts(s);
    fm_feed_sql sql = { s->db->conn, sql_prepare, sql_finish, s->db };
    return hr == S_OK ? fm_feed_txn_flush(&s->ntxn, &sql) : hr;
}

/* The marks go with their transaction: a store holds no memory for them
 * between transactions. */
static void counts_clear(fm_store *s)
{
    fm_free(s->counts);
    s->counts = NULL;
    s->ncounts = s->capcounts = 0;
}

static void txn_after(void *ctx, bool committed)
{
    fm_store *s = ctx;
    counts_clear(s);
    fm_feed_txn_end(&s->ntxn, committed);
}

HRESULT fm_store_notify(fm_store *s, const fm_notify_record *r)
{
    if (!fm_feed_txn_wanted(&s->ntxn, s->feed))
        return S_OK;
    return fm_feed_txn_record(&s->ntxn, r);
}

HRESULT fm_store_notify_counts(fm_store *s, int64_t fid, unsigned which)
{
    if (which == 0 || fid <= 0 || !fm_feed_txn_wanted(&s->ntxn, s->feed))
        return S_OK;
    for (size_t i = 0; i < s->ncounts; i++) {
        if (s->counts[i].fid == fid) {
            s->counts[i].which |= which;
            return S_OK;
        }
    }
    if (s->ncounts == s->capcounts) {
        size_t cap = s->capcounts ? s->capcounts * 2 : 4;
        fm_store_count_mark *p = fm_realloc(s->counts, cap * sizeof *p);
        if (p == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory recording a "
                                                          "notification");
        s->counts = p;
        s->capcounts = cap;
    }
    s->counts[s->ncounts++] = (fm_store_count_mark){ fid, which };
    return S_OK;
}

HRESULT fm_store_notify_props(fm_store *s, ULONG obj_type, int64_t id, int64_t parent,
                              ULONG ntags, const ULONG *tags)
{
    static const ULONG NO_TAGS[1] = { 0 }; /* none changed: an empty array, not NULL */
    fm_notify_record r = { .event = fnevObjectModified,
                           .obj_type = obj_type,
                           .id = id,
                           .parent = parent,
                           .ntags = ntags,
                           .tags = tags != NULL ? tags : NO_TAGS };
    if (ntags > FM_NOTIFY_MAX_TAGS) { /* more than a record carries: not named */
        r.ntags = 0;
        r.tags = NULL;
    }
    return fm_store_notify(s, &r);
}

HRESULT fm_store_notify_read(fm_store *s, int64_t mid, int64_t fid)
{
    static const ULONG FLAGS[1] = { PR_MESSAGE_FLAGS };
    fm_notify_record r = { .event = fnevObjectModified,
                           .obj_type = MAPI_MESSAGE,
                           .id = mid,
                           .parent = fid,
                           .ntags = 1,
                           .tags = FLAGS };
    HRESULT hr = fm_store_notify(s, &r);
    return hr == S_OK ? fm_store_notify_counts(s, fid, FM_COUNT_UNREAD) : hr;
}

HRESULT fm_store_notify_object(fm_store *s, ULONG event, ULONG obj_type, int64_t id, int64_t parent,
                               int64_t old_id, int64_t old_parent)
{
    fm_notify_record r = { .event = event,
                           .obj_type = obj_type,
                           .id = id,
                           .parent = parent,
                           .old_id = old_id,
                           .old_parent = old_parent };
    return fm_store_notify(s, &r);
}

/* ---- delivering: records to notifications
 * ---------------------------------------- */

/* The entry IDs one notification points to. */
typedef struct eids {
    BYTE id[FM_EID_SIZE], parent[FM_EID_SIZE], old_id[FM_EID_SIZE], old_parent[FM_EID_SIZE];
} eids;

static int eid_kind(ULONG obj_type)
{
    return obj_type == MAPI_MESSAGE  ? FM_EID_MESSAGE
           : obj_type == MAPI_FOLDER ? FM_EID_FOLDER
                                     : FM_EID_STORE;
}

/* Writes the entry ID of (kind, id) into buf and points *cb and *eid at it (0
 * and NULL when there is no such object). */
static void eid_set(const MAPIUID *uid, int kind, int64_t id, BYTE *buf, ULONG *cb, LPENTRYID *eid)
{
    if (id <= 0 && kind != FM_EID_STORE) {
        *cb = 0;
        *eid = NULL;
        return;
    }
    fm_entryid_write(uid, kind, (uint64_t)(id > 0 ? id : 0), buf);
    *cb = FM_EID_SIZE;
    *eid = (LPENTRYID)buf;
}

static void build_object(const MAPIUID *uid, const fm_notify_record *r, eids *e,
                         SPropTagArray *tags, NOTIFICATION *n)
{
    OBJECT_NOTIFICATION *o = &n->info.obj;
    o->ulObjType = r->obj_type;
    eid_set(uid, eid_kind(r->obj_type), r->id, e->id, &o->cbEntryID, &o->lpEntryID);
    eid_set(uid, FM_EID_FOLDER, r->parent, e->parent, &o->cbParentID, &o->lpParentID);
    if (r->event == fnevObjectMoved || r->event == fnevObjectCopied) {
        eid_set(uid, eid_kind(r->obj_type), r->old_id, e->old_id, &o->cbOldID, &o->lpOldID);
        eid_set(uid, FM_EID_FOLDER, r->old_parent, e->old_parent, &o->cbOldParentID,
                &o->lpOldParentID);
    }
    o->lpPropTagArray = tags;
}

/* The feed's deliver function: ctx is the store's MAPIUID (the feed's copy). */
static void deliver(fm_feed *f, void *ctx, uint64_t seq, const fm_notify_record *r)
{
    (void)seq;
    const MAPIUID *uid = ctx;
    fm_notify_source *src = fm_feed_source(f);
    uint64_t keys[5] = { 0, fm_store_notify_key(r->obj_type, r->id),
                         fm_store_notify_key(MAPI_FOLDER, r->parent),
                         fm_store_notify_key(r->obj_type, r->old_id),
                         fm_store_notify_key(MAPI_FOLDER, r->old_parent) };
    if (!fm_notify_wants(src, keys, 5, r->event))
        return;
    NOTIFICATION n;
    memset(&n, 0, sizeof n);
    n.ulEventType = r->event;
    eids e;
    /* Room for the tags a record may carry: SPropTagArray's header, then the
     * tags. */
    union {
        SPropTagArray a;
        ULONG u[1 + FM_NOTIFY_MAX_TAGS];
    } tags;
    SPropTagArray *ptags = NULL;
    if (r->tags != NULL && r->ntags <= FM_NOTIFY_MAX_TAGS) {
        tags.a.cValues = r->ntags;
        memcpy(tags.a.aulPropTag, r->tags, r->ntags * sizeof(ULONG));
        ptags = &tags.a;
    }
    switch (r->event) {
    case fnevNewMail:
        eid_set(uid, FM_EID_MESSAGE, r->id, e.id, &n.info.newmail.cbEntryID,
                &n.info.newmail.lpEntryID);
        eid_set(uid, FM_EID_FOLDER, r->parent, e.parent, &n.info.newmail.cbParentID,
                &n.info.newmail.lpParentID);
        n.info.newmail.ulFlags = 0; /* the class is an 8-bit (UTF-8) string */
        n.info.newmail.lpszMessageClass = (LPTSTR)(r->msg_class != NULL ? r->msg_class : "");
        n.info.newmail.ulMessageFlags = r->msg_flags;
        break;
    case fnevCriticalError:
        n.info.err.scode = r->scode;
        eid_set(uid, eid_kind(r->obj_type), r->id, e.id, &n.info.err.cbEntryID,
                &n.info.err.lpEntryID);
        break;
    case fnevExtended:
        n.info.ext.ulEvent = r->ext_event;
        n.info.ext.cb = r->cbext;
        n.info.ext.pbEventParameters = (LPBYTE)r->ext;
        break;
    default:
        build_object(uid, r, &e, ptags, &n);
        break;
    }
    fm_notify_event *ev;
    if (fm_notify_event_new(&n, &ev) != S_OK) {
        fm_notify_post_lost(src, keys, 5, r->event);
        return;
    }
    fm_notify_post(src, keys, 5, ev);
    fm_notify_event_release(ev);
}

/* ---- opening, Advise
 * ---------------------------------------------------------------- */

HRESULT fm_store_notify_open(fm_store *s, const char *path)
{
    HRESULT hr = fm_feed_open(path, deliver, &s->uid, sizeof s->uid, &s->feed);
    if (hr != S_OK) {
        if (!s->readonly && fm_notify_enabled())
            return hr;
        s->feed_error = hr; /* never writes: nobody misses its changes */
        s->feed = NULL;
    }
    fm_db_txn_hook hook = { txn_before, txn_after, s };
    fm_db_set_txn_hook(s->db, &hook);
    return S_OK;
}

void fm_store_notify_close(fm_store *s)
{
    counts_clear(s);
    fm_feed_release(s->feed);
    s->feed = NULL;
}

void fm_store_notify_abandon(fm_store *s)
{
    counts_clear(s);
    fm_feed_release_failed(s->feed);
    s->feed = NULL;
}

HRESULT fm_store_advise(fm_store *s, uint64_t key, ULONG mask, IMAPIAdviseSink *sink,
                        ULONG_PTR *conn)
{
    if (!fm_notify_enabled())
        return fm_error_set(MAPI_E_NO_SUPPORT,
                            "Advise: notifications are off in this process (FREEMAPI_NO_NOTIFY)");
    if (s->feed == NULL)
        return fm_error_set(s->feed_error != S_OK ? s->feed_error : MAPI_E_NO_SUPPORT,
                            "Advise: the store's notification file could not be opened");
    return fm_feed_advise(s->feed, key, mask, sink, "IMsgStore::Advise", conn);
}

HRESULT fm_store_unadvise(fm_store *s, ULONG_PTR conn)
{
    if (s->feed == NULL)
        return fm_error_set(MAPI_E_NOT_FOUND, "Unadvise: no such connection");
    return fm_feed_unadvise(s->feed, conn, "IMsgStore::Unadvise");
}

HRESULT fm_store_table_watch(fm_store *s, uint64_t key, IMAPIAdviseSink *sink, ULONG_PTR *conn)
{
    const ULONG mask = fnevObjectCreated | fnevObjectDeleted | fnevObjectModified |
                       fnevObjectMoved | fnevObjectCopied | fnevCriticalError;
    return fm_store_advise(s, key, mask, sink, conn);
}

void fm_store_table_unwatch(fm_store *s, ULONG_PTR conn)
{
    (void)fm_store_unadvise(s, conn);
}

/* ---- an object's connections
 * ----------------------------------------------------------- */

void fm_store_conns_init(fm_store_conns *c)
{
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
}

HRESULT fm_store_conns_advise(fm_store_conns *c, fm_store *s, uint64_t key, ULONG mask,
                              IMAPIAdviseSink *sink, ULONG_PTR *conn)
{
    pthread_mutex_lock(&c->lock);
    HRESULT hr = S_OK;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 4;
        ULONG_PTR *p = fm_realloc(c->conn, cap * sizeof *p);
        if (p == NULL)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "Advise: out of memory");
        else {
            c->conn = p;
            c->cap = cap;
        }
    }
    if (hr == S_OK)
        hr = fm_store_advise(s, key, mask, sink, conn);
    if (hr == S_OK)
        c->conn[c->n++] = *conn;
    pthread_mutex_unlock(&c->lock);
    return hr;
}

HRESULT fm_store_conns_unadvise(fm_store_conns *c, fm_store *s, ULONG_PTR conn)
{
    pthread_mutex_lock(&c->lock);
    size_t i = 0;
    while (i < c->n && c->conn[i] != conn)
        i++;
    HRESULT hr;
    if (i == c->n || conn == 0) {
        hr = fm_error_set(MAPI_E_NOT_FOUND, "Unadvise: %lu is not a connection of this object",
                          (unsigned long)conn);
    } else {
        c->conn[i] = c->conn[--c->n];
        hr = fm_store_unadvise(s, conn);
    }
    pthread_mutex_unlock(&c->lock);
    return hr;
}

void fm_store_conns_clear(fm_store_conns *c, fm_store *s)
{
    for (size_t i = 0; i < c->n; i++)
        (void)fm_store_unadvise(s, c->conn[i]);
    fm_free(c->conn);
    pthread_mutex_destroy(&c->lock);
    memset(c, 0, sizeof *c);
}
