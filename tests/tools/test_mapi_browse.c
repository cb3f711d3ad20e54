/*
 * tests/tools/test_mapi_browse.c - the `mapi` binary browsing a mailbox:
 * folders, ls with its columns, sorts and filters, show, save-attachment,
 * mkdir, stats, --help on every command, --json, and the exit codes.
 *
 * The mailbox is built through the library first, so every expected line
 * comes from data the test wrote.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tool_fixture.h"

static char store_path[600];

static FILETIME day(int y, int m, int d)
{
    /* days from 1601-01-01 to y-m-d, by the civil-from-days formula */
    y -= m <= 2;
    long era = y / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long long days_since_1970 = era * 146097 + doe - 719468;
    unsigned long long t = (unsigned long long)(days_since_1970 * 86400LL) * 10000000ULL +
                           116444736000000000ULL;
    FILETIME ft = { (ULONG)t, (ULONG)(t >> 32) };
    return ft;
}

static void add_message(LPMAPIFOLDER f, const char *subject, const char *from, const char *addr,
                        FILETIME when, bool read, const char *attachment)
{
    LPMESSAGE m = fx_new_message(f);
    SPropValue v[] = {
        { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = (LPSTR)subject },
        { .ulPropTag = PR_SENDER_NAME_A, .Value.lpszA = (LPSTR)from },
        { .ulPropTag = PR_SENDER_EMAIL_ADDRESS_A, .Value.lpszA = (LPSTR)addr },
        { .ulPropTag = PR_MESSAGE_DELIVERY_TIME, .Value.ft = when },
        { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = read ? MSGFLAG_READ : 0 },
        { .ulPropTag = PR_BODY_A, .Value.lpszA = "Body of the message." },
        { .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = "IPM.Note" },
    };
    assert_int_equal(IMessage_SetProps(m, 7, v, NULL), S_OK);
    SPropValue rp[] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "Dave" },
                        { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO } };
    ADRLIST list = { .cEntries = 1, .aEntries = { { .cValues = 2, .rgPropVals = rp } } };
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_ADD, &list), S_OK);
    if (attachment != NULL) {
        LPATTACH a = NULL;
        ULONG num = 0;
        assert_int_equal(IMessage_CreateAttach(m, NULL, 0, &num, &a), S_OK);
        SPropValue av[] = {
            { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_BY_VALUE },
            { .ulPropTag = PR_ATTACH_LONG_FILENAME_A, .Value.lpszA = (LPSTR)attachment },
            { .ulPropTag = PR_ATTACH_DATA_BIN,
              .Value.bin = { 16, (LPBYTE) "hello attachment" } },
        };
        assert_int_equal(IAttach_SetProps(a, 3, av, NULL), S_OK);
        assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
        IAttach_Release(a);
    }
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
}

static int build_mailbox(void **state)
{
    snprintf(store_path, sizeof store_path, "%s", fx_store_path("browse"));
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(store_path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    add_message(inbox, "Budget 2027", "Alice", "alice@example.org", day(2026, 1, 5), false,
                "report.txt");
    add_message(inbox, "Lunch", "Bob", "bob@example.org", day(2026, 2, 1), true, NULL);
    add_message(inbox, "Budget review", "Carol", "carol@example.org", day(2026, 3, 10), false,
                NULL);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    return 0;
}

/* The n-th line of text (from 1), copied into line. */
static void nth_line(const char *text, int n, char *line, size_t cap)
{
    const char *p = text;
    for (int i = 1; i < n && p != NULL; i++) {
        p = strchr(p, '\n');
        if (p != NULL)
            p++;
    }
    assert_non_null(p);
    const char *end = strchr(p, '\n');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    snprintf(line, cap, "%.*s", (int)len, p);
}

static int count_lines(const char *text)
{
    int n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

static void folders_shows_the_tree_with_counts(void **state)
{
    tool_run r;
    TOOL(&r, "--store", store_path, "folders");
    assert_exit(&r, 0);
    assert_contains(r.out, "Inbox");
    assert_contains(r.out, "3  (2 unread)");
    assert_contains(r.out, "Deleted Items");
    TOOL(&r, "--store", store_path, "--json", "folders");
    assert_exit(&r, 0);
    assert_contains(r.out, "{\"path\":\"Inbox\",\"name\":\"Inbox\",\"depth\":0,\"messages\":3,"
                           "\"unread\":2}");
}

static void ls_lists_newest_first_and_numbers_the_rows(void **state)
{
    tool_run r;
    TOOL(&r, "--store", store_path, "ls");
    assert_exit(&r, 0);
    assert_int_equal(count_lines(r.out), 3);
    char line[512];
    nth_line(r.out, 1, line, sizeof line);
    assert_contains(line, "    1  2026-03-10 00:00");
    assert_contains(line, "Budget review");
    nth_line(r.out, 3, line, sizeof line);
    assert_contains(line, "Budget 2027");
    assert_contains(line, "Alice");
}

static void ls_filters_sorts_and_limits(void **state)
{
    tool_run r;
    TOOL(&r, "--store", store_path, "ls", "--subject", "BUDGET");
    assert_int_equal(count_lines(r.out), 2);
    assert_not_contains(r.out, "Lunch");
    TOOL(&r, "--store", store_path, "ls", "--from", "alice@EXAMPLE");
    assert_int_equal(count_lines(r.out), 1);
    assert_contains(r.out, "Budget 2027");
    TOOL(&r, "--store", store_path, "ls", "--unread");
    assert_int_equal(count_lines(r.out), 2);
    assert_not_contains(r.out, "Lunch");
    TOOL(&r, "--store", store_path, "ls", "--since", "2026-02-01");
    assert_int_equal(count_lines(r.out), 2);
    assert_not_contains(r.out, "Budget 2027");
    TOOL(&r, "--store", store_path, "ls", "--unread", "--subject", "review", "--since",
         "2026-01-01T00:00");
    assert_int_equal(count_lines(r.out), 1);
    TOOL(&r, "--store", store_path, "ls", "--sort", "subject", "--columns", "subject");
    char line[256];
    nth_line(r.out, 1, line, sizeof line);
    assert_contains(line, "Budget 2027");
    nth_line(r.out, 3, line, sizeof line);
    assert_contains(line, "Lunch");
    TOOL(&r, "--store", store_path, "ls", "-n", "1");
    assert_int_equal(count_lines(r.out), 1);
    TOOL(&r, "--store", store_path, "ls", "--columns", "flags,subject", "--sort", "-subject");
    nth_line(r.out, 3, line, sizeof line);
    assert_contains(line, "N@  Budget 2027"); /* unread, with an attachment */
    nth_line(r.out, 1, line, sizeof line);
    assert_contains(line, "--  Lunch");
}

static void ls_json_gives_the_chosen_columns(void **state)
{
    tool_run r;
    TOOL(&r, "--store", store_path, "--json", "ls", "--columns", "subject,size,date", "-n",
         "1");
    assert_exit(&r, 0);
    assert_contains(r.out, "[{\"n\":1,\"subject\":\"Budget review\",\"size\":");
    assert_contains(r.out, "\"date\":\"2026-03-10T00:00:00Z\"}]");
}

static void show_prints_headers_attachments_and_body(void **state)
{
    tool_run r;
    TOOL(&r, "--store", store_path, "show", "Inbox:3");
    assert_exit(&r, 0);
    assert_contains(r.out, "Subject     Budget 2027\n");
    assert_contains(r.out, "From        Alice\n");
    assert_contains(r.out, "To          Dave\n");
    assert_contains(r.out, "Attachment  0: report.txt (");
    assert_contains(r.out, "Body of the message.");

    /* the same message by its entry ID */
    TOOL(&r, "--store", store_path, "ls", "--columns", "id", "--sort", "date", "-n", "1");
    char id[256];
    assert_int_equal(sscanf(r.out, "%*d %255s", id), 1);
    TOOL(&r, "--store", store_path, "--json", "show", id);
    assert_exit(&r, 0);
    assert_contains(r.out, "\"Subject\":\"Budget 2027\"");
    assert_contains(r.out, "\"name\":\"report.txt\"");
}

static void save_attachment_writes_the_file_and_never_overwrites(void **state)
{
    char dir[700];
    snprintf(dir, sizeof dir, "%s/attachments", fm_test_tmpdir());
    mkdir(dir, 0700);
    tool_run r;
    TOOL(&r, "--store", store_path, "save-attachment", "-o", dir, "Inbox:3");
    assert_exit(&r, 0);
    char file[800];
    snprintf(file, sizeof file, "%s/report.txt", dir);
    FILE *f = fopen(file, "r");
    assert_non_null(f);
    char content[64] = "";
    assert_non_null(fgets(content, sizeof content, f));
    fclose(f);
    assert_string_equal(content, "hello attachment");
    TOOL(&r, "--store", store_path, "save-attachment", "-o", dir, "Inbox:3");
    assert_exit(&r, 1);
    assert_contains(r.err, "File exists");
    TOOL(&r, "--store", store_path, "save-attachment", "-o", dir, "Inbox:2");
    assert_exit(&r, 3); /* no attachment there */
}

static void mkdir_makes_folders_and_refuses_a_duplicate(void **state)
{
    tool_run r;
    TOOL(&r, "--store", store_path, "mkdir", "Inbox/Projects");
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "mkdir", "inbox/PROJECTS");
    assert_exit(&r, 1);
    assert_contains(r.err, "MAPI_E_COLLISION");
    TOOL(&r, "--store", store_path, "mkdir", "-p", "Archive/2026/March");
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "mkdir", "Nowhere/Child");
    assert_exit(&r, 3);
    TOOL(&r, "--store", store_path, "--json", "folders");
    assert_contains(r.out, "\"path\":\"Inbox/Projects\"");
    assert_contains(r.out, "\"path\":\"Archive/2026/March\",\"name\":\"March\",\"depth\":2");
}

static void stats_counts_the_mailbox(void **state)
{
    tool_run r;
    TOOL(&r, "--store", store_path, "stats");
    assert_exit(&r, 0);
    assert_contains(r.out, "messages           3 (2 unread, 0 associated)");
    assert_contains(r.out, "soft-deleted       0 messages, 0 bytes");
    assert_contains(r.out, "stream files       0, 0 bytes");
    TOOL(&r, "--store", store_path, "--json", "stats");
    assert_contains(r.out, "\"messages\":3,\"unread\":2");
    assert_contains(r.out, "\"live_bytes\":");
    /* the store's own count agrees with the folders' */
    assert_contains(r.out, "\"messages\":3,\"message_bytes\":");
}

static void every_command_has_help_and_bad_usage_exits_2(void **state)
{
    tool_run r;
    TOOL(&r, "--help");
    assert_exit(&r, 0);
    const char *commands[] = { "folders", "ls", "show", "save-attachment", "mkdir", "rmdir",
                               "stats" };
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        assert_contains(r.out, commands[i]);
        tool_run h;
        TOOL(&h, commands[i], "--help");
        assert_exit(&h, 0);
        assert_contains(h.out, "usage: mapi ");
        assert_contains(h.out, commands[i]);
    }
    TOOL(&r, "no-such-command");
    assert_exit(&r, 2);
    TOOL(&r, "--bogus");
    assert_exit(&r, 2);
    TOOL(&r, "--store", store_path, "ls", "--bogus");
    assert_exit(&r, 2);
    TOOL(&r, "--store", store_path, "ls", "--since", "yesterday");
    assert_exit(&r, 2);
    TOOL(&r, "--store", store_path, "ls", "--columns", "nonsense");
    assert_exit(&r, 2);
    TOOL(&r, "--store", store_path, "ls", "No Such Folder");
    assert_exit(&r, 3);
    assert_contains(r.err, "MAPI_E_NOT_FOUND");
    TOOL(&r, "--store", store_path, "show", "not-a-reference");
    assert_exit(&r, 2);
    TOOL(&r, "--store", store_path, "show", "Inbox:9");
    assert_exit(&r, 3);
    TOOL(&r, NULL);
    assert_exit(&r, 2);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folders_shows_the_tree_with_counts),
        cmocka_unit_test(ls_lists_newest_first_and_numbers_the_rows),
        cmocka_unit_test(ls_filters_sorts_and_limits),
        cmocka_unit_test(ls_json_gives_the_chosen_columns),
        cmocka_unit_test(show_prints_headers_attachments_and_body),
        cmocka_unit_test(save_attachment_writes_the_file_and_never_overwrites),
        cmocka_unit_test(mkdir_makes_folders_and_refuses_a_duplicate),
        cmocka_unit_test(stats_counts_the_mailbox),
        cmocka_unit_test(every_command_has_help_and_bad_usage_exits_2),
    };
    return cmocka_run_group_tests(tests, build_mailbox, NULL);
}
