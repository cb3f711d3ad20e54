/*
 * bench/bench_notify.c - notifications across processes, and what they cost.
 *
 *   latency       commit-to-OnNotify from another process: a writer process
 *                 commits one change every --interval-us and puts the time
 *                 (CLOCK_MONOTONIC, just before its COMMIT) into the event;
 *                 the following process takes the difference when its sink
 *                 is called: p50, p99, max. Reference in the same run: the
 *                 same from a writer thread of the following process
 *                 (delivered from memory, no wake-up through the file).
 *   throughput    one writer commits --events changes as fast as it can
 *                 while --subscribers processes follow the store; the
 *                 figure is events delivered per second per subscriber (and
 *                 in total), until every subscriber has every event; the
 *                 writer's commit rate with nobody following is measured in
 *                 the same run as the reference.
 *   registrations --registrations Advise calls (distinct folders of one
 *                 source) in one process: bytes per registration from the
 *                 allocator's counters and from the resident set, and the
 *                 Advise/Unadvise rates.
 *   writer cost   the cost a transaction pays for notifications when nobody
 *                 follows the store (the presence test: two fcntl calls),
 *                 against notifications switched off, in the same run, over
 *                 the stand-in store of the tests (a plain SQLite file with
 *                 the log table); bench_store measures SaveChanges itself.
 *
 * Usage: bench_notify [--samples N] [--interval-us U] [--events E]
 *        [--subscribers S] [--registrations R] [--dir DIR]
 *        (defaults: 2000, 1000, 20000, 100, 1000000, /tmp)
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "freemapi.h"
#include "harness.h"
#include "mapiutil.h"
#include "notify/feed.h"
#include "notify/notify.h"
#include "db/db.h"

static unsigned long samples = 2000, interval_us = 1000, events = 20000, subscribers = 100,
                     registrations = 1000000;
static const char *dir = "/tmp";

static void die(const char *what, HRESULT hr)
{
    fprintf(stderr, "bench_notify: %s failed: 0x%08lx %s\n", what, (unsigned long)hr,
            fmapi_last_error());
    exit(1);
}

static void check(HRESULT hr, const char *what)
{
    if (hr != S_OK)
        die(what, hr);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- the stand-in store (as tests/notify/feed_fixture.h) ---------------------------- */

typedef struct store {
    sqlite3 *db;
    fm_feed *feed;
} store;

static void deliver(fm_feed *f, void *ctx, uint64_t seq, const fm_notify_record *r)
{
    NOTIFICATION n;
    memset(&n, 0, sizeof n);
    n.ulEventType = r->event;
    int64_t id = r->id, parent = r->parent;
    n.info.obj.cbEntryID = sizeof id;
    n.info.obj.lpEntryID = (LPENTRYID)(void *)&id;
    n.info.obj.cbParentID = sizeof parent;
    n.info.obj.lpParentID = (LPENTRYID)(void *)&parent;
    n.info.obj.ulObjType = MAPI_MESSAGE;
    uint64_t keys[] = { 0, (uint64_t)parent };
    fm_notify_event *e;
    if (fm_notify_event_new(&n, &e) != S_OK) {
        fm_notify_post_lost(fm_feed_source(f), keys, 2, r->event);
        return;
    }
    fm_notify_post(fm_feed_source(f), keys, 2, e);
    fm_notify_event_release(e);
}

static void store_open(store *s, const char *path)
{
    fm_db_memory_is_accounted();
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK)
        die("sqlite3_open_v2", MAPI_E_CALL_FAILED);
    sqlite3_busy_timeout(s->db, 30000);
    sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL", NULL, NULL, NULL);
    sqlite3_exec(s->db, "CREATE TABLE IF NOT EXISTS changes(id INTEGER, folder INTEGER)", NULL,
                 NULL, NULL);
    check(fm_feed_log_create(s->db), "fm_feed_log_create");
    check(fm_feed_open(path, deliver, NULL, 0, &s->feed), "fm_feed_open");
}

static void store_close(store *s)
{
    fm_feed_release(s->feed);
    sqlite3_close_v2(s->db);
}

static sqlite3_stmt *insert_stmt(store *s)
{
    static sqlite3_stmt *st;
    static sqlite3 *for_db;
    if (for_db != s->db) {
        sqlite3_finalize(st);
        sqlite3_prepare_v2(s->db, "INSERT INTO changes(id, folder) VALUES(?1, 1)", -1, &st, NULL);
        for_db = s->db;
    }
    return st;
}

/* One change with its event; the id is the time just before COMMIT when
 * stamp is set. */
static void change(store *s, int64_t id, bool stamp)
{
    sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    sqlite3_stmt *st = insert_stmt(s);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_step(st);
    sqlite3_reset(st);
    fm_feed_txn t = { 0 };
    fm_notify_record r = { .event = fnevObjectCreated, .obj_type = MAPI_MESSAGE, .id = id,
                           .parent = 1 };
    if (fm_feed_txn_wanted(&t, s->feed)) {
        if (stamp)
            r.id = now_ns();
        check(fm_feed_txn_record(&t, &r), "record");
    }
    fm_feed_sql q = { .conn = s->db };
    check(fm_feed_txn_flush(&t, &q), "flush");
    bool ok = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
    fm_feed_txn_end(&t, ok);
    if (!ok)
        die("COMMIT", MAPI_E_CALL_FAILED);
}

static void path_of(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/bench-notify-%d-%s", dir, (int)getpid(), name);
}

static void remove_store(const char *path)
{
    static const char *const suffix[] = { "", "-wal", "-shm", "-notify" };
    char p[4200];
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
}

static pid_t spawn(const char *const *args)
{
    pid_t pid = fork();
    if (pid == 0) {
        char self[4096];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n <= 0)
            _exit(127);
        self[n] = '\0';
        char *argv[12] = { self };
        for (int i = 0; args[i] != NULL && i < 10; i++)
            argv[i + 1] = (char *)args[i];
        execv(self, argv);
        _exit(127);
    }
    return pid;
}

static int wait_exit(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void sleep_us(long us)
{
    struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
    nanosleep(&ts, NULL);
}

static void wait_file(const char *path)
{
    while (access(path, F_OK) != 0)
        sleep_us(1000);
}

static void touch(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT, 0600);
    if (fd >= 0)
        close(fd);
}

/* ---- latency ------------------------------------------------------------------------ */

typedef struct lat {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int64_t *ns;
    size_t n, want;
} lat;

static LONG STDAPICALLTYPE on_latency(LPVOID ctx, ULONG c, LPNOTIFICATION n)
{
    int64_t t = now_ns();
    lat *l = ctx;
    pthread_mutex_lock(&l->lock);
    for (ULONG i = 0; i < c; i++) {
        int64_t id;
        memcpy(&id, n[i].info.obj.lpEntryID, sizeof id);
        if (l->n < l->want)
            l->ns[l->n++] = t - id;
    }
    pthread_cond_broadcast(&l->cond);
    pthread_mutex_unlock(&l->lock);
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void report_latency(const char *name, lat *l)
{
    qsort(l->ns, l->n, sizeof *l->ns, cmp_i64);
    char key[128];
    snprintf(key, sizeof key, "%s p50", name);
    bench_report(key, (double)l->ns[l->n / 2] / 1e6, "ms");
    snprintf(key, sizeof key, "%s p99", name);
    bench_report(key, (double)l->ns[(size_t)((double)l->n * 0.99)] / 1e6, "ms");
    snprintf(key, sizeof key, "%s max", name);
    bench_report(key, (double)l->ns[l->n - 1] / 1e6, "ms");
}

static int role_writer_latency(char **argv)
{
    store s;
    store_open(&s, argv[0]);
    unsigned long n = strtoul(argv[1], NULL, 10), gap = strtoul(argv[2], NULL, 10);
    for (unsigned long i = 0; i < n; i++) {
        change(&s, 0, true);
        sleep_us((long)gap);
    }
    store_close(&s);
    return 0;
}

typedef struct thread_writer {
    const char *path;
    unsigned long n;
} thread_writer;

static void *writer_thread(void *p)
{
    thread_writer *w = p;
    store s;
    store_open(&s, w->path);
    for (unsigned long i = 0; i < w->n; i++) {
        change(&s, 0, true);
        sleep_us((long)interval_us);
    }
    store_close(&s);
    return NULL;
}

static void measure_latency(bool other_process)
{
    char path[4200];
    path_of(path, sizeof path, other_process ? "lat-remote.db" : "lat-local.db");
    store s;
    store_open(&s, path);
    lat l = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0, samples };
    l.ns = calloc(samples, sizeof *l.ns);
    IMAPIAdviseSink *sink = NULL;
    check(HrAllocAdviseSink(on_latency, &l, &sink), "HrAllocAdviseSink");
    ULONG_PTR conn;
    check(fm_feed_advise(s.feed, 0, fnevObjectCreated, sink, "Advise", &conn), "Advise");
    char n[32], gap[32];
    snprintf(n, sizeof n, "%lu", samples);
    snprintf(gap, sizeof gap, "%lu", interval_us);
    pid_t pid = 0;
    pthread_t t;
    thread_writer tw = { path, samples };
    if (other_process) {
        const char *args[] = { "writer-latency", path, n, gap, NULL };
        pid = spawn(args);
    } else {
        pthread_create(&t, NULL, writer_thread, &tw);
    }
    pthread_mutex_lock(&l.lock);
    while (l.n < samples)
        pthread_cond_wait(&l.cond, &l.lock);
    pthread_mutex_unlock(&l.lock);
    if (other_process)
        wait_exit(pid);
    else
        pthread_join(t, NULL);
    report_latency(other_process ? "commit to OnNotify, another process"
                                 : "commit to OnNotify, same process (reference)",
                   &l);
    fm_feed_unadvise(s.feed, conn, "Unadvise");
    IMAPIAdviseSink_Release(sink);
    store_close(&s);
    free(l.ns);
    remove_store(path);
}

/* ---- throughput ------------------------------------------------------------------------ */

typedef struct counter {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    size_t n;
} counter;

static LONG STDAPICALLTYPE on_count(LPVOID ctx, ULONG c, LPNOTIFICATION n)
{
    counter *k = ctx;
    pthread_mutex_lock(&k->lock);
    k->n += c;
    pthread_cond_broadcast(&k->cond);
    pthread_mutex_unlock(&k->lock);
    return 0;
}

/* Follows, says so, counts to the expected number, writes its end time. */
static int role_follower_count(char **argv)
{
    store s;
    store_open(&s, argv[0]);
    size_t want = strtoul(argv[1], NULL, 10);
    counter k = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
    IMAPIAdviseSink *sink = NULL;
    check(HrAllocAdviseSink(on_count, &k, &sink), "HrAllocAdviseSink");
    ULONG_PTR conn;
    check(fm_feed_advise(s.feed, 0, fnevObjectCreated, sink, "Advise", &conn), "Advise");
    touch(argv[2]);
    pthread_mutex_lock(&k.lock);
    while (k.n < want)
        pthread_cond_wait(&k.cond, &k.lock);
    pthread_mutex_unlock(&k.lock);
    FILE *f = fopen(argv[3], "w");
    if (f != NULL) {
        fprintf(f, "%lld\n", (long long)now_ns());
        fclose(f);
    }
    return 0;
}

static double writer_rate(store *s, unsigned long n)
{
    double t0 = bench_now();
    for (unsigned long i = 0; i < n; i++)
        change(s, (int64_t)i, false);
    return (double)n / (bench_now() - t0);
}

static void measure_throughput(void)
{
    char path[4200];
    path_of(path, sizeof path, "throughput.db");
    store s;
    store_open(&s, path);
    bench_report("writer commits/s, nobody following (reference)", writer_rate(&s, events),
                 "commits/s");
    pid_t *pids = calloc(subscribers, sizeof *pids);
    char want[32];
    snprintf(want, sizeof want, "%lu", events);
    for (unsigned long i = 0; i < subscribers; i++) {
        char ready[4300], done[4300];
        snprintf(ready, sizeof ready, "%s.ready%lu", path, i);
        snprintf(done, sizeof done, "%s.done%lu", path, i);
        const char *args[] = { "follower-count", path, want, ready, done, NULL };
        pids[i] = spawn(args);
        wait_file(ready);
    }
    int64_t t0 = now_ns();
    double rate = writer_rate(&s, events);
    int64_t last = 0;
    for (unsigned long i = 0; i < subscribers; i++) {
        wait_exit(pids[i]);
        char done[4300], ready[4300];
        snprintf(done, sizeof done, "%s.done%lu", path, i);
        snprintf(ready, sizeof ready, "%s.ready%lu", path, i);
        FILE *f = fopen(done, "r");
        long long t = 0;
        if (f == NULL || fscanf(f, "%lld", &t) != 1)
            die("a subscriber's report", MAPI_E_CALL_FAILED);
        fclose(f);
        if (t > last)
            last = t;
        unlink(done);
        unlink(ready);
    }
    double secs = (double)(last - t0) / 1e9;
    char key[128];
    snprintf(key, sizeof key, "writer commits/s, %lu processes following", subscribers);
    bench_report(key, rate, "commits/s");
    snprintf(key, sizeof key, "events/s delivered to each of %lu subscriber processes",
             subscribers);
    bench_report(key, (double)events / secs, "events/s");
    bench_report("events/s delivered in total", (double)events * (double)subscribers / secs,
                 "events/s");
    free(pids);
    store_close(&s);
    remove_store(path);
}

/* ---- registrations ------------------------------------------------------------------------ */

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = 0;
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0)
            kib = strtol(line + 6, NULL, 10);
    }
    if (f != NULL)
        fclose(f);
    return kib;
}

static LONG STDAPICALLTYPE on_nothing(LPVOID ctx, ULONG c, LPNOTIFICATION n)
{
    return 0;
}

static void measure_registrations(void)
{
    fm_notify_source src;
    fm_notify_source_init(&src, FM_NOTIFY_OBJECTS);
    IMAPIAdviseSink *sink = NULL;
    check(HrAllocAdviseSink(on_nothing, NULL, &sink), "HrAllocAdviseSink");
    ULONG_PTR *conn = malloc(registrations * sizeof *conn);
    fmapi_alloc_stats a0, a1;
    fmapi_alloc_get_stats(&a0);
    long r0 = rss_kib();
    double t0 = bench_now();
    for (unsigned long i = 0; i < registrations; i++)
        check(fm_notify_advise(&src, (uint64_t)i + 1, fnevNewMail | fnevObjectCreated, sink,
                               "Advise", &conn[i]),
              "Advise");
    double t1 = bench_now();
    fmapi_alloc_get_stats(&a1);
    long r1 = rss_kib();
    for (unsigned long i = 0; i < registrations; i++)
        check(fm_notify_unadvise(&src, conn[i], "Unadvise"), "Unadvise");
    double t2 = bench_now();
    char key[128];
    snprintf(key, sizeof key, "bytes per registration at %lu registrations (allocator)",
             registrations);
    bench_report(key, (double)(a1.live_bytes - a0.live_bytes) / (double)registrations, "bytes");
    snprintf(key, sizeof key, "bytes per registration at %lu registrations (resident set)",
             registrations);
    bench_report(key, (double)(r1 - r0) * 1024.0 / (double)registrations, "bytes");
    bench_report("Advise", (double)registrations / (t1 - t0), "calls/s");
    bench_report("Unadvise", (double)registrations / (t2 - t1), "calls/s");
    free(conn);
    IMAPIAdviseSink_Release(sink);
}

/* ---- what a writer pays when nobody follows ----------------------------------------------- */

static double commits_batch(store *s, int n)
{
    double t0 = bench_now();
    for (int i = 0; i < n; i++)
        change(s, i, false);
    return (bench_now() - t0) / n;
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Batches of 200 commits alternate between notifications off and on
 * (nobody following), 100 of each, in alternating order, so that load,
 * drift and the WAL's checkpoints fall on both alike; the figures are the
 * medians of the batches. */
static void measure_writer_cost(void)
{
    enum { ROUNDS = 100, BATCH = 200 };
    char path[4200];
    path_of(path, sizeof path, "cost.db");
    store s;
    store_open(&s, path);
    double off[ROUNDS], on[ROUNDS];
    commits_batch(&s, BATCH); /* warm up */
    for (int r = 0; r < ROUNDS; r++) { /* the order alternates too */
        for (int k = 0; k < 2; k++) {
            bool enabled = (k == 0) == (r % 2 == 0);
            fm_notify_set_enabled(enabled);
            (enabled ? on : off)[r] = commits_batch(&s, BATCH);
        }
    }
    fm_notify_set_enabled(true);
    qsort(off, ROUNDS, sizeof off[0], cmp_dbl);
    qsort(on, ROUNDS, sizeof on[0], cmp_dbl);
    bench_report("transaction, notifications off (reference, median)", off[ROUNDS / 2] * 1e6,
                 "us");
    bench_report("transaction, notifications on, nobody following (median)",
                 on[ROUNDS / 2] * 1e6, "us");
    bench_report("difference of the medians", (on[ROUNDS / 2] - off[ROUNDS / 2]) * 1e6, "us");
    /* What the difference is made of, without the noise of a commit: the
     * presence test, a transaction's whole cost when nobody follows. */
    enum { TESTS = 1000000 };
    fm_notify_set_enabled(true);
    double t0 = bench_now();
    for (int i = 0; i < TESTS; i++) {
        fm_feed_txn t = { 0 };
        fm_feed_txn_wanted(&t, s.feed);
        fm_feed_txn_end(&t, true);
    }
    bench_report("the presence test and transaction end, nobody following",
                 (bench_now() - t0) / TESTS * 1e6, "us");
    store_close(&s);
    remove_store(path);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "writer-latency") == 0)
        return role_writer_latency(argv + 2);
    if (argc > 1 && strcmp(argv[1], "follower-count") == 0)
        return role_follower_count(argv + 2);
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--samples") == 0)
            samples = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--interval-us") == 0)
            interval_us = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--events") == 0)
            events = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--subscribers") == 0)
            subscribers = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--registrations") == 0)
            registrations = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--dir") == 0)
            dir = argv[i + 1];
    }
    bench_print_command(argc, argv);
    measure_latency(true);
    measure_latency(false);
    measure_throughput();
    measure_registrations();
    measure_writer_cost();
    return 0;
}
