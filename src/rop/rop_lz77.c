/*
 * rop/rop_lz77.c - compressed extended-buffer payloads ([MS-OXCRPC]
 * 2.2.2.1 Compressed, 3.1.4.1.1.2: LZ77 with the DIRECT2 encoding).
 *
 * Not decoded yet: the layer refuses them with MAPI_E_CORRUPT_DATA and
 * says why, rather than guess at DIRECT2's metadata layout without the
 * specification's worked example to test against. The layer's own
 * responses are never compressed.
 */
#include "core/error.h"
#include "mapicode.h"
#include "rop/rop_int.h"

HRESULT fm_rop_lz77_decompress(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len)
{
    (void)in;
    (void)out;
    return fm_error_set(MAPI_E_CORRUPT_DATA,
                        "compressed payload (%zu bytes into %zu): compressed RPC_HEADER_EXT "
                        "payloads are not accepted yet",
                        in_len, out_len);
}
