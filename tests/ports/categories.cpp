// categories.cpp - a categorized view of a contents table from C++, as a
// "group by sender" view builds it: SortTable with cCategories = 1 and
// cExpanded = 1, heading rows told apart by PR_ROW_TYPE and PR_DEPTH, a
// heading collapsed with CollapseRow and expanded again with ExpandRow by
// its PR_INSTANCE_KEY, FindRow on a leaf, and QueryPosition.
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <stdio.h>
#include <string.h>

enum { iSender, iSubject, iRowType, iDepth, iInstKey, cCols };
static const SizedSPropTagArray(cCols, sptaCols) = {
    cCols, { PR_SENDER_NAME_A, PR_SUBJECT_A, PR_ROW_TYPE, PR_DEPTH, PR_INSTANCE_KEY }
};

static HRESULT OpenIPM(LPMAPISESSION lpSession, LPMDB *lppMDB, LPMAPIFOLDER *lppIPM)
{
    static const SizedSPropTagArray(2, spta) = { 2, { PR_ENTRYID, PR_DEFAULT_STORE } };
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    LPSPropValue lpEID = NULL;
    ULONG ulType = 0;
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
    if (SUCCEEDED(hr))
        hr = HrGetOneProp(*lppMDB, PR_IPM_SUBTREE_ENTRYID, &lpEID);
    if (SUCCEEDED(hr))
        hr = (*lppMDB)->OpenEntry(lpEID->Value.bin.cb, (LPENTRYID)lpEID->Value.bin.lpb, NULL,
                                  MAPI_MODIFY, &ulType, (LPUNKNOWN *)lppIPM);
    MAPIFreeBuffer(lpEID);
    return hr;
}

static HRESULT AddMessage(LPMAPIFOLDER lpFolder, LPCSTR szSender, LPCSTR szSubject)
{
    LPMESSAGE lpMsg = NULL;
    HRESULT hr = lpFolder->CreateMessage(NULL, 0, &lpMsg);
    if (SUCCEEDED(hr)) {
        SPropValue rgProps[2];
        rgProps[0].ulPropTag = PR_SENDER_NAME_A;
        rgProps[0].Value.lpszA = (LPSTR)szSender;
        rgProps[1].ulPropTag = PR_SUBJECT_A;
        rgProps[1].Value.lpszA = (LPSTR)szSubject;
        hr = lpMsg->SetProps(2, rgProps, NULL);
        if (SUCCEEDED(hr))
            hr = lpMsg->SaveChanges(0);
        lpMsg->Release();
    }
    return hr;
}

static HRESULT PrintView(LPMAPITABLE lpTable, const char *szWhen)
{
    LPSRowSet lpRows = NULL;
    HRESULT hr = lpTable->SeekRow(BOOKMARK_BEGINNING, 0, NULL);
    if (SUCCEEDED(hr))
        hr = lpTable->QueryRows(100, 0, &lpRows);
    if (FAILED(hr))
        return hr;
    printf("%s:\n", szWhen);
    for (ULONG i = 0; i < lpRows->cRows; i++) {
        LPSPropValue p = lpRows->aRow[i].lpProps;
        LONG lDepth = PROP_TYPE(p[iDepth].ulPropTag) == PT_LONG ? p[iDepth].Value.l : 0;
        switch (p[iRowType].Value.l) {
        case TBL_EXPANDED_CATEGORY:
        case TBL_COLLAPSED_CATEGORY:
            printf("  %*s[%s] %s\n", (int)(2 * lDepth), "", p[iSender].Value.lpszA,
                   p[iRowType].Value.l == TBL_EXPANDED_CATEGORY ? "expanded" : "collapsed");
            break;
        case TBL_LEAF_ROW:
            printf("  %*s%s\n", (int)(2 * lDepth), "", p[iSubject].Value.lpszA);
            break;
        default:
            printf("  row of type %ld\n", (long)p[iRowType].Value.l);
        }
    }
    FreeProws(lpRows);
    return S_OK;
}

// The instance key of the heading row for szSender.
static HRESULT FindHeading(LPMAPITABLE lpTable, LPCSTR szSender, LPSPropValue *lppKey)
{
    LPSRowSet lpRows = NULL;
    HRESULT hr = lpTable->SeekRow(BOOKMARK_BEGINNING, 0, NULL);
    if (SUCCEEDED(hr))
        hr = lpTable->QueryRows(100, 0, &lpRows);
    if (FAILED(hr))
        return hr;
    hr = MAPI_E_NOT_FOUND;
    for (ULONG i = 0; i < lpRows->cRows && hr == MAPI_E_NOT_FOUND; i++) {
        LPSPropValue p = lpRows->aRow[i].lpProps;
        if (p[iRowType].Value.l != TBL_LEAF_ROW && strcmp(p[iSender].Value.lpszA, szSender) == 0)
            hr = ScDupPropset(1, &p[iInstKey], MAPIAllocateBuffer, lppKey);
    }
    FreeProws(lpRows);
    return hr;
}

int main()
{
    HRESULT hr = S_OK;
    LPMAPISESSION lpSession = NULL;
    LPMDB lpMDB = NULL;
    LPMAPIFOLDER lpIPM = NULL, lpFolder = NULL;
    LPMAPITABLE lpTable = NULL;
    LPSPropValue lpKey = NULL, lpFolderEID = NULL;
    static const char *rgszMessages[][2] = {
        { "Bob", "b2" }, { "Ann", "a1" }, { "Cy", "c1" }, { "Bob", "b1" }, { "Ann", "a2" }, { "Bob", "b3" },
    };
    // by sender (the category), then subject
    static const SizedSSortOrderSet(2, sosBySender) = {
        2, 1, 1, { { PR_SENDER_NAME_A, TABLE_SORT_ASCEND }, { PR_SUBJECT_A, TABLE_SORT_ASCEND } }
    };

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION, &lpSession);
    if (SUCCEEDED(hr))
        hr = OpenIPM(lpSession, &lpMDB, &lpIPM);
    if (SUCCEEDED(hr))
        hr = lpIPM->CreateFolder(FOLDER_GENERIC, (LPTSTR) "Port Categories", NULL, NULL,
                                 OPEN_IF_EXISTS, &lpFolder);
    for (size_t i = 0; SUCCEEDED(hr) && i < sizeof rgszMessages / sizeof rgszMessages[0]; i++)
        hr = AddMessage(lpFolder, rgszMessages[i][0], rgszMessages[i][1]);
    if (SUCCEEDED(hr))
        hr = lpFolder->GetContentsTable(0, &lpTable);
    if (SUCCEEDED(hr))
        hr = lpTable->SetColumns((LPSPropTagArray)&sptaCols, TBL_BATCH);
    if (SUCCEEDED(hr))
        hr = lpTable->SortTable((LPSSortOrderSet)&sosBySender, TBL_BATCH);
    if (SUCCEEDED(hr))
        hr = PrintView(lpTable, "grouped by sender");

    if (SUCCEEDED(hr))
        hr = FindHeading(lpTable, "Bob", &lpKey);
    if (SUCCEEDED(hr)) {
        ULONG ulRowCount = 0;
        hr = lpTable->CollapseRow(lpKey->Value.bin.cb, lpKey->Value.bin.lpb, 0, &ulRowCount);
        printf("CollapseRow: %lu rows hidden\n", (unsigned long)ulRowCount);
    }
    if (SUCCEEDED(hr))
        hr = PrintView(lpTable, "Bob collapsed");
    if (SUCCEEDED(hr)) {
        ULONG ulMore = 0;
        LPSRowSet lpRows = NULL;
        hr = lpTable->ExpandRow(lpKey->Value.bin.cb, lpKey->Value.bin.lpb, 0, 0, &lpRows, &ulMore);
        printf("ExpandRow: %lu rows shown again\n", (unsigned long)ulMore);
        FreeProws(lpRows);
    }
    if (SUCCEEDED(hr)) {
        ULONG ulRowCount = 0;
        hr = lpTable->GetRowCount(0, &ulRowCount);
        printf("rows with headings: %lu\n", (unsigned long)ulRowCount);
    }
    if (SUCCEEDED(hr)) {
        SPropValue spv;
        SRestriction sres;
        ULONG ulRow = 0, ulNumerator = 0, ulDenominator = 0;
        spv.ulPropTag = PR_SUBJECT_A;
        spv.Value.lpszA = (LPSTR) "b2";
        sres.rt = RES_PROPERTY;
        sres.res.resProperty.relop = RELOP_EQ;
        sres.res.resProperty.ulPropTag = PR_SUBJECT_A;
        sres.res.resProperty.lpProp = &spv;
        hr = lpTable->FindRow(&sres, BOOKMARK_BEGINNING, 0);
        if (SUCCEEDED(hr))
            hr = lpTable->QueryPosition(&ulRow, &ulNumerator, &ulDenominator);
        if (SUCCEEDED(hr))
            printf("FindRow b2: row %lu of %lu\n", (unsigned long)ulRow, (unsigned long)ulDenominator);
    }
    if (FAILED(hr))
        printf("failed: 0x%08lx\n", (unsigned long)hr);

    MAPIFreeBuffer(lpKey);
    if (lpTable)
        lpTable->Release();
    if (lpFolder) {
        if (SUCCEEDED(HrGetOneProp(lpFolder, PR_ENTRYID, &lpFolderEID))) {
            lpFolder->Release();
            lpIPM->DeleteFolder(lpFolderEID->Value.bin.cb, (LPENTRYID)lpFolderEID->Value.bin.lpb, 0,
                                NULL, DEL_MESSAGES | DEL_FOLDERS);
        } else {
            lpFolder->Release();
        }
    }
    MAPIFreeBuffer(lpFolderEID);
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
