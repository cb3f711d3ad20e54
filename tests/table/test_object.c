/*
 * tests/table/test_object.c - the table as an object: IUnknown, GetStatus,
 * Abort, WaitForCompletion, Advise/Unadvise (not supported yet),
 * GetLastError, the source's release, and failures the source reports.
 */
#include "mapiguid.h"
#include "table_fixture.h"

static void query_interface_answers_imapitable_and_iunknown(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1))};
    IMAPITable *t = fx_table(rows, 1, 0);
    void *p = NULL;
    assert_int_equal(IMAPITable_QueryInterface(t, &IID_IMAPITable, &p), S_OK);
    assert_ptr_equal(p, t);
    assert_int_equal(IMAPITable_Release(t), 1);
    assert_int_equal(IMAPITable_QueryInterface(t, &IID_IUnknown, &p), S_OK);
    assert_int_equal(IMAPITable_Release(t), 1);
    p = (void *)0x1;
    assert_int_equal(IMAPITable_QueryInterface(t, &IID_IMAPIProp, &p),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_null(p);
    assert_int_equal(IMAPITable_QueryInterface(t, &IID_IMAPITable, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPITable_QueryInterface(t, NULL, &p), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPITable_AddRef(t), 2);
    assert_int_equal(IMAPITable_Release(t), 1);
    assert_int_equal(IMAPITable_Release(t), 0);
}

static void the_last_release_frees_everything_and_the_source(void **state)
{
    (void)state;
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    fx_live l = {.n = 2, .rows = {FX_ROW(fx_long(TAG_ID, 1)), FX_ROW(fx_long(TAG_ID, 2))}};
    IMAPITable *t = fx_live_table(&l, 0);
    FX_COLS(t, TAG_ID, PR_INSTANCE_KEY);
    assert_int_equal(FX_SORT(t, 1, 0, ASC(TAG_ID)), S_OK);
    BOOKMARK bk = 0;
    assert_int_equal(IMAPITable_CreateBookmark(t, &bk), S_OK);
    FX_EXPECT(t, 5, 0, 1, 2); /* two collapsed headings of TAG_ID */
    assert_int_equal(l.released, 0);
    IMAPITable_Release(t);
    assert_int_equal(l.released, 1);
    fm_test_assert_no_leak(&b);
}

static void status_is_always_complete(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1))};
    IMAPITable *t = fx_table(rows, 1, 0);
    ULONG status = 0, type = 0;
    assert_int_equal(IMAPITable_GetStatus(t, &status, &type), S_OK);
    assert_int_equal(status, TBLSTAT_COMPLETE);
    assert_int_equal(type, TBLTYPE_DYNAMIC);
    assert_int_equal(IMAPITable_GetStatus(t, NULL, &type), MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "GetStatus");
    assert_int_equal(IMAPITable_GetStatus(t, &status, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPITable_Abort(t), S_OK);
    status = 0;
    assert_int_equal(IMAPITable_WaitForCompletion(t, 0, 1000, &status), S_OK);
    assert_int_equal(status, TBLSTAT_COMPLETE);
    assert_int_equal(IMAPITable_WaitForCompletion(t, 0, 0xFFFFFFFF, NULL), S_OK);
    assert_int_equal(IMAPITable_WaitForCompletion(t, 1, 0, &status), MAPI_E_UNKNOWN_FLAGS);
    fx_last_error_mentions(t, MAPI_E_UNKNOWN_FLAGS, "WaitForCompletion");
    IMAPITable_Release(t);
}

static LONG STDAPICALLTYPE ignore(LPVOID ctx, ULONG c, LPNOTIFICATION n)
{
    (void)ctx;
    (void)c;
    (void)n;
    return 0;
}

/* A source without a change feed (a fixed row set) has nothing to watch. */
static void advise_on_a_table_without_a_change_feed_is_not_supported(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1))};
    IMAPITable *t = fx_table(rows, 1, 0);
    ULONG_PTR conn = 0;
    assert_int_equal(IMAPITable_Advise(t, fnevTableModified, NULL, &conn),
                     MAPI_E_INVALID_PARAMETER);
    fx_last_error_mentions(t, MAPI_E_INVALID_PARAMETER, "Advise");
    LPMAPIADVISESINK sink = NULL;
    assert_int_equal(HrAllocAdviseSink(ignore, NULL, &sink), S_OK);
    assert_int_equal(IMAPITable_Advise(t, fnevTableModified, sink, &conn), MAPI_E_NO_SUPPORT);
    fx_last_error_mentions(t, MAPI_E_NO_SUPPORT, "Advise");
    fx_last_error_mentions(t, MAPI_E_NO_SUPPORT, "row set");
    assert_int_equal(IMAPITable_Unadvise(t, 1), MAPI_E_NOT_FOUND);
    fx_last_error_mentions(t, MAPI_E_NOT_FOUND, "Unadvise");
    IMAPIAdviseSink_Release(sink);
    IMAPITable_Release(t);
}

static void get_last_error_describes_the_last_failure_only(void **state)
{
    (void)state;
    fx_row rows[] = {FX_ROW(fx_long(TAG_ID, 1))};
    IMAPITable *t = fx_table(rows, 1, 0);
    LPSRowSet r = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 0, 0, &r), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPITable_SeekRow(t, 99, 0, NULL), MAPI_E_INVALID_BOOKMARK);
    fx_last_error_mentions(t, MAPI_E_INVALID_BOOKMARK, "bookmark 99");
    /* Another code than the last failure's gets only the generic text. */
    LPMAPIERROR err = NULL;
    assert_int_equal(IMAPITable_GetLastError(t, MAPI_E_INVALID_PARAMETER, 0, &err), S_OK);
    assert_null(strstr((const char *)err->lpszError, "bookmark"));
    assert_null(strstr((const char *)err->lpszError, "lRowCount"));
    assert_non_null(err->lpszComponent);
    MAPIFreeBuffer(err);
    /* Successful calls leave the last failure's text. */
    FX_EXPECT(t, 1, 0, 1);
    fx_last_error_mentions(t, MAPI_E_INVALID_BOOKMARK, "bookmark 99");
    /* MAPI_UNICODE gives the text as UTF-16. */
    assert_int_equal(IMAPITable_GetLastError(t, MAPI_E_INVALID_BOOKMARK, MAPI_UNICODE, &err),
                     S_OK);
    const WCHAR *w = (const WCHAR *)err->lpszError;
    assert_true(w[0] != 0 && w[0] < 0x80 && ((const char *)w)[1] == 0);
    MAPIFreeBuffer(err);
    IMAPITable_Release(t);
}

static void a_failing_source_fails_the_call_and_keeps_the_table_usable(void **state)
{
    (void)state;
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    fx_live l = {.n = 2, .rows = {FX_ROW(fx_long(TAG_ID, 1)), FX_ROW(fx_long(TAG_ID, 2))}};
    IMAPITable *t = fx_live_table(&l, 0);
    l.fail_load = MAPI_E_DISK_ERROR;
    LPSRowSet r = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 5, 0, &r), MAPI_E_DISK_ERROR);
    assert_null(r);
    fx_last_error_mentions(t, MAPI_E_DISK_ERROR, "load fails");
    ULONG n = 0;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), MAPI_E_DISK_ERROR);
    l.fail_load = S_OK;
    l.fail_gen = MAPI_E_NETWORK_ERROR;
    assert_int_equal(IMAPITable_SeekRow(t, BOOKMARK_END, 0, NULL), MAPI_E_NETWORK_ERROR);
    fx_last_error_mentions(t, MAPI_E_NETWORK_ERROR, "generation fails");
    l.fail_gen = S_OK;
    FX_EXPECT(t, 5, 0, 1, 2);
    IMAPITable_Release(t);
    fm_test_assert_no_leak(&b);
}

static void the_source_is_read_once_until_its_generation_moves(void **state)
{
    (void)state;
    fx_live l = {.n = 2, .rows = {FX_ROW(fx_long(TAG_ID, 1)), FX_ROW(fx_long(TAG_ID, 2))}};
    IMAPITable *t = fx_live_table(&l, 0);
    FX_EXPECT(t, 1, 0, 1);
    FX_EXPECT(t, 1, 0, 2);
    assert_int_equal(fx_count(t), 2);
    assert_int_equal(fx_pos(t), 2);
    assert_int_equal(l.loads, 1);
    l.generation++;
    assert_int_equal(fx_count(t), 2);
    assert_int_equal(l.loads, 2);
    IMAPITable_Release(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(query_interface_answers_imapitable_and_iunknown),
        cmocka_unit_test(the_last_release_frees_everything_and_the_source),
        cmocka_unit_test(status_is_always_complete),
        cmocka_unit_test(advise_on_a_table_without_a_change_feed_is_not_supported),
        cmocka_unit_test(get_last_error_describes_the_last_failure_only),
        cmocka_unit_test(a_failing_source_fails_the_call_and_keeps_the_table_usable),
        cmocka_unit_test(the_source_is_read_once_until_its_generation_moves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
