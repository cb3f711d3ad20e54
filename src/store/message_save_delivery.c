/*
 * store/message_save_delivery.c - fmapi_message_save_delivery: a message
 * delivered from outside saved at most once per delivery key
 * (freemapi_message.h).
 *
 * An MTA retries a delivery whose acknowledgement it did not get: when the
 * deliverer died between its commit and its "250", the retry brings the
 * same message again. The key the deliverer derives from the message and
 * its recipient is recorded in the `delivered` table (submit_queue.h) in the
 * transaction that saves the message, so the retry finds the record and
 * saves nothing. The key's 24 bytes are the record's origin (16) and a
 * positive sequence number (8), so the spooler's pruning of old records
 * covers them too.
 */
#include <string.h>

#include "core/error.h"
#include "freemapi_message.h"
#include "store/message_save_with.h"
#include "store/object.h"
#include "store/submit_queue.h"

typedef struct delivery_key {
    MAPIUID origin;
    int64_t seq;
} delivery_key;

static HRESULT claim_key(void *ctx, fm_store *s, int64_t mid, int64_t now)
{
    const delivery_key *k = ctx;
    return fm_delivered_claim(s, &k->origin, k->seq, 0, mid, now);
}

FREEMAPI_PUBLIC HRESULT fmapi_message_save_delivery(LPMESSAGE lpMessage, const BYTE *lpKey)
{
    if (lpMessage == NULL || lpKey == NULL ||
        fm_object_of(lpMessage)->cls->obj_type != MAPI_MESSAGE)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "fmapi_message_save_delivery: a message and a key are needed");
    delivery_key k;
    memcpy(k.origin.ab, lpKey, 16);
    uint64_t seq = 0;
    for (int i = 0; i < 8; i++)
        seq = (seq << 8) | lpKey[16 + i];
    seq &= (uint64_t)INT64_MAX; /* positive: a copy's record, not a move's */
    k.seq = seq == 0 ? 1 : (int64_t)seq;
    HRESULT hr = fm_message_save_with(lpMessage, 0, claim_key, &k);
    if (hr == MAPI_E_COLLISION)
        fm_error_set(MAPI_E_COLLISION, "this message was delivered here already");
    return hr;
}
