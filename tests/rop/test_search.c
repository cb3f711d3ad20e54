/*
 * tests/rop/test_search.c - RopSetSearchCriteria and RopGetSearchCriteria
 * ([MS-OXCROPS] 2.2.4.4, 2.2.4.5) on a search folder made with
 * RopCreateFolder (FolderType 2) in the Search folder, checked through the
 * ROPs' own responses, RopGetContentsTable's RowCount and MAPI.
 */
#include <stdbool.h>

#include "mapiutil.h"
#include "rop_req.h"

/* RES_CONTENT (FL_SUBSTRING | FL_IGNORECASE) on PR_SUBJECT_W for word, in
 * [MS-OXCDATA] 2.12.2's bytes. */
static size_t content_restriction(uint8_t *out, const char *word)
{
    req r;
    size_t i, n = strlen(word);
    memset(&r, 0, sizeof r);
    b1(&r, 0x03);                          /* RestrictType: Content */
    b2(&r, FL_SUBSTRING);                  /* FuzzyLevelLow */
    b2(&r, (uint16_t)(FL_IGNORECASE >> 16)); /* FuzzyLevelHigh */
    b4(&r, PR_SUBJECT_W);
    b4(&r, PR_SUBJECT_W);                  /* TaggedValue */
    for (i = 0; i < n; i++)
        b2(&r, (uint8_t)word[i]);
    b2(&r, 0);
    memcpy(out, r.rops, r.len);
    return r.len;
}

static void search_criteria_are_set_read_back_and_fill_the_folder(void **state)
{
    fixture *f = *state;
    uint32_t handles[4] = {0, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;
    uint8_t res[128];
    size_t nres = content_restriction(res, "invoice"), i;
    const uint8_t *p;

    logon_alice(f, &li);
    create_message(f, &li, "Invoice one");
    create_message(f, &li, "lunch");
    create_message(f, &li, "an invoice two");
    handles[0] = li.handle;
    req_init(&r, 4, handles);
    /* OpenFolder(Search) -> [1], CreateFolder(type 2, "Found") -> [2] */
    b1(&r, 0x02); b1(&r, 0); b1(&r, 0); b1(&r, 1); b8(&r, li.fids[10]); b1(&r, 0);
    b1(&r, 0x1C); b1(&r, 0); b1(&r, 1); b1(&r, 2); b1(&r, 2); b1(&r, 0); b1(&r, 0); b1(&r, 0);
    bs(&r, "Found");
    bs(&r, "");
    /* SetSearchCriteria on [2]: the restriction, the Inbox, RESTART | SHALLOW */
    b1(&r, 0x30); b1(&r, 0); b1(&r, 2);
    b2(&r, (uint16_t)nres);
    for (i = 0; i < nres; i++)
        b1(&r, res[i]);
    b2(&r, 1);
    b8(&r, li.fids[4]);
    b4(&r, RESTART_SEARCH | SHALLOW_SEARCH);
    /* GetSearchCriteria on [2]: Unicode, restriction and folders */
    b1(&r, 0x31); b1(&r, 0); b1(&r, 2); b1(&r, 1); b1(&r, 1); b1(&r, 1);
    /* GetContentsTable of [2] -> [3]: RowCount */
    b1(&r, 0x05); b1(&r, 0); b1(&r, 2); b1(&r, 3); b1(&r, 0x40);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    p = s.rops;
    assert_int_equal(p[0], 0x02);
    assert_int_equal(g4(p + 2), 0);
    p += 8;
    assert_int_equal(p[0], 0x1C);
    assert_int_equal(g4(p + 2), 0);
    p += 15;
    assert_int_equal(p[0], 0x30); /* 30 idx ReturnValue */
    assert_int_equal(p[1], 2);
    assert_int_equal(g4(p + 2), 0);
    p += 6;
    assert_int_equal(p[0], 0x31);
    assert_int_equal(g4(p + 2), 0);
    assert_int_equal(g2(p + 6), nres); /* the same restriction, byte for byte */
    assert_memory_equal(p + 8, res, nres);
    p += 8 + nres;
    assert_int_equal(p[0], 0);     /* LogonId */
    assert_int_equal(g2(p + 1), 1); /* FolderIdCount */
    assert_true(g8(p + 3) == li.fids[4]);
    assert_int_equal(g4(p + 11), SEARCH_RUNNING | SEARCH_COMPLETE);
    p += 15;
    assert_int_equal(p[0], 0x05);
    assert_int_equal(g4(p + 2), 0);
    assert_int_equal(g4(p + 6), 2); /* RowCount: the two invoices */

    /* RestrictionDataSize 0 and FolderIdCount 0 keep both; STOP_SEARCH */
    handles[1] = s.handles[1];
    handles[2] = s.handles[2];
    fm_free(s.buf);
    req_init(&r, 4, handles);
    b1(&r, 0x30); b1(&r, 0); b1(&r, 2); b2(&r, 0); b2(&r, 0); b4(&r, STOP_SEARCH);
    b1(&r, 0x31); b1(&r, 0); b1(&r, 2); b1(&r, 0); b1(&r, 0); b1(&r, 0);
    /* On a generic folder (the Search root): ecNotSupported */
    b1(&r, 0x31); b1(&r, 0); b1(&r, 1); b1(&r, 0); b1(&r, 0); b1(&r, 0);
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), S_OK);
    p = s.rops;
    assert_int_equal(p[0], 0x30);
    assert_int_equal(g4(p + 2), 0);
    p += 6;
    assert_int_equal(p[0], 0x31);
    assert_int_equal(g4(p + 2), 0);
    assert_int_equal(g2(p + 6), 0); /* no restriction asked for */
    assert_int_equal(g2(p + 9), 0); /* nor folders */
    assert_int_equal(g4(p + 11), SEARCH_COMPLETE); /* stopped */
    p += 15;
    assert_int_equal(p[0], 0x31);
    assert_int_equal(g4(p + 2), (uint32_t)MAPI_E_NO_SUPPORT);
    fm_free(s.buf);
}

static void a_malformed_search_restriction_is_corrupt_data(void **state)
{
    fixture *f = *state;
    uint32_t handles[2] = {0, 0xFFFFFFFFu};
    logon_info li;
    req r;
    resp s;

    logon_alice(f, &li);
    handles[0] = li.handle;
    req_init(&r, 2, handles);
    b1(&r, 0x02); b1(&r, 0); b1(&r, 0); b1(&r, 1); b8(&r, li.fids[10]); b1(&r, 0);
    b1(&r, 0x30); b1(&r, 0); b1(&r, 1);
    b2(&r, 3); b1(&r, 0x7F); b1(&r, 0); b1(&r, 0); /* an unknown RestrictType */
    b2(&r, 0); b4(&r, 0);
    /* The whole buffer is refused, as for RopRestrict. */
    assert_int_equal(run(f->ctx, &r, 0x8000, &s), MAPI_E_CORRUPT_DATA);
    assert_null(s.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(search_criteria_are_set_read_back_and_fill_the_folder,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_malformed_search_restriction_is_corrupt_data, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
