/*
 * store/bulk_delete.h - deleting messages: IMAPIFolder::DeleteMessages and
 * EmptyFolder, and the batched clearing of a folder that DeleteFolder uses.
 *
 * A delete is soft unless DELETE_HARD_DELETE is given: the message's
 * deleted_at is set (FILETIME of the deletion), so it leaves its folder's
 * contents and every live-message query, but stays recoverable and visible
 * through SHOW_SOFT_DELETES until a purge (bulk_purge.c) frees it. A hard
 * delete removes the message's rows, attachments, recipients and streams
 * (message_tree.c) at once.
 */
#ifndef FREEMAPI_STORE_BULK_DELETE_H
#define FREEMAPI_STORE_BULK_DELETE_H

#include "store/object.h"
#include "store/progress.h"

/* Removes message mid of folder fid, soft or hard, inside the caller's
 * transaction; *removed false when it is not a message of that folder (a
 * hard delete also takes soft-deleted ones) or is submitted and
 * skip_submitted. */
HRESULT fm_bulk_remove_message(fm_store *s, int64_t mid, int64_t fid, bool hard,
                               bool skip_submitted, int64_t now, bool *removed);

/* IMAPIFolder::DeleteMessages of folder o. */
HRESULT fm_bulk_delete_messages(fm_object *o, LPENTRYLIST lpMsgList, LPMAPIPROGRESS lpProgress,
                                ULONG ulFlags);

/* IMAPIFolder::EmptyFolder of folder o. */
HRESULT fm_bulk_empty_folder(fm_object *o, LPMAPIPROGRESS lpProgress, ULONG ulFlags);

/* The messages a clearing of fid removes: live ones (normal, and associated
 * when assoc), and with hard the soft-deleted ones too. */
HRESULT fm_bulk_count_messages(fm_store *s, int64_t fid, bool assoc, bool hard, ULONG *out);

/*
 * Deletes those messages in batches, reporting on pr (*done advanced per
 * message). Submitted messages are kept when skip_submitted (*partial set).
 * No list of IDs is built: each item is the first remaining entry of the
 * folder's index, so memory stays flat whatever the folder's size.
 */
HRESULT fm_bulk_clear_messages(fm_store *s, int64_t fid, bool assoc, bool hard,
                               bool skip_submitted, fm_progress *pr, ULONG *done, bool *partial);

#endif /* FREEMAPI_STORE_BULK_DELETE_H */
