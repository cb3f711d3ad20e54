/*
 * store/object.c - lifecycle, interfaces and error text of store objects
 * (see object.h for how an object's properties are kept).
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "mapiguid.h"
#include "props/propdata.h"
#include "store/object.h"
#include "store/propblob.h"
#include "store/stream.h"

HRESULT fm_object_init(fm_object *o, const fm_object_class *cls, fm_store *store, int64_t id,
                       bool writable)
{
    memset(o, 0, sizeof *o);
    o->cls = cls;
    atomic_init(&o->refs, 1);
    o->store = store;
    o->id = id;
    o->writable = writable;
    HRESULT hr = CreateIProp(&IID_IMAPIPropData, MAPIAllocateBuffer, MAPIAllocateMore,
                             MAPIFreeBuffer, NULL, &o->bag);
    if (hr != S_OK)
        return hr;
    pthread_mutex_init(&o->lock, NULL);
    fm_lasterr_init(&o->err);
    fm_store_addref(store);
    return S_OK;
}

HRESULT fm_object_fail(fm_object *o, HRESULT hr)
{
    return o != NULL ? fm_lasterr_record(&o->err, hr) : hr;
}

HRESULT fm_object_load_blob(fm_object *o, const void *blob, size_t len)
{
    if (len == 0)
        return S_OK;
    ULONG n = 0;
    LPSPropValue props = NULL;
    HRESULT hr = fm_propblob_decode(blob, len, NULL, &n, &props);
    if (hr != S_OK || n == 0)
        return hr;
    LPSPropProblemArray problems = NULL;
    hr = IPropData_SetProps(o->bag, n, props, &problems);
    if (hr == S_OK && problems != NULL)
        hr = fm_error_set(MAPI_E_CORRUPT_STORE, "a stored property could not be loaded");
    MAPIFreeBuffer(problems);
    MAPIFreeBuffer(props);
    if (hr != S_OK)
        return hr;
    return fm_object_mark_clean(o);
}

HRESULT fm_object_mark_clean(fm_object *o)
{
    LPSPropTagArray tags = NULL;
    HRESULT hr = IPropData_GetPropList(o->bag, 0, &tags);
    if (hr != S_OK || tags->cValues == 0) {
        MAPIFreeBuffer(tags);
        return hr;
    }
    ULONG *access = NULL;
    hr = fm_alloc_mapi(tags->cValues * sizeof(ULONG), tags, (void **)&access);
    if (hr == S_OK) {
        for (ULONG i = 0; i < tags->cValues; i++)
            access[i] = IPROP_READWRITE | IPROP_CLEAN;
        hr = IPropData_HrSetPropAccess(o->bag, tags, access);
    }
    MAPIFreeBuffer(tags);
    return hr;
}

/* The bag's values in the types they were set with (strings not converted):
 * shallow copies whose data stays the bag's (valid while o->lock is held). */
static HRESULT stored_values(fm_object *o, SPropValue **vals, ULONG *n)
{
    fm_propdata *pd = fm_propdata_of(o->bag);
    *vals = NULL;
    *n = 0;
    fm_propdata_lock(pd);
    SPropValue *v = fm_malloc((pd->nprops ? pd->nprops : 1) * sizeof *v);
    if (v == NULL) {
        fm_propdata_unlock(pd, S_OK);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory listing properties");
    }
    ULONG k = 0;
    for (size_t i = 0; i < pd->nprops; i++) {
        if (pd->props[i].value != NULL) /* object properties have no value */
            v[k++] = *pd->props[i].value;
    }
    fm_propdata_unlock(pd, S_OK);
    *vals = v;
    *n = k;
    return S_OK;
}

HRESULT fm_object_encode_bag(fm_object *o, void **blob, size_t *len)
{
    ULONG n = 0;
    SPropValue *props = NULL;
    *blob = NULL;
    *len = 0;
    /* As stored: a string keeps the width it was written in. */
    HRESULT hr = stored_values(o, &props, &n);
    if (hr != S_OK)
        return hr;
    hr = fm_propblob_encode(n, props, blob, len);
    fm_free(props);
    return hr;
}

/* ---- IUnknown ---------------------------------------------------------------- */

HRESULT fm_object_QueryInterface(fm_object *o, REFIID riid, LPVOID *ppvObj)
{
    if (ppvObj == NULL || riid == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: NULL argument");
    *ppvObj = NULL;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPIProp) ||
        (o->cls->has_interface != NULL && o->cls->has_interface(riid))) {
        fm_object_AddRef(o);
        *ppvObj = fm_object_iface(o);
        return S_OK;
    }
    return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "%s does not support that interface",
                        o->cls->name);
}

ULONG fm_object_AddRef(fm_object *o)
{
    return atomic_fetch_add(&o->refs, 1) + 1;
}

static void drop_pending(fm_object *o)
{
    fm_pending_drop(o->store->db, o->pending, o->npending);
    fm_free(o->pending);
    o->pending = NULL;
    o->npending = o->cappending = 0;
}

ULONG fm_object_Release(fm_object *o)
{
    ULONG left = atomic_fetch_sub(&o->refs, 1) - 1;
    if (left > 0)
        return left;
    /* Release without SaveChanges discards what was not saved. */
    fm_store_lock(o->store);
    drop_pending(o);
    fm_store_unlock(o->store);
    if (o->cls->destroy != NULL)
        o->cls->destroy(o);
    IPropData_Release(o->bag);
    fm_lasterr_clear(&o->err);
    pthread_mutex_destroy(&o->lock);
    fm_store *store = o->store;
    fm_free(fm_object_iface(o));
    fm_store_release(store);
    return 0;
}

HRESULT fm_object_GetLastError(fm_object *o, HRESULT hResult, ULONG ulFlags,
                            LPMAPIERROR *lppMAPIError)
{
    return fm_lasterr_get(&o->err, o->cls->name, hResult, ulFlags, lppMAPIError);
}

HRESULT fm_object_SaveChanges(fm_object *o, ULONG ulFlags)
{
    HRESULT denied = fm_store_check_access(o->store);
    if (denied != S_OK)
        return fm_object_fail(o, denied);
    const ULONG known = KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE |
                        MAPI_DEFERRED_ERRORS;
    if (ulFlags & ~known)
        return fm_object_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS,
                                              "SaveChanges: unknown flags 0x%08lX",
                                              (unsigned long)(ulFlags & ~known)));
    if ((ulFlags & KEEP_OPEN_READONLY) && (ulFlags & KEEP_OPEN_READWRITE))
        return fm_object_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                              "SaveChanges: KEEP_OPEN_READONLY and "
                                              "KEEP_OPEN_READWRITE together"));
    if (o->cls->save == NULL)
        return fm_object_fail(o, fm_error_set(MAPI_E_NO_SUPPORT, "%s cannot be saved",
                                              o->cls->name));
    if (!o->writable)
        return fm_object_fail(o, fm_error_set(MAPI_E_NO_ACCESS,
                                              "SaveChanges: the %s was opened read-only",
                                              o->cls->name));
    if (o->cls->autosave) /* every change was saved when it was made */
        return S_OK;
    pthread_mutex_lock(&o->lock);
    HRESULT hr = o->cls->save(o, ulFlags);
    if (hr == S_OK) {
        o->dirty = false;
        /* Without KEEP_OPEN_READWRITE the object stays usable for reading,
         * which is what clients that read PR_ENTRYID after saving expect. */
        if (!(ulFlags & KEEP_OPEN_READWRITE))
            o->writable = false;
    }
    pthread_mutex_unlock(&o->lock);
    return fm_object_fail(o, hr);
}
