/*
 * ab/container.c - IABContainer (the root container and the global
 * address list) and IDistList (a site list), which have the same methods:
 * contents and hierarchy tables, OpenEntry, ResolveNames. The directory is
 * administered with fmapi_site_*, so the methods that would change it
 * answer MAPI_E_NO_ACCESS.
 */
#include <string.h>

#include "ab/abobj_methods.h"
#include "core/alloc.h"
#include "mapiguid.h"

static HRESULT ct_contents(fm_abobj *o, ULONG flags, LPMAPITABLE *out)
{
    if (out == NULL)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER, "GetContentsTable: "
                                                                       "NULL lppTable"));
    *out = NULL;
    ULONG known = MAPI_UNICODE | MAPI_DEFERRED_ERRORS;
    if (o->kind == FM_AB_KIND_LIST)
        known |= FMAPI_AB_EXPAND_LISTS;
    if (flags & ~known)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetContentsTable: unknown "
                                                                   "flags 0x%08lX",
                                             (unsigned long)flags));
    HRESULT hr;
    if (o->kind == FM_AB_KIND_LIST)
        hr = fm_ab_members_table(o->ab, o->id, flags, out);
    else if (o->id == FM_AB_GAL)
        hr = fm_ab_gal_table(o->ab, flags, out);
    else if (o->id == FM_AB_CONTACTS)
        hr = fm_ab_contacts_table(o->ab, flags, out);
    else
        hr = fm_error_set(MAPI_E_NO_SUPPORT, "GetContentsTable: the root container holds "
                                             "containers, not recipients (use "
                                             "GetHierarchyTable)");
    return fm_abobj_fail(o, hr);
}

static HRESULT ct_hierarchy(fm_abobj *o, ULONG flags, LPMAPITABLE *out)
{
    if (out == NULL)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER, "GetHierarchyTable: "
                                                                       "NULL lppTable"));
    *out = NULL;
    if (flags & ~(MAPI_UNICODE | MAPI_DEFERRED_ERRORS | CONVENIENT_DEPTH))
        return fm_abobj_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetHierarchyTable: "
                                                                   "unknown flags 0x%08lX",
                                             (unsigned long)flags));
    if (o->kind == FM_AB_KIND_LIST)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_NO_SUPPORT, "GetHierarchyTable: a "
                                                                "distribution list has no "
                                                                "child containers"));
    return fm_abobj_fail(o, fm_ab_hierarchy_table(o->ab, o->id, flags, out));
}

static HRESULT ct_resolve(fm_abobj *o, LPSPropTagArray tags, ULONG flags, LPADRLIST list,
                          LPFlagList fl)
{
    (void)tags;
    if (list == NULL || fl == NULL || fl->cFlags != list->cEntries)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                             "ResolveNames: NULL list, or a flag list whose "
                                             "size differs from the address list's"));
    if (flags & ~MAPI_UNICODE)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ResolveNames: unknown "
                                                                   "flags 0x%08lX",
                                             (unsigned long)flags));
    if (o->kind != FM_AB_KIND_CONTAINER || o->id == FM_AB_ROOT)
        return fm_abobj_fail(o, fm_error_set(MAPI_E_NO_SUPPORT, "ResolveNames: only the "
                                                                "global address list and the "
                                                                "contacts resolve names"));
    int64_t only = o->id;
    HRESULT hr = S_OK;
    for (ULONG i = 0; i < list->cEntries && hr == S_OK; i++) {
        if (fl->ulFlag[i] != MAPI_UNRESOLVED)
            continue;
        char name[1024];
        if (fm_ab_adrentry_name(&list->aEntries[i], name, sizeof name) != S_OK)
            continue;
        int outcome = FM_AB_UNRESOLVED;
        ULONG c = 0;
        LPSPropValue props = NULL;
        hr = fm_ab_resolve_one(o->ab, name, &only, 1, false, &outcome, &c, &props);
        if (hr == S_OK && outcome == FM_AB_RESOLVED)
            hr = fm_ab_adrentry_replace(&list->aEntries[i], c, props, flags);
        MAPIFreeBuffer(props);
        if (hr == S_OK && outcome != FM_AB_UNRESOLVED)
            fl->ulFlag[i] = outcome == FM_AB_RESOLVED ? MAPI_RESOLVED : MAPI_AMBIGUOUS;
    }
    return fm_abobj_fail(o, hr);
}

static HRESULT ct_no_search(fm_abobj *o, const char *fn)
{
    return fm_abobj_fail(o, fm_error_set(MAPI_E_NO_SUPPORT, "%s: address book containers "
                                                            "are not search folders (restrict "
                                                            "the contents table instead)",
                                         fn));
}

#define CONTAINER_METHODS(P, T)                                                               \
    static STDMETHODIMP P##_GetContentsTable(T *This, ULONG f, LPMAPITABLE *t)                \
    {                                                                                         \
        return ct_contents((fm_abobj *)This, f, t);                                           \
    }                                                                                         \
    static STDMETHODIMP P##_GetHierarchyTable(T *This, ULONG f, LPMAPITABLE *t)               \
    {                                                                                         \
        return ct_hierarchy((fm_abobj *)This, f, t);                                          \
    }                                                                                         \
    static STDMETHODIMP P##_OpenEntry(T *This, ULONG cb, LPENTRYID e, LPCIID i, ULONG f,      \
                                      ULONG *type, LPUNKNOWN *u)                              \
    {                                                                                         \
        fm_abobj *o = (fm_abobj *)This;                                                       \
        return fm_abobj_fail(o, fm_ab_open_entry(o->ab, cb, e, i, f, type, u));               \
    }                                                                                         \
    static STDMETHODIMP P##_SetSearchCriteria(T *This, LPSRestriction r, LPENTRYLIST l,       \
                                              ULONG f)                                        \
    {                                                                                         \
        (void)r, (void)l, (void)f;                                                            \
        return ct_no_search((fm_abobj *)This, "SetSearchCriteria");                           \
    }                                                                                         \
    static STDMETHODIMP P##_GetSearchCriteria(T *This, ULONG f, LPSRestriction *r,            \
                                              LPENTRYLIST *l, ULONG *s)                       \
    {                                                                                         \
        (void)f, (void)r, (void)l, (void)s;                                                   \
        return ct_no_search((fm_abobj *)This, "GetSearchCriteria");                           \
    }                                                                                         \
    static STDMETHODIMP P##_CreateEntry(T *This, ULONG cb, LPENTRYID e, ULONG f,              \
                                        LPMAPIPROP *p)                                        \
    {                                                                                         \
        (void)cb, (void)e, (void)f;                                                           \
        if (p)                                                                                \
            *p = NULL;                                                                        \
        return fm_abobj_read_only((fm_abobj *)This, "CreateEntry");                           \
    }                                                                                         \
    static STDMETHODIMP P##_CopyEntries(T *This, LPENTRYLIST l, ULONG_PTR ui,                 \
                                        LPMAPIPROGRESS pr, ULONG f)                           \
    {                                                                                         \
        (void)l, (void)ui, (void)pr, (void)f;                                                 \
        return fm_abobj_read_only((fm_abobj *)This, "CopyEntries");                           \
    }                                                                                         \
    static STDMETHODIMP P##_DeleteEntries(T *This, LPENTRYLIST l, ULONG f)                    \
    {                                                                                         \
        (void)l, (void)f;                                                                     \
        return fm_abobj_read_only((fm_abobj *)This, "DeleteEntries");                         \
    }                                                                                         \
    static STDMETHODIMP P##_ResolveNames(T *This, LPSPropTagArray t, ULONG f, LPADRLIST l,    \
                                         LPFlagList fl)                                       \
    {                                                                                         \
        return ct_resolve((fm_abobj *)This, t, f, l, fl);                                     \
    }

#define CONTAINER_VTBL(P)                                                                    \
    .GetContentsTable = P##_GetContentsTable, .GetHierarchyTable = P##_GetHierarchyTable,    \
    .OpenEntry = P##_OpenEntry, .SetSearchCriteria = P##_SetSearchCriteria,                  \
    .GetSearchCriteria = P##_GetSearchCriteria, .CreateEntry = P##_CreateEntry,              \
    .CopyEntries = P##_CopyEntries, .DeleteEntries = P##_DeleteEntries,                      \
    .ResolveNames = P##_ResolveNames

static const IID *const ct_iids[] = { &IID_IABContainer, &IID_IMAPIContainer, &IID_IMAPIProp,
                                      &IID_IUnknown, NULL };
FM_AB_PROP_METHODS(ct, IABContainer)
CONTAINER_METHODS(ct, IABContainer)
static const IABContainerVtbl CONTAINER_VTBL = { FM_AB_PROP_VTBL(ct), CONTAINER_VTBL(ct) };

static const IID *const dl_iids[] = { &IID_IDistList, &IID_IMAPIContainer, &IID_IMAPIProp,
                                      &IID_IUnknown, NULL };
FM_AB_PROP_METHODS(dl, IDistList)
CONTAINER_METHODS(dl, IDistList)
static const IDistListVtbl DISTLIST_VTBL = { FM_AB_PROP_VTBL(dl), CONTAINER_VTBL(dl) };

HRESULT fm_distlist_new(fm_ab *ab, int64_t id, ULONG c, LPSPropValue props, LPUNKNOWN *out)
{
    fm_abobj *o = NULL;
    HRESULT hr = fm_abobj_new(ab, &DISTLIST_VTBL, "IDistList", FM_AB_KIND_LIST, id, c, props, &o);
    *out = (LPUNKNOWN)o;
    return hr;
}

HRESULT fm_container_new(fm_ab *ab, int64_t id, LPUNKNOWN *out)
{
    ULONG c = 0;
    LPSPropValue props = NULL;
    *out = NULL;
    HRESULT hr = fm_ab_container_props(id, NULL, &c, &props);
    if (hr != S_OK)
        return hr;
    fm_abobj *o = NULL;
    hr = fm_abobj_new(ab, &CONTAINER_VTBL, "IABContainer", FM_AB_KIND_CONTAINER, id, c, props,
                      &o);
    *out = (LPUNKNOWN)o;
    return hr;
}
