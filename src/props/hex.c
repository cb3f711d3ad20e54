/*
 * props/hex.c - HexFromBin, FBinFromHex, UlFromSzHex: bytes to and from
 * hexadecimal text. Output is uppercase; input may be either case.
 */
#include <string.h>

#include "mapiutil.h"

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

STDAPI_(void) HexFromBin(LPBYTE pb, int cb, LPSTR sz)
{
    static const char digits[] = "0123456789ABCDEF";
    if (sz == NULL)
        return;
    int n = (pb == NULL || cb < 0) ? 0 : cb;
    for (int i = 0; i < n; i++) {
        sz[2 * i] = digits[pb[i] >> 4];
        sz[2 * i + 1] = digits[pb[i] & 0x0F];
    }
    sz[2 * n] = '\0';
}

STDAPI_(BOOL) FBinFromHex(LPSTR sz, LPBYTE pb)
{
    if (sz == NULL || pb == NULL)
        return FALSE;
    size_t n = strlen(sz);
    if (n % 2 != 0)
        return FALSE;
    for (size_t i = 0; i < n; i += 2) {
        int hi = hex_digit(sz[i]), lo = hex_digit(sz[i + 1]);
        if (hi < 0 || lo < 0)
            return FALSE;
        pb[i / 2] = (BYTE)(hi << 4 | lo);
    }
    return TRUE;
}

STDAPI_(ULONG) UlFromSzHex(LPCSTR lpsz)
{
    ULONG value = 0;
    if (lpsz == NULL)
        return 0;
    for (int d; (d = hex_digit(*lpsz)) >= 0; lpsz++)
        value = (value << 4) | (ULONG)d;
    return value;
}
