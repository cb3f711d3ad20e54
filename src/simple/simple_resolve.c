/*
 * simple/simple_resolve.c - MAPIResolveName: one name through the session's
 * address book (its search path: the global address list, then Contacts;
 * SMTP-shaped names become the directory entry with that address or an
 * SMTP one-off). The result is one MAPI buffer the caller frees with
 * MAPIFreeBuffer: a MapiRecipDesc of class MAPI_TO with the display name,
 * "SMTP:<address>" (or "<type>:<address>") and the entry ID. With no dialog
 * to choose from, an ambiguous name is MAPI_E_AMBIGUOUS_RECIPIENT whatever
 * MAPI_DIALOG says.
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "simple/simple.h"

static HRESULT copy_string(const char *s, void *root, LPSTR *out)
{
    size_t n = strlen(s) + 1;
    HRESULT hr = MAPIAllocateMore((ULONG)n, root, (void **)out);
    if (hr == S_OK)
        memcpy(*out, s, n);
    return hr;
}

static HRESULT make_recip(const ADRENTRY *e, lpMapiRecipDesc *out)
{
    const SPropValue *name = PpropFindProp(e->rgPropVals, e->cValues, PR_DISPLAY_NAME_A);
    const SPropValue *type = PpropFindProp(e->rgPropVals, e->cValues, PR_ADDRTYPE_A);
    const SPropValue *addr = PpropFindProp(e->rgPropVals, e->cValues, PR_EMAIL_ADDRESS_A);
    const SPropValue *smtp = PpropFindProp(e->rgPropVals, e->cValues, PR_SMTP_ADDRESS_A);
    const SPropValue *eid = PpropFindProp(e->rgPropVals, e->cValues, PR_ENTRYID);
    lpMapiRecipDesc r = NULL;
    HRESULT hr = MAPIAllocateBuffer(sizeof *r, (void **)&r);
    if (hr != S_OK)
        return hr;
    memset(r, 0, sizeof *r);
    r->ulRecipClass = MAPI_TO;
    char address[1024] = "";
    if (smtp != NULL)
        snprintf(address, sizeof address, "SMTP:%s", smtp->Value.lpszA);
    else if (type != NULL && addr != NULL)
        snprintf(address, sizeof address, "%s:%s", type->Value.lpszA, addr->Value.lpszA);
    hr = copy_string(name ? name->Value.lpszA : "", r, &r->lpszName);
    if (hr == S_OK && address[0])
        hr = copy_string(address, r, &r->lpszAddress);
    if (hr == S_OK && eid != NULL) {
        hr = MAPIAllocateMore(eid->Value.bin.cb, r, &r->lpEntryID);
        if (hr == S_OK) {
            memcpy(r->lpEntryID, eid->Value.bin.lpb, eid->Value.bin.cb);
            r->ulEIDSize = eid->Value.bin.cb;
        }
    }
    if (hr != S_OK) {
        MAPIFreeBuffer(r);
        return hr;
    }
    *out = r;
    return S_OK;
}

static ULONG resolve(fm_simple *s, LPSTR lpszName, lpMapiRecipDesc *lppRecip)
{
    LPADRLIST list = NULL;
    LPSPropValue p = NULL;
    HRESULT hr = MAPIAllocateBuffer(CbNewADRLIST(1), (void **)&list);
    if (hr == S_OK) {
        list->cEntries = 0;
        hr = MAPIAllocateBuffer(sizeof *p, (void **)&p);
    }
    if (hr == S_OK) {
        p->ulPropTag = PR_DISPLAY_NAME_A;
        p->Value.lpszA = lpszName;
        list->cEntries = 1;
        list->aEntries[0].ulReserved1 = 0;
        list->aEntries[0].cValues = 1;
        list->aEntries[0].rgPropVals = p;
        hr = IAddrBook_ResolveName(s->ab, 0, 0, NULL, list);
    }
    ULONG code = hr == MAPI_E_NOT_FOUND ? MAPI_E_UNKNOWN_RECIPIENT : fm_simple_code(hr);
    if (hr == S_OK)
        code = fm_simple_code(make_recip(&list->aEntries[0], lppRecip));
    if (list != NULL)
        FreePadrlist(list);
    return code;
}

FREEMAPI_PUBLIC ULONG MAPIResolveName(LHANDLE lhSession, ULONG_PTR ulUIParam, LPSTR lpszName,
                                      FLAGS flFlags, ULONG ulReserved,
                                      lpMapiRecipDesc *lppRecip)
{
    (void)ulUIParam;
    (void)ulReserved;
    const FLAGS known = MAPI_AB_NOMODIFY | MAPI_DIALOG | MAPI_LOGON_UI | MAPI_NEW_SESSION;
    if (lppRecip == NULL || lpszName == NULL || (flFlags & ~known)) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIResolveName: NULL argument or unknown flags");
        return MAPI_E_FAILURE;
    }
    *lppRecip = NULL;
    fm_simple *s = NULL;
    bool temp = false;
    ULONG code = fm_simple_get(lhSession, &s, &temp);
    if (code == SUCCESS_SUCCESS)
        code = resolve(s, lpszName, lppRecip);
    fm_simple_put(s, temp);
    return code;
}
