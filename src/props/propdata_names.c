/*
 * props/propdata_names.c - IPropData's named properties: GetIDsFromNames and
 * GetNamesFromIDs over a name table local to the object.
 *
 * Names get identifiers from 0x8000 upwards (MAPI_CREATE) up to 0xFFFE.
 * Names in PS_MAPI with MNID_ID stand for the property whose identifier is
 * lID, so they map to it directly in both directions, and every identifier
 * below 0x8000 is reported as such a name. Names that cannot be resolved
 * give PT_ERROR entries (identifier 0) or NULL names, and
 * MAPI_W_ERRORS_RETURNED.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/text.h"
#include "mapiguid.h"
#include "props/propdata.h"

void fm_propdata_free_names(fm_propdata *pd)
{
    for (size_t i = 0; i < pd->nnames; i++)
        fm_free(pd->names[i].name);
    fm_free(pd->names);
}

const fm_propdata_name *fm_propdata_name_of(const fm_propdata *pd, ULONG id)
{
    for (size_t i = 0; i < pd->nnames; i++)
        if (pd->names[i].id == id)
            return &pd->names[i];
    return NULL;
}

static int wide_equal(const WCHAR *a, const WCHAR *b)
{
    while (*a != 0 && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static int name_valid(const MAPINAMEID *n)
{
    return n != NULL && n->lpguid != NULL &&
           (n->ulKind == MNID_ID || (n->ulKind == MNID_STRING && n->Kind.lpwstrName != NULL));
}

static const fm_propdata_name *lookup(const fm_propdata *pd, const MAPINAMEID *n)
{
    for (size_t i = 0; i < pd->nnames; i++) {
        const fm_propdata_name *e = &pd->names[i];
        /* Cheapest test first: the table is searched linearly. */
        if (e->kind != n->ulKind || (n->ulKind == MNID_ID && e->lid != n->Kind.lID))
            continue;
        if (!IsEqualGUID(&e->guid, n->lpguid))
            continue;
        if (n->ulKind == MNID_ID || wide_equal(e->name, n->Kind.lpwstrName))
            return e;
    }
    return NULL;
}

static HRESULT add_name(fm_propdata *pd, const MAPINAMEID *n, ULONG *id)
{
    if (pd->next_named_id > FM_PROPDATA_LAST_NAMED_ID)
        return fm_error_set(MAPI_E_TOO_BIG, "GetIDsFromNames: all named identifiers are in use");
    if (pd->nnames == pd->capnames) {
        size_t cap = pd->capnames ? pd->capnames * 2 : 8;
        fm_propdata_name *grown = fm_realloc(pd->names, cap * sizeof *grown);
        if (grown == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "GetIDsFromNames: out of memory");
        pd->names = grown;
        pd->capnames = cap;
    }
    fm_propdata_name e = {pd->next_named_id, *n->lpguid, n->ulKind, 0, NULL};
    if (n->ulKind == MNID_ID) {
        e.lid = n->Kind.lID;
    } else {
        size_t bytes = (fm_utf16_len(n->Kind.lpwstrName) + 1) * sizeof(WCHAR);
        e.name = fm_malloc(bytes);
        if (e.name == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "GetIDsFromNames: out of memory");
        memcpy(e.name, n->Kind.lpwstrName, bytes);
    }
    pd->names[pd->nnames++] = e;
    pd->next_named_id++;
    *id = e.id;
    return S_OK;
}

/* The identifier for one name, or 0 when it has none; S_OK or a failure. */
static HRESULT id_of(fm_propdata *pd, const MAPINAMEID *n, int create, ULONG *id)
{
    *id = 0;
    if (!name_valid(n))
        return S_OK;
    if (IsEqualGUID(n->lpguid, &PS_MAPI)) {
        if (n->ulKind == MNID_ID && n->Kind.lID > 0 && n->Kind.lID < (LONG)PROP_ID_INVALID)
            *id = (ULONG)n->Kind.lID;
        return S_OK;
    }
    const fm_propdata_name *e = lookup(pd, n);
    if (e != NULL) {
        *id = e->id;
        return S_OK;
    }
    if (!create)
        return S_OK;
    HRESULT hr = add_name(pd, n, id);
    return hr == MAPI_E_TOO_BIG ? S_OK : hr;
}

static HRESULT ids_from_names(fm_propdata *pd, ULONG cNames, LPMAPINAMEID *names, ULONG flags,
                              LPSPropTagArray *lppTags)
{
    if (lppTags == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "GetIDsFromNames: lppPropTags is NULL");
    *lppTags = NULL;
    if (flags & ~MAPI_CREATE)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetIDsFromNames: unknown flags 0x%08lX",
                            (unsigned long)(flags & ~MAPI_CREATE));
    if (names == NULL && (cNames != 0 || (flags & MAPI_CREATE)))
        return fm_error_set(
            MAPI_E_INVALID_PARAMETER,
            "GetIDsFromNames: a NULL name list needs cPropNames 0 and no MAPI_CREATE");
    if (names != NULL && cNames == 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "GetIDsFromNames: cPropNames is 0");
    ULONG n = names ? cNames : (ULONG)pd->nnames;
    LPSPropTagArray out = NULL;
    SCODE sc = pd->alloc((ULONG)CbNewSPropTagArray(n), (void **)&out);
    if (sc != S_OK)
        return fm_error_set(sc, "GetIDsFromNames: cannot allocate the tag array");
    out->cValues = n;
    int errors = 0;
    for (ULONG i = 0; i < n; i++) {
        ULONG id = names == NULL ? pd->names[i].id : 0;
        if (names != NULL) {
            HRESULT hr = id_of(pd, names[i], (flags & MAPI_CREATE) != 0, &id);
            if (hr != S_OK) {
                pd->free_buffer(out);
                return hr;
            }
        }
        errors |= id == 0;
        out->aulPropTag[i] = id == 0 ? PROP_TAG(PT_ERROR, 0) : PROP_TAG(PT_UNSPECIFIED, id);
    }
    *lppTags = out;
    return errors ? MAPI_W_ERRORS_RETURNED : S_OK;
}

STDMETHODIMP fm_propdata_GetIDsFromNames(IPropData *This, ULONG cPropNames,
                                         LPMAPINAMEID *lppPropNames, ULONG ulFlags,
                                         LPSPropTagArray *lppPropTags)
{
    fm_propdata *pd = fm_propdata_of(This);
    fm_propdata_lock(pd);
    HRESULT hr = ids_from_names(pd, cPropNames, lppPropNames, ulFlags, lppPropTags);
    return fm_propdata_unlock(pd, hr);
}

/* ---- GetNamesFromIDs ------------------------------------------------------ */

typedef struct name_query {
    const GUID *guid; /* only names in this set, or NULL */
    ULONG flags;      /* MAPI_NO_IDS, MAPI_NO_STRINGS */
} name_query;

static int wanted(const name_query *q, const GUID *guid, ULONG kind)
{
    if (q->guid != NULL && !IsEqualGUID(q->guid, guid))
        return 0;
    if (kind == MNID_ID && (q->flags & MAPI_NO_IDS))
        return 0;
    if (kind == MNID_STRING && (q->flags & MAPI_NO_STRINGS))
        return 0;
    return 1;
}

/* Copies one name into the caller's chain; *out stays NULL when none. */
static HRESULT name_for(fm_propdata *pd, ULONG id, const name_query *q, void *root,
                        LPMAPINAMEID *out)
{
    fm_propdata_name mapi = {id, PS_MAPI, MNID_ID, (LONG)id, NULL};
    const fm_propdata_name *e =
        id < FM_PROPDATA_FIRST_NAMED_ID ? &mapi : fm_propdata_name_of(pd, id);
    *out = NULL;
    if (id == PROP_ID_NULL || e == NULL || !wanted(q, &e->guid, e->kind))
        return S_OK;
    size_t chars = e->name ? fm_utf16_len(e->name) + 1 : 0;
    size_t bytes = sizeof(MAPINAMEID) + sizeof(GUID) + chars * sizeof(WCHAR);
    LPMAPINAMEID n = NULL;
    SCODE sc = pd->more((ULONG)bytes, root, (void **)&n);
    if (sc != S_OK)
        return fm_error_set(sc, "GetNamesFromIDs: cannot allocate a name");
    n->lpguid = (LPGUID)(n + 1);
    *n->lpguid = e->guid;
    n->ulKind = e->kind;
    if (e->kind == MNID_ID) {
        n->Kind.lID = e->lid;
    } else {
        n->Kind.lpwstrName = (LPWSTR)(n->lpguid + 1);
        memcpy(n->Kind.lpwstrName, e->name, chars * sizeof(WCHAR));
    }
    *out = n;
    return S_OK;
}

/* With *lppTags NULL: the tags of every name the query wants. */
static HRESULT tags_of_names(fm_propdata *pd, const name_query *q, LPSPropTagArray *out)
{
    ULONG n = 0;
    for (size_t i = 0; i < pd->nnames; i++)
        n += wanted(q, &pd->names[i].guid, pd->names[i].kind);
    SCODE sc = pd->alloc((ULONG)CbNewSPropTagArray(n), (void **)out);
    if (sc != S_OK)
        return fm_error_set(sc, "GetNamesFromIDs: cannot allocate the tag array");
    (*out)->cValues = 0;
    for (size_t i = 0; i < pd->nnames; i++)
        if (wanted(q, &pd->names[i].guid, pd->names[i].kind))
            (*out)->aulPropTag[(*out)->cValues++] = PROP_TAG(PT_UNSPECIFIED, pd->names[i].id);
    return S_OK;
}

#define NAMES_FLAGS (MAPI_NO_IDS | MAPI_NO_STRINGS)

static HRESULT names_from_ids(fm_propdata *pd, LPSPropTagArray *lppTags, LPGUID guid, ULONG flags,
                              ULONG *lpcNames, LPMAPINAMEID **lpppNames)
{
    if (lppTags == NULL || lpcNames == NULL || lpppNames == NULL)
        return fm_error_set(
            MAPI_E_INVALID_PARAMETER,
            "GetNamesFromIDs: lppPropTags, lpcPropNames and lpppPropNames are required");
    *lpcNames = 0;
    *lpppNames = NULL;
    if (flags & ~NAMES_FLAGS)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetNamesFromIDs: unknown flags 0x%08lX",
                            (unsigned long)(flags & ~NAMES_FLAGS));
    name_query q = {guid, flags};
    LPSPropTagArray tags = *lppTags, made = NULL;
    if (tags == NULL) {
        HRESULT hr = tags_of_names(pd, &q, &made);
        if (hr != S_OK)
            return hr;
        tags = made;
    }
    LPMAPINAMEID *arr = NULL;
    SCODE sc = pd->alloc((ULONG)(sizeof(LPMAPINAMEID) * (tags->cValues ? tags->cValues : 1)),
                         (void **)&arr);
    if (sc != S_OK) {
        pd->free_buffer(made);
        return fm_error_set(sc, "GetNamesFromIDs: cannot allocate the name array");
    }
    int errors = 0;
    for (ULONG i = 0; i < tags->cValues; i++) {
        HRESULT hr = name_for(pd, PROP_ID(tags->aulPropTag[i]), &q, arr, &arr[i]);
        if (hr != S_OK) {
            pd->free_buffer(arr);
            pd->free_buffer(made);
            return hr;
        }
        errors |= arr[i] == NULL;
    }
    *lppTags = tags;
    *lpcNames = tags->cValues;
    *lpppNames = arr;
    return errors ? MAPI_W_ERRORS_RETURNED : S_OK;
}

STDMETHODIMP fm_propdata_GetNamesFromIDs(IPropData *This, LPSPropTagArray *lppPropTags,
                                         LPGUID lpPropSetGuid, ULONG ulFlags, ULONG *lpcPropNames,
                                         LPMAPINAMEID **lpppPropNames)
{
    fm_propdata *pd = fm_propdata_of(This);
    fm_propdata_lock(pd);
    HRESULT hr =
        names_from_ids(pd, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames);
    return fm_propdata_unlock(pd, hr);
}
