/*
 * props/wrapstoreeid.c - WrapStoreEntryID: a provider's own store entry ID
 * in the form MAPI hands to clients ([MS-OXCDATA] 2.2.4.3, Store Object
 * EntryID): four zero flag bytes, MAPI's store-wrapping UID
 * (MUIDSTOREWRAP), version and flag bytes of 0, the provider DLL's name
 * with its terminator, zero bytes up to a multiple of four, then the
 * original entry ID unchanged.
 */
#include <string.h>

#include "core/error.h"
#include "mapiutil.h"

static const BYTE muid_store_wrap[16] = { 0x38, 0xA1, 0xBB, 0x10, 0x05, 0xE5, 0x10, 0x1A,
                                          0xA1, 0xBB, 0x08, 0x00, 0x2B, 0x2A, 0x56, 0xC2 };

STDAPI WrapStoreEntryID(ULONG ulFlags, LPSTR lpszDLLName, ULONG cbOrigEntry,
                        LPENTRYID lpOrigEntry, ULONG *lpcbWrappedEntry,
                        LPENTRYID *lppWrappedEntry)
{
    if (lpszDLLName == NULL || lpOrigEntry == NULL || lpcbWrappedEntry == NULL ||
        lppWrappedEntry == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "WrapStoreEntryID: NULL argument");
    *lpcbWrappedEntry = 0;
    *lppWrappedEntry = NULL;
    if (ulFlags & ~MAPI_UNICODE)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "WrapStoreEntryID: unknown flags %08lX",
                            (unsigned long)ulFlags);
    size_t name = strlen(lpszDLLName) + 1;
    size_t head = 4 + 16 + 2 + name;
    head = (head + 3) & ~(size_t)3;
    if (name > 260 || cbOrigEntry > 0xFFFF0000u)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "WrapStoreEntryID: DLL name or entry ID "
                                                      "too long");
    BYTE *out = NULL;
    SCODE sc = MAPIAllocateBuffer((ULONG)(head + cbOrigEntry), (void **)&out);
    if (sc != S_OK)
        return fm_error_set(sc, "WrapStoreEntryID: out of memory");
    memset(out, 0, head);
    memcpy(out + 4, muid_store_wrap, 16);
    memcpy(out + 22, lpszDLLName, name);
    memcpy(out + head, lpOrigEntry, cbOrigEntry);
    *lpcbWrappedEntry = (ULONG)(head + cbOrigEntry);
    *lppWrappedEntry = (LPENTRYID)out;
    return S_OK;
}
