/*
 * cfb/memstream.c - an IStream over a growable block of memory.
 *
 * For values already in memory (a property GetProps returns whole, opened
 * again with OpenProperty) and for tests that need an IStream to put a
 * compound file in. Thread-safe like every other stream (one mutex).
 * Memory grows with what is written: not for unbounded data.
 */
#include <pthread.h>
#include <string.h>

#include "cfb/cfb.h"
#include "core/alloc.h"
#include "core/error.h"
#include "mapiguid.h"

typedef struct memstream {
    IStream iface;
    _Atomic ULONG refs;
    pthread_mutex_t lock;
    unsigned char *data;
    size_t size, cap, pos;
    bool writable;
} memstream;

static memstream *ms_of(IStream *This)
{
    return (memstream *)This;
}

static STDMETHODIMP ms_QueryInterface(IStream *This, REFIID riid, LPVOID *ppv)
{
    if (ppv == NULL)
        return E_POINTER;
    *ppv = NULL;
    if (riid != NULL && (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IStream) ||
                         IsEqualIID(riid, &IID_ISequentialStream))) {
        atomic_fetch_add(&ms_of(This)->refs, 1);
        *ppv = This;
        return S_OK;
    }
    return E_NOINTERFACE;
}

static STDMETHODIMP_(ULONG) ms_AddRef(IStream *This)
{
    return atomic_fetch_add(&ms_of(This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) ms_Release(IStream *This)
{
    memstream *m = ms_of(This);
    ULONG left = atomic_fetch_sub(&m->refs, 1) - 1;
    if (left == 0) {
        pthread_mutex_destroy(&m->lock);
        fm_free(m->data);
        fm_free(m);
    }
    return left;
}

static STDMETHODIMP ms_Read(IStream *This, void *pv, ULONG cb, ULONG *pcbRead)
{
    memstream *m = ms_of(This);
    if (pv == NULL && cb > 0)
        return STG_E_INVALIDPOINTER;
    pthread_mutex_lock(&m->lock);
    size_t n = m->pos < m->size ? m->size - m->pos : 0;
    if (n > cb)
        n = cb;
    if (n > 0)
        memcpy(pv, m->data + m->pos, n);
    m->pos += n;
    pthread_mutex_unlock(&m->lock);
    if (pcbRead != NULL)
        *pcbRead = (ULONG)n;
    return S_OK;
}

static HRESULT grow(memstream *m, size_t need)
{
    if (need <= m->cap)
        return S_OK;
    size_t cap = m->cap ? m->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    unsigned char *d = fm_realloc(m->data, cap);
    if (d == NULL)
        return fm_error_set(E_OUTOFMEMORY, "IStream: out of memory");
    memset(d + m->cap, 0, cap - m->cap);
    m->data = d;
    m->cap = cap;
    return S_OK;
}

static STDMETHODIMP ms_Write(IStream *This, const void *pv, ULONG cb, ULONG *pcbWritten)
{
    memstream *m = ms_of(This);
    if (pcbWritten != NULL)
        *pcbWritten = 0;
    if (!m->writable)
        return fm_error_set(STG_E_ACCESSDENIED, "IStream::Write: the stream is read-only");
    if (pv == NULL && cb > 0)
        return STG_E_INVALIDPOINTER;
    pthread_mutex_lock(&m->lock);
    HRESULT hr = m->pos + cb < m->pos ? fm_error_set(STG_E_MEDIUMFULL, "IStream: too large")
                                      : grow(m, m->pos + cb);
    if (hr == S_OK) {
        if (cb > 0)
            memcpy(m->data + m->pos, pv, cb);
        m->pos += cb;
        if (m->pos > m->size)
            m->size = m->pos;
        if (pcbWritten != NULL)
            *pcbWritten = cb;
    }
    pthread_mutex_unlock(&m->lock);
    return hr;
}

static STDMETHODIMP ms_Seek(IStream *This, LARGE_INTEGER dlibMove, DWORD dwOrigin,
                            ULARGE_INTEGER *plibNewPosition)
{
    memstream *m = ms_of(This);
    pthread_mutex_lock(&m->lock);
    int64_t base = dwOrigin == STREAM_SEEK_SET   ? 0
                   : dwOrigin == STREAM_SEEK_CUR ? (int64_t)m->pos
                   : dwOrigin == STREAM_SEEK_END ? (int64_t)m->size
                                                 : -1;
    int64_t to = 0;
    HRESULT hr = S_OK;
    if (base < 0 || __builtin_add_overflow(base, dlibMove.QuadPart, &to) || to < 0)
        hr = STG_E_INVALIDFUNCTION;
    else
        m->pos = (size_t)to;
    if (hr == S_OK && plibNewPosition != NULL)
        plibNewPosition->QuadPart = m->pos;
    pthread_mutex_unlock(&m->lock);
    return hr;
}

static STDMETHODIMP ms_SetSize(IStream *This, ULARGE_INTEGER libNewSize)
{
    memstream *m = ms_of(This);
    if (!m->writable)
        return fm_error_set(STG_E_ACCESSDENIED, "IStream::SetSize: the stream is read-only");
    if (libNewSize.QuadPart > SIZE_MAX)
        return STG_E_MEDIUMFULL;
    pthread_mutex_lock(&m->lock);
    size_t n = (size_t)libNewSize.QuadPart;
    HRESULT hr = grow(m, n);
    if (hr == S_OK) {
        if (n < m->size)
            memset(m->data + n, 0, m->size - n);
        m->size = n;
    }
    pthread_mutex_unlock(&m->lock);
    return hr;
}

static STDMETHODIMP ms_CopyTo(IStream *This, IStream *pstm, ULARGE_INTEGER cb,
                              ULARGE_INTEGER *pcbRead, ULARGE_INTEGER *pcbWritten)
{
    memstream *m = ms_of(This);
    if (pstm == NULL)
        return STG_E_INVALIDPOINTER;
    uint64_t rd = 0, wr = 0;
    HRESULT hr = S_OK;
    unsigned char buf[8192];
    while (hr == S_OK && rd < cb.QuadPart) {
        ULONG want = cb.QuadPart - rd < sizeof buf ? (ULONG)(cb.QuadPart - rd) : sizeof buf;
        ULONG got = 0, put = 0;
        ms_Read(This, buf, want, &got);
        if (got == 0)
            break;
        rd += got;
        hr = IStream_Write(pstm, buf, got, &put);
        wr += put;
        if (SUCCEEDED(hr) && put < got)
            hr = STG_E_MEDIUMFULL;
        else if (SUCCEEDED(hr))
            hr = S_OK;
    }
    (void)m;
    if (pcbRead != NULL)
        pcbRead->QuadPart = rd;
    if (pcbWritten != NULL)
        pcbWritten->QuadPart = wr;
    return hr;
}

static STDMETHODIMP ms_Commit(IStream *This, DWORD grfCommitFlags)
{
    return S_OK;
}

static STDMETHODIMP ms_Revert(IStream *This)
{
    return S_OK;
}

static STDMETHODIMP ms_LockRegion(IStream *This, ULARGE_INTEGER libOffset, ULARGE_INTEGER cb,
                                  DWORD dwLockType)
{
    return STG_E_INVALIDFUNCTION;
}

static STDMETHODIMP ms_UnlockRegion(IStream *This, ULARGE_INTEGER libOffset, ULARGE_INTEGER cb,
                                    DWORD dwLockType)
{
    return STG_E_INVALIDFUNCTION;
}

static STDMETHODIMP ms_Stat(IStream *This, STATSTG *pstatstg, DWORD grfStatFlag)
{
    memstream *m = ms_of(This);
    if (pstatstg == NULL)
        return STG_E_INVALIDPOINTER;
    memset(pstatstg, 0, sizeof *pstatstg);
    pstatstg->type = STGTY_STREAM;
    pthread_mutex_lock(&m->lock);
    pstatstg->cbSize.QuadPart = m->size;
    pthread_mutex_unlock(&m->lock);
    pstatstg->grfMode = m->writable ? STGM_READWRITE : STGM_READ;
    return S_OK;
}

static STDMETHODIMP ms_Clone(IStream *This, IStream **ppstm)
{
    memstream *m = ms_of(This);
    if (ppstm == NULL)
        return STG_E_INVALIDPOINTER;
    pthread_mutex_lock(&m->lock);
    HRESULT hr = fm_cfb_memstream_new(m->data, m->size, m->writable, ppstm);
    if (hr == S_OK)
        ms_of(*ppstm)->pos = m->pos;
    pthread_mutex_unlock(&m->lock);
    return hr;
}

static const IStreamVtbl MEMSTREAM_VTBL = {
    .QueryInterface = ms_QueryInterface,
    .AddRef = ms_AddRef,
    .Release = ms_Release,
    .Read = ms_Read,
    .Write = ms_Write,
    .Seek = ms_Seek,
    .SetSize = ms_SetSize,
    .CopyTo = ms_CopyTo,
    .Commit = ms_Commit,
    .Revert = ms_Revert,
    .LockRegion = ms_LockRegion,
    .UnlockRegion = ms_UnlockRegion,
    .Stat = ms_Stat,
    .Clone = ms_Clone,
};

HRESULT fm_cfb_memstream_new(const void *data, size_t n, bool writable, IStream **out)
{
    memstream *m = fm_calloc(1, sizeof *m);
    if (m == NULL)
        return fm_error_set(E_OUTOFMEMORY, "IStream: out of memory");
    m->iface.lpVtbl = &MEMSTREAM_VTBL;
    atomic_init(&m->refs, 1);
    pthread_mutex_init(&m->lock, NULL);
    m->writable = writable;
    if (n > 0 && grow(m, n) != S_OK) {
        pthread_mutex_destroy(&m->lock);
        fm_free(m);
        return fm_error_set(E_OUTOFMEMORY, "IStream: out of memory");
    }
    if (n > 0)
        memcpy(m->data, data, n);
    m->size = n;
    *out = &m->iface;
    return S_OK;
}
