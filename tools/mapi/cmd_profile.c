/*
 * tools/mapi/cmd_profile.c - `mapi profile create|list|show|delete|default`:
 * the calling OS user's MAPI profiles, through MAPIAdminProfiles,
 * IProfAdmin and IMsgServiceAdmin as any MAPI program would use them.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "edkmdb.h"
#include "freemapi_site.h"

static int profile_create(cli *c, int argc, char **argv)
{
    const char *name = NULL, *user = NULL, *store = NULL;
    char password[512] = "";
    bool has_password = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--user") == 0 && i + 1 < argc)
            user = argv[++i];
        else if (strcmp(argv[i], "--store-file") == 0 && i + 1 < argc)
            store = argv[++i];
        else if (strcmp(argv[i], "--password") == 0 && i + 1 < argc) {
            snprintf(password, sizeof password, "%s", argv[++i]);
            has_password = true;
        } else if (strcmp(argv[i], "--password-stdin") == 0) {
            if (!cli_read_line(password, sizeof password) && cli_cancelled())
                return EXIT_CANCELLED;
            has_password = true;
        } else if (argv[i][0] != '-' && name == NULL)
            name = argv[i];
        else
            return cli_error(c, EXIT_USAGE, "profile create: unexpected %s", argv[i]);
    }
    if (name == NULL || (user == NULL) == (store == NULL))
        return cli_error(c, EXIT_USAGE, "profile create NAME (--user ALIAS | --store-file FILE)");
    if (store != NULL && c->site_dir != NULL)
        return cli_error(c, EXIT_USAGE, "profile create: --site names the site of a --user "
                                        "mailbox; a --store-file profile has none");
    SPropValue file = { .ulPropTag = PR_PST_PATH_A, .Value.lpszA = (LPSTR)store };
    HRESULT hr = store ? cli_profile_create(name, FMAPI_SERVICE_STORE, "Personal Folders", 1,
                                            &file)
                       : cli_profile_add_site_service(name, cli_site_dir(c), user,
                                                      has_password ? password : NULL);
    return hr == S_OK ? EXIT_OK : cli_fail(c, name, hr);
}

static int profile_list(cli *c)
{
    LPPROFADMIN pa = NULL;
    HRESULT hr = MAPIAdminProfiles(0, &pa);
    LPMAPITABLE t = NULL;
    if (hr == S_OK)
        hr = IProfAdmin_GetProfileTable(pa, 0, &t);
    SizedSPropTagArray(2, cols) = { 2, { PR_DISPLAY_NAME_A, PR_DEFAULT_PROFILE } };
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    json_out j = { .f = stdout };
    if (hr == S_OK && c->json)
        json_begin_array(&j);
    for (ULONG i = 0; hr == S_OK && i < rows->cRows; i++) {
        const SPropValue *p = rows->aRow[i].lpProps;
        const char *name = PROP_TYPE(p[0].ulPropTag) == PT_STRING8 ? p[0].Value.lpszA : "";
        bool dflt = PROP_TYPE(p[1].ulPropTag) == PT_BOOLEAN && p[1].Value.b;
        if (c->json) {
            json_begin_object(&j);
            json_key(&j, "name");
            json_string(&j, name);
            json_key(&j, "default");
            json_bool(&j, dflt);
            json_end_object(&j);
        } else {
            printf("%s%s\n", name, dflt ? "  (default)" : "");
        }
    }
    if (hr == S_OK && c->json)
        json_end_array(&j);
    if (rows != NULL)
        FreeProws(rows);
    if (t != NULL)
        IMAPITable_Release(t);
    if (pa != NULL)
        IProfAdmin_Release(pa);
    return hr == S_OK ? EXIT_OK : cli_fail(c, "profile list", hr);
}

static int profile_show(cli *c, const char *name)
{
    LPPROFADMIN pa = NULL;
    HRESULT hr = MAPIAdminProfiles(0, &pa);
    LPSERVICEADMIN sa = NULL;
    if (hr == S_OK)
        hr = IProfAdmin_AdminServices(pa, (LPTSTR)name, NULL, 0, 0, &sa);
    LPMAPITABLE t = NULL;
    if (hr == S_OK)
        hr = IMsgServiceAdmin_GetMsgServiceTable(sa, 0, &t);
    SizedSPropTagArray(2, cols) = { 2, { PR_SERVICE_NAME_A, PR_DISPLAY_NAME_A } };
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    json_out j = { .f = stdout };
    if (hr == S_OK) {
        if (c->json) {
            json_begin_object(&j);
            json_key(&j, "name");
            json_string(&j, name);
            json_key(&j, "services");
            json_begin_array(&j);
        } else {
            printf("profile %s\n", name);
        }
        for (ULONG i = 0; i < rows->cRows; i++) {
            const SPropValue *p = rows->aRow[i].lpProps;
            const char *svc = PROP_TYPE(p[0].ulPropTag) == PT_STRING8 ? p[0].Value.lpszA : "";
            const char *disp = PROP_TYPE(p[1].ulPropTag) == PT_STRING8 ? p[1].Value.lpszA : "";
            if (c->json) {
                json_begin_object(&j);
                json_key(&j, "service");
                json_string(&j, svc);
                json_key(&j, "display_name");
                json_string(&j, disp);
                json_end_object(&j);
            } else {
                printf("  service %-10s %s\n", svc, disp);
            }
        }
        if (c->json) {
            json_end_array(&j);
            json_end_object(&j);
        }
    }
    if (rows != NULL)
        FreeProws(rows);
    if (t != NULL)
        IMAPITable_Release(t);
    if (sa != NULL)
        IMsgServiceAdmin_Release(sa);
    if (pa != NULL)
        IProfAdmin_Release(pa);
    return hr == S_OK ? EXIT_OK : cli_fail(c, name, hr);
}

static int profile_simple(cli *c, const char *verb, const char *name)
{
    LPPROFADMIN pa = NULL;
    HRESULT hr = MAPIAdminProfiles(0, &pa);
    if (hr == S_OK)
        hr = strcmp(verb, "delete") == 0 ? IProfAdmin_DeleteProfile(pa, (LPTSTR)name, 0)
                                         : IProfAdmin_SetDefaultProfile(pa, (LPTSTR)name, 0);
    if (pa != NULL)
        IProfAdmin_Release(pa);
    return hr == S_OK ? EXIT_OK : cli_fail(c, name, hr);
}

static int run_profile(cli *c, int argc, char **argv)
{
    if (argc < 2)
        return cli_error(c, EXIT_USAGE, "profile: create, list, show, delete or default");
    HRESULT hr = cli_initialize(c);
    if (hr != S_OK)
        return cli_fail(c, "MAPIInitialize", hr);
    const char *verb = argv[1];
    if (strcmp(verb, "create") == 0)
        return profile_create(c, argc, argv);
    if (c->site_dir != NULL)
        return cli_error(c, EXIT_USAGE, "--site: 'profile %s' works on the profiles of this OS "
                                        "user, not on a site", verb);
    if (strcmp(verb, "list") == 0 && argc == 2)
        return profile_list(c);
    if (strcmp(verb, "show") == 0 && argc == 3)
        return profile_show(c, argv[2]);
    if ((strcmp(verb, "delete") == 0 || strcmp(verb, "default") == 0) && argc == 3)
        return profile_simple(c, verb, argv[2]);
    return cli_error(c, EXIT_USAGE, "profile: unknown or incomplete '%s' (see --help)", verb);
}

const cli_command CMD_PROFILE = {
    "profile", run_profile, "create, list, show, delete profiles; the default one",
    "profile create NAME (--user ALIAS [--password PW | --password-stdin]\n"
    "                            | --store-file FILE)\n"
    "       mapi profile list\n"
    "       mapi profile show NAME\n"
    "       mapi profile delete NAME\n"
    "       mapi profile default NAME\n\n"
    "Profiles belong to the calling OS user ($XDG_CONFIG_HOME/freemapi). A profile\n"
    "holds a site mailbox (--user, in the global --site or the default site) or a\n"
    "standalone store file (--store-file). Log on with the global --profile NAME.\n"
    "Deleting a profile in use hides it at once; sessions using it keep working\n"
    "and it is removed when the last one ends.",
    CLI_USES_SITE,
};
