/*
 * tests/store/test_bulk_stress.c - several processes on one mailbox at once,
 * for a bounded time: deleting, moving, creating, paging contents tables,
 * opening messages, setting read flags and emptying a folder. A watchdog
 * fails the test if any process goes more than the stall limit (5 s) without
 * finishing an operation. Afterwards every message ever made is in the store
 * exactly once (live or soft-deleted: nothing lost, nothing duplicated) and
 * the file passes PRAGMA integrity_check.
 *
 * FM_TEST_STRESS_SECONDS sets the running time (default 10) and
 * FM_TEST_STALL_MS the watchdog's limit (default 5000). Under valgrind,
 * where everything runs tens of times slower, the defaults become 5 s and
 * 60 s: the test then checks the accounting, not the latency. Under the
 * sanitizers (several times slower, and run beside other builds in CI) the
 * limit is 30 s: long enough that only a real hang (a lost wake-up, a lock
 * never released) trips it, while the latency itself is measured in bench/.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "test_bulk_fixture.h"

#define PREFILL 400
#define WORKERS 7
#define MAX_CREATED 100000

typedef struct shared {
    volatile double beat[WORKERS]; /* when each worker last finished an operation */
    volatile long ops[WORKERS];
    volatile long created;         /* messages made by the creator */
} shared;

static char path[600];
static shared *sh;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double env_num(const char *name, double dflt)
{
    const char *e = getenv(name);
    double v = e ? atof(e) : 0;
    return v > 0 ? v : dflt;
}

/* Valgrind preloads its own libraries into the program it runs. */
static bool under_valgrind(void)
{
    const char *p = getenv("LD_PRELOAD");
    return p != NULL && strstr(p, "vgpreload") != NULL;
}

/* Built with AddressSanitizer (gcc defines the first, clang answers the second). */
static bool sanitized(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return true;
#endif
#endif
    return false;
}

static void beat(int w)
{
    sh->beat[w] = now_s();
    sh->ops[w]++;
}

/* Fails the child on an error a concurrent operation may not cause. */
static void ok_or_partial(HRESULT hr, int code)
{
    if (hr != S_OK && hr != MAPI_W_PARTIAL_COMPLETION)
        fm_test_child_exit(code);
}

typedef struct world {
    LPMDB mdb;
    LPMAPIFOLDER a, b, c; /* Inbox, Outbox, Sent Items */
} world;

static void open_world(world *w)
{
    if (fmapi_store_open(path, 0, &w->mdb) != S_OK)
        fm_test_child_exit(20);
    w->a = fx_inbox(w->mdb);
    w->b = fx_open_folder_by_prop(w->mdb, w->mdb, PR_IPM_OUTBOX_ENTRYID);
    w->c = fx_open_folder_by_prop(w->mdb, w->mdb, PR_IPM_SENTMAIL_ENTRYID);
}

/* Up to max entry IDs of f's messages, from the start of its table. */
static LPENTRYLIST first_entries(LPMAPIFOLDER f, ULONG max)
{
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    if (IMAPIFolder_GetContentsTable(f, 0, &t) != S_OK ||
        IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0) != S_OK ||
        IMAPITable_QueryRows(t, (LONG)max, 0, &rows) != S_OK)
        fm_test_child_exit(21);
    IMAPITable_Release(t);
    LPENTRYLIST l = NULL;
    if (MAPIAllocateBuffer(sizeof *l, (void **)&l) != S_OK ||
        MAPIAllocateMore((ULONG)sizeof(SBinary) * (rows->cRows + 1), l, (void **)&l->lpbin) != S_OK)
        fm_test_child_exit(22);
    l->cValues = rows->cRows;
    for (ULONG i = 0; i < rows->cRows; i++) {
        SBinary *b = &rows->aRow[i].lpProps[0].Value.bin;
        if (MAPIAllocateMore(b->cb, l, (void **)&l->lpbin[i].lpb) != S_OK)
            fm_test_child_exit(23);
        memcpy(l->lpbin[i].lpb, b->lpb, b->cb);
        l->lpbin[i].cb = b->cb;
    }
    FreeProws(rows);
    return l;
}

static void work_delete(world *w, int i)
{
    LPENTRYLIST l = first_entries(i % 2 ? w->a : w->b, 40);
    ok_or_partial(IMAPIFolder_DeleteMessages(i % 2 ? w->a : w->b, l, 0, NULL, 0), 30);
    MAPIFreeBuffer(l);
}

static void work_move(world *w, int i)
{
    LPMAPIFOLDER from = i % 3 == 0 ? w->a : i % 3 == 1 ? w->b : w->c;
    LPMAPIFOLDER to = i % 3 == 0 ? w->b : w->a;
    LPENTRYLIST l = first_entries(from, 60);
    ok_or_partial(IMAPIFolder_CopyMessages(from, l, NULL, to, 0, NULL, MESSAGE_MOVE), 31);
    MAPIFreeBuffer(l);
}

static void work_create(world *w, int i)
{
    (void)i;
    long n = PREFILL + sh->created;
    if (n >= MAX_CREATED)
        return;
    LPMESSAGE m = NULL;
    char subject[32];
    snprintf(subject, sizeof subject, "msg %ld", n);
    SPropValue v = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = subject };
    if (IMAPIFolder_CreateMessage(w->a, NULL, 0, &m) != S_OK ||
        IMessage_SetProps(m, 1, &v, NULL) != S_OK || IMessage_SaveChanges(m, 0) != S_OK)
        fm_test_child_exit(32);
    IMessage_Release(m);
    sh->created++;
    /* A steady arrival, not a flood: the mailbox stays a few thousand big. */
    struct timespec ts = { 0, 1000000L };
    nanosleep(&ts, NULL);
}

static void work_read(world *w, int i)
{
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    SizedSPropTagArray(2, cols) = { 2, { PR_ENTRYID, PR_SUBJECT_A } };
    if (IMAPIFolder_GetContentsTable(i % 2 ? w->a : w->b, 0, &t) != S_OK ||
        IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0) != S_OK)
        fm_test_child_exit(33);
    for (int page = 0; page < 3; page++) {
        if (IMAPITable_QueryRows(t, 25, 0, &rows) != S_OK)
            fm_test_child_exit(34);
        for (ULONG r = 0; r < rows->cRows; r += 8) {
            SBinary *b = &rows->aRow[r].lpProps[0].Value.bin;
            ULONG type = 0;
            LPMESSAGE m = NULL;
            HRESULT hr = IMsgStore_OpenEntry(w->mdb, b->cb, (LPENTRYID)b->lpb, NULL, 0, &type,
                                             (LPUNKNOWN *)&m);
            if (hr == S_OK)
                IMessage_Release(m);
            else if (hr != MAPI_E_NOT_FOUND) /* deleted meanwhile is fine */
                fm_test_child_exit(35);
        }
        FreeProws(rows);
    }
    IMAPITable_Release(t);
}

static void work_flags(world *w, int i)
{
    ok_or_partial(IMAPIFolder_SetReadFlags(i % 2 ? w->a : w->b, NULL, 0, NULL,
                                           i % 4 < 2 ? CLEAR_READ_FLAG : 0), 36);
}

static void work_empty(world *w, int i)
{
    /* Sent Items is filled by moves and emptied here, softly. */
    LPENTRYLIST l = first_entries(w->a, 30);
    ok_or_partial(IMAPIFolder_CopyMessages(w->a, l, NULL, w->c, 0, NULL, MESSAGE_MOVE), 37);
    MAPIFreeBuffer(l);
    if (i % 3 == 2)
        ok_or_partial(IMAPIFolder_EmptyFolder(w->c, 0, NULL, 0), 38);
}

typedef void (*work_fn)(world *w, int i);
static const work_fn WORK[WORKERS] = { work_delete, work_move, work_create, work_read,
                                       work_read,   work_flags, work_empty };

static _Noreturn void worker(int w, double until)
{
    world wd;
    open_world(&wd);
    for (int i = 0; now_s() < until; i++) {
        WORK[w](&wd, i);
        beat(w);
    }
    fm_test_child_exit(0);
}

static void processes_at_once_never_stall_and_lose_nothing(void **st)
{
    (void)st;
    snprintf(path, sizeof path, "%s", fx_store_path("bstress"));
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    for (long n = 0; n < PREFILL; n++)
        bx_put(inbox, 0, n, n % 3 == 0 ? 200 : 0);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    assert_true(sh != MAP_FAILED);
    memset((void *)sh, 0, sizeof *sh);
    bool slow = under_valgrind();
    double seconds = env_num("FM_TEST_STRESS_SECONDS", slow ? 5 : 10);
    double stall = env_num("FM_TEST_STALL_MS", slow ? 60000 : sanitized() ? 30000 : 5000) / 1000.0;
    print_message("%.0f s, stall limit %.1f s\n", seconds, stall);
    double start = now_s(), until = start + seconds;
    pid_t kids[WORKERS];
    for (int w = 0; w < WORKERS; w++) {
        sh->beat[w] = start;
        kids[w] = fork();
        assert_true(kids[w] >= 0);
        if (kids[w] == 0)
            worker(w, until);
    }
    /* The watchdog: every worker must finish an operation within the limit. */
    int running = WORKERS, failed = -1;
    double worst = 0;
    while (running > 0 && failed < 0) {
        struct timespec ts = { 0, 50 * 1000000L };
        nanosleep(&ts, NULL);
        for (int w = 0; w < WORKERS; w++) {
            if (kids[w] == 0)
                continue;
            int status;
            if (waitpid(kids[w], &status, WNOHANG) == kids[w]) {
                if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                    fail_msg("worker %d failed (status 0x%x)", w, status);
                kids[w] = 0;
                running--;
                continue;
            }
            double gap = now_s() - sh->beat[w];
            if (gap > worst)
                worst = gap;
            if (gap > stall)
                failed = w;
        }
    }
    if (failed >= 0) {
        for (int w = 0; w < WORKERS; w++)
            if (kids[w] > 0)
                kill(kids[w], SIGKILL);
        while (wait(NULL) > 0)
            ;
        fail_msg("worker %d made no progress for more than %.1f s", failed, stall);
    }
    print_message("longest wait for an operation: %.3f s\n", worst);
    for (int w = 0; w < WORKERS; w++) {
        print_message("worker %d: %ld operations\n", w, sh->ops[w]);
        assert_true(sh->ops[w] > 0);
    }
    /* Nothing lost, nothing duplicated. */
    long total = PREFILL + sh->created;
    assert_true(bx_integrity_ok(path));
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages WHERE fid IS NOT NULL"), total);
    assert_int_equal(fx_count(path, "SELECT count(DISTINCT subject) FROM messages WHERE fid IS"
                                    " NOT NULL"), total);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages WHERE fid IS NOT NULL AND"
                                    " subject NOT LIKE 'msg %'"), 0);
    assert_true(fx_count(path, "SELECT count(*) FROM messages WHERE deleted_at IS NOT NULL") > 0);
    munmap((void *)sh, sizeof *sh);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(processes_at_once_never_stall_and_lose_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
