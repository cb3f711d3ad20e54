/*
 * tests/restrict/test_oom.c - out-of-memory sweeps over compiling (every
 * node type, regex, folded and copied constants) and over evaluating rows
 * whose long strings need heap folding.
 */
#include "rtest.h"

static HRESULT compile_body(void *ctx)
{
    fmapi_restriction *r = NULL;
    HRESULT hr = fmapi_restriction_compile(ctx, 0, &r);
    fmapi_restriction_free(r);
    return hr;
}

static void compiling_every_node_type_survives_allocation_failure(void **state)
{
    static char long_needle[600];
    memset(long_needle, 'n', sizeof long_needle - 1);
    SPropValue s = pv_str8(0x37, "Stra\xC3\x9F" "e"), w = pv_wstr(0x37, u"\u00C9lan");
    SPropValue big = pv_str8(0x37, long_needle), pat = pv_wstr(0x37, u"^R[eE]:\\s+\\w+");
    char *mvs[] = { "a", "bb" };
    SPropValue mv = pv_mvstr8(0x8000, mvs, 2), bin = pv_bin(5, "abc", 3);
    GUID g = { 1, 2, 3, { 4 } };
    SPropValue guid = { .ulPropTag = TAG(PT_CLSID, 6), .Value.lpguid = &g };
    SPropValue note = pv_str8(0x8001, "comment");
    SRestriction leaves[] = {
        r_content(FL_SUBSTRING | FL_IGNORECASE, TAG(PT_UNICODE, 0x37), &s),
        r_content(FL_PREFIX | FL_LOOSE, TAG(PT_STRING8, 0x37), &w),
        r_content(FL_SUBSTRING, TAG(PT_STRING8, 0x37), &big),
        r_content(FL_SUBSTRING, TAG(PT_BINARY, 5), &bin),
        r_prop(RELOP_RE, TAG(PT_STRING8, 0x37), &pat),
        r_prop(RELOP_EQ, TAG(PT_MV_STRING8, 0x8000), &mv),
        r_prop(RELOP_EQ, TAG(PT_CLSID, 6), &guid),
        r_cmpprops(RELOP_LT, TAG(PT_LONG, 1), TAG(PT_LONG, 2)),
        r_bitmask(BMR_NEZ, TAG(PT_LONG, 3), 4),
        r_size(RELOP_GT, TAG(PT_BINARY, 5), 1),
        r_exist(TAG(PT_LONG, 1)),
    };
    SRestriction and = r_and(leaves, NROWS(leaves));
    SRestriction sub = r_sub(PR_MESSAGE_ATTACHMENTS, &and);
    SRestriction comment = { .rt = RES_COMMENT };
    comment.res.resComment.cValues = 1;
    comment.res.resComment.lpProp = &note;
    comment.res.resComment.lpRes = &sub;
    SRestriction count = { .rt = RES_COUNT };
    count.res.resCount.ulCount = 3;
    count.res.resCount.lpRes = &comment;
    SRestriction not = r_not(&count);
    SRestriction top[] = { not, and };
    SRestriction or = r_or(top, 2);
    unsigned points = fm_test_oom_sweep(compile_body, &or);
    assert_true(points > 20);
}

typedef struct eval_case {
    const SRestriction *res;
    const SPropValue *row;
    ULONG c;
} eval_case;

/* Compiles afresh each time so that the pattern's first match, which
 * allocates its backtracking frames, is inside the sweep. */
static HRESULT eval_body(void *ctx)
{
    eval_case *e = ctx;
    fmapi_restriction *r = NULL;
    HRESULT hr = fmapi_restriction_compile(e->res, 0, &r);
    BOOL m = FALSE;
    if (hr == S_OK)
        hr = fmapi_restriction_eval(r, e->c, e->row, NULL, &m);
    if (hr == S_OK)
        assert_true(m);
    if (hr != S_OK)
        assert_false(m);
    fmapi_restriction_free(r);
    return hr;
}

static void evaluating_long_strings_survives_allocation_failure(void **state)
{
    static WCHAR text[1200];
    for (size_t i = 0; i < 1199; i++)
        text[i] = (WCHAR)(i % 50 == 0 ? 0x00C9 : 'd' + i % 20);
    memcpy(text + 1187, u"abcXyZ", 6 * sizeof(WCHAR));
    SPropValue row[] = { pv_wstr(0x37, text) };
    SPropValue needle = pv_str8(0x37, "xyz");
    SPropValue pat = pv_str8(0x37, "(a|b|c)+X");
    SRestriction both[] = { r_content(FL_SUBSTRING | FL_IGNORECASE, TAG(PT_UNICODE, 0x37), &needle),
                            r_prop(RELOP_RE, TAG(PT_UNICODE, 0x37), &pat) };
    SRestriction res = r_and(both, 2);
    eval_case e = { &res, row, 1 };
    assert_true(fm_test_oom_sweep(eval_body, &e) > 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compiling_every_node_type_survives_allocation_failure),
        cmocka_unit_test(evaluating_long_strings_survives_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
