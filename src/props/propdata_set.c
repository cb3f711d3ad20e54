/*
 * props/propdata_set.c - IPropData's SetProps and DeleteProps.
 *
 * Both work in two phases: check every entry and prepare everything that
 * allocates (copies, table room, the problem array), then change the table.
 * So a call that fails, out of memory included, changes nothing.
 *
 * SetProps follows IMAPIProp::SetProps' notes to implementers: PR_NULL and
 * PT_ERROR values are ignored without a problem; a PT_OBJECT value or a
 * multi-valued property with no values fails the call with
 * MAPI_E_INVALID_PARAMETER. Per-property problems: MAPI_E_NO_ACCESS for a
 * read-only property, MAPI_E_INVALID_TYPE for an unknown type or a PT_NULL
 * value other than PR_NULL (a placeholder, not a value), MAPI_E_INVALID_PARAMETER for a bad identifier or value.
 */
#include "core/alloc.h"
#include "props/propdata.h"
#include "props/propvalue.h"

static HRESULT check_call(const char *fn, fm_propdata *pd)
{
    if (pd->obj_access & IPROP_READONLY)
        return fm_error_set(MAPI_E_NO_ACCESS, "%s: the object is read-only", fn);
    return S_OK;
}

/* Whole-call refusals, before anything else is looked at. */
static HRESULT check_values(ULONG cValues, const SPropValue *vals)
{
    for (ULONG i = 0; i < cValues; i++) {
        ULONG type = fm_props_value_type(vals[i].ulPropTag);
        if (type == PT_OBJECT)
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "SetProps: property 0x%08lX is PT_OBJECT; use HrAddObjProps",
                                (unsigned long)vals[i].ulPropTag);
        if (fm_props_mv_elem_size(type) != 0 && vals[i].Value.MVl.cValues == 0)
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "SetProps: multi-valued property 0x%08lX has no values",
                                (unsigned long)vals[i].ulPropTag);
    }
    return S_OK;
}

static int ignored(const SPropValue *v)
{
    return v->ulPropTag == PR_NULL || PROP_TYPE(v->ulPropTag) == PT_ERROR;
}

/* The problem this value has, or S_OK; builds its storage copy when none. */
static SCODE prepare(fm_propdata *pd, const SPropValue *v, LPSPropValue *copy)
{
    ULONG type = fm_props_value_type(v->ulPropTag);
    ULONG id = PROP_ID(v->ulPropTag);
    *copy = NULL;
    if (!fm_props_type_known(type) || type == PT_NULL) /* PR_NULL was ignored before */
        return MAPI_E_INVALID_TYPE;
    if (id == PROP_ID_NULL || id == PROP_ID_INVALID)
        return MAPI_E_INVALID_PARAMETER;
    long i = fm_propdata_find(pd, v->ulPropTag, 0);
    if (i >= 0 && (pd->props[i].access & IPROP_READONLY))
        return MAPI_E_NO_ACCESS;
    SPropValue plain = *v;
    plain.ulPropTag = PROP_TAG(type, id); /* storage never keeps MVI bits */
    uint64_t extra;
    if (fm_props_value_extra(&plain, 1, &extra) != S_OK)
        return MAPI_E_INVALID_PARAMETER;
    *copy = fm_malloc(sizeof(SPropValue) + extra);
    if (*copy == NULL)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    char *cursor = (char *)(*copy + 1);
    fm_props_value_place(*copy, &plain, &cursor);
    return S_OK;
}

static void store(fm_propdata *pd, LPSPropValue copy)
{
    long i = fm_propdata_find(pd, copy->ulPropTag, 0);
    if (i < 0) {
        fm_propdata_entry *e = &pd->props[pd->nprops++];
        e->tag = copy->ulPropTag;
        e->access = IPROP_READWRITE | IPROP_DIRTY;
        e->value = copy;
        return;
    }
    fm_propdata_entry *e = &pd->props[i];
    fm_free(e->value);
    e->value = copy;
    e->tag = copy->ulPropTag;
    e->access = (e->access & ~(ULONG)IPROP_CLEAN) | IPROP_DIRTY;
}

static HRESULT fail_prepared(LPSPropValue *copies, ULONG n, HRESULT hr)
{
    for (ULONG i = 0; i < n; i++)
        fm_free(copies[i]);
    fm_free(copies);
    return hr;
}

static HRESULT set_props(fm_propdata *pd, ULONG cValues, LPSPropValue vals,
                         LPSPropProblemArray *lppProblems)
{
    if (lppProblems != NULL)
        *lppProblems = NULL;
    if (cValues == 0 || vals == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "SetProps: cValues must not be 0 and lpPropArray not NULL");
    HRESULT hr = check_call("SetProps", pd);
    if (hr == S_OK)
        hr = check_values(cValues, vals);
    if (hr != S_OK)
        return hr;
    LPSPropValue *copies = fm_calloc(cValues, sizeof *copies);
    SCODE *scodes = fm_calloc(cValues, sizeof *scodes);
    if (copies == NULL || scodes == NULL) {
        fm_free(scodes);
        return fail_prepared(copies, 0,
                             fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "SetProps: out of memory"));
    }
    ULONG problems = 0, added = 0;
    for (ULONG i = 0; i < cValues; i++) {
        scodes[i] = ignored(&vals[i]) ? S_OK : prepare(pd, &vals[i], &copies[i]);
        added += copies[i] != NULL && fm_propdata_find(pd, vals[i].ulPropTag, 0) < 0;
        if (scodes[i] == MAPI_E_NOT_ENOUGH_MEMORY) {
            fm_free(scodes);
            return fail_prepared(copies, cValues,
                                 fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "SetProps: out of memory"));
        }
        problems += scodes[i] != S_OK;
    }
    LPSPropProblemArray arr = NULL;
    hr = fm_propdata_reserve(pd, added);
    if (hr == S_OK && problems > 0 && lppProblems != NULL)
        hr = fm_propdata_new_problems(pd, problems, &arr);
    if (hr != S_OK) {
        fm_free(scodes);
        return fail_prepared(copies, cValues, hr);
    }
    for (ULONG i = 0; i < cValues; i++) {
        if (copies[i] != NULL)
            store(pd, copies[i]);
        else if (scodes[i] != S_OK && arr != NULL)
            arr->aProblem[arr->cProblem++] = (SPropProblem){i, vals[i].ulPropTag, scodes[i]};
    }
    fm_free(copies);
    fm_free(scodes);
    if (lppProblems != NULL)
        *lppProblems = arr;
    return S_OK;
}

STDMETHODIMP fm_propdata_SetProps(IPropData *This, ULONG cValues, LPSPropValue lpPropArray,
                                  LPSPropProblemArray *lppProblems)
{
    fm_propdata *pd = fm_propdata_of(This);
    fm_propdata_lock(pd);
    HRESULT hr = set_props(pd, cValues, lpPropArray, lppProblems);
    return fm_propdata_unlock(pd, hr);
}

/* The problem deleting tag would have, or S_OK. */
static SCODE delete_problem(const fm_propdata *pd, ULONG tag)
{
    long i = fm_propdata_find(pd, tag, 1);
    if (i < 0)
        return MAPI_E_NOT_FOUND;
    if (pd->props[i].access & IPROP_READONLY)
        return MAPI_E_NO_ACCESS;
    return S_OK;
}

static HRESULT delete_props(fm_propdata *pd, LPSPropTagArray tags, LPSPropProblemArray *lppProblems)
{
    if (lppProblems != NULL)
        *lppProblems = NULL;
    HRESULT hr = fm_propdata_check_tags("DeleteProps", tags, 0);
    if (hr == S_OK)
        hr = check_call("DeleteProps", pd);
    if (hr != S_OK)
        return hr;
    ULONG problems = 0;
    for (ULONG i = 0; i < tags->cValues; i++)
        problems += delete_problem(pd, tags->aulPropTag[i]) != S_OK;
    LPSPropProblemArray arr = NULL;
    if (problems > 0 && lppProblems != NULL) {
        hr = fm_propdata_new_problems(pd, problems, &arr);
        if (hr != S_OK)
            return hr;
    }
    for (ULONG i = 0; i < tags->cValues; i++) {
        ULONG tag = tags->aulPropTag[i];
        SCODE sc = delete_problem(pd, tag);
        if (sc == S_OK)
            fm_propdata_remove(pd, (size_t)fm_propdata_find(pd, tag, 1));
        else if (arr != NULL && arr->cProblem < problems) /* a repeated tag may be gone */
            arr->aProblem[arr->cProblem++] = (SPropProblem){i, tag, sc};
    }
    if (lppProblems != NULL)
        *lppProblems = arr;
    return S_OK;
}

STDMETHODIMP fm_propdata_DeleteProps(IPropData *This, LPSPropTagArray lpPropTagArray,
                                     LPSPropProblemArray *lppProblems)
{
    fm_propdata *pd = fm_propdata_of(This);
    fm_propdata_lock(pd);
    HRESULT hr = delete_props(pd, lpPropTagArray, lppProblems);
    return fm_propdata_unlock(pd, hr);
}
