// converter.cpp - a .eml file into a MAPI message and back, as Outlook
// add-ins and migration tools do it: CoCreateInstance(CLSID_IConverterSession),
// OpenStreamOnFile over the .eml, IConverterSession::MIMEToMAPI into a new
// message of the Inbox, its subject, bodies and attachment read back, and
// MAPIToMIMEStm into a uniquely named temporary file (SOF_UNIQUEFILENAME)
// whose headers and parts are checked.
#include <windows.h>
#include <objbase.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <mapiguid.h>
#include <mimeole.h>
#include <iconvertersession.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <string>

static HRESULT OpenInbox(LPMAPISESSION lpSession, LPMDB *lppMDB, LPMAPIFOLDER *lppInbox)
{
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    static const SizedSPropTagArray(2, spta) = { 2, { PR_ENTRYID, PR_DEFAULT_STORE } };
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

// The whole stream, from its start, as a string.
static HRESULT ReadAll(LPSTREAM lpStream, std::string &out)
{
    LARGE_INTEGER li = {};
    HRESULT hr = lpStream->Seek(li, STREAM_SEEK_SET, NULL);
    char buf[4096];
    ULONG cbRead = 0;
    while (SUCCEEDED(hr) && SUCCEEDED(hr = lpStream->Read(buf, sizeof buf, &cbRead)) && cbRead)
        out.append(buf, cbRead);
    return hr;
}

static void PrintString(LPMESSAGE lpMessage, ULONG ulPropTag, const char *szLabel)
{
    LPSPropValue lpProp = NULL;
    if (SUCCEEDED(HrGetOneProp(lpMessage, ulPropTag, &lpProp))) {
        printf("%s: %s\n", szLabel, lpProp->Value.lpszA);
        MAPIFreeBuffer(lpProp);
    } else {
        printf("%s: (none)\n", szLabel);
    }
}

int main()
{
    HRESULT hr = S_OK;
    LPMAPISESSION lpSession = NULL;
    LPMDB lpMDB = NULL;
    LPMAPIFOLDER lpInbox = NULL;
    LPMESSAGE lpMessage = NULL;
    LPCONVERTERSESSION lpConverter = NULL;
    LPSTREAM lpEML = NULL, lpOut = NULL, lpBody = NULL;
    LPMAPITABLE lpAttTable = NULL;
    LPSRowSet lpRows = NULL;
    LPSPropValue lpEID = NULL;
    std::string in = std::string(getenv("FREEMAPI_PORTS_DATA")) + "/converted.eml";
    std::string dir = getenv("FREEMAPI_PORTS_TMP");
    std::string mime, body;

    CoInitialize(NULL);
    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION, &lpSession);
    if (SUCCEEDED(hr))
        hr = OpenInbox(lpSession, &lpMDB, &lpInbox);
    if (SUCCEEDED(hr))
        hr = CoCreateInstance(CLSID_IConverterSession, NULL, CLSCTX_INPROC_SERVER,
                              IID_IConverterSession, (LPVOID *)&lpConverter);
    if (SUCCEEDED(hr))
        hr = OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer, STGM_READ,
                              (LPTSTR)in.c_str(), NULL, &lpEML);
    if (SUCCEEDED(hr))
        hr = lpInbox->CreateMessage(NULL, 0, &lpMessage);
    if (SUCCEEDED(hr))
        hr = lpConverter->MIMEToMAPI(lpEML, lpMessage, NULL, CCSF_SMTP);
    if (SUCCEEDED(hr))
        hr = lpMessage->SaveChanges(KEEP_OPEN_READWRITE);
    if (FAILED(hr)) {
        printf("converting to MAPI failed: 0x%08lx\n", (unsigned long)hr);
        goto Cleanup;
    }
    PrintString(lpMessage, PR_SUBJECT_A, "subject");
    PrintString(lpMessage, PR_SENDER_NAME_A, "sender");
    PrintString(lpMessage, PR_MESSAGE_CLASS_A, "class");
    // Bodies can be larger than GetProps returns: open the stream.
    if (SUCCEEDED(lpMessage->OpenProperty(PR_BODY_A, &IID_IStream, STGM_READ, 0,
                                          (LPUNKNOWN *)&lpBody))) {
        ReadAll(lpBody, body);
        printf("plain body mentions the figures: %s\n",
               body.find("the figures are attached") != std::string::npos ? "yes" : "no");
        lpBody->Release();
        lpBody = NULL;
        body.clear();
    }
    if (SUCCEEDED(lpMessage->OpenProperty(PR_HTML, &IID_IStream, STGM_READ, 0,
                                          (LPUNKNOWN *)&lpBody))) {
        ReadAll(lpBody, body);
        printf("HTML body: %s\n", body.find("<p>Hello Bob,</p>") != std::string::npos ? "yes" : "no");
        lpBody->Release();
        lpBody = NULL;
    }
    hr = lpMessage->GetAttachmentTable(0, &lpAttTable);
    if (SUCCEEDED(hr)) {
        static const SizedSPropTagArray(2, spta) = { 2, { PR_ATTACH_LONG_FILENAME_A, PR_ATTACH_SIZE } };
        hr = HrQueryAllRows(lpAttTable, (LPSPropTagArray)&spta, NULL, NULL, 0, &lpRows);
    }
    if (SUCCEEDED(hr)) {
        printf("attachments: %lu\n", (unsigned long)lpRows->cRows);
        for (ULONG i = 0; i < lpRows->cRows; i++)
            printf("  %s\n", PROP_TYPE(lpRows->aRow[i].lpProps[0].ulPropTag) == PT_STRING8
                                 ? lpRows->aRow[i].lpProps[0].Value.lpszA
                                 : "(no name)");
    }

    // And back: into a new temporary file of its own.
    if (SUCCEEDED(hr))
        hr = OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer,
                              SOF_UNIQUEFILENAME | STGM_CREATE | STGM_READWRITE | STGM_DELETEONRELEASE,
                              (LPTSTR)dir.c_str(), (LPTSTR) "eml", &lpOut);
    if (SUCCEEDED(hr))
        hr = lpConverter->MAPIToMIMEStm(lpMessage, lpOut, CCSF_SMTP);
    if (SUCCEEDED(hr))
        hr = ReadAll(lpOut, mime);
    if (FAILED(hr)) {
        printf("converting to MIME failed: 0x%08lx\n", (unsigned long)hr);
        goto Cleanup;
    }
    printf("MIME subject: %s\n", mime.find("Subject: Port: converted") != std::string::npos ? "yes" : "no");
    printf("MIME multipart: %s\n", mime.find("multipart/") != std::string::npos ? "yes" : "no");
    printf("MIME attachment: %s\n", mime.find("figures.csv") != std::string::npos ? "yes" : "no");

    if (SUCCEEDED(hr = HrGetOneProp(lpMessage, PR_ENTRYID, &lpEID))) {
        ENTRYLIST el = { 1, &lpEID->Value.bin };
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
    if (lpOut)
        lpOut->Release();
    if (lpEML)
        lpEML->Release();
    if (lpConverter)
        lpConverter->Release();
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
    CoUninitialize();
    return FAILED(hr) ? 1 : 0;
}
