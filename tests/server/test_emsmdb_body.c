/*
 * tests/server/test_emsmdb_body.c - the mailbox endpoint's bodies
 * ([MS-OXCMAPIHTTP] 2.2.4) byte by byte: the request parsers take the
 * layouts of 2.2.4.1.1, 2.2.4.2.1, 2.2.4.3.1 and 2.2.4.4.1 and refuse every
 * truncation, overrun and trailing byte; the writers produce 2.2.4.1.2,
 * 2.2.4.2.2, 2.2.4.3.2, 2.2.4.4.2 and the failure bodies; they survive
 * every allocation failure without a leak. Also freemapid.conf's reader
 * and the session registry (ownership, limit, idle contexts ended).
 */
#include "fm_test.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "server/core/config.h"
#include "server/core/sessions.h"
#include "server/mapihttp/emsmdb_body.h"

static const uint8_t connect_req[] = {
    '/', 'o', '=', 'x', '/', 'c', 'n', '=', 'a', 0, /* UserDn */
    0x01, 0x00, 0x00, 0x00,                         /* Flags */
    0xE4, 0x04, 0x00, 0x00,                         /* DefaultCodePage 1252 */
    0x09, 0x04, 0x00, 0x00,                         /* LcidSort */
    0x07, 0x04, 0x00, 0x00,                         /* LcidString */
    0x02, 0x00, 0x00, 0x00, 0xAA, 0xBB,             /* AuxiliaryBuffer */
};

static void connect_request_fields_are_read_in_the_documented_order(void **state)
{
    fm_mh_connect_req r;
    assert_int_equal(fm_mh_parse_connect(connect_req, sizeof connect_req, &r), S_OK);
    assert_string_equal(r.user_dn, "/o=x/cn=a");
    assert_int_equal(r.flags, 1);
    assert_int_equal(r.default_code_page, 1252);
    assert_int_equal(r.lcid_sort, 0x409);
    assert_int_equal(r.lcid_string, 0x407);
    assert_int_equal(r.aux_size, 2);
    assert_int_equal(r.aux[0], 0xAA);
}

static void every_truncation_and_every_extra_byte_is_corrupt(void **state)
{
    fm_mh_connect_req r;
    for (size_t n = 0; n < sizeof connect_req; n++)
        assert_int_equal(fm_mh_parse_connect(connect_req, n, &r), MAPI_E_CORRUPT_DATA);
    uint8_t longer[sizeof connect_req + 1];
    memcpy(longer, connect_req, sizeof connect_req);
    longer[sizeof connect_req] = 0;
    assert_int_equal(fm_mh_parse_connect(longer, sizeof longer, &r), MAPI_E_CORRUPT_DATA);
    assert_non_null(strstr(fm_error_text(), "after its end"));
    /* a non-ASCII byte in UserDn */
    memcpy(longer, connect_req, sizeof connect_req);
    longer[2] = 0xC3;
    assert_int_equal(fm_mh_parse_connect(longer, sizeof connect_req, &r), MAPI_E_CORRUPT_DATA);
}

static void execute_request_sizes_are_bounded_by_the_body(void **state)
{
    uint8_t b[] = {0, 0, 0, 0,  3, 0, 0, 0,  1, 2, 3,  0, 0x80, 0, 0,  0, 0, 0, 0};
    fm_mh_execute_req r;
    assert_int_equal(fm_mh_parse_execute(b, sizeof b, &r), S_OK);
    assert_int_equal(r.rop_buffer_size, 3);
    assert_memory_equal(r.rop_buffer, "\1\2\3", 3);
    assert_int_equal(r.max_rop_out, 0x8000);
    b[4] = 4; /* RopBufferSize one past */
    assert_int_equal(fm_mh_parse_execute(b, sizeof b, &r), MAPI_E_CORRUPT_DATA);
    b[4] = 0xFF, b[7] = 0xFF; /* huge: no overflow */
    assert_int_equal(fm_mh_parse_execute(b, sizeof b, &r), MAPI_E_CORRUPT_DATA);
    assert_int_equal(fm_mh_parse_execute(NULL, 0, &r), MAPI_E_CORRUPT_DATA);
}

static void disconnect_and_notification_wait_bodies(void **state)
{
    const uint8_t d[] = {0, 0, 0, 0};
    const uint8_t w[] = {0, 0, 0, 0, 1, 0, 0, 0, 0x42};
    const uint8_t big[] = {0x09, 0x10, 0, 0}; /* 0x1009: above [MS-OXCRPC]'s 0x1008 */
    fm_mh_aux_req r;
    assert_int_equal(fm_mh_parse_disconnect(d, sizeof d, &r), S_OK);
    assert_int_equal(r.aux_size, 0);
    assert_int_equal(fm_mh_parse_notification_wait(w, sizeof w, &r), S_OK);
    assert_int_equal(r.aux_size, 1);
    assert_int_equal(r.aux[0], 0x42);
    assert_int_equal(fm_mh_parse_disconnect(big, sizeof big, &r), MAPI_E_CORRUPT_DATA);
    assert_int_equal(fm_mh_parse_notification_wait(d, sizeof d, &r), MAPI_E_CORRUPT_DATA);
}

static void connect_response_layout(void **state)
{
    fm_mh_buf b = {0};
    fm_mh_connect_resp r = {.error_code = 0, .max_polling_interval = 60000,
                            .max_retry_count = 6, .retry_delay = 10000, .dn_prefix = "/o=x",
                            .display_name = "\xC3\xA9\xF0\x9F\x98\x80"}; /* é, U+1F600 */
    fm_mh_write_connect(&b, &r);
    const uint8_t want[] = {0, 0, 0, 0,  0, 0, 0, 0,  0x60, 0xEA, 0, 0,  6, 0, 0, 0,
                            0x10, 0x27, 0, 0,  '/', 'o', '=', 'x', 0,
                            0xE9, 0x00, 0x3D, 0xD8, 0x00, 0xDE, 0, 0,  0, 0, 0, 0};
    assert_int_equal(b.hr, S_OK);
    assert_int_equal(b.len, sizeof want);
    assert_memory_equal(b.data, want, sizeof want);
    fm_mh_buf_clear(&b);
}

static void execute_disconnect_wait_and_failure_response_layouts(void **state)
{
    fm_mh_buf b = {0};
    fm_mh_write_execute(&b, 0, 0, (const uint8_t *)"\7\7", 2);
    const uint8_t ex[] = {0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,  2, 0, 0, 0,  7, 7,  0, 0, 0, 0};
    assert_int_equal(b.len, sizeof ex);
    assert_memory_equal(b.data, ex, sizeof ex);
    fm_mh_buf_clear(&b);
    fm_mh_write_disconnect(&b, 0x80040111);
    const uint8_t dis[] = {0, 0, 0, 0,  0x11, 0x01, 0x04, 0x80,  0, 0, 0, 0};
    assert_int_equal(b.len, sizeof dis);
    assert_memory_equal(b.data, dis, sizeof dis);
    fm_mh_buf_clear(&b);
    fm_mh_write_notification_wait(&b, 0, 1);
    const uint8_t nw[] = {0, 0, 0, 0,  0, 0, 0, 0,  1, 0, 0, 0,  0, 0, 0, 0};
    assert_int_equal(b.len, sizeof nw);
    assert_memory_equal(b.data, nw, sizeof nw);
    fm_mh_buf_clear(&b);
    fm_mh_write_failure(&b, 12);
    const uint8_t fl[] = {12, 0, 0, 0,  0, 0, 0, 0};
    assert_int_equal(b.len, sizeof fl);
    assert_memory_equal(b.data, fl, sizeof fl);
    fm_mh_buf_clear(&b);
}

static HRESULT write_connect_body(void *ctx)
{
    fm_mh_buf b = {0};
    fm_mh_connect_resp r = {.dn_prefix = "/o=freemapi/ou=Exchange Administrative Group",
                            .display_name = "A rather long display name for growth"};
    for (int i = 0; i < 8; i++)
        fm_mh_write_connect(&b, &r);
    HRESULT hr = b.hr;
    fm_mh_buf_clear(&b);
    return hr;
}

static void the_writers_survive_every_allocation_failure(void **state)
{
    assert_true(fm_test_oom_sweep(write_connect_body, NULL) > 0);
}

static void the_configuration_reads_keys_comments_and_refuses_bad_lines(void **state)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/t.conf", fm_test_tmpdir());
    FILE *f = fopen(path, "w");
    fprintf(f, "# comment\n\n  site = /srv/site \nlisten_unix=/run/f/s\nmax_sessions = 7\n"
               "max_request_size = 4096\n");
    fclose(f);
    fm_srv_config cfg;
    fm_srv_config_init(&cfg);
    assert_int_equal(fm_srv_config_load(path, &cfg), S_OK);
    assert_string_equal(cfg.site, "/srv/site");
    assert_string_equal(cfg.listen_unix, "/run/f/s");
    assert_int_equal(cfg.max_sessions, 7);
    assert_int_equal(cfg.max_request_size, 4096);
    assert_int_equal(fm_srv_config_check(&cfg), S_OK);
    assert_int_equal(fm_srv_config_set(&cfg, "listen_tcp", "127.0.0.1:1"), S_OK);
    assert_int_equal(fm_srv_config_check(&cfg), MAPI_E_INVALID_PARAMETER); /* TLS only */
    assert_int_equal(fm_srv_config_set(&cfg, "max_sessions", "-1"), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_srv_config_set(&cfg, "max_sessions", "0"), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_srv_config_set(&cfg, "colour", "blue"), MAPI_E_INVALID_PARAMETER);
    fm_srv_config_clear(&cfg);
    f = fopen(path, "w");
    fprintf(f, "site = /x\nnot a pair\n");
    fclose(f);
    fm_srv_config_init(&cfg);
    assert_int_equal(fm_srv_config_load(path, &cfg), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fm_error_text(), "t.conf:2: expected key = value"));
    fm_srv_config_clear(&cfg);
}

static int freed;
static void count_free(void *state)
{
    freed++;
}

static void a_session_is_its_owners_only_and_the_registry_is_bounded(void **state)
{
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    fm_srv_sessions *reg;
    char c1[FM_SRV_COOKIE_LEN + 1], c2[FM_SRV_COOKIE_LEN + 1], c3[FM_SRV_COOKIE_LEN + 1];
    fm_srv_session *s;
    freed = 0;
    assert_int_equal(fm_srv_sessions_new(2, 3600 * 1000, &reg), S_OK);
    assert_int_equal(fm_srv_session_create(reg, 1, NULL, count_free, c1), S_OK);
    assert_int_equal(fm_srv_session_create(reg, 2, NULL, count_free, c2), S_OK);
    assert_string_not_equal(c1, c2);
    assert_int_equal(fm_srv_session_create(reg, 1, NULL, count_free, c3),
                     MAPI_E_NOT_ENOUGH_RESOURCES);
    assert_int_equal(freed, 1); /* the refused one's state */
    assert_int_equal(fm_srv_session_acquire(reg, c1, 2, &s), MAPI_E_NO_ACCESS);
    assert_int_equal(fm_srv_session_acquire(reg, "c1", 1, &s), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_srv_session_acquire(reg, c1, 1, &s), S_OK);
    fm_srv_session_release(reg, s, 1);
    assert_int_equal(freed, 2);
    assert_int_equal(fm_srv_session_acquire(reg, c1, 1, &s), MAPI_E_NOT_FOUND);
    assert_int_equal(fm_srv_sessions_count(reg), 1);
    fm_srv_sessions_free(reg);
    assert_int_equal(freed, 3);
    fm_test_assert_no_leak(&base);
}

static void an_idle_session_ends_when_the_next_is_created(void **state)
{
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    fm_srv_sessions *reg;
    char c1[FM_SRV_COOKIE_LEN + 1], c2[FM_SRV_COOKIE_LEN + 1];
    fm_srv_session *s;
    struct timespec pause = {0, 20 * 1000 * 1000};
    freed = 0;
    assert_int_equal(fm_srv_sessions_new(1, 5, &reg), S_OK); /* idle after 5 ms */
    assert_int_equal(fm_srv_session_create(reg, 1, NULL, count_free, c1), S_OK);
    nanosleep(&pause, NULL);
    /* the registry is full, but its one session has been idle: it ends */
    assert_int_equal(fm_srv_session_create(reg, 2, NULL, count_free, c2), S_OK);
    assert_int_equal(freed, 1);
    assert_int_equal(fm_srv_session_acquire(reg, c1, 1, &s), MAPI_E_NOT_FOUND);
    /* a session in a request is never taken, however long it runs */
    assert_int_equal(fm_srv_session_acquire(reg, c2, 2, &s), S_OK);
    nanosleep(&pause, NULL);
    assert_int_equal(fm_srv_session_create(reg, 1, NULL, count_free, c1),
                     MAPI_E_NOT_ENOUGH_RESOURCES);
    assert_int_equal(freed, 2); /* the refused one's state only */
    fm_srv_session_release(reg, s, 0);
    fm_srv_sessions_free(reg);
    assert_int_equal(freed, 3);
    fm_test_assert_no_leak(&base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(connect_request_fields_are_read_in_the_documented_order),
        cmocka_unit_test(every_truncation_and_every_extra_byte_is_corrupt),
        cmocka_unit_test(execute_request_sizes_are_bounded_by_the_body),
        cmocka_unit_test(disconnect_and_notification_wait_bodies),
        cmocka_unit_test(connect_response_layout),
        cmocka_unit_test(execute_disconnect_wait_and_failure_response_layouts),
        cmocka_unit_test(the_writers_survive_every_allocation_failure),
        cmocka_unit_test(the_configuration_reads_keys_comments_and_refuses_bad_lines),
        cmocka_unit_test(a_session_is_its_owners_only_and_the_registry_is_bounded),
        cmocka_unit_test(an_idle_session_ends_when_the_next_is_created),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
