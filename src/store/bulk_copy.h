/*
 * store/bulk_copy.h - copying and moving messages: IMAPIFolder::CopyMessages,
 * and the per-folder copies CopyFolder makes.
 *
 * Within one store a move is an UPDATE of the message's fid: one row
 * changes in one transaction, so a move leaves the message in exactly one
 * place whenever the process is killed. A copy within the store clones the
 * message's rows (message_tree.c). Across stores each message goes through
 * the public IMessage::CopyTo into a new message of the destination, saved
 * on its own (one destination transaction per message); a move deletes the
 * source only after that save committed. A failed deletion of the source
 * takes the copy back, and a copy into a freemapi store carries a "moved
 * from" key (the source store's UID and message id, in the destination's
 * delivered table), so a move run again after a crash between the two finds
 * the copy and finishes by deleting the source: never two copies once the
 * move is re-run, never none. A folder copy that fails takes back the folder
 * it created (bulk_folder.c).
 */
#ifndef FREEMAPI_STORE_BULK_COPY_H
#define FREEMAPI_STORE_BULK_COPY_H

#include "store/object.h"
#include "store/progress.h"

/* Where messages go: a folder of the same store file (local, by fid), or
 * any IMAPIFolder (remote, through the public interface). */
typedef struct fm_bulk_dest {
    int64_t fid;        /* local: the folder; 0 when remote */
    IMAPIFolder *remote; /* remote: the folder (borrowed) */
} fm_bulk_dest;

/* Resolves dest for a copy out of store s: local when it is a folder of a
 * store file with s's UID. */
HRESULT fm_bulk_dest_of(fm_store *s, void *dest, fm_bulk_dest *out);

/* IMAPIFolder::CopyMessages of folder o. */
HRESULT fm_bulk_copy_messages(fm_object *o, LPENTRYLIST lpMsgList, LPCIID lpInterface,
                              LPVOID lpDestFolder, LPMAPIPROGRESS lpProgress, ULONG ulFlags);

/* Copies (moves) every live message of folder from, normal and associated,
 * to d in batches, reporting on pr with *done advanced per message. */
HRESULT fm_bulk_copy_folder_messages(fm_store *s, int64_t from, const fm_bulk_dest *d,
                                     bool move, fm_progress *pr, ULONG *done);

#endif /* FREEMAPI_STORE_BULK_COPY_H */
