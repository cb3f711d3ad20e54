/*
 * rop/rop_attach.c - attachment and submission ROPs ([MS-OXCROPS] 2.2.6,
 * 2.2.7, [MS-OXCMSG] 2.2.3) on IMessage and IAttach:
 * RopGetAttachmentTable, RopOpenAttachment, RopCreateAttachment,
 * RopSaveChangesAttachment, RopSubmitMessage.
 */
#include "mapicode.h"
#include "mapitags.h"
#include "mapix.h"
#include "rop/rop_int.h"

#define KIND(k) (1u << (k))

static LPMESSAGE message_input(fm_rop_call *call, uint8_t index, fm_rop_object **obj)
{
    uint32_t ec;

    *obj = fm_rop_input(call, index, KIND(FM_ROP_OBJ_MESSAGE), &ec);
    if (!*obj) {
        fm_rop_put_failure(call, index, ec);
        return NULL;
    }
    return (LPMESSAGE)(*obj)->unk;
}

/* The message of a ROP with an OutputHandleIndex (both checked), or NULL
 * with the failure response written. */
static LPMESSAGE message_input_out(fm_rop_call *call, uint8_t out_index, fm_rop_object **obj)
{
    LPMESSAGE msg = message_input(call, call->input_index, obj);

    if (msg && !fm_rop_output_ok(call, out_index)) {
        fm_rop_put_failure(call, out_index, FM_EC_NULL_OBJECT);
        return NULL;
    }
    return msg;
}

/* [MS-OXCROPS] 2.2.6.17.1 RopGetAttachmentTable (0x21): OutputHandleIndex,
 * TableFlags (1: Unicode 0x40). Response: RopId, OutputHandleIndex,
 * ReturnValue. */
HRESULT fm_rop_get_attachment_table(fm_rop_call *call)
{
    uint8_t out_index = fm_rop_get_u8(call->req);
    fm_rop_object *in;
    LPMESSAGE msg;
    LPMAPITABLE table = NULL;
    HRESULT hr;

    (void)fm_rop_get_u8(call->req); /* TableFlags: strings follow the columns' types */
    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    msg = message_input_out(call, out_index, &in);
    if (!msg)
        return S_OK;
    hr = msg->lpVtbl->GetAttachmentTable(msg, MAPI_UNICODE, &table);
    if (FAILED(hr))
        return fm_rop_failed(call, out_index, hr);
    return fm_rop_output_object(call, FM_ROP_OBJ_TABLE, in, out_index, (LPUNKNOWN)table);
}

/* [MS-OXCROPS] 2.2.6.12.1 RopOpenAttachment (0x22): OutputHandleIndex,
 * OpenAttachmentFlags (1: ReadOnly 0x00, ReadWrite 0x01, BestAccess 0x03),
 * AttachmentID (4, PR_ATTACH_NUM). Response: RopId, OutputHandleIndex,
 * ReturnValue. */
HRESULT fm_rop_open_attachment(fm_rop_call *call)
{
    uint8_t out_index = fm_rop_get_u8(call->req), flags = fm_rop_get_u8(call->req);
    ULONG num = fm_rop_get_u32(call->req);
    fm_rop_object *in;
    LPMESSAGE msg;
    LPATTACH att = NULL;
    HRESULT hr;

    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    msg = message_input_out(call, out_index, &in);
    if (!msg)
        return S_OK;
    hr = msg->lpVtbl->OpenAttach(msg, num, NULL, (flags & 0x01) ? MAPI_BEST_ACCESS : 0, &att);
    if (FAILED(hr))
        return fm_rop_failed(call, out_index, hr);
    return fm_rop_output_object(call, FM_ROP_OBJ_ATTACH, in, out_index, (LPUNKNOWN)att);
}

/* [MS-OXCROPS] 2.2.6.13.1 RopCreateAttachment (0x23): OutputHandleIndex.
 * Response 2.2.6.13.2: AttachmentID (4). */
HRESULT fm_rop_create_attachment(fm_rop_call *call)
{
    uint8_t out_index = fm_rop_get_u8(call->req);
    fm_rop_object *in;
    LPMESSAGE msg;
    LPATTACH att = NULL;
    ULONG num = 0;
    HRESULT hr;

    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    msg = message_input_out(call, out_index, &in);
    if (!msg)
        return S_OK;
    hr = msg->lpVtbl->CreateAttach(msg, NULL, 0, &num, &att);
    if (FAILED(hr))
        return fm_rop_failed(call, out_index, hr);
    hr = fm_rop_output_object(call, FM_ROP_OBJ_ATTACH, in, out_index, (LPUNKNOWN)att);
    if (SUCCEEDED(hr))
        fm_rop_put_u32(call->resp, num);
    return hr;
}

/* [MS-OXCROPS] 2.2.6.15.1 RopSaveChangesAttachment (0x25): the third byte
 * is ResponseHandleIndex, then InputHandleIndex (1), SaveFlags (1, as
 * RopSaveChangesMessage's). Response: RopId, ResponseHandleIndex,
 * ReturnValue. The attachment's message still needs its own save. */
HRESULT fm_rop_save_changes_attachment(fm_rop_call *call)
{
    uint8_t response_index = call->input_index;
    uint8_t input_index = fm_rop_get_u8(call->req), flags = fm_rop_get_u8(call->req);
    fm_rop_object *obj;
    LPATTACH att;
    uint32_t ec;
    HRESULT hr;

    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    obj = fm_rop_input(call, input_index, KIND(FM_ROP_OBJ_ATTACH), &ec);
    if (!obj) {
        fm_rop_put_failure(call, response_index, ec);
        return S_OK;
    }
    att = (LPATTACH)obj->unk;
    hr = att->lpVtbl->SaveChanges(att, (ULONG)(flags & 0x07) | KEEP_OPEN_READWRITE);
    if (FAILED(hr))
        return fm_rop_failed(call, response_index, hr);
    fm_rop_put_ok(call, response_index);
    return S_OK;
}

/* [MS-OXCROPS] 2.2.7.1.1 RopSubmitMessage (0x32): SubmitFlags (1; none of
 * [MS-OXOMSG] 2.2.3.1.1's PreProcess/NeedsSpooler apply to a freemapi
 * store). Response: RopId, InputHandleIndex, ReturnValue. */
HRESULT fm_rop_submit_message(fm_rop_call *call)
{
    fm_rop_object *in;
    LPMESSAGE msg;
    HRESULT hr;

    (void)fm_rop_get_u8(call->req);
    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    msg = message_input(call, call->input_index, &in);
    if (!msg)
        return S_OK;
    hr = msg->lpVtbl->SubmitMessage(msg, 0);
    if (FAILED(hr))
        return fm_rop_failed(call, call->input_index, hr);
    fm_rop_put_ok(call, call->input_index);
    return S_OK;
}
