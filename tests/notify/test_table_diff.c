/*
 * tests/notify/test_table_diff.c - the TABLE_NOTIFICATION events between two
 * views: applied one by one, as a client does, to the old view they give
 * exactly the new one (checked over thousands of random edits); deletions
 * come first and every prior row exists when an event names it; too many
 * changes are one TABLE_CHANGED's worth (S_FALSE); a collapsed category's
 * new leaf shows as its heading's change only.
 */
#include <stdlib.h>

#include "notify/table_diff.h"
#include "notify_fixture.h"

#define MAXROWS 64
#define TAG_V PROP_TAG(PT_LONG, 0x6701)

/* A view: keys 4 bytes, one PT_LONG value per row. */
typedef struct view {
    size_t n;
    uint32_t key[MAXROWS];
    LONG val[MAXROWS];
    BYTE keybytes[MAXROWS][4];
    SPropValue prop[MAXROWS];
    SRow row[MAXROWS];
    fm_table_diff_row d[MAXROWS];
} view;

static void view_fix(view *v)
{
    for (size_t i = 0; i < v->n; i++) {
        memcpy(v->keybytes[i], &v->key[i], 4);
        v->prop[i] = (SPropValue){ .ulPropTag = TAG_V, .Value.l = v->val[i] };
        v->row[i] = (SRow){ 0, 1, &v->prop[i] };
        v->d[i] = (fm_table_diff_row){ { 4, v->keybytes[i] }, &v->row[i], 0 };
    }
}

/* The client: its list of (key, value), changed by each event it gets. */
typedef struct client {
    view v;
    int deleted_seen_after_other; /* a deletion came after an add/modify */
    int other_seen;
    size_t events;
} client;

static size_t find(const view *v, uint32_t key)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->key[i] == key)
            return i;
    return SIZE_MAX;
}

static void remove_at(view *v, size_t i)
{
    memmove(&v->key[i], &v->key[i + 1], (v->n - i - 1) * sizeof v->key[0]);
    memmove(&v->val[i], &v->val[i + 1], (v->n - i - 1) * sizeof v->val[0]);
    v->n--;
}

static void insert_at(view *v, size_t i, uint32_t key, LONG val)
{
    memmove(&v->key[i + 1], &v->key[i], (v->n - i) * sizeof v->key[0]);
    memmove(&v->val[i + 1], &v->val[i], (v->n - i) * sizeof v->val[0]);
    v->key[i] = key;
    v->val[i] = val;
    v->n++;
}

static uint32_t key_of(const SPropValue *v)
{
    uint32_t k;
    assert_int_equal(v->ulPropTag, PR_INSTANCE_KEY);
    assert_int_equal(v->Value.bin.cb, 4);
    memcpy(&k, v->Value.bin.lpb, 4);
    return k;
}

static HRESULT apply(void *ctx, const NOTIFICATION *n)
{
    client *c = ctx;
    const TABLE_NOTIFICATION *t = &n->info.tab;
    assert_int_equal(n->ulEventType, fnevTableModified);
    c->events++;
    uint32_t key = key_of(&t->propIndex);
    if (t->ulTableEvent == TABLE_ROW_DELETED) {
        if (c->other_seen)
            c->deleted_seen_after_other = 1;
        assert_int_equal(t->propPrior.ulPropTag, PR_NULL);
        assert_int_equal(t->row.cValues, 0);
        size_t i = find(&c->v, key);
        assert_true(i != SIZE_MAX);
        remove_at(&c->v, i);
        return S_OK;
    }
    c->other_seen = 1;
    assert_true(t->ulTableEvent == TABLE_ROW_ADDED || t->ulTableEvent == TABLE_ROW_MODIFIED);
    assert_int_equal(t->row.cValues, 1);
    LONG val = t->row.lpProps[0].Value.l;
    size_t have = find(&c->v, key);
    if (t->ulTableEvent == TABLE_ROW_ADDED)
        assert_true(have == SIZE_MAX);
    else
        assert_true(have != SIZE_MAX);
    if (have != SIZE_MAX)
        remove_at(&c->v, have);
    size_t at = 0;
    if (t->propPrior.ulPropTag != PR_NULL) {
        size_t p = find(&c->v, key_of(&t->propPrior));
        assert_true(p != SIZE_MAX); /* the prior row is there when named */
        at = p + 1;
    }
    insert_at(&c->v, at, key, val);
    return S_OK;
}

static void assert_views_equal(const view *a, const view *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_int_equal(a->key[i], b->key[i]);
        assert_int_equal(a->val[i], b->val[i]);
    }
}

static void replay(view *old, view *now, size_t max, client *c, HRESULT want)
{
    view_fix(old);
    view_fix(now);
    memset(c, 0, sizeof *c);
    c->v = *old;
    assert_int_equal(fm_table_diff(old->d, old->n, now->d, now->n, max, apply, c), want);
}

static void the_same_view_gives_no_event(void **state)
{
    view a = { .n = 3, .key = { 1, 2, 3 }, .val = { 10, 20, 30 } }, b = a;
    client c;
    replay(&a, &b, 100, &c, S_OK);
    assert_int_equal(c.events, 0);
}

static void an_added_row_names_the_row_before_it(void **state)
{
    view a = { .n = 2, .key = { 1, 3 }, .val = { 10, 30 } };
    view b = { .n = 3, .key = { 1, 2, 3 }, .val = { 10, 20, 30 } };
    client c;
    replay(&a, &b, 100, &c, S_OK);
    assert_int_equal(c.events, 1);
    assert_views_equal(&c.v, &b);
    /* at the top: PR_NULL */
    view d = { .n = 3, .key = { 0, 1, 3 }, .val = { 5, 10, 30 } };
    replay(&a, &d, 100, &c, S_OK);
    assert_int_equal(c.events, 1);
    assert_views_equal(&c.v, &d);
}

static void a_row_moved_to_the_end_is_one_modification(void **state)
{
    (void)state;
    view a = { .n = 5, .key = { 1, 2, 3, 4, 5 }, .val = { 10, 20, 30, 40, 50 } };
    view b = { .n = 5, .key = { 2, 3, 4, 5, 1 }, .val = { 20, 30, 40, 50, 10 } };
    client c;
    replay(&a, &b, 100, &c, S_OK);
    assert_int_equal(c.events, 1); /* not one for each row it passed */
    assert_views_equal(&c.v, &b);
    /* Two rows swapped: one moves. */
    view d = { .n = 5, .key = { 1, 2, 4, 3, 5 }, .val = { 10, 20, 40, 30, 50 } };
    replay(&a, &d, 100, &c, S_OK);
    assert_int_equal(c.events, 1);
    assert_views_equal(&c.v, &d);
}

static void random_edits_replay_to_the_new_view(void **state)
{
    srand(1616);
    for (int trial = 0; trial < 5000; trial++) {
        view a = { .n = (size_t)(rand() % 30) }, b;
        uint32_t next = 1;
        for (size_t i = 0; i < a.n; i++) {
            a.key[i] = next++;
            a.val[i] = rand() % 5;
        }
        b = a;
        for (int edits = rand() % 8; edits > 0; edits--) {
            int what = rand() % 4;
            if (what == 0 && b.n > 0) {
                remove_at(&b, (size_t)rand() % b.n);
            } else if (what == 1 && b.n < MAXROWS - 1) {
                insert_at(&b, (size_t)rand() % (b.n + 1), next++, rand() % 5);
            } else if (what == 2 && b.n > 0) {
                b.val[rand() % b.n] = rand() % 5;
            } else if (b.n > 1) { /* a move */
                size_t from = (size_t)rand() % b.n, to = (size_t)rand() % (b.n - 1);
                uint32_t k = b.key[from];
                LONG v = b.val[from];
                remove_at(&b, from);
                insert_at(&b, to, k, v);
            }
        }
        client c;
        replay(&a, &b, 1000, &c, S_OK);
        assert_views_equal(&c.v, &b);
        assert_false(c.deleted_seen_after_other);
        /* Never more events than rows that differ in some way. */
        assert_true(c.events <= a.n + b.n);
    }
}

static void too_many_changes_are_left_to_table_changed(void **state)
{
    view a = { .n = 10 }, b = { .n = 10 };
    for (int i = 0; i < 10; i++) {
        a.key[i] = (uint32_t)i + 1;
        b.key[i] = (uint32_t)i + 100;
    }
    client c;
    replay(&a, &b, 5, &c, S_FALSE);
    assert_int_equal(c.events, 0);
    replay(&a, &b, 20, &c, S_OK);
    assert_int_equal(c.events, 20);
    assert_views_equal(&c.v, &b);
}

/* Headings are rows: a new leaf under a collapsed heading changes only the
 * heading's count (its values), and the hidden leaf makes no event. */
static void a_leaf_added_under_a_collapsed_heading_modifies_the_heading(void **state)
{
    /* heading H (count 2, collapsed), then an expanded heading G with a leaf */
    view a = { .n = 3, .key = { 0xA0, 0xB0, 7 }, .val = { 2, 1, 70 } };
    view b = { .n = 3, .key = { 0xA0, 0xB0, 7 }, .val = { 3, 1, 70 } };
    client c;
    replay(&a, &b, 100, &c, S_OK);
    assert_int_equal(c.events, 1);
    assert_views_equal(&c.v, &b);
}

static HRESULT drop(void *ctx, const NOTIFICATION *n)
{
    return S_OK;
}

static HRESULT diff_under_sweep(void *ctx)
{
    view *v = ctx;
    return fm_table_diff(v[0].d, v[0].n, v[1].d, v[1].n, 100, drop, NULL);
}

static void out_of_memory_is_clean(void **state)
{
    view v[2] = { { .n = 3, .key = { 1, 2, 3 } }, { .n = 2, .key = { 3, 1 } } };
    view_fix(&v[0]);
    view_fix(&v[1]);
    assert_true(fm_test_oom_sweep(diff_under_sweep, v) >= 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_same_view_gives_no_event),
        cmocka_unit_test(an_added_row_names_the_row_before_it),
        cmocka_unit_test(a_row_moved_to_the_end_is_one_modification),
        cmocka_unit_test(random_edits_replay_to_the_new_view),
        cmocka_unit_test(too_many_changes_are_left_to_table_changed),
        cmocka_unit_test(a_leaf_added_under_a_collapsed_heading_modifies_the_heading),
        cmocka_unit_test(out_of_memory_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
