/*
 * tests/site/test_site.c - the site directory (freemapi_site.h): creating
 * and opening sites, users and their mailboxes, passwords, attributes,
 * lists and members, rights, the paging reader, bad input and damaged
 * directories, and out-of-memory sweeps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "fm_test.h"
#include "freemapi_site.h"
#include "freemapi_store.h"
#include "mapix.h"
#include "site/site.h"
#include "site/site_reader.h"

static const char *site_path(const char *name)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s", fm_test_tmpdir(), name);
    return path;
}

static fmapi_site *new_site(const char *name)
{
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(site_path(name), FMAPI_SITE_CREATE | FMAPI_SITE_WEAK_HASHES,
                                     &site),
                     S_OK);
    return site;
}

static void create_then_reopen_keeps_users_and_mailboxes(void **state)
{
    (void)state;
    fmapi_site *site = new_site("reopen");
    assert_int_equal(fmapi_site_add_user(site, "ann", "Ann", "ann@x.org", "pw"), S_OK);
    fmapi_site_close(site);
    assert_int_equal(fmapi_site_open(site_path("reopen"), 0, &site), S_OK);
    fm_site_entry e;
    assert_int_equal(fm_site_find(site, "ANN@X.ORG", &e), S_OK); /* by address, any case */
    assert_string_equal(e.alias, "ann");
    assert_string_equal(e.display, "Ann");
    assert_true(e.has_store);
    char *path = fm_site_store_path(site, e.id);
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, 0, &mdb), S_OK); /* a real store */
    IMsgStore_Release(mdb);
    struct stat sb;
    assert_int_equal(stat(site_path("reopen"), &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    fm_free(path);
    fm_site_entry_clear(&e);
    fmapi_site_close(site);
}

static void opening_a_missing_site_is_not_found(void **state)
{
    (void)state;
    fmapi_site *site = (fmapi_site *)1;
    assert_int_equal(fmapi_site_open(site_path("nowhere"), 0, &site), MAPI_E_NOT_FOUND);
    assert_null(site);
    assert_int_equal(fmapi_site_open(NULL, 0, &site), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_site_open("", 0, &site), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_site_open(site_path("x"), 0x100, &site), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(fmapi_site_open(site_path("x"), 0, NULL), MAPI_E_INVALID_PARAMETER);
}

static void a_damaged_directory_is_corrupt_data(void **state)
{
    (void)state;
    const char *dir = site_path("damaged");
    mkdir(dir, 0700);
    char db[700];
    snprintf(db, sizeof db, "%s/directory.db", dir);
    FILE *f = fopen(db, "w");
    fputs("this is not a database, just some text that is long enough to be read as a header "
          "by SQLite, which will then find the magic string missing and refuse it.", f);
    fclose(f);
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(dir, 0, &site), MAPI_E_CORRUPT_DATA);
    assert_non_null(strstr(fmapi_last_error(), "directory"));
}

static void passwords_are_argon2id_hashes_that_verify(void **state)
{
    (void)state;
    fmapi_site *site = new_site("passwords");
    assert_int_equal(fmapi_site_add_user(site, "pat", NULL, NULL, "secret"), S_OK);
    assert_int_equal(fmapi_site_add_user(site, "nopw", NULL, NULL, NULL), S_OK);
    fm_site_entry e;
    assert_int_equal(fm_site_authenticate(site, "pat", "secret", &e), S_OK);
    assert_non_null(strstr(e.pwhash, "$argon2id$"));
    assert_null(strstr(e.pwhash, "secret"));
    fm_site_entry_clear(&e);
    assert_int_equal(fm_site_authenticate(site, "pat", "wrong", &e), MAPI_E_LOGON_FAILED);
    assert_int_equal(fm_site_authenticate(site, "nobody", "secret", &e), MAPI_E_LOGON_FAILED);
    assert_int_equal(fm_site_authenticate(site, "nopw", "", &e), MAPI_E_LOGON_FAILED);
    assert_int_equal(fmapi_site_set_password(site, "pat", "new"), S_OK);
    assert_int_equal(fm_site_authenticate(site, "pat", "secret", &e), MAPI_E_LOGON_FAILED);
    assert_int_equal(fm_site_authenticate(site, "pat", "new", &e), S_OK);
    fm_site_entry_clear(&e);
    assert_int_equal(fmapi_site_set_password(site, "pat", NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_site_set_password(site, "ghost", "x"), MAPI_E_NOT_FOUND);
    fmapi_site_close(site);
}

static void bad_names_are_refused(void **state)
{
    (void)state;
    fmapi_site *site = new_site("names");
    char long_name[80];
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    assert_int_equal(fmapi_site_add_user(site, long_name, NULL, NULL, "x"),
                     MAPI_E_INVALID_PARAMETER);
    long_name[64] = '\0';
    assert_int_equal(fmapi_site_add_user(site, long_name, NULL, NULL, "x"), S_OK);
    assert_int_equal(fmapi_site_add_user(site, "", NULL, NULL, "x"), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_site_add_user(site, NULL, NULL, NULL, "x"), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_site_add_user(site, "tab\there", NULL, NULL, "x"),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_site_add_user(site, "bad\xff", NULL, NULL, "x"),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_site_add_user(NULL, "a", NULL, NULL, "x"), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_site_add_user(site, "dup", NULL, "d@x.org", "x"), S_OK);
    assert_int_equal(fmapi_site_add_user(site, "DUP", NULL, NULL, "x"), MAPI_E_COLLISION);
    assert_int_equal(fmapi_site_add_user(site, "dup2", NULL, "D@X.ORG", "x"), MAPI_E_COLLISION);
    /* A refused add leaves no mailbox file behind. */
    char mbx[700];
    snprintf(mbx, sizeof mbx, "%s/mailboxes/4.fmdb", site_path("names"));
    assert_int_not_equal(access(mbx, F_OK), 0);
    fmapi_site_close(site);
}

static void remove_and_rename(void **state)
{
    (void)state;
    fmapi_site *site = new_site("rename");
    assert_int_equal(fmapi_site_add_user(site, "old", "Old Name", NULL, "x"), S_OK);
    assert_int_equal(fmapi_site_add_user(site, "other", NULL, NULL, "x"), S_OK);
    assert_int_equal(fmapi_site_rename(site, "old", "new", "New Name"), S_OK);
    fm_site_entry e;
    assert_int_equal(fm_site_find(site, "old", &e), MAPI_E_NOT_FOUND);
    assert_int_equal(fm_site_find(site, "new", &e), S_OK);
    assert_string_equal(e.display, "New Name");
    char *path = fm_site_store_path(site, e.id);
    fm_site_entry_clear(&e);
    assert_int_equal(fmapi_site_rename(site, "new", "other", NULL), MAPI_E_COLLISION);
    assert_int_equal(fmapi_site_rename(site, "ghost", "x", NULL), MAPI_E_NOT_FOUND);
    assert_int_equal(access(path, F_OK), 0);
    assert_int_equal(fmapi_site_remove(site, "new"), S_OK);
    assert_int_not_equal(access(path, F_OK), 0); /* the mailbox went too */
    assert_int_equal(fmapi_site_remove(site, "new"), MAPI_E_NOT_FOUND);
    fm_free(path);
    fmapi_site_close(site);
}

static void lists_members_and_attributes(void **state)
{
    (void)state;
    fmapi_site *site = new_site("lists");
    assert_int_equal(fmapi_site_add_user(site, "u1", "User One", "u1@x.org", "x"), S_OK);
    assert_int_equal(fmapi_site_add_user(site, "u2", "User Two", NULL, "x"), S_OK);
    assert_int_equal(fmapi_site_add_list(site, "team", "The Team", "team@x.org"), S_OK);
    assert_int_equal(fmapi_site_add_list(site, "all", NULL, NULL), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "team", "u1"), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "team", "u2"), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "all", "team"), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "u1", "u2"), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_site_add_member(site, "team", "team"), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_site_add_member(site, "team", "ghost"), MAPI_E_NOT_FOUND);
    assert_int_equal(fmapi_site_set_attribute(site, "u1", FMAPI_ATTR_TITLE, "Chief"), S_OK);
    assert_int_equal(fmapi_site_set_attribute(site, "u1", FMAPI_ATTR_COMPANY, "Acme"), S_OK);
    assert_int_equal(fmapi_site_set_attribute(site, "u1", FMAPI_ATTR_DEPARTMENT, "R&D"), S_OK);
    assert_int_equal(fmapi_site_set_attribute(site, "u1", FMAPI_ATTR_OFFICE, "B12"), S_OK);
    assert_int_equal(fmapi_site_set_attribute(site, "u1", FMAPI_ATTR_PHONE, "+1 555"), S_OK);
    assert_int_equal(fmapi_site_set_attribute(site, "u1", 99, "x"), MAPI_E_INVALID_PARAMETER);

    fm_site_entry *page = NULL;
    size_t n = 0;
    assert_int_equal(fm_site_page(site, 0, 3, &page, &n), S_OK);
    assert_int_equal(n, 3);
    assert_string_equal(page[0].alias, "u1");
    assert_string_equal(page[0].title, "Chief");
    assert_string_equal(page[0].company, "Acme");
    assert_string_equal(page[0].department, "R&D");
    assert_string_equal(page[0].office, "B12");
    assert_string_equal(page[0].phone, "+1 555");
    assert_string_equal(page[0].pwhash, ""); /* never read by the reader */
    assert_int_equal(page[2].kind, FM_SITE_KIND_LIST);
    int64_t team = page[2].id, last = page[2].id;
    fm_site_page_free(page, n);
    assert_int_equal(fm_site_page(site, last, 3, &page, &n), S_OK);
    assert_int_equal(n, 1); /* the end */
    assert_string_equal(page[0].alias, "all");
    fm_site_page_free(page, n);

    int64_t *ids = NULL;
    assert_int_equal(fm_site_members(site, team, &ids, &n), S_OK);
    assert_int_equal(n, 2);
    fm_free(ids);
    assert_int_equal(fmapi_site_remove_member(site, "team", "u2"), S_OK);
    assert_int_equal(fmapi_site_remove_member(site, "team", "u2"), MAPI_E_NOT_FOUND);
    assert_int_equal(fmapi_site_remove(site, "u1"), S_OK); /* memberships go with it */
    assert_int_equal(fm_site_members(site, team, &ids, &n), S_OK);
    assert_int_equal(n, 0);
    assert_null(ids);
    fmapi_site_close(site);
}

static void rights_are_granted_and_revoked_bit_by_bit(void **state)
{
    (void)state;
    fmapi_site *site = new_site("rights");
    assert_int_equal(fmapi_site_add_user(site, "boss", NULL, NULL, "x"), S_OK);
    assert_int_equal(fmapi_site_add_user(site, "aide", NULL, NULL, "x"), S_OK);
    assert_int_equal(fmapi_site_add_list(site, "grp", NULL, NULL), S_OK);
    ULONG r = 99;
    assert_int_equal(fmapi_site_rights(site, "aide", "boss", &r), S_OK);
    assert_int_equal(r, 0);
    assert_int_equal(fmapi_site_rights(site, "boss", "boss", &r), S_OK);
    assert_int_equal(r, FMAPI_RIGHTS_ALL);
    assert_int_equal(fmapi_site_grant(site, "aide", "boss", FMAPI_RIGHT_FULL_ACCESS), S_OK);
    assert_int_equal(fmapi_site_grant(site, "aide", "boss", FMAPI_RIGHT_SEND_AS), S_OK);
    assert_int_equal(fmapi_site_rights(site, "aide", "boss", &r), S_OK);
    assert_int_equal(r, FMAPI_RIGHT_FULL_ACCESS | FMAPI_RIGHT_SEND_AS);
    assert_int_equal(fmapi_site_revoke(site, "aide", "boss", FMAPI_RIGHT_FULL_ACCESS), S_OK);
    assert_int_equal(fmapi_site_rights(site, "aide", "boss", &r), S_OK);
    assert_int_equal(r, FMAPI_RIGHT_SEND_AS);
    assert_int_equal(fmapi_site_grant(site, "aide", "boss", FMAPI_RIGHT_OWNER |
                                                                FMAPI_RIGHT_IMPERSONATION),
                     S_OK);
    assert_int_equal(fmapi_site_rights(site, "aide", "boss", &r), S_OK);
    assert_int_equal(r, FMAPI_RIGHTS_ALL & ~FMAPI_RIGHT_FULL_ACCESS);
    assert_int_equal(fmapi_site_grant(site, "aide", "boss", 0x100), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(fmapi_site_grant(site, "aide", "grp", FMAPI_RIGHT_OWNER),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_site_grant(site, "ghost", "boss", FMAPI_RIGHT_OWNER),
                     MAPI_E_NOT_FOUND);
    assert_int_equal(fmapi_site_rights(site, "aide", "boss", NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_site_revoke(site, "aide", "boss", FMAPI_RIGHTS_ALL), S_OK);
    assert_int_equal(fmapi_site_rights(site, "aide", "boss", &r), S_OK);
    assert_int_equal(r, 0);
    fmapi_site_close(site);
}

/* ---- out of memory ------------------------------------------------------------- */

static int oom_n;

/* Directory work without creating stores: every allocation point. */
static HRESULT oom_directory(void *ctx)
{
    (void)ctx;
    char name[64], renamed[64];
    snprintf(name, sizeof name, "L%d", oom_n);
    snprintf(renamed, sizeof renamed, "R%d", oom_n++);
    fmapi_site *site = NULL;
    HRESULT hr = fmapi_site_open(site_path("oomdir"), 0, &site);
    if (hr != S_OK)
        return hr;
    fm_site_entry e;
    hr = fm_site_authenticate(site, "u", "pw", &e);
    if (hr == S_OK)
        fm_site_entry_clear(&e);
    if (hr == S_OK)
        hr = fmapi_site_add_list(site, name, "List", NULL);
    if (hr == S_OK)
        hr = fmapi_site_add_member(site, name, "u");
    if (hr == S_OK)
        hr = fmapi_site_set_attribute(site, name, FMAPI_ATTR_OFFICE, "B1");
    if (hr == S_OK)
        hr = fmapi_site_rename(site, name, renamed, NULL);
    if (hr == S_OK)
        hr = fmapi_site_remove(site, renamed);
    fmapi_site_close(site);
    return hr;
}

static HRESULT oom_rights_and_page(void *ctx)
{
    fmapi_site *site = ctx;
    HRESULT hr = fmapi_site_grant(site, "a", "b", FMAPI_RIGHT_FULL_ACCESS);
    ULONG r = 0;
    if (hr == S_OK)
        hr = fmapi_site_rights(site, "a", "b", &r);
    if (hr == S_OK)
        hr = fmapi_site_revoke(site, "a", "b", FMAPI_RIGHT_FULL_ACCESS);
    fm_site_entry *page = NULL;
    size_t n = 0;
    if (hr == S_OK)
        hr = fm_site_page(site, 0, 10, &page, &n);
    if (hr == S_OK)
        fm_site_page_free(page, n);
    return hr;
}

/* Creating a site and a user (and so a store file, with an fsync): each run
 * costs milliseconds, so this sweep samples every 11th allocation point
 * unless FM_TEST_OOM_STRIDE says otherwise; the store's own sweeps
 * (tests/store) cover store creation point by point. */
static HRESULT oom_create(void *ctx)
{
    (void)ctx;
    char name[64];
    snprintf(name, sizeof name, "oomc%d", oom_n++);
    fmapi_site *site = NULL;
    HRESULT hr = fmapi_site_open(site_path(name), FMAPI_SITE_CREATE | FMAPI_SITE_WEAK_HASHES,
                                 &site);
    if (hr != S_OK)
        return hr;
    hr = fmapi_site_add_user(site, "u", "U", "u@x.org", "pw");
    fm_site_entry e;
    if (hr == S_OK)
        hr = fm_site_find(site, "u", &e);
    if (hr == S_OK) {
        if (!e.has_store)
            hr = MAPI_E_CALL_FAILED; /* a user is never left without a mailbox */
        fm_site_entry_clear(&e);
    }
    fmapi_site_close(site);
    return hr;
}

static void out_of_memory_sweeps(void **state)
{
    (void)state;
    fmapi_site *site = new_site("oomdir");
    assert_int_equal(fmapi_site_add_user(site, "u", NULL, NULL, "pw"), S_OK);
    fmapi_site_close(site);
    assert_int_equal(oom_directory(NULL), S_OK); /* SQLite warmed up before the baselines */
    assert_true(fm_test_oom_sweep(oom_directory, NULL) > 10);
    site = new_site("oomrights");
    assert_int_equal(fmapi_site_add_user(site, "a", NULL, NULL, "x"), S_OK);
    assert_int_equal(fmapi_site_add_user(site, "b", NULL, NULL, "x"), S_OK);
    assert_true(fm_test_oom_sweep(oom_rights_and_page, site) > 5);
    fmapi_site_close(site);
    setenv("FM_TEST_OOM_STRIDE", "11", 0);
    assert_true(fm_test_oom_sweep(oom_create, NULL) > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_then_reopen_keeps_users_and_mailboxes),
        cmocka_unit_test(opening_a_missing_site_is_not_found),
        cmocka_unit_test(a_damaged_directory_is_corrupt_data),
        cmocka_unit_test(passwords_are_argon2id_hashes_that_verify),
        cmocka_unit_test(bad_names_are_refused),
        cmocka_unit_test(remove_and_rename),
        cmocka_unit_test(lists_members_and_attributes),
        cmocka_unit_test(rights_are_granted_and_revoked_bit_by_bit),
        cmocka_unit_test(out_of_memory_sweeps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
