/*
 * table/table_advise.c - IMAPITable::Advise and Unadvise: TABLE_NOTIFICATION
 * events for a table whose source can say when its rows may have changed.
 *
 * How: at the first Advise the table asks its source to watch (a store
 * source registers on the store's change feed, so changes committed by any
 * process arrive) and keeps a *snapshot* of what the client sees: every
 * visible row's PR_INSTANCE_KEY and its values in the current columns
 * (headings with their counts). When the watcher is told of a change, on a
 * notification thread, the table brings its view up to date as any call
 * would (restriction, sort, categories and collapse state applied), takes a
 * new snapshot, and sends fm_table_diff's events between the two:
 * TABLE_ROW_DELETED, then TABLE_ROW_ADDED / TABLE_ROW_MODIFIED with propPrior
 * the instance key of the row before (PR_NULL for the first row). A leaf
 * added under a collapsed heading is hidden, so the only event is the
 * heading's TABLE_ROW_MODIFIED (its counts changed). One watcher call
 * handles a batch of store events (up to FM_NOTIFY_BATCH): one comparison.
 *
 * Cost: a comparison reads and projects every visible row, so it is linear
 * in the view's size, not in the change's. Hence the bounds: a view of more
 * than FM_TABLE_NOTIFY_ROWS rows, or a change needing more than
 * FM_TABLE_NOTIFY_EVENTS events, is announced as one TABLE_CHANGED (re-read
 * the table), and what the client sees is not snapshotted then.
 *
 * The client's own calls that change its view take the snapshot again:
 * Restrict, SortTable, SetColumns (then TABLE_RESTRICT_DONE, TABLE_SORT_DONE,
 * TABLE_SETCOL_DONE when TBL_ASYNC was asked: the work is done within the
 * call, so the event follows at once) and ExpandRow, CollapseRow,
 * SetCollapseState. A comparison that fails (out of memory, a disk error)
 * sends TABLE_ERROR with the error, and the next change is announced as
 * TABLE_CHANGED. TABLE_RELOAD is not sent: nothing replaces a store under an
 * open table.
 *
 * Lifetime and locks: the watcher sink holds only a weak pointer to the
 * table, cleared (under the watcher's lock, which its OnNotify holds while
 * it runs) before the table goes, so a late delivery finds nothing. Order:
 * advise_lock, then the watcher's lock, then the table's lock, then the
 * engine's.
 */
#include <string.h>

#include "core/alloc.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"
#include "notify/notify.h"
#include "notify/table_diff.h"
#include "table/table_methods.h"

/* Rows a view may have for row-by-row events. */
#define FM_TABLE_NOTIFY_ROWS 8192
/* Events one change may take before it is sent as TABLE_CHANGED. */
#define FM_TABLE_NOTIFY_EVENTS 1024

/* What the client sees: valid is false when it was not taken (too big, an
 * error), and the next change is then TABLE_CHANGED. */
typedef struct snapshot {
    bool valid;
    size_t n;
    fm_table_diff_row *rows;
    SRow *srows;                         /* lpProps: MAPI buffers */
    BYTE (*keys)[FM_INSTANCE_KEY_SIZE];
} snapshot;

typedef struct watcher {
    const IMAPIAdviseSinkVtbl *lpVtbl;
    _Atomic ULONG refs;
    pthread_mutex_t lock;
    fm_table *t; /* NULL once the table stopped watching */
} watcher;

typedef struct fm_table_watch {
    fm_notify_source nsrc; /* the client's registrations */
    watcher *w;            /* while the source is watched (one reference) */
    ULONG_PTR conn;        /* the source's connection for w */
    snapshot snap;
} fm_table_watch;

static const uint64_t KEY_ALL = 0;

/* ---- snapshots ----------------------------------------------------------------- */

static void snap_clear(snapshot *s)
{
    for (size_t i = 0; i < s->n; i++)
        MAPIFreeBuffer(s->srows[i].lpProps);
    fm_free(s->rows);
    fm_free(s->srows);
    fm_free(s->keys);
    memset(s, 0, sizeof *s);
}

static HRESULT snap_row(fm_table *t, snapshot *s, const fm_table_row *row)
{
    ULONG cfull = 0;
    LPSPropValue full = NULL;
    HRESULT hr = fm_rows_full(t, row, t->cols, &cfull, &full);
    if (hr == MAPI_E_NOT_FOUND)
        return S_OK; /* gone since the view was built: the next change shows it */
    if (hr != S_OK)
        return hr;
    size_t i = s->n;
    hr = fm_rows_project(t, row, full, cfull, &s->srows[i]);
    if (full != row->vals)
        MAPIFreeBuffer(full);
    if (hr != S_OK)
        return hr;
    fm_rows_instance_key(row, s->keys[i]);
    s->rows[i].key.cb = FM_INSTANCE_KEY_SIZE;
    s->rows[i].key.lpb = s->keys[i];
    s->rows[i].row = &s->srows[i];
    s->rows[i].extra =
        row->type == TBL_LEAF_ROW ? 0 : ((uint64_t)row->count << 32 | row->unread) + 1;
    s->n++;
    return S_OK;
}

/* The view as the client would read it now (lock held). S_OK with
 * s->valid false when the view is too big for row events. */
static HRESULT snap_take(fm_table *t, snapshot *s)
{
    memset(s, 0, sizeof *s);
    HRESULT hr = fm_view_refresh(t);
    if (hr == S_OK)
        hr = fm_view_ensure(t, FM_TABLE_NOTIFY_ROWS + 1);
    if (hr != S_OK)
        return hr;
    size_t n = fm_view_size(t);
    if (n > FM_TABLE_NOTIFY_ROWS || (t->view.ordered && !t->view.done))
        return S_OK;
    s->rows = fm_calloc(n + 1, sizeof *s->rows);
    s->srows = fm_calloc(n + 1, sizeof *s->srows);
    s->keys = fm_malloc((n + 1) * sizeof *s->keys);
    if (s->rows == NULL || s->srows == NULL || s->keys == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory comparing a table's rows");
    for (size_t i = 0; i < n && hr == S_OK; i++) {
        fm_table_row *row = NULL;
        hr = fm_view_at(t, i, &row);
        if (hr == S_OK)
            hr = snap_row(t, s, row);
    }
    if (hr != S_OK) {
        snap_clear(s);
        return hr;
    }
    s->valid = true;
    return S_OK;
}

/* ---- sending --------------------------------------------------------------------- */

static HRESULT post(void *ctx, const NOTIFICATION *n)
{
    fm_table_watch *tw = ctx;
    fm_notify_event *ev = NULL;
    if (fm_notify_event_new(n, &ev) != S_OK) {
        fm_notify_post_lost(&tw->nsrc, &KEY_ALL, 1, fnevTableModified);
        return S_OK; /* reported to the sinks as TABLE_ERROR */
    }
    fm_notify_post(&tw->nsrc, &KEY_ALL, 1, ev);
    fm_notify_event_release(ev);
    return S_OK;
}

/* An event about the whole table (TABLE_CHANGED, TABLE_ERROR, *_DONE). */
static void post_whole(fm_table_watch *tw, ULONG event, HRESULT hr)
{
    NOTIFICATION n;
    memset(&n, 0, sizeof n);
    n.ulEventType = fnevTableModified;
    n.info.tab.ulTableEvent = event;
    n.info.tab.hResult = hr;
    n.info.tab.propIndex.ulPropTag = PR_NULL;
    n.info.tab.propPrior.ulPropTag = PR_NULL;
    post(tw, &n);
}

/* Sends what turns the snapshot into the view now and keeps the new one
 * (lock held). */
static void compare_and_send(fm_table *t)
{
    fm_table_watch *tw = t->watch;
    snapshot now;
    HRESULT hr = snap_take(t, &now);
    if (hr != S_OK) {
        post_whole(tw, TABLE_ERROR, hr);
        snap_clear(&tw->snap);
        return;
    }
    if (!tw->snap.valid || !now.valid) {
        post_whole(tw, TABLE_CHANGED, S_OK);
    } else {
        hr = fm_table_diff(tw->snap.rows, tw->snap.n, now.rows, now.n, FM_TABLE_NOTIFY_EVENTS,
                           post, tw);
        if (hr == S_FALSE)
            post_whole(tw, TABLE_CHANGED, S_OK);
        else if (hr != S_OK)
            post_whole(tw, TABLE_ERROR, hr);
    }
    snap_clear(&tw->snap);
    tw->snap = now;
}

void fm_table_advise_view_changed(fm_table *t, ULONG done)
{
    fm_table_watch *tw = t->watch;
    if (tw == NULL || tw->w == NULL)
        return;
    snap_clear(&tw->snap);
    HRESULT hr = snap_take(t, &tw->snap);
    if (hr != S_OK)
        post_whole(tw, TABLE_ERROR, hr);
    else if (done != 0)
        post_whole(tw, done, S_OK);
}

/* ---- the watcher: the source's sink ------------------------------------------------ */

static STDMETHODIMP w_QueryInterface(IMAPIAdviseSink *This, REFIID riid, LPVOID *ppvObj)
{
    if (ppvObj == NULL || riid == NULL)
        return MAPI_E_INVALID_PARAMETER;
    *ppvObj = NULL;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMAPIAdviseSink))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    This->lpVtbl->AddRef(This);
    *ppvObj = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) w_AddRef(IMAPIAdviseSink *This)
{
    return atomic_fetch_add(&((watcher *)This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) w_Release(IMAPIAdviseSink *This)
{
    watcher *w = (watcher *)This;
    ULONG left = atomic_fetch_sub(&w->refs, 1) - 1;
    if (left == 0) {
        pthread_mutex_destroy(&w->lock);
        fm_free(w);
    }
    return left;
}

/* The source replaced its rows wholesale (ITableData's
 * HrDeleteRows(TAD_ALL_ROWS)): one TABLE_RELOAD, and the view as it is now
 * becomes the snapshot (lock held). */
static void reload_and_send(fm_table *t)
{
    fm_table_watch *tw = t->watch;
    snap_clear(&tw->snap);
    HRESULT hr = snap_take(t, &tw->snap);
    post_whole(tw, hr == S_OK ? TABLE_RELOAD : TABLE_ERROR, hr);
}

static bool cues_reload(ULONG c, const NOTIFICATION *n)
{
    for (ULONG i = 0; n && i < c; i++)
        if (n[i].ulEventType == fnevTableModified && n[i].info.tab.ulTableEvent == TABLE_RELOAD)
            return true;
    return false;
}

/* Whatever the source's events say, the table compares its whole view:
 * the events are only the cue, but for a source's TABLE_RELOAD, which is
 * passed on as it is. */
static STDMETHODIMP_(ULONG) w_OnNotify(IMAPIAdviseSink *This, ULONG cNotif,
                                       LPNOTIFICATION lpNotifications)
{
    watcher *w = (watcher *)This;
    pthread_mutex_lock(&w->lock);
    fm_table *t = w->t;
    if (t != NULL) {
        pthread_mutex_lock(&t->lock);
        if (t->watch != NULL && fm_notify_source_count(&t->watch->nsrc) > 0) {
            if (cues_reload(cNotif, lpNotifications))
                reload_and_send(t);
            else
                compare_and_send(t);
        }
        pthread_mutex_unlock(&t->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return 0;
}

static const IMAPIAdviseSinkVtbl WATCHER_VTBL = {
    w_QueryInterface,
    w_AddRef,
    w_Release,
    w_OnNotify,
};

/* Starts the source's watch (advise_lock held). */
static HRESULT watch_start(fm_table *t, fm_table_watch *tw)
{
    watcher *w = fm_malloc(sizeof *w);
    if (w == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "IMAPITable::Advise: out of memory");
    w->lpVtbl = &WATCHER_VTBL;
    atomic_init(&w->refs, 1);
    pthread_mutex_init(&w->lock, NULL);
    w->t = t;
    ULONG_PTR conn = 0;
    HRESULT hr = t->src->ops->watch(t->src, (IMAPIAdviseSink *)w, &conn);
    if (hr != S_OK) {
        w_Release((IMAPIAdviseSink *)w);
        return hr;
    }
    pthread_mutex_lock(&t->lock);
    tw->w = w;
    tw->conn = conn;
    pthread_mutex_unlock(&t->lock);
    return S_OK;
}

/* Ends the source's watch and waits for a comparison under way (advise_lock
 * held, not the table's lock). */
static void watch_stop(fm_table *t, fm_table_watch *tw)
{
    if (tw->w == NULL)
        return;
    watcher *w = tw->w;
    t->src->ops->unwatch(t->src, tw->conn);
    pthread_mutex_lock(&w->lock);
    w->t = NULL;
    pthread_mutex_unlock(&w->lock);
    pthread_mutex_lock(&t->lock);
    tw->w = NULL;
    tw->conn = 0;
    snap_clear(&tw->snap);
    pthread_mutex_unlock(&t->lock);
    w_Release((IMAPIAdviseSink *)w);
}

/* ---- IMAPITable::Advise, Unadvise ---------------------------------------------- */

static HRESULT advise(fm_table *t, ULONG mask, IMAPIAdviseSink *sink, ULONG_PTR *conn)
{
    if (t->watch == NULL) {
        fm_table_watch *tw = fm_calloc(1, sizeof *tw);
        if (tw == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "IMAPITable::Advise: out of memory");
        fm_notify_source_init(&tw->nsrc, FM_NOTIFY_TABLE);
        pthread_mutex_lock(&t->lock);
        t->watch = tw;
        pthread_mutex_unlock(&t->lock);
    }
    fm_table_watch *tw = t->watch;
    bool started = false;
    HRESULT hr = S_OK;
    if (tw->w == NULL) {
        hr = watch_start(t, tw);
        started = hr == S_OK;
    }
    if (hr != S_OK)
        return hr;
    pthread_mutex_lock(&t->lock);
    if (!tw->snap.valid && fm_notify_source_count(&tw->nsrc) == 0) {
        snap_clear(&tw->snap);
        hr = snap_take(t, &tw->snap);
    }
    if (hr == S_OK)
        hr = fm_notify_advise(&tw->nsrc, 0, mask, sink, "IMAPITable::Advise", conn);
    pthread_mutex_unlock(&t->lock);
    if (hr != S_OK && started)
        watch_stop(t, tw);
    return hr;
}

STDMETHODIMP fm_table_Advise(IMAPITable *This, ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink,
                             ULONG_PTR *lpulConnection)
{
    fm_table *t = (fm_table *)This;
    if (lpulConnection != NULL)
        *lpulConnection = 0;
    if (lpAdviseSink == NULL || lpulConnection == NULL || !(ulEventMask & fnevTableModified))
        return fm_table_fail(
            t, fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "IMAPITable::Advise: a sink, a connection and fnevTableModified "
                            "in the event mask are required"));
    if (t->src->ops->watch == NULL)
        return fm_table_fail(t, fm_error_set(MAPI_E_NO_SUPPORT,
                                             "IMAPITable::Advise: %s tables do not send "
                                             "notifications; they stay live, so the next "
                                             "QueryRows sees every change",
                                             t->src->ops->name));
    if (!fm_notify_enabled())
        return fm_table_fail(t, fm_error_set(MAPI_E_NO_SUPPORT,
                                             "IMAPITable::Advise: notifications are off in "
                                             "this process (FREEMAPI_NO_NOTIFY)"));
    pthread_mutex_lock(&t->advise_lock);
    HRESULT hr = advise(t, ulEventMask, lpAdviseSink, lpulConnection);
    pthread_mutex_unlock(&t->advise_lock);
    return fm_table_fail(t, hr);
}

STDMETHODIMP fm_table_Unadvise(IMAPITable *This, ULONG_PTR ulConnection)
{
    fm_table *t = (fm_table *)This;
    pthread_mutex_lock(&t->advise_lock);
    fm_table_watch *tw = t->watch;
    HRESULT hr = tw == NULL ? fm_error_set(MAPI_E_NOT_FOUND,
                                           "IMAPITable::Unadvise: %lu is not a connection "
                                           "of this table",
                                           (unsigned long)ulConnection)
                            : fm_notify_unadvise(&tw->nsrc, ulConnection, "IMAPITable::Unadvise");
    if (hr == S_OK && fm_notify_source_count(&tw->nsrc) == 0)
        watch_stop(t, tw);
    pthread_mutex_unlock(&t->advise_lock);
    return fm_table_fail(t, hr);
}

void fm_table_advise_clear(fm_table *t)
{
    fm_table_watch *tw = t->watch;
    if (tw == NULL)
        return;
    watch_stop(t, tw);
    fm_notify_source_clear(&tw->nsrc);
    t->watch = NULL;
    fm_free(tw);
}
