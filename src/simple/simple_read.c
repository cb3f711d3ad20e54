/*
 * simple/simple_read.c - MAPIReadMail: a message of the default store as a
 * MapiMessage.
 *
 * Everything returned hangs off one MAPIAllocateBuffer block that the
 * caller frees with MAPIFreeBuffer. The originator is the represented
 * sender (PR_SENT_REPRESENTING_*, From:) or else the sender; addresses are
 * "type:address", a recipient's SMTP address preferred to its directory DN; lpszDateReceived is the delivery time in local time as
 * "YYYY/MM/DD HH:MM"; lpszConversationID is PR_CONVERSATION_INDEX in hex.
 * The flags do as documented: MAPI_ENVELOPE_ONLY reads no text and writes
 * no file, MAPI_SUPPRESS_ATTACH writes no file, MAPI_BODY_AS_FILE gives the
 * text as the first file (and lpszNoteText NULL), and without MAPI_PEEK
 * the message is marked read once everything else succeeded (which sends
 * a read receipt when one was asked for). Files are written by
 * simple_read_files.c.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "simple/simple.h"

enum {
    E_SUBJECT,
    E_CLASS,
    E_TIME,
    E_CONV,
    E_FLAGS,
    E_RECEIPT,
    E_REP_NAME,
    E_REP_TYPE,
    E_REP_ADDR,
    E_REP_EID,
    E_SND_NAME,
    E_SND_TYPE,
    E_SND_ADDR,
    E_SND_EID,
    E_COUNT
};

static const SizedSPropTagArray(E_COUNT, envelope_tags) = {
    E_COUNT,
    { PR_SUBJECT_A, PR_MESSAGE_CLASS_A, PR_MESSAGE_DELIVERY_TIME, PR_CONVERSATION_INDEX,
      PR_MESSAGE_FLAGS, PR_READ_RECEIPT_REQUESTED, PR_SENT_REPRESENTING_NAME_A,
      PR_SENT_REPRESENTING_ADDRTYPE_A, PR_SENT_REPRESENTING_EMAIL_ADDRESS_A,
      PR_SENT_REPRESENTING_ENTRYID, PR_SENDER_NAME_A, PR_SENDER_ADDRTYPE_A,
      PR_SENDER_EMAIL_ADDRESS_A, PR_SENDER_ENTRYID }
};

HRESULT fm_simple_strdup(const char *s, void *root, LPSTR *out)
{
    *out = NULL;
    if (s == NULL)
        return S_OK;
    size_t n = strlen(s) + 1;
    HRESULT hr = MAPIAllocateMore((ULONG)n, root, (void **)out);
    if (hr == S_OK)
        memcpy(*out, s, n);
    return hr;
}

static const char *str_of(const SPropValue *v, ULONG tag)
{
    return v->ulPropTag == tag ? v->Value.lpszA : NULL;
}

/* "type:address" (or the address alone when it has no type). */
HRESULT fm_simple_address(const char *type, const char *addr, void *root, LPSTR *out)
{
    *out = NULL;
    if (addr == NULL || addr[0] == '\0')
        return S_OK;
    if (type == NULL || type[0] == '\0')
        return fm_simple_strdup(addr, root, out);
    size_t n = strlen(type) + 1 + strlen(addr) + 1;
    HRESULT hr = MAPIAllocateMore((ULONG)n, root, (void **)out);
    if (hr == S_OK)
        snprintf(*out, n, "%s:%s", type, addr);
    return hr;
}

static HRESULT set_recip(MapiRecipDesc *r, ULONG cls, const char *name, const char *type,
                         const char *addr, const SPropValue *eid, void *root)
{
    memset(r, 0, sizeof *r);
    r->ulRecipClass = cls;
    HRESULT hr = fm_simple_strdup(name ? name : (addr ? addr : ""), root, &r->lpszName);
    if (hr == S_OK)
        hr = fm_simple_address(type, addr, root, &r->lpszAddress);
    if (hr == S_OK && eid != NULL && PROP_TYPE(eid->ulPropTag) == PT_BINARY &&
        eid->Value.bin.cb > 0) {
        hr = MAPIAllocateMore(eid->Value.bin.cb, root, &r->lpEntryID);
        if (hr == S_OK) {
            memcpy(r->lpEntryID, eid->Value.bin.lpb, eid->Value.bin.cb);
            r->ulEIDSize = eid->Value.bin.cb;
        }
    }
    return hr;
}

static HRESULT set_date(MapiMessage *m, const SPropValue *t, void *root)
{
    if (PROP_TYPE(t->ulPropTag) != PT_SYSTIME)
        return S_OK;
    uint64_t ft = (uint64_t)t->Value.ft.dwHighDateTime << 32 | t->Value.ft.dwLowDateTime;
    time_t secs = (time_t)(ft / 10000000ULL - 11644473600ULL);
    struct tm tm;
    char buf[32];
    if (ft < 116444736000000000ULL || localtime_r(&secs, &tm) == NULL ||
        strftime(buf, sizeof buf, "%Y/%m/%d %H:%M", &tm) == 0)
        return S_OK; /* before 1970 or unrepresentable: no date */
    return fm_simple_strdup(buf, root, &m->lpszDateReceived);
}

static HRESULT set_conversation(MapiMessage *m, const SPropValue *v, void *root)
{
    if (v->ulPropTag != PR_CONVERSATION_INDEX || v->Value.bin.cb == 0)
        return S_OK;
    HRESULT hr = MAPIAllocateMore(v->Value.bin.cb * 2 + 1, root, (void **)&m->lpszConversationID);
    for (ULONG i = 0; hr == S_OK && i < v->Value.bin.cb; i++)
        snprintf(m->lpszConversationID + 2 * i, 3, "%02X", v->Value.bin.lpb[i]);
    return hr;
}

static HRESULT set_originator(MapiMessage *m, const SPropValue *v, void *root)
{
    bool rep = str_of(&v[E_REP_ADDR], PR_SENT_REPRESENTING_EMAIL_ADDRESS_A) != NULL ||
               str_of(&v[E_REP_NAME], PR_SENT_REPRESENTING_NAME_A) != NULL;
    const SPropValue *o = rep ? &v[E_REP_NAME] : &v[E_SND_NAME];
    const char *name = PROP_TYPE(o[0].ulPropTag) == PT_STRING8 ? o[0].Value.lpszA : NULL;
    const char *type = PROP_TYPE(o[1].ulPropTag) == PT_STRING8 ? o[1].Value.lpszA : NULL;
    const char *addr = PROP_TYPE(o[2].ulPropTag) == PT_STRING8 ? o[2].Value.lpszA : NULL;
    if (name == NULL && addr == NULL)
        return S_OK; /* a draft: nobody sent it */
    HRESULT hr = MAPIAllocateMore(sizeof *m->lpOriginator, root, (void **)&m->lpOriginator);
    if (hr == S_OK)
        hr = set_recip(m->lpOriginator, MAPI_ORIG, name, type, addr, &o[3], root);
    return hr;
}

static HRESULT read_envelope(LPMESSAGE msg, MapiMessage *m)
{
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IMessage_GetProps(msg, (LPSPropTagArray)&envelope_tags, 0, &n, &v);
    if (FAILED(hr))
        return hr;
    hr = fm_simple_strdup(str_of(&v[E_SUBJECT], PR_SUBJECT_A), m, &m->lpszSubject);
    const char *cls = str_of(&v[E_CLASS], PR_MESSAGE_CLASS_A);
    if (hr == S_OK)
        hr = fm_simple_strdup(cls ? cls : "IPM.Note", m, &m->lpszMessageType);
    if (hr == S_OK)
        hr = set_date(m, &v[E_TIME], m);
    if (hr == S_OK)
        hr = set_conversation(m, &v[E_CONV], m);
    if (hr == S_OK)
        hr = set_originator(m, v, m);
    LONG flags = v[E_FLAGS].ulPropTag == PR_MESSAGE_FLAGS ? v[E_FLAGS].Value.l : 0;
    m->flFlags = (flags & MSGFLAG_READ ? 0 : MAPI_UNREAD) |
                 (flags & MSGFLAG_UNSENT ? 0 : MAPI_SENT) |
                 (v[E_RECEIPT].ulPropTag == PR_READ_RECEIPT_REQUESTED && v[E_RECEIPT].Value.b
                      ? MAPI_RECEIPT_REQUESTED
                      : 0);
    MAPIFreeBuffer(v);
    return hr;
}

static HRESULT read_recipients(LPMESSAGE msg, MapiMessage *m)
{
    SizedSPropTagArray(6, cols) = { 6, { PR_RECIPIENT_TYPE, PR_DISPLAY_NAME_A, PR_ADDRTYPE_A,
                                         PR_EMAIL_ADDRESS_A, PR_ENTRYID, PR_SMTP_ADDRESS_A } };
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    HRESULT hr = IMessage_GetRecipientTable(msg, 0, &t);
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    if (hr == S_OK && rows->cRows > 0)
        hr = MAPIAllocateMore(rows->cRows * sizeof *m->lpRecips, m, (void **)&m->lpRecips);
    for (ULONG i = 0; hr == S_OK && i < rows->cRows; i++) {
        const SPropValue *p = rows->aRow[i].lpProps;
        ULONG cls = p[0].ulPropTag == PR_RECIPIENT_TYPE ? (ULONG)p[0].Value.l & 0xF : MAPI_TO;
        /* An Internet address where there is one: "SMTP:..." is what Simple
         * MAPI programs look for, rather than a directory's DN. */
        const char *smtp = str_of(&p[5], PR_SMTP_ADDRESS_A);
        const char *type = smtp ? "SMTP" : str_of(&p[2], PR_ADDRTYPE_A);
        const char *addr = smtp ? smtp : str_of(&p[3], PR_EMAIL_ADDRESS_A);
        hr = set_recip(&m->lpRecips[i], cls, str_of(&p[1], PR_DISPLAY_NAME_A), type, addr,
                       &p[4], m);
        if (hr == S_OK)
            m->nRecipCount++;
    }
    FreeProws(rows);
    if (t != NULL)
        IMAPITable_Release(t);
    return hr;
}

static ULONG read_message(fm_simple *s, const char *id, FLAGS flags, MapiMessage **out)
{
    LPMESSAGE msg = NULL;
    ULONG code = fm_simple_open_message(s, id, MAPI_BEST_ACCESS, &msg);
    if (code != SUCCESS_SUCCESS)
        return code;
    MapiMessage *m = NULL;
    HRESULT hr = MAPIAllocateBuffer(sizeof *m, (void **)&m);
    if (hr == S_OK) {
        memset(m, 0, sizeof *m);
        hr = read_envelope(msg, m);
    }
    if (hr == S_OK)
        hr = read_recipients(msg, m);
    code = fm_simple_code(hr);
    char dir[PATH_MAX] = "";
    if (code == SUCCESS_SUCCESS && !(flags & MAPI_ENVELOPE_ONLY))
        code = fm_simple_read_content(msg, flags, m, dir, sizeof dir);
    if (code == SUCCESS_SUCCESS && !(flags & MAPI_PEEK))
        code = fm_simple_code(IMessage_SetReadFlag(msg, 0));
    if (code != SUCCESS_SUCCESS) {
        if (m != NULL)
            fm_simple_remove_files(m, dir);
        MAPIFreeBuffer(m);
        m = NULL;
    }
    IMessage_Release(msg);
    *out = m;
    return code;
}

FREEMAPI_PUBLIC ULONG MAPIReadMail(LHANDLE lhSession, ULONG_PTR ulUIParam, LPSTR lpszMessageID,
                                   FLAGS flFlags, ULONG ulReserved, lpMapiMessage *lppMessage)
{
    (void)ulUIParam;
    (void)ulReserved;
    if (lppMessage == NULL) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIReadMail: lppMessage is NULL");
        return MAPI_E_FAILURE;
    }
    *lppMessage = NULL;
    if (lhSession == 0) { /* documented: it cannot be zero */
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIReadMail: no session");
        return MAPI_E_INVALID_SESSION;
    }
    fm_simple *s = NULL;
    bool temp = false;
    ULONG code = fm_simple_get(lhSession, &s, &temp);
    if (code == SUCCESS_SUCCESS)
        code = read_message(s, lpszMessageID, flFlags, lppMessage);
    fm_simple_put(s, temp);
    return code;
}
