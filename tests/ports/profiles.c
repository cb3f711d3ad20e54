/* profiles.c - a profile made, configured, used and removed from C, as
 * set-up programs do it ("Creating a Profile"): MAPIAdminProfiles,
 * IProfAdmin::CreateProfile, AdminServices, IMsgServiceAdmin::CreateMsgService,
 * the new service's PR_SERVICE_UID from GetMsgServiceTable,
 * ConfigureMsgService with the store file's path (PR_PST_PATH, as the PST
 * service takes it), the profile table listed, a logon to the new profile
 * and its store, then DeleteProfile and the table again.
 *
 * The service name is the one installation-dependent string: "MSUPST MS"
 * on Windows, freemapi's store-file service here. */
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORT_PROFILE "Port Profile"
static const char szService[] = "FMSTORE";

static HRESULT PrintProfiles(LPPROFADMIN lpProfAdmin, const char *szWhen)
{
    SizedSPropTagArray(2, spta) = { 2, { PR_DISPLAY_NAME_A, PR_DEFAULT_PROFILE } };
    SizedSSortOrderSet(1, sos) = { 1, 0, 0, { { PR_DISPLAY_NAME_A, TABLE_SORT_ASCEND } } };
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    ULONG i;
    HRESULT hr = IProfAdmin_GetProfileTable(lpProfAdmin, 0, &lpTable);
    if (SUCCEEDED(hr))
        hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&spta, NULL, (LPSSortOrderSet)&sos, 0,
                            &lpRows);
    if (SUCCEEDED(hr)) {
        printf("%s:", szWhen);
        for (i = 0; i < lpRows->cRows; i++) {
            LPSPropValue p = lpRows->aRow[i].lpProps;
            printf(" \"%s\"%s", p[0].Value.lpszA,
                   PROP_TYPE(p[1].ulPropTag) == PT_BOOLEAN && p[1].Value.b ? " (default)" : "");
        }
        printf("\n");
    }
    FreeProws(lpRows);
    if (lpTable)
        IMAPITable_Release(lpTable);
    return hr;
}

/* The service just made: the one row of the service table named szService. */
static HRESULT FindServiceUID(LPSERVICEADMIN lpSvcAdmin, MAPIUID *lpUID)
{
    SizedSPropTagArray(2, spta) = { 2, { PR_SERVICE_UID, PR_SERVICE_NAME_A } };
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    ULONG i;
    HRESULT hr = IMsgServiceAdmin_GetMsgServiceTable(lpSvcAdmin, 0, &lpTable);
    if (SUCCEEDED(hr))
        hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&spta, NULL, NULL, 0, &lpRows);
    if (SUCCEEDED(hr)) {
        hr = MAPI_E_NOT_FOUND;
        printf("services in the profile: %lu\n", (unsigned long)lpRows->cRows);
        for (i = 0; i < lpRows->cRows; i++) {
            LPSPropValue p = lpRows->aRow[i].lpProps;
            if (PROP_TYPE(p[1].ulPropTag) == PT_STRING8 &&
                strcmp(p[1].Value.lpszA, szService) == 0 && p[0].Value.bin.cb == sizeof(MAPIUID)) {
                memcpy(lpUID, p[0].Value.bin.lpb, sizeof(MAPIUID));
                hr = S_OK;
            }
        }
    }
    FreeProws(lpRows);
    if (lpTable)
        IMAPITable_Release(lpTable);
    return hr;
}

/* Logs on to the new profile and reads its one store's name from the
 * message store table. */
static HRESULT UseProfile(void)
{
    SizedSPropTagArray(2, spta) = { 2, { PR_DISPLAY_NAME_A, PR_DEFAULT_STORE } };
    LPMAPISESSION lpSession = NULL;
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    HRESULT hr = MAPILogonEx(0, (LPTSTR)PORT_PROFILE, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION,
                             &lpSession);
    if (SUCCEEDED(hr))
        hr = IMAPISession_GetMsgStoresTable(lpSession, 0, &lpTable);
    if (SUCCEEDED(hr))
        hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&spta, NULL, NULL, 0, &lpRows);
    if (SUCCEEDED(hr))
        printf("logged on to \"%s\": %lu store, the default: %s\n", PORT_PROFILE,
               (unsigned long)lpRows->cRows,
               lpRows->cRows == 1 && lpRows->aRow[0].lpProps[1].Value.b ? "yes" : "no");
    FreeProws(lpRows);
    if (lpTable)
        IMAPITable_Release(lpTable);
    if (lpSession) {
        IMAPISession_Logoff(lpSession, 0, 0, 0);
        IMAPISession_Release(lpSession);
    }
    return hr;
}

int main(void)
{
    HRESULT hr;
    LPPROFADMIN lpProfAdmin = NULL;
    LPSERVICEADMIN lpSvcAdmin = NULL;
    MAPIUID uidService;
    SPropValue spvPath;
    char szPath[1024];
    const char *szDir = getenv("FREEMAPI_PORTS_TMP");

    snprintf(szPath, sizeof szPath, "%s/port-profile.pst", szDir ? szDir : ".");
    remove(szPath);
    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = MAPIAdminProfiles(0, &lpProfAdmin);
    if (SUCCEEDED(hr))
        hr = PrintProfiles(lpProfAdmin, "profiles before");
    if (SUCCEEDED(hr))
        hr = IProfAdmin_CreateProfile(lpProfAdmin, (LPTSTR)PORT_PROFILE, NULL, 0, 0);
    if (SUCCEEDED(hr)) {
        /* a second profile of the same name is refused */
        HRESULT hrDup = IProfAdmin_CreateProfile(lpProfAdmin, (LPTSTR)PORT_PROFILE, NULL, 0, 0);
        printf("the same name again: %s\n",
               hrDup == MAPI_E_NO_ACCESS ? "MAPI_E_NO_ACCESS" : "other");
    }
    if (SUCCEEDED(hr))
        hr = IProfAdmin_AdminServices(lpProfAdmin, (LPTSTR)PORT_PROFILE, NULL, 0, 0, &lpSvcAdmin);
    if (SUCCEEDED(hr))
        hr = IMsgServiceAdmin_CreateMsgService(lpSvcAdmin, (LPTSTR)szService,
                                               (LPTSTR) "Port Store", 0, 0);
    if (SUCCEEDED(hr))
        hr = FindServiceUID(lpSvcAdmin, &uidService);
    if (SUCCEEDED(hr)) {
        spvPath.ulPropTag = PR_PST_PATH_A;
        spvPath.Value.lpszA = szPath;
        hr = IMsgServiceAdmin_ConfigureMsgService(lpSvcAdmin, &uidService, 0, 0, 1, &spvPath);
        printf("configured: %s\n", hr == S_OK ? "S_OK" : "failed");
    }
    if (lpSvcAdmin) {
        IMsgServiceAdmin_Release(lpSvcAdmin);
        lpSvcAdmin = NULL;
    }
    if (SUCCEEDED(hr))
        hr = PrintProfiles(lpProfAdmin, "profiles with the new one");
    if (SUCCEEDED(hr))
        hr = UseProfile();
    if (SUCCEEDED(hr)) {
        hr = IProfAdmin_DeleteProfile(lpProfAdmin, (LPTSTR)PORT_PROFILE, 0);
        printf("deleted: %s\n", hr == S_OK ? "S_OK" : "failed");
    }
    if (SUCCEEDED(hr))
        hr = PrintProfiles(lpProfAdmin, "profiles after");
    if (SUCCEEDED(hr)) {
        LPMAPISESSION lpGone = NULL;
        HRESULT hrGone = MAPILogonEx(0, (LPTSTR)PORT_PROFILE, NULL,
                                     MAPI_EXTENDED | MAPI_NEW_SESSION, &lpGone);
        if (lpGone)
            IMAPISession_Release(lpGone);
        printf("logon to the deleted profile: %s\n",
               hrGone == MAPI_E_NOT_FOUND ? "MAPI_E_NOT_FOUND" : "other");
    }
    if (FAILED(hr))
        printf("failed: 0x%08lx\n", (unsigned long)hr);
    if (lpProfAdmin)
        IProfAdmin_Release(lpProfAdmin);
    MAPIUninitialize();
    remove(szPath);
    return FAILED(hr) ? 1 : 0;
}
