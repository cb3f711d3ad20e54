/*
 * spool/spool_deliver.c - one copy of a submitted message into one user's
 * mailbox: created in the receive folder for its class, the original's
 * properties, recipients and attachments copied, PR_RECEIVED_BY_* and
 * PR_MESSAGE_DELIVERY_TIME set, and saved in one transaction with the
 * record of the copy (store/submit_queue.h), so it is saved at most once
 * per submission and user however often a crashed spooler retries. A
 * mailbox at its receive quota takes no copy: the submission is deferred
 * and retried like any other failure that may pass.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "spool/spool.h"
#include "store/entryid.h"
#include "store/message.h"
#include "store/message_save_with.h"
#include "store/receive.h"
#include "store/store_quota.h"
#include "store/submit_queue.h"

/* What a copy does not take from the original: the sender's own handling
 * of it (MAPI non-transmittable properties) and what delivery sets anew. */
static const SizedSPropTagArray(10, NOT_COPIED) = {
    10,
    { PR_DELETE_AFTER_SUBMIT, PR_SENTMAIL_ENTRYID, PR_SUBMIT_FLAGS, PR_MESSAGE_FLAGS,
      PR_RECEIVED_BY_ENTRYID, PR_RECEIVED_BY_NAME_A, PR_RECEIVED_BY_ADDRTYPE_A,
      PR_RECEIVED_BY_EMAIL_ADDRESS_A, PR_RECEIVED_BY_SEARCH_KEY, PR_MESSAGE_DELIVERY_TIME },
};

static HRESULT message_class(IMessage *src, char *buf, size_t cap)
{
    LPSPropValue v = NULL;
    HRESULT hr = HrGetOneProp((LPMAPIPROP)src, PR_MESSAGE_CLASS_A, &v);
    snprintf(buf, cap, "%s", hr == S_OK ? v->Value.lpszA : "IPM.Note");
    MAPIFreeBuffer(v);
    return hr == S_OK || hr == MAPI_E_NOT_FOUND ? S_OK : hr;
}

/* The folder of store s receiving class cls. */
HRESULT fm_spool_receive_fid(fm_store *s, const char *cls, int64_t *fid)
{
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    HRESULT hr = fm_receive_get(s, (LPTSTR)cls, 0, &cb, &eid, NULL);
    MAPIUID uid;
    int kind = 0;
    uint64_t id = 0;
    if (hr == S_OK)
        hr = fm_entryid_parse(cb, eid, &uid, &kind, &id);
    if (hr == S_OK)
        *fid = (int64_t)id;
    MAPIFreeBuffer(eid);
    return hr;
}

typedef struct claim {
    const MAPIUID *origin;
    int64_t qid, target;
} claim;

static HRESULT claim_copy(void *ctx, fm_store *s, int64_t mid, int64_t now)
{
    claim *c = ctx;
    return fm_delivered_claim(s, c->origin, c->qid, c->target, mid, now);
}

static void directory_eid(int64_t id, BYTE out[32])
{
    memset(out, 0, 32);
    memcpy(out + 4, FM_SITE_DIRECTORY_UID.ab, 16);
    out[20] = 1;
    out[21] = FM_SITE_KIND_USER;
    for (int i = 0; i < 8; i++)
        out[24 + i] = (BYTE)((uint64_t)id >> (8 * i));
}

/* The report flags a copy starts with: MSGFLAG_RN_PENDING when the sender
 * asked for a read report (PR_READ_RECEIPT_REQUESTED), MSGFLAG_NRN_PENDING
 * for a non-read one (PR_NON_RECEIPT_NOTIFICATION_REQUESTED); SetReadFlag
 * sends them (store/message_receipt.c). */
static ULONG pending_reports(IMessage *src)
{
    static const SizedSPropTagArray(2, tags) = {
        2, { PR_READ_RECEIPT_REQUESTED, PR_NON_RECEIPT_NOTIFICATION_REQUESTED }
    };
    ULONG n = 0, f = 0;
    LPSPropValue v = NULL;
    if (SUCCEEDED(IMessage_GetProps(src, (LPSPropTagArray)&tags, 0, &n, &v))) {
        if (v[0].ulPropTag == PR_READ_RECEIPT_REQUESTED && v[0].Value.b)
            f |= MSGFLAG_RN_PENDING;
        if (v[1].ulPropTag == PR_NON_RECEIPT_NOTIFICATION_REQUESTED && v[1].Value.b)
            f |= MSGFLAG_NRN_PENDING;
    }
    MAPIFreeBuffer(v);
    return f;
}

static HRESULT set_received(IMessage *dst, const fm_site_entry *user, ULONG flags)
{
    BYTE eid[32];
    directory_eid(user->id, eid);
    char key[300];
    int len = snprintf(key, sizeof key, "SMTP:%s", user->smtp);
    if (len < 0 || (size_t)len >= sizeof key)
        len = (int)sizeof key - 1;
    for (int i = 0; i < len; i++)
        key[i] = (char)toupper((unsigned char)key[i]);
    int64_t now = fm_store_now();
    SPropValue v[7] = {
        { .ulPropTag = PR_RECEIVED_BY_ENTRYID, .Value.bin = { sizeof eid, eid } },
        { .ulPropTag = PR_RECEIVED_BY_NAME_A, .Value.lpszA = user->display },
        { .ulPropTag = PR_RECEIVED_BY_ADDRTYPE_A, .Value.lpszA = "SMTP" },
        { .ulPropTag = PR_RECEIVED_BY_EMAIL_ADDRESS_A, .Value.lpszA = user->smtp },
        { .ulPropTag = PR_RECEIVED_BY_SEARCH_KEY, .Value.bin = { (ULONG)len + 1, (BYTE *)key } },
        { .ulPropTag = PR_MESSAGE_DELIVERY_TIME },
        { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = (LONG)flags }, /* unread, not unsent */
    };
    v[5].Value.ft.dwLowDateTime = (ULONG)((uint64_t)now & 0xFFFFFFFFu);
    v[5].Value.ft.dwHighDateTime = (ULONG)((uint64_t)now >> 32);
    LPSPropProblemArray problems = NULL;
    HRESULT hr = IMessage_SetProps(dst, 7, v, &problems);
    if (hr == S_OK && problems != NULL)
        hr = fm_error_set(MAPI_E_CALL_FAILED, "delivery: property 0x%08lX of a copy not set",
                          (unsigned long)problems->aProblem[0].ulPropTag);
    MAPIFreeBuffer(problems);
    return hr;
}

/* A copy does not show its Bcc recipients (they are the sender's to know):
 * the rows of type MAPI_BCC the copy took from the original go. */
static HRESULT drop_bcc(IMessage *dst)
{
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    SizedSPropTagArray(2, cols) = { 2, { PR_ROWID, PR_RECIPIENT_TYPE } };
    SRestriction res = { .rt = RES_PROPERTY };
    SPropValue bcc = { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_BCC };
    res.res.resProperty.relop = RELOP_EQ;
    res.res.resProperty.ulPropTag = PR_RECIPIENT_TYPE;
    res.res.resProperty.lpProp = &bcc;
    HRESULT hr = IMessage_GetRecipientTable(dst, 0, &t);
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, &res, NULL, 0, &rows);
    LPADRLIST list = NULL;
    if (hr == S_OK && rows->cRows > 0)
        hr = MAPIAllocateBuffer(CbNewADRLIST(rows->cRows), (void **)&list);
    if (list != NULL) {
        list->cEntries = rows->cRows; /* MODRECIP_REMOVE reads PR_ROWID alone */
        for (ULONG i = 0; i < rows->cRows; i++) {
            list->aEntries[i].ulReserved1 = 0;
            list->aEntries[i].cValues = rows->aRow[i].cValues;
            list->aEntries[i].rgPropVals = rows->aRow[i].lpProps;
        }
        hr = IMessage_ModifyRecipients(dst, MODRECIP_REMOVE, list);
        MAPIFreeBuffer(list);
    }
    FreeProws(rows);
    if (t != NULL)
        IMAPITable_Release(t);
    return hr;
}

static HRESULT copy_into(IMessage *src, fm_store *rs, int64_t fid, const fm_site_entry *user,
                         claim *c)
{
    IMessage *dst = NULL;
    HRESULT hr = fm_message_create(rs, fid, false, &dst);
    LPSPropProblemArray problems = NULL;
    if (hr == S_OK)
        hr = IMessage_CopyTo(src, 0, NULL, (LPSPropTagArray)&NOT_COPIED, 0, NULL, &IID_IMessage,
                             dst, 0, &problems);
    MAPIFreeBuffer(problems); /* computed properties the copy makes itself */
    if (hr == S_OK)
        hr = drop_bcc(dst);
    if (hr == S_OK)
        hr = set_received(dst, user, pending_reports(src));
    if (hr == S_OK)
        hr = fm_message_save_with(dst, 0, claim_copy, c);
    if (dst != NULL)
        IMessage_Release(dst);
    return hr;
}

HRESULT fm_spool_deliver(fmapi_site *site, const fm_site_entry *user, IMessage *src,
                         const MAPIUID *origin, int64_t qid, bool *skipped)
{
    *skipped = false;
    char *path = fm_site_store_path(site, user->id);
    if (path == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory delivering a message");
    fm_store *rs = NULL;
    HRESULT hr = fm_store_open(path, 0, &rs);
    fm_free(path);
    claim c = { origin, qid, user->id };
    if (hr == S_OK)
        hr = fm_delivered_exists(rs, origin, qid, user->id, skipped);
    char cls[256];
    int64_t fid = 0;
    if (hr == S_OK && !*skipped) /* a full mailbox defers the copy (MAPI_E_STORE_FULL) */
        hr = fm_store_check_receive_quota(rs);
    if (hr == S_OK && !*skipped)
        hr = message_class(src, cls, sizeof cls);
    if (hr == S_OK && !*skipped)
        hr = fm_spool_receive_fid(rs, cls, &fid);
    if (hr == S_OK && !*skipped) {
        hr = copy_into(src, rs, fid, user, &c);
        if (hr == MAPI_E_COLLISION) { /* another spooler saved it meanwhile */
            *skipped = true;
            hr = S_OK;
        }
    }
    fm_store_release(rs);
    return hr;
}
