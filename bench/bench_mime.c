/*
 * bench/bench_mime.c - MIME import and export through the store: an mbox of
 * N generated messages of about 10 KB (a mix of plain text, text + HTML,
 * and text with a binary attachment) is imported message by message into a
 * fresh store's Inbox (create, fmapi_mime_import_buffer, SaveChanges), and
 * again into another fresh store saving groups of 100 with
 * fmapi_message_save_group (as `mapi import` does), then
 * the folder is exported back to an mbox (OpenEntry, convert, write).
 * References in the same run: GMime alone parsing the same mbox (each
 * message parsed and every part decoded), and the store alone saving N
 * messages with the same text (SetProps of subject and body, SaveChanges):
 * the ceiling the import cannot pass. The import is also timed without
 * SaveChanges and the export without writing, to split conversion from
 * store and file costs. Peak RSS is printed after each phase.
 *
 * Usage: bench_mime [--count N] [--dir DIR]   (defaults: 100000, /tmp)
 *        bench_mime [--count N] --generate MBOX   (only writes the mailbox)
 *        bench_mime --gmime MBOX   (only the GMime reference, over MBOX)
 *        bench_mime --large MB [--dir DIR]   (one message with an attachment of
 *            MB megabytes: written to a file, imported from its descriptor into
 *            a fresh store, exported to a file; rates and peak RSS, with the
 *            reference of copying the file once)
 */
#include <fcntl.h>
#include <gmime/gmime.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "freemapi.h"
#include "freemapi_message.h"
#include "freemapi_mime.h"
#include "freemapi_store.h"
#include "harness.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"

static unsigned long count = 100000;
static const char *dir = "/tmp";

static void die(const char *what, HRESULT hr)
{
    fprintf(stderr, "bench_mime: %s failed: 0x%08lx %s / %s\n", what, (unsigned long)hr,
            fmapi_mime_last_error(), fmapi_last_error());
    exit(1);
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* ---- the generated mailbox ------------------------------------------------- */
static const char WORDS[] = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do "
                            "eiusmod tempor incididunt ut labore et dolore magna aliqua ";

/* About n bytes of text lines, varying with seed. */
static void text(GString *s, size_t n, unsigned seed)
{
    size_t start = s->len;
    size_t w = seed % 40;
    while (s->len - start < n) {
        for (int i = 0; i < 70; i++)
            g_string_append_c(s, WORDS[(w + (size_t)i) % (sizeof WORDS - 1)]);
        g_string_append(s, "\r\n");
        w += 7;
    }
}

static void message(GString *s, unsigned long i)
{
    g_string_truncate(s, 0);
    g_string_append_printf(s,
                           "Received: from mx%lu.example.org by mail.example.com; "
                           "Tue, 3 Jan 2023 10:%02lu:00 +0000\r\n"
                           "From: \"Sender %lu\" <sender%lu@example.org>\r\n"
                           "To: Recipient <rcpt%lu@example.com>, other@example.com\r\n"
                           "Cc: cc%lu@example.net\r\n"
                           "Subject: Message number %lu about the quarterly figures\r\n"
                           "Date: Tue, 3 Jan 2023 09:%02lu:00 +0000\r\n"
                           "Message-ID: <%lu@bench.example.org>\r\n"
                           "MIME-Version: 1.0\r\n",
                           i % 100, i % 60, i, i % 1000, i % 500, i % 300, i, i % 60, i);
    switch (i % 10) {
    case 0: case 1: case 2: case 3: case 4: /* plain */
        g_string_append(s, "Content-Type: text/plain; charset=utf-8\r\n\r\n");
        text(s, 9500, (unsigned)i);
        break;
    case 5: case 6: case 7: /* text + HTML */
        g_string_append(s, "Content-Type: multipart/alternative; boundary=\"ALT\"\r\n\r\n"
                           "--ALT\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
        text(s, 4000, (unsigned)i);
        g_string_append(s, "\r\n--ALT\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                           "<html><body><p>\r\n");
        text(s, 4800, (unsigned)i + 3);
        g_string_append(s, "</p></body></html>\r\n--ALT--\r\n");
        break;
    default: { /* text + a binary attachment */
        g_string_append(s, "Content-Type: multipart/mixed; boundary=\"MIX\"\r\n\r\n"
                           "--MIX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
        text(s, 3000, (unsigned)i);
        g_string_append_printf(s, "\r\n--MIX\r\nContent-Type: application/octet-stream\r\n"
                                  "Content-Transfer-Encoding: base64\r\n"
                                  "Content-Disposition: attachment; filename=\"data%lu.bin\"\r\n\r\n",
                               i);
        unsigned char bin[4800];
        for (size_t k = 0; k < sizeof bin; k++)
            bin[k] = (unsigned char)((k * 2654435761u + i) >> 13);
        gchar *b64 = g_base64_encode(bin, sizeof bin);
        size_t len = strlen(b64);
        for (size_t k = 0; k < len; k += 76) {
            g_string_append_len(s, b64 + k, (gssize)(len - k < 76 ? len - k : 76));
            g_string_append(s, "\r\n");
        }
        g_free(b64);
        g_string_append(s, "--MIX--\r\n");
    }
    }
}

static size_t generate(const char *path)
{
    fmapi_mbox_writer *w = NULL;
    HRESULT hr = fmapi_mbox_writer_open(path, 0, &w);
    if (hr != S_OK)
        die("mbox create", hr);
    GString *s = g_string_new(NULL);
    size_t total = 0;
    for (unsigned long i = 0; i < count; i++) {
        message(s, i);
        total += s->len;
        if ((hr = fmapi_mbox_writer_add(w, s->str, s->len, "bench@example.org", 1672736400)) != S_OK)
            die("mbox add", hr);
    }
    g_string_free(s, TRUE);
    if ((hr = fmapi_mbox_writer_close(w)) != S_OK)
        die("mbox close", hr);
    return total;
}

/* ---- GMime alone ------------------------------------------------------------- */
static void decode_all(GMimeObject *parent, GMimeObject *part, gpointer data)
{
    if (!GMIME_IS_PART(part))
        return;
    GMimeDataWrapper *w = g_mime_part_get_content((GMimePart *)part);
    if (w != NULL)
        g_mime_data_wrapper_write_to_stream(w, (GMimeStream *)data);
}

static unsigned long gmime_alone(const char *path)
{
    FILE *f = fopen(path, "rb");
    GMimeStream *s = g_mime_stream_file_new(f);
    GMimeParser *p = g_mime_parser_new_with_stream(s);
    g_mime_parser_set_format(p, GMIME_FORMAT_MBOX);
    GMimeStream *null = g_mime_stream_null_new();
    unsigned long n = 0;
    while (!g_mime_parser_eos(p)) {
        GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
        if (m == NULL)
            break;
        g_mime_message_foreach(m, decode_all, null);
        g_object_unref(m);
        n++;
    }
    g_object_unref(null);
    g_object_unref(p);
    g_object_unref(s);
    return n;
}

/* ---- the store --------------------------------------------------------------- */
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

static LPMDB new_store(const char *name)
{
    char path[1024], side[1100];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    LPMDB mdb = NULL;
    HRESULT hr = fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb);
    if (hr != S_OK)
        die("store open", hr);
    return mdb;
}

/* How import_mbox saves: not at all (the conversion alone), each message
 * with SaveChanges, or GROUP messages at a time with fmapi_message_save_group
 * (as `mapi import` does). */
enum save_mode { SAVE_NONE, SAVE_EACH, SAVE_GROUPS };
#define GROUP 100

static void save_group(LPMESSAGE *held, ULONG *nheld)
{
    HRESULT hr = fmapi_message_save_group(*nheld, held, 0);
    if (hr != S_OK)
        die("fmapi_message_save_group", hr);
    for (ULONG i = 0; i < *nheld; i++)
        IMessage_Release(held[i]);
    *nheld = 0;
}

static unsigned long import_mbox(const char *path, LPMAPIFOLDER f, enum save_mode save)
{
    fmapi_mbox_reader *r = NULL;
    HRESULT hr = fmapi_mbox_open(path, &r);
    if (hr != S_OK)
        die("mbox open", hr);
    fmapi_mailbox_entry e;
    unsigned long n = 0;
    LPMESSAGE held[GROUP];
    ULONG nheld = 0;
    while ((hr = fmapi_mbox_next(r, &e)) == S_OK) {
        LPMESSAGE m = NULL;
        if ((hr = IMAPIFolder_CreateMessage(f, NULL, 0, &m)) != S_OK)
            die("CreateMessage", hr);
        if ((hr = fmapi_mime_import_buffer(e.data, e.len, m, CCSF_SMTP)) != S_OK)
            die("import", hr);
        if (save == SAVE_EACH && (hr = IMessage_SaveChanges(m, 0)) != S_OK)
            die("SaveChanges", hr);
        if (save == SAVE_GROUPS) {
            held[nheld++] = m;
            if (nheld == GROUP)
                save_group(held, &nheld);
        } else {
            IMessage_Release(m);
        }
        n++;
    }
    if (hr != MAPI_E_NOT_FOUND)
        die("mbox next", hr);
    if (nheld > 0)
        save_group(held, &nheld);
    fmapi_mbox_close(r);
    return n;
}

static HRESULT discard(void *ctx, const void *data, size_t len)
{
    return S_OK;
}

/* convert_only: messages are opened and converted, the bytes discarded. */
static unsigned long export_folder(LPMDB mdb, LPMAPIFOLDER f, const char *path, bool convert_only)
{
    fmapi_mbox_writer *w = NULL;
    HRESULT hr = fmapi_mbox_writer_open(path, 0, &w);
    if (hr != S_OK)
        die("mbox create", hr);
    LPMAPITABLE t = NULL;
    if ((hr = IMAPIFolder_GetContentsTable(f, 0, &t)) != S_OK)
        die("contents table", hr);
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    if ((hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0)) != S_OK)
        die("SetColumns", hr);
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
            hr = convert_only ? fmapi_mime_export(m, CCSF_SMTP, discard, NULL)
                              : fmapi_mbox_writer_add_message(w, m, CCSF_SMTP);
            if (hr != S_OK)
                die("export", hr);
            IMessage_Release(m);
            n++;
        }
        FreeProws(rows);
    }
    fmapi_alloc_stats st;
    fmapi_alloc_get_stats(&st);
    bench_report(convert_only ? "freemapi heap at the end of the export (convert only)"
                              : "freemapi heap at the end of the export",
                 (double)st.live_bytes / 1048576.0, "MB");
    IMAPITable_Release(t);
    fmapi_alloc_get_stats(&st);
    bench_report("freemapi heap after releasing the contents table",
                 (double)st.live_bytes / 1048576.0, "MB");
    if ((hr = fmapi_mbox_writer_close(w)) != S_OK)
        die("mbox close", hr);
    return n;
}

/* The store alone: subject + the same ~10 KB of text as body, saved. */
static unsigned long store_alone(LPMAPIFOLDER f)
{
    GString *s = g_string_new(NULL);
    text(s, 9500, 1);
    glong units = 0;
    gunichar2 *body = g_utf8_to_utf16(s->str, -1, NULL, &units, NULL);
    for (unsigned long i = 0; i < count; i++) {
        LPMESSAGE m = NULL;
        HRESULT hr = IMAPIFolder_CreateMessage(f, NULL, 0, &m);
        WCHAR subject[] = { 'b', 'e', 'n', 'c', 'h', 0 };
        SPropValue v[2] = { { .ulPropTag = PR_SUBJECT_W, .Value.lpszW = subject },
                            { .ulPropTag = PR_BODY_W, .Value.lpszW = (LPWSTR)(void *)body } };
        if (hr == S_OK)
            hr = IMessage_SetProps(m, 2, v, NULL);
        if (hr == S_OK)
            hr = IMessage_SaveChanges(m, 0);
        if (hr != S_OK)
            die("store alone", hr);
        IMessage_Release(m);
    }
    g_free(body);
    g_string_free(s, TRUE);
    return count;
}

static void remove_store(const char *name)
{
    char path[1024], side[1100];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* ---- one large message ------------------------------------------------------ */
/* Writes a message with a base64 attachment of mb megabytes (no two lines
 * alike); returns its size. */
static size_t write_large(const char *path, size_t mb)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        die("create the large message", MAPI_E_DISK_ERROR);
    fputs("From: Ada <ada@example.org>\r\nTo: bob@example.org\r\nSubject: large\r\n"
          "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n"
          "--B\r\nContent-Type: text/plain\r\n\r\nThe file is attached.\r\n--B\r\n"
          "Content-Type: application/octet-stream; name=\"large.bin\"\r\n"
          "Content-Transfer-Encoding: base64\r\n"
          "Content-Disposition: attachment; filename=\"large.bin\"\r\n\r\n", f);
    unsigned char raw[57];
    uint64_t x = 42;
    for (size_t done = 0, total = mb * 1024 * 1024; done < total; done += 57) {
        size_t n = total - done < 57 ? total - done : 57;
        for (size_t i = 0; i < n; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            raw[i] = (unsigned char)(x >> 56);
        }
        gchar *b64 = g_base64_encode(raw, n);
        fputs(b64, f);
        fputs("\r\n", f);
        g_free(b64);
    }
    fputs("--B--\r\n", f);
    long size = ftell(f);
    if (fclose(f) != 0)
        die("write the large message", MAPI_E_DISK_ERROR);
    return (size_t)size;
}

/* The reference: reading the file and writing a copy, 1 MB at a time. */
static void copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0)
        die("copy", MAPI_E_DISK_ERROR);
    char *buf = malloc(1 << 20);
    ssize_t n;
    while ((n = read(in, buf, 1 << 20)) > 0) {
        if (write(out, buf, (size_t)n) != n)
            die("copy", MAPI_E_DISK_ERROR);
    }
    free(buf);
    fsync(out);
    close(in);
    close(out);
}

static int large(size_t mb)
{
    g_mime_init();
    char in[1024], out[1024], copy[1024];
    snprintf(in, sizeof in, "%s/bench_mime_large_in.eml", dir);
    snprintf(out, sizeof out, "%s/bench_mime_large_out.eml", dir);
    snprintf(copy, sizeof copy, "%s/bench_mime_large_copy.eml", dir);
    size_t bytes = write_large(in, mb);
    bench_report("attachment", (double)mb, "MB");
    bench_report("message file", (double)bytes / 1048576.0, "MB");
    bench_report("peak RSS after writing it", peak_rss_mb(), "MB");
    double t = bench_now();
    copy_file(in, copy);
    t = bench_now() - t;
    unlink(copy);
    bench_report("reference: copying the file (read + write + fsync)",
                 (double)bytes / 1048576.0 / t, "MB/s");

    LPMDB mdb = new_store("bench_mime_large.fmstore");
    LPMAPIFOLDER f = inbox(mdb);
    LPMESSAGE m = NULL;
    HRESULT hr = IMAPIFolder_CreateMessage(f, NULL, 0, &m);
    double before = peak_rss_mb();
    t = bench_now();
    int fd = open(in, O_RDONLY);
    if (hr == S_OK)
        hr = fmapi_mime_import_fd(fd, m, 0);
    if (hr == S_OK)
        hr = IMessage_SaveChanges(m, KEEP_OPEN_READWRITE);
    t = bench_now() - t;
    close(fd);
    if (hr != S_OK)
        die("large import", hr);
    bench_report("import from the file + SaveChanges", (double)bytes / 1048576.0 / t, "MB/s");
    bench_report("peak RSS after import", peak_rss_mb(), "MB");
    bench_report("peak RSS growth by the import", peak_rss_mb() - before, "MB");

    double mid = peak_rss_mb();
    t = bench_now();
    int ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    hr = fmapi_mime_export_fd(m, 0, ofd);
    if (hr == S_OK && fsync(ofd) != 0)
        hr = MAPI_E_DISK_ERROR;
    close(ofd);
    t = bench_now() - t;
    if (hr != S_OK)
        die("large export", hr);
    struct stat st;
    size_t written = stat(out, &st) == 0 ? (size_t)st.st_size : 0;
    bench_report("export to a file (+ fsync)", (double)written / 1048576.0 / t, "MB/s");
    bench_report("exported file", (double)written / 1048576.0, "MB");
    bench_report("peak RSS after export", peak_rss_mb(), "MB");
    bench_report("peak RSS growth by the export", peak_rss_mb() - mid, "MB");
    IMessage_Release(m);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
    remove_store("bench_mime_large.fmstore");
    unlink(in);
    unlink(out);
    return 0;
}

int main(int argc, char **argv)
{
    const char *only_generate = NULL, *only_gmime = NULL;
    size_t large_mb = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
            count = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--generate") == 0 && i + 1 < argc)
            only_generate = argv[++i];
        else if (strcmp(argv[i], "--gmime") == 0 && i + 1 < argc)
            only_gmime = argv[++i];
        else if (strcmp(argv[i], "--large") == 0 && i + 1 < argc)
            large_mb = strtoul(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: bench_mime [--count N] [--dir DIR]"
                            " [--generate MBOX | --gmime MBOX | --large MB]\n");
            return 2;
        }
    }
    if (large_mb > 0) {
        bench_print_command(argc, argv);
        return large(large_mb);
    }
    if (only_generate != NULL) {
        /* The same mailbox for bench/bench_mapi_tool.sh, and nothing else. */
        size_t bytes = generate(only_generate);
        printf("%s: %lu messages, %zu bytes\n", only_generate, count, bytes);
        return 0;
    }
    if (only_gmime != NULL) {
        /* The reference bench/bench_mapi_tool.sh prints beside the tool. */
        g_mime_init();
        double t0 = bench_now();
        unsigned long n = gmime_alone(only_gmime);
        bench_report("reference: GMime alone parsing + decoding the mbox",
                     (double)n / (bench_now() - t0), "msg/s");
        return 0;
    }
    bench_print_command(argc, argv);
    g_mime_init();
    char in[1024], out[1024];
    snprintf(in, sizeof in, "%s/bench_mime_in.mbox", dir);
    snprintf(out, sizeof out, "%s/bench_mime_out.mbox", dir);

    double t = bench_now();
    size_t bytes = generate(in);
    t = bench_now() - t;
    bench_report("messages", (double)count, "");
    bench_report("average message size", (double)bytes / (double)count, "bytes");
    bench_report("mbox generation", (double)count / t, "msg/s");

    t = bench_now();
    unsigned long n = gmime_alone(in);
    t = bench_now() - t;
    if (n != count)
        die("GMime alone: wrong message count", MAPI_E_CALL_FAILED);
    bench_report("reference: GMime alone parsing + decoding the mbox", (double)n / t, "msg/s");
    bench_report("peak RSS after GMime alone", peak_rss_mb(), "MB");

    LPMDB ref = new_store("bench_mime_ref.fmstore");
    LPMAPIFOLDER rf = inbox(ref);
    t = bench_now();
    n = store_alone(rf);
    t = bench_now() - t;
    bench_report("reference: store alone, create + SetProps(subject, 10 KB body) + save",
                 (double)n / t, "msg/s");
    IMAPIFolder_Release(rf);
    IMsgStore_Release(ref);
    remove_store("bench_mime_ref.fmstore");
    bench_report("peak RSS after store alone", peak_rss_mb(), "MB");

    LPMDB mdb = new_store("bench_mime.fmstore");
    LPMAPIFOLDER f = inbox(mdb);
    t = bench_now();
    n = import_mbox(in, f, SAVE_NONE);
    t = bench_now() - t;
    bench_report("import without saving (read + convert only)", (double)n / t, "msg/s");

    LPMDB gdb = new_store("bench_mime_group.fmstore");
    LPMAPIFOLDER gf = inbox(gdb);
    t = bench_now();
    n = import_mbox(in, gf, SAVE_GROUPS);
    t = bench_now() - t;
    if (n != count)
        die("group import: wrong message count", MAPI_E_CALL_FAILED);
    bench_report("import mbox -> store, group saves of 100 (fmapi_message_save_group)",
                 (double)n / t, "msg/s");
    IMAPIFolder_Release(gf);
    IMsgStore_Release(gdb);
    remove_store("bench_mime_group.fmstore");
    bench_report("peak RSS after group import", peak_rss_mb(), "MB");

    t = bench_now();
    n = import_mbox(in, f, SAVE_EACH);
    t = bench_now() - t;
    if (n != count)
        die("import: wrong message count", MAPI_E_CALL_FAILED);
    bench_report("import mbox -> store (read, convert, SaveChanges each)", (double)n / t,
                 "msg/s");
    bench_report("peak RSS after import", peak_rss_mb(), "MB");

    t = bench_now();
    n = export_folder(mdb, f, out, true);
    t = bench_now() - t;
    bench_report("export without writing (open + convert only)", (double)n / t, "msg/s");
    bench_report("peak RSS after export without writing", peak_rss_mb(), "MB");

    t = bench_now();
    n = export_folder(mdb, f, out, false);
    t = bench_now() - t;
    if (n != count)
        die("export: wrong message count", MAPI_E_CALL_FAILED);
    bench_report("export store -> mbox (open, convert, write)", (double)n / t, "msg/s");
    bench_report("peak RSS after export", peak_rss_mb(), "MB");

    /* The exported mbox holds as many messages as went in. */
    fmapi_mbox_reader *r = NULL;
    fmapi_mailbox_entry e;
    unsigned long back = 0;
    if (fmapi_mbox_open(out, &r) != S_OK)
        die("reopen export", MAPI_E_CALL_FAILED);
    while (fmapi_mbox_next(r, &e) == S_OK)
        back++;
    fmapi_mbox_close(r);
    if (back != count)
        die("exported mbox: wrong message count", MAPI_E_CALL_FAILED);

    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
    remove_store("bench_mime.fmstore");
    unlink(in);
    unlink(out);
    return 0;
}
