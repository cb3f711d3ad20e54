/*
 * tests/tools/test_mapi_admin.c - the `mapi` binary administering: the
 * default site, user and profile made on first use, site init, user
 * add/list/remove/passwd/grant/revoke, profile create/list/show/default/
 * delete, logging on with --profile, and oab generate.
 *
 * HOME and the XDG directories point into this test's temporary directory,
 * so the tool's defaults land there and nowhere else.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tool_fixture.h"

static char site_dir[700];

static int isolate(void **state)
{
    char dir[700];
    snprintf(dir, sizeof dir, "%s/home", fm_test_tmpdir());
    mkdir(dir, 0700);
    setenv("HOME", dir, 1);
    snprintf(dir, sizeof dir, "%s/home/data", fm_test_tmpdir());
    setenv("XDG_DATA_HOME", dir, 1);
    snprintf(dir, sizeof dir, "%s/home/config", fm_test_tmpdir());
    setenv("XDG_CONFIG_HOME", dir, 1);
    unsetenv("FREEMAPI_PROFILE_DIR");
    unsetenv("MAPI_STORE");
    snprintf(site_dir, sizeof site_dir, "%s/home/data/freemapi/site", fm_test_tmpdir());
    return 0;
}

static void the_default_mailbox_is_made_on_first_use_and_kept(void **state)
{
    tool_run r;
    TOOL(&r, "folders");
    assert_exit(&r, 0);
    assert_contains(r.err, "created the site");
    assert_contains(r.out, "Inbox");
    struct stat st;
    char path[800];
    snprintf(path, sizeof path, "%s/directory.db", site_dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0077, 0); /* the OS user's only */
    TOOL(&r, "mkdir", "Projects");
    assert_exit(&r, 0);
    TOOL(&r, "folders");
    assert_not_contains(r.err, "created");
    assert_contains(r.out, "Projects");
    TOOL(&r, "profile", "list");
    assert_contains(r.out, "freemapi  (default)");
}

static void users_are_added_listed_changed_and_removed(void **state)
{
    tool_run r;
    TOOL(&r, "user", "add", "alice", "--name", "Alice Ångström", "--smtp", "alice@example.org",
         "--password", "alice-pw");
    assert_exit(&r, 0);
    TOOL(&r, "user", "add", "bob", "--password", "bob-pw");
    assert_exit(&r, 0);
    TOOL(&r, "user", "add", "ALICE");
    assert_exit(&r, 1);
    assert_contains(r.err, "MAPI_E_COLLISION");
    TOOL(&r, "--json", "user", "list");
    assert_contains(r.out, "{\"alias\":\"alice\",\"kind\":\"user\",\"display_name\":"
                           "\"Alice Ångström\",\"smtp\":\"alice@example.org\"}");
    assert_contains(r.out, "\"smtp\":\"bob@localhost\"");
    TOOL(&r, "user", "grant", "bob", "alice", "full-access,send-as");
    assert_exit(&r, 0);
    TOOL(&r, "user", "grant", "bob", "alice", "everything");
    assert_exit(&r, 2);
    TOOL(&r, "user", "revoke", "bob", "alice", "send-as");
    assert_exit(&r, 0);
    TOOL(&r, "user", "passwd", "bob");
    assert_exit(&r, 2);
    const char *const pw_args[] = { "user", "passwd", "bob", "--password-stdin", NULL };
    char pwfile[700];
    snprintf(pwfile, sizeof pwfile, "%s/pw.txt", fm_test_tmpdir());
    FILE *f = fopen(pwfile, "w");
    fputs("bob-new-pw\n", f);
    fclose(f);
    tool_run_argv(&r, pwfile, pw_args);
    assert_exit(&r, 0);
    TOOL(&r, "user", "remove", "nobody-here");
    assert_exit(&r, 3);
}

static void profiles_log_on_to_site_mailboxes_and_files(void **state)
{
    tool_run r;
    TOOL(&r, "profile", "create", "alice", "--user", "alice", "--password", "alice-pw");
    assert_exit(&r, 0);
    /* the service checks the credentials when it is configured, and a
     * profile that could not be configured is not left behind */
    TOOL(&r, "profile", "create", "wrong", "--user", "alice", "--password", "not-it");
    assert_exit(&r, 1);
    assert_contains(r.err, "MAPI_E_LOGON_FAILED");
    char file[700];
    snprintf(file, sizeof file, "%s/standalone.fmstore", fm_test_tmpdir());
    TOOL(&r, "profile", "create", "local", "--store-file", file);
    assert_exit(&r, 0);
    TOOL(&r, "--json", "profile", "list");
    assert_contains(r.out, "{\"name\":\"alice\",\"default\":false}");
    assert_contains(r.out, "{\"name\":\"freemapi\",\"default\":true}");
    TOOL(&r, "profile", "show", "local");
    assert_contains(r.out, "service FMSTORE");

    TOOL(&r, "--profile", "alice", "mkdir", "Alice only");
    assert_exit(&r, 0);
    TOOL(&r, "--profile", "alice", "folders");
    assert_contains(r.out, "Alice only");
    TOOL(&r, "folders"); /* the default mailbox is another one */
    assert_not_contains(r.out, "Alice only");
    TOOL(&r, "--profile", "local", "mkdir", "In a file");
    assert_exit(&r, 0);
    TOOL(&r, "--store", file, "folders");
    assert_contains(r.out, "In a file");
    TOOL(&r, "--profile", "wrong", "folders");
    assert_exit(&r, 3);

    TOOL(&r, "profile", "default", "alice");
    assert_exit(&r, 0);
    TOOL(&r, "profile", "list");
    assert_contains(r.out, "alice  (default)");
    TOOL(&r, "profile", "default", "freemapi");
    TOOL(&r, "profile", "delete", "local");
    assert_exit(&r, 0);
    TOOL(&r, "--profile", "local", "folders");
    assert_exit(&r, 3);
    TOOL(&r, "profile", "create", "x", "--user", "a", "--store-file", file);
    assert_exit(&r, 2);
}

/* Issue 14, item 5: creating a profile under a name that is taken fails
 * and leaves the existing profile as it was (the clean-up of a failed
 * create deleted it). */
static void creating_a_profile_under_a_taken_name_keeps_the_existing_one(void **state)
{
    tool_run r;
    TOOL(&r, "profile", "create", "keeper", "--user", "alice", "--password", "alice-pw");
    assert_exit(&r, 0);
    TOOL(&r, "--profile", "keeper", "mkdir", "Kept");
    assert_exit(&r, 0);
    char file[700];
    snprintf(file, sizeof file, "%s/other.fmstore", fm_test_tmpdir());
    TOOL(&r, "profile", "create", "keeper", "--store-file", file);
    assert_exit(&r, 1);
    assert_contains(r.err, "MAPI_E_NO_ACCESS");
    assert_contains(r.err, "already exists");
    TOOL(&r, "profile", "create", "KEEPER", "--user", "bob", "--password", "bob-new-pw");
    assert_exit(&r, 1);
    TOOL(&r, "--profile", "keeper", "folders");
    assert_exit(&r, 0);
    assert_contains(r.out, "Kept");
    TOOL(&r, "profile", "show", "keeper");
    assert_contains(r.out, "service FMSITE");
    TOOL(&r, "profile", "delete", "keeper");
    assert_exit(&r, 0);
}

/* Every global option takes effect or is refused (item 2 of issue 14:
 * --site without --profile was ignored, and the default mailbox changed). */
static void a_global_option_a_command_would_ignore_is_refused(void **state)
{
    char missing[700], file[700];
    snprintf(missing, sizeof missing, "%s/no-such-site", fm_test_tmpdir());
    snprintf(file, sizeof file, "%s/opts.fmstore", fm_test_tmpdir());
    tool_run r;
    TOOL(&r, "mkdir", "Guarded");
    assert_exit(&r, 0);
    TOOL(&r, "--site", missing, "rmdir", "Guarded");
    assert_exit(&r, 2);
    assert_contains(r.err, "--site");
    TOOL(&r, "--site", missing, "--profile", "freemapi", "rmdir", "Guarded");
    assert_exit(&r, 2);
    TOOL(&r, "--store", file, "--profile", "freemapi", "ls");
    assert_exit(&r, 2);
    TOOL(&r, "--store", file, "user", "list");
    assert_exit(&r, 2);
    TOOL(&r, "--profile", "freemapi", "oab", "generate");
    assert_exit(&r, 2);
    TOOL(&r, "--site", missing, "profile", "list");
    assert_exit(&r, 2);
    TOOL(&r, "--site", missing, "profile", "create", "x", "--store-file", file);
    assert_exit(&r, 2);
    TOOL(&r, "folders");
    assert_contains(r.out, "Guarded"); /* nothing was done to the default mailbox */
    /* MAPI_STORE stands for --store; empty, it is unset; --profile wins */
    setenv("MAPI_STORE", file, 1);
    TOOL(&r, "mkdir", "In the file");
    assert_exit(&r, 0);
    TOOL(&r, "--store", file, "folders");
    assert_contains(r.out, "In the file");
    TOOL(&r, "--profile", "freemapi", "folders");
    assert_exit(&r, 0);
    assert_not_contains(r.out, "In the file");
    TOOL(&r, "user", "list"); /* site commands do not look at it */
    assert_exit(&r, 0);
    setenv("MAPI_STORE", "", 1);
    TOOL(&r, "folders");
    assert_exit(&r, 0);
    assert_contains(r.out, "Guarded");
    unsetenv("MAPI_STORE");
    TOOL(&r, "rmdir", "Guarded");
    assert_exit(&r, 0);
}

static void the_offline_address_book_is_generated_for_the_site(void **state)
{
    char dir[700];
    snprintf(dir, sizeof dir, "%s/oab-out", fm_test_tmpdir());
    tool_run r;
    TOOL(&r, "--json", "oab", "generate", "-o", dir);
    assert_exit(&r, 0);
    assert_contains(r.out, "\"entries\":3"); /* the default user, alice and bob */
    char manifest[800];
    snprintf(manifest, sizeof manifest, "%s/oab.xml", dir);
    struct stat st;
    assert_int_equal(stat(manifest, &st), 0);
    TOOL(&r, "oab", "regenerate");
    assert_exit(&r, 2);
}

static void site_init_makes_a_site_elsewhere(void **state)
{
    char dir[700];
    snprintf(dir, sizeof dir, "%s/other-site", fm_test_tmpdir());
    tool_run r;
    TOOL(&r, "site", "init", dir);
    assert_exit(&r, 0);
    TOOL(&r, "--site", dir, "user", "add", "carol");
    assert_exit(&r, 0);
    TOOL(&r, "--site", dir, "user", "list");
    assert_contains(r.out, "carol");
    assert_not_contains(r.out, "alice");
    char missing[700];
    snprintf(missing, sizeof missing, "%s/no-site", fm_test_tmpdir());
    TOOL(&r, "--site", missing, "user", "list");
    assert_exit(&r, 3);
}

/* How many "pid": entries `mapi --json stats` lists, and whether pid is one. */
static int sessions_listed(long pid, bool *found)
{
    tool_run r;
    TOOL(&r, "--json", "stats");
    assert_exit(&r, 0);
    const char *p = strstr(r.out, "\"sessions\":[");
    assert_non_null(p);
    const char *end = strchr(p, ']');
    assert_non_null(end);
    char want[64];
    snprintf(want, sizeof want, "\"pid\":%ld,", pid);
    *found = false;
    int n = 0;
    for (const char *q = strstr(p, "\"pid\":"); q != NULL && q < end; q = strstr(q + 1, "\"pid\":")) {
        n++;
        if (strncmp(q, want, strlen(want)) == 0)
            *found = true;
    }
    return n;
}

/* stats: the store's sizes, and the live sessions of the user's profiles
 * in every process: its own, and another mapi's that is importing from a
 * FIFO, until that one ends. */
static void stats_shows_store_sizes_and_live_sessions(void **state)
{
    tool_run r;
    TOOL(&r, "stats");
    assert_exit(&r, 0);
    assert_contains(r.out, "message bytes      ");
    assert_contains(r.out, "store file         ");
    assert_contains(r.out, "sessions           1 live\n");
    assert_contains(r.out, "profile freemapi, process ");
    assert_contains(r.out, " (this one)\n");
    TOOL(&r, "--json", "stats");
    assert_contains(r.out, "\"store\":{\"file_bytes\":");
    assert_contains(r.out, "\"sessions\":[{\"profile\":\"freemapi\",\"pid\":");

    char fifo[700];
    snprintf(fifo, sizeof fifo, "%s/hold.fifo", fm_test_tmpdir());
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(tool_binary(), "mapi", "import", "--format", "mbox", fifo, (char *)NULL);
        _exit(127);
    }
    /* Opening the FIFO waits for the importer to open it, which it does
     * only after logging on: its session is registered from then on. */
    FILE *w = fopen(fifo, "w");
    assert_non_null(w);
    fprintf(w, "From x Mon Jan  6 09:00:00 2025\nSubject: held\n\nbody\n\n");
    fflush(w);
    bool found = false;
    assert_int_equal(sessions_listed(pid, &found), 2); /* the importer's and stats' own */
    assert_true(found);
    fclose(w);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(sessions_listed(pid, &found), 1);
    assert_false(found);
    unlink(fifo);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_default_mailbox_is_made_on_first_use_and_kept),
        cmocka_unit_test(users_are_added_listed_changed_and_removed),
        cmocka_unit_test(profiles_log_on_to_site_mailboxes_and_files),
        cmocka_unit_test(creating_a_profile_under_a_taken_name_keeps_the_existing_one),
        cmocka_unit_test(a_global_option_a_command_would_ignore_is_refused),
        cmocka_unit_test(the_offline_address_book_is_generated_for_the_site),
        cmocka_unit_test(site_init_makes_a_site_elsewhere),
        cmocka_unit_test(stats_shows_store_sizes_and_live_sessions),
    };
    return cmocka_run_group_tests(tests, isolate, NULL);
}
