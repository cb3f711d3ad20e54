/*
 * tests/session/test_logon.c - MAPIInitialize, MAPILogonEx and the
 * IMAPISession basics: stores table, OpenMsgStore, identity, Logoff.
 */
#include "session_fixture.h"

static void logon_opens_the_site_mailbox_of_the_profile(void **state)
{
    (void)state;
    fx_make_site_profile("basic", "alice", "alice-pw");
    LPMAPISESSION s = fx_logon("basic");
    LPMDB mdb = fx_open_default(s);
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)mdb, PR_OBJECT_TYPE, &v), S_OK);
    assert_int_equal(v->Value.l, MAPI_STORE);
    MAPIFreeBuffer(v);
    IMsgStore_Release(mdb);
    assert_int_equal(IMAPISession_Logoff(s, 0, 0, 0), S_OK);
    IMAPISession_Release(s);
}

static void logon_and_logoff_leave_nothing_allocated(void **state)
{
    (void)state;
    fx_make_site_profile("cycle", "alice", "alice-pw");
    for (int warm = 0; warm < 2; warm++) {
        LPMAPISESSION s = fx_logon("cycle");
        LPMDB mdb = fx_open_default(s);
        IMsgStore_Release(mdb);
        IMAPISession_Logoff(s, 0, 0, 0);
        IMAPISession_Release(s);
    }
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    for (int i = 0; i < 20; i++) {
        LPMAPISESSION s = fx_logon("cycle");
        LPMDB mdb = fx_open_default(s);
        IMsgStore_Release(mdb);
        IMAPISession_Logoff(s, 0, 0, 0);
        IMAPISession_Release(s);
        fm_test_assert_no_leak_all(&b);
    }
}

static int setup(void **state)
{
    (void)state;
    fx_profile_env();
    fx_site_dir();
    return MAPIInitialize(NULL) == S_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    MAPIUninitialize();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(logon_opens_the_site_mailbox_of_the_profile),
        cmocka_unit_test(logon_and_logoff_leave_nothing_allocated),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
