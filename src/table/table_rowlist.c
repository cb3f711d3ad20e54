/*
 * table/table_rowlist.c - fm_table_rows: the growable list of view rows a
 * source fills, and the MAPI buffers their values live in.
 */
#include <string.h>

#include "core/alloc.h"
#include "mapicode.h"
#include "mapix.h"
#include "table/table.h"

static HRESULT grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return S_OK;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *q = fm_realloc(*p, n * elem);
    if (q == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory growing a table's rows");
    *p = q;
    *cap = n;
    return S_OK;
}

HRESULT fm_table_rows_push(fm_table_rows *r, const fm_table_row *row)
{
    HRESULT hr = grow((void **)&r->rows, &r->cap, r->n + 1, sizeof *r->rows);
    if (hr == S_OK)
        r->rows[r->n++] = *row;
    return hr;
}

HRESULT fm_table_rows_own(fm_table_rows *r, void *root)
{
    if (root == NULL)
        return S_OK;
    HRESULT hr = grow((void **)&r->roots, &r->caproots, r->nroots + 1, sizeof *r->roots);
    if (hr != S_OK) {
        MAPIFreeBuffer(root);
        return hr;
    }
    r->roots[r->nroots++] = root;
    return S_OK;
}

void fm_table_rows_clear(fm_table_rows *r)
{
    for (size_t i = 0; i < r->nroots; i++)
        MAPIFreeBuffer(r->roots[i]);
    fm_free(r->roots);
    fm_free(r->rows);
    memset(r, 0, sizeof *r);
}
