/*
 * tools/mapi/cmd_site.c - `mapi site init`, `mapi user ...` and
 * `mapi oab generate`: administering the site directory through freemapi's
 * site extension (freemapi_site.h) and generating its offline address book
 * (freemapi_ab.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "edkmdb.h"
#include "freemapi_ab.h"
#include "freemapi_site.h"
#include "freemapi_store.h"

static HRESULT open_site(cli *c, bool create, fmapi_site **out)
{
    const char *dir = cli_site_dir(c);
    if (create)
        cli_mkdir_parents(dir);
    return fmapi_site_open(dir, create ? FMAPI_SITE_CREATE : 0, out);
}

/* A password from --password PW, or the first line of standard input with
 * --password-stdin (so it stays out of the process list). */
static bool read_password(cli *c, int argc, char **argv, int *i, char *buf, size_t cap)
{
    if (strcmp(argv[*i], "--password") == 0 && *i + 1 < argc) {
        snprintf(buf, cap, "%s", argv[++*i]);
        return true;
    }
    if (strcmp(argv[*i], "--password-stdin") == 0) {
        if (!cli_read_line(buf, cap) && !cli_cancelled()) /* a signal: exit 130 */
            cli_error(c, EXIT_USAGE, "no password on standard input");
        return true;
    }
    return false;
}

/* ---- site -------------------------------------------------------------------- */

/* The quota options of `site quota` and the store properties they set. */
static const struct {
    const char *option, *label;
    ULONG tag;
} QUOTAS[] = {
    { "--receive", "receive", PR_PROHIBIT_RECEIVE_QUOTA },
    { "--send", "send", PR_PROHIBIT_SEND_QUOTA },
    { "--warning", "warning", PR_STORAGE_QUOTA_LIMIT },
};
#define NQUOTAS (sizeof QUOTAS / sizeof QUOTAS[0])

/* KB, or -1 for "none"; -2 for anything else. */
static LONG parse_kb(const char *s)
{
    if (strcmp(s, "none") == 0)
        return -1;
    char *end = NULL;
    long v = strtol(s, &end, 10);
    return end != s && *end == '\0' && v >= 0 && v <= 0x7FFFFFFFL ? (LONG)v : -2;
}

static HRESULT print_quotas(cli *c, LPMDB mdb, const char *alias)
{
    SizedSPropTagArray(4, tags) = { 4, { PR_PROHIBIT_RECEIVE_QUOTA, PR_PROHIBIT_SEND_QUOTA,
                                         PR_STORAGE_QUOTA_LIMIT, PR_MESSAGE_SIZE_EXTENDED } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IMsgStore_GetProps(mdb, (LPSPropTagArray)&tags, 0, &n, &v);
    if (FAILED(hr))
        return hr;
    json_out j = { .f = stdout };
    if (c->json)
        json_begin_object(&j);
    else
        printf("%s: size %lld KB\n", alias,
               PROP_TYPE(v[3].ulPropTag) == PT_I8 ? (long long)(v[3].Value.li.QuadPart / 1024)
                                                  : 0LL);
    for (size_t i = 0; i < NQUOTAS; i++) {
        bool set = PROP_TYPE(v[i].ulPropTag) == PT_LONG;
        if (c->json) {
            json_key(&j, QUOTAS[i].label);
            if (set)
                json_int(&j, v[i].Value.l);
            else
                json_null(&j);
        } else if (set) {
            printf("  %-8s %ld KB\n", QUOTAS[i].label, (long)v[i].Value.l);
        } else {
            printf("  %-8s none\n", QUOTAS[i].label);
        }
    }
    if (c->json) {
        json_key(&j, "size_kb");
        json_int(&j, PROP_TYPE(v[3].ulPropTag) == PT_I8 ? v[3].Value.li.QuadPart / 1024 : 0);
        json_end_object(&j);
    }
    MAPIFreeBuffer(v);
    return S_OK;
}

/* `site quota ALIAS [--receive KB|none] [--send KB|none] [--warning KB|none]` */
static int site_quota(cli *c, int argc, char **argv)
{
    if (argc < 3 || argv[2][0] == '-')
        return cli_error(c, EXIT_USAGE, "site quota ALIAS [--receive KB|none] [--send KB|none] "
                                        "[--warning KB|none]");
    LONG kb[NQUOTAS] = { -2, -2, -2 }; /* -2: left as it is */
    for (int i = 3; i < argc; i++) {
        size_t q = 0;
        while (q < NQUOTAS && strcmp(argv[i], QUOTAS[q].option) != 0)
            q++;
        if (q == NQUOTAS || i + 1 >= argc || (kb[q] = parse_kb(argv[++i])) == -2)
            return cli_error(c, EXIT_USAGE, "site quota: bad argument %s (KB or none expected)",
                             argv[i]);
    }
    fmapi_site *site = NULL;
    LPMDB mdb = NULL;
    HRESULT hr = open_site(c, false, &site);
    if (hr == S_OK)
        hr = fmapi_site_open_mailbox(site, argv[2], 0, &mdb);
    for (size_t q = 0; hr == S_OK && q < NQUOTAS; q++)
        if (kb[q] != -2)
            hr = fmapi_store_set_quota(mdb, QUOTAS[q].tag, kb[q]);
    if (hr == S_OK && !c->quiet)
        hr = print_quotas(c, mdb, argv[2]);
    if (mdb != NULL)
        IMsgStore_Release(mdb);
    if (site != NULL)
        fmapi_site_close(site);
    return hr == S_OK ? EXIT_OK : cli_fail(c, argv[2], hr);
}

static int run_site(cli *c, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "quota") == 0)
        return site_quota(c, argc, argv);
    if (argc >= 2 && strcmp(argv[1], "relay") == 0)
        return cli_site_relay(c, argc - 2, argv + 2);
    if (argc < 2 || strcmp(argv[1], "init") != 0 || argc > 3)
        return cli_error(c, EXIT_USAGE, "site: 'site init [DIR]', 'site quota ALIAS ...' or "
                                        "'site relay ...' (see --help)");
    if (argc == 3)
        c->site_dir = argv[2];
    fmapi_site *site = NULL;
    HRESULT hr = open_site(c, true, &site);
    if (hr != S_OK)
        return cli_fail(c, cli_site_dir(c), hr);
    fmapi_site_close(site);
    if (!c->quiet)
        printf("site ready in %s\n", cli_site_dir(c));
    return EXIT_OK;
}

const cli_command CMD_SITE = {
    "site", run_site, "create a site; mailbox quotas; the SMTP relay",
    "site init [DIR]\n"
    "       mapi site quota ALIAS [--receive KB|none] [--send KB|none] [--warning KB|none]\n"
    "       mapi site relay [HOST:PORT [--starttls required|optional|none] [--user U\n"
    "                       --password-stdin] [--cafile FILE] | --none]\n\n"
    "init: creates a site (directory database and mailbox directory, mode 0700) in\n"
    "DIR, or in the global --site, or in the default place. An existing site is\n"
    "left as it is.\n"
    "quota: sets a user's mailbox limits in KB (PR_PROHIBIT_RECEIVE_QUOTA: no mail\n"
    "delivered once the mailbox reaches it; PR_PROHIBIT_SEND_QUOTA: no more sending;\n"
    "PR_STORAGE_QUOTA_LIMIT: a warning level), none removing one, and shows them\n"
    "with the mailbox's size.\n"
    "relay: shows or sets the SMTP relay mail for outside addresses goes through\n"
    "(STARTTLS required unless told otherwise; the AUTH password is read from\n"
    "standard input and kept in the site's relay.conf, mode 0600); --none removes it.",
    CLI_USES_SITE,
};

/* ---- user ---------------------------------------------------------------------- */

static ULONG parse_rights(const char *s)
{
    ULONG r = 0;
    char *copy = strdup(s), *save = NULL;
    for (char *p = copy ? strtok_r(copy, ",", &save) : NULL; p; p = strtok_r(NULL, ",", &save)) {
        if (strcmp(p, "owner") == 0)
            r |= FMAPI_RIGHT_OWNER;
        else if (strcmp(p, "full-access") == 0)
            r |= FMAPI_RIGHT_FULL_ACCESS;
        else if (strcmp(p, "send-as") == 0)
            r |= FMAPI_RIGHT_SEND_AS;
        else if (strcmp(p, "impersonation") == 0)
            r |= FMAPI_RIGHT_IMPERSONATION;
        else if (strcmp(p, "all") == 0)
            r |= FMAPI_RIGHTS_ALL;
        else {
            r = 0;
            break;
        }
    }
    free(copy);
    return r;
}

typedef struct list_ctx {
    cli *c;
    json_out j;
    unsigned long n;
} list_ctx;

static HRESULT print_entry(void *ctx, const fmapi_site_entry *e)
{
    list_ctx *l = ctx;
    l->n++;
    const char *kind = e->kind == FMAPI_SITE_LIST_ENTRY ? "list" : "user";
    if (!l->c->json) {
        printf("%-20s %-4s  %-30s %s\n", e->alias, kind, e->display_name ? e->display_name : "",
               e->smtp ? e->smtp : "");
        return S_OK;
    }
    json_begin_object(&l->j);
    json_key(&l->j, "alias");
    json_string(&l->j, e->alias);
    json_key(&l->j, "kind");
    json_string(&l->j, kind);
    json_key(&l->j, "display_name");
    json_string(&l->j, e->display_name);
    json_key(&l->j, "smtp");
    if (e->smtp)
        json_string(&l->j, e->smtp);
    else
        json_null(&l->j);
    json_end_object(&l->j);
    return S_OK;
}

static HRESULT user_add(cli *c, fmapi_site *site, int argc, char **argv)
{
    const char *alias = NULL, *name = NULL, *smtp = NULL;
    char password[512] = "";
    bool has_password = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
            name = argv[++i];
        else if (strcmp(argv[i], "--smtp") == 0 && i + 1 < argc)
            smtp = argv[++i];
        else if (read_password(c, argc, argv, &i, password, sizeof password))
            has_password = true;
        else if (argv[i][0] != '-' && alias == NULL)
            alias = argv[i];
        else {
            c->usage_error = true;
            cli_error(c, EXIT_USAGE, "user add: unexpected %s", argv[i]);
            return MAPI_E_INVALID_PARAMETER;
        }
    }
    if (alias == NULL) {
        c->usage_error = true;
        cli_error(c, EXIT_USAGE, "user add: ALIAS expected");
        return MAPI_E_INVALID_PARAMETER;
    }
    /* every mailbox gets an Internet address (the offline address book keys
     * entries by it); alias@localhost until one is given */
    char local[256];
    if (smtp == NULL) {
        snprintf(local, sizeof local, "%s@localhost", alias);
        smtp = local;
    }
    return fmapi_site_add_user(site, alias, name ? name : alias, smtp,
                               has_password ? password : NULL);
}

static HRESULT user_rights(cli *c, fmapi_site *site, int argc, char **argv, bool grant)
{
    ULONG rights = argc == 5 ? parse_rights(argv[4]) : 0;
    if (argc != 5 || rights == 0) {
        c->usage_error = true;
        cli_error(c, EXIT_USAGE, "user %s GRANTEE MAILBOX RIGHTS (owner, full-access, send-as, "
                                 "impersonation, all; comma-separated)",
                  grant ? "grant" : "revoke");
        return MAPI_E_INVALID_PARAMETER;
    }
    return grant ? fmapi_site_grant(site, argv[2], argv[3], rights)
                 : fmapi_site_revoke(site, argv[2], argv[3], rights);
}

static HRESULT user_passwd(cli *c, fmapi_site *site, int argc, char **argv)
{
    char password[512] = "";
    const char *alias = NULL;
    bool has_password = false;
    for (int i = 2; i < argc; i++) {
        if (read_password(c, argc, argv, &i, password, sizeof password))
            has_password = true;
        else if (alias == NULL)
            alias = argv[i];
    }
    if (alias == NULL || !has_password || password[0] == '\0') {
        c->usage_error = true;
        cli_error(c, EXIT_USAGE, "user passwd ALIAS --password PW | --password-stdin");
        return MAPI_E_INVALID_PARAMETER;
    }
    return fmapi_site_set_password(site, alias, password);
}

static int run_user(cli *c, int argc, char **argv)
{
    if (argc < 2)
        return cli_error(c, EXIT_USAGE, "user: add, list, remove, passwd, grant or revoke");
    const char *verb = argv[1];
    fmapi_site *site = NULL;
    HRESULT hr = open_site(c, false, &site);
    if (hr != S_OK)
        return cli_fail(c, cli_site_dir(c), hr);
    if (strcmp(verb, "add") == 0) {
        hr = user_add(c, site, argc, argv);
    } else if (strcmp(verb, "list") == 0) {
        list_ctx l = { .c = c, .j = { .f = stdout } };
        if (c->json)
            json_begin_array(&l.j);
        hr = fmapi_site_list(site, print_entry, &l);
        if (c->json)
            json_end_array(&l.j);
    } else if (strcmp(verb, "remove") == 0 && argc == 3) {
        hr = fmapi_site_remove(site, argv[2]);
    } else if (strcmp(verb, "passwd") == 0) {
        hr = user_passwd(c, site, argc, argv);
    } else if (strcmp(verb, "grant") == 0 || strcmp(verb, "revoke") == 0) {
        hr = user_rights(c, site, argc, argv, verb[0] == 'g');
    } else {
        fmapi_site_close(site);
        return cli_error(c, EXIT_USAGE, "user: unknown or incomplete '%s' (see --help)", verb);
    }
    fmapi_site_close(site);
    return hr == S_OK ? EXIT_OK : cli_fail(c, verb, hr);
}

const cli_command CMD_USER = {
    "user", run_user, "add, list, remove users; passwords and mailbox rights",
    "user add ALIAS [--name NAME] [--smtp ADDRESS] [--password PW | --password-stdin]\n"
    "       (the address defaults to ALIAS@localhost)\n"
    "       mapi user list\n"
    "       mapi user remove ALIAS\n"
    "       mapi user passwd ALIAS (--password PW | --password-stdin)\n"
    "       mapi user grant GRANTEE MAILBOX RIGHTS\n"
    "       mapi user revoke GRANTEE MAILBOX RIGHTS\n\n"
    "Administers the users of the site (global --site, or the default one).\n"
    "RIGHTS is a comma-separated list of owner, full-access, send-as,\n"
    "impersonation, or all. Passwords are kept as Argon2id hashes.",
    CLI_USES_SITE,
};

/* ---- oab ------------------------------------------------------------------------- */

static int run_oab(cli *c, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "generate") != 0)
        return cli_error(c, EXIT_USAGE, "oab: 'oab generate [-o DIR]' (see --help)");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/oab", cli_site_dir(c));
    for (int i = 2; i < argc; i++) {
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc)
            snprintf(dir, sizeof dir, "%s", argv[++i]);
        else
            return cli_error(c, EXIT_USAGE, "oab generate: unknown argument %s", argv[i]);
    }
    mkdir(dir, 0755);
    fmapi_site *site = NULL;
    HRESULT hr = open_site(c, false, &site);
    fmapi_oab_result r;
    memset(&r, 0, sizeof r);
    if (hr == S_OK)
        hr = fmapi_site_generate_oab(site, dir, NULL, &r);
    if (site != NULL)
        fmapi_site_close(site);
    if (hr != S_OK)
        return cli_fail(c, "oab generate", hr);
    if (c->json) {
        json_out j = { .f = stdout };
        json_begin_object(&j);
        json_key(&j, "directory");
        json_string(&j, dir);
        json_key(&j, "file");
        json_string(&j, r.szFile);
        json_key(&j, "entries");
        json_int(&j, r.cEntries);
        json_key(&j, "left_out");
        json_int(&j, r.cSkipped);
        json_key(&j, "bytes");
        json_int(&j, (long long)r.cbCompressed);
        json_key(&j, "sha1");
        json_string(&j, r.szSha1);
        json_end_object(&j);
    } else if (!c->quiet)
        printf("%s/%s: %lu entries, %llu bytes (%llu uncompressed); %lu left out (no SMTP "
               "address)\n", dir, r.szFile, (unsigned long)r.cEntries,
               (unsigned long long)r.cbCompressed, (unsigned long long)r.cbUncompressed,
               (unsigned long)r.cSkipped);
    return EXIT_OK;
}

const cli_command CMD_OAB = {
    "oab", run_oab, "generate the offline address book",
    "oab generate [-o DIR]\n\n"
    "Writes the site's offline address book (OAB version 4 full details, LZX\n"
    "compressed, with its oab.xml manifest) into DIR (default <site>/oab),\n"
    "replacing the previous one atomically.",
    CLI_USES_SITE,
};
