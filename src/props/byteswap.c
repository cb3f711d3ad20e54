/*
 * props/byteswap.c - SwapPlong and SwapPword: reverse the byte order of an
 * array of 32-bit and 16-bit values in place (big-endian data on a
 * little-endian machine and back).
 */
#include "mapiutil.h"

STDAPI_(void) SwapPlong(ULONG *pul, UINT cul)
{
    for (UINT i = 0; pul != NULL && i < cul; i++)
        pul[i] = __builtin_bswap32(pul[i]);
}

STDAPI_(void) SwapPword(USHORT *pw, UINT cw)
{
    for (UINT i = 0; pw != NULL && i < cw; i++)
        pw[i] = (USHORT)((pw[i] >> 8) | (pw[i] << 8));
}
