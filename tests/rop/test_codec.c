/*
 * tests/rop/test_codec.c - the ROP layer's codec ([MS-OXCDATA]): bounded
 * readers, property values of every type the codec carries, PropertyRows,
 * restrictions and sort orders, at the byte level and in round trips.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "fm_test.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapix.h"
#include "rop/rop_codec.h"
#include "rop/rop_int.h"
#include "rop/rop_props.h"

static int setup(void **state)
{
    (void)state;
    return MAPIInitialize(NULL) == S_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    MAPIUninitialize();
    return 0;
}

/* [MS-OXCDATA] 2.1: little-endian; a read past the end sets bad and
 * returns 0, and every later read fails too. */
static void a_reader_never_reads_past_its_buffer(void **state)
{
    static const uint8_t b[] = {0x34, 0x12, 0x78, 0x56, 0x34, 0x12, 0xAA};
    fm_rop_reader r;

    (void)state;
    fm_rop_reader_init(&r, b, sizeof(b));
    assert_int_equal(fm_rop_get_u16(&r), 0x1234);
    assert_int_equal(fm_rop_get_u32(&r), 0x12345678);
    assert_false(r.bad);
    assert_int_equal(fm_rop_get_u16(&r), 0);
    assert_true(r.bad);
    assert_int_equal(fm_rop_get_u8(&r), 0);
    assert_null(fm_rop_get_bytes(&r, 0));
    assert_int_equal(fm_rop_reader_left(&r), 0);
}

/* Encodes v as its tag's type, decodes it again, compares bytes. */
static void round_trip(const SPropValue *v, const uint8_t *expect, size_t expect_len)
{
    fm_rop_writer w = {0}, again = {0};
    fm_rop_reader r;
    LPSPropValue back = NULL;
    size_t n;

    fm_rop_put_value(&w, v->ulPropTag, v);
    assert_false(w.oom);
    if (expect) {
        assert_int_equal(w.len, expect_len);
        assert_memory_equal(w.buf, expect, expect_len);
    }
    assert_int_equal(MAPIAllocateBuffer(sizeof(SPropValue), (void **)&back), S_OK);
    fm_rop_reader_init(&r, w.buf, w.len);
    assert_int_equal(fm_rop_get_value(&r, v->ulPropTag, back, back), S_OK);
    assert_false(r.bad);
    assert_int_equal(fm_rop_reader_left(&r), 0);
    fm_rop_put_value(&again, back->ulPropTag, back);
    assert_int_equal(again.len, w.len);
    assert_memory_equal(again.buf, w.buf, w.len);
    /* every cut of the value is refused, never read past */
    for (n = 0; n < w.len; n++) {
        LPSPropValue cut = NULL;
        assert_int_equal(MAPIAllocateBuffer(sizeof(SPropValue), (void **)&cut), S_OK);
        fm_rop_reader_init(&r, w.buf, n);
        assert_int_equal(fm_rop_get_value(&r, v->ulPropTag, cut, cut), S_OK);
        assert_true(r.bad || PROP_TYPE(v->ulPropTag) == PT_NULL);
        MAPIFreeBuffer(cut);
    }
    MAPIFreeBuffer(back);
    fm_rop_writer_clear(&w);
    fm_rop_writer_clear(&again);
}

/* [MS-OXCDATA] 2.11.1: PtypInteger16 2 bytes, PtypInteger32 4, PtypBoolean
 * 1, PtypInteger64/PtypTime 8, PtypGuid 16, PtypString UTF-16LE with the
 * NUL, PtypString8 with the NUL, PtypBinary a 16-bit count (2.11.1.1, ROP
 * buffers), PtypMultiple* a 32-bit count. */
static void property_values_have_the_wire_forms_of_MS_OXCDATA(void **state)
{
    SPropValue v;
    static const WCHAR hi[] = {'h', 'i', 0};
    static BYTE bin[] = {1, 2, 3};
    static LONG longs[] = {1, -1};
    static char *strs[] = {"a", ""};
    GUID g = {0x01020304, 0x0506, 0x0708, {9, 10, 11, 12, 13, 14, 15, 16}};

    (void)state;
    v.ulPropTag = PROP_TAG(PT_I2, 1); v.Value.i = -2;
    round_trip(&v, (const uint8_t *)"\xFE\xFF", 2);
    v.ulPropTag = PROP_TAG(PT_LONG, 1); v.Value.l = 0x01020304;
    round_trip(&v, (const uint8_t *)"\x04\x03\x02\x01", 4);
    v.ulPropTag = PROP_TAG(PT_BOOLEAN, 1); v.Value.b = 1;
    round_trip(&v, (const uint8_t *)"\x01", 1);
    v.ulPropTag = PROP_TAG(PT_I8, 1); v.Value.li.QuadPart = 0x0102030405060708LL;
    round_trip(&v, (const uint8_t *)"\x08\x07\x06\x05\x04\x03\x02\x01", 8);
    v.ulPropTag = PROP_TAG(PT_SYSTIME, 1);
    v.Value.ft.dwLowDateTime = 0x04030201; v.Value.ft.dwHighDateTime = 0x08070605;
    round_trip(&v, (const uint8_t *)"\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    v.ulPropTag = PROP_TAG(PT_DOUBLE, 1); v.Value.dbl = 1.5;
    round_trip(&v, NULL, 0);
    v.ulPropTag = PROP_TAG(PT_R4, 1); v.Value.flt = 2.5f;
    round_trip(&v, NULL, 0);
    v.ulPropTag = PROP_TAG(PT_CURRENCY, 1); v.Value.cur.int64 = 12345;
    round_trip(&v, NULL, 0);
    v.ulPropTag = PROP_TAG(PT_APPTIME, 1); v.Value.at = 3.25;
    round_trip(&v, NULL, 0);
    v.ulPropTag = PROP_TAG(PT_ERROR, 1); v.Value.err = MAPI_E_NOT_FOUND;
    round_trip(&v, (const uint8_t *)"\x0F\x01\x04\x80", 4);
    v.ulPropTag = PROP_TAG(PT_CLSID, 1); v.Value.lpguid = &g;
    round_trip(&v, (const uint8_t *)"\x04\x03\x02\x01\x06\x05\x08\x07\x09\x0A\x0B\x0C\x0D\x0E\x0F\x10",
               16);
    v.ulPropTag = PROP_TAG(PT_UNICODE, 1); v.Value.lpszW = (LPWSTR)hi;
    round_trip(&v, (const uint8_t *)"h\0i\0\0\0", 6);
    v.ulPropTag = PROP_TAG(PT_STRING8, 1); v.Value.lpszA = "hi";
    round_trip(&v, (const uint8_t *)"hi\0", 3);
    v.ulPropTag = PROP_TAG(PT_BINARY, 1); v.Value.bin.cb = 3; v.Value.bin.lpb = bin;
    round_trip(&v, (const uint8_t *)"\x03\x00\x01\x02\x03", 5);
    v.ulPropTag = PROP_TAG(PT_MV_LONG, 1); v.Value.MVl.cValues = 2; v.Value.MVl.lpl = longs;
    round_trip(&v, (const uint8_t *)"\x02\x00\x00\x00\x01\x00\x00\x00\xFF\xFF\xFF\xFF", 12);
    v.ulPropTag = PROP_TAG(PT_MV_STRING8, 1); v.Value.MVszA.cValues = 2;
    v.Value.MVszA.lppszA = strs;
    round_trip(&v, (const uint8_t *)"\x02\x00\x00\x00" "a\0\0", 7);
    v.ulPropTag = PROP_TAG(PT_MV_BINARY, 1); v.Value.MVbin.cValues = 1;
    v.Value.MVbin.lpbin = &v.Value.bin; /* overwritten below */
    {
        SBinary one = {3, bin};
        v.Value.MVbin.lpbin = &one;
        round_trip(&v, (const uint8_t *)"\x01\x00\x00\x00\x03\x00\x01\x02\x03", 9);
    }
}

/* A multivalue count beyond the bytes left is refused before allocating. */
static void a_huge_multivalue_count_is_refused(void **state)
{
    static const uint8_t b[] = {0xFF, 0xFF, 0xFF, 0x7F, 0x01};
    LPSPropValue v = NULL;
    fm_rop_reader r;

    (void)state;
    assert_int_equal(MAPIAllocateBuffer(sizeof(SPropValue), (void **)&v), S_OK);
    fm_rop_reader_init(&r, b, sizeof(b));
    assert_int_equal(fm_rop_get_value(&r, PROP_TAG(PT_MV_BINARY, 1), v, v), S_OK);
    assert_true(r.bad);
    MAPIFreeBuffer(v);
}

/* [MS-OXCDATA] 2.8.1: a StandardPropertyRow (0x00 + values) when all are
 * there; a FlaggedPropertyRow (0x01) with 0x00 + value, 0x01 for a missing
 * value, 0x0A + PtypErrorCode for an error. */
static void property_rows_are_standard_or_flagged(void **state)
{
    SizedSPropTagArray(2, cols) = {2, {PR_MESSAGE_FLAGS, PR_SUBJECT_A}};
    SPropValue vals[2];
    fm_rop_writer w = {0};

    (void)state;
    vals[0].ulPropTag = PR_MESSAGE_FLAGS;
    vals[0].Value.l = 1;
    vals[1].ulPropTag = PR_SUBJECT_A;
    vals[1].Value.lpszA = "x";
    fm_rop_put_row(&w, (LPSPropTagArray)&cols, vals);
    assert_int_equal(w.len, 1 + 4 + 2);
    assert_memory_equal(w.buf, "\x00\x01\x00\x00\x00x\0", 7);
    w.len = 0;
    vals[1].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(PR_SUBJECT_A));
    vals[1].Value.err = MAPI_E_NOT_FOUND;
    fm_rop_put_row(&w, (LPSPropTagArray)&cols, vals);
    assert_int_equal(w.len, 1 + 5 + 1);
    assert_memory_equal(w.buf, "\x01\x00\x01\x00\x00\x00\x01", 7);
    w.len = 0;
    vals[1].Value.err = MAPI_E_NOT_ENOUGH_MEMORY;
    fm_rop_put_row(&w, (LPSPropTagArray)&cols, vals);
    assert_int_equal(w.len, 1 + 5 + 5);
    assert_memory_equal(w.buf + 6, "\x0A\x0E\x00\x07\x80", 5);
    fm_rop_writer_clear(&w);
}

/* [MS-OXCDATA] 2.12: And(Property(RELOP_EQ, PR_MESSAGE_FLAGS, 1),
 * Exist(PR_SUBJECT_A)), Not(Content(FL_SUBSTRING|FL_IGNORECASE, "ab")). */
static void restrictions_decode_into_SRestriction(void **state)
{
    static const uint8_t b[] = {
        0x01, 0x02, 0x00,                                     /* Or, 2 */
        0x00, 0x02, 0x00,                                     /* And, 2 */
        0x04, 0x04, 0x03, 0x00, 0x07, 0x0E,                   /* Property EQ PR_MESSAGE_FLAGS */
        0x03, 0x00, 0x07, 0x0E, 0x01, 0x00, 0x00, 0x00,       /* = 1 */
        0x08, 0x1E, 0x00, 0x37, 0x00,                         /* Exist PR_SUBJECT_A */
        0x02, 0x03, 0x01, 0x00, 0x01, 0x00,                   /* Not Content low 1 high 1 */
        0x1E, 0x00, 0x37, 0x00, 0x1E, 0x00, 0x37, 0x00, 'a', 'b', 0x00};
    LPSRestriction res = NULL;
    fm_rop_reader r;
    size_t n;

    (void)state;
    fm_rop_reader_init(&r, b, sizeof(b));
    assert_int_equal(fm_rop_get_restriction(&r, &res), S_OK);
    assert_non_null(res);
    assert_int_equal(fm_rop_reader_left(&r), 0);
    assert_int_equal(res->rt, RES_OR);
    assert_int_equal(res->res.resOr.cRes, 2);
    assert_int_equal(res->res.resOr.lpRes[0].rt, RES_AND);
    assert_int_equal(res->res.resOr.lpRes[0].res.resAnd.lpRes[0].res.resProperty.relop, RELOP_EQ);
    assert_int_equal(res->res.resOr.lpRes[0].res.resAnd.lpRes[0].res.resProperty.lpProp->Value.l, 1);
    assert_int_equal(res->res.resOr.lpRes[0].res.resAnd.lpRes[1].res.resExist.ulPropTag,
                     PR_SUBJECT_A);
    assert_int_equal(res->res.resOr.lpRes[1].rt, RES_NOT);
    assert_int_equal(res->res.resOr.lpRes[1].res.resNot.lpRes->res.resContent.ulFuzzyLevel,
                     0x00010001);
    assert_string_equal(res->res.resOr.lpRes[1].res.resNot.lpRes->res.resContent.lpProp->Value.lpszA,
                        "ab");
    MAPIFreeBuffer(res);
    for (n = 0; n < sizeof(b); n++) { /* every cut is refused */
        fm_rop_reader_init(&r, b, n);
        assert_int_equal(fm_rop_get_restriction(&r, &res), S_OK);
        assert_null(res);
    }
}

/* Nesting beyond the bound (Not of Not of ...) is refused, not recursed. */
static void deeply_nested_restrictions_are_refused(void **state)
{
    uint8_t b[1000];
    LPSRestriction res = NULL;
    fm_rop_reader r;

    (void)state;
    memset(b, 0x02, sizeof(b));
    fm_rop_reader_init(&r, b, sizeof(b));
    assert_int_equal(fm_rop_get_restriction(&r, &res), S_OK);
    assert_null(res);
    assert_true(r.bad);
}

/* [MS-OXCDATA] 2.13.1 SortOrder: PropertyType (2), PropertyId (2), Order. */
static void sort_orders_decode_into_SSortOrderSet(void **state)
{
    static const uint8_t b[] = {0x02, 0x00, 0x01, 0x00, 0x00, 0x00,
                                0x1F, 0x00, 0x37, 0x00, 0x04, 0x40, 0x00, 0x06, 0x0E, 0x01};
    LPSSortOrderSet s = NULL;
    fm_rop_reader r;

    (void)state;
    fm_rop_reader_init(&r, b, sizeof(b));
    assert_int_equal(fm_rop_get_sort_orders(&r, &s), S_OK);
    assert_non_null(s);
    assert_int_equal(s->cSorts, 2);
    assert_int_equal(s->cCategories, 1);
    assert_int_equal(s->aSort[0].ulPropTag, PR_SUBJECT_W);
    assert_int_equal(s->aSort[0].ulOrder, TABLE_SORT_CATEG_MAX);
    assert_int_equal(s->aSort[1].ulPropTag, PR_MESSAGE_DELIVERY_TIME);
    assert_int_equal(s->aSort[1].ulOrder, TABLE_SORT_DESCEND);
    MAPIFreeBuffer(s);
    fm_rop_reader_init(&r, b, sizeof(b) - 1);
    assert_int_equal(fm_rop_get_sort_orders(&r, &s), S_OK);
    assert_null(s);
}

/* FIDs and MIDs ([MS-OXCDATA] 2.2.1.1): ReplicaId 1 in the low 16 bits,
 * the store id above; anything else names nothing. */
static void folder_ids_carry_replica_one_and_the_store_id(void **state)
{
    uint64_t id = 0;

    (void)state;
    assert_int_equal(fm_rop_id_make(0x123456), 0x1234560001ull);
    assert_true(fm_rop_id_parse(0x1234560001ull, &id));
    assert_int_equal(id, 0x123456);
    assert_false(fm_rop_id_parse(0x1234560002ull, &id));
    assert_false(fm_rop_id_parse(0x0001ull, &id));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_reader_never_reads_past_its_buffer),
        cmocka_unit_test(property_values_have_the_wire_forms_of_MS_OXCDATA),
        cmocka_unit_test(a_huge_multivalue_count_is_refused),
        cmocka_unit_test(property_rows_are_standard_or_flagged),
        cmocka_unit_test(restrictions_decode_into_SRestriction),
        cmocka_unit_test(deeply_nested_restrictions_are_refused),
        cmocka_unit_test(sort_orders_decode_into_SSortOrderSet),
        cmocka_unit_test(folder_ids_carry_replica_one_and_the_store_id),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
