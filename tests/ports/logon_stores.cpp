// logon_stores.cpp - log on to the default profile and walk the message
// stores table, as a Windows MAPI client does first: MAPIInitialize,
// MAPILogonEx, IMAPISession::GetMsgStoresTable, HrQueryAllRows, open the
// default store and read its name and support mask.
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <stdio.h>

#define CHK(expr)                                                                  \
    do {                                                                           \
        hr = (expr);                                                               \
        if (FAILED(hr)) {                                                          \
            printf("%s failed: 0x%08lx\n", #expr, (unsigned long)hr);              \
            goto Cleanup;                                                          \
        }                                                                          \
    } while (0)

int main()
{
    HRESULT hr = S_OK;
    LPMAPISESSION lpSession = NULL;
    LPMAPITABLE lpStoresTable = NULL;
    LPSRowSet lpRows = NULL;
    LPMDB lpMDB = NULL;
    LPSPropValue lpProps = NULL;
    ULONG cValues = 0;
    enum { iEntryID, iDisplayName, iDefault, cptaStores };
    static const SizedSPropTagArray(cptaStores, sptaStores) = {
        cptaStores, { PR_ENTRYID, PR_DISPLAY_NAME_A, PR_DEFAULT_STORE }
    };
    static const SizedSPropTagArray(2, sptaStore) = { 2, { PR_DISPLAY_NAME_A, PR_STORE_SUPPORT_MASK } };
    MAPIINIT_0 MAPIINIT = { MAPI_INIT_VERSION, 0 };

    CHK(MAPIInitialize(&MAPIINIT));
    CHK(MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION, &lpSession));
    CHK(lpSession->GetMsgStoresTable(0, &lpStoresTable));
    CHK(HrQueryAllRows(lpStoresTable, (LPSPropTagArray)&sptaStores, NULL, NULL, 0, &lpRows));
    printf("stores: %lu\n", (unsigned long)lpRows->cRows);
    for (ULONG i = 0; i < lpRows->cRows; i++) {
        LPSPropValue row = lpRows->aRow[i].lpProps;
        if (PROP_TYPE(row[iDefault].ulPropTag) != PT_BOOLEAN || !row[iDefault].Value.b)
            continue;
        printf("default store: %s\n", row[iDisplayName].Value.lpszA);
        CHK(lpSession->OpenMsgStore(0, row[iEntryID].Value.bin.cb,
                                    (LPENTRYID)row[iEntryID].Value.bin.lpb, NULL,
                                    MDB_WRITE | MAPI_BEST_ACCESS | MDB_NO_DIALOG, &lpMDB));
    }
    if (!lpMDB) {
        printf("no default store\n");
        goto Cleanup;
    }
    CHK(lpMDB->GetProps((LPSPropTagArray)&sptaStore, 0, &cValues, &lpProps));
    printf("store name from the store: %s\n",
           PROP_TYPE(lpProps[0].ulPropTag) == PT_STRING8 ? lpProps[0].Value.lpszA : "(none)");
    if (PROP_TYPE(lpProps[1].ulPropTag) == PT_LONG) {
        ULONG mask = (ULONG)lpProps[1].Value.l;
        printf("supports RTF: %s\n", (mask & STORE_RTF_OK) ? "yes" : "no");
        printf("supports Unicode: %s\n", (mask & STORE_UNICODE_OK) ? "yes" : "no");
    }

Cleanup:
    MAPIFreeBuffer(lpProps);
    FreeProws(lpRows);
    if (lpStoresTable)
        lpStoresTable->Release();
    if (lpMDB) {
        ULONG ulFlags = LOGOFF_NO_WAIT;
        lpMDB->StoreLogoff(&ulFlags);
        lpMDB->Release();
    }
    if (lpSession) {
        lpSession->Logoff(0, 0, 0);
        lpSession->Release();
    }
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
