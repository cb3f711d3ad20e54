/*
 * tests/core/test_alloc.c - MAPIAllocateBuffer, MAPIAllocateMore,
 * MAPIFreeBuffer and the allocator's counters and failure injection.
 */
#include <pthread.h>
#include <string.h>

#include "core/alloc.h"
#include "fm_test.h"
#include "mapix.h"

static void allocate_buffer_returns_aligned_writable_memory(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    for (ULONG cb = 0; cb < 100; cb += 7) {
        void *p = NULL;
        assert_int_equal(MAPIAllocateBuffer(cb, &p), S_OK);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        memset(p, 0xAB, cb);
        assert_int_equal(MAPIFreeBuffer(p), S_OK);
    }
    fm_test_assert_no_leak(&b);
}

static void freeing_the_root_frees_every_linked_block(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    void *root, *more = NULL;
    assert_int_equal(MAPIAllocateBuffer(64, &root), S_OK);
    for (int i = 0; i < 50; i++) {
        assert_int_equal(MAPIAllocateMore(32, root, &more), S_OK);
        assert_int_equal((uintptr_t)more % 16, 0);
        memset(more, i, 32);
    }
    fmapi_alloc_stats s;
    fmapi_alloc_get_stats(&s);
    assert_int_equal(s.live_blocks, b.stats.live_blocks + 51);
    assert_int_equal(s.live_mapi_buffers, b.stats.live_mapi_buffers + 51);
    assert_int_equal(MAPIFreeBuffer(root), S_OK);
    fm_test_assert_no_leak(&b);
}

static void allocate_more_onto_a_linked_block_links_to_its_root(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    void *root, *child, *grandchild;
    assert_int_equal(MAPIAllocateBuffer(8, &root), S_OK);
    assert_int_equal(MAPIAllocateMore(8, root, &child), S_OK);
    assert_int_equal(MAPIAllocateMore(8, child, &grandchild), S_OK);
    assert_int_equal(MAPIFreeBuffer(root), S_OK);
    fm_test_assert_no_leak(&b);
}

static void free_buffer_of_null_is_harmless(void **state)
{
    assert_int_equal(MAPIFreeBuffer(NULL), S_OK);
}

static void bad_arguments_are_refused_with_text(void **state)
{
    void *p = (void *)0x1;
    assert_int_equal(MAPIAllocateBuffer(8, NULL), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "lppBuffer"));
    assert_int_equal(MAPIAllocateMore(8, NULL, &p), MAPI_E_INVALID_PARAMETER);
    assert_null(p);
    char on_stack[64] __attribute__((aligned(16))) = { 0 };
    assert_int_equal(MAPIAllocateMore(8, on_stack + 32, &p), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(MAPIAllocateMore(8, on_stack + 33, &p), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(MAPIAllocateMore(8, NULL, NULL), MAPI_E_INVALID_PARAMETER);

    void *root, *more;
    assert_int_equal(MAPIAllocateBuffer(8, &root), S_OK);
    assert_int_equal(MAPIAllocateMore(8, root, &more), S_OK);
    assert_int_equal(MAPIFreeBuffer(more), (ULONG)MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "root"));
    assert_int_equal(MAPIFreeBuffer(root), S_OK);
}

static void failure_injection_fails_exactly_the_nth_allocation(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    void *p[5];
    fmapi_alloc_fail_nth(3);
    for (int i = 0; i < 5; i++) {
        SCODE sc = MAPIAllocateBuffer(16, &p[i]);
        assert_int_equal(sc, i == 2 ? MAPI_E_NOT_ENOUGH_MEMORY : S_OK);
        assert_true(i == 2 ? p[i] == NULL : p[i] != NULL);
    }
    assert_int_equal(fmapi_alloc_injected_failures(), 1);
    assert_int_equal(fmapi_alloc_attempts_since_armed(), 5);
    fmapi_alloc_fail_off();
    for (int i = 0; i < 5; i++)
        MAPIFreeBuffer(p[i]);
    fm_test_assert_no_leak(&b);
}

static void failure_injection_from_k_fails_every_later_allocation(void **state)
{
    void *root, *more;
    assert_int_equal(MAPIAllocateBuffer(16, &root), S_OK);
    fmapi_alloc_fail_from(2);
    assert_int_equal(MAPIAllocateMore(8, root, &more), S_OK);
    assert_int_equal(MAPIAllocateMore(8, root, &more), MAPI_E_NOT_ENOUGH_MEMORY);
    assert_null(fm_malloc(4));
    assert_null(fm_calloc(2, 4));
    assert_int_equal(fmapi_alloc_injected_failures(), 3);
    fmapi_alloc_fail_off();
    void *q = fm_malloc(4);
    assert_non_null(q);
    fm_free(q);
    MAPIFreeBuffer(root);
}

static void internal_blocks_are_counted_and_resized(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    char *s = fm_strdup("hello");
    assert_string_equal(s, "hello");
    fmapi_alloc_stats st;
    fmapi_alloc_get_stats(&st);
    assert_int_equal(st.live_blocks, b.stats.live_blocks + 1);
    assert_int_equal(st.live_bytes, b.stats.live_bytes + 6);
    s = fm_realloc(s, 4000);
    assert_non_null(s);
    assert_string_equal(s, "hello");
    fmapi_alloc_get_stats(&st);
    assert_int_equal(st.live_bytes, b.stats.live_bytes + 4000);
    assert_true(st.peak_bytes >= st.live_bytes);
    fm_free(s);
    char *n = fm_strndup("abcdef", 3);
    assert_string_equal(n, "abc");
    fm_free(n);
    assert_null(fm_calloc(SIZE_MAX / 2, 4));
    fm_free(NULL);
    fm_test_assert_no_leak(&b);
}

static void fm_alloc_mapi_roots_or_links(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    void *root, *child;
    assert_int_equal(fm_alloc_mapi(10, NULL, &root), S_OK);
    assert_true(fm_alloc_is_mapi_buffer(root));
    assert_int_equal(fm_alloc_mapi(10, root, &child), S_OK);
    assert_true(fm_alloc_is_mapi_buffer(child));
    assert_int_equal(fm_alloc_mapi((size_t)UINT32_MAX + 1, NULL, &child),
                     MAPI_E_NOT_ENOUGH_MEMORY);
    MAPIFreeBuffer(root);
    fm_test_assert_no_leak(&b);
}

static void *thread_body(void *root)
{
    for (int i = 0; i < 2000; i++) {
        void *p;
        if (MAPIAllocateMore(24, root, &p) != S_OK)
            return (void *)1;
        void *own;
        if (MAPIAllocateBuffer(40, &own) != S_OK)
            return (void *)1;
        MAPIFreeBuffer(own);
    }
    return NULL;
}

static void threads_allocate_onto_one_root_concurrently(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    void *root;
    assert_int_equal(MAPIAllocateBuffer(8, &root), S_OK);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, thread_body, root), 0);
    for (int i = 0; i < 4; i++) {
        void *rv;
        pthread_join(t[i], &rv);
        assert_null(rv);
    }
    fmapi_alloc_stats s;
    fmapi_alloc_get_stats(&s);
    assert_int_equal(s.live_blocks, b.stats.live_blocks + 1 + 4 * 2000);
    MAPIFreeBuffer(root);
    fm_test_assert_no_leak(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allocate_buffer_returns_aligned_writable_memory),
        cmocka_unit_test(freeing_the_root_frees_every_linked_block),
        cmocka_unit_test(allocate_more_onto_a_linked_block_links_to_its_root),
        cmocka_unit_test(free_buffer_of_null_is_harmless),
        cmocka_unit_test(bad_arguments_are_refused_with_text),
        cmocka_unit_test(failure_injection_fails_exactly_the_nth_allocation),
        cmocka_unit_test(failure_injection_from_k_fails_every_later_allocation),
        cmocka_unit_test(internal_blocks_are_counted_and_resized),
        cmocka_unit_test(fm_alloc_mapi_roots_or_links),
        cmocka_unit_test(threads_allocate_onto_one_root_concurrently),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
