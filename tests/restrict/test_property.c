/*
 * tests/restrict/test_property.c - RES_PROPERTY: every relop over every
 * comparable type, string widths mixed, multi-valued semantics.
 */
#include "rtest.h"

static BOOL prop(ULONG relop, SPropValue rowval, SPropValue constant)
{
    SRestriction r = r_prop(relop, rowval.ulPropTag, &constant);
    return rt_eval(&r, 1, &rowval);
}

static void every_relop_on_every_scalar_type(void **state)
{
    GUID g1 = { 1, 0, 0, { 0 } }, g2 = { 2, 0, 0, { 0 } };
    SPropValue lo[13], hi[13];
    lo[0] = pv_i2(1, -3); hi[0] = pv_i2(1, 4);
    lo[1] = pv_long(1, -3); hi[1] = pv_long(1, 4);
    lo[2] = (SPropValue){ .ulPropTag = TAG(PT_R4, 1), .Value.flt = 1.0f };
    hi[2] = (SPropValue){ .ulPropTag = TAG(PT_R4, 1), .Value.flt = 2.0f };
    lo[3] = pv_double(1, -0.5); hi[3] = pv_double(1, 0.5);
    lo[4] = (SPropValue){ .ulPropTag = TAG(PT_CURRENCY, 1), .Value.cur.int64 = -1 };
    hi[4] = (SPropValue){ .ulPropTag = TAG(PT_CURRENCY, 1), .Value.cur.int64 = 1 };
    lo[5] = (SPropValue){ .ulPropTag = TAG(PT_APPTIME, 1), .Value.at = 1 };
    hi[5] = (SPropValue){ .ulPropTag = TAG(PT_APPTIME, 1), .Value.at = 2 };
    lo[6] = pv_bool(1, 0); hi[6] = pv_bool(1, 1);
    lo[7] = pv_i8(1, -5); hi[7] = pv_i8(1, 5);
    lo[8] = pv_str8(1, "apple"); hi[8] = pv_str8(1, "apples");
    lo[9] = pv_wstr(1, u"\u00E9"); hi[9] = pv_wstr(1, u"\U0001F600");
    lo[10] = pv_systime(1, 1); hi[10] = pv_systime(1, 0x8000000000000000ull);
    lo[11] = (SPropValue){ .ulPropTag = TAG(PT_CLSID, 1), .Value.lpguid = &g1 };
    hi[11] = (SPropValue){ .ulPropTag = TAG(PT_CLSID, 1), .Value.lpguid = &g2 };
    lo[12] = pv_bin(1, "\xFF", 1); hi[12] = pv_bin(1, "\x00\x00", 2);
    for (int i = 0; i < 13; i++) {
        assert_true(prop(RELOP_LT, lo[i], hi[i]));
        assert_false(prop(RELOP_LT, hi[i], lo[i]));
        assert_true(prop(RELOP_LE, lo[i], lo[i]));
        assert_true(prop(RELOP_GT, hi[i], lo[i]));
        assert_false(prop(RELOP_GT, lo[i], lo[i]));
        assert_true(prop(RELOP_GE, hi[i], hi[i]));
        assert_true(prop(RELOP_EQ, hi[i], hi[i]));
        assert_false(prop(RELOP_EQ, lo[i], hi[i]));
        assert_true(prop(RELOP_NE, lo[i], hi[i]));
        assert_false(prop(RELOP_NE, lo[i], lo[i]));
    }
}

static void null_and_error_constants_compile_and_never_match_absent_values(void **state)
{
    SPropValue nul = { .ulPropTag = TAG(PT_NULL, 1) };
    assert_true(prop(RELOP_EQ, nul, nul));
    SPropValue err = pv_error(2, MAPI_E_NOT_FOUND);
    SRestriction r = r_prop(RELOP_EQ, err.ulPropTag, &err);
    assert_false(rt_eval(&r, 1, &err)); /* PT_ERROR in a row counts as absent */
}

static void strings_compare_case_sensitively_across_widths(void **state)
{
    SPropValue c = pv_wstr(0x37, u"Hello");
    SPropValue row[] = { pv_str8(0x37, "Hello") };
    SRestriction r = r_prop(RELOP_EQ, TAG(PT_UNICODE, 0x37), &c);
    assert_true(rt_eval(&r, 1, row));
    SPropValue c2 = pv_str8(0x37, "hello");
    r = r_prop(RELOP_EQ, TAG(PT_STRING8, 0x37), &c2);
    assert_false(rt_eval(&r, 1, row));
    r = r_prop(RELOP_LT, TAG(PT_STRING8, 0x37), &c2); /* 'H' < 'h' */
    assert_true(rt_eval(&r, 1, row));
}

static void plain_mv_tag_with_single_value_compares_any_value(void **state)
{
    LONG v[] = { 10, 20, 30 };
    SPropValue row[] = { pv_mvlong(0x8000, v, 3) };
    ULONG tag = TAG(PT_MV_LONG, 0x8000);
    SPropValue c = pv_long(0x8000, 20);
    SRestriction r = r_prop(RELOP_EQ, tag, &c);
    assert_true(rt_eval(&r, 1, row));
    c.Value.l = 25;
    assert_false(rt_eval(&r, 1, row));
    r = r_prop(RELOP_GT, tag, &c);
    assert_true(rt_eval(&r, 1, row));
    c.Value.l = 30;
    assert_false(rt_eval(&r, 1, row));
    r = r_prop(RELOP_NE, tag, &c); /* 10 differs */
    assert_true(rt_eval(&r, 1, row));
    SPropValue empty[] = { pv_mvlong(0x8000, NULL, 0) };
    assert_false(rt_eval(&r, 1, empty));
}

static void mv_instance_tag_compares_each_instance_or_expanded_value(void **state)
{
    char *s[] = { "red", "Green" };
    SPropValue row[] = { pv_mvstr8(0x8001, s, 2) };
    SPropValue c = pv_wstr(0x8001, u"Green");
    SRestriction r = r_prop(RELOP_EQ, MVI_PROP(TAG(PT_STRING8, 0x8001)), &c);
    assert_true(rt_eval(&r, 1, row));
    /* a row of an expanded table holds the single instance value */
    SPropValue inst[] = { pv_str8(0x8001, "Green") };
    inst[0].ulPropTag = MVI_PROP(TAG(PT_STRING8, 0x8001));
    assert_true(rt_eval(&r, 1, inst));
    inst[0].ulPropTag = TAG(PT_STRING8, 0x8001);
    assert_true(rt_eval(&r, 1, inst));
}

static void mv_constant_compares_whole_arrays(void **state)
{
    LONG row_v[] = { 1, 2 }, same[] = { 1, 2 }, longer[] = { 1, 2, 0 };
    SPropValue row[] = { pv_mvlong(0x8000, row_v, 2) };
    SPropValue c = pv_mvlong(0x8000, same, 2);
    SRestriction r = r_prop(RELOP_EQ, TAG(PT_MV_LONG, 0x8000), &c);
    assert_true(rt_eval(&r, 1, row));
    c = pv_mvlong(0x8000, longer, 3);
    assert_false(rt_eval(&r, 1, row));
    r = r_prop(RELOP_LT, TAG(PT_MV_LONG, 0x8000), &c);
    assert_true(rt_eval(&r, 1, row));
}

static void missing_property_fails_every_relop(void **state)
{
    SPropValue row[] = { pv_long(1, 5) };
    SPropValue c = pv_long(2, 5);
    for (ULONG op = RELOP_LT; op <= RELOP_NE; op++) {
        SRestriction r = r_prop(op, TAG(PT_LONG, 2), &c);
        assert_false(rt_eval(&r, 1, row));
        SRestriction n = r_not(&r);
        assert_true(rt_eval(&n, 1, row));
    }
    /* same id, other type: not the property asked for */
    SRestriction r = r_prop(RELOP_EQ, TAG(PT_LONG, 1), &c);
    SPropValue other[] = { pv_i2(1, 5) };
    assert_false(rt_eval(&r, 1, other));
}

static void constant_is_copied_so_the_caller_may_free_it(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    char buf[16] = "volatile";
    SPropValue c = pv_str8(0x37, buf);
    SRestriction res = r_prop(RELOP_EQ, TAG(PT_STRING8, 0x37), &c);
    fmapi_restriction *r;
    assert_int_equal(fmapi_restriction_compile(&res, 0, &r), S_OK);
    memset(buf, 'x', sizeof buf - 1);
    c.Value.lpszA = NULL;
    SPropValue row[] = { pv_str8(0x37, "volatile") };
    BOOL m = FALSE;
    assert_int_equal(fmapi_restriction_eval(r, 1, row, NULL, &m), S_OK);
    assert_true(m);
    fmapi_restriction_free(r);
    fm_test_assert_no_leak(&b);
}

static void eval_rejects_bad_arguments(void **state)
{
    SPropValue c = pv_long(1, 1);
    SRestriction res = r_prop(RELOP_EQ, TAG(PT_LONG, 1), &c);
    fmapi_restriction *r;
    assert_int_equal(fmapi_restriction_compile(&res, 0, &r), S_OK);
    BOOL m = TRUE;
    assert_int_equal(fmapi_restriction_eval(r, 3, NULL, NULL, &m), MAPI_E_INVALID_PARAMETER);
    assert_false(m);
    assert_int_equal(fmapi_restriction_eval(NULL, 0, NULL, NULL, &m), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_restriction_eval(r, 0, NULL, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_restriction_eval(r, 0, NULL, NULL, &m), S_OK);
    assert_false(m);
    fmapi_restriction_free(r);
    fmapi_restriction_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_relop_on_every_scalar_type),
        cmocka_unit_test(null_and_error_constants_compile_and_never_match_absent_values),
        cmocka_unit_test(strings_compare_case_sensitively_across_widths),
        cmocka_unit_test(plain_mv_tag_with_single_value_compares_any_value),
        cmocka_unit_test(mv_instance_tag_compares_each_instance_or_expanded_value),
        cmocka_unit_test(mv_constant_compares_whole_arrays),
        cmocka_unit_test(missing_property_fails_every_relop),
        cmocka_unit_test(constant_is_copied_so_the_caller_may_free_it),
        cmocka_unit_test(eval_rejects_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
