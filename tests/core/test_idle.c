/*
 * tests/core/test_idle.c - the idle engine: routines run on its thread,
 * highest priority first among those due, disabled ones wait, changes
 * apply, deregistration waits for a call in progress, and nothing runs
 * without MAPIInitIdle. Waits are for conditions, never for a time.
 */
#include <pthread.h>
#include <semaphore.h>
#include <string.h>

#include "fm_test.h"
#include "mapiutil.h"

typedef struct counter {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int calls;
    char order[16];
} counter;

static counter c = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, "" };

static void reset(void)
{
    pthread_mutex_lock(&c.lock);
    c.calls = 0;
    c.order[0] = '\0';
    pthread_mutex_unlock(&c.lock);
}

static void note(char tag)
{
    pthread_mutex_lock(&c.lock);
    size_t n = strlen(c.order);
    if (n + 1 < sizeof c.order) {
        c.order[n] = tag;
        c.order[n + 1] = '\0';
    }
    c.calls++;
    pthread_cond_broadcast(&c.cond);
    pthread_mutex_unlock(&c.lock);
}

static void wait_calls(int n)
{
    pthread_mutex_lock(&c.lock);
    while (c.calls < n)
        pthread_cond_wait(&c.cond, &c.lock);
    pthread_mutex_unlock(&c.lock);
}

static BOOL STDAPICALLTYPE count_routine(LPVOID p)
{
    note(*(const char *)p);
    return FALSE;
}

static void registered_routines_run_on_the_engine(void **state)
{
    assert_int_equal(MAPIInitIdle(NULL), 0);
    reset();
    FTG f = FtgRegisterIdleRoutine(count_routine, "a", 1, 0, 0);
    assert_non_null(f);
    wait_calls(3); /* again and again, not once */
    DeregisterIdleRoutine(f);
    MAPIDeinitIdle();
}

static sem_t gate;

static BOOL STDAPICALLTYPE blocking_routine(LPVOID p)
{
    note('G');
    sem_wait(&gate);
    return FALSE;
}

static void the_highest_priority_due_routine_runs_first(void **state)
{
    assert_int_equal(MAPIInitIdle(NULL), 0);
    reset();
    sem_init(&gate, 0, 0);
    /* The engine is held in a routine while two more become due. */
    FTG g = FtgRegisterIdleRoutine(blocking_routine, NULL, 100, 0, FIROONCEONLY);
    wait_calls(1);
    FTG lo = FtgRegisterIdleRoutine(count_routine, "l", 1, 0, 0);
    FTG hi = FtgRegisterIdleRoutine(count_routine, "h", 5, 0, 0);
    ChangeIdleRoutine(g, NULL, NULL, 0, 0, FIRODISABLED, FIRCIRO); /* not picked again */
    sem_post(&gate);
    wait_calls(2);
    pthread_mutex_lock(&c.lock);
    assert_int_equal(c.order[0], 'G');
    assert_int_equal(c.order[1], 'h');
    pthread_mutex_unlock(&c.lock);
    DeregisterIdleRoutine(lo);
    DeregisterIdleRoutine(hi);
    DeregisterIdleRoutine(g);
    sem_destroy(&gate);
    MAPIDeinitIdle();
}

static void disabled_routines_wait_until_enabled(void **state)
{
    assert_int_equal(MAPIInitIdle(NULL), 0);
    reset();
    FTG off = FtgRegisterIdleRoutine(count_routine, "x", 1, 0, FIRODISABLED);
    FTG on = FtgRegisterIdleRoutine(count_routine, "y", 1, 0, 0);
    wait_calls(3);
    pthread_mutex_lock(&c.lock);
    assert_null(strchr(c.order, 'x'));
    pthread_mutex_unlock(&c.lock);
    DeregisterIdleRoutine(on);
    reset();
    EnableIdleRoutine(off, TRUE);
    wait_calls(1);
    pthread_mutex_lock(&c.lock);
    assert_int_equal(c.order[0], 'x');
    pthread_mutex_unlock(&c.lock);
    DeregisterIdleRoutine(off);
    MAPIDeinitIdle();
}

static sem_t started, proceed;
static volatile int finished;

static BOOL STDAPICALLTYPE slow_routine(LPVOID p)
{
    sem_post(&started);
    sem_wait(&proceed);
    finished = 1;
    return FALSE;
}

static void *release_later(void *arg)
{
    sem_post(&proceed);
    return NULL;
}

static void deregistering_waits_for_the_call_in_progress(void **state)
{
    assert_int_equal(MAPIInitIdle(NULL), 0);
    sem_init(&started, 0, 0);
    sem_init(&proceed, 0, 0);
    finished = 0;
    FTG f = FtgRegisterIdleRoutine(slow_routine, NULL, 1, 0, 0);
    sem_wait(&started);
    pthread_t t;
    pthread_create(&t, NULL, release_later, NULL);
    DeregisterIdleRoutine(f);
    assert_int_equal(finished, 1); /* the call had returned before Deregister did */
    pthread_join(t, NULL);
    sem_destroy(&started);
    sem_destroy(&proceed);
    MAPIDeinitIdle();
}

static void nothing_registers_without_init_and_bad_tags_are_ignored(void **state)
{
    assert_null(FtgRegisterIdleRoutine(count_routine, "z", 1, 0, 0));
    assert_non_null(strstr(fmapi_last_error(), "MAPIInitIdle"));
    assert_int_equal(MAPIInitIdle(NULL), 0);
    assert_int_equal(MAPIInitIdle(NULL), 0); /* counted */
    assert_null(FtgRegisterIdleRoutine(NULL, NULL, 1, 0, 0));
    int junk;
    DeregisterIdleRoutine((FTG)&junk); /* not a tag the engine made: nothing happens */
    EnableIdleRoutine((FTG)&junk, TRUE);
    ChangeIdleRoutine((FTG)&junk, count_routine, NULL, 1, 0, 0, FIRCPFN);
    MAPIDeinitIdle();
    MAPIDeinitIdle();
    MAPIDeinitIdle(); /* one more than the inits: nothing */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(registered_routines_run_on_the_engine),
        cmocka_unit_test(the_highest_priority_due_routine_runs_first),
        cmocka_unit_test(disabled_routines_wait_until_enabled),
        cmocka_unit_test(deregistering_waits_for_the_call_in_progress),
        cmocka_unit_test(nothing_registers_without_init_and_bad_tags_are_ignored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
