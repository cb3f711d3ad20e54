/*
 * rop/rop_table.c - table ROPs ([MS-OXCROPS] 2.2.5, [MS-OXCTABL]) on the
 * store's IMAPITable: RopSetColumns, RopQueryRows.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapix.h"
#include "mapiutil.h"
#include "rop/rop_int.h"
#include "rop/rop_props.h"

#define EC_BUFFER_TOO_SMALL 0x0000047Du /* [MS-OXCDATA] 2.4 ecBufferTooSmall */

/* Reads PropertyTagCount (2) and the PropertyTags into a fm_malloc'd
 * SPropTagArray. NULL with the reader bad, or on OOM (*oom). */
SPropTagArray *fm_rop_get_tags(fm_rop_reader *r, bool *oom)
{
    uint16_t n = fm_rop_get_u16(r), i;
    SPropTagArray *tags;

    *oom = false;
    if (r->bad || (size_t)n * 4 > fm_rop_reader_left(r)) {
        r->bad = true;
        return NULL;
    }
    tags = fm_malloc(sizeof(ULONG) * (1 + (size_t)n));
    if (!tags) {
        *oom = true;
        return NULL;
    }
    tags->cValues = n;
    for (i = 0; i < n; i++)
        tags->aulPropTag[i] = fm_rop_get_u32(r);
    return tags;
}

/* [MS-OXCROPS] 2.2.5.1.1: RopId 0x12, LogonId, InputHandleIndex,
 * SetColumnsFlags (1), PropertyTagCount (2), PropertyTags. Response
 * 2.2.5.1.2: RopId, InputHandleIndex, ReturnValue, TableStatus (1). The
 * columns are kept on the table object: QueryRows encodes to them. */
HRESULT fm_rop_set_columns(fm_rop_call *call)
{
    fm_rop_object *obj;
    SPropTagArray *tags;
    LPMAPITABLE table;
    uint32_t ec;
    bool oom;
    HRESULT hr;

    (void)fm_rop_get_u8(call->req); /* SetColumnsFlags: every call completes at once */
    tags = fm_rop_get_tags(call->req, &oom);
    if (oom)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!tags)
        return MAPI_E_CORRUPT_DATA;
    obj = fm_rop_input(call, call->input_index, 1u << FM_ROP_OBJ_TABLE, &ec);
    if (!obj) {
        fm_free(tags);
        fm_rop_put_failure(call, call->input_index, ec);
        return S_OK;
    }
    table = (LPMAPITABLE)obj->unk;
    hr = table->lpVtbl->SetColumns(table, tags, 0);
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY) {
        fm_free(tags);
        return hr;
    }
    if (FAILED(hr)) {
        fm_free(tags);
        fm_rop_put_failure(call, call->input_index, fm_rop_ec(hr));
        return S_OK;
    }
    if (obj->state_free)
        obj->state_free(obj->state);
    obj->state = tags;
    obj->state_free = fm_free;
    fm_rop_put_u8(call->resp, call->rop_id);
    fm_rop_put_u8(call->resp, call->input_index);
    fm_rop_put_u32(call->resp, 0);
    fm_rop_put_u8(call->resp, 0x00); /* TBLSTAT_COMPLETE */
    return S_OK;
}

/* Encodes as many of rows as fit room - 9 (the response's fixed part);
 * returns how many. */
static ULONG rows_put(fm_rop_writer *w, const SPropTagArray *cols, const SRowSet *rows,
                      size_t room)
{
    size_t start = w->len;
    ULONG i;

    for (i = 0; i < rows->cRows; i++) {
        size_t mark = w->len;
        fm_rop_put_row(w, cols, rows->aRow[i].lpProps);
        if (w->oom || w->len - start + 9 > room) {
            w->len = mark;
            w->oom = false; /* a value too long for the wire is left for the next call */
            break;
        }
    }
    return i;
}

/* [MS-OXCROPS] 2.2.5.4.1: RopId 0x15, LogonId, InputHandleIndex,
 * QueryRowsFlags (1), ForwardRead (1), RowCount (2). Response 2.2.5.4.2:
 * RopId, InputHandleIndex, ReturnValue, Origin (1), RowCount (2), RowData.
 * [MS-OXCTABL] 3.2.5.5: as many whole rows as fit, at least one or
 * ecBufferTooSmall; Origin BOOKMARK_END (0x02) after a forward read that
 * reached the end, BOOKMARK_BEGINNING (0x00) after such a backward one,
 * else BOOKMARK_CURRENT (0x01). NoAdvance (0x01) leaves the cursor. */
HRESULT fm_rop_query_rows(fm_rop_call *call)
{
    uint8_t flags = fm_rop_get_u8(call->req), forward = fm_rop_get_u8(call->req);
    uint16_t want = fm_rop_get_u16(call->req);
    fm_rop_object *obj;
    LPMAPITABLE table;
    LPSRowSet rows = NULL;
    SPropTagArray *cols;
    LPSPropTagArray queried = NULL;
    ULONG put = 0;
    bool too_small = false;
    size_t head;
    uint32_t ec;
    HRESULT hr;

    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    obj = fm_rop_input(call, call->input_index, 1u << FM_ROP_OBJ_TABLE, &ec);
    if (!obj) {
        fm_rop_put_failure(call, call->input_index, ec);
        return S_OK;
    }
    table = (LPMAPITABLE)obj->unk;
    cols = obj->state;
    hr = cols ? S_OK : table->lpVtbl->QueryColumns(table, 0, &queried);
    if (SUCCEEDED(hr)) {
        hr = table->lpVtbl->QueryRows(table, forward ? (LONG)want : -(LONG)want, 0, &rows);
        if (!cols)
            cols = queried;
    }
    if (FAILED(hr))
        goto fail;
    head = call->resp->len;
    fm_rop_put_u8(call->resp, call->rop_id);
    fm_rop_put_u8(call->resp, call->input_index);
    fm_rop_put_u32(call->resp, 0);
    fm_rop_put_u8(call->resp, 0x01);
    fm_rop_put_u16(call->resp, 0);
    put = rows_put(call->resp, cols, rows, call->room);
    if (rows->cRows > 0 && put == 0) {
        call->resp->len = head;
        too_small = true;
    }
    /* Rows read but not sent are given back to the cursor; with NoAdvance
     * every row read is. */
    {
        LONG back = (LONG)((flags & 0x01) ? rows->cRows : rows->cRows - put);
        if (back)
            (void)table->lpVtbl->SeekRow(table, BOOKMARK_CURRENT, forward ? -back : back, NULL);
    }
    if (too_small) {
        fm_rop_put_failure(call, call->input_index, EC_BUFFER_TOO_SMALL);
        goto cleanup;
    }
    if (rows->cRows < want && put == rows->cRows)
        call->resp->buf[head + 6] = forward ? 0x02 : 0x00;
    fm_rop_patch_u16(call->resp, head + 7, (uint16_t)put);
    goto cleanup;

fail:
    if (hr != MAPI_E_NOT_ENOUGH_MEMORY) {
        fm_rop_put_failure(call, call->input_index, fm_rop_ec(hr));
        hr = S_OK;
    }
cleanup:
    if (rows)
        FreeProws(rows);
    MAPIFreeBuffer(queried);
    return hr;
}
