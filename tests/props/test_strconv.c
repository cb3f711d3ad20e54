/*
 * tests/props/test_strconv.c - copying values with UTF-8 <-> UTF-16
 * conversion (props/strconv.c), single and multi-valued, and its
 * out-of-memory paths.
 */
#include "core/text.h"
#include "props/propvalue.h"
#include "props_fixture.h"

static void utf16_becomes_utf8_with_surrogate_pairs(void **state)
{
    char out[64];
    const WCHAR in[] = u"a\u00E9\u20AC\U0001F600";
    size_t n = fm_utf16_to_utf8_into(in, 5, out);
    assert_int_equal(n, 1 + 2 + 3 + 4);
    assert_string_equal(out, "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

static void unpaired_surrogates_become_replacement_characters(void **state)
{
    char out[16];
    const WCHAR lone[] = {0xD800, 'x', 0xDC00};
    fm_utf16_to_utf8_into(lone, 3, out);
    assert_string_equal(out, "\xEF\xBF\xBDx\xEF\xBF\xBD");
}

static void string8_copies_as_unicode_and_back(void **state)
{
    void *root;
    assert_int_equal(MAPIAllocateBuffer(8, &root), S_OK);
    SPropValue a = {PROP_TAG(PT_STRING8, 0x1234), 0, {.lpszA = fx_s1}}, w, back;
    assert_int_equal(fm_props_copy_as(&w, &a, PT_UNICODE, MAPIAllocateMore, root), S_OK);
    assert_int_equal(w.ulPropTag, PROP_TAG(PT_UNICODE, 0x1234));
    assert_true(fx_wcs_equal(w.Value.lpszW, u"h\u00E9llo"));
    assert_int_equal(fm_props_copy_as(&back, &w, PT_STRING8, MAPIAllocateMore, root), S_OK);
    assert_string_equal(back.Value.lpszA, fx_s1);
    MAPIFreeBuffer(root);
}

static void multi_valued_strings_convert_every_value(void **state)
{
    void *root;
    assert_int_equal(MAPIAllocateBuffer(8, &root), S_OK);
    SPropValue w = {PROP_TAG(PT_MV_UNICODE, 1), 0, {.MVszW = {2, fx_wa}}}, a, again;
    assert_int_equal(fm_props_copy_as(&a, &w, PT_MV_STRING8, MAPIAllocateMore, root), S_OK);
    assert_int_equal(a.Value.MVszA.cValues, 2);
    assert_string_equal(a.Value.MVszA.lppszA[1], "x");
    assert_int_equal(fm_props_copy_as(&again, &a, PT_MV_UNICODE, MAPIAllocateMore, root), S_OK);
    assert_true(fx_values_equal(&again, &w));
    MAPIFreeBuffer(root);
}

static void other_conversions_are_invalid_type(void **state)
{
    SPropValue a = {PROP_TAG(PT_STRING8, 1), 0, {.lpszA = fx_s1}}, out;
    assert_int_equal(fm_props_copy_as(&out, &a, PT_MV_UNICODE, MAPIAllocateMore, NULL),
                     MAPI_E_INVALID_TYPE);
    SPropValue l = {PROP_TAG(PT_LONG, 1), 0, {.l = 1}};
    assert_int_equal(fm_props_copy_as(&out, &l, PT_STRING8, MAPIAllocateMore, NULL),
                     MAPI_E_INVALID_TYPE);
}

static HRESULT convert_once(void *ctx)
{
    void *root;
    SCODE sc = MAPIAllocateBuffer(8, &root);
    if (sc != S_OK)
        return sc;
    SPropValue w = {PROP_TAG(PT_MV_UNICODE, 1), 0, {.MVszW = {2, fx_wa}}}, a;
    sc = fm_props_copy_as(&a, &w, PT_MV_STRING8, MAPIAllocateMore, root);
    MAPIFreeBuffer(root);
    return sc;
}

static void conversion_out_of_memory_fails_cleanly(void **state)
{
    assert_int_equal(fm_test_oom_sweep(convert_once, NULL), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf16_becomes_utf8_with_surrogate_pairs),
        cmocka_unit_test(unpaired_surrogates_become_replacement_characters),
        cmocka_unit_test(string8_copies_as_unicode_and_back),
        cmocka_unit_test(multi_valued_strings_convert_every_value),
        cmocka_unit_test(other_conversions_are_invalid_type),
        cmocka_unit_test(conversion_out_of_memory_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
