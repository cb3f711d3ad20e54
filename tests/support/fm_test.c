/*
 * tests/support/fm_test.c - leak baselines, OOM sweeps and temp directories
 * for the test suite (see fm_test.h).
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fm_test.h"

void fm_test_baseline_take(fm_test_baseline *b)
{
    fmapi_alloc_get_stats(&b->stats);
}

void fm_test_assert_no_leak_at(const fm_test_baseline *b, int all, const char *file, int line)
{
    fmapi_alloc_stats now;
    fmapi_alloc_get_stats(&now);
    const fmapi_alloc_stats *was = &b->stats;
    uint64_t was_blocks = was->live_blocks - (all ? 0 : was->live_sqlite_blocks);
    uint64_t was_bytes = was->live_bytes - (all ? 0 : was->live_sqlite_bytes);
    uint64_t now_blocks = now.live_blocks - (all ? 0 : now.live_sqlite_blocks);
    uint64_t now_bytes = now.live_bytes - (all ? 0 : now.live_sqlite_bytes);
    if (now_blocks != was_blocks || now_bytes != was_bytes) {
        fail_msg("%s:%d: leak%s: live blocks %llu -> %llu, bytes %llu -> %llu", file, line,
                 all ? " (SQLite's memory included)" : "", (unsigned long long)was_blocks,
                 (unsigned long long)now_blocks, (unsigned long long)was_bytes,
                 (unsigned long long)now_bytes);
    }
}

/* Sweeps stop here at the latest; no single operation in the suite comes near. */
#define OOM_SWEEP_LIMIT 200000u

/* A strided sweep stops at the first sampled point past the last
 * allocation; the points between the previous sample and it are tried one
 * by one to find how many of them are past the end too, so the count a
 * sweep returns is exact whatever the stride. */
static unsigned points_past_end(fm_test_oom_body body, void *ctx, unsigned k, unsigned stride)
{
    unsigned past = 0;
    for (unsigned j = k - 1; stride > 1 && j > k - stride && j >= 1; j--) {
        fmapi_alloc_fail_nth(j);
        HRESULT hr = body(ctx);
        uint64_t fired = fmapi_alloc_injected_failures();
        fmapi_alloc_fail_off();
        (void)hr;
        if (fired != 0)
            break;
        past++;
    }
    return past;
}

unsigned fm_test_oom_sweep_at(fm_test_oom_body body, void *ctx, const char *name,
                              const char *file, int line)
{
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    /* FM_TEST_OOM_STRIDE=n tries every n-th point only: the valgrind pass,
     * which is tens of times slower, samples the sweeps the other builds
     * run in full. */
    unsigned stride = 1;
    const char *env = getenv("FM_TEST_OOM_STRIDE");
    if (env != NULL && atoi(env) > 1)
        stride = (unsigned)atoi(env);
    /* FM_TEST_OOM_MIN_STRIDE=n samples at least every n-th point, leaving
     * larger strides a test chose for itself as they are (the plain CI
     * stage: the ASan stage sweeps every point). */
    const char *min = getenv("FM_TEST_OOM_MIN_STRIDE");
    if (min != NULL && atoi(min) > 1 && (unsigned)atoi(min) > stride)
        stride = (unsigned)atoi(min);
    unsigned k;
    for (k = 1; k <= OOM_SWEEP_LIMIT; k += stride) {
        fmapi_alloc_fail_nth(k);
        HRESULT hr = body(ctx);
        uint64_t fired = fmapi_alloc_injected_failures();
        fmapi_alloc_fail_off();
        if (getenv("FM_TEST_OOM_VERBOSE") != NULL) {
            fmapi_alloc_stats now;
            fmapi_alloc_get_stats(&now);
            fprintf(stderr, "oom sweep %s: k=%u hr=0x%08lX blocks %llu->%llu %s\n", name, k,
                    (unsigned long)(uint32_t)hr, (unsigned long long)base.stats.live_blocks,
                    (unsigned long long)now.live_blocks,
                    fired ? fmapi_last_error() : "(no failure)");
        }
        fm_test_assert_no_leak_at(&base, 0, file, line);
        if (fired == 0) {
            if (FAILED(hr))
                fail_msg("%s:%d: %s failed with 0x%08lX without an injected failure", file,
                         line, name, (unsigned long)(uint32_t)hr);
            return k - 1 - points_past_end(body, ctx, k, stride);
        }
        if (FAILED(hr) && hr != MAPI_E_NOT_ENOUGH_MEMORY)
            fail_msg("%s:%d: %s returned 0x%08lX (%s) when allocation %u failed; "
                     "expected MAPI_E_NOT_ENOUGH_MEMORY", file, line, name,
                     (unsigned long)(uint32_t)hr, fmapi_last_error(), k);
        HRESULT again = body(ctx);
        if (FAILED(again))
            fail_msg("%s:%d: %s did not work again after allocation %u failed: 0x%08lX",
                     file, line, name, k, (unsigned long)(uint32_t)again);
        fm_test_assert_no_leak_at(&base, 0, file, line);
    }
    fail_msg("%s:%d: %s still allocating after %u injection points", file, line, name, k);
    return k;
}

static char tmpdir_path[PATH_MAX];
static pid_t tmpdir_owner;

static int remove_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(p);
}

/* Removes the test's directory when the process that made it exits (children
 * forked by a test inherit the handler but do not own the directory). */
static void remove_tmpdir(void)
{
    if (tmpdir_path[0] != '\0' && getpid() == tmpdir_owner)
        nftw(tmpdir_path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fm_test_tmpdir(void)
{
    char *path = tmpdir_path;
    if (path[0] != '\0')
        return path;
    const char *root = getenv("FREEMAPI_TEST_TMPDIR");
    if (root == NULL || root[0] == '\0')
        root = "/tmp";
    mkdir(root, 0700);
    snprintf(path, sizeof tmpdir_path, "%s/fmtest.XXXXXX", root);
    if (mkdtemp(path) == NULL) {
        perror("mkdtemp");
        abort();
    }
    tmpdir_owner = getpid();
    atexit(remove_tmpdir);
    return path;
}

_Noreturn void fm_test_child_exit(int code)
{
    char cmd[32];
    snprintf(cmd, sizeof cmd, "exit %d", code & 0xFF);
    fflush(NULL);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(code); /* no shell: exit as usual */
}
