/*
 * tests/notify/test_notification_copy.c - ScCountNotifications,
 * ScCopyNotifications and ScRelocNotifications over one notification of
 * every event type: the copy equals the original and points only into its
 * block, a moved block works after relocation (and through base 0, as for
 * disk), and invalid notifications are refused.
 */
#include "notify_fixture.h"

static void *block(ULONG cb)
{
    void *p = NULL;
    assert_int_equal(MAPIAllocateBuffer(cb, &p), S_OK);
    return p;
}

/* Every pointer of the notification lies in [base, base + size). */
static int inside(const void *p, const void *base, ULONG size)
{
    return p == NULL || ((const char *)p >= (const char *)base &&
                         (const char *)p < (const char *)base + size &&
                         (uintptr_t)p % 8 == 0);
}

static void assert_self_contained(const NOTIFICATION *n, const void *base, ULONG size)
{
    switch (n->ulEventType) {
    case fnevCriticalError:
        assert_true(inside(n->info.err.lpEntryID, base, size));
        assert_true(inside(n->info.err.lpMAPIError, base, size));
        assert_true(inside(n->info.err.lpMAPIError->lpszError, base, size));
        assert_true(inside(n->info.err.lpMAPIError->lpszComponent, base, size));
        break;
    case fnevNewMail:
        assert_true(inside(n->info.newmail.lpEntryID, base, size));
        assert_true(inside(n->info.newmail.lpParentID, base, size));
        assert_true(inside(n->info.newmail.lpszMessageClass, base, size));
        break;
    case fnevTableModified:
        assert_true(fx_points_into(&n->info.tab.propIndex, base, size));
        assert_true(fx_points_into(&n->info.tab.propPrior, base, size));
        assert_true(inside(n->info.tab.row.lpProps, base, size));
        for (ULONG i = 0; i < n->info.tab.row.cValues; i++)
            assert_true(fx_points_into(&n->info.tab.row.lpProps[i], base, size));
        break;
    case fnevExtended: assert_true(inside(n->info.ext.pbEventParameters, base, size)); break;
    case fnevStatusObjectModified:
        assert_true(inside(n->info.statobj.lpEntryID, base, size));
        for (ULONG i = 0; i < n->info.statobj.cValues; i++)
            assert_true(fx_points_into(&n->info.statobj.lpPropVals[i], base, size));
        break;
    default:
        assert_true(inside(n->info.obj.lpEntryID, base, size));
        assert_true(inside(n->info.obj.lpParentID, base, size));
        assert_true(inside(n->info.obj.lpOldID, base, size));
        assert_true(inside(n->info.obj.lpOldParentID, base, size));
        assert_true(inside(n->info.obj.lpPropTagArray, base, size));
        break;
    }
}

static void copy_of_every_event_type_is_equal_and_self_contained(void **state)
{
    NOTIFICATION n[NX_TYPES + 1];
    SPropValue row[FX_COUNT], status_row[FX_COUNT];
    nx_all_types(n, row);
    nx_status(&n[NX_TYPES], status_row);
    ULONG cb = 0, copied = 0;
    assert_int_equal(ScCountNotifications(NX_TYPES + 1, n, &cb), S_OK);
    assert_true(cb > (NX_TYPES + 1) * sizeof(NOTIFICATION));
    NOTIFICATION *copy = block(cb);
    assert_int_equal(ScCopyNotifications(NX_TYPES + 1, n, copy, &copied), S_OK);
    assert_int_equal(copied, cb);
    for (int i = 0; i < NX_TYPES + 1; i++) {
        assert_true(nx_equal(&copy[i], &n[i]));
        assert_self_contained(&copy[i], copy, cb);
    }
    /* Counting the copy gives the same size: nothing points outside. */
    ULONG again = 0;
    assert_int_equal(ScCountNotifications(NX_TYPES + 1, copy, &again), S_OK);
    assert_int_equal(again, cb);
    MAPIFreeBuffer(copy);
}

static void copy_without_size_still_copies(void **state)
{
    NOTIFICATION n[NX_TYPES];
    SPropValue row[FX_COUNT];
    nx_all_types(n, row);
    ULONG cb = 0;
    assert_int_equal(ScCountNotifications(2, n, &cb), S_OK);
    NOTIFICATION *copy = block(cb);
    memset(copy, 0, cb);
    assert_int_equal(ScCopyNotifications(2, n, copy, NULL), S_OK);
    assert_true(nx_equal(&copy[0], &n[0]));
    assert_true(nx_equal(&copy[1], &n[1]));
    MAPIFreeBuffer(copy);
}

static NOTIFICATION *make_block(NOTIFICATION *n, SPropValue *row, SPropValue *srow, ULONG *cb)
{
    nx_all_types(n, row);
    nx_status(&n[NX_TYPES], srow);
    assert_int_equal(ScCountNotifications(NX_TYPES + 1, n, cb), S_OK);
    NOTIFICATION *b = block(*cb);
    assert_int_equal(ScCopyNotifications(NX_TYPES + 1, n, b, NULL), S_OK);
    return b;
}

static void moved_block_works_after_relocation(void **state)
{
    NOTIFICATION n[NX_TYPES + 1];
    SPropValue row[FX_COUNT], srow[FX_COUNT];
    ULONG cb, got = 0;
    NOTIFICATION *old = make_block(n, row, srow, &cb);
    NOTIFICATION *moved = block(cb);
    memcpy(moved, old, cb);
    memset(old, 0, cb); /* the moved copy must not lean on the old block */
    assert_int_equal(ScRelocNotifications(NX_TYPES + 1, moved, old, moved, &got), S_OK);
    assert_int_equal(got, cb);
    for (int i = 0; i < NX_TYPES + 1; i++) {
        assert_true(nx_equal(&moved[i], &n[i]));
        assert_self_contained(&moved[i], moved, cb);
    }
    MAPIFreeBuffer(old);
    MAPIFreeBuffer(moved);
}

static void round_trip_through_base_zero_as_for_disk(void **state)
{
    NOTIFICATION n[NX_TYPES + 1];
    SPropValue row[FX_COUNT], srow[FX_COUNT];
    ULONG cb, got = 0;
    NOTIFICATION *b = make_block(n, row, srow, &cb);
    /* Pointers relative to 0, counted while the block is still readable. */
    assert_int_equal(ScRelocNotifications(NX_TYPES + 1, b, b, NULL, &got), S_OK);
    assert_int_equal(got, cb);
    assert_true((uintptr_t)b[0].info.err.lpEntryID < cb);
    NOTIFICATION *reread = block(cb);
    memcpy(reread, b, cb);
    MAPIFreeBuffer(b);
    assert_int_equal(ScRelocNotifications(NX_TYPES + 1, reread, NULL, reread, NULL), S_OK);
    for (int i = 0; i < NX_TYPES + 1; i++)
        assert_true(nx_equal(&reread[i], &n[i]));
    MAPIFreeBuffer(reread);
}

static void absent_members_stay_absent(void **state)
{
    NOTIFICATION n;
    memset(&n, 0, sizeof n);
    n.ulEventType = fnevObjectDeleted;
    n.info.obj.ulObjType = MAPI_FOLDER;
    ULONG cb = 0;
    assert_int_equal(ScCountNotifications(1, &n, &cb), S_OK);
    assert_int_equal(cb, sizeof(NOTIFICATION));
    NOTIFICATION copy;
    assert_int_equal(ScCopyNotifications(1, &n, &copy, NULL), S_OK);
    assert_null(copy.info.obj.lpEntryID);
    assert_null(copy.info.obj.lpPropTagArray);
    assert_int_equal(copy.info.obj.ulObjType, MAPI_FOLDER);
}

static void invalid_notifications_are_refused(void **state)
{
    NOTIFICATION n;
    memset(&n, 0, sizeof n);
    ULONG cb = 0;
    /* No event, two events, an unknown one. */
    assert_int_equal(ScCountNotifications(1, &n, &cb), MAPI_E_INVALID_PARAMETER);
    n.ulEventType = fnevNewMail | fnevObjectCreated;
    assert_int_equal(ScCountNotifications(1, &n, &cb), MAPI_E_INVALID_PARAMETER);
    n.ulEventType = 0x00100000;
    assert_int_equal(ScCountNotifications(1, &n, &cb), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ScRelocNotifications(1, &n, NULL, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    /* A count without its pointer. */
    n.ulEventType = fnevObjectCreated;
    n.info.obj.cbEntryID = 4;
    assert_int_equal(ScCountNotifications(1, &n, &cb), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ScCopyNotifications(1, &n, &n, &cb), MAPI_E_INVALID_PARAMETER);
    n.info.obj.cbEntryID = 0;
    /* Table rows with a property of an unknown type. */
    SPropValue bad = { .ulPropTag = PROP_TAG(0x0077, 0x6000) };
    n.ulEventType = fnevTableModified;
    n.info.tab.propIndex.ulPropTag = PR_NULL;
    n.info.tab.propPrior.ulPropTag = PR_NULL;
    n.info.tab.row = (SRow){ 0, 1, &bad };
    assert_int_equal(ScCountNotifications(1, &n, &cb), MAPI_E_INVALID_PARAMETER);
    /* Bad arrays. */
    assert_int_equal(ScCountNotifications(-1, &n, &cb), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ScCountNotifications(1, NULL, &cb), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ScCopyNotifications(0, NULL, NULL, &cb), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ScCountNotifications(0, NULL, &cb), S_OK);
    assert_int_equal(cb, 0);
    assert_string_not_equal(fmapi_last_error(), "");
}

static void count_without_size_only_validates(void **state)
{
    NOTIFICATION n[NX_TYPES];
    SPropValue row[FX_COUNT];
    nx_all_types(n, row);
    assert_int_equal(ScCountNotifications(NX_TYPES, n, NULL), S_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(copy_of_every_event_type_is_equal_and_self_contained),
        cmocka_unit_test(copy_without_size_still_copies),
        cmocka_unit_test(moved_block_works_after_relocation),
        cmocka_unit_test(round_trip_through_base_zero_as_for_disk),
        cmocka_unit_test(absent_members_stay_absent),
        cmocka_unit_test(invalid_notifications_are_refused),
        cmocka_unit_test(count_without_size_only_validates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
