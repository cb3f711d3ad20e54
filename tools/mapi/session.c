/*
 * tools/mapi/session.c - reaching a mailbox the way MAPI programs do:
 * MAPIInitialize, MAPILogonEx on a profile, the session's default store.
 *
 * The embedded default: with no --store, --site or --profile, the tool
 * uses a site in the user's data directory ($XDG_DATA_HOME/freemapi/site)
 * with one user named after the OS user, and a profile "freemapi" holding
 * that site mailbox service, made the default profile. All three are
 * created on first use; the user's password is random and kept only in
 * the profile (a 0600 file of the OS user), as a remembered password is.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "edkmdb.h"
#include "freemapi_site.h"
#include "mapiguid.h"

#define DEFAULT_PROFILE "freemapi"

static bool initialized;

HRESULT cli_initialize(cli *c)
{
    (void)c;
    if (initialized)
        return S_OK;
    HRESULT hr = MAPIInitialize(NULL);
    initialized = hr == S_OK;
    return hr;
}

void cli_mkdir_parents(const char *dir)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0700);
            *p = '/';
        }
    }
    mkdir(buf, 0700);
}

const char *cli_site_dir(cli *c)
{
    static char dir[4096];
    if (c->site_dir != NULL)
        return c->site_dir;
    const char *data = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (data != NULL && data[0] == '/')
        snprintf(dir, sizeof dir, "%s/freemapi/site", data);
    else if (home != NULL && home[0] == '/')
        snprintf(dir, sizeof dir, "%s/.local/share/freemapi/site", home);
    else
        snprintf(dir, sizeof dir, "freemapi-site");
    return dir;
}

/* The OS user's login name, used as the default mailbox's alias. */
static void os_user(char *alias, size_t cap, char *display, size_t dcap)
{
    struct passwd *pw = getpwuid(getuid());
    const char *name = pw && pw->pw_name ? pw->pw_name : "user";
    snprintf(alias, cap, "%s", name);
    const char *gecos = pw && pw->pw_gecos && pw->pw_gecos[0] ? pw->pw_gecos : name;
    snprintf(display, dcap, "%.*s", (int)strcspn(gecos, ","), gecos);
}

static void random_password(char *out, size_t cap)
{
    unsigned char raw[18];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
        memset(raw, 0x5a, sizeof raw); /* never happens on Linux >= 3.17 */
    static const char abc[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    size_t n = 0;
    for (; n < sizeof raw && n + 1 < cap; n++)
        out[n] = abc[raw[n] % (sizeof abc - 1)];
    out[n] = '\0';
}

/* The UID of the profile's (only) message service, just created. */
static HRESULT first_service(LPSERVICEADMIN sa, MAPIUID *uid)
{
    LPMAPITABLE t = NULL;
    HRESULT hr = IMsgServiceAdmin_GetMsgServiceTable(sa, 0, &t);
    SizedSPropTagArray(1, cols) = { 1, { PR_SERVICE_UID } };
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    if (hr == S_OK && (rows->cRows == 0 || rows->aRow[0].lpProps[0].ulPropTag != PR_SERVICE_UID ||
                       rows->aRow[0].lpProps[0].Value.bin.cb != sizeof *uid))
        hr = MAPI_E_NOT_FOUND;
    if (hr == S_OK)
        memcpy(uid->ab, rows->aRow[0].lpProps[0].Value.bin.lpb, sizeof *uid);
    if (rows != NULL)
        FreeProws(rows);
    if (t != NULL)
        IMAPITable_Release(t);
    return hr;
}

HRESULT cli_profile_create(const char *profile, const char *service, const char *display,
                           ULONG ncfg, LPSPropValue cfg)
{
    LPPROFADMIN pa = NULL;
    HRESULT hr = MAPIAdminProfiles(0, &pa);
    if (hr == S_OK)
        hr = IProfAdmin_CreateProfile(pa, (LPTSTR)profile, NULL, 0, 0);
    LPSERVICEADMIN sa = NULL;
    if (hr == S_OK)
        hr = IProfAdmin_AdminServices(pa, (LPTSTR)profile, NULL, 0, 0, &sa);
    MAPIUID uid;
    if (hr == S_OK)
        hr = IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)service, (LPTSTR)display, 0, 0);
    if (hr == S_OK)
        hr = first_service(sa, &uid);
    if (hr == S_OK)
        hr = IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, 0, ncfg, cfg);
    if (sa != NULL)
        IMsgServiceAdmin_Release(sa);
    if (hr != S_OK && pa != NULL)
        IProfAdmin_DeleteProfile(pa, (LPTSTR)profile, 0); /* never half a profile */
    if (pa != NULL)
        IProfAdmin_Release(pa);
    return hr;
}

HRESULT cli_profile_add_site_service(const char *profile, const char *site_dir,
                                     const char *user, const char *password)
{
    SPropValue cfg[3] = {
        { .ulPropTag = PR_PROFILE_HOME_SERVER, .Value.lpszA = (LPSTR)site_dir },
        { .ulPropTag = PR_PROFILE_USER, .Value.lpszA = (LPSTR)user },
        { .ulPropTag = PR_FMAPI_SITE_PASSWORD, .Value.lpszA = (LPSTR)password },
    };
    return cli_profile_create(profile, FMAPI_SERVICE_SITE, "Mailbox", password ? 3 : 2, cfg);
}

/* Creates the default site, user and profile (the profile is missing). */
static HRESULT create_default(cli *c)
{
    const char *dir = cli_site_dir(c);
    cli_mkdir_parents(dir);
    fmapi_site *site = NULL;
    HRESULT hr = fmapi_site_open(dir, FMAPI_SITE_CREATE, &site);
    char alias[128], display[256], password[32], smtp[200];
    os_user(alias, sizeof alias, display, sizeof display);
    random_password(password, sizeof password);
    snprintf(smtp, sizeof smtp, "%s@localhost", alias);
    if (hr == S_OK) {
        hr = fmapi_site_add_user(site, alias, display, smtp, password);
        if (hr == MAPI_E_COLLISION) /* the user exists: give them a password we know */
            hr = fmapi_site_set_password(site, alias, password);
    }
    if (site != NULL)
        fmapi_site_close(site);
    if (hr == S_OK)
        hr = cli_profile_add_site_service(DEFAULT_PROFILE, dir, alias, password);
    LPPROFADMIN pa = NULL;
    if (hr == S_OK && MAPIAdminProfiles(0, &pa) == S_OK) {
        IProfAdmin_SetDefaultProfile(pa, (LPTSTR)DEFAULT_PROFILE, 0);
        IProfAdmin_Release(pa);
    }
    if (hr == S_OK && !c->quiet)
        fprintf(stderr, "%s: created the site %s, user %s and profile %s\n", c->prog, dir, alias,
                DEFAULT_PROFILE);
    return hr;
}

/* The session's default message store. */
static HRESULT open_default_store(LPMAPISESSION s, LPMDB *out)
{
    LPMAPITABLE t = NULL;
    HRESULT hr = IMAPISession_GetMsgStoresTable(s, 0, &t);
    SizedSPropTagArray(2, cols) = { 2, { PR_ENTRYID, PR_DEFAULT_STORE } };
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    if (t != NULL)
        IMAPITable_Release(t);
    ULONG pick = ~0u;
    for (ULONG i = 0; hr == S_OK && i < rows->cRows; i++) {
        const SPropValue *p = rows->aRow[i].lpProps;
        if (pick == ~0u || (PROP_TYPE(p[1].ulPropTag) == PT_BOOLEAN && p[1].Value.b))
            pick = i;
    }
    if (hr == S_OK && pick == ~0u)
        hr = MAPI_E_NOT_FOUND;
    if (hr == S_OK) {
        SBinary *eid = &rows->aRow[pick].lpProps[0].Value.bin;
        hr = IMAPISession_OpenMsgStore(s, 0, eid->cb, (LPENTRYID)eid->lpb, NULL,
                                       MDB_WRITE | MDB_NO_DIALOG, out);
    }
    if (rows != NULL)
        FreeProws(rows);
    return hr;
}

HRESULT cli_logon(cli *c)
{
    if (c->session != NULL)
        return S_OK;
    HRESULT hr = cli_initialize(c);
    const ULONG flags = MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL | MAPI_EXPLICIT_PROFILE;
    LPTSTR name = (LPTSTR)(c->profile ? c->profile : DEFAULT_PROFILE);
    LPMAPISESSION s = NULL;
    if (hr == S_OK)
        hr = MAPILogonEx(0, name, NULL, flags, &s);
    /* the default profile is made on first use, then logged on to */
    if (hr == MAPI_E_NOT_FOUND && c->profile == NULL) {
        hr = create_default(c);
        if (hr == S_OK)
            hr = MAPILogonEx(0, name, NULL, flags, &s);
    }
    if (hr == S_OK)
        c->session = s;
    return hr;
}

HRESULT cli_session_store(cli *c, LPMDB *out)
{
    HRESULT hr = cli_logon(c);
    if (hr == S_OK)
        hr = open_default_store(c->session, out);
    return hr;
}

void cli_session_close(cli *c)
{
    if (c->session != NULL) {
        LPMAPISESSION s = c->session;
        IMAPISession_Logoff(s, 0, 0, 0);
        IMAPISession_Release(s);
        c->session = NULL;
    }
    if (initialized) {
        MAPIUninitialize();
        initialized = false;
    }
}
