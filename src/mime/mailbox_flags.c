/*
 * mime/mailbox_flags.c - the marks mailboxes keep on messages (Maildir's
 * info letters, mbox's Status and X-Status fields) as MAPI properties and
 * back: read and draft in PR_MESSAGE_FLAGS, flagged in PR_FLAG_STATUS
 * ([MS-OXOFLAG] followupFlagged), answered and forwarded as Outlook marks
 * them (PR_LAST_VERB_EXECUTED with the reply or forward verb and the
 * matching PR_ICON_INDEX), deleted as the message status
 * MSGSTATUS_DELMARKED, which is how MAPI stores keep IMAP's \Deleted: the
 * message stays, marked, instead of coming back as live mail.
 */
#include "mime/mime.h"

#define FOLLOWUP_FLAGGED 2       /* PidTagFlagStatus */
#define VERB_REPLY_TO_SENDER 102 /* PidTagLastVerbExecuted (EXCHIVERB_*) */
#define VERB_REPLY_TO_ALL 103
#define VERB_FORWARD 104
#define ICON_REPLIED 0x105 /* PidTagIconIndex */
#define ICON_FORWARDED 0x106

HRESULT fmapi_mailbox_set_flags(LPMESSAGE lpMessage, ULONG ulFlags)
{
    fm_mime_clear_error();
    if (lpMessage == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "mailbox flags: NULL message");
    LPSPropValue f = NULL;
    HRESULT hr = HrGetOneProp((LPMAPIPROP)lpMessage, PR_MESSAGE_FLAGS, &f);
    LONG mf = hr == S_OK ? f->Value.l : 0;
    MAPIFreeBuffer(f);
    if (hr != S_OK && hr != MAPI_E_NOT_FOUND)
        return fm_mime_fail_mapi(hr, "reading the message flags");
    mf = (ulFlags & MSGFLAG_READ) ? (mf | MSGFLAG_READ) : (mf & ~MSGFLAG_READ);
    if (ulFlags & (FMAPI_MAILBOX_DRAFT | MSGFLAG_UNSENT))
        mf |= MSGFLAG_UNSENT;
    SPropValue v[4]; /* the flags, the follow-up flag, the verb and its icon */
    ULONG n = 0;
    v[n].ulPropTag = PR_MESSAGE_FLAGS, v[n++].Value.l = mf;
    if (ulFlags & FMAPI_MAILBOX_FLAGGED)
        v[n].ulPropTag = PR_FLAG_STATUS, v[n++].Value.l = FOLLOWUP_FLAGGED;
    if (ulFlags & (FMAPI_MAILBOX_ANSWERED | FMAPI_MAILBOX_PASSED)) {
        bool reply = (ulFlags & FMAPI_MAILBOX_ANSWERED) != 0;
        v[n].ulPropTag = PR_LAST_VERB_EXECUTED;
        v[n++].Value.l = reply ? VERB_REPLY_TO_SENDER : VERB_FORWARD;
        v[n].ulPropTag = PR_ICON_INDEX, v[n++].Value.l = reply ? ICON_REPLIED : ICON_FORWARDED;
    }
    LPSPropProblemArray problems = NULL;
    hr = IMessage_SetProps(lpMessage, n, v, &problems);
    MAPIFreeBuffer(problems);
    return hr == S_OK ? S_OK : fm_mime_fail_mapi(hr, "setting the mailbox marks");
}

HRESULT fmapi_mailbox_get_flags(LPMESSAGE lpMessage, ULONG *lpulFlags)
{
    fm_mime_clear_error();
    if (lpMessage == NULL || lpulFlags == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "mailbox flags: NULL argument");
    static const SizedSPropTagArray(4, tags) = {
        4, { PR_MESSAGE_FLAGS, PR_FLAG_STATUS, PR_LAST_VERB_EXECUTED, PR_MSG_STATUS }
    };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IMessage_GetProps(lpMessage, (LPSPropTagArray)&tags, 0, &n, &v);
    if (FAILED(hr))
        return fm_mime_fail_mapi(hr, "reading the mailbox marks");
    ULONG out = 0;
    if (PROP_TYPE(v[0].ulPropTag) == PT_LONG) {
        out |= (ULONG)v[0].Value.l & MSGFLAG_READ;
        if (v[0].Value.l & MSGFLAG_UNSENT)
            out |= FMAPI_MAILBOX_DRAFT;
    }
    if (PROP_TYPE(v[1].ulPropTag) == PT_LONG && v[1].Value.l == FOLLOWUP_FLAGGED)
        out |= FMAPI_MAILBOX_FLAGGED;
    if (PROP_TYPE(v[2].ulPropTag) == PT_LONG) {
        LONG verb = v[2].Value.l;
        if (verb == VERB_REPLY_TO_SENDER || verb == VERB_REPLY_TO_ALL)
            out |= FMAPI_MAILBOX_ANSWERED;
        else if (verb == VERB_FORWARD)
            out |= FMAPI_MAILBOX_PASSED;
    }
    if (PROP_TYPE(v[3].ulPropTag) == PT_LONG && (v[3].Value.l & (LONG)MSGSTATUS_DELMARKED))
        out |= FMAPI_MAILBOX_DELETED;
    MAPIFreeBuffer(v);
    *lpulFlags = out;
    return S_OK;
}

HRESULT fmapi_mailbox_mark_deleted(LPMAPIFOLDER lpFolder, LPMESSAGE lpMessage)
{
    fm_mime_clear_error();
    if (lpFolder == NULL || lpMessage == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "mailbox flags: NULL argument");
    LPSPropValue eid = NULL;
    HRESULT hr = HrGetOneProp((LPMAPIPROP)lpMessage, PR_ENTRYID, &eid);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "a message to mark deleted has no entry ID (not saved?)");
    ULONG old = 0;
    hr = IMAPIFolder_SetMessageStatus(lpFolder, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                      MSGSTATUS_DELMARKED, MSGSTATUS_DELMARKED, &old);
    MAPIFreeBuffer(eid);
    return hr == S_OK ? S_OK : fm_mime_fail_mapi(hr, "marking a message deleted");
}
