/* modify_recipients.c - a message's recipient list edited from C the way a
 * compose window does it: three recipients added with MODRECIP_ADD (one
 * resolved through IAddrBook::ResolveName first), the table read with
 * PR_ROWID, one changed to Cc with MODRECIP_MODIFY by its PR_ROWID, one
 * removed with MODRECIP_REMOVE, the message saved and its recipient table
 * read again in PR_ROWID order. */
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

/* An ADRLIST of cEntries, each with room for cValues properties. */
static HRESULT NewAdrList(ULONG cEntries, ULONG cValues, LPADRLIST *lppAdrList)
{
    LPADRLIST lpAdrList = NULL;
    ULONG i;
    HRESULT hr = MAPIAllocateBuffer(CbNewADRLIST(cEntries), (LPVOID *)&lpAdrList);
    if (FAILED(hr))
        return hr;
    ZeroMemory(lpAdrList, CbNewADRLIST(cEntries));
    for (i = 0; i < cEntries && SUCCEEDED(hr); i++) {
        hr = MAPIAllocateBuffer(cValues * sizeof(SPropValue),
                                (LPVOID *)&lpAdrList->aEntries[i].rgPropVals);
        if (SUCCEEDED(hr)) {
            lpAdrList->cEntries = i + 1;
            lpAdrList->aEntries[i].cValues = cValues;
        }
    }
    if (FAILED(hr))
        FreePadrlist(lpAdrList);
    else
        *lppAdrList = lpAdrList;
    return hr;
}

/* A one-off recipient; with lpAdrBook, its PR_ENTRYID made by CreateOneOff
 * as the fifth property (allocated with the list's entry). */
static HRESULT SetOneOff(LPADRBOOK lpAdrBook, ADRENTRY *e, LPSTR szName, LPSTR szAddress,
                         LONG lType)
{
    HRESULT hr = S_OK;
    e->rgPropVals[0].ulPropTag = PR_DISPLAY_NAME_A;
    e->rgPropVals[0].Value.lpszA = szName;
    e->rgPropVals[1].ulPropTag = PR_ADDRTYPE_A;
    e->rgPropVals[1].Value.lpszA = (LPSTR) "SMTP";
    e->rgPropVals[2].ulPropTag = PR_EMAIL_ADDRESS_A;
    e->rgPropVals[2].Value.lpszA = szAddress;
    e->rgPropVals[3].ulPropTag = PR_RECIPIENT_TYPE;
    e->rgPropVals[3].Value.l = lType;
    if (lpAdrBook) {
        ULONG cbEID = 0;
        LPENTRYID lpEID = NULL;
        hr = IAddrBook_CreateOneOff(lpAdrBook, (LPTSTR)szName, (LPTSTR) "SMTP", (LPTSTR)szAddress,
                                    0, &cbEID, &lpEID);
        if (SUCCEEDED(hr))
            hr = MAPIAllocateMore(cbEID, e->rgPropVals, (LPVOID *)&e->rgPropVals[4].Value.bin.lpb);
        if (SUCCEEDED(hr)) {
            e->rgPropVals[4].ulPropTag = PR_ENTRYID;
            e->rgPropVals[4].Value.bin.cb = cbEID;
            memcpy(e->rgPropVals[4].Value.bin.lpb, lpEID, cbEID);
        }
        MAPIFreeBuffer(lpEID);
    }
    return hr;
}

static const char *TypeName(LONG l)
{
    return l == MAPI_TO ? "To" : l == MAPI_CC ? "Cc" : l == MAPI_BCC ? "Bcc" : "?";
}

/* Prints the recipients by PR_ROWID (unless szWhen is NULL); the PR_ROWID of
 * szName in *lplRowID. */
static HRESULT PrintRecipients(LPMESSAGE lpMsg, const char *szWhen, const char *szName,
                               LONG *lplRowID)
{
    SizedSPropTagArray(3, spta) = { 3, { PR_ROWID, PR_DISPLAY_NAME_A, PR_RECIPIENT_TYPE } };
    SizedSSortOrderSet(1, sos) = { 1, 0, 0, { { PR_ROWID, TABLE_SORT_ASCEND } } };
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    ULONG i;
    HRESULT hr = IMessage_GetRecipientTable(lpMsg, 0, &lpTable);
    if (SUCCEEDED(hr))
        hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&spta, NULL, (LPSSortOrderSet)&sos, 0,
                            &lpRows);
    if (SUCCEEDED(hr)) {
        if (szWhen)
            printf("%s:\n", szWhen);
        for (i = 0; i < lpRows->cRows; i++) {
            LPSPropValue p = lpRows->aRow[i].lpProps;
            if (szWhen)
                printf("  %s: %s\n", TypeName(p[2].Value.l), p[1].Value.lpszA);
            if (szName && lplRowID && strcmp(p[1].Value.lpszA, szName) == 0)
                *lplRowID = p[0].Value.l;
        }
    }
    FreeProws(lpRows);
    if (lpTable)
        IMAPITable_Release(lpTable);
    return hr;
}

int main(void)
{
    HRESULT hr;
    LPMAPISESSION lpSession = NULL;
    LPMDB lpMDB = NULL;
    LPADRBOOK lpAdrBook = NULL;
    LPMAPIFOLDER lpRoot = NULL, lpFolder = NULL;
    LPMESSAGE lpMsg = NULL;
    LPADRLIST lpAdrList = NULL;
    LPSPropValue lpIPM = NULL, lpFolderEID = NULL;
    ULONG ulType;
    LONG lBrianRow = -1, lCarolRow = -1;

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION,
                     &lpSession);
    if (SUCCEEDED(hr))
        hr = OpenDefaultStore(lpSession, &lpMDB);
    if (SUCCEEDED(hr))
        hr = IMAPISession_OpenAddressBook(lpSession, 0, NULL, AB_NO_DIALOG, &lpAdrBook);
    if (SUCCEEDED(hr))
        hr = HrGetOneProp((LPMAPIPROP)lpMDB, PR_IPM_SUBTREE_ENTRYID, &lpIPM);
    if (SUCCEEDED(hr))
        hr = IMsgStore_OpenEntry(lpMDB, lpIPM->Value.bin.cb, (LPENTRYID)lpIPM->Value.bin.lpb,
                                 NULL, MAPI_MODIFY, &ulType, (LPUNKNOWN *)&lpRoot);
    if (SUCCEEDED(hr))
        hr = IMAPIFolder_CreateFolder(lpRoot, FOLDER_GENERIC, (LPTSTR) "Port Recipients", NULL,
                                      NULL, OPEN_IF_EXISTS, &lpFolder);
    if (SUCCEEDED(hr))
        hr = IMAPIFolder_CreateMessage(lpFolder, NULL, 0, &lpMsg);

    /* the directory user typed by name and resolved; two one-offs */
    if (SUCCEEDED(hr))
        hr = NewAdrList(3, 5, &lpAdrList);
    if (SUCCEEDED(hr)) {
        lpAdrList->aEntries[0].cValues = 2;
        lpAdrList->aEntries[0].rgPropVals[0].ulPropTag = PR_DISPLAY_NAME_A;
        lpAdrList->aEntries[0].rgPropVals[0].Value.lpszA = (LPSTR) "Port Peer";
        lpAdrList->aEntries[0].rgPropVals[1].ulPropTag = PR_RECIPIENT_TYPE;
        lpAdrList->aEntries[0].rgPropVals[1].Value.l = MAPI_TO;
        hr = SetOneOff(lpAdrBook, &lpAdrList->aEntries[1], (LPSTR) "Brian Outside",
                       (LPSTR) "brian@example.net", MAPI_TO);
    }
    if (SUCCEEDED(hr))
        hr = SetOneOff(lpAdrBook, &lpAdrList->aEntries[2], (LPSTR) "Carol Outside",
                       (LPSTR) "carol@example.net", MAPI_BCC);
    if (SUCCEEDED(hr))
        hr = IAddrBook_ResolveName(lpAdrBook, 0, 0, NULL, lpAdrList);
    if (SUCCEEDED(hr))
        hr = IMessage_ModifyRecipients(lpMsg, MODRECIP_ADD, lpAdrList);
    FreePadrlist(lpAdrList);
    lpAdrList = NULL;
    if (SUCCEEDED(hr))
        hr = PrintRecipients(lpMsg, "added", "Brian Outside", &lBrianRow);
    if (SUCCEEDED(hr))
        hr = PrintRecipients(lpMsg, NULL, "Carol Outside", &lCarolRow);
    if (SUCCEEDED(hr) && (lBrianRow < 0 || lCarolRow < 0))
        hr = MAPI_E_NOT_FOUND;

    /* Brian moves to Cc: MODRECIP_MODIFY replaces the row with that PR_ROWID */
    if (SUCCEEDED(hr))
        hr = NewAdrList(1, 5, &lpAdrList);
    if (SUCCEEDED(hr)) {
        hr = SetOneOff(NULL, &lpAdrList->aEntries[0], (LPSTR) "Brian Outside",
                       (LPSTR) "brian@example.net", MAPI_CC);
        lpAdrList->aEntries[0].rgPropVals[4].ulPropTag = PR_ROWID;
        lpAdrList->aEntries[0].rgPropVals[4].Value.l = lBrianRow;
        hr = IMessage_ModifyRecipients(lpMsg, MODRECIP_MODIFY, lpAdrList);
    }
    FreePadrlist(lpAdrList);
    lpAdrList = NULL;
    /* Carol goes: MODRECIP_REMOVE looks only at PR_ROWID */
    if (SUCCEEDED(hr))
        hr = NewAdrList(1, 1, &lpAdrList);
    if (SUCCEEDED(hr)) {
        lpAdrList->aEntries[0].rgPropVals[0].ulPropTag = PR_ROWID;
        lpAdrList->aEntries[0].rgPropVals[0].Value.l = lCarolRow;
        hr = IMessage_ModifyRecipients(lpMsg, MODRECIP_REMOVE, lpAdrList);
    }
    FreePadrlist(lpAdrList);
    lpAdrList = NULL;
    if (SUCCEEDED(hr))
        hr = IMessage_SaveChanges(lpMsg, KEEP_OPEN_READWRITE);
    if (SUCCEEDED(hr))
        hr = PrintRecipients(lpMsg, "after modify, remove and save", NULL, NULL);
    if (FAILED(hr))
        printf("failed: 0x%08lx\n", (unsigned long)hr);

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
    if (lpAdrBook)
        IAddrBook_Release(lpAdrBook);
    if (lpMDB)
        IMsgStore_Release(lpMDB);
    if (lpSession) {
        IMAPISession_Logoff(lpSession, 0, 0, 0);
        IMAPISession_Release(lpSession);
    }
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
