/*
 * tests/oab/test_oab_site.c - the offline address book of a real site
 * (fmapi_site_generate_oab and `mapi oab generate`): a user or list without
 * an SMTP address, which fmapi_site_add_list and fmapi_site_add_user accept
 * and the GAL shows, is left out of the OAB and counted, and every other
 * entry is still written (KB 324528: one such entry failed the whole site).
 */
#include "../tools/tool_fixture.h"
#include "freemapi_ab.h"
#include "freemapi_site.h"
#include "oab_test_util.h"

static char site_dir[700];

static int make_site(void **state)
{
    (void)state;
    char home[700];
    snprintf(home, sizeof home, "%s/home", fm_test_tmpdir());
    mkdir(home, 0700);
    setenv("HOME", home, 1); /* whatever the tool makes on first use lands here */
    setenv("XDG_DATA_HOME", home, 1);
    setenv("XDG_CONFIG_HOME", home, 1);
    unsetenv("FREEMAPI_PROFILE_DIR");
    unsetenv("MAPI_STORE");
    snprintf(site_dir, sizeof site_dir, "%s/site", fm_test_tmpdir());
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(site_dir, FMAPI_SITE_CREATE | FMAPI_SITE_WEAK_HASHES, &site),
                     S_OK);
    assert_int_equal(fmapi_site_add_user(site, "ann", "Ann", "ann@example.org", NULL), S_OK);
    assert_int_equal(fmapi_site_add_user(site, "bob", "Bob", NULL, NULL), S_OK);
    assert_int_equal(fmapi_site_add_list(site, "team", "Team", "team@example.org"), S_OK);
    assert_int_equal(fmapi_site_add_list(site, "noaddr", "No Address", NULL), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "noaddr", "ann"), S_OK);
    assert_int_equal(fmapi_site_add_user(site, "cy", "Cy", "cy@example.org", NULL), S_OK);
    fmapi_site_close(site);
    return 0;
}

static void entries_without_an_address_are_left_out_and_counted(void **state)
{
    (void)state;
    char dir[700];
    snprintf(dir, sizeof dir, "%s/oab-api", fm_test_tmpdir());
    assert_int_equal(mkdir(dir, 0700), 0);
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(site_dir, 0, &site), S_OK);
    fmapi_oab_options o = {0};
    o.cPageSize = 2; /* the entries left out fall on different pages */
    fmapi_oab_result r;
    assert_int_equal(fmapi_site_generate_oab(site, dir, &o, &r), S_OK);
    fmapi_site_close(site);
    assert_int_equal(r.cEntries, 3); /* ann, team, cy */
    assert_int_equal(r.cSkipped, 2); /* bob, noaddr */
    assert_int_equal(oab_valid_count(dir), 3);
}

static void the_tool_reports_the_entries_left_out(void **state)
{
    (void)state;
    char dir[700];
    snprintf(dir, sizeof dir, "%s/oab-tool", fm_test_tmpdir());
    tool_run r;
    TOOL(&r, "--site", site_dir, "oab", "generate", "-o", dir);
    assert_exit(&r, 0);
    assert_contains(r.out, "3 entries");
    assert_contains(r.out, "2 left out");
    TOOL(&r, "--json", "--site", site_dir, "oab", "generate", "-o", dir);
    assert_exit(&r, 0);
    assert_contains(r.out, "\"entries\":3");
    assert_contains(r.out, "\"left_out\":2");
    assert_int_equal(oab_valid_count(dir), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entries_without_an_address_are_left_out_and_counted),
        cmocka_unit_test(the_tool_reports_the_entries_left_out),
    };
    return cmocka_run_group_tests(tests, make_site, NULL);
}
