/* simple_mapi.c - Simple MAPI from C, as "send to mail recipient" programs
 * use it with nothing but mapi.h: MAPILogon to the default profile,
 * MAPIResolveName for a directory user (and an unknown name), MAPISendMail
 * without a dialog to the resolved recipient and an SMTP address, with a
 * file attached, the buffers freed with MAPIFreeBuffer, MAPILogoff. */
#include <windows.h>
#include <mapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *Code(ULONG ul)
{
    switch (ul) {
    case SUCCESS_SUCCESS:
        return "SUCCESS_SUCCESS";
    case MAPI_E_UNKNOWN_RECIPIENT:
        return "MAPI_E_UNKNOWN_RECIPIENT";
    case MAPI_E_AMBIGUOUS_RECIPIENT:
        return "MAPI_E_AMBIGUOUS_RECIPIENT";
    case MAPI_E_LOGON_FAILURE:
        return "MAPI_E_LOGON_FAILURE";
    case MAPI_E_ATTACHMENT_NOT_FOUND:
        return "MAPI_E_ATTACHMENT_NOT_FOUND";
    default:
        return "other";
    }
}

int main(void)
{
    LHANDLE lhSession = 0;
    lpMapiRecipDesc lpRecip = NULL, lpNobody = NULL;
    MapiRecipDesc rgRecips[2];
    MapiFileDesc file;
    MapiMessage msg;
    char szFile[1024];
    const char *szDir = getenv("FREEMAPI_PORTS_TMP");
    FILE *f;
    ULONG ulResult;

    snprintf(szFile, sizeof szFile, "%s/simple-mapi-report.txt", szDir ? szDir : ".");
    f = fopen(szFile, "w");
    if (f == NULL)
        return 1;
    fputs("quarterly figures\n", f);
    fclose(f);

    ulResult = MAPILogon(0, NULL, NULL, MAPI_LOGON_UI | MAPI_NEW_SESSION, 0, &lhSession);
    printf("MAPILogon: %s\n", Code(ulResult));
    if (ulResult != SUCCESS_SUCCESS)
        return 1;

    ulResult = MAPIResolveName(lhSession, 0, (LPSTR) "Port Peer", 0, 0, &lpRecip);
    printf("MAPIResolveName \"Port Peer\": %s\n", Code(ulResult));
    if (ulResult == SUCCESS_SUCCESS)
        printf("  name %s, class %s, entry ID given: %s\n", lpRecip->lpszName,
               lpRecip->ulRecipClass == MAPI_TO ? "MAPI_TO" : "other",
               lpRecip->ulEIDSize ? "yes" : "no");
    printf("MAPIResolveName of an unknown name: %s\n",
           Code(MAPIResolveName(lhSession, 0, (LPSTR) "Nobody Of That Name", 0, 0, &lpNobody)));

    if (ulResult == SUCCESS_SUCCESS) {
        ZeroMemory(rgRecips, sizeof rgRecips);
        rgRecips[0] = *lpRecip;
        rgRecips[0].ulRecipClass = MAPI_TO;
        rgRecips[1].ulRecipClass = MAPI_CC;
        rgRecips[1].lpszName = (LPSTR) "Outside Reader";
        rgRecips[1].lpszAddress = (LPSTR) "SMTP:reader@example.net";
        ZeroMemory(&file, sizeof file);
        file.nPosition = (ULONG)-1;
        file.lpszPathName = szFile;
        file.lpszFileName = (LPSTR) "report.txt";
        ZeroMemory(&msg, sizeof msg);
        msg.lpszSubject = (LPSTR) "Sent through Simple MAPI";
        msg.lpszNoteText = (LPSTR) "The report is attached.";
        msg.nRecipCount = 2;
        msg.lpRecips = rgRecips;
        msg.nFileCount = 1;
        msg.lpFiles = &file;
        ulResult = MAPISendMail(lhSession, 0, &msg, 0, 0);
        printf("MAPISendMail: %s\n", Code(ulResult));

        /* a file that is not there stops the send */
        file.lpszPathName = (LPSTR) "/nonexistent/file.txt";
        printf("MAPISendMail with a missing file: %s\n", Code(MAPISendMail(lhSession, 0, &msg, 0, 0)));
    }

    MAPIFreeBuffer(lpNobody);
    MAPIFreeBuffer(lpRecip);
    printf("MAPILogoff: %s\n", Code(MAPILogoff(lhSession, 0, 0, 0)));
    remove(szFile);
    return ulResult == SUCCESS_SUCCESS ? 0 : 1;
}
