/*
 * tools/mapi/cmd_queue.c - `mapi queue list|retry|delete USER` and
 * `mapi site relay`: a site user's outgoing queue (freemapi_queue.h) and
 * the site's relay setting (freemapi_relay.h).
 *
 * `queue retry` makes submissions due and runs the spooler over the
 * mailbox at once, with the relay client (libfreemapi-relay, loaded with
 * dlopen as libfreemapi-mime is) registered, so outside recipients are
 * sent from this process; without that library they stay queued.
 */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "freemapi_queue.h"
#include "freemapi_relay.h"
#include "freemapi_site.h"

#ifndef FREEMAPI_RELAY_SONAME
#define FREEMAPI_RELAY_SONAME "libfreemapi-relay.so.0"
#endif

extern const cli_command CMD_QUEUE;

/* libfreemapi-relay from the directory libfreemapi was loaded from (a
 * build tree, or a prefix off the loader's path), as mime.c does. */
static void *open_beside_libfreemapi(void)
{
    Dl_info info;
    void *anchor = NULL;
    __typeof__(MAPIInitialize) *fn = MAPIInitialize;
    memcpy(&anchor, &fn, sizeof anchor); /* dladdr takes a data pointer */
    if (dladdr(anchor, &info) == 0 || info.dli_fname == NULL)
        return NULL;
    const char *slash = strrchr(info.dli_fname, '/');
    if (slash == NULL)
        return NULL;
    char path[4096];
    int n = snprintf(path, sizeof path, "%.*s/%s", (int)(slash - info.dli_fname), info.dli_fname,
                     FREEMAPI_RELAY_SONAME);
    if (n <= 0 || (size_t)n >= sizeof path)
        return NULL;
    return dlopen(path, RTLD_NOW | RTLD_LOCAL);
}

/* Registers libfreemapi-relay's SMTP client, when the library is there. */
static bool load_relay(void)
{
    void *lib = dlopen(FREEMAPI_RELAY_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL)
        lib = open_beside_libfreemapi();
    if (lib == NULL)
        return false;
    void *sym = dlsym(lib, "fmapi_relay_register");
    HRESULT (*reg)(void) = NULL;
    if (sym == NULL)
        return false;
    memcpy(&reg, &sym, sizeof reg); /* POSIX: a function's dlsym result */
    return reg() == S_OK;
}

static void print_time(const FILETIME *ft)
{
    uint64_t t = ((uint64_t)ft->dwHighDateTime << 32) | ft->dwLowDateTime;
    if (t == 0) {
        printf("now");
        return;
    }
    time_t secs = (time_t)(t / 10000000ULL - 11644473600ULL);
    struct tm tm;
    char buf[40];
    gmtime_r(&secs, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("%s", buf);
}

static const char *rcpt_status(ULONG s)
{
    return s == FMAPI_QUEUE_RCPT_RELAYED ? "relayed" : "due";
}

static HRESULT print_entry(void *ctx, const fmapi_queue_entry *e)
{
    cli *c = ctx;
    if (c->json) {
        json_out j = { 0 };
        json_begin_object(&j);
        json_key(&j, "id");
        json_int(&j, e->id);
        json_key(&j, "state");
        json_string(&j, e->state == FMAPI_QUEUE_WAITING ? "waiting" : "taken");
        json_key(&j, "attempts");
        json_int(&j, e->attempts);
        json_key(&j, "subject");
        json_string(&j, e->subject);
        json_key(&j, "recipients");
        json_begin_array(&j);
        for (ULONG i = 0; i < e->cRecipients; i++) {
            json_begin_object(&j);
            json_key(&j, "address");
            json_string(&j, e->recipients[i].address ? e->recipients[i].address : "");
            json_key(&j, "status");
            json_string(&j, rcpt_status(e->recipients[i].status));
            json_end_object(&j);
        }
        json_end_array(&j);
        json_end_object(&j);
        printf("\n");
        return S_OK;
    }
    printf("%lld\t%s\t%lu attempts\tnext ", (long long)e->id,
           e->state == FMAPI_QUEUE_WAITING ? "waiting" : "taken", (unsigned long)e->attempts);
    print_time(&e->next_attempt);
    printf("\tsubmitted ");
    print_time(&e->submitted);
    printf("\t%s\n", e->subject);
    for (ULONG i = 0; i < e->cRecipients; i++)
        printf("\t%s\t%s\n", rcpt_status(e->recipients[i].status),
               e->recipients[i].address ? e->recipients[i].address : "(no address)");
    return S_OK;
}

static int run_queue(cli *c, int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "list") != 0 && strcmp(argv[1], "retry") != 0 &&
                     strcmp(argv[1], "delete") != 0))
        return cli_usage(&CMD_QUEUE);
    const char *op = argv[1], *user = argv[2];
    long long id = 0;
    if (argc > 4 || (strcmp(op, "list") == 0 && argc != 3) ||
        (strcmp(op, "delete") == 0 && argc != 4))
        return cli_usage(&CMD_QUEUE);
    if (argc == 4) {
        char *end = NULL;
        id = strtoll(argv[3], &end, 10);
        if (*end != '\0' || id <= 0)
            return cli_error(c, EXIT_USAGE, "queue: '%s' is not a submission id", argv[3]);
    }
    fmapi_site *site = NULL;
    LPMDB mdb = NULL;
    HRESULT hr = fmapi_site_open(cli_site_dir(c), 0, &site);
    if (hr == S_OK)
        hr = fmapi_site_open_mailbox(site, user, 0, &mdb);
    if (hr == S_OK && strcmp(op, "list") == 0)
        hr = fmapi_queue_list(mdb, print_entry, c);
    else if (hr == S_OK && strcmp(op, "delete") == 0)
        hr = fmapi_queue_delete(mdb, id);
    else if (hr == S_OK) {
        ULONG left = 0;
        bool relay = load_relay();
        hr = fmapi_queue_retry(mdb, id);
        if (hr == S_OK)
            hr = fmapi_queue_flush(site, mdb, &left);
        if (hr == S_OK && !c->quiet)
            printf("%lu submission%s left in the queue%s\n", (unsigned long)left,
                   left == 1 ? "" : "s",
                   relay || left == 0 ? "" : " (no relay client: libfreemapi-relay not found)");
    }
    if (mdb != NULL)
        IMsgStore_Release(mdb);
    if (site != NULL)
        fmapi_site_close(site);
    return hr == S_OK ? EXIT_OK : cli_fail(c, user, hr);
}

const cli_command CMD_QUEUE = {
    "queue", run_queue, "list, retry or delete a user's outgoing submissions",
    "queue list USER | queue retry USER [ID] | queue delete USER ID\n\n"
    "list: USER's queued submissions, oldest first: id, state (waiting, or taken by\n"
    "a spooler), attempts, next attempt and submission time (UTC), subject, and\n"
    "each recipient: 'relayed' once the relay accepted it, 'due' otherwise.\n"
    "retry: makes submission ID (or every one) due and runs the spooler now,\n"
    "sending outside recipients through the site's relay.\n"
    "delete: takes submission ID out of the queue; what was delivered stays\n"
    "delivered, the message stays in the Outbox, no longer submitted.",
    CLI_USES_SITE,
};

/* ---- site relay ----------------------------------------------------------- */

static ULONG parse_tls(const char *s)
{
    if (strcmp(s, "required") == 0)
        return FMAPI_RELAY_TLS_REQUIRED;
    if (strcmp(s, "optional") == 0)
        return FMAPI_RELAY_TLS_OPTIONAL;
    if (strcmp(s, "none") == 0)
        return FMAPI_RELAY_TLS_NONE;
    return (ULONG)-1;
}

static const char *const TLS_NAMES[] = { "required", "optional", "none" };

static int show_relay(cli *c, fmapi_site *site)
{
    fmapi_relay_config *cfg = NULL;
    HRESULT hr = fmapi_site_get_relay(site, &cfg);
    if (hr == MAPI_E_NOT_FOUND) {
        printf("no relay: outside addresses are reported undeliverable\n");
        return EXIT_OK;
    }
    if (hr != S_OK)
        return cli_fail(c, "relay", hr);
    printf("relay %s:%lu starttls %s%s%s%s%s\n", cfg->host, (unsigned long)cfg->port,
           TLS_NAMES[cfg->tls], cfg->user ? " user " : "", cfg->user ? cfg->user : "",
           cfg->cafile ? " cafile " : "", cfg->cafile ? cfg->cafile : "");
    MAPIFreeBuffer(cfg);
    return EXIT_OK;
}

/* `mapi site relay [HOST:PORT [--starttls M] [--user U --password-stdin]
 * [--cafile F] | --none]`, called by cmd_site.c. */
int cli_site_relay(cli *c, int argc, char **argv)
{
    fmapi_site *site = NULL;
    HRESULT hr = fmapi_site_open(cli_site_dir(c), 0, &site);
    if (hr != S_OK)
        return cli_fail(c, cli_site_dir(c), hr);
    int code = EXIT_OK;
    if (argc == 0) {
        code = show_relay(c, site);
    } else if (argc == 1 && strcmp(argv[0], "--none") == 0) {
        hr = fmapi_site_set_relay(site, NULL);
        code = hr == S_OK ? EXIT_OK : cli_fail(c, "relay", hr);
    } else {
        char host[256] = "", password[1024] = "";
        fmapi_relay_config cfg = { .host = host, .tls = FMAPI_RELAY_TLS_REQUIRED };
        const char *colon = strrchr(argv[0], ':');
        if (colon == NULL || (size_t)(colon - argv[0]) >= sizeof host || colon == argv[0])
            code = cli_error(c, EXIT_USAGE, "site relay: HOST:PORT expected, not '%s'", argv[0]);
        else {
            memcpy(host, argv[0], (size_t)(colon - argv[0]));
            cfg.port = (ULONG)strtoul(colon + 1, NULL, 10);
        }
        for (int i = 1; code == EXIT_OK && i < argc; i++) {
            if (strcmp(argv[i], "--starttls") == 0 && i + 1 < argc &&
                (cfg.tls = parse_tls(argv[++i])) != (ULONG)-1)
                continue;
            if (strcmp(argv[i], "--user") == 0 && i + 1 < argc) {
                cfg.user = argv[++i];
            } else if (strcmp(argv[i], "--cafile") == 0 && i + 1 < argc) {
                cfg.cafile = argv[++i];
            } else if (strcmp(argv[i], "--password-stdin") == 0) {
                if (!cli_read_line(password, sizeof password))
                    code = cli_error(c, EXIT_USAGE, "no password on standard input");
                cfg.password = password;
            } else {
                code = cli_error(c, EXIT_USAGE, "site relay: unknown option '%s'", argv[i]);
            }
        }
        if (code == EXIT_OK && (hr = fmapi_site_set_relay(site, &cfg)) != S_OK)
            code = cli_fail(c, "relay", hr);
        if (code == EXIT_OK && !c->quiet)
            code = show_relay(c, site);
    }
    fmapi_site_close(site);
    return code;
}
