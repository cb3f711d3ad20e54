/* copy_props.c - IMAPIProp::CopyTo and CopyProps between messages from C,
 * as clients copy a message's contents into a new one ("forward" and
 * "save as"): CopyTo with an exclude list (PR_IMPORTANCE left behind),
 * CopyTo excluding PR_MESSAGE_RECIPIENTS and PR_MESSAGE_ATTACHMENTS (the
 * properties only), and CopyProps with an include list and MAPI_NOREPLACE
 * (what the destination has is kept). */
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <mapiguid.h>
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

static HRESULT MakeSource(LPMAPIFOLDER lpFolder, LPMESSAGE *lppMsg)
{
    LPMESSAGE lpMsg = NULL;
    LPATTACH lpAttach = NULL;
    LPADRLIST lpAdrList = NULL;
    ULONG ulAttachNum = 0;
    SPropValue rgProps[3];
    HRESULT hr = IMAPIFolder_CreateMessage(lpFolder, NULL, 0, &lpMsg);
    if (FAILED(hr))
        return hr;
    rgProps[0].ulPropTag = PR_SUBJECT_A;
    rgProps[0].Value.lpszA = (LPSTR) "copy source";
    rgProps[1].ulPropTag = PR_BODY_A;
    rgProps[1].Value.lpszA = (LPSTR) "the source's body";
    rgProps[2].ulPropTag = PR_IMPORTANCE;
    rgProps[2].Value.l = IMPORTANCE_HIGH;
    hr = IMessage_SetProps(lpMsg, 3, rgProps, NULL);
    if (SUCCEEDED(hr))
        hr = MAPIAllocateBuffer(CbNewADRLIST(1), (LPVOID *)&lpAdrList);
    if (SUCCEEDED(hr)) {
        lpAdrList->cEntries = 1;
        lpAdrList->aEntries[0].cValues = 4;
        hr = MAPIAllocateBuffer(4 * sizeof(SPropValue), (LPVOID *)&lpAdrList->aEntries[0].rgPropVals);
        if (FAILED(hr))
            lpAdrList->cEntries = 0;
    }
    if (SUCCEEDED(hr)) {
        LPSPropValue p = lpAdrList->aEntries[0].rgPropVals;
        p[0].ulPropTag = PR_DISPLAY_NAME_A;
        p[0].Value.lpszA = (LPSTR) "Copy Reader";
        p[1].ulPropTag = PR_ADDRTYPE_A;
        p[1].Value.lpszA = (LPSTR) "SMTP";
        p[2].ulPropTag = PR_EMAIL_ADDRESS_A;
        p[2].Value.lpszA = (LPSTR) "reader@example.org";
        p[3].ulPropTag = PR_RECIPIENT_TYPE;
        p[3].Value.l = MAPI_TO;
        hr = IMessage_ModifyRecipients(lpMsg, MODRECIP_ADD, lpAdrList);
    }
    FreePadrlist(lpAdrList);
    if (SUCCEEDED(hr))
        hr = IMessage_CreateAttach(lpMsg, NULL, 0, &ulAttachNum, &lpAttach);
    if (SUCCEEDED(hr)) {
        rgProps[0].ulPropTag = PR_ATTACH_METHOD;
        rgProps[0].Value.l = ATTACH_BY_VALUE;
        rgProps[1].ulPropTag = PR_ATTACH_LONG_FILENAME_A;
        rgProps[1].Value.lpszA = (LPSTR) "copied.txt";
        rgProps[2].ulPropTag = PR_ATTACH_DATA_BIN;
        rgProps[2].Value.bin.cb = 5;
        rgProps[2].Value.bin.lpb = (LPBYTE) "hello";
        hr = IAttach_SetProps(lpAttach, 3, rgProps, NULL);
    }
    if (SUCCEEDED(hr))
        hr = IAttach_SaveChanges(lpAttach, 0);
    if (lpAttach)
        IAttach_Release(lpAttach);
    if (SUCCEEDED(hr))
        hr = IMessage_SaveChanges(lpMsg, KEEP_OPEN_READWRITE);
    if (SUCCEEDED(hr))
        *lppMsg = lpMsg;
    else
        IMessage_Release(lpMsg);
    return hr;
}

static ULONG CountRows(LPMAPITABLE lpTable)
{
    ULONG c = 0;
    if (lpTable) {
        IMAPITable_GetRowCount(lpTable, 0, &c);
        IMAPITable_Release(lpTable);
    }
    return c;
}

static void Show(const char *szWhat, LPMESSAGE lpMsg)
{
    SizedSPropTagArray(3, spta) = { 3, { PR_SUBJECT_A, PR_BODY_A, PR_IMPORTANCE } };
    LPSPropValue p = NULL;
    LPMAPITABLE lpRecips = NULL, lpAttachs = NULL;
    ULONG cValues = 0;
    if (FAILED(IMessage_GetProps(lpMsg, (LPSPropTagArray)&spta, 0, &cValues, &p)))
        return;
    IMessage_GetRecipientTable(lpMsg, 0, &lpRecips);
    IMessage_GetAttachmentTable(lpMsg, 0, &lpAttachs);
    printf("%s: subject \"%s\", body %s, importance %s, %lu recipient(s), %lu attachment(s)\n",
           szWhat, PROP_TYPE(p[0].ulPropTag) == PT_STRING8 ? p[0].Value.lpszA : "(none)",
           PROP_TYPE(p[1].ulPropTag) == PT_STRING8 ? "present" : "(none)",
           PROP_TYPE(p[2].ulPropTag) != PT_LONG ? "(none)"
           : p[2].Value.l == IMPORTANCE_HIGH  ? "high"
                                              : "other",
           (unsigned long)CountRows(lpRecips), (unsigned long)CountRows(lpAttachs));
    MAPIFreeBuffer(p);
}

int main(void)
{
    HRESULT hr;
    LPMAPISESSION lpSession = NULL;
    LPMDB lpMDB = NULL;
    LPSPropValue lpIPM = NULL, lpFolderEID = NULL;
    LPMAPIFOLDER lpRoot = NULL, lpFolder = NULL;
    LPMESSAGE lpSrc = NULL, lpAll = NULL, lpPropsOnly = NULL, lpKept = NULL;
    LPSPropProblemArray lpProblems = NULL;
    ULONG ulType;
    SizedSPropTagArray(1, sptaNoImportance) = { 1, { PR_IMPORTANCE } };
    SizedSPropTagArray(2, sptaNoChildren) = { 2, { PR_MESSAGE_RECIPIENTS, PR_MESSAGE_ATTACHMENTS } };
    SizedSPropTagArray(2, sptaSome) = { 2, { PR_SUBJECT_A, PR_IMPORTANCE } };

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION,
                     &lpSession);
    if (SUCCEEDED(hr))
        hr = OpenDefaultStore(lpSession, &lpMDB);
    if (SUCCEEDED(hr))
        hr = HrGetOneProp((LPMAPIPROP)lpMDB, PR_IPM_SUBTREE_ENTRYID, &lpIPM);
    if (SUCCEEDED(hr))
        hr = IMsgStore_OpenEntry(lpMDB, lpIPM->Value.bin.cb, (LPENTRYID)lpIPM->Value.bin.lpb,
                                 NULL, MAPI_MODIFY, &ulType, (LPUNKNOWN *)&lpRoot);
    if (SUCCEEDED(hr))
        hr = IMAPIFolder_CreateFolder(lpRoot, FOLDER_GENERIC, (LPTSTR) "Port Copy", NULL, NULL,
                                      OPEN_IF_EXISTS, &lpFolder);
    if (SUCCEEDED(hr))
        hr = MakeSource(lpFolder, &lpSrc);
    if (SUCCEEDED(hr))
        Show("source", lpSrc);

    if (SUCCEEDED(hr))
        hr = IMAPIFolder_CreateMessage(lpFolder, NULL, 0, &lpAll);
    if (SUCCEEDED(hr))
        hr = IMessage_CopyTo(lpSrc, 0, NULL, (LPSPropTagArray)&sptaNoImportance, 0, NULL,
                             &IID_IMessage, lpAll, 0, &lpProblems);
    if (SUCCEEDED(hr)) {
        printf("CopyTo without PR_IMPORTANCE: %s, problems %lu\n", hr == S_OK ? "S_OK" : "warning",
               (unsigned long)(lpProblems ? lpProblems->cProblem : 0));
        MAPIFreeBuffer(lpProblems);
        lpProblems = NULL;
        hr = IMessage_SaveChanges(lpAll, KEEP_OPEN_READWRITE);
    }
    if (SUCCEEDED(hr))
        Show("copy", lpAll);

    if (SUCCEEDED(hr))
        hr = IMAPIFolder_CreateMessage(lpFolder, NULL, 0, &lpPropsOnly);
    if (SUCCEEDED(hr))
        hr = IMessage_CopyTo(lpSrc, 0, NULL, (LPSPropTagArray)&sptaNoChildren, 0, NULL,
                             &IID_IMessage, lpPropsOnly, 0, NULL);
    if (SUCCEEDED(hr))
        hr = IMessage_SaveChanges(lpPropsOnly, KEEP_OPEN_READWRITE);
    if (SUCCEEDED(hr))
        Show("properties only", lpPropsOnly);

    if (SUCCEEDED(hr))
        hr = IMAPIFolder_CreateMessage(lpFolder, NULL, 0, &lpKept);
    if (SUCCEEDED(hr)) {
        SPropValue spv;
        spv.ulPropTag = PR_SUBJECT_A;
        spv.Value.lpszA = (LPSTR) "kept subject";
        hr = HrSetOneProp((LPMAPIPROP)lpKept, &spv);
    }
    if (SUCCEEDED(hr))
        hr = IMessage_CopyProps(lpSrc, (LPSPropTagArray)&sptaSome, 0, NULL, &IID_IMessage, lpKept,
                                MAPI_NOREPLACE, &lpProblems);
    if (SUCCEEDED(hr)) {
        printf("CopyProps with MAPI_NOREPLACE: %s, problems %lu\n",
               hr == S_OK ? "S_OK" : "warning",
               (unsigned long)(lpProblems ? lpProblems->cProblem : 0));
        MAPIFreeBuffer(lpProblems);
        lpProblems = NULL;
        hr = IMessage_SaveChanges(lpKept, KEEP_OPEN_READWRITE);
    }
    if (SUCCEEDED(hr))
        Show("no replace", lpKept);
    if (FAILED(hr))
        printf("failed: 0x%08lx\n", (unsigned long)hr);

    if (lpKept)
        IMessage_Release(lpKept);
    if (lpPropsOnly)
        IMessage_Release(lpPropsOnly);
    if (lpAll)
        IMessage_Release(lpAll);
    if (lpSrc)
        IMessage_Release(lpSrc);
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
    if (lpMDB)
        IMsgStore_Release(lpMDB);
    if (lpSession) {
        IMAPISession_Logoff(lpSession, 0, 0, 0);
        IMAPISession_Release(lpSession);
    }
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
