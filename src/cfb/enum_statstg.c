/*
 * cfb/enum_statstg.c - IEnumSTATSTG over a storage's elements, and the
 * STATSTG every Stat fills.
 *
 * The enumerator works on a copy of the element list taken when it was
 * made (names, types, sizes, times, classes), so changes to the storage
 * afterwards neither show nor break it; it holds nothing of the file.
 */
#include <string.h>

#include "cfb/cfb.h"
#include "core/alloc.h"
#include "core/error.h"
#include "mapiguid.h"

typedef struct enum_item {
    WCHAR name[CFB_NAME_MAX + 1];
    uint16_t nlen;
    uint8_t type;
    uint64_t size, ctime, mtime;
    CLSID clsid;
    uint32_t state_bits;
} enum_item;

typedef struct fm_cfb_enum {
    IEnumSTATSTG iface;
    _Atomic ULONG refs;
    enum_item *items;
    size_t n, pos;
} fm_cfb_enum;

static FILETIME ft(uint64_t v)
{
    FILETIME t = { (DWORD)v, (DWORD)(v >> 32) };
    return t;
}

static HRESULT fill(const WCHAR *name, size_t nlen, uint8_t type, uint64_t size, uint64_t ctime,
                    uint64_t mtime, const CLSID *clsid, uint32_t bits, DWORD mode, DWORD flag,
                    STATSTG *st)
{
    memset(st, 0, sizeof *st);
    if (!(flag & STATFLAG_NONAME)) {
        st->pwcsName = CoTaskMemAlloc((nlen + 1) * sizeof(WCHAR));
        if (st->pwcsName == NULL)
            return fm_error_set(E_OUTOFMEMORY, "Stat: out of memory");
        memcpy(st->pwcsName, name, nlen * sizeof(WCHAR));
        st->pwcsName[nlen] = 0;
    }
    st->type = type == CFB_TYPE_STREAM ? STGTY_STREAM : STGTY_STORAGE;
    st->cbSize.QuadPart = type == CFB_TYPE_STREAM ? size : 0;
    st->ctime = ft(ctime);
    st->mtime = ft(mtime);
    st->grfMode = mode;
    st->clsid = *clsid;
    st->grfStateBits = bits;
    return S_OK;
}

static size_t wlen(const WCHAR *s)
{
    size_t n = 0;
    while (s != NULL && s[n] != 0)
        n++;
    return n;
}

HRESULT fm_cfb_stat_fill(const fm_cfb_node *n, DWORD mode, DWORD flag, const WCHAR *root_name,
                      STATSTG *st)
{
    const WCHAR *name = root_name != NULL ? root_name : n->name;
    size_t nlen = root_name != NULL ? wlen(root_name) : n->nlen;
    return fill(name, nlen, n->type, n->size, n->ctime, n->mtime, &n->clsid, n->state_bits,
                mode, flag, st);
}

static fm_cfb_enum *enum_of(IEnumSTATSTG *This)
{
    return (fm_cfb_enum *)This;
}

static STDMETHODIMP en_QueryInterface(IEnumSTATSTG *This, REFIID riid, LPVOID *ppv)
{
    if (ppv == NULL)
        return E_POINTER;
    *ppv = NULL;
    if (riid == NULL)
        return E_INVALIDARG;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IEnumSTATSTG)) {
        atomic_fetch_add(&enum_of(This)->refs, 1);
        *ppv = This;
        return S_OK;
    }
    return E_NOINTERFACE;
}

static STDMETHODIMP_(ULONG) en_AddRef(IEnumSTATSTG *This)
{
    return atomic_fetch_add(&enum_of(This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) en_Release(IEnumSTATSTG *This)
{
    fm_cfb_enum *e = enum_of(This);
    ULONG left = atomic_fetch_sub(&e->refs, 1) - 1;
    if (left == 0) {
        fm_free(e->items);
        fm_free(e);
    }
    return left;
}

static STDMETHODIMP en_Next(IEnumSTATSTG *This, ULONG celt, STATSTG *rgelt, ULONG *pceltFetched)
{
    fm_cfb_enum *e = enum_of(This);
    if (pceltFetched != NULL)
        *pceltFetched = 0;
    if (rgelt == NULL || (celt > 1 && pceltFetched == NULL))
        return fm_error_set(STG_E_INVALIDPOINTER, "IEnumSTATSTG::Next: rgelt is NULL, or "
                            "pceltFetched is NULL with celt > 1");
    ULONG got = 0;
    while (got < celt && e->pos < e->n) {
        const enum_item *it = &e->items[e->pos];
        HRESULT hr = fill(it->name, it->nlen, it->type, it->size, it->ctime, it->mtime,
                          &it->clsid, it->state_bits, 0, STATFLAG_DEFAULT, &rgelt[got]);
        if (hr != S_OK) {
            while (got > 0)
                CoTaskMemFree(rgelt[--got].pwcsName);
            return hr;
        }
        got++;
        e->pos++;
    }
    if (pceltFetched != NULL)
        *pceltFetched = got;
    return got == celt ? S_OK : S_FALSE;
}

static STDMETHODIMP en_Skip(IEnumSTATSTG *This, ULONG celt)
{
    fm_cfb_enum *e = enum_of(This);
    size_t left = e->n - e->pos;
    e->pos += celt < left ? celt : left;
    return celt <= left ? S_OK : S_FALSE;
}

static STDMETHODIMP en_Reset(IEnumSTATSTG *This)
{
    enum_of(This)->pos = 0;
    return S_OK;
}

static HRESULT enum_make(const enum_item *items, size_t n, size_t pos, IEnumSTATSTG **out);

static STDMETHODIMP en_Clone(IEnumSTATSTG *This, IEnumSTATSTG **ppenum)
{
    fm_cfb_enum *e = enum_of(This);
    if (ppenum == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IEnumSTATSTG::Clone: ppenum is NULL");
    *ppenum = NULL;
    return enum_make(e->items, e->n, e->pos, ppenum);
}

static const IEnumSTATSTGVtbl ENUM_VTBL = {
    .QueryInterface = en_QueryInterface,
    .AddRef = en_AddRef,
    .Release = en_Release,
    .Next = en_Next,
    .Skip = en_Skip,
    .Reset = en_Reset,
    .Clone = en_Clone,
};

static HRESULT enum_make(const enum_item *items, size_t n, size_t pos, IEnumSTATSTG **out)
{
    fm_cfb_enum *e = fm_calloc(1, sizeof *e);
    enum_item *copy = n > 0 ? fm_malloc(n * sizeof *copy) : NULL;
    if (e == NULL || (n > 0 && copy == NULL)) {
        fm_free(e);
        fm_free(copy);
        return fm_error_set(E_OUTOFMEMORY, "EnumElements: out of memory");
    }
    if (n > 0)
        memcpy(copy, items, n * sizeof *copy);
    e->iface.lpVtbl = &ENUM_VTBL;
    atomic_init(&e->refs, 1);
    e->items = copy;
    e->n = n;
    e->pos = pos;
    *out = &e->iface;
    return S_OK;
}

HRESULT fm_cfb_enum_new(fm_cfb_file *f, const fm_cfb_node *dir, IEnumSTATSTG **out)
{
    (void)f;
    enum_item *items = dir->nkids > 0 ? fm_malloc(dir->nkids * sizeof *items) : NULL;
    if (dir->nkids > 0 && items == NULL)
        return fm_error_set(E_OUTOFMEMORY, "EnumElements: out of memory");
    for (size_t i = 0; i < dir->nkids; i++) {
        const fm_cfb_node *k = dir->kids[i];
        enum_item *it = &items[i];
        memcpy(it->name, k->name, sizeof it->name);
        it->nlen = k->nlen;
        it->type = k->type;
        it->size = k->size;
        it->ctime = k->ctime;
        it->mtime = k->mtime;
        it->clsid = k->clsid;
        it->state_bits = k->state_bits;
    }
    HRESULT hr = enum_make(items, dir->nkids, 0, out);
    fm_free(items);
    return hr;
}
