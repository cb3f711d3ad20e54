/*
 * rop/rop_notify.c - notifications: RopRegisterNotification ([MS-OXCROPS]
 * 2.2.14.1) on the store's IMsgStore::Advise, the RopNotify responses
 * ([MS-OXCROPS] 2.2.14.2, NotificationData of [MS-OXCNOTIF] 2.2.1.4.1.2)
 * an Execute carries at the end of its ROP output, and the queue a
 * NotificationWait waits on (rop.h: fm_rop_waiter).
 *
 * The store calls the registration's advise sink on a notification thread;
 * the sink encodes each notification as a whole RopNotify response at once
 * (FIDs and MIDs from the entry IDs) and appends it to the context's queue
 * under the queue's lock, waking a waiter. Execute takes from the queue
 * what fits its output, in order, and leaves the rest for the next. The
 * queue is reference counted apart from the context, so a sink called late
 * or a NotificationWait still waiting when the session goes never touches
 * freed memory.
 *
 * Bounded: at most FM_ROP_NOTIFY_MAX responses wait; past that (or out of
 * memory) a notification is counted as lost (fm_rop_waiter_lost) rather
 * than queued, since [MS-OXCNOTIF] has no loss event to send.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "mapix.h"
#include "rop/rop_int.h"
#include "store/entryid.h"

#define KIND(k) (1u << (k))
#define FM_ROP_NOTIFY_MAX 1024

/* NotificationType ([MS-OXCNOTIF] 2.2.1.4.1.2) is fnev's value for these;
 * the flags: M (the object is a message), S (in a search folder). */
#define NT_NEWMAIL 0x0002u
#define NT_CREATED 0x0004u
#define NT_DELETED 0x0008u
#define NT_MODIFIED 0x0010u
#define NT_MOVED 0x0020u
#define NT_COPIED 0x0040u
#define NT_SEARCHDONE 0x0080u
#define NT_SUPPORTED 0x00FEu
#define NF_M 0x8000u
#define ROP_NOTIFY 0x2A

typedef struct notify_item {
    struct notify_item *next;
    size_t len;
    uint8_t data[];
} notify_item;

struct fm_rop_waiter {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    _Atomic unsigned refs;
    notify_item *head, **tail;
    size_t count;
    uint64_t lost;
};

/* ---- the queue -------------------------------------------------------------------- */
fm_rop_waiter *fm_rop_waiter_new(void)
{
    fm_rop_waiter *q = fm_calloc(1, sizeof(*q));
    pthread_condattr_t ca;

    if (!q)
        return NULL;
    pthread_mutex_init(&q->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&q->cond, &ca);
    pthread_condattr_destroy(&ca);
    atomic_init(&q->refs, 1);
    q->tail = &q->head;
    return q;
}

fm_rop_waiter *fm_rop_context_waiter(fm_rop_context *ctx)
{
    if (!ctx || !ctx->notify)
        return NULL;
    atomic_fetch_add(&ctx->notify->refs, 1);
    return ctx->notify;
}

void fm_rop_waiter_release(fm_rop_waiter *q)
{
    notify_item *it;

    if (!q || atomic_fetch_sub(&q->refs, 1) != 1)
        return;
    while ((it = q->head) != NULL) {
        q->head = it->next;
        fm_free(it);
    }
    pthread_cond_destroy(&q->cond);
    pthread_mutex_destroy(&q->lock);
    fm_free(q);
}

bool fm_rop_waiter_wait(fm_rop_waiter *q, unsigned timeout_ms)
{
    struct timespec until;
    bool pending;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&q->lock);
    while (q->count == 0 && pthread_cond_timedwait(&q->cond, &q->lock, &until) == 0)
        ;
    pending = q->count > 0;
    pthread_mutex_unlock(&q->lock);
    return pending;
}

uint64_t fm_rop_waiter_lost(fm_rop_waiter *q)
{
    uint64_t n;

    pthread_mutex_lock(&q->lock);
    n = q->lost;
    pthread_mutex_unlock(&q->lock);
    return n;
}

static void queue_push(fm_rop_waiter *q, const fm_rop_writer *w)
{
    notify_item *it = w->oom ? NULL : fm_malloc(sizeof(*it) + w->len);

    pthread_mutex_lock(&q->lock);
    if (!it || q->count >= FM_ROP_NOTIFY_MAX) {
        q->lost++;
        fm_free(it);
    } else {
        it->next = NULL;
        it->len = w->len;
        memcpy(it->data, w->buf, w->len);
        *q->tail = it;
        q->tail = &it->next;
        q->count++;
        pthread_cond_broadcast(&q->cond);
    }
    pthread_mutex_unlock(&q->lock);
}

void fm_rop_notify_drain(fm_rop_context *ctx, fm_rop_writer *w, size_t room)
{
    fm_rop_waiter *q = ctx->notify;
    notify_item *it;

    if (!q)
        return;
    pthread_mutex_lock(&q->lock);
    while ((it = q->head) != NULL && it->len <= room) {
        fm_rop_put_bytes(w, it->data, it->len);
        if (w->oom)
            break; /* kept for the next Execute */
        room -= it->len;
        q->head = it->next;
        if (!q->head)
            q->tail = &q->head;
        q->count--;
        fm_free(it);
    }
    pthread_mutex_unlock(&q->lock);
}

/* ---- the advise sink -------------------------------------------------------------- */
typedef struct rop_sink {
    const IMAPIAdviseSinkVtbl *lpVtbl;
    _Atomic ULONG refs;
    fm_rop_waiter *q;
    uint32_t handle;      /* the notification object's, set once it has one */
    uint8_t logon_id;
    fm_rop_logon_state ls; /* its uid only: FIDs and MIDs of the entry IDs */
} rop_sink;

static STDMETHODIMP sink_QueryInterface(IMAPIAdviseSink *This, REFIID riid, LPVOID *out)
{
    if (!out || !riid)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMAPIAdviseSink))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    This->lpVtbl->AddRef(This);
    *out = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) sink_AddRef(IMAPIAdviseSink *This)
{
    return atomic_fetch_add(&((rop_sink *)This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) sink_Release(IMAPIAdviseSink *This)
{
    rop_sink *s = (rop_sink *)This;
    ULONG left = atomic_fetch_sub(&s->refs, 1) - 1;

    if (left == 0) {
        fm_rop_waiter_release(s->q);
        fm_free(s);
    }
    return left;
}

static bool put_id(fm_rop_writer *w, const rop_sink *s, ULONG cb, LPENTRYID eid, int kind)
{
    SBinary b = {cb, (LPBYTE)eid};
    uint64_t wire = 0;

    if (!eid || !fm_rop_id_from_entryid(&s->ls, &b, kind, &wire))
        return false;
    fm_rop_put_u64(w, wire);
    return true;
}

/* NotificationData of an object notification: FolderId, MessageId (M),
 * ParentFolderId (created/deleted/moved/copied folders: neither S nor M),
 * OldFolderId + OldMessageId or OldParentFolderId (moved/copied), TagCount
 * (created/modified; 0: no Tags). */
static bool put_object(fm_rop_writer *w, const rop_sink *s, ULONG type,
                       const OBJECT_NOTIFICATION *o)
{
    bool msg = o->ulObjType == MAPI_MESSAGE, ok;
    uint16_t flags = (uint16_t)(type | (msg ? NF_M : 0));

    if (o->ulObjType != MAPI_MESSAGE && o->ulObjType != MAPI_FOLDER)
        return false;
    fm_rop_put_u16(w, flags);
    if (msg)
        ok = put_id(w, s, o->cbParentID, o->lpParentID, FM_EID_FOLDER) &&
             put_id(w, s, o->cbEntryID, o->lpEntryID, FM_EID_MESSAGE);
    else
        ok = put_id(w, s, o->cbEntryID, o->lpEntryID, FM_EID_FOLDER);
    if (ok && type == NT_SEARCHDONE)
        return true;
    if (ok && !msg && (type == NT_CREATED || type == NT_DELETED || type == NT_MOVED ||
                       type == NT_COPIED))
        ok = put_id(w, s, o->cbParentID, o->lpParentID, FM_EID_FOLDER);
    if (ok && (type == NT_MOVED || type == NT_COPIED))
        ok = msg ? put_id(w, s, o->cbOldParentID, o->lpOldParentID, FM_EID_FOLDER) &&
                       put_id(w, s, o->cbOldID, o->lpOldID, FM_EID_MESSAGE)
                 : put_id(w, s, o->cbOldID, o->lpOldID, FM_EID_FOLDER) &&
                       put_id(w, s, o->cbOldParentID, o->lpOldParentID, FM_EID_FOLDER);
    if (ok && (type == NT_CREATED || type == NT_MODIFIED)) {
        const SPropTagArray *t = o->lpPropTagArray;
        ULONG i, n = t && t->cValues < 0xFFFF ? t->cValues : 0;
        fm_rop_put_u16(w, (uint16_t)n);
        for (i = 0; i < n; i++)
            fm_rop_put_u32(w, t->aulPropTag[i]);
    }
    return ok;
}

/* One RopNotify response: RopId, NotificationHandle (4), LogonId (1),
 * NotificationData. False for a notification it has no encoding for. */
static bool put_notify(fm_rop_writer *w, const rop_sink *s, const NOTIFICATION *n)
{
    fm_rop_put_u8(w, ROP_NOTIFY);
    fm_rop_put_u32(w, s->handle);
    fm_rop_put_u8(w, s->logon_id);
    if (n->ulEventType == fnevNewMail) {
        const NEWMAIL_NOTIFICATION *m = &n->info.newmail;
        const char *cls = m->lpszMessageClass ? (const char *)m->lpszMessageClass : "";
        fm_rop_put_u16(w, (uint16_t)(NT_NEWMAIL | NF_M));
        if (!put_id(w, s, m->cbParentID, m->lpParentID, FM_EID_FOLDER) ||
            !put_id(w, s, m->cbEntryID, m->lpEntryID, FM_EID_MESSAGE))
            return false;
        fm_rop_put_u32(w, m->ulMessageFlags);
        fm_rop_put_u8(w, 0); /* UnicodeFlag: the class as 8-bit */
        fm_rop_put_bytes(w, cls, strlen(cls) + 1);
        return true;
    }
    if (n->ulEventType & (NT_SUPPORTED & ~NT_NEWMAIL))
        return put_object(w, s, n->ulEventType & 0xFF, &n->info.obj);
    return false;
}

static STDMETHODIMP_(ULONG) sink_OnNotify(IMAPIAdviseSink *This, ULONG count,
                                          LPNOTIFICATION list)
{
    rop_sink *s = (rop_sink *)This;

    for (ULONG i = 0; list && i < count; i++) {
        fm_rop_writer w = {0};
        if (put_notify(&w, s, &list[i]))
            queue_push(s->q, &w);
        fm_rop_writer_clear(&w);
    }
    return 0;
}

static const IMAPIAdviseSinkVtbl sink_vtbl = {sink_QueryInterface, sink_AddRef, sink_Release,
                                              sink_OnNotify};

/* ---- RopRegisterNotification ------------------------------------------------------ */
typedef struct reg_state {
    LPMDB mdb;
    ULONG_PTR conn;
} reg_state;

static void reg_state_free(void *p)
{
    reg_state *st = p;

    if (!st)
        return;
    if (st->conn)
        st->mdb->lpVtbl->Unadvise(st->mdb, st->conn);
    st->mdb->lpVtbl->Release(st->mdb);
    fm_free(st);
}

static fm_rop_object *logon_object(fm_rop_object *obj)
{
    while (obj && obj->kind != FM_ROP_OBJ_LOGON)
        obj = obj->parent;
    return obj;
}

/* [MS-OXCROPS] 2.2.14.1.1: RopId 0x29, LogonId, InputHandleIndex,
 * OutputHandleIndex, NotificationTypes (1), Reserved (1), WantWholeStore
 * (1), FolderId (8) and MessageId (8) when WantWholeStore is 0. Response
 * 2.2.14.1.2: RopId, OutputHandleIndex, ReturnValue. NotificationTypes are
 * the fnev bits NewMail ... SearchComplete (0x02-0x80): other bits are
 * answered ecNotSupported. A MessageId of 0 scopes to the folder. */
HRESULT fm_rop_register_notification(fm_rop_call *call)
{
    uint8_t out_index = fm_rop_get_u8(call->req), types = fm_rop_get_u8(call->req), whole;
    uint64_t fid = 0, mid = 0;
    fm_rop_object *in, *logon, *obj;
    fm_rop_logon_state *ls;
    BYTE eid[FM_EID_SIZE];
    rop_sink *s = NULL;
    reg_state *st = NULL;
    uint32_t ec;
    HRESULT hr;

    (void)fm_rop_get_u8(call->req); /* Reserved */
    whole = fm_rop_get_u8(call->req);
    if (!whole) {
        fid = fm_rop_get_u64(call->req);
        mid = fm_rop_get_u64(call->req);
    }
    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    in = fm_rop_input_out(call, KIND(FM_ROP_OBJ_LOGON) | KIND(FM_ROP_OBJ_FOLDER), out_index, &ec);
    if (ec == 0 && (types == 0 || (types & ~NT_SUPPORTED))) {
        fm_error_set(MAPI_E_NO_SUPPORT, "RopRegisterNotification: NotificationTypes 0x%02X",
                     (unsigned)types);
        ec = FM_EC_NOT_SUPPORTED;
    }
    logon = ec == 0 ? logon_object(in) : NULL;
    ls = logon ? fm_rop_logon_of(logon) : NULL;
    if (ec == 0 && (!ls || !call->ctx->notify))
        ec = FM_EC_NULL_OBJECT;
    if (ec == 0 && !whole &&
        !fm_rop_id_to_entryid(ls, mid ? mid : fid, mid ? FM_EID_MESSAGE : FM_EID_FOLDER, eid))
        ec = 0x80070057u; /* ecInvalidParameter: not an id of this logon */
    if (ec != 0) {
        fm_rop_put_failure(call, out_index, ec);
        return S_OK;
    }
    s = fm_calloc(1, sizeof(*s));
    st = fm_calloc(1, sizeof(*st));
    if (!s || !st) {
        fm_free(s);
        fm_free(st);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    s->lpVtbl = &sink_vtbl;
    atomic_init(&s->refs, 1);
    s->q = fm_rop_context_waiter(call->ctx);
    s->logon_id = call->logon_id;
    s->ls.uid = ls->uid;
    hr = fm_rop_object_add(call->ctx, FM_ROP_OBJ_NOTIFY, in, call->logon_id, (LPUNKNOWN)s, &obj);
    if (FAILED(hr)) { /* the sink was released */
        fm_free(st);
        return hr;
    }
    s->handle = obj->handle;
    st->mdb = (LPMDB)logon->unk;
    st->mdb->lpVtbl->AddRef(st->mdb);
    obj->state = st;
    obj->state_free = reg_state_free;
    hr = st->mdb->lpVtbl->Advise(st->mdb, whole ? 0 : FM_EID_SIZE, whole ? NULL : (LPENTRYID)eid,
                                 types, (LPMAPIADVISESINK)s, &st->conn);
    if (FAILED(hr)) {
        st->conn = 0;
        fm_rop_object_release(call->ctx, obj);
        if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
            return hr;
        fm_rop_put_failure(call, out_index, fm_rop_ec(hr));
        return S_OK;
    }
    fm_rop_set_output(call, out_index, obj);
    fm_rop_put_failure(call, out_index, 0); /* RopId, OutputHandleIndex, ReturnValue 0 */
    return S_OK;
}
