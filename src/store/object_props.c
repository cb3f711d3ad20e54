/*
 * store/object_props.c - GetProps, GetPropList, SetProps and DeleteProps of
 * store objects: the bag, the computed properties and the stream-backed
 * ones merged into the one property set MAPI callers see.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/text.h"
#include "props/propvalue.h"
#include "props/validate.h"
#include "store/object.h"
#include "store/stream.h"

static bool is_string(ULONG type)
{
    return type == PT_STRING8 || type == PT_UNICODE;
}

/* The type a value of natural type `have` is returned as, when the caller
 * asked for `asked` (PT_UNSPECIFIED: the natural type, strings in the width
 * MAPI_UNICODE says). 0 when the two do not fit. */
static ULONG wanted_type(ULONG have, ULONG asked, ULONG flags)
{
    if (asked == PT_UNSPECIFIED) {
        if (have == PT_STRING8 || have == PT_UNICODE)
            return (flags & MAPI_UNICODE) ? PT_UNICODE : PT_STRING8;
        if (have == PT_MV_STRING8 || have == PT_MV_UNICODE)
            return (flags & MAPI_UNICODE) ? PT_MV_UNICODE : PT_MV_STRING8;
        return have;
    }
    if (asked == have)
        return have;
    if (is_string(asked) && is_string(have))
        return asked;
    if ((asked == PT_MV_STRING8 || asked == PT_MV_UNICODE) &&
        (have == PT_MV_STRING8 || have == PT_MV_UNICODE))
        return asked;
    return 0;
}

static void set_error(SPropValue *v, ULONG tag, SCODE sc)
{
    v->ulPropTag = CHANGE_PROP_TYPE(tag, PT_ERROR);
    v->dwAlignPad = 0;
    v->Value.err = sc;
}

bool fm_object_is_computed(const fm_object *o, ULONG tag)
{
    for (ULONG i = 0; i < o->cls->n_computed; i++) {
        if (PROP_ID(o->cls->computed_tags[i]) == PROP_ID(tag))
            return true;
    }
    return false;
}

static ULONG computed_tag_of(const fm_object *o, ULONG tag)
{
    for (ULONG i = 0; i < o->cls->n_computed; i++) {
        if (PROP_ID(o->cls->computed_tags[i]) == PROP_ID(tag))
            return o->cls->computed_tags[i];
    }
    return 0;
}

/* A computed value, in the type asked for, into *out (data onto parent). */
static HRESULT get_computed(fm_object *o, ULONG tag, ULONG flags, void *parent,
                            SPropValue *out)
{
    ULONG natural = computed_tag_of(o, tag);
    SPropValue v;
    void *tmp = NULL;
    HRESULT hr = MAPIAllocateBuffer(0, &tmp);
    if (hr != S_OK)
        return hr;
    hr = o->cls->computed(o, natural, tmp, &v);
    if (hr == MAPI_E_NOT_FOUND) {
        set_error(out, tag, MAPI_E_NOT_FOUND);
        hr = S_OK;
    } else if (hr == S_OK) {
        ULONG want = wanted_type(PROP_TYPE(v.ulPropTag), PROP_TYPE(tag), flags);
        if (want == 0)
            set_error(out, tag, MAPI_E_NOT_FOUND);
        else
            hr = fm_props_copy_as(out, &v, want, MAPIAllocateMore, parent);
    }
    MAPIFreeBuffer(tmp);
    return hr;
}

/* A stream-backed value, read whole when small enough. */
static HRESULT get_streamed(fm_object *o, const fm_stream_prop *sp, ULONG asked, ULONG flags,
                            void *parent, SPropValue *out)
{
    ULONG have = PROP_TYPE(sp->tag);
    ULONG want = wanted_type(have, asked, flags);
    ULONG tag = CHANGE_PROP_TYPE(sp->tag, want ? want : have);
    if (want == 0) {
        set_error(out, sp->tag, MAPI_E_NOT_FOUND);
        return S_OK;
    }
    if (sp->size > FM_GETPROPS_STREAM_MAX) {
        set_error(out, tag, MAPI_E_NOT_ENOUGH_MEMORY);
        return S_OK;
    }
    BYTE *data = NULL;
    ULONG cb = 0;
    HRESULT hr = fm_stream_read_all(o->store->db, sp->sid, FM_GETPROPS_STREAM_MAX, parent, &data,
                                    &cb);
    if (hr != S_OK)
        return hr;
    SPropValue raw = { .ulPropTag = sp->tag };
    if (have == PT_BINARY) {
        raw.Value.bin.cb = cb;
        raw.Value.bin.lpb = data;
        *out = raw;
        return S_OK;
    }
    /* Strings are kept without their NUL: terminate a copy, then convert. */
    size_t unit = have == PT_UNICODE ? sizeof(WCHAR) : 1;
    char *z;
    hr = fm_alloc_mapi(cb + unit, parent, (void **)&z);
    if (hr != S_OK)
        return hr;
    memcpy(z, data, cb);
    memset(z + cb, 0, unit);
    if (have == PT_UNICODE)
        raw.Value.lpszW = (LPWSTR)(void *)z;
    else
        raw.Value.lpszA = z;
    if (want == have) {
        *out = raw;
        return S_OK;
    }
    return fm_props_copy_as(out, &raw, want, MAPIAllocateMore, parent);
}

bool fm_object_is_derived(const fm_object *o, ULONG tag)
{
    for (ULONG i = 0; o->cls->derived != NULL && i < o->cls->n_derived; i++) {
        if (PROP_ID(o->cls->derived_tags[i]) == PROP_ID(tag))
            return true;
    }
    return false;
}

static size_t value_size(const SPropValue *v)
{
    switch (PROP_TYPE(v->ulPropTag)) {
    case PT_BINARY: return v->Value.bin.cb;
    case PT_UNICODE: return fm_utf16_len(v->Value.lpszW) * sizeof(WCHAR);
    case PT_STRING8: return strlen(v->Value.lpszA);
    default: return sizeof v->Value;
    }
}

HRESULT fm_object_get_derived(fm_object *o, const fm_stream_prop *sp, size_t nsp, ULONG tag,
                              ULONG flags, void *parent, SPropValue *out)
{
    set_error(out, tag, MAPI_E_NOT_FOUND);
    if (!fm_object_is_derived(o, tag))
        return S_OK;
    void *tmp = NULL;
    HRESULT hr = MAPIAllocateBuffer(0, &tmp);
    if (hr != S_OK)
        return hr;
    SPropValue v;
    hr = o->cls->derived(o, sp, nsp, tag, tmp, &v);
    if (hr == S_OK) {
        ULONG want = wanted_type(PROP_TYPE(v.ulPropTag), PROP_TYPE(tag), flags);
        if (want != 0 && value_size(&v) > FM_GETPROPS_STREAM_MAX)
            set_error(out, v.ulPropTag, MAPI_E_NOT_ENOUGH_MEMORY); /* OpenProperty reads it */
        else if (want != 0)
            hr = fm_props_copy_as(out, &v, want, MAPIAllocateMore, parent);
    } else if (hr == MAPI_E_NOT_FOUND) {
        hr = S_OK;
    } else if (hr != MAPI_E_NOT_ENOUGH_MEMORY) {
        set_error(out, tag, hr); /* the source body cannot be read: say why */
        hr = S_OK;
    }
    MAPIFreeBuffer(tmp);
    return hr;
}

static bool listed_in(const ULONG *tags, ULONG n, ULONG tag)
{
    for (ULONG i = 0; i < n; i++) {
        if (PROP_ID(tags[i]) == PROP_ID(tag))
            return true;
    }
    return false;
}

static bool value_listed(const SPropValue *v, ULONG n, ULONG tag)
{
    for (ULONG i = 0; i < n; i++) {
        if (PROP_ID(v[i].ulPropTag) == PROP_ID(tag))
            return true;
    }
    return false;
}

static const fm_stream_prop *find_stream(const fm_stream_prop *sp, size_t n, ULONG tag)
{
    for (size_t i = 0; i < n; i++) {
        if (PROP_ID(sp[i].tag) == PROP_ID(tag))
            return &sp[i];
    }
    return NULL;
}

static HRESULT get_all(fm_object *o, ULONG flags, const fm_stream_prop *sp, size_t nsp,
                       ULONG *lpcValues, LPSPropValue *lppProps)
{
    ULONG nb = 0;
    LPSPropValue bv = NULL;
    HRESULT hr = IPropData_GetProps(o->bag, NULL, flags, &nb, &bv);
    if (FAILED(hr))
        return hr;
    size_t total = nb + o->cls->n_computed + nsp + o->cls->n_derived;
    LPSPropValue r = NULL;
    hr = fm_alloc_mapi((total ? total : 1) * sizeof(SPropValue), NULL, (void **)&r);
    ULONG k = 0;
    for (ULONG i = 0; hr == S_OK && i < nb; i++)
        hr = PropCopyMore(&r[k++], &bv[i], MAPIAllocateMore, r);
    MAPIFreeBuffer(bv);
    for (ULONG i = 0; hr == S_OK && i < o->cls->n_computed; i++) {
        ULONG tag = o->cls->computed_tags[i];
        hr = get_computed(o, CHANGE_PROP_TYPE(tag, PT_UNSPECIFIED), flags, r, &r[k]);
        if (hr == S_OK && PROP_TYPE(r[k].ulPropTag) != PT_ERROR)
            k++; /* computed properties the object lacks are not listed */
    }
    for (size_t i = 0; hr == S_OK && i < nsp; i++)
        hr = get_streamed(o, &sp[i], PT_UNSPECIFIED, flags, r, &r[k++]);
    /* derived properties the object lacks, as GetProps of each would give */
    for (ULONG i = 0; hr == S_OK && o->cls->derived && i < o->cls->n_derived_listed; i++) {
        ULONG tag = o->cls->derived_tags[i];
        if (value_listed(r, k, tag))
            continue;
        hr = fm_object_get_derived(o, sp, nsp, CHANGE_PROP_TYPE(tag, PT_UNSPECIFIED), flags, r,
                                   &r[k]);
        if (hr == S_OK && !(PROP_TYPE(r[k].ulPropTag) == PT_ERROR &&
                            r[k].Value.err == MAPI_E_NOT_FOUND))
            k++;
    }
    if (hr != S_OK) {
        MAPIFreeBuffer(r);
        return hr;
    }
    *lpcValues = k;
    *lppProps = r;
    return S_OK;
}

static HRESULT get_listed(fm_object *o, const SPropTagArray *tags, ULONG flags,
                          const fm_stream_prop *sp, size_t nsp, LPSPropValue *lppProps)
{
    ULONG n = tags->cValues;
    LPSPropValue r = NULL;
    HRESULT hr = fm_alloc_mapi((n ? n : 1) * sizeof(SPropValue), NULL, (void **)&r);
    if (hr != S_OK)
        return hr;
    LPSPropTagArray from_bag = NULL;
    ULONG *where = NULL;
    hr = fm_alloc_mapi(CbNewSPropTagArray(n), r, (void **)&from_bag);
    if (hr == S_OK)
        hr = fm_alloc_mapi((n ? n : 1) * sizeof(ULONG), r, (void **)&where);
    if (hr != S_OK) {
        MAPIFreeBuffer(r);
        return hr;
    }
    from_bag->cValues = 0;
    for (ULONG i = 0; hr == S_OK && i < n; i++) {
        ULONG tag = tags->aulPropTag[i];
        const fm_stream_prop *s;
        if (fm_object_is_computed(o, tag)) {
            hr = get_computed(o, tag, flags, r, &r[i]);
        } else if ((s = find_stream(sp, nsp, tag)) != NULL) {
            hr = get_streamed(o, s, PROP_TYPE(tag), flags, r, &r[i]);
        } else {
            where[from_bag->cValues] = i;
            from_bag->aulPropTag[from_bag->cValues++] = tag;
        }
    }
    if (hr == S_OK && from_bag->cValues > 0) {
        ULONG nb = 0;
        LPSPropValue bv = NULL;
        hr = IPropData_GetProps(o->bag, from_bag, flags, &nb, &bv);
        if (SUCCEEDED(hr)) {
            hr = S_OK;
            for (ULONG j = 0; hr == S_OK && j < nb; j++)
                hr = PropCopyMore(&r[where[j]], &bv[j], MAPIAllocateMore, r);
            MAPIFreeBuffer(bv);
        }
        /* what the bag lacks and the class derives */
        for (ULONG j = 0; hr == S_OK && j < from_bag->cValues; j++) {
            SPropValue *v = &r[where[j]];
            if (PROP_TYPE(v->ulPropTag) == PT_ERROR && v->Value.err == MAPI_E_NOT_FOUND &&
                fm_object_is_derived(o, from_bag->aulPropTag[j]))
                hr = fm_object_get_derived(o, sp, nsp, from_bag->aulPropTag[j], flags, r, v);
        }
    }
    if (hr != S_OK) {
        MAPIFreeBuffer(r);
        return hr;
    }
    *lppProps = r;
    return S_OK;
}

HRESULT fm_object_GetProps(fm_object *o, LPSPropTagArray lpPropTagArray, ULONG ulFlags,
                        ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    if (lpcValues != NULL && lppPropArray != NULL) {
        *lpcValues = 0;
        *lppPropArray = NULL;
    }
    HRESULT denied = fm_store_check_access(o->store);
    if (denied != S_OK)
        return fm_object_fail(o, denied);
    if (lpcValues == NULL || lppPropArray == NULL)
        return fm_object_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                              "GetProps: NULL out pointer"));
    *lpcValues = 0;
    *lppPropArray = NULL;
    if (ulFlags & ~MAPI_UNICODE)
        return fm_object_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS,
                                              "GetProps: unknown flags 0x%08lX",
                                              (unsigned long)(ulFlags & ~MAPI_UNICODE)));
    HRESULT hr = lpPropTagArray ? fm_validate_tag_array(lpPropTagArray, "GetProps") : S_OK;
    if (hr != S_OK)
        return fm_object_fail(o, hr);
    pthread_mutex_lock(&o->lock);
    fm_stream_prop *sp = NULL;
    size_t nsp = 0;
    hr = fm_object_stream_props(o, &sp, &nsp);
    if (hr == S_OK && lpPropTagArray == NULL)
        hr = get_all(o, ulFlags, sp, nsp, lpcValues, lppPropArray);
    else if (hr == S_OK) {
        hr = get_listed(o, lpPropTagArray, ulFlags, sp, nsp, lppPropArray);
        if (hr == S_OK)
            *lpcValues = lpPropTagArray->cValues;
    }
    pthread_mutex_unlock(&o->lock);
    fm_free(sp);
    if (hr != S_OK)
        return fm_object_fail(o, hr);
    for (ULONG i = 0; i < *lpcValues; i++) {
        if (PROP_TYPE((*lppPropArray)[i].ulPropTag) == PT_ERROR)
            return MAPI_W_ERRORS_RETURNED;
    }
    return S_OK;
}

static ULONG listed_type(ULONG tag, ULONG flags)
{
    ULONG t = wanted_type(PROP_TYPE(tag), PT_UNSPECIFIED, flags);
    return CHANGE_PROP_TYPE(tag, t);
}

/* The computed properties the object has right now, as tags into tags
 * (which has room for them) from index *k on. */
static HRESULT list_computed(fm_object *o, ULONG flags, LPSPropTagArray tags, ULONG *k)
{
    void *tmp = NULL;
    HRESULT hr = MAPIAllocateBuffer(sizeof(SPropValue), &tmp);
    for (ULONG i = 0; hr == S_OK && i < o->cls->n_computed; i++) {
        ULONG tag = o->cls->computed_tags[i];
        SPropValue *v = tmp;
        hr = get_computed(o, CHANGE_PROP_TYPE(tag, PT_UNSPECIFIED), flags, tmp, v);
        if (hr == S_OK && PROP_TYPE(v->ulPropTag) != PT_ERROR)
            tags->aulPropTag[(*k)++] = v->ulPropTag; /* ones it lacks are not listed */
    }
    MAPIFreeBuffer(tmp);
    return hr;
}

/* The listing is what GetProps(NULL) returns, but without reading values:
 * stream-kept ones are listed with their real type even when too large for
 * GetProps, so a caller learns the tag to open them under. */
static HRESULT list_all(fm_object *o, ULONG flags, LPSPropTagArray *out)
{
    fm_stream_prop *sp = NULL;
    size_t nsp = 0;
    LPSPropTagArray bag = NULL, tags = NULL;
    HRESULT hr = fm_object_stream_props(o, &sp, &nsp);
    if (hr == S_OK)
        hr = IPropData_GetPropList(o->bag, flags, &bag);
    if (hr == S_OK)
        hr = fm_alloc_mapi(CbNewSPropTagArray(bag->cValues + o->cls->n_computed + nsp +
                                              o->cls->n_derived),
                           NULL, (void **)&tags);
    ULONG k = 0;
    for (ULONG i = 0; hr == S_OK && i < bag->cValues; i++)
        tags->aulPropTag[k++] = bag->aulPropTag[i];
    if (hr == S_OK)
        hr = list_computed(o, flags, tags, &k);
    for (size_t i = 0; hr == S_OK && i < nsp; i++)
        tags->aulPropTag[k++] = listed_type(sp[i].tag, flags);
    for (ULONG i = 0; hr == S_OK && o->cls->derived && i < o->cls->n_derived_listed; i++) {
        ULONG tag = o->cls->derived_tags[i];
        if (listed_in(tags->aulPropTag, k, tag))
            continue;
        HRESULT can = o->cls->derived(o, sp, nsp, tag, NULL, NULL);
        if (can == S_OK)
            tags->aulPropTag[k++] = listed_type(tag, flags);
        else if (can == MAPI_E_NOT_ENOUGH_MEMORY)
            hr = can;
    }
    fm_free(sp);
    MAPIFreeBuffer(bag);
    if (hr != S_OK) {
        MAPIFreeBuffer(tags);
        return hr;
    }
    tags->cValues = k;
    *out = tags;
    return S_OK;
}

HRESULT fm_object_GetPropList(fm_object *o, ULONG ulFlags,
                           LPSPropTagArray *lppPropTagArray)
{
    if (lppPropTagArray == NULL)
        return fm_object_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                              "GetPropList: NULL out pointer"));
    *lppPropTagArray = NULL;
    if (ulFlags & ~MAPI_UNICODE)
        return fm_object_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS,
                                              "GetPropList: unknown flags 0x%08lX",
                                              (unsigned long)(ulFlags & ~MAPI_UNICODE)));
    pthread_mutex_lock(&o->lock);
    HRESULT hr = list_all(o, ulFlags, lppPropTagArray);
    pthread_mutex_unlock(&o->lock);
    return fm_object_fail(o, hr);
}

/* ---- changing properties ------------------------------------------------------ */

static HRESULT add_problem(LPSPropProblemArray pa, ULONG index, ULONG tag, SCODE sc)
{
    SPropProblem *p = &pa->aProblem[pa->cProblem++];
    p->ulIndex = index;
    p->ulPropTag = tag;
    p->scode = sc;
    return S_OK;
}

/* Appends the bag's problems, whose indices refer to the subset, mapped back. */
static void merge_problems(LPSPropProblemArray pa, LPSPropProblemArray bag, const ULONG *map)
{
    if (bag == NULL)
        return;
    for (ULONG i = 0; i < bag->cProblem; i++)
        add_problem(pa, map[bag->aProblem[i].ulIndex], bag->aProblem[i].ulPropTag,
                    bag->aProblem[i].scode);
}

static HRESULT finish_problems(LPSPropProblemArray pa, LPSPropProblemArray *out)
{
    if (out != NULL && pa->cProblem > 0) {
        *out = pa;
        return S_OK;
    }
    MAPIFreeBuffer(pa);
    return S_OK;
}

static HRESULT check_writable(fm_object *o, const char *fn)
{
    if (!o->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "%s: the %s is open read-only", fn, o->cls->name);
    return S_OK;
}

HRESULT fm_object_SetProps(fm_object *o, ULONG cValues, LPSPropValue lpPropArray,
                        LPSPropProblemArray *lppProblems)
{
    if (lppProblems != NULL)
        *lppProblems = NULL;
    HRESULT denied = fm_store_check_access(o->store);
    if (denied != S_OK)
        return fm_object_fail(o, denied);
    if (lpPropArray == NULL || cValues == 0)
        return fm_object_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                              "SetProps: no properties given"));
    HRESULT hr = fm_validate_prop_array(cValues, lpPropArray, "SetProps");
    if (hr == S_OK)
        hr = check_writable(o, "SetProps");
    if (hr != S_OK)
        return fm_object_fail(o, hr);
    LPSPropProblemArray pa = NULL;
    SPropValue *subset = NULL;
    ULONG *map = NULL;
    hr = fm_alloc_mapi(CbNewSPropProblemArray(cValues), NULL, (void **)&pa);
    if (hr == S_OK && (subset = fm_malloc(cValues * sizeof *subset)) == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "SetProps: out of memory");
    if (hr == S_OK && (map = fm_malloc(cValues * sizeof *map)) == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "SetProps: out of memory");
    if (hr != S_OK) {
        MAPIFreeBuffer(pa);
        fm_free(subset);
        return fm_object_fail(o, hr);
    }
    pa->cProblem = 0;
    pthread_mutex_lock(&o->lock);
    fm_stream_prop *sp = NULL;
    size_t nsp = 0;
    hr = fm_object_stream_props(o, &sp, &nsp); /* no query for a new object */
    ULONG ns = 0;
    for (ULONG i = 0; i < cValues && hr == S_OK; i++) {
        ULONG tag = lpPropArray[i].ulPropTag;
        ULONG type = PROP_TYPE(tag);
        if (type == PT_ERROR || tag == PR_NULL)
            continue; /* documented: ignored */
        if (fm_object_is_computed(o, tag)) {
            SCODE sc = o->cls->set_computed ? o->cls->set_computed(o, &lpPropArray[i])
                                            : MAPI_E_COMPUTED;
            if (sc != S_OK)
                add_problem(pa, i, tag, sc);
            else
                o->dirty = true;
        } else if (type == PT_OBJECT) {
            add_problem(pa, i, tag, MAPI_E_INVALID_TYPE);
        } else {
            /* A new value replaces a stream-backed one. */
            if (find_stream(sp, nsp, tag) != NULL)
                hr = fm_object_set_pending(o, tag, 0, 0);
            subset[ns] = lpPropArray[i];
            map[ns++] = i;
        }
    }
    fm_free(sp);
    LPSPropProblemArray bagp = NULL;
    if (hr == S_OK && ns > 0)
        hr = IPropData_SetProps(o->bag, ns, subset, &bagp);
    if (hr == S_OK) {
        merge_problems(pa, bagp, map);
        o->dirty = true;
        if (o->cls->autosave) {
            /* The tags set (the map's room is reused: it is read no more). */
            ULONG *changed = map;
            for (ULONG i = 0; i < ns; i++)
                changed[i] = subset[i].ulPropTag;
            o->changed = changed;
            o->nchanged = ns;
            hr = o->cls->save(o, KEEP_OPEN_READWRITE);
            o->changed = NULL;
            o->nchanged = 0;
        }
    }
    pthread_mutex_unlock(&o->lock);
    MAPIFreeBuffer(bagp);
    fm_free(subset);
    fm_free(map);
    if (hr != S_OK) {
        MAPIFreeBuffer(pa);
        return fm_object_fail(o, hr);
    }
    return finish_problems(pa, lppProblems);
}

HRESULT fm_object_DeleteProps(fm_object *o, LPSPropTagArray lpPropTagArray,
                           LPSPropProblemArray *lppProblems)
{
    if (lppProblems != NULL)
        *lppProblems = NULL;
    if (lpPropTagArray == NULL)
        return fm_object_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                              "DeleteProps: lpPropTagArray is NULL"));
    HRESULT hr = fm_validate_tag_array(lpPropTagArray, "DeleteProps");
    if (hr == S_OK)
        hr = check_writable(o, "DeleteProps");
    if (hr != S_OK)
        return fm_object_fail(o, hr);
    ULONG n = lpPropTagArray->cValues;
    LPSPropProblemArray pa = NULL;
    LPSPropTagArray subset = NULL;
    ULONG *map = NULL;
    hr = fm_alloc_mapi(CbNewSPropProblemArray(n ? n : 1), NULL, (void **)&pa);
    if (hr == S_OK)
        hr = fm_alloc_mapi(CbNewSPropTagArray(n), pa, (void **)&subset);
    if (hr == S_OK)
        hr = fm_alloc_mapi((n ? n : 1) * sizeof(ULONG), pa, (void **)&map);
    if (hr != S_OK) {
        MAPIFreeBuffer(pa);
        return fm_object_fail(o, hr);
    }
    pa->cProblem = 0;
    subset->cValues = 0;
    pthread_mutex_lock(&o->lock);
    fm_stream_prop *sp = NULL;
    size_t nsp = 0;
    hr = fm_object_stream_props(o, &sp, &nsp);
    for (ULONG i = 0; hr == S_OK && i < n; i++) {
        ULONG tag = lpPropTagArray->aulPropTag[i];
        if (fm_object_is_computed(o, tag)) {
            add_problem(pa, i, tag, MAPI_E_COMPUTED);
        } else if (find_stream(sp, nsp, tag) != NULL) {
            hr = fm_object_set_pending(o, tag, 0, 0);
        } else {
            map[subset->cValues] = i;
            subset->aulPropTag[subset->cValues++] = tag;
        }
    }
    fm_free(sp);
    LPSPropProblemArray bagp = NULL;
    if (hr == S_OK && subset->cValues > 0)
        hr = IPropData_DeleteProps(o->bag, subset, &bagp);
    if (hr == S_OK) {
        merge_problems(pa, bagp, map);
        o->dirty = true;
        if (o->cls->autosave) {
            /* The tags deleted, computed ones left out (the map is read no more). */
            ULONG nc = 0;
            for (ULONG i = 0; i < n; i++)
                if (!fm_object_is_computed(o, lpPropTagArray->aulPropTag[i]))
                    map[nc++] = lpPropTagArray->aulPropTag[i];
            o->changed = map;
            o->nchanged = nc;
            hr = o->cls->save(o, KEEP_OPEN_READWRITE);
            o->changed = NULL;
            o->nchanged = 0;
        }
    }
    pthread_mutex_unlock(&o->lock);
    MAPIFreeBuffer(bagp);
    if (hr != S_OK) {
        MAPIFreeBuffer(pa);
        return fm_object_fail(o, hr);
    }
    return finish_problems(pa, lppProblems);
}
