// messages_recipients.cpp - a C++ client composing a message the way
// Outlook-era samples do: the Drafts folder from the Inbox's
// PR_IPM_DRAFTS_ENTRYID, CreateMessage, SetProps, recipients through an
// ADRLIST (CbNewADRLIST) and ModifyRecipients, SaveChanges, then the saved
// message reopened by its entry ID and its recipient table read.
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <stdio.h>
#include <string.h>

static HRESULT OpenDefaultStore(LPMAPISESSION lpSession, LPMDB *lppMDB)
{
    static const SizedSPropTagArray(2, spta) = { 2, { PR_ENTRYID, PR_DEFAULT_STORE } };
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    HRESULT hr = lpSession->GetMsgStoresTable(0, &lpTable);
    if (FAILED(hr))
        return hr;
    hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&spta, NULL, NULL, 0, &lpRows);
    for (ULONG i = 0; SUCCEEDED(hr) && i < lpRows->cRows; i++) {
        if (lpRows->aRow[i].lpProps[1].ulPropTag == PR_DEFAULT_STORE &&
            lpRows->aRow[i].lpProps[1].Value.b) {
            SBinary &eid = lpRows->aRow[i].lpProps[0].Value.bin;
            hr = lpSession->OpenMsgStore(0, eid.cb, (LPENTRYID)eid.lpb, NULL,
                                         MDB_WRITE | MAPI_BEST_ACCESS, lppMDB);
            break;
        }
    }
    FreeProws(lpRows);
    lpTable->Release();
    return hr;
}

static HRESULT OpenDrafts(LPMDB lpMDB, LPMAPIFOLDER *lppDrafts)
{
    ULONG cbEID = 0, ulType = 0;
    LPENTRYID lpEID = NULL;
    LPMAPIFOLDER lpInbox = NULL;
    LPSPropValue lpDraftsEID = NULL;
    HRESULT hr = lpMDB->GetReceiveFolder((LPTSTR) "IPM.Note", 0, &cbEID, &lpEID, NULL);
    if (SUCCEEDED(hr))
        hr = lpMDB->OpenEntry(cbEID, lpEID, NULL, MAPI_BEST_ACCESS, &ulType, (LPUNKNOWN *)&lpInbox);
    if (SUCCEEDED(hr))
        hr = HrGetOneProp(lpInbox, PR_IPM_DRAFTS_ENTRYID, &lpDraftsEID);
    if (SUCCEEDED(hr))
        hr = lpMDB->OpenEntry(lpDraftsEID->Value.bin.cb, (LPENTRYID)lpDraftsEID->Value.bin.lpb,
                              NULL, MAPI_MODIFY, &ulType, (LPUNKNOWN *)lppDrafts);
    MAPIFreeBuffer(lpDraftsEID);
    if (lpInbox)
        lpInbox->Release();
    MAPIFreeBuffer(lpEID);
    return hr;
}

static HRESULT AddRecipients(LPMESSAGE lpMessage)
{
    struct Recip {
        const char *name, *address;
        ULONG type;
    } recips[] = {
        { "Ann Example", "ann@example.org", MAPI_TO },
        { "Bob Example", "bob@example.org", MAPI_CC },
    };
    const ULONG cRecips = sizeof recips / sizeof recips[0];
    LPADRLIST lpAdrList = NULL;
    HRESULT hr = MAPIAllocateBuffer(CbNewADRLIST(cRecips), (LPVOID *)&lpAdrList);
    if (FAILED(hr))
        return hr;
    ZeroMemory(lpAdrList, CbNewADRLIST(cRecips));
    lpAdrList->cEntries = cRecips;
    for (ULONG i = 0; i < cRecips && SUCCEEDED(hr); i++) {
        LPSPropValue lpProps = NULL;
        hr = MAPIAllocateBuffer(4 * sizeof(SPropValue), (LPVOID *)&lpProps);
        if (FAILED(hr))
            break;
        lpProps[0].ulPropTag = PR_DISPLAY_NAME_A;
        lpProps[0].Value.lpszA = (LPSTR)recips[i].name;
        lpProps[1].ulPropTag = PR_EMAIL_ADDRESS_A;
        lpProps[1].Value.lpszA = (LPSTR)recips[i].address;
        lpProps[2].ulPropTag = PR_ADDRTYPE_A;
        lpProps[2].Value.lpszA = (LPSTR) "SMTP";
        lpProps[3].ulPropTag = PR_RECIPIENT_TYPE;
        lpProps[3].Value.l = (LONG)recips[i].type;
        lpAdrList->aEntries[i].cValues = 4;
        lpAdrList->aEntries[i].rgPropVals = lpProps;
    }
    if (SUCCEEDED(hr))
        hr = lpMessage->ModifyRecipients(MODRECIP_ADD, lpAdrList);
    FreePadrlist(lpAdrList);
    return hr;
}

int main()
{
    HRESULT hr = S_OK;
    LPMAPISESSION lpSession = NULL;
    LPMDB lpMDB = NULL;
    LPMAPIFOLDER lpDrafts = NULL;
    LPMESSAGE lpMessage = NULL, lpReopened = NULL;
    LPSPropValue lpEID = NULL, lpProps = NULL;
    LPMAPITABLE lpRecipTable = NULL;
    LPSRowSet lpRows = NULL;
    ULONG cValues = 0, ulType = 0;

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION, &lpSession);
    if (SUCCEEDED(hr))
        hr = OpenDefaultStore(lpSession, &lpMDB);
    if (SUCCEEDED(hr))
        hr = OpenDrafts(lpMDB, &lpDrafts);
    if (SUCCEEDED(hr))
        hr = lpDrafts->CreateMessage(NULL, 0, &lpMessage);
    if (SUCCEEDED(hr)) {
        SPropValue props[4];
        props[0].ulPropTag = PR_MESSAGE_CLASS_A;
        props[0].Value.lpszA = (LPSTR) "IPM.Note";
        props[1].ulPropTag = PR_SUBJECT_A;
        props[1].Value.lpszA = (LPSTR) "Port: a draft";
        props[2].ulPropTag = PR_BODY_A;
        props[2].Value.lpszA = (LPSTR) "Written by messages_recipients.";
        props[3].ulPropTag = PR_IMPORTANCE;
        props[3].Value.l = IMPORTANCE_HIGH;
        hr = lpMessage->SetProps(4, props, NULL);
    }
    if (SUCCEEDED(hr))
        hr = AddRecipients(lpMessage);
    if (SUCCEEDED(hr))
        hr = lpMessage->SaveChanges(KEEP_OPEN_READWRITE);
    if (SUCCEEDED(hr))
        hr = HrGetOneProp(lpMessage, PR_ENTRYID, &lpEID);
    if (FAILED(hr)) {
        printf("composing failed: 0x%08lx\n", (unsigned long)hr);
        goto Cleanup;
    }
    printf("saved a draft\n");

    hr = lpMDB->OpenEntry(lpEID->Value.bin.cb, (LPENTRYID)lpEID->Value.bin.lpb, &IID_IMessage, 0,
                          &ulType, (LPUNKNOWN *)&lpReopened);
    if (SUCCEEDED(hr)) {
        static const SizedSPropTagArray(5, spta) = {
            5, { PR_SUBJECT_A, PR_IMPORTANCE, PR_MESSAGE_FLAGS, PR_DISPLAY_TO_A, PR_DISPLAY_CC_A }
        };
        hr = lpReopened->GetProps((LPSPropTagArray)&spta, 0, &cValues, &lpProps);
    }
    if (SUCCEEDED(hr)) {
        printf("object type: %s\n", ulType == MAPI_MESSAGE ? "MAPI_MESSAGE" : "other");
        printf("subject: %s\n", lpProps[0].Value.lpszA);
        printf("importance high: %s\n", lpProps[1].Value.l == IMPORTANCE_HIGH ? "yes" : "no");
        printf("unsent: %s\n", (lpProps[2].Value.l & MSGFLAG_UNSENT) ? "yes" : "no");
        printf("display to: %s\n", lpProps[3].Value.lpszA);
        printf("display cc: %s\n", lpProps[4].Value.lpszA);
        hr = lpReopened->GetRecipientTable(0, &lpRecipTable);
    }
    if (SUCCEEDED(hr)) {
        static const SizedSPropTagArray(3, sptaRecip) = {
            3, { PR_DISPLAY_NAME_A, PR_EMAIL_ADDRESS_A, PR_RECIPIENT_TYPE }
        };
        hr = HrQueryAllRows(lpRecipTable, (LPSPropTagArray)&sptaRecip, NULL, NULL, 0, &lpRows);
    }
    if (SUCCEEDED(hr)) {
        for (ULONG i = 0; i < lpRows->cRows; i++) {
            LPSPropValue p = lpRows->aRow[i].lpProps;
            printf("recipient %s <%s> %s\n", p[0].Value.lpszA, p[1].Value.lpszA,
                   p[2].Value.l == MAPI_TO ? "To" : p[2].Value.l == MAPI_CC ? "Cc" : "Bcc");
        }
    }
    // delete the draft again
    if (SUCCEEDED(hr)) {
        ENTRYLIST el = { 1, &lpEID->Value.bin };
        lpReopened->Release();
        lpReopened = NULL;
        lpMessage->Release();
        lpMessage = NULL;
        hr = lpDrafts->DeleteMessages(&el, 0, NULL, 0);
        printf("deleted: %s\n", hr == S_OK ? "S_OK" : "failed");
    }

Cleanup:
    FreeProws(lpRows);
    if (lpRecipTable)
        lpRecipTable->Release();
    MAPIFreeBuffer(lpProps);
    MAPIFreeBuffer(lpEID);
    if (lpReopened)
        lpReopened->Release();
    if (lpMessage)
        lpMessage->Release();
    if (lpDrafts)
        lpDrafts->Release();
    if (lpMDB)
        lpMDB->Release();
    if (lpSession) {
        lpSession->Logoff(0, 0, 0);
        lpSession->Release();
    }
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
