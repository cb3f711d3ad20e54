/*
 * tests/table/test_oom.c - leak checks and out-of-memory sweeps over the
 * table engine: creation, SortTable + QueryRows, categorized QueryRows
 * with ExpandRow/CollapseRow and collapse state, FindRow and bookmarks,
 * MV_INSTANCE expansion, a live rebuild, HrQueryAllRows.
 */
#include "table_fixture.h"

static const char *NAMES[] = {"delta", "Alpha", "charlie", "Bravo", "alpha", "echo"};

static void fill(fx_row *rows, ULONG n)
{
    static char *mv[] = {"x", "y"};
    for (ULONG i = 0; i < n; i++) {
        rows[i] = FX_ROW(fx_long(TAG_ID, (LONG)i + 1), fx_long(TAG_NUM, (LONG)(i % 3)),
                         fx_str(TAG_STR, NAMES[i % 6]), fx_long(PR_MESSAGE_FLAGS, (LONG)(i & 1)),
                         fx_mvs(TAG_MVS, mv, 1 + i % 2));
    }
}

static HRESULT make(IMAPITable **t)
{
    fx_row rows[12];
    fill(rows, 12);
    LPSRowSet set = NULL;
    if (MAPIAllocateBuffer(CbNewSRowSet(12), (void **)&set) != S_OK)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    set->cRows = 12;
    for (ULONG i = 0; i < 12; i++) {
        set->aRow[i].ulAdrEntryPad = 0;
        set->aRow[i].cValues = rows[i].c;
        set->aRow[i].lpProps = rows[i].v;
    }
    static const ULONG defaults[] = {TAG_ID, TAG_STR};
    HRESULT hr = fm_table_from_rows(set, defaults, 2, 0, t);
    MAPIFreeBuffer(set);
    return hr;
}

static HRESULT body_create(void *ctx)
{
    (void)ctx;
    IMAPITable *t = NULL;
    HRESULT hr = make(&t);
    if (hr == S_OK)
        IMAPITable_Release(t);
    return hr;
}

static HRESULT set_cols(IMAPITable *t, ULONG n, const ULONG *tags)
{
    SizedSPropTagArray(8, cols);
    cols.cValues = n;
    memcpy(cols.aulPropTag, tags, n * sizeof *tags);
    return IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
}

static HRESULT read_all(IMAPITable *t, ULONG *n)
{
    LPSRowSet rows = NULL;
    HRESULT hr = IMAPITable_QueryRows(t, 100, 0, &rows);
    if (hr == S_OK) {
        *n = rows->cRows;
        FreeProws(rows);
    }
    return hr;
}

static HRESULT body_sort_and_query(void *ctx)
{
    (void)ctx;
    IMAPITable *t = NULL;
    HRESULT hr = make(&t);
    if (hr != S_OK)
        return hr;
    static const ULONG tags[] = {TAG_ID, TAG_STR, PROP_TAG(PT_UNICODE, PROP_ID(TAG_STR)),
                                 TAG_MVS, PR_INSTANCE_KEY};
    hr = set_cols(t, 5, tags);
    if (hr == S_OK)
        hr = FX_SORT(t, 0, 0, DESC(TAG_NUM), ASC(TAG_STR));
    ULONG n = 0;
    if (hr == S_OK)
        hr = read_all(t, &n);
    if (hr == S_OK && n != 12)
        hr = MAPI_E_CALL_FAILED;
    LPSSortOrderSet s = NULL;
    if (hr == S_OK)
        hr = IMAPITable_QuerySortOrder(t, &s);
    MAPIFreeBuffer(s);
    LPSPropTagArray c = NULL;
    if (hr == S_OK)
        hr = IMAPITable_QueryColumns(t, TBL_ALL_COLUMNS, &c);
    MAPIFreeBuffer(c);
    IMAPITable_Release(t);
    return hr;
}

static HRESULT body_categories(void *ctx)
{
    (void)ctx;
    IMAPITable *t = NULL;
    HRESULT hr = make(&t);
    if (hr != S_OK)
        return hr;
    static const ULONG tags[] = {TAG_ID, TAG_STR, PR_INSTANCE_KEY, PR_ROW_TYPE, PR_DEPTH,
                                 PR_CONTENT_COUNT, PR_CONTENT_UNREAD};
    hr = set_cols(t, 7, tags);
    if (hr == S_OK)
        hr = FX_SORT(t, 2, 1, ASC(TAG_NUM), ((SSortOrder){TAG_ID, TABLE_SORT_CATEG_MAX}),
                     ASC(TAG_STR), DESC(TAG_ID));
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = IMAPITable_QueryRows(t, 100, 0, &rows);
    BYTE key[12];
    if (hr == S_OK) {
        memcpy(key, rows->aRow[1].lpProps[2].Value.bin.lpb, 12);
        FreeProws(rows);
    }
    ULONG more = 0;
    if (hr == S_OK)
        hr = IMAPITable_ExpandRow(t, 12, key, 3, 0, &rows, &more);
    if (hr == S_OK)
        FreeProws(rows);
    ULONG cb = 0;
    LPBYTE blob = NULL;
    if (hr == S_OK)
        hr = IMAPITable_GetCollapseState(t, 0, 12, key, &cb, &blob);
    if (hr == S_OK)
        hr = IMAPITable_CollapseRow(t, 12, key, 0, &more);
    BOOKMARK bk = 0;
    if (hr == S_OK)
        hr = IMAPITable_SetCollapseState(t, 0, cb, blob, &bk);
    MAPIFreeBuffer(blob);
    if (hr == S_OK)
        hr = IMAPITable_FreeBookmark(t, bk);
    if (hr == S_OK)
        hr = IMAPITable_GetRowCount(t, 0, &more);
    IMAPITable_Release(t);
    return hr;
}

static HRESULT body_find(void *ctx)
{
    (void)ctx;
    IMAPITable *t = NULL;
    HRESULT hr = make(&t);
    if (hr != S_OK)
        return hr;
    SPropValue v = fx_str(TAG_STR, "ALPHA");
    SRestriction r = {.rt = RES_CONTENT};
    r.res.resContent.ulFuzzyLevel = FL_FULLSTRING | FL_IGNORECASE;
    r.res.resContent.ulPropTag = TAG_STR;
    r.res.resContent.lpProp = &v;
    BOOKMARK bk = 0;
    hr = IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, 3, NULL);
    if (hr == S_OK)
        hr = IMAPITable_CreateBookmark(t, &bk);
    if (hr == S_OK)
        hr = IMAPITable_FindRow(t, &r, bk, 0);
    if (hr == S_OK)
        hr = IMAPITable_FindRow(t, &r, BOOKMARK_END, DIR_BACKWARD);
    if (hr == S_OK)
        hr = IMAPITable_Restrict(t, &r, 0);
    ULONG n = 0;
    if (hr == S_OK)
        hr = read_all(t, &n);
    if (hr == S_OK && n != 4)
        hr = MAPI_E_CALL_FAILED;
    if (hr == S_OK)
        hr = IMAPITable_SeekRowApprox(t, 1, 2);
    ULONG a, b, c;
    if (hr == S_OK)
        hr = IMAPITable_QueryPosition(t, &a, &b, &c);
    if (bk)
        IMAPITable_FreeBookmark(t, bk);
    IMAPITable_Release(t);
    return hr;
}

static HRESULT body_mv_instance(void *ctx)
{
    (void)ctx;
    IMAPITable *t = NULL;
    HRESULT hr = make(&t);
    if (hr != S_OK)
        return hr;
    static const ULONG tags[] = {TAG_ID, MVI_PROP(PROP_TAG(PT_MV_UNICODE, PROP_ID(TAG_MVS))),
                                 PR_INSTANCE_KEY};
    hr = set_cols(t, 3, tags);
    if (hr == S_OK)
        hr = FX_SORT(t, 1, 1, DESC(MVI_PROP(TAG_MVS)), ASC(TAG_ID));
    ULONG n = 0;
    if (hr == S_OK)
        hr = read_all(t, &n);
    if (hr == S_OK && n != 20)
        hr = MAPI_E_CALL_FAILED;
    IMAPITable_Release(t);
    return hr;
}

static HRESULT body_live(void *ctx)
{
    fx_live *l = ctx;
    fx_live copy = *l;
    static const ULONG defaults[] = {TAG_ID};
    fm_memory_source_def def = {.name = "oom rows",
                                .context = &copy,
                                .load = fx_live_load,
                                .generation = fx_live_generation,
                                .release = fx_live_release,
                                .default_columns = defaults,
                                .ndefault = 1,
                                .id_tag = TAG_ID};
    fm_table_source *src = NULL;
    HRESULT hr = fm_memory_source_new(&def, &src);
    if (hr != S_OK)
        return hr;
    IMAPITable *t = NULL;
    hr = fm_table_new(src, 0, &t);
    if (hr != S_OK)
        return hr;
    hr = FX_SORT(t, 0, 0, ASC(TAG_STR));
    BOOKMARK bk = 0;
    if (hr == S_OK)
        hr = IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, 2, NULL);
    if (hr == S_OK)
        hr = IMAPITable_CreateBookmark(t, &bk);
    if (hr == S_OK) {
        copy.n--;
        copy.generation++;
        hr = IMAPITable_SeekRow(t, bk, 1, NULL);
        if (hr == MAPI_W_POSITION_CHANGED)
            hr = S_OK;
    }
    ULONG n = 0;
    if (hr == S_OK)
        hr = read_all(t, &n);
    IMAPITable_Release(t);
    return hr;
}

static HRESULT body_hrqueryallrows(void *ctx)
{
    (void)ctx;
    IMAPITable *t = NULL;
    HRESULT hr = make(&t);
    if (hr != S_OK)
        return hr;
    SizedSPropTagArray(2, cols) = {2, {TAG_STR, TAG_NUM}};
    SizedSSortOrderSet(1, s) = {1, 0, 0, {{TAG_STR, TABLE_SORT_DESCEND}}};
    SRestriction r = {.rt = RES_EXIST};
    r.res.resExist.ulPropTag = TAG_NUM;
    LPSRowSet rows = NULL;
    hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, &r, (LPSSortOrderSet)&s, 0, &rows);
    if (hr == S_OK)
        FreeProws(rows);
    IMAPITable_Release(t);
    return hr;
}

static void table_creation_survives_every_allocation_failure(void **state)
{
    (void)state;
    assert_true(fm_test_oom_sweep(body_create, NULL) > 0);
}

static void sort_and_query_survive_every_allocation_failure(void **state)
{
    (void)state;
    assert_true(fm_test_oom_sweep(body_sort_and_query, NULL) > 0);
}

static void categorized_queries_survive_every_allocation_failure(void **state)
{
    (void)state;
    assert_true(fm_test_oom_sweep(body_categories, NULL) > 0);
}

static void find_row_and_restrict_survive_every_allocation_failure(void **state)
{
    (void)state;
    assert_true(fm_test_oom_sweep(body_find, NULL) > 0);
}

static void mv_instance_expansion_survives_every_allocation_failure(void **state)
{
    (void)state;
    assert_true(fm_test_oom_sweep(body_mv_instance, NULL) > 0);
}

static void live_rebuilds_survive_every_allocation_failure(void **state)
{
    (void)state;
    fx_live l;
    memset(&l, 0, sizeof l);
    for (ULONG i = 0; i < 6; i++)
        l.rows[i] = FX_ROW(fx_long(TAG_ID, (LONG)i + 1), fx_str(TAG_STR, NAMES[i]));
    l.n = 6;
    assert_true(fm_test_oom_sweep(body_live, &l) > 0);
}

static void hrqueryallrows_survives_every_allocation_failure(void **state)
{
    (void)state;
    assert_true(fm_test_oom_sweep(body_hrqueryallrows, NULL) > 0);
}

static void a_failed_sort_leaves_the_table_as_it_was(void **state)
{
    (void)state;
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    IMAPITable *t = NULL;
    assert_int_equal(make(&t), S_OK);
    assert_int_equal(FX_SORT(t, 1, 1, ASC(TAG_NUM), DESC(TAG_ID)), S_OK);
    ULONG before = fx_count(t);
    /* Every allocation SortTable makes, failed in turn. */
    for (unsigned k = 1; k < 20; k++) {
        fmapi_alloc_fail_nth(k);
        HRESULT hr = FX_SORT(t, 0, 0, ASC(TAG_STR));
        fmapi_alloc_fail_off();
        if (hr == S_OK) {
            assert_int_equal(FX_SORT(t, 1, 1, ASC(TAG_NUM), DESC(TAG_ID)), S_OK);
            continue;
        }
        assert_int_equal(hr, MAPI_E_NOT_ENOUGH_MEMORY);
        LPSSortOrderSet s = NULL;
        assert_int_equal(IMAPITable_QuerySortOrder(t, &s), S_OK);
        assert_int_equal(s->cCategories, 1);
        MAPIFreeBuffer(s);
        assert_int_equal(fx_count(t), before);
    }
    IMAPITable_Release(t);
    fm_test_assert_no_leak(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_creation_survives_every_allocation_failure),
        cmocka_unit_test(sort_and_query_survive_every_allocation_failure),
        cmocka_unit_test(categorized_queries_survive_every_allocation_failure),
        cmocka_unit_test(find_row_and_restrict_survive_every_allocation_failure),
        cmocka_unit_test(mv_instance_expansion_survives_every_allocation_failure),
        cmocka_unit_test(live_rebuilds_survive_every_allocation_failure),
        cmocka_unit_test(hrqueryallrows_survives_every_allocation_failure),
        cmocka_unit_test(a_failed_sort_leaves_the_table_as_it_was),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
