/*
 * bench/bench_bulk.c - bulk folder operations: DeleteMessages and EmptyFolder
 * over N messages (20 properties, a recipient, an attachment on every
 * third), hard and soft, and the purge of soft-deleted ones; each against a
 * reference measured in the same run on the same rows: raw SQLite deleting
 * the message, recipient and attachment rows in 500-row transactions (same
 * WAL mode and synchronous setting as the store). Batch durations are the
 * store's own measurements (fm_bulk_stats: begin to commit of every write
 * transaction) and, for the reference, the same span around each of its
 * transactions.
 *
 * With --big M it then empties a folder of M messages in a child process
 * and reports that process's peak RSS, while a second process pages a
 * contents table of another folder (50 rows at a time) and opens a message
 * per page: the latency of each such step (p50, p99, worst) is reported,
 * and again during the raw reference deletion of the same rows.
 *
 * The folders are filled with SQL straight into the store's tables (rows in
 * the store's own format, property blobs made by fm_propblob_encode): making
 * a million messages through IMessage::SaveChanges would take longer than
 * everything measured here.
 *
 * Usage: bench_bulk [--count N] [--big M] [--dir DIR]  (defaults 100000, 0, /tmp)
 */
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "freemapi.h"
#include "freemapi_store.h"
#include "harness.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"
#include "core/alloc.h"
#include "store/bulk_batch.h"
#include "store/entryid.h"
#include "store/propblob.h"

#define REF_BATCH 500

static unsigned long count = 100000, big = 0;
static const char *dir = "/tmp";

static void die(const char *what, HRESULT hr)
{
    fprintf(stderr, "bench_bulk: %s failed: 0x%08lx %s\n", what, (unsigned long)hr,
            fmapi_last_error());
    exit(1);
}

static void check_sql(sqlite3 *db, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "bench_bulk: %s failed: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

/* ---- filling a folder with SQL ---------------------------------------------------- */

/* The 20 properties of message i as a blob. */
static void message_blob(unsigned long i, void **blob, size_t *len)
{
    char subj[96], body[600], sender[48], email[64], msgid[80];
    snprintf(subj, sizeof subj, "Quarterly report %lu: figures for review", i);
    snprintf(sender, sizeof sender, "Sender %lu", i % 97);
    snprintf(email, sizeof email, "sender%lu@example.com", i % 97);
    snprintf(msgid, sizeof msgid, "<%lu.bench@example.com>", i);
    memset(body, 'a' + (int)(i % 26), sizeof body - 1);
    body[sizeof body - 1] = '\0';
    BYTE key[16];
    for (int k = 0; k < 16; k++)
        key[k] = (BYTE)(i * 31 + (unsigned long)k);
    SPropValue v[20];
    ULONG n = 0;
#define PS(tag, s) (v[n].ulPropTag = (tag), v[n++].Value.lpszA = (s))
#define PL(tag, x) (v[n].ulPropTag = (tag), v[n++].Value.l = (LONG)(x))
    PS(PR_SUBJECT_A, subj);
    PS(PR_NORMALIZED_SUBJECT_A, subj);
    PS(PR_CONVERSATION_TOPIC_A, subj);
    PS(PR_BODY_A, body);
    PS(PR_SENDER_NAME_A, sender);
    PS(PR_SENDER_EMAIL_ADDRESS_A, email);
    PS(PR_SENT_REPRESENTING_NAME_A, sender);
    PS(PR_SENT_REPRESENTING_EMAIL_ADDRESS_A, email);
    PS(PR_INTERNET_MESSAGE_ID_A, msgid);
    PS(PR_DISPLAY_TO_A, "Someone");
    PL(PR_IMPORTANCE, i % 3);
    PL(PR_SENSITIVITY, 0);
    PL(PR_PRIORITY, 0);
    PL(PR_INTERNET_CPID, 65001);
    PL(PROP_TAG(PT_LONG, 0x6100), i);
    PL(PROP_TAG(PT_LONG, 0x6101), i * 7);
    v[n].ulPropTag = PR_SEARCH_KEY;
    v[n].Value.bin.cb = 16;
    v[n++].Value.bin.lpb = key;
    v[n].ulPropTag = PR_CLIENT_SUBMIT_TIME;
    v[n].Value.ft.dwHighDateTime = 30000000;
    v[n++].Value.ft.dwLowDateTime = (DWORD)i;
    v[n].ulPropTag = PR_READ_RECEIPT_REQUESTED;
    v[n++].Value.b = 0;
    v[n].ulPropTag = PROP_TAG(PT_I8, 0x6102);
    v[n++].Value.li.QuadPart = (LONGLONG)i;
#undef PS
#undef PL
    HRESULT hr = fm_propblob_encode(n, v, blob, len);
    if (hr != S_OK)
        die("encoding properties", hr);
}

static void small_blob(const char *name, ULONG extra_tag, void **blob, size_t *len)
{
    static BYTE data[2048];
    SPropValue v[2] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = (LPSTR)name },
                        { .ulPropTag = extra_tag } };
    if (PROP_TYPE(extra_tag) == PT_BINARY) {
        v[1].Value.bin.cb = sizeof data;
        v[1].Value.bin.lpb = data;
    } else {
        v[1].Value.l = MAPI_TO;
    }
    HRESULT hr = fm_propblob_encode(2, v, blob, len);
    if (hr != S_OK)
        die("encoding properties", hr);
}

/* Adds n messages to folder fid of the store file at p. */
static void fill(const char *p, int64_t fid, unsigned long n)
{
    sqlite3 *db;
    sqlite3_stmt *msg, *rcp, *att, *q;
    check_sql(NULL, sqlite3_open(p, &db), "opening");
    sqlite3_exec(db, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
    check_sql(db, sqlite3_prepare_v2(db, "SELECT max(ifnull((SELECT max(mid) FROM messages), 0),"
                                         " ifnull((SELECT value FROM store_meta WHERE key ="
                                         " 'mid_floor'), 0)) + 1", -1, &q, NULL), "preparing");
    check_sql(db, sqlite3_step(q), "reading the next mid");
    int64_t mid = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    check_sql(db, sqlite3_prepare_v2(db, "INSERT INTO messages (mid, fid, assoc, flags, status,"
                                         " size, created, modified, change_num, delivery_time,"
                                         " subject, sender_name, message_class, props) VALUES"
                                         " (?1, ?2, 0, 1, 0, ?3, ?4, ?4, 1, ?4, ?5, ?6,"
                                         " 'IPM.Note', ?7)", -1, &msg, NULL), "preparing");
    check_sql(db, sqlite3_prepare_v2(db, "INSERT INTO recipients (mid, row_id, props) VALUES"
                                         " (?1, 0, ?2)", -1, &rcp, NULL), "preparing");
    check_sql(db, sqlite3_prepare_v2(db, "INSERT INTO attachments (mid, attach_num, props)"
                                         " VALUES (?1, 0, ?2)", -1, &att, NULL), "preparing");
    void *rblob, *ablob;
    size_t rlen, alen;
    small_blob("Someone", PR_RECIPIENT_TYPE, &rblob, &rlen);
    small_blob("report.bin", PR_ATTACH_DATA_BIN, &ablob, &alen);
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    for (unsigned long i = 0; i < n; i++, mid++) {
        void *blob;
        size_t len;
        message_blob(i, &blob, &len);
        char subj[64], sender[32];
        snprintf(subj, sizeof subj, "Quarterly report %lu", i);
        snprintf(sender, sizeof sender, "Sender %lu", i % 97);
        sqlite3_bind_int64(msg, 1, mid);
        sqlite3_bind_int64(msg, 2, fid);
        sqlite3_bind_int64(msg, 3, (sqlite3_int64)len + 200);
        sqlite3_bind_int64(msg, 4, 130000000000000000LL + (int64_t)i * 10000000);
        sqlite3_bind_text(msg, 5, subj, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(msg, 6, sender, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(msg, 7, blob, (int)len, SQLITE_TRANSIENT);
        check_sql(db, sqlite3_step(msg), "inserting a message");
        sqlite3_reset(msg);
        fm_free(blob);
        sqlite3_bind_int64(rcp, 1, mid);
        sqlite3_bind_blob(rcp, 2, rblob, (int)rlen, SQLITE_STATIC);
        check_sql(db, sqlite3_step(rcp), "inserting a recipient");
        sqlite3_reset(rcp);
        if (i % 3 == 0) {
            sqlite3_bind_int64(att, 1, mid);
            sqlite3_bind_blob(att, 2, ablob, (int)alen, SQLITE_STATIC);
            check_sql(db, sqlite3_step(att), "inserting an attachment");
            sqlite3_reset(att);
        }
        if (i % 20000 == 19999) {
            sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
            sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        }
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    fm_free(rblob);
    fm_free(ablob);
    sqlite3_finalize(msg);
    sqlite3_finalize(rcp);
    sqlite3_finalize(att);
    sqlite3_close(db);
}

/* ---- the store side ------------------------------------------------------------- */

typedef struct store {
    char path[512];
    LPMDB mdb;
    LPMAPIFOLDER inbox, sent;
    int64_t inbox_fid, sent_fid;
    MAPIUID uid;
} store;

static int64_t id_of(void *obj)
{
    LPSPropValue v = NULL;
    HRESULT hr = HrGetOneProp(obj, PR_ENTRYID, &v);
    if (hr != S_OK)
        die("PR_ENTRYID", hr);
    MAPIUID uid;
    int kind;
    uint64_t id;
    fm_entryid_parse(v->Value.bin.cb, (LPENTRYID)v->Value.bin.lpb, &uid, &kind, &id);
    MAPIFreeBuffer(v);
    return (int64_t)id;
}

static LPMAPIFOLDER open_by_prop(LPMDB mdb, ULONG tag)
{
    LPSPropValue v = NULL;
    ULONG type;
    LPMAPIFOLDER f = NULL;
    HRESULT hr = HrGetOneProp((LPMAPIPROP)mdb, tag, &v);
    if (hr == S_OK)
        hr = IMsgStore_OpenEntry(mdb, v->Value.bin.cb, (LPENTRYID)v->Value.bin.lpb, NULL,
                                 MAPI_MODIFY, &type, (LPUNKNOWN *)&f);
    if (hr != S_OK)
        die("opening a folder", hr);
    MAPIFreeBuffer(v);
    return f;
}

static void store_open(store *s, const char *name, bool create)
{
    snprintf(s->path, sizeof s->path, "%s/bench_bulk_%s.fmstore", dir, name);
    if (create) {
        char side[600];
        unlink(s->path);
        snprintf(side, sizeof side, "%s-wal", s->path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", s->path);
        unlink(side);
    }
    HRESULT hr = fmapi_store_open(s->path, create ? FMAPI_STORE_CREATE : 0, &s->mdb);
    if (hr != S_OK)
        die("fmapi_store_open", hr);
    ULONG cb;
    LPENTRYID eid;
    ULONG type;
    hr = IMsgStore_GetReceiveFolder(s->mdb, NULL, 0, &cb, &eid, NULL);
    if (hr == S_OK)
        hr = IMsgStore_OpenEntry(s->mdb, cb, eid, NULL, MAPI_MODIFY, &type,
                                 (LPUNKNOWN *)&s->inbox);
    if (hr != S_OK)
        die("opening the Inbox", hr);
    MAPIFreeBuffer(eid);
    s->sent = open_by_prop(s->mdb, PR_IPM_SENTMAIL_ENTRYID);
    s->inbox_fid = id_of(s->inbox);
    s->sent_fid = id_of(s->sent);
    LPSPropValue rk = NULL;
    if (HrGetOneProp((LPMAPIPROP)s->mdb, PR_STORE_RECORD_KEY, &rk) != S_OK)
        die("PR_STORE_RECORD_KEY", MAPI_E_CALL_FAILED);
    memcpy(s->uid.ab, rk->Value.bin.lpb, 16);
    MAPIFreeBuffer(rk);
}

static void store_close(store *s)
{
    IMAPIFolder_Release(s->inbox);
    IMAPIFolder_Release(s->sent);
    IMsgStore_Release(s->mdb);
}

/* A new store whose Inbox holds n messages (and Sent Items sent_n). */
static void prepare(store *s, const char *name, unsigned long n, unsigned long sent_n)
{
    store_open(s, name, true);
    int64_t in = s->inbox_fid, sent = s->sent_fid;
    store_close(s);
    fill(s->path, in, n);
    if (sent_n)
        fill(s->path, sent, sent_n);
    store_open(s, name, false);
}

/* The entry IDs of the Inbox's messages, mids read by SQL. */
static LPENTRYLIST inbox_list(store *s)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    sqlite3_open(s->path, &db);
    check_sql(db, sqlite3_prepare_v2(db, "SELECT mid FROM messages WHERE fid = ?1 AND"
                                         " deleted_at IS NULL", -1, &q, NULL), "listing");
    sqlite3_bind_int64(q, 1, s->inbox_fid);
    LPENTRYLIST l = NULL;
    if (MAPIAllocateBuffer(sizeof *l, (void **)&l) != S_OK ||
        MAPIAllocateMore((ULONG)((sizeof(SBinary) + FM_EID_SIZE) * (count + 1)), l,
                         (void **)&l->lpbin) != S_OK)
        die("allocating a list", MAPI_E_NOT_ENOUGH_MEMORY);
    BYTE *ids = (BYTE *)(l->lpbin + count + 1);
    l->cValues = 0;
    while (sqlite3_step(q) == SQLITE_ROW && l->cValues < count) {
        BYTE *e = ids + (size_t)l->cValues * FM_EID_SIZE;
        fm_entryid_write(&s->uid, FM_EID_MESSAGE, (uint64_t)sqlite3_column_int64(q, 0), e);
        l->lpbin[l->cValues].cb = FM_EID_SIZE;
        l->lpbin[l->cValues++].lpb = e;
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return l;
}

/* ---- the reference: raw SQLite deleting the same rows ------------------------------------ */

typedef struct ref_result {
    double seconds, max_ms, max_work_ms, max_commit_ms;
    unsigned long batches;
} ref_result;

static ref_result raw_delete(const char *p, int64_t fid)
{
    sqlite3 *db;
    sqlite3_stmt *pick, *d1, *d2, *d3;
    ref_result r = { 0 };
    check_sql(NULL, sqlite3_open(p, &db), "opening");
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL", NULL, NULL, NULL);
    sqlite3_busy_timeout(db, 10000);
    check_sql(db, sqlite3_prepare_v2(db, "SELECT mid FROM messages WHERE fid = ?1 AND"
                                         " deleted_at IS NULL LIMIT 1", -1, &pick, NULL), "pick");
    check_sql(db, sqlite3_prepare_v2(db, "DELETE FROM attachments WHERE mid = ?1", -1, &d1, NULL),
              "d1");
    check_sql(db, sqlite3_prepare_v2(db, "DELETE FROM recipients WHERE mid = ?1", -1, &d2, NULL),
              "d2");
    check_sql(db, sqlite3_prepare_v2(db, "DELETE FROM messages WHERE mid = ?1", -1, &d3, NULL),
              "d3");
    sqlite3_bind_int64(pick, 1, fid);
    double t0 = bench_now();
    for (bool more = true; more;) {
        double b0 = bench_now();
        check_sql(db, sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), "begin");
        for (int k = 0; k < REF_BATCH; k++) {
            if (sqlite3_step(pick) != SQLITE_ROW) {
                more = false;
                sqlite3_reset(pick);
                break;
            }
            int64_t mid = sqlite3_column_int64(pick, 0);
            sqlite3_reset(pick);
            sqlite3_stmt *d[3] = { d1, d2, d3 };
            for (int j = 0; j < 3; j++) {
                sqlite3_bind_int64(d[j], 1, mid);
                check_sql(db, sqlite3_step(d[j]), "deleting");
                sqlite3_reset(d[j]);
            }
        }
        double b1 = bench_now();
        check_sql(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
        double ms = (bench_now() - b0) * 1000, work = (b1 - b0) * 1000;
        r.max_ms = ms > r.max_ms ? ms : r.max_ms;
        r.max_work_ms = work > r.max_work_ms ? work : r.max_work_ms;
        r.max_commit_ms = ms - work > r.max_commit_ms ? ms - work : r.max_commit_ms;
        r.batches++;
    }
    r.seconds = bench_now() - t0;
    sqlite3_finalize(pick);
    sqlite3_finalize(d1);
    sqlite3_finalize(d2);
    sqlite3_finalize(d3);
    sqlite3_close(db);
    return r;
}

/* ---- one measured operation ----------------------------------------------------------- */

typedef enum op { OP_EMPTY, OP_DELETE, OP_PURGE } op;

static void report_op(const char *name, double seconds, unsigned long n)
{
    fm_bulk_stats st;
    fm_bulk_stats_get(&st);
    char key[128];
    snprintf(key, sizeof key, "%s: messages/s", name);
    bench_report(key, (double)n / seconds, "messages/s");
    snprintf(key, sizeof key, "%s: batches", name);
    bench_report(key, (double)st.batches, "");
    snprintf(key, sizeof key, "%s: mean batch", name);
    bench_report(key, st.batches ? st.total_ms / (double)st.batches : 0, "ms");
    snprintf(key, sizeof key, "%s: longest batch", name);
    bench_report(key, st.max_ms, "ms");
    snprintf(key, sizeof key, "%s: longest batch before its commit", name);
    bench_report(key, st.max_work_ms, "ms");
    snprintf(key, sizeof key, "%s: longest commit", name);
    bench_report(key, st.max_commit_ms, "ms");
}

static void measure(const char *name, op o, ULONG flags)
{
    store s;
    prepare(&s, "main", count, 0);
    LPENTRYLIST l = o == OP_DELETE ? inbox_list(&s) : NULL;
    if (o == OP_PURGE) { /* soft-delete first, unmeasured */
        HRESULT hr = IMAPIFolder_EmptyFolder(s.inbox, 0, NULL, 0);
        if (hr != S_OK)
            die("EmptyFolder", hr);
    }
    fm_bulk_stats_reset();
    double t0 = bench_now();
    HRESULT hr = o == OP_EMPTY    ? IMAPIFolder_EmptyFolder(s.inbox, 0, NULL, flags)
                 : o == OP_DELETE ? IMAPIFolder_DeleteMessages(s.inbox, l, 0, NULL, flags)
                                  : fmapi_store_purge(s.mdb, 0, NULL, 0, NULL);
    double t = bench_now() - t0;
    if (hr != S_OK)
        die(name, hr);
    report_op(name, t, count);
    MAPIFreeBuffer(l);
    store_close(&s);
}

static void measure_reference(void)
{
    store s;
    prepare(&s, "ref", count, 0);
    int64_t fid = s.inbox_fid;
    store_close(&s);
    ref_result r = raw_delete(s.path, fid);
    bench_report("reference raw SQLite delete, 500-row transactions: messages/s",
                 (double)count / r.seconds, "messages/s");
    bench_report("reference raw SQLite delete: batches", (double)r.batches, "");
    bench_report("reference raw SQLite delete: longest batch", r.max_ms, "ms");
    bench_report("reference raw SQLite delete: longest batch before its commit", r.max_work_ms,
                 "ms");
    bench_report("reference raw SQLite delete: longest commit", r.max_commit_ms, "ms");
}

/* ---- the big folder: peak RSS and a reader's latency ---------------------------------- */

static volatile sig_atomic_t stop_reader;

static void on_term(int sig)
{
    (void)sig;
    stop_reader = 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Saves a small new message in folder f (a write while the deletion runs). */
static void save_one(LPMAPIFOLDER f)
{
    LPMESSAGE m = NULL;
    SPropValue v = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "written meanwhile" };
    HRESULT hr = IMAPIFolder_CreateMessage(f, NULL, 0, &m);
    if (hr == S_OK)
        hr = IMessage_SetProps(m, 1, &v, NULL);
    if (hr == S_OK)
        hr = IMessage_SaveChanges(m, 0);
    if (hr != S_OK)
        die("saving a message during the deletion", hr);
    IMessage_Release(m);
}

static void percentiles(double *lat, size_t n, double out[4])
{
    qsort(lat, n, sizeof *lat, cmp_double);
    out[0] = (double)n;
    out[1] = n ? lat[n / 2] : 0;
    out[2] = n ? lat[n * 99 / 100] : 0;
    out[3] = n ? lat[n - 1] : 0;
}

/* Pages Sent Items and opens a message per page until SIGTERM, and every
 * fourth step saves a new message there too; writes n, p50, p99, max (ms)
 * of the reads and then of the writes to fd. */
static _Noreturn void reader(const char *name, int fd)
{
    signal(SIGTERM, on_term);
    store s;
    store_open(&s, name, false);
    size_t cap = 1 << 20, n = 0, nw = 0;
    double *lat = malloc(cap * sizeof *lat), *wlat = malloc(cap * sizeof *wlat);
    LPMAPITABLE t = NULL;
    SizedSPropTagArray(3, cols) = { 3, { PR_ENTRYID, PR_SUBJECT_A, PR_MESSAGE_DELIVERY_TIME } };
    HRESULT hr = IMAPIFolder_GetContentsTable(s.sent, 0, &t);
    if (hr == S_OK)
        hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    if (hr != S_OK || lat == NULL)
        die("reader", hr);
    while (!stop_reader && n < cap) {
        double t0 = bench_now();
        LPSRowSet rows = NULL;
        hr = IMAPITable_QueryRows(t, 50, 0, &rows);
        if (hr != S_OK)
            die("QueryRows", hr);
        if (rows->cRows == 0) {
            IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, 0, NULL);
        } else {
            ULONG type;
            LPMESSAGE m = NULL;
            SBinary *b = &rows->aRow[0].lpProps[0].Value.bin;
            hr = IMsgStore_OpenEntry(s.mdb, b->cb, (LPENTRYID)b->lpb, NULL, 0, &type,
                                     (LPUNKNOWN *)&m);
            if (hr != S_OK)
                die("OpenEntry", hr);
            ULONG c;
            LPSPropValue v = NULL;
            IMessage_GetProps(m, NULL, 0, &c, &v);
            MAPIFreeBuffer(v);
            IMessage_Release(m);
        }
        FreeProws(rows);
        lat[n++] = (bench_now() - t0) * 1000;
        if (n % 4 == 0) {
            t0 = bench_now();
            save_one(s.sent);
            wlat[nw++] = (bench_now() - t0) * 1000;
        }
    }
    double out[8];
    percentiles(lat, n, out);
    percentiles(wlat, nw, out + 4);
    if (write(fd, out, sizeof out) != (ssize_t)sizeof out)
        exit(2);
    IMAPITable_Release(t);
    _exit(0);
}

static pid_t start_reader(const char *name, int fds[2])
{
    if (pipe(fds) != 0)
        die("pipe", MAPI_E_CALL_FAILED);
    fflush(stdout); /* or the child prints what is buffered again */
    pid_t pid = fork();
    if (pid == 0)
        reader(name, fds[1]);
    sleep(1); /* let it open its table */
    return pid;
}

static void stop_and_report_reader(pid_t pid, int fds[2], const char *label)
{
    kill(pid, SIGTERM);
    double out[8];
    if (read(fds[0], out, sizeof out) != (ssize_t)sizeof out)
        die("reading the reader's figures", MAPI_E_CALL_FAILED);
    waitpid(pid, NULL, 0);
    close(fds[0]);
    close(fds[1]);
    char key[160];
    snprintf(key, sizeof key, "%s: reader steps", label);
    bench_report(key, out[0], "");
    snprintf(key, sizeof key, "%s: reader p50", label);
    bench_report(key, out[1], "ms");
    snprintf(key, sizeof key, "%s: reader p99", label);
    bench_report(key, out[2], "ms");
    snprintf(key, sizeof key, "%s: reader worst", label);
    bench_report(key, out[3], "ms");
    snprintf(key, sizeof key, "%s: writer saves", label);
    bench_report(key, out[4], "");
    snprintf(key, sizeof key, "%s: writer p50", label);
    bench_report(key, out[5], "ms");
    snprintf(key, sizeof key, "%s: writer p99", label);
    bench_report(key, out[6], "ms");
    snprintf(key, sizeof key, "%s: writer worst", label);
    bench_report(key, out[7], "ms");
}

static void measure_big(void)
{
    store s;
    prepare(&s, "big", big, 5000);
    store_close(&s);
    int fds[2];
    pid_t rd = start_reader("big", fds);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        store c;
        store_open(&c, "big", false);
        fm_bulk_stats_reset();
        double t0 = bench_now();
        HRESULT hr = IMAPIFolder_EmptyFolder(c.inbox, 0, NULL, DELETE_HARD_DELETE);
        if (hr != S_OK)
            die("EmptyFolder", hr);
        report_op("EmptyFolder hard, big folder", bench_now() - t0, big);
        fflush(stdout);
        store_close(&c);
        _exit(0);
    }
    struct rusage ru;
    int status;
    wait4(pid, &status, 0, &ru);
    bench_report("EmptyFolder hard, big folder: peak RSS of the process", (double)ru.ru_maxrss / 1024,
                 "MB");
    stop_and_report_reader(rd, fds, "during EmptyFolder of the big folder");
    /* The reference: the same rows deleted by raw SQLite, the same reader. */
    prepare(&s, "bigref", big, 5000);
    int64_t fid = s.inbox_fid;
    store_close(&s);
    rd = start_reader("bigref", fds);
    ref_result r = raw_delete(s.path, fid);
    bench_report("reference raw SQLite delete of the big folder: messages/s",
                 (double)big / r.seconds, "messages/s");
    bench_report("reference raw SQLite delete of the big folder: longest batch", r.max_ms, "ms");
    bench_report("reference raw SQLite delete of the big folder: longest batch before its commit",
                 r.max_work_ms, "ms");
    bench_report("reference raw SQLite delete of the big folder: longest commit",
                 r.max_commit_ms, "ms");
    stop_and_report_reader(rd, fds, "during the raw SQLite deletion");
}

int main(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--count") == 0)
            count = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--big") == 0)
            big = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--dir") == 0)
            dir = argv[i + 1];
    }
    bench_print_command(argc, argv);
    bench_report("messages", (double)count, "");
    measure_reference();
    measure("EmptyFolder hard", OP_EMPTY, DELETE_HARD_DELETE);
    measure("DeleteMessages hard", OP_DELETE, DELETE_HARD_DELETE);
    measure("EmptyFolder soft", OP_EMPTY, 0);
    measure("DeleteMessages soft", OP_DELETE, 0);
    measure("purge of soft-deleted", OP_PURGE, 0);
    measure_reference();
    if (big)
        measure_big();
    return 0;
}
