/*
 * tests/spool/spool_fixture.h - a site's mailboxes for the spooler tests:
 * composing and submitting a message in a user's Outbox, running the
 * spooler over a mailbox, and counting what a folder holds.
 */
#ifndef FREEMAPI_TESTS_SPOOL_FIXTURE_H
#define FREEMAPI_TESTS_SPOOL_FIXTURE_H

#include "../ab/ab_fixture.h"
#include "freemapi_store.h"
#include "site/site.h"
#include "spool/spool.h"
#include "store/store.h"
#include "store/submit_queue.h"
#include "core/alloc.h"

/* The mailbox file of alias on the site in dir (a static buffer). */
static inline const char *sp_mailbox_path(const char *dir, const char *alias)
{
    static char path[800];
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(dir, 0, &site), S_OK);
    fm_site_entry e = { 0 };
    assert_int_equal(fm_site_find(site, alias, &e), S_OK);
    char *p = fm_site_store_path(site, e.id);
    snprintf(path, sizeof path, "%s", p);
    fm_free(p);
    fm_site_entry_clear(&e);
    fmapi_site_close(site);
    return path;
}

static inline LPMDB sp_open_mailbox(const char *dir, const char *alias)
{
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(sp_mailbox_path(dir, alias), 0, &mdb), S_OK);
    return mdb;
}

static inline LPMAPIFOLDER sp_folder(LPMDB mdb, ULONG eid_tag)
{
    LPSPropValue eid = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)mdb, eid_tag, &eid), S_OK);
    ULONG type = 0;
    LPMAPIFOLDER f = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&f),
                     S_OK);
    MAPIFreeBuffer(eid);
    return f;
}

static inline LPMAPIFOLDER sp_inbox(LPMDB mdb)
{
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0;
    assert_int_equal(IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL), S_OK);
    LPMAPIFOLDER f = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&f),
                     S_OK);
    MAPIFreeBuffer(eid);
    return f;
}

/* The rows of a folder's contents table with columns tags (FreeProws). */
static inline LPSRowSet sp_rows(LPMAPIFOLDER f, LPSPropTagArray tags)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(f, 0, &t), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, tags, NULL, NULL, 0, &rows), S_OK);
    IMAPITable_Release(t);
    return rows;
}

static inline ULONG sp_count(LPMAPIFOLDER f)
{
    SizedSPropTagArray(1, tags) = { 1, { PR_ENTRYID } };
    LPSRowSet rows = sp_rows(f, (LPSPropTagArray)&tags);
    ULONG n = rows->cRows;
    FreeProws(rows);
    return n;
}

/* A recipient row: SMTP (type "SMTP"), EX DN or one with a directory entry ID. */
typedef struct sp_recip {
    const char *name, *addrtype, *address;
} sp_recip;

/* Composes subject to recipients in mdb's Outbox, with props extra, and
 * submits it. */
static inline HRESULT sp_submit(LPMDB mdb, const char *subject, const sp_recip *r, ULONG n,
                                const SPropValue *extra, ULONG nextra)
{
    LPMAPIFOLDER outbox = sp_folder(mdb, PR_IPM_OUTBOX_ENTRYID);
    LPMESSAGE m = NULL;
    HRESULT hr = IMAPIFolder_CreateMessage(outbox, NULL, 0, &m);
    IMAPIFolder_Release(outbox);
    if (hr != S_OK)
        return hr;
    SPropValue v[2] = { { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = (LPSTR)subject },
                        { .ulPropTag = PR_BODY_A, .Value.lpszA = "hello" } };
    hr = IMessage_SetProps(m, 2, v, NULL);
    if (hr == S_OK && nextra > 0)
        hr = IMessage_SetProps(m, nextra, (LPSPropValue)extra, NULL);
    LPADRLIST list = NULL;
    if (hr == S_OK)
        hr = MAPIAllocateBuffer(CbNewADRLIST(n), (void **)&list);
    if (hr == S_OK) {
        list->cEntries = n;
        for (ULONG i = 0; i < n; i++) {
            LPSPropValue p = NULL;
            MAPIAllocateMore(4 * sizeof *p, list, (void **)&p);
            p[0].ulPropTag = PR_DISPLAY_NAME_A;
            p[0].Value.lpszA = (LPSTR)r[i].name;
            p[1].ulPropTag = PR_ADDRTYPE_A;
            p[1].Value.lpszA = (LPSTR)r[i].addrtype;
            p[2].ulPropTag = PR_EMAIL_ADDRESS_A;
            p[2].Value.lpszA = (LPSTR)r[i].address;
            p[3].ulPropTag = PR_RECIPIENT_TYPE;
            p[3].Value.l = MAPI_TO;
            list->aEntries[i].ulReserved1 = 0;
            list->aEntries[i].cValues = 4;
            list->aEntries[i].rgPropVals = p;
        }
        hr = IMessage_ModifyRecipients(m, MODRECIP_ADD, list);
    }
    MAPIFreeBuffer(list);
    if (hr == S_OK)
        hr = IMessage_SubmitMessage(m, 0);
    IMessage_Release(m);
    return hr;
}

/* One spooler run over alias's mailbox, as a spooler process does it. */
static inline HRESULT sp_run(const char *dir, const char *alias, fm_spool_stats *st)
{
    fmapi_site *site = NULL;
    HRESULT hr = fmapi_site_open(dir, 0, &site);
    fm_store *s = NULL;
    if (hr == S_OK)
        hr = fm_store_open(sp_mailbox_path(dir, alias), 0, &s);
    if (hr == S_OK)
        hr = fm_spool_run(site, s, st);
    fm_store_release(s);
    fmapi_site_close(site);
    return hr;
}

#endif /* FREEMAPI_TESTS_SPOOL_FIXTURE_H */
