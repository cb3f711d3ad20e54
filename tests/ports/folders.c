/* folders.c - a C client: the default store from the stores table, the
 * IPM subtree from PR_IPM_SUBTREE_ENTRYID, a small folder tree created
 * under it, the hierarchy table with CONVENIENT_DEPTH sorted by name,
 * and the tree deleted with DEL_FOLDERS | DEL_MESSAGES. */
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <stdio.h>
#include <string.h>

static HRESULT OpenDefaultStore(LPMAPISESSION lpSession, LPMDB *lppMDB)
{
    SizedSPropTagArray(2, spta) = { 2, { PR_ENTRYID, PR_DEFAULT_STORE } };
    SRestriction sres;
    SPropValue spv;
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    HRESULT hr = lpSession->lpVtbl->GetMsgStoresTable(lpSession, 0, &lpTable);
    if (FAILED(hr))
        return hr;
    spv.ulPropTag = PR_DEFAULT_STORE;
    spv.Value.b = TRUE;
    sres.rt = RES_PROPERTY;
    sres.res.resProperty.relop = RELOP_EQ;
    sres.res.resProperty.ulPropTag = PR_DEFAULT_STORE;
    sres.res.resProperty.lpProp = &spv;
    hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&spta, &sres, NULL, 0, &lpRows);
    if (SUCCEEDED(hr) && lpRows->cRows != 1)
        hr = MAPI_E_NOT_FOUND;
    if (SUCCEEDED(hr))
        hr = lpSession->lpVtbl->OpenMsgStore(lpSession, 0, lpRows->aRow[0].lpProps[0].Value.bin.cb,
                                             (LPENTRYID)lpRows->aRow[0].lpProps[0].Value.bin.lpb,
                                             NULL, MDB_WRITE | MAPI_BEST_ACCESS, lppMDB);
    FreeProws(lpRows);
    lpTable->lpVtbl->Release(lpTable);
    return hr;
}

int main(void)
{
    HRESULT hr;
    LPMAPISESSION lpSession = NULL;
    LPMDB lpMDB = NULL;
    LPSPropValue lpEID = NULL;
    LPMAPIFOLDER lpIPM = NULL, lpTop = NULL, lpSub = NULL, lpSubSub = NULL;
    LPMAPITABLE lpHier = NULL;
    LPSRowSet lpRows = NULL;
    ULONG ulType = 0, i;
    SizedSPropTagArray(3, sptaCols) = { 3, { PR_DISPLAY_NAME_A, PR_DEPTH, PR_FOLDER_TYPE } };
    SizedSSortOrderSet(1, sosName) = { 1, 0, 0, { { PR_DISPLAY_NAME_A, TABLE_SORT_ASCEND } } };

    if (FAILED(hr = MAPIInitialize(NULL)))
        return 1;
    hr = MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION,
                     &lpSession);
    if (SUCCEEDED(hr))
        hr = OpenDefaultStore(lpSession, &lpMDB);
    if (SUCCEEDED(hr))
        hr = HrGetOneProp((LPMAPIPROP)lpMDB, PR_IPM_SUBTREE_ENTRYID, &lpEID);
    if (SUCCEEDED(hr))
        hr = lpMDB->lpVtbl->OpenEntry(lpMDB, lpEID->Value.bin.cb, (LPENTRYID)lpEID->Value.bin.lpb,
                                      NULL, MAPI_MODIFY, &ulType, (LPUNKNOWN *)&lpIPM);
    if (FAILED(hr)) {
        printf("setup failed: 0x%08lx\n", (unsigned long)hr);
        goto Cleanup;
    }
    printf("IPM subtree opened as a folder: %s\n", ulType == MAPI_FOLDER ? "yes" : "no");

    hr = IMAPIFolder_CreateFolder(lpIPM, FOLDER_GENERIC, (LPTSTR) "Port Folders",
                                  (LPTSTR) "created by a port", NULL, OPEN_IF_EXISTS, &lpTop);
    if (SUCCEEDED(hr))
        hr = IMAPIFolder_CreateFolder(lpTop, FOLDER_GENERIC, (LPTSTR) "Beta", NULL, NULL, 0, &lpSub);
    if (SUCCEEDED(hr))
        hr = IMAPIFolder_CreateFolder(lpSub, FOLDER_GENERIC, (LPTSTR) "Gamma", NULL, NULL, 0,
                                      &lpSubSub);
    if (SUCCEEDED(hr)) {
        LPMAPIFOLDER lpAlpha = NULL;
        hr = IMAPIFolder_CreateFolder(lpTop, FOLDER_GENERIC, (LPTSTR) "Alpha", NULL, NULL, 0,
                                      &lpAlpha);
        if (lpAlpha)
            lpAlpha->lpVtbl->Release(lpAlpha);
    }
    /* creating an existing name without OPEN_IF_EXISTS is a collision */
    if (SUCCEEDED(hr)) {
        LPMAPIFOLDER lpDup = NULL;
        HRESULT hrDup = IMAPIFolder_CreateFolder(lpTop, FOLDER_GENERIC, (LPTSTR) "Alpha", NULL,
                                                 NULL, 0, &lpDup);
        printf("duplicate name: %s\n", hrDup == MAPI_E_COLLISION ? "MAPI_E_COLLISION" : "other");
        if (lpDup)
            lpDup->lpVtbl->Release(lpDup);
    }
    if (SUCCEEDED(hr))
        hr = IMAPIFolder_GetHierarchyTable(lpTop, CONVENIENT_DEPTH, &lpHier);
    if (SUCCEEDED(hr))
        hr = HrQueryAllRows(lpHier, (LPSPropTagArray)&sptaCols, NULL, (LPSSortOrderSet)&sosName,
                            0, &lpRows);
    if (FAILED(hr)) {
        printf("tree failed: 0x%08lx\n", (unsigned long)hr);
        goto Cleanup;
    }
    printf("folders under Port Folders: %lu\n", (unsigned long)lpRows->cRows);
    for (i = 0; i < lpRows->cRows; i++) {
        LPSPropValue p = lpRows->aRow[i].lpProps;
        printf("  depth %ld: %s\n", (long)p[1].Value.l, p[0].Value.lpszA);
    }

    /* delete the whole tree from the IPM subtree */
    {
        LPSPropValue lpTopEID = NULL;
        hr = HrGetOneProp((LPMAPIPROP)lpTop, PR_ENTRYID, &lpTopEID);
        if (SUCCEEDED(hr)) {
            lpSubSub->lpVtbl->Release(lpSubSub);
            lpSub->lpVtbl->Release(lpSub);
            lpTop->lpVtbl->Release(lpTop);
            lpSubSub = lpSub = lpTop = NULL;
            hr = IMAPIFolder_DeleteFolder(lpIPM, lpTopEID->Value.bin.cb,
                                          (LPENTRYID)lpTopEID->Value.bin.lpb, 0, NULL,
                                          DEL_FOLDERS | DEL_MESSAGES);
            printf("deleted: %s\n", hr == S_OK ? "S_OK" : "failed");
        }
        MAPIFreeBuffer(lpTopEID);
    }

Cleanup:
    FreeProws(lpRows);
    if (lpHier)
        lpHier->lpVtbl->Release(lpHier);
    if (lpSubSub)
        lpSubSub->lpVtbl->Release(lpSubSub);
    if (lpSub)
        lpSub->lpVtbl->Release(lpSub);
    if (lpTop)
        lpTop->lpVtbl->Release(lpTop);
    if (lpIPM)
        lpIPM->lpVtbl->Release(lpIPM);
    MAPIFreeBuffer(lpEID);
    if (lpMDB)
        lpMDB->lpVtbl->Release(lpMDB);
    if (lpSession) {
        lpSession->lpVtbl->Logoff(lpSession, 0, 0, 0);
        lpSession->lpVtbl->Release(lpSession);
    }
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
