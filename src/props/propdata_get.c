/*
 * props/propdata_get.c - IPropData's GetProps and GetPropList.
 *
 * A property requested as PT_UNSPECIFIED (or every property, when the tag
 * list is NULL) comes back in its stored type, except that strings come in
 * the width MAPI_UNICODE asks for; a string requested in the other width
 * than stored is converted. What cannot be returned is an entry of type
 * PT_ERROR with the reason and the call answers MAPI_W_ERRORS_RETURNED:
 * MAPI_E_NOT_FOUND for a missing property or one of another type,
 * MAPI_E_INVALID_TYPE for a type MAPI does not have, MAPI_E_NO_SUPPORT for
 * an object property (it has no value, only an interface to open).
 */
#include "props/propdata.h"
#include "props/propvalue.h"

static int set_error(SPropValue *out, ULONG tag, SCODE sc)
{
    out->ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tag));
    out->dwAlignPad = 0;
    out->Value.err = sc;
    return 1;
}

/* Fills *out for one requested tag; returns 1 when it is an error entry. */
static HRESULT get_one(fm_propdata *pd, ULONG tag, ULONG flags, void *root, SPropValue *out,
                       int *is_error)
{
    ULONG want = PROP_TYPE(tag);
    *is_error = 0;
    if (want != PT_UNSPECIFIED && !fm_props_type_known(fm_props_value_type(tag))) {
        *is_error = set_error(out, tag, MAPI_E_INVALID_TYPE);
        return S_OK;
    }
    long i = fm_propdata_find(pd, tag, 1);
    if (i < 0) {
        *is_error = set_error(out, tag, MAPI_E_NOT_FOUND);
        return S_OK;
    }
    const fm_propdata_entry *e = &pd->props[i];
    if (e->value == NULL) {
        *is_error = set_error(out, tag, MAPI_E_NO_SUPPORT);
        return S_OK;
    }
    if (want == PT_UNSPECIFIED)
        want = fm_propdata_reported_type(PROP_TYPE(e->tag), flags);
    return fm_props_copy_as(out, e->value, want, pd->more, root);
}

static HRESULT get_props(fm_propdata *pd, LPSPropTagArray tags, ULONG flags, ULONG *lpcValues,
                         LPSPropValue *lppPropArray)
{
    if (lpcValues == NULL || lppPropArray == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "GetProps: lpcValues and lppPropArray must not be NULL");
    *lpcValues = 0;
    *lppPropArray = NULL;
    if (flags & ~MAPI_UNICODE)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetProps: unknown flags 0x%08lX",
                            (unsigned long)(flags & ~MAPI_UNICODE));
    if (tags != NULL && tags->cValues == 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "GetProps: property tag array is empty");
    ULONG n = tags ? tags->cValues : (ULONG)pd->nprops;
    if (n == 0)
        return S_OK;
    LPSPropValue out = NULL;
    SCODE sc = pd->alloc((ULONG)(n * sizeof(SPropValue)), (void **)&out);
    if (sc != S_OK)
        return fm_error_set(sc, "GetProps: cannot allocate %lu values", (unsigned long)n);
    int errors = 0;
    for (ULONG k = 0; k < n; k++) {
        /* Every property, when no list is given: asked for as stored. */
        ULONG tag = tags ? tags->aulPropTag[k] : CHANGE_PROP_TYPE(pd->props[k].tag, PT_UNSPECIFIED);
        int is_error;
        HRESULT hr = get_one(pd, tag, flags, out, &out[k], &is_error);
        if (hr != S_OK) {
            pd->free_buffer(out);
            return hr;
        }
        errors |= is_error;
    }
    *lpcValues = n;
    *lppPropArray = out;
    return errors ? MAPI_W_ERRORS_RETURNED : S_OK;
}

STDMETHODIMP fm_propdata_GetProps(IPropData *This, LPSPropTagArray lpPropTagArray, ULONG ulFlags,
                                  ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    fm_propdata *pd = fm_propdata_of(This);
    fm_propdata_lock(pd);
    HRESULT hr = get_props(pd, lpPropTagArray, ulFlags, lpcValues, lppPropArray);
    return fm_propdata_unlock(pd, hr);
}

static HRESULT get_prop_list(fm_propdata *pd, ULONG flags, LPSPropTagArray *lpp)
{
    if (lpp == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "GetPropList: lppPropTagArray is NULL");
    *lpp = NULL;
    if (flags & ~MAPI_UNICODE)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetPropList: unknown flags 0x%08lX",
                            (unsigned long)(flags & ~MAPI_UNICODE));
    LPSPropTagArray out = NULL;
    SCODE sc = pd->alloc((ULONG)CbNewSPropTagArray(pd->nprops), (void **)&out);
    if (sc != S_OK)
        return fm_error_set(sc, "GetPropList: cannot allocate the tag array");
    out->cValues = (ULONG)pd->nprops;
    for (size_t i = 0; i < pd->nprops; i++) {
        ULONG tag = pd->props[i].tag;
        out->aulPropTag[i] =
            CHANGE_PROP_TYPE(tag, fm_propdata_reported_type(PROP_TYPE(tag), flags));
    }
    *lpp = out;
    return S_OK;
}

STDMETHODIMP fm_propdata_GetPropList(IPropData *This, ULONG ulFlags,
                                     LPSPropTagArray *lppPropTagArray)
{
    fm_propdata *pd = fm_propdata_of(This);
    fm_propdata_lock(pd);
    HRESULT hr = get_prop_list(pd, ulFlags, lppPropTagArray);
    return fm_propdata_unlock(pd, hr);
}
