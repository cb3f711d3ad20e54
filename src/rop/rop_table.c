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

/* The table object a table ROP acts on, or NULL with its failure written. */
static LPMAPITABLE table_input(fm_rop_call *call)
{
    uint32_t ec;
    fm_rop_object *obj = fm_rop_input(call, call->input_index, 1u << FM_ROP_OBJ_TABLE, &ec);

    if (!obj) {
        fm_rop_put_failure(call, call->input_index, ec);
        return NULL;
    }
    return (LPMAPITABLE)obj->unk;
}

/* A failure of the table's own method: OOM goes up, the rest is answered. */
static HRESULT table_failed(fm_rop_call *call, HRESULT hr)
{
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
        return hr;
    fm_rop_put_failure(call, call->input_index, fm_rop_ec(hr));
    return S_OK;
}

static void put_ok(fm_rop_call *call)
{
    fm_rop_put_u8(call->resp, call->rop_id);
    fm_rop_put_u8(call->resp, call->input_index);
    fm_rop_put_u32(call->resp, 0);
}

/* [MS-OXCROPS] 2.2.5.7: RopQueryPosition (0x17) is RopId, LogonId,
 * InputHandleIndex; the response adds Numerator (4) and Denominator (4):
 * IMAPITable::QueryPosition's row and row count. */
HRESULT fm_rop_query_position(fm_rop_call *call)
{
    LPMAPITABLE table = table_input(call);
    ULONG row = 0, num = 0, den = 0;
    HRESULT hr;

    if (!table)
        return S_OK;
    hr = table->lpVtbl->QueryPosition(table, &row, &num, &den);
    if (SUCCEEDED(hr))
        hr = table->lpVtbl->GetRowCount(table, 0, &den);
    if (FAILED(hr))
        return table_failed(call, hr);
    put_ok(call);
    fm_rop_put_u32(call->resp, row > den ? den : row);
    fm_rop_put_u32(call->resp, den);
    return S_OK;
}

/* [MS-OXCROPS] 2.2.5.8.1: RopSeekRow (0x18): Origin (1: BOOKMARK_BEGINNING
 * 0, CURRENT 1, END 2), RowCount (4, signed), WantRowMovedCount (1).
 * Response 2.2.5.8.2: HasSoughtLess (1), RowsSought (4). */
HRESULT fm_rop_seek_row(fm_rop_call *call)
{
    uint8_t origin = fm_rop_get_u8(call->req);
    int32_t count = (int32_t)fm_rop_get_u32(call->req);
    LPMAPITABLE table;
    LONG sought = 0;
    HRESULT hr;

    (void)fm_rop_get_u8(call->req); /* WantRowMovedCount: always counted */
    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    table = table_input(call);
    if (!table)
        return S_OK;
    if (origin > 2) {
        fm_rop_put_failure(call, call->input_index, (uint32_t)MAPI_E_INVALID_PARAMETER);
        return S_OK;
    }
    hr = table->lpVtbl->SeekRow(table, origin == 0 ? BOOKMARK_BEGINNING
                                       : origin == 1 ? BOOKMARK_CURRENT : BOOKMARK_END,
                                count, &sought);
    if (FAILED(hr))
        return table_failed(call, hr);
    put_ok(call);
    fm_rop_put_u8(call->resp, sought != count);
    fm_rop_put_u32(call->resp, (uint32_t)sought);
    return S_OK;
}

/* [MS-OXCROPS] 2.2.5.2.1: RopSortTable (0x13): SortTableFlags (1),
 * SortOrderCount (2), CategoryCount (2), ExpandedCount (2), SortOrders.
 * Response 2.2.5.2.2: TableStatus (1). */
HRESULT fm_rop_sort_table(fm_rop_call *call)
{
    LPSSortOrderSet sorts = NULL;
    LPMAPITABLE table;
    HRESULT hr;

    (void)fm_rop_get_u8(call->req); /* SortTableFlags: every sort completes at once */
    hr = fm_rop_get_sort_orders(call->req, &sorts);
    if (FAILED(hr))
        return hr;
    if (!sorts)
        return MAPI_E_CORRUPT_DATA;
    table = table_input(call);
    if (table) {
        hr = table->lpVtbl->SortTable(table, sorts, 0);
        if (FAILED(hr)) {
            hr = table_failed(call, hr);
        } else {
            put_ok(call);
            fm_rop_put_u8(call->resp, 0x00); /* TBLSTAT_COMPLETE */
        }
    }
    MAPIFreeBuffer(sorts);
    return hr;
}

/* [MS-OXCROPS] 2.2.5.3.1: RopRestrict (0x14): RestrictFlags (1),
 * RestrictionDataSize (2), RestrictionData (a Restriction, or nothing to
 * remove the restriction). Response 2.2.5.3.2: TableStatus (1). */
HRESULT fm_rop_restrict(fm_rop_call *call)
{
    uint16_t size;
    const uint8_t *data;
    LPSRestriction res = NULL;
    LPMAPITABLE table;
    fm_rop_reader sub;
    HRESULT hr = S_OK;

    (void)fm_rop_get_u8(call->req); /* RestrictFlags: every restriction completes at once */
    size = fm_rop_get_u16(call->req);
    data = fm_rop_get_bytes(call->req, size);
    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    if (size > 0) {
        fm_rop_reader_init(&sub, data, size);
        hr = fm_rop_get_restriction(&sub, &res);
        if (FAILED(hr))
            return hr;
        if (!res || fm_rop_reader_left(&sub) != 0) {
            MAPIFreeBuffer(res);
            return MAPI_E_CORRUPT_DATA;
        }
    }
    table = table_input(call);
    if (table) {
        hr = table->lpVtbl->Restrict(table, res, 0);
        if (FAILED(hr)) {
            hr = table_failed(call, hr);
        } else {
            put_ok(call);
            fm_rop_put_u8(call->resp, 0x00); /* TBLSTAT_COMPLETE */
        }
    }
    MAPIFreeBuffer(res);
    return hr;
}

/* [MS-OXCROPS] 2.2.5.12 RopQueryColumnsAll (0x37). Response:
 * PropertyTagCount (2), PropertyTags: IMAPITable::QueryColumns with
 * TBL_ALL_COLUMNS. */
HRESULT fm_rop_query_columns_all(fm_rop_call *call)
{
    LPMAPITABLE table = table_input(call);
    LPSPropTagArray tags = NULL;
    HRESULT hr;

    if (!table)
        return S_OK;
    hr = table->lpVtbl->QueryColumns(table, TBL_ALL_COLUMNS, &tags);
    if (FAILED(hr))
        return table_failed(call, hr);
    put_ok(call);
    fm_rop_put_tag_array(call->resp, tags);
    MAPIFreeBuffer(tags);
    return S_OK;
}
