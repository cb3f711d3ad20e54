/* named_props.c - named properties from C: GetIDsFromNames with
 * MAPI_CREATE for a string name in PS_PUBLIC_STRINGS ("Keywords", as
 * Outlook's categories) and a numeric one in PSETID_Common, values set
 * and read through the returned tags, GetNamesFromIDs back, and the same
 * names mapping to the same IDs on a second message. */
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <mapiguid.h>
#include <stdio.h>
#include <string.h>

#define dispidReminderSet 0x8503

static HRESULT OpenInbox(LPMAPISESSION lpSession, LPMDB *lppMDB, LPMAPIFOLDER *lppInbox)
{
    SizedSPropTagArray(2, spta) = { 2, { PR_ENTRYID, PR_DEFAULT_STORE } };
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    ULONG i, cbEID = 0, ulType = 0;
    LPENTRYID lpEID = NULL;
    HRESULT hr = IMAPISession_GetMsgStoresTable(lpSession, 0, &lpTable);
    if (FAILED(hr))
        return hr;
    hr = HrQueryAllRows(lpTable, (LPSPropTagArray)&spta, NULL, NULL, 0, &lpRows);
    IMAPITable_Release(lpTable);
    for (i = 0; SUCCEEDED(hr) && i < lpRows->cRows; i++)
        if (lpRows->aRow[i].lpProps[1].Value.b)
            hr = IMAPISession_OpenMsgStore(lpSession, 0, lpRows->aRow[i].lpProps[0].Value.bin.cb,
                                           (LPENTRYID)lpRows->aRow[i].lpProps[0].Value.bin.lpb,
                                           NULL, MDB_WRITE, lppMDB);
    FreeProws(lpRows);
    if (SUCCEEDED(hr))
        hr = IMsgStore_GetReceiveFolder(*lppMDB, (LPTSTR) "IPM.Note", 0, &cbEID, &lpEID, NULL);
    if (SUCCEEDED(hr))
        hr = IMsgStore_OpenEntry(*lppMDB, cbEID, lpEID, NULL, MAPI_MODIFY, &ulType,
                                 (LPUNKNOWN *)lppInbox);
    MAPIFreeBuffer(lpEID);
    return hr;
}

int main(void)
{
    HRESULT hr;
    LPMAPISESSION lpSession = NULL;
    LPMDB lpMDB = NULL;
    LPMAPIFOLDER lpInbox = NULL;
    LPMESSAGE lpMsg = NULL, lpMsg2 = NULL;
    MAPINAMEID nidKeywords, nidReminder;
    LPMAPINAMEID rgpnid[2];
    LPSPropTagArray lpTags = NULL, lpTags2 = NULL;
    LPSPropValue lpProps = NULL, lpEID = NULL;
    LPMAPINAMEID *lppNames = NULL;
    ULONG cValues = 0, cNames = 0, i;
    ULONG ulKeywordsTag, ulReminderTag;

    nidKeywords.lpguid = (LPGUID)&PS_PUBLIC_STRINGS;
    nidKeywords.ulKind = MNID_STRING;
    nidKeywords.Kind.lpwstrName = (LPWSTR)u"Keywords";
    nidReminder.lpguid = (LPGUID)&PSETID_Common;
    nidReminder.ulKind = MNID_ID;
    nidReminder.Kind.lID = dispidReminderSet;
    rgpnid[0] = &nidKeywords;
    rgpnid[1] = &nidReminder;

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION,
                     &lpSession);
    if (SUCCEEDED(hr))
        hr = OpenInbox(lpSession, &lpMDB, &lpInbox);
    if (SUCCEEDED(hr))
        hr = IMAPIFolder_CreateMessage(lpInbox, NULL, 0, &lpMsg);
    if (SUCCEEDED(hr))
        hr = IMessage_GetIDsFromNames(lpMsg, 2, rgpnid, MAPI_CREATE, &lpTags);
    if (FAILED(hr)) {
        printf("names failed: 0x%08lx\n", (unsigned long)hr);
        goto Cleanup;
    }
    printf("ids: %lu, both named range: %s\n", (unsigned long)lpTags->cValues,
           PROP_ID(lpTags->aulPropTag[0]) >= 0x8000 && PROP_ID(lpTags->aulPropTag[1]) >= 0x8000
               ? "yes"
               : "no");
    ulKeywordsTag = CHANGE_PROP_TYPE(lpTags->aulPropTag[0], PT_MV_STRING8);
    ulReminderTag = CHANGE_PROP_TYPE(lpTags->aulPropTag[1], PT_BOOLEAN);
    {
        LPSTR keywords[] = { (LPSTR) "Blue", (LPSTR) "Green" };
        SPropValue pv[3];
        pv[0].ulPropTag = ulKeywordsTag;
        pv[0].Value.MVszA.cValues = 2;
        pv[0].Value.MVszA.lppszA = keywords;
        pv[1].ulPropTag = ulReminderTag;
        pv[1].Value.b = TRUE;
        pv[2].ulPropTag = PR_SUBJECT_A;
        pv[2].Value.lpszA = (LPSTR) "Port: named properties";
        hr = IMessage_SetProps(lpMsg, 3, pv, NULL);
    }
    if (SUCCEEDED(hr))
        hr = IMessage_SaveChanges(lpMsg, KEEP_OPEN_READWRITE);
    if (SUCCEEDED(hr)) {
        SizedSPropTagArray(2, spta);
        spta.cValues = 2;
        spta.aulPropTag[0] = ulKeywordsTag;
        spta.aulPropTag[1] = ulReminderTag;
        hr = IMessage_GetProps(lpMsg, (LPSPropTagArray)&spta, 0, &cValues, &lpProps);
    }
    if (SUCCEEDED(hr)) {
        printf("keywords:");
        for (i = 0; i < lpProps[0].Value.MVszA.cValues; i++)
            printf(" %s", lpProps[0].Value.MVszA.lppszA[i]);
        printf("\nreminder set: %s\n", lpProps[1].Value.b ? "TRUE" : "FALSE");
        hr = IMessage_GetNamesFromIDs(lpMsg, &lpTags, NULL, 0, &cNames, &lppNames);
    }
    if (SUCCEEDED(hr)) {
        printf("names: %lu\n", (unsigned long)cNames);
        printf("  0: %s, string: %s\n",
               IsEqualGUID(lppNames[0]->lpguid, &PS_PUBLIC_STRINGS) ? "PS_PUBLIC_STRINGS" : "?",
               lppNames[0]->ulKind == MNID_STRING &&
                       memcmp(lppNames[0]->Kind.lpwstrName, u"Keywords", 18) == 0
                   ? "Keywords"
                   : "?");
        printf("  1: %s, id: 0x%04lx\n",
               IsEqualGUID(lppNames[1]->lpguid, &PSETID_Common) ? "PSETID_Common" : "?",
               (unsigned long)lppNames[1]->Kind.lID);
    }
    /* the same names give the same tags on another message */
    if (SUCCEEDED(hr))
        hr = IMAPIFolder_CreateMessage(lpInbox, NULL, 0, &lpMsg2);
    if (SUCCEEDED(hr))
        hr = IMessage_GetIDsFromNames(lpMsg2, 2, rgpnid, 0, &lpTags2);
    if (SUCCEEDED(hr))
        printf("same ids on another message: %s\n",
               lpTags2->aulPropTag[0] == lpTags->aulPropTag[0] &&
                       lpTags2->aulPropTag[1] == lpTags->aulPropTag[1]
                   ? "yes"
                   : "no");
    if (SUCCEEDED(hr) && SUCCEEDED(hr = HrGetOneProp((LPMAPIPROP)lpMsg, PR_ENTRYID, &lpEID))) {
        ENTRYLIST el;
        el.cValues = 1;
        el.lpbin = &lpEID->Value.bin;
        hr = IMAPIFolder_DeleteMessages(lpInbox, &el, 0, NULL, 0);
        printf("deleted: %s\n", hr == S_OK ? "S_OK" : "failed");
    }

Cleanup:
    MAPIFreeBuffer(lpEID);
    MAPIFreeBuffer(lppNames);
    MAPIFreeBuffer(lpProps);
    MAPIFreeBuffer(lpTags);
    MAPIFreeBuffer(lpTags2);
    if (lpMsg2)
        IMessage_Release(lpMsg2);
    if (lpMsg)
        IMessage_Release(lpMsg);
    if (lpInbox)
        IMAPIFolder_Release(lpInbox);
    if (lpMDB)
        IMsgStore_Release(lpMDB);
    if (lpSession) {
        IMAPISession_Logoff(lpSession, 0, 0, 0);
        IMAPISession_Release(lpSession);
    }
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
