/*
 * tests/rop/rop_req.h - what the ROP tests share: a site fixture (users
 * alice and bob, a context of alice), building request buffers by hand
 * from the layouts of [MS-OXCROPS] 2.2, reading the response buffer, and
 * RopLogon of alice to her own mailbox.
 */
#ifndef FREEMAPI_TESTS_ROP_REQ_H
#define FREEMAPI_TESTS_ROP_REQ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "fm_test.h"
#include "freemapi_site.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapix.h"
#include "rop/rop.h"

typedef struct fixture {
    fmapi_site *site;
    fm_rop_context *ctx;
} fixture;

static inline int setup(void **state)
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

static inline int teardown(void **state)
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

static inline void b1(req *r, uint8_t v) { r->rops[r->len++] = v; }
static inline void b2(req *r, uint16_t v) { b1(r, (uint8_t)v); b1(r, (uint8_t)(v >> 8)); }
static inline void b4(req *r, uint32_t v) { b2(r, (uint16_t)v); b2(r, (uint16_t)(v >> 16)); }
static inline void b8(req *r, uint64_t v) { b4(r, (uint32_t)v); b4(r, (uint32_t)(v >> 32)); }
static inline void bs(req *r, const char *s) { memcpy(r->rops + r->len, s, strlen(s) + 1); r->len += strlen(s) + 1; }

static inline void req_init(req *r, size_t nhandles, const uint32_t *handles)
{
    size_t i;

    memset(r, 0, sizeof(*r));
    r->nhandles = nhandles;
    for (i = 0; i < nhandles; i++)
        r->handles[i] = handles ? handles[i] : 0xFFFFFFFFu;
}

/* RopLogon (2.2.3.1.1) of essdn, private, into handle index out. */
static inline void rop_logon(req *r, uint8_t logon_id, uint8_t out, const char *essdn)
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
static inline size_t req_frame(const req *r, uint8_t *out)
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

static inline uint16_t g2(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t g4(const uint8_t *p) { return (uint32_t)g2(p) | (uint32_t)g2(p + 2) << 16; }
static inline uint64_t g8(const uint8_t *p) { return (uint64_t)g4(p) | (uint64_t)g4(p + 4) << 32; }

static inline HRESULT run(fm_rop_context *ctx, const req *r, size_t max_out, resp *out)
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
static inline void logon_alice(fixture *f, logon_info *li)
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

/* Folder, message and property ROPs in one buffer, as a client chains
 * them: OpenFolder(Inbox) -> CreateMessage -> SetProperties ->
 * SaveChangesMessage; then the message is seen through MAPI. */
static inline uint64_t create_message(fixture *f, const logon_info *li, const char *subject)
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

/* ---- OOM sweeps: one framed RopBuffer run on a fresh context of alice ------------ */
typedef struct oom_ctx {
    fixture *f;
    uint8_t in[8192];
    size_t len;
} oom_ctx;

static inline HRESULT oom_body(void *p)
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

#endif /* FREEMAPI_TESTS_ROP_REQ_H */
