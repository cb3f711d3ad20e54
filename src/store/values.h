/*
 * store/values.h - building the values of computed properties.
 *
 * Computed properties (object.h) fill an SPropValue whose pointed-to data
 * is linked to the caller's MAPI buffer; these helpers are the few shapes
 * such values take.
 */
#ifndef FREEMAPI_STORE_VALUES_H
#define FREEMAPI_STORE_VALUES_H

#include "mapidefs.h"
#include "store/store.h"

static inline HRESULT fm_value_long(SPropValue *out, ULONG tag, LONG v)
{
    out->ulPropTag = tag;
    out->dwAlignPad = 0;
    out->Value.l = v;
    return S_OK;
}

static inline HRESULT fm_value_bool(SPropValue *out, ULONG tag, bool v)
{
    out->ulPropTag = tag;
    out->dwAlignPad = 0;
    out->Value.b = v ? 1 : 0;
    return S_OK;
}

static inline HRESULT fm_value_systime(SPropValue *out, ULONG tag, int64_t t)
{
    out->ulPropTag = tag;
    out->dwAlignPad = 0;
    out->Value.ft.dwLowDateTime = (DWORD)(uint64_t)t;
    out->Value.ft.dwHighDateTime = (DWORD)((uint64_t)t >> 32);
    return S_OK;
}

/* A PT_BINARY value: a copy of n bytes linked to parent. */
HRESULT fm_value_binary(SPropValue *out, ULONG tag, const void *bytes, size_t n, void *parent);

/* A PT_BINARY entry ID of object (kind, id) in store s. */
HRESULT fm_value_entryid(SPropValue *out, ULONG tag, const fm_store *s, int kind, int64_t id,
                         void *parent);

/* A PT_BINARY source key of object id in store s. */
HRESULT fm_value_source_key(SPropValue *out, ULONG tag, const fm_store *s, int64_t id,
                            void *parent);

#endif /* FREEMAPI_STORE_VALUES_H */
