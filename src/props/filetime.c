/*
 * props/filetime.c - FILETIME arithmetic: a FILETIME is the unsigned 64-bit
 * number dwHighDateTime << 32 | dwLowDateTime, and these functions add,
 * subtract, multiply and negate it modulo 2^64.
 */
#include "mapiutil.h"

static uint64_t ft_value(FILETIME ft)
{
    return (uint64_t)ft.dwHighDateTime << 32 | ft.dwLowDateTime;
}

static FILETIME ft_make(uint64_t v)
{
    FILETIME ft = {(DWORD)(v & 0xFFFFFFFFu), (DWORD)(v >> 32)};
    return ft;
}

STDAPI_(FILETIME) FtAddFt(FILETIME ftAddend1, FILETIME ftAddend2)
{
    return ft_make(ft_value(ftAddend1) + ft_value(ftAddend2));
}

STDAPI_(FILETIME) FtSubFt(FILETIME ftMinuend, FILETIME ftSubtrahend)
{
    return ft_make(ft_value(ftMinuend) - ft_value(ftSubtrahend));
}

STDAPI_(FILETIME) FtMulDw(DWORD ftMultiplier, FILETIME ftMultiplicand)
{
    return ft_make((uint64_t)ftMultiplier * ft_value(ftMultiplicand));
}

STDAPI_(FILETIME) FtMulDwDw(DWORD ftMultiplicand, DWORD ftMultiplier)
{
    return ft_make((uint64_t)ftMultiplicand * ftMultiplier);
}

STDAPI_(FILETIME) FtNegFt(FILETIME ft)
{
    return ft_make(0u - ft_value(ft));
}
