/*
 * props/strfind.c - the string utilities of mapiutil.h: SzFindCh,
 * SzFindLastCh, SzFindSz and UFromSz, on 8-bit (UTF-8) strings as MAPI
 * exports them. NULL strings find nothing and convert to 0.
 */
#include <string.h>

#include "core/error.h"
#include "mapiutil.h"

STDAPI_(LPSTR) SzFindCh(LPCSTR lpsz, USHORT ch)
{
    if (lpsz == NULL || ch > 0xFF)
        return NULL;
    /* strchr also finds the terminator for ch 0, as the C library does. */
    return strchr(lpsz, (int)ch);
}

STDAPI_(LPSTR) SzFindLastCh(LPCSTR lpsz, USHORT ch)
{
    if (lpsz == NULL || ch > 0xFF)
        return NULL;
    return strrchr(lpsz, (int)ch);
}

STDAPI_(LPSTR) SzFindSz(LPCSTR lpsz, LPCSTR lpszKey)
{
    if (lpsz == NULL || lpszKey == NULL)
        return NULL;
    return strstr(lpsz, lpszKey);
}

/* Digits from the start; stops at the first non-digit and wraps as an
 * unsigned int does, as the function's C counterpart would. */
STDAPI_(unsigned int) UFromSz(LPCSTR lpsz)
{
    unsigned int v = 0;
    if (lpsz == NULL)
        return 0;
    for (; *lpsz >= '0' && *lpsz <= '9'; lpsz++)
        v = v * 10u + (unsigned int)(*lpsz - '0');
    return v;
}
