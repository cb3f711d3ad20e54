/*
 * core/mapiutil_init.c - ScInitMapiUtil and DeinitMapiUtil. On Windows they
 * set up what the utility functions need when a program has not called
 * MAPIInitialize. freemapi's utilities need no set-up, so the pair only
 * keeps the count of calls (a DeinitMapiUtil without ScInitMapiUtil does
 * nothing); ulFlags is reserved and must be 0.
 */
#include <stdatomic.h>

#include "core/error.h"
#include "mapiutil.h"

static atomic_uint init_count;

STDAPI_(SCODE) ScInitMapiUtil(ULONG ulFlags)
{
    if (ulFlags != 0)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ScInitMapiUtil: ulFlags must be 0");
    atomic_fetch_add(&init_count, 1);
    return S_OK;
}

STDAPI_(void) DeinitMapiUtil(void)
{
    unsigned n = atomic_load(&init_count);
    while (n > 0 && !atomic_compare_exchange_weak(&init_count, &n, n - 1))
        ;
}
