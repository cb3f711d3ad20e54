/*
 * tests/rtf/test_lzfu.c - compressed RTF ([MS-OXRTFCP]) both ways: the
 * specification's example byte for byte, round trips of varied text, every
 * output decoded by libytnef (an independent decoder), the uncompressed
 * MELA form, and damaged input refused with MAPI_E_CORRUPT_DATA.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "fm_test.h"
#include "rtf/lzfu.h"
#include "ytnef_bridge.h"

/* [MS-OXRTFCP] 4.1: "{\rtf1\ansi\ansicpg1252\pard hello world}" CRLF. */
static const unsigned char SPEC_EXAMPLE[] = {
    0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5, 0xc7,
    0xa7, 0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0a,
    0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d,
    0x0a, 0x80, 0x0f, 0xa0,
};
static const char SPEC_TEXT[] = "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n";

static void the_specification_example_decompresses_to_its_text(void **state)
{
    uint8_t *out = NULL;
    size_t n = 0;
    assert_int_equal(fm_lzfu_decompress(SPEC_EXAMPLE, sizeof SPEC_EXAMPLE, &out, &n), S_OK);
    assert_int_equal(n, strlen(SPEC_TEXT));
    assert_memory_equal(out, SPEC_TEXT, n);
    fm_free(out);
}

static void compressing_the_example_text_gives_the_specification_bytes(void **state)
{
    uint8_t *out = NULL;
    size_t n = 0;
    assert_int_equal(fm_lzfu_compress((const uint8_t *)SPEC_TEXT, strlen(SPEC_TEXT), true, &out,
                                      &n),
                     S_OK);
    assert_int_equal(n, sizeof SPEC_EXAMPLE);
    assert_memory_equal(out, SPEC_EXAMPLE, n);
    fm_free(out);
}

/* Text of a given shape: repeats, RTF keywords, bytes of every value. */
static size_t make_text(uint8_t *buf, size_t n, unsigned seed)
{
    static const char *words[] = { "\\par ", "{\\b bold}", "hello ", "world ", "\\'e9",
                                   "{\\*\\htmltag84 <a href=\"x\">}", "\r\n", "abcdefghijklmnopq" };
    size_t o = 0;
    unsigned r = seed * 2654435761u + 1;
    while (o < n) {
        r = r * 1103515245u + 12345u;
        if ((r >> 16) % 5 == 0) {
            buf[o++] = (uint8_t)(r >> 8); /* any byte */
            continue;
        }
        const char *w = words[(r >> 16) % 8];
        for (size_t i = 0; w[i] && o < n; i++)
            buf[o++] = (uint8_t)w[i];
    }
    return o;
}

static void round_trips_through_freemapi_and_libytnef(void **state)
{
    static uint8_t text[200000];
    const size_t sizes[] = { 0, 1, 2, 17, 18, 207, 4095, 4096, 4097, 10000, 200000 };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = make_text(text, sizes[k], (unsigned)k);
        uint8_t *comp = NULL, *back = NULL;
        size_t cn = 0, bn = 0;
        assert_int_equal(fm_lzfu_compress(text, n, true, &comp, &cn), S_OK);
        assert_int_equal(fm_lzfu_decompress(comp, cn, &back, &bn), S_OK);
        assert_int_equal(bn, n);
        if (n)
            assert_memory_equal(back, text, n);
        if (n >= 10000)
            assert_true(cn < n); /* text this repetitive shrinks */
        fm_free(comp);
        fm_free(back);
        /* libytnef reads the same bytes back. Its preloaded dictionary has the
         * CR LF at positions 168-169 ([MS-OXRTFCP] 3.1.1.3) the other way
         * round, so the text it checks has no CR or LF that could refer there. */
        for (size_t i = 0; i < n; i++)
            if (text[i] == '\r' || text[i] == '\n')
                text[i] = ' ';
        assert_int_equal(fm_lzfu_compress(text, n, true, &comp, &cn), S_OK);
        unsigned char *yt = NULL;
        size_t yn = 0;
        if (n > 0) {
            assert_int_equal(fm_test_ytnef_decompress(comp, cn, &yt, &yn), 0);
            assert_true(yn >= n);
            assert_memory_equal(yt, text, n);
            free(yt);
        }
        fm_free(comp);
    }
}

static void the_mela_form_stores_rtf_as_it_is(void **state)
{
    uint8_t *comp = NULL, *back = NULL;
    size_t cn = 0, bn = 0;
    assert_int_equal(fm_lzfu_compress((const uint8_t *)SPEC_TEXT, strlen(SPEC_TEXT), false,
                                      &comp, &cn),
                     S_OK);
    assert_int_equal(cn, 16 + strlen(SPEC_TEXT));
    assert_memory_equal(comp + 8, "MELA", 4);
    assert_memory_equal(comp + 12, "\0\0\0\0", 4); /* no CRC */
    assert_memory_equal(comp + 16, SPEC_TEXT, strlen(SPEC_TEXT));
    assert_int_equal(fm_lzfu_decompress(comp, cn, &back, &bn), S_OK);
    assert_int_equal(bn, strlen(SPEC_TEXT));
    fm_free(comp);
    fm_free(back);
}

static void damaged_data_is_corrupt_data_with_its_reason(void **state)
{
    unsigned char bad[sizeof SPEC_EXAMPLE];
    uint8_t *out = NULL;
    size_t n = 0;
    memcpy(bad, SPEC_EXAMPLE, sizeof bad);
    bad[20] ^= 1; /* one bit of the data */
    assert_int_equal(fm_lzfu_decompress(bad, sizeof bad, &out, &n), MAPI_E_CORRUPT_DATA);
    assert_non_null(strstr(fmapi_last_error(), "CRC"));
    memcpy(bad, SPEC_EXAMPLE, sizeof bad);
    memcpy(bad + 8, "ABCD", 4);
    assert_int_equal(fm_lzfu_decompress(bad, sizeof bad, &out, &n), MAPI_E_CORRUPT_DATA);
    assert_non_null(strstr(fmapi_last_error(), "unknown type"));
    memcpy(bad, SPEC_EXAMPLE, sizeof bad);
    bad[0] = 0xFF; /* a size beyond the data */
    assert_int_equal(fm_lzfu_decompress(bad, sizeof bad, &out, &n), MAPI_E_CORRUPT_DATA);
    assert_int_equal(fm_lzfu_decompress(bad, 10, &out, &n), MAPI_E_CORRUPT_DATA);
    memcpy(bad, SPEC_EXAMPLE, sizeof bad);
    bad[4] = 5; /* declares 5 raw bytes: the data makes more */
    assert_int_equal(fm_lzfu_decompress(bad, sizeof bad, &out, &n), MAPI_E_CORRUPT_DATA);
    assert_null(out);
}

static void every_truncation_and_bit_flip_is_handled(void **state)
{
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    static uint8_t text[3000];
    size_t n = make_text(text, sizeof text, 7);
    uint8_t *comp = NULL;
    size_t cn = 0;
    assert_int_equal(fm_lzfu_compress(text, n, true, &comp, &cn), S_OK);
    for (size_t cut = 0; cut < cn; cut += 7) {
        uint8_t *out = NULL;
        size_t on = 0;
        HRESULT hr = fm_lzfu_decompress(comp, cut, &out, &on);
        assert_true(hr == S_OK || hr == MAPI_E_CORRUPT_DATA);
        fm_free(out);
    }
    for (size_t i = 16; i < cn; i += 5) {
        comp[i] ^= 0x40;
        uint8_t *out = NULL;
        size_t on = 0;
        assert_int_equal(fm_lzfu_decompress(comp, cn, &out, &on), MAPI_E_CORRUPT_DATA);
        comp[i] ^= 0x40;
    }
    fm_free(comp);
    fm_test_assert_no_leak(&base);
}

typedef struct oom_ctx {
    const uint8_t *text;
    size_t n;
} oom_ctx;

static HRESULT compress_and_back(void *ctx)
{
    oom_ctx *c = ctx;
    uint8_t *comp = NULL, *back = NULL;
    size_t cn = 0, bn = 0;
    HRESULT hr = fm_lzfu_compress(c->text, c->n, true, &comp, &cn);
    if (hr == S_OK)
        hr = fm_lzfu_decompress(comp, cn, &back, &bn);
    fm_free(comp);
    fm_free(back);
    return hr;
}

static void out_of_memory_is_clean(void **state)
{
    static uint8_t text[20000];
    oom_ctx c = { text, make_text(text, sizeof text, 3) };
    assert_true(fm_test_oom_sweep(compress_and_back, &c) >= 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_specification_example_decompresses_to_its_text),
        cmocka_unit_test(compressing_the_example_text_gives_the_specification_bytes),
        cmocka_unit_test(round_trips_through_freemapi_and_libytnef),
        cmocka_unit_test(the_mela_form_stores_rtf_as_it_is),
        cmocka_unit_test(damaged_data_is_corrupt_data_with_its_reason),
        cmocka_unit_test(every_truncation_and_bit_flip_is_handled),
        cmocka_unit_test(out_of_memory_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
