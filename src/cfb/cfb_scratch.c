/*
 * cfb/cfb_scratch.c - stream contents, wherever they are: in the committed
 * file (read in place), or in the scratch file that holds what was written
 * since the last commit.
 *
 * The scratch file is an unlinked temporary file (0600) in $TMPDIR, made at
 * the first write. A stream's scratch data is a list of extents, each
 * reserving room that doubles with the stream's size (up to 1 MiB), so a
 * stream written in small pieces, interleaved with others, stays a short
 * list. Room reserved but never written reads as zeros (the file is
 * sparse), which is also how SetSize grows a stream: an extent's unwritten
 * tail is never reused, and truncating inside an extent gives up its tail.
 * The first write to a stream of the committed file copies it to scratch.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfb/cfb.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"

#define COPY_CHUNK (64u * 1024u)
#define MIN_RESERVE 4096u
#define MAX_RESERVE (1024u * 1024u)

static HRESULT open_scratch(fm_cfb_file *f)
{
    if (f->scratch_fd >= 0)
        return S_OK;
    int fd = -1;
    HRESULT hr = fm_cfb_tmpfile(&fd);
    if (hr != S_OK)
        return hr;
    f->scratch_fd = fd;
    f->scratch_end = 0;
    return S_OK;
}

static HRESULT scratch_pwrite(fm_cfb_file *f, uint64_t off, const void *buf, size_t n)
{
    fm_cfb_backing b = { .kind = CFB_BACK_FD, .fd = f->scratch_fd };
    return fm_cfb_backing_write(&b, off, buf, n);
}

static HRESULT scratch_pread(fm_cfb_file *f, uint64_t off, void *buf, size_t n)
{
    fm_cfb_backing b = { .kind = CFB_BACK_FD, .fd = f->scratch_fd };
    size_t got = 0;
    HRESULT hr = fm_cfb_backing_read(&b, off, buf, n, &got);
    if (hr == S_OK && got < n)
        memset((char *)buf + got, 0, n - got); /* reserved, never written */
    return hr;
}

static void name_utf8(const fm_cfb_node *n, char *buf)
{
    fm_utf16_to_utf8_into(n->name, n->nlen, buf);
}

HRESULT fm_cfb_data_prepare(fm_cfb_file *f, fm_cfb_node *n)
{
    if (n->data != CFB_DATA_SOURCE || n->mapped)
        return S_OK;
    fm_cfb_source *s = &f->src;
    HRESULT hr = S_OK;
    uint32_t unit = n->mini ? CFB_MINI_SECTOR : s->ss;
    uint64_t want = (n->size + unit - 1) / unit;
    char name[3 * CFB_NAME_MAX + 1], what[3 * CFB_NAME_MAX + 16];
    name_utf8(n, name);
    snprintf(what, sizeof what, "stream \"%s\"", name);
    if (n->mini && want > 0)
        hr = fm_cfb_source_map_ministream(s, s->ministream_start, s->ministream_size);
    if (hr == S_OK && want > UINT32_MAX)
        hr = fm_error_set(STG_E_DOCFILECORRUPT, "compound file: %s claims %llu bytes", what,
                          (unsigned long long)n->size);
    if (hr == S_OK && want > 0)
        hr = fm_cfb_source_map(s, n->mini, n->start, (uint32_t)want, true, what, &n->map);
    if (hr == S_OK)
        n->mapped = true;
    return hr;
}

static HRESULT scratch_read(fm_cfb_file *f, fm_cfb_node *n, uint64_t off, unsigned char *o, size_t len)
{
    uint64_t at = 0;
    for (size_t i = 0; i < n->next && len > 0; i++) {
        fm_cfb_extent *e = &n->ext[i];
        if (off < at + e->len) {
            uint64_t in = off - at;
            size_t take = e->len - in < len ? (size_t)(e->len - in) : len;
            HRESULT hr = scratch_pread(f, e->off + in, o, take);
            if (hr != S_OK)
                return hr;
            o += take;
            off += take;
            len -= take;
        }
        at += e->len;
    }
    if (len > 0)
        memset(o, 0, len);
    return S_OK;
}

HRESULT fm_cfb_data_read(fm_cfb_file *f, fm_cfb_node *n, uint64_t off, void *buf, size_t len)
{
    if (len == 0)
        return S_OK;
    switch (n->data) {
    case CFB_DATA_SOURCE: {
        HRESULT hr = fm_cfb_data_prepare(f, n);
        if (hr == S_OK)
            hr = fm_cfb_source_read(&f->src, &n->map, n->mini, off, buf, len);
        return hr;
    }
    case CFB_DATA_SCRATCH: return scratch_read(f, n, off, buf, len);
    default: memset(buf, 0, len); return S_OK;
    }
}

static HRESULT push_extent(fm_cfb_file *f, fm_cfb_node *n, uint64_t need)
{
    if (n->next == n->capext) {
        size_t cap = n->capext ? n->capext * 2 : 4;
        fm_cfb_extent *e = fm_realloc(n->ext, cap * sizeof *e);
        if (e == NULL)
            return fm_error_set(E_OUTOFMEMORY, "compound file: out of memory writing a stream");
        n->ext = e;
        n->capext = cap;
    }
    uint64_t reserve = n->size < MIN_RESERVE ? MIN_RESERVE
                       : n->size > MAX_RESERVE ? MAX_RESERVE
                                               : n->size;
    if (reserve < need)
        reserve = need;
    n->ext[n->next++] = (fm_cfb_extent){ .off = f->scratch_end, .len = 0, .cap = reserve };
    f->scratch_end += reserve;
    return S_OK;
}

/* Appends len bytes (zeros when buf is NULL) at the end of a scratch stream. */
static HRESULT append(fm_cfb_file *f, fm_cfb_node *n, const unsigned char *buf, uint64_t len)
{
    while (len > 0) {
        fm_cfb_extent *e = n->next > 0 ? &n->ext[n->next - 1] : NULL;
        if (e == NULL || e->len == e->cap) {
            uint64_t need = len < MAX_RESERVE ? len : MAX_RESERVE;
            HRESULT hr = push_extent(f, n, need);
            if (hr != S_OK)
                return hr;
            e = &n->ext[n->next - 1];
        }
        uint64_t take = e->cap - e->len < len ? e->cap - e->len : len;
        if (buf != NULL) {
            HRESULT hr = scratch_pwrite(f, e->off + e->len, buf, (size_t)take);
            if (hr != S_OK)
                return hr;
            buf += take;
        }
        e->len += take;
        n->size += take;
        len -= take;
    }
    return S_OK;
}

/* Moves a stream's contents into scratch, so that it can be changed. */
static HRESULT to_scratch(fm_cfb_file *f, fm_cfb_node *n)
{
    if (n->data == CFB_DATA_SCRATCH)
        return S_OK;
    HRESULT hr = open_scratch(f);
    if (hr != S_OK)
        return hr;
    if (n->data == CFB_DATA_NONE || n->size == 0) {
        fm_cfb_node_drop_data(n);
        n->size = 0;
        n->data = CFB_DATA_SCRATCH;
        return S_OK;
    }
    unsigned char *buf = fm_malloc(COPY_CHUNK);
    if (buf == NULL)
        return fm_error_set(E_OUTOFMEMORY, "compound file: out of memory copying a stream");
    fm_cfb_node copy = { .data = CFB_DATA_SCRATCH };
    uint64_t size = n->size;
    for (uint64_t at = 0; hr == S_OK && at < size; at += COPY_CHUNK) {
        size_t take = size - at < COPY_CHUNK ? (size_t)(size - at) : COPY_CHUNK;
        hr = fm_cfb_data_read(f, n, at, buf, take);
        if (hr == S_OK)
            hr = append(f, &copy, buf, take);
    }
    fm_free(buf);
    if (hr != S_OK) {
        fm_free(copy.ext);
        return hr;
    }
    fm_cfb_node_drop_data(n);
    n->data = CFB_DATA_SCRATCH;
    n->ext = copy.ext;
    n->next = copy.next;
    n->capext = copy.capext;
    n->size = copy.size;
    return S_OK;
}

HRESULT fm_cfb_data_write(fm_cfb_file *f, fm_cfb_node *n, uint64_t off, const void *buf, size_t len)
{
    HRESULT hr = to_scratch(f, n);
    if (hr == S_OK && off > n->size)
        hr = append(f, n, NULL, off - n->size);
    const unsigned char *p = buf;
    uint64_t at = 0;
    for (size_t i = 0; hr == S_OK && i < n->next && len > 0 && off < n->size; i++) {
        fm_cfb_extent *e = &n->ext[i];
        if (off < at + e->len) {
            uint64_t in = off - at;
            size_t take = e->len - in < len ? (size_t)(e->len - in) : len;
            hr = scratch_pwrite(f, e->off + in, p, take);
            p += take;
            off += take;
            len -= take;
        }
        at += e->len;
    }
    if (hr == S_OK && len > 0)
        hr = append(f, n, p, len);
    if (hr == S_OK)
        f->dirty = true;
    return hr;
}

HRESULT fm_cfb_data_set_size(fm_cfb_file *f, fm_cfb_node *n, uint64_t size)
{
    if (size == n->size && n->data != CFB_DATA_NONE)
        return S_OK;
    HRESULT hr = to_scratch(f, n);
    if (hr != S_OK)
        return hr;
    f->dirty = true;
    if (size >= n->size)
        return append(f, n, NULL, size - n->size);
    uint64_t at = 0;
    size_t keep = 0;
    for (; keep < n->next && at < size; keep++) {
        fm_cfb_extent *e = &n->ext[keep];
        if (at + e->len > size) {
            e->len = size - at;
            e->cap = e->len; /* the cut tail holds old bytes: never reuse it */
        }
        at += e->len;
    }
    n->next = keep;
    n->size = size;
    return S_OK;
}
