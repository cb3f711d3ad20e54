/*
 * tests/session/test_kb891509.c - a service account that logs on and off
 * many mailboxes (KB 891509) must end every cycle where it started.
 *
 * A site of N mailboxes (FM_TEST_MAILBOXES, default 10,000; 2,000 under
 * AddressSanitizer; scripts/valgrind.sh runs 200) and a service account
 * with impersonation rights on all of them. N times: MAPILogonEx, open the
 * account's own store, IExchangeManageStore::CreateStoreEntryID of the next
 * mailbox, OpenMsgStore, read the first ten Inbox rows, release everything,
 * Logoff. After every Logoff freemapi's live allocations are back at the
 * baseline (SQLite's page caches of the cached connections are bounded by
 * cache_size and counted apart); the resident set grows by less than 1 MB
 * between cycle 1,000 (or N/10) and the last (checked without sanitizers or
 * valgrind, whose allocators keep freed memory on purpose); after
 * MAPIUninitialize nothing at all is left, SQLite's memory included.
 *
 * Also: MAPIInitialize/MAPIUninitialize 1,000 times leave nothing behind.
 */
#include "session_fixture.h"

#define FILLED 20 /* mailboxes given FILL Inbox messages */
#define FILL 12

static unsigned long mailboxes(void)
{
    const char *env = getenv("FM_TEST_MAILBOXES");
    if (env != NULL && atol(env) > 0)
        return (unsigned long)atol(env);
#if defined(__SANITIZE_ADDRESS__)
    return 2000;
#else
    return 10000;
#endif
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f != NULL) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* The resident set says something about leaks only with the plain
 * allocator: AddressSanitizer's quarantine and valgrind's freed-block queue
 * hold freed memory on purpose (both check leaks their own way). */
static bool rss_meaningful(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return false;
#else
    const char *preload = getenv("LD_PRELOAD");
    return preload == NULL || strstr(preload, "vgpreload") == NULL;
#endif
}

static void fill_inbox(const char *path)
{
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, 0, &mdb), S_OK);
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0;
    LPMAPIFOLDER inbox = NULL;
    assert_int_equal(IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL), S_OK);
    assert_int_equal(IMsgStore_OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type,
                                         (LPUNKNOWN *)&inbox),
                     S_OK);
    for (int i = 0; i < FILL; i++) {
        LPMESSAGE m = NULL;
        assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &m), S_OK);
        SPropValue v = { .ulPropTag = PR_SUBJECT_A };
        v.Value.lpszA = "hello";
        assert_int_equal(IMessage_SetProps(m, 1, &v, NULL), S_OK);
        assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
        IMessage_Release(m);
    }
    IMAPIFolder_Release(inbox);
    MAPIFreeBuffer(eid);
    IMsgStore_Release(mdb);
}

static const char *big_site(unsigned long n)
{
    static char dir[600];
    snprintf(dir, sizeof dir, "%s/bigsite", fm_test_tmpdir());
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(dir, FMAPI_SITE_CREATE | FMAPI_SITE_WEAK_HASHES, &site),
                     S_OK);
    assert_int_equal(fmapi_site_add_user(site, "svc", "Service", "svc@example.org", "svc-pw"),
                     S_OK);
    for (unsigned long i = 0; i < n; i++) {
        char alias[32];
        snprintf(alias, sizeof alias, "mbx%lu", i);
        assert_int_equal(fmapi_site_add_user(site, alias, alias, NULL, "x"), S_OK);
        assert_int_equal(fmapi_site_grant(site, "svc", alias, FMAPI_RIGHT_IMPERSONATION), S_OK);
        if (i < FILLED) {
            char path[700];
            snprintf(path, sizeof path, "%s/mailboxes/%lu.fmdb", dir, i + 2); /* svc is 1 */
            fill_inbox(path);
        }
    }
    fmapi_site_close(site);
    return dir;
}

static void make_svc_profile(const char *site)
{
    LPPROFADMIN pa = NULL;
    assert_int_equal(MAPIAdminProfiles(0, &pa), S_OK);
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "svc", NULL, 0, 0), S_OK);
    LPSERVICEADMIN sa = NULL;
    assert_int_equal(IProfAdmin_AdminServices(pa, (LPTSTR) "svc", NULL, 0, 0, &sa), S_OK);
    assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_SITE, NULL, 0,
                                                       0),
                     S_OK);
    MAPIUID uid = fx_first_service(sa);
    SPropValue cfg[2];
    cfg[0].ulPropTag = PR_PROFILE_HOME_SERVER;
    cfg[0].Value.lpszA = (LPSTR)site;
    cfg[1].ulPropTag = PR_PROFILE_USER;
    cfg[1].Value.lpszA = "svc";
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, 0, 2, cfg), S_OK);
    IMsgServiceAdmin_Release(sa);
    IProfAdmin_Release(pa);
}

/* One cycle on mailbox i; returns the Inbox rows read. */
static ULONG cycle(unsigned long i)
{
    LPMAPISESSION s = NULL;
    assert_int_equal(MAPILogonEx(0, (LPTSTR) "svc", (LPTSTR) "svc-pw",
                                 MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL, &s),
                     S_OK);
    LPMDB own = fx_open_default(s);
    LPEXCHANGEMANAGESTORE ems = NULL;
    assert_int_equal(IMsgStore_QueryInterface(own, &IID_IExchangeManageStore, (void **)&ems),
                     S_OK);
    char dn[64];
    snprintf(dn, sizeof dn, "/o=site/ou=users/cn=mbx%lu", i);
    ULONG cb = 0, type = 0, n = 0;
    LPENTRYID eid = NULL;
    assert_int_equal(IExchangeManageStore_CreateStoreEntryID(ems, NULL, dn,
                                                             OPENSTORE_TAKE_OWNERSHIP, &cb, &eid),
                     S_OK);
    LPMDB mdb = NULL;
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, cb, eid, NULL, MDB_NO_DIALOG, &mdb), S_OK);
    LPENTRYID ieid = NULL;
    ULONG icb = 0;
    LPMAPIFOLDER inbox = NULL;
    assert_int_equal(IMsgStore_GetReceiveFolder(mdb, NULL, 0, &icb, &ieid, NULL), S_OK);
    assert_int_equal(IMsgStore_OpenEntry(mdb, icb, ieid, NULL, 0, &type, (LPUNKNOWN *)&inbox),
                     S_OK);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(inbox, 0, &t), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 10, 0, &rows), S_OK);
    n = rows->cRows;
    FreeProws(rows);
    IMAPITable_Release(t);
    IMAPIFolder_Release(inbox);
    MAPIFreeBuffer(ieid);
    IMsgStore_Release(mdb);
    MAPIFreeBuffer(eid);
    IExchangeManageStore_Release(ems);
    IMsgStore_Release(own);
    assert_int_equal(IMAPISession_Logoff(s, 0, 0, 0), S_OK);
    IMAPISession_Release(s);
    return n;
}

static void service_account_cycles_return_to_the_baseline(void **state)
{
    (void)state;
    unsigned long n = mailboxes();
    const char *site = big_site(n);
    fm_test_baseline before_init;
    fm_test_baseline_take(&before_init);

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    make_svc_profile(site);
    assert_int_equal(cycle(0), 10); /* warm-up: the caches fill */
    assert_int_equal(cycle(n - 1), n - 1 < FILLED ? 10 : 0);
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    unsigned long mark = n >= 10000 ? 1000 : n / 10;
    long rss_mark = 0;
    for (unsigned long i = 0; i < n; i++) {
        assert_int_equal(cycle(i), i < FILLED ? 10 : 0);
        fm_test_assert_no_leak(&b);
        if (i + 1 == mark)
            rss_mark = rss_kb();
    }
    long rss_end = rss_kb();
    print_message("mailboxes %lu, RSS at cycle %lu: %ld kB, at cycle %lu: %ld kB\n", n, mark,
                  rss_mark, n, rss_end);
    if (rss_meaningful())
        assert_true(rss_end - rss_mark < 1024);

    LPPROFADMIN pa = NULL;
    assert_int_equal(MAPIAdminProfiles(0, &pa), S_OK);
    assert_int_equal(IProfAdmin_DeleteProfile(pa, (LPTSTR) "svc", 0), S_OK);
    IProfAdmin_Release(pa);
    MAPIUninitialize();
    fm_test_assert_no_leak_all(&before_init);
}

static void initialize_and_uninitialize_leave_nothing_behind(void **state)
{
    (void)state;
    assert_int_equal(MAPIInitialize(NULL), S_OK); /* warm SQLite and libsodium up */
    LPPROFADMIN pa = NULL;
    assert_int_equal(MAPIAdminProfiles(0, &pa), S_OK);
    IProfAdmin_Release(pa);
    MAPIUninitialize();
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    MAPIINIT_0 init = { MAPI_INIT_VERSION, MAPI_MULTITHREAD_NOTIFICATIONS };
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(MAPIInitialize(i % 2 ? &init : NULL), S_OK);
        assert_int_equal(MAPIAdminProfiles(0, &pa), S_OK);
        IProfAdmin_Release(pa);
        MAPIUninitialize();
        fm_test_assert_no_leak_all(&b);
    }
    assert_int_equal(MAPIAdminProfiles(0, &pa), MAPI_E_NOT_INITIALIZED);
}

int main(void)
{
    fx_profile_env();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(initialize_and_uninitialize_leave_nothing_behind),
        cmocka_unit_test(service_account_cycles_return_to_the_baseline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
