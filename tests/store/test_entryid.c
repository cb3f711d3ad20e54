/*
 * tests/store/test_entryid.c - store entry IDs and source keys: the exact
 * bytes, round trips, every refusal, and allocation failures
 * (src/store/entryid.c).
 */
#include <string.h>

#include "fm_test.h"
#include "mapix.h"
#include "store/entryid.h"

static const MAPIUID UID_A = { { 0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87, 0x98, 0xA9,
                                 0xBA, 0xCB, 0xDC, 0xED, 0xFE, 0x0F } };

static const uint64_t BOUNDARY_IDS[] = { 1, 2, 255, 256, 0xFFFFFFFFull, 0x100000000ull,
                                         0xFFFFFFFFFFFFull };

static void the_bytes_follow_the_documented_layout(void **state)
{
    BYTE buf[FM_EID_SIZE];
    fm_entryid_write(&UID_A, FM_EID_MESSAGE, 0x0102030405060708ull, buf);
    static const BYTE expected[FM_EID_SIZE] = {
        0, 0, 0, 0, /* abFlags: long-term */
        0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87,
        0x98, 0xA9, 0xBA, 0xCB, 0xDC, 0xED, 0xFE, 0x0F, /* store UID */
        1, FM_EID_MESSAGE, 0, 0,                        /* version, kind, reserved */
        0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, /* id, little-endian */
    };
    assert_memory_equal(buf, expected, FM_EID_SIZE);
}

static void every_kind_and_boundary_id_round_trips(void **state)
{
    static const int kinds[] = { FM_EID_FOLDER, FM_EID_MESSAGE };
    for (size_t k = 0; k < 2; k++) {
        for (size_t i = 0; i < sizeof BOUNDARY_IDS / sizeof BOUNDARY_IDS[0]; i++) {
            BYTE buf[FM_EID_SIZE];
            fm_entryid_write(&UID_A, kinds[k], BOUNDARY_IDS[i], buf);
            MAPIUID uid;
            int kind = 0;
            uint64_t id = 0;
            assert_int_equal(fm_entryid_parse(FM_EID_SIZE, (LPENTRYID)buf, &uid, &kind, &id),
                             S_OK);
            assert_memory_equal(&uid, &UID_A, sizeof uid);
            assert_int_equal(kind, kinds[k]);
            assert_true(id == BOUNDARY_IDS[i]);
        }
    }
}

static void the_store_entry_id_round_trips_with_id_zero(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    assert_int_equal(fm_entryid_make(&UID_A, FM_EID_STORE, 0, NULL, &cb, &eid), S_OK);
    assert_int_equal(cb, FM_EID_SIZE);
    MAPIUID uid;
    int kind = 0;
    uint64_t id = 99;
    assert_int_equal(fm_entryid_parse(cb, eid, &uid, &kind, &id), S_OK);
    assert_int_equal(kind, FM_EID_STORE);
    assert_true(id == 0);
    assert_memory_equal(&uid, &UID_A, sizeof uid);
    MAPIFreeBuffer(eid);
    fm_test_assert_no_leak(&b);
}

static void make_writes_the_same_bytes_as_write(void **state)
{
    BYTE buf[FM_EID_SIZE];
    fm_entryid_write(&UID_A, FM_EID_FOLDER, 0x100000000ull, buf);
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    assert_int_equal(fm_entryid_make(&UID_A, FM_EID_FOLDER, 0x100000000ull, NULL, &cb, &eid),
                     S_OK);
    assert_memory_equal(eid, buf, FM_EID_SIZE);
    MAPIFreeBuffer(eid);
}

static void make_links_to_a_parent_buffer(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    void *parent;
    assert_int_equal(MAPIAllocateBuffer(16, &parent), S_OK);
    ULONG cb;
    LPENTRYID eid;
    assert_int_equal(fm_entryid_make(&UID_A, FM_EID_MESSAGE, 7, parent, &cb, &eid), S_OK);
    fmapi_alloc_stats s;
    fmapi_alloc_get_stats(&s);
    assert_int_equal(s.live_mapi_buffers, b.stats.live_mapi_buffers + 2);
    MAPIFreeBuffer(parent); /* frees the linked entry ID too */
    fm_test_assert_no_leak(&b);
}

static void parsing_works_at_an_odd_address(void **state)
{
    BYTE raw[FM_EID_SIZE + 8];
    for (size_t off = 1; off < 8; off += 2) {
        memset(raw, 0xEE, sizeof raw);
        fm_entryid_write(&UID_A, FM_EID_MESSAGE, 0xFFFFFFFFFFFFull, raw + off);
        uint64_t id = 0;
        int kind = 0;
        assert_int_equal(fm_entryid_parse(FM_EID_SIZE, (const ENTRYID *)(raw + off), NULL,
                                          &kind, &id),
                         S_OK);
        assert_true(id == 0xFFFFFFFFFFFFull);
        assert_int_equal(kind, FM_EID_MESSAGE);
    }
}

static HRESULT parse_changed(size_t at, BYTE value)
{
    BYTE buf[FM_EID_SIZE];
    fm_entryid_write(&UID_A, FM_EID_FOLDER, 5, buf);
    buf[at] = value;
    fmapi_clear_error();
    return fm_entryid_parse(FM_EID_SIZE, (LPENTRYID)buf, NULL, NULL, NULL);
}

static void assert_refused(HRESULT hr, const char *text)
{
    assert_int_equal(hr, MAPI_E_INVALID_ENTRYID);
    assert_non_null(strstr(fmapi_last_error(), text));
}

static void null_and_wrong_sizes_are_invalid_entry_ids(void **state)
{
    BYTE buf[FM_EID_SIZE + 1];
    fm_entryid_write(&UID_A, FM_EID_FOLDER, 5, buf);
    buf[FM_EID_SIZE] = 0;
    uint64_t id = 77;
    assert_refused(fm_entryid_parse(FM_EID_SIZE, NULL, NULL, NULL, &id), "no entry ID");
    assert_refused(fm_entryid_parse(0, (LPENTRYID)buf, NULL, NULL, &id), "0 bytes");
    assert_refused(fm_entryid_parse(0, NULL, NULL, NULL, &id), "no entry ID");
    assert_refused(fm_entryid_parse(FM_EID_SIZE - 1, (LPENTRYID)buf, NULL, NULL, &id), "31");
    assert_refused(fm_entryid_parse(FM_EID_SIZE + 1, (LPENTRYID)buf, NULL, NULL, &id), "33");
    assert_true(id == 77); /* outputs untouched on failure */
}

static void flagged_entry_ids_are_refused(void **state)
{
    /* MAPI_SHORTTERM is 0x80 in abFlags[0]; any other flag byte too */
    for (size_t i = 0; i < 4; i++) {
        assert_refused(parse_changed(i, 0x80), "abFlags");
        assert_refused(parse_changed(i, 0x01), "abFlags");
    }
}

static void other_versions_are_refused(void **state)
{
    assert_refused(parse_changed(20, 0), "version 0");
    assert_refused(parse_changed(20, 2), "version 2");
    assert_refused(parse_changed(20, 0xFF), "version 255");
}

static void unknown_kinds_are_refused(void **state)
{
    assert_refused(parse_changed(21, 0), "kind 0");
    assert_refused(parse_changed(21, 4), "kind 4");
    assert_refused(parse_changed(21, 0xFF), "kind 255");
}

static void nonzero_reserved_bytes_are_refused(void **state)
{
    assert_refused(parse_changed(22, 1), "reserved");
    assert_refused(parse_changed(23, 0x80), "reserved");
}

static void a_store_kind_with_an_object_id_is_refused(void **state)
{
    BYTE buf[FM_EID_SIZE];
    fm_entryid_write(&UID_A, FM_EID_STORE, 0, buf);
    for (size_t at = 24; at < 32; at++) {
        BYTE copy[FM_EID_SIZE];
        memcpy(copy, buf, sizeof copy);
        copy[at] = 1;
        assert_refused(fm_entryid_parse(FM_EID_SIZE, (LPENTRYID)copy, NULL, NULL, NULL),
                       "non-zero object id");
    }
}

static void a_folder_or_message_with_id_zero_is_refused(void **state)
{
    assert_refused(parse_changed(24, 0), "object id 0");
    BYTE buf[FM_EID_SIZE];
    fm_entryid_write(&UID_A, FM_EID_MESSAGE, 1, buf);
    buf[24] = 0;
    assert_refused(fm_entryid_parse(FM_EID_SIZE, (LPENTRYID)buf, NULL, NULL, NULL),
                   "object id 0");
}

static void another_stores_uid_parses_and_is_reported(void **state)
{
    MAPIUID other = UID_A;
    other.ab[15] ^= 0xFF;
    BYTE buf[FM_EID_SIZE];
    fm_entryid_write(&other, FM_EID_FOLDER, 3, buf);
    MAPIUID uid;
    assert_int_equal(fm_entryid_parse(FM_EID_SIZE, (LPENTRYID)buf, &uid, NULL, NULL), S_OK);
    assert_memory_equal(&uid, &other, sizeof uid);
    assert_memory_not_equal(&uid, &UID_A, sizeof uid);
}

static void source_keys_are_the_uid_and_a_six_byte_counter(void **state)
{
    BYTE key[FM_SOURCE_KEY_SIZE + 1];
    key[FM_SOURCE_KEY_SIZE] = 0xAB;
    fm_source_key_write(&UID_A, 0x0000060504030201ull, key);
    assert_memory_equal(key, UID_A.ab, 16);
    static const BYTE counter[6] = { 1, 2, 3, 4, 5, 6 };
    assert_memory_equal(key + 16, counter, 6);
    assert_int_equal(key[FM_SOURCE_KEY_SIZE], 0xAB); /* nothing written past 22 bytes */

    fm_source_key_write(&UID_A, 0xFFFFFFFFFFFFull, key);
    for (int i = 16; i < 22; i++)
        assert_int_equal(key[i], 0xFF);
    fm_source_key_write(&UID_A, 1, key);
    assert_int_equal(key[16], 1);
    for (int i = 17; i < 22; i++)
        assert_int_equal(key[i], 0);
    fm_source_key_write(&UID_A, 0x100000000ull, key);
    static const BYTE c32[6] = { 0, 0, 0, 0, 1, 0 };
    assert_memory_equal(key + 16, c32, 6);
}

static HRESULT make_root(void *ctx)
{
    ULONG cb;
    LPENTRYID eid;
    HRESULT hr = fm_entryid_make(&UID_A, FM_EID_MESSAGE, 42, NULL, &cb, &eid);
    if (hr == S_OK)
        MAPIFreeBuffer(eid);
    return hr;
}

static HRESULT make_linked(void *ctx)
{
    void *parent;
    if (MAPIAllocateBuffer(8, &parent) != S_OK)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    ULONG cb;
    LPENTRYID eid;
    HRESULT hr = fm_entryid_make(&UID_A, FM_EID_FOLDER, 42, parent, &cb, &eid);
    if (hr == S_OK && fm_entryid_parse(cb, eid, NULL, NULL, NULL) != S_OK)
        hr = MAPI_E_CALL_FAILED;
    MAPIFreeBuffer(parent);
    return hr;
}

static void make_survives_every_allocation_failure(void **state)
{
    assert_int_equal(fm_test_oom_sweep(make_root, NULL), 1);
    assert_int_equal(fm_test_oom_sweep(make_linked, NULL), 2);
}

static void an_allocation_failure_is_reported_with_text(void **state)
{
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    fmapi_alloc_fail_nth(1);
    assert_int_equal(fm_entryid_make(&UID_A, FM_EID_FOLDER, 1, NULL, &cb, &eid),
                     MAPI_E_NOT_ENOUGH_MEMORY);
    fmapi_alloc_fail_off();
    assert_non_null(strstr(fmapi_last_error(), "entry ID"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_bytes_follow_the_documented_layout),
        cmocka_unit_test(every_kind_and_boundary_id_round_trips),
        cmocka_unit_test(the_store_entry_id_round_trips_with_id_zero),
        cmocka_unit_test(make_writes_the_same_bytes_as_write),
        cmocka_unit_test(make_links_to_a_parent_buffer),
        cmocka_unit_test(parsing_works_at_an_odd_address),
        cmocka_unit_test(null_and_wrong_sizes_are_invalid_entry_ids),
        cmocka_unit_test(flagged_entry_ids_are_refused),
        cmocka_unit_test(other_versions_are_refused),
        cmocka_unit_test(unknown_kinds_are_refused),
        cmocka_unit_test(nonzero_reserved_bytes_are_refused),
        cmocka_unit_test(a_store_kind_with_an_object_id_is_refused),
        cmocka_unit_test(a_folder_or_message_with_id_zero_is_refused),
        cmocka_unit_test(another_stores_uid_parses_and_is_reported),
        cmocka_unit_test(source_keys_are_the_uid_and_a_six_byte_counter),
        cmocka_unit_test(make_survives_every_allocation_failure),
        cmocka_unit_test(an_allocation_failure_is_reported_with_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
