/*
 * tests/notify/notify_fixture.h - what the notification tests share: one
 * NOTIFICATION of every event type with every member set, deep equality of
 * two notifications, and a recording advise sink that keeps a copy of
 * everything it is given (thread-safe, with a bounded wait).
 */
#ifndef FREEMAPI_TESTS_NOTIFY_FIXTURE_H
#define FREEMAPI_TESTS_NOTIFY_FIXTURE_H

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "../props/props_fixture.h"
#include "core/alloc.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "notify/notify.h"

/* ---- one notification of each type --------------------------------------------- */

#define NX_TYPES 11

static BYTE nx_eid[] = { 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
static BYTE nx_parent[] = { 0, 0, 0, 0, 0xA, 0xB };
static BYTE nx_old[] = { 0, 0, 0, 0, 0xC };
static BYTE nx_oldparent[] = { 0, 0, 0, 0, 0xD, 0xE, 0xF };
static SizedSPropTagArray(3, nx_tags) = { 3, { PR_SUBJECT, PR_BODY, PR_MESSAGE_FLAGS } };
static char nx_err_text[] = "the disk went away";
static char nx_err_comp[] = "test";
static MAPIERROR nx_error = { MAPI_ERROR_VERSION, (LPTSTR)nx_err_text, (LPTSTR)nx_err_comp, 7, 9 };
static char nx_class[] = "IPM.Note.Test";
static WCHAR nx_wclass[] = u"IPM.Note.W\u00E9";
static BYTE nx_ext[] = { 9, 8, 7, 6, 5 };
static BYTE nx_key1[] = { 1, 1, 1, 1 }, nx_key2[] = { 2, 2, 2, 2 };

/* Fills n[NX_TYPES]: CriticalError, NewMail (8-bit class), NewMail (UTF-16),
 * ObjectCreated, Deleted, Modified, Moved, Copied, SearchComplete,
 * TableModified (row: one value of every property type, props_fixture's),
 * Extended. StatusObjectModified is nx_status. */
static inline void nx_all_types(NOTIFICATION *n, SPropValue *row)
{
    static const ULONG objs[] = { fnevObjectCreated, fnevObjectDeleted, fnevObjectModified,
                                  fnevObjectMoved,   fnevObjectCopied,  fnevSearchComplete };
    fx_all_types(row);
    memset(n, 0, NX_TYPES * sizeof *n);
    n[0].ulEventType = fnevCriticalError;
    n[0].info.err = (ERROR_NOTIFICATION){ sizeof nx_eid, (LPENTRYID)nx_eid, MAPI_E_DISK_ERROR, 0,
                                          &nx_error };
    n[1].ulEventType = fnevNewMail;
    n[1].info.newmail = (NEWMAIL_NOTIFICATION){ sizeof nx_eid, (LPENTRYID)nx_eid,
                                                sizeof nx_parent, (LPENTRYID)nx_parent, 0,
                                                (LPTSTR)nx_class, MSGFLAG_UNMODIFIED };
    n[2].ulEventType = fnevNewMail;
    n[2].info.newmail = (NEWMAIL_NOTIFICATION){ sizeof nx_eid, (LPENTRYID)nx_eid, 0, NULL,
                                                MAPI_UNICODE, (LPTSTR)nx_wclass, MSGFLAG_READ };
    for (int i = 0; i < 6; i++) {
        n[3 + i].ulEventType = objs[i];
        n[3 + i].info.obj = (OBJECT_NOTIFICATION){
            sizeof nx_eid,    (LPENTRYID)nx_eid,    MAPI_MESSAGE,
            sizeof nx_parent, (LPENTRYID)nx_parent, sizeof nx_old,
            (LPENTRYID)nx_old, sizeof nx_oldparent, (LPENTRYID)nx_oldparent,
            (LPSPropTagArray)&nx_tags,
        };
    }
    n[9].ulEventType = fnevTableModified;
    n[9].info.tab.ulTableEvent = TABLE_ROW_ADDED;
    n[9].info.tab.propIndex.ulPropTag = PR_INSTANCE_KEY;
    n[9].info.tab.propIndex.Value.bin = (SBinary){ sizeof nx_key1, nx_key1 };
    n[9].info.tab.propPrior.ulPropTag = PR_INSTANCE_KEY;
    n[9].info.tab.propPrior.Value.bin = (SBinary){ sizeof nx_key2, nx_key2 };
    n[9].info.tab.row = (SRow){ 0, FX_COUNT, row };
    n[10].ulEventType = fnevExtended;
    n[10].info.ext = (EXTENDED_NOTIFICATION){ 0x1234, sizeof nx_ext, nx_ext };
}

static inline void nx_status(NOTIFICATION *n, SPropValue *row)
{
    fx_all_types(row);
    memset(n, 0, sizeof *n);
    n->ulEventType = fnevStatusObjectModified;
    n->info.statobj = (STATUS_OBJECT_NOTIFICATION){ sizeof nx_eid, (LPENTRYID)nx_eid, FX_COUNT,
                                                    row };
}

static inline int nx_bytes_equal(ULONG ca, const void *a, ULONG cb, const void *b)
{
    return ca == cb && (ca == 0 || (a != NULL && b != NULL && memcmp(a, b, ca) == 0));
}

static inline int nx_str_equal(const void *a, const void *b, int wide)
{
    if (a == NULL || b == NULL)
        return a == b;
    return wide ? fx_wcs_equal(a, b) : strcmp(a, b) == 0;
}

static inline int nx_props_equal(ULONG ca, const SPropValue *a, ULONG cb, const SPropValue *b)
{
    if (ca != cb)
        return 0;
    for (ULONG i = 0; i < ca; i++) {
        if (!fx_values_equal(&a[i], &b[i]))
            return 0;
    }
    return 1;
}

/* Deep equality of two notifications (every pointed-to byte). */
static inline int nx_equal(const NOTIFICATION *a, const NOTIFICATION *b)
{
    if (a->ulEventType != b->ulEventType)
        return 0;
    switch (a->ulEventType) {
    case fnevCriticalError: {
        const ERROR_NOTIFICATION *x = &a->info.err, *y = &b->info.err;
        int wide = (x->ulFlags & MAPI_UNICODE) != 0;
        if (!nx_bytes_equal(x->cbEntryID, x->lpEntryID, y->cbEntryID, y->lpEntryID) ||
            x->scode != y->scode || x->ulFlags != y->ulFlags)
            return 0;
        if (x->lpMAPIError == NULL || y->lpMAPIError == NULL)
            return x->lpMAPIError == y->lpMAPIError;
        return x->lpMAPIError->ulVersion == y->lpMAPIError->ulVersion &&
               x->lpMAPIError->ulLowLevelError == y->lpMAPIError->ulLowLevelError &&
               x->lpMAPIError->ulContext == y->lpMAPIError->ulContext &&
               nx_str_equal(x->lpMAPIError->lpszError, y->lpMAPIError->lpszError, wide) &&
               nx_str_equal(x->lpMAPIError->lpszComponent, y->lpMAPIError->lpszComponent, wide);
    }
    case fnevNewMail: {
        const NEWMAIL_NOTIFICATION *x = &a->info.newmail, *y = &b->info.newmail;
        return nx_bytes_equal(x->cbEntryID, x->lpEntryID, y->cbEntryID, y->lpEntryID) &&
               nx_bytes_equal(x->cbParentID, x->lpParentID, y->cbParentID, y->lpParentID) &&
               x->ulFlags == y->ulFlags && x->ulMessageFlags == y->ulMessageFlags &&
               nx_str_equal(x->lpszMessageClass, y->lpszMessageClass,
                            (x->ulFlags & MAPI_UNICODE) != 0);
    }
    case fnevTableModified: {
        const TABLE_NOTIFICATION *x = &a->info.tab, *y = &b->info.tab;
        return x->ulTableEvent == y->ulTableEvent && x->hResult == y->hResult &&
               fx_values_equal(&x->propIndex, &y->propIndex) &&
               fx_values_equal(&x->propPrior, &y->propPrior) &&
               nx_props_equal(x->row.cValues, x->row.lpProps, y->row.cValues, y->row.lpProps);
    }
    case fnevExtended:
        return a->info.ext.ulEvent == b->info.ext.ulEvent &&
               nx_bytes_equal(a->info.ext.cb, a->info.ext.pbEventParameters, b->info.ext.cb,
                              b->info.ext.pbEventParameters);
    case fnevStatusObjectModified: {
        const STATUS_OBJECT_NOTIFICATION *x = &a->info.statobj, *y = &b->info.statobj;
        return nx_bytes_equal(x->cbEntryID, x->lpEntryID, y->cbEntryID, y->lpEntryID) &&
               nx_props_equal(x->cValues, x->lpPropVals, y->cValues, y->lpPropVals);
    }
    default: {
        const OBJECT_NOTIFICATION *x = &a->info.obj, *y = &b->info.obj;
        if (!nx_bytes_equal(x->cbEntryID, x->lpEntryID, y->cbEntryID, y->lpEntryID) ||
            x->ulObjType != y->ulObjType ||
            !nx_bytes_equal(x->cbParentID, x->lpParentID, y->cbParentID, y->lpParentID) ||
            !nx_bytes_equal(x->cbOldID, x->lpOldID, y->cbOldID, y->lpOldID) ||
            !nx_bytes_equal(x->cbOldParentID, x->lpOldParentID, y->cbOldParentID,
                            y->lpOldParentID))
            return 0;
        if (x->lpPropTagArray == NULL || y->lpPropTagArray == NULL)
            return x->lpPropTagArray == y->lpPropTagArray;
        return x->lpPropTagArray->cValues == y->lpPropTagArray->cValues &&
               memcmp(x->lpPropTagArray->aulPropTag, y->lpPropTagArray->aulPropTag,
                      x->lpPropTagArray->cValues * sizeof(ULONG)) == 0;
    }
    }
}

/* ---- a recording sink ------------------------------------------------------------- */

#define NX_MAX_SEEN 4096

typedef struct nx_recorder {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    size_t n;                      /* notifications seen */
    size_t calls;                  /* OnNotify calls */
    NOTIFICATION *seen[NX_MAX_SEEN]; /* each a ScCopyNotifications block (malloc) */
    pthread_t thread[NX_MAX_SEEN];   /* the thread each came on */
    volatile int block;              /* OnNotify waits while set */
    volatile int blocked;            /* it is waiting now */
} nx_recorder;

static inline void nx_recorder_init(nx_recorder *r)
{
    memset(r, 0, sizeof *r);
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->cond, NULL);
}

/* Copies with plain malloc, so the recorder never shows in leak counts. */
static inline LONG STDAPICALLTYPE nx_record(LPVOID ctx, ULONG c, LPNOTIFICATION n)
{
    nx_recorder *r = ctx;
    pthread_mutex_lock(&r->lock);
    while (r->block) {
        r->blocked = 1;
        pthread_cond_broadcast(&r->cond);
        pthread_cond_wait(&r->cond, &r->lock);
    }
    r->blocked = 0;
    r->calls++;
    for (ULONG i = 0; i < c && r->n < NX_MAX_SEEN; i++) {
        ULONG cb = 0;
        if (ScCountNotifications(1, &n[i], &cb) != S_OK)
            continue;
        NOTIFICATION *copy = malloc(cb);
        if (copy == NULL)
            continue;
        ScCopyNotifications(1, &n[i], copy, NULL);
        r->thread[r->n] = pthread_self();
        r->seen[r->n++] = copy;
    }
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
    return 0;
}

static inline void nx_recorder_block(nx_recorder *r, int on)
{
    pthread_mutex_lock(&r->lock);
    r->block = on;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
}

/* Waits (bounded, so a bug fails instead of hanging) until the recorder has
 * seen at least want notifications, or until it is blocked in OnNotify when
 * want is 0 and blocked_wanted is set. Returns what it has seen. */
static inline size_t nx_recorder_wait(nx_recorder *r, size_t want)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 60;
    pthread_mutex_lock(&r->lock);
    while (r->n < want && pthread_cond_timedwait(&r->cond, &r->lock, &until) == 0)
        ;
    size_t n = r->n;
    pthread_mutex_unlock(&r->lock);
    return n;
}

static inline void nx_recorder_wait_blocked(nx_recorder *r)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 60;
    pthread_mutex_lock(&r->lock);
    while (!r->blocked && pthread_cond_timedwait(&r->cond, &r->lock, &until) == 0)
        ;
    int blocked = r->blocked;
    pthread_mutex_unlock(&r->lock);
    assert_true(blocked);
}

static inline void nx_recorder_clear(nx_recorder *r)
{
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < r->n; i++)
        free(r->seen[i]);
    r->n = 0;
    r->calls = 0;
    pthread_mutex_unlock(&r->lock);
}

static inline IMAPIAdviseSink *nx_recorder_sink(nx_recorder *r)
{
    IMAPIAdviseSink *s = NULL;
    assert_int_equal(HrAllocAdviseSink(nx_record, r, &s), S_OK);
    return s;
}

/* An object notification about id (its entry ID: the 8 bytes of id). */
static inline NOTIFICATION nx_object(ULONG type, const int64_t *id, const int64_t *parent)
{
    NOTIFICATION n;
    memset(&n, 0, sizeof n);
    n.ulEventType = type;
    n.info.obj.cbEntryID = sizeof *id;
    n.info.obj.lpEntryID = (LPENTRYID)(void *)id;
    n.info.obj.ulObjType = MAPI_MESSAGE;
    if (parent != NULL) {
        n.info.obj.cbParentID = sizeof *parent;
        n.info.obj.lpParentID = (LPENTRYID)(void *)parent;
    }
    return n;
}

/* The id an object notification of nx_object carries. */
static inline int64_t nx_id(const NOTIFICATION *n)
{
    int64_t id = 0;
    if (n->info.obj.cbEntryID == sizeof id)
        memcpy(&id, n->info.obj.lpEntryID, sizeof id);
    return id;
}

#endif /* FREEMAPI_TESTS_NOTIFY_FIXTURE_H */
