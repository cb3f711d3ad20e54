/*
 * tests/rop/test_messages.c - stream, attachment, named-property and
 * submission ROPs end to end ([MS-OXCROPS] 2.2.6-2.2.9), checked through
 * the ordinary MAPI API on the same mailbox.
 */
#include "mapiguid.h"
#include "mapiutil.h"
#include "rop_req.h"

/* OpenMessage(mid) of the Inbox into handle index out (read/write). */
static void open_message(req *r, const logon_info *li, uint64_t mid, uint8_t out)
{
    b1(r, 0x03); b1(r, 0); b1(r, 0); b1(r, out); b2(r, 0x0FFF); b8(r, li->fids[4]);
    b1(r, 0x03); b8(r, mid);
}

static LPMESSAGE mapi_message(fixture *f, const logon_info *li, uint64_t mid, LPMDB *mdb)
{
    /* the entry ID of a MID, as store/entryid.h lays it out: read the
     * message's PR_ENTRYID through the Inbox's contents table instead of
     * building one, so the test does not share the layer's mapping */
    LPMAPIFOLDER inbox = NULL;
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    LPMESSAGE msg = NULL;
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0, i;
    SizedSPropTagArray(2, cols) = {2, {PR_ENTRYID, PR_SOURCE_KEY}};

    (void)li;
    assert_int_equal(fmapi_site_open_mailbox(f->site, "alice", 0, mdb), S_OK);
    assert_int_equal((*mdb)->lpVtbl->GetReceiveFolder(*mdb, NULL, 0, &cb, &eid, NULL), S_OK);
    assert_int_equal((*mdb)->lpVtbl->OpenEntry(*mdb, cb, eid, NULL, 0, &type, (LPUNKNOWN *)&inbox),
                     S_OK);
    MAPIFreeBuffer(eid);
    assert_int_equal(inbox->lpVtbl->GetContentsTable(inbox, 0, &t), S_OK);
    assert_int_equal(t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, 0), S_OK);
    assert_int_equal(t->lpVtbl->QueryRows(t, 100, 0, &rows), S_OK);
    for (i = 0; i < rows->cRows && !msg; i++) {
        /* PR_SOURCE_KEY: the store GUID + the 6-byte counter (the MID's) */
        const SBinary *sk = &rows->aRow[i].lpProps[1].Value.bin;
        uint64_t counter = 0;
        int k;
        for (k = 5; k >= 0; k--)
            counter = counter << 8 | sk->lpb[16 + k];
        if (counter == mid >> 16)
            assert_int_equal((*mdb)->lpVtbl->OpenEntry(*mdb, rows->aRow[i].lpProps[0].Value.bin.cb,
                                                       (LPENTRYID)rows->aRow[i].lpProps[0].Value.bin.lpb,
                                                       NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&msg),
                             S_OK);
    }
    assert_non_null(msg);
    FreeProws(rows);
    t->lpVtbl->Release(t);
    inbox->lpVtbl->Release(inbox);
    return msg;
}

/* RopOpenStream(Create) on PR_BODY_W, RopWriteStream, RopCommitStream,
 * RopGetStreamSize, RopSaveChangesMessage; then RopOpenStream(ReadOnly) and
 * RopReadStream read it back, and MAPI sees the body. */
static void a_body_is_written_and_read_through_streams(void **state)
{
    fixture *f = *state;
    uint32_t handles[3] = {0, 0xFFFFFFFFu, 0xFFFFFFFFu};
    static const uint8_t body[] = {'b', 0, 'o', 0, 'd', 0, 'y', 0};
    logon_info li;
    req r;
    resp s;
    const uint8_t *p;
    uint64_t mid;
    LPMDB mdb = NULL;
    LPMESSAGE msg;
    SPropTagArray one = {1, {PR_BODY_A}};
    LPSPropValue v = NULL;
    ULONG n = 0;

    logon_alice(f, &li);
    mid = create_message(f, &li, "streamed");
    handles[0] = li.handle;
    req_init(&r, 3, handles);
    open_message(&r, &li, mid, 1);
    b1(&r, 0x2B); b1(&r, 0); b1(&r, 1); b1(&r, 2); b4(&r, PR_BODY_W); b1(&r, 0x02);
    b1(&r, 0x2D); b1(&r, 0); b1(&r, 2); b2(&r, sizeof(body));
    memcpy(r.rops + r.len, body, sizeof(body));
    r.len += sizeof(body);
    b1(&r, 0x5D); b1(&r, 0); b1(&r, 2);
    b1(&r, 0x5E); b1(&r, 0); b1(&r, 2);
    b1(&r, 0x01); b1(&r, 0); b1(&r, 2);
    b1(&r, 0x0C); b1(&r, 0); b1(&r, 1); b1(&r, 1); b1(&r, 0x02);
    b1(&r, 0x2B); b1(&r, 0); b1(&r, 1); b1(&r, 2); b4(&r, PR_BODY_W); b1(&r, 0x00);
    b1(&r, 0x2C); b1(&r, 0); b1(&r, 2); b2(&r, 0xBABE); b4(&r, 3);
    b1(&r, 0x2C); b1(&r, 0); b1(&r, 2); b2(&r, 100);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    p = s.rops;
    assert_int_equal(p[0], 0x03);
    assert_int_equal(g4(p + 2), 0);
    p += 6 + 1 + 1 + 1 + 2 * 9 + 2 + 2 + 1; /* HasNamed, prefix none, subject, counts */
    assert_int_equal(p[0], 0x2B); /* OpenStream(Create): size 0 */
    assert_int_equal(g4(p + 2), 0);
    assert_int_equal(g4(p + 6), 0);
    p += 10;
    assert_int_equal(p[0], 0x2D); /* WriteStream: WrittenSize 8 */
    assert_int_equal(g4(p + 2), 0);
    assert_int_equal(g2(p + 6), 8);
    p += 8;
    assert_int_equal(p[0], 0x5D);
    assert_int_equal(g4(p + 2), 0);
    p += 6;
    assert_int_equal(p[0], 0x5E); /* GetStreamSize 8 */
    assert_int_equal(g4(p + 6), 8);
    p += 10;
    assert_int_equal(p[0], 0x0C);
    assert_int_equal(g4(p + 2), 0);
    p += 15;
    assert_int_equal(p[0], 0x2B); /* OpenStream(ReadOnly): size 8 */
    assert_int_equal(g4(p + 6), 8);
    p += 10;
    assert_int_equal(p[0], 0x2C); /* 0xBABE with MaximumByteCount 3 */
    assert_int_equal(g2(p + 6), 3);
    assert_memory_equal(p + 8, body, 3);
    p += 8 + 3;
    assert_int_equal(p[0], 0x2C); /* the other 5 */
    assert_int_equal(g2(p + 6), 5);
    assert_memory_equal(p + 8, body + 3, 5);
    fm_free(s.buf);
    msg = mapi_message(f, &li, mid, &mdb);
    assert_true(SUCCEEDED(msg->lpVtbl->GetProps(msg, &one, 0, &n, &v)));
    assert_int_equal(v[0].ulPropTag, PR_BODY_A);
    assert_string_equal(v[0].Value.lpszA, "body");
    MAPIFreeBuffer(v);
    msg->lpVtbl->Release(msg);
    mdb->lpVtbl->Release(mdb);
}

/* RopCreateAttachment + RopSetProperties + RopSaveChangesAttachment +
 * RopSaveChangesMessage, then RopGetAttachmentTable and RopOpenAttachment. */
static void an_attachment_is_created_saved_and_opened(void **state)
{
    fixture *f = *state;
    uint32_t handles[4] = {0, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;
    const uint8_t *p;
    uint64_t mid;
    uint32_t num;
    LPMDB mdb = NULL;
    LPMESSAGE msg;
    LPMAPITABLE at = NULL;
    ULONG count = 0;

    logon_alice(f, &li);
    mid = create_message(f, &li, "with attachment");
    handles[0] = li.handle;
    req_init(&r, 4, handles);
    open_message(&r, &li, mid, 1);
    b1(&r, 0x23); b1(&r, 0); b1(&r, 1); b1(&r, 2);                      /* CreateAttachment */
    b1(&r, 0x0A); b1(&r, 0); b1(&r, 2); b2(&r, 2 + 4 + 6);              /* SetProperties */
    b2(&r, 1); b4(&r, PR_ATTACH_LONG_FILENAME_A); bs(&r, "a.txt");
    b1(&r, 0x25); b1(&r, 0); b1(&r, 2); b1(&r, 2); b1(&r, 0x02);        /* SaveChangesAttachment */
    b1(&r, 0x0C); b1(&r, 0); b1(&r, 1); b1(&r, 1); b1(&r, 0x02);        /* SaveChangesMessage */
    b1(&r, 0x21); b1(&r, 0); b1(&r, 1); b1(&r, 3); b1(&r, 0x40);        /* GetAttachmentTable */
    b1(&r, 0x12); b1(&r, 0); b1(&r, 3); b1(&r, 0); b2(&r, 1); b4(&r, PR_ATTACH_NUM);
    b1(&r, 0x15); b1(&r, 0); b1(&r, 3); b1(&r, 0); b1(&r, 1); b2(&r, 10);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    p = s.rops;
    p += 6 + 1 + 1 + 1 + 2 * 16 + 2 + 2 + 1;
    assert_int_equal(p[0], 0x23);
    assert_int_equal(g4(p + 2), 0);
    num = g4(p + 6);
    p += 10;
    assert_int_equal(p[0], 0x0A);
    assert_int_equal(g4(p + 2), 0);
    p += 8;
    assert_int_equal(p[0], 0x25);
    assert_int_equal(g4(p + 2), 0);
    p += 6;
    assert_int_equal(p[0], 0x0C);
    assert_int_equal(g4(p + 2), 0);
    p += 15;
    assert_int_equal(p[0], 0x21);
    assert_int_equal(g4(p + 2), 0);
    p += 6 + 7;
    assert_int_equal(p[0], 0x15); /* one row: PR_ATTACH_NUM == num */
    assert_int_equal(g2(p + 7), 1);
    assert_int_equal(p[9], 0x00);
    assert_int_equal(g4(p + 10), num);
    handles[1] = s.handles[1];
    fm_free(s.buf);
    /* RopOpenAttachment of that number, and of one that is not there */
    req_init(&r, 4, handles);
    b1(&r, 0x22); b1(&r, 0); b1(&r, 1); b1(&r, 2); b1(&r, 0); b4(&r, num);
    b1(&r, 0x22); b1(&r, 0); b1(&r, 1); b1(&r, 3); b1(&r, 0); b4(&r, num + 7);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    assert_int_equal(g4(s.rops + 2), 0);
    assert_int_not_equal(g4(s.rops + 8), 0);
    fm_free(s.buf);
    msg = mapi_message(f, &li, mid, &mdb);
    assert_int_equal(msg->lpVtbl->GetAttachmentTable(msg, 0, &at), S_OK);
    assert_int_equal(at->lpVtbl->GetRowCount(at, 0, &count), S_OK);
    assert_int_equal(count, 1);
    at->lpVtbl->Release(at);
    msg->lpVtbl->Release(msg);
    mdb->lpVtbl->Release(mdb);
}

/* RopGetPropertyIdsFromNames with Create maps a string name and an id
 * name; RopGetNamesFromPropertyIds gives them back ([MS-OXCDATA] 2.6.1). */
static void named_properties_map_both_ways(void **state)
{
    fixture *f = *state;
    uint32_t handles[1] = {0};
    static const GUID g = {0x00020329, 0, 0, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}}; /* PS_PUBLIC_STRINGS */
    logon_info li;
    req r;
    resp s;
    uint16_t id_str, id_lid;
    const uint8_t *p;
    size_t i;

    logon_alice(f, &li);
    handles[0] = li.handle;
    req_init(&r, 1, handles);
    b1(&r, 0x56); b1(&r, 0); b1(&r, 0); b1(&r, 0x02); b2(&r, 2);
    b1(&r, 0x01); b4(&r, g.Data1); b2(&r, g.Data2); b2(&r, g.Data3);
    for (i = 0; i < 8; i++)
        b1(&r, g.Data4[i]);
    b1(&r, 8); b2(&r, 'k'); b2(&r, 'e'); b2(&r, 'y'); b2(&r, 0);
    b1(&r, 0x00); b4(&r, g.Data1); b2(&r, g.Data2); b2(&r, g.Data3);
    for (i = 0; i < 8; i++)
        b1(&r, g.Data4[i]);
    b4(&r, 0x8501);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    assert_int_equal(s.rops[0], 0x56);
    assert_int_equal(g4(s.rops + 2), 0);
    assert_int_equal(g2(s.rops + 6), 2);
    id_str = g2(s.rops + 8);
    id_lid = g2(s.rops + 10);
    assert_true(id_str >= 0x8000);
    assert_true(id_lid >= 0x8000);
    assert_int_not_equal(id_str, id_lid);
    fm_free(s.buf);
    req_init(&r, 1, handles);
    b1(&r, 0x55); b1(&r, 0); b1(&r, 0); b2(&r, 3); b2(&r, id_str); b2(&r, id_lid); b2(&r, 0x8FFF);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    p = s.rops;
    assert_int_equal(p[0], 0x55);
    assert_int_equal(g4(p + 2), 0);
    assert_int_equal(g2(p + 6), 3);
    p += 8;
    assert_int_equal(p[0], 0x01);
    assert_int_equal(g4(p + 1), g.Data1);
    assert_int_equal(p[17], 8);
    assert_memory_equal(p + 18, "k\0e\0y\0\0\0", 8);
    p += 26;
    assert_int_equal(p[0], 0x00);
    assert_int_equal(g4(p + 17), 0x8501);
    p += 21;
    assert_int_equal(p[0], 0xFF); /* an id with no name */
    fm_free(s.buf);
}

/* RopSubmitMessage is IMessage::SubmitMessage: its error is the ROP's
 * ReturnValue. (Recipients need RopModifyRecipients, not built yet.) */
static void a_message_without_recipients_is_not_submitted(void **state)
{
    fixture *f = *state;
    uint32_t handles[2] = {0, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;
    uint64_t mid;

    logon_alice(f, &li);
    mid = create_message(f, &li, "to nobody");
    handles[0] = li.handle;
    req_init(&r, 2, handles);
    open_message(&r, &li, mid, 1);
    b1(&r, 0x32); b1(&r, 0); b1(&r, 1); b1(&r, 0);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    /* IMessage::SubmitMessage of a message with no recipients:
     * MAPI_E_NO_RECIPIENTS, carried as the ReturnValue */
    assert_int_equal(s.rops[s.rops_len - 6], 0x32);
    assert_int_equal(g4(s.rops + s.rops_len - 4), (uint32_t)MAPI_E_NO_RECIPIENTS);
    fm_free(s.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_body_is_written_and_read_through_streams, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(an_attachment_is_created_saved_and_opened, setup, teardown),
        cmocka_unit_test_setup_teardown(named_properties_map_both_ways, setup, teardown),
        cmocka_unit_test_setup_teardown(a_message_without_recipients_is_not_submitted, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
