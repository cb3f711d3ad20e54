/*
 * bench/bench_pst.c - PST export and import of a mailbox of N messages of
 * about 10 KB (a text body; one in ten with a 10 KB attachment), each phase
 * in its own process so that its peak RSS is its own:
 *
 *   bench_pst --build STORE [--count N]   fills a new store's Inbox
 *   bench_pst --export STORE PST           fmapi_pst_export of the mailbox
 *   bench_pst --import PST STORE           fmapi_pst_import into a new store
 *
 * Each prints "name: value unit" lines (messages per second, peak RSS, file
 * size). bench/bench_pst.sh runs the three and readpst over the same file
 * in the same run, the reference BENCHMARKS.md compares with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "freemapi.h"
#include "freemapi_message.h"
#include "freemapi_pst.h"
#include "freemapi_store.h"
#include "harness.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"

static void die(const char *what, HRESULT hr)
{
    fprintf(stderr, "bench_pst: %s failed: 0x%08lx %s\n", what, (unsigned long)hr,
            fmapi_last_error());
    exit(1);
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* CPU seconds of this process (user + system): a figure the load of other
 * processes on the machine does not change, beside the wall-clock rate. */
static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static LPMAPIFOLDER inbox_of(LPMDB mdb)
{
    ULONG cb = 0, type;
    LPENTRYID eid = NULL;
    LPMAPIFOLDER f = NULL;
    HRESULT hr = IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL);
    if (hr == S_OK)
        hr = IMsgStore_OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&f);
    if (hr != S_OK)
        die("opening the Inbox", hr);
    MAPIFreeBuffer(eid);
    return f;
}

static void build(const char *path, unsigned long count)
{
    static const char words[] = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do "
                                "eiusmod tempor incididunt ut labore et dolore magna aliqua\r\n";
    char *body = malloc(10241), subject[64], sender[64];
    for (size_t i = 0; i < 10240; i++)
        body[i] = words[i % (sizeof words - 1)];
    body[10240] = 0;
    uint8_t *att = malloc(10240);
    for (size_t i = 0; i < 10240; i++)
        att[i] = (uint8_t)(i * 7 + 3);
    unlink(path);
    LPMDB mdb = NULL;
    HRESULT hr = fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb);
    if (hr != S_OK)
        die("creating the store", hr);
    LPMAPIFOLDER inbox = inbox_of(mdb);
    double t0 = bench_now();
    LPMESSAGE group[100];
    ULONG n = 0;
    for (unsigned long i = 0; i < count; i++) {
        LPMESSAGE m = NULL;
        hr = IMAPIFolder_CreateMessage(inbox, NULL, 0, &m);
        snprintf(subject, sizeof subject, "Benchmark message %lu", i);
        snprintf(sender, sizeof sender, "sender%lu@example.com", i % 100);
        SPropValue v[5];
        v[0].ulPropTag = PR_SUBJECT_A;
        v[0].Value.lpszA = subject;
        v[1].ulPropTag = PR_BODY_A;
        v[1].Value.lpszA = body;
        v[2].ulPropTag = PR_MESSAGE_CLASS_A;
        v[2].Value.lpszA = "IPM.Note";
        v[3].ulPropTag = PR_SENDER_EMAIL_ADDRESS_A;
        v[3].Value.lpszA = sender;
        v[4].ulPropTag = PR_SENDER_NAME_A;
        v[4].Value.lpszA = sender;
        if (hr == S_OK)
            hr = IMessage_SetProps(m, 5, v, NULL);
        if (hr == S_OK && i % 10 == 0) {
            LPATTACH a = NULL;
            ULONG num;
            hr = IMessage_CreateAttach(m, NULL, 0, &num, &a);
            SPropValue av[3];
            av[0].ulPropTag = PR_ATTACH_METHOD;
            av[0].Value.l = ATTACH_BY_VALUE;
            av[1].ulPropTag = PR_ATTACH_LONG_FILENAME_A;
            av[1].Value.lpszA = "data.bin";
            av[2].ulPropTag = PR_ATTACH_DATA_BIN;
            av[2].Value.bin.cb = 10240;
            av[2].Value.bin.lpb = att;
            if (hr == S_OK)
                hr = IAttach_SetProps(a, 3, av, NULL);
            if (hr == S_OK)
                hr = IAttach_SaveChanges(a, 0);
            if (a != NULL)
                IAttach_Release(a);
        }
        if (hr != S_OK)
            die("making a message", hr);
        group[n++] = m;
        if (n == 100 || i + 1 == count) {
            hr = fmapi_message_save_group(n, group, 0);
            if (hr != S_OK)
                die("saving messages", hr);
            for (ULONG k = 0; k < n; k++)
                IMessage_Release(group[k]);
            n = 0;
        }
    }
    double t = bench_now() - t0;
    bench_report("build messages/s", (double)count / t, "msg/s");
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    free(body);
    free(att);
}

static void do_export(const char *store, const char *pst)
{
    LPMDB mdb = NULL;
    HRESULT hr = fmapi_store_open(store, 0, &mdb);
    if (hr != S_OK)
        die("opening the store", hr);
    fmapi_pst_stats st;
    double t0 = bench_now(), c0 = cpu_seconds();
    hr = fmapi_pst_export(mdb, pst, NULL, &st);
    double t = bench_now() - t0, c = cpu_seconds() - c0;
    if (hr != S_OK)
        die("exporting", hr);
    struct stat sb;
    stat(pst, &sb);
    bench_report("export messages", (double)st.messages, "messages");
    bench_report("export messages/s", (double)st.messages / t, "msg/s");
    bench_report("export seconds", t, "s");
    bench_report("export CPU seconds", c, "s");
    bench_report("export messages per CPU second", (double)st.messages / c, "msg/s");
    bench_report("export PST size", (double)sb.st_size / 1048576.0, "MiB");
    bench_report("export peak RSS", peak_rss_mb(), "MiB");
    IMsgStore_Release(mdb);
}

static void do_import(const char *pst, const char *store)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s-wal' '%s-shm' '%s-streams'", store, store, store,
             store);
    if (system(cmd) != 0)
        die("removing the old store", MAPI_E_CALL_FAILED);
    LPMDB mdb = NULL;
    HRESULT hr = fmapi_store_open(store, FMAPI_STORE_CREATE, &mdb);
    if (hr != S_OK)
        die("creating the store", hr);
    fmapi_pst_stats st;
    double t0 = bench_now(), c0 = cpu_seconds();
    hr = fmapi_pst_import(mdb, pst, NULL, &st);
    double t = bench_now() - t0, c = cpu_seconds() - c0;
    if (hr != S_OK)
        die("importing", hr);
    bench_report("import messages", (double)st.messages, "messages");
    bench_report("import messages/s", (double)st.messages / t, "msg/s");
    bench_report("import seconds", t, "s");
    bench_report("import CPU seconds", c, "s");
    bench_report("import messages per CPU second", (double)st.messages / c, "msg/s");
    bench_report("import peak RSS", peak_rss_mb(), "MiB");
    IMsgStore_Release(mdb);
}

int main(int argc, char **argv)
{
    unsigned long count = 100000;
    bench_print_command(argc, argv);
    if (MAPIInitialize(NULL) != S_OK)
        return 1;
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--count") == 0)
            count = strtoul(argv[i + 1], NULL, 10);
    if (argc >= 3 && strcmp(argv[1], "--build") == 0)
        build(argv[2], count);
    else if (argc >= 4 && strcmp(argv[1], "--export") == 0)
        do_export(argv[2], argv[3]);
    else if (argc >= 4 && strcmp(argv[1], "--import") == 0)
        do_import(argv[2], argv[3]);
    else {
        fprintf(stderr, "usage: bench_pst --build STORE [--count N] | --export STORE PST | "
                        "--import PST STORE\n");
        return 2;
    }
    MAPIUninitialize();
    return 0;
}
