/*
 * rtf/rtf_stream.c - WrapCompressedRTFStream and WrapCompressedRTFStreamEx
 * (mapiutil.h): an IStream of uncompressed RTF over a stream of compressed
 * RTF (PR_RTF_COMPRESSED).
 *
 * Reading: the compressed stream is read whole when the wrapper is made
 * (that is when a damaged one is found, MAPI_E_CORRUPT_DATA) and decoded
 * as the caller reads, so memory is the compressed size plus the 4 KiB
 * dictionary. With MAPI_NATIVE_BODY the RTF is decoded whole and, when it
 * encapsulates HTML or text, de-encapsulated; the stream then serves that.
 *
 * Writing (MAPI_MODIFY): the wrapper encodes what is written as it comes
 * and writes it after a 16-byte gap at the start of the compressed
 * stream; Commit (or the last Release, so nothing written is lost) ends the
 * data, writes the header into the gap, sets the stream's size and commits
 * it. Nothing written means nothing changed.
 *
 * As documented, Seek (except to learn the position), SetSize, Stat,
 * Clone, LockRegion, UnlockRegion and Revert are not supported:
 * STG_E_INVALIDFUNCTION.
 */
#include <stdatomic.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapiguid.h"
#include "mapiutil.h"
#include "rtf/lzfu.h"
#include "rtf/rtf.h"

typedef struct rtf_stream {
    const IStreamVtbl *lpVtbl;
    _Atomic ULONG refs;
    IStream *inner; /* the compressed stream (held) */
    int writing;
    /* reading: the compressed bytes and the decoder, or a decoded body */
    uint8_t *comp;
    size_t ncomp;
    fm_lzfu_reader *reader;
    char *body;
    size_t nbody, body_pos;
    /* writing */
    fm_lzfu_writer *writer;
    int started, committed;
    HRESULT write_error;
    uint64_t pos;
} rtf_stream;

static const IStreamVtbl RTF_STREAM_VTBL;

static rtf_stream *self(IStream *p)
{
    return (rtf_stream *)p;
}

/* ---- writing ---------------------------------------------------------------------- */
static HRESULT inner_write(void *ctx, const uint8_t *p, size_t n)
{
    IStream *s = ctx;
    while (n > 0) {
        ULONG chunk = n > 0x40000000 ? 0x40000000 : (ULONG)n, put = 0;
        HRESULT hr = s->lpVtbl->Write(s, p, chunk, &put);
        if (hr != S_OK)
            return hr;
        if (put != chunk)
            return fm_error_set(MAPI_E_NOT_ENOUGH_DISK, "compressed RTF: short write");
        p += chunk;
        n -= chunk;
    }
    return S_OK;
}

static HRESULT inner_seek(IStream *s, uint64_t to)
{
    LARGE_INTEGER at = { .QuadPart = (LONGLONG)to };
    return s->lpVtbl->Seek(s, at, STREAM_SEEK_SET, NULL);
}

/* The first write: the gap for the header goes at the stream's start. */
static HRESULT start_writing(rtf_stream *r)
{
    static const uint8_t gap[FM_LZFU_HEADER_SIZE];
    HRESULT hr = inner_seek(r->inner, 0);
    if (hr == S_OK)
        hr = inner_write(r->inner, gap, sizeof gap);
    if (hr == S_OK)
        r->started = 1;
    return hr;
}

static HRESULT finish_writing(rtf_stream *r, DWORD flags)
{
    if (!r->started || r->committed)
        return r->write_error;
    uint8_t header[FM_LZFU_HEADER_SIZE];
    HRESULT hr = r->write_error;
    if (hr == S_OK)
        hr = fm_lzfu_writer_finish(r->writer, header);
    ULARGE_INTEGER end = { .QuadPart = 0 };
    LARGE_INTEGER zero = { .QuadPart = 0 };
    if (hr == S_OK)
        hr = r->inner->lpVtbl->Seek(r->inner, zero, STREAM_SEEK_CUR, &end);
    if (hr == S_OK)
        hr = inner_seek(r->inner, 0);
    if (hr == S_OK)
        hr = inner_write(r->inner, header, sizeof header);
    if (hr == S_OK)
        hr = r->inner->lpVtbl->SetSize(r->inner, end);
    if (hr == S_OK)
        hr = r->inner->lpVtbl->Commit(r->inner, flags);
    r->committed = 1;
    r->write_error = hr;
    return hr;
}

/* ---- IUnknown ----------------------------------------------------------------------- */
static STDMETHODIMP rtf_stream_QueryInterface(IStream *This, REFIID riid, LPVOID *ppv)
{
    if (riid == NULL || ppv == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::QueryInterface: NULL argument");
    *ppv = NULL;
    if (!IsEqualIID(riid, &IID_IStream) && !IsEqualIID(riid, &IID_ISequentialStream) &&
        !IsEqualIID(riid, &IID_IUnknown))
        return fm_error_set(E_NOINTERFACE, "RTF stream: unsupported interface");
    atomic_fetch_add(&self(This)->refs, 1);
    *ppv = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) rtf_stream_AddRef(IStream *This)
{
    return atomic_fetch_add(&self(This)->refs, 1) + 1;
}

static void rtf_stream_free(rtf_stream *r)
{
    fm_lzfu_writer_free(r->writer);
    fm_free(r->reader);
    fm_free(r->comp);
    fm_free(r->body);
    if (r->inner)
        r->inner->lpVtbl->Release(r->inner);
    fm_free(r);
}

static STDMETHODIMP_(ULONG) rtf_stream_Release(IStream *This)
{
    rtf_stream *r = self(This);
    ULONG left = atomic_fetch_sub(&r->refs, 1) - 1;
    if (left == 0) {
        if (r->writing)
            finish_writing(r, STGC_DEFAULT); /* nothing written is lost */
        rtf_stream_free(r);
    }
    return left;
}

/* ---- ISequentialStream ---------------------------------------------------------------- */
static STDMETHODIMP rtf_stream_Read(IStream *This, void *pv, ULONG cb, ULONG *pcbRead)
{
    rtf_stream *r = self(This);
    if (pcbRead)
        *pcbRead = 0;
    if (pv == NULL && cb != 0)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::Read: NULL buffer");
    if (r->writing)
        return fm_error_set(STG_E_ACCESSDENIED, "IStream::Read: the RTF stream was opened "
                                                "for writing");
    size_t got = 0;
    HRESULT hr = S_OK;
    if (r->body) {
        got = r->nbody - r->body_pos < cb ? r->nbody - r->body_pos : cb;
        memcpy(pv, r->body + r->body_pos, got);
        r->body_pos += got;
    } else {
        while (hr == S_OK && got < cb) {
            size_t n = 0;
            hr = fm_lzfu_read(r->reader, (uint8_t *)pv + got, cb - got, &n);
            if (n == 0)
                break;
            got += n;
        }
    }
    r->pos += got;
    if (pcbRead)
        *pcbRead = (ULONG)got;
    return hr;
}

static STDMETHODIMP rtf_stream_Write(IStream *This, const void *pv, ULONG cb, ULONG *pcbWritten)
{
    rtf_stream *r = self(This);
    if (pcbWritten)
        *pcbWritten = 0;
    if (pv == NULL && cb != 0)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::Write: NULL buffer");
    if (!r->writing)
        return fm_error_set(STG_E_ACCESSDENIED, "IStream::Write: the RTF stream was opened "
                                                "without MAPI_MODIFY");
    if (r->committed)
        return fm_error_set(STG_E_ACCESSDENIED, "IStream::Write: the RTF was committed; the "
                                                "whole text is written in one go");
    if (r->write_error != S_OK)
        return r->write_error;
    HRESULT hr = r->started ? S_OK : start_writing(r);
    if (hr == S_OK)
        hr = fm_lzfu_writer_write(r->writer, pv, cb);
    if (hr != S_OK) {
        r->write_error = hr;
        return hr;
    }
    r->pos += cb;
    if (pcbWritten)
        *pcbWritten = cb;
    return S_OK;
}

/* ---- IStream ---------------------------------------------------------------------------- */
static HRESULT unsupported(const char *method)
{
    return fm_error_set(STG_E_INVALIDFUNCTION, "IStream::%s: not supported by the uncompressed "
                                               "RTF stream (WrapCompressedRTFStream)", method);
}

static STDMETHODIMP rtf_stream_Seek(IStream *This, LARGE_INTEGER dlibMove, DWORD dwOrigin,
                            ULARGE_INTEGER *plibNewPosition)
{
    if (dwOrigin != STREAM_SEEK_CUR || dlibMove.QuadPart != 0)
        return unsupported("Seek");
    if (plibNewPosition)
        plibNewPosition->QuadPart = self(This)->pos;
    return S_OK;
}

static STDMETHODIMP rtf_stream_SetSize(IStream *This, ULARGE_INTEGER libNewSize)
{
    return unsupported("SetSize");
}

static STDMETHODIMP rtf_stream_CopyTo(IStream *This, IStream *pstm, ULARGE_INTEGER cb,
                              ULARGE_INTEGER *pcbRead, ULARGE_INTEGER *pcbWritten)
{
    if (pcbRead)
        pcbRead->QuadPart = 0;
    if (pcbWritten)
        pcbWritten->QuadPart = 0;
    if (pstm == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStream::CopyTo: NULL destination");
    char buf[16384];
    uint64_t left = cb.QuadPart, rd = 0, wr = 0;
    HRESULT hr = S_OK;
    while (hr == S_OK && left > 0) {
        ULONG want = left < sizeof buf ? (ULONG)left : (ULONG)sizeof buf, got = 0, put = 0;
        hr = rtf_stream_Read(This, buf, want, &got);
        if (hr != S_OK || got == 0)
            break;
        rd += got;
        hr = pstm->lpVtbl->Write(pstm, buf, got, &put);
        wr += put;
        left -= got;
    }
    if (pcbRead)
        pcbRead->QuadPart = rd;
    if (pcbWritten)
        pcbWritten->QuadPart = wr;
    return hr;
}

static STDMETHODIMP rtf_stream_Commit(IStream *This, DWORD grfCommitFlags)
{
    rtf_stream *r = self(This);
    return r->writing ? finish_writing(r, grfCommitFlags) : S_OK;
}

static STDMETHODIMP rtf_stream_Revert(IStream *This)
{
    return unsupported("Revert");
}

static STDMETHODIMP rtf_stream_LockRegion(IStream *This, ULARGE_INTEGER o, ULARGE_INTEGER cb, DWORD t)
{
    return unsupported("LockRegion");
}

static STDMETHODIMP rtf_stream_UnlockRegion(IStream *This, ULARGE_INTEGER o, ULARGE_INTEGER cb, DWORD t)
{
    return unsupported("UnlockRegion");
}

static STDMETHODIMP rtf_stream_Stat(IStream *This, STATSTG *pstatstg, DWORD grfStatFlag)
{
    return unsupported("Stat");
}

static STDMETHODIMP rtf_stream_Clone(IStream *This, IStream **ppstm)
{
    if (ppstm)
        *ppstm = NULL;
    return unsupported("Clone");
}

static const IStreamVtbl RTF_STREAM_VTBL = {
    .QueryInterface = rtf_stream_QueryInterface,
    .AddRef = rtf_stream_AddRef,
    .Release = rtf_stream_Release,
    .Read = rtf_stream_Read,
    .Write = rtf_stream_Write,
    .Seek = rtf_stream_Seek,
    .SetSize = rtf_stream_SetSize,
    .CopyTo = rtf_stream_CopyTo,
    .Commit = rtf_stream_Commit,
    .Revert = rtf_stream_Revert,
    .LockRegion = rtf_stream_LockRegion,
    .UnlockRegion = rtf_stream_UnlockRegion,
    .Stat = rtf_stream_Stat,
    .Clone = rtf_stream_Clone,
};

/* ---- making one ------------------------------------------------------------------------ */
/* The rest of s from where it is, as one fm_malloc'd block. */
static HRESULT read_all(IStream *s, uint8_t **out, size_t *n)
{
    size_t cap = 65536, len = 0;
    uint8_t *p = fm_malloc(cap);
    if (p == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "compressed RTF: out of memory");
    for (;;) {
        if (cap - len < 65536) {
            uint8_t *q = cap > SIZE_MAX / 2 ? NULL : fm_realloc(p, cap * 2);
            if (q == NULL) {
                fm_free(p);
                return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "compressed RTF: out of memory");
            }
            p = q;
            cap *= 2;
        }
        ULONG got = 0;
        HRESULT hr = s->lpVtbl->Read(s, p + len, 65536, &got);
        if (hr != S_OK) {
            fm_free(p);
            return hr;
        }
        if (got == 0)
            break;
        len += got;
    }
    *out = p;
    *n = len;
    return S_OK;
}

/* Decodes the whole RTF and de-encapsulates what it holds. */
static HRESULT native_body(rtf_stream *r, ULONG out_cp, ULONG *type)
{
    uint8_t *rtf = NULL;
    size_t n = 0;
    HRESULT hr = fm_lzfu_decompress(r->comp, r->ncomp, &rtf, &n);
    if (hr != S_OK)
        return hr;
    fm_rtf_kind kind = fm_rtf_detect((const char *)rtf, n);
    if (kind == FM_RTF_NATIVE) {
        *type = MAPI_NATIVE_BODY_TYPE_RTF;
        r->body = (char *)rtf;
        r->nbody = n;
        return S_OK;
    }
    fm_rtf_buf out = { NULL, 0, 0 };
    hr = fm_rtf_deencapsulate((const char *)rtf, n, &kind, &out);
    fm_free(rtf);
    if (hr == S_OK && out_cp != 0 && out_cp != 65001) {
        fm_rtf_buf_clear(&out);
        hr = fm_error_set(MAPI_E_UNKNOWN_CPID, "WrapCompressedRTFStreamEx: the native body is "
                                               "given as UTF-8 (ulOutCodePage 0 or 65001), not "
                                               "code page %lu", (unsigned long)out_cp);
    }
    if (hr != S_OK)
        return hr;
    *type = kind == FM_RTF_FROM_HTML ? MAPI_NATIVE_BODY_TYPE_HTML : MAPI_NATIVE_BODY_TYPE_PLAINTEXT;
    r->body = out.p;
    r->nbody = out.n;
    return S_OK;
}

static HRESULT wrap(IStream *inner, ULONG flags, ULONG out_cp, IStream **out, ULONG *type)
{
    rtf_stream *r = fm_calloc(1, sizeof *r);
    if (r == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "compressed RTF: out of memory");
    r->lpVtbl = &RTF_STREAM_VTBL;
    atomic_init(&r->refs, 1);
    inner->lpVtbl->AddRef(inner);
    r->inner = inner;
    HRESULT hr = S_OK;
    if (flags & MAPI_MODIFY) {
        r->writing = 1;
        hr = fm_lzfu_writer_new(!(flags & STORE_UNCOMPRESSED_RTF), inner_write, inner,
                                &r->writer);
    } else {
        hr = read_all(inner, &r->comp, &r->ncomp);
        if (hr == S_OK && (flags & MAPI_NATIVE_BODY)) {
            hr = native_body(r, out_cp, type);
        } else if (hr == S_OK) {
            r->reader = fm_malloc(sizeof *r->reader);
            hr = r->reader ? fm_lzfu_reader_init(r->reader, r->comp, r->ncomp)
                           : fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "compressed RTF: out of "
                                                                    "memory");
        }
    }
    if (hr != S_OK) {
        rtf_stream_free(r);
        return hr;
    }
    *out = (IStream *)r;
    return S_OK;
}

STDAPI WrapCompressedRTFStream(LPSTREAM lpCompressedRTFStream, ULONG ulFlags,
                               LPSTREAM *lpUncompressedRTFStream)
{
    if (lpCompressedRTFStream == NULL || lpUncompressedRTFStream == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "WrapCompressedRTFStream: NULL argument");
    *lpUncompressedRTFStream = NULL;
    if (ulFlags & ~(MAPI_MODIFY | STORE_UNCOMPRESSED_RTF))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "WrapCompressedRTFStream: unknown flags %08lX",
                            (unsigned long)ulFlags);
    ULONG type = 0;
    return wrap(lpCompressedRTFStream, ulFlags, 0, lpUncompressedRTFStream, &type);
}

STDAPI WrapCompressedRTFStreamEx(LPSTREAM lpCompressedRTFStream, CONST RTF_WCSINFO *pWCSInfo,
                                 LPSTREAM *lppUncompressedRTFStream, RTF_WCSRETINFO *pRetInfo)
{
    if (lpCompressedRTFStream == NULL || pWCSInfo == NULL || lppUncompressedRTFStream == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "WrapCompressedRTFStreamEx: NULL argument");
    *lppUncompressedRTFStream = NULL;
    if (pWCSInfo->size < sizeof(RTF_WCSINFO))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "WrapCompressedRTFStreamEx: "
                                                      "RTF_WCSINFO.size is %lu",
                            (unsigned long)pWCSInfo->size);
    ULONG f = pWCSInfo->ulFlags;
    if (f & ~(MAPI_MODIFY | STORE_UNCOMPRESSED_RTF | MAPI_NATIVE_BODY))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "WrapCompressedRTFStreamEx: unknown flags %08lX",
                            (unsigned long)f);
    if ((f & MAPI_NATIVE_BODY) && (f & MAPI_MODIFY))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "WrapCompressedRTFStreamEx: "
                                                      "MAPI_NATIVE_BODY cannot be combined with "
                                                      "MAPI_MODIFY");
    if ((f & MAPI_NATIVE_BODY) && (pRetInfo == NULL || pRetInfo->size < sizeof(RTF_WCSRETINFO)))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "WrapCompressedRTFStreamEx: "
                                                      "MAPI_NATIVE_BODY needs an RTF_WCSRETINFO");
    ULONG type = 0;
    HRESULT hr = wrap(lpCompressedRTFStream, f, pWCSInfo->ulOutCodePage,
                      lppUncompressedRTFStream, &type);
    if (hr == S_OK && pRetInfo != NULL && pRetInfo->size >= sizeof(RTF_WCSRETINFO))
        pRetInfo->ulStreamFlags = (f & MAPI_NATIVE_BODY) ? type : 0;
    return hr;
}
