/* service_admin2.cpp - adding a message service as Outlook-era set-up code
 * does ("IMsgServiceAdmin2::CreateMsgServiceEx"): MAPIAdminProfiles, a new
 * profile, AdminServices, QueryInterface for IID_IMsgServiceAdmin2,
 * CreateMsgServiceEx with SERVICE_NO_RESTART_WARNING, and the returned UID
 * found as PR_SERVICE_UID in GetMsgServiceTable and deleted with
 * DeleteMsgService through the same interface. */
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapiaux.h>
#include <mapiguid.h>
#include <cstdio>
#include <cstring>

#define PORT_PROFILE "Port Admin2"

static ULONG CountServices(LPSERVICEADMIN2 lpAdmin, const MAPIUID *lpUid, BOOL *pfFound)
{
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    ULONG cRows = 0;
    static const SizedSPropTagArray(1, spta) = { 1, { PR_SERVICE_UID } };
    *pfFound = FALSE;
    if (SUCCEEDED(lpAdmin->GetMsgServiceTable(0, &lpTable)) &&
        SUCCEEDED(HrQueryAllRows(lpTable, (LPSPropTagArray)&spta, NULL, NULL, 0, &lpRows))) {
        cRows = lpRows->cRows;
        for (ULONG i = 0; i < cRows; i++) {
            const SPropValue &v = lpRows->aRow[i].lpProps[0];
            if (PROP_TYPE(v.ulPropTag) == PT_BINARY && v.Value.bin.cb == sizeof(MAPIUID) &&
                memcmp(v.Value.bin.lpb, lpUid, sizeof(MAPIUID)) == 0)
                *pfFound = TRUE;
        }
    }
    if (lpRows)
        FreeProws(lpRows);
    if (lpTable)
        lpTable->Release();
    return cRows;
}

int main()
{
    LPPROFADMIN lpProfAdmin = NULL;
    LPSERVICEADMIN lpSvcAdmin = NULL;
    LPSERVICEADMIN2 lpSvcAdmin2 = NULL;
    MAPIUID uid = {};
    BOOL fFound = FALSE;
    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    HRESULT hr = MAPIAdminProfiles(0, &lpProfAdmin);
    if (SUCCEEDED(hr))
        hr = lpProfAdmin->CreateProfile((LPTSTR)PORT_PROFILE, NULL, 0, 0);
    if (SUCCEEDED(hr))
        hr = lpProfAdmin->AdminServices((LPTSTR)PORT_PROFILE, NULL, 0, 0, &lpSvcAdmin);
    if (SUCCEEDED(hr)) {
        hr = lpSvcAdmin->QueryInterface(IID_IMsgServiceAdmin2, (LPVOID *)&lpSvcAdmin2);
        printf("IMsgServiceAdmin2: %s\n", SUCCEEDED(hr) ? "S_OK" : "not supported");
    }
    if (SUCCEEDED(hr)) {
        hr = lpSvcAdmin2->CreateMsgServiceEx((LPTSTR) "FMSTORE", (LPTSTR) "Port Store", 0,
                                             SERVICE_NO_RESTART_WARNING, &uid);
        printf("CreateMsgServiceEx: %s\n", hr == S_OK ? "S_OK" : "failed");
    }
    if (SUCCEEDED(hr)) {
        ULONG n = CountServices(lpSvcAdmin2, &uid, &fFound);
        printf("services: %lu, the returned UID among them: %s\n", (unsigned long)n,
               fFound ? "yes" : "no");
        HRESULT hrBad = lpSvcAdmin2->CreateMsgServiceEx((LPTSTR) "NO SUCH SERVICE", NULL, 0, 0,
                                                        &uid);
        printf("an unknown service: %s\n", hrBad == MAPI_E_NOT_FOUND ? "MAPI_E_NOT_FOUND" : "other");
        hr = lpSvcAdmin2->DeleteMsgService(&uid);
        printf("DeleteMsgService: %s\n", hr == S_OK ? "S_OK" : "failed");
    }
    if (SUCCEEDED(hr)) {
        ULONG n = CountServices(lpSvcAdmin2, &uid, &fFound);
        printf("services after: %lu, the UID among them: %s\n", (unsigned long)n,
               fFound ? "yes" : "no");
    }
    if (FAILED(hr))
        printf("failed: 0x%08lx\n", (unsigned long)hr);
    if (lpSvcAdmin2)
        lpSvcAdmin2->Release();
    if (lpSvcAdmin)
        lpSvcAdmin->Release();
    if (lpProfAdmin) {
        lpProfAdmin->DeleteProfile((LPTSTR)PORT_PROFILE, 0);
        lpProfAdmin->Release();
    }
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
