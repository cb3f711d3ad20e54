/*
 * tests/store/test_search_folder_kill.c - SIGKILL while a search is being
 * stopped and restarted (its results frozen and dropped again) leaves a
 * consistent store: the next open finishes a half-done stop, the criteria
 * read back, and the results are exactly the matching messages.
 */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "store_notify_fixture.h"

#define MATCHING 40
#define ROUNDS 4

static int child_flips(const char *path, const eid *sf)
{
    LPMDB mdb = NULL;
    if (fmapi_store_open(path, 0, &mdb) != S_OK)
        return 10;
    ULONG type = 0;
    LPMAPIFOLDER f = NULL;
    if (IMsgStore_OpenEntry(mdb, sf->cb, (LPENTRYID)sf->b, NULL, MAPI_MODIFY, &type,
                            (LPUNKNOWN *)&f) != S_OK)
        return 11;
    for (;;) { /* until killed */
        if (IMAPIFolder_SetSearchCriteria(f, NULL, NULL, STOP_SEARCH) != S_OK ||
            IMAPIFolder_SetSearchCriteria(f, NULL, NULL, RESTART_SEARCH) != S_OK)
            return 12;
    }
}

static void check_consistent(const char *path, const eid *sf)
{
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, 0, &mdb), S_OK);
    ULONG type = 0;
    LPMAPIFOLDER f = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, sf->cb, (LPENTRYID)sf->b, NULL, MAPI_MODIFY, &type,
                                         (LPUNKNOWN *)&f), S_OK);
    ULONG st = 0;
    LPSRestriction r = NULL;
    assert_int_equal(IMAPIFolder_GetSearchCriteria(f, 0, &r, NULL, &st), S_OK);
    assert_int_equal(r->rt, RES_CONTENT);
    MAPIFreeBuffer(r);
    /* The open finished any stop in progress. */
    assert_int_equal(st & SEARCH_REBUILD, 0);
    assert_true(st & SEARCH_COMPLETE);
    long frozen = fx_count(path, "SELECT count(*) FROM search_results");
    if (st & SEARCH_RUNNING)
        assert_int_equal(frozen, 0);
    else
        assert_int_equal(frozen, MATCHING);
    LPSPropValue n = fx_get(f, PR_CONTENT_COUNT);
    assert_int_equal(n->Value.l, MATCHING);
    MAPIFreeBuffer(n);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

static void a_kill_during_stops_and_restarts_leaves_exact_results(void **state)
{
    (void)state;
    char path[600];
    snprintf(path, sizeof path, "%s", fx_store_path("search-kill"));
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    for (int i = 0; i < MATCHING; i++) {
        save_new(inbox, "invoice", 0);
        save_new(inbox, "lunch", 0);
    }
    LPMAPIFOLDER finder = fx_open_folder_by_prop(mdb, mdb, PR_FINDER_ENTRYID), search = NULL;
    assert_int_equal(IMAPIFolder_CreateFolder(finder, FOLDER_SEARCH, (LPTSTR) "S", NULL, NULL, 0,
                                              &search), S_OK);
    SPropValue v = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = (LPSTR) "invoice" };
    SRestriction r = { .rt = RES_CONTENT };
    r.res.resContent = (SContentRestriction){ FL_FULLSTRING, PR_SUBJECT_A, &v };
    eid in = eid_of(inbox), sf = eid_of(search);
    SBinary b = { in.cb, in.b };
    ENTRYLIST l = { 1, &b };
    assert_int_equal(IMAPIFolder_SetSearchCriteria(search, &r, &l, 0), S_OK);
    IMAPIFolder_Release(search);
    IMAPIFolder_Release(finder);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    for (int round = 0; round < ROUNDS; round++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            fm_test_child_exit(child_flips(path, &sf));
        usleep((useconds_t)(20000 + rand() % 60000));
        kill(pid, SIGKILL);
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        /* Killed, not failed on its own. */
        assert_true(WIFSIGNALED(status));
        check_consistent(path, &sf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_kill_during_stops_and_restarts_leaves_exact_results),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
