/*
 * ab/abobj.c - what the address book's objects share (ab.h): reference
 * counting, the last error, and a read-only IMAPIProp over a fixed
 * property set (strings kept as UTF-8, handed out in the width asked for).
 */
#include <string.h>

#include "ab/ab.h"
#include "core/alloc.h"
#include "mapiguid.h"
#include "props/propvalue.h"

HRESULT fm_abobj_new(fm_ab *ab, const void *vtbl, const char *iface, int kind, int64_t id,
                     ULONG cprops, LPSPropValue props, fm_abobj **out)
{
    *out = NULL;
    fm_abobj *o = fm_calloc(1, sizeof *o);
    if (o == NULL) {
        MAPIFreeBuffer(props);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening an address book "
                                                      "entry");
    }
    o->lpVtbl = vtbl;
    atomic_init(&o->refs, 1);
    fm_ab_addref(ab);
    o->ab = ab;
    fm_lasterr_init(&o->err);
    o->iface = iface;
    o->kind = kind;
    o->id = id;
    o->cprops = cprops;
    o->props = props;
    *out = o;
    return S_OK;
}

ULONG fm_abobj_addref(fm_abobj *o)
{
    return atomic_fetch_add(&o->refs, 1) + 1;
}

ULONG fm_abobj_release(fm_abobj *o)
{
    ULONG left = atomic_fetch_sub(&o->refs, 1) - 1;
    if (left == 0) {
        MAPIFreeBuffer(o->props);
        fm_lasterr_clear(&o->err);
        fm_ab_release(o->ab);
        fm_free(o);
    }
    return left;
}

HRESULT fm_abobj_fail(fm_abobj *o, HRESULT hr)
{
    return fm_lasterr_record(&o->err, hr);
}

HRESULT fm_abobj_qi(fm_abobj *o, REFIID riid, const IID *const *iids, LPVOID *ppv)
{
    if (riid == NULL || ppv == NULL)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                             "QueryInterface: NULL argument"));
    *ppv = NULL;
    for (const IID *const *p = iids; *p; p++)
        if (IsEqualIID(riid, *p)) {
            fm_abobj_addref(o);
            *ppv = o;
            return S_OK;
        }
    return fm_abobj_fail(o, fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED,
                                         "%s: unsupported interface", o->iface));
}

HRESULT fm_abobj_get_last_error(fm_abobj *o, HRESULT hr, ULONG f, LPMAPIERROR *out)
{
    return fm_lasterr_get(&o->err, o->iface, hr, f, out);
}

/* The type a value is handed out as for tag (asked) under flags. */
static ULONG out_type(ULONG have, ULONG asked, ULONG flags)
{
    ULONG want = PROP_TYPE(asked);
    if (want == PT_UNSPECIFIED)
        want = have;
    bool wide = (flags & MAPI_UNICODE) != 0;
    if (PROP_TYPE(asked) == PT_UNSPECIFIED || asked == 0) {
        if (have == PT_STRING8 && wide)
            return PT_UNICODE;
        if (have == PT_MV_STRING8 && wide)
            return PT_MV_UNICODE;
    }
    return want;
}

static bool convertible(ULONG have, ULONG want)
{
    if (have == want)
        return true;
    return (have == PT_STRING8 && want == PT_UNICODE) ||
           (have == PT_MV_STRING8 && want == PT_MV_UNICODE);
}

/* Copies the value of the property with tag's ID as tag asks, or PT_ERROR. */
static HRESULT one_prop(fm_abobj *o, ULONG tag, ULONG flags, SPropValue *dst, void *root,
                        bool *missing)
{
    for (ULONG i = 0; i < o->cprops; i++) {
        const SPropValue *v = &o->props[i];
        if (PROP_ID(v->ulPropTag) != PROP_ID(tag))
            continue;
        ULONG want = out_type(PROP_TYPE(v->ulPropTag), tag, flags);
        if (!convertible(PROP_TYPE(v->ulPropTag), want))
            break;
        return fm_props_copy_as(dst, v, want, MAPIAllocateMore, root);
    }
    dst->ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tag));
    dst->Value.err = MAPI_E_NOT_FOUND;
    *missing = true;
    return S_OK;
}

HRESULT fm_abobj_get_props(fm_abobj *o, LPSPropTagArray tags, ULONG flags, ULONG *c,
                           LPSPropValue *out)
{
    if (c == NULL || out == NULL)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER, "GetProps: NULL out "
                                                                       "pointer"));
    *c = 0;
    *out = NULL;
    if (flags & ~MAPI_UNICODE)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetProps: unknown flags "
                                                                   "0x%08lX",
                                             (unsigned long)flags));
    if (tags && tags->cValues == 0)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER, "GetProps: empty tag "
                                                                       "array"));
    ULONG n = tags ? tags->cValues : o->cprops;
    SPropValue *vals = NULL;
    if (MAPIAllocateBuffer((ULONG)(n * sizeof *vals), (void **)&vals) != S_OK)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory in "
                                                                       "GetProps"));
    bool missing = false;
    HRESULT hr = S_OK;
    for (ULONG i = 0; i < n && hr == S_OK; i++) {
        ULONG tag = tags ? tags->aulPropTag[i]
                         : PROP_TAG(PT_UNSPECIFIED, PROP_ID(o->props[i].ulPropTag));
        hr = one_prop(o, tag, flags, &vals[i], vals, &missing);
    }
    if (hr != S_OK) {
        MAPIFreeBuffer(vals);
        return fm_abobj_fail(o, hr);
    }
    *c = n;
    *out = vals;
    return missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}

HRESULT fm_abobj_get_prop_list(fm_abobj *o, ULONG flags, LPSPropTagArray *out)
{
    if (out == NULL)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER, "GetPropList: NULL "
                                                                       "out pointer"));
    *out = NULL;
    if (flags & ~MAPI_UNICODE)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetPropList: unknown "
                                                                   "flags 0x%08lX",
                                             (unsigned long)flags));
    LPSPropTagArray t = NULL;
    if (MAPIAllocateBuffer(CbNewSPropTagArray(o->cprops), (void **)&t) != S_OK)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory in "
                                                                       "GetPropList"));
    t->cValues = o->cprops;
    for (ULONG i = 0; i < o->cprops; i++) {
        ULONG tag = o->props[i].ulPropTag;
        ULONG type = out_type(PROP_TYPE(tag), PROP_TAG(PT_UNSPECIFIED, 0), flags);
        t->aulPropTag[i] = PROP_TAG(type, PROP_ID(tag));
    }
    *out = t;
    return S_OK;
}

HRESULT fm_abobj_read_only(fm_abobj *o, const char *fn)
{
    return fm_abobj_fail(o, fm_error_set(MAPI_E_NO_ACCESS, "%s::%s: the directory is read-only "
                                                           "through MAPI (administer it with "
                                                           "fmapi_site_*)",
                                         o->iface, fn));
}
