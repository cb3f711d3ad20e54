/*
 * rop/rop_logon.c - RopLogon ([MS-OXCROPS] 2.2.3.1) and RopRelease
 * (2.2.15.3): a logon opens a mailbox store of the site, a release takes a
 * handle out of the table.
 */
#include "core/error.h"
#include "mapicode.h"
#include "rop/rop_int.h"

/* [MS-OXCROPS] 2.2.15.3: RopRelease (0x01) is RopId, LogonId,
 * InputHandleIndex and has no response buffer. A bad index is ignored: there
 * is no response to carry an error. */
HRESULT fm_rop_release(fm_rop_call *call)
{
    fm_rop_object *obj;

    if (call->input_index >= call->table_len)
        return S_OK;
    obj = fm_rop_object_find(call->ctx, call->table[call->input_index]);
    if (obj)
        fm_rop_object_release(call->ctx, obj);
    return S_OK;
}

HRESULT fm_rop_logon(fm_rop_call *call)
{
    /* Not yet: the request's length is known (2.2.3.1.1), so it could be
     * skipped, but until RopLogon is implemented it is answered as unknown. */
    fm_rop_put_failure(call, call->input_index, FM_EC_NOT_SUPPORTED);
    fm_rop_get_bytes(call->req, fm_rop_reader_left(call->req));
    return S_OK;
}
