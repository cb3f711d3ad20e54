/*
 * tests/site/test_site_logon.c - what a wrong password teaches an attacker:
 * nothing about which names exist (an unknown name, a list or a user
 * without a password costs the one Argon2id verification a user's wrong
 * password costs, at the site's cost, and gets the same answer), and little
 * per try (after a few failures each name waits, twice as long each time up
 * to a cap; the count is in the site directory, so a new process starts
 * where the last one stopped; a right password clears it).
 *
 * Time passing is simulated by moving the stored deadline: the test never
 * sleeps and sets no time limit, and it checks that a try is refused for
 * waiting only once the wait is minutes long, so a slow run cannot see it
 * pass. bench/bench_site_logon.c measures the times themselves.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fm_test.h"
#include "freemapi_site.h"
#include "mapicode.h"
#include "site/pwhash.h"
#include "site/site.h"

static const char *site_path(const char *name)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s", fm_test_tmpdir(), name);
    return path;
}

static fmapi_site *new_site(const char *name, ULONG flags)
{
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(site_path(name), FMAPI_SITE_CREATE | flags, &site), S_OK);
    assert_int_equal(fmapi_site_add_user(site, "pat", "Pat", "pat@x.org", "secret"), S_OK);
    assert_int_equal(fmapi_site_add_user(site, "nopw", "No Password", NULL, NULL), S_OK);
    assert_int_equal(fmapi_site_add_list(site, "team", "Team", "team@x.org"), S_OK);
    return site;
}

static HRESULT logon(fmapi_site *site, const char *name, const char *password)
{
    fm_site_entry e;
    HRESULT hr = fm_site_authenticate(site, name, password, &e);
    if (hr == S_OK)
        fm_site_entry_clear(&e);
    return hr;
}

/* Lets the wait of every name pass, as time would. */
static void let_time_pass(fmapi_site *site)
{
    assert_int_equal(sqlite3_exec(site->db->conn, "UPDATE logon_failures SET not_before = 0",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
}

/* The stored count and wait (ms) of the entry (alias) or unknown name. */
static void stored(fmapi_site *site, const char *name, long long *failures, long long *wait)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(site->db->conn,
                                        "SELECT failures, not_before - last_attempt FROM "
                                        "logon_failures WHERE name = ?1 OR entry_id = "
                                        "(SELECT id FROM entries WHERE alias = ?1)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    *failures = *wait = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *failures = sqlite3_column_int64(st, 0);
        *wait = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
}

/* ---- nothing learned about which names exist ---- */

static void the_dummy_hash_has_the_cost_of_a_real_one(void **state)
{
    (void)state;
    for (int weak = 0; weak < 2; weak++) {
        char real[FM_PWHASH_SIZE], dummy[FM_PWHASH_SIZE];
        assert_int_equal(fm_pwhash_make("whatever", weak, real), S_OK);
        fm_pwhash_dummy(weak, dummy);
        /* "$argon2id$v=19$m=...,t=...,p=...$": the algorithm and its cost */
        const char *end = strrchr(real, '$');
        end = end ? end - 1 : real;
        while (end > real && *end != '$')
            end--;
        size_t n = (size_t)(end - real) + 1;
        assert_true(n > 20);
        assert_memory_equal(real, dummy, n);
        assert_int_equal(strlen(real), strlen(dummy)); /* salt and hash of the same sizes */
        assert_false(fm_pwhash_verify(dummy, "whatever"));
        assert_false(fm_pwhash_verify(dummy, ""));
    }
}

static void every_refused_name_costs_one_argon2id_verification(void **state)
{
    (void)state;
    fmapi_site *site = new_site("one-verify", FMAPI_SITE_WEAK_HASHES);
    static const char *const names[] = { "pat", "PAT@X.ORG", "nobody", "nopw", "team",
                                         "nobody@x.org" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        unsigned long before = fm_pwhash_verify_count();
        assert_int_equal(logon(site, names[i], "wrong"), MAPI_E_LOGON_FAILED);
        assert_int_equal(fm_pwhash_verify_count() - before, 1);
        /* one answer for all */
        assert_string_equal(fmapi_last_error(),
                            "logon to the site failed: unknown user or wrong password");
    }
    unsigned long before = fm_pwhash_verify_count();
    assert_int_equal(logon(site, "nopw", ""), MAPI_E_LOGON_FAILED);
    assert_int_equal(logon(site, "pat", NULL), MAPI_E_LOGON_FAILED);
    assert_int_equal(fm_pwhash_verify_count() - before, 2);
    before = fm_pwhash_verify_count();
    assert_int_equal(logon(site, "pat", "secret"), S_OK);
    assert_int_equal(fm_pwhash_verify_count() - before, 1);
    fmapi_site_close(site);
}

/* Failures after which the wait is long (256 s): a check that a try is
 * refused for waiting then holds however slowly the test runs. */
#define LONG_WAIT_FAILURES (FM_SITE_LOGON_FREE_FAILURES + 9)

/* The error text without the seconds left (they may differ by one). */
static void answer_text(char *out, size_t cap)
{
    snprintf(out, cap, "%s", fmapi_last_error());
    char *in = strstr(out, " in ");
    if (in)
        *in = '\0';
}

static void unknown_names_are_slowed_down_as_accounts_are(void **state)
{
    (void)state;
    fmapi_site *site = new_site("same-answers", FMAPI_SITE_WEAK_HASHES);
    char text[512], other[512];
    for (int k = 1; k <= LONG_WAIT_FAILURES + 1; k++) {
        if (k <= LONG_WAIT_FAILURES)
            let_time_pass(site); /* the last round is tried while both wait */
        assert_int_equal(logon(site, "pat", "wrong"), MAPI_E_LOGON_FAILED);
        answer_text(text, sizeof text);
        assert_int_equal(logon(site, "ghost", "wrong"), MAPI_E_LOGON_FAILED);
        answer_text(other, sizeof other);
        assert_string_equal(text, other);
    }
    assert_non_null(strstr(fmapi_last_error(), "try again in"));
    long long a, wa, b, wb;
    stored(site, "pat", &a, &wa);
    stored(site, "ghost", &b, &wb);
    assert_int_equal(a, LONG_WAIT_FAILURES);
    assert_int_equal(a, b);
    assert_int_equal(wa, wb);
    assert_int_equal(wa, fm_site_logon_delay_ms(LONG_WAIT_FAILURES));
    fmapi_site_close(site);
}

/* ---- back-off ---- */

static void repeated_failures_wait_twice_as_long_each_time_up_to_a_cap(void **state)
{
    (void)state;
    fmapi_site *site = new_site("backoff", FMAPI_SITE_WEAK_HASHES);
    long long failures, wait;
    for (int k = 1; k <= FM_SITE_LOGON_FREE_FAILURES; k++) {
        assert_int_equal(logon(site, "pat", "wrong"), MAPI_E_LOGON_FAILED);
        stored(site, "pat", &failures, &wait);
        assert_int_equal(failures, k);
        assert_int_equal(wait, 0); /* the first few are free */
    }
    long long expect = 1000;
    for (int k = FM_SITE_LOGON_FREE_FAILURES + 1; k <= 20; k++) {
        assert_int_equal(logon(site, "pat", "wrong"), MAPI_E_LOGON_FAILED);
        stored(site, "pat", &failures, &wait);
        assert_int_equal(failures, k);
        assert_int_equal(wait, expect);
        assert_int_equal(fm_site_logon_delay_ms((unsigned)k), expect);
        /* until it has passed, even the right password is refused, unchecked
         * (checked once the wait is long enough that it cannot pass here) */
        if (k >= LONG_WAIT_FAILURES) {
            unsigned long before = fm_pwhash_verify_count();
            assert_int_equal(logon(site, "pat", "secret"), MAPI_E_LOGON_FAILED);
            assert_non_null(strstr(fmapi_last_error(), "try again in"));
            assert_int_equal(fm_pwhash_verify_count(), before);
            stored(site, "pat", &failures, &wait);
            assert_int_equal(failures, k); /* a refused try is not counted */
        }
        let_time_pass(site);
        expect = expect * 2 > FM_SITE_LOGON_MAX_DELAY_MS ? FM_SITE_LOGON_MAX_DELAY_MS
                                                          : expect * 2;
    }
    assert_int_equal(fm_site_logon_delay_ms(1000000), FM_SITE_LOGON_MAX_DELAY_MS);
    /* the right password, once allowed, clears the count */
    assert_int_equal(logon(site, "pat", "secret"), S_OK);
    stored(site, "pat", &failures, &wait);
    assert_int_equal(failures, -1);
    for (int k = 1; k <= FM_SITE_LOGON_FREE_FAILURES; k++)
        assert_int_equal(logon(site, "pat", "wrong"), MAPI_E_LOGON_FAILED);
    assert_int_equal(logon(site, "pat", "secret"), S_OK); /* free again */
    fmapi_site_close(site);
}

static void the_alias_and_the_address_count_as_one_account(void **state)
{
    (void)state;
    fmapi_site *site = new_site("one-account", FMAPI_SITE_WEAK_HASHES);
    for (int k = 1; k <= LONG_WAIT_FAILURES; k++) {
        let_time_pass(site);
        assert_int_equal(logon(site, k % 2 ? "pat" : "Pat@x.org", "wrong"), MAPI_E_LOGON_FAILED);
    }
    long long failures, wait;
    stored(site, "pat", &failures, &wait);
    assert_int_equal(failures, LONG_WAIT_FAILURES);
    assert_int_equal(logon(site, "pat@x.org", "secret"), MAPI_E_LOGON_FAILED);
    assert_non_null(strstr(fmapi_last_error(), "try again in"));
    fmapi_site_close(site);
}

/* The count is the site's: a process that fails and exits leaves it for the
 * next one, which cannot start afresh by opening the site again. */
static void a_new_process_cannot_reset_the_count(void **state)
{
    (void)state;
    fmapi_site *site = new_site("persisted", FMAPI_SITE_WEAK_HASHES);
    fmapi_site_close(site);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int bad = 0;
        for (int k = 1; k <= LONG_WAIT_FAILURES; k++) {
            fmapi_site *s = NULL; /* a fresh open for each try, as the tool does */
            if (fmapi_site_open(site_path("persisted"), 0, &s) != S_OK)
                fm_test_child_exit(10);
            if (sqlite3_exec(s->db->conn, "UPDATE logon_failures SET not_before = 0", NULL,
                             NULL, NULL) != SQLITE_OK)
                fm_test_child_exit(12); /* every try is checked and counted */
            bad += logon(s, "pat", "wrong") == MAPI_E_LOGON_FAILED;
            fmapi_site_close(s);
        }
        fm_test_child_exit(bad == LONG_WAIT_FAILURES ? 0 : 11);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(fmapi_site_open(site_path("persisted"), 0, &site), S_OK);
    assert_int_equal(logon(site, "pat", "secret"), MAPI_E_LOGON_FAILED);
    assert_non_null(strstr(fmapi_last_error(), "try again in"));
    let_time_pass(site);
    assert_int_equal(logon(site, "pat", "secret"), S_OK);
    fmapi_site_close(site);
}

/* ---- out of memory ---- */

static HRESULT oom_logons(void *ctx)
{
    fmapi_site *site = ctx;
    HRESULT hr = logon(site, "pat", "secret");
    if (hr == S_OK) {
        hr = logon(site, "ghost", "x");
        hr = hr == MAPI_E_LOGON_FAILED ? S_OK : hr;
    }
    if (hr == S_OK) {
        hr = logon(site, "pat", "x");
        hr = hr == MAPI_E_LOGON_FAILED ? S_OK : hr;
    }
    if (hr == S_OK)
        hr = logon(site, "pat", "secret"); /* clears pat's count again */
    /* ghost's count grows with every run: let its wait pass, so the next run
     * checks its password again (this update may itself meet the injected
     * failure; then ghost is refused for waiting, also a right answer) */
    (void)sqlite3_exec(site->db->conn, "UPDATE logon_failures SET not_before = 0", NULL, NULL,
                       NULL);
    return hr;
}

static void logons_survive_out_of_memory(void **state)
{
    (void)state;
    fmapi_site *site = new_site("oom", FMAPI_SITE_WEAK_HASHES);
    assert_int_equal(oom_logons(site), S_OK);
    assert_true(fm_test_oom_sweep(oom_logons, site) > 5);
    fmapi_site_close(site);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_dummy_hash_has_the_cost_of_a_real_one),
        cmocka_unit_test(every_refused_name_costs_one_argon2id_verification),
        cmocka_unit_test(unknown_names_are_slowed_down_as_accounts_are),
        cmocka_unit_test(repeated_failures_wait_twice_as_long_each_time_up_to_a_cap),
        cmocka_unit_test(the_alias_and_the_address_count_as_one_account),
        cmocka_unit_test(a_new_process_cannot_reset_the_count),
        cmocka_unit_test(logons_survive_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
