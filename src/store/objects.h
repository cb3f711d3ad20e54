/*
 * store/objects.h - constructors of the store's MAPI objects, for the code
 * that hands them out (OpenEntry, CreateFolder, CreateMessage, ...).
 *
 * Each returns a new object holding one reference (the caller's) and a
 * reference to the store.
 */
#ifndef FREEMAPI_STORE_OBJECTS_H
#define FREEMAPI_STORE_OBJECTS_H

#include "store/message_row.h"
#include "store/store.h"

/* An existing folder. MAPI_E_NOT_FOUND when fid does not exist (or was
 * deleted). */
HRESULT fm_folder_open(fm_store *s, int64_t fid, bool writable, IMAPIFolder **out);

/* An existing message, as saved. MAPI_E_NOT_FOUND when it does not exist. */
HRESULT fm_message_open(fm_store *s, int64_t mid, bool writable, IMessage **out);

/* fmapi_message_save_group's view of one message: checks that msg is a
 * top-level message of ours opened for writing and prepares its save
 * (fm_message_save_prepare); after the group committed, _saved marks it
 * saved as SaveChanges(flags) would. The caller holds the object's lock. */
bool fm_message_is_ours(IMessage *msg);
HRESULT fm_message_group_prepare(IMessage *msg, ULONG flags, fm_message_save *sv);
void fm_message_group_saved(IMessage *msg, ULONG flags);

/* A new message in folder fid, not in the store until SaveChanges. */
HRESULT fm_message_create(fm_store *s, int64_t fid, bool associated, IMessage **out);

/* Whether folder fid exists (and is not deleted). */
HRESULT fm_folder_exists(fm_store *s, int64_t fid);

/* OpenEntry, shared by IMsgStore and IMAPIFolder. */
HRESULT fm_store_open_entry(fm_store *s, ULONG cbEntryID, LPENTRYID lpEntryID,
                            LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                            LPUNKNOWN *lppUnk, IMsgStore *self);

/* CompareEntryIDs, shared by IMsgStore and IMAPIFolder. */
HRESULT fm_store_compare_entryids(fm_store *s, ULONG cb1, LPENTRYID e1, ULONG cb2, LPENTRYID e2,
                                  ULONG ulFlags, ULONG *lpulResult);

#endif /* FREEMAPI_STORE_OBJECTS_H */
