/*
 * rop/rop_folder_ops.c - the folder ROPs that change the hierarchy or the
 * contents ([MS-OXCROPS] 2.2.4, [MS-OXCFOLD] 2.2.1): RopCreateFolder,
 * RopDeleteFolder, RopDeleteMessages, RopHardDeleteMessages,
 * RopEmptyFolder, RopMoveCopyMessages, each one call of IMAPIFolder.
 * Asynchronous execution (WantAsynchronous) is not offered: every one of
 * them completes before its response, which [MS-OXCFOLD] 3.2.5 allows.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapix.h"
#include "rop/rop_int.h"
#include "rop/rop_props.h"
#include "store/entryid.h"

#define KIND(k) (1u << (k))

static LPMAPIFOLDER folder_input(fm_rop_call *call, uint8_t index, uint32_t *ec)
{
    fm_rop_object *obj = fm_rop_input(call, index, KIND(FM_ROP_OBJ_FOLDER), ec);
    return obj ? (LPMAPIFOLDER)obj->unk : NULL;
}

/* A failure of the folder's method: OOM goes up, the rest is answered. */
static HRESULT folder_failed(fm_rop_call *call, uint8_t index, HRESULT hr)
{
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
        return hr;
    fm_rop_put_failure(call, index, fm_rop_ec(hr));
    return S_OK;
}

/* RopId, index, ReturnValue 0, PartialCompletion. */
static void put_partial(fm_rop_call *call, uint8_t index, HRESULT hr)
{
    fm_rop_put_u8(call->resp, call->rop_id);
    fm_rop_put_u8(call->resp, index);
    fm_rop_put_u32(call->resp, 0);
    fm_rop_put_u8(call->resp, hr == MAPI_W_PARTIAL_COMPLETION);
}

/* A string of the request, UTF-16LE or 8-bit (NUL-terminated), as a
 * MAPI_UNICODE string hanging off parent. */
static HRESULT get_string(fm_rop_reader *r, bool unicode, void *parent, LPWSTR *out)
{
    SPropValue v;
    HRESULT hr;
    size_t i, n;

    hr = fm_rop_get_value(r, unicode ? PT_UNICODE : PT_STRING8, parent, &v);
    if (FAILED(hr) || r->bad || unicode) {
        *out = v.Value.lpszW;
        return hr;
    }
    n = strlen(v.Value.lpszA);
    hr = MAPIAllocateMore((ULONG)((n + 1) * sizeof(WCHAR)), parent, (void **)out);
    if (FAILED(hr))
        return hr;
    for (i = 0; i <= n; i++) /* 8-bit names are taken as Latin-1 */
        (*out)[i] = (WCHAR)(unsigned char)v.Value.lpszA[i];
    return S_OK;
}

/* [MS-OXCROPS] 2.2.4.2.1: RopCreateFolder (0x1C): OutputHandleIndex,
 * FolderType (1: generic 1, search 2), UseUnicodeStrings (1), OpenExisting
 * (1), Reserved (1), DisplayName, Comment. Response 2.2.4.2.2: FolderId
 * (8), IsExistingFolder (1), and when existing HasRules (1), IsGhosted (1). */
HRESULT fm_rop_create_folder(fm_rop_call *call)
{
    uint8_t out_index = fm_rop_get_u8(call->req), type = fm_rop_get_u8(call->req);
    uint8_t unicode = fm_rop_get_u8(call->req), existing = fm_rop_get_u8(call->req);
    LPWSTR name = NULL, comment = NULL;
    void *strings = NULL;
    fm_rop_object *in;
    LPMAPIFOLDER parent, folder = NULL;
    SPropTagArray one = {1, {PR_ENTRYID}};
    LPSPropValue v = NULL;
    ULONG n = 0;
    uint64_t fid = 0;
    uint32_t ec;
    HRESULT hr;

    (void)fm_rop_get_u8(call->req); /* Reserved */
    if (MAPIAllocateBuffer(1, &strings))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    hr = get_string(call->req, unicode != 0, strings, &name);
    if (SUCCEEDED(hr) && !call->req->bad)
        hr = get_string(call->req, unicode != 0, strings, &comment);
    if (FAILED(hr) || call->req->bad) {
        MAPIFreeBuffer(strings);
        return FAILED(hr) ? hr : MAPI_E_CORRUPT_DATA;
    }
    in = fm_rop_input_out(call, KIND(FM_ROP_OBJ_FOLDER), out_index, &ec);
    if (in && ec == 0 && type != FOLDER_GENERIC && type != FOLDER_SEARCH)
        ec = (uint32_t)MAPI_E_INVALID_PARAMETER;
    if (ec != 0) {
        MAPIFreeBuffer(strings);
        fm_rop_put_failure(call, out_index, ec);
        return S_OK;
    }
    parent = (LPMAPIFOLDER)in->unk;
    hr = parent->lpVtbl->CreateFolder(parent, type, (LPTSTR)name, *comment ? (LPTSTR)comment : NULL,
                                      NULL, MAPI_UNICODE | (existing ? OPEN_IF_EXISTS : 0),
                                      &folder);
    MAPIFreeBuffer(strings);
    if (SUCCEEDED(hr))
        hr = folder->lpVtbl->GetProps(folder, &one, 0, &n, &v);
    if (SUCCEEDED(hr) && (PROP_TYPE(v[0].ulPropTag) != PT_BINARY ||
                          !fm_rop_id_from_entryid(fm_rop_logon_of(in), &v[0].Value.bin,
                                                  FM_EID_FOLDER, &fid)))
        hr = fm_error_set(MAPI_E_CALL_FAILED, "a new folder has no entry ID");
    MAPIFreeBuffer(v);
    if (FAILED(hr)) {
        if (folder)
            folder->lpVtbl->Release(folder);
        return folder_failed(call, out_index, hr);
    }
    hr = fm_rop_output_object(call, FM_ROP_OBJ_FOLDER, in, out_index, (LPUNKNOWN)folder);
    if (FAILED(hr))
        return hr;
    fm_rop_put_u64(call->resp, fid);
    /* IMAPIFolder::CreateFolder does not say whether OPEN_IF_EXISTS found
     * one: freemapi answers a new folder (FALSE), which needs no more. */
    fm_rop_put_u8(call->resp, 0);
    return S_OK;
}

/* [MS-OXCROPS] 2.2.4.3.1: RopDeleteFolder (0x1D): DeleteFolderFlags (1:
 * DEL_MESSAGES 0x01, DEL_FOLDERS 0x04, DELETE_HARD_DELETE 0x10, MAPI's own
 * values), FolderId (8). Response 2.2.4.3.2: PartialCompletion (1). */
HRESULT fm_rop_delete_folder(fm_rop_call *call)
{
    uint8_t flags = fm_rop_get_u8(call->req);
    uint64_t fid = fm_rop_get_u64(call->req);
    BYTE eid[FM_EID_SIZE];
    LPMAPIFOLDER folder;
    fm_rop_object *in;
    uint32_t ec;
    HRESULT hr;

    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    folder = folder_input(call, call->input_index, &ec);
    if (!folder) {
        fm_rop_put_failure(call, call->input_index, ec);
        return S_OK;
    }
    in = fm_rop_object_find(call->ctx, call->table[call->input_index]);
    if (!fm_rop_id_to_entryid(fm_rop_logon_of(in), fid, FM_EID_FOLDER, eid)) {
        fm_rop_put_failure(call, call->input_index, (uint32_t)MAPI_E_NOT_FOUND);
        return S_OK;
    }
    hr = folder->lpVtbl->DeleteFolder(folder, FM_EID_SIZE, (LPENTRYID)eid, 0, NULL,
                                      flags & (DEL_MESSAGES | DEL_FOLDERS | DELETE_HARD_DELETE));
    if (FAILED(hr))
        return folder_failed(call, call->input_index, hr);
    put_partial(call, call->input_index, hr);
    return S_OK;
}

/* MessageIdCount (2) + MessageIds (8 each) into an ENTRYLIST of entry IDs
 * of the logon (one MAPI buffer); NULL with the reader bad, or OOM. */
static HRESULT get_message_list(fm_rop_reader *r, const fm_rop_logon_state *ls,
                                LPENTRYLIST *out)
{
    uint16_t n = fm_rop_get_u16(r), i;
    LPENTRYLIST list = NULL;
    BYTE *ids;

    *out = NULL;
    if (r->bad || (size_t)n * 8 > fm_rop_reader_left(r)) {
        r->bad = true;
        return S_OK;
    }
    if (MAPIAllocateBuffer(sizeof(ENTRYLIST) + (ULONG)n * (sizeof(SBinary) + FM_EID_SIZE),
                           (void **)&list))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    list->cValues = 0;
    list->lpbin = (SBinary *)(list + 1);
    ids = (BYTE *)(list->lpbin + n);
    for (i = 0; i < n; i++) {
        uint64_t mid = fm_rop_get_u64(r);
        /* A MID that names nothing here is skipped: the store reports the
         * rest, as for an entry ID of a deleted message. */
        if (ls && fm_rop_id_to_entryid(ls, mid, FM_EID_MESSAGE, ids + FM_EID_SIZE * list->cValues)) {
            list->lpbin[list->cValues].cb = FM_EID_SIZE;
            list->lpbin[list->cValues].lpb = ids + FM_EID_SIZE * list->cValues;
            list->cValues++;
        }
    }
    *out = list;
    return S_OK;
}

/* [MS-OXCROPS] 2.2.4.11.1 RopDeleteMessages (0x1E) and 2.2.4.12.1
 * RopHardDeleteMessages (0x91): WantAsynchronous (1), NotifyNonRead (1),
 * MessageIdCount (2), MessageIds. Response: PartialCompletion (1). */
static HRESULT delete_messages(fm_rop_call *call, ULONG flags)
{
    LPENTRYLIST list = NULL;
    LPMAPIFOLDER folder;
    uint32_t ec;
    HRESULT hr;

    (void)fm_rop_get_u8(call->req); /* WantAsynchronous */
    (void)fm_rop_get_u8(call->req); /* NotifyNonRead: no read receipts are generated here */
    folder = folder_input(call, call->input_index, &ec);
    hr = get_message_list(call->req,
                          folder ? fm_rop_logon_of(fm_rop_object_find(
                                       call->ctx, call->table[call->input_index]))
                                 : NULL,
                          &list);
    if (FAILED(hr))
        return hr;
    if (!list)
        return MAPI_E_CORRUPT_DATA;
    if (!folder) {
        MAPIFreeBuffer(list);
        fm_rop_put_failure(call, call->input_index, ec);
        return S_OK;
    }
    hr = folder->lpVtbl->DeleteMessages(folder, list, 0, NULL, flags);
    MAPIFreeBuffer(list);
    if (FAILED(hr))
        return folder_failed(call, call->input_index, hr);
    put_partial(call, call->input_index, hr);
    return S_OK;
}

HRESULT fm_rop_delete_messages(fm_rop_call *call)
{
    return delete_messages(call, 0);
}

HRESULT fm_rop_hard_delete_messages(fm_rop_call *call)
{
    return delete_messages(call, DELETE_HARD_DELETE);
}

/* [MS-OXCROPS] 2.2.4.9.1 RopEmptyFolder (0x58; example: [MS-OXCPRPT] 4.5,
 * "58 00 00 01 00"): WantAsynchronous (1), WantDeleteAssociated (1).
 * Response: PartialCompletion (1). */
HRESULT fm_rop_empty_folder(fm_rop_call *call)
{
    uint8_t associated;
    LPMAPIFOLDER folder;
    uint32_t ec;
    HRESULT hr;

    (void)fm_rop_get_u8(call->req); /* WantAsynchronous */
    associated = fm_rop_get_u8(call->req);
    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    folder = folder_input(call, call->input_index, &ec);
    if (!folder) {
        fm_rop_put_failure(call, call->input_index, ec);
        return S_OK;
    }
    hr = folder->lpVtbl->EmptyFolder(folder, 0, NULL, associated ? DEL_ASSOCIATED : 0);
    if (FAILED(hr))
        return folder_failed(call, call->input_index, hr);
    put_partial(call, call->input_index, hr);
    return S_OK;
}

/* [MS-OXCROPS] 2.2.4.6.1 RopMoveCopyMessages (0x33): SourceHandleIndex
 * (the third byte), DestHandleIndex (1), MessageIdCount (2), MessageIds,
 * WantAsynchronous (1), WantCopy (1). Response 2.2.4.6.2:
 * SourceHandleIndex, ReturnValue, PartialCompletion (1). */
HRESULT fm_rop_move_copy_messages(fm_rop_call *call)
{
    uint8_t dest_index = fm_rop_get_u8(call->req), copy;
    LPENTRYLIST list = NULL;
    LPMAPIFOLDER src, dst;
    uint32_t ec, dec;
    HRESULT hr;

    src = folder_input(call, call->input_index, &ec);
    dst = folder_input(call, dest_index, &dec);
    hr = get_message_list(call->req,
                          src ? fm_rop_logon_of(fm_rop_object_find(
                                    call->ctx, call->table[call->input_index]))
                              : NULL,
                          &list);
    if (FAILED(hr))
        return hr;
    (void)fm_rop_get_u8(call->req); /* WantAsynchronous */
    copy = fm_rop_get_u8(call->req);
    if (!list || call->req->bad) {
        MAPIFreeBuffer(list);
        return MAPI_E_CORRUPT_DATA;
    }
    if (!src || !dst) {
        MAPIFreeBuffer(list);
        fm_rop_put_failure(call, call->input_index, src ? dec : ec);
        return S_OK;
    }
    hr = src->lpVtbl->CopyMessages(src, list, NULL, dst, 0, NULL, copy ? 0 : MESSAGE_MOVE);
    MAPIFreeBuffer(list);
    if (FAILED(hr))
        return folder_failed(call, call->input_index, hr);
    put_partial(call, call->input_index, hr);
    return S_OK;
}
