/*
 * rop/rop_lz77.c - decompression of a compressed extended-buffer payload
 * ([MS-OXCRPC] 3.1.7.2).
 */
#include "core/error.h"
#include "mapicode.h"
#include "rop/rop_int.h"

HRESULT fm_rop_lz77_decompress(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len)
{
    (void)in;
    (void)out;
    return fm_error_set(MAPI_E_CORRUPT_DATA,
                        "compressed payload (%zu bytes into %zu) not yet supported", in_len,
                        out_len);
}
