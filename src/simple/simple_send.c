/*
 * simple/simple_send.c - MAPISendMail and MAPISendMailW.
 *
 * Without MAPI_DIALOG the message is composed in the default store's
 * Outbox and submitted (IMessage::SubmitMessage), to be moved to Sent Items
 * once sent. Recipients are resolved through the session's address book:
 * an entry ID is taken as it is, an "SMTP:..." address (or any
 * "type:address") by its address, anything else by its name;
 * MAPI_E_UNKNOWN_RECIPIENT and MAPI_E_AMBIGUOUS_RECIPIENT name what could
 * not be resolved. Files are attached by value; one that cannot be read is
 * MAPI_E_ATTACHMENT_NOT_FOUND (missing) or MAPI_E_ATTACHMENT_OPEN_FAILURE.
 * Nothing is submitted unless everything succeeded. With MAPI_DIALOG the
 * message goes to the desktop's mail composer instead (simple_composer.c),
 * recipients or not, and the user sends it from there. MAPISendMailW converts the
 * UTF-16 message to UTF-8 and does the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "simple/simple.h"

static ULONG check_message(const MapiMessage *m, FLAGS flFlags)
{
    const FLAGS known = MAPI_LOGON_UI | MAPI_NEW_SESSION | MAPI_DIALOG | MAPI_DIALOG_MODELESS |
                        MAPI_FORCE_UNICODE;
    if (m == NULL || (flFlags & ~known)) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPISendMail: no message, or unknown flags");
        return MAPI_E_FAILURE;
    }
    if (m->nRecipCount > 0 && m->lpRecips == NULL) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPISendMail: nRecipCount without lpRecips");
        return MAPI_E_INVALID_RECIPS;
    }
    if (m->nFileCount > 0 && m->lpFiles == NULL) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPISendMail: nFileCount without lpFiles");
        return MAPI_E_FAILURE;
    }
    ULONG to = 0;
    for (ULONG i = 0; i < m->nRecipCount; i++) {
        ULONG c = m->lpRecips[i].ulRecipClass;
        if (c > MAPI_BCC) {
            fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPISendMail: recipient %lu has class %lu",
                         (unsigned long)i, (unsigned long)c);
            return MAPI_E_BAD_RECIPTYPE;
        }
        to += c != MAPI_ORIG;
    }
    if (to == 0 && !(flFlags & MAPI_DIALOG)) { /* the dialog asks the user for them */
        fm_error_set(MAPI_E_NO_RECIPIENTS, "MAPISendMail: no recipient, and no dialog to ask "
                                           "for one");
        return MAPI_E_UNKNOWN_RECIPIENT;
    }
    for (ULONG i = 0; i < m->nFileCount; i++) {
        const char *p = m->lpFiles[i].lpszPathName;
        if (p == NULL || access(p, F_OK) != 0) {
            fm_error_set(MAPI_E_NOT_FOUND, "MAPISendMail: attachment %s not found",
                         p ? p : "(NULL)");
            return MAPI_E_ATTACHMENT_NOT_FOUND;
        }
    }
    return SUCCESS_SUCCESS;
}

static ULONG set_envelope(fm_simple *s, IMessage *msg, const MapiMessage *m)
{
    LPSPropValue sent = NULL;
    HRESULT hr = HrGetOneProp((LPMAPIPROP)s->store, PR_IPM_SENTMAIL_ENTRYID, &sent);
    if (hr != S_OK)
        return fm_simple_code(hr);
    const char *cls = m->lpszMessageType && m->lpszMessageType[0] ? m->lpszMessageType
                                                                   : "IPM.Note";
    SPropValue v[6] = {
        { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = m->lpszSubject ? m->lpszSubject : "" },
        { .ulPropTag = PR_BODY_A, .Value.lpszA = m->lpszNoteText ? m->lpszNoteText : "" },
        { .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = (LPSTR)cls },
        { .ulPropTag = PR_SENTMAIL_ENTRYID, .Value.bin = sent->Value.bin },
        { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = MSGFLAG_UNSENT | MSGFLAG_FROMME },
        { .ulPropTag = PR_READ_RECEIPT_REQUESTED,
          .Value.b = (m->flFlags & MAPI_RECEIPT_REQUESTED) != 0 },
    };
    LPSPropProblemArray problems = NULL;
    hr = IMessage_SetProps(msg, 6, v, &problems);
    if (hr == S_OK && problems != NULL)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPISendMail: property 0x%08lX refused",
                          (unsigned long)problems->aProblem[0].ulPropTag);
    MAPIFreeBuffer(problems);
    MAPIFreeBuffer(sent);
    return fm_simple_code(hr);
}

static ULONG compose_and_submit(fm_simple *s, const MapiMessage *m)
{
    LPMAPIFOLDER outbox = NULL;
    IMessage *msg = NULL;
    HRESULT hr = fm_simple_open_folder(s, PR_IPM_OUTBOX_ENTRYID, &outbox);
    if (hr == S_OK)
        hr = IMAPIFolder_CreateMessage(outbox, NULL, 0, &msg);
    ULONG code = fm_simple_code(hr);
    if (code == SUCCESS_SUCCESS)
        code = set_envelope(s, msg, m);
    if (code == SUCCESS_SUCCESS)
        code = fm_simple_add_recipients(s, msg, m);
    for (ULONG i = 0; code == SUCCESS_SUCCESS && i < m->nFileCount; i++)
        code = fm_simple_attach_file(msg, &m->lpFiles[i]);
    if (code == SUCCESS_SUCCESS)
        code = fm_simple_code(IMessage_SubmitMessage(msg, 0));
    if (msg != NULL)
        IMessage_Release(msg); /* not submitted: nothing was saved */
    if (outbox != NULL)
        IMAPIFolder_Release(outbox);
    return code;
}

FREEMAPI_PUBLIC ULONG MAPISendMail(LHANDLE lhSession, ULONG_PTR ulUIParam,
                                   lpMapiMessage lpMessage, FLAGS flFlags, ULONG ulReserved)
{
    (void)ulUIParam;
    (void)ulReserved;
    ULONG code = check_message(lpMessage, flFlags);
    if (code != SUCCESS_SUCCESS)
        return code;
    if (flFlags & MAPI_DIALOG) {
        /* The user's mail program sends it: a session is only checked. */
        if (lhSession != 0) {
            fm_simple *s = NULL;
            bool temp = false;
            code = fm_simple_get(lhSession, &s, &temp);
            fm_simple_put(s, temp);
        }
        return code == SUCCESS_SUCCESS ? fm_simple_composer(lpMessage, "MAPISendMail") : code;
    }
    fm_simple *s = NULL;
    bool temp = false;
    code = fm_simple_get(lhSession, &s, &temp);
    if (code == SUCCESS_SUCCESS)
        code = compose_and_submit(s, lpMessage);
    fm_simple_put(s, temp);
    return code;
}

/* ---- MAPISendMailW: the same message in UTF-8 ------------------------------- */

static HRESULT narrow(const WCHAR *w, void *root, LPSTR *out)
{
    *out = NULL;
    return w == NULL ? S_OK : fm_utf16_to_utf8_mapi(w, root, out);
}

static HRESULT narrow_recip(const MapiRecipDescW *w, void *root, MapiRecipDesc *r)
{
    memset(r, 0, sizeof *r);
    r->ulRecipClass = w->ulRecipClass;
    r->ulEIDSize = w->ulEIDSize;
    r->lpEntryID = w->lpEntryID;
    HRESULT hr = narrow(w->lpszName, root, &r->lpszName);
    if (hr == S_OK)
        hr = narrow(w->lpszAddress, root, &r->lpszAddress);
    return hr;
}

static HRESULT narrow_message(const MapiMessageW *w, MapiMessage **out)
{
    MapiMessage *m = NULL;
    HRESULT hr = MAPIAllocateBuffer(sizeof *m, (void **)&m);
    if (hr != S_OK)
        return hr;
    memset(m, 0, sizeof *m);
    m->flFlags = w->flFlags;
    m->nRecipCount = w->nRecipCount;
    m->nFileCount = w->nFileCount;
    hr = narrow(w->lpszSubject, m, &m->lpszSubject);
    if (hr == S_OK)
        hr = narrow(w->lpszNoteText, m, &m->lpszNoteText);
    if (hr == S_OK)
        hr = narrow(w->lpszMessageType, m, &m->lpszMessageType);
    if (hr == S_OK && w->nRecipCount > 0 && w->lpRecips != NULL)
        hr = MAPIAllocateMore(w->nRecipCount * sizeof *m->lpRecips, m, (void **)&m->lpRecips);
    for (ULONG i = 0; hr == S_OK && m->lpRecips != NULL && i < w->nRecipCount; i++)
        hr = narrow_recip(&w->lpRecips[i], m, &m->lpRecips[i]);
    if (hr == S_OK && w->nFileCount > 0 && w->lpFiles != NULL)
        hr = MAPIAllocateMore(w->nFileCount * sizeof *m->lpFiles, m, (void **)&m->lpFiles);
    for (ULONG i = 0; hr == S_OK && m->lpFiles != NULL && i < w->nFileCount; i++) {
        MapiFileDesc *f = &m->lpFiles[i];
        memset(f, 0, sizeof *f);
        f->flFlags = w->lpFiles[i].flFlags;
        f->nPosition = w->lpFiles[i].nPosition;
        hr = narrow(w->lpFiles[i].lpszPathName, m, &f->lpszPathName);
        if (hr == S_OK)
            hr = narrow(w->lpFiles[i].lpszFileName, m, &f->lpszFileName);
    }
    if (hr != S_OK) {
        MAPIFreeBuffer(m);
        return hr;
    }
    *out = m;
    return S_OK;
}

FREEMAPI_PUBLIC ULONG MAPISendMailW(LHANDLE lhSession, ULONG_PTR ulUIParam,
                                    lpMapiMessageW lpMessage, FLAGS flFlags, ULONG ulReserved)
{
    if (lpMessage == NULL) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPISendMailW: lpMessage is NULL");
        return MAPI_E_FAILURE;
    }
    MapiMessage *m = NULL;
    HRESULT hr = narrow_message(lpMessage, &m);
    if (hr != S_OK)
        return hr == MAPI_E_NOT_ENOUGH_MEMORY ? MAPI_E_INSUFFICIENT_MEMORY : MAPI_E_FAILURE;
    ULONG code = MAPISendMail(lhSession, ulUIParam, m, flFlags & ~(FLAGS)MAPI_FORCE_UNICODE,
                              ulReserved);
    MAPIFreeBuffer(m);
    return code;
}
