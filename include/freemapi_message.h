/*
 * freemapi_message.h - saving many new or changed messages in one
 * transaction (freemapi's extension).
 *
 * IMessage::SaveChanges commits each message on its own, as MAPI requires:
 * when it returns, the message is in the store for every other process and
 * survives a crash of this one. A commit is the dearest part of a save, so
 * a program that writes messages in bulk (an import) may instead save them
 * in groups: one transaction, all of the group or none of it.
 */
#ifndef FREEMAPI_MESSAGE_H
#define FREEMAPI_MESSAGE_H

#include "mapidefs.h"

FREEMAPI_BEGIN_DECLS

/* The most messages one group may hold. A group holds the store's write
 * lock while it is written (tens of milliseconds at this size), so other
 * writers wait that long at most. */
#define FMAPI_SAVE_GROUP_MAX 1000

/*
 * Saves cMessages messages, as IMessage_SaveChanges(ulFlags) would save
 * each, in one transaction: when it returns S_OK all are saved, otherwise
 * none is and each message is as it was before the call (its changes still
 * pending, so the call can be retried or the messages saved one by one).
 *
 * The messages must be top-level messages (not embedded ones) of one store,
 * opened or created for writing, each at most once. ulFlags:
 * KEEP_OPEN_READONLY, KEEP_OPEN_READWRITE, FORCE_SAVE, MAPI_DEFERRED_ERRORS.
 *
 * Errors (text in fmapi_last_error(), naming the message at fault):
 *   MAPI_E_INVALID_PARAMETER  lppMessages NULL, cMessages 0 or above
 *                             FMAPI_SAVE_GROUP_MAX, a NULL or foreign or
 *                             embedded message, one listed twice, messages
 *                             of different stores, both KEEP_OPEN flags
 *   MAPI_E_UNKNOWN_FLAGS      other flags
 *   MAPI_E_NO_ACCESS          a message opened read-only
 *   MAPI_E_OBJECT_CHANGED, MAPI_E_OBJECT_DELETED  as SaveChanges
 *   MAPI_E_NOT_ENOUGH_MEMORY, MAPI_E_NOT_ENOUGH_DISK, MAPI_E_BUSY, ...
 */
FREEMAPI_PUBLIC HRESULT fmapi_message_save_group(ULONG cMessages, LPMESSAGE *lppMessages,
                                                 ULONG ulFlags);

/*
 * Saves a new message delivered from outside (LMTP, `mapi deliver`) once:
 * with SaveChanges(0) and, in the same transaction, a record of lpKey
 * (FMAPI_DELIVERY_KEY_SIZE bytes, the deliverer's name for this copy, for
 * example a hash of the message's bytes and its recipient). When the store
 * already holds that record (a copy saved by an earlier attempt whose
 * acknowledgement was lost: the MTA's retry after a crash) nothing is saved
 * and the answer is MAPI_E_COLLISION. Records are kept 3 days.
 * Errors otherwise as SaveChanges.
 */
#define FMAPI_DELIVERY_KEY_SIZE 24
FREEMAPI_PUBLIC HRESULT fmapi_message_save_delivery(LPMESSAGE lpMessage, const BYTE *lpKey);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_MESSAGE_H */
