/*
 * core/com.c - the COM entry points of objbase.h that need nothing of COM
 * on Linux: CoInitialize(Ex)/CoUninitialize count per thread (S_OK the
 * first time, S_FALSE after, as COM answers). The task allocator
 * (CoTaskMem*) is cfb/cotaskmem.c, over freemapi's. CoCreateInstance is in libfreemapi-mime
 * (src/mimeconv/convsess.c), with the one class freemapi provides.
 */
#include "objbase.h"

static _Thread_local unsigned long com_inits;

STDAPI CoInitializeEx(LPVOID pvReserved, DWORD dwCoInit)
{
    if (pvReserved != NULL)
        return E_INVALIDARG;
    if (dwCoInit & ~(DWORD)(COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE |
                            COINIT_SPEED_OVER_MEMORY))
        return E_INVALIDARG;
    return com_inits++ == 0 ? S_OK : S_FALSE;
}

STDAPI CoInitialize(LPVOID pvReserved)
{
    return CoInitializeEx(pvReserved, COINIT_APARTMENTTHREADED);
}

STDAPI_(void) CoUninitialize(void)
{
    if (com_inits > 0)
        com_inits--;
}
