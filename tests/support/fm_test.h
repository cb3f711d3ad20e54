/*
 * tests/support/fm_test.h - shared helpers for freemapi's cmocka tests.
 *
 * Leak checks: take a baseline of the allocator's counters before the code
 * under test, and assert they are back to it afterwards.
 *
 * Out-of-memory sweeps (the SQLite habit): run one operation again and again,
 * failing its k-th allocation for k = 1, 2, ... until a run completes without
 * the injector firing. Every run must either succeed or fail with exactly
 * MAPI_E_NOT_ENOUGH_MEMORY, leave the counters at the baseline, and be
 * followed by a clean run that succeeds: proof that the failure path
 * released everything and left nothing half-done.
 */
#ifndef FREEMAPI_TEST_SUPPORT_H
#define FREEMAPI_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above first. */
#include <cmocka.h>

#include "freemapi.h"

typedef struct fm_test_baseline {
    fmapi_alloc_stats stats;
} fm_test_baseline;

/* Records the current counters. */
void fm_test_baseline_take(fm_test_baseline *b);

/*
 * Fails the test when freemapi's own live blocks or bytes differ from the
 * baseline. Memory SQLite holds for an open store connection (its page
 * cache and parsed schema, bounded by the connection's settings) is counted
 * apart and not compared here: it is released when the store closes, which
 * fm_test_assert_no_leak_all checks.
 */
#define fm_test_assert_no_leak(b) fm_test_assert_no_leak_at((b), 0, __FILE__, __LINE__)
/* Every block, SQLite's included: for tests that close what they opened. */
#define fm_test_assert_no_leak_all(b) fm_test_assert_no_leak_at((b), 1, __FILE__, __LINE__)
void fm_test_assert_no_leak_at(const fm_test_baseline *b, int all, const char *file, int line);

/*
 * The operation an OOM sweep repeats. It must release whatever it produced
 * (outputs included) before returning its status.
 */
typedef HRESULT (*fm_test_oom_body)(void *ctx);

/*
 * Runs body under injected failure at k = 1, 2, ... as described above.
 * Returns the number of allocation points swept (runs that hit the
 * injector). Fails the test if body ever returns anything but S_OK, a
 * success warning, or MAPI_E_NOT_ENOUGH_MEMORY, if anything leaks, or if the
 * clean run after a failure does not succeed.
 */
#define fm_test_oom_sweep(body, ctx) fm_test_oom_sweep_at((body), (ctx), #body, __FILE__, __LINE__)
unsigned fm_test_oom_sweep_at(fm_test_oom_body body, void *ctx, const char *name,
                              const char *file, int line);

/*
 * Ends a forked test child with status code. The child holds copies of the
 * parent's open objects, which it never releases: under valgrind a plain
 * exit would report them as leaks. Replacing the child's image with a
 * shell that exits with the code discards them without a leak check.
 */
_Noreturn void fm_test_child_exit(int code);

/* A fresh empty directory for this test process, under FREEMAPI_TEST_TMPDIR
 * or /tmp. The returned string is static. */
const char *fm_test_tmpdir(void);

#endif /* FREEMAPI_TEST_SUPPORT_H */
