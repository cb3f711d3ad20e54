/*
 * tools/mapi/cmd_pst.c - Outlook data files in `mapi import` and
 * `mapi export` (libfreemapi-pst):
 *
 *   mapi import [-f FOLDER] [--format pst|ost] FILE.pst|FILE.ost...
 *   mapi export [-f FOLDER [-r]] [--since DATE] [--before DATE] --format pst OUT.pst
 *
 * import and export hand a .pst/.ost path, or --format pst/ost, here
 * (cli_pst_wanted); the rest of their options keep their meaning. An import
 * goes into the mailbox's IPM subtree (the PST's Inbox into the Inbox) or
 * under -f FOLDER; running it again continues where it stopped (every
 * imported message records its PST node) instead of duplicating. An export
 * writes the whole mailbox, or FOLDER (with -r its subfolders too), or the
 * messages delivered in [--since, --before). Both draw a progress bar and
 * stop cleanly on Ctrl-C (exit 130).
 */
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "freemapi_pst.h"

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcasecmp(s + n - k, tail) == 0;
}

bool cli_pst_wanted(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            return strcmp(argv[i + 1], "pst") == 0 || strcmp(argv[i + 1], "ost") == 0;
        if (argv[i][0] != '-' && (ends_with(argv[i], ".pst") || ends_with(argv[i], ".ost")))
            return true;
    }
    return false;
}

static HRESULT on_progress(void *ctx, uint64_t done, uint64_t total)
{
    return cli_progress_step(ctx, (unsigned long)done, (unsigned long)total) ? S_OK
                                                                              : MAPI_E_USER_CANCEL;
}

static void report(cli *c, const char *verb, const fmapi_pst_stats *st)
{
    if (c->json)
        printf("{\"%s\":%llu,\"folders\":%llu,\"attachments\":%llu,\"skipped\":%llu,"
               "\"damaged\":%llu,\"dropped_properties\":%llu}\n",
               verb, (unsigned long long)st->messages, (unsigned long long)st->folders,
               (unsigned long long)st->attachments, (unsigned long long)st->skipped,
               (unsigned long long)st->damaged, (unsigned long long)st->props_dropped);
    else if (!c->quiet)
        fprintf(stderr,
                "%s: %llu messages, %llu folders, %llu attachments; %llu already there, "
                "%llu damaged\n",
                verb, (unsigned long long)st->messages, (unsigned long long)st->folders,
                (unsigned long long)st->attachments, (unsigned long long)st->skipped,
                (unsigned long long)st->damaged);
    if (st->damaged > 0)
        fprintf(stderr, "%s: first damage: %s\n", c->prog, st->first_damage);
}

static int outcome(cli *c, const char *what, HRESULT hr)
{
    if (hr == MAPI_E_USER_CANCEL || cli_cancelled())
        return EXIT_CANCELLED;
    if (hr == MAPI_W_PARTIAL_COMPLETION)
        return EXIT_PARTIAL;
    return hr == S_OK ? EXIT_OK : cli_fail(c, what, hr);
}

int cli_pst_import(cli *c, int argc, char **argv)
{
    const char *folder = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if ((strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--folder") == 0) && i + 1 < argc)
            folder = argv[++i];
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            i++;
        else
            return cli_error(c, EXIT_USAGE, "import: unknown option %s", argv[i]);
    }
    if (i == argc)
        return cli_error(c, EXIT_USAGE, "import: what to import? (see --help)");
    fmapi_pst_import_options opt = { 0 };
    HRESULT hr = cli_folder_open(c, folder ? folder : "/", true, &opt.lpFolder);
    if (hr != S_OK)
        return cli_fail(c, folder ? folder : "/", hr);
    LPMAPIPROGRESS progress = cli_progress_new(c, "import");
    opt.progress = on_progress;
    opt.progress_ctx = progress;
    int code = EXIT_OK;
    for (; i < argc && code != EXIT_CANCELLED; i++) {
        fmapi_pst_stats st;
        hr = fmapi_pst_import(c->mdb, argv[i], &opt, &st);
        cli_progress_done(progress);
        report(c, "import", &st);
        int one = outcome(c, argv[i], hr);
        if (one != EXIT_OK && (code == EXIT_OK || one == EXIT_CANCELLED || one == EXIT_FAILED))
            code = one;
        if (i + 1 < argc) {
            progress = cli_progress_new(c, "import");
            opt.progress_ctx = progress;
        }
    }
    IMAPIFolder_Release(opt.lpFolder);
    return code;
}

/* --since/--before: a restriction on PR_MESSAGE_DELIVERY_TIME. */
typedef struct window {
    SRestriction and, parts[2];
    SPropValue at[2];
    ULONG n;
} window;

static void window_add(window *w, ULONG relop, FILETIME ft)
{
    SRestriction *r = &w->parts[w->n];
    w->at[w->n].ulPropTag = PR_MESSAGE_DELIVERY_TIME;
    w->at[w->n].Value.ft = ft;
    r->rt = RES_PROPERTY;
    r->res.resProperty.relop = relop;
    r->res.resProperty.ulPropTag = PR_MESSAGE_DELIVERY_TIME;
    r->res.resProperty.lpProp = &w->at[w->n];
    w->n++;
    w->and.rt = RES_AND;
    w->and.res.resAnd.cRes = w->n;
    w->and.res.resAnd.lpRes = w->parts;
}

int cli_pst_export(cli *c, int argc, char **argv)
{
    fmapi_pst_export_options opt = { 0 };
    const char *folder = NULL;
    window w = { .n = 0 };
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        FILETIME ft;
        if ((strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--folder") == 0) && i + 1 < argc)
            folder = argv[++i];
        else if (strcmp(argv[i], "-r") == 0 || strcmp(argv[i], "--recursive") == 0)
            opt.ulFlags |= FMAPI_PST_RECURSIVE;
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            i++;
        else if ((strcmp(argv[i], "--since") == 0 || strcmp(argv[i], "--before") == 0) &&
                 i + 1 < argc) {
            bool since = argv[i][2] == 's';
            if (!cli_parse_date(argv[++i], &ft))
                return cli_error(c, EXIT_USAGE, "export: bad date %s (YYYY-MM-DD[THH:MM])", argv[i]);
            window_add(&w, since ? RELOP_GE : RELOP_LT, ft);
        } else
            return cli_error(c, EXIT_USAGE, "export: unknown option %s", argv[i]);
    }
    if (i + 1 != argc)
        return cli_error(c, EXIT_USAGE, "export: --format pst writes one file: OUT.pst");
    if (folder == NULL && (opt.ulFlags & FMAPI_PST_RECURSIVE))
        return cli_error(c, EXIT_USAGE, "export: --recursive needs --folder (the whole mailbox "
                                        "is exported without either)");
    HRESULT hr = cli_mailbox(c);
    if (hr == S_OK && folder != NULL)
        hr = cli_folder_open(c, folder, false, &opt.lpFolder);
    if (hr != S_OK)
        return cli_fail(c, folder ? folder : "mailbox", hr);
    if (w.n > 0)
        opt.lpRestriction = &w.and;
    LPMAPIPROGRESS progress = cli_progress_new(c, "export");
    opt.progress = on_progress;
    opt.progress_ctx = progress;
    fmapi_pst_stats st;
    hr = fmapi_pst_export(c->mdb, argv[i], &opt, &st);
    cli_progress_done(progress);
    if (hr == S_OK)
        report(c, "export", &st);
    if (opt.lpFolder != NULL)
        IMAPIFolder_Release(opt.lpFolder);
    return outcome(c, argv[i], hr);
}
