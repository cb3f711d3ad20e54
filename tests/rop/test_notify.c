/*
 * tests/rop/test_notify.c - RopRegisterNotification and the RopNotify
 * responses an Execute carries ([MS-OXCROPS] 2.2.14, NotificationData of
 * [MS-OXCNOTIF] 2.2.1.4.1.2), with events made through the ordinary MAPI
 * API on the same mailbox (another IMsgStore, as another program's), and
 * the waiter a NotificationWait blocks on (rop.h).
 */
#include "mapiutil.h"
#include "notify/notify.h"
#include "rop_req.h"

/* RopRegisterNotification on the logon [0] into [1]: the whole store. */
static void register_whole_store(req *r, uint8_t types)
{
    b1(r, 0x29); b1(r, 0); b1(r, 0); b1(r, 1); b1(r, types); b1(r, 0); b1(r, 1);
}

/* A message saved into alice's Inbox through MAPI, class IPM.Note, not
 * MSGFLAG_UNSENT (so the store announces it as new mail too). */
static void mapi_new_message(fixture *f)
{
    LPMDB mdb = NULL;
    LPMAPIFOLDER inbox = NULL;
    LPMESSAGE msg = NULL;
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0;
    SPropValue v[3];

    assert_int_equal(fmapi_site_open_mailbox(f->site, "alice", 0, &mdb), S_OK);
    assert_int_equal(mdb->lpVtbl->GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL), S_OK);
    assert_int_equal(mdb->lpVtbl->OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type,
                                            (LPUNKNOWN *)&inbox), S_OK);
    MAPIFreeBuffer(eid);
    assert_int_equal(inbox->lpVtbl->CreateMessage(inbox, NULL, 0, &msg), S_OK);
    v[0].ulPropTag = PR_MESSAGE_CLASS_A;
    v[0].Value.lpszA = (LPSTR) "IPM.Note";
    v[1].ulPropTag = PR_SUBJECT_A;
    v[1].Value.lpszA = (LPSTR) "hello";
    v[2].ulPropTag = PR_MESSAGE_FLAGS; /* received, not being composed: new mail */
    v[2].Value.l = 0;
    assert_int_equal(msg->lpVtbl->SetProps(msg, 3, v, NULL), S_OK);
    assert_int_equal(msg->lpVtbl->SaveChanges(msg, 0), S_OK);
    msg->lpVtbl->Release(msg);
    inbox->lpVtbl->Release(inbox);
    mdb->lpVtbl->Release(mdb);
}

/* Executes an empty RopsList (the client's way to collect notifications,
 * [MS-OXCROPS] 4.1) with the two handles. */
static void poll(fixture *f, const uint32_t *handles, resp *s)
{
    req r;

    req_init(&r, 2, handles);
    assert_int_equal(run(f->ctx, &r, 0x8000, s), S_OK);
}

/* A message saved through MAPI: the waiter wakes, and the next Execute
 * carries RopNotify ObjectCreated (flags 0x8004: FolderId, MessageId,
 * TagCount) then NewMail (0x8002: FolderId, MessageId, MessageFlags,
 * UnicodeFlag 0, "IPM.Note"), both naming the notification handle, logon 0,
 * the Inbox and the same MID. */
static void a_new_message_arrives_as_ropnotify(void **state)
{
    fixture *f = *state;
    uint32_t handles[2] = {0, 0xFFFFFFFFu};
    fm_rop_waiter *w = fm_rop_context_waiter(f->ctx);
    logon_info li;
    req r;
    resp s;
    const uint8_t *p;
    uint64_t mid;

    assert_non_null(w);
    logon_alice(f, &li);
    handles[0] = li.handle;
    req_init(&r, 2, handles);
    register_whole_store(&r, 0x06); /* NewMail | ObjectCreated */
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    assert_int_equal(s.rops_len, 6);
    assert_int_equal(s.rops[0], 0x29);
    assert_int_equal(s.rops[1], 1);
    assert_int_equal(g4(s.rops + 2), 0);
    handles[1] = s.handles[1];
    assert_int_not_equal(handles[1], 0xFFFFFFFFu);
    fm_free(s.buf);
    assert_false(fm_rop_waiter_wait(w, 0)); /* nothing yet */

    mapi_new_message(f);
    assert_true(fm_rop_waiter_wait(w, 60000));
    assert_int_equal(fm_notify_wait_idle(60000), S_OK);
    poll(f, handles, &s);
    p = s.rops;
    assert_int_equal(p[0], 0x2A);
    assert_int_equal(g4(p + 1), handles[1]);
    assert_int_equal(p[5], 0);
    assert_int_equal(g2(p + 6), 0x8004);
    assert_true(g8(p + 8) == li.fids[4]);
    mid = g8(p + 16);
    assert_int_equal(mid & 0xFFFF, 1);  /* ReplId 1 */
    assert_int_equal(g2(p + 24), 0);    /* TagCount */
    p += 26;
    assert_int_equal(p[0], 0x2A);
    assert_int_equal(g4(p + 1), handles[1]);
    assert_int_equal(g2(p + 6), 0x8002);
    assert_true(g8(p + 8) == li.fids[4]);
    assert_true(g8(p + 16) == mid);
    assert_int_equal(p[28], 0);         /* UnicodeFlag */
    assert_string_equal((const char *)p + 29, "IPM.Note");
    p += 29 + 9;
    assert_int_equal(p - s.rops, s.rops_len);
    fm_free(s.buf);
    assert_false(fm_rop_waiter_wait(w, 0)); /* taken */
    assert_int_equal(fm_rop_waiter_lost(w), 0);

    /* Released, the registration sees nothing more. */
    req_init(&r, 2, handles);
    b1(&r, 0x01); b1(&r, 0); b1(&r, 1);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    fm_free(s.buf);
    mapi_new_message(f);
    assert_int_equal(fm_notify_wait_idle(60000), S_OK);
    assert_false(fm_rop_waiter_wait(w, 0));
    fm_rop_waiter_release(w);
}

/* A registration on a folder (the Outbox) sees nothing of messages made in
 * the Inbox; a waiter stays valid after its context is gone. */
static void a_folder_registration_sees_only_its_folder(void **state)
{
    fixture *f = *state;
    uint32_t handles[2] = {0, 0xFFFFFFFFu};
    fm_rop_waiter *w = fm_rop_context_waiter(f->ctx);
    logon_info li;
    req r;
    resp s;
    int i;

    logon_alice(f, &li);
    handles[0] = li.handle;
    req_init(&r, 2, handles);
    /* ObjectCreated on the Outbox only (fids[5]), MessageId 0 */
    b1(&r, 0x29); b1(&r, 0); b1(&r, 0); b1(&r, 1); b1(&r, 0x04); b1(&r, 0); b1(&r, 0);
    b8(&r, li.fids[5]); b8(&r, 0);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    assert_int_equal(g4(s.rops + 2), 0);
    handles[1] = s.handles[1];
    fm_free(s.buf);
    mapi_new_message(f); /* in the Inbox: not seen */
    assert_int_equal(fm_notify_wait_idle(60000), S_OK);
    assert_false(fm_rop_waiter_wait(w, 0));
    for (i = 0; i < 3; i++)
        (void)create_message(f, &li, "x"); /* Inbox again */
    assert_int_equal(fm_notify_wait_idle(60000), S_OK);
    assert_false(fm_rop_waiter_wait(w, 0));
    fm_rop_context_free(f->ctx);
    f->ctx = NULL;
    assert_false(fm_rop_waiter_wait(w, 10)); /* still valid after the context */
    fm_rop_waiter_release(w);
    assert_int_equal(fm_rop_context_new(f->site, "alice", &f->ctx), S_OK);
}

/* NotificationTypes beyond NewMail..SearchComplete are refused
 * (ecNotSupported), and so is an empty set; no handle is made. */
static void unsupported_notification_types_are_refused(void **state)
{
    fixture *f = *state;
    uint32_t handles[2] = {0, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;

    logon_alice(f, &li);
    handles[0] = li.handle;
    req_init(&r, 2, handles);
    register_whole_store(&r, 0x01);
    register_whole_store(&r, 0x00);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    assert_int_equal(g4(s.rops + 2), 0x80040102u);
    assert_int_equal(g4(s.rops + 8), 0x80040102u);
    assert_int_equal(s.handles[1], 0xFFFFFFFFu);
    fm_free(s.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_new_message_arrives_as_ropnotify, setup, teardown),
        cmocka_unit_test_setup_teardown(a_folder_registration_sees_only_its_folder, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(unsupported_notification_types_are_refused, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
