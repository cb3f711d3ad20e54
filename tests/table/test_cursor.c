/*
 * tests/table/test_cursor.c - reading and moving: QueryRows (forward,
 * backward, TBL_NOADVANCE, ends, bad counts), GetRowCount, SeekRow,
 * SeekRowApprox and QueryPosition.
 */
#include "table_fixture.h"

/* A table of rows 1..5 (TAG_ID). */
static IMAPITable *five(void)
{
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1)), FX_ROW(fx_long(TAG_ID, 2)),
                     FX_ROW(fx_long(TAG_ID, 3)), FX_ROW(fx_long(TAG_ID, 4)),
                     FX_ROW(fx_long(TAG_ID, 5))};
    return fx_table(rows, 5, 0);
}

static void query_rows_reads_forward_and_advances(void **state)
{
    (void)state;
    IMAPITable *t = five();
    FX_EXPECT(t, 2, 0, 1, 2);
    assert_int_equal(fx_pos(t), 2);
    FX_EXPECT(t, 2, 0, 3, 4);
    FX_EXPECT(t, 2, 0, 5);
    assert_int_equal(fx_pos(t), 5);
    IMAPITable_Release(t);
}

static void query_rows_at_the_end_returns_no_rows(void **state)
{
    (void)state;
    IMAPITable *t = five();
    fx_seek(t, BOOKMARK_END, 0);
    FX_EXPECT_NONE(t, 10, 0);
    assert_int_equal(fx_pos(t), 5);
    IMAPITable_Release(t);
}

static void query_rows_no_advance_leaves_the_cursor(void **state)
{
    (void)state;
    IMAPITable *t = five();
    fx_seek(t, BOOKMARK_BEGINNING, 1);
    FX_EXPECT(t, 2, TBL_NOADVANCE, 2, 3);
    assert_int_equal(fx_pos(t), 1);
    FX_EXPECT(t, 2, TBL_NOADVANCE, 2, 3);
    IMAPITable_Release(t);
}

static void negative_counts_read_the_rows_before_the_cursor_in_order(void **state)
{
    (void)state;
    IMAPITable *t = five();
    fx_seek(t, BOOKMARK_BEGINNING, 4);
    /* The rows before the cursor, in table order; without TBL_NOADVANCE
     * the cursor is after the last row returned, where it was. */
    FX_EXPECT(t, -2, 0, 3, 4);
    assert_int_equal(fx_pos(t), 4);
    /* With TBL_NOADVANCE it is at the first row returned. */
    FX_EXPECT(t, -3, TBL_NOADVANCE, 2, 3, 4);
    assert_int_equal(fx_pos(t), 1);
    /* More than there are: what exists. */
    FX_EXPECT(t, -10, 0, 1);
    IMAPITable_Release(t);
}

static void negative_counts_at_the_beginning_return_no_rows(void **state)
{
    (void)state;
    IMAPITable *t = five();
    FX_EXPECT_NONE(t, -1, 0);
    FX_EXPECT_NONE(t, -5, TBL_NOADVANCE);
    assert_int_equal(fx_pos(t), 0);
    IMAPITable_Release(t);
}

static void extreme_counts_return_what_exists(void **state)
{
    (void)state;
    IMAPITable *t = five();
    FX_EXPECT(t, 0x7FFFFFFF, TBL_NOADVANCE, 1, 2, 3, 4, 5);
    FX_EXPECT(t, 0x7FFFFFFF, 0, 1, 2, 3, 4, 5);
    /* LONG is 32 bits: its minimum reads back from the end. */
    FX_EXPECT(t, (LONG)INT_MIN, 0, 1, 2, 3, 4, 5);
    assert_int_equal(fx_pos(t), 5);
    FX_EXPECT(t, (LONG)INT_MIN, TBL_NOADVANCE, 1, 2, 3, 4, 5);
    assert_int_equal(fx_pos(t), 0);
    IMAPITable_Release(t);
}

static void query_rows_refuses_zero_unknown_flags_and_null(void **state)
{
    (void)state;
    IMAPITable *t = five();
    LPSRowSet rows = (LPSRowSet)0x1;
    assert_int_equal(IMAPITable_QueryRows(t, 0, 0, &rows), MAPI_E_INVALID_PARAMETER);
    assert_null(rows);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "lRowCount is 0");
    assert_int_equal(IMAPITable_QueryRows(t, 1, 0x10, &rows), MAPI_E_UNKNOWN_FLAGS);
    fx_last_error_mentions(t, MAPI_E_UNKNOWN_FLAGS, "QueryRows");
    assert_int_equal(IMAPITable_QueryRows(t, 1, 0, NULL), MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "lppRows");
    assert_int_equal(fx_pos(t), 0);
    IMAPITable_Release(t);
}

static void an_empty_table_has_no_rows_anywhere(void **state)
{
    (void)state;
    IMAPITable *t = fx_table(NULL, 0, 0);
    assert_int_equal(fx_count(t), 0);
    FX_EXPECT_NONE(t, 1, 0);
    FX_EXPECT_NONE(t, -1, 0);
    LONG sought = 99;
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_END, -3, &sought), S_OK);
    assert_int_equal(sought, 0);
    assert_int_equal(IMAPITable_SeekRowApprox(t, 1, 2), S_OK);
    ULONG row = 9, num = 9, den = 9;
    assert_int_equal(IMAPITable_QueryPosition(t, &row, &num, &den), S_OK);
    assert_int_equal(row, 0);
    assert_int_equal(num, 0);
    assert_int_not_equal(den, 0);
    IMAPITable_Release(t);
}

static void rows_are_separate_buffers_freed_by_free_prows(void **state)
{
    (void)state;
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    IMAPITable *t = five();
    FX_COLS(t, TAG_ID, PR_INSTANCE_KEY);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 3, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 3);
    /* Each row's lpProps is a buffer of its own: freeing one leaves the rest. */
    MAPIFreeBuffer(rows->aRow[0].lpProps);
    rows->aRow[0].lpProps = NULL;
    rows->aRow[0].cValues = 0;
    assert_int_equal(rows->aRow[2].lpProps[0].Value.l, 3);
    assert_int_equal(rows->aRow[2].lpProps[1].Value.bin.cb, 12);
    FreeProws(rows);
    IMAPITable_Release(t);
    fm_test_assert_no_leak(&b);
}

static void get_row_count_counts_rows_and_refuses_flags(void **state)
{
    (void)state;
    IMAPITable *t = five();
    assert_int_equal(fx_count(t), 5);
    ULONG n = 0;
    assert_int_equal(IMAPITable_GetRowCount(t, 1, &n), MAPI_E_UNKNOWN_FLAGS);
    fx_last_error_mentions(t, MAPI_E_UNKNOWN_FLAGS, "GetRowCount");
    assert_int_equal(IMAPITable_GetRowCount(t, 0, NULL), MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "lpulCount");
    IMAPITable_Release(t);
}

static void seek_row_moves_from_every_origin(void **state)
{
    (void)state;
    IMAPITable *t = five();
    LONG sought = 0;
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, 2, &sought), S_OK);
    assert_int_equal(sought, 2);
    FX_EXPECT(t, 1, TBL_NOADVANCE, 3);
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_CURRENT, 1, &sought), S_OK);
    assert_int_equal(sought, 1);
    FX_EXPECT(t, 1, TBL_NOADVANCE, 4);
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_CURRENT, -2, &sought), S_OK);
    assert_int_equal(sought, -2);
    FX_EXPECT(t, 1, TBL_NOADVANCE, 2);
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_END, -1, &sought), S_OK);
    assert_int_equal(sought, -1);
    FX_EXPECT(t, 1, TBL_NOADVANCE, 5);
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_END, 0, &sought), S_OK);
    assert_int_equal(sought, 0);
    assert_int_equal(fx_pos(t), 5);
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_CURRENT, 0, NULL), S_OK);
    assert_int_equal(fx_pos(t), 5);
    IMAPITable_Release(t);
}

static void seek_row_stops_at_both_ends_and_reports_rows_sought(void **state)
{
    (void)state;
    IMAPITable *t = five();
    LONG sought = 0;
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, 100, &sought), S_OK);
    assert_int_equal(sought, 5);
    assert_int_equal(fx_pos(t), 5);
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_CURRENT, -100, &sought), S_OK);
    assert_int_equal(sought, -5);
    assert_int_equal(fx_pos(t), 0);
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, -1, &sought), S_OK);
    assert_int_equal(sought, 0);
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_END, 1, &sought), S_OK);
    assert_int_equal(sought, 0);
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, 0x7FFFFFFF, &sought), S_OK);
    assert_int_equal(sought, 5);
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_END, (LONG)INT_MIN, &sought), S_OK);
    assert_int_equal(sought, -5);
    /* NULL lplRowsSought is allowed. */
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, 3, NULL), S_OK);
    FX_EXPECT(t, 1, 0, 4);
    IMAPITable_Release(t);
}

static void seek_row_refuses_a_bookmark_it_never_made(void **state)
{
    (void)state;
    IMAPITable *t = five();
    fx_seek(t, BOOKMARK_BEGINNING, 2);
    assert_int_equal(IMAPITable_SeekRow(t, (BOOKMARK)77, 1, NULL), MAPI_E_INVALID_BOOKMARK);
    fx_last_error_mentions(t, MAPI_E_INVALID_BOOKMARK, "bookmark");
    assert_int_equal(fx_pos(t), 2);
    IMAPITable_Release(t);
}

static void seek_row_approx_goes_to_the_fraction(void **state)
{
    (void)state;
    fx_row rows[10];
    for (LONG i = 0; i < 10; i++)
        rows[i] = FX_ROW(fx_long(TAG_ID, i + 1));
    IMAPITable *t = fx_table(rows, 10, 0);
    assert_int_equal(IMAPITable_SeekRowApprox(t, 0, 1), S_OK);
    assert_int_equal(fx_pos(t), 0);
    assert_int_equal(IMAPITable_SeekRowApprox(t, 1, 2), S_OK);
    assert_int_equal(fx_pos(t), 5);
    assert_int_equal(IMAPITable_SeekRowApprox(t, 1, 3), S_OK);
    assert_int_equal(fx_pos(t), 3);
    assert_int_equal(IMAPITable_SeekRowApprox(t, 999, 1000), S_OK);
    assert_int_equal(fx_pos(t), 9);
    FX_EXPECT(t, 5, 0, 10);
    /* n == d is the end of the table. */
    assert_int_equal(IMAPITable_SeekRowApprox(t, 7, 7), S_OK);
    assert_int_equal(fx_pos(t), 10);
    FX_EXPECT_NONE(t, 1, 0);
    assert_int_equal(IMAPITable_SeekRowApprox(t, 0xFFFFFFFFu, 0xFFFFFFFFu), S_OK);
    assert_int_equal(fx_pos(t), 10);
    assert_int_equal(IMAPITable_SeekRowApprox(t, 0xFFFFFFFEu, 0xFFFFFFFFu), S_OK);
    assert_int_equal(fx_pos(t), 9);
    IMAPITable_Release(t);
}

static void seek_row_approx_refuses_what_is_not_a_fraction(void **state)
{
    (void)state;
    IMAPITable *t = five();
    fx_seek(t, BOOKMARK_BEGINNING, 2);
    assert_int_equal(IMAPITable_SeekRowApprox(t, 0, 0), MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "SeekRowApprox");
    assert_int_equal(IMAPITable_SeekRowApprox(t, 3, 2), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fx_pos(t), 2);
    IMAPITable_Release(t);
}

static void query_position_reports_row_and_fraction(void **state)
{
    (void)state;
    IMAPITable *t = five();
    ULONG row = 9, num = 9, den = 9;
    assert_int_equal(IMAPITable_QueryPosition(t, &row, &num, &den), S_OK);
    assert_int_equal(row, 0);
    assert_int_equal(num, 0);
    assert_int_equal(den, 5);
    fx_seek(t, BOOKMARK_BEGINNING, 3);
    assert_int_equal(IMAPITable_QueryPosition(t, &row, &num, &den), S_OK);
    assert_int_equal(row, 3);
    assert_int_equal(num, 3);
    assert_int_equal(den, 5);
    fx_seek(t, BOOKMARK_END, 0);
    assert_int_equal(IMAPITable_QueryPosition(t, &row, &num, &den), S_OK);
    assert_int_equal(row, 5);
    assert_int_equal(num, den);
    assert_int_equal(IMAPITable_QueryPosition(t, NULL, &num, &den), MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "QueryPosition");
    assert_int_equal(IMAPITable_QueryPosition(t, &row, NULL, &den), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPITable_QueryPosition(t, &row, &num, NULL), MAPI_E_INVALID_PARAMETER);
    IMAPITable_Release(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(query_rows_reads_forward_and_advances),
        cmocka_unit_test(query_rows_at_the_end_returns_no_rows),
        cmocka_unit_test(query_rows_no_advance_leaves_the_cursor),
        cmocka_unit_test(negative_counts_read_the_rows_before_the_cursor_in_order),
        cmocka_unit_test(negative_counts_at_the_beginning_return_no_rows),
        cmocka_unit_test(extreme_counts_return_what_exists),
        cmocka_unit_test(query_rows_refuses_zero_unknown_flags_and_null),
        cmocka_unit_test(an_empty_table_has_no_rows_anywhere),
        cmocka_unit_test(rows_are_separate_buffers_freed_by_free_prows),
        cmocka_unit_test(get_row_count_counts_rows_and_refuses_flags),
        cmocka_unit_test(seek_row_moves_from_every_origin),
        cmocka_unit_test(seek_row_stops_at_both_ends_and_reports_rows_sought),
        cmocka_unit_test(seek_row_refuses_a_bookmark_it_never_made),
        cmocka_unit_test(seek_row_approx_goes_to_the_fraction),
        cmocka_unit_test(seek_row_approx_refuses_what_is_not_a_fraction),
        cmocka_unit_test(query_position_reports_row_and_fraction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
