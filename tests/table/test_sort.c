/*
 * tests/table/test_sort.c - IMAPITable::SortTable, QuerySortOrder and
 * Restrict: keys in order, directions, case-insensitive strings, absent
 * values last in both directions, ties in source order, cursor reset,
 * malformed arguments.
 */
#include "table_fixture.h"

/* id, num, str; row 4 has no num, row 6 no str. */
static IMAPITable *people(void)
{
    fx_row rows[] = {
        FX_ROW(fx_long(TAG_ID, 1), fx_long(TAG_NUM, 3), fx_str(TAG_STR, "bob")),
        FX_ROW(fx_long(TAG_ID, 2), fx_long(TAG_NUM, 1), fx_str(TAG_STR, "Alice")),
        FX_ROW(fx_long(TAG_ID, 3), fx_long(TAG_NUM, 3), fx_str(TAG_STR, "alice")),
        FX_ROW(fx_long(TAG_ID, 4), fx_str(TAG_STR, "Carol")),
        FX_ROW(fx_long(TAG_ID, 5), fx_long(TAG_NUM, 2), fx_str(TAG_STR, "BOB")),
        FX_ROW(fx_long(TAG_ID, 6), fx_long(TAG_NUM, 1)),
    };
    return fx_table(rows, 6, 0);
}

static void sorting_ascending_puts_absent_values_last(void **state)
{
    (void)state;
    IMAPITable *t = people();
    assert_int_equal(FX_SORT(t, 0, 0, ASC(TAG_NUM)), S_OK);
    FX_EXPECT(t, 10, 0, 2, 6, 5, 1, 3, 4); /* ties (2,6) and (1,3) in source order */
    IMAPITable_Release(t);
}

static void sorting_descending_still_puts_absent_values_last(void **state)
{
    (void)state;
    IMAPITable *t = people();
    assert_int_equal(FX_SORT(t, 0, 0, DESC(TAG_NUM)), S_OK);
    /* Ties follow the direction of the last key (table.h: "ties by id, in
     * the direction of the last key"). */
    FX_EXPECT(t, 10, 0, 3, 1, 5, 6, 2, 4);
    IMAPITable_Release(t);
}

static void strings_sort_without_regard_to_case(void **state)
{
    (void)state;
    IMAPITable *t = people();
    assert_int_equal(FX_SORT(t, 0, 0, ASC(TAG_STR)), S_OK);
    LONG got[FX_MAXROWS];
    ULONG n = fx_ids(t, 10, 0, got, FX_MAXROWS);
    assert_int_equal(n, 6);
    /* alice/Alice before bob/BOB before Carol; row 6 has no string. */
    assert_true((got[0] == 2 && got[1] == 3) || (got[0] == 3 && got[1] == 2));
    assert_true((got[2] == 1 && got[3] == 5) || (got[2] == 5 && got[3] == 1));
    assert_int_equal(got[4], 4);
    assert_int_equal(got[5], 6);
    IMAPITable_Release(t);
}

static void several_keys_sort_in_order_with_mixed_directions(void **state)
{
    (void)state;
    IMAPITable *t = people();
    assert_int_equal(FX_SORT(t, 0, 0, DESC(TAG_NUM), ASC(TAG_STR)), S_OK);
    /* num 3: alice(3), bob(1); 2: BOB(5); 1: Alice(2), no string(6); none: 4 */
    FX_EXPECT(t, 10, 0, 3, 1, 5, 2, 6, 4);
    assert_int_equal(FX_SORT(t, 0, 0, ASC(TAG_NUM), DESC(TAG_ID)), S_OK);
    FX_EXPECT(t, 10, 0, 6, 2, 5, 3, 1, 4);
    IMAPITable_Release(t);
}

static void sort_table_puts_the_cursor_at_the_beginning(void **state)
{
    (void)state;
    IMAPITable *t = people();
    fx_seek(t, BOOKMARK_BEGINNING, 4);
    assert_int_equal(FX_SORT(t, 0, 0, DESC(TAG_ID)), S_OK);
    assert_int_equal(fx_pos(t), 0);
    FX_EXPECT(t, 2, 0, 6, 5);
    IMAPITable_Release(t);
}

static void an_empty_sort_order_gives_the_source_order(void **state)
{
    (void)state;
    IMAPITable *t = people();
    assert_int_equal(FX_SORT(t, 0, 0, DESC(TAG_ID)), S_OK);
    SSortOrderSet none = {0, 0, 0, {{0, 0}}};
    assert_int_equal(IMAPITable_SortTable(t, &none, 0), S_OK);
    FX_EXPECT(t, 10, 0, 1, 2, 3, 4, 5, 6);
    IMAPITable_Release(t);
}

static void query_sort_order_returns_what_was_set(void **state)
{
    (void)state;
    IMAPITable *t = people();
    LPSSortOrderSet s = NULL;
    assert_int_equal(IMAPITable_QuerySortOrder(t, &s), S_OK);
    assert_int_equal(s->cSorts, 0);
    MAPIFreeBuffer(s);
    assert_int_equal(FX_SORT(t, 1, 1, ASC(TAG_NUM), DESC(TAG_STR)), S_OK);
    assert_int_equal(IMAPITable_QuerySortOrder(t, &s), S_OK);
    assert_int_equal(s->cSorts, 2);
    assert_int_equal(s->cCategories, 1);
    assert_int_equal(s->cExpanded, 1);
    assert_int_equal(s->aSort[0].ulPropTag, TAG_NUM);
    assert_int_equal(s->aSort[0].ulOrder, TABLE_SORT_ASCEND);
    assert_int_equal(s->aSort[1].ulPropTag, TAG_STR);
    assert_int_equal(s->aSort[1].ulOrder, TABLE_SORT_DESCEND);
    MAPIFreeBuffer(s);
    assert_int_equal(IMAPITable_QuerySortOrder(t, NULL), MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "QuerySortOrder");
    IMAPITable_Release(t);
}

static void bad_sort_orders_are_refused_and_change_nothing(void **state)
{
    (void)state;
    IMAPITable *t = people();
    assert_int_equal(FX_SORT(t, 0, 0, DESC(TAG_ID)), S_OK);
    assert_int_equal(IMAPITable_SortTable(t, NULL, 0), MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "SortTable");
    assert_int_equal(FX_SORT(t, 2, 0, ASC(TAG_NUM)), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(FX_SORT(t, 1, 2, ASC(TAG_NUM)), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(FX_SORT(t, 0, 0, ((SSortOrder){TAG_NUM, 0x40})), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(FX_SORT(t, 0, 0, ((SSortOrder){TAG_NUM, TABLE_SORT_COMBINE})),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(FX_SORT(t, 0, 0, ASC(TAG_MVS)), MAPI_E_INVALID_TYPE);
    fx_last_error_mentions(t, MAPI_E_INVALID_TYPE, "MV_INSTANCE");
    SizedSSortOrderSet(1, s) = {1, 0, 0, {{TAG_NUM, TABLE_SORT_ASCEND}}};
    assert_int_equal(IMAPITable_SortTable(t, (LPSSortOrderSet)&s, 0x100), MAPI_E_UNKNOWN_FLAGS);
    fx_last_error_mentions(t, MAPI_E_UNKNOWN_FLAGS, "SortTable");
    assert_int_equal(IMAPITable_SortTable(t, (LPSSortOrderSet)&s, TBL_ASYNC | TBL_BATCH), S_OK);
    FX_EXPECT(t, 2, 0, 2, 6);
    IMAPITable_Release(t);
}

static void restrict_filters_rows_and_resets_the_cursor(void **state)
{
    (void)state;
    IMAPITable *t = people();
    fx_seek(t, BOOKMARK_BEGINNING, 3);
    SPropValue v = fx_long(TAG_NUM, 2);
    SRestriction r = {.rt = RES_PROPERTY};
    r.res.resProperty.relop = RELOP_GE;
    r.res.resProperty.ulPropTag = TAG_NUM;
    r.res.resProperty.lpProp = &v;
    assert_int_equal(IMAPITable_Restrict(t, &r, 0), S_OK);
    assert_int_equal(fx_pos(t), 0);
    assert_int_equal(fx_count(t), 3);
    FX_EXPECT(t, 10, 0, 1, 3, 5);
    /* The restriction was copied: changing the caller's value changes nothing. */
    v.Value.l = 100;
    fx_seek(t, BOOKMARK_BEGINNING, 0);
    FX_EXPECT(t, 10, 0, 1, 3, 5);
    /* Sorting keeps the restriction. */
    assert_int_equal(FX_SORT(t, 0, 0, DESC(TAG_ID)), S_OK);
    FX_EXPECT(t, 10, 0, 5, 3, 1);
    /* NULL removes it, and the cursor goes back to the beginning. */
    assert_int_equal(IMAPITable_Restrict(t, NULL, 0), S_OK);
    assert_int_equal(fx_pos(t), 0);
    FX_EXPECT(t, 10, 0, 6, 5, 4, 3, 2, 1);
    IMAPITable_Release(t);
}

static void a_restriction_matching_nothing_leaves_an_empty_table(void **state)
{
    (void)state;
    IMAPITable *t = people();
    SRestriction r = {.rt = RES_EXIST};
    r.res.resExist.ulPropTag = TAG_NUM2;
    assert_int_equal(IMAPITable_Restrict(t, &r, TBL_BATCH), S_OK);
    assert_int_equal(fx_count(t), 0);
    FX_EXPECT_NONE(t, 5, 0);
    IMAPITable_Release(t);
}

static void malformed_restrictions_are_refused_and_change_nothing(void **state)
{
    (void)state;
    IMAPITable *t = people();
    SRestriction ex = {.rt = RES_EXIST};
    ex.res.resExist.ulPropTag = TAG_STR;
    assert_int_equal(IMAPITable_Restrict(t, &ex, 0), S_OK);
    SRestriction bad = {.rt = RES_PROPERTY};
    bad.res.resProperty.relop = RELOP_EQ;
    bad.res.resProperty.ulPropTag = TAG_NUM;
    bad.res.resProperty.lpProp = NULL;
    assert_int_equal(IMAPITable_Restrict(t, &bad, 0), MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "lpProp");
    SPropValue s = fx_str(TAG_STR, "x");
    SRestriction mismatch = {.rt = RES_PROPERTY};
    mismatch.res.resProperty.relop = RELOP_EQ;
    mismatch.res.resProperty.ulPropTag = TAG_NUM;
    mismatch.res.resProperty.lpProp = &s;
    assert_int_equal(IMAPITable_Restrict(t, &mismatch, 0), MAPI_E_TOO_COMPLEX);
    assert_int_equal(IMAPITable_Restrict(t, &ex, 0x40), MAPI_E_UNKNOWN_FLAGS);
    fx_last_error_mentions(t, MAPI_E_UNKNOWN_FLAGS, "Restrict");
    assert_int_equal(fx_count(t), 5);
    IMAPITable_Release(t);
}

static void rows_with_an_mv_instance_sort_order_by_each_value(void **state)
{
    (void)state;
    char *a[] = {"pear", "Apple"};
    char *b[] = {"banana"};
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1), fx_mvs(TAG_MVS, a, 2)),
                     FX_ROW(fx_long(TAG_ID, 2), fx_mvs(TAG_MVS, b, 1)),
                     FX_ROW(fx_long(TAG_ID, 3))};
    IMAPITable *t = fx_table(rows, 3, 0);
    assert_int_equal(FX_SORT(t, 0, 0, DESC(MVI_PROP(TAG_MVS))), S_OK);
    FX_EXPECT(t, 10, 0, 1, 2, 1, 3);
    IMAPITable_Release(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sorting_ascending_puts_absent_values_last),
        cmocka_unit_test(sorting_descending_still_puts_absent_values_last),
        cmocka_unit_test(strings_sort_without_regard_to_case),
        cmocka_unit_test(several_keys_sort_in_order_with_mixed_directions),
        cmocka_unit_test(sort_table_puts_the_cursor_at_the_beginning),
        cmocka_unit_test(an_empty_sort_order_gives_the_source_order),
        cmocka_unit_test(query_sort_order_returns_what_was_set),
        cmocka_unit_test(bad_sort_orders_are_refused_and_change_nothing),
        cmocka_unit_test(restrict_filters_rows_and_resets_the_cursor),
        cmocka_unit_test(a_restriction_matching_nothing_leaves_an_empty_table),
        cmocka_unit_test(malformed_restrictions_are_refused_and_change_nothing),
        cmocka_unit_test(rows_with_an_mv_instance_sort_order_by_each_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
