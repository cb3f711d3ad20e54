/*
 * tests/props/test_hex.c - HexFromBin, FBinFromHex and UlFromSzHex.
 */
#include "fm_test.h"
#include "mapiutil.h"

static void bin_becomes_uppercase_hex_with_nul(void **state)
{
    BYTE b[] = {0x00, 0x1F, 0xAB, 0xFF};
    char s[16];
    memset(s, 'Z', sizeof s);
    HexFromBin(b, 4, s);
    assert_string_equal(s, "001FABFF");
    HexFromBin(b, 0, s);
    assert_string_equal(s, "");
    HexFromBin(NULL, 3, s);
    assert_string_equal(s, "");
    HexFromBin(b, 4, NULL); /* nothing to write into: no crash */
}

static void hex_of_either_case_becomes_bin(void **state)
{
    BYTE b[4] = {0};
    assert_true(FBinFromHex("00a1Bf", b));
    assert_int_equal(b[0], 0x00);
    assert_int_equal(b[1], 0xA1);
    assert_int_equal(b[2], 0xBF);
    assert_true(FBinFromHex("", b));
}

static void odd_length_or_non_hex_is_false(void **state)
{
    BYTE b[4];
    assert_false(FBinFromHex("ABC", b));
    assert_false(FBinFromHex("AG", b));
    assert_false(FBinFromHex("0x", b));
    assert_false(FBinFromHex(NULL, b));
    assert_false(FBinFromHex("00", NULL));
}

static void round_trip_of_all_byte_values(void **state)
{
    BYTE in[256], out[256];
    char s[513];
    for (int i = 0; i < 256; i++)
        in[i] = (BYTE)i;
    HexFromBin(in, 256, s);
    assert_int_equal(strlen(s), 512);
    assert_true(FBinFromHex(s, out));
    assert_memory_equal(in, out, 256);
}

static void ulong_from_hex_stops_at_first_non_hex(void **state)
{
    assert_int_equal(UlFromSzHex("1A2b"), 0x1A2B);
    assert_int_equal(UlFromSzHex("ffZ12"), 0xFF);
    assert_int_equal(UlFromSzHex("z"), 0);
    assert_int_equal(UlFromSzHex(""), 0);
    assert_int_equal(UlFromSzHex(NULL), 0);
    assert_int_equal(UlFromSzHex("FFFFFFFF"), 0xFFFFFFFFu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bin_becomes_uppercase_hex_with_nul),
        cmocka_unit_test(hex_of_either_case_becomes_bin),
        cmocka_unit_test(odd_length_or_non_hex_is_false),
        cmocka_unit_test(round_trip_of_all_byte_values),
        cmocka_unit_test(ulong_from_hex_stops_at_first_non_hex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
