/*
 * tests/props/test_propcopy.c - PropCopyMore: deep copies of every property
 * type onto the caller's buffer, its errors, and its out-of-memory paths.
 */
#include "props_fixture.h"

static void copies_every_type_deeply_into_the_callers_buffer(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    SPropValue src[FX_COUNT];
    fx_all_types(src);
    LPSPropValue dst;
    assert_int_equal(MAPIAllocateBuffer(FX_COUNT * sizeof(SPropValue), (void **)&dst), S_OK);
    for (int i = 0; i < FX_COUNT; i++)
        assert_int_equal(PropCopyMore(&dst[i], &src[i], MAPIAllocateMore, dst), S_OK);
    fx_assert_values_equal(dst, src, FX_COUNT);
    /* Nothing of the copy may point back at the source's data. */
    assert_ptr_not_equal(dst[10].Value.lpszA, src[10].Value.lpszA);
    assert_ptr_not_equal(dst[13].Value.lpguid, src[13].Value.lpguid);
    assert_ptr_not_equal(dst[23].Value.MVszA.lppszA, src[23].Value.MVszA.lppszA);
    assert_ptr_not_equal(dst[23].Value.MVszA.lppszA[0], src[23].Value.MVszA.lppszA[0]);
    assert_ptr_not_equal(dst[24].Value.MVbin.lpbin[0].lpb, src[24].Value.MVbin.lpbin[0].lpb);
    assert_ptr_not_equal(dst[25].Value.MVszW.lppszW[1], src[25].Value.MVszW.lppszW[1]);
    MAPIFreeBuffer(dst);
    fm_test_assert_no_leak(&b);
}

static void copy_onto_itself_keeps_the_value(void **state)
{
    SPropValue src[FX_COUNT];
    fx_all_types(src);
    void *root;
    assert_int_equal(MAPIAllocateBuffer(8, &root), S_OK);
    SPropValue same = src[23];
    assert_int_equal(PropCopyMore(&same, &same, MAPIAllocateMore, root), S_OK);
    assert_true(fx_values_equal(&same, &src[23]));
    assert_ptr_not_equal(same.Value.MVszA.lppszA, src[23].Value.MVszA.lppszA);
    MAPIFreeBuffer(root);
}

static void empty_binary_and_empty_multi_value_copy_without_allocating(void **state)
{
    SPropValue v = {PROP_TAG(PT_BINARY, 0x1000), 0, {.bin = {0, NULL}}};
    SPropValue out;
    fmapi_alloc_fail_from(1);
    assert_int_equal(PropCopyMore(&out, &v, MAPIAllocateMore, NULL), S_OK);
    v.ulPropTag = PROP_TAG(PT_MV_LONG, 0x1000);
    v.Value.MVl = (SLongArray){0, NULL};
    assert_int_equal(PropCopyMore(&out, &v, MAPIAllocateMore, NULL), S_OK);
    fmapi_alloc_fail_off();
    assert_int_equal(out.Value.MVl.cValues, 0);
    assert_null(out.Value.MVl.lpl);
}

static void unknown_type_is_no_support_with_text(void **state)
{
    SPropValue v = {PROP_TAG(0x0999, 0x1000), 0, {.l = 1}}, out;
    assert_int_equal(PropCopyMore(&out, &v, MAPIAllocateMore, NULL), MAPI_E_NO_SUPPORT);
    assert_non_null(strstr(fmapi_last_error(), "unknown property type"));
    v.ulPropTag = PROP_TAG(PT_UNSPECIFIED, 0x1000);
    assert_int_equal(PropCopyMore(&out, &v, MAPIAllocateMore, NULL), MAPI_E_NO_SUPPORT);
}

static void null_arguments_and_null_data_are_invalid(void **state)
{
    SPropValue v = {PROP_TAG(PT_STRING8, 0x1000), 0, {.lpszA = NULL}}, out;
    assert_int_equal(PropCopyMore(NULL, &v, MAPIAllocateMore, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(PropCopyMore(&out, NULL, MAPIAllocateMore, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(PropCopyMore(&out, &v, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    void *root;
    assert_int_equal(MAPIAllocateBuffer(8, &root), S_OK);
    assert_int_equal(PropCopyMore(&out, &v, MAPIAllocateMore, root), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "NULL"));
    v.ulPropTag = PROP_TAG(PT_BINARY, 0x1000);
    v.Value.bin = (SBinary){4, NULL};
    assert_int_equal(PropCopyMore(&out, &v, MAPIAllocateMore, root), MAPI_E_INVALID_PARAMETER);
    v.ulPropTag = PROP_TAG(PT_MV_STRING8, 0x1000);
    LPSTR holes[] = {"a", NULL};
    v.Value.MVszA = (SLPSTRArray){2, holes};
    assert_int_equal(PropCopyMore(&out, &v, MAPIAllocateMore, root), MAPI_E_INVALID_PARAMETER);
    MAPIFreeBuffer(root);
}

static HRESULT copy_all_once(void *ctx)
{
    SPropValue src[FX_COUNT];
    fx_all_types(src);
    LPSPropValue dst;
    SCODE sc = MAPIAllocateBuffer(FX_COUNT * sizeof(SPropValue), (void **)&dst);
    if (sc != S_OK)
        return sc;
    for (int i = 0; i < FX_COUNT && sc == S_OK; i++)
        sc = PropCopyMore(&dst[i], &src[i], MAPIAllocateMore, dst);
    if (sc == S_OK && !fx_values_equal(&dst[23], &src[23]))
        sc = E_FAIL;
    MAPIFreeBuffer(dst);
    return sc;
}

static void out_of_memory_at_any_point_fails_cleanly(void **state)
{
    assert_true(fm_test_oom_sweep(copy_all_once, NULL) > FX_COUNT / 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(copies_every_type_deeply_into_the_callers_buffer),
        cmocka_unit_test(copy_onto_itself_keeps_the_value),
        cmocka_unit_test(empty_binary_and_empty_multi_value_copy_without_allocating),
        cmocka_unit_test(unknown_type_is_no_support_with_text),
        cmocka_unit_test(null_arguments_and_null_data_are_invalid),
        cmocka_unit_test(out_of_memory_at_any_point_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
