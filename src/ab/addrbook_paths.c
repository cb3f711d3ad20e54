/*
 * ab/addrbook_paths.c - IAddrBook's search path, default directory and
 * personal address book (ab.h). They belong to the opened address book and
 * last as long as it does (MAPI keeps them in the profile; freemapi's
 * profile has no address book section yet, so a new OpenAddressBook starts
 * again from the defaults: the GAL searched and the default directory).
 * The personal address book is the user's Contacts folder (contacts.c):
 * GetPAB names it (an empty entry ID when the profile has no mailbox) and
 * SetPAB accepts it alone. The search path holds the GAL and the contacts.
 */
#include <string.h>

#include "ab/ab.h"
#include "core/alloc.h"
#include "core/text.h"
#include "mapiutil.h"
#include "table/table.h"

/* The container eid names: MAPI_E_UNKNOWN_ENTRYID when this address book
 * has none such (a one-off, another provider's, a user). */
static HRESULT container_of(fm_ab *ab, ULONG cb, LPENTRYID eid, int64_t *id, const char *fn)
{
    if (cb == 0 || eid == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: no entry ID", fn);
    if (fm_ab_is_oneoff(cb, eid))
        return fm_error_set(MAPI_E_UNKNOWN_ENTRYID, "%s: a one-off entry ID is no container",
                            fn);
    int kind = 0;
    HRESULT hr = fm_ab_eid_parse(cb, eid, &kind, id);
    if (hr != S_OK)
        return hr;
    if (kind != FM_AB_KIND_CONTAINER || !fm_ab_has_container(ab, *id))
        return fm_error_set(MAPI_E_UNKNOWN_ENTRYID, "%s: not a container of this address book",
                            fn);
    return S_OK;
}

void fm_ab_get_path(fm_ab *ab, int64_t *path, size_t *n)
{
    pthread_mutex_lock(&ab->lock);
    memcpy(path, ab->path, sizeof ab->path);
    *n = ab->npath;
    pthread_mutex_unlock(&ab->lock);
}

HRESULT fm_addrbook_get_search_path(fm_ab *ab, ULONG flags, LPSRowSet *out)
{
    if (out == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "GetSearchPath: NULL lppSearchPath");
    *out = NULL;
    if (flags & ~MAPI_UNICODE)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetSearchPath: unknown flags 0x%08lX",
                            (unsigned long)flags);
    int64_t path[2];
    pthread_mutex_lock(&ab->lock);
    size_t n = ab->npath;
    memcpy(path, ab->path, sizeof path);
    pthread_mutex_unlock(&ab->lock);
    HRESULT hr = fm_rowset_new(n, out);
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        ULONG c = 0;
        LPSPropValue props = NULL;
        hr = fm_ab_container_props(path[i], NULL, &c, &props);
        /* The strings in the width the caller asked for. */
        for (ULONG k = 0; hr == S_OK && (flags & MAPI_UNICODE) && k < c; k++)
            if (props[k].ulPropTag == PR_DISPLAY_NAME_A) {
                LPWSTR w = NULL;
                hr = fm_utf8_to_utf16_mapi(props[k].Value.lpszA, props, &w);
                props[k].ulPropTag = PR_DISPLAY_NAME_W;
                props[k].Value.lpszW = w;
            }
        if (hr == S_OK) {
            (*out)->aRow[i].ulAdrEntryPad = 0;
            (*out)->aRow[i].cValues = c;
            (*out)->aRow[i].lpProps = props;
            (*out)->cRows++;
        } else {
            MAPIFreeBuffer(props);
        }
    }
    return fm_rowset_finish(hr, out);
}

HRESULT fm_addrbook_set_search_path(fm_ab *ab, ULONG flags, const SRowSet *rows)
{
    if (rows == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "SetSearchPath: NULL lpSearchPath");
    if (flags != 0)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "SetSearchPath: unknown flags 0x%08lX",
                            (unsigned long)flags);
    int64_t path[2];
    size_t n = 0;
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPSPropValue eid = PpropFindProp(rows->aRow[i].lpProps, rows->aRow[i].cValues,
                                         PR_ENTRYID);
        if (eid == NULL)
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "SetSearchPath: row %lu has no "
                                                          "PR_ENTRYID",
                                (unsigned long)i);
        int64_t id = 0;
        HRESULT hr = container_of(ab, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb, &id,
                                  "SetSearchPath");
        if (hr != S_OK)
            return hr;
        if (id == FM_AB_ROOT)
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "SetSearchPath: the root container "
                                                          "holds no recipients");
        bool dup = false;
        for (size_t k = 0; k < n; k++)
            dup = dup || path[k] == id;
        if (!dup)
            path[n++] = id;
    }
    pthread_mutex_lock(&ab->lock);
    memcpy(ab->path, path, n * sizeof *path);
    ab->npath = n;
    pthread_mutex_unlock(&ab->lock);
    return S_OK;
}

HRESULT fm_addrbook_get_default_dir(fm_ab *ab, ULONG *cb, LPENTRYID *out)
{
    if (cb == NULL || out == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "GetDefaultDir: NULL out pointer");
    *cb = 0;
    *out = NULL;
    pthread_mutex_lock(&ab->lock);
    int64_t id = ab->default_dir;
    pthread_mutex_unlock(&ab->lock);
    return fm_ab_eid_make(FM_AB_KIND_CONTAINER, id, NULL, cb, out);
}

HRESULT fm_addrbook_set_default_dir(fm_ab *ab, ULONG cb, LPENTRYID eid)
{
    int64_t id = 0;
    HRESULT hr = container_of(ab, cb, eid, &id, "SetDefaultDir");
    if (hr != S_OK)
        return hr;
    pthread_mutex_lock(&ab->lock);
    ab->default_dir = id;
    pthread_mutex_unlock(&ab->lock);
    return S_OK;
}

HRESULT fm_addrbook_get_pab(fm_ab *ab, ULONG *cb, LPENTRYID *out)
{
    if (cb == NULL || out == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "GetPAB: NULL out pointer");
    *cb = 0;
    *out = NULL;
    if (!fm_ab_has_contacts(ab))
        return S_OK; /* no personal address book: an empty entry ID */
    return fm_ab_eid_make(FM_AB_KIND_CONTAINER, FM_AB_CONTACTS, NULL, cb, out);
}

HRESULT fm_addrbook_set_pab(fm_ab *ab, ULONG cb, LPENTRYID eid)
{
    int64_t id = 0;
    HRESULT hr = container_of(ab, cb, eid, &id, "SetPAB");
    if (hr != S_OK || id == FM_AB_CONTACTS)
        return hr; /* the contacts are the personal address book already */
    return fm_error_set(MAPI_E_NO_ACCESS, "SetPAB: the %s cannot be the personal address book "
                                          "(only the Contacts folder can)",
                        id == FM_AB_GAL ? "global address list" : "root container");
}
