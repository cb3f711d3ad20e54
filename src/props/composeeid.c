/*
 * props/composeeid.c - HrComposeEID, HrDecomposeEID, HrComposeMsgID and
 * HrDecomposeMsgID: one identifier for a message in any of a session's
 * stores, made of the store's record key and the message's entry ID.
 *
 * The compound form is freemapi's (the MAPI reference leaves it to the
 * implementation): abFlags[1] has MAPI_COMPOUND, then FM_COMPOUND_UID, the
 * record key's length (4 bytes, little-endian), the record key, and the
 * message's entry ID. Decomposition finds the store whose PR_RECORD_KEY
 * matches in the session's message store table and returns its
 * PR_ENTRYID. As documented, HrDecomposeEID releases its input on success
 * (when it is a MAPI buffer root, which is what HrComposeEID returns).
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapiutil.h"

static const BYTE compound_uid[16] = { 0x66, 0x6D, 0x61, 0x70, 0x69, 0x2D, 0x63, 0x6F,
                                       0x6D, 0x70, 0x6F, 0x75, 0x6E, 0x64, 0x01, 0x00 };
#define COMPOUND_HEAD (4 + 16 + 4)

static SCODE copy_out(const void *src, ULONG cb, ULONG *pcb, LPENTRYID *pp)
{
    BYTE *p = NULL;
    SCODE sc = MAPIAllocateBuffer(cb ? cb : 1, (void **)&p);
    if (sc != S_OK)
        return fm_error_set(sc, "out of memory copying an entry identifier");
    if (cb)
        memcpy(p, src, cb);
    *pcb = cb;
    *pp = (LPENTRYID)p;
    return S_OK;
}

STDAPI HrComposeEID(LPMAPISESSION pSession, ULONG cbStoreRecordKey, LPBYTE pStoreRecordKey,
                    ULONG cbMsgEID, LPENTRYID pMsgEID, ULONG *pcbEID, LPENTRYID *ppEID)
{
    if (pcbEID == NULL || ppEID == NULL || (pMsgEID == NULL && cbMsgEID != 0) ||
        (pStoreRecordKey == NULL && cbStoreRecordKey != 0))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "HrComposeEID: NULL argument");
    *pcbEID = 0;
    *ppEID = NULL;
    if (cbStoreRecordKey == 0)
        return copy_out(pMsgEID, cbMsgEID, pcbEID, ppEID);
    if (cbStoreRecordKey > 0x10000 || cbMsgEID > 0x10000)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "HrComposeEID: key or entry ID too long");
    ULONG cb = COMPOUND_HEAD + cbStoreRecordKey + cbMsgEID;
    BYTE *p = NULL;
    SCODE sc = MAPIAllocateBuffer(cb, (void **)&p);
    if (sc != S_OK)
        return fm_error_set(sc, "HrComposeEID: out of memory");
    memset(p, 0, 4);
    p[1] = MAPI_COMPOUND;
    memcpy(p + 4, compound_uid, 16);
    for (int i = 0; i < 4; i++)
        p[20 + i] = (BYTE)(cbStoreRecordKey >> (8 * i));
    memcpy(p + COMPOUND_HEAD, pStoreRecordKey, cbStoreRecordKey);
    if (cbMsgEID)
        memcpy(p + COMPOUND_HEAD + cbStoreRecordKey, pMsgEID, cbMsgEID);
    *pcbEID = cb;
    *ppEID = (LPENTRYID)p;
    return S_OK;
}

/* The record key inside a compound ID, or 0 when eid is not compound. */
static ULONG compound_key(ULONG cb, const BYTE *eid, const BYTE **key)
{
    if (cb < COMPOUND_HEAD || eid[1] != MAPI_COMPOUND || memcmp(eid + 4, compound_uid, 16) != 0)
        return 0;
    ULONG n = (ULONG)eid[20] | (ULONG)eid[21] << 8 | (ULONG)eid[22] << 16 | (ULONG)eid[23] << 24;
    if (n == 0 || n > cb - COMPOUND_HEAD)
        return 0;
    *key = eid + COMPOUND_HEAD;
    return n;
}

/* The PR_ENTRYID of the session's store whose PR_RECORD_KEY is key. */
static HRESULT store_by_record_key(LPMAPISESSION s, const BYTE *key, ULONG n, ULONG *pcb,
                                   LPENTRYID *pp)
{
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    SizedSPropTagArray(2, cols) = { 2, { PR_RECORD_KEY, PR_ENTRYID } };
    HRESULT hr = s->lpVtbl->GetMsgStoresTable(s, 0, &t);
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    for (ULONG i = 0; hr == S_OK && i < rows->cRows; i++) {
        const SPropValue *v = rows->aRow[i].lpProps;
        if (rows->aRow[i].cValues < 2 || v[0].ulPropTag != PR_RECORD_KEY ||
            v[1].ulPropTag != PR_ENTRYID || v[0].Value.bin.cb != n ||
            memcmp(v[0].Value.bin.lpb, key, n) != 0)
            continue;
        hr = copy_out(v[1].Value.bin.lpb, v[1].Value.bin.cb, pcb, pp);
        goto done;
    }
    if (hr == S_OK)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "HrDecomposeEID: no store of the session has the "
                                            "compound identifier's record key");
done:
    FreeProws(rows);
    if (t)
        t->lpVtbl->Release(t);
    return hr;
}

STDAPI HrDecomposeEID(LPMAPISESSION pSession, ULONG cbEID, LPENTRYID pEID, ULONG *pcbStoreEID,
                      LPENTRYID *ppStoreEID, ULONG *pcbMsgEID, LPENTRYID *ppMsgEID)
{
    if (pEID == NULL || pcbStoreEID == NULL || ppStoreEID == NULL || pcbMsgEID == NULL ||
        ppMsgEID == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "HrDecomposeEID: NULL argument");
    *pcbStoreEID = *pcbMsgEID = 0;
    *ppStoreEID = *ppMsgEID = NULL;
    const BYTE *eid = (const BYTE *)pEID, *key = NULL;
    ULONG n = compound_key(cbEID, eid, &key);
    HRESULT hr;
    if (n == 0) {
        hr = copy_out(eid, cbEID, pcbMsgEID, ppMsgEID);
    } else {
        if (pSession == NULL)
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "HrDecomposeEID: a compound "
                                                          "identifier needs the session");
        hr = store_by_record_key(pSession, key, n, pcbStoreEID, ppStoreEID);
        if (hr == S_OK)
            hr = copy_out(key + n, cbEID - COMPOUND_HEAD - n, pcbMsgEID, ppMsgEID);
        if (hr != S_OK) {
            MAPIFreeBuffer(*ppStoreEID);
            *ppStoreEID = NULL;
            *pcbStoreEID = 0;
        }
    }
    if (hr == S_OK && fm_alloc_is_mapi_buffer(pEID))
        MAPIFreeBuffer(pEID);
    return hr;
}

STDAPI HrComposeMsgID(LPMAPISESSION pSession, ULONG cbStoreSearchKey, LPBYTE pStoreSearchKey,
                      ULONG cbMsgEID, LPENTRYID pMsgEID, LPSTR *pszMsgID)
{
    if (pszMsgID == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "HrComposeMsgID: NULL argument");
    *pszMsgID = NULL;
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    HRESULT hr = HrComposeEID(pSession, cbStoreSearchKey, pStoreSearchKey, cbMsgEID, pMsgEID,
                              &cb, &eid);
    if (hr == S_OK)
        hr = HrSzFromEntryID(cb, eid, pszMsgID);
    MAPIFreeBuffer(eid);
    return hr;
}

STDAPI HrDecomposeMsgID(LPMAPISESSION pSession, LPSTR szMsgID, ULONG *pcbStoreEID,
                        LPENTRYID *ppStoreEID, ULONG *pcbMsgEID, LPENTRYID *ppMsgEID)
{
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    HRESULT hr = HrEntryIDFromSz(szMsgID, &cb, &eid);
    if (hr == S_OK)
        hr = HrDecomposeEID(pSession, cb, eid, pcbStoreEID, ppStoreEID, pcbMsgEID, ppMsgEID);
    if (hr != S_OK)
        MAPIFreeBuffer(eid); /* freed by HrDecomposeEID on success */
    return hr;
}
