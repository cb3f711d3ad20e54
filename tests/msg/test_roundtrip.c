/*
 * tests/msg/test_roundtrip.c - store -> .msg -> store leaves every property
 * of every object equal (msg_fixture.h compares them exhaustively), and
 * .msg -> store -> .msg too; the file is Unicode; CopyTo from a store
 * message into a message on a storage works as Windows programs use it;
 * saving never leaves a partial file; leaks and out-of-memory sweeps.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "msg_fixture.h"

typedef struct world {
    LPMDB mdb;
    LPMAPIFOLDER inbox;
    LPMESSAGE sample;
} world;

static int setup(void **state)
{
    static world w;
    w.mdb = fx_store("rt");
    w.inbox = fx_folder(w.mdb);
    w.sample = fx_sample(w.inbox);
    *state = &w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    IMessage_Release(w->sample);
    IMAPIFolder_Release(w->inbox);
    IMsgStore_Release(w->mdb);
    return 0;
}

static void store_to_msg_to_store_keeps_every_property(void **state)
{
    world *w = *state;
    const char *path = fx_tmp("rt.msg");
    unlink(path);
    HRESULT hr = fmapi_msg_save(w->sample, path, 0);
    if (hr != S_OK)
        fail_msg("fmapi_msg_save: 0x%08X %s", (unsigned)hr, fmapi_last_error());
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    LPMESSAGE back = NULL;
    hr = fmapi_msg_import(w->inbox, path, 0, &back);
    if (hr != S_OK)
        fail_msg("fmapi_msg_import: 0x%08X %s", (unsigned)hr, fmapi_last_error());
    fx_assert_same_message(w->sample, back, 0);
    IMessage_Release(back);
}

static LPMESSAGE open_msg(const char *path, LPMSGSESS *sess, IStorage **stg)
{
    WCHAR w[1024];
    size_t i = 0;
    for (; path[i] != 0; i++)
        w[i] = (unsigned char)path[i];
    w[i] = 0;
    assert_int_equal(OpenIMsgSession(MAPIGetDefaultMalloc(), 0, sess), S_OK);
    assert_int_equal(StgOpenStorage(w, NULL, STGM_READ | STGM_SHARE_DENY_WRITE, NULL, 0, stg), S_OK);
    LPMESSAGE m = NULL;
    assert_int_equal(OpenIMsgOnIStg(*sess, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                                    MAPIGetDefaultMalloc(), NULL, *stg, NULL, 0, 0, &m),
                     S_OK);
    return m;
}

static void msg_to_store_to_msg_keeps_every_property(void **state)
{
    world *w = *state;
    const char *a = fx_tmp("a.msg"), *b = fx_tmp("b.msg");
    unlink(a);
    unlink(b);
    assert_int_equal(fmapi_msg_save(w->sample, a, 0), S_OK);
    LPMESSAGE mid = NULL;
    assert_int_equal(fmapi_msg_import(w->inbox, a, 0, &mid), S_OK);
    assert_int_equal(fmapi_msg_save(mid, b, 0), S_OK);
    IMessage_Release(mid);
    LPMSGSESS sa = NULL, sb = NULL;
    IStorage *ga = NULL, *gb = NULL;
    LPMESSAGE ma = open_msg(a, &sa, &ga), mb = open_msg(b, &sb, &gb);
    fx_assert_same_message(ma, mb, 0);
    /* The file says it is Unicode, and its strings are PT_UNICODE. */
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)ma, PR_STORE_SUPPORT_MASK, &v), S_OK);
    assert_true(v->Value.l & STORE_UNICODE_OK);
    MAPIFreeBuffer(v);
    LPSPropTagArray list = NULL;
    assert_int_equal(IMessage_GetPropList(ma, MAPI_UNICODE, &list), S_OK);
    MAPIFreeBuffer(list);
    IMessage_Release(ma);
    IMessage_Release(mb);
    IStorage_Release(ga);
    IStorage_Release(gb);
    CloseIMsgSession(sa);
    CloseIMsgSession(sb);
}

static void a_store_message_copies_into_a_message_on_a_storage(void **state)
{
    world *w = *state;
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    IStorage *stg = NULL;
    LPMSGSESS sess = NULL;
    LPMESSAGE m = NULL;
    assert_int_equal(StgCreateDocfile(NULL, STGM_READWRITE | STGM_SHARE_EXCLUSIVE | STGM_TRANSACTED,
                                      0, &stg),
                     S_OK);
    assert_int_equal(OpenIMsgSession(MAPIGetDefaultMalloc(), 0, &sess), S_OK);
    assert_int_equal(OpenIMsgOnIStg(sess, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                                    MAPIGetDefaultMalloc(), NULL, stg, NULL, 0, MAPI_UNICODE, &m),
                     S_OK);
    /* The store's own CopyTo, as a Windows program saving a .msg calls it. */
    HRESULT hr = IMessage_CopyTo(w->sample, 0, NULL, NULL, 0, NULL, &IID_IMessage, m, 0, NULL);
    if (FAILED(hr))
        fail_msg("CopyTo: 0x%08X %s", (unsigned)hr, fmapi_last_error());
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_SUBJECT_A, &v), S_OK);
    assert_string_equal(v->Value.lpszA, "Subject ✉ level 0");
    MAPIFreeBuffer(v);
    IMessage_Release(m);
    IStorage_Release(stg);
    CloseIMsgSession(sess);
    fm_test_assert_no_leak(&base);
}

static void saving_over_an_existing_file_needs_replace_and_failures_leave_nothing(void **state)
{
    world *w = *state;
    const char *path = fx_tmp("exists.msg");
    FILE *f = fopen(path, "w");
    fputs("not a message", f);
    fclose(f);
    assert_int_equal(fmapi_msg_save(w->sample, path, 0), MAPI_E_COLLISION);
    f = fopen(path, "r");
    char buf[32] = { 0 };
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "not a message");
    assert_int_equal(fmapi_msg_save(w->sample, path, FMAPI_MSG_REPLACE), S_OK);
    /* Importing a file that is not a .msg: a clear error, nothing imported. */
    assert_int_equal(fmapi_msg_save(w->sample, fx_tmp("x/y/none.msg"), 0), MAPI_E_NO_ACCESS);
    f = fopen(fx_tmp("junk.msg"), "w");
    fputs("junk", f);
    fclose(f);
    LPMESSAGE m = NULL;
    assert_int_equal(fmapi_msg_import(w->inbox, fx_tmp("junk.msg"), 0, &m), MAPI_E_CORRUPT_DATA);
    assert_null(m);
    assert_non_null(strstr(fmapi_last_error(), "not a compound file"));
}

typedef struct oom_ctx {
    world *w;
    const char *path;
} oom_ctx;

static HRESULT save_once(void *ctx)
{
    oom_ctx *c = ctx;
    unlink(c->path);
    return fmapi_msg_save(c->w->sample, c->path, 0);
}

static HRESULT import_once(void *ctx)
{
    oom_ctx *c = ctx;
    LPMESSAGE m = NULL;
    HRESULT hr = fmapi_msg_import(c->w->inbox, c->path, 0, &m);
    if (m != NULL) {
        SBinary eid;
        LPSPropValue v = NULL;
        if (HrGetOneProp((LPMAPIPROP)m, PR_ENTRYID, &v) == S_OK) {
            eid = v->Value.bin;
            ENTRYLIST l = { 1, &eid };
            IMAPIFolder_DeleteMessages(c->w->inbox, &l, 0, NULL, DELETE_HARD_DELETE);
        }
        MAPIFreeBuffer(v);
        IMessage_Release(m);
    }
    return hr;
}

static void saving_and_importing_survive_every_allocation_failure(void **state)
{
    world *w = *state;
    /* A smaller message keeps the sweep short: one of each part. */
    LPMESSAGE m = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(w->inbox, NULL, 0, &m), S_OK);
    SPropValue v[] = { { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "oom" } };
    fx_set(m, 1, v);
    fx_named(m, MNID_ID, &fx_ps_test, 1, NULL, PT_LONG);
    fx_recipients(m, 1);
    fx_attach_value(m, "a.bin", 100, 1);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    world small = { w->mdb, w->inbox, m };
    oom_ctx c = { &small, fx_tmp("oom.msg") };
    assert_true(fm_test_oom_sweep(save_once, &c) > 20);
    assert_int_equal(save_once(&c), S_OK);
    assert_true(fm_test_oom_sweep(import_once, &c) > 20);
    IMessage_Release(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(store_to_msg_to_store_keeps_every_property),
        cmocka_unit_test(msg_to_store_to_msg_keeps_every_property),
        cmocka_unit_test(a_store_message_copies_into_a_message_on_a_storage),
        cmocka_unit_test(saving_over_an_existing_file_needs_replace_and_failures_leave_nothing),
        cmocka_unit_test(saving_and_importing_survive_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
