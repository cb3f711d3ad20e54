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

typedef struct fixture {
    fmapi_site *site;
    fm_rop_context *ctx;
} fixture;

static int setup(void **state)
{
    static int n;
    fixture *f = calloc(1, sizeof(*f));
    char dir[512];

    assert_non_null(f);
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    snprintf(dir, sizeof(dir), "%s/site%d", fm_test_tmpdir(), n++);
    assert_int_equal(fmapi_site_open(dir, FMAPI_SITE_CREATE | FMAPI_SITE_WEAK_HASHES, &f->site),
                     S_OK);
    assert_int_equal(fmapi_site_add_user(f->site, "alice", "Alice", "alice@example.com", "pw"),
                     S_OK);
    assert_int_equal(fmapi_site_add_user(f->site, "bob", "Bob", "bob@example.com", "pw"), S_OK);
    assert_int_equal(fm_rop_context_new(f->site, "alice", &f->ctx), S_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    fm_rop_context_free(f->ctx);
    fmapi_site_close(f->site);
    MAPIUninitialize();
    free(f);
    return 0;
}

/* ---- building requests -------------------------------------------------------- */
typedef struct req {
    uint8_t rops[4096];
    size_t len;
    uint32_t handles[8];
    size_t nhandles;
} req;

static void b1(req *r, uint8_t v) { r->rops[r->len++] = v; }
static void b2(req *r, uint16_t v) { b1(r, (uint8_t)v); b1(r, (uint8_t)(v >> 8)); }
static void b4(req *r, uint32_t v) { b2(r, (uint16_t)v); b2(r, (uint16_t)(v >> 16)); }
static void b8(req *r, uint64_t v) { b4(r, (uint32_t)v); b4(r, (uint32_t)(v >> 32)); }
static void bs(req *r, const char *s) { memcpy(r->rops + r->len, s, strlen(s) + 1); r->len += strlen(s) + 1; }

static void req_init(req *r, size_t nhandles, const uint32_t *handles)
{
    size_t i;

    memset(r, 0, sizeof(*r));
    r->nhandles = nhandles;
    for (i = 0; i < nhandles; i++)
        r->handles[i] = handles ? handles[i] : 0xFFFFFFFFu;
}

/* RopLogon (2.2.3.1.1) of essdn, private, into handle index out. */
static void rop_logon(req *r, uint8_t logon_id, uint8_t out, const char *essdn)
{
    b1(r, 0xFE);
    b1(r, logon_id);
    b1(r, out);
    b1(r, 0x01);       /* LogonFlags: Private */
    b4(r, 0x01000000); /* OpenFlags: USE_PER_MDB_REPLID_MAPPING */
    b4(r, 0);          /* StoreState */
    b2(r, (uint16_t)(strlen(essdn) + 1));
    bs(r, essdn);
}

/* The whole RopBuffer: RPC_HEADER_EXT (Last) + RopSize + ROPs + handles. */
static size_t req_frame(const req *r, uint8_t *out)
{
    size_t payload = 2 + r->len + 4 * r->nhandles, i, at = 8;

    out[0] = out[1] = 0;
    out[2] = 0x04;
    out[3] = 0;
    out[4] = out[6] = (uint8_t)payload;
    out[5] = out[7] = (uint8_t)(payload >> 8);
    out[at++] = (uint8_t)(r->len + 2);
    out[at++] = (uint8_t)((r->len + 2) >> 8);
    memcpy(out + at, r->rops, r->len);
    at += r->len;
    for (i = 0; i < r->nhandles; i++) {
        out[at++] = (uint8_t)r->handles[i];
        out[at++] = (uint8_t)(r->handles[i] >> 8);
        out[at++] = (uint8_t)(r->handles[i] >> 16);
        out[at++] = (uint8_t)(r->handles[i] >> 24);
    }
    return at;
}

/* ---- reading responses -------------------------------------------------------- */
typedef struct resp {
    uint8_t *buf;
    size_t len;
    const uint8_t *rops; /* the RopsList */
    size_t rops_len;
    uint32_t handles[8];
    size_t nhandles;
} resp;

static uint16_t g2(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t g4(const uint8_t *p) { return (uint32_t)g2(p) | (uint32_t)g2(p + 2) << 16; }
static uint64_t g8(const uint8_t *p) { return (uint64_t)g4(p) | (uint64_t)g4(p + 4) << 32; }

static HRESULT run(fm_rop_context *ctx, const req *r, size_t max_out, resp *out)
{
    uint8_t in[8192];
    size_t n = req_frame(r, in), i;
    HRESULT hr;

    memset(out, 0, sizeof(*out));
    hr = fm_rop_execute(ctx, in, n, max_out, &out->buf, &out->len);
    if (FAILED(hr))
        return hr;
    /* RPC_HEADER_EXT: Version 0, Last, Size == SizeActual == the rest */
    assert_true(out->len >= 10);
    assert_int_equal(g2(out->buf), 0);
    assert_int_equal(g2(out->buf + 2), 0x0004);
    assert_int_equal(g2(out->buf + 4), out->len - 8);
    assert_int_equal(g2(out->buf + 6), out->len - 8);
    out->rops = out->buf + 10;
    out->rops_len = g2(out->buf + 8) - 2u;
    out->nhandles = (out->len - 8 - g2(out->buf + 8)) / 4;
    assert_int_equal(out->nhandles, r->nhandles);
    for (i = 0; i < out->nhandles; i++)
        out->handles[i] = g4(out->buf + 8 + g2(out->buf + 8) + 4 * i);
    return S_OK;
}

typedef struct logon_info {
    uint32_t handle;
    uint64_t fids[13];
} logon_info;

/* Logs alice on to her own mailbox and returns the handle and FIDs. */
static void logon_alice(fixture *f, logon_info *li)
{
    req r;
    resp s;
    int i;

    req_init(&r, 1, NULL);
    rop_logon(&r, 0, 0, "/o=freemapi/ou=site/cn=Recipients/cn=alice");
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    /* 2.2.3.1.2: RopId, OutputHandleIndex, ReturnValue, LogonFlags,
     * FolderIds (13 x 8), ResponseFlags, MailboxGuid, ReplId, ReplGuid,
     * LogonTime, GwartTime, StoreState: 166 bytes. */
    assert_int_equal(s.rops_len, 166);
    assert_int_equal(s.rops[0], 0xFE);
    assert_int_equal(s.rops[1], 0);
    assert_int_equal(g4(s.rops + 2), 0);
    assert_int_equal(s.rops[6], 0x01);
    for (i = 0; i < 13; i++)
        li->fids[i] = g8(s.rops + 7 + 8 * i);
    assert_int_equal(s.rops[111] & 0x03, 0x03); /* Reserved | OwnerRight */
    assert_int_equal(g2(s.rops + 128), 0x0001);  /* ReplId */
    assert_memory_equal(s.rops + 112, s.rops + 130, 16); /* MailboxGuid = ReplGuid */
    assert_int_not_equal(s.handles[0], 0xFFFFFFFFu);
    li->handle = s.handles[0];
    fm_free(s.buf);
}

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

/* Folder, message and property ROPs in one buffer, as a client chains
 * them: OpenFolder(Inbox) -> CreateMessage -> SetProperties ->
 * SaveChangesMessage; then the message is seen through MAPI. */
static uint64_t create_message(fixture *f, const logon_info *li, const char *subject)
{
    uint32_t handles[3] = {li->handle, 0xFFFFFFFFu, 0xFFFFFFFFu};
    req r;
    resp s;
    const uint8_t *p;
    uint64_t mid;
    size_t i;

    req_init(&r, 3, handles);
    b1(&r, 0x06); b1(&r, 0); b1(&r, 0); b1(&r, 1); /* CreateMessage: logon -> [1] */
    b2(&r, 0x0FFF);                                  /* CodePageId */
    b8(&r, li->fids[4]);                             /* FolderId: Inbox */
    b1(&r, 0);                                       /* AssociatedFlag */
    b1(&r, 0x0A); b1(&r, 0); b1(&r, 1);               /* SetProperties on [1] */
    {
        size_t at = r.len, n = strlen(subject);
        b2(&r, 0);                                   /* PropertyValueSize, patched */
        b2(&r, 1);                                   /* PropertyValueCount */
        b4(&r, PR_SUBJECT_W);
        for (i = 0; i < n; i++)
            b2(&r, (uint8_t)subject[i]);
        b2(&r, 0);
        r.rops[at] = (uint8_t)(r.len - at - 2);
        r.rops[at + 1] = (uint8_t)((r.len - at - 2) >> 8);
    }
    b1(&r, 0x0C); b1(&r, 0); b1(&r, 1); b1(&r, 1); b1(&r, 0x02); /* SaveChanges [1] */
    b1(&r, 0x01); b1(&r, 0); b1(&r, 1);                        /* Release [1] */
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    p = s.rops;
    /* CreateMessage: 06 01 ReturnValue HasMessageId */
    assert_int_equal(p[0], 0x06);
    assert_int_equal(g4(p + 2), 0);
    assert_int_equal(p[6], 0);
    p += 7;
    /* SetProperties: 0A 01 ReturnValue PropertyProblemCount 0 */
    assert_int_equal(p[0], 0x0A);
    assert_int_equal(g4(p + 2), 0);
    assert_int_equal(g2(p + 6), 0);
    p += 8;
    /* SaveChangesMessage: 0C 01 ReturnValue InputHandleIndex MessageId */
    assert_int_equal(p[0], 0x0C);
    assert_int_equal(g4(p + 2), 0);
    assert_int_equal(p[6], 1);
    mid = g8(p + 7);
    assert_int_equal(mid & 0xFFFF, 1);
    assert_int_equal(p + 15 - s.rops, s.rops_len); /* RopRelease has no response */
    fm_free(s.buf);
    return mid;
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
typedef struct oom_ctx {
    fixture *f;
    uint8_t in[8192];
    size_t len;
} oom_ctx;

static HRESULT oom_body(void *p)
{
    oom_ctx *o = p;
    fm_rop_context *ctx = NULL;
    uint8_t *out = NULL;
    size_t out_len = 0;
    HRESULT hr = fm_rop_context_new(o->f->site, "alice", &ctx);

    if (SUCCEEDED(hr))
        hr = fm_rop_execute(ctx, o->in, o->len, 0x8000, &out, &out_len);
    if (SUCCEEDED(hr) && out_len < 10)
        hr = MAPI_E_CALL_FAILED;
    fm_free(out);
    fm_rop_context_free(ctx);
    return hr;
}

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
    assert_true(fm_test_oom_sweep(oom_body, &o) > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_logon_to_the_own_mailbox_returns_its_standard_folder_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(a_logon_to_an_unknown_or_foreign_mailbox_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(a_message_created_by_rops_is_in_the_store_through_mapi, setup, teardown),
        cmocka_unit_test_setup_teardown(a_contents_table_is_read_through_rops, setup, teardown),
        cmocka_unit_test_setup_teardown(a_bad_handle_index_is_ecNullObject, setup, teardown),
        cmocka_unit_test_setup_teardown(responses_that_do_not_fit_end_with_RopBufferTooSmall, setup, teardown),
        cmocka_unit_test_setup_teardown(every_allocation_failure_of_an_execute_is_clean, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
