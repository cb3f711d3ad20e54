/*
 * rtf/lzfu.h - the compressed RTF codec of [MS-OXRTFCP]: a 16-byte header
 * (compressed size, raw size, type "LZFu" or "MELA", CRC) and, for LZFu,
 * LZ77 over a 4096-byte dictionary preloaded with common RTF text.
 *
 * The reader decodes from compressed bytes held in memory, a piece at a
 * time, in constant memory whatever the output's size. The writer encodes
 * bytes as they come and hands the compressed bytes to a sink; the header,
 * which holds sizes and the CRC of what follows it, is made at the end
 * (fm_lzfu_writer_header), for the caller to put in front.
 */
#ifndef FREEMAPI_RTF_LZFU_H
#define FREEMAPI_RTF_LZFU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mapicode.h"
#include "mapidefs.h"

#define FM_LZFU_HEADER_SIZE 16
#define FM_LZFU_TYPE_COMPRESSED 0x75465A4Cu   /* "LZFu" */
#define FM_LZFU_TYPE_UNCOMPRESSED 0x414C454Du /* "MELA" */
#define FM_LZFU_DICT_SIZE 4096

/* The CRC of [MS-OXRTFCP] 2.1.3.2 (CRC-32, table 0xEDB88320, from 0, no
 * final inversion), continued from crc over n bytes. */
uint32_t fm_lzfu_crc(uint32_t crc, const uint8_t *p, size_t n);

typedef struct fm_lzfu_reader {
    const uint8_t *in; /* the bytes after the header, lent */
    size_t len, pos;
    uint32_t type, raw_size;
    uint64_t produced;
    uint8_t dict[FM_LZFU_DICT_SIZE];
    uint16_t wpos;
    uint8_t control;
    int bits;                    /* control bits not yet used */
    uint16_t copy_from, copy_left; /* the reference being copied */
    bool done;
} fm_lzfu_reader;

/* Checks the header of the n bytes at data (which must outlive the reader),
 * their size and, for LZFu, the CRC: MAPI_E_CORRUPT_DATA with text when
 * they are not compressed RTF. */
HRESULT fm_lzfu_reader_init(fm_lzfu_reader *r, const uint8_t *data, size_t n);
/* Up to cap bytes of RTF into out; *got 0 at the end. MAPI_E_CORRUPT_DATA
 * when the data runs past the raw size it declared. */
HRESULT fm_lzfu_read(fm_lzfu_reader *r, uint8_t *out, size_t cap, size_t *got);

typedef HRESULT (*fm_lzfu_sink)(void *ctx, const uint8_t *p, size_t n);

typedef struct fm_lzfu_writer fm_lzfu_writer;

/* compress false: the MELA form (the RTF stored as it is). */
HRESULT fm_lzfu_writer_new(bool compress, fm_lzfu_sink sink, void *ctx, fm_lzfu_writer **out);
HRESULT fm_lzfu_writer_write(fm_lzfu_writer *w, const uint8_t *p, size_t n);
/* Ends the data (LZFu's end marker) and fills header[16] for what was
 * written. Nothing may be written after. */
HRESULT fm_lzfu_writer_finish(fm_lzfu_writer *w, uint8_t header[FM_LZFU_HEADER_SIZE]);
void fm_lzfu_writer_free(fm_lzfu_writer *w);

/* Whole buffers: the compressed form of n bytes, and back, as fm_malloc'd
 * blocks (callers fm_free them). */
HRESULT fm_lzfu_compress(const uint8_t *p, size_t n, bool compress, uint8_t **out,
                         size_t *outlen);
HRESULT fm_lzfu_decompress(const uint8_t *p, size_t n, uint8_t **out, size_t *outlen);

#endif /* FREEMAPI_RTF_LZFU_H */
