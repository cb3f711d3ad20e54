/*
 * props/validate_restriction.c - SRestriction trees.
 *
 * Rules from the MAPI reference pages of SRestriction and each S*Restriction
 * structure: relational operators RELOP_LT..RELOP_RE; RES_CONTENT fuzzy
 * levels (exactly one of FL_FULLSTRING/FL_SUBSTRING/FL_PREFIX in the low
 * word, any of FL_IGNORECASE/FL_IGNORENONSPACE/FL_LOOSE in the high word) on
 * string or binary properties; "the two property types must match" for
 * RES_CONTENT/RES_PROPERTY (lpProp of a multivalued property may hold one
 * value of the base type, and must when the tag has MVI_FLAG) and for
 * RES_COMPAREPROPS; RES_BITMASK on PT_LONG; RES_SUBRESTRICTION over
 * PR_MESSAGE_RECIPIENTS or PR_MESSAGE_ATTACHMENTS. RES_COUNT and
 * RES_ANNOTATION follow [MS-OXCDATA] 2.12.
 *
 * Recursion is bounded by FM_RESTRICTION_MAX_DEPTH before anything else is
 * read at a level, so a hostile tree cannot exhaust the stack; the recursive
 * function keeps no buffers of its own.
 */
#include <stdarg.h>
#include <stdio.h>

#include "core/error.h"
#include "core/limits.h"
#include "mapicode.h"
#include "mapitags.h"
#include "props/validate.h"

/* Subobject tables a RES_SUBRESTRICTION can search (PidTagMessageRecipients,
 * PidTagMessageAttachments, both PT_OBJECT). */
#define SUBOBJ_RECIPIENTS PR_MESSAGE_RECIPIENTS
#define SUBOBJ_ATTACHMENTS PR_MESSAGE_ATTACHMENTS

#define FL_LOW_MASK ((ULONG)0x0000FFFF)
#define FL_HIGH_KNOWN (FL_IGNORECASE | FL_IGNORENONSPACE | FL_LOOSE)

static const char *const rt_names[] = {
    "RES_AND",     "RES_OR",      "RES_NOT",   "RES_CONTENT",        "RES_PROPERTY",
    "RES_COMPAREPROPS", "RES_BITMASK", "RES_SIZE", "RES_EXIST", "RES_SUBRESTRICTION",
    "RES_COMMENT", "RES_COUNT",   "RES_ANNOTATION",
};

static FM_NOINLINE HRESULT FM_PRINTF(5, 6)
    res_fail(HRESULT hr, const char *what, unsigned depth, ULONG rt, const char *fmt, ...)
{
    char detail[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    const char *name = rt < sizeof rt_names / sizeof rt_names[0] ? rt_names[rt] : "unknown";
    return fm_error_set(hr, "%s: restriction at depth %u (%s): %s", fm_validate_what(what),
                        depth, name, detail);
}

static HRESULT res_check(const SRestriction *r, unsigned depth, const char *what);

/* A child array (cRes entries) or a single child (n == 1). */
static HRESULT children_check(const SRestriction *kids, ULONG n, unsigned depth, ULONG rt,
                              const char *what)
{
    if (n == 0)
        return S_OK;
    if (kids == NULL)
        return res_fail(MAPI_E_INVALID_PARAMETER, what, depth, rt,
                        "%lu subrestrictions and a NULL lpRes", (unsigned long)n);
    if (FM_MISALIGNED(kids, SRestriction))
        return res_fail(MAPI_E_INVALID_PARAMETER, what, depth, rt, "lpRes is misaligned");
    for (ULONG i = 0; i < n; i++) {
        HRESULT hr = res_check(&kids[i], depth + 1, what);
        if (hr != S_OK)
            return hr;
    }
    return S_OK;
}

static HRESULT relop_check(ULONG relop, unsigned depth, ULONG rt, const char *what)
{
    if (relop > RELOP_RE)
        return res_fail(MAPI_E_INVALID_PARAMETER, what, depth, rt,
                        "relop %lu is not a relational operator", (unsigned long)relop);
    return S_OK;
}

/* lpProp of RES_CONTENT / RES_PROPERTY against ulPropTag. */
static HRESULT operand_check(ULONG tag, const SPropValue *prop, unsigned depth, ULONG rt,
                             const char *what)
{
    if (prop == NULL)
        return res_fail(MAPI_E_INVALID_PARAMETER, what, depth, rt, "lpProp is NULL");
    HRESULT hr = fm_validate_prop_in(prop, FM_VP_OPERAND, what, FM_VALIDATE_NO_INDEX);
    if (hr != S_OK)
        return hr;
    ULONG tt = PROP_TYPE(tag) & ~(ULONG)MV_INSTANCE;
    ULONG pt = PROP_TYPE(prop->ulPropTag);
    ULONG base = tt & ~(ULONG)MV_FLAG;
    int ok = (PROP_TYPE(tag) & MV_INSTANCE) ? pt == base : pt == tt || pt == base;
    if (!ok)
        return res_fail(MAPI_E_TOO_COMPLEX, what, depth, rt,
                        "lpProp type %s does not match ulPropTag type %s",
                        fm_validate_type_name(pt), fm_validate_type_name(tt));
    return S_OK;
}

static HRESULT content_check(const SContentRestriction *c, unsigned depth, const char *what)
{
    ULONG low = c->ulFuzzyLevel & FL_LOW_MASK, high = c->ulFuzzyLevel & ~FL_LOW_MASK;
    if (low > FL_PREFIX || (high & ~FL_HIGH_KNOWN) != 0)
        return res_fail(MAPI_E_INVALID_PARAMETER, what, depth, RES_CONTENT,
                        "ulFuzzyLevel 0x%08lX has unknown bits", (unsigned long)c->ulFuzzyLevel);
    HRESULT hr = fm_validate_tag_in(c->ulPropTag, FM_VT_ALLOW_MVI | FM_VT_OPERAND, what,
                                    FM_VALIDATE_NO_INDEX);
    if (hr != S_OK)
        return hr;
    ULONG base = PROP_TYPE(c->ulPropTag) & ~(ULONG)MVI_FLAG;
    if (base != PT_STRING8 && base != PT_UNICODE && base != PT_BINARY)
        return res_fail(MAPI_E_INVALID_PARAMETER, what, depth, RES_CONTENT,
                        "content restrictions apply to string and binary properties, not %s",
                        fm_validate_type_name(base));
    return operand_check(c->ulPropTag, c->lpProp, depth, RES_CONTENT, what);
}

static HRESULT property_check(const SPropertyRestriction *p, unsigned depth, const char *what)
{
    HRESULT hr = relop_check(p->relop, depth, RES_PROPERTY, what);
    if (hr == S_OK)
        hr = fm_validate_tag_in(p->ulPropTag, FM_VT_ALLOW_MVI | FM_VT_OPERAND, what,
                                FM_VALIDATE_NO_INDEX);
    if (hr == S_OK)
        hr = operand_check(p->ulPropTag, p->lpProp, depth, RES_PROPERTY, what);
    return hr;
}

static HRESULT compare_check(const SComparePropsRestriction *c, unsigned depth,
                             const char *what)
{
    unsigned rules = FM_VT_ALLOW_MVI | FM_VT_OPERAND;
    HRESULT hr = relop_check(c->relop, depth, RES_COMPAREPROPS, what);
    if (hr == S_OK)
        hr = fm_validate_tag_in(c->ulPropTag1, rules, what, FM_VALIDATE_NO_INDEX);
    if (hr == S_OK)
        hr = fm_validate_tag_in(c->ulPropTag2, rules, what, FM_VALIDATE_NO_INDEX);
    if (hr != S_OK)
        return hr;
    ULONG t1 = PROP_TYPE(c->ulPropTag1) & ~(ULONG)MV_INSTANCE;
    ULONG t2 = PROP_TYPE(c->ulPropTag2) & ~(ULONG)MV_INSTANCE;
    if (t1 != t2)
        return res_fail(MAPI_E_TOO_COMPLEX, what, depth, RES_COMPAREPROPS,
                        "compared properties have different types (%s, %s)",
                        fm_validate_type_name(t1), fm_validate_type_name(t2));
    return S_OK;
}

static HRESULT bitmask_check(const SBitMaskRestriction *b, unsigned depth, const char *what)
{
    if (b->relBMR != BMR_EQZ && b->relBMR != BMR_NEZ)
        return res_fail(MAPI_E_INVALID_PARAMETER, what, depth, RES_BITMASK,
                        "relBMR %lu is neither BMR_EQZ nor BMR_NEZ", (unsigned long)b->relBMR);
    if (PROP_TYPE(b->ulPropTag) != PT_LONG)
        return res_fail(MAPI_E_INVALID_PARAMETER, what, depth, RES_BITMASK,
                        "ulPropTag 0x%08lX is not PT_LONG", (unsigned long)b->ulPropTag);
    return fm_validate_tag_in(b->ulPropTag, 0, what, FM_VALIDATE_NO_INDEX);
}

/* RES_COMMENT and RES_ANNOTATION: properties plus an optional restriction
 * ([MS-OXCDATA] 2.12.10: RestrictionPresent may be 0). */
static HRESULT comment_check(ULONG rt, ULONG c, const SPropValue *props,
                             const SRestriction *sub, unsigned depth, const char *what)
{
    if (c > 0 && props == NULL)
        return res_fail(MAPI_E_INVALID_PARAMETER, what, depth, rt,
                        "cValues is %lu and lpProp is NULL", (unsigned long)c);
    HRESULT hr = fm_validate_prop_array(c, props, what);
    if (hr != S_OK || sub == NULL)
        return hr;
    return children_check(sub, 1, depth, rt, what);
}

static HRESULT sub_check(const SSubRestriction *s, unsigned depth, const char *what)
{
    if (s->ulSubObject != SUBOBJ_RECIPIENTS && s->ulSubObject != SUBOBJ_ATTACHMENTS)
        return res_fail(MAPI_E_INVALID_PARAMETER, what, depth, RES_SUBRESTRICTION,
                        "ulSubObject 0x%08lX is neither PR_MESSAGE_RECIPIENTS nor "
                        "PR_MESSAGE_ATTACHMENTS",
                        (unsigned long)s->ulSubObject);
    return children_check(s->lpRes, 1, depth, RES_SUBRESTRICTION, what);
}

/* A child that must be present (RES_NOT, RES_SUBRESTRICTION, RES_COUNT). */
static HRESULT one_child(const SRestriction *kid, unsigned depth, ULONG rt, const char *what)
{
    if (kid == NULL)
        return res_fail(MAPI_E_INVALID_PARAMETER, what, depth, rt, "lpRes is NULL");
    return children_check(kid, 1, depth, rt, what);
}

static HRESULT res_check(const SRestriction *r, unsigned depth, const char *what)
{
    if (depth > FM_RESTRICTION_MAX_DEPTH)
        return fm_error_set(MAPI_E_TOO_COMPLEX, "%s: restriction nesting deeper than %u levels",
                            fm_validate_what(what), (unsigned)FM_RESTRICTION_MAX_DEPTH);
    switch (r->rt) {
    case RES_AND:
        return children_check(r->res.resAnd.lpRes, r->res.resAnd.cRes, depth, RES_AND, what);
    case RES_OR:
        return children_check(r->res.resOr.lpRes, r->res.resOr.cRes, depth, RES_OR, what);
    case RES_NOT: return one_child(r->res.resNot.lpRes, depth, RES_NOT, what);
    case RES_CONTENT: return content_check(&r->res.resContent, depth, what);
    case RES_PROPERTY: return property_check(&r->res.resProperty, depth, what);
    case RES_COMPAREPROPS: return compare_check(&r->res.resCompareProps, depth, what);
    case RES_BITMASK: return bitmask_check(&r->res.resBitMask, depth, what);
    case RES_SIZE: {
        HRESULT hr = relop_check(r->res.resSize.relop, depth, RES_SIZE, what);
        return hr != S_OK ? hr
                          : fm_validate_tag_in(r->res.resSize.ulPropTag, FM_VT_ALLOW_MVI, what,
                                               FM_VALIDATE_NO_INDEX);
    }
    case RES_EXIST:
        return fm_validate_tag_in(r->res.resExist.ulPropTag, FM_VT_ALLOW_MVI, what,
                                  FM_VALIDATE_NO_INDEX);
    case RES_SUBRESTRICTION: return sub_check(&r->res.resSub, depth, what);
    case RES_COMMENT:
        return comment_check(RES_COMMENT, r->res.resComment.cValues, r->res.resComment.lpProp,
                             r->res.resComment.lpRes, depth, what);
    case RES_ANNOTATION:
        return comment_check(RES_ANNOTATION, r->res.resAnnotation.cValues,
                             r->res.resAnnotation.lpProp, r->res.resAnnotation.lpRes, depth,
                             what);
    case RES_COUNT: return one_child(r->res.resCount.lpRes, depth, RES_COUNT, what);
    default:
        return res_fail(MAPI_E_INVALID_PARAMETER, what, depth, r->rt,
                        "rt %lu is not a restriction type", (unsigned long)r->rt);
    }
}

HRESULT fm_validate_restriction(const SRestriction *r, const char *what)
{
    if (r == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: restriction pointer is NULL",
                            fm_validate_what(what));
    if (FM_MISALIGNED(r, SRestriction))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: restriction pointer is misaligned",
                            fm_validate_what(what));
    return res_check(r, 1, what);
}
