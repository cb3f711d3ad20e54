/*
 * tests/pst/test_roundtrip.c - store -> PST -> store leaves every property
 * of every folder, message, recipient, attachment and embedded message
 * equal (types included, named properties matched by name), for Unicode
 * and ANSI files and each block encoding; a second import skips all; an
 * export of one folder tree or of a restriction writes just that.
 */
#include "pst_fixture.h"

static LPMDB src;
static int nsrc;

static int setup(void **state)
{
    (void)state;
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    src = px_store("rt-src.fmdb");
    nsrc = px_fill(src, 12);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    IMsgStore_Release(src);
    MAPIUninitialize();
    return 0;
}

static void round_trip(ULONG flags, const char *name)
{
    char pst[64], dst_name[64];
    snprintf(pst, sizeof pst, "%s.pst", name);
    snprintf(dst_name, sizeof dst_name, "%s-dst.fmdb", name);
    fmapi_pst_export_options opt = { .ulFlags = flags };
    fmapi_pst_stats st;
    PX_OK(fmapi_pst_export(src, px_path(pst), &opt, &st));
    assert_int_equal(st.messages, (uint64_t)nsrc);
    assert_true(st.bytes > 0);
    LPMDB dst = px_store(dst_name);
    PX_OK(fmapi_pst_import(dst, px_path(pst), NULL, &st));
    assert_int_equal(st.messages, (uint64_t)nsrc);
    assert_int_equal(st.damaged, 0);
    assert_int_equal(st.props_dropped, 0);
    assert_int_equal(px_stores_equal(src, dst), nsrc);
    /* again: nothing new, nothing duplicated */
    PX_OK(fmapi_pst_import(dst, px_path(pst), NULL, &st));
    assert_int_equal(st.messages, 0);
    assert_int_equal(st.skipped, (uint64_t)nsrc);
    assert_int_equal(px_stores_equal(src, dst), nsrc);
    IMsgStore_Release(dst);
}

static void unicode_pst_keeps_every_property(void **state)
{
    (void)state;
    round_trip(0, "rt-unicode");
}

static void ansi_pst_keeps_every_property(void **state)
{
    (void)state;
    round_trip(FMAPI_PST_ANSI, "rt-ansi");
}

static void unencoded_and_cyclic_psts_keep_every_property(void **state)
{
    (void)state;
    round_trip(FMAPI_PST_NO_ENCODING, "rt-none");
    round_trip(FMAPI_PST_CYCLIC, "rt-cyclic");
}

static void export_of_a_folder_tree_writes_that_tree(void **state)
{
    (void)state;
    LPMAPIFOLDER ipm = px_ipm(src);
    LPMAPIFOLDER inbox = px_subfolder(ipm, "Inbox");
    LPMAPIFOLDER projects = px_subfolder(inbox, "Projects");
    fmapi_pst_export_options opt = { .ulFlags = FMAPI_PST_RECURSIVE, .lpFolder = projects };
    fmapi_pst_stats st;
    PX_OK(fmapi_pst_export(src, px_path("rt-tree.pst"), &opt, &st));
    assert_int_equal(st.folders, 2); /* Projects and Deeper */
    assert_int_equal(st.messages, 8);
    opt.ulFlags = 0;
    PX_OK(fmapi_pst_export(src, px_path("rt-one.pst"), &opt, &st));
    assert_int_equal(st.folders, 1);
    assert_int_equal(st.messages, 4);
    /* a restriction: subjects containing "1" */
    SRestriction res;
    SPropValue want = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "1" };
    res.rt = RES_CONTENT;
    res.res.resContent.ulFuzzyLevel = FL_SUBSTRING;
    res.res.resContent.ulPropTag = PR_SUBJECT_A;
    res.res.resContent.lpProp = &want;
    opt.ulFlags = FMAPI_PST_RECURSIVE;
    opt.lpFolder = inbox;
    opt.lpRestriction = &res;
    PX_OK(fmapi_pst_export(src, px_path("rt-res.pst"), &opt, &st));
    assert_int_equal(st.messages, 3); /* Message 1, 10 and 11 */
    LPMDB dst = px_store("rt-res-dst.fmdb");
    PX_OK(fmapi_pst_import(dst, px_path("rt-res.pst"), NULL, &st));
    assert_int_equal(st.messages, 3);
    IMsgStore_Release(dst);
    IMAPIFolder_Release(projects);
    IMAPIFolder_Release(inbox);
    IMAPIFolder_Release(ipm);
}

static void bad_arguments_are_refused(void **state)
{
    (void)state;
    fmapi_pst_export_options opt = { .ulFlags = 0x1000 };
    assert_int_equal(fmapi_pst_export(NULL, "x", NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_pst_export(src, px_path("bad.pst"), &opt, NULL), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(fmapi_pst_import(src, NULL, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_pst_import(src, px_path("missing.pst"), NULL, NULL), MAPI_E_NOT_FOUND);
    assert_true(strstr(fmapi_last_error(), "missing.pst") != NULL);
    FILE *f = fopen(px_path("text.pst"), "w");
    fputs("this is not an Outlook file at all, just some text that is long enough. "
          "................................................................................"
          "................................................................................"
          "................................................................................"
          "................................................................................"
          "................................................................................"
          "................................................................................",
          f);
    fclose(f);
    assert_int_equal(fmapi_pst_import(src, px_path("text.pst"), NULL, NULL), MAPI_E_CORRUPT_DATA);
    assert_true(strstr(fmapi_last_error(), "offset 0x0") != NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unicode_pst_keeps_every_property),
        cmocka_unit_test(ansi_pst_keeps_every_property),
        cmocka_unit_test(unencoded_and_cyclic_psts_keep_every_property),
        cmocka_unit_test(export_of_a_folder_tree_writes_that_tree),
        cmocka_unit_test(bad_arguments_are_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
