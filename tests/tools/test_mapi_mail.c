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
    TOOL(&r, "--store", store_path, "import", "--duplicates", "import", mbox);
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

/* The entry IDs of folder's messages as ls numbers them (newest first). */
static int entry_ids(const char *folder, char ids[][200], int max)
{
    tool_run r;
    TOOL(&r, "--store", store_path, "ls", "--columns", "id", folder);
    assert_exit(&r, 0);
    int n = 0;
    for (const char *p = r.out; n < max && sscanf(p, "%*d %199s", ids[n]) == 1; n++) {
        p = strchr(p, '\n');
        if (p == NULL)
            break;
        p++;
    }
    return n;
}

/* Issue 14, item 7: a re-run of an interrupted rm (or mv) finishes the job:
 * what is gone already is reported and skipped, the rest is done. */
static void rm_and_mv_run_again_skip_what_is_done(void **state)
{
    fresh_store("mail-rerun");
    const char *mbox = tmp("rerun.mbox");
    FILE *f = fopen(mbox, "w");
    assert_non_null(f);
    for (int i = 0; i < 6; i++)
        fprintf(f, "From x Mon Jan  6 09:%02d:00 2025\nSubject: m%d\nDate: Mon, 6 Jan 2025 "
                   "09:%02d:00 +0000\n\nbody\n\n", i, i, i);
    fclose(f);
    tool_run r;
    TOOL(&r, "--store", store_path, "import", mbox);
    assert_exit(&r, 0);
    char ids[6][200];
    assert_int_equal(entry_ids("Inbox", ids, 6), 6);
    /* an interrupted run deleted the first one */
    TOOL(&r, "--store", store_path, "rm", ids[0]);
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "rm", ids[0], ids[1], ids[2]);
    assert_exit(&r, 4);
    assert_contains(r.err, "gone already");
    assert_contains(r.err, "rm: 2 messages");
    TOOL(&r, "--store", store_path, "rm", "--hard", ids[0], ids[1]);
    assert_exit(&r, 3); /* none of them was there */
    TOOL(&r, "--store", store_path, "ls", "Inbox");
    assert_int_equal(count_lines(r.out), 3);
    /* a move run twice */
    TOOL(&r, "--store", store_path, "mkdir", "Moved");
    TOOL(&r, "--store", store_path, "mv", ids[3], "Moved");
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "mv", ids[3], ids[4], "Moved");
    assert_exit(&r, 4);
    assert_contains(r.err, "already in that folder");
    TOOL(&r, "--store", store_path, "ls", "Moved");
    assert_int_equal(count_lines(r.out), 2);
    TOOL(&r, "--store", store_path, "ls", "Inbox");
    assert_int_equal(count_lines(r.out), 1);
}

/* Issue 14, item 21: empty printed the folder's own count; it says what
 * went, subfolders and their messages included. */
static void empty_reports_what_it_deleted(void **state)
{
    fresh_store("mail-empty-count");
    const char *mbox = tmp("empty-count.mbox");
    write_text(mbox, MBOX);
    tool_run r;
    TOOL(&r, "--store", store_path, "mkdir", "-p", "Box/Sub/Deeper");
    TOOL(&r, "--store", store_path, "import", "-f", "Box", mbox);
    TOOL(&r, "--store", store_path, "import", "-f", "Box/Sub", mbox);
    TOOL(&r, "--store", store_path, "import", "-f", "Box/Sub/Deeper", mbox);
    TOOL(&r, "--store", store_path, "empty", "Box");
    assert_exit(&r, 0);
    assert_contains(r.err, "empty: 6 messages and 2 folders deleted");
    TOOL(&r, "--store", store_path, "empty", "Box");
    assert_exit(&r, 0);
    assert_contains(r.err, "empty: 0 messages and 0 folders deleted");
}

/* Issue 14, item 21: commands that only read open the store read-only, so a
 * store in a directory they cannot write is read all the same; writers get
 * MAPI_E_NO_ACCESS saying why. */
static void a_store_in_a_directory_it_cannot_write_is_read(void **state)
{
    const char *dir = tmp("read-only-dir");
    char cmd[800];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(store_path, sizeof store_path, "%s/mail.fmstore", dir);
    const char *mbox = tmp("read-only.mbox");
    write_text(mbox, MBOX);
    tool_run r;
    TOOL(&r, "--store", store_path, "import", mbox);
    assert_exit(&r, 4);
    const char *out = tmp("read-only-export.mbox");
    unlink(out);
    const char *att = tmp("read-only-attachments");
    mkdir(att, 0700);
    tool_set_writable(dir, false);
    TOOL(&r, "--store", store_path, "ls");
    int ls_code = r.code;
    TOOL(&r, "--store", store_path, "folders");
    int folders_code = r.code;
    TOOL(&r, "--store", store_path, "show", "Inbox:1");
    int show_code = r.code;
    bool shown = strstr(r.out, "see attached") != NULL;
    TOOL(&r, "--store", store_path, "save-attachment", "-o", att, "Inbox:1");
    int save_code = r.code;
    TOOL(&r, "--store", store_path, "export", out);
    int export_code = r.code;
    TOOL(&r, "--store", store_path, "stats");
    int stats_code = r.code;
    TOOL(&r, "--store", store_path, "rm", "Inbox:1");
    int rm_code = r.code;
    static char rm_err[sizeof r.err];
    snprintf(rm_err, sizeof rm_err, "%s", r.err);
    tool_set_writable(dir, true);
    assert_int_equal(ls_code, 0);
    assert_int_equal(folders_code, 0);
    assert_int_equal(show_code, 0);
    assert_true(shown);
    assert_int_equal(save_code, 0);
    assert_int_equal(export_code, 0);
    assert_int_equal(stats_code, 0);
    assert_int_equal(rm_code, 1);
    assert_contains(rm_err, "MAPI_E_NO_ACCESS");
    assert_contains(rm_err, "cannot be written");
    /* a read never creates the store it names */
    const char *missing = tmp("never-made.fmstore");
    unlink(missing);
    TOOL(&r, "--store", missing, "ls");
    assert_exit(&r, 3);
    struct stat st;
    assert_int_not_equal(stat(missing, &st), 0);
}

/* Many FOLDER:N references, in any order and repeated, name the messages
 * ls numbers so, all resolved before anything changes. */
static void many_positional_references_name_the_right_messages(void **state)
{
    fresh_store("mail-positions");
    const char *mbox = tmp("positions.mbox");
    FILE *f = fopen(mbox, "w");
    assert_non_null(f);
    for (int i = 0; i < 300; i++)
        fprintf(f, "From x Mon Jan  6 09:00:00 2025\nSubject: s%03d\nDate: Mon, 6 Jan 2025 "
                   "%02d:%02d:00 +0000\n\nbody\n\n", i, i / 60, i % 60);
    fclose(f);
    tool_run r;
    TOOL(&r, "--store", store_path, "import", mbox);
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "mkdir", "Picked");
    /* every 7th position from the end backwards, one twice, one past the end */
    const char *args[64] = { "--store", store_path, "cp" };
    char refs[48][32];
    int n = 3, k = 0;
    for (int pos = 295; pos > 0 && k < 44; pos -= 7, k++) {
        snprintf(refs[k], sizeof refs[k], "Inbox:%d", pos);
        args[n++] = refs[k];
    }
    args[n++] = "Inbox:295";
    args[n++] = "Inbox:301";
    args[n++] = "Picked";
    args[n] = NULL;
    tool_run_argv(&r, NULL, args);
    assert_exit(&r, 4); /* Inbox:301 is not there */
    assert_contains(r.err, "Inbox:301: no such message");
    TOOL(&r, "--store", store_path, "ls", "--columns", "subject", "--sort", "subject", "Picked");
    assert_int_equal(count_lines(r.out), k + 1); /* 295 was copied twice */
    /* position p (newest first, 300 messages) is subject s(300 - p) */
    for (int pos = 295; pos > 0; pos -= 7) {
        char want[16];
        snprintf(want, sizeof want, "s%03d", 300 - pos);
        assert_contains(r.out, want);
    }
    assert_not_contains(r.out, "s006");
}

/* Writes messages first..last-1 of an mbox whose subjects are m<N>. */
static void write_numbered(FILE *f, int first, int last)
{
    for (int i = first; i < last; i++)
        fprintf(f, "From x Mon Jan  6 09:00:00 2025\nSubject: m%d\nMessage-ID: <m%d@test>\n\n"
                   "body %d\n\n", i, i, i);
}

static long live_messages(void)
{
    return tool_count(store_path, "SELECT count(*) FROM messages WHERE deleted_at IS NULL");
}

/* Waits (polling the store) until it holds at least n messages; false if
 * the importer ended first. A bound keeps a broken tool from hanging the
 * test; it asserts nothing about speed. */
static bool wait_for_messages(pid_t pid, long n)
{
    for (int i = 0; i < 6000; i++) {
        if (live_messages() >= n)
            return true;
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid)
            return false;
        usleep(10000);
    }
    return false;
}

/* Ctrl-C while an mbox streams in through a FIFO: the tool stops at the next
 * message, saves the messages in hand, and exits 130; running the import
 * again (from a file holding the whole mbox) imports the rest, each message
 * once. */
static void ctrl_c_stops_an_import_and_a_rerun_finishes_it(void **state)
{
    signal(SIGPIPE, SIG_IGN); /* the FIFO's reader goes away at the Ctrl-C */
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
    write_numbered(w, 0, 150);
    fflush(w);
    /* the first group of 100 is saved once the 101st message is read */
    assert_true(wait_for_messages(pid, 100));
    kill(pid, SIGINT);
    write_numbered(w, 150, 400); /* nobody reads them any more */
    fclose(w);
    tool_run r;
    tool_drain(out[0], err[0], &r);
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 130);
    long n = live_messages();
    assert_true(n >= 100 && n < 150); /* the last one written was never finished */
    assert_int_equal(fx_count(store_path, "SELECT count(DISTINCT subject) FROM messages"),
                     n);
    unlink(fifo);

    const char *whole = tmp("cancel-whole.mbox");
    FILE *f = fopen(whole, "w");
    assert_non_null(f);
    write_numbered(f, 0, 400);
    fclose(f);
    TOOL(&r, "--store", store_path, "import", whole);
    assert_exit(&r, 0);
    char want[64];
    snprintf(want, sizeof want, "%ld imported, 0 skipped, %ld already there", 400 - n, n);
    assert_contains(r.err, want);
    assert_int_equal(live_messages(), 400);
}

/* Issue 14, item 7: an import killed (SIGKILL) half-way, run again, imports
 * each message exactly once: those saved before the kill are recognized
 * by their Message-ID and digest. */
static void a_killed_import_run_again_imports_each_message_once(void **state)
{
    fresh_store("mail-killed-import");
    const char *mbox = tmp("killed.mbox");
    FILE *f = fopen(mbox, "w");
    assert_non_null(f);
    write_numbered(f, 0, 2000);
    fclose(f);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(tool_binary(), "mapi", "--store", store_path, "import", mbox, (char *)NULL);
        _exit(127);
    }
    bool in_time = wait_for_messages(pid, 300);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    long before = live_messages();
    assert_true(in_time || before == 2000);
    tool_run r;
    TOOL(&r, "--store", store_path, "import", mbox);
    assert_exit(&r, 0);
    assert_int_equal(live_messages(), 2000);
    char want[64];
    snprintf(want, sizeof want, "%ld already there", before);
    assert_contains(r.err, want);
    /* and again: nothing new */
    TOOL(&r, "--store", store_path, "--json", "import", mbox);
    assert_contains(r.out, "{\"imported\":0,\"skipped\":0,\"duplicates\":2000}");
    assert_int_equal(live_messages(), 2000);
}

/* --duplicates: skip (same Message-ID and bytes), message-id (the same
 * Message-ID, whatever the bytes, imported or not), import (everything). */
static void duplicates_are_recognized_as_the_policy_says(void **state)
{
    fresh_store("mail-duplicates");
    const char *a = tmp("dup-a.mbox"), *b = tmp("dup-b.mbox");
    write_text(a, "From x Mon Jan  6 09:00:00 2025\nSubject: one\nMessage-ID: <1@x>\n\nbody\n\n"
                  "From x Mon Jan  6 09:00:00 2025\nSubject: no id\n\nbody\n\n"
                  "From x Mon Jan  6 09:00:00 2025\nSubject: no id\n\nbody\n");
    /* the same Message-ID with other bytes (another Received line) */
    write_text(b, "From x Mon Jan  6 09:00:00 2025\nReceived: by relay; Mon, 6 Jan 2025 "
                  "10:00:00 +0000\nSubject: one\nMessage-ID: <1@x>\n\nbody\n");
    tool_run r;
    TOOL(&r, "--store", store_path, "--json", "import", a);
    assert_contains(r.out, "{\"imported\":2,\"skipped\":0,\"duplicates\":1}"); /* twice in a */
    TOOL(&r, "--store", store_path, "--json", "import", b);
    assert_contains(r.out, "{\"imported\":1,\"skipped\":0,\"duplicates\":0}");
    TOOL(&r, "--store", store_path, "--json", "import", "--duplicates", "message-id", b);
    assert_contains(r.out, "{\"imported\":0,\"skipped\":0,\"duplicates\":1}");
    TOOL(&r, "--store", store_path, "--json", "import", "--duplicates", "import", a);
    assert_contains(r.out, "{\"imported\":3,\"skipped\":0,\"duplicates\":0}");
    assert_int_equal(live_messages(), 6);
    TOOL(&r, "--store", store_path, "import", "--duplicates", "maybe", a);
    assert_exit(&r, 2);
    /* another folder is another set */
    TOOL(&r, "--store", store_path, "mkdir", "Other");
    TOOL(&r, "--store", store_path, "--json", "import", "-f", "Other", a);
    assert_contains(r.out, "{\"imported\":2,\"skipped\":0,\"duplicates\":1}");
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
        cmocka_unit_test(rm_and_mv_run_again_skip_what_is_done),
        cmocka_unit_test(empty_reports_what_it_deleted),
        cmocka_unit_test(a_store_in_a_directory_it_cannot_write_is_read),
        cmocka_unit_test(many_positional_references_name_the_right_messages),
        cmocka_unit_test(ctrl_c_stops_an_import_and_a_rerun_finishes_it),
        cmocka_unit_test(a_killed_import_run_again_imports_each_message_once),
        cmocka_unit_test(duplicates_are_recognized_as_the_policy_says),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
