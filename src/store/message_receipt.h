/*
 * store/message_receipt.h - read and non-read reports of a received message
 * (message_receipt.c), the part of IMessage::SetReadFlag that sends them.
 */
#ifndef FREEMAPI_STORE_MESSAGE_RECEIPT_H
#define FREEMAPI_STORE_MESSAGE_RECEIPT_H

#include "mapidefs.h"
#include "store/message_row.h"
#include "store/store.h"

/*
 * Sends the report of message msg (row, its row as read; the caller holds
 * neither its lock nor the store's): a read report (REPORT.<class>.IPNRN)
 * when read, else a non-read report (.IPNNRN), to its sender. The report
 * is queued in this store's outgoing queue in the one transaction that
 * also clears MSGFLAG_RN_PENDING and MSGFLAG_NRN_PENDING on msg and, when
 * set_read, sets MSGFLAG_READ: a report is queued at most once. Then the
 * store's transport, if any, is told (as after SubmitMessage).
 */
HRESULT fm_message_send_receipt(IMessage *msg, fm_message_row *row, bool read, bool set_read);

#endif /* FREEMAPI_STORE_MESSAGE_RECEIPT_H */
