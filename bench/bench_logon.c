/*
 * bench/bench_logon.c - session cycles per second: MAPILogonEx + open a
 * mailbox + Logoff, the loop of programs that visit many mailboxes
 * (KB 891509). Two figures:
 *   own mailbox      log on to a profile holding a site mailbox service,
 *                    open its default store, log off;
 *   service account  log on as a service account, get IExchangeManageStore
 *                    from its own store, CreateStoreEntryID of the next of
 *                    M other mailboxes (impersonation right), OpenMsgStore,
 *                    read the first ten Inbox rows, release, log off.
 * The site uses libsodium's minimum Argon2id cost (FMAPI_SITE_WEAK_HASHES):
 * at the interactive cost each logon spends tens of milliseconds hashing,
 * which the third figure measures.
 *
 * Usage: bench_logon [--cycles N] [--mailboxes M] [--strong S] [--dir DIR]
 *        (defaults: 5000, 100, 20 (0: skip the third figure), /tmp)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "edkmdb.h"
#include "freemapi.h"
#include "freemapi_site.h"
#include "harness.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"

static unsigned long cycles = 5000, mailboxes = 100, strong_n = 20;
static const char *dir = "/tmp";
static char site_dir[4200];

static void die(const char *what, HRESULT hr)
{
    fprintf(stderr, "bench_logon: %s failed: 0x%08lx %s\n", what, (unsigned long)hr,
            fmapi_last_error());
    exit(1);
}

static void check(HRESULT hr, const char *what)
{
    if (hr != S_OK)
        die(what, hr);
}

static void make_site(const char *path, ULONG flags)
{
    fmapi_site *site = NULL;
    check(fmapi_site_open(path, FMAPI_SITE_CREATE | flags, &site), "fmapi_site_open");
    check(fmapi_site_add_user(site, "svc", "Service", "svc@example.org", "pw"), "add svc");
    for (unsigned long i = 0; i < mailboxes; i++) {
        char alias[32], smtp[64];
        snprintf(alias, sizeof alias, "user%lu", i);
        snprintf(smtp, sizeof smtp, "user%lu@example.org", i);
        check(fmapi_site_add_user(site, alias, alias, smtp, "pw"), "add user");
        check(fmapi_site_grant(site, "svc", alias, FMAPI_RIGHT_IMPERSONATION), "grant");
    }
    fmapi_site_close(site);
}

static void make_profile(const char *name, const char *site, const char *user)
{
    LPPROFADMIN pa = NULL;
    check(MAPIAdminProfiles(0, &pa), "MAPIAdminProfiles");
    check(IProfAdmin_CreateProfile(pa, (LPTSTR)name, NULL, 0, 0), "CreateProfile");
    LPSERVICEADMIN sa = NULL;
    check(IProfAdmin_AdminServices(pa, (LPTSTR)name, NULL, 0, 0, &sa), "AdminServices");
    check(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_SITE, NULL, 0, 0),
          "CreateMsgService");
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    check(IMsgServiceAdmin_GetMsgServiceTable(sa, 0, &t), "GetMsgServiceTable");
    check(IMAPITable_QueryRows(t, 1, 0, &rows), "QueryRows");
    LPSPropValue uid = PpropFindProp(rows->aRow[0].lpProps, rows->aRow[0].cValues,
                                     PR_SERVICE_UID);
    SPropValue cfg[3] = { { .ulPropTag = PR_PROFILE_HOME_SERVER },
                          { .ulPropTag = PR_PROFILE_USER },
                          { .ulPropTag = PR_FMAPI_SITE_PASSWORD } };
    cfg[0].Value.lpszA = (LPSTR)site;
    cfg[1].Value.lpszA = (LPSTR)user;
    cfg[2].Value.lpszA = "pw";
    check(IMsgServiceAdmin_ConfigureMsgService(sa, (LPMAPIUID)uid->Value.bin.lpb, 0, 0, 3, cfg),
          "ConfigureMsgService");
    FreeProws(rows);
    IMAPITable_Release(t);
    IMsgServiceAdmin_Release(sa);
    IProfAdmin_Release(pa);
}

static LPMDB open_default(LPMAPISESSION s)
{
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    static const SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    check(IMAPISession_GetMsgStoresTable(s, 0, &t), "GetMsgStoresTable");
    check(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), "SetColumns");
    check(IMAPITable_QueryRows(t, 1, 0, &rows), "QueryRows");
    LPMDB mdb = NULL;
    check(IMAPISession_OpenMsgStore(s, 0, rows->aRow[0].lpProps[0].Value.bin.cb,
                                    (LPENTRYID)rows->aRow[0].lpProps[0].Value.bin.lpb, NULL,
                                    MDB_WRITE | MDB_NO_DIALOG, &mdb),
          "OpenMsgStore");
    FreeProws(rows);
    IMAPITable_Release(t);
    return mdb;
}

static LPMAPISESSION logon(const char *profile)
{
    LPMAPISESSION s = NULL;
    check(MAPILogonEx(0, (LPTSTR)profile, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL,
                      &s),
          "MAPILogonEx");
    return s;
}

static void logoff(LPMAPISESSION s)
{
    check(IMAPISession_Logoff(s, 0, 0, 0), "Logoff");
    IMAPISession_Release(s);
}

static double own_cycles(void *ctx)
{
    const char *profile = ctx;
    double t0 = bench_now();
    for (unsigned long i = 0; i < cycles; i++) {
        LPMAPISESSION s = logon(profile);
        LPMDB mdb = open_default(s);
        IMsgStore_Release(mdb);
        logoff(s);
    }
    return bench_now() - t0;
}

static void read_inbox(LPMDB mdb)
{
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0;
    LPMAPIFOLDER inbox = NULL;
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    check(IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL), "GetReceiveFolder");
    check(IMsgStore_OpenEntry(mdb, cb, eid, NULL, 0, &type, (LPUNKNOWN *)&inbox), "OpenEntry");
    check(IMAPIFolder_GetContentsTable(inbox, 0, &t), "GetContentsTable");
    check(IMAPITable_QueryRows(t, 10, 0, &rows), "QueryRows");
    FreeProws(rows);
    IMAPITable_Release(t);
    IMAPIFolder_Release(inbox);
    MAPIFreeBuffer(eid);
}

static double service_cycles(void *ctx)
{
    (void)ctx;
    double t0 = bench_now();
    for (unsigned long i = 0; i < cycles; i++) {
        LPMAPISESSION s = logon("svc");
        LPMDB own = open_default(s);
        LPEXCHANGEMANAGESTORE ems = NULL;
        check(IMsgStore_QueryInterface(own, &IID_IExchangeManageStore, (void **)&ems),
              "QueryInterface");
        char alias[32];
        snprintf(alias, sizeof alias, "user%lu", i % mailboxes);
        ULONG cb = 0;
        LPENTRYID eid = NULL;
        check(IExchangeManageStore_CreateStoreEntryID(ems, NULL, alias, OPENSTORE_TAKE_OWNERSHIP,
                                                      &cb, &eid),
              "CreateStoreEntryID");
        LPMDB other = NULL;
        check(IMAPISession_OpenMsgStore(s, 0, cb, eid, NULL, MDB_NO_DIALOG, &other),
              "OpenMsgStore");
        read_inbox(other);
        IMsgStore_Release(other);
        MAPIFreeBuffer(eid);
        IExchangeManageStore_Release(ems);
        IMsgStore_Release(own);
        logoff(s);
    }
    return bench_now() - t0;
}

static double strong_cycles(void *ctx)
{
    unsigned long saved = cycles;
    cycles = strong_n;
    double t = own_cycles(ctx);
    cycles = saved;
    return t;
}

int main(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--cycles") == 0)
            cycles = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--mailboxes") == 0)
            mailboxes = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--strong") == 0)
            strong_n = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--dir") == 0)
            dir = argv[i + 1];
    }
    if (cycles == 0 || mailboxes == 0) {
        fprintf(stderr, "usage: bench_logon [--cycles N] [--mailboxes M] [--dir DIR]\n");
        return 2;
    }
    bench_print_command(argc, argv);
    char root[4000], profiles[4200], strong[4200];
    snprintf(root, sizeof root, "%s/bench_logon.XXXXXX", dir);
    if (mkdtemp(root) == NULL)
        die("mkdtemp", MAPI_E_NO_ACCESS);
    snprintf(profiles, sizeof profiles, "%s/profiles", root);
    snprintf(site_dir, sizeof site_dir, "%s/site", root);
    snprintf(strong, sizeof strong, "%s/strong", root);
    setenv("FREEMAPI_PROFILE_DIR", profiles, 1);
    check(MAPIInitialize(NULL), "MAPIInitialize");
    make_site(site_dir, FMAPI_SITE_WEAK_HASHES);
    make_profile("own", site_dir, "user0");
    make_profile("svc", site_dir, "svc");
    fmapi_site *site = NULL;
    check(fmapi_site_open(strong, FMAPI_SITE_CREATE, &site), "strong site");
    check(fmapi_site_add_user(site, "strong", "Strong", "strong@example.org", "pw"), "add");
    fmapi_site_close(site);
    make_profile("strong", strong, "strong");

    double t = bench_median(own_cycles, "own", 3);
    bench_report("logon + open own mailbox + logoff", (double)cycles / t, "cycles/s");
    t = bench_median(service_cycles, NULL, 3);
    bench_report("service account: logon + CreateStoreEntryID + OpenMsgStore + 10 Inbox rows + "
                 "logoff", (double)cycles / t, "cycles/s");
    if (strong_n > 0) {
        t = bench_median(strong_cycles, "strong", 3);
        bench_report("logon + open own mailbox + logoff, interactive Argon2id cost",
                     (double)strong_n / t, "cycles/s");
    }
    MAPIUninitialize();
    char cmd[4400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_logon: could not remove %s\n", root);
    return 0;
}
