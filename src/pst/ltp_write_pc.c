/*
 * pst/ltp_write_pc.c - property contexts ([MS-PST] 2.3.3) of the writer:
 * a BTH of 2-byte property IDs to (type, value-or-HNID), on a heap.
 *
 * Values of four bytes or less sit in the record; larger ones in a heap
 * allocation, or, past 3,580 bytes, in a subnode of the PC's node written
 * as a stream (so an attachment of any size passes through two blocks of
 * memory). Strings are written as UTF-16LE without terminator; multi-valued
 * values as [MS-PST] 2.3.3.4 lays them out (fixed-size ones packed,
 * variable-size ones as count, offsets, data).
 */
#include <stdlib.h>

#include "pst/ndb_write.h"

/* Bytes of a fixed-size value of type t (0: variable or inline-only). */
unsigned fm_pst_fixed_size(ULONG t)
{
    switch (t) {
    case PT_SHORT:
        return 2;
    case PT_LONG:
    case PT_FLOAT:
    case PT_ERROR:
        return 4;
    case PT_BOOLEAN:
        return 1;
    case PT_DOUBLE:
    case PT_CURRENCY:
    case PT_APPTIME:
    case PT_I8:
    case PT_SYSTIME:
        return 8;
    case PT_CLSID:
        return 16;
    default:
        return 0;
    }
}

static void put_fixed(uint8_t *p, ULONG t, const union _PV *v)
{
    switch (t) {
    case PT_SHORT:
        fm_put16(p, (uint16_t)v->i);
        break;
    case PT_LONG:
    case PT_ERROR:
        fm_put32(p, (uint32_t)v->l);
        break;
    case PT_FLOAT: {
        uint32_t u;
        memcpy(&u, &v->flt, 4);
        fm_put32(p, u);
        break;
    }
    case PT_BOOLEAN:
        p[0] = v->b ? 1 : 0;
        break;
    case PT_DOUBLE:
    case PT_APPTIME: {
        uint64_t u;
        memcpy(&u, &v->dbl, 8);
        fm_put64(p, u);
        break;
    }
    case PT_CURRENCY:
    case PT_I8:
        fm_put64(p, (uint64_t)v->li.QuadPart);
        break;
    case PT_SYSTIME:
        fm_put32(p, v->ft.dwLowDateTime);
        fm_put32(p + 4, v->ft.dwHighDateTime);
        break;
    case PT_CLSID: {
        const GUID *g = v->lpguid;
        fm_put32(p, g->Data1);
        fm_put16(p + 4, g->Data2);
        fm_put16(p + 6, g->Data3);
        memcpy(p + 8, g->Data4, 8);
        break;
    }
    default:
        break;
    }
}

static size_t utf16_bytes(const WCHAR *w)
{
    return w != NULL ? 2 * fm_pst_wcslen(w) : 0;
}

static void put_utf16(uint8_t *p, const WCHAR *w, size_t bytes)
{
    for (size_t i = 0; i < bytes / 2; i++)
        fm_put16(p + 2 * i, (uint16_t)w[i]);
}

/* One element of a variable-size value (single or multi-valued). */
static size_t var_elem_size(ULONG base, const union _PV *v, ULONG i, bool mv)
{
    switch (base) {
    case PT_STRING8: {
        const char *s = mv ? v->MVszA.lppszA[i] : v->lpszA;
        return s ? strlen(s) : 0;
    }
    case PT_UNICODE:
        return utf16_bytes(mv ? v->MVszW.lppszW[i] : v->lpszW);
    case PT_BINARY:
        return mv ? v->MVbin.lpbin[i].cb : v->bin.cb;
    default:
        return 0;
    }
}

static void var_elem_put(uint8_t *p, ULONG base, const union _PV *v, ULONG i, bool mv, size_t n)
{
    switch (base) {
    case PT_STRING8:
        memcpy(p, mv ? v->MVszA.lppszA[i] : v->lpszA, n);
        break;
    case PT_UNICODE:
        put_utf16(p, mv ? v->MVszW.lppszW[i] : v->lpszW, n);
        break;
    case PT_BINARY:
        if (n > 0)
            memcpy(p, mv ? v->MVbin.lpbin[i].lpb : v->bin.lpb, n);
        break;
    default:
        break;
    }
}

/* The encoded bytes of a value that is not stored inline, in a buffer the
 * caller frees. */
HRESULT fm_pst_value_encode(const SPropValue *pv, uint8_t **out, size_t *len)
{
    ULONG t = PROP_TYPE(pv->ulPropTag);
    ULONG base = t & ~(ULONG)MV_FLAG;
    bool mv = (t & MV_FLAG) != 0;
    const union _PV *v = &pv->Value;
    size_t n = 0;
    *out = NULL;
    *len = 0;
    if (!mv && fm_pst_fixed_size(t) != 0) {
        n = fm_pst_fixed_size(t);
    } else if (!mv) {
        n = var_elem_size(base, v, 0, false);
    } else if (fm_pst_fixed_size(base) != 0) {
        n = (size_t)fm_pst_fixed_size(base) * v->MVi.cValues;
    } else {
        n = 4 + 4 * (size_t)v->MVbin.cValues;
        for (ULONG i = 0; i < v->MVbin.cValues; i++)
            n += var_elem_size(base, v, i, true);
    }
    if (n > 0xFFFFFFF0u)
        return fm_pst_fail(MAPI_E_TOO_BIG, "PST: a value over 4 GB");
    uint8_t *b = fm_pst_alloc(n);
    if (b == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    if (!mv && fm_pst_fixed_size(t) != 0) {
        put_fixed(b, t, v);
    } else if (!mv) {
        var_elem_put(b, base, v, 0, false, n);
    } else if (fm_pst_fixed_size(base) != 0) {
        unsigned es = fm_pst_fixed_size(base);
        for (ULONG i = 0; i < v->MVi.cValues; i++) {
            union _PV e;
            memset(&e, 0, sizeof e);
            switch (base) {
            case PT_SHORT: e.i = v->MVi.lpi[i]; break;
            case PT_LONG: e.l = v->MVl.lpl[i]; break;
            case PT_FLOAT: e.flt = v->MVflt.lpflt[i]; break;
            case PT_DOUBLE: e.dbl = v->MVdbl.lpdbl[i]; break;
            case PT_APPTIME: e.dbl = v->MVat.lpat[i]; break;
            case PT_CURRENCY: e.cur = v->MVcur.lpcur[i]; break;
            case PT_I8: e.li = v->MVli.lpli[i]; break;
            case PT_SYSTIME: e.ft = v->MVft.lpft[i]; break;
            case PT_CLSID: e.lpguid = &v->MVguid.lpguid[i]; break;
            default: break;
            }
            put_fixed(b + es * i, base, &e);
        }
    } else {
        ULONG c = v->MVbin.cValues;
        fm_put32(b, c);
        size_t at = 4 + 4 * (size_t)c;
        for (ULONG i = 0; i < c; i++) {
            size_t k = var_elem_size(base, v, i, true);
            fm_put32(b + 4 + 4 * i, (uint32_t)at);
            var_elem_put(b + at, base, v, i, true, k);
            at += k;
        }
    }
    *out = b;
    *len = n;
    return S_OK;
}

bool fm_pst_type_supported(ULONG t)
{
    ULONG base = t & ~(ULONG)MV_FLAG;
    if (t == PT_OBJECT || t == PT_BINARY || t == PT_STRING8 || t == PT_UNICODE)
        return true;
    if (base == PT_BOOLEAN && (t & MV_FLAG))
        return false;
    if (fm_pst_fixed_size(base) != 0)
        return true;
    return (t & MV_FLAG) && (base == PT_BINARY || base == PT_STRING8 || base == PT_UNICODE);
}

/* ---- the PC ----------------------------------------------------------------------- */
HRESULT fm_pst_pc_init(fm_pst_pc *pc, fm_pst_node *node)
{
    memset(pc, 0, sizeof *pc);
    pc->node = node;
    HRESULT hr = fm_pst_heap_init(&pc->heap, node, HN_CLIENT_PC);
    if (hr == S_OK)
        hr = fm_pst_bth_init(&pc->bth, &pc->heap, 2, 6);
    if (hr == S_OK)
        pc->heap.user_root = pc->bth.hid_header;
    return hr;
}

void fm_pst_pc_clear(fm_pst_pc *pc)
{
    fm_pst_bth_clear(&pc->bth);
    fm_pst_heap_clear(&pc->heap);
    fm_pst_free(pc->recs);
    memset(pc, 0, sizeof *pc);
}

static HRESULT add_record(fm_pst_pc *pc, ULONG tag, uint32_t value)
{
    HRESULT hr = fm_pst_grow((void **)&pc->recs, &pc->caprec, (pc->nrec + 1) * 8, 1);
    if (hr != S_OK)
        return hr;
    uint8_t *r = pc->recs + pc->nrec * 8;
    fm_put16(r, (uint16_t)PROP_ID(tag));
    fm_put16(r + 2, (uint16_t)PROP_TYPE(tag));
    fm_put32(r + 4, value);
    pc->nrec++;
    return S_OK;
}

bool fm_pst_pc_has(const fm_pst_pc *pc, ULONG tag)
{
    for (size_t i = 0; i < pc->nrec; i++)
        if (fm_le16(pc->recs + 8 * i) == PROP_ID(tag))
            return true;
    return false;
}

/* Stores bytes as the PC's heap or a subnode; *hnid out (0 for none). */
static HRESULT store_bytes(fm_pst_pc *pc, const uint8_t *b, size_t n, uint32_t *hnid)
{
    *hnid = 0;
    if (n <= HN_MAX_ALLOC) { /* an empty value is an empty allocation */
        uint8_t *p = NULL;
        HRESULT hr = fm_pst_heap_alloc(&pc->heap, n, hnid, &p);
        if (hr == S_OK && n > 0)
            memcpy(p, b, n);
        return hr;
    }
    fm_pst_stream_writer s;
    uint64_t bid = 0;
    HRESULT hr = fm_pst_stream_init(&s, pc->node->w);
    if (hr == S_OK)
        hr = fm_pst_stream_write(&s, b, n);
    if (hr == S_OK)
        hr = fm_pst_stream_finish(&s, &bid);
    fm_pst_stream_clear(&s);
    if (hr != S_OK)
        return hr;
    uint32_t nid = fm_pst_subnodes_new_nid(&pc->node->subs, NID_TYPE_LTP);
    *hnid = nid;
    return fm_pst_subnodes_add(&pc->node->subs, nid, bid, 0);
}

HRESULT fm_pst_pc_set(fm_pst_pc *pc, const SPropValue *v)
{
    ULONG t = PROP_TYPE(v->ulPropTag);
    if (!fm_pst_type_supported(t) || t == PT_OBJECT)
        return fm_pst_fail(MAPI_E_BAD_VALUE, "PST: property 0x%08X has a type a PST cannot hold",
                           (unsigned)v->ulPropTag);
    unsigned fs = fm_pst_fixed_size(t);
    if (fs != 0 && fs <= 4) {
        uint8_t b[4] = { 0, 0, 0, 0 };
        put_fixed(b, t, &v->Value);
        return add_record(pc, v->ulPropTag, fm_le32(b));
    }
    uint8_t *bytes;
    size_t n;
    HRESULT hr = fm_pst_value_encode(v, &bytes, &n);
    uint32_t hnid = 0;
    if (hr == S_OK)
        hr = store_bytes(pc, bytes, n, &hnid);
    fm_pst_free(bytes);
    if (hr == S_OK)
        hr = add_record(pc, v->ulPropTag, hnid);
    return hr;
}

HRESULT fm_pst_pc_set_object(fm_pst_pc *pc, ULONG tag, uint32_t nid, uint32_t size)
{
    uint8_t b[8];
    fm_put32(b, nid);
    fm_put32(b + 4, size);
    uint32_t hnid;
    HRESULT hr = store_bytes(pc, b, 8, &hnid);
    if (hr == S_OK)
        hr = add_record(pc, PROP_TAG(PT_OBJECT, PROP_ID(tag)), hnid);
    return hr;
}

/* ---- values in pieces ------------------------------------------------------------------ */
HRESULT fm_pst_pc_stream_begin(fm_pst_pc *pc, ULONG tag, fm_pst_pc_stream *s)
{
    memset(s, 0, sizeof *s);
    s->pc = pc;
    s->tag = tag;
    s->small = fm_pst_alloc(HN_MAX_ALLOC);
    return s->small != NULL ? S_OK : fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
}

HRESULT fm_pst_pc_stream_write(fm_pst_pc_stream *s, const void *data, size_t n)
{
    if (!s->big && s->nsmall + n <= HN_MAX_ALLOC) {
        memcpy(s->small + s->nsmall, data, n);
        s->nsmall += (uint32_t)n;
        return S_OK;
    }
    HRESULT hr = S_OK;
    if (!s->big) {
        hr = fm_pst_stream_init(&s->data, s->pc->node->w);
        if (hr == S_OK)
            hr = fm_pst_stream_write(&s->data, s->small, s->nsmall);
        s->big = true;
    }
    if (hr == S_OK)
        hr = fm_pst_stream_write(&s->data, data, n);
    return hr;
}

HRESULT fm_pst_pc_stream_end(fm_pst_pc_stream *s)
{
    uint32_t hnid = 0;
    HRESULT hr;
    if (!s->big) {
        hr = store_bytes(s->pc, s->small, s->nsmall, &hnid);
    } else {
        uint64_t bid;
        hr = fm_pst_stream_finish(&s->data, &bid);
        if (hr == S_OK) {
            hnid = fm_pst_subnodes_new_nid(&s->pc->node->subs, NID_TYPE_LTP);
            hr = fm_pst_subnodes_add(&s->pc->node->subs, hnid, bid, 0);
        }
    }
    if (hr == S_OK)
        hr = add_record(s->pc, s->tag, hnid);
    return hr;
}

void fm_pst_pc_stream_clear(fm_pst_pc_stream *s)
{
    fm_pst_free(s->small);
    if (s->big)
        fm_pst_stream_clear(&s->data);
    memset(s, 0, sizeof *s);
}

static int rec_cmp(const void *a, const void *b)
{
    uint16_t x = fm_le16(a), y = fm_le16(b);
    return x < y ? -1 : x > y;
}

HRESULT fm_pst_pc_finish(fm_pst_pc *pc)
{
    if (pc->nrec > 1)
        qsort(pc->recs, pc->nrec, 8, rec_cmp);
    HRESULT hr = S_OK;
    for (size_t i = 0; hr == S_OK && i < pc->nrec; i++) {
        /* a later value of the same ID replaces an earlier one */
        if (i + 1 < pc->nrec && fm_le16(pc->recs + 8 * i) == fm_le16(pc->recs + 8 * (i + 1)))
            continue;
        hr = fm_pst_bth_add(&pc->bth, pc->recs + 8 * i);
    }
    if (hr == S_OK)
        hr = fm_pst_bth_finish(&pc->bth);
    if (hr == S_OK)
        hr = fm_pst_heap_finish(&pc->heap);
    return hr;
}
