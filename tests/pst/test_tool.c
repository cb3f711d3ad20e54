/*
 * tests/pst/test_tool.c - `mapi import FILE.pst` and `mapi export --format
 * pst`, the real binary: a mailbox exported and imported back, a second
 * import that finds everything there, an export of one folder and of a
 * date window, and Ctrl-C during an import followed by a run that
 * finishes the job without duplicating anything. What the tool writes is
 * read by pffexport (the mailbox's mail) and readpst (a folder tree's:
 * readpst lists contacts among mail), through reader_manifest.py.
 */
#include <signal.h>
#include <sys/wait.h>

#include "pst_fixture.h"

static char out_text[65536], err_text[16384];

/* Runs mapi with args; returns its exit code (stdout and stderr kept). If
 * sigint_after_us is not 0, SIGINT goes to it after that long. */
static int mapi_run(long sigint_after_us, const char *const *args)
{
    const char *bin = px_build_path("MAPI_BIN", "mapi");
    assert_non_null(bin);
    char outp[700], errp[700];
    snprintf(outp, sizeof outp, "%s", px_path("tool.out"));
    snprintf(errp, sizeof errp, "%s", px_path("tool.err"));
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (freopen(outp, "w", stdout) == NULL || freopen(errp, "w", stderr) == NULL)
            _exit(127);
        char *argv[32];
        int n = 0;
        argv[n++] = (char *)bin;
        for (int i = 0; args[i] != NULL && n < 31; i++)
            argv[n++] = (char *)args[i];
        argv[n] = NULL;
        execv(bin, argv);
        _exit(127);
    }
    if (sigint_after_us > 0) {
        usleep((useconds_t)sigint_after_us);
        kill(pid, SIGINT);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    FILE *f = fopen(outp, "r");
    size_t k = f ? fread(out_text, 1, sizeof out_text - 1, f) : 0;
    out_text[k] = 0;
    if (f)
        fclose(f);
    f = fopen(errp, "r");
    k = f ? fread(err_text, 1, sizeof err_text - 1, f) : 0;
    err_text[k] = 0;
    if (f)
        fclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

#define MAPI(...) mapi_run(0, (const char *const[]){ __VA_ARGS__, NULL })

static void expect(int code, int want)
{
    if (code != want)
        fail_msg("mapi exited %d, expected %d\nstdout: %s\nstderr: %s", code, want, out_text,
                 err_text);
}

/* The mail (IPM.Note*, what the readers' manifests list: pffexport keeps
 * contacts and appointments apart) of folder f and its subfolders. */
static ULONG store_messages(LPMDB mdb, LPMAPIFOLDER f)
{
    LPMAPITABLE t = NULL;
    ULONG rows = 0;
    SizedSPropTagArray(1, mcols) = { 1, { PR_MESSAGE_CLASS_A } };
    PX_OK(IMAPIFolder_GetContentsTable(f, 0, &t));
    PX_OK(IMAPITable_SetColumns(t, (LPSPropTagArray)&mcols, 0));
    LPSRowSet m = px_rows(t);
    for (ULONG i = 0; i < m->cRows; i++)
        rows += m->aRow[i].lpProps[0].ulPropTag == PR_MESSAGE_CLASS_A &&
                strncmp(m->aRow[i].lpProps[0].Value.lpszA, "IPM.Note", 8) == 0;
    FreeProws(m); /* px_rows released the table */
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    PX_OK(IMAPIFolder_GetHierarchyTable(f, 0, &t));
    PX_OK(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0));
    LPSRowSet r = px_rows(t);
    for (ULONG i = 0; i < r->cRows; i++) {
        LPMAPIFOLDER c = px_open_eid(mdb, &r->aRow[i].lpProps[0].Value.bin);
        rows += store_messages(mdb, c);
        IMAPIFolder_Release(c);
    }
    FreeProws(r);
    return rows;
}

/* The messages readpst or pffexport finds in pst ("M" lines of the
 * manifest). */
static ULONG reader_messages(const char *reader, const char *pst)
{
    char cmd[3000];
    const char *dir = px_path("reader");
    if (strcmp(reader, "readpst") == 0)
        snprintf(cmd, sizeof cmd,
                 "rm -rf '%1$s' && mkdir '%1$s' && readpst -q -j 0 -D -S -o '%1$s' '%2$s' "
                 ">/dev/null && python3 '%3$s/reader_manifest.py' readpst '%1$s'",
                 dir, pst, px_source_dir());
    else
        snprintf(cmd, sizeof cmd,
                 "rm -rf '%1$s'* && pffexport -q -t '%1$s' '%2$s' >/dev/null && "
                 "python3 '%3$s/reader_manifest.py' pffexport '%1$s.export'",
                 dir, pst, px_source_dir());
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[4096];
    ULONG n = 0;
    while (fgets(line, sizeof line, p) != NULL)
        n += line[0] == 'M' && line[1] == ' ';
    int st = pclose(p);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("%s could not read %s (status %d)", reader, pst, st);
    return n;
}

static char src_path[700];

static int setup(void **state)
{
    (void)state;
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    LPMDB src = px_store("tool-src.fmdb");
    snprintf(src_path, sizeof src_path, "%s", px_path("tool-src.fmdb"));
    px_fill(src, 9);
    IMsgStore_Release(src);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    MAPIUninitialize();
    return 0;
}

static void export_and_import_a_mailbox(void **state)
{
    (void)state;
    char pst[700], dst[700];
    snprintf(pst, sizeof pst, "%s", px_path("tool.pst"));
    expect(MAPI("--store", src_path, "export", "--format", "pst", pst), 0);
    assert_non_null(strstr(err_text, "export: 14 messages"));
    LPMDB d = px_store("tool-dst.fmdb");
    IMsgStore_Release(d);
    snprintf(dst, sizeof dst, "%s", px_path("tool-dst.fmdb"));
    expect(MAPI("--store", dst, "--json", "import", pst), 0);
    assert_non_null(strstr(out_text, "\"import\":14"));
    expect(MAPI("--store", dst, "--json", "import", pst), 0);
    assert_non_null(strstr(out_text, "\"import\":0"));
    assert_non_null(strstr(out_text, "\"skipped\":14"));
    LPMDB a = NULL, b = NULL;
    PX_OK(fmapi_store_open(src_path, 0, &a));
    PX_OK(fmapi_store_open(dst, 0, &b));
    assert_int_equal(px_stores_equal(a, b), 14);
    IMsgStore_Release(a);
    IMsgStore_Release(b);
    /* what the tool wrote, read by others: the whole mailbox's IPM messages */
    PX_OK(fmapi_store_open(src_path, 0, &a));
    LPMAPIFOLDER ipm = px_ipm(a);
    ULONG all = store_messages(a, ipm);
    assert_true(all > 0);
    assert_int_equal(reader_messages("pffexport", pst), all);
    /* one folder tree; a window of delivery times (none delivered yet) */
    expect(MAPI("--store", src_path, "export", "-f", "Inbox/Projects", "-r", pst), 0);
    assert_non_null(strstr(err_text, "export: 6 messages, 2 folders"));
    LPMAPIFOLDER inbox = px_subfolder(ipm, "Inbox");
    LPMAPIFOLDER projects = px_subfolder(inbox, "Projects");
    ULONG tree = store_messages(a, projects);
    assert_true(tree > 0);
    assert_int_equal(reader_messages("readpst", pst), tree);
    assert_int_equal(reader_messages("pffexport", pst), tree);
    IMAPIFolder_Release(projects);
    IMAPIFolder_Release(inbox);
    IMAPIFolder_Release(ipm);
    IMsgStore_Release(a);
    expect(MAPI("--store", src_path, "export", "--since", "2999-01-01", "--format", "pst", pst), 0);
    assert_non_null(strstr(err_text, "export: 0 messages"));
    expect(MAPI("--store", src_path, "export", "--since", "nonsense", pst), 2);
    expect(MAPI("--store", dst, "import", px_path("no-such.pst")), 3);
}

static void ctrl_c_stops_an_import_and_a_rerun_finishes_it(void **state)
{
    (void)state;
    /* a mailbox big enough to be interrupted */
    LPMDB big = px_store("tool-big.fmdb");
    LPMAPIFOLDER ipm = px_ipm(big);
    LPMAPIFOLDER inbox = px_subfolder(ipm, "Inbox");
    for (int i = 0; i < 1500; i++) {
        LPMESSAGE m = NULL;
        PX_OK(IMAPIFolder_CreateMessage(inbox, NULL, 0, &m));
        char subj[32];
        snprintf(subj, sizeof subj, "bulk %d", i);
        px_simple(m, subj, "b");
        PX_OK(IMessage_SaveChanges(m, 0));
        IMessage_Release(m);
    }
    IMAPIFolder_Release(inbox);
    IMAPIFolder_Release(ipm);
    IMsgStore_Release(big);
    char bigp[700], pst[700], dst[700];
    snprintf(bigp, sizeof bigp, "%s", px_path("tool-big.fmdb"));
    snprintf(pst, sizeof pst, "%s", px_path("tool-big.pst"));
    expect(MAPI("--store", bigp, "export", pst), 0);
    LPMDB d = px_store("tool-big-dst.fmdb");
    IMsgStore_Release(d);
    snprintf(dst, sizeof dst, "%s", px_path("tool-big-dst.fmdb"));
    int code = mapi_run(150000, (const char *const[]){ "--store", dst, "import", pst, NULL });
    /* interrupted (130), or done before the signal came (0) */
    if (code != 130 && code != 0)
        fail_msg("an interrupted import exited %d: %s", code, err_text);
    expect(MAPI("--store", dst, "--json", "import", pst), 0);
    LPMDB b = NULL;
    PX_OK(fmapi_store_open(dst, 0, &b));
    LPMAPIFOLDER bi = px_ipm(b);
    LPMAPIFOLDER bin = px_subfolder(bi, "Inbox");
    LPMAPITABLE t = NULL;
    ULONG rows = 0;
    PX_OK(IMAPIFolder_GetContentsTable(bin, 0, &t));
    PX_OK(IMAPITable_GetRowCount(t, 0, &rows));
    assert_int_equal(rows, 1500); /* all there, none twice */
    IMAPITable_Release(t);
    IMAPIFolder_Release(bin);
    IMAPIFolder_Release(bi);
    IMsgStore_Release(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(export_and_import_a_mailbox),
        cmocka_unit_test(ctrl_c_stops_an_import_and_a_rerun_finishes_it),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
