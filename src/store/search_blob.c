/*
 * store/search_blob.c - a search folder's restriction as bytes (see
 * search_blob.h).
 *
 * Format: a version byte (1), then the tree in pre-order. A node is its rt
 * (u32, little-endian) and, by rt:
 *   RES_AND, RES_OR           u32 count, then the children
 *   RES_NOT                   the child
 *   RES_CONTENT, RES_PROPERTY u32 fuzzy level or relop, u32 tag, a value
 *   RES_COMPAREPROPS          u32 relop, u32 tag1, u32 tag2
 *   RES_BITMASK               u32 relBMR, u32 tag, u32 mask
 *   RES_SIZE                  u32 relop, u32 tag, u32 cb
 *   RES_EXIST                 u32 tag
 *   RES_SUBRESTRICTION        u32 sub-object, the child
 *   RES_COMMENT, RES_ANNOTATION  u32 cValues, values, u8 has-child, child
 *   RES_COUNT                 u32 count, the child
 * Values ("a value", "values") are a u32 length and a propblob of them.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "mapicode.h"
#include "mapiutil.h"
#include "store/propblob.h"
#include "store/search_blob.h"

#define BLOB_VERSION 1

/* ---- encoding ---------------------------------------------------------------------- */

typedef struct wbuf {
    unsigned char *p;
    size_t n, cap;
} wbuf;

static HRESULT put(wbuf *w, const void *data, size_t n)
{
    if (w->cap - w->n < n) {
        size_t cap = w->cap ? w->cap : 64;
        while (cap - w->n < n)
            cap *= 2;
        unsigned char *p = fm_realloc(w->p, cap);
        if (p == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory saving search criteria");
        w->p = p;
        w->cap = cap;
    }
    memcpy(w->p + w->n, data, n);
    w->n += n;
    return S_OK;
}

static HRESULT put_u32(wbuf *w, ULONG v)
{
    unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 24) };
    return put(w, b, 4);
}

static HRESULT put_values(wbuf *w, ULONG n, const SPropValue *v)
{
    void *blob = NULL;
    size_t len = 0;
    HRESULT hr = n ? fm_propblob_encode(n, v, &blob, &len) : S_OK;
    if (hr == S_OK && len > 0xFFFFFFFFu)
        hr = fm_error_set(MAPI_E_TOO_COMPLEX, "SetSearchCriteria: a restriction value is too big");
    if (hr == S_OK)
        hr = put_u32(w, (ULONG)len);
    if (hr == S_OK && len)
        hr = put(w, blob, len);
    fm_free(blob);
    return hr;
}

static HRESULT put_node(wbuf *w, const SRestriction *r, int depth);

static HRESULT put_child(wbuf *w, const SRestriction *r, int depth)
{
    if (r == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "SetSearchCriteria: a restriction has no "
                                                      "child where its type needs one");
    return put_node(w, r, depth + 1);
}

static HRESULT put_node(wbuf *w, const SRestriction *r, int depth)
{
    if (depth > FM_SEARCH_BLOB_MAX_DEPTH)
        return fm_error_set(MAPI_E_TOO_COMPLEX, "SetSearchCriteria: the restriction is nested "
                                                "deeper than %d levels", FM_SEARCH_BLOB_MAX_DEPTH);
    HRESULT hr = put_u32(w, r->rt);
    if (hr != S_OK)
        return hr;
    switch (r->rt) {
    case RES_AND:
    case RES_OR: {
        const SAndRestriction *a = &r->res.resAnd;
        if (a->cRes && a->lpRes == NULL)
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "SetSearchCriteria: lpRes is NULL");
        hr = put_u32(w, a->cRes);
        for (ULONG i = 0; i < a->cRes && hr == S_OK; i++)
            hr = put_node(w, &a->lpRes[i], depth + 1);
        return hr;
    }
    case RES_NOT: return put_child(w, r->res.resNot.lpRes, depth);
    case RES_CONTENT:
    case RES_PROPERTY: {
        /* Same layout: resContent's fuzzy level sits where resProperty's relop is. */
        ULONG first = r->rt == RES_CONTENT ? r->res.resContent.ulFuzzyLevel
                                           : r->res.resProperty.relop;
        ULONG tag = r->rt == RES_CONTENT ? r->res.resContent.ulPropTag
                                         : r->res.resProperty.ulPropTag;
        const SPropValue *v = r->rt == RES_CONTENT ? r->res.resContent.lpProp
                                                   : r->res.resProperty.lpProp;
        if (v == NULL)
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "SetSearchCriteria: lpProp is NULL");
        hr = put_u32(w, first);
        if (hr == S_OK)
            hr = put_u32(w, tag);
        return hr == S_OK ? put_values(w, 1, v) : hr;
    }
    case RES_COMPAREPROPS:
        hr = put_u32(w, r->res.resCompareProps.relop);
        if (hr == S_OK)
            hr = put_u32(w, r->res.resCompareProps.ulPropTag1);
        return hr == S_OK ? put_u32(w, r->res.resCompareProps.ulPropTag2) : hr;
    case RES_BITMASK:
        hr = put_u32(w, r->res.resBitMask.relBMR);
        if (hr == S_OK)
            hr = put_u32(w, r->res.resBitMask.ulPropTag);
        return hr == S_OK ? put_u32(w, r->res.resBitMask.ulMask) : hr;
    case RES_SIZE:
        hr = put_u32(w, r->res.resSize.relop);
        if (hr == S_OK)
            hr = put_u32(w, r->res.resSize.ulPropTag);
        return hr == S_OK ? put_u32(w, r->res.resSize.cb) : hr;
    case RES_EXIST: return put_u32(w, r->res.resExist.ulPropTag);
    case RES_SUBRESTRICTION:
        hr = put_u32(w, r->res.resSub.ulSubObject);
        return hr == S_OK ? put_child(w, r->res.resSub.lpRes, depth) : hr;
    case RES_COMMENT:
    case RES_ANNOTATION: {
        const SCommentRestriction *c = &r->res.resComment; /* the same layout */
        if (c->cValues && c->lpProp == NULL)
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "SetSearchCriteria: lpProp is NULL");
        hr = put_u32(w, c->cValues);
        if (hr == S_OK)
            hr = put_values(w, c->cValues, c->lpProp);
        unsigned char has = c->lpRes != NULL;
        if (hr == S_OK)
            hr = put(w, &has, 1);
        return hr == S_OK && has ? put_node(w, c->lpRes, depth + 1) : hr;
    }
    case RES_COUNT:
        hr = put_u32(w, r->res.resCount.ulCount);
        return hr == S_OK ? put_child(w, r->res.resCount.lpRes, depth) : hr;
    default:
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "SetSearchCriteria: unknown restriction "
                                                      "type %lu", (unsigned long)r->rt);
    }
}

HRESULT fm_search_blob_encode(const SRestriction *res, void **blob, size_t *len)
{
    wbuf w = { 0 };
    unsigned char version = BLOB_VERSION;
    HRESULT hr = put(&w, &version, 1);
    if (hr == S_OK)
        hr = put_node(&w, res, 0);
    if (hr != S_OK) {
        fm_free(w.p);
        return hr;
    }
    *blob = w.p;
    *len = w.n;
    return S_OK;
}

/* ---- decoding ---------------------------------------------------------------------- */

typedef struct rbuf {
    const unsigned char *p;
    size_t n, at;
    void *root; /* the MAPI buffer everything is linked to */
    bool wide;
} rbuf;

static HRESULT corrupt(const rbuf *r, const char *what)
{
    return fm_error_set(MAPI_E_CORRUPT_STORE, "a search folder's saved restriction is damaged "
                                              "(%s at byte %zu)", what, r->at);
}

static HRESULT get_u32(rbuf *r, ULONG *v)
{
    if (r->n - r->at < 4)
        return corrupt(r, "truncated");
    const unsigned char *b = r->p + r->at;
    *v = (ULONG)b[0] | (ULONG)b[1] << 8 | (ULONG)b[2] << 16 | (ULONG)b[3] << 24;
    r->at += 4;
    return S_OK;
}

/* The tag of a string property in the width asked for. */
static ULONG width_tag(const rbuf *r, ULONG tag)
{
    ULONG t = PROP_TYPE(tag);
    if (t == PT_STRING8 || t == PT_UNICODE)
        return PROP_TAG(r->wide ? PT_UNICODE : PT_STRING8, PROP_ID(tag));
    if (t == PT_MV_STRING8 || t == PT_MV_UNICODE)
        return PROP_TAG(r->wide ? PT_MV_UNICODE : PT_MV_STRING8, PROP_ID(tag));
    return tag;
}

/* propblob gives strings as UTF-8; widen them when asked. */
static HRESULT widen(rbuf *r, SPropValue *v)
{
    if (!r->wide)
        return S_OK;
    if (PROP_TYPE(v->ulPropTag) == PT_STRING8) {
        LPWSTR w = NULL;
        HRESULT hr = fm_utf8_to_utf16_mapi(v->Value.lpszA, r->root, &w);
        if (hr != S_OK)
            return hr;
        v->ulPropTag = PROP_TAG(PT_UNICODE, PROP_ID(v->ulPropTag));
        v->Value.lpszW = w;
    } else if (PROP_TYPE(v->ulPropTag) == PT_MV_STRING8) {
        ULONG n = v->Value.MVszA.cValues;
        LPWSTR *a = NULL;
        if (MAPIAllocateMore((n ? n : 1) * sizeof *a, r->root, (void **)&a) != S_OK)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading search criteria");
        for (ULONG i = 0; i < n; i++) {
            HRESULT hr = fm_utf8_to_utf16_mapi(v->Value.MVszA.lppszA[i], r->root, &a[i]);
            if (hr != S_OK)
                return hr;
        }
        v->ulPropTag = PROP_TAG(PT_MV_UNICODE, PROP_ID(v->ulPropTag));
        v->Value.MVszW.lppszW = a;
    }
    return S_OK;
}

static HRESULT get_values(rbuf *r, ULONG want, LPSPropValue *out)
{
    ULONG len = 0;
    HRESULT hr = get_u32(r, &len);
    if (hr != S_OK)
        return hr;
    if (r->n - r->at < len)
        return corrupt(r, "a value runs past the end");
    ULONG n = 0;
    LPSPropValue v = NULL;
    hr = len ? fm_propblob_decode(r->p + r->at, len, r->root, &n, &v) : S_OK;
    if (hr != S_OK)
        return hr;
    r->at += len;
    if (n != want)
        return corrupt(r, "a value count does not match");
    for (ULONG i = 0; i < n && hr == S_OK; i++)
        hr = widen(r, &v[i]);
    *out = v;
    return hr;
}

static HRESULT get_node(rbuf *r, SRestriction *out, int depth);

static HRESULT get_child(rbuf *r, LPSRestriction *out, int depth)
{
    if (MAPIAllocateMore(sizeof **out, r->root, (void **)out) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading search criteria");
    memset(*out, 0, sizeof **out);
    return get_node(r, *out, depth + 1);
}

static HRESULT get_three(rbuf *r, ULONG *a, ULONG *b, ULONG *c)
{
    HRESULT hr = get_u32(r, a);
    if (hr == S_OK)
        hr = get_u32(r, b);
    return hr == S_OK ? get_u32(r, c) : hr;
}

static HRESULT get_node(rbuf *r, SRestriction *out, int depth)
{
    if (depth > FM_SEARCH_BLOB_MAX_DEPTH)
        return corrupt(r, "nested too deep");
    HRESULT hr = get_u32(r, &out->rt);
    if (hr != S_OK)
        return hr;
    switch (out->rt) {
    case RES_AND:
    case RES_OR: {
        SAndRestriction *a = &out->res.resAnd;
        hr = get_u32(r, &a->cRes);
        if (hr != S_OK)
            return hr;
        if (a->cRes > (r->n - r->at) / 4) /* every child takes at least 4 bytes */
            return corrupt(r, "a child count is too big");
        if (MAPIAllocateMore((a->cRes ? a->cRes : 1) * sizeof *a->lpRes, r->root,
                             (void **)&a->lpRes) != S_OK)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading search criteria");
        memset(a->lpRes, 0, (a->cRes ? a->cRes : 1) * sizeof *a->lpRes);
        for (ULONG i = 0; i < a->cRes && hr == S_OK; i++)
            hr = get_node(r, &a->lpRes[i], depth + 1);
        return hr;
    }
    case RES_NOT: return get_child(r, &out->res.resNot.lpRes, depth);
    case RES_CONTENT:
    case RES_PROPERTY: {
        ULONG first = 0, tag = 0;
        LPSPropValue v = NULL;
        hr = get_u32(r, &first);
        if (hr == S_OK)
            hr = get_u32(r, &tag);
        if (hr == S_OK)
            hr = get_values(r, 1, &v);
        if (hr != S_OK)
            return hr;
        if (out->rt == RES_CONTENT)
            out->res.resContent = (SContentRestriction){ first, width_tag(r, tag), v };
        else
            out->res.resProperty = (SPropertyRestriction){ first, width_tag(r, tag), v };
        return S_OK;
    }
    case RES_COMPAREPROPS: {
        SComparePropsRestriction *c = &out->res.resCompareProps;
        hr = get_three(r, &c->relop, &c->ulPropTag1, &c->ulPropTag2);
        c->ulPropTag1 = width_tag(r, c->ulPropTag1);
        c->ulPropTag2 = width_tag(r, c->ulPropTag2);
        return hr;
    }
    case RES_BITMASK: {
        SBitMaskRestriction *b = &out->res.resBitMask;
        return get_three(r, &b->relBMR, &b->ulPropTag, &b->ulMask);
    }
    case RES_SIZE: {
        SSizeRestriction *s = &out->res.resSize;
        hr = get_three(r, &s->relop, &s->ulPropTag, &s->cb);
        s->ulPropTag = width_tag(r, s->ulPropTag);
        return hr;
    }
    case RES_EXIST:
        hr = get_u32(r, &out->res.resExist.ulPropTag);
        out->res.resExist.ulPropTag = width_tag(r, out->res.resExist.ulPropTag);
        return hr;
    case RES_SUBRESTRICTION:
        hr = get_u32(r, &out->res.resSub.ulSubObject);
        return hr == S_OK ? get_child(r, &out->res.resSub.lpRes, depth) : hr;
    case RES_COMMENT:
    case RES_ANNOTATION: {
        SCommentRestriction *c = &out->res.resComment;
        hr = get_u32(r, &c->cValues);
        if (hr == S_OK)
            hr = get_values(r, c->cValues, &c->lpProp);
        if (hr != S_OK)
            return hr;
        if (r->at >= r->n)
            return corrupt(r, "truncated");
        bool has = r->p[r->at++] != 0;
        return has ? get_child(r, &c->lpRes, depth) : S_OK;
    }
    case RES_COUNT:
        hr = get_u32(r, &out->res.resCount.ulCount);
        return hr == S_OK ? get_child(r, &out->res.resCount.lpRes, depth) : hr;
    default: return corrupt(r, "an unknown restriction type");
    }
}

HRESULT fm_search_blob_decode(const void *blob, size_t len, bool wide, LPSRestriction *out)
{
    *out = NULL;
    rbuf r = { .p = blob, .n = len, .wide = wide };
    if (len < 1 || r.p[0] != BLOB_VERSION)
        return corrupt(&r, "an unknown version");
    r.at = 1;
    if (MAPIAllocateBuffer(sizeof(SRestriction), &r.root) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading search criteria");
    memset(r.root, 0, sizeof(SRestriction));
    HRESULT hr = get_node(&r, r.root, 0);
    if (hr == S_OK && r.at != r.n)
        hr = corrupt(&r, "bytes after the end");
    if (hr != S_OK) {
        MAPIFreeBuffer(r.root);
        return hr;
    }
    *out = r.root;
    return S_OK;
}
