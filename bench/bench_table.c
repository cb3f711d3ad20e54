/*
 * bench/bench_table.c - contents tables at scale: a folder of N messages
 * (default 1,000,000) and one of M (default 100,000), built through the
 * store API, then:
 *   1. SortTable(PR_MESSAGE_DELIVERY_TIME descending) + QueryRows(50): the
 *      first page, on a freshly opened table (median of 5);
 *   2. the pages after it: 200 more QueryRows(50) (median and slowest), and
 *      a page read after SeekRow to the middle of the folder;
 *   3. memory held by an open table that has read one page (allocator live
 *      bytes and RSS growth);
 *   4. Restrict(RES_CONTENT PR_SUBJECT, FL_SUBSTRING | FL_IGNORECASE,
 *      "budget") + GetRowCount on both folders, against raw SQLite counting
 *      the same rows on the same file (subject LIKE '%budget%', which is
 *      case-insensitive for ASCII);
 *   5. a view categorized by PR_SENDER_NAME (all collapsed) over the M
 *      folder: SortTable + the first QueryRows.
 *
 * Usage: bench_table [--count N] [--categ M] [--dir DIR] [--keep]
 *   --keep reuses DIR/bench_table.fmstore when it exists (it is slow to build).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "freemapi.h"
#include "freemapi_alloc.h"
#include "freemapi_store.h"
#include "harness.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"

static unsigned long count = 1000000, categ = 100000;
static const char *dir = "/tmp";
static int keep = 0;

static void die(const char *what, HRESULT hr)
{
    fprintf(stderr, "bench_table: %s failed: 0x%08lx %s\n", what, (unsigned long)hr,
            fmapi_last_error());
    exit(1);
}

static void check(HRESULT hr, const char *what)
{
    if (FAILED(hr))
        die(what, hr);
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, res = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2)
            res = 0;
        fclose(f);
    }
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}

static void fill(LPMAPIFOLDER f, unsigned long n, unsigned long salt)
{
    char subject[64], sender[32];
    for (unsigned long i = 0; i < n; i++) {
        LPMESSAGE m = NULL;
        check(IMAPIFolder_CreateMessage(f, NULL, 0, &m), "CreateMessage");
        snprintf(subject, sizeof subject, "%s %lu", i % 10 == 0 ? "Budget review" : "message",
                 i);
        snprintf(sender, sizeof sender, "Sender %lu", (i * 7 + salt) % 500);
        uint64_t t = 130000000000000000ull + ((i * 7919) % n) * 10000000ull;
        SPropValue v[4] = { { .ulPropTag = PR_SUBJECT_A }, { .ulPropTag = PR_SENDER_NAME_A },
                            { .ulPropTag = PR_MESSAGE_DELIVERY_TIME },
                            { .ulPropTag = PR_MESSAGE_FLAGS } };
        v[0].Value.lpszA = subject;
        v[1].Value.lpszA = sender;
        v[2].Value.ft.dwLowDateTime = (DWORD)t;
        v[2].Value.ft.dwHighDateTime = (DWORD)(t >> 32);
        v[3].Value.l = (i % 3) ? MSGFLAG_READ : 0;
        check(IMessage_SetProps(m, 4, v, NULL), "SetProps");
        check(IMessage_SaveChanges(m, 0), "SaveChanges");
        IMessage_Release(m);
        if (i && i % 100000 == 0)
            fprintf(stderr, "  %lu messages\n", i);
    }
}

static LPMAPIFOLDER open_or_create(LPMAPIFOLDER parent, const char *name)
{
    LPMAPIFOLDER f = NULL;
    check(IMAPIFolder_CreateFolder(parent, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL,
                                   OPEN_IF_EXISTS | MAPI_DEFERRED_ERRORS, &f),
          "CreateFolder");
    return f;
}

static ULONG folder_count(LPMAPIFOLDER f)
{
    LPSPropValue v = NULL;
    check(HrGetOneProp((LPMAPIPROP)f, PR_CONTENT_COUNT, &v), "PR_CONTENT_COUNT");
    ULONG n = (ULONG)v->Value.l;
    MAPIFreeBuffer(v);
    return n;
}

static LPMAPITABLE sorted_table(LPMAPIFOLDER f)
{
    LPMAPITABLE t = NULL;
    check(IMAPIFolder_GetContentsTable(f, 0, &t), "GetContentsTable");
    SizedSPropTagArray(6, cols) = { 6, { PR_ENTRYID, PR_SUBJECT_A, PR_SENDER_NAME_A,
                                         PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_FLAGS,
                                         PR_MESSAGE_SIZE } };
    check(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), "SetColumns");
    SizedSSortOrderSet(1, s) = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    check(IMAPITable_SortTable(t, (LPSSortOrderSet)&s, 0), "SortTable");
    return t;
}

static double page(LPMAPITABLE t)
{
    double t0 = bench_now();
    LPSRowSet rows = NULL;
    check(IMAPITable_QueryRows(t, 50, 0, &rows), "QueryRows");
    double dt = bench_now() - t0;
    if (rows->cRows != 50) {
        fprintf(stderr, "bench_table: a page had %u rows\n", (unsigned)rows->cRows);
        exit(1);
    }
    FreeProws(rows);
    return dt;
}

static double first_page_run(void *ctx)
{
    double t0 = bench_now();
    LPMAPITABLE t = sorted_table((LPMAPIFOLDER)ctx);
    page(t);
    double dt = bench_now() - t0;
    IMAPITable_Release(t);
    return dt;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void later_pages(LPMAPIFOLDER f, const char *label)
{
    LPMAPITABLE t = sorted_table(f);
    page(t);
    double d[200];
    for (int i = 0; i < 200; i++)
        d[i] = page(t);
    qsort(d, 200, sizeof d[0], cmp_double);
    char name[128];
    snprintf(name, sizeof name, "%s: later pages, median", label);
    bench_report(name, d[100] * 1e3, "ms");
    snprintf(name, sizeof name, "%s: later pages, slowest of 200", label);
    bench_report(name, d[199] * 1e3, "ms");
    double t0 = bench_now();
    check(IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, (LONG)(folder_count(f) / 2), NULL),
          "SeekRow");
    snprintf(name, sizeof name, "%s: SeekRow to the middle", label);
    bench_report(name, (bench_now() - t0) * 1e3, "ms");
    snprintf(name, sizeof name, "%s: the page after it", label);
    bench_report(name, page(t) * 1e3, "ms");
    IMAPITable_Release(t);
}

static void memory(LPMAPIFOLDER f, const char *label)
{
    fmapi_alloc_stats a, b;
    fmapi_alloc_get_stats(&a);
    long r0 = rss_kb();
    LPMAPITABLE t = sorted_table(f);
    page(t);
    fmapi_alloc_get_stats(&b);
    long r1 = rss_kb();
    char name[128];
    snprintf(name, sizeof name, "%s: table + one page, allocator growth", label);
    bench_report(name, (double)(b.live_bytes - a.live_bytes) / 1048576.0, "MiB");
    snprintf(name, sizeof name, "%s: table + one page, RSS growth", label);
    bench_report(name, (double)(r1 - r0) / 1024.0, "MiB");
    IMAPITable_Release(t);
}

static LONG folder_fid_count(const char *path, const char *folder, int like)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    LONG n = -1;
    const char *sql =
        like ? "SELECT count(*) FROM messages m WHERE m.fid = (SELECT fid FROM folders "
               "WHERE display_name = ?1) AND m.assoc = 0 AND m.deleted_at IS NULL AND "
               "m.subject LIKE '%budget%'"
             : "SELECT 1";
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, folder, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void restrict_count(LPMAPIFOLDER f, const char *path, const char *folder,
                           const char *label)
{
    LPMAPITABLE t = NULL;
    check(IMAPIFolder_GetContentsTable(f, 0, &t), "GetContentsTable");
    SPropValue needle = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "budget" };
    SRestriction r = { .rt = RES_CONTENT };
    r.res.resContent.ulFuzzyLevel = FL_SUBSTRING | FL_IGNORECASE;
    r.res.resContent.ulPropTag = PR_SUBJECT_A;
    r.res.resContent.lpProp = &needle;
    double t0 = bench_now();
    check(IMAPITable_Restrict(t, &r, 0), "Restrict");
    ULONG n = 0;
    check(IMAPITable_GetRowCount(t, 0, &n), "GetRowCount");
    double dt = bench_now() - t0;
    IMAPITable_Release(t);
    t0 = bench_now();
    LONG ref = folder_fid_count(path, folder, 1);
    double dref = bench_now() - t0;
    if (ref != (LONG)n) {
        fprintf(stderr, "bench_table: %s: table counted %lu, SQLite %ld\n", label,
                (unsigned long)n, (long)ref);
        exit(1);
    }
    char name[128];
    snprintf(name, sizeof name, "%s: Restrict + GetRowCount (%lu rows)", label, (unsigned long)n);
    bench_report(name, dt * 1e3, "ms");
    snprintf(name, sizeof name, "%s: reference, raw SQLite count with LIKE", label);
    bench_report(name, dref * 1e3, "ms");
}

static double categorized_run(void *ctx)
{
    LPMAPITABLE t = NULL;
    double t0 = bench_now();
    LPMAPIFOLDER f = ctx;
    check(IMAPIFolder_GetContentsTable(f, 0, &t), "GetContentsTable");
    SizedSPropTagArray(4, cols) = { 4, { PR_SENDER_NAME_A, PR_CONTENT_COUNT, PR_CONTENT_UNREAD,
                                         PR_ROW_TYPE } };
    check(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), "SetColumns");
    SizedSSortOrderSet(2, s) = { 2, 1, 0, { { PR_SENDER_NAME_A, TABLE_SORT_ASCEND },
                                            { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    check(IMAPITable_SortTable(t, (LPSSortOrderSet)&s, 0), "SortTable");
    LPSRowSet rows = NULL;
    check(IMAPITable_QueryRows(t, 50, 0, &rows), "QueryRows");
    double dt = bench_now() - t0;
    if (rows->cRows != 50 || rows->aRow[0].lpProps[3].Value.l != TBL_COLLAPSED_CATEGORY) {
        fprintf(stderr, "bench_table: the categorized view is wrong\n");
        exit(1);
    }
    FreeProws(rows);
    IMAPITable_Release(t);
    return dt;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--count") && i + 1 < argc)
            count = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--categ") && i + 1 < argc)
            categ = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
            dir = argv[++i];
        else if (!strcmp(argv[i], "--keep"))
            keep = 1;
        else {
            fprintf(stderr, "usage: bench_table [--count N] [--categ M] [--dir DIR] [--keep]\n");
            return 2;
        }
    }
    bench_print_command(argc, argv);
    char path[512];
    snprintf(path, sizeof path, "%s/bench_table.fmstore", dir);
    if (!keep)
        unlink(path);
    LPMDB mdb = NULL;
    check(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), "fmapi_store_open");
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0;
    check(IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL), "GetReceiveFolder");
    LPMAPIFOLDER inbox = NULL;
    check(IMsgStore_OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&inbox),
          "OpenEntry");
    MAPIFreeBuffer(eid);
    LPMAPIFOLDER big = open_or_create(inbox, "Big"), small = open_or_create(inbox, "Categ");
    double t0 = bench_now();
    if (folder_count(big) < count)
        fill(big, count - folder_count(big), 0);
    if (folder_count(small) < categ)
        fill(small, categ - folder_count(small), 3);
    fprintf(stderr, "  folders ready in %.1f s\n", bench_now() - t0);
    bench_report("messages in the big folder", folder_count(big), "");
    bench_report("messages in the categorized folder", folder_count(small), "");

    bench_report("big: open + SortTable + first QueryRows(50), median of 5",
                 bench_median(first_page_run, big, 5) * 1e3, "ms");
    later_pages(big, "big");
    memory(big, "big");
    restrict_count(small, path, "Categ", "categ folder");
    restrict_count(big, path, "Big", "big folder");
    bench_report("categ folder: categorized by sender, SortTable + first QueryRows, median of 3",
                 bench_median(categorized_run, small, 3) * 1e3, "ms");

    IMAPIFolder_Release(small);
    IMAPIFolder_Release(big);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    return 0;
}
