/*
 * ab/open.c - OpenEntry of the address book and its containers (ab.h),
 * and the properties of the two containers: the root (the empty entry ID
 * opens it, as MAPI documents) and the global address list.
 */
#include <string.h>

#include "ab/ab.h"
#include "core/alloc.h"
#include "mapiguid.h"

static const char *container_name(int64_t id)
{
    return id == FM_AB_GAL ? "Global Address List" : id == FM_AB_CONTACTS ? "Contacts" : "";
}

HRESULT fm_ab_container_props(int64_t id, void *parent, ULONG *c, LPSPropValue *out)
{
    enum { N = 8 };
    SPropValue *v = NULL;
    SCODE sc = parent ? MAPIAllocateMore(N * sizeof *v + FM_AB_EID_SIZE, parent, (void **)&v)
                      : MAPIAllocateBuffer(N * sizeof *v + FM_AB_EID_SIZE, (void **)&v);
    if (sc != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a container");
    BYTE *eid = (BYTE *)(v + N);
    fm_ab_eid_write(FM_AB_KIND_CONTAINER, id, eid);
    bool gal = id == FM_AB_GAL, recipients = id != FM_AB_ROOT;
    v[0].ulPropTag = PR_ENTRYID;
    v[0].Value.bin.cb = FM_AB_EID_SIZE;
    v[0].Value.bin.lpb = eid;
    v[1].ulPropTag = PR_RECORD_KEY;
    v[1].Value.bin = v[0].Value.bin;
    v[2].ulPropTag = PR_DISPLAY_NAME_A;
    v[2].Value.lpszA = (LPSTR)container_name(id);
    v[3].ulPropTag = PR_OBJECT_TYPE;
    v[3].Value.l = MAPI_ABCONT;
    v[4].ulPropTag = PR_DISPLAY_TYPE;
    v[4].Value.l = gal ? DT_GLOBAL : DT_NOT_SPECIFIC;
    v[5].ulPropTag = PR_CONTAINER_FLAGS;
    v[5].Value.l = recipients ? (LONG)(AB_RECIPIENTS | AB_UNMODIFIABLE) : (LONG)AB_SUBCONTAINERS;
    v[6].ulPropTag = PR_DEPTH;
    v[6].Value.l = 0;
    v[7].ulPropTag = PR_AB_PROVIDER_ID;
    v[7].Value.bin.cb = 16;
    v[7].Value.bin.lpb = (LPBYTE)FM_SITE_DIRECTORY_UID.ab;
    *c = N;
    *out = v;
    return S_OK;
}

static HRESULT open_directory_entry(fm_ab *ab, int kind, int64_t id, LPUNKNOWN *out)
{
    fm_site_entry e;
    HRESULT hr = fm_ab_gal_get(ab, id, &e);
    if (hr == MAPI_E_NOT_FOUND)
        return fm_error_set(MAPI_E_NOT_FOUND, "OpenEntry: directory entry %lld no longer "
                                              "exists",
                            (long long)id);
    if (hr != S_OK)
        return hr;
    if (e.kind != kind) {
        fm_site_entry_clear(&e);
        return fm_error_set(MAPI_E_INVALID_ENTRYID, "OpenEntry: the entry ID's kind does not "
                                                    "match the directory entry");
    }
    ULONG c = 0;
    LPSPropValue props = NULL;
    hr = fm_ab_entry_props(ab->id->site, &e, ab->site_name, 0, NULL, &c, &props);
    fm_site_entry_clear(&e);
    if (hr != S_OK)
        return hr;
    return kind == FM_AB_KIND_LIST ? fm_distlist_new(ab, id, c, props, out)
                                   : fm_mailuser_new(ab, id, c, props, out);
}

static HRESULT open_oneoff(fm_ab *ab, ULONG cb, LPENTRYID eid, LPUNKNOWN *out)
{
    fm_ab_oneoff o;
    HRESULT hr = fm_ab_oneoff_parse(cb, eid, &o);
    if (hr != S_OK)
        return hr;
    ULONG c = 0;
    LPSPropValue props = NULL;
    hr = fm_ab_oneoff_props(cb, eid, &o, NULL, &c, &props);
    fm_ab_oneoff_clear(&o);
    if (hr != S_OK)
        return hr;
    return fm_mailuser_new(ab, 0, c, props, out);
}

static HRESULT open_contact(fm_ab *ab, int64_t mid, LPUNKNOWN *out)
{
    ULONG c = 0;
    LPSPropValue props = NULL;
    HRESULT hr = fm_ab_contact_get(ab, mid, &c, &props);
    if (hr != S_OK)
        return hr;
    return fm_mailuser_new(ab, mid, c, props, out);
}

bool fm_ab_has_container(fm_ab *ab, int64_t id)
{
    return id == FM_AB_ROOT || (id == FM_AB_GAL && ab->id != NULL) ||
           (id == FM_AB_CONTACTS && fm_ab_has_contacts(ab));
}

static HRESULT open_any(fm_ab *ab, ULONG cb, LPENTRYID eid, LPUNKNOWN *out)
{
    if (cb == 0 || eid == NULL)
        return fm_container_new(ab, FM_AB_ROOT, out);
    if (fm_ab_is_oneoff(cb, eid))
        return open_oneoff(ab, cb, eid, out);
    int kind = 0;
    int64_t id = 0;
    HRESULT hr = fm_ab_eid_parse(cb, eid, &kind, &id);
    if (hr != S_OK)
        return hr;
    if (kind == FM_AB_KIND_CONTAINER) {
        if (!fm_ab_has_container(ab, id))
            return fm_error_set(MAPI_E_UNKNOWN_ENTRYID, "OpenEntry: no such container");
        return fm_container_new(ab, id, out);
    }
    if (kind == FM_AB_KIND_CONTACT)
        return fm_ab_has_contacts(ab) ? open_contact(ab, id, out)
                                      : fm_error_set(MAPI_E_UNKNOWN_ENTRYID, "OpenEntry: the "
                                                                             "profile has no "
                                                                             "contacts");
    if (ab->id == NULL)
        return fm_error_set(MAPI_E_UNKNOWN_ENTRYID, "OpenEntry: the profile has no site "
                                                    "directory");
    return open_directory_entry(ab, kind, id, out);
}

HRESULT fm_ab_open_entry(fm_ab *ab, ULONG cb, LPENTRYID eid, LPCIID iface, ULONG flags,
                         ULONG *type, LPUNKNOWN *out)
{
    if (type == NULL || out == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenEntry: NULL out pointer");
    *out = NULL;
    *type = 0;
    const ULONG known = MAPI_BEST_ACCESS | MAPI_MODIFY | MAPI_DEFERRED_ERRORS | MAPI_NO_CACHE |
                        MAPI_CACHE_ONLY;
    if (flags & ~known)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "OpenEntry: unknown flags 0x%08lX",
                            (unsigned long)flags);
    if (cb > 0 && eid == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenEntry: cbEntryID without an entry "
                                                      "ID");
    if (flags & MAPI_MODIFY)
        return fm_error_set(MAPI_E_NO_ACCESS, "OpenEntry: the directory is read-only through "
                                              "MAPI (MAPI_MODIFY)");
    LPUNKNOWN obj = NULL;
    HRESULT hr = open_any(ab, cb, eid, &obj);
    if (hr != S_OK)
        return hr;
    fm_abobj *o = (fm_abobj *)obj;
    *type = o->kind == FM_AB_KIND_CONTAINER ? MAPI_ABCONT
            : o->kind == FM_AB_KIND_LIST    ? MAPI_DISTLIST
                                            : MAPI_MAILUSER;
    if (iface == NULL) {
        *out = obj;
        return S_OK;
    }
    hr = obj->lpVtbl->QueryInterface(obj, iface, (void **)out);
    obj->lpVtbl->Release(obj);
    if (hr != S_OK) {
        *type = 0;
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "OpenEntry: the entry does not "
                                                            "support that interface");
    }
    return S_OK;
}
