/*
 * store/store_entry.c - OpenEntry and CompareEntryIDs: from an entry ID to
 * the object it names.
 *
 * An empty entry ID opens the root folder (documented for IMsgStore). An ID
 * that is not a freemapi store entry ID is MAPI_E_INVALID_ENTRYID; one of
 * another store is MAPI_E_UNKNOWN_ENTRYID, so a session can tell "not mine"
 * from "malformed" and route it to the right store.
 */
#include <string.h>

#include "core/error.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "store/entryid.h"
#include "store/folder.h"
#include "store/folder_acl.h"
#include "store/message.h"
#include "store/store_entry.h"

#define OPEN_FLAGS (MAPI_MODIFY | MAPI_BEST_ACCESS | MAPI_DEFERRED_ERRORS | SHOW_SOFT_DELETES)

static bool folder_iid(LPCIID iid)
{
    return iid == NULL || IsEqualIID(iid, &IID_IMAPIFolder) ||
           IsEqualIID(iid, &IID_IMAPIContainer) || IsEqualIID(iid, &IID_IMAPIProp) ||
           IsEqualIID(iid, &IID_IUnknown);
}

static bool message_iid(LPCIID iid)
{
    return iid == NULL || IsEqualIID(iid, &IID_IMessage) || IsEqualIID(iid, &IID_IMAPIProp) ||
           IsEqualIID(iid, &IID_IUnknown);
}

static bool store_iid(LPCIID iid)
{
    return iid == NULL || IsEqualIID(iid, &IID_IMsgStore) || IsEqualIID(iid, &IID_IMAPIProp) ||
           IsEqualIID(iid, &IID_IUnknown);
}

/* Parses an entry ID of this store. */
static HRESULT parse_own(fm_store *s, ULONG cb, LPENTRYID eid, int *kind, int64_t *id)
{
    MAPIUID uid;
    uint64_t raw;
    HRESULT hr = fm_entryid_parse(cb, eid, &uid, kind, &raw);
    if (hr != S_OK)
        return hr;
    if (memcmp(uid.ab, s->uid.ab, sizeof uid.ab) != 0)
        return fm_error_set(MAPI_E_UNKNOWN_ENTRYID, "the entry ID belongs to another store");
    *id = (int64_t)raw;
    return S_OK;
}

HRESULT fm_store_open_entry(fm_store *s, ULONG cbEntryID, LPENTRYID lpEntryID,
                            LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                            LPUNKNOWN *lppUnk, IMsgStore *self)
{
    if (lpulObjType == NULL || lppUnk == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenEntry: NULL out pointer");
    *lppUnk = NULL;
    *lpulObjType = 0;
    HRESULT denied = fm_store_check_access(s);
    if (denied != S_OK)
        return denied;
    if (ulFlags & ~OPEN_FLAGS)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "OpenEntry: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~OPEN_FLAGS));
    if (cbEntryID > 0 && lpEntryID == NULL)
        return fm_error_set(MAPI_E_INVALID_ENTRYID, "OpenEntry: lpEntryID is NULL");
    int kind = FM_EID_FOLDER;
    int64_t id = s->std_fid[FM_FOLDER_ROOT];
    if (cbEntryID > 0) {
        HRESULT hr = parse_own(s, cbEntryID, lpEntryID, &kind, &id);
        if (hr != S_OK)
            return hr;
    }
    bool writable = (ulFlags & (MAPI_MODIFY | MAPI_BEST_ACCESS)) && !s->readonly;
    if (ulFlags & MAPI_MODIFY && s->readonly)
        return fm_error_set(MAPI_E_NO_ACCESS, "OpenEntry: the store is read-only");
    switch (kind) {
    case FM_EID_FOLDER:
        if (!folder_iid(lpInterface))
            return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED,
                                "OpenEntry: the entry ID names a folder");
        *lpulObjType = MAPI_FOLDER;
        denied = fm_acl_require(s, id, frightsVisible, "OpenEntry"); /* folder_acl.h */
        if (denied != S_OK)
            return denied;
        return fm_folder_open(s, id, writable, (IMAPIFolder **)lppUnk);
    case FM_EID_MESSAGE:
        if (!message_iid(lpInterface))
            return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED,
                                "OpenEntry: the entry ID names a message");
        *lpulObjType = MAPI_MESSAGE;
        denied = fm_acl_require_open_message(s, id); /* folder_acl.h */
        if (denied != S_OK)
            return denied;
        return fm_message_open(s, id, writable, (IMessage **)lppUnk);
    default:
        if (!store_iid(lpInterface) || self == NULL)
            return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED,
                                "OpenEntry: the entry ID names the store");
        IMsgStore_AddRef(self);
        *lpulObjType = MAPI_STORE;
        *lppUnk = (LPUNKNOWN)self;
        return S_OK;
    }
}

HRESULT fm_store_compare_entryids(fm_store *s, ULONG cb1, LPENTRYID e1, ULONG cb2, LPENTRYID e2,
                                  ULONG ulFlags, ULONG *lpulResult)
{
    if (lpulResult == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CompareEntryIDs: lpulResult is NULL");
    *lpulResult = FALSE;
    if (ulFlags != 0)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "CompareEntryIDs: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    int k1 = 0, k2 = 0;
    int64_t i1 = 0, i2 = 0;
    /* An empty entry ID is the root folder, as in OpenEntry. */
    if (cb1 == 0) {
        k1 = FM_EID_FOLDER;
        i1 = s->std_fid[FM_FOLDER_ROOT];
    } else {
        HRESULT hr = parse_own(s, cb1, e1, &k1, &i1);
        if (hr != S_OK)
            return hr;
    }
    if (cb2 == 0) {
        k2 = FM_EID_FOLDER;
        i2 = s->std_fid[FM_FOLDER_ROOT];
    } else {
        HRESULT hr = parse_own(s, cb2, e2, &k2, &i2);
        if (hr != S_OK)
            return hr;
    }
    *lpulResult = (k1 == k2 && i1 == i2);
    return S_OK;
}
