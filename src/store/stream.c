/*
 * store/stream.c - the IStream over a stored stream (see stream.h).
 *
 * An open stream is two objects: the IStream the caller holds (a reference
 * count and a seek pointer) and the shared state behind it (the database,
 * the sid being read or written, the size and the one cached chunk). Clone
 * makes a second IStream over the same shared state: its own seek pointer,
 * the same data, as IStream::Clone is documented.
 *
 * Writes go to a scratch stream that this object owns (own_scratch). Commit
 * hands it to the owner and forgets it; the next write starts a new scratch
 * copy of what was committed, so writes after a Commit are again uncommitted
 * until the next one. Revert drops the scratch and falls back to the last
 * committed (or the original) content.
 *
 * A scratch stream that grows past FM_STREAM_FILE_MIN moves its data to a
 * companion file (stream_file.h): from then on a chunk is a pwrite, not a
 * transaction, and Commit makes the file durable (fdatasync) before the
 * owner can adopt the stream.
 *
 * Memory stays constant whatever the size: the cached chunk, plus one more
 * chunk buffer during CopyTo. The methods are not meant to be called on the
 * same stream (or its clones) from two threads at once, like COM's
 * apartment-bound streams; only AddRef/Release are atomic.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "store/stream_chunks.h"
#include "store/stream_file.h"
#include <unistd.h>

#define MAX_SIZE ((uint64_t)INT64_MAX)

typedef struct shared {
    atomic_ulong refs; /* IStream objects over this state */
    fm_db *db;
    ULONG tag;
    unsigned mode;
    fm_stream_owner owner;
    int64_t base_sid;   /* last committed or original content (0: empty) */
    uint64_t base_size;
    bool base_in_file;
    int64_t sid;        /* what reads see: base_sid or the scratch */
    bool own_scratch;   /* sid is our uncommitted scratch */
    bool in_file;       /* sid's data is in its companion file */
    int fd;             /* that file once opened, else -1 */
    uint64_t size;
    BYTE *chunk;        /* the cached chunk, FM_STREAM_CHUNK bytes */
    int64_t chunk_seq;  /* -1: nothing cached */
    bool chunk_dirty;
} shared;

typedef struct stream {
    IStream base;
    atomic_ulong refs;
    shared *sh;
    uint64_t pos;
} stream;

static const IStreamVtbl STREAM_VTBL;

static stream *from_iface(IStream *p)
{
    return (stream *)p;
}

/* IStream methods answer with storage codes where IStream documents one. */
static HRESULT as_stg(HRESULT hr)
{
    if (hr != MAPI_E_NOT_ENOUGH_DISK && hr != MAPI_E_NO_ACCESS)
        return hr;
    char text[FM_ERROR_TEXT_MAX];
    snprintf(text, sizeof text, "%s", fm_error_text());
    return fm_error_set(hr == MAPI_E_NO_ACCESS ? STG_E_ACCESSDENIED : STG_E_MEDIUMFULL, "%s",
                        text);
}

HRESULT fm_stream_mapi_code(HRESULT hr)
{
    switch (hr) {
    case STG_E_MEDIUMFULL: return MAPI_E_NOT_ENOUGH_DISK;
    case STG_E_ACCESSDENIED: return MAPI_E_NO_ACCESS;
    case STG_E_INSUFFICIENTMEMORY: return MAPI_E_NOT_ENOUGH_MEMORY;
    case STG_E_INVALIDPOINTER:
    case STG_E_INVALIDPARAMETER:
    case STG_E_INVALIDFUNCTION: return MAPI_E_INVALID_PARAMETER;
    default: return hr;
    }
}

static bool writable(const shared *sh)
{
    return (sh->mode & FM_STREAM_WRITE) != 0;
}

/* ---- the cached chunk ------------------------------------------------------ */

/* Bytes of chunk seq that lie below the stream's size. */
static size_t chunk_extent(const shared *sh, int64_t seq)
{
    uint64_t start = (uint64_t)seq * FM_STREAM_CHUNK;
    if (sh->size <= start)
        return 0;
    uint64_t n = sh->size - start;
    return n < FM_STREAM_CHUNK ? (size_t)n : FM_STREAM_CHUNK;
}

/* Closes the file of the stream reads saw until now. */
static void close_file(shared *sh)
{
    if (sh->fd >= 0)
        close(sh->fd);
    sh->fd = -1;
}

static HRESULT open_file(shared *sh)
{
    if (sh->fd >= 0)
        return S_OK;
    return fm_stream_file_open(sh->db, sh->sid,
                               sh->own_scratch ? FM_STREAM_FILE_WRITE : FM_STREAM_FILE_READ,
                               &sh->fd);
}

static HRESULT flush(shared *sh)
{
    if (!sh->chunk_dirty)
        return S_OK;
    HRESULT hr = S_OK;
    if (!sh->in_file && sh->size > FM_STREAM_FILE_MIN) {
        close_file(sh);
        hr = fm_stream_move_to_file(sh->db, sh->sid, sh->size, &sh->fd);
        sh->in_file = hr == S_OK;
    }
    size_t n = chunk_extent(sh, sh->chunk_seq);
    if (hr == S_OK && sh->in_file)
        hr = open_file(sh);
    if (hr == S_OK && sh->in_file)
        hr = fm_stream_file_write(sh->fd, sh->chunk, n,
                                  (uint64_t)sh->chunk_seq * FM_STREAM_CHUNK);
    else if (hr == S_OK)
        hr = fm_stream_store_chunk(sh->db, sh->sid, sh->chunk_seq, sh->chunk, n, sh->size);
    if (hr == S_OK)
        sh->chunk_dirty = false;
    return hr;
}

static HRESULT load_from_file(shared *sh, int64_t seq)
{
    size_t n = chunk_extent(sh, seq);
    HRESULT hr = open_file(sh);
    if (hr == S_OK)
        hr = fm_stream_file_read(sh->fd, sh->sid, sh->chunk, n,
                                 (uint64_t)seq * FM_STREAM_CHUNK);
    memset(sh->chunk + n, 0, FM_STREAM_CHUNK - n);
    return hr;
}

/* Makes chunk seq the cached one. fresh: the caller overwrites all of it,
 * or it lies wholly past the end, so there is nothing to read. */
static HRESULT load(shared *sh, int64_t seq, bool fresh)
{
    if (sh->chunk_seq == seq)
        return S_OK;
    HRESULT hr = flush(sh);
    if (hr != S_OK)
        return hr;
    sh->chunk_seq = -1;
    size_t len;
    if (fresh || sh->sid == 0 || chunk_extent(sh, seq) == 0)
        memset(sh->chunk, 0, FM_STREAM_CHUNK);
    else if (sh->in_file && (hr = load_from_file(sh, seq)) != S_OK)
        return hr;
    else if (!sh->in_file && (hr = fm_stream_load_chunk(sh->db, sh->sid, seq, sh->chunk, &len)) != S_OK)
        return hr;
    sh->chunk_seq = seq;
    return S_OK;
}

static void forget_chunk(shared *sh)
{
    sh->chunk_seq = -1;
    sh->chunk_dirty = false;
}

/* Writes need a scratch stream of our own: a copy of what reads see now. */
static HRESULT ensure_scratch(shared *sh)
{
    if (sh->own_scratch)
        return S_OK;
    int64_t sid;
    bool in_file;
    HRESULT hr = fm_stream_make_scratch(sh->db, sh->tag, sh->sid, &sid, &in_file);
    if (hr != S_OK)
        return hr;
    close_file(sh);
    sh->sid = sid;
    sh->in_file = in_file;
    sh->own_scratch = true;
    return S_OK;
}

static void drop_scratch(shared *sh)
{
    forget_chunk(sh);
    if (sh->own_scratch) {
        close_file(sh);
        fm_stream_delete(sh->db, sh->sid);
    }
    sh->own_scratch = false;
    if (sh->sid != sh->base_sid)
        close_file(sh);
    sh->sid = sh->base_sid;
    sh->in_file = sh->base_in_file;
    sh->size = sh->base_size;
}

/* ---- IUnknown ----------------------------------------------------------------- */

static HRESULT STDMETHODCALLTYPE stream_QueryInterface(IStream *This, REFIID riid,
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

static ULONG STDMETHODCALLTYPE stream_AddRef(IStream *This)
{
    return (ULONG)(atomic_fetch_add(&from_iface(This)->refs, 1) + 1);
}

static void shared_release(shared *sh)
{
    if (atomic_fetch_sub(&sh->refs, 1) != 1)
        return;
    drop_scratch(sh);
    close_file(sh);
    if (sh->owner.release != NULL)
        sh->owner.release(sh->owner.ctx);
    fm_free(sh->chunk);
    fm_free(sh);
}

static ULONG STDMETHODCALLTYPE stream_Release(IStream *This)
{
    stream *s = from_iface(This);
    ULONG left = (ULONG)(atomic_fetch_sub(&s->refs, 1) - 1);
    if (left == 0) {
        shared_release(s->sh);
        fm_free(s);
    }
    return left;
}

/* ---- ISequentialStream ----------------------------------------------------------- */

static HRESULT STDMETHODCALLTYPE stream_Read(IStream *This, void *pv, ULONG cb, ULONG *pcbRead)
{
    stream *s = from_iface(This);
    shared *sh = s->sh;
    if (pcbRead != NULL)
        *pcbRead = 0;
    if (pv == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::Read: NULL buffer");
    ULONG done = 0;
    while (done < cb && s->pos < sh->size) {
        int64_t seq = (int64_t)(s->pos / FM_STREAM_CHUNK);
        size_t off = (size_t)(s->pos % FM_STREAM_CHUNK);
        HRESULT hr = load(sh, seq, false);
        if (hr != S_OK)
            return as_stg(hr);
        uint64_t n = FM_STREAM_CHUNK - off;
        if (n > cb - done)
            n = cb - done;
        if (n > sh->size - s->pos)
            n = sh->size - s->pos;
        memcpy((BYTE *)pv + done, sh->chunk + off, (size_t)n);
        done += (ULONG)n;
        s->pos += n;
        if (pcbRead != NULL)
            *pcbRead = done;
    }
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE stream_Write(IStream *This, const void *pv, ULONG cb,
                                              ULONG *pcbWritten)
{
    stream *s = from_iface(This);
    shared *sh = s->sh;
    if (pcbWritten != NULL)
        *pcbWritten = 0;
    if (pv == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::Write: NULL buffer");
    if (!writable(sh))
        return fm_error_set(STG_E_ACCESSDENIED, "IStream::Write: the stream is read-only");
    if (s->pos > MAX_SIZE - cb)
        return fm_error_set(STG_E_MEDIUMFULL, "IStream::Write: past the largest stream size");
    HRESULT hr = ensure_scratch(sh);
    if (hr != S_OK)
        return as_stg(hr);
    ULONG done = 0;
    while (done < cb) {
        int64_t seq = (int64_t)(s->pos / FM_STREAM_CHUNK);
        size_t off = (size_t)(s->pos % FM_STREAM_CHUNK);
        size_t n = FM_STREAM_CHUNK - off;
        if (n > cb - done)
            n = cb - done;
        hr = load(sh, seq, off == 0 && n == FM_STREAM_CHUNK);
        if (hr != S_OK)
            return as_stg(hr);
        memcpy(sh->chunk + off, (const BYTE *)pv + done, n);
        sh->chunk_dirty = true;
        done += (ULONG)n;
        s->pos += n;
        if (s->pos > sh->size)
            sh->size = s->pos;
        if (pcbWritten != NULL)
            *pcbWritten = done;
    }
    return S_OK;
}

/* ---- IStream ----------------------------------------------------------------------- */

static HRESULT STDMETHODCALLTYPE stream_Seek(IStream *This, LARGE_INTEGER dlibMove,
                                             DWORD dwOrigin, ULARGE_INTEGER *plibNewPosition)
{
    stream *s = from_iface(This);
    int64_t from;
    switch (dwOrigin) {
    case STREAM_SEEK_SET: from = 0; break;
    case STREAM_SEEK_CUR: from = (int64_t)s->pos; break;
    case STREAM_SEEK_END: from = (int64_t)s->sh->size; break;
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

static HRESULT STDMETHODCALLTYPE stream_SetSize(IStream *This, ULARGE_INTEGER libNewSize)
{
    shared *sh = from_iface(This)->sh;
    if (!writable(sh))
        return fm_error_set(STG_E_ACCESSDENIED, "IStream::SetSize: the stream is read-only");
    uint64_t size = libNewSize.QuadPart;
    if (size > MAX_SIZE)
        return fm_error_set(STG_E_MEDIUMFULL, "IStream::SetSize: %llu bytes is too large",
                            (unsigned long long)size);
    HRESULT hr = ensure_scratch(sh);
    if (hr == S_OK)
        hr = flush(sh);
    if (hr == S_OK)
        hr = fm_stream_set_size(sh->db, sh->sid, size);
    /* Cut or zero-extend the file too: bytes past a shrink must read as
     * zeros if the stream grows again. */
    if (hr == S_OK && sh->in_file && (hr = open_file(sh)) == S_OK)
        hr = fm_stream_file_truncate(sh->fd, size);
    if (hr != S_OK)
        return as_stg(hr);
    forget_chunk(sh);
    sh->size = size;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE stream_CopyTo(IStream *This, IStream *pstm, ULARGE_INTEGER cb,
                                               ULARGE_INTEGER *pcbRead,
                                               ULARGE_INTEGER *pcbWritten)
{
    if (pcbRead != NULL)
        pcbRead->QuadPart = 0;
    if (pcbWritten != NULL)
        pcbWritten->QuadPart = 0;
    if (pstm == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::CopyTo: NULL destination");
    /* A buffer of our own: the destination may be a clone sharing our cache. */
    BYTE *buf = fm_malloc(FM_STREAM_CHUNK);
    if (buf == NULL)
        return fm_error_set(E_OUTOFMEMORY, "IStream::CopyTo: no memory for a chunk");
    uint64_t left = cb.QuadPart, read_total = 0, written_total = 0;
    HRESULT hr = S_OK;
    while (left > 0) {
        ULONG want = left < FM_STREAM_CHUNK ? (ULONG)left : FM_STREAM_CHUNK, got, put;
        hr = IStream_Read(This, buf, want, &got);
        if (hr != S_OK || got == 0)
            break;
        read_total += got;
        left -= got;
        hr = IStream_Write(pstm, buf, got, &put);
        written_total += put;
        if (hr != S_OK || put < got)
            break;
    }
    fm_free(buf);
    if (pcbRead != NULL)
        pcbRead->QuadPart = read_total;
    if (pcbWritten != NULL)
        pcbWritten->QuadPart = written_total;
    return hr;
}

static HRESULT STDMETHODCALLTYPE stream_Commit(IStream *This, DWORD grfCommitFlags)
{
    shared *sh = from_iface(This)->sh;
    const DWORD known = STGC_OVERWRITE | STGC_ONLYIFCURRENT |
                        STGC_DANGEROUSLYCOMMITMERELYTODISKCACHE | STGC_CONSOLIDATE;
    if (grfCommitFlags & ~known)
        return fm_error_set(STG_E_INVALIDFLAG, "IStream::Commit: unknown flags 0x%lx",
                            (unsigned long)grfCommitFlags);
    if (!writable(sh))
        return fm_error_set(STG_E_ACCESSDENIED, "IStream::Commit: the stream is read-only");
    if (!sh->own_scratch)
        return S_OK; /* nothing written since the last Commit */
    HRESULT hr = flush(sh);
    /* A file's data is on disk before any save can name it; its size,
     * not written chunk by chunk, goes to the row now. */
    if (hr == S_OK && sh->in_file && (hr = open_file(sh)) == S_OK &&
        (hr = fm_stream_file_sync(sh->fd)) == S_OK)
        hr = fm_stream_store_size(sh->db, sh->sid, sh->size);
    if (hr == S_OK)
        hr = sh->owner.commit(sh->owner.ctx, sh->tag, sh->sid, sh->size);
    if (hr != S_OK)
        return as_stg(hr);
    /* The owner has the scratch now; the cached chunk is still valid for
     * reading it, and the next write copies it into a new scratch. */
    sh->own_scratch = false;
    sh->base_sid = sh->sid;
    sh->base_size = sh->size;
    sh->base_in_file = sh->in_file;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE stream_Revert(IStream *This)
{
    shared *sh = from_iface(This)->sh;
    if (writable(sh))
        drop_scratch(sh);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE stream_LockRegion(IStream *This, ULARGE_INTEGER libOffset,
                                                   ULARGE_INTEGER cb, DWORD dwLockType)
{
    return fm_error_set(STG_E_INVALIDFUNCTION, "IStream::LockRegion: stored streams "
                                               "do not support region locking");
}

static HRESULT STDMETHODCALLTYPE stream_UnlockRegion(IStream *This, ULARGE_INTEGER libOffset,
                                                     ULARGE_INTEGER cb, DWORD dwLockType)
{
    return fm_error_set(STG_E_INVALIDFUNCTION, "IStream::UnlockRegion: stored streams "
                                               "do not support region locking");
}

/* A property stream has no name: pwcsName is NULL whether or not
 * STATFLAG_NONAME is given, so the caller never has anything to free. */
static HRESULT STDMETHODCALLTYPE stream_Stat(IStream *This, STATSTG *pstatstg, DWORD grfStatFlag)
{
    shared *sh = from_iface(This)->sh;
    if (pstatstg == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::Stat: NULL STATSTG");
    if (grfStatFlag & ~(DWORD)(STATFLAG_NONAME | STATFLAG_NOOPEN))
        return fm_error_set(STG_E_INVALIDFLAG, "IStream::Stat: unknown flags 0x%lx",
                            (unsigned long)grfStatFlag);
    memset(pstatstg, 0, sizeof *pstatstg);
    pstatstg->pwcsName = NULL;
    pstatstg->type = STGTY_STREAM;
    pstatstg->cbSize.QuadPart = sh->size;
    pstatstg->grfMode = writable(sh) ? STGM_READWRITE : STGM_READ;
    pstatstg->grfLocksSupported = 0;
    return S_OK;
}

static HRESULT new_stream(shared *sh, uint64_t pos, IStream **out)
{
    stream *s = fm_malloc(sizeof *s);
    if (s == NULL)
        return fm_error_set(E_OUTOFMEMORY, "no memory for a stream");
    s->base.lpVtbl = &STREAM_VTBL;
    atomic_init(&s->refs, 1);
    s->sh = sh;
    s->pos = pos;
    atomic_fetch_add(&sh->refs, 1);
    *out = &s->base;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE stream_Clone(IStream *This, IStream **ppstm)
{
    if (ppstm == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::Clone: NULL out pointer");
    *ppstm = NULL;
    return new_stream(from_iface(This)->sh, from_iface(This)->pos, ppstm);
}

static const IStreamVtbl STREAM_VTBL = {
    .QueryInterface = stream_QueryInterface,
    .AddRef = stream_AddRef,
    .Release = stream_Release,
    .Read = stream_Read,
    .Write = stream_Write,
    .Seek = stream_Seek,
    .SetSize = stream_SetSize,
    .CopyTo = stream_CopyTo,
    .Commit = stream_Commit,
    .Revert = stream_Revert,
    .LockRegion = stream_LockRegion,
    .UnlockRegion = stream_UnlockRegion,
    .Stat = stream_Stat,
    .Clone = stream_Clone,
};

/* ---- opening ------------------------------------------------------------------- */

static HRESULT check_open_args(fm_db *db, int64_t sid, unsigned mode,
                               const fm_stream_owner *owner, IStream **lppStream)
{
    if (lppStream == NULL || db == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_stream_open: NULL argument");
    *lppStream = NULL;
    if (mode & ~(FM_STREAM_READ | FM_STREAM_WRITE | FM_STREAM_CREATE | FM_STREAM_TEMPORARY))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_stream_open: unknown mode 0x%x", mode);
    if (!(mode & (FM_STREAM_READ | FM_STREAM_WRITE)))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_stream_open: neither read nor write");
    if ((mode & FM_STREAM_TEMPORARY) && (mode & FM_STREAM_WRITE || sid == 0))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "fm_stream_open: a temporary stream is read-only and needs data");
    if ((mode & FM_STREAM_CREATE) && !(mode & FM_STREAM_WRITE))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_stream_open: create without write");
    if ((mode & FM_STREAM_WRITE) && (owner == NULL || owner->commit == NULL))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_stream_open: writing needs an owner");
    if (sid < 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_stream_open: bad stream id %lld",
                            (long long)sid);
    return S_OK;
}

static void shared_free(shared *sh)
{
    close_file(sh);
    if (sh->own_scratch)
        fm_stream_delete(sh->db, sh->sid);
    fm_free(sh->chunk);
    fm_free(sh);
}

HRESULT fm_stream_open(fm_db *db, int64_t sid, ULONG tag, unsigned mode,
                       const fm_stream_owner *owner, IStream **lppStream)
{
    HRESULT hr = check_open_args(db, sid, mode, owner, lppStream);
    if (hr != S_OK)
        return hr;
    if (mode & FM_STREAM_CREATE)
        sid = 0;
    uint64_t size = 0;
    bool in_file = false;
    if (sid != 0 && (hr = fm_stream_get_info(db, sid, &size, &in_file)) != S_OK)
        return hr;
    shared *sh = fm_calloc(1, sizeof *sh);
    if (sh == NULL || (sh->chunk = fm_malloc(FM_STREAM_CHUNK)) == NULL) {
        fm_free(sh);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "no memory for a stream");
    }
    atomic_init(&sh->refs, 0);
    sh->db = db;
    sh->tag = tag;
    sh->mode = mode;
    if (owner != NULL)
        sh->owner = *owner;
    sh->base_sid = sh->sid = sid;
    sh->base_size = sh->size = size;
    sh->base_in_file = sh->in_file = in_file;
    sh->fd = -1;
    sh->chunk_seq = -1;
    /* A temporary stream owns its data: released with the last IStream. */
    sh->own_scratch = (mode & FM_STREAM_TEMPORARY) != 0;
    /* A writer starts as a copy now, while the value it opened still exists. */
    if (mode & FM_STREAM_WRITE)
        hr = ensure_scratch(sh);
    if (hr == S_OK)
        hr = new_stream(sh, 0, lppStream);
    if (hr != S_OK) {
        shared_free(sh);
        return hr;
    }
    if (sh->owner.addref != NULL)
        sh->owner.addref(sh->owner.ctx);
    return S_OK;
}
