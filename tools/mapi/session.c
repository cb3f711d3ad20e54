/*
 * tools/mapi/session.c - reaching a mailbox the way MAPI programs do:
 * MAPIInitialize, MAPILogonEx on a profile, the session's default store.
 *
 * The embedded default: with no --store or --profile, the tool uses a
 * site in the user's data directory ($XDG_DATA_HOME/freemapi/site) with
 * one user named after the OS user, and a profile "freemapi" holding that
 * site mailbox service, made the default profile. All three are created
 * on first use (setup.c); the user's password is random and kept only in
 * the profile (a 0600 file of the OS user), as a remembered password is.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "edkmdb.h"
#include "freemapi_site.h"
#include "mapiguid.h"

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
    /* only a profile this call made is taken back on failure: an existing
     * one of that name (MAPI_E_NO_ACCESS) is someone else's */
    bool created = hr == S_OK;
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
    if (hr != S_OK && created)
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

/* The session's default message store. */
static HRESULT open_default_store(LPMAPISESSION s, bool writable, LPMDB *out)
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
    if (hr == S_OK && pick == ~0u) /* a profile without a store service */
        hr = fmapi_error_set(MAPI_E_UNCONFIGURED, "the profile has no message store");
    if (hr == S_OK) {
        SBinary *eid = &rows->aRow[pick].lpProps[0].Value.bin;
        hr = IMAPISession_OpenMsgStore(s, 0, eid->cb, (LPENTRYID)eid->lpb, NULL,
                                       (writable ? MDB_WRITE : 0) | MDB_NO_DIALOG, out);
    }
    if (rows != NULL)
        FreeProws(rows);
    return hr;
}

static HRESULT logon(const char *name, LPMAPISESSION *out)
{
    const ULONG flags = MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL | MAPI_EXPLICIT_PROFILE;
    return MAPILogonEx(0, (LPTSTR)name, NULL, flags, out);
}

static void logoff(LPMAPISESSION s)
{
    if (s != NULL) {
        IMAPISession_Logoff(s, 0, 0, 0);
        IMAPISession_Release(s);
    }
}

HRESULT cli_default_profile_state(void)
{
    LPMAPISESSION s = NULL;
    HRESULT hr = logon(CLI_DEFAULT_PROFILE, &s);
    LPMAPITABLE t = NULL;
    if (hr == S_OK)
        hr = IMAPISession_GetMsgStoresTable(s, 0, &t);
    ULONG n = 0;
    if (hr == S_OK)
        hr = IMAPITable_GetRowCount(t, 0, &n);
    if (hr == S_OK && n == 0)
        hr = fmapi_error_set(MAPI_E_UNCONFIGURED, "the profile has no message store");
    if (t != NULL)
        IMAPITable_Release(t);
    logoff(s);
    return hr;
}

/* Logs on to name and opens its default store: *stage says how far it got
 * (0 the logon, 1 the store table, 2 the store). */
static HRESULT open_mailbox(cli *c, const char *name, int *stage, LPMDB *out)
{
    *stage = 0;
    LPMAPISESSION s = NULL;
    HRESULT hr = logon(name, &s);
    if (hr != S_OK)
        return hr;
    c->session = s;
    *stage = 1;
    return open_default_store(s, !c->read_only, out);
}

HRESULT cli_session_store(cli *c, LPMDB *out)
{
    HRESULT hr = cli_initialize(c);
    if (hr != S_OK)
        return hr;
    if (c->profile != NULL) {
        int stage;
        return open_mailbox(c, c->profile, &stage, out);
    }
    /* The default mailbox: made on first use, and finished if a first run
     * was interrupted (setup.c): the profile is missing, or half made
     * (unconfigured, or without a store), or a setup left its record. */
    int stage = 0;
    hr = cli_setup_pending(c) ? MAPI_E_UNCONFIGURED
                              : open_mailbox(c, CLI_DEFAULT_PROFILE, &stage, out);
    bool missing = stage == 0 && hr == MAPI_E_NOT_FOUND;
    if (!missing && hr != MAPI_E_UNCONFIGURED)
        return hr;
    logoff(c->session);
    c->session = NULL;
    hr = cli_setup_default(c);
    if (hr == S_OK)
        hr = open_mailbox(c, CLI_DEFAULT_PROFILE, &stage, out);
    return hr;
}

void cli_session_close(cli *c)
{
    logoff(c->session);
    c->session = NULL;
    if (initialized) {
        MAPIUninitialize();
        initialized = false;
    }
}
