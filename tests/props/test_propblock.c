/*
 * tests/props/test_propblock.c - ScCountProps, ScCopyProps and ScDupPropset:
 * every property type laid out in one aligned block.
 */
#include "props_fixture.h"

/* A 16-byte aligned scratch block (MAPI buffers are). */
static char *scratch(size_t cb)
{
    void *p = NULL;
    assert_int_equal(MAPIAllocateBuffer((ULONG)cb, &p), S_OK);
    return p;
}

static void count_is_the_size_copy_uses(void **state)
{
    SPropValue v[FX_COUNT];
    fx_all_types(v);
    ULONG cb = 0, copied = 0;
    assert_int_equal(ScCountProps(FX_COUNT, v, &cb), S_OK);
    assert_true(cb > FX_COUNT * sizeof(SPropValue));
    assert_int_equal(cb % 8, 0);
    char *block = scratch(cb + 64);
    memset(block, 0x5A, cb + 64);
    assert_int_equal(ScCopyProps(FX_COUNT, v, block, &copied), S_OK);
    assert_int_equal(copied, cb);
    for (int i = 0; i < 64; i++) /* not one byte past what was counted */
        assert_int_equal((unsigned char)block[cb + i], 0x5A);
    LPSPropValue out = (LPSPropValue)block;
    fx_assert_values_equal(out, v, FX_COUNT);
    for (int i = 0; i < FX_COUNT; i++)
        assert_true(fx_points_into(&out[i], block, cb));
    MAPIFreeBuffer(block);
}

static void count_without_lpcb_only_validates(void **state)
{
    SPropValue v[FX_COUNT];
    fx_all_types(v);
    assert_int_equal(ScCountProps(FX_COUNT, v, NULL), S_OK);
    assert_int_equal(ScCountProps(0, NULL, NULL), S_OK);
}

static void scalars_only_need_the_array(void **state)
{
    SPropValue v[2] = {{PROP_TAG(PT_LONG, 1), 0, {.l = 1}},
                       {PROP_TAG(PT_DOUBLE, 2), 0, {.dbl = 2}}};
    ULONG cb;
    assert_int_equal(ScCountProps(2, v, &cb), S_OK);
    assert_int_equal(cb, 2 * sizeof(SPropValue));
}

static void documented_invalid_arrays_are_refused(void **state)
{
    ULONG cb = 77;
    SPropValue v = {PROP_TAG(PT_LONG, PROP_ID_NULL), 0, {.l = 1}};
    assert_int_equal(ScCountProps(1, &v, &cb), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "PROP_ID_NULL"));
    v.ulPropTag = PROP_TAG(PT_LONG, PROP_ID_INVALID);
    assert_int_equal(ScCountProps(1, &v, &cb), MAPI_E_INVALID_PARAMETER);
    v.ulPropTag = PROP_TAG(PT_MV_LONG, 5);
    v.Value.MVl = (SLongArray){0, NULL};
    assert_int_equal(ScCountProps(1, &v, &cb), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "no values"));
    v.ulPropTag = PROP_TAG(0x0888, 5);
    assert_int_equal(ScCountProps(1, &v, &cb), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "unknown type"));
    assert_int_equal(ScCountProps(-1, &v, &cb), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ScCountProps(1, NULL, &cb), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(cb, 77);
    char buf[64];
    assert_int_equal(ScCopyProps(1, &v, buf, NULL), MAPI_E_INVALID_PARAMETER);
    v.ulPropTag = PROP_TAG(PT_LONG, 5);
    assert_int_equal(ScCopyProps(1, &v, NULL, NULL), MAPI_E_INVALID_PARAMETER);
}

static void dup_makes_one_block_freed_with_one_call(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    SPropValue v[FX_COUNT];
    fx_all_types(v);
    LPSPropValue dup = NULL;
    assert_int_equal(ScDupPropset(FX_COUNT, v, MAPIAllocateBuffer, &dup), S_OK);
    fx_assert_values_equal(dup, v, FX_COUNT);
    ULONG cb;
    ScCountProps(FX_COUNT, v, &cb);
    for (int i = 0; i < FX_COUNT; i++)
        assert_true(fx_points_into(&dup[i], dup, cb));
    fmapi_alloc_stats s;
    fmapi_alloc_get_stats(&s);
    assert_int_equal(s.live_blocks, b.stats.live_blocks + 1);
    MAPIFreeBuffer(dup);
    fm_test_assert_no_leak(&b);
}

static void dup_refuses_bad_arguments(void **state)
{
    SPropValue v = {PROP_TAG(PT_LONG, 1), 0, {.l = 1}};
    LPSPropValue dup = (LPSPropValue)&v;
    assert_int_equal(ScDupPropset(1, &v, NULL, &dup), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ScDupPropset(1, &v, MAPIAllocateBuffer, NULL), MAPI_E_INVALID_PARAMETER);
    v.ulPropTag = PROP_TAG(0x0999, 1);
    assert_int_equal(ScDupPropset(1, &v, MAPIAllocateBuffer, &dup), MAPI_E_INVALID_PARAMETER);
    assert_null(dup);
}

static HRESULT dup_once(void *ctx)
{
    SPropValue v[FX_COUNT];
    fx_all_types(v);
    LPSPropValue dup = NULL;
    HRESULT hr = ScDupPropset(FX_COUNT, v, MAPIAllocateBuffer, &dup);
    if (hr == S_OK && !fx_values_equal(&dup[24], &v[24]))
        hr = E_FAIL;
    MAPIFreeBuffer(dup);
    return hr;
}

static void dup_out_of_memory_fails_cleanly(void **state)
{
    assert_int_equal(fm_test_oom_sweep(dup_once, NULL), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(count_is_the_size_copy_uses),
        cmocka_unit_test(count_without_lpcb_only_validates),
        cmocka_unit_test(scalars_only_need_the_array),
        cmocka_unit_test(documented_invalid_arrays_are_refused),
        cmocka_unit_test(dup_makes_one_block_freed_with_one_call),
        cmocka_unit_test(dup_refuses_bad_arguments),
        cmocka_unit_test(dup_out_of_memory_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
