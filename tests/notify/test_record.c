/*
 * tests/notify/test_record.c - store change records as bytes: every field
 * survives a round trip, a newer writer's unknown fields are skipped, and
 * damaged batches (every truncation, random corruption, bad values) are
 * MAPI_E_CORRUPT_DATA, never a crash or a silently shorter batch.
 */
#include <stdlib.h>

#include "notify_fixture.h"
#include "notify/record.h"

static const ULONG tags[] = { PR_SUBJECT, PR_BODY_W, 0x80010003 };
static const BYTE ext[] = { 1, 2, 3, 0, 4 };

static fm_notify_record full_record(void)
{
    return (fm_notify_record){
        .event = fnevObjectMoved,
        .obj_type = MAPI_MESSAGE,
        .id = 0x7FFFFFFFFFFFFFF0LL,
        .parent = 12,
        .old_id = -5,
        .old_parent = 13,
        .msg_flags = MSGFLAG_READ | MSGFLAG_UNSENT,
        .scode = MAPI_E_DISK_ERROR,
        .ext_event = 0xABCD,
        .msg_class = "IPM.Note.\xC3\xA9t\xC3\xA9",
        .ntags = 3,
        .tags = tags,
        .cbext = sizeof ext,
        .ext = ext,
        .has_counts = true,
        .total = 1000000,
        .unread = 0,
    };
}

static void assert_same(const fm_notify_record *a, const fm_notify_record *b)
{
    assert_int_equal(a->event, b->event);
    assert_int_equal(a->obj_type, b->obj_type);
    assert_true(a->id == b->id && a->parent == b->parent && a->old_id == b->old_id &&
                a->old_parent == b->old_parent);
    assert_int_equal(a->msg_flags, b->msg_flags);
    assert_int_equal(a->scode, b->scode);
    assert_int_equal(a->ext_event, b->ext_event);
    if (a->msg_class == NULL)
        assert_null(b->msg_class);
    else
        assert_string_equal(a->msg_class, b->msg_class);
    assert_int_equal(a->ntags, b->ntags);
    assert_true(a->ntags == 0 || memcmp(a->tags, b->tags, a->ntags * sizeof(ULONG)) == 0);
    assert_int_equal(a->cbext, b->cbext);
    assert_true(a->cbext == 0 || memcmp(a->ext, b->ext, a->cbext) == 0);
    assert_int_equal(a->has_counts, b->has_counts);
    assert_int_equal(a->total, b->total);
    assert_int_equal(a->unread, b->unread);
}

static void every_field_survives_a_round_trip(void **state)
{
    fm_notify_batch b = { 0 };
    fm_notify_record recs[3] = { full_record(),
                                 { .event = fnevNewMail, .obj_type = MAPI_MESSAGE, .id = 1,
                                   .parent = 2, .msg_class = "IPM.Note" },
                                 { .event = fnevObjectDeleted, .obj_type = MAPI_FOLDER } };
    for (int i = 0; i < 3; i++)
        assert_int_equal(fm_notify_batch_add(&b, &recs[i]), S_OK);
    size_t n;
    const void *bytes = fm_notify_batch_bytes(&b, &n);
    assert_non_null(bytes);
    fm_notify_reader *rd = malloc(sizeof *rd);
    assert_int_equal(fm_notify_reader_init(rd, bytes, n), S_OK);
    fm_notify_record got;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(fm_notify_reader_next(rd, &got), S_OK);
        assert_same(&recs[i], &got);
    }
    assert_int_equal(fm_notify_reader_next(rd, &got), S_FALSE);
    free(rd);
    fm_notify_batch_clear(&b, true);
}

static void an_empty_batch_has_no_bytes(void **state)
{
    fm_notify_batch b = { 0 };
    size_t n = 5;
    assert_null(fm_notify_batch_bytes(&b, &n));
    assert_int_equal(n, 0);
    fm_notify_batch_clear(&b, true);
}

/* A batch of one record with a field this version does not know, in the
 * middle: the tags of a version-2 writer. */
static void unknown_fields_of_a_newer_writer_are_skipped(void **state)
{
    static const uint8_t batch[] = {
        'F', 1, 1, 0, 0, 0, /* header: one record */
        4,                  /* four fields */
        1 << 1, 8,          /* event: fnevObjectCreated (4, zigzag-encoded) */
        60 << 1, 7,         /* unknown integer field */
        (61 << 1) | 1, 3, 'a', 'b', 'c', /* unknown byte field */
        3 << 1, 20,                      /* id 10 */
    };
    fm_notify_reader *rd = malloc(sizeof *rd);
    assert_int_equal(fm_notify_reader_init(rd, batch, sizeof batch), S_OK);
    fm_notify_record r;
    assert_int_equal(fm_notify_reader_next(rd, &r), S_OK);
    assert_int_equal(r.event, fnevObjectCreated);
    assert_int_equal(r.id, 10);
    assert_int_equal(fm_notify_reader_next(rd, &r), S_FALSE);
    free(rd);
}

static void every_truncation_is_corrupt(void **state)
{
    fm_notify_batch b = { 0 };
    fm_notify_record r = full_record();
    assert_int_equal(fm_notify_batch_add(&b, &r), S_OK);
    assert_int_equal(fm_notify_batch_add(&b, &r), S_OK);
    size_t n;
    const uint8_t *bytes = fm_notify_batch_bytes(&b, &n);
    fm_notify_reader *rd = malloc(sizeof *rd);
    for (size_t len = 0; len < n; len++) {
        uint8_t *copy = malloc(len ? len : 1);
        memcpy(copy, bytes, len);
        HRESULT hr = fm_notify_reader_init(rd, copy, len);
        int records = 0;
        fm_notify_record got;
        while (hr == S_OK && (hr = fm_notify_reader_next(rd, &got)) == S_OK)
            records++;
        assert_int_equal(hr, MAPI_E_CORRUPT_DATA);
        assert_true(records < 2);
        free(copy);
    }
    free(rd);
    fm_notify_batch_clear(&b, true);
}

static void random_damage_never_crashes(void **state)
{
    fm_notify_batch b = { 0 };
    fm_notify_record r = full_record();
    for (int i = 0; i < 4; i++)
        assert_int_equal(fm_notify_batch_add(&b, &r), S_OK);
    size_t n;
    const uint8_t *bytes = fm_notify_batch_bytes(&b, &n);
    uint8_t *copy = malloc(n);
    fm_notify_reader *rd = malloc(sizeof *rd);
    srand(16);
    int corrupt = 0;
    for (int round = 0; round < 20000; round++) {
        memcpy(copy, bytes, n);
        for (int k = 1 + rand() % 4; k > 0; k--)
            copy[rand() % n] = (uint8_t)rand();
        HRESULT hr = fm_notify_reader_init(rd, copy, n);
        fm_notify_record got;
        while (hr == S_OK && (hr = fm_notify_reader_next(rd, &got)) == S_OK) {
            if (got.msg_class != NULL)
                assert_true(strlen(got.msg_class) <= FM_NOTIFY_MAX_CLASS);
            assert_true(got.ntags <= FM_NOTIFY_MAX_TAGS);
        }
        assert_true(hr == S_FALSE || hr == MAPI_E_CORRUPT_DATA);
        corrupt += hr == MAPI_E_CORRUPT_DATA;
    }
    assert_true(corrupt > 0);
    free(copy);
    free(rd);
    fm_notify_batch_clear(&b, true);
}

static void bad_values_are_corrupt(void **state)
{
    static const uint8_t no_event[] = { 'F', 1, 1, 0, 0, 0, 1, 3 << 1, 2 };
    static const uint8_t bad_class[] = { 'F', 1, 1, 0, 0, 0, 2, 1 << 1, 4,
                                         (10 << 1) | 1, 2, 0xFF, 0xFE };
    static const uint8_t nul_class[] = { 'F', 1, 1, 0, 0, 0, 2, 1 << 1, 4,
                                         (10 << 1) | 1, 2, 'a', 0 };
    static const uint8_t odd_tags[] = { 'F', 1, 1, 0, 0, 0, 2, 1 << 1, 4,
                                        (11 << 1) | 1, 3, 1, 2, 3 };
    static const uint8_t version2[] = { 'F', 2, 0, 0, 0, 0 };
    static const uint8_t trailing[] = { 'F', 1, 0, 0, 0, 0, 7 };
    static const uint8_t long_varint[] = { 'F', 1, 1, 0, 0, 0, 1, 1 << 1, 0xFF, 0xFF, 0xFF,
                                           0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F };
    const struct {
        const uint8_t *p;
        size_t n;
    } cases[] = {
        { no_event, sizeof no_event },   { bad_class, sizeof bad_class },
        { nul_class, sizeof nul_class }, { odd_tags, sizeof odd_tags },
        { version2, sizeof version2 },   { trailing, sizeof trailing },
        { long_varint, sizeof long_varint },
    };
    fm_notify_reader *rd = malloc(sizeof *rd);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        HRESULT hr = fm_notify_reader_init(rd, cases[i].p, cases[i].n);
        fm_notify_record r;
        while (hr == S_OK)
            hr = fm_notify_reader_next(rd, &r);
        if (hr != MAPI_E_CORRUPT_DATA)
            fail_msg("case %zu: 0x%08lx", i, (unsigned long)hr);
        assert_non_null(strstr(fmapi_last_error(), "notification"));
    }
    free(rd);
}

static void records_no_reader_would_take_are_refused(void **state)
{
    char cls[FM_NOTIFY_MAX_CLASS + 2];
    memset(cls, 'x', sizeof cls - 1);
    cls[sizeof cls - 1] = '\0';
    fm_notify_batch b = { 0 };
    fm_notify_record r = { .event = fnevNewMail, .msg_class = cls };
    assert_int_equal(fm_notify_batch_add(&b, &r), MAPI_E_INVALID_PARAMETER);
    r = (fm_notify_record){ .event = fnevExtended, .cbext = 4 };
    assert_int_equal(fm_notify_batch_add(&b, &r), MAPI_E_INVALID_PARAMETER);
    size_t n;
    assert_null(fm_notify_batch_bytes(&b, &n));
    /* More tags than a record carries: recorded as "not known". */
    static ULONG many[FM_NOTIFY_MAX_TAGS + 1];
    r = (fm_notify_record){ .event = fnevObjectModified, .ntags = FM_NOTIFY_MAX_TAGS + 1,
                            .tags = many };
    assert_int_equal(fm_notify_batch_add(&b, &r), S_OK);
    const void *bytes = fm_notify_batch_bytes(&b, &n);
    fm_notify_reader *rd = malloc(sizeof *rd);
    assert_int_equal(fm_notify_reader_init(rd, bytes, n), S_OK);
    assert_int_equal(fm_notify_reader_next(rd, &r), S_OK);
    assert_null(r.tags);
    free(rd);
    fm_notify_batch_clear(&b, true);
}

static HRESULT add_three(void *ctx)
{
    fm_notify_batch b = { 0 };
    fm_notify_record r = full_record();
    HRESULT hr = S_OK;
    for (int i = 0; i < 40 && hr == S_OK; i++)
        hr = fm_notify_batch_add(&b, &r);
    size_t n;
    /* Whatever was added before a failure stays readable. */
    const void *bytes = fm_notify_batch_bytes(&b, &n);
    if (bytes != NULL) {
        fm_notify_reader *rd = malloc(sizeof *rd);
        assert_int_equal(fm_notify_reader_init(rd, bytes, n), S_OK);
        fm_notify_record got;
        uint32_t seen = 0;
        while (fm_notify_reader_next(rd, &got) == S_OK)
            seen++;
        assert_int_equal(seen, b.count);
        free(rd);
    }
    fm_notify_batch_clear(&b, true);
    return hr;
}

static void out_of_memory_leaves_the_batch_whole(void **state)
{
    assert_true(fm_test_oom_sweep(add_three, NULL) >= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_field_survives_a_round_trip),
        cmocka_unit_test(an_empty_batch_has_no_bytes),
        cmocka_unit_test(unknown_fields_of_a_newer_writer_are_skipped),
        cmocka_unit_test(every_truncation_is_corrupt),
        cmocka_unit_test(random_damage_never_crashes),
        cmocka_unit_test(bad_values_are_corrupt),
        cmocka_unit_test(records_no_reader_would_take_are_refused),
        cmocka_unit_test(out_of_memory_leaves_the_batch_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
