/*
 * props/propdata_copy.c - IPropData's CopyTo and CopyProps: copy (or, with
 * MAPI_MOVE, move) properties onto any object with an IMAPIProp-derived
 * interface, another IPropData included.
 *
 * The source is read through its own GetProps and the destination written
 * through its interface, so this object's mutex is never held while the
 * destination runs: two objects copying to each other cannot deadlock.
 * Named properties (identifiers 0x8000 and up with a name here) are given
 * the destination's identifier for the same name (GetIDsFromNames with
 * MAPI_CREATE there). Problems are reported per property, ulIndex being the
 * property's place in the list copied (all properties in order for CopyTo,
 * lpIncludeProps for CopyProps). lpProgress and ulUIParam are not used:
 * there is no user interface to show progress in.
 */
#include <string.h>

#include "core/alloc.h"
#include "mapiguid.h"
#include "props/propdata.h"

#define COPY_FLAGS (MAPI_MOVE | MAPI_NOREPLACE | MAPI_DIALOG | MAPI_DECLINE_OK)

/* Interfaces that derive from IMAPIProp, so a destination reached through
 * one of them can be used as an IMAPIProp. */
static const IID *const prop_interfaces[] = {
    &IID_IMAPIProp,   &IID_IMAPIPropData,  &IID_IMessage,     &IID_IAttachment,
    &IID_IMAPIFolder, &IID_IMAPIContainer, &IID_IABContainer, &IID_IMailUser,
    &IID_IDistList,   &IID_IMsgStore,      &IID_IProfSect,    &IID_IMAPIStatus,
};

static HRESULT open_dest(fm_propdata *pd, const char *fn, LPCIID iid, void *dest, LPMAPIPROP *out)
{
    *out = NULL;
    if (iid == NULL || dest == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: lpInterface and lpDestObj are required",
                            fn);
    if (dest == (void *)&pd->iface)
        return fm_error_set(MAPI_E_NO_ACCESS, "%s: the destination is the source object", fn);
    int known = 0;
    for (size_t i = 0; i < sizeof prop_interfaces / sizeof prop_interfaces[0]; i++)
        known |= IsEqualIID(iid, prop_interfaces[i]);
    if (!known)
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED,
                            "%s: lpInterface is not an IMAPIProp interface", fn);
    HRESULT hr = IUnknown_QueryInterface((LPUNKNOWN)dest, iid, (void **)out);
    if (FAILED(hr) || *out == NULL) {
        *out = NULL;
        return fm_error_set(hr == MAPI_E_NOT_ENOUGH_MEMORY ? hr : MAPI_E_INTERFACE_NOT_SUPPORTED,
                            "%s: the destination does not support lpInterface", fn);
    }
    return S_OK;
}

typedef struct copy_job {
    fm_propdata *pd;
    LPMAPIPROP dest;
    ULONG flags;
    int report_missing; /* CopyProps: a property the source lacks is a problem */
    LPSPropValue vals;  /* the source's values (pd's allocator) */
    ULONG nvals;
    SPropValue *send; /* shallow copies with destination tags */
    ULONG *send_from; /* index in vals of each send entry */
    ULONG nsend;
    SPropProblem *problems;
    ULONG nproblems;
} copy_job;

static void add_problem(copy_job *job, ULONG i, ULONG tag, SCODE sc)
{
    job->problems[job->nproblems++] = (SPropProblem){i, tag, sc};
}

/* Destination identifier for a named property; 0 with a problem noted when
 * the destination cannot give one. Fails only for out of memory. */
static HRESULT dest_id(copy_job *job, ULONG i, ULONG id, ULONG *out)
{
    *out = id;
    fm_propdata_lock(job->pd);
    const fm_propdata_name *e = fm_propdata_name_of(job->pd, id);
    fm_propdata_name copy = e ? *e : (fm_propdata_name){0};
    pthread_mutex_unlock(&job->pd->lock);
    if (e == NULL)
        return S_OK; /* no name here: the identifier is copied as it is */
    MAPINAMEID name = {&copy.guid, copy.kind, {0}};
    if (copy.kind == MNID_ID)
        name.Kind.lID = copy.lid;
    else
        name.Kind.lpwstrName = copy.name;
    LPMAPINAMEID names[1] = {&name};
    LPSPropTagArray tags = NULL;
    HRESULT hr = IMAPIProp_GetIDsFromNames(job->dest, 1, names, MAPI_CREATE, &tags);
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY) {
        MAPIFreeBuffer(tags);
        return hr;
    }
    *out = 0;
    if (SUCCEEDED(hr) && tags != NULL && tags->cValues == 1 &&
        PROP_TYPE(tags->aulPropTag[0]) != PT_ERROR)
        *out = PROP_ID(tags->aulPropTag[0]);
    else
        add_problem(job, i, job->vals[i].ulPropTag, FAILED(hr) ? hr : MAPI_E_NOT_FOUND);
    MAPIFreeBuffer(tags);
    return S_OK;
}

/* With MAPI_NOREPLACE: does the destination already have this property? */
static HRESULT dest_has(copy_job *job, ULONG id, int *has)
{
    SizedSPropTagArray(1, one) = {1, {PROP_TAG(PT_UNSPECIFIED, id)}};
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IMAPIProp_GetProps(job->dest, (LPSPropTagArray)&one, MAPI_UNICODE, &n, &v);
    *has = SUCCEEDED(hr) && v != NULL && n == 1 && PROP_TYPE(v->ulPropTag) != PT_ERROR;
    MAPIFreeBuffer(v);
    return hr == MAPI_E_NOT_ENOUGH_MEMORY ? hr : S_OK;
}

/* Decides what to send for value i. */
static HRESULT plan_one(copy_job *job, ULONG i, const ULONG *asked)
{
    SPropValue v = job->vals[i];
    if (PROP_TYPE(v.ulPropTag) == PT_ERROR) {
        if (v.Value.err != MAPI_E_NOT_FOUND || job->report_missing)
            add_problem(job, i, asked[i], v.Value.err);
        return S_OK;
    }
    ULONG id = PROP_ID(v.ulPropTag);
    if (id >= FM_PROPDATA_FIRST_NAMED_ID) {
        HRESULT hr = dest_id(job, i, id, &id);
        if (hr != S_OK || id == 0)
            return hr;
    }
    if (job->flags & MAPI_NOREPLACE) {
        int has;
        HRESULT hr = dest_has(job, id, &has);
        if (hr != S_OK || has)
            return hr;
    }
    v.ulPropTag = PROP_TAG(PROP_TYPE(v.ulPropTag), id);
    job->send_from[job->nsend] = i;
    job->send[job->nsend++] = v;
    return S_OK;
}

static HRESULT send_values(copy_job *job, unsigned char *failed)
{
    if (job->nsend == 0)
        return S_OK;
    LPSPropProblemArray dp = NULL;
    HRESULT hr = IMAPIProp_SetProps(job->dest, job->nsend, job->send, &dp);
    if (FAILED(hr)) {
        MAPIFreeBuffer(dp);
        return hr;
    }
    for (ULONG k = 0; dp != NULL && k < dp->cProblem; k++) {
        ULONG s = dp->aProblem[k].ulIndex;
        if (s >= job->nsend)
            continue;
        ULONG i = job->send_from[s];
        failed[s] = 1;
        add_problem(job, i, job->vals[i].ulPropTag, dp->aProblem[k].scode);
    }
    MAPIFreeBuffer(dp);
    return S_OK;
}

/* MAPI_MOVE: deletes from the source what arrived at the destination,
 * through a tag array allocated before anything was sent. */
static HRESULT delete_moved(copy_job *job, const unsigned char *failed, LPSPropTagArray del)
{
    del->cValues = 0;
    for (ULONG s = 0; s < job->nsend; s++)
        if (!failed[s])
            del->aulPropTag[del->cValues++] = job->vals[job->send_from[s]].ulPropTag;
    if (del->cValues == 0)
        return S_OK;
    return IPropData_DeleteProps(&job->pd->iface, del, NULL);
}

/* Hands the problems over in the array allocated up front, or frees it. */
static void report(copy_job *job, LPSPropProblemArray arr, LPSPropProblemArray *lppProblems)
{
    if (arr == NULL)
        return;
    if (job->nproblems == 0) {
        job->pd->free_buffer(arr);
        return;
    }
    arr->cProblem = job->nproblems;
    memcpy(arr->aProblem, job->problems, job->nproblems * sizeof(SPropProblem));
    *lppProblems = arr;
}

/*
 * Everything that can run out of memory here is allocated before the
 * destination is changed, so a failure leaves source and destination as
 * they were (names the destination created for named properties aside).
 */
static HRESULT run_job(copy_job *job, LPSPropTagArray tags, LPSPropProblemArray *lppProblems)
{
    HRESULT hr = IPropData_GetProps(&job->pd->iface, tags, MAPI_UNICODE, &job->nvals, &job->vals);
    if (FAILED(hr))
        return hr;
    ULONG n = job->nvals;
    job->send = fm_calloc(n, sizeof *job->send);
    job->send_from = fm_calloc(n, sizeof *job->send_from);
    job->problems = fm_calloc(n, sizeof *job->problems);
    unsigned char *failed = fm_calloc(n, 1);
    LPSPropTagArray del = (job->flags & MAPI_MOVE) ? fm_malloc(CbNewSPropTagArray(n)) : NULL;
    LPSPropProblemArray arr = NULL;
    hr = S_OK;
    if (job->send == NULL || job->send_from == NULL || job->problems == NULL || failed == NULL ||
        ((job->flags & MAPI_MOVE) && del == NULL))
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "CopyTo: out of memory");
    if (hr == S_OK && lppProblems != NULL)
        hr = fm_propdata_new_problems(job->pd, n, &arr);
    for (ULONG i = 0; hr == S_OK && i < n; i++)
        hr = plan_one(job, i, tags->aulPropTag);
    if (hr == S_OK)
        hr = send_values(job, failed);
    if (hr == S_OK && (job->flags & MAPI_MOVE))
        hr = delete_moved(job, failed, del);
    if (hr == S_OK)
        report(job, arr, lppProblems);
    else if (arr != NULL)
        job->pd->free_buffer(arr);
    fm_free(failed);
    fm_free(del);
    return hr;
}

static HRESULT copy_tags(fm_propdata *pd, const char *fn, LPSPropTagArray tags, LPCIID iid,
                         void *dest, ULONG flags, int report_missing,
                         LPSPropProblemArray *lppProblems)
{
    copy_job job = {.pd = pd, .flags = flags, .report_missing = report_missing};
    HRESULT hr = open_dest(pd, fn, iid, dest, &job.dest);
    if (hr != S_OK || tags == NULL || tags->cValues == 0) {
        if (job.dest != NULL)
            IMAPIProp_Release(job.dest);
        return hr;
    }
    hr = run_job(&job, tags, lppProblems);
    pd->free_buffer(job.vals);
    fm_free(job.send);
    fm_free(job.send_from);
    fm_free(job.problems);
    IMAPIProp_Release(job.dest);
    return hr;
}

static HRESULT check_flags(fm_propdata *pd, const char *fn, ULONG flags,
                           LPSPropProblemArray *lppProblems)
{
    if (lppProblems != NULL)
        *lppProblems = NULL;
    if (flags & ~COPY_FLAGS)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "%s: unknown flags 0x%08lX", fn,
                            (unsigned long)(flags & ~COPY_FLAGS));
    fm_propdata_lock(pd);
    int readonly = (pd->obj_access & IPROP_READONLY) != 0;
    pthread_mutex_unlock(&pd->lock);
    if ((flags & MAPI_MOVE) && readonly)
        return fm_error_set(MAPI_E_NO_ACCESS, "%s: cannot move from a read-only object", fn);
    return S_OK;
}

static int excluded(ULONG id, const SPropTagArray *exclude)
{
    for (ULONG k = 0; exclude != NULL && k < exclude->cValues; k++)
        if (PROP_ID(exclude->aulPropTag[k]) == id)
            return 1;
    return 0;
}

/* The source's properties minus the excluded ones, as PT_UNSPECIFIED tags. */
static HRESULT tags_to_copy(fm_propdata *pd, const SPropTagArray *exclude, LPSPropTagArray *out)
{
    fm_propdata_lock(pd);
    *out = fm_malloc(CbNewSPropTagArray(pd->nprops ? pd->nprops : 1));
    if (*out != NULL) {
        (*out)->cValues = 0;
        for (size_t i = 0; i < pd->nprops; i++) {
            ULONG id = PROP_ID(pd->props[i].tag);
            if (!excluded(id, exclude))
                (*out)->aulPropTag[(*out)->cValues++] = PROP_TAG(PT_UNSPECIFIED, id);
        }
    }
    pthread_mutex_unlock(&pd->lock);
    return *out ? S_OK : fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "CopyTo: out of memory");
}

static HRESULT copy_to(fm_propdata *pd, ULONG ciid, LPCIID rgiid, LPSPropTagArray exclude,
                       LPCIID iid, void *dest, ULONG flags, LPSPropProblemArray *lppProblems)
{
    HRESULT hr = check_flags(pd, "CopyTo", flags, lppProblems);
    if (hr != S_OK)
        return hr;
    if (ciid > 0 && rgiid == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "CopyTo: ciidExclude > 0 but rgiidExclude NULL");
    /* Excluding the property interface itself leaves nothing to copy. */
    int nothing = 0;
    for (ULONG k = 0; k < ciid; k++)
        nothing |=
            IsEqualIID(&rgiid[k], &IID_IMAPIProp) || IsEqualIID(&rgiid[k], &IID_IMAPIPropData);
    LPSPropTagArray tags = NULL;
    if (!nothing && (hr = tags_to_copy(pd, exclude, &tags)) != S_OK)
        return hr;
    hr = copy_tags(pd, "CopyTo", tags, iid, dest, flags, 0, lppProblems);
    fm_free(tags);
    return hr;
}

STDMETHODIMP fm_propdata_CopyTo(IPropData *This, ULONG ciidExclude, LPCIID rgiidExclude,
                                LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                                LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                                ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    fm_propdata *pd = fm_propdata_of(This);
    HRESULT hr = copy_to(pd, ciidExclude, rgiidExclude, lpExcludeProps, lpInterface, lpDestObj,
                         ulFlags, lppProblems);
    fm_propdata_lock(pd);
    return fm_propdata_unlock(pd, hr);
}

static HRESULT copy_props(fm_propdata *pd, LPSPropTagArray include, LPCIID iid, void *dest,
                          ULONG flags, LPSPropProblemArray *lppProblems)
{
    HRESULT hr = check_flags(pd, "CopyProps", flags, lppProblems);
    if (hr == S_OK)
        hr = fm_propdata_check_tags("CopyProps", include, 0);
    if (hr != S_OK)
        return hr;
    for (ULONG k = 0; k < include->cValues; k++)
        if (include->aulPropTag[k] == PR_NULL)
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "CopyProps: PR_NULL in lpIncludeProps");
    return copy_tags(pd, "CopyProps", include, iid, dest, flags, 1, lppProblems);
}

STDMETHODIMP fm_propdata_CopyProps(IPropData *This, LPSPropTagArray lpIncludeProps, ULONG_PTR ulUIParam,
                                   LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                                   ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    fm_propdata *pd = fm_propdata_of(This);
    HRESULT hr = copy_props(pd, lpIncludeProps, lpInterface, lpDestObj, ulFlags, lppProblems);
    fm_propdata_lock(pd);
    return fm_propdata_unlock(pd, hr);
}
