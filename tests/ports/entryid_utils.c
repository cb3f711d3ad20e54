/* entryid_utils.c - the mapiutil.h helpers for entry IDs and strings from
 * C, as clients use them to remember a message outside MAPI: a message's
 * entry ID as text with HrSzFromEntryID and back with HrEntryIDFromSz
 * (CbOfEncoded for its size), a compound entry ID of store and message with
 * HrComposeEID and HrDecomposeEID (which frees the compound ID it splits),
 * the same as text with HrComposeMsgID and HrDecomposeMsgID, the parts
 * compared with IMAPISession::CompareEntryIDs and the message opened by its
 * part; then ScBinFromHexBounded, UFromSz, SzFindCh, SzFindLastCh and
 * SzFindSz. */
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <stdio.h>
#include <string.h>

static HRESULT OpenDefaultStore(LPMAPISESSION lpSession, LPMDB *lppMDB)
{
    SizedSPropTagArray(2, spta) = { 2, { PR_ENTRYID, PR_DEFAULT_STORE } };
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    ULONG i;
    HRESULT hr = IMAPISession_GetMsgStoresTable(lpSession, 0, &lpTable);
    if (FAILED(hr))
        return hr;
    hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&spta, NULL, NULL, 0, &lpRows);
    for (i = 0; SUCCEEDED(hr) && i < lpRows->cRows; i++) {
        if (lpRows->aRow[i].lpProps[1].Value.b) {
            SBinary *eid = &lpRows->aRow[i].lpProps[0].Value.bin;
            hr = IMAPISession_OpenMsgStore(lpSession, 0, eid->cb, (LPENTRYID)eid->lpb, NULL,
                                           MDB_WRITE, lppMDB);
            break;
        }
    }
    FreeProws(lpRows);
    IMAPITable_Release(lpTable);
    return hr;
}

static const char *Same(LPMAPISESSION lpSession, ULONG cb1, LPENTRYID lp1, ULONG cb2, LPENTRYID lp2)
{
    ULONG ulResult = FALSE;
    if (FAILED(IMAPISession_CompareEntryIDs(lpSession, cb1, lp1, cb2, lp2, 0, &ulResult)))
        return "compare failed";
    return ulResult ? "yes" : "no";
}

/* Opens the message by its entry ID through the session and prints its subject. */
static void OpenAndShow(LPMAPISESSION lpSession, ULONG cbEID, LPENTRYID lpEID)
{
    LPMESSAGE lpMsg = NULL;
    LPSPropValue lpSubject = NULL;
    ULONG ulType = 0;
    HRESULT hr = IMAPISession_OpenEntry(lpSession, cbEID, lpEID, NULL, 0, &ulType,
                                        (LPUNKNOWN *)&lpMsg);
    if (SUCCEEDED(hr))
        hr = HrGetOneProp((LPMAPIPROP)lpMsg, PR_SUBJECT_A, &lpSubject);
    printf("  opened through the session: %s\n", SUCCEEDED(hr) ? lpSubject->Value.lpszA : "failed");
    MAPIFreeBuffer(lpSubject);
    if (lpMsg)
        IMessage_Release(lpMsg);
}

static void Strings(void)
{
    BYTE rgb[4];
    static const char szPath[] = "/home/user/mail/inbox.txt";
    SCODE sc = ScBinFromHexBounded((LPSTR) "0A1b2C3d", rgb, sizeof rgb);
    printf("ScBinFromHexBounded: %s, %02X %02X %02X %02X\n", sc == S_OK ? "S_OK" : "failed", rgb[0],
           rgb[1], rgb[2], rgb[3]);
    printf("UFromSz(\"1234abc\"): %u\n", UFromSz("1234abc"));
    printf("SzFindCh '/': %s\n", SzFindCh(szPath, '/'));
    printf("SzFindLastCh '/': %s\n", SzFindLastCh(szPath, '/'));
    printf("SzFindSz \"mail\": %s\n", SzFindSz(szPath, "mail"));
    printf("SzFindCh '#': %s\n", SzFindCh(szPath, '#') ? "found" : "NULL");
}

int main(void)
{
    HRESULT hr;
    LPMAPISESSION lpSession = NULL;
    LPMDB lpMDB = NULL;
    LPMAPIFOLDER lpRoot = NULL, lpFolder = NULL;
    LPMESSAGE lpMsg = NULL;
    LPSPropValue lpIPM = NULL, lpMsgEID = NULL, lpFolderEID = NULL, lpStoreProps = NULL;
    LPENTRYID lpFromSz = NULL, lpComposed = NULL, lpStoreEID = NULL, lpPartEID = NULL;
    LPSTR szEID = NULL, szMsgID = NULL;
    ULONG ulType, cbFromSz = 0, cbComposed = 0, cbStoreEID = 0, cbPartEID = 0, cValues = 0;
    SizedSPropTagArray(3, sptaStore) = { 3, { PR_RECORD_KEY, PR_STORE_ENTRYID, PR_ENTRYID } };
    SPropValue spv;

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION,
                     &lpSession);
    if (SUCCEEDED(hr))
        hr = OpenDefaultStore(lpSession, &lpMDB);
    if (SUCCEEDED(hr))
        hr = IMsgStore_GetProps(lpMDB, (LPSPropTagArray)&sptaStore, 0, &cValues, &lpStoreProps);
    if (SUCCEEDED(hr) && PROP_TYPE(lpStoreProps[0].ulPropTag) != PT_BINARY)
        hr = MAPI_E_NOT_FOUND;
    if (SUCCEEDED(hr))
        hr = HrGetOneProp((LPMAPIPROP)lpMDB, PR_IPM_SUBTREE_ENTRYID, &lpIPM);
    if (SUCCEEDED(hr))
        hr = IMsgStore_OpenEntry(lpMDB, lpIPM->Value.bin.cb, (LPENTRYID)lpIPM->Value.bin.lpb,
                                 NULL, MAPI_MODIFY, &ulType, (LPUNKNOWN *)&lpRoot);
    if (SUCCEEDED(hr))
        hr = IMAPIFolder_CreateFolder(lpRoot, FOLDER_GENERIC, (LPTSTR) "Port Entry IDs", NULL,
                                      NULL, OPEN_IF_EXISTS, &lpFolder);
    if (SUCCEEDED(hr))
        hr = IMAPIFolder_CreateMessage(lpFolder, NULL, 0, &lpMsg);
    if (SUCCEEDED(hr)) {
        spv.ulPropTag = PR_SUBJECT_A;
        spv.Value.lpszA = (LPSTR) "remembered message";
        hr = HrSetOneProp((LPMAPIPROP)lpMsg, &spv);
    }
    if (SUCCEEDED(hr))
        hr = IMessage_SaveChanges(lpMsg, 0);
    if (SUCCEEDED(hr))
        hr = HrGetOneProp((LPMAPIPROP)lpMsg, PR_ENTRYID, &lpMsgEID);
    if (FAILED(hr)) {
        printf("setup failed: 0x%08lx\n", (unsigned long)hr);
        goto Cleanup;
    }

    /* the entry ID as text and back */
    hr = HrSzFromEntryID(lpMsgEID->Value.bin.cb, (LPENTRYID)lpMsgEID->Value.bin.lpb, &szEID);
    if (SUCCEEDED(hr)) {
        printf("HrSzFromEntryID: S_OK, CbOfEncoded gives the entry ID's size: %s\n",
               CbOfEncoded(szEID) == lpMsgEID->Value.bin.cb ? "yes" : "no");
        hr = HrEntryIDFromSz(szEID, &cbFromSz, &lpFromSz);
    }
    if (SUCCEEDED(hr))
        printf("HrEntryIDFromSz: the same entry ID: %s\n",
               cbFromSz == lpMsgEID->Value.bin.cb &&
                       memcmp(lpFromSz, lpMsgEID->Value.bin.lpb, cbFromSz) == 0
                   ? "yes"
                   : "no");

    /* store and message in one entry ID */
    if (SUCCEEDED(hr))
        hr = HrComposeEID(lpSession, lpStoreProps[0].Value.bin.cb, lpStoreProps[0].Value.bin.lpb,
                          lpMsgEID->Value.bin.cb, (LPENTRYID)lpMsgEID->Value.bin.lpb, &cbComposed,
                          &lpComposed);
    if (SUCCEEDED(hr))
        hr = HrDecomposeEID(lpSession, cbComposed, lpComposed, &cbStoreEID, &lpStoreEID, &cbPartEID,
                            &lpPartEID);
    if (SUCCEEDED(hr)) {
        lpComposed = NULL; /* "the memory holding pEID is freed" on success */
        printf("HrComposeEID and HrDecomposeEID:\n");
        printf("  the message: %s\n", Same(lpSession, cbPartEID, lpPartEID, lpMsgEID->Value.bin.cb,
                                           (LPENTRYID)lpMsgEID->Value.bin.lpb));
        if (PROP_TYPE(lpStoreProps[2].ulPropTag) == PT_BINARY)
            printf("  the store: %s\n",
                   Same(lpSession, cbStoreEID, lpStoreEID, lpStoreProps[2].Value.bin.cb,
                        (LPENTRYID)lpStoreProps[2].Value.bin.lpb));
        OpenAndShow(lpSession, cbPartEID, lpPartEID);
    }
    MAPIFreeBuffer(lpStoreEID);
    MAPIFreeBuffer(lpPartEID);
    lpStoreEID = lpPartEID = NULL;

    /* the same as a message ID string */
    if (SUCCEEDED(hr))
        hr = HrComposeMsgID(lpSession, lpStoreProps[0].Value.bin.cb, lpStoreProps[0].Value.bin.lpb,
                            lpMsgEID->Value.bin.cb, (LPENTRYID)lpMsgEID->Value.bin.lpb, &szMsgID);
    if (SUCCEEDED(hr))
        hr = HrDecomposeMsgID(lpSession, szMsgID, &cbStoreEID, &lpStoreEID, &cbPartEID, &lpPartEID);
    if (SUCCEEDED(hr)) {
        printf("HrComposeMsgID and HrDecomposeMsgID:\n");
        printf("  the message: %s\n", Same(lpSession, cbPartEID, lpPartEID, lpMsgEID->Value.bin.cb,
                                           (LPENTRYID)lpMsgEID->Value.bin.lpb));
        printf("  the store entry ID given: %s\n", cbStoreEID ? "yes" : "no");
    }
    if (SUCCEEDED(hr))
        Strings();
    if (FAILED(hr))
        printf("failed: 0x%08lx\n", (unsigned long)hr);

Cleanup:
    MAPIFreeBuffer(lpStoreEID);
    MAPIFreeBuffer(lpPartEID);
    MAPIFreeBuffer(szMsgID);
    MAPIFreeBuffer(lpComposed);
    MAPIFreeBuffer(lpFromSz);
    MAPIFreeBuffer(szEID);
    MAPIFreeBuffer(lpMsgEID);
    if (lpMsg)
        IMessage_Release(lpMsg);
    if (lpFolder) {
        if (SUCCEEDED(HrGetOneProp((LPMAPIPROP)lpFolder, PR_ENTRYID, &lpFolderEID))) {
            IMAPIFolder_Release(lpFolder);
            IMAPIFolder_DeleteFolder(lpRoot, lpFolderEID->Value.bin.cb,
                                     (LPENTRYID)lpFolderEID->Value.bin.lpb, 0, NULL,
                                     DEL_MESSAGES | DEL_FOLDERS);
        } else {
            IMAPIFolder_Release(lpFolder);
        }
    }
    MAPIFreeBuffer(lpFolderEID);
    if (lpRoot)
        IMAPIFolder_Release(lpRoot);
    MAPIFreeBuffer(lpIPM);
    MAPIFreeBuffer(lpStoreProps);
    if (lpMDB)
        IMsgStore_Release(lpMDB);
    if (lpSession) {
        IMAPISession_Logoff(lpSession, 0, 0, 0);
        IMAPISession_Release(lpSession);
    }
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
