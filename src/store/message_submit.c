/*
 * store/message_submit.c - IMessage::SubmitMessage and IMsgStore::AbortSubmit.
 *
 * SubmitMessage saves the message and queues it in one transaction
 * (store/submit_queue.h), so once it returns S_OK the message is both saved
 * and queued, and a crash loses neither. As documented: MAPI_E_NO_RECIPIENTS
 * for an empty recipient table (the message stays open and usable);
 * PR_CLIENT_SUBMIT_TIME is set to now and PR_MESSAGE_FLAGS gains
 * MSGFLAG_SUBMIT (MSGFLAG_UNSENT stays until it is sent); afterwards the
 * caller's pointer only serves to Release it. While queued the message is
 * locked: saving over it is MAPI_E_SUBMITTED (message_row.c) and
 * DeleteMessages leaves it (bulk_delete.c); a mailbox at its send quota
 * submits nothing (MAPI_E_STORE_FULL, store_quota.c); AbortSubmit takes it back
 * until a spooler has taken it (PR_SUBMIT_FLAGS then has SUBMITFLAG_LOCKED).
 * The store's transport hook (store.h) is told after the commit, so a
 * spooler may deliver at once.
 */
#include <string.h>

#include "core/alloc.h"
#include "mapitags.h"
#include "store/entryid.h"
#include "store/message.h"
#include "store/message_save_with.h"
#include "store/message_submit.h"
#include "store/message_tables.h"
#include "store/object.h"
#include "store/store_quota.h"
#include "store/submit_queue.h"

static HRESULT enqueue(void *ctx, fm_store *s, int64_t mid, int64_t now)
{
    (void)ctx;
    return fm_submit_enqueue(s, mid, now);
}

static HRESULT count_recipients(fm_object *o, size_t *n)
{
    fm_recipients *r = NULL;
    pthread_mutex_lock(&o->lock);
    HRESULT hr = fm_message_recipients(o, &r);
    *n = hr == S_OK ? r->n : 0;
    pthread_mutex_unlock(&o->lock);
    return hr;
}

static HRESULT set_submit_time(fm_object *o, int64_t now)
{
    SPropValue v = { .ulPropTag = PR_CLIENT_SUBMIT_TIME };
    v.Value.ft.dwLowDateTime = (ULONG)((uint64_t)now & 0xFFFFFFFFu);
    v.Value.ft.dwHighDateTime = (ULONG)((uint64_t)now >> 32);
    LPSPropProblemArray problems = NULL;
    HRESULT hr = IPropData_SetProps(o->bag, 1, &v, &problems);
    if (hr == S_OK && problems != NULL)
        hr = fm_error_set(MAPI_E_CALL_FAILED, "SubmitMessage: PR_CLIENT_SUBMIT_TIME not set");
    MAPIFreeBuffer(problems);
    return hr;
}

HRESULT fm_message_submit(IMessage *msg, ULONG ulFlags)
{
    fm_object *o = fm_object_of(msg);
    if (ulFlags & ~(ULONG)FORCE_SUBMIT)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "SubmitMessage: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~(ULONG)FORCE_SUBMIT));
    if (!o->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "SubmitMessage: the message is read-only "
                                              "(or was already submitted)");
    if (fm_message_is_embedded(msg))
        return fm_error_set(MAPI_E_NO_SUPPORT, "SubmitMessage: an embedded message is sent "
                                               "with the message that holds it");
    size_t n = 0;
    HRESULT hr = count_recipients(o, &n);
    if (hr == S_OK && n == 0)
        return fm_error_set(MAPI_E_NO_RECIPIENTS, "SubmitMessage: the message's recipient "
                                                  "table is empty");
    if (hr == S_OK) /* a mailbox at its send quota sends no more (store_quota.c) */
        hr = fm_store_check_send_quota(o->store);
    if (hr != S_OK)
        return hr;
    ULONG before = fm_message_set_flags(msg, MSGFLAG_SUBMIT | MSGFLAG_UNSENT, 0);
    hr = set_submit_time(o, fm_store_now());
    if (hr == S_OK)
        hr = fm_store_transport_prepare(o->store, msg);
    if (hr == S_OK)
        hr = fm_message_save_with(msg, 0, enqueue, NULL);
    if (hr != S_OK) {
        /* Not submitted: the message stays open as it was. */
        fm_message_set_flags(msg, before, ~(ULONG)0);
        return hr;
    }
    o->writable = false;
    fm_store_transport_kick(o->store);
    return S_OK;
}

HRESULT fm_msgstore_abort_submit(fm_store *s, ULONG cbEntryID, LPENTRYID lpEntryID,
                                 ULONG ulFlags)
{
    if (ulFlags != 0)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "AbortSubmit: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    MAPIUID uid;
    int kind = 0;
    uint64_t id = 0;
    HRESULT hr = fm_entryid_parse(cbEntryID, lpEntryID, &uid, &kind, &id);
    if (hr == S_OK && (kind != FM_EID_MESSAGE || memcmp(uid.ab, s->uid.ab, 16) != 0))
        hr = fm_error_set(MAPI_E_INVALID_ENTRYID, "AbortSubmit: not a message of this store");
    if (hr == S_OK)
        hr = fm_submit_abort(s, (int64_t)id);
    return hr;
}
