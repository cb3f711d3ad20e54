/*
 * tests/restrict/test_differential.c - random rows against random
 * restrictions, the engine checked against a deliberately plain reference
 * evaluator written here (ASCII strings, longs, linear lookups, recursion
 * straight from the documented meaning). The seed is printed; set
 * FREEMAPI_TEST_SEED to replay a run.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "rtest.h"

#define NODES_MAX 64
#define ROWS 400
#define RESTRICTIONS 400

static unsigned long long rng_state;

static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rng_state >> 33) % n);
}

/* ---- random rows: ids 1,2 PT_LONG; ids 3,4 PT_STRING8; maybe PT_ERROR ----- */

typedef struct row {
    SPropValue v[4];
    ULONG n;
    char text[2][8];
} row;

static void random_string(char *s)
{
    static const char alphabet[] = "aAbB";
    unsigned len = rnd(5);
    for (unsigned i = 0; i < len; i++)
        s[i] = alphabet[rnd(4)];
    s[len] = '\0';
}

static void random_row(row *r)
{
    r->n = 0;
    for (ULONG id = 1; id <= 4; id++) {
        unsigned pick = rnd(6);
        if (pick == 0)
            continue; /* absent */
        SPropValue *v = &r->v[r->n++];
        if (pick == 1) {
            *v = pv_error(id, MAPI_E_NOT_FOUND);
        } else if (id <= 2) {
            *v = pv_long(id, (LONG)rnd(7) - 3);
        } else {
            random_string(r->text[id - 3]);
            *v = pv_str8(id, r->text[id - 3]);
        }
    }
    /* shuffle so lookups cannot rely on order */
    for (ULONG i = r->n; i > 1; i--) {
        ULONG j = rnd(i);
        SPropValue t = r->v[i - 1];
        r->v[i - 1] = r->v[j];
        r->v[j] = t;
    }
}

/* ---- random restrictions ----------------------------------------------- */

typedef struct tree {
    SRestriction nodes[NODES_MAX];
    SPropValue consts[NODES_MAX];
    char text[NODES_MAX][8];
    unsigned used, nconst;
} tree;

static ULONG long_tag(void) { return TAG(PT_LONG, 1 + rnd(2)); }
static ULONG str_tag(void) { return TAG(PT_STRING8, 3 + rnd(2)); }

static SPropValue *random_string_const(tree *t)
{
    unsigned i = t->nconst++;
    random_string(t->text[i]);
    t->consts[i] = pv_str8(3, t->text[i]);
    return &t->consts[i];
}

/* Fills *r with a random restriction; composite nodes take children from
 * t->nodes, leaves only near the depth or node limit. */
static void random_into(tree *t, SRestriction *r, unsigned depth)
{
    bool leaf_only = depth >= 3 || t->used + 4 >= NODES_MAX;
    unsigned kind = leaf_only ? 3 + rnd(7) : rnd(10);
    switch (kind) {
    case 0:
    case 1: {
        ULONG n = 1 + rnd(3);
        unsigned first = t->used;
        t->used += n;
        for (ULONG k = 0; k < n; k++)
            random_into(t, &t->nodes[first + k], depth + 1);
        *r = kind == 0 ? r_and(&t->nodes[first], n) : r_or(&t->nodes[first], n);
        break;
    }
    case 2: {
        SRestriction *kid = &t->nodes[t->used++];
        random_into(t, kid, depth + 1);
        *r = r_not(kid);
        break;
    }
    case 3: {
        SPropValue *c = &t->consts[t->nconst++];
        *c = pv_long(1, (LONG)rnd(7) - 3);
        *r = r_prop(rnd(6), long_tag(), c);
        break;
    }
    case 4: *r = r_prop(rnd(6), str_tag(), random_string_const(t)); break;
    case 5:
        *r = r_content(rnd(3) | (rnd(2) ? FL_IGNORECASE : 0), str_tag(), random_string_const(t));
        break;
    case 6: *r = r_exist(rnd(2) ? long_tag() : str_tag()); break;
    case 7: *r = r_bitmask(rnd(2), long_tag(), rnd(8)); break;
    case 8: *r = r_size(rnd(6), str_tag(), rnd(6)); break;
    default: *r = r_cmpprops(rnd(6), long_tag(), long_tag()); break;
    }
}

/* ---- the reference evaluator -------------------------------------------- */

static const SPropValue *ref_find(const row *w, ULONG tag)
{
    for (ULONG i = 0; i < w->n; i++)
        if (w->v[i].ulPropTag == tag)
            return &w->v[i];
    return NULL;
}

static bool ref_relop(ULONG op, long a, long b)
{
    switch (op) {
    case RELOP_LT: return a < b;
    case RELOP_LE: return a <= b;
    case RELOP_GT: return a > b;
    case RELOP_GE: return a >= b;
    case RELOP_EQ: return a == b;
    default: return a != b;
    }
}

static long ref_strcmp(const char *a, const char *b)
{
    int c = strcmp(a, b);
    return c < 0 ? -1 : c > 0;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool ref_equal_n(const char *a, const char *b, size_t n, bool icase)
{
    for (size_t i = 0; i < n; i++)
        if (icase ? lower(a[i]) != lower(b[i]) : a[i] != b[i])
            return false;
    return true;
}

static bool ref_content(const char *hay, const char *needle, ULONG fuzzy)
{
    bool icase = fuzzy & FL_IGNORECASE;
    size_t hn = strlen(hay), nn = strlen(needle);
    switch (fuzzy & 0xFFFF) {
    case FL_FULLSTRING: return hn == nn && ref_equal_n(hay, needle, nn, icase);
    case FL_PREFIX: return hn >= nn && ref_equal_n(hay, needle, nn, icase);
    default:
        for (size_t i = 0; i + nn <= hn; i++)
            if (ref_equal_n(hay + i, needle, nn, icase))
                return true;
        return false;
    }
}

static bool ref_eval(const SRestriction *r, const row *w)
{
    switch (r->rt) {
    case RES_AND:
        for (ULONG i = 0; i < r->res.resAnd.cRes; i++)
            if (!ref_eval(&r->res.resAnd.lpRes[i], w))
                return false;
        return true;
    case RES_OR:
        for (ULONG i = 0; i < r->res.resOr.cRes; i++)
            if (ref_eval(&r->res.resOr.lpRes[i], w))
                return true;
        return false;
    case RES_NOT: return !ref_eval(r->res.resNot.lpRes, w);
    case RES_PROPERTY: {
        const SPropValue *v = ref_find(w, r->res.resProperty.ulPropTag);
        const SPropValue *c = r->res.resProperty.lpProp;
        if (v == NULL)
            return false;
        if (PROP_TYPE(v->ulPropTag) == PT_LONG)
            return ref_relop(r->res.resProperty.relop, v->Value.l, c->Value.l);
        return ref_relop(r->res.resProperty.relop, ref_strcmp(v->Value.lpszA, c->Value.lpszA), 0);
    }
    case RES_CONTENT: {
        const SPropValue *v = ref_find(w, r->res.resContent.ulPropTag);
        return v && ref_content(v->Value.lpszA, r->res.resContent.lpProp->Value.lpszA,
                                r->res.resContent.ulFuzzyLevel);
    }
    case RES_EXIST: return ref_find(w, r->res.resExist.ulPropTag) != NULL;
    case RES_BITMASK: {
        const SPropValue *v = ref_find(w, r->res.resBitMask.ulPropTag);
        if (v == NULL)
            return false;
        bool zero = (v->Value.ul & r->res.resBitMask.ulMask) == 0;
        return r->res.resBitMask.relBMR == BMR_EQZ ? zero : !zero;
    }
    case RES_SIZE: {
        const SPropValue *v = ref_find(w, r->res.resSize.ulPropTag);
        return v && ref_relop(r->res.resSize.relop, (long)strlen(v->Value.lpszA) + 1,
                              (long)r->res.resSize.cb);
    }
    default: {
        const SPropValue *a = ref_find(w, r->res.resCompareProps.ulPropTag1);
        const SPropValue *b = ref_find(w, r->res.resCompareProps.ulPropTag2);
        return a && b && ref_relop(r->res.resCompareProps.relop, a->Value.l, b->Value.l);
    }
    }
}

static void engine_agrees_with_reference_on_random_input(void **state)
{
    const char *env = getenv("FREEMAPI_TEST_SEED");
    unsigned long long seed = env ? strtoull(env, NULL, 0) : (unsigned long long)time(NULL);
    printf("differential seed: %llu (FREEMAPI_TEST_SEED=%llu to replay)\n", seed, seed);
    rng_state = seed;
    static row rows[ROWS];
    for (int i = 0; i < ROWS; i++)
        random_row(&rows[i]);
    unsigned matches = 0;
    for (int k = 0; k < RESTRICTIONS; k++) {
        static tree t;
        t.used = 1;
        t.nconst = 0;
        SRestriction *res = &t.nodes[0];
        random_into(&t, res, 0);
        fmapi_restriction *r;
        assert_int_equal(fmapi_restriction_compile(res, 0, &r), S_OK);
        for (int i = 0; i < ROWS; i++) {
            BOOL got = FALSE;
            assert_int_equal(fmapi_restriction_eval(r, rows[i].n, rows[i].v, NULL, &got), S_OK);
            bool want = ref_eval(res, &rows[i]);
            if ((bool)got != want)
                fail_msg("seed %llu restriction %d row %d: engine %d, reference %d", seed, k, i,
                         got, want);
            matches += want;
        }
        fmapi_restriction_free(r);
    }
    /* the generator must produce both outcomes, or the test proves little */
    assert_true(matches > ROWS * RESTRICTIONS / 20);
    assert_true(matches < ROWS * RESTRICTIONS - ROWS * RESTRICTIONS / 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(engine_agrees_with_reference_on_random_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
