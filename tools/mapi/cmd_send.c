/*
 * tools/mapi/cmd_send.c - `mapi send`: sends a message from the command
 * line through Simple MAPI (MAPISendMail), as any program that mails
 * something would: recipients by name or address (resolved through the
 * address book), files attached, the body read from standard input.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mapi.h"

#define SEND_MAX 64 /* recipients, and attachments */

typedef struct send_args {
    MapiRecipDesc recips[SEND_MAX];
    MapiFileDesc files[SEND_MAX];
    ULONG nrecips, nfiles;
    char *addresses[SEND_MAX]; /* "SMTP:..." built for addresses */
    const char *subject;
} send_args;

static int add_recipient(cli *c, send_args *a, ULONG cls, const char *who)
{
    if (a->nrecips == SEND_MAX)
        return cli_error(c, EXIT_USAGE, "at most %d recipients", SEND_MAX);
    MapiRecipDesc *r = &a->recips[a->nrecips];
    memset(r, 0, sizeof *r);
    r->ulRecipClass = cls;
    r->lpszName = (LPSTR)who;
    if (strchr(who, '@') != NULL) {
        size_t n = strlen(who) + sizeof "SMTP:";
        char *addr = malloc(n);
        if (addr == NULL)
            return cli_error(c, EXIT_FAILED, "out of memory");
        snprintf(addr, n, "SMTP:%s", who);
        a->addresses[a->nrecips] = addr;
        r->lpszAddress = addr;
    }
    a->nrecips++;
    return EXIT_OK;
}

static int parse(cli *c, const cli_command *cmd, int argc, char **argv, send_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        if (i + 1 >= argc) {
            cli_error(c, EXIT_USAGE, "%s needs a value", opt);
            return cli_usage(cmd);
        }
        const char *val = argv[++i];
        int code = EXIT_OK;
        if (strcmp(opt, "--to") == 0) {
            code = add_recipient(c, a, MAPI_TO, val);
        } else if (strcmp(opt, "--cc") == 0) {
            code = add_recipient(c, a, MAPI_CC, val);
        } else if (strcmp(opt, "--bcc") == 0) {
            code = add_recipient(c, a, MAPI_BCC, val);
        } else if (strcmp(opt, "--subject") == 0) {
            a->subject = val;
        } else if (strcmp(opt, "--attach") == 0) {
            if (a->nfiles == SEND_MAX)
                return cli_error(c, EXIT_USAGE, "at most %d attachments", SEND_MAX);
            MapiFileDesc *f = &a->files[a->nfiles++];
            memset(f, 0, sizeof *f);
            f->nPosition = (ULONG)-1;
            f->lpszPathName = (LPSTR)val;
        } else {
            cli_error(c, EXIT_USAGE, "unknown option %s", opt);
            return cli_usage(cmd);
        }
        if (code != EXIT_OK)
            return code;
    }
    if (a->nrecips == 0) {
        cli_error(c, EXIT_USAGE, "send needs a recipient (--to, --cc or --bcc)");
        return cli_usage(cmd);
    }
    return EXIT_OK;
}

/* Standard input whole, NUL-terminated (malloc'd), or NULL. */
static char *read_body(void)
{
    size_t len = 0, cap = 8192;
    char *buf = malloc(cap);
    while (buf != NULL) {
        size_t got = fread(buf + len, 1, cap - len - 1, stdin);
        len += got;
        if (got == 0)
            break;
        if (cap - len - 1 == 0) {
            char *grown = realloc(buf, cap * 2);
            if (grown == NULL) {
                free(buf);
                return NULL;
            }
            buf = grown;
            cap *= 2;
        }
    }
    if (buf != NULL)
        buf[len] = '\0';
    return buf;
}

static int send_code(cli *c, ULONG code)
{
    const char *text = fmapi_last_error();
    switch (code) {
    case SUCCESS_SUCCESS: return EXIT_OK;
    case MAPI_E_UNKNOWN_RECIPIENT:
    case MAPI_E_AMBIGUOUS_RECIPIENT:
    case MAPI_E_ATTACHMENT_NOT_FOUND:
        return cli_error(c, EXIT_NOT_FOUND, "send: %s", text ? text : "not found");
    case MAPI_E_LOGON_FAILURE:
        return cli_error(c, EXIT_FAILED, "send: cannot log on to the profile");
    default:
        return cli_error(c, EXIT_FAILED, "send: Simple MAPI error %lu: %s",
                         (unsigned long)code, text ? text : "");
    }
}

extern const cli_command CMD_SEND;

static int run_send(cli *c, int argc, char **argv)
{
    if (c->store_path != NULL)
        return cli_error(c, EXIT_USAGE, "send needs a site mailbox (a profile), not --store");
    send_args a = { 0 };
    int code = parse(c, &CMD_SEND, argc, argv, &a);
    char *body = NULL;
    HRESULT hr = S_OK;
    if (code == EXIT_OK && (body = read_body()) == NULL)
        code = cli_error(c, EXIT_FAILED, "send: reading the body failed");
    if (code == EXIT_OK)
        hr = cli_mailbox(c); /* makes the default profile on first use */
    if (code == EXIT_OK && hr != S_OK)
        code = cli_fail(c, "send", hr);
    if (code == EXIT_OK) {
        MapiMessage m = { .lpszSubject = (LPSTR)(a.subject ? a.subject : ""),
                          .lpszNoteText = body,
                          .nRecipCount = a.nrecips,
                          .lpRecips = a.recips,
                          .nFileCount = a.nfiles,
                          .lpFiles = a.nfiles ? a.files : NULL };
        LHANDLE h = 0;
        ULONG sc = MAPILogon(0, (LPSTR)(c->profile ? c->profile : CLI_DEFAULT_PROFILE), NULL,
                             0, 0, &h);
        if (sc == SUCCESS_SUCCESS) {
            sc = MAPISendMail(h, 0, &m, 0, 0);
            MAPILogoff(h, 0, 0, 0);
        }
        code = send_code(c, sc);
    }
    for (ULONG i = 0; i < a.nrecips; i++)
        free(a.addresses[i]);
    free(body);
    return code;
}

const cli_command CMD_SEND = {
    .name = "send",
    .run = run_send,
    .summary = "send a message (body from standard input)",
    .usage = "send --to WHO [--to WHO]... [--cc WHO]... [--bcc WHO]... [--subject TEXT]\n"
             "            [--attach FILE]...   (the body is read from standard input;\n"
             "            WHO is a name, alias or address the address book resolves)",
    .uses = CLI_USES_MAILBOX,
};
