/*
 * tests/table/test_tabledata.c - CreateTable and ITableData: rows added,
 * replaced, inserted, queried and deleted by their index column, views
 * that see every change, keep their cursor on its row and sort and
 * restrict like any table, the caller's release callback, advised views
 * told of every change (TABLE_ROW_* and HrDeleteRows' TABLE_RELOAD), and
 * memory.
 */
#include <stdio.h>
#include <string.h>

#include "fm_test.h"
#include "mapiguid.h"
#include "mapiutil.h"
#include "notify/notify.h"

#define PR_KEY PROP_TAG(PT_LONG, 0x6701)
#define PR_NAME PROP_TAG(PT_STRING8, 0x6702)

static LPTABLEDATA new_table(void)
{
    SizedSPropTagArray(2, cols) = { 2, { PR_KEY, PR_NAME } };
    LPTABLEDATA td = NULL;
    assert_int_equal(CreateTable(&IID_IMAPITableData, MAPIAllocateBuffer, MAPIAllocateMore,
                                 MAPIFreeBuffer, NULL, TBLTYPE_DYNAMIC, PR_KEY,
                                 (LPSPropTagArray)&cols, &td),
                     S_OK);
    return td;
}

static HRESULT put(LPTABLEDATA td, LONG key, const char *name)
{
    SPropValue v[2] = { { .ulPropTag = PR_KEY, .Value.l = key },
                        { .ulPropTag = PR_NAME, .Value.lpszA = (LPSTR)name } };
    SRow row = { 0, 2, v };
    return td->lpVtbl->HrModifyRow(td, &row);
}

/* The names of the view's rows from its cursor on, joined by spaces. */
static void names(LPMAPITABLE t, char *out, size_t cap, ULONG flags)
{
    LPSRowSet rows = NULL;
    assert_int_equal(t->lpVtbl->QueryRows(t, 100, flags, &rows), S_OK);
    out[0] = '\0';
    for (ULONG i = 0; i < rows->cRows; i++) {
        const SPropValue *v = PpropFindProp(rows->aRow[i].lpProps, rows->aRow[i].cValues, PR_NAME);
        assert_non_null(v);
        if (i)
            strncat(out, " ", cap - strlen(out) - 1);
        strncat(out, v->Value.lpszA, cap - strlen(out) - 1);
    }
    FreeProws(rows);
}

static void a_view_shows_the_rows_and_sees_every_change(void **state)
{
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    LPTABLEDATA td = new_table();
    assert_int_equal(put(td, 1, "one"), S_OK);
    assert_int_equal(put(td, 2, "two"), S_OK);
    LPMAPITABLE view = NULL;
    assert_int_equal(td->lpVtbl->HrGetView(td, NULL, NULL, 0, &view), S_OK);
    char s[128];
    names(view, s, sizeof s, TBL_NOADVANCE);
    assert_string_equal(s, "one two");
    assert_int_equal(put(td, 2, "TWO"), S_OK); /* replaced in place */
    assert_int_equal(put(td, 3, "three"), S_OK);
    names(view, s, sizeof s, TBL_NOADVANCE);
    assert_string_equal(s, "one TWO three");
    SPropValue key = { .ulPropTag = PR_KEY, .Value.l = 1 };
    assert_int_equal(td->lpVtbl->HrDeleteRow(td, &key), S_OK);
    ULONG count = 0;
    assert_int_equal(view->lpVtbl->GetRowCount(view, 0, &count), S_OK);
    assert_int_equal(count, 2);
    assert_int_equal(td->lpVtbl->HrDeleteRow(td, &key), MAPI_E_NOT_FOUND);
    view->lpVtbl->Release(view);
    td->lpVtbl->Release(td);
    fm_test_assert_no_leak(&base);
}

static void views_sort_and_restrict_as_any_table(void **state)
{
    LPTABLEDATA td = new_table();
    const char *n[] = { "delta", "alpha", "charlie", "bravo" };
    for (int i = 0; i < 4; i++)
        assert_int_equal(put(td, i + 1, n[i]), S_OK);
    SizedSSortOrderSet(1, by_name) = { 1, 0, 0, { { PR_NAME, TABLE_SORT_ASCEND } } };
    LPMAPITABLE view = NULL;
    assert_int_equal(td->lpVtbl->HrGetView(td, (LPSSortOrderSet)&by_name, NULL, 0, &view), S_OK);
    char s[128];
    names(view, s, sizeof s, TBL_NOADVANCE);
    assert_string_equal(s, "alpha bravo charlie delta");
    SPropValue two = { .ulPropTag = PR_KEY, .Value.l = 2 };
    SRestriction r = { .rt = RES_PROPERTY,
                       .res.resProperty = { RELOP_GT, PR_KEY, &two } };
    assert_int_equal(view->lpVtbl->Restrict(view, &r, 0), S_OK);
    names(view, s, sizeof s, TBL_NOADVANCE);
    assert_string_equal(s, "bravo charlie");
    view->lpVtbl->Release(view);
    td->lpVtbl->Release(td);
}

static void the_cursor_stays_on_its_row_when_rows_change(void **state)
{
    LPTABLEDATA td = new_table();
    assert_int_equal(put(td, 1, "a"), S_OK);
    assert_int_equal(put(td, 2, "b"), S_OK);
    assert_int_equal(put(td, 3, "c"), S_OK);
    LPMAPITABLE view = NULL;
    assert_int_equal(td->lpVtbl->HrGetView(td, NULL, NULL, 0, &view), S_OK);
    LONG sought = 0;
    assert_int_equal(view->lpVtbl->SeekRow(view, BOOKMARK_BEGINNING, 1, &sought), S_OK);
    SPropValue v[2] = { { .ulPropTag = PR_KEY, .Value.l = 9 },
                        { .ulPropTag = PR_NAME, .Value.lpszA = "first" } };
    SRow row = { 0, 2, v };
    assert_int_equal(td->lpVtbl->HrInsertRow(td, 0, &row), S_OK);
    char s[128];
    names(view, s, sizeof s, 0);
    assert_string_equal(s, "b c"); /* still on "b", although a row came before it */
    assert_int_equal(td->lpVtbl->HrInsertRow(td, 0, &row), MAPI_E_INVALID_PARAMETER);
    v[0].Value.l = 10;
    assert_int_equal(td->lpVtbl->HrInsertRow(td, 99, &row), MAPI_E_INVALID_PARAMETER);
    view->lpVtbl->Release(view);
    td->lpVtbl->Release(td);
}

static void rows_are_queried_by_index_and_by_position(void **state)
{
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    LPTABLEDATA td = new_table();
    assert_int_equal(put(td, 5, "five"), S_OK);
    assert_int_equal(put(td, 6, "six"), S_OK);
    SPropValue key = { .ulPropTag = PR_KEY, .Value.l = 6 };
    LPSRow row = NULL;
    ULONG pos = 99;
    assert_int_equal(td->lpVtbl->HrQueryRow(td, &key, &row, &pos), S_OK);
    assert_int_equal(pos, 1);
    assert_int_equal(row->cValues, 2);
    assert_string_equal(PpropFindProp(row->lpProps, 2, PR_NAME)->Value.lpszA, "six");
    MAPIFreeBuffer(row); /* one buffer: the row and its values */
    assert_int_equal(td->lpVtbl->HrEnumRow(td, 0, &row), S_OK);
    assert_int_equal(PpropFindProp(row->lpProps, 2, PR_KEY)->Value.l, 5);
    MAPIFreeBuffer(row);
    assert_int_equal(td->lpVtbl->HrEnumRow(td, 2, &row), S_OK);
    assert_null(row); /* past the end */
    key.Value.l = 7;
    assert_int_equal(td->lpVtbl->HrQueryRow(td, &key, &row, &pos), MAPI_E_NOT_FOUND);
    assert_int_equal(td->lpVtbl->HrNotify(td, 0, 1, &key), MAPI_E_NOT_FOUND);
    key.Value.l = 5;
    assert_int_equal(td->lpVtbl->HrNotify(td, 0, 1, &key), S_OK);
    td->lpVtbl->Release(td);
    fm_test_assert_no_leak(&base);
}

static void rows_without_the_index_column_change_nothing(void **state)
{
    LPTABLEDATA td = new_table();
    SPropValue good[2] = { { .ulPropTag = PR_KEY, .Value.l = 1 },
                           { .ulPropTag = PR_NAME, .Value.lpszA = "x" } };
    SPropValue bad[1] = { { .ulPropTag = PR_NAME, .Value.lpszA = "y" } };
    SRowSet *set = NULL;
    assert_int_equal(MAPIAllocateBuffer(CbNewSRowSet(2), (void **)&set), S_OK);
    set->cRows = 2;
    set->aRow[0] = (SRow){ 0, 2, good };
    set->aRow[1] = (SRow){ 0, 1, bad };
    assert_int_equal(td->lpVtbl->HrModifyRows(td, 0, set), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "index column"));
    LPSRow row = NULL;
    assert_int_equal(td->lpVtbl->HrEnumRow(td, 0, &row), S_OK);
    assert_null(row); /* the good row was not added either */
    set->cRows = 1;
    assert_int_equal(td->lpVtbl->HrModifyRows(td, 0, set), S_OK);
    ULONG n = 0;
    assert_int_equal(td->lpVtbl->HrDeleteRows(td, 0, set, &n), S_OK);
    assert_int_equal(n, 1);
    assert_int_equal(put(td, 1, "a"), S_OK);
    assert_int_equal(put(td, 2, "b"), S_OK);
    assert_int_equal(td->lpVtbl->HrDeleteRows(td, TAD_ALL_ROWS, NULL, &n), S_OK);
    assert_int_equal(n, 2);
    MAPIFreeBuffer(set);
    td->lpVtbl->Release(td);
}

static LPMAPITABLE released_view;
static ULONG_PTR released_data;

static void STDAPICALLTYPE on_release(ULONG_PTR data, LPTABLEDATA td, LPMAPITABLE view)
{
    released_view = view;
    released_data = data;
}

static void the_callers_release_is_called_with_the_view(void **state)
{
    LPTABLEDATA td = new_table();
    LPMAPITABLE view = NULL;
    assert_int_equal(td->lpVtbl->HrGetView(td, NULL, on_release, 42, &view), S_OK);
    td->lpVtbl->Release(td); /* the view keeps the table data */
    assert_null(released_view);
    view->lpVtbl->Release(view);
    assert_ptr_equal(released_view, view);
    assert_int_equal(released_data, 42);
}

static void create_table_checks_its_arguments(void **state)
{
    SizedSPropTagArray(1, cols) = { 1, { PR_KEY } };
    LPTABLEDATA td = NULL;
    assert_int_equal(CreateTable(&IID_IMAPITable, MAPIAllocateBuffer, MAPIAllocateMore,
                                 MAPIFreeBuffer, NULL, TBLTYPE_DYNAMIC, PR_KEY,
                                 (LPSPropTagArray)&cols, &td),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_int_equal(CreateTable(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                                 NULL, TBLTYPE_DYNAMIC, PROP_TAG(PT_MV_LONG, 0x6701),
                                 (LPSPropTagArray)&cols, &td),
                     MAPI_E_INVALID_PARAMETER);
    assert_null(td);
}

static HRESULT fill_and_view(void *ctx)
{
    LPTABLEDATA td = NULL;
    SizedSPropTagArray(2, cols) = { 2, { PR_KEY, PR_NAME } };
    HRESULT hr = CreateTable(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL,
                             TBLTYPE_DYNAMIC, PR_KEY, (LPSPropTagArray)&cols, &td);
    for (LONG k = 0; hr == S_OK && k < 5; k++)
        hr = put(td, k, "row");
    LPMAPITABLE view = NULL;
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = td->lpVtbl->HrGetView(td, NULL, NULL, 0, &view);
    if (hr == S_OK)
        hr = view->lpVtbl->QueryRows(view, 10, 0, &rows);
    FreeProws(rows);
    if (view)
        view->lpVtbl->Release(view);
    if (td)
        td->lpVtbl->Release(td);
    return hr;
}

/* What an advised view's sink heard: the events, and the PR_NAME of their rows. */
typedef struct heard {
    int n;
    ULONG events[16];
    char names[16][16];
} heard;

static LONG STDAPICALLTYPE hear(LPVOID ctx, ULONG c, LPNOTIFICATION n)
{
    heard *h = ctx;
    for (ULONG i = 0; i < c && h->n < 16; i++, h->n++) {
        assert_int_equal(n[i].ulEventType, fnevTableModified);
        h->events[h->n] = n[i].info.tab.ulTableEvent;
        const SPropValue *v = PpropFindProp(n[i].info.tab.row.lpProps, n[i].info.tab.row.cValues,
                                            PR_NAME);
        snprintf(h->names[h->n], sizeof h->names[0], "%s", v ? v->Value.lpszA : "");
    }
    return 0;
}

/* Delivers what is queued (the table data's cue, then the view's events). */
static void deliver(void)
{
    while (fm_notify_run_pending() > 0)
        ;
}

static void an_advised_view_is_told_of_every_change(void **state)
{
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    fm_notify_set_manual(true);
    LPTABLEDATA td = new_table();
    assert_int_equal(put(td, 1, "one"), S_OK);
    LPMAPITABLE view = NULL;
    assert_int_equal(td->lpVtbl->HrGetView(td, NULL, NULL, 0, &view), S_OK);
    heard h = { 0 };
    LPMAPIADVISESINK sink = NULL;
    assert_int_equal(HrAllocAdviseSink(hear, &h, &sink), S_OK);
    ULONG_PTR conn = 0;
    assert_int_equal(view->lpVtbl->Advise(view, fnevTableModified, sink, &conn), S_OK);
    assert_int_equal(put(td, 2, "two"), S_OK);
    deliver();
    assert_int_equal(put(td, 1, "ONE"), S_OK);
    deliver();
    SPropValue key = { .ulPropTag = PR_KEY, .Value.l = 2 };
    assert_int_equal(td->lpVtbl->HrDeleteRow(td, &key), S_OK);
    deliver();
    assert_int_equal(h.n, 3);
    assert_int_equal(h.events[0], TABLE_ROW_ADDED);
    assert_string_equal(h.names[0], "two");
    assert_int_equal(h.events[1], TABLE_ROW_MODIFIED);
    assert_string_equal(h.names[1], "ONE");
    assert_int_equal(h.events[2], TABLE_ROW_DELETED);
    /* every row gone at once: "a single TABLE_RELOAD notification" */
    assert_int_equal(put(td, 3, "three"), S_OK);
    deliver();
    h.n = 0;
    ULONG deleted = 0;
    assert_int_equal(td->lpVtbl->HrDeleteRows(td, TAD_ALL_ROWS, NULL, &deleted), S_OK);
    assert_int_equal(deleted, 2);
    deliver();
    assert_int_equal(h.n, 1);
    assert_int_equal(h.events[0], TABLE_RELOAD);
    /* after Unadvise, nothing */
    assert_int_equal(view->lpVtbl->Unadvise(view, conn), S_OK);
    assert_int_equal(put(td, 4, "four"), S_OK);
    deliver();
    assert_int_equal(h.n, 1);
    sink->lpVtbl->Release(sink);
    view->lpVtbl->Release(view);
    td->lpVtbl->Release(td);
    fm_notify_set_manual(false);
    fm_test_assert_no_leak(&base);
}

/* An advised view told of a change, in manual delivery: an event that
 * cannot be made is reported as TABLE_ERROR, never a leak or a crash. */
static HRESULT advise_and_change(void *ctx)
{
    heard *h = ctx;
    LPTABLEDATA td = NULL;
    LPMAPITABLE view = NULL;
    LPMAPIADVISESINK sink = NULL;
    ULONG_PTR conn = 0;
    SizedSPropTagArray(2, cols) = { 2, { PR_KEY, PR_NAME } };
    memset(h, 0, sizeof *h);
    HRESULT hr = CreateTable(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL,
                             TBLTYPE_DYNAMIC, PR_KEY, (LPSPropTagArray)&cols, &td);
    if (hr == S_OK)
        hr = td->lpVtbl->HrGetView(td, NULL, NULL, 0, &view);
    if (hr == S_OK)
        hr = HrAllocAdviseSink(hear, h, &sink);
    if (hr == S_OK)
        hr = view->lpVtbl->Advise(view, fnevTableModified, sink, &conn);
    if (hr == S_OK)
        hr = put(td, 1, "one");
    deliver();
    if (hr == S_OK && (h->n != 1 || (h->events[0] != TABLE_ROW_ADDED && h->events[0] != TABLE_ERROR)))
        hr = MAPI_E_CALL_FAILED; /* the sweep fails on this */
    if (sink)
        sink->lpVtbl->Release(sink);
    if (view)
        view->lpVtbl->Release(view);
    if (td)
        td->lpVtbl->Release(td);
    return hr;
}

static void out_of_memory_is_clean(void **state)
{
    assert_true(fm_test_oom_sweep(fill_and_view, NULL) >= 5);
    heard h;
    fm_notify_set_manual(true);
    assert_true(fm_test_oom_sweep(advise_and_change, &h) >= 5);
    fm_notify_set_manual(false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_view_shows_the_rows_and_sees_every_change),
        cmocka_unit_test(views_sort_and_restrict_as_any_table),
        cmocka_unit_test(the_cursor_stays_on_its_row_when_rows_change),
        cmocka_unit_test(rows_are_queried_by_index_and_by_position),
        cmocka_unit_test(rows_without_the_index_column_change_nothing),
        cmocka_unit_test(the_callers_release_is_called_with_the_view),
        cmocka_unit_test(create_table_checks_its_arguments),
        cmocka_unit_test(an_advised_view_is_told_of_every_change),
        cmocka_unit_test(out_of_memory_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
