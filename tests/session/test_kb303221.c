/*
 * tests/session/test_kb303221.c - deleting a profile in use (KB 303221),
 * with real separate processes.
 *
 * Process A logs on to profile P and keeps writing messages; process B
 * deletes P; process C creates a new P and logs on to it and writes; A
 * keeps working (writes, tables, profile sections), then logs off, and the
 * old P is gone while the new P is intact. The second test kills A with
 * SIGKILL instead: the kernel drops A's registry lock, and the next use of
 * the profile store removes the old P. fmapi_list_sessions reports the
 * sessions of each process along the way.
 *
 * The children are this test program run again (/proc/self/exe) with a
 * role argument, so they are fresh processes, not forks sharing state.
 */
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "profile/profstore.h"
#include "profile/registry.h"
#include "session_fixture.h"

/* ---- helpers shared by parent and children ------------------------------------ */

static char exe_path[4096];

static void path_in_tmp(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", getenv("KB_TMP"), name);
}

static bool exists(const char *name)
{
    char p[4200];
    path_in_tmp(p, sizeof p, name);
    return access(p, F_OK) == 0;
}

static void touch(const char *name)
{
    char p[4200];
    path_in_tmp(p, sizeof p, name);
    FILE *f = fopen(p, "w");
    if (f != NULL)
        fclose(f);
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* Creates profile name with a store-file service at <tmp>/<file>. */
static HRESULT make_store_profile(const char *name, const char *file)
{
    char path[4200];
    path_in_tmp(path, sizeof path, file);
    LPPROFADMIN pa = NULL;
    HRESULT hr = MAPIAdminProfiles(0, &pa);
    if (hr != S_OK)
        return hr;
    LPSERVICEADMIN sa = NULL;
    hr = IProfAdmin_CreateProfile(pa, (LPTSTR)name, NULL, 0, 0);
    if (hr == S_OK)
        hr = IProfAdmin_AdminServices(pa, (LPTSTR)name, NULL, 0, 0, &sa);
    if (hr == S_OK)
        hr = IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_STORE, (LPTSTR) "Store",
                                               0, 0);
    if (hr == S_OK) {
        MAPIUID uid = fx_first_service(sa);
        SPropValue cfg = { .ulPropTag = PR_PST_PATH_A };
        cfg.Value.lpszA = path;
        hr = IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, 0, 1, &cfg);
    }
    if (sa != NULL)
        IMsgServiceAdmin_Release(sa);
    IProfAdmin_Release(pa);
    return hr;
}

/* Saves one message in the Inbox of mdb. */
static HRESULT write_message(LPMDB mdb, int n)
{
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0;
    LPMAPIFOLDER inbox = NULL;
    LPMESSAGE msg = NULL;
    HRESULT hr = IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL);
    if (hr == S_OK)
        hr = IMsgStore_OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&inbox);
    MAPIFreeBuffer(eid);
    if (hr == S_OK)
        hr = IMAPIFolder_CreateMessage(inbox, NULL, 0, &msg);
    if (hr == S_OK) {
        char subject[64];
        snprintf(subject, sizeof subject, "message %d", n);
        SPropValue v = { .ulPropTag = PR_SUBJECT_A };
        v.Value.lpszA = subject;
        hr = IMessage_SetProps(msg, 1, &v, NULL);
        if (hr == S_OK)
            hr = IMessage_SaveChanges(msg, 0);
        IMessage_Release(msg);
    }
    if (inbox != NULL)
        IMAPIFolder_Release(inbox);
    return hr;
}

/* Everything a working session does, once: a table, a profile section, a
 * new message. */
static HRESULT exercise(LPMAPISESSION s, LPMDB mdb, int n)
{
    LPMAPITABLE t = NULL;
    HRESULT hr = IMAPISession_GetMsgStoresTable(s, 0, &t);
    ULONG count = 0;
    if (hr == S_OK) {
        hr = IMAPITable_GetRowCount(t, 0, &count);
        IMAPITable_Release(t);
    }
    if (hr == S_OK && count != 1)
        hr = MAPI_E_CALL_FAILED;
    LPSPropValue eid = NULL;
    if (hr == S_OK) {
        eid = fx_default_store_eid(s);
        LPPROFSECT sect = NULL;
        MAPIUID any = { { 9 } };
        hr = IMAPISession_OpenProfileSection(s, &any, NULL, MAPI_MODIFY, &sect);
        if (hr == S_OK) {
            SPropValue v = { .ulPropTag = PR_COMMENT_A };
            v.Value.lpszA = "still here";
            hr = IProfSect_SetProps(sect, 1, &v, NULL);
            IProfSect_Release(sect);
        }
        MAPIFreeBuffer(eid);
    }
    if (hr == S_OK)
        hr = write_message(mdb, n);
    return hr;
}

/* ---- child roles ------------------------------------------------------------------ */

/* A: log on to P, write until told to stop (or killed), log off. */
static int role_writer(void)
{
    if (MAPIInitialize(NULL) != S_OK)
        return 10;
    LPMAPISESSION s = NULL;
    if (MAPILogonEx(0, (LPTSTR) "P", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL, &s) !=
        S_OK)
        return 11;
    LPMDB mdb = fx_open_default(s);
    int n = 0;
    touch("a-ready");
    while (!exists("a-stop")) {
        HRESULT hr = exercise(s, mdb, n++);
        if (hr != S_OK) {
            fprintf(stderr, "writer: %08lx %s\n", (unsigned long)hr, fmapi_last_error());
            return 12;
        }
        if (exists("c-done") && !exists("a-after-c")) {
            char p[4200];
            path_in_tmp(p, sizeof p, "a-after-c");
            FILE *f = fopen(p, "w");
            if (f) {
                fprintf(f, "%d\n", n);
                fclose(f);
            }
        }
        sleep_ms(5);
    }
    int more = n + 5; /* and a few more after being told to stop */
    while (n < more)
        if (exercise(s, mdb, n++) != S_OK)
            return 13;
    IMsgStore_Release(mdb);
    if (IMAPISession_Logoff(s, 0, 0, 0) != S_OK)
        return 14;
    IMAPISession_Release(s);
    MAPIUninitialize();
    return 0;
}

/* B: delete P. */
static int role_deleter(void)
{
    LPPROFADMIN pa = NULL;
    if (MAPIInitialize(NULL) != S_OK || MAPIAdminProfiles(0, &pa) != S_OK)
        return 20;
    HRESULT hr = IProfAdmin_DeleteProfile(pa, (LPTSTR) "P", 0);
    IProfAdmin_Release(pa);
    MAPIUninitialize();
    return hr == S_OK ? 0 : 21;
}

/* C: create a new P, log on, write, log off. */
static int role_creator(void)
{
    if (MAPIInitialize(NULL) != S_OK)
        return 30;
    if (make_store_profile("P", "new-p.fmdb") != S_OK)
        return 31;
    LPMAPISESSION s = NULL;
    if (MAPILogonEx(0, (LPTSTR) "P", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &s) != S_OK)
        return 32;
    LPMDB mdb = fx_open_default(s);
    for (int i = 0; i < 3; i++)
        if (exercise(s, mdb, i) != S_OK)
            return 33;
    IMsgStore_Release(mdb);
    IMAPISession_Logoff(s, 0, 0, 0);
    IMAPISession_Release(s);
    MAPIUninitialize();
    touch("c-done");
    return 0;
}

/* ---- parent -------------------------------------------------------------------------- */

static pid_t spawn(const char *role)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl(exe_path, exe_path, role, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static int wait_exit(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void wait_for(const char *name)
{
    for (int i = 0; i < 6000 && !exists(name); i++)
        sleep_ms(10);
    assert_true(exists(name));
}

/* Messages in the Inbox of the store file <tmp>/<file>. */
static ULONG inbox_count(const char *file)
{
    char path[4200];
    path_in_tmp(path, sizeof path, file);
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, 0, &mdb), S_OK);
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0, count = 0;
    LPMAPIFOLDER inbox = NULL;
    assert_int_equal(IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL), S_OK);
    assert_int_equal(IMsgStore_OpenEntry(mdb, cb, eid, NULL, 0, &type, (LPUNKNOWN *)&inbox), S_OK);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(inbox, 0, &t), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &count), S_OK);
    IMAPITable_Release(t);
    IMAPIFolder_Release(inbox);
    MAPIFreeBuffer(eid);
    IMsgStore_Release(mdb);
    return count;
}

/* How many live profiles are named P (from the profile table). */
static ULONG profiles_named_p(void)
{
    LPPROFADMIN pa = NULL;
    assert_int_equal(MAPIAdminProfiles(0, &pa), S_OK);
    LPMAPITABLE t = NULL;
    assert_int_equal(IProfAdmin_GetProfileTable(pa, 0, &t), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 100, 0, &rows), S_OK);
    ULONG n = 0;
    for (ULONG i = 0; i < rows->cRows; i++)
        if (strcmp(rows->aRow[i].lpProps[0].Value.lpszA, "P") == 0)
            n++;
    FreeProws(rows);
    IMAPITable_Release(t);
    IProfAdmin_Release(pa);
    return n;
}

/* Whether profile uid still exists in the profile store (deleted or not). */
static bool profile_exists(const MAPIUID *uid)
{
    fm_profstore *ps = NULL;
    assert_int_equal(fm_profstore_open(&ps), S_OK); /* also collects */
    fm_profile p;
    HRESULT hr = fm_profile_get(ps, uid, &p);
    fm_profstore_close(ps);
    assert_true(hr == S_OK || hr == MAPI_E_NOT_FOUND);
    return hr == S_OK;
}

static MAPIUID uid_of_p(void)
{
    fm_profstore *ps = NULL;
    assert_int_equal(fm_profstore_open(&ps), S_OK);
    fm_profile p;
    assert_int_equal(fm_profile_find(ps, "P", &p), S_OK);
    fm_profstore_close(ps);
    return p.uid;
}

/* A fresh directory for one scenario, named in KB_TMP for the children. */
static void fresh_scenario(const char *name)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", fm_test_tmpdir(), name);
    assert_int_equal(mkdir(dir, 0700), 0);
    setenv("KB_TMP", dir, 1);
    char prof[4200];
    snprintf(prof, sizeof prof, "%s/profiles", dir);
    setenv("FREEMAPI_PROFILE_DIR", prof, 1);
}

/* The common first half: P made, A writing, B deleted P, C made a new P. */
static pid_t start_scenario(MAPIUID *old_uid)
{
    assert_int_equal(make_store_profile("P", "old-p.fmdb"), S_OK);
    *old_uid = uid_of_p();
    pid_t a = spawn("writer");
    wait_for("a-ready");
    sleep_ms(50);
    assert_int_equal(wait_exit(spawn("deleter")), 0);

    /* Deleted for everyone else at once: hidden, and new logons fail. */
    assert_int_equal(profiles_named_p(), 0);
    LPMAPISESSION s = NULL;
    assert_int_equal(MAPILogonEx(0, (LPTSTR) "P", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &s),
                     MAPI_E_NOT_FOUND);
    assert_true(profile_exists(old_uid)); /* kept for A */

    ULONG before_c = inbox_count("old-p.fmdb");
    assert_int_equal(wait_exit(spawn("creator")), 0);
    wait_for("a-after-c"); /* A wrote after C finished */
    assert_true(inbox_count("old-p.fmdb") > before_c);
    assert_int_equal(profiles_named_p(), 1);
    assert_true(profile_exists(old_uid));
    assert_int_equal(inbox_count("new-p.fmdb"), 3);
    return a;
}

/* The live sessions fmapi_list_sessions reports. */
typedef struct seen {
    int n;
    long pid[8];
    char name[8][64];
    BOOL deleted[8];
} seen;

static HRESULT collect_session(void *ctx, const fmapi_session_info *info)
{
    seen *s = ctx;
    if (s->n < 8) {
        s->pid[s->n] = info->pid;
        snprintf(s->name[s->n], sizeof s->name[0], "%s", info->profile);
        s->deleted[s->n] = info->profile_deleted;
    }
    s->n++;
    return S_OK;
}

static seen live_sessions(void)
{
    seen s = { 0 };
    assert_int_equal(fmapi_list_sessions(collect_session, &s), S_OK);
    return s;
}

static bool has_session(const seen *s, long pid, const char *name, BOOL deleted)
{
    for (int i = 0; i < s->n && i < 8; i++)
        if (s->pid[i] == pid && strcmp(s->name[i], name) == 0 && s->deleted[i] == deleted)
            return true;
    return false;
}

static HRESULT stop_at_first(void *ctx, const fmapi_session_info *info)
{
    (*(int *)ctx)++;
    return MAPI_E_USER_CANCEL;
}

/* The new P works and is a different profile. */
static void check_new_p(const MAPIUID *old_uid)
{
    MAPIUID now = uid_of_p();
    assert_true(memcmp(now.ab, old_uid->ab, 16) != 0);
    LPMAPISESSION s = NULL;
    assert_int_equal(MAPILogonEx(0, (LPTSTR) "P", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &s),
                     S_OK);
    LPMDB mdb = fx_open_default(s);
    assert_int_equal(exercise(s, mdb, 100), S_OK);
    IMsgStore_Release(mdb);
    IMAPISession_Logoff(s, 0, 0, 0);
    IMAPISession_Release(s);
    assert_int_equal(inbox_count("new-p.fmdb"), 4);
}

static void deleted_profile_lives_until_its_last_session_logs_off(void **state)
{
    (void)state;
    fresh_scenario("logoff");
    MAPIUID old_uid;
    pid_t a = start_scenario(&old_uid);
    /* A's session is listed, on the deleted P, in A's process. */
    seen live = live_sessions();
    assert_int_equal(live.n, 1);
    assert_true(has_session(&live, a, "P", TRUE));
    ULONG written = inbox_count("old-p.fmdb");
    touch("a-stop");
    assert_int_equal(wait_exit(a), 0);
    assert_int_equal(live_sessions().n, 0);
    assert_true(inbox_count("old-p.fmdb") >= written + 5);
    assert_false(profile_exists(&old_uid));
    check_new_p(&old_uid);
    char prof[4200];
    snprintf(prof, sizeof prof, "%s/profiles", getenv("KB_TMP"));
    assert_int_equal(fm_registry_count(prof), 0);
}

static void deleted_profile_is_reclaimed_when_its_process_is_killed(void **state)
{
    (void)state;
    fresh_scenario("sigkill");
    MAPIUID old_uid;
    pid_t a = start_scenario(&old_uid);
    assert_int_equal(kill(a, SIGKILL), 0);
    assert_int_equal(wait_exit(a), 128 + SIGKILL);
    /* No logoff ran: the lock went with the process, and the next use of
     * the profile store (here, opening it) removes the old P. */
    assert_false(profile_exists(&old_uid));
    check_new_p(&old_uid);
    char prof[4200];
    snprintf(prof, sizeof prof, "%s/profiles", getenv("KB_TMP"));
    assert_int_equal(fm_registry_count(prof), 0);
}

/* Q: a profile nobody deletes. Its killed sessions' registry files are
 * reclaimed by the next logon of any profile, so the registry holds live
 * sessions only. */
static int role_holder(void)
{
    if (MAPIInitialize(NULL) != S_OK)
        return 40;
    LPMAPISESSION s = NULL;
    if (MAPILogonEx(0, (LPTSTR) "Q", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &s) != S_OK)
        return 41;
    touch("q-ready");
    for (;;)
        sleep_ms(1000);
}

static void registry_reclaims_dead_sessions_of_a_kept_profile(void **state)
{
    (void)state;
    fresh_scenario("kept");
    assert_int_equal(make_store_profile("Q", "q.fmdb"), S_OK);
    pid_t h1 = spawn("holder");
    wait_for("q-ready");
    char q[4200];
    path_in_tmp(q, sizeof q, "q-ready");
    unlink(q);
    pid_t h2 = spawn("holder");
    wait_for("q-ready");
    char prof[4200];
    snprintf(prof, sizeof prof, "%s/profiles", getenv("KB_TMP"));
    assert_int_equal(fm_registry_count(prof), 2);
    seen live = live_sessions();
    assert_int_equal(live.n, 2);
    assert_true(has_session(&live, h1, "Q", FALSE));
    assert_true(has_session(&live, h2, "Q", FALSE));
    int calls = 0;
    assert_int_equal(fmapi_list_sessions(stop_at_first, &calls), MAPI_E_USER_CANCEL);
    assert_int_equal(calls, 1);
    assert_int_equal(fmapi_list_sessions(NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(kill(h1, SIGKILL), 0);
    assert_int_equal(wait_exit(h1), 128 + SIGKILL);
    assert_int_equal(fm_registry_count(prof), 2); /* nobody looked yet */
    live = live_sessions(); /* looks, and reclaims h1's */
    assert_int_equal(live.n, 1);
    assert_true(has_session(&live, h2, "Q", FALSE));
    assert_int_equal(fm_registry_count(prof), 1);
    LPMAPISESSION s = NULL;
    assert_int_equal(MAPILogonEx(0, (LPTSTR) "Q", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &s),
                     S_OK);
    assert_int_equal(fm_registry_count(prof), 2); /* h2 and this one */
    live = live_sessions();
    assert_true(has_session(&live, h2, "Q", FALSE));
    assert_true(has_session(&live, (long)getpid(), "Q", FALSE));
    IMAPISession_Logoff(s, 0, 0, 0);
    IMAPISession_Release(s);
    assert_int_equal(fm_registry_count(prof), 1);
    assert_int_equal(kill(h2, SIGKILL), 0);
    assert_int_equal(wait_exit(h2), 128 + SIGKILL);
    bool used = true;
    assert_int_equal(fm_registry_in_use(prof, NULL, &used), S_OK);
    assert_int_equal(fm_registry_count(prof), 0);
}

static int setup(void **state)
{
    (void)state;
    ssize_t n = readlink("/proc/self/exe", exe_path, sizeof exe_path - 1);
    if (n <= 0)
        return -1;
    exe_path[n] = '\0';
    return MAPIInitialize(NULL) == S_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    MAPIUninitialize();
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "writer") == 0)
        return role_writer();
    if (argc == 2 && strcmp(argv[1], "deleter") == 0)
        return role_deleter();
    if (argc == 2 && strcmp(argv[1], "creator") == 0)
        return role_creator();
    if (argc == 2 && strcmp(argv[1], "holder") == 0)
        return role_holder();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(deleted_profile_lives_until_its_last_session_logs_off),
        cmocka_unit_test(deleted_profile_is_reclaimed_when_its_process_is_killed),
        cmocka_unit_test(registry_reclaims_dead_sessions_of_a_kept_profile),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
