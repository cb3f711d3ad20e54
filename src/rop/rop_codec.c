/*
 * rop/rop_codec.c - bounds-checked little-endian readers and growing
 * writers for ROP buffers (rop_codec.h explains the error flags).
 */
#include <string.h>

#include "core/alloc.h"
#include "rop/rop_codec.h"

void fm_rop_reader_init(fm_rop_reader *r, const uint8_t *p, size_t len)
{
    r->p = p;
    r->len = len;
    r->pos = 0;
    r->bad = false;
}

size_t fm_rop_reader_left(const fm_rop_reader *r)
{
    return r->bad ? 0 : r->len - r->pos;
}

const uint8_t *fm_rop_get_bytes(fm_rop_reader *r, size_t n)
{
    const uint8_t *at;

    if (r->bad || n > r->len - r->pos) {
        r->bad = true;
        return NULL;
    }
    at = r->p + r->pos;
    r->pos += n;
    return at;
}

uint8_t fm_rop_get_u8(fm_rop_reader *r)
{
    const uint8_t *b = fm_rop_get_bytes(r, 1);
    return b ? b[0] : 0;
}

uint16_t fm_rop_get_u16(fm_rop_reader *r)
{
    const uint8_t *b = fm_rop_get_bytes(r, 2);
    return b ? (uint16_t)(b[0] | (unsigned)b[1] << 8) : 0;
}

uint32_t fm_rop_get_u32(fm_rop_reader *r)
{
    const uint8_t *b = fm_rop_get_bytes(r, 4);
    return b ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24
             : 0;
}

uint64_t fm_rop_get_u64(fm_rop_reader *r)
{
    uint64_t lo = fm_rop_get_u32(r);
    uint64_t hi = fm_rop_get_u32(r);
    return lo | hi << 32;
}

void fm_rop_writer_clear(fm_rop_writer *w)
{
    fm_free(w->buf);
    memset(w, 0, sizeof(*w));
}

/* Room for n more bytes, or false (and oom) when it cannot be had. */
static bool writer_reserve(fm_rop_writer *w, size_t n)
{
    size_t cap;
    uint8_t *grown;

    if (w->oom)
        return false;
    if (n <= w->cap - w->len)
        return true;
    cap = w->cap ? w->cap : 256;
    while (cap - w->len < n) {
        if (cap > SIZE_MAX / 2) {
            w->oom = true;
            return false;
        }
        cap *= 2;
    }
    grown = fm_realloc(w->buf, cap);
    if (!grown) {
        w->oom = true;
        return false;
    }
    w->buf = grown;
    w->cap = cap;
    return true;
}

void fm_rop_put_bytes(fm_rop_writer *w, const void *p, size_t n)
{
    if (n == 0 || !writer_reserve(w, n))
        return;
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

void fm_rop_put_u8(fm_rop_writer *w, uint8_t v)
{
    fm_rop_put_bytes(w, &v, 1);
}

void fm_rop_put_u16(fm_rop_writer *w, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    fm_rop_put_bytes(w, b, 2);
}

void fm_rop_put_u32(fm_rop_writer *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    fm_rop_put_bytes(w, b, 4);
}

void fm_rop_put_tag_array(fm_rop_writer *w, const SPropTagArray *tags)
{
    ULONG n = tags->cValues > 0xFFFF ? 0xFFFF : tags->cValues;
    fm_rop_put_u16(w, (uint16_t)n);
    for (ULONG i = 0; i < n; i++)
        fm_rop_put_u32(w, tags->aulPropTag[i]);
}

void fm_rop_put_u64(fm_rop_writer *w, uint64_t v)
{
    fm_rop_put_u32(w, (uint32_t)v);
    fm_rop_put_u32(w, (uint32_t)(v >> 32));
}

void fm_rop_patch_u16(fm_rop_writer *w, size_t at, uint16_t v)
{
    if (w->oom || at + 2 > w->len)
        return;
    w->buf[at] = (uint8_t)v;
    w->buf[at + 1] = (uint8_t)(v >> 8);
}
