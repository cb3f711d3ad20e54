/*
 * props/ftadc.c - FtAdcFt: FILETIME addition with a carry in and out, for
 * arithmetic wider than 64 bits (the carry word holds 0 or 1).
 */
#include "mapiutil.h"

STDAPI_(FILETIME) FtAdcFt(FILETIME ftAddend1, FILETIME ftAddend2, WORD *pwCarry)
{
    uint64_t a = ((uint64_t)ftAddend1.dwHighDateTime << 32) | ftAddend1.dwLowDateTime;
    uint64_t b = ((uint64_t)ftAddend2.dwHighDateTime << 32) | ftAddend2.dwLowDateTime;
    uint64_t carry_in = pwCarry != NULL && *pwCarry != 0;
    uint64_t sum = a + b;
    int carry = sum < a;
    sum += carry_in;
    carry |= carry_in && sum == 0;
    if (pwCarry != NULL)
        *pwCarry = (WORD)carry;
    FILETIME r = { (DWORD)sum, (DWORD)(sum >> 32) };
    return r;
}
