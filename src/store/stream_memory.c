/*
 * store/stream_memory.c - a read-only IStream over bytes in memory (see
 * stream.h, fm_stream_open_memory).
 *
 * OpenProperty without MAPI_MODIFY on a value that is not stored as a
 * stream of its own width (a small value kept in the object's property
 * bag, or a string kept in the other width) reads a copy. The copy lives
 * here, not in a scratch stream of the database: reading a property then
 * writes nothing, so it works in a store opened read-only (FMAPI_STORE_
 * READONLY, a store in a directory the reader cannot write) and costs no
 * write transaction in any store. Such values are small (the bag holds
 * values up to 16 KiB) or already passed through memory whole (a string
 * converted between UTF-8 and UTF-16).
 *
 * The bytes are shared by the stream and its clones and freed with the
 * last of them; each has its own seek pointer.
 */
#include <stdatomic.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "store/stream.h"

typedef struct bytes {
    atomic_ulong refs; /* streams over these bytes */
    size_t len;
    BYTE data[];
} bytes;

typedef struct mstream {
    IStream base;
    atomic_ulong refs;
    bytes *b;
    uint64_t pos;
} mstream;

static const IStreamVtbl mstream_vtbl;

static mstream *from_iface(IStream *p)
{
    return (mstream *)p;
}

static HRESULT new_mstream(bytes *b, uint64_t pos, IStream **out)
{
    mstream *s = fm_malloc(sizeof *s);
    if (s == NULL)
        return fm_error_set(E_OUTOFMEMORY, "no memory for a stream");
    s->base.lpVtbl = &mstream_vtbl;
    atomic_init(&s->refs, 1);
    s->b = b;
    s->pos = pos;
    atomic_fetch_add(&b->refs, 1);
    *out = &s->base;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE mstream_query_interface(IStream *This, REFIID riid,
                                                         LPVOID *ppvObj)
{
    if (ppvObj == NULL || riid == NULL)
        return fm_error_set(E_POINTER, "IStream::QueryInterface: NULL argument");
    if (memcmp(riid, &IID_IUnknown, sizeof(GUID)) != 0 &&
        memcmp(riid, &IID_ISequentialStream, sizeof(GUID)) != 0 &&
        memcmp(riid, &IID_IStream, sizeof(GUID)) != 0) {
        *ppvObj = NULL;
        return fm_error_set(E_NOINTERFACE, "a stream has no such interface");
    }
    IStream_AddRef(This);
    *ppvObj = This;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE mstream_add_ref(IStream *This)
{
    return (ULONG)(atomic_fetch_add(&from_iface(This)->refs, 1) + 1);
}

static ULONG STDMETHODCALLTYPE mstream_release(IStream *This)
{
    mstream *s = from_iface(This);
    ULONG left = (ULONG)(atomic_fetch_sub(&s->refs, 1) - 1);
    if (left == 0) {
        if (atomic_fetch_sub(&s->b->refs, 1) == 1)
            fm_free(s->b);
        fm_free(s);
    }
    return left;
}

static HRESULT STDMETHODCALLTYPE mstream_read(IStream *This, void *pv, ULONG cb, ULONG *pcbRead)
{
    mstream *s = from_iface(This);
    if (pcbRead != NULL)
        *pcbRead = 0;
    if (pv == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::Read: NULL buffer");
    uint64_t left = s->pos < s->b->len ? s->b->len - s->pos : 0;
    ULONG n = left < cb ? (ULONG)left : cb;
    memcpy(pv, s->b->data + s->pos, n);
    s->pos += n;
    if (pcbRead != NULL)
        *pcbRead = n;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE mstream_write(IStream *This, const void *pv, ULONG cb,
                                               ULONG *pcbWritten)
{
    if (pcbWritten != NULL)
        *pcbWritten = 0;
    return fm_error_set(STG_E_ACCESSDENIED, "IStream::Write: the stream is read-only");
}

static HRESULT STDMETHODCALLTYPE mstream_seek(IStream *This, LARGE_INTEGER dlibMove,
                                              DWORD dwOrigin, ULARGE_INTEGER *plibNewPosition)
{
    mstream *s = from_iface(This);
    int64_t from;
    switch (dwOrigin) {
    case STREAM_SEEK_SET: from = 0; break;
    case STREAM_SEEK_CUR: from = (int64_t)s->pos; break;
    case STREAM_SEEK_END: from = (int64_t)s->b->len; break;
    default:
        return fm_error_set(STG_E_INVALIDFUNCTION, "IStream::Seek: unknown origin %lu",
                            (unsigned long)dwOrigin);
    }
    int64_t move = dlibMove.QuadPart;
    if ((move > 0 && from > INT64_MAX - move) || from + move < 0)
        return fm_error_set(STG_E_INVALIDFUNCTION,
                            "IStream::Seek: position %lld%+lld is out of range", (long long)from,
                            (long long)move);
    s->pos = (uint64_t)(from + move);
    if (plibNewPosition != NULL)
        plibNewPosition->QuadPart = s->pos;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE mstream_set_size(IStream *This, ULARGE_INTEGER libNewSize)
{
    return fm_error_set(STG_E_ACCESSDENIED, "IStream::SetSize: the stream is read-only");
}

static HRESULT STDMETHODCALLTYPE mstream_copy_to(IStream *This, IStream *pstm, ULARGE_INTEGER cb,
                                                 ULARGE_INTEGER *pcbRead,
                                                 ULARGE_INTEGER *pcbWritten)
{
    mstream *s = from_iface(This);
    if (pcbRead != NULL)
        pcbRead->QuadPart = 0;
    if (pcbWritten != NULL)
        pcbWritten->QuadPart = 0;
    if (pstm == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::CopyTo: NULL destination");
    uint64_t left = s->pos < s->b->len ? s->b->len - s->pos : 0;
    if (left > cb.QuadPart)
        left = cb.QuadPart;
    uint64_t written = 0;
    HRESULT hr = S_OK;
    while (hr == S_OK && written < left) {
        ULONG want = left - written < 0x40000000u ? (ULONG)(left - written) : 0x40000000u, put = 0;
        hr = IStream_Write(pstm, s->b->data + s->pos + written, want, &put);
        written += put;
        if (put < want)
            break;
    }
    s->pos += written;
    if (pcbRead != NULL)
        pcbRead->QuadPart = written;
    if (pcbWritten != NULL)
        pcbWritten->QuadPart = written;
    return hr;
}

static HRESULT STDMETHODCALLTYPE mstream_commit(IStream *This, DWORD grfCommitFlags)
{
    return fm_error_set(STG_E_ACCESSDENIED, "IStream::Commit: the stream is read-only");
}

static HRESULT STDMETHODCALLTYPE mstream_revert(IStream *This)
{
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE mstream_lock_region(IStream *This, ULARGE_INTEGER libOffset,
                                                     ULARGE_INTEGER cb, DWORD dwLockType)
{
    return fm_error_set(STG_E_INVALIDFUNCTION, "IStream::LockRegion: property streams "
                                               "do not support region locking");
}

static HRESULT STDMETHODCALLTYPE mstream_unlock_region(IStream *This, ULARGE_INTEGER libOffset,
                                                       ULARGE_INTEGER cb, DWORD dwLockType)
{
    return fm_error_set(STG_E_INVALIDFUNCTION, "IStream::UnlockRegion: property streams "
                                               "do not support region locking");
}

/* As for stored streams: no name, so the caller never has anything to free. */
static HRESULT STDMETHODCALLTYPE mstream_stat(IStream *This, STATSTG *pstatstg,
                                              DWORD grfStatFlag)
{
    if (pstatstg == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::Stat: NULL STATSTG");
    if (grfStatFlag & ~(DWORD)(STATFLAG_NONAME | STATFLAG_NOOPEN))
        return fm_error_set(STG_E_INVALIDFLAG, "IStream::Stat: unknown flags 0x%lx",
                            (unsigned long)grfStatFlag);
    memset(pstatstg, 0, sizeof *pstatstg);
    pstatstg->type = STGTY_STREAM;
    pstatstg->cbSize.QuadPart = from_iface(This)->b->len;
    pstatstg->grfMode = STGM_READ;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE mstream_clone(IStream *This, IStream **ppstm)
{
    if (ppstm == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::Clone: NULL out pointer");
    *ppstm = NULL;
    return new_mstream(from_iface(This)->b, from_iface(This)->pos, ppstm);
}

static const IStreamVtbl mstream_vtbl = {
    mstream_query_interface, mstream_add_ref, mstream_release,     mstream_read,
    mstream_write,           mstream_seek,    mstream_set_size,    mstream_copy_to,
    mstream_commit,          mstream_revert,  mstream_lock_region, mstream_unlock_region,
    mstream_stat,            mstream_clone,
};

HRESULT fm_stream_open_memory(const void *data, size_t len, IStream **lppStream)
{
    if (lppStream == NULL || (data == NULL && len > 0))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_stream_open_memory: NULL argument");
    *lppStream = NULL;
    bytes *b = fm_malloc(sizeof *b + (len ? len : 1));
    if (b == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "no memory for a %zu-byte stream", len);
    atomic_init(&b->refs, 0);
    b->len = len;
    if (len > 0)
        memcpy(b->data, data, len);
    HRESULT hr = new_mstream(b, 0, lppStream);
    if (hr != S_OK)
        fm_free(b);
    return hr;
}
