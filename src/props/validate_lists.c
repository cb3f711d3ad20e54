/*
 * props/validate_lists.c - rows, row sets, entry lists, string arrays and
 * property name arrays.
 *
 * From the MAPI reference of FBadRow, FBadRowSet ("if the pointer is NULL,
 * the structure is invalid"), FBadEntryList ("an identifier for which memory
 * has been incorrectly allocated or an identifier of an incorrect size"),
 * FBadRglpszW and FBadRglpNameID, and of MAPINAMEID ("lpguid ... cannot be
 * NULL"; ulKind MNID_ID or MNID_STRING).
 */
#include <string.h>

#include "core/error.h"
#include "core/text.h"
#include "mapicode.h"
#include "props/validate.h"

/* ---- rows ------------------------------------------------------------------ */

static HRESULT row_check(const SRow *r, const char *what, ULONG index)
{
    const char *w = fm_validate_what(what);
    if (r->cValues > 0 && r->lpProps == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: row %lu has %lu values and NULL lpProps",
                            w, (unsigned long)index, (unsigned long)r->cValues);
    if (r->cValues > 0 && FM_MISALIGNED(r->lpProps, SPropValue))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: row %lu: lpProps is misaligned", w,
                            (unsigned long)index);
    for (ULONG i = 0; i < r->cValues; i++) {
        HRESULT hr = fm_validate_prop_in(&r->lpProps[i], FM_VP_ROW, what, i);
        if (hr != S_OK)
            return hr;
    }
    return S_OK;
}

HRESULT fm_validate_row(const SRow *r, const char *what)
{
    if (r == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: row pointer is NULL",
                            fm_validate_what(what));
    if (FM_MISALIGNED(r, SRow))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: row pointer is misaligned",
                            fm_validate_what(what));
    return row_check(r, what, 0);
}

HRESULT fm_validate_row_set(const SRowSet *r, const char *what)
{
    if (r == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: row set pointer is NULL",
                            fm_validate_what(what));
    if (FM_MISALIGNED(r, SRowSet))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: row set pointer is misaligned",
                            fm_validate_what(what));
    for (ULONG i = 0; i < r->cRows; i++) {
        HRESULT hr = row_check(&r->aRow[i], what, i);
        if (hr != S_OK)
            return hr;
    }
    return S_OK;
}

/* ---- entry lists -------------------------------------------------------------- */

HRESULT fm_validate_entry_list(const ENTRYLIST *l, const char *what)
{
    const char *w = fm_validate_what(what);
    if (l == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: entry list is NULL", w);
    if (FM_MISALIGNED(l, ENTRYLIST))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: entry list is misaligned", w);
    if (l->cValues == 0)
        return S_OK;
    if (l->lpbin == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: %lu entries and a NULL lpbin", w,
                            (unsigned long)l->cValues);
    if (FM_MISALIGNED(l->lpbin, SBinary))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: lpbin is misaligned", w);
    for (ULONG i = 0; i < l->cValues; i++) {
        const SBinary *e = &l->lpbin[i];
        /* An ENTRYID starts with four flag bytes; anything shorter is not one. */
        if (e->cb < offsetof(ENTRYID, ab))
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "%s: entry %lu is %lu bytes, shorter than an ENTRYID's flags",
                                w, (unsigned long)i, (unsigned long)e->cb);
        if (e->lpb == NULL)
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: entry %lu has a NULL lpb", w,
                                (unsigned long)i);
    }
    return S_OK;
}

/* ---- string arrays -------------------------------------------------------------- */

static HRESULT array_check(const void *a, ULONG c, size_t align, const char *what)
{
    if (c > 0 && a == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: %lu items and a NULL array",
                            fm_validate_what(what), (unsigned long)c);
    if (c > 0 && (uintptr_t)a % align != 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: array is misaligned",
                            fm_validate_what(what));
    return S_OK;
}

HRESULT fm_validate_strings_a(LPSTR const *a, ULONG c, const char *what)
{
    HRESULT hr = array_check(a, c, _Alignof(LPSTR), what);
    for (ULONG i = 0; hr == S_OK && i < c; i++) {
        if (a[i] == NULL)
            hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: string %lu is NULL",
                              fm_validate_what(what), (unsigned long)i);
        else if (!fm_utf8_valid(a[i], strlen(a[i])))
            hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: string %lu is not valid UTF-8",
                              fm_validate_what(what), (unsigned long)i);
    }
    return hr;
}

static HRESULT wide_check(const WCHAR *s, const char *what, const char *label, ULONG i)
{
    if (s == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: %s %lu is NULL",
                            fm_validate_what(what), label, (unsigned long)i);
    if (FM_MISALIGNED(s, WCHAR))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: %s %lu is misaligned for WCHAR",
                            fm_validate_what(what), label, (unsigned long)i);
    if (!fm_utf16_valid(s, fm_utf16_len(s)))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "%s: %s %lu is not valid UTF-16 (lone surrogate)",
                            fm_validate_what(what), label, (unsigned long)i);
    return S_OK;
}

HRESULT fm_validate_strings_w(LPWSTR const *a, ULONG c, const char *what)
{
    HRESULT hr = array_check(a, c, _Alignof(LPWSTR), what);
    for (ULONG i = 0; hr == S_OK && i < c; i++)
        hr = wide_check(a[i], what, "string", i);
    return hr;
}

/* ---- property names -------------------------------------------------------------- */

static HRESULT name_check(const MAPINAMEID *n, const char *what, ULONG i)
{
    const char *w = fm_validate_what(what);
    if (n == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: name %lu is NULL", w,
                            (unsigned long)i);
    if (FM_MISALIGNED(n, MAPINAMEID))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: name %lu is misaligned", w,
                            (unsigned long)i);
    if (n->lpguid == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: name %lu has a NULL lpguid", w,
                            (unsigned long)i);
    if (FM_MISALIGNED(n->lpguid, GUID))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: name %lu: lpguid is misaligned", w,
                            (unsigned long)i);
    if (n->ulKind == MNID_ID)
        return S_OK;
    if (n->ulKind != MNID_STRING)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "%s: name %lu has ulKind %lu, neither MNID_ID nor MNID_STRING", w,
                            (unsigned long)i, (unsigned long)n->ulKind);
    return wide_check(n->Kind.lpwstrName, what, "name", i);
}

HRESULT fm_validate_name_ids(LPMAPINAMEID const *a, ULONG c, const char *what)
{
    HRESULT hr = array_check(a, c, _Alignof(LPMAPINAMEID), what);
    for (ULONG i = 0; hr == S_OK && i < c; i++)
        hr = name_check(a[i], what, i);
    return hr;
}
