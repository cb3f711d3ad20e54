// address_book.cpp - the address book from C++, as Exchange clients use it:
// IMAPISession::OpenAddressBook, IAddrBook::ResolveName on an ADRLIST the
// program allocates (ResolveName replaces its property arrays), the
// resolved entry opened with OpenEntry as an IMailUser and its
// PR_DISPLAY_NAME, PR_SMTP_ADDRESS, PR_ACCOUNT and PR_EMS_AB_PROXY_ADDRESSES
// read, the root container's hierarchy table walked for the Global Address
// List, and the GAL's contents table searched with a restriction.
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <mapidefs.h>
#include <stdio.h>
#include <string.h>

static const char *Str(const SPropValue &v)
{
    return PROP_TYPE(v.ulPropTag) == PT_STRING8 ? v.Value.lpszA : "(missing)";
}

// One name resolved: S_OK with the entry's entry ID, or ResolveName's error.
static HRESULT Resolve(LPADRBOOK lpAdrBook, LPCSTR szName, LPSPropValue *lppEntryID)
{
    LPADRLIST lpAdrList = NULL;
    HRESULT hr = MAPIAllocateBuffer(CbNewADRLIST(1), (LPVOID *)&lpAdrList);
    if (FAILED(hr))
        return hr;
    ZeroMemory(lpAdrList, CbNewADRLIST(1));
    lpAdrList->cEntries = 1;
    hr = MAPIAllocateBuffer(sizeof(SPropValue), (LPVOID *)&lpAdrList->aEntries[0].rgPropVals);
    if (SUCCEEDED(hr)) {
        lpAdrList->aEntries[0].cValues = 1;
        lpAdrList->aEntries[0].rgPropVals[0].ulPropTag = PR_DISPLAY_NAME_A;
        lpAdrList->aEntries[0].rgPropVals[0].Value.lpszA = (LPSTR)szName;
        hr = lpAdrBook->ResolveName(0, 0, NULL, lpAdrList);
    }
    if (SUCCEEDED(hr)) {
        ADRENTRY &e = lpAdrList->aEntries[0];
        LPSPropValue lpName = PpropFindProp(e.rgPropVals, e.cValues, PR_DISPLAY_NAME_A);
        LPSPropValue lpType = PpropFindProp(e.rgPropVals, e.cValues, PR_ADDRTYPE_A);
        LPSPropValue lpEID = PpropFindProp(e.rgPropVals, e.cValues, PR_ENTRYID);
        printf("resolved \"%s\": %s, address type %s, entry ID: %s\n", szName,
               lpName ? Str(*lpName) : "(no name)", lpType ? Str(*lpType) : "(none)",
               lpEID ? "yes" : "no");
        hr = lpEID ? ScDupPropset(1, lpEID, MAPIAllocateBuffer, lppEntryID) : MAPI_E_NOT_FOUND;
    }
    FreePadrlist(lpAdrList);
    return hr;
}

static HRESULT ShowMailUser(LPADRBOOK lpAdrBook, LPSPropValue lpEntryID)
{
    enum { iName, iSmtp, iAccount, iProxies, iObjType, iDispType, cpta };
    static const SizedSPropTagArray(cpta, spta) = {
        cpta,
        { PR_DISPLAY_NAME_A, PR_SMTP_ADDRESS_A, PR_ACCOUNT_A, PR_EMS_AB_PROXY_ADDRESSES_A,
          PR_OBJECT_TYPE, PR_DISPLAY_TYPE }
    };
    LPMAILUSER lpMailUser = NULL;
    LPSPropValue lpProps = NULL;
    ULONG ulObjType = 0, cValues = 0;
    HRESULT hr = lpAdrBook->OpenEntry(lpEntryID->Value.bin.cb, (LPENTRYID)lpEntryID->Value.bin.lpb,
                                      NULL, 0, &ulObjType, (LPUNKNOWN *)&lpMailUser);
    if (FAILED(hr))
        return hr;
    printf("opened: %s\n", ulObjType == MAPI_MAILUSER ? "MAPI_MAILUSER" : "something else");
    hr = lpMailUser->GetProps((LPSPropTagArray)&spta, 0, &cValues, &lpProps);
    if (SUCCEEDED(hr)) {
        printf("  PR_DISPLAY_NAME: %s\n", Str(lpProps[iName]));
        printf("  PR_SMTP_ADDRESS: %s\n", Str(lpProps[iSmtp]));
        printf("  PR_ACCOUNT: %s\n", Str(lpProps[iAccount]));
        if (PROP_TYPE(lpProps[iProxies].ulPropTag) == PT_MV_STRING8)
            for (ULONG i = 0; i < lpProps[iProxies].Value.MVszA.cValues; i++)
                printf("  PR_EMS_AB_PROXY_ADDRESSES: %s\n", lpProps[iProxies].Value.MVszA.lppszA[i]);
        printf("  PR_OBJECT_TYPE: %ld, PR_DISPLAY_TYPE: %s\n", (long)lpProps[iObjType].Value.l,
               lpProps[iDispType].Value.l == DT_MAILUSER ? "DT_MAILUSER" : "other");
        hr = S_OK; // some properties may be missing (MAPI_W_ERRORS_RETURNED)
    }
    MAPIFreeBuffer(lpProps);
    lpMailUser->Release();
    return hr;
}

// The hierarchy of the address book's root; the GAL's entry ID from it.
static HRESULT FindGAL(LPADRBOOK lpAdrBook, LPSPropValue *lppGAL)
{
    static const SizedSPropTagArray(3, spta) = { 3, { PR_ENTRYID, PR_DISPLAY_TYPE, PR_DEPTH } };
    LPABCONT lpRoot = NULL;
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    ULONG ulObjType = 0;
    HRESULT hr = lpAdrBook->OpenEntry(0, NULL, NULL, 0, &ulObjType, (LPUNKNOWN *)&lpRoot);
    if (SUCCEEDED(hr))
        hr = lpRoot->GetHierarchyTable(CONVENIENT_DEPTH, &lpTable);
    if (SUCCEEDED(hr))
        hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&spta, NULL, NULL, 0, &lpRows);
    if (SUCCEEDED(hr)) {
        hr = MAPI_E_NOT_FOUND;
        for (ULONG i = 0; i < lpRows->cRows; i++) {
            LPSPropValue p = lpRows->aRow[i].lpProps;
            if (p[1].Value.l == DT_GLOBAL && hr == MAPI_E_NOT_FOUND)
                hr = ScDupPropset(1, &p[0], MAPIAllocateBuffer, lppGAL);
        }
        printf("root is a container: %s; the GAL in its hierarchy: %s\n",
               ulObjType == MAPI_ABCONT ? "yes" : "no", hr == S_OK ? "yes" : "no");
    }
    FreeProws(lpRows);
    if (lpTable)
        lpTable->Release();
    if (lpRoot)
        lpRoot->Release();
    return hr;
}

static HRESULT SearchGAL(LPADRBOOK lpAdrBook, LPSPropValue lpGAL)
{
    static const SizedSPropTagArray(2, spta) = { 2, { PR_DISPLAY_NAME_A, PR_SMTP_ADDRESS_A } };
    LPABCONT lpGALCont = NULL;
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    ULONG ulObjType = 0;
    SPropValue spv;
    SRestriction sres;
    spv.ulPropTag = PR_SMTP_ADDRESS_A;
    spv.Value.lpszA = (LPSTR) "peer@example.org";
    sres.rt = RES_PROPERTY;
    sres.res.resProperty.relop = RELOP_EQ;
    sres.res.resProperty.ulPropTag = PR_SMTP_ADDRESS_A;
    sres.res.resProperty.lpProp = &spv;
    HRESULT hr = lpAdrBook->OpenEntry(lpGAL->Value.bin.cb, (LPENTRYID)lpGAL->Value.bin.lpb, NULL,
                                      0, &ulObjType, (LPUNKNOWN *)&lpGALCont);
    if (SUCCEEDED(hr))
        hr = lpGALCont->GetContentsTable(0, &lpTable);
    if (SUCCEEDED(hr))
        hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&spta, &sres, NULL, 0, &lpRows);
    if (SUCCEEDED(hr)) {
        printf("GAL rows with peer@example.org: %lu\n", (unsigned long)lpRows->cRows);
        for (ULONG i = 0; i < lpRows->cRows; i++)
            printf("  %s\n", Str(lpRows->aRow[i].lpProps[0]));
    }
    FreeProws(lpRows);
    if (lpTable)
        lpTable->Release();
    if (lpGALCont)
        lpGALCont->Release();
    return hr;
}

int main()
{
    HRESULT hr = S_OK;
    LPMAPISESSION lpSession = NULL;
    LPADRBOOK lpAdrBook = NULL;
    LPSPropValue lpEntryID = NULL, lpGAL = NULL, lpNobody = NULL;

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION, &lpSession);
    if (SUCCEEDED(hr))
        hr = lpSession->OpenAddressBook(0, NULL, AB_NO_DIALOG, &lpAdrBook);
    if (SUCCEEDED(hr))
        hr = Resolve(lpAdrBook, "Port Peer", &lpEntryID);
    if (SUCCEEDED(hr)) {
        HRESULT hrNobody = Resolve(lpAdrBook, "Nobody Of That Name", &lpNobody);
        printf("unknown name: %s\n", hrNobody == MAPI_E_NOT_FOUND ? "MAPI_E_NOT_FOUND" : "other");
    }
    if (SUCCEEDED(hr))
        hr = ShowMailUser(lpAdrBook, lpEntryID);
    if (SUCCEEDED(hr))
        hr = FindGAL(lpAdrBook, &lpGAL);
    if (SUCCEEDED(hr))
        hr = SearchGAL(lpAdrBook, lpGAL);
    if (FAILED(hr))
        printf("failed: 0x%08lx\n", (unsigned long)hr);

    MAPIFreeBuffer(lpNobody);
    MAPIFreeBuffer(lpGAL);
    MAPIFreeBuffer(lpEntryID);
    if (lpAdrBook)
        lpAdrBook->Release();
    if (lpSession) {
        lpSession->Logoff(0, 0, 0);
        lpSession->Release();
    }
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
