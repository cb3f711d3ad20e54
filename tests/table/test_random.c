/*
 * tests/table/test_random.c - random rows, sort orders and restrictions:
 * the table's rows must equal a brute-force reference computed here.
 *
 * The reference filters with fmapi_restriction_eval (the restriction
 * engine has its own tests) and sorts with a comparator written from the
 * documented rules: keys in order, TABLE_SORT_DESCEND reverses a key,
 * absent values last in both directions (SSortOrder), strings without
 * regard to case and then exactly, ties by source order reversed when the
 * last key descends (table.h: "ties by id, in the direction of the last
 * key").
 */
#include <stdlib.h>
#include <strings.h>

#include "freemapi_restriction.h"
#include "table_fixture.h"

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static char *POOL[] = {"a", "A", "b", "B", "ab", "Ab", "aB", "ba", "", "abc", "ABC", "z"};
#define NPOOL (sizeof POOL / sizeof POOL[0])
static LONG MVPOOL[] = {-2, 0, 1, 3, 5, 8};

static const ULONG KEYS[] = {TAG_NUM, TAG_STR, TAG_NUM2};

typedef struct fixture {
    fx_row rows[40];
    LONG mv[40][3];
    ULONG n;
    SSortOrder sort[3];
    ULONG nsort;
    SRestriction res[16];
    SPropValue vals[16];
    ULONG nres;
} fixture;

static void random_rows(fixture *f)
{
    f->n = rnd(41);
    for (ULONG i = 0; i < f->n; i++) {
        fx_row *r = &f->rows[i];
        r->c = 0;
        r->v[r->c++] = fx_long(TAG_ID, (LONG)i + 1);
        if (rnd(5))
            r->v[r->c++] = fx_long(TAG_NUM, (LONG)rnd(7) - 3);
        if (rnd(5))
            r->v[r->c++] = fx_str(TAG_STR, POOL[rnd(NPOOL)]);
        if (rnd(3))
            r->v[r->c++] = fx_long(TAG_NUM2, (LONG)rnd(3));
        if (rnd(2)) {
            ULONG k = 1 + rnd(3);
            for (ULONG j = 0; j < k; j++)
                f->mv[i][j] = MVPOOL[rnd(6)];
            r->v[r->c++] = fx_mvl(TAG_MVL, f->mv[i], k);
        }
        /* Columns in a random order: the engine must not care. */
        for (ULONG j = r->c - 1; j > 1; j--) {
            ULONG k = 1 + rnd(j);
            SPropValue tmp = r->v[j];
            r->v[j] = r->v[k];
            r->v[k] = tmp;
        }
    }
}

static void random_sort(fixture *f)
{
    f->nsort = 1 + rnd(3);
    ULONG used = 0;
    for (ULONG i = 0; i < f->nsort; i++) {
        ULONG k;
        do
            k = rnd(3);
        while (used & (1u << k));
        used |= 1u << k;
        f->sort[i].ulPropTag = KEYS[k];
        f->sort[i].ulOrder = rnd(2) ? TABLE_SORT_DESCEND : TABLE_SORT_ASCEND;
    }
}

static SRestriction *random_res(fixture *f, int depth)
{
    SRestriction *r = &f->res[f->nres];
    SPropValue *v = &f->vals[f->nres];
    f->nres++;
    static const ULONG relops[] = {RELOP_LT, RELOP_LE, RELOP_GT, RELOP_GE, RELOP_EQ, RELOP_NE};
    ULONG kind = depth < 2 && f->nres < 12 ? rnd(8) : rnd(5);
    switch (kind) {
    case 0:
    case 1:
        r->rt = RES_PROPERTY;
        *v = fx_long(rnd(2) ? TAG_NUM : TAG_NUM2, (LONG)rnd(5) - 2);
        r->res.resProperty.relop = relops[rnd(6)];
        r->res.resProperty.ulPropTag = v->ulPropTag;
        r->res.resProperty.lpProp = v;
        break;
    case 2:
        r->rt = RES_EXIST;
        r->res.resExist.ulPropTag = KEYS[rnd(3)];
        break;
    case 3:
        r->rt = RES_CONTENT;
        *v = fx_str(TAG_STR, POOL[rnd(NPOOL)]);
        r->res.resContent.ulFuzzyLevel = (rnd(2) ? FL_SUBSTRING : FL_PREFIX) |
                                         (rnd(2) ? FL_IGNORECASE : 0);
        r->res.resContent.ulPropTag = TAG_STR;
        r->res.resContent.lpProp = v;
        break;
    case 4:
        r->rt = RES_PROPERTY;
        *v = fx_long(PROP_TAG(PT_LONG, PROP_ID(TAG_MVL)), MVPOOL[rnd(6)]);
        r->res.resProperty.relop = relops[rnd(6)];
        r->res.resProperty.ulPropTag = TAG_MVL;
        r->res.resProperty.lpProp = v;
        break;
    case 5:
        r->rt = RES_NOT;
        r->res.resNot.lpRes = random_res(f, depth + 1);
        break;
    default: {
        r->rt = kind == 6 ? RES_AND : RES_OR;
        /* Children must be adjacent: build them into a scratch array. */
        static SRestriction kids[64][3];
        static ULONG next;
        SRestriction *k = kids[next++ % 64];
        ULONG n = 1 + rnd(3);
        for (ULONG i = 0; i < n; i++)
            k[i] = *random_res(f, depth + 1);
        r->res.resAnd.cRes = n;
        r->res.resAnd.lpRes = k;
    }
    }
    return r;
}

static const SPropValue *value_of(const fx_row *r, ULONG tag)
{
    for (ULONG i = 0; i < r->c; i++)
        if (r->v[i].ulPropTag == tag)
            return &r->v[i];
    return NULL;
}

static const fixture *cmp_fixture;

static int reference_compare(const void *pa, const void *pb)
{
    const fx_row *a = *(const fx_row *const *)pa, *b = *(const fx_row *const *)pb;
    const fixture *f = cmp_fixture;
    for (ULONG k = 0; k < f->nsort; k++) {
        const SPropValue *va = value_of(a, f->sort[k].ulPropTag);
        const SPropValue *vb = value_of(b, f->sort[k].ulPropTag);
        if (!va || !vb) {
            if (va != vb)
                return va ? -1 : 1;
            continue;
        }
        int c;
        if (PROP_TYPE(va->ulPropTag) == PT_STRING8) {
            c = strcasecmp(va->Value.lpszA, vb->Value.lpszA);
            if (c == 0)
                c = strcmp(va->Value.lpszA, vb->Value.lpszA);
        } else {
            c = (va->Value.l > vb->Value.l) - (va->Value.l < vb->Value.l);
        }
        c = c < 0 ? -1 : c > 0;
        if (f->sort[k].ulOrder == TABLE_SORT_DESCEND)
            c = -c;
        if (c)
            return c;
    }
    int c = (a->v[0].Value.l > b->v[0].Value.l) - (a->v[0].Value.l < b->v[0].Value.l);
    return f->sort[f->nsort - 1].ulOrder == TABLE_SORT_DESCEND ? -c : c;
}

static ULONG reference(fixture *f, const SRestriction *res, LONG *ids)
{
    fmapi_restriction *r = NULL;
    if (res)
        assert_int_equal(fmapi_restriction_compile(res, 0, &r), S_OK);
    const fx_row *keep[40];
    ULONG n = 0;
    for (ULONG i = 0; i < f->n; i++) {
        BOOL m = TRUE;
        if (r)
            assert_int_equal(fmapi_restriction_eval(r, f->rows[i].c, f->rows[i].v, NULL, &m),
                             S_OK);
        if (m)
            keep[n++] = &f->rows[i];
    }
    fmapi_restriction_free(r);
    cmp_fixture = f;
    qsort(keep, n, sizeof keep[0], reference_compare);
    for (ULONG i = 0; i < n; i++)
        ids[i] = keep[i]->v[0].Value.l;
    return n;
}

static void one_round(uint64_t seed)
{
    rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
    static fixture f;
    memset(&f, 0, sizeof f);
    random_rows(&f);
    random_sort(&f);
    const SRestriction *res = rnd(4) ? random_res(&f, 0) : NULL;
    LONG want[40];
    ULONG nwant = reference(&f, res, want);

    IMAPITable *t = fx_table(f.rows, f.n, 0);
    if (res)
        assert_int_equal(IMAPITable_Restrict(t, (LPSRestriction)res, 0), S_OK);
    assert_int_equal(fx_sort(t, 0, 0, f.nsort, f.sort), S_OK);
    assert_int_equal(fx_count(t), nwant);
    LONG got[FX_MAXROWS];
    ULONG ngot = fx_ids(t, 100, 0, got, FX_MAXROWS);
    if (ngot != nwant || memcmp(got, want, ngot * sizeof *got) != 0)
        print_error("seed %llu: %lu sort keys, %s\n", (unsigned long long)seed,
                    (unsigned long)f.nsort, res ? "restricted" : "unrestricted");
    fx_expect_ids_(got, ngot, want, nwant, __FILE__, __LINE__);
    /* A random window read backward and forward agrees with it too. */
    if (nwant) {
        LONG at = (LONG)rnd(nwant), len = 1 + (LONG)rnd(5);
        fx_seek(t, BOOKMARK_BEGINNING, at);
        ULONG n = fx_ids(t, len, TBL_NOADVANCE, got, FX_MAXROWS);
        ULONG expect = (ULONG)len < nwant - (ULONG)at ? (ULONG)len : nwant - (ULONG)at;
        fx_expect_ids_(got, n, want + at, expect, __FILE__, __LINE__);
        n = fx_ids(t, -len, 0, got, FX_MAXROWS);
        ULONG back = (ULONG)len < (ULONG)at ? (ULONG)len : (ULONG)at;
        fx_expect_ids_(got, n, want + at - back, back, __FILE__, __LINE__);
    }
    IMAPITable_Release(t);
}

static void tables_agree_with_a_brute_force_reference(void **state)
{
    (void)state;
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    for (uint64_t seed = 1; seed <= 400; seed++)
        one_round(seed);
    fm_test_assert_no_leak(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tables_agree_with_a_brute_force_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
