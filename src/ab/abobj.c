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

ULONG fm_abobj_AddRef(fm_abobj *o)
{
    return atomic_fetch_add(&o->refs, 1) + 1;
}

ULONG fm_abobj_Release(fm_abobj *o)
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

HRESULT fm_abobj_QueryInterface(fm_abobj *o, const IID *const *iids, REFIID riid,
                                LPVOID *ppvObj)
{
    if (riid == NULL || ppvObj == NULL)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                             "QueryInterface: NULL argument"));
    *ppvObj = NULL;
    for (const IID *const *p = iids; *p; p++)
        if (IsEqualIID(riid, *p)) {
            fm_abobj_AddRef(o);
            *ppvObj = o;
            return S_OK;
        }
    return fm_abobj_fail(o, fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED,
                                         "%s: unsupported interface", o->iface));
}

HRESULT fm_abobj_GetLastError(fm_abobj *o, HRESULT hResult, ULONG ulFlags,
                              LPMAPIERROR *lppMAPIError)
{
    return fm_lasterr_get(&o->err, o->iface, hResult, ulFlags, lppMAPIError);
}

HRESULT fm_abobj_SaveChanges(fm_abobj *o, ULONG ulFlags)
{
    return fm_abobj_read_only(o, "SaveChanges");
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

HRESULT fm_abobj_GetProps(fm_abobj *o, LPSPropTagArray lpPropTagArray, ULONG ulFlags,
                          ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    if (lpcValues == NULL || lppPropArray == NULL)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER, "GetProps: NULL out "
                                                                       "pointer"));
    *lpcValues = 0;
    *lppPropArray = NULL;
    if (ulFlags & ~MAPI_UNICODE)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetProps: unknown flags "
                                                                   "0x%08lX",
                                             (unsigned long)ulFlags));
    const SPropTagArray *tags = lpPropTagArray;
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
        hr = one_prop(o, tag, ulFlags, &vals[i], vals, &missing);
    }
    if (hr != S_OK) {
        MAPIFreeBuffer(vals);
        return fm_abobj_fail(o, hr);
    }
    *lpcValues = n;
    *lppPropArray = vals;
    return missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}

HRESULT fm_abobj_GetPropList(fm_abobj *o, ULONG ulFlags, LPSPropTagArray *lppPropTagArray)
{
    if (lppPropTagArray == NULL)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER, "GetPropList: NULL "
                                                                       "out pointer"));
    *lppPropTagArray = NULL;
    if (ulFlags & ~MAPI_UNICODE)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetPropList: unknown "
                                                                   "flags 0x%08lX",
                                             (unsigned long)ulFlags));
    LPSPropTagArray t = NULL;
    if (MAPIAllocateBuffer(CbNewSPropTagArray(o->cprops), (void **)&t) != S_OK)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory in "
                                                                       "GetPropList"));
    t->cValues = o->cprops;
    for (ULONG i = 0; i < o->cprops; i++) {
        ULONG tag = o->props[i].ulPropTag;
        ULONG type = out_type(PROP_TYPE(tag), PROP_TAG(PT_UNSPECIFIED, 0), ulFlags);
        t->aulPropTag[i] = PROP_TAG(type, PROP_ID(tag));
    }
    *lppPropTagArray = t;
    return S_OK;
}

HRESULT fm_abobj_OpenProperty(fm_abobj *o, ULONG ulPropTag, LPCIID lpiid,
                              ULONG ulInterfaceOptions, ULONG ulFlags, LPUNKNOWN *lppUnk)
{
    if (lppUnk != NULL)
        *lppUnk = NULL;
    return fm_abobj_fail(o, fm_error_set(MAPI_E_NO_SUPPORT, "OpenProperty: address book "
                                                            "entries have no object or stream "
                                                            "properties"));
}

HRESULT fm_abobj_SetProps(fm_abobj *o, ULONG cValues, LPSPropValue lpPropArray,
                          LPSPropProblemArray *lppProblems)
{
    if (lppProblems != NULL)
        *lppProblems = NULL;
    return fm_abobj_read_only(o, "SetProps");
}

HRESULT fm_abobj_DeleteProps(fm_abobj *o, LPSPropTagArray lpPropTagArray,
                             LPSPropProblemArray *lppProblems)
{
    if (lppProblems != NULL)
        *lppProblems = NULL;
    return fm_abobj_read_only(o, "DeleteProps");
}

HRESULT fm_abobj_CopyTo(fm_abobj *o, ULONG ciidExclude, LPCIID rgiidExclude,
                        LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                        LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                        ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    if (lppProblems != NULL)
        *lppProblems = NULL;
    return fm_abobj_fail(o, fm_error_set(MAPI_E_NO_SUPPORT, "CopyTo: copy the values GetProps "
                                                            "returns instead"));
}

HRESULT fm_abobj_CopyProps(fm_abobj *o, LPSPropTagArray lpIncludeProps, ULONG_PTR ulUIParam,
                           LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                           ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    if (lppProblems != NULL)
        *lppProblems = NULL;
    return fm_abobj_fail(o, fm_error_set(MAPI_E_NO_SUPPORT, "CopyProps: copy the values "
                                                            "GetProps returns instead"));
}

HRESULT fm_abobj_GetNamesFromIDs(fm_abobj *o, LPSPropTagArray *lppPropTags,
                                 LPGUID lpPropSetGuid, ULONG ulFlags, ULONG *lpcPropNames,
                                 LPMAPINAMEID **lpppPropNames)
{
    if (lpcPropNames != NULL)
        *lpcPropNames = 0;
    if (lpppPropNames != NULL)
        *lpppPropNames = NULL;
    return fm_abobj_fail(o, fm_error_set(MAPI_E_NO_SUPPORT, "GetNamesFromIDs: directory "
                                                            "entries have no named "
                                                            "properties"));
}

HRESULT fm_abobj_GetIDsFromNames(fm_abobj *o, ULONG cPropNames, LPMAPINAMEID *lppPropNames,
                                 ULONG ulFlags, LPSPropTagArray *lppPropTags)
{
    if (lppPropTags != NULL)
        *lppPropTags = NULL;
    return fm_abobj_fail(o, fm_error_set(MAPI_E_NO_SUPPORT, "GetIDsFromNames: directory "
                                                            "entries have no named "
                                                            "properties"));
}

HRESULT fm_abobj_read_only(fm_abobj *o, const char *fn)
{
    return fm_abobj_fail(o, fm_error_set(MAPI_E_NO_ACCESS, "%s::%s: the directory is read-only "
                                                           "through MAPI (administer it with "
                                                           "fmapi_site_*)",
                                         o->iface, fn));
}
