/*
 * pst/ltp_read.c - the LTP layer of the PST reader ([MS-PST] 2.3).
 *
 * A heap's pages are read whole (a message's heap holds its small values;
 * anything larger sits in subnodes and is read or streamed on its own).
 * Strings of PT_STRING8 are converted from their code page to UTF-8
 * (freemapi's PT_STRING8) with iconv; PT_UNICODE values keep their UTF-16,
 * with unpaired surrogates replaced by U+FFFD (the store refuses invalid
 * UTF-16).
 */
#include <iconv.h>
#include <stdlib.h>

#include "pst/ltp_read.h"

static HRESULT bad(fm_pst_file *f, const char *what)
{
    return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST %s: %s", fm_pst_file_name(f), what);
}

/* ---- heaps ------------------------------------------------------------------------------- */
HRESULT fm_pst_heap_open(fm_pst_file *f, uint64_t bid, uint8_t client, fm_pst_heap_r *out)
{
    memset(out, 0, sizeof *out);
    out->f = f;
    HRESULT hr = fm_pst_data_read(f, bid, FM_PST_HEAP_LIMIT, &out->d);
    if (hr != S_OK)
        return hr;
    if (out->d.n == 0 || out->d.len[0] < 12 || out->d.block[0][2] != HN_SIG) {
        fm_pst_heap_close(out);
        return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST %s: node data 0x%llx is not a heap",
                           fm_pst_file_name(f), (unsigned long long)bid);
    }
    out->client = out->d.block[0][3];
    out->user_root = fm_le32(out->d.block[0] + 4);
    if (client != 0 && out->client != client) {
        fm_pst_heap_close(out);
        return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST %s: heap 0x%llx is of type 0x%02x, not 0x%02x",
                           fm_pst_file_name(f), (unsigned long long)bid, out->client, client);
    }
    return S_OK;
}

void fm_pst_heap_close(fm_pst_heap_r *h)
{
    fm_pst_data_clear(&h->d);
}

HRESULT fm_pst_heap_get(fm_pst_heap_r *h, uint32_t hid, const uint8_t **p, uint32_t *n)
{
    *p = NULL;
    *n = 0;
    if (hid == 0)
        return S_OK;
    uint32_t page = HID_PAGE(hid), index = HID_INDEX(hid);
    if (NID_TYPE(hid) != 0 || page >= h->d.n || index == 0)
        return bad(h->f, "a heap ID outside its heap");
    const uint8_t *b = h->d.block[page];
    uint32_t len = h->d.len[page];
    if (len < 2)
        return bad(h->f, "a heap page too short");
    uint32_t ib = fm_le16(b);
    if (ib + 4 > len)
        return bad(h->f, "a heap page map outside its page");
    uint32_t count = fm_le16(b + ib);
    if (index > count || ib + 4 + 2 * ((size_t)count + 1) > len)
        return bad(h->f, "a heap ID past its page map");
    uint32_t start = fm_le16(b + ib + 4 + 2 * (index - 1));
    uint32_t end = fm_le16(b + ib + 4 + 2 * index);
    if (start > end || end > ib)
        return bad(h->f, "a heap allocation outside its page");
    *p = b + start;
    *n = end - start;
    return S_OK;
}

/* ---- BTH ---------------------------------------------------------------------------------- */
typedef HRESULT (*bth_fn)(void *ctx, const uint8_t *record);

static HRESULT bth_level(fm_pst_heap_r *h, uint32_t hid, unsigned level, unsigned ck, unsigned ce,
                         bth_fn fn, void *ctx)
{
    const uint8_t *p = NULL;
    uint32_t n;
    HRESULT hr = fm_pst_heap_get(h, hid, &p, &n);
    if (hr != S_OK)
        return hr;
    unsigned rs = level == 0 ? ck + ce : ck + 4;
    if (n % rs != 0)
        return bad(h->f, "a BTH allocation of partial records");
    for (uint32_t i = 0; hr == S_OK && i < n / rs; i++) {
        if (level == 0)
            hr = fn(ctx, p + i * rs);
        else
            hr = bth_level(h, fm_le32(p + i * rs + ck), level - 1, ck, ce, fn, ctx);
    }
    return hr;
}

static HRESULT bth_walk(fm_pst_heap_r *h, uint32_t hid_header, unsigned ck, unsigned ce, bth_fn fn,
                        void *ctx)
{
    const uint8_t *p = NULL;
    uint32_t n;
    HRESULT hr = fm_pst_heap_get(h, hid_header, &p, &n);
    if (hr != S_OK)
        return hr;
    if (n < 8 || p[0] != HN_CLIENT_BTH || p[1] != ck || p[2] != ce || p[3] > 7)
        return bad(h->f, "a bad BTH header");
    uint32_t root = fm_le32(p + 4);
    if (root == 0)
        return S_OK;
    return bth_level(h, root, p[3], ck, ce, fn, ctx);
}

/* ---- values --------------------------------------------------------------------------------- */
static HRESULT more(void *root, size_t n, void **out)
{
    if (n > 0xFFFFFFF0u || MAPIAllocateMore((ULONG)(n ? n : 1), root, out) != S_OK)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    return S_OK;
}

static HRESULT utf16_value(const uint8_t *b, uint32_t n, void *root, WCHAR **out)
{
    size_t units = n / 2;
    WCHAR *w;
    HRESULT hr = more(root, sizeof(WCHAR) * (units + 1), (void **)&w);
    if (hr != S_OK)
        return hr;
    for (size_t i = 0; i < units; i++)
        w[i] = (WCHAR)fm_le16(b + 2 * i);
    w[units] = 0;
    for (size_t i = 0; i < units; i++) {
        if (w[i] >= 0xD800 && w[i] < 0xDC00 && i + 1 < units && w[i + 1] >= 0xDC00 &&
            w[i + 1] < 0xE000)
            i++;
        else if (w[i] >= 0xD800 && w[i] < 0xE000)
            w[i] = 0xFFFD;
        else if (w[i] == 0 && i + 1 < units)
            w[i] = 0xFFFD;
    }
    *out = w;
    return S_OK;
}

static _Thread_local iconv_t cd_cache = (iconv_t)-1;
static _Thread_local unsigned cd_cp;

static HRESULT string8_value(const uint8_t *b, uint32_t n, unsigned cp, void *root, char **out)
{
    char *s;
    HRESULT hr = more(root, (size_t)n * 3 + 1, (void **)&s);
    if (hr != S_OK)
        return hr;
    size_t k = 0;
    if (cp == 65001 || cp == 20127) {
        memcpy(s, b, n);
        k = n;
    } else {
        if (cd_cache == (iconv_t)-1 || cd_cp != cp) {
            if (cd_cache != (iconv_t)-1)
                iconv_close(cd_cache);
            char name[24];
            snprintf(name, sizeof name, "CP%u", cp);
            cd_cache = iconv_open("UTF-8", name);
            if (cd_cache == (iconv_t)-1)
                cd_cache = iconv_open("UTF-8", "CP1252");
            cd_cp = cp;
        }
        char *in = (char *)b, *o = s;
        size_t inl = n, outl = (size_t)n * 3;
        while (inl > 0 && cd_cache != (iconv_t)-1) {
            if (iconv(cd_cache, &in, &inl, &o, &outl) != (size_t)-1)
                break;
            /* a byte the code page lacks: Latin-1 for it, and on */
            unsigned char c = (unsigned char)*in++;
            inl--;
            if (c < 0x80) {
                *o++ = (char)c;
                outl--;
            } else {
                *o++ = (char)(0xC0 | (c >> 6));
                *o++ = (char)(0x80 | (c & 0x3F));
                outl -= 2;
            }
            iconv(cd_cache, NULL, NULL, NULL, NULL);
        }
        k = (size_t)(o - s);
    }
    s[k] = 0;
    *out = s;
    return S_OK;
}

static void get_fixed(ULONG t, const uint8_t *b, union _PV *v)
{
    switch (t) {
    case PT_SHORT:
        v->i = (short)fm_le16(b);
        break;
    case PT_LONG:
    case PT_ERROR:
        v->l = (LONG)fm_le32(b);
        break;
    case PT_FLOAT: {
        uint32_t u = fm_le32(b);
        memcpy(&v->flt, &u, 4);
        break;
    }
    case PT_BOOLEAN:
        v->b = b[0] ? 1 : 0;
        break;
    case PT_DOUBLE:
    case PT_APPTIME: {
        uint64_t u = fm_le64(b);
        memcpy(&v->dbl, &u, 8);
        break;
    }
    case PT_CURRENCY:
    case PT_I8:
        v->li.QuadPart = (LONGLONG)fm_le64(b);
        break;
    case PT_SYSTIME:
        v->ft.dwLowDateTime = fm_le32(b);
        v->ft.dwHighDateTime = fm_le32(b + 4);
        break;
    default:
        break;
    }
}

static HRESULT guid_value(const uint8_t *b, void *root, GUID **out)
{
    GUID *g;
    HRESULT hr = more(root, sizeof *g, (void **)&g);
    if (hr != S_OK)
        return hr;
    g->Data1 = fm_le32(b);
    g->Data2 = fm_le16(b + 4);
    g->Data3 = fm_le16(b + 6);
    memcpy(g->Data4, b + 8, 8);
    *out = g;
    return S_OK;
}

static HRESULT mv_fixed(ULONG base, const uint8_t *b, uint32_t n, void *root, union _PV *v)
{
    unsigned es = fm_pst_fixed_size(base);
    if (n % es != 0)
        return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST: a multi-valued value of partial elements");
    ULONG c = n / es;
    void *arr;
    size_t host = base == PT_SHORT ? sizeof(short) : base == PT_CLSID ? sizeof(GUID)
                  : es == 4 ? 4 : 8;
    HRESULT hr = more(root, host * (c ? c : 1), &arr);
    if (hr != S_OK)
        return hr;
    v->MVi.cValues = c;
    for (ULONG i = 0; i < c; i++) {
        const uint8_t *e = b + (size_t)es * i;
        union _PV one;
        memset(&one, 0, sizeof one);
        if (base == PT_CLSID) {
            GUID *g = (GUID *)arr + i;
            g->Data1 = fm_le32(e);
            g->Data2 = fm_le16(e + 4);
            g->Data3 = fm_le16(e + 6);
            memcpy(g->Data4, e + 8, 8);
            continue;
        }
        get_fixed(base, e, &one);
        switch (base) {
        case PT_SHORT: ((short *)arr)[i] = one.i; break;
        case PT_LONG: ((LONG *)arr)[i] = one.l; break;
        case PT_FLOAT: ((float *)arr)[i] = one.flt; break;
        case PT_DOUBLE: ((double *)arr)[i] = one.dbl; break;
        case PT_APPTIME: ((double *)arr)[i] = one.dbl; break;
        case PT_CURRENCY: ((CURRENCY *)arr)[i] = one.cur; break;
        case PT_I8: ((LARGE_INTEGER *)arr)[i] = one.li; break;
        case PT_SYSTIME: ((FILETIME *)arr)[i] = one.ft; break;
        default: break;
        }
    }
    v->MVi.lpi = arr; /* every MV array is { count, pointer } */
    return S_OK;
}

static HRESULT mv_var(ULONG base, const uint8_t *b, uint32_t n, unsigned cp, void *root,
                      union _PV *v)
{
    if (n < 4)
        return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST: a multi-valued value too short");
    uint32_t c = fm_le32(b);
    if ((uint64_t)c * 4 + 4 > n)
        return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST: a multi-valued count past its value");
    size_t esz = base == PT_BINARY ? sizeof(SBinary) : sizeof(void *);
    void *arr;
    HRESULT hr = more(root, esz * (c ? c : 1), &arr);
    for (uint32_t i = 0; hr == S_OK && i < c; i++) {
        uint32_t start = fm_le32(b + 4 + 4 * i);
        uint32_t end = i + 1 < c ? fm_le32(b + 8 + 4 * i) : n;
        if (start < 4 + 4 * c || start > end || end > n)
            return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST: a multi-valued offset out of range");
        const uint8_t *e = b + start;
        uint32_t len = end - start;
        if (base == PT_BINARY) {
            SBinary *sb = (SBinary *)arr + i;
            sb->cb = len;
            hr = more(root, len, (void **)&sb->lpb);
            if (hr == S_OK && len > 0)
                memcpy(sb->lpb, e, len);
        } else if (base == PT_UNICODE) {
            hr = utf16_value(e, len, root, (WCHAR **)arr + i);
        } else {
            hr = string8_value(e, len, cp, root, (char **)arr + i);
        }
    }
    v->MVbin.cValues = c;
    v->MVbin.lpbin = arr;
    return hr;
}

HRESULT fm_pst_value_decode(ULONG tag, const uint8_t *b, uint32_t n, unsigned codepage, void *root,
                            SPropValue *v)
{
    ULONG t = PROP_TYPE(tag), base = t & ~(ULONG)MV_FLAG;
    v->ulPropTag = tag;
    v->dwAlignPad = 0;
    memset(&v->Value, 0, sizeof v->Value);
    if (t & MV_FLAG) {
        if (n == 0) {
            v->Value.MVi.cValues = 0;
            return more(root, 8, (void **)&v->Value.MVi.lpi);
        }
        if (fm_pst_fixed_size(base) != 0)
            return mv_fixed(base, b, n, root, &v->Value);
        return mv_var(base, b, n, codepage, root, &v->Value);
    }
    unsigned fs = fm_pst_fixed_size(t);
    if (t == PT_CLSID) {
        if (n < 16)
            return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST: a GUID value too short");
        return guid_value(b, root, &v->Value.lpguid);
    }
    if (fs != 0) {
        if (n < fs)
            return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST: a value too short for its type");
        get_fixed(t, b, &v->Value);
        return S_OK;
    }
    switch (t) {
    case PT_UNICODE:
        return utf16_value(b, n, root, &v->Value.lpszW);
    case PT_STRING8:
        return string8_value(b, n, codepage, root, &v->Value.lpszA);
    case PT_BINARY:
        v->Value.bin.cb = n;
        if (more(root, n, (void **)&v->Value.bin.lpb) != S_OK)
            return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
        if (n > 0)
            memcpy(v->Value.bin.lpb, b, n);
        return S_OK;
    default:
        return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST: property 0x%08X of an unknown type",
                           (unsigned)tag);
    }
}

/* The bytes an HNID names: heap allocation or subnode data (read whole,
 * up to limit); *big set instead when the subnode holds more. */
static HRESULT hnid_bytes(fm_pst_file *f, fm_pst_heap_r *h, const fm_pst_subnodes *subs,
                          uint32_t hnid, fm_pst_data *tmp, const uint8_t **p, uint32_t *n,
                          fm_pst_big *big)
{
    *p = NULL;
    *n = 0;
    if (NID_TYPE(hnid) == NID_TYPE_HID)
        return fm_pst_heap_get(h, hnid, p, n);
    const fm_pst_subnode *s = subs ? fm_pst_subs_find(subs, hnid) : NULL;
    if (s == NULL)
        return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST %s: a value in subnode 0x%x, which is missing",
                           fm_pst_file_name(f), (unsigned)hnid);
    uint64_t size;
    HRESULT hr = fm_pst_data_size(f, s->bid_data, &size);
    if (hr != S_OK)
        return hr;
    if (big != NULL && size > FM_PST_VALUE_INLINE_LIMIT) {
        big->bid = s->bid_data;
        big->size = size;
        return S_OK;
    }
    hr = fm_pst_data_read(f, s->bid_data, FM_PST_HEAP_LIMIT, tmp);
    if (hr != S_OK)
        return hr;
    if (tmp->n == 1) {
        *p = tmp->block[0];
        *n = tmp->len[0];
        return S_OK;
    }
    uint8_t *all = fm_pst_alloc(tmp->total ? tmp->total : 1);
    if (all == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    size_t at = 0;
    for (uint32_t i = 0; i < tmp->n; i++) {
        memcpy(all + at, tmp->block[i], tmp->len[i]);
        at += tmp->len[i];
    }
    fm_pst_data_clear(tmp);
    tmp->block = fm_pst_alloc(sizeof(uint8_t *));
    tmp->len = fm_pst_alloc(sizeof(uint32_t));
    if (tmp->block == NULL || tmp->len == NULL) {
        fm_pst_free(all);
        fm_pst_data_clear(tmp);
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    }
    tmp->block[0] = all;
    tmp->len[0] = (uint32_t)at;
    tmp->n = 1;
    tmp->cap = 1;
    tmp->total = at;
    *p = all;
    *n = (uint32_t)at;
    return S_OK;
}

/* ---- PC --------------------------------------------------------------------------------------- */
typedef struct pc_collect {
    uint8_t *recs;
    size_t n, cap;
} pc_collect;

static HRESULT pc_rec(void *ctx, const uint8_t *r)
{
    pc_collect *c = ctx;
    HRESULT hr = fm_pst_grow((void **)&c->recs, &c->cap, (c->n + 1) * 8, 1);
    if (hr == S_OK)
        memcpy(c->recs + 8 * c->n++, r, 8);
    return hr;
}

static unsigned pc_codepage(const pc_collect *c)
{
    for (size_t i = 0; i < c->n; i++) {
        const uint8_t *r = c->recs + 8 * i;
        uint16_t id = fm_le16(r), t = fm_le16(r + 2);
        if ((id == 0x3FFD || id == 0x3FDE) && t == PT_LONG && fm_le32(r + 4) != 0)
            return fm_le32(r + 4);
    }
    return 1252;
}

HRESULT fm_pst_pc_read(fm_pst_file *f, uint64_t bid_data, const fm_pst_subnodes *subs,
                       fm_pst_pc_r *out)
{
    memset(out, 0, sizeof *out);
    fm_pst_heap_r h;
    pc_collect c = { NULL, 0, 0 };
    HRESULT hr = fm_pst_heap_open(f, bid_data, HN_CLIENT_PC, &h);
    if (hr != S_OK)
        return hr;
    hr = bth_walk(&h, h.user_root, 2, 6, pc_rec, &c);
    if (hr == S_OK && MAPIAllocateBuffer(sizeof(SPropValue) * (c.n ? c.n : 1),
                                         (void **)&out->props) != S_OK)
        hr = fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    unsigned cp = pc_codepage(&c);
    for (size_t i = 0; hr == S_OK && i < c.n; i++) {
        const uint8_t *r = c.recs + 8 * i;
        ULONG tag = PROP_TAG(fm_le16(r + 2), fm_le16(r));
        ULONG t = PROP_TYPE(tag);
        uint32_t val = fm_le32(r + 4);
        unsigned fs = fm_pst_fixed_size(t);
        if (fs != 0 && fs <= 4) {
            uint8_t b[4];
            fm_put32(b, val);
            hr = fm_pst_value_decode(tag, b, 4, cp, out->props, &out->props[out->n]);
            if (hr == S_OK)
                out->n++;
            continue;
        }
        if (t == PT_OBJECT) {
            const uint8_t *p = NULL;
            uint32_t n;
            hr = fm_pst_heap_get(&h, val, &p, &n);
            if (hr == S_OK && n >= 4 && out->nobj < 4) {
                out->obj_tag[out->nobj] = tag;
                out->obj_nid[out->nobj++] = fm_le32(p);
            }
            continue;
        }
        if (!fm_pst_type_supported(t)) {
            out->bad_values++;
            continue;
        }
        fm_pst_data tmp;
        memset(&tmp, 0, sizeof tmp);
        fm_pst_big big = { tag, 0, 0 };
        const uint8_t *p = NULL;
        uint32_t n;
        hr = hnid_bytes(f, &h, subs, val, &tmp, &p, &n, &big);
        if (hr == S_OK && big.bid != 0) {
            hr = fm_pst_grow((void **)&out->big, &out->capbig, out->nbig + 1, sizeof *out->big);
            if (hr == S_OK)
                out->big[out->nbig++] = big;
        } else if (hr == S_OK) {
            hr = fm_pst_value_decode(tag, p, n, cp, out->props, &out->props[out->n]);
            if (hr == S_OK)
                out->n++;
        }
        fm_pst_data_clear(&tmp);
        if (hr == MAPI_E_CORRUPT_DATA) { /* one bad value: the others still come */
            out->bad_values++;
            hr = S_OK;
        }
    }
    fm_pst_free(c.recs);
    fm_pst_heap_close(&h);
    if (hr != S_OK)
        fm_pst_pc_r_clear(out);
    return hr;
}

void fm_pst_pc_r_clear(fm_pst_pc_r *pc)
{
    if (pc->props != NULL)
        MAPIFreeBuffer(pc->props);
    fm_pst_free(pc->big);
    memset(pc, 0, sizeof *pc);
}

/* ---- TC ---------------------------------------------------------------------------------------- */
HRESULT fm_pst_tc_open(fm_pst_file *f, uint64_t bid_data, const fm_pst_subnodes *subs,
                       fm_pst_tc_r *tc)
{
    memset(tc, 0, sizeof *tc);
    tc->f = f;
    tc->subs = subs;
    HRESULT hr = fm_pst_heap_open(f, bid_data, HN_CLIENT_TC, &tc->h);
    if (hr != S_OK)
        return hr;
    const uint8_t *p = NULL;
    uint32_t n;
    hr = fm_pst_heap_get(&tc->h, tc->h.user_root, &p, &n);
    if (hr == S_OK && (n < 22 || p[0] != HN_CLIENT_TC || 22 + 8 * (uint32_t)p[1] > n))
        hr = bad(f, "a bad table header (TCINFO)");
    if (hr != S_OK) {
        fm_pst_tc_close(tc);
        return hr;
    }
    tc->ncols = p[1];
    for (unsigned i = 0; i < 4; i++)
        tc->rgib[i] = fm_le16(p + 2 + 2 * i);
    uint32_t hnid_rows = fm_le32(p + 14);
    tc->cols = fm_pst_alloc(sizeof *tc->cols * (tc->ncols ? tc->ncols : 1));
    if (tc->cols == NULL)
        hr = fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    uint32_t row = tc->rgib[3];
    if (hr == S_OK && (row == 0 || tc->rgib[0] > tc->rgib[1] || tc->rgib[1] > tc->rgib[2] ||
                       tc->rgib[2] > tc->rgib[3]))
        hr = bad(f, "a bad table row layout");
    for (unsigned i = 0; hr == S_OK && i < tc->ncols; i++) {
        const uint8_t *d = p + 22 + 8 * i;
        tc->cols[i].tag = fm_le32(d);
        tc->cols[i].ib = fm_le16(d + 4);
        tc->cols[i].cb = d[6];
        tc->cols[i].bit = d[7];
        if (tc->cols[i].ib + tc->cols[i].cb > tc->rgib[2] || tc->cols[i].bit / 8 >= row - tc->rgib[2])
            hr = bad(f, "a table column outside its row");
    }
    if (hr == S_OK && hnid_rows != 0) {
        if (NID_TYPE(hnid_rows) == NID_TYPE_HID) {
            hr = fm_pst_heap_get(&tc->h, hnid_rows, &tc->hrows, &tc->nhrows);
            tc->nrows = tc->nhrows / row;
        } else {
            const fm_pst_subnode *s = subs ? fm_pst_subs_find(subs, hnid_rows) : NULL;
            if (s == NULL)
                hr = bad(f, "a table whose rows are missing");
            else /* recipient and attachment tables: a message's, small */
                hr = fm_pst_data_read(f, s->bid_data, FM_PST_HEAP_LIMIT, &tc->rows);
            for (uint32_t i = 0; hr == S_OK && i < tc->rows.n; i++)
                tc->nrows += tc->rows.len[i] / row;
        }
    }
    if (hr != S_OK)
        fm_pst_tc_close(tc);
    return hr;
}

void fm_pst_tc_close(fm_pst_tc_r *tc)
{
    fm_pst_heap_close(&tc->h);
    fm_pst_data_clear(&tc->rows);
    fm_pst_free(tc->cols);
    memset(tc, 0, sizeof *tc);
}

static const uint8_t *row_bytes(fm_pst_tc_r *tc, uint32_t i)
{
    uint32_t row = tc->rgib[3];
    if (tc->hrows != NULL)
        return tc->hrows + (size_t)i * row;
    /* blocks hold whole rows; find the block of row i */
    for (uint32_t b = 0; b < tc->rows.n; b++) {
        uint32_t in = tc->rows.len[b] / row;
        if (i < in)
            return tc->rows.block[b] + (size_t)i * row;
        i -= in;
    }
    return NULL;
}

HRESULT fm_pst_tc_row(fm_pst_tc_r *tc, uint32_t i, LPSPropValue *props, ULONG *n, uint32_t *row_id)
{
    *props = NULL;
    *n = 0;
    const uint8_t *r = i < tc->nrows ? row_bytes(tc, i) : NULL;
    if (r == NULL)
        return bad(tc->f, "a table row past its end");
    *row_id = fm_le32(r);
    LPSPropValue v;
    if (MAPIAllocateBuffer(sizeof(SPropValue) * (tc->ncols ? tc->ncols : 1), (void **)&v) != S_OK)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    const uint8_t *ceb = r + tc->rgib[2];
    HRESULT hr = S_OK;
    ULONG k = 0;
    for (unsigned c = 0; hr == S_OK && c < tc->ncols; c++) {
        const fm_pst_tc_col *col = &tc->cols[c];
        if (!(ceb[col->bit / 8] & (0x80u >> (col->bit % 8))) || col->tag == PR_LTP_ROW_ID ||
            col->tag == PR_LTP_ROW_VER)
            continue;
        ULONG t = PROP_TYPE(col->tag);
        unsigned fs = fm_pst_fixed_size(t);
        if (fs != 0 && fs <= 8) {
            if (col->cb < fs)
                continue;
            hr = fm_pst_value_decode(col->tag, r + col->ib, fs, 1252, v, &v[k]);
        } else if (fm_pst_type_supported(t) && t != PT_OBJECT && col->cb == 4) {
            fm_pst_data tmp;
            memset(&tmp, 0, sizeof tmp);
            const uint8_t *p = NULL;
            uint32_t len;
            hr = hnid_bytes(tc->f, &tc->h, tc->subs, fm_le32(r + col->ib), &tmp, &p, &len, NULL);
            if (hr == S_OK)
                hr = fm_pst_value_decode(col->tag, p, len, 1252, v, &v[k]);
            fm_pst_data_clear(&tmp);
        } else {
            continue;
        }
        if (hr == S_OK)
            k++;
    }
    if (hr != S_OK) {
        MAPIFreeBuffer(v);
        return hr;
    }
    *props = v;
    *n = k;
    return S_OK;
}
