/*
 * tools/mapi/cmd_export.c - `mapi export`: a folder's messages (or chosen
 * ones) out as Internet mail: an mbox file, a Maildir, or one .eml file per
 * message.
 *
 * The folder is read through its contents table oldest first, a page at a
 * time, and each message is converted and written before the next is
 * opened, so memory does not grow with the folder. --recursive (Maildir)
 * walks the subfolders too, each into its Maildir++ folder.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "freemapi_mime.h"

typedef struct exporter {
    cli *c;
    const char *format, *out;
    const char *subfolder; /* Maildir++ folder being written ("" the top) */
    fmapi_mbox_writer *mbox;
    unsigned long written, failed, skipped_folders;
    LPMAPIPROGRESS progress;
} exporter;

/* Bcc kept, and drafts marked X-Unsent: 1 (CCSF_EMBEDDED_MESSAGE), so an
 * export imported again by `mapi import` gives back the same mailbox. */
#define EXPORT_CCSF (CCSF_SMTP | CCSF_INCLUDE_BCC | CCSF_EMBEDDED_MESSAGE)

static HRESULT export_one(exporter *ex, LPMESSAGE m, ULONG flags)
{
    if (ex->mbox != NULL)
        return fmapi_mbox_writer_add_message(ex->mbox, m, EXPORT_CCSF);
    if (strcmp(ex->format, "maildir") == 0) /* streamed into the file, with its marks */
        return fmapi_maildir_deliver_message(ex->out, ex->subfolder, m, EXPORT_CCSF, NULL, 0);
    char path[4096];
    snprintf(path, sizeof path, "%s/%06lu.eml", ex->out, ex->written + ex->failed + 1);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0)
        return errno == EEXIST ? MAPI_E_COLLISION : MAPI_E_NO_ACCESS;
    HRESULT hr = fmapi_mime_export_fd(m, EXPORT_CCSF, fd);
    if (close(fd) != 0 && hr == S_OK)
        hr = MAPI_E_DISK_ERROR;
    if (hr != S_OK)
        unlink(path);
    return hr;
}

static HRESULT export_entry(exporter *ex, const SBinary *eid, ULONG flags)
{
    LPMESSAGE m = NULL;
    ULONG type = 0;
    HRESULT hr = IMsgStore_OpenEntry(ex->c->mdb, eid->cb, (LPENTRYID)eid->lpb, NULL, 0, &type,
                                     (LPUNKNOWN *)&m);
    if (hr == S_OK)
        hr = export_one(ex, m, flags);
    if (m != NULL)
        IMessage_Release(m);
    if (hr == S_OK) {
        ex->written++;
    } else {
        ex->failed++;
        const char *t = fmapi_mime_last_error();
        fprintf(stderr, "%s: export: a message failed: %s: %s\n", ex->c->prog,
                fmapi_error_name(hr), t && *t ? t : fmapi_last_error());
    }
    return hr;
}

static HRESULT export_contents(exporter *ex, LPMAPIFOLDER f)
{
    LPMAPITABLE t = NULL;
    HRESULT hr = IMAPIFolder_GetContentsTable(f, 0, &t);
    SizedSPropTagArray(2, cols) = { 2, { PR_ENTRYID, PR_MESSAGE_FLAGS } };
    SizedSSortOrderSet(1, sort) = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_ASCEND } } };
    if (hr == S_OK)
        hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    if (hr == S_OK)
        hr = IMAPITable_SortTable(t, (LPSSortOrderSet)&sort, 0);
    ULONG total = 0;
    if (hr == S_OK)
        hr = IMAPITable_GetRowCount(t, 0, &total);
    while (hr == S_OK) {
        LPSRowSet rows = NULL;
        hr = IMAPITable_QueryRows(t, 100, 0, &rows);
        if (hr != S_OK)
            break;
        ULONG n = rows->cRows;
        for (ULONG i = 0; i < n; i++) {
            const SPropValue *p = rows->aRow[i].lpProps;
            ULONG flags = PROP_TYPE(p[1].ulPropTag) == PT_LONG ? (ULONG)p[1].Value.l : 0;
            export_entry(ex, &p[0].Value.bin, flags);
        }
        FreeProws(rows);
        if (n == 0)
            break;
        if (!cli_progress_step(ex->progress, ex->written + ex->failed, total)) {
            hr = MAPI_E_USER_CANCEL;
            break;
        }
    }
    if (t != NULL)
        IMAPITable_Release(t);
    return hr;
}

/* Maildir++ names nested folders with dots (".Sub.Folder"), so a folder
 * whose name holds a '.' (or a '/') has no Maildir++ name: it is reported
 * and left out, with what is below it. */
static bool maildir_name_ok(const char *name)
{
    return name[0] != '\0' && strchr(name, '.') == NULL && strchr(name, '/') == NULL;
}

/* The subfolders of top, at any depth, each into its Maildir++ folder
 * ("Sub/Folder" below OUT). The hierarchy table lists them parent first. */
static HRESULT export_subfolders(exporter *ex, LPMAPIFOLDER top)
{
    enum { MAX_DEPTH = 64 };
    LPMAPITABLE t = NULL;
    HRESULT hr = IMAPIFolder_GetHierarchyTable(top, CONVENIENT_DEPTH, &t);
    SizedSPropTagArray(3, cols) = { 3, { PR_ENTRYID, PR_DISPLAY_NAME_A, PR_DEPTH } };
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    char path[4096] = "";
    size_t at[MAX_DEPTH + 1] = { 0 }; /* where each depth's name starts in path */
    LONG skip_below = 0;              /* > 0: inside a left-out folder of that depth */
    for (ULONG i = 0; hr == S_OK && rows != NULL && i < rows->cRows && !cli_cancelled(); i++) {
        const SPropValue *p = rows->aRow[i].lpProps;
        LONG depth = PROP_TYPE(p[2].ulPropTag) == PT_LONG ? p[2].Value.l : 1;
        const char *name = PROP_TYPE(p[1].ulPropTag) == PT_STRING8 ? p[1].Value.lpszA : "";
        if (skip_below > 0 && depth > skip_below)
            continue;
        skip_below = 0;
        if (depth < 1 || depth > MAX_DEPTH || !maildir_name_ok(name)) {
            fprintf(stderr, "%s: export: folder \"%s\" has no Maildir++ name (a '.' or '/' in "
                            "it); it and its subfolders are left out\n", ex->c->prog, name);
            ex->skipped_folders++;
            skip_below = depth;
            continue;
        }
        size_t start = depth == 1 ? 0 : at[depth - 1];
        at[depth] = start;
        int n = snprintf(path + start, sizeof path - start, "%s%s", depth == 1 ? "" : "/", name);
        if (n < 0 || (size_t)n >= sizeof path - start) {
            hr = MAPI_E_TOO_COMPLEX;
            break;
        }
        at[depth] = start + (size_t)n; /* children start after this name */
        LPMAPIFOLDER f = NULL;
        ULONG type = 0;
        hr = IMsgStore_OpenEntry(ex->c->mdb, p[0].Value.bin.cb, (LPENTRYID)p[0].Value.bin.lpb,
                                 NULL, 0, &type, (LPUNKNOWN *)&f);
        if (hr == S_OK) {
            hr = fmapi_maildir_make_folder(ex->out, path); /* made even when empty */
            ex->subfolder = path;
            if (hr == S_OK)
                hr = export_contents(ex, f);
            ex->subfolder = NULL;
            IMAPIFolder_Release(f);
        }
    }
    if (rows != NULL)
        FreeProws(rows);
    if (t != NULL)
        IMAPITable_Release(t);
    return hr;
}

static HRESULT export_folder(exporter *ex, const char *folder, bool recursive)
{
    LPMAPIFOLDER f = NULL;
    HRESULT hr = cli_folder_open(ex->c, folder, false, &f);
    if (hr == S_OK)
        hr = export_contents(ex, f);
    if (hr == S_OK && recursive)
        hr = export_subfolders(ex, f);
    if (f != NULL)
        IMAPIFolder_Release(f);
    return hr;
}

static int run_export(cli *c, int argc, char **argv)
{
    exporter ex = { .c = c, .format = "mbox" };
    const char *folder = "Inbox";
    bool recursive = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if ((strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--folder") == 0) && i + 1 < argc)
            folder = argv[++i];
        else if (strcmp(argv[i], "-r") == 0 || strcmp(argv[i], "--recursive") == 0)
            recursive = true;
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            ex.format = argv[++i];
        else
            return cli_error(c, EXIT_USAGE, "export: unknown option %s", argv[i]);
    }
    if (strcmp(ex.format, "eml") && strcmp(ex.format, "mbox") && strcmp(ex.format, "maildir"))
        return cli_error(c, EXIT_USAGE, "export: --format is eml, mbox or maildir");
    if (recursive && strcmp(ex.format, "maildir") != 0)
        return cli_error(c, EXIT_USAGE, "export: --recursive writes Maildir++ folders: it needs "
                                        "--format maildir");
    if (i == argc)
        return cli_error(c, EXIT_USAGE, "export: where to? (see --help)");
    ex.out = argv[i++];
    if (recursive && i < argc)
        return cli_error(c, EXIT_USAGE, "export: --recursive exports folders, not MESSAGEs");
    HRESULT hr = S_OK;
    if (strcmp(ex.format, "mbox") == 0)
        hr = fmapi_mbox_writer_open(ex.out, 0, &ex.mbox);
    else if (strcmp(ex.format, "eml") == 0 && mkdir(ex.out, 0755) != 0 && errno != EEXIST)
        hr = MAPI_E_NO_ACCESS;
    if (hr != S_OK)
        return cli_fail(c, ex.out, hr);
    ex.progress = cli_progress_new(c, "export");
    if (i == argc) {
        hr = export_folder(&ex, folder, recursive);
    } else {
        for (; i < argc && hr == S_OK && !cli_cancelled(); i++) {
            LPSBinary eid = NULL;
            hr = cli_message_entryid(c, argv[i], &eid);
            if (hr == S_OK)
                export_entry(&ex, eid, 0);
            MAPIFreeBuffer(eid);
        }
    }
    cli_progress_done(ex.progress);
    if (ex.mbox != NULL) {
        HRESULT closed = fmapi_mbox_writer_close(ex.mbox);
        if (hr == S_OK)
            hr = closed;
    }
    if (c->json)
        printf("{\"exported\":%lu,\"failed\":%lu}\n", ex.written, ex.failed);
    else if (!c->quiet)
        fprintf(stderr, "export: %lu exported, %lu failed\n", ex.written, ex.failed);
    if (hr == MAPI_E_USER_CANCEL || cli_cancelled())
        return EXIT_CANCELLED;
    if (hr != S_OK)
        return cli_fail(c, "export", hr);
    return ex.failed || ex.skipped_folders ? EXIT_PARTIAL : EXIT_OK;
}

const cli_command CMD_EXPORT = {
    "export", run_export, "export messages as mbox, Maildir or .eml files",
    "export [-f|--folder FOLDER] [--format mbox|maildir|eml] [-r|--recursive] OUT\n"
    "       [MESSAGE...]\n\n"
    "Writes the messages of FOLDER (default Inbox), oldest first, or only the\n"
    "MESSAGEs named, as standard MIME: into the mbox file OUT (default format),\n"
    "the Maildir OUT (created if missing; marked messages go to cur/ with their\n"
    "flags: S read, R answered, P forwarded, F flagged, D draft, T deleted),\n"
    "or the directory OUT as 000001.eml, 000002.eml, ...\n"
    "With --recursive (Maildir only) the subfolders go too, as Maildir++\n"
    "folders (.Sub.Folder, empty ones too, names in modified UTF-7), which\n"
    "`mapi import` reads back as a tree; a folder whose name has a '.' cannot\n"
    "be named so and is reported and left out.",
};
