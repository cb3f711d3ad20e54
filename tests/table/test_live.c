/*
 * tests/table/test_live.c - live tables: when the source's generation
 * moves between calls, the view is rebuilt and the cursor and bookmarks
 * stay on their rows, moving to the next row when theirs went away
 * (MAPI_W_POSITION_CHANGED for bookmarks).
 */
#include "table_fixture.h"

static void fill(fx_live *l, ULONG n)
{
    memset(l, 0, sizeof *l);
    for (ULONG i = 0; i < n; i++)
        l->rows[i] = FX_ROW(fx_long(TAG_ID, (LONG)(i + 1) * 10), fx_long(TAG_NUM, (LONG)(n - i)));
    l->n = n;
}

static void rows_added_and_removed_show_on_the_next_call(void **state)
{
    (void)state;
    fx_live l;
    fill(&l, 3);
    IMAPITable *t = fx_live_table(&l, 0);
    assert_int_equal(fx_count(t), 3);
    fx_live_insert(&l, 3, FX_ROW(fx_long(TAG_ID, 40)));
    assert_int_equal(fx_count(t), 4);
    fx_live_remove(&l, 10);
    FX_EXPECT(t, 10, 0, 20, 30, 40);
    IMAPITable_Release(t);
}

static void without_a_new_generation_the_view_stands(void **state)
{
    (void)state;
    fx_live l;
    fill(&l, 3);
    IMAPITable *t = fx_live_table(&l, 0);
    assert_int_equal(fx_count(t), 3);
    l.n = 1; /* changed, but the generation says nothing did */
    FX_EXPECT(t, 10, 0, 10, 20, 30);
    IMAPITable_Release(t);
}

static void the_cursor_stays_on_its_row_when_rows_come_before_it(void **state)
{
    (void)state;
    fx_live l;
    fill(&l, 4);
    IMAPITable *t = fx_live_table(&l, 0);
    fx_seek(t, BOOKMARK_BEGINNING, 2); /* on 30 */
    fx_live_insert(&l, 0, FX_ROW(fx_long(TAG_ID, 5)));
    fx_live_insert(&l, 1, FX_ROW(fx_long(TAG_ID, 7)));
    FX_EXPECT(t, 1, 0, 30);
    assert_int_equal(fx_pos(t), 5);
    fx_live_remove(&l, 5);
    FX_EXPECT(t, 1, 0, 40);
    IMAPITable_Release(t);
}

static void the_cursor_moves_to_the_next_row_when_its_row_goes(void **state)
{
    (void)state;
    fx_live l;
    fill(&l, 4);
    IMAPITable *t = fx_live_table(&l, 0);
    fx_seek(t, BOOKMARK_BEGINNING, 1); /* on 20 */
    fx_live_remove(&l, 20);
    FX_EXPECT(t, 1, 0, 30);
    IMAPITable_Release(t);
}

static void in_a_sorted_view_the_cursor_follows_its_row_and_its_successor(void **state)
{
    (void)state;
    fx_live l;
    fill(&l, 5); /* TAG_NUM 5,4,3,2,1 */
    IMAPITable *t = fx_live_table(&l, 0);
    assert_int_equal(FX_SORT(t, 0, 0, ASC(TAG_NUM)), S_OK);
    fx_seek(t, BOOKMARK_BEGINNING, 2); /* on 30 (num 3) */
    /* A row sorting before it arrives. */
    fx_live_insert(&l, 5, FX_ROW(fx_long(TAG_ID, 60), fx_long(TAG_NUM, 0)));
    FX_EXPECT(t, 1, TBL_NOADVANCE, 30);
    assert_int_equal(fx_pos(t), 3);
    /* Its row goes: the cursor is on the row sorting next. */
    fx_live_remove(&l, 30);
    FX_EXPECT(t, 1, 0, 20);
    IMAPITable_Release(t);
}

/* A cursor past the last row is "after" that row: rows added after it
 * later are the next ones read (a reader that polls sees new mail). */
static void a_cursor_past_the_last_row_reads_rows_added_after_it(void **state)
{
    (void)state;
    fx_live l;
    fill(&l, 2);
    IMAPITable *t = fx_live_table(&l, 0);
    fx_seek(t, BOOKMARK_END, 0);
    fx_live_insert(&l, 2, FX_ROW(fx_long(TAG_ID, 99)));
    FX_EXPECT(t, 5, 0, 99);
    FX_EXPECT_NONE(t, 5, 0);
    IMAPITable_Release(t);
}

static void the_cursor_clamps_when_the_rows_after_it_go(void **state)
{
    (void)state;
    fx_live l;
    fill(&l, 4);
    IMAPITable *t = fx_live_table(&l, 0);
    fx_seek(t, BOOKMARK_BEGINNING, 3); /* on 40 */
    fx_live_remove(&l, 40);
    fx_live_remove(&l, 30);
    FX_EXPECT_NONE(t, 5, 0);
    assert_int_equal(fx_pos(t), 2);
    IMAPITable_Release(t);
}

static void a_bookmark_whose_row_went_away_reports_position_changed_once(void **state)
{
    (void)state;
    fx_live l;
    fill(&l, 4);
    IMAPITable *t = fx_live_table(&l, 0);
    fx_seek(t, BOOKMARK_BEGINNING, 1);
    BOOKMARK gone = 0, kept = 0;
    assert_int_equal(IMAPITable_CreateBookmark(t, &gone), S_OK); /* on 20 */
    fx_seek(t, BOOKMARK_BEGINNING, 3);
    assert_int_equal(IMAPITable_CreateBookmark(t, &kept), S_OK); /* on 40 */
    fx_live_remove(&l, 20);
    fx_live_insert(&l, 0, FX_ROW(fx_long(TAG_ID, 1)));
    LONG sought = 7;
    assert_int_equal(IMAPITable_SeekRow(t, gone, 0, &sought), MAPI_W_POSITION_CHANGED);
    assert_int_equal(sought, 0);
    FX_EXPECT(t, 1, TBL_NOADVANCE, 30);
    /* Only the first use reports it. */
    assert_int_equal(IMAPITable_SeekRow(t, gone, 0, NULL), S_OK);
    assert_int_equal(IMAPITable_SeekRow(t, kept, 0, NULL), S_OK);
    FX_EXPECT(t, 1, TBL_NOADVANCE, 40);
    /* FindRow from a moved bookmark reports it too. */
    fx_live_remove(&l, 40);
    SRestriction r = {.rt = RES_EXIST};
    r.res.resExist.ulPropTag = TAG_ID;
    assert_int_equal(IMAPITable_FindRow(t, &r, kept, DIR_BACKWARD), MAPI_W_POSITION_CHANGED);
    FX_EXPECT(t, 1, TBL_NOADVANCE, 30);
    assert_int_equal(IMAPITable_FreeBookmark(t, gone), S_OK);
    assert_int_equal(IMAPITable_FreeBookmark(t, kept), S_OK);
    IMAPITable_Release(t);
}

static void bookmarks_in_a_sorted_view_follow_their_rows(void **state)
{
    (void)state;
    fx_live l;
    fill(&l, 5);
    IMAPITable *t = fx_live_table(&l, 0);
    assert_int_equal(FX_SORT(t, 0, 0, DESC(TAG_ID)), S_OK);
    fx_seek(t, BOOKMARK_BEGINNING, 1);
    BOOKMARK bk = 0;
    assert_int_equal(IMAPITable_CreateBookmark(t, &bk), S_OK); /* on 40 */
    fx_live_insert(&l, 0, FX_ROW(fx_long(TAG_ID, 45)));
    fx_live_insert(&l, 0, FX_ROW(fx_long(TAG_ID, 100)));
    assert_int_equal(IMAPITable_SeekRow(t, bk, 0, NULL), S_OK);
    FX_EXPECT(t, 1, TBL_NOADVANCE, 40);
    assert_int_equal(fx_pos(t), 3);
    fx_live_remove(&l, 40);
    assert_int_equal(IMAPITable_SeekRow(t, bk, 0, NULL), MAPI_W_POSITION_CHANGED);
    FX_EXPECT(t, 1, TBL_NOADVANCE, 30);
    IMAPITable_Release(t);
}

static void categorized_views_keep_their_collapse_state_across_changes(void **state)
{
    (void)state;
    fx_live l;
    memset(&l, 0, sizeof l);
    l.rows[0] = FX_ROW(fx_long(TAG_ID, 1), fx_str(TAG_STR, "a"));
    l.rows[1] = FX_ROW(fx_long(TAG_ID, 2), fx_str(TAG_STR, "b"));
    l.rows[2] = FX_ROW(fx_long(TAG_ID, 3), fx_str(TAG_STR, "b"));
    l.n = 3;
    IMAPITable *t = fx_live_table(&l, 0);
    FX_COLS(t, TAG_ID, PR_INSTANCE_KEY);
    assert_int_equal(FX_SORT(t, 1, 0, ASC(TAG_STR), ASC(TAG_ID)), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 2);
    BYTE key[12];
    memcpy(key, rows->aRow[1].lpProps[1].Value.bin.lpb, 12);
    FreeProws(rows);
    ULONG more = 0;
    assert_int_equal(IMAPITable_ExpandRow(t, 12, key, 0, 0, NULL, &more), S_OK);
    assert_int_equal(more, 2);
    fx_seek(t, BOOKMARK_BEGINNING, 2); /* on leaf 2 */
    fx_live_insert(&l, 0, FX_ROW(fx_long(TAG_ID, 4), fx_str(TAG_STR, "b")));
    fx_live_insert(&l, 0, FX_ROW(fx_long(TAG_ID, 5), fx_str(TAG_STR, "0")));
    /* "b" is still expanded, with its new row; the cursor still on leaf 2. */
    FX_EXPECT(t, 10, 0, 2, 3, 4);
    fx_seek(t, BOOKMARK_BEGINNING, 0);
    assert_int_equal(fx_count(t), 6); /* "0", "a", "b", 2, 3, 4 */
    /* The heading's instance key still names it. */
    ULONG removed = 0;
    assert_int_equal(IMAPITable_CollapseRow(t, 12, key, 0, &removed), S_OK);
    assert_int_equal(removed, 3);
    IMAPITable_Release(t);
}

static void an_expanded_mv_table_keeps_its_cursor_across_changes(void **state)
{
    (void)state;
    static char *ab[] = {"a", "b"};
    fx_live l;
    memset(&l, 0, sizeof l);
    l.rows[0] = FX_ROW(fx_long(TAG_ID, 1), fx_mvs(TAG_MVS, ab, 2));
    l.rows[1] = FX_ROW(fx_long(TAG_ID, 2), fx_mvs(TAG_MVS, ab, 2));
    l.n = 2;
    IMAPITable *t = fx_live_table(&l, 0);
    FX_COLS(t, TAG_ID, MVI_PROP(TAG_MVS));
    assert_int_equal(FX_SORT(t, 0, 0, ASC(MVI_PROP(TAG_MVS)), ASC(TAG_ID)), S_OK);
    fx_seek(t, BOOKMARK_BEGINNING, 2); /* on (1, "b") */
    fx_live_remove(&l, 2);
    FX_EXPECT(t, 5, 0, 1);
    assert_int_equal(fx_pos(t), 2);
    IMAPITable_Release(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_added_and_removed_show_on_the_next_call),
        cmocka_unit_test(without_a_new_generation_the_view_stands),
        cmocka_unit_test(the_cursor_stays_on_its_row_when_rows_come_before_it),
        cmocka_unit_test(the_cursor_moves_to_the_next_row_when_its_row_goes),
        cmocka_unit_test(in_a_sorted_view_the_cursor_follows_its_row_and_its_successor),
        cmocka_unit_test(a_cursor_past_the_last_row_reads_rows_added_after_it),
        cmocka_unit_test(the_cursor_clamps_when_the_rows_after_it_go),
        cmocka_unit_test(a_bookmark_whose_row_went_away_reports_position_changed_once),
        cmocka_unit_test(bookmarks_in_a_sorted_view_follow_their_rows),
        cmocka_unit_test(categorized_views_keep_their_collapse_state_across_changes),
        cmocka_unit_test(an_expanded_mv_table_keeps_its_cursor_across_changes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
