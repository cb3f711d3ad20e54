/*
 * tests/rop/test_folders.c - table, property and folder ROPs end to end
 * ([MS-OXCROPS] 2.2.4, 2.2.5, 2.2.8) against a real site, checked through
 * the ordinary MAPI API on the same mailbox where they change it.
 */
#include <stdbool.h>

#include "mapiutil.h"
#include "rop_req.h"

/* The Inbox of alice through MAPI, for checks. */
static LPMAPIFOLDER mapi_inbox(fixture *f, LPMDB *mdb)
{
    LPMAPIFOLDER inbox = NULL;
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0;

    assert_int_equal(fmapi_site_open_mailbox(f->site, "alice", 0, mdb), S_OK);
    assert_int_equal((*mdb)->lpVtbl->GetReceiveFolder(*mdb, NULL, 0, &cb, &eid, NULL), S_OK);
    assert_int_equal((*mdb)->lpVtbl->OpenEntry(*mdb, cb, eid, NULL, MAPI_MODIFY, &type,
                                               (LPUNKNOWN *)&inbox),
                     S_OK);
    MAPIFreeBuffer(eid);
    return inbox;
}

static ULONG mapi_count(LPMAPIFOLDER folder, ULONG flags)
{
    LPMAPITABLE t = NULL;
    ULONG n = 0;

    assert_int_equal(folder->lpVtbl->GetContentsTable(folder, flags, &t), S_OK);
    assert_int_equal(t->lpVtbl->GetRowCount(t, 0, &n), S_OK);
    t->lpVtbl->Release(t);
    return n;
}

/* OpenFolder(Inbox) into [1] and GetContentsTable into [2]. */
static void open_inbox_table(req *r, const logon_info *li)
{
    b1(r, 0x02); b1(r, 0); b1(r, 0); b1(r, 1); b8(r, li->fids[4]); b1(r, 0);
    b1(r, 0x05); b1(r, 0); b1(r, 1); b1(r, 2); b1(r, 0x40);
    b1(r, 0x12); b1(r, 0); b1(r, 2); b1(r, 0); b2(r, 1); b4(r, PR_SUBJECT_W);
}

/* RopSortTable descending on the subject ([MS-OXCTABL] 4.3.2: the response
 * is "13 idx 00 00 00 00 00"), RopRestrict to subjects containing "b",
 * RopSeekRow and RopQueryPosition, then QueryRows. */
static void sort_restrict_seek_and_position_act_on_the_table(void **state)
{
    fixture *f = *state;
    uint32_t handles[3] = {0, 0xFFFFFFFFu, 0xFFFFFFFFu};
    static const uint8_t sort_resp[] = {0x13, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00};
    logon_info li;
    req r;
    resp s;
    const uint8_t *p;

    logon_alice(f, &li);
    (void)create_message(f, &li, "abc");
    (void)create_message(f, &li, "bcd");
    (void)create_message(f, &li, "cde");
    handles[0] = li.handle;
    req_init(&r, 3, handles);
    open_inbox_table(&r, &li);
    b1(&r, 0x13); b1(&r, 0); b1(&r, 2); b1(&r, 0); b2(&r, 1); b2(&r, 0); b2(&r, 0);
    b2(&r, PT_UNICODE); b2(&r, 0x0037); b1(&r, 0x01);            /* SortTable desc */
    b1(&r, 0x14); b1(&r, 0); b1(&r, 2); b1(&r, 0);                /* Restrict */
    b2(&r, 1 + 2 + 2 + 4 + 4 + 4);
    b1(&r, 0x03); b2(&r, 0x0001); b2(&r, 0x0001);                 /* Content substring icase */
    b4(&r, PR_SUBJECT_W); b4(&r, PR_SUBJECT_W); b2(&r, 'b'); b2(&r, 0);
    b1(&r, 0x18); b1(&r, 0); b1(&r, 2); b1(&r, 0x00); b4(&r, 1); b1(&r, 1); /* SeekRow +1 */
    b1(&r, 0x17); b1(&r, 0); b1(&r, 2);                           /* QueryPosition */
    b1(&r, 0x15); b1(&r, 0); b1(&r, 2); b1(&r, 0); b1(&r, 1); b2(&r, 10); /* QueryRows */
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    p = s.rops + 8 + 10 + 7;
    assert_memory_equal(p, sort_resp, sizeof(sort_resp));
    p += 7;
    assert_int_equal(p[0], 0x14);
    assert_int_equal(g4(p + 2), 0);
    p += 7;
    /* SeekRow: HasSoughtLess 0, RowsSought 1 */
    assert_int_equal(p[0], 0x18);
    assert_int_equal(g4(p + 2), 0);
    assert_int_equal(p[6], 0);
    assert_int_equal(g4(p + 7), 1);
    p += 11;
    /* QueryPosition: Numerator 1 of Denominator 2 (abc, bcd match "b") */
    assert_int_equal(p[0], 0x17);
    assert_int_equal(g4(p + 6), 1);
    assert_int_equal(g4(p + 10), 2);
    p += 14;
    /* QueryRows: the second of "bcd", "abc" descending: "abc" */
    assert_int_equal(p[0], 0x15);
    assert_int_equal(g2(p + 7), 1);
    assert_int_equal(p[9], 0x00);
    assert_memory_equal(p + 10, "a\0b\0c\0\0\0", 8);
    fm_free(s.buf);
}

/* A malformed restriction (an unknown RestrictType) fails the Execute. */
static void a_malformed_restriction_is_corrupt_data(void **state)
{
    fixture *f = *state;
    uint32_t handles[3] = {0, 0xFFFFFFFFu, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;

    logon_alice(f, &li);
    handles[0] = li.handle;
    req_init(&r, 3, handles);
    open_inbox_table(&r, &li);
    b1(&r, 0x14); b1(&r, 0); b1(&r, 2); b1(&r, 0); b2(&r, 1); b1(&r, 0x0C);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), MAPI_E_CORRUPT_DATA);
    assert_null(s.buf);
}

/* RopGetPropertiesList, RopDeleteProperties, RopGetPropertiesAll on a
 * folder; the deletion is seen through MAPI. */
static void folder_properties_are_listed_deleted_and_read_all(void **state)
{
    fixture *f = *state;
    uint32_t handles[2] = {0, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;
    const uint8_t *p;
    LPMDB mdb = NULL;
    LPMAPIFOLDER inbox;
    SPropValue comment;
    SPropTagArray one = {1, {PR_COMMENT_A}};
    LPSPropValue got = NULL;
    ULONG n = 0, i, count;
    bool seen = false;

    inbox = mapi_inbox(f, &mdb);
    comment.ulPropTag = PR_COMMENT_A;
    comment.Value.lpszA = "note";
    assert_int_equal(inbox->lpVtbl->SetProps(inbox, 1, &comment, NULL), S_OK);
    logon_alice(f, &li);
    handles[0] = li.handle;
    req_init(&r, 2, handles);
    b1(&r, 0x02); b1(&r, 0); b1(&r, 0); b1(&r, 1); b8(&r, li.fids[4]); b1(&r, 0);
    b1(&r, 0x09); b1(&r, 0); b1(&r, 1);                            /* GetPropertiesList */
    b1(&r, 0x0B); b1(&r, 0); b1(&r, 1); b2(&r, 1); b4(&r, PR_COMMENT_W); /* DeleteProperties */
    b1(&r, 0x08); b1(&r, 0); b1(&r, 1); b2(&r, 0); b2(&r, 1);      /* GetPropertiesAll */
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    p = s.rops + 8;
    assert_int_equal(p[0], 0x09);
    assert_int_equal(g4(p + 2), 0);
    count = g2(p + 6);
    assert_true(count > 3);
    for (i = 0; i < count; i++)
        if (PROP_ID(g4(p + 8 + 4 * i)) == PROP_ID(PR_COMMENT_A))
            seen = true;
    assert_true(seen);
    p += 8 + 4 * count;
    assert_int_equal(p[0], 0x0B);
    assert_int_equal(g4(p + 2), 0);
    assert_int_equal(g2(p + 6), 0);
    p += 8;
    assert_int_equal(p[0], 0x08);
    assert_int_equal(g4(p + 2), 0);
    assert_true(g2(p + 6) > 2);
    fm_free(s.buf);
    /* through MAPI, on a fresh open: the comment is gone */
    inbox->lpVtbl->Release(inbox);
    mdb->lpVtbl->Release(mdb);
    inbox = mapi_inbox(f, &mdb);
    assert_int_equal(inbox->lpVtbl->GetProps(inbox, &one, 0, &n, &got), MAPI_W_ERRORS_RETURNED);
    assert_int_equal(PROP_TYPE(got[0].ulPropTag), PT_ERROR);
    MAPIFreeBuffer(got);
    inbox->lpVtbl->Release(inbox);
    mdb->lpVtbl->Release(mdb);
}

/* RopCreateFolder under the IPM subtree, then RopDeleteFolder of it. */
static void a_folder_is_created_and_deleted(void **state)
{
    fixture *f = *state;
    uint32_t handles[3] = {0, 0xFFFFFFFFu, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;
    uint64_t fid;
    size_t i;

    logon_alice(f, &li);
    handles[0] = li.handle;
    req_init(&r, 3, handles);
    b1(&r, 0x02); b1(&r, 0); b1(&r, 0); b1(&r, 1); b8(&r, li.fids[3]); b1(&r, 0);
    b1(&r, 0x1C); b1(&r, 0); b1(&r, 1); b1(&r, 2); b1(&r, 1); b1(&r, 1); b1(&r, 0); b1(&r, 0);
    for (i = 0; i < 5; i++)
        b2(&r, (uint16_t)"Wire!"[i]);
    b2(&r, 0);
    b2(&r, 0); /* empty comment */
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    assert_int_equal(s.rops[8], 0x1C);
    assert_int_equal(g4(s.rops + 10), 0);
    fid = g8(s.rops + 14);
    assert_int_equal(fid & 0xFFFF, 1);
    assert_int_equal(s.rops[22], 0);
    assert_int_not_equal(s.handles[2], 0xFFFFFFFFu);
    handles[1] = s.handles[1];
    fm_free(s.buf);
    /* the same name again without OpenExisting: MAPI_E_COLLISION */
    req_init(&r, 3, handles);
    b1(&r, 0x1C); b1(&r, 0); b1(&r, 1); b1(&r, 2); b1(&r, 1); b1(&r, 0); b1(&r, 0); b1(&r, 0);
    bs(&r, "Wire!");
    bs(&r, "");
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    assert_int_equal(g4(s.rops + 2), (uint32_t)MAPI_E_COLLISION);
    fm_free(s.buf);
    /* RopDeleteFolder (DEL_MESSAGES|DEL_FOLDERS): PartialCompletion 0 */
    req_init(&r, 3, handles);
    b1(&r, 0x1D); b1(&r, 0); b1(&r, 1); b1(&r, 0x05); b8(&r, fid);
    b1(&r, 0x02); b1(&r, 0); b1(&r, 1); b1(&r, 2); b8(&r, fid); b1(&r, 0); /* and open it */
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    assert_int_equal(s.rops[0], 0x1D);
    assert_int_equal(g4(s.rops + 2), 0);
    assert_int_equal(s.rops[6], 0);
    assert_int_equal(s.rops[7], 0x02);
    assert_int_equal(g4(s.rops + 9), (uint32_t)MAPI_E_NOT_FOUND);
    fm_free(s.buf);
}

/* RopDeleteMessages, RopMoveCopyMessages (copy), RopHardDeleteMessages and
 * RopEmptyFolder, each seen in the Inbox's count through MAPI. */
static void messages_are_deleted_copied_and_emptied(void **state)
{
    fixture *f = *state;
    uint32_t handles[3] = {0, 0xFFFFFFFFu, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;
    uint64_t m1, m2;
    LPMDB mdb = NULL;
    LPMAPIFOLDER inbox;

    logon_alice(f, &li);
    m1 = create_message(f, &li, "one");
    m2 = create_message(f, &li, "two");
    handles[0] = li.handle;
    req_init(&r, 3, handles);
    b1(&r, 0x02); b1(&r, 0); b1(&r, 0); b1(&r, 1); b8(&r, li.fids[4]); b1(&r, 0);
    b1(&r, 0x1E); b1(&r, 0); b1(&r, 1); b1(&r, 0); b1(&r, 0); b2(&r, 1); b8(&r, m1);
    b1(&r, 0x33); b1(&r, 0); b1(&r, 1); b1(&r, 1); b2(&r, 1); b8(&r, m2); b1(&r, 0); b1(&r, 1);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    assert_int_equal(s.rops[8], 0x1E);
    assert_int_equal(g4(s.rops + 10), 0);
    assert_int_equal(s.rops[15], 0x33);
    assert_int_equal(g4(s.rops + 17), 0);
    handles[1] = s.handles[1];
    fm_free(s.buf);
    inbox = mapi_inbox(f, &mdb);
    assert_int_equal(mapi_count(inbox, 0), 2); /* two, and its copy */
    req_init(&r, 3, handles);
    b1(&r, 0x91); b1(&r, 0); b1(&r, 1); b1(&r, 0); b1(&r, 0); b2(&r, 1); b8(&r, m2);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    assert_int_equal(g4(s.rops + 2), 0);
    fm_free(s.buf);
    assert_int_equal(mapi_count(inbox, 0), 1);
    req_init(&r, 3, handles);
    b1(&r, 0x58); b1(&r, 0); b1(&r, 1); b1(&r, 0); b1(&r, 0);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    assert_int_equal(s.rops[0], 0x58);
    assert_int_equal(g4(s.rops + 2), 0);
    assert_int_equal(s.rops[6], 0);
    fm_free(s.buf);
    assert_int_equal(mapi_count(inbox, 0), 0);
    inbox->lpVtbl->Release(inbox);
    mdb->lpVtbl->Release(mdb);
}

/* ---- OOM ------------------------------------------------------------------------ */
/* Logon, OpenFolder, GetContentsTable, SetColumns, SortTable, Restrict,
 * QueryRows, GetPropertiesAll under every allocation failure. */
static void every_allocation_failure_of_table_rops_is_clean(void **state)
{
    fixture *f = *state;
    oom_ctx o = {f, {0}, 0};
    logon_info li;
    req r;

    logon_alice(f, &li);
    (void)create_message(f, &li, "abc");
    req_init(&r, 3, NULL);
    rop_logon(&r, 0, 0, "alice");
    open_inbox_table(&r, &li);
    b1(&r, 0x13); b1(&r, 0); b1(&r, 2); b1(&r, 0); b2(&r, 1); b2(&r, 0); b2(&r, 0);
    b2(&r, PT_UNICODE); b2(&r, 0x0037); b1(&r, 0x00);
    b1(&r, 0x14); b1(&r, 0); b1(&r, 2); b1(&r, 0); b2(&r, 1 + 2 + 1 + 2 + 2 + 4 + 4 + 4);
    b1(&r, 0x00); b2(&r, 1); b1(&r, 0x03); b2(&r, 1); b2(&r, 1);
    b4(&r, PR_SUBJECT_W); b4(&r, PR_SUBJECT_W); b2(&r, 'b'); b2(&r, 0);
    b1(&r, 0x15); b1(&r, 0); b1(&r, 2); b1(&r, 0); b1(&r, 1); b2(&r, 10);
    b1(&r, 0x08); b1(&r, 0); b1(&r, 1); b2(&r, 0); b2(&r, 1);
    o.len = req_frame(&r, o.in);
#ifdef FREEMAPI_SANITIZED
    /* every 5th point under the sanitizers, as valgrind samples every 53rd */
    setenv("FM_TEST_OOM_STRIDE", "5", 0);
#endif
    assert_true(fm_test_oom_sweep(oom_body, &o) > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sort_restrict_seek_and_position_act_on_the_table, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_malformed_restriction_is_corrupt_data, setup, teardown),
        cmocka_unit_test_setup_teardown(folder_properties_are_listed_deleted_and_read_all, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_folder_is_created_and_deleted, setup, teardown),
        cmocka_unit_test_setup_teardown(messages_are_deleted_copied_and_emptied, setup, teardown),
        cmocka_unit_test_setup_teardown(every_allocation_failure_of_table_rops_is_clean, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
