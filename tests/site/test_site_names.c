/*
 * tests/site/test_site_names.c - aliases and SMTP addresses are one
 * namespace: a name given to the site (to log on, grant rights, open a
 * mailbox, resolve a recipient) means one entry or none. An alias equal to
 * another entry's address, or an address equal to another's alias, is
 * refused however it would arise (add, rename, either order, any case), and
 * a directory that already holds such a pair (written by a freemapi before
 * the rule, schema version 1) is upgraded and answers "ambiguous", never
 * the wrong mailbox.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fm_test.h"
#include "freemapi_site.h"
#include "mapicode.h"
#include "site/pwhash.h"
#include "site/site.h"

static fmapi_site *new_site(const char *name)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", fm_test_tmpdir(), name);
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(path, FMAPI_SITE_CREATE | FMAPI_SITE_WEAK_HASHES, &site),
                     S_OK);
    return site;
}

static void an_alias_equal_to_another_address_is_refused(void **state)
{
    (void)state;
    fmapi_site *site = new_site("alias-vs-smtp");
    assert_int_equal(fmapi_site_add_user(site, "bob", "Bob", "bob@x.org", "pw"), S_OK);
    assert_int_equal(fmapi_site_add_user(site, "aide", "Aide", "aide@x.org", "pw"), S_OK);
    /* the alias of a new entry is someone's address */
    assert_int_equal(fmapi_site_add_user(site, "bob@x.org", "Mallory", "m@x.org", "pw"),
                     MAPI_E_COLLISION);
    assert_int_equal(fmapi_site_add_user(site, "BOB@X.Org", "Mallory", "m@x.org", "pw"),
                     MAPI_E_COLLISION);
    assert_int_equal(fmapi_site_add_list(site, "bob@x.org", "List", NULL), MAPI_E_COLLISION);
    /* the address of a new entry is someone's alias */
    assert_int_equal(fmapi_site_add_user(site, "carol", "Carol", "AIDE", "pw"), MAPI_E_COLLISION);
    assert_int_equal(fmapi_site_add_list(site, "team", "Team", "bob"), MAPI_E_COLLISION);
    /* renamed onto an address */
    assert_int_equal(fmapi_site_add_user(site, "mallory", "Mallory", "m@x.org", "pw"), S_OK);
    assert_int_equal(fmapi_site_rename(site, "mallory", "bob@x.org", NULL), MAPI_E_COLLISION);
    assert_int_equal(fmapi_site_rename(site, "mallory", "Aide@x.org", NULL), MAPI_E_COLLISION);
    /* an entry's alias may be its own address */
    assert_int_equal(fmapi_site_add_user(site, "dan@x.org", "Dan", "dan@x.org", "pw"), S_OK);
    assert_int_equal(fmapi_site_rename(site, "dan@x.org", "DAN@x.org", "Dan"), S_OK);
    /* nothing refused was half-done */
    fm_site_entry e;
    assert_int_equal(fm_site_find(site, "carol", &e), MAPI_E_NOT_FOUND);
    assert_int_equal(fm_site_find(site, "bob@x.org", &e), S_OK);
    assert_string_equal(e.alias, "bob");
    fm_site_entry_clear(&e);
    assert_int_equal(fm_site_find(site, "mallory", &e), S_OK);
    fm_site_entry_clear(&e);
    fmapi_site_close(site);
}

static void rights_granted_by_address_reach_the_address_owner(void **state)
{
    (void)state;
    fmapi_site *site = new_site("grant-by-address");
    assert_int_equal(fmapi_site_add_user(site, "bob", "Bob", "bob@x.org", "pw"), S_OK);
    assert_int_equal(fmapi_site_add_user(site, "aide", "Aide", NULL, "pw"), S_OK);
    assert_int_equal(fmapi_site_add_user(site, "mallory", "Mallory", "m@x.org", "pw"), S_OK);
    assert_int_equal(fmapi_site_rename(site, "mallory", "bob@x.org", NULL), MAPI_E_COLLISION);
    assert_int_equal(fmapi_site_grant(site, "aide", "bob@x.org", FMAPI_RIGHT_FULL_ACCESS), S_OK);
    ULONG r = 0;
    assert_int_equal(fmapi_site_rights(site, "aide", "bob", &r), S_OK);
    assert_int_equal(r, FMAPI_RIGHT_FULL_ACCESS);
    assert_int_equal(fmapi_site_rights(site, "aide", "mallory", &r), S_OK);
    assert_int_equal(r, 0);
    fmapi_site_close(site);
}

/* The version 1 schema, as freemapi wrote it before aliases and addresses
 * were one namespace, with such a pair in it. */
static void write_version_1_directory(const char *dir)
{
    char path[700], bob[FM_PWHASH_SIZE], mallory[FM_PWHASH_SIZE], aide[FM_PWHASH_SIZE];
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(path, sizeof path, "%s/mailboxes", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/directory.db", dir);
    assert_int_equal(fm_pwhash_make("bob-pw", true, bob), S_OK);
    assert_int_equal(fm_pwhash_make("mallory-pw", true, mallory), S_OK);
    assert_int_equal(fm_pwhash_make("pw", true, aide), S_OK);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char sql[4096];
    snprintf(sql, sizeof sql,
             "CREATE TABLE site_meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
             "CREATE TABLE entries (id INTEGER PRIMARY KEY AUTOINCREMENT, kind INTEGER NOT NULL,"
             "  alias TEXT NOT NULL UNIQUE COLLATE NOCASE, display TEXT NOT NULL,"
             "  smtp TEXT UNIQUE COLLATE NOCASE, title TEXT, company TEXT, department TEXT,"
             "  office TEXT, phone TEXT, pwhash TEXT, store_uid BLOB UNIQUE);"
             "CREATE TABLE members (list_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE "
             "  CASCADE, member_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
             "  PRIMARY KEY (list_id, member_id)) WITHOUT ROWID;"
             "CREATE TABLE rights (grantee_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE "
             "  CASCADE, mailbox_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
             "  rights INTEGER NOT NULL, PRIMARY KEY (grantee_id, mailbox_id)) WITHOUT ROWID;"
             "INSERT INTO site_meta VALUES ('weak_hashes', 1);"
             "INSERT INTO entries (kind, alias, display, smtp, pwhash) VALUES"
             "  (1, 'bob', 'Bob', 'bob@x.org', '%s'),"
             "  (1, 'aide', 'Aide', NULL, '%s'),"
             "  (1, 'bob@x.org', 'Mallory', 'm@x.org', '%s');"
             "PRAGMA application_id = 1179472708; PRAGMA user_version = 1;",
             bob, aide, mallory);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void an_older_directory_holding_such_a_pair_answers_ambiguous(void **state)
{
    (void)state;
    char dir[600];
    snprintf(dir, sizeof dir, "%s/version-1", fm_test_tmpdir());
    write_version_1_directory(dir);
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(dir, 0, &site), S_OK); /* upgraded */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(site->db->conn, "PRAGMA user_version", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 4);
    sqlite3_finalize(st);
    fm_site_entry e;
    assert_int_equal(fm_site_find(site, "bob@x.org", &e), MAPI_E_AMBIGUOUS_RECIP);
    assert_non_null(strstr(fmapi_last_error(), "bob@x.org"));
    assert_int_equal(fmapi_site_grant(site, "aide", "bob@x.org", FMAPI_RIGHT_FULL_ACCESS),
                     MAPI_E_AMBIGUOUS_RECIP);
    ULONG r = 0;
    assert_int_equal(fmapi_site_rights(site, "aide", "bob", &r), S_OK);
    assert_int_equal(r, 0);
    assert_int_equal(fmapi_site_remove(site, "bob@x.org"), MAPI_E_AMBIGUOUS_RECIP);
    /* neither password opens the name: it is nobody's */
    assert_int_equal(fm_site_authenticate(site, "bob@x.org", "mallory-pw", &e),
                     MAPI_E_LOGON_FAILED);
    assert_int_equal(fm_site_authenticate(site, "bob@x.org", "bob-pw", &e), MAPI_E_LOGON_FAILED);
    /* the unambiguous names still work, and renaming one ends the pair */
    assert_int_equal(fm_site_authenticate(site, "bob", "bob-pw", &e), S_OK);
    fm_site_entry_clear(&e);
    assert_int_equal(fm_site_find(site, "m@x.org", &e), S_OK);
    assert_string_equal(e.display, "Mallory");
    fm_site_entry_clear(&e);
    assert_int_equal(fmapi_site_rename(site, "m@x.org", "mallory", NULL), S_OK);
    assert_int_equal(fmapi_site_grant(site, "aide", "bob@x.org", FMAPI_RIGHT_FULL_ACCESS), S_OK);
    assert_int_equal(fmapi_site_rights(site, "aide", "bob", &r), S_OK);
    assert_int_equal(r, FMAPI_RIGHT_FULL_ACCESS);
    fmapi_site_close(site);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_alias_equal_to_another_address_is_refused),
        cmocka_unit_test(rights_granted_by_address_reach_the_address_owner),
        cmocka_unit_test(an_older_directory_holding_such_a_pair_answers_ambiguous),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
