/*
 * spool/spool_ndr.c - the end of a submission in the sender's store: the
 * non-delivery report for the recipients that failed (REPORT.IPM.Note.NDR,
 * one recipient row per failure with PR_NDR_REASON_CODE, PR_NDR_DIAG_CODE
 * and PR_REPORT_TEXT, [MS-OXOMSG] 2.2.2), and what the sender asked done
 * with the original: deleted (PR_DELETE_AFTER_SUBMIT) or moved to the
 * folder PR_SENTMAIL_ENTRYID names, else left where it is, no longer
 * unsent. All in one transaction that also ends the submission, so a
 * spooler killed at any point leaves either none of it or all of it.
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "mapitags.h"
#include "spool/spool.h"
#include "store/entryid.h"
#include "store/message.h"
#include "store/message_save_with.h"
#include "store/submit_queue.h"

#define NDR_CLASS "REPORT.IPM.Note.NDR"

typedef struct ending {
    int64_t qid, mid, sent_fid;
    bool delete_after;
} ending;

static HRESULT end_submission(void *ctx, fm_store *s, int64_t report_mid, int64_t now)
{
    (void)report_mid;
    ending *e = ctx;
    return fm_submit_finish(s, e->qid, e->mid, e->delete_after, e->sent_fid, now);
}

/* What the sender's PR_DELETE_AFTER_SUBMIT and PR_SENTMAIL_ENTRYID ask;
 * a Sent Items entry ID of another store (or not a folder) is ignored. */
static HRESULT read_disposition(fm_store *s, IMessage *src, ending *e)
{
    SizedSPropTagArray(2, tags) = { 2, { PR_DELETE_AFTER_SUBMIT, PR_SENTMAIL_ENTRYID } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IMessage_GetProps(src, (LPSPropTagArray)&tags, 0, &n, &v);
    if (FAILED(hr))
        return hr;
    e->delete_after = v[0].ulPropTag == PR_DELETE_AFTER_SUBMIT && v[0].Value.b;
    MAPIUID uid;
    int kind = 0;
    uint64_t id = 0;
    if (v[1].ulPropTag == PR_SENTMAIL_ENTRYID &&
        fm_entryid_parse(v[1].Value.bin.cb, (LPENTRYID)v[1].Value.bin.lpb, &uid, &kind, &id) ==
            S_OK &&
        kind == FM_EID_FOLDER && memcmp(uid.ab, s->uid.ab, 16) == 0)
        e->sent_fid = (int64_t)id;
    MAPIFreeBuffer(v);
    return S_OK;
}

static HRESULT finish_alone(fm_store *s, ending *e)
{
    fm_store_lock(s);
    HRESULT hr = fm_db_begin(s->db);
    if (hr == S_OK)
        hr = fm_db_end(s->db, end_submission(e, s, 0, fm_store_now()));
    fm_store_unlock(s);
    return hr;
}

static void set_filetime(SPropValue *v, ULONG tag, int64_t t)
{
    v->ulPropTag = tag;
    v->Value.ft.dwLowDateTime = (ULONG)((uint64_t)t & 0xFFFFFFFFu);
    v->Value.ft.dwHighDateTime = (ULONG)((uint64_t)t >> 32);
}

static HRESULT report_props(IMessage *src, IMessage *ndr)
{
    SizedSPropTagArray(2, tags) = { 2, { PR_SUBJECT_A, PR_CLIENT_SUBMIT_TIME } };
    ULONG n = 0;
    LPSPropValue orig = NULL;
    HRESULT hr = IMessage_GetProps(src, (LPSPropTagArray)&tags, 0, &n, &orig);
    if (FAILED(hr))
        return hr;
    const char *subject = orig[0].ulPropTag == PR_SUBJECT_A ? orig[0].Value.lpszA : "";
    size_t len = strlen(subject) + sizeof "Undeliverable: ";
    char *title = fm_malloc(len);
    if (title == NULL) {
        MAPIFreeBuffer(orig);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory writing a report");
    }
    snprintf(title, len, "Undeliverable: %s", subject);
    int64_t now = fm_store_now();
    SPropValue v[9] = {
        { .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = NDR_CLASS },
        { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = title },
        { .ulPropTag = PR_ORIGINAL_SUBJECT_A, .Value.lpszA = (LPSTR)subject },
        { .ulPropTag = PR_REPORT_TEXT_A,
          .Value.lpszA = "Your message did not reach some or all of its recipients." },
        { .ulPropTag = PR_SENDER_NAME_A, .Value.lpszA = "Mail Delivery System" },
        { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = 0 },
    };
    set_filetime(&v[6], PR_MESSAGE_DELIVERY_TIME, now);
    set_filetime(&v[7], PR_REPORT_TIME, now);
    ULONG count = 8;
    if (orig[1].ulPropTag == PR_CLIENT_SUBMIT_TIME) {
        v[8] = orig[1];
        v[8].ulPropTag = PR_ORIGINAL_SUBMIT_TIME;
        count = 9;
    }
    LPSPropProblemArray problems = NULL;
    hr = IMessage_SetProps(ndr, count, v, &problems);
    MAPIFreeBuffer(problems);
    fm_free(title);
    MAPIFreeBuffer(orig);
    return hr;
}

/* One row per failed recipient: its own values and the reason. */
static HRESULT report_recipients(IMessage *ndr, const fm_spool_recip *recips, size_t n)
{
    size_t failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += recips[i].failed;
    LPADRLIST list = NULL;
    HRESULT hr = MAPIAllocateBuffer(CbNewADRLIST(failed), (void **)&list);
    if (hr != S_OK)
        return hr;
    list->cEntries = 0;
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        const fm_spool_recip *r = &recips[i];
        if (!r->failed)
            continue;
        LPSPropValue row = NULL;
        hr = MAPIAllocateMore((r->cValues + 3) * sizeof *row, list, (void **)&row);
        if (hr != S_OK)
            break;
        ULONG k = 0;
        for (ULONG j = 0; j < r->cValues; j++)
            if (r->props[j].ulPropTag != PR_ROWID && PROP_TYPE(r->props[j].ulPropTag) != PT_ERROR)
                row[k++] = r->props[j]; /* ModifyRecipients copies the values */
        row[k].ulPropTag = PR_NDR_REASON_CODE;
        row[k++].Value.l = r->reason;
        row[k].ulPropTag = PR_NDR_DIAG_CODE;
        row[k++].Value.l = r->diag;
        row[k].ulPropTag = PR_REPORT_TEXT_A;
        row[k++].Value.lpszA = (LPSTR)r->text;
        ADRENTRY *e = &list->aEntries[list->cEntries++];
        e->ulReserved1 = 0;
        e->cValues = k;
        e->rgPropVals = row;
    }
    if (hr == S_OK)
        hr = IMessage_ModifyRecipients(ndr, MODRECIP_ADD, list);
    MAPIFreeBuffer(list);
    return hr;
}

static HRESULT finish_with_report(fm_store *s, IMessage *src, const fm_spool_recip *recips,
                                  size_t n, ending *e)
{
    int64_t fid = 0;
    HRESULT hr = fm_spool_receive_fid(s, NDR_CLASS, &fid);
    IMessage *ndr = NULL;
    if (hr == S_OK)
        hr = fm_message_create(s, fid, false, &ndr);
    if (hr == S_OK)
        hr = report_props(src, ndr);
    if (hr == S_OK)
        hr = report_recipients(ndr, recips, n);
    if (hr == S_OK)
        hr = fm_message_save_with(ndr, 0, end_submission, e);
    if (ndr != NULL)
        IMessage_Release(ndr);
    return hr;
}

HRESULT fm_spool_finish(fm_store *s, int64_t qid, int64_t mid, IMessage *src,
                        const fm_spool_recip *recips, size_t n, bool *reported)
{
    ending e = { .qid = qid, .mid = mid };
    *reported = false;
    /* Without the message (purged meanwhile) only the queue row is left. */
    HRESULT hr = src != NULL ? read_disposition(s, src, &e) : S_OK;
    if (hr != S_OK)
        return hr;
    bool any_failed = false;
    for (size_t i = 0; i < n; i++)
        any_failed |= recips[i].failed;
    hr = any_failed ? finish_with_report(s, src, recips, n, &e) : finish_alone(s, &e);
    if (hr == S_OK)
        *reported = any_failed;
    else if (hr == MAPI_E_NOT_IN_QUEUE) /* another spooler ended it first */
        hr = S_OK;
    return hr;
}
