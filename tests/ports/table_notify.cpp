// table_notify.cpp - an in-memory table (CreateTable) whose view a C++
// advise sink watches, as a provider's status or hierarchy table is
// watched by its client: the sink wrapped with HrThisThreadAdviseSink so
// that its OnNotify runs on the main thread inside HrDispatchNotifications;
// the view advised for fnevTableModified; rows added, changed and deleted
// with HrModifyRow, HrModifyRows, HrInsertRow, HrDeleteRow and
// HrDeleteRows(TAD_ALL_ROWS), each change's events printed; HrEnumRow
// walking the table data.
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <mapiguid.h>
#include <stdio.h>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

enum { iRowID, iName, cCols };
static SizedSPropTagArray(cCols, sptCols) = { cCols, { PR_ROWID, PR_DISPLAY_NAME_A } };

class CTableSink : public IMAPIAdviseSink {
  public:
    virtual ~CTableSink() {}
    STDMETHODIMP QueryInterface(REFIID riid, LPVOID *ppvObj)
    {
        *ppvObj = NULL;
        if (riid == IID_IUnknown || riid == IID_IMAPIAdviseSink) {
            *ppvObj = static_cast<IMAPIAdviseSink *>(this);
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
    // called on the main thread only (HrThisThreadAdviseSink)
    STDMETHODIMP_(ULONG) OnNotify(ULONG cNotif, LPNOTIFICATION lpNotifications)
    {
        for (ULONG i = 0; i < cNotif; i++) {
            if (lpNotifications[i].ulEventType != fnevTableModified)
                continue;
            const TABLE_NOTIFICATION &tab = lpNotifications[i].info.tab;
            LPSPropValue lpName = PpropFindProp(tab.row.lpProps, tab.row.cValues, PR_DISPLAY_NAME_A);
            std::string s;
            switch (tab.ulTableEvent) {
            case TABLE_ROW_ADDED:
                s = "TABLE_ROW_ADDED";
                break;
            case TABLE_ROW_MODIFIED:
                s = "TABLE_ROW_MODIFIED";
                break;
            case TABLE_ROW_DELETED:
                s = "TABLE_ROW_DELETED";
                break;
            case TABLE_CHANGED:
                s = "TABLE_CHANGED";
                break;
            case TABLE_RELOAD:
                s = "TABLE_RELOAD";
                break;
            default:
                s = "event " + std::to_string(tab.ulTableEvent);
            }
            if (lpName)
                s += std::string(" ") + lpName->Value.lpszA;
            m_events.push_back(s);
        }
        return 0;
    }

    std::vector<std::string> m_events;

  private:
    ULONG m_cRef = 1;
};

static HRESULT PutRow(LPTABLEDATA lpTable, LONG lRowID, LPCSTR szName)
{
    SPropValue rgProps[cCols];
    SRow row = { 0, cCols, rgProps };
    rgProps[iRowID].ulPropTag = PR_ROWID;
    rgProps[iRowID].Value.l = lRowID;
    rgProps[iName].ulPropTag = PR_DISPLAY_NAME_A;
    rgProps[iName].Value.lpszA = (LPSTR)szName;
    return lpTable->HrModifyRow(&row);
}

// Dispatches this thread's notifications until cWanted events have come
// (or two seconds have passed), then prints and forgets them.
static void Dispatch(CTableSink *pSink, const char *szWhat, size_t cWanted)
{
    for (int i = 0; i < 200 && pSink->m_events.size() < cWanted; i++) {
        HrDispatchNotifications(0);
        if (pSink->m_events.size() < cWanted)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    printf("%s:", szWhat);
    for (const std::string &e : pSink->m_events)
        printf(" [%s]", e.c_str());
    printf("\n");
    pSink->m_events.clear();
}

int main()
{
    HRESULT hr;
    LPTABLEDATA lpTable = NULL;
    LPMAPITABLE lpView = NULL;
    LPMAPIADVISESINK lpThreadSink = NULL;
    ULONG_PTR ulConnection = 0;
    CTableSink *pSink = new CTableSink();

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = CreateTable(&IID_IMAPITableData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL,
                     TBLTYPE_DYNAMIC, PR_ROWID, (LPSPropTagArray)&sptCols, &lpTable);
    if (SUCCEEDED(hr))
        hr = PutRow(lpTable, 1, "first");
    if (SUCCEEDED(hr))
        hr = lpTable->HrGetView(NULL, NULL, 0, &lpView);
    if (SUCCEEDED(hr))
        hr = HrThisThreadAdviseSink(pSink, &lpThreadSink);
    if (SUCCEEDED(hr))
        hr = lpView->Advise(fnevTableModified, lpThreadSink, &ulConnection);
    if (FAILED(hr)) {
        printf("setup failed: 0x%08lx\n", (unsigned long)hr);
        goto Cleanup;
    }

    hr = PutRow(lpTable, 2, "second");
    if (SUCCEEDED(hr))
        Dispatch(pSink, "HrModifyRow, a new row", 1);
    if (SUCCEEDED(hr))
        hr = PutRow(lpTable, 1, "first, renamed");
    if (SUCCEEDED(hr))
        Dispatch(pSink, "HrModifyRow, an existing row", 1);
    if (SUCCEEDED(hr)) {
        SPropValue rgProps[2][cCols];
        SizedSRowSet(2, rows);
        const char *rgszNames[] = { "third", "fourth" };
        rows.cRows = 2;
        for (int i = 0; i < 2; i++) {
            rgProps[i][iRowID].ulPropTag = PR_ROWID;
            rgProps[i][iRowID].Value.l = 3 + i;
            rgProps[i][iName].ulPropTag = PR_DISPLAY_NAME_A;
            rgProps[i][iName].Value.lpszA = (LPSTR)rgszNames[i];
            rows.aRow[i].ulAdrEntryPad = 0;
            rows.aRow[i].cValues = cCols;
            rows.aRow[i].lpProps = rgProps[i];
        }
        hr = lpTable->HrModifyRows(0, (LPSRowSet)&rows);
    }
    if (SUCCEEDED(hr))
        Dispatch(pSink, "HrModifyRows, two new rows", 2);
    if (SUCCEEDED(hr)) {
        SPropValue rgProps[cCols];
        SRow row = { 0, cCols, rgProps };
        rgProps[iRowID].ulPropTag = PR_ROWID;
        rgProps[iRowID].Value.l = 5;
        rgProps[iName].ulPropTag = PR_DISPLAY_NAME_A;
        rgProps[iName].Value.lpszA = (LPSTR) "zeroth";
        hr = lpTable->HrInsertRow(0, &row);
    }
    if (SUCCEEDED(hr))
        Dispatch(pSink, "HrInsertRow at the top", 1);
    if (SUCCEEDED(hr)) {
        printf("HrEnumRow:");
        for (ULONG i = 0;; i++) {
            LPSRow lpRow = NULL;
            hr = lpTable->HrEnumRow(i, &lpRow);
            if (FAILED(hr) || lpRow == NULL)
                break;
            printf(" %s", lpRow->lpProps[iName].Value.lpszA);
            MAPIFreeBuffer(lpRow);
        }
        printf("\n");
    }
    if (SUCCEEDED(hr)) {
        SPropValue pvKey;
        pvKey.ulPropTag = PR_ROWID;
        pvKey.Value.l = 2;
        hr = lpTable->HrDeleteRow(&pvKey);
    }
    if (SUCCEEDED(hr))
        Dispatch(pSink, "HrDeleteRow", 1);
    if (SUCCEEDED(hr)) {
        ULONG cDeleted = 0;
        hr = lpTable->HrDeleteRows(TAD_ALL_ROWS, NULL, &cDeleted);
        printf("HrDeleteRows(TAD_ALL_ROWS): %lu rows\n", (unsigned long)cDeleted);
    }
    if (SUCCEEDED(hr))
        Dispatch(pSink, "HrDeleteRows", 1);
    if (SUCCEEDED(hr)) {
        ULONG cRows = 99;
        hr = lpView->GetRowCount(0, &cRows);
        printf("rows in the view: %lu\n", (unsigned long)cRows);
    }
    if (SUCCEEDED(hr))
        hr = lpView->Unadvise(ulConnection);
    if (FAILED(hr))
        printf("failed: 0x%08lx\n", (unsigned long)hr);

Cleanup:
    if (lpView)
        lpView->Release();
    if (lpThreadSink)
        lpThreadSink->Release();
    pSink->Release();
    if (lpTable)
        lpTable->Release();
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
