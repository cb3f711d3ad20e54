/*
 * rop/rop_names.c - named properties ([MS-OXCROPS] 2.2.8.1, 2.2.8.2,
 * [MS-OXCPRPT] 2.2.12, 2.2.13) on IMAPIProp::GetIDsFromNames and
 * GetNamesFromIDs: RopGetPropertyIdsFromNames, RopGetNamesFromPropertyIds.
 *
 * PropertyName ([MS-OXCDATA] 2.6.1): Kind (1: 0x00 LID, 0x01 name, 0xFF
 * none), GUID (16), then LID (4) for 0x00, or NameSize (1) and Name
 * (NameSize bytes of UTF-16LE, its NUL included) for 0x01.
 */
#include <string.h>

#include "mapicode.h"
#include "mapix.h"
#include "rop/rop_int.h"

#define KIND(k) (1u << (k))
#define PROP_OBJECTS                                                    \
    (KIND(FM_ROP_OBJ_LOGON) | KIND(FM_ROP_OBJ_FOLDER) | KIND(FM_ROP_OBJ_MESSAGE) | \
     KIND(FM_ROP_OBJ_ATTACH))

static void get_guid(fm_rop_reader *r, GUID *g)
{
    const uint8_t *b;

    g->Data1 = fm_rop_get_u32(r);
    g->Data2 = fm_rop_get_u16(r);
    g->Data3 = fm_rop_get_u16(r);
    b = fm_rop_get_bytes(r, 8);
    if (b)
        memcpy(g->Data4, b, 8);
}

static void put_guid(fm_rop_writer *w, const GUID *g)
{
    fm_rop_put_u32(w, g->Data1);
    fm_rop_put_u16(w, g->Data2);
    fm_rop_put_u16(w, g->Data3);
    fm_rop_put_bytes(w, g->Data4, 8);
}

/* One PropertyName into *name (memory off parent). A Kind 0xFF name is
 * refused here: it cannot name a property to map. */
static HRESULT get_name(fm_rop_reader *r, void *parent, MAPINAMEID *name)
{
    uint8_t kind = fm_rop_get_u8(r), size;
    const uint8_t *b;
    size_t i, n;
    HRESULT hr;

    hr = MAPIAllocateMore(sizeof(GUID), parent, (void **)&name->lpguid);
    if (FAILED(hr))
        return hr;
    get_guid(r, name->lpguid);
    if (kind == 0x00) {
        name->ulKind = MNID_ID;
        name->Kind.lID = (LONG)fm_rop_get_u32(r);
        return S_OK;
    }
    if (kind != 0x01) {
        r->bad = true;
        return S_OK;
    }
    size = fm_rop_get_u8(r);
    b = fm_rop_get_bytes(r, size);
    if (!b || size % 2) {
        r->bad = true;
        return S_OK;
    }
    n = size / 2;
    if (n > 0 && (b[2 * n - 2] | b[2 * n - 1]) == 0)
        n--; /* the NUL the name carries */
    hr = MAPIAllocateMore((ULONG)((n + 1) * sizeof(WCHAR)), parent,
                          (void **)&name->Kind.lpwstrName);
    if (FAILED(hr))
        return hr;
    for (i = 0; i < n; i++)
        name->Kind.lpwstrName[i] = (WCHAR)(b[2 * i] | b[2 * i + 1] << 8);
    name->Kind.lpwstrName[n] = 0;
    name->ulKind = MNID_STRING;
    return S_OK;
}

static void put_name(fm_rop_writer *w, const MAPINAMEID *name)
{
    static const GUID zero;
    size_t n = 0, i;

    if (!name) { /* an id with no name: Kind 0xFF */
        fm_rop_put_u8(w, 0xFF);
        put_guid(w, &zero);
        return;
    }
    fm_rop_put_u8(w, name->ulKind == MNID_ID ? 0x00 : 0x01);
    put_guid(w, name->lpguid ? name->lpguid : &zero);
    if (name->ulKind == MNID_ID) {
        fm_rop_put_u32(w, (uint32_t)name->Kind.lID);
        return;
    }
    while (name->Kind.lpwstrName && name->Kind.lpwstrName[n])
        n++;
    if (n > 126) /* NameSize is one byte: 127 characters with the NUL at most */
        n = 126;
    fm_rop_put_u8(w, (uint8_t)(2 * (n + 1)));
    for (i = 0; i < n; i++)
        fm_rop_put_u16(w, (uint16_t)name->Kind.lpwstrName[i]);
    fm_rop_put_u16(w, 0);
}

static HRESULT failed(fm_rop_call *call, HRESULT hr)
{
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
        return hr;
    fm_rop_put_failure(call, call->input_index, fm_rop_ec(hr));
    return S_OK;
}

/* [MS-OXCROPS] 2.2.8.1.1 RopGetPropertyIdsFromNames (0x56): Flags (1:
 * Create 0x02), PropertyNameCount (2), PropertyNames. Response 2.2.8.1.2:
 * PropertyIdCount (2), PropertyIds (2 each; 0 for a name not mapped). */
HRESULT fm_rop_get_property_ids_from_names(fm_rop_call *call)
{
    uint8_t flags = fm_rop_get_u8(call->req);
    uint16_t count = fm_rop_get_u16(call->req), i;
    LPMAPINAMEID *names = NULL;
    MAPINAMEID *array;
    LPSPropTagArray tags = NULL;
    fm_rop_object *obj;
    uint32_t ec;
    HRESULT hr;

    /* each PropertyName takes 17 bytes at least */
    if (call->req->bad || (size_t)count * 17 > fm_rop_reader_left(call->req))
        return MAPI_E_CORRUPT_DATA;
    if (MAPIAllocateBuffer((ULONG)(count + 1u) * (sizeof(LPMAPINAMEID) + sizeof(MAPINAMEID)),
                           (void **)&names))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    array = (MAPINAMEID *)(names + count + 1);
    hr = S_OK;
    for (i = 0; i < count && SUCCEEDED(hr) && !call->req->bad; i++) {
        names[i] = &array[i];
        hr = get_name(call->req, names, &array[i]);
    }
    if (FAILED(hr) || call->req->bad) {
        MAPIFreeBuffer(names);
        return FAILED(hr) ? hr : MAPI_E_CORRUPT_DATA;
    }
    obj = fm_rop_input(call, call->input_index, PROP_OBJECTS, &ec);
    if (!obj) {
        MAPIFreeBuffer(names);
        fm_rop_put_failure(call, call->input_index, ec);
        return S_OK;
    }
    hr = ((LPMAPIPROP)obj->unk)->lpVtbl->GetIDsFromNames((LPMAPIPROP)obj->unk, count,
                                                         count ? names : NULL,
                                                         (flags & 0x02) ? MAPI_CREATE : 0, &tags);
    MAPIFreeBuffer(names);
    if (FAILED(hr))
        return failed(call, hr);
    fm_rop_put_u8(call->resp, call->rop_id);
    fm_rop_put_u8(call->resp, call->input_index);
    /* MAPI_W_ERRORS_RETURNED: some names not mapped, their ids are 0 */
    fm_rop_put_u32(call->resp, fm_rop_ec(hr) ? (uint32_t)hr : 0);
    fm_rop_put_u16(call->resp, (uint16_t)tags->cValues);
    for (i = 0; i < tags->cValues; i++)
        fm_rop_put_u16(call->resp, PROP_TYPE(tags->aulPropTag[i]) == PT_ERROR
                                       ? 0
                                       : (uint16_t)PROP_ID(tags->aulPropTag[i]));
    MAPIFreeBuffer(tags);
    return S_OK;
}

/* [MS-OXCROPS] 2.2.8.2.1 RopGetNamesFromPropertyIds (0x55):
 * PropertyIdCount (2), PropertyIds (2 each). Response 2.2.8.2.2:
 * PropertyNameCount (2), PropertyNames (Kind 0xFF for an id with no name). */
HRESULT fm_rop_get_names_from_property_ids(fm_rop_call *call)
{
    uint16_t count = fm_rop_get_u16(call->req), i;
    LPSPropTagArray tags = NULL;
    LPMAPINAMEID *names = NULL;
    ULONG n = 0;
    fm_rop_object *obj;
    uint32_t ec;
    HRESULT hr;

    if (call->req->bad || (size_t)count * 2 > fm_rop_reader_left(call->req))
        return MAPI_E_CORRUPT_DATA;
    if (MAPIAllocateBuffer(CbNewSPropTagArray(count), (void **)&tags))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    tags->cValues = count;
    for (i = 0; i < count; i++)
        tags->aulPropTag[i] = PROP_TAG(PT_UNSPECIFIED, fm_rop_get_u16(call->req));
    obj = fm_rop_input(call, call->input_index, PROP_OBJECTS, &ec);
    if (!obj) {
        MAPIFreeBuffer(tags);
        fm_rop_put_failure(call, call->input_index, ec);
        return S_OK;
    }
    hr = ((LPMAPIPROP)obj->unk)->lpVtbl->GetNamesFromIDs((LPMAPIPROP)obj->unk, &tags, NULL, 0,
                                                         &n, &names);
    if (FAILED(hr)) {
        MAPIFreeBuffer(tags);
        return failed(call, hr);
    }
    fm_rop_put_u8(call->resp, call->rop_id);
    fm_rop_put_u8(call->resp, call->input_index);
    fm_rop_put_u32(call->resp, 0);
    fm_rop_put_u16(call->resp, (uint16_t)n);
    for (i = 0; i < n; i++)
        put_name(call->resp, names[i]);
    MAPIFreeBuffer(names);
    MAPIFreeBuffer(tags);
    return S_OK;
}
