/*
 * tests/restrict/test_logic.c - RES_AND, RES_OR, RES_NOT, RES_COMMENT,
 * RES_ANNOTATION and RES_COUNT.
 */
#include "rtest.h"

static SPropValue row[] = { { .ulPropTag = PROP_TAG(PT_LONG, 1), .Value.l = 5 } };

static void and_or_not_follow_boolean_logic(void **state)
{
    SRestriction t = r_exist(TAG(PT_LONG, 1)), f = r_exist(TAG(PT_LONG, 2));
    SRestriction tt[] = { t, t }, tf[] = { t, f }, ff[] = { f, f };
    SRestriction r = r_and(tt, 2);
    assert_true(rt_eval(&r, 1, row));
    r = r_and(tf, 2);
    assert_false(rt_eval(&r, 1, row));
    r = r_or(tf, 2);
    assert_true(rt_eval(&r, 1, row));
    r = r_or(ff, 2);
    assert_false(rt_eval(&r, 1, row));
    r = r_not(&f);
    assert_true(rt_eval(&r, 1, row));
    r = r_not(&t);
    assert_false(rt_eval(&r, 1, row));
}

static void empty_and_is_true_empty_or_is_false(void **state)
{
    SRestriction r = r_and(NULL, 0);
    assert_true(rt_eval(&r, 1, row));
    r = r_or(NULL, 0);
    assert_false(rt_eval(&r, 1, row));
}

static void comment_and_annotation_stand_for_their_restriction(void **state)
{
    SPropValue note = pv_str8(0x8000, "named property: Keywords");
    SRestriction f = r_exist(TAG(PT_LONG, 2)), t = r_exist(TAG(PT_LONG, 1));
    SRestriction r = { .rt = RES_COMMENT };
    r.res.resComment.cValues = 1;
    r.res.resComment.lpProp = &note;
    r.res.resComment.lpRes = &f;
    assert_false(rt_eval(&r, 1, row));
    r.res.resComment.lpRes = &t;
    assert_true(rt_eval(&r, 1, row));
    r.res.resComment.lpRes = NULL;
    assert_true(rt_eval(&r, 1, row));
    SRestriction a = { .rt = RES_ANNOTATION };
    a.res.resAnnotation.cValues = 1;
    a.res.resAnnotation.lpProp = &note;
    a.res.resAnnotation.lpRes = &f;
    assert_false(rt_eval(&a, 1, row));
    a.res.resAnnotation.lpRes = NULL;
    assert_true(rt_eval(&a, 1, row));
    r.res.resComment.lpProp = NULL;
    rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER);
}

static void count_passes_only_the_first_matches_until_reset(void **state)
{
    SRestriction t = r_exist(TAG(PT_LONG, 1));
    SRestriction res = { .rt = RES_COUNT };
    res.res.resCount.ulCount = 2;
    res.res.resCount.lpRes = &t;
    fmapi_restriction *r;
    assert_int_equal(fmapi_restriction_compile(&res, 0, &r), S_OK);
    BOOL m;
    SPropValue other[] = { pv_long(9, 9) };
    assert_int_equal(fmapi_restriction_eval(r, 1, other, NULL, &m), S_OK);
    assert_false(m); /* a non-match does not use up the count */
    for (int i = 0; i < 2; i++) {
        assert_int_equal(fmapi_restriction_eval(r, 1, row, NULL, &m), S_OK);
        assert_true(m);
    }
    assert_int_equal(fmapi_restriction_eval(r, 1, row, NULL, &m), S_OK);
    assert_false(m);
    fmapi_restriction_reset(r);
    assert_int_equal(fmapi_restriction_eval(r, 1, row, NULL, &m), S_OK);
    assert_true(m);
    fmapi_restriction_reset(NULL);
    fmapi_restriction_free(r);
    res.res.resCount.lpRes = NULL;
    rt_compile_fails(&res, MAPI_E_INVALID_PARAMETER);
}

static void nested_logic_combines(void **state)
{
    SPropValue five = pv_long(1, 5), six = pv_long(1, 6);
    SRestriction eq5 = r_prop(RELOP_EQ, TAG(PT_LONG, 1), &five);
    SRestriction eq6 = r_prop(RELOP_EQ, TAG(PT_LONG, 1), &six);
    SRestriction not6 = r_not(&eq6);
    SRestriction both[] = { eq5, not6 };
    SRestriction and = r_and(both, 2);
    SRestriction alts[] = { eq6, and };
    SRestriction r = r_or(alts, 2);
    assert_true(rt_eval(&r, 1, row));
    SRestriction n = r_not(&r);
    assert_false(rt_eval(&n, 1, row));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(and_or_not_follow_boolean_logic),
        cmocka_unit_test(empty_and_is_true_empty_or_is_false),
        cmocka_unit_test(comment_and_annotation_stand_for_their_restriction),
        cmocka_unit_test(count_passes_only_the_first_matches_until_reset),
        cmocka_unit_test(nested_logic_combines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
