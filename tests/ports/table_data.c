/* table_data.c - the in-memory table a provider or client builds with
 * CreateTable and hands out as IMAPITable views, in C through lpVtbl as
 * the SDK's sample providers do: rows added, changed and deleted with
 * HrModifyRow/HrDeleteRow while a sorted view is open (the view follows),
 * a row looked up by its index column with HrQueryRow, and the view's
 * CALLERRELEASE callback when the view goes. */
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <mapiguid.h>
#include <stdio.h>

enum { iRowID, iName, iSize, cCols };
static SizedSPropTagArray(cCols, sptCols) = { cCols, { PR_ROWID, PR_DISPLAY_NAME_A, PR_MESSAGE_SIZE } };

static ULONG ulReleased = 0;

static void STDAPICALLTYPE ViewReleased(ULONG_PTR ulCallerData, LPTABLEDATA lpTblData, LPMAPITABLE lpVue)
{
    (void)lpTblData;
    (void)lpVue;
    ulReleased = (ULONG)ulCallerData;
}

static HRESULT PutRow(LPTABLEDATA lpTable, LONG lRowID, LPSTR szName, LONG lSize)
{
    SPropValue rgProps[cCols];
    SRow row;
    rgProps[iRowID].ulPropTag = PR_ROWID;
    rgProps[iRowID].Value.l = lRowID;
    rgProps[iName].ulPropTag = PR_DISPLAY_NAME_A;
    rgProps[iName].Value.lpszA = szName;
    rgProps[iSize].ulPropTag = PR_MESSAGE_SIZE;
    rgProps[iSize].Value.l = lSize;
    row.ulAdrEntryPad = 0;
    row.cValues = cCols;
    row.lpProps = rgProps;
    return lpTable->lpVtbl->HrModifyRow(lpTable, &row);
}

static HRESULT PrintView(LPMAPITABLE lpView, const char *szWhen)
{
    LPSRowSet lpRows = NULL;
    ULONG cRows = 0, i;
    HRESULT hr = lpView->lpVtbl->GetRowCount(lpView, 0, &cRows);
    if (SUCCEEDED(hr))
        hr = lpView->lpVtbl->SeekRow(lpView, BOOKMARK_BEGINNING, 0, NULL);
    if (SUCCEEDED(hr))
        hr = lpView->lpVtbl->QueryRows(lpView, 50, 0, &lpRows);
    if (FAILED(hr))
        return hr;
    printf("%s: %lu rows\n", szWhen, (unsigned long)cRows);
    for (i = 0; i < lpRows->cRows; i++) {
        LPSPropValue p = lpRows->aRow[i].lpProps;
        printf("  %ld %s %ld\n", (long)p[iRowID].Value.l, p[iName].Value.lpszA, (long)p[iSize].Value.l);
    }
    FreeProws(lpRows);
    return S_OK;
}

int main(void)
{
    HRESULT hr;
    LPTABLEDATA lpTable = NULL;
    LPMAPITABLE lpView = NULL;
    LPSRow lpRow = NULL;
    SPropValue pvKey;
    SizedSSortOrderSet(1, sosByName) = { 1, 0, 0, { { PR_DISPLAY_NAME_A, TABLE_SORT_ASCEND } } };

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = CreateTable(&IID_IMAPITableData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL,
                     TBLTYPE_DYNAMIC, PR_ROWID, (LPSPropTagArray)&sptCols, &lpTable);
    if (SUCCEEDED(hr))
        hr = PutRow(lpTable, 1, (LPSTR) "Charlie", 300);
    if (SUCCEEDED(hr))
        hr = PutRow(lpTable, 2, (LPSTR) "Alpha", 100);
    if (SUCCEEDED(hr))
        hr = lpTable->lpVtbl->HrGetView(lpTable, (LPSSortOrderSet)&sosByName, ViewReleased, 7, &lpView);
    if (SUCCEEDED(hr))
        hr = PrintView(lpView, "two rows");
    /* The view follows the table data: a new row, a changed one, a deleted one. */
    if (SUCCEEDED(hr))
        hr = PutRow(lpTable, 3, (LPSTR) "Bravo", 200);
    if (SUCCEEDED(hr))
        hr = PutRow(lpTable, 1, (LPSTR) "Aardvark", 301);
    if (SUCCEEDED(hr))
        hr = PrintView(lpView, "after insert and modify");
    pvKey.ulPropTag = PR_ROWID;
    pvKey.Value.l = 2;
    if (SUCCEEDED(hr))
        hr = lpTable->lpVtbl->HrDeleteRow(lpTable, &pvKey);
    if (SUCCEEDED(hr))
        hr = PrintView(lpView, "after delete");
    pvKey.Value.l = 3;
    if (SUCCEEDED(hr))
        hr = lpTable->lpVtbl->HrQueryRow(lpTable, &pvKey, &lpRow, NULL);
    if (SUCCEEDED(hr)) {
        LPSPropValue lpName = PpropFindProp(lpRow->lpProps, lpRow->cValues, PR_DISPLAY_NAME_A);
        printf("row 3: %s\n", lpName ? lpName->Value.lpszA : "(no name)");
    }
    pvKey.Value.l = 2;
    if (SUCCEEDED(hr)) {
        LPSRow lpGone = NULL;
        HRESULT hrGone = lpTable->lpVtbl->HrQueryRow(lpTable, &pvKey, &lpGone, NULL);
        printf("deleted row 2 found: %s\n", hrGone == MAPI_E_NOT_FOUND ? "no" : "yes");
        MAPIFreeBuffer(lpGone);
    }
    if (FAILED(hr))
        printf("failed: 0x%08lx\n", (unsigned long)hr);

    MAPIFreeBuffer(lpRow);
    if (lpView)
        lpView->lpVtbl->Release(lpView);
    printf("view released with caller data: %lu\n", (unsigned long)ulReleased);
    if (lpTable)
        lpTable->lpVtbl->Release(lpTable);
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
