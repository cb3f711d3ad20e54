/*
 * tests/props/test_validate.c - the mapival.h FBad* functions and the
 * internal fm_validate_* validators: good input accepted, every documented
 * kind of bad input refused with a code and readable text, and no
 * allocation ever (the allocator's counters must not move).
 */
#include <string.h>

#include "core/limits.h"
#include "fm_test.h"
#include "mapicode.h"
#include "mapival.h"
#include "props/validate.h"

/* ---- helpers -------------------------------------------------------------- */

static fmapi_alloc_stats before;

static int counters_take(void **state)
{
    fmapi_alloc_get_stats(&before);
    return 0;
}

/* Validators allocate nothing: every counter is where it was. */
static int counters_unchanged(void **state)
{
    fmapi_alloc_stats after;
    fmapi_alloc_get_stats(&after);
    if (after.total_allocations != before.total_allocations ||
        after.failed_allocations != before.failed_allocations ||
        after.live_blocks != before.live_blocks || after.live_bytes != before.live_bytes) {
        print_error("allocator counters moved: %llu -> %llu allocations\n",
                    (unsigned long long)before.total_allocations,
                    (unsigned long long)after.total_allocations);
        return -1;
    }
    return 0;
}

static void expect_refused(HRESULT hr, HRESULT code, const char *src, int line)
{
    if (hr != code)
        fail_msg("line %d: %s returned 0x%08lX, expected 0x%08lX (text: %s)", line, src,
                 (unsigned long)(uint32_t)hr, (unsigned long)(uint32_t)code, fmapi_last_error());
    if (fmapi_last_error()[0] == '\0')
        fail_msg("line %d: %s refused without text", line, src);
}

static void expect_accepted(HRESULT hr, const char *src, int line)
{
    if (hr != S_OK)
        fail_msg("line %d: %s refused: 0x%08lX %s", line, src, (unsigned long)(uint32_t)hr,
                 fmapi_last_error());
}

#define REFUSED(expr, code)                              \
    do {                                                 \
        fmapi_clear_error();                             \
        expect_refused((expr), (code), #expr, __LINE__); \
    } while (0)
#define ACCEPTED(expr) expect_accepted((expr), #expr, __LINE__)
#define TEXT_HAS(s) assert_non_null(strstr(fmapi_last_error(), (s)))

#define INVALID MAPI_E_INVALID_PARAMETER
#define BADTYPE MAPI_E_INVALID_TYPE
#define COMPLEX MAPI_E_TOO_COMPLEX

/* Bytes from which misaligned pointers of any type can be made. */
static _Alignas(16) unsigned char raw[512];
#define MISALIGNED(type, off) ((type *)(void *)(raw + (off)))

static char good8[] = "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9D\x84\x9E";
static WCHAR good16[] = { 'h', 0xE9, 'l', 0x20AC, 0xD834, 0xDD1E, 0 };
static GUID guid = { 0x12345678, 0x9ABC, 0xDEF0, { 1, 2, 3, 4, 5, 6, 7, 8 } };
static BYTE bytes[] = { 0, 1, 2, 3, 4, 5 };

static short mv_i[2] = { 1, -1 };
static LONG mv_l[2] = { 1, -1 };
static float mv_flt[2] = { 1.0f, 2.0f };
static double mv_dbl[2] = { 1.0, 2.0 };
static CURRENCY mv_cur[2];
static FILETIME mv_ft[2];
static LARGE_INTEGER mv_li[2];
static LPSTR mv_a[2] = { good8, (char *)"plain" };
static LPWSTR mv_w[2] = { good16, good16 };
static SBinary mv_bin[2] = { { 6, bytes }, { 0, NULL } };
static GUID mv_guid[2];

static const ULONG single_types[] = {
    PT_NULL, PT_I2,   PT_LONG, PT_R4,      PT_DOUBLE,  PT_CURRENCY, PT_APPTIME, PT_ERROR,
    PT_BOOLEAN, PT_OBJECT, PT_I8, PT_STRING8, PT_UNICODE, PT_SYSTIME, PT_CLSID, PT_BINARY,
};
static const ULONG mv_types[] = {
    PT_MV_I2,      PT_MV_LONG,    PT_MV_R4,      PT_MV_DOUBLE,  PT_MV_CURRENCY, PT_MV_APPTIME,
    PT_MV_SYSTIME, PT_MV_STRING8, PT_MV_BINARY,  PT_MV_UNICODE, PT_MV_CLSID,    PT_MV_I8,
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A well-formed value of the given single or MV type. */
static SPropValue good_value(ULONG type)
{
    SPropValue p;
    memset(&p, 0, sizeof p);
    p.ulPropTag = PROP_TAG(type, 0x6601);
    switch (type) {
    case PT_I2: p.Value.i = -5; break;
    case PT_LONG: p.Value.l = 42; break;
    case PT_R4: p.Value.flt = 1.5f; break;
    case PT_DOUBLE: case PT_APPTIME: p.Value.dbl = 2.5; break;
    case PT_CURRENCY: p.Value.cur.int64 = 10000; break;
    case PT_ERROR: p.Value.err = MAPI_E_NOT_FOUND; break;
    case PT_BOOLEAN: p.Value.b = 1; break;
    case PT_I8: p.Value.li.QuadPart = -1; break;
    case PT_STRING8: p.Value.lpszA = good8; break;
    case PT_UNICODE: p.Value.lpszW = good16; break;
    case PT_SYSTIME: p.Value.ft.dwHighDateTime = 0x01D00000; break;
    case PT_CLSID: p.Value.lpguid = &guid; break;
    case PT_BINARY: p.Value.bin.cb = sizeof bytes; p.Value.bin.lpb = bytes; break;
    case PT_MV_I2: p.Value.MVi.cValues = 2; p.Value.MVi.lpi = mv_i; break;
    case PT_MV_LONG: p.Value.MVl.cValues = 2; p.Value.MVl.lpl = mv_l; break;
    case PT_MV_R4: p.Value.MVflt.cValues = 2; p.Value.MVflt.lpflt = mv_flt; break;
    case PT_MV_DOUBLE: p.Value.MVdbl.cValues = 2; p.Value.MVdbl.lpdbl = mv_dbl; break;
    case PT_MV_CURRENCY: p.Value.MVcur.cValues = 2; p.Value.MVcur.lpcur = mv_cur; break;
    case PT_MV_APPTIME: p.Value.MVat.cValues = 2; p.Value.MVat.lpat = mv_dbl; break;
    case PT_MV_SYSTIME: p.Value.MVft.cValues = 2; p.Value.MVft.lpft = mv_ft; break;
    case PT_MV_STRING8: p.Value.MVszA.cValues = 2; p.Value.MVszA.lppszA = mv_a; break;
    case PT_MV_BINARY: p.Value.MVbin.cValues = 2; p.Value.MVbin.lpbin = mv_bin; break;
    case PT_MV_UNICODE: p.Value.MVszW.cValues = 2; p.Value.MVszW.lppszW = mv_w; break;
    case PT_MV_CLSID: p.Value.MVguid.cValues = 2; p.Value.MVguid.lpguid = mv_guid; break;
    case PT_MV_I8: p.Value.MVli.cValues = 2; p.Value.MVli.lpli = mv_li; break;
    default: break;
    }
    return p;
}

/* Replaces the element array of an MV value; every MV member has the same
 * {cValues, pointer} layout, so one store through each is exact. */
static void mv_set(SPropValue *p, ULONG count, void *items)
{
    switch (PROP_TYPE(p->ulPropTag)) {
    case PT_MV_I2: p->Value.MVi.cValues = count; p->Value.MVi.lpi = items; break;
    case PT_MV_LONG: p->Value.MVl.cValues = count; p->Value.MVl.lpl = items; break;
    case PT_MV_R4: p->Value.MVflt.cValues = count; p->Value.MVflt.lpflt = items; break;
    case PT_MV_DOUBLE: p->Value.MVdbl.cValues = count; p->Value.MVdbl.lpdbl = items; break;
    case PT_MV_CURRENCY: p->Value.MVcur.cValues = count; p->Value.MVcur.lpcur = items; break;
    case PT_MV_APPTIME: p->Value.MVat.cValues = count; p->Value.MVat.lpat = items; break;
    case PT_MV_SYSTIME: p->Value.MVft.cValues = count; p->Value.MVft.lpft = items; break;
    case PT_MV_STRING8: p->Value.MVszA.cValues = count; p->Value.MVszA.lppszA = items; break;
    case PT_MV_BINARY: p->Value.MVbin.cValues = count; p->Value.MVbin.lpbin = items; break;
    case PT_MV_UNICODE: p->Value.MVszW.cValues = count; p->Value.MVszW.lppszW = items; break;
    case PT_MV_CLSID: p->Value.MVguid.cValues = count; p->Value.MVguid.lpguid = items; break;
    case PT_MV_I8: p->Value.MVli.cValues = count; p->Value.MVli.lpli = items; break;
    default: fail_msg("not an MV type");
    }
}

/* ---- types and tags --------------------------------------------------------- */

static void exactly_the_documented_types_are_valid(void **state)
{
    unsigned valid = 0;
    for (ULONG t = 0; t <= 0xFFFF; t++)
        valid += fm_prop_type_is_valid(t) ? 1 : 0;
    /* 16 value types + PT_UNSPECIFIED, and 12 PT_MV_* types. */
    assert_int_equal(valid, COUNT(single_types) + 1 + COUNT(mv_types));
    for (size_t i = 0; i < COUNT(single_types); i++)
        assert_true(fm_prop_type_is_valid(single_types[i]));
    for (size_t i = 0; i < COUNT(mv_types); i++) {
        assert_true(fm_prop_type_is_valid(mv_types[i]));
        assert_false(fm_prop_type_is_valid(mv_types[i] | MV_INSTANCE));
    }
    assert_true(fm_prop_type_is_valid(PT_UNSPECIFIED));
    assert_false(fm_prop_type_is_valid(MV_FLAG | PT_BOOLEAN));
    assert_false(fm_prop_type_is_valid(MV_FLAG | PT_ERROR));
    assert_false(fm_prop_type_is_valid(MV_FLAG | PT_OBJECT));
    assert_false(fm_prop_type_is_valid(PT_SVREID));
    assert_false(fm_prop_type_is_valid(0x0008));
}

static void prop_tags_of_every_type_are_accepted(void **state)
{
    for (size_t i = 0; i < COUNT(single_types); i++) {
        ACCEPTED(fm_validate_prop_tag(PROP_TAG(single_types[i], 0x0037), "t"));
        assert_int_equal(FBadPropTag(PROP_TAG(single_types[i], 0x0037)), FALSE);
    }
    for (size_t i = 0; i < COUNT(mv_types); i++)
        assert_int_equal(FBadPropTag(PROP_TAG(mv_types[i], 0x8001)), FALSE);
    assert_int_equal(FBadPropTag(PR_NULL), FALSE);
    assert_int_equal(FBadPropTag(PROP_TAG(PT_UNSPECIFIED, 0x0037)), FALSE);
}

static void prop_tags_with_unknown_types_or_bad_ids_are_refused(void **state)
{
    REFUSED(fm_validate_prop_tag(PROP_TAG(0x0009, 0x0037), "lpTag"), BADTYPE);
    TEXT_HAS("lpTag");
    TEXT_HAS("not a MAPI property type");
    REFUSED(fm_validate_prop_tag(PROP_TAG(MV_FLAG | PT_BOOLEAN, 0x0037), "t"), BADTYPE);
    REFUSED(fm_validate_prop_tag(PROP_TAG(PT_SRESTRICT, 0x0E9D), "t"), BADTYPE);
    REFUSED(fm_validate_prop_tag(PROP_TAG(PT_MV_LONG | MV_INSTANCE, 0x0037), "t"), BADTYPE);
    TEXT_HAS("MV_INSTANCE");
    REFUSED(fm_validate_prop_tag(PROP_TAG(PT_LONG, PROP_ID_INVALID), "t"), INVALID);
    TEXT_HAS("PROP_ID_INVALID");
    fmapi_clear_error();
    assert_int_equal(FBadPropTag(PROP_TAG(0x0FFF, 0x0037)), TRUE);
    TEXT_HAS("FBadPropTag");
    assert_int_equal(FBadPropTag(PROP_TAG(PT_LONG, 0xFFFF)), TRUE);
}

/* ---- single values ---------------------------------------------------------- */

static void a_good_value_of_every_type_is_accepted(void **state)
{
    for (size_t i = 0; i < COUNT(single_types); i++) {
        SPropValue p = good_value(single_types[i]);
        ACCEPTED(fm_validate_prop(&p, "lpProp"));
        assert_int_equal(FBadProp(&p), FALSE);
    }
    for (size_t i = 0; i < COUNT(mv_types); i++) {
        SPropValue p = good_value(mv_types[i]);
        ACCEPTED(fm_validate_prop(&p, "lpProp"));
        assert_int_equal(FBadProp(&p), FALSE);
    }
}

static void value_pointers_must_be_present_and_aligned(void **state)
{
    REFUSED(fm_validate_prop(NULL, "lpProp"), INVALID);
    TEXT_HAS("NULL");
    assert_int_equal(FBadProp(NULL), TRUE);
    REFUSED(fm_validate_prop(MISALIGNED(SPropValue, 4), "lpProp"), INVALID);
    TEXT_HAS("misaligned");
}

static void values_of_unknown_or_non_value_types_are_refused(void **state)
{
    SPropValue p = good_value(PT_LONG);
    p.ulPropTag = PROP_TAG(PT_UNSPECIFIED, 0x0037);
    REFUSED(fm_validate_prop(&p, "v"), BADTYPE);
    p.ulPropTag = PROP_TAG(0x0033, 0x0037);
    REFUSED(fm_validate_prop(&p, "v"), BADTYPE);
    p.ulPropTag = PROP_TAG(PT_LONG | MV_INSTANCE, 0x0037);
    REFUSED(fm_validate_prop(&p, "v"), BADTYPE);
    p = good_value(PT_MV_LONG);
    p.ulPropTag |= MV_INSTANCE;
    REFUSED(fm_validate_prop(&p, "v"), BADTYPE);
    assert_int_equal(FBadProp(&p), TRUE);
}

static void booleans_must_be_true_or_false(void **state)
{
    SPropValue p = good_value(PT_BOOLEAN);
    p.Value.b = 0;
    ACCEPTED(fm_validate_prop(&p, "v"));
    p.Value.b = 1;
    ACCEPTED(fm_validate_prop(&p, "v"));
    p.Value.b = 2;
    REFUSED(fm_validate_prop(&p, "v"), INVALID);
    TEXT_HAS("PT_BOOLEAN");
    p.Value.b = 0xFFFF;
    assert_int_equal(FBadProp(&p), TRUE);
}

static const char *const bad_utf8[] = {
    "\xC0\xAF",         /* overlong '/' */
    "\xE0\x80\xAF",     /* overlong, three bytes */
    "\xF0\x80\x80\xAF", /* overlong, four bytes */
    "ab\xE2\x82",       /* truncated euro sign */
    "\xC3",             /* truncated two-byte */
    "\x80",             /* lone continuation byte */
    "\xED\xA0\x80",     /* high surrogate encoded in UTF-8 */
    "\xED\xBF\xBF",     /* low surrogate encoded in UTF-8 */
    "\xF4\x90\x80\x80", /* beyond U+10FFFF */
    "\xFF",             /* never valid */
};

static void string8_values_must_be_valid_utf8(void **state)
{
    SPropValue p = good_value(PT_STRING8);
    p.Value.lpszA = (char *)"";
    ACCEPTED(fm_validate_prop(&p, "v"));
    p.Value.lpszA = NULL;
    REFUSED(fm_validate_prop(&p, "v"), INVALID);
    for (size_t i = 0; i < COUNT(bad_utf8); i++) {
        p.Value.lpszA = (char *)bad_utf8[i];
        REFUSED(fm_validate_prop(&p, "v"), INVALID);
        TEXT_HAS("UTF-8");
        assert_int_equal(FBadProp(&p), TRUE);
    }
}

static WCHAR lone_high[] = { 'a', 0xD800, 'b', 0 };
static WCHAR lone_high_at_end[] = { 'a', 0xDBFF, 0 };
static WCHAR lone_low[] = { 0xDC00, 'a', 0 };
static WCHAR reversed_pair[] = { 0xDD1E, 0xD834, 0 };
static WCHAR *const bad_utf16[] = { lone_high, lone_high_at_end, lone_low, reversed_pair };

static void unicode_values_must_be_valid_aligned_utf16(void **state)
{
    SPropValue p = good_value(PT_UNICODE);
    static WCHAR empty[] = { 0 };
    p.Value.lpszW = empty;
    ACCEPTED(fm_validate_prop(&p, "v"));
    p.Value.lpszW = NULL;
    REFUSED(fm_validate_prop(&p, "v"), INVALID);
    for (size_t i = 0; i < COUNT(bad_utf16); i++) {
        p.Value.lpszW = bad_utf16[i];
        REFUSED(fm_validate_prop(&p, "v"), INVALID);
        TEXT_HAS("UTF-16");
    }
    memset(raw, 0, sizeof raw);
    p.Value.lpszW = MISALIGNED(WCHAR, 1);
    REFUSED(fm_validate_prop(&p, "v"), INVALID);
    TEXT_HAS("misaligned");
}

static void binary_and_clsid_values_need_their_pointers(void **state)
{
    SPropValue p = good_value(PT_BINARY);
    p.Value.bin.lpb = NULL;
    REFUSED(fm_validate_prop(&p, "v"), INVALID);
    TEXT_HAS("cb > 0");
    p.Value.bin.cb = 0;
    ACCEPTED(fm_validate_prop(&p, "v"));
    p = good_value(PT_CLSID);
    p.Value.lpguid = NULL;
    REFUSED(fm_validate_prop(&p, "v"), INVALID);
    p.Value.lpguid = MISALIGNED(GUID, 2);
    REFUSED(fm_validate_prop(&p, "v"), INVALID);
    TEXT_HAS("misaligned");
}

/* ---- multivalued values ------------------------------------------------------- */

static void every_mv_type_refuses_a_null_array_and_allows_an_empty_one(void **state)
{
    for (size_t i = 0; i < COUNT(mv_types); i++) {
        SPropValue p = good_value(mv_types[i]);
        mv_set(&p, 3, NULL);
        REFUSED(fm_validate_prop(&p, "v"), INVALID);
        TEXT_HAS("NULL");
        assert_int_equal(FBadProp(&p), TRUE);
        mv_set(&p, 0, NULL);
        ACCEPTED(fm_validate_prop(&p, "v"));
        mv_set(&p, FM_MV_MAX_VALUES + 1, raw);
        REFUSED(fm_validate_prop(&p, "v"), INVALID);
        TEXT_HAS("limit");
    }
}

static void mv_arrays_must_be_aligned_for_their_elements(void **state)
{
    memset(raw, 0, sizeof raw);
    unsigned checked = 0;
    for (size_t i = 0; i < COUNT(mv_types); i++) {
        SPropValue p = good_value(mv_types[i]);
        mv_set(&p, 1, raw + 1); /* every element type needs at least 2-byte alignment */
        REFUSED(fm_validate_prop(&p, "v"), INVALID);
        TEXT_HAS("misaligned");
        checked++;
    }
    assert_int_equal(checked, COUNT(mv_types));
}

static void mv_string_and_binary_elements_are_checked_one_by_one(void **state)
{
    for (size_t i = 0; i < COUNT(bad_utf8); i++) {
        LPSTR a[3] = { good8, (char *)bad_utf8[i], good8 };
        SPropValue p = good_value(PT_MV_STRING8);
        mv_set(&p, 3, a);
        REFUSED(fm_validate_prop(&p, "v"), INVALID);
        TEXT_HAS("value 1");
        TEXT_HAS("UTF-8");
    }
    LPSTR with_null[2] = { good8, NULL };
    SPropValue p = good_value(PT_MV_STRING8);
    mv_set(&p, 2, with_null);
    REFUSED(fm_validate_prop(&p, "v"), INVALID);
    for (size_t i = 0; i < COUNT(bad_utf16); i++) {
        LPWSTR w[2] = { bad_utf16[i], good16 };
        p = good_value(PT_MV_UNICODE);
        mv_set(&p, 2, w);
        REFUSED(fm_validate_prop(&p, "v"), INVALID);
        TEXT_HAS("value 0");
        TEXT_HAS("UTF-16");
    }
    LPWSTR wmis[1] = { MISALIGNED(WCHAR, 3) };
    p = good_value(PT_MV_UNICODE);
    mv_set(&p, 1, wmis);
    REFUSED(fm_validate_prop(&p, "v"), INVALID);
    SBinary bins[2] = { { 1, bytes }, { 4, NULL } };
    p = good_value(PT_MV_BINARY);
    mv_set(&p, 2, bins);
    REFUSED(fm_validate_prop(&p, "v"), INVALID);
    TEXT_HAS("value 1");
}

/* ---- arrays of values and tags ----------------------------------------------------- */

static void prop_arrays_report_the_bad_index(void **state)
{
    SPropValue a[3] = { good_value(PT_LONG), good_value(PT_UNICODE), good_value(PT_BOOLEAN) };
    ACCEPTED(fm_validate_prop_array(3, a, "lpPropArray"));
    ACCEPTED(fm_validate_prop_array(0, NULL, "lpPropArray"));
    REFUSED(fm_validate_prop_array(2, NULL, "lpPropArray"), INVALID);
    TEXT_HAS("lpPropArray");
    REFUSED(fm_validate_prop_array(1, MISALIGNED(SPropValue, 8 + 4), "a"), INVALID);
    a[2].Value.b = 7;
    REFUSED(fm_validate_prop_array(3, a, "lpPropArray"), INVALID);
    TEXT_HAS("property 2");
}

static void tag_arrays_check_every_tag(void **state)
{
    SizedSPropTagArray(3, tags) = { 3, { PROP_TAG(PT_LONG, 1), PROP_TAG(PT_ERROR, 2),
                                         PROP_TAG(PT_MV_UNICODE, 3) } };
    ACCEPTED(fm_validate_tag_array((SPropTagArray *)&tags, "lpPropTagArray"));
    SizedSPropTagArray(1, none) = { 0, { 0 } };
    ACCEPTED(fm_validate_tag_array((SPropTagArray *)&none, "t"));
    REFUSED(fm_validate_tag_array(NULL, "t"), INVALID);
    REFUSED(fm_validate_tag_array(MISALIGNED(SPropTagArray, 2), "t"), INVALID);
    tags.aulPropTag[1] = PROP_TAG(0x0077, 2);
    REFUSED(fm_validate_tag_array((SPropTagArray *)&tags, "t"), BADTYPE);
    TEXT_HAS("property 1");
}

static void column_sets_follow_fbadcolumnset(void **state)
{
    SizedSPropTagArray(4, cols) = { 4, { PROP_TAG(PT_LONG, 1), PR_NULL,
                                         MVI_PROP(PROP_TAG(PT_MV_UNICODE, 3)),
                                         PROP_TAG(PT_OBJECT, 4) } };
    assert_int_equal(FBadColumnSet((LPSPropTagArray)&cols), FALSE);
    ACCEPTED(fm_validate_column_set((SPropTagArray *)&cols, "c"));
    cols.aulPropTag[1] = PROP_TAG(PT_ERROR, 2);
    REFUSED(fm_validate_column_set((SPropTagArray *)&cols, "c"), BADTYPE);
    TEXT_HAS("PT_ERROR");
    assert_int_equal(FBadColumnSet((LPSPropTagArray)&cols), TRUE);
    cols.aulPropTag[1] = PROP_TAG(PT_LONG | MV_INSTANCE, 2);
    REFUSED(fm_validate_column_set((SPropTagArray *)&cols, "c"), BADTYPE);
    TEXT_HAS("without MV_FLAG");
    cols.cValues = 0;
    REFUSED(fm_validate_column_set((SPropTagArray *)&cols, "c"), INVALID);
    TEXT_HAS("at least one column");
    assert_int_equal(FBadColumnSet(NULL), TRUE);
}

/* ---- rows ----------------------------------------------------------------------------- */

static void rows_and_row_sets_check_every_value(void **state)
{
    SPropValue vals[2] = { good_value(PT_STRING8), good_value(PT_I8) };
    SRow row = { 0, 2, vals };
    assert_int_equal(FBadRow(&row), FALSE);
    SizedSRowSet(2, rows) = { 2, { { 0, 2, vals }, { 0, 0, NULL } } };
    assert_int_equal(FBadRowSet((LPSRowSet)&rows), FALSE);
    ACCEPTED(fm_validate_row_set((SRowSet *)&rows, "lpRows"));

    assert_int_equal(FBadRow(NULL), TRUE);
    assert_int_equal(FBadRowSet(NULL), TRUE);
    TEXT_HAS("FBadRowSet");
    REFUSED(fm_validate_row(MISALIGNED(SRow, 4), "r"), INVALID);
    REFUSED(fm_validate_row_set(MISALIGNED(SRowSet, 4), "r"), INVALID);
    row.lpProps = NULL;
    REFUSED(fm_validate_row(&row, "r"), INVALID);
    row.lpProps = MISALIGNED(SPropValue, 4);
    REFUSED(fm_validate_row(&row, "r"), INVALID);
    vals[0].Value.lpszA = (char *)bad_utf8[0];
    REFUSED(fm_validate_row_set((SRowSet *)&rows, "lpRows"), INVALID);
    assert_int_equal(FBadRowSet((LPSRowSet)&rows), TRUE);
    rows.aRow[1].cValues = 1;
    vals[0] = good_value(PT_STRING8);
    REFUSED(fm_validate_row_set((SRowSet *)&rows, "lpRows"), INVALID);
    TEXT_HAS("row 1");
}

static void rows_hold_one_base_value_for_mvi_columns(void **state)
{
    SPropValue v = good_value(PT_UNICODE);
    v.ulPropTag = MVI_PROP(PROP_TAG(PT_MV_UNICODE, 0x0E04));
    SRow row = { 0, 1, &v };
    assert_int_equal(FBadRow(&row), FALSE);
    assert_int_equal(FBadProp(&v), TRUE); /* not outside a row */
    v.Value.lpszW = lone_low;
    assert_int_equal(FBadRow(&row), TRUE);
}

/* ---- entry lists, strings, names ------------------------------------------------------- */

static void entry_lists_need_whole_entry_identifiers(void **state)
{
    BYTE id1[8] = { 0 }, id2[4] = { 0 };
    SBinary e[2] = { { sizeof id1, id1 }, { sizeof id2, id2 } };
    ENTRYLIST l = { 2, e };
    assert_int_equal(FBadEntryList(&l), FALSE);
    ENTRYLIST empty = { 0, NULL };
    ACCEPTED(fm_validate_entry_list(&empty, "l"));
    assert_int_equal(FBadEntryList(NULL), TRUE);
    REFUSED(fm_validate_entry_list(MISALIGNED(ENTRYLIST, 4), "l"), INVALID);
    l.lpbin = NULL;
    REFUSED(fm_validate_entry_list(&l, "lpMsgList"), INVALID);
    TEXT_HAS("lpMsgList");
    l.lpbin = MISALIGNED(SBinary, 4);
    REFUSED(fm_validate_entry_list(&l, "l"), INVALID);
    l.lpbin = e;
    e[1].cb = 3;
    REFUSED(fm_validate_entry_list(&l, "l"), INVALID);
    TEXT_HAS("entry 1");
    e[1].cb = 0;
    assert_int_equal(FBadEntryList(&l), TRUE);
    e[1].cb = 4;
    e[1].lpb = NULL;
    REFUSED(fm_validate_entry_list(&l, "l"), INVALID);
}

static void string_arrays_check_presence_and_encoding(void **state)
{
    LPSTR a[2] = { good8, (char *)"x" };
    assert_int_equal(FBadRglpszA(a, 2), FALSE);
    assert_int_equal(FBadRglpsz(a, 2), FALSE); /* UNICODE not defined: the A form */
    assert_int_equal(FBadRglpszA(NULL, 0), FALSE);
    assert_int_equal(FBadRglpszA(NULL, 1), TRUE);
    TEXT_HAS("FBadRglpszA");
    a[1] = NULL;
    REFUSED(fm_validate_strings_a(a, 2, "s"), INVALID);
    TEXT_HAS("string 1");
    for (size_t i = 0; i < COUNT(bad_utf8); i++) {
        a[1] = (char *)bad_utf8[i];
        assert_int_equal(FBadRglpszA(a, 2), TRUE);
    }
    REFUSED(fm_validate_strings_a(MISALIGNED(LPSTR, 4), 1, "s"), INVALID);

    LPWSTR w[2] = { good16, good16 };
    assert_int_equal(FBadRglpszW(w, 2), FALSE);
    assert_int_equal(FBadRglpszW(NULL, 3), TRUE);
    for (size_t i = 0; i < COUNT(bad_utf16); i++) {
        w[0] = bad_utf16[i];
        REFUSED(fm_validate_strings_w(w, 2, "s"), INVALID);
        TEXT_HAS("UTF-16");
    }
    w[0] = NULL;
    REFUSED(fm_validate_strings_w(w, 2, "s"), INVALID);
    w[0] = MISALIGNED(WCHAR, 1);
    REFUSED(fm_validate_strings_w(w, 1, "s"), INVALID);
}

static void name_id_arrays_check_guid_kind_and_name(void **state)
{
    static WCHAR name[] = { 'K', 'e', 'y', 0 };
    MAPINAMEID byid = { &guid, MNID_ID, { .lID = 0x8501 } };
    MAPINAMEID bystr = { &guid, MNID_STRING, { .lpwstrName = name } };
    LPMAPINAMEID names[2] = { &byid, &bystr };
    assert_int_equal(FBadRglpNameID(names, 2), FALSE);
    assert_int_equal(FBadRglpNameID(NULL, 0), FALSE);
    assert_int_equal(FBadRglpNameID(NULL, 2), TRUE);
    names[1] = NULL;
    REFUSED(fm_validate_name_ids(names, 2, "n"), INVALID);
    names[1] = MISALIGNED(MAPINAMEID, 4);
    REFUSED(fm_validate_name_ids(names, 2, "n"), INVALID);
    names[1] = &bystr;
    bystr.lpguid = NULL;
    REFUSED(fm_validate_name_ids(names, 2, "n"), INVALID);
    TEXT_HAS("lpguid");
    bystr.lpguid = MISALIGNED(GUID, 2);
    REFUSED(fm_validate_name_ids(names, 2, "n"), INVALID);
    bystr.lpguid = &guid;
    bystr.ulKind = 2;
    REFUSED(fm_validate_name_ids(names, 2, "n"), INVALID);
    TEXT_HAS("ulKind");
    bystr.ulKind = MNID_STRING;
    bystr.Kind.lpwstrName = NULL;
    REFUSED(fm_validate_name_ids(names, 2, "n"), INVALID);
    bystr.Kind.lpwstrName = lone_high;
    assert_int_equal(FBadRglpNameID(names, 2), TRUE);
}

/* ---- restrictions ------------------------------------------------------------------------ */

#define TAG_SUBJECT_A PROP_TAG(PT_STRING8, 0x0037)
#define TAG_SUBJECT_W PROP_TAG(PT_UNICODE, 0x0037)
#define TAG_FLAGS PROP_TAG(PT_LONG, 0x0E07)
#define TAG_KEYWORDS PROP_TAG(PT_MV_UNICODE, 0x8001)
#define SUB_RECIPIENTS PROP_TAG(PT_OBJECT, 0x0E12)
#define SUB_ATTACHMENTS PROP_TAG(PT_OBJECT, 0x0E13)

static SRestriction res_property(ULONG relop, ULONG tag, SPropValue *v)
{
    SRestriction r = { .rt = RES_PROPERTY };
    r.res.resProperty = (SPropertyRestriction){ relop, tag, v };
    return r;
}

static SRestriction res_content(ULONG fuzzy, ULONG tag, SPropValue *v)
{
    SRestriction r = { .rt = RES_CONTENT };
    r.res.resContent = (SContentRestriction){ fuzzy, tag, v };
    return r;
}

static void a_restriction_of_every_type_is_accepted(void **state)
{
    SPropValue w = good_value(PT_UNICODE), l = good_value(PT_LONG);
    w.ulPropTag = TAG_SUBJECT_W;
    l.ulPropTag = TAG_FLAGS;
    SRestriction leaf[10];
    leaf[0] = res_content(FL_SUBSTRING | FL_IGNORECASE | FL_IGNORENONSPACE | FL_LOOSE,
                          TAG_SUBJECT_W, &w);
    leaf[1] = res_property(RELOP_RE, TAG_SUBJECT_W, &w);
    leaf[2] = (SRestriction){ .rt = RES_COMPAREPROPS,
                              .res.resCompareProps = { RELOP_LT, TAG_FLAGS,
                                                       PROP_TAG(PT_LONG, 0x0E08) } };
    leaf[3] = (SRestriction){ .rt = RES_BITMASK,
                              .res.resBitMask = { BMR_NEZ, TAG_FLAGS, 0x4 } };
    leaf[4] = (SRestriction){ .rt = RES_SIZE,
                              .res.resSize = { RELOP_GE, TAG_SUBJECT_W, 10 } };
    leaf[5] = (SRestriction){ .rt = RES_EXIST, .res.resExist = { 0, TAG_KEYWORDS, 0 } };
    SRestriction inner = res_property(RELOP_EQ, TAG_FLAGS, &l);
    leaf[6] = (SRestriction){ .rt = RES_SUBRESTRICTION,
                              .res.resSub = { SUB_ATTACHMENTS, &inner } };
    leaf[7] = (SRestriction){ .rt = RES_COMMENT, .res.resComment = { 1, &inner, &l } };
    leaf[8] = (SRestriction){ .rt = RES_COUNT, .res.resCount = { 3, &inner } };
    leaf[9] = (SRestriction){ .rt = RES_ANNOTATION, .res.resAnnotation = { 1, &inner, &w } };
    SRestriction negated = { .rt = RES_NOT, .res.resNot = { 0, &leaf[0] } };
    SRestriction any = { .rt = RES_OR, .res.resOr = { 9, &leaf[1] } };
    SRestriction both[2] = { negated, any };
    SRestriction top = { .rt = RES_AND, .res.resAnd = { 2, both } };
    ACCEPTED(fm_validate_restriction(&top, "lpRestriction"));
    assert_int_equal(FBadRestriction(&top), FALSE);

    SRestriction empty_and = { .rt = RES_AND, .res.resAnd = { 0, NULL } };
    ACCEPTED(fm_validate_restriction(&empty_and, "r"));
    SRestriction bare_comment = { .rt = RES_COMMENT, .res.resComment = { 0, NULL, NULL } };
    ACCEPTED(fm_validate_restriction(&bare_comment, "r"));
    leaf[6].res.resSub.ulSubObject = SUB_RECIPIENTS;
    ACCEPTED(fm_validate_restriction(&leaf[6], "r"));
}

static void restriction_structure_faults_are_refused(void **state)
{
    SPropValue l = good_value(PT_LONG);
    l.ulPropTag = TAG_FLAGS;
    SRestriction ok = res_property(RELOP_EQ, TAG_FLAGS, &l);
    REFUSED(fm_validate_restriction(NULL, "lpRestriction"), INVALID);
    TEXT_HAS("lpRestriction");
    assert_int_equal(FBadRestriction(NULL), TRUE);
    REFUSED(fm_validate_restriction(MISALIGNED(SRestriction, 4), "r"), INVALID);

    SRestriction r = { .rt = 13 };
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    TEXT_HAS("not a restriction type");
    r = (SRestriction){ .rt = RES_AND, .res.resAnd = { 2, NULL } };
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    r = (SRestriction){ .rt = RES_OR, .res.resOr = { 1, MISALIGNED(SRestriction, 4) } };
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    r = (SRestriction){ .rt = RES_NOT, .res.resNot = { 0, NULL } };
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    r = (SRestriction){ .rt = RES_COUNT, .res.resCount = { 1, NULL } };
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    r = (SRestriction){ .rt = RES_SUBRESTRICTION, .res.resSub = { SUB_RECIPIENTS, NULL } };
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    r = (SRestriction){ .rt = RES_SUBRESTRICTION, .res.resSub = { TAG_FLAGS, &ok } };
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    TEXT_HAS("PR_MESSAGE_RECIPIENTS");
    r = (SRestriction){ .rt = RES_COMMENT, .res.resComment = { 2, &ok, NULL } };
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    TEXT_HAS("lpProp is NULL");
    SPropValue bad = good_value(PT_BOOLEAN);
    bad.Value.b = 3;
    r = (SRestriction){ .rt = RES_ANNOTATION, .res.resAnnotation = { 1, NULL, &bad } };
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    /* A bad child deep inside an AND is found. */
    SRestriction kids[2] = { ok, { .rt = 99 } };
    r = (SRestriction){ .rt = RES_AND, .res.resAnd = { 2, kids } };
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    TEXT_HAS("depth 2");
}

static void restriction_operators_and_fuzzy_levels_must_be_known(void **state)
{
    SPropValue l = good_value(PT_LONG), a = good_value(PT_STRING8);
    l.ulPropTag = TAG_FLAGS;
    a.ulPropTag = TAG_SUBJECT_A;
    SRestriction r = res_property(RELOP_RE + 1, TAG_FLAGS, &l);
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    TEXT_HAS("relop");
    r = (SRestriction){ .rt = RES_COMPAREPROPS,
                        .res.resCompareProps = { 77, TAG_FLAGS, TAG_FLAGS } };
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    r = (SRestriction){ .rt = RES_SIZE, .res.resSize = { 0xFFFFFFFF, TAG_FLAGS, 4 } };
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    r = (SRestriction){ .rt = RES_BITMASK, .res.resBitMask = { 2, TAG_FLAGS, 1 } };
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    TEXT_HAS("BMR_EQZ");
    r = res_content(FL_PREFIX + 1, TAG_SUBJECT_A, &a);
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    TEXT_HAS("ulFuzzyLevel");
    r = res_content(FL_FULLSTRING | 0x00080000, TAG_SUBJECT_A, &a);
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    r = res_content(FL_PREFIX | FL_LOOSE, TAG_SUBJECT_A, &a);
    ACCEPTED(fm_validate_restriction(&r, "r"));
}

static void restriction_operand_types_must_match(void **state)
{
    SPropValue w = good_value(PT_UNICODE), a = good_value(PT_STRING8), l = good_value(PT_LONG);
    SPropValue b = good_value(PT_BINARY);
    w.ulPropTag = TAG_SUBJECT_W;
    a.ulPropTag = TAG_SUBJECT_A;
    /* RES_CONTENT: string/binary only, types equal. */
    SRestriction r = res_content(FL_SUBSTRING, TAG_SUBJECT_W, &a);
    REFUSED(fm_validate_restriction(&r, "r"), COMPLEX);
    TEXT_HAS("does not match");
    r = res_content(FL_SUBSTRING, TAG_FLAGS, &l);
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    TEXT_HAS("string and binary");
    r = res_content(FL_SUBSTRING, PROP_TAG(PT_BINARY, 0x0FFF), &b);
    ACCEPTED(fm_validate_restriction(&r, "r"));
    r = res_content(FL_SUBSTRING, TAG_KEYWORDS, &w);
    ACCEPTED(fm_validate_restriction(&r, "r"));
    r = res_content(FL_SUBSTRING, TAG_SUBJECT_W, NULL);
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    /* RES_PROPERTY on a multivalued property: one base value or the MV type. */
    r = res_property(RELOP_EQ, TAG_KEYWORDS, &w);
    ACCEPTED(fm_validate_restriction(&r, "r"));
    SPropValue mv = good_value(PT_MV_UNICODE);
    r = res_property(RELOP_EQ, TAG_KEYWORDS, &mv);
    ACCEPTED(fm_validate_restriction(&r, "r"));
    r = res_property(RELOP_EQ, MVI_PROP(TAG_KEYWORDS), &w);
    ACCEPTED(fm_validate_restriction(&r, "r"));
    r = res_property(RELOP_EQ, MVI_PROP(TAG_KEYWORDS), &mv);
    REFUSED(fm_validate_restriction(&r, "r"), COMPLEX);
    r = res_property(RELOP_EQ, TAG_FLAGS, &w);
    REFUSED(fm_validate_restriction(&r, "r"), COMPLEX);
    assert_int_equal(FBadRestriction(&r), TRUE);
    /* Operands cannot be PT_ERROR, PT_OBJECT, PT_NULL or malformed. */
    SPropValue e = good_value(PT_ERROR);
    r = res_property(RELOP_EQ, PROP_TAG(PT_ERROR, 0x6601), &e);
    REFUSED(fm_validate_restriction(&r, "r"), BADTYPE);
    r = res_property(RELOP_EQ, TAG_FLAGS, &e);
    REFUSED(fm_validate_restriction(&r, "r"), BADTYPE);
    SPropValue o = good_value(PT_OBJECT);
    r = res_property(RELOP_EQ, PROP_TAG(PT_OBJECT, 0x3701), &o);
    REFUSED(fm_validate_restriction(&r, "r"), BADTYPE);
    a.Value.lpszA = (char *)bad_utf8[6];
    r = res_property(RELOP_EQ, TAG_SUBJECT_A, &a);
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    /* RES_COMPAREPROPS: equal types; RES_BITMASK: PT_LONG; RES_EXIST: valid tag. */
    r = (SRestriction){ .rt = RES_COMPAREPROPS,
                        .res.resCompareProps = { RELOP_EQ, TAG_SUBJECT_A, TAG_SUBJECT_W } };
    REFUSED(fm_validate_restriction(&r, "r"), COMPLEX);
    r = (SRestriction){ .rt = RES_BITMASK, .res.resBitMask = { BMR_EQZ, TAG_SUBJECT_W, 1 } };
    REFUSED(fm_validate_restriction(&r, "r"), INVALID);
    TEXT_HAS("PT_LONG");
    r = (SRestriction){ .rt = RES_EXIST, .res.resExist = { 0, PROP_TAG(0x0055, 1), 0 } };
    REFUSED(fm_validate_restriction(&r, "r"), BADTYPE);
    r = (SRestriction){ .rt = RES_SIZE, .res.resSize = { RELOP_LT, PROP_TAG(0x0055, 1), 1 } };
    REFUSED(fm_validate_restriction(&r, "r"), BADTYPE);
}

/* Chains built in a loop: chain[i] is a RES_NOT over chain[i + 1]. */
#define LONG_CHAIN 100000
static SRestriction chain[LONG_CHAIN + 1];

static SRestriction *build_chain(unsigned levels, ULONG rt)
{
    static SPropValue leaf_value;
    leaf_value = good_value(PT_LONG);
    SRestriction *top = &chain[LONG_CHAIN + 1 - levels];
    for (unsigned i = 0; i + 1 < levels; i++) {
        SRestriction *r = &top[i];
        r->rt = rt;
        if (rt == RES_NOT)
            r->res.resNot = (SNotRestriction){ 0, &top[i + 1] };
        else
            r->res.resAnd = (SAndRestriction){ 1, &top[i + 1] };
    }
    top[levels - 1] = res_property(RELOP_EQ, PROP_TAG(PT_LONG, 0x6601), &leaf_value);
    return top;
}

static void restrictions_nest_up_to_the_cap_and_not_one_level_more(void **state)
{
    assert_int_equal(FM_RESTRICTION_MAX_DEPTH, 256);
    SRestriction *r = build_chain(FM_RESTRICTION_MAX_DEPTH, RES_NOT);
    ACCEPTED(fm_validate_restriction(r, "r"));
    assert_int_equal(FBadRestriction(r), FALSE);
    r = build_chain(FM_RESTRICTION_MAX_DEPTH + 1, RES_NOT);
    REFUSED(fm_validate_restriction(r, "r"), COMPLEX);
    TEXT_HAS("nesting deeper than 256 levels");
    assert_int_equal(FBadRestriction(r), TRUE);
    r = build_chain(FM_RESTRICTION_MAX_DEPTH, RES_AND);
    ACCEPTED(fm_validate_restriction(r, "r"));
    r = build_chain(FM_RESTRICTION_MAX_DEPTH + 1, RES_AND);
    REFUSED(fm_validate_restriction(r, "r"), COMPLEX);
}

static void a_very_deep_restriction_is_refused_without_deep_recursion(void **state)
{
    SRestriction *r = build_chain(LONG_CHAIN + 1, RES_NOT);
    REFUSED(fm_validate_restriction(r, "r"), COMPLEX);
    TEXT_HAS("256");
}

/* ---- sort orders ------------------------------------------------------------------------- */

static void sort_order_sets_follow_the_categorization_rules(void **state)
{
    SizedSSortOrderSet(4, s) = { 4, 2, 1,
                                 { { TAG_SUBJECT_W, TABLE_SORT_ASCEND },
                                   { TAG_FLAGS, TABLE_SORT_COMBINE },
                                   { PROP_TAG(PT_SYSTIME, 0x0E06), TABLE_SORT_CATEG_MAX },
                                   { MVI_PROP(TAG_KEYWORDS), TABLE_SORT_DESCEND } } };
    LPSSortOrderSet p = (LPSSortOrderSet)&s;
    assert_int_equal(FBadSortOrderSet(p), FALSE);
    ACCEPTED(fm_validate_sort_order_set(p, "lpSortCriteria"));
    SizedSSortOrderSet(1, none) = { 0, 0, 0, { { 0, 0 } } };
    ACCEPTED(fm_validate_sort_order_set((LPSSortOrderSet)&none, "s"));

    assert_int_equal(FBadSortOrderSet(NULL), TRUE);
    REFUSED(fm_validate_sort_order_set(MISALIGNED(SSortOrderSet, 2), "s"), INVALID);
    s.cCategories = 5;
    REFUSED(fm_validate_sort_order_set(p, "s"), INVALID);
    TEXT_HAS("cCategories");
    s.cCategories = 2;
    s.cExpanded = 3;
    REFUSED(fm_validate_sort_order_set(p, "s"), INVALID);
    TEXT_HAS("cExpanded");
    s.cExpanded = 2;
    ACCEPTED(fm_validate_sort_order_set(p, "s"));

    s.aSort[0].ulOrder = TABLE_SORT_COMBINE;
    REFUSED(fm_validate_sort_order_set(p, "s"), INVALID);
    TEXT_HAS("TABLE_SORT_COMBINE");
    s.aSort[0].ulOrder = TABLE_SORT_DESCEND;
    s.aSort[3].ulOrder = TABLE_SORT_COMBINE; /* not a category */
    REFUSED(fm_validate_sort_order_set(p, "s"), INVALID);
    s.aSort[3].ulOrder = TABLE_SORT_CATEG_MIN; /* previous key is not a category */
    REFUSED(fm_validate_sort_order_set(p, "s"), INVALID);
    TEXT_HAS("CATEG");
    s.aSort[3].ulOrder = TABLE_SORT_ASCEND;
    s.aSort[0].ulOrder = TABLE_SORT_CATEG_MAX;
    REFUSED(fm_validate_sort_order_set(p, "s"), INVALID);
    s.aSort[0].ulOrder = 0x10;
    REFUSED(fm_validate_sort_order_set(p, "s"), INVALID);
    TEXT_HAS("not a sort order");
    s.aSort[0].ulOrder = TABLE_SORT_DESCEND | TABLE_SORT_COMBINE;
    REFUSED(fm_validate_sort_order_set(p, "s"), INVALID);
    s.aSort[0].ulOrder = TABLE_SORT_ASCEND;
    ACCEPTED(fm_validate_sort_order_set(p, "s"));
}

static void sort_keys_must_be_sortable_types(void **state)
{
    SizedSSortOrderSet(1, s) = { 1, 0, 0, { { TAG_KEYWORDS, TABLE_SORT_ASCEND } } };
    LPSSortOrderSet p = (LPSSortOrderSet)&s;
    REFUSED(fm_validate_sort_order_set(p, "s"), BADTYPE);
    TEXT_HAS("MV_INSTANCE");
    s.aSort[0].ulPropTag = PROP_TAG(PT_LONG | MV_INSTANCE, 1);
    REFUSED(fm_validate_sort_order_set(p, "s"), BADTYPE);
    const ULONG unsortable[] = { PT_ERROR, PT_OBJECT, PT_NULL, PT_UNSPECIFIED, 0x0042 };
    for (size_t i = 0; i < COUNT(unsortable); i++) {
        s.aSort[0].ulPropTag = PROP_TAG(unsortable[i], 0x0E07);
        REFUSED(fm_validate_sort_order_set(p, "s"), BADTYPE);
        assert_int_equal(FBadSortOrderSet(p), TRUE);
    }
    for (size_t i = 0; i < COUNT(single_types); i++) {
        ULONG t = single_types[i];
        if (t == PT_ERROR || t == PT_OBJECT || t == PT_NULL)
            continue;
        s.aSort[0].ulPropTag = PROP_TAG(t, 0x0E07);
        ACCEPTED(fm_validate_sort_order_set(p, "s"));
    }
}

/* ---- no allocation, ever --------------------------------------------------------------- */

static HRESULT validate_everything(void *ctx)
{
    SPropValue v = good_value(PT_MV_UNICODE);
    HRESULT hr = fm_validate_prop(&v, "v");
    SRestriction *r = build_chain(FM_RESTRICTION_MAX_DEPTH, RES_AND);
    if (hr == S_OK)
        hr = fm_validate_restriction(r, "r");
    SizedSPropTagArray(1, t) = { 1, { TAG_FLAGS } };
    if (hr == S_OK)
        hr = fm_validate_column_set((SPropTagArray *)&t, "c");
    /* Failing paths record text; that must not allocate either. */
    if (hr == S_OK && fm_validate_prop_tag(PROP_TAG(0x0099, 1), "t") == S_OK)
        hr = E_FAIL;
    return hr;
}

static void validators_never_allocate_even_under_injected_failure(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    assert_int_equal(fm_test_oom_sweep(validate_everything, NULL), 0);
    fm_test_assert_no_leak(&b);
}

#define T(f) cmocka_unit_test_setup_teardown(f, counters_take, counters_unchanged)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(exactly_the_documented_types_are_valid),
        T(prop_tags_of_every_type_are_accepted),
        T(prop_tags_with_unknown_types_or_bad_ids_are_refused),
        T(a_good_value_of_every_type_is_accepted),
        T(value_pointers_must_be_present_and_aligned),
        T(values_of_unknown_or_non_value_types_are_refused),
        T(booleans_must_be_true_or_false),
        T(string8_values_must_be_valid_utf8),
        T(unicode_values_must_be_valid_aligned_utf16),
        T(binary_and_clsid_values_need_their_pointers),
        T(every_mv_type_refuses_a_null_array_and_allows_an_empty_one),
        T(mv_arrays_must_be_aligned_for_their_elements),
        T(mv_string_and_binary_elements_are_checked_one_by_one),
        T(prop_arrays_report_the_bad_index),
        T(tag_arrays_check_every_tag),
        T(column_sets_follow_fbadcolumnset),
        T(rows_and_row_sets_check_every_value),
        T(rows_hold_one_base_value_for_mvi_columns),
        T(entry_lists_need_whole_entry_identifiers),
        T(string_arrays_check_presence_and_encoding),
        T(name_id_arrays_check_guid_kind_and_name),
        T(a_restriction_of_every_type_is_accepted),
        T(restriction_structure_faults_are_refused),
        T(restriction_operators_and_fuzzy_levels_must_be_known),
        T(restriction_operand_types_must_match),
        T(restrictions_nest_up_to_the_cap_and_not_one_level_more),
        T(a_very_deep_restriction_is_refused_without_deep_recursion),
        T(sort_order_sets_follow_the_categorization_rules),
        T(sort_keys_must_be_sortable_types),
        T(validators_never_allocate_even_under_injected_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
