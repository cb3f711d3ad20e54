/*
 * tests/store/test_propblob.c - property arrays to bytes and back
 * (src/store/propblob.c): every type round trips, strings come back as
 * UTF-8, bad input is refused, find picks one property out, and corrupt or
 * truncated blobs are reported, never over-read.
 */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "core/text.h"
#include "fm_test.h"
#include "mapix.h"
#include "store/propblob.h"

/* ---- a sample of every storable type ----------------------------------------- */

static short int i2s[] = { -1, 0, 32767, -32768 };
static LONG longs[] = { INT32_MIN, 0, 7, INT32_MAX };
static float flts[] = { 1.5f, -0.0f, 3.4e38f };
static double dbls[] = { 3.141592653589793, -1e300, 0.0 };
static CURRENCY curs[] = { { .int64 = 123456789 }, { .int64 = -5 } };
static double ats[] = { 45000.25, 1.0 };
static FILETIME fts[] = { { 0x89ABCDEF, 0x01234567 }, { 0, 0 } };
static LARGE_INTEGER lis[] = { { .QuadPart = INT64_MIN }, { .QuadPart = 42 } };
static GUID guids[] = { { 0x12345678, 0x9ABC, 0xDEF0, { 1, 2, 3, 4, 5, 6, 7, 8 } },
                        { 0xFFFFFFFF, 0, 0xFFFF, { 0, 0, 0, 0, 0, 0, 0, 0xFF } } };
static LPSTR strs[] = { "alpha", "", "Grüße" };
static LPWSTR wstrs[] = { u"Grüße", u"\U0001F600 smile", u"" };
static SBinary bins[] = { { 3, (LPBYTE) "\x00\x01\x02" }, { 0, NULL }, { 1, (LPBYTE) "\xFF" } };

#define N_ALL 27

/* Fills p with one property of every storable type, IDs 0x6000 + index. */
static void sample_props(SPropValue *p)
{
    memset(p, 0, N_ALL * sizeof *p);
    ULONG i = 0;
#define PUT(type) p[i].ulPropTag = PROP_TAG(type, 0x6000 + i)
    PUT(PT_I2), p[i++].Value.i = -12345;
    PUT(PT_LONG), p[i++].Value.l = -7654321;
    PUT(PT_R4), p[i++].Value.flt = 2.5f;
    PUT(PT_DOUBLE), p[i++].Value.dbl = -1.0 / 3.0;
    PUT(PT_CURRENCY), p[i++].Value.cur.int64 = INT64_MAX;
    PUT(PT_APPTIME), p[i++].Value.at = 40000.5;
    PUT(PT_BOOLEAN), p[i++].Value.b = 1;
    PUT(PT_I8), p[i++].Value.li.QuadPart = -0x123456789ABCDEFLL;
    PUT(PT_STRING8), p[i++].Value.lpszA = "plain ascii";
    PUT(PT_UNICODE), p[i++].Value.lpszW = u"wide é \U00010348";
    PUT(PT_SYSTIME), p[i].Value.ft.dwLowDateTime = 0xDEADBEEF,
                     p[i++].Value.ft.dwHighDateTime = 0x01D00000;
    PUT(PT_CLSID), p[i++].Value.lpguid = &guids[0];
    PUT(PT_BINARY), p[i].Value.bin.cb = 5, p[i++].Value.bin.lpb = (LPBYTE) "a\0b\0c";
    PUT(PT_BOOLEAN), p[i++].Value.b = 0;
#define PUT_MV(type, member, ptr, arr) \
    PUT(type), p[i].Value.member.cValues = sizeof arr / sizeof arr[0], p[i++].Value.member.ptr = arr
    PUT_MV(PT_MV_I2, MVi, lpi, i2s);
    PUT_MV(PT_MV_LONG, MVl, lpl, longs);
    PUT_MV(PT_MV_R4, MVflt, lpflt, flts);
    PUT_MV(PT_MV_DOUBLE, MVdbl, lpdbl, dbls);
    PUT_MV(PT_MV_CURRENCY, MVcur, lpcur, curs);
    PUT_MV(PT_MV_APPTIME, MVat, lpat, ats);
    PUT_MV(PT_MV_SYSTIME, MVft, lpft, fts);
    PUT_MV(PT_MV_I8, MVli, lpli, lis);
    PUT_MV(PT_MV_CLSID, MVguid, lpguid, guids);
    PUT_MV(PT_MV_STRING8, MVszA, lppszA, strs);
    PUT_MV(PT_MV_UNICODE, MVszW, lppszW, wstrs);
    PUT_MV(PT_MV_BINARY, MVbin, lpbin, bins);
    PUT(PT_MV_LONG), p[i].Value.MVl.cValues = 0, p[i++].Value.MVl.lpl = NULL;
    assert_int_equal(i, N_ALL);
#undef PUT_MV
#undef PUT
}

/* ---- comparing -------------------------------------------------------------- */

static ULONG stored_type(ULONG type)
{
    if (type == PT_UNICODE)
        return PT_STRING8;
    if (type == PT_MV_UNICODE)
        return PT_MV_STRING8;
    return type;
}

static void assert_utf16_as_utf8(const WCHAR *want, const char *got)
{
    LPSTR a;
    assert_int_equal(fm_utf16_to_utf8_mapi(want, NULL, &a), S_OK);
    assert_string_equal(got, a);
    MAPIFreeBuffer(a);
}

static void assert_binary_equal(const SBinary *want, const SBinary *got)
{
    assert_int_equal(got->cb, want->cb);
    if (want->cb != 0)
        assert_memory_equal(got->lpb, want->lpb, want->cb);
    else
        assert_null(got->lpb);
}

static void assert_aligned(const void *p)
{
    assert_int_equal((uintptr_t)p % 8, 0);
}

static void assert_mv_equal(const SPropValue *want, const SPropValue *got)
{
    ULONG type = PROP_TYPE(want->ulPropTag);
    ULONG n = want->Value.MVl.cValues;
    assert_int_equal(got->Value.MVl.cValues, n);
    if (n == 0) {
        assert_null(got->Value.MVl.lpl);
        return;
    }
    assert_aligned(got->Value.MVl.lpl);
    for (ULONG k = 0; k < n; k++) {
        if (type == PT_MV_STRING8)
            assert_string_equal(got->Value.MVszA.lppszA[k], want->Value.MVszA.lppszA[k]);
        else if (type == PT_MV_UNICODE)
            assert_utf16_as_utf8(want->Value.MVszW.lppszW[k], got->Value.MVszA.lppszA[k]);
        else if (type == PT_MV_BINARY)
            assert_binary_equal(&want->Value.MVbin.lpbin[k], &got->Value.MVbin.lpbin[k]);
    }
    if (type != PT_MV_STRING8 && type != PT_MV_UNICODE && type != PT_MV_BINARY) {
        size_t size = 0;
        switch (type) {
        case PT_MV_I2: size = sizeof(short int); break;
        case PT_MV_LONG:
        case PT_MV_R4: size = 4; break;
        case PT_MV_CLSID: size = 16; break;
        default: size = 8; break;
        }
        assert_memory_equal(got->Value.MVl.lpl, want->Value.MVl.lpl, n * size);
    }
}

/* got must be want as a blob gives it back: the stored type, the same value. */
static void assert_prop_equal(const SPropValue *want, const SPropValue *got)
{
    ULONG type = PROP_TYPE(want->ulPropTag);
    assert_int_equal(got->ulPropTag, PROP_TAG(stored_type(type), PROP_ID(want->ulPropTag)));
    switch (type) {
    case PT_I2: assert_int_equal(got->Value.i, want->Value.i); break;
    case PT_LONG: assert_int_equal(got->Value.l, want->Value.l); break;
    case PT_R4: assert_memory_equal(&got->Value.flt, &want->Value.flt, 4); break;
    case PT_DOUBLE: assert_memory_equal(&got->Value.dbl, &want->Value.dbl, 8); break;
    case PT_APPTIME: assert_memory_equal(&got->Value.at, &want->Value.at, 8); break;
    case PT_CURRENCY: assert_true(got->Value.cur.int64 == want->Value.cur.int64); break;
    case PT_BOOLEAN: assert_int_equal(got->Value.b, want->Value.b != 0); break;
    case PT_I8: assert_true(got->Value.li.QuadPart == want->Value.li.QuadPart); break;
    case PT_SYSTIME:
        assert_int_equal(got->Value.ft.dwLowDateTime, want->Value.ft.dwLowDateTime);
        assert_int_equal(got->Value.ft.dwHighDateTime, want->Value.ft.dwHighDateTime);
        break;
    case PT_CLSID:
        assert_aligned(got->Value.lpguid);
        assert_memory_equal(got->Value.lpguid, want->Value.lpguid, sizeof(GUID));
        break;
    case PT_STRING8: assert_string_equal(got->Value.lpszA, want->Value.lpszA); break;
    case PT_UNICODE: assert_utf16_as_utf8(want->Value.lpszW, got->Value.lpszA); break;
    case PT_BINARY: assert_binary_equal(&want->Value.bin, &got->Value.bin); break;
    default: assert_mv_equal(want, got); break;
    }
}

/* Encodes, decodes and compares; returns the blob's size. */
static size_t round_trip(ULONG n, const SPropValue *in)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    void *blob;
    size_t cb;
    assert_int_equal(fm_propblob_encode(n, in, &blob, &cb), S_OK);
    ULONG count;
    LPSPropValue out;
    assert_int_equal(fm_propblob_decode(blob, cb, NULL, &count, &out), S_OK);
    assert_int_equal(count, n);
    for (ULONG i = 0; i < n; i++)
        assert_prop_equal(&in[i], &out[i]);
    MAPIFreeBuffer(out);
    fm_free(blob);
    fm_test_assert_no_leak(&b);
    return cb;
}

/* ---- round trips -------------------------------------------------------------- */

static void every_type_round_trips(void **state)
{
    SPropValue p[N_ALL];
    sample_props(p);
    round_trip(N_ALL, p);
    /* and each one alone */
    for (ULONG i = 0; i < N_ALL; i++)
        round_trip(1, &p[i]);
}

static void empty_values_round_trip(void **state)
{
    SPropValue p[16];
    memset(p, 0, sizeof p);
    static const ULONG mv[] = { PT_MV_I2,      PT_MV_LONG,    PT_MV_R4,      PT_MV_DOUBLE,
                                PT_MV_CURRENCY, PT_MV_APPTIME, PT_MV_SYSTIME, PT_MV_I8,
                                PT_MV_CLSID,   PT_MV_STRING8, PT_MV_UNICODE, PT_MV_BINARY };
    ULONG i;
    for (i = 0; i < 12; i++)
        p[i].ulPropTag = PROP_TAG(mv[i], 0x7000 + i); /* cValues 0, array NULL */
    p[i].ulPropTag = PROP_TAG(PT_STRING8, 0x7000 + i), p[i++].Value.lpszA = "";
    p[i].ulPropTag = PROP_TAG(PT_UNICODE, 0x7000 + i), p[i++].Value.lpszW = u"";
    p[i].ulPropTag = PROP_TAG(PT_BINARY, 0x7000 + i), i++;
    static BYTE one;
    p[i].ulPropTag = PROP_TAG(PT_BINARY, 0x7000 + i), p[i].Value.bin.lpb = &one, i++;
    round_trip(i, p);
}

static void large_binaries_round_trip(void **state)
{
    size_t big = 3u << 20;
    BYTE *data = fm_malloc(big);
    assert_non_null(data);
    for (size_t k = 0; k < big; k++)
        data[k] = (BYTE)(k * 2654435761u >> 13);
    SBinary parts[2] = { { (ULONG)big, data }, { (ULONG)(big / 3), data + 1 } };
    SPropValue p[2];
    p[0].ulPropTag = PROP_TAG(PT_BINARY, 0x1013);
    p[0].Value.bin = parts[0];
    p[1].ulPropTag = PROP_TAG(PT_MV_BINARY, 0x6800);
    p[1].Value.MVbin.cValues = 2;
    p[1].Value.MVbin.lpbin = parts;
    size_t cb = round_trip(2, p);
    /* header, 2 tags, 3 lengths, 1 count, the bytes */
    assert_int_equal(cb, 5 + 8 + 12 + 4 + big + big + big / 3);
    fm_free(data);
}

static void wide_strings_come_back_as_the_same_utf8_text(void **state)
{
    LPWSTR mv[] = { u"\u00E9t\u00E9", u"\U0001F600", u"\u4E2D\u6587" };
    SPropValue p[2];
    p[0].ulPropTag = PROP_TAG(PT_UNICODE, 0x0037);
    p[0].Value.lpszW = u"Gr\u00FC\u00DFe \U0001D11E!";
    p[1].ulPropTag = PROP_TAG(PT_MV_UNICODE, 0x8001);
    p[1].Value.MVszW.cValues = 3;
    p[1].Value.MVszW.lppszW = mv;
    void *blob;
    size_t cb;
    assert_int_equal(fm_propblob_encode(2, p, &blob, &cb), S_OK);
    ULONG n;
    LPSPropValue out;
    assert_int_equal(fm_propblob_decode(blob, cb, NULL, &n, &out), S_OK);
    assert_int_equal(out[0].ulPropTag, PROP_TAG(PT_STRING8, 0x0037));
    assert_string_equal(out[0].Value.lpszA, "Gr\xC3\xBC\xC3\x9F" "e \xF0\x9D\x84\x9E!");
    assert_int_equal(out[1].ulPropTag, PROP_TAG(PT_MV_STRING8, 0x8001));
    assert_string_equal(out[1].Value.MVszA.lppszA[0], "\xC3\xA9t\xC3\xA9");
    assert_string_equal(out[1].Value.MVszA.lppszA[1], "\xF0\x9F\x98\x80");
    assert_string_equal(out[1].Value.MVszA.lppszA[2], "\xE4\xB8\xAD\xE6\x96\x87");
    MAPIFreeBuffer(out);
    fm_free(blob);
}

static void booleans_are_stored_as_0_or_1(void **state)
{
    SPropValue p = { .ulPropTag = PROP_TAG(PT_BOOLEAN, 0x0E1B) };
    p.Value.b = 0xABCD;
    void *blob;
    size_t cb;
    assert_int_equal(fm_propblob_encode(1, &p, &blob, &cb), S_OK);
    assert_int_equal(cb, 13);
    static const unsigned char want[] = { 1, 1, 0, 0, 0, 0x0B, 0, 0x1B, 0x0E, 1, 0, 0, 0 };
    assert_memory_equal(blob, want, sizeof want);
    fm_free(blob);
}

/* The layout documented in propblob.c, byte for byte. */
static void the_format_is_the_documented_little_endian_layout(void **state)
{
    GUID g = { 0x04030201, 0x0605, 0x0807, { 9, 10, 11, 12, 13, 14, 15, 16 } };
    LPSTR two[] = { "ab", "" };
    SPropValue p[6];
    memset(p, 0, sizeof p);
    p[0].ulPropTag = PROP_TAG(PT_I2, 0x0102), p[0].Value.i = -2;
    p[1].ulPropTag = PROP_TAG(PT_SYSTIME, 0x0304);
    p[1].Value.ft.dwLowDateTime = 0x44332211, p[1].Value.ft.dwHighDateTime = 0x88776655;
    p[2].ulPropTag = PROP_TAG(PT_CLSID, 0x0506), p[2].Value.lpguid = &g;
    p[3].ulPropTag = PROP_TAG(PT_UNICODE, 0x0708), p[3].Value.lpszW = u"\u00E9";
    p[4].ulPropTag = PROP_TAG(PT_MV_STRING8, 0x090A);
    p[4].Value.MVszA.cValues = 2, p[4].Value.MVszA.lppszA = two;
    p[5].ulPropTag = PROP_TAG(PT_R4, 0x0B0C), p[5].Value.flt = 1.0f;
    static const unsigned char want[] = {
        1, 6, 0, 0, 0,                                      /* version, count */
        0x02, 0, 0x02, 0x01, 0xFE, 0xFF,                    /* PT_I2 -2 */
        0x40, 0, 0x04, 0x03, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
        0x48, 0, 0x06, 0x05, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
        0x1E, 0, 0x08, 0x07, 2, 0, 0, 0, 0xC3, 0xA9,        /* stored as PT_STRING8 */
        0x1E, 0x10, 0x0A, 0x09, 2, 0, 0, 0, 2, 0, 0, 0, 'a', 'b', 0, 0, 0, 0,
        0x04, 0, 0x0C, 0x0B, 0, 0, 0x80, 0x3F,
    };
    void *blob;
    size_t cb;
    assert_int_equal(fm_propblob_encode(6, p, &blob, &cb), S_OK);
    assert_int_equal(cb, sizeof want);
    assert_memory_equal(blob, want, sizeof want);
    fm_free(blob);
}

static void no_properties_make_a_header_and_an_empty_blob_decodes_to_none(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    void *blob;
    size_t cb;
    assert_int_equal(fm_propblob_encode(0, NULL, &blob, &cb), S_OK);
    assert_int_equal(cb, 5);
    ULONG n = 99;
    LPSPropValue out = (LPSPropValue)1;
    assert_int_equal(fm_propblob_decode(blob, cb, NULL, &n, &out), S_OK);
    assert_int_equal(n, 0);
    assert_null(out);
    fm_free(blob);
    n = 99;
    out = (LPSPropValue)1;
    assert_int_equal(fm_propblob_decode(NULL, 0, NULL, &n, &out), S_OK);
    assert_int_equal(n, 0);
    assert_null(out);
    fm_test_assert_no_leak(&b);
}

static void decoding_makes_one_block_linked_to_the_parent(void **state)
{
    SPropValue p[N_ALL];
    sample_props(p);
    void *blob;
    size_t cb;
    assert_int_equal(fm_propblob_encode(N_ALL, p, &blob, &cb), S_OK);
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    ULONG n;
    LPSPropValue out;
    assert_int_equal(fm_propblob_decode(blob, cb, NULL, &n, &out), S_OK);
    fmapi_alloc_stats s;
    fmapi_alloc_get_stats(&s);
    assert_int_equal(s.live_blocks, b.stats.live_blocks + 1);
    assert_true(fm_alloc_is_mapi_buffer(out));
    MAPIFreeBuffer(out);
    fm_test_assert_no_leak(&b);

    void *parent;
    assert_int_equal(MAPIAllocateBuffer(8, &parent), S_OK);
    assert_int_equal(fm_propblob_decode(blob, cb, parent, &n, &out), S_OK);
    assert_int_equal(n, N_ALL);
    for (ULONG i = 0; i < n; i++)
        assert_prop_equal(&p[i], &out[i]);
    MAPIFreeBuffer(parent); /* frees the decoded block with it */
    fm_test_assert_no_leak(&b);
    fm_free(blob);
}

/* ---- refusals ---------------------------------------------------------------- */

static void encode_refused(ULONG n, const SPropValue *p, const char *text)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    void *blob = (void *)1;
    size_t cb = 1;
    assert_int_equal(fm_propblob_encode(n, p, &blob, &cb), MAPI_E_INVALID_PARAMETER);
    assert_null(blob);
    assert_int_equal(cb, 0);
    assert_non_null(strstr(fmapi_last_error(), text));
    fm_test_assert_no_leak(&b);
}

static void unstorable_types_are_refused(void **state)
{
    SPropValue p[2];
    memset(p, 0, sizeof p);
    p[0].ulPropTag = PROP_TAG(PT_LONG, 0x6001);
    static const struct {
        ULONG type;
        const char *text;
    } bad[] = {
        { PT_ERROR, "PT_ERROR" },      { PT_NULL, "PT_NULL" },
        { PT_OBJECT, "PT_OBJECT" },    { PT_UNSPECIFIED, "cannot be stored" },
        { 0x0099, "cannot be stored" }, { PT_SVREID, "cannot be stored" },
        { MV_FLAG | PT_BOOLEAN, "cannot be stored" },
        { MV_FLAG | PT_OBJECT, "cannot be stored" },
        { MVI_FLAG | PT_LONG, "cannot be stored" },
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        p[1].ulPropTag = PROP_TAG(bad[k].type, 0x6002);
        encode_refused(2, p, bad[k].text);
    }
}

static void invalid_text_is_refused(void **state)
{
    static const char *bad8[] = { "\xC3", "a\x80z", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                                  "\xFF" };
    static WCHAR lone_high[] = { 'a', 0xD800, 0 };
    static WCHAR lone_low[] = { 0xDC00, 'b', 0 };
    static WCHAR reversed[] = { 0xDC00, 0xD800, 0 };
    static WCHAR *bad16[] = { lone_high, lone_low, reversed };
    SPropValue p = { 0 };
    for (size_t k = 0; k < sizeof bad8 / sizeof bad8[0]; k++) {
        p.ulPropTag = PROP_TAG(PT_STRING8, 0x0037);
        p.Value.lpszA = (LPSTR)bad8[k];
        encode_refused(1, &p, "UTF-8");
        LPSTR mv[] = { "fine", (LPSTR)bad8[k] };
        p.ulPropTag = PROP_TAG(PT_MV_STRING8, 0x0037);
        p.Value.MVszA.cValues = 2, p.Value.MVszA.lppszA = mv;
        encode_refused(1, &p, "UTF-8");
    }
    for (size_t k = 0; k < sizeof bad16 / sizeof bad16[0]; k++) {
        p.ulPropTag = PROP_TAG(PT_UNICODE, 0x0037);
        p.Value.lpszW = bad16[k];
        encode_refused(1, &p, "UTF-16");
        LPWSTR mv[] = { u"fine", bad16[k] };
        p.ulPropTag = PROP_TAG(PT_MV_UNICODE, 0x0037);
        p.Value.MVszW.cValues = 2, p.Value.MVszW.lppszW = mv;
        encode_refused(1, &p, "UTF-16");
    }
}

static void missing_data_is_refused(void **state)
{
    SPropValue p = { 0 };
    p.ulPropTag = PROP_TAG(PT_STRING8, 1);
    encode_refused(1, &p, "NULL string");
    p.ulPropTag = PROP_TAG(PT_UNICODE, 1);
    encode_refused(1, &p, "NULL string");
    p.ulPropTag = PROP_TAG(PT_CLSID, 1);
    encode_refused(1, &p, "PT_CLSID");
    p.ulPropTag = PROP_TAG(PT_BINARY, 1);
    p.Value.bin.cb = 4;
    encode_refused(1, &p, "lpb NULL");
    p.ulPropTag = PROP_TAG(PT_MV_LONG, 1);
    p.Value.MVl.cValues = 2, p.Value.MVl.lpl = NULL;
    encode_refused(1, &p, "NULL array");
    p.Value.MVl.cValues = FM_MV_MAX_VALUES + 1, p.Value.MVl.lpl = longs;
    encode_refused(1, &p, "FM_MV_MAX_VALUES");
    LPSTR holes[] = { "x", NULL };
    p.ulPropTag = PROP_TAG(PT_MV_STRING8, 1);
    p.Value.MVszA.cValues = 2, p.Value.MVszA.lppszA = holes;
    encode_refused(1, &p, "NULL string");
    SBinary bin_holes[] = { { 2, NULL } };
    p.ulPropTag = PROP_TAG(PT_MV_BINARY, 1);
    p.Value.MVbin.cValues = 1, p.Value.MVbin.lpbin = bin_holes;
    encode_refused(1, &p, "lpb NULL");
}

static void a_repeated_property_id_is_refused(void **state)
{
    SPropValue p[3];
    memset(p, 0, sizeof p);
    p[0].ulPropTag = PROP_TAG(PT_STRING8, 0x0037), p[0].Value.lpszA = "a";
    p[1].ulPropTag = PROP_TAG(PT_LONG, 0x0E07);
    p[2].ulPropTag = PROP_TAG(PT_UNICODE, 0x0037), p[2].Value.lpszW = u"a";
    encode_refused(3, p, "twice");
    p[2].ulPropTag = PROP_TAG(PT_LONG, 0x0E07);
    encode_refused(3, p, "twice");
}

static void bad_arguments_are_refused(void **state)
{
    SPropValue p = { .ulPropTag = PROP_TAG(PT_LONG, 1) };
    void *blob;
    size_t cb;
    ULONG n;
    LPSPropValue out;
    assert_int_equal(fm_propblob_encode(1, NULL, &blob, &cb), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_propblob_encode(1, &p, NULL, &cb), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_propblob_encode(1, &p, &blob, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_propblob_decode(NULL, 5, NULL, &n, &out), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_propblob_decode("", 0, NULL, NULL, &out), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_propblob_decode("", 0, NULL, &n, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_propblob_encode(1, &p, &blob, &cb), S_OK);
    void *parent;
    assert_int_equal(MAPIAllocateBuffer(8, &parent), S_OK);
    SPropValue got;
    assert_int_equal(fm_propblob_find(blob, cb, 1, NULL, &got), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_propblob_find(blob, cb, 1, parent, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_propblob_find(NULL, cb, 1, parent, &got), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_propblob_find(blob, cb, PROP_TAG(PT_LONG, 1), parent, &got),
                     MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "not a property ID"));
    MAPIFreeBuffer(parent);
    fm_free(blob);
}

/* ---- find -------------------------------------------------------------------- */

static void find_returns_each_property_alone(void **state)
{
    SPropValue p[N_ALL];
    sample_props(p);
    void *blob;
    size_t cb;
    assert_int_equal(fm_propblob_encode(N_ALL, p, &blob, &cb), S_OK);
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    for (ULONG i = 0; i < N_ALL; i++) { /* first, middle, last and every type */
        void *parent;
        assert_int_equal(MAPIAllocateBuffer(8, &parent), S_OK);
        SPropValue got;
        assert_int_equal(fm_propblob_find(blob, cb, PROP_ID(p[i].ulPropTag), parent, &got),
                         S_OK);
        assert_prop_equal(&p[i], &got);
        MAPIFreeBuffer(parent);
    }
    fm_test_assert_no_leak(&b);
    fm_free(blob);
}

static void find_of_an_absent_id_is_not_found(void **state)
{
    SPropValue p[N_ALL];
    sample_props(p);
    void *blob;
    size_t cb;
    assert_int_equal(fm_propblob_encode(N_ALL, p, &blob, &cb), S_OK);
    void *parent;
    assert_int_equal(MAPIAllocateBuffer(8, &parent), S_OK);
    SPropValue got;
    assert_int_equal(fm_propblob_find(blob, cb, 0x5FFF, parent, &got), MAPI_E_NOT_FOUND);
    assert_int_equal(got.ulPropTag, PROP_TAG(PT_ERROR, 0x5FFF));
    assert_int_equal(got.Value.err, MAPI_E_NOT_FOUND);
    assert_non_null(strstr(fmapi_last_error(), "5FFF"));
    assert_int_equal(fm_propblob_find(NULL, 0, 0x6000, parent, &got), MAPI_E_NOT_FOUND);
    MAPIFreeBuffer(parent);
    fm_free(blob);
}

static void find_of_a_fixed_size_value_allocates_nothing(void **state)
{
    SPropValue p[N_ALL];
    sample_props(p);
    void *blob;
    size_t cb;
    assert_int_equal(fm_propblob_encode(N_ALL, p, &blob, &cb), S_OK);
    void *parent;
    assert_int_equal(MAPIAllocateBuffer(8, &parent), S_OK);
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    SPropValue got;
    assert_int_equal(fm_propblob_find(blob, cb, 0x6007, parent, &got), S_OK); /* PT_I8 */
    assert_true(got.Value.li.QuadPart == -0x123456789ABCDEFLL);
    fm_test_assert_no_leak(&b);
    MAPIFreeBuffer(parent);
    fm_free(blob);
}

/* ---- corrupt blobs ------------------------------------------------------------ */

/* A copy of bytes in a block of exactly n bytes, so ASan sees any over-read. */
static unsigned char *exact_copy(const void *bytes, size_t n)
{
    unsigned char *c = fm_malloc(n ? n : 1);
    assert_non_null(c);
    if (n)
        memcpy(c, bytes, n);
    return c;
}

static void assert_corrupt(const void *bytes, size_t n, const char *text)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    unsigned char *c = exact_copy(bytes, n);
    ULONG count = 7;
    LPSPropValue out = (LPSPropValue)1;
    assert_int_equal(fm_propblob_decode(c, n, NULL, &count, &out), MAPI_E_CORRUPT_STORE);
    assert_int_equal(count, 0);
    assert_null(out);
    assert_non_null(strstr(fmapi_last_error(), text));
    fm_free(c);
    fm_test_assert_no_leak(&b);
}

static void inconsistent_blobs_are_corrupt(void **state)
{
    static const unsigned char version[] = { 2, 0, 0, 0, 0 };
    static const unsigned char short_header[] = { 1, 0, 0 };
    static const unsigned char count_too_big[] = { 1, 2, 0, 0, 0, 2, 0, 1, 0, 5, 0 };
    static const unsigned char unknown_type[] = { 1, 1, 0, 0, 0, 0x0D, 0, 1, 0, 0, 0, 0, 0 };
    static const unsigned char unicode_type[] = { 1, 1, 0, 0, 0, 0x1F, 0, 1, 0, 0, 0, 0, 0 };
    static const unsigned char twice[] = { 1, 2, 0, 0, 0, 2, 0, 1, 0, 5, 0, 3, 0, 1, 0, 1, 0, 0, 0 };
    static const unsigned char trailing[] = { 1, 1, 0, 0, 0, 2, 0, 1, 0, 5, 0, 0 };
    static const unsigned char bool2[] = { 1, 1, 0, 0, 0, 0x0B, 0, 1, 0, 2, 0, 0, 0 };
    static const unsigned char nul[] = { 1, 1, 0, 0, 0, 0x1E, 0, 1, 0, 3, 0, 0, 0, 'a', 0, 'b' };
    static const unsigned char bad8[] = { 1, 1, 0, 0, 0, 0x1E, 0, 1, 0, 2, 0, 0, 0, 0xC3, 'b' };
    static const unsigned char huge_len[] = { 1, 1, 0, 0, 0, 0x02, 0x01, 1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0 };
    static const unsigned char huge_mv[] = { 1, 1, 0, 0, 0, 0x1E, 0x10, 1, 0, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0 };
    static const unsigned char mv_bad8[] = { 1, 1, 0, 0, 0, 0x1E, 0x10, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0x80 };
    assert_corrupt(version, sizeof version, "version");
    assert_corrupt(short_header, sizeof short_header, "header");
    assert_corrupt(count_too_big, sizeof count_too_big, "count");
    assert_corrupt(unknown_type, sizeof unknown_type, "unknown property type");
    assert_corrupt(unicode_type, sizeof unicode_type, "unknown property type");
    assert_corrupt(twice, sizeof twice, "twice");
    assert_corrupt(trailing, sizeof trailing, "after the last");
    assert_corrupt(bool2, sizeof bool2, "boolean");
    assert_corrupt(nul, sizeof nul, "NUL");
    assert_corrupt(bad8, sizeof bad8, "UTF-8");
    assert_corrupt(huge_len, sizeof huge_len, "past the end");
    assert_corrupt(huge_mv, sizeof huge_mv, "count");
    assert_corrupt(mv_bad8, sizeof mv_bad8, "UTF-8");
    /* find reports what it walks over, and validates what it returns */
    void *parent;
    assert_int_equal(MAPIAllocateBuffer(8, &parent), S_OK);
    SPropValue got;
    assert_int_equal(fm_propblob_find(trailing, sizeof trailing, 2, parent, &got),
                     MAPI_E_CORRUPT_STORE);
    assert_int_equal(fm_propblob_find(bool2, sizeof bool2, 1, parent, &got),
                     MAPI_E_CORRUPT_STORE);
    assert_int_equal(got.ulPropTag, PROP_TAG(PT_ERROR, 1));
    assert_int_equal(fm_propblob_find(unknown_type, sizeof unknown_type, 2, parent, &got),
                     MAPI_E_CORRUPT_STORE);
    assert_int_equal(fm_propblob_find(version, sizeof version, 2, parent, &got),
                     MAPI_E_CORRUPT_STORE);
    MAPIFreeBuffer(parent);
}

static void every_truncation_is_corrupt(void **state)
{
    SPropValue p[N_ALL];
    sample_props(p);
    void *blob;
    size_t cb;
    assert_int_equal(fm_propblob_encode(N_ALL, p, &blob, &cb), S_OK);
    void *parent;
    assert_int_equal(MAPIAllocateBuffer(8, &parent), S_OK);
    for (size_t len = 1; len < cb; len++) {
        assert_corrupt(blob, len, "corrupt property blob");
        unsigned char *c = exact_copy(blob, len);
        SPropValue got;
        /* an absent ID makes find walk everything there is */
        assert_int_equal(fm_propblob_find(c, len, 0x5FFF, parent, &got), MAPI_E_CORRUPT_STORE);
        HRESULT hr = fm_propblob_find(c, len, 0x6000 + N_ALL - 1, parent, &got);
        assert_int_equal(hr, MAPI_E_CORRUPT_STORE);
        fm_free(c);
    }
    MAPIFreeBuffer(parent);
    fm_free(blob);
}

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Whatever decodes must be a valid property array that encodes to the same
 * bytes; returns whether it decoded. */
static int check_mutant(const unsigned char *c, size_t n, void *parent)
{
    ULONG count;
    LPSPropValue out;
    HRESULT hr = fm_propblob_decode(c, n, NULL, &count, &out);
    assert_true(hr == S_OK || hr == MAPI_E_CORRUPT_STORE);
    int ok = hr == S_OK;
    if (ok && n == 0)
        assert_int_equal(count, 0); /* the empty blob: nothing to re-encode */
    else if (ok) {
        void *again;
        size_t cb;
        assert_int_equal(fm_propblob_encode(count, out, &again, &cb), S_OK);
        assert_int_equal(cb, n);
        assert_memory_equal(again, c, n);
        fm_free(again);
        MAPIFreeBuffer(out);
    }
    SPropValue got;
    hr = fm_propblob_find(c, n, 0x6000 + (ULONG)(rng_next() % N_ALL), parent, &got);
    assert_true(hr == S_OK || hr == MAPI_E_NOT_FOUND || hr == MAPI_E_CORRUPT_STORE);
    return ok;
}

static void random_byte_flips_decode_or_are_corrupt(void **state)
{
    SPropValue p[N_ALL];
    sample_props(p);
    void *blob;
    size_t cb;
    assert_int_equal(fm_propblob_encode(N_ALL, p, &blob, &cb), S_OK);
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    void *parent; /* collects what find returns */
    assert_int_equal(MAPIAllocateBuffer(8, &parent), S_OK);
    rng_state = 0x9E3779B97F4A7C15ull;
    unsigned decoded = 0;
    for (int round = 0; round < 4000; round++) {
        unsigned char *c = exact_copy(blob, cb);
        int flips = 1 + (int)(rng_next() % 4);
        for (int f = 0; f < flips; f++) {
            size_t at = (size_t)(rng_next() % cb);
            unsigned char bit = (unsigned char)(1u << (rng_next() % 8));
            c[at] = round % 2 ? (unsigned char)rng_next() : (unsigned char)(c[at] ^ bit);
        }
        /* every fifth mutant is also cut short */
        size_t n = round % 5 == 0 ? (size_t)(rng_next() % cb) : cb;
        decoded += (unsigned)check_mutant(c, n, parent);
        fm_free(c);
    }
    print_message("%u of 4000 mutants decoded\n", decoded);
    assert_true(decoded > 0); /* flips inside values leave valid blobs */
    MAPIFreeBuffer(parent);
    fm_test_assert_no_leak(&b);
    fm_free(blob);
}

/* ---- out of memory ------------------------------------------------------------ */

typedef struct oom_ctx {
    SPropValue props[N_ALL];
    void *blob;
    size_t cb;
} oom_ctx;

static HRESULT encode_body(void *ctx)
{
    oom_ctx *c = ctx;
    void *blob;
    size_t cb;
    HRESULT hr = fm_propblob_encode(N_ALL, c->props, &blob, &cb);
    if (hr == S_OK)
        fm_free(blob);
    return hr;
}

static HRESULT decode_body(void *ctx)
{
    oom_ctx *c = ctx;
    ULONG n;
    LPSPropValue out;
    HRESULT hr = fm_propblob_decode(c->blob, c->cb, NULL, &n, &out);
    if (hr == S_OK)
        MAPIFreeBuffer(out);
    return hr;
}

static HRESULT decode_linked_body(void *ctx)
{
    oom_ctx *c = ctx;
    void *parent;
    HRESULT hr = MAPIAllocateBuffer(16, &parent);
    if (hr != S_OK)
        return hr;
    ULONG n;
    LPSPropValue out;
    hr = fm_propblob_decode(c->blob, c->cb, parent, &n, &out);
    MAPIFreeBuffer(parent);
    return hr;
}

static HRESULT find_body(void *ctx)
{
    oom_ctx *c = ctx;
    void *parent;
    HRESULT hr = MAPIAllocateBuffer(16, &parent);
    if (hr != S_OK)
        return hr;
    SPropValue got;
    for (ULONG id = 0x6000; id < 0x6000 + N_ALL && hr == S_OK; id++)
        hr = fm_propblob_find(c->blob, c->cb, id, parent, &got);
    MAPIFreeBuffer(parent);
    return hr;
}

static void every_function_survives_allocation_failure(void **state)
{
    oom_ctx c;
    sample_props(c.props);
    assert_int_equal(fm_propblob_encode(N_ALL, c.props, &c.blob, &c.cb), S_OK);
    assert_int_equal(fm_test_oom_sweep(encode_body, &c), 1);
    assert_int_equal(fm_test_oom_sweep(decode_body, &c), 1);
    assert_int_equal(fm_test_oom_sweep(decode_linked_body, &c), 2);
    /* one block for the parent, one per value with pointed-to data */
    assert_true(fm_test_oom_sweep(find_body, &c) > 10);
    fm_free(c.blob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_type_round_trips),
        cmocka_unit_test(empty_values_round_trip),
        cmocka_unit_test(large_binaries_round_trip),
        cmocka_unit_test(wide_strings_come_back_as_the_same_utf8_text),
        cmocka_unit_test(booleans_are_stored_as_0_or_1),
        cmocka_unit_test(the_format_is_the_documented_little_endian_layout),
        cmocka_unit_test(no_properties_make_a_header_and_an_empty_blob_decodes_to_none),
        cmocka_unit_test(decoding_makes_one_block_linked_to_the_parent),
        cmocka_unit_test(unstorable_types_are_refused),
        cmocka_unit_test(invalid_text_is_refused),
        cmocka_unit_test(missing_data_is_refused),
        cmocka_unit_test(a_repeated_property_id_is_refused),
        cmocka_unit_test(bad_arguments_are_refused),
        cmocka_unit_test(find_returns_each_property_alone),
        cmocka_unit_test(find_of_an_absent_id_is_not_found),
        cmocka_unit_test(find_of_a_fixed_size_value_allocates_nothing),
        cmocka_unit_test(inconsistent_blobs_are_corrupt),
        cmocka_unit_test(every_truncation_is_corrupt),
        cmocka_unit_test(random_byte_flips_decode_or_are_corrupt),
        cmocka_unit_test(every_function_survives_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
