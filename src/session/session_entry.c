/*
 * session/session_entry.c - IMAPISession::OpenEntry and CompareEntryIDs:
 * an entry ID goes to the provider it belongs to. Address book entry IDs
 * (directory entries and containers, contacts, one-offs: ab/addrbook.h)
 * go to the session's address book, status entry IDs (session_status.c) to
 * the status objects; every other entry ID is a store's,
 * routed by the store UID it carries (store/entryid.h) to a store of the
 * profile or, with the rights OpenMsgStore checks, a mailbox of the site.
 */
#include <string.h>

#include "ab/addrbook.h"
#include "session/session.h"
#include "store/entryid.h"

static HRESULT fail(IMAPISession *This, HRESULT hr)
{
    return fm_lasterr_record(&((fm_session *)This)->err, hr);
}

/* OpenEntry through the session's address book, which the opened object
 * keeps alive as long as it needs it. */
static HRESULT open_ab_entry(IMAPISession *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                             LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                             LPUNKNOWN *lppUnk)
{
    LPADRBOOK ab = NULL;
    HRESULT hr = fm_session_open_addrbook(This, 0, &ab);
    if (hr != S_OK)
        return hr;
    hr = IAddrBook_OpenEntry(ab, cbEntryID, lpEntryID, lpInterface, ulFlags, lpulObjType, lppUnk);
    IAddrBook_Release(ab);
    return hr;
}

static HRESULT open_store_entry(IMAPISession *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                                LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                                LPUNKNOWN *lppUnk)
{
    bool writable = (ulFlags & (MAPI_MODIFY | MAPI_BEST_ACCESS)) != 0;
    IMsgStore *store = NULL;
    HRESULT hr = fm_session_open_store((fm_session *)This, cbEntryID, lpEntryID, writable,
                                       &store);
    if (hr != S_OK)
        return hr;
    hr = IMsgStore_OpenEntry(store, cbEntryID, lpEntryID, lpInterface, ulFlags, lpulObjType,
                             lppUnk);
    IMsgStore_Release(store); /* the object keeps the store open */
    return hr;
}

STDMETHODIMP fm_session_OpenEntry(IMAPISession *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                                  LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                                  LPUNKNOWN *lppUnk)
{
    if (lpulObjType == NULL || lppUnk == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenEntry: NULL out "
                                                                 "pointer"));
    *lppUnk = NULL;
    *lpulObjType = 0;
    if (cbEntryID == 0 || lpEntryID == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_ENTRYID, "OpenEntry: no entry ID (the "
                                                               "session has no root object)"));
    if (fm_session_is_status_entryid(cbEntryID, lpEntryID))
        return fail(This, fm_session_open_status(This, cbEntryID, lpEntryID, lpInterface,
                                                 lpulObjType, lppUnk));
    if (fm_addrbook_is_entryid(cbEntryID, lpEntryID))
        return fail(This, open_ab_entry(This, cbEntryID, lpEntryID, lpInterface, ulFlags,
                                        lpulObjType, lppUnk));
    return fail(This, open_store_entry(This, cbEntryID, lpEntryID, lpInterface, ulFlags,
                                       lpulObjType, lppUnk));
}

/* Two store entry IDs: the same object when store, kind and id agree. */
static HRESULT compare_store_entries(ULONG cb1, LPENTRYID e1, ULONG cb2, LPENTRYID e2,
                                     ULONG *result)
{
    MAPIUID u1, u2;
    int k1 = 0, k2 = 0;
    uint64_t i1 = 0, i2 = 0;
    HRESULT hr = fm_entryid_parse(cb1, e1, &u1, &k1, &i1);
    if (hr == S_OK)
        hr = fm_entryid_parse(cb2, e2, &u2, &k2, &i2);
    if (hr == MAPI_E_INVALID_ENTRYID)
        return fm_error_set(MAPI_E_UNKNOWN_ENTRYID, "CompareEntryIDs: an entry ID of no "
                                                    "provider of this session");
    if (hr == S_OK)
        *result = memcmp(u1.ab, u2.ab, 16) == 0 && k1 == k2 && i1 == i2;
    return hr;
}

/* An address book entry and a store object are never the same object:
 * S_OK (not the same) once each entry ID is a valid one of its provider. */
static HRESULT compare_across(ULONG cb1, LPENTRYID e1, bool first_is_ab, ULONG cb2,
                              LPENTRYID e2)
{
    ULONG cb_ab = first_is_ab ? cb1 : cb2, cb_store = first_is_ab ? cb2 : cb1;
    LPENTRYID ab = first_is_ab ? e1 : e2, store = first_is_ab ? e2 : e1;
    ULONG same = FALSE;
    HRESULT hr = fm_addrbook_compare_entryids(cb_ab, ab, cb_ab, ab, &same);
    if (hr != S_OK)
        return hr;
    return compare_store_entries(cb_store, store, cb_store, store, &same);
}

STDMETHODIMP fm_session_CompareEntryIDs(IMAPISession *This, ULONG cbEntryID1,
                                        LPENTRYID lpEntryID1, ULONG cbEntryID2,
                                        LPENTRYID lpEntryID2, ULONG ulFlags, ULONG *lpulResult)
{
    if (lpulResult == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "CompareEntryIDs: lpulResult "
                                                                 "is NULL"));
    *lpulResult = FALSE;
    if (ulFlags != 0)
        return fail(This, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "CompareEntryIDs: unknown flags "
                                                             "0x%08lX",
                                       (unsigned long)ulFlags));
    bool ab1 = fm_addrbook_is_entryid(cbEntryID1, lpEntryID1);
    bool ab2 = fm_addrbook_is_entryid(cbEntryID2, lpEntryID2);
    if (ab1 && ab2)
        return fail(This, fm_addrbook_compare_entryids(cbEntryID1, lpEntryID1, cbEntryID2,
                                                       lpEntryID2, lpulResult));
    if (ab1 != ab2)
        return fail(This, compare_across(cbEntryID1, lpEntryID1, ab1, cbEntryID2, lpEntryID2));
    return fail(This, compare_store_entries(cbEntryID1, lpEntryID1, cbEntryID2, lpEntryID2,
                                            lpulResult));
}
