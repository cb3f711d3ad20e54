// notify_sink.cpp - an advise sink written as a C++ class, as clients
// write the "Handling Notifications" pattern: one sink advised on the
// message store for fnevNewMail and on the Inbox for fnevObjectCreated,
// another on the Inbox's contents table for fnevTableModified; a message
// saved in the Inbox raises the new-mail event, the object event and a
// TABLE_ROW_ADDED row; deleting it raises TABLE_ROW_DELETED. The sinks are
// called on MAPI's notification threads, so they hand their events to the
// main thread under a lock, and the main thread waits for them.
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <stdio.h>
#include <string.h>
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

class CAdviseSink : public IMAPIAdviseSink {
  public:
    CAdviseSink() {}
    virtual ~CAdviseSink() {}

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
    STDMETHODIMP_(ULONG) AddRef()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return ++m_cRef;
    }
    STDMETHODIMP_(ULONG) Release()
    {
        ULONG c;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            c = --m_cRef;
        }
        if (c == 0)
            delete this;
        return c;
    }
    STDMETHODIMP_(ULONG) OnNotify(ULONG cNotif, LPNOTIFICATION lpNotifications)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (ULONG i = 0; i < cNotif; i++) {
            const NOTIFICATION &n = lpNotifications[i];
            std::string line;
            switch (n.ulEventType) {
            case fnevNewMail:
                line = std::string("fnevNewMail ") +
                       (n.info.newmail.lpszMessageClass
                            ? (const char *)n.info.newmail.lpszMessageClass
                            : "(no class)") +
                       ", entry ID given: " + (n.info.newmail.cbEntryID ? "yes" : "no");
                break;
            case fnevObjectCreated:
                line = std::string("fnevObjectCreated, a message: ") +
                       (n.info.obj.ulObjType == MAPI_MESSAGE ? "yes" : "no");
                break;
            case fnevTableModified:
                line = TableEvent(n.info.tab);
                break;
            default:
                continue; // other events (modifications of the folder) are not counted
            }
            m_events.push_back(line);
        }
        m_cond.notify_all();
        return 0;
    }

    // Waits until cEvents have arrived (or ten seconds have passed), then
    // hands them over.
    std::vector<std::string> Wait(size_t cEvents)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_cond.wait_for(lock, std::chrono::seconds(10),
                        [&] { return m_events.size() >= cEvents; });
        std::vector<std::string> out;
        out.swap(m_events);
        return out;
    }

  private:
    static std::string TableEvent(const TABLE_NOTIFICATION &tab)
    {
        std::string s;
        switch (tab.ulTableEvent) {
        case TABLE_ROW_ADDED:
            s = "TABLE_ROW_ADDED";
            break;
        case TABLE_ROW_DELETED:
            return "TABLE_ROW_DELETED";
        case TABLE_ROW_MODIFIED:
            s = "TABLE_ROW_MODIFIED";
            break;
        case TABLE_CHANGED:
            return "TABLE_CHANGED";
        case TABLE_RELOAD:
            return "TABLE_RELOAD";
        default:
            return "TABLE event " + std::to_string(tab.ulTableEvent);
        }
        LPSPropValue lpSubject = PpropFindProp(tab.row.lpProps, tab.row.cValues, PR_SUBJECT_A);
        s += std::string(" ") + (lpSubject ? lpSubject->Value.lpszA : "(no subject)");
        return s;
    }

    ULONG m_cRef = 1;
    std::mutex m_mutex;
    std::condition_variable m_cond;
    std::vector<std::string> m_events;
};

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

static void Print(const char *szWhen, const std::vector<std::string> &events)
{
    printf("%s:\n", szWhen);
    for (const std::string &e : events)
        printf("  %s\n", e.c_str());
}

int main()
{
    HRESULT hr = S_OK;
    LPMAPISESSION lpSession = NULL;
    LPMDB lpMDB = NULL;
    LPMAPIFOLDER lpInbox = NULL;
    LPMAPITABLE lpTable = NULL;
    LPMESSAGE lpMsg = NULL;
    LPSPropValue lpEID = NULL;
    ULONG cbInbox = 0, ulType = 0;
    LPENTRYID lpInboxEID = NULL;
    ULONG_PTR ulStoreConn = 0, ulFolderConn = 0, ulTableConn = 0;
    CAdviseSink *pStoreSink = new CAdviseSink();
    CAdviseSink *pTableSink = new CAdviseSink();
    static const SizedSPropTagArray(2, sptaCols) = { 2, { PR_SUBJECT_A, PR_ENTRYID } };

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION, &lpSession);
    if (SUCCEEDED(hr))
        hr = OpenDefaultStore(lpSession, &lpMDB);
    if (SUCCEEDED(hr))
        hr = lpMDB->GetReceiveFolder(NULL, 0, &cbInbox, &lpInboxEID, NULL);
    if (SUCCEEDED(hr))
        hr = lpMDB->OpenEntry(cbInbox, lpInboxEID, NULL, MAPI_MODIFY, &ulType, (LPUNKNOWN *)&lpInbox);
    // new mail anywhere in the store, and objects made in the Inbox
    if (SUCCEEDED(hr))
        hr = lpMDB->Advise(0, NULL, fnevNewMail, pStoreSink, &ulStoreConn);
    if (SUCCEEDED(hr))
        hr = lpMDB->Advise(cbInbox, lpInboxEID, fnevObjectCreated, pStoreSink, &ulFolderConn);
    // the Inbox's contents table, as a list view watches it
    if (SUCCEEDED(hr))
        hr = lpInbox->GetContentsTable(0, &lpTable);
    if (SUCCEEDED(hr))
        hr = lpTable->SetColumns((LPSPropTagArray)&sptaCols, 0);
    if (SUCCEEDED(hr))
        hr = lpTable->Advise(fnevTableModified, pTableSink, &ulTableConn);
    if (FAILED(hr)) {
        printf("setup failed: 0x%08lx\n", (unsigned long)hr);
        goto Cleanup;
    }
    printf("advised: store %s, folder %s, table %s\n", ulStoreConn ? "yes" : "no",
           ulFolderConn ? "yes" : "no", ulTableConn ? "yes" : "no");

    // a message arrives in the Inbox: received, read, not a draft
    hr = lpInbox->CreateMessage(NULL, 0, &lpMsg);
    if (SUCCEEDED(hr)) {
        SPropValue rgProps[3];
        rgProps[0].ulPropTag = PR_SUBJECT_A;
        rgProps[0].Value.lpszA = (LPSTR) "Port notification";
        rgProps[1].ulPropTag = PR_MESSAGE_CLASS_A;
        rgProps[1].Value.lpszA = (LPSTR) "IPM.Note";
        rgProps[2].ulPropTag = PR_MESSAGE_FLAGS;
        rgProps[2].Value.l = MSGFLAG_READ;
        hr = lpMsg->SetProps(3, rgProps, NULL);
    }
    if (SUCCEEDED(hr))
        hr = lpMsg->SaveChanges(KEEP_OPEN_READWRITE);
    if (SUCCEEDED(hr))
        hr = HrGetOneProp(lpMsg, PR_ENTRYID, &lpEID);
    if (FAILED(hr)) {
        printf("saving the message failed: 0x%08lx\n", (unsigned long)hr);
        goto Cleanup;
    }
    lpMsg->Release();
    lpMsg = NULL;
    {
        std::vector<std::string> storeEvents = pStoreSink->Wait(2);
        // the order of the two registrations' events is not MAPI's promise
        std::sort(storeEvents.begin(), storeEvents.end());
        Print("store sink after the save", storeEvents);
        Print("table sink after the save", pTableSink->Wait(1));
    }

    // the message goes again
    {
        ENTRYLIST el = { 1, &lpEID->Value.bin };
        hr = lpInbox->DeleteMessages(&el, 0, NULL, 0);
        printf("deleted: %s\n", hr == S_OK ? "S_OK" : "failed");
        Print("table sink after the delete", pTableSink->Wait(1));
    }

    hr = lpTable->Unadvise(ulTableConn);
    if (SUCCEEDED(hr))
        hr = lpMDB->Unadvise(ulFolderConn);
    if (SUCCEEDED(hr))
        hr = lpMDB->Unadvise(ulStoreConn);
    printf("unadvised: %s\n", hr == S_OK ? "S_OK" : "failed");

Cleanup:
    MAPIFreeBuffer(lpEID);
    MAPIFreeBuffer(lpInboxEID);
    if (lpMsg)
        lpMsg->Release();
    if (lpTable)
        lpTable->Release();
    if (lpInbox)
        lpInbox->Release();
    if (lpMDB)
        lpMDB->Release();
    pStoreSink->Release();
    pTableSink->Release();
    if (lpSession) {
        lpSession->Logoff(0, 0, 0);
        lpSession->Release();
    }
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
