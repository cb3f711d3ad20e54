/*
 * tests/store/test_embedded.c - embedded messages (ATTACH_EMBEDDED_MSG):
 * created through OpenProperty(PR_ATTACH_DATA_OBJ, IID_IMessage), saved with
 * their attachment and message, nested to any depth, and never left behind
 * by a release without saving or by a killed writer.
 */
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include "store_fixture.h"

/* Adds an embedded message to m with the given subject; returns it open
 * (not yet saved) and the attachment through *att. */
static LPMESSAGE add_embedded(LPMESSAGE m, const char *subject, LPATTACH *att)
{
    ULONG num;
    assert_int_equal(IMessage_CreateAttach(m, NULL, 0, &num, att), S_OK);
    SPropValue method = { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_EMBEDDED_MSG };
    assert_int_equal(IAttach_SetProps(*att, 1, &method, NULL), S_OK);
    LPMESSAGE e = NULL;
    assert_int_equal(IAttach_OpenProperty(*att, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
                                          MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&e), S_OK);
    fx_set_string(e, PR_SUBJECT, subject);
    return e;
}

static LPMESSAGE open_embedded(LPMESSAGE m, ULONG num)
{
    LPATTACH a = NULL;
    assert_int_equal(IMessage_OpenAttach(m, num, NULL, 0, &a), S_OK);
    LPMESSAGE e = NULL;
    assert_int_equal(IAttach_OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
                                          (LPUNKNOWN *)&e), S_OK);
    IAttach_Release(a); /* the embedded message keeps what it needs */
    return e;
}

static void an_embedded_message_is_saved_with_its_parent(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    const char *path = fx_store_path("embedded");
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    fx_set_string(m, PR_SUBJECT, "FW: the forwarded one");
    LPATTACH a = NULL;
    LPMESSAGE e = add_embedded(m, "the forwarded one", &a);
    SPropValue r[] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "Ada" },
                       { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO } };
    SizedADRLIST(1, list) = { 1, { { 0, 2, r } } };
    assert_int_equal(IMessage_ModifyRecipients(e, MODRECIP_ADD, (LPADRLIST)&list), S_OK);
    assert_int_equal(IMessage_SaveChanges(e, 0), S_OK);
    LPSPropValue none = NULL;
    assert_int_equal(fx_try_get(e, PR_ENTRYID, &none), MAPI_E_NOT_FOUND);
    IMessage_Release(e);
    /* Saved embedded, but neither the attachment nor the parent yet: nobody
     * else can see anything. */
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages WHERE parent_attach > 0"), 0);
    assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
    IAttach_Release(a);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages WHERE parent_attach > 0"), 1);
    LPSPropValue eid = fx_get(m, PR_ENTRYID);
    IMessage_Release(m);

    ULONG type;
    assert_int_equal(IMsgStore_OpenEntry(mdb, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         NULL, 0, &type, (LPUNKNOWN *)&m), S_OK);
    e = open_embedded(m, 0);
    fx_assert_string(e, PR_SUBJECT, "the forwarded one");
    fx_assert_string(e, PR_DISPLAY_TO, "Ada");
    /* Read-only: a saved embedded message is changed by replacing it. */
    SPropValue v = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "changed" };
    assert_int_equal(IMessage_SetProps(e, 1, &v, NULL), MAPI_E_NO_ACCESS);
    IMessage_Release(e);
    IMessage_Release(m);
    MAPIFreeBuffer(eid);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    fm_test_assert_no_leak_all(&b);
}

static void embedded_messages_nest_to_any_depth(void **state)
{
    const int depth = 10;
    const char *path = fx_store_path("nested");
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE top = fx_new_message(inbox);
    LPMESSAGE msgs[11];
    LPATTACH atts[11];
    msgs[0] = top;
    for (int i = 1; i <= depth; i++) {
        char subject[32];
        snprintf(subject, sizeof subject, "level %d", i);
        msgs[i] = add_embedded(msgs[i - 1], subject, &atts[i]);
    }
    /* Save from the innermost outwards, as clients do. */
    for (int i = depth; i >= 1; i--) {
        assert_int_equal(IMessage_SaveChanges(msgs[i], 0), S_OK);
        IMessage_Release(msgs[i]);
        assert_int_equal(IAttach_SaveChanges(atts[i], 0), S_OK);
        IAttach_Release(atts[i]);
    }
    assert_int_equal(IMessage_SaveChanges(top, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue eid = fx_get(top, PR_ENTRYID);
    IMessage_Release(top);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages WHERE parent_attach > 0"),
                     depth);
    ULONG type;
    LPMESSAGE cur = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         NULL, 0, &type, (LPUNKNOWN *)&cur), S_OK);
    for (int i = 1; i <= depth; i++) {
        LPMESSAGE next = open_embedded(cur, 0);
        char subject[32];
        snprintf(subject, sizeof subject, "level %d", i);
        fx_assert_string(next, PR_SUBJECT, subject);
        IMessage_Release(cur);
        cur = next;
    }
    IMessage_Release(cur);
    MAPIFreeBuffer(eid);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void releasing_without_saving_leaves_no_embedded_message(void **state)
{
    const char *path = fx_store_path("noleft");
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    /* 1: embedded saved, attachment released unsaved. */
    LPMESSAGE m = fx_new_message(inbox);
    LPATTACH a = NULL;
    LPMESSAGE e = add_embedded(m, "x", &a);
    assert_int_equal(IMessage_SaveChanges(e, 0), S_OK);
    IMessage_Release(e);
    IAttach_Release(a);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 0);
    /* 2: attachment saved, parent released unsaved. */
    e = add_embedded(m, "y", &a);
    assert_int_equal(IMessage_SaveChanges(e, 0), S_OK);
    IMessage_Release(e);
    assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
    IAttach_Release(a);
    IMessage_Release(m);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 0);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void replacing_or_deleting_drops_the_old_embedded_tree(void **state)
{
    const char *path = fx_store_path("replace");
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    LPATTACH a = NULL;
    LPMESSAGE e = add_embedded(m, "old", &a);
    LPATTACH inner = NULL;
    LPMESSAGE e2 = add_embedded(e, "inner", &inner);
    assert_int_equal(IMessage_SaveChanges(e2, 0), S_OK);
    IMessage_Release(e2);
    assert_int_equal(IAttach_SaveChanges(inner, 0), S_OK);
    IAttach_Release(inner);
    assert_int_equal(IMessage_SaveChanges(e, 0), S_OK);
    IMessage_Release(e);
    assert_int_equal(IAttach_SaveChanges(a, KEEP_OPEN_READWRITE), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 3);
    /* Replace it with a new one: the old one and what it held go. */
    LPMESSAGE fresh = NULL;
    assert_int_equal(IAttach_OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
                                          MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&fresh), S_OK);
    fx_set_string(fresh, PR_SUBJECT, "new");
    assert_int_equal(IMessage_SaveChanges(fresh, 0), S_OK);
    IMessage_Release(fresh);
    assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
    IAttach_Release(a);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 2);
    e = open_embedded(m, 0);
    fx_assert_string(e, PR_SUBJECT, "new");
    IMessage_Release(e);
    /* Deleting the attachment deletes the embedded message too. */
    assert_int_equal(IMessage_DeleteAttach(m, 0, 0, NULL, 0), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 1);
    IMessage_Release(m);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void a_killed_writers_scratch_message_is_collected(void **state)
{
    const char *path = fx_store_path("scratch");
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    IMsgStore_Release(mdb);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        LPMDB cm = NULL;
        if (fmapi_store_open(path, 0, &cm) != S_OK)
            fm_test_child_exit(10);
        LPMAPIFOLDER in = fx_inbox(cm);
        LPMESSAGE m = fx_new_message(in);
        LPATTACH a = NULL;
        LPMESSAGE e = add_embedded(m, "never linked", &a);
        if (IMessage_SaveChanges(e, 0) != S_OK)
            fm_test_child_exit(11);
        kill(getpid(), SIGKILL); /* before the parent message is saved */
        fm_test_child_exit(12);
    }
    int status;
    waitpid(child, &status, 0);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 1); /* the scratch */
    assert_int_equal(fmapi_store_open(path, 0, &mdb), S_OK);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 0);
    IMsgStore_Release(mdb);
}

static void a_saved_embedded_message_changes_with_its_parents_save(void **state)
{
    const char *path = fx_store_path("modify");
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    LPATTACH a = NULL;
    LPMESSAGE e = add_embedded(m, "before", &a);
    LPATTACH ia = NULL;
    LPMESSAGE inner = add_embedded(e, "inner", &ia); /* a nested level comes along */
    assert_int_equal(IMessage_SaveChanges(inner, 0), S_OK);
    IMessage_Release(inner);
    assert_int_equal(IAttach_SaveChanges(ia, 0), S_OK);
    IAttach_Release(ia);
    assert_int_equal(IMessage_SaveChanges(e, 0), S_OK);
    IMessage_Release(e);
    assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
    IAttach_Release(a);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue eid = fx_get(m, PR_ENTRYID);
    IMessage_Release(m);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 3);

    /* Change it in place: parent, attachment and embedded opened for writing. */
    m = fx_reopen(mdb, eid, MAPI_MODIFY);
    assert_int_equal(IMessage_OpenAttach(m, 0, NULL, MAPI_MODIFY, &a), S_OK);
    assert_int_equal(IAttach_OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, MAPI_MODIFY,
                                          (LPUNKNOWN *)&e), S_OK);
    fx_assert_string(e, PR_SUBJECT, "before");
    fx_set_string(e, PR_SUBJECT, "after");
    assert_int_equal(IMessage_SaveChanges(e, 0), S_OK);
    IMessage_Release(e);
    assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
    IAttach_Release(a);
    /* Not yet saved on the parent: another opener still sees the old one. */
    LPMESSAGE other = fx_reopen(mdb, eid, 0);
    LPMESSAGE oe = open_embedded(other, 0);
    fx_assert_string(oe, PR_SUBJECT, "before");
    IMessage_Release(oe);
    IMessage_Release(other);
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);

    m = fx_reopen(mdb, eid, 0);
    e = open_embedded(m, 0);
    fx_assert_string(e, PR_SUBJECT, "after");
    inner = open_embedded(e, 0);
    fx_assert_string(inner, PR_SUBJECT, "inner");
    IMessage_Release(inner);
    IMessage_Release(e);
    IMessage_Release(m);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 3); /* old tree gone */

    /* Opening for change and walking away leaves nothing behind. */
    m = fx_reopen(mdb, eid, MAPI_MODIFY);
    assert_int_equal(IMessage_OpenAttach(m, 0, NULL, MAPI_MODIFY, &a), S_OK);
    assert_int_equal(IAttach_OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, MAPI_MODIFY,
                                          (LPUNKNOWN *)&e), S_OK);
    fx_set_string(e, PR_SUBJECT, "abandoned");
    IMessage_Release(e);
    IAttach_Release(a);
    IMessage_Release(m);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 3);
    MAPIFreeBuffer(eid);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void embedded_open_errors_are_documented(void **state)
{
    LPMDB mdb = fx_new_store("emberr");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    ULONG num;
    LPATTACH a = NULL;
    assert_int_equal(IMessage_CreateAttach(m, NULL, 0, &num, &a), S_OK);
    LPMESSAGE e = NULL;
    assert_int_equal(IAttach_OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
                                          (LPUNKNOWN *)&e), MAPI_E_NOT_FOUND);
    assert_null(e);
    assert_int_equal(IAttach_OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMAPITable, 0, 0,
                                          (LPUNKNOWN *)&e), MAPI_E_INTERFACE_NOT_SUPPORTED);
    IAttach_Release(a);
    IMessage_Release(m);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_embedded_message_is_saved_with_its_parent),
        cmocka_unit_test(embedded_messages_nest_to_any_depth),
        cmocka_unit_test(releasing_without_saving_leaves_no_embedded_message),
        cmocka_unit_test(replacing_or_deleting_drops_the_old_embedded_tree),
        cmocka_unit_test(a_killed_writers_scratch_message_is_collected),
        cmocka_unit_test(a_saved_embedded_message_changes_with_its_parents_save),
        cmocka_unit_test(embedded_open_errors_are_documented),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
