/*
 * store/message_submit.h - IMessage::SubmitMessage and IMsgStore::AbortSubmit
 * (message_submit.c).
 */
#ifndef FREEMAPI_STORE_MESSAGE_SUBMIT_H
#define FREEMAPI_STORE_MESSAGE_SUBMIT_H

#include "mapidefs.h"
#include "store/store.h"

/* IMessage::SubmitMessage of a message of ours. */
HRESULT fm_message_submit(IMessage *msg, ULONG ulFlags);

/* IMsgStore::AbortSubmit of store s. */
HRESULT fm_msgstore_abort_submit(fm_store *s, ULONG cbEntryID, LPENTRYID lpEntryID,
                                 ULONG ulFlags);

#endif /* FREEMAPI_STORE_MESSAGE_SUBMIT_H */
