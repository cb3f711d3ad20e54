/*
 * tests/tools/test_mapi_mail.c - the `mapi` binary moving mail: import
 * (mbox, Maildir++, .eml files and directories, bad messages skipped with
 * their position), export (mbox, Maildir, .eml) and round trips, rm, mv,
 * cp, empty, purge, rmdir, and Ctrl-C during an import.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void fresh_store(const char *name)
{
    snprintf(store_path, sizeof store_path, "%s", fx_store_path(name));
}

/* Three messages, one of them empty (not a message at all), and a body
 * line that starts with "From " as mboxrd escapes it. */
static const char MBOX[] =
    "From alice@example.org Mon Jan  6 09:00:00 2025\n"
    "From: Alice <alice@example.org>\n"
    "Subject: First\n"
    "Date: Mon, 6 Jan 2025 09:00:00 +0000\n"
    "\n"
    ">From the start, this line was escaped.\n"
    "\n"
    "From nobody Mon Jan  6 09:30:00 2025\n"
    "\n"
    "From bob@example.org Mon Jan  6 10:00:00 2025\n"
    "From: Bob <bob@example.org>\n"
    "Subject: =?utf-8?q?Second_=C3=A9t=C3=A9?=\n"
    "Date: Mon, 6 Jan 2025 10:00:00 +0000\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=b\n"
    "\n"
    "--b\n"
    "Content-Type: text/plain\n"
    "\n"
    "see attached\n"
    "--b\n"
    "Content-Type: application/octet-stream; name=data.bin\n"
    "Content-Disposition: attachment; filename=data.bin\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "AAECAwQ=\n"
    "--b--\n";

static int count_lines(const char *text)
{
    int n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

static void an_mbox_imports_and_a_bad_message_is_reported_and_skipped(void **state)
{
    fresh_store("mail-mbox");
    const char *mbox = tmp("in.mbox");
    write_text(mbox, MBOX);
    tool_run r;
    TOOL(&r, "--store", store_path, "import", mbox);
    assert_exit(&r, 4); /* done, one skipped */
    char at[64];
    snprintf(at, sizeof at, "(message at byte %d)", (int)(strstr(MBOX, "From nobody") - MBOX));
    assert_contains(r.err, at);
    assert_contains(r.err, "MAPI_E_CORRUPT_DATA");
    assert_contains(r.err, "2 imported, 1 skipped");
    TOOL(&r, "--store", store_path, "ls", "--columns", "subject,flags");
    assert_int_equal(count_lines(r.out), 2);
    assert_contains(r.out, "Second été  N@"); /* unread, with its attachment */
    TOOL(&r, "--store", store_path, "show", "Inbox:2");
    assert_contains(r.out, "From the start, this line was escaped.");
    assert_not_contains(r.out, ">From the start");
}

static void maildir_trees_and_eml_files_import_into_folders(void **state)
{
    fresh_store("mail-maildir");
    const char *md = tmp("maildir");
    char path[800];
    const char *dirs[] = { "", "/cur", "/new", "/tmp", "/.Work", "/.Work/cur", "/.Work/new",
                           "/.Work/tmp", "/.Work.Old", "/.Work.Old/cur", "/.Work.Old/new",
                           "/.Work.Old/tmp" };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        snprintf(path, sizeof path, "%s%s", md, dirs[i]);
        mkdir(path, 0700);
    }
    snprintf(path, sizeof path, "%s/cur/1.host:2,S", md);
    write_text(path, "Subject: read one\n\nbody\n");
    snprintf(path, sizeof path, "%s/new/2.host", md);
    write_text(path, "Subject: new one\n\nbody\n");
    snprintf(path, sizeof path, "%s/.Work/new/3.host", md);
    write_text(path, "Subject: work item\n\nbody\n");
    snprintf(path, sizeof path, "%s/.Work.Old/cur/4.host:2,S", md);
    write_text(path, "Subject: old work\n\nbody\n");
    tool_run r;
    TOOL(&r, "--store", store_path, "mkdir", "Imported");
    TOOL(&r, "--store", store_path, "import", "-f", "Imported", md);
    assert_exit(&r, 0);
    assert_contains(r.err, "4 imported, 0 skipped");
    TOOL(&r, "--store", store_path, "--json", "folders");
    assert_contains(r.out, "{\"path\":\"Imported\",\"name\":\"Imported\",\"depth\":0,"
                           "\"messages\":2,\"unread\":1}");
    assert_contains(r.out, "\"path\":\"Imported/Work\",\"name\":\"Work\",\"depth\":1,"
                           "\"messages\":1,\"unread\":1}");
    assert_contains(r.out, "\"path\":\"Imported/Work/Old\",\"name\":\"Old\",\"depth\":2,"
                           "\"messages\":1,\"unread\":0}");

    /* single .eml files and a directory of them */
    const char *emls = tmp("emls");
    mkdir(emls, 0700);
    snprintf(path, sizeof path, "%s/a.eml", emls);
    write_text(path, "Subject: from a directory\n\nbody\n");
    snprintf(path, sizeof path, "%s/ignored.txt", emls);
    write_text(path, "Subject: not an eml\n\nbody\n");
    const char *one = tmp("one.eml");
    write_text(one, "Subject: a single file\n\nbody\n");
    TOOL(&r, "--store", store_path, "import", emls, one);
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "ls", "--columns", "subject");
    assert_contains(r.out, "from a directory");
    assert_contains(r.out, "a single file");
    assert_not_contains(r.out, "not an eml");
    TOOL(&r, "--store", store_path, "import", tmp("missing.eml"));
    assert_exit(&r, 3);

    /* a large .eml is streamed from the file, its body whole */
    const char *big = tmp("big.eml");
    FILE *f = fopen(big, "w");
    assert_non_null(f);
    fputs("Subject: a large file\nContent-Type: text/plain; charset=utf-8\n\n", f);
    for (int i = 0; i < 20000; i++)
        fprintf(f, "line %05d of a long text\n", i);
    fclose(f);
    fresh_store("mail-big-eml");
    TOOL(&r, "--store", store_path, "import", big);
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "show", "Inbox:1");
    assert_exit(&r, 0);
    assert_contains(r.out, "line 00000 of a long text");
    const char *back = tmp("big-back");
    TOOL(&r, "--store", store_path, "export", "--format", "eml", back, "Inbox:1");
    assert_exit(&r, 0);
    snprintf(path, sizeof path, "%s/000001.eml", back);
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, in);
    fclose(in);
    text[n] = '\0';
    assert_non_null(strstr(text, "\r\n\r\nline 00000 of a long text\r\n"));
    assert_non_null(strstr(text, "\r\nline 19999 of a long text"));
}

/* Imports mbox into the store and checks the three messages' states: a
 * draft (unsent, unread), received mail (unread), and a read message. */
static void import_and_check_states(const char *mbox)
{
    tool_run r;
    TOOL(&r, "--store", store_path, "import", mbox);
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "--json", "ls", "--columns", "subject,flags", "--sort",
         "subject");
    assert_contains(r.out, "{\"n\":1,\"subject\":\"draft\",\"flags\":8}");
    assert_contains(r.out, "{\"n\":2,\"subject\":\"received\",\"flags\":0}");
    assert_contains(r.out, "{\"n\":3,\"subject\":\"seen\",\"flags\":1}");
}

/* Imported mail is received mail, not drafts; a draft (X-Unsent: 1) stays
 * one, and exporting writes X-Unsent: 1 back for it alone. An mbox Status
 * field with R marks a message read, and the export writes the state back
 * the same way. */
static void received_mail_is_not_a_draft_and_drafts_round_trip(void **state)
{
    fresh_store("mail-drafts");
    const char *mbox = tmp("drafts.mbox");
    write_text(mbox, "From a Mon Jan  6 09:00:00 2025\nSubject: received\n\nbody\n\n"
                     "From b Mon Jan  6 10:00:00 2025\nSubject: draft\nX-Unsent: 1\n\nbody\n\n"
                     "From c Mon Jan  6 11:00:00 2025\nSubject: seen\nStatus: RO\n\nbody\n");
    import_and_check_states(mbox);
    const char *out = tmp("drafts-out.mbox");
    unlink(out);
    tool_run r;
    TOOL(&r, "--store", store_path, "export", out);
    assert_exit(&r, 0);
    fresh_store("mail-drafts-back");
    import_and_check_states(out);
    /* what the export wrote: one Status field each, as the state is now */
    FILE *f = fopen(out, "r");
    assert_non_null(f);
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    assert_non_null(strstr(text, "Subject: seen\nStatus: RO\n"));
    assert_null(strstr(strstr(text, "Status: RO") + 1, "Status: RO"));
    assert_non_null(strstr(text, "Subject: draft\nX-Unsent: 1\nStatus: O\n"));
}

static void export_writes_mbox_maildir_and_eml_that_import_back(void **state)
{
    fresh_store("mail-export");
    const char *mbox = tmp("exp-in.mbox");
    write_text(mbox, MBOX);
    tool_run r;
    TOOL(&r, "--store", store_path, "import", mbox);

    const char *out = tmp("out.mbox");
    TOOL(&r, "--store", store_path, "export", out);
    assert_exit(&r, 0);
    assert_contains(r.err, "2 exported, 0 failed");
    char copy[600];
    snprintf(copy, sizeof copy, "%s", store_path);
    fresh_store("mail-export-back");
    TOOL(&r, "--store", store_path, "import", out);
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "ls", "--columns", "subject,attach", "--sort", "subject");
    assert_contains(r.out, "First");
    assert_contains(r.out, "Second été  yes");

    const char *md = tmp("out-maildir");
    TOOL(&r, "--store", copy, "export", "--format", "maildir", md);
    assert_exit(&r, 0);
    char path[800];
    snprintf(path, sizeof path, "%s/new", md);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);

    const char *dir = tmp("out-eml");
    TOOL(&r, "--store", copy, "export", "--format", "eml", dir, "Inbox:1");
    assert_exit(&r, 0);
    snprintf(path, sizeof path, "%s/000001.eml", dir);
    assert_int_equal(stat(path, &st), 0);
    TOOL(&r, "--store", copy, "export", "--format", "zip", dir);
    assert_exit(&r, 2);
}

/* export --recursive writes a folder tree as Maildir++, which import reads
 * back as the same tree; a folder with a '.' in its name has no Maildir++
 * name and is reported and left out (exit 4). */
static void a_folder_tree_exports_as_maildir_plus_plus_and_imports_back(void **state)
{
    fresh_store("mail-tree");
    const char *mbox = tmp("tree.mbox");
    write_text(mbox, MBOX);
    tool_run r;
    TOOL(&r, "--store", store_path, "import", mbox);
    TOOL(&r, "--store", store_path, "mkdir", "-p", "Inbox/Work/Old");
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "mkdir", "Inbox/v1.0");
    TOOL(&r, "--store", store_path, "cp", "Inbox:1", "Inbox/Work");
    TOOL(&r, "--store", store_path, "cp", "Inbox:2", "Inbox/Work/Old");
    TOOL(&r, "--store", store_path, "cp", "Inbox:1", "Inbox/v1.0");
    assert_exit(&r, 0);
    const char *md = tmp("tree-maildir");
    TOOL(&r, "--store", store_path, "export", "--format", "maildir", "-r", md);
    assert_exit(&r, 4);
    assert_contains(r.err, "folder \"v1.0\" has no Maildir++ name");
    assert_contains(r.err, "4 exported, 0 failed"); /* 2 in Inbox, 1 in Work, 1 in Old */
    char path[800];
    struct stat st;
    snprintf(path, sizeof path, "%s/.Work.Old/new", md);
    assert_int_equal(stat(path, &st), 0);
    TOOL(&r, "--store", store_path, "export", "-r", tmp("tree.mbox.out"));
    assert_exit(&r, 2);
    TOOL(&r, "--store", store_path, "export", "--format", "maildir", "-r", md, "Inbox:1");
    assert_exit(&r, 2);

    fresh_store("mail-tree-back");
    TOOL(&r, "--store", store_path, "mkdir", "Back");
    TOOL(&r, "--store", store_path, "import", "-f", "Back", md);
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "--json", "folders");
    assert_contains(r.out, "{\"path\":\"Back\",\"name\":\"Back\",\"depth\":0,\"messages\":2,");
    assert_contains(r.out, "{\"path\":\"Back/Work\",\"name\":\"Work\",\"depth\":1,\"messages\":1,");
    assert_contains(r.out, "{\"path\":\"Back/Work/Old\",\"name\":\"Old\",\"depth\":2,"
                           "\"messages\":1,");
}

static void rm_mv_cp_empty_purge_and_rmdir_change_the_mailbox(void **state)
{
    fresh_store("mail-bulk");
    const char *mbox = tmp("bulk.mbox");
    write_text(mbox, MBOX);
    tool_run r;
    TOOL(&r, "--store", store_path, "import", mbox);
    TOOL(&r, "--store", store_path, "import", mbox);
    TOOL(&r, "--store", store_path, "mkdir", "Keep");
    TOOL(&r, "--store", store_path, "mv", "Inbox:1", "Keep");
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "cp", "Inbox:1", "Inbox:2", "Keep");
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "--json", "folders");
    assert_contains(r.out, "\"path\":\"Inbox\",\"name\":\"Inbox\",\"depth\":0,\"messages\":3");
    assert_contains(r.out, "\"path\":\"Keep\",\"name\":\"Keep\",\"depth\":0,\"messages\":3");

    TOOL(&r, "--store", store_path, "rm", "Inbox:1");
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "rm", "--hard", "Inbox:1");
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "ls");
    assert_int_equal(count_lines(r.out), 1);
    TOOL(&r, "--store", store_path, "rm", "Inbox:7");
    assert_exit(&r, 3);

    TOOL(&r, "--store", store_path, "rmdir", "Keep");
    assert_exit(&r, 1);
    assert_contains(r.err, "not empty");
    TOOL(&r, "--store", store_path, "empty", "Keep");
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "ls", "Keep");
    assert_int_equal(count_lines(r.out), 0);
    TOOL(&r, "--store", store_path, "rmdir", "Keep");
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "ls", "Keep");
    assert_exit(&r, 3);

    /* the soft-deleted ones (1 rm + 3 emptied) are purged; the hard one
     * was gone already */
    TOOL(&r, "--store", store_path, "--json", "purge");
    assert_exit(&r, 0);
    assert_contains(r.out, "{\"purged\":4}");
    TOOL(&r, "--store", store_path, "--json", "purge", "--older-than", "30");
    assert_contains(r.out, "{\"purged\":0}");
    TOOL(&r, "--store", store_path, "mkdir", "-p", "A/B");
    TOOL(&r, "--store", store_path, "rmdir", "-r", "A");
    assert_exit(&r, 0);
}

/* Ctrl-C while an mbox streams in through a pipe: the tool stops after the
 * group in hand, keeps what it imported, and exits 130. */
static void ctrl_c_stops_an_import_keeping_what_was_imported(void **state)
{
    fresh_store("mail-cancel");
    const char *fifo = tmp("cancel.fifo");
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    const char *bin = tool_binary();
    int out[2], err[2];
    assert_int_equal(pipe(out), 0);
    assert_int_equal(pipe(err), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(out[0]);
        close(err[0]);
        execl(bin, "mapi", "--store", store_path, "import", "--format", "mbox", fifo,
              (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    FILE *w = fopen(fifo, "w");
    assert_non_null(w);
    for (int i = 0; i < 150; i++)
        fprintf(w, "From x Mon Jan  6 09:00:00 2025\nSubject: m%d\n\nbody\n\n", i);
    fflush(w);
    /* the first group of 100 is saved once the 101st message is read */
    usleep(300000);
    kill(pid, SIGINT);
    for (int i = 150; i < 400; i++)
        fprintf(w, "From x Mon Jan  6 09:00:00 2025\nSubject: m%d\n\nbody\n\n", i);
    fclose(w);
    tool_run r;
    tool_drain(out[0], err[0], &r);
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 130);
    long n = fx_count(store_path, "SELECT count(*) FROM messages WHERE deleted_at IS NULL");
    assert_true(n >= 100 && n < 400);
    assert_int_equal(n % 100, 0); /* whole groups only */
    unlink(fifo);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_mbox_imports_and_a_bad_message_is_reported_and_skipped),
        cmocka_unit_test(maildir_trees_and_eml_files_import_into_folders),
        cmocka_unit_test(export_writes_mbox_maildir_and_eml_that_import_back),
        cmocka_unit_test(received_mail_is_not_a_draft_and_drafts_round_trip),
        cmocka_unit_test(a_folder_tree_exports_as_maildir_plus_plus_and_imports_back),
        cmocka_unit_test(rm_mv_cp_empty_purge_and_rmdir_change_the_mailbox),
        cmocka_unit_test(ctrl_c_stops_an_import_keeping_what_was_imported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
