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

/* Entry IDs of the messages named on the command line, with their folders. */
typedef struct picked {
    ULONG n;
    LPSBinary eids;    /* n entries, in one MAPI buffer */
    LPSBinary parents; /* n parent folder entry IDs, same buffer */
} picked;

static HRESULT pick(cli *c, int argc, char **argv, picked *p)
{
    memset(p, 0, sizeof *p);
    HRESULT hr = MAPIAllocateBuffer((ULONG)(2 * (size_t)argc * sizeof(SBinary) + 1),
                                    (void **)&p->eids);
    if (hr != S_OK)
        return hr;
    p->parents = p->eids + argc;
    for (int i = 0; i < argc && hr == S_OK; i++) {
        LPMESSAGE m = NULL;
        hr = cli_message_open(c, argv[i], false, &m);
        LPSPropValue v = NULL;
        SizedSPropTagArray(2, tags) = { 2, { PR_ENTRYID, PR_PARENT_ENTRYID } };
        ULONG nv = 0;
        if (hr == S_OK)
            hr = IMessage_GetProps(m, (LPSPropTagArray)&tags, 0, &nv, &v);
        if (hr == S_OK) {
            for (int k = 0; k < 2 && hr == S_OK; k++) {
                SBinary *dst = k == 0 ? &p->eids[i] : &p->parents[i];
                dst->cb = v[k].Value.bin.cb;
                hr = MAPIAllocateMore(dst->cb, p->eids, (void **)&dst->lpb);
                if (hr == S_OK)
                    memcpy(dst->lpb, v[k].Value.bin.lpb, dst->cb);
            }
            p->n++;
        } else if (hr != S_OK && !c->usage_error) {
            cli_fail(c, argv[i], hr);
        }
        MAPIFreeBuffer(v);
        if (m != NULL)
            IMessage_Release(m);
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

static int finish(cli *c, const char *what, HRESULT hr, ULONG n)
{
    if (hr == MAPI_W_PARTIAL_COMPLETION)
        return cli_error(c, EXIT_PARTIAL, "%s: some messages were skipped (gone, or in use)",
                         what);
    if (hr != S_OK)
        return cli_fail(c, what, hr);
    if (!c->quiet && !c->json)
        fprintf(stderr, "%s: %lu message%s\n", what, (unsigned long)n, n == 1 ? "" : "s");
    return EXIT_OK;
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
    HRESULT hr = pick(c, argc - i, argv + i, &p);
    if (hr == S_OK)
        hr = by_folder(c, &p, delete_in, &flags, "rm");
    ULONG n = p.n;
    MAPIFreeBuffer(p.eids);
    if (c->usage_error)
        return EXIT_USAGE;
    return finish(c, "rm", hr, n);
}

const cli_command CMD_RM = {
    "rm", run_rm, "delete messages (recoverable unless --hard)",
    "rm [--hard] MESSAGE...\n\n"
    "Deletes the messages (FOLDER:N or entry IDs). They are kept as soft-deleted\n"
    "(recoverable until 'mapi purge') unless --hard frees them at once.\n"
    "Exit 4 when some were skipped.",
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
    picked p;
    hr = pick(c, argc - 2, argv + 1, &p);
    if (hr == S_OK)
        hr = by_folder(c, &p, copy_in, &cc, name);
    ULONG n = p.n;
    MAPIFreeBuffer(p.eids);
    IMAPIFolder_Release(cc.dest);
    if (c->usage_error)
        return EXIT_USAGE;
    return finish(c, name, hr, n);
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
    "Moves the messages (FOLDER:N or entry IDs) into FOLDER.",
};

const cli_command CMD_CP = {
    "cp", run_cp, "copy messages to a folder",
    "cp MESSAGE... FOLDER\n\n"
    "Copies the messages (FOLDER:N or entry IDs) into FOLDER.",
};

/* ---- empty / purge ------------------------------------------------------------ */

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
    LPMAPIFOLDER f = NULL;
    HRESULT hr = cli_folder_open(c, argv[i], true, &f);
    if (hr != S_OK)
        return cli_fail(c, argv[i], hr);
    LPSPropValue before = NULL;
    ULONG n = 0;
    if (HrGetOneProp((LPMAPIPROP)f, PR_CONTENT_COUNT, &before) == S_OK)
        n = (ULONG)before->Value.l;
    MAPIFreeBuffer(before);
    LPMAPIPROGRESS progress = cli_progress_new(c, "empty");
    hr = IMAPIFolder_EmptyFolder(f, 0, progress, flags | (progress ? FOLDER_DIALOG : 0));
    cli_progress_done(progress);
    IMAPIFolder_Release(f);
    return finish(c, "empty", hr, n);
}

const cli_command CMD_EMPTY = {
    "empty", run_empty, "delete everything in a folder",
    "empty [--hard] [--associated] FOLDER\n\n"
    "Deletes every message and subfolder of FOLDER, in short batches so other\n"
    "users of the mailbox are never held up. Soft (recoverable until 'mapi purge')\n"
    "unless --hard; --associated includes the folder's associated messages.\n"
    "Ctrl-C stops after the current batch; running it again finishes the job.",
};

static int run_purge(cli *c, int argc, char **argv)
{
    unsigned long days = 0;
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        if (strcmp(argv[i], "--older-than") == 0 && i + 1 < argc) {
            days = strtoul(argv[++i], &end, 10);
            if (*end != '\0' && strcmp(end, "d") != 0)
                return cli_error(c, EXIT_USAGE, "purge: --older-than wants days (e.g. 30)");
        } else {
            return cli_error(c, EXIT_USAGE, "purge: unknown argument %s", argv[i]);
        }
    }
    HRESULT hr = cli_mailbox(c);
    if (hr != S_OK)
        return cli_fail(c, "opening the mailbox", hr);
    ULONG purged = 0;
    LPMAPIPROGRESS progress = cli_progress_new(c, "purge");
    hr = fmapi_store_purge(c->mdb, (ULONG)(days * 86400UL), progress, 0, &purged);
    cli_progress_done(progress);
    if (c->json && hr == S_OK)
        printf("{\"purged\":%lu}\n", (unsigned long)purged);
    return finish(c, "purge", hr, purged);
}

const cli_command CMD_PURGE = {
    "purge", run_purge, "free soft-deleted messages for good",
    "purge [--older-than DAYS]\n\n"
    "Frees the messages deleted without --hard (and emptied folders), all of them\n"
    "or those deleted at least DAYS days ago, returning their space.",
};
