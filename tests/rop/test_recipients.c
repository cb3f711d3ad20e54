/*
 * tests/rop/test_recipients.c - RopModifyRecipients, RopReadRecipients,
 * RopRemoveAllRecipients and the recipient rows of RopOpenMessage
 * ([MS-OXCROPS] 2.2.6.1, 2.2.6.4-2.2.6.6) with the RecipientRow of
 * [MS-OXCDATA] 2.8.3, built and read byte by byte here from those layouts,
 * and checked through the ordinary MAPI recipient table of the saved
 * message.
 */
#include <stdbool.h>

#include "mapiutil.h"
#include "rop_req.h"

#define RF_SMTP 0x0003
#define RF_E 0x0008
#define RF_D 0x0010
#define RF_S 0x0040
#define RF_U 0x0200
#define RF_I 0x0400
#define RF_O 0x8000

static void w16(req *r, const char *s)
{
    for (; *s; s++)
        b2(r, (uint8_t)*s);
    b2(r, 0);
}

/* Whether p holds s as UTF-16LE with its NUL; returns the bytes taken. */
static size_t is_w16(const uint8_t *p, const char *s)
{
    size_t i, n = strlen(s);

    for (i = 0; i <= n; i++)
        assert_int_equal(g2(p + 2 * i), (uint8_t)s[i]);
    return 2 * (n + 1);
}

static void open_message(req *r, const logon_info *li, uint64_t mid, uint8_t out)
{
    b1(r, 0x03); b1(r, 0); b1(r, 0); b1(r, out); b2(r, 0x0FFF); b8(r, li->fids[4]);
    b1(r, 0x03); b8(r, mid);
}

/* Starts a ModifyRecipientRow: RowId, RecipientType, RecipientRowSize
 * (patched by row_end). */
static size_t row_begin(req *r, uint32_t row_id, uint8_t type)
{
    b4(r, row_id);
    b1(r, type);
    b2(r, 0);
    return r->len;
}

static void row_end(req *r, size_t at)
{
    size_t n = r->len - at;
    r->rops[at - 2] = (uint8_t)n;
    r->rops[at - 1] = (uint8_t)(n >> 8);
}

/* RopModifyRecipients on [1] with RecipientColumns {PR_SMTP_ADDRESS_W,
 * PR_RESPONSIBILITY}: RowId 0, To, SMTP "Bob" <bob@example.com> with both
 * columns; RowId 1, Cc, NoType + O "FAX" "+1 555" "Fax Man" (simple name
 * "Fax") whose columns are a FlaggedPropertyRow with the address missing. */
static void modify_two(req *r)
{
    size_t at;

    b1(r, 0x0E); b1(r, 0); b1(r, 1);
    b2(r, 2); b4(r, PR_SMTP_ADDRESS_W); b4(r, PR_RESPONSIBILITY);
    b2(r, 2);
    at = row_begin(r, 0, 1);
    b2(r, RF_U | RF_D | RF_E | RF_SMTP);
    w16(r, "bob@example.com");
    w16(r, "Bob");
    b2(r, 2);          /* RecipientColumnCount */
    b1(r, 0x00);       /* StandardPropertyRow */
    w16(r, "bob@example.com");
    b1(r, 1);
    row_end(r, at);
    at = row_begin(r, 1, 2);
    b2(r, RF_O | RF_I | RF_U | RF_D | RF_E);
    bs(r, "FAX");      /* AddressType: ASCII */
    w16(r, "+1 555");
    w16(r, "Fax Man");
    w16(r, "Fax");
    b2(r, 1);          /* RecipientColumnCount: PR_SMTP_ADDRESS_W only */
    b1(r, 0x01);       /* FlaggedPropertyRow */
    b1(r, 0x01);       /* not found */
    row_end(r, at);
}

static void read_recipients(req *r, uint32_t row_id)
{
    b1(r, 0x0F); b1(r, 0); b1(r, 1); b4(r, row_id); b2(r, 0);
}

/* The saved message's recipient table through MAPI. */
static LPSRowSet mapi_recipients(fixture *f, uint64_t mid)
{
    SizedSPropTagArray(6, cols) = {6, {PR_DISPLAY_NAME_W, PR_EMAIL_ADDRESS_W, PR_ADDRTYPE_W,
                                       PR_RECIPIENT_TYPE, PR_SMTP_ADDRESS_W, PR_7BIT_DISPLAY_NAME_W}};
    LPMDB mdb = NULL;
    LPMAPIFOLDER inbox = NULL;
    LPMAPITABLE t = NULL, rt = NULL;
    LPSRowSet rows = NULL, out = NULL;
    LPMESSAGE msg = NULL;
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0, i;
    SizedSPropTagArray(2, mcols) = {2, {PR_ENTRYID, PR_SOURCE_KEY}};

    assert_int_equal(fmapi_site_open_mailbox(f->site, "alice", 0, &mdb), S_OK);
    assert_int_equal(mdb->lpVtbl->GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL), S_OK);
    assert_int_equal(mdb->lpVtbl->OpenEntry(mdb, cb, eid, NULL, 0, &type, (LPUNKNOWN *)&inbox),
                     S_OK);
    MAPIFreeBuffer(eid);
    assert_int_equal(inbox->lpVtbl->GetContentsTable(inbox, 0, &t), S_OK);
    assert_int_equal(t->lpVtbl->SetColumns(t, (LPSPropTagArray)&mcols, 0), S_OK);
    assert_int_equal(t->lpVtbl->QueryRows(t, 100, 0, &rows), S_OK);
    for (i = 0; i < rows->cRows && !msg; i++) {
        const SBinary *sk = &rows->aRow[i].lpProps[1].Value.bin;
        uint64_t counter = 0;
        int k;
        for (k = 5; k >= 0; k--)
            counter = counter << 8 | sk->lpb[16 + k];
        if (counter == mid >> 16)
            assert_int_equal(mdb->lpVtbl->OpenEntry(mdb, rows->aRow[i].lpProps[0].Value.bin.cb,
                                                    (LPENTRYID)rows->aRow[i].lpProps[0].Value.bin.lpb,
                                                    NULL, 0, &type, (LPUNKNOWN *)&msg),
                             S_OK);
    }
    assert_non_null(msg);
    assert_int_equal(msg->lpVtbl->GetRecipientTable(msg, MAPI_UNICODE, &rt), S_OK);
    assert_int_equal(rt->lpVtbl->SetColumns(rt, (LPSPropTagArray)&cols, 0), S_OK);
    assert_int_equal(rt->lpVtbl->QueryRows(rt, 100, 0, &out), S_OK);
    rt->lpVtbl->Release(rt);
    msg->lpVtbl->Release(msg);
    FreeProws(rows);
    t->lpVtbl->Release(t);
    inbox->lpVtbl->Release(inbox);
    mdb->lpVtbl->Release(mdb);
    return out;
}

static void assert_wstr(const SPropValue *v, ULONG tag, const char *s)
{
    size_t i;

    assert_int_equal(v->ulPropTag, tag);
    for (i = 0; s[i]; i++)
        assert_int_equal(v->Value.lpszW[i], (uint8_t)s[i]);
    assert_int_equal(v->Value.lpszW[i], 0);
}

/* Skips one ReadRecipientRow/OpenRecipientRow's wrapper and row. */
static const uint8_t *skip_row(const uint8_t *p, bool with_id)
{
    p += with_id ? 4 : 0;
    return p + 7 + g2(p + 5);
}

/* Added through RopModifyRecipients and saved, the two recipients are in the
 * message's recipient table as MAPI reads it, every field where it belongs. */
static void modified_recipients_are_saved_in_the_recipient_table(void **state)
{
    fixture *f = *state;
    uint32_t handles[2] = {0, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;
    const uint8_t *p;
    LPSRowSet rows;
    uint64_t mid;

    logon_alice(f, &li);
    mid = create_message(f, &li, "to two");
    handles[0] = li.handle;
    req_init(&r, 2, handles);
    open_message(&r, &li, mid, 1);
    modify_two(&r);
    b1(&r, 0x0C); b1(&r, 0); b1(&r, 1); b1(&r, 1); b1(&r, 0x02);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    p = s.rops;
    assert_int_equal(p[0], 0x03);
    assert_int_equal(g4(p + 2), 0);
    p += 6 + 1 + 1 + 1 + 2 * 7 + 2 + 2 + 1; /* no recipients yet: counts 0 */
    assert_int_equal(p[0], 0x0E);           /* ModifyRecipients: 0E 01 0 */
    assert_int_equal(p[1], 1);
    assert_int_equal(g4(p + 2), 0);
    p += 6;
    assert_int_equal(p[0], 0x0C);
    assert_int_equal(g4(p + 2), 0);
    fm_free(s.buf);

    rows = mapi_recipients(f, mid);
    assert_int_equal(rows->cRows, 2);
    assert_wstr(&rows->aRow[0].lpProps[0], PR_DISPLAY_NAME_W, "Bob");
    assert_wstr(&rows->aRow[0].lpProps[1], PR_EMAIL_ADDRESS_W, "bob@example.com");
    assert_wstr(&rows->aRow[0].lpProps[2], PR_ADDRTYPE_W, "SMTP");
    assert_int_equal(rows->aRow[0].lpProps[3].Value.l, MAPI_TO);
    assert_wstr(&rows->aRow[0].lpProps[4], PR_SMTP_ADDRESS_W, "bob@example.com");
    assert_int_equal(PROP_TYPE(rows->aRow[0].lpProps[5].ulPropTag), PT_ERROR);
    assert_wstr(&rows->aRow[1].lpProps[0], PR_DISPLAY_NAME_W, "Fax Man");
    assert_wstr(&rows->aRow[1].lpProps[1], PR_EMAIL_ADDRESS_W, "+1 555");
    assert_wstr(&rows->aRow[1].lpProps[2], PR_ADDRTYPE_W, "FAX");
    assert_int_equal(rows->aRow[1].lpProps[3].Value.l, MAPI_CC);
    assert_int_equal(PROP_TYPE(rows->aRow[1].lpProps[4].ulPropTag), PT_ERROR);
    assert_wstr(&rows->aRow[1].lpProps[5], PR_7BIT_DISPLAY_NAME_W, "Fax");
    FreeProws(rows);
}

/* Before the save, RopReadRecipients on the same object answers with the
 * client's RowIds 0 and 1, and each ReadRecipientRow is, byte for byte,
 * RowId, RecipientType, CodePageId, Reserved, RecipientRowSize and a
 * RecipientRow of RecipientFlags, the fields they announce and a
 * PropertyRow of the six RecipientColumns RopOpenMessage names. */
static void read_recipients_answers_the_rows_byte_for_byte(void **state)
{
    fixture *f = *state;
    uint32_t handles[2] = {0, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;
    const uint8_t *p, *row;
    uint64_t mid;

    logon_alice(f, &li);
    mid = create_message(f, &li, "read back");
    handles[0] = li.handle;
    req_init(&r, 2, handles);
    open_message(&r, &li, mid, 1);
    modify_two(&r);
    read_recipients(&r, 0);
    read_recipients(&r, 1);
    read_recipients(&r, 7);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    p = s.rops + 6 + 1 + 1 + 1 + 2 * 10 + 2 + 2 + 1 + 6;
    assert_int_equal(p[0], 0x0F);
    assert_int_equal(p[1], 1);
    assert_int_equal(g4(p + 2), 0);
    assert_int_equal(p[6], 2); /* RowCount */
    row = p + 7;
    assert_int_equal(g4(row), 0);          /* RowId: the client's */
    assert_int_equal(row[4], 1);           /* To */
    assert_int_equal(g2(row + 5), 1200);   /* CodePageId: UTF-16LE */
    assert_int_equal(g2(row + 7), 0);      /* Reserved */
    {
        const uint8_t *q = row + 11, *end = row + 11 + g2(row + 9);
        assert_int_equal(g2(q), RF_U | RF_D | RF_E | RF_SMTP);
        q += 2;
        q += is_w16(q, "bob@example.com");
        q += is_w16(q, "Bob");
        assert_int_equal(g2(q), 6);        /* RecipientColumnCount */
        q += 2;
        /* FlaggedPropertyRow (some columns are not there): PR_ENTRYID,
         * PR_SEARCH_KEY, PR_DISPLAY_TYPE, PR_OBJECT_TYPE not found (0x01),
         * PR_RESPONSIBILITY 0x00 TRUE, PR_SMTP_ADDRESS_W 0x00 + the string */
        {
            static const uint8_t head[] = {0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x01, 0x00};
            assert_memory_equal(q, head, sizeof(head));
            q += sizeof(head);
        }
        q += is_w16(q, "bob@example.com");
        assert_ptr_equal(q, end);
    }
    row = skip_row(row, true);
    assert_int_equal(g4(row), 1);
    assert_int_equal(row[4], 2);           /* Cc */
    {
        const uint8_t *q = row + 11;
        assert_int_equal(g2(q), RF_O | RF_I | RF_U | RF_D | RF_E);
        q += 2;
        assert_string_equal((const char *)q, "FAX");
        q += 4;
        q += is_w16(q, "+1 555");
        q += is_w16(q, "Fax Man");
        q += is_w16(q, "Fax");
        assert_int_equal(g2(q), 6);
    }
    p = skip_row(row, true);
    assert_int_equal(p[0], 0x0F);          /* from RowId 1: one row */
    assert_int_equal(g4(p + 2), 0);
    assert_int_equal(p[6], 1);
    assert_int_equal(g4(p + 7), 1);
    p = skip_row(p + 7, true);
    assert_int_equal(p[0], 0x0F);          /* RowId 7: ecNotFound */
    assert_int_equal(g4(p + 2), 0x8004010Fu);
    assert_int_equal(p + 6 - s.rops, s.rops_len);
    fm_free(s.buf);
}

/* A saved message opened again: RopOpenMessage's response carries
 * RecipientCount 2, the six RecipientColumns and both OpenRecipientRows. */
static void open_message_returns_the_recipient_rows(void **state)
{
    fixture *f = *state;
    uint32_t handles[2] = {0, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;
    const uint8_t *p;
    uint64_t mid;

    logon_alice(f, &li);
    mid = create_message(f, &li, "again");
    handles[0] = li.handle;
    req_init(&r, 2, handles);
    open_message(&r, &li, mid, 1);
    modify_two(&r);
    b1(&r, 0x0C); b1(&r, 0); b1(&r, 1); b1(&r, 1); b1(&r, 0x02);
    b1(&r, 0x01); b1(&r, 0); b1(&r, 1);
    open_message(&r, &li, mid, 1);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    p = s.rops + 6 + 1 + 1 + 1 + 2 * 6 + 2 + 2 + 1 + 6 + 15;
    assert_int_equal(p[0], 0x03);
    assert_int_equal(g4(p + 2), 0);
    p += 6 + 1 + 1 + 1 + 2 * 6;            /* HasNamed, no prefix, "again" */
    assert_int_equal(g2(p), 2);            /* RecipientCount */
    assert_int_equal(g2(p + 2), 6);        /* ColumnCount */
    assert_int_equal(g4(p + 4), PR_ENTRYID);
    assert_int_equal(g4(p + 4 + 5 * 4), PR_SMTP_ADDRESS_W);
    p += 4 + 6 * 4;
    assert_int_equal(p[0], 2);             /* RowCount */
    assert_int_equal(p[1], 1);             /* RecipientType To, no RowId */
    assert_int_equal(g2(p + 2), 1200);
    assert_int_equal(g2(p + 8), RF_U | RF_D | RF_E | RF_SMTP);
    p = skip_row(p + 1, false);
    assert_int_equal(p[0], 2);             /* Cc */
    p = skip_row(p, false);
    assert_int_equal(p - s.rops, s.rops_len);
    fm_free(s.buf);
}

/* RecipientRowSize 0 deletes, a RowId in use replaces the recipient whole,
 * and RopRemoveAllRecipients leaves none (RopReadRecipients: ecNotFound). */
static void rows_are_replaced_deleted_and_removed(void **state)
{
    fixture *f = *state;
    uint32_t handles[2] = {0, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;
    const uint8_t *p;
    uint64_t mid;
    size_t at;

    logon_alice(f, &li);
    mid = create_message(f, &li, "edits");
    handles[0] = li.handle;
    req_init(&r, 2, handles);
    open_message(&r, &li, mid, 1);
    modify_two(&r);
    b1(&r, 0x0E); b1(&r, 0); b1(&r, 1); b2(&r, 0); b2(&r, 2);
    at = row_begin(&r, 0, 3);              /* RowId 0 again: Bcc "Robert" */
    b2(&r, RF_U | RF_D | RF_S);
    w16(&r, "Robert");
    b2(&r, 0);
    b1(&r, 0x00);
    row_end(&r, at);
    (void)row_begin(&r, 1, 0);             /* RowId 1, size 0: deleted */
    read_recipients(&r, 0);
    b1(&r, 0x0D); b1(&r, 0); b1(&r, 1); b4(&r, 0);
    read_recipients(&r, 0);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    p = s.rops + 6 + 1 + 1 + 1 + 2 * 6 + 2 + 2 + 1 + 6;
    assert_int_equal(p[0], 0x0E);
    assert_int_equal(g4(p + 2), 0);
    p += 6;
    assert_int_equal(p[0], 0x0F);
    assert_int_equal(p[6], 1);
    assert_int_equal(g4(p + 7), 0);
    assert_int_equal(p[7 + 4], 3);         /* Bcc */
    /* NoType, no address; S: the transmittable name is the display name */
    assert_int_equal(g2(p + 7 + 11), RF_U | RF_D | RF_S);
    is_w16(p + 7 + 13, "Robert");
    p = skip_row(p + 7, true);
    assert_int_equal(p[0], 0x0D);
    assert_int_equal(g4(p + 2), 0);
    p += 6;
    assert_int_equal(p[0], 0x0F);
    assert_int_equal(g4(p + 2), 0x8004010Fu);
    fm_free(s.buf);
}

/* A row this layer cannot represent (Type Fax, 0x4) fails the ROP with
 * ecNotSupported and leaves every recipient as it was: the good row before
 * it is not applied either. */
static void a_refused_row_changes_nothing(void **state)
{
    fixture *f = *state;
    uint32_t handles[2] = {0, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;
    const uint8_t *p;
    uint64_t mid;
    size_t at;

    logon_alice(f, &li);
    mid = create_message(f, &li, "refused");
    handles[0] = li.handle;
    req_init(&r, 2, handles);
    open_message(&r, &li, mid, 1);
    b1(&r, 0x0E); b1(&r, 0); b1(&r, 1); b2(&r, 0); b2(&r, 2);
    at = row_begin(&r, 0, 1);
    b2(&r, RF_U | RF_D);
    w16(&r, "Good");
    b2(&r, 0);
    b1(&r, 0x00);
    row_end(&r, at);
    at = row_begin(&r, 1, 1);
    b2(&r, RF_U | RF_D | 0x0004);
    w16(&r, "Fax");
    b2(&r, 0);
    b1(&r, 0x00);
    row_end(&r, at);
    read_recipients(&r, 0);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    p = s.rops + 6 + 1 + 1 + 1 + 2 * 8 + 2 + 2 + 1;
    assert_int_equal(p[0], 0x0E);
    assert_int_equal(g4(p + 2), 0x80040102u);
    p += 6;
    assert_int_equal(p[0], 0x0F);
    assert_int_equal(g4(p + 2), 0x8004010Fu);
    fm_free(s.buf);
}

/* Malformed RecipientRows fail the whole buffer (ecRpcFormat): a row
 * longer than its RecipientRowSize says, a RecipientColumnCount beyond the
 * ColumnCount, and a RecipientRowSize past the end of the buffer. */
static void malformed_recipient_rows_fail_the_buffer(void **state)
{
    fixture *f = *state;
    uint32_t handles[2] = {0, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;
    uint64_t mid;
    size_t at;
    int k;

    logon_alice(f, &li);
    mid = create_message(f, &li, "bad");
    handles[0] = li.handle;
    for (k = 0; k < 3; k++) {
        req_init(&r, 2, handles);
        open_message(&r, &li, mid, 1);
        b1(&r, 0x0E); b1(&r, 0); b1(&r, 1); b2(&r, 0); b2(&r, 1);
        at = row_begin(&r, 0, 1);
        b2(&r, RF_U | RF_D);
        w16(&r, "Name");
        b2(&r, k == 1 ? 1 : 0);            /* k 1: one column of none */
        b1(&r, 0x00);
        row_end(&r, at);
        if (k == 0) /* the size one short of the row */
            r.rops[at - 2]--;
        if (k == 2) /* the size past the buffer */
            r.rops[at - 1] = 0x40;
        assert_int_equal(run(f->ctx, &r, 0x8000, &s), MAPI_E_CORRUPT_DATA);
    }
}

/* ---- OOM ------------------------------------------------------------------------ */
/* Logon, OpenMessage, ModifyRecipients, ReadRecipients, RemoveAll under
 * every allocation failure: a clean error, no leak, the next run works. */
static void every_allocation_failure_of_recipient_rops_is_clean(void **state)
{
    fixture *f = *state;
    oom_ctx o = {f, {0}, 0};
    logon_info li;
    uint64_t mid;
    req r;

    logon_alice(f, &li);
    mid = create_message(f, &li, "oom");
    req_init(&r, 2, NULL);
    rop_logon(&r, 0, 0, "alice");
    open_message(&r, &li, mid, 1);
    modify_two(&r);
    read_recipients(&r, 0);
    b1(&r, 0x0D); b1(&r, 0); b1(&r, 1); b4(&r, 0);
    o.len = req_frame(&r, o.in);
#ifdef FREEMAPI_SANITIZED
    setenv("FM_TEST_OOM_STRIDE", "5", 0);
#endif
    assert_true(fm_test_oom_sweep(oom_body, &o) > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(modified_recipients_are_saved_in_the_recipient_table,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(read_recipients_answers_the_rows_byte_for_byte, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(open_message_returns_the_recipient_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(rows_are_replaced_deleted_and_removed, setup, teardown),
        cmocka_unit_test_setup_teardown(a_refused_row_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_recipient_rows_fail_the_buffer, setup, teardown),
        cmocka_unit_test_setup_teardown(every_allocation_failure_of_recipient_rops_is_clean, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
