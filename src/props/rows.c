/*
 * props/rows.c - FreeProws and FreePadrlist: an SRowSet or ADRLIST is one
 * MAPI buffer for the list plus one per row for its property array, so each
 * row's array is freed before the list itself. NULL is accepted.
 */
#include "mapiutil.h"

STDAPI_(void) FreeProws(LPSRowSet lpRows)
{
    if (lpRows == NULL)
        return;
    for (ULONG i = 0; i < lpRows->cRows; i++)
        MAPIFreeBuffer(lpRows->aRow[i].lpProps);
    MAPIFreeBuffer(lpRows);
}

STDAPI_(void) FreePadrlist(LPADRLIST lpAdrlist)
{
    if (lpAdrlist == NULL)
        return;
    for (ULONG i = 0; i < lpAdrlist->cEntries; i++)
        MAPIFreeBuffer(lpAdrlist->aEntries[i].rgPropVals);
    MAPIFreeBuffer(lpAdrlist);
}
