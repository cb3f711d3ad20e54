/*
 * store/folder_ops.h - the database side of folders: reading and writing
 * folder rows, creating subfolders, and the per-message operations a folder
 * offers (status bits, read flags).
 */
#ifndef FREEMAPI_STORE_FOLDER_OPS_H
#define FREEMAPI_STORE_FOLDER_OPS_H

#include "store/object.h"

typedef struct fm_folder_row {
    int64_t parent_fid;
    ULONG folder_type;
    int64_t created;
    int64_t modified;
    char *display_name; /* fm_malloc */
    void *props;        /* fm_malloc */
    size_t props_len;
} fm_folder_row;

/* MAPI_E_NOT_FOUND when fid is not a live folder. */
HRESULT fm_folder_read(fm_store *s, int64_t fid, fm_folder_row *row);
void fm_folder_row_free(fm_folder_row *row);

/* Rewrites a folder's name and properties (inside a transaction, store
 * locked). MAPI_E_COLLISION when a sibling has the name. */
HRESULT fm_folder_write(fm_store *s, int64_t fid, const char *name, const void *blob,
                        size_t len, int64_t now);

/* The live child of parent named name (ignoring case): *fid, or 0 (store
 * locked). */
HRESULT fm_folder_find_child(fm_store *s, int64_t parent, const char *name, int64_t *fid);

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

#endif /* FREEMAPI_STORE_FOLDER_OPS_H */
