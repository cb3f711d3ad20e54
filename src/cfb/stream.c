/*
 * cfb/stream.c - IStream over a stream of a compound file (mapiwin.h).
 *
 * Reads come from wherever the stream's bytes are (the committed file or
 * scratch, cfb_scratch.c); the first write moves it to scratch. Streams are
 * direct: Commit and Revert on a stream do nothing, the root storage's
 * Commit writes them. Region locks are not supported by compound files
 * (STG_E_INVALIDFUNCTION, as on Windows). CopyTo reads under this file's
 * lock and writes to the destination without it, so the destination may be
 * a stream of the same file.
 */
#include <string.h>

#include "cfb/cfb.h"
#include "core/alloc.h"
#include "core/error.h"
#include "mapiguid.h"

#define COPY_CHUNK (64u * 1024u)
#define STREAM_MAX ((uint64_t)INT64_MAX)

static fm_cfb_stream *stream_of(IStream *This)
{
    return (fm_cfb_stream *)This;
}

static HRESULT live(const fm_cfb_stream *s, const char *fn)
{
    if (s->node->detached)
        return fm_error_set(STG_E_REVERTED, "IStream::%s: the stream was reverted or destroyed",
                            fn);
    return S_OK;
}

static STDMETHODIMP stm_QueryInterface(IStream *This, REFIID riid, LPVOID *ppv)
{
    if (ppv == NULL)
        return E_POINTER;
    *ppv = NULL;
    if (riid == NULL)
        return E_INVALIDARG;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IStream) ||
        IsEqualIID(riid, &IID_ISequentialStream)) {
        atomic_fetch_add(&stream_of(This)->refs, 1);
        *ppv = This;
        return S_OK;
    }
    return E_NOINTERFACE;
}

static STDMETHODIMP_(ULONG) stm_AddRef(IStream *This)
{
    return atomic_fetch_add(&stream_of(This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) stm_Release(IStream *This)
{
    fm_cfb_stream *s = stream_of(This);
    ULONG left = atomic_fetch_sub(&s->refs, 1) - 1;
    if (left > 0)
        return left;
    fm_cfb_file *f = s->f;
    pthread_mutex_lock(&f->lock);
    fm_cfb_node_unref(s->node);
    pthread_mutex_unlock(&f->lock);
    fm_cfb_file_release(f);
    fm_free(s);
    return 0;
}

/* Reads up to cb bytes at the position (the lock held). */
static HRESULT read_locked(fm_cfb_stream *s, void *pv, ULONG cb, ULONG *got)
{
    *got = 0;
    HRESULT hr = live(s, "Read");
    if (hr == S_OK && (s->mode & 0x3u) == STGM_WRITE)
        hr = fm_error_set(STG_E_ACCESSDENIED, "IStream::Read: the stream is open write-only");
    if (hr != S_OK || s->pos >= s->node->size)
        return hr;
    uint64_t left = s->node->size - s->pos;
    ULONG n = left < cb ? (ULONG)left : cb;
    hr = fm_cfb_data_read(s->f, s->node, s->pos, pv, n);
    if (hr == S_OK) {
        s->pos += n;
        *got = n;
    }
    return hr;
}

static STDMETHODIMP stm_Read(IStream *This, void *pv, ULONG cb, ULONG *pcbRead)
{
    fm_cfb_stream *s = stream_of(This);
    ULONG got = 0;
    if (pcbRead != NULL)
        *pcbRead = 0;
    if (pv == NULL && cb > 0)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::Read: pv is NULL");
    pthread_mutex_lock(&s->f->lock);
    HRESULT hr = read_locked(s, pv, cb, &got);
    pthread_mutex_unlock(&s->f->lock);
    if (pcbRead != NULL)
        *pcbRead = got;
    return hr;
}

static STDMETHODIMP stm_Write(IStream *This, const void *pv, ULONG cb, ULONG *pcbWritten)
{
    fm_cfb_stream *s = stream_of(This);
    if (pcbWritten != NULL)
        *pcbWritten = 0;
    if (pv == NULL && cb > 0)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::Write: pv is NULL");
    pthread_mutex_lock(&s->f->lock);
    HRESULT hr = live(s, "Write");
    if (hr == S_OK && !fm_cfb_mode_can_write(s->mode))
        hr = fm_error_set(STG_E_ACCESSDENIED, "IStream::Write: the stream is open read-only");
    if (hr == S_OK && s->pos + cb > STREAM_MAX)
        hr = fm_error_set(STG_E_MEDIUMFULL, "IStream::Write: past the largest stream size");
    if (hr == S_OK && cb > 0)
        hr = fm_cfb_data_write(s->f, s->node, s->pos, pv, cb);
    if (hr == S_OK) {
        s->pos += cb;
        if (pcbWritten != NULL)
            *pcbWritten = cb;
    }
    pthread_mutex_unlock(&s->f->lock);
    return hr;
}

static STDMETHODIMP stm_Seek(IStream *This, LARGE_INTEGER dlibMove, DWORD dwOrigin,
                             ULARGE_INTEGER *plibNewPosition)
{
    fm_cfb_stream *s = stream_of(This);
    pthread_mutex_lock(&s->f->lock);
    HRESULT hr = live(s, "Seek");
    int64_t base = 0;
    if (hr == S_OK) {
        switch (dwOrigin) {
        case STREAM_SEEK_SET: base = 0; break;
        case STREAM_SEEK_CUR: base = (int64_t)s->pos; break;
        case STREAM_SEEK_END: base = (int64_t)s->node->size; break;
        default: hr = fm_error_set(STG_E_INVALIDFUNCTION, "IStream::Seek: unknown origin %lu",
                                   (unsigned long)dwOrigin);
        }
    }
    int64_t to = 0;
    if (hr == S_OK && __builtin_add_overflow(base, dlibMove.QuadPart, &to))
        hr = fm_error_set(STG_E_INVALIDFUNCTION, "IStream::Seek: the position overflows");
    if (hr == S_OK && to < 0)
        hr = fm_error_set(STG_E_INVALIDFUNCTION, "IStream::Seek: before the start");
    if (hr == S_OK) {
        s->pos = (uint64_t)to;
        if (plibNewPosition != NULL)
            plibNewPosition->QuadPart = s->pos;
    }
    pthread_mutex_unlock(&s->f->lock);
    return hr;
}

static STDMETHODIMP stm_SetSize(IStream *This, ULARGE_INTEGER libNewSize)
{
    fm_cfb_stream *s = stream_of(This);
    pthread_mutex_lock(&s->f->lock);
    HRESULT hr = live(s, "SetSize");
    if (hr == S_OK && !fm_cfb_mode_can_write(s->mode))
        hr = fm_error_set(STG_E_ACCESSDENIED, "IStream::SetSize: the stream is open read-only");
    if (hr == S_OK && libNewSize.QuadPart > STREAM_MAX)
        hr = fm_error_set(STG_E_MEDIUMFULL, "IStream::SetSize: past the largest stream size");
    if (hr == S_OK)
        hr = fm_cfb_data_set_size(s->f, s->node, libNewSize.QuadPart);
    pthread_mutex_unlock(&s->f->lock);
    return hr;
}

static STDMETHODIMP stm_CopyTo(IStream *This, IStream *pstm, ULARGE_INTEGER cb,
                               ULARGE_INTEGER *pcbRead, ULARGE_INTEGER *pcbWritten)
{
    fm_cfb_stream *s = stream_of(This);
    if (pstm == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::CopyTo: pstm is NULL");
    unsigned char *buf = fm_malloc(COPY_CHUNK);
    if (buf == NULL)
        return fm_error_set(E_OUTOFMEMORY, "IStream::CopyTo: out of memory");
    uint64_t done_r = 0, done_w = 0;
    HRESULT hr = S_OK;
    while (hr == S_OK && done_r < cb.QuadPart) {
        uint64_t want = cb.QuadPart - done_r < COPY_CHUNK ? cb.QuadPart - done_r : COPY_CHUNK;
        ULONG got = 0, put = 0;
        pthread_mutex_lock(&s->f->lock);
        hr = read_locked(s, buf, (ULONG)want, &got);
        pthread_mutex_unlock(&s->f->lock);
        if (hr != S_OK || got == 0)
            break;
        done_r += got;
        hr = IStream_Write(pstm, buf, got, &put);
        if (SUCCEEDED(hr))
            hr = S_OK;
        done_w += put;
        if (hr == S_OK && put < got)
            hr = fm_error_set(STG_E_MEDIUMFULL, "IStream::CopyTo: the destination took %lu of "
                              "%lu bytes", (unsigned long)put, (unsigned long)got);
    }
    fm_free(buf);
    if (pcbRead != NULL)
        pcbRead->QuadPart = done_r;
    if (pcbWritten != NULL)
        pcbWritten->QuadPart = done_w;
    return hr;
}

static STDMETHODIMP stm_Commit(IStream *This, DWORD grfCommitFlags)
{
    fm_cfb_stream *s = stream_of(This);
    pthread_mutex_lock(&s->f->lock);
    HRESULT hr = live(s, "Commit");
    pthread_mutex_unlock(&s->f->lock);
    (void)grfCommitFlags;
    return hr;
}

static STDMETHODIMP stm_Revert(IStream *This)
{
    fm_cfb_stream *s = stream_of(This);
    pthread_mutex_lock(&s->f->lock);
    HRESULT hr = live(s, "Revert");
    pthread_mutex_unlock(&s->f->lock);
    return hr;
}

static STDMETHODIMP stm_LockRegion(IStream *This, ULARGE_INTEGER libOffset, ULARGE_INTEGER cb,
                                   DWORD dwLockType)
{
    return fm_error_set(STG_E_INVALIDFUNCTION, "IStream::LockRegion: compound file streams "
                                               "do not lock regions");
}

static STDMETHODIMP stm_UnlockRegion(IStream *This, ULARGE_INTEGER libOffset, ULARGE_INTEGER cb,
                                     DWORD dwLockType)
{
    return fm_error_set(STG_E_INVALIDFUNCTION, "IStream::UnlockRegion: compound file streams "
                                               "do not lock regions");
}

static STDMETHODIMP stm_Stat(IStream *This, STATSTG *pstatstg, DWORD grfStatFlag)
{
    fm_cfb_stream *s = stream_of(This);
    if (pstatstg == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::Stat: pstatstg is NULL");
    if (grfStatFlag & ~(DWORD)(STATFLAG_NONAME | STATFLAG_NOOPEN))
        return fm_error_set(STG_E_INVALIDFLAG, "IStream::Stat: unknown flags");
    pthread_mutex_lock(&s->f->lock);
    HRESULT hr = live(s, "Stat");
    if (hr == S_OK)
        hr = fm_cfb_stat_fill(s->node, s->mode, grfStatFlag, NULL, pstatstg);
    pthread_mutex_unlock(&s->f->lock);
    return hr;
}

static STDMETHODIMP stm_Clone(IStream *This, IStream **ppstm)
{
    fm_cfb_stream *s = stream_of(This);
    if (ppstm == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::Clone: ppstm is NULL");
    *ppstm = NULL;
    pthread_mutex_lock(&s->f->lock);
    HRESULT hr = live(s, "Clone");
    if (hr == S_OK)
        hr = fm_cfb_stream_new(s->f, s->node, s->mode, s->pos, ppstm);
    pthread_mutex_unlock(&s->f->lock);
    return hr;
}

static const IStreamVtbl STREAM_VTBL = {
    .QueryInterface = stm_QueryInterface,
    .AddRef = stm_AddRef,
    .Release = stm_Release,
    .Read = stm_Read,
    .Write = stm_Write,
    .Seek = stm_Seek,
    .SetSize = stm_SetSize,
    .CopyTo = stm_CopyTo,
    .Commit = stm_Commit,
    .Revert = stm_Revert,
    .LockRegion = stm_LockRegion,
    .UnlockRegion = stm_UnlockRegion,
    .Stat = stm_Stat,
    .Clone = stm_Clone,
};

HRESULT fm_cfb_stream_new(fm_cfb_file *f, fm_cfb_node *node, DWORD mode, uint64_t pos, IStream **out)
{
    fm_cfb_stream *s = fm_calloc(1, sizeof *s);
    if (s == NULL)
        return fm_error_set(E_OUTOFMEMORY, "IStream: out of memory");
    s->iface.lpVtbl = &STREAM_VTBL;
    atomic_init(&s->refs, 1);
    s->f = f;
    s->node = node;
    s->mode = mode;
    s->pos = pos;
    node->refs++;
    fm_cfb_file_addref(f);
    *out = &s->iface;
    return S_OK;
}
