/*
 * props/strconv.c - copying a property value into a caller's buffer chain,
 * converting between PT_STRING8 (UTF-8) and PT_UNICODE (UTF-16) on the way.
 * IPropData uses it to answer a request for the other string width than
 * the one a property was stored in.
 */
#include <string.h>

#include "core/error.h"
#include "core/text.h"
#include "mapicode.h"
#include "props/propvalue.h"

static HRESULT more(ALLOCATEMORE *lpAllocMore, uint64_t n, void *parent, void **out)
{
    if (n > UINT32_MAX)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "value of %llu bytes is too large",
                            (unsigned long long)n);
    SCODE sc = lpAllocMore((ULONG)n, parent, out);
    if (sc != S_OK)
        return fm_error_set(sc, "cannot allocate %llu bytes for a property value",
                            (unsigned long long)n);
    return S_OK;
}

/* One string in the other width, in a new piece of the chain. */
static HRESULT convert_one(const void *s, int to_wide, ALLOCATEMORE *lpAllocMore, void *parent,
                           void **out)
{
    if (to_wide) {
        size_t n = strlen(s);
        HRESULT hr = more(lpAllocMore, (uint64_t)(n + 1) * sizeof(WCHAR), parent, out);
        if (hr == S_OK)
            fm_utf8_to_utf16_into(s, n, *out, n + 1);
        return hr;
    }
    size_t n = fm_utf16_len(s);
    HRESULT hr = more(lpAllocMore, (uint64_t)n * 3 + 1, parent, out);
    if (hr == S_OK)
        fm_utf16_to_utf8_into(s, n, *out);
    return hr;
}

static HRESULT convert_mv(SPropValue *v, int to_wide, ALLOCATEMORE *lpAllocMore, void *parent)
{
    ULONG n = v->Value.MVszA.cValues;
    void **src = (void **)v->Value.MVszA.lppszA; /* LPSTR* and LPWSTR* alike */
    void **arr = NULL;
    if (n == 0) {
        v->Value.MVszA.lppszA = NULL;
        return S_OK;
    }
    HRESULT hr = more(lpAllocMore, (uint64_t)n * sizeof(void *), parent, (void **)&arr);
    for (ULONG i = 0; hr == S_OK && i < n; i++)
        hr = convert_one(src[i], to_wide, lpAllocMore, parent, &arr[i]);
    if (hr == S_OK)
        v->Value.MVszA.lppszA = (LPSTR *)arr;
    return hr;
}

HRESULT fm_props_copy_as(SPropValue *dst, const SPropValue *src, ULONG want,
                         ALLOCATEMORE *lpAllocMore, void *parent)
{
    ULONG have = fm_props_value_type(src->ulPropTag);
    uint64_t bytes;
    if (want == have) {
        HRESULT hr = fm_props_value_extra(src, 0, &bytes);
        void *buf = NULL;
        if (hr == S_OK && bytes > 0)
            hr = more(lpAllocMore, bytes, parent, &buf);
        if (hr != S_OK)
            return hr;
        char *cursor = buf;
        fm_props_value_place(dst, src, &cursor);
        return S_OK;
    }
    int to_wide = fm_props_string_width(want) == 2;
    if (fm_props_string_width(have) == 0 || fm_props_string_width(want) == 0 ||
        (have & MV_FLAG) != (want & MV_FLAG))
        return fm_error_set(MAPI_E_INVALID_TYPE, "cannot convert type 0x%04lX to 0x%04lX",
                            (unsigned long)have, (unsigned long)want);
    SPropValue v = *src;
    v.ulPropTag = CHANGE_PROP_TYPE(src->ulPropTag, want);
    HRESULT hr;
    if (want & MV_FLAG) {
        hr = convert_mv(&v, to_wide, lpAllocMore, parent);
    } else {
        void *out = NULL;
        hr = convert_one(src->Value.lpszA, to_wide, lpAllocMore, parent, &out);
        v.Value.lpszA = out;
    }
    if (hr == S_OK)
        *dst = v;
    return hr;
}
