/*
 * tests/table/test_categories.c - categorized views: heading rows and their
 * columns (PR_ROW_TYPE, PR_DEPTH, PR_INSTANCE_KEY, PR_CONTENT_COUNT,
 * PR_CONTENT_UNREAD), one and two levels, cExpanded, TABLE_SORT_COMBINE,
 * TABLE_SORT_CATEG_MAX/MIN, ExpandRow, CollapseRow, GetCollapseState and
 * SetCollapseState.
 *
 * A view is compared as a string: a heading is "H" (expanded) or "h"
 * (collapsed), its depth, its category values ("-" when absent); a leaf is
 * its id. "H0a 2 4 h0b" is an expanded heading "a" over leaves 2 and 4, then
 * a collapsed heading "b".
 */
#include <stdio.h>

#include "table_fixture.h"

enum { C_ID, C_STR, C_NUM2, C_TYPE, C_DEPTH, C_COUNT, C_UNREAD, C_KEY, C_DATE, C_N };

/* Row 5 has no category; rows 1 and 4 are read. */
static IMAPITable *mail(void)
{
    fx_row rows[] = {
        FX_ROW(fx_long(TAG_ID, 1), fx_str(TAG_STR, "b"), fx_long(TAG_NUM2, 1),
               fx_long(PR_MESSAGE_FLAGS, MSGFLAG_READ), fx_time(TAG_DATE, 10)),
        FX_ROW(fx_long(TAG_ID, 2), fx_str(TAG_STR, "a"), fx_long(TAG_NUM2, 2),
               fx_long(PR_MESSAGE_FLAGS, 0), fx_time(TAG_DATE, 50)),
        FX_ROW(fx_long(TAG_ID, 3), fx_str(TAG_STR, "b"), fx_long(TAG_NUM2, 2),
               fx_long(PR_MESSAGE_FLAGS, 0), fx_time(TAG_DATE, 30)),
        FX_ROW(fx_long(TAG_ID, 4), fx_str(TAG_STR, "a"), fx_long(TAG_NUM2, 1),
               fx_long(PR_MESSAGE_FLAGS, MSGFLAG_READ | 0x10), fx_time(TAG_DATE, 20)),
        FX_ROW(fx_long(TAG_ID, 5), fx_long(TAG_NUM2, 1), fx_long(PR_MESSAGE_FLAGS, 0x10),
               fx_time(TAG_DATE, 5)),
        FX_ROW(fx_long(TAG_ID, 6), fx_str(TAG_STR, "b"), fx_long(TAG_NUM2, 1),
               fx_long(PR_MESSAGE_FLAGS, 0), fx_time(TAG_DATE, 60)),
    };
    IMAPITable *t = fx_table(rows, 6, 0);
    FX_COLS(t, TAG_ID, TAG_STR, TAG_NUM2, PR_ROW_TYPE, PR_DEPTH, PR_CONTENT_COUNT,
            PR_CONTENT_UNREAD, PR_INSTANCE_KEY, TAG_DATE);
    return t;
}

static void describe(const SRow *r, char *out, size_t cap)
{
    const SPropValue *v = r->lpProps;
    assert_int_equal(v[C_TYPE].ulPropTag, PR_ROW_TYPE);
    assert_int_equal(v[C_DEPTH].ulPropTag, PR_DEPTH);
    assert_int_equal(v[C_KEY].ulPropTag, PR_INSTANCE_KEY);
    if (v[C_TYPE].Value.l == TBL_LEAF_ROW) {
        assert_int_equal(PROP_TYPE(v[C_COUNT].ulPropTag), PT_ERROR);
        assert_int_equal(PROP_TYPE(v[C_UNREAD].ulPropTag), PT_ERROR);
        snprintf(out, cap, "%ld", (long)v[C_ID].Value.l);
        return;
    }
    assert_true(v[C_TYPE].Value.l == TBL_EXPANDED_CATEGORY ||
                v[C_TYPE].Value.l == TBL_COLLAPSED_CATEGORY);
    /* A heading has no value of the leaf columns. */
    assert_int_equal(v[C_ID].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(TAG_ID)));
    assert_int_equal(v[C_ID].Value.err, MAPI_E_NOT_FOUND);
    assert_int_equal(v[C_DATE].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(TAG_DATE)));
    assert_int_equal(v[C_COUNT].ulPropTag, PR_CONTENT_COUNT);
    assert_int_equal(v[C_UNREAD].ulPropTag, PR_CONTENT_UNREAD);
    int n = snprintf(out, cap, "%c%ld%s", v[C_TYPE].Value.l == TBL_EXPANDED_CATEGORY ? 'H' : 'h',
                     (long)v[C_DEPTH].Value.l,
                     PROP_TYPE(v[C_STR].ulPropTag) == PT_STRING8 ? v[C_STR].Value.lpszA : "-");
    if (PROP_TYPE(v[C_NUM2].ulPropTag) == PT_LONG)
        snprintf(out + n, cap - (size_t)n, "%ld", (long)v[C_NUM2].Value.l);
}

/* The rows QueryRows(count, flags) returns, described. */
static void view(IMAPITable *t, LONG count, ULONG flags, char *out, size_t cap)
{
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, count, flags, &rows), S_OK);
    out[0] = 0;
    size_t len = 0;
    for (ULONG i = 0; i < rows->cRows; i++) {
        char one[64];
        describe(&rows->aRow[i], one, sizeof one);
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? " " : "", one);
    }
    FreeProws(rows);
}

#define EXPECT_VIEW(t, count, flags, want)                                                         \
    do {                                                                                           \
        char got_[512];                                                                            \
        view((t), (count), (flags), got_, sizeof got_);                                            \
        assert_string_equal(got_, (want));                                                         \
    } while (0)

/* The whole view from the beginning; the cursor is left where it was. */
static void whole(IMAPITable *t, char *out, size_t cap)
{
    BOOKMARK bk = 0;
    assert_int_equal(IMAPITable_CreateBookmark(t, &bk), S_OK);
    fx_seek(t, BOOKMARK_BEGINNING, 0);
    view(t, 100, 0, out, cap);
    assert_int_equal(IMAPITable_SeekRow(t, bk, 0, NULL), S_OK);
    assert_int_equal(IMAPITable_FreeBookmark(t, bk), S_OK);
}

#define EXPECT_WHOLE(t, want)                                                                      \
    do {                                                                                           \
        char got_[512];                                                                            \
        whole((t), got_, sizeof got_);                                                             \
        assert_string_equal(got_, (want));                                                         \
    } while (0)

/* Row index's PR_INSTANCE_KEY (12 bytes) into key. */
static void key_of(IMAPITable *t, LONG index, BYTE key[12])
{
    BOOKMARK bk = 0;
    assert_int_equal(IMAPITable_CreateBookmark(t, &bk), S_OK);
    fx_seek(t, BOOKMARK_BEGINNING, index);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 1, TBL_NOADVANCE, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    const SPropValue *k = &rows->aRow[0].lpProps[C_KEY];
    assert_int_equal(k->Value.bin.cb, 12);
    memcpy(key, k->Value.bin.lpb, 12);
    FreeProws(rows);
    assert_int_equal(IMAPITable_SeekRow(t, bk, 0, NULL), S_OK);
    assert_int_equal(IMAPITable_FreeBookmark(t, bk), S_OK);
}

static LONG heading_value(IMAPITable *t, LONG index, int col)
{
    BOOKMARK bk = 0;
    assert_int_equal(IMAPITable_CreateBookmark(t, &bk), S_OK);
    fx_seek(t, BOOKMARK_BEGINNING, index);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 1, 0, &rows), S_OK);
    LONG v = rows->aRow[0].lpProps[col].Value.l;
    FreeProws(rows);
    assert_int_equal(IMAPITable_SeekRow(t, bk, 0, NULL), S_OK);
    assert_int_equal(IMAPITable_FreeBookmark(t, bk), S_OK);
    return v;
}

static void one_expanded_level_shows_headings_above_their_leaves(void **state)
{
    (void)state;
    IMAPITable *t = mail();
    assert_int_equal(FX_SORT(t, 1, 1, ASC(TAG_STR), ASC(TAG_ID)), S_OK);
    EXPECT_VIEW(t, 100, 0, "H0a 2 4 H0b 1 3 6 H0- 5");
    assert_int_equal(fx_count(t), 9);
    /* Leaves have depth cCategories. */
    fx_seek(t, BOOKMARK_BEGINNING, 1);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 1, 0, &rows), S_OK);
    assert_int_equal(rows->aRow[0].lpProps[C_DEPTH].Value.l, 1);
    assert_string_equal(rows->aRow[0].lpProps[C_STR].Value.lpszA, "a");
    FreeProws(rows);
    IMAPITable_Release(t);
}

static void headings_count_their_leaves_and_the_unread_ones(void **state)
{
    (void)state;
    IMAPITable *t = mail();
    assert_int_equal(FX_SORT(t, 1, 1, ASC(TAG_STR), ASC(TAG_ID)), S_OK);
    assert_int_equal(heading_value(t, 0, C_COUNT), 2);
    assert_int_equal(heading_value(t, 0, C_UNREAD), 1);
    assert_int_equal(heading_value(t, 3, C_COUNT), 3);
    assert_int_equal(heading_value(t, 3, C_UNREAD), 2);
    assert_int_equal(heading_value(t, 7, C_COUNT), 1);
    assert_int_equal(heading_value(t, 7, C_UNREAD), 1);
    IMAPITable_Release(t);
}

static void collapsed_levels_show_only_headings(void **state)
{
    (void)state;
    IMAPITable *t = mail();
    assert_int_equal(FX_SORT(t, 1, 0, ASC(TAG_STR), DESC(TAG_ID)), S_OK);
    EXPECT_VIEW(t, 100, 0, "h0a h0b h0-");
    assert_int_equal(fx_count(t), 3);
    assert_int_equal(heading_value(t, 1, C_COUNT), 3);
    IMAPITable_Release(t);
}

static void descending_categories_keep_the_absent_one_last(void **state)
{
    (void)state;
    IMAPITable *t = mail();
    assert_int_equal(FX_SORT(t, 1, 1, DESC(TAG_STR), DESC(TAG_ID)), S_OK);
    EXPECT_VIEW(t, 100, 0, "H0b 6 3 1 H0a 4 2 H0- 5");
    IMAPITable_Release(t);
}

static void two_levels_nest_and_expand_as_c_expanded_says(void **state)
{
    (void)state;
    IMAPITable *t = mail();
    assert_int_equal(FX_SORT(t, 2, 2, ASC(TAG_STR), ASC(TAG_NUM2), ASC(TAG_ID)), S_OK);
    EXPECT_WHOLE(t, "H0a H1a1 4 H1a2 2 H0b H1b1 1 6 H1b2 3 H0- H1-1 5");
    assert_int_equal(heading_value(t, 5, C_COUNT), 3);
    assert_int_equal(heading_value(t, 6, C_COUNT), 2);
    assert_int_equal(heading_value(t, 6, C_UNREAD), 1);
    assert_int_equal(heading_value(t, 6, C_DEPTH), 1);
    assert_int_equal(heading_value(t, 7, C_DEPTH), 2); /* a leaf */
    assert_int_equal(FX_SORT(t, 2, 1, ASC(TAG_STR), ASC(TAG_NUM2), ASC(TAG_ID)), S_OK);
    EXPECT_WHOLE(t, "H0a h1a1 h1a2 H0b h1b1 h1b2 H0- h1-1");
    assert_int_equal(FX_SORT(t, 2, 0, ASC(TAG_STR), ASC(TAG_NUM2), ASC(TAG_ID)), S_OK);
    EXPECT_WHOLE(t, "h0a h0b h0-");
    IMAPITable_Release(t);
}

static void combined_columns_make_one_level_of_pairs(void **state)
{
    (void)state;
    IMAPITable *t = mail();
    assert_int_equal(FX_SORT(t, 2, 1, ASC(TAG_STR), ((SSortOrder){TAG_NUM2, TABLE_SORT_COMBINE}),
                             ASC(TAG_ID)),
                     S_OK);
    EXPECT_WHOLE(t, "H0a1 4 H0a2 2 H0b1 1 6 H0b2 3 H0-1 5");
    assert_int_equal(heading_value(t, 1, C_DEPTH), 1);
    IMAPITable_Release(t);
}

static void categ_max_orders_categories_newest_first(void **state)
{
    (void)state;
    IMAPITable *t = mail();
    /* a: newest 50, b: 60, none: 5. */
    assert_int_equal(FX_SORT(t, 1, 1, ASC(TAG_STR),
                             ((SSortOrder){TAG_DATE, TABLE_SORT_CATEG_MAX}), ASC(TAG_ID)),
                     S_OK);
    EXPECT_WHOLE(t, "H0b 1 3 6 H0a 2 4 H0- 5");
    LPSSortOrderSet s = NULL;
    assert_int_equal(IMAPITable_QuerySortOrder(t, &s), S_OK);
    assert_int_equal(s->cSorts, 3);
    assert_int_equal(s->aSort[1].ulOrder, TABLE_SORT_CATEG_MAX);
    MAPIFreeBuffer(s);
    IMAPITable_Release(t);
}

static void categ_min_orders_categories_by_their_smallest_value(void **state)
{
    (void)state;
    IMAPITable *t = mail();
    /* a: oldest 20, b: 10, none: 5. */
    assert_int_equal(FX_SORT(t, 1, 1, ASC(TAG_STR),
                             ((SSortOrder){TAG_DATE, TABLE_SORT_CATEG_MIN}), DESC(TAG_ID)),
                     S_OK);
    EXPECT_WHOLE(t, "H0- 5 H0b 6 3 1 H0a 4 2");
    IMAPITable_Release(t);
}

static void categories_without_the_aggregated_value_come_last(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1), fx_str(TAG_STR, "x")),
                     FX_ROW(fx_long(TAG_ID, 2), fx_str(TAG_STR, "y"), fx_time(TAG_DATE, 1)),
                     FX_ROW(fx_long(TAG_ID, 3), fx_str(TAG_STR, "z"), fx_time(TAG_DATE, 2))};
    IMAPITable *t = fx_table(rows, 3, 0);
    FX_COLS(t, TAG_ID, TAG_STR, TAG_NUM2, PR_ROW_TYPE, PR_DEPTH, PR_CONTENT_COUNT,
            PR_CONTENT_UNREAD, PR_INSTANCE_KEY, TAG_DATE);
    assert_int_equal(FX_SORT(t, 1, 1, ASC(TAG_STR),
                             ((SSortOrder){TAG_DATE, TABLE_SORT_CATEG_MAX})),
                     S_OK);
    EXPECT_WHOLE(t, "H0z 3 H0y 2 H0x 1");
    assert_int_equal(FX_SORT(t, 1, 1, ASC(TAG_STR),
                             ((SSortOrder){TAG_DATE, TABLE_SORT_CATEG_MIN})),
                     S_OK);
    EXPECT_WHOLE(t, "H0y 2 H0z 3 H0x 1");
    IMAPITable_Release(t);
}

static void an_mv_instance_category_puts_a_row_under_each_value(void **state)
{
    (void)state;
    char *ab[] = {"beta", "alpha"};
    char *a[] = {"alpha"};
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1), fx_mvs(TAG_MVS, ab, 2)),
                     FX_ROW(fx_long(TAG_ID, 2), fx_mvs(TAG_MVS, a, 1)),
                     FX_ROW(fx_long(TAG_ID, 3))};
    IMAPITable *t = fx_table(rows, 3, 0);
    FX_COLS(t, TAG_ID, MVI_PROP(TAG_MVS), PR_ROW_TYPE, PR_DEPTH, PR_CONTENT_COUNT);
    assert_int_equal(FX_SORT(t, 1, 1, ASC(MVI_PROP(TAG_MVS)), ASC(TAG_ID)), S_OK);
    LPSRowSet r = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 100, 0, &r), S_OK);
    assert_int_equal(r->cRows, 7);
    static const char *cat[] = {"alpha", "alpha", "alpha", "beta", "beta", NULL, NULL};
    static const LONG ids[] = {FX_NONE, 1, 2, FX_NONE, 1, FX_NONE, 3};
    for (ULONG i = 0; i < 7; i++) {
        const SPropValue *v = r->aRow[i].lpProps;
        assert_int_equal(fx_long_of(&r->aRow[i], TAG_ID), ids[i]);
        if (cat[i]) {
            assert_int_equal(v[1].ulPropTag, MVI_PROP(TAG_MVS));
            assert_string_equal(v[1].Value.lpszA, cat[i]);
        } else {
            assert_int_equal(PROP_TYPE(v[1].ulPropTag), PT_ERROR);
        }
    }
    assert_int_equal(r->aRow[0].lpProps[4].Value.l, 2);
    FreeProws(r);
    IMAPITable_Release(t);
}

static void expand_row_adds_the_category_rows_and_returns_the_first(void **state)
{
    (void)state;
    IMAPITable *t = mail();
    assert_int_equal(FX_SORT(t, 1, 0, ASC(TAG_STR), ASC(TAG_ID)), S_OK);
    BYTE key[12];
    key_of(t, 1, key); /* "b" */
    LPSRowSet rows = NULL;
    ULONG more = 99;
    assert_int_equal(IMAPITable_ExpandRow(t, 12, key, 2, 0, &rows, &more), S_OK);
    assert_int_equal(more, 3); /* the total added */
    assert_int_equal(rows->cRows, 2);
    assert_int_equal(rows->aRow[0].lpProps[C_ID].Value.l, 1);
    assert_int_equal(rows->aRow[1].lpProps[C_ID].Value.l, 3);
    FreeProws(rows);
    /* The cursor is after the last row returned. */
    assert_int_equal(fx_pos(t), 4);
    EXPECT_VIEW(t, 100, 0, "6 h0-");
    EXPECT_WHOLE(t, "h0a H0b 1 3 6 h0-");
    assert_int_equal(fx_count(t), 6);
    /* Expanding an expanded category adds nothing; the cursor goes after it. */
    assert_int_equal(IMAPITable_ExpandRow(t, 12, key, 5, 0, &rows, &more), S_OK);
    assert_int_equal(more, 0);
    assert_int_equal(rows->cRows, 0);
    FreeProws(rows);
    assert_int_equal(fx_pos(t), 2);
    IMAPITable_Release(t);
}

static void expand_row_with_no_rows_asked_puts_the_cursor_after_the_heading(void **state)
{
    (void)state;
    IMAPITable *t = mail();
    assert_int_equal(FX_SORT(t, 1, 0, ASC(TAG_STR), ASC(TAG_ID)), S_OK);
    BYTE key[12];
    key_of(t, 0, key);
    ULONG more = 0;
    assert_int_equal(IMAPITable_ExpandRow(t, 12, key, 0, 0, NULL, &more), S_OK);
    assert_int_equal(more, 2);
    assert_int_equal(fx_pos(t), 1);
    EXPECT_VIEW(t, 1, 0, "2");
    IMAPITable_Release(t);
}

static void expand_row_of_an_outer_level_shows_collapsed_inner_headings(void **state)
{
    (void)state;
    IMAPITable *t = mail();
    assert_int_equal(FX_SORT(t, 2, 0, ASC(TAG_STR), ASC(TAG_NUM2), ASC(TAG_ID)), S_OK);
    BYTE key[12];
    key_of(t, 1, key);
    ULONG more = 0;
    assert_int_equal(IMAPITable_ExpandRow(t, 12, key, 0, 0, NULL, &more), S_OK);
    assert_int_equal(more, 2);
    EXPECT_WHOLE(t, "h0a H0b h1b1 h1b2 h0-");
    key_of(t, 2, key);
    assert_int_equal(IMAPITable_ExpandRow(t, 12, key, 0, 0, NULL, &more), S_OK);
    assert_int_equal(more, 2);
    EXPECT_WHOLE(t, "h0a H0b H1b1 1 6 h1b2 h0-");
    IMAPITable_Release(t);
}

static void collapse_row_hides_the_category_and_reports_rows_removed(void **state)
{
    (void)state;
    IMAPITable *t = mail();
    assert_int_equal(FX_SORT(t, 2, 2, ASC(TAG_STR), ASC(TAG_NUM2), ASC(TAG_ID)), S_OK);
    BYTE key[12];
    key_of(t, 5, key); /* H0b */
    ULONG removed = 0;
    assert_int_equal(IMAPITable_CollapseRow(t, 12, key, 0, &removed), S_OK);
    assert_int_equal(removed, 5);
    EXPECT_WHOLE(t, "H0a H1a1 4 H1a2 2 h0b H0- H1-1 5");
    assert_int_equal(fx_count(t), 9);
    /* Collapsing it again removes nothing. */
    assert_int_equal(IMAPITable_CollapseRow(t, 12, key, 0, &removed), S_OK);
    assert_int_equal(removed, 0);
    /* Expanding it again restores the inner levels as they were. */
    ULONG more = 0;
    assert_int_equal(IMAPITable_ExpandRow(t, 12, key, 0, 0, NULL, &more), S_OK);
    assert_int_equal(more, 5);
    EXPECT_WHOLE(t, "H0a H1a1 4 H1a2 2 H0b H1b1 1 6 H1b2 3 H0- H1-1 5");
    IMAPITable_Release(t);
}

static void collapsing_the_cursors_category_moves_the_cursor_after_the_heading(void **state)
{
    (void)state;
    IMAPITable *t = mail();
    assert_int_equal(FX_SORT(t, 1, 1, ASC(TAG_STR), ASC(TAG_ID)), S_OK);
    BYTE key[12];
    key_of(t, 3, key); /* H0b */
    fx_seek(t, BOOKMARK_BEGINNING, 5); /* on leaf 3 */
    BOOKMARK bk = 0;
    assert_int_equal(IMAPITable_CreateBookmark(t, &bk), S_OK);
    ULONG removed = 0;
    assert_int_equal(IMAPITable_CollapseRow(t, 12, key, 0, &removed), S_OK);
    assert_int_equal(removed, 3);
    assert_int_equal(fx_pos(t), 4);
    EXPECT_VIEW(t, 1, 0, "H0-");
    /* A bookmark in the hidden rows moved the same way. */
    assert_int_equal(IMAPITable_SeekRow(t, bk, 0, NULL), S_OK);
    assert_int_equal(fx_pos(t), 4);
    /* A cursor after the category moves up by the rows removed. */
    fx_seek(t, BOOKMARK_END, 0);
    ULONG more = 0;
    assert_int_equal(IMAPITable_ExpandRow(t, 12, key, 0, 0, NULL, &more), S_OK);
    fx_seek(t, BOOKMARK_BEGINNING, 8); /* on leaf 5 */
    assert_int_equal(IMAPITable_CollapseRow(t, 12, key, 0, &removed), S_OK);
    EXPECT_VIEW(t, 1, 0, "5");
    IMAPITable_Release(t);
}

static void expand_and_collapse_refuse_bad_keys_and_arguments(void **state)
{
    (void)state;
    IMAPITable *t = mail();
    BYTE key[12] = {0};
    ULONG n = 0;
    LPSRowSet rows = NULL;
    /* Not categorized. */
    assert_int_equal(IMAPITable_ExpandRow(t, 12, key, 0, 0, NULL, &n), MAPI_E_NOT_FOUND);
    fx_last_error_mentions(t, MAPI_E_NOT_FOUND, "not categorized");
    assert_int_equal(IMAPITable_CollapseRow(t, 12, key, 0, &n), MAPI_E_NOT_FOUND);
    assert_int_equal(FX_SORT(t, 1, 0, ASC(TAG_STR), ASC(TAG_ID)), S_OK);
    assert_int_equal(IMAPITable_ExpandRow(t, 12, key, 0, 0, NULL, &n), MAPI_E_NOT_FOUND);
    fx_last_error_mentions(t, MAPI_E_NOT_FOUND, "instance key");
    assert_int_equal(IMAPITable_CollapseRow(t, 12, key, 0, &n), MAPI_E_NOT_FOUND);
    fx_last_error_mentions(t, MAPI_E_NOT_FOUND, "instance key");
    assert_int_equal(IMAPITable_ExpandRow(t, 5, key, 0, 0, NULL, &n), MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "instance key");
    assert_int_equal(IMAPITable_CollapseRow(t, 12, NULL, 0, &n), MAPI_E_INVALID_PARAMETER);
    key_of(t, 0, key);
    assert_int_equal(IMAPITable_ExpandRow(t, 12, key, 0, 1, NULL, &n), MAPI_E_UNKNOWN_FLAGS);
    fx_last_error_mentions(t, MAPI_E_UNKNOWN_FLAGS, "ExpandRow");
    assert_int_equal(IMAPITable_ExpandRow(t, 12, key, 0, 0, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "ExpandRow");
    assert_int_equal(IMAPITable_ExpandRow(t, 12, key, 3, 0, NULL, &n), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPITable_CollapseRow(t, 12, key, 1, &n), MAPI_E_UNKNOWN_FLAGS);
    fx_last_error_mentions(t, MAPI_E_UNKNOWN_FLAGS, "CollapseRow");
    assert_int_equal(IMAPITable_CollapseRow(t, 12, key, 0, NULL), MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "CollapseRow");
    /* A leaf's instance key names no heading. */
    assert_int_equal(IMAPITable_ExpandRow(t, 12, key, 5, 0, &rows, &n), S_OK);
    FreeProws(rows);
    key_of(t, 1, key);
    assert_int_equal(IMAPITable_CollapseRow(t, 12, key, 0, &n), MAPI_E_NOT_FOUND);
    IMAPITable_Release(t);
}

static void collapse_state_round_trips_and_returns_to_the_row(void **state)
{
    (void)state;
    IMAPITable *t = mail();
    assert_int_equal(FX_SORT(t, 2, 1, ASC(TAG_STR), ASC(TAG_NUM2), ASC(TAG_ID)), S_OK);
    BYTE key[12];
    ULONG n = 0;
    key_of(t, 0, key); /* collapse "a" */
    assert_int_equal(IMAPITable_CollapseRow(t, 12, key, 0, &n), S_OK);
    key_of(t, 2, key); /* expand "b"/1 */
    assert_int_equal(IMAPITable_ExpandRow(t, 12, key, 0, 0, NULL, &n), S_OK);
    EXPECT_WHOLE(t, "h0a H0b H1b1 1 6 h1b2 H0- h1-1");
    key_of(t, 4, key); /* leaf 6 */
    ULONG cb = 0;
    LPBYTE blob = NULL;
    assert_int_equal(IMAPITable_GetCollapseState(t, 0, 12, key, &cb, &blob), S_OK);
    assert_non_null(blob);
    /* Sorting again with the same order resets every category. */
    assert_int_equal(FX_SORT(t, 2, 1, ASC(TAG_STR), ASC(TAG_NUM2), ASC(TAG_ID)), S_OK);
    EXPECT_WHOLE(t, "H0a h1a1 h1a2 H0b h1b1 h1b2 H0- h1-1");
    BOOKMARK bk = 0;
    assert_int_equal(IMAPITable_SetCollapseState(t, 0, cb, blob, &bk), S_OK);
    EXPECT_WHOLE(t, "h0a H0b H1b1 1 6 h1b2 H0- h1-1");
    assert_int_equal(IMAPITable_SeekRow(t, bk, 0, NULL), S_OK);
    EXPECT_VIEW(t, 1, 0, "6");
    assert_int_equal(IMAPITable_FreeBookmark(t, bk), S_OK);
    MAPIFreeBuffer(blob);
    /* Without an instance key the bookmark is at the beginning. */
    assert_int_equal(IMAPITable_GetCollapseState(t, 0, 0, NULL, &cb, &blob), S_OK);
    fx_seek(t, BOOKMARK_END, 0);
    assert_int_equal(IMAPITable_SetCollapseState(t, 0, cb, blob, &bk), S_OK);
    assert_int_equal(IMAPITable_SeekRow(t, bk, 0, NULL), S_OK);
    assert_int_equal(fx_pos(t), 0);
    MAPIFreeBuffer(blob);
    IMAPITable_Release(t);
}

static void set_collapse_state_refuses_bad_blobs(void **state)
{
    (void)state;
    IMAPITable *t = mail();
    BOOKMARK bk = 0;
    ULONG cb = 0;
    LPBYTE blob = NULL;
    assert_int_equal(IMAPITable_GetCollapseState(t, 0, 0, NULL, &cb, &blob), MAPI_E_NOT_FOUND);
    fx_last_error_mentions(t, MAPI_E_NOT_FOUND, "not categorized");
    assert_int_equal(FX_SORT(t, 1, 0, ASC(TAG_STR)), S_OK);
    BYTE key[12];
    key_of(t, 0, key);
    ULONG n = 0;
    assert_int_equal(IMAPITable_ExpandRow(t, 12, key, 0, 0, NULL, &n), S_OK);
    assert_int_equal(IMAPITable_GetCollapseState(t, 0, 0, NULL, &cb, &blob), S_OK);
    BYTE copy[256];
    assert_true(cb <= sizeof copy);
    memcpy(copy, blob, cb);
    assert_int_equal(IMAPITable_SetCollapseState(t, 0, cb - 1, copy, &bk),
                     MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "SetCollapseState");
    assert_int_equal(IMAPITable_SetCollapseState(t, 0, 8, copy, &bk), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPITable_SetCollapseState(t, 0, cb, NULL, &bk), MAPI_E_INVALID_PARAMETER);
    copy[0] ^= 0xFF;
    assert_int_equal(IMAPITable_SetCollapseState(t, 0, cb, copy, &bk), MAPI_E_INVALID_PARAMETER);
    copy[0] ^= 0xFF;
    assert_int_equal(IMAPITable_SetCollapseState(t, 1, cb, copy, &bk), MAPI_E_UNKNOWN_FLAGS);
    fx_last_error_mentions(t, MAPI_E_UNKNOWN_FLAGS, "SetCollapseState");
    assert_int_equal(IMAPITable_SetCollapseState(t, 0, cb, copy, NULL), MAPI_E_INVALID_PARAMETER);
    /* A state saved under another sort order is refused. */
    assert_int_equal(FX_SORT(t, 1, 0, DESC(TAG_STR)), S_OK);
    assert_int_equal(IMAPITable_SetCollapseState(t, 0, cb, copy, &bk), MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "another sort order");
    assert_int_equal(IMAPITable_GetCollapseState(t, 1, 0, NULL, &cb, &blob), MAPI_E_UNKNOWN_FLAGS);
    fx_last_error_mentions(t, MAPI_E_UNKNOWN_FLAGS, "GetCollapseState");
    assert_int_equal(IMAPITable_GetCollapseState(t, 0, 5, key, &cb, &blob),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPITable_GetCollapseState(t, 0, 0, NULL, NULL, &blob),
                     MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "GetCollapseState");
    MAPIFreeBuffer(blob);
    IMAPITable_Release(t);
}

static void find_row_on_a_heading_sees_only_its_category_values(void **state)
{
    (void)state;
    IMAPITable *t = mail();
    assert_int_equal(FX_SORT(t, 1, 1, ASC(TAG_STR), ASC(TAG_ID)), S_OK);
    /* Row 2 is the first leaf under "a": the heading must not match it. */
    SPropValue v = fx_long(TAG_ID, 2);
    SRestriction r = {.rt = RES_PROPERTY};
    r.res.resProperty.relop = RELOP_EQ;
    r.res.resProperty.ulPropTag = TAG_ID;
    r.res.resProperty.lpProp = &v;
    assert_int_equal(IMAPITable_FindRow(t, &r, BOOKMARK_BEGINNING, 0), S_OK);
    assert_int_equal(fx_pos(t), 1);
    /* Headings are found by their own columns. */
    SPropValue rt = fx_long(PR_ROW_TYPE, TBL_EXPANDED_CATEGORY);
    r.res.resProperty.ulPropTag = PR_ROW_TYPE;
    r.res.resProperty.lpProp = &rt;
    assert_int_equal(IMAPITable_FindRow(t, &r, BOOKMARK_CURRENT, 0), S_OK);
    EXPECT_VIEW(t, 1, 0, "H0b");
    SPropValue s = fx_str(TAG_STR, "b");
    r.res.resProperty.ulPropTag = TAG_STR;
    r.res.resProperty.lpProp = &s;
    assert_int_equal(IMAPITable_FindRow(t, &r, BOOKMARK_BEGINNING, 0), S_OK);
    EXPECT_VIEW(t, 1, 0, "H0b");
    IMAPITable_Release(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_expanded_level_shows_headings_above_their_leaves),
        cmocka_unit_test(headings_count_their_leaves_and_the_unread_ones),
        cmocka_unit_test(collapsed_levels_show_only_headings),
        cmocka_unit_test(descending_categories_keep_the_absent_one_last),
        cmocka_unit_test(two_levels_nest_and_expand_as_c_expanded_says),
        cmocka_unit_test(combined_columns_make_one_level_of_pairs),
        cmocka_unit_test(categ_max_orders_categories_newest_first),
        cmocka_unit_test(categ_min_orders_categories_by_their_smallest_value),
        cmocka_unit_test(categories_without_the_aggregated_value_come_last),
        cmocka_unit_test(an_mv_instance_category_puts_a_row_under_each_value),
        cmocka_unit_test(expand_row_adds_the_category_rows_and_returns_the_first),
        cmocka_unit_test(expand_row_with_no_rows_asked_puts_the_cursor_after_the_heading),
        cmocka_unit_test(expand_row_of_an_outer_level_shows_collapsed_inner_headings),
        cmocka_unit_test(collapse_row_hides_the_category_and_reports_rows_removed),
        cmocka_unit_test(collapsing_the_cursors_category_moves_the_cursor_after_the_heading),
        cmocka_unit_test(expand_and_collapse_refuse_bad_keys_and_arguments),
        cmocka_unit_test(collapse_state_round_trips_and_returns_to_the_row),
        cmocka_unit_test(set_collapse_state_refuses_bad_blobs),
        cmocka_unit_test(find_row_on_a_heading_sees_only_its_category_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
