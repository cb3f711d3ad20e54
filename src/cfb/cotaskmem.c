/*
 * cfb/cotaskmem.c - COM's task allocator (CoTaskMemAlloc, CoTaskMemRealloc,
 * CoTaskMemFree) over freemapi's allocator, so that STATSTG names are
 * counted and can be refused like every other allocation; and
 * MAPIGetDefaultMalloc, the same allocator as an IMalloc.
 */
#include "core/alloc.h"
#include "mapiguid.h"
#include "mapiutil.h"
#include "objidl.h"

STDAPI_(LPVOID) CoTaskMemAlloc(SIZE_T cb)
{
    return fm_malloc(cb > 0 ? cb : 1);
}

/* As COM's: a NULL pv allocates; a cb of 0 frees pv and returns NULL. */
STDAPI_(LPVOID) CoTaskMemRealloc(LPVOID pv, SIZE_T cb)
{
    if (pv == NULL)
        return fm_malloc(cb > 0 ? cb : 1);
    if (cb == 0) {
        fm_free(pv);
        return NULL;
    }
    return fm_realloc(pv, cb);
}

STDAPI_(void) CoTaskMemFree(LPVOID pv)
{
    fm_free(pv);
}

/* ---- MAPIGetDefaultMalloc: an IMalloc over the same allocator ------------------------ */

static STDMETHODIMP ma_QueryInterface(IMalloc *This, REFIID riid, LPVOID *ppv)
{
    if (ppv == NULL)
        return E_POINTER;
    *ppv = NULL;
    if (riid != NULL && (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMalloc))) {
        *ppv = This;
        return S_OK;
    }
    return E_NOINTERFACE;
}

static STDMETHODIMP_(ULONG) ma_AddRef(IMalloc *This)
{
    return 1; /* a static object: never freed */
}

static STDMETHODIMP_(ULONG) ma_Release(IMalloc *This)
{
    return 1;
}

static STDMETHODIMP_(void *) ma_Alloc(IMalloc *This, SIZE_T cb)
{
    return CoTaskMemAlloc(cb);
}

static STDMETHODIMP_(void *) ma_Realloc(IMalloc *This, void *pv, SIZE_T cb)
{
    return CoTaskMemRealloc(pv, cb);
}

static STDMETHODIMP_(void) ma_Free(IMalloc *This, void *pv)
{
    CoTaskMemFree(pv);
}

static STDMETHODIMP_(SIZE_T) ma_GetSize(IMalloc *This, void *pv)
{
    return pv == NULL ? (SIZE_T)-1 : fm_alloc_size(pv);
}

static STDMETHODIMP_(int) ma_DidAlloc(IMalloc *This, void *pv)
{
    return -1; /* cannot tell without risking a bad read */
}

static STDMETHODIMP_(void) ma_HeapMinimize(IMalloc *This)
{
}

static const IMallocVtbl MALLOC_VTBL = {
    .QueryInterface = ma_QueryInterface,
    .AddRef = ma_AddRef,
    .Release = ma_Release,
    .Alloc = ma_Alloc,
    .Realloc = ma_Realloc,
    .Free = ma_Free,
    .GetSize = ma_GetSize,
    .DidAlloc = ma_DidAlloc,
    .HeapMinimize = ma_HeapMinimize,
};

static IMalloc default_malloc = { &MALLOC_VTBL };

STDAPI_(LPMALLOC) MAPIGetDefaultMalloc(void)
{
    return &default_malloc;
}
