/*
 * tests/core/test_error.c - per-thread error text and the MAPIERROR that
 * GetLastError methods return (src/core/error.c).
 */
#include <pthread.h>
#include <string.h>

#include "core/error.h"
#include "core/text.h"
#include "fm_test.h"
#include "mapix.h"

static void set_records_text_and_returns_the_code(void **state)
{
    assert_int_equal(fm_error_set(MAPI_E_NOT_FOUND, "no folder %s", "Inbox"), MAPI_E_NOT_FOUND);
    assert_string_equal(fmapi_last_error(), "no folder Inbox");
    assert_int_equal(fmapi_last_error_code(), MAPI_E_NOT_FOUND);
    fmapi_clear_error();
    assert_string_equal(fmapi_last_error(), "");
    assert_int_equal(fmapi_last_error_code(), S_OK);
}

/* The public setter libraries on freemapi use: the text is copied (a
 * '%' is text, not a format) and read back like freemapi's own. */
static void public_set_records_text_as_given(void **state)
{
    char text[] = "100% of the parts were unreadable";
    assert_int_equal(fmapi_error_set(MAPI_E_CORRUPT_DATA, text), MAPI_E_CORRUPT_DATA);
    text[0] = 'X';
    assert_string_equal(fmapi_last_error(), "100% of the parts were unreadable");
    assert_int_equal(fmapi_last_error_code(), MAPI_E_CORRUPT_DATA);
    assert_int_equal(fmapi_error_set(MAPI_E_CALL_FAILED, NULL), MAPI_E_CALL_FAILED);
    assert_string_equal(fmapi_last_error(), "");
    fmapi_clear_error();
}

static void long_text_is_cut_not_overflowed(void **state)
{
    char big[FM_ERROR_TEXT_MAX * 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    fm_error_set(MAPI_E_CALL_FAILED, "%s", big);
    assert_int_equal(strlen(fmapi_last_error()), FM_ERROR_TEXT_MAX - 1);
}

static void *other_thread(void *arg)
{
    fm_error_set(MAPI_E_BUSY, "busy elsewhere");
    return NULL;
}

static void text_is_per_thread(void **state)
{
    fm_error_set(MAPI_E_NOT_FOUND, "mine");
    pthread_t t;
    pthread_create(&t, NULL, other_thread, NULL);
    pthread_join(t, NULL);
    assert_string_equal(fmapi_last_error(), "mine");
}

static void mapierror_carries_text_in_either_width(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPMAPIERROR e;
    assert_int_equal(fm_error_make_mapierror(MAPI_E_NOT_FOUND, 0, "caf\xc3\xa9 missing",
                                             "store", &e), S_OK);
    assert_int_equal(e->ulVersion, MAPI_ERROR_VERSION);
    assert_string_equal((char *)e->lpszError, "caf\xc3\xa9 missing");
    assert_string_equal((char *)e->lpszComponent, "store");
    assert_int_equal(e->ulContext, (ULONG)MAPI_E_NOT_FOUND);
    MAPIFreeBuffer(e);

    assert_int_equal(fm_error_make_mapierror(MAPI_E_NOT_FOUND, MAPI_UNICODE,
                                             "caf\xc3\xa9", NULL, &e), S_OK);
    const WCHAR *w = (const WCHAR *)(void *)e->lpszError;
    const WCHAR expect[] = { 'c', 'a', 'f', 0xE9, 0 };
    assert_memory_equal(w, expect, sizeof expect);
    fm_text comp = fm_text_utf16((const WCHAR *)(void *)e->lpszComponent);
    fm_text want = fm_text_utf8("freemapi");
    assert_int_equal(fm_text_compare(&comp, &want, 0), 0);
    MAPIFreeBuffer(e);
    fm_test_assert_no_leak(&b);
}

static void mapierror_without_text_uses_the_code_name(void **state)
{
    LPMAPIERROR e;
    assert_int_equal(fm_error_make_mapierror(MAPI_E_NOT_ENOUGH_MEMORY, 0, NULL, NULL, &e), S_OK);
    assert_string_equal((char *)e->lpszError, "MAPI_E_NOT_ENOUGH_MEMORY");
    MAPIFreeBuffer(e);
    assert_int_equal(fm_error_make_mapierror(0x12345678, 0, "", NULL, &e), S_OK);
    assert_string_equal((char *)e->lpszError, "no further information");
    MAPIFreeBuffer(e);
}

static void mapierror_refuses_bad_arguments(void **state)
{
    LPMAPIERROR e = (LPMAPIERROR)1;
    assert_int_equal(fm_error_make_mapierror(S_OK, 0, "x", NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_error_make_mapierror(S_OK, 0x2, "x", NULL, &e), MAPI_E_UNKNOWN_FLAGS);
    assert_null(e);
}

static HRESULT make_and_free(void *ctx)
{
    LPMAPIERROR e;
    HRESULT hr = fm_error_make_mapierror(MAPI_E_NOT_FOUND, MAPI_UNICODE, "gone", "x", &e);
    if (hr == S_OK)
        MAPIFreeBuffer(e);
    return hr;
}

static void mapierror_survives_allocation_failure(void **state)
{
    assert_int_equal(fm_test_oom_sweep(make_and_free, NULL), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(set_records_text_and_returns_the_code),
        cmocka_unit_test(public_set_records_text_as_given),
        cmocka_unit_test(long_text_is_cut_not_overflowed),
        cmocka_unit_test(text_is_per_thread),
        cmocka_unit_test(mapierror_carries_text_in_either_width),
        cmocka_unit_test(mapierror_without_text_uses_the_code_name),
        cmocka_unit_test(mapierror_refuses_bad_arguments),
        cmocka_unit_test(mapierror_survives_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
