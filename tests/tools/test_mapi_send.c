/*
 * tests/tools/test_mapi_send.c - `mapi send`: a message from the command
 * line (body on standard input, files attached) reaches site users, read
 * back through the tool; unknown recipients and files are "not found"
 * (exit 3), a bad command line is exit 2, and nothing is sent then.
 * `mapi deliver`: a message on standard input into a user's Inbox, with the
 * exit codes MTAs act on (EX_NOUSER 67, EX_TEMPFAIL 75).
 */
#include <dirent.h>
#include <sys/stat.h>

#include "tool_fixture.h"

static char tmp[700];

static int isolate(void **state)
{
    (void)state;
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
    snprintf(tmp, sizeof tmp, "%s", fm_test_tmpdir());
    return 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

#define TOOL_IN(r, in, ...)                                         \
    do {                                                            \
        const char *const tool_args_[] = { __VA_ARGS__, NULL };     \
        tool_run_argv((r), (in), tool_args_);                       \
    } while (0)

static void send_reaches_site_users_with_body_and_files(void **state)
{
    (void)state;
    tool_run r;
    TOOL(&r, "folders"); /* the default site, user and profile */
    assert_exit(&r, 0);
    TOOL(&r, "user", "add", "bob", "--name", "Bob Builder", "--smtp", "bob@example.org",
         "--password", "bob-pw");
    assert_exit(&r, 0);
    TOOL(&r, "profile", "create", "bobp", "--user", "bob", "--password", "bob-pw");
    assert_exit(&r, 0);
    char body[800], file[800];
    snprintf(body, sizeof body, "%s/body.txt", tmp);
    snprintf(file, sizeof file, "%s/notes.txt", tmp);
    write_file(body, "Dear Bob,\nthe body.\n");
    write_file(file, "notes");

    TOOL_IN(&r, body, "send", "--to", "Bob Builder", "--subject", "From the shell", "--attach",
            file);
    assert_exit(&r, 0);
    TOOL_IN(&r, body, "send", "--cc", "bob@example.org", "--subject", "By address");
    assert_exit(&r, 0);
    TOOL(&r, "--profile", "bobp", "ls", "Inbox");
    assert_exit(&r, 0);
    assert_contains(r.out, "From the shell");
    assert_contains(r.out, "By address");

    /* Failures: said why, nothing sent. */
    TOOL_IN(&r, body, "send", "--to", "Nobody Whatsoever", "--subject", "lost");
    assert_exit(&r, 3);
    TOOL_IN(&r, body, "send", "--to", "bob", "--attach", "/nonexistent/x", "--subject", "lost");
    assert_exit(&r, 3);
    TOOL_IN(&r, body, "send", "--subject", "lost");
    assert_exit(&r, 2);
    TOOL_IN(&r, body, "send", "--to");
    assert_exit(&r, 2);
    TOOL_IN(&r, body, "--store", file, "send", "--to", "bob");
    assert_exit(&r, 2);
    TOOL(&r, "--profile", "bobp", "ls", "Inbox");
    assert_not_contains(r.out, "lost");
}

static void deliver_files_a_message_or_says_what_an_mta_should_do(void **state)
{
    (void)state;
    tool_run r;
    TOOL(&r, "folders");
    assert_exit(&r, 0);
    TOOL(&r, "user", "add", "carol", "--name", "Carol", "--smtp", "carol@example.org",
         "--password", "carol-pw");
    assert_exit(&r, 0);
    TOOL(&r, "profile", "create", "carolp", "--user", "carol", "--password", "carol-pw");
    assert_exit(&r, 0);
    char eml[800];
    snprintf(eml, sizeof eml, "%s/in.eml", tmp);
    write_file(eml, "From: Dave <dave@elsewhere.test>\r\nTo: carol@example.org\r\n"
                    "Subject: Delivered by the MTA\r\nMessage-ID: <d1@elsewhere.test>\r\n"
                    "\r\nHello Carol.\r\n");
    TOOL_IN(&r, eml, "deliver", "carol@example.org");
    assert_exit(&r, 0);
    TOOL(&r, "--profile", "carolp", "ls", "Inbox");
    assert_exit(&r, 0);
    assert_contains(r.out, "Delivered by the MTA");
    TOOL_IN(&r, eml, "deliver", "nobody");
    assert_exit(&r, 67); /* EX_NOUSER: the MTA bounces */
    TOOL_IN(&r, eml, "deliver");
    assert_exit(&r, 2);
    /* A mailbox another process holds locked past the busy bound: EX_TEMPFAIL,
     * the MTA keeps the message and retries; nothing was saved. */
    char path[900];
    snprintf(path, sizeof path, "%s/home/data/freemapi/site/mailboxes", tmp);
    DIR *d = opendir(path);
    assert_non_null(d);
    struct dirent *de;
    sqlite3 *db = NULL;
    while ((de = readdir(d)) != NULL && db == NULL) {
        if (strstr(de->d_name, ".fmdb") == NULL || strstr(de->d_name, ".fmdb-") != NULL)
            continue;
        char file[1200];
        snprintf(file, sizeof file, "%s/%s", path, de->d_name);
        if (fx_count(file, "SELECT count(*) FROM messages WHERE subject = "
                           "'Delivered by the MTA'") == 1)
            assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
    }
    closedir(d);
    assert_non_null(db);
    assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    setenv("FREEMAPI_BUSY_TIMEOUT_MS", "200", 1);
    TOOL_IN(&r, eml, "deliver", "carol");
    unsetenv("FREEMAPI_BUSY_TIMEOUT_MS");
    assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_exit(&r, 75);
    TOOL(&r, "--profile", "carolp", "ls", "Inbox");
    assert_exit(&r, 0);
    const char *first = strstr(r.out, "Delivered by the MTA");
    assert_non_null(first);
    assert_null(strstr(first + 1, "Delivered by the MTA")); /* still one */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(send_reaches_site_users_with_body_and_files, isolate),
        cmocka_unit_test_setup(deliver_files_a_message_or_says_what_an_mta_should_do, isolate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
