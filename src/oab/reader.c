/*
 * oab/reader.c - our own parser of the uncompressed OAB version 4 full
 * details file ([MS-OXOAB] 2.9), independent of the writer's code paths:
 * it checks OAB_HDR (version, ulSerial against the CRC of the rest,
 * ulTotRecs against the records found), the metadata's size and tables,
 * each record's size, presence bits and value encodings, and hands every
 * record back as SPropValues. Tests use it to read the generator's output
 * back to the directory entries; it reads record by record, so its memory
 * is one record.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "mapicode.h"
#include "mapix.h"
#include "oab/oab.h"

#define RECORD_LIMIT (64u * 1024u * 1024u)

typedef struct cursor {
    const BYTE *p, *end;
} cursor;

static HRESULT corrupt(const char *what)
{
    return fm_error_set(MAPI_E_CORRUPT_DATA, "offline address book file: %s", what);
}

static HRESULT get_int(cursor *c, ULONG *out)
{
    if (c->p >= c->end)
        return corrupt("an integer runs past its record");
    BYTE b = *c->p++;
    if (b <= 0x7F) {
        *out = b;
        return S_OK;
    }
    size_t n = b & 0x7Fu;
    if (n < 1 || n > 4 || (size_t)(c->end - c->p) < n)
        return corrupt("a bad integer length byte");
    ULONG v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (ULONG)c->p[i] << (8 * i);
    c->p += n;
    *out = v;
    return S_OK;
}

static HRESULT get_string(cursor *c, bool wide, void *parent, void **out)
{
    const BYTE *nul = memchr(c->p, 0, (size_t)(c->end - c->p));
    if (!nul)
        return corrupt("a string has no terminating NUL");
    const char *s = (const char *)c->p;
    c->p = nul + 1;
    if (!fm_utf8_valid(s, (size_t)(nul - (const BYTE *)s)))
        return corrupt("a string is not UTF-8");
    if (!wide) {
        *out = (void *)s; /* valid while the record buffer is */
        return S_OK;
    }
    return fm_utf8_to_utf16_mapi(s, parent, (LPWSTR *)out);
}

static HRESULT get_binary(cursor *c, SBinary *bin)
{
    ULONG n;
    HRESULT hr = get_int(c, &n);
    if (FAILED(hr))
        return hr;
    if ((size_t)(c->end - c->p) < n)
        return corrupt("a binary value runs past its record");
    bin->cb = n;
    bin->lpb = (LPBYTE)c->p;
    c->p += n;
    return S_OK;
}

static HRESULT get_bool(cursor *c, unsigned short *b)
{
    if (c->p >= c->end || *c->p > 1)
        return corrupt("a bad boolean");
    *b = *c->p++;
    return S_OK;
}

static size_t mv_elem_size(ULONG type)
{
    return type == PT_MV_LONG ? sizeof(LONG) : type == PT_MV_BINARY ? sizeof(SBinary) : sizeof(void *);
}

static HRESULT get_mv(cursor *c, ULONG type, void *parent, SPropValue *v)
{
    ULONG count;
    HRESULT hr = get_int(c, &count);
    if (FAILED(hr))
        return hr;
    if (count > (size_t)(c->end - c->p))
        return corrupt("a multi-valued count exceeds its record");
    void *arr = NULL;
    hr = fm_alloc_mapi(count ? count * mv_elem_size(type) : 1, parent, &arr);
    if (FAILED(hr))
        return hr;
    v->Value.MVl.cValues = count;
    v->Value.MVl.lpl = arr;
    for (ULONG i = 0; SUCCEEDED(hr) && i < count; i++) {
        if (type == PT_MV_LONG)
            hr = get_int(c, (ULONG *)&v->Value.MVl.lpl[i]);
        else if (type == PT_MV_BINARY)
            hr = get_binary(c, &v->Value.MVbin.lpbin[i]);
        else
            hr = get_string(c, type == PT_MV_UNICODE, parent, (void **)&v->Value.MVszA.lppszA[i]);
    }
    return hr;
}

static HRESULT get_value(cursor *c, ULONG tag, void *parent, SPropValue *v)
{
    ULONG type = PROP_TYPE(tag);
    v->ulPropTag = tag;
    switch (type) {
    case PT_LONG:
        return get_int(c, (ULONG *)&v->Value.l);
    case PT_BOOLEAN:
        return get_bool(c, &v->Value.b);
    case PT_STRING8:
    case PT_UNICODE:
        return get_string(c, type == PT_UNICODE, parent, (void **)&v->Value.lpszA);
    case PT_BINARY:
        return get_binary(c, &v->Value.bin);
    case PT_MV_LONG:
    case PT_MV_STRING8:
    case PT_MV_UNICODE:
    case PT_MV_BINARY:
        return get_mv(c, type, parent, v);
    default:
        return corrupt("a column of a type without an encoding");
    }
}

/* Decodes one OAB_V4_REC (its bytes after cbSize) into a MAPI buffer. */
static HRESULT decode_record(const BYTE *rec, size_t n, const fmapi_oab_prop *cols, ULONG ncols,
                             SPropValue **out, ULONG *count)
{
    size_t nbits = (ncols + 7) / 8;
    if (n < nbits)
        return corrupt("a record is shorter than its presence bits");
    if (ncols % 8 && (rec[nbits - 1] & (0xFFu >> (ncols % 8))))
        return corrupt("unused presence bits are set");
    SPropValue *vals = NULL;
    HRESULT hr = MAPIAllocateBuffer((ULONG)((ncols ? ncols : 1) * sizeof *vals), (void **)&vals);
    if (FAILED(hr))
        return fm_error_set(hr, "offline address book file: no memory for a record");
    cursor c = {rec + nbits, rec + n};
    ULONG k = 0;
    for (ULONG i = 0; SUCCEEDED(hr) && i < ncols; i++)
        if (rec[i / 8] & (0x80u >> (i % 8)))
            hr = get_value(&c, cols[i].ulPropTag, vals, &vals[k++]);
    if (SUCCEEDED(hr) && c.p != c.end)
        hr = corrupt("a record has bytes after its last value");
    if (FAILED(hr)) {
        MAPIFreeBuffer(vals);
        return hr;
    }
    *out = vals;
    *count = k;
    return S_OK;
}

typedef struct reader {
    FILE *f;
    uint32_t crc;
    BYTE *buf;
    size_t cap;
} reader;

static HRESULT read_exact(reader *r, void *dst, size_t n, bool *eof)
{
    size_t got = fread(dst, 1, n, r->f);
    if (eof)
        *eof = got == 0 && feof(r->f);
    if (got != n)
        return (eof && *eof) ? S_OK : corrupt("the file ends inside a structure");
    r->crc = fm_oab_crc32(r->crc, dst, n);
    return S_OK;
}

static HRESULT ensure(reader *r, size_t n)
{
    if (n <= r->cap)
        return S_OK;
    BYTE *b = fm_realloc(r->buf, n);
    if (!b)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "offline address book file: no memory for a record");
    r->buf = b;
    r->cap = n;
    return S_OK;
}

/* Reads one record's body into r->buf; *eof when the file ended before it. */
static HRESULT read_record(reader *r, size_t *n, bool *eof)
{
    BYTE size[4];
    HRESULT hr = read_exact(r, size, 4, eof);
    if (FAILED(hr) || *eof)
        return hr;
    uint32_t cb = fm_oab_get32(size);
    if (cb < 4 || cb > RECORD_LIMIT)
        return corrupt("a record size is out of range");
    *n = cb - 4;
    hr = ensure(r, *n ? *n : 1);
    return FAILED(hr) ? hr : read_exact(r, r->buf, *n, NULL);
}

static HRESULT parse_table(cursor *c, fmapi_oab_prop **props, ULONG *count)
{
    if (c->end - c->p < 4)
        return corrupt("the metadata ends inside a table");
    ULONG n = fm_oab_get32(c->p);
    c->p += 4;
    if (n > (size_t)(c->end - c->p) / 8)
        return corrupt("a table is longer than the metadata");
    *props = fm_calloc(n ? n : 1, sizeof **props);
    if (!*props)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "offline address book file: no memory for a table");
    for (ULONG i = 0; i < n; i++, c->p += 8) {
        (*props)[i].ulPropTag = fm_oab_get32(c->p);
        (*props)[i].ulFlags = fm_oab_get32(c->p + 4);
    }
    *count = n;
    return S_OK;
}

static HRESULT read_metadata(reader *r, fm_oab_read_info *info, fmapi_oab_prop **hdr)
{
    size_t n;
    bool eof;
    HRESULT hr = read_record(r, &n, &eof);
    if (SUCCEEDED(hr) && eof)
        hr = corrupt("no metadata record");
    if (FAILED(hr))
        return hr;
    cursor c = {r->buf, r->buf + n};
    hr = parse_table(&c, hdr, &info->cHdrProps);
    if (SUCCEEDED(hr))
        hr = parse_table(&c, &info->props, &info->cProps);
    if (SUCCEEDED(hr) && c.p != c.end)
        hr = corrupt("the metadata size does not match its tables");
    return hr;
}

static HRESULT each_record(reader *r, fm_oab_read_info *info, const fmapi_oab_prop *hdr,
                           fm_oab_record_fn fn, void *ctx, ULONG *records)
{
    *records = 0;
    for (bool header = true;; header = false) {
        size_t n;
        bool eof;
        HRESULT hr = read_record(r, &n, &eof);
        if (SUCCEEDED(hr) && eof && header)
            hr = corrupt("no header record");
        if (FAILED(hr) || eof)
            return hr;
        SPropValue *vals;
        ULONG count;
        hr = header ? decode_record(r->buf, n, hdr, info->cHdrProps, &vals, &count)
                    : decode_record(r->buf, n, info->props, info->cProps, &vals, &count);
        if (FAILED(hr))
            return hr;
        hr = fn ? fn(ctx, info, header, header ? 0 : *records, count, vals) : S_OK;
        MAPIFreeBuffer(vals);
        if (FAILED(hr))
            return hr;
        if (!header)
            (*records)++;
    }
}

static HRESULT read_all(reader *r, fm_oab_record_fn fn, void *ctx, fm_oab_read_info *info)
{
    BYTE head[FM_OAB_HDR_SIZE];
    if (fread(head, 1, sizeof head, r->f) != sizeof head)
        return corrupt("shorter than OAB_HDR");
    info->ulVersion = fm_oab_get32(head);
    info->ulSerial = fm_oab_get32(head + 4);
    info->ulTotRecs = fm_oab_get32(head + 8);
    if (info->ulVersion != FM_OAB_V4_FULL_VERSION)
        return corrupt("not an OAB version 4 full details file");
    fmapi_oab_prop *hdr = NULL;
    HRESULT hr = read_metadata(r, info, &hdr);
    if (SUCCEEDED(hr) && info->cHdrProps <= 16)
        memcpy(info->hdrProps, hdr, info->cHdrProps * sizeof *hdr);
    ULONG records = 0;
    if (SUCCEEDED(hr))
        hr = each_record(r, info, hdr, fn, ctx, &records);
    fm_free(hdr);
    if (SUCCEEDED(hr) && records != info->ulTotRecs)
        hr = corrupt("ulTotRecs does not match the records");
    if (SUCCEEDED(hr) && r->crc != info->ulSerial)
        hr = corrupt("ulSerial does not match the CRC of the data");
    return hr;
}

HRESULT fm_oab_read_details(const char *path, fm_oab_record_fn fn, void *ctx,
                            fm_oab_read_info *info)
{
    if (!path || !info)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_oab_read_details: path and info are required");
    memset(info, 0, sizeof *info);
    reader r = {fopen(path, "rb"), FM_OAB_CRC_INIT, NULL, 0};
    if (!r.f)
        return fm_oab_io_error(errno, "opening", path);
    HRESULT hr = read_all(&r, fn, ctx, info);
    fclose(r.f);
    fm_free(r.buf);
    fm_free(info->props);
    info->props = NULL;
    return hr;
}
