/* contents_table.c - a C client reading a contents table the usual ways:
 * messages made in a folder of its own, then SetColumns, SortTable,
 * Restrict, QueryRows in batches, FindRow with a content restriction,
 * GetRowCount and a bookmark. */
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <stdio.h>
#include <string.h>

static HRESULT OpenDefaultStore(LPMAPISESSION lpSession, LPMDB *lppMDB)
{
    SizedSPropTagArray(2, spta) = { 2, { PR_ENTRYID, PR_DEFAULT_STORE } };
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    ULONG i;
    HRESULT hr = IMAPISession_GetMsgStoresTable(lpSession, 0, &lpTable);
    if (FAILED(hr))
        return hr;
    hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&spta, NULL, NULL, 0, &lpRows);
    for (i = 0; SUCCEEDED(hr) && i < lpRows->cRows; i++) {
        if (lpRows->aRow[i].lpProps[1].Value.b) {
            SBinary *eid = &lpRows->aRow[i].lpProps[0].Value.bin;
            hr = IMAPISession_OpenMsgStore(lpSession, 0, eid->cb, (LPENTRYID)eid->lpb, NULL,
                                           MDB_WRITE, lppMDB);
            break;
        }
    }
    FreeProws(lpRows);
    IMAPITable_Release(lpTable);
    return hr;
}

static HRESULT MakeMessage(LPMAPIFOLDER lpFolder, const char *subject, LONG importance,
                           LONG size_hint)
{
    LPMESSAGE lpMsg = NULL;
    SPropValue pv[3];
    char body[256];
    HRESULT hr = IMAPIFolder_CreateMessage(lpFolder, NULL, 0, &lpMsg);
    if (FAILED(hr))
        return hr;
    memset(body, 'x', sizeof body);
    body[size_hint < 255 ? size_hint : 255] = '\0';
    pv[0].ulPropTag = PR_SUBJECT_A;
    pv[0].Value.lpszA = (LPSTR)subject;
    pv[1].ulPropTag = PR_IMPORTANCE;
    pv[1].Value.l = importance;
    pv[2].ulPropTag = PR_BODY_A;
    pv[2].Value.lpszA = body;
    hr = IMessage_SetProps(lpMsg, 3, pv, NULL);
    if (SUCCEEDED(hr))
        hr = IMessage_SaveChanges(lpMsg, 0);
    IMessage_Release(lpMsg);
    return hr;
}

static void PrintRows(const char *what, LPSRowSet lpRows)
{
    ULONG i;
    printf("%s:", what);
    for (i = 0; i < lpRows->cRows; i++)
        printf(" %s", lpRows->aRow[i].lpProps[0].Value.lpszA);
    printf("\n");
}

int main(void)
{
    HRESULT hr;
    LPMAPISESSION lpSession = NULL;
    LPMDB lpMDB = NULL;
    LPSPropValue lpIPM = NULL, lpFolderEID = NULL;
    LPMAPIFOLDER lpRoot = NULL, lpFolder = NULL;
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    ULONG ulType, ulCount = 0, i;
    BOOKMARK bkm = 0;
    static const char *subjects[] = { "delta", "alpha", "echo", "charlie", "bravo" };
    static const LONG importances[] = { IMPORTANCE_HIGH, IMPORTANCE_NORMAL, IMPORTANCE_HIGH,
                                        IMPORTANCE_LOW, IMPORTANCE_NORMAL };
    SizedSPropTagArray(2, sptaCols) = { 2, { PR_SUBJECT_A, PR_IMPORTANCE } };
    SizedSSortOrderSet(1, sosSubject) = { 1, 0, 0, { { PR_SUBJECT_A, TABLE_SORT_DESCEND } } };
    SRestriction sres;
    SPropValue spvImportance;

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION,
                     &lpSession);
    if (SUCCEEDED(hr))
        hr = OpenDefaultStore(lpSession, &lpMDB);
    if (SUCCEEDED(hr))
        hr = HrGetOneProp((LPMAPIPROP)lpMDB, PR_IPM_SUBTREE_ENTRYID, &lpIPM);
    if (SUCCEEDED(hr))
        hr = IMsgStore_OpenEntry(lpMDB, lpIPM->Value.bin.cb, (LPENTRYID)lpIPM->Value.bin.lpb,
                                 NULL, MAPI_MODIFY, &ulType, (LPUNKNOWN *)&lpRoot);
    if (SUCCEEDED(hr))
        hr = IMAPIFolder_CreateFolder(lpRoot, FOLDER_GENERIC, (LPTSTR) "Port Contents", NULL,
                                      NULL, OPEN_IF_EXISTS, &lpFolder);
    for (i = 0; SUCCEEDED(hr) && i < 5; i++)
        hr = MakeMessage(lpFolder, subjects[i], importances[i], (LONG)(10 * (i + 1)));
    if (SUCCEEDED(hr))
        hr = IMAPIFolder_GetContentsTable(lpFolder, 0, &lpTable);
    if (SUCCEEDED(hr))
        hr = IMAPITable_SetColumns(lpTable, (LPSPropTagArray)&sptaCols, TBL_BATCH);
    if (SUCCEEDED(hr))
        hr = IMAPITable_SortTable(lpTable, (LPSSortOrderSet)&sosSubject, TBL_BATCH);
    if (SUCCEEDED(hr))
        hr = IMAPITable_GetRowCount(lpTable, 0, &ulCount);
    if (FAILED(hr)) {
        printf("setup failed: 0x%08lx\n", (unsigned long)hr);
        goto Cleanup;
    }
    printf("rows: %lu\n", (unsigned long)ulCount);

    /* two rows at a time, as a list view fills itself */
    printf("sorted descending:");
    for (;;) {
        hr = IMAPITable_QueryRows(lpTable, 2, 0, &lpRows);
        if (FAILED(hr) || lpRows->cRows == 0)
            break;
        for (i = 0; i < lpRows->cRows; i++)
            printf(" %s", lpRows->aRow[i].lpProps[0].Value.lpszA);
        FreeProws(lpRows);
        lpRows = NULL;
    }
    FreeProws(lpRows); /* the last, empty, row set */
    lpRows = NULL;
    printf("\n");

    /* a bookmark on the second row, then back to it */
    hr = IMAPITable_SeekRow(lpTable, BOOKMARK_BEGINNING, 1, NULL);
    if (SUCCEEDED(hr))
        hr = IMAPITable_CreateBookmark(lpTable, &bkm);
    if (SUCCEEDED(hr))
        hr = IMAPITable_SeekRow(lpTable, BOOKMARK_END, 0, NULL);
    if (SUCCEEDED(hr))
        hr = IMAPITable_SeekRow(lpTable, bkm, 0, NULL);
    if (SUCCEEDED(hr))
        hr = IMAPITable_QueryRows(lpTable, 1, TBL_NOADVANCE, &lpRows);
    if (SUCCEEDED(hr)) {
        PrintRows("at the bookmark", lpRows);
        FreeProws(lpRows);
        lpRows = NULL;
        IMAPITable_FreeBookmark(lpTable, bkm);
    }

    /* FindRow: the first subject containing "ar" */
    if (SUCCEEDED(hr)) {
        SPropValue spvText;
        spvText.ulPropTag = PR_SUBJECT_A;
        spvText.Value.lpszA = (LPSTR) "AR";
        sres.rt = RES_CONTENT;
        sres.res.resContent.ulFuzzyLevel = FL_SUBSTRING | FL_IGNORECASE;
        sres.res.resContent.ulPropTag = PR_SUBJECT_A;
        sres.res.resContent.lpProp = &spvText;
        hr = IMAPITable_FindRow(lpTable, &sres, BOOKMARK_BEGINNING, 0);
        if (SUCCEEDED(hr))
            hr = IMAPITable_QueryRows(lpTable, 1, 0, &lpRows);
        if (SUCCEEDED(hr)) {
            PrintRows("found", lpRows);
            FreeProws(lpRows);
            lpRows = NULL;
        }
    }

    /* Restrict: the important ones */
    if (SUCCEEDED(hr)) {
        spvImportance.ulPropTag = PR_IMPORTANCE;
        spvImportance.Value.l = IMPORTANCE_HIGH;
        sres.rt = RES_PROPERTY;
        sres.res.resProperty.relop = RELOP_EQ;
        sres.res.resProperty.ulPropTag = PR_IMPORTANCE;
        sres.res.resProperty.lpProp = &spvImportance;
        hr = IMAPITable_Restrict(lpTable, &sres, TBL_BATCH);
    }
    if (SUCCEEDED(hr))
        hr = IMAPITable_SeekRow(lpTable, BOOKMARK_BEGINNING, 0, NULL);
    if (SUCCEEDED(hr))
        hr = IMAPITable_QueryRows(lpTable, 10, 0, &lpRows);
    if (SUCCEEDED(hr)) {
        PrintRows("important", lpRows);
        FreeProws(lpRows);
        lpRows = NULL;
    }
    /* HrQueryAllRows ignores the cursor and takes a restriction of its own */
    if (SUCCEEDED(hr)) {
        spvImportance.Value.l = IMPORTANCE_LOW;
        hr = HrQueryAllRows(lpTable, NULL, &sres, NULL, 0, &lpRows);
    }
    if (SUCCEEDED(hr)) {
        PrintRows("low", lpRows);
        FreeProws(lpRows);
        lpRows = NULL;
    }

    /* remove the folder */
    if (SUCCEEDED(hr)) {
        IMAPITable_Release(lpTable);
        lpTable = NULL;
        hr = HrGetOneProp((LPMAPIPROP)lpFolder, PR_ENTRYID, &lpFolderEID);
        IMAPIFolder_Release(lpFolder);
        lpFolder = NULL;
        if (SUCCEEDED(hr))
            hr = IMAPIFolder_DeleteFolder(lpRoot, lpFolderEID->Value.bin.cb,
                                          (LPENTRYID)lpFolderEID->Value.bin.lpb, 0, NULL,
                                          DEL_MESSAGES | DEL_FOLDERS);
        printf("cleaned up: %s\n", hr == S_OK ? "yes" : "no");
    }

Cleanup:
    FreeProws(lpRows);
    MAPIFreeBuffer(lpFolderEID);
    if (lpTable)
        IMAPITable_Release(lpTable);
    if (lpFolder)
        IMAPIFolder_Release(lpFolder);
    if (lpRoot)
        IMAPIFolder_Release(lpRoot);
    MAPIFreeBuffer(lpIPM);
    if (lpMDB)
        IMsgStore_Release(lpMDB);
    if (lpSession) {
        IMAPISession_Logoff(lpSession, 0, 0, 0);
        IMAPISession_Release(lpSession);
    }
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
