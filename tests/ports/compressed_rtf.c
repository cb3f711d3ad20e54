/* compressed_rtf.c - a message body written and read as compressed RTF
 * from C, as RTF-aware clients do: PR_RTF_COMPRESSED opened with
 * OpenProperty(IID_IStream, STGM_CREATE | STGM_WRITE, MAPI_CREATE |
 * MAPI_MODIFY), WrapCompressedRTFStream(MAPI_MODIFY) written with the RTF
 * and committed, RTFSync(RTF_SYNC_RTF_CHANGED) making PR_BODY from it,
 * the message saved, then the RTF read back through
 * WrapCompressedRTFStream(0) and the compressed stream's header checked
 * ([MS-OXRTFCP]: the size fields and "LZFu"). */
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <stdio.h>
#include <string.h>

static const char szRTF[] = "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}"
                            "\\f0\\fs20 Hello from the compressed RTF port.\\par\r\n"
                            "Second line.\\par\r\n}";

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

static HRESULT WriteRTF(LPMESSAGE lpMsg)
{
    LPSTREAM lpCompressed = NULL, lpUncompressed = NULL;
    ULONG cbWritten = 0;
    HRESULT hr = IMessage_OpenProperty(lpMsg, PR_RTF_COMPRESSED, &IID_IStream, STGM_CREATE | STGM_WRITE,
                                       MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&lpCompressed);
    if (SUCCEEDED(hr))
        hr = WrapCompressedRTFStream(lpCompressed, MAPI_MODIFY, &lpUncompressed);
    if (SUCCEEDED(hr))
        hr = IStream_Write(lpUncompressed, szRTF, (ULONG)strlen(szRTF), &cbWritten);
    if (SUCCEEDED(hr))
        hr = IStream_Commit(lpUncompressed, STGC_DEFAULT);
    if (SUCCEEDED(hr))
        hr = IStream_Commit(lpCompressed, STGC_DEFAULT);
    if (SUCCEEDED(hr))
        printf("RTF written: %lu bytes\n", (unsigned long)cbWritten);
    if (lpUncompressed)
        IStream_Release(lpUncompressed);
    if (lpCompressed)
        IStream_Release(lpCompressed);
    return hr;
}

static HRESULT ReadRTF(LPMESSAGE lpMsg)
{
    LPSTREAM lpCompressed = NULL, lpUncompressed = NULL;
    char buf[1024];
    BYTE header[16];
    ULONG cbRead = 0, cbTotal = 0, cbHeader = 0;
    HRESULT hr = IMessage_OpenProperty(lpMsg, PR_RTF_COMPRESSED, &IID_IStream, STGM_READ, 0,
                                       (LPUNKNOWN *)&lpCompressed);
    if (SUCCEEDED(hr))
        hr = IStream_Read(lpCompressed, header, sizeof header, &cbHeader);
    if (SUCCEEDED(hr)) {
        /* COMPSIZE, RAWSIZE, COMPTYPE, CRC, little-endian */
        ULONG ulRaw = (ULONG)header[4] | (ULONG)header[5] << 8 | (ULONG)header[6] << 16 |
                      (ULONG)header[7] << 24;
        printf("compressed header: %s, raw size %lu\n",
               cbHeader == 16 && memcmp(header + 8, "LZFu", 4) == 0 ? "LZFu" : "not LZFu",
               (unsigned long)ulRaw);
        LARGE_INTEGER li = { 0 };
        hr = IStream_Seek(lpCompressed, li, STREAM_SEEK_SET, NULL);
    }
    if (SUCCEEDED(hr))
        hr = WrapCompressedRTFStream(lpCompressed, 0, &lpUncompressed);
    while (SUCCEEDED(hr)) {
        hr = IStream_Read(lpUncompressed, buf + cbTotal, (ULONG)(sizeof buf - 1 - cbTotal), &cbRead);
        if (FAILED(hr) || cbRead == 0)
            break;
        cbTotal += cbRead;
    }
    if (SUCCEEDED(hr)) {
        buf[cbTotal] = '\0';
        printf("RTF read back: %lu bytes, the same: %s\n", (unsigned long)cbTotal,
               strcmp(buf, szRTF) == 0 ? "yes" : "no");
    }
    if (lpUncompressed)
        IStream_Release(lpUncompressed);
    if (lpCompressed)
        IStream_Release(lpCompressed);
    return hr;
}

int main(void)
{
    HRESULT hr;
    LPMAPISESSION lpSession = NULL;
    LPMDB lpMDB = NULL;
    LPSPropValue lpIPM = NULL, lpFolderEID = NULL, lpProp = NULL;
    LPMAPIFOLDER lpRoot = NULL, lpFolder = NULL;
    LPMESSAGE lpMsg = NULL;
    ULONG ulType;
    BOOL fUpdated = FALSE;
    SPropValue spv;

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
        hr = IMAPIFolder_CreateFolder(lpRoot, FOLDER_GENERIC, (LPTSTR) "Port RTF", NULL, NULL,
                                      OPEN_IF_EXISTS, &lpFolder);
    if (SUCCEEDED(hr))
        hr = IMAPIFolder_CreateMessage(lpFolder, NULL, 0, &lpMsg);
    if (SUCCEEDED(hr)) {
        spv.ulPropTag = PR_SUBJECT_A;
        spv.Value.lpszA = (LPSTR) "RTF body";
        hr = HrSetOneProp((LPMAPIPROP)lpMsg, &spv);
    }
    if (SUCCEEDED(hr))
        hr = WriteRTF(lpMsg);
    /* the plain text from the RTF, as the client that wrote the RTF must ask */
    if (SUCCEEDED(hr))
        hr = RTFSync(lpMsg, RTF_SYNC_RTF_CHANGED, &fUpdated);
    if (SUCCEEDED(hr))
        printf("RTFSync: S_OK, message updated: %s\n", fUpdated ? "yes" : "no");
    if (SUCCEEDED(hr))
        hr = IMessage_SaveChanges(lpMsg, KEEP_OPEN_READWRITE);
    if (SUCCEEDED(hr) && SUCCEEDED(HrGetOneProp((LPMAPIPROP)lpMsg, PR_BODY_A, &lpProp))) {
        char *szBody = lpProp->Value.lpszA;
        printf("PR_BODY has the text: %s\n",
               strstr(szBody, "Hello from the compressed RTF port.") &&
                       strstr(szBody, "Second line.")
                   ? "yes"
                   : "no");
        MAPIFreeBuffer(lpProp);
        lpProp = NULL;
    }
    if (SUCCEEDED(hr) && SUCCEEDED(HrGetOneProp((LPMAPIPROP)lpMsg, PR_RTF_IN_SYNC, &lpProp))) {
        printf("PR_RTF_IN_SYNC: %s\n", lpProp->Value.b ? "TRUE" : "FALSE");
        MAPIFreeBuffer(lpProp);
        lpProp = NULL;
    }
    if (SUCCEEDED(hr))
        hr = ReadRTF(lpMsg);
    if (FAILED(hr))
        printf("failed: 0x%08lx\n", (unsigned long)hr);

    if (lpMsg)
        IMessage_Release(lpMsg);
    if (lpFolder) {
        if (SUCCEEDED(HrGetOneProp((LPMAPIPROP)lpFolder, PR_ENTRYID, &lpFolderEID))) {
            IMAPIFolder_Release(lpFolder);
            IMAPIFolder_DeleteFolder(lpRoot, lpFolderEID->Value.bin.cb,
                                     (LPENTRYID)lpFolderEID->Value.bin.lpb, 0, NULL,
                                     DEL_MESSAGES | DEL_FOLDERS);
        } else {
            IMAPIFolder_Release(lpFolder);
        }
    }
    MAPIFreeBuffer(lpFolderEID);
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
