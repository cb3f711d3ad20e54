/*
 * tests/tools/test_mapi_mime.c - what the `mapi` binary shows and keeps of
 * Internet mail: `ls` and `show` name the author of a message by its From:
 * field (PR_SENT_REPRESENTING_*, [MS-OXCMAIL] 2.2.3.2.1), not by its
 * Sender: (PR_SENDER_*: a mailing list, a delegate), `ls --from` filters on
 * From:, and both are shown where they differ; a Maildir's marks, modified
 * UTF-7 folder names and empty folders come in and go out again; repairs
 * are reported as warnings.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tool_fixture.h"

static char store_path[600];

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A list message (From: the author, Sender: the list) and a direct one. */
static int build_mailbox(void **state)
{
    (void)state;
    snprintf(store_path, sizeof store_path, "%s", fx_store_path("sender"));
    char list[700], direct[700];
    snprintf(list, sizeof list, "%s/list.eml", fm_test_tmpdir());
    snprintf(direct, sizeof direct, "%s/direct.eml", fm_test_tmpdir());
    write_text(list, "From: Alice Author <alice@example.org>\n"
                     "Sender: Owner of Devs <devs-owner@lists.example.net>\n"
                     "To: devs@lists.example.net\n"
                     "Subject: a list post\n"
                     "Date: Mon, 6 Jan 2025 09:00:00 +0000\n"
                     "\n"
                     "posted to the list\n");
    write_text(direct, "From: Bob Direct <bob@example.org>\n"
                       "To: carol@example.org\n"
                       "Subject: a direct note\n"
                       "Date: Mon, 6 Jan 2025 10:00:00 +0000\n"
                       "\n"
                       "just for you\n");
    tool_run r;
    TOOL(&r, "--store", store_path, "import", list, direct);
    assert_exit(&r, 0);
    return 0;
}

static void ls_shows_from_not_the_list_sender(void **state)
{
    (void)state;
    tool_run r;
    TOOL(&r, "--store", store_path, "ls", "--sort", "subject", "--columns",
         "from,from-address,subject");
    assert_exit(&r, 0);
    assert_contains(r.out, "Alice Author");
    assert_contains(r.out, "alice@example.org");
    assert_not_contains(r.out, "Owner of Devs");
    assert_not_contains(r.out, "devs-owner");

    TOOL(&r, "--store", store_path, "ls", "--columns", "sender,sender-address,subject",
         "--subject", "list post");
    assert_exit(&r, 0);
    assert_contains(r.out, "Owner of Devs");
    assert_contains(r.out, "devs-owner@lists.example.net");

    TOOL(&r, "--store", store_path, "--json", "ls", "--columns", "from,sender", "--subject",
         "list post");
    assert_exit(&r, 0);
    assert_contains(r.out, "\"from\":\"Alice Author\",\"sender\":\"Owner of Devs\"");
}

static void ls_from_filters_on_from(void **state)
{
    (void)state;
    tool_run r;
    TOOL(&r, "--store", store_path, "ls", "--columns", "subject", "--from", "devs-owner");
    assert_exit(&r, 0);
    assert_string_equal(r.out, ""); /* the list is only the Sender */
    TOOL(&r, "--store", store_path, "ls", "--columns", "subject", "--from", "ALICE@example");
    assert_exit(&r, 0);
    assert_contains(r.out, "a list post");
    assert_not_contains(r.out, "a direct note");
    TOOL(&r, "--store", store_path, "ls", "--columns", "subject", "--from", "Bob Direct");
    assert_contains(r.out, "a direct note");
    assert_not_contains(r.out, "a list post");
}

static void show_gives_both_where_they_differ(void **state)
{
    (void)state;
    tool_run r;
    TOOL(&r, "--store", store_path, "ls", "--sort", "subject", "--columns", "subject");
    assert_contains(r.out, "    1  a direct note\n");
    TOOL(&r, "--store", store_path, "show", "Inbox:2");
    assert_exit(&r, 0);
    assert_contains(r.out, "From        Alice Author\n");
    assert_contains(r.out, "Address     alice@example.org\n");
    assert_contains(r.out, "Sender      Owner of Devs\n");
    assert_contains(r.out, "devs-owner@lists.example.net\n");
    TOOL(&r, "--store", store_path, "--json", "show", "Inbox:2");
    assert_exit(&r, 0);
    assert_contains(r.out, "\"From\":\"Alice Author\",\"Address\":\"alice@example.org\","
                           "\"Sender\":\"Owner of Devs\"");

    TOOL(&r, "--store", store_path, "show", "Inbox:1");
    assert_exit(&r, 0);
    assert_contains(r.out, "From        Bob Direct\n");
    assert_not_contains(r.out, "Sender"); /* the same as From */
}

static void mkdirs(const char *root, const char *sub)
{
    char path[900];
    snprintf(path, sizeof path, "%s/%s", root, sub);
    mkdir(path, 0700);
    const char *parts[] = { "cur", "new", "tmp" };
    for (int i = 0; i < 3; i++) {
        char d[1000];
        snprintf(d, sizeof d, "%s/%s", path, parts[i]);
        mkdir(d, 0700);
    }
}

/* The name, in dir, of the one file starting with prefix (or ""). */
static void find_file(const char *dir, const char *prefix, char *out, size_t cap)
{
    out[0] = '\0';
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            snprintf(out, cap, "%s", e->d_name);
    }
    closedir(d);
}

/* The subject of each exported file of dir, with the marks in its name. */
static void marks_of(const char *dir, const char *subject, char *out, size_t cap)
{
    out[0] = '\0';
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[1200], text[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        size_t n = fread(text, 1, sizeof text - 1, f);
        fclose(f);
        text[n] = '\0';
        if (strstr(text, subject) != NULL) {
            const char *info = strstr(e->d_name, ":2,");
            snprintf(out, cap, "%s", info ? info + 3 : "(none)");
        }
    }
    closedir(d);
}

/* Maildir marks, a modified UTF-7 folder and an empty one, in and out. */
static void maildir_marks_and_folders_come_in_and_go_out(void **state)
{
    (void)state;
    char md[700], path[900];
    snprintf(md, sizeof md, "%s/marks-in", fm_test_tmpdir());
    mkdirs(md, "");
    mkdirs(md, ".Entw&APw-rfe");
    mkdirs(md, ".Leer");
    static const struct {
        const char *file, *subject;
    } FILES[] = {
        { "cur/1.a:2,FRS", "Subject: flagged and answered" },
        { "cur/2.b:2,ST", "Subject: trashed" },
        { "cur/3.c:2,PS", "Subject: forwarded" },
        { "new/4.d", "Subject: unread" },
        { ".Entw&APw-rfe/cur/5.e:2,DS", "Subject: a draft\nX-Unsent: 1" },
    };
    for (size_t i = 0; i < sizeof FILES / sizeof *FILES; i++) {
        snprintf(path, sizeof path, "%s/%s", md, FILES[i].file);
        char text[256];
        snprintf(text, sizeof text, "From: a@example.org\n%s\n\nbody\n", FILES[i].subject);
        write_text(path, text);
    }
    char store[600];
    snprintf(store, sizeof store, "%s", fx_store_path("marks"));
    tool_run r;
    TOOL(&r, "--store", store, "import", md);
    assert_exit(&r, 0);
    TOOL(&r, "--store", store, "folders");
    assert_contains(r.out, "Entwürfe");
    assert_contains(r.out, "Leer");
    assert_not_contains(r.out, "&APw-");

    char out[700];
    snprintf(out, sizeof out, "%s/marks-out", fm_test_tmpdir());
    TOOL(&r, "--store", store, "export", "--format", "maildir", "-r", out);
    assert_exit(&r, 0);
    char cur[800], marks[64];
    snprintf(cur, sizeof cur, "%s/cur", out);
    marks_of(cur, "flagged and answered", marks, sizeof marks);
    assert_string_equal(marks, "FRS");
    marks_of(cur, "Subject: trashed", marks, sizeof marks);
    assert_string_equal(marks, "ST"); /* trashed mail stays trashed */
    marks_of(cur, "forwarded", marks, sizeof marks);
    assert_string_equal(marks, "PS");
    snprintf(cur, sizeof cur, "%s/new", out);
    marks_of(cur, "unread", marks, sizeof marks);
    assert_string_equal(marks, "(none)");
    snprintf(cur, sizeof cur, "%s/.Entw&APw-rfe/cur", out);
    marks_of(cur, "a draft", marks, sizeof marks);
    assert_string_equal(marks, "DS");
    struct stat st;
    snprintf(cur, sizeof cur, "%s/.Leer/cur", out);
    assert_int_equal(stat(cur, &st), 0); /* the empty folder too */
    char name[300];
    find_file(out, ".Entw", name, sizeof name);
    assert_string_equal(name, ".Entw&APw-rfe");
}

/* What the import had to repair is said, with where. */
static void import_reports_repairs_as_warnings(void **state)
{
    (void)state;
    char eml[700];
    snprintf(eml, sizeof eml, "%s/broken.eml", fm_test_tmpdir());
    write_text(eml, "From: a@example.org\nSubject: broken\nMIME-Version: 1.0\n"
                    "Content-Type: multipart/alternative;\n\nonly a text line\n");
    char store[600];
    snprintf(store, sizeof store, "%s", fx_store_path("warnings"));
    tool_run r;
    TOOL(&r, "--store", store, "import", eml);
    assert_exit(&r, 0);
    assert_contains(r.err, "broken.eml");
    assert_contains(r.err, "warning:");
    assert_contains(r.err, "boundary");
    TOOL(&r, "--store", store, "show", "Inbox:1");
    assert_contains(r.out, "only a text line");
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ls_shows_from_not_the_list_sender),
        cmocka_unit_test(ls_from_filters_on_from),
        cmocka_unit_test(show_gives_both_where_they_differ),
        cmocka_unit_test(maildir_marks_and_folders_come_in_and_go_out),
        cmocka_unit_test(import_reports_repairs_as_warnings),
    };
    return cmocka_run_group_tests(tests, build_mailbox, NULL);
}
