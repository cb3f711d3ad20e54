/*
 * props/refcount.c - UlAddRef and UlRelease: AddRef/Release on any object
 * through its IUnknown, returning the count it reports; NULL gives 0.
 */
#include "mapiutil.h"

STDAPI_(ULONG) UlAddRef(LPVOID lpunk)
{
    if (lpunk == NULL)
        return 0;
    return IUnknown_AddRef((LPUNKNOWN)lpunk);
}

STDAPI_(ULONG) UlRelease(LPVOID lpunk)
{
    if (lpunk == NULL)
        return 0;
    return IUnknown_Release((LPUNKNOWN)lpunk);
}
