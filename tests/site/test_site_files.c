/*
 * tests/site/test_site_files.c - the files of a site on disk: every file
 * holding mail or hashes is 0600 and every directory 0700 whatever the
 * umask (the test runs under umask 000); creating a site in an existing
 * directory that is wider tightens it, and one of another user is refused;
 * removing a user removes its mailbox with the stream files beside it,
 * without following a symbolic link planted there.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "../store/store_fixture.h"
#include "core/alloc.h"
#include "freemapi_site.h"
#include "site/site.h"
#include "store/stream_file.h"

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

/* The path of user alias's mailbox store (static). */
static const char *mailbox_of(fmapi_site *site, const char *alias)
{
    static char path[700];
    fm_site_entry e;
    assert_int_equal(fm_site_find(site, alias, &e), S_OK);
    char *p = fm_site_store_path(site, e.id);
    snprintf(path, sizeof path, "%s", p);
    fm_free(p);
    fm_site_entry_clear(&e);
    return path;
}

/* Saves a message with a body of n bytes into the store at path (a body of
 * a megabyte or more goes to a stream file beside the store). */
static void save_message(const char *path, size_t n)
{
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, 0, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    fx_set_string(m, PR_SUBJECT, "hello");
    if (n > 0)
        fx_stream_write_pattern(m, PR_BODY_A, n, 3);
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

/* Checks every file under dir (recursively) is 0600 and every directory
 * 0700; returns how many files were seen. */
static int assert_private_tree(const char *dir)
{
    struct stat st;
    assert_int_equal(lstat(dir, &st), 0);
    if ((st.st_mode & 07777) != 0700)
        fail_msg("%s is %04o, not 0700", dir, (unsigned)(st.st_mode & 07777));
    DIR *d = opendir(dir);
    assert_non_null(d);
    int files = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        assert_int_equal(lstat(p, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            files += assert_private_tree(p);
        } else {
            if ((st.st_mode & 07777) != 0600)
                fail_msg("%s is %04o, not 0600", p, (unsigned)(st.st_mode & 07777));
            files++;
        }
    }
    closedir(d);
    return files;
}

static void under_umask_000_every_file_is_0600_and_every_directory_0700(void **state)
{
    (void)state;
    mode_t old = umask(0);
    fmapi_site *site = new_site("umask0");
    assert_int_equal(fmapi_site_add_user(site, "ann", "Ann", "ann@x.org", "pw"), S_OK);
    assert_int_equal(fmapi_site_add_user(site, "bob", "Bob", "bob@x.org", "pw"), S_OK);
    fm_site_entry e;
    assert_int_equal(fm_site_authenticate(site, "ann", "wrong", &e), MAPI_E_LOGON_FAILED);
    save_message(mailbox_of(site, "ann"), 100);
    fmapi_site_close(site);
    umask(old);
    /* directory.db, its -wal and -shm, two mailboxes with theirs */
    assert_true(assert_private_tree(site_path("umask0")) >= 3);
}

static void site_init_tightens_an_existing_wider_directory(void **state)
{
    (void)state;
    const char *dir = site_path("wide");
    mode_t old = umask(0);
    assert_int_equal(mkdir(dir, 0755), 0);
    char sub[700];
    snprintf(sub, sizeof sub, "%s/mailboxes", dir);
    assert_int_equal(mkdir(sub, 0777), 0);
    umask(old);
    fmapi_site *site = new_site("wide");
    fmapi_site_close(site);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    assert_int_equal(stat(sub, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    /* a site created before is tightened by a later site init too */
    assert_int_equal(chmod(dir, 0775), 0);
    site = new_site("wide");
    fmapi_site_close(site);
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
}

/* A link of ours to a directory of ours is followed (a mailboxes directory
 * moved to a larger disk), and what it names is made private too. */
static void a_link_of_ours_is_followed_and_its_target_tightened(void **state)
{
    (void)state;
    const char *dir = site_path("linked");
    assert_int_equal(mkdir(dir, 0700), 0);
    char elsewhere[700], sub[700];
    snprintf(elsewhere, sizeof elsewhere, "%s/elsewhere", fm_test_tmpdir());
    assert_int_equal(mkdir(elsewhere, 0755), 0);
    assert_int_equal(chmod(elsewhere, 0755), 0);
    snprintf(sub, sizeof sub, "%s/mailboxes", dir);
    assert_int_equal(symlink(elsewhere, sub), 0);
    fmapi_site *site = new_site("linked");
    assert_int_equal(fmapi_site_add_user(site, "ann", "Ann", NULL, "pw"), S_OK);
    fmapi_site_close(site);
    struct stat st;
    assert_int_equal(stat(elsewhere, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    char mbx[800];
    snprintf(mbx, sizeof mbx, "%s/1.fmdb", elsewhere);
    assert_int_equal(stat(mbx, &st), 0);
}

/* Needs a second user: only root can make a directory another user owns. */
static void a_directory_of_another_user_is_refused(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip();
    const char *dir = site_path("foreign");
    assert_int_equal(mkdir(dir, 0777), 0);
    assert_int_equal(chmod(dir, 0777), 0);
    assert_int_equal(chown(dir, 65534, 65534), 0);
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(dir, FMAPI_SITE_CREATE, &site), MAPI_E_NO_ACCESS);
    assert_non_null(strstr(fmapi_last_error(), "another user"));
    char db[700];
    snprintf(db, sizeof db, "%s/directory.db", dir);
    assert_int_equal(access(db, F_OK), -1); /* nothing made in it */
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0777);
    /* a link owned by another user, to a directory of ours: refused too */
    char mine[700], link[700];
    snprintf(mine, sizeof mine, "%s/mine", fm_test_tmpdir());
    assert_int_equal(mkdir(mine, 0700), 0);
    snprintf(link, sizeof link, "%s/foreign-link", fm_test_tmpdir());
    assert_int_equal(symlink(mine, link), 0);
    assert_int_equal(lchown(link, 65534, 65534), 0);
    assert_int_equal(fmapi_site_open(link, FMAPI_SITE_CREATE, &site), MAPI_E_NO_ACCESS);
    /* one of our own is followed */
    snprintf(link, sizeof link, "%s/own-link", fm_test_tmpdir());
    assert_int_equal(symlink(mine, link), 0);
    assert_int_equal(fmapi_site_open(link, FMAPI_SITE_CREATE, &site), S_OK);
    fmapi_site_close(site);
}

/* ---- removing a user ---- */

static void removing_a_user_removes_its_stream_files(void **state)
{
    (void)state;
    fmapi_site *site = new_site("remove");
    assert_int_equal(fmapi_site_add_user(site, "ann", "Ann", "ann@x.org", "pw"), S_OK);
    assert_int_equal(fmapi_site_add_user(site, "bob", "Bob", "bob@x.org", "pw"), S_OK);
    char ann[700], bob[700], streams[800];
    snprintf(ann, sizeof ann, "%s", mailbox_of(site, "ann"));
    snprintf(bob, sizeof bob, "%s", mailbox_of(site, "bob"));
    save_message(ann, 2 * FM_STREAM_FILE_MIN);
    save_message(bob, 2 * FM_STREAM_FILE_MIN);
    snprintf(streams, sizeof streams, "%s-streams", ann);
    struct stat st;
    assert_int_equal(stat(streams, &st), 0); /* the store made it */
    assert_int_equal(fmapi_site_remove(site, "ann"), S_OK);
    assert_int_equal(lstat(streams, &st), -1);
    assert_int_equal(lstat(ann, &st), -1);
    /* bob's mailbox and streams are not touched */
    snprintf(streams, sizeof streams, "%s-streams", bob);
    assert_int_equal(stat(streams, &st), 0);
    assert_int_equal(stat(bob, &st), 0);
    fmapi_site_close(site);
}

/* A victim file and directory outside the site, and links to them where
 * a mailbox's stream files are: removing the user removes the links only. */
static void removing_a_user_follows_no_link(void **state)
{
    (void)state;
    fmapi_site *site = new_site("remove-links");
    assert_int_equal(fmapi_site_add_user(site, "ann", "Ann", "ann@x.org", "pw"), S_OK);
    assert_int_equal(fmapi_site_add_user(site, "bob", "Bob", "bob@x.org", "pw"), S_OK);
    char victim_dir[700], victim[800], streams[800], p[900];
    snprintf(victim_dir, sizeof victim_dir, "%s/victim", fm_test_tmpdir());
    assert_int_equal(mkdir(victim_dir, 0700), 0);
    snprintf(victim, sizeof victim, "%s/precious", victim_dir);
    FILE *f = fopen(victim, "w");
    assert_non_null(f);
    fputs("keep me", f);
    fclose(f);
    /* ann: a real streams directory holding a link to the victim file */
    snprintf(streams, sizeof streams, "%s-streams", mailbox_of(site, "ann"));
    assert_int_equal(mkdir(streams, 0700), 0);
    snprintf(p, sizeof p, "%s/7", streams);
    assert_int_equal(symlink(victim, p), 0);
    snprintf(p, sizeof p, "%s/8", streams);
    assert_int_equal(symlink(victim_dir, p), 0);
    assert_int_equal(fmapi_site_remove(site, "ann"), S_OK);
    struct stat st;
    assert_int_equal(lstat(streams, &st), -1);
    /* bob: the streams directory itself is a link to the victim directory */
    snprintf(streams, sizeof streams, "%s-streams", mailbox_of(site, "bob"));
    assert_int_equal(symlink(victim_dir, streams), 0);
    assert_int_equal(fmapi_site_remove(site, "bob"), S_OK);
    assert_int_equal(lstat(streams, &st), -1);
    assert_int_equal(stat(victim, &st), 0); /* the victim file is there, whole */
    assert_int_equal(st.st_size, 7);
    fmapi_site_close(site);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(under_umask_000_every_file_is_0600_and_every_directory_0700),
        cmocka_unit_test(site_init_tightens_an_existing_wider_directory),
        cmocka_unit_test(a_link_of_ours_is_followed_and_its_target_tightened),
        cmocka_unit_test(a_directory_of_another_user_is_refused),
        cmocka_unit_test(removing_a_user_removes_its_stream_files),
        cmocka_unit_test(removing_a_user_follows_no_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
