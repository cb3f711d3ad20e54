/*
 * ab/addrbook_recips.c - IAddrBook's recipient methods (ab.h):
 * ResolveName over an ADRLIST, PrepareRecips, QueryDefaultRecipOpt.
 *
 * ResolveName resolves every entry without PR_ENTRYID through the search
 * path (resolve.c; one-off SMTP addresses always resolve), replacing its
 * properties with the recipient's and keeping the others it had
 * (PR_RECIPIENT_TYPE, ...). It goes through the whole list even when some
 * entries fail, then returns MAPI_E_AMBIGUOUS_RECIP if any name matched
 * several entries, else MAPI_E_NOT_FOUND if any matched none. MAPI_DIALOG
 * is accepted and has no effect: there is no dialog to show.
 */
#include <stdio.h>
#include <string.h>

#include "ab/ab.h"
#include "core/alloc.h"
#include "core/text.h"
#include "mapiutil.h"
#include "props/propvalue.h"

static bool has_entryid(const ADRENTRY *e)
{
    for (ULONG i = 0; e->rgPropVals && i < e->cValues; i++)
        if (e->rgPropVals[i].ulPropTag == PR_ENTRYID)
            return true;
    return false;
}

HRESULT fm_addrbook_resolve_name(fm_ab *ab, ULONG flags, LPADRLIST list)
{
    if (list == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ResolveName: NULL lpAdrList");
    if (flags & ~(MAPI_UNICODE | MAPI_DIALOG))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ResolveName: unknown flags 0x%08lX",
                            (unsigned long)flags);
    int64_t path[2];
    size_t npath = 0;
    fm_ab_get_path(ab, path, &npath);
    ULONG ambiguous = 0, unresolved = 0;
    char first_bad[256] = "";
    for (ULONG i = 0; i < list->cEntries; i++) {
        ADRENTRY *e = &list->aEntries[i];
        if (has_entryid(e))
            continue;
        char name[1024];
        HRESULT hr = fm_ab_adrentry_name(e, name, sizeof name);
        if (hr == MAPI_E_NOT_FOUND)
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "ResolveName: entry %lu has neither "
                                                          "PR_ENTRYID nor PR_DISPLAY_NAME",
                                (unsigned long)i);
        if (hr != S_OK)
            return hr;
        int outcome = FM_AB_UNRESOLVED;
        ULONG c = 0;
        LPSPropValue props = NULL;
        hr = fm_ab_resolve_one(ab, name, path, npath, true, &outcome, &c, &props);
        if (hr == S_OK && outcome == FM_AB_RESOLVED)
            hr = fm_ab_adrentry_replace(e, c, props, flags);
        MAPIFreeBuffer(props);
        if (hr != S_OK)
            return hr;
        if (outcome != FM_AB_RESOLVED && first_bad[0] == '\0')
            snprintf(first_bad, sizeof first_bad, "%.200s", name);
        ambiguous += outcome == FM_AB_AMBIGUOUS;
        unresolved += outcome == FM_AB_UNRESOLVED;
    }
    if (ambiguous)
        return fm_error_set(MAPI_E_AMBIGUOUS_RECIP, "ResolveName: %lu name(s) match more than "
                                                    "one entry (\"%s\"...)",
                            (unsigned long)ambiguous, first_bad);
    if (unresolved)
        return fm_error_set(MAPI_E_NOT_FOUND, "ResolveName: %lu name(s) match no entry "
                                              "(\"%s\"...)",
                            (unsigned long)unresolved, first_bad);
    return S_OK;
}

/* The entry's properties: tags' values first (as GetProps gives them),
 * then the others it had. */
static HRESULT prepare_one(fm_ab *ab, ULONG flags, const SPropTagArray *tags, ADRENTRY *e,
                           ULONG index)
{
    LPSPropValue eid = PpropFindProp(e->rgPropVals, e->cValues, PR_ENTRYID);
    if (eid == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "PrepareRecips: entry %lu has no "
                                                      "PR_ENTRYID (resolve it first)",
                            (unsigned long)index);
    ULONG type = 0;
    LPUNKNOWN obj = NULL;
    HRESULT hr = fm_ab_open_entry(ab, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb, NULL, 0,
                                  &type, &obj);
    if (hr != S_OK)
        return hr;
    ULONG c = 0;
    LPSPropValue got = NULL;
    hr = fm_abobj_GetProps(fm_abobj_of(obj), (LPSPropTagArray)tags, flags & MAPI_UNICODE, &c,
                            &got);
    obj->lpVtbl->Release(obj);
    if (FAILED(hr))
        return hr;
    ULONG keep = 0;
    for (ULONG i = 0; i < e->cValues; i++)
        keep += PpropFindProp(got, c, PROP_TAG(PT_UNSPECIFIED,
                                               PROP_ID(e->rgPropVals[i].ulPropTag))) == NULL;
    SPropValue *v = NULL;
    if (MAPIAllocateBuffer((ULONG)((c + keep) * sizeof *v), (void **)&v) != S_OK) {
        MAPIFreeBuffer(got);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory in PrepareRecips");
    }
    ULONG n = 0;
    hr = S_OK;
    for (ULONG i = 0; hr == S_OK && i < c; i++)
        hr = PropCopyMore(&v[n++], &got[i], MAPIAllocateMore, v);
    for (ULONG i = 0; hr == S_OK && i < e->cValues; i++)
        if (PpropFindProp(got, c, PROP_TAG(PT_UNSPECIFIED,
                                           PROP_ID(e->rgPropVals[i].ulPropTag))) == NULL)
            hr = PropCopyMore(&v[n++], &e->rgPropVals[i], MAPIAllocateMore, v);
    MAPIFreeBuffer(got);
    if (hr != S_OK) {
        MAPIFreeBuffer(v);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory in PrepareRecips");
    }
    MAPIFreeBuffer(e->rgPropVals);
    e->rgPropVals = v;
    e->cValues = n;
    return S_OK;
}

HRESULT fm_addrbook_prepare_recips(fm_ab *ab, ULONG flags, const SPropTagArray *tags,
                                   LPADRLIST list)
{
    if (list == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "PrepareRecips: NULL lpRecipList");
    if (flags & ~(MAPI_UNICODE | MAPI_CACHE_ONLY))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "PrepareRecips: unknown flags 0x%08lX",
                            (unsigned long)flags);
    if (tags == NULL || tags->cValues == 0)
        return S_OK; /* nothing asked to be put first */
    HRESULT hr = S_OK;
    for (ULONG i = 0; hr == S_OK && i < list->cEntries; i++)
        hr = prepare_one(ab, flags, tags, &list->aEntries[i], i);
    return hr;
}

HRESULT fm_addrbook_default_recip_opt(const void *type, ULONG flags, ULONG *c,
                                      LPSPropValue *out)
{
    if (type == NULL || c == NULL || out == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryDefaultRecipOpt: NULL argument");
    *c = 0;
    *out = NULL;
    if (flags & ~MAPI_UNICODE)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "QueryDefaultRecipOpt: unknown flags "
                                                  "0x%08lX",
                            (unsigned long)flags);
    char t8[64];
    HRESULT hr = fm_text_arg_utf8(type, (flags & MAPI_UNICODE) != 0, t8, sizeof t8,
                                  "the address type");
    if (hr != S_OK)
        return hr;
    /* The address types this address book hands out have no per-recipient
     * options: no transport registers any. */
    if (strcmp(t8, "EX") == 0 || strcmp(t8, "SMTP") == 0)
        return S_OK;
    return fm_error_set(MAPI_E_NOT_FOUND, "QueryDefaultRecipOpt: no provider handles address "
                                          "type \"%s\"",
                        t8);
}
