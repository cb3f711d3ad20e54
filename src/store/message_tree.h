/*
 * store/message_tree.h - a message with everything under it: its recipients,
 * attachments, their data and their embedded messages, to any depth.
 *
 * Embedded messages are message rows without a folder whose parent_attach
 * names the attachment holding them. While one is being written and its
 * parent message is not yet saved, it is a *scratch* message: parent_attach
 * is the negated pid of the writing process, which makes it invisible to
 * everyone and collectable once that process is gone (as scratch streams).
 */
#ifndef FREEMAPI_STORE_MESSAGE_TREE_H
#define FREEMAPI_STORE_MESSAGE_TREE_H

#include "store/store.h"

/* parent_attach of a scratch embedded message written by this process. */
int64_t fm_message_scratch_marker(void);

/* Deletes message mid and everything under it (inside a transaction). */
HRESULT fm_message_delete_tree(fm_db *db, int64_t mid);

/* Deletes the embedded messages held by attachment aid (inside a transaction). */
HRESULT fm_message_delete_embedded_of(fm_db *db, int64_t aid);

/* Links scratch embedded message mid to attachment aid, replacing what aid
 * held before (inside a transaction). */
HRESULT fm_message_adopt_embedded(fm_db *db, int64_t mid, int64_t aid);

/* Deletes a scratch embedded message (and its tree) in its own transaction:
 * a release without saving. */
void fm_message_drop_scratch(fm_store *s, int64_t mid);

/* Copies message mid with everything under it into a new message whose
 * parent_attach is parent_attach (a scratch marker, or an attachment);
 * *new_mid receives it. Inside a transaction. */
HRESULT fm_message_clone_tree(fm_db *db, int64_t mid, int64_t parent_attach, int64_t *new_mid);

/* Removes the scratch messages of writers that are gone (store open). */
HRESULT fm_message_collect_garbage(fm_db *db);

#endif /* FREEMAPI_STORE_MESSAGE_TREE_H */
