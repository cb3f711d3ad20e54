/*
 * tests/store/test_message_save_group.c - fmapi_message_save_group: many
 * message saves in one transaction, all of them or none, every message as
 * it was after a failure, and the arguments it refuses.
 */
#include <string.h>

#include "freemapi_message.h"
#include "store_fixture.h"

static LONG content_count(LPMAPIFOLDER f)
{
    LPSPropValue v = fx_get(f, PR_CONTENT_COUNT);
    LONG n = v->Value.l;
    MAPIFreeBuffer(v);
    return n;
}

static LPMESSAGE new_with_subject(LPMAPIFOLDER f, unsigned i)
{
    LPMESSAGE m = fx_new_message(f);
    char subject[64];
    snprintf(subject, sizeof subject, "group message %u", i);
    fx_set_string(m, PR_SUBJECT, subject);
    return m;
}

static void release_all(LPMESSAGE *m, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        IMessage_Release(m[i]);
}

static void a_group_is_saved_whole_and_seen_by_another_opener(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    char path[600];
    snprintf(path, sizeof path, "%s", fx_store_path("group-whole"));
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    enum { N = 50 };
    LPMESSAGE m[N];
    for (unsigned i = 0; i < N; i++)
        m[i] = new_with_subject(inbox, i);
    /* a recipient on one of them, to be saved with it */
    SPropValue rp[] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "Ann" },
                        { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO } };
    ADRLIST list = { .cEntries = 1, .aEntries = { { .cValues = 2, .rgPropVals = rp } } };
    assert_int_equal(IMessage_ModifyRecipients(m[7], MODRECIP_ADD, &list), S_OK);

    assert_int_equal(fmapi_message_save_group(N, m, 0), S_OK);
    assert_int_equal(content_count(inbox), N);

    /* another opener of the file sees every message with its values */
    LPMDB other = NULL;
    assert_int_equal(fmapi_store_open(path, 0, &other), S_OK);
    for (unsigned i = 0; i < N; i++) {
        LPSPropValue eid = fx_get(m[i], PR_ENTRYID);
        LPMESSAGE r = fx_reopen(other, eid, 0);
        char want[64];
        snprintf(want, sizeof want, "group message %u", i);
        fx_assert_string(r, PR_SUBJECT, want);
        if (i == 7)
            fx_assert_string(r, PR_DISPLAY_TO, "Ann");
        IMessage_Release(r);
        MAPIFreeBuffer(eid);
    }
    /* saved as SaveChanges(0) saves: open for reading only afterwards */
    SPropValue v = { .ulPropTag = PR_IMPORTANCE, .Value.l = 2 };
    assert_int_equal(IMessage_SetProps(m[0], 1, &v, NULL), MAPI_E_NO_ACCESS);
    release_all(m, N);
    IMsgStore_Release(other);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    fm_test_assert_no_leak_all(&b);
}

static void keep_open_readwrite_leaves_the_messages_writable(void **state)
{
    LPMDB mdb = fx_new_store("group-keep");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m[3];
    for (unsigned i = 0; i < 3; i++)
        m[i] = new_with_subject(inbox, i);
    assert_int_equal(fmapi_message_save_group(3, m, KEEP_OPEN_READWRITE), S_OK);
    /* changed again and saved again as a group: updates, not new messages */
    for (unsigned i = 0; i < 3; i++)
        fx_set_string(m[i], PR_SUBJECT, "second version");
    assert_int_equal(fmapi_message_save_group(3, m, KEEP_OPEN_READWRITE), S_OK);
    assert_int_equal(content_count(inbox), 3);
    LPSPropValue eid = fx_get(m[2], PR_ENTRYID);
    LPMESSAGE r = fx_reopen(mdb, eid, 0);
    fx_assert_string(r, PR_SUBJECT, "second version");
    IMessage_Release(r);
    MAPIFreeBuffer(eid);
    release_all(m, 3);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

/* Message 3 of 5 was saved by another opener since it was read: the whole
 * group fails, the new messages stay unsaved, and once the conflict is
 * taken out the rest of the group saves. */
static void one_failing_message_leaves_the_whole_group_unsaved(void **state)
{
    LPMDB mdb = fx_new_store("group-conflict");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE first = new_with_subject(inbox, 99);
    assert_int_equal(IMessage_SaveChanges(first, 0), S_OK);
    LPSPropValue eid = fx_get(first, PR_ENTRYID);
    IMessage_Release(first);

    LPMESSAGE m[5];
    for (unsigned i = 0; i < 5; i++)
        m[i] = (i == 3) ? fx_reopen(mdb, eid, MAPI_MODIFY) : new_with_subject(inbox, i);
    fx_set_string(m[3], PR_SUBJECT, "stale change");
    LPMESSAGE newer = fx_reopen(mdb, eid, MAPI_MODIFY);
    fx_set_string(newer, PR_SUBJECT, "newer change");
    assert_int_equal(IMessage_SaveChanges(newer, 0), S_OK);
    IMessage_Release(newer);

    assert_int_equal(fmapi_message_save_group(5, m, 0), MAPI_E_OBJECT_CHANGED);
    assert_non_null(strstr(fmapi_last_error(), "message 3"));
    assert_int_equal(content_count(inbox), 1);
    LPSPropValue none = NULL;
    for (unsigned i = 0; i < 5; i++) {
        if (i != 3)
            assert_int_equal(fx_try_get(m[i], PR_ENTRYID, &none), MAPI_E_NOT_FOUND);
    }
    /* their changes are still pending: the four new ones save now */
    LPMESSAGE rest[4] = { m[0], m[1], m[2], m[4] };
    assert_int_equal(fmapi_message_save_group(4, rest, 0), S_OK);
    assert_int_equal(content_count(inbox), 5);
    LPMESSAGE r = fx_reopen(mdb, eid, 0);
    fx_assert_string(r, PR_SUBJECT, "newer change");
    IMessage_Release(r);
    /* and FORCE_SAVE overwrites, as with SaveChanges */
    assert_int_equal(fmapi_message_save_group(1, &m[3], FORCE_SAVE), S_OK);
    r = fx_reopen(mdb, eid, 0);
    fx_assert_string(r, PR_SUBJECT, "stale change");
    IMessage_Release(r);
    release_all(m, 5);
    MAPIFreeBuffer(eid);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void bad_arguments_are_refused_and_nothing_is_saved(void **state)
{
    LPMDB mdb = fx_new_store("group-bad");
    LPMDB mdb2 = fx_new_store("group-bad-2");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMAPIFOLDER inbox2 = fx_inbox(mdb2);
    LPMESSAGE m[2] = { new_with_subject(inbox, 0), new_with_subject(inbox, 1) };

    assert_int_equal(fmapi_message_save_group(1, NULL, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_message_save_group(0, m, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_message_save_group(FMAPI_SAVE_GROUP_MAX + 1, m, 0),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_message_save_group(2, m, 0x80000000), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(fmapi_message_save_group(2, m, KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE),
                     MAPI_E_INVALID_PARAMETER);
    LPMESSAGE with_null[2] = { m[0], NULL };
    assert_int_equal(fmapi_message_save_group(2, with_null, 0), MAPI_E_INVALID_PARAMETER);
    LPMESSAGE twice[2] = { m[1], m[1] };
    assert_int_equal(fmapi_message_save_group(2, twice, 0), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "twice"));
    LPMESSAGE foreign[2] = { m[0], (LPMESSAGE)inbox };
    assert_int_equal(fmapi_message_save_group(2, foreign, 0), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "message 1"));
    LPMESSAGE elsewhere = new_with_subject(inbox2, 2);
    LPMESSAGE mixed[2] = { m[0], elsewhere };
    assert_int_equal(fmapi_message_save_group(2, mixed, 0), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "another store"));

    /* a message opened for reading only */
    assert_int_equal(IMessage_SaveChanges(m[1], 0), S_OK);
    LPSPropValue eid = fx_get(m[1], PR_ENTRYID);
    LPMESSAGE ro = fx_reopen(mdb, eid, 0);
    LPMESSAGE with_ro[2] = { m[0], ro };
    assert_int_equal(fmapi_message_save_group(2, with_ro, 0), MAPI_E_NO_ACCESS);

    /* an embedded message is saved through its attachment */
    LPATTACH att = NULL;
    ULONG num = 0;
    assert_int_equal(IMessage_CreateAttach(m[0], NULL, 0, &num, &att), S_OK);
    SPropValue method = { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_EMBEDDED_MSG };
    assert_int_equal(IAttach_SetProps(att, 1, &method, NULL), S_OK);
    LPMESSAGE inner = NULL;
    assert_int_equal(IAttach_OpenProperty(att, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
                                          MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&inner),
                     S_OK);
    LPMESSAGE with_inner[2] = { m[0], inner };
    assert_int_equal(fmapi_message_save_group(2, with_inner, 0), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "embedded"));

    /* none of the refused calls saved message 0 */
    assert_int_equal(content_count(inbox), 1);
    IMessage_Release(inner);
    IAttach_Release(att);
    IMessage_Release(ro);
    MAPIFreeBuffer(eid);
    IMessage_Release(elsewhere);
    release_all(m, 2);
    IMAPIFolder_Release(inbox2);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb2);
    IMsgStore_Release(mdb);
}

typedef struct oom_ctx {
    LPMAPIFOLDER inbox;
} oom_ctx;

/* Three new messages, one with a recipient and an attachment, saved as a
 * group: under any allocation failure either all three are saved or none
 * is, and the folder count says which. */
static HRESULT create_three_and_save(void *p)
{
    oom_ctx *ctx = p;
    LPMESSAGE m[3] = { NULL, NULL, NULL };
    LPSPropValue before = NULL;
    HRESULT hr = HrGetOneProp((LPMAPIPROP)ctx->inbox, PR_CONTENT_COUNT, &before);
    for (unsigned i = 0; hr == S_OK && i < 3; i++)
        hr = IMAPIFolder_CreateMessage(ctx->inbox, NULL, 0, &m[i]);
    SPropValue v[] = { { .ulPropTag = PR_SUBJECT_W, .Value.lpszW = (LPWSTR)u"grouped" },
                       { .ulPropTag = PR_IMPORTANCE, .Value.l = 1 } };
    for (unsigned i = 0; hr == S_OK && i < 3; i++)
        hr = IMessage_SetProps(m[i], 2, v, NULL);
    SPropValue rp[] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "Bo" },
                        { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_CC } };
    ADRLIST list = { .cEntries = 1, .aEntries = { { .cValues = 2, .rgPropVals = rp } } };
    if (hr == S_OK)
        hr = IMessage_ModifyRecipients(m[1], MODRECIP_ADD, &list);
    LPATTACH att = NULL;
    ULONG num = 0;
    if (hr == S_OK)
        hr = IMessage_CreateAttach(m[2], NULL, 0, &num, &att);
    SPropValue a[] = { { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_BY_VALUE },
                       { .ulPropTag = PR_ATTACH_DATA_BIN,
                         .Value.bin = { 5, (LPBYTE) "bytes" } } };
    if (hr == S_OK)
        hr = IAttach_SetProps(att, 2, a, NULL);
    if (hr == S_OK)
        hr = IAttach_SaveChanges(att, 0);
    if (att != NULL)
        IAttach_Release(att);
    HRESULT saved = hr == S_OK ? fmapi_message_save_group(3, m, 0) : hr;
    LPSPropValue after = NULL;
    if (before != NULL && HrGetOneProp((LPMAPIPROP)ctx->inbox, PR_CONTENT_COUNT, &after) == S_OK)
        assert_int_equal(after->Value.l, before->Value.l + (saved == S_OK ? 3 : 0));
    MAPIFreeBuffer(after);
    MAPIFreeBuffer(before);
    for (unsigned i = 0; i < 3; i++) {
        if (m[i] != NULL)
            IMessage_Release(m[i]);
    }
    return saved;
}

static void a_group_save_survives_every_allocation_failure(void **state)
{
    LPMDB mdb = fx_new_store("group-oom");
    oom_ctx ctx = { fx_inbox(mdb) };
    assert_true(fm_test_oom_sweep(create_three_and_save, &ctx) > 20);
    IMAPIFolder_Release(ctx.inbox);
    IMsgStore_Release(mdb);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_group_is_saved_whole_and_seen_by_another_opener),
        cmocka_unit_test(keep_open_readwrite_leaves_the_messages_writable),
        cmocka_unit_test(one_failing_message_leaves_the_whole_group_unsaved),
        cmocka_unit_test(bad_arguments_are_refused_and_nothing_is_saved),
        cmocka_unit_test(a_group_save_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
