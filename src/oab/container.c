/*
 * oab/container.c - the compressed container of [MS-OXOAB] around the full
 * details file: LZX_HDR (ulVersionHi 3, ulVersionLo 1, ulBlockMax,
 * ulTargetSize) followed by LZX_BLK blocks (ulFlags, ulCompSize,
 * ulUncompSize, ulCRC, data), each holding at most ulBlockMax bytes of the
 * file, with ulCRC the CRC of the block's uncompressed bytes (crc.c).
 *
 * Each block says whether it is LZX-compressed (ulFlags 1, lzx.c) or
 * stored (ulFlags 0); blocks are compressed unless the caller asks for
 * stored ones, and a block that does not shrink is stored.
 *
 * The first block holds OAB_HDR, which is only known at the end, and
 * LZX_HDR needs the total size; so the first block - a small one, always
 * stored, so that its size is known in advance - stays in memory, the
 * others are written as they fill, and finish writes LZX_HDR and the first
 * block into the room left for them at the start of the file.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "oab/oab.h"

struct fm_oab_container {
    fm_oab_sink sink; /* first: the sink's callbacks get the container */
    int fd;
    const char *path;
    size_t block_max, first_max;
    BYTE *first; /* LZX_HDR + LZX_BLK + first_max bytes */
    size_t first_len;
    BYTE *cur; /* LZX_BLK + block_max bytes */
    size_t cur_len;
    fm_oab_lzx *lzx; /* NULL: store every block */
    BYTE *packed;    /* LZX_BLK + block_max bytes */
    uint64_t next_off; /* where the next full block goes */
    uint64_t total;    /* uncompressed bytes so far */
};

/* The CRC is always that of the uncompressed bytes. */
static void put_block_header(BYTE *p, uint32_t flags, size_t stored, const BYTE *data, size_t n)
{
    fm_oab_put32(p, flags);
    fm_oab_put32(p + 4, (uint32_t)stored);
    fm_oab_put32(p + 8, (uint32_t)n);
    fm_oab_put32(p + 12, fm_oab_crc32(FM_OAB_CRC_INIT, data, n));
}

static HRESULT flush_cur(fm_oab_container *c)
{
    BYTE *data = c->cur + FM_OAB_LZX_BLK_SIZE, *block = c->cur;
    size_t packed = c->lzx ? fm_oab_lzx_compress(c->lzx, data, c->cur_len,
                                                 c->packed + FM_OAB_LZX_BLK_SIZE, c->block_max)
                           : 0;
    if (packed) {
        block = c->packed;
        put_block_header(block, FM_OAB_BLK_LZX, packed, data, c->cur_len);
    } else {
        packed = c->cur_len;
        put_block_header(block, FM_OAB_BLK_STORED, packed, data, c->cur_len);
    }
    size_t n = FM_OAB_LZX_BLK_SIZE + packed;
    HRESULT hr = fm_oab_pwrite_all(c->fd, block, n, c->next_off, c->path);
    if (SUCCEEDED(hr)) {
        c->next_off += n;
        c->cur_len = 0;
    }
    return hr;
}

static size_t fill(BYTE *dst, size_t *len, size_t cap, const BYTE **data, size_t *n)
{
    size_t take = cap - *len < *n ? cap - *len : *n;
    memcpy(dst + *len, *data, take);
    *len += take;
    *data += take;
    *n -= take;
    return take;
}

static HRESULT container_write(fm_oab_sink *s, const BYTE *data, size_t n)
{
    fm_oab_container *c = (fm_oab_container *)s;
    c->total += n;
    BYTE *first = c->first + FM_OAB_LZX_HDR_SIZE + FM_OAB_LZX_BLK_SIZE;
    if (c->first_len < c->first_max)
        fill(first, &c->first_len, c->first_max, &data, &n);
    while (n > 0) {
        fill(c->cur + FM_OAB_LZX_BLK_SIZE, &c->cur_len, c->block_max, &data, &n);
        if (c->cur_len == c->block_max) {
            HRESULT hr = flush_cur(c);
            if (FAILED(hr))
                return hr;
        }
    }
    return S_OK;
}

static HRESULT container_finish(fm_oab_sink *s, const BYTE *head, size_t n)
{
    fm_oab_container *c = (fm_oab_container *)s;
    if (c->cur_len > 0) {
        HRESULT hr = flush_cur(c);
        if (FAILED(hr))
            return hr;
    }
    BYTE *first = c->first + FM_OAB_LZX_HDR_SIZE + FM_OAB_LZX_BLK_SIZE;
    if (n > c->first_len)
        return fm_error_set(MAPI_E_CALL_FAILED, "offline address book: the file is shorter than its header");
    memcpy(first, head, n);
    fm_oab_put32(c->first, FM_OAB_LZX_VERSION_HI);
    fm_oab_put32(c->first + 4, FM_OAB_LZX_VERSION_LO);
    fm_oab_put32(c->first + 8, (uint32_t)c->block_max);
    fm_oab_put32(c->first + 12, (uint32_t)c->total);
    put_block_header(c->first + FM_OAB_LZX_HDR_SIZE, FM_OAB_BLK_STORED, c->first_len, first,
                     c->first_len);
    HRESULT hr = fm_oab_pwrite_all(c->fd, c->first,
                                   FM_OAB_LZX_HDR_SIZE + FM_OAB_LZX_BLK_SIZE + c->first_len, 0,
                                   c->path);
    if (SUCCEEDED(hr) && fdatasync(c->fd) != 0)
        hr = fm_oab_io_error(errno, "flushing", c->path);
    return hr;
}

HRESULT fm_oab_container_open(int fd, const char *path, ULONG cbBlockMax, bool compress,
                              fm_oab_container **out)
{
    *out = NULL;
    size_t first_max = cbBlockMax < FM_OAB_FIRST_BLOCK ? cbBlockMax : FM_OAB_FIRST_BLOCK;
    fm_oab_container *c = fm_calloc(1, sizeof *c);
    HRESULT hr = c ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    if (c) {
        c->first = fm_malloc(FM_OAB_LZX_HDR_SIZE + FM_OAB_LZX_BLK_SIZE + first_max);
        c->cur = fm_malloc(FM_OAB_LZX_BLK_SIZE + (size_t)cbBlockMax);
        if (!c->first || !c->cur)
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (SUCCEEDED(hr) && compress) {
        c->packed = fm_malloc(FM_OAB_LZX_BLK_SIZE + (size_t)cbBlockMax);
        hr = c->packed ? fm_oab_lzx_new(cbBlockMax, &c->lzx) : MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (FAILED(hr)) {
        fm_oab_container_free(c);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "offline address book: no memory for the container's blocks");
    }
    c->sink.write = container_write;
    c->sink.finish = container_finish;
    c->fd = fd;
    c->path = path;
    c->block_max = cbBlockMax;
    c->first_max = first_max;
    c->next_off = FM_OAB_LZX_HDR_SIZE + FM_OAB_LZX_BLK_SIZE + (uint64_t)first_max;
    *out = c;
    return S_OK;
}

fm_oab_sink *fm_oab_container_sink(fm_oab_container *c)
{
    return &c->sink;
}

uint64_t fm_oab_container_size(const fm_oab_container *c)
{
    if (c->total <= c->first_max)
        return FM_OAB_LZX_HDR_SIZE + FM_OAB_LZX_BLK_SIZE + c->first_len;
    return c->next_off;
}

void fm_oab_container_free(fm_oab_container *c)
{
    if (!c)
        return;
    fm_free(c->first);
    fm_free(c->cur);
    fm_free(c->packed);
    fm_oab_lzx_free(c->lzx);
    fm_free(c);
}
