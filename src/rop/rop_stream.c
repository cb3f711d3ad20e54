/*
 * rop/rop_stream.c - stream ROPs ([MS-OXCROPS] 2.2.9, [MS-OXCPRPT] 2.2.14-
 * 2.2.19) on the IStream that IMAPIProp::OpenProperty gives: RopOpenStream,
 * RopReadStream, RopWriteStream, RopCommitStream, RopGetStreamSize.
 */
#include "mapicode.h"
#include "mapiguid.h"
#include "mapix.h"
#include "rop/rop_int.h"

#define KIND(k) (1u << (k))
#define STREAM_OWNERS (KIND(FM_ROP_OBJ_FOLDER) | KIND(FM_ROP_OBJ_MESSAGE) | KIND(FM_ROP_OBJ_ATTACH))

static IStream *stream_input(fm_rop_call *call)
{
    uint32_t ec;
    fm_rop_object *obj = fm_rop_input(call, call->input_index, KIND(FM_ROP_OBJ_STREAM), &ec);

    if (!obj) {
        fm_rop_put_failure(call, call->input_index, ec);
        return NULL;
    }
    return (IStream *)obj->unk;
}

static HRESULT stream_failed(fm_rop_call *call, uint8_t index, HRESULT hr)
{
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY || hr == E_OUTOFMEMORY || hr == STG_E_INSUFFICIENTMEMORY)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    fm_rop_put_failure(call, index, fm_rop_ec(hr));
    return S_OK;
}


/* The size of a stream (STATSTG cbSize), capped to 32 bits for the wire. */
static HRESULT stream_size(IStream *stm, uint32_t *size)
{
    STATSTG st;
    HRESULT hr = stm->lpVtbl->Stat(stm, &st, STATFLAG_NONAME);

    if (SUCCEEDED(hr))
        *size = st.cbSize.QuadPart > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)st.cbSize.QuadPart;
    return hr;
}

/* [MS-OXCROPS] 2.2.9.1.1 RopOpenStream (0x2B): OutputHandleIndex,
 * PropertyTag (4), OpenModeFlags (1: ReadOnly 0x00, ReadWrite 0x01, Create
 * 0x02, [MS-OXCPRPT] 2.2.14.1). Response 2.2.9.1.2: StreamSize (4). */
HRESULT fm_rop_open_stream(fm_rop_call *call)
{
    uint8_t out_index = fm_rop_get_u8(call->req), mode;
    ULONG tag = fm_rop_get_u32(call->req), stgm, flags;
    fm_rop_object *in;
    LPUNKNOWN unk = NULL;
    uint32_t ec, size = 0;
    HRESULT hr;

    mode = fm_rop_get_u8(call->req);
    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    in = fm_rop_input_out(call, STREAM_OWNERS, out_index, &ec);
    if (in && ec == 0 && mode > 0x02)
        ec = (uint32_t)MAPI_E_INVALID_PARAMETER;
    if (ec != 0) {
        fm_rop_put_failure(call, out_index, ec);
        return S_OK;
    }
    stgm = mode == 0x00 ? STGM_READ : mode == 0x01 ? STGM_READWRITE : STGM_CREATE | STGM_READWRITE;
    flags = mode == 0x00 ? 0 : mode == 0x01 ? MAPI_MODIFY : MAPI_CREATE | MAPI_MODIFY;
    hr = ((LPMAPIPROP)in->unk)->lpVtbl->OpenProperty((LPMAPIPROP)in->unk, tag, &IID_IStream, stgm,
                                                    flags, &unk);
    if (SUCCEEDED(hr))
        hr = stream_size((IStream *)unk, &size);
    if (FAILED(hr)) {
        if (unk)
            unk->lpVtbl->Release(unk);
        return stream_failed(call, out_index, hr);
    }
    hr = fm_rop_output_object(call, FM_ROP_OBJ_STREAM, in, out_index, unk);
    if (SUCCEEDED(hr))
        fm_rop_put_u32(call->resp, size);
    return hr;
}

/* [MS-OXCROPS] 2.2.9.2.1 RopReadStream (0x2C): ByteCount (2), and
 * MaximumByteCount (4) when ByteCount is 0xBABE. Response 2.2.9.2.2:
 * DataSize (2), Data. At most what fits the response buffer is read (the
 * client reads on from where it stopped). */
HRESULT fm_rop_read_stream(fm_rop_call *call)
{
    uint32_t want = fm_rop_get_u16(call->req);
    IStream *stm;
    ULONG got = 0;
    size_t head;
    HRESULT hr;

    if (want == 0xBABE)
        want = fm_rop_get_u32(call->req);
    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    stm = stream_input(call);
    if (!stm)
        return S_OK;
    if (want > 0xFFFF) /* DataSize is 16 bits */
        want = 0xFFFF;
    if (want > call->room - (call->room < 8 ? call->room : 8))
        want = (uint32_t)(call->room < 8 ? 0 : call->room - 8);
    head = call->resp->len;
    fm_rop_put_ok(call, call->input_index);
    fm_rop_put_u16(call->resp, 0);
    fm_rop_put_bytes(call->resp, NULL, 0);
    {
        size_t at = call->resp->len, i;
        for (i = 0; i < want; i++) /* room for the data, filled by Read */
            fm_rop_put_u8(call->resp, 0);
        if (call->resp->oom)
            return MAPI_E_NOT_ENOUGH_MEMORY;
        hr = stm->lpVtbl->Read(stm, call->resp->buf + at, want, &got);
        if (FAILED(hr)) {
            call->resp->len = head;
            return stream_failed(call, call->input_index, hr);
        }
        call->resp->len = at + got;
    }
    fm_rop_patch_u16(call->resp, head + 6, (uint16_t)got);
    return S_OK;
}

/* [MS-OXCROPS] 2.2.9.3.1 RopWriteStream (0x2D): DataSize (2), Data.
 * Response 2.2.9.3.2: WrittenSize (2). */
HRESULT fm_rop_write_stream(fm_rop_call *call)
{
    uint16_t n = fm_rop_get_u16(call->req);
    const uint8_t *data = fm_rop_get_bytes(call->req, n);
    IStream *stm;
    ULONG written = 0;
    HRESULT hr;

    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    stm = stream_input(call);
    if (!stm)
        return S_OK;
    hr = stm->lpVtbl->Write(stm, data, n, &written);
    if (FAILED(hr))
        return stream_failed(call, call->input_index, hr);
    fm_rop_put_ok(call, call->input_index);
    fm_rop_put_u16(call->resp, (uint16_t)written);
    return S_OK;
}

/* [MS-OXCROPS] 2.2.9.5 RopCommitStream (0x5D): IStream::Commit. */
HRESULT fm_rop_commit_stream(fm_rop_call *call)
{
    IStream *stm = stream_input(call);
    HRESULT hr;

    if (!stm)
        return S_OK;
    hr = stm->lpVtbl->Commit(stm, 0);
    if (FAILED(hr))
        return stream_failed(call, call->input_index, hr);
    fm_rop_put_ok(call, call->input_index);
    return S_OK;
}

/* [MS-OXCROPS] 2.2.9.6 RopGetStreamSize (0x5E). Response: StreamSize (4). */
HRESULT fm_rop_get_stream_size(fm_rop_call *call)
{
    IStream *stm = stream_input(call);
    uint32_t size = 0;
    HRESULT hr;

    if (!stm)
        return S_OK;
    hr = stream_size(stm, &size);
    if (FAILED(hr))
        return stream_failed(call, call->input_index, hr);
    fm_rop_put_ok(call, call->input_index);
    fm_rop_put_u32(call->resp, size);
    return S_OK;
}
