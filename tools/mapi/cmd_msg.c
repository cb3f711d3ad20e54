/*
 * tools/mapi/cmd_msg.c - .msg files in the `mapi` tool: `mapi save` of one
 * message, `mapi export --format msg` of a folder or of messages, and the
 * .msg part of `mapi import` (cmd_import.c and cmd_export.c hand these
 * over). Everything goes through freemapi_msg.h: fmapi_msg_save writes
 * each file whole under a temporary name and gives it its name at the end,
 * fmapi_msg_import reads a file into an unsaved message, which the import
 * (cmd_import.c) saves once, complete, with the digest that tells a re-run
 * it is there.
 *
 * With --recursive the folder's subfolders go too, each into a directory
 * of its name below its parent's (a name is one safe path component: '/',
 * '%', control characters and a leading '.' are written %XX).
 *
 * A file that cannot be imported, or a message that cannot be saved, is
 * reported with its name and the reason and the run goes on (exit 4 at the
 * end); a file imported with properties that could not be read is
 * imported and reported too. Ctrl-C stops after the file in hand.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cmd_msg.h"
#include "freemapi_msg.h"

/* ---- import ------------------------------------------------------------------------ */

bool cli_msg_is_msg(const char *path, const char *format)
{
    if (format != NULL)
        return strcmp(format, "msg") == 0;
    size_t n = strlen(path);
    return n > 4 && strcasecmp(path + n - 4, ".msg") == 0;
}

HRESULT cli_msg_read(cli *c, LPMAPIFOLDER folder, const char *path, LPMESSAGE *out)
{
    HRESULT hr = fmapi_msg_import(folder, path, FMAPI_MSG_UNSAVED, out);
    if (hr == MAPI_W_ERRORS_RETURNED) /* imported, but not whole: say what was lost */
        fprintf(stderr, "%s: %s: imported with losses: %s\n", c->prog, path, fmapi_last_error());
    else if (FAILED(hr))
        fprintf(stderr, "%s: %s: skipped: %s: %s\n", c->prog, path, fmapi_error_name(hr),
                fmapi_last_error());
    return hr;
}

/* ---- export -------------------------------------------------------------------------- */

typedef struct msg_export {
    cli *c;
    const char *dir;        /* the directory being written */
    unsigned long in_dir;   /* files numbered in it so far */
    unsigned long written, failed;
    LPMAPIPROGRESS progress;
} msg_export;

static void save_entry(msg_export *ex, const SBinary *eid, unsigned long total)
{
    LPMESSAGE m = NULL;
    ULONG type = 0;
    HRESULT hr = IMsgStore_OpenEntry(ex->c->mdb, eid->cb, (LPENTRYID)eid->lpb, NULL, 0, &type,
                                     (LPUNKNOWN *)&m);
    char path[4096];
    /* a new name of its own: another export may be writing here too */
    for (int tries = 0; tries < 1000; tries++) {
        snprintf(path, sizeof path, "%s/%06lu.msg", ex->dir, ++ex->in_dir);
        if (hr != S_OK || (hr = fmapi_msg_save(m, path, 0)) != MAPI_E_COLLISION)
            break;
    }
    if (m != NULL)
        IMessage_Release(m);
    if (FAILED(hr)) {
        ex->failed++;
        fprintf(stderr, "%s: export: %s: %s: %s\n", ex->c->prog, path, fmapi_error_name(hr),
                fmapi_last_error());
    } else {
        ex->written++;
        if (hr == MAPI_W_ERRORS_RETURNED)
            fprintf(stderr, "%s: export: %s: written with losses: %s\n", ex->c->prog, path,
                    fmapi_last_error());
    }
    cli_progress_step(ex->progress, ex->written + ex->failed, total);
}

/* The messages of f, oldest first, into ex->dir. */
static HRESULT export_contents(msg_export *ex, LPMAPIFOLDER f)
{
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    SizedSSortOrderSet(1, oldest) = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_ASCEND } } };
    ex->in_dir = cli_first_free_number(ex->dir, ".msg") - 1;
    HRESULT hr = IMAPIFolder_GetContentsTable(f, 0, &t);
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, (LPSSortOrderSet)&oldest, 0, &rows);
    for (ULONG i = 0; hr == S_OK && i < rows->cRows && !cli_cancelled(); i++) {
        const SPropValue *p = rows->aRow[i].lpProps;
        if (PROP_TYPE(p[0].ulPropTag) == PT_BINARY)
            save_entry(ex, &p[0].Value.bin, rows->cRows);
    }
    if (rows != NULL)
        FreeProws(rows);
    if (t != NULL)
        IMAPITable_Release(t);
    return hr;
}

/* A folder name as one path component (see the header comment). */
static void dir_name(const char *name, char *out, size_t size)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p != '\0' && n + 4 < size; p++) {
        if (*p == '/' || *p == '%' || *p < 0x20 || *p == 0x7F || (*p == '.' && p == (const unsigned char *)name))
            n += (size_t)snprintf(out + n, size - n, "%%%02X", *p);
        else
            out[n++] = (char)*p;
    }
    if (n == 0 && size > 3)
        n = (size_t)snprintf(out, size, "%%00"); /* no name at all */
    out[n] = '\0';
}

/* Makes directory path (0700) unless a directory is there already; never
 * through a symbolic link. */
static HRESULT make_dir(cli *c, const char *path)
{
    struct stat st;
    if (mkdir(path, 0700) == 0 || (errno == EEXIST && lstat(path, &st) == 0 && S_ISDIR(st.st_mode)))
        return S_OK;
    fprintf(stderr, "%s: export: cannot create %s: %s\n", c->prog, path,
            errno == EEXIST ? "something else is there" : strerror(errno));
    return MAPI_E_NO_ACCESS;
}

/* The subfolders of top at any depth, each into the directory of its name
 * below its parent's (the hierarchy table lists parents first). */
static HRESULT export_subfolders(msg_export *ex, LPMAPIFOLDER top, const char *root)
{
    enum { MAX_DEPTH = 64 };
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    SizedSPropTagArray(3, cols) = { 3, { PR_ENTRYID, PR_DISPLAY_NAME_A, PR_DEPTH } };
    HRESULT hr = IMAPIFolder_GetHierarchyTable(top, CONVENIENT_DEPTH, &t);
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    char path[4096];
    size_t at[MAX_DEPTH + 1];
    at[0] = (size_t)snprintf(path, sizeof path, "%s", root);
    for (ULONG i = 0; hr == S_OK && i < rows->cRows && !cli_cancelled(); i++) {
        const SPropValue *p = rows->aRow[i].lpProps;
        LONG depth = PROP_TYPE(p[2].ulPropTag) == PT_LONG ? p[2].Value.l : 1;
        const char *name = PROP_TYPE(p[1].ulPropTag) == PT_STRING8 ? p[1].Value.lpszA : "";
        if (depth < 1 || depth > MAX_DEPTH || PROP_TYPE(p[0].ulPropTag) != PT_BINARY) {
            hr = MAPI_E_TOO_COMPLEX;
            break;
        }
        char component[1024];
        dir_name(name, component, sizeof component);
        size_t start = at[depth - 1];
        int n = snprintf(path + start, sizeof path - start, "/%s", component);
        if (n < 0 || (size_t)n >= sizeof path - start) {
            hr = MAPI_E_TOO_COMPLEX;
            break;
        }
        at[depth] = start + (size_t)n;
        LPMAPIFOLDER f = NULL;
        ULONG type = 0;
        hr = make_dir(ex->c, path);
        if (hr == S_OK)
            hr = IMsgStore_OpenEntry(ex->c->mdb, p[0].Value.bin.cb, (LPENTRYID)p[0].Value.bin.lpb,
                                     NULL, 0, &type, (LPUNKNOWN *)&f);
        if (hr == S_OK) {
            ex->dir = path;
            hr = export_contents(ex, f);
            IMAPIFolder_Release(f);
        }
    }
    ex->dir = root;
    if (rows != NULL)
        FreeProws(rows);
    if (t != NULL)
        IMAPITable_Release(t);
    return hr;
}

static HRESULT export_folder(msg_export *ex, const char *folder, bool recursive)
{
    LPMAPIFOLDER f = NULL;
    HRESULT hr = cli_folder_open(ex->c, folder, false, &f);
    if (hr == S_OK)
        hr = export_contents(ex, f);
    if (hr == S_OK && recursive)
        hr = export_subfolders(ex, f, ex->dir);
    if (f != NULL)
        IMAPIFolder_Release(f);
    return hr;
}

int cli_msg_export(cli *c, const char *folder, bool recursive, int argc, char **argv)
{
    if (argc < 1)
        return cli_error(c, EXIT_USAGE, "export: where to? (see --help)");
    if (recursive && argc > 1)
        return cli_error(c, EXIT_USAGE, "export: --recursive exports folders, not MESSAGEs");
    msg_export ex = { .c = c, .dir = argv[0] };
    if (make_dir(c, ex.dir) != S_OK)
        return EXIT_FAILED;
    HRESULT hr = cli_mailbox(c);
    if (hr != S_OK)
        return cli_fail(c, "mailbox", hr);
    ex.progress = cli_progress_new(c, "export");
    ex.in_dir = cli_first_free_number(ex.dir, ".msg") - 1;
    if (argc == 1) {
        hr = export_folder(&ex, folder, recursive);
    } else {
        for (int i = 1; i < argc && hr == S_OK && !cli_cancelled(); i++) {
            LPSBinary eid = NULL;
            hr = cli_message_entryid(c, argv[i], &eid);
            if (hr == S_OK)
                save_entry(&ex, eid, (unsigned long)argc - 1);
            MAPIFreeBuffer(eid);
        }
    }
    cli_progress_done(ex.progress);
    if (c->json)
        printf("{\"exported\":%lu,\"failed\":%lu}\n", ex.written, ex.failed);
    else if (!c->quiet)
        fprintf(stderr, "export: %lu exported, %lu failed\n", ex.written, ex.failed);
    if (cli_cancelled())
        return EXIT_CANCELLED;
    if (hr != S_OK)
        return cli_fail(c, "export", hr);
    return ex.failed ? EXIT_PARTIAL : EXIT_OK;
}

/* ---- mapi save ----------------------------------------------------------------------- */

static int run_save(cli *c, int argc, char **argv)
{
    bool replace = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--replace") == 0)
            replace = true;
        else
            return cli_error(c, EXIT_USAGE, "save: unknown option %s", argv[i]);
    }
    if (argc - i != 2)
        return cli_error(c, EXIT_USAGE, "save: MESSAGE FILE (see --help)");
    HRESULT hr = cli_mailbox(c);
    LPMESSAGE m = NULL;
    if (hr == S_OK)
        hr = cli_message_open(c, argv[i], false, &m);
    if (hr == S_OK)
        hr = fmapi_msg_save(m, argv[i + 1], replace ? FMAPI_MSG_REPLACE : 0);
    if (m != NULL)
        IMessage_Release(m);
    if (hr == MAPI_W_ERRORS_RETURNED) {
        fprintf(stderr, "%s: save: %s: written with losses: %s\n", c->prog, argv[i + 1],
                fmapi_last_error());
        return EXIT_PARTIAL;
    }
    if (hr == MAPI_E_COLLISION)
        return cli_error(c, EXIT_FAILED, "save: %s exists (pass --replace)", argv[i + 1]);
    if (hr != S_OK)
        return cli_fail(c, argv[i], hr);
    if (c->json)
        printf("{\"saved\":\"%s\"}\n", argv[i + 1]);
    return EXIT_OK;
}

const cli_command CMD_SAVE = {
    "save", run_save, "save one message as an Outlook .msg file",
    "save [--replace] MESSAGE FILE\n\n"
    "Writes MESSAGE (a hex entry ID, or FOLDER:N as `mapi ls` numbers it) to FILE\n"
    "as an Outlook .msg file ([MS-OXMSG], Unicode): every property, recipients,\n"
    "attachments and embedded messages. FILE must not exist unless --replace is\n"
    "given; it appears only once complete.",
    CLI_USES_MAILBOX | CLI_READS_ONLY,
};
