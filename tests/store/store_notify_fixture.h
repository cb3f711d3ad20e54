/*
 * tests/store/store_notify_fixture.h - what the store notification tests
 * share: entry IDs of objects, and checking an object notification's
 * entry IDs.
 */
#ifndef FREEMAPI_TESTS_STORE_NOTIFY_FIXTURE_H
#define FREEMAPI_TESTS_STORE_NOTIFY_FIXTURE_H

#include "../notify/notify_fixture.h"
#include "store_fixture.h"

typedef struct eid {
    ULONG cb;
    BYTE b[64];
} eid;

static inline eid eid_of(void *obj)
{
    LPSPropValue v = fx_get(obj, PR_ENTRYID);
    eid e = { v->Value.bin.cb, { 0 } };
    assert_true(e.cb <= sizeof e.b);
    memcpy(e.b, v->Value.bin.lpb, e.cb);
    MAPIFreeBuffer(v);
    return e;
}

/* Any entry ID (one the test cannot know beforehand, as a copy's). */
static const eid ANY = { 0, { 0 } };

static inline int same_eid(ULONG cb, LPENTRYID p, const eid *want)
{
    if (want == &ANY)
        return cb > 0 && p != NULL;
    if (want == NULL)
        return cb == 0 && p == NULL;
    return cb == want->cb && memcmp(p, want->b, cb) == 0;
}

/* Notification i of r is an object event of type about obj (of obj_type)
 * in parent, and (moves, copies) was old in old_parent before. */
static inline void expect_object(nx_recorder *r, size_t i, ULONG type, ULONG obj_type,
                                 const eid *obj, const eid *parent, const eid *old,
                                 const eid *old_parent)
{
    assert_true(i < r->n);
    const NOTIFICATION *n = r->seen[i];
    assert_int_equal(n->ulEventType, type);
    const OBJECT_NOTIFICATION *o = &n->info.obj;
    assert_int_equal(o->ulObjType, obj_type);
    assert_true(same_eid(o->cbEntryID, o->lpEntryID, obj));
    assert_true(same_eid(o->cbParentID, o->lpParentID, parent));
    assert_true(same_eid(o->cbOldID, o->lpOldID, old));
    assert_true(same_eid(o->cbOldParentID, o->lpOldParentID, old_parent));
}

/* A saved message in f with a subject: its entry ID. */
static inline eid save_new(LPMAPIFOLDER f, const char *subject, ULONG flags)
{
    LPMESSAGE m = fx_new_message(f);
    fx_set_string(m, PR_SUBJECT_A, subject);
    SPropValue v[2] = { { .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = (LPSTR) "IPM.Note" },
                        { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = (LONG)flags } };
    assert_int_equal(IMessage_SetProps(m, 2, v, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    eid e = eid_of(m);
    IMessage_Release(m);
    return e;
}

#endif /* FREEMAPI_TESTS_STORE_NOTIFY_FIXTURE_H */
