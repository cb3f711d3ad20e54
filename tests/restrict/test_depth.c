/*
 * tests/restrict/test_depth.c - nesting exactly FM_RESTRICTION_MAX_DEPTH
 * levels compiles and evaluates; one more is MAPI_E_TOO_COMPLEX naming the
 * cap, whatever the nesting node type.
 */
#include "core/limits.h"
#include "rtest.h"

static SRestriction chain[FM_RESTRICTION_MAX_DEPTH + 2];

/* levels nodes in total: levels-1 wrappers of type rt around an exist. */
static SRestriction *build(ULONG levels, ULONG rt)
{
    chain[levels - 1] = r_exist(TAG(PT_LONG, 1));
    for (ULONG i = levels - 1; i-- > 0;) {
        SRestriction *kid = &chain[i + 1];
        chain[i] = (SRestriction){ .rt = rt };
        if (rt == RES_NOT)
            chain[i].res.resNot.lpRes = kid;
        else if (rt == RES_AND)
            chain[i] = r_and(kid, 1);
        else if (rt == RES_COMMENT)
            chain[i].res.resComment.lpRes = kid;
        else
            chain[i] = r_sub(PR_MESSAGE_RECIPIENTS, kid);
    }
    return &chain[0];
}

static void nesting_at_the_cap_compiles_and_evaluates(void **state)
{
    SPropValue row[] = { pv_long(1, 1) };
    /* 255 NOTs around a TRUE leaf: odd, so FALSE */
    assert_false(rt_eval(build(FM_RESTRICTION_MAX_DEPTH, RES_NOT), 1, row));
    assert_true(rt_eval(build(FM_RESTRICTION_MAX_DEPTH, RES_AND), 1, row));
    assert_true(rt_eval(build(FM_RESTRICTION_MAX_DEPTH, RES_COMMENT), 1, row));
}

static void one_level_over_the_cap_is_too_complex(void **state)
{
    static const ULONG kinds[] = { RES_NOT, RES_AND, RES_COMMENT, RES_SUBRESTRICTION };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        fm_test_baseline b;
        fm_test_baseline_take(&b);
        const char *why = rt_compile_fails(build(FM_RESTRICTION_MAX_DEPTH + 1, kinds[i]),
                                           MAPI_E_TOO_COMPLEX);
        assert_non_null(strstr(why, "256"));
        assert_non_null(strstr(why, "FM_RESTRICTION_MAX_DEPTH"));
        fm_test_assert_no_leak(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nesting_at_the_cap_compiles_and_evaluates),
        cmocka_unit_test(one_level_over_the_cap_is_too_complex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
