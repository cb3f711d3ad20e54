/*
 * tests/tools/test_mapi_msg.c - .msg files through the `mapi` command:
 * `save` of one message (and its refusal to overwrite), `import` of .msg
 * files beside a damaged one (reported, the rest imported, exit 4), and
 * `export --format msg` of a folder, read back by import, and of a folder
 * tree (-r) into a directory per folder. What the tool
 * writes is read by msgconvert and Python's email package and olefile.
 */
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

/* A store whose Inbox holds two messages, one with an attachment. */
static void make_store(void)
{
    snprintf(store_path, sizeof store_path, "%s", fx_store_path("tool-msg"));
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(store_path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    for (int i = 0; i < 2; i++) {
        LPMESSAGE m = fx_new_message(inbox);
        fx_set_string(m, PR_SUBJECT, i == 0 ? "Tool msg one" : "Tool msg two");
        fx_set_string(m, PR_BODY, "hello from the tool test");
        if (i == 1) {
            IAttach *a = NULL;
            ULONG num = 0;
            assert_int_equal(IMessage_CreateAttach(m, NULL, 0, &num, &a), S_OK);
            fx_set_string(a, PR_ATTACH_LONG_FILENAME, "notes.txt");
            SPropValue v[] = { { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_BY_VALUE },
                               { .ulPropTag = PR_ATTACH_DATA_BIN, .Value.bin = { 3, (LPBYTE)"abc" } } };
            assert_int_equal(IAttach_SetProps(a, 2, v, NULL), S_OK);
            assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
            IAttach_Release(a);
        }
        assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
        IMessage_Release(m);
    }
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

/* The subject, attachment names and recipient count of a .msg file as
 * msgconvert (to RFC 5322, parsed by Python's email package) and olefile
 * read it, one line each. */
static void read_by_others(const char *msg, char *out, size_t n)
{
    const char *eml = tmp("others.eml");
    char cmd[3000];
    snprintf(cmd, sizeof cmd,
             "msgconvert --outfile '%1$s' '%2$s' >/dev/null 2>&1 && /usr/bin/python3 -c '"
             "import email, email.policy, olefile, sys\n"
             "m = email.message_from_binary_file(open(sys.argv[1], \"rb\"), policy=email.policy.default)\n"
             "print(\"msgconvert\", m[\"subject\"], [p.get_filename() for p in m.iter_attachments()])\n"
             "o = olefile.OleFileIO(sys.argv[2])\n"
             "print(\"olefile\", o.openstream(\"__substg1.0_0037001F\").read().decode(\"utf-16-le\"),"
             " len({e[0] for e in o.listdir() if e[0].startswith(\"__attach_version1.0_#\")}))\n"
             "' '%1$s' '%2$s' 2>&1",
             eml, msg);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t k = fread(out, 1, n - 1, p);
    out[k] = 0;
    if (pclose(p) != 0)
        fail_msg("msgconvert or olefile could not read %s:\n%s", msg, out);
}

static void save_writes_one_message_and_will_not_overwrite(void **state)
{
    make_store();
    const char *out = tmp("one.msg");
    tool_run r;
    TOOL(&r, "--store", store_path, "save", "Inbox:1", out);
    assert_exit(&r, 0);
    struct stat st;
    assert_int_equal(stat(out, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    TOOL(&r, "--store", store_path, "save", "Inbox:1", out);
    assert_exit(&r, 1);
    assert_contains(r.err, "exists");
    /* Inbox:1 is the newest, the one with the attachment */
    char seen[4096];
    read_by_others(out, seen, sizeof seen);
    assert_contains(seen, "msgconvert Tool msg two ['notes.txt']");
    assert_contains(seen, "olefile Tool msg two 1");
    TOOL(&r, "--store", store_path, "save", "--replace", "Inbox:2", out);
    assert_exit(&r, 0);
    read_by_others(out, seen, sizeof seen);
    assert_contains(seen, "msgconvert Tool msg one []");
    assert_contains(seen, "olefile Tool msg one 0");
}

static void import_takes_msg_files_and_reports_a_damaged_one(void **state)
{
    make_store();
    const char *a = tmp("a.msg"), *bad = tmp("bad.msg");
    tool_run r;
    TOOL(&r, "--store", store_path, "save", "Inbox:1", a);
    assert_exit(&r, 0);
    FILE *f = fopen(bad, "w");
    fputs("this is not an Outlook file", f);
    fclose(f);
    TOOL(&r, "--store", store_path, "mkdir", "Imported");
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "import", "-f", "Imported", a, bad);
    assert_exit(&r, 4);
    assert_contains(r.err, "bad.msg: skipped: MAPI_E_CORRUPT_DATA");
    assert_contains(r.err, "1 imported, 1 skipped");
    TOOL(&r, "--store", store_path, "ls", "--columns", "subject", "Imported");
    assert_contains(r.out, "Tool msg two");
    /* a second run finds it there and imports it once */
    TOOL(&r, "--store", store_path, "import", "-f", "Imported", a);
    assert_exit(&r, 0);
    assert_contains(r.err, "0 imported");
    assert_contains(r.err, "1 already there");
    TOOL(&r, "--store", store_path, "ls", "--columns", "subject", "Imported");
    const char *first = strstr(r.out, "Tool msg two");
    assert_non_null(first);
    assert_null(strstr(first + 1, "Tool msg two"));
    /* unless asked to */
    TOOL(&r, "--store", store_path, "import", "--duplicates", "import", "-f", "Imported", a);
    assert_exit(&r, 0);
    assert_contains(r.err, "1 imported");
}

static void export_format_msg_writes_a_folder_that_imports_back(void **state)
{
    make_store();
    const char *dir = tmp("out");
    tool_run r;
    TOOL(&r, "--store", store_path, "export", "--format", "msg", dir);
    assert_exit(&r, 0);
    assert_contains(r.err, "2 exported, 0 failed");
    char one[800], two[800];
    snprintf(one, sizeof one, "%s/000001.msg", dir);
    snprintf(two, sizeof two, "%s/000002.msg", dir);
    TOOL(&r, "--store", store_path, "mkdir", "Back");
    TOOL(&r, "--store", store_path, "import", "-f", "Back", one, two);
    assert_exit(&r, 0);
    TOOL(&r, "--store", store_path, "ls", "--columns", "subject", "Back");
    assert_contains(r.out, "Tool msg one");
    assert_contains(r.out, "Tool msg two");
    char seen[4096];
    read_by_others(two, seen, sizeof seen);
    assert_contains(seen, "msgconvert Tool msg two ['notes.txt']");
    assert_contains(seen, "olefile Tool msg two 1");
    /* again into the same directory: added after what is there */
    TOOL(&r, "--store", store_path, "export", "--format", "msg", dir);
    assert_exit(&r, 0);
    char three[800];
    snprintf(three, sizeof three, "%s/000003.msg", dir);
    struct stat st;
    assert_int_equal(stat(three, &st), 0);
    read_by_others(one, seen, sizeof seen);
    assert_contains(seen, "msgconvert Tool msg one");
}

static LPMAPIFOLDER sub_folder(LPMAPIFOLDER parent, const char *name, const char *subject)
{
    LPMAPIFOLDER f = NULL;
    HRESULT hr = IMAPIFolder_CreateFolder(parent, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL, 0, &f);
    if (hr != S_OK)
        fail_msg("CreateFolder %s: %s", name, fmapi_last_error());
    LPMESSAGE m = fx_new_message(f);
    fx_set_string(m, PR_SUBJECT, subject);
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
    return f;
}

static void export_format_msg_recursive_writes_each_folder_into_its_own_directory(void **state)
{
    make_store();
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(store_path, 0, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMAPIFOLDER projects = sub_folder(inbox, "Projects", "In projects");
    /* (the Release macro names its argument twice: one call each first) */
    LPMAPIFOLDER evil = sub_folder(projects, "../evil", "In evil");
    LPMAPIFOLDER half = sub_folder(projects, "50%/off", "In half");
    IMAPIFolder_Release(evil);
    IMAPIFolder_Release(half);
    IMAPIFolder_Release(projects);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    const char *dir = tmp("tree");
    tool_run r;
    TOOL(&r, "--store", store_path, "export", "--format", "msg", "-r", dir);
    assert_exit(&r, 0);
    assert_contains(r.err, "5 exported, 0 failed");
    char seen[4096], path[900];
    snprintf(path, sizeof path, "%s/Projects/000001.msg", dir);
    read_by_others(path, seen, sizeof seen);
    assert_contains(seen, "msgconvert In projects");
    /* names that are not one safe path component, encoded, inside OUT */
    snprintf(path, sizeof path, "%s/Projects/%%2E.%%2Fevil/000001.msg", dir);
    read_by_others(path, seen, sizeof seen);
    assert_contains(seen, "msgconvert In evil");
    snprintf(path, sizeof path, "%s/Projects/50%%25%%2Foff/000001.msg", dir);
    read_by_others(path, seen, sizeof seen);
    assert_contains(seen, "msgconvert In half");
    struct stat st;
    snprintf(path, sizeof path, "%s/Projects", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    snprintf(path, sizeof path, "%s/evil", tmp(""));
    assert_int_not_equal(stat(path, &st), 0);
    TOOL(&r, "--store", store_path, "export", "--format", "msg", "-r", dir, "1");
    assert_exit(&r, 2); /* folders or messages, not both */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(save_writes_one_message_and_will_not_overwrite),
        cmocka_unit_test(import_takes_msg_files_and_reports_a_damaged_one),
        cmocka_unit_test(export_format_msg_writes_a_folder_that_imports_back),
        cmocka_unit_test(export_format_msg_recursive_writes_each_folder_into_its_own_directory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
