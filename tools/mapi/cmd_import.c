/*
 * tools/mapi/cmd_import.c - `mapi import`: Internet mail (EML files, mbox,
 * Maildir and Maildir++ trees) into a folder of the mailbox.
 *
 * Messages are converted one by one (libfreemapi-mime) and saved in groups
 * of up to GROUP with fmapi_message_save_group, so an import costs one
 * commit per group, not per message, while memory holds one group at most.
 * A message that cannot be converted is reported with its file and position
 * and skipped; a group that fails to save is saved again one message at a
 * time, so one bad message never costs its neighbours. Ctrl-C stops after
 * the group in hand is saved: what was imported stays imported.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "freemapi_message.h"
#include "freemapi_mime.h"

#define GROUP 100
#define NO_POSITION (~0ULL)

typedef struct importer {
    cli *c;
    LPMAPIFOLDER top; /* the target folder */
    LPMAPIFOLDER folder; /* where messages go now (top or a Maildir++ subfolder) */
    char folder_name[512];
    LPMESSAGE group[GROUP];
    ULONG marks[GROUP]; /* each message's mailbox marks (FMAPI_MAILBOX_DELETED after its save) */
    ULONG n;
    unsigned long imported, skipped;
    LPMAPIPROGRESS progress;
    bool stop;
} importer;

static void report_skip(importer *im, const char *where, unsigned long long pos, HRESULT hr,
                        const char *text)
{
    im->skipped++;
    char at[48] = "";
    if (pos != NO_POSITION)
        snprintf(at, sizeof at, " (message at byte %llu)", pos);
    fprintf(stderr, "%s: %s%s: skipped: %s: %s\n", im->c->prog, where, at,
            fmapi_error_name(hr), text ? text : "");
}

/* Saves the group in hand: all at once, or one by one if that fails. */
static void flush(importer *im, const char *where)
{
    if (im->n == 0)
        return;
    HRESULT hr = fmapi_message_save_group(im->n, im->group, 0);
    bool saved[GROUP];
    for (ULONG i = 0; i < im->n; i++)
        saved[i] = hr == S_OK;
    if (hr == S_OK) {
        im->imported += im->n;
    } else {
        for (ULONG i = 0; i < im->n; i++) {
            HRESULT one = IMessage_SaveChanges(im->group[i], 0);
            saved[i] = one == S_OK;
            if (one == S_OK)
                im->imported++;
            else
                report_skip(im, where, NO_POSITION, one, fmapi_last_error());
        }
    }
    /* Trashed mail stays marked deleted, not live. */
    for (ULONG i = 0; i < im->n; i++) {
        if (saved[i] && (im->marks[i] & FMAPI_MAILBOX_DELETED))
            fmapi_mailbox_mark_deleted(im->folder, im->group[i]);
    }
    for (ULONG i = 0; i < im->n; i++)
        IMessage_Release(im->group[i]);
    im->n = 0;
    if (!cli_progress_step(im->progress, im->imported, 0))
        im->stop = true;
}

/* Delivery time for messages without a Received header: their Date. */
static void default_delivery_time(LPMESSAGE m)
{
    LPSPropValue v = NULL;
    if (HrGetOneProp((LPMAPIPROP)m, PR_MESSAGE_DELIVERY_TIME, &v) == S_OK) {
        MAPIFreeBuffer(v);
        return;
    }
    if (HrGetOneProp((LPMAPIPROP)m, PR_CLIENT_SUBMIT_TIME, &v) == S_OK) {
        v->ulPropTag = PR_MESSAGE_DELIVERY_TIME;
        HrSetOneProp((LPMAPIPROP)m, v);
    }
    MAPIFreeBuffer(v);
}

/* What the converter repaired in a message, or kept as it came: one line
 * each on stderr. */
static void report_warnings(importer *im, const char *where, unsigned long long pos)
{
    const char *w = fmapi_mime_last_warnings();
    while (*w && !im->c->quiet) {
        const char *nl = strchr(w, '\n');
        int n = nl ? (int)(nl - w) : (int)strlen(w);
        char at[48] = "";
        if (pos != NO_POSITION)
            snprintf(at, sizeof at, " (message at byte %llu)", pos);
        fprintf(stderr, "%s: %s%s: warning: %.*s\n", im->c->prog, where, at, n, w);
        w += n + (nl != NULL);
    }
}

/* Where one message's MIME comes from: bytes in memory (a message of an
 * mbox or a Maildir), or an open file (an .eml, streamed: a large file is
 * never held whole). */
typedef struct mime_source {
    const void *data;
    size_t len;
    int fd; /* -1: data */
} mime_source;

/* One message: it joins the group in hand, or is reported and skipped. */
static void import_one(importer *im, const mime_source *src, ULONG flags, const char *where,
                       unsigned long long pos)
{
    LPMESSAGE m = NULL;
    HRESULT hr = IMAPIFolder_CreateMessage(im->folder, NULL, 0, &m);
    /* CCSF_EMBEDDED_MESSAGE: received mail is not a draft (only X-Unsent: 1
     * keeps a message unsent); set_read then follows the source. */
    const ULONG ccsf = CCSF_SMTP | CCSF_INCLUDE_BCC | CCSF_EMBEDDED_MESSAGE;
    if (hr == S_OK)
        hr = src->fd >= 0 ? fmapi_mime_import_fd(src->fd, m, ccsf)
                          : fmapi_mime_import_buffer(src->data, src->len, m, ccsf);
    const char *text = hr == S_OK ? NULL : fmapi_mime_last_error();
    if (hr == S_OK)
        report_warnings(im, where, pos);
    if (hr == S_OK)
        hr = fmapi_mailbox_set_flags(m, flags);
    if (hr == S_OK)
        default_delivery_time(m);
    if (hr != S_OK) {
        char copy[512];
        snprintf(copy, sizeof copy, "%s", text && *text ? text : fmapi_last_error());
        report_skip(im, where, pos, hr, copy);
        if (m != NULL)
            IMessage_Release(m);
        return;
    }
    im->marks[im->n] = flags;
    im->group[im->n++] = m;
    if (im->n == GROUP)
        flush(im, where);
}

/* Maildir++ "Sub/Folder" under the target, made when missing. */
static HRESULT enter_folder(importer *im, const char *name)
{
    if (strcmp(name, im->folder_name) == 0)
        return S_OK;
    flush(im, name);
    if (im->folder != im->top)
        IMAPIFolder_Release(im->folder);
    im->folder = im->top;
    snprintf(im->folder_name, sizeof im->folder_name, "%s", name);
    char *copy = strdup(name), *save = NULL;
    HRESULT hr = copy ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    for (char *p = copy ? strtok_r(copy, "/", &save) : NULL; hr == S_OK && p;
         p = strtok_r(NULL, "/", &save)) {
        LPMAPIFOLDER child = NULL;
        hr = IMAPIFolder_CreateFolder(im->folder, FOLDER_GENERIC, (LPTSTR)p, NULL, NULL,
                                      OPEN_IF_EXISTS, &child);
        if (im->folder != im->top)
            IMAPIFolder_Release(im->folder);
        im->folder = hr == S_OK ? child : im->top;
    }
    free(copy);
    return hr;
}

static HRESULT import_mbox(importer *im, const char *path)
{
    fmapi_mbox_reader *r = NULL;
    HRESULT hr = fmapi_mbox_open(path, &r);
    if (hr != S_OK)
        return hr;
    fmapi_mailbox_entry e;
    while (!im->stop && (hr = fmapi_mbox_next(r, &e)) == S_OK) {
        mime_source src = { e.data, e.len, e.fd }; /* a large message streams from fd */
        import_one(im, &src, e.flags, path, e.offset);
    }
    fmapi_mbox_close(r);
    flush(im, path);
    return hr == MAPI_E_NOT_FOUND ? S_OK : hr;
}

static HRESULT import_maildir(importer *im, const char *path)
{
    fmapi_maildir_reader *r = NULL;
    HRESULT hr = fmapi_maildir_open(path, FMAPI_MAILDIR_RECURSE | FMAPI_MAILDIR_FOLDERS, &r);
    if (hr != S_OK)
        return hr;
    fmapi_mailbox_entry e;
    while (!im->stop) {
        hr = fmapi_maildir_next(r, &e);
        if (hr == MAPI_E_NOT_FOUND) {
            hr = S_OK;
            break;
        }
        if (hr != S_OK) {
            report_skip(im, path, NO_POSITION, hr, fmapi_mime_last_error());
            continue;
        }
        if (enter_folder(im, e.folder ? e.folder : "") != S_OK) {
            report_skip(im, e.path ? e.path : path, NO_POSITION, MAPI_E_CALL_FAILED,
                        "its folder could not be made");
            continue;
        }
        if (e.flags & FMAPI_MAILBOX_FOLDER)
            continue; /* a folder, made even when empty */
        mime_source src = { e.data, e.len, e.fd };
        import_one(im, &src, e.flags, e.path ? e.path : path, NO_POSITION);
    }
    fmapi_maildir_close(r);
    flush(im, path);
    enter_folder(im, "");
    return hr;
}

/* An .eml file, streamed from its descriptor. */
static HRESULT import_eml(importer *im, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? MAPI_E_NOT_FOUND : MAPI_E_NO_ACCESS;
    mime_source src = { NULL, 0, fd };
    import_one(im, &src, 0, path, NO_POSITION);
    close(fd);
    return S_OK;
}

static HRESULT import_eml_dir(importer *im, const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL)
        return MAPI_E_NO_ACCESS;
    struct dirent *e;
    while (!im->stop && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".eml") != 0)
            continue;
        char file[4096];
        snprintf(file, sizeof file, "%s/%s", path, e->d_name);
        HRESULT hr = import_eml(im, file);
        if (hr != S_OK)
            report_skip(im, file, NO_POSITION, hr, "cannot read the file");
    }
    closedir(d);
    flush(im, path);
    return S_OK;
}

/* eml, mbox or maildir, from --format or what the path looks like. */
static const char *detect(const char *path, const char *format)
{
    if (format != NULL)
        return format;
    struct stat st;
    if (stat(path, &st) != 0)
        return "eml";
    if (S_ISDIR(st.st_mode)) {
        char cur[4096];
        snprintf(cur, sizeof cur, "%s/cur", path);
        return stat(cur, &st) == 0 ? "maildir" : "emldir";
    }
    char head[5] = "";
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
        ssize_t n = read(fd, head, 5);
        close(fd);
        if (n == 5 && memcmp(head, "From ", 5) == 0)
            return "mbox";
    }
    return "eml";
}

static int run_import(cli *c, int argc, char **argv)
{
    const char *folder = "Inbox", *format = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if ((strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--folder") == 0) && i + 1 < argc)
            folder = argv[++i];
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else
            return cli_error(c, EXIT_USAGE, "import: unknown option %s", argv[i]);
    }
    if (format && strcmp(format, "eml") && strcmp(format, "mbox") && strcmp(format, "maildir"))
        return cli_error(c, EXIT_USAGE, "import: --format is eml, mbox or maildir");
    if (i == argc)
        return cli_error(c, EXIT_USAGE, "import: what to import? (see --help)");
    importer im = { .c = c };
    HRESULT hr = cli_folder_open(c, folder, true, &im.top);
    if (hr != S_OK)
        return cli_fail(c, folder, hr);
    im.folder = im.top;
    im.progress = cli_progress_new(c, "import");
    int code = EXIT_OK;
    for (; i < argc && !im.stop; i++) {
        const char *kind = detect(argv[i], format);
        if (strcmp(kind, "mbox") == 0)
            hr = import_mbox(&im, argv[i]);
        else if (strcmp(kind, "maildir") == 0)
            hr = import_maildir(&im, argv[i]);
        else if (strcmp(kind, "emldir") == 0)
            hr = import_eml_dir(&im, argv[i]);
        else {
            hr = import_eml(&im, argv[i]);
            flush(&im, argv[i]);
        }
        if (hr != S_OK)
            code = cli_fail(c, argv[i], hr);
    }
    flush(&im, "");
    cli_progress_done(im.progress);
    if (im.folder != im.top)
        IMAPIFolder_Release(im.folder);
    IMAPIFolder_Release(im.top);
    if (c->json)
        printf("{\"imported\":%lu,\"skipped\":%lu}\n", im.imported, im.skipped);
    else if (!c->quiet)
        fprintf(stderr, "import: %lu imported, %lu skipped\n", im.imported, im.skipped);
    if (cli_cancelled())
        return EXIT_CANCELLED;
    if (code == EXIT_OK && im.skipped > 0)
        code = EXIT_PARTIAL;
    return code;
}

const cli_command CMD_IMPORT = {
    "import", run_import, "import EML files, mbox files or Maildir trees",
    "import [-f|--folder FOLDER] [--format eml|mbox|maildir] PATH...\n\n"
    "Imports Internet messages into FOLDER (default Inbox). Each PATH is an .eml\n"
    "file, a directory of .eml files, an mbox file, or a Maildir (Maildir++\n"
    "subfolders, empty ones too, become subfolders of FOLDER); --format overrides\n"
    "the guess. Maildir flags and mbox Status/X-Status fields become the marks\n"
    "(read, answered, forwarded, flagged, draft, deleted); repairs are warnings.\n"
    "A message that cannot be read is reported with its position and skipped\n"
    "(exit 4); Ctrl-C stops cleanly, keeping what was imported (exit 130).",
};
