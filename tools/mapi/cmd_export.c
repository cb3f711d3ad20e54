/*
 * tools/mapi/cmd_export.c - `mapi export`: a folder's messages (or chosen
 * ones) out as Internet mail: an mbox file, a Maildir, or one .eml file per
 * message.
 *
 * The folder is read through its contents table oldest first, a page at a
 * time, and each message is converted and written before the next is
 * opened, so memory does not grow with the folder. --recursive (Maildir)
 * walks the subfolders too, each into its Maildir++ folder.
 *
 * Nothing is overwritten: an existing mbox is refused unless --append adds
 * to it, .eml files are numbered after those already in the directory and
 * created with O_EXCL, Maildir delivery makes unique names. A message
 * counts as exported once it is written: each .eml file is synced before
 * it is counted, and the mbox writer is closed (its buffer written) after
 * every message, so a full disk never leaves a message counted that the
 * file does not hold. A failure of the output (a full disk) stops the
 * export at once.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_msg.h"

typedef struct exporter {
    cli *c;
    const cli_mime *mime;
    const char *format, *out;
    const char *subfolder; /* Maildir++ folder being written ("" the top) */
    char mbox_path[4096];  /* what the mbox writer opens: out, or a relay's pipe */
    cli_relay *relay;      /* out is a FIFO: written through it (relay.c) */
    unsigned long next_eml; /* the number of the next .eml file */
    unsigned long written, failed, skipped_folders;
    HRESULT stopped;        /* the output failed: the export stopped */
    LPMAPIPROGRESS progress;
} exporter;

/* Bcc kept, and drafts marked X-Unsent: 1 (CCSF_EMBEDDED_MESSAGE), so an
 * export imported again by `mapi import` gives back the same mailbox. */
#define EXPORT_CCSF (CCSF_SMTP | CCSF_INCLUDE_BCC | CCSF_EMBEDDED_MESSAGE)

/* ---- .eml files ------------------------------------------------------------------- */

unsigned long cli_first_free_number(const char *dir, const char *ext)
{
    size_t elen = strlen(ext);
    unsigned long next = 1;
    DIR *d = opendir(dir);
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;) {
        unsigned long long n = 0;
        char digits[32];
        size_t len = strlen(e->d_name);
        if (len <= elen || len - elen >= sizeof digits || strcmp(e->d_name + len - elen, ext) != 0)
            continue;
        snprintf(digits, sizeof digits, "%.*s", (int)(len - elen), e->d_name);
        if (cli_parse_number(digits, 0, 999999999ULL, &n) && n >= next)
            next = (unsigned long)n + 1;
    }
    if (d != NULL)
        closedir(d);
    return next;
}

typedef struct eml_file {
    int fd;
    HRESULT hr; /* the first write failure, with its errno's code */
} eml_file;

static HRESULT eml_write(void *ctx, const void *data, size_t len)
{
    eml_file *f = ctx;
    const char *p = data;
    while (len > 0 && f->hr == S_OK) {
        ssize_t n = write(f->fd, p, len);
        if (n < 0 && errno == EINTR && !cli_cancelled())
            continue;
        if (n < 0)
            f->hr = cli_set_error(cli_errno_hr(errno), "writing an .eml file: %s",
                                  strerror(errno));
        else {
            p += n;
            len -= (size_t)n;
        }
    }
    return f->hr;
}

/* A new file of its own (O_EXCL: another export may be writing into the
 * same directory), written, synced, or removed again. */
static HRESULT export_eml(exporter *ex, LPMESSAGE m)
{
    char path[4096];
    eml_file f = { -1, S_OK };
    for (int tries = 0; f.fd < 0 && tries < 1000; tries++) {
        snprintf(path, sizeof path, "%s/%06lu.eml", ex->out, ex->next_eml++);
        f.fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (f.fd < 0 && errno != EEXIST)
            return cli_set_error(cli_errno_hr(errno), "cannot create %s: %s", path,
                                 strerror(errno));
    }
    if (f.fd < 0)
        return cli_set_error(MAPI_E_COLLISION, "no free file name in %s", ex->out);
    HRESULT hr = ex->mime->export_cb(m, EXPORT_CCSF, eml_write, &f);
    if (f.hr != S_OK)
        hr = f.hr; /* the write's own failure, not the converter's summary of it */
    if (hr == S_OK && fdatasync(f.fd) != 0)
        hr = cli_set_error(cli_errno_hr(errno), "writing %s: %s", path, strerror(errno));
    if (close(f.fd) != 0 && hr == S_OK)
        hr = cli_set_error(cli_errno_hr(errno), "writing %s: %s", path, strerror(errno));
    if (hr != S_OK)
        unlink(path);
    return hr;
}

/* ---- mbox ---------------------------------------------------------------------------- */

/* One message appended; the writer is closed after it, so that its
 * buffered bytes are written (and their failure seen) before the message
 * counts as exported. */
static HRESULT export_mbox(exporter *ex, LPMESSAGE m)
{
    struct stat st;
    bool file = ex->relay == NULL && stat(ex->mbox_path, &st) == 0 && S_ISREG(st.st_mode);
    fmapi_mbox_writer *w = NULL;
    HRESULT hr = ex->mime->mbox_writer_open(ex->mbox_path, 1, &w);
    if (hr == S_OK)
        hr = ex->mime->mbox_writer_add_message(w, m, EXPORT_CCSF);
    HRESULT closed = w != NULL ? ex->mime->mbox_writer_close(w) : S_OK;
    if (hr == S_OK)
        hr = closed;
    /* the writer's last bytes failed at close, after part of the message
     * was written: the file is cut back to the messages before it */
    if (hr != S_OK && file && truncate(ex->mbox_path, st.st_size) != 0)
        fprintf(stderr, "%s: export: %s may end with part of a message: %s\n", ex->c->prog,
                ex->mbox_path, strerror(errno));
    if (hr == S_OK)
        hr = cli_relay_sync(ex->relay);
    return hr;
}

static HRESULT export_one(exporter *ex, LPMESSAGE m, ULONG flags)
{
    if (strcmp(ex->format, "mbox") == 0)
        return export_mbox(ex, m);
    if (strcmp(ex->format, "eml") == 0)
        return export_eml(ex, m);
    (void)flags; /* the marks are read from the message itself */
    /* streamed into the file, with its marks */
    return ex->mime->maildir_deliver_message(ex->out, ex->subfolder, m, EXPORT_CCSF, NULL, 0);
}

/* A failure of the output or the store, not of one message. */
static bool output_failure(HRESULT hr)
{
    return hr == MAPI_E_NOT_ENOUGH_DISK || hr == MAPI_E_DISK_ERROR || hr == MAPI_E_NO_ACCESS ||
           hr == MAPI_E_NOT_ENOUGH_RESOURCES || hr == MAPI_E_USER_CANCEL ||
           hr == MAPI_E_CORRUPT_STORE;
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
        return S_OK;
    }
    if (cli_cancelled())
        return MAPI_E_USER_CANCEL;
    if (output_failure(hr)) {
        ex->stopped = hr;
        cli_fail(ex->c, "export stopped", hr);
        return hr;
    }
    ex->failed++;
    const char *t = ex->mime->last_error();
    fprintf(stderr, "%s: export: a message failed: %s: %s\n", ex->c->prog, fmapi_error_name(hr),
            t && *t ? t : fmapi_last_error());
    return S_OK;
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
        for (ULONG i = 0; i < n && hr == S_OK; i++) {
            const SPropValue *p = rows->aRow[i].lpProps;
            ULONG flags = PROP_TYPE(p[1].ulPropTag) == PT_LONG ? (ULONG)p[1].Value.l : 0;
            hr = cli_cancelled() ? MAPI_E_USER_CANCEL : export_entry(ex, &p[0].Value.bin, flags);
        }
        FreeProws(rows);
        if (n == 0)
            break;
        if (hr == S_OK && !cli_progress_step(ex->progress, ex->written + ex->failed, total))
            hr = MAPI_E_USER_CANCEL;
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
            hr = ex->mime->maildir_make_folder(ex->out, path); /* made even when empty */
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

/* The messages named on the command line, all resolved first. */
static HRESULT export_refs(exporter *ex, int n, char **refs)
{
    cli_msgref *r = NULL;
    HRESULT hr = cli_refs_resolve(ex->c, n, refs, &r);
    for (int i = 0; hr == S_OK && i < n && !cli_cancelled(); i++) {
        if (r[i].hr != S_OK) {
            ex->failed++;
            fprintf(stderr, "%s: export: %s: no such message\n", ex->c->prog, refs[i]);
            continue;
        }
        hr = export_entry(ex, &r[i].eid, 0);
    }
    MAPIFreeBuffer(r);
    return cli_cancelled() ? MAPI_E_USER_CANCEL : hr;
}

/* ---- the command -------------------------------------------------------------------- */

typedef struct export_args {
    const char *folder;
    bool recursive, append;
    int first; /* the first MESSAGE argument */
} export_args;

static int parse_export(cli *c, int argc, char **argv, exporter *ex, export_args *a)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if ((strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--folder") == 0) && i + 1 < argc)
            a->folder = argv[++i];
        else if (strcmp(argv[i], "-r") == 0 || strcmp(argv[i], "--recursive") == 0)
            a->recursive = true;
        else if (strcmp(argv[i], "--append") == 0)
            a->append = true;
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            ex->format = argv[++i];
        else
            return cli_error(c, EXIT_USAGE, "export: unknown option %s", argv[i]);
    }
    if (strcmp(ex->format, "eml") && strcmp(ex->format, "mbox") && strcmp(ex->format, "maildir") &&
        strcmp(ex->format, "msg"))
        return cli_error(c, EXIT_USAGE, "export: --format is eml, mbox, maildir or msg");
    if (a->recursive && strcmp(ex->format, "maildir") != 0 && strcmp(ex->format, "msg") != 0)
        return cli_error(c, EXIT_USAGE, "export: --recursive writes folders: it needs "
                                        "--format maildir or msg");
    if (a->append && strcmp(ex->format, "mbox") != 0)
        return cli_error(c, EXIT_USAGE, "export: --append adds to an mbox file; Maildir and .eml "
                                        "exports add to what is there anyway");
    if (i == argc)
        return cli_error(c, EXIT_USAGE, "export: where to? (see --help)");
    ex->out = argv[i++];
    if (a->recursive && i < argc)
        return cli_error(c, EXIT_USAGE, "export: --recursive exports folders, not MESSAGEs");
    a->first = i;
    return EXIT_OK;
}

/* Makes the output ready: an mbox that is not there (or empty, or a FIFO,
 * or --append), the directory of .eml files. */
static HRESULT open_output(exporter *ex, bool append)
{
    struct stat st;
    bool exists = stat(ex->out, &st) == 0;
    if (strcmp(ex->format, "mbox") == 0) {
        if (exists && S_ISREG(st.st_mode) && st.st_size > 0 && !append)
            return cli_set_error(MAPI_E_COLLISION, "%s exists: export does not overwrite it "
                                                   "(--append adds to it)", ex->out);
        snprintf(ex->mbox_path, sizeof ex->mbox_path, "%s", ex->out);
        if (exists && cli_relay_needed(ex->out))
            return cli_relay_open(ex->out, true, &ex->relay, ex->mbox_path,
                                  sizeof ex->mbox_path);
        /* a new mbox starts empty; the per-message writer appends to it */
        int fd = open(ex->out, O_WRONLY | O_CREAT | O_CLOEXEC | (exists ? 0 : O_EXCL), 0600);
        if (fd < 0)
            return cli_set_error(cli_errno_hr(errno), "cannot create %s: %s", ex->out,
                                 strerror(errno));
        close(fd);
        return S_OK;
    }
    if (strcmp(ex->format, "eml") == 0) {
        if (mkdir(ex->out, 0700) != 0 && errno != EEXIST)
            return cli_set_error(cli_errno_hr(errno), "cannot create %s: %s", ex->out,
                                 strerror(errno));
        ex->next_eml = cli_first_free_number(ex->out, ".eml");
    }
    return S_OK;
}

static int run_export(cli *c, int argc, char **argv)
{
    if (cli_pst_wanted(argc, argv))
        return cli_pst_export(c, argc, argv);
    exporter ex = { .c = c, .format = "mbox" };
    export_args a = { .folder = "Inbox" };
    int code = parse_export(c, argc, argv, &ex, &a);
    if (code != EXIT_OK)
        return code;
    if (strcmp(ex.format, "msg") == 0) /* OUT and the MESSAGEs */
        return cli_msg_export(c, a.folder, a.recursive, argc - (a.first - 1),
                              argv + (a.first - 1));
    if ((ex.mime = cli_mime_load(c)) == NULL)
        return cli_fail(c, "export", MAPI_E_NOT_FOUND);
    HRESULT hr = cli_mailbox(c);
    if (hr != S_OK)
        return cli_fail(c, "opening the mailbox", hr);
    hr = open_output(&ex, a.append);
    if (hr != S_OK)
        return cli_fail(c, ex.out, hr);
    ex.progress = cli_progress_new(c, "export");
    if (a.first == argc)
        hr = export_folder(&ex, a.folder, a.recursive);
    else
        hr = export_refs(&ex, argc - a.first, argv + a.first);
    cli_progress_done(ex.progress);
    HRESULT relayed = cli_relay_close(ex.relay);
    if (hr == S_OK)
        hr = relayed;
    if (c->json)
        printf("{\"exported\":%lu,\"failed\":%lu}\n", ex.written, ex.failed);
    else if (!c->quiet)
        fprintf(stderr, "export: %lu exported, %lu failed\n", ex.written, ex.failed);
    if (hr == MAPI_E_USER_CANCEL || cli_cancelled())
        return EXIT_CANCELLED;
    if (ex.stopped != S_OK)
        return EXIT_FAILED;
    if (hr != S_OK)
        return cli_fail(c, "export", hr);
    return ex.failed || ex.skipped_folders ? EXIT_PARTIAL : EXIT_OK;
}

const cli_command CMD_EXPORT = {
    "export", run_export, "export messages as mbox, Maildir or .eml files",
    "export [-f|--folder FOLDER] [--format mbox|maildir|eml|msg] [-r|--recursive]\n"
    "       [--append] OUT [MESSAGE...]\n"
    "export [-f|--folder FOLDER [-r]] [--since DATE] [--before DATE] --format pst OUT.pst\n\n"
    "Writes the messages of FOLDER (default Inbox), oldest first, or only the\n"
    "MESSAGEs named, as standard MIME: into the mbox file OUT (default format;\n"
    "an existing one is never overwritten: --append adds to it), the Maildir\n"
    "OUT (created if missing; marked messages go to cur/ with their flags: S\n"
    "read, R answered, P forwarded, F flagged, D draft, T deleted), or the\n"
    "directory OUT as numbered .eml files, after the numbers already there\n"
    "(000001.msg, ... with --format msg: Outlook .msg files, every property\n"
    "and attachment kept).\n"
    "With --recursive the subfolders go too: for Maildir as Maildir++\n"
    "folders (.Sub.Folder, empty ones too, names in modified UTF-7), which\n"
    "`mapi import` reads back as a tree (a folder whose name has a '.' cannot\n"
    "be named so and is reported and left out); for .msg files each into a\n"
    "directory of its name below its parent's ('/', '%', control characters\n"
    "and a leading '.' written %XX).\n"
    "A full disk stops the export (exit 1); a message counts as exported only\n"
    "once it is written.\n"
    "--format pst (or an OUT ending in .pst) writes an Outlook data file: the\n"
    "whole mailbox, or FOLDER (-r: and its subfolders), or the messages\n"
    "delivered since / before DATE.",
    CLI_USES_MAILBOX | CLI_READS_ONLY,
};
