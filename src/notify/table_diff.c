/*
 * notify/table_diff.c - the events between two views of a table (see
 * table_diff.h).
 *
 * How: rows of the two views are matched by instance key (a hash of the
 * old view's keys). The rows that keep their relative order are a longest
 * increasing subsequence of their old places taken in the new order; every
 * other kept row moved, and is announced once, as a TABLE_ROW_MODIFIED
 * after its new predecessor (one row moving to the end is one event, not
 * one for each row it passed). The client's view is then simulated as a
 * doubly linked list, starting as the old view without its deleted and
 * moved rows; walking the new view in order, a row whose predecessor in the
 * list is not its predecessor in the new view is (re)inserted after it,
 * which is what the client will do with the event. So the list ends as the
 * new view, by construction, and the events are exactly the steps taken.
 * O(n log n) in the two views' sizes (the subsequence), linear otherwise.
 */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapitags.h"
#include "notify/table_diff.h"
#include "props/compare.h"

#define NONE SIZE_MAX

typedef struct keymap {
    size_t *slot; /* index + 1, 0: empty */
    size_t mask;
    const fm_table_diff_row *rows;
} keymap;

static uint64_t key_hash(const SBinary *k)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (ULONG i = 0; i < k->cb; i++)
        h = (h ^ k->lpb[i]) * 0x100000001b3ULL;
    return h;
}

static bool key_equal(const SBinary *a, const SBinary *b)
{
    return a->cb == b->cb && (a->cb == 0 || memcmp(a->lpb, b->lpb, a->cb) == 0);
}

static bool keymap_init(keymap *m, const fm_table_diff_row *rows, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    m->slot = fm_calloc(cap, sizeof *m->slot);
    if (m->slot == NULL)
        return false;
    m->mask = cap - 1;
    m->rows = rows;
    for (size_t i = 0; i < n; i++) {
        size_t at = (size_t)key_hash(&rows[i].key) & m->mask;
        while (m->slot[at] != 0)
            at = (at + 1) & m->mask;
        m->slot[at] = i + 1;
    }
    return true;
}

static size_t keymap_find(const keymap *m, const SBinary *k)
{
    for (size_t at = (size_t)key_hash(k) & m->mask; m->slot[at] != 0; at = (at + 1) & m->mask) {
        if (key_equal(&m->rows[m->slot[at] - 1].key, k))
            return m->slot[at] - 1;
    }
    return NONE;
}

static bool rows_equal(const SRow *a, const SRow *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    if (a->cValues != b->cValues)
        return false;
    for (ULONG i = 0; i < a->cValues; i++) {
        const SPropValue *x = &a->lpProps[i], *y = &b->lpProps[i];
        if (x->ulPropTag != y->ulPropTag || fm_prop_compare_values(x, y, 0) != 0)
            return false;
    }
    return true;
}

/* One step of the walk: row j of the new view added or modified. */
typedef struct step {
    size_t j;
    ULONG event;
} step;

typedef struct walk {
    size_t nold, nnew;
    size_t *match;  /* new j -> old i, or NONE */
    bool *kept;     /* old i -> still in the new view */
    size_t *prev, *next; /* the simulated list: nodes 0..nold-1 old, nold+j new-only */
    bool *stays;         /* old i -> kept in place (in the increasing subsequence) */
    size_t head;
    step *steps;
    size_t nsteps;
} walk;

static void list_unlink(walk *w, size_t x)
{
    if (w->prev[x] != NONE)
        w->next[w->prev[x]] = w->next[x];
    else
        w->head = w->next[x];
    if (w->next[x] != NONE)
        w->prev[w->next[x]] = w->prev[x];
}

static void list_insert_after(walk *w, size_t x, size_t after)
{
    size_t next = after == NONE ? w->head : w->next[after];
    w->prev[x] = after;
    w->next[x] = next;
    if (next != NONE)
        w->prev[next] = x;
    if (after != NONE)
        w->next[after] = x;
    else
        w->head = x;
}

static size_t node_of(const walk *w, size_t j)
{
    return w->match[j] != NONE ? w->match[j] : w->nold + j;
}

/* Marks w->stays: a longest increasing subsequence of the old places of
 * the matched new rows (patience sorting; tails and back are scratch
 * arrays of nnew entries). */
static void mark_stays(walk *w, size_t *tails, size_t *back)
{
    size_t len = 0;
    for (size_t j = 0; j < w->nnew; j++) {
        if (w->match[j] == NONE)
            continue;
        size_t lo = 0, hi = len;
        while (lo < hi) { /* the first tail whose old place is not below j's */
            size_t mid = lo + (hi - lo) / 2;
            if (w->match[tails[mid]] < w->match[j])
                lo = mid + 1;
            else
                hi = mid;
        }
        back[j] = lo > 0 ? tails[lo - 1] : NONE;
        tails[lo] = j;
        if (lo == len)
            len++;
    }
    for (size_t j = len ? tails[len - 1] : NONE; j != NONE; j = back[j])
        w->stays[w->match[j]] = true;
}

/* Walks the new view; false when more than max events would be needed. */
static bool simulate(walk *w, const fm_table_diff_row *old, const fm_table_diff_row *now,
                     size_t ndeleted, size_t max)
{
    size_t last = NONE;
    for (size_t i = 0; i < w->nold; i++) {
        if (!w->kept[i] || !w->stays[i])
            continue;
        list_insert_after(w, i, last);
        last = i;
    }
    for (size_t j = 0; j < w->nnew; j++) {
        size_t want = j == 0 ? NONE : node_of(w, j - 1), x = node_of(w, j);
        ULONG event = 0;
        if (w->match[j] == NONE) {
            list_insert_after(w, x, want);
            event = TABLE_ROW_ADDED;
        } else if (!w->stays[x]) {
            w->stays[x] = true; /* in the list from now on */
            list_insert_after(w, x, want);
            event = TABLE_ROW_MODIFIED;
        } else if (w->prev[x] != want) {
            list_unlink(w, x);
            list_insert_after(w, x, want);
            event = TABLE_ROW_MODIFIED;
        } else if (old[w->match[j]].extra != now[j].extra ||
                   !rows_equal(old[w->match[j]].row, now[j].row)) {
            event = TABLE_ROW_MODIFIED;
        }
        if (event == 0)
            continue;
        if (ndeleted + w->nsteps >= max)
            return false;
        w->steps[w->nsteps++] = (step){ j, event };
    }
    return true;
}

static HRESULT emit_one(fm_table_diff_fn emit, void *ctx, ULONG event, const SBinary *key,
                        const SBinary *prior, const SRow *row)
{
    NOTIFICATION n;
    memset(&n, 0, sizeof n);
    n.ulEventType = fnevTableModified;
    n.info.tab.ulTableEvent = event;
    n.info.tab.propIndex.ulPropTag = PR_INSTANCE_KEY;
    n.info.tab.propIndex.Value.bin = *key;
    if (prior != NULL) {
        n.info.tab.propPrior.ulPropTag = PR_INSTANCE_KEY;
        n.info.tab.propPrior.Value.bin = *prior;
    } else {
        n.info.tab.propPrior.ulPropTag = PR_NULL;
    }
    if (row != NULL)
        n.info.tab.row = *row;
    return emit(ctx, &n);
}

static HRESULT emit_all(const walk *w, const fm_table_diff_row *old, const fm_table_diff_row *now,
                        fm_table_diff_fn emit, void *ctx)
{
    HRESULT hr = S_OK;
    for (size_t i = 0; i < w->nold && hr == S_OK; i++) {
        if (!w->kept[i])
            hr = emit_one(emit, ctx, TABLE_ROW_DELETED, &old[i].key, NULL, NULL);
    }
    for (size_t s = 0; s < w->nsteps && hr == S_OK; s++) {
        size_t j = w->steps[s].j;
        hr = emit_one(emit, ctx, w->steps[s].event, &now[j].key, j ? &now[j - 1].key : NULL,
                      now[j].row);
    }
    return hr;
}

HRESULT fm_table_diff(const fm_table_diff_row *old, size_t nold, const fm_table_diff_row *now,
                      size_t nnew, size_t max, fm_table_diff_fn emit, void *ctx)
{
    walk w = { .nold = nold, .nnew = nnew, .head = NONE };
    keymap m = { 0 };
    size_t nodes = nold + nnew;
    w.match = fm_malloc((nnew + 1) * sizeof *w.match);
    w.kept = fm_calloc(nold + 1, sizeof *w.kept);
    w.prev = fm_malloc((nodes + 1) * sizeof *w.prev);
    w.next = fm_malloc((nodes + 1) * sizeof *w.next);
    w.steps = fm_malloc((max < nnew ? max : nnew) * sizeof *w.steps + sizeof *w.steps);
    w.stays = fm_calloc(nold + 1, sizeof *w.stays);
    size_t *tails = fm_malloc((nnew + 1) * sizeof *tails);
    size_t *back = fm_malloc((nnew + 1) * sizeof *back);
    HRESULT hr = S_OK;
    if (w.match == NULL || w.kept == NULL || w.prev == NULL || w.next == NULL ||
        w.steps == NULL || w.stays == NULL || tails == NULL || back == NULL ||
        !keymap_init(&m, old, nold)) {
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory comparing table views");
        goto done;
    }
    size_t ndeleted = nold;
    for (size_t j = 0; j < nnew; j++) {
        w.match[j] = keymap_find(&m, &now[j].key);
        if (w.match[j] != NONE && !w.kept[w.match[j]]) {
            w.kept[w.match[j]] = true;
            ndeleted--;
        } else {
            w.match[j] = NONE; /* a repeated key is treated as a new row */
        }
    }
    mark_stays(&w, tails, back);
    if (ndeleted > max || !simulate(&w, old, now, ndeleted, max))
        hr = S_FALSE;
    else
        hr = emit_all(&w, old, now, emit, ctx);
done:
    fm_free(m.slot);
    fm_free(w.match);
    fm_free(w.kept);
    fm_free(w.prev);
    fm_free(w.next);
    fm_free(w.steps);
    fm_free(w.stays);
    fm_free(tails);
    fm_free(back);
    return hr;
}
