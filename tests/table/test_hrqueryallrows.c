/*
 * tests/table/test_hrqueryallrows.c - HrQueryAllRows: columns,
 * restriction and sort order applied, rows read from the beginning,
 * crowsMax and MAPI_E_TABLE_TOO_BIG, empty tables, bad arguments.
 */
#include "table_fixture.h"

static IMAPITable *numbered(ULONG n)
{
    static fx_row rows[3000];
    for (ULONG i = 0; i < n; i++)
        rows[i] = FX_ROW(fx_long(TAG_ID, (LONG)i + 1), fx_long(TAG_NUM, (LONG)(i % 4)));
    return fx_table(rows, n, 0);
}

static void it_reads_every_row_from_the_beginning(void **state)
{
    (void)state;
    IMAPITable *t = numbered(5);
    fx_seek(t, BOOKMARK_BEGINNING, 3);
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, NULL, NULL, NULL, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 5);
    for (ULONG i = 0; i < 5; i++)
        assert_int_equal(rows->aRow[i].lpProps[0].Value.l, (LONG)i + 1);
    FreeProws(rows);
    IMAPITable_Release(t);
}

static void it_applies_columns_restriction_and_sort(void **state)
{
    (void)state;
    IMAPITable *t = numbered(8);
    SizedSPropTagArray(2, cols) = {2, {TAG_NUM, TAG_ID}};
    SPropValue v = fx_long(TAG_NUM, 2);
    SRestriction r = {.rt = RES_PROPERTY};
    r.res.resProperty.relop = RELOP_LT;
    r.res.resProperty.ulPropTag = TAG_NUM;
    r.res.resProperty.lpProp = &v;
    SizedSSortOrderSet(2, s) = {
        2, 0, 0, {{TAG_NUM, TABLE_SORT_DESCEND}, {TAG_ID, TABLE_SORT_ASCEND}}};
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, (LPSPropTagArray)&cols, &r, (LPSSortOrderSet)&s, 0, &rows),
                     S_OK);
    /* num 1: ids 2, 6; num 0: ids 1, 5. */
    LONG want[][2] = {{1, 2}, {1, 6}, {0, 1}, {0, 5}};
    assert_int_equal(rows->cRows, 4);
    for (ULONG i = 0; i < 4; i++) {
        assert_int_equal(rows->aRow[i].cValues, 2);
        assert_int_equal(rows->aRow[i].lpProps[0].Value.l, want[i][0]);
        assert_int_equal(rows->aRow[i].lpProps[1].Value.l, want[i][1]);
    }
    FreeProws(rows);
    /* The table keeps what HrQueryAllRows set. */
    assert_int_equal(fx_count(t), 4);
    IMAPITable_Release(t);
}

static void crows_max_refuses_bigger_tables(void **state)
{
    (void)state;
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    IMAPITable *t = numbered(6);
    LPSRowSet rows = (LPSRowSet)0x1;
    assert_int_equal(HrQueryAllRows(t, NULL, NULL, NULL, 5, &rows), MAPI_E_TABLE_TOO_BIG);
    assert_null(rows);
    assert_non_null(strstr(fmapi_last_error(), "5 rows"));
    assert_int_equal(HrQueryAllRows(t, NULL, NULL, NULL, 6, &rows), S_OK);
    assert_int_equal(rows->cRows, 6);
    FreeProws(rows);
    IMAPITable_Release(t);
    fm_test_assert_no_leak(&b);
}

static void tables_larger_than_a_page_come_back_whole(void **state)
{
    (void)state;
    IMAPITable *t = numbered(2500);
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, NULL, NULL, NULL, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 2500);
    for (ULONG i = 0; i < 2500; i++)
        assert_int_equal(rows->aRow[i].lpProps[0].Value.l, (LONG)i + 1);
    FreeProws(rows);
    assert_int_equal(HrQueryAllRows(t, NULL, NULL, NULL, 2000, &rows), MAPI_E_TABLE_TOO_BIG);
    IMAPITable_Release(t);
}

static void an_empty_table_gives_an_empty_row_set(void **state)
{
    (void)state;
    IMAPITable *t = fx_table(NULL, 0, 0);
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, NULL, NULL, NULL, 1, &rows), S_OK);
    assert_non_null(rows);
    assert_int_equal(rows->cRows, 0);
    FreeProws(rows);
    IMAPITable_Release(t);
}

static void bad_arguments_are_refused(void **state)
{
    (void)state;
    IMAPITable *t = numbered(2);
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(NULL, NULL, NULL, NULL, 0, &rows), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(HrQueryAllRows(t, NULL, NULL, NULL, 0, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(HrQueryAllRows(t, NULL, NULL, NULL, -1, &rows), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "crowsMax"));
    /* A failing SetColumns, Restrict or SortTable is returned. */
    SizedSPropTagArray(1, empty) = {0, {0}};
    assert_int_equal(HrQueryAllRows(t, (LPSPropTagArray)&empty, NULL, NULL, 0, &rows),
                     MAPI_E_INVALID_PARAMETER);
    assert_null(rows);
    SRestriction bad = {.rt = 0x99};
    assert_int_equal(HrQueryAllRows(t, NULL, &bad, NULL, 0, &rows), MAPI_E_INVALID_PARAMETER);
    SizedSSortOrderSet(1, s) = {1, 2, 0, {{TAG_NUM, TABLE_SORT_ASCEND}}};
    assert_int_equal(HrQueryAllRows(t, NULL, NULL, (LPSSortOrderSet)&s, 0, &rows),
                     MAPI_E_INVALID_PARAMETER);
    IMAPITable_Release(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(it_reads_every_row_from_the_beginning),
        cmocka_unit_test(it_applies_columns_restriction_and_sort),
        cmocka_unit_test(crows_max_refuses_bigger_tables),
        cmocka_unit_test(tables_larger_than_a_page_come_back_whole),
        cmocka_unit_test(an_empty_table_gives_an_empty_row_set),
        cmocka_unit_test(bad_arguments_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
