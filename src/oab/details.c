/*
 * oab/details.c - writes the uncompressed OAB version 4 full details file
 * ([MS-OXOAB] 2.9) to a sink as the entries arrive:
 *   OAB_HDR        ulVersion 0x20, ulSerial, ulTotRecs (2.9.1); written as
 *                  zeros first and put in place by the sink's finish;
 *   OAB_META_DATA  cbSize, then the header record's OAB_PROP_TABLE and the
 *                  address records' one (cAtts, then ulPropId/ulFlags
 *                  pairs) (2.9.2-2.9.4);
 *   the header record (PidTagOfflineAddressBookName, ...DistinguishedName,
 *                  ...Sequence, ...ContainerGuid) and one OAB_V4_REC per
 *                  entry (2.9.5); an entry without a value for a primary-key
 *                  column is left out and counted (fm_oab_details_skipped).
 * ulSerial is the CRC of everything after OAB_HDR (see crc.c); ulTotRecs
 * the number of address records. Memory: one record buffer of cbRecordMax
 * and one pointer per column, taken when the writer opens.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapitags.h"
#include "oab/oab.h"

enum { HDR_NAME, HDR_DN, HDR_SEQUENCE, HDR_GUID, HDR_COUNT };

static const fmapi_oab_prop header_props[HDR_COUNT] = {
    {PR_OAB_NAME_W, 0},
    {PR_OAB_DN, 0},
    {PR_OAB_SEQUENCE, 0},
    {PR_OAB_CONTAINER_GUID, 0},
};

struct fm_oab_details {
    fm_oab_sink *sink;
    const fm_oab_schema *schema;
    fm_oab_buf rec;
    const SPropValue **vals;
    uint32_t crc;
    uint64_t size;
    ULONG count;   /* records written */
    ULONG skipped; /* entries left out: a primary key without a value */
};

static HRESULT emit(fm_oab_details *d, const BYTE *data, size_t n)
{
    if (d->size + n > 0xFFFFFFFFu)
        return fm_error_set(MAPI_E_TOO_BIG,
                            "offline address book: the full details file would pass 4 GiB, "
                            "the limit of the container's 32-bit sizes");
    HRESULT hr = d->sink->write(d->sink, data, n);
    if (FAILED(hr))
        return hr;
    if (d->size >= FM_OAB_HDR_SIZE)
        d->crc = fm_oab_crc32(d->crc, data, n);
    d->size += n;
    return S_OK;
}

static void put_table(BYTE *p, const fmapi_oab_prop *props, ULONG n)
{
    fm_oab_put32(p, n);
    for (ULONG i = 0; i < n; i++) {
        fm_oab_put32(p + 4 + 8 * i, props[i].ulPropTag);
        fm_oab_put32(p + 8 + 8 * i, props[i].ulFlags);
    }
}

static HRESULT write_metadata(fm_oab_details *d)
{
    const fm_oab_schema *s = d->schema;
    size_t cb = 4 + (4 + 8 * (size_t)HDR_COUNT) + (4 + 8 * (size_t)s->cProps);
    d->rec.len = 0;
    BYTE *p = fm_oab_buf_take(&d->rec, cb);
    if (!p)
        return fm_error_set(MAPI_E_TOO_BIG, "offline address book: the column tables exceed cbRecordMax");
    fm_oab_put32(p, (uint32_t)cb);
    put_table(p + 4, header_props, HDR_COUNT);
    put_table(p + 8 + 8 * HDR_COUNT, s->props, s->cProps);
    return emit(d, d->rec.data, d->rec.len);
}

static HRESULT write_header_record(fm_oab_details *d, const fm_oab_header_info *h)
{
    fm_oab_schema hs;
    HRESULT hr = fm_oab_schema_init(&hs, header_props, HDR_COUNT);
    if (FAILED(hr))
        return hr;
    SPropValue v[HDR_COUNT] = {{0}};
    v[HDR_NAME].ulPropTag = PROP_TAG(PT_STRING8, PROP_ID(PR_OAB_NAME_W));
    v[HDR_NAME].Value.lpszA = (LPSTR)h->name;
    v[HDR_DN].ulPropTag = PR_OAB_DN;
    v[HDR_DN].Value.lpszA = (LPSTR)h->dn;
    v[HDR_SEQUENCE].ulPropTag = PR_OAB_SEQUENCE;
    v[HDR_SEQUENCE].Value.l = (LONG)h->ulSequence;
    v[HDR_GUID].ulPropTag = PR_OAB_CONTAINER_GUID;
    v[HDR_GUID].Value.lpszA = (LPSTR)h->guid;
    const SPropValue *vals[HDR_COUNT] = {&v[0], &v[1], &v[2], &v[3]};
    hr = fm_oab_encode_record(&d->rec, &hs, vals);
    fm_oab_schema_clear(&hs);
    return FAILED(hr) ? hr : emit(d, d->rec.data, d->rec.len);
}

static HRESULT write_start(fm_oab_details *d, const fm_oab_header_info *h)
{
    BYTE zeros[FM_OAB_HDR_SIZE] = {0};
    HRESULT hr = emit(d, zeros, sizeof zeros);
    if (SUCCEEDED(hr))
        hr = write_metadata(d);
    if (SUCCEEDED(hr))
        hr = write_header_record(d, h);
    return hr;
}

HRESULT fm_oab_details_open(fm_oab_sink *sink, const fm_oab_schema *schema,
                            const fm_oab_header_info *hdr, ULONG cbRecordMax,
                            fm_oab_details **out)
{
    *out = NULL;
    fm_oab_details *d = fm_calloc(1, sizeof *d);
    if (!d)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "offline address book: no memory for the writer");
    d->sink = sink;
    d->schema = schema;
    d->crc = FM_OAB_CRC_INIT;
    d->vals = fm_calloc(schema->cProps ? schema->cProps : 1, sizeof *d->vals);
    HRESULT hr = d->vals ? fm_oab_buf_init(&d->rec, cbRecordMax)
                         : fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY,
                                        "offline address book: no memory for the writer");
    if (SUCCEEDED(hr))
        hr = write_start(d, hdr);
    if (FAILED(hr)) {
        fm_oab_details_free(d);
        return hr;
    }
    *out = d;
    return S_OK;
}

/* Places the entry's values in their columns; the first of duplicates wins. */
static HRESULT place_values(fm_oab_details *d, const fmapi_oab_entry *e, ULONG index)
{
    const fm_oab_schema *s = d->schema;
    memset(d->vals, 0, s->cProps * sizeof *d->vals);
    if (e->cValues && !e->lpProps)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "offline address book: entry %lu has %lu values but no array",
                            (unsigned long)index, (unsigned long)e->cValues);
    for (ULONG i = 0; i < e->cValues; i++) {
        const SPropValue *v = &e->lpProps[i];
        ULONG type = PROP_TYPE(v->ulPropTag);
        if (type == PT_ERROR || type == PT_NULL)
            continue;
        int col = fm_oab_schema_find(s, PROP_ID(v->ulPropTag));
        if (col < 0 || d->vals[col])
            continue;
        if (!fm_oab_type_matches(PROP_TYPE(s->props[col].ulPropTag), type))
            return fm_error_set(MAPI_E_INVALID_TYPE,
                                "offline address book: entry %lu: value 0x%08lX does not fit "
                                "column 0x%08lX",
                                (unsigned long)index, (unsigned long)v->ulPropTag,
                                (unsigned long)s->props[col].ulPropTag);
        d->vals[col] = v;
    }
    return S_OK;
}

/* Whether the placed values fill every primary-key column ([MS-OXOAB]
 * 2.9.4: a key is on every record, clients look entries up by it). */
static bool has_primary_keys(const fm_oab_details *d)
{
    const fm_oab_schema *s = d->schema;
    for (ULONG c = 0; c < s->cProps; c++)
        if ((s->props[c].ulFlags & FMAPI_OAB_PRIMARY_KEY) && !d->vals[c])
            return false;
    return true;
}

HRESULT fm_oab_details_add(fm_oab_details *d, const fmapi_oab_entry *e, ULONG index)
{
    if (d->count == 0xFFFFFFFFu)
        return fm_error_set(MAPI_E_TOO_BIG, "offline address book: too many entries");
    HRESULT hr = place_values(d, e, index);
    if (FAILED(hr))
        return hr;
    /* An entry without a key cannot be a record, but it is one entry: the
     * rest of the directory is still the address book (KB 324528 is the
     * failure of a whole generation over one such entry). Counted. */
    if (!has_primary_keys(d)) {
        d->skipped++;
        return S_OK;
    }
    hr = fm_oab_encode_record(&d->rec, d->schema, d->vals);
    if (SUCCEEDED(hr))
        hr = emit(d, d->rec.data, d->rec.len);
    if (SUCCEEDED(hr))
        d->count++;
    return hr;
}

HRESULT fm_oab_details_finish(fm_oab_details *d)
{
    BYTE head[FM_OAB_HDR_SIZE];
    fm_oab_put32(head, FM_OAB_V4_FULL_VERSION);
    fm_oab_put32(head + 4, d->crc);
    fm_oab_put32(head + 8, d->count);
    return d->sink->finish(d->sink, head, sizeof head);
}

ULONG fm_oab_details_count(const fm_oab_details *d)
{
    return d->count;
}

ULONG fm_oab_details_skipped(const fm_oab_details *d)
{
    return d->skipped;
}

uint64_t fm_oab_details_size(const fm_oab_details *d)
{
    return d->size;
}

void fm_oab_details_free(fm_oab_details *d)
{
    if (!d)
        return;
    fm_oab_buf_clear(&d->rec);
    fm_free(d->vals);
    fm_free(d);
}
