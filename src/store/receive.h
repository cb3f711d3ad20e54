/*
 * store/receive.h - receive folders: which folder new messages of a message
 * class are delivered to (IMsgStore::SetReceiveFolder / GetReceiveFolder).
 *
 * Matching is by the longest prefix of whole dot-separated components,
 * ignoring case: a folder set for "IPM.Note" receives "IPM.Note.Secure" but
 * not "IPM.Notes". The empty class is the default, the Inbox unless set.
 */
#ifndef FREEMAPI_STORE_RECEIVE_H
#define FREEMAPI_STORE_RECEIVE_H

#include "store/store.h"

/* Longest message class accepted, in bytes of UTF-8. */
#define FM_MESSAGE_CLASS_MAX 255

/* lpszClass is UTF-16 when ulFlags has MAPI_UNICODE. A NULL entry ID removes
 * the class's association (the default class then goes back to the Inbox). */
HRESULT fm_receive_set(fm_store *s, LPTSTR lpszClass, ULONG ulFlags, ULONG cbEntryID,
                       LPENTRYID lpEntryID);

/* The folder for lpszClass and the class that chose it (in the caller's
 * width), both as MAPI buffers the caller frees. */
HRESULT fm_receive_get(fm_store *s, LPTSTR lpszClass, ULONG ulFlags, ULONG *lpcbEntryID,
                       LPENTRYID *lppEntryID, LPTSTR *lppszExplicitClass);

#endif /* FREEMAPI_STORE_RECEIVE_H */
