/*
 * tests/mime/test_streaming.c - a message far larger than any buffer the
 * converter keeps (issue 20: "a 1 GB attachment streams") goes in and out
 * in bounded memory: imported from a file descriptor into the store,
 * exported to a file descriptor, its attachment the same bytes both ways,
 * and the peak resident size of the process grows by a small part of the
 * attachment's size, not by the attachment.
 *
 * The size is FM_TEST_STREAM_MB (64 MB by default; 1 GB in
 * bench_mime --large 1024). Under valgrind and ASan the resident size
 * measures the tool's own bookkeeping (freed blocks are held back on
 * purpose), so there the test streams 2 MB and checks the bytes only.
 */
#include <sys/resource.h>

#include <valgrind/valgrind.h>

#include "mime_fixture.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif
#ifndef UNDER_SANITIZER
#define UNDER_SANITIZER 0
#endif

/* Whether resident size means what it says in this process. */
static bool rss_is_meaningful(void)
{
    return !UNDER_SANITIZER && !RUNNING_ON_VALGRIND;
}

static size_t attachment_size(void)
{
    const char *e = getenv("FM_TEST_STREAM_MB");
    size_t mb = e != NULL ? strtoul(e, NULL, 10) : 64;
    if (!rss_is_meaningful())
        mb = 2;
    return (mb > 0 ? mb : 1) * 1024 * 1024;
}

/* The peak resident size so far, in bytes. */
static size_t peak_rss(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (size_t)ru.ru_maxrss * 1024;
}

/* The attachment's bytes: a sequence that no compression or dedup helps. */
static void fill(unsigned char *buf, size_t n, uint64_t *state)
{
    for (size_t i = 0; i < n; i++) {
        *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
        buf[i] = (unsigned char)(*state >> 56);
    }
}

#define CHUNK (57 * 1024) /* a multiple of 57: whole 76-character base64 lines */

/* Writes the message into path, chunk by chunk; returns the checksum of
 * the attachment's bytes. */
static GChecksum *write_message(const char *path, size_t size)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("From: Ada <ada@example.org>\r\nTo: bob@example.org\r\nSubject: large\r\n"
          "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n"
          "--B\r\nContent-Type: text/plain\r\n\r\nThe file is attached.\r\n--B\r\n"
          "Content-Type: application/octet-stream; name=\"large.bin\"\r\n"
          "Content-Transfer-Encoding: base64\r\n"
          "Content-Disposition: attachment; filename=\"large.bin\"\r\n\r\n", f);
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    unsigned char *buf = malloc(CHUNK);
    uint64_t state = 42;
    for (size_t done = 0; done < size;) {
        size_t n = MIN((size_t)CHUNK, size - done);
        fill(buf, n, &state);
        g_checksum_update(sum, buf, n);
        for (size_t i = 0; i < n; i += 57) {
            gchar *b64 = g_base64_encode(buf + i, MIN((size_t)57, n - i));
            fputs(b64, f);
            fputs("\r\n", f);
            g_free(b64);
        }
        done += n;
    }
    free(buf);
    fputs("--B--\r\n", f);
    assert_int_equal(fclose(f), 0);
    return sum;
}

/* The checksum of an attachment's data, read through its stream. */
static char *stream_sum(LPATTACH a, size_t *len)
{
    LPSTREAM s = NULL;
    assert_int_equal(IAttach_OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0,
                                          (LPUNKNOWN *)&s), S_OK);
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    char *buf = malloc(65536);
    *len = 0;
    for (;;) {
        ULONG got = 0;
        assert_int_equal(IStream_Read(s, buf, 65536, &got), S_OK);
        if (got == 0)
            break;
        g_checksum_update(sum, (const guchar *)buf, got);
        *len += got;
    }
    free(buf);
    IStream_Release(s);
    char *hex = g_strdup(g_checksum_get_string(sum));
    g_checksum_free(sum);
    return hex;
}

/* The checksum of the base64 content after "filename=\"large.bin\"" in an
 * exported file, decoded as it is read. */
static char *exported_sum(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char line[1024];
    bool in_part = false, in_body = false;
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    guchar out[1024];
    gint st = 0;
    guint save = 0;
    *len = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (!in_part) {
            in_part = strstr(line, "filename=\"large.bin\"") != NULL ||
                      strstr(line, "filename=large.bin") != NULL;
            continue;
        }
        if (!in_body) {
            in_body = strcmp(line, "\r\n") == 0 || strcmp(line, "\n") == 0;
            continue;
        }
        if (line[0] == '-' && line[1] == '-')
            break;
        gsize n = g_base64_decode_step(line, strlen(line), out, &st, &save);
        g_checksum_update(sum, out, n);
        *len += n;
    }
    fclose(f);
    assert_true(in_body);
    char *hex = g_strdup(g_checksum_get_string(sum));
    g_checksum_free(sum);
    return hex;
}

static void a_large_attachment_streams_in_and_out_in_bounded_memory(void **state)
{
    size_t size = attachment_size();
    char in[700], out[700];
    snprintf(in, sizeof in, "%s/large-in.eml", fm_test_tmpdir());
    snprintf(out, sizeof out, "%s/large-out.eml", fm_test_tmpdir());
    GChecksum *sum = write_message(in, size);
    char *want = g_strdup(g_checksum_get_string(sum));
    g_checksum_free(sum);

    /* A small message first, so the baseline holds what any message costs. */
    LPMESSAGE warm = fx_import("Subject: warm\r\n\r\nup\r\n", 0);
    assert_int_equal(IMessage_SaveChanges(warm, 0), S_OK);
    IMessage_Release(warm);
    size_t before = peak_rss();

    int fd = open(in, O_RDONLY);
    assert_true(fd >= 0);
    LPMESSAGE m = fx_new();
    HRESULT hr = fmapi_mime_import_fd(fd, m, 0);
    if (hr != S_OK)
        fail_msg("import failed: %s", fmapi_mime_last_error());
    close(fd);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    size_t after_import = peak_rss();

    int ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(ofd >= 0);
    hr = fmapi_mime_export_fd(m, 0, ofd);
    if (hr != S_OK)
        fail_msg("export failed: %s", fmapi_mime_last_error());
    assert_int_equal(close(ofd), 0);
    size_t after_export = peak_rss();

    /* The same bytes in the store and in the export. */
    assert_int_equal(fx_attach_count(m), 1);
    LPATTACH a = fx_attach(m, 0);
    size_t len = 0;
    char *stored = stream_sum(a, &len);
    assert_int_equal(len, size);
    assert_string_equal(stored, want);
    IAttach_Release(a);
    char *written = exported_sum(out, &len);
    assert_int_equal(len, size);
    assert_string_equal(written, want);
    IMessage_Release(m);

    size_t mb = 1024 * 1024;
    print_message("attachment %zu MB: peak RSS %zu MB before, +%zu MB by the import, "
                  "+%zu MB by the export\n",
                  size / mb, before / mb, (after_import - before) / mb,
                  (after_export - after_import) / mb);
    if (rss_is_meaningful()) {
        /* Bounded: a quarter of the attachment would already be a buffer
         * that grows with it. */
        size_t bound = size / 4;
        if (after_import - before > bound || after_export - before > bound)
            fail_msg("peak RSS grew with the attachment: +%zu MB import, +%zu MB export "
                     "for %zu MB", (after_import - before) / mb,
                     (after_export - before) / mb, size / mb);
    }
    unlink(in);
    unlink(out);
    g_free(want);
    g_free(stored);
    g_free(written);
}

static int setup(void **state)
{
    fx_open_store("streaming");
    return 0;
}

static int teardown(void **state)
{
    fx_close_store();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_large_attachment_streams_in_and_out_in_bounded_memory),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
