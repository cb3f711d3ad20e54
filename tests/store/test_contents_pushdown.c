/*
 * tests/store/test_contents_pushdown.c - restrictions pushed down into
 * SQLite give exactly the rows the general path gives.
 *
 * The contents table evaluates a restriction on the messages table's own
 * columns inside SQLite when it can (store/contents_table.c), and on each
 * message as GetProps returns it otherwise. FREEMAPI_NO_PUSHDOWN=1 forces
 * the second path. Random restrictions over the properties the columns
 * hold (and a few they do not), on random messages, must select the same
 * rows in the same order both ways, sorted and not.
 */
#include <stdlib.h>

#include "store_fixture.h"

#define MESSAGES 120
#define ROUNDS 150

static unsigned seed = 12345;

static unsigned rnd(unsigned n)
{
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) % n;
}

static const char *WORDS[] = { "Budget", "budget", "BUDGET review", "lunch", "Straße", "",
                               "re: Budget", "Ünïcode" };
#define NWORDS (sizeof WORDS / sizeof WORDS[0])

static void make_messages(LPMAPIFOLDER f)
{
    for (int i = 0; i < MESSAGES; i++) {
        LPMESSAGE m = fx_new_message(f);
        SPropValue v[5];
        ULONG n = 0;
        if (rnd(5)) {
            v[n].ulPropTag = PR_SUBJECT_A;
            v[n++].Value.lpszA = (LPSTR)WORDS[rnd(NWORDS)];
        }
        if (rnd(4)) {
            v[n].ulPropTag = PR_SENDER_NAME_A;
            v[n++].Value.lpszA = (LPSTR)WORDS[rnd(NWORDS)];
        }
        if (rnd(3)) {
            v[n].ulPropTag = PR_MESSAGE_DELIVERY_TIME;
            v[n].Value.ft.dwHighDateTime = 30000000;
            v[n++].Value.ft.dwLowDateTime = rnd(20);
        }
        v[n].ulPropTag = PR_MESSAGE_FLAGS;
        v[n++].Value.l = rnd(2) ? MSGFLAG_READ : 0;
        v[n].ulPropTag = PR_IMPORTANCE; /* not a column: forces the general path */
        v[n++].Value.l = (LONG)rnd(3);
        assert_int_equal(IMessage_SetProps(m, n, v, NULL), S_OK);
        if (rnd(4) == 0) {
            LPATTACH a = NULL;
            ULONG num = 0;
            assert_int_equal(IMessage_CreateAttach(m, NULL, 0, &num, &a), S_OK);
            assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
            IAttach_Release(a);
        }
        assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
        IMessage_Release(m);
    }
}

/* A random restriction in r (children from pool), depth levels at most. */
static void random_restriction(SRestriction *r, SRestriction *pool, int *used, SPropValue *vals,
                               int *nv, int depth)
{
    unsigned kind = depth > 0 ? rnd(8) : 3 + rnd(5);
    SPropValue *v = &vals[(*nv)++];
    memset(r, 0, sizeof *r);
    switch (kind) {
    case 0:
    case 1: {
        r->rt = kind == 0 ? RES_AND : RES_OR;
        ULONG n = 1 + rnd(3);
        r->res.resAnd.cRes = n;
        r->res.resAnd.lpRes = &pool[*used];
        *used += (int)n;
        for (ULONG i = 0; i < n; i++)
            random_restriction(&r->res.resAnd.lpRes[i], pool, used, vals, nv, depth - 1);
        break;
    }
    case 2:
        r->rt = RES_NOT;
        r->res.resNot.lpRes = &pool[(*used)++];
        random_restriction(r->res.resNot.lpRes, pool, used, vals, nv, depth - 1);
        break;
    case 3: {
        static const ULONG modes[] = { FL_FULLSTRING, FL_SUBSTRING, FL_PREFIX };
        r->rt = RES_CONTENT;
        r->res.resContent.ulPropTag = rnd(2) ? PR_SUBJECT_A : PR_SENDER_NAME_A;
        r->res.resContent.ulFuzzyLevel = modes[rnd(3)] | (rnd(2) ? FL_IGNORECASE : 0);
        v->ulPropTag = r->res.resContent.ulPropTag;
        v->Value.lpszA = rnd(2) ? "budget" : (LPSTR)WORDS[rnd(NWORDS)];
        r->res.resContent.lpProp = v;
        break;
    }
    case 4:
        r->rt = RES_PROPERTY;
        r->res.resProperty.relop = rnd(6);
        r->res.resProperty.ulPropTag = PR_MESSAGE_DELIVERY_TIME;
        v->ulPropTag = PR_MESSAGE_DELIVERY_TIME;
        v->Value.ft.dwHighDateTime = 30000000;
        v->Value.ft.dwLowDateTime = rnd(20);
        r->res.resProperty.lpProp = v;
        break;
    case 5:
        r->rt = RES_EXIST;
        r->res.resExist.ulPropTag = rnd(2) ? PR_MESSAGE_DELIVERY_TIME : PR_SUBJECT_A;
        break;
    case 6:
        r->rt = RES_BITMASK;
        r->res.resBitMask.relBMR = rnd(2) ? BMR_EQZ : BMR_NEZ;
        r->res.resBitMask.ulPropTag = PR_MESSAGE_FLAGS;
        r->res.resBitMask.ulMask = rnd(2) ? MSGFLAG_READ : MSGFLAG_HASATTACH;
        break;
    default:
        r->rt = RES_PROPERTY;
        r->res.resProperty.relop = rnd(6);
        r->res.resProperty.ulPropTag = rnd(2) ? PR_SUBJECT_A : PR_IMPORTANCE;
        v->ulPropTag = r->res.resProperty.ulPropTag;
        if (v->ulPropTag == PR_IMPORTANCE)
            v->Value.l = (LONG)rnd(3);
        else
            v->Value.lpszA = (LPSTR)WORDS[rnd(NWORDS)];
        r->res.resProperty.lpProp = v;
        break;
    }
}

/* The entry IDs the table selects, as one string of hex record ids. */
static void selected(LPMAPIFOLDER f, SRestriction *r, bool sorted, bool pushdown, char *out,
                     size_t cap)
{
    setenv("FREEMAPI_NO_PUSHDOWN", pushdown ? "0" : "1", 1);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(f, 0, &t), S_OK);
    SizedSPropTagArray(1, cols) = { 1, { PR_INSTANCE_KEY } };
    SizedSSortOrderSet(1, s) = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    LPSRowSet rows = NULL;
    assert_int_equal(HrQueryAllRows(t, (LPSPropTagArray)&cols, r,
                                    sorted ? (LPSSortOrderSet)&s : NULL, 0, &rows),
                     S_OK);
    ULONG count = 0;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &count), S_OK);
    assert_int_equal(count, rows->cRows);
    out[0] = '\0';
    for (ULONG i = 0; i < rows->cRows; i++) {
        char part[16];
        snprintf(part, sizeof part, "%u,", (unsigned)rows->aRow[i].lpProps[0].Value.bin.lpb[0] |
                                               (unsigned)rows->aRow[i].lpProps[0].Value.bin.lpb[1]
                                                   << 8);
        strncat(out, part, cap - strlen(out) - 1);
    }
    FreeProws(rows);
    IMAPITable_Release(t);
    unsetenv("FREEMAPI_NO_PUSHDOWN");
}

static void pushed_down_and_general_paths_select_the_same_rows(void **state)
{
    (void)state;
    LPMDB mdb = fx_new_store("pushdown");
    LPMAPIFOLDER f = fx_inbox(mdb);
    make_messages(f);
    static char a[8192], b[8192];
    int nonempty = 0, partial = 0;
    for (int round = 0; round < ROUNDS; round++) {
        SRestriction pool[128], root;
        SPropValue vals[128];
        int used = 0, nv = 0;
        random_restriction(&root, pool, &used, vals, &nv, 3);
        bool sorted = round % 2;
        selected(f, &root, sorted, true, a, sizeof a);
        selected(f, &root, sorted, false, b, sizeof b);
        if (strcmp(a, b) != 0)
            fail_msg("round %d (sorted %d): pushdown selected [%s], general path [%s]", round,
                     sorted, a, b);
        nonempty += a[0] != '\0';
        partial += strlen(a) > 0 && strlen(a) < 300;
    }
    /* The restrictions were not all trivially true or false. */
    assert_true(nonempty > ROUNDS / 4);
    assert_true(partial > ROUNDS / 10);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pushed_down_and_general_paths_select_the_same_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
