/*
 * tests/props/test_rows.c - FreeProws and FreePadrlist free every row's
 * property array and the list, and accept NULL.
 */
#include "fm_test.h"
#include "mapiutil.h"

static LPSPropValue one_row_props(void)
{
    LPSPropValue p;
    assert_int_equal(MAPIAllocateBuffer(2 * sizeof(SPropValue), (void **)&p), S_OK);
    p[0].ulPropTag = PROP_TAG(PT_STRING8, 1);
    assert_int_equal(MAPIAllocateMore(6, p, (void **)&p[0].Value.lpszA), S_OK);
    strcpy(p[0].Value.lpszA, "hello");
    p[1].ulPropTag = PROP_TAG(PT_LONG, 2);
    p[1].Value.l = 7;
    return p;
}

static void free_prows_frees_each_row_and_the_set(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPSRowSet rows;
    assert_int_equal(MAPIAllocateBuffer((ULONG)CbNewSRowSet(3), (void **)&rows), S_OK);
    rows->cRows = 3;
    for (int i = 0; i < 3; i++) {
        rows->aRow[i].cValues = 2;
        rows->aRow[i].lpProps = i == 1 ? NULL : one_row_props(); /* a row may be empty */
    }
    FreeProws(rows);
    fm_test_assert_no_leak(&b);
    FreeProws(NULL);
}

static void free_padrlist_frees_each_entry_and_the_list(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPADRLIST list;
    assert_int_equal(MAPIAllocateBuffer((ULONG)CbNewADRLIST(2), (void **)&list), S_OK);
    list->cEntries = 2;
    for (int i = 0; i < 2; i++) {
        list->aEntries[i].cValues = 2;
        list->aEntries[i].rgPropVals = one_row_props();
    }
    FreePadrlist(list);
    fm_test_assert_no_leak(&b);
    FreePadrlist(NULL);
}

static void empty_sets_free_cleanly(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPSRowSet rows;
    assert_int_equal(MAPIAllocateBuffer((ULONG)CbNewSRowSet(0), (void **)&rows), S_OK);
    rows->cRows = 0;
    FreeProws(rows);
    fm_test_assert_no_leak(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(free_prows_frees_each_row_and_the_set),
        cmocka_unit_test(free_padrlist_frees_each_entry_and_the_list),
        cmocka_unit_test(empty_sets_free_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
