/*
 * store/message.h - IMessage (message.c): opening and creating messages,
 * and what fmapi_message_save_group (message_save_group.c) asks of one.
 */
#ifndef FREEMAPI_STORE_MESSAGE_H
#define FREEMAPI_STORE_MESSAGE_H

#include "store/message_row.h"
#include "store/store.h"

/* An existing message, as saved: a new object holding one reference (the
 * caller's) and a reference to the store. MAPI_E_NOT_FOUND when it does
 * not exist. */
HRESULT fm_message_open(fm_store *s, int64_t mid, bool writable, IMessage **out);

/* A new message in folder fid, not in the store until SaveChanges. */
HRESULT fm_message_create(fm_store *s, int64_t fid, bool associated, IMessage **out);

/* fmapi_message_save_group's view of one message: checks that msg is a
 * top-level message of ours opened for writing and prepares its save
 * (fm_message_save_prepare); after the group committed, _saved marks it
 * saved as SaveChanges(flags) would. The caller holds the object's lock. */
bool fm_message_is_ours(IMessage *msg);
HRESULT fm_message_group_prepare(IMessage *msg, ULONG flags, fm_message_save *sv);
void fm_message_group_saved(IMessage *msg, ULONG flags);

/* Whether msg (ours) is an embedded message. */
bool fm_message_is_embedded(IMessage *msg);
/* Sets the stored PR_MESSAGE_FLAGS bits of msg (ours) to (flags & ~clear) |
 * set, written at its next save; returns the bits as they were. */
ULONG fm_message_set_flags(IMessage *msg, ULONG set, ULONG clear);

#endif /* FREEMAPI_STORE_MESSAGE_H */
