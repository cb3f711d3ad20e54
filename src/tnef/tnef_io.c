/*
 * tnef/tnef_io.c - TNEF at the byte level: a buffered reader (nested
 * regions that reads may not cross, a running byte sum from which each
 * attribute's checksum is a difference), a buffered writer (the checksum of
 * the attribute being written, or only a count when measuring), and the
 * spool, an IStream held in memory that moves to an unlinked temporary file
 * once it grows past a megabyte. Integers are little-endian in the stream
 * whatever the machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "tnef/tnef_int.h"

/* ---- reader ------------------------------------------------------------------- */
HRESULT tn_io_status(HRESULT hr)
{
    if (hr == STG_E_INSUFFICIENTMEMORY || hr == E_OUTOFMEMORY)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    return hr;
}

HRESULT tn_reader_init(tn_reader *r, IStream *s)
{
    memset(r, 0, sizeof *r);
    r->s = s;
    r->end = UINT64_MAX;
    r->buf = fm_malloc(TN_BUF);
    if (r->buf == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for a read buffer");
    return S_OK;
}

void tn_reader_clear(tn_reader *r)
{
    fm_free(r->buf);
    r->buf = NULL;
}

static HRESULT fill(tn_reader *r)
{
    r->have = r->at = 0;
    if (r->eof)
        return S_OK;
    ULONG got = 0;
    HRESULT hr = IStream_Read(r->s, r->buf, TN_BUF, &got);
    if (FAILED(hr))
        return fm_error_set(tn_io_status(hr), "TNEF: the stream could not be read");
    if (got == 0)
        r->eof = true;
    r->have = got;
    return S_OK;
}

static HRESULT short_stream(const tn_reader *r)
{
    return fm_error_set(MAPI_E_CORRUPT_DATA, r->pos >= r->end
                                                 ? "TNEF: a value runs past its attribute"
                                                 : "TNEF: the stream ends inside an attribute");
}

HRESULT tn_read(tn_reader *r, void *dst, size_t n)
{
    if (n > r->end - r->pos)
        return short_stream(r);
    BYTE *d = dst;
    while (n > 0) {
        if (r->at == r->have) {
            HRESULT hr = fill(r);
            if (hr != S_OK)
                return hr;
            if (r->have == 0)
                return short_stream(r);
        }
        size_t k = r->have - r->at < n ? r->have - r->at : n;
        for (size_t i = 0; i < k; i++)
            r->sum += r->buf[r->at + i];
        if (d != NULL) {
            memcpy(d, r->buf + r->at, k);
            d += k;
        }
        r->at += k;
        r->pos += k;
        n -= k;
    }
    return S_OK;
}

HRESULT tn_skip(tn_reader *r, uint64_t n)
{
    while (n > 0) {
        size_t k = n > SIZE_MAX ? SIZE_MAX : (size_t)n;
        HRESULT hr = tn_read(r, NULL, k);
        if (hr != S_OK)
            return hr;
        n -= k;
    }
    return S_OK;
}

bool tn_more(tn_reader *r)
{
    if (r->at < r->have)
        return true;
    if (fill(r) != S_OK)
        return false;
    return r->have > 0;
}

HRESULT tn_u8(tn_reader *r, BYTE *v)
{
    return tn_read(r, v, 1);
}

HRESULT tn_u16(tn_reader *r, uint16_t *v)
{
    BYTE b[2];
    HRESULT hr = tn_read(r, b, 2);
    *v = (uint16_t)(b[0] | b[1] << 8);
    return hr;
}

HRESULT tn_u32(tn_reader *r, uint32_t *v)
{
    BYTE b[4];
    HRESULT hr = tn_read(r, b, 4);
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return hr;
}

HRESULT tn_copy_out(tn_reader *r, uint64_t n, IStream *dst)
{
    BYTE chunk[8192];
    while (n > 0) {
        size_t k = n < sizeof chunk ? (size_t)n : sizeof chunk;
        HRESULT hr = tn_read(r, chunk, k);
        if (hr != S_OK)
            return hr;
        ULONG wrote = 0;
        hr = IStream_Write(dst, chunk, (ULONG)k, &wrote);
        if (FAILED(hr) || wrote != k)
            return fm_error_set(FAILED(hr) ? tn_io_status(hr) : MAPI_E_DISK_ERROR,
                                "TNEF: a value could not be written into the message");
        n -= k;
    }
    return S_OK;
}

uint64_t tn_limit(tn_reader *r, uint64_t n)
{
    uint64_t old = r->end;
    r->end = n > old - r->pos ? old : r->pos + n;
    return old;
}

void tn_unlimit(tn_reader *r, uint64_t old)
{
    r->end = old;
}

/* ---- writer ------------------------------------------------------------------- */
HRESULT tn_writer_init(tn_writer *w, IStream *s)
{
    memset(w, 0, sizeof *w);
    w->s = s;
    if (s == NULL)
        return S_OK;
    w->buf = fm_malloc(TN_BUF);
    if (w->buf == NULL)
        return w->status =
                   fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for a write buffer");
    return S_OK;
}

HRESULT tn_writer_flush(tn_writer *w)
{
    if (w->s != NULL && w->status == S_OK && w->have > 0) {
        ULONG wrote = 0;
        HRESULT hr = IStream_Write(w->s, w->buf, (ULONG)w->have, &wrote);
        if (FAILED(hr) || wrote != w->have)
            w->status = fm_error_set(FAILED(hr) ? tn_io_status(hr) : MAPI_E_DISK_ERROR,
                                     "TNEF: the stream could not be written");
    }
    w->have = 0;
    return w->status;
}

void tn_writer_clear(tn_writer *w)
{
    fm_free(w->buf);
    w->buf = NULL;
}

void tn_put(tn_writer *w, const void *p, size_t n)
{
    const BYTE *b = p;
    w->count += n;
    for (size_t i = 0; i < n; i++)
        w->sum += b[i];
    if (w->s == NULL || w->status != S_OK)
        return;
    while (n > 0) {
        if (w->have == TN_BUF && tn_writer_flush(w) != S_OK)
            return;
        size_t k = TN_BUF - w->have < n ? TN_BUF - w->have : n;
        memcpy(w->buf + w->have, b, k);
        w->have += k;
        b += k;
        n -= k;
    }
}

void tn_put_u8(tn_writer *w, BYTE v)
{
    tn_put(w, &v, 1);
}

void tn_put_u16(tn_writer *w, uint16_t v)
{
    BYTE b[2] = { (BYTE)v, (BYTE)(v >> 8) };
    tn_put(w, b, 2);
}

void tn_put_u32(tn_writer *w, uint32_t v)
{
    BYTE b[4] = { (BYTE)v, (BYTE)(v >> 8), (BYTE)(v >> 16), (BYTE)(v >> 24) };
    tn_put(w, b, 4);
}

void tn_put_u64(tn_writer *w, uint64_t v)
{
    tn_put_u32(w, (uint32_t)v);
    tn_put_u32(w, (uint32_t)(v >> 32));
}

void tn_put_zeros(tn_writer *w, size_t n)
{
    static const BYTE zero[8];
    while (n > 0) {
        size_t k = n < sizeof zero ? n : sizeof zero;
        tn_put(w, zero, k);
        n -= k;
    }
}

void tn_put_stream(tn_writer *w, IStream *s)
{
    if (tn_stream_rewind(s) != S_OK) {
        if (w->status == S_OK)
            w->status = fm_error_set(MAPI_E_CALL_FAILED, "TNEF: a value could not be reread");
        return;
    }
    BYTE chunk[8192];
    for (;;) {
        ULONG got = 0;
        HRESULT hr = IStream_Read(s, chunk, sizeof chunk, &got);
        if (FAILED(hr)) {
            if (w->status == S_OK)
                w->status = fm_error_set(tn_io_status(hr), "TNEF: a value's stream could not be read");
            return;
        }
        if (got == 0)
            return;
        tn_put(w, chunk, got);
    }
}

void tn_att_begin(tn_writer *w, BYTE level, ULONG id, uint32_t len)
{
    tn_put_u8(w, level);
    tn_put_u32(w, id);
    tn_put_u32(w, len);
    w->sum = 0;
}

void tn_att_end(tn_writer *w)
{
    tn_put_u16(w, (uint16_t)(w->sum & 0xFFFF));
}

/* ---- the spool ---------------------------------------------------------------- */
#define SPOOL_MEM (1024 * 1024)

typedef struct spool {
    IStream base;
    atomic_ulong refs;
    BYTE *mem;      /* the bytes while in memory */
    size_t cap;
    int fd;         /* once in a file */
    uint64_t size, pos;
} spool;

static spool *sp(IStream *p)
{
    return (spool *)p;
}

static HRESULT STDMETHODCALLTYPE spool_QueryInterface(IStream *This, REFIID riid, LPVOID *out)
{
    if (out == NULL || riid == NULL)
        return E_POINTER;
    if (!IsEqualGUID(riid, &IID_IUnknown) && !IsEqualGUID(riid, &IID_IStream) &&
        !IsEqualGUID(riid, &IID_ISequentialStream)) {
        *out = NULL;
        return E_NOINTERFACE;
    }
    atomic_fetch_add(&sp(This)->refs, 1);
    *out = This;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE spool_AddRef(IStream *This)
{
    return (ULONG)(atomic_fetch_add(&sp(This)->refs, 1) + 1);
}

static ULONG STDMETHODCALLTYPE spool_Release(IStream *This)
{
    spool *s = sp(This);
    ULONG left = (ULONG)(atomic_fetch_sub(&s->refs, 1) - 1);
    if (left == 0) {
        if (s->fd >= 0)
            close(s->fd);
        fm_free(s->mem);
        fm_free(s);
    }
    return left;
}

static HRESULT STDMETHODCALLTYPE spool_Read(IStream *This, void *pv, ULONG cb, ULONG *pcbRead)
{
    spool *s = sp(This);
    if (pcbRead != NULL)
        *pcbRead = 0;
    if (pv == NULL)
        return STG_E_INVALIDPOINTER;
    uint64_t n = s->pos < s->size ? s->size - s->pos : 0;
    if (n > cb)
        n = cb;
    if (n == 0) {
        /* nothing to copy (an empty spool has no buffer) */
    } else if (s->fd < 0) {
        memcpy(pv, s->mem + s->pos, (size_t)n);
    } else {
        size_t done = 0;
        while (done < n) {
            ssize_t k = pread(s->fd, (BYTE *)pv + done, (size_t)n - done,
                              (off_t)(s->pos + done));
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                return STG_E_READFAULT;
            done += (size_t)k;
        }
    }
    s->pos += n;
    if (pcbRead != NULL)
        *pcbRead = (ULONG)n;
    return S_OK;
}

/* Moves the bytes to an unlinked temporary file (0600). */
static HRESULT to_file(spool *s)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/freemapi-tnef-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return STG_E_MEDIUMFULL;
    unlink(path);
    size_t done = 0;
    while (done < s->size) {
        ssize_t k = write(fd, s->mem + done, (size_t)s->size - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            close(fd);
            return STG_E_MEDIUMFULL;
        }
        done += (size_t)k;
    }
    fm_free(s->mem);
    s->mem = NULL;
    s->cap = 0;
    s->fd = fd;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE spool_Write(IStream *This, const void *pv, ULONG cb,
                                          ULONG *pcbWritten)
{
    spool *s = sp(This);
    if (pcbWritten != NULL)
        *pcbWritten = 0;
    if (pv == NULL)
        return STG_E_INVALIDPOINTER;
    if (cb == 0)
        return S_OK;
    uint64_t end = s->pos + cb;
    if (s->fd < 0 && end > SPOOL_MEM) {
        HRESULT hr = to_file(s);
        if (hr != S_OK)
            return hr;
    }
    if (s->fd < 0) {
        if (end > s->cap) {
            size_t cap = s->cap ? s->cap : 4096;
            while (cap < end)
                cap *= 2;
            BYTE *m = fm_realloc(s->mem, cap);
            if (m == NULL)
                return STG_E_INSUFFICIENTMEMORY;
            s->mem = m;
            s->cap = cap;
        }
        if (s->pos > s->size)
            memset(s->mem + s->size, 0, (size_t)(s->pos - s->size));
        memcpy(s->mem + s->pos, pv, cb);
    } else {
        size_t done = 0;
        while (done < cb) {
            ssize_t k = pwrite(s->fd, (const BYTE *)pv + done, cb - done,
                               (off_t)(s->pos + done));
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                return STG_E_MEDIUMFULL;
            done += (size_t)k;
        }
    }
    s->pos = end;
    if (end > s->size)
        s->size = end;
    if (pcbWritten != NULL)
        *pcbWritten = cb;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE spool_Seek(IStream *This, LARGE_INTEGER move, DWORD origin,
                                         ULARGE_INTEGER *newpos)
{
    spool *s = sp(This);
    int64_t base = origin == STREAM_SEEK_SET   ? 0
                   : origin == STREAM_SEEK_CUR ? (int64_t)s->pos
                   : origin == STREAM_SEEK_END ? (int64_t)s->size
                                               : -1;
    if (base < 0)
        return STG_E_INVALIDFUNCTION;
    int64_t to = base + move.QuadPart;
    if (to < 0)
        return STG_E_INVALIDFUNCTION;
    s->pos = (uint64_t)to;
    if (newpos != NULL)
        newpos->QuadPart = s->pos;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE spool_SetSize(IStream *This, ULARGE_INTEGER size)
{
    spool *s = sp(This);
    if (size.QuadPart > s->size) {
        uint64_t keep = s->pos;
        s->pos = size.QuadPart - 1;
        BYTE zero = 0;
        HRESULT hr = spool_Write(This, &zero, 1, NULL);
        s->pos = keep;
        return hr;
    }
    if (s->fd >= 0 && ftruncate(s->fd, (off_t)size.QuadPart) != 0)
        return STG_E_MEDIUMFULL;
    s->size = size.QuadPart;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE spool_CopyTo(IStream *This, IStream *dst, ULARGE_INTEGER cb,
                                            ULARGE_INTEGER *pcbRead, ULARGE_INTEGER *pcbWritten)
{
    BYTE chunk[8192];
    uint64_t left = cb.QuadPart, done = 0;
    while (left > 0) {
        ULONG got = 0, wrote = 0;
        HRESULT hr = spool_Read(This, chunk, left < sizeof chunk ? (ULONG)left : sizeof chunk,
                             &got);
        if (hr != S_OK)
            return hr;
        if (got == 0)
            break;
        hr = IStream_Write(dst, chunk, got, &wrote);
        if (FAILED(hr))
            return hr;
        done += got;
        left -= got;
    }
    if (pcbRead != NULL)
        pcbRead->QuadPart = done;
    if (pcbWritten != NULL)
        pcbWritten->QuadPart = done;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE spool_Commit(IStream *This, DWORD flags)
{
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE spool_Revert(IStream *This)
{
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE spool_LockRegion(IStream *This, ULARGE_INTEGER off, ULARGE_INTEGER cb,
                                         DWORD type)
{
    return STG_E_INVALIDFUNCTION;
}

static HRESULT STDMETHODCALLTYPE spool_Stat(IStream *This, STATSTG *st, DWORD flag)
{
    if (st == NULL)
        return STG_E_INVALIDPOINTER;
    memset(st, 0, sizeof *st);
    st->type = STGTY_STREAM;
    st->cbSize.QuadPart = sp(This)->size;
    st->grfMode = STGM_READWRITE;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE spool_Clone(IStream *This, IStream **out)
{
    if (out != NULL)
        *out = NULL;
    return STG_E_INVALIDFUNCTION;
}

static const IStreamVtbl SPOOL_VTBL = {
    spool_QueryInterface, spool_AddRef, spool_Release, spool_Read, spool_Write, spool_Seek, spool_SetSize,
    spool_CopyTo,         spool_Commit,  spool_Revert,  spool_LockRegion, spool_LockRegion,  spool_Stat, spool_Clone,
};

HRESULT tn_spool_new(IStream **out)
{
    spool *s = fm_calloc(1, sizeof *s);
    if (s == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for a spool");
    s->base.lpVtbl = &SPOOL_VTBL;
    atomic_init(&s->refs, 1);
    s->fd = -1;
    *out = &s->base;
    return S_OK;
}

uint64_t tn_stream_size(IStream *s)
{
    STATSTG st;
    memset(&st, 0, sizeof st);
    if (IStream_Stat(s, &st, STATFLAG_NONAME) != S_OK)
        return 0;
    return st.cbSize.QuadPart;
}

HRESULT tn_stream_rewind(IStream *s)
{
    LARGE_INTEGER zero = { .QuadPart = 0 };
    return IStream_Seek(s, zero, STREAM_SEEK_SET, NULL);
}
