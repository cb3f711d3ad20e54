/*
 * bench/bench_stream.c - throughput and memory of a large stored stream
 * (src/store/stream.c): write N MiB through IStream_Write in 64 KiB pieces,
 * Commit, adopt, then read it back through IStream_Read, against a
 * reference measured in the same run and directory: a dd-like sequential
 * write() of the same size with fsync at the end, and read() of it back.
 *
 * Both sides end their write with the data on disk (fsync of the reference
 * file; fsync of the store file, its WAL and the stream's companion file,
 * see store/stream_file.h) and drop their pages from the page cache before
 * reading, so the reads come from the disk.
 *
 * Usage: bench_stream [--mb N] [--dir DIR]   (defaults: 1024, .)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "freemapi.h"
#include "harness.h"
#include "mapicode.h"
#include "store/schema.h"
#include "store/stream.h"
#include "store/stream_file.h"

#define PIECE (64 * 1024)
#define TAG PROP_TAG(PT_BINARY, 0x3701) /* PR_ATTACH_DATA_BIN */

static unsigned long long mb = 1024;
static const char *dir = ".";
static BYTE piece[PIECE];

static void die(const char *what, HRESULT hr)
{
    fprintf(stderr, "bench_stream: %s failed: 0x%08lx %s\n", what, (unsigned long)hr,
            fmapi_last_error());
    exit(1);
}

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static double mb_per_s(double seconds)
{
    return (double)mb / seconds;
}

/* Writes out the file's pages and drops them from the page cache. */
static void sync_and_drop(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return;
    fsync(fd);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
}

/* ---- the reference: plain write() and read() -------------------------------- */

static void reference(const char *path, double *write_s, double *read_s)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        perror(path);
        exit(1);
    }
    double t0 = bench_now();
    for (unsigned long long i = 0; i < mb * 1024 * 1024 / PIECE; i++)
        if (write(fd, piece, PIECE) != PIECE) {
            perror("write");
            exit(1);
        }
    fsync(fd);
    *write_s = bench_now() - t0;
    close(fd);
    sync_and_drop(path);

    static BYTE buf[PIECE];
    fd = open(path, O_RDONLY);
    t0 = bench_now();
    unsigned long long total = 0;
    ssize_t n;
    while ((n = read(fd, buf, PIECE)) > 0)
        total += (unsigned long long)n;
    *read_s = bench_now() - t0;
    close(fd);
    if (total != mb * 1024 * 1024) {
        fprintf(stderr, "bench_stream: reference read %llu bytes\n", total);
        exit(1);
    }
    unlink(path);
}

/* ---- the store ---------------------------------------------------------------------- */

static HRESULT take_commit(void *ctx, ULONG tag, int64_t sid, uint64_t size)
{
    *(int64_t *)ctx = sid;
    return S_OK;
}

static int64_t store_write(fm_db *db)
{
    int64_t sid = 0;
    fm_stream_owner owner = { &sid, take_commit, NULL, NULL };
    IStream *s;
    HRESULT hr = fm_stream_open(db, 0, TAG, FM_STREAM_WRITE, &owner, &s);
    if (hr != S_OK)
        die("fm_stream_open for writing", hr);
    for (unsigned long long i = 0; i < mb * 1024 * 1024 / PIECE; i++) {
        ULONG w;
        if ((hr = IStream_Write(s, piece, PIECE, &w)) != S_OK || w != PIECE)
            die("IStream_Write", hr);
    }
    if ((hr = IStream_Commit(s, STGC_DEFAULT)) != S_OK)
        die("IStream_Commit", hr);
    IStream_Release(s);
    if ((hr = fm_db_begin(db)) != S_OK ||
        (hr = fm_stream_adopt(db, sid, FM_STREAM_OWNER_ATTACHMENT, 1, TAG)) != S_OK ||
        (hr = fm_db_commit(db)) != S_OK)
        die("fm_stream_adopt", hr);
    return sid;
}

static void store_read(fm_db *db, int64_t sid)
{
    IStream *s;
    HRESULT hr = fm_stream_open(db, sid, TAG, FM_STREAM_READ, NULL, &s);
    if (hr != S_OK)
        die("fm_stream_open for reading", hr);
    static BYTE buf[PIECE];
    unsigned long long total = 0;
    for (;;) {
        ULONG got;
        if ((hr = IStream_Read(s, buf, PIECE, &got)) != S_OK)
            die("IStream_Read", hr);
        if (got == 0)
            break;
        if (memcmp(buf, piece, got) != 0)
            die("comparing what was read", MAPI_E_CORRUPT_STORE);
        total += got;
    }
    IStream_Release(s);
    if (total != mb * 1024 * 1024)
        die("reading the whole stream back", MAPI_E_CALL_FAILED);
}

static void parse_args(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--mb") == 0 && i + 1 < argc)
            mb = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else {
            fprintf(stderr, "usage: bench_stream [--mb N] [--dir DIR]\n");
            exit(2);
        }
    }
    if (mb == 0)
        mb = 1;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    bench_print_command(argc, argv);
    for (size_t i = 0; i < PIECE; i++)
        piece[i] = (BYTE)(i * 2654435761u >> 13);
    char store[4096], wal[4200], ref[4096];
    snprintf(store, sizeof store, "%s/bench_stream.fmstore", dir);
    snprintf(wal, sizeof wal, "%s-wal", store);
    snprintf(ref, sizeof ref, "%s/bench_stream.ref", dir);
    unlink(store);
    unlink(wal);

    double ref_w, ref_r;
    reference(ref, &ref_w, &ref_r);

    fm_db *db;
    HRESULT hr = fm_db_open(store, FM_DB_CREATE, &FM_STORE_SCHEMA, &db);
    if (hr != S_OK)
        die("fm_db_open", hr);
    long rss0 = max_rss_kb();
    fmapi_alloc_stats before, after;
    fmapi_alloc_reset_peak();
    fmapi_alloc_get_stats(&before);

    double t0 = bench_now();
    int64_t sid = store_write(db);
    char data[4200];
    if (!fm_stream_file_path(db, sid, data, sizeof data))
        die("naming the stream's file", MAPI_E_INVALID_PARAMETER);
    sync_and_drop(wal);
    sync_and_drop(store);
    sync_and_drop(data);
    double store_w = bench_now() - t0;
    sync_and_drop(wal);
    sync_and_drop(store);
    sync_and_drop(data);
    t0 = bench_now();
    store_read(db, sid);
    double store_r = bench_now() - t0;

    fmapi_alloc_get_stats(&after);
    long rss1 = max_rss_kb();
    fm_stream_delete(db, sid);
    fm_db_close(db);

    bench_report("size", (double)mb, "MiB");
    bench_report("store write (IStream_Write 64 KiB, commit, adopt, fsync)", mb_per_s(store_w),
                 "MiB/s");
    bench_report("store read (IStream_Read 64 KiB)", mb_per_s(store_r), "MiB/s");
    bench_report("reference write (write() 64 KiB + fsync)", mb_per_s(ref_w), "MiB/s");
    bench_report("reference read (read() 64 KiB)", mb_per_s(ref_r), "MiB/s");
    bench_report("store write / reference write", 100.0 * ref_w / store_w, "%");
    bench_report("store read / reference read", 100.0 * ref_r / store_r, "%");
    bench_report("peak RSS growth", (double)(rss1 - rss0) / 1024.0, "MiB");
    double peak = (double)(after.peak_bytes - before.live_bytes);
    bench_report("allocator peak growth", peak / 1048576.0, "MiB");
    unlink(store);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", store);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-streams", store);
    rmdir(wal);
    return 0;
}
