/*
 * restrict/compile.c - fmapi_restriction_compile and fmapi_restriction_free:
 * validating an SRestriction and turning it into fm_rnodes.
 *
 * Everything the evaluator needs is checked and prepared here, once, so
 * evaluation neither validates nor allocates. The compiled form copies
 * what it keeps; the caller may free its SRestriction right after.
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/limits.h"
#include "mapicode.h"
#include "props/compare.h"
#include "props/propvalue.h"
#include "restrict/restrict.h"

#define FL_MODE_MASK 0x0000FFFFu
#define FL_KNOWN_HIGH (FL_IGNORECASE | FL_IGNORENONSPACE | FL_LOOSE)
#define PATH_MAX_TEXT 192

typedef struct compile_ctx {
    fmapi_restriction *r;
    char path[PATH_MAX_TEXT]; /* where in the caller's tree we are */
    size_t path_len;
} compile_ctx;

/* ---- owned blocks ---------------------------------------------------------- */

typedef union block_hdr {
    union block_hdr *next;
    max_align_t align;
} block_hdr;

static void *own_alloc(compile_ctx *c, size_t n)
{
    block_hdr *b = fm_malloc(sizeof *b + n);
    if (b == NULL)
        return NULL;
    b->next = c->r->blocks;
    c->r->blocks = b;
    memset(b + 1, 0, n);
    return b + 1;
}

static void *own_copy(compile_ctx *c, const void *p, size_t n)
{
    void *d = own_alloc(c, n);
    if (d != NULL && n > 0)
        memcpy(d, p, n);
    return d;
}

/* ---- error text ---------------------------------------------------------- */

/* Appends ".lpRes" (index < 0) or ".lpRes[index]"; returns the old length. */
static size_t path_push(compile_ctx *c, long index)
{
    size_t old = c->path_len;
    if (old < sizeof c->path - 1) {
        int n = index < 0 ? snprintf(c->path + old, sizeof c->path - old, ".lpRes")
                          : snprintf(c->path + old, sizeof c->path - old, ".lpRes[%ld]", index);
        c->path_len = n < 0 ? old : old + (size_t)n;
        if (c->path_len >= sizeof c->path)
            c->path_len = sizeof c->path - 1;
    }
    return old;
}

static void path_pop(compile_ctx *c, size_t old)
{
    c->path_len = old;
    c->path[old] = '\0';
}

static HRESULT bad(compile_ctx *c, HRESULT hr, const char *what)
{
    return fm_error_set(hr, "restriction %s: %s", c->path, what);
}

static HRESULT bad_tag(compile_ctx *c, HRESULT hr, const char *what, ULONG tag)
{
    return fm_error_set(hr, "restriction %s: %s (tag %08lX)", c->path, what, (unsigned long)tag);
}

static HRESULT no_memory(void)
{
    return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory compiling a restriction");
}

/* ---- copying constants ----------------------------------------------------- */

static HRESULT copy_string8(compile_ctx *c, const char *s, LPSTR *out)
{
    if (s == NULL)
        return bad(c, MAPI_E_INVALID_PARAMETER, "NULL PT_STRING8 value");
    size_t n = strlen(s);
    if (!fm_utf8_valid(s, n))
        return bad(c, MAPI_E_INVALID_PARAMETER, "PT_STRING8 value is not valid UTF-8");
    *out = own_copy(c, s, n + 1);
    return *out ? S_OK : no_memory();
}

static HRESULT copy_unicode(compile_ctx *c, const WCHAR *s, LPWSTR *out)
{
    if (s == NULL)
        return bad(c, MAPI_E_INVALID_PARAMETER, "NULL PT_UNICODE value");
    size_t n = fm_utf16_len(s);
    if (!fm_utf16_valid(s, n))
        return bad(c, MAPI_E_INVALID_PARAMETER, "PT_UNICODE value is not valid UTF-16");
    *out = own_copy(c, s, (n + 1) * sizeof(WCHAR));
    return *out ? S_OK : no_memory();
}

static HRESULT copy_binary(compile_ctx *c, const SBinary *b, SBinary *out)
{
    if (b->cb > 0 && b->lpb == NULL)
        return bad(c, MAPI_E_INVALID_PARAMETER, "PT_BINARY value with cb > 0 and NULL lpb");
    out->cb = b->cb;
    out->lpb = own_copy(c, b->lpb, b->cb);
    return out->lpb ? S_OK : no_memory();
}

/* Size of one element of an MV array of base type. */
static size_t mv_elem_size(ULONG base)
{
    switch (base) {
    case PT_I2: return sizeof(short int);
    case PT_LONG: return sizeof(LONG);
    case PT_R4: return sizeof(float);
    case PT_DOUBLE: case PT_APPTIME: return sizeof(double);
    case PT_CURRENCY: return sizeof(CURRENCY);
    case PT_I8: return sizeof(LARGE_INTEGER);
    case PT_SYSTIME: return sizeof(FILETIME);
    case PT_CLSID: return sizeof(GUID);
    case PT_BINARY: return sizeof(SBinary);
    default: return sizeof(void *); /* string pointers */
    }
}

static HRESULT copy_mv(compile_ctx *c, const SPropValue *src, SPropValue *dst)
{
    ULONG base = fm_prop_base_type(src->ulPropTag), n = src->Value.MVl.cValues;
    if (n > FM_MV_MAX_VALUES)
        return bad(c, MAPI_E_INVALID_PARAMETER, "multi-valued constant has too many values");
    if (n > 0 && src->Value.MVl.lpl == NULL)
        return bad(c, MAPI_E_INVALID_PARAMETER, "multi-valued constant with NULL array");
    void *arr = own_copy(c, src->Value.MVl.lpl, (size_t)n * mv_elem_size(base));
    if (arr == NULL)
        return no_memory();
    dst->Value.MVl.cValues = n;
    dst->Value.MVl.lpl = arr;
    HRESULT hr = S_OK;
    for (ULONG i = 0; i < n && hr == S_OK; i++) {
        if (base == PT_STRING8)
            hr = copy_string8(c, src->Value.MVszA.lppszA[i], &dst->Value.MVszA.lppszA[i]);
        else if (base == PT_UNICODE)
            hr = copy_unicode(c, src->Value.MVszW.lppszW[i], &dst->Value.MVszW.lppszW[i]);
        else if (base == PT_BINARY)
            hr = copy_binary(c, &src->Value.MVbin.lpbin[i], &dst->Value.MVbin.lpbin[i]);
    }
    return hr;
}

static HRESULT copy_value(compile_ctx *c, const SPropValue *src, SPropValue *dst)
{
    *dst = *src;
    if (PROP_TYPE(src->ulPropTag) & MV_FLAG)
        return copy_mv(c, src, dst);
    switch (fm_prop_base_type(src->ulPropTag)) {
    case PT_STRING8: return copy_string8(c, src->Value.lpszA, &dst->Value.lpszA);
    case PT_UNICODE: return copy_unicode(c, src->Value.lpszW, &dst->Value.lpszW);
    case PT_BINARY: return copy_binary(c, &src->Value.bin, &dst->Value.bin);
    case PT_CLSID:
        if (src->Value.lpguid == NULL)
            return bad(c, MAPI_E_INVALID_PARAMETER, "NULL PT_CLSID value");
        dst->Value.lpguid = own_copy(c, src->Value.lpguid, sizeof(GUID));
        return dst->Value.lpguid ? S_OK : no_memory();
    default:
        return S_OK;
    }
}

/* ---- type checks ----------------------------------------------------------- */

/* A tag's type must be one freemapi compares; MV_INSTANCE needs MV_FLAG. */
static HRESULT check_tag_type(compile_ctx *c, ULONG tag)
{
    if ((PROP_TYPE(tag) & MV_INSTANCE) && !(PROP_TYPE(tag) & MV_FLAG))
        return bad_tag(c, MAPI_E_INVALID_PARAMETER, "MV_INSTANCE without MV_FLAG", tag);
    ULONG t = fm_prop_type(tag);
    if (!fm_props_type_known(t) || t == PT_OBJECT)
        return bad_tag(c, MAPI_E_TOO_COMPLEX, "property type cannot be compared", tag);
    return S_OK;
}

static HRESULT check_relop(compile_ctx *c, ULONG relop, bool regex_ok)
{
    if (relop <= RELOP_NE)
        return S_OK;
    if (relop == RELOP_RE && regex_ok)
        return S_OK;
    if (relop == RELOP_RE || relop == RELOP_MEMBER_OF_DL)
        return bad(c, MAPI_E_TOO_COMPLEX, "relational operator not supported here");
    return bad(c, MAPI_E_INVALID_PARAMETER, "unknown relational operator");
}

/* ---- node compilers -------------------------------------------------------- */

static HRESULT compile_node(compile_ctx *c, const SRestriction *res, fm_rnode *n, ULONG depth);

static HRESULT compile_child(compile_ctx *c, const SRestriction *res, fm_rnode *n, ULONG depth)
{
    size_t mark = path_push(c, -1);
    if (res == NULL) {
        HRESULT hr = bad(c, MAPI_E_INVALID_PARAMETER, "NULL restriction");
        path_pop(c, mark);
        return hr;
    }
    n->kids = own_alloc(c, sizeof *n->kids);
    if (n->kids == NULL)
        return no_memory();
    n->nkids = 1;
    HRESULT hr = compile_node(c, res, n->kids, depth + 1);
    path_pop(c, mark);
    return hr;
}

static HRESULT compile_list(compile_ctx *c, ULONG count, const SRestriction *list, fm_rnode *n,
                            ULONG depth)
{
    if (count > 0 && list == NULL)
        return bad(c, MAPI_E_INVALID_PARAMETER, "cRes > 0 with NULL lpRes");
    if (count > 0) {
        n->kids = own_alloc(c, (size_t)count * sizeof *n->kids);
        if (n->kids == NULL)
            return no_memory();
    }
    n->nkids = count;
    for (ULONG i = 0; i < count; i++) {
        size_t mark = path_push(c, (long)i);
        HRESULT hr = compile_node(c, &list[i], &n->kids[i], depth + 1);
        path_pop(c, mark);
        if (hr != S_OK)
            return hr;
    }
    return S_OK;
}

static HRESULT fold_needle(compile_ctx *c, const SPropValue *v, fm_rnode *n)
{
    HRESULT hr = copy_value(c, v, &n->value); /* validates the encoding */
    if (hr != S_OK)
        return hr;
    fm_text t = fm_prop_text(&n->value);
    fm_folded f;
    hr = fm_text_fold(&t, n->fold, &f);
    if (hr == S_OK) {
        n->needle = own_copy(c, f.s, f.len);
        n->nlen = f.len;
        if (n->needle == NULL)
            hr = no_memory();
    }
    fm_folded_release(&f);
    return hr;
}

static HRESULT compile_content(compile_ctx *c, const SContentRestriction *cr, fm_rnode *n)
{
    ULONG mode = cr->ulFuzzyLevel & FL_MODE_MASK;
    if (mode > FL_PREFIX || (cr->ulFuzzyLevel & ~FL_MODE_MASK & ~FL_KNOWN_HIGH))
        return bad(c, MAPI_E_INVALID_PARAMETER, "unknown ulFuzzyLevel bits");
    if (cr->lpProp == NULL)
        return bad(c, MAPI_E_INVALID_PARAMETER, "NULL lpProp");
    HRESULT hr = check_tag_type(c, cr->ulPropTag);
    if (hr != S_OK)
        return hr;
    ULONG base = fm_prop_base_type(cr->ulPropTag), vt = fm_prop_type(cr->lpProp->ulPropTag);
    bool strings = fm_prop_is_string_type(base) && fm_prop_is_string_type(vt);
    bool binary = base == PT_BINARY && vt == PT_BINARY;
    if (!strings && !binary)
        return bad_tag(c, MAPI_E_TOO_COMPLEX,
                       "RES_CONTENT needs a string or binary property and a matching value",
                       cr->ulPropTag);
    n->tag = cr->ulPropTag;
    n->mode = mode;
    n->binary = binary;
    if (binary) {
        hr = copy_value(c, cr->lpProp, &n->value);
        n->needle = (const char *)n->value.Value.bin.lpb;
        n->nlen = n->value.Value.bin.cb;
        return hr;
    }
    n->fold = fm_prop_fuzzy_fold(cr->ulFuzzyLevel);
    return fold_needle(c, cr->lpProp, n);
}

/* Whether constant type vt may be used with restriction tag type want. */
static bool property_types_fit(ULONG want_tag, ULONG vt_tag, bool *any)
{
    ULONG want = fm_prop_type(want_tag), vt = fm_prop_type(vt_tag);
    *any = false;
    if ((want & MV_FLAG) && !(vt & MV_FLAG)) {
        *any = true;
        return fm_prop_types_comparable(want & ~(ULONG)MV_FLAG, vt);
    }
    if (PROP_TYPE(want_tag) & MV_INSTANCE)
        return false; /* an MV_INSTANCE restriction takes a single value */
    return fm_prop_types_comparable(want, vt);
}

static HRESULT compile_regex(compile_ctx *c, fm_rnode *n)
{
    fm_text t = fm_prop_text(&n->value);
    HRESULT hr = fm_regex_compile(&t, &n->re);
    if (hr == MAPI_E_INVALID_PARAMETER) {
        char why[FM_ERROR_TEXT_MAX];
        snprintf(why, sizeof why, "%s", fm_error_text());
        return bad(c, hr, why);
    }
    if (hr == S_OK) {
        n->next_re = c->r->regexes;
        c->r->regexes = n;
    }
    return hr;
}

static HRESULT compile_property(compile_ctx *c, const SPropertyRestriction *pr, fm_rnode *n)
{
    HRESULT hr = check_relop(c, pr->relop, true);
    if (hr == S_OK && pr->lpProp == NULL)
        hr = bad(c, MAPI_E_INVALID_PARAMETER, "NULL lpProp");
    if (hr == S_OK)
        hr = check_tag_type(c, pr->ulPropTag);
    if (hr == S_OK)
        hr = check_tag_type(c, pr->lpProp->ulPropTag);
    if (hr != S_OK)
        return hr;
    bool any;
    if (!property_types_fit(pr->ulPropTag, pr->lpProp->ulPropTag, &any))
        return bad_tag(c, MAPI_E_TOO_COMPLEX, "lpProp's type does not match ulPropTag",
                       pr->lpProp->ulPropTag);
    bool strings = fm_prop_is_string_type(fm_prop_base_type(pr->ulPropTag)) &&
                   fm_prop_is_string_type(fm_prop_type(pr->lpProp->ulPropTag));
    if (pr->relop == RELOP_RE && !strings)
        return bad_tag(c, MAPI_E_TOO_COMPLEX, "RELOP_RE needs a string property and pattern",
                       pr->ulPropTag);
    n->op = pr->relop;
    n->tag = pr->ulPropTag;
    n->any = any;
    hr = copy_value(c, pr->lpProp, &n->value);
    if (hr == S_OK && pr->relop == RELOP_RE)
        hr = compile_regex(c, n);
    return hr;
}

static HRESULT compile_compareprops(compile_ctx *c, const SComparePropsRestriction *cp,
                                    fm_rnode *n)
{
    HRESULT hr = check_relop(c, cp->relop, false);
    if (hr == S_OK)
        hr = check_tag_type(c, cp->ulPropTag1);
    if (hr == S_OK)
        hr = check_tag_type(c, cp->ulPropTag2);
    if (hr != S_OK)
        return hr;
    if (!fm_prop_types_comparable(cp->ulPropTag1, cp->ulPropTag2))
        return bad_tag(c, MAPI_E_TOO_COMPLEX, "RES_COMPAREPROPS tags have different types",
                       cp->ulPropTag2);
    n->op = cp->relop;
    n->tag = cp->ulPropTag1;
    n->tag2 = cp->ulPropTag2;
    return S_OK;
}

static HRESULT compile_bitmask(compile_ctx *c, const SBitMaskRestriction *bm, fm_rnode *n)
{
    if (bm->relBMR != BMR_EQZ && bm->relBMR != BMR_NEZ)
        return bad(c, MAPI_E_INVALID_PARAMETER, "unknown relBMR");
    if (PROP_TYPE(bm->ulPropTag) != PT_LONG)
        return bad_tag(c, MAPI_E_TOO_COMPLEX, "RES_BITMASK needs a PT_LONG property",
                       bm->ulPropTag);
    n->op = bm->relBMR;
    n->tag = bm->ulPropTag;
    n->num = bm->ulMask;
    return S_OK;
}

static HRESULT compile_size(compile_ctx *c, const SSizeRestriction *sr, fm_rnode *n)
{
    HRESULT hr = check_relop(c, sr->relop, false);
    if (hr != S_OK)
        return hr;
    n->op = sr->relop;
    n->tag = sr->ulPropTag;
    n->num = sr->cb;
    return S_OK;
}

static HRESULT compile_sub(compile_ctx *c, const SSubRestriction *sr, fm_rnode *n, ULONG depth)
{
    if (sr->ulSubObject != PR_MESSAGE_RECIPIENTS &&
        sr->ulSubObject != PR_MESSAGE_ATTACHMENTS)
        return bad_tag(c, MAPI_E_INVALID_PARAMETER,
                       "ulSubObject is neither PR_MESSAGE_RECIPIENTS nor PR_MESSAGE_ATTACHMENTS",
                       sr->ulSubObject);
    n->tag = sr->ulSubObject;
    return compile_child(c, sr->lpRes, n, depth);
}

/* RES_COMMENT and RES_ANNOTATION have the same layout. */
static HRESULT compile_comment(compile_ctx *c, const SCommentRestriction *cr, fm_rnode *n,
                               ULONG depth)
{
    if (cr->cValues > 0 && cr->lpProp == NULL)
        return bad(c, MAPI_E_INVALID_PARAMETER, "cValues > 0 with NULL lpProp");
    if (cr->lpRes == NULL)
        return S_OK;
    return compile_child(c, cr->lpRes, n, depth);
}

static HRESULT compile_node(compile_ctx *c, const SRestriction *res, fm_rnode *n, ULONG depth)
{
    if (depth > FM_RESTRICTION_MAX_DEPTH)
        return fm_error_set(MAPI_E_TOO_COMPLEX,
                            "restriction nests deeper than %d levels (FM_RESTRICTION_MAX_DEPTH)",
                            FM_RESTRICTION_MAX_DEPTH);
    n->rt = res->rt;
    switch (res->rt) {
    case RES_AND: return compile_list(c, res->res.resAnd.cRes, res->res.resAnd.lpRes, n, depth);
    case RES_OR: return compile_list(c, res->res.resOr.cRes, res->res.resOr.lpRes, n, depth);
    case RES_NOT: return compile_child(c, res->res.resNot.lpRes, n, depth);
    case RES_CONTENT: return compile_content(c, &res->res.resContent, n);
    case RES_PROPERTY: return compile_property(c, &res->res.resProperty, n);
    case RES_COMPAREPROPS: return compile_compareprops(c, &res->res.resCompareProps, n);
    case RES_BITMASK: return compile_bitmask(c, &res->res.resBitMask, n);
    case RES_SIZE: return compile_size(c, &res->res.resSize, n);
    case RES_EXIST: n->tag = res->res.resExist.ulPropTag; return S_OK;
    case RES_SUBRESTRICTION: return compile_sub(c, &res->res.resSub, n, depth);
    case RES_COMMENT: return compile_comment(c, &res->res.resComment, n, depth);
    case RES_ANNOTATION:
        return compile_comment(c, (const SCommentRestriction *)&res->res.resAnnotation, n, depth);
    case RES_COUNT:
        n->num = res->res.resCount.ulCount;
        return compile_child(c, res->res.resCount.lpRes, n, depth);
    default:
        return bad_tag(c, MAPI_E_INVALID_PARAMETER, "unknown restriction type rt", res->rt);
    }
}

/* ---- public ---------------------------------------------------------------- */

void fmapi_restriction_free(fmapi_restriction *r)
{
    if (r == NULL)
        return;
    for (fm_rnode *n = r->regexes; n != NULL; n = n->next_re)
        fm_regex_free(n->re);
    block_hdr *b = r->blocks;
    while (b != NULL) {
        block_hdr *next = b->next;
        fm_free(b);
        b = next;
    }
    fm_free(r);
}

FREEMAPI_PUBLIC HRESULT fmapi_restriction_compile(const SRestriction *res, ULONG ulFlags,
                                                  fmapi_restriction **out)
{
    if (out == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_restriction_compile: NULL out");
    *out = NULL;
    if (res == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_restriction_compile: NULL res");
    if (ulFlags != 0)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "fmapi_restriction_compile: unknown flags %08lX",
                            (unsigned long)ulFlags);
    compile_ctx c = { .r = fm_calloc(1, sizeof *c.r), .path = "res", .path_len = 3 };
    if (c.r == NULL)
        return no_memory();
    HRESULT hr = compile_node(&c, res, &c.r->root, 1);
    if (hr != S_OK) {
        fmapi_restriction_free(c.r);
        return hr;
    }
    *out = c.r;
    return S_OK;
}
