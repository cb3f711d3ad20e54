/*
 * tools/mapi/cmd_deliver.c - `mapi deliver USER`: one message on standard
 * input into a site user's receive folder, for an MTA's mailbox_command.
 *
 * The delivery itself is libfreemapi-mime's fmapi_mime_deliver, the same
 * path freemapid's LMTP server takes (aliases, lists, user+tag, quotas,
 * one copy however often the MTA retries). The exit status is what MTAs
 * act on (sysexits.h): 0 only once the message is committed to every
 * mailbox USER reaches; EX_NOUSER (67) for a name the site does not know;
 * EX_TEMPFAIL (75) for anything that may pass (a busy or unwritable
 * mailbox, a full disk, a mailbox over its receive quota: an MTA keeps the
 * message and tries again, as Postfix does with 452 4.2.2 from LMTP).
 */
#include <sysexits.h>
#include <unistd.h>

#include "cli.h"
#include "freemapi_mime.h"
#include "freemapi_site.h"

extern const cli_command CMD_DELIVER;

static int fail(cli *c, int code, const char *what, HRESULT hr, const char *text)
{
    fprintf(stderr, "%s: deliver: %s: %s%s%s\n", c->prog, what, fmapi_error_name(hr),
            text && *text ? ": " : "", text ? text : "");
    return code;
}

static int run_deliver(cli *c, int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return cli_usage(&CMD_DELIVER);
    const char *user = argv[1];
    fmapi_site *site = NULL;
    const cli_mime *mime = cli_mime_load(c); /* loaded by the commands that convert mail */
    if (mime == NULL)
        return fail(c, EX_TEMPFAIL, "loading the MIME converter", MAPI_E_NOT_FOUND,
                    fmapi_last_error());
    HRESULT hr = fmapi_site_open(cli_site_dir(c), 0, &site);
    if (hr != S_OK)
        return fail(c, EX_TEMPFAIL, "opening the site", hr, fmapi_last_error());
    int code = EX_OK;
    hr = mime->deliver_fd(site, user, STDIN_FILENO, 0);
    if (hr != S_OK)
        code = fail(c, hr == MAPI_E_NOT_FOUND ? EX_NOUSER : EX_TEMPFAIL, user, hr,
                    mime->last_error());
    fmapi_site_close(site);
    return code;
}

const cli_command CMD_DELIVER = {
    .name = "deliver",
    .run = run_deliver,
    .summary = "deliver one message (standard input) to a user, for an MTA",
    .usage = "deliver USER   (one RFC 5322 message on standard input; exit 0 once it is\n"
             "            saved, 67 EX_NOUSER for an unknown user, 75 EX_TEMPFAIL to retry:\n"
             "            busy, disk full, over quota)",
    .uses = CLI_USES_SITE,
};
