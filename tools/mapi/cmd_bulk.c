/*
 * tools/mapi/cmd_bulk.c - `mapi rm`, `mv`, `cp`, `empty` and `purge`: the
 * folder bulk operations, each one MAPI call (DeleteMessages, CopyMessages,
 * EmptyFolder, fmapi_store_purge) with a progress bar and Ctrl-C.
 *
 * Message references are all turned into entry IDs before anything is
 * changed, since FOLDER:N numbers shift as messages go; then the entries are
 * grouped by the folder that holds them, one call per folder.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "freemapi_store.h"

/* The messages named on the command line that are still there, with their
 * folders. */
typedef struct picked {
    ULONG n;
    SBinary *eids;    /* n entries (pointing into refs) */
    SBinary *parents; /* n parent folder entry IDs */
    cli_msgref *refs; /* every reference, resolved */
    ULONG gone;       /* references to messages no longer there, reported */
} picked;

static void picked_clear(picked *p)
{
    free(p->eids);
    MAPIFreeBuffer(p->refs);
    memset(p, 0, sizeof *p);
}

/* Resolves the references; what is gone already (a run interrupted before,
 * or a number past the end) is reported and skipped, so a re-run with the
 * same entry IDs finishes the job. skip (may be NULL): a folder whose
 * messages are left as they are (a move's destination). */
static HRESULT pick(cli *c, const char *verb, int argc, char **argv, const SBinary *skip,
                    picked *p)
{
    memset(p, 0, sizeof *p);
    HRESULT hr = cli_refs_resolve(c, argc, argv, &p->refs);
    if (hr == S_OK && (p->eids = calloc(2 * (size_t)(argc ? argc : 1), sizeof *p->eids)) == NULL)
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (hr != S_OK) {
        picked_clear(p);
        return hr;
    }
    p->parents = p->eids + argc;
    for (int i = 0; i < argc; i++) {
        const cli_msgref *r = &p->refs[i];
        if (r->hr == MAPI_E_NOT_FOUND || r->hr == MAPI_E_INVALID_ENTRYID ||
            r->hr == MAPI_E_UNKNOWN_ENTRYID) {
            fprintf(stderr, "%s: %s: %s: no such message (gone already?): skipped\n", c->prog,
                    verb, argv[i]);
            p->gone++;
        } else if (r->hr != S_OK) {
            hr = r->hr; /* the mailbox failed: finish says why */
            break;
        } else if (skip != NULL && r->parent.cb == skip->cb &&
                   memcmp(r->parent.lpb, skip->lpb, skip->cb) == 0) {
            fprintf(stderr, "%s: %s: %s: already in that folder: skipped\n", c->prog, verb,
                    argv[i]);
            p->gone++;
        } else {
            p->eids[p->n] = r->eid;
            p->parents[p->n++] = r->parent;
        }
    }
    return hr;
}

static bool same_bin(const SBinary *a, const SBinary *b)
{
    return a->cb == b->cb && memcmp(a->lpb, b->lpb, a->cb) == 0;
}

typedef HRESULT (*per_folder_fn)(cli *c, LPMAPIFOLDER folder, LPENTRYLIST list, void *ctx,
                                 LPMAPIPROGRESS progress);

/* Calls fn once per source folder with the picked messages it holds. */
static HRESULT by_folder(cli *c, const picked *p, per_folder_fn fn, void *ctx, const char *label)
{
    bool *done = calloc(p->n ? p->n : 1, sizeof *done);
    SBinary *group = calloc(p->n ? p->n : 1, sizeof *group);
    HRESULT hr = (done && group) ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    HRESULT result = S_OK;
    for (ULONG i = 0; hr == S_OK && i < p->n; i++) {
        if (done[i])
            continue;
        ENTRYLIST list = { 0, group };
        for (ULONG k = i; k < p->n; k++) {
            if (!done[k] && same_bin(&p->parents[k], &p->parents[i])) {
                group[list.cValues++] = p->eids[k];
                done[k] = true;
            }
        }
        LPMAPIFOLDER f = NULL;
        ULONG type = 0;
        hr = IMsgStore_OpenEntry(c->mdb, p->parents[i].cb, (LPENTRYID)p->parents[i].lpb, NULL,
                                 MAPI_MODIFY, &type, (LPUNKNOWN *)&f);
        LPMAPIPROGRESS progress = hr == S_OK ? cli_progress_new(c, label) : NULL;
        if (hr == S_OK)
            hr = fn(c, f, &list, ctx, progress);
        cli_progress_done(progress);
        if (f != NULL)
            IMAPIFolder_Release(f);
        if (hr == MAPI_W_PARTIAL_COMPLETION) {
            result = hr;
            hr = S_OK;
        }
    }
    free(done);
    free(group);
    return hr == S_OK ? result : hr;
}

static int finish(cli *c, const char *what, HRESULT hr, const picked *p)
{
    if (c->usage_error)
        return EXIT_USAGE;
    if (hr != S_OK && hr != MAPI_W_PARTIAL_COMPLETION)
        return cli_fail(c, what, hr);
    if (hr == MAPI_W_PARTIAL_COMPLETION)
        cli_error(c, EXIT_PARTIAL, "%s: some messages were skipped (gone, or in use)", what);
    if (!c->quiet && !c->json)
        fprintf(stderr, "%s: %lu message%s%s\n", what, (unsigned long)p->n, p->n == 1 ? "" : "s",
                p->gone ? ", the others skipped" : "");
    if (hr == S_OK && p->gone == 0)
        return EXIT_OK;
    return p->n == 0 ? EXIT_NOT_FOUND : EXIT_PARTIAL; /* none of them was there */
}

/* ---- rm ---------------------------------------------------------------------- */

static HRESULT delete_in(cli *c, LPMAPIFOLDER f, LPENTRYLIST list, void *ctx,
                         LPMAPIPROGRESS progress)
{
    ULONG flags = *(ULONG *)ctx;
    return IMAPIFolder_DeleteMessages(f, list, 0, progress,
                                      flags | (progress ? MESSAGE_DIALOG : 0));
}

static int run_rm(cli *c, int argc, char **argv)
{
    ULONG flags = 0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--hard") == 0)
            flags |= DELETE_HARD_DELETE;
        else
            return cli_error(c, EXIT_USAGE, "rm: unknown option %s", argv[i]);
    }
    if (i == argc)
        return cli_error(c, EXIT_USAGE, "rm: which messages? (see --help)");
    picked p;
    HRESULT hr = pick(c, "rm", argc - i, argv + i, NULL, &p);
    if (hr == S_OK)
        hr = by_folder(c, &p, delete_in, &flags, "rm");
    int code = finish(c, "rm", hr, &p);
    picked_clear(&p);
    return code;
}

const cli_command CMD_RM = {
    "rm", run_rm, "delete messages (recoverable unless --hard)",
    "rm [--hard] MESSAGE...\n\n"
    "Deletes the messages (FOLDER:N or entry IDs). They are kept as soft-deleted\n"
    "(recoverable until 'mapi purge') unless --hard frees them at once. A message\n"
    "that is gone already is reported and skipped (exit 4), so running the same\n"
    "command again with entry IDs finishes an interrupted one; FOLDER:N numbers\n"
    "shift as messages go, so scripts should use entry IDs (ls --columns id).",
    CLI_USES_MAILBOX,
};

/* ---- mv / cp ---------------------------------------------------------------- */

typedef struct copy_ctx {
    LPMAPIFOLDER dest;
    ULONG flags;
} copy_ctx;

static HRESULT copy_in(cli *c, LPMAPIFOLDER f, LPENTRYLIST list, void *ctx,
                       LPMAPIPROGRESS progress)
{
    copy_ctx *cc = ctx;
    return IMAPIFolder_CopyMessages(f, list, NULL, cc->dest, 0, progress,
                                    cc->flags | (progress ? MESSAGE_DIALOG : 0));
}

static int copy_or_move(cli *c, int argc, char **argv, ULONG flags, const char *name)
{
    if (argc < 3)
        return cli_error(c, EXIT_USAGE, "%s: MESSAGE... FOLDER expected (see --help)", name);
    copy_ctx cc = { NULL, flags };
    HRESULT hr = cli_folder_open(c, argv[argc - 1], true, &cc.dest);
    if (hr != S_OK)
        return cli_fail(c, argv[argc - 1], hr);
    /* a message moved already (an interrupted run) is in the destination */
    LPSPropValue dest = NULL;
    if ((flags & MESSAGE_MOVE) && HrGetOneProp((LPMAPIPROP)cc.dest, PR_ENTRYID, &dest) != S_OK)
        dest = NULL;
    picked p;
    hr = pick(c, name, argc - 2, argv + 1, dest ? &dest->Value.bin : NULL, &p);
    if (hr == S_OK)
        hr = by_folder(c, &p, copy_in, &cc, name);
    int code = finish(c, name, hr, &p);
    picked_clear(&p);
    MAPIFreeBuffer(dest);
    IMAPIFolder_Release(cc.dest);
    return code;
}

static int run_mv(cli *c, int argc, char **argv)
{
    return copy_or_move(c, argc, argv, MESSAGE_MOVE, "mv");
}

static int run_cp(cli *c, int argc, char **argv)
{
    return copy_or_move(c, argc, argv, 0, "cp");
}

const cli_command CMD_MV = {
    "mv", run_mv, "move messages to a folder",
    "mv MESSAGE... FOLDER\n\n"
    "Moves the messages (FOLDER:N or entry IDs) into FOLDER. A message moved\n"
    "already, or gone, is reported and skipped (exit 4).",
    CLI_USES_MAILBOX,
};

const cli_command CMD_CP = {
    "cp", run_cp, "copy messages to a folder",
    "cp MESSAGE... FOLDER\n\n"
    "Copies the messages (FOLDER:N or entry IDs) into FOLDER.",
    CLI_USES_MAILBOX,
};

/* ---- empty / purge ------------------------------------------------------------ */

/* The messages (with the associated ones when assoc) of f and of every
 * folder below it, and how many folders are below it. */
static HRESULT tree_counts(LPMAPIFOLDER f, bool assoc, unsigned long *messages,
                           unsigned long *folders)
{
    *messages = *folders = 0;
    SizedSPropTagArray(2, tags) = { 2, { PR_CONTENT_COUNT, PR_ASSOC_CONTENT_COUNT } };
    ULONG n = 0;
    LPSPropValue own = NULL;
    HRESULT hr = IMAPIFolder_GetProps(f, (LPSPropTagArray)&tags, 0, &n, &own);
    LPMAPITABLE t = NULL;
    if (SUCCEEDED(hr))
        hr = IMAPIFolder_GetHierarchyTable(f, CONVENIENT_DEPTH, &t);
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&tags, NULL, NULL, 0, &rows);
    for (ULONG i = 0; hr == S_OK && i <= rows->cRows; i++) {
        const SPropValue *p = i < rows->cRows ? rows->aRow[i].lpProps : own;
        *messages += PROP_TYPE(p[0].ulPropTag) == PT_LONG ? (ULONG)p[0].Value.l : 0;
        if (assoc)
            *messages += PROP_TYPE(p[1].ulPropTag) == PT_LONG ? (ULONG)p[1].Value.l : 0;
    }
    if (hr == S_OK)
        *folders = rows->cRows;
    if (rows != NULL)
        FreeProws(rows);
    if (t != NULL)
        IMAPITable_Release(t);
    MAPIFreeBuffer(own);
    return hr;
}

static int run_empty(cli *c, int argc, char **argv)
{
    ULONG flags = 0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--hard") == 0)
            flags |= DELETE_HARD_DELETE;
        else if (strcmp(argv[i], "--associated") == 0)
            flags |= DEL_ASSOCIATED;
        else
            return cli_error(c, EXIT_USAGE, "empty: unknown option %s", argv[i]);
    }
    if (i + 1 != argc)
        return cli_error(c, EXIT_USAGE, "empty: one folder expected (see --help)");
    /* "", "/" (an unset shell variable) name the top of the mailbox:
     * emptying it would delete every folder */
    if (cli_path_is_top(argv[i]))
        return cli_error(c, EXIT_USAGE, "empty: '%s' names the top of the mailbox, which is "
                                        "never emptied as a whole: name a folder", argv[i]);
    LPMAPIFOLDER f = NULL;
    HRESULT hr = cli_folder_open(c, argv[i], true, &f);
    if (hr != S_OK)
        return cli_fail(c, argv[i], hr);
    bool assoc = (flags & DEL_ASSOCIATED) != 0;
    unsigned long msgs0 = 0, dirs0 = 0, msgs1 = 0, dirs1 = 0;
    hr = tree_counts(f, assoc, &msgs0, &dirs0);
    LPMAPIPROGRESS progress = hr == S_OK ? cli_progress_new(c, "empty") : NULL;
    if (hr == S_OK)
        hr = IMAPIFolder_EmptyFolder(f, 0, progress, flags | (progress ? FOLDER_DIALOG : 0));
    cli_progress_done(progress);
    /* what went, counted from what is left (a cancel or a skip included) */
    if ((hr == S_OK || hr == MAPI_W_PARTIAL_COMPLETION || hr == MAPI_E_USER_CANCEL) &&
        tree_counts(f, assoc, &msgs1, &dirs1) == S_OK && !c->quiet && !c->json)
        fprintf(stderr, "empty: %lu message%s and %lu folder%s deleted\n", msgs0 - msgs1,
                msgs0 - msgs1 == 1 ? "" : "s", dirs0 - dirs1, dirs0 - dirs1 == 1 ? "" : "s");
    IMAPIFolder_Release(f);
    if (hr == MAPI_W_PARTIAL_COMPLETION)
        return cli_error(c, EXIT_PARTIAL, "empty: some messages were skipped (in use)");
    return hr == S_OK ? EXIT_OK : cli_fail(c, "empty", hr);
}

const cli_command CMD_EMPTY = {
    "empty", run_empty, "delete everything in a folder",
    "empty [--hard] [--associated] FOLDER\n\n"
    "Deletes every message and subfolder of FOLDER, in short batches so other\n"
    "users of the mailbox are never held up. Soft (recoverable until 'mapi purge')\n"
    "unless --hard; --associated includes the folder's associated messages.\n"
    "Ctrl-C stops after the current batch; running it again finishes the job.\n"
    "FOLDER must name a folder: \"\" and \"/\" (the top of the mailbox) are refused.",
    CLI_USES_MAILBOX,
};

/* Days, as seconds, must fit the 32-bit age fmapi_store_purge takes. */
#define MAX_PURGE_DAYS (0xFFFFFFFFULL / 86400)

static int run_purge(cli *c, int argc, char **argv)
{
    unsigned long long days = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--older-than") == 0 && i + 1 < argc) {
            char arg[32];
            const char *v = argv[++i];
            size_t len = strlen(v);
            /* "30" or "30d" */
            snprintf(arg, sizeof arg, "%.*s", (int)(len > 0 && v[len - 1] == 'd' ? len - 1 : len),
                     v);
            if (len >= sizeof arg || !cli_parse_number(arg, 0, MAX_PURGE_DAYS, &days))
                return cli_error(c, EXIT_USAGE, "purge: --older-than wants a number of days "
                                                "from 0 to %llu (e.g. 30)", MAX_PURGE_DAYS);
        } else {
            return cli_error(c, EXIT_USAGE, "purge: unknown argument %s", argv[i]);
        }
    }
    HRESULT hr = cli_mailbox(c);
    if (hr != S_OK)
        return cli_fail(c, "opening the mailbox", hr);
    ULONG purged = 0;
    LPMAPIPROGRESS progress = cli_progress_new(c, "purge");
    hr = fmapi_store_purge(c->mdb, (ULONG)(days * 86400ULL), progress, 0, &purged);
    cli_progress_done(progress);
    if (c->json && hr == S_OK)
        printf("{\"purged\":%lu}\n", (unsigned long)purged);
    if (hr != S_OK)
        return cli_fail(c, "purge", hr);
    if (!c->quiet && !c->json)
        fprintf(stderr, "purge: %lu message%s\n", (unsigned long)purged, purged == 1 ? "" : "s");
    return EXIT_OK;
}

const cli_command CMD_PURGE = {
    "purge", run_purge, "free soft-deleted messages for good",
    "purge [--older-than DAYS]\n\n"
    "Frees the messages deleted without --hard (and emptied folders), all of them\n"
    "or those deleted at least DAYS days ago (0 to 49710), returning their space.",
    CLI_USES_MAILBOX,
};
