/*
 * tests/rop/test_execute.c - fm_rop_execute's framing: RPC_HEADER_EXT
 * ([MS-OXCRPC] 2.2.2.1), the ROP input/output buffer ([MS-OXCROPS] 2.2.1),
 * unknown ROPs, malformed and truncated buffers, max_out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "fm_test.h"
#include "freemapi_site.h"
#include "mapicode.h"
#include "mapix.h"
#include "rop/rop.h"

typedef struct fixture {
    fmapi_site *site;
    fm_rop_context *ctx;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    char dir[512];

    assert_non_null(f);
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    snprintf(dir, sizeof(dir), "%s/site", fm_test_tmpdir());
    assert_int_equal(fmapi_site_open(dir, FMAPI_SITE_CREATE | FMAPI_SITE_WEAK_HASHES, &f->site),
                     S_OK);
    assert_int_equal(fmapi_site_add_user(f->site, "alice", "Alice", "alice@example.com", "pw"),
                     S_OK);
    assert_int_equal(fm_rop_context_new(f->site, "alice", &f->ctx), S_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    fm_rop_context_free(f->ctx);
    fmapi_site_close(f->site);
    MAPIUninitialize();
    free(f);
    return 0;
}

/* Wraps a ROP payload in one RPC_HEADER_EXT with Last (Size = SizeActual). */
static size_t frame(const uint8_t *payload, size_t len, uint8_t *out)
{
    out[0] = 0;
    out[1] = 0;
    out[2] = 0x04; /* Last */
    out[3] = 0;
    out[4] = (uint8_t)len;
    out[5] = (uint8_t)(len >> 8);
    out[6] = (uint8_t)len;
    out[7] = (uint8_t)(len >> 8);
    memcpy(out + 8, payload, len);
    return len + 8;
}

/* [MS-OXCROPS] 4.4 RopRelease ROP Request: "08 00 01 00 00 01 00 01 6F 00
 * 00 00 6E 00 00 00" - two RopReleases of handles 0x6F and 0x6E. Neither
 * names an object here; RopRelease has no response, so the output is an
 * empty RopsList and the handle table unchanged. */
static void the_published_ropRelease_example_gets_an_empty_response(void **state)
{
    fixture *f = *state;
    static const uint8_t payload[] = {0x08, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
                                      0x6F, 0x00, 0x00, 0x00, 0x6E, 0x00, 0x00, 0x00};
    static const uint8_t expect[] = {0x00, 0x00, 0x04, 0x00, 0x0A, 0x00, 0x0A, 0x00, 0x02, 0x00,
                                     0x6F, 0x00, 0x00, 0x00, 0x6E, 0x00, 0x00, 0x00};
    uint8_t in[64], *out = NULL;
    size_t in_len = frame(payload, sizeof(payload), in), out_len = 0;

    assert_int_equal(fm_rop_execute(f->ctx, in, in_len, 0x8000, &out, &out_len), S_OK);
    assert_int_equal(out_len, sizeof(expect));
    assert_memory_equal(out, expect, sizeof(expect));
    fm_free(out);
}

/* An unimplemented ROP (RopGetStatus, 0x16, [MS-OXCROPS] 2.2.2) gets the
 * failure response RopId, InputHandleIndex, ReturnValue ecNotSupported. */
static void an_unimplemented_rop_is_answered_ecNotSupported(void **state)
{
    fixture *f = *state;
    static const uint8_t payload[] = {0x05, 0x00, 0x16, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF};
    static const uint8_t expect[] = {0x08, 0x00, 0x16, 0x00, 0x02, 0x01, 0x04, 0x80,
                                     0xFF, 0xFF, 0xFF, 0xFF};
    uint8_t in[64], *out = NULL;
    size_t in_len = frame(payload, sizeof(payload), in), out_len = 0;

    assert_int_equal(fm_rop_execute(f->ctx, in, in_len, 0x8000, &out, &out_len), S_OK);
    assert_int_equal(out_len, 8 + sizeof(expect));
    assert_memory_equal(out + 8, expect, sizeof(expect));
    fm_free(out);
}

/* XorMagic ([MS-OXCRPC] 3.1.7.3): the payload is XORed with 0xA5. */
static void an_obfuscated_payload_is_reverted(void **state)
{
    fixture *f = *state;
    static const uint8_t payload[] = {0x05, 0x00, 0x16, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF};
    uint8_t in[64], *out = NULL;
    size_t in_len = frame(payload, sizeof(payload), in), out_len = 0, i;

    in[2] |= 0x02;
    for (i = 8; i < in_len; i++)
        in[i] ^= 0xA5;
    assert_int_equal(fm_rop_execute(f->ctx, in, in_len, 0x8000, &out, &out_len), S_OK);
    assert_int_equal(out_len, 20);
    assert_int_equal(out[2], 0x04); /* the response is neither obfuscated nor compressed */
    assert_int_equal(out[10], 0x16);
    fm_free(out);
}

static void expect_corrupt(fixture *f, const uint8_t *in, size_t len)
{
    uint8_t *out = (uint8_t *)1;
    size_t out_len = 1;

    assert_int_equal(fm_rop_execute(f->ctx, in, len, 0x8000, &out, &out_len), MAPI_E_CORRUPT_DATA);
    assert_null(out);
    assert_int_equal(out_len, 0);
    assert_true(strlen(fm_error_text()) > 0);
}

/* Every prefix of a valid buffer, and each bad header field, is refused
 * with MAPI_E_CORRUPT_DATA and no output. */
static void malformed_and_truncated_buffers_are_corrupt_data(void **state)
{
    fixture *f = *state;
    static const uint8_t payload[] = {0x08, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
                                      0x6F, 0x00, 0x00, 0x00, 0x6E, 0x00, 0x00, 0x00};
    uint8_t in[64], bad[64];
    size_t len = frame(payload, sizeof(payload), in), n;

    for (n = 0; n < len; n++)
        expect_corrupt(f, in, n);
    memcpy(bad, in, len);
    bad[0] = 1; /* Version must be 0 */
    expect_corrupt(f, bad, len);
    memcpy(bad, in, len);
    bad[2] = 0x0C; /* an undefined flag */
    expect_corrupt(f, bad, len);
    memcpy(bad, in, len);
    bad[6] = 0x20; /* SizeActual differs from Size without Compressed */
    expect_corrupt(f, bad, len);
    memcpy(bad, in, len);
    bad[2] = 0x00; /* no Last: another header must follow */
    expect_corrupt(f, bad, len);
    memcpy(bad, in, len);
    bad[len] = 0; /* bytes after the Last payload */
    expect_corrupt(f, bad, len + 1);
    memcpy(bad, in, len);
    bad[8] = 0x01; /* RopSize below its own two bytes */
    expect_corrupt(f, bad, len);
    memcpy(bad, in, len);
    bad[8] = 0x07; /* the handle table is no longer whole handles */
    expect_corrupt(f, bad, len);
    memcpy(bad, in, len);
    bad[8 + 2] = 0x00; /* RopId 0x00 is Reserved ([MS-OXCROPS] 2.2.2) */
    expect_corrupt(f, bad, len);
    {
        /* RopSize ends the RopsList after a RopId: the request is cut */
        static const uint8_t cut[] = {0x03, 0x00, 0x01, 0xFF, 0xFF, 0xFF, 0xFF};
        n = frame(cut, sizeof(cut), bad);
        expect_corrupt(f, bad, n);
    }
}

/* A max_out too small for even the header and handle table is MAPI_E_TOO_BIG. */
static void a_response_buffer_too_small_for_the_handle_table_is_refused(void **state)
{
    fixture *f = *state;
    static const uint8_t payload[] = {0x05, 0x00, 0x16, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF};
    uint8_t in[64], *out = NULL;
    size_t in_len = frame(payload, sizeof(payload), in), out_len = 0;

    assert_int_equal(fm_rop_execute(f->ctx, in, in_len, 13, &out, &out_len), MAPI_E_TOO_BIG);
    assert_null(out);
}

/* Compressed payloads ([MS-OXCRPC] 2.2.2.1 Compressed) are not accepted
 * yet: MAPI_E_CORRUPT_DATA with text saying so, never a guess at the data. */
static void a_compressed_payload_is_refused_with_text(void **state)
{
    fixture *f = *state;
    static const uint8_t in[] = {0x00, 0x00, 0x05, 0x00, 0x04, 0x00, 0x09, 0x00,
                                 0x00, 0x00, 0x00, 0x00};
    uint8_t *out = NULL;
    size_t out_len = 0;

    assert_int_equal(fm_rop_execute(f->ctx, in, sizeof(in), 0x8000, &out, &out_len),
                     MAPI_E_CORRUPT_DATA);
    assert_null(out);
    assert_non_null(strstr(fm_error_text(), "compressed"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_published_ropRelease_example_gets_an_empty_response),
        cmocka_unit_test(an_unimplemented_rop_is_answered_ecNotSupported),
        cmocka_unit_test(an_obfuscated_payload_is_reverted),
        cmocka_unit_test(malformed_and_truncated_buffers_are_corrupt_data),
        cmocka_unit_test(a_response_buffer_too_small_for_the_handle_table_is_refused),
        cmocka_unit_test(a_compressed_payload_is_refused_with_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
