/*
 * props/propdata.c - CreateIProp and the parts of IPropData every method
 * leans on: the vtable, reference counting, QueryInterface, locking with
 * per-object error text (GetLastError), and the property table helpers.
 * SaveChanges and OpenProperty live here too: an in-memory object has
 * nothing to save and no sub-objects to open.
 */
#include <string.h>

#include "core/alloc.h"
#include "mapiguid.h"
#include "props/propdata.h"
#include "props/propvalue.h"


void fm_propdata_lock(fm_propdata *pd)
{
    pthread_mutex_lock(&pd->lock);
}

HRESULT fm_propdata_unlock(fm_propdata *pd, HRESULT hr)
{
    fm_lasterr_record(&pd->err, hr);
    pthread_mutex_unlock(&pd->lock);
    return hr;
}

static int types_compatible(ULONG want, ULONG have)
{
    if (want == have)
        return 1;
    int ww = fm_props_string_width(want), hw = fm_props_string_width(have);
    return ww != 0 && hw != 0 && (want & MV_FLAG) == (have & MV_FLAG);
}

long fm_propdata_find(const fm_propdata *pd, ULONG tag, int check_type)
{
    for (size_t i = 0; i < pd->nprops; i++) {
        ULONG have = pd->props[i].tag;
        if (PROP_ID(have) != PROP_ID(tag))
            continue;
        if (!check_type || PROP_TYPE(tag) == PT_UNSPECIFIED ||
            types_compatible(PROP_TYPE(tag), PROP_TYPE(have)))
            return (long)i;
        return -1;
    }
    return -1;
}

HRESULT fm_propdata_reserve(fm_propdata *pd, size_t n)
{
    if (pd->nprops + n <= pd->capprops)
        return S_OK;
    size_t cap = pd->capprops ? pd->capprops * 2 : 8;
    while (cap < pd->nprops + n)
        cap *= 2;
    fm_propdata_entry *grown = fm_realloc(pd->props, cap * sizeof *grown);
    if (grown == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "IPropData: cannot grow property table");
    pd->props = grown;
    pd->capprops = cap;
    return S_OK;
}

void fm_propdata_remove(fm_propdata *pd, size_t i)
{
    fm_free(pd->props[i].value);
    memmove(&pd->props[i], &pd->props[i + 1], (pd->nprops - i - 1) * sizeof pd->props[0]);
    pd->nprops--;
}

ULONG fm_propdata_reported_type(ULONG stored, ULONG flags)
{
    int wide = (flags & MAPI_UNICODE) != 0;
    if (stored == PT_STRING8 || stored == PT_UNICODE)
        return wide ? PT_UNICODE : PT_STRING8;
    if (stored == PT_MV_STRING8 || stored == PT_MV_UNICODE)
        return wide ? PT_MV_UNICODE : PT_MV_STRING8;
    return stored;
}

HRESULT fm_propdata_new_problems(fm_propdata *pd, ULONG n, LPSPropProblemArray *out)
{
    SCODE sc = pd->alloc((ULONG)CbNewSPropProblemArray(n), (void **)out);
    if (sc != S_OK) {
        *out = NULL;
        return fm_error_set(sc, "IPropData: cannot allocate a problem array");
    }
    (*out)->cProblem = 0;
    return S_OK;
}

HRESULT fm_propdata_check_tags(const char *fn, const SPropTagArray *tags, int allow_empty)
{
    if (tags == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: property tag array is NULL", fn);
    if (tags->cValues == 0 && !allow_empty)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: property tag array is empty", fn);
    return S_OK;
}

/* ---- IUnknown ----------------------------------------------------------- */

static STDMETHODIMP propdata_QueryInterface(IPropData *This, REFIID riid, LPVOID *ppvObj)
{
    if (ppvObj == NULL || riid == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: NULL argument");
    *ppvObj = NULL;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMAPIProp) &&
        !IsEqualIID(riid, &IID_IMAPIPropData))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED,
                            "IPropData supports IUnknown, IMAPIProp and IMAPIPropData only");
    IPropData_AddRef(This);
    *ppvObj = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) propdata_AddRef(IPropData *This)
{
    return atomic_fetch_add(&fm_propdata_of(This)->refs, 1) + 1;
}

static void destroy(fm_propdata *pd)
{
    for (size_t i = 0; i < pd->nprops; i++)
        fm_free(pd->props[i].value);
    fm_free(pd->props);
    fm_propdata_free_names(pd);
    fm_lasterr_clear(&pd->err);
    pthread_mutex_destroy(&pd->lock);
    fm_free(pd);
}

static STDMETHODIMP_(ULONG) propdata_Release(IPropData *This)
{
    fm_propdata *pd = fm_propdata_of(This);
    ULONG left = atomic_fetch_sub(&pd->refs, 1) - 1;
    if (left == 0)
        destroy(pd);
    return left;
}

/* ---- IMAPIProp: the trivial methods ------------------------------------- */

static STDMETHODIMP propdata_GetLastError(IPropData *This, HRESULT hResult, ULONG ulFlags,
                                          LPMAPIERROR *lppMAPIError)
{
    return fm_lasterr_get(&fm_propdata_of(This)->err, "IPropData", hResult, ulFlags, lppMAPIError);
}

#define SAVE_FLAGS (KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE | MAPI_DEFERRED_ERRORS)

static STDMETHODIMP propdata_SaveChanges(IPropData *This, ULONG ulFlags)
{
    fm_propdata *pd = fm_propdata_of(This);
    fm_propdata_lock(pd);
    HRESULT hr = S_OK;
    if (ulFlags & ~SAVE_FLAGS)
        hr = fm_error_set(MAPI_E_UNKNOWN_FLAGS, "SaveChanges: unknown flags 0x%08lX",
                          (unsigned long)(ulFlags & ~SAVE_FLAGS));
    /* IPropData keeps nothing outside memory: saving is a successful no-op. */
    return fm_propdata_unlock(pd, hr);
}

static STDMETHODIMP propdata_OpenProperty(IPropData *This, ULONG ulPropTag, LPCIID lpiid,
                                          ULONG ulInterfaceOptions, ULONG ulFlags,
                                          LPUNKNOWN *lppUnk)
{
    fm_propdata *pd = fm_propdata_of(This);
    fm_propdata_lock(pd);
    HRESULT hr;
    if (lppUnk == NULL || lpiid == NULL) {
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenProperty: lpiid and lppUnk are required");
    } else {
        *lppUnk = NULL;
        hr = fm_error_set(MAPI_E_NO_SUPPORT,
                          "OpenProperty: IPropData holds values only; property 0x%08lX has no "
                          "interface to open",
                          (unsigned long)ulPropTag);
    }
    return fm_propdata_unlock(pd, hr);
}

static const IPropDataVtbl PROPDATA_VTBL = {
    .QueryInterface = propdata_QueryInterface,
    .AddRef = propdata_AddRef,
    .Release = propdata_Release,
    .GetLastError = propdata_GetLastError,
    .SaveChanges = propdata_SaveChanges,
    .GetProps = fm_propdata_GetProps,
    .GetPropList = fm_propdata_GetPropList,
    .OpenProperty = propdata_OpenProperty,
    .SetProps = fm_propdata_SetProps,
    .DeleteProps = fm_propdata_DeleteProps,
    .CopyTo = fm_propdata_CopyTo,
    .CopyProps = fm_propdata_CopyProps,
    .GetNamesFromIDs = fm_propdata_GetNamesFromIDs,
    .GetIDsFromNames = fm_propdata_GetIDsFromNames,
    .HrSetObjAccess = fm_propdata_HrSetObjAccess,
    .HrSetPropAccess = fm_propdata_HrSetPropAccess,
    .HrGetPropAccess = fm_propdata_HrGetPropAccess,
    .HrAddObjProps = fm_propdata_HrAddObjProps,
};

STDAPI_(SCODE)
CreateIProp(LPCIID lpInterface, ALLOCATEBUFFER *lpAllocateBuffer, ALLOCATEMORE *lpAllocateMore,
            FREEBUFFER *lpFreeBuffer, LPVOID lpvReserved, LPPROPDATA *lppPropData)
{
    if (lppPropData == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateIProp: lppPropData is NULL");
    *lppPropData = NULL;
    if (lpAllocateBuffer == NULL || lpAllocateMore == NULL || lpFreeBuffer == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "CreateIProp: the three allocator functions are required");
    if (lpvReserved != NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateIProp: lpvReserved must be NULL");
    if (lpInterface != NULL && !IsEqualIID(lpInterface, &IID_IMAPIPropData) &&
        !IsEqualIID(lpInterface, &IID_IMAPIProp))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED,
                            "CreateIProp: only IID_IMAPIPropData or IID_IMAPIProp");
    fm_propdata *pd = fm_calloc(1, sizeof *pd);
    if (pd == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "CreateIProp: out of memory");
    if (pthread_mutex_init(&pd->lock, NULL) != 0) {
        fm_free(pd);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "CreateIProp: cannot create a mutex");
    }
    pd->iface.lpVtbl = &PROPDATA_VTBL;
    atomic_init(&pd->refs, 1);
    pd->alloc = lpAllocateBuffer;
    pd->more = lpAllocateMore;
    pd->free_buffer = lpFreeBuffer;
    pd->obj_access = IPROP_READWRITE;
    pd->next_named_id = FM_PROPDATA_FIRST_NAMED_ID;
    fm_lasterr_init(&pd->err);
    *lppPropData = &pd->iface;
    return S_OK;
}
