/*
 * tests/table/test_columns.c - IMAPITable::SetColumns and QueryColumns:
 * column order, PT_UNSPECIFIED and string widths, missing values,
 * MV_INSTANCE expansion, bad column sets.
 */
#include "table_fixture.h"

static const WCHAR W_HELLO[] = {'h', 'e', 'l', 'l', 'o', 0};
static const WCHAR W_WIDE[] = {'w', 'i', 'd', 'e', 0};

static LPSRowSet query(IMAPITable *t, LONG n)
{
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, n, 0, &rows), S_OK);
    return rows;
}

static void columns_come_back_in_the_order_set(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1), fx_long(TAG_NUM, 10), fx_str(TAG_STR, "x"))};
    IMAPITable *t = fx_table(rows, 1, 0);
    FX_COLS(t, TAG_STR, TAG_ID, TAG_NUM);
    LPSRowSet r = query(t, 10);
    assert_int_equal(r->cRows, 1);
    assert_int_equal(r->aRow[0].cValues, 3);
    assert_int_equal(r->aRow[0].lpProps[0].ulPropTag, TAG_STR);
    assert_string_equal(r->aRow[0].lpProps[0].Value.lpszA, "x");
    assert_int_equal(r->aRow[0].lpProps[1].ulPropTag, TAG_ID);
    assert_int_equal(r->aRow[0].lpProps[1].Value.l, 1);
    assert_int_equal(r->aRow[0].lpProps[2].ulPropTag, TAG_NUM);
    assert_int_equal(r->aRow[0].lpProps[2].Value.l, 10);
    FreeProws(r);
    IMAPITable_Release(t);
}

static void default_columns_are_the_sources_until_set(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 7), fx_long(TAG_NUM, 10))};
    IMAPITable *t = fx_table(rows, 1, 0);
    LPSPropTagArray cols = NULL;
    assert_int_equal(IMAPITable_QueryColumns(t, 0, &cols), S_OK);
    assert_int_equal(cols->cValues, 1);
    assert_int_equal(cols->aulPropTag[0], TAG_ID);
    MAPIFreeBuffer(cols);
    LPSRowSet r = query(t, 1);
    assert_int_equal(r->aRow[0].cValues, 1);
    assert_int_equal(r->aRow[0].lpProps[0].Value.l, 7);
    FreeProws(r);
    IMAPITable_Release(t);
}

static void query_columns_returns_the_set_columns(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1))};
    IMAPITable *t = fx_table(rows, 1, 0);
    FX_COLS(t, TAG_NUM, TAG_STR, PR_INSTANCE_KEY);
    LPSPropTagArray cols = NULL;
    assert_int_equal(IMAPITable_QueryColumns(t, 0, &cols), S_OK);
    assert_int_equal(cols->cValues, 3);
    assert_int_equal(cols->aulPropTag[0], TAG_NUM);
    assert_int_equal(cols->aulPropTag[1], TAG_STR);
    assert_int_equal(cols->aulPropTag[2], PR_INSTANCE_KEY);
    MAPIFreeBuffer(cols);
    IMAPITable_Release(t);
}

static int listed(const SPropTagArray *a, ULONG tag)
{
    for (ULONG i = 0; i < a->cValues; i++)
        if (a->aulPropTag[i] == tag)
            return 1;
    return 0;
}

static void query_columns_all_lists_every_column_rows_have(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1), fx_long(TAG_NUM, 10)),
                     FX_ROW(fx_long(TAG_ID, 2), fx_str(TAG_STR, "s"),
                            fx_long(PROP_TAG(PT_ERROR, 0x6799), MAPI_E_NOT_FOUND))};
    IMAPITable *t = fx_table(rows, 2, 0);
    LPSPropTagArray cols = NULL;
    assert_int_equal(IMAPITable_QueryColumns(t, TBL_ALL_COLUMNS, &cols), S_OK);
    assert_int_equal(cols->aulPropTag[0], TAG_ID); /* the defaults first */
    assert_true(listed(cols, TAG_NUM));
    assert_true(listed(cols, TAG_STR));
    assert_true(listed(cols, PR_INSTANCE_KEY));
    assert_false(listed(cols, PROP_TAG(PT_ERROR, 0x6799)));
    for (ULONG i = 0; i < cols->cValues; i++) /* no duplicates */
        for (ULONG j = i + 1; j < cols->cValues; j++)
            assert_int_not_equal(cols->aulPropTag[i], cols->aulPropTag[j]);
    MAPIFreeBuffer(cols);
    IMAPITable_Release(t);
}

static void query_columns_refuses_unknown_flags_and_null(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1))};
    IMAPITable *t = fx_table(rows, 1, 0);
    LPSPropTagArray cols = NULL;
    assert_int_equal(IMAPITable_QueryColumns(t, 0x80, &cols), MAPI_E_UNKNOWN_FLAGS);
    fx_last_error_mentions(t, MAPI_E_UNKNOWN_FLAGS, "QueryColumns");
    assert_int_equal(IMAPITable_QueryColumns(t, 0, NULL), MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "lpPropTagArray");
    IMAPITable_Release(t);
}

static void missing_values_are_pt_error_not_found(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1)),
                     FX_ROW(fx_long(TAG_ID, 2),
                            fx_long(PROP_TAG(PT_ERROR, PROP_ID(TAG_NUM)),
                                    MAPI_E_NOT_ENOUGH_MEMORY))};
    IMAPITable *t = fx_table(rows, 2, 0);
    FX_COLS(t, TAG_ID, TAG_NUM, TAG_STR);
    LPSRowSet r = query(t, 10);
    assert_int_equal(r->cRows, 2);
    assert_int_equal(r->aRow[0].lpProps[1].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(TAG_NUM)));
    assert_int_equal(r->aRow[0].lpProps[1].Value.err, MAPI_E_NOT_FOUND);
    assert_int_equal(r->aRow[0].lpProps[2].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(TAG_STR)));
    assert_int_equal(r->aRow[0].lpProps[2].Value.err, MAPI_E_NOT_FOUND);
    /* A row's own PT_ERROR value keeps its code. */
    assert_int_equal(r->aRow[1].lpProps[1].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(TAG_NUM)));
    assert_int_equal(r->aRow[1].lpProps[1].Value.err, MAPI_E_NOT_ENOUGH_MEMORY);
    FreeProws(r);
    IMAPITable_Release(t);
}

static void a_column_of_another_type_is_not_found(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1), fx_long(TAG_NUM, 5))};
    IMAPITable *t = fx_table(rows, 1, 0);
    FX_COLS(t, PROP_TAG(PT_STRING8, PROP_ID(TAG_NUM)));
    LPSRowSet r = query(t, 1);
    assert_int_equal(r->aRow[0].lpProps[0].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(TAG_NUM)));
    assert_int_equal(r->aRow[0].lpProps[0].Value.err, MAPI_E_NOT_FOUND);
    FreeProws(r);
    IMAPITable_Release(t);
}

static void unspecified_columns_take_the_values_type(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1), fx_long(TAG_NUM, 5), fx_str(TAG_STR, "narrow"),
                            fx_wstr(TAG_WSTR, W_WIDE))};
    IMAPITable *t = fx_table(rows, 1, 0);
    FX_COLS(t, PROP_TAG(PT_UNSPECIFIED, PROP_ID(TAG_NUM)),
            PROP_TAG(PT_UNSPECIFIED, PROP_ID(TAG_STR)),
            PROP_TAG(PT_UNSPECIFIED, PROP_ID(TAG_WSTR)),
            PROP_TAG(PT_UNSPECIFIED, PROP_ID(TAG_NUM2)));
    LPSRowSet r = query(t, 1);
    const SPropValue *v = r->aRow[0].lpProps;
    assert_int_equal(v[0].ulPropTag, TAG_NUM);
    assert_int_equal(v[0].Value.l, 5);
    /* Without MAPI_UNICODE strings come back as PT_STRING8. */
    assert_int_equal(v[1].ulPropTag, TAG_STR);
    assert_string_equal(v[1].Value.lpszA, "narrow");
    assert_int_equal(v[2].ulPropTag, PROP_TAG(PT_STRING8, PROP_ID(TAG_WSTR)));
    assert_string_equal(v[2].Value.lpszA, "wide");
    assert_int_equal(v[3].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(TAG_NUM2)));
    assert_int_equal(v[3].Value.err, MAPI_E_NOT_FOUND);
    FreeProws(r);
    IMAPITable_Release(t);
}

static void unspecified_string_columns_are_unicode_under_mapi_unicode(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1), fx_str(TAG_STR, "hello"),
                            fx_wstr(TAG_WSTR, W_WIDE), fx_long(TAG_NUM, 3))};
    IMAPITable *t = fx_table(rows, 1, MAPI_UNICODE);
    FX_COLS(t, PROP_TAG(PT_UNSPECIFIED, PROP_ID(TAG_STR)),
            PROP_TAG(PT_UNSPECIFIED, PROP_ID(TAG_WSTR)),
            PROP_TAG(PT_UNSPECIFIED, PROP_ID(TAG_NUM)));
    LPSRowSet r = query(t, 1);
    const SPropValue *v = r->aRow[0].lpProps;
    assert_int_equal(v[0].ulPropTag, PROP_TAG(PT_UNICODE, PROP_ID(TAG_STR)));
    assert_memory_equal(v[0].Value.lpszW, W_HELLO, sizeof W_HELLO);
    assert_int_equal(v[1].ulPropTag, TAG_WSTR);
    assert_memory_equal(v[1].Value.lpszW, W_WIDE, sizeof W_WIDE);
    assert_int_equal(v[2].ulPropTag, TAG_NUM); /* non-strings keep their type */
    FreeProws(r);
    IMAPITable_Release(t);
}

static void a_string8_column_converts_a_unicode_value_and_back(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1), fx_str(TAG_STR, "hello"),
                            fx_wstr(TAG_WSTR, W_WIDE))};
    IMAPITable *t = fx_table(rows, 1, 0);
    FX_COLS(t, PROP_TAG(PT_UNICODE, PROP_ID(TAG_STR)), PROP_TAG(PT_STRING8, PROP_ID(TAG_WSTR)));
    LPSRowSet r = query(t, 1);
    const SPropValue *v = r->aRow[0].lpProps;
    assert_int_equal(v[0].ulPropTag, PROP_TAG(PT_UNICODE, PROP_ID(TAG_STR)));
    assert_memory_equal(v[0].Value.lpszW, W_HELLO, sizeof W_HELLO);
    assert_int_equal(v[1].ulPropTag, PROP_TAG(PT_STRING8, PROP_ID(TAG_WSTR)));
    assert_string_equal(v[1].Value.lpszA, "wide");
    FreeProws(r);
    IMAPITable_Release(t);
}

static void a_multivalued_column_returns_the_whole_array(void **state)
{
    (void)state;
    char *s[] = {"a", "b"};
    LONG l[] = {3, 1, 2};
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1), fx_mvs(TAG_MVS, s, 2), fx_mvl(TAG_MVL, l, 3))};
    IMAPITable *t = fx_table(rows, 1, 0);
    FX_COLS(t, TAG_MVS, TAG_MVL, PROP_TAG(PT_MV_UNICODE, PROP_ID(TAG_MVS)));
    LPSRowSet r = query(t, 5);
    assert_int_equal(r->cRows, 1);
    const SPropValue *v = r->aRow[0].lpProps;
    assert_int_equal(v[0].ulPropTag, TAG_MVS);
    assert_int_equal(v[0].Value.MVszA.cValues, 2);
    assert_string_equal(v[0].Value.MVszA.lppszA[1], "b");
    assert_int_equal(v[1].Value.MVl.cValues, 3);
    assert_int_equal(v[1].Value.MVl.lpl[2], 2);
    assert_int_equal(v[2].ulPropTag, PROP_TAG(PT_MV_UNICODE, PROP_ID(TAG_MVS)));
    assert_int_equal(v[2].Value.MVszW.cValues, 2);
    assert_int_equal(v[2].Value.MVszW.lppszW[0][0], 'a');
    FreeProws(r);
    IMAPITable_Release(t);
}

static void an_mv_instance_column_gives_one_row_per_value(void **state)
{
    (void)state;
    char *s2[] = {"red", "blue"};
    char *s1[] = {"green"};
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1), fx_mvs(TAG_MVS, s2, 2)),
                     FX_ROW(fx_long(TAG_ID, 2)), /* no values: one row, PT_ERROR */
                     FX_ROW(fx_long(TAG_ID, 3), fx_mvs(TAG_MVS, s1, 1)),
                     FX_ROW(fx_long(TAG_ID, 4), fx_str(PROP_TAG(PT_STRING8, 0x6704), "single"))};
    IMAPITable *t = fx_table(rows, 4, 0);
    FX_COLS(t, TAG_ID, MVI_PROP(TAG_MVS), PR_INSTANCE_KEY);
    assert_int_equal(fx_count(t), 5);
    LPSRowSet r = query(t, 10);
    assert_int_equal(r->cRows, 5);
    LONG ids[] = {1, 1, 2, 3, 4};
    const char *vals[] = {"red", "blue", NULL, "green", NULL};
    for (ULONG i = 0; i < 5; i++) {
        const SPropValue *v = r->aRow[i].lpProps;
        assert_int_equal(v[0].Value.l, ids[i]);
        if (vals[i]) {
            assert_int_equal(v[1].ulPropTag, MVI_PROP(TAG_MVS));
            assert_string_equal(v[1].Value.lpszA, vals[i]);
        } else {
            assert_int_equal(v[1].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(TAG_MVS)));
            assert_int_equal(v[1].Value.err, MAPI_E_NOT_FOUND);
        }
        /* Every row, instance rows included, has its own instance key. */
        assert_int_equal(v[2].Value.bin.cb, 12);
        for (ULONG j = 0; j < i; j++)
            assert_memory_not_equal(v[2].Value.bin.lpb, r->aRow[j].lpProps[2].Value.bin.lpb, 12);
    }
    FreeProws(r);
    IMAPITable_Release(t);
}

static void an_mv_instance_column_converts_string_width(void **state)
{
    (void)state;
    char *s[] = {"one", "two"};
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1), fx_mvs(TAG_MVS, s, 2))};
    IMAPITable *t = fx_table(rows, 1, 0);
    ULONG col = MVI_PROP(PROP_TAG(PT_MV_UNICODE, PROP_ID(TAG_MVS)));
    FX_COLS(t, TAG_ID, col);
    LPSRowSet r = query(t, 10);
    assert_int_equal(r->cRows, 2);
    static const WCHAR two[] = {'t', 'w', 'o', 0};
    assert_int_equal(r->aRow[1].lpProps[1].ulPropTag, col);
    assert_memory_equal(r->aRow[1].lpProps[1].Value.lpszW, two, sizeof two);
    FreeProws(r);
    IMAPITable_Release(t);
}

static void an_mv_instance_column_of_longs_expands_and_sorts(void **state)
{
    (void)state;
    LONG a[] = {30, 10};
    LONG b[] = {20};
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1), fx_mvl(TAG_MVL, a, 2)),
                     FX_ROW(fx_long(TAG_ID, 2), fx_mvl(TAG_MVL, b, 1))};
    IMAPITable *t = fx_table(rows, 2, 0);
    FX_COLS(t, TAG_ID, MVI_PROP(TAG_MVL));
    assert_int_equal(FX_SORT(t, 0, 0, ASC(MVI_PROP(TAG_MVL))), S_OK);
    LPSRowSet r = query(t, 10);
    assert_int_equal(r->cRows, 3);
    LONG want[][2] = {{1, 10}, {2, 20}, {1, 30}};
    for (ULONG i = 0; i < 3; i++) {
        assert_int_equal(r->aRow[i].lpProps[0].Value.l, want[i][0]);
        assert_int_equal(r->aRow[i].lpProps[1].ulPropTag, MVI_PROP(TAG_MVL));
        assert_int_equal(r->aRow[i].lpProps[1].Value.l, want[i][1]);
    }
    FreeProws(r);
    IMAPITable_Release(t);
}

static void dropping_the_mv_instance_column_collapses_rows_again(void **state)
{
    (void)state;
    char *s[] = {"a", "b", "c"};
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1), fx_mvs(TAG_MVS, s, 3))};
    IMAPITable *t = fx_table(rows, 1, 0);
    FX_COLS(t, TAG_ID, MVI_PROP(TAG_MVS));
    assert_int_equal(fx_count(t), 3);
    FX_COLS(t, TAG_ID, TAG_MVS);
    assert_int_equal(fx_count(t), 1);
    FX_EXPECT(t, 10, 0, 1);
    IMAPITable_Release(t);
}

static void a_plain_mv_column_beside_an_mv_instance_sort_shows_every_value(void **state)
{
    (void)state;
    char *s[] = {"b", "a"};
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1), fx_mvs(TAG_MVS, s, 2))};
    IMAPITable *t = fx_table(rows, 1, 0);
    FX_COLS(t, TAG_ID, TAG_MVS);
    assert_int_equal(FX_SORT(t, 0, 0, ASC(MVI_PROP(TAG_MVS))), S_OK);
    LPSRowSet r = query(t, 10);
    assert_int_equal(r->cRows, 2);
    for (ULONG i = 0; i < 2; i++) {
        const SPropValue *v = &r->aRow[i].lpProps[1];
        assert_int_equal(v->ulPropTag, TAG_MVS);
        assert_int_equal(v->Value.MVszA.cValues, 2);
        assert_string_equal(v->Value.MVszA.lppszA[0], "b");
        assert_string_equal(v->Value.MVszA.lppszA[1], "a");
    }
    FreeProws(r);
    IMAPITable_Release(t);
}

static void two_different_mv_instance_tags_are_too_complex(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1))};
    IMAPITable *t = fx_table(rows, 1, 0);
    ULONG tags[] = {MVI_PROP(TAG_MVS), MVI_PROP(TAG_MVL)};
    SizedSPropTagArray(2, cols) = {2, {tags[0], tags[1]}};
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), MAPI_E_TOO_COMPLEX);
    fx_last_error_mentions(t, MAPI_E_TOO_COMPLEX, "one multivalued property");
    /* One in the sort order and another in the columns: also too complex. */
    FX_COLS(t, TAG_ID, MVI_PROP(TAG_MVS));
    assert_int_equal(FX_SORT(t, 0, 0, ASC(MVI_PROP(TAG_MVL))), MAPI_E_TOO_COMPLEX);
    assert_int_equal(FX_SORT(t, 0, 0, ASC(MVI_PROP(TAG_MVS))), S_OK);
    SizedSPropTagArray(2, other) = {2, {TAG_ID, MVI_PROP(TAG_MVL)}};
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&other, 0), MAPI_E_TOO_COMPLEX);
    /* The failed calls changed nothing. */
    LPSPropTagArray now = NULL;
    assert_int_equal(IMAPITable_QueryColumns(t, 0, &now), S_OK);
    assert_int_equal(now->cValues, 2);
    assert_int_equal(now->aulPropTag[1], MVI_PROP(TAG_MVS));
    MAPIFreeBuffer(now);
    IMAPITable_Release(t);
}

static void bad_column_sets_are_refused_and_change_nothing(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1), fx_long(TAG_NUM, 2))};
    IMAPITable *t = fx_table(rows, 1, 0);
    FX_COLS(t, TAG_NUM);
    assert_int_equal(IMAPITable_SetColumns(t, NULL, 0), MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "SetColumns");
    SizedSPropTagArray(1, empty) = {0, {0}};
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&empty, 0),
                     MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "at least one column");
    SizedSPropTagArray(1, err) = {1, {PROP_TAG(PT_ERROR, 0x6700)}};
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&err, 0), MAPI_E_INVALID_TYPE);
    SizedSPropTagArray(1, badtype) = {1, {PROP_TAG(0x0777, 0x6700)}};
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&badtype, 0), MAPI_E_INVALID_TYPE);
    fx_last_error_mentions(t, MAPI_E_INVALID_TYPE, "SetColumns");
    SizedSPropTagArray(1, ok) = {1, {TAG_ID}};
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&ok, 0x100), MAPI_E_UNKNOWN_FLAGS);
    fx_last_error_mentions(t, MAPI_E_UNKNOWN_FLAGS, "SetColumns");
    /* TBL_ASYNC and TBL_BATCH are accepted. */
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&ok, TBL_ASYNC | TBL_BATCH), S_OK);
    FX_EXPECT(t, 1, 0, 1);
    IMAPITable_Release(t);
}

static void set_columns_keeps_the_cursor(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1)), FX_ROW(fx_long(TAG_ID, 2)),
                     FX_ROW(fx_long(TAG_ID, 3))};
    IMAPITable *t = fx_table(rows, 3, 0);
    FX_EXPECT(t, 2, 0, 1, 2);
    FX_COLS(t, TAG_NUM, TAG_ID);
    assert_int_equal(fx_pos(t), 2);
    FX_EXPECT(t, 5, 0, 3);
    IMAPITable_Release(t);
}

static void every_property_type_comes_back_as_stored(void **state)
{
    (void)state;
    GUID g = {0x01020304, 0x0506, 0x0708, {9, 10, 11, 12, 13, 14, 15, 16}};
    BYTE bin[] = {1, 2, 3};
    short mvi[] = {1, -2};
    SPropValue v[12];
    memset(v, 0, sizeof v);
    v[0].ulPropTag = PROP_TAG(PT_I2, 0x6710);
    v[0].Value.i = -7;
    v[1].ulPropTag = PROP_TAG(PT_R4, 0x6711);
    v[1].Value.flt = 1.5f;
    v[2].ulPropTag = PROP_TAG(PT_DOUBLE, 0x6712);
    v[2].Value.dbl = 2.25;
    v[3].ulPropTag = PROP_TAG(PT_CURRENCY, 0x6713);
    v[3].Value.cur.int64 = 12345;
    v[4].ulPropTag = PROP_TAG(PT_APPTIME, 0x6714);
    v[4].Value.at = 3.5;
    v[5].ulPropTag = PROP_TAG(PT_BOOLEAN, 0x6715);
    v[5].Value.b = 1;
    v[6].ulPropTag = PROP_TAG(PT_I8, 0x6716);
    v[6].Value.li.QuadPart = -99;
    v[7].ulPropTag = PROP_TAG(PT_SYSTIME, 0x6717);
    v[7].Value.ft.dwHighDateTime = 5;
    v[8].ulPropTag = PROP_TAG(PT_CLSID, 0x6718);
    v[8].Value.lpguid = &g;
    v[9].ulPropTag = PROP_TAG(PT_BINARY, 0x6719);
    v[9].Value.bin.cb = 3;
    v[9].Value.bin.lpb = bin;
    v[10].ulPropTag = PROP_TAG(PT_MV_I2, 0x671A);
    v[10].Value.MVi.cValues = 2;
    v[10].Value.MVi.lpi = mvi;
    v[11].ulPropTag = PROP_TAG(PT_NULL, 0x671B);
    SPropValue all[13];
    all[0] = fx_long(TAG_ID, 1);
    memcpy(all + 1, v, sizeof v);
    SRowSet set = {1, {{0, 13, all}}};
    static const ULONG defaults[] = {TAG_ID};
    IMAPITable *t = NULL;
    assert_int_equal(fm_table_from_rows(&set, defaults, 1, 0, &t), S_OK);
    SizedSPropTagArray(12, cols);
    cols.cValues = 12;
    for (ULONG i = 0; i < 12; i++)
        cols.aulPropTag[i] = v[i].ulPropTag;
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), S_OK);
    LPSRowSet r = query(t, 1);
    assert_int_equal(r->cRows, 1);
    const SPropValue *got = r->aRow[0].lpProps;
    for (ULONG i = 0; i < 12; i++)
        assert_int_equal(got[i].ulPropTag, v[i].ulPropTag);
    assert_int_equal(got[0].Value.i, -7);
    assert_true(got[1].Value.flt == 1.5f);
    assert_true(got[2].Value.dbl == 2.25);
    assert_int_equal(got[3].Value.cur.int64, 12345);
    assert_true(got[4].Value.at == 3.5);
    assert_int_equal(got[5].Value.b, 1);
    assert_int_equal(got[6].Value.li.QuadPart, -99);
    assert_int_equal(got[7].Value.ft.dwHighDateTime, 5);
    assert_memory_equal(got[8].Value.lpguid, &g, sizeof g);
    assert_ptr_not_equal(got[8].Value.lpguid, &g);
    assert_memory_equal(got[9].Value.bin.lpb, bin, 3);
    assert_int_equal(got[10].Value.MVi.lpi[1], -2);
    FreeProws(r);
    IMAPITable_Release(t);
}

static void a_table_over_invalid_rows_is_refused(void **state)
{
    (void)state;
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    char *none[] = {NULL};
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1), fx_mvs(TAG_MVS, none, 0))};
    LPSRowSet set = fx_rowset(rows, 1);
    IMAPITable *t = (IMAPITable *)0x1;
    assert_int_equal(fm_table_from_rows(set, NULL, 0, 0, &t), MAPI_E_INVALID_PARAMETER);
    assert_null(t);
    assert_non_null(strstr(fmapi_last_error(), "no values"));
    MAPIFreeBuffer(set);
    fm_test_assert_no_leak(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(columns_come_back_in_the_order_set),
        cmocka_unit_test(default_columns_are_the_sources_until_set),
        cmocka_unit_test(query_columns_returns_the_set_columns),
        cmocka_unit_test(query_columns_all_lists_every_column_rows_have),
        cmocka_unit_test(query_columns_refuses_unknown_flags_and_null),
        cmocka_unit_test(missing_values_are_pt_error_not_found),
        cmocka_unit_test(a_column_of_another_type_is_not_found),
        cmocka_unit_test(unspecified_columns_take_the_values_type),
        cmocka_unit_test(unspecified_string_columns_are_unicode_under_mapi_unicode),
        cmocka_unit_test(a_string8_column_converts_a_unicode_value_and_back),
        cmocka_unit_test(a_multivalued_column_returns_the_whole_array),
        cmocka_unit_test(an_mv_instance_column_gives_one_row_per_value),
        cmocka_unit_test(an_mv_instance_column_converts_string_width),
        cmocka_unit_test(an_mv_instance_column_of_longs_expands_and_sorts),
        cmocka_unit_test(dropping_the_mv_instance_column_collapses_rows_again),
        cmocka_unit_test(a_plain_mv_column_beside_an_mv_instance_sort_shows_every_value),
        cmocka_unit_test(two_different_mv_instance_tags_are_too_complex),
        cmocka_unit_test(bad_column_sets_are_refused_and_change_nothing),
        cmocka_unit_test(set_columns_keeps_the_cursor),
        cmocka_unit_test(every_property_type_comes_back_as_stored),
        cmocka_unit_test(a_table_over_invalid_rows_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
