/*
 * store/objects.h - constructors of the store's MAPI objects, for the code
 * that hands them out (OpenEntry, CreateFolder, CreateMessage, ...).
 *
 * Each returns a new object holding one reference (the caller's) and a
 * reference to the store.
 */
#ifndef FREEMAPI_STORE_OBJECTS_H
#define FREEMAPI_STORE_OBJECTS_H

#include "store/store.h"

/* The IMsgStore of an open store. */
HRESULT fm_msgstore_new(fm_store *s, IMsgStore **out);

/* An existing folder. MAPI_E_NOT_FOUND when fid does not exist (or was
 * deleted). */
HRESULT fm_folder_open(fm_store *s, int64_t fid, bool writable, IMAPIFolder **out);

/* An existing message, as saved. MAPI_E_NOT_FOUND when it does not exist. */
HRESULT fm_message_open(fm_store *s, int64_t mid, bool writable, IMessage **out);

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
