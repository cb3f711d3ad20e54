/*
 * tests/table/test_window.c - an ordered (keyset-paged) view in bounded
 * memory: a contents table of a large folder paged to its end holds a few
 * segments of rows, not every row it passed, and positions that go back
 * (SeekRow, bookmarks, FindRow backwards, QueryPosition) still find their
 * rows, which are read again; a change while the cursor is on a dropped row
 * keeps it on that row.
 */
#include <stdio.h>
#include <string.h>

#include "../store/store_fixture.h"
#include "freemapi_alloc.h"
#include "freemapi_message.h"

#define ROWS 10000u

static LPMDB mdb;
static LPMAPIFOLDER inbox;

static void subject_of(unsigned i, char *out, size_t size)
{
    snprintf(out, size, "window message %05u", i);
}

/* ROWS messages delivered in order, saved a thousand at a time. */
static int fill_store(void **state)
{
    (void)state;
    mdb = fx_new_store("window");
    inbox = fx_inbox(mdb);
    LPMESSAGE group[1000];
    for (unsigned i = 0; i < ROWS;) {
        unsigned n = 0;
        for (; n < 1000 && i < ROWS; n++, i++) {
            group[n] = fx_new_message(inbox);
            char subject[64];
            subject_of(i, subject, sizeof subject);
            fx_set_string(group[n], PR_SUBJECT, subject);
            SPropValue when = { .ulPropTag = PR_MESSAGE_DELIVERY_TIME };
            when.Value.ft.dwLowDateTime = 1000u + i;
            when.Value.ft.dwHighDateTime = 0x01d00000u;
            assert_int_equal(IMessage_SetProps(group[n], 1, &when, NULL), S_OK);
        }
        assert_int_equal(fmapi_message_save_group(n, group, 0), S_OK);
        for (unsigned k = 0; k < n; k++)
            IMessage_Release(group[k]);
    }
    return 0;
}

static int close_store(void **state)
{
    (void)state;
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    return 0;
}

static LPMAPITABLE open_table(void)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(inbox, 0, &t), S_OK);
    SizedSPropTagArray(1, cols) = { 1, { PR_SUBJECT_A } };
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), S_OK);
    SizedSSortOrderSet(1, by_time) = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_ASCEND } } };
    assert_int_equal(IMAPITable_SortTable(t, (LPSSortOrderSet)&by_time, 0), S_OK);
    return t;
}

/* The next row's subject, or "" at the end. */
static void next_subject(LPMAPITABLE t, char *out, size_t size)
{
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 1, 0, &rows), S_OK);
    out[0] = '\0';
    if (rows->cRows == 1) {
        assert_int_equal(rows->aRow[0].lpProps[0].ulPropTag, PR_SUBJECT_A);
        snprintf(out, size, "%s", rows->aRow[0].lpProps[0].Value.lpszA);
    }
    FreeProws(rows);
}

static void assert_next_is(LPMAPITABLE t, unsigned i)
{
    char want[64], got[64];
    subject_of(i, want, sizeof want);
    next_subject(t, got, sizeof got);
    assert_string_equal(got, want);
}

static ULONG position(LPMAPITABLE t)
{
    ULONG row = 0, num = 0, den = 0;
    assert_int_equal(IMAPITable_QueryPosition(t, &row, &num, &den), S_OK);
    return row;
}

static uint64_t own_live_bytes(void)
{
    fmapi_alloc_stats s;
    fmapi_alloc_get_stats(&s);
    return s.live_bytes - s.live_sqlite_bytes; /* SQLite's page cache is its own bound */
}

static void paging_to_the_end_keeps_memory_bounded(void **state)
{
    (void)state;
    LPMAPITABLE t = open_table();
    unsigned seen = 0;
    uint64_t settled = 0, most = 0;
    for (;;) {
        LPSRowSet rows = NULL;
        assert_int_equal(IMAPITable_QueryRows(t, 100, 0, &rows), S_OK);
        for (ULONG r = 0; r < rows->cRows; r++) {
            char want[64];
            subject_of(seen + r, want, sizeof want);
            assert_string_equal(rows->aRow[r].lpProps[0].Value.lpszA, want);
        }
        seen += rows->cRows;
        ULONG n = rows->cRows;
        FreeProws(rows);
        if (n == 0)
            break;
        uint64_t live = own_live_bytes();
        if (seen == 3000) /* past the rows a view holds at once */
            settled = live;
        if (seen > 3000 && live > most)
            most = live;
    }
    assert_int_equal(seen, ROWS);
    /* 7,000 more rows passed: about 3 MB if every row were kept. What may
     * grow is one anchor row per 512 rows. */
    assert_true(most < settled + 64 * 1024);
    IMAPITable_Release(t);
}

static void positions_going_back_read_their_rows_again(void **state)
{
    (void)state;
    LPMAPITABLE t = open_table();
    LONG sought = 0;
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, 700, &sought), S_OK);
    assert_int_equal(sought, 700);
    BOOKMARK bk = 0;
    assert_int_equal(IMAPITable_CreateBookmark(t, &bk), S_OK);
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_END, 0, NULL), S_OK);
    assert_int_equal(position(t), ROWS);

    assert_int_equal(IMAPITable_SeekRow(t, bk, 0, NULL), S_OK);
    assert_int_equal(position(t), 700);
    assert_next_is(t, 700);
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    assert_next_is(t, 0);
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_END, -1, NULL), S_OK);
    assert_next_is(t, ROWS - 1);

    /* Backwards across every segment: rows come back in order. */
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_END, 0, NULL), S_OK);
    for (unsigned i = ROWS; i > 0; i -= 250) {
        LPSRowSet rows = NULL;
        assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_CURRENT, -250, &sought), S_OK);
        assert_int_equal(sought, -250);
        assert_int_equal(IMAPITable_QueryRows(t, 250, TBL_NOADVANCE, &rows), S_OK);
        assert_int_equal(rows->cRows, 250);
        char want[64];
        subject_of(i - 250, want, sizeof want);
        assert_string_equal(rows->aRow[0].lpProps[0].Value.lpszA, want);
        FreeProws(rows);
    }
    assert_int_equal(position(t), 0);

    /* FindRow backwards from the end to a row far behind. */
    char subject[64];
    subject_of(5, subject, sizeof subject);
    SPropValue v = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = subject };
    SRestriction r = { .rt = RES_PROPERTY };
    r.res.resProperty.relop = RELOP_EQ;
    r.res.resProperty.ulPropTag = PR_SUBJECT_A;
    r.res.resProperty.lpProp = &v;
    assert_int_equal(IMAPITable_FindRow(t, &r, BOOKMARK_END, DIR_BACKWARD), S_OK);
    assert_int_equal(position(t), 5);
    assert_next_is(t, 5);
    assert_int_equal(IMAPITable_FreeBookmark(t, bk), S_OK);
    IMAPITable_Release(t);
}

static void a_change_keeps_a_cursor_on_a_dropped_row(void **state)
{
    (void)state;
    LPMAPITABLE t = open_table();
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_END, 0, NULL), S_OK);
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, 1234, NULL), S_OK);
    /* A message delivered before every other one: rows move down by one. */
    LPMESSAGE m = fx_new_message(inbox);
    fx_set_string(m, PR_SUBJECT, "earliest");
    SPropValue when = { .ulPropTag = PR_MESSAGE_DELIVERY_TIME };
    when.Value.ft.dwLowDateTime = 1;
    when.Value.ft.dwHighDateTime = 0x01d00000u;
    assert_int_equal(IMessage_SetProps(m, 1, &when, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
    assert_int_equal(position(t), 1235);
    assert_next_is(t, 1234);
    IMAPITable_Release(t);
}

static HRESULT go_back_and_read(void *ctx)
{
    LPMAPITABLE t = ctx;
    HRESULT hr = IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, 2, NULL);
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = IMAPITable_QueryRows(t, 1, 0, &rows);
    if (hr == S_OK && (rows->cRows != 1 ||
                       strcmp(rows->aRow[0].lpProps[0].Value.lpszA, "window message 00002") != 0))
        hr = MAPI_E_CALL_FAILED;
    FreeProws(rows);
    /* Back at the end, so the next run reads the first segment again. */
    if (hr == S_OK)
        hr = IMAPITable_SeekRow(t, BOOKMARK_END, 0, NULL);
    if (hr == S_OK)
        hr = IMAPITable_QueryRows(t, -1, 0, &rows);
    if (hr == S_OK)
        FreeProws(rows);
    return hr;
}

static void reading_a_dropped_segment_again_survives_every_allocation_failure(void **state)
{
    (void)state;
    LPMAPITABLE t = open_table();
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_END, 0, NULL), S_OK);
    assert_true(fm_test_oom_sweep(go_back_and_read, t) > 10);
    IMAPITable_Release(t);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paging_to_the_end_keeps_memory_bounded),
        cmocka_unit_test(positions_going_back_read_their_rows_again),
        cmocka_unit_test(reading_a_dropped_segment_again_survives_every_allocation_failure),
        cmocka_unit_test(a_change_keeps_a_cursor_on_a_dropped_row),
    };
    return cmocka_run_group_tests(tests, fill_store, close_store);
}
