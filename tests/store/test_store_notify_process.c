/*
 * tests/store/test_store_notify_process.c - IMsgStore::Advise across
 * processes: a message another process saves into the Inbox reaches this
 * process's folder registration as ObjectCreated then NewMail, with entry
 * IDs that open the message here.
 */
#include <sys/wait.h>

#include "store_notify_fixture.h"

/* ---- from another process ---------------------------------------------------------------- */

/* The child: opens the store on its own and saves one message into the Inbox. */
static int child_delivers(const char *path)
{
    LPMDB mdb = NULL;
    if (fmapi_store_open(path, 0, &mdb) != S_OK)
        return 10;
    LPENTRYID e = NULL;
    ULONG cb = 0, type = 0;
    LPMAPIFOLDER inbox = NULL;
    if (IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &e, NULL) != S_OK ||
        IMsgStore_OpenEntry(mdb, cb, e, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&inbox) != S_OK)
        return 11;
    LPMESSAGE m = NULL;
    /* As a delivery agent saves it: received, so not MSGFLAG_UNSENT. */
    SPropValue v[3] = { { .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = (LPSTR) "IPM.Note.X" },
                        { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = (LPSTR) "from afar" },
                        { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = 0 } };
    if (IMAPIFolder_CreateMessage(inbox, NULL, 0, &m) != S_OK ||
        IMessage_SetProps(m, 3, v, NULL) != S_OK || IMessage_SaveChanges(m, 0) != S_OK)
        return 12;
    return 0;
}

static void a_message_saved_by_another_process_is_notified_here(void **state)
{
    (void)state;
    char path[600];
    snprintf(path, sizeof path, "%s", fx_store_path("notify-two"));
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    eid inbox_id = eid_of(inbox);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 0;
    assert_int_equal(IMsgStore_Advise(mdb, inbox_id.cb, (LPENTRYID)inbox_id.b,
                                      fnevNewMail | fnevObjectCreated, sink, &conn),
                     S_OK);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        fm_test_child_exit(child_delivers(path));
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(nx_recorder_wait(&r, 2), 2);
    assert_int_equal(fm_notify_wait_idle(30000), S_OK);
    assert_int_equal(r.n, 2);
    expect_object(&r, 0, fnevObjectCreated, MAPI_MESSAGE, &ANY, &inbox_id, NULL, NULL);
    assert_int_equal(r.seen[1]->ulEventType, fnevNewMail);
    const NEWMAIL_NOTIFICATION *nm = &r.seen[1]->info.newmail;
    assert_string_equal((const char *)nm->lpszMessageClass, "IPM.Note.X");
    assert_true(same_eid(nm->cbParentID, nm->lpParentID, &inbox_id));
    /* The entry ID opens the message the other process saved. */
    ULONG type = 0;
    LPMESSAGE m = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, nm->cbEntryID, nm->lpEntryID, NULL, 0, &type,
                                         (LPUNKNOWN *)&m),
                     S_OK);
    fx_assert_string(m, PR_SUBJECT_A, "from afar");
    IMessage_Release(m);
    IMsgStore_Unadvise(mdb, conn);
    IMAPIAdviseSink_Release(sink);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    nx_recorder_clear(&r);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_message_saved_by_another_process_is_notified_here),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
