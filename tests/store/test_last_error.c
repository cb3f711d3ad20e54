/*
 * tests/store/test_last_error.c - a store object shared by threads answers
 * GetLastError consistently: the text it gives for a code is the text of a
 * failure with that code, whichever thread failed last (core/lasterr.c).
 */
#include <pthread.h>
#include <stdatomic.h>

#include "store_fixture.h"

#define ROUNDS 20000

typedef struct shared {
    LPMESSAGE msg;
    atomic_bool stop;
    atomic_int wrong; /* answers whose text belongs to another failure */
} shared;

/* Fails one way (unknown flags) or the other (contradictory flags). */
static void *fail_one_way(void *arg)
{
    shared *sh = arg;
    for (int i = 0; i < ROUNDS && !atomic_load(&sh->stop); i++)
        IMessage_SaveChanges(sh->msg, 0x40000000);
    return NULL;
}

static void *fail_the_other_way(void *arg)
{
    shared *sh = arg;
    for (int i = 0; i < ROUNDS && !atomic_load(&sh->stop); i++)
        IMessage_SaveChanges(sh->msg, KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE);
    return NULL;
}

/* The text for MAPI_E_UNKNOWN_FLAGS is its own failure's, whole, or the
 * code's name: never the text of the MAPI_E_INVALID_PARAMETER failure, nor
 * a mixture of both. */
static void *read_errors(void *arg)
{
    shared *sh = arg;
    for (int i = 0; i < ROUNDS; i++) {
        LPMAPIERROR e = NULL;
        if (IMessage_GetLastError(sh->msg, MAPI_E_UNKNOWN_FLAGS, 0, &e) != S_OK)
            continue;
        const char *t = (const char *)e->lpszError;
        if (strcmp(t, "SaveChanges: unknown flags 0x40000000") != 0 &&
            strcmp(t, "MAPI_E_UNKNOWN_FLAGS") != 0)
            atomic_fetch_add(&sh->wrong, 1);
        MAPIFreeBuffer(e);
    }
    atomic_store(&sh->stop, true);
    return NULL;
}

static void get_last_error_matches_the_code_while_threads_fail_at_once(void **state)
{
    LPMDB mdb = fx_new_store("lasterr");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    shared sh = { 0 };
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &sh.msg), S_OK);
    pthread_t a, b, r;
    assert_int_equal(pthread_create(&a, NULL, fail_one_way, &sh), 0);
    assert_int_equal(pthread_create(&b, NULL, fail_the_other_way, &sh), 0);
    assert_int_equal(pthread_create(&r, NULL, read_errors, &sh), 0);
    pthread_join(r, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    assert_int_equal(atomic_load(&sh.wrong), 0);

    /* and after the threads, the last failure's text is there */
    assert_int_equal(IMessage_SaveChanges(sh.msg, 0x40000000), MAPI_E_UNKNOWN_FLAGS);
    LPMAPIERROR e = NULL;
    assert_int_equal(IMessage_GetLastError(sh.msg, MAPI_E_UNKNOWN_FLAGS, 0, &e), S_OK);
    assert_non_null(strstr((const char *)e->lpszError, "unknown flags"));
    MAPIFreeBuffer(e);
    IMessage_Release(sh.msg);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(get_last_error_matches_the_code_while_threads_fail_at_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
