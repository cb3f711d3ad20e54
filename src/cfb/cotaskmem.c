/*
 * cfb/cotaskmem.c - COM's task allocator (CoTaskMemAlloc, CoTaskMemRealloc,
 * CoTaskMemFree) over freemapi's allocator, so that STATSTG names are
 * counted and can be refused like every other allocation.
 */
#include "core/alloc.h"
#include "objidl.h"

STDAPI_(LPVOID) CoTaskMemAlloc(SIZE_T cb)
{
    return fm_malloc(cb > 0 ? cb : 1);
}

STDAPI_(LPVOID) CoTaskMemRealloc(LPVOID pv, SIZE_T cb)
{
    return fm_realloc(pv, cb > 0 ? cb : 1);
}

STDAPI_(void) CoTaskMemFree(LPVOID pv)
{
    fm_free(pv);
}
