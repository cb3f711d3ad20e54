/*
 * tools/mapi/cmd_folders.c - `mapi folders`, `mapi mkdir`, `mapi rmdir`:
 * the folder tree with its counts, and making and removing folders.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ---- folders --------------------------------------------------------------- */

enum { COL_NAME, COL_DEPTH, COL_COUNT, COL_UNREAD, COL_SUB, NCOLS };

static void print_folder(cli *c, json_out *j, const SPropValue *p, char stack[][256], int depth)
{
    const char *name = PROP_TYPE(p[COL_NAME].ulPropTag) == PT_STRING8 ? p[COL_NAME].Value.lpszA
                                                                       : "";
    long count = PROP_TYPE(p[COL_COUNT].ulPropTag) == PT_LONG ? p[COL_COUNT].Value.l : 0;
    long unread = PROP_TYPE(p[COL_UNREAD].ulPropTag) == PT_LONG ? p[COL_UNREAD].Value.l : 0;
    if (depth < 32)
        snprintf(stack[depth], 256, "%s", name);
    if (!c->json) {
        printf("%*s%-*s %8ld", 2 * depth, "", 40 - 2 * (depth < 20 ? depth : 20), name, count);
        if (unread > 0)
            printf("  (%ld unread)", unread);
        putchar('\n');
        return;
    }
    char path[2048] = "";
    for (int d = 0; d <= depth && d < 32; d++) {
        size_t len = strlen(path);
        snprintf(path + len, sizeof path - len, "%s%s", d ? "/" : "", stack[d]);
    }
    json_begin_object(j);
    json_key(j, "path");
    json_string(j, path);
    json_key(j, "name");
    json_string(j, name);
    json_key(j, "depth");
    json_int(j, depth);
    json_key(j, "messages");
    json_int(j, count);
    json_key(j, "unread");
    json_int(j, unread);
    json_end_object(j);
}

static int run_folders(cli *c, int argc, char **argv)
{
    if (argc > 1)
        return cli_usage(&(const cli_command){ .usage = "folders" });
    LPMAPIFOLDER root = NULL;
    HRESULT hr = cli_folder_open(c, "", false, &root);
    if (hr != S_OK)
        return cli_fail(c, "opening the mailbox", hr);
    LPMAPITABLE t = NULL;
    hr = IMAPIFolder_GetHierarchyTable(root, CONVENIENT_DEPTH, &t);
    SizedSPropTagArray(NCOLS, cols) = { NCOLS, { PR_DISPLAY_NAME_A, PR_DEPTH, PR_CONTENT_COUNT,
                                                 PR_CONTENT_UNREAD, PR_SUBFOLDERS } };
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    if (t != NULL)
        IMAPITable_Release(t);
    IMAPIFolder_Release(root);
    if (hr != S_OK)
        return cli_fail(c, "reading the folder tree", hr);
    json_out j = { .f = stdout };
    char stack[32][256];
    if (c->json)
        json_begin_array(&j);
    for (ULONG i = 0; i < rows->cRows; i++) {
        const SPropValue *p = rows->aRow[i].lpProps;
        /* PR_DEPTH counts from 1 under the folder whose table this is */
        int depth = PROP_TYPE(p[COL_DEPTH].ulPropTag) == PT_LONG ? (int)p[COL_DEPTH].Value.l - 1
                                                                 : 0;
        print_folder(c, &j, p, stack, depth < 0 ? 0 : depth);
    }
    if (c->json)
        json_end_array(&j);
    FreeProws(rows);
    return EXIT_OK;
}

const cli_command CMD_FOLDERS = {
    "folders", run_folders, "show the folder tree with message counts",
    "folders\n\n"
    "Prints every folder under the top of the mailbox, indented by depth, with its\n"
    "message count and unread count. With the global --json: an array of\n"
    "{path, name, depth, messages, unread}.",
    CLI_USES_MAILBOX | CLI_READS_ONLY,
};

/* ---- mkdir / rmdir --------------------------------------------------------- */

/* Splits "a/b/c" into the parent "a/b" and the name "c". */
static void split_path(const char *path, char *parent, size_t cap, const char **name)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        parent[0] = '\0';
        *name = path;
    } else {
        snprintf(parent, cap, "%.*s", (int)(slash - path), path);
        *name = slash + 1;
    }
}

static int run_mkdir(cli *c, int argc, char **argv)
{
    bool parents = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-p") == 0 || strcmp(argv[i], "--parents") == 0)
            parents = true;
        else
            return cli_error(c, EXIT_USAGE, "mkdir: unknown option %s", argv[i]);
    }
    if (i + 1 != argc)
        return cli_error(c, EXIT_USAGE, "mkdir: one folder path expected (see --help)");
    char parent[1024];
    const char *name;
    split_path(argv[i], parent, sizeof parent, &name);
    if (name[0] == '\0')
        return cli_error(c, EXIT_USAGE, "mkdir: the folder needs a name");
    /* a name with a line break or an escape sequence in it breaks every
     * listing that shows it */
    if (!cli_name_is_clean(argv[i]))
        return cli_error(c, EXIT_USAGE, "mkdir: folder names cannot hold control characters");
    LPMAPIFOLDER pf = NULL;
    HRESULT hr = cli_folder_open(c, parent, true, &pf);
    if (hr == MAPI_E_NOT_FOUND && parents) {
        /* make the missing parents one level at a time */
        char *copy = strdup(parent);
        char *save = NULL;
        hr = copy ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
        LPMAPIFOLDER f = NULL;
        hr = hr == S_OK ? cli_folder_open(c, "", true, &f) : hr;
        for (char *part = copy ? strtok_r(copy, "/", &save) : NULL; hr == S_OK && part;
             part = strtok_r(NULL, "/", &save)) {
            LPMAPIFOLDER child = NULL;
            hr = IMAPIFolder_CreateFolder(f, FOLDER_GENERIC, (LPTSTR)part, NULL, NULL,
                                          OPEN_IF_EXISTS, &child);
            IMAPIFolder_Release(f);
            f = child;
        }
        free(copy);
        pf = f;
    }
    if (hr != S_OK)
        return cli_fail(c, parent[0] ? parent : "the top folder", hr);
    LPMAPIFOLDER made = NULL;
    hr = IMAPIFolder_CreateFolder(pf, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL,
                                  parents ? OPEN_IF_EXISTS : 0, &made);
    IMAPIFolder_Release(pf);
    if (hr != S_OK)
        return cli_fail(c, argv[i], hr);
    IMAPIFolder_Release(made);
    return EXIT_OK;
}

const cli_command CMD_MKDIR = {
    "mkdir", run_mkdir, "create a folder",
    "mkdir [-p|--parents] PATH\n\n"
    "Creates the folder PATH (\"Inbox/Projects\"). With -p, missing parents are\n"
    "created and an existing folder is not an error. Names cannot hold control\n"
    "characters.",
    CLI_USES_MAILBOX,
};

static int run_rmdir(cli *c, int argc, char **argv)
{
    bool recursive = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-r") == 0 || strcmp(argv[i], "--recursive") == 0)
            recursive = true;
        else
            return cli_error(c, EXIT_USAGE, "rmdir: unknown option %s", argv[i]);
    }
    if (i + 1 != argc)
        return cli_error(c, EXIT_USAGE, "rmdir: one folder path expected (see --help)");
    if (cli_path_is_top(argv[i]))
        return cli_error(c, EXIT_USAGE, "rmdir: '%s' names the top of the mailbox, which is "
                                        "never removed: name a folder", argv[i]);
    char parent[1024];
    const char *name;
    split_path(argv[i], parent, sizeof parent, &name);
    if (name[0] == '\0')
        return cli_error(c, EXIT_USAGE, "rmdir: which folder? (no name after the last '/')");
    LPMAPIFOLDER pf = NULL, f = NULL;
    HRESULT hr = cli_folder_open(c, parent, true, &pf);
    if (hr == S_OK)
        hr = cli_folder_open(c, argv[i], false, &f);
    LPSPropValue eid = NULL;
    if (hr == S_OK)
        hr = HrGetOneProp((LPMAPIPROP)f, PR_ENTRYID, &eid);
    LPMAPIPROGRESS progress = hr == S_OK ? cli_progress_new(c, "rmdir") : NULL;
    if (hr == S_OK)
        hr = IMAPIFolder_DeleteFolder(pf, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb, 0,
                                      progress,
                                      (recursive ? (DEL_FOLDERS | DEL_MESSAGES) : 0) |
                                          (progress ? FOLDER_DIALOG : 0));
    cli_progress_done(progress);
    MAPIFreeBuffer(eid);
    if (f != NULL)
        IMAPIFolder_Release(f);
    if (pf != NULL)
        IMAPIFolder_Release(pf);
    if (hr == MAPI_E_HAS_FOLDERS || hr == MAPI_E_HAS_MESSAGES)
        return cli_error(c, EXIT_FAILED, "rmdir: %s is not empty (use -r to remove what it "
                                         "holds)", argv[i]);
    return hr == S_OK ? EXIT_OK : cli_fail(c, argv[i], hr);
}

const cli_command CMD_RMDIR = {
    "rmdir", run_rmdir, "remove a folder",
    "rmdir [-r|--recursive] PATH\n\n"
    "Removes the folder PATH. It must be empty unless -r is given, which removes\n"
    "its messages and subfolders too. The standard folders (Inbox, Outbox, Sent\n"
    "Items, Deleted Items, Drafts, ...) and the top of the mailbox are never removed.",
    CLI_USES_MAILBOX,
};
