/*
 * store/folder.h - IMAPIFolder (folder.c) and its methods kept in files of
 * their own: CreateFolder (folder_create.c), Get/SetMessageStatus
 * (folder_status.c), SetReadFlags (folder_readflags.c); the bulk ones are
 * in bulk_*.c (bulk_folder.h, bulk_copy.h, bulk_delete.h).
 */
#ifndef FREEMAPI_STORE_FOLDER_H
#define FREEMAPI_STORE_FOLDER_H

#include "store/object.h"

/* An existing folder: a new object holding one reference (the caller's)
 * and a reference to the store. MAPI_E_NOT_FOUND when fid does not exist
 * (or was deleted). */
HRESULT fm_folder_open(fm_store *s, int64_t fid, bool writable, IMAPIFolder **out);

/* IMAPIFolder::CreateFolder on folder o. */
HRESULT fm_folder_create_child(fm_object *o, ULONG ulFolderType, LPTSTR lpszFolderName,
                               LPTSTR lpszFolderComment, LPCIID lpInterface, ULONG ulFlags,
                               LPMAPIFOLDER *lppFolder);

/* GetMessageStatus (set false) or SetMessageStatus (set true) of a message
 * in folder o. */
HRESULT fm_folder_message_status(fm_object *o, ULONG cbEntryID, LPENTRYID lpEntryID,
                                 ULONG ulFlags, ULONG ulNewStatus, ULONG ulMask, ULONG *lpulStatus,
                                 bool set);

/* The mid of a message of store s named by an entry ID: MAPI_E_INVALID_ENTRYID
 * (not a message entry ID), MAPI_E_UNKNOWN_ENTRYID (another store's). */
HRESULT fm_folder_message_id(fm_store *s, ULONG cb, LPENTRYID eid, int64_t *mid);

/* IMAPIFolder::SetReadFlags on folder o (lpMsgList NULL: every message). */
HRESULT fm_folder_set_read_flags(fm_object *o, LPENTRYLIST lpMsgList, LPMAPIPROGRESS lpProgress,
                                 ULONG ulFlags);

/* The store object of iface when it is a folder of a freemapi store (its
 * vtable is ours), else NULL: bulk operations take a fast path between
 * folders of one store file. */
fm_object *fm_folder_local(void *iface);

#endif /* FREEMAPI_STORE_FOLDER_H */
