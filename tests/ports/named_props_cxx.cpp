// named_props_cxx.cpp - named properties from C++, as Outlook add-ins set
// contact and custom fields: the names mapped on the message store
// (GetIDsFromNames with MAPI_CREATE: PSETID_Address's Email1 address, LID
// 0x8083, and a string name in PS_INTERNET_HEADERS), a name that was never
// created asked for without MAPI_CREATE (MAPI_W_ERRORS_RETURNED and a
// PT_ERROR tag), values set and read on a message through
// CHANGE_PROP_TYPE'd tags, and GetNamesFromIDs on the message.
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <mapiguid.h>
#include <stdio.h>
#include <string.h>

static const LONG dispidEmail1Address = 0x8083;

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

static void PrintName(const MAPINAMEID *lpName)
{
    const char *szSet = IsEqualGUID(*lpName->lpguid, PSETID_Address)        ? "PSETID_Address"
                        : IsEqualGUID(*lpName->lpguid, PS_INTERNET_HEADERS) ? "PS_INTERNET_HEADERS"
                                                                            : "another set";
    if (lpName->ulKind == MNID_ID) {
        printf("  %s, LID 0x%04lX\n", szSet, (unsigned long)lpName->Kind.lID);
    } else {
        printf("  %s, name \"", szSet);
        for (const WCHAR *p = lpName->Kind.lpwstrName; *p; p++)
            putchar((char)*p); // the names here are ASCII
        printf("\"\n");
    }
}

int main()
{
    HRESULT hr = S_OK;
    LPMAPISESSION lpSession = NULL;
    LPMDB lpMDB = NULL;
    LPMAPIFOLDER lpIPM = NULL, lpFolder = NULL;
    LPMESSAGE lpMsg = NULL;
    LPSPropTagArray lpTags = NULL, lpUnknown = NULL;
    LPSPropValue lpProps = NULL, lpFolderEID = NULL;
    LPMAPINAMEID *lppNames = NULL;
    ULONG cValues = 0, cNames = 0;
    WCHAR wszHeader[] = u"x-port-tracking";
    WCHAR wszNever[] = u"NeverCreatedName";
    MAPINAMEID nmEmail = { (LPGUID)&PSETID_Address, MNID_ID, {} };
    MAPINAMEID nmHeader = { (LPGUID)&PS_INTERNET_HEADERS, MNID_STRING, {} };
    MAPINAMEID nmNever = { (LPGUID)&PS_PUBLIC_STRINGS, MNID_STRING, {} };
    nmEmail.Kind.lID = dispidEmail1Address;
    nmHeader.Kind.lpwstrName = wszHeader;
    nmNever.Kind.lpwstrName = wszNever;
    LPMAPINAMEID rgpNames[] = { &nmEmail, &nmHeader };

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION, &lpSession);
    if (SUCCEEDED(hr))
        hr = OpenIPM(lpSession, &lpMDB, &lpIPM);
    if (SUCCEEDED(hr))
        hr = lpIPM->CreateFolder(FOLDER_GENERIC, (LPTSTR) "Port Named C++", NULL, NULL,
                                 OPEN_IF_EXISTS, &lpFolder);
    // the store maps names for every message in it
    if (SUCCEEDED(hr))
        hr = lpMDB->GetIDsFromNames(2, rgpNames, MAPI_CREATE, &lpTags);
    if (SUCCEEDED(hr)) {
        printf("GetIDsFromNames with MAPI_CREATE: %s\n", hr == S_OK ? "S_OK" : "warning");
        for (ULONG i = 0; i < lpTags->cValues; i++)
            printf("  named range: %s, type PT_UNSPECIFIED: %s\n",
                   PROP_ID(lpTags->aulPropTag[i]) >= 0x8000 ? "yes" : "no",
                   PROP_TYPE(lpTags->aulPropTag[i]) == PT_UNSPECIFIED ? "yes" : "no");
    }
    if (SUCCEEDED(hr)) {
        LPMAPINAMEID rgpNever[] = { &nmNever };
        HRESULT hrNever = lpMDB->GetIDsFromNames(1, rgpNever, 0, &lpUnknown);
        printf("a name never created: %s, %s\n",
               hrNever == MAPI_W_ERRORS_RETURNED ? "MAPI_W_ERRORS_RETURNED" : "other",
               SUCCEEDED(hrNever) && PROP_TYPE(lpUnknown->aulPropTag[0]) == PT_ERROR ? "PT_ERROR"
                                                                                   : "not PT_ERROR");
    }

    if (SUCCEEDED(hr))
        hr = lpFolder->CreateMessage(NULL, 0, &lpMsg);
    if (SUCCEEDED(hr)) {
        SPropValue rgProps[2];
        rgProps[0].ulPropTag = CHANGE_PROP_TYPE(lpTags->aulPropTag[0], PT_STRING8);
        rgProps[0].Value.lpszA = (LPSTR) "someone@example.org";
        rgProps[1].ulPropTag = CHANGE_PROP_TYPE(lpTags->aulPropTag[1], PT_STRING8);
        rgProps[1].Value.lpszA = (LPSTR) "ticket 42";
        hr = lpMsg->SetProps(2, rgProps, NULL);
    }
    if (SUCCEEDED(hr))
        hr = lpMsg->SaveChanges(KEEP_OPEN_READWRITE);
    if (SUCCEEDED(hr)) {
        SizedSPropTagArray(2, sptaRead) = {
            2,
            { CHANGE_PROP_TYPE(lpTags->aulPropTag[0], PT_STRING8),
              CHANGE_PROP_TYPE(lpTags->aulPropTag[1], PT_STRING8) }
        };
        hr = lpMsg->GetProps((LPSPropTagArray)&sptaRead, 0, &cValues, &lpProps);
    }
    if (hr == S_OK) {
        printf("Email1 address: %s\n", lpProps[0].Value.lpszA);
        printf("x-port-tracking: %s\n", lpProps[1].Value.lpszA);
    } else if (SUCCEEDED(hr)) {
        printf("values missing\n");
    }
    if (SUCCEEDED(hr))
        hr = lpMsg->GetNamesFromIDs(&lpTags, NULL, 0, &cNames, &lppNames);
    if (SUCCEEDED(hr)) {
        printf("GetNamesFromIDs: %lu names\n", (unsigned long)cNames);
        for (ULONG i = 0; i < cNames; i++)
            if (lppNames[i])
                PrintName(lppNames[i]);
    }
    if (FAILED(hr))
        printf("failed: 0x%08lx\n", (unsigned long)hr);

    MAPIFreeBuffer(lppNames);
    MAPIFreeBuffer(lpProps);
    MAPIFreeBuffer(lpUnknown);
    MAPIFreeBuffer(lpTags);
    if (lpMsg)
        lpMsg->Release();
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
