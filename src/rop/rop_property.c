/*
 * rop/rop_property.c - property ROPs ([MS-OXCROPS] 2.2.8, [MS-OXCPRPT]) on
 * any object's IMAPIProp: RopGetPropertiesSpecific, RopSetProperties.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapix.h"
#include "rop/rop_int.h"
#include "rop/rop_props.h"

#define PROP_OBJECTS                                                                    \
    ((1u << FM_ROP_OBJ_LOGON) | (1u << FM_ROP_OBJ_FOLDER) | (1u << FM_ROP_OBJ_MESSAGE) | \
     (1u << FM_ROP_OBJ_ATTACH))
#define EC_MAPI_OOM 0x8007000Eu /* a value over PropertySizeLimit ([MS-OXCPRPT] 3.2.5.1) */

/* The bytes v takes on the wire, to compare with PropertySizeLimit. */
static size_t value_size(const SPropValue *v)
{
    fm_rop_writer w = {0};
    size_t n;

    fm_rop_put_value(&w, v->ulPropTag, v);
    n = w.oom ? SIZE_MAX : w.len;
    fm_rop_writer_clear(&w);
    return n;
}

static void put_ok(fm_rop_call *call)
{
    fm_rop_put_u8(call->resp, call->rop_id);
    fm_rop_put_u8(call->resp, call->input_index);
    fm_rop_put_u32(call->resp, 0);
}

/* [MS-OXCROPS] 2.2.8.3.1: RopId 0x07, LogonId, InputHandleIndex,
 * PropertySizeLimit (2), WantUnicode (2), PropertyTagCount (2),
 * PropertyTags. Response 2.2.8.3.2: RopId, InputHandleIndex, ReturnValue,
 * RowData (a PropertyRow, [MS-OXCDATA] 2.8.1). A value over the limit, or
 * too long for a ROP buffer, is an error in a flagged row. */
HRESULT fm_rop_get_properties_specific(fm_rop_call *call)
{
    uint16_t limit = fm_rop_get_u16(call->req);
    fm_rop_object *obj;
    SPropTagArray *tags;
    LPSPropValue vals = NULL;
    LPMAPIPROP prop;
    ULONG n = 0, i;
    uint32_t ec;
    bool oom;
    HRESULT hr;

    (void)fm_rop_get_u16(call->req); /* WantUnicode: strings follow each tag's type */
    tags = fm_rop_get_tags(call->req, &oom);
    if (oom)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!tags)
        return MAPI_E_CORRUPT_DATA;
    obj = fm_rop_input(call, call->input_index, PROP_OBJECTS, &ec);
    if (!obj) {
        fm_free(tags);
        fm_rop_put_failure(call, call->input_index, ec);
        return S_OK;
    }
    for (i = 0; i < tags->cValues; i++)
        if (!fm_rop_type_known(PROP_TYPE(tags->aulPropTag[i])) &&
            PROP_TYPE(tags->aulPropTag[i]) != PT_UNSPECIFIED) {
            fm_free(tags);
            fm_rop_put_failure(call, call->input_index, (uint32_t)MAPI_E_INVALID_PARAMETER);
            return S_OK;
        }
    prop = (LPMAPIPROP)obj->unk;
    hr = prop->lpVtbl->GetProps(prop, tags->cValues ? tags : NULL, MAPI_UNICODE, &n, &vals);
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY || FAILED(hr)) {
        fm_free(tags);
        if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
            return hr;
        fm_rop_put_failure(call, call->input_index, fm_rop_ec(hr));
        return S_OK;
    }
    for (i = 0; i < n && i < tags->cValues; i++) {
        bool unknown = !fm_rop_type_known(PROP_TYPE(vals[i].ulPropTag));
        if (PROP_TYPE(vals[i].ulPropTag) != PT_ERROR &&
            (unknown || (limit && value_size(&vals[i]) > limit) ||
             value_size(&vals[i]) == SIZE_MAX)) {
            vals[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(vals[i].ulPropTag));
            vals[i].Value.err = (SCODE)EC_MAPI_OOM;
        }
    }
    fm_rop_put_u8(call->resp, call->rop_id);
    fm_rop_put_u8(call->resp, call->input_index);
    fm_rop_put_u32(call->resp, 0);
    fm_rop_put_row(call->resp, tags, vals);
    MAPIFreeBuffer(vals);
    fm_free(tags);
    return S_OK;
}

/* [MS-OXCROPS] 2.2.8.6.1: RopId 0x0A, LogonId, InputHandleIndex,
 * PropertyValueSize (2: the bytes of the two fields that follow),
 * PropertyValueCount (2), PropertyValues (TaggedPropertyValues). Response
 * 2.2.8.6.2: RopId, InputHandleIndex, ReturnValue, PropertyProblemCount
 * (2), PropertyProblems (Index 2, PropertyTag 4, ErrorCode 4: [MS-OXCDATA]
 * 2.7). */
HRESULT fm_rop_set_properties(fm_rop_call *call)
{
    uint16_t size = fm_rop_get_u16(call->req), count, i;
    const uint8_t *body = fm_rop_get_bytes(call->req, size);
    fm_rop_reader r;
    LPSPropValue vals = NULL;
    LPSPropProblemArray problems = NULL;
    fm_rop_object *obj;
    LPMAPIPROP prop;
    uint32_t ec;
    HRESULT hr = S_OK;

    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    fm_rop_reader_init(&r, body, size);
    count = fm_rop_get_u16(&r);
    if (r.bad || (size_t)count * 4 > fm_rop_reader_left(&r))
        return MAPI_E_CORRUPT_DATA;
    if (MAPIAllocateBuffer((ULONG)sizeof(SPropValue) * (count ? count : 1u), (void **)&vals))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < count && SUCCEEDED(hr) && !r.bad; i++)
        hr = fm_rop_get_tagged(&r, vals, &vals[i]);
    if (FAILED(hr))
        goto cleanup;
    if (r.bad || fm_rop_reader_left(&r) != 0) {
        hr = MAPI_E_CORRUPT_DATA;
        goto cleanup;
    }
    obj = fm_rop_input(call, call->input_index, PROP_OBJECTS, &ec);
    if (!obj) {
        fm_rop_put_failure(call, call->input_index, ec);
        goto cleanup;
    }
    prop = (LPMAPIPROP)obj->unk;
    hr = prop->lpVtbl->SetProps(prop, count, vals, &problems);
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
        goto cleanup;
    if (FAILED(hr)) {
        fm_rop_put_failure(call, call->input_index, fm_rop_ec(hr));
        hr = S_OK;
        goto cleanup;
    }
    hr = S_OK;
    fm_rop_put_u8(call->resp, call->rop_id);
    fm_rop_put_u8(call->resp, call->input_index);
    fm_rop_put_u32(call->resp, 0);
    fm_rop_put_u16(call->resp, (uint16_t)(problems ? problems->cProblem : 0));
    for (i = 0; problems && i < problems->cProblem; i++) {
        fm_rop_put_u16(call->resp, (uint16_t)problems->aProblem[i].ulIndex);
        fm_rop_put_u32(call->resp, problems->aProblem[i].ulPropTag);
        fm_rop_put_u32(call->resp, (uint32_t)problems->aProblem[i].scode);
    }

cleanup:
    MAPIFreeBuffer(problems);
    MAPIFreeBuffer(vals);
    return hr;
}

/* The object a property ROP acts on, or NULL with its failure written. */
static LPMAPIPROP prop_input(fm_rop_call *call)
{
    uint32_t ec;
    fm_rop_object *obj = fm_rop_input(call, call->input_index, PROP_OBJECTS, &ec);

    if (!obj) {
        fm_rop_put_failure(call, call->input_index, ec);
        return NULL;
    }
    return (LPMAPIPROP)obj->unk;
}

static HRESULT prop_failed(fm_rop_call *call, HRESULT hr)
{
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
        return hr;
    fm_rop_put_failure(call, call->input_index, fm_rop_ec(hr));
    return S_OK;
}

/* [MS-OXCROPS] 2.2.8.4.1: RopGetPropertiesAll (0x08): PropertySizeLimit
 * (2), WantUnicode (2). Response 2.2.8.4.2: PropertyValueCount (2),
 * PropertyValues (TaggedPropertyValues). A value over the limit, too long
 * for a ROP buffer or of a type the codec does not carry is sent as a
 * PtypErrorCode, as a property that could not be read. */
HRESULT fm_rop_get_properties_all(fm_rop_call *call)
{
    uint16_t limit = fm_rop_get_u16(call->req), want_unicode = fm_rop_get_u16(call->req);
    LPSPropValue vals = NULL;
    LPMAPIPROP prop;
    ULONG n = 0, i;
    HRESULT hr;

    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    prop = prop_input(call);
    if (!prop)
        return S_OK;
    hr = prop->lpVtbl->GetProps(prop, NULL, want_unicode ? MAPI_UNICODE : 0, &n, &vals);
    if (FAILED(hr))
        return prop_failed(call, hr);
    put_ok(call);
    fm_rop_put_u16(call->resp, (uint16_t)(n > 0xFFFF ? 0xFFFF : n));
    for (i = 0; i < n && i < 0xFFFF; i++) {
        ULONG type = PROP_TYPE(vals[i].ulPropTag);
        if (type != PT_ERROR && (!fm_rop_type_known(type) || value_size(&vals[i]) == SIZE_MAX ||
                                 (limit && value_size(&vals[i]) > limit))) {
            fm_rop_put_u32(call->resp, PROP_TAG(PT_ERROR, PROP_ID(vals[i].ulPropTag)));
            fm_rop_put_u32(call->resp, EC_MAPI_OOM);
            continue;
        }
        fm_rop_put_u32(call->resp, vals[i].ulPropTag);
        fm_rop_put_value(call->resp, vals[i].ulPropTag, &vals[i]);
    }
    MAPIFreeBuffer(vals);
    return S_OK;
}

/* [MS-OXCROPS] 2.2.8.5.1: RopGetPropertiesList (0x09). Response 2.2.8.5.2:
 * PropertyTagCount (2), PropertyTags: IMAPIProp::GetPropList. */
HRESULT fm_rop_get_properties_list(fm_rop_call *call)
{
    LPMAPIPROP prop = prop_input(call);
    LPSPropTagArray tags = NULL;
    HRESULT hr;

    if (!prop)
        return S_OK;
    hr = prop->lpVtbl->GetPropList(prop, MAPI_UNICODE, &tags);
    if (FAILED(hr))
        return prop_failed(call, hr);
    put_ok(call);
    fm_rop_put_tag_array(call->resp, tags);
    MAPIFreeBuffer(tags);
    return S_OK;
}

/* [MS-OXCROPS] 2.2.8.8.1: RopDeleteProperties (0x0B): PropertyTagCount (2),
 * PropertyTags. Response 2.2.8.8.2: PropertyProblemCount (2),
 * PropertyProblems: IMAPIProp::DeleteProps. */
HRESULT fm_rop_delete_properties(fm_rop_call *call)
{
    LPSPropProblemArray problems = NULL;
    SPropTagArray *tags;
    LPMAPIPROP prop;
    bool oom;
    ULONG i;
    HRESULT hr;

    tags = fm_rop_get_tags(call->req, &oom);
    if (oom)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!tags)
        return MAPI_E_CORRUPT_DATA;
    prop = prop_input(call);
    if (!prop) {
        fm_free(tags);
        return S_OK;
    }
    hr = prop->lpVtbl->DeleteProps(prop, tags, &problems);
    fm_free(tags);
    if (FAILED(hr))
        return prop_failed(call, hr);
    put_ok(call);
    fm_rop_put_u16(call->resp, (uint16_t)(problems ? problems->cProblem : 0));
    for (i = 0; problems && i < problems->cProblem; i++) {
        fm_rop_put_u16(call->resp, (uint16_t)problems->aProblem[i].ulIndex);
        fm_rop_put_u32(call->resp, problems->aProblem[i].ulPropTag);
        fm_rop_put_u32(call->resp, (uint32_t)problems->aProblem[i].scode);
    }
    MAPIFreeBuffer(problems);
    return S_OK;
}
