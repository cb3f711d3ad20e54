/*
 * pst/ltp_write_tc.c - table contexts ([MS-PST] 2.3.4) of the writer: a
 * heap holding the TCINFO (columns and their places in a row), a BTH of row
 * IDs to row indexes, and the row matrix in a subnode.
 *
 * Rows are appended in row-ID order (messages get increasing node IDs, so a
 * folder's contents table is written as its messages are): each row goes to
 * the row matrix stream, which never lets a row span two blocks, and its ID
 * to the BTH, so a table of any length costs a few pages of memory.
 * Variable-size cells are HNIDs into the table's heap; a cell value longer
 * than one heap allocation (3,580 bytes) is cut there: tables are views of
 * the objects, whose own PCs keep the whole value.
 */
#include <stdlib.h>

#include "pst/ndb_write.h"

static unsigned cell_size(ULONG t)
{
    unsigned fs = fm_pst_fixed_size(t);
    if (fs == 0 || fs > 8)
        return 4; /* HNID */
    return fs == 8 ? 8 : fs == 4 ? 4 : fs == 2 ? 2 : 1;
}

static int col_cmp(const void *a, const void *b)
{
    ULONG x = ((const fm_pst_tc_col *)a)->tag, y = ((const fm_pst_tc_col *)b)->tag;
    return x < y ? -1 : x > y;
}

/* Lays the row out: row ID and version first, then 8-, 4-, 2- and 1-byte
 * cells, then the cell existence bitmap. */
static void layout(fm_pst_tc *tc)
{
    uint16_t at = 8;
    unsigned bit = 2;
    static const unsigned sizes[4] = { 8, 4, 2, 1 };
    tc->cols[0].ib = 0;
    tc->cols[0].cb = 4;
    tc->cols[0].bit = 0;
    tc->cols[1].ib = 4;
    tc->cols[1].cb = 4;
    tc->cols[1].bit = 1;
    for (unsigned g = 0; g < 4; g++) {
        for (unsigned i = 2; i < tc->ncols; i++) {
            if (cell_size(PROP_TYPE(tc->cols[i].tag)) != sizes[g])
                continue;
            tc->cols[i].ib = at;
            tc->cols[i].cb = (uint8_t)sizes[g];
            tc->cols[i].bit = (uint8_t)bit++;
            at = (uint16_t)(at + sizes[g]);
        }
        if (g == 1)
            tc->rgib[0] = at;
        else if (g == 2)
            tc->rgib[1] = at;
        else if (g == 3)
            tc->rgib[2] = at;
    }
    tc->rgib[3] = (uint16_t)(at + (tc->ncols + 7) / 8);
    tc->row_size = tc->rgib[3];
}

HRESULT fm_pst_tc_init(fm_pst_tc *tc, fm_pst_node *node, const ULONG *tags, unsigned ntags)
{
    memset(tc, 0, sizeof *tc);
    tc->node = node;
    const fm_pst_format *f = &node->w->f;
    HRESULT hr = fm_pst_heap_init(&tc->heap, node, HN_CLIENT_TC);
    if (hr != S_OK)
        return hr;
    tc->cols = fm_pst_alloc(sizeof *tc->cols * (ntags + 2));
    if (tc->cols == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    tc->cols[0].tag = PR_LTP_ROW_ID;
    tc->cols[1].tag = PR_LTP_ROW_VER;
    tc->ncols = 2;
    for (unsigned i = 0; i < ntags; i++)
        tc->cols[tc->ncols++].tag = tags[i];
    layout(tc);
    tc->rows_per_block = f->block_data / tc->row_size;
    tc->row = fm_pst_alloc(tc->row_size);
    if (tc->row == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    /* The row index's BTH header first, at HID 0x20, then the TCINFO:
     * readers derived from java-libpst (pst-extractor) look for a BTH
     * header at 0x20 in every table, as Outlook's files have it. */
    uint8_t *info = NULL;
    size_t ninfo = 22 + 8 * (size_t)tc->ncols;
    hr = fm_pst_bth_init(&tc->index, &tc->heap, 4, f->ansi ? 2 : 4);
    if (hr == S_OK)
        hr = fm_pst_heap_alloc0(&tc->heap, ninfo, &tc->hid_info, &info);
    if (hr == S_OK)
        hr = fm_pst_stream_init(&tc->matrix, node->w);
    tc->heap.user_root = tc->hid_info;
    tc->nid_rows = fm_pst_subnodes_new_nid(&node->subs, NID_TYPE_LTP);
    return hr;
}

void fm_pst_tc_clear(fm_pst_tc *tc)
{
    fm_pst_bth_clear(&tc->index);
    fm_pst_heap_clear(&tc->heap);
    fm_pst_stream_clear(&tc->matrix);
    fm_pst_free(tc->cols);
    fm_pst_free(tc->row);
    memset(tc, 0, sizeof *tc);
}

static const SPropValue *find_prop(const SPropValue *props, ULONG n, ULONG tag)
{
    for (ULONG i = 0; i < n; i++)
        if (props[i].ulPropTag == tag)
            return &props[i];
    return NULL;
}

static HRESULT put_cell(fm_pst_tc *tc, const fm_pst_tc_col *c, const SPropValue *v)
{
    uint8_t *cell = tc->row + c->ib;
    ULONG t = PROP_TYPE(c->tag);
    unsigned fs = fm_pst_fixed_size(t);
    uint8_t *bytes;
    size_t n;
    HRESULT hr = fm_pst_value_encode(v, &bytes, &n);
    if (hr != S_OK)
        return hr;
    if (fs != 0 && fs <= 8) {
        memcpy(cell, bytes, fs);
    } else {
        if (n > HN_MAX_ALLOC)
            n = HN_MAX_ALLOC & ~1u;
        uint32_t hid = 0;
        uint8_t *p = NULL;
        hr = fm_pst_heap_alloc(&tc->heap, n, &hid, &p);
        if (hr == S_OK && n > 0)
            memcpy(p, bytes, n);
        fm_put32(cell, hid);
    }
    fm_pst_free(bytes);
    return hr;
}

HRESULT fm_pst_tc_add_row(fm_pst_tc *tc, uint32_t row_id, const SPropValue *props, ULONG nprops)
{
    memset(tc->row, 0, tc->row_size);
    uint8_t *ceb = tc->row + tc->rgib[2];
    fm_put32(tc->row, row_id);
    ceb[0] |= 0xC0; /* row ID and version are always there */
    HRESULT hr = S_OK;
    for (unsigned i = 2; hr == S_OK && i < tc->ncols; i++) {
        const SPropValue *v = find_prop(props, nprops, tc->cols[i].tag);
        if (v == NULL)
            continue;
        hr = put_cell(tc, &tc->cols[i], v);
        ceb[tc->cols[i].bit / 8] |= (uint8_t)(0x80u >> (tc->cols[i].bit % 8));
    }
    if (hr != S_OK)
        return hr;
    if (tc->rows_in_block == tc->rows_per_block) {
        hr = fm_pst_stream_cut(&tc->matrix);
        tc->rows_in_block = 0;
    }
    if (hr == S_OK)
        hr = fm_pst_stream_write(&tc->matrix, tc->row, tc->row_size);
    tc->rows_in_block++;
    uint8_t rec[8];
    fm_put32(rec, row_id);
    if (tc->node->w->f.ansi)
        fm_put16(rec + 4, (uint16_t)tc->nrows);
    else
        fm_put32(rec + 4, tc->nrows);
    if (hr == S_OK)
        hr = fm_pst_bth_add(&tc->index, rec);
    tc->nrows++;
    return hr;
}

HRESULT fm_pst_tc_finish(fm_pst_tc *tc)
{
    HRESULT hr = fm_pst_bth_finish(&tc->index);
    uint64_t bid = 0;
    if (hr == S_OK)
        hr = fm_pst_stream_finish(&tc->matrix, &bid);
    if (hr == S_OK && bid != 0)
        hr = fm_pst_subnodes_add(&tc->node->subs, tc->nid_rows, bid, 0);
    if (hr != S_OK)
        return hr;
    uint8_t *info = fm_pst_heap_ptr0(&tc->heap, tc->hid_info);
    info[0] = HN_CLIENT_TC;
    info[1] = (uint8_t)tc->ncols;
    for (unsigned i = 0; i < 4; i++)
        fm_put16(info + 2 + 2 * i, tc->rgib[i]);
    fm_put32(info + 10, tc->index.hid_header);
    fm_put32(info + 14, bid != 0 ? tc->nid_rows : 0);
    fm_put32(info + 18, 0);
    fm_pst_tc_col *sorted = fm_pst_alloc(sizeof *sorted * tc->ncols);
    if (sorted == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    memcpy(sorted, tc->cols, sizeof *sorted * tc->ncols);
    if (tc->ncols > 1)
        qsort(sorted, tc->ncols, sizeof *sorted, col_cmp);
    for (unsigned i = 0; i < tc->ncols; i++) {
        uint8_t *d = info + 22 + 8 * i;
        fm_put32(d, sorted[i].tag);
        fm_put16(d + 4, sorted[i].ib);
        d[6] = sorted[i].cb;
        d[7] = sorted[i].bit;
    }
    fm_pst_free(sorted);
    return fm_pst_heap_finish(&tc->heap);
}
