/*
 * bench/bench_search.c - a search folder over a mailbox of N messages
 * (default 100,000: half in the Inbox, half in a subfolder of it, one in
 * ten with "Budget" in the subject), built through the store API, then:
 *   1. SetSearchCriteria(subject contains "budget", ignoring case; the
 *      Inbox, RECURSIVE_SEARCH) + GetRowCount of the search folder's
 *      contents table: the first result count (median of 5);
 *   2. the same with STATIC_SEARCH: the results frozen into the store;
 *   3. the first page (QueryRows 50, sorted by delivery time) of the
 *      running search's table;
 *   4. the reference: raw SQLite on the same file counting the same rows
 *      (subject LIKE '%budget%' over the two folders).
 *
 * Usage: bench_search [--count N] [--dir DIR] [--keep]
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "freemapi.h"
#include "freemapi_store.h"
#include "harness.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"

static unsigned long count = 100000;
static const char *dir = "/tmp";
static int keep = 0;

static void check(HRESULT hr, const char *what)
{
    if (FAILED(hr)) {
        fprintf(stderr, "bench_search: %s failed: 0x%08lx %s\n", what, (unsigned long)hr,
                fmapi_last_error());
        exit(1);
    }
}

static void fill(LPMAPIFOLDER f, unsigned long n, unsigned long salt)
{
    char subject[64];
    for (unsigned long i = 0; i < n; i++) {
        LPMESSAGE m = NULL;
        check(IMAPIFolder_CreateMessage(f, NULL, 0, &m), "CreateMessage");
        snprintf(subject, sizeof subject, "%s %lu", i % 10 == 0 ? "Budget review" : "message",
                 i);
        uint64_t t = 130000000000000000ull + ((i * 7919 + salt) % n) * 10000000ull;
        SPropValue v[3] = { { .ulPropTag = PR_SUBJECT_A },
                            { .ulPropTag = PR_MESSAGE_DELIVERY_TIME },
                            { .ulPropTag = PR_MESSAGE_FLAGS } };
        v[0].Value.lpszA = subject;
        v[1].Value.ft.dwLowDateTime = (DWORD)t;
        v[1].Value.ft.dwHighDateTime = (DWORD)(t >> 32);
        v[2].Value.l = (i % 3) ? MSGFLAG_READ : 0;
        check(IMessage_SetProps(m, 3, v, NULL), "SetProps");
        check(IMessage_SaveChanges(m, 0), "SaveChanges");
        IMessage_Release(m);
    }
}

static LPMAPIFOLDER child(LPMAPIFOLDER parent, ULONG type, const char *name)
{
    LPMAPIFOLDER f = NULL;
    check(IMAPIFolder_CreateFolder(parent, type, (LPTSTR)name, NULL, NULL, OPEN_IF_EXISTS, &f),
          "CreateFolder");
    return f;
}

typedef struct ctx {
    LPMAPIFOLDER search;
    SRestriction res;
    SPropValue val;
    ENTRYLIST scope;
    ULONG flags;
    ULONG expect;
} ctx;

static double build_run(void *p)
{
    ctx *c = p;
    double t0 = bench_now();
    check(IMAPIFolder_SetSearchCriteria(c->search, &c->res, &c->scope, c->flags),
          "SetSearchCriteria");
    LPMAPITABLE t = NULL;
    check(IMAPIFolder_GetContentsTable(c->search, 0, &t), "GetContentsTable");
    ULONG n = 0;
    check(IMAPITable_GetRowCount(t, 0, &n), "GetRowCount");
    double dt = bench_now() - t0;
    IMAPITable_Release(t);
    if (n != c->expect) {
        fprintf(stderr, "bench_search: %lu results, expected %lu\n", (unsigned long)n,
                (unsigned long)c->expect);
        exit(1);
    }
    return dt;
}

static double page_run(void *p)
{
    ctx *c = p;
    double t0 = bench_now();
    LPMAPITABLE t = NULL;
    check(IMAPIFolder_GetContentsTable(c->search, 0, &t), "GetContentsTable");
    SizedSPropTagArray(3, cols) = { 3, { PR_ENTRYID, PR_SUBJECT_A, PR_MESSAGE_DELIVERY_TIME } };
    check(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), "SetColumns");
    SizedSSortOrderSet(1, s) = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    check(IMAPITable_SortTable(t, (LPSSortOrderSet)&s, 0), "SortTable");
    LPSRowSet rows = NULL;
    check(IMAPITable_QueryRows(t, 50, 0, &rows), "QueryRows");
    double dt = bench_now() - t0;
    if (rows->cRows != 50) {
        fprintf(stderr, "bench_search: a page had %u rows\n", (unsigned)rows->cRows);
        exit(1);
    }
    FreeProws(rows);
    IMAPITable_Release(t);
    return dt;
}

typedef struct raw {
    const char *path;
    long expect;
} raw;

static double raw_run(void *p)
{
    raw *r = p;
    double t0 = bench_now();
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long n = -1;
    if (sqlite3_open_v2(r->path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT count(*) FROM messages m WHERE m.fid IN (SELECT fid FROM "
                               "folders WHERE display_name IN ('Inbox', 'Sub')) AND m.assoc = 0 "
                               "AND m.deleted_at IS NULL AND m.subject LIKE '%budget%'",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    double dt = bench_now() - t0;
    if (n != r->expect) {
        fprintf(stderr, "bench_search: raw SQLite counted %ld, expected %ld\n", n, r->expect);
        exit(1);
    }
    return dt;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
            count = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--keep") == 0)
            keep = 1;
    }
    bench_print_command(argc, argv);
    char path[512];
    snprintf(path, sizeof path, "%s/bench_search.fmstore", dir);
    int reuse = keep && access(path, F_OK) == 0;
    if (!reuse)
        unlink(path);
    check(MAPIInitialize(NULL), "MAPIInitialize");
    LPMDB mdb = NULL;
    check(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), "fmapi_store_open");
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0;
    LPMAPIFOLDER inbox = NULL;
    check(IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL), "GetReceiveFolder");
    check(IMsgStore_OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&inbox),
          "OpenEntry");
    LPMAPIFOLDER sub = child(inbox, FOLDER_GENERIC, "Sub");
    if (!reuse) {
        double t0 = bench_now();
        fill(inbox, count / 2, 1);
        fill(sub, count - count / 2, 2);
        bench_report("fill (store API, one SaveChanges per message)",
                     (double)count / (bench_now() - t0), "msg/s");
    }
    LPSPropValue fe = NULL;
    check(HrGetOneProp((LPMAPIPROP)mdb, PR_FINDER_ENTRYID, &fe), "PR_FINDER_ENTRYID");
    LPMAPIFOLDER finder = NULL;
    check(IMsgStore_OpenEntry(mdb, fe->Value.bin.cb, (LPENTRYID)fe->Value.bin.lpb, NULL,
                              MAPI_MODIFY, &type, (LPUNKNOWN *)&finder), "OpenEntry(finder)");
    MAPIFreeBuffer(fe);
    ctx c = { .search = child(finder, FOLDER_SEARCH, "Budget") };
    c.val.ulPropTag = PR_SUBJECT_A;
    c.val.Value.lpszA = (LPSTR) "budget";
    c.res.rt = RES_CONTENT;
    c.res.res.resContent = (SContentRestriction){ FL_SUBSTRING | FL_IGNORECASE, PR_SUBJECT_A,
                                                  &c.val };
    SBinary b = { cb, (LPBYTE)eid };
    c.scope = (ENTRYLIST){ 1, &b };
    unsigned long half = count / 2;
    c.expect = (ULONG)((half + 9) / 10 + (count - half + 9) / 10);
    char name[160];
    c.flags = RECURSIVE_SEARCH | RESTART_SEARCH;
    snprintf(name, sizeof name, "%lu messages: SetSearchCriteria + result count, running",
             count);
    bench_report(name, bench_median(build_run, &c, 5) * 1e3, "ms");
    snprintf(name, sizeof name, "%lu messages: SetSearchCriteria(STATIC) + frozen count", count);
    c.flags = RECURSIVE_SEARCH | STATIC_SEARCH;
    bench_report(name, bench_median(build_run, &c, 5) * 1e3, "ms");
    c.flags = RECURSIVE_SEARCH | RESTART_SEARCH;
    build_run(&c);
    snprintf(name, sizeof name, "%lu messages: running search, first page by delivery time",
             count);
    bench_report(name, bench_median(page_run, &c, 5) * 1e3, "ms");
    raw r = { path, (long)c.expect };
    snprintf(name, sizeof name, "%lu messages: reference, raw SQLite count of the same rows",
             count);
    bench_report(name, bench_median(raw_run, &r, 5) * 1e3, "ms");
    IMAPIFolder_Release(c.search);
    IMAPIFolder_Release(finder);
    IMAPIFolder_Release(sub);
    IMAPIFolder_Release(inbox);
    MAPIFreeBuffer(eid);
    IMsgStore_Release(mdb);
    MAPIUninitialize();
    if (!keep)
        unlink(path);
    return 0;
}
