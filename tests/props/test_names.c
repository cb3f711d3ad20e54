/*
 * tests/props/test_names.c - FEqualNames.
 */
#include "fm_test.h"
#include "mapiutil.h"

static GUID g1 = {1, 2, 3, {4, 5, 6, 7, 8, 9, 10, 11}};
static GUID g1_copy = {1, 2, 3, {4, 5, 6, 7, 8, 9, 10, 11}};
static GUID g2 = {9, 2, 3, {4, 5, 6, 7, 8, 9, 10, 11}};

static void same_guid_kind_and_id_are_equal(void **state)
{
    MAPINAMEID a = {&g1, MNID_ID, {.lID = 0x8005}}, b = {&g1_copy, MNID_ID, {.lID = 0x8005}};
    assert_true(FEqualNames(&a, &b));
    b.Kind.lID = 0x8006;
    assert_false(FEqualNames(&a, &b));
    b.Kind.lID = 0x8005;
    b.lpguid = &g2;
    assert_false(FEqualNames(&a, &b));
}

static void string_names_compare_case_sensitively(void **state)
{
    WCHAR n1[] = u"Keywords", n2[] = u"Keywords", n3[] = u"keywords";
    MAPINAMEID a = {&g1, MNID_STRING, {.lpwstrName = n1}};
    MAPINAMEID b = {&g1, MNID_STRING, {.lpwstrName = n2}};
    assert_true(FEqualNames(&a, &b));
    b.Kind.lpwstrName = n3;
    assert_false(FEqualNames(&a, &b));
}

static void different_kinds_and_nulls(void **state)
{
    WCHAR n1[] = u"x";
    MAPINAMEID a = {&g1, MNID_ID, {.lID = 1}}, b = {&g1, MNID_STRING, {.lpwstrName = n1}};
    assert_false(FEqualNames(&a, &b));
    assert_false(FEqualNames(&a, NULL));
    assert_true(FEqualNames(NULL, NULL));
    assert_true(FEqualNames(&a, &a));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_guid_kind_and_id_are_equal),
        cmocka_unit_test(string_names_compare_case_sensitively),
        cmocka_unit_test(different_kinds_and_nulls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
