/*
 * tests/props/test_filetime.c - FtAddFt, FtSubFt, FtMulDw, FtMulDwDw and
 * FtNegFt as unsigned 64-bit arithmetic with carries across the halves.
 */
#include "fm_test.h"
#include "mapiutil.h"

static FILETIME ft(uint64_t v)
{
    FILETIME f = {(DWORD)v, (DWORD)(v >> 32)};
    return f;
}

static uint64_t val(FILETIME f)
{
    return (uint64_t)f.dwHighDateTime << 32 | f.dwLowDateTime;
}

static void add_carries_into_the_high_part(void **state)
{
    assert_int_equal(val(FtAddFt(ft(0xFFFFFFFFu), ft(1))), 0x100000000ull);
    assert_int_equal(val(FtAddFt(ft(0x123456789ull), ft(0x987654321ull))), 0xAAAAAAAAAull);
    assert_int_equal(val(FtAddFt(ft(UINT64_MAX), ft(2))), 1); /* wraps */
}

static void sub_borrows_from_the_high_part(void **state)
{
    assert_int_equal(val(FtSubFt(ft(0x100000000ull), ft(1))), 0xFFFFFFFFu);
    assert_int_equal(val(FtSubFt(ft(5), ft(7))), (uint64_t)-2);
}

static void multiplications(void **state)
{
    assert_int_equal(val(FtMulDw(10, ft(0x100000001ull))), 0xA0000000Aull);
    assert_int_equal(val(FtMulDwDw(0xFFFFFFFFu, 0xFFFFFFFFu)), 0xFFFFFFFE00000001ull);
    assert_int_equal(val(FtMulDwDw(86400, 10000000)), 864000000000ull);
    assert_int_equal(val(FtMulDw(0, ft(UINT64_MAX))), 0);
}

static void negation_is_twos_complement(void **state)
{
    assert_int_equal(val(FtNegFt(ft(1))), UINT64_MAX);
    assert_int_equal(val(FtNegFt(ft(0))), 0);
    assert_int_equal(val(FtAddFt(FtNegFt(ft(0x123456789ull)), ft(0x123456789ull))), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_carries_into_the_high_part),
        cmocka_unit_test(sub_borrows_from_the_high_part),
        cmocka_unit_test(multiplications),
        cmocka_unit_test(negation_is_twos_complement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
