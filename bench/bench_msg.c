/*
 * bench/bench_msg.c - .msg files out of and into a store: a fresh store's
 * Inbox gets N messages of about 10 KB (subject, sender, two recipients,
 * a ~10 KB body; every tenth with a 40 KB attachment), every one is written
 * to DIR/bench_msg/NNNNNN.msg with fmapi_msg_save (OpenEntry, save), and
 * every file is read back into another folder with fmapi_msg_import.
 * Figures: messages per second each way (wall time, and CPU time: every
 * file is synced with its directory before fmapi_msg_save returns, so the
 * wall time is mostly the disk's) and peak RSS after each phase.
 * References in the same run: the store alone creating the same messages
 * (the ceiling of the import), and msgconvert (Debian's Perl reader of
 * .msg files) converting a sample of the same files, when it is installed.
 *
 * Usage: bench_msg [--count N] [--dir DIR] [--sample K]
 *        (defaults: 10000, /tmp, 500)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "freemapi.h"
#include "freemapi_msg.h"
#include "freemapi_store.h"
#include "harness.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"

static unsigned long count = 10000, sample = 500;
static const char *dir = "/tmp";

static void die(const char *what, HRESULT hr)
{
    fprintf(stderr, "bench_msg: %s failed: 0x%08lx %s\n", what, (unsigned long)hr,
            fmapi_last_error());
    exit(1);
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* User + system CPU seconds of this process so far. */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static LPMAPIFOLDER inbox(LPMDB mdb)
{
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0;
    LPMAPIFOLDER f = NULL;
    HRESULT hr = IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL);
    if (hr == S_OK)
        hr = IMsgStore_OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&f);
    if (hr != S_OK)
        die("open Inbox", hr);
    MAPIFreeBuffer(eid);
    return f;
}

static void remove_store(const char *path)
{
    char side[1100];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static LPMDB new_store(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    remove_store(path);
    LPMDB mdb = NULL;
    HRESULT hr = fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb);
    if (hr != S_OK)
        die("store open", hr);
    return mdb;
}

static void recipients(LPMESSAGE m, unsigned long i)
{
    char name[2][64], addr[2][64];
    SPropValue v[2][4];
    ADRENTRY e[2];
    for (int k = 0; k < 2; k++) {
        snprintf(name[k], sizeof name[k], "Recipient %lu", i * 2 + (unsigned long)k);
        snprintf(addr[k], sizeof addr[k], "rcpt%lu@example.com", i * 2 + (unsigned long)k);
        v[k][0].ulPropTag = PR_RECIPIENT_TYPE;
        v[k][0].Value.l = k == 0 ? MAPI_TO : MAPI_CC;
        v[k][1].ulPropTag = PR_DISPLAY_NAME_A;
        v[k][1].Value.lpszA = name[k];
        v[k][2].ulPropTag = PR_ADDRTYPE_A;
        v[k][2].Value.lpszA = "SMTP";
        v[k][3].ulPropTag = PR_EMAIL_ADDRESS_A;
        v[k][3].Value.lpszA = addr[k];
        e[k].ulReserved1 = 0;
        e[k].cValues = 4;
        e[k].rgPropVals = v[k];
    }
    LPADRLIST list = NULL;
    HRESULT hr = MAPIAllocateBuffer(CbNewADRLIST(2), (LPVOID *)&list);
    if (hr != S_OK)
        die("recipient list", hr);
    list->cEntries = 2;
    memcpy(list->aEntries, e, sizeof e);
    if ((hr = IMessage_ModifyRecipients(m, MODRECIP_ADD, list)) != S_OK)
        die("ModifyRecipients", hr);
    MAPIFreeBuffer(list);
}

static void attachment(LPMESSAGE m, unsigned long i)
{
    static unsigned char bin[40960];
    for (size_t k = 0; k < sizeof bin; k++)
        bin[k] = (unsigned char)((k * 2654435761u + i) >> 13);
    char name[32];
    snprintf(name, sizeof name, "data%lu.bin", i);
    LPATTACH a = NULL;
    ULONG num = 0;
    HRESULT hr = IMessage_CreateAttach(m, NULL, 0, &num, &a);
    if (hr != S_OK)
        die("CreateAttach", hr);
    SPropValue v[3] = { { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_BY_VALUE },
                        { .ulPropTag = PR_ATTACH_LONG_FILENAME_A, .Value.lpszA = name },
                        { .ulPropTag = PR_ATTACH_DATA_BIN,
                          .Value.bin = { sizeof bin, bin } } };
    if ((hr = IAttach_SetProps(a, 3, v, NULL)) != S_OK || (hr = IAttach_SaveChanges(a, 0)) != S_OK)
        die("attachment", hr);
    IAttach_Release(a);
}

/* The store alone: N messages of the kind the files hold, created and saved. */
static void fill(LPMAPIFOLDER f)
{
    static char body[10241];
    for (size_t k = 0; k < sizeof body - 1; k++)
        body[k] = (k % 72 == 71) ? '\n' : "lorem ipsum dolor sit amet "[k % 27];
    for (unsigned long i = 0; i < count; i++) {
        LPMESSAGE m = NULL;
        HRESULT hr = IMAPIFolder_CreateMessage(f, NULL, 0, &m);
        if (hr != S_OK)
            die("CreateMessage", hr);
        char subject[80], sender[40];
        snprintf(subject, sizeof subject, "Message number %lu about the quarterly figures", i);
        snprintf(sender, sizeof sender, "Sender %lu", i);
        SPropValue v[4] = { { .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = "IPM.Note" },
                            { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = subject },
                            { .ulPropTag = PR_SENDER_NAME_A, .Value.lpszA = sender },
                            { .ulPropTag = PR_BODY_A, .Value.lpszA = body } };
        if ((hr = IMessage_SetProps(m, 4, v, NULL)) != S_OK)
            die("SetProps", hr);
        recipients(m, i);
        if (i % 10 == 9)
            attachment(m, i);
        if ((hr = IMessage_SaveChanges(m, 0)) != S_OK)
            die("SaveChanges", hr);
        IMessage_Release(m);
    }
}

static unsigned long save_all(LPMDB mdb, LPMAPIFOLDER f, const char *out)
{
    LPMAPITABLE t = NULL;
    HRESULT hr = IMAPIFolder_GetContentsTable(f, 0, &t);
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    if (hr == S_OK)
        hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    if (hr != S_OK)
        die("contents table", hr);
    unsigned long n = 0;
    for (;;) {
        LPSRowSet rows = NULL;
        if ((hr = IMAPITable_QueryRows(t, 500, 0, &rows)) != S_OK)
            die("QueryRows", hr);
        if (rows->cRows == 0) {
            FreeProws(rows);
            break;
        }
        for (ULONG i = 0; i < rows->cRows; i++) {
            SBinary *eid = &rows->aRow[i].lpProps[0].Value.bin;
            ULONG type = 0;
            LPMESSAGE m = NULL;
            if ((hr = IMsgStore_OpenEntry(mdb, eid->cb, (LPENTRYID)eid->lpb, NULL, 0, &type,
                                          (LPUNKNOWN *)&m)) != S_OK)
                die("OpenEntry", hr);
            char path[1200];
            snprintf(path, sizeof path, "%s/%06lu.msg", out, ++n);
            if ((hr = fmapi_msg_save(m, path, FMAPI_MSG_REPLACE)) != S_OK)
                die("fmapi_msg_save", hr);
            IMessage_Release(m);
        }
        FreeProws(rows);
    }
    IMAPITable_Release(t);
    return n;
}

static void import_all(LPMAPIFOLDER f, const char *out, unsigned long n)
{
    for (unsigned long i = 1; i <= n; i++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/%06lu.msg", out, i);
        HRESULT hr = fmapi_msg_import(f, path, 0, NULL);
        if (hr != S_OK)
            die("fmapi_msg_import", hr);
    }
}

/* msgconvert over the first k files, in one process per 100 files. */
static double msgconvert_rate(const char *out, unsigned long k)
{
    if (access("/usr/bin/msgconvert", X_OK) != 0)
        return 0;
    double t = bench_now();
    for (unsigned long first = 1; first <= k; first += 100) {
        char cmd[8192];
        int len = snprintf(cmd, sizeof cmd, "cd '%s' && /usr/bin/msgconvert", out);
        for (unsigned long i = first; i < first + 100 && i <= k; i++)
            len += snprintf(cmd + len, sizeof cmd - (size_t)len, " %06lu.msg", i);
        snprintf(cmd + len, sizeof cmd - (size_t)len, " >/dev/null 2>&1");
        if (system(cmd) != 0)
            die("msgconvert", MAPI_E_CALL_FAILED);
    }
    return (double)k / (bench_now() - t);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
            count = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--sample") == 0 && i + 1 < argc)
            sample = strtoul(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: bench_msg [--count N] [--dir DIR] [--sample K]\n");
            return 2;
        }
    }
    bench_print_command(argc, argv);
    char out[1024];
    snprintf(out, sizeof out, "%s/bench_msg", dir);
    if (mkdir(out, 0700) != 0 && errno != EEXIST)
        die("mkdir", MAPI_E_CALL_FAILED);

    LPMDB mdb = new_store("bench_msg.fmstore");
    LPMAPIFOLDER f = inbox(mdb);
    double t = bench_now();
    fill(f);
    t = bench_now() - t;
    bench_report("messages", (double)count, "");
    bench_report("reference: store alone, create + 2 recipients + 10% attachments + save",
                 (double)count / t, "msg/s");
    bench_report("peak RSS after filling the store", peak_rss_mb(), "MB");

    t = bench_now();
    double c = cpu_s();
    unsigned long n = save_all(mdb, f, out);
    t = bench_now() - t;
    c = cpu_s() - c;
    if (n != count)
        die("save: wrong message count", MAPI_E_CALL_FAILED);
    bench_report("export: OpenEntry + fmapi_msg_save", (double)n / t, "msg/s");
    bench_report("export per CPU second", (double)n / c, "msg/s");
    bench_report("peak RSS after the export", peak_rss_mb(), "MB");

    LPMAPIFOLDER back = NULL;
    HRESULT hr = IMAPIFolder_CreateFolder(f, FOLDER_GENERIC, (LPTSTR) "Back", NULL, NULL, 0, &back);
    if (hr != S_OK)
        die("CreateFolder", hr);
    t = bench_now();
    c = cpu_s();
    import_all(back, out, n);
    t = bench_now() - t;
    c = cpu_s() - c;
    bench_report("import: fmapi_msg_import (read + save)", (double)n / t, "msg/s");
    bench_report("import per CPU second", (double)n / c, "msg/s");
    bench_report("peak RSS after the import", peak_rss_mb(), "MB");

    unsigned long k = sample < n ? sample : n;
    double rate = msgconvert_rate(out, k);
    if (rate > 0)
        bench_report("reference: msgconvert converting the first files to .eml", rate, "msg/s");

    IMAPIFolder_Release(back);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
    char path[1200];
    for (unsigned long i = 1; i <= n; i++) {
        snprintf(path, sizeof path, "%s/%06lu.msg", out, i);
        unlink(path);
        snprintf(path, sizeof path, "%s/%06lu.eml", out, i);
        unlink(path);
    }
    rmdir(out);
    snprintf(path, sizeof path, "%s/bench_msg.fmstore", dir);
    remove_store(path);
    return 0;
}
