/*
 * simple/simple_delete.c - MAPIDeleteMail: the message an identifier
 * names is deleted from its folder with IMAPIFolder::DeleteMessages, as any
 * client's deletion is (the store keeps it recoverable until it is
 * purged). Its identifier is invalid afterwards, as documented.
 */
#include "core/error.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "simple/simple.h"

static ULONG delete_mail(fm_simple *s, const char *id)
{
    LPMESSAGE msg = NULL;
    ULONG code = fm_simple_open_message(s, id, 0, &msg);
    if (code != SUCCESS_SUCCESS)
        return code;
    SizedSPropTagArray(2, tags) = { 2, { PR_ENTRYID, PR_PARENT_ENTRYID } };
    ULONG n = 0, type = 0;
    LPSPropValue v = NULL;
    LPMAPIFOLDER f = NULL;
    HRESULT hr = IMessage_GetProps(msg, (LPSPropTagArray)&tags, 0, &n, &v);
    IMessage_Release(msg);
    if (hr == S_OK)
        hr = IMsgStore_OpenEntry(s->store, v[1].Value.bin.cb, (LPENTRYID)v[1].Value.bin.lpb, NULL,
                                 MAPI_MODIFY, &type, (LPUNKNOWN *)&f);
    else if (SUCCEEDED(hr))
        hr = fm_error_set(MAPI_E_CALL_FAILED, "MAPIDeleteMail: the message has no folder");
    if (hr == S_OK) {
        SBinary eid = v[0].Value.bin;
        ENTRYLIST list = { 1, &eid };
        hr = IMAPIFolder_DeleteMessages(f, &list, 0, NULL, 0);
        if (hr == MAPI_W_PARTIAL_COMPLETION) /* it went meanwhile */
            hr = fm_error_set(MAPI_E_NOT_FOUND, "MAPIDeleteMail: no message %s", id);
    }
    if (f != NULL)
        IMAPIFolder_Release(f);
    MAPIFreeBuffer(v);
    return hr == MAPI_E_NOT_FOUND ? MAPI_E_INVALID_MESSAGE : fm_simple_code(hr);
}

FREEMAPI_PUBLIC ULONG MAPIDeleteMail(LHANDLE lhSession, ULONG_PTR ulUIParam, LPSTR lpszMessageID,
                                     FLAGS flFlags, ULONG ulReserved)
{
    (void)ulUIParam;
    (void)flFlags;
    (void)ulReserved;
    if (lhSession == 0) { /* documented: it cannot be zero */
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIDeleteMail: no session");
        return MAPI_E_INVALID_SESSION;
    }
    fm_simple *s = NULL;
    bool temp = false;
    ULONG code = fm_simple_get(lhSession, &s, &temp);
    if (code == SUCCESS_SUCCESS)
        code = delete_mail(s, lpszMessageID);
    fm_simple_put(s, temp);
    return code;
}
