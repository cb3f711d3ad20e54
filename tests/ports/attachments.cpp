// attachments.cpp - a C++ client attaching a file the SDK's way:
// CreateAttach, PR_ATTACH_METHOD ATTACH_BY_VALUE, the data written through
// OpenProperty(PR_ATTACH_DATA_BIN, IID_IStream, STGM_CREATE | STGM_WRITE,
// MAPI_CREATE | MAPI_MODIFY) in chunks, SaveChanges on the attachment and
// the message, then the attachment table, OpenAttach and the data read back.
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <stdio.h>
#include <string.h>

static HRESULT OpenInbox(LPMAPISESSION lpSession, LPMDB *lppMDB, LPMAPIFOLDER *lppInbox)
{
    static const SizedSPropTagArray(2, spta) = { 2, { PR_ENTRYID, PR_DEFAULT_STORE } };
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    HRESULT hr = lpSession->GetMsgStoresTable(0, &lpTable);
    if (FAILED(hr))
        return hr;
    hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&spta, NULL, NULL, 0, &lpRows);
    lpTable->Release();
    if (FAILED(hr))
        return hr;
    for (ULONG i = 0; i < lpRows->cRows; i++) {
        if (lpRows->aRow[i].lpProps[1].Value.b) {
            SBinary &eid = lpRows->aRow[i].lpProps[0].Value.bin;
            hr = lpSession->OpenMsgStore(0, eid.cb, (LPENTRYID)eid.lpb, NULL, MDB_WRITE, lppMDB);
        }
    }
    FreeProws(lpRows);
    if (FAILED(hr))
        return hr;
    ULONG cbEID = 0, ulType = 0;
    LPENTRYID lpEID = NULL;
    hr = (*lppMDB)->GetReceiveFolder(NULL, 0, &cbEID, &lpEID, NULL);
    if (SUCCEEDED(hr))
        hr = (*lppMDB)->OpenEntry(cbEID, lpEID, NULL, MAPI_MODIFY, &ulType, (LPUNKNOWN *)lppInbox);
    MAPIFreeBuffer(lpEID);
    return hr;
}

static BYTE Pattern(ULONG i)
{
    return (BYTE)((i * 7 + i / 251) & 0xFF);
}

int main()
{
    const ULONG cbData = 300000;
    HRESULT hr = S_OK;
    LPMAPISESSION lpSession = NULL;
    LPMDB lpMDB = NULL;
    LPMAPIFOLDER lpInbox = NULL;
    LPMESSAGE lpMessage = NULL;
    LPATTACH lpAttach = NULL;
    LPSTREAM lpStream = NULL;
    LPMAPITABLE lpAttTable = NULL;
    LPSRowSet lpRows = NULL;
    LPSPropValue lpProp = NULL, lpEID = NULL;
    ULONG ulAttachNum = 0;

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION, &lpSession);
    if (SUCCEEDED(hr))
        hr = OpenInbox(lpSession, &lpMDB, &lpInbox);
    if (SUCCEEDED(hr))
        hr = lpInbox->CreateMessage(NULL, 0, &lpMessage);
    if (SUCCEEDED(hr)) {
        SPropValue pv;
        pv.ulPropTag = PR_SUBJECT_A;
        pv.Value.lpszA = (LPSTR) "Port: with an attachment";
        hr = HrSetOneProp(lpMessage, &pv);
    }
    if (SUCCEEDED(hr))
        hr = lpMessage->CreateAttach(NULL, 0, &ulAttachNum, &lpAttach);
    if (SUCCEEDED(hr)) {
        SPropValue pv[3];
        pv[0].ulPropTag = PR_ATTACH_METHOD;
        pv[0].Value.l = ATTACH_BY_VALUE;
        pv[1].ulPropTag = PR_ATTACH_LONG_FILENAME_A;
        pv[1].Value.lpszA = (LPSTR) "report.bin";
        pv[2].ulPropTag = PR_DISPLAY_NAME_A;
        pv[2].Value.lpszA = (LPSTR) "report.bin";
        hr = lpAttach->SetProps(3, pv, NULL);
    }
    if (SUCCEEDED(hr))
        hr = lpAttach->OpenProperty(PR_ATTACH_DATA_BIN, &IID_IStream, STGM_CREATE | STGM_WRITE,
                                    MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&lpStream);
    for (ULONG off = 0; SUCCEEDED(hr) && off < cbData;) {
        BYTE chunk[4096];
        ULONG n = cbData - off < sizeof chunk ? cbData - off : (ULONG)sizeof chunk, cbWritten = 0;
        for (ULONG i = 0; i < n; i++)
            chunk[i] = Pattern(off + i);
        hr = lpStream->Write(chunk, n, &cbWritten);
        off += cbWritten;
    }
    if (SUCCEEDED(hr))
        hr = lpStream->Commit(STGC_DEFAULT);
    if (lpStream) {
        lpStream->Release();
        lpStream = NULL;
    }
    if (SUCCEEDED(hr))
        hr = lpAttach->SaveChanges(0);
    if (lpAttach) {
        lpAttach->Release();
        lpAttach = NULL;
    }
    if (SUCCEEDED(hr))
        hr = lpMessage->SaveChanges(KEEP_OPEN_READWRITE);
    if (FAILED(hr)) {
        printf("attaching failed: 0x%08lx\n", (unsigned long)hr);
        goto Cleanup;
    }
    if (SUCCEEDED(HrGetOneProp(lpMessage, PR_HASATTACH, &lpProp))) {
        printf("PR_HASATTACH: %s\n", lpProp->Value.b ? "TRUE" : "FALSE");
        MAPIFreeBuffer(lpProp);
        lpProp = NULL;
    }

    hr = lpMessage->GetAttachmentTable(0, &lpAttTable);
    if (SUCCEEDED(hr)) {
        static const SizedSPropTagArray(3, spta) = {
            3, { PR_ATTACH_NUM, PR_ATTACH_LONG_FILENAME_A, PR_ATTACH_METHOD }
        };
        hr = HrQueryAllRows(lpAttTable, (LPSPropTagArray)&spta, NULL, NULL, 0, &lpRows);
    }
    if (SUCCEEDED(hr)) {
        printf("attachments: %lu\n", (unsigned long)lpRows->cRows);
        for (ULONG i = 0; i < lpRows->cRows; i++) {
            LPSPropValue p = lpRows->aRow[i].lpProps;
            printf("  %s by %s\n", p[1].Value.lpszA,
                   p[2].Value.l == ATTACH_BY_VALUE ? "value" : "other");
            hr = lpMessage->OpenAttach((ULONG)p[0].Value.l, NULL, MAPI_BEST_ACCESS, &lpAttach);
        }
    }
    if (SUCCEEDED(hr))
        hr = lpAttach->OpenProperty(PR_ATTACH_DATA_BIN, &IID_IStream, STGM_READ, 0,
                                    (LPUNKNOWN *)&lpStream);
    if (SUCCEEDED(hr)) {
        STATSTG stat;
        ULONG total = 0, bad = 0, cbRead = 0;
        BYTE buf[5000];
        hr = lpStream->Stat(&stat, STATFLAG_NONAME);
        printf("stream size: %llu\n", (unsigned long long)stat.cbSize.QuadPart);
        while (SUCCEEDED(hr) && SUCCEEDED(hr = lpStream->Read(buf, sizeof buf, &cbRead)) && cbRead) {
            for (ULONG i = 0; i < cbRead; i++)
                bad += buf[i] != Pattern(total + i);
            total += cbRead;
        }
        printf("read back: %lu bytes, %lu wrong\n", (unsigned long)total, (unsigned long)bad);
    }
    if (SUCCEEDED(hr) && SUCCEEDED(HrGetOneProp(lpAttach, PR_ATTACH_SIZE, &lpProp))) {
        printf("PR_ATTACH_SIZE covers the data: %s\n",
               (ULONG)lpProp->Value.l >= cbData ? "yes" : "no");
        MAPIFreeBuffer(lpProp);
        lpProp = NULL;
    }
    if (SUCCEEDED(hr) && SUCCEEDED(hr = HrGetOneProp(lpMessage, PR_ENTRYID, &lpEID))) {
        ENTRYLIST el = { 1, &lpEID->Value.bin };
        lpStream->Release();
        lpStream = NULL;
        lpAttach->Release();
        lpAttach = NULL;
        lpMessage->Release();
        lpMessage = NULL;
        hr = lpInbox->DeleteMessages(&el, 0, NULL, 0);
        printf("deleted: %s\n", hr == S_OK ? "S_OK" : "failed");
    }

Cleanup:
    MAPIFreeBuffer(lpEID);
    FreeProws(lpRows);
    if (lpAttTable)
        lpAttTable->Release();
    if (lpStream)
        lpStream->Release();
    if (lpAttach)
        lpAttach->Release();
    if (lpMessage)
        lpMessage->Release();
    if (lpInbox)
        lpInbox->Release();
    if (lpMDB)
        lpMDB->Release();
    if (lpSession) {
        lpSession->Logoff(0, 0, 0);
        lpSession->Release();
    }
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
