/*
 * tests/rop/test_rops.c - ROPs end to end: request buffers built by hand
 * from the layouts of [MS-OXCROPS] 2.2, run by fm_rop_execute against a
 * real site, and the results checked again through the ordinary MAPI API
 * on the same mailbox.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "fm_test.h"
#include "freemapi_site.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"
#include "rop/rop.h"
#include "rop_req.h"

static void a_logon_to_the_own_mailbox_returns_its_standard_folder_ids(void **state)
{
    fixture *f = *state;
    logon_info li;

    logon_alice(f, &li);
    /* Root, IPM subtree, Inbox, Outbox, Sent Items, Deleted Items are
     * there, each with ReplicaId 1, and all different. */
    assert_int_equal(li.fids[0] & 0xFFFF, 1);
    assert_int_equal(li.fids[3] & 0xFFFF, 1);
    assert_int_equal(li.fids[4] & 0xFFFF, 1);
    assert_int_equal(li.fids[5] & 0xFFFF, 1);
    assert_int_equal(li.fids[6] & 0xFFFF, 1);
    assert_int_equal(li.fids[7] & 0xFFFF, 1);
    assert_int_not_equal(li.fids[0], li.fids[4]);
    assert_int_not_equal(li.fids[3], li.fids[4]);
    assert_int_not_equal(li.fids[4], li.fids[5]);
}

static uint32_t logon_result(fixture *f, const char *essdn)
{
    req r;
    resp s;
    uint32_t ec;

    req_init(&r, 1, NULL);
    rop_logon(&r, 1, 0, essdn);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    ec = g4(s.rops + 2);
    if (ec != 0) { /* a failure response, and no handle made */
        assert_int_equal(s.rops_len, 6);
        assert_int_equal(s.handles[0], 0xFFFFFFFFu);
    } else {
        assert_int_equal(s.rops_len, 166);
    }
    fm_free(s.buf);
    return ec;
}

/* [MS-OXCSTOR] 3.2.5.1.3: ecUnknownUser 0x3EB for a name the site does not
 * know; ecAccessDenied for a mailbox the user holds no rights on, until
 * full access is granted. */
static void a_logon_to_an_unknown_or_foreign_mailbox_is_refused(void **state)
{
    fixture *f = *state;

    assert_int_equal(logon_result(f, "/o=freemapi/ou=site/cn=Recipients/cn=nobody"), 0x3EB);
    assert_int_equal(logon_result(f, "bob@example.com"), 0x80070005);
    assert_int_equal(fmapi_site_grant(f->site, "alice", "bob", FMAPI_RIGHT_FULL_ACCESS), S_OK);
    assert_int_equal(logon_result(f, "bob"), 0);
    assert_int_equal(fmapi_site_revoke(f->site, "alice", "bob", FMAPI_RIGHT_FULL_ACCESS), S_OK);
}

/* A right revoked after RopLogon takes effect on the next Execute: every
 * ROP on that logon (and what was opened from it) is ecAccessDenied, while
 * the user's own mailbox goes on working. */
static void a_revoked_right_takes_effect_on_the_next_request(void **state)
{
    fixture *f = *state;
    logon_info li;
    uint32_t handles[2] = {0xFFFFFFFFu, 0xFFFFFFFFu};
    req r;
    resp s;

    logon_alice(f, &li);
    assert_int_equal(fmapi_site_grant(f->site, "alice", "bob", FMAPI_RIGHT_FULL_ACCESS), S_OK);
    req_init(&r, 2, NULL);
    rop_logon(&r, 1, 1, "bob");
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    assert_int_equal(g4(s.rops + 2), 0);
    handles[0] = li.handle;
    handles[1] = s.handles[1];
    fm_free(s.buf);
    assert_int_equal(fmapi_site_revoke(f->site, "alice", "bob", FMAPI_RIGHT_FULL_ACCESS), S_OK);
    req_init(&r, 2, handles);
    b1(&r, 0x07); b1(&r, 1); b1(&r, 1); b2(&r, 0); b2(&r, 0); b2(&r, 1); b4(&r, PR_DISPLAY_NAME_W);
    b1(&r, 0x07); b1(&r, 0); b1(&r, 0); b2(&r, 0); b2(&r, 0); b2(&r, 1); b4(&r, PR_DISPLAY_NAME_W);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    assert_int_equal(g4(s.rops + 2), 0x80070005u);
    assert_int_equal(s.rops[6], 0x07);
    assert_int_equal(g4(s.rops + 8), 0);
    fm_free(s.buf);
}

/* RopGetReceiveFolder (0x27) answers the Inbox's FID, as RopLogon did;
 * RopQueryColumnsAll lists at least the columns set. */
static void the_receive_folder_and_all_columns_are_answered(void **state)
{
    fixture *f = *state;
    uint32_t handles[3] = {0, 0xFFFFFFFFu, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;
    const uint8_t *p;
    uint16_t n, i;
    int seen = 0;

    logon_alice(f, &li);
    handles[0] = li.handle;
    req_init(&r, 3, handles);
    b1(&r, 0x27); b1(&r, 0); b1(&r, 0); bs(&r, "IPM.Note");
    b1(&r, 0x02); b1(&r, 0); b1(&r, 0); b1(&r, 1); b8(&r, li.fids[4]); b1(&r, 0);
    b1(&r, 0x05); b1(&r, 0); b1(&r, 1); b1(&r, 2); b1(&r, 0x40);
    b1(&r, 0x37); b1(&r, 0); b1(&r, 2);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    p = s.rops;
    assert_int_equal(p[0], 0x27);
    assert_int_equal(g4(p + 2), 0);
    assert_true(g8(p + 6) == li.fids[4]);
    p += 14;
    while (*p)
        p++;
    p++;
    p += 8 + 10;
    assert_int_equal(p[0], 0x37);
    assert_int_equal(g4(p + 2), 0);
    n = g2(p + 6);
    for (i = 0; i < n; i++)
        if (g4(p + 8 + 4 * i) == PR_ENTRYID)
            seen = 1;
    assert_true(seen);
    assert_int_equal(p + 8 + 4 * n - s.rops, s.rops_len);
    fm_free(s.buf);
}

/* RopRelease of a logon takes the objects opened through it along: a
 * folder handle of that logon is ecNullObject afterwards. */
static void releasing_a_logon_releases_what_was_opened_through_it(void **state)
{
    fixture *f = *state;
    uint32_t handles[2] = {0, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;

    logon_alice(f, &li);
    handles[0] = li.handle;
    req_init(&r, 2, handles);
    b1(&r, 0x02); b1(&r, 0); b1(&r, 0); b1(&r, 1); b8(&r, li.fids[4]); b1(&r, 0);
    b1(&r, 0x01); b1(&r, 0); b1(&r, 0);
    b1(&r, 0x07); b1(&r, 0); b1(&r, 1); b2(&r, 0); b2(&r, 0); b2(&r, 1); b4(&r, PR_DISPLAY_NAME_W);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    assert_int_equal(g4(s.rops + 2), 0);
    assert_int_equal(s.rops[8], 0x07);
    assert_int_equal(g4(s.rops + 10), 0x4B9);
    fm_free(s.buf);
}

static void a_message_created_by_rops_is_in_the_store_through_mapi(void **state)
{
    fixture *f = *state;
    logon_info li;
    LPMDB mdb = NULL;
    LPMAPIFOLDER inbox = NULL;
    LPMAPITABLE table = NULL;
    LPSRowSet rows = NULL;
    ULONG cb = 0, type = 0;
    LPENTRYID eid = NULL;
    SizedSPropTagArray(1, cols) = {1, {PR_SUBJECT_A}};

    logon_alice(f, &li);
    (void)create_message(f, &li, "over the wire");
    assert_int_equal(fmapi_site_open_mailbox(f->site, "alice", 0, &mdb), S_OK);
    assert_int_equal(mdb->lpVtbl->GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL), S_OK);
    assert_int_equal(mdb->lpVtbl->OpenEntry(mdb, cb, eid, NULL, 0, &type, (LPUNKNOWN *)&inbox),
                     S_OK);
    assert_int_equal(inbox->lpVtbl->GetContentsTable(inbox, 0, &table), S_OK);
    assert_int_equal(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&cols, 0), S_OK);
    assert_int_equal(table->lpVtbl->QueryRows(table, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    assert_string_equal(rows->aRow[0].lpProps[0].Value.lpszA, "over the wire");
    FreeProws(rows);
    table->lpVtbl->Release(table);
    inbox->lpVtbl->Release(inbox);
    MAPIFreeBuffer(eid);
    mdb->lpVtbl->Release(mdb);
}

/* OpenFolder -> GetContentsTable -> SetColumns -> QueryRows, and
 * GetPropertiesSpecific through OpenMessage. */
static void a_contents_table_is_read_through_rops(void **state)
{
    fixture *f = *state;
    uint32_t handles[4] = {0, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;
    const uint8_t *p;
    uint64_t mid;
    static const uint8_t subject[] = {'r', 0, 'o', 0, 'w', 0, 0, 0};

    logon_alice(f, &li);
    mid = create_message(f, &li, "row");
    handles[0] = li.handle;
    req_init(&r, 4, handles);
    b1(&r, 0x02); b1(&r, 0); b1(&r, 0); b1(&r, 1); b8(&r, li.fids[4]); b1(&r, 0); /* OpenFolder */
    b1(&r, 0x05); b1(&r, 0); b1(&r, 1); b1(&r, 2); b1(&r, 0x40);  /* GetContentsTable */
    b1(&r, 0x12); b1(&r, 0); b1(&r, 2); b1(&r, 0); b2(&r, 2);     /* SetColumns */
    b4(&r, PR_SUBJECT_W); b4(&r, PR_BODY_W);
    b1(&r, 0x15); b1(&r, 0); b1(&r, 2); b1(&r, 0); b1(&r, 1); b2(&r, 50); /* QueryRows */
    b1(&r, 0x03); b1(&r, 0); b1(&r, 0); b1(&r, 3); b2(&r, 0x0FFF); /* OpenMessage */
    b8(&r, li.fids[4]); b1(&r, 0); b8(&r, mid);
    b1(&r, 0x07); b1(&r, 0); b1(&r, 3); b2(&r, 0); b2(&r, 1); b2(&r, 1); /* GetPropsSpecific */
    b4(&r, PR_SUBJECT_W);
    b1(&r, 0x01); b1(&r, 0); b1(&r, 3); /* Release the message, table, folder */
    b1(&r, 0x01); b1(&r, 0); b1(&r, 2);
    b1(&r, 0x01); b1(&r, 0); b1(&r, 1);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    p = s.rops;
    assert_int_equal(p[0], 0x02); /* OpenFolder: ReturnValue, HasRules, IsGhosted */
    assert_int_equal(g4(p + 2), 0);
    p += 8;
    assert_int_equal(p[0], 0x05); /* GetContentsTable: RowCount 1 */
    assert_int_equal(g4(p + 2), 0);
    assert_int_equal(g4(p + 6), 1);
    p += 10;
    assert_int_equal(p[0], 0x12); /* SetColumns: TableStatus */
    assert_int_equal(g4(p + 2), 0);
    p += 7;
    /* QueryRows: Origin END (all read), RowCount 1, a flagged row (no
     * body): 01, 00 + "row", 01 (not found) */
    assert_int_equal(p[0], 0x15);
    assert_int_equal(g4(p + 2), 0);
    assert_int_equal(p[6], 0x02);
    assert_int_equal(g2(p + 7), 1);
    assert_int_equal(p[9], 0x01);
    assert_int_equal(p[10], 0x00);
    assert_memory_equal(p + 11, subject, sizeof(subject));
    assert_int_equal(p[19], 0x01);
    p += 20;
    /* OpenMessage: HasNamedProperties, SubjectPrefix absent, NormalizedSubject */
    assert_int_equal(p[0], 0x03);
    assert_int_equal(g4(p + 2), 0);
    p += 7;
    assert_int_equal(p[0], 0x00);
    assert_int_equal(p[1], 0x04);
    assert_memory_equal(p + 2, subject, sizeof(subject));
    p += 2 + sizeof(subject);
    assert_int_equal(g2(p), 0); /* RecipientCount */
    p += 5;
    /* GetPropertiesSpecific: a standard row with the subject */
    assert_int_equal(p[0], 0x07);
    assert_int_equal(g4(p + 2), 0);
    assert_int_equal(p[6], 0x00);
    assert_memory_equal(p + 7, subject, sizeof(subject));
    p += 7 + sizeof(subject);
    assert_int_equal(p - s.rops, s.rops_len);
    fm_free(s.buf);
}

/* [MS-OXCROPS] 3.2.5.1: a handle index naming nothing fails the ROP with
 * ecNullObject (0x4B9); the next ROPs still run. */
static void a_bad_handle_index_is_ecNullObject(void **state)
{
    fixture *f = *state;
    req r;
    resp s;

    req_init(&r, 1, NULL);
    b1(&r, 0x07); b1(&r, 0); b1(&r, 5); b2(&r, 0); b2(&r, 0); b2(&r, 0); /* index 5: none */
    b1(&r, 0x07); b1(&r, 0); b1(&r, 0); b2(&r, 0); b2(&r, 0); b2(&r, 0); /* 0xFFFFFFFF */
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    assert_int_equal(s.rops_len, 12);
    assert_int_equal(g4(s.rops + 2), 0x4B9);
    assert_int_equal(g4(s.rops + 8), 0x4B9);
    fm_free(s.buf);
}

/* [MS-OXCROPS] 2.2.15.1 / 3.2.5.2: when the responses do not fit max_out,
 * the output ends with RopBufferTooSmall (0xFF, SizeNeeded, the requests
 * not processed), and the output never exceeds max_out. */
static void responses_that_do_not_fit_end_with_RopBufferTooSmall(void **state)
{
    fixture *f = *state;
    req r;
    resp s;
    size_t start;

    req_init(&r, 1, NULL);
    b1(&r, 0x07); b1(&r, 0); b1(&r, 5); b2(&r, 0); b2(&r, 0); b2(&r, 0);
    start = r.len;
    rop_logon(&r, 0, 0, "alice");
    /* room for the header, RopSize, table, the first response and the
     * RopBufferTooSmall carrying the logon request, not the logon response */
    assert_int_equal(run(f->ctx, &r, 8 + 2 + 4 + 6 + 3 + (r.len - start) + 20, &s), S_OK);
    assert_true(s.len <= 8 + 2 + 4 + 6 + 3 + (r.len - start) + 20);
    assert_int_equal(s.rops[0], 0x07);
    assert_int_equal(s.rops[6], 0xFF);
    assert_true(g2(s.rops + 7) > s.len);
    assert_int_equal(s.rops_len, 6 + 3 + (r.len - start));
    assert_memory_equal(s.rops + 9, r.rops + start, r.len - start);
    assert_int_equal(s.handles[0], 0xFFFFFFFFu); /* the logon did not stay */
    fm_free(s.buf);
}

/* ---- OOM ------------------------------------------------------------------------ */
static void every_allocation_failure_of_an_execute_is_clean(void **state)
{
    fixture *f = *state;
    oom_ctx o = {f, {0}, 0};
    req r;

    req_init(&r, 3, NULL);
    rop_logon(&r, 0, 0, "alice");
    b1(&r, 0x04); b1(&r, 0); b1(&r, 0); b1(&r, 1); b1(&r, 0); /* GetHierarchyTable of... */
    /* ...the logon is ecNullObject (not a folder); then the root's table */
    b1(&r, 0x12); b1(&r, 0); b1(&r, 1); b1(&r, 0); b2(&r, 1); b4(&r, PR_DISPLAY_NAME_W);
    b1(&r, 0x07); b1(&r, 0); b1(&r, 0); b2(&r, 0); b2(&r, 0); b2(&r, 2);
    b4(&r, PR_DISPLAY_NAME_W); b4(&r, PR_IPM_SUBTREE_ENTRYID);
    o.len = req_frame(&r, o.in);
#ifdef FREEMAPI_SANITIZED
    /* every 5th point under the sanitizers, as valgrind samples every 53rd */
    setenv("FM_TEST_OOM_STRIDE", "5", 0);
#endif
    assert_true(fm_test_oom_sweep(oom_body, &o) > 10);
}

/* RopLongTermIdFromId of the Inbox's FID: the logon's ReplGuid, the FID's
 * GlobalCounter bytes, Pad 0 ([MS-OXCDATA] 2.2.1.3.1); RopIdFromLongTermId
 * of it gives the FID back; a GUID or ReplicaId of no replica here is
 * ecNotFound. */
static void long_term_ids_map_both_ways(void **state)
{
    fixture *f = *state;
    uint32_t handles[1];
    logon_info li;
    uint8_t guid[16], lt[24];
    req r;
    resp s;
    const uint8_t *p;
    int i;

    logon_alice(f, &li);
    handles[0] = li.handle;
    /* the ReplGuid of a second logon response (LogonId 1) */
    req_init(&r, 1, NULL);
    rop_logon(&r, 1, 0, "alice");
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    memcpy(guid, s.rops + 130, 16);
    fm_free(s.buf);

    req_init(&r, 1, handles);
    b1(&r, 0x43); b1(&r, 0); b1(&r, 0); b8(&r, li.fids[4]);
    b1(&r, 0x43); b1(&r, 0); b1(&r, 0); b8(&r, (li.fids[4] & ~0xFFFFull) | 0x0002);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    p = s.rops;
    assert_int_equal(p[0], 0x43);
    assert_int_equal(g4(p + 2), 0);
    assert_memory_equal(p + 6, guid, 16);
    for (i = 0; i < 6; i++)
        assert_int_equal(p[22 + i], (uint8_t)(li.fids[4] >> (16 + 8 * i)));
    assert_int_equal(g2(p + 28), 0);
    memcpy(lt, p + 6, 24);
    p += 30;
    assert_int_equal(p[0], 0x43);
    assert_int_equal(g4(p + 2), 0x8004010Fu);
    assert_int_equal(p + 6 - s.rops, s.rops_len);
    fm_free(s.buf);

    req_init(&r, 1, handles);
    b1(&r, 0x44); b1(&r, 0); b1(&r, 0);
    memcpy(r.rops + r.len, lt, 24);
    r.len += 24;
    lt[3] ^= 0xFF; /* another database */
    b1(&r, 0x44); b1(&r, 0); b1(&r, 0);
    memcpy(r.rops + r.len, lt, 24);
    r.len += 24;
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    p = s.rops;
    assert_int_equal(p[0], 0x44);
    assert_int_equal(g4(p + 2), 0);
    assert_true(g8(p + 6) == li.fids[4]);
    p += 14;
    assert_int_equal(g4(p + 2), 0x8004010Fu);
    fm_free(s.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(long_term_ids_map_both_ways, setup, teardown),
        cmocka_unit_test_setup_teardown(a_logon_to_the_own_mailbox_returns_its_standard_folder_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(a_logon_to_an_unknown_or_foreign_mailbox_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(a_revoked_right_takes_effect_on_the_next_request, setup, teardown),
        cmocka_unit_test_setup_teardown(the_receive_folder_and_all_columns_are_answered, setup, teardown),
        cmocka_unit_test_setup_teardown(releasing_a_logon_releases_what_was_opened_through_it, setup, teardown),
        cmocka_unit_test_setup_teardown(a_message_created_by_rops_is_in_the_store_through_mapi, setup, teardown),
        cmocka_unit_test_setup_teardown(a_contents_table_is_read_through_rops, setup, teardown),
        cmocka_unit_test_setup_teardown(a_bad_handle_index_is_ecNullObject, setup, teardown),
        cmocka_unit_test_setup_teardown(responses_that_do_not_fit_end_with_RopBufferTooSmall, setup, teardown),
        cmocka_unit_test_setup_teardown(every_allocation_failure_of_an_execute_is_clean, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
