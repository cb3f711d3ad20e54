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

#include <stdint.h>

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

/*
 * What a store holds and what it occupies on disk (freemapi's extension;
 * `mapi stats` shows it). Sizes are bytes:
 *   file_bytes         the database file (page count x page size);
 *   free_bytes         of those, pages free for reuse (left by deletions and
 *                      purges; SQLite fills them before growing the file);
 *   wal_bytes          the write-ahead log beside it (-wal);
 *   stream_files, stream_file_bytes
 *                      companion files of streams over 1 MiB (<store>-streams/);
 *   folders            folders, the root and soft-deleted ones excluded;
 *   messages, message_bytes
 *                      live messages (normal and associated, not embedded)
 *                      and the sum of their PR_MESSAGE_SIZE;
 *   soft_deleted, soft_deleted_bytes
 *                      messages deleted without DELETE_HARD_DELETE, which
 *                      fmapi_store_purge frees.
 * The counts come from one read transaction, so they agree with each other;
 * the file sizes are read beside it. Counting reads every message row
 * (about a second per million messages), not the message bodies.
 *
 * Errors: MAPI_E_INVALID_PARAMETER (lpMDB or lpStats NULL, or not a store
 * opened by freemapi), MAPI_E_UNKNOWN_FLAGS (ulFlags must be 0), MAPI_E_BUSY,
 * MAPI_E_NOT_ENOUGH_MEMORY, MAPI_E_CORRUPT_STORE.
 */
typedef struct fmapi_store_stats {
    uint64_t file_bytes;
    uint64_t free_bytes;
    uint64_t wal_bytes;
    uint64_t stream_files;
    uint64_t stream_file_bytes;
    uint64_t folders;
    uint64_t messages;
    uint64_t message_bytes;
    uint64_t soft_deleted;
    uint64_t soft_deleted_bytes;
} fmapi_store_stats;

FREEMAPI_PUBLIC HRESULT fmapi_store_get_stats(LPMDB lpMDB, ULONG ulFlags,
                                              fmapi_store_stats *lpStats);

/*
 * Copies the store open as lpMDB, while it is in use, to a new store file
 * at lpszPath (UTF-8) with its companion stream files (lpszPath-streams/):
 * one consistent snapshot, taken through SQLite's online backup API, so
 * other users of the store go on reading and writing meanwhile, and every
 * message saved before the call is in the copy. The copy is made under a
 * temporary name and appears at lpszPath only when complete (0600, its
 * directory 0700, whatever the umask); an existing file is never replaced.
 * ulFlags must be 0.
 *
 * Errors: MAPI_E_INVALID_PARAMETER (NULL or empty), MAPI_E_UNKNOWN_FLAGS,
 * MAPI_E_COLLISION (lpszPath or its streams directory exists),
 * MAPI_E_NOT_ENOUGH_DISK, MAPI_E_NO_ACCESS, MAPI_E_DISK_ERROR,
 * MAPI_E_NOT_ENOUGH_MEMORY, MAPI_E_BUSY (the store kept changing under
 * every try).
 */
FREEMAPI_PUBLIC HRESULT fmapi_store_backup(LPMDB lpMDB, const char *lpszPath, ULONG ulFlags);

/*
 * Makes a new store at lpszPath from the backup lpszBackup (a store file
 * fmapi_store_backup made, with its streams), the same way: complete or not
 * at all, never over an existing file (move a damaged store aside first).
 * The backup is checked to be a freemapi store; it is only read.
 *
 * Errors: as fmapi_store_backup, plus MAPI_E_NOT_FOUND (no backup there),
 * MAPI_E_CORRUPT_STORE (not a store), MAPI_E_VERSION (from a newer freemapi).
 */
FREEMAPI_PUBLIC HRESULT fmapi_store_restore(const char *lpszBackup, const char *lpszPath,
                                           ULONG ulFlags);

/*
 * Sets a mailbox's quota ([MS-OXCSTOR] 2.2.2.1.1; an administrator's
 * setting, which clients read as the store's computed properties and
 * cannot change): ulPropTag PR_PROHIBIT_RECEIVE_QUOTA (no mail delivered
 * once the mailbox has reached it), PR_PROHIBIT_SEND_QUOTA (SubmitMessage
 * fails with MAPI_E_STORE_FULL once reached) or PR_STORAGE_QUOTA_LIMIT (a
 * warning level, reported only); lKB in KB, -1 for no limit. The mailbox's
 * size is the store's PR_MESSAGE_SIZE_EXTENDED (bytes). Errors:
 * MAPI_E_INVALID_PARAMETER, MAPI_E_NO_ACCESS (read-only), write errors.
 */
FREEMAPI_PUBLIC HRESULT fmapi_store_set_quota(LPMDB lpMDB, ULONG ulPropTag, LONG lKB);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_STORE_H */
