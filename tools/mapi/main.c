/*
 * tools/mapi/main.c - the `mapi` command: global options, then one
 * subcommand (see `mapi --help` and docs/mapi.1).
 *
 * Global options come before the subcommand so that every subcommand has
 * its own option namespace, as git and ip do.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

extern const cli_command CMD_FOLDERS, CMD_MKDIR, CMD_RMDIR, CMD_LS, CMD_SHOW, CMD_SAVE_ATTACHMENT,
    CMD_STATS, CMD_IMPORT, CMD_EXPORT, CMD_RM, CMD_MV, CMD_CP, CMD_EMPTY, CMD_PURGE, CMD_SITE,
    CMD_USER, CMD_PROFILE, CMD_OAB, CMD_SAVE, CMD_SEND, CMD_DELIVER, CMD_BACKUP, CMD_RESTORE,
    CMD_QUEUE;

const cli_command *const CLI_COMMANDS[] = {
    &CMD_SITE,  &CMD_USER,   &CMD_PROFILE, &CMD_FOLDERS, &CMD_LS,    &CMD_SHOW,
    &CMD_SAVE_ATTACHMENT,    &CMD_MKDIR,   &CMD_RMDIR,   &CMD_RM,    &CMD_MV,
    &CMD_CP,    &CMD_EMPTY,  &CMD_PURGE,   &CMD_IMPORT,  &CMD_EXPORT, &CMD_STATS,
    &CMD_OAB,   &CMD_SAVE,   &CMD_SEND,    &CMD_DELIVER, &CMD_BACKUP, &CMD_RESTORE,
    &CMD_QUEUE, NULL,
};

static void print_help(FILE *f)
{
    fprintf(f, "usage: mapi [--store FILE | --profile NAME | --site DIR] [--json] [--quiet]\n"
               "            <command> [options] [arguments]\n\n"
               "Administers freemapi mailboxes. Mailbox commands open --store FILE or the\n"
               "mailbox of --profile NAME; with neither, the default mailbox in\n"
               "$XDG_DATA_HOME/freemapi (created on first use). site, user, oab and\n"
               "profile create act on --site DIR, or on the default site.\n\n"
               "commands:\n");
    for (int i = 0; CLI_COMMANDS[i] != NULL; i++)
        fprintf(f, "  %-16s %s\n", CLI_COMMANDS[i]->name, CLI_COMMANDS[i]->summary);
    fprintf(f, "\n'mapi <command> --help' describes a command. Exit codes: 0 done, 1 failed,\n"
               "2 bad usage, 3 not found, 4 done with items skipped, 130 cancelled (Ctrl-C).\n");
}

int cli_error(cli *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", c->prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

HRESULT cli_errno_hr(int err)
{
    switch (err) {
    case ENOENT: return MAPI_E_NOT_FOUND;
    case EEXIST: return MAPI_E_COLLISION;
    case EACCES:
    case EPERM:
    case EROFS: return MAPI_E_NO_ACCESS;
    case ENOSPC:
    case EDQUOT:
    case EFBIG: return MAPI_E_NOT_ENOUGH_DISK;
    case EMFILE:
    case ENFILE: return MAPI_E_NOT_ENOUGH_RESOURCES;
    case ENOMEM: return MAPI_E_NOT_ENOUGH_MEMORY;
    case EINTR: return MAPI_E_USER_CANCEL;
    case EIO: return MAPI_E_DISK_ERROR;
    default: return MAPI_E_CALL_FAILED;
    }
}

HRESULT cli_set_error(HRESULT hr, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return fmapi_error_set(hr, text);
}

int cli_fail(cli *c, const char *what, HRESULT hr)
{
    if (c->usage_error)
        return EXIT_USAGE; /* already explained */
    if (c->reported)
        return c->reported;
    const char *text = fmapi_last_error();
    const char *name = fmapi_error_name(hr);
    char code[16];
    if (name == NULL) { /* a code without a name, as 0x80040113, never sign-extended */
        snprintf(code, sizeof code, "0x%08lX", (unsigned long)(ULONG)hr);
        name = code;
    }
    fprintf(stderr, "%s: %s: %s%s%s\n", c->prog, what, name, (text && *text) ? ": " : "",
            text ? text : "");
    if (hr == MAPI_E_USER_CANCEL)
        return EXIT_CANCELLED;
    if (hr == MAPI_E_NOT_FOUND)
        return EXIT_NOT_FOUND;
    if (hr == MAPI_W_PARTIAL_COMPLETION)
        return EXIT_PARTIAL;
    return EXIT_FAILED;
}

int cli_usage(const cli_command *cmd)
{
    fprintf(stderr, "usage: mapi %s\n", cmd->usage);
    return EXIT_USAGE;
}

bool cli_wants_help(const cli_command *cmd, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            printf("usage: mapi %s\n", cmd->usage);
            return true;
        }
    }
    return false;
}

/* Global options; returns the index of the subcommand, or -1 after
 * printing help or an error (*code says which exit). */
static int parse_globals(cli *c, int argc, char **argv, int *code)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--store") == 0     ? &c->store_path
                            : strcmp(a, "--site") == 0    ? &c->site_dir
                            : strcmp(a, "--profile") == 0 ? &c->profile
                                                          : NULL;
        if (slot != NULL) {
            if (++i >= argc) {
                *code = cli_error(c, EXIT_USAGE, "%s needs a value", a);
                return -1;
            }
            *slot = argv[i];
        } else if (strcmp(a, "--json") == 0) {
            c->json = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            c->quiet = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            print_help(stdout);
            *code = EXIT_OK;
            return -1;
        } else if (strcmp(a, "--version") == 0) {
            printf("mapi (freemapi) %s\n", fmapi_version());
            *code = EXIT_OK;
            return -1;
        } else {
            *code = cli_error(c, EXIT_USAGE, "unknown option %s (see mapi --help)", a);
            return -1;
        }
    }
    if (i >= argc) {
        print_help(stderr);
        *code = EXIT_USAGE;
        return -1;
    }
    return i;
}

/* Refuses a global option the command would not act on: every option
 * either takes effect or is an error (`--site X empty Inbox` once emptied
 * the default mailbox's Inbox). MAPI_STORE stands for --store when no
 * mailbox is named on the command line; empty, it is unset. */
static int check_globals(cli *c, const cli_command *cmd)
{
    if (c->store_path != NULL && c->profile != NULL)
        return cli_error(c, EXIT_USAGE, "--store and --profile name two mailboxes: give one");
    if (!(cmd->uses & CLI_USES_MAILBOX) && (c->store_path != NULL || c->profile != NULL))
        return cli_error(c, EXIT_USAGE, "%s: '%s' opens no mailbox, so %s would do nothing "
                                        "(see mapi --help)", c->store_path ? "--store" : "--profile",
                         cmd->name, c->store_path ? "--store" : "--profile");
    if (!(cmd->uses & CLI_USES_SITE) && c->site_dir != NULL)
        return cli_error(c, EXIT_USAGE, "--site: '%s' opens a mailbox, which --profile NAME or "
                                        "--store FILE names (a profile knows its site)",
                         cmd->name);
    const char *env = getenv("MAPI_STORE");
    if ((cmd->uses & CLI_USES_MAILBOX) && c->store_path == NULL && c->profile == NULL && env &&
        env[0] != '\0')
        c->store_path = env;
    return EXIT_OK;
}

static const cli_command *find_command(const char *name)
{
    for (int i = 0; CLI_COMMANDS[i] != NULL; i++) {
        if (strcmp(CLI_COMMANDS[i]->name, name) == 0)
            return CLI_COMMANDS[i];
    }
    return NULL;
}

int main(int argc, char **argv)
{
    cli c = { .prog = "mapi", .tty = isatty(STDERR_FILENO) };
    int code = EXIT_OK;
    int at = parse_globals(&c, argc, argv, &code);
    if (at < 0)
        return code;
    const cli_command *cmd = find_command(argv[at]);
    if (cmd == NULL)
        return cli_error(&c, EXIT_USAGE, "unknown command '%s' (see mapi --help)", argv[at]);
    if (cli_wants_help(cmd, argc - at, argv + at))
        return EXIT_OK;
    if ((code = check_globals(&c, cmd)) != EXIT_OK)
        return code;
    c.read_only = (cmd->uses & CLI_READS_ONLY) != 0;
    cli_catch_interrupt();
    code = cmd->run(&c, argc - at, argv + at);
    cli_mailbox_close(&c);
    /* a signal stopped the command, wherever it was (a wait for standard
     * input included) */
    if (cli_cancelled())
        code = EXIT_CANCELLED;
    if (fflush(stdout) != 0 && code == EXIT_OK)
        code = cli_error(&c, EXIT_FAILED, "writing the output failed");
    return code;
}
