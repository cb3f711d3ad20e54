/*
 * tests/restrict/test_sort.c - fmapi_sort_compare_rows: ascending and
 * descending keys, missing values first, case-insensitive strings with an
 * exact tie-break, MV_INSTANCE keys, and no allocation.
 */
#include <stdlib.h>

#include "rtest.h"

static int by(const SSortOrderSet *s, SPropValue a, SPropValue b)
{
    return fmapi_sort_compare_rows(s, 1, &a, 1, &b);
}

static void ascending_and_descending_numbers(void **state)
{
    SizedSSortOrderSet(1, asc) = { 1, 0, 0, { { TAG(PT_LONG, 1), TABLE_SORT_ASCEND } } };
    SizedSSortOrderSet(1, desc) = { 1, 0, 0, { { TAG(PT_LONG, 1), TABLE_SORT_DESCEND } } };
    const SSortOrderSet *a = (const SSortOrderSet *)&asc, *d = (const SSortOrderSet *)&desc;
    assert_true(by(a, pv_long(1, 1), pv_long(1, 2)) < 0);
    assert_true(by(d, pv_long(1, 1), pv_long(1, 2)) > 0);
    assert_true(by(a, pv_long(1, 2), pv_long(1, 2)) == 0);
}

static void missing_values_sort_last_in_both_directions(void **state)
{
    SizedSSortOrderSet(1, asc) = { 1, 0, 0, { { TAG(PT_LONG, 1), TABLE_SORT_ASCEND } } };
    SizedSSortOrderSet(1, desc) = { 1, 0, 0, { { TAG(PT_LONG, 1), TABLE_SORT_DESCEND } } };
    SPropValue has = pv_long(1, -100), lacks = pv_long(2, 0), err = pv_error(1, MAPI_E_NOT_FOUND);
    assert_true(by((const SSortOrderSet *)&asc, lacks, has) > 0);
    assert_true(by((const SSortOrderSet *)&asc, err, has) > 0);
    assert_true(by((const SSortOrderSet *)&asc, lacks, err) == 0);
    assert_true(by((const SSortOrderSet *)&desc, lacks, has) > 0);
    assert_true(by((const SSortOrderSet *)&desc, has, err) < 0);
}

static void strings_sort_case_insensitively_with_exact_tie_break(void **state)
{
    SizedSSortOrderSet(1, s) = { 1, 0, 0, { { TAG(PT_UNICODE, 0x37), TABLE_SORT_ASCEND } } };
    const SSortOrderSet *so = (const SSortOrderSet *)&s;
    assert_true(by(so, pv_str8(0x37, "apple"), pv_str8(0x37, "Banana")) < 0);
    assert_true(by(so, pv_wstr(0x37, u"\u00E9clair"), pv_str8(0x37, "\xC3\x89" "CLAIR")) != 0);
    int c1 = by(so, pv_str8(0x37, "Abc"), pv_str8(0x37, "abc"));
    int c2 = by(so, pv_str8(0x37, "abc"), pv_str8(0x37, "Abc"));
    assert_int_not_equal(c1, 0);
    assert_true((c1 < 0) == (c2 > 0));
    assert_true(by(so, pv_str8(0x37, "ABC"), pv_str8(0x37, "abd")) < 0);
    assert_true(by(so, pv_str8(0x37, "\xC3\x89" "a"), pv_wstr(0x37, u"\u00E9b")) < 0);
}

static void later_keys_break_ties_of_earlier_ones(void **state)
{
    SizedSSortOrderSet(2, s) = { 2, 0, 0, { { TAG(PT_LONG, 1), TABLE_SORT_ASCEND },
                                            { TAG(PT_SYSTIME, 2), TABLE_SORT_DESCEND } } };
    SPropValue a[] = { pv_long(1, 1), pv_systime(2, 10) };
    SPropValue b[] = { pv_systime(2, 20), pv_long(1, 1) };
    assert_true(fmapi_sort_compare_rows((const SSortOrderSet *)&s, 2, a, 2, b) > 0);
    assert_true(fmapi_sort_compare_rows((const SSortOrderSet *)&s, 2, b, 2, a) < 0);
    assert_int_equal(fmapi_sort_compare_rows(NULL, 2, a, 2, b), 0);
}

static void mv_instance_key_compares_the_instance_value(void **state)
{
    SizedSSortOrderSet(1, s) = { 1, 0, 0, { { MVI_PROP(TAG(PT_LONG, 5)), TABLE_SORT_ASCEND } } };
    SPropValue x = pv_long(5, 7), y = pv_long(5, 3);
    x.ulPropTag = y.ulPropTag = MVI_PROP(TAG(PT_LONG, 5));
    assert_true(by((const SSortOrderSet *)&s, x, y) > 0);
    LONG v[] = { 1, 99 };
    SPropValue mv = pv_mvlong(5, v, 2); /* unexpanded: its first instance */
    assert_true(by((const SSortOrderSet *)&s, mv, y) < 0);
}

static int sort_key_qsort(const void *a, const void *b)
{
    static SizedSSortOrderSet(1, s) = { 1, 0, 0, { { TAG(PT_STRING8, 0x37), TABLE_SORT_ASCEND } } };
    return fmapi_sort_compare_rows((const SSortOrderSet *)&s, 1, a, 1, b);
}

static void sorting_a_table_allocates_nothing(void **state)
{
    static char text[64][300];
    SPropValue rows[64];
    for (int i = 0; i < 64; i++) {
        memset(text[i], 'a' + (i * 7) % 26, sizeof text[i] - 1);
        text[i][sizeof text[i] - 1] = '\0';
        text[i][0] = (char)((i & 1) ? 'Q' : 'q');
        rows[i] = pv_str8(0x37, text[i]);
    }
    fmapi_alloc_stats before, after;
    fmapi_alloc_get_stats(&before);
    qsort(rows, 64, sizeof rows[0], sort_key_qsort);
    fmapi_alloc_get_stats(&after);
    assert_int_equal(after.total_allocations, before.total_allocations);
    for (int i = 1; i < 64; i++)
        assert_true(sort_key_qsort(&rows[i - 1], &rows[i]) <= 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ascending_and_descending_numbers),
        cmocka_unit_test(missing_values_sort_last_in_both_directions),
        cmocka_unit_test(strings_sort_case_insensitively_with_exact_tie_break),
        cmocka_unit_test(later_keys_break_ties_of_earlier_ones),
        cmocka_unit_test(mv_instance_key_compares_the_instance_value),
        cmocka_unit_test(sorting_a_table_allocates_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
