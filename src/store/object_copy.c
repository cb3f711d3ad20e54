/*
 * store/object_copy.c - CopyTo and CopyProps from a store object to any
 * IMAPIProp: in this store, another store, or an IPropData.
 *
 * Values go through the destination's own interface, so its rules (read-
 * only properties, computed ones) apply and come back as problems. Named
 * properties are matched by name, not ID: IDs differ between stores. Large
 * values that GetProps will not return whole are copied stream to stream.
 * Messages add their recipients and attachments on top (store/message.c).
 */
#include <string.h>

#include "core/alloc.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "props/validate.h"
#include "store/object.h"
#include "store/stream.h"

#define COPY_FLAGS (MAPI_MOVE | MAPI_NOREPLACE | MAPI_DIALOG | MAPI_DECLINE_OK)

static bool is_prop_iid(LPCIID iid)
{
    return iid == NULL || IsEqualIID(iid, &IID_IMAPIProp) || IsEqualIID(iid, &IID_IMessage) ||
           IsEqualIID(iid, &IID_IMAPIFolder) || IsEqualIID(iid, &IID_IAttachment) ||
           IsEqualIID(iid, &IID_IMsgStore) || IsEqualIID(iid, &IID_IMAPIPropData) ||
           IsEqualIID(iid, &IID_IMAPIContainer) || IsEqualIID(iid, &IID_IUnknown);
}

static bool excluded(const SPropTagArray *ex, ULONG tag)
{
    for (ULONG i = 0; ex != NULL && i < ex->cValues; i++) {
        if (PROP_ID(ex->aulPropTag[i]) == PROP_ID(tag))
            return true;
    }
    return false;
}

/* Rewrites named-property IDs of src's values to dest's IDs for the same
 * names (creating them in dest). Unnamed IDs stay. */
static HRESULT map_named(IMAPIProp *src, IMAPIProp *dest, ULONG n, LPSPropValue v)
{
    for (ULONG i = 0; i < n; i++) {
        ULONG id = PROP_ID(v[i].ulPropTag);
        if (id < 0x8000 || PROP_TYPE(v[i].ulPropTag) == PT_ERROR)
            continue;
        SizedSPropTagArray(1, one) = { 1, { v[i].ulPropTag } };
        LPSPropTagArray tags = (LPSPropTagArray)&one;
        ULONG cn = 0;
        LPMAPINAMEID *names = NULL;
        HRESULT hr = src->lpVtbl->GetNamesFromIDs(src, &tags, NULL, 0, &cn, &names);
        if (FAILED(hr))
            return hr;
        LPSPropTagArray dtags = NULL;
        if (cn == 1 && names[0] != NULL)
            hr = dest->lpVtbl->GetIDsFromNames(dest, 1, names, MAPI_CREATE, &dtags);
        else
            hr = MAPI_E_NOT_FOUND;
        if (hr == S_OK)
            v[i].ulPropTag = CHANGE_PROP_TYPE(dtags->aulPropTag[0], PROP_TYPE(v[i].ulPropTag));
        else
            v[i].ulPropTag = CHANGE_PROP_TYPE(v[i].ulPropTag, PT_ERROR); /* drop it */
        MAPIFreeBuffer(names);
        MAPIFreeBuffer(dtags);
    }
    return S_OK;
}

/* Copies one large value stream to stream. */
static HRESULT copy_stream(IMAPIProp *src, IMAPIProp *dest, ULONG src_tag, ULONG dest_tag)
{
    LPSTREAM in = NULL, out = NULL;
    HRESULT hr = src->lpVtbl->OpenProperty(src, src_tag, &IID_IStream, 0, 0, (LPUNKNOWN *)&in);
    if (hr == S_OK)
        hr = dest->lpVtbl->OpenProperty(dest, dest_tag, &IID_IStream, 0,
                                        MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&out);
    if (hr == S_OK) {
        ULARGE_INTEGER all = { .QuadPart = UINT64_MAX };
        hr = IStream_CopyTo(in, out, all, NULL, NULL);
        if (hr == S_OK)
            hr = IStream_Commit(out, 0);
    }
    if (in != NULL)
        IStream_Release(in);
    if (out != NULL)
        IStream_Release(out);
    return fm_stream_mapi_code(hr);
}

/* Copies the large values named in big (PT_ERROR tags from GetProps) stream
 * to stream, each under the type it is stored as. */
static HRESULT copy_large(fm_object *o, IMAPIProp *dest, const SPropTagArray *big)
{
    fm_stream_prop *sp = NULL;
    size_t nsp = 0;
    HRESULT hr = fm_object_stream_props(o, &sp, &nsp);
    for (ULONG i = 0; hr == S_OK && i < big->cValues; i++) {
        for (size_t j = 0; j < nsp; j++) {
            if (PROP_ID(sp[j].tag) == PROP_ID(big->aulPropTag[i])) {
                hr = copy_stream(fm_object_iface(o), dest, sp[j].tag, sp[j].tag);
                break;
            }
        }
    }
    fm_free(sp);
    return hr;
}

/* Drops from v the properties dest already has (MAPI_NOREPLACE). */
static HRESULT drop_existing(IMAPIProp *dest, ULONG n, LPSPropValue v)
{
    LPSPropTagArray tags = NULL;
    HRESULT hr = fm_alloc_mapi(CbNewSPropTagArray(n), NULL, (void **)&tags);
    if (hr != S_OK)
        return hr;
    tags->cValues = n;
    for (ULONG i = 0; i < n; i++)
        tags->aulPropTag[i] = CHANGE_PROP_TYPE(v[i].ulPropTag, PT_UNSPECIFIED);
    ULONG cn = 0;
    LPSPropValue have = NULL;
    hr = dest->lpVtbl->GetProps(dest, tags, MAPI_UNICODE, &cn, &have);
    if (SUCCEEDED(hr)) {
        for (ULONG i = 0; i < cn && i < n; i++) {
            if (PROP_TYPE(have[i].ulPropTag) != PT_ERROR ||
                have[i].Value.err == MAPI_E_NOT_ENOUGH_MEMORY)
                v[i].ulPropTag = CHANGE_PROP_TYPE(v[i].ulPropTag, PT_ERROR);
        }
        hr = S_OK;
    }
    MAPIFreeBuffer(have);
    MAPIFreeBuffer(tags);
    return hr;
}

/* The common worker: copy the properties in `which` (NULL: all but
 * `exclude`) from o to dest. */
static HRESULT copy_props(fm_object *o, const SPropTagArray *which,
                          const SPropTagArray *exclude, IMAPIProp *dest, ULONG flags,
                          LPSPropProblemArray *lppProblems)
{
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = fm_object_GetProps(o, (LPSPropTagArray)which, MAPI_UNICODE, &n, &v);
    if (FAILED(hr))
        return hr;
    /* Keep what is to be copied: not computed, not excluded, present. */
    LPSPropTagArray big = NULL;
    hr = fm_alloc_mapi(CbNewSPropTagArray(n), v, (void **)&big);
    if (hr == S_OK) {
        big->cValues = 0;
        for (ULONG i = 0; i < n; i++) {
            ULONG tag = v[i].ulPropTag;
            bool large = PROP_TYPE(tag) == PT_ERROR && v[i].Value.err == MAPI_E_NOT_ENOUGH_MEMORY;
            if (fm_object_is_computed(o, tag) || excluded(exclude, tag) ||
                (PROP_TYPE(tag) == PT_ERROR && !large))
                v[i].ulPropTag = CHANGE_PROP_TYPE(tag, PT_ERROR);
            if (large && !fm_object_is_computed(o, tag) && !excluded(exclude, tag))
                big->aulPropTag[big->cValues++] = tag;
        }
        hr = map_named(fm_object_iface(o), dest, n, v);
    }
    if (hr == S_OK && (flags & MAPI_NOREPLACE))
        hr = drop_existing(dest, n, v);
    LPSPropProblemArray problems = NULL;
    if (hr == S_OK)
        hr = dest->lpVtbl->SetProps(dest, n, v, &problems);
    if (hr == S_OK && big != NULL && big->cValues > 0)
        hr = copy_large(o, dest, big);
    if (hr == S_OK && (flags & MAPI_MOVE)) {
        /* Moving: the copied properties leave the source. */
        LPSPropTagArray moved = NULL;
        hr = fm_alloc_mapi(CbNewSPropTagArray(n), v, (void **)&moved);
        if (hr == S_OK) {
            moved->cValues = 0;
            for (ULONG i = 0; i < n; i++) {
                if (PROP_TYPE(v[i].ulPropTag) != PT_ERROR && PROP_ID(v[i].ulPropTag) < 0x8000)
                    moved->aulPropTag[moved->cValues++] = v[i].ulPropTag;
            }
            if (moved->cValues > 0)
                hr = fm_object_DeleteProps(o, moved, NULL);
        }
    }
    MAPIFreeBuffer(v);
    if (hr == S_OK && lppProblems != NULL)
        *lppProblems = problems;
    else
        MAPIFreeBuffer(problems);
    return hr;
}

static HRESULT check_copy_args(fm_object *o, const char *fn, LPCIID iid, LPVOID dest,
                               ULONG flags)
{
    if (flags & ~COPY_FLAGS)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "%s: unknown flags 0x%08lX", fn,
                            (unsigned long)(flags & ~COPY_FLAGS));
    if (dest == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: no destination object", fn);
    if (!is_prop_iid(iid))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED,
                            "%s: the destination interface is not an IMAPIProp", fn);
    if ((flags & MAPI_MOVE) && !o->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "%s: MAPI_MOVE from a read-only %s", fn,
                            o->cls->name);
    return S_OK;
}

HRESULT fm_object_CopyTo(fm_object *o, ULONG ciidExclude, LPCIID rgiidExclude,
                      LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                      LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                      ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    if (lppProblems != NULL)
        *lppProblems = NULL;
    HRESULT hr = check_copy_args(o, "CopyTo", lpInterface, lpDestObj, ulFlags);
    if (hr == S_OK && ciidExclude > 0 && rgiidExclude == NULL)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "CopyTo: rgiidExclude is NULL");
    if (hr == S_OK && lpExcludeProps != NULL)
        hr = fm_validate_tag_array(lpExcludeProps, "CopyTo");
    if (hr != S_OK)
        return fm_object_fail(o, hr);
    for (ULONG i = 0; i < ciidExclude; i++) {
        /* Excluding IMAPIProp itself excludes every property. */
        if (IsEqualIID(&rgiidExclude[i], &IID_IMAPIProp))
            return S_OK;
    }
    hr = copy_props(o, NULL, lpExcludeProps, (IMAPIProp *)lpDestObj, ulFlags, lppProblems);
    if (hr == S_OK && o->cls->copy_subobjects != NULL)
        hr = o->cls->copy_subobjects(o, (IMAPIProp *)lpDestObj,
                                     !excluded(lpExcludeProps, PR_MESSAGE_RECIPIENTS),
                                     !excluded(lpExcludeProps, PR_MESSAGE_ATTACHMENTS), ulFlags);
    return fm_object_fail(o, hr);
}

HRESULT fm_object_CopyProps(fm_object *o, LPSPropTagArray lpIncludeProps,
                         ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                         LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
                         LPSPropProblemArray *lppProblems)
{
    if (lppProblems != NULL)
        *lppProblems = NULL;
    HRESULT hr = check_copy_args(o, "CopyProps", lpInterface, lpDestObj, ulFlags);
    if (hr == S_OK && lpIncludeProps == NULL)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "CopyProps: lpIncludeProps is NULL");
    if (hr == S_OK)
        hr = fm_validate_tag_array(lpIncludeProps, "CopyProps");
    if (hr != S_OK)
        return fm_object_fail(o, hr);
    /* The sub-object tags name tables, not values: copy_props skips them. */
    hr = copy_props(o, lpIncludeProps, NULL, (IMAPIProp *)lpDestObj, ulFlags, lppProblems);
    if (hr == S_OK && o->cls->copy_subobjects != NULL)
        hr = o->cls->copy_subobjects(o, (IMAPIProp *)lpDestObj,
                                     excluded(lpIncludeProps, PR_MESSAGE_RECIPIENTS),
                                     excluded(lpIncludeProps, PR_MESSAGE_ATTACHMENTS), ulFlags);
    return fm_object_fail(o, hr);
}
