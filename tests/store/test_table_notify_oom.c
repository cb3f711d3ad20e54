/*
 * tests/store/test_table_notify_oom.c - IMAPITable::Advise, a change's
 * comparison and delivery, and Unadvise survive every allocation failure:
 * each fails cleanly (MAPI_E_NOT_ENOUGH_MEMORY, or TABLE_ERROR to the sink
 * when the comparison fails), nothing leaks, no registration is left, and
 * the next run works. Delivery is manual, so every allocation happens on
 * the sweeping thread. Sampled: every 41st allocation point.
 */
#include "store_notify_fixture.h"

static LPMDB oom_store;
static LPMAPIFOLDER oom_inbox;
static nx_recorder oom_rec;

static HRESULT advise_save_compare_unadvise(void *ctx)
{
    (void)ctx;
    IMAPIAdviseSink *sink = NULL;
    HRESULT hr = HrAllocAdviseSink(nx_record, &oom_rec, &sink);
    if (hr != S_OK)
        return hr;
    LPMAPITABLE t = NULL;
    ULONG_PTR conn = 0;
    hr = IMAPIFolder_GetContentsTable(oom_inbox, 0, &t);
    if (hr == S_OK)
        hr = IMAPITable_Advise(t, fnevTableModified, sink, &conn);
    LPMESSAGE m = NULL;
    if (hr == S_OK)
        hr = IMAPIFolder_CreateMessage(oom_inbox, NULL, 0, &m);
    if (hr == S_OK)
        hr = IMessage_SaveChanges(m, KEEP_OPEN_READWRITE);
    LPSPropValue id = NULL;
    if (hr == S_OK)
        hr = HrGetOneProp((LPMAPIPROP)m, PR_ENTRYID, &id);
    if (m != NULL)
        IMessage_Release(m);
    fm_notify_run_pending(); /* the watcher compares; the sink hears of it */
    /* The folder stays as it was, so every run has the same allocations. */
    if (id != NULL) {
        ENTRYLIST list = { 1, &id->Value.bin };
        HRESULT hd = IMAPIFolder_DeleteMessages(oom_inbox, &list, 0, NULL, 0);
        if (hr == S_OK)
            hr = hd;
        MAPIFreeBuffer(id);
        fm_notify_run_pending();
    }
    if (conn != 0) {
        HRESULT hu = IMAPITable_Unadvise(t, conn);
        if (hr == S_OK)
            hr = hu;
    }
    if (t != NULL)
        IMAPITable_Release(t);
    IMAPIAdviseSink_Release(sink);
    return hr;
}

static void table_advise_delivery_and_unadvise_survive_every_allocation_failure(void **state)
{
    (void)state;
    oom_store = fx_new_store("table-notify-oom");
    oom_inbox = fx_inbox(oom_store);
    nx_recorder_init(&oom_rec);
    fm_notify_set_manual(true);
    assert_int_equal(advise_save_compare_unadvise(NULL), S_OK); /* warm */
    assert_int_equal(oom_rec.n, 2);
    assert_int_equal(oom_rec.seen[0]->info.tab.ulTableEvent, TABLE_ROW_ADDED);
    assert_int_equal(oom_rec.seen[1]->info.tab.ulTableEvent, TABLE_ROW_DELETED);
    assert_true(fm_test_oom_sweep(advise_save_compare_unadvise, NULL) > 10);
    fm_notify_set_manual(false);
    /* Every event the sink got is a row event or TABLE_ERROR (a failed
     * comparison or a lost event): never anything malformed. */
    for (size_t i = 0; i < oom_rec.n; i++) {
        ULONG ev = oom_rec.seen[i]->info.tab.ulTableEvent;
        assert_true(ev == TABLE_ROW_ADDED || ev == TABLE_ROW_DELETED ||
                    ev == TABLE_ROW_MODIFIED || ev == TABLE_ERROR || ev == TABLE_CHANGED);
    }
    fmapi_notify_stats st;
    fmapi_notify_get_stats(&st);
    assert_int_equal(st.registrations, 0);
    IMAPIFolder_Release(oom_inbox);
    IMsgStore_Release(oom_store);
    nx_recorder_clear(&oom_rec);
}

int main(void)
{
    /* A run has thousands of allocation points (a save, a comparison, a
     * delete): every 41st is tried unless the caller asks otherwise. */
    setenv("FM_TEST_OOM_STRIDE", "41", 0);
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_advise_delivery_and_unadvise_survive_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
