/*
 * tools/mapi/cmd_deliver.c - `mapi deliver USER`: one message on standard
 * input into a site user's receive folder, for an MTA's mailbox_command.
 *
 * The exit status is what MTAs act on (sysexits.h): 0 only once the message
 * is committed to the mailbox; EX_NOUSER (67) for a name the site does not
 * know (or a list: the MTA expands those); EX_TEMPFAIL (75) for anything
 * that may pass (a busy, full or unwritable mailbox), so the MTA keeps the
 * message and tries again. The message is converted by libfreemapi-mime as
 * `mapi import` does, its header block kept in PR_TRANSPORT_MESSAGE_HEADERS,
 * with PR_MESSAGE_DELIVERY_TIME and PR_RECEIVED_BY_* set.
 */
#include <string.h>
#include <sysexits.h>
#include <time.h>
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

static HRESULT inbox_message(LPMDB mdb, LPMESSAGE *out)
{
    ULONG cb = 0, type = 0;
    LPENTRYID eid = NULL;
    LPMAPIFOLDER f = NULL;
    HRESULT hr = IMsgStore_GetReceiveFolder(mdb, (LPTSTR) "IPM.Note", 0, &cb, &eid, NULL);
    if (hr == S_OK)
        hr = IMsgStore_OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&f);
    if (hr == S_OK)
        hr = IMAPIFolder_CreateMessage(f, NULL, 0, out);
    if (f != NULL)
        IMAPIFolder_Release(f);
    MAPIFreeBuffer(eid);
    return hr;
}

static HRESULT set_received(LPMESSAGE m, const char *user)
{
    /* FILETIME: 100 ns since 1601. */
    uint64_t now = ((uint64_t)time(NULL) + 11644473600ULL) * 10000000ULL;
    SPropValue v[4] = {
        { .ulPropTag = PR_MESSAGE_DELIVERY_TIME },
        { .ulPropTag = PR_RECEIVED_BY_NAME_A, .Value.lpszA = (LPSTR)user },
        { .ulPropTag = PR_RECEIVED_BY_EMAIL_ADDRESS_A, .Value.lpszA = (LPSTR)user },
        { .ulPropTag = PR_RECEIVED_BY_ADDRTYPE_A,
          .Value.lpszA = strchr(user, '@') ? "SMTP" : "EX" },
    };
    v[0].Value.ft.dwLowDateTime = (ULONG)(now & 0xFFFFFFFFu);
    v[0].Value.ft.dwHighDateTime = (ULONG)(now >> 32);
    return IMessage_SetProps(m, 4, v, NULL);
}

static int run_deliver(cli *c, int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return cli_usage(&CMD_DELIVER);
    const char *user = argv[1];
    fmapi_site *site = NULL;
    LPMDB mdb = NULL;
    LPMESSAGE m = NULL;
    int code = EX_OK;
    const cli_mime *mime = cli_mime_load(c); /* loaded by the commands that convert mail */
    if (mime == NULL)
        return fail(c, EX_TEMPFAIL, "loading the MIME converter", MAPI_E_NOT_FOUND,
                    fmapi_last_error());
    HRESULT hr = fmapi_site_open(cli_site_dir(c), 0, &site);
    if (hr != S_OK)
        code = fail(c, EX_TEMPFAIL, "opening the site", hr, fmapi_last_error());
    if (code == EX_OK && (hr = fmapi_site_open_mailbox(site, user, 0, &mdb)) != S_OK)
        code = fail(c, hr == MAPI_E_NOT_FOUND ? EX_NOUSER : EX_TEMPFAIL, user, hr,
                    fmapi_last_error());
    if (code == EX_OK && (hr = inbox_message(mdb, &m)) != S_OK)
        code = fail(c, EX_TEMPFAIL, "opening the receive folder", hr, fmapi_last_error());
    if (code == EX_OK && (hr = mime->import_fd(STDIN_FILENO, m, 0)) != S_OK)
        code = fail(c, EX_TEMPFAIL, "reading the message", hr, mime->last_error());
    if (code == EX_OK && (hr = set_received(m, user)) != S_OK)
        code = fail(c, EX_TEMPFAIL, "marking the message delivered", hr, fmapi_last_error());
    if (code == EX_OK && (hr = IMessage_SaveChanges(m, 0)) != S_OK)
        code = fail(c, EX_TEMPFAIL, "saving the message", hr, fmapi_last_error());
    if (m != NULL)
        IMessage_Release(m);
    if (mdb != NULL)
        IMsgStore_Release(mdb);
    if (site != NULL)
        fmapi_site_close(site);
    return code;
}

const cli_command CMD_DELIVER = {
    .name = "deliver",
    .run = run_deliver,
    .summary = "deliver one message (standard input) to a user, for an MTA",
    .usage = "deliver USER   (one RFC 5322 message on standard input; exit 0 once it is\n"
             "            saved, 67 EX_NOUSER for an unknown user, 75 EX_TEMPFAIL to retry)",
    .uses = CLI_USES_SITE,
};
