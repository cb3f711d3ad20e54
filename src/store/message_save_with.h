/*
 * store/message_save_with.h - one message's save with the caller's own
 * statements in the same transaction (message_save_with.c): SubmitMessage
 * queues the message it saves, a delivery records the copy it saves.
 */
#ifndef FREEMAPI_STORE_MESSAGE_SAVE_WITH_H
#define FREEMAPI_STORE_MESSAGE_SAVE_WITH_H

#include "mapidefs.h"
#include "store/store.h"

/* Runs inside the save's transaction once the message's rows are written
 * (mid is its id); any failure rolls the whole save back. */
typedef HRESULT (*fm_save_with_fn)(void *ctx, fm_store *s, int64_t mid, int64_t now);

/*
 * Saves msg (a top-level message of a freemapi store opened for writing) as
 * SaveChanges(ulFlags) would, running fn in the same transaction. On failure
 * nothing is written and the message stays as it was, open and unsaved.
 * The caller must not hold the message's lock.
 */
HRESULT fm_message_save_with(IMessage *msg, ULONG ulFlags, fm_save_with_fn fn, void *ctx);

#endif /* FREEMAPI_STORE_MESSAGE_SAVE_WITH_H */
