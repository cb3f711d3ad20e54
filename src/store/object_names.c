/*
 * store/object_names.c - GetIDsFromNames and GetNamesFromIDs of store
 * objects, answered from the store-wide named-property map.
 */
#include "core/alloc.h"
#include "store/namedprops.h"
#include "store/object.h"

#define NAME_FLAGS (MAPI_CREATE | MAPI_UNICODE)

/* Every assigned ID, for the enumerating forms of both methods. */
typedef struct id_list {
    ULONG *ids;
    size_t n, cap;
} id_list;

static HRESULT collect_id(void *ctx, ULONG id)
{
    id_list *l = ctx;
    if (l->n == l->cap) {
        size_t c = l->cap ? l->cap * 2 : 32;
        ULONG *a = fm_realloc(l->ids, c * sizeof *a);
        if (a == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory listing names");
        l->ids = a;
        l->cap = c;
    }
    l->ids[l->n++] = id;
    return S_OK;
}

HRESULT fm_object_GetIDsFromNames(fm_object *o, ULONG cPropNames,
                               LPMAPINAMEID *lppPropNames, ULONG ulFlags,
                               LPSPropTagArray *lppPropTags)
{
    if (lppPropTags == NULL)
        return fm_object_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                              "GetIDsFromNames: lppPropTags is NULL"));
    *lppPropTags = NULL;
    if (ulFlags & ~NAME_FLAGS)
        return fm_object_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS,
                                              "GetIDsFromNames: unknown flags 0x%08lX",
                                              (unsigned long)(ulFlags & ~NAME_FLAGS)));
    if (cPropNames > 0 && lppPropNames == NULL)
        return fm_object_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                              "GetIDsFromNames: lppPropNames is NULL"));
    id_list all = { NULL, 0, 0 };
    HRESULT hr = S_OK;
    if (cPropNames == 0) { /* documented: every named property of the object */
        hr = fm_namedprops_foreach(o->store->names, NULL, collect_id, &all);
        cPropNames = (ULONG)all.n;
    }
    LPSPropTagArray tags = NULL;
    if (hr == S_OK)
        hr = fm_alloc_mapi(CbNewSPropTagArray(cPropNames), NULL, (void **)&tags);
    bool missing = false;
    for (ULONG i = 0; hr == S_OK && i < cPropNames; i++) {
        ULONG id = 0;
        if (all.ids != NULL) {
            id = all.ids[i];
        } else if (lppPropNames[i] == NULL) {
            hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "GetIDsFromNames: name %lu is NULL",
                              (unsigned long)i);
            break;
        } else {
            HRESULT r = fm_namedprops_id_of(o->store->names, lppPropNames[i],
                                            (ulFlags & MAPI_CREATE) != 0, &id);
            if (r == MAPI_E_NOT_FOUND || r == MAPI_E_NOT_ENOUGH_RESOURCES) {
                id = 0;
            } else if (r != S_OK) {
                hr = r;
                break;
            }
        }
        tags->aulPropTag[i] = id ? PROP_TAG(PT_UNSPECIFIED, id) : PROP_TAG(PT_ERROR, 0);
        missing |= (id == 0);
    }
    fm_free(all.ids);
    if (hr != S_OK) {
        MAPIFreeBuffer(tags);
        return fm_object_fail(o, hr);
    }
    tags->cValues = cPropNames;
    *lppPropTags = tags;
    return missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}

/* Whether an enumerated name passes MAPI_NO_STRINGS / MAPI_NO_IDS. */
static bool name_wanted(const MAPINAMEID *n, ULONG flags)
{
    if ((flags & MAPI_NO_STRINGS) && n->ulKind == MNID_STRING)
        return false;
    if ((flags & MAPI_NO_IDS) && n->ulKind == MNID_ID)
        return false;
    return true;
}

static HRESULT names_for(fm_object *o, const ULONG *ids, ULONG n, ULONG flags, bool enumerating,
                         ULONG *count, LPMAPINAMEID **out_names, LPSPropTagArray *out_tags,
                         bool *missing)
{
    LPMAPINAMEID *names = NULL;
    LPSPropTagArray tags = NULL;
    HRESULT hr = fm_alloc_mapi((n ? n : 1) * sizeof(LPMAPINAMEID), NULL, (void **)&names);
    if (hr == S_OK && enumerating)
        hr = fm_alloc_mapi(CbNewSPropTagArray(n), NULL, (void **)&tags);
    ULONG k = 0;
    for (ULONG i = 0; hr == S_OK && i < n; i++) {
        LPMAPINAMEID name = NULL;
        HRESULT r = fm_namedprops_name_of(o->store->names, ids[i], names, &name);
        if (r == MAPI_E_NOT_FOUND) {
            name = NULL;
            *missing = true;
        } else if (r != S_OK) {
            hr = r;
            break;
        }
        if (enumerating && (name == NULL || !name_wanted(name, flags)))
            continue;
        if (enumerating)
            tags->aulPropTag[k] = PROP_TAG(PT_UNSPECIFIED, ids[i]);
        names[k++] = name;
    }
    if (hr != S_OK) {
        MAPIFreeBuffer(names);
        MAPIFreeBuffer(tags);
        return hr;
    }
    if (tags != NULL)
        tags->cValues = k;
    *count = k;
    *out_names = names;
    *out_tags = tags;
    return S_OK;
}

HRESULT fm_object_GetNamesFromIDs(fm_object *o, LPSPropTagArray *lppPropTags,
                               LPGUID lpPropSetGuid, ULONG ulFlags, ULONG *lpcPropNames,
                               LPMAPINAMEID **lpppPropNames)
{
    const ULONG known = MAPI_NO_STRINGS | MAPI_NO_IDS | MAPI_UNICODE;
    if (lppPropTags == NULL || lpcPropNames == NULL || lpppPropNames == NULL)
        return fm_object_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                              "GetNamesFromIDs: NULL argument"));
    *lpcPropNames = 0;
    *lpppPropNames = NULL;
    if (ulFlags & ~known)
        return fm_object_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS,
                                              "GetNamesFromIDs: unknown flags 0x%08lX",
                                              (unsigned long)(ulFlags & ~known)));
    bool enumerating = *lppPropTags == NULL;
    id_list all = { NULL, 0, 0 };
    HRESULT hr = S_OK;
    const ULONG *ids;
    ULONG n;
    ULONG *given = NULL;
    if (enumerating) {
        hr = fm_namedprops_foreach(o->store->names, lpPropSetGuid, collect_id, &all);
        ids = all.ids;
        n = (ULONG)all.n;
    } else {
        n = (*lppPropTags)->cValues;
        given = fm_malloc((n ? n : 1) * sizeof(ULONG));
        if (given == NULL)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "GetNamesFromIDs: out of memory");
        for (ULONG i = 0; hr == S_OK && i < n; i++)
            given[i] = PROP_ID((*lppPropTags)->aulPropTag[i]);
        ids = given;
    }
    bool missing = false;
    LPSPropTagArray tags = NULL;
    if (hr == S_OK)
        hr = names_for(o, ids, n, ulFlags, enumerating, lpcPropNames, lpppPropNames, &tags,
                       &missing);
    fm_free(all.ids);
    fm_free(given);
    if (hr != S_OK)
        return fm_object_fail(o, hr);
    if (enumerating)
        *lppPropTags = tags;
    return missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}
