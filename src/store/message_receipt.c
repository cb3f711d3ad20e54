/*
 * store/message_receipt.c - the read report (REPORT.<class>.IPNRN) or
 * non-read report (.IPNNRN) of a received message whose sender asked for
 * one (PR_READ_RECEIPT_REQUESTED, PR_NON_RECEIPT_NOTIFICATION_REQUESTED:
 * delivery marks the copy MSGFLAG_RN_PENDING / MSGFLAG_NRN_PENDING).
 *
 * The report is an ordinary submission of the reader's store, made in its
 * Outbox with PR_DELETE_AFTER_SUBMIT: the spooler delivers it into the
 * sender's Inbox when the sender is a site user, and the relay carries it
 * out as an RFC 8098 MDN (libfreemapi-mime writes a report class as
 * multipart/report) when not. It carries what [MS-OXOMSG] gives a report:
 * PR_ORIGINAL_SUBJECT, PR_ORIGINAL_SUBMIT_TIME, PR_ORIGINAL_DISPLAY_TO,
 * PR_REPORT_TIME, the original's Internet message ID (PidTagOriginalMessageId)
 * and PR_PARENT_KEY (the original's search key, which ties the report to it).
 *
 * Sent once: the report is saved and queued in the transaction that clears
 * the pending flags of the original (message_save_with.h), so a crash
 * leaves either both or neither, and no later SetReadFlag finds a report
 * still pending.
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "mapitags.h"
#include "store/message.h"
#include "store/message_receipt.h"
#include "store/message_save_with.h"
#include "store/object.h"
#include "store/store_notify.h"
#include "store/submit_queue.h"

#define PR_ORIGINAL_MESSAGE_ID_A PROP_TAG(PT_STRING8, 0x1046) /* PidTagOriginalMessageId */

enum { O_CLASS, O_SUBJECT, O_SUBMIT, O_TO, O_MSGID, O_PARENT, O_SEARCH, O_NAME, O_TYPE,
       O_EMAIL, O_SMTP, O_COUNT };
static const SizedSPropTagArray(O_COUNT, ORIGINAL_TAGS) = {
    O_COUNT,
    { PR_MESSAGE_CLASS_A, PR_SUBJECT_A, PR_CLIENT_SUBMIT_TIME, PR_DISPLAY_TO_A,
      PR_INTERNET_MESSAGE_ID_A, PR_PARENT_KEY, PR_SEARCH_KEY, PR_SENDER_NAME_A,
      PR_SENDER_ADDRTYPE_A, PR_SENDER_EMAIL_ADDRESS_A, PR_SENDER_SMTP_ADDRESS_A }
};

static const char *str(const SPropValue *v, int i)
{
    return v[i].ulPropTag == ORIGINAL_TAGS.aulPropTag[i] ? v[i].Value.lpszA : NULL;
}

typedef struct done {
    int64_t orig_mid, orig_fid;
    ULONG pending; /* the flag that asks for this report */
    ULONG set;     /* MSGFLAG_READ when the call marks it read, else 0 */
} done;

#define BOTH_PENDING (MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING)

/* In the report's save: queue it, and end the original's pending state. */
static HRESULT queue_and_clear(void *ctx, fm_store *s, int64_t mid, int64_t now)
{
    done *d = ctx;
    HRESULT hr = fm_submit_enqueue(s, mid, now);
    /* Only while the report is still pending in the file: another handle
     * or process that sent it first leaves nothing to send. */
    if (hr == S_OK)
        hr = fm_db_exec_ints(s->db,
                             "UPDATE messages SET flags = (flags & ~?3) | ?4"
                             " WHERE mid = ?1 AND deleted_at IS NULL AND (flags & ?2) != 0",
                             FM_DB_INTS(d->orig_mid, d->pending, BOTH_PENDING, d->set),
                             "SetReadFlag");
    if (hr == S_OK && sqlite3_changes(s->db->conn) == 0)
        hr = MAPI_E_COLLISION; /* rolls the report back: no error text, not a failure */
    if (hr == S_OK)
        hr = fm_store_notify_read(s, d->orig_mid, d->orig_fid);
    return hr;
}

/* The report's own properties, from the original's values o. */
static HRESULT set_report_props(IMessage *r, const SPropValue *o, bool read, int64_t now)
{
    char cls[300], subject[600];
    snprintf(cls, sizeof cls, "REPORT.%s.%s", str(o, O_CLASS) ? str(o, O_CLASS) : "IPM.Note",
             read ? "IPNRN" : "IPNNRN");
    const char *orig_subject = str(o, O_SUBJECT) ? str(o, O_SUBJECT) : "";
    snprintf(subject, sizeof subject, "%s%s", read ? "Read: " : "Not read: ", orig_subject);
    SPropValue v[12];
    ULONG n = 0;
    FILETIME ft = { (ULONG)((uint64_t)now & 0xFFFFFFFFu), (ULONG)((uint64_t)now >> 32) };
    v[n].ulPropTag = PR_MESSAGE_CLASS_A, v[n++].Value.lpszA = cls;
    v[n].ulPropTag = PR_SUBJECT_A, v[n++].Value.lpszA = subject;
    v[n].ulPropTag = PR_ORIGINAL_SUBJECT_A, v[n++].Value.lpszA = (char *)orig_subject;
    v[n].ulPropTag = PR_REPORT_TIME, v[n++].Value.ft = ft;
    v[n].ulPropTag = PR_CLIENT_SUBMIT_TIME, v[n++].Value.ft = ft;
    v[n].ulPropTag = PR_DELETE_AFTER_SUBMIT, v[n++].Value.b = TRUE;
    if (o[O_SUBMIT].ulPropTag == PR_CLIENT_SUBMIT_TIME)
        v[n].ulPropTag = PR_ORIGINAL_SUBMIT_TIME, v[n++].Value.ft = o[O_SUBMIT].Value.ft;
    if (str(o, O_TO))
        v[n].ulPropTag = PR_ORIGINAL_DISPLAY_TO_A, v[n++].Value.lpszA = (char *)str(o, O_TO);
    if (str(o, O_MSGID))
        v[n].ulPropTag = PR_ORIGINAL_MESSAGE_ID_A, v[n++].Value.lpszA = (char *)str(o, O_MSGID);
    /* The original's correlation key: its own parent key when it came with
     * one, else its search key (which a copy keeps from the sent message). */
    if (o[O_PARENT].ulPropTag == PR_PARENT_KEY)
        v[n].ulPropTag = PR_PARENT_KEY, v[n++].Value.bin = o[O_PARENT].Value.bin;
    else if (o[O_SEARCH].ulPropTag == PR_SEARCH_KEY)
        v[n].ulPropTag = PR_PARENT_KEY, v[n++].Value.bin = o[O_SEARCH].Value.bin;
    LPSPropProblemArray problems = NULL;
    HRESULT hr = IMessage_SetProps(r, n, v, &problems);
    if (hr == S_OK && problems != NULL)
        hr = fm_error_set(MAPI_E_CALL_FAILED, "SetReadFlag: property 0x%08lX of the report not set",
                          (unsigned long)problems->aProblem[0].ulPropTag);
    MAPIFreeBuffer(problems);
    return hr;
}

/* The original's sender as the report's one recipient. */
static HRESULT add_sender(IMessage *r, const SPropValue *o)
{
    const char *smtp = str(o, O_SMTP);
    const char *type = str(o, O_TYPE), *email = str(o, O_EMAIL);
    if (smtp == NULL && type != NULL && strcmp(type, "SMTP") == 0)
        smtp = email;
    if (smtp == NULL && email == NULL)
        return fm_error_set(MAPI_E_NOT_FOUND, "SetReadFlag: the message names no sender to "
                                              "send its read report to");
    SPropValue v[5] = {
        { .ulPropTag = PR_DISPLAY_NAME_A },
        { .ulPropTag = PR_ADDRTYPE_A, .Value.lpszA = smtp ? "SMTP" : (char *)type },
        { .ulPropTag = PR_EMAIL_ADDRESS_A, .Value.lpszA = (char *)(smtp ? smtp : email) },
        { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO },
        { .ulPropTag = PR_SMTP_ADDRESS_A, .Value.lpszA = (char *)smtp },
    };
    v[0].Value.lpszA = (char *)(str(o, O_NAME) ? str(o, O_NAME) : v[2].Value.lpszA);
    if (v[1].Value.lpszA == NULL)
        v[1].Value.lpszA = "SMTP";
    ADRLIST list = { 1, { { 0, smtp ? 5 : 4, v } } };
    return IMessage_ModifyRecipients(r, MODRECIP_ADD, &list);
}

HRESULT fm_message_send_receipt(IMessage *msg, fm_message_row *row, bool read, bool set_read)
{
    fm_store *s = fm_object_of(msg)->store;
    ULONG n = 0;
    LPSPropValue o = NULL;
    HRESULT hr = IMessage_GetProps(msg, (LPSPropTagArray)&ORIGINAL_TAGS, 0, &n, &o);
    if (FAILED(hr))
        return hr;
    IMessage *r = NULL;
    int64_t now = fm_store_now();
    hr = fm_message_create(s, s->std_fid[FM_FOLDER_OUTBOX], false, &r);
    if (hr == S_OK)
        hr = set_report_props(r, o, read, now);
    if (hr == S_OK)
        hr = add_sender(r, o);
    if (hr == S_OK) {
        fm_message_set_flags(r, MSGFLAG_READ | MSGFLAG_SUBMIT | MSGFLAG_UNSENT, 0);
        hr = fm_store_transport_prepare(s, r); /* the reader as its sender */
    }
    done d = { row->mid, row->fid, read ? MSGFLAG_RN_PENDING : MSGFLAG_NRN_PENDING,
               set_read ? MSGFLAG_READ : 0 };
    if (hr == S_OK)
        hr = fm_message_save_with(r, 0, queue_and_clear, &d);
    if (r != NULL)
        IMessage_Release(r);
    MAPIFreeBuffer(o);
    if (hr != S_OK && hr != MAPI_E_COLLISION)
        return hr;
    row->flags = (row->flags & ~BOTH_PENDING) | d.set;
    if (hr == S_OK)
        fm_store_transport_kick(s);
    return S_OK;
}
