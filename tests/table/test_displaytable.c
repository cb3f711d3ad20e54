/*
 * tests/table/test_displaytable.c - BuildDisplayTable: the rows of two
 * pages built from statically initialised control structures, as a
 * provider declares them (Sized* macros), with their strings moved into
 * PR_CONTROL_STRUCTURE, filters and help components, UTF-16 strings with
 * MAPI_UNICODE, the table data object kept and changed, and the refusals.
 */
#include <stddef.h>
#include <string.h>

#include "fm_test.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"

static SizedDtblPage(8, 1, page1) = { { offsetof(struct _DTBLPAGE_page1, lpszLabel), 0, 0, 7 },
                                      "General", "" };
static SizedDtblLabel(6, name_label) = { { sizeof(DTBLLABEL), 0 }, "Name:" };
static DTBLEDIT name_edit = { sizeof(DTBLEDIT), 0, 64, PR_DISPLAY_NAME_A };
static SizedDtblCheckBox(6, check) = { { sizeof(DTBLCHECKBOX), 0, PR_SEND_RICH_INFO }, "Rich" };
static DTBLLBX list = { MAPI_NO_HBAR, PR_EMAIL_ADDRESS_A, PR_DETAILS_TABLE };
static BYTE notif[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0, 0, 0, 9 };

static DTCTL page1_controls[] = {
    { DTCT_PAGE, 0, NULL, 0, NULL, 0, { &page1 } },
    { DTCT_LABEL, 0, NULL, 0, NULL, 100, { &name_label } },
    { DTCT_EDIT, DT_EDITABLE | DT_REQUIRED, notif, sizeof notif, (LPTSTR) "[a-z]", 101,
      { &name_edit } },
    { DTCT_CHECKBOX, DT_EDITABLE, NULL, 0, NULL, 102, { &check } },
};

static SizedDtblPage(6, 1, page2) = { { offsetof(struct _DTBLPAGE_page2, lpszLabel), 0, 0, 8 },
                                      "Other", "" };
static DTCTL page2_controls[] = {
    { DTCT_PAGE, 0, NULL, 0, NULL, 0, { &page2 } },
    { DTCT_LBX, 0, NULL, 0, NULL, 200, { &list } },
};

static LPSRowSet all_rows(LPMAPITABLE t)
{
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, NULL, NULL, NULL, 0, &rows), S_OK);
    return rows;
}

static const SPropValue *col(const SRow *r, ULONG tag)
{
    const SPropValue *v = PpropFindProp(r->lpProps, r->cValues, tag);
    return v;
}

static const char *label_of(const SRow *r, ULONG field)
{
    const SPropValue *v = col(r, PR_CONTROL_STRUCTURE);
    assert_non_null(v);
    ULONG off;
    memcpy(&off, v->Value.bin.lpb + field, sizeof off);
    if (off == 0)
        return NULL;
    assert_true(off < v->Value.bin.cb);
    return (const char *)v->Value.bin.lpb + off;
}

static void test_pages(void **state)
{
    DTPAGE pages[2];
    memset(pages, 0, sizeof pages);
    pages[0].cctl = 4;
    pages[0].lpszComponent = (LPTSTR) "General help";
    pages[0].lpctl = page1_controls;
    pages[1].cctl = 2;
    pages[1].ulItemID = 42; /* a resource number: no component string */
    pages[1].lpctl = page2_controls;
    LPMAPITABLE t = NULL;
    LPTABLEDATA td = NULL;
    assert_int_equal(BuildDisplayTable(MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                                       NULL, NULL, 2, pages, 0, &t, &td),
                     S_OK);
    LPSRowSet rows = all_rows(t);
    assert_int_equal(rows->cRows, 6);
    static const ULONG types[] = { DTCT_PAGE, DTCT_LABEL, DTCT_EDIT, DTCT_CHECKBOX, DTCT_PAGE,
                                   DTCT_LBX };
    for (ULONG i = 0; i < rows->cRows; i++) {
        const SRow *r = &rows->aRow[i];
        assert_int_equal(col(r, PR_CONTROL_TYPE)->Value.l, types[i]);
        assert_non_null(col(r, PR_XPOS));
        assert_non_null(col(r, PR_DELTAY));
    }
    /* the page: its label and the component from DTPAGE */
    assert_string_equal(label_of(&rows->aRow[0], 0), "General");
    assert_string_equal(label_of(&rows->aRow[0], 8), "General help");
    assert_int_equal(col(&rows->aRow[0], PR_XPOS)->Value.l, 0);
    assert_string_equal(label_of(&rows->aRow[1], 0), "Name:");
    /* the edit control: its filter, flags, property and notification id */
    assert_string_equal(label_of(&rows->aRow[2], 0), "[a-z]");
    assert_int_equal(col(&rows->aRow[2], PR_CONTROL_FLAGS)->Value.l, DT_EDITABLE | DT_REQUIRED);
    const SPropValue *st = col(&rows->aRow[2], PR_CONTROL_STRUCTURE);
    DTBLEDIT e;
    memcpy(&e, st->Value.bin.lpb, sizeof e);
    assert_int_equal(e.ulPropTag, PR_DISPLAY_NAME_A);
    assert_int_equal(e.ulNumCharsAllowed, 64);
    const SPropValue *id = col(&rows->aRow[2], PR_CONTROL_ID);
    assert_non_null(id);
    assert_int_equal(id->Value.bin.cb, sizeof notif);
    assert_memory_equal(id->Value.bin.lpb, notif, sizeof notif);
    assert_null(col(&rows->aRow[1], PR_CONTROL_ID));
    /* controls stand one under the other */
    assert_true(col(&rows->aRow[2], PR_YPOS)->Value.l > col(&rows->aRow[1], PR_YPOS)->Value.l);
    assert_string_equal(label_of(&rows->aRow[3], 0), "Rich");
    /* page 2: a resource number is no component */
    assert_string_equal(label_of(&rows->aRow[4], 0), "Other");
    assert_null(label_of(&rows->aRow[4], 8));
    DTBLLBX l;
    memcpy(&l, col(&rows->aRow[5], PR_CONTROL_STRUCTURE)->Value.bin.lpb, sizeof l);
    assert_int_equal(l.ulPRTableName, PR_DETAILS_TABLE);
    FreeProws(rows);

    /* the table data object changes the view, as the reference suggests
     * for labels set at run time */
    LPSRow first = NULL;
    SPropValue key = { PR_ROWID, 0, { .l = 1 } };
    assert_int_equal(ITableData_HrQueryRow(td, &key, &first, NULL), S_OK);
    static SizedDtblLabel(9, renamed) = { { sizeof(DTBLLABEL), 0 }, "Surname:" };
    SPropValue *sv = (SPropValue *)PpropFindProp(first->lpProps, first->cValues,
                                                 PR_CONTROL_STRUCTURE);
    sv->Value.bin.cb = sizeof renamed;
    sv->Value.bin.lpb = (LPBYTE)&renamed;
    assert_int_equal(ITableData_HrModifyRow(td, first), S_OK);
    MAPIFreeBuffer(first);
    rows = all_rows(t);
    assert_string_equal(label_of(&rows->aRow[1], 0), "Surname:");
    FreeProws(rows);
    IMAPITable_Release(t);
    ITableData_Release(td);
}

static void test_unicode(void **state)
{
    static const WCHAR text[] = { 'N', 'a', 'm', 'e', 0 };
    struct {
        DTBLLABEL l;
        WCHAR s[5];
    } wl = { { offsetof(DTBLLABEL, ulFlags) + 4, 0 }, { 0 } };
    memcpy(wl.s, text, sizeof text);
    DTCTL c = { DTCT_LABEL, 0, NULL, 0, NULL, 1, { &wl } };
    DTPAGE page;
    memset(&page, 0, sizeof page);
    page.cctl = 1;
    page.lpctl = &c;
    LPMAPITABLE t = NULL;
    assert_int_equal(BuildDisplayTable(MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                                       NULL, NULL, 1, &page, MAPI_UNICODE, &t, NULL),
                     S_OK);
    LPSRowSet rows = all_rows(t);
    assert_int_equal(rows->cRows, 1);
    const SPropValue *st = col(&rows->aRow[0], PR_CONTROL_STRUCTURE);
    DTBLLABEL l;
    memcpy(&l, st->Value.bin.lpb, sizeof l);
    assert_true(l.ulFlags & MAPI_UNICODE);
    assert_int_equal(l.ulbLpszLabelName % 2, 0);
    assert_int_equal(st->Value.bin.cb, l.ulbLpszLabelName + sizeof text);
    assert_memory_equal(st->Value.bin.lpb + l.ulbLpszLabelName, text, sizeof text);
    FreeProws(rows);
    IMAPITable_Release(t);
}

static void test_refusals(void **state)
{
    LPMAPITABLE t = (LPMAPITABLE)1;
    DTBLLABEL bare = { 0, 0 };
    DTCTL bad = { 99, 0, NULL, 0, NULL, 0, { &bare } };
    DTPAGE page;
    memset(&page, 0, sizeof page);
    page.cctl = 1;
    page.lpctl = &bad;
    assert_int_equal(BuildDisplayTable(MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                                       NULL, NULL, 1, &page, 0, &t, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_null(t);
    bad.ulCtlType = DTCT_LABEL;
    bad.ctl.lpv = NULL;
    assert_int_equal(BuildDisplayTable(MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                                       NULL, NULL, 1, &page, 0, &t, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(BuildDisplayTable(MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                                       NULL, NULL, 1, &page, 0x1, &t, NULL),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(BuildDisplayTable(NULL, MAPIAllocateMore, MAPIFreeBuffer, NULL, NULL, 1,
                                       &page, 0, &t, NULL),
                     MAPI_E_INVALID_PARAMETER);
    /* no pages: an empty display table */
    assert_int_equal(BuildDisplayTable(MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                                       NULL, NULL, 0, NULL, 0, &t, NULL),
                     S_OK);
    ULONG n = 9;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), S_OK);
    assert_int_equal(n, 0);
    IMAPITable_Release(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_unicode),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
