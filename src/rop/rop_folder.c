/*
 * rop/rop_folder.c - folder ROPs ([MS-OXCROPS] 2.2.4, [MS-OXCFOLD]) on the
 * store's IMAPIFolder: RopOpenFolder, RopGetHierarchyTable,
 * RopGetContentsTable.
 */
#include "core/error.h"
#include "mapicode.h"
#include "mapix.h"
#include "rop/rop_int.h"
#include "store/entryid.h"

#define KIND(k) (1u << (k))

/* Opens the folder or message `wire` (a FID or MID) of obj's logon. */
uint32_t fm_rop_open_id(fm_rop_object *from, uint64_t wire, int kind, ULONG flags,
                        LPUNKNOWN *out)
{
    fm_rop_logon_state *ls = fm_rop_logon_of(from);
    fm_rop_object *logon = from;
    BYTE eid[FM_EID_SIZE];
    ULONG type = 0;
    IMsgStore *mdb;
    HRESULT hr;

    while (logon->kind != FM_ROP_OBJ_LOGON)
        logon = logon->parent;
    mdb = (IMsgStore *)logon->unk;
    if (!ls || !fm_rop_id_to_entryid(ls, wire, kind, eid))
        return (uint32_t)MAPI_E_NOT_FOUND;
    hr = mdb->lpVtbl->OpenEntry(mdb, FM_EID_SIZE, (LPENTRYID)eid, NULL, flags, &type, out);
    if (hr == MAPI_E_INVALID_ENTRYID || hr == MAPI_E_UNKNOWN_ENTRYID)
        hr = MAPI_E_NOT_FOUND;
    if (SUCCEEDED(hr) && type != (kind == FM_EID_FOLDER ? MAPI_FOLDER : MAPI_MESSAGE)) {
        (*out)->lpVtbl->Release(*out);
        *out = NULL;
        hr = MAPI_E_NOT_FOUND;
    }
    return fm_rop_ec(hr);
}

/* [MS-OXCROPS] 2.2.4.1.1: RopId 0x02, LogonId, InputHandleIndex,
 * OutputHandleIndex, FolderId (8), OpenModeFlags (1). Response 2.2.4.1.2:
 * RopId, OutputHandleIndex, ReturnValue, HasRules (1), IsGhosted (1). */
HRESULT fm_rop_open_folder(fm_rop_call *call)
{
    uint8_t out_index = fm_rop_get_u8(call->req);
    uint64_t fid = fm_rop_get_u64(call->req);
    fm_rop_object *in;
    LPUNKNOWN folder = NULL;
    uint32_t ec;
    HRESULT hr;

    (void)fm_rop_get_u8(call->req); /* OpenModeFlags: no soft-deleted folders here */
    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    in = fm_rop_input_out(call, KIND(FM_ROP_OBJ_LOGON) | KIND(FM_ROP_OBJ_FOLDER), out_index, &ec);
    if (ec == 0)
        ec = fm_rop_open_id(in, fid, FM_EID_FOLDER, MAPI_BEST_ACCESS, &folder);
    if (ec == (uint32_t)MAPI_E_NOT_ENOUGH_MEMORY)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (ec != 0) {
        fm_rop_put_failure(call, out_index, ec);
        return S_OK;
    }
    hr = fm_rop_output_object(call, FM_ROP_OBJ_FOLDER, in, out_index, folder);
    if (FAILED(hr))
        return hr;
    fm_rop_put_u8(call->resp, 0); /* HasRules: no rules yet */
    fm_rop_put_u8(call->resp, 0); /* IsGhosted: private mailboxes are never ghosted */
    return S_OK;
}

/* The tables of a folder: [MS-OXCROPS] 2.2.4.13.1 / 2.2.4.14.1: RopId,
 * LogonId, InputHandleIndex, OutputHandleIndex, TableFlags (1). Response:
 * RopId, OutputHandleIndex, ReturnValue, RowCount (4). TableFlags
 * ([MS-OXCFOLD] 2.2.1.13.1, 2.2.1.14.1): Associated 0x02 (contents), Depth
 * 0x04 (hierarchy), UseUnicode 0x40; the rest (deferred errors, no
 * notifications, soft deletes) change nothing here. */
static HRESULT folder_table(fm_rop_call *call, bool hierarchy)
{
    uint8_t out_index = fm_rop_get_u8(call->req), flags = fm_rop_get_u8(call->req);
    fm_rop_object *in;
    LPMAPIFOLDER folder;
    LPMAPITABLE table = NULL;
    ULONG mapi_flags = MAPI_UNICODE, rows = 0;
    uint32_t ec;
    HRESULT hr;

    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    in = fm_rop_input_out(call, KIND(FM_ROP_OBJ_FOLDER), out_index, &ec);
    if (ec != 0) {
        fm_rop_put_failure(call, out_index, ec);
        return S_OK;
    }
    folder = (LPMAPIFOLDER)in->unk;
    if (hierarchy) {
        if (flags & 0x04)
            mapi_flags |= CONVENIENT_DEPTH;
        hr = folder->lpVtbl->GetHierarchyTable(folder, mapi_flags, &table);
    } else {
        if (flags & 0x02)
            mapi_flags |= MAPI_ASSOCIATED;
        hr = folder->lpVtbl->GetContentsTable(folder, mapi_flags, &table);
    }
    if (SUCCEEDED(hr))
        hr = table->lpVtbl->GetRowCount(table, 0, &rows);
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY) {
        if (table)
            table->lpVtbl->Release(table);
        return hr;
    }
    if (FAILED(hr)) {
        if (table)
            table->lpVtbl->Release(table);
        fm_rop_put_failure(call, out_index, fm_rop_ec(hr));
        return S_OK;
    }
    hr = fm_rop_output_object(call, FM_ROP_OBJ_TABLE, in, out_index, (LPUNKNOWN)table);
    if (FAILED(hr))
        return hr;
    fm_rop_put_u32(call->resp, rows);
    return S_OK;
}

HRESULT fm_rop_get_hierarchy_table(fm_rop_call *call)
{
    return folder_table(call, true);
}

HRESULT fm_rop_get_contents_table(fm_rop_call *call)
{
    return folder_table(call, false);
}
