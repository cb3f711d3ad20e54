// progress.cpp - a progress object written as a C++ class, as Outlook-era
// samples write it (the "Displaying Progress" pattern): MAPI_TOP_LEVEL at
// first, SetLimits taking the provider's range, Progress recording what it
// is told; handed to CopyMessages (MESSAGE_MOVE | MESSAGE_DIALOG) and to
// EmptyFolder (FOLDER_DIALOG), then a second run cancelled from Progress.
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <stdio.h>

class CProgress : public IMAPIProgress {
  public:
    CProgress(ULONG cancelAfter = 0) : m_cancelAfter(cancelAfter) {}
    virtual ~CProgress() {}

    STDMETHODIMP QueryInterface(REFIID riid, LPVOID *ppvObj)
    {
        *ppvObj = NULL;
        if (riid == IID_IUnknown || riid == IID_IMAPIProgress) {
            *ppvObj = static_cast<IMAPIProgress *>(this);
            AddRef();
            return S_OK;
        }
        return E_NOINTERFACE;
    }
    STDMETHODIMP_(ULONG) AddRef() { return ++m_cRef; }
    STDMETHODIMP_(ULONG) Release()
    {
        ULONG c = --m_cRef;
        if (c == 0)
            delete this;
        return c;
    }
    STDMETHODIMP Progress(ULONG ulValue, ULONG ulCount, ULONG ulTotal)
    {
        m_calls++;
        m_last = ulValue;
        m_lastCount = ulCount;
        m_lastTotal = ulTotal;
        if (ulValue < m_prev)
            m_backwards = true;
        m_prev = ulValue;
        if (m_cancelAfter && m_calls >= m_cancelAfter)
            return MAPI_E_USER_CANCEL;
        return S_OK;
    }
    STDMETHODIMP GetFlags(ULONG *lpulFlags)
    {
        *lpulFlags = m_flags;
        return S_OK;
    }
    STDMETHODIMP GetMax(ULONG *lpulMax)
    {
        *lpulMax = m_max;
        return S_OK;
    }
    STDMETHODIMP GetMin(ULONG *lpulMin)
    {
        *lpulMin = m_min;
        return S_OK;
    }
    STDMETHODIMP SetLimits(LPULONG lpulMin, LPULONG lpulMax, LPULONG lpulFlags)
    {
        if (lpulMin)
            m_min = *lpulMin;
        if (lpulMax)
            m_max = *lpulMax;
        if (lpulFlags)
            m_flags = *lpulFlags;
        m_limitsSet = true;
        return S_OK;
    }

    ULONG m_calls = 0, m_last = 0, m_lastCount = 0, m_lastTotal = 0, m_prev = 0;
    bool m_backwards = false, m_limitsSet = false;
    ULONG m_min = 0, m_max = 1000, m_flags = MAPI_TOP_LEVEL;

  private:
    ULONG m_cRef = 1;
    ULONG m_cancelAfter;
};

static HRESULT OpenIPM(LPMAPISESSION lpSession, LPMDB *lppMDB, LPMAPIFOLDER *lppIPM)
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
    LPSPropValue lpEID = NULL;
    ULONG type = 0;
    if (SUCCEEDED(hr))
        hr = HrGetOneProp(*lppMDB, PR_IPM_SUBTREE_ENTRYID, &lpEID);
    if (SUCCEEDED(hr))
        hr = (*lppMDB)->OpenEntry(lpEID->Value.bin.cb, (LPENTRYID)lpEID->Value.bin.lpb, NULL,
                                  MAPI_MODIFY, &type, (LPUNKNOWN *)lppIPM);
    MAPIFreeBuffer(lpEID);
    return hr;
}

static HRESULT Fill(LPMAPIFOLDER lpFolder, int n)
{
    HRESULT hr = S_OK;
    for (int i = 0; i < n && SUCCEEDED(hr); i++) {
        LPMESSAGE lpMsg = NULL;
        hr = lpFolder->CreateMessage(NULL, 0, &lpMsg);
        if (SUCCEEDED(hr)) {
            SPropValue pv;
            char subject[32];
            snprintf(subject, sizeof subject, "item %d", i);
            pv.ulPropTag = PR_SUBJECT_A;
            pv.Value.lpszA = subject;
            hr = HrSetOneProp(lpMsg, &pv);
            if (SUCCEEDED(hr))
                hr = lpMsg->SaveChanges(0);
            lpMsg->Release();
        }
    }
    return hr;
}

static ULONG Count(LPMAPIFOLDER lpFolder)
{
    LPSPropValue lpProp = NULL;
    ULONG n = 0;
    if (SUCCEEDED(HrGetOneProp(lpFolder, PR_CONTENT_COUNT, &lpProp)))
        n = (ULONG)lpProp->Value.l;
    MAPIFreeBuffer(lpProp);
    return n;
}

int main()
{
    HRESULT hr = S_OK;
    LPMAPISESSION lpSession = NULL;
    LPMDB lpMDB = NULL;
    LPMAPIFOLDER lpIPM = NULL, lpFrom = NULL, lpTo = NULL;
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    LPENTRYLIST lpList = NULL;

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION, &lpSession);
    if (SUCCEEDED(hr))
        hr = OpenIPM(lpSession, &lpMDB, &lpIPM);
    if (SUCCEEDED(hr))
        hr = lpIPM->CreateFolder(FOLDER_GENERIC, (LPTSTR) "Port Progress From", NULL, NULL,
                                 OPEN_IF_EXISTS, &lpFrom);
    if (SUCCEEDED(hr))
        hr = lpIPM->CreateFolder(FOLDER_GENERIC, (LPTSTR) "Port Progress To", NULL, NULL,
                                 OPEN_IF_EXISTS, &lpTo);
    if (SUCCEEDED(hr))
        hr = Fill(lpFrom, 40);
    // every message's entry ID into an ENTRYLIST, as programs build one
    if (SUCCEEDED(hr))
        hr = lpFrom->GetContentsTable(0, &lpTable);
    if (SUCCEEDED(hr)) {
        static const SizedSPropTagArray(1, spta) = { 1, { PR_ENTRYID } };
        hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&spta, NULL, NULL, 0, &lpRows);
    }
    if (SUCCEEDED(hr))
        hr = MAPIAllocateBuffer(sizeof(ENTRYLIST), (LPVOID *)&lpList);
    if (SUCCEEDED(hr))
        hr = MAPIAllocateMore(lpRows->cRows * sizeof(SBinary), lpList, (LPVOID *)&lpList->lpbin);
    if (FAILED(hr)) {
        printf("setup failed: 0x%08lx\n", (unsigned long)hr);
        goto Cleanup;
    }
    lpList->cValues = lpRows->cRows;
    for (ULONG i = 0; i < lpRows->cRows; i++)
        lpList->lpbin[i] = lpRows->aRow[i].lpProps[0].Value.bin;
    {
        CProgress *pProgress = new CProgress();
        hr = lpFrom->CopyMessages(lpList, NULL, lpTo, 0, pProgress, MESSAGE_MOVE | MESSAGE_DIALOG);
        printf("move: %s, %lu left, %lu moved\n", hr == S_OK ? "S_OK" : "failed",
               (unsigned long)Count(lpFrom), (unsigned long)Count(lpTo));
        printf("  progress called: %s; limits set: %s; ended at the maximum: %s; never back: %s\n",
               pProgress->m_calls > 0 ? "yes" : "no", pProgress->m_limitsSet ? "yes" : "no",
               pProgress->m_last == pProgress->m_max ? "yes" : "no",
               pProgress->m_backwards ? "no" : "yes");
        printf("  last count/total: %lu/%lu\n", (unsigned long)pProgress->m_lastCount,
               (unsigned long)pProgress->m_lastTotal);
        pProgress->Release();
    }
    {
        // cancelled at its first report: the operation stops, part done
        CProgress *pCancel = new CProgress(1);
        hr = lpTo->EmptyFolder(0, pCancel, FOLDER_DIALOG);
        printf("cancelled empty: %s, some left: %s\n",
               hr == MAPI_E_USER_CANCEL ? "MAPI_E_USER_CANCEL" : "other",
               Count(lpTo) > 0 ? "yes" : "no");
        pCancel->Release();
        CProgress *pEmpty = new CProgress();
        hr = lpTo->EmptyFolder(0, pEmpty, FOLDER_DIALOG);
        printf("empty: %s, %lu left, progress ended at the maximum: %s\n",
               hr == S_OK ? "S_OK" : "failed", (unsigned long)Count(lpTo),
               pEmpty->m_last == pEmpty->m_max ? "yes" : "no");
        pEmpty->Release();
    }
    // the folders go
    for (LPMAPIFOLDER *pp = &lpFrom; pp; pp = pp == &lpFrom ? &lpTo : NULL) {
        LPSPropValue lpEID = NULL;
        if (SUCCEEDED(HrGetOneProp(*pp, PR_ENTRYID, &lpEID))) {
            (*pp)->Release();
            *pp = NULL;
            lpIPM->DeleteFolder(lpEID->Value.bin.cb, (LPENTRYID)lpEID->Value.bin.lpb, 0, NULL,
                                DEL_FOLDERS | DEL_MESSAGES);
        }
        MAPIFreeBuffer(lpEID);
    }

Cleanup:
    MAPIFreeBuffer(lpList);
    FreeProws(lpRows);
    if (lpTable)
        lpTable->Release();
    if (lpTo)
        lpTo->Release();
    if (lpFrom)
        lpFrom->Release();
    if (lpIPM)
        lpIPM->Release();
    if (lpMDB)
        lpMDB->Release();
    if (lpSession) {
        lpSession->Logoff(0, 0, 0);
        lpSession->Release();
    }
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
