/*
 * tests/table/test_find.c - IMAPITable::FindRow (forward, DIR_BACKWARD,
 * from bookmarks, by PR_INSTANCE_KEY, not found) and bookmarks
 * (CreateBookmark, FreeBookmark, invalid and freed ones).
 */
#include "table_fixture.h"

/* Rows 1..6 with TAG_NUM = id % 3 and TAG_STR "row<id>". */
static IMAPITable *six(void)
{
    fx_row rows[6];
    static const char *names[] = {"row1", "row2", "row3", "row4", "row5", "row6"};
    for (LONG i = 0; i < 6; i++)
        rows[i] = FX_ROW(fx_long(TAG_ID, i + 1), fx_long(TAG_NUM, (i + 1) % 3),
                         fx_str(TAG_STR, names[i]));
    return fx_table(rows, 6, 0);
}

static SRestriction num_is(SPropValue *v)
{
    SRestriction r = {.rt = RES_PROPERTY};
    r.res.resProperty.relop = RELOP_EQ;
    r.res.resProperty.ulPropTag = TAG_NUM;
    r.res.resProperty.lpProp = v;
    return r;
}

static LONG current(IMAPITable *t)
{
    LONG id[FX_MAXROWS];
    assert_int_equal(fx_ids(t, 1, TBL_NOADVANCE, id, FX_MAXROWS), 1);
    return id[0];
}

static void find_row_moves_to_the_first_match_forward(void **state)
{
    (void)state;
    IMAPITable *t = six();
    SPropValue v = fx_long(TAG_NUM, 0);
    SRestriction r = num_is(&v);
    assert_int_equal(IMAPITable_FindRow(t, &r, BOOKMARK_BEGINNING, 0), S_OK);
    assert_int_equal(current(t), 3);
    /* From the current row, which matches itself. */
    assert_int_equal(IMAPITable_FindRow(t, &r, BOOKMARK_CURRENT, 0), S_OK);
    assert_int_equal(current(t), 3);
    fx_seek(t, BOOKMARK_CURRENT, 1);
    assert_int_equal(IMAPITable_FindRow(t, &r, BOOKMARK_CURRENT, 0), S_OK);
    assert_int_equal(current(t), 6);
    IMAPITable_Release(t);
}

static void find_row_backward_starts_at_the_row_before_the_origin(void **state)
{
    (void)state;
    IMAPITable *t = six();
    SPropValue v = fx_long(TAG_NUM, 0);
    SRestriction r = num_is(&v);
    assert_int_equal(IMAPITable_FindRow(t, &r, BOOKMARK_END, DIR_BACKWARD), S_OK);
    assert_int_equal(current(t), 6);
    /* The cursor is on row 6: searching backward from it skips it. */
    assert_int_equal(IMAPITable_FindRow(t, &r, BOOKMARK_CURRENT, DIR_BACKWARD), S_OK);
    assert_int_equal(current(t), 3);
    assert_int_equal(IMAPITable_FindRow(t, &r, BOOKMARK_CURRENT, DIR_BACKWARD),
                     MAPI_E_NOT_FOUND);
    assert_int_equal(IMAPITable_FindRow(t, &r, BOOKMARK_BEGINNING, DIR_BACKWARD),
                     MAPI_E_NOT_FOUND);
    IMAPITable_Release(t);
}

static void find_row_not_found_leaves_the_cursor(void **state)
{
    (void)state;
    IMAPITable *t = six();
    SPropValue v = fx_long(TAG_NUM, 7);
    SRestriction r = num_is(&v);
    fx_seek(t, BOOKMARK_BEGINNING, 2);
    assert_int_equal(IMAPITable_FindRow(t, &r, BOOKMARK_BEGINNING, 0), MAPI_E_NOT_FOUND);
    fx_last_error_mentions(t, MAPI_E_NOT_FOUND, "FindRow");
    assert_int_equal(fx_pos(t), 2);
    assert_int_equal(IMAPITable_FindRow(t, &r, BOOKMARK_END, 0), MAPI_E_NOT_FOUND);
    assert_int_equal(fx_pos(t), 2);
    IMAPITable_Release(t);
}

static void find_row_starts_from_a_bookmark(void **state)
{
    (void)state;
    IMAPITable *t = six();
    fx_seek(t, BOOKMARK_BEGINNING, 3);
    BOOKMARK bk = 0;
    assert_int_equal(IMAPITable_CreateBookmark(t, &bk), S_OK);
    fx_seek(t, BOOKMARK_BEGINNING, 0);
    SPropValue v = fx_long(TAG_NUM, 1);
    SRestriction r = num_is(&v);
    assert_int_equal(IMAPITable_FindRow(t, &r, bk, 0), S_OK);
    assert_int_equal(current(t), 4);
    assert_int_equal(IMAPITable_FindRow(t, &r, bk, DIR_BACKWARD), S_OK);
    assert_int_equal(current(t), 1);
    assert_int_equal(IMAPITable_FreeBookmark(t, bk), S_OK);
    IMAPITable_Release(t);
}

static void find_row_finds_a_row_by_its_instance_key(void **state)
{
    (void)state;
    IMAPITable *t = six();
    FX_COLS(t, TAG_ID, PR_INSTANCE_KEY);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 6);
    SPropValue key = rows->aRow[4].lpProps[1];
    assert_int_equal(key.ulPropTag, PR_INSTANCE_KEY);
    SRestriction r = {.rt = RES_PROPERTY};
    r.res.resProperty.relop = RELOP_EQ;
    r.res.resProperty.ulPropTag = PR_INSTANCE_KEY;
    r.res.resProperty.lpProp = &key;
    assert_int_equal(IMAPITable_FindRow(t, &r, BOOKMARK_BEGINNING, 0), S_OK);
    assert_int_equal(current(t), 5);
    FreeProws(rows);
    IMAPITable_Release(t);
}

static void find_row_refuses_bad_arguments(void **state)
{
    (void)state;
    IMAPITable *t = six();
    SPropValue v = fx_long(TAG_NUM, 1);
    SRestriction r = num_is(&v);
    assert_int_equal(IMAPITable_FindRow(t, NULL, BOOKMARK_BEGINNING, 0),
                     MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "lpRestriction");
    assert_int_equal(IMAPITable_FindRow(t, &r, BOOKMARK_BEGINNING, 0x4), MAPI_E_UNKNOWN_FLAGS);
    fx_last_error_mentions(t, MAPI_E_UNKNOWN_FLAGS, "FindRow");
    assert_int_equal(IMAPITable_FindRow(t, &r, (BOOKMARK)1234, 0), MAPI_E_INVALID_BOOKMARK);
    SRestriction bad = {.rt = 0x77};
    assert_int_equal(IMAPITable_FindRow(t, &bad, BOOKMARK_BEGINNING, 0),
                     MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "rt");
    assert_int_equal(fx_pos(t), 0);
    IMAPITable_Release(t);
}

static void a_bookmark_returns_to_its_row(void **state)
{
    (void)state;
    IMAPITable *t = six();
    fx_seek(t, BOOKMARK_BEGINNING, 2);
    BOOKMARK a = 0, b = 0;
    assert_int_equal(IMAPITable_CreateBookmark(t, &a), S_OK);
    fx_seek(t, BOOKMARK_END, 0);
    assert_int_equal(IMAPITable_CreateBookmark(t, &b), S_OK);
    assert_true(a > BOOKMARK_END && b > BOOKMARK_END && a != b);
    fx_seek(t, BOOKMARK_BEGINNING, 0);
    LONG sought = 0;
    assert_int_equal(IMAPITable_SeekRow(t, a, 1, &sought), S_OK);
    assert_int_equal(sought, 1);
    assert_int_equal(current(t), 4);
    assert_int_equal(IMAPITable_SeekRow(t, b, -1, &sought), S_OK);
    assert_int_equal(current(t), 6);
    assert_int_equal(IMAPITable_SeekRow(t, b, 0, NULL), S_OK);
    assert_int_equal(fx_pos(t), 6);
    assert_int_equal(IMAPITable_FreeBookmark(t, a), S_OK);
    assert_int_equal(IMAPITable_FreeBookmark(t, b), S_OK);
    IMAPITable_Release(t);
}

static void a_freed_bookmark_is_invalid_and_its_slot_reused(void **state)
{
    (void)state;
    IMAPITable *t = six();
    BOOKMARK a = 0, b = 0;
    assert_int_equal(IMAPITable_CreateBookmark(t, &a), S_OK);
    assert_int_equal(IMAPITable_FreeBookmark(t, a), S_OK);
    assert_int_equal(IMAPITable_SeekRow(t, a, 0, NULL), MAPI_E_INVALID_BOOKMARK);
    assert_int_equal(IMAPITable_FreeBookmark(t, a), MAPI_E_INVALID_BOOKMARK);
    fx_last_error_mentions(t, MAPI_E_INVALID_BOOKMARK, "FreeBookmark");
    assert_int_equal(IMAPITable_FreeBookmark(t, (BOOKMARK)999), MAPI_E_INVALID_BOOKMARK);
    /* The predefined bookmarks need no freeing. */
    assert_int_equal(IMAPITable_FreeBookmark(t, BOOKMARK_BEGINNING), S_OK);
    assert_int_equal(IMAPITable_FreeBookmark(t, BOOKMARK_CURRENT), S_OK);
    assert_int_equal(IMAPITable_FreeBookmark(t, BOOKMARK_END), S_OK);
    assert_int_equal(IMAPITable_CreateBookmark(t, &b), S_OK);
    assert_int_equal(IMAPITable_SeekRow(t, b, 0, NULL), S_OK);
    assert_int_equal(IMAPITable_CreateBookmark(t, NULL), MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "lpbkPosition");
    IMAPITable_Release(t);
}

static void many_bookmarks_stay_distinct_until_the_limit(void **state)
{
    (void)state;
    IMAPITable *t = six();
    static BOOKMARK bks[4096];
    for (ULONG i = 0; i < 4096; i++) {
        fx_seek(t, BOOKMARK_BEGINNING, (LONG)(i % 7));
        assert_int_equal(IMAPITable_CreateBookmark(t, &bks[i]), S_OK);
    }
    BOOKMARK extra = 0;
    assert_int_equal(IMAPITable_CreateBookmark(t, &extra), MAPI_E_UNABLE_TO_COMPLETE);
    fx_last_error_mentions(t, MAPI_E_UNABLE_TO_COMPLETE, "FreeBookmark");
    for (ULONG i = 0; i < 4096; i += 97) {
        assert_int_equal(IMAPITable_SeekRow(t, bks[i], 0, NULL), S_OK);
        assert_int_equal(fx_pos(t), i % 7 < 6 ? i % 7 : 6);
    }
    assert_int_equal(IMAPITable_FreeBookmark(t, bks[100]), S_OK);
    assert_int_equal(IMAPITable_CreateBookmark(t, &extra), S_OK);
    assert_int_equal(extra, bks[100]);
    IMAPITable_Release(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(find_row_moves_to_the_first_match_forward),
        cmocka_unit_test(find_row_backward_starts_at_the_row_before_the_origin),
        cmocka_unit_test(find_row_not_found_leaves_the_cursor),
        cmocka_unit_test(find_row_starts_from_a_bookmark),
        cmocka_unit_test(find_row_finds_a_row_by_its_instance_key),
        cmocka_unit_test(find_row_refuses_bad_arguments),
        cmocka_unit_test(a_bookmark_returns_to_its_row),
        cmocka_unit_test(a_freed_bookmark_is_invalid_and_its_slot_reused),
        cmocka_unit_test(many_bookmarks_stay_distinct_until_the_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
