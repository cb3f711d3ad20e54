/*
 * tests/restrict/test_subrestriction.c - RES_SUBRESTRICTION over recipient
 * and attachment rows supplied lazily by an fmapi_subobjects callback.
 */
#include "rtest.h"

typedef struct fake_message {
    ULONG nrecips, nattach;
    SPropValue recips[3][1], attach[2][1];
    ULONG calls;
    HRESULT fail_with;
} fake_message;

static HRESULT get_row(void *context, ULONG obj, ULONG index, ULONG *c, const SPropValue **p)
{
    fake_message *m = context;
    m->calls++;
    if (m->fail_with != S_OK)
        return m->fail_with;
    if (obj == PR_MESSAGE_RECIPIENTS && index < m->nrecips) {
        *c = 1;
        *p = m->recips[index];
        return S_OK;
    }
    if (obj == PR_MESSAGE_ATTACHMENTS && index < m->nattach) {
        *c = 1;
        *p = m->attach[index];
        return S_OK;
    }
    return MAPI_E_NOT_FOUND;
}

static fake_message make_message(void)
{
    fake_message m = { .nrecips = 3, .nattach = 2 };
    m.recips[0][0] = pv_str8(0x3003, "ann@example.org");
    m.recips[1][0] = pv_str8(0x3003, "bob@example.org");
    m.recips[2][0] = pv_str8(0x3003, "cy@example.net");
    m.attach[0][0] = pv_str8(0x3704, "report.pdf");
    m.attach[1][0] = pv_str8(0x3704, "photo.JPG");
    return m;
}

static void any_matching_recipient_makes_it_true_and_stops_early(void **state)
{
    fake_message m = make_message();
    fmapi_subobjects sub = { &m, get_row };
    SPropValue needle = pv_str8(0x3003, "bob@");
    SRestriction inner = r_content(FL_PREFIX, TAG(PT_STRING8, 0x3003), &needle);
    SRestriction r = r_sub(PR_MESSAGE_RECIPIENTS, &inner);
    assert_true(rt_eval_sub(&r, 0, NULL, &sub));
    assert_int_equal(m.calls, 2); /* rows fetched only as far as needed */
    needle = pv_str8(0x3003, "dan@");
    m.calls = 0;
    assert_false(rt_eval_sub(&r, 0, NULL, &sub));
    assert_int_equal(m.calls, 4);
}

static void attachments_are_a_separate_table(void **state)
{
    fake_message m = make_message();
    fmapi_subobjects sub = { &m, get_row };
    SPropValue needle = pv_str8(0x3704, ".jpg");
    SRestriction inner = r_content(FL_SUBSTRING | FL_IGNORECASE, TAG(PT_STRING8, 0x3704), &needle);
    SRestriction r = r_sub(PR_MESSAGE_ATTACHMENTS, &inner);
    assert_true(rt_eval_sub(&r, 0, NULL, &sub));
    r = r_sub(PR_MESSAGE_RECIPIENTS, &inner);
    assert_false(rt_eval_sub(&r, 0, NULL, &sub));
    m.nattach = 0;
    r = r_sub(PR_MESSAGE_ATTACHMENTS, &inner);
    assert_false(rt_eval_sub(&r, 0, NULL, &sub));
}

static void no_subobjects_means_false(void **state)
{
    SRestriction inner = r_exist(TAG(PT_STRING8, 0x3003));
    SRestriction r = r_sub(PR_MESSAGE_RECIPIENTS, &inner);
    assert_false(rt_eval(&r, 0, NULL));
    SRestriction n = r_not(&r);
    assert_true(rt_eval(&n, 0, NULL));
}

static void callback_errors_are_returned(void **state)
{
    fake_message m = make_message();
    m.fail_with = MAPI_E_CALL_FAILED;
    fmapi_subobjects sub = { &m, get_row };
    SRestriction inner = r_exist(TAG(PT_STRING8, 0x3003));
    SRestriction res = r_sub(PR_MESSAGE_RECIPIENTS, &inner);
    fmapi_restriction *r;
    assert_int_equal(fmapi_restriction_compile(&res, 0, &r), S_OK);
    BOOL match = TRUE;
    assert_int_equal(fmapi_restriction_eval(r, 0, NULL, &sub, &match), MAPI_E_CALL_FAILED);
    assert_false(match);
    fmapi_restriction_free(r);
}

static void bad_subobject_tags_and_null_lpres_are_refused(void **state)
{
    SRestriction inner = r_exist(TAG(PT_LONG, 1));
    SRestriction r = r_sub(TAG(PT_OBJECT, 0x0E14), &inner);
    assert_non_null(strstr(rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER), "ulSubObject"));
    r = r_sub(PR_MESSAGE_RECIPIENTS, NULL);
    rt_compile_fails(&r, MAPI_E_INVALID_PARAMETER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(any_matching_recipient_makes_it_true_and_stops_early),
        cmocka_unit_test(attachments_are_a_separate_table),
        cmocka_unit_test(no_subobjects_means_false),
        cmocka_unit_test(callback_errors_are_returned),
        cmocka_unit_test(bad_subobject_tags_and_null_lpres_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
