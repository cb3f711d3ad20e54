/*
 * props/propdata_access.c - IPropData's own methods: object access
 * (HrSetObjAccess), per-property access and status (HrSetPropAccess,
 * HrGetPropAccess) and object properties (HrAddObjProps).
 *
 * Each property carries one access level (IPROP_READONLY or
 * IPROP_READWRITE) and one status (IPROP_CLEAN or IPROP_DIRTY). A flag word
 * in HrSetPropAccess may give either or both; what it leaves out is kept.
 */
#include "core/alloc.h"
#include "props/propdata.h"

#define ACCESS_LEVELS (IPROP_READONLY | IPROP_READWRITE)
#define ACCESS_STATUS (IPROP_CLEAN | IPROP_DIRTY)

STDMETHODIMP fm_propdata_HrSetObjAccess(IPropData *This, ULONG ulAccess)
{
    fm_propdata *pd = fm_propdata_of(This);
    fm_propdata_lock(pd);
    HRESULT hr = S_OK;
    if (ulAccess & ~ACCESS_LEVELS)
        hr = fm_error_set(MAPI_E_UNKNOWN_FLAGS, "HrSetObjAccess: unknown flags 0x%08lX",
                          (unsigned long)(ulAccess & ~ACCESS_LEVELS));
    else if (ulAccess != IPROP_READONLY && ulAccess != IPROP_READWRITE)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER,
                          "HrSetObjAccess: give exactly one of IPROP_READONLY, IPROP_READWRITE");
    else
        pd->obj_access = ulAccess;
    return fm_propdata_unlock(pd, hr);
}

static HRESULT check_access_word(ULONG a)
{
    if (a & ~(ACCESS_LEVELS | ACCESS_STATUS))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "HrSetPropAccess: unknown flags 0x%08lX",
                            (unsigned long)(a & ~(ACCESS_LEVELS | ACCESS_STATUS)));
    if ((a & ACCESS_LEVELS) == ACCESS_LEVELS || (a & ACCESS_STATUS) == ACCESS_STATUS)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "HrSetPropAccess: 0x%08lX combines contradictory flags",
                            (unsigned long)a);
    return S_OK;
}

static HRESULT set_prop_access(fm_propdata *pd, LPSPropTagArray tags, ULONG *rgulAccess)
{
    HRESULT hr = fm_propdata_check_tags("HrSetPropAccess", tags, 0);
    if (hr != S_OK)
        return hr;
    if (rgulAccess == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "HrSetPropAccess: rgulAccess is NULL");
    if (pd->obj_access & IPROP_READONLY)
        return fm_error_set(MAPI_E_NO_ACCESS, "HrSetPropAccess: the object is read-only");
    for (ULONG i = 0; i < tags->cValues; i++)
        if ((hr = check_access_word(rgulAccess[i])) != S_OK)
            return hr;
    for (ULONG i = 0; i < tags->cValues; i++) {
        long k = fm_propdata_find(pd, tags->aulPropTag[i], 1);
        if (k < 0)
            continue; /* only properties the object has carry flags */
        ULONG a = rgulAccess[i], cur = pd->props[k].access;
        if (a & ACCESS_LEVELS)
            cur = (cur & ~(ULONG)ACCESS_LEVELS) | (a & ACCESS_LEVELS);
        if (a & ACCESS_STATUS)
            cur = (cur & ~(ULONG)ACCESS_STATUS) | (a & ACCESS_STATUS);
        pd->props[k].access = cur;
    }
    return S_OK;
}

STDMETHODIMP fm_propdata_HrSetPropAccess(IPropData *This, LPSPropTagArray lpPropTagArray,
                                         ULONG *rgulAccess)
{
    fm_propdata *pd = fm_propdata_of(This);
    fm_propdata_lock(pd);
    HRESULT hr = set_prop_access(pd, lpPropTagArray, rgulAccess);
    return fm_propdata_unlock(pd, hr);
}

/* All properties' tags, as stored, in a new buffer from the allocator. */
static HRESULT all_tags(fm_propdata *pd, LPSPropTagArray *out)
{
    SCODE sc = pd->alloc((ULONG)CbNewSPropTagArray(pd->nprops), (void **)out);
    if (sc != S_OK)
        return fm_error_set(sc, "HrGetPropAccess: cannot allocate the tag array");
    (*out)->cValues = (ULONG)pd->nprops;
    for (size_t i = 0; i < pd->nprops; i++)
        (*out)->aulPropTag[i] = pd->props[i].tag;
    return S_OK;
}

static HRESULT get_prop_access(fm_propdata *pd, LPSPropTagArray *lppTags, ULONG **lprgulAccess)
{
    if (lppTags == NULL || lprgulAccess == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "HrGetPropAccess: lppPropTagArray and lprgulAccess are required");
    *lprgulAccess = NULL;
    LPSPropTagArray tags = *lppTags, made = NULL;
    if (tags == NULL) {
        HRESULT hr = all_tags(pd, &made);
        if (hr != S_OK)
            return hr;
        tags = made;
    }
    ULONG *access = NULL;
    SCODE sc =
        pd->alloc((ULONG)(sizeof(ULONG) * (tags->cValues ? tags->cValues : 1)), (void **)&access);
    if (sc != S_OK) {
        pd->free_buffer(made);
        return fm_error_set(sc, "HrGetPropAccess: cannot allocate the access array");
    }
    for (ULONG i = 0; i < tags->cValues; i++) {
        long k = fm_propdata_find(pd, tags->aulPropTag[i], 1);
        access[i] = k < 0 ? 0 : pd->props[k].access; /* 0: no such property */
    }
    *lppTags = tags;
    *lprgulAccess = access;
    return S_OK;
}

STDMETHODIMP fm_propdata_HrGetPropAccess(IPropData *This, LPSPropTagArray *lppPropTagArray,
                                         ULONG **lprgulAccess)
{
    fm_propdata *pd = fm_propdata_of(This);
    fm_propdata_lock(pd);
    HRESULT hr = get_prop_access(pd, lppPropTagArray, lprgulAccess);
    return fm_propdata_unlock(pd, hr);
}

static HRESULT add_obj_props(fm_propdata *pd, LPSPropTagArray tags,
                             LPSPropProblemArray *lppProblems)
{
    if (lppProblems != NULL)
        *lppProblems = NULL;
    HRESULT hr = fm_propdata_check_tags("HrAddObjProps", tags, 0);
    if (hr != S_OK)
        return hr;
    for (ULONG i = 0; i < tags->cValues; i++)
        if (PROP_TYPE(tags->aulPropTag[i]) != PT_OBJECT)
            return fm_error_set(MAPI_E_INVALID_TYPE,
                                "HrAddObjProps: property 0x%08lX is not PT_OBJECT",
                                (unsigned long)tags->aulPropTag[i]);
    if (pd->obj_access & IPROP_READONLY)
        return fm_error_set(MAPI_E_NO_ACCESS, "HrAddObjProps: the object is read-only");
    ULONG problems = 0;
    for (ULONG i = 0; i < tags->cValues; i++) {
        long k = fm_propdata_find(pd, tags->aulPropTag[i], 0);
        problems += k >= 0 && (pd->props[k].access & IPROP_READONLY);
    }
    LPSPropProblemArray arr = NULL;
    hr = fm_propdata_reserve(pd, tags->cValues);
    if (hr == S_OK && problems > 0 && lppProblems != NULL)
        hr = fm_propdata_new_problems(pd, problems, &arr);
    if (hr != S_OK)
        return hr;
    for (ULONG i = 0; i < tags->cValues; i++) {
        ULONG tag = tags->aulPropTag[i];
        long k = fm_propdata_find(pd, tag, 0);
        if (k >= 0 && (pd->props[k].access & IPROP_READONLY)) {
            if (arr != NULL)
                arr->aProblem[arr->cProblem++] = (SPropProblem){i, tag, MAPI_E_NO_ACCESS};
            continue;
        }
        if (k < 0)
            k = (long)pd->nprops++;
        else
            fm_free(pd->props[k].value);
        pd->props[k] = (fm_propdata_entry){tag, IPROP_READWRITE | IPROP_DIRTY, NULL};
    }
    if (lppProblems != NULL)
        *lppProblems = arr;
    return problems > 0 ? MAPI_W_PARTIAL_COMPLETION : S_OK;
}

STDMETHODIMP fm_propdata_HrAddObjProps(IPropData *This, LPSPropTagArray lpPropTagArray,
                                       LPSPropProblemArray *lppProblems)
{
    fm_propdata *pd = fm_propdata_of(This);
    fm_propdata_lock(pd);
    HRESULT hr = add_obj_props(pd, lpPropTagArray, lppProblems);
    return fm_propdata_unlock(pd, hr);
}
