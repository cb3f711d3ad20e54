/*
 * tests/restrict/test_compile_errors.c - what fmapi_restriction_compile
 * refuses, with which code and which text.
 */
#include "rtest.h"

static void null_arguments_and_unknown_flags(void **state)
{
    SRestriction e = r_exist(TAG(PT_LONG, 1));
    fmapi_restriction *r = (fmapi_restriction *)0x1;
    assert_int_equal(fmapi_restriction_compile(NULL, 0, &r), MAPI_E_INVALID_PARAMETER);
    assert_null(r);
    assert_int_equal(fmapi_restriction_compile(&e, 0, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_restriction_compile(&e, 0x10, &r), MAPI_E_UNKNOWN_FLAGS);
    assert_non_null(strstr(fmapi_last_error(), "flags"));
}

static void unknown_type_and_missing_children_are_malformed(void **state)
{
    SRestriction r = { .rt = 0x42 };
    assert_non_null(strstr(rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER), "rt"));
    r = r_and(NULL, 2);
    assert_non_null(strstr(rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER), "cRes"));
    r = r_or(NULL, 1);
    rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER);
    r = r_not(NULL);
    rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER);
}

static void errors_name_the_path_to_the_bad_node(void **state)
{
    SRestriction bad = { .rt = 0x77 };
    SRestriction kids[] = { r_exist(TAG(PT_LONG, 1)), r_not(&bad) };
    SRestriction r = r_and(kids, 2);
    const char *why = rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(why, "res.lpRes[1].lpRes"));
}

static void property_restriction_errors(void **state)
{
    SPropValue l = pv_long(1, 1), s = pv_str8(1, "x"), nul = pv_str8(1, NULL);
    SRestriction r = r_prop(RELOP_EQ, TAG(PT_LONG, 1), NULL);
    assert_non_null(strstr(rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER), "lpProp"));
    r = r_prop(17, TAG(PT_LONG, 1), &l);
    assert_non_null(strstr(rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER), "relational"));
    r = r_prop(0x64, TAG(PT_LONG, 1), &l); /* RELOP_MEMBER_OF_DL */
    rt_compile_fails(&r, MAPI_E_TOO_COMPLEX);
    r = r_prop(RELOP_EQ, TAG(PT_LONG, 1), &s);
    assert_non_null(strstr(rt_compile_fails(&r, MAPI_E_TOO_COMPLEX), "does not match"));
    r = r_prop(RELOP_EQ, TAG(PT_STRING8, 1), &nul);
    assert_non_null(strstr(rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER), "NULL"));
    SPropValue inv = pv_str8(1, "\xC0\x80");
    r = r_prop(RELOP_EQ, TAG(PT_STRING8, 1), &inv);
    assert_non_null(strstr(rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER), "UTF-8"));
    WCHAR lone[] = { 0xDC00, 0 };
    SPropValue winv = pv_wstr(1, lone);
    r = r_prop(RELOP_EQ, TAG(PT_UNICODE, 1), &winv);
    assert_non_null(strstr(rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER), "UTF-16"));
    SPropValue obj = { .ulPropTag = TAG(PT_OBJECT, 1) };
    r = r_prop(RELOP_EQ, TAG(PT_OBJECT, 1), &obj);
    rt_compile_fails(&r, MAPI_E_TOO_COMPLEX);
    SPropValue unk = { .ulPropTag = TAG(0x55, 1) };
    r = r_prop(RELOP_EQ, TAG(0x55, 1), &unk);
    rt_compile_fails(&r, MAPI_E_TOO_COMPLEX);
    r = r_prop(RELOP_EQ, TAG(PT_LONG | MV_INSTANCE, 1), &l);
    assert_non_null(strstr(rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER), "MV_INSTANCE"));
    LONG v[] = { 1 };
    SPropValue mv = pv_mvlong(1, v, 1);
    r = r_prop(RELOP_EQ, MVI_PROP(TAG(PT_LONG, 1)), &mv);
    rt_compile_fails(&r, MAPI_E_TOO_COMPLEX); /* MV_INSTANCE takes a single value */
    r = r_prop(RELOP_EQ, TAG(PT_LONG, 1), &mv);
    rt_compile_fails(&r, MAPI_E_TOO_COMPLEX);
    mv = pv_mvlong(1, NULL, 3);
    r = r_prop(RELOP_EQ, TAG(PT_MV_LONG, 1), &mv);
    rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER);
    SPropValue bin = pv_bin(1, NULL, 4);
    r = r_prop(RELOP_EQ, TAG(PT_BINARY, 1), &bin);
    rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER);
    SPropValue g = { .ulPropTag = TAG(PT_CLSID, 1) };
    r = r_prop(RELOP_EQ, TAG(PT_CLSID, 1), &g);
    rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER);
    char *strs[] = { "a", NULL };
    SPropValue mvs = pv_mvstr8(1, strs, 2);
    r = r_prop(RELOP_EQ, TAG(PT_MV_STRING8, 1), &mvs);
    rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER);
}

static void content_restriction_errors(void **state)
{
    SPropValue s = pv_str8(1, "x"), l = pv_long(1, 1), b = pv_bin(1, "x", 1);
    SRestriction r = r_content(FL_SUBSTRING, TAG(PT_LONG, 1), &l);
    assert_non_null(strstr(rt_compile_fails(&r, MAPI_E_TOO_COMPLEX), "RES_CONTENT"));
    r = r_content(FL_SUBSTRING, TAG(PT_STRING8, 1), &b);
    rt_compile_fails(&r, MAPI_E_TOO_COMPLEX);
    r = r_content(3, TAG(PT_STRING8, 1), &s);
    assert_non_null(strstr(rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER), "ulFuzzyLevel"));
    r = r_content(FL_SUBSTRING | 0x00100000, TAG(PT_STRING8, 1), &s);
    rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER);
    r = r_content(FL_SUBSTRING, TAG(PT_STRING8, 1), NULL);
    rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER);
    char *mv[] = { "x" };
    SPropValue m = pv_mvstr8(1, mv, 1);
    r = r_content(FL_SUBSTRING, TAG(PT_MV_STRING8, 1), &m);
    rt_compile_fails(&r, MAPI_E_TOO_COMPLEX); /* the search string is single */
}

static void every_scalar_type_compiles_in_a_property_restriction(void **state)
{
    static const ULONG types[] = { PT_NULL, PT_I2, PT_LONG, PT_R4, PT_DOUBLE, PT_CURRENCY,
                                   PT_APPTIME, PT_ERROR, PT_BOOLEAN, PT_I8, PT_SYSTIME };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        SPropValue v = { .ulPropTag = TAG(types[i], 1) };
        SRestriction res = r_prop(RELOP_GE, v.ulPropTag, &v);
        fmapi_restriction *r;
        assert_int_equal(fmapi_restriction_compile(&res, 0, &r), S_OK);
        fmapi_restriction_free(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_arguments_and_unknown_flags),
        cmocka_unit_test(unknown_type_and_missing_children_are_malformed),
        cmocka_unit_test(errors_name_the_path_to_the_bad_node),
        cmocka_unit_test(property_restriction_errors),
        cmocka_unit_test(content_restriction_errors),
        cmocka_unit_test(every_scalar_type_compiles_in_a_property_restriction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
