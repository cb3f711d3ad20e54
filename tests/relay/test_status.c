/*
 * tests/relay/test_status.c - IMAPIStatus: the session's status table has
 * the spooler's row (and the address book's) with the documented columns;
 * OpenEntry on its PR_ENTRYID gives an IMAPIStatus whose FlushQueues sends
 * a waiting submission through the relay (FLUSH_FORCE makes it due before
 * its back-off ends, without it the back-off holds), and whose other
 * methods answer as documented.
 */
#include "relay_fixture.h"

#include "mapiguid.h"

static LPSRow find_row(LPSRowSet rows, ULONG type)
{
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPSPropValue v = PpropFindProp(rows->aRow[i].lpProps, rows->aRow[i].cValues,
                                       PR_RESOURCE_TYPE);
        if (v != NULL && (ULONG)v->Value.l == type)
            return &rows->aRow[i];
    }
    return NULL;
}

static void the_spoolers_status_object_flushes_the_queue(void **state)
{
    (void)state;
    char dir[600], sink_dir[600];
    snprintf(dir, sizeof dir, "%s/status-site", fm_test_tmpdir());
    snprintf(sink_dir, sizeof sink_dir, "%s/status-sink", fm_test_tmpdir());
    ab_make_site(dir);
    rl_sink sink;
    rl_sink_start(&sink, sink_dir);
    rl_set_relay(dir, &sink, RL_PASSWORD);
    assert_int_equal(MAPIInitialize(NULL), S_OK); /* before the profile is made */
    ab_make_profile("statusp", dir, "alice");
    LPMAPISESSION s = ab_logon("statusp");

    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPISession_GetStatusTable(s, 0, &t), S_OK);
    assert_int_equal(HrQueryAllRows(t, NULL, NULL, NULL, 0, &rows), S_OK);
    IMAPITable_Release(t);
    assert_non_null(find_row(rows, MAPI_AB));
    assert_non_null(find_row(rows, MAPI_SUBSYSTEM));
    LPSRow sp = find_row(rows, MAPI_SPOOLER);
    assert_non_null(sp);
    static const ULONG REQUIRED[] = { PR_ENTRYID,       PR_DISPLAY_NAME_A, PR_PROVIDER_DISPLAY_A,
                                      PR_RESOURCE_FLAGS, PR_RESOURCE_METHODS, PR_STATUS_CODE,
                                      PR_OBJECT_TYPE,    PR_ROWID,          PR_INSTANCE_KEY };
    for (size_t i = 0; i < sizeof REQUIRED / sizeof REQUIRED[0]; i++)
        assert_non_null(PpropFindProp(sp->lpProps, sp->cValues, REQUIRED[i]));
    assert_int_equal(PpropFindProp(sp->lpProps, sp->cValues, PR_OBJECT_TYPE)->Value.l,
                     MAPI_STATUS);
    assert_true(PpropFindProp(sp->lpProps, sp->cValues, PR_RESOURCE_METHODS)->Value.l &
                STATUS_FLUSH_QUEUES);
    SBinary *eid = &PpropFindProp(sp->lpProps, sp->cValues, PR_ENTRYID)->Value.bin;

    ULONG type = 0;
    LPMAPISTATUS status = NULL;
    assert_int_equal(IMAPISession_OpenEntry(s, eid->cb, (LPENTRYID)eid->lpb, &IID_IMAPIStatus, 0,
                                            &type, (LPUNKNOWN *)&status),
                     S_OK);
    assert_int_equal(type, MAPI_STATUS);
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)status, PR_RESOURCE_TYPE, &v), S_OK);
    assert_int_equal(v->Value.l, MAPI_SPOOLER);
    MAPIFreeBuffer(v);
    SPropValue change = { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "x" };
    assert_int_equal(IMAPIStatus_SetProps(status, 1, &change, NULL), MAPI_E_NO_ACCESS);
    assert_int_equal(IMAPIStatus_ValidateState(status, 0, SUPPRESS_UI), S_OK);
    assert_int_equal(IMAPIStatus_SettingsDialog(status, 0, 0), MAPI_E_NO_SUPPORT);
    LPMAPIERROR err = NULL;
    assert_int_equal(IMAPIStatus_GetLastError(status, MAPI_E_NO_SUPPORT, 0, &err), S_OK);
    assert_non_null(err);
    assert_non_null(strstr((const char *)err->lpszError, "dialog"));
    MAPIFreeBuffer(err);
    assert_int_equal(IMAPIStatus_ChangePassword(status, (LPTSTR) "a", (LPTSTR) "b", 0),
                     MAPI_E_NO_SUPPORT);
    assert_int_equal(IMAPIStatus_FlushQueues(status, 0, 0, NULL, 0x1000), MAPI_E_UNKNOWN_FLAGS);

    /* Submitted by this session while no relay client is registered: waits. */
    assert_int_equal(fmapi_outbound_register(NULL, NULL), S_OK);
    LPMDB alice = sp_open_mailbox(dir, "alice");
    static const sp_recip R[] = { { "Far", "SMTP", "far@elsewhere.test" } };
    assert_int_equal(sp_submit(alice, "flushed", R, 1, NULL, 0), S_OK);
    IMsgStore_Release(alice);
    assert_int_equal(IMAPIStatus_FlushQueues(status, 0, 0, NULL, FLUSH_UPLOAD), S_OK);
    assert_int_equal(rl_sink_count(&sink, "\"subject\": \"flushed\"", NULL, NULL), 0);
    assert_int_equal(fmapi_relay_register(), S_OK);
    /* Back-off: not due, so a plain flush sends nothing; FLUSH_FORCE does. */
    assert_int_equal(IMAPIStatus_FlushQueues(status, 0, 0, NULL, FLUSH_UPLOAD | FLUSH_NO_UI),
                     S_OK);
    assert_int_equal(rl_sink_count(&sink, "\"subject\": \"flushed\"", NULL, NULL), 0);
    assert_int_equal(IMAPIStatus_FlushQueues(status, 0, 0, NULL,
                                             FLUSH_UPLOAD | FLUSH_FORCE | FLUSH_ASYNC_OK),
                     S_OK);
    assert_int_equal(rl_sink_count(&sink, "\"subject\": \"flushed\"", NULL, NULL), 1);
    assert_int_equal(rl_sql_int(sp_mailbox_path(dir, "alice"), "SELECT count(*) FROM submit_queue"),
                     0);

    /* Another row's status object has no queue to flush. */
    LPSRow ab = find_row(rows, MAPI_AB);
    SBinary *abeid = &PpropFindProp(ab->lpProps, ab->cValues, PR_ENTRYID)->Value.bin;
    LPMAPISTATUS abst = NULL;
    assert_int_equal(IMAPISession_OpenEntry(s, abeid->cb, (LPENTRYID)abeid->lpb, NULL, 0, &type,
                                            (LPUNKNOWN *)&abst),
                     S_OK);
    assert_int_equal(IMAPIStatus_FlushQueues(abst, 0, 0, NULL, FLUSH_UPLOAD), MAPI_E_NO_SUPPORT);
    IMAPIStatus_Release(abst);

    IMAPIStatus_Release(status);
    FreeProws(rows);
    IMAPISession_Logoff(s, 0, 0, 0);
    IMAPISession_Release(s);
    MAPIUninitialize();
    rl_sink_stop(&sink);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_spoolers_status_object_flushes_the_queue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
