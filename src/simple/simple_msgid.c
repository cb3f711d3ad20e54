/*
 * simple/simple_msgid.c - Simple MAPI message identifiers: the strings
 * MAPIFindNext hands out and MAPIReadMail, MAPISaveMail and MAPIDeleteMail
 * take.
 *
 * An identifier is 32 hexadecimal digits: the message's delivery time
 * (PR_MESSAGE_DELIVERY_TIME as a FILETIME, 0 when it has none) and its id
 * in the session's default store. It fits the 64 bytes that callers which
 * do not pass MAPI_LONG_MSGID provide, and it carries the message's place
 * in MAPIFindNext's order, so that enumeration goes on from a message that
 * was deleted meanwhile (the usual find, read, delete loop). The store part
 * of the entry ID is the default store's, which is the only store Simple
 * MAPI reaches.
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "simple/simple.h"
#include "store/entryid.h"

void fm_simple_msgid_format(const fm_simple_msgid *id, char out[FM_SIMPLE_MSGID_LEN + 1])
{
    snprintf(out, FM_SIMPLE_MSGID_LEN + 1, "%016llX%016llX", (unsigned long long)id->time,
             (unsigned long long)id->mid);
}

static bool parse_hex64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    for (int i = 0; i < 16; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else
            return false;
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

bool fm_simple_msgid_parse(const char *s, fm_simple_msgid *id)
{
    return s != NULL && strlen(s) == FM_SIMPLE_MSGID_LEN && parse_hex64(s, &id->time) &&
           parse_hex64(s + 16, &id->mid) && id->mid != 0;
}

bool fm_simple_msgid_of(const SPropValue *eid, const SPropValue *time, fm_simple_msgid *id)
{
    MAPIUID uid;
    int kind = 0;
    uint64_t mid = 0;
    if (PROP_TYPE(eid->ulPropTag) != PT_BINARY ||
        fm_entryid_parse(eid->Value.bin.cb, (const ENTRYID *)eid->Value.bin.lpb, &uid, &kind,
                         &mid) != S_OK ||
        kind != FM_EID_MESSAGE)
        return false;
    id->mid = mid;
    id->time = 0;
    if (time != NULL && PROP_TYPE(time->ulPropTag) == PT_SYSTIME)
        id->time = (uint64_t)time->Value.ft.dwHighDateTime << 32 | time->Value.ft.dwLowDateTime;
    return true;
}

static HRESULT store_uid(fm_simple *s, MAPIUID *uid)
{
    LPSPropValue eid = NULL;
    int kind = 0;
    uint64_t id = 0;
    HRESULT hr = HrGetOneProp((LPMAPIPROP)s->store, PR_ENTRYID, &eid);
    if (hr == S_OK)
        hr = fm_entryid_parse(eid->Value.bin.cb, (const ENTRYID *)eid->Value.bin.lpb, uid, &kind,
                              &id);
    MAPIFreeBuffer(eid);
    return hr;
}

ULONG fm_simple_open_message(fm_simple *s, const char *text, ULONG flags, LPMESSAGE *out)
{
    *out = NULL;
    fm_simple_msgid id;
    if (!fm_simple_msgid_parse(text, &id)) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "\"%s\" is not a Simple MAPI message identifier",
                     text ? text : "(NULL)");
        return MAPI_E_INVALID_MESSAGE;
    }
    MAPIUID uid;
    HRESULT hr = store_uid(s, &uid);
    if (hr != S_OK)
        return fm_simple_code(hr);
    BYTE eid[FM_EID_SIZE];
    fm_entryid_write(&uid, FM_EID_MESSAGE, id.mid, eid);
    ULONG type = 0;
    hr = IMsgStore_OpenEntry(s->store, sizeof eid, (LPENTRYID)eid, NULL, flags, &type,
                             (LPUNKNOWN *)out);
    if (hr == S_OK && type != MAPI_MESSAGE) {
        IUnknown_Release((LPUNKNOWN)*out);
        *out = NULL;
        hr = MAPI_E_NOT_FOUND;
    }
    if (hr == MAPI_E_NOT_FOUND || hr == MAPI_E_INVALID_ENTRYID) {
        fm_error_set(MAPI_E_NOT_FOUND, "no message %s in the default store", text);
        return MAPI_E_INVALID_MESSAGE;
    }
    return fm_simple_code(hr);
}
