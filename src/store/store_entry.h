/*
 * store/store_entry.h - OpenEntry and CompareEntryIDs (store_entry.c),
 * shared by IMsgStore and IMAPIFolder.
 */
#ifndef FREEMAPI_STORE_STORE_ENTRY_H
#define FREEMAPI_STORE_STORE_ENTRY_H

#include "store/store.h"

/* OpenEntry: the folder or message an entry ID of this store names (self:
 * the IMsgStore answering, for the store's own entry ID; NULL from a
 * folder). */
HRESULT fm_store_open_entry(fm_store *s, ULONG cbEntryID, LPENTRYID lpEntryID,
                            LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                            LPUNKNOWN *lppUnk, IMsgStore *self);

/* CompareEntryIDs. */
HRESULT fm_store_compare_entryids(fm_store *s, ULONG cb1, LPENTRYID e1, ULONG cb2, LPENTRYID e2,
                                  ULONG ulFlags, ULONG *lpulResult);

#endif /* FREEMAPI_STORE_STORE_ENTRY_H */
