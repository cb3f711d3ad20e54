/*
 * tests/restrict/test_content.c - RES_CONTENT: fuzzy levels on strings of
 * both widths, binaries and multi-valued properties, missing values.
 */
#include "rtest.h"

#define ID_SUBJ 0x0037

static BOOL content(ULONG fuzzy, ULONG tag, SPropValue needle, ULONG c, const SPropValue *row)
{
    SRestriction r = r_content(fuzzy, tag, &needle);
    return rt_eval(&r, c, row);
}

static void substring_prefix_and_fullstring_on_subject(void **state)
{
    SPropValue row[] = { pv_long(1, 1), pv_str8(ID_SUBJ, "Re: Budget meeting") };
    ULONG tag = TAG(PT_STRING8, ID_SUBJ);
    assert_true(content(FL_SUBSTRING, tag, pv_str8(ID_SUBJ, "Budget"), 2, row));
    assert_false(content(FL_SUBSTRING, tag, pv_str8(ID_SUBJ, "budget"), 2, row));
    assert_true(content(FL_SUBSTRING | FL_IGNORECASE, tag, pv_str8(ID_SUBJ, "BUDGET"), 2, row));
    assert_true(content(FL_PREFIX, tag, pv_str8(ID_SUBJ, "Re:"), 2, row));
    assert_false(content(FL_PREFIX, tag, pv_str8(ID_SUBJ, "Budget"), 2, row));
    assert_true(content(FL_FULLSTRING, tag, pv_str8(ID_SUBJ, "Re: Budget meeting"), 2, row));
    assert_false(content(FL_FULLSTRING, tag, pv_str8(ID_SUBJ, "Re: Budget"), 2, row));
}

static void unicode_folding_strasse_and_accents(void **state)
{
    SPropValue row[] = { pv_wstr(ID_SUBJ, u"Hauptstra\u00DFe 5, \u00C9lan") };
    ULONG tag = TAG(PT_UNICODE, ID_SUBJ);
    assert_true(content(FL_SUBSTRING | FL_IGNORECASE, tag, pv_str8(ID_SUBJ, "STRASSE"), 1, row));
    assert_false(content(FL_SUBSTRING, tag, pv_str8(ID_SUBJ, "STRASSE"), 1, row));
    assert_true(content(FL_SUBSTRING | FL_IGNORENONSPACE | FL_IGNORECASE, tag,
                        pv_str8(ID_SUBJ, "elan"), 1, row));
    assert_false(content(FL_SUBSTRING | FL_IGNORECASE, tag, pv_str8(ID_SUBJ, "elan"), 1, row));
    assert_true(content(FL_SUBSTRING | FL_LOOSE, tag, pv_wstr(ID_SUBJ, u"ELAN"), 1, row));
}

static void string8_restriction_finds_unicode_column_and_back(void **state)
{
    SPropValue wrow[] = { pv_wstr(ID_SUBJ, u"caf\u00E9") };
    SPropValue arow[] = { pv_str8(ID_SUBJ, "caf\xC3\xA9") };
    assert_true(content(FL_FULLSTRING, TAG(PT_STRING8, ID_SUBJ), pv_str8(ID_SUBJ, "caf\xC3\xA9"),
                        1, wrow));
    assert_true(content(FL_FULLSTRING, TAG(PT_UNICODE, ID_SUBJ), pv_wstr(ID_SUBJ, u"caf\u00E9"),
                        1, arow));
    assert_true(content(FL_PREFIX, TAG(PT_UNICODE, ID_SUBJ), pv_str8(ID_SUBJ, "ca"), 1, arow));
}

static void binary_content_matches_bytes(void **state)
{
    const BYTE data[] = { 1, 2, 3, 4, 5 }, mid[] = { 3, 4 }, head[] = { 1, 2 };
    SPropValue row[] = { pv_bin(0x0FFF, data, 5) };
    ULONG tag = TAG(PT_BINARY, 0x0FFF);
    assert_true(content(FL_SUBSTRING, tag, pv_bin(0x0FFF, mid, 2), 1, row));
    assert_false(content(FL_PREFIX, tag, pv_bin(0x0FFF, mid, 2), 1, row));
    assert_true(content(FL_PREFIX, tag, pv_bin(0x0FFF, head, 2), 1, row));
    assert_true(content(FL_FULLSTRING, tag, pv_bin(0x0FFF, data, 5), 1, row));
}

static void multivalued_property_matches_when_any_value_does(void **state)
{
    char *kw[] = { "alpha", "Beta", "gamma" };
    SPropValue row[] = { pv_mvstr8(0x8001, kw, 3) };
    ULONG tag = TAG(PT_MV_STRING8, 0x8001);
    assert_true(content(FL_FULLSTRING | FL_IGNORECASE, tag, pv_str8(0x8001, "beta"), 1, row));
    assert_true(content(FL_PREFIX, tag, pv_str8(0x8001, "gam"), 1, row));
    assert_false(content(FL_SUBSTRING, tag, pv_str8(0x8001, "delta"), 1, row));
    SPropValue empty[] = { pv_mvstr8(0x8001, NULL, 0) };
    assert_false(content(FL_SUBSTRING, tag, pv_str8(0x8001, ""), 1, empty));
    BYTE b1[] = { 9, 9 }, b2[] = { 7, 8 };
    SBinary bins[] = { { 2, b1 }, { 2, b2 } };
    SPropValue mvb = { .ulPropTag = TAG(PT_MV_BINARY, 0x8002) };
    mvb.Value.MVbin.cValues = 2;
    mvb.Value.MVbin.lpbin = bins;
    const BYTE eight[] = { 8 };
    assert_true(content(FL_SUBSTRING, TAG(PT_MV_BINARY, 0x8002), pv_bin(0x8002, eight, 1), 1, &mvb));
    WCHAR w0[] = u"x", w1[] = u"Stra\u00DFe";
    LPWSTR ws[] = { w0, w1 };
    SPropValue mvw = { .ulPropTag = TAG(PT_MV_UNICODE, 0x8003) };
    mvw.Value.MVszW.cValues = 2;
    mvw.Value.MVszW.lppszW = ws;
    assert_true(content(FL_FULLSTRING | FL_IGNORECASE, TAG(PT_MV_UNICODE, 0x8003),
                        pv_str8(0x8003, "STRASSE"), 1, &mvw));
}

static void missing_or_error_property_is_false_and_not_of_it_true(void **state)
{
    SPropValue row[] = { pv_long(1, 1), pv_error(ID_SUBJ, MAPI_E_NOT_FOUND) };
    SPropValue needle = pv_str8(ID_SUBJ, "x");
    SRestriction c = r_content(FL_SUBSTRING, TAG(PT_STRING8, ID_SUBJ), &needle);
    assert_false(rt_eval(&c, 2, row));
    assert_false(rt_eval(&c, 1, row));
    assert_false(rt_eval(&c, 0, NULL));
    SRestriction n = r_not(&c);
    assert_true(rt_eval(&n, 2, row));
}

static void invalid_utf8_in_row_value_matches_by_bytes(void **state)
{
    SPropValue row[] = { pv_str8(ID_SUBJ, "Price \xFF\xFE" "EUR") };
    ULONG tag = TAG(PT_STRING8, ID_SUBJ);
    assert_true(content(FL_SUBSTRING, tag, pv_str8(ID_SUBJ, "EUR"), 1, row));
    assert_true(content(FL_SUBSTRING | FL_IGNORECASE, tag, pv_str8(ID_SUBJ, "price"), 1, row));
    assert_false(content(FL_FULLSTRING | FL_LOOSE, tag, pv_str8(ID_SUBJ, "price eur"), 1, row));
    WCHAR bad[] = { 'E', 0xDC00, 0 };
    SPropValue wrow[] = { pv_wstr(ID_SUBJ, bad) };
    assert_false(content(FL_PREFIX, TAG(PT_UNICODE, ID_SUBJ), pv_str8(ID_SUBJ, "E"), 1, wrow));
}

static void long_values_are_searched_past_the_stack_buffer(void **state)
{
    static char text[5000];
    for (size_t i = 0; i < sizeof text - 1; i++)
        text[i] = (char)("\xC3\xA9" "abcdefgh"[i % 10]);
    text[sizeof text - 1] = '\0';
    text[4990] = 'Z';
    SPropValue row[] = { pv_str8(ID_SUBJ, text) };
    assert_true(content(FL_SUBSTRING | FL_IGNORECASE, TAG(PT_STRING8, ID_SUBJ),
                        pv_str8(ID_SUBJ, "z"), 1, row));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(substring_prefix_and_fullstring_on_subject),
        cmocka_unit_test(unicode_folding_strasse_and_accents),
        cmocka_unit_test(string8_restriction_finds_unicode_column_and_back),
        cmocka_unit_test(binary_content_matches_bytes),
        cmocka_unit_test(multivalued_property_matches_when_any_value_does),
        cmocka_unit_test(missing_or_error_property_is_false_and_not_of_it_true),
        cmocka_unit_test(invalid_utf8_in_row_value_matches_by_bytes),
        cmocka_unit_test(long_values_are_searched_past_the_stack_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
