/*
 * oab/buf.c - a byte buffer allocated once at its full capacity. The OAB
 * job takes all its memory when it starts, so nothing that happens to the
 * rest of the process's memory later can fail it half-way (KB 324528).
 */
#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "oab/oab.h"

HRESULT fm_oab_buf_init(fm_oab_buf *b, size_t cap)
{
    b->len = 0;
    b->cap = cap;
    b->data = fm_malloc(cap);
    if (!b->data)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY,
                            "offline address book: no memory for a %zu-byte buffer", cap);
    return S_OK;
}

void fm_oab_buf_clear(fm_oab_buf *b)
{
    fm_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

BYTE *fm_oab_buf_take(fm_oab_buf *b, size_t n)
{
    if (n > b->cap - b->len)
        return NULL;
    BYTE *p = b->data + b->len;
    b->len += n;
    return p;
}
