// tnef.cpp - a message encoded as TNEF and decoded again, as a transport
// provider does it for winmail.dat: OpenStreamOnFile with
// SOF_UNIQUEFILENAME and STGM_DELETEONRELEASE for the stream,
// OpenTnefStream(TNEF_ENCODE | TNEF_BEST_DATA), ITnef::AddProps with
// TNEF_PROP_EXCLUDE (the message's properties but its transport ones),
// Finish, the stream's signature and GetTnefStreamCodepage checked, then
// OpenTnefStream(TNEF_DECODE) into a second message, ExtractProps, and the
// decoded message's properties and attachment read.
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <tnef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static HRESULT OpenDefaultStore(LPMAPISESSION lpSession, LPMDB *lppMDB)
{
    static const SizedSPropTagArray(2, spta) = { 2, { PR_ENTRYID, PR_DEFAULT_STORE } };
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    HRESULT hr = lpSession->GetMsgStoresTable(0, &lpTable);
    if (SUCCEEDED(hr))
        hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&spta, NULL, NULL, 0, &lpRows);
    if (lpTable)
        lpTable->Release();
    if (FAILED(hr))
        return hr;
    hr = MAPI_E_NOT_FOUND;
    for (ULONG i = 0; i < lpRows->cRows; i++)
        if (lpRows->aRow[i].lpProps[1].Value.b) {
            hr = lpSession->OpenMsgStore(0, lpRows->aRow[i].lpProps[0].Value.bin.cb,
                                         (LPENTRYID)lpRows->aRow[i].lpProps[0].Value.bin.lpb,
                                         NULL, MDB_WRITE, lppMDB);
            break;
        }
    FreeProws(lpRows);
    return hr;
}

static HRESULT MakeSource(LPMAPIFOLDER lpFolder, LPMESSAGE *lppMsg)
{
    LPMESSAGE lpMsg = NULL;
    LPATTACH lpAttach = NULL;
    ULONG ulAttachNum = 0;
    static char szData[] = "attached text\n";
    HRESULT hr = lpFolder->CreateMessage(NULL, 0, &lpMsg);
    if (SUCCEEDED(hr)) {
        SPropValue rgProps[4];
        rgProps[0].ulPropTag = PR_SUBJECT_A;
        rgProps[0].Value.lpszA = (LPSTR) "TNEF round trip";
        rgProps[1].ulPropTag = PR_BODY_A;
        rgProps[1].Value.lpszA = (LPSTR) "The body of the TNEF message.";
        rgProps[2].ulPropTag = PR_IMPORTANCE;
        rgProps[2].Value.l = IMPORTANCE_HIGH;
        rgProps[3].ulPropTag = PR_MESSAGE_CLASS_A;
        rgProps[3].Value.lpszA = (LPSTR) "IPM.Note";
        hr = lpMsg->SetProps(4, rgProps, NULL);
    }
    if (SUCCEEDED(hr))
        hr = lpMsg->CreateAttach(NULL, 0, &ulAttachNum, &lpAttach);
    if (SUCCEEDED(hr)) {
        SPropValue rgProps[3];
        rgProps[0].ulPropTag = PR_ATTACH_METHOD;
        rgProps[0].Value.l = ATTACH_BY_VALUE;
        rgProps[1].ulPropTag = PR_ATTACH_LONG_FILENAME_A;
        rgProps[1].Value.lpszA = (LPSTR) "note.txt";
        rgProps[2].ulPropTag = PR_ATTACH_DATA_BIN;
        rgProps[2].Value.bin.cb = (ULONG)strlen(szData);
        rgProps[2].Value.bin.lpb = (LPBYTE)szData;
        hr = lpAttach->SetProps(3, rgProps, NULL);
    }
    if (SUCCEEDED(hr))
        hr = lpAttach->SaveChanges(0);
    if (lpAttach)
        lpAttach->Release();
    if (SUCCEEDED(hr))
        hr = lpMsg->SaveChanges(KEEP_OPEN_READWRITE);
    if (SUCCEEDED(hr))
        *lppMsg = lpMsg;
    else if (lpMsg)
        lpMsg->Release();
    return hr;
}

static HRESULT Encode(LPMESSAGE lpMsg, LPSTREAM lpStream)
{
    // what a transport leaves out of winmail.dat
    static const SizedSPropTagArray(4, sptaExclude) = {
        4, { PR_ENTRYID, PR_PARENT_ENTRYID, PR_STORE_ENTRYID, PR_SEARCH_KEY }
    };
    LPITNEF lpTnef = NULL;
    LPSTnefProblemArray lpProblems = NULL;
    WORD wKey = 0;
    HRESULT hr = OpenTnefStream(NULL, lpStream, (LPTSTR) "winmail.dat", TNEF_ENCODE | TNEF_BEST_DATA,
                                lpMsg, 0x0101, &lpTnef);
    if (SUCCEEDED(hr))
        hr = lpTnef->AddProps(TNEF_PROP_EXCLUDE, 0, NULL, (LPSPropTagArray)&sptaExclude);
    if (SUCCEEDED(hr))
        hr = lpTnef->Finish(0, &wKey, &lpProblems);
    if (SUCCEEDED(hr))
        printf("encoded: problems %lu\n", (unsigned long)(lpProblems ? lpProblems->cProblem : 0));
    MAPIFreeBuffer(lpProblems);
    if (lpTnef)
        lpTnef->Release();
    return hr;
}

static HRESULT CheckStream(LPSTREAM lpStream)
{
    LARGE_INTEGER liZero = {};
    ULARGE_INTEGER uliSize = {};
    BYTE sig[4];
    ULONG cb = 0, ulCodepage = 0, ulSubCodepage = 0;
    HRESULT hr = lpStream->Seek(liZero, STREAM_SEEK_END, &uliSize);
    if (SUCCEEDED(hr))
        hr = lpStream->Seek(liZero, STREAM_SEEK_SET, NULL);
    if (SUCCEEDED(hr))
        hr = lpStream->Read(sig, sizeof sig, &cb);
    if (SUCCEEDED(hr)) {
        ULONG ulSig = (ULONG)sig[0] | (ULONG)sig[1] << 8 | (ULONG)sig[2] << 16 | (ULONG)sig[3] << 24;
        printf("stream: signature 0x%08lX, not empty: %s\n", (unsigned long)ulSig,
               uliSize.QuadPart > 4 ? "yes" : "no");
        hr = lpStream->Seek(liZero, STREAM_SEEK_SET, NULL);
    }
    if (SUCCEEDED(hr))
        hr = GetTnefStreamCodepage(lpStream, &ulCodepage, &ulSubCodepage);
    if (SUCCEEDED(hr))
        printf("GetTnefStreamCodepage: S_OK\n");
    return hr;
}

static HRESULT Decode(LPSTREAM lpStream, LPMESSAGE lpMsg)
{
    LARGE_INTEGER liZero = {};
    LPITNEF lpTnef = NULL;
    LPSTnefProblemArray lpProblems = NULL;
    HRESULT hr = lpStream->Seek(liZero, STREAM_SEEK_SET, NULL);
    if (SUCCEEDED(hr))
        hr = OpenTnefStream(NULL, lpStream, (LPTSTR) "winmail.dat", TNEF_DECODE, lpMsg, 0x0101,
                            &lpTnef);
    if (SUCCEEDED(hr))
        hr = lpTnef->ExtractProps(TNEF_PROP_EXCLUDE, NULL, &lpProblems);
    if (SUCCEEDED(hr))
        printf("decoded: problems %lu\n", (unsigned long)(lpProblems ? lpProblems->cProblem : 0));
    MAPIFreeBuffer(lpProblems);
    if (lpTnef)
        lpTnef->Release();
    if (SUCCEEDED(hr))
        hr = lpMsg->SaveChanges(KEEP_OPEN_READWRITE);
    return hr;
}

static HRESULT Show(LPMESSAGE lpMsg)
{
    static const SizedSPropTagArray(4, spta) = {
        4, { PR_SUBJECT_A, PR_BODY_A, PR_IMPORTANCE, PR_MESSAGE_CLASS_A }
    };
    static const SizedSPropTagArray(2, sptaAttach) = {
        2, { PR_ATTACH_LONG_FILENAME_A, PR_ATTACH_SIZE }
    };
    LPSPropValue lpProps = NULL;
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    ULONG cValues = 0;
    HRESULT hr = lpMsg->GetProps((LPSPropTagArray)&spta, 0, &cValues, &lpProps);
    if (hr == S_OK) {
        printf("subject: %s\n", lpProps[0].Value.lpszA);
        printf("body: %s\n", lpProps[1].Value.lpszA);
        printf("importance: %s\n", lpProps[2].Value.l == IMPORTANCE_HIGH ? "high" : "other");
        printf("class: %s\n", lpProps[3].Value.lpszA);
    } else if (SUCCEEDED(hr)) {
        printf("properties missing after the decode\n");
    }
    MAPIFreeBuffer(lpProps);
    if (SUCCEEDED(hr))
        hr = lpMsg->GetAttachmentTable(0, &lpTable);
    if (SUCCEEDED(hr))
        hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&sptaAttach, NULL, NULL, 0, &lpRows);
    if (SUCCEEDED(hr)) {
        printf("attachments: %lu\n", (unsigned long)lpRows->cRows);
        for (ULONG i = 0; i < lpRows->cRows; i++)
            printf("  %s\n", PROP_TYPE(lpRows->aRow[i].lpProps[0].ulPropTag) == PT_STRING8
                                 ? lpRows->aRow[i].lpProps[0].Value.lpszA
                                 : "(no name)");
    }
    FreeProws(lpRows);
    if (lpTable)
        lpTable->Release();
    return hr;
}

int main()
{
    HRESULT hr = S_OK;
    LPMAPISESSION lpSession = NULL;
    LPMDB lpMDB = NULL;
    LPSPropValue lpIPM = NULL, lpFolderEID = NULL;
    LPMAPIFOLDER lpRoot = NULL, lpFolder = NULL;
    LPMESSAGE lpSrc = NULL, lpDst = NULL;
    LPSTREAM lpStream = NULL;
    ULONG ulType = 0;
    const char *szDir = getenv("FREEMAPI_PORTS_TMP");

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION, &lpSession);
    if (SUCCEEDED(hr))
        hr = OpenDefaultStore(lpSession, &lpMDB);
    if (SUCCEEDED(hr))
        hr = HrGetOneProp(lpMDB, PR_IPM_SUBTREE_ENTRYID, &lpIPM);
    if (SUCCEEDED(hr))
        hr = lpMDB->OpenEntry(lpIPM->Value.bin.cb, (LPENTRYID)lpIPM->Value.bin.lpb, NULL,
                              MAPI_MODIFY, &ulType, (LPUNKNOWN *)&lpRoot);
    if (SUCCEEDED(hr))
        hr = lpRoot->CreateFolder(FOLDER_GENERIC, (LPTSTR) "Port TNEF", NULL, NULL, OPEN_IF_EXISTS,
                                  &lpFolder);
    if (SUCCEEDED(hr))
        hr = MakeSource(lpFolder, &lpSrc);
    if (SUCCEEDED(hr))
        hr = OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer,
                              STGM_READWRITE | STGM_CREATE | SOF_UNIQUEFILENAME | STGM_DELETEONRELEASE,
                              (LPSTR)szDir, (LPSTR) "tnf", &lpStream);
    if (SUCCEEDED(hr))
        hr = Encode(lpSrc, lpStream);
    if (SUCCEEDED(hr))
        hr = CheckStream(lpStream);
    if (SUCCEEDED(hr))
        hr = lpFolder->CreateMessage(NULL, 0, &lpDst);
    if (SUCCEEDED(hr))
        hr = Decode(lpStream, lpDst);
    if (SUCCEEDED(hr))
        hr = Show(lpDst);
    if (FAILED(hr))
        printf("failed: 0x%08lx\n", (unsigned long)hr);

    if (lpStream)
        lpStream->Release();
    if (lpDst)
        lpDst->Release();
    if (lpSrc)
        lpSrc->Release();
    if (lpFolder) {
        if (SUCCEEDED(HrGetOneProp(lpFolder, PR_ENTRYID, &lpFolderEID))) {
            lpFolder->Release();
            lpRoot->DeleteFolder(lpFolderEID->Value.bin.cb, (LPENTRYID)lpFolderEID->Value.bin.lpb, 0,
                                 NULL, DEL_MESSAGES | DEL_FOLDERS);
        } else {
            lpFolder->Release();
        }
    }
    MAPIFreeBuffer(lpFolderEID);
    if (lpRoot)
        lpRoot->Release();
    MAPIFreeBuffer(lpIPM);
    if (lpMDB)
        lpMDB->Release();
    if (lpSession) {
        lpSession->Logoff(0, 0, 0);
        lpSession->Release();
    }
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
