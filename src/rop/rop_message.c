/*
 * rop/rop_message.c - message ROPs ([MS-OXCROPS] 2.2.6, [MS-OXCMSG]) on the
 * store's IMAPIFolder and IMessage: RopOpenMessage, RopCreateMessage,
 * RopSaveChangesMessage.
 */
#include "core/error.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"
#include "rop/rop_int.h"
#include "store/entryid.h"

#define KIND(k) (1u << (k))

static void put_typed_string(fm_rop_writer *w, const SPropValue *v)
{
    /* TypedString ([MS-OXCDATA] 2.11.?): StringType 0x00 absent, 0x01 empty,
     * 0x04 UTF-16LE with its NUL. */
    const WCHAR *s = PROP_TYPE(v->ulPropTag) == PT_UNICODE ? v->Value.lpszW : NULL;

    if (!s) {
        fm_rop_put_u8(w, 0x00);
        return;
    }
    if (!*s) {
        fm_rop_put_u8(w, 0x01);
        return;
    }
    fm_rop_put_u8(w, 0x04);
    for (; *s; s++)
        fm_rop_put_u16(w, (uint16_t)*s);
    fm_rop_put_u16(w, 0);
}

/* [MS-OXCROPS] 2.2.6.1.1: RopId 0x03, LogonId, InputHandleIndex,
 * OutputHandleIndex, CodePageId (2), FolderId (8), OpenModeFlags (1),
 * MessageId (8). Response 2.2.6.1.2: RopId, OutputHandleIndex,
 * ReturnValue, HasNamedProperties (1), SubjectPrefix and NormalizedSubject
 * (TypedStrings), RecipientCount (2), ColumnCount (2), RecipientColumns,
 * RowCount (1), RecipientRows (OpenRecipientRow, 2.2.6.1.2.1): as many
 * as fit (rop_recipients.c); the client reads the rest with
 * RopReadRecipients. */
HRESULT fm_rop_open_message(fm_rop_call *call)
{
    uint8_t out_index = fm_rop_get_u8(call->req), mode;
    uint64_t fid, mid;
    fm_rop_object *in;
    LPUNKNOWN msg = NULL;
    SizedSPropTagArray(3, want) = {3, {PR_SUBJECT_PREFIX_W, PR_NORMALIZED_SUBJECT_W,
                                       PR_SUBJECT_W}};
    LPSPropValue vals = NULL;
    LPSRowSet recips = NULL;
    ULONG n = 0;
    size_t start = call->resp->len;
    uint32_t ec;
    HRESULT hr;

    (void)fm_rop_get_u16(call->req); /* CodePageId: strings are sent as UTF-16 */
    fid = fm_rop_get_u64(call->req);
    mode = fm_rop_get_u8(call->req);
    mid = fm_rop_get_u64(call->req);
    (void)fid; /* the MID alone names the message in a freemapi store */
    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    in = fm_rop_input_out(call, KIND(FM_ROP_OBJ_LOGON) | KIND(FM_ROP_OBJ_FOLDER), out_index, &ec);
    /* OpenModeFlags ([MS-OXCMSG] 2.2.3.1.1): ReadOnly 0x00, ReadWrite 0x01,
     * BestAccess 0x03. */
    if (ec == 0)
        ec = fm_rop_open_id(in, mid, FM_EID_MESSAGE, (mode & 0x01) ? MAPI_BEST_ACCESS : 0, &msg);
    if (ec == (uint32_t)MAPI_E_NOT_ENOUGH_MEMORY)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (ec != 0) {
        fm_rop_put_failure(call, out_index, ec);
        return S_OK;
    }
    hr = ((LPMAPIPROP)msg)->lpVtbl->GetProps((LPMAPIPROP)msg, (LPSPropTagArray)&want, MAPI_UNICODE,
                                             &n, &vals);
    if (SUCCEEDED(hr))
        hr = fm_rop_recipients_read((LPMESSAGE)msg, &recips);
    if (FAILED(hr)) {
        MAPIFreeBuffer(vals);
        msg->lpVtbl->Release(msg);
        if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
            return hr;
        fm_rop_put_failure(call, out_index, fm_rop_ec(hr));
        return S_OK;
    }
    hr = fm_rop_output_object(call, FM_ROP_OBJ_MESSAGE, in, out_index, msg);
    if (FAILED(hr)) {
        MAPIFreeBuffer(vals);
        FreeProws(recips);
        return hr;
    }
    fm_rop_put_u8(call->resp, 1); /* HasNamedProperties: freemapi stores map names */
    put_typed_string(call->resp, &vals[0]);
    /* A store that keeps no PR_NORMALIZED_SUBJECT (freemapi's computes it
     * only in contents tables) has the whole subject as it. */
    put_typed_string(call->resp, PROP_TYPE(vals[1].ulPropTag) == PT_UNICODE ? &vals[1] : &vals[2]);
    fm_rop_put_open_recipients(call, recips, start);
    FreeProws(recips);
    MAPIFreeBuffer(vals);
    return S_OK;
}

/* [MS-OXCROPS] 2.2.6.2.1: RopId 0x06, LogonId, InputHandleIndex,
 * OutputHandleIndex, CodePageId (2), FolderId (8), AssociatedFlag (1).
 * Response 2.2.6.2.2: RopId, OutputHandleIndex, ReturnValue, HasMessageId
 * (1), MessageId (8, when HasMessageId). A freemapi message gets its id
 * when first saved, so HasMessageId is FALSE; RopSaveChangesMessage
 * returns it. */
HRESULT fm_rop_create_message(fm_rop_call *call)
{
    uint8_t out_index = fm_rop_get_u8(call->req), associated;
    uint64_t fid;
    fm_rop_object *in;
    LPUNKNOWN folder = NULL;
    LPMESSAGE msg = NULL;
    uint32_t ec;
    HRESULT hr;

    (void)fm_rop_get_u16(call->req); /* CodePageId */
    fid = fm_rop_get_u64(call->req);
    associated = fm_rop_get_u8(call->req);
    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    in = fm_rop_input_out(call, KIND(FM_ROP_OBJ_LOGON) | KIND(FM_ROP_OBJ_FOLDER), out_index, &ec);
    if (ec == 0)
        ec = fm_rop_open_id(in, fid, FM_EID_FOLDER, MAPI_MODIFY, &folder);
    if (ec == 0) {
        hr = ((LPMAPIFOLDER)folder)->lpVtbl->CreateMessage((LPMAPIFOLDER)folder, NULL,
                                                           associated ? MAPI_ASSOCIATED : 0, &msg);
        folder->lpVtbl->Release(folder);
        ec = fm_rop_ec(hr);
    }
    if (ec == (uint32_t)MAPI_E_NOT_ENOUGH_MEMORY)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (ec != 0) {
        fm_rop_put_failure(call, out_index, ec);
        return S_OK;
    }
    hr = fm_rop_output_object(call, FM_ROP_OBJ_MESSAGE, in, out_index, (LPUNKNOWN)msg);
    if (FAILED(hr))
        return hr;
    fm_rop_put_u8(call->resp, 0); /* HasMessageId */
    return S_OK;
}

/* [MS-OXCROPS] 2.2.6.3.1: RopId 0x0C, LogonId, ResponseHandleIndex,
 * InputHandleIndex, SaveFlags (1). Response 2.2.6.3.2: RopId,
 * ResponseHandleIndex, ReturnValue, InputHandleIndex (1), MessageId (8).
 * SaveFlags ([MS-OXCMSG] 2.2.3.3.1) KeepOpenReadOnly 0x01,
 * KeepOpenReadWrite 0x02, ForceSave 0x04 are IMessage::SaveChanges's
 * KEEP_OPEN_READONLY, KEEP_OPEN_READWRITE and FORCE_SAVE. */
HRESULT fm_rop_save_changes_message(fm_rop_call *call)
{
    uint8_t response_index = call->input_index;
    uint8_t input_index = fm_rop_get_u8(call->req), flags = fm_rop_get_u8(call->req);
    SPropTagArray one = {1, {PR_ENTRYID}};
    LPSPropValue v = NULL;
    fm_rop_object *obj;
    LPMESSAGE msg;
    uint64_t mid = 0;
    ULONG n = 0;
    uint32_t ec;
    HRESULT hr;

    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    obj = fm_rop_input(call, input_index, KIND(FM_ROP_OBJ_MESSAGE), &ec);
    if (!obj) {
        fm_rop_put_failure(call, response_index, ec);
        return S_OK;
    }
    msg = (LPMESSAGE)obj->unk;
    hr = msg->lpVtbl->SaveChanges(msg, (ULONG)(flags & 0x07) | KEEP_OPEN_READWRITE);
    if (SUCCEEDED(hr))
        hr = msg->lpVtbl->GetProps(msg, &one, 0, &n, &v);
    if (SUCCEEDED(hr) && (PROP_TYPE(v[0].ulPropTag) != PT_BINARY ||
                          !fm_rop_id_from_entryid(fm_rop_logon_of(obj), &v[0].Value.bin,
                                                  FM_EID_MESSAGE, &mid)))
        hr = fm_error_set(MAPI_E_CALL_FAILED, "a saved message has no entry ID");
    MAPIFreeBuffer(v);
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
        return hr;
    if (FAILED(hr)) {
        fm_rop_put_failure(call, response_index, fm_rop_ec(hr));
        return S_OK;
    }
    fm_rop_put_u8(call->resp, call->rop_id);
    fm_rop_put_u8(call->resp, response_index);
    fm_rop_put_u32(call->resp, 0);
    fm_rop_put_u8(call->resp, input_index);
    fm_rop_put_u64(call->resp, mid);
    return S_OK;
}
