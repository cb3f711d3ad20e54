/*
 * store/values.c - values of computed properties (see values.h).
 */
#include <string.h>

#include "core/alloc.h"
#include "store/entryid.h"
#include "store/values.h"

HRESULT fm_value_binary(SPropValue *out, ULONG tag, const void *bytes, size_t n, void *parent)
{
    void *copy = NULL;
    HRESULT hr = fm_alloc_mapi(n, parent, &copy);
    if (hr != S_OK)
        return hr;
    memcpy(copy, bytes, n);
    out->ulPropTag = tag;
    out->dwAlignPad = 0;
    out->Value.bin.cb = (ULONG)n;
    out->Value.bin.lpb = copy;
    return S_OK;
}

HRESULT fm_value_entryid(SPropValue *out, ULONG tag, const fm_store *s, int kind, int64_t id,
                         void *parent)
{
    BYTE eid[FM_EID_SIZE];
    fm_entryid_write(&s->uid, kind, (uint64_t)id, eid);
    return fm_value_binary(out, tag, eid, sizeof eid, parent);
}

HRESULT fm_value_source_key(SPropValue *out, ULONG tag, const fm_store *s, int64_t id,
                            void *parent)
{
    BYTE key[FM_SOURCE_KEY_SIZE];
    fm_source_key_write(&s->uid, (uint64_t)id, key);
    return fm_value_binary(out, tag, key, sizeof key, parent);
}
