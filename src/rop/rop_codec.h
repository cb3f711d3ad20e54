/*
 * rop/rop_codec.h - the byte level of the ROP layer ([MS-OXCDATA] 2.1: every
 * integer on the wire is little-endian, whatever the machine).
 *
 * A reader never reads past its buffer: a read that would is refused, sets
 * the reader's `bad` flag and returns zero, so a decoder reads a whole
 * structure and checks the flag once. A writer grows its buffer through
 * fm_realloc; an allocation failure sets `oom` and later writes do nothing,
 * so an encoder writes a whole response and checks the flag once.
 */
#ifndef FREEMAPI_ROP_CODEC_H
#define FREEMAPI_ROP_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mapidefs.h"

typedef struct fm_rop_reader {
    const uint8_t *p;
    size_t len;
    size_t pos;
    bool bad; /* a read went past the end (or a decoder found a bad value) */
} fm_rop_reader;

void fm_rop_reader_init(fm_rop_reader *r, const uint8_t *p, size_t len);
size_t fm_rop_reader_left(const fm_rop_reader *r);
uint8_t fm_rop_get_u8(fm_rop_reader *r);
uint16_t fm_rop_get_u16(fm_rop_reader *r);
uint32_t fm_rop_get_u32(fm_rop_reader *r);
uint64_t fm_rop_get_u64(fm_rop_reader *r);
/* n bytes lent from the buffer, or NULL (and bad) when fewer are left. */
const uint8_t *fm_rop_get_bytes(fm_rop_reader *r, size_t n);

typedef struct fm_rop_writer {
    uint8_t *buf;
    size_t len;
    size_t cap;
    bool oom;
} fm_rop_writer;

/* A writer starts zeroed ({0}); fm_rop_writer_clear frees its buffer. */
void fm_rop_writer_clear(fm_rop_writer *w);
void fm_rop_put_u8(fm_rop_writer *w, uint8_t v);
void fm_rop_put_u16(fm_rop_writer *w, uint16_t v);
void fm_rop_put_u32(fm_rop_writer *w, uint32_t v);
/* PropertyTagCount (2 bytes) and the PropertyTags: the form RopGetPropertiesList
 * and RopQueryColumnsAll answer with (at most 0xFFFF tags). */
void fm_rop_put_tag_array(fm_rop_writer *w, const SPropTagArray *tags);
void fm_rop_put_u64(fm_rop_writer *w, uint64_t v);
void fm_rop_put_bytes(fm_rop_writer *w, const void *p, size_t n);
/* Overwrites two bytes already written at offset at. */
void fm_rop_patch_u16(fm_rop_writer *w, size_t at, uint16_t v);

#endif /* FREEMAPI_ROP_CODEC_H */
