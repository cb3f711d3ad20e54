/*
 * tests/store/test_store_stats.c - fmapi_store_get_stats: counts of live
 * and soft-deleted messages and their sizes, folders, companion stream
 * files and the database's pages, checked against what the store's own
 * properties and the file say; bad arguments; out of memory.
 */
#include <sys/stat.h>

#include "store_fixture.h"

static fmapi_store_stats stats_of(LPMDB mdb)
{
    fmapi_store_stats st;
    assert_int_equal(fmapi_store_get_stats(mdb, 0, &st), S_OK);
    return st;
}

/* Saves a message with a body of n bytes in f; returns its PR_MESSAGE_SIZE
 * and, when eid is not NULL, its entry ID (caller frees). */
static uint64_t saved_message(LPMAPIFOLDER f, ULONG flags, size_t n, LPSPropValue *eid)
{
    LPMESSAGE m = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(f, NULL, flags, &m), S_OK);
    char *body = malloc(n + 1);
    memset(body, 'b', n);
    body[n] = '\0';
    fx_set_string(m, PR_BODY, body);
    free(body);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue size = fx_get(m, PR_MESSAGE_SIZE);
    uint64_t bytes = (uint64_t)size->Value.l;
    MAPIFreeBuffer(size);
    if (eid != NULL)
        *eid = fx_get(m, PR_ENTRYID);
    IMessage_Release(m);
    return bytes;
}

/* Opens the store file name again (not recreating it). */
static LPMDB reopen(const char *name)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s.fmstore", fm_test_tmpdir(), name);
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, 0, &mdb), S_OK);
    return mdb;
}

static void a_new_store_has_folders_pages_and_no_messages(void **state)
{
    LPMDB mdb = fx_new_store("stats-new");
    IMsgStore_Release(mdb); /* closing checkpoints the WAL */
    mdb = reopen("stats-new");
    fmapi_store_stats st = stats_of(mdb);
    assert_int_equal(st.messages, 0);
    assert_int_equal(st.message_bytes, 0);
    assert_int_equal(st.soft_deleted, 0);
    assert_int_equal(st.stream_files, 0);
    assert_true(st.folders >= 11); /* Inbox .. Junk E-mail, under the IPM subtree */
    char path[600];
    snprintf(path, sizeof path, "%s/stats-new.fmstore", fm_test_tmpdir());
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(st.file_bytes, (uint64_t)sb.st_size);
    assert_true(st.free_bytes < st.file_bytes);
    IMsgStore_Release(mdb);
}

/* Live and soft-deleted messages with the sums of their sizes; associated
 * messages count, embedded ones (inside an attachment) do not; a purge
 * moves soft-deleted messages out of the counts. */
static void messages_and_sizes_follow_saves_deletes_and_purges(void **state)
{
    LPMDB mdb = fx_new_store("stats-messages");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    uint64_t total = 0, deleted_bytes = 0;
    LPSPropValue eids[6];
    for (int i = 0; i < 6; i++)
        total += saved_message(inbox, 0, 1000 * (size_t)(i + 1), &eids[i]);
    total += saved_message(inbox, MAPI_ASSOCIATED, 10, NULL);

    /* a message with an embedded message: only the outer one counts */
    LPMESSAGE outer = fx_new_message(inbox);
    LPATTACH a = NULL;
    ULONG num = 0;
    assert_int_equal(IMessage_CreateAttach(outer, NULL, 0, &num, &a), S_OK);
    SPropValue method = { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_EMBEDDED_MSG };
    assert_int_equal(HrSetOneProp((LPMAPIPROP)a, &method), S_OK);
    LPMESSAGE inner = NULL;
    assert_int_equal(IAttach_OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
                                          MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&inner),
                     S_OK);
    fx_set_string(inner, PR_SUBJECT, "inner");
    assert_int_equal(IMessage_SaveChanges(inner, 0), S_OK);
    IMessage_Release(inner);
    assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
    IAttach_Release(a);
    assert_int_equal(IMessage_SaveChanges(outer, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue size = fx_get(outer, PR_MESSAGE_SIZE);
    total += (uint64_t)size->Value.l;
    MAPIFreeBuffer(size);
    IMessage_Release(outer);

    fmapi_store_stats st = stats_of(mdb);
    assert_int_equal(st.messages, 8);
    assert_int_equal(st.message_bytes, total);
    assert_int_equal(st.soft_deleted, 0);

    /* soft-delete the first three */
    SBinary bins[3];
    for (int i = 0; i < 3; i++) {
        bins[i] = eids[i]->Value.bin;
        LPMESSAGE m = fx_reopen(mdb, eids[i], 0);
        LPSPropValue sz = fx_get(m, PR_MESSAGE_SIZE);
        deleted_bytes += (uint64_t)sz->Value.l;
        MAPIFreeBuffer(sz);
        IMessage_Release(m);
    }
    SBinaryArray list = { 3, bins };
    assert_int_equal(IMAPIFolder_DeleteMessages(inbox, &list, 0, NULL, 0), S_OK);
    st = stats_of(mdb);
    assert_int_equal(st.messages, 5);
    assert_int_equal(st.message_bytes, total - deleted_bytes);
    assert_int_equal(st.soft_deleted, 3);
    assert_int_equal(st.soft_deleted_bytes, deleted_bytes);

    ULONG purged = 0;
    assert_int_equal(fmapi_store_purge(mdb, 0, NULL, 0, &purged), S_OK);
    assert_int_equal(purged, 3);
    st = stats_of(mdb);
    assert_int_equal(st.messages, 5);
    assert_int_equal(st.soft_deleted, 0);
    assert_int_equal(st.soft_deleted_bytes, 0);
    assert_true(st.wal_bytes > 0); /* written, not yet checkpointed away */

    for (int i = 0; i < 6; i++)
        MAPIFreeBuffer(eids[i]);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

/* A stream over 1 MiB moves to a companion file, which the counts show. */
static void large_streams_count_as_companion_files(void **state)
{
    LPMDB mdb = fx_new_store("stats-streams");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    LPATTACH a = NULL;
    ULONG num = 0;
    assert_int_equal(IMessage_CreateAttach(m, NULL, 0, &num, &a), S_OK);
    LPSTREAM s = NULL;
    assert_int_equal(IAttach_OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0,
                                          MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&s),
                     S_OK);
    static char chunk[65536];
    memset(chunk, 'z', sizeof chunk);
    for (int i = 0; i < 40; i++) { /* 2.5 MiB */
        ULONG w = 0;
        assert_int_equal(IStream_Write(s, chunk, sizeof chunk, &w), S_OK);
    }
    assert_int_equal(IStream_Commit(s, 0), S_OK);
    IStream_Release(s);
    assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
    IAttach_Release(a);
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
    fmapi_store_stats st = stats_of(mdb);
    assert_int_equal(st.stream_files, 1);
    assert_int_equal(st.stream_file_bytes, 40 * sizeof chunk);
    assert_int_equal(st.messages, 1);
    assert_true(st.message_bytes >= 40 * sizeof chunk);
    /* the database file itself stays small: the data is beside it */
    assert_true(st.file_bytes < 40 * sizeof chunk);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void bad_arguments_are_refused_with_text(void **state)
{
    LPMDB mdb = fx_new_store("stats-args");
    fmapi_store_stats st;
    assert_int_equal(fmapi_store_get_stats(NULL, 0, &st), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "lpMDB"));
    assert_int_equal(fmapi_store_get_stats(mdb, 0, NULL), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "lpStats"));
    assert_int_equal(fmapi_store_get_stats(mdb, 1, &st), MAPI_E_UNKNOWN_FLAGS);
    assert_non_null(strstr(fmapi_last_error(), "flags"));
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    assert_int_equal(fmapi_store_get_stats((LPMDB)inbox, 0, &st), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "not a message store"));
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static LPMDB sweep_store;

static HRESULT stats_once(void *ctx)
{
    fmapi_store_stats st;
    HRESULT hr = fmapi_store_get_stats(sweep_store, 0, &st);
    if (hr == S_OK && st.messages != 1)
        fail_msg("wrong count %llu", (unsigned long long)st.messages);
    return hr;
}

static void statistics_survive_every_allocation_failure(void **state)
{
    sweep_store = fx_new_store("stats-oom");
    LPMAPIFOLDER inbox = fx_inbox(sweep_store);
    saved_message(inbox, 0, 100, NULL);
    IMAPIFolder_Release(inbox);
    /* A fresh connection: the statement is compiled (and allocated) inside
     * the sweep, not taken from the cache. */
    IMsgStore_Release(sweep_store);
    sweep_store = reopen("stats-oom");
    unsigned points = fm_test_oom_sweep(stats_once, NULL);
    assert_true(points >= 1);
    IMsgStore_Release(sweep_store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_new_store_has_folders_pages_and_no_messages),
        cmocka_unit_test(messages_and_sizes_follow_saves_deletes_and_purges),
        cmocka_unit_test(large_streams_count_as_companion_files),
        cmocka_unit_test(bad_arguments_are_refused_with_text),
        cmocka_unit_test(statistics_survive_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
