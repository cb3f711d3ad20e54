/*
 * tests/props/test_propreloc.c - ScRelocProps: a ScCopyProps block moved in
 * memory, and the documented round trip through base 0 (as for disk).
 */
#include "props_fixture.h"

/* A 16-byte aligned scratch block (MAPI buffers are). */
static char *scratch(size_t cb)
{
    void *p = NULL;
    assert_int_equal(MAPIAllocateBuffer((ULONG)cb, &p), S_OK);
    return p;
}

static char *make_block(SPropValue *v, ULONG *cb)
{
    fx_all_types(v);
    assert_int_equal(ScCountProps(FX_COUNT, v, cb), S_OK);
    char *block = scratch(*cb);
    assert_int_equal(ScCopyProps(FX_COUNT, v, block, NULL), S_OK);
    return block;
}

static void moved_block_is_usable_after_relocation(void **state)
{
    SPropValue v[FX_COUNT];
    ULONG cb, got = 0;
    char *old = make_block(v, &cb);
    char *moved = scratch(cb);
    memcpy(moved, old, cb);
    memset(old, 0, cb); /* the copy must not lean on the old block */
    assert_int_equal(ScRelocProps(FX_COUNT, (LPSPropValue)moved, old, moved, &got), S_OK);
    assert_int_equal(got, cb);
    fx_assert_values_equal((LPSPropValue)moved, v, FX_COUNT);
    for (int i = 0; i < FX_COUNT; i++)
        assert_true(fx_points_into(&((LPSPropValue)moved)[i], moved, cb));
    MAPIFreeBuffer(old);
    MAPIFreeBuffer(moved);
}

static void round_trip_through_base_zero_as_for_disk(void **state)
{
    SPropValue v[FX_COUNT];
    ULONG cb, got = 0;
    char *block = make_block(v, &cb);
    /* Step 1: pointers relative to 0, counted while still readable. */
    assert_int_equal(ScRelocProps(FX_COUNT, (LPSPropValue)block, block, NULL, &got), S_OK);
    assert_int_equal(got, cb);
    assert_true((uintptr_t)((LPSPropValue)block)[10].Value.lpszA < cb);
    char *reread = scratch(cb);
    memcpy(reread, block, cb);
    MAPIFreeBuffer(block);
    /* Step 2: read back into a new buffer and relocate from base 0. */
    assert_int_equal(ScRelocProps(FX_COUNT, (LPSPropValue)reread, NULL, reread, NULL), S_OK);
    fx_assert_values_equal((LPSPropValue)reread, v, FX_COUNT);
    MAPIFreeBuffer(reread);
}

static void unknown_types_and_bad_arguments_are_refused(void **state)
{
    SPropValue v[2] = {{PROP_TAG(PT_STRING8, 1), 0, {.lpszA = (char *)"x"}},
                       {PROP_TAG(0x0555, 2), 0, {.l = 1}}};
    char *before = v[0].Value.lpszA;
    assert_int_equal(ScRelocProps(2, v, (void *)0x1000, (void *)0x2000, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_ptr_equal(v[0].Value.lpszA, before); /* nothing half-done */
    assert_non_null(strstr(fmapi_last_error(), "unknown type"));
    assert_int_equal(ScRelocProps(-1, v, NULL, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ScRelocProps(1, NULL, NULL, NULL, NULL), MAPI_E_INVALID_PARAMETER);
}

static void null_pointers_stay_null(void **state)
{
    SPropValue v = {PROP_TAG(PT_BINARY, 1), 0, {.bin = {0, NULL}}};
    assert_int_equal(ScRelocProps(1, &v, (void *)0x1000, (void *)0x9000, NULL), S_OK);
    assert_null(v.Value.bin.lpb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(moved_block_is_usable_after_relocation),
        cmocka_unit_test(round_trip_through_base_zero_as_for_disk),
        cmocka_unit_test(unknown_types_and_bad_arguments_are_refused),
        cmocka_unit_test(null_pointers_stay_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
