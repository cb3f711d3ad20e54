/*
 * tools/mapi/cmd_backup.c - `mapi backup FILE` and `mapi restore BACKUP
 * STORE`: a safe copy of the mailbox while it is in use, and a new store
 * made from one (fmapi_store_backup, fmapi_store_restore).
 *
 * Copying the .fmdb with cp is not a backup: committed mail may still be
 * in its -wal, and large attachments live in <store>-streams/. These
 * commands copy one consistent snapshot with its stream files, never over
 * an existing file, and the copy appears only when it is complete.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "freemapi_store.h"

extern const cli_command CMD_BACKUP, CMD_RESTORE;

static void print_done(cli *c, const char *key, const char *path)
{
    if (c->json) {
        json_out j = { .f = stdout };
        json_begin_object(&j);
        json_key(&j, key);
        json_string(&j, path);
        json_end_object(&j);
    } else if (!c->quiet) {
        printf("%s: %s\n", key, path);
    }
}

static int run_backup(cli *c, int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return cli_usage(&CMD_BACKUP);
    HRESULT hr = cli_mailbox(c);
    if (hr != S_OK)
        return cli_fail(c, "opening the mailbox", hr);
    hr = fmapi_store_backup(c->mdb, argv[1], 0);
    if (hr != S_OK)
        return cli_fail(c, "backup", hr);
    print_done(c, "backup", argv[1]);
    return EXIT_OK;
}

static int run_restore(cli *c, int argc, char **argv)
{
    if (argc != 3 || argv[1][0] == '-' || argv[2][0] == '-')
        return cli_usage(&CMD_RESTORE);
    HRESULT hr = fmapi_store_restore(argv[1], argv[2], 0);
    if (hr != S_OK)
        return cli_fail(c, "restore", hr);
    print_done(c, "restored", argv[2]);
    return EXIT_OK;
}

const cli_command CMD_BACKUP = {
    "backup", run_backup, "copy the mailbox, in use or not, to a new store file",
    "backup FILE\n\n"
    "Copies the mailbox (--store, --profile, or the default one) to the new\n"
    "store FILE with its stream files (FILE-streams/): one consistent snapshot,\n"
    "taken while other programs go on using the mailbox, holding every message\n"
    "saved before it began. FILE must not exist; it appears only when complete,\n"
    "mode 0600. Open it with --store FILE, or make a mailbox of it with restore.",
    CLI_USES_MAILBOX | CLI_READS_ONLY,
};

const cli_command CMD_RESTORE = {
    "restore", run_restore, "make a new store file from a backup",
    "restore BACKUP STORE\n\n"
    "Makes the new store STORE (with its stream files) from BACKUP, a file\n"
    "`mapi backup` made, which is checked to be a store and only read. STORE\n"
    "must not exist: move a damaged store aside first. It appears only when\n"
    "complete, mode 0600.",
    0,
};
