/*
 * mime/istream_mem.c - an IStream over a GByteArray, for the MAPI functions
 * the converter hands a stream (OpenTnefStream writes a TNEF part into one).
 * Single-threaded, as the export that owns it.
 */
#include <stdatomic.h>
#include <string.h>

#include "mime/mime.h"

typedef struct mem_stream {
    IStream base;
    atomic_ulong refs;
    GByteArray *bytes;
    guint64 pos;
} mem_stream;

static mem_stream *ms(IStream *p)
{
    return (mem_stream *)p;
}

static HRESULT STDMETHODCALLTYPE memstream_QueryInterface(IStream *This, REFIID riid,
                                                          LPVOID *out)
{
    if (out == NULL || riid == NULL)
        return E_POINTER;
    if (!IsEqualGUID(riid, &IID_IUnknown) && !IsEqualGUID(riid, &IID_IStream) &&
        !IsEqualGUID(riid, &IID_ISequentialStream)) {
        *out = NULL;
        return E_NOINTERFACE;
    }
    atomic_fetch_add(&ms(This)->refs, 1);
    *out = This;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE memstream_AddRef(IStream *This)
{
    return (ULONG)(atomic_fetch_add(&ms(This)->refs, 1) + 1);
}

static ULONG STDMETHODCALLTYPE memstream_Release(IStream *This)
{
    mem_stream *s = ms(This);
    ULONG left = (ULONG)(atomic_fetch_sub(&s->refs, 1) - 1);
    if (left == 0) {
        g_byte_array_unref(s->bytes);
        g_free(s);
    }
    return left;
}

static HRESULT STDMETHODCALLTYPE memstream_Read(IStream *This, void *pv, ULONG cb,
                                                ULONG *pcbRead)
{
    mem_stream *s = ms(This);
    if (pcbRead != NULL)
        *pcbRead = 0;
    if (pv == NULL)
        return STG_E_INVALIDPOINTER;
    guint64 n = s->pos < s->bytes->len ? s->bytes->len - s->pos : 0;
    if (n > cb)
        n = cb;
    memcpy(pv, s->bytes->data + s->pos, (size_t)n);
    s->pos += n;
    if (pcbRead != NULL)
        *pcbRead = (ULONG)n;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE memstream_Write(IStream *This, const void *pv, ULONG cb,
                                                 ULONG *pcbWritten)
{
    mem_stream *s = ms(This);
    if (pcbWritten != NULL)
        *pcbWritten = 0;
    if (pv == NULL)
        return STG_E_INVALIDPOINTER;
    guint64 end = s->pos + cb;
    if (end > G_MAXUINT32)
        return STG_E_MEDIUMFULL;
    if (end > s->bytes->len) {
        guint old = s->bytes->len;
        g_byte_array_set_size(s->bytes, (guint)end);
        if (s->pos > old)
            memset(s->bytes->data + old, 0, (size_t)(s->pos - old));
    }
    memcpy(s->bytes->data + s->pos, pv, cb);
    s->pos = end;
    if (pcbWritten != NULL)
        *pcbWritten = cb;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE memstream_Seek(IStream *This, LARGE_INTEGER dlibMove,
                                                DWORD dwOrigin, ULARGE_INTEGER *plibNewPosition)
{
    mem_stream *s = ms(This);
    gint64 base = dwOrigin == STREAM_SEEK_SET   ? 0
                  : dwOrigin == STREAM_SEEK_CUR ? (gint64)s->pos
                  : dwOrigin == STREAM_SEEK_END ? (gint64)s->bytes->len
                                                : -1;
    if (base < 0 || base + dlibMove.QuadPart < 0)
        return STG_E_INVALIDFUNCTION;
    s->pos = (guint64)(base + dlibMove.QuadPart);
    if (plibNewPosition != NULL)
        plibNewPosition->QuadPart = s->pos;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE memstream_SetSize(IStream *This, ULARGE_INTEGER libNewSize)
{
    mem_stream *s = ms(This);
    if (libNewSize.QuadPart > G_MAXUINT32)
        return STG_E_MEDIUMFULL;
    guint old = s->bytes->len;
    g_byte_array_set_size(s->bytes, (guint)libNewSize.QuadPart);
    if (s->bytes->len > old)
        memset(s->bytes->data + old, 0, s->bytes->len - old);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE memstream_CopyTo(IStream *This, IStream *pstm,
                                                  ULARGE_INTEGER cb, ULARGE_INTEGER *pcbRead,
                                                  ULARGE_INTEGER *pcbWritten)
{
    mem_stream *s = ms(This);
    guint64 n = s->pos < s->bytes->len ? s->bytes->len - s->pos : 0;
    if (n > cb.QuadPart)
        n = cb.QuadPart;
    ULONG wrote = 0;
    HRESULT hr = n > 0 ? IStream_Write(pstm, s->bytes->data + s->pos, (ULONG)n, &wrote) : S_OK;
    if (FAILED(hr))
        return hr;
    s->pos += n;
    if (pcbRead != NULL)
        pcbRead->QuadPart = n;
    if (pcbWritten != NULL)
        pcbWritten->QuadPart = wrote;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE memstream_Commit(IStream *This, DWORD grfCommitFlags)
{
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE memstream_Revert(IStream *This)
{
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE memstream_LockRegion(IStream *This, ULARGE_INTEGER libOffset,
                                                      ULARGE_INTEGER cb, DWORD dwLockType)
{
    return STG_E_INVALIDFUNCTION;
}

static HRESULT STDMETHODCALLTYPE memstream_Stat(IStream *This, STATSTG *pstatstg,
                                                DWORD grfStatFlag)
{
    if (pstatstg == NULL)
        return STG_E_INVALIDPOINTER;
    memset(pstatstg, 0, sizeof *pstatstg);
    pstatstg->type = STGTY_STREAM;
    pstatstg->cbSize.QuadPart = ms(This)->bytes->len;
    pstatstg->grfMode = STGM_READWRITE;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE memstream_Clone(IStream *This, IStream **ppstm)
{
    if (ppstm != NULL)
        *ppstm = NULL;
    return STG_E_INVALIDFUNCTION;
}

static const IStreamVtbl MEMSTREAM_VTBL = {
    memstream_QueryInterface, memstream_AddRef,  memstream_Release,    memstream_Read,
    memstream_Write,          memstream_Seek,    memstream_SetSize,    memstream_CopyTo,
    memstream_Commit,         memstream_Revert,  memstream_LockRegion, memstream_LockRegion,
    memstream_Stat,           memstream_Clone,
};

LPSTREAM fm_mime_istream_mem_new(GByteArray *bytes)
{
    mem_stream *s = g_new0(mem_stream, 1);
    s->base.lpVtbl = &MEMSTREAM_VTBL;
    atomic_init(&s->refs, 1);
    s->bytes = g_byte_array_ref(bytes);
    return &s->base;
}
