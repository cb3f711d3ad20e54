/*
 * tests/tools/test_mapi_backup.c - `mapi backup` and `mapi restore` (issue
 * 14, item 8): a copy of a mailbox with its stream files that opens as a
 * store holding every message, private, never written over an existing
 * file; and a new store made from it.
 */
#include <sys/stat.h>

#include "tool_fixture.h"

#define BIG (2u << 20) /* past the 1 MiB at which a stream gets its own file */

static char store_path[600];

static const char *tmp(const char *name)
{
    static char buf[4][700];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", fm_test_tmpdir(), name);
    return b;
}

/* A store whose Inbox holds three messages, one with a large attachment. */
static void make_store(void)
{
    snprintf(store_path, sizeof store_path, "%s", fx_store_path("tool-backup"));
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(store_path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    for (int i = 0; i < 3; i++) {
        LPMESSAGE m = fx_new_message(inbox);
        fx_set_string(m, PR_SUBJECT, "backed up");
        if (i == 2) {
            IAttach *a = NULL;
            ULONG num = 0;
            assert_int_equal(IMessage_CreateAttach(m, NULL, 0, &num, &a), S_OK);
            SPropValue meth = { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_BY_VALUE };
            assert_int_equal(HrSetOneProp((LPMAPIPROP)a, &meth), S_OK);
            fx_stream_write_pattern(a, PR_ATTACH_DATA_BIN, BIG, 9);
            assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
            IAttach_Release(a);
        }
        assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
        IMessage_Release(m);
    }
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static long inbox_messages(const char *path)
{
    return tool_count(path, "SELECT count(*) FROM messages m JOIN folders f ON m.fid = f.fid "
                            "WHERE f.display_name = 'Inbox' AND m.deleted_at IS NULL");
}

static void remove_copy(const char *path)
{
    char cmd[2400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s-streams' '%s-wal' '%s-shm'", path, path, path,
             path);
    assert_int_equal(system(cmd), 0);
}

static void backup_copies_the_mailbox_with_its_streams_and_never_overwrites(void **state)
{
    make_store();
    const char *b = tmp("tool.backup");
    remove_copy(b);
    tool_run r;
    TOOL(&r, "--store", store_path, "backup", b);
    assert_exit(&r, 0);
    assert_contains(r.out, "backup: ");
    struct stat st;
    assert_int_equal(stat(b, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(inbox_messages(b), 3);
    char streams[720];
    snprintf(streams, sizeof streams, "%s-streams", b);
    assert_int_equal(stat(streams, &st), 0);
    assert_true(S_ISDIR(st.st_mode));

    /* what the copy holds reads back, the large attachment from its file */
    TOOL(&r, "--store", b, "ls", "Inbox");
    assert_exit(&r, 0);
    assert_contains(r.out, "backed up");

    /* never over an existing file */
    TOOL(&r, "--store", store_path, "backup", b);
    assert_exit(&r, 1);
    assert_contains(r.err, "MAPI_E_COLLISION");
    TOOL(&r, "--store", store_path, "backup");
    assert_exit(&r, 2);
}

static void restore_makes_a_new_store_and_refuses_an_existing_one(void **state)
{
    make_store();
    const char *b = tmp("tool-restore.backup"), *s = tmp("tool-restored.fmstore");
    remove_copy(b);
    remove_copy(s);
    tool_run r;
    TOOL(&r, "--store", store_path, "backup", b);
    assert_exit(&r, 0);
    TOOL(&r, "restore", b, s);
    assert_exit(&r, 0);
    assert_int_equal(inbox_messages(s), 3);
    TOOL(&r, "--store", s, "stats");
    assert_exit(&r, 0);

    TOOL(&r, "restore", b, s);
    assert_exit(&r, 1);
    assert_contains(r.err, "MAPI_E_COLLISION");
    TOOL(&r, "restore", tmp("no-such.backup"), tmp("never.fmstore"));
    assert_exit(&r, 3); /* not found */
    assert_contains(r.err, "MAPI_E_NOT_FOUND");
    TOOL(&r, "--store", store_path, "restore", b, s); /* restore opens no mailbox */
    assert_exit(&r, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backup_copies_the_mailbox_with_its_streams_and_never_overwrites),
        cmocka_unit_test(restore_makes_a_new_store_and_refuses_an_existing_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
