/*
 * site/site_notify.c - the site directory's change notifications (see
 * site_notify.h): recording in the directory's write transactions through
 * the database layer's transaction hook, and turning records into
 * OBJECT_NOTIFICATIONs with directory entry IDs.
 */
#include <string.h>

#include "core/error.h"
#include "mapicode.h"
#include "mapidefs.h"
#include "site/identity.h"
#include "site/site_notify.h"

/* ---- recording ------------------------------------------------------------------ */

static HRESULT sql_prepare(void *ctx, const char *sql, sqlite3_stmt **out)
{
    return fm_db_prepare(ctx, sql, out);
}

static void sql_finish(void *ctx, sqlite3_stmt *st)
{
    (void)ctx;
    fm_db_finish(st);
}

static HRESULT txn_before(void *ctx)
{
    fmapi_site *site = ctx;
    fm_feed_sql sql = { site->db->conn, sql_prepare, sql_finish, site->db };
    return fm_feed_txn_flush(&site->ntxn, &sql);
}

static void txn_after(void *ctx, bool committed)
{
    fmapi_site *site = ctx;
    fm_feed_txn_end(&site->ntxn, committed);
}

static ULONG obj_type_of(int kind)
{
    return kind == FM_SITE_KIND_LIST        ? MAPI_DISTLIST
           : kind == FM_SITE_KIND_CONTAINER ? MAPI_ABCONT
                                            : MAPI_MAILUSER;
}

static int kind_of(ULONG obj_type)
{
    return obj_type == MAPI_DISTLIST ? FM_SITE_KIND_LIST
           : obj_type == MAPI_ABCONT ? FM_SITE_KIND_CONTAINER
                                     : FM_SITE_KIND_USER;
}

HRESULT fm_site_notify_entry(fmapi_site *site, ULONG event, int kind, int64_t id, ULONG ntags,
                             const ULONG *tags)
{
    if (site->feed == NULL || !fm_feed_txn_wanted(&site->ntxn, site->feed))
        return S_OK;
    fm_notify_record r = { .event = event,
                           .obj_type = obj_type_of(kind),
                           .id = id,
                           .parent = FM_SITE_GAL_CONTAINER,
                           .ntags = tags != NULL ? ntags : 0,
                           .tags = tags };
    return fm_feed_txn_record(&site->ntxn, &r);
}

/* ---- delivering ------------------------------------------------------------------ */

static void eid_write(int kind, int64_t id, BYTE *buf)
{
    memset(buf, 0, FM_IDENTITY_EID_SIZE);
    memcpy(buf + 4, FM_SITE_DIRECTORY_UID.ab, 16);
    buf[20] = 1;
    buf[21] = (BYTE)kind;
    uint64_t v = (uint64_t)id;
    for (int i = 0; i < 8; i++)
        buf[24 + i] = (BYTE)(v >> (8 * i));
}

/* The feed's deliver function: directory records carry no store UID, so
 * ctx is unused. */
static void deliver(fm_feed *f, void *ctx, uint64_t seq, const fm_notify_record *r)
{
    (void)ctx;
    (void)seq;
    fm_notify_source *src = fm_feed_source(f);
    uint64_t keys[2] = { 0, r->id > 0 ? (uint64_t)r->id : 0 };
    if (!fm_notify_wants(src, keys, 2, r->event))
        return;
    BYTE eid[FM_IDENTITY_EID_SIZE], parent[FM_IDENTITY_EID_SIZE];
    union {
        SPropTagArray a;
        ULONG u[1 + FM_NOTIFY_MAX_TAGS];
    } tags;
    NOTIFICATION n;
    memset(&n, 0, sizeof n);
    n.ulEventType = r->event;
    if (r->event == fnevCriticalError) {
        n.info.err.scode = r->scode;
    } else {
        OBJECT_NOTIFICATION *o = &n.info.obj;
        eid_write(kind_of(r->obj_type), r->id, eid);
        eid_write(FM_SITE_KIND_CONTAINER, r->parent, parent);
        o->ulObjType = r->obj_type;
        o->cbEntryID = FM_IDENTITY_EID_SIZE;
        o->lpEntryID = (LPENTRYID)eid;
        o->cbParentID = FM_IDENTITY_EID_SIZE;
        o->lpParentID = (LPENTRYID)parent;
        if (r->tags != NULL && r->ntags > 0 && r->ntags <= FM_NOTIFY_MAX_TAGS) {
            tags.a.cValues = r->ntags;
            memcpy(tags.a.aulPropTag, r->tags, r->ntags * sizeof(ULONG));
            o->lpPropTagArray = &tags.a;
        }
    }
    fm_notify_event *ev;
    if (fm_notify_event_new(&n, &ev) != S_OK) {
        fm_notify_post_lost(src, keys, 2, r->event);
        return;
    }
    fm_notify_post(src, keys, 2, ev);
    fm_notify_event_release(ev);
}

/* ---- opening, Advise -------------------------------------------------------------- */

HRESULT fm_site_notify_open(fmapi_site *site, const char *path)
{
    HRESULT hr = fm_feed_open(path, deliver, NULL, 0, &site->feed);
    if (hr != S_OK) {
        if (fm_notify_enabled())
            return hr;
        site->feed = NULL; /* notifications off: nothing is recorded */
    }
    fm_db_txn_hook hook = { txn_before, txn_after, site };
    fm_db_set_txn_hook(site->db, &hook);
    return S_OK;
}

void fm_site_notify_close(fmapi_site *site)
{
    fm_feed_release(site->feed);
    site->feed = NULL;
}

HRESULT fm_site_advise(fmapi_site *site, uint64_t key, ULONG mask, IMAPIAdviseSink *sink,
                       const char *what, ULONG_PTR *conn)
{
    if (!fm_notify_enabled() || site->feed == NULL)
        return fm_error_set(MAPI_E_NO_SUPPORT,
                            "%s: notifications are off in this process (FREEMAPI_NO_NOTIFY)", what);
    return fm_feed_advise(site->feed, key, mask, sink, what, conn);
}

HRESULT fm_site_unadvise(fmapi_site *site, ULONG_PTR conn, const char *what)
{
    if (site->feed == NULL)
        return fm_error_set(MAPI_E_NOT_FOUND, "%s: no such connection", what);
    return fm_feed_unadvise(site->feed, conn, what);
}
