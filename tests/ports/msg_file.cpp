// msg_file.cpp - an Outlook .msg file written and read from C++ with the
// SDK's IMessage-on-IStorage, as tools that save messages to disk do it:
// StgCreateDocfile (transacted), OpenIMsgSession, OpenIMsgOnIStg over the
// new storage, properties, a recipient (ModifyRecipients) and an
// attachment, SaveChanges and IStorage::Commit; then StgIsStorageFile,
// StgOpenStorage, the [MS-OXMSG] streams looked up by name, the message
// opened again with OpenIMsgOnIStg and read back, CloseIMsgSession.
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <mapiguid.h>
#include <objidl.h>
#include <imessage.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static HRESULT AddRecipient(LPMESSAGE lpMsg)
{
    LPADRLIST lpAdrList = NULL;
    HRESULT hr = MAPIAllocateBuffer(CbNewADRLIST(1), (LPVOID *)&lpAdrList);
    if (FAILED(hr))
        return hr;
    lpAdrList->cEntries = 1;
    lpAdrList->aEntries[0].cValues = 4;
    hr = MAPIAllocateBuffer(4 * sizeof(SPropValue), (LPVOID *)&lpAdrList->aEntries[0].rgPropVals);
    if (SUCCEEDED(hr)) {
        LPSPropValue p = lpAdrList->aEntries[0].rgPropVals;
        p[0].ulPropTag = PR_DISPLAY_NAME_A;
        p[0].Value.lpszA = (LPSTR) "File Reader";
        p[1].ulPropTag = PR_ADDRTYPE_A;
        p[1].Value.lpszA = (LPSTR) "SMTP";
        p[2].ulPropTag = PR_EMAIL_ADDRESS_A;
        p[2].Value.lpszA = (LPSTR) "file.reader@example.org";
        p[3].ulPropTag = PR_RECIPIENT_TYPE;
        p[3].Value.l = MAPI_TO;
        hr = lpMsg->ModifyRecipients(MODRECIP_ADD, lpAdrList);
    } else {
        lpAdrList->cEntries = 0;
    }
    FreePadrlist(lpAdrList);
    return hr;
}

static HRESULT WriteMsg(LPMSGSESS lpSession, const OLECHAR *wszPath)
{
    LPSTORAGE lpStg = NULL;
    LPMESSAGE lpMsg = NULL;
    LPATTACH lpAttach = NULL;
    ULONG ulAttachNum = 0;
    static char szData[] = "contents of the attached file\n";
    HRESULT hr = StgCreateDocfile(wszPath, STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE |
                                               STGM_TRANSACTED,
                                  0, &lpStg);
    if (SUCCEEDED(hr))
        hr = OpenIMsgOnIStg(lpSession, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                            MAPIGetDefaultMalloc(), NULL, lpStg, NULL, 0, 0, &lpMsg);
    if (SUCCEEDED(hr)) {
        SPropValue rgProps[3];
        rgProps[0].ulPropTag = PR_MESSAGE_CLASS_A;
        rgProps[0].Value.lpszA = (LPSTR) "IPM.Note";
        rgProps[1].ulPropTag = PR_SUBJECT_A;
        rgProps[1].Value.lpszA = (LPSTR) "Saved as a .msg file";
        rgProps[2].ulPropTag = PR_BODY_A;
        rgProps[2].Value.lpszA = (LPSTR) "This message lives in a compound file.";
        hr = lpMsg->SetProps(3, rgProps, NULL);
    }
    if (SUCCEEDED(hr))
        hr = AddRecipient(lpMsg);
    if (SUCCEEDED(hr))
        hr = lpMsg->CreateAttach(NULL, 0, &ulAttachNum, &lpAttach);
    if (SUCCEEDED(hr)) {
        SPropValue rgProps[3];
        rgProps[0].ulPropTag = PR_ATTACH_METHOD;
        rgProps[0].Value.l = ATTACH_BY_VALUE;
        rgProps[1].ulPropTag = PR_ATTACH_LONG_FILENAME_A;
        rgProps[1].Value.lpszA = (LPSTR) "inside.txt";
        rgProps[2].ulPropTag = PR_ATTACH_DATA_BIN;
        rgProps[2].Value.bin.cb = (ULONG)strlen(szData);
        rgProps[2].Value.bin.lpb = (LPBYTE)szData;
        hr = lpAttach->SetProps(3, rgProps, NULL);
    }
    if (SUCCEEDED(hr))
        hr = lpAttach->SaveChanges(0);
    if (SUCCEEDED(hr))
        hr = lpMsg->SaveChanges(0);
    if (SUCCEEDED(hr))
        hr = lpStg->Commit(STGC_DEFAULT);
    printf("written: %s\n", SUCCEEDED(hr) ? "S_OK" : "failed");
    if (lpAttach)
        lpAttach->Release();
    if (lpMsg)
        lpMsg->Release();
    if (lpStg)
        lpStg->Release();
    return hr;
}

static HRESULT ReadMsg(LPMSGSESS lpSession, const OLECHAR *wszPath)
{
    static const SizedSPropTagArray(3, spta) = { 3, { PR_MESSAGE_CLASS_A, PR_SUBJECT_A, PR_BODY_A } };
    static const SizedSPropTagArray(2, sptaRecip) = { 2, { PR_DISPLAY_NAME_A, PR_EMAIL_ADDRESS_A } };
    LPSTORAGE lpStg = NULL;
    LPSTREAM lpSubject = NULL;
    LPMESSAGE lpMsg = NULL;
    LPATTACH lpAttach = NULL;
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    LPSPropValue lpProps = NULL, lpData = NULL;
    ULONG cValues = 0;
    HRESULT hr = StgIsStorageFile(wszPath);
    printf("StgIsStorageFile: %s\n", hr == S_OK ? "S_OK" : "not a compound file");
    if (SUCCEEDED(hr))
        hr = StgOpenStorage(wszPath, NULL, STGM_READ | STGM_TRANSACTED, NULL, 0, &lpStg);
    if (SUCCEEDED(hr)) {
        // the subject as [MS-OXMSG] stores it: a Unicode string stream
        HRESULT hrStream = lpStg->OpenStream(u"__substg1.0_0037001F", NULL,
                                             STGM_READ | STGM_SHARE_EXCLUSIVE, 0, &lpSubject);
        printf("__substg1.0_0037001F: %s\n", SUCCEEDED(hrStream) ? "present" : "missing");
        // an element of a compound file is open once at a time: closed before the message reads it
        if (lpSubject)
            lpSubject->Release();
        lpSubject = NULL;
    }
    if (SUCCEEDED(hr))
        hr = OpenIMsgOnIStg(lpSession, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                            MAPIGetDefaultMalloc(), NULL, lpStg, NULL, 0, 0, &lpMsg);
    if (SUCCEEDED(hr))
        hr = lpMsg->GetProps((LPSPropTagArray)&spta, 0, &cValues, &lpProps);
    if (hr == S_OK) {
        printf("class: %s\n", lpProps[0].Value.lpszA);
        printf("subject: %s\n", lpProps[1].Value.lpszA);
        printf("body: %s\n", lpProps[2].Value.lpszA);
    } else if (SUCCEEDED(hr)) {
        printf("properties missing\n");
    }
    if (SUCCEEDED(hr))
        hr = lpMsg->GetRecipientTable(0, &lpTable);
    if (SUCCEEDED(hr))
        hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&sptaRecip, NULL, NULL, 0, &lpRows);
    if (SUCCEEDED(hr))
        for (ULONG i = 0; i < lpRows->cRows; i++)
            printf("recipient: %s <%s>\n", lpRows->aRow[i].lpProps[0].Value.lpszA,
                   lpRows->aRow[i].lpProps[1].Value.lpszA);
    if (SUCCEEDED(hr))
        hr = lpMsg->OpenAttach(0, NULL, 0, &lpAttach);
    if (SUCCEEDED(hr))
        hr = HrGetOneProp(lpAttach, PR_ATTACH_DATA_BIN, &lpData);
    if (SUCCEEDED(hr))
        printf("attachment 0: %lu bytes: %.*s", (unsigned long)lpData->Value.bin.cb,
               (int)lpData->Value.bin.cb, (const char *)lpData->Value.bin.lpb);
    MAPIFreeBuffer(lpData);
    MAPIFreeBuffer(lpProps);
    FreeProws(lpRows);
    if (lpTable)
        lpTable->Release();
    if (lpAttach)
        lpAttach->Release();
    if (lpMsg)
        lpMsg->Release();
    if (lpSubject)
        lpSubject->Release();
    if (lpStg)
        lpStg->Release();
    return hr;
}

int main()
{
    HRESULT hr;
    LPMSGSESS lpSession = NULL;
    OLECHAR wszPath[1024];
    char szPath[1024];
    const char *szDir = getenv("FREEMAPI_PORTS_TMP");

    snprintf(szPath, sizeof szPath, "%s/port-message.msg", szDir ? szDir : ".");
    // the path is ASCII: widened as MultiByteToWideChar would
    size_t i = 0;
    for (; szPath[i] && i + 1 < sizeof wszPath / sizeof wszPath[0]; i++)
        wszPath[i] = (OLECHAR)(unsigned char)szPath[i];
    wszPath[i] = 0;

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = OpenIMsgSession(MAPIGetDefaultMalloc(), 0, &lpSession);
    if (SUCCEEDED(hr))
        hr = WriteMsg(lpSession, wszPath);
    if (SUCCEEDED(hr))
        hr = ReadMsg(lpSession, wszPath);
    if (FAILED(hr))
        printf("failed: 0x%08lx\n", (unsigned long)hr);
    if (lpSession)
        CloseIMsgSession(lpSession);
    MAPIUninitialize();
    remove(szPath);
    return FAILED(hr) ? 1 : 0;
}
