/*
 * freemapi_store.h - opening a message store file directly, without a
 * profile or session (freemapi's extension).
 *
 * A store is one SQLite file holding a mailbox: folders, messages,
 * recipients, attachments. Tools and tests open it here; MAPI programs
 * reach the same stores through a profile's message service and
 * IMAPISession::OpenMsgStore.
 */
#ifndef FREEMAPI_STORE_H
#define FREEMAPI_STORE_H

#include "mapidefs.h"

FREEMAPI_BEGIN_DECLS

/* Flags of fmapi_store_open. */
#define FMAPI_STORE_CREATE ((ULONG)0x00000001)   /* create the file if it is missing */
#define FMAPI_STORE_READONLY ((ULONG)0x00000002) /* open for reading only */

/*
 * Opens the store file at path (UTF-8) and returns its IMsgStore, which the
 * caller releases with IMsgStore_Release. With FMAPI_STORE_CREATE a missing
 * file is created with the standard folder tree (Inbox, Outbox, Sent Items,
 * Deleted Items, Drafts, Calendar, Contacts, Journal, Notes, Tasks, Junk
 * E-mail, under the IPM subtree, and the search root).
 *
 * Errors (text in fmapi_last_error()):
 *   MAPI_E_INVALID_PARAMETER  path or lppMDB is NULL, path is empty
 *   MAPI_E_UNKNOWN_FLAGS      other flags
 *   MAPI_E_NOT_FOUND          no file and no FMAPI_STORE_CREATE
 *   MAPI_E_NO_ACCESS          the file or its directory cannot be written
 *   MAPI_E_CORRUPT_STORE      not a freemapi store, or damaged
 *   MAPI_E_VERSION            written by a newer freemapi
 *   MAPI_E_NOT_ENOUGH_DISK, MAPI_E_NOT_ENOUGH_MEMORY, MAPI_E_BUSY
 */
FREEMAPI_PUBLIC HRESULT fmapi_store_open(const char *path, ULONG ulFlags, LPMDB *lppMDB);

/*
 * Frees for good the messages soft-deleted (IMAPIFolder::DeleteMessages or
 * EmptyFolder without DELETE_HARD_DELETE, DeleteFolder) at least
 * ulMinAgeSeconds ago (0: all of them), with their recipients, attachments
 * and stream data (companion files included), then the deleted folders of
 * that age left empty. The work runs in short batches, so other users of the
 * mailbox are never held up; SQLite reuses the freed pages for new data.
 * lpProgress (may be NULL) is called after every batch as IMAPIProgress
 * describes, and a return other than S_OK stops the purge at that batch
 * with MAPI_E_USER_CANCEL (what was purged stays purged; calling again
 * finishes). *lpcPurged (may be NULL) receives the number of messages freed.
 * lpMDB must be a store opened by freemapi.
 *
 * Errors: MAPI_E_INVALID_PARAMETER (lpMDB NULL), MAPI_E_UNKNOWN_FLAGS
 * (ulFlags must be 0), MAPI_E_NO_ACCESS (store opened read-only),
 * MAPI_E_USER_CANCEL, MAPI_E_BUSY, MAPI_E_NOT_ENOUGH_MEMORY.
 */
FREEMAPI_PUBLIC HRESULT fmapi_store_purge(LPMDB lpMDB, ULONG ulMinAgeSeconds,
                                          LPMAPIPROGRESS lpProgress, ULONG ulFlags,
                                          ULONG *lpcPurged);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_STORE_H */
