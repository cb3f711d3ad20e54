/*
 * bench/bench_restriction.c - rows per second through the restriction
 * engine for a typical folder-view filter, against a hand-written C loop
 * doing the same test on the same rows (the best a store could do without
 * the engine).
 *
 * The restriction:
 *   AND( CONTENT(PR_SUBJECT, FL_SUBSTRING | FL_IGNORECASE, "budget"),
 *        PROPERTY(PR_MESSAGE_DELIVERY_TIME >= t0),
 *        OR( BITMASK(PR_MESSAGE_FLAGS & MSGFLAG_READ == 0),
 *            EXIST(PR_IMPORTANCE) ) )
 * over generated rows of about 20 properties each.
 *
 * Usage: bench_restriction [--rows N] [--repeats K]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freemapi_restriction.h"
#include "harness.h"
#include "mapicode.h"

#define PR_SUBJECT_A PROP_TAG(PT_STRING8, 0x0037)
#define PR_DELIVERY PROP_TAG(PT_SYSTIME, 0x0E06)
#define PR_MSG_FLAGS PROP_TAG(PT_LONG, 0x0E07)
#define PR_IMPORTANCE_L PROP_TAG(PT_LONG, 0x0017)
#define MSGFLAG_READ_BIT 0x1u
#define PROPS_PER_ROW 20
#define T0 133000000000000000ull /* a FILETIME in 2022 */

typedef struct table {
    size_t rows;
    SPropValue *props; /* rows * PROPS_PER_ROW */
    ULONG *counts;
    char *text;        /* subjects, 48 bytes each */
} table;

static unsigned long long rng = 88172645463325252ull;

static unsigned next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)rng;
}

static const char *words[] = { "Budget", "meeting", "Re:", "quarterly", "report", "lunch",
                               "Fwd:", "invoice", "BUDGET", "notes", "plan", "update" };

static void make_subject(char *s)
{
    s[0] = '\0';
    int n = 2 + (int)(next_rand() % 4);
    for (int i = 0; i < n; i++) {
        const char *w = words[next_rand() % (sizeof words / sizeof words[0])];
        if (strlen(s) + strlen(w) + 2 < 48) {
            if (i)
                strcat(s, " ");
            strcat(s, w);
        }
    }
}

static void set_long(SPropValue *p, ULONG tag, LONG v)
{
    p->ulPropTag = tag;
    p->Value.l = v;
}

static void make_row(table *t, size_t r)
{
    SPropValue *p = &t->props[r * PROPS_PER_ROW];
    char *subject = &t->text[r * 48];
    ULONG n = 0;
    for (ULONG i = 0; i < 15; i++) /* filler columns, as a contents table has */
        set_long(&p[n++], PROP_TAG(PT_LONG, 0x6000 + i), (LONG)next_rand());
    make_subject(subject);
    p[n].ulPropTag = PR_SUBJECT_A;
    p[n++].Value.lpszA = subject;
    unsigned long long ft = T0 - 50000000000000ull + (next_rand() % 100000) * 1000000000ull;
    p[n].ulPropTag = PR_DELIVERY;
    p[n].Value.ft.dwLowDateTime = (DWORD)ft;
    p[n++].Value.ft.dwHighDateTime = (DWORD)(ft >> 32);
    set_long(&p[n++], PR_MSG_FLAGS, (LONG)(next_rand() % 4));
    if (next_rand() % 3 == 0)
        set_long(&p[n++], PR_IMPORTANCE_L, 2);
    else
        set_long(&p[n++], PROP_TAG(PT_LONG, 0x6100), 0);
    set_long(&p[n++], PROP_TAG(PT_LONG, 0x6101), 0);
    t->counts[r] = n;
}

/* ---- the reference: the same test, written by hand ------------------------ */

static int contains_budget_nocase(const char *s)
{
    for (; *s; s++) {
        const char *a = s, *b = "budget";
        while (*b && (*a | 0x20) == *b) {
            a++;
            b++;
        }
        if (*b == '\0')
            return 1;
    }
    return 0;
}

static int reference_match(const SPropValue *p, ULONG n)
{
    const SPropValue *subject = NULL, *time = NULL, *flags = NULL, *imp = NULL;
    for (ULONG i = 0; i < n; i++) {
        switch (p[i].ulPropTag) {
        case PR_SUBJECT_A: subject = &p[i]; break;
        case PR_DELIVERY: time = &p[i]; break;
        case PR_MSG_FLAGS: flags = &p[i]; break;
        case PR_IMPORTANCE_L: imp = &p[i]; break;
        default: break;
        }
    }
    if (subject == NULL || !contains_budget_nocase(subject->Value.lpszA) || time == NULL)
        return 0;
    unsigned long long ft = ((unsigned long long)time->Value.ft.dwHighDateTime << 32) |
                            time->Value.ft.dwLowDateTime;
    if (ft < T0)
        return 0;
    return (flags && (flags->Value.ul & MSGFLAG_READ_BIT) == 0) || imp != NULL;
}

typedef struct run_ctx {
    table *t;
    fmapi_restriction *r;
    size_t matches;
} run_ctx;

static double run_engine(void *ctx)
{
    run_ctx *c = ctx;
    size_t m = 0;
    double start = bench_now();
    for (size_t i = 0; i < c->t->rows; i++) {
        BOOL hit = FALSE;
        if (fmapi_restriction_eval(c->r, c->t->counts[i], &c->t->props[i * PROPS_PER_ROW], NULL,
                                   &hit) != S_OK)
            abort();
        m += hit;
    }
    double elapsed = bench_now() - start;
    c->matches = m;
    return elapsed;
}

static double run_reference(void *ctx)
{
    run_ctx *c = ctx;
    size_t m = 0;
    double start = bench_now();
    for (size_t i = 0; i < c->t->rows; i++)
        m += (size_t)reference_match(&c->t->props[i * PROPS_PER_ROW], c->t->counts[i]);
    double elapsed = bench_now() - start;
    c->matches = m;
    return elapsed;
}

static HRESULT compile_filter(fmapi_restriction **out)
{
    static SPropValue needle = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "budget" };
    static SPropValue t0 = { .ulPropTag = PR_DELIVERY,
                             .Value.ft = { (DWORD)T0, (DWORD)(T0 >> 32) } };
    SRestriction either[2] = {
        { .rt = RES_BITMASK, .res.resBitMask = { BMR_EQZ, PR_MSG_FLAGS, MSGFLAG_READ_BIT } },
        { .rt = RES_EXIST, .res.resExist = { 0, PR_IMPORTANCE_L, 0 } },
    };
    SRestriction all[3] = {
        { .rt = RES_CONTENT,
          .res.resContent = { FL_SUBSTRING | FL_IGNORECASE, PR_SUBJECT_A, &needle } },
        { .rt = RES_PROPERTY, .res.resProperty = { RELOP_GE, PR_DELIVERY, &t0 } },
        { .rt = RES_OR, .res.resOr = { 2, either } },
    };
    SRestriction top = { .rt = RES_AND, .res.resAnd = { 3, all } };
    return fmapi_restriction_compile(&top, 0, out);
}

int main(int argc, char **argv)
{
    size_t rows = 1000000;
    int repeats = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--rows") == 0)
            rows = (size_t)strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--repeats") == 0)
            repeats = atoi(argv[i + 1]);
    }
    bench_print_command(argc, argv);
    table t = { rows, calloc(rows * PROPS_PER_ROW, sizeof(SPropValue)),
                calloc(rows, sizeof(ULONG)), calloc(rows, 48) };
    if (!t.props || !t.counts || !t.text)
        return 1;
    for (size_t i = 0; i < rows; i++)
        make_row(&t, i);
    run_ctx c = { &t, NULL, 0 };
    if (compile_filter(&c.r) != S_OK)
        return 1;
    double engine = bench_median(run_engine, &c, repeats);
    size_t engine_matches = c.matches;
    double reference = bench_median(run_reference, &c, repeats);
    if (engine_matches != c.matches) {
        fprintf(stderr, "engine matched %zu rows, reference %zu\n", engine_matches, c.matches);
        return 1;
    }
    bench_report("rows", (double)rows, "rows");
    bench_report("matching_rows", (double)engine_matches, "rows");
    bench_report("restriction_engine", (double)rows / engine, "rows/s");
    bench_report("hand_written_loop", (double)rows / reference, "rows/s");
    bench_report("engine_vs_hand_written", engine / reference, "x time");
    fmapi_restriction_free(c.r);
    free(t.props);
    free(t.counts);
    free(t.text);
    return 0;
}
