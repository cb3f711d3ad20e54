/*
 * ab/anr.c - ambiguous name resolution (ab.h).
 *
 * PR_ANR is not a property of any row: a RES_PROPERTY on it asks for the
 * entries whose names begin with the value. Every GAL row carries a
 * private multi-valued column, FM_AB_PR_ANR_KEYS (props.c): the display
 * name and each of its words, the alias, the SMTP address and its local
 * part. ANR is then one RES_CONTENT with FL_PREFIX | FL_LOOSE on that
 * column, evaluated by the restriction engine like any other: true when
 * any key begins with the value, ignoring case (full Unicode case folding)
 * and non-spacing marks ("elo" finds "Éloïse"). Tables rewrite a caller's
 * restriction this way (fm_ab_anr_rewrite), and ResolveName uses the same
 * compiled restriction, so both find the same entries.
 */
#include <string.h>

#include "ab/ab.h"
#include "core/alloc.h"
#include "core/limits.h"
#include "core/text.h"

static void content_node(SRestriction *dst, SPropValue *prop, LPSTR value)
{
    prop->ulPropTag = PROP_TAG(PT_STRING8, PROP_ID(FM_AB_PR_ANR_KEYS));
    prop->Value.lpszA = value;
    dst->rt = RES_CONTENT;
    dst->res.resContent.ulFuzzyLevel = FL_PREFIX | FL_LOOSE;
    dst->res.resContent.ulPropTag = FM_AB_PR_ANR_KEYS;
    dst->res.resContent.lpProp = prop;
}

HRESULT fm_ab_anr_compile(const char *value, fmapi_restriction **out)
{
    SPropValue prop;
    SRestriction r;
    content_node(&r, &prop, (LPSTR)value);
    return fmapi_restriction_compile(&r, 0, out);
}

static bool is_anr(const SRestriction *r)
{
    return r->rt == RES_PROPERTY && PROP_ID(r->res.resProperty.ulPropTag) == PROP_ID(PR_ANR) &&
           r->res.resProperty.lpProp != NULL &&
           (PROP_TYPE(r->res.resProperty.lpProp->ulPropTag) == PT_STRING8 ||
            PROP_TYPE(r->res.resProperty.lpProp->ulPropTag) == PT_UNICODE);
}

/* The one child restriction of r, for the kinds that have one. */
static LPSRestriction *child_of(SRestriction *r)
{
    switch (r->rt) {
    case RES_NOT:
        return &r->res.resNot.lpRes;
    case RES_COUNT:
        return &r->res.resCount.lpRes;
    case RES_COMMENT:
        return &r->res.resComment.lpRes;
    case RES_ANNOTATION:
        return &r->res.resAnnotation.lpRes;
    default:
        return NULL;
    }
}

static bool has_anr(const SRestriction *r, int depth)
{
    if (r == NULL || depth > FM_RESTRICTION_MAX_DEPTH)
        return false;
    if (is_anr(r))
        return true;
    if (r->rt == RES_AND || r->rt == RES_OR) {
        for (ULONG i = 0; i < r->res.resAnd.cRes; i++)
            if (r->res.resAnd.lpRes && has_anr(&r->res.resAnd.lpRes[i], depth + 1))
                return true;
        return false;
    }
    LPSRestriction *c = child_of((SRestriction *)r);
    return c && has_anr(*c, depth + 1);
}

static HRESULT more(size_t n, void *root, void **out)
{
    if (MAPIAllocateMore((ULONG)n, root, out) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory rewriting PR_ANR");
    return S_OK;
}

/* Fills dst from r: nodes leading to a PR_ANR are new, the rest shared. */
static HRESULT rewrite(const SRestriction *r, SRestriction *dst, void *root, int depth)
{
    *dst = *r;
    if (!has_anr(r, depth))
        return S_OK;
    if (is_anr(r)) {
        const SPropValue *v = r->res.resProperty.lpProp;
        SPropValue *prop = NULL;
        HRESULT hr = more(sizeof *prop, root, (void **)&prop);
        LPSTR value = v->Value.lpszA;
        if (hr == S_OK && PROP_TYPE(v->ulPropTag) == PT_UNICODE)
            hr = fm_utf16_to_utf8_mapi(v->Value.lpszW, root, &value);
        if (hr == S_OK)
            content_node(dst, prop, value);
        return hr;
    }
    if (r->rt == RES_AND || r->rt == RES_OR) {
        ULONG n = r->res.resAnd.cRes;
        SRestriction *kids = NULL;
        HRESULT hr = more(n * sizeof *kids, root, (void **)&kids);
        for (ULONG i = 0; hr == S_OK && i < n; i++)
            hr = rewrite(&r->res.resAnd.lpRes[i], &kids[i], root, depth + 1);
        dst->res.resAnd.lpRes = kids;
        return hr;
    }
    LPSRestriction *c = child_of(dst);
    SRestriction *kid = NULL;
    HRESULT hr = more(sizeof *kid, root, (void **)&kid);
    if (hr == S_OK)
        hr = rewrite(*c, kid, root, depth + 1);
    *c = kid;
    return hr;
}

HRESULT fm_ab_anr_rewrite(const SRestriction *res, LPSRestriction *out)
{
    *out = NULL;
    if (res == NULL || !has_anr(res, 0))
        return S_OK;
    SRestriction *top = NULL;
    if (MAPIAllocateBuffer(sizeof *top, (void **)&top) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory rewriting PR_ANR");
    HRESULT hr = rewrite(res, top, top, 0);
    if (hr != S_OK) {
        MAPIFreeBuffer(top);
        return hr;
    }
    *out = top;
    return S_OK;
}
