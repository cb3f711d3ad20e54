/*
 * msg/propstream.c - an object's properties in its storage ([MS-OXMSG]
 * 2.1 and 2.4): the property stream __properties_version1.0 (a header of
 * 32 bytes for a top-level message, 24 for an embedded one, 8 for a
 * recipient or attachment, then one 16-byte entry a property: tag, flags,
 * and the value itself for fixed-size types or the size of its stream),
 * and one __substg1.0_TTTTYYYY stream per variable-size value; multi-valued
 * variable-size values have a length stream and one stream per value
 * (__substg1.0_TTTTYYYY-NNNNNNNN).
 *
 * Reading trusts no size: every value is read with its stream's real
 * length, strings lose their trailing NULs, and an entry whose stream is
 * missing or does not fit its type becomes a *bad* property (PT_ERROR
 * MAPI_E_CORRUPT_DATA, msg.h) rather than failing the whole message.
 * Writing is Unicode: PT_STRING8 values (UTF-8 in freemapi) go out as
 * PT_UNICODE, multi-valued ones as PT_MV_UNICODE.
 */
#include <stdio.h>
#include <string.h>

#include "cfb/cfb.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "mapitags.h"
#include "msg/msg.h"

#define PROPS_NAME u"__properties_version1.0"
#define STG_RD (STGM_READ | STGM_SHARE_EXCLUSIVE)
#define STG_RW (STGM_READWRITE | STGM_SHARE_EXCLUSIVE)
#define MAX_ENTRIES (1u << 20)
#define ENTRY_BYTES 16u

static unsigned header_bytes(const fm_msg_obj *o)
{
    if (o->kind != FM_MSG_MESSAGE)
        return 8;
    return o->embedded ? 24 : 32;
}

void fm_msg_wname(const char *s, WCHAR *out)
{
    size_t i = 0;
    for (; s[i] != 0 && i < 31; i++)
        out[i] = (unsigned char)s[i];
    out[i] = 0;
}

void fm_msg_substg_name(ULONG tag, WCHAR *out)
{
    char name[32];
    snprintf(name, sizeof name, "__substg1.0_%08lX", (unsigned long)tag);
    fm_msg_wname(name, out);
}

static void value_name(ULONG tag, ULONG i, WCHAR *out)
{
    char name[40];
    snprintf(name, sizeof name, "__substg1.0_%08lX-%08lX", (unsigned long)tag, (unsigned long)i);
    fm_msg_wname(name, out);
}

/* Bytes of a fixed-size value (the single-valued form of type); 0 otherwise. */
static unsigned fixed_bytes(ULONG type)
{
    switch (type & ~(ULONG)MV_FLAG) {
    case PT_I2: return 2;
    case PT_LONG:
    case PT_R4:
    case PT_ERROR: return 4;
    case PT_BOOLEAN: return 2;
    case PT_DOUBLE:
    case PT_CURRENCY:
    case PT_APPTIME:
    case PT_I8:
    case PT_SYSTIME: return 8;
    case PT_CLSID: return 16;
    default: return 0;
    }
}

static bool known_type(ULONG type)
{
    if (type & MV_FLAG) {
        ULONG base = type & ~(ULONG)MV_FLAG;
        return (fixed_bytes(base) != 0 && base != PT_ERROR && base != PT_BOOLEAN) ||
               base == PT_STRING8 || base == PT_UNICODE || base == PT_BINARY;
    }
    return fixed_bytes(type) != 0 || type == PT_STRING8 || type == PT_UNICODE ||
           type == PT_BINARY || type == PT_OBJECT;
}

/* ---- small helpers on the object ------------------------------------------------------ */

static HRESULT add_bad(fm_msg_obj *o, ULONG tag, SCODE sc)
{
    if (o->nbad == o->capbad) {
        size_t cap = o->capbad ? o->capbad * 2 : 4;
        fm_msg_bad *b = fm_realloc(o->bad, cap * sizeof *b);
        if (b == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory");
        o->bad = b;
        o->capbad = cap;
    }
    o->bad[o->nbad++] = (fm_msg_bad){ tag, sc };
    return S_OK;
}

static HRESULT add_sprop(fm_msg_obj *o, ULONG tag, uint64_t size)
{
    if (o->nsprops == o->capsprops) {
        size_t cap = o->capsprops ? o->capsprops * 2 : 4;
        fm_msg_stream_prop *p = fm_realloc(o->sprops, cap * sizeof *p);
        if (p == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory");
        o->sprops = p;
        o->capsprops = cap;
    }
    o->sprops[o->nsprops++] = (fm_msg_stream_prop){ tag, size };
    return S_OK;
}

static HRESULT set_attr(fm_msg_obj *o, ULONG id, ULONG attr)
{
    for (size_t i = 0; i < o->nattrs; i++) {
        if (o->attrs[i].id == id) {
            o->attrs[i].attr = attr;
            return S_OK;
        }
    }
    if (o->nattrs == o->capattrs) {
        size_t cap = o->capattrs ? o->capattrs * 2 : 16;
        fm_msg_attr *a = fm_realloc(o->attrs, cap * sizeof *a);
        if (a == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory");
        o->attrs = a;
        o->capattrs = cap;
    }
    o->attrs[o->nattrs++] = (fm_msg_attr){ id, attr };
    return S_OK;
}

static ULONG attr_of(const fm_msg_obj *o, ULONG id)
{
    for (size_t i = 0; i < o->nattrs; i++) {
        if (o->attrs[i].id == id)
            return o->attrs[i].attr;
    }
    return PROPATTR_READABLE | PROPATTR_WRITEABLE;
}

/* ---- reading -------------------------------------------------------------------------- */

/* A whole stream of stg, at most max bytes (*n > max: too big, nothing read). */
static HRESULT read_stream(IStorage *stg, const WCHAR *name, size_t max, unsigned char **out,
                           size_t *n, bool *missing)
{
    IStream *s = NULL;
    *out = NULL;
    *n = 0;
    *missing = false;
    HRESULT hr = IStorage_OpenStream(stg, name, NULL, STG_RD, 0, &s);
    if (hr == STG_E_FILENOTFOUND) {
        *missing = true;
        return S_OK;
    }
    if (hr != S_OK)
        return hr;
    STATSTG st;
    hr = IStream_Stat(s, &st, STATFLAG_NONAME);
    if (hr == S_OK && st.cbSize.QuadPart > max) {
        *n = st.cbSize.QuadPart > SIZE_MAX ? SIZE_MAX : (size_t)st.cbSize.QuadPart;
        IStream_Release(s);
        return S_OK;
    }
    size_t len = hr == S_OK ? (size_t)st.cbSize.QuadPart : 0;
    unsigned char *buf = hr == S_OK ? fm_malloc(len + 2) : NULL;
    if (hr == S_OK && buf == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory reading a value");
    ULONG got = 0;
    if (hr == S_OK && len > 0)
        hr = IStream_Read(s, buf, (ULONG)len, &got);
    if (hr == S_OK && got != len)
        hr = fm_error_set(MAPI_E_CORRUPT_DATA, ".msg: a value stream is shorter than it says");
    IStream_Release(s);
    if (hr != S_OK) {
        fm_free(buf);
        return hr;
    }
    buf[len] = buf[len + 1] = 0;
    *out = buf;
    *n = len;
    return S_OK;
}

/* A storage failure while reading: corrupt data is the file's fault and
 * makes the property bad; anything else (memory, I/O) fails the read. */
static bool file_fault(HRESULT hr)
{
    return hr == STG_E_DOCFILECORRUPT || hr == MAPI_E_CORRUPT_DATA || hr == STG_E_READFAULT;
}

static HRESULT to_bag(fm_msg_obj *o, SPropValue *v)
{
    LPSPropProblemArray pr = NULL;
    HRESULT hr = IPropData_SetProps(o->bag, 1, v, &pr);
    if (hr == S_OK && pr != NULL && pr->cProblem > 0)
        hr = add_bad(o, v->ulPropTag, pr->aProblem[0].scode);
    o->tree->free_buffer(pr);
    return hr;
}

/* Trailing NUL code units (or bytes) off a string read from a stream. */
static size_t strip_nuls(const unsigned char *p, size_t n, bool wide)
{
    if (wide) {
        n &= ~(size_t)1;
        while (n >= 2 && p[n - 1] == 0 && p[n - 2] == 0)
            n -= 2;
    } else {
        while (n > 0 && p[n - 1] == 0)
            n--;
    }
    return n;
}

/* UTF-16LE bytes as a NUL-terminated WCHAR string (fm_malloc'd). */
static WCHAR *wide_of(const unsigned char *p, size_t n)
{
    WCHAR *w = fm_malloc(n + 2);
    if (w == NULL)
        return NULL;
    for (size_t i = 0; i < n / 2; i++)
        w[i] = fm_cfb_le16(p + 2 * i);
    w[n / 2] = 0;
    return w;
}

static HRESULT read_string(fm_msg_obj *o, ULONG tag, unsigned char *p, size_t n)
{
    SPropValue v = { .ulPropTag = tag };
    HRESULT hr = S_OK;
    if (PROP_TYPE(tag) == PT_UNICODE) {
        WCHAR *w = wide_of(p, strip_nuls(p, n, true));
        if (w == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory");
        v.Value.lpszW = w;
        hr = to_bag(o, &v);
        fm_free(w);
        return hr;
    }
    char *u = NULL;
    size_t ulen = 0;
    hr = fm_msg_decode_ansi(o->tree->codepage, p, strip_nuls(p, n, false), &u, &ulen);
    if (hr == S_OK) {
        v.Value.lpszA = u;
        hr = to_bag(o, &v);
        fm_free(u);
    }
    return hr;
}

static HRESULT read_single(fm_msg_obj *o, ULONG tag, const unsigned char *entry)
{
    ULONG type = PROP_TYPE(tag);
    WCHAR name[32];
    fm_msg_substg_name(tag, name);
    if (type == PT_OBJECT) {
        /* An embedded message or OLE storage: a storage, not a stream. */
        IStorage *sub = NULL;
        HRESULT hr = IStorage_OpenStorage(o->stg, name, NULL, STG_RD, NULL, 0, &sub);
        if (hr == S_OK) {
            IStorage_Release(sub);
            o->has_object = true;
            return S_OK;
        }
        return hr == STG_E_FILENOTFOUND ? add_bad(o, tag, MAPI_E_CORRUPT_DATA) : hr;
    }
    size_t max = type == PT_STRING8 ? FM_MSG_ANSI_MAX : FM_MSG_LOAD_MAX;
    unsigned char *p = NULL;
    size_t n = 0;
    bool missing = false;
    HRESULT hr = read_stream(o->stg, name, max, &p, &n, &missing);
    if (file_fault(hr))
        return add_bad(o, tag, MAPI_E_CORRUPT_DATA);
    if (hr != S_OK)
        return hr;
    if (missing)
        return add_bad(o, tag, MAPI_E_CORRUPT_DATA);
    if (p == NULL) /* larger than max */
        return type == PT_STRING8 ? add_bad(o, tag, MAPI_E_NOT_ENOUGH_MEMORY)
                                  : add_sprop(o, tag, n);
    SPropValue v = { .ulPropTag = tag };
    if (type == PT_BINARY) {
        v.Value.bin.cb = (ULONG)n;
        v.Value.bin.lpb = p;
        hr = to_bag(o, &v);
    } else if (type == PT_CLSID) {
        if (n != 16) {
            hr = add_bad(o, tag, MAPI_E_CORRUPT_DATA);
        } else {
            GUID g;
            memcpy(&g, p, 16);
            v.Value.lpguid = &g;
            hr = to_bag(o, &v);
        }
    } else {
        hr = read_string(o, tag, p, n);
    }
    fm_free(p);
    (void)entry;
    return hr;
}

static void fixed_value(ULONG type, const unsigned char *b, union _PV *out)
{
    switch (type) {
    case PT_I2: out->i = (short)fm_cfb_le16(b); break;
    case PT_LONG: out->l = (LONG)fm_cfb_le32(b); break;
    case PT_ERROR: out->err = (SCODE)fm_cfb_le32(b); break;
    case PT_BOOLEAN: out->b = fm_cfb_le16(b) != 0; break;
    case PT_R4: {
        uint32_t x = fm_cfb_le32(b);
        memcpy(&out->flt, &x, 4);
        break;
    }
    case PT_DOUBLE:
    case PT_APPTIME: {
        uint64_t x = fm_cfb_le64(b);
        memcpy(type == PT_DOUBLE ? (void *)&out->dbl : (void *)&out->at, &x, 8);
        break;
    }
    case PT_CURRENCY: out->cur.int64 = (LONGLONG)fm_cfb_le64(b); break;
    case PT_I8: out->li.QuadPart = (LONGLONG)fm_cfb_le64(b); break;
    case PT_SYSTIME:
        out->ft.dwLowDateTime = fm_cfb_le32(b);
        out->ft.dwHighDateTime = fm_cfb_le32(b + 4);
        break;
    default: break;
    }
}

static HRESULT read_mv_fixed(fm_msg_obj *o, ULONG tag)
{
    ULONG base = PROP_TYPE(tag) & ~(ULONG)MV_FLAG;
    unsigned sz = fixed_bytes(base);
    WCHAR name[32];
    fm_msg_substg_name(tag, name);
    unsigned char *p = NULL;
    size_t n = 0;
    bool missing = false;
    HRESULT hr = read_stream(o->stg, name, FM_MSG_MV_MAX, &p, &n, &missing);
    if (file_fault(hr) || (hr == S_OK && (missing || (p != NULL && n % sz != 0))))
        hr = add_bad(o, tag, MAPI_E_CORRUPT_DATA);
    else if (hr == S_OK && p == NULL)
        hr = add_bad(o, tag, MAPI_E_NOT_ENOUGH_MEMORY);
    else if (hr == S_OK) {
        size_t count = n / sz;
        void *arr = fm_malloc(count ? count * (base == PT_CLSID ? sizeof(GUID) : 8) : 1);
        if (arr == NULL)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory");
        SPropValue v = { .ulPropTag = tag };
        for (size_t i = 0; hr == S_OK && i < count; i++) {
            const unsigned char *b = p + i * sz;
            union _PV one;
            memset(&one, 0, sizeof one);
            switch (base) {
            case PT_I2: ((short *)arr)[i] = (short)fm_cfb_le16(b); break;
            case PT_LONG: ((LONG *)arr)[i] = (LONG)fm_cfb_le32(b); break;
            case PT_R4: fixed_value(PT_R4, b, &one); ((float *)arr)[i] = one.flt; break;
            case PT_CLSID: memcpy(&((GUID *)arr)[i], b, 16); break;
            default: memcpy((char *)arr + i * 8, b, 8); break; /* LE on x86 and ARM64 */
            }
        }
        if (hr == S_OK) {
            v.Value.MVl.cValues = (ULONG)count;
            v.Value.MVl.lpl = arr; /* every MV member is a count and a pointer */
            hr = to_bag(o, &v);
        }
        fm_free(arr);
    }
    fm_free(p);
    return hr;
}

static HRESULT read_mv_var(fm_msg_obj *o, ULONG tag)
{
    ULONG base = PROP_TYPE(tag) & ~(ULONG)MV_FLAG;
    unsigned step = base == PT_BINARY ? 8 : 4;
    WCHAR name[40];
    fm_msg_substg_name(tag, name);
    unsigned char *len = NULL;
    size_t nlen = 0, total = 0;
    bool missing = false;
    HRESULT hr = read_stream(o->stg, name, FM_MSG_MV_MAX, &len, &nlen, &missing);
    if (file_fault(hr) || (hr == S_OK && missing))
        return add_bad(o, tag, MAPI_E_CORRUPT_DATA);
    if (hr == S_OK && len == NULL)
        return add_bad(o, tag, MAPI_E_NOT_ENOUGH_MEMORY);
    if (hr != S_OK)
        return hr;
    size_t count = nlen / step;
    void **vals = fm_calloc(count ? count : 1, sizeof *vals);
    size_t *sizes = fm_calloc(count ? count : 1, sizeof *sizes);
    if (vals == NULL || sizes == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory");
    SCODE bad = S_OK;
    for (size_t i = 0; hr == S_OK && bad == S_OK && i < count; i++) {
        unsigned char *p = NULL;
        size_t n = 0;
        value_name(tag, (ULONG)i, name);
        hr = read_stream(o->stg, name, FM_MSG_MV_MAX - total, &p, &n, &missing);
        if (file_fault(hr) || (hr == S_OK && missing)) {
            hr = S_OK;
            bad = MAPI_E_CORRUPT_DATA;
        } else if (hr == S_OK && p == NULL) {
            bad = MAPI_E_NOT_ENOUGH_MEMORY;
        } else if (hr == S_OK && base == PT_BINARY) {
            vals[i] = p;
            sizes[i] = n;
        } else if (hr == S_OK && base == PT_UNICODE) {
            vals[i] = wide_of(p, strip_nuls(p, n, true));
            fm_free(p);
        } else if (hr == S_OK) {
            char *u = NULL;
            size_t ul = 0;
            hr = fm_msg_decode_ansi(o->tree->codepage, p, strip_nuls(p, n, false), &u, &ul);
            vals[i] = u;
            fm_free(p);
        }
        if (hr == S_OK && bad == S_OK && vals[i] == NULL)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory");
        total += n;
    }
    if (hr == S_OK && bad != S_OK)
        hr = add_bad(o, tag, bad);
    else if (hr == S_OK) {
        SPropValue v = { .ulPropTag = tag };
        SBinary *bins = base == PT_BINARY ? fm_calloc(count ? count : 1, sizeof *bins) : NULL;
        if (base == PT_BINARY && bins == NULL)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory");
        for (size_t i = 0; bins != NULL && i < count; i++) {
            bins[i].cb = (ULONG)sizes[i];
            bins[i].lpb = vals[i];
        }
        if (hr == S_OK) {
            v.Value.MVbin.cValues = (ULONG)count;
            if (base == PT_BINARY)
                v.Value.MVbin.lpbin = bins;
            else
                v.Value.MVszA.lppszA = (char **)vals;
            hr = to_bag(o, &v);
        }
        fm_free(bins);
    }
    for (size_t i = 0; vals != NULL && i < count; i++)
        fm_free(vals[i]);
    fm_free(vals);
    fm_free(sizes);
    fm_free(len);
    return hr;
}

static HRESULT read_entry(fm_msg_obj *o, const unsigned char *e, unsigned char *seen)
{
    ULONG tag = fm_cfb_le32(e), type = PROP_TYPE(tag), id = PROP_ID(tag);
    if (seen[id / 8] & (1u << (id % 8)))
        return S_OK; /* a repeated ID: the first entry stands */
    seen[id / 8] |= (unsigned char)(1u << (id % 8));
    HRESULT hr = set_attr(o, id, fm_cfb_le32(e + 4));
    if (hr != S_OK)
        return hr;
    /* Computed by the object (object.c), not kept from the file. */
    if (id == PROP_ID(PR_OBJECT_TYPE) || (o->kind == FM_MSG_ATTACH && id == PROP_ID(PR_ATTACH_NUM)) ||
        (o->kind == FM_MSG_MESSAGE && !o->embedded && id == PROP_ID(PR_STORE_SUPPORT_MASK)))
        return S_OK;
    if (!known_type(type))
        return add_bad(o, tag, MAPI_E_CORRUPT_DATA);
    if (!(type & MV_FLAG) && fixed_bytes(type) != 0 && type != PT_CLSID) {
        SPropValue v = { .ulPropTag = tag };
        fixed_value(type, e + 8, &v.Value);
        return to_bag(o, &v);
    }
    if (type & MV_FLAG) {
        ULONG base = type & ~(ULONG)MV_FLAG;
        return (base == PT_STRING8 || base == PT_UNICODE || base == PT_BINARY)
                   ? read_mv_var(o, tag)
                   : read_mv_fixed(o, tag);
    }
    return read_single(o, tag, e);
}

/* The code page of PT_STRING8 values: PR_MESSAGE_CODEPAGE, else
 * PR_INTERNET_CPID, read from the top-level message's entries. */
static void find_codepage(fm_msg_obj *o, const unsigned char *p, size_t n, unsigned head)
{
    ULONG cp = 0, cpid = 0;
    for (size_t off = head; off + ENTRY_BYTES <= n; off += ENTRY_BYTES) {
        ULONG tag = fm_cfb_le32(p + off);
        if (tag == PR_MESSAGE_CODEPAGE)
            cp = fm_cfb_le32(p + off + 8);
        else if (tag == PR_INTERNET_CPID)
            cpid = fm_cfb_le32(p + off + 8);
    }
    o->tree->codepage = cp ? cp : cpid ? cpid : 1252;
}

HRESULT fm_msg_props_read(fm_msg_obj *o)
{
    unsigned char *p = NULL, *seen = NULL;
    size_t n = 0;
    bool missing = false;
    unsigned head = header_bytes(o);
    HRESULT hr = read_stream(o->stg, PROPS_NAME, (size_t)MAX_ENTRIES * ENTRY_BYTES + head, &p,
                             &n, &missing);
    if (hr == S_OK && p == NULL && !missing)
        hr = fm_error_set(MAPI_E_CORRUPT_DATA, ".msg: the property stream claims %zu bytes",
                          n);
    if (hr != S_OK || missing)
        return hr == S_OK ? S_OK : fm_msg_stg_hr(hr); /* no stream: no properties */
    if (n < head) {
        fm_free(p);
        return fm_error_set(MAPI_E_CORRUPT_DATA, ".msg: the property stream has %zu bytes, "
                            "less than its %u-byte header", n, head);
    }
    if (o->kind == FM_MSG_MESSAGE) {
        o->next_recip = fm_cfb_le32(p + 8);
        o->next_attach = fm_cfb_le32(p + 12);
        if (!o->embedded)
            find_codepage(o, p, n, head);
    }
    if ((seen = fm_calloc(0x10000 / 8, 1)) == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory");
    for (size_t off = head; hr == S_OK && off + ENTRY_BYTES <= n; off += ENTRY_BYTES)
        hr = read_entry(o, p + off, seen);
    fm_free(seen);
    fm_free(p);
    return hr == S_OK ? S_OK : fm_msg_stg_hr(hr);
}

/* ---- writing -------------------------------------------------------------------------- */

typedef struct wbuf {
    unsigned char *p;
    size_t n, cap;
} wbuf;

static HRESULT wput(wbuf *b, const void *data, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 512;
        while (cap < b->n + n)
            cap *= 2;
        unsigned char *p = fm_realloc(b->p, cap);
        if (p == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory writing");
        b->p = p;
        b->cap = cap;
    }
    if (data != NULL)
        memcpy(b->p + b->n, data, n);
    else
        memset(b->p + b->n, 0, n);
    b->n += n;
    return S_OK;
}

static HRESULT wput32(wbuf *b, uint32_t v)
{
    unsigned char x[4];
    fm_cfb_put32(x, v);
    return wput(b, x, 4);
}

static HRESULT write_bytes(IStorage *stg, const WCHAR *name, const void *p, size_t n)
{
    IStream *s = NULL;
    HRESULT hr = IStorage_CreateStream(stg, name, STG_RW | STGM_CREATE, 0, 0, &s);
    if (hr == S_OK && n > 0)
        hr = IStream_Write(s, p, (ULONG)n, NULL);
    if (s != NULL)
        IStream_Release(s);
    return hr;
}

/* UTF-16LE bytes of a string, with or without its NUL. */
static HRESULT utf16_bytes(const WCHAR *w, bool nul, wbuf *b)
{
    b->n = 0;
    HRESULT hr = S_OK;
    for (size_t i = 0; hr == S_OK && w[i] != 0; i++) {
        unsigned char c[2];
        fm_cfb_put16(c, w[i]);
        hr = wput(b, c, 2);
    }
    if (hr == S_OK && nul)
        hr = wput(b, NULL, 2);
    return hr;
}

static void put_fixed(unsigned char *o, const SPropValue *v)
{
    switch (PROP_TYPE(v->ulPropTag)) {
    case PT_I2: fm_cfb_put16(o, (uint16_t)v->Value.i); break;
    case PT_LONG: fm_cfb_put32(o, (uint32_t)v->Value.l); break;
    case PT_ERROR: fm_cfb_put32(o, (uint32_t)v->Value.err); break;
    case PT_BOOLEAN: fm_cfb_put16(o, v->Value.b ? 1 : 0); break;
    case PT_R4: {
        uint32_t x;
        memcpy(&x, &v->Value.flt, 4);
        fm_cfb_put32(o, x);
        break;
    }
    case PT_DOUBLE:
    case PT_APPTIME: {
        uint64_t x;
        memcpy(&x, PROP_TYPE(v->ulPropTag) == PT_DOUBLE ? (const void *)&v->Value.dbl
                                                        : (const void *)&v->Value.at, 8);
        fm_cfb_put64(o, x);
        break;
    }
    case PT_CURRENCY: fm_cfb_put64(o, (uint64_t)v->Value.cur.int64); break;
    case PT_I8: fm_cfb_put64(o, (uint64_t)v->Value.li.QuadPart); break;
    case PT_SYSTIME:
        fm_cfb_put32(o, v->Value.ft.dwLowDateTime);
        fm_cfb_put32(o + 4, v->Value.ft.dwHighDateTime);
        break;
    default: break;
    }
}

/* Writes one value's streams; *size is what its entry records. */
static HRESULT write_value(fm_msg_obj *o, const SPropValue *v, uint32_t *size, wbuf *tmp)
{
    ULONG tag = v->ulPropTag, type = PROP_TYPE(tag);
    WCHAR name[40];
    fm_msg_substg_name(tag, name);
    HRESULT hr = S_OK;
    if (type == PT_UNICODE) {
        hr = utf16_bytes(v->Value.lpszW, false, tmp);
        /* Outlook will not open a zero-length string stream: an empty
         * string is written as its terminator ([MS-OXMSG] <2>). */
        if (hr == S_OK && tmp->n == 0)
            hr = wput(tmp, NULL, 2);
        *size = (uint32_t)tmp->n + 2;
        return hr == S_OK ? write_bytes(o->stg, name, tmp->p, tmp->n) : hr;
    }
    if (type == PT_BINARY) {
        *size = v->Value.bin.cb;
        return write_bytes(o->stg, name, v->Value.bin.lpb, v->Value.bin.cb);
    }
    if (type == PT_CLSID) {
        *size = 16;
        return write_bytes(o->stg, name, v->Value.lpguid, 16);
    }
    ULONG base = type & ~(ULONG)MV_FLAG, count = v->Value.MVl.cValues;
    if (base == PT_UNICODE || base == PT_BINARY) {
        tmp->n = 0;
        wbuf one = { 0 };
        for (ULONG i = 0; hr == S_OK && i < count; i++) {
            WCHAR vname[40];
            value_name(tag, i, vname);
            if (base == PT_BINARY) {
                const SBinary *b = &v->Value.MVbin.lpbin[i];
                hr = wput32(tmp, b->cb);
                if (hr == S_OK)
                    hr = wput32(tmp, 0);
                if (hr == S_OK)
                    hr = write_bytes(o->stg, vname, b->lpb, b->cb);
            } else {
                hr = utf16_bytes(v->Value.MVszW.lppszW[i], true, &one);
                if (hr == S_OK)
                    hr = wput32(tmp, (uint32_t)one.n);
                if (hr == S_OK)
                    hr = write_bytes(o->stg, vname, one.p, one.n);
            }
        }
        fm_free(one.p);
        *size = (uint32_t)tmp->n;
        return hr == S_OK ? write_bytes(o->stg, name, tmp->p, tmp->n) : hr;
    }
    /* Fixed-size multi-valued: one stream of the values. */
    unsigned sz = fixed_bytes(base);
    tmp->n = 0;
    for (ULONG i = 0; hr == S_OK && i < count; i++) {
        unsigned char b[16];
        memset(b, 0, sizeof b);
        switch (base) {
        case PT_I2: fm_cfb_put16(b, (uint16_t)v->Value.MVi.lpi[i]); break;
        case PT_LONG: fm_cfb_put32(b, (uint32_t)v->Value.MVl.lpl[i]); break;
        case PT_R4: memcpy(b, &v->Value.MVflt.lpflt[i], 4); break;
        case PT_CLSID: memcpy(b, &v->Value.MVguid.lpguid[i], 16); break;
        default: memcpy(b, (const char *)v->Value.MVli.lpli + 8 * (size_t)i, 8); break;
        }
        hr = wput(tmp, b, sz);
    }
    *size = (uint32_t)tmp->n;
    return hr == S_OK ? write_bytes(o->stg, name, tmp->p, tmp->n) : hr;
}

/* True for a __substg1.0_ stream name that belongs to tag (itself or one
 * of its value streams). */
static bool names_tag(const WCHAR *w, ULONG *tag)
{
    static const char prefix[] = "__substg1.0_";
    for (size_t i = 0; i < sizeof prefix - 1; i++) {
        if (w[i] != (WCHAR)prefix[i])
            return false;
    }
    ULONG t = 0;
    for (size_t i = 0; i < 8; i++) {
        WCHAR c = w[sizeof prefix - 1 + i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                                      : -1;
        if (d < 0)
            return false;
        t = (t << 4) | (ULONG)d;
    }
    *tag = t;
    return true;
}

static bool is_tmp(const WCHAR *w)
{
    static const char prefix[] = "__fmtmp_";
    for (size_t i = 0; i < sizeof prefix - 1; i++) {
        if (w[i] != (WCHAR)prefix[i])
            return false;
    }
    return true;
}

static bool tag_in(const ULONG *tags, size_t n, ULONG tag)
{
    for (size_t i = 0; i < n; i++) {
        if (tags[i] == tag)
            return true;
    }
    return false;
}

/* Destroys value streams no property of the written set names (deleted
 * properties, changed types) and leftovers of pending streams. */
static HRESULT drop_stale(fm_msg_obj *o, const ULONG *keep, size_t nkeep)
{
    IEnumSTATSTG *en = NULL;
    HRESULT hr = IStorage_EnumElements(o->stg, 0, NULL, 0, &en);
    WCHAR (*doomed)[32] = NULL;
    size_t nd = 0, capd = 0;
    while (hr == S_OK) {
        STATSTG st;
        ULONG got = 0;
        hr = IEnumSTATSTG_Next(en, 1, &st, &got);
        if (hr != S_OK || got == 0) {
            hr = SUCCEEDED(hr) ? S_OK : hr;
            break;
        }
        ULONG tag = 0;
        bool drop = st.type == STGTY_STREAM &&
                    ((names_tag(st.pwcsName, &tag) && !tag_in(keep, nkeep, tag)) ||
                     is_tmp(st.pwcsName));
        if (drop) {
            if (nd == capd) {
                size_t cap = capd ? capd * 2 : 16;
                void *p = fm_realloc(doomed, cap * sizeof *doomed);
                if (p == NULL)
                    hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory");
                else {
                    doomed = p;
                    capd = cap;
                }
            }
            if (hr == S_OK) {
                memcpy(doomed[nd], st.pwcsName, sizeof doomed[nd]);
                doomed[nd++][31] = 0;
            }
        }
        CoTaskMemFree(st.pwcsName);
    }
    if (en != NULL)
        IEnumSTATSTG_Release(en);
    for (size_t i = 0; hr == S_OK && i < nd; i++)
        hr = IStorage_DestroyElement(o->stg, doomed[i]);
    fm_free(doomed);
    return hr;
}

static HRESULT entry(wbuf *b, ULONG tag, ULONG attr, const unsigned char value[8])
{
    HRESULT hr = wput32(b, tag);
    if (hr == S_OK)
        hr = wput32(b, attr);
    if (hr == S_OK)
        hr = wput(b, value, 8);
    return hr;
}

static HRESULT write_header(fm_msg_obj *o, wbuf *b)
{
    unsigned char h[32];
    memset(h, 0, sizeof h);
    if (o->kind == FM_MSG_MESSAGE) {
        ULONG nr = (ULONG)o->nrecips, na = 0;
        for (size_t i = 0; i < o->natts; i++)
            na += !o->atts[i].deleted && !o->atts[i].unsaved;
        fm_cfb_put32(h + 8, o->next_recip);
        fm_cfb_put32(h + 12, o->next_attach);
        fm_cfb_put32(h + 16, nr);
        fm_cfb_put32(h + 20, na);
    }
    return wput(b, h, header_bytes(o));
}

HRESULT fm_msg_props_write(fm_msg_obj *o)
{
    LPSPropTagArray list = NULL;
    LPSPropValue vals = NULL;
    ULONG nv = 0;
    wbuf props = { 0 }, tmp = { 0 };
    ULONG *keep = NULL;
    size_t nkeep = 0;
    HRESULT hr = IPropData_GetPropList(o->bag, MAPI_UNICODE, &list);
    if (hr == S_OK && list->cValues > 0)
        hr = IPropData_GetProps(o->bag, list, MAPI_UNICODE, &nv, &vals);
    if (SUCCEEDED(hr))
        hr = S_OK;
    size_t cap = nv + o->nsprops + 2;
    if (hr == S_OK && (keep = fm_malloc(cap * sizeof *keep)) == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory writing");
    if (hr == S_OK)
        hr = write_header(o, &props);
    for (ULONG i = 0; hr == S_OK && i < nv; i++) {
        const SPropValue *v = &vals[i];
        ULONG type = PROP_TYPE(v->ulPropTag);
        unsigned char val[8];
        memset(val, 0, sizeof val);
        if (type == PT_ERROR || type == PT_NULL || type == PT_OBJECT)
            continue;
        if (!(type & MV_FLAG) && fixed_bytes(type) != 0 && type != PT_CLSID) {
            put_fixed(val, v);
        } else {
            uint32_t size = 0;
            hr = write_value(o, v, &size, &tmp);
            fm_cfb_put32(val, size);
            keep[nkeep++] = v->ulPropTag;
        }
        if (hr == S_OK)
            hr = entry(&props, v->ulPropTag, attr_of(o, PROP_ID(v->ulPropTag)), val);
    }
    for (size_t i = 0; hr == S_OK && i < o->nsprops; i++) {
        unsigned char val[8];
        memset(val, 0, sizeof val);
        const fm_msg_stream_prop *sp = &o->sprops[i];
        fm_cfb_put32(val, (uint32_t)(PROP_TYPE(sp->tag) == PT_UNICODE ? sp->size + 2 : sp->size));
        keep[nkeep++] = sp->tag;
        hr = entry(&props, sp->tag, attr_of(o, PROP_ID(sp->tag)), val);
    }
    if (hr == S_OK && (o->kind == FM_MSG_ATTACH || (o->kind == FM_MSG_MESSAGE && !o->embedded))) {
        unsigned char val[8];
        memset(val, 0, sizeof val);
        ULONG tag = o->kind == FM_MSG_ATTACH ? PR_ATTACH_NUM : PR_STORE_SUPPORT_MASK;
        fm_cfb_put32(val, o->kind == FM_MSG_ATTACH ? o->num
                                                : STORE_UNICODE_OK | STORE_ATTACH_OK |
                                                      STORE_MV_PROPS_OK | STORE_PUSHER_OK);
        hr = entry(&props, tag, PROPATTR_READABLE, val);
    }
    if (hr == S_OK && o->kind == FM_MSG_ATTACH && o->has_object) {
        unsigned char val[8];
        memset(val, 0, sizeof val);
        fm_cfb_put32(val, 0xFFFFFFFFu); /* an embedded message or storage (2.4.2.2) */
        hr = entry(&props, PR_ATTACH_DATA_OBJ, attr_of(o, PROP_ID(PR_ATTACH_DATA_OBJ)), val);
    }
    if (hr == S_OK)
        hr = drop_stale(o, keep, nkeep);
    if (hr == S_OK)
        hr = write_bytes(o->stg, PROPS_NAME, props.p, props.n);
    fm_free(keep);
    fm_free(props.p);
    fm_free(tmp.p);
    o->tree->free_buffer(vals);
    o->tree->free_buffer(list);
    return hr == S_OK ? S_OK : fm_msg_stg_hr(hr);
}

/* ---- rows ------------------------------------------------------------------------------- */

HRESULT fm_msg_props_row(fm_msg_tree *t, IStorage *stg, ULONG *n, LPSPropValue *props)
{
    fm_msg_obj o;
    memset(&o, 0, sizeof o);
    o.tree = t;
    o.kind = FM_MSG_ATTACH;
    o.stg = stg;
    *n = 0;
    *props = NULL;
    HRESULT hr = CreateIProp(&IID_IMAPIPropData, t->alloc, t->more, t->free_buffer, NULL,
                             &o.bag);
    if (hr == S_OK)
        hr = fm_msg_props_read(&o);
    LPSPropValue bagv = NULL;
    ULONG nb = 0;
    if (hr == S_OK)
        hr = IPropData_GetProps(o.bag, NULL, MAPI_UNICODE, &nb, &bagv);
    if (SUCCEEDED(hr))
        hr = S_OK;
    size_t total = nb + o.nsprops + o.nbad;
    LPSPropValue out = NULL;
    if (hr == S_OK)
        hr = t->alloc((ULONG)((total ? total : 1) * sizeof *out), (void **)&out);
    ULONG k = 0;
    for (ULONG i = 0; hr == S_OK && i < nb; i++)
        hr = PropCopyMore(&out[k++], &bagv[i], t->more, out);
    for (size_t i = 0; hr == S_OK && i < o.nsprops; i++) {
        out[k].ulPropTag = CHANGE_PROP_TYPE(o.sprops[i].tag, PT_ERROR);
        out[k++].Value.err = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (size_t i = 0; hr == S_OK && i < o.nbad; i++) {
        out[k].ulPropTag = CHANGE_PROP_TYPE(o.bad[i].tag, PT_ERROR);
        out[k++].Value.err = o.bad[i].sc;
    }
    t->free_buffer(bagv);
    if (o.bag != NULL)
        IPropData_Release(o.bag);
    fm_free(o.sprops);
    fm_free(o.bad);
    fm_free(o.attrs);
    if (hr != S_OK) {
        t->free_buffer(out);
        return hr;
    }
    *n = k;
    *props = out;
    return S_OK;
}
