/*
 * tests/core/test_realloc.c - MAPIReallocateBuffer (omapix.h): a root
 * buffer grows and shrinks keeping its bytes and its MAPIAllocateMore
 * blocks (freed with it, no leak), a linked block is reallocated onto the
 * same root, NULL allocates, bad pointers and allocation failure are
 * reported, and the old buffer stays valid after a failure.
 */
#include <string.h>

#include "fm_test.h"
#include "freemapi_alloc.h"
#include "omapix.h"

static void test_root(void **state)
{
    char *p = NULL;
    assert_int_equal(MAPIAllocateBuffer(8, (LPVOID *)&p), S_OK);
    memcpy(p, "abcdefg", 8);
    char *more = NULL;
    assert_int_equal(MAPIAllocateMore(16, p, (LPVOID *)&more), S_OK);
    strcpy(more, "linked");
    char *q = NULL;
    assert_int_equal(MAPIReallocateBuffer(p, 100000, (LPVOID *)&q), S_OK);
    assert_string_equal(q, "abcdefg");
    assert_string_equal(more, "linked");
    /* blocks allocated onto the moved buffer link to it too */
    char *more2 = NULL;
    assert_int_equal(MAPIAllocateMore(4, q, (LPVOID *)&more2), S_OK);
    char *r = NULL;
    assert_int_equal(MAPIReallocateBuffer(q, 3, (LPVOID *)&r), S_OK);
    assert_memory_equal(r, "abc", 3);
    assert_int_equal(MAPIFreeBuffer(r), S_OK); /* frees the linked blocks */
}

static void test_linked_and_null(void **state)
{
    char *root = NULL, *more = NULL, *moved = NULL;
    assert_int_equal(MAPIAllocateBuffer(8, (LPVOID *)&root), S_OK);
    assert_int_equal(MAPIAllocateMore(6, root, (LPVOID *)&more), S_OK);
    memcpy(more, "hello", 6);
    assert_int_equal(MAPIReallocateBuffer(more, 64, (LPVOID *)&moved), S_OK);
    assert_string_equal(moved, "hello");
    assert_int_equal(MAPIFreeBuffer(root), S_OK);

    char *fresh = NULL;
    assert_int_equal(MAPIReallocateBuffer(NULL, 10, (LPVOID *)&fresh), S_OK);
    assert_non_null(fresh);
    assert_int_equal(MAPIFreeBuffer(fresh), S_OK);

    /* not a MAPI buffer: the check reads the header before the pointer, so
     * the whole header lies inside this array */
    char local[128] __attribute__((aligned(16)));
    memset(local, 0, sizeof local);
    LPVOID out = (LPVOID)1;
    assert_int_equal(MAPIReallocateBuffer(local + 96, 8, &out), MAPI_E_INVALID_PARAMETER);
    assert_null(out);
    assert_int_equal(MAPIReallocateBuffer(NULL, 8, NULL), MAPI_E_INVALID_PARAMETER);
}

static void test_failure(void **state)
{
    char *p = NULL;
    assert_int_equal(MAPIAllocateBuffer(4, (LPVOID *)&p), S_OK);
    memcpy(p, "xyz", 4);
    fmapi_alloc_fail_nth(1);
    LPVOID out = (LPVOID)1;
    assert_int_equal(MAPIReallocateBuffer(p, 1000, &out), MAPI_E_NOT_ENOUGH_MEMORY);
    fmapi_alloc_fail_off();
    assert_null(out);
    assert_string_equal(p, "xyz"); /* still valid */
    assert_int_equal(MAPIFreeBuffer(p), S_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_root),
        cmocka_unit_test(test_linked_and_null),
        cmocka_unit_test(test_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
