/*
 * tests/spool/test_spool_quota.c - the spooler and a recipient's receive
 * quota: a mailbox at its PR_PROHIBIT_RECEIVE_QUOTA takes no copy, the
 * submission stays queued (deferred, as an MTA defers on 452 4.2.2) while
 * the other recipients get theirs, and the next run after the quota is
 * lifted delivers the missing copy, once.
 */
#include <sqlite3.h>

#include "spool_fixture.h"

#include "edkmdb.h"

/* The deferred submission due now (the back-off skipped). */
static void due_now(const char *dir)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(sp_mailbox_path(dir, "alice"), &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE submit_queue SET next_attempt = 0", NULL, NULL,
                                  NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void a_full_mailbox_defers_its_copy_until_there_is_room(void **state)
{
    (void)state;
    char dir[600];
    snprintf(dir, sizeof dir, "%s/spool_quota", fm_test_tmpdir());
    ab_make_site(dir);
    LPMDB bob = sp_open_mailbox(dir, "bob");
    assert_int_equal(fmapi_store_set_quota(bob, PR_PROHIBIT_RECEIVE_QUOTA, 0), S_OK);
    LPMDB alice = sp_open_mailbox(dir, "alice");
    sp_recip two[] = { { "Zoe", "SMTP", "zoe@example.org" },
                       { "Bob", "SMTP", "bob@example.org" } };
    assert_int_equal(sp_submit(alice, "room?", two, 2, NULL, 0), S_OK);
    IMsgStore_Release(alice);

    fm_spool_stats st;
    assert_int_equal(sp_run(dir, "alice", &st), S_OK);
    assert_int_equal(st.copies, 1); /* zoe's */
    assert_int_equal(st.deferred, 1);
    assert_int_equal(st.reports, 0);
    LPMAPIFOLDER in = sp_inbox(bob);
    assert_int_equal(sp_count(in), 0);

    assert_int_equal(sp_run(dir, "alice", &st), S_OK); /* not due yet: nothing */
    assert_int_equal(st.copies + st.deferred, 0);
    due_now(dir);
    assert_int_equal(sp_run(dir, "alice", &st), S_OK); /* still full */
    assert_int_equal(st.deferred, 1);
    assert_int_equal(sp_count(in), 0);

    assert_int_equal(fmapi_store_set_quota(bob, PR_PROHIBIT_RECEIVE_QUOTA, -1), S_OK);
    due_now(dir);
    assert_int_equal(sp_run(dir, "alice", &st), S_OK);
    assert_int_equal(st.copies, 1); /* bob's; zoe's was recorded */
    assert_int_equal(st.skipped, 1);
    assert_int_equal(st.deferred, 0);
    assert_int_equal(sp_count(in), 1);
    IMAPIFolder_Release(in);
    IMsgStore_Release(bob);
    LPMDB zoe = sp_open_mailbox(dir, "zoe");
    in = sp_inbox(zoe);
    assert_int_equal(sp_count(in), 1);
    IMAPIFolder_Release(in);
    IMsgStore_Release(zoe);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_full_mailbox_defers_its_copy_until_there_is_room),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
