/*
 * pst/msg_write_message.c - messages of the PST writer ([MS-PST] 2.4.5,
 * 2.4.6): a message is a node whose data is its PC and whose subnodes are
 * its recipient table (NID 0x692), attachment table (0x671), one node per
 * attachment, and values too large for the heap. An attachment's PC holds
 * its data (in a subnode past 3,580 bytes) or, for an embedded message,
 * a PT_OBJECT naming a subnode that is the embedded message's own node,
 * so nesting goes to any depth with this same code.
 *
 * A top-level message becomes a node of the node B-tree under its folder
 * and a row of the folder's contents table; the columns the table shows
 * are copied from its properties as they are set.
 */
#include <stdlib.h>

#include "pst/msg_write_int.h"

struct fm_pst_msg {
    fm_pst_out *o;
    fm_pst_att *parent; /* embedded: the attachment holding it */
    uint32_t nid, folder;
    bool assoc;
    fm_pst_node node;
    fm_pst_pc pc;
    LPSPropValue row; /* the contents-table columns (one MAPI buffer) */
    ULONG nrow;
    bool recips;
    fm_pst_node anode;
    fm_pst_tc atc;
    bool atc_open;
    ULONG flags;
    uint64_t size;
};

struct fm_pst_att {
    fm_pst_msg *m;
    uint32_t nid;
    fm_pst_node node;
    fm_pst_pc pc;
    SPropValue row[4];
    ULONG nrow;
    LPVOID rowbuf;
    uint64_t size;
};

static const ULONG *msg_cols(const fm_pst_msg *m, unsigned *n)
{
    *n = m->assoc ? fm_pst_ncols_assoc : fm_pst_ncols_contents;
    return m->assoc ? fm_pst_cols_assoc : fm_pst_cols_contents;
}

static HRESULT msg_new(fm_pst_out *o, fm_pst_msg **out)
{
    *out = NULL;
    fm_pst_msg *m = fm_pst_zalloc(sizeof *m);
    if (m == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    m->o = o;
    *out = m;
    HRESULT hr = fm_pst_node_init(&m->node, fm_pst_out_writer(o));
    if (hr == S_OK)
        hr = fm_pst_pc_init(&m->pc, &m->node);
    if (hr == S_OK && MAPIAllocateBuffer(sizeof(SPropValue) * 32, (void **)&m->row) != S_OK)
        hr = fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    return hr;
}

HRESULT fm_pst_msg_begin(fm_pst_out *o, uint32_t folder, bool assoc, fm_pst_msg **out)
{
    *out = NULL;
    if (fm_pst_out_find(o, folder) == NULL)
        return fm_pst_fail(MAPI_E_INVALID_PARAMETER, "PST: no folder 0x%x", (unsigned)folder);
    fm_pst_msg *m;
    HRESULT hr = msg_new(o, &m);
    if (hr != S_OK) {
        fm_pst_msg_abort(m);
        return hr;
    }
    m->folder = folder;
    m->assoc = assoc;
    m->nid = fm_pst_writer_new_nid(fm_pst_out_writer(o),
                                   assoc ? NID_TYPE_ASSOC_MESSAGE : NID_TYPE_NORMAL_MESSAGE);
    *out = m;
    return S_OK;
}

static bool skip_tag(ULONG tag)
{
    ULONG t = PROP_TYPE(tag);
    return t == PT_ERROR || t == PT_OBJECT || t == PT_NULL || !fm_pst_type_supported(t) ||
           tag == PR_LTP_ROW_ID || tag == PR_LTP_ROW_VER;
}

static uint64_t value_size(const SPropValue *v)
{
    switch (PROP_TYPE(v->ulPropTag)) {
    case PT_UNICODE:
        return 2 * fm_pst_wcslen(v->Value.lpszW);
    case PT_STRING8:
        return strlen(v->Value.lpszA);
    case PT_BINARY:
        return v->Value.bin.cb;
    default:
        return 8;
    }
}

HRESULT fm_pst_msg_props(fm_pst_msg *m, const SPropValue *props, ULONG n)
{
    unsigned ncols;
    const ULONG *cols = msg_cols(m, &ncols);
    HRESULT hr = S_OK;
    for (ULONG i = 0; hr == S_OK && i < n; i++) {
        const SPropValue *v = &props[i];
        if (skip_tag(v->ulPropTag))
            continue;
        if (v->ulPropTag == PR_MESSAGE_FLAGS)
            m->flags = (ULONG)v->Value.l;
        hr = fm_pst_pc_set(&m->pc, v);
        m->size += value_size(v);
        for (unsigned c = 0; hr == S_OK && c < ncols && m->parent == NULL; c++) {
            if (cols[c] != v->ulPropTag || m->nrow >= 32)
                continue;
            SCODE sc = PropCopyMore(&m->row[m->nrow], (LPSPropValue)v, MAPIAllocateMore, m->row);
            if (sc != S_OK)
                hr = fm_pst_fail(sc, "PST: copying a table column");
            else
                m->nrow++;
        }
    }
    return hr;
}

HRESULT fm_pst_msg_stream_begin(fm_pst_msg *m, ULONG tag, fm_pst_pc_stream *s)
{
    return fm_pst_pc_stream_begin(&m->pc, tag, s);
}

/* ---- recipients ------------------------------------------------------------------------ */
static int tag_cmp(const void *a, const void *b)
{
    ULONG x = *(const ULONG *)a, y = *(const ULONG *)b;
    return x < y ? -1 : x > y;
}

/* The recipient table's columns: every property any recipient has (a PST
 * keeps recipients in the table alone), sorted, no repeats. */
static HRESULT recip_columns(const SRowSet *rows, ULONG **out, unsigned *n)
{
    size_t total = fm_pst_ncols_recip;
    for (ULONG r = 0; rows != NULL && r < rows->cRows; r++)
        total += rows->aRow[r].cValues;
    ULONG *t = fm_pst_alloc(sizeof(ULONG) * (total + 1));
    if (t == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    size_t k = 0;
    for (unsigned i = 0; i < fm_pst_ncols_recip; i++)
        t[k++] = fm_pst_cols_recip[i];
    for (ULONG r = 0; rows != NULL && r < rows->cRows; r++)
        for (ULONG i = 0; i < rows->aRow[r].cValues; i++) {
            ULONG tag = rows->aRow[r].lpProps[i].ulPropTag;
            if (!skip_tag(tag) && tag != PR_ROWID)
                t[k++] = tag;
        }
    if (k > 1)
        qsort(t, k, sizeof *t, tag_cmp);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || t[u - 1] != t[i])
            t[u++] = t[i];
    /* one column per property ID: a second type of the same ID is dropped */
    size_t v = 0;
    for (size_t i = 0; i < u; i++)
        if (v == 0 || PROP_ID(t[v - 1]) != PROP_ID(t[i]))
            t[v++] = t[i];
    if (v > 250) {
        fm_pst_free(t);
        return fm_pst_fail(MAPI_E_TOO_BIG, "PST: recipients with more than 250 properties");
    }
    *out = t;
    *n = (unsigned)v;
    return S_OK;
}

HRESULT fm_pst_msg_recipients(fm_pst_msg *m, const SRowSet *rows)
{
    ULONG *cols = NULL;
    unsigned ncols = 0;
    fm_pst_node node;
    fm_pst_tc tc;
    memset(&tc, 0, sizeof tc);
    HRESULT hr = recip_columns(rows, &cols, &ncols);
    if (hr != S_OK)
        return hr;
    hr = fm_pst_node_init(&node, m->node.w);
    if (hr == S_OK)
        hr = fm_pst_tc_init(&tc, &node, cols, ncols);
    for (ULONG r = 0; hr == S_OK && rows != NULL && r < rows->cRows; r++)
        hr = fm_pst_tc_add_row(&tc, r, rows->aRow[r].lpProps, rows->aRow[r].cValues);
    if (hr == S_OK)
        hr = fm_pst_tc_finish(&tc);
    uint64_t bd = 0, bs = 0;
    if (hr == S_OK)
        hr = fm_pst_node_finish(&node, &bd, &bs);
    if (hr == S_OK)
        hr = fm_pst_subnodes_add(&m->node.subs, NID_RECIPIENT_TABLE, bd, bs);
    if (hr == S_OK)
        m->recips = true;
    fm_pst_tc_clear(&tc);
    fm_pst_node_clear(&node);
    fm_pst_free(cols);
    return hr;
}

/* ---- attachments ----------------------------------------------------------------------- */
HRESULT fm_pst_att_begin(fm_pst_msg *m, fm_pst_att **out)
{
    *out = NULL;
    HRESULT hr = S_OK;
    if (!m->atc_open) {
        hr = fm_pst_node_init(&m->anode, m->node.w);
        if (hr == S_OK)
            hr = fm_pst_tc_init(&m->atc, &m->anode, fm_pst_cols_attach, fm_pst_ncols_attach);
        m->atc_open = true;
        if (hr != S_OK)
            return hr;
    }
    fm_pst_att *a = fm_pst_zalloc(sizeof *a);
    if (a == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    a->m = m;
    a->nid = fm_pst_subnodes_new_nid(&m->node.subs, NID_TYPE_ATTACHMENT);
    hr = fm_pst_node_init(&a->node, m->node.w);
    if (hr == S_OK)
        hr = fm_pst_pc_init(&a->pc, &a->node);
    if (hr == S_OK && MAPIAllocateBuffer(1, &a->rowbuf) != S_OK)
        hr = fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    if (hr != S_OK) {
        fm_pst_att_abort(a);
        return hr;
    }
    *out = a;
    return S_OK;
}

HRESULT fm_pst_att_props(fm_pst_att *a, const SPropValue *props, ULONG n)
{
    HRESULT hr = S_OK;
    for (ULONG i = 0; hr == S_OK && i < n; i++) {
        const SPropValue *v = &props[i];
        if (skip_tag(v->ulPropTag))
            continue;
        hr = fm_pst_pc_set(&a->pc, v);
        a->size += value_size(v);
        for (unsigned c = 0; hr == S_OK && c < fm_pst_ncols_attach; c++) {
            if (fm_pst_cols_attach[c] != v->ulPropTag || a->nrow >= 4)
                continue;
            SCODE sc = PropCopyMore(&a->row[a->nrow], (LPSPropValue)v, MAPIAllocateMore, a->rowbuf);
            if (sc != S_OK)
                hr = fm_pst_fail(sc, "PST: copying a table column");
            else
                a->nrow++;
        }
    }
    return hr;
}

HRESULT fm_pst_att_stream_begin(fm_pst_att *a, ULONG tag, fm_pst_pc_stream *s)
{
    return fm_pst_pc_stream_begin(&a->pc, tag, s);
}

HRESULT fm_pst_att_embedded(fm_pst_att *a, fm_pst_msg **out)
{
    fm_pst_msg *m;
    HRESULT hr = msg_new(a->m->o, &m);
    if (hr != S_OK) {
        fm_pst_msg_abort(m);
        *out = NULL;
        return hr;
    }
    m->parent = a;
    *out = m;
    return S_OK;
}

void fm_pst_att_abort(fm_pst_att *a)
{
    if (a == NULL)
        return;
    fm_pst_pc_clear(&a->pc);
    fm_pst_node_clear(&a->node);
    if (a->rowbuf != NULL)
        MAPIFreeBuffer(a->rowbuf);
    fm_pst_free(a);
}

HRESULT fm_pst_att_end(fm_pst_att *a)
{
    fm_pst_msg *m = a->m;
    HRESULT hr = S_OK;
    if (!fm_pst_pc_has(&a->pc, PR_ATTACH_SIZE)) {
        SPropValue v;
        v.ulPropTag = PR_ATTACH_SIZE;
        v.Value.l = (LONG)(a->size > 0x7FFFFFFF ? 0x7FFFFFFF : a->size);
        hr = fm_pst_pc_set(&a->pc, &v);
        if (hr == S_OK && a->nrow < 4)
            a->row[a->nrow++] = v;
    }
    if (hr == S_OK)
        hr = fm_pst_pc_finish(&a->pc);
    uint64_t bd = 0, bs = 0;
    if (hr == S_OK)
        hr = fm_pst_node_finish(&a->node, &bd, &bs);
    if (hr == S_OK)
        hr = fm_pst_subnodes_add(&m->node.subs, a->nid, bd, bs);
    if (hr == S_OK)
        hr = fm_pst_tc_add_row(&m->atc, a->nid, a->row, a->nrow);
    m->size += a->size;
    fm_pst_att_abort(a);
    return hr;
}

/* ---- the end of a message ---------------------------------------------------------------- */
static HRESULT set_default(fm_pst_msg *m, ULONG tag, const SPropValue *v)
{
    if (fm_pst_pc_has(&m->pc, tag))
        return S_OK;
    return fm_pst_msg_props(m, v, 1);
}

static HRESULT msg_defaults(fm_pst_msg *m)
{
    SPropValue v;
    WCHAR note[] = { 'I', 'P', 'M', '.', 'N', 'o', 't', 'e', 0 };
    v.ulPropTag = W_STR(0x001A);
    v.Value.lpszW = note;
    HRESULT hr = set_default(m, v.ulPropTag, &v);
    v.ulPropTag = PR_MESSAGE_FLAGS;
    v.Value.l = (LONG)(m->flags | (m->atc_open ? MSGFLAG_HASATTACH : 0));
    if (hr == S_OK)
        hr = set_default(m, v.ulPropTag, &v);
    v.ulPropTag = PR_MESSAGE_SIZE;
    v.Value.l = (LONG)(m->size > 0x7FFFFFFF ? 0x7FFFFFFF : m->size);
    if (hr == S_OK)
        hr = set_default(m, v.ulPropTag, &v);
    if (hr == S_OK && !m->recips)
        hr = fm_pst_msg_recipients(m, NULL);
    return hr;
}

HRESULT fm_pst_msg_end(fm_pst_msg *m)
{
    HRESULT hr = msg_defaults(m);
    if (hr == S_OK && m->atc_open) {
        uint64_t bd = 0, bs = 0;
        hr = fm_pst_tc_finish(&m->atc);
        if (hr == S_OK)
            hr = fm_pst_node_finish(&m->anode, &bd, &bs);
        if (hr == S_OK)
            hr = fm_pst_subnodes_add(&m->node.subs, NID_ATTACHMENT_TABLE, bd, bs);
    }
    if (hr == S_OK)
        hr = fm_pst_pc_finish(&m->pc);
    uint64_t bd = 0, bs = 0;
    if (hr == S_OK)
        hr = fm_pst_node_finish(&m->node, &bd, &bs);
    if (hr != S_OK) {
        fm_pst_msg_abort(m);
        return hr;
    }
    if (m->parent != NULL) {
        fm_pst_att *a = m->parent;
        uint32_t nid = fm_pst_subnodes_new_nid(&a->node.subs, NID_TYPE_NORMAL_MESSAGE);
        hr = fm_pst_subnodes_add(&a->node.subs, nid, bd, bs);
        if (hr == S_OK)
            hr = fm_pst_pc_set_object(&a->pc, PR_ATTACH_DATA_OBJ, nid,
                                      (uint32_t)(m->size > 0xFFFFFFFFu ? 0xFFFFFFFFu : m->size));
        a->size += m->size;
    } else {
        fm_pst_out *o = m->o;
        out_folder *f = fm_pst_out_find(o, m->folder);
        int which = m->assoc ? 1 : 0;
        hr = fm_pst_writer_add_node(fm_pst_out_writer(o), m->nid, bd, bs, m->folder);
        if (hr == S_OK && f->closed[which])
            hr = fm_pst_fail(MAPI_E_CALL_FAILED, "PST: a message after its folder was done");
        if (hr == S_OK)
            hr = fm_pst_out_contents_open(o, f, which);
        if (hr == S_OK)
            hr = fm_pst_tc_add_row(&f->contents[which]->tc, m->nid, m->row, m->nrow);
        if (hr == S_OK && m->assoc)
            f->assoc++;
        else if (hr == S_OK) {
            f->count++;
            if (!(m->flags & MSGFLAG_READ))
                f->unread++;
        }
    }
    fm_pst_msg_abort(m);
    return hr;
}

void fm_pst_msg_abort(fm_pst_msg *m)
{
    if (m == NULL)
        return;
    fm_pst_pc_clear(&m->pc);
    fm_pst_node_clear(&m->node);
    if (m->atc_open) {
        fm_pst_tc_clear(&m->atc);
        fm_pst_node_clear(&m->anode);
    }
    if (m->row != NULL)
        MAPIFreeBuffer(m->row);
    fm_pst_free(m);
}
