/*
 * tests/store/test_quota.c - a mailbox's quotas (fmapi_store_set_quota):
 * read back as the store's computed PR_PROHIBIT_RECEIVE_QUOTA,
 * PR_PROHIBIT_SEND_QUOTA and PR_STORAGE_QUOTA_LIMIT with its size in
 * PR_MESSAGE_SIZE_EXTENDED, kept across a reopen, not changeable by a
 * client's SetProps; SubmitMessage refused with MAPI_E_STORE_FULL once the
 * mailbox reaches its send quota (the message stays open), and allowed
 * again when the quota is lifted.
 */
#include "store_fixture.h"

#include "edkmdb.h"

static const char *path_of(const char *name)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s.fmstore", fm_test_tmpdir(), name);
    return path;
}

static void add_recipient(LPMESSAGE m)
{
    SPropValue r[] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "Ada" },
                       { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO } };
    SizedADRLIST(1, list) = { 1, { { 0, 2, r } } };
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_ADD, (LPADRLIST)&list), S_OK);
}

static void quotas_are_store_properties_clients_cannot_change(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("quota_props");
    LPSPropValue v = NULL;
    assert_int_equal(fx_try_get(mdb, PR_PROHIBIT_RECEIVE_QUOTA, &v), MAPI_E_NOT_FOUND);
    MAPIFreeBuffer(v);
    assert_int_equal(fmapi_store_set_quota(mdb, PR_PROHIBIT_RECEIVE_QUOTA, 2048), S_OK);
    assert_int_equal(fmapi_store_set_quota(mdb, PR_PROHIBIT_SEND_QUOTA, 1024), S_OK);
    assert_int_equal(fmapi_store_set_quota(mdb, PR_STORAGE_QUOTA_LIMIT, 512), S_OK);
    assert_int_equal(fmapi_store_set_quota(mdb, PR_SUBJECT_A, 1), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_store_set_quota(mdb, PR_PROHIBIT_SEND_QUOTA, -2),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_store_set_quota(NULL, PR_PROHIBIT_SEND_QUOTA, 1),
                     MAPI_E_INVALID_PARAMETER);
    /* a client cannot lift its own limit */
    SPropValue lift = { .ulPropTag = PR_PROHIBIT_RECEIVE_QUOTA, .Value.l = -1 };
    LPSPropProblemArray problems = NULL;
    HRESULT hr = IMsgStore_SetProps(mdb, 1, &lift, &problems);
    assert_true(hr != S_OK || (problems != NULL && problems->cProblem == 1));
    MAPIFreeBuffer(problems);
    IMsgStore_SaveChanges(mdb, 0);
    IMsgStore_Release(mdb);

    assert_int_equal(fmapi_store_open(path_of("quota_props"), 0, &mdb), S_OK);
    v = fx_get(mdb, PR_PROHIBIT_RECEIVE_QUOTA);
    assert_int_equal(v->Value.l, 2048);
    MAPIFreeBuffer(v);
    v = fx_get(mdb, PR_PROHIBIT_SEND_QUOTA);
    assert_int_equal(v->Value.l, 1024);
    MAPIFreeBuffer(v);
    v = fx_get(mdb, PR_STORAGE_QUOTA_LIMIT);
    assert_int_equal(v->Value.l, 512);
    MAPIFreeBuffer(v);
    v = fx_get(mdb, PR_MESSAGE_SIZE_EXTENDED);
    assert_int_equal(v->Value.li.QuadPart, 0); /* no messages yet */
    MAPIFreeBuffer(v);
    assert_int_equal(fmapi_store_set_quota(mdb, PR_STORAGE_QUOTA_LIMIT, -1), S_OK);
    assert_int_equal(fx_try_get(mdb, PR_STORAGE_QUOTA_LIMIT, &v), MAPI_E_NOT_FOUND);
    MAPIFreeBuffer(v);
    IMsgStore_Release(mdb);
}

static void submit_stops_at_the_send_quota(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("quota_send");
    LPMAPIFOLDER f = fx_open_folder_by_prop(mdb, mdb, PR_IPM_OUTBOX_ENTRYID);
    LPMESSAGE m = fx_new_message(f);
    fx_set_string(m, PR_SUBJECT, "first");
    add_recipient(m);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue size = fx_get(mdb, PR_MESSAGE_SIZE_EXTENDED);
    assert_true(size->Value.li.QuadPart > 0); /* the saved message counts */
    MAPIFreeBuffer(size);
    assert_int_equal(fmapi_store_set_quota(mdb, PR_PROHIBIT_SEND_QUOTA, 0), S_OK);
    assert_int_equal(IMessage_SubmitMessage(m, 0), MAPI_E_STORE_FULL);
    /* not submitted: still open, not queued, and sent once the quota allows */
    LPSPropValue v = NULL;
    assert_int_equal(fx_try_get(m, PR_SUBMIT_FLAGS, &v), MAPI_E_NOT_FOUND);
    MAPIFreeBuffer(v);
    v = fx_get(m, PR_MESSAGE_FLAGS);
    assert_int_equal(v->Value.l & MSGFLAG_SUBMIT, 0);
    MAPIFreeBuffer(v);
    assert_int_equal(fmapi_store_set_quota(mdb, PR_PROHIBIT_SEND_QUOTA, 1000000), S_OK);
    assert_int_equal(IMessage_SubmitMessage(m, 0), S_OK);
    IMessage_Release(m);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quotas_are_store_properties_clients_cannot_change),
        cmocka_unit_test(submit_stops_at_the_send_quota),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
