// streams.cpp - property streams from C++: a body larger than GetProps
// returns (MAPI_E_NOT_ENOUGH_MEMORY in the value, so the program opens the
// stream, as Windows programs must), written with IStream::Write, read
// back with Seek/Read, and copied with IStream::CopyTo into a stream class
// of the program's own that MAPI calls.
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <stdio.h>
#include <string.h>
#include <string>

// A growable memory stream: what a program hands to CopyTo.
class CStringStream : public IStream {
  public:
    std::string data;
    ULONG writes = 0;

    STDMETHODIMP QueryInterface(REFIID riid, LPVOID *ppv)
    {
        if (riid == IID_IUnknown || riid == IID_IStream || riid == IID_ISequentialStream) {
            *ppv = static_cast<IStream *>(this);
            AddRef();
            return S_OK;
        }
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    STDMETHODIMP_(ULONG) AddRef() { return ++m_cRef; }
    STDMETHODIMP_(ULONG) Release() { return --m_cRef; }
    STDMETHODIMP Read(void *, ULONG, ULONG *pcbRead)
    {
        if (pcbRead)
            *pcbRead = 0;
        return S_OK;
    }
    STDMETHODIMP Write(const void *pv, ULONG cb, ULONG *pcbWritten)
    {
        data.append(static_cast<const char *>(pv), cb);
        writes++;
        if (pcbWritten)
            *pcbWritten = cb;
        return S_OK;
    }
    STDMETHODIMP Seek(LARGE_INTEGER, DWORD, ULARGE_INTEGER *plibNewPosition)
    {
        if (plibNewPosition)
            plibNewPosition->QuadPart = data.size();
        return S_OK;
    }
    STDMETHODIMP SetSize(ULARGE_INTEGER) { return S_OK; }
    STDMETHODIMP CopyTo(IStream *, ULARGE_INTEGER, ULARGE_INTEGER *, ULARGE_INTEGER *)
    {
        return E_NOTIMPL;
    }
    STDMETHODIMP Commit(DWORD) { return S_OK; }
    STDMETHODIMP Revert() { return E_NOTIMPL; }
    STDMETHODIMP LockRegion(ULARGE_INTEGER, ULARGE_INTEGER, DWORD) { return STG_E_INVALIDFUNCTION; }
    STDMETHODIMP UnlockRegion(ULARGE_INTEGER, ULARGE_INTEGER, DWORD)
    {
        return STG_E_INVALIDFUNCTION;
    }
    STDMETHODIMP Stat(STATSTG *pstatstg, DWORD)
    {
        ZeroMemory(pstatstg, sizeof *pstatstg);
        pstatstg->type = STGTY_STREAM;
        pstatstg->cbSize.QuadPart = data.size();
        return S_OK;
    }
    STDMETHODIMP Clone(IStream **) { return E_NOTIMPL; }
    ULONG Refs() const { return m_cRef; }

  private:
    ULONG m_cRef = 1;
};

static HRESULT OpenInbox(LPMAPISESSION lpSession, LPMDB *lppMDB, LPMAPIFOLDER *lppInbox)
{
    static const SizedSPropTagArray(2, spta) = { 2, { PR_ENTRYID, PR_DEFAULT_STORE } };
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    HRESULT hr = lpSession->GetMsgStoresTable(0, &lpTable);
    if (SUCCEEDED(hr))
        hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&spta, NULL, NULL, 0, &lpRows);
    if (lpTable)
        lpTable->Release();
    for (ULONG i = 0; SUCCEEDED(hr) && i < lpRows->cRows; i++)
        if (lpRows->aRow[i].lpProps[1].Value.b)
            hr = lpSession->OpenMsgStore(0, lpRows->aRow[i].lpProps[0].Value.bin.cb,
                                         (LPENTRYID)lpRows->aRow[i].lpProps[0].Value.bin.lpb, NULL,
                                         MDB_WRITE, lppMDB);
    FreeProws(lpRows);
    ULONG cb = 0, type = 0;
    LPENTRYID lpEID = NULL;
    if (SUCCEEDED(hr))
        hr = (*lppMDB)->GetReceiveFolder(NULL, 0, &cb, &lpEID, NULL);
    if (SUCCEEDED(hr))
        hr = (*lppMDB)->OpenEntry(cb, lpEID, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)lppInbox);
    MAPIFreeBuffer(lpEID);
    return hr;
}

int main()
{
    HRESULT hr = S_OK;
    LPMAPISESSION lpSession = NULL;
    LPMDB lpMDB = NULL;
    LPMAPIFOLDER lpInbox = NULL;
    LPMESSAGE lpMessage = NULL;
    LPSTREAM lpStream = NULL;
    LPSPropValue lpProps = NULL, lpEID = NULL;
    ULONG cValues = 0;
    std::string body;
    for (int i = 0; i < 20000; i++)
        body += "line " + std::to_string(i) + " of a long body\r\n";

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION, &lpSession);
    if (SUCCEEDED(hr))
        hr = OpenInbox(lpSession, &lpMDB, &lpInbox);
    if (SUCCEEDED(hr))
        hr = lpInbox->CreateMessage(NULL, 0, &lpMessage);
    if (SUCCEEDED(hr))
        hr = lpMessage->OpenProperty(PR_BODY_A, &IID_IStream, STGM_CREATE | STGM_WRITE,
                                     MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&lpStream);
    for (size_t off = 0; SUCCEEDED(hr) && off < body.size(); off += 8192) {
        ULONG n = (ULONG)std::min<size_t>(8192, body.size() - off), written = 0;
        hr = lpStream->Write(body.data() + off, n, &written);
    }
    if (SUCCEEDED(hr))
        hr = lpStream->Commit(STGC_DEFAULT);
    if (lpStream) {
        lpStream->Release();
        lpStream = NULL;
    }
    if (SUCCEEDED(hr))
        hr = lpMessage->SaveChanges(KEEP_OPEN_READWRITE);
    if (FAILED(hr)) {
        printf("writing failed: 0x%08lx\n", (unsigned long)hr);
        goto Cleanup;
    }
    printf("body written: %zu bytes\n", body.size());

    // GetProps says the value is too big, as Windows stores do
    {
        static const SizedSPropTagArray(1, spta) = { 1, { PR_BODY_A } };
        hr = lpMessage->GetProps((LPSPropTagArray)&spta, 0, &cValues, &lpProps);
        printf("GetProps: %s, value %s\n", hr == MAPI_W_ERRORS_RETURNED ? "MAPI_W_ERRORS_RETURNED" : "S_OK",
               PROP_TYPE(lpProps[0].ulPropTag) == PT_ERROR &&
                       lpProps[0].Value.err == MAPI_E_NOT_ENOUGH_MEMORY
                   ? "MAPI_E_NOT_ENOUGH_MEMORY"
                   : "returned");
        MAPIFreeBuffer(lpProps);
        lpProps = NULL;
        hr = S_OK;
    }

    hr = lpMessage->OpenProperty(PR_BODY_A, &IID_IStream, STGM_READ, 0, (LPUNKNOWN *)&lpStream);
    if (SUCCEEDED(hr)) {
        LARGE_INTEGER li;
        li.QuadPart = (LONGLONG)body.size() - 24;
        ULARGE_INTEGER pos;
        char tail[64] = "";
        ULONG cbRead = 0;
        hr = lpStream->Seek(li, STREAM_SEEK_SET, &pos);
        if (SUCCEEDED(hr))
            hr = lpStream->Read(tail, sizeof tail - 1, &cbRead);
        tail[cbRead] = '\0';
        printf("tail after Seek: %s", tail);
    }
    if (SUCCEEDED(hr)) {
        LARGE_INTEGER zero;
        zero.QuadPart = 0;
        ULARGE_INTEGER all, cbRead, cbWritten;
        all.QuadPart = ~0ULL;
        CStringStream copy;
        hr = lpStream->Seek(zero, STREAM_SEEK_SET, NULL);
        if (SUCCEEDED(hr))
            hr = lpStream->CopyTo(&copy, all, &cbRead, &cbWritten);
        if (SUCCEEDED(hr)) {
            printf("CopyTo into the program's stream: %s, %s\n",
                   copy.data == body ? "identical" : "different",
                   cbRead.QuadPart == body.size() && cbWritten.QuadPart == body.size()
                       ? "counts right"
                       : "counts wrong");
            printf("the program's stream was written in pieces: %s; references back to 1: %s\n",
                   copy.writes > 1 ? "yes" : "no", copy.Refs() == 1 ? "yes" : "no");
        }
    }
    if (SUCCEEDED(hr) && SUCCEEDED(hr = HrGetOneProp(lpMessage, PR_ENTRYID, &lpEID))) {
        ENTRYLIST el = { 1, &lpEID->Value.bin };
        lpStream->Release();
        lpStream = NULL;
        lpMessage->Release();
        lpMessage = NULL;
        hr = lpInbox->DeleteMessages(&el, 0, NULL, 0);
        printf("deleted: %s\n", hr == S_OK ? "S_OK" : "failed");
    }

Cleanup:
    MAPIFreeBuffer(lpEID);
    if (lpStream)
        lpStream->Release();
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
