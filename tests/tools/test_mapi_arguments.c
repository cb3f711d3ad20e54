/*
 * tests/tools/test_mapi_arguments.c - what the `mapi` binary refuses before
 * it touches a mailbox: the top of the mailbox as the folder to empty or
 * remove (an unset shell variable), numbers that do not fit what they
 * count (message positions, days, limits, attachment numbers), and folder
 * names with control characters. Each refusal is a usage error (exit 2)
 * and leaves the mailbox as it was.
 */
#include <stdio.h>
#include <string.h>

#include "tool_fixture.h"

static char store_path[600];

static const char *tmp(const char *name)
{
    static char buf[4][700];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", fm_test_tmpdir(), name);
    return b;
}

/* A store with three messages in Inbox (the first with an attachment) and
 * one in a folder "Mine". */
static int make_store(void **state)
{
    snprintf(store_path, sizeof store_path, "%s", fx_store_path("arguments"));
    const char *mbox = tmp("arguments.mbox");
    FILE *f = fopen(mbox, "w");
    assert_non_null(f);
    fputs("From a Mon Jan  6 09:00:00 2025\nSubject: oldest\nDate: Mon, 6 Jan 2025 09:00:00 "
          "+0000\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
          "Content-Type: text/plain\n\nbody\n--b\nContent-Type: application/octet-stream; "
          "name=a.bin\nContent-Disposition: attachment; filename=a.bin\n\nxyz\n--b--\n\n"
          "From b Mon Jan  6 10:00:00 2025\nSubject: middle\nDate: Mon, 6 Jan 2025 10:00:00 "
          "+0000\n\nbody\n\n"
          "From c Mon Jan  6 11:00:00 2025\nSubject: newest\nDate: Mon, 6 Jan 2025 11:00:00 "
          "+0000\n\nbody\n",
          f);
    fclose(f);
    tool_run r;
    TOOL(&r, "--store", store_path, "import", mbox);
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "mkdir", "Mine");
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "cp", "Inbox:1", "Mine");
    assert_exit(&r, 0);
    return 0;
}

/* The mailbox is as make_store left it. */
static void assert_untouched(void)
{
    tool_run r;
    TOOL(&r, "--store", store_path, "--json", "folders");
    assert_exit(&r, 0);
    assert_contains(r.out, "{\"path\":\"Inbox\",\"name\":\"Inbox\",\"depth\":0,\"messages\":3,");
    assert_contains(r.out, "{\"path\":\"Mine\",\"name\":\"Mine\",\"depth\":0,\"messages\":1,");
    assert_contains(r.out, "\"path\":\"Deleted Items\"");
    assert_contains(r.out, "\"path\":\"Junk E-mail\"");
    assert_int_equal(fx_count(store_path, "SELECT count(*) FROM messages WHERE deleted_at IS "
                                          "NOT NULL"), 0);
    assert_int_equal(fx_count(store_path, "SELECT count(*) FROM folders WHERE deleted_at IS "
                                          "NOT NULL"), 0);
}

/* Issue 14, item 1: `mapi empty ""` (an unset variable) emptied the root
 * of the mailbox, soft-deleting every standard folder. */
static void the_top_of_the_mailbox_is_never_emptied_or_removed(void **state)
{
    const char *tops[] = { "", "/", "//" };
    for (size_t i = 0; i < sizeof tops / sizeof tops[0]; i++) {
        tool_run r;
        TOOL(&r, "--store", store_path, "empty", tops[i]);
        assert_exit(&r, 2);
        assert_contains(r.err, "top of the mailbox");
        TOOL(&r, "--store", store_path, "empty", "--hard", tops[i]);
        assert_exit(&r, 2);
        TOOL(&r, "--store", store_path, "rmdir", "-r", tops[i]);
        assert_exit(&r, 2);
    }
    /* a standard folder can be emptied, never removed */
    tool_run r;
    TOOL(&r, "--store", store_path, "rmdir", "-r", "Inbox");
    assert_exit(&r, 1);
    assert_contains(r.err, "MAPI_E_NO_ACCESS");
    assert_untouched();
}

/* Issue 14, items 4 and 6: FOLDER:N above 2^31 wrapped to another message
 * (rm --hard Inbox:4294967297 deleted message 1), purge --older-than 49711
 * wrapped to two days, and negative numbers were taken. */
static void numbers_that_do_not_fit_are_usage_errors(void **state)
{
    const char *refs[] = { "Inbox:4294967297", "Inbox:2147483649", "Inbox:0", "Inbox:-1",
                           "Inbox:+1", "Inbox: 1", "Inbox:1x", "Inbox:99999999999999999999" };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        tool_run r;
        TOOL(&r, "--store", store_path, "rm", "--hard", refs[i]);
        assert_exit(&r, 2);
        TOOL(&r, "--store", store_path, "show", refs[i]);
        assert_exit(&r, 2);
    }
    /* the largest position is taken, and names no message here */
    tool_run r;
    TOOL(&r, "--store", store_path, "show", "Inbox:2147483648");
    assert_exit(&r, 3);
    const char *days[] = { "49711", "-1", "99999999999999999999", "30x", "", "d", "4294967296" };
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        TOOL(&r, "--store", store_path, "purge", "--older-than", days[i]);
        assert_exit(&r, 2);
    }
    const char *limits[] = { "-1", "99999999999999999999", "1e3" };
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        TOOL(&r, "--store", store_path, "ls", "--limit", limits[i]);
        assert_exit(&r, 2);
    }
    TOOL(&r, "--store", store_path, "save-attachment", "-o", fm_test_tmpdir(), "Inbox:3",
         "4294967296");
    assert_exit(&r, 2);
    TOOL(&r, "--store", store_path, "save-attachment", "-o", fm_test_tmpdir(), "Inbox:3",
         "-1");
    assert_exit(&r, 2);
    assert_untouched();

    /* the largest age is taken: nothing deleted now is that old */
    TOOL(&r, "--store", store_path, "rm", "Mine:1");
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "--json", "purge", "--older-than", "49710");
    assert_exit(&r, 0);
    assert_contains(r.out, "{\"purged\":0}");
    TOOL(&r, "--store", store_path, "--json", "purge", "--older-than", "1d");
    assert_contains(r.out, "{\"purged\":0}");
    assert_int_equal(fx_count(store_path, "SELECT count(*) FROM messages WHERE deleted_at IS "
                                          "NOT NULL"), 1);
    TOOL(&r, "--store", store_path, "cp", "Inbox:1", "Mine");
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "--json", "purge");
    assert_contains(r.out, "{\"purged\":1}");
    assert_untouched();
}

/* Attachment numbers start from 0 (as show lists them): 0 is one of them. */
static void attachment_zero_is_an_attachment_not_all_of_them(void **state)
{
    const char *dir = tmp("att-zero");
    mkdir(dir, 0700);
    tool_run r;
    TOOL(&r, "--store", store_path, "save-attachment", "-o", dir, "Inbox:3", "0");
    assert_exit(&r, 0);
    assert_contains(r.out, "a.bin");
    TOOL(&r, "--store", store_path, "save-attachment", "-o", dir, "Inbox:3", "1");
    assert_exit(&r, 3);
}

/* Issue 14, item 21: a folder name with a line break or an escape. */
static void folder_names_cannot_hold_control_characters(void **state)
{
    const char *names[] = { "Line\nbreak", "Esc\x1b[31m", "Tab\there", "Del\x7f",
                            "C1\xc2\x85next", "Parent\n/Child" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        tool_run r;
        TOOL(&r, "--store", store_path, "mkdir", "-p", names[i]);
        assert_exit(&r, 2);
        assert_contains(r.err, "control characters");
    }
    tool_run r;
    assert_untouched();
    TOOL(&r, "--store", store_path, "mkdir", "Été 2026 — ok");
    assert_exit(&r, 0);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_top_of_the_mailbox_is_never_emptied_or_removed),
        cmocka_unit_test(numbers_that_do_not_fit_are_usage_errors),
        cmocka_unit_test(attachment_zero_is_an_attachment_not_all_of_them),
        cmocka_unit_test(folder_names_cannot_hold_control_characters),
    };
    return cmocka_run_group_tests(tests, make_store, NULL);
}
