/*
 * ab/entryid.c - the address book's entry IDs (ab.h): permanent directory
 * entry IDs and the one-off entry ID of [MS-OXCDATA] 2.2.5.1.
 */
#include <string.h>
#include <strings.h>

#include "ab/ab.h"
#include "ab/addrbook.h"
#include "core/alloc.h"
#include "core/text.h"

/* MAPI_ONE_OFF_UID ([MS-OXCDATA] 2.2.5.1 ProviderUID). */
const MAPIUID FM_AB_ONE_OFF_UID = { { 0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19, 0x9D, 0x6E,
                                      0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02 } };

#define ONEOFF_HEAD 24 /* abFlags, UID, version, flags */

void fm_ab_eid_write(int kind, int64_t id, BYTE *buf)
{
    memset(buf, 0, FM_AB_EID_SIZE);
    memcpy(buf + 4, FM_SITE_DIRECTORY_UID.ab, 16);
    buf[20] = 1;
    buf[21] = (BYTE)kind;
    uint64_t v = (uint64_t)id;
    for (int i = 0; i < 8; i++)
        buf[24 + i] = (BYTE)(v >> (8 * i));
}

static HRESULT alloc_eid(size_t n, void *parent, void **out)
{
    SCODE sc = parent ? MAPIAllocateMore((ULONG)n, parent, out) : MAPIAllocateBuffer((ULONG)n, out);
    if (sc != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory making an entry ID");
    return S_OK;
}

HRESULT fm_ab_eid_make(int kind, int64_t id, void *parent, ULONG *cb, LPENTRYID *out)
{
    void *p = NULL;
    HRESULT hr = alloc_eid(FM_AB_EID_SIZE, parent, &p);
    if (hr != S_OK)
        return hr;
    fm_ab_eid_write(kind, id, p);
    *cb = FM_AB_EID_SIZE;
    *out = p;
    return S_OK;
}

HRESULT fm_ab_eid_parse(ULONG cb, const ENTRYID *eid, int *kind, int64_t *id)
{
    if (eid == NULL || cb < 20)
        return fm_error_set(MAPI_E_INVALID_ENTRYID, "the entry ID is %s",
                            eid ? "too short" : "NULL");
    const BYTE *p = (const BYTE *)eid;
    if (memcmp(p + 4, FM_SITE_DIRECTORY_UID.ab, 16) != 0)
        return fm_error_set(MAPI_E_UNKNOWN_ENTRYID,
                            "the entry ID belongs to no address book container of this "
                            "profile");
    if (cb != FM_AB_EID_SIZE || p[0] || p[1] || p[2] || p[3] || p[20] != 1 || p[22] || p[23] ||
        p[21] < FM_AB_KIND_USER || p[21] > FM_AB_KIND_CONTACT)
        return fm_error_set(MAPI_E_INVALID_ENTRYID, "malformed directory entry ID (%lu bytes)",
                            (unsigned long)cb);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[24 + i];
    *kind = p[21];
    *id = (int64_t)v;
    return S_OK;
}

bool fm_ab_is_oneoff(ULONG cb, const ENTRYID *eid)
{
    return eid != NULL && cb >= 20 &&
           memcmp((const BYTE *)eid + 4, FM_AB_ONE_OFF_UID.ab, 16) == 0;
}

/* Bytes one string takes in the entry ID, terminator included. */
static size_t field_size(const char *s, bool wide)
{
    size_t n = strlen(s);
    return wide ? 2 * (n + 1) : n + 1; /* UTF-16 never has more units than UTF-8 bytes */
}

static BYTE *put_field(BYTE *p, const char *s, bool wide)
{
    size_t n = strlen(s);
    if (!wide) {
        memcpy(p, s, n + 1);
        return p + n + 1;
    }
    WCHAR tmp[256];
    size_t done = 0;
    /* Converted in pieces on code point boundaries so the stack buffer
     * stays small whatever the length. */
    while (done < n) {
        size_t take = n - done < 128 ? n - done : 128;
        while (done + take < n && (((unsigned char)s[done + take]) & 0xC0) == 0x80)
            take--;
        size_t units = fm_utf8_to_utf16_into(s + done, take, tmp, 256);
        for (size_t i = 0; i < units; i++) {
            *p++ = (BYTE)(tmp[i] & 0xFF);
            *p++ = (BYTE)(tmp[i] >> 8);
        }
        done += take;
    }
    *p++ = 0;
    *p++ = 0;
    return p;
}

HRESULT fm_ab_oneoff_make(const char *name, const char *type, const char *address,
                          unsigned flags, void *parent, ULONG *cb, LPENTRYID *out)
{
    bool wide = (flags & MAPI_ONE_OFF_UNICODE) != 0;
    size_t size = ONEOFF_HEAD + field_size(name, wide) + field_size(type, wide) +
                  field_size(address, wide);
    if (size > 65536)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateOneOff: the strings are too long");
    BYTE *p = NULL;
    HRESULT hr = alloc_eid(size, parent, (void **)&p);
    if (hr != S_OK)
        return hr;
    memset(p, 0, ONEOFF_HEAD);
    memcpy(p + 4, FM_AB_ONE_OFF_UID.ab, 16);
    p[22] = (BYTE)(flags & 0xFF);
    p[23] = (BYTE)(flags >> 8);
    BYTE *q = put_field(p + ONEOFF_HEAD, name, wide);
    q = put_field(q, type, wide);
    q = put_field(q, address, wide);
    *cb = (ULONG)(q - p);
    *out = (LPENTRYID)p;
    return S_OK;
}

/* Reads one NUL-terminated field at *pos into a fm_malloc'd UTF-8 string. */
static HRESULT get_field(const BYTE *p, size_t cb, size_t *pos, bool wide, char **out)
{
    size_t start = *pos, end = start;
    if (!wide) {
        while (end < cb && p[end] != 0)
            end++;
        if (end >= cb)
            return fm_error_set(MAPI_E_INVALID_ENTRYID, "one-off entry ID: unterminated string");
        if (!fm_utf8_valid((const char *)p + start, end - start))
            return fm_error_set(MAPI_E_INVALID_ENTRYID, "one-off entry ID: invalid UTF-8");
        *out = fm_malloc(end - start + 1);
        if (*out == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading an entry ID");
        memcpy(*out, p + start, end - start);
        (*out)[end - start] = '\0';
        *pos = end + 1;
        return S_OK;
    }
    while (end + 1 < cb && (p[end] != 0 || p[end + 1] != 0))
        end += 2;
    if (end + 1 >= cb)
        return fm_error_set(MAPI_E_INVALID_ENTRYID, "one-off entry ID: unterminated string");
    size_t units = (end - start) / 2;
    WCHAR *w = fm_malloc((units + 1) * sizeof *w);
    *out = fm_malloc(3 * units + 1);
    HRESULT hr = S_OK;
    if (w == NULL || *out == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading an entry ID");
    for (size_t i = 0; hr == S_OK && i < units; i++)
        w[i] = (WCHAR)(p[start + 2 * i] | (p[start + 2 * i + 1] << 8));
    if (hr == S_OK && !fm_utf16_valid(w, units))
        hr = fm_error_set(MAPI_E_INVALID_ENTRYID, "one-off entry ID: invalid UTF-16");
    if (hr == S_OK)
        fm_utf16_to_utf8_into(w, units, *out);
    fm_free(w);
    if (hr != S_OK) {
        fm_free(*out);
        *out = NULL;
        return hr;
    }
    *pos = end + 2;
    return S_OK;
}

void fm_ab_oneoff_clear(fm_ab_oneoff *o)
{
    fm_free(o->name);
    fm_free(o->type);
    fm_free(o->address);
    memset(o, 0, sizeof *o);
}

HRESULT fm_ab_oneoff_parse(ULONG cb, const ENTRYID *eid, fm_ab_oneoff *out)
{
    memset(out, 0, sizeof *out);
    const BYTE *p = (const BYTE *)eid;
    if (!fm_ab_is_oneoff(cb, eid) || cb < ONEOFF_HEAD + 3)
        return fm_error_set(MAPI_E_INVALID_ENTRYID, "not a one-off entry ID");
    if (p[0] || p[1] || p[2] || p[3] || p[20] || p[21])
        return fm_error_set(MAPI_E_INVALID_ENTRYID, "one-off entry ID: flags or version not 0");
    out->flags = (unsigned)(p[22] | (p[23] << 8));
    bool wide = (out->flags & MAPI_ONE_OFF_UNICODE) != 0;
    size_t pos = ONEOFF_HEAD;
    HRESULT hr = get_field(p, cb, &pos, wide, &out->name);
    if (hr == S_OK)
        hr = get_field(p, cb, &pos, wide, &out->type);
    if (hr == S_OK)
        hr = get_field(p, cb, &pos, wide, &out->address);
    if (hr == S_OK && (out->type[0] == '\0' || out->address[0] == '\0'))
        hr = fm_error_set(MAPI_E_INVALID_ENTRYID, "one-off entry ID without an address type "
                                                  "or address");
    if (hr != S_OK)
        fm_ab_oneoff_clear(out);
    return hr;
}

bool fm_addrbook_is_entryid(ULONG cb, const ENTRYID *eid)
{
    return fm_ab_is_oneoff(cb, eid) ||
           (eid != NULL && cb >= 20 &&
            memcmp((const BYTE *)eid + 4, FM_SITE_DIRECTORY_UID.ab, 16) == 0);
}

/* One-offs are the same recipient when their address types and addresses
 * are (ignoring case); display names do not count. */
static HRESULT compare_oneoffs(ULONG cb1, const ENTRYID *e1, ULONG cb2, const ENTRYID *e2,
                               ULONG *result)
{
    fm_ab_oneoff a, b;
    HRESULT hr = fm_ab_oneoff_parse(cb1, e1, &a);
    if (hr != S_OK)
        return hr;
    hr = fm_ab_oneoff_parse(cb2, e2, &b);
    if (hr != S_OK) {
        fm_ab_oneoff_clear(&a);
        return hr;
    }
    fm_text ta = fm_text_utf8(a.address), tb = fm_text_utf8(b.address);
    *result = strcasecmp(a.type, b.type) == 0 && fm_text_compare(&ta, &tb, FM_FOLD_CASE) == 0;
    fm_ab_oneoff_clear(&a);
    fm_ab_oneoff_clear(&b);
    return S_OK;
}

HRESULT fm_addrbook_compare_entryids(ULONG cb1, const ENTRYID *e1, ULONG cb2, const ENTRYID *e2,
                                     ULONG *result)
{
    bool o1 = fm_ab_is_oneoff(cb1, e1), o2 = fm_ab_is_oneoff(cb2, e2);
    if (o1 && o2)
        return compare_oneoffs(cb1, e1, cb2, e2, result);
    int k1 = 0, k2 = 0;
    int64_t i1 = 0, i2 = 0;
    HRESULT hr = o1 ? S_OK : fm_ab_eid_parse(cb1, e1, &k1, &i1);
    if (hr == S_OK && !o2)
        hr = fm_ab_eid_parse(cb2, e2, &k2, &i2);
    if (hr != S_OK)
        return hr;
    *result = !o1 && !o2 && k1 == k2 && i1 == i2;
    return S_OK;
}
