/*
 * oab/container_read.c - our own reader of the compressed container
 * ([MS-OXOAB] LZX_HDR and LZX_BLK): checks the versions, every block's
 * sizes against ulBlockMax, every block's CRC (which libmspack does not
 * check), and the total against ulTargetSize, writing the data out. Only
 * stored blocks are handled; an LZX-compressed block is MAPI_E_NO_SUPPORT.
 */
#include <errno.h>
#include <stdio.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "oab/oab.h"

static HRESULT corrupt(const char *what)
{
    return fm_error_set(MAPI_E_CORRUPT_DATA, "offline address book container: %s", what);
}

static HRESULT copy_block(FILE *in, FILE *out, BYTE *buf, size_t max, uint64_t *total)
{
    BYTE h[FM_OAB_LZX_BLK_SIZE];
    if (fread(h, 1, sizeof h, in) != sizeof h)
        return corrupt("the file ends inside a block header");
    uint32_t flags = fm_oab_get32(h), comp = fm_oab_get32(h + 4), size = fm_oab_get32(h + 8);
    if (flags == FM_OAB_BLK_LZX)
        return fm_error_set(MAPI_E_NO_SUPPORT, "offline address book container: LZX blocks are not read here");
    if (flags != FM_OAB_BLK_STORED || comp != size || size > max || size == 0)
        return corrupt("a bad block header");
    if (fread(buf, 1, size, in) != size)
        return corrupt("the file ends inside a block");
    if (fm_oab_crc32(FM_OAB_CRC_INIT, buf, size) != fm_oab_get32(h + 12))
        return corrupt("a block's CRC does not match its data");
    if (fwrite(buf, 1, size, out) != size)
        return fm_oab_io_error(errno, "writing", "the unpacked file");
    *total += size;
    return S_OK;
}

static HRESULT unpack(FILE *in, FILE *out)
{
    BYTE h[FM_OAB_LZX_HDR_SIZE];
    if (fread(h, 1, sizeof h, in) != sizeof h)
        return corrupt("shorter than LZX_HDR");
    if (fm_oab_get32(h) != FM_OAB_LZX_VERSION_HI || fm_oab_get32(h + 4) != FM_OAB_LZX_VERSION_LO)
        return corrupt("not a full OAB container (version 3.1)");
    uint32_t max = fm_oab_get32(h + 8), target = fm_oab_get32(h + 12);
    if (max == 0 || max > 64u * 1024u * 1024u)
        return corrupt("ulBlockMax is out of range");
    BYTE *buf = fm_malloc(max);
    if (!buf)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "offline address book container: no memory for a block");
    uint64_t total = 0;
    HRESULT hr = S_OK;
    while (SUCCEEDED(hr) && total < target)
        hr = copy_block(in, out, buf, max, &total);
    fm_free(buf);
    if (SUCCEEDED(hr) && (total != target || fgetc(in) != EOF))
        hr = corrupt("the blocks do not add up to ulTargetSize");
    return hr;
}

HRESULT fm_oab_container_unpack(const char *in_path, const char *out_path)
{
    FILE *in = fopen(in_path, "rb");
    if (!in)
        return fm_oab_io_error(errno, "opening", in_path);
    FILE *out = fopen(out_path, "wb");
    if (!out) {
        int err = errno;
        fclose(in);
        return fm_oab_io_error(err, "creating", out_path);
    }
    HRESULT hr = unpack(in, out);
    fclose(in);
    if (fclose(out) != 0 && SUCCEEDED(hr))
        hr = fm_oab_io_error(errno, "writing", out_path);
    return hr;
}
