/*
 * tests/oab/test_oab_lzx.c - the LZXD compressor of container blocks,
 * checked by libmspack: each compressed block, wrapped in a one-block
 * container (LZX_HDR, LZX_BLK with ulFlags 1 and our CRC), must decompress
 * to the original bytes. libmspack checks the CRC of LZX blocks, so these
 * tests also pin our CRC convention (seed 0xFFFFFFFF, no final complement)
 * against an independent reader: a complemented CRC must be refused.
 */
#include <mspack.h>

#include "oab_test_util.h"

static BYTE *out_buf;
static size_t out_cap;

/* Writes a one-block container of the compressed bytes, returns libmspack's verdict. */
static int mspack_roundtrip(const BYTE *in, size_t n, size_t block_max, const BYTE *comp,
                            size_t clen, uint32_t crc)
{
    char lzx[512], out[512];
    path_in(lzx, sizeof lzx, fm_test_tmpdir(), "one.lzx");
    path_in(out, sizeof out, fm_test_tmpdir(), "one.out");
    BYTE h[32];
    fm_oab_put32(h, 3);
    fm_oab_put32(h + 4, 1);
    fm_oab_put32(h + 8, (uint32_t)block_max);
    fm_oab_put32(h + 12, (uint32_t)n);
    fm_oab_put32(h + 16, 1);
    fm_oab_put32(h + 20, (uint32_t)clen);
    fm_oab_put32(h + 24, (uint32_t)n);
    fm_oab_put32(h + 28, crc);
    FILE *f = fopen(lzx, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(h, 1, 32, f), 32);
    assert_int_equal(fwrite(comp, 1, clen, f), clen);
    fclose(f);
    struct msoab_decompressor *d = mspack_create_oab_decompressor(NULL);
    int rc = d->decompress(d, lzx, out);
    mspack_destroy_oab_decompressor(d);
    if (rc == MSPACK_ERR_OK) {
        size_t got;
        char *back = slurp(out, &got);
        assert_non_null(back);
        assert_int_equal(got, n);
        assert_memory_equal(back, in, n);
        free(back);
    }
    unlink(lzx);
    unlink(out);
    return rc;
}

/* Compresses in with a compressor for block_max; checks libmspack reads it. */
static size_t check_block(const BYTE *in, size_t n, size_t block_max)
{
    fm_oab_lzx *z;
    assert_int_equal(fm_oab_lzx_new(block_max, &z), S_OK);
    size_t clen = fm_oab_lzx_compress(z, in, n, out_buf, out_cap);
    fm_oab_lzx_free(z);
    if (clen == 0)
        return 0;
    assert_true(clen < n);
    uint32_t crc = fm_oab_crc32(FM_OAB_CRC_INIT, in, n);
    assert_int_equal(mspack_roundtrip(in, n, block_max, out_buf, clen, crc), MSPACK_ERR_OK);
    return clen;
}

static BYTE *directory_text(size_t n)
{
    BYTE *b = malloc(n);
    size_t k = 0;
    for (unsigned i = 0; k < n; i++) {
        char line[160];
        int len = snprintf(line, sizeof line,
                           "/o=Example/ou=Exchange/cn=Recipients/cn=user%u|user%u@example.org|"
                           "Zoë Lefèvre %u|",
                           i, i * 7, i % 1000);
        for (int j = 0; j < len && k < n; j++)
            b[k++] = (BYTE)line[j];
    }
    return b;
}

static void directory_like_blocks_compress_and_libmspack_reads_them(void **state)
{
    (void)state;
    static const size_t sizes[] = {600, 4096, 32767, 32768, 32769, 65536, 98309, 262144};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        BYTE *b = directory_text(sizes[i]);
        size_t clen = check_block(b, sizes[i], 262144);
        assert_true(clen > 0);
        assert_true(clen < sizes[i] / 2);
        free(b);
    }
}

static void a_one_mebibyte_block_uses_the_largest_window(void **state)
{
    (void)state;
    size_t n = 1024 * 1024;
    BYTE *b = directory_text(n);
    /* Long-distance repeats: the second half copies the first. */
    memcpy(b + n / 2, b, n / 2);
    assert_true(check_block(b, n, n) > 0);
    free(b);
}

static void runs_of_one_byte_and_long_matches_across_chunks(void **state)
{
    (void)state;
    static const size_t zs[] = {600, 5000, 32768, 33000, 70000};
    for (size_t i = 0; i < 5; i++) {
        BYTE *zb = calloc(1, zs[i]);
        print_message("zeros %zu\n", zs[i]);
        assert_true(check_block(zb, zs[i], 262144) > 0);
        free(zb);
    }
    size_t n = 200000;
    BYTE *b = calloc(1, n);
    assert_true(check_block(b, n, 262144) > 0); /* one symbol: a completed code */
    for (size_t i = 0; i < n; i++)
        b[i] = (BYTE)("abcdefghij"[i % 10]);
    assert_true(check_block(b, n, 262144) > 0);
    free(b);
}

/* Mixtures of noise, runs and copies of earlier text at random distances,
 * of random sizes: every one must come back intact through libmspack. */
static void random_mixtures_round_trip(void **state)
{
    (void)state;
    uint32_t x = 20261121;
    size_t block_max = 262144;
    BYTE *b = malloc(block_max);
    int compressed = 0;
    for (int round = 0; round < 40; round++) {
        x = x * 1103515245u + 12345u;
        size_t n = 64 + (x >> 8) % (block_max - 64);
        for (size_t k = 0; k < n;) {
            x = x * 1103515245u + 12345u;
            unsigned kind = (x >> 16) % 3, len = 1 + (x >> 4) % 300;
            for (unsigned j = 0; j < len && k < n; j++, k++) {
                x = x * 1103515245u + 12345u;
                if (kind == 0 || k < 1000)
                    b[k] = (BYTE)(x >> 24);
                else if (kind == 1)
                    b[k] = (BYTE)round;
                else
                    b[k] = b[k - 1 - (x >> 12) % (k < 70000 ? k : 70000)];
            }
        }
        compressed += check_block(b, n, block_max) > 0;
    }
    assert_true(compressed >= 20);
    free(b);
}

static void incompressible_data_is_left_to_be_stored(void **state)
{
    (void)state;
    size_t n = 65536;
    BYTE *b = malloc(n);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        b[i] = (BYTE)(x >> 23);
    }
    fm_oab_lzx *z;
    assert_int_equal(fm_oab_lzx_new(n, &z), S_OK);
    assert_int_equal(fm_oab_lzx_compress(z, b, n, out_buf, out_cap), 0);
    assert_int_equal(fm_oab_lzx_compress(z, b, 0, out_buf, out_cap), 0);     /* empty */
    assert_int_equal(fm_oab_lzx_compress(z, b, n + 1, out_buf, out_cap), 0); /* too big */
    BYTE *t = directory_text(n);
    assert_int_equal(fm_oab_lzx_compress(z, t, n, out_buf, 64), 0);          /* no room */
    free(t);
    fm_oab_lzx_free(z);
    free(b);
}

static void libmspack_checks_our_crc_of_compressed_blocks(void **state)
{
    (void)state;
    size_t n = 50000;
    BYTE *b = directory_text(n);
    fm_oab_lzx *z;
    assert_int_equal(fm_oab_lzx_new(n, &z), S_OK);
    size_t clen = fm_oab_lzx_compress(z, b, n, out_buf, out_cap);
    fm_oab_lzx_free(z);
    assert_true(clen > 0);
    uint32_t crc = fm_oab_crc32(FM_OAB_CRC_INIT, b, n);
    assert_int_equal(mspack_roundtrip(b, n, n, out_buf, clen, crc), MSPACK_ERR_OK);
    assert_int_equal(mspack_roundtrip(b, n, n, out_buf, clen, crc ^ 0xFFFFFFFFu), MSPACK_ERR_CHECKSUM);
    assert_int_equal(mspack_roundtrip(b, n, n, out_buf, clen, crc ^ 1u), MSPACK_ERR_CHECKSUM);
    free(b);
}

static void creating_the_compressor_survives_out_of_memory(void **state)
{
    (void)state;
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    for (uint64_t k = 1; k <= 3; k++) {
        fmapi_alloc_fail_nth(k);
        fm_oab_lzx *z = NULL;
        HRESULT hr = fm_oab_lzx_new(4096, &z);
        fmapi_alloc_fail_nth(0);
        assert_int_equal(hr, MAPI_E_NOT_ENOUGH_MEMORY);
        assert_null(z);
        fm_test_assert_no_leak(&b);
    }
}

static int setup(void **state)
{
    (void)state;
    out_cap = 2 * 1024 * 1024;
    out_buf = malloc(out_cap);
    return out_buf ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(out_buf);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(directory_like_blocks_compress_and_libmspack_reads_them),
        cmocka_unit_test(a_one_mebibyte_block_uses_the_largest_window),
        cmocka_unit_test(runs_of_one_byte_and_long_matches_across_chunks),
        cmocka_unit_test(random_mixtures_round_trip),
        cmocka_unit_test(incompressible_data_is_left_to_be_stored),
        cmocka_unit_test(libmspack_checks_our_crc_of_compressed_blocks),
        cmocka_unit_test(creating_the_compressor_survives_out_of_memory),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
