/*
 * props/hex_bounded.c - ScBinFromHexBounded: exactly 2*cb hexadecimal
 * digits (either case) into cb bytes. Unlike FBinFromHex it never writes
 * past the caller's cb bytes and says why it refused.
 */
#include <string.h>

#include "core/error.h"
#include "mapiutil.h"

static int digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

STDAPI_(SCODE) ScBinFromHexBounded(LPSTR lpsz, LPBYTE lpb, ULONG cb)
{
    if (lpsz == NULL || (lpb == NULL && cb != 0))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ScBinFromHexBounded: NULL argument");
    size_t n = strlen(lpsz);
    if (n != 2 * (size_t)cb)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "ScBinFromHexBounded: %zu digits for %lu bytes", n,
                            (unsigned long)cb);
    for (ULONG i = 0; i < cb; i++) {
        int hi = digit(lpsz[2 * i]), lo = digit(lpsz[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "ScBinFromHexBounded: not a hexadecimal digit at %lu",
                                (unsigned long)(2 * i + (hi < 0 ? 0 : 1)));
        lpb[i] = (BYTE)(hi << 4 | lo);
    }
    return S_OK;
}
