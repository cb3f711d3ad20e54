/*
 * store/message_tables.h - an open message's recipient and attachment
 * tables (message_tables.c), and what they need from the message.
 */
#ifndef FREEMAPI_STORE_MESSAGE_TABLES_H
#define FREEMAPI_STORE_MESSAGE_TABLES_H

#include "store/attachments.h"
#include "store/object.h"
#include "store/recipients.h"

/* The message's rows, loaded (from its saved state the first time) as the
 * caller currently sees them, unsaved changes included. Call with the
 * message's lock held. */
HRESULT fm_message_recipients(fm_object *msg, fm_recipients **out);
HRESULT fm_message_attachments(fm_object *msg, fm_attachments **out);

/* GetRecipientTable / GetAttachmentTable of message msg (flags:
 * MAPI_UNICODE). The table holds a reference to msg and shows its rows as
 * they are at each call. */
HRESULT fm_recipient_table_open(IMessage *msg, ULONG flags, IMAPITable **out);
HRESULT fm_attachment_table_open(IMessage *msg, ULONG flags, IMAPITable **out);

#endif /* FREEMAPI_STORE_MESSAGE_TABLES_H */
