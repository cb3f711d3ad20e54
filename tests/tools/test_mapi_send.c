/*
 * tests/tools/test_mapi_send.c - `mapi send`: a message from the command
 * line (body on standard input, files attached) reaches site users, read
 * back through the tool; unknown recipients and files are "not found"
 * (exit 3), a bad command line is exit 2, and nothing is sent then.
 */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(send_reaches_site_users_with_body_and_files, isolate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
