/*
 * restrict/eval.c - fmapi_restriction_eval: deciding whether one row
 * satisfies a compiled restriction (semantics in freemapi_restriction.h).
 *
 * The hot path is allocation-free: constants were copied and search strings
 * folded at compile time, rows are scanned from a remembered index, strings
 * are folded on the stack. The only failures are running out of memory for
 * a long string or a pattern's backtracking, and a sub-object source's own
 * errors; they travel in eval_ctx and end the evaluation.
 */
#include "core/error.h"
#include "mapicode.h"
#include "mapiutil.h"
#include "props/compare.h"
#include "restrict/restrict.h"

typedef struct eval_ctx {
    ULONG cValues;
    const SPropValue *props;
    const fmapi_subobjects *sub;
    HRESULT hr;
} eval_ctx;

static bool eval_node(eval_ctx *x, fm_rnode *n);

static const SPropValue *find(eval_ctx *x, ULONG tag, ULONG *hint, SPropValue *tmp)
{
    return fm_restrict_find(x->cValues, x->props, tag, hint, tmp);
}

static bool fail(eval_ctx *x, HRESULT hr)
{
    if (x->hr == S_OK)
        x->hr = hr;
    return false;
}

/* ---- RES_PROPERTY ---------------------------------------------------------- */

static bool property_one(eval_ctx *x, fm_rnode *n, const SPropValue *v)
{
    if (n->op == RELOP_RE) {
        fm_text t = fm_prop_text(v);
        bool match = false;
        HRESULT hr = fm_regex_match(n->re, &t, &match);
        return hr == S_OK ? match : fail(x, hr);
    }
    if (!fm_prop_types_comparable(v->ulPropTag, n->value.ulPropTag))
        return false;
    return fm_prop_relop_holds(n->op, fm_prop_compare_values(v, &n->value, 0));
}

/* True when some value of v (all of a single value) satisfies n. */
static bool any_value(eval_ctx *x, fm_rnode *n, const SPropValue *v,
                      bool (*test)(eval_ctx *, fm_rnode *, const SPropValue *))
{
    if (!(PROP_TYPE(v->ulPropTag) & MV_FLAG))
        return test(x, n, v);
    ULONG count = fm_prop_value_count(v);
    if (count > 0 && v->Value.MVl.lpl == NULL)
        return false;
    for (ULONG i = 0; i < count && x->hr == S_OK; i++) {
        SPropValue e;
        fm_prop_value_at(v, i, &e);
        if (test(x, n, &e))
            return true;
    }
    return false;
}

static bool eval_property(eval_ctx *x, fm_rnode *n)
{
    SPropValue tmp;
    const SPropValue *v = find(x, n->tag, &n->hint, &tmp);
    if (v == NULL)
        return false;
    if (n->any)
        return any_value(x, n, v, property_one);
    return property_one(x, n, v);
}

/* ---- RES_CONTENT ----------------------------------------------------------- */

static bool content_one(eval_ctx *x, fm_rnode *n, const SPropValue *v)
{
    if (n->binary) {
        if (PROP_TYPE(v->ulPropTag) != PT_BINARY)
            return false;
        return fm_prop_bytes_contains(v->Value.bin.lpb, v->Value.bin.cb,
                                      (const BYTE *)n->needle, n->nlen, n->mode);
    }
    if (!fm_prop_is_string_type(PROP_TYPE(v->ulPropTag)))
        return false;
    fm_text t = fm_prop_text(v);
    bool match = false;
    HRESULT hr = fm_prop_text_contains(&t, n->needle, n->nlen, n->fold, n->mode, &match);
    return hr == S_OK ? match : fail(x, hr);
}

static bool eval_content(eval_ctx *x, fm_rnode *n)
{
    SPropValue tmp;
    const SPropValue *v = find(x, n->tag, &n->hint, &tmp);
    return v != NULL && any_value(x, n, v, content_one);
}

/* ---- the other leaves -------------------------------------------------------- */

static bool eval_compareprops(eval_ctx *x, fm_rnode *n)
{
    SPropValue ta, tb;
    const SPropValue *a = find(x, n->tag, &n->hint, &ta);
    const SPropValue *b = a ? find(x, n->tag2, &n->hint2, &tb) : NULL;
    if (b == NULL || !fm_prop_types_comparable(a->ulPropTag, b->ulPropTag))
        return false;
    return fm_prop_relop_holds(n->op, fm_prop_compare_values(a, b, 0));
}

static bool eval_bitmask(eval_ctx *x, fm_rnode *n)
{
    SPropValue tmp;
    const SPropValue *v = find(x, n->tag, &n->hint, &tmp);
    if (v == NULL)
        return false;
    bool zero = (v->Value.ul & n->num) == 0;
    return n->op == BMR_EQZ ? zero : !zero;
}

static bool eval_size(eval_ctx *x, fm_rnode *n)
{
    SPropValue tmp;
    const SPropValue *v = find(x, n->tag, &n->hint, &tmp);
    if (v == NULL)
        return false;
    ULONG size = UlPropSize((LPSPropValue)(uintptr_t)v);
    return fm_prop_relop_holds(n->op, (size > n->num) - (size < n->num));
}

/* ---- composites ---------------------------------------------------------------- */

static bool eval_sub(eval_ctx *x, fm_rnode *n)
{
    if (x->sub == NULL || x->sub->get_row == NULL)
        return false;
    for (ULONG i = 0;; i++) {
        ULONG c = 0;
        const SPropValue *row = NULL;
        HRESULT hr = x->sub->get_row(x->sub->context, n->tag, i, &c, &row);
        if (hr == MAPI_E_NOT_FOUND)
            return false;
        if (hr != S_OK)
            return fail(x, hr);
        if (row == NULL && c > 0)
            return fail(x, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                        "sub-object row %lu has cValues > 0 and no values",
                                        (unsigned long)i));
        eval_ctx inner = { c, row, NULL, S_OK };
        bool match = eval_node(&inner, &n->kids[0]);
        if (inner.hr != S_OK)
            return fail(x, inner.hr);
        if (match)
            return true;
    }
}

static bool eval_count(eval_ctx *x, fm_rnode *n)
{
    if (n->counted >= n->num)
        return false;
    bool match = eval_node(x, &n->kids[0]);
    if (match && x->hr == S_OK)
        n->counted++;
    return match;
}

static bool eval_node(eval_ctx *x, fm_rnode *n)
{
    switch (n->rt) {
    case RES_AND:
        for (ULONG i = 0; i < n->nkids; i++)
            if (!eval_node(x, &n->kids[i]))
                return false;
        return true;
    case RES_OR:
        for (ULONG i = 0; i < n->nkids && x->hr == S_OK; i++)
            if (eval_node(x, &n->kids[i]))
                return true;
        return false;
    case RES_NOT: return !eval_node(x, &n->kids[0]);
    case RES_CONTENT: return eval_content(x, n);
    case RES_PROPERTY: return eval_property(x, n);
    case RES_COMPAREPROPS: return eval_compareprops(x, n);
    case RES_BITMASK: return eval_bitmask(x, n);
    case RES_SIZE: return eval_size(x, n);
    case RES_EXIST: {
        SPropValue tmp;
        return find(x, n->tag, &n->hint, &tmp) != NULL;
    }
    case RES_SUBRESTRICTION: return eval_sub(x, n);
    case RES_COMMENT:
    case RES_ANNOTATION: return n->nkids == 0 || eval_node(x, &n->kids[0]);
    case RES_COUNT: return eval_count(x, n);
    default: return false; /* the compiler admits no other type */
    }
}

FREEMAPI_PUBLIC HRESULT fmapi_restriction_eval(fmapi_restriction *r, ULONG cValues,
                                               const SPropValue *lpProps,
                                               const fmapi_subobjects *sub, BOOL *match)
{
    if (match == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_restriction_eval: NULL match");
    *match = FALSE;
    if (r == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_restriction_eval: NULL restriction");
    if (lpProps == NULL && cValues > 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "fmapi_restriction_eval: cValues > 0 with NULL lpProps");
    eval_ctx x = { cValues, lpProps, sub, S_OK };
    bool m = eval_node(&x, &r->root);
    if (x.hr != S_OK)
        return x.hr;
    *match = m ? TRUE : FALSE;
    return S_OK;
}

static void reset_node(fm_rnode *n)
{
    n->counted = 0;
    for (ULONG i = 0; i < n->nkids; i++)
        reset_node(&n->kids[i]);
}

FREEMAPI_PUBLIC void fmapi_restriction_reset(fmapi_restriction *r)
{
    if (r != NULL)
        reset_node(&r->root);
}
