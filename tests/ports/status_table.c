/* status_table.c - the session's status table from C, as clients check the
 * spooler and their providers ("Status Table and Status Objects"):
 * IMAPISession::GetStatusTable read with HrQueryAllRows, the MAPI
 * subsystem's, the spooler's and the stores' rows told apart by
 * PR_RESOURCE_TYPE, every row's PR_ENTRYID, the spooler's status object
 * opened with IMAPISession::OpenEntry and asked to FlushQueues. */
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <stdio.h>

enum { iType, iName, iEntryID, iCode, iFlags, cCols };

int main(void)
{
    HRESULT hr;
    LPMAPISESSION lpSession = NULL;
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    LPMAPISTATUS lpStatus = NULL;
    LPSPropValue lpSpoolerEID = NULL;
    ULONG i, cStores = 0, cWithEntryID = 0, ulType = 0;
    BOOL fSubsystem = FALSE, fSpooler = FALSE, fDefaultStore = FALSE;
    SizedSPropTagArray(cCols, spta) = {
        cCols, { PR_RESOURCE_TYPE, PR_DISPLAY_NAME_A, PR_ENTRYID, PR_STATUS_CODE, PR_RESOURCE_FLAGS }
    };

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION,
                     &lpSession);
    if (SUCCEEDED(hr))
        hr = IMAPISession_GetStatusTable(lpSession, 0, &lpTable);
    if (SUCCEEDED(hr))
        hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&spta, NULL, NULL, 0, &lpRows);
    if (FAILED(hr)) {
        printf("failed: 0x%08lx\n", (unsigned long)hr);
        goto Cleanup;
    }
    for (i = 0; i < lpRows->cRows; i++) {
        LPSPropValue p = lpRows->aRow[i].lpProps;
        if (PROP_TYPE(p[iEntryID].ulPropTag) == PT_BINARY)
            cWithEntryID++;
        switch (p[iType].Value.l) {
        case MAPI_SUBSYSTEM:
            fSubsystem = TRUE;
            break;
        case MAPI_SPOOLER:
            fSpooler = TRUE;
            if (PROP_TYPE(p[iEntryID].ulPropTag) == PT_BINARY && lpSpoolerEID == NULL)
                ScDupPropset(1, &p[iEntryID], MAPIAllocateBuffer, &lpSpoolerEID);
            break;
        case MAPI_STORE_PROVIDER:
            cStores++;
            if (PROP_TYPE(p[iFlags].ulPropTag) == PT_LONG &&
                (p[iFlags].Value.l & STATUS_DEFAULT_STORE))
                fDefaultStore = TRUE;
            break;
        }
    }
    printf("subsystem row: %s\n", fSubsystem ? "yes" : "no");
    printf("spooler row: %s\n", fSpooler ? "yes" : "no");
    printf("store rows: %lu, the default marked: %s\n", (unsigned long)cStores,
           fDefaultStore ? "yes" : "no");
    printf("every row has PR_ENTRYID: %s\n", cWithEntryID == lpRows->cRows ? "yes" : "no");

    if (lpSpoolerEID) {
        hr = IMAPISession_OpenEntry(lpSession, lpSpoolerEID->Value.bin.cb,
                                    (LPENTRYID)lpSpoolerEID->Value.bin.lpb, NULL, 0, &ulType,
                                    (LPUNKNOWN *)&lpStatus);
        printf("spooler status object: %s\n",
               SUCCEEDED(hr) && ulType == MAPI_STATUS ? "MAPI_STATUS" : "not opened");
        if (SUCCEEDED(hr)) {
            HRESULT hrFlush = IMAPIStatus_FlushQueues(lpStatus, 0, 0, NULL, FLUSH_UPLOAD);
            printf("FlushQueues: %s\n", hrFlush == S_OK ? "S_OK" : "failed");
        }
    } else {
        printf("spooler status object: not opened\n");
    }
    hr = S_OK; /* what is missing is printed; the comparison shows it */

Cleanup:
    if (lpStatus)
        IMAPIStatus_Release(lpStatus);
    MAPIFreeBuffer(lpSpoolerEID);
    FreeProws(lpRows);
    if (lpTable)
        IMAPITable_Release(lpTable);
    if (lpSession) {
        IMAPISession_Logoff(lpSession, 0, 0, 0);
        IMAPISession_Release(lpSession);
    }
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
