/*
 * core/malloc_default.c - MAPIGetDefaultMalloc: COM's IMalloc over
 * freemapi's one allocator, so memory a program gets through it is counted
 * and failure-injected like the rest. There is one object for the process;
 * it is never freed, so AddRef and Release count nothing.
 */
#include "core/alloc.h"
#include "mapiguid.h"
#include "mapiutil.h"

static STDMETHODIMP malloc_QueryInterface(IMalloc *This, REFIID riid, LPVOID *ppv)
{
    if (ppv == NULL || riid == NULL)
        return E_INVALIDARG;
    if (!IsEqualIID(riid, &IID_IMalloc) && !IsEqualIID(riid, &IID_IUnknown)) {
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    *ppv = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) malloc_AddRef(IMalloc *This)
{
    return 1;
}

static STDMETHODIMP_(ULONG) malloc_Release(IMalloc *This)
{
    return 1;
}

static STDMETHODIMP_(void *) malloc_Alloc(IMalloc *This, SIZE_T cb)
{
    return fm_malloc(cb ? cb : 1);
}

static STDMETHODIMP_(void *) malloc_Realloc(IMalloc *This, void *pv, SIZE_T cb)
{
    if (cb == 0) {
        fm_free(pv);
        return NULL;
    }
    return fm_realloc(pv, cb);
}

static STDMETHODIMP_(void) malloc_Free(IMalloc *This, void *pv)
{
    fm_free(pv);
}

static STDMETHODIMP_(SIZE_T) malloc_GetSize(IMalloc *This, void *pv)
{
    return pv ? fm_alloc_size(pv) : (SIZE_T)-1;
}

/* The allocator cannot tell its blocks from others without touching memory
 * it may not own, so it answers "cannot say", as COM allows (-1). */
static STDMETHODIMP_(int) malloc_DidAlloc(IMalloc *This, void *pv)
{
    return pv ? -1 : 0;
}

static STDMETHODIMP_(void) malloc_HeapMinimize(IMalloc *This)
{
}

static const IMallocVtbl MALLOC_VTBL = {
    .QueryInterface = malloc_QueryInterface,
    .AddRef = malloc_AddRef,
    .Release = malloc_Release,
    .Alloc = malloc_Alloc,
    .Realloc = malloc_Realloc,
    .Free = malloc_Free,
    .GetSize = malloc_GetSize,
    .DidAlloc = malloc_DidAlloc,
    .HeapMinimize = malloc_HeapMinimize,
};

static IMalloc default_malloc = { &MALLOC_VTBL };

STDAPI_(LPMALLOC) MAPIGetDefaultMalloc(void)
{
    return &default_malloc;
}
