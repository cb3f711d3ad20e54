/*
 * store/bulk_folder.h - deleting, copying and moving folder trees:
 * IMAPIFolder::DeleteFolder and CopyFolder, and the subfolder part of
 * EmptyFolder.
 *
 * A tree is walked depth first without a list of its folders: the next
 * folder to delete (or move) is the first live child of the current one,
 * which it leaves once done; copies walk children by fid. Every folder's
 * messages go in bounded batches (bulk_batch.h), and each folder row changes
 * in a transaction of its own, so a cancel or a crash leaves a consistent
 * store: every folder either whole, emptied in part, or gone.
 *
 * Deleted folders are soft-deleted (folders.deleted_at, their messages too)
 * unless DELETE_HARD_DELETE; a purge frees them (bulk_purge.c).
 */
#ifndef FREEMAPI_STORE_BULK_FOLDER_H
#define FREEMAPI_STORE_BULK_FOLDER_H

#include "store/object.h"
#include "store/progress.h"

/* The live direct subfolders of fid. */
HRESULT fm_bulk_count_subfolders(fm_store *s, int64_t fid, ULONG *out);

/* Deletes every live subfolder of fid with its tree: one item of pr each
 * (*done advanced), their contents reported as nested work. The root, the
 * IPM subtree, the search root and the standard folders are never deleted:
 * one met is kept (with the folders above it) and *kept set. */
HRESULT fm_bulk_delete_children(fm_store *s, int64_t fid, bool hard, fm_progress *pr,
                                ULONG *done, bool *kept);

/* IMAPIFolder::DeleteFolder on folder o. */
HRESULT fm_bulk_delete_folder(fm_object *o, ULONG cbEntryID, LPENTRYID lpEntryID,
                              LPMAPIPROGRESS lpProgress, ULONG ulFlags);

/* IMAPIFolder::CopyFolder on folder o. */
HRESULT fm_bulk_copy_folder(fm_object *o, ULONG cbEntryID, LPENTRYID lpEntryID,
                            LPCIID lpInterface, LPVOID lpDestFolder, LPTSTR lpszNewFolderName,
                            LPMAPIPROGRESS lpProgress, ULONG ulFlags);

#endif /* FREEMAPI_STORE_BULK_FOLDER_H */
