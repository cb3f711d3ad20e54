/*
 * tests/props/props_fixture.h - one SPropValue of every property type (every
 * PT_MV_* form included), deep equality of two values, and a check that a
 * value's pointers all lie, aligned, inside one block. Shared by the tests
 * of the copy, size and relocation functions and of IPropData.
 */
#ifndef FREEMAPI_TESTS_PROPS_FIXTURE_H
#define FREEMAPI_TESTS_PROPS_FIXTURE_H

#include <string.h>

#include "fm_test.h"
#include "mapiutil.h"

#define FX_COUNT 28
#define FX_ID_BASE 0x3000

static short fx_i2[] = {1, -2, 3};
static LONG fx_l[] = {10, -20};
static float fx_flt[] = {1.5f, -2.25f};
static double fx_dbl[] = {3.25, -4.5, 1e300};
static CURRENCY fx_cur[] = {{.int64 = 12345678}, {.int64 = -1}};
static double fx_at[] = {45000.5};
static FILETIME fx_ft[] = {{0x11111111, 0x01D00000}, {0xFFFFFFFF, 0x7FFFFFFF}};
static GUID fx_guid[] = {{0x12345678, 0x9ABC, 0xDEF0, {1, 2, 3, 4, 5, 6, 7, 8}},
                         {0xCAFEBABE, 0x1111, 0x2222, {9, 9, 9, 9, 9, 9, 9, 9}}};
static LARGE_INTEGER fx_li[] = {{.QuadPart = 0x123456789ABCDEFLL}, {.QuadPart = -7}};
static char fx_s1[] = "h\xC3\xA9llo", fx_s2[] = "", fx_s3[] = "third string";
static LPSTR fx_sa[] = {fx_s1, fx_s2, fx_s3};
static WCHAR fx_w1[] = u"wide \u00E9 \U0001F600", fx_w2[] = u"x";
static LPWSTR fx_wa[] = {fx_w1, fx_w2};
static BYTE fx_b1[] = {0, 1, 2, 3, 0xFF}, fx_b2[] = {0xAA};
static SBinary fx_bin[] = {{5, fx_b1}, {0, NULL}, {1, fx_b2}};

/* Fills v[FX_COUNT] with one value of each type, identifiers FX_ID_BASE + i. */
static inline int fx_all_types(SPropValue *v)
{
    static const ULONG types[FX_COUNT] = {
        PT_I2,        PT_LONG,       PT_R4,          PT_DOUBLE,     PT_CURRENCY,   PT_APPTIME,
        PT_ERROR,     PT_BOOLEAN,    PT_OBJECT,      PT_I8,         PT_STRING8,    PT_UNICODE,
        PT_SYSTIME,   PT_CLSID,      PT_BINARY,      PT_NULL,       PT_MV_I2,      PT_MV_LONG,
        PT_MV_R4,     PT_MV_DOUBLE,  PT_MV_CURRENCY, PT_MV_APPTIME, PT_MV_SYSTIME, PT_MV_STRING8,
        PT_MV_BINARY, PT_MV_UNICODE, PT_MV_CLSID,    PT_MV_I8,
    };
    memset(v, 0, FX_COUNT * sizeof *v);
    for (int i = 0; i < FX_COUNT; i++)
        v[i].ulPropTag = PROP_TAG(types[i], FX_ID_BASE + i);
    v[0].Value.i = -12;
    v[1].Value.l = 123456;
    v[2].Value.flt = 2.5f;
    v[3].Value.dbl = -1.0 / 3;
    v[4].Value.cur.int64 = 99990000;
    v[5].Value.at = 40000.25;
    v[6].Value.err = MAPI_E_NOT_FOUND;
    v[7].Value.b = 1;
    v[8].Value.x = 0;
    v[9].Value.li.QuadPart = -0x100000000LL;
    v[10].Value.lpszA = fx_s1;
    v[11].Value.lpszW = fx_w1;
    v[12].Value.ft = fx_ft[0];
    v[13].Value.lpguid = &fx_guid[0];
    v[14].Value.bin = fx_bin[0];
    v[15].Value.x = 0;
    v[16].Value.MVi = (SShortArray){3, fx_i2};
    v[17].Value.MVl = (SLongArray){2, fx_l};
    v[18].Value.MVflt = (SRealArray){2, fx_flt};
    v[19].Value.MVdbl = (SDoubleArray){3, fx_dbl};
    v[20].Value.MVcur = (SCurrencyArray){2, fx_cur};
    v[21].Value.MVat = (SAppTimeArray){1, fx_at};
    v[22].Value.MVft = (SDateTimeArray){2, fx_ft};
    v[23].Value.MVszA = (SLPSTRArray){3, fx_sa};
    v[24].Value.MVbin = (SBinaryArray){3, fx_bin};
    v[25].Value.MVszW = (SWStringArray){2, fx_wa};
    v[26].Value.MVguid = (SGuidArray){2, fx_guid};
    v[27].Value.MVli = (SLargeIntegerArray){2, fx_li};
    return FX_COUNT;
}

static inline int fx_wcs_equal(const WCHAR *a, const WCHAR *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static inline int fx_bin_equal(const SBinary *a, const SBinary *b)
{
    return a->cb == b->cb && (a->cb == 0 || memcmp(a->lpb, b->lpb, a->cb) == 0);
}

static inline int fx_mv_equal(const SPropValue *a, const SPropValue *b, ULONG type)
{
    ULONG n = a->Value.MVl.cValues;
    if (n != b->Value.MVl.cValues)
        return 0;
    for (ULONG i = 0; i < n; i++) {
        int same;
        switch (type) {
        case PT_MV_STRING8:
            same = strcmp(a->Value.MVszA.lppszA[i], b->Value.MVszA.lppszA[i]) == 0;
            break;
        case PT_MV_UNICODE:
            same = fx_wcs_equal(a->Value.MVszW.lppszW[i], b->Value.MVszW.lppszW[i]);
            break;
        case PT_MV_BINARY:
            same = fx_bin_equal(&a->Value.MVbin.lpbin[i], &b->Value.MVbin.lpbin[i]);
            break;
        case PT_MV_I2: same = a->Value.MVi.lpi[i] == b->Value.MVi.lpi[i]; break;
        case PT_MV_LONG: same = a->Value.MVl.lpl[i] == b->Value.MVl.lpl[i]; break;
        case PT_MV_R4: same = a->Value.MVflt.lpflt[i] == b->Value.MVflt.lpflt[i]; break;
        case PT_MV_DOUBLE: same = a->Value.MVdbl.lpdbl[i] == b->Value.MVdbl.lpdbl[i]; break;
        case PT_MV_APPTIME: same = a->Value.MVat.lpat[i] == b->Value.MVat.lpat[i]; break;
        case PT_MV_CURRENCY:
            same = a->Value.MVcur.lpcur[i].int64 == b->Value.MVcur.lpcur[i].int64;
            break;
        case PT_MV_I8:
            same = a->Value.MVli.lpli[i].QuadPart == b->Value.MVli.lpli[i].QuadPart;
            break;
        case PT_MV_SYSTIME:
            same = memcmp(&a->Value.MVft.lpft[i], &b->Value.MVft.lpft[i], sizeof(FILETIME)) == 0;
            break;
        case PT_MV_CLSID:
            same =
                memcmp(&a->Value.MVguid.lpguid[i], &b->Value.MVguid.lpguid[i], sizeof(GUID)) == 0;
            break;
        default: return 0;
        }
        if (!same)
            return 0;
    }
    return 1;
}

/* Deep equality: same tag and the same value, following every pointer. */
static inline int fx_values_equal(const SPropValue *a, const SPropValue *b)
{
    if (a->ulPropTag != b->ulPropTag)
        return 0;
    ULONG type = PROP_TYPE(a->ulPropTag);
    switch (type) {
    case PT_I2: return a->Value.i == b->Value.i;
    case PT_BOOLEAN: return a->Value.b == b->Value.b;
    case PT_LONG:
    case PT_ERROR:
    case PT_NULL:
    case PT_OBJECT: return a->Value.l == b->Value.l;
    case PT_R4: return a->Value.flt == b->Value.flt;
    case PT_DOUBLE: return a->Value.dbl == b->Value.dbl;
    case PT_APPTIME: return a->Value.at == b->Value.at;
    case PT_CURRENCY: return a->Value.cur.int64 == b->Value.cur.int64;
    case PT_I8: return a->Value.li.QuadPart == b->Value.li.QuadPart;
    case PT_SYSTIME: return memcmp(&a->Value.ft, &b->Value.ft, sizeof(FILETIME)) == 0;
    case PT_STRING8: return strcmp(a->Value.lpszA, b->Value.lpszA) == 0;
    case PT_UNICODE: return fx_wcs_equal(a->Value.lpszW, b->Value.lpszW);
    case PT_CLSID: return memcmp(a->Value.lpguid, b->Value.lpguid, sizeof(GUID)) == 0;
    case PT_BINARY: return fx_bin_equal(&a->Value.bin, &b->Value.bin);
    default: return fx_mv_equal(a, b, type);
    }
}

#define fx_assert_values_equal(a, b, n)                                                            \
    do {                                                                                           \
        for (int fx_i_ = 0; fx_i_ < (int)(n); fx_i_++)                                             \
            if (!fx_values_equal(&(a)[fx_i_], &(b)[fx_i_]))                                        \
                fail_msg("value %d (tag 0x%08lX) differs", fx_i_,                                  \
                         (unsigned long)(a)[fx_i_].ulPropTag);                                     \
    } while (0)

static inline int fx_in(const void *p, const void *base, size_t size, size_t align)
{
    const char *c = p, *b = base;
    return c >= b && c < b + size && ((uintptr_t)c % align) == 0;
}

/* True when every pointer of v points inside [base, base + size), aligned
 * to 8 bytes (and never at the source data in src). */
static inline int fx_points_into(const SPropValue *v, const void *base, size_t size)
{
    ULONG type = PROP_TYPE(v->ulPropTag);
    ULONG n = v->Value.MVl.cValues;
    switch (type) {
    case PT_STRING8:
    case PT_UNICODE:
    case PT_CLSID: return fx_in(v->Value.lpv, base, size, 8);
    case PT_BINARY: return v->Value.bin.cb == 0 || fx_in(v->Value.bin.lpb, base, size, 8);
    default:
        if (!(type & MV_FLAG))
            return 1;
        if (!fx_in(v->Value.MVl.lpl, base, size, 8))
            return 0;
        for (ULONG i = 0; i < n; i++) {
            if ((type == PT_MV_STRING8 || type == PT_MV_UNICODE) &&
                !fx_in(((void **)v->Value.MVszA.lppszA)[i], base, size, 8))
                return 0;
            if (type == PT_MV_BINARY && v->Value.MVbin.lpbin[i].cb &&
                !fx_in(v->Value.MVbin.lpbin[i].lpb, base, size, 8))
                return 0;
        }
        return 1;
    }
}

/* An empty IPropData using the MAPI allocators. */
static inline LPPROPDATA fx_new_propdata(void)
{
    LPPROPDATA pd = NULL;
    assert_int_equal(CreateIProp(&IID_IMAPIPropData, MAPIAllocateBuffer, MAPIAllocateMore,
                                 MAPIFreeBuffer, NULL, &pd),
                     S_OK);
    return pd;
}

/* Whether IPropData keeps a fixture value of this type: PT_OBJECT fails the
 * call, PT_ERROR is ignored, PT_NULL (other than PR_NULL) is a problem. */
static inline int fx_settable(ULONG type)
{
    return type != PT_OBJECT && type != PT_ERROR && type != PT_NULL;
}

#define FX_SETTABLE (FX_COUNT - 3) /* how many fixture values fx_settable keeps */

/* An IPropData holding every settable fixture value. */
static inline LPPROPDATA fx_full_propdata(SPropValue *v)
{
    LPPROPDATA pd = fx_new_propdata();
    fx_all_types(v);
    for (int i = 0; i < FX_COUNT; i++) {
        ULONG type = PROP_TYPE(v[i].ulPropTag);
        if (fx_settable(type))
            assert_int_equal(IPropData_SetProps(pd, 1, &v[i], NULL), S_OK);
    }
    return pd;
}

#endif /* FREEMAPI_TESTS_PROPS_FIXTURE_H */
