/*
 * props/propreloc.c - ScRelocProps: rebases the pointers of a block made by
 * ScCopyProps after the block moved from lpvBaseOld to lpvBaseNew.
 *
 * The pointer arrays of multi-valued strings and binaries are inside the
 * block, so they have to be read somewhere. They are read where rgprop
 * lives: at the old base when rgprop is the old base (the documented "make
 * the pointers relative to 0 before writing to disk" step), otherwise at the
 * new base (the block was copied and rgprop is the copy). Bases may be any
 * value, 0 included, so the arithmetic is on integers.
 */
#include "core/error.h"
#include "mapicode.h"
#include "mapiutil.h"
#include "props/propvalue.h"

typedef struct reloc {
    uintptr_t old_base;
    uintptr_t new_base;
    uintptr_t readable_base; /* where the block's bytes can be read now */
} reloc;

static void *moved(const reloc *r, const void *p)
{
    return p == NULL ? NULL : (void *)((uintptr_t)p - r->old_base + r->new_base);
}

static void *readable(const reloc *r, const void *p)
{
    return (void *)((uintptr_t)p - r->old_base + r->readable_base);
}

static void reloc_mv(const reloc *r, SPropValue *v, ULONG type)
{
    ULONG n = v->Value.MVl.cValues;
    if (v->Value.MVl.lpl == NULL)
        return;
    if (type == PT_MV_STRING8 || type == PT_MV_UNICODE) {
        void **a = readable(r, v->Value.MVszA.lppszA);
        for (ULONG i = 0; i < n; i++)
            a[i] = moved(r, a[i]);
    } else if (type == PT_MV_BINARY) {
        SBinary *b = readable(r, v->Value.MVbin.lpbin);
        for (ULONG i = 0; i < n; i++)
            b[i].lpb = moved(r, b[i].lpb);
    }
    v->Value.MVl.lpl = moved(r, v->Value.MVl.lpl);
}

static void reloc_one(const reloc *r, SPropValue *v)
{
    ULONG type = fm_props_value_type(v->ulPropTag);
    switch (type) {
    case PT_STRING8: v->Value.lpszA = moved(r, v->Value.lpszA); break;
    case PT_UNICODE: v->Value.lpszW = moved(r, v->Value.lpszW); break;
    case PT_BINARY: v->Value.bin.lpb = moved(r, v->Value.bin.lpb); break;
    case PT_CLSID: v->Value.lpguid = moved(r, v->Value.lpguid); break;
    default:
        if (fm_props_mv_elem_size(type) != 0)
            reloc_mv(r, v, type);
        break;
    }
}

STDAPI_(SCODE)
ScRelocProps(int cValues, LPSPropValue lpPropArray, LPVOID lpvBaseOld, LPVOID lpvBaseNew,
             ULONG *lpcb)
{
    if (cValues < 0 || (cValues > 0 && lpPropArray == NULL))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "ScRelocProps: bad count %d or NULL property array", cValues);
    for (int i = 0; i < cValues; i++) {
        ULONG type = fm_props_value_type(lpPropArray[i].ulPropTag);
        if (!fm_props_type_known(type))
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "ScRelocProps: property %d has unknown type 0x%04lX", i,
                                (unsigned long)type);
    }
    reloc r = {(uintptr_t)lpvBaseOld, (uintptr_t)lpvBaseNew, (uintptr_t)lpvBaseNew};
    if ((void *)lpPropArray == lpvBaseOld)
        r.readable_base = r.old_base;
    /* Count where the pointers can be followed: before moving them when
     * they stay readable only at the old base, after otherwise. */
    ULONG cb = 0;
    HRESULT hr = S_OK;
    if (lpcb != NULL && r.readable_base == r.old_base)
        hr = ScCountProps(cValues, lpPropArray, &cb);
    if (hr != S_OK)
        return hr;
    for (int i = 0; i < cValues; i++)
        reloc_one(&r, &lpPropArray[i]);
    if (lpcb != NULL && r.readable_base != r.old_base)
        hr = ScCountProps(cValues, lpPropArray, &cb);
    if (hr == S_OK && lpcb != NULL)
        *lpcb = cb;
    return hr;
}
