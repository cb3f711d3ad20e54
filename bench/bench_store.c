/*
 * bench/bench_store.c - message throughput of the SQLite message store:
 * creating and saving N messages of 20 properties through IMAPIFolder /
 * IMessage, then opening each by its entry ID and reading all its
 * properties, against a reference measured in the same run and directory:
 * raw SQLite (same journal mode and synchronous setting as the store)
 * inserting the same 20 values per message and reading them back by key.
 *
 * The reference stores each message as one row of a table
 * msgs(id INTEGER PRIMARY KEY, props BLOB): the blob holds the 20 values as
 * (tag, length, bytes) records, strings as the same UTF-16 the store gets.
 * Reading decodes the blob into an SPropValue array in one MAPI buffer, the
 * least a GetProps-like call must do. Each SaveChanges is its own
 * transaction, as MAPI requires, so the reference is measured twice: 1,000
 * rows per transaction and one row per transaction.
 *
 * Usage: bench_store [--count N] [--dir DIR]   (defaults: 20000, /tmp)
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "freemapi.h"
#include "freemapi_message.h"
#include "freemapi_store.h"
#include "harness.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"

#define NPROPS 20
#define BATCH 1000

static unsigned long count = 20000;
static const char *dir = "/tmp";

static void die(const char *what, HRESULT hr)
{
    fprintf(stderr, "bench_store: %s failed: 0x%08lx %s\n", what, (unsigned long)hr,
            fmapi_last_error());
    exit(1);
}

static void die_sql(sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench_store: %s failed: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

/* ---- the 20 values of one message ------------------------------------------ */

/* One message's values; strings vary with the message number so that no
 * two rows are alike. About 1,000 characters of text (2 KB as UTF-16). */
typedef struct {
    WCHAR subject[96], sender[48], email[64], repr[48], cls[16], msgid[80], body[820];
    BYTE convidx[22], skey[16], sskey[24];
    SPropValue v[NPROPS];
} message_data;

static void widen(WCHAR *dst, size_t cap, const char *src)
{
    size_t i = 0;
    for (; src[i] != '\0' && i + 1 < cap; i++)
        dst[i] = (WCHAR)(unsigned char)src[i];
    dst[i] = 0;
}

static void fill_bytes(BYTE *b, size_t n, unsigned long seed)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (BYTE)((seed + i) * 2654435761u >> 11);
}

static void make_message(message_data *d, unsigned long i)
{
    char s[840];
    snprintf(s, sizeof s, "Quarterly report %lu: figures for review before Friday", i);
    widen(d->subject, 96, s);
    snprintf(s, sizeof s, "Sender Number %lu", i % 977);
    widen(d->sender, 48, s);
    snprintf(s, sizeof s, "sender%lu@example.org", i % 977);
    widen(d->email, 64, s);
    snprintf(s, sizeof s, "Delegate %lu", i % 131);
    widen(d->repr, 48, s);
    widen(d->cls, 16, "IPM.Note");
    snprintf(s, sizeof s, "<%lu.%lx@mail.example.org>", i, i * 2654435761u);
    widen(d->msgid, 80, s);
    int n = snprintf(s, sizeof s, "Message %lu. ", i);
    while (n < 800)
        n += snprintf(s + n, sizeof s - (size_t)n, "The quick brown fox jumps over the lazy dog. ");
    s[800] = '\0';
    widen(d->body, 820, s);
    fill_bytes(d->convidx, sizeof d->convidx, i);
    fill_bytes(d->skey, sizeof d->skey, i * 7);
    fill_bytes(d->sskey, sizeof d->sskey, i % 977);

    FILETIME t = { (ULONG)(0x89abcdefu + i * 10000000u), 0x01d9a0b0 };
    SPropValue *v = d->v;
    int k = 0;
    v[k++] = (SPropValue){ .ulPropTag = PR_SUBJECT_W, .Value.lpszW = d->subject };
    v[k++] = (SPropValue){ .ulPropTag = PR_SENDER_NAME_W, .Value.lpszW = d->sender };
    v[k++] = (SPropValue){ .ulPropTag = PR_SENDER_EMAIL_ADDRESS_W, .Value.lpszW = d->email };
    v[k++] = (SPropValue){ .ulPropTag = PR_SENT_REPRESENTING_NAME_W, .Value.lpszW = d->repr };
    v[k++] = (SPropValue){ .ulPropTag = PR_MESSAGE_CLASS_W, .Value.lpszW = d->cls };
    v[k++] = (SPropValue){ .ulPropTag = PR_INTERNET_MESSAGE_ID_W, .Value.lpszW = d->msgid };
    v[k++] = (SPropValue){ .ulPropTag = PR_BODY_W, .Value.lpszW = d->body };
    v[k++] = (SPropValue){ .ulPropTag = PR_IMPORTANCE, .Value.l = (LONG)(i % 3) };
    v[k++] = (SPropValue){ .ulPropTag = PR_PRIORITY, .Value.l = (LONG)(i % 3) - 1 };
    v[k++] = (SPropValue){ .ulPropTag = PR_SENSITIVITY, .Value.l = (LONG)(i % 4) };
    v[k++] = (SPropValue){ .ulPropTag = PR_ORIGINAL_SENSITIVITY, .Value.l = 0 };
    v[k++] = (SPropValue){ .ulPropTag = PR_INTERNET_CPID, .Value.l = 65001 };
    v[k++] = (SPropValue){ .ulPropTag = PR_CLIENT_SUBMIT_TIME, .Value.ft = t };
    v[k++] = (SPropValue){ .ulPropTag = PR_MESSAGE_DELIVERY_TIME, .Value.ft = t };
    v[k++] = (SPropValue){ .ulPropTag = PR_ORIGINAL_SUBMIT_TIME, .Value.ft = t };
    v[k++] = (SPropValue){ .ulPropTag = PR_READ_RECEIPT_REQUESTED, .Value.b = (i & 1) };
    v[k++] = (SPropValue){ .ulPropTag = PR_RTF_IN_SYNC, .Value.b = 1 };
    v[k++] = (SPropValue){ .ulPropTag = PR_CONVERSATION_INDEX,
                           .Value.bin = { sizeof d->convidx, d->convidx } };
    v[k++] = (SPropValue){ .ulPropTag = PR_SEARCH_KEY, .Value.bin = { sizeof d->skey, d->skey } };
    v[k++] = (SPropValue){ .ulPropTag = PR_SENDER_SEARCH_KEY,
                           .Value.bin = { sizeof d->sskey, d->sskey } };
}

/* ---- the store ------------------------------------------------------------- */

static LPMAPIFOLDER open_inbox(LPMDB mdb)
{
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0;
    LPMAPIFOLDER f = NULL;
    HRESULT hr = IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL);
    if (hr != S_OK)
        die("IMsgStore_GetReceiveFolder", hr);
    hr = IMsgStore_OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&f);
    if (hr != S_OK)
        die("IMsgStore_OpenEntry of the Inbox", hr);
    MAPIFreeBuffer(eid);
    return f;
}

/* Creates and saves count messages, keeping their entry IDs in eids.
 * Returns the seconds spent, less the time taken to read the entry IDs. */
static double store_create(LPMAPIFOLDER inbox, message_data *d, LPSPropValue *eids)
{
    double eid_time = 0, t0 = bench_now();
    for (unsigned long i = 0; i < count; i++) {
        make_message(d, i);
        LPMESSAGE m = NULL;
        LPSPropProblemArray problems = NULL;
        HRESULT hr = IMAPIFolder_CreateMessage(inbox, NULL, 0, &m);
        if (hr != S_OK)
            die("IMAPIFolder_CreateMessage", hr);
        if ((hr = IMessage_SetProps(m, NPROPS, d->v, &problems)) != S_OK)
            die("IMessage_SetProps", hr);
        if (problems != NULL)
            die("IMessage_SetProps (a property was refused)", problems->aProblem[0].scode);
        if ((hr = IMessage_SaveChanges(m, KEEP_OPEN_READONLY)) != S_OK)
            die("IMessage_SaveChanges", hr);
        double e0 = bench_now();
        if ((hr = HrGetOneProp((LPMAPIPROP)m, PR_ENTRYID, &eids[i])) != S_OK)
            die("HrGetOneProp(PR_ENTRYID)", hr);
        eid_time += bench_now() - e0;
        IMessage_Release(m);
    }
    return bench_now() - t0 - eid_time;
}

/* The same messages saved in groups of BATCH with fmapi_message_save_group
 * (one transaction per group, as the reference's batches). */
static double store_create_grouped(LPMAPIFOLDER inbox, message_data *d)
{
    static LPMESSAGE group[BATCH];
    double t0 = bench_now();
    for (unsigned long i = 0; i < count;) {
        ULONG n = 0;
        for (; n < BATCH && i < count; n++, i++) {
            make_message(d, i);
            HRESULT hr = IMAPIFolder_CreateMessage(inbox, NULL, 0, &group[n]);
            if (hr != S_OK)
                die("IMAPIFolder_CreateMessage", hr);
            if ((hr = IMessage_SetProps(group[n], NPROPS, d->v, NULL)) != S_OK)
                die("IMessage_SetProps", hr);
        }
        HRESULT hr = fmapi_message_save_group(n, group, KEEP_OPEN_READONLY);
        if (hr != S_OK)
            die("fmapi_message_save_group", hr);
        for (ULONG k = 0; k < n; k++)
            IMessage_Release(group[k]);
    }
    return bench_now() - t0;
}

/* Opens every message and reads all its properties; checks that the
 * subject came back. */
static double store_read(LPMDB mdb, LPSPropValue *eids, ULONG flags)
{
    unsigned long found = 0;
    double t0 = bench_now();
    for (unsigned long i = 0; i < count; i++) {
        ULONG type = 0, n = 0;
        LPMESSAGE m = NULL;
        LPSPropValue props = NULL;
        HRESULT hr = IMsgStore_OpenEntry(mdb, eids[i]->Value.bin.cb,
                                         (LPENTRYID)eids[i]->Value.bin.lpb, NULL, 0, &type,
                                         (LPUNKNOWN *)&m);
        if (hr != S_OK || type != MAPI_MESSAGE)
            die("IMsgStore_OpenEntry of a message", hr);
        hr = IMessage_GetProps(m, NULL, flags, &n, &props);
        if (FAILED(hr) || n < NPROPS)
            die("IMessage_GetProps(all)", hr);
        for (ULONG k = 0; k < n; k++)
            if (PROP_ID(props[k].ulPropTag) == PROP_ID(PR_SUBJECT_W))
                found++;
        MAPIFreeBuffer(props);
        IMessage_Release(m);
    }
    double s = bench_now() - t0;
    if (found != count)
        die("finding every subject again", MAPI_E_NOT_FOUND);
    return s;
}

/* ---- the reference: raw SQLite ----------------------------------------------- */

/* Size of one value's bytes in the blob: strings with their NUL. */
static ULONG value_bytes(const SPropValue *v, const void **at)
{
    switch (PROP_TYPE(v->ulPropTag)) {
    case PT_UNICODE: {
        ULONG n = 0;
        while (v->Value.lpszW[n] != 0)
            n++;
        *at = v->Value.lpszW;
        return (n + 1) * (ULONG)sizeof(WCHAR);
    }
    case PT_BINARY:
        *at = v->Value.bin.lpb;
        return v->Value.bin.cb;
    case PT_SYSTIME:
        *at = &v->Value.ft;
        return sizeof v->Value.ft;
    case PT_BOOLEAN:
        *at = &v->Value.b;
        return sizeof v->Value.b;
    default:
        *at = &v->Value.l;
        return sizeof v->Value.l;
    }
}

static size_t encode(const SPropValue *v, BYTE *out)
{
    size_t n = 0;
    for (int k = 0; k < NPROPS; k++) {
        const void *at;
        ULONG len = value_bytes(&v[k], &at);
        memcpy(out + n, &v[k].ulPropTag, 4);
        memcpy(out + n + 4, &len, 4);
        memcpy(out + n + 8, at, len);
        n += 8 + len;
    }
    return n;
}

/* Turns a blob back into SPropValues in one MAPI buffer (values point into
 * a copy of the blob that follows the array). */
static LPSPropValue decode(const BYTE *blob, size_t size)
{
    LPSPropValue v = NULL;
    if (MAPIAllocateBuffer((ULONG)(NPROPS * sizeof *v + size), (void **)&v) != S_OK)
        die("MAPIAllocateBuffer", MAPI_E_NOT_ENOUGH_MEMORY);
    BYTE *copy = (BYTE *)(v + NPROPS);
    memcpy(copy, blob, size);
    size_t at = 0;
    for (int k = 0; k < NPROPS && at + 8 <= size; k++) {
        ULONG len;
        memcpy(&v[k].ulPropTag, copy + at, 4);
        memcpy(&len, copy + at + 4, 4);
        BYTE *p = copy + at + 8;
        switch (PROP_TYPE(v[k].ulPropTag)) {
        case PT_UNICODE: v[k].Value.lpszW = (LPWSTR)p; break;
        case PT_BINARY: v[k].Value.bin = (SBinary){ len, p }; break;
        default: memcpy(&v[k].Value, p, len); break;
        }
        at += 8 + len;
    }
    return v;
}

static void exec_sql(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die_sql(db, sql);
}

static void remove_db(const char *path)
{
    char side[4200];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static sqlite3 *ref_open(const char *path)
{
    sqlite3 *db;
    remove_db(path);
    if (sqlite3_open(path, &db) != SQLITE_OK)
        die_sql(db, "sqlite3_open");
    exec_sql(db, "PRAGMA journal_mode=WAL");
    exec_sql(db, "PRAGMA synchronous=FULL");
    exec_sql(db, "CREATE TABLE msgs (id INTEGER PRIMARY KEY, props BLOB NOT NULL)");
    return db;
}

/* Inserts count rows, batch rows per transaction (1: autocommit). */
static double ref_insert(sqlite3 *db, message_data *d, unsigned long batch)
{
    static BYTE blob[8192];
    sqlite3_stmt *ins;
    if (sqlite3_prepare_v2(db, "INSERT INTO msgs (id, props) VALUES (?, ?)", -1, &ins, NULL))
        die_sql(db, "prepare INSERT");
    double t0 = bench_now();
    for (unsigned long i = 0; i < count; i++) {
        if (batch > 1 && i % batch == 0)
            exec_sql(db, "BEGIN");
        make_message(d, i);
        size_t n = encode(d->v, blob);
        sqlite3_bind_int64(ins, 1, (sqlite3_int64)i + 1);
        sqlite3_bind_blob(ins, 2, blob, (int)n, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE)
            die_sql(db, "INSERT");
        sqlite3_reset(ins);
        if (batch > 1 && (i % batch == batch - 1 || i + 1 == count))
            exec_sql(db, "COMMIT");
    }
    double s = bench_now() - t0;
    sqlite3_finalize(ins);
    return s;
}

static double ref_read(sqlite3 *db)
{
    sqlite3_stmt *sel;
    unsigned long found = 0;
    if (sqlite3_prepare_v2(db, "SELECT props FROM msgs WHERE id = ?", -1, &sel, NULL))
        die_sql(db, "prepare SELECT");
    double t0 = bench_now();
    for (unsigned long i = 0; i < count; i++) {
        sqlite3_bind_int64(sel, 1, (sqlite3_int64)i + 1);
        if (sqlite3_step(sel) != SQLITE_ROW)
            die_sql(db, "SELECT");
        const BYTE *blob = sqlite3_column_blob(sel, 0);
        LPSPropValue v = decode(blob, (size_t)sqlite3_column_bytes(sel, 0));
        found += v[0].ulPropTag == PR_SUBJECT_W;
        MAPIFreeBuffer(v);
        sqlite3_reset(sel);
    }
    double s = bench_now() - t0;
    sqlite3_finalize(sel);
    if (found != count)
        die("reading every reference row back", MAPI_E_NOT_FOUND);
    return s;
}

/* ---- main ---------------------------------------------------------------------- */

static void parse_args(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
            count = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else {
            fprintf(stderr, "usage: bench_store [--count N] [--dir DIR]\n");
            exit(2);
        }
    }
    if (count == 0)
        count = 1;
}

static double rate(double seconds)
{
    return (double)count / seconds;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    bench_print_command(argc, argv);
    char store[4096], ref[4096];
    snprintf(store, sizeof store, "%s/bench_store.fmstore", dir);
    snprintf(ref, sizeof ref, "%s/bench_store_ref.sqlite", dir);
    static message_data d;
    LPSPropValue *eids = NULL;
    if (MAPIAllocateBuffer((ULONG)(count * sizeof *eids), (void **)&eids) != S_OK)
        die("MAPIAllocateBuffer", MAPI_E_NOT_ENOUGH_MEMORY);

    remove_db(store);
    LPMDB mdb = NULL;
    HRESULT hr = fmapi_store_open(store, FMAPI_STORE_CREATE, &mdb);
    if (hr != S_OK)
        die("fmapi_store_open", hr);
    LPMAPIFOLDER inbox = open_inbox(mdb);
    double create_s = store_create(inbox, &d, eids);
    double read_s = store_read(mdb, eids, 0);
    double read_w_s = store_read(mdb, eids, MAPI_UNICODE);
    for (unsigned long i = 0; i < count; i++)
        MAPIFreeBuffer(eids[i]);
    MAPIFreeBuffer(eids);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    remove_db(store);
    if ((hr = fmapi_store_open(store, FMAPI_STORE_CREATE, &mdb)) != S_OK)
        die("fmapi_store_open", hr);
    inbox = open_inbox(mdb);
    double grouped_s = store_create_grouped(inbox, &d);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    remove_db(store);

    sqlite3 *db = ref_open(ref);
    double ref_batch_s = ref_insert(db, &d, BATCH);
    double ref_read_s = ref_read(db);
    sqlite3_close(db);
    db = ref_open(ref);
    double ref_single_s = ref_insert(db, &d, 1);
    sqlite3_close(db);
    remove_db(ref);

    bench_report("messages", (double)count, "");
    bench_report("store create+SetProps+SaveChanges", rate(create_s), "msg/s");
    bench_report("store create+SetProps+fmapi_message_save_group(1000)", rate(grouped_s),
                 "msg/s");
    bench_report("store OpenEntry+GetProps(all)", rate(read_s), "msg/s");
    bench_report("store OpenEntry+GetProps(all, MAPI_UNICODE)", rate(read_w_s), "msg/s");
    bench_report("reference insert, 1000 rows/transaction", rate(ref_batch_s), "msg/s");
    bench_report("reference insert, 1 row/transaction", rate(ref_single_s), "msg/s");
    bench_report("reference read by key", rate(ref_read_s), "msg/s");
    bench_report("store create / reference insert (1000/txn)", 100 * ref_batch_s / create_s, "%");
    bench_report("store create / reference insert (1/txn)", 100 * ref_single_s / create_s, "%");
    bench_report("store grouped create / reference insert (1000/txn)",
                 100 * ref_batch_s / grouped_s, "%");
    bench_report("store read / reference read", 100 * ref_read_s / read_s, "%");
    return 0;
}
