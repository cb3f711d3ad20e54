/*
 * msg/names.c - the named-property map of a .msg file ([MS-OXMSG] 2.2.3):
 * the storage __nameid_version1.0 with its GUID stream (__substg1.0_00020102,
 * 16 bytes a GUID), entry stream (__substg1.0_00030102, 8 bytes an entry:
 * the name's ID or its offset in the string stream, then the property index
 * in the high 16 bits, the GUID index shifted left by one, and the kind in
 * bit 0), string stream (__substg1.0_00040102: a 4-byte length, the UTF-16
 * name, padding to 4 bytes), and the property-name-to-ID hash streams
 * __substg1.0_10XX0102 that Outlook looks names up with.
 *
 * GUID index 1 is PS_MAPI, 2 PS_PUBLIC_STRINGS, 3 and up the GUID stream.
 * Property index i is property ID 0x8000 + i. Reading checks every offset,
 * length and index; an entry that does not hold is skipped and the file
 * still opens (its properties then have no name and are reported by
 * GetNamesFromIDs as unknown).
 */
#include <stdio.h>
#include <string.h>

#include "cfb/cfb.h"
#include "core/alloc.h"
#include "core/error.h"
#include "mapiguid.h"
#include "msg/msg.h"

#define NAMEID u"__nameid_version1.0"
#define STG_RW (STGM_READWRITE | STGM_SHARE_EXCLUSIVE)
#define STG_RD (STGM_READ | STGM_SHARE_EXCLUSIVE)
#define MAX_NAMES 0x7FFFu
#define MAX_NAME_BYTES 65536u

/* ---- CRC of [MS-OXRTFCP] 3.1.3.2: reflected 0xEDB88320, seed 0, no final xor --- */
uint32_t fm_msg_crc32_more(uint32_t crc, const unsigned char *p, size_t n)
{
    static uint32_t table[256];
    static _Atomic int ready;
    if (!atomic_load(&ready)) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        atomic_store(&ready, 1);
    }
    for (size_t i = 0; i < n; i++)
        crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return crc;
}

uint32_t fm_msg_crc32(const unsigned char *p, size_t n)
{
    return fm_msg_crc32_more(0, p, n);
}

void fm_msg_names_clear(fm_msg_names *m)
{
    for (size_t i = 0; i < m->n; i++)
        fm_free(m->v[i].name);
    fm_free(m->v);
    memset(m, 0, sizeof *m);
}

static HRESULT read_all(IStorage *stg, const WCHAR *name, size_t max, unsigned char **out,
                        size_t *n)
{
    IStream *s = NULL;
    *out = NULL;
    *n = 0;
    HRESULT hr = IStorage_OpenStream(stg, name, NULL, STG_RD, 0, &s);
    if (hr == STG_E_FILENOTFOUND)
        return S_OK;
    if (hr != S_OK)
        return hr;
    STATSTG st;
    hr = IStream_Stat(s, &st, STATFLAG_NONAME);
    if (hr == S_OK && st.cbSize.QuadPart > max)
        hr = fm_error_set(MAPI_E_CORRUPT_DATA, ".msg: a named-property stream claims %llu "
                          "bytes", (unsigned long long)st.cbSize.QuadPart);
    size_t len = hr == S_OK ? (size_t)st.cbSize.QuadPart : 0;
    unsigned char *buf = hr == S_OK ? fm_malloc(len ? len : 1) : NULL;
    if (hr == S_OK && buf == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory reading names");
    ULONG got = 0;
    if (hr == S_OK && len > 0)
        hr = IStream_Read(s, buf, (ULONG)len, &got);
    if (hr == S_OK && got != len)
        hr = fm_error_set(MAPI_E_CORRUPT_DATA, ".msg: a named-property stream is short");
    IStream_Release(s);
    if (hr != S_OK) {
        fm_free(buf);
        return hr;
    }
    *out = buf;
    *n = len;
    return S_OK;
}

static HRESULT put_name(fm_msg_names *m, size_t idx, const fm_msg_name *nm)
{
    if (idx >= m->cap) {
        size_t cap = m->cap ? m->cap : 64;
        while (cap <= idx)
            cap *= 2;
        fm_msg_name *v = fm_realloc(m->v, cap * sizeof *v);
        if (v == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory (names)");
        memset(v + m->cap, 0, (cap - m->cap) * sizeof *v);
        m->v = v;
        m->cap = cap;
    }
    if (idx < m->n && m->v[idx].used)
        return S_FALSE; /* a duplicate index: the first one stays */
    m->v[idx] = *nm;
    m->v[idx].used = true;
    if (idx >= m->n)
        m->n = idx + 1;
    return S_OK;
}

static HRESULT parse(fm_msg_names *m, const unsigned char *guids, size_t ng,
                     const unsigned char *entries, size_t ne, const unsigned char *strs,
                     size_t ns)
{
    HRESULT hr = S_OK;
    for (size_t i = 0; hr == S_OK && i + 8 <= ne && i / 8 < MAX_NAMES; i += 8) {
        uint32_t a = fm_cfb_le32(entries + i), b = fm_cfb_le32(entries + i + 4);
        uint32_t kind = b & 1, gi = (b >> 1) & 0x7FFF, idx = b >> 16;
        fm_msg_name nm = { .kind = kind ? MNID_STRING : MNID_ID };
        if (idx >= MAX_NAMES)
            continue;
        if (gi == 1)
            nm.guid = PS_MAPI;
        else if (gi == 2)
            nm.guid = PS_PUBLIC_STRINGS;
        else if (gi >= 3 && (size_t)(gi - 3) * 16 + 16 <= ng)
            memcpy(&nm.guid, guids + (size_t)(gi - 3) * 16, 16);
        else
            continue; /* no such GUID: the entry is unusable */
        if (!kind) {
            nm.lid = (LONG)a;
        } else {
            if ((size_t)a + 4 > ns)
                continue;
            uint32_t len = fm_cfb_le32(strs + a);
            if (len % 2 != 0 || (size_t)a + 4 + len > ns || len > MAX_NAME_BYTES)
                continue;
            nm.name = fm_malloc(len + 2);
            if (nm.name == NULL)
                return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory (names)");
            for (uint32_t k = 0; k < len / 2; k++)
                nm.name[k] = fm_cfb_le16(strs + a + 4 + 2 * k);
            nm.name[len / 2] = 0;
        }
        hr = put_name(m, idx, &nm);
        if (hr != S_OK)
            fm_free(nm.name);
        if (hr == S_FALSE)
            hr = S_OK;
    }
    return hr;
}

HRESULT fm_msg_names_load(fm_msg_names *m, IStorage *root)
{
    IStorage *ns = NULL;
    HRESULT hr = IStorage_OpenStorage(root, NAMEID, NULL, STG_RD, NULL, 0, &ns);
    if (hr == STG_E_FILENOTFOUND)
        return S_OK;
    if (hr != S_OK)
        return hr;
    unsigned char *g = NULL, *e = NULL, *s = NULL;
    size_t ng = 0, ne = 0, nstr = 0;
    hr = read_all(ns, u"__substg1.0_00020102", 16u * MAX_NAMES, &g, &ng);
    if (hr == S_OK)
        hr = read_all(ns, u"__substg1.0_00030102", 8u * MAX_NAMES, &e, &ne);
    if (hr == S_OK)
        hr = read_all(ns, u"__substg1.0_00040102", 64u << 20, &s, &nstr);
    if (hr == S_OK)
        hr = parse(m, g, ng, e, ne, s, nstr);
    fm_free(g);
    fm_free(e);
    fm_free(s);
    IStorage_Release(ns);
    return hr;
}

static bool same_name(const fm_msg_name *a, const MAPINAMEID *b)
{
    if (!a->used || b->lpguid == NULL || !IsEqualGUID(&a->guid, b->lpguid) || a->kind != b->ulKind)
        return false;
    if (a->kind == MNID_ID)
        return a->lid == b->Kind.lID;
    const WCHAR *x = a->name, *y = b->Kind.lpwstrName;
    if (x == NULL || y == NULL)
        return false;
    while (*x != 0 && *x == *y) {
        x++;
        y++;
    }
    return *x == *y;
}

HRESULT fm_msg_names_id(fm_msg_names *m, const MAPINAMEID *name, bool create, ULONG *id)
{
    *id = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (same_name(&m->v[i], name)) {
            *id = 0x8000u + (ULONG)i;
            return S_OK;
        }
    }
    if (!create)
        return S_OK;
    if (m->n >= MAX_NAMES)
        return fm_error_set(MAPI_E_NAMED_PROP_QUOTA_EXCEEDED, ".msg: every named-property ID "
                                                              "is in use");
    fm_msg_name nm = { .guid = *name->lpguid, .kind = name->ulKind };
    if (name->ulKind == MNID_ID) {
        nm.lid = name->Kind.lID;
    } else {
        size_t n = 0;
        while (name->Kind.lpwstrName[n] != 0)
            n++;
        if (n * 2 > MAX_NAME_BYTES)
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "GetIDsFromNames: a name is longer "
                                                          "than 32768 characters");
        if ((nm.name = fm_malloc((n + 1) * sizeof(WCHAR))) == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "GetIDsFromNames: out of memory");
        memcpy(nm.name, name->Kind.lpwstrName, (n + 1) * sizeof(WCHAR));
    }
    HRESULT hr = put_name(m, m->n, &nm);
    if (hr != S_OK) { /* (S_FALSE cannot happen at a new index) */
        fm_free(nm.name);
        return hr;
    }
    m->dirty = true;
    *id = 0x8000u + (ULONG)(m->n - 1);
    return S_OK;
}

/* ---- writing ------------------------------------------------------------------- */

typedef struct buf {
    unsigned char *p;
    size_t n, cap;
} buf;

static HRESULT put(buf *b, const void *data, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->n + n)
            cap *= 2;
        unsigned char *p = fm_realloc(b->p, cap);
        if (p == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory (names)");
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

static HRESULT put32(buf *b, uint32_t v)
{
    unsigned char x[4];
    fm_cfb_put32(x, v);
    return put(b, x, 4);
}

static HRESULT write_stream(IStorage *stg, const WCHAR *name, const buf *b)
{
    IStream *s = NULL;
    HRESULT hr = IStorage_CreateStream(stg, name, STG_RW | STGM_CREATE, 0, 0, &s);
    if (hr == S_OK && b->n > 0)
        hr = IStream_Write(s, b->p, (ULONG)b->n, NULL);
    if (s != NULL)
        IStream_Release(s);
    return hr;
}

/* The GUID index of a name's set, adding it to the GUID stream. */
static HRESULT guid_index(buf *g, const GUID *guid, uint32_t *gi)
{
    if (IsEqualGUID(guid, &PS_MAPI)) {
        *gi = 1;
        return S_OK;
    }
    if (IsEqualGUID(guid, &PS_PUBLIC_STRINGS)) {
        *gi = 2;
        return S_OK;
    }
    for (size_t i = 0; i + 16 <= g->n; i += 16) {
        if (memcmp(g->p + i, guid, 16) == 0) {
            *gi = 3 + (uint32_t)(i / 16);
            return S_OK;
        }
    }
    *gi = 3 + (uint32_t)(g->n / 16);
    return put(g, guid, 16);
}

static uint32_t name_hash(const fm_msg_name *nm)
{
    if (nm->kind == MNID_ID)
        return (uint32_t)nm->lid;
    /* Outlook lower-cases PS_INTERNET_HEADERS names first (product note <1>). */
    bool lower = IsEqualGUID(&nm->guid, &PS_INTERNET_HEADERS);
    uint32_t crc = 0;
    unsigned char b[2];
    /* Over the UTF-16LE bytes, one unit at a time. */
    for (size_t i = 0; nm->name[i] != 0; i++) {
        WCHAR c = nm->name[i];
        if (lower && c >= 'A' && c <= 'Z')
            c = (WCHAR)(c + 32);
        fm_cfb_put16(b, c);
        crc = fm_msg_crc32_more(crc, b, 2);
    }
    return crc;
}

HRESULT fm_msg_names_save(const fm_msg_names *m, IStorage *root)
{
    IStorage *ns = NULL;
    buf g = { 0 }, e = { 0 }, s = { 0 };
    buf hash[0x1F];
    memset(hash, 0, sizeof hash);
    HRESULT hr = IStorage_CreateStorage(root, NAMEID, STG_RW | STGM_CREATE, 0, 0, &ns);
    for (size_t i = 0; hr == S_OK && i < m->n; i++) {
        const fm_msg_name *nm = &m->v[i];
        if (!nm->used)
            continue; /* an index the file skipped */
        uint32_t gi = 0, kind = nm->kind == MNID_STRING;
        hr = guid_index(&g, &nm->guid, &gi);
        uint32_t first = (uint32_t)nm->lid;
        if (hr == S_OK && kind) {
            size_t len = 0;
            while (nm->name[len] != 0)
                len++;
            first = (uint32_t)s.n;
            hr = put32(&s, (uint32_t)(len * 2));
            for (size_t k = 0; hr == S_OK && k < len; k++) {
                unsigned char c[2];
                fm_cfb_put16(c, nm->name[k]);
                hr = put(&s, c, 2);
            }
            if (hr == S_OK && s.n % 4 != 0)
                hr = put(&s, NULL, 4 - s.n % 4);
        }
        uint32_t info = ((uint32_t)i << 16) | (gi << 1) | kind;
        if (hr == S_OK)
            hr = put32(&e, first);
        if (hr == S_OK)
            hr = put32(&e, info);
        uint32_t h = name_hash(nm);
        buf *hb = &hash[(h ^ ((gi << 1) | kind)) % 0x1F];
        if (hr == S_OK)
            hr = put32(hb, h);
        if (hr == S_OK)
            hr = put32(hb, info);
    }
    if (hr == S_OK)
        hr = write_stream(ns, u"__substg1.0_00020102", &g);
    if (hr == S_OK)
        hr = write_stream(ns, u"__substg1.0_00030102", &e);
    if (hr == S_OK)
        hr = write_stream(ns, u"__substg1.0_00040102", &s);
    for (unsigned k = 0; hr == S_OK && k < 0x1F; k++) {
        if (hash[k].n == 0)
            continue;
        char name[32];
        WCHAR w[32];
        snprintf(name, sizeof name, "__substg1.0_%04X0102", 0x1000u + k);
        fm_msg_wname(name, w);
        hr = write_stream(ns, w, &hash[k]);
    }
    for (unsigned k = 0; k < 0x1F; k++)
        fm_free(hash[k].p);
    fm_free(g.p);
    fm_free(e.p);
    fm_free(s.p);
    if (ns != NULL)
        IStorage_Release(ns);
    return hr;
}
