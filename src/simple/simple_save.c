/*
 * simple/simple_save.c - MAPISaveMail: a MapiMessage saved into the
 * default store, as a new message or over the one lpszMessageID names.
 *
 * A new message is created in the receive folder of its class (the Inbox
 * for IPM), where MAPIFindNext finds it; for one that replaces another,
 * its recipients and attachments are replaced by the MapiMessage's. Either
 * way nothing changes unless everything succeeded: the message is built
 * and saved in one SaveChanges. lpOriginator is ignored, as documented;
 * the flags MAPI_UNREAD and MAPI_SENT are taken for a message never saved
 * before (a new one is unsent and read unless they say otherwise), and
 * MAPI_RECEIPT_REQUESTED always. lpszDateReceived ("YYYY/MM/DD HH:MM",
 * local time) sets the delivery time; a new message without one is
 * stamped now. The new identifier is written into lpszMessageID.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "simple/simple.h"

static bool parse_date(const char *s, FILETIME *ft)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int y, mo, d, h, mi;
    char end;
    if (sscanf(s, "%d/%d/%d %d:%d%c", &y, &mo, &d, &h, &mi, &end) != 5 || y < 1970 ||
        mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59)
        return false;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    if (t == (time_t)-1)
        return false;
    uint64_t v = ((uint64_t)t + 11644473600ULL) * 10000000ULL;
    ft->dwLowDateTime = (ULONG)(v & 0xFFFFFFFFu);
    ft->dwHighDateTime = (ULONG)(v >> 32);
    return true;
}

static void now_filetime(FILETIME *ft)
{
    uint64_t v = ((uint64_t)time(NULL) + 11644473600ULL) * 10000000ULL;
    ft->dwLowDateTime = (ULONG)(v & 0xFFFFFFFFu);
    ft->dwHighDateTime = (ULONG)(v >> 32);
}

static ULONG set_content(IMessage *msg, const MapiMessage *m, bool fresh)
{
    SPropValue v[6];
    ULONG n = 0;
    v[n].ulPropTag = PR_SUBJECT_A;
    v[n++].Value.lpszA = m->lpszSubject ? m->lpszSubject : "";
    v[n].ulPropTag = PR_BODY_A;
    v[n++].Value.lpszA = m->lpszNoteText ? m->lpszNoteText : "";
    v[n].ulPropTag = PR_MESSAGE_CLASS_A;
    v[n++].Value.lpszA = m->lpszMessageType && m->lpszMessageType[0] ? m->lpszMessageType
                                                                      : "IPM.Note";
    v[n].ulPropTag = PR_READ_RECEIPT_REQUESTED;
    v[n++].Value.b = (m->flFlags & MAPI_RECEIPT_REQUESTED) != 0;
    v[n].ulPropTag = PR_MESSAGE_DELIVERY_TIME;
    if (m->lpszDateReceived != NULL && m->lpszDateReceived[0] != '\0') {
        if (!parse_date(m->lpszDateReceived, &v[n].Value.ft)) {
            fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPISaveMail: lpszDateReceived \"%s\" is "
                         "not YYYY/MM/DD HH:MM", m->lpszDateReceived);
            return MAPI_E_INVALID_MESSAGE;
        }
        n++;
    } else if (fresh) {
        now_filetime(&v[n++].Value.ft);
    }
    if (fresh) {
        v[n].ulPropTag = PR_MESSAGE_FLAGS;
        v[n++].Value.l = (m->flFlags & MAPI_UNREAD ? 0 : MSGFLAG_READ) |
                         (m->flFlags & MAPI_SENT ? 0 : MSGFLAG_UNSENT);
    }
    LPSPropProblemArray problems = NULL;
    HRESULT hr = IMessage_SetProps(msg, n, v, &problems);
    if (hr == S_OK && problems != NULL)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPISaveMail: property 0x%08lX refused",
                          (unsigned long)problems->aProblem[0].ulPropTag);
    MAPIFreeBuffer(problems);
    return fm_simple_code(hr);
}

/* Empties msg of its recipients and attachments (it is being replaced). */
static HRESULT clear_message(IMessage *msg)
{
    ADRLIST none = { 0 };
    HRESULT hr = IMessage_ModifyRecipients(msg, 0, &none);
    SizedSPropTagArray(1, cols) = { 1, { PR_ATTACH_NUM } };
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = IMessage_GetAttachmentTable(msg, 0, &t);
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    for (ULONG i = 0; hr == S_OK && i < rows->cRows; i++)
        hr = IMessage_DeleteAttach(msg, (ULONG)rows->aRow[i].lpProps[0].Value.l, 0, NULL, 0);
    FreeProws(rows);
    if (t != NULL)
        IMAPITable_Release(t);
    return hr;
}

static ULONG new_message(fm_simple *s, const MapiMessage *m, IMessage **out)
{
    ULONG cb = 0, type = 0;
    LPENTRYID eid = NULL;
    LPMAPIFOLDER f = NULL;
    const char *cls = m->lpszMessageType && m->lpszMessageType[0] ? m->lpszMessageType : "IPM";
    HRESULT hr = IMsgStore_GetReceiveFolder(s->store, (LPTSTR)cls, 0, &cb, &eid, NULL);
    if (hr == S_OK)
        hr = IMsgStore_OpenEntry(s->store, cb, eid, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&f);
    if (hr == S_OK)
        hr = IMAPIFolder_CreateMessage(f, NULL, 0, out);
    if (f != NULL)
        IMAPIFolder_Release(f);
    MAPIFreeBuffer(eid);
    return fm_simple_code(hr);
}

static ULONG identify(IMessage *msg, char *out)
{
    SizedSPropTagArray(2, tags) = { 2, { PR_ENTRYID, PR_MESSAGE_DELIVERY_TIME } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IMessage_GetProps(msg, (LPSPropTagArray)&tags, 0, &n, &v);
    fm_simple_msgid id;
    if (SUCCEEDED(hr) && fm_simple_msgid_of(&v[0], &v[1], &id))
        fm_simple_msgid_format(&id, out);
    else if (SUCCEEDED(hr))
        hr = fm_error_set(MAPI_E_CALL_FAILED, "MAPISaveMail: the saved message has no entry ID");
    MAPIFreeBuffer(v);
    return fm_simple_code(FAILED(hr) ? hr : S_OK);
}

static ULONG save_mail(fm_simple *s, const MapiMessage *m, char *id)
{
    bool fresh = id[0] == '\0';
    IMessage *msg = NULL;
    ULONG code = fresh ? new_message(s, m, &msg) : fm_simple_open_message(s, id, MAPI_MODIFY, &msg);
    if (code == SUCCESS_SUCCESS && !fresh)
        code = fm_simple_code(clear_message(msg));
    if (code == SUCCESS_SUCCESS)
        code = set_content(msg, m, fresh);
    if (code == SUCCESS_SUCCESS && m->nRecipCount > 0)
        code = fm_simple_add_recipients(s, msg, m);
    for (ULONG i = 0; code == SUCCESS_SUCCESS && i < m->nFileCount; i++)
        code = fm_simple_attach_file(msg, &m->lpFiles[i]);
    if (code == SUCCESS_SUCCESS)
        code = fm_simple_code(IMessage_SaveChanges(msg, KEEP_OPEN_READONLY));
    if (code == SUCCESS_SUCCESS)
        code = identify(msg, id);
    if (msg != NULL)
        IMessage_Release(msg); /* unsaved on failure: the store is unchanged */
    return code;
}

static ULONG check(const MapiMessage *m)
{
    if (m->nRecipCount > 0 && m->lpRecips == NULL) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPISaveMail: nRecipCount without lpRecips");
        return MAPI_E_INVALID_RECIPS;
    }
    if (m->nFileCount > 0 && m->lpFiles == NULL) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPISaveMail: nFileCount without lpFiles");
        return MAPI_E_FAILURE;
    }
    for (ULONG i = 0; i < m->nRecipCount; i++)
        if (m->lpRecips[i].ulRecipClass > MAPI_BCC) {
            fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPISaveMail: recipient %lu has class %lu",
                         (unsigned long)i, (unsigned long)m->lpRecips[i].ulRecipClass);
            return MAPI_E_BAD_RECIPTYPE;
        }
    for (ULONG i = 0; i < m->nFileCount; i++)
        if (m->lpFiles[i].lpszPathName == NULL) {
            fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPISaveMail: file %lu has no path",
                         (unsigned long)i);
            return MAPI_E_ATTACHMENT_NOT_FOUND;
        }
    return SUCCESS_SUCCESS;
}

FREEMAPI_PUBLIC ULONG MAPISaveMail(LHANDLE lhSession, ULONG_PTR ulUIParam, lpMapiMessage lpMessage,
                                   FLAGS flFlags, ULONG ulReserved, LPSTR lpszMessageID)
{
    (void)ulUIParam;
    (void)flFlags; /* MAPI_LOGON_UI, MAPI_NEW_SESSION, MAPI_LONG_MSGID: nothing to do */
    (void)ulReserved;
    if (lpMessage == NULL || lpszMessageID == NULL) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPISaveMail: lpMessage or lpszMessageID NULL");
        return MAPI_E_FAILURE;
    }
    if (lhSession == 0 && lpszMessageID[0] != '\0') { /* documented */
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPISaveMail: replacing a message needs a "
                                               "session");
        return MAPI_E_INVALID_SESSION;
    }
    ULONG code = check(lpMessage);
    if (code != SUCCESS_SUCCESS)
        return code;
    fm_simple *s = NULL;
    bool temp = false;
    code = fm_simple_get(lhSession, &s, &temp);
    if (code == SUCCESS_SUCCESS)
        code = save_mail(s, lpMessage, lpszMessageID);
    fm_simple_put(s, temp);
    return code;
}
