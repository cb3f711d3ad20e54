/*
 * tests/core/test_nls.c - mapinls.h: UTF-16 string helpers, comparison
 * with case and mark folding, and code page conversion both ways (UTF-8 as
 * CP_ACP, Windows code pages through iconv), used through the Windows names
 * programs write.
 */
#include <string.h>

#include "fm_test.h"
#include "mapinls.h"

static void string_helpers_work_on_utf16(void **state)
{
    WCHAR buf[16];
    assert_int_equal(lstrlenW(u"h\u00E9llo"), 5);
    assert_int_equal(lstrlenW(NULL), 0);
    assert_ptr_equal(lstrcpyW(buf, u"abc"), buf);
    assert_int_equal(lstrcmpW(buf, u"abc"), 0);
    assert_true(lstrcmpW(u"abc", u"abd") < 0);
    assert_true(lstrcmpW(u"b", u"a") > 0);
    assert_true(IsBadStringPtrW(NULL, 10));
    assert_false(IsBadStringPtrW(u"x", 10));
}

static void compare_folds_case_and_marks_when_asked(void **state)
{
    assert_int_equal(CompareStringW(LOCALE_USER_DEFAULT, 0, u"abc", -1, u"abc", -1), CSTR_EQUAL);
    assert_int_equal(CompareStringW(LOCALE_USER_DEFAULT, 0, u"ABC", -1, u"abc", -1),
                     CSTR_LESS_THAN);
    assert_int_equal(CompareStringW(LOCALE_USER_DEFAULT, NORM_IGNORECASE, u"STRASSE", -1,
                                    u"stra\u00DFe", -1),
                     CSTR_EQUAL);
    assert_int_equal(CompareStringW(0, NORM_IGNORENONSPACE, u"cafe", -1, u"caf\u00E9", -1),
                     CSTR_EQUAL);
    assert_int_equal(CompareStringW(0, 0, u"abcdef", 3, u"abcxyz", 3), CSTR_EQUAL);
    assert_int_equal(CompareStringW(0, 0, NULL, -1, u"a", -1), 0);
}

static void utf8_is_the_ansi_code_page(void **state)
{
    const char *s = "h\xC3\xA9llo \xF0\x9F\x98\x80";
    int need = MultiByteToWideChar(CP_ACP, 0, s, -1, NULL, 0);
    assert_int_equal(need, 9); /* 8 units and the NUL */
    WCHAR w[16];
    assert_int_equal(MultiByteToWideChar(CP_UTF8, 0, s, -1, w, 16), 9);
    assert_memory_equal(w, u"h\u00E9llo \U0001F600", 9 * sizeof(WCHAR));
    char back[32];
    assert_int_equal(WideCharToMultiByte(CP_ACP, 0, w, -1, back, sizeof back, NULL, NULL),
                     (int)strlen(s) + 1);
    assert_string_equal(back, s);
    assert_int_equal(MultiByteToWideChar(CP_UTF8, 0, s, -1, w, 3), 0); /* too small */
    assert_int_equal(MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, "\xFF", 1, w, 16), 0);
}

static void windows_code_pages_convert_both_ways(void **state)
{
    /* "caf\xE9" in 1252, "\xC0\xE1" (Cyrillic A, be) in 1251. */
    WCHAR w[16];
    assert_int_equal(MultiByteToWideChar(1252, 0, "caf\xE9", 4, w, 16), 4);
    assert_memory_equal(w, u"caf\u00E9", 4 * sizeof(WCHAR));
    assert_int_equal(MultiByteToWideChar(1251, 0, "\xC0\xE1", 2, w, 16), 2);
    assert_int_equal(w[0], 0x0410);
    assert_int_equal(w[1], 0x0431);
    char out[16] = { 0 };
    BOOL used = TRUE;
    assert_int_equal(WideCharToMultiByte(1252, 0, u"caf\u00E9", 4, out, sizeof out, NULL, &used),
                     4);
    assert_memory_equal(out, "caf\xE9", 4);
    assert_false(used);
    assert_int_equal(MultiByteToWideChar(987654, 0, "x", 1, w, 16), 0);
    assert_non_null(strstr(fmapi_last_error(), "not known"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(string_helpers_work_on_utf16),
        cmocka_unit_test(compare_folds_case_and_marks_when_asked),
        cmocka_unit_test(utf8_is_the_ansi_code_page),
        cmocka_unit_test(windows_code_pages_convert_both_ways),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
